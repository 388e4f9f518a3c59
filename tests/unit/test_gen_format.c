/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's other formats (gen_format.h): the systemd drop-in, the
 * minijail policy and the C file, from a profile given as JSON (exact text)
 * and from a generated one; strings from input never leave their comment
 * or string.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scmpkit/gen.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/gen_rules.h"
#include "scmpkit/profile.h"
#include "helpers.h"

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
static void expect_text(char *(*fmt)(const struct sk_profile *, const char *),
			const char *json, const char *want)
{
	struct sk_profile *p = th_profile(json, "p.json");
	char *text;

	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].comment &&
		    !strncmp(p->rules[i].comment, "not observed", 12))
			p->rules[i].origin = SK_ORIGIN_IO_URING;
	text = fmt(p, "hdr");

	assert_non_null(text);
	if (strcmp(text, want))
		fail_msg("text\n--- got:\n%s--- want:\n%s", text, want);
	free(text);
	sk_profile_free(p);
}

/* Names only, sorted and unique; argument rules widened, errno rules
 * allowed, kill rules and calls nobody made left out; both notes said. */
static void test_systemd(void **state)
{
	(void)state;
	expect_text(sk_gen_systemd, mixed,
		    "# hdr\n"
		    "# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n"
		    "# systemd compares names only: the OCI profile's argument rules are\n"
		    "# widened here to the whole call.\n"
		    "# Calls the OCI profile answers with an errno (clone3 -> ENOSYS, ...) are\n"
		    "# allowed here: a systemd allow-list cannot return an errno for one call.\n"
		    "[Service]\n"
		    "SystemCallArchitectures=x86-64 x86\n"
		    "SystemCallErrorNumber=ENOSYS\n"
		    "SystemCallFilter=clone3 dup fcntl ioctl kill lseek mmap mprotect openat read\n"
		    "SystemCallFilter=socketcall write\n");
	/* A kill-process default needs no line; no notes without their cause. */
	expect_text(sk_gen_systemd,
		    "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"],"
		    " \"syscalls\": [{\"names\": [\"read\", \"exit_group\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		    "# hdr\n"
		    "# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n"
		    "[Service]\n"
		    "SystemCallArchitectures=arm64 arm\n"
		    "SystemCallFilter=exit_group read\n");
}

