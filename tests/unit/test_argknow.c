/* SPDX-License-Identifier: MIT */
/*
 * The knowledge table: sorted, unique, resolvable, sane positions; and its
 * per-arch answers (where positions hold no value), checked against
 * libseccomp's own multiplexing on every arch it knows.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <seccomp.h>
#include <linux/ipc.h>
#include <linux/net.h>

#include "scmpkit/arch.h"
#include "../../lib/argknow.h"

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

/* Whether name is a syscall of one of the arches libseccomp knows best. */
static bool resolvable(const char *name)
{
	static const uint32_t arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86,
					   SCMP_ARCH_AARCH64, SCMP_ARCH_ARM };

	for (unsigned a = 0; a < 4; a++)
		if (sk_syscall_nr(arches[a], name) >= 0)
			return true;
	return false;
}

/* Each name list: sorted, unique, resolvable; names[i] via a stride. */
static void check_names(const char *what, const void *tab, unsigned n,
			size_t stride)
{
	const char *prev = NULL;

	assert_true(n > 0);
	for (unsigned i = 0; i < n; i++) {
		const char *name = *(const char *const *)((const char *)tab + i * stride);

		if (prev && strcmp(prev, name) >= 0)
			fail_msg("%s: %s after %s: not sorted or not unique", what, name, prev);
		if (!resolvable(name))
			fail_msg("%s: %s is known to no arch", what, name);
		prev = name;
	}
}

/* The generator's tables beside the positions: the calls whose values make
 * no rule, the risky calls, io_uring, the signal handlers and senders. */
static void test_generator_tables(void **state)
{
	unsigned n;
	const struct sk_callnote *c;
	const char *const *v;
	const struct sk_sigsend *ss;

	(void)state;
	c = sk_argknow_unfiltered_table(&n);
	check_names("unfiltered", c, n, sizeof(*c));
	for (unsigned i = 0; i < n; i++)
		assert_non_null(sk_argspec_row(c[i].name)); /* recorded, else moot */
	assert_string_equal(sk_argknow_unfiltered("futex"), c[0].why);
	assert_null(sk_argknow_unfiltered("ioctl"));
	c = sk_argknow_risky_table(&n);
	check_names("risky", c, n, sizeof(*c));
	assert_non_null(sk_argknow_risky("ptrace"));
	assert_null(sk_argknow_risky("read"));
	v = sk_argknow_io_uring(&n);
	check_names("io_uring", v, n, sizeof(*v));
	v = sk_argknow_sighandler(&n);
	check_names("sighandler", v, n, sizeof(*v));
	for (unsigned i = 0; i < n; i++) {
		const struct sk_argspec *s = sk_argspec_row(v[i]);

		assert_non_null(s);
		assert_int_equal(s->pos[0].index, 0);
		assert_non_null(sk_argknow_unfiltered(v[i]));
	}
	ss = sk_argknow_sigsend(&n);
	check_names("sigsend", ss, n, sizeof(*ss));
	for (unsigned i = 0; i < n; i++) {
		const struct sk_argspec *s = sk_argspec_row(ss[i].name);

		/* The signal is the one recorded position. */
		assert_non_null(s);
		assert_int_equal(s->n, 1);
		assert_int_equal(s->pos[0].index, ss[i].index);
	}
}

/* The knowledge the planner used to spell out itself: the W^X calls, the
 * multiplexers, the io_uring calls. */
