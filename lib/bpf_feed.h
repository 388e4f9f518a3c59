/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_BPF_FEED_H
#define SCMPKIT_BPF_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "bpf/trace_bpf.h"
#include "scmpkit/recorder.h"

/*
 * The pure half of the bpf backend (lib-private): what is handed to the
 * kernel program at start (the argument specs), what its start-up probe
 * must show, and how the maps it filled become recorder calls at the end.
 * bpf_sys.c does the kernel calls; everything here is unit-tested.
 */

/* The SCMP_ARCH_* token and number a slot's calls were made as, as the
 * kernel reports them (x32: x86_64 with the x32 bit, as the recorder
 * expects).  Returns the token; *kernel_nr gets the number. */
uint32_t sk_ebpf_slot_call(unsigned arch, int nr, int *kernel_nr);

/* The token of an skb_arch as the kernel reports it (x32 is x86_64). */
uint32_t sk_ebpf_arch_token(unsigned arch);

/*
 * Fills specs[SKB_SLOTS] from the argument knowledge table: for every host
 * arch and every listed name, its positions and masks at that (arch, nr).
 * A superset of what the recorder keeps (it applies its own per-arch
 * exceptions when fed).  Returns how many slots have a spec.
 */
unsigned sk_ebpf_specs(struct skb_spec *specs);

/*
 * The executable path e holds ("ls\0bin\0usr\0" -> "/usr/bin/ls") into
 * out, with " (deleted)" after it when it was unlinked, as /proc/PID/exe
 * says it (the other backends read that).  0, -ENAMETOOLONG (out too small), or -EINVAL when the kernel did
 * not walk up to the root (the path would be a guess).
 */
int sk_ebpf_exe_path(const struct skb_exe *e, char *out, size_t len);

/* Sums n per-CPU copies of a slot: counts add, executables and flags or. */
void sk_ebpf_slot_sum(struct skb_slot *sum, const struct skb_slot *percpu, unsigned n);

/*
 * Feeds one slot's totals to r: its count, then each executable bit
 * through exe_idx (kernel id -> recorder index, -1 for none; n_exe
 * entries).
 */
void sk_ebpf_feed_slot(struct sk_rec *r, uint32_t arch, int nr,
		      const struct skb_slot *s, const int *exe_idx, unsigned n_exe);

/* Feeds one distinct argument tuple the kernel kept. */
void sk_ebpf_feed_tuple(struct sk_rec *r, const struct skb_tuple_key *k,
		       const struct skb_spec *specs);

/* Feeds count failures with errno k->err of the call k names. */
void sk_ebpf_feed_error(struct sk_rec *r, const struct skb_err_key *k, uint64_t count);

/*
 * Checks the start-up probe: a native getppid, an x32 getpid and (when
 * ia32 is true) an int 0x80 getpid, in that order, must show as
 * (x86_64, getppid), (x32, getpid), (i386, getpid).  0, or -EPROTO with
 * why filled ("int 0x80 getpid was seen as x86_64 #20").
 */
int sk_ebpf_probe_check(const struct skb_probe_call *calls, unsigned n, int ia32,
		       char *why, size_t len);

#endif
