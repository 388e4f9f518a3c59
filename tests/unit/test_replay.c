/* SPDX-License-Identifier: MIT */
/*
 * scmp-apply --check --trace (replay.c): recorded calls run through the
 * exported filter.  A recorded tuple the profile allows is not listed; one
 * it denies is, with the action and why; a rule on an argument the trace
 * does not record, or on bits it masks off, makes the verdict "depends"
 * (and says which rule); a foreign arch is denied; values past the trace's
 * cap are tried too; a number libseccomp does not name is run by number.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <json.h>

#include "scmpkit/replay.h"
#include "helpers.h"

#define P_HEAD "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_X86_64\"], "
#define E(arch, name, nr, rest) "{\"arch\": \"SCMP_ARCH_" arch "\", \"name\": " name ", \"nr\": " #nr ", \"count\": 3" rest "}"

struct run {
	struct th_filter f;
	struct sk_replay *r;
	const struct sk_replay_result *res;
};

/* Replays trace (JSON) through profile (JSON, "p.json"), as t.json. */
static void replay(struct run *run, const char *profile, const char *trace)
{
	struct sk_filter_opts o = th_opts_host_like();
	struct sk_trace *t = th_trace(trace, "t.json");
	struct sk_err err = { "" };

	th_filter_build(&run->f, profile, &o);
	assert_int_equal(run->f.ret, 0);
	/* the opts must outlive the replayer: keep a static copy */
	{
		static struct sk_filter_opts keep;

		keep = o;
		assert_int_equal(sk_replay_new(run->f.ctx, run->f.p, &keep, &run->r, &err), 0);
	}
	assert_int_equal(sk_replay_add(run->r, t, "t.json", &err), 0);
	run->res = sk_replay_result(run->r);
	sk_trace_free(t);
}

static void done(struct run *run)
{
	sk_replay_free(run->r);
	th_filter_free(&run->f);
}

static const char *action(uint32_t ret)
{
	static char buf[64];

	sk_replay_action(ret, buf, sizeof(buf));
	return buf;
}

static void test_allowed_and_denied(void **state)
{
	const char *p = P_HEAD "\"syscalls\": [{\"names\": [\"read\", \"execve\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	const char *t = TH_TRACE_HEAD "\"syscalls\": ["
		E("X86_64", "\"read\"", 0, "") ","
		E("X86_64", "\"write\"", 1, "") ","
		E("X86_64", "\"socket\"", 41, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0], [16, 3, 0]]") "]}";
	const struct sk_replay_finding *f;
	struct run run;

	(void)state;
	replay(&run, p, t);
	assert_int_equal(run.res->n, 2);
	assert_int_equal(run.res->n_denied, 2);
	assert_int_equal(run.res->n_depends, 0);
	assert_int_equal(run.res->n_traces, 1);
	assert_int_equal(run.res->traces[0].n_calls, 4);  /* read, write, 2 socket tuples */
	assert_true(run.res->traces[0].complete);
	/* The trace's entries are sorted by (arch, name). */
	f = &run.res->f[0];
	assert_string_equal(f->name, "socket");
	assert_false(f->all_values);
	assert_int_equal(f->tuple[0], 16);
	assert_string_equal(f->call, "socket(domain=AF_NETLINK, type=SOCK_RAW, protocol=0 (default))");
	th_assert_msg_has(f->why, "p.json syscalls[1] allows socket only when domain == AF_UNIX");
	f = &run.res->f[1];
	assert_string_equal(f->name, "write");
	assert_string_equal(f->trace, "t.json");
	assert_int_equal(f->verdict, SK_REPLAY_DENIED);
	assert_true(f->all_values);
	assert_true(f->arch_covered);
	assert_int_equal(f->n_rets, 1);
	assert_string_equal(action(f->rets[0]), "SCMP_ACT_KILL_PROCESS");
	assert_string_equal(f->call, "write");
	assert_string_equal(f->why, "not in p.json");
	assert_int_equal(f->count, 3);
	done(&run);
}

