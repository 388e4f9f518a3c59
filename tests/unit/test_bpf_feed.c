/* SPDX-License-Identifier: MIT */
/*
 * The bpf backend's pure half: the specs handed to the kernel program,
 * executable paths as it walks them, the start-up probe's verdict, and the
 * kernel's totals fed to the recorder (the same trace the other backends
 * make: counts, executables, tuples and their cap, x32, errnos).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <seccomp.h>

#include "../../lib/bpf_feed.h"
#include "scmpkit/arch.h"
#include "scmpkit/recorder.h"

static const struct sk_trace_sys *find(const struct sk_trace *t, uint32_t arch,
				       const char *name)
{
	for (size_t i = 0; i < t->n_sys; i++)
		if (t->sys[i].arch == arch && t->sys[i].name &&
		    !strcmp(t->sys[i].name, name))
			return &t->sys[i];
	return NULL;
}

static struct sk_trace *finish(struct sk_rec *r)
{
	struct sk_trace *t = sk_trace_new();

	assert_non_null(t);
	assert_int_equal(sk_rec_to_trace(r, t), 0);
	return t;
}

static void set_path(struct skb_exe *e, const char *leaf_first, size_t len, int complete)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->buf, leaf_first, len);
	e->len = (uint32_t)len;
	e->complete = (uint32_t)complete;
	e->deleted = 0;
}

static void test_exe_path(void **state)
{
	struct skb_exe *e = malloc(sizeof(*e));
	char out[64];

	(void)state;
	assert_non_null(e);
	set_path(e, "ls\0bin\0usr\0", 11, 1);
	assert_int_equal(sk_ebpf_exe_path(e, out, sizeof(out)), 0);
	assert_string_equal(out, "/usr/bin/ls");
	set_path(e, "init\0", 5, 1);
	assert_int_equal(sk_ebpf_exe_path(e, out, sizeof(out)), 0);
	assert_string_equal(out, "/init");
	set_path(e, "", 0, 1);
	assert_int_equal(sk_ebpf_exe_path(e, out, sizeof(out)), 0);
	assert_string_equal(out, "/");
	/* Not walked up to the root: no guess. */
	set_path(e, "ls\0bin\0", 7, 0);
	assert_int_equal(sk_ebpf_exe_path(e, out, sizeof(out)), -EINVAL);
	set_path(e, "ls\0bin\0usr\0", 11, 1);
	assert_int_equal(sk_ebpf_exe_path(e, out, 11), -ENAMETOOLONG);
	assert_int_equal(sk_ebpf_exe_path(e, out, 12), 0);
	/* Unlinked when exec'd: as /proc/PID/exe says it. */
	e->deleted = 1;
	assert_int_equal(sk_ebpf_exe_path(e, out, sizeof(out)), 0);
	assert_string_equal(out, "/usr/bin/ls (deleted)");
	assert_int_equal(sk_ebpf_exe_path(e, out, 12), -ENAMETOOLONG);
	free(e);
}

static void test_specs(void **state)
{
	struct skb_spec *sp = calloc(SKB_SLOTS, sizeof(*sp));
	int openat = sk_syscall_nr(SCMP_ARCH_X86_64, "openat");
	int getpid = sk_syscall_nr(SCMP_ARCH_X86_64, "getpid");
	int mmap2 = sk_syscall_nr(SCMP_ARCH_X86, "mmap2");
	int ioctl32 = sk_syscall_nr(SCMP_ARCH_X32, "ioctl") & ~SK_X32_SYSCALL_BIT;
	const struct skb_spec *s;
	unsigned used;

	(void)state;
	assert_non_null(sp);
	used = sk_ebpf_specs(sp);
	assert_true(used > 20);
	s = &sp[SKB_ARCH_X86_64 * SKB_NR_MAX + openat];
	assert_int_equal(s->n, 1);
	assert_int_equal(s->idx[0], 2);
	assert_true(s->mask[0] & O_CREAT);
	assert_false(s->mask[0] & O_CLOEXEC);
	assert_int_equal(sp[SKB_ARCH_X86_64 * SKB_NR_MAX + getpid].n, 0);
	s = &sp[SKB_ARCH_I386 * SKB_NR_MAX + mmap2];
	assert_int_equal(s->n, 1);
	assert_int_equal(s->mask[0], 0x7);
	/* x32 numbers lose their bit in the slot table (x32 ioctl is 514). */
	assert_true(ioctl32 > 0 && ioctl32 < SKB_NR_MAX);
	s = &sp[SKB_ARCH_X32 * SKB_NR_MAX + ioctl32];
	assert_int_equal(s->n, 1);
	assert_int_equal(s->idx[0], 1);
	free(sp);
}

