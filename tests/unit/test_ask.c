/* SPDX-License-Identifier: MIT */
/*
 * The answers of scmp-apply --ask (ask.c): typed answers, what each does,
 * one answer per (arch, name, flag and enum values as a rule can tell them
 * apart), and the refined profile: the answers that change what the
 * profile does become rules scmp-gen would write for those calls, listed
 * first, so its filter now does what the user said.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "scmpkit/ask.h"
#include "helpers.h"

#define X86_64 SCMP_ARCH_X86_64
#define KILL SECCOMP_RET_KILL_PROCESS

static int nr(const char *name)
{
	return sk_syscall_nr(X86_64, name);
}

static void test_parse_and_verdict(void **state)
{
	struct sk_verdict v;

	(void)state;
	assert_int_equal(sk_ask_parse("o\n"), SK_ANSWER_ONCE);
	assert_int_equal(sk_ask_parse(" Always\n"), SK_ANSWER_ALWAYS);
	assert_int_equal(sk_ask_parse("e"), SK_ANSWER_EPERM);
	assert_int_equal(sk_ask_parse("n"), SK_ANSWER_ENOSYS);
	assert_int_equal(sk_ask_parse("K"), SK_ANSWER_KILL);
	assert_int_equal(sk_ask_parse(""), SK_ANSWER_NONE);
	assert_int_equal(sk_ask_parse("?\n"), SK_ANSWER_NONE);
	sk_ask_verdict(SK_ANSWER_ONCE, &v);
	assert_int_equal(v.kind, SK_VERDICT_CONTINUE);
	sk_ask_verdict(SK_ANSWER_ALWAYS, &v);
	assert_int_equal(v.kind, SK_VERDICT_CONTINUE);
	sk_ask_verdict(SK_ANSWER_EPERM, &v);
	assert_int_equal(v.kind, SK_VERDICT_ERRNO);
	assert_int_equal(v.error, EPERM);
	sk_ask_verdict(SK_ANSWER_ENOSYS, &v);
	assert_int_equal(v.error, ENOSYS);
	sk_ask_verdict(SK_ANSWER_KILL, &v);
	assert_int_equal(v.kind, SK_VERDICT_KILL_PROCESS);
}

static void test_remember(void **state)
{
	struct sk_ask *a = sk_ask_new();
	uint64_t ro[6] = { 3, 0, O_RDONLY | O_CLOEXEC }, ro2[6] = { 5, 0x1000, O_RDONLY },
		 wr[6] = { 3, 0, O_WRONLY | O_CREAT };
	const struct sk_ask_entry *e;

	(void)state;
	assert_non_null(a);
	/* Once is never remembered. */
	assert_int_equal(sk_ask_remember(a, X86_64, nr("openat"), ro, KILL, SK_ANSWER_ONCE), 0);
	assert_int_equal(sk_ask_find(a, X86_64, nr("openat"), ro), SK_ANSWER_NONE);
	/* Flags as the recorder masks them: O_CLOEXEC, the fd and the path
	 * do not matter, the access mode does. */
	assert_int_equal(sk_ask_remember(a, X86_64, nr("openat"), ro, KILL, SK_ANSWER_ALWAYS), 0);
	assert_int_equal(sk_ask_find(a, X86_64, nr("openat"), ro2), SK_ANSWER_ALWAYS);
	assert_int_equal(sk_ask_find(a, X86_64, nr("openat"), wr), SK_ANSWER_NONE);
	assert_int_equal(sk_ask_remember(a, X86_64, nr("openat"), wr, KILL, SK_ANSWER_EPERM), 0);
	assert_int_equal(sk_ask_find(a, X86_64, nr("openat"), wr), SK_ANSWER_EPERM);
	/* Another arch is another call; an answer given again replaces. */
	assert_int_equal(sk_ask_find(a, SCMP_ARCH_X86, sk_syscall_nr(SCMP_ARCH_X86, "openat"), ro), SK_ANSWER_NONE);
	assert_int_equal(sk_ask_remember(a, X86_64, nr("openat"), wr, KILL, SK_ANSWER_KILL), 0);
	assert_int_equal(sk_ask_count(a), 2);
	e = sk_ask_get(a, 1);
	assert_int_equal(e->answer, SK_ANSWER_KILL);
	assert_string_equal(e->name, "openat");
	assert_int_equal(e->n_argidx, 1);
	assert_int_equal(e->argidx[0], 2);
	assert_int_equal(e->tuple[0], O_WRONLY | O_CREAT);
	/* Kill where the profile kills changes nothing. */
	assert_false(sk_ask_changes(e));
	assert_true(sk_ask_changes(sk_ask_get(a, 0)));
	assert_null(sk_ask_get(a, 2));
	assert_int_equal(sk_ask_remember(a, X86_64, 4000, ro, KILL, SK_ANSWER_ALWAYS), -ENOENT);
	sk_ask_free(a);
	sk_ask_free(NULL);
}

