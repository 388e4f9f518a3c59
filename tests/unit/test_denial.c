/* SPDX-License-Identifier: MIT */
/*
 * The words for a denied call (denial.c), as scmp-apply --report prints
 * them: the call with its flag and enum arguments decoded and named, the
 * arch, why the profile does not allow it (not listed, the rule that came
 * closest, a rule that denies or logs it, an arch it does not cover), and
 * what was done.  The argument-name table is sorted, unique, and names
 * every position of the knowledge table.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "scmpkit/denial.h"
#include "../../lib/argknow.h"
#include "helpers.h"

static void test_argnames_table(void **state)
{
	const struct sk_argname *t;
	const struct sk_argspec *rows;
	unsigned n_rows;
	size_t n;

	(void)state;
	t = sk_denial_argnames(&n);
	for (size_t i = 1; i < n; i++) {
		int c = strcmp(t[i - 1].syscall, t[i].syscall);

		if (c > 0 || (c == 0 && t[i - 1].index >= t[i].index))
			fail_msg("argnames: %s/%u is out of order or repeated",
				 t[i].syscall, t[i].index);
	}
	/* Each name is a position of the knowledge table ... */
	for (size_t i = 0; i < n; i++) {
		const struct sk_argspec *r = sk_argspec_row(t[i].syscall);
		bool found = false;

		if (!r)
			fail_msg("argnames: %s is not in the knowledge table", t[i].syscall);
		for (unsigned k = 0; k < r->n; k++)
			found |= r->pos[k].index == t[i].index;
		if (!found)
			fail_msg("argnames: %s arg %u is not a position of the table", t[i].syscall, t[i].index);
	}
	/* ... and each position of the table has a name. */
	rows = sk_argspec_table(&n_rows);
	for (unsigned i = 0; i < n_rows; i++)
		for (unsigned k = 0; k < rows[i].n; k++)
			if (!sk_denial_argname(rows[i].name, rows[i].pos[k].index))
				fail_msg("%s arg %u has no name", rows[i].name, rows[i].pos[k].index);
	assert_string_equal(sk_denial_argname("clone", 0), "flags");
	assert_null(sk_denial_argname("clone", 1));
}

static void test_call(void **state)
{
	uint32_t x86_64 = SCMP_ARCH_X86_64;
	uint64_t args[6] = { 0 };
	char buf[256];

	(void)state;
	args[0] = CLONE_VM | CLONE_FS | SIGCHLD;
	sk_denial_call(x86_64, sk_syscall_nr(x86_64, "clone"), args, buf, sizeof(buf));
	assert_string_equal(buf, "clone(flags=CLONE_VM|CLONE_FS|SIGCHLD)");
	/* An int argument's upper half is not the program's. */
	memset(args, 0, sizeof(args));
	args[0] = 0xdead00000000ULL | AF_INET;
	args[1] = SOCK_STREAM | SOCK_CLOEXEC;
	sk_denial_call(x86_64, sk_syscall_nr(x86_64, "socket"), args, buf, sizeof(buf));
	assert_string_equal(buf, "socket(domain=AF_INET, type=SOCK_STREAM|SOCK_CLOEXEC, protocol=0 (default))");
	args[2] = O_WRONLY | O_CREAT | O_TRUNC;
	sk_denial_call(x86_64, sk_syscall_nr(x86_64, "openat"), args, buf, sizeof(buf));
	assert_string_equal(buf, "openat(flags=O_WRONLY|O_CREAT|O_TRUNC)");
	/* No position listed: the name alone; an unknown number. */
	sk_denial_call(x86_64, sk_syscall_nr(x86_64, "readlink"), args, buf, sizeof(buf));
	assert_string_equal(buf, "readlink");
	sk_denial_call(x86_64, 4000, args, buf, sizeof(buf));
	assert_string_equal(buf, "syscall 4000");
	/* i386's old mmap holds no prot in arg 2. */
	sk_denial_call(SCMP_ARCH_X86, sk_syscall_nr(SCMP_ARCH_X86, "mmap"), args, buf, sizeof(buf));
	assert_string_equal(buf, "mmap");
	/* x32 comes as x86_64 with the bit. */
	sk_denial_call(x86_64, sk_syscall_nr(SCMP_ARCH_X32, "readlink"), args, buf, sizeof(buf));
	assert_string_equal(buf, "readlink");
	/* Cut, never overrun. */
	args[0] = CLONE_VM | CLONE_FS | SIGCHLD;
	sk_denial_call(x86_64, sk_syscall_nr(x86_64, "clone"), args, buf, 12);
	assert_string_equal(buf, "clone(flags");
	sk_denial_arch(SCMP_ARCH_X86_64, buf, sizeof(buf));
	assert_string_equal(buf, "x86_64");
	sk_denial_arch(SCMP_ARCH_X32, buf, sizeof(buf));
	assert_string_equal(buf, "x32");
}

