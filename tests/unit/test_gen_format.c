/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's other formats (gen_format.h): the systemd drop-in, the
 * minijail policy and the C file, from a profile given as JSON (exact text)
 * and from a generated one; strings from input never leave their comment
 * or string.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/gen_run.h"
#include "scmpkit/profile.h"
#include "helpers.h"
#include "../../lib/render.h"

/*
 * One rule of each kind the formats treat apart: names only, a name in two
 * rules with arguments, every operator minijail can and cannot say, a
 * masked compare with few free bits, two arguments, an errno rule, a kill
 * rule, a denial of one form of a call (socketcall), a call nobody made, a
 * trace and a kill-thread action.
 */
static const char mixed[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
	" \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"syscalls\": ["
	"{\"names\": [\"write\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 21505, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 21523, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_NE\"}]},"
	"{\"names\": [\"openat\"], \"action\": \"SCMP_ACT_LOG\", \"args\": [{\"index\": 2, \"value\": 579, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
	"{\"names\": [\"mmap\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2, \"value\": 4294967295, \"valueTwo\": 3, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
	"{\"names\": [\"mprotect\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2, \"value\": 4294967292, \"valueTwo\": 4, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
	"{\"names\": [\"lseek\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2, \"value\": 3, \"op\": \"SCMP_CMP_LT\"}]},"
	"{\"names\": [\"fcntl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 3, \"op\": \"SCMP_CMP_EQ\"},"
	" {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"dup\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"dup\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
	"{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},"
	"{\"names\": [\"socketcall\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1, \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"io_uring_setup\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38, \"comment\": \"not observed: nobody called it\"},"
	"{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_TRACE\"},"
	"{\"names\": [\"gettid\"], \"action\": \"SCMP_ACT_KILL\"}]}";

/* Runs fmt on the profile json and compares the whole text with want.
 * Rules commented "not observed" are marked as the generator marks its
 * io_uring denials (a profile read from a file has no origin). */
typedef int render_fn(const struct sk_profile *, const char *, char **,
		      struct sk_err *);

static void expect_text(render_fn *fmt, const char *json, const char *want)
{
	struct sk_profile *p = th_profile(json, "p.json");
	struct sk_err err = { "" };
	char *text = NULL;

	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].comment &&
		    !strncmp(p->rules[i].comment, "not observed", 12))
			p->rules[i].origin = SK_ORIGIN_IO_URING;
	if (fmt(p, "hdr", &text, &err))
		fail_msg("%s", err.msg);
	if (strcmp(text, want))
		fail_msg("text\n--- got:\n%s--- want:\n%s", text, want);
	free(text);
	sk_profile_free(p);
}

/* Names only, sorted and unique; argument rules widened, whole-call errno
 * rules allowed, kill rules, denials of some arguments and calls nobody
 * made left out; the logged call on SystemCallLog=; every note said. */
static void test_systemd(void **state)
{
	(void)state;
	expect_text(sk_gen_systemd, mixed,
		    "# hdr\n"
		    "# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n"
		    "# systemd adds its @default set to an allow-list (execve, exit, rt_sigreturn,\n"
		    "# time and sleep calls: systemd-analyze syscall-filter @default).\n"
		    "# systemd compares names only: the OCI profile's argument rules are\n"
		    "# widened here to the whole call.\n"
		    "# Calls the OCI profile answers with an errno (clone3 -> ENOSYS, ...) are\n"
		    "# allowed here: a systemd allow-list cannot return an errno for one call.\n"
		    "# Calls the OCI profile logs are logged here whatever their arguments\n"
		    "# (SystemCallLog=, systemd 247 and later).\n"
		    "[Service]\n"
		    "SystemCallArchitectures=x86-64 x86\n"
		    "SystemCallErrorNumber=ENOSYS\n"
		    "SystemCallFilter=clone3 dup fcntl ioctl kill lseek mmap mprotect openat read\n"
		    "SystemCallFilter=write\n"
		    "SystemCallLog=openat\n");
	/* A kill-process default needs no line; no notes without their cause. */
	expect_text(sk_gen_systemd,
		    "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"],"
		    " \"syscalls\": [{\"names\": [\"read\", \"exit_group\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		    "# hdr\n"
		    "# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n"
		    "# systemd adds its @default set to an allow-list (execve, exit, rt_sigreturn,\n"
		    "# time and sleep calls: systemd-analyze syscall-filter @default).\n"
		    "[Service]\n"
		    "SystemCallArchitectures=arm64 arm\n"
		    "SystemCallFilter=exit_group read\n");
	/* No arches: the OCI profile covers the native one only, as
	 * "native" says; an empty SystemCallArchitectures= would reset the
	 * setting and let every arch through. */
	expect_text(sk_gen_systemd,
		    "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\","
		    " \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		    "# hdr\n"
		    "# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n"
		    "# systemd adds its @default set to an allow-list (execve, exit, rt_sigreturn,\n"
		    "# time and sleep calls: systemd-analyze syscall-filter @default).\n"
		    "[Service]\n"
		    "SystemCallArchitectures=native\n"
		    "SystemCallFilter=read\n");
}