/* The default action as systemd can say it, or a note that it cannot. */
static void test_systemd_defaults(void **state)
{
	static const char *const cases[][2] = {
		{ "\"SCMP_ACT_ERRNO\"", "SystemCallErrorNumber=EPERM\n" },
		{ "\"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 13", "SystemCallErrorNumber=EACCES\n" },
		{ "\"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4000", "SystemCallErrorNumber=4000\n" },
		{ "\"SCMP_ACT_LOG\"", "# defaultAction SCMP_ACT_LOG has no systemd equivalent: calls outside the list kill the process\n" },
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
	sd = sk_gen_systemd(p, "hdr");
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
 * rest allowed whole; errno rules return, the socketcall denial is left
 * out (minijail multiplexes nothing). */
static void test_minijail(void **state)
{
	(void)state;
	expect_text(sk_gen_minijail, mixed,
		    "# hdr\n"
		    "# minijail0 -S FILE; a policy is for one arch, this one for: SCMP_ARCH_X86_64 SCMP_ARCH_X86\n"
		    "# defaultAction errno: run minijail0 with --seccomp-default-ret or -Y as needed\n"
		    "write: 1\n"
		    "read: 1\n"
		    "ioctl: arg1 == 0x5401 || arg1 == 0x5413\n"
		    "kill: arg1 != 0x9\n"
		    "openat: arg2 in 0xfffffdbc\n"
		    "mmap: arg2 == 0x3\n"
		    "mprotect: arg2 == 0x4 || arg2 == 0x5 || arg2 == 0x6 || arg2 == 0x7\n"
		    "lseek: 1\n"
		    "fcntl: arg0 == 0x3 && arg1 == 0x1\n"
		    "dup: arg0 == 0x1 || 1\n"
		    "clone3: return 38\n"
		    "io_uring_setup: return 38\n");
	/* The first rule of a name decides; a masked compare with too many
	 * free bits is allowed whole; a 64-bit mask keeps its upper word. */
	expect_text(sk_gen_minijail,
		    "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_AARCH64\"], \"syscalls\": ["
		    "{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ERRNO\"},"
		    "{\"names\": [\"bpf\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		    "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 4294901760, \"valueTwo\": 65536, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
		    "{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1099511627776, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
		    "# hdr\n"
		    "# minijail0 -S FILE; a policy is for one arch, this one for: SCMP_ARCH_AARCH64\n"
		    "bpf: return 1\n"
		    "read: 1\n"
		    "ioctl: 1\n"
		    "clone: arg0 in 0xfffffeffffffffff\n");
}

/* The C file's tables: default action, arches, one names array and one
 * rule a profile rule, in order, with the libseccomp action of each. */
static void test_c(void **state)
{
	struct sk_profile *p = th_profile(mixed, "p.json");
	char *c = sk_gen_c(p, "hdr");
	static const char *const want[] = {
		"/* hdr\n *\n * Builds the same libseccomp filter as the OCI profile it came from.\n",
		"\n#define SCMPKIT_DEFAULT_ACTION SCMP_ACT_ERRNO(38)\n"
		"#define SCMPKIT_MAX_ARCHES 3\n#define SCMPKIT_MAX_NAMES 18\n",
		"\nstatic const uint32_t scmpkit_arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86 };\n",
		"\nstatic const char *const scmpkit_names_0[] = { \"write\", \"read\", NULL };\n",
		"\nstatic const char *const scmpkit_names_16[] = { \"gettid\", NULL };\n",
		"\n\t{ SCMP_ACT_ALLOW, scmpkit_names_0, 0, { { 0 } } },\n"
		"\t{ SCMP_ACT_ALLOW, scmpkit_names_1, 1, { { 1, SCMP_CMP_EQ, 0x5401ULL, 0ULL } } },\n",
		"\n\t{ SCMP_ACT_LOG, scmpkit_names_4, 1, { { 2, SCMP_CMP_MASKED_EQ, 0x243ULL, 0ULL } } },\n",
		"\n\t{ SCMP_ACT_ALLOW, scmpkit_names_7, 1, { { 2, SCMP_CMP_LT, 0x3ULL, 0ULL } } },\n",
		"\n\t{ SCMP_ACT_ALLOW, scmpkit_names_8, 2, { { 0, SCMP_CMP_EQ, 0x3ULL, 0ULL }, { 1, SCMP_CMP_EQ, 0x1ULL, 0ULL } } },\n",
		"\n\t{ SCMP_ACT_ERRNO(38), scmpkit_names_11, 0, { { 0 } } },\n"
		"\t{ SCMP_ACT_KILL_PROCESS, scmpkit_names_12, 0, { { 0 } } },\n"
		"\t{ SCMP_ACT_ERRNO(1), scmpkit_names_13, 1, { { 0, SCMP_CMP_EQ, 0x1ULL, 0ULL } } },\n"
		"\t/* not observed: nobody called it */\n"
		"\t{ SCMP_ACT_ERRNO(38), scmpkit_names_14, 0, { { 0 } } },\n"
		"\t{ SCMP_ACT_TRACE(1), scmpkit_names_15, 0, { { 0 } } },\n"
		"\t{ SCMP_ACT_KILL_THREAD, scmpkit_names_16, 0, { { 0 } } },\n"
		"};\n",
		"\nint scmpkit_harden(void)\n{\n",
		"\n#ifdef SCMPKIT_MAIN\n",
	};

	(void)state;
	assert_non_null(c);
	assert_int_equal(strncmp(c, want[0], strlen(want[0])), 0);
	for (size_t i = 1; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(c, want[i]))
			fail_msg("no\n%s\nin\n%s", want[i], c);
	assert_null(strstr(c, "scmpkit_names_17"));
	free(c);
	sk_profile_free(p);
	/* An ERRNO default without an errno is EPERM, as runc has it. */
	p = th_profile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"]}", "p.json");
	c = sk_gen_c(p, "hdr");
	assert_non_null(strstr(c, "\n#define SCMPKIT_DEFAULT_ACTION SCMP_ACT_ERRNO(1)\n"));
	assert_non_null(strstr(c, "\n#define SCMPKIT_MAX_ARCHES 2\n#define SCMPKIT_MAX_NAMES 0\n"));
	free(c);
	sk_profile_free(p);
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
	c = sk_gen_c(p, "test");
	assert_non_null(strstr(c, "int scmpkit_harden(void)"));
	assert_non_null(strstr(c, "#ifdef SCMPKIT_MAIN"));
	sd = sk_gen_systemd(p, "test");
	assert_non_null(strstr(sd, "SystemCallArchitectures=x86-64\n"));
	assert_non_null(strstr(sd, "SystemCallFilter="));
	assert_null(strstr(sd, "io_uring"));
	mj = sk_gen_minijail(p, "test");
	assert_non_null(strstr(mj, "\nread: 1\n"));
	assert_non_null(strstr(mj, "\nioctl: arg1 == 0x5401 || arg1 == 0x5413\n"));
	assert_non_null(strstr(mj, "\nio_uring_setup: return 38\n"));
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

	sd = sk_gen_systemd(p, header);
	assert_int_equal(lines_starting(sd, "ExecStartPre"), 0);
	assert_int_equal(lines_starting(sd, "[Service]"), 1);
	/* A "\" at the end would join the next line to the comment. */
	assert_non_null(strstr(sd, "# generated by scmp-gen from x\\n[Service]\\nExecStartPre=touch INJ\\n# */ \\\\\n"));
	mj = sk_gen_minijail(p, header);
	assert_int_equal(lines_starting(mj, "ExecStartPre"), 0);
	c = sk_gen_c(p, header);
	assert_non_null(strstr(c, "/* generated by scmp-gen from x\\n[Service]\\nExecStartPre=touch INJ\\n# *\\/ \\\\\n"));
	assert_non_null(strstr(c, "\t/* static: through f in /x*\\/ int evil; /* */\n"));
	assert_non_null(strstr(c, "{ \"re\\\"ad\","));
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
		cmocka_unit_test(test_systemd_defaults),
		cmocka_unit_test(test_systemd_wrapped),
		cmocka_unit_test(test_minijail),
		cmocka_unit_test(test_c),
		cmocka_unit_test(test_from_generated),
		cmocka_unit_test(test_hostile_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