/* read allowed only on fd 0: the trace does not record fds. */
static void test_depends_unrecorded(void **state)
{
	const char *p = P_HEAD "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	const char *t = TH_TRACE_HEAD "\"syscalls\": [" E("X86_64", "\"read\"", 0, "") "]}";
	const struct sk_replay_finding *f;
	struct run run;

	(void)state;
	replay(&run, p, t);
	assert_int_equal(run.res->n, 1);
	assert_int_equal(run.res->n_depends, 1);
	f = &run.res->f[0];
	assert_int_equal(f->verdict, SK_REPLAY_DEPENDS);
	assert_int_equal(f->n_rets, 2);
	assert_string_equal(action(f->rets[0]), "SCMP_ACT_KILL_PROCESS"); /* denials first */
	assert_string_equal(action(f->rets[1]), "SCMP_ACT_ALLOW");
	assert_string_equal(f->why, "p.json syscalls[0] compares arg0, which the trace does not record");
	done(&run);
}

/* socket's type is recorded without SOCK_NONBLOCK and SOCK_CLOEXEC: a rule
 * on the whole type depends on them; one on the recorded bits does not. */
static void test_depends_masked(void **state)
{
	const char *whole = P_HEAD "\"syscalls\": [{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	const char *masked = P_HEAD "\"syscalls\": [{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 1, \"value\": 4294440959, \"valueTwo\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}";
	const char *t = TH_TRACE_HEAD "\"syscalls\": ["
		E("X86_64", "\"socket\"", 41, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0]]") "]}";
	struct run run;

	(void)state;
	replay(&run, whole, t);
	assert_int_equal(run.res->n, 1);
	assert_int_equal(run.res->f[0].verdict, SK_REPLAY_DEPENDS);
	assert_string_equal(run.res->f[0].why,
			    "p.json syscalls[0] compares type (arg1), which the trace records only in part (the bits it keeps)");
	done(&run);
	replay(&run, masked, t);
	assert_int_equal(run.res->n, 0);
	done(&run);
}

/* An arch the profile does not cover: the filter's bad-arch kill. */
static void test_foreign_arch(void **state)
{
	const char *p = P_HEAD "\"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	const char *t = TH_TRACE_HEAD "\"syscalls\": ["
		E("X86_64", "\"getpid\"", 39, "") ","
		E("X86", "\"getpid\"", 20, "") "]}";
	const struct sk_replay_finding *f;
	struct run run;

	(void)state;
	replay(&run, p, t);
	assert_int_equal(run.res->n, 1);
	f = &run.res->f[0];
	assert_int_equal(f->arch, SCMP_ARCH_X86);
	assert_false(f->arch_covered);
	assert_int_equal(f->verdict, SK_REPLAY_DENIED);
	assert_string_equal(action(f->rets[0]), "SCMP_ACT_KILL_PROCESS");
	assert_string_equal(f->why, "the architecture x86 is not in p.json");
	done(&run);
}

/* Past the trace's cap: the recorded tuples pass, other values may not. */
static void test_unbounded(void **state)
{
	const char *p = P_HEAD "\"syscalls\": [{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 1, \"value\": 21505, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	const char *t = TH_TRACE_HEAD "\"syscalls\": ["
		E("X86_64", "\"ioctl\"", 16, ", \"argidx\": [1], \"args\": \"unbounded\"") "]}";
	const char *t2 = TH_TRACE_HEAD "\"syscalls\": ["
		E("X86_64", "\"ioctl\"", 16, ", \"argidx\": [1], \"args\": [[21505]]") "]}";
	struct run run;

	(void)state;
	replay(&run, p, t);
	assert_int_equal(run.res->n, 1);
	assert_int_equal(run.res->f[0].verdict, SK_REPLAY_DEPENDS);
	assert_true(run.res->f[0].all_values);
	assert_string_equal(run.res->f[0].call, "ioctl(any values)");
	th_assert_msg_has(run.res->f[0].why, "which the trace does not keep past its cap");
	done(&run);
	replay(&run, p, t2);
	assert_int_equal(run.res->n, 0);
	done(&run);
}

/* A number libseccomp does not name is run by number: the default. */
static void test_unnamed(void **state)
{
	const char *kill = P_HEAD "\"syscalls\": []}";
	const char *allow = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": []}";
	const char *errno_ = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"syscalls\": []}";
	const char *t = TH_TRACE_HEAD "\"syscalls\": [" E("X86_64", "null", 999, "") "]}";
	struct run run;

	(void)state;
	replay(&run, kill, t);
	assert_int_equal(run.res->n, 1);
	assert_null(run.res->f[0].name);
	assert_string_equal(run.res->f[0].call, "syscall 999");
	done(&run);
	replay(&run, allow, t);
	assert_int_equal(run.res->n, 0);
	done(&run);
	replay(&run, errno_, t);
	assert_string_equal(action(run.res->f[0].rets[0]), "SCMP_ACT_ERRNO(ENOSYS)");
	done(&run);
}

