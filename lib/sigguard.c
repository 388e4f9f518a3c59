/* SPDX-License-Identifier: MIT */
/*
 * The signal guard's table (sigguard.h).  Each entry says why the kernel
 * never returns -ERESTARTSYS from the call natively.  Calls that can sleep
 * interruptibly (read/write on pipes and sockets, blocking wait4, openat of
 * a FIFO, futex waits, tty ioctls, connect, accept...) are not listed: they
 * return EINTR natively too, so a program already copes with it.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "sigguard.h"

#define ARCH_MAX 4

/* Reasons shared by many entries. */
#define NOSLEEP  "never sleeps interruptibly"
#define FD_NEW   "creates or changes a descriptor; never sleeps interruptibly"
#define META     "file metadata: sleeps only uninterruptibly (FUSE answers EINTR itself)"
#define STATE    "process, credential or signal state; never sleeps"
#define MEM      "memory map calls wait killably at most (mmap_lock)"
#define FORK     "kernel/fork.c restarts with -ERESTARTNOINTR itself when a signal is pending"
#define NOHAND   "returns -ERESTARTNOHAND or -ERESTART_RESTARTBLOCK natively, never -ERESTARTSYS"
#define SOCKOPT  "socket setup: lock_sock sleeps uninterruptibly"

#define A(n, w) { .name = (n), .cond = SK_GUARD_ALWAYS, .why = (w) }

/* Option bits and commands (uapi values, the same on x86_64, i386, x32). */
#define WNOHANG_ 1
#define LOCK_NB_ 4
#define F_SETLKW_ 7
#define F_SETLKW64_ 14
#define F_OFD_SETLKW_ 38
#define FUTEX_CMD_MASK_ 0x7f

