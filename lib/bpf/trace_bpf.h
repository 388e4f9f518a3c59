/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
#ifndef SCMPKIT_TRACE_BPF_H
#define SCMPKIT_TRACE_BPF_H

/*
 * The layout the bpf backend's kernel program (trace.bpf.c) and its loader
 * (bpf_sys.c, bpf_feed.c) share (lib-private).  Fixed-width types only:
 * the same bytes are read by clang -target bpf and by the host compiler.
 */
#include <linux/types.h>

/*
 * Where a call is counted: its kernel entry, as the per-CPU slot table is
 * indexed.  x32 calls enter as x86_64 with the x32 bit set; the slot drops
 * the bit and the loader puts it back, so the recorder classifies them as
 * it does for the other backends.
 */
enum skb_arch {
	SKB_ARCH_X86_64 = 0,
	SKB_ARCH_X32 = 1,
	SKB_ARCH_I386 = 2,
	SKB_ARCHES = 3,
};

#define SKB_NR_MAX     1024        /* direct slots per arch (SK_REC_NR_MAX) */
#define SKB_SLOTS      (SKB_ARCHES * SKB_NR_MAX)
#define SKB_EXE_MAX    256         /* executables attributed (SK_REC_EXE_MAX) */
#define SKB_EXE_NONE   0xffffffffu /* a task's executable is not known */
#define SKB_ARGS       3           /* argument positions per tuple (SK_ARGS_MAX) */
#define SKB_TUPLE_CAP  65          /* distinct tuples kept per call: one past
				    * the recorder's cap, so "unbounded" is its
				    * own verdict */
#define SKB_OTHER_MAX  256         /* (arch, nr) outside the direct slots */
#define SKB_ERR_MAX    8192        /* (arch, nr, errno) triples */
#define SKB_EXE_KEYS   4096        /* distinct executed files remembered */
#define SKB_PATH_BUF   4096        /* an executable's path, leaf first */
#define SKB_NAME_MAX   256         /* one path component, with its NUL */
#define SKB_DEPTH      2304        /* components and mount crossings walked:
					* a PATH_MAX path has at most 2048
					* components (bpf_loop, so no cost to
					* the verifier) */
#define SKB_X32_BIT    0x40000000
#define SKB_PROBE_MAX  8
#define SKB_CTR_MAX    16          /* containers recorded at once (at most;
				    * the loader may size for fewer) */

/*
 * A set of counters: slot, tuple, other and errno keys carry one.  Without
 * containers everything is set 0; recording containers, container c's calls
 * go to set 2c (its program) and 2c + 1 (the runtime's, between the filter
 * load and the program's exec).
 */
#define SKB_SET_RUNTIME 1
#define SKB_CG_NAME    128         /* a cgroup directory's name, with its NUL */

/* The handshake: a task calls sched_get_priority_max(nonce, kind) to be
 * traced (it fails with EINVAL); the call is seen only from a task that is
 * not traced yet, and never recorded. */
#define SKB_HANDSHAKE_NR 146       /* x86_64 sched_get_priority_max */
enum skb_kind {
	SKB_KIND_PROGRAM = 1,      /* the program, before its exec */
	SKB_KIND_PROBE = 2,        /* the start-up probe */
};

/* Per-CPU: calls of one (arch, nr). */
struct skb_slot {
	__u64 count;
	__u64 exe[SKB_EXE_MAX / 64];  /* executables that made it, by id */
	__u32 unbounded;              /* a tuple was lost: the map filled */
	__u32 pad;
};

/* The argument positions the knowledge table lists for one (arch, nr). */
struct skb_spec {
	__u8 n;                       /* 0: no argument recorded */
	__u8 idx[SKB_ARGS];
	__u32 pad;
	__u64 mask[SKB_ARGS];
};

struct skb_other_key {
	__u32 arch;                   /* SKB_ARCH_X86_64 or SKB_ARCH_I386 */
	__s32 nr;                     /* as the kernel reported it */
	__u32 set;
};

struct skb_tuple_key {
	__u32 slot;                   /* set * SKB_SLOTS + arch * SKB_NR_MAX + nr */
	__u32 pad;
	__u64 v[SKB_ARGS];            /* masked values at the spec's positions */
};

struct skb_err_key {
	__u32 arch;                   /* enum skb_arch */
	__s32 nr;                     /* as the kernel reported it */
	__u32 err;                    /* errno, positive */
	__u32 set;
};