static const char *const profile =
	"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": ["
	"{\"names\": [\"openat\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2, \"value\": 1603, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
	"{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},"
	"{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\"},"
	"{\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}";

static void reason(const struct sk_profile *p, bool covered, uint32_t arch,
		   const char *name, uint64_t a0, uint64_t a1, uint64_t a2,
		   const char *want)
{
	struct sk_filter_opts o = { 0 }; /* no capability */
	uint64_t args[6] = { a0, a1, a2 };
	char buf[512];

	sk_denial_reason(p, &o, covered, arch, sk_syscall_nr(arch, name), args, buf, sizeof(buf));
	th_assert_msg(buf, want);
}

static void test_reason(void **state)
{
	struct sk_profile *p = th_profile(profile, "allow.json");
	uint32_t a = SCMP_ARCH_X86_64;

	(void)state;
	reason(p, true, a, "readlink", 0, 0, 0, "not in allow.json");
	/* A rule whose conditions do not hold: it came closest. */
	reason(p, true, a, "openat", 0, 0, O_WRONLY | O_CREAT, "allow.json syscalls[0] allows openat only when flags & 0x643 == O_RDONLY; here flags=O_WRONLY|O_CREAT");
	/* Of two, the one with more conditions holding; only the failing ones said. */
	reason(p, true, a, "socket", AF_INET, SOCK_RAW, 0, "allow.json syscalls[2] allows socket only when type == SOCK_DGRAM; here type=SOCK_RAW");
	reason(p, true, a, "socket", AF_INET6, SOCK_RAW, 0, "allow.json syscalls[1] allows socket only when domain == AF_UNIX and type == SOCK_STREAM; here domain=AF_INET6, type=SOCK_RAW");
	reason(p, true, a, "mount", 0, 0, 0, "allow.json syscalls[3] denies it (SCMP_ACT_ERRNO)");
	reason(p, true, a, "getpid", 0, 0, 0, "allow.json syscalls[4] logs it");
	/* A rule that does not apply here (no CAP_SYS_ADMIN) is not listed. */
	reason(p, true, a, "uname", 0, 0, 0, "not in allow.json");
	reason(p, false, SCMP_ARCH_X86, "uname", 0, 0, 0, "the architecture x86 is not in allow.json");
	sk_profile_free(p);
}

static void test_done(void **state)
{
	struct sk_verdict v = { .kind = SK_VERDICT_KILL_PROCESS };
	char buf[128];

	(void)state;
	sk_denial_done(&v, false, buf, sizeof(buf));
	assert_string_equal(buf, "process killed (kill-process)");
	sk_denial_done(&v, true, buf, sizeof(buf));
	assert_string_equal(buf, "process tree killed (kill-process)");
	v.kind = SK_VERDICT_KILL_THREAD;
	sk_denial_done(&v, false, buf, sizeof(buf));
	assert_string_equal(buf, "process killed (kill-thread)");
	v = (struct sk_verdict){ .kind = SK_VERDICT_ERRNO, .error = EACCES };
	sk_denial_done(&v, false, buf, sizeof(buf));
	assert_string_equal(buf, "failed with EACCES (errno)");
	v.error = 0;
	sk_denial_done(&v, false, buf, sizeof(buf));
	assert_string_equal(buf, "returned 0 without running (errno 0)");
	v.kind = SK_VERDICT_TRAP;
	sk_denial_done(&v, false, buf, sizeof(buf));
	assert_string_equal(buf, "SIGSYS sent (trap)");
	v.kind = SK_VERDICT_CONTINUE;
	sk_denial_done(&v, false, buf, sizeof(buf));
	assert_string_equal(buf, "continued (log)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argnames_table),
		cmocka_unit_test(test_call),
		cmocka_unit_test(test_reason),
		cmocka_unit_test(test_done),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
