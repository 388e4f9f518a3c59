/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * The bpf backend's kernel side (loaded by lib/bpf_sys.c, x86_64 only).
 *
 * sys_enter: one task-storage lookup; a task outside the traced tree
 * returns there (unless it makes the handshake call).  A traced task's
 * call bumps a per-CPU slot for (arch, nr), marks its executable, and,
 * where the knowledge table lists argument positions (the specs map the
 * loader fills), inserts the masked tuple into a bounded hash.  Nothing
 * goes to user space per call: the loader reads the maps once, at the end.
 *
 * The tree: a task is traced when it made the handshake (the program,
 * before its exec) or was created by a traced task (sched_process_fork,
 * which fires before the child is first woken), and is counted out at
 * sched_process_exit; the last exit wakes the loader through a ring buffer.
 * Before its exec the program's calls are not recorded, but the latest is
 * kept: at sched_process_exec it is the execve, recorded then with no
 * executable, as the notify and ptrace backends do.
 *
 * Containers (cfg.containers): nothing is launched into the tree.  A task
 * of a pid namespace other than the tracer's joins when its
 * seccomp(SECCOMP_SET_MODE_FILTER) or prctl(PR_SET_SECCOMP) returns
 * (sys_exit), or at its exec when no filter was loaded: the namespace's
 * init starts a container of its own (DISCOVER), a task of a namespace
 * already known joins that container (docker exec).  A container's calls
 * count in sets of their own, the runtime's (filter load to exec) apart.
 *
 * Kernel types are declared with only the fields read; CO-RE relocates
 * them against the running kernel's BTF, so no vmlinux.h is needed.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "trace_bpf.h"

#define EEXIST_ 17
#define NR_PRCTL_ 157                  /* x86_64 */
#define NR_SECCOMP_ 317
#define NR_EXECVE_ 59
#define PR_SET_SECCOMP_ 22
#define SECCOMP_MODE_FILTER_ 2
#define SECCOMP_SET_MODE_FILTER_ 1

struct pt_regs {
	unsigned long bx, cx, dx, si, di, bp, r8, r9, r10, orig_ax;
} __attribute__((preserve_access_index));

struct thread_info {
	__u32 status;
} __attribute__((preserve_access_index));

struct qstr {
	union {
		struct {
			__u32 hash;
			__u32 len;
		};
		__u64 hash_len;
	};
	const unsigned char *name;
} __attribute__((preserve_access_index));

struct hlist_bl_node {
	struct hlist_bl_node *next, **pprev;
} __attribute__((preserve_access_index));

struct dentry {
	struct hlist_bl_node d_hash;  /* pprev NULL: unhashed (unlinked) */
	struct dentry *d_parent;
	struct qstr d_name;
} __attribute__((preserve_access_index));

struct vfsmount {
	struct dentry *mnt_root;
} __attribute__((preserve_access_index));

struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
} __attribute__((preserve_access_index));

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
} __attribute__((preserve_access_index));

struct file {
	struct path f_path;
} __attribute__((preserve_access_index));

struct fs_struct {
	struct path root;
} __attribute__((preserve_access_index));

struct linux_binprm {
	struct file *file;
} __attribute__((preserve_access_index));

struct bpf_local_storage;

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct pid_namespace {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct upid {
	int nr;
	struct pid_namespace *ns;
} __attribute__((preserve_access_index));

struct pid {
	unsigned int level;
	struct upid numbers[1];
} __attribute__((preserve_access_index));

struct kernfs_node {
	struct kernfs_node *__parent; /* 6.15 on */
	const char *name;
} __attribute__((preserve_access_index));

struct kernfs_node___old {
	struct kernfs_node *parent;   /* before 6.15 */
} __attribute__((preserve_access_index));

struct cgroup {
	struct kernfs_node *kn;
} __attribute__((preserve_access_index));

struct css_set {
	struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

struct task_struct {
	struct thread_info thread_info;
	struct css_set *cgroups;
	struct task_struct *group_leader;
	struct pid *thread_pid;
	struct fs_struct *fs;
	struct bpf_local_storage *bpf_storage;
} __attribute__((preserve_access_index));

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile struct skb_config cfg = {};
struct skb_state state = {};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct skb_task);
} tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SKB_SLOTS);
	__type(key, __u32);
	__type(value, struct skb_slot);
} slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SKB_SLOTS);
	__type(key, __u32);
	__type(value, struct skb_spec);
} specs SEC(".maps");

