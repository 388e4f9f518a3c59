/* SPDX-License-Identifier: MIT */
/*
 * What the bpf backend's two files share (lib-private): the loaded kernel
 * program and its maps (struct bpft), and the steps both the program mode
 * (bpf_sys.c) and the container mode (bpf_ctr_sys.c) take.  Only built
 * with libbpf on x86_64 (SK_HAVE_BPF).
 */
#ifndef SK_BPF_SYS_H
#define SK_BPF_SYS_H

#include <stdbool.h>
#include <stdint.h>

#include <bpf/libbpf.h>

#include "scmpkit/tracer.h"
#include "bpf/trace_bpf.h"
#include "launch.h"
#include "scmpkit/recorder.h"

/*
 * The kernel program, compiled by clang and wrapped by bpftool at build
 * time (GNUmakefile): struct trace_bpf names its maps, programs, .rodata
 * and .bss, which libbpf maps, so the counters are read live, with no
 * syscall.
 */
#include "trace.skel.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define CAP_PERFMON_ 38
#define CAP_BPF_ 39
#define CAP_SYS_ADMIN_ 21
#define TS_COMPAT_ 0x0002 /* arch/x86/include/asm/thread_info.h; the probe checks it */

struct bpft {
	const struct sk_tracer_opts *o;
	struct sk_tracer_result *res;
	struct sk_err *err;
	struct trace_bpf *skel;
	struct ring_buffer *rb;
	volatile struct skb_state *st; /* in the program's .bss, mapped */
	struct skb_config *cfg;        /* its .rodata, before load */
	struct skb_spec *specs;        /* SKB_SLOTS */
	int ncpu;
	int fd_tasks, fd_slots, fd_specs, fd_tuples, fd_others, fd_errs, fd_exes;
	struct sk_launch run;          /* launching */
	bool launched;
	int err_rd;                    /* the child's failure report */
	int *pidfds;                   /* attaching: one per -p */
	char **attach_exe;             /* attaching: exe ids 0 .. n_attach - 1 */
	size_t n_attach;
	enum skb_ctr_mode ctr_mode;    /* recording containers */
	unsigned ctr_max;              /* containers the maps hold */
	unsigned sets;                 /* counter sets: 1, or 2 per container */
	unsigned unnamed;              /* executables neither walk nor /proc named */
};

/* What a child of the keeper gets: the program to exec, the nonce of its
 * handshake, the pipe it waits on and the one it reports a failure on. */
struct child_args {
	const struct sk_tracer_opts *o;
	uint64_t nonce;
	int go_fd, err_fd;
};

/* Opens and loads the object with the argument specs and nonce, attaches
 * its programs, and polls its ring buffer into ev(ctx).  0 or -errno with
 * t->err filled. */
int sk_ebpf_load(struct bpft *t, uint64_t nonce, ring_buffer_sample_fn ev, void *ctx);

/* Detaches the programs (no more counting); the maps stay readable. */
void sk_ebpf_detach(struct bpft *t);

/* Checks the kernel's arch answers with a child making a native, an x32
 * and an int 0x80 call; *ia32 says whether int 0x80 ran.  0 or -errno. */
int sk_ebpf_probe(struct bpft *t, uint64_t nonce, bool *ia32);

/* Reads counter set SET into r (with the executables when exes).  0 or
 * -ENOMEM. */
int sk_ebpf_collect_set(struct bpft *t, unsigned set, struct sk_rec *r, bool exes);

/* Counts PROCESSES processes and THREADS threads in r. */
void sk_ebpf_count_tasks(struct sk_rec *r, uint64_t processes, uint64_t threads);

/* Frees everything t holds (a launched tree is finished first). */
void sk_ebpf_cleanup(struct bpft *t);

#endif