/* An executable's path as the kernel walked it: components leaf first,
 * each NUL-terminated, e.g. "ls\0bin\0usr\0" for /usr/bin/ls. */
struct skb_exe {
	__u32 len;                    /* bytes used in buf */
	__u32 complete;               /* 1: walked up to the root */
	__u32 tgid;                   /* who exec'd it (the tracer's pid ns) */
	__u32 deleted;                /* 1: unlinked when exec'd ("(deleted)") */
	char buf[SKB_PATH_BUF + SKB_NAME_MAX];
};

enum skb_task_state {
	SKB_PRE_EXEC = 1,             /* the program before its exec */
	SKB_RUNNING = 2,
	SKB_PROBING = 3,
};

enum skb_task_flag {
	SKB_T_COUNTED = 1,            /* counted in state.live */
	SKB_T_ROOT = 2,               /* -p: its threads inherit it */
	SKB_T_IN_CALL = 4,            /* --errors: last_* is the call under way */
};

/* Per-task storage: the one lookup every syscall of every task makes. */
struct skb_task {
	__u32 state;                  /* enum skb_task_state */
	__u32 exe;                    /* executable id, or SKB_EXE_NONE */
	__u32 flags;                  /* enum skb_task_flag */
	__u32 last_arch;              /* the latest call: the execve before the */
					/* program's exec; the call under way (--errors) */
	__s32 last_nr;
	__u32 set;                    /* where its calls are counted */
};

/* Set by the loader before the program is loaded (.rodata). */
struct skb_config {
	__u64 nonce;                  /* handshake secret */
	__u64 pidns_dev;              /* the tracer's pid namespace */
	__u64 pidns_ino;
	__u32 attach;                 /* -p: threads inherit their leader's state */
	__u32 ts_compat;              /* TS_COMPAT in thread_info.status */
	__u32 errors;                 /* --errors: keep each call for its exit */
	__u32 containers;             /* enum skb_ctr_mode */
	__u32 ctr_max;                /* containers the maps are sized for */
	__u32 pid_level;              /* the tracer's pid namespace's level */
};

enum skb_ctr_mode {
	SKB_CTR_OFF = 0,              /* the launched tree or -p */
	SKB_CTR_DISCOVER = 1,         /* every container that starts */
	SKB_CTR_JOIN = 2,             /* only the pid namespaces in ctr_ns */
};

/* One container (the ctrs map): kept by the kernel program, read by the loader. */
struct skb_ctr {
	__s64 live;                   /* its tasks alive (SKB_T_COUNTED) */
	__u64 processes;
	__u64 threads;
	__u32 pidns;                  /* its pid namespace's inode */
	__u32 init_tgid;              /* the init, in the tracer's pid ns */
	__u32 filter;                 /* 1: began at the filter load; 0: at exec */
	__u32 started;                /* the program's exec happened */
	char cgroup[SKB_CG_NAME];     /* the init's cgroup (v2) directory name */
	char cgroup_parent[SKB_CG_NAME]; /* and its parent's ("docker") */
};

struct skb_probe_call {
	__u32 arch;
	__s32 nr;
};

/* Counters and flags (.bss, mapped by the loader). */
struct skb_state {
	__s64 live;                   /* traced tasks alive (SKB_T_COUNTED) */
	__u64 processes;              /* tasks created: leaders, and all */
	__u64 threads;
	__u64 lost_tasks;             /* tasks that could not be followed */
	__u64 other_lost;             /* calls whose (arch, nr) found no slot */
	__u64 errors_lost;            /* return values the errno map had no room for */
	__u32 n_exe;                  /* executable ids handed out */
	__u32 exe_lost;               /* executions past SKB_EXE_MAX */
	__u32 hs_tgid;                /* the latest handshake: who */
	__u32 hs_count;               /* how many */
	__u32 n_probe;
	__u32 started;                /* the program's exec happened */
	__u32 n_ctr;                  /* containers started */
	__u32 ctr_lost;               /* containers with no free index */
	struct skb_probe_call probe[SKB_PROBE_MAX];
};

enum skb_event_type {
	SKB_EV_EMPTY = 1,             /* the last traced task exited */
	SKB_EV_CTR_START = 2,         /* a container began: ctr, pid of its init */
	SKB_EV_CTR_END = 3,           /* a container's last task exited */
};

struct skb_event {
	__u32 type;
	__u32 pid;
	__u32 ctr;
	__u32 pad;
};

#endif