/*
 * defaultAction log: nothing filtered but the whole-call denials, each with
 * its errno (kill where systemd has no other action); SystemCallLog=~ lists
 * the calls allowed whole, so every other call is logged: those the
 * profile logs, those it allows with some arguments only, those it never
 * names.  With allow, the denials only.
 */
static void test_systemd_log(void **state)
{
	static const char log_notes[] =
		"# hdr\n"
		"# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n"
		"# defaultAction SCMP_ACT_LOG: calls outside the profile run and are logged:\n"
		"# SystemCallLog=~ (systemd 247 and later) logs every call but the ones\n"
		"# listed, which the profile allows; only its denials (SystemCallFilter=~)\n"
		"# are enforced.\n";
	static const char errno38[] = "\"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,";
	const char *at = strstr(mixed, errno38);
	char *json = NULL, *want = NULL;

	(void)state;
	assert_non_null(at);
	assert_true(asprintf(&json, "%.*s\"SCMP_ACT_LOG\",%s", (int)(at - mixed), mixed,
			     at + strlen(errno38)) > 0);
	expect_text(sk_gen_systemd, json,
		    "# hdr\n"
		    "# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n"
		    "# defaultAction SCMP_ACT_LOG: calls outside the profile run and are logged:\n"
		    "# SystemCallLog=~ (systemd 247 and later) logs every call but the ones\n"
		    "# listed, which the profile allows; only its denials (SystemCallFilter=~)\n"
		    "# are enforced.\n"
		    "# Calls the OCI profile allows with some arguments only are logged\n"
		    "# whatever their arguments: systemd compares names only.\n"
		    "# Denials of some arguments only are left out: systemd compares names\n"
		    "# only, so those calls run and are logged.\n"
		    "# Denials with an action systemd cannot take (trap, trace, notify) kill here.\n"
		    "[Service]\n"
		    "SystemCallArchitectures=x86-64 x86\n"
		    "SystemCallFilter=~clone3:ENOSYS getpid gettid io_uring_setup:ENOSYS ptrace\n"
		    "SystemCallLog=~dup read write\n");
	free(json);
	/* Only calls allowed whole: no SystemCallFilter= line. */
	assert_true(asprintf(&want, "%s[Service]\nSystemCallArchitectures=x86-64\n"
			     "SystemCallLog=~exit_group read\n", log_notes) > 0);
	expect_text(sk_gen_systemd,
		    "{\"defaultAction\": \"SCMP_ACT_LOG\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		    " \"syscalls\": [{\"names\": [\"read\", \"exit_group\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		    want);
	free(want);
	/* Nothing allowed silently: every call is logged. */
	assert_true(asprintf(&want, "%s[Service]\nSystemCallArchitectures=x86-64\n"
			     "SystemCallLog=@known\n", log_notes) > 0);
	expect_text(sk_gen_systemd,
		    "{\"defaultAction\": \"SCMP_ACT_LOG\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		    " \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_LOG\"}]}",
		    want);
	free(want);
	/* allow: the denials, nothing logged. */
	expect_text(sk_gen_systemd,
		    "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		    " \"syscalls\": [{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\"},"
		    " {\"names\": [\"kexec_load\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"}]}",
		    "# hdr\n"
		    "# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n"
		    "# defaultAction SCMP_ACT_ALLOW: only the profile's denials\n"
		    "# (SystemCallFilter=~) are enforced.\n"
		    "[Service]\n"
		    "SystemCallArchitectures=x86-64\n"
		    "SystemCallFilter=~kexec_load ptrace:EPERM\n");
}