static void test_planner_tables(void **state)
{
	unsigned n, nm;
	const struct sk_wxpos *wx = sk_argknow_wx_table(&n);
	const struct sk_callnote *mx;
	const struct sk_argmux *m = sk_argnot_mux_table(&nm);

	(void)state;
	check_names("wx", wx, n, sizeof(*wx));
	for (unsigned i = 0; i < n; i++) {
		const struct sk_argspec *s = sk_argspec_row(wx[i].name);

		/* The protection is the one recorded position, a flags
		 * position whose mask holds both bits, and they differ. */
		assert_non_null(s);
		assert_int_equal(s->n, 1);
		assert_int_equal(s->pos[0].index, wx[i].index);
		assert_int_equal(s->pos[0].kind, SK_ARG_FLAGS);
		assert_true(wx[i].write && wx[i].exec && wx[i].write != wx[i].exec);
		assert_int_equal(s->pos[0].mask & (wx[i].write | wx[i].exec),
				 wx[i].write | wx[i].exec);
		assert_ptr_equal(sk_argknow_wx(wx[i].name), &wx[i]);
	}
	assert_int_equal(sk_argknow_wx("mmap")->write, 0x2); /* PROT_WRITE */
	assert_int_equal(sk_argknow_wx("mmap")->exec, 0x4);  /* PROT_EXEC */
	assert_null(sk_argknow_wx("madvise"));
	mx = sk_argknow_multiplexer_table(&n);
	check_names("multiplexers", mx, n, sizeof(*mx));
	/* Every multiplexer the per-arch table names, and no other. */
	for (unsigned i = 0; i < nm; i++)
		assert_non_null(sk_argknow_multiplexer(m[i].mux));
	for (unsigned i = 0; i < n; i++) {
		bool used = false;

		for (unsigned k = 0; k < nm && !used; k++)
			used = !strcmp(m[k].mux, mx[i].name);
		assert_true(used);
	}
	assert_null(sk_argknow_multiplexer("socket"));
	/* The signals a handler re-raises: sorted, classic ones only, never
	 * one without a handler, one ignored by default, or glibc's own. */
	{
		const struct sk_signote *sg = sk_argknow_reraise_table(&n);
		static const unsigned never[] = { 9, 17, 18, 19, 23, 28, 32, 33, 34, 64 };

		for (unsigned i = 0; i < n; i++) {
			assert_true(sg[i].sig >= 1 && sg[i].sig < 32);
			assert_true(!i || sg[i - 1].sig < sg[i].sig);
			assert_true(sk_argknow_reraise(sg[i].sig));
		}
		for (unsigned i = 0; i < sizeof(never) / sizeof(never[0]); i++)
			assert_false(sk_argknow_reraise(never[i]));
	}
	assert_true(sk_argknow_is_io_uring("io_uring_setup"));
	assert_true(sk_argknow_is_io_uring("io_uring_register"));
	assert_false(sk_argknow_is_io_uring("io_uring"));
	assert_false(sk_argknow_is_io_uring("io_uring_setupx"));
}

/* Families: sorted by name, members sorted and resolvable, a call in one
 * family at most, each with a reason; no member whose flags no filter
 * reads in place of one whose flags it does. */
static void test_families(void **state)
{
	unsigned n;
	const struct sk_family *f = sk_argknow_family_table(&n);

	(void)state;
	assert_true(n > 10);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			assert_true(strcmp(f[i - 1].name, f[i].name) < 0);
		assert_true(f[i].n >= 2);
		assert_non_null(f[i].why);
		check_names(f[i].name, f[i].members, f[i].n, sizeof(f[i].members[0]));
		for (unsigned k = 0; k < f[i].n; k++) {
			assert_ptr_equal(sk_argknow_family(f[i].members[k]), &f[i]);
			assert_string_not_equal(f[i].members[k], "openat2");
			assert_string_not_equal(f[i].members[k], "clone3");
		}
	}
	assert_string_equal(sk_argknow_family("pread64")->name, "read");
	assert_string_equal(sk_argknow_family("statx")->name, "stat");
	assert_null(sk_argknow_family("execve"));
	assert_null(sk_argknow_family("openat2"));
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
	s = sk_argspec_find(SCMP_ARCH_X86_64, "socket");
	assert_non_null(s);
	assert_int_equal(s->n, 3);
	/* SOCK_NONBLOCK and SOCK_CLOEXEC are masked off the type. */
	assert_int_equal(s->pos[1].mask & 04000, 0);
	s = sk_argspec_find(SCMP_ARCH_X86_64, "openat");
	assert_non_null(s);
	assert_int_equal(s->pos[0].index, 2);
	assert_int_equal(s->pos[0].kind, SK_ARG_FLAGS);
	assert_null(sk_argspec_find(SCMP_ARCH_X86_64, "read"));
	assert_null(sk_argspec_find(SCMP_ARCH_X86_64, "zzz"));
	assert_null(sk_argspec_find(SCMP_ARCH_X86_64, ""));
	/* clone3's argument is a pointer: nothing to record. */
	assert_null(sk_argspec_find(SCMP_ARCH_X86_64, "clone3"));
	assert_null(sk_argspec_row("clone3"));
	assert_ptr_equal(sk_argspec_row("socket"),
			 sk_argspec_find(SCMP_ARCH_AARCH64, "socket"));
}

