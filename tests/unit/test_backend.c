/* SPDX-License-Identifier: MIT */
/*
 * The backend names --backend takes and the trace's "backend" says
 * (backend.c), and the exit statuses of a run that could not start
 * (exit_like.c): env(1)'s 125, 126, 127.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "scmpkit/backend.h"
#include "scmpkit/exit_like.h"

static void names_round_trip(void **state)
{
	static const char *const all[] = { "auto", "bpf", "notify", "ptrace" };
	enum sk_backend b;

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		assert_int_equal(sk_backend_parse(all[i], &b), 0);
		assert_string_equal(sk_backend_name(b), all[i]);
	}
	assert_int_equal(sk_backend_parse("Notify", &b), -EINVAL);
	assert_int_equal(sk_backend_parse("", &b), -EINVAL);
	assert_int_equal(sk_backend_parse("ebpf", &b), -EINVAL);
}

static void exit_of_start(void **state)
{
	(void)state;
	assert_int_equal(sk_exit_of_start(-ENOENT), SK_EXIT_NOTFOUND);
	assert_int_equal(sk_exit_of_start(-EACCES), SK_EXIT_CANNOT_EXEC);
	assert_int_equal(sk_exit_of_start(-ENOEXEC), SK_EXIT_CANNOT_EXEC);
	assert_int_equal(sk_exit_of_start(-ENOMEM), SK_EXIT_FAIL);
	assert_int_equal(sk_exit_of_start(-EBUSY), SK_EXIT_FAIL);
	assert_int_equal(sk_exit_of_exec(-ENOENT), SK_EXIT_NOTFOUND);
	assert_int_equal(sk_exit_of_exec(-E2BIG), SK_EXIT_CANNOT_EXEC);
	assert_int_equal(sk_exit_of_exec(-ETXTBSY), SK_EXIT_CANNOT_EXEC);
}

static void exit_of_run(void **state)
{
	struct sk_tracer_result res = { .has_exit = true, .exit_code = 3 };

	(void)state;
	assert_int_equal(sk_exit_of_run(&res, false), 3);
	res.has_exit = false;
	assert_int_equal(sk_exit_of_run(&res, false), SK_EXIT_FAIL);
	assert_int_equal(sk_exit_of_run(&res, true), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(exit_of_start),
		cmocka_unit_test(exit_of_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