/* The default action as systemd can say it, or a note that it cannot. */
static void test_systemd_defaults(void **state)
{
	static const char *const cases[][2] = {
		{ "\"SCMP_ACT_ERRNO\"", "SystemCallErrorNumber=EPERM\n" },
		{ "\"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 13", "SystemCallErrorNumber=EACCES\n" },
		{ "\"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4000", "SystemCallErrorNumber=4000\n" },
		{ "\"SCMP_ACT_KILL_THREAD\"", "# defaultAction SCMP_ACT_KILL_THREAD has no systemd equivalent: calls outside the list kill the process\n" },
		{ "\"SCMP_ACT_TRAP\"", "# defaultAction SCMP_ACT_TRAP has no systemd equivalent: calls outside the list kill the process\n" },
		{ "\"SCMP_ACT_KILL_PROCESS\"", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *json = NULL, *want = NULL;

		assert_true(asprintf(&json, "{\"defaultAction\": %s, \"architectures\": [\"SCMP_ARCH_X86_64\"],"
				     " \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
				     cases[i][0]) > 0);
		assert_true(asprintf(&want, "# hdr\n"
				     "# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n"
				     "# systemd adds its @default set to an allow-list (execve, exit, rt_sigreturn,\n"
				     "# time and sleep calls: systemd-analyze syscall-filter @default).\n"
				     "[Service]\nSystemCallArchitectures=x86-64\n%sSystemCallFilter=read\n",
				     cases[i][1]) > 0);
		expect_text(sk_gen_systemd, json, want);
		free(json);
		free(want);
	}
}

/* SystemCallFilter= lines stay within 78 columns and lose no name. */
static void test_systemd_wrapped(void **state)
{
	static const char *const names[] = {
		"accept4", "bind", "clock_nanosleep", "connect", "epoll_create1",
		"epoll_ctl", "epoll_pwait", "eventfd2", "fadvise64", "fallocate",
		"getdents64", "getrandom", "getsockname", "inotify_add_watch",
		"inotify_init1", "io_uring_enter", "listen", "membarrier",
		"name_to_handle_at", "newfstatat", "pidfd_send_signal",
		"process_vm_readv", "recvmmsg", "rt_sigtimedwait", "sched_getaffinity",
		"set_robust_list", "setsockopt", "statx", "timerfd_settime",
	};
	size_t n = sizeof(names) / sizeof(names[0]), len = 0, found = 0, lines = 0;
	char *json = NULL, *sd;
	FILE *f = open_memstream(&json, &len);
	struct sk_profile *p;

	(void)state;
	assert_non_null(f);
	fputs("{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
	      " \"syscalls\": [{\"action\": \"SCMP_ACT_ALLOW\", \"names\": [", f);
	/* Backwards and each twice: the output sorts and keeps one. */
	for (size_t i = 0; i < 2 * n; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", names[n - 1 - i % n]);
	fputs("]}]}", f);
	assert_int_equal(fclose(f), 0);
	p = th_profile(json, "p.json");
	assert_int_equal(sk_gen_systemd(p, "hdr", &sd, NULL), 0);
	for (char *l = strstr(sd, "SystemCallFilter="); l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t w = strcspn(l, "\n");

		if (!w)
			break;
		if (strncmp(l, "SystemCallFilter=", 17) || w > 78)
			fail_msg("line %zu: %.*s", lines, (int)w, l);
		lines++;
		for (const char *s = l + 17; s < l + w; s += strcspn(s, " \n"), s += *s == ' ') {
			size_t k = strcspn(s, " \n");

			if (found >= n || k != strlen(names[found]) || strncmp(s, names[found], k))
				fail_msg("name %zu: want %s, got %.*s", found,
					 found < n ? names[found] : "none", (int)k, s);
			found++;
		}
	}
	assert_int_equal(found, n);
	assert_true(lines >= 5);
	free(sd);
	free(json);
	sk_profile_free(p);
}

/* One line a name, first rule first; every operator minijail can say, the
 * rest allowed whole; values by the names minijail knows (this host is one
 * of the profile's arches), errno rules return by name, the socketcall
 * denial is left out (minijail multiplexes nothing). */
static void test_minijail(void **state)
{
	(void)state;
	if (seccomp_arch_native() != SCMP_ARCH_X86_64 &&
	    seccomp_arch_native() != SCMP_ARCH_X86)
		skip(); /* the profile's arches, whose values this host names */
	expect_text(sk_gen_minijail, mixed,
		    "# hdr\n"
		    "# minijail0 -S FILE; a policy is for one arch, this one for: SCMP_ARCH_X86_64 SCMP_ARCH_X86\n"
		    "# defaultAction errno: run minijail0 with --seccomp-default-ret or -Y as needed\n"
		    "write: 1\n"
		    "read: 1\n"
		    "ioctl: arg1 == TCGETS || arg1 == TIOCGWINSZ\n"
		    "kill: arg1 != SIGKILL\n"
		    "openat: arg2 in 0xfffffdbc\n"
		    "mmap: arg2 == PROT_READ|PROT_WRITE\n"
		    "mprotect: arg2 == PROT_EXEC || arg2 == PROT_READ|PROT_EXEC || arg2 == PROT_WRITE|PROT_EXEC || arg2 == PROT_READ|PROT_WRITE|PROT_EXEC\n"
		    "lseek: 1\n"
		    "fcntl: arg0 == 0x3 && arg1 == F_GETFD\n"
		    "dup: arg0 == 0x1 || 1\n"
		    "clone3: return ENOSYS\n"
		    "io_uring_setup: return ENOSYS\n");
}

/* The first rule of a name decides; a masked compare with too many free
 * bits is allowed whole; a 64-bit mask keeps its upper word; values in hex
 * where this host is not one of the profile's arches (its headers could
 * name them wrong) or minijail does not know the name (futex ops, from
 * linux/futex.h, which minijail's table does not read). */
static void test_minijail_values(void **state)
{
	char *json = NULL, *want = NULL;
	const char *other = seccomp_arch_native() == SCMP_ARCH_S390X ?
			    "SCMP_ARCH_AARCH64" : "SCMP_ARCH_S390X";

	(void)state;
	assert_true(asprintf(&json,
			     "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"%s\"], \"syscalls\": ["
			     "{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ERRNO\"},"
			     "{\"names\": [\"bpf\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			     "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 4294901760, \"valueTwo\": 65536, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
			     "{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1099511627776, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
			     "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
			     "{\"names\": [\"futex\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 128, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			     other) > 0);
	assert_true(asprintf(&want,
			     "# hdr\n"
			     "# minijail0 -S FILE; a policy is for one arch, this one for: %s\n"
			     "bpf: return EPERM\n"
			     "read: 1\n"
			     "ioctl: 1\n"
			     "clone: arg0 in 0xfffffeffffffffff\n"
			     "socket: arg0 == 0x1\n"
			     "futex: arg1 == 0x80\n", other) > 0);
	expect_text(sk_gen_minijail, json, want);
	free(json);
	free(want);
	/* On this host's arch: socket's domain by name, futex's op not. */
	assert_true(asprintf(&json,
			     "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"%s\"], \"syscalls\": ["
			     "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": %d, \"op\": \"SCMP_CMP_EQ\"},"
			     " {\"index\": 1, \"value\": %d, \"op\": \"SCMP_CMP_EQ\"}]},"
			     "{\"names\": [\"futex\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 128, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			     sk_arch_name(seccomp_arch_native()), AF_UNIX,
			     SOCK_STREAM | SOCK_CLOEXEC) > 0);
	assert_true(asprintf(&want,
			     "# hdr\n"
			     "# minijail0 -S FILE; a policy is for one arch, this one for: %s\n"
			     "socket: arg0 == AF_UNIX && arg1 == SOCK_STREAM|SOCK_CLOEXEC\n"
			     "futex: arg1 == 0x80\n", sk_arch_name(seccomp_arch_native())) > 0);
	expect_text(sk_gen_minijail, json, want);
	free(json);
	free(want);
}

/* The names minijail knows: sorted and unique (a binary search reads
 * them). */
static void test_minijail_names_table(void **state)
{
	size_t n;
	const char *const *names = sk_minijail_names(&n);

	(void)state;
	assert_true(n > 100);
	for (size_t i = 1; i < n; i++)
		if (strcmp(names[i - 1], names[i]) >= 0)
			fail_msg("not sorted or not unique: %s, %s", names[i - 1], names[i]);
	for (size_t i = 0; i < n; i++)
		assert_true(sk_minijail_knows(names[i]));
	assert_false(sk_minijail_knows("FUTEX_WAIT"));
	assert_false(sk_minijail_knows("O_PATH"));   /* _GNU_SOURCE only */
	assert_false(sk_minijail_knows("MADV_COLLAPSE")); /* Linux 6.1 */
	assert_false(sk_minijail_knows(""));
}

/* The text between start and the next "\n\n" of c, or fail. */
static char *section(const char *c, const char *start)
{
	const char *at = strstr(c, start), *end;

	if (!at)
		fail_msg("no %s in\n%s", start, c);
	end = strstr(at, "\n\n");
	return strndup(at, end ? (size_t)(end - at) : strlen(at));
}

static char *render_ok(render_fn *fmt, const struct sk_profile *p)
{
	struct sk_err err = { "" };
	char *text = NULL;

	if (fmt(p, "hdr", &text, &err))
		fail_msg("%s", err.msg);
	return text;
}

/*
 * The C file: filter.c's plan as tables, the default action, the
 * attributes, then per native arch the arches and one row per libseccomp
 * call with its priority; a rule whose action is the default one is
 * skipped (clone3, io_uring_setup), as scmp-apply skips it; both arches
 * share the table.
 */
static void test_c(void **state)
{
	struct sk_profile *p = th_profile(mixed, "p.json");
	char *c = render_ok(sk_gen_c, p), *rules;
	static const char *const want[] = {
		"/* hdr\n *\n * The libseccomp filter scmp-apply builds from the OCI profile this came\n",
		"\n#define SCMPKIT_DEFAULT_ACTION SCMP_ACT_ERRNO(38)\n",
		"\nstatic const struct scmpkit_attr scmpkit_attrs[] = {\n"
		"\t{ SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS, 0 },\n"
		"\t{ SCMP_FLTATR_CTL_OPTIMIZE, 2, 1 },\n};\n",
		"\n/* For native SCMP_ARCH_X86_64, SCMP_ARCH_X86 */\n"
		"static const uint32_t scmpkit_arches_0[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86 };\n",
		"\nstatic const struct scmpkit_filter scmpkit_filters[] = {\n"
		"\t{ SCMP_ARCH_X86_64, scmpkit_arches_0, 2, scmpkit_rules_0, 16 },\n"
		"\t{ SCMP_ARCH_X86, scmpkit_arches_0, 2, scmpkit_rules_0, 16 },\n};\n",
		"\nint scmpkit_harden(void)\n{\n",
		"\n#ifdef SCMPKIT_MAIN\n",
	};

	(void)state;
	assert_int_equal(strncmp(c, want[0], strlen(want[0])), 0);
	for (size_t i = 1; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(c, want[i]))
			fail_msg("no\n%s\nin\n%s", want[i], c);
	rules = section(c, "static const struct scmpkit_rule scmpkit_rules_0[] = {\n");
	assert_string_equal(rules,
		"static const struct scmpkit_rule scmpkit_rules_0[] = {\n"
		"\t{ \"write\", SCMP_ACT_ALLOW, 255, 0, { { 0 } } },\n"
		"\t{ \"read\", SCMP_ACT_ALLOW, 242, 0, { { 0 } } },\n"
		"\t{ \"ioctl\", SCMP_ACT_ALLOW, 229, 1, { { 1, SCMP_CMP_EQ, 0x5401ULL, 0ULL } } },\n"
		"\t{ \"ioctl\", SCMP_ACT_ALLOW, -1, 1, { { 1, SCMP_CMP_EQ, 0x5413ULL, 0ULL } } },\n"
		"\t{ \"kill\", SCMP_ACT_ALLOW, 215, 1, { { 1, SCMP_CMP_NE, 0x9ULL, 0ULL } } },\n"
		"\t{ \"openat\", SCMP_ACT_LOG, 202, 1, { { 2, SCMP_CMP_MASKED_EQ, 0x243ULL, 0ULL } } },\n"
		"\t{ \"mmap\", SCMP_ACT_ALLOW, 188, 1, { { 2, SCMP_CMP_MASKED_EQ, 0xffffffffULL, 0x3ULL } } },\n"
		"\t{ \"mprotect\", SCMP_ACT_ALLOW, 175, 1, { { 2, SCMP_CMP_MASKED_EQ, 0xfffffffcULL, 0x4ULL } } },\n"
		"\t{ \"lseek\", SCMP_ACT_ALLOW, 161, 1, { { 2, SCMP_CMP_LT, 0x3ULL, 0ULL } } },\n"
		"\t{ \"fcntl\", SCMP_ACT_ALLOW, 148, 2, { { 0, SCMP_CMP_EQ, 0x3ULL, 0ULL }, { 1, SCMP_CMP_EQ, 0x1ULL, 0ULL } } },\n"
		"\t{ \"dup\", SCMP_ACT_ALLOW, 134, 1, { { 0, SCMP_CMP_EQ, 0x1ULL, 0ULL } } },\n"
		"\t{ \"dup\", SCMP_ACT_ALLOW, -1, 0, { { 0 } } },\n"
		"\t{ \"ptrace\", SCMP_ACT_KILL_PROCESS, 121, 0, { { 0 } } },\n"
		"\t{ \"socketcall\", SCMP_ACT_ERRNO(1), 107, 1, { { 0, SCMP_CMP_EQ, 0x1ULL, 0ULL } } },\n"
		"\t{ \"getpid\", SCMP_ACT_TRACE(1), 94, 0, { { 0 } } },\n"
		"\t{ \"gettid\", SCMP_ACT_KILL_THREAD, 80, 0, { { 0 } } },\n"
		"};");
	free(rules);
	free(c);
	sk_profile_free(p);

	/* An ERRNO default without an errno is EPERM, as runc has it; the
	 * profile's flags are attributes, log last; a rule comparing one
	 * argument twice is one call per comparison (as runc), the priority
	 * after the last; a comment opens its rule's rows. */
	p = th_profile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		       " \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_TSYNC\"], \"syscalls\": ["
		       "{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"signals */ x\", \"args\": ["
		       "{\"index\": 1, \"value\": 10, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 12, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		       "p.json");
	c = render_ok(sk_gen_c, p);
	assert_non_null(strstr(c, "\n#define SCMPKIT_DEFAULT_ACTION SCMP_ACT_ERRNO(1)\n"));
	assert_non_null(strstr(c, "\t{ SCMP_FLTATR_CTL_OPTIMIZE, 2, 1 },\n"
				  "\t{ SCMP_FLTATR_CTL_TSYNC, 1, 0 },\n"
				  "\t{ SCMP_FLTATR_CTL_LOG, 1, 0 },\n};\n"));
	assert_non_null(strstr(c, "\t/* signals *\\/ x */\n"
				  "\t{ \"kill\", SCMP_ACT_ALLOW, -1, 1, { { 1, SCMP_CMP_EQ, 0xaULL, 0ULL } } },\n"
				  "\t{ \"kill\", SCMP_ACT_ALLOW, 255, 1, { { 1, SCMP_CMP_EQ, 0xcULL, 0ULL } } },\n};\n"));
	free(c);
	sk_profile_free(p);

	/* No arches: the native one only, the arch this runs on; no rules. */
	p = th_profile("{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\"}", "p.json");
	c = render_ok(sk_gen_c, p);
	assert_non_null(strstr(c, "ENOEXEC (the profile lists no\n * arch: the tables are for the one scmp-gen ran on).\n"));
	{
		char *line = NULL;

		assert_true(asprintf(&line, "\t{ %s, scmpkit_arches_0, 1, NULL, 0 },\n",
				     sk_arch_name(seccomp_arch_native())) > 0);
		assert_non_null(strstr(c, line));
		free(line);
	}
	assert_null(strstr(c, "scmpkit_rules_0"));
	free(c);
	sk_profile_free(p);
}

/*
 * A profile made from two hosts' traces: a call seen on one host only is
 * allowed there only (includes.arches).  The C file has a table for each
 * native arch, the call in its host's only; systemd and minijail cannot
 * depend on the host and refuse, naming the rule; a capability or kernel
 * condition the C file cannot check either.
 */
static const char hosts[] =
	"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\","
	" \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_AARCH64\"], \"syscalls\": ["
	"{\"names\": [\"read\", \"exit_group\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"{\"names\": [\"getdents64\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\"]}},"
	"{\"names\": [\"renameat2\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"arm64\"]}}]}";

static void expect_refused(render_fn *fmt, const char *json, const char *want)
{
	struct sk_profile *p = th_profile(json, "p.json");
	struct sk_err err = { "" };
	char *text = NULL;

	assert_int_equal(fmt(p, "hdr", &text, &err), -EINVAL);
	assert_null(text);
	if (strcmp(err.msg, want))
		fail_msg("message\n got: %s\nwant: %s", err.msg, want);
	sk_profile_free(p);
}

static void test_hosts(void **state)
{
	struct sk_profile *p = th_profile(hosts, "p.json");
	char *c = render_ok(sk_gen_c, p), *amd, *arm;

	(void)state;
	amd = section(c, "/* For native SCMP_ARCH_X86_64 */\n");
	arm = section(c, "/* For native SCMP_ARCH_AARCH64 */\n");
	assert_non_null(strstr(amd, "{ SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64 };\n"));
	assert_non_null(strstr(arm, "{ SCMP_ARCH_AARCH64, SCMP_ARCH_X86_64 };\n"));
	assert_non_null(strstr(amd, "\t{ \"getdents64\", SCMP_ACT_ALLOW,"));
	assert_null(strstr(amd, "renameat2"));
	assert_non_null(strstr(arm, "\t{ \"renameat2\", SCMP_ACT_ALLOW,"));
	assert_null(strstr(arm, "getdents64"));
	assert_non_null(strstr(c, "\t{ SCMP_ARCH_X86_64, scmpkit_arches_"));
	assert_non_null(strstr(c, "\t{ SCMP_ARCH_AARCH64, scmpkit_arches_"));
	free(amd);
	free(arm);
	free(c);
	sk_profile_free(p);

	expect_refused(sk_gen_systemd, hosts,
		       "p.json: syscalls[1] (\"getdents64\") applies on some hosts only (includes.arches: amd64); "
		       "a systemd drop-in is the same on every host: run scmp-gen -f systemd on the traces of one host arch at a time");
	expect_refused(sk_gen_minijail, hosts,
		       "p.json: syscalls[1] (\"getdents64\") applies on some hosts only (includes.arches: amd64); "
		       "a minijail policy is the same on every host: run scmp-gen -f minijail on the traces of one host arch at a time");
	expect_refused(sk_gen_systemd,
		       "{\"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": ["
		       "{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"x86\", \"arm\"]}}]}",
		       "p.json: syscalls[0] (\"read\", ...) applies on some hosts only (excludes.arches: x86 arm); "
		       "a systemd drop-in is the same on every host: run scmp-gen -f systemd on the traces of one host arch at a time");
	expect_refused(sk_gen_minijail,
		       "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": ["
		       "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		       "{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"5.8\"}}]}",
		       "p.json: syscalls[1] (\"bpf\") applies on some hosts only (includes.minKernel: 5.8); "
		       "a minijail policy is the same on every host: run scmp-gen -f minijail on the traces of one host arch at a time");
	expect_refused(sk_gen_c,
		       "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": ["
		       "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}",
		       "p.json: syscalls[0] (\"mount\") applies on some hosts only (includes.caps: CAP_SYS_ADMIN); "
		       "scmp-apply checks capabilities and the kernel version on the host when it loads the profile, which the C file's tables cannot");
	expect_refused(sk_gen_c,
		       "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": ["
		       "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\"]}, \"excludes\": {\"minKernel\": \"6.0\"}}]}",
		       "p.json: syscalls[0] (\"read\") applies on some hosts only (excludes.minKernel: 6.0); "
		       "scmp-apply checks capabilities and the kernel version on the host when it loads the profile, which the C file's tables cannot");
}

/* The formats of a generated profile (was part of test_deterministic in
 * test_gen.c): what a trace of ioctl, read, write, close, execve gives. */
static void test_from_generated(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "ioctl", 3, ", \"argidx\": [1], \"args\": [[21505], [21523]]"),
		th_entry("SCMP_ARCH_X86_64", "read", 100, ""),
		th_entry("SCMP_ARCH_X86_64", "write", 7, ""),
		th_entry("SCMP_ARCH_X86_64", "close", 7, ""),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	char *c, *sd, *mj;
	struct sk_gen *g = th_gen_entries(e, 5);
	struct sk_gen_opts o;
	struct sk_profile *p;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(sk_gen_c(p, "test", &c, NULL), 0);
	assert_non_null(strstr(c, "int scmpkit_harden(void)"));
	assert_non_null(strstr(c, "#ifdef SCMPKIT_MAIN"));
	assert_int_equal(sk_gen_systemd(p, "test", &sd, NULL), 0);
	assert_non_null(strstr(sd, "SystemCallArchitectures=x86-64\n"));
	assert_non_null(strstr(sd, "SystemCallFilter="));
	assert_null(strstr(sd, "io_uring"));
	assert_int_equal(sk_gen_minijail(p, "test", &mj, NULL), 0);
	assert_non_null(strstr(mj, "\nread: 1\n"));
	/* By name where this host's headers give them (trace and host agree). */
	assert_true(strstr(mj, "\nioctl: arg1 == TCGETS || arg1 == TIOCGWINSZ\n") ||
		    strstr(mj, "\nioctl: arg1 == 0x5401 || arg1 == 0x5413\n"));
	assert_non_null(strstr(mj, "\nio_uring_setup: return ENOSYS\n"));
	free(c);
	free(sd);
	free(mj);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* The lines of text that start with prefix, counted. */
static size_t lines_starting(const char *text, const char *prefix)
{
	size_t n = 0;

	for (const char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		n += !strncmp(l, prefix, strlen(prefix));
	return n;
}

/*
 * Strings from input in text outputs (issue 13): a header naming a file
 * "x\n[Service]\nExecStartPre=...", an executable path with a newline and
 * an escape, a comment with "*" "/", a name with a quote never make a line
 * of their own, end a comment or a string.
 */
static void test_hostile_strings(void **state)
{
	static const char header[] =
		"generated by scmp-gen from x\n[Service]\nExecStartPre=touch INJ\n# */ \\";
	static const char trace[] =
		"{\"format\": \"scmpkit-trace\", \"version\": 1,"
		" \"executables\": [\"/bin/a\\nWARNING: fake\\u001b[2J*/\"], \"syscalls\": ["
		"{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"read\", \"nr\": 0, \"count\": 1, \"exe\": [0]}]}";
	const char *one[] = { trace };
	struct sk_gen *g = th_gen(one, 1);
	struct sk_profile *p;
	struct sk_gen_opts o;
	char *explain = NULL, *sd, *mj, *c, *name;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, &explain, NULL);
	assert_non_null(strstr(explain, "by /bin/a\\nWARNING: fake\\x1b[2J*/\n"));
	assert_int_equal(lines_starting(explain, "WARNING"), 0);
	/* As a name and a comment could be, in a profile built another way. */
	free(p->rules[0].comment);
	p->rules[0].comment = strdup("static: through f in /x*/ int evil; /*");
	name = p->rules[0].names[0];
	p->rules[0].names[0] = strdup("re\"ad");
	free(name);

	assert_int_equal(sk_gen_systemd(p, header, &sd, NULL), 0);
	assert_int_equal(lines_starting(sd, "ExecStartPre"), 0);
	assert_int_equal(lines_starting(sd, "[Service]"), 1);
	/* A "\" at the end would join the next line to the comment. */
	assert_non_null(strstr(sd, "# generated by scmp-gen from x\\n[Service]\\nExecStartPre=touch INJ\\n# */ \\\\\n"));
	assert_int_equal(sk_gen_minijail(p, header, &mj, NULL), 0);
	assert_int_equal(lines_starting(mj, "ExecStartPre"), 0);
	assert_non_null(strstr(mj, "\nre\"ad: 1\n"));
	/* The C file has the calls libseccomp knows only (scmp-apply skips the
	 * others in a rule that allows): the name goes, the comment stays. */
	assert_int_equal(sk_gen_c(p, header, &c, NULL), 0);
	assert_null(strstr(c, "ad\""));
	free(c);
	free(p->rules[0].names[0]);
	p->rules[0].names[0] = strdup("read");
	assert_int_equal(sk_gen_c(p, header, &c, NULL), 0);
	assert_non_null(strstr(c, "/* generated by scmp-gen from x\\n[Service]\\nExecStartPre=touch INJ\\n# *\\/ \\\\\n"));
	assert_non_null(strstr(c, "\t/* static: through f in /x*\\/ int evil; /* */\n\t{ \"read\","));
	free(c);
	free(mj);
	free(sd);
	free(explain);
	sk_profile_free(p);
	sk_gen_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_systemd),
		cmocka_unit_test(test_systemd_log),
		cmocka_unit_test(test_systemd_defaults),
		cmocka_unit_test(test_systemd_wrapped),
		cmocka_unit_test(test_minijail),
		cmocka_unit_test(test_minijail_values),
		cmocka_unit_test(test_minijail_names_table),
		cmocka_unit_test(test_c),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_from_generated),
		cmocka_unit_test(test_hostile_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
