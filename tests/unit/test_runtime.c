/* SPDX-License-Identifier: MIT */
/*
 * The runtimes' calls under the container's filter (runtime.h): the table
 * sorted by build then name, unique, resolvable, each value at the
 * knowledge table's one position of its name and every such name given
 * its values, each row seen in a run of its own build; and --runtime's
 * words.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/runtime.h"
#include "../../lib/argknow.h"

static void test_sorted_unique(void **state)
{
	unsigned n;
	const struct sk_runtime_call *c = sk_runtime_calls(&n);

	(void)state;
	assert_true(n > 20);
	for (unsigned i = 1; i < n; i++) {
		if (c[i - 1].build != c[i].build) {
			assert_true(c[i - 1].build < c[i].build);
			continue;
		}
		if (strcmp(c[i - 1].name, c[i].name) >= 0)
			fail_msg("%s: %s after %s", sk_runtime_build_name(c[i].build),
				 c[i].name, c[i - 1].name);
	}
}

/* Measured on x86_64: every name is one there. */
static void test_resolvable(void **state)
{
	unsigned n;
	const struct sk_runtime_call *c = sk_runtime_calls(&n);

	(void)state;
	for (unsigned i = 0; i < n; i++)
		if (sk_syscall_nr(SCMP_ARCH_X86_64, c[i].name) < 0)
			fail_msg("%s is no x86_64 syscall", c[i].name);
}

/* Values only where the knowledge table watches one position, and there
 * always: a name the program called with other values would otherwise
 * keep rules that deny the runtime's call. */
static void test_values(void **state)
{
	unsigned n;
	const struct sk_runtime_call *c = sk_runtime_calls(&n);

	(void)state;
	for (unsigned i = 0; i < n; i++) {
		const struct sk_argspec *spec = sk_argspec_row(c[i].name);
		bool compared = spec && !sk_argknow_unfiltered(c[i].name);

		if (spec)
			assert_int_equal(spec->n, 1);
		if (compared && !c[i].n_values)
			fail_msg("%s: its %s is compared, and no value is listed",
				 c[i].name, spec->why);
		if (!compared && c[i].n_values)
			fail_msg("%s: values listed for no compared position",
				 c[i].name);
		assert_true(c[i].n_values <= 4);
		assert_non_null(c[i].why);
	}
}

static void test_seen(void **state)
{
	unsigned n, n_runs;
	const struct sk_runtime_call *c = sk_runtime_calls(&n);
	const struct sk_runtime_run *runs = sk_runtime_runs(&n_runs);
	bool build_seen[4] = { false };

	(void)state;
	for (unsigned i = 0; i < n; i++) {
		assert_true(c[i].seen != 0);
		assert_true(c[i].seen < (1u << n_runs));
		for (unsigned k = 0; k < n_runs; k++)
			if (c[i].seen & (1u << k))
				assert_int_equal(runs[k].build, c[i].build);
		build_seen[c[i].build] = true;
		/* Every build execs the program and closes descriptors in
		 * both modes. */
		if (!strcmp(c[i].name, "execve") || !strcmp(c[i].name, "close"))
			assert_false(c[i].privs_only);
	}
	assert_true(build_seen[SK_RT_RUNC] && build_seen[SK_RT_CRUN]);
	for (unsigned k = 0; k < n_runs; k++)
		assert_non_null(runs[k].how);
}

static void test_parse(void **state)
{
	struct sk_runtime_sel sel;
	unsigned n, n_words, picked = 0, nnp = 0;
	const struct sk_runtime_call *c = sk_runtime_calls(&n);
	const char *const *w = sk_runtime_words(&n_words);

	(void)state;
	for (unsigned i = 0; i < n_words; i++) {
		if (i)
			assert_true(strcmp(w[i - 1], w[i]) < 0);
		assert_int_equal(sk_runtime_parse(w[i], &sel), 0);
		assert_string_equal(sel.word, w[i]);
		assert_non_null(strstr(sel.comment, "runtime: "));
	}
	assert_int_equal(sk_runtime_parse("docker", &sel), 0);
	assert_int_equal(sel.builds, SK_RT_RUNC);
	assert_false(sel.nnp_only);
	assert_int_equal(sk_runtime_parse("podman:nnp", &sel), 0);
	assert_int_equal(sel.builds, SK_RT_RUNC | SK_RT_CRUN);
	assert_true(sel.nnp_only);
	assert_int_equal(sk_runtime_parse("runc:", &sel), -EINVAL);
	assert_int_equal(sk_runtime_parse("runc:nnpx", &sel), -EINVAL);
	assert_int_equal(sk_runtime_parse("run", &sel), -EINVAL);
	assert_int_equal(sk_runtime_parse("", &sel), -EINVAL);
	assert_int_equal(sk_runtime_parse("runc:nnp", &sel), 0);
	for (unsigned i = 0; i < n; i++) {
		picked += sk_runtime_selects(&sel, &c[i]);
		nnp += c[i].build == SK_RT_RUNC && !c[i].privs_only;
	}
	assert_int_equal(picked, nnp);
	assert_true(nnp >= 9 && nnp < 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_unique),
		cmocka_unit_test(test_resolvable),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_seen),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