/* Distinct tuples inserted per slot, to stop at SKB_TUPLE_CAP. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SKB_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} tcount SEC(".maps");

/* Sized by the loader: specs in use times SKB_TUPLE_CAP, with room. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1);
	__type(key, struct skb_tuple_key);
	__type(value, __u8);
} tuples SEC(".maps");

/* Hash maps allocate on insert: preallocating per-CPU elements is most
 * of the start-up time. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SKB_OTHER_MAX);
	__type(key, struct skb_other_key);
	__type(value, struct skb_slot);
} others SEC(".maps");

/* Sized to 1 by the loader without --errors. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SKB_ERR_MAX);
	__type(key, struct skb_err_key);
	__type(value, __u64);
} errs SEC(".maps");

/* A hash of an executable's path (its dentries and mounts) -> its id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SKB_EXE_KEYS);
	__type(key, __u64);
	__type(value, __u32);
} exe_ids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SKB_EXE_MAX);
	__type(key, __u32);
	__type(value, struct skb_exe);
} exes SEC(".maps");

/* Containers: pid namespace inode -> container index. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SKB_CTR_MAX);
	__type(key, __u32);
	__type(value, __u32);
} ctr_ns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SKB_CTR_MAX);
	__type(key, __u32);
	__type(value, struct skb_ctr);
} ctrs SEC(".maps");

/* Container indexes free to hand out (the loader fills and refills it). */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, SKB_CTR_MAX);
	__type(value, __u32);
} ctr_free SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 4);
} events SEC(".maps");

/*
 * The task's record, or NULL when it is not traced.  Attaching (-p), a
 * thread of an attached process has no record of its own until its first
 * call: it takes one then, from its group leader's.
 */
static __always_inline struct skb_task *has_state(struct task_struct *task)
{
	/* Most tasks on the host have no task storage at all: one load
	 * tells, before the helper call. */
	if (bpf_core_field_exists(task->bpf_storage) && !task->bpf_storage)
		return NULL;
	return bpf_task_storage_get(&tasks, task, 0, 0);
}

static __always_inline struct skb_task *task_state(struct task_struct *task)
{
	struct skb_task *ts = has_state(task);
	struct skb_task *ls, init = {};

	if (ts || !(cfg.attach || cfg.containers))
		return ts;
	ls = has_state(task->group_leader);
	if (!ls || !(ls->flags & SKB_T_ROOT))
		return NULL;
	init.state = SKB_RUNNING;
	init.exe = ls->exe;
	init.set = ls->set;
	return bpf_task_storage_get(&tasks, task, &init,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
}

/* The call's arch as the kernel runs it, and its slot number. */
static __always_inline __u32 call_arch(struct task_struct *task, __s32 id, __s32 *nr)
{
	*nr = id;
	if (task->thread_info.status & cfg.ts_compat)
		return SKB_ARCH_I386;
	if (id & SKB_X32_BIT) {
		*nr = id & ~SKB_X32_BIT;
		return SKB_ARCH_X32;
	}
	return SKB_ARCH_X86_64;
}

/* Argument i as syscall_get_arguments() reads it (what seccomp sees). */
static __always_inline __u64 arg(struct pt_regs *regs, __u32 arch, __u32 i)
{
	if (arch == SKB_ARCH_I386) {
		switch (i) {
		case 0: return regs->bx;
		case 1: return regs->cx;
		case 2: return regs->dx;
		case 3: return regs->si;
		case 4: return regs->di;
		default: return regs->bp;
		}
	}
	switch (i) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	default: return regs->r9;
	}
}

static __always_inline void mark_exe(struct skb_slot *s, __u32 exe)
{
	__u64 bit, *w;

	if (exe >= SKB_EXE_MAX)
		return;
	bit = 1ULL << (exe & 63);
	w = &s->exe[(exe >> 6) & (SKB_EXE_MAX / 64 - 1)];
	if (!(*w & bit))
		*w |= bit;
}

