/* SPDX-License-Identifier: MIT */
/* The signal guard's table: sorted, resolvable, and matched per (arch, call, args). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "../../lib/sigguard.h"

static void test_sorted_unique_reasoned(void **state)
{
	unsigned n;
	const struct sk_guard_rule *t = sk_guard_rules(&n);

	(void)state;
	assert_true(n > 100);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			assert_true(strcmp(t[i - 1].name, t[i].name) < 0);
		assert_non_null(t[i].why);
		assert_true(t[i].arg < 6);
	}
}

static void test_resolvable(void **state)
{
	unsigned n;
	const struct sk_guard_rule *t = sk_guard_rules(&n);

	(void)state;
	for (unsigned i = 0; i < n; i++)
		if (sk_syscall_nr(SCMP_ARCH_X86_64, t[i].name) < 0 &&
		    sk_syscall_nr(SCMP_ARCH_X86, t[i].name) < 0)
			fail_msg("%s is known to neither x86_64 nor i386", t[i].name);
}

static const struct sk_guard_rule *match(const struct sk_guard *g, uint32_t arch,
					 const char *name, uint64_t a1, uint64_t a2,
					 uint64_t a3)
{
	uint64_t args[6] = { 0, a1, a2, a3, 0, 0 };
	int nr = sk_syscall_nr(arch, name);

	assert_true(nr >= 0);
	return sk_guard_match(g, arch, nr, args);
}

static void test_match(void **state)
{
	struct sk_guard *g = NULL;

	(void)state;
	if (sk_arch_native() != SCMP_ARCH_X86_64)
		skip();
	assert_int_equal(sk_guard_new(&g), 0);
	/* Never sleeping calls are guarded, blocking ones left alone. */
	assert_non_null(match(g, SCMP_ARCH_X86_64, "close", 0, 0, 0));
	assert_non_null(match(g, SCMP_ARCH_X86_64, "clone", 0, 0, 0));
	assert_non_null(match(g, SCMP_ARCH_X86_64, "rt_sigreturn", 0, 0, 0));
	assert_null(match(g, SCMP_ARCH_X86_64, "read", 0, 0, 0));
	assert_null(match(g, SCMP_ARCH_X86_64, "openat", 0, 0, 0));
	assert_null(match(g, SCMP_ARCH_X86_64, "ioctl", 0, 0, 0));
	/* Argument conditions. */
	assert_non_null(match(g, SCMP_ARCH_X86_64, "wait4", 0, 1 /* WNOHANG */, 0));
	assert_null(match(g, SCMP_ARCH_X86_64, "wait4", 0, 0, 0));
	assert_non_null(match(g, SCMP_ARCH_X86_64, "waitid", 0, 0, 1));
	assert_null(match(g, SCMP_ARCH_X86_64, "waitid", 0, 0, 4 /* WEXITED */));
	assert_non_null(match(g, SCMP_ARCH_X86_64, "fcntl", 3 /* F_GETFL */, 0, 0));
	assert_null(match(g, SCMP_ARCH_X86_64, "fcntl", 7 /* F_SETLKW */, 0, 0));
	assert_null(match(g, SCMP_ARCH_X86_64, "fcntl", 38 /* F_OFD_SETLKW */, 0, 0));
	assert_non_null(match(g, SCMP_ARCH_X86_64, "futex", 1 | 128 /* WAKE_PRIVATE */, 0, 0));
	assert_null(match(g, SCMP_ARCH_X86_64, "futex", 0 | 128 /* WAIT_PRIVATE */, 0, 0));
	assert_non_null(match(g, SCMP_ARCH_X86_64, "flock", 2 | 4 /* LOCK_EX|LOCK_NB */, 0, 0));
	assert_null(match(g, SCMP_ARCH_X86_64, "flock", 2, 0, 0));
	/* The arch decides: nr 3 is close on x86_64, read on i386. */
	{
		uint64_t args[6] = { 0 };

		assert_non_null(sk_guard_match(g, SCMP_ARCH_X86_64, 3, args));
		assert_null(sk_guard_match(g, SCMP_ARCH_X86, 3, args));
		assert_non_null(sk_guard_match(g, SCMP_ARCH_X86, 6 /* close */, args));
		/* x32 as the kernel reports it: x86_64 with the x32 bit. */
		assert_non_null(sk_guard_match(g, SCMP_ARCH_X86_64, 3 | SK_X32_SYSCALL_BIT, args));
		assert_null(sk_guard_match(g, SCMP_ARCH_X86_64, 0 | SK_X32_SYSCALL_BIT, args));
		/* i386 waitpid(pid, status, WNOHANG). */
		args[2] = 1;
		assert_non_null(sk_guard_match(g, SCMP_ARCH_X86, 7, args));
	}
	sk_guard_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_unique_reasoned),
		cmocka_unit_test(test_resolvable),
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
