/* SPDX-License-Identifier: MIT */
/* What a signal the tool receives does to a recording run. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "scmpkit/tracer.h"

static enum sk_sig_action act(int sig, int from_process, bool alive, int *ends)
{
	struct sk_sig s = { .sig = sig, .from_process = from_process, .pid = 42 };

	return sk_signal_action(&s, alive, ends);
}

static void test_service_manager(void **state)
{
	int ends = 0;

	(void)state;
	/* A daemon's reload and reopen-logs go to the program, any number. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(act(SIGHUP, 1, true, &ends), SK_SIG_FORWARD);
		assert_int_equal(act(SIGUSR1, 1, true, &ends), SK_SIG_FORWARD);
		assert_int_equal(act(SIGWINCH, 1, true, &ends), SK_SIG_FORWARD);
	}
	assert_int_equal(ends, 0);
	/* The first TERM is forwarded, the second INT or TERM ends the run. */
	assert_int_equal(act(SIGTERM, 1, true, &ends), SK_SIG_FORWARD);
	assert_int_equal(act(SIGINT, 1, true, &ends), SK_SIG_END);
}

static void test_terminal(void **state)
{
	int ends = 0;

	(void)state;
	/* ^C reaches the program through its process group: not twice. */
	assert_int_equal(act(SIGINT, 0, true, &ends), SK_SIG_IGNORE);
	assert_int_equal(act(SIGWINCH, 0, true, &ends), SK_SIG_IGNORE);
	assert_int_equal(act(SIGALRM, 0, true, &ends), SK_SIG_IGNORE);
	assert_int_equal(act(SIGINT, 0, true, &ends), SK_SIG_END);
}

static void test_program_gone(void **state)
{
	int ends = 0;

	(void)state;
	/* Descendants linger: one INT or TERM ends the run, HUP does nothing. */
	assert_int_equal(act(SIGHUP, 1, false, &ends), SK_SIG_IGNORE);
	assert_int_equal(act(SIGTERM, 1, false, &ends), SK_SIG_END);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_manager),
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_program_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