/* The same name, per arch: where the positions hold values and where not. */
static void test_find_per_arch(void **state)
{
	struct sk_argnot why;

	(void)state;
	/* i386's mmap is the old mmap (one pointer); mmap2 and mprotect are
	 * plain calls there. */
	assert_non_null(sk_argspec_find(SCMP_ARCH_X86_64, "mmap"));
	assert_non_null(sk_argspec_find(SCMP_ARCH_X32, "mmap"));
	assert_null(sk_argspec_find(SCMP_ARCH_X86, "mmap"));
	assert_non_null(sk_argspec_find(SCMP_ARCH_X86, "mmap2"));
	assert_non_null(sk_argspec_find(SCMP_ARCH_X86, "mprotect"));
	assert_int_equal(sk_argnot_find(SCMP_ARCH_X86, "mmap", &why), 0);
	assert_int_equal(why.kind, SK_ARGNOT_POINTER);
	assert_non_null(strstr(why.why, "old mmap"));
	assert_int_equal(sk_argnot_find(SCMP_ARCH_X86_64, "mmap", &why), -ENOENT);
	assert_int_equal(sk_argnot_find(SCMP_ARCH_X86, "mmap2", &why), -ENOENT);
	/* s390: old mmap on both, mmap2 by pointer on 31-bit, clone's stack
	 * first. */
	assert_null(sk_argspec_find(SCMP_ARCH_S390X, "mmap"));
	assert_null(sk_argspec_find(SCMP_ARCH_S390, "mmap"));
	assert_null(sk_argspec_find(SCMP_ARCH_S390, "mmap2"));
	assert_null(sk_argspec_find(SCMP_ARCH_S390X, "clone"));
	assert_non_null(sk_argspec_find(SCMP_ARCH_X86_64, "clone"));
	assert_non_null(sk_argspec_find(SCMP_ARCH_PPC64LE, "mmap"));

	/* socket: a value on x86_64 and arm64; multiplexed through socketcall
	 * by libseccomp on i386, s390, ppc and mips o32. */
	assert_non_null(sk_argspec_find(SCMP_ARCH_X86_64, "socket"));
	assert_non_null(sk_argspec_find(SCMP_ARCH_AARCH64, "socket"));
	assert_non_null(sk_argspec_find(SCMP_ARCH_ARM, "setsockopt"));
	assert_null(sk_argspec_find(SCMP_ARCH_X86, "socket"));
	assert_null(sk_argspec_find(SCMP_ARCH_X86, "socketpair"));
	assert_null(sk_argspec_find(SCMP_ARCH_X86, "getsockopt"));
	assert_null(sk_argspec_find(SCMP_ARCH_S390X, "socket"));
	assert_null(sk_argspec_find(SCMP_ARCH_PPC64LE, "setsockopt"));
	assert_null(sk_argspec_find(SCMP_ARCH_MIPSEL, "socket"));
	assert_int_equal(sk_argnot_find(SCMP_ARCH_X86, "socket", &why), 0);
	assert_int_equal(why.kind, SK_ARGNOT_MUX);
	assert_string_equal(why.mux, "socketcall");
	assert_int_equal(why.call, SYS_SOCKET);
	assert_string_equal(why.callname, "SYS_SOCKET");
	/* Names the table does not list get the same answer. */
	assert_int_equal(sk_argnot_find(SCMP_ARCH_X86, "connect", &why), 0);
	assert_int_equal(why.call, SYS_CONNECT);
	assert_int_equal(sk_argnot_find(SCMP_ARCH_X86, "semctl", &why), 0);
	assert_string_equal(why.mux, "ipc");
	assert_int_equal(why.call, SEMCTL);
	assert_int_equal(sk_argnot_find(SCMP_ARCH_X86_64, "semctl", &why), -ENOENT);
	/* socketcall's own arg0 (the call) is a value. */
	assert_non_null(sk_argspec_find(SCMP_ARCH_X86, "socketcall"));
	assert_int_equal(sk_argnot_find(SCMP_ARCH_X86, "socketcall", &why), -ENOENT);
	assert_int_equal(sk_argnot_find(SCMP_ARCH_X86, "read", &why), -ENOENT);
}

