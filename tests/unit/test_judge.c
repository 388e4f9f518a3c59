/* SPDX-License-Identifier: MIT */
/*
 * The judge of scmp-apply --report and --ask (judge.c): the filter loaded
 * is the profile's with every action but ALLOW made a notification; the
 * action of a notified call is the profile's own (its program run on the
 * call), or the user's answer; calls are queued in a fixed ring that the
 * main thread takes; a question waits for its answer or for the end.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scmpkit/judge.h"
#include "helpers.h"

#define NOTIFY SECCOMP_RET_USER_NOTIF

static const char *const profile =
	"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": ["
	"{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 3, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\"},"
	"{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},"
	"{\"names\": [\"dup\"], \"action\": \"SCMP_ACT_TRAP\"},"
	"{\"names\": [\"uname\"], \"action\": \"SCMP_ACT_KILL_THREAD\"}]}";

/* The profile's filter, as scmp-apply builds it. */
static void build(struct th_filter *b)
{
	struct sk_filter_opts o = th_opts_host_like();

	th_filter_build(b, profile, &o);
	assert_int_equal(b->ret, 0);
}

static struct seccomp_data data_of(const char *name, uint64_t a0)
{
	struct seccomp_data d = { .arch = sk_arch_native(),
				  .nr = sk_syscall_nr(sk_arch_native(), name) };

	d.args[0] = a0;
	return d;
}

