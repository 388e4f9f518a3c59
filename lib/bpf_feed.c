/* SPDX-License-Identifier: MIT */
/* The pure half of the bpf backend (bpf_feed.h). */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "bpf_feed.h"
#include "scmpkit/arch.h"
#include "argknow.h"

uint32_t sk_ebpf_arch_token(unsigned arch)
{
	return arch == SKB_ARCH_I386 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64;
}

uint32_t sk_ebpf_slot_call(unsigned arch, int nr, int *kernel_nr)
{
	*kernel_nr = arch == SKB_ARCH_X32 ? nr | SK_X32_SYSCALL_BIT : nr;
	return sk_ebpf_arch_token(arch);
}

/* The slot table's arch for an SCMP_ARCH_* token; -1 if it has none. */
static int skb_arch_of(uint32_t token)
{
	switch (token) {
	case SCMP_ARCH_X86_64:
		return SKB_ARCH_X86_64;
	case SCMP_ARCH_X32:
		return SKB_ARCH_X32;
	case SCMP_ARCH_X86:
		return SKB_ARCH_I386;
	default:
		return -1;
	}
}

unsigned sk_ebpf_specs(struct skb_spec *specs)
{
	uint32_t arches[4];
	size_t n_arch = sk_arch_host(arches, 4);
	unsigned n_tab, used = 0;
	const struct sk_argspec *tab = sk_argspec_table(&n_tab);

	memset(specs, 0, SKB_SLOTS * sizeof(*specs));
	for (size_t a = 0; a < n_arch && a < 4; a++) {
		int sa = skb_arch_of(arches[a]);

		for (unsigned i = 0; sa >= 0 && i < n_tab; i++) {
			int nr = sk_syscall_nr(arches[a], tab[i].name);
			struct skb_spec *sp;

			if (nr < 0)
				continue;
			nr &= ~SK_X32_SYSCALL_BIT;
			if (nr >= SKB_NR_MAX)
				continue;
			sp = &specs[sa * SKB_NR_MAX + nr];
			if (!sp->n)
				used++;
			sp->n = tab[i].n > SKB_ARGS ? SKB_ARGS : tab[i].n;
			for (unsigned k = 0; k < sp->n; k++) {
				sp->idx[k] = tab[i].pos[k].index;
				sp->mask[k] = tab[i].pos[k].mask;
			}
		}
	}
	return used;
}

int sk_ebpf_exe_path(const struct skb_exe *e, char *out, size_t len)
{
	size_t n = e->len < sizeof(e->buf) ? e->len : sizeof(e->buf), at = 0;
	size_t end = n;

	if (!e->complete || !len)
		return -EINVAL;
	if (n == 0) {
		if (len < 2)
			return -ENAMETOOLONG;
		strcpy(out, "/");
		return 0;
	}
	/* Components leaf first, each ending in NUL: emit them last first. */
	while (end > 0) {
		size_t start = end - 1, clen; /* end - 1 is a NUL */

		while (start > 0 && e->buf[start - 1] != '\0')
			start--;
		clen = end - 1 - start;
		if (at + 1 + clen + 1 > len)
			return -ENAMETOOLONG;
		out[at++] = '/';
		memcpy(out + at, e->buf + start, clen);
		at += clen;
		end = start;
	}
	out[at] = '\0';
	/* As /proc/PID/exe (the other backends' source) names it. */
	if (e->deleted) {
		if (at + sizeof(" (deleted)") > len)
			return -ENAMETOOLONG;
		strcpy(out + at, " (deleted)");
	}
	return 0;
}

void sk_ebpf_slot_sum(struct skb_slot *sum, const struct skb_slot *percpu, unsigned n)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned c = 0; c < n; c++) {
		sum->count += percpu[c].count;
		for (unsigned w = 0; w < SKB_EXE_MAX / 64; w++)
			sum->exe[w] |= percpu[c].exe[w];
		sum->unbounded |= percpu[c].unbounded;
	}
}

void sk_ebpf_feed_slot(struct sk_rec *r, uint32_t arch, int nr,
		      const struct skb_slot *s, const int *exe_idx, unsigned n_exe)
{
	if (!s->count)
		return;
	sk_rec_add_count(r, arch, nr, s->count, -1);
	for (unsigned e = 0; e < SKB_EXE_MAX && e < n_exe; e++)
		if ((s->exe[e / 64] >> (e % 64)) & 1)
			sk_rec_add_count(r, arch, nr, 0, exe_idx[e]);
	if (s->unbounded)
		sk_rec_add_args(r, arch, nr, NULL, 1);
}

void sk_ebpf_feed_tuple(struct sk_rec *r, const struct skb_tuple_key *k,
		       const struct skb_spec *specs)
{
	const struct skb_spec *sp;
	uint64_t args[6] = { 0 };
	uint32_t arch;
	int nr;

	if (k->slot >= SKB_SLOTS)
		return;
	sp = &specs[k->slot];
	for (unsigned i = 0; i < sp->n && i < SKB_ARGS; i++)
		if (sp->idx[i] < 6)
			args[sp->idx[i]] = k->v[i];
	arch = sk_ebpf_slot_call(k->slot / SKB_NR_MAX, (int)(k->slot % SKB_NR_MAX), &nr);
	sk_rec_add_args(r, arch, nr, args, 0);
}

void sk_ebpf_feed_error(struct sk_rec *r, const struct skb_err_key *k, uint64_t count)
{
	if (k->err == 0 || k->err > 4095)
		return;
	sk_rec_add_result(r, sk_ebpf_arch_token(k->arch), k->nr, -(long)k->err, count);
}

static const char *arch_word(unsigned arch)
{
	static const char *const w[] = { "x86_64", "x32", "i386" };

	return arch < 3 ? w[arch] : "an unknown arch";
}

int sk_ebpf_probe_check(const struct skb_probe_call *calls, unsigned n, int ia32,
		       char *why, size_t len)
{
	static const struct {
		const char *what;
		unsigned arch;
		uint32_t token;
		const char *name;
	} want[] = {
		{ "a native getppid", SKB_ARCH_X86_64, SCMP_ARCH_X86_64, "getppid" },
		{ "an x32 getpid", SKB_ARCH_X32, SCMP_ARCH_X32, "getpid" },
		{ "an int 0x80 getpid", SKB_ARCH_I386, SCMP_ARCH_X86, "getpid" },
	};
	unsigned n_want = ia32 ? 3 : 2;

	for (unsigned i = 0; i < n_want; i++) {
		int nr = sk_syscall_nr(want[i].token, want[i].name);

		nr &= ~SK_X32_SYSCALL_BIT;
		if (i >= n) {
			snprintf(why, len, "the kernel program did not see %s", want[i].what);
			return -EPROTO;
		}
		if (calls[i].arch != want[i].arch || calls[i].nr != nr) {
			snprintf(why, len, "%s was seen as %s #%d, not %s #%d",
				 want[i].what, arch_word(calls[i].arch), calls[i].nr,
				 arch_word(want[i].arch), nr);
			return -EPROTO;
		}
	}
	return 0;
}
