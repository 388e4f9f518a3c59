/* SPDX-License-Identifier: MIT */
/* The tracers' task table: 100k tids, deletion, sweeping, no eviction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../lib/tasks.h"

#define N 100000

static void test_many(void **state)
{
	struct sk_tasks *ts = sk_tasks_new(2 * N);

	(void)state;
	assert_non_null(ts);
	assert_true(sk_tasks_capacity(ts) >= 2 * N);
	for (pid_t tid = 1; tid <= N; tid++) {
		struct sk_task *t = sk_tasks_add(ts, tid * 7);

		assert_non_null(t);
		t->exe = tid;
	}
	assert_int_equal(sk_tasks_count(ts), N);
	/* Every other one goes; the rest keep their records. */
	for (pid_t tid = 1; tid <= N; tid += 2)
		sk_tasks_del(ts, sk_tasks_find(ts, tid * 7));
	for (pid_t tid = 1; tid <= N; tid++) {
		struct sk_task *t = sk_tasks_find(ts, tid * 7);

		if (tid & 1) {
			assert_null(t);
		} else {
			assert_non_null(t);
			assert_int_equal(t->exe, tid);
		}
	}
	assert_int_equal(sk_tasks_count(ts), N / 2);
	sk_tasks_free(ts);
}

static void test_full_never_evicts(void **state)
{
	struct sk_tasks *ts = sk_tasks_new(64);
	size_t cap = sk_tasks_capacity(ts);

	(void)state;
	for (pid_t tid = 1; tid < (pid_t)cap; tid++)
		assert_non_null(sk_tasks_add(ts, tid));
	/* Full: a new task is refused, not put in place of a live one. */
	assert_null(sk_tasks_add(ts, 100000));
	for (pid_t tid = 1; tid < (pid_t)cap; tid++)
		assert_non_null(sk_tasks_find(ts, tid));
	assert_null(sk_tasks_find(ts, 100000));
	sk_tasks_free(ts);
}

static int even_alive(pid_t tid)
{
	return !(tid & 1);
}

static void test_sweep(void **state)
{
	struct sk_tasks *ts = sk_tasks_new(N);

	(void)state;
	/* Clustered tids, as pid allocation gives them. */
	for (pid_t tid = 1000; tid < 1000 + N / 2; tid++)
		assert_non_null(sk_tasks_add(ts, tid));
	assert_int_equal(sk_tasks_sweep(ts, even_alive), N / 4);
	for (pid_t tid = 1000; tid < 1000 + N / 2; tid++)
		assert_true((sk_tasks_find(ts, tid) != NULL) == even_alive(tid));
	sk_tasks_free(ts);
}

static void test_stable_addresses(void **state)
{
	struct sk_tasks *ts = sk_tasks_new(1024);
	struct sk_task *a, *b;

	(void)state;
	a = sk_tasks_add(ts, 42);
	for (pid_t tid = 43; tid < 500; tid++)
		assert_non_null(sk_tasks_add(ts, tid));
	b = sk_tasks_find(ts, 42);
	assert_ptr_equal(a, b);
	assert_null(sk_tasks_add(ts, 0));
	sk_tasks_free(ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_full_never_evicts),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_stable_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