static void test_slot_sum(void **state)
{
	struct skb_slot pc[3], sum;

	(void)state;
	memset(pc, 0, sizeof(pc));
	pc[0].count = 2;
	pc[0].exe[0] = 1;
	pc[2].count = 5;
	pc[2].exe[3] = 1ULL << 63;
	pc[2].unbounded = 1;
	sk_ebpf_slot_sum(&sum, pc, 3);
	assert_int_equal(sum.count, 7);
	assert_int_equal(sum.exe[0], 1);
	assert_true(sum.exe[3] == 1ULL << 63);
	assert_int_equal(sum.unbounded, 1);
}

static void test_feed(void **state)
{
	struct sk_rec *r = sk_rec_new();
	struct skb_spec *sp = calloc(SKB_SLOTS, sizeof(*sp));
	int openat = sk_syscall_nr(SCMP_ARCH_X86_64, "openat");
	int read32 = sk_syscall_nr(SCMP_ARCH_X32, "read") & ~SK_X32_SYSCALL_BIT;
	int getpid32 = sk_syscall_nr(SCMP_ARCH_X86, "getpid");
	struct skb_slot s = { 0 };
	struct skb_tuple_key k = { 0 };
	struct skb_err_key ek = { 0 };
	int exe_idx[3], nr;
	uint32_t arch;
	const struct sk_trace_sys *ts;
	struct sk_trace *t;

	(void)state;
	assert_non_null(r);
	assert_non_null(sp);
	sk_ebpf_specs(sp);
	exe_idx[0] = sk_rec_exe(r, "/usr/bin/a");
	exe_idx[1] = -1; /* a path the kernel could not walk */
	exe_idx[2] = sk_rec_exe(r, "/usr/bin/b");

	/* openat: 1e9 calls by kernel exes 0, 1 and 2, two tuples. */
	s.count = 1000000000ULL;
	s.exe[0] = 1 | 2 | 4;
	arch = sk_ebpf_slot_call(SKB_ARCH_X86_64, openat, &nr);
	assert_int_equal(arch, SCMP_ARCH_X86_64);
	sk_ebpf_feed_slot(r, arch, nr, &s, exe_idx, 3);
	k.slot = SKB_ARCH_X86_64 * SKB_NR_MAX + (uint32_t)openat;
	k.v[0] = O_RDONLY;
	sk_ebpf_feed_tuple(r, &k, sp);
	k.v[0] = O_WRONLY | O_CREAT | O_TRUNC;
	sk_ebpf_feed_tuple(r, &k, sp);
	/* An x32 read and an i386 getpid. */
	memset(&s, 0, sizeof(s));
	s.count = 3;
	arch = sk_ebpf_slot_call(SKB_ARCH_X32, read32, &nr);
	assert_true(nr & SK_X32_SYSCALL_BIT);
	sk_ebpf_feed_slot(r, arch, nr, &s, exe_idx, 3);
	s.count = 1;
	arch = sk_ebpf_slot_call(SKB_ARCH_I386, getpid32, &nr);
	assert_int_equal(arch, SCMP_ARCH_X86);
	sk_ebpf_feed_slot(r, arch, nr, &s, exe_idx, 3);
	/* A number beyond every table, from the "others" map. */
	s.count = 2;
	sk_ebpf_feed_slot(r, sk_ebpf_arch_token(SKB_ARCH_X86_64), 0x3fff, &s, exe_idx, 3);
	/* Return values: two ENOENT from openat. */
	sk_rec_add_result(r, SCMP_ARCH_X86_64, 0, 0, 0);
	ek.arch = SKB_ARCH_X86_64;
	ek.nr = openat;
	ek.err = ENOENT;
	sk_ebpf_feed_error(r, &ek, 2);

	t = finish(r);
	ts = find(t, SCMP_ARCH_X86_64, "openat");
	assert_non_null(ts);
	assert_true(ts->count == 1000000000ULL);
	assert_int_equal(ts->n_exe, 2); /* the unwalked one is not attributed */
	assert_int_equal(ts->n_tuples, 2);
	assert_int_equal(ts->tuples[0], O_RDONLY);
	assert_int_equal(ts->tuples[1], O_WRONLY | O_CREAT | O_TRUNC);
	assert_true(ts->has_errors);
	assert_int_equal(ts->n_errors, 1);
	assert_string_equal(ts->errors[0].name, "ENOENT");
	assert_int_equal(ts->errors[0].count, 2);
	ts = find(t, SCMP_ARCH_X32, "read");
	assert_non_null(ts);
	assert_int_equal(ts->count, 3);
	ts = find(t, SCMP_ARCH_X86, "getpid");
	assert_non_null(ts);
	assert_int_equal(ts->count, 1);
	assert_true(t->complete);
	sk_trace_free(t);
	sk_rec_free(r);
	free(sp);
}