static void test_refine(void **state)
{
	struct sk_profile *p = th_profile(
		"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": ["
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"times\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]}", "p.json");
	uint64_t none[6] = { 0 }, inet[6] = { AF_INET, SOCK_STREAM, 0 };
	struct sk_ask *a = sk_ask_new();
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct th_filter b;
	uint32_t enosys = SECCOMP_RET_ERRNO | ENOSYS;

	(void)state;
	assert_int_equal(sk_ask_remember(a, X86_64, nr("sysinfo"), none, KILL, SK_ANSWER_ALWAYS), 0);
	assert_int_equal(sk_ask_remember(a, X86_64, nr("socket"), inet, KILL, SK_ANSWER_ALWAYS), 0);
	assert_int_equal(sk_ask_remember(a, X86_64, nr("uname"), none, KILL, SK_ANSWER_EPERM), 0);
	/* What the profile does already: no rule. */
	assert_int_equal(sk_ask_remember(a, X86_64, nr("times"), none, enosys, SK_ANSWER_ENOSYS), 0);
	assert_int_equal(sk_ask_remember(a, X86_64, nr("getcpu"), none, KILL, SK_ANSWER_KILL), 0);
	assert_int_equal(sk_ask_refine(a, p, &warn, &err), 3);
	assert_int_equal(p->n_rules, 5);
	/* Listed first, commented. */
	assert_string_equal(p->rules[0].comment, "scmp-apply --ask: allowed at the prompt");
	assert_string_equal(p->rules[4].names[0], "times");
	th_filter_of(&b, p, NULL);
	b.p = p; /* freed with the filter */
	assert_int_equal(b.ret, 0);
	assert_int_equal(th_eval(&b, X86_64, "sysinfo", 0, 0, 0), SECCOMP_RET_ALLOW);
	/* The arguments answered for only, as scmp-gen --args tuples. */
	assert_int_equal(th_eval(&b, X86_64, "socket", AF_INET, SOCK_STREAM, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(th_eval(&b, X86_64, "socket", AF_INET6, SOCK_STREAM, 0), KILL);
	assert_int_equal(th_eval(&b, X86_64, "uname", 0, 0, 0), SECCOMP_RET_ERRNO | EPERM);
	assert_int_equal(th_eval(&b, X86_64, "times", 0, 0, 0), enosys);
	assert_int_equal(th_eval(&b, X86_64, "getcpu", 0, 0, 0), KILL);
	assert_int_equal(th_eval(&b, X86_64, "read", 0, 0, 0), SECCOMP_RET_ALLOW);
	/* Calls scmp-gen adds to every profile are not added here. */
	assert_int_equal(th_eval(&b, X86_64, "exit_group", 0, 0, 0), KILL);
	th_filter_free(&b);
	sk_warn_clear(&warn);
	sk_ask_free(a);
}

/* Issue 24: no answer widens the profile beyond the call answered for. */
static void test_refine_refuses(void **state)
{
	struct sk_profile *p = th_profile(
		"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": []}",
		"p.json");
	struct sk_ask *a = sk_ask_new();
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	uint64_t none[6] = { 0 };
	int getpid32 = sk_syscall_nr(SCMP_ARCH_X86, "getpid");
	char why[512];

	(void)state;
	if (sk_arch_native() != SCMP_ARCH_X86_64)
		return; /* the x86 arch is foreign only to x86_64 here */
	assert_int_equal(sk_ask_refused(p, SCMP_ARCH_X86, getpid32, why, sizeof(why)), 1);
	th_assert_msg_has(why, "it would add the x86 architecture to p.json");
	assert_int_equal(sk_ask_refused(p, X86_64, nr("getpid"), why, sizeof(why)), 0);
	/* Remembered anyway (not through the prompt): left out, said. */
	assert_int_equal(sk_ask_remember(a, SCMP_ARCH_X86, getpid32, none, KILL, SK_ANSWER_ALWAYS), 0);
	assert_int_equal(sk_ask_refine(a, p, &warn, &err), 0);
	assert_int_equal(p->n_arches, 1);
	assert_int_equal(warn.n, 1);
	th_assert_msg_has(warn.msgs[0], "the answer for getpid is left out");
	sk_warn_clear(&warn);
	sk_ask_free(a);
	sk_profile_free(p);
}

/* i386's old mmap takes its arguments behind a pointer: a rule for it is by
 * name, and would drop x86_64 mmap's prot comparison. */
static void test_refuses_dropping_args(void **state)
{
	struct sk_profile *p = th_profile(
		"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"syscalls\": []}",
		"p.json");
	char why[512];

	(void)state;
	if (sk_arch_native() != SCMP_ARCH_X86_64) {
		sk_profile_free(p);
		return;
	}
	assert_int_equal(sk_ask_refused(p, SCMP_ARCH_X86, sk_syscall_nr(SCMP_ARCH_X86, "mmap"),
					why, sizeof(why)), 1);
	th_assert_msg_has(why, "a rule cannot compare mmap's arguments on x86");
	th_assert_msg_has(why, "on x86_64 too");
	/* Calls whose arguments compare alike on both: fine. */
	assert_int_equal(sk_ask_refused(p, SCMP_ARCH_X86, sk_syscall_nr(SCMP_ARCH_X86, "getpid"),
					why, sizeof(why)), 0);
	assert_int_equal(sk_ask_refused(p, X86_64, nr("mmap"), why, sizeof(why)), 0);
	sk_profile_free(p);
}

/* "Allow always" over the profile's ENOSYS for clone3 replaces it. */
static void test_refine_replaces_errno(void **state)
{
	struct sk_profile *p = th_profile(
		"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": ["
		"{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
		"{\"names\": [\"read\", \"times\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}]}", "p.json");
	uint64_t none[6] = { 0 };
	struct sk_ask *a = sk_ask_new();
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct th_filter b;

	(void)state;
	assert_int_equal(sk_ask_remember(a, X86_64, nr("clone3"), none, SECCOMP_RET_ERRNO | ENOSYS,
					 SK_ANSWER_ALWAYS), 0);
	assert_int_equal(sk_ask_remember(a, X86_64, nr("times"), none, SECCOMP_RET_ERRNO | EPERM,
					 SK_ANSWER_ENOSYS), 0);
	assert_int_equal(sk_ask_refine(a, p, &warn, &err), 2);
	th_filter_of(&b, p, NULL);
	b.p = p;
	if (b.ret)
		fail_msg("%s", b.err.msg);
	assert_int_equal(th_eval(&b, X86_64, "clone3", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(th_eval(&b, X86_64, "times", 0, 0, 0), SECCOMP_RET_ERRNO | ENOSYS);
	assert_int_equal(th_eval(&b, X86_64, "read", 0, 0, 0), SECCOMP_RET_ERRNO | EPERM);
	th_filter_free(&b);
	sk_warn_clear(&warn);
	sk_ask_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_verdict),
		cmocka_unit_test(test_remember),
		cmocka_unit_test(test_refine),
		cmocka_unit_test(test_refine_refuses),
		cmocka_unit_test(test_refuses_dropping_args),
		cmocka_unit_test(test_refine_replaces_errno),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
