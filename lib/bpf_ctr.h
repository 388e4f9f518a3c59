/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_BPF_CTR_H
#define SCMPKIT_BPF_CTR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "scmpkit/err.h"
#include "scmpkit/recorder.h"

/*
 * The bpf backend recording containers (lib-private; lib/bpf_sys.c does
 * the kernel calls, lib/containers.c drives it).  Each container has an
 * index the kernel program hands out when it starts; its calls are kept
 * apart, the runtime's (from the filter load to the program's exec)
 * apart from the program's.
 */
#define SK_CTR_MAX 16   /* containers one run can record at once */
#define SK_CTR_CG  260  /* a cgroup directory's name and its parent's */

struct sk_ctr_run_opts {
	char *const *argv;   /* CMD, launched untraced; NULL when attaching */
	const char *path;    /* its resolved executable (NULL: argv[0]) */
	pid_t attach_init;   /* --container: the container's init (our pid ns) */
	bool errors;         /* record return values */
};

enum sk_ctr_ev_type {
	SK_CTR_STARTED = 1,  /* a container began: ctr, pid (its init) */
	SK_CTR_ENDED,        /* its last task exited: ctr */
	SK_CTR_CMD_EXITED,   /* CMD ended: status (a wait status, -1 unknown) */
};

struct sk_ctr_ev {
	enum sk_ctr_ev_type type;
	unsigned ctr;
	pid_t pid;
	int status;
};

/* What the kernel program knows of one container. */
struct sk_ctr_info {
	uint64_t processes, threads;
	bool filter;             /* began at its filter load (else at exec) */
	bool started;            /* the program's exec happened */
	char cgroup[SK_CTR_CG];  /* the init's cgroup (v2), its last two
				  * components ("/docker/<id>"), "" if unknown */
	uint64_t lost_tasks;     /* host-wide: tasks that could not be followed */
	unsigned lost_ctrs;      /* containers past the limit, not recorded */
};

struct sk_ebpf_ctrs;

/*
 * Loads the kernel program in container mode and launches CMD (untraced)
 * or attaches to the container of o->attach_init (ctr 0 then).  0 with
 * *out set (free with sk_ebpf_ctrs_free), -EOPNOTSUPP when the backend
 * cannot work here, or another negative errno; err says why.
 */
int sk_ebpf_ctrs_start(const struct sk_ctr_run_opts *o, struct sk_ebpf_ctrs **out,
		       struct sk_err *err);
/*
 * Waits up to timeout_ms for an event: 1 with *ev filled, 0 when none came
 * (a signal may be waiting: sk_signal_take).
 */
int sk_ebpf_ctrs_next(struct sk_ebpf_ctrs *c, int timeout_ms, struct sk_ctr_ev *ev);
/* What the kernel program knows of container ctr.  0, or -ENOENT. */
int sk_ebpf_ctrs_info(struct sk_ebpf_ctrs *c, unsigned ctr, struct sk_ctr_info *info);
/*
 * Reads container ctr's calls so far: the program's into prog (with its
 * executables and tasks), the runtime's into runtime.  0 or -ENOMEM,
 * -ENOENT for an index never handed out.
 */
int sk_ebpf_ctrs_collect(struct sk_ebpf_ctrs *c, unsigned ctr, struct sk_rec *prog,
			 struct sk_rec *runtime, struct sk_ctr_info *info);
/*
 * After container ctr's trace was written: clears its counters and gives
 * its index back for the next container to start.  0, or a negative errno.
 */
int sk_ebpf_ctrs_release(struct sk_ebpf_ctrs *c, unsigned ctr);
/* Sends sig to CMD while it runs; SIGKILL asks the keeper to kill its tree. */
void sk_ebpf_ctrs_signal(struct sk_ebpf_ctrs *c, int sig);
/* Detaches, ends what is left of CMD's tree and frees c; NULL is a no-op. */
void sk_ebpf_ctrs_free(struct sk_ebpf_ctrs *c);

#endif
