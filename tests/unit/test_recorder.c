/* SPDX-License-Identifier: MIT */
/* The recorder: counts, tuples and their cap, x32, exes, errno histograms. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/recorder.h"
#include "helpers.h"

static void test_counts_and_tuples(void **state)
{
	struct sk_rec *r = sk_rec_new();
	uint64_t a[6] = { 0 };
	int nr_socket = sk_syscall_nr(SCMP_ARCH_X86_64, "socket");
	int nr_read = sk_syscall_nr(SCMP_ARCH_X86_64, "read");
	int exe = sk_rec_exe(r, "/usr/bin/prog");
	const struct sk_trace_sys *s;
	struct sk_trace *t;

	(void)state;
	assert_int_equal(exe, 0);
	assert_int_equal(sk_rec_exe(r, "/usr/bin/prog"), 0);
	for (int i = 0; i < 5; i++)
		sk_rec_syscall(r, SCMP_ARCH_X86_64, nr_read, a, exe);
	a[0] = 2;     /* AF_INET */
	a[1] = 1 | 04000 | 02000000; /* SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC */
	sk_rec_syscall(r, SCMP_ARCH_X86_64, nr_socket, a, exe);
	a[1] = 1;
	sk_rec_syscall(r, SCMP_ARCH_X86_64, nr_socket, a, -1);
	a[0] = 1;     /* AF_UNIX */
	sk_rec_syscall(r, SCMP_ARCH_X86_64, nr_socket, a, exe);
	assert_int_equal(sk_rec_total(r), 8);

	t = th_rec_trace(r);
	s = th_trace_find(t, SCMP_ARCH_X86_64, "read");
	assert_non_null(s);
	assert_int_equal(s->count, 5);
	assert_int_equal(s->n_argidx, 0);
	assert_int_equal(s->n_exe, 1);
	assert_false(s->has_errors);
	s = th_trace_find(t, SCMP_ARCH_X86_64, "socket");
	assert_non_null(s);
	assert_int_equal(s->count, 3);
	assert_int_equal(s->n_argidx, 3);
	/* The type's NONBLOCK/CLOEXEC bits are masked: two tuples, sorted. */
	assert_int_equal(s->n_tuples, 2);
	assert_int_equal(s->tuples[0], 1);
	assert_int_equal(s->tuples[3], 2);
	assert_int_equal(s->tuples[4], 1);
	assert_false(s->args_unbounded);
	assert_int_equal(t->n_executables, 1);
	assert_string_equal(t->executables[0], "/usr/bin/prog");
	sk_trace_free(t);
	sk_rec_free(r);
}

static void test_cap_unbounded(void **state)
{
	struct sk_rec *r = sk_rec_new();
	uint64_t a[6] = { 0 };
	int nr = sk_syscall_nr(SCMP_ARCH_X86_64, "ioctl");
	const struct sk_trace_sys *s;
	struct sk_trace *t;

	(void)state;
	for (int i = 0; i < SK_REC_TUPLES + 10; i++) {
		a[1] = 0x5400 + i;
		sk_rec_syscall(r, SCMP_ARCH_X86_64, nr, a, -1);
	}
	t = th_rec_trace(r);
	s = th_trace_find(t, SCMP_ARCH_X86_64, "ioctl");
	assert_non_null(s);
	assert_int_equal(s->count, SK_REC_TUPLES + 10);
	assert_true(s->args_unbounded);
	assert_int_equal(s->n_tuples, SK_REC_TUPLES);
	sk_trace_free(t);
	sk_rec_free(r);
}

static void test_arches(void **state)
{
	struct sk_rec *r = sk_rec_new();
	uint64_t a[6] = { 0 };
	const struct sk_trace_sys *s;
	struct sk_trace *t;

	(void)state;
	/* i386 getpid through int 0x80; x32 getpid as the kernel reports it. */
	sk_rec_syscall(r, SCMP_ARCH_X86, 20, a, -1);
	sk_rec_syscall(r, SCMP_ARCH_X86_64, 0x40000000 | 39, a, -1);
	sk_rec_syscall(r, SCMP_ARCH_X86_64, 39, a, -1);
	/* A number no table knows keeps its number and no name. */
	sk_rec_syscall(r, SCMP_ARCH_X86_64, 5000, a, -1);
	t = th_rec_trace(r);
	assert_non_null(th_trace_find(t, SCMP_ARCH_X86, "getpid"));
	s = th_trace_find(t, SCMP_ARCH_X32, "getpid");
	assert_non_null(s);
	assert_int_equal(s->nr, 0x40000000 | 39);
	assert_non_null(th_trace_find(t, SCMP_ARCH_X86_64, "getpid"));
	assert_true(t->complete);
	{
		int found = 0;

		for (size_t i = 0; i < t->n_sys; i++)
			if (t->sys[i].nr == 5000 && !t->sys[i].name)
				found = 1;
		assert_true(found);
	}
	sk_trace_free(t);
	sk_rec_free(r);
}