/* Sorted by name (a unit test checks it). */
static const struct sk_guard_rule table[] = {
	A("_llseek", STATE),
	A("_newselect", NOHAND),
	A("access", META),
	A("alarm", STATE),
	A("arch_prctl", STATE),
	A("bind", SOCKOPT),
	A("brk", MEM),
	A("capget", STATE),
	A("chdir", META),
	A("chmod", META),
	A("chown", META),
	A("clock_getres", STATE),
	A("clock_gettime", STATE),
	A("clock_nanosleep", NOHAND),
	A("clone", FORK),
	A("clone3", FORK),
	A("close", "fs/open.c turns ERESTART* into EINTR: close never restarts"),
	A("dup", FD_NEW),
	A("dup2", FD_NEW),
	A("dup3", FD_NEW),
	A("epoll_create", FD_NEW),
	A("epoll_create1", FD_NEW),
	A("epoll_ctl", FD_NEW),
	A("epoll_pwait", NOHAND),
	A("epoll_pwait2", NOHAND),
	A("epoll_wait", NOHAND),
	A("eventfd2", FD_NEW),
	A("execve", "only a fatal signal interrupts an exec"),
	A("execveat", "only a fatal signal interrupts an exec"),
	A("faccessat", META),
	A("faccessat2", META),
	A("fchdir", META),
	A("fchmod", META),
	A("fchmodat", META),
	A("fchown", META),
	A("fchownat", META),
	{ .name = "fcntl", .cond = SK_GUARD_OP_NOT_IN, .arg = 1, .mask = 0xffffffffULL,
	  .vals = { F_SETLKW_, F_SETLKW64_, F_OFD_SETLKW_ }, .n_vals = 3,
	  .why = "only the F_SETLKW lock waits sleep interruptibly" },
	{ .name = "fcntl64", .cond = SK_GUARD_OP_NOT_IN, .arg = 1, .mask = 0xffffffffULL,
	  .vals = { F_SETLKW_, F_SETLKW64_, F_OFD_SETLKW_ }, .n_vals = 3,
	  .why = "only the F_SETLKW lock waits sleep interruptibly" },
	{ .name = "flock", .cond = SK_GUARD_FLAG_SET, .arg = 1, .mask = LOCK_NB_,
	  .why = "LOCK_NB never waits" },
	A("fork", FORK),
	A("fstat", META),
	A("fstat64", META),
	A("fstatat64", META),
	A("fstatfs", META),
	{ .name = "futex", .cond = SK_GUARD_OP_IN, .arg = 1, .mask = FUTEX_CMD_MASK_,
	  .vals = { 1, 3, 4, 5, 10 }, .n_vals = 5,
	  .why = "wake and requeue operations never wait" },
	A("getcwd", META),
	A("getdents", META),
	A("getdents64", META),
	A("getegid", STATE),
	A("getegid32", STATE),
	A("geteuid", STATE),
	A("geteuid32", STATE),
	A("getgid", STATE),
	A("getgid32", STATE),
	A("getgroups", STATE),
	A("getgroups32", STATE),
	A("getitimer", STATE),
	A("getpeername", SOCKOPT),
	A("getpgid", STATE),
	A("getpgrp", STATE),
	A("getpid", STATE),
	A("getppid", STATE),
	A("getresgid", STATE),
	A("getresgid32", STATE),
	A("getresuid", STATE),
	A("getresuid32", STATE),
	A("getrlimit", STATE),
	A("getrusage", STATE),
	A("getsid", STATE),
	A("getsockname", SOCKOPT),
	A("getsockopt", SOCKOPT),
	A("gettid", STATE),
	A("gettimeofday", STATE),
	A("getuid", STATE),
	A("getuid32", STATE),
	A("inotify_add_watch", FD_NEW),
	A("inotify_init1", FD_NEW),
	A("inotify_rm_watch", FD_NEW),
	A("kill", STATE),
	A("lchown", META),
	A("link", META),
	A("linkat", META),
	A("listen", SOCKOPT),
	A("lseek", STATE),
	A("lstat", META),
	A("lstat64", META),
	A("madvise", MEM),
	A("memfd_create", FD_NEW),
	A("mkdir", META),
	A("mkdirat", META),
	A("mmap", MEM),
	A("mmap2", MEM),
	A("mprotect", MEM),
	A("mremap", MEM),
	A("munmap", MEM),
	A("nanosleep", NOHAND),
	A("newfstatat", META),
	A("pause", NOHAND),
	A("pipe", FD_NEW),
	A("pipe2", FD_NEW),
	A("poll", NOHAND),
	A("ppoll", NOHAND),
	A("prctl", STATE),
	A("prlimit64", STATE),
	A("pselect6", NOHAND),
	A("readlink", META),
	A("readlinkat", META),
	A("rename", META),
	A("renameat", META),
	A("renameat2", META),
	A("rmdir", META),
	A("rseq", STATE),
	A("rt_sigaction", STATE),
	A("rt_sigpending", STATE),
	A("rt_sigprocmask", STATE),
	A("rt_sigqueueinfo", STATE),
	A("rt_sigreturn", "returns from a signal handler; never sleeps"),
	A("rt_sigsuspend", NOHAND),
	A("rt_sigtimedwait", "returns EAGAIN or EINTR itself, never -ERESTARTSYS"),
	A("rt_tgsigqueueinfo", STATE),
	A("sched_getaffinity", STATE),
	A("sched_yield", STATE),
	A("select", NOHAND),
	A("set_robust_list", STATE),
	A("set_tid_address", STATE),
	A("setitimer", STATE),
	A("setpgid", STATE),
	A("setrlimit", STATE),
	A("setsid", STATE),
	A("setsockopt", SOCKOPT),
	A("shutdown", SOCKOPT),
	A("sigaction", STATE),
	A("sigaltstack", STATE),
	A("signalfd4", FD_NEW),
	A("sigprocmask", STATE),
	A("sigreturn", "returns from a signal handler; never sleeps"),
	A("sigsuspend", NOHAND),
	A("socket", FD_NEW),
	A("socketpair", FD_NEW),
	A("stat", META),
	A("stat64", META),
	A("statfs", META),
	A("statx", META),
	A("symlink", META),
	A("symlinkat", META),
	A("sysinfo", STATE),
	A("tgkill", STATE),
	A("time", STATE),
	A("timerfd_create", FD_NEW),
	A("timerfd_gettime", FD_NEW),
	A("timerfd_settime", FD_NEW),
	A("times", STATE),
	A("tkill", STATE),
	A("ugetrlimit", STATE),
	A("umask", STATE),
	A("uname", STATE),
	A("unlink", META),
	A("unlinkat", META),
	A("utimensat", META),
	A("vfork", FORK),
	{ .name = "wait4", .cond = SK_GUARD_FLAG_SET, .arg = 2, .mask = WNOHANG_,
	  .why = "with WNOHANG it never waits" },
	{ .name = "waitid", .cond = SK_GUARD_FLAG_SET, .arg = 3, .mask = WNOHANG_,
	  .why = "with WNOHANG it never waits" },
	{ .name = "waitpid", .cond = SK_GUARD_FLAG_SET, .arg = 2, .mask = WNOHANG_,
	  .why = "with WNOHANG it never waits" },
};
#define N_RULES (sizeof(table) / sizeof(table[0]))

