/* SPDX-License-Identifier: MIT */
/* Arch tokens, syscall names per arch, x32 classification, errno names. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/arch.h"

static void test_names(void **state)
{
	uint32_t a;

	(void)state;
	assert_string_equal(sk_arch_name(SCMP_ARCH_X86_64), "SCMP_ARCH_X86_64");
	assert_string_equal(sk_arch_name(SCMP_ARCH_X86), "SCMP_ARCH_X86");
	assert_string_equal(sk_arch_name(SCMP_ARCH_X32), "SCMP_ARCH_X32");
	assert_null(sk_arch_name(0x1234));
	assert_int_equal(sk_arch_parse("SCMP_ARCH_AARCH64", &a), 0);
	assert_int_equal(a, SCMP_ARCH_AARCH64);
	assert_int_equal(sk_arch_parse("i386", &a), 0);
	assert_int_equal(a, SCMP_ARCH_X86);
	assert_int_equal(sk_arch_parse("x32", &a), 0);
	assert_int_equal(a, SCMP_ARCH_X32);
	assert_int_equal(sk_arch_parse("SCMP_ARCH_X86_65", &a), -EINVAL);
	assert_int_equal(sk_arch_parse("", &a), -EINVAL);
}

static void test_syscalls_per_arch(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(sk_syscall_nr(SCMP_ARCH_X86_64, "read"), 0);
	assert_int_equal(sk_syscall_nr(SCMP_ARCH_X86, "read"), 3);
	assert_int_equal(sk_syscall_nr(SCMP_ARCH_X86, "getpid"), 20);
	assert_int_equal(sk_syscall_nr(SCMP_ARCH_X32, "read"), 0x40000000);
	/* aarch64 has no open(2); i386 has no arch_prctl-less socket pseudo. */
	assert_true(sk_syscall_nr(SCMP_ARCH_AARCH64, "open") < 0);
	assert_true(sk_syscall_nr(SCMP_ARCH_X86_64, "no_such_call") < 0);
	assert_int_equal(sk_syscall_name(SCMP_ARCH_X86, 20, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "getpid");
	assert_int_equal(sk_syscall_name(SCMP_ARCH_X86_64, 39, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "getpid");
	assert_int_equal(sk_syscall_name(SCMP_ARCH_X86_64, 99999, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(sk_syscall_name(SCMP_ARCH_X86_64, -5, buf, sizeof(buf)), -ENOENT);
	assert_true(sk_syscall_known_anywhere("open"));
	assert_true(sk_syscall_known_anywhere("socketcall"));
	assert_false(sk_syscall_known_anywhere("no_such_call"));
}

static void test_classify(void **state)
{
	uint32_t arch = SCMP_ARCH_X86_64;
	int nr = 0x40000000 | 39;

	(void)state;
	sk_arch_classify(&arch, &nr);
	assert_int_equal(arch, SCMP_ARCH_X32);
	arch = SCMP_ARCH_X86_64;
	nr = 39;
	sk_arch_classify(&arch, &nr);
	assert_int_equal(arch, SCMP_ARCH_X86_64);
	/* i386 numbers never carry the x32 bit meaningfully. */
	arch = SCMP_ARCH_X86;
	nr = 20;
	sk_arch_classify(&arch, &nr);
	assert_int_equal(arch, SCMP_ARCH_X86);
}

static void test_host(void **state)
{
	uint32_t a[8];
	size_t n = sk_arch_host(a, 8);

	(void)state;
	assert_true(n >= 1);
	assert_int_equal(a[0], sk_arch_native());
	if (a[0] == SCMP_ARCH_X86_64) {
		assert_int_equal(n, 3);
		assert_int_equal(a[1], SCMP_ARCH_X86);
		assert_int_equal(a[2], SCMP_ARCH_X32);
	}
}

static void test_errno(void **state)
{
	(void)state;
	assert_string_equal(sk_errno_name(ENOENT), "ENOENT");
	assert_string_equal(sk_errno_name(ENOSYS), "ENOSYS");
	assert_null(sk_errno_name(0));
	assert_int_equal(sk_errno_parse("EPERM"), EPERM);
	assert_int_equal(sk_errno_parse("ENOSYS"), 38);
	assert_int_equal(sk_errno_parse("ENOTREAL"), -EINVAL);
}

/* ENOSYS per ABI: asm-generic's 38, MIPS's 89, PA-RISC's 251. */
static void test_enosys(void **state)
{
	(void)state;
	assert_int_equal(sk_arch_enosys(SCMP_ARCH_X86_64), 38);
	assert_int_equal(sk_arch_enosys(SCMP_ARCH_X86), 38);
	assert_int_equal(sk_arch_enosys(SCMP_ARCH_AARCH64), 38);
	assert_int_equal(sk_arch_enosys(SCMP_ARCH_MIPS), 89);
	assert_int_equal(sk_arch_enosys(SCMP_ARCH_MIPSEL64N32), 89);
	assert_int_equal(sk_arch_enosys(SCMP_ARCH_PARISC), 251);
	assert_int_equal(sk_arch_enosys(SCMP_ARCH_PARISC64), 251);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_syscalls_per_arch),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_errno),
		cmocka_unit_test(test_enosys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