/*
 * Where the positions hold no value, nothing is recorded (argknow.h):
 * i386's old mmap (a pointer to a struct) and socket, which libseccomp
 * multiplexes through socketcall there; socketcall's call number and
 * mmap2's prot are values.
 */
static void test_i386_no_values(void **state)
{
	struct sk_rec *r = sk_rec_new();
	uint64_t a[6] = { 0x10000, 4096, 7, 0x22, 0, 0 };
	const struct sk_trace_sys *s;
	struct sk_trace *t;

	(void)state;
	sk_rec_syscall(r, SCMP_ARCH_X86, sk_syscall_nr(SCMP_ARCH_X86, "mmap"), a, -1);
	sk_rec_syscall(r, SCMP_ARCH_X86, sk_syscall_nr(SCMP_ARCH_X86, "mmap2"), a, -1);
	sk_rec_syscall(r, SCMP_ARCH_X86_64, sk_syscall_nr(SCMP_ARCH_X86_64, "mmap"), a, -1);
	a[0] = 2;
	a[1] = 1;
	a[2] = 0;
	sk_rec_syscall(r, SCMP_ARCH_X86, th_x86_nr("socket"), a, -1);
	a[0] = 1;
	a[1] = 0x80801;
	sk_rec_syscall(r, SCMP_ARCH_X86, sk_syscall_nr(SCMP_ARCH_X86, "socketcall"), a, -1);
	t = th_rec_trace(r);
	s = th_trace_find(t, SCMP_ARCH_X86, "mmap");
	assert_non_null(s);
	assert_int_equal(s->n_argidx, 0);
	assert_int_equal(s->n_tuples, 0);
	s = th_trace_find(t, SCMP_ARCH_X86, "socket");
	assert_non_null(s);
	assert_int_equal(s->n_argidx, 0);
	s = th_trace_find(t, SCMP_ARCH_X86, "socketcall");
	assert_non_null(s);
	assert_int_equal(s->n_argidx, 1);
	assert_int_equal(s->argidx[0], 0);
	assert_int_equal(s->n_tuples, 1);
	assert_int_equal(s->tuples[0], 1);
	s = th_trace_find(t, SCMP_ARCH_X86, "mmap2");
	assert_int_equal(s->n_argidx, 1);
	assert_int_equal(s->tuples[0], 7);
	s = th_trace_find(t, SCMP_ARCH_X86_64, "mmap");
	assert_int_equal(s->n_argidx, 1);
	assert_int_equal(s->tuples[0], 7);
	sk_trace_free(t);
	sk_rec_free(r);
}

static void test_errors(void **state)
{
	struct sk_rec *r = sk_rec_new();
	uint64_t a[6] = { 0 };
	int nr = sk_syscall_nr(SCMP_ARCH_X86_64, "openat");
	const struct sk_trace_sys *s;
	struct sk_trace *t;

	(void)state;
	for (int i = 0; i < 3; i++) {
		sk_rec_syscall(r, SCMP_ARCH_X86_64, nr, a, -1);
		sk_rec_result(r, SCMP_ARCH_X86_64, nr, -ENOENT);
	}
	sk_rec_syscall(r, SCMP_ARCH_X86_64, nr, a, -1);
	sk_rec_result(r, SCMP_ARCH_X86_64, nr, 3);
	sk_rec_syscall(r, SCMP_ARCH_X86_64, nr, a, -1);
	sk_rec_result(r, SCMP_ARCH_X86_64, nr, -EACCES);
	t = th_rec_trace(r);
	s = th_trace_find(t, SCMP_ARCH_X86_64, "openat");
	assert_non_null(s);
	assert_true(s->has_errors);
	assert_int_equal(s->n_errors, 2);
	assert_string_equal(s->errors[0].name, "ENOENT");
	assert_int_equal(s->errors[0].count, 3);
	assert_string_equal(s->errors[1].name, "EACCES");
	assert_int_equal(s->errors[1].count, 1);
	sk_trace_free(t);
	sk_rec_free(r);
}

static void test_task_counts(void **state)
{
	struct sk_rec *r = sk_rec_new();
	struct sk_trace *t;

	(void)state;
	sk_rec_count_task(r, 0);
	sk_rec_count_task(r, 1);
	sk_rec_count_task(r, 1);
	t = th_rec_trace(r);
	assert_int_equal(t->processes, 1);
	assert_int_equal(t->threads, 3);
	sk_trace_free(t);
	sk_rec_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_tuples),
		cmocka_unit_test(test_cap_unbounded),
		cmocka_unit_test(test_arches),
		cmocka_unit_test(test_i386_no_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_task_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
