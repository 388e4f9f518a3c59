/* SPDX-License-Identifier: MIT */
/* The knowledge table: sorted, unique, resolvable, sane positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/argknow.h"

static void test_sorted_unique(void **state)
{
	unsigned n;
	const struct sk_argspec *t = sk_argspec_table(&n);

	(void)state;
	assert_true(n > 20);
	for (unsigned i = 1; i < n; i++)
		assert_true(strcmp(t[i - 1].name, t[i].name) < 0);
}

static void test_resolvable(void **state)
{
	static const uint32_t arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86,
					   SCMP_ARCH_AARCH64, SCMP_ARCH_ARM };
	unsigned n;
	const struct sk_argspec *t = sk_argspec_table(&n);

	(void)state;
	for (unsigned i = 0; i < n; i++) {
		int found = 0;

		for (unsigned a = 0; a < 4; a++)
			found |= sk_syscall_nr(arches[a], t[i].name) >= 0;
		if (!found)
			fail_msg("%s is known to no arch", t[i].name);
	}
}

static void test_positions(void **state)
{
	unsigned n;
	const struct sk_argspec *t = sk_argspec_table(&n);

	(void)state;
	for (unsigned i = 0; i < n; i++) {
		assert_true(t[i].n >= 1 && t[i].n <= SK_ARGS_MAX);
		for (unsigned k = 0; k < t[i].n; k++) {
			assert_true(t[i].pos[k].index <= 5);
			assert_true(t[i].pos[k].mask != 0);
			assert_true(t[i].pos[k].kind == SK_ARG_ENUM ||
				    t[i].pos[k].kind == SK_ARG_FLAGS);
			if (k)
				assert_true(t[i].pos[k].index > t[i].pos[k - 1].index);
			if (t[i].pos[k].is32)
				assert_true(t[i].pos[k].mask <= 0xffffffffULL);
		}
		assert_non_null(t[i].why);
	}
}

static void test_find(void **state)
{
	const struct sk_argspec *s;

	(void)state;
	s = sk_argspec_find("socket");
	assert_non_null(s);
	assert_int_equal(s->n, 3);
	/* SOCK_NONBLOCK and SOCK_CLOEXEC are masked off the type. */
	assert_int_equal(s->pos[1].mask & 04000, 0);
	s = sk_argspec_find("openat");
	assert_non_null(s);
	assert_int_equal(s->pos[0].index, 2);
	assert_int_equal(s->pos[0].kind, SK_ARG_FLAGS);
	assert_null(sk_argspec_find("read"));
	assert_null(sk_argspec_find("zzz"));
	assert_null(sk_argspec_find(""));
	/* clone3's argument is a pointer: nothing to record. */
	assert_null(sk_argspec_find("clone3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_unique),
		cmocka_unit_test(test_resolvable),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
