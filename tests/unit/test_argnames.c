/* SPDX-License-Identifier: MIT */
/*
 * Argument values by name (argnames.c, sk_arg_decode in argknow.h), as
 * scmp-gen --explain and the generated comments print them: each spelling
 * style (one name, flags joined by |, a list, socket types, open flags,
 * clone flags with the exit signal, futex ops, personas, PROT_NONE),
 * leftover bits in hex, values no table knows, truncation.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <linux/futex.h>

#include "../../lib/argknow.h"

static void expect_decode(const char *sys, unsigned idx, uint64_t v,
			  int want_ret, const char *want)
{
	char buf[256];
	int ret = sk_arg_decode(sys, idx, v, buf, sizeof(buf));

	if (ret != want_ret || strcmp(buf, want))
		fail_msg("%s arg%u %#llx: got %d \"%s\", want %d \"%s\"", sys, idx,
			 (unsigned long long)v, ret, buf, want_ret, want);
}

static void test_decode(void **state)
{
	(void)state;
	expect_decode("socket", 0, AF_INET, 0, "AF_INET");
	expect_decode("socket", 1, SOCK_STREAM | SOCK_CLOEXEC, 0, "SOCK_STREAM|SOCK_CLOEXEC");
	expect_decode("ioctl", 1, 0x5401, 0, "TCGETS");
	expect_decode("ioctl", 1, 0x5413, 0, "TIOCGWINSZ");
	expect_decode("fcntl", 1, F_SETFD, 0, "F_SETFD");
	expect_decode("openat", 2, O_WRONLY | O_CREAT | O_TRUNC, 0, "O_WRONLY|O_CREAT|O_TRUNC");
	expect_decode("openat", 2, 0, 0, "O_RDONLY");
	expect_decode("clone", 0, CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD, 0,
		      "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	expect_decode("unshare", 0, CLONE_NEWUSER | CLONE_NEWNS, 0, "CLONE_NEWNS|CLONE_NEWUSER");
	expect_decode("mprotect", 2, 5, 0, "PROT_READ|PROT_EXEC");
	expect_decode("mmap", 2, 0, 0, "PROT_NONE");
	expect_decode("futex", 1, 0x80, 0, "FUTEX_WAIT|FUTEX_PRIVATE_FLAG");
	expect_decode("tgkill", 2, SIGABRT, 0, "SIGABRT");
	expect_decode("prctl", 0, 38, 0, "PR_SET_NO_NEW_PRIVS");
	expect_decode("arch_prctl", 0, 0x1002, 0, "ARCH_SET_FS");
	expect_decode("madvise", 2, 4, 0, "MADV_DONTNEED");
	expect_decode("seccomp", 0, 1, 0, "SECCOMP_SET_MODE_FILTER");
	expect_decode("personality", 0, 0xffffffff, 0, "0xffffffff (query)");
	expect_decode("socketcall", 0, 1, 0, "SYS_SOCKET");
	expect_decode("ioctl", 1, 0x12345678, -ENOENT, "0x12345678");
	expect_decode("read", 0, 3, -ENOENT, "0x3");
}

/* Each spelling style beyond its first name: leftover bits, zero, values
 * a table does not know. */