static __always_inline void record_tuple(struct skb_slot *s, const struct skb_spec *sp,
					 struct pt_regs *regs, __u32 arch, __u32 slot)
{
	struct skb_tuple_key k = { .slot = slot };
	__u8 one = 1;
	__u32 *n;
	long r;

	for (int i = 0; i < SKB_ARGS; i++)
		if (i < sp->n)
			k.v[i] = arg(regs, arch, sp->idx[i]) & sp->mask[i];
	if (bpf_map_lookup_elem(&tuples, &k))
		return;
	n = bpf_map_lookup_elem(&tcount, &slot);
	if (!n || *n >= SKB_TUPLE_CAP)
		return; /* the recorder has more than it keeps: "unbounded" */
	r = bpf_map_update_elem(&tuples, &k, &one, BPF_NOEXIST);
	if (!r)
		__sync_fetch_and_add(n, 1);
	else if (r != -EEXIST_)
		s->unbounded = 1;
}

/* A number outside the direct slots (a bad or future number, x32's high ones). */
static __always_inline void record_other(__u32 arch, __s32 raw, __u32 exe, __u32 set)
{
	struct skb_other_key k = { .arch = arch == SKB_ARCH_I386 ? SKB_ARCH_I386 : SKB_ARCH_X86_64,
				   .nr = raw, .set = set };
	struct skb_slot *s = bpf_map_lookup_elem(&others, &k);

	if (!s) {
		struct skb_slot zero = {};
		long r = bpf_map_update_elem(&others, &k, &zero, BPF_NOEXIST);

		if (r && r != -EEXIST_) {
			__sync_fetch_and_add(&state.other_lost, 1);
			return;
		}
		s = bpf_map_lookup_elem(&others, &k);
		if (!s)
			return;
	}
	s->count++;
	mark_exe(s, exe);
}

static __always_inline void record(struct pt_regs *regs, __u32 arch, __s32 nr,
				   __s32 raw, __u32 exe, __u32 set)
{
	struct skb_spec *sp;
	struct skb_slot *s;
	__u32 key, skey;

	if (nr < 0 || nr >= SKB_NR_MAX) {
		record_other(arch, raw, exe, set);
		return;
	}
	key = arch * SKB_NR_MAX + (__u32)nr;
	skey = set * SKB_SLOTS + key;
	s = bpf_map_lookup_elem(&slots, &skey);
	if (!s)
		return;
	s->count++;
	mark_exe(s, exe);
	if (!regs)
		return;
	sp = bpf_map_lookup_elem(&specs, &key);
	if (sp && sp->n)
		record_tuple(s, sp, regs, arch, skey);
}

/* p's process as pid namespace level (or its own, -1) numbers it. */
static __always_inline int upid_of(struct task_struct *p, int level, struct upid *u)
{
	struct pid *pid = BPF_CORE_READ(p, group_leader, thread_pid);
	unsigned int own = BPF_CORE_READ(pid, level);

	if (!pid || (level >= 0 && (unsigned int)level > own))
		return -1;
	return bpf_probe_read_kernel(u, sizeof(*u),
				     &pid->numbers[(level < 0 ? own : (unsigned int)level) & 31]);
}

/* The pid namespace of p's process (its inode) and the process's number there. */
static __always_inline __u32 pidns_of(struct task_struct *p, int *vnr)
{
	struct upid u = {};

	if (upid_of(p, -1, &u))
		return 0;
	*vnr = u.nr;
	return BPF_CORE_READ(u.ns, ns.inum);
}

/* The counters a task's birth and death go to: its container's, or the run's. */
static __always_inline void count_birth(const struct skb_task *ts, int process)
{
	__u32 n = ts->set / 2;
	struct skb_ctr *c = cfg.containers ? bpf_map_lookup_elem(&ctrs, &n) : 0;

	if (cfg.containers && !c)
		return;
	__sync_fetch_and_add(c ? &c->live : &state.live, 1);
	__sync_fetch_and_add(c ? &c->threads : &state.threads, 1);
	if (process)
		__sync_fetch_and_add(c ? &c->processes : &state.processes, 1);
}