/* Past the recorder's cap of distinct tuples, or when the kernel lost one
 * (its map filled), the trace says "unbounded". */
static void test_feed_unbounded(void **state)
{
	struct sk_rec *r = sk_rec_new();
	struct skb_spec *sp = calloc(SKB_SLOTS, sizeof(*sp));
	int ioctl = sk_syscall_nr(SCMP_ARCH_X86_64, "ioctl");
	int fcntl = sk_syscall_nr(SCMP_ARCH_X86_64, "fcntl");
	struct skb_slot s = { .count = 100 };
	struct skb_tuple_key k = { .slot = SKB_ARCH_X86_64 * SKB_NR_MAX + (uint32_t)ioctl };
	const struct sk_trace_sys *ts;
	struct sk_trace *t;

	(void)state;
	sk_ebpf_specs(sp);
	sk_ebpf_feed_slot(r, SCMP_ARCH_X86_64, ioctl, &s, NULL, 0);
	for (unsigned i = 0; i < SKB_TUPLE_CAP; i++) {
		k.v[0] = 0x5400 + i;
		sk_ebpf_feed_tuple(r, &k, sp);
	}
	s.unbounded = 1;
	sk_ebpf_feed_slot(r, SCMP_ARCH_X86_64, fcntl, &s, NULL, 0);
	t = finish(r);
	ts = find(t, SCMP_ARCH_X86_64, "ioctl");
	assert_non_null(ts);
	assert_true(ts->args_unbounded);
	ts = find(t, SCMP_ARCH_X86_64, "fcntl");
	assert_non_null(ts);
	assert_true(ts->args_unbounded);
	sk_trace_free(t);
	sk_rec_free(r);
	free(sp);
}

static void test_probe_check(void **state)
{
	int getppid = sk_syscall_nr(SCMP_ARCH_X86_64, "getppid");
	int getpid32 = sk_syscall_nr(SCMP_ARCH_X86, "getpid");
	int getpidx32 = sk_syscall_nr(SCMP_ARCH_X32, "getpid") & ~SK_X32_SYSCALL_BIT;
	struct skb_probe_call good[4] = {
		{ SKB_ARCH_X86_64, getppid }, { SKB_ARCH_X32, getpidx32 },
		{ SKB_ARCH_I386, getpid32 }, { SKB_ARCH_X86_64, 231 },
	};
	struct skb_probe_call bad[3] = {
		{ SKB_ARCH_X86_64, getppid }, { SKB_ARCH_X32, getpidx32 },
		{ SKB_ARCH_X86_64, getpid32 },
	};
	char why[160];

	(void)state;
	assert_int_equal(sk_ebpf_probe_check(good, 4, 1, why, sizeof(why)), 0);
	assert_int_equal(sk_ebpf_probe_check(good, 2, 0, why, sizeof(why)), 0);
	assert_int_equal(sk_ebpf_probe_check(bad, 3, 1, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "int 0x80 getpid was seen as x86_64"));
	/* Without IA32 emulation the third call is never made. */
	assert_int_equal(sk_ebpf_probe_check(bad, 2, 0, why, sizeof(why)), 0);
	assert_int_equal(sk_ebpf_probe_check(good, 1, 0, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "did not see an x32 getpid"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exe_path),
		cmocka_unit_test(test_specs),
		cmocka_unit_test(test_slot_sum),
		cmocka_unit_test(test_feed),
		cmocka_unit_test(test_feed_unbounded),
		cmocka_unit_test(test_probe_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