static void test_decode_styles(void **state)
{
	(void)state;
	/* FLAGS: names then the rest in hex; zero is "0"; no name at all is
	 * unknown. */
	expect_decode("unshare", 0, CLONE_NEWNS | 0x1, 0, "CLONE_NEWNS|0x1");
	expect_decode("unshare", 0, 0, 0, "0");
	expect_decode("unshare", 0, 0x1, -ENOENT, "0x1");
	expect_decode("setns", 1, CLONE_NEWNET, 0, "CLONE_NEWNET");
	/* PROT */
	expect_decode("mprotect", 2, PROT_READ | 0x10, 0, "PROT_READ|0x10");
	expect_decode("mprotect", 2, 0x8, -ENOENT, "0x8");
	/* SOCKTYPE: the type in the low bits, SOCK_* flags and the rest above. */
	expect_decode("socket", 1, SOCK_DGRAM | SOCK_NONBLOCK, 0, "SOCK_DGRAM|SOCK_NONBLOCK");
	expect_decode("socket", 1, SOCK_STREAM | 0x100, 0, "SOCK_STREAM|0x100");
	expect_decode("socket", 1, 15, -ENOENT, "0xf");
	expect_decode("socketpair", 1, SOCK_SEQPACKET, 0, "SOCK_SEQPACKET");
	/* OPENFLAGS: the access mode always, flags after it. */
	expect_decode("openat", 2, O_RDWR | O_CLOEXEC, 0, "O_RDWR|O_CLOEXEC");
	expect_decode("openat", 2, O_ACCMODE, 0, "O_ACCMODE");
	expect_decode("open", 1, O_WRONLY | O_APPEND, 0, "O_WRONLY|O_APPEND");
	/* CLONEFLAGS: the exit signal in the low byte, by name or in hex. */
	expect_decode("clone", 0, 0, 0, "0");
	expect_decode("clone", 0, SIGCHLD, 0, "SIGCHLD");
	expect_decode("clone", 0, CLONE_VM | 0x7f, 0, "CLONE_VM|0x7f");
	expect_decode("clone", 0, UINT64_C(0x100000000), -ENOENT, "0x100000000");
	/* FUTEXOP */
	expect_decode("futex", 1, FUTEX_WAKE | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 0,
		      "FUTEX_WAKE|FUTEX_PRIVATE_FLAG|FUTEX_CLOCK_REALTIME");
	expect_decode("futex", 1, 14, -ENOENT, "0xe");
	/* PERSONA: a whole value first, else the persona and flags. */
	expect_decode("personality", 0, 0, 0, "PER_LINUX");
	expect_decode("personality", 0, 0x0008 | 0x0040000, 0, "PER_LINUX32|ADDR_NO_RANDOMIZE");
	expect_decode("personality", 0, 0x1234, -ENOENT, "0x1234");
	/* LIST: by index; a hole or past the end is unknown. */
	expect_decode("bpf", 0, 5, 0, "BPF_PROG_LOAD");
	expect_decode("bpf", 0, 100, -ENOENT, "0x64");
	expect_decode("keyctl", 0, 0, 0, "KEYCTL_GET_KEYRING_ID");
	expect_decode("socketcall", 0, 20, 0, "SYS_SENDMMSG");
	expect_decode("socketcall", 0, 21, -ENOENT, "0x15");
	expect_decode("socketcall", 0, 0, -ENOENT, "0");
	/* ENUM, the other tables. */
	expect_decode("fcntl64", 1, F_GETFL, 0, "F_GETFL");
	expect_decode("kill", 1, 0, 0, "0 (existence check)");
	expect_decode("tkill", 1, SIGKILL, 0, "SIGKILL");
	expect_decode("getsockopt", 1, SOL_SOCKET, 0, "SOL_SOCKET");
	expect_decode("madvise", 2, 102, 0, "MADV_GUARD_INSTALL");
	expect_decode("seccomp", 0, 3, 0, "SECCOMP_GET_NOTIF_SIZES");
	expect_decode("ptrace", 0, 0x4206, 0, "PTRACE_SEIZE");
	/* A position without a decoder, though the call has others. */
	expect_decode("socket", 3, 1, -ENOENT, "0x1");
}

/* buf is always a string cut at len; no room at all is -EINVAL. */
static void test_decode_truncated(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(sk_arg_decode("socket", 0, AF_INET, buf, 4), 0);
	assert_string_equal(buf, "AF_");
	assert_int_equal(sk_arg_decode("read", 0, 0x12345, buf, 4), -ENOENT);
	assert_string_equal(buf, "0x1");
	assert_int_equal(sk_arg_decode("socket", 1, SOCK_STREAM | SOCK_CLOEXEC, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "SOCK_ST");
	buf[0] = 'X';
	assert_int_equal(sk_arg_decode("socket", 0, AF_INET, buf, 0), -EINVAL);
	assert_int_equal(buf[0], 'X');
}

/* Every syscall in the knowledge table has a decoder for each position
 * (but getsockopt/setsockopt optnames, which depend on the level). */
static void test_decode_covers_table(void **state)
{
	unsigned n;
	const struct sk_argspec *t = sk_argspec_table(&n);

	(void)state;
	for (unsigned i = 0; i < n; i++) {
		for (unsigned k = 0; k < t[i].n; k++) {
			char buf[64];
			bool ok = false;

			if (strstr(t[i].name, "sockopt") && k == 1)
				continue;
			/* Some value in 0..0x5500 has a name. */
			for (uint64_t v = 0; v < 0x5500 && !ok; v++)
				ok = !sk_arg_decode(t[i].name, t[i].pos[k].index, v, buf, sizeof(buf));
			if (!ok)
				fail_msg("%s arg%u: no names", t[i].name, t[i].pos[k].index);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_styles),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_decode_covers_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