/* Every arch libseccomp knows, for the cross-checks below. */
static const uint32_t all_arches[] = {
	SCMP_ARCH_X86, SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_ARM,
	SCMP_ARCH_AARCH64, SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32,
	SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32,
	SCMP_ARCH_PPC, SCMP_ARCH_PPC64, SCMP_ARCH_PPC64LE, SCMP_ARCH_S390,
	SCMP_ARCH_S390X, SCMP_ARCH_PARISC, SCMP_ARCH_PARISC64,
	SCMP_ARCH_RISCV64,
};

#define N_ALL (sizeof(all_arches) / sizeof(all_arches[0]))

/*
 * The multiplexing tables against libseccomp: on an arch where socketcall
 * and ipc are calls, it resolves a name it multiplexes through them to a
 * pseudo number, -100 - call for socketcall, -200 - call for ipc (which
 * its rule_add turns back into arg0 == call).  That happens on exactly the
 * arches listed, for every listed name.
 */
static void test_mux_matches_libseccomp(void **state)
{
	unsigned n_arch, n_mux;
	const uint32_t *arches = sk_argnot_mux_arches(&n_arch);
	const struct sk_argmux *m = sk_argnot_mux_table(&n_mux);

	(void)state;
	assert_true(n_arch >= 8);
	assert_true(n_mux >= 32);
	for (unsigned i = 1; i < n_arch; i++)
		assert_true(strcmp(sk_arch_name(arches[i - 1]), sk_arch_name(arches[i])) < 0);
	for (unsigned i = 1; i < n_mux; i++)
		assert_true(strcmp(m[i - 1].name, m[i].name) < 0);
	for (size_t a = 0; a < N_ALL; a++) {
		bool listed = false;

		for (unsigned i = 0; i < n_arch; i++)
			listed |= arches[i] == all_arches[a];
		for (unsigned i = 0; i < n_mux; i++) {
			int base = !strcmp(m[i].mux, "socketcall") ? -100 : -200;
			int nr = seccomp_syscall_resolve_name_arch(all_arches[a], m[i].name);
			/* Where the multiplexer is no call, the pseudo number
			 * only means "no such call here". */
			bool muxed = nr == base - (int)m[i].call &&
				     seccomp_syscall_resolve_name_arch(all_arches[a], m[i].mux) >= 0;
			struct sk_argnot why;

			assert_true(!strcmp(m[i].mux, "socketcall") || !strcmp(m[i].mux, "ipc"));
			if (muxed != listed)
				fail_msg("%s on %s: libseccomp says %d, the table %s", m[i].name,
					 sk_arch_name(all_arches[a]), nr, listed ? "multiplexed" : "direct");
			if (listed) {
				assert_int_equal(nr, base - (int)m[i].call);
				assert_true(seccomp_syscall_resolve_name_arch(all_arches[a], m[i].mux) >= 0);
				assert_int_equal(sk_argnot_find(all_arches[a], m[i].name, &why), 0);
				assert_int_equal(why.kind, SK_ARGNOT_MUX);
			}
		}
	}
}

/* The pointer table: sorted by (name, arch), each pair a call libseccomp
 * knows on that arch, each with its reason. */
static void test_ptr_table(void **state)
{
	unsigned n;
	const struct sk_argptr *t = sk_argnot_ptr_table(&n);

	(void)state;
	assert_true(n >= 4);
	for (unsigned i = 0; i < n; i++) {
		struct sk_argnot why;

		if (i) {
			int c = strcmp(t[i - 1].name, t[i].name);

			assert_true(c < 0 || (c == 0 && t[i - 1].arch < t[i].arch));
		}
		if (sk_syscall_nr(t[i].arch, t[i].name) < 0)
			fail_msg("%s is not a call on %s", t[i].name, sk_arch_name(t[i].arch));
		assert_non_null(sk_argspec_row(t[i].name));
		assert_non_null(t[i].why);
		assert_int_equal(sk_argnot_find(t[i].arch, t[i].name, &why), 0);
		assert_int_equal(why.kind, SK_ARGNOT_POINTER);
		assert_null(sk_argspec_find(t[i].arch, t[i].name));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_unique),
		cmocka_unit_test(test_resolvable),
		cmocka_unit_test(test_generator_tables),
		cmocka_unit_test(test_planner_tables),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_per_arch),
		cmocka_unit_test(test_mux_matches_libseccomp),
		cmocka_unit_test(test_ptr_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