static void test_filter_notifies_what_is_not_allowed(void **state)
{
	struct th_filter b, n;
	struct sk_err err = { "" };

	(void)state;
	build(&b);
	n = b;
	assert_int_equal(sk_judge_filter(&b.prog, &n.prog, &err), 0);
	assert_int_equal(n.prog.len, b.prog.len);
	/* What the profile allows still runs in the kernel. */
	assert_int_equal(th_eval(&n, sk_arch_native(), "read", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(th_eval(&n, sk_arch_native(), "close", 3, 0, 0), SECCOMP_RET_ALLOW);
	/* Everything else, its arguments, log, errno, trap, kill, default,
	 * other arches, is notified. */
	assert_int_equal(th_eval(&n, sk_arch_native(), "close", 4, 0, 0), NOTIFY);
	assert_int_equal(th_eval(&n, sk_arch_native(), "getpid", 0, 0, 0), NOTIFY);
	assert_int_equal(th_eval(&n, sk_arch_native(), "mount", 0, 0, 0), NOTIFY);
	assert_int_equal(th_eval(&n, sk_arch_native(), "dup", 0, 0, 0), NOTIFY);
	assert_int_equal(th_eval(&n, sk_arch_native(), "uname", 0, 0, 0), NOTIFY);
	assert_int_equal(th_eval(&n, sk_arch_native(), "socket", 0, 0, 0), NOTIFY);
	assert_int_equal(th_eval_nr(&n, SCMP_ARCH_AARCH64, 63, NULL), NOTIFY);
	/* The original is untouched. */
	assert_int_equal(th_eval(&b, sk_arch_native(), "mount", 0, 0, 0), SECCOMP_RET_ERRNO | 1);
	free(n.prog.filter);
	th_filter_free(&b);
}

static void test_filter_refuses_computed_returns(void **state)
{
	struct sock_filter f[] = { BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_fprog p = { .len = 1, .filter = f }, out = { 0 };
	struct sk_err err = { "" };

	(void)state;
	assert_int_equal(sk_judge_filter(&p, &out, &err), -EINVAL);
	th_assert_msg_has(err.msg, "computes an action");
	assert_null(out.filter);
}

static void test_verdict_of(void **state)
{
	struct sk_verdict v;

	(void)state;
	sk_judge_verdict_of(SECCOMP_RET_KILL_PROCESS, &v);
	assert_int_equal(v.kind, SK_VERDICT_KILL_PROCESS);
	sk_judge_verdict_of(SECCOMP_RET_KILL_THREAD, &v);
	assert_int_equal(v.kind, SK_VERDICT_KILL_THREAD);
	sk_judge_verdict_of(SECCOMP_RET_TRAP | 5, &v);
	assert_int_equal(v.kind, SK_VERDICT_TRAP);
	sk_judge_verdict_of(SECCOMP_RET_ERRNO | EACCES, &v);
	assert_int_equal(v.kind, SK_VERDICT_ERRNO);
	assert_int_equal(v.error, EACCES);
	sk_judge_verdict_of(SECCOMP_RET_ERRNO | 0, &v);
	assert_int_equal(v.kind, SK_VERDICT_ERRNO);
	assert_int_equal(v.error, 0);
	sk_judge_verdict_of(SECCOMP_RET_LOG, &v);
	assert_int_equal(v.kind, SK_VERDICT_CONTINUE);
	/* No tracer asked for seccomp stops: the kernel's ENOSYS. */
	sk_judge_verdict_of(SECCOMP_RET_TRACE | 7, &v);
	assert_int_equal(v.kind, SK_VERDICT_ERRNO);
	assert_int_equal(v.error, ENOSYS);
}

struct sk_judge_ui {
	int drained;
};

static void count_drain(struct sk_judge_ui *ui, struct sk_judge *j)
{
	(void)j;
	ui->drained++;
}

static void test_report_queues_denials(void **state)
{
	struct sk_judge_ui ui = { 0 };
	struct sk_judge_opts o = { .mode = SK_JUDGE_REPORT, .drain = count_drain, .ui = &ui };
	struct th_filter b;
	struct sk_judge *j;
	struct sk_verdict v;
	struct sk_denial d;
	struct seccomp_data call;
	struct pollfd p;

	(void)state;
	build(&b);
	j = sk_judge_new(&b.prog, &o);
	assert_non_null(j);
	/* Allowed: continued, nothing queued. */
	call = data_of("read", 0);
	assert_int_equal(sk_judge_call(j, &call, 10, "/bin/a", &v), 0);
	assert_int_equal(v.kind, SK_VERDICT_CONTINUE);
	assert_int_equal(sk_judge_take(j, &d), 0);
	/* Denied by a rule: its errno, queued with what it was. */
	call = data_of("mount", 0x1234);
	assert_int_equal(sk_judge_call(j, &call, 11, "/bin/b", &v), 1);
	assert_int_equal(v.kind, SK_VERDICT_ERRNO);
	assert_int_equal(v.error, 1);
	/* By default: kill-process; logged: continued. */
	call = data_of("socket", 2);
	sk_judge_call(j, &call, 12, NULL, &v);
	assert_int_equal(v.kind, SK_VERDICT_KILL_PROCESS);
	call = data_of("getpid", 0);
	sk_judge_call(j, &call, 13, NULL, &v);
	assert_int_equal(v.kind, SK_VERDICT_CONTINUE);
	/* The main loop is woken; drain runs the tool's function. */
	p = (struct pollfd){ .fd = sk_judge_fd(j), .events = POLLIN };
	assert_int_equal(poll(&p, 1, 0), 1);
	sk_judge_drain(j);
	assert_int_equal(ui.drained, 1);
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(sk_judge_take(j, &d), 1);
	assert_int_equal(d.seq, 1);
	assert_int_equal(d.nr, sk_syscall_nr(sk_arch_native(), "mount"));
	assert_int_equal(d.arch, sk_arch_native());
	assert_int_equal(d.args[0], 0x1234);
	assert_int_equal(d.pid, 11);
	assert_string_equal(d.exe, "/bin/b");
	assert_int_equal(d.ret, SECCOMP_RET_ERRNO | 1);
	assert_int_equal(d.verdict.kind, SK_VERDICT_ERRNO);
	assert_false(d.question);
	assert_int_equal(sk_judge_take(j, &d), 1);
	assert_int_equal(d.verdict.kind, SK_VERDICT_KILL_PROCESS);
	assert_null(d.exe);
	assert_int_equal(sk_judge_take(j, &d), 1);
	assert_int_equal(d.ret, SECCOMP_RET_LOG);
	assert_int_equal(sk_judge_take(j, &d), 0);
	/* A full ring drops (and counts); the calls are still judged. */
	call = data_of("mount", 0);
	for (int i = 0; i < 300; i++) {
		sk_judge_call(j, &call, 11, NULL, &v);
		assert_int_equal(v.kind, SK_VERDICT_ERRNO);
	}
	assert_int_equal(sk_judge_dropped(j), 300 - 256);
	assert_false(sk_judge_kill_tree(j));
	sk_judge_free(j);
	sk_judge_free(NULL);
	th_filter_free(&b);
}

struct asker {
	struct sk_judge *j;
	struct seccomp_data d;
	struct sk_verdict v;
};

static void *ask_thread(void *arg)
{
	struct asker *a = arg;

	sk_judge_call(a->j, &a->d, 42, "/bin/x", &a->v);
	return NULL;
}

/* Waits until the judge has a call queued and takes it. */
static void take_queued(struct sk_judge *j, struct sk_denial *d)
{
	struct pollfd p = { .fd = sk_judge_fd(j), .events = POLLIN };

	assert_int_equal(poll(&p, 1, 5000), 1);
	sk_judge_drain(j);
	assert_int_equal(sk_judge_take(j, d), 1);
}

static void test_ask_waits_for_the_answer(void **state)
{
	struct sk_judge_opts o = { .mode = SK_JUDGE_ASK, .kill_tree = true };
	struct sk_verdict allow = { .kind = SK_VERDICT_CONTINUE };
	struct th_filter b;
	struct asker a = { 0 };
	struct sk_denial d;
	pthread_t th;

	(void)state;
	build(&b);
	a.j = sk_judge_new(&b.prog, &o);
	assert_non_null(a.j);
	assert_true(sk_judge_kill_tree(a.j));
	a.d = data_of("socket", 2);
	assert_int_equal(pthread_create(&th, NULL, ask_thread, &a), 0);
	take_queued(a.j, &d);
	assert_true(d.question);
	/* The question's default is the profile's action. */
	assert_int_equal(d.verdict.kind, SK_VERDICT_KILL_PROCESS);
	assert_int_equal(d.pid, 42);
	sk_judge_answer(a.j, d.seq + 100, &allow); /* not asked: ignored */
	sk_judge_answer(a.j, d.seq, &allow);
	pthread_join(th, NULL);
	assert_int_equal(a.v.kind, SK_VERDICT_CONTINUE);

	/* The end of the run: a waiting question gets its default, and the
	 * drain sees no question to ask any more. */
	assert_int_equal(pthread_create(&th, NULL, ask_thread, &a), 0);
	take_queued(a.j, &d);
	assert_true(d.question);
	sk_judge_close(a.j);
	pthread_join(th, NULL);
	assert_int_equal(a.v.kind, SK_VERDICT_KILL_PROCESS);
	ask_thread(&a); /* after the end: not queued, the default at once */
	assert_int_equal(a.v.kind, SK_VERDICT_KILL_PROCESS);
	assert_int_equal(sk_judge_take(a.j, &d), 0);
	sk_judge_free(a.j);
	th_filter_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_notifies_what_is_not_allowed),
		cmocka_unit_test(test_filter_refuses_computed_returns),
		cmocka_unit_test(test_verdict_of),
		cmocka_unit_test(test_report_queues_denials),
		cmocka_unit_test(test_ask_waits_for_the_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