static __always_inline void send(__u32 type, __u32 pid, __u32 ctr)
{
	struct skb_event ev = { .type = type, .pid = pid, .ctr = ctr };

	bpf_ringbuf_output(&events, &ev, sizeof(ev), BPF_RB_FORCE_WAKEUP);
}

/*
 * A new container for pid namespace ns: a free index (the loader puts an
 * index back once it has written that container's trace and cleared its
 * counters), or cfg.ctr_max when none is free.
 */
static __always_inline __u32 ctr_new(struct task_struct *task, __u32 ns, int filter, __u32 tgid)
{
	__u32 n = 0, *have;
	struct kernfs_node *kn, *up;
	struct skb_ctr *c;

	if (bpf_map_pop_elem(&ctr_free, &n) || n >= cfg.ctr_max) {
		__sync_fetch_and_add(&state.ctr_lost, 1);
		return cfg.ctr_max;
	}
	__sync_fetch_and_add(&state.n_ctr, 1);
	c = bpf_map_lookup_elem(&ctrs, &n);
	if (!c)
		return cfg.ctr_max;
	c->pidns = ns;
	c->filter = filter;
	c->init_tgid = tgid;
	/* The init's cgroup (v2), kept for the loader: the container's id
	 * where the runtime names the directory after it, even when the
	 * container is gone before the loader reads /proc. */
	kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
	bpf_probe_read_kernel_str(c->cgroup, sizeof(c->cgroup), BPF_CORE_READ(kn, name));
	if (bpf_core_field_exists(kn->__parent))
		up = BPF_CORE_READ(kn, __parent);
	else
		up = BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
	if (up)
		bpf_probe_read_kernel_str(c->cgroup_parent, sizeof(c->cgroup_parent),
					  BPF_CORE_READ(up, name));
	if (bpf_map_update_elem(&ctr_ns, &ns, &n, BPF_NOEXIST)) {
		bpf_map_push_elem(&ctr_free, &n, 0);
		have = bpf_map_lookup_elem(&ctr_ns, &ns);
		return have ? *have : cfg.ctr_max;
	}
	send(SKB_EV_CTR_START, tgid, n);
	return n;
}

/*
 * Containers: task (current) joins the container of its pid namespace,
 * counted in the runtime's set (it loaded the filter) or the program's
 * (it exec'd).  A namespace's init starts the container (DISCOVER); the
 * tracer's own namespace never does.  Its threads inherit from its leader.
 */
static __always_inline struct skb_task *ctr_join(struct task_struct *task, int runtime)
{
	struct skb_task init = { .state = SKB_RUNNING, .exe = SKB_EXE_NONE }, *ts;
	struct task_struct *leader = task->group_leader;
	struct upid me = {};
	__u32 ns, *idx, n;
	int vnr = 0;

	ns = pidns_of(task, &vnr);
	if (!ns || ns == (__u32)cfg.pidns_ino)
		return 0;
	idx = bpf_map_lookup_elem(&ctr_ns, &ns);
	if (idx) {
		n = *idx;
	} else {
		if (cfg.containers != SKB_CTR_DISCOVER || vnr != 1)
			return 0;
		/* Its number in the tracer's pid namespace, for /proc there. */
		upid_of(task, (int)cfg.pid_level, &me);
		n = ctr_new(task, ns, runtime, (__u32)me.nr);
		if (n >= cfg.ctr_max)
			return 0;
	}
	init.set = n * 2 + (runtime ? SKB_SET_RUNTIME : 0);
	init.flags = SKB_T_COUNTED | (leader == task ? SKB_T_ROOT : 0);
	ts = bpf_task_storage_get(&tasks, task, &init, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts) {
		__sync_fetch_and_add(&state.lost_tasks, 1);
		return 0;
	}
	if (leader != task) {
		init.flags = SKB_T_ROOT;
		bpf_task_storage_get(&tasks, leader, &init, BPF_LOCAL_STORAGE_GET_F_CREATE);
	}
	count_birth(ts, 1);
	return ts;
}

/* seccomp(SECCOMP_SET_MODE_FILTER) or prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER). */
static __always_inline int filter_load(struct pt_regs *regs)
{
	long nr = (long)regs->orig_ax;

	if (nr == NR_SECCOMP_)
		return regs->di == SECCOMP_SET_MODE_FILTER_;
	return nr == NR_PRCTL_ && regs->di == PR_SET_SECCOMP_ && regs->si == SECCOMP_MODE_FILTER_;
}