/* ENOSYS from a rule naming the call is an answer on purpose (scmp-gen's
 * clone3): no finding, counted apart; EPERM from a rule, or ENOSYS from the
 * default action, is a denial. */
static void test_enosys_on_purpose(void **state)
{
	const char *p = P_HEAD "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
		"{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}]}";
	const char *p2 = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"architectures\": [\"SCMP_ARCH_X86_64\"], "
		"\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	const char *t = TH_TRACE_HEAD "\"syscalls\": ["
		E("X86_64", "\"read\"", 0, "") ","
		E("X86_64", "\"clone3\"", 435, "") ","
		E("X86_64", "\"socket\"", 41, "") "]}";
	struct run run;

	(void)state;
	replay(&run, p, t);
	assert_int_equal(run.res->n, 1);
	assert_string_equal(run.res->f[0].name, "socket");
	assert_int_equal(run.res->traces[0].n_answered, 1);
	done(&run);
	replay(&run, p2, t);
	assert_int_equal(run.res->n_denied, 2); /* clone3 and socket */
	assert_int_equal(run.res->traces[0].n_answered, 0);
	done(&run);
}

static void test_action_words(void **state)
{
	(void)state;
	assert_string_equal(action(SCMP_ACT_ERRNO(1)), "SCMP_ACT_ERRNO(EPERM)");
	assert_string_equal(action(SCMP_ACT_ERRNO(4000)), "SCMP_ACT_ERRNO(4000)");
	assert_string_equal(action(SCMP_ACT_TRACE(7)), "SCMP_ACT_TRACE(7)");
	assert_string_equal(action(SCMP_ACT_KILL_THREAD), "SCMP_ACT_KILL_THREAD");
	assert_true(sk_replay_allows(SCMP_ACT_ALLOW));
	assert_true(sk_replay_allows(SCMP_ACT_LOG));
	assert_false(sk_replay_allows(SCMP_ACT_ERRNO(0)));
	assert_false(sk_replay_allows(SCMP_ACT_TRAP));
}

static void test_json(void **state)
{
	const char *p = P_HEAD "\"syscalls\": []}";
	const char *t = TH_TRACE_HEAD "\"syscalls\": ["
		E("X86_64", "\"socket\"", 41, ", \"argidx\": [0, 1, 2], \"args\": [[16, 3, 0]]") "]}";
	struct json_object *j, *v, *f, *a;
	struct run run;
	char *s;

	(void)state;
	replay(&run, p, t);
	s = sk_replay_to_json(run.r);
	assert_non_null(s);
	j = json_tokener_parse(s);
	assert_non_null(j);
	assert_string_equal(json_object_get_string(json_object_object_get(j, "format")), "scmpkit-check");
	assert_int_equal(json_object_get_int(json_object_object_get(j, "version")), 1);
	assert_string_equal(json_object_get_string(json_object_object_get(j, "profile")), "p.json");
	assert_false(json_object_get_boolean(json_object_object_get(j, "allowed")));
	assert_int_equal(json_object_get_int(json_object_object_get(j, "denied")), 1);
	v = json_object_object_get(j, "traces");
	assert_int_equal(json_object_array_length(v), 1);
	assert_int_equal(json_object_get_int(json_object_object_get(json_object_array_get_idx(v, 0), "calls")), 1);
	f = json_object_array_get_idx(json_object_object_get(j, "findings"), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(f, "arch")), "SCMP_ARCH_X86_64");
	assert_string_equal(json_object_get_string(json_object_object_get(f, "verdict")), "denied");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(json_object_object_get(f, "actions"), 0)),
			    "SCMP_ACT_KILL_PROCESS");
	a = json_object_array_get_idx(json_object_object_get(f, "args"), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(a, "name")), "domain");
	assert_int_equal(json_object_get_int(json_object_object_get(a, "value")), 16);
	assert_string_equal(json_object_get_string(json_object_object_get(a, "text")), "AF_NETLINK");
	json_object_put(j);
	free(s);
	done(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed_and_denied),
		cmocka_unit_test(test_depends_unrecorded),
		cmocka_unit_test(test_depends_masked),
		cmocka_unit_test(test_foreign_arch),
		cmocka_unit_test(test_unbounded),
		cmocka_unit_test(test_unnamed),
		cmocka_unit_test(test_enosys_on_purpose),
		cmocka_unit_test(test_action_words),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
