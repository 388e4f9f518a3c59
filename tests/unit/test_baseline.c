/* SPDX-License-Identifier: MIT */
/*
 * The baseline filter (baseline.c) behind scmp-trace --baseline and
 * scmp-apply --complain: what the profile allows (ALLOW and LOG rules, with
 * their arguments) runs in the kernel; everything else, denied by a rule,
 * by default, or made on an arch the profile does not cover, is notified.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scmpkit/arch.h"
#include "scmpkit/baseline.h"
#include "scmpkit/filter.h"
#include "helpers.h"

#define NOTIFY SECCOMP_RET_USER_NOTIF

/* A baseline of json, as a th_filter (its prog) for th_eval. */
static void baseline_of(struct th_filter *b, const char *json)
{
	memset(b, 0, sizeof(*b));
	b->p = th_profile(json, "p.json");
	b->ret = sk_baseline_build(b->p, &b->prog, &b->warn, &b->err);
	if (b->ret)
		fail_msg("baseline: %s", b->err.msg);
	assert_non_null(b->prog.filter);
	assert_true(b->prog.len > 0);
}

/* A call on the native arch. */
static uint32_t call(const struct th_filter *b, const char *name, uint64_t a0)
{
	return th_eval(b, sk_arch_native(), name, a0, 0, 0);
}

static void test_allowed_runs_rest_notified(void **state)
{
	struct th_filter b;

	(void)state;
	baseline_of(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"syscalls\": ["
		    "{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		    "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\"},"
		    "{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 3, \"op\": \"SCMP_CMP_EQ\"}]},"
		    "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},"
		    "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},"
		    "{\"names\": [\"dup\"], \"action\": \"SCMP_ACT_TRAP\"}]}");
	assert_int_equal(call(&b, "read", 0), SECCOMP_RET_ALLOW);
	assert_int_equal(call(&b, "write", 0), SECCOMP_RET_ALLOW);
	assert_int_equal(call(&b, "getpid", 0), SECCOMP_RET_LOG);
	/* The allow rule keeps its arguments: other values are new. */
	assert_int_equal(call(&b, "close", 3), SECCOMP_RET_ALLOW);
	assert_int_equal(call(&b, "close", 4), NOTIFY);
	/* Denials, by rule or by default, are notified, not applied. */
	assert_int_equal(call(&b, "mount", 0), NOTIFY);
	assert_int_equal(call(&b, "ptrace", 0), NOTIFY);
	assert_int_equal(call(&b, "dup", 0), NOTIFY);
	assert_int_equal(call(&b, "openat", 0), NOTIFY);
	assert_int_equal(b.warn.n, 0);
	th_filter_free(&b);
}

/* An allow-everything profile is no baseline: the default is notified too. */
static void test_default_allow(void **state)
{
	struct th_filter b;

	(void)state;
	baseline_of(&b, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
		    "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		    "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
	assert_int_equal(call(&b, "read", 0), SECCOMP_RET_ALLOW);
	assert_int_equal(call(&b, "write", 0), NOTIFY);
	assert_int_equal(call(&b, "mount", 0), NOTIFY);
	th_filter_free(&b);
}

/* A call of an arch the profile does not cover is new, not fatal. */
static void test_other_arch(void **state)
{
	uint32_t other = sk_arch_native() == SCMP_ARCH_AARCH64 ? SCMP_ARCH_X86_64 : SCMP_ARCH_AARCH64;
	struct th_filter b;

	(void)state;
	baseline_of(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		    "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	assert_int_equal(call(&b, "read", 0), SECCOMP_RET_ALLOW);
	assert_int_equal(th_eval(&b, other, "read", 0, 0, 0), NOTIFY);
	assert_int_equal(th_eval(&b, other, "write", 0, 0, 0), NOTIFY);
	th_filter_free(&b);
}

/*
 * Only the allow rules are built: a deny rule naming a call this
 * libseccomp does not know (an error for sk_filter_build) does not stop a
 * baseline; an unknown name in an allow rule is skipped with a warning.
 */
static void test_rules_dropped(void **state)
{
	struct th_filter b;

	(void)state;
	baseline_of(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		    "{\"names\": [\"read\", \"no_such_call\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		    "{\"names\": [\"not_a_call_either\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
	assert_int_equal(call(&b, "read", 0), SECCOMP_RET_ALLOW);
	assert_int_equal(b.warn.n, 1);
	th_assert_msg_has(b.warn.msgs[0], "p.json: syscalls[0]: skipping 1 name unknown to libseccomp");
	th_assert_msg_has(b.warn.msgs[0], ": no_such_call");
	th_filter_free(&b);
}

/* An allow rule and a deny rule for one call with the same arguments
 * conflict in the profile, but the baseline has only the allow one. */
static void test_conflict_not_built(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\"}]}";
	struct sk_filter_opts o = th_opts_host_like();
	struct th_filter b;

	(void)state;
	th_filter_build(&b, json, &o);
	assert_int_equal(b.ret, -EINVAL);
	th_filter_free(&b);
	baseline_of(&b, json);
	assert_int_equal(call(&b, "read", 0), SECCOMP_RET_ALLOW);
	th_filter_free(&b);
}

static void test_baseline_free(void **state)
{
	struct sock_fprog prog = { 0 };
	struct sk_profile *p = th_profile("{\"defaultAction\": \"SCMP_ACT_KILL\"}", "p.json");
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };

	(void)state;
	sk_baseline_free(NULL);
	assert_int_equal(sk_baseline_build(p, &prog, &warn, &err), 0);
	assert_non_null(prog.filter);
	sk_baseline_free(&prog);
	assert_null(prog.filter);
	assert_int_equal(prog.len, 0);
	sk_baseline_free(&prog);
	sk_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed_runs_rest_notified),
		cmocka_unit_test(test_default_allow),
		cmocka_unit_test(test_other_arch),
		cmocka_unit_test(test_rules_dropped),
		cmocka_unit_test(test_conflict_not_built),
		cmocka_unit_test(test_baseline_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