struct entry {
	uint32_t arch;
	int nr;
	const struct sk_guard_rule *rule;
};

struct sk_guard {
	size_t n;
	struct entry e[];
};

const struct sk_guard_rule *sk_guard_rules(unsigned *n)
{
	*n = N_RULES;
	return table;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->arch != y->arch)
		return x->arch < y->arch ? -1 : 1;
	return (x->nr > y->nr) - (x->nr < y->nr);
}

int sk_guard_new(struct sk_guard **out)
{
	uint32_t arches[ARCH_MAX];
	size_t n_arch = sk_arch_host(arches, ARCH_MAX);
	struct sk_guard *g;

	if (n_arch > ARCH_MAX)
		n_arch = ARCH_MAX;
	g = calloc(1, sizeof(*g) + n_arch * N_RULES * sizeof(g->e[0]));
	if (!g)
		return -ENOMEM;
	for (size_t a = 0; a < n_arch; a++) {
		for (size_t i = 0; i < N_RULES; i++) {
			int nr = sk_syscall_nr(arches[a], table[i].name);

			if (nr < 0)
				continue;
			if (arches[a] == SCMP_ARCH_X32)
				nr &= ~SK_X32_SYSCALL_BIT;
			g->e[g->n++] = (struct entry){ arches[a], nr, &table[i] };
		}
	}
	qsort(g->e, g->n, sizeof(g->e[0]), entry_cmp);
	*out = g;
	return 0;
}

void sk_guard_free(struct sk_guard *g)
{
	free(g);
}

static int cond_holds(const struct sk_guard_rule *r, const uint64_t args[6])
{
	uint64_t v = args[r->arg] & r->mask;
	int in = 0;

	switch (r->cond) {
	case SK_GUARD_ALWAYS:
		return 1;
	case SK_GUARD_FLAG_SET:
		return v != 0;
	case SK_GUARD_OP_IN:
	case SK_GUARD_OP_NOT_IN:
		for (unsigned i = 0; i < r->n_vals; i++)
			in |= v == r->vals[i];
		return r->cond == SK_GUARD_OP_IN ? in : !in;
	}
	return 0;
}

const struct sk_guard_rule *sk_guard_match(const struct sk_guard *g,
					   uint32_t arch, int nr,
					   const uint64_t args[6])
{
	struct entry key;
	const struct entry *e;

	sk_arch_classify(&arch, &nr);
	if (arch == SCMP_ARCH_X32)
		nr &= ~SK_X32_SYSCALL_BIT;
	key = (struct entry){ arch, nr, NULL };
	e = bsearch(&key, g->e, g->n, sizeof(g->e[0]), entry_cmp);
	return e && cond_holds(e->rule, args) ? e->rule : NULL;
}