static __always_inline void handshake(struct task_struct *task, __u64 kind)
{
	struct skb_task init = { .exe = SKB_EXE_NONE };
	struct bpf_pidns_info ns = {};
	struct skb_task *ts;

	if (kind == SKB_KIND_PROGRAM) {
		init.state = SKB_PRE_EXEC;
		init.flags = SKB_T_COUNTED;
	} else if (kind == SKB_KIND_PROBE) {
		init.state = SKB_PROBING;
	} else {
		return;
	}
	ts = bpf_task_storage_get(&tasks, task, &init, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return;
	if (kind == SKB_KIND_PROGRAM)
		count_birth(ts, 1);
	if (!bpf_get_ns_current_pid_tgid(cfg.pidns_dev, cfg.pidns_ino, &ns, sizeof(ns)))
		state.hs_tgid = ns.tgid;
	__sync_fetch_and_add(&state.hs_count, 1);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sk_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct skb_task *ts = task_state(task);
	__s32 nr, raw = (__s32)id;
	__u32 arch;

	if (!ts) {
		if (raw == SKB_HANDSHAKE_NR && regs->di == cfg.nonce)
			handshake(task, regs->si);
		return 0;
	}
	arch = call_arch(task, raw, &nr);
	if (ts->state == SKB_RUNNING) {
		record(regs, arch, nr, raw, ts->exe, ts->set);
		if (cfg.errors) {
			ts->last_arch = arch;
			ts->last_nr = raw;
			ts->flags |= SKB_T_IN_CALL;
		}
	} else if (ts->state == SKB_PRE_EXEC) {
		ts->last_arch = arch;
		ts->last_nr = raw;
	} else if (ts->state == SKB_PROBING) {
		__u32 i = state.n_probe;

		if (i < SKB_PROBE_MAX) {
			state.probe[i].arch = arch;
			state.probe[i].nr = nr;
			state.n_probe = i + 1;
		}
	}
	return 0;
}

/* --errors: the errno of each failed call, by the (arch, nr) it entered as. */
SEC("tp_btf/sys_exit")
int BPF_PROG(sk_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct skb_task *ts = task_state(task);
	struct skb_err_key k = {};
	__u64 one = 1, *n;

	if (!ts) {
		if (cfg.containers && ret >= 0 && filter_load(regs))
			ctr_join(task, 1);
		return 0;
	}
	if (!cfg.errors)
		return 0;
	/* Only calls whose entry was seen (as the ptrace backend): not a
	 * child's return from fork, not the call an attached thread was in. */
	if (ts->state != SKB_RUNNING || !(ts->flags & SKB_T_IN_CALL))
		return 0;
	ts->flags &= ~SKB_T_IN_CALL;
	if (ret >= 0 || ret < -4095)
		return 0;
	/* -ERESTARTSYS .. -ERESTART_RESTARTBLOCK: the kernel's own, never
	 * returned; the call runs again or fails with EINTR after this. */
	if (ret <= -512 && ret >= -516)
		return 0;
	k.arch = ts->last_arch == SKB_ARCH_I386 ? SKB_ARCH_I386 : SKB_ARCH_X86_64;
	k.nr = ts->last_nr;
	k.err = (__u32)-ret;
	k.set = ts->set;
	n = bpf_map_lookup_elem(&errs, &k);
	if (n) {
		*n += 1;
	} else if (bpf_map_update_elem(&errs, &k, &one, BPF_NOEXIST) == -EEXIST_) {
		n = bpf_map_lookup_elem(&errs, &k);
		if (n)
			*n += 1;
	} else if (!bpf_map_lookup_elem(&errs, &k)) {
		__sync_fetch_and_add(&state.errors_lost, 1);
	}
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sk_fork, struct task_struct *parent, struct task_struct *child)
{
	struct skb_task *pts = task_state(parent), *cts, init;

	if (!pts || pts->state == SKB_PROBING)
		return 0;
	init = *pts;
	init.flags = SKB_T_COUNTED;
	cts = bpf_task_storage_get(&tasks, child, &init, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!cts) {
		__sync_fetch_and_add(&state.lost_tasks, 1);
		return 0;
	}
	count_birth(cts, child->group_leader == child);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sk_exit, struct task_struct *p)
{
	struct skb_task *ts = bpf_task_storage_get(&tasks, p, 0, 0);
	__u32 n;

	if (!ts)
		return 0;
	if ((ts->flags & SKB_T_COUNTED) && cfg.containers) {
		struct skb_ctr *c;

		ts->flags &= ~SKB_T_COUNTED;
		n = ts->set / 2;
		c = bpf_map_lookup_elem(&ctrs, &n);
		if (c && __sync_fetch_and_add(&c->live, -1) == 1) {
			/* The kernel reuses a freed namespace's inode number:
			 * the next container may get this one. */
			if (cfg.containers == SKB_CTR_DISCOVER)
				bpf_map_delete_elem(&ctr_ns, &c->pidns);
			send(SKB_EV_CTR_END, 0, n);
		}
	} else if (ts->flags & SKB_T_COUNTED) {
		ts->flags &= ~SKB_T_COUNTED;
		if (__sync_fetch_and_add(&state.live, -1) == 1)
			send(SKB_EV_EMPTY, 0, 0);
	}
	if (!(ts->flags & SKB_T_ROOT))
		bpf_task_storage_delete(&tasks, p);
	return 0;
}

/* Walking an executable's path up to the root, as d_path() does. */
struct walk {
	__u64 d, vm, m;       /* dentry, its vfsmount, that mount */
	__u64 root_d, root_m; /* the exec'ing task's root */
};

enum { W_NAME, W_MOUNT, W_DONE, W_STUCK };

static __always_inline __u64 mount_of(__u64 vm)
{
	return vm - bpf_core_field_offset(struct mount, mnt);
}

static __always_inline int step(struct walk *w, __u64 *hash_len, __u64 *name)
{
	struct dentry *d = (void *)w->d;
	struct vfsmount *vm = (void *)w->vm;
	struct mount *m = (void *)w->m;
	__u64 up, parent;

	if (w->d == w->root_d && w->vm == w->root_m)
		return W_DONE;
	if (w->d == (__u64)BPF_CORE_READ(vm, mnt_root)) {
		parent = (__u64)BPF_CORE_READ(m, mnt_parent);
		if (!parent || parent == w->m)
			return W_DONE; /* the top of the mount tree */
		w->d = (__u64)BPF_CORE_READ(m, mnt_mountpoint);
		w->m = parent;
		w->vm = parent + bpf_core_field_offset(struct mount, mnt);
		return W_MOUNT;
	}
	up = (__u64)BPF_CORE_READ(d, d_parent);
	if (!up || up == w->d)
		return W_STUCK;
	*hash_len = BPF_CORE_READ(d, d_name.hash_len);
	*name = (__u64)BPF_CORE_READ(d, d_name.name);
	w->d = up;
	return W_NAME;
}

static __always_inline void walk_start(struct walk *w, struct file *f, struct task_struct *p)
{
	w->d = (__u64)BPF_CORE_READ(f, f_path.dentry);
	w->vm = (__u64)BPF_CORE_READ(f, f_path.mnt);
	w->m = mount_of(w->vm);
	w->root_d = (__u64)BPF_CORE_READ(p, fs, root.dentry);
	w->root_m = (__u64)BPF_CORE_READ(p, fs, root.mnt);
}

/* One bpf_loop() over the walk: verified once, not once per step. */
struct walk_ctx {
	struct walk w;
	__u64 h;              /* the path's hash, while hashing */
	__u32 id;             /* copying: the exes entry filled */
	__u32 off;
	int copy;
	int done;             /* reached the root */
};

static long hash_step(__u32 i, void *arg)
{
	struct walk_ctx *c = arg;
	__u64 hl = 0, name = 0;
	int r = step(&c->w, &hl, &name);

	(void)i;
	if (r == W_DONE || r == W_STUCK)
		return 1;
	c->h = (c->h ^ (r == W_NAME ? hl : c->w.m)) * 0x100000001b3ULL;
	c->h ^= c->h >> 29;
	return 0;
}

static long copy_step(__u32 i, void *arg)
{
	struct walk_ctx *c = arg;
	__u64 hl = 0, name = 0;
	struct skb_exe *e;
	__u32 id = c->id;
	int r = step(&c->w, &hl, &name);
	long k;

	(void)i;
	if (r == W_DONE) {
		c->done = 1;
		return 1;
	}
	if (r == W_STUCK || c->off >= SKB_PATH_BUF)
		return 1;
	if (r != W_NAME)
		return 0;
	e = bpf_map_lookup_elem(&exes, &id);
	if (!e)
		return 1;
	k = bpf_probe_read_kernel_str(&e->buf[c->off & (SKB_PATH_BUF - 1)],
				      SKB_NAME_MAX, (void *)name);
	if (k <= 0)
		return 1;
	c->off += (__u32)k;
	return 0;
}

/*
 * The id of the file p executes: the same path (the same dentries on the
 * same mounts) gets the same id.  A new one has its path copied into exes
 * for the loader; past SKB_EXE_MAX ids the calls go unattributed, as the
 * recorder's own table does.
 */
static __always_inline __u32 exe_id(struct linux_binprm *bprm, struct task_struct *p)
{
	struct file *f = BPF_CORE_READ(bprm, file);
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	struct bpf_pidns_info ns = {};
	struct walk_ctx c = { .h = 0xcbf29ce484222325ULL };
	struct skb_exe *e;
	__u32 *id, n, deleted;

	/* d_unlinked(), as d_path() tells it: unhashed, and not a root. */
	deleted = !BPF_CORE_READ(d, d_hash.pprev) && (__u64)BPF_CORE_READ(d, d_parent) != (__u64)d;
	c.h ^= deleted;
	walk_start(&c.w, f, p);
	bpf_loop(SKB_DEPTH, hash_step, &c, 0);
	id = bpf_map_lookup_elem(&exe_ids, &c.h);
	if (id)
		return *id;
	n = __sync_fetch_and_add(&state.n_exe, 1);
	if (n >= SKB_EXE_MAX) {
		__sync_fetch_and_add(&state.exe_lost, 1);
		return SKB_EXE_NONE;
	}
	walk_start(&c.w, f, p);
	c.id = n;
	bpf_loop(SKB_DEPTH, copy_step, &c, 0);
	e = bpf_map_lookup_elem(&exes, &n);
	if (!e)
		return SKB_EXE_NONE;
	e->len = c.off > SKB_PATH_BUF ? SKB_PATH_BUF : c.off;
	e->complete = c.done;
	e->deleted = deleted;
	if (!bpf_get_ns_current_pid_tgid(cfg.pidns_dev, cfg.pidns_ino, &ns, sizeof(ns)))
		e->tgid = ns.tgid;
	bpf_map_update_elem(&exe_ids, &c.h, &n, BPF_ANY);
	return n;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sk_exec, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
	struct skb_task *ts = task_state(p);

	(void)old_pid;
	if (!ts && cfg.containers) {
		/* No filter was loaded: the container starts at its exec. */
		ts = ctr_join(p, 0);
		if (ts)
			record(NULL, SKB_ARCH_X86_64, NR_EXECVE_, NR_EXECVE_, SKB_EXE_NONE, ts->set);
	}
	if (!ts || ts->state == SKB_PROBING)
		return 0;
	if (ts->state == SKB_PRE_EXEC) {
		/* The program's execve, made by no executable of its own. */
		record(NULL, ts->last_arch, ts->last_arch == SKB_ARCH_X32 ?
		       ts->last_nr & ~SKB_X32_BIT : ts->last_nr, ts->last_nr,
		       SKB_EXE_NONE, ts->set);
		ts->state = SKB_RUNNING;
		__sync_fetch_and_add(&state.started, 1);
	}
	if (cfg.containers) {
		/* The runtime hands over to the program. */
		__u32 n = ts->set / 2;
		struct skb_ctr *c = bpf_map_lookup_elem(&ctrs, &n);

		ts->set &= ~SKB_SET_RUNTIME;
		if (c)
			c->started = 1;
	}
	ts->exe = exe_id(bprm, p);
	return 0;
}
