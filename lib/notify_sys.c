/* SPDX-License-Identifier: MIT */
/*
 * The seccomp user-notification supervisor (tracer.h).
 *
 * Handing the listener over without exempting any syscall: the child learns
 * the lowest free fd number N (the listener will get it), writes N to a
 * pipe, installs the filter, and calls execve, which blocks on the first
 * notification.  The parent copies fd N out of the child with pidfd_getfd()
 * and starts answering; the child never makes a call that is not notified.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scmpkit/arch.h"
#include "launch.h"
#include "scmpkit/filter.h"
#include "scmpkit/landlock.h"
#include "scmpkit/tracer.h"
#include "procfs.h"
#include "tasks.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

#define MAX_SUPERVISORS 8
#define TASKS_MAX 65536
/* Wakes a supervisor from RECV at the end; the standard signals are the
 * program's (forwarded), this one is the tool's own. */
#define WAKE_SIGNAL (SIGRTMIN + 2)

struct sup {
	int listener;
	struct sk_rec *rec;
	struct sk_pathrec *paths; /* NULL: no paths kept */
	const struct sock_fprog *paths_only; /* tracer.h */
	pthread_mutex_t lock;  /* serialises the recorder */
	struct sk_launch run;
	volatile int done;
	uint64_t send_enoent;  /* replies to tasks that were gone or interrupted */
	int exec_nr[8];        /* execve / execveat numbers of the host arches */
	uint32_t exec_arch[8];
	size_t n_exec;
	int exit_nr[8];        /* exit and exit_group numbers of the host arches */
	uint32_t exit_arch[8];
	size_t n_exit;
	struct sk_tasks *tasks; /* under lock */
	uint64_t untracked;    /* tasks the table had no room for */
	unsigned unnamed;      /* executables /proc could not name (past PATH_MAX) */
	int ptrace_nr[4];      /* ptrace numbers of the host arches */
	uint32_t ptrace_arch[4];
	size_t n_ptrace;
	pthread_mutex_t hand_lock; /* one release request to the keeper at a time */
	uint64_t handovers;
	struct sk_judge *judge;  /* NULL: continue every call */
	bool killable;         /* the filter has WAIT_KILLABLE_RECV (5.19+) */
	int killed_program;    /* a kill verdict ended the program (atomic) */
};

static int sys_seccomp(unsigned op, unsigned flags, void *args)
{
	return (int)syscall(SYS_seccomp, op, flags, args);
}

bool sk_notify_available(struct sk_err *why)
{
	struct seccomp_notif_sizes sizes;

	if (sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) {
		sk_err_set(why, errno, "seccomp user notification unavailable: %s",
			   strerror(errno));
		return false;
	}
	/* pidfd_getfd(-1, ...) fails with EBADF when the call exists. */
	if (syscall(SYS_pidfd_getfd, -1, 0, 0) < 0 && errno == ENOSYS) {
		sk_err_set(why, ENOSYS, "pidfd_getfd unavailable (kernel < 5.6)");
		return false;
	}
	return true;
}

/* Lowest free fd number in this process. */
static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

struct child_args {
	const struct sk_tracer_opts *o;
	const struct sock_fprog *prog;
	int pipefd;
};

/*
 * The handshake: after installing its filter the child makes this call,
 * which every filter we install notifies, and waits in it until the
 * supervisor holds the listener.  Without it a filter that allows execve in
 * the kernel (--baseline, --complain) would let the program run before
 * anyone listens.  The supervisor continues it without recording it.
 */
/* A call no program makes often: the handshake's argument check takes the
 * kernel's constant-action cache away from it, and from it only. */
#define HANDSHAKE_NR    SYS_sched_get_priority_min
#define HANDSHAKE_MAGIC 0x5ecc0de5U

/*
 * out = pre (n instructions) then filter.  Jumps in BPF are relative and
 * forward, so the original program is copied unchanged.  0 with
 * out->filter allocated, or -E2BIG past BPF_MAXINSNS, -ENOMEM.
 */
static int prefixed(const struct sock_filter *pre, size_t n,
		    const struct sock_fprog *filter, struct sock_fprog *out)
{
	if (filter->len + n > BPF_MAXINSNS)
		return -E2BIG;
	out->filter = calloc(filter->len + n, sizeof(struct sock_filter));
	if (!out->filter)
		return -ENOMEM;
	memcpy(out->filter, pre, n * sizeof(*pre));
	memcpy(out->filter + n, filter->filter, filter->len * sizeof(struct sock_filter));
	out->len = (unsigned short)(filter->len + n);
	return 0;
}

/*
 * Prefixes filter with "the handshake call is notified".  Jumps in BPF are
 * relative and forward, so the original program is copied unchanged.
 * 0 with out->filter allocated, or -E2BIG past BPF_MAXINSNS.
 */
static int with_handshake(const struct sock_fprog *filter, struct sock_fprog *out)
{
	const struct sock_filter pre[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sk_arch_native(), 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HANDSHAKE_NR, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HANDSHAKE_MAGIC, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};

	return prefixed(pre, sizeof(pre) / sizeof(pre[0]), filter, out);
}

/*
 * With a judge the filter is the profile's, and a ptrace call it allows
 * runs in the kernel, where the guard's keeper (every task's tracer) makes
 * an attach fail with EPERM.  So the handshake's prefix also notifies
 * ptrace TRACEME, ATTACH and SEIZE on the native arch, for hand_over();
 * every other ptrace request stays in the kernel.
 */
static int with_handshake_ptrace(const struct sock_fprog *filter, struct sock_fprog *out)
{
	int ptrace_nr = sk_syscall_nr(sk_arch_native(), "ptrace");
	const struct sock_filter pre[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sk_arch_native(), 0, 10),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HANDSHAKE_NR, 0, 2),
		/* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HANDSHAKE_MAGIC, 5, 6),
		/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)ptrace_nr, 0, 5),
		/* 7 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0 /* PTRACE_TRACEME */, 2, 0),
		/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 16 /* PTRACE_ATTACH */, 1, 0),
		/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x4206 /* PTRACE_SEIZE */, 0, 1),
		/* 11 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		/* 12: the filter */
	};

	if (ptrace_nr < 0)
		return with_handshake(filter, out);
	return prefixed(pre, sizeof(pre) / sizeof(pre[0]), filter, out);
}

/* Continues the child's handshake call (the listener's first notification). */
static int finish_handshake(int listener, pid_t child, struct sk_err *err)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int vanished = 0;

	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0)
			break;
		/* ENOENT: the call left its wait before we took it (an outer
		 * tracer's keeper interrupting the child to hand it over to
		 * our keeper); it is made again, and notified again. */
		if (errno == ENOENT && ++vanished < 100 && kill(child, 0) == 0)
			continue;
		if (errno != EINTR)
			return sk_err_set(err, errno, "waiting for the traced child: %s",
					  strerror(errno));
	}
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
		return sk_err_set(err, errno, "answering the traced child: %s",
				  strerror(errno));
	if ((pid_t)req.pid != child || req.data.nr != HANDSHAKE_NR ||
	    (uint32_t)req.data.args[0] != HANDSHAKE_MAGIC)
		return sk_err_set(err, EPROTO, "the traced child's first call was not the handshake");
	return 0;
}

/* In the child: announce N, install the filter, exec.  Never returns. */
static void child_run(void *arg)
{
	const struct sk_tracer_opts *o = ((struct child_args *)arg)->o;
	const struct sock_fprog *prog = ((struct child_args *)arg)->prog;
	int pipefd = ((struct child_args *)arg)->pipefd;
	int msg[2] = { 0, lowest_free_fd() };
	unsigned flags = SECCOMP_FILTER_FLAG_NEW_LISTENER |
			 SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	int fd;

	if (write(pipefd, msg, sizeof(msg)) != sizeof(msg))
		_exit(125);
	/* WAIT_KILLABLE_RECV (5.19+): once we hold a notification, only a
	 * fatal signal interrupts the call, so preemption signals (Go) do not
	 * restart it again and again. */
	if (o->landlock && (fd = sk_landlock_restrict_fd(o->landlock_fd)))
		sk_child_fail(pipefd, SK_STAGE_LANDLOCK, -fd);
	fd = sk_child_filter(prog, flags, pipefd);
	if (fd != msg[1])
		sk_child_fail(pipefd, SK_STAGE_FD, EBADF);
	syscall(HANDSHAKE_NR, (unsigned long)HANDSHAKE_MAGIC);
	execv(o->path ? o->path : o->argv[0], o->argv);
	sk_child_fail(pipefd, SK_STAGE_EXEC, errno);
}

static int is_listener(int fd)
{
	char path[64], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = '\0';
	return strstr(target, "seccomp notify") != NULL;
}

/*
 * Waits for the child to install its filter and copies the listener out.
 * Returns the fd, or a negative errno (err says which stage failed).
 */
/* The child's failure report {stage, errno} as an error. */
static int child_failed(int msg[2], struct sk_err *err)
{
	return sk_err_set(err, msg[1], "%s: %s", sk_child_stage_name(msg[0]),
			  strerror(msg[1]));
}

/*
 * The child was gone (and reaped by the keeper) before we could open it:
 * it wrote why before dying, unless it was killed.  It is dead, so what it
 * wrote is all there is: do not wait (the keeper holds the pipe open).
 */
static int child_gone(int rd, struct sk_err *err)
{
	struct pollfd p = { .fd = rd, .events = POLLIN };
	int msg[2];

	while (poll(&p, 1, 0) > 0 && read(rd, msg, sizeof(msg)) == sizeof(msg))
		if (msg[0] != 0)
			return child_failed(msg, err);
	return sk_err_set(err, ECHILD, "the traced child died before exec");
}

static int take_listener(int pidfd, int rd, struct sk_err *err)
{
	struct timespec ts = { 0, 0 };
	int msg[2], n_fd;
	ssize_t n;

	n = read(rd, msg, sizeof(msg));
	if (n != sizeof(msg))
		return sk_err_set(err, ECHILD, "the traced child died before installing its filter");
	if (msg[0] != 0)
		goto failed;
	n_fd = msg[1];
	for (int tries = 0;; tries++) {
		struct pollfd p = { .fd = rd, .events = POLLIN };
		int fd = (int)syscall(SYS_pidfd_getfd, pidfd, n_fd, 0);

		if (fd >= 0 && is_listener(fd))
			return fd;
		if (fd >= 0) {
			close(fd);
		} else if (errno != EBADF) {
			int e = errno;

			/* ESRCH: the child is gone; it wrote why before dying. */
			if (poll(&p, 1, 0) > 0 &&
			    read(rd, msg, sizeof(msg)) == sizeof(msg))
				goto failed;
			return sk_err_set(err, e, "pidfd_getfd: %s", strerror(e));
		}
		/* A failure report, or EOF when the child died.  Between
		 * tries, sleep 20 us, then 1 ms: a busy loop here took a CPU
		 * from the child installing its filter (on 2 CPUs the keeper
		 * holds the other), a few ms per start here. */
		ts.tv_nsec = tries < 100 ? 20 * 1000 : 1000 * 1000;
		if (ppoll(&p, 1, &ts, NULL) > 0) {
			n = read(rd, msg, sizeof(msg));
			if (n == sizeof(msg))
				goto failed;
			return sk_err_set(err, ECHILD, "the traced child died before exec");
		}
	}
failed:
	return child_failed(msg, err);
}

static void enable_sync_wakeup(int fd, struct sk_tracer_result *res)
{
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		  SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0) < 0)
		snprintf(res->backend_note, sizeof(res->backend_note),
			 "sync wake-up unavailable (kernel < 6.6): slower round trips");
}

/* pidfd_open refuses a thread that is not a group leader (EINVAL, ENOENT
 * since 6.15; ESRCH: gone): one call, where /proc/TID/status is a page to
 * format and parse. */
static bool is_group_leader(pid_t tid)
{
	int pfd = (int)syscall(SYS_pidfd_open, tid, 0);

	if (pfd < 0)
		return errno != EINVAL && errno != ENOENT;
	close(pfd);
	return true;
}

/* The thread group of tid: tid itself for a leader, else from "Tgid:" in
 * /proc/TID/status; 0 when unknown. */
static pid_t read_tgid(pid_t tid)
{
	long tgid;

	if (is_group_leader(tid))
		return tid;
	tgid = sk_proc_status(tid, "Tgid");
	return tgid > 0 ? (pid_t)tgid : 0;
}

/* A live task's record: not yet seen (NEW), exec'd since (STALE), else its exe. */
#define EXE_NEW   (-100)
#define EXE_STALE (-101)

static int task_exe(struct sup *s, pid_t tid)
{
	struct sk_task *t = sk_tasks_find(s->tasks, tid);

	return t ? t->exe : EXE_NEW;
}

static int task_alive(pid_t tid)
{
	return kill(tid, 0) == 0 || errno == EPERM;
}

/*
 * A record for a new task.  The table never drops a live task: when it
 * runs full, the tasks that are gone (killed, or threads of a group that
 * exited) are swept out first.  NULL only with 65535 tasks alive at once.
 */
static struct sk_task *task_add(struct sup *s, pid_t tid)
{
	struct sk_task *t = sk_tasks_add(s->tasks, tid);

	if (!t && sk_tasks_sweep(s->tasks, task_alive))
		t = sk_tasks_add(s->tasks, tid);
	if (!t)
		s->untracked++;
	return t;
}

/*
 * Finds the executable of a task seen for the first time or after exec.
 * The /proc reads run outside the lock: they are per task, not per call.
 */
static void learn_task(struct sup *s, pid_t tid, int state)
{
	char path[64], exe[4096];
	int is_thread = 0, idx = -1;
	struct sk_task *t;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", tid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n > 0)
		exe[n] = '\0';
	else if (errno == ENAMETOOLONG)
		__atomic_add_fetch(&s->unnamed, 1, __ATOMIC_RELAXED);
	if (state == EXE_NEW)
		is_thread = !is_group_leader(tid);
	pthread_mutex_lock(&s->lock);
	t = sk_tasks_find(s->tasks, tid);
	/* Another supervisor may have learnt it meanwhile. */
	if (state == EXE_NEW && !t) {
		sk_rec_count_task(s->rec, is_thread);
		t = task_add(s, tid);
	} else if (!t || t->exe != state) {
		t = NULL;
	}
	if (t) {
		if (n > 0)
			idx = sk_rec_exe(s->rec, exe);
		t->exe = idx < 0 ? -1 : idx;
	}
	pthread_mutex_unlock(&s->lock);
}

static int in_numbers(const uint32_t *arches, const int *nrs, size_t n,
		      uint32_t arch, int nr)
{
	for (size_t i = 0; i < n; i++)
		if (arches[i] == arch && nrs[i] == nr)
			return 1;
	return 0;
}

static int is_exec(const struct sup *s, uint32_t arch, int nr)
{
	return in_numbers(s->exec_arch, s->exec_nr, s->n_exec, arch, nr);
}

/*
 * Records one call of task t (NULL: not in the table), under the lock.  An
 * exit or exit_group is the task's last: its record goes (an exit_group's
 * other threads go at a sweep).
 */
static void record_locked(struct sup *s, const struct seccomp_notif *req,
			  struct sk_task *t)
{
	sk_rec_syscall(s->rec, req->data.arch, req->data.nr,
		       (const uint64_t *)req->data.args, t && t->exe >= 0 ? t->exe : -1);
	if (s->paths)
		sk_pathrec_call(s->paths, (pid_t)req->pid, req->data.arch, req->data.nr,
				(const uint64_t *)req->data.args, t && t->exe >= 0 ? t->exe : -1);
	if (t && in_numbers(s->exit_arch, s->exit_nr, s->n_exit,
			    req->data.arch, req->data.nr))
		sk_tasks_del(s->tasks, t);
}

/* Records a call of a task seen for the first time or since its exec. */
static void record_new_task(struct sup *s, const struct seccomp_notif *req, int exe)
{
	if (exe == EXE_NEW || exe == EXE_STALE)
		learn_task(s, req->pid, exe);
	pthread_mutex_lock(&s->lock);
	record_locked(s, req, sk_tasks_find(s->tasks, req->pid));
	pthread_mutex_unlock(&s->lock);
}

static void mark_stale(struct sup *s, pid_t tid)
{
	struct sk_task *t = sk_tasks_find(s->tasks, tid);

	if (t)
		t->exe = EXE_STALE;
}

/*
 * An execve: recorded as the old program's, then the task (and the group
 * leader, which the new program becomes whichever thread called exec) is
 * marked stale, all before the reply, so that the new program's first call
 * cannot be counted as the old one's.
 */
static void mark_exec(struct sup *s, const struct seccomp_notif *req)
{
	pid_t tgid = read_tgid(req->pid);

	pthread_mutex_lock(&s->lock);
	mark_stale(s, req->pid);
	if (tgid > 0 && tgid != (pid_t)req->pid)
		mark_stale(s, tgid);
	pthread_mutex_unlock(&s->lock);
}

static void record_exec(struct sup *s, const struct seccomp_notif *req, int exe)
{
	record_new_task(s, req, exe);
	mark_exec(s, req);
}

/* Answers a notification: the call runs (cont), or returns error (a
 * negative errno, or 0) without running. */
static void answer(struct sup *s, uint64_t id, bool cont, int error)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.error = cont ? 0 : error;
	resp.flags = cont ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
	/* ENOENT: the task died or a signal interrupted the call; it was
	 * still made, so it is still recorded. */
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 &&
	    errno == ENOENT)
		__atomic_add_fetch(&s->send_enoent, 1, __ATOMIC_RELAXED);
}

/* CONTINUE (error 0), or fail the call with error, a negative errno. */
static void reply(struct sup *s, uint64_t id, int error)
{
	answer(s, id, !error, error);
}

static int is_ptrace(const struct sup *s, uint32_t arch, int nr)
{
	return in_numbers(s->ptrace_arch, s->ptrace_nr, s->n_ptrace, arch, nr);
}

#define ERESTARTNOINTR_ 513

/*
 * ptrace(TRACEME / ATTACH / SEIZE) from inside the tree (strace, gdb,
 * LeakSanitizer): the guard's keeper traces every task, and a task has one
 * tracer.  Hand the target over before the call runs, losing the guard
 * for that task only.  Returns 1 when the call was answered here (it will
 * be made again, and recorded then), 0 to let it run now.  Only on ptrace
 * calls, never on the per-syscall path of anything else.
 */
static int hand_over(struct sup *s, const struct seccomp_notif *req)
{
	uint64_t op = req->data.args[0];
	pid_t target = op == 0 /* PTRACE_TRACEME */ ? (pid_t)req->pid :
		       (pid_t)req->data.args[1];
	int ret;

	if (s->run.guard || (op != 0 && op != 16 /* ATTACH */ && op != 0x4206 /* SEIZE */) ||
	    target <= 0 || !sk_launch_holds(&s->run, target))
		return 0;
	pthread_mutex_lock(&s->hand_lock);
	ret = sk_launch_release(&s->run, target);
	pthread_mutex_unlock(&s->hand_lock);
	if (ret <= 0)
		return 0;
	__atomic_add_fetch(&s->handovers, 1, __ATOMIC_RELAXED);
	if (target == (pid_t)req->pid) {
		/* The caller is the target: it waits for our answer, so it
		 * cannot stop before we answer.  The keeper's interrupt is
		 * pending: on its way out it stops, is let go, and the call
		 * is made again (-ERESTARTNOINTR), this time untraced. */
		reply(s, req->id, -ERESTARTNOINTR_);
		return 1;
	}
	/* Another task: it stops at once (an unanswered notification waits
	 * interruptibly; an answered one is done); wait for the detach. */
	for (int i = 0; i < 20000 && sk_launch_holds(&s->run, target); i++) {
		struct timespec ts = { 0, 100 * 1000 };

		nanosleep(&ts, NULL);
	}
	return 0;
}

/* Fails a call without running it: it returns -error (0: returns 0). */
static void reply_fail(struct sup *s, uint64_t id, int error)
{
	answer(s, id, false, -error);
}

/*
 * A kill verdict.  A supervisor cannot make the kernel's uncatchable
 * SIGSYS, so the process gets SIGKILL (a signal cannot end one thread:
 * kill-thread ends the process too), before the reply, so the call never
 * runs; the tool reports the program's death as SIGSYS.  With --kill-tree
 * the keeper then kills the program's whole tree.
 */
static void kill_caller(struct sup *s, const struct seccomp_notif *req)
{
	pid_t tgid = read_tgid(req->pid);

	if (!tgid)
		tgid = (pid_t)req->pid;
	if (tgid == s->run.child)
		__atomic_store_n(&s->killed_program, 1, __ATOMIC_RELAXED);
	kill(tgid, SIGKILL);
	reply_fail(s, req->id, EPERM);
	if (sk_judge_kill_tree(s->judge)) {
		__atomic_store_n(&s->killed_program, 1, __ATOMIC_RELAXED);
		sk_launch_kill(&s->run);
	}
}

/*
 * A trap verdict: the call fails with ENOSYS and the thread gets SIGSYS
 * (from tgkill, so without the kernel's siginfo fields).  Where the filter
 * waits killably (5.19+) the signal is sent first and stays pending until
 * the reply, so a handler runs right at the call's return, as the kernel's
 * trap does; elsewhere it would interrupt the wait, so it follows the
 * reply.
 */
static void trap_caller(struct sup *s, const struct seccomp_notif *req)
{
	pid_t tgid = read_tgid(req->pid);

	if (s->killable && tgid)
		syscall(SYS_tgkill, tgid, (pid_t)req->pid, SIGSYS);
	reply_fail(s, req->id, ENOSYS);
	if (!s->killable && tgid)
		syscall(SYS_tgkill, tgid, (pid_t)req->pid, SIGSYS);
}

/*
 * With a judge (scmp-apply --report, --ask) every notified call is one the
 * profile does not simply allow.  It is recorded with its executable, read
 * again at each such call (the filter lets execve run in the kernel, so a
 * task's exec is not seen) and before anything is done to it (a kill takes
 * /proc/PID/exe away), then judged, and the verdict carried out.  No
 * allocation; nothing of this runs for a call the profile allows.
 */
static void judge_one(struct sup *s, const struct seccomp_notif *req)
{
	const char *exe_path = NULL;
	struct sk_verdict v;
	struct sk_task *t;
	int exe;

	/* A target is handed over only for an attach the profile allows. */
	if (is_ptrace(s, req->data.arch, req->data.nr) &&
	    (sk_judge_eval(s->judge, &req->data) & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW &&
	    hand_over(s, req))
		return;
	pthread_mutex_lock(&s->lock);
	exe = task_exe(s, req->pid);
	pthread_mutex_unlock(&s->lock);
	learn_task(s, req->pid, exe);
	pthread_mutex_lock(&s->lock);
	t = sk_tasks_find(s->tasks, req->pid);
	if (t)
		exe_path = sk_rec_exe_name(s->rec, t->exe);
	pthread_mutex_unlock(&s->lock);
	/* Only a ptrace the profile allows is judged allowed here: it is
	 * neither recorded nor named. */
	if (sk_judge_call(s->judge, &req->data, req->pid, exe_path, &v)) {
		pthread_mutex_lock(&s->lock);
		record_locked(s, req, sk_tasks_find(s->tasks, req->pid));
		pthread_mutex_unlock(&s->lock);
	} else if (s->paths) {
		/* A path call the profile allows, notified for its path
		 * (scmp-apply --report --landlock). */
		pthread_mutex_lock(&s->lock);
		t = sk_tasks_find(s->tasks, req->pid);
		sk_pathrec_call(s->paths, (pid_t)req->pid, req->data.arch, req->data.nr,
				(const uint64_t *)req->data.args, t && t->exe >= 0 ? t->exe : -1);
		pthread_mutex_unlock(&s->lock);
	}
	switch (v.kind) {
	case SK_VERDICT_CONTINUE:
		if (is_exec(s, req->data.arch, req->data.nr))
			mark_exec(s, req);
		reply(s, req->id, 0);
		break;
	case SK_VERDICT_ERRNO:
		reply_fail(s, req->id, v.error);
		break;
	case SK_VERDICT_KILL_PROCESS:
	case SK_VERDICT_KILL_THREAD:
		kill_caller(s, req);
		break;
	case SK_VERDICT_TRAP:
		trap_caller(s, req);
		break;
	}
}

/*
 * A call the baseline allows, notified only for its path (--complain
 * --landlock): its path is recorded, not the call.  True when it was one.
 */
static bool path_only(struct sup *s, const struct seccomp_notif *req)
{
	struct sk_task *t;
	int exe;

	if ((sk_cbpf_eval(s->paths_only, &req->data) & SECCOMP_RET_ACTION_FULL) !=
	    SECCOMP_RET_ALLOW)
		return false;
	pthread_mutex_lock(&s->lock);
	exe = task_exe(s, req->pid);
	pthread_mutex_unlock(&s->lock);
	/* The executable, for the path's "exe": read once per task and exec. */
	if (exe == EXE_NEW || exe == EXE_STALE)
		learn_task(s, req->pid, exe);
	pthread_mutex_lock(&s->lock);
	t = sk_tasks_find(s->tasks, req->pid);
	if (s->paths)
		sk_pathrec_call(s->paths, (pid_t)req->pid, req->data.arch, req->data.nr,
				(const uint64_t *)req->data.args, t && t->exe >= 0 ? t->exe : -1);
	pthread_mutex_unlock(&s->lock);
	if (is_exec(s, req->data.arch, req->data.nr))
		mark_exec(s, req);
	return true;
}

/*
 * The per-syscall loop: RECV, record, reply CONTINUE (a task's first call
 * after it appears or execs: reply first, then read /proc and record).
 * No allocation.
 * Every supervisor waits in RECV; see pick_supervisors().
 */
static void *supervise(void *arg)
{
	struct sup *s = arg;
	struct seccomp_notif req;

	while (!s->done) {
		struct sk_task *t;
		int exe;

		memset(&req, 0, sizeof(req));
		if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			struct pollfd hup = { .fd = s->listener };

			/* ENOENT with POLLHUP: every task under the filter
			 * is gone, nothing more can come. */
			if (errno == ENOENT && poll(&hup, 1, 0) == 1 &&
			    (hup.revents & POLLHUP))
				break;
			if (errno == EINTR || errno == ENOENT)
				continue;
			break;
		}
		if (s->judge) {
			judge_one(s, &req);
			continue;
		}
		if (s->paths_only && path_only(s, &req)) {
			reply(s, req.id, 0);
			continue;
		}
		if (is_ptrace(s, req.data.arch, req.data.nr) && hand_over(s, &req))
			continue;
		if (is_exec(s, req.data.arch, req.data.nr)) {
			pthread_mutex_lock(&s->lock);
			exe = task_exe(s, req.pid);
			pthread_mutex_unlock(&s->lock);
			record_exec(s, &req, exe);
			reply(s, req.id, 0);
			continue;
		}
		/* The common case in one lock section and one table lookup: a
		 * known task's call is recorded, then answered (recording takes
		 * nanoseconds). */
		pthread_mutex_lock(&s->lock);
		t = sk_tasks_find(s->tasks, req.pid);
		exe = t ? t->exe : EXE_NEW;
		if (exe != EXE_NEW && exe != EXE_STALE)
			record_locked(s, &req, t);
		pthread_mutex_unlock(&s->lock);
		reply(s, req.id, 0);
		if (exe == EXE_NEW || exe == EXE_STALE)
			record_new_task(s, &req, exe);
	}
	return NULL;
}

static void wake(int sig)
{
	(void)sig;
}

/* The numbers of name on each host arch (x32's come as x86_64 + bit). */
static size_t host_numbers(const char *name, uint32_t arch[4], int nr[4])
{
	uint32_t arches[4];
	size_t n = sk_arch_host(arches, 4), k = 0;

	for (size_t i = 0; i < n && i < 4; i++) {
		int x = sk_syscall_nr(arches[i], name);

		if (x < 0 || arches[i] == SCMP_ARCH_X32)
			continue;
		arch[k] = arches[i];
		nr[k++] = x;
	}
	return k;
}

static void set_numbers(struct sup *s)
{
	s->n_exec = host_numbers("execve", s->exec_arch, s->exec_nr);
	s->n_exec += host_numbers("execveat", s->exec_arch + s->n_exec,
				  s->exec_nr + s->n_exec);
	s->n_ptrace = host_numbers("ptrace", s->ptrace_arch, s->ptrace_nr);
	s->n_exit = host_numbers("exit", s->exit_arch, s->exit_nr);
	s->n_exit += host_numbers("exit_group", s->exit_arch + s->n_exit,
				  s->exit_nr + s->n_exit);
}

/*
 * A call waits interruptibly until a supervisor has received its
 * notification (WAIT_KILLABLE_RECV only covers the time after that), so
 * without the signal guard a signal whose handler lacks SA_RESTART - dash's
 * SIGCHLD - makes a queued call fail with EINTR without running, even fork
 * or close, which never do natively.  A second supervisor keeps one thread
 * in RECV while the other records, which shortens that window (dash's
 * `echo abc | cat | cat` failed 2 runs in 100 with one, none in 100 with
 * two) at about 1.5 us more per call (the kernel wakes every thread in
 * RECV).  With the guard the window is closed: one supervisor, the faster.
 */
static unsigned pick_supervisors(unsigned asked, bool guarded)
{
	if (!asked)
		return !guarded && sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
	return asked > MAX_SUPERVISORS ? MAX_SUPERVISORS : asked;
}

/* A signal the tool received: forwarded to the program, or the run ends. */
static void on_signal(struct sup *s, const struct sk_sig *sig, int child_alive,
		      int *ends, bool quiet)
{
	switch (sk_signal_action(sig, child_alive, ends)) {
	case SK_SIG_FORWARD:
		kill(s->run.child, sig->sig);
		break;
	case SK_SIG_END:
		if (!quiet)
			fprintf(stderr, "%s: %s: ending the run, killing the traced processes\n",
				program_invocation_short_name, strsignal(sig->sig));
		sk_launch_kill(&s->run);
		break;
	case SK_SIG_IGNORE:
		break;
	}
}

/*
 * Waits for the program's status (the keeper reaps it and every orphan: a
 * zombie would keep its filter reference) and for the listener to hang up
 * (every task under the filter gone), forwarding signals sent to us.
 */
static void wait_all(struct sup *s, struct sk_tracer_result *res, bool quiet)
{
	/* The judge's queue (-1 without one: poll skips it), then the
	 * keeper's status, polled while the program lives. */
	struct pollfd p[4] = {
		{ .fd = sk_signal_fd(), .events = POLLIN },
		{ .fd = s->listener, .events = 0 },
		{ .fd = sk_judge_fd(s->judge), .events = POLLIN },
		{ .fd = s->run.status_fd, .events = POLLIN },
	};
	int child_alive = 1, ends = 0, told = 0, hup = 0;
	struct sk_sig sig;

	for (;;) {
		/* Once the program is gone, say so if its descendants linger. */
		int r = poll(p, child_alive ? 4 : 3, child_alive || told ? -1 : 1000), st;

		if (r == 0 && !child_alive && !told) {
			if (!quiet)
				fprintf(stderr, "%s: the program exited; waiting for its descendants still running, as strace -f does (Ctrl-C ends the run and kills them%s)\n",
					program_invocation_short_name,
					s->judge && !sk_judge_kill_tree(s->judge) ?
					"; with --kill-tree a kill by the profile ends them too" : "");
			told = 1;
		}
		while (sk_signal_take(&sig))
			on_signal(s, &sig, child_alive, &ends, quiet);
		if (r < 0)
			continue;
		if (p[2].revents & POLLIN)
			sk_judge_drain(s->judge);
		if (child_alive && p[3].revents) {
			r = sk_launch_status(&s->run, &st);
			if (r < 0) {
				res->complete = false;
				snprintf(res->reason, sizeof(res->reason),
					 "the keeper process died; the program's status is unknown");
				child_alive = 0;
			} else if (r > 0) {
				child_alive = 0;
				res->has_exit = true;
				if (WIFSIGNALED(st))
					res->exit_signal = WTERMSIG(st);
				else
					res->exit_code = WEXITSTATUS(st);
			}
		}
		if (p[1].revents & (POLLHUP | POLLERR)) {
			if (!child_alive)
				return;
			/* Every task is gone; the keeper's report of the
			 * status is on its way: stop polling the listener,
			 * which would return at once, again and again. */
			p[1].fd = -1;
			hup = 1;
		}
		if (hup && !child_alive)
			return;
	}
}

static void stop_supervisors(struct sup *s, pthread_t *th, unsigned n_th)
{
	s->done = 1;
	for (unsigned i = 0; i < n_th; i++) {
		struct timespec ts;

		do {
			pthread_kill(th[i], WAKE_SIGNAL);
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 1000 * 1000;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
		} while (pthread_timedjoin_np(th[i], NULL, &ts) == ETIMEDOUT);
	}
}

/* Supervisor threads take no signal but WAKE_SIGNAL: the tool's signals
 * go to the main thread, whose poll they interrupt.  Returns how many. */
static unsigned start_supervisors(struct sup *s, pthread_t *th, unsigned want)
{
	sigset_t all, old;
	unsigned n = 0;

	sigfillset(&all);
	sigdelset(&all, WAKE_SIGNAL);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (; n < want; n++)
		if (pthread_create(&th[n], NULL, supervise, s))
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return n;
}

/* Whether the keeper's signal guard holds the tree, and if not, why. */
static void guard_result(const struct sk_launch *run, const struct sk_tracer_opts *o,
			 struct sk_tracer_result *res)
{
	res->guard = !o->no_guard && run->guard == 0;
	if (o->no_guard)
		snprintf(res->guard_note, sizeof(res->guard_note), "turned off (--no-signal-guard)");
	else if (run->guard)
		snprintf(res->guard_note, sizeof(res->guard_note),
			 "the keeper could not trace the program (%s: Yama ptrace_scope, or already traced): a signal may make a call fail with EINTR without running",
			 strerror(run->guard));
}

/* Whether the running kernel is major.minor or later. */
static bool kernel_at_least(unsigned major, unsigned minor)
{
	struct utsname u;
	unsigned a = 0, b = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &a, &b) != 2)
		return false;
	return a > major || (a == major && b >= minor);
}

/* The child's filter, the task table, the locks.  0 or -errno (err set). */
static int sup_init(struct sup *s, const struct sk_tracer_opts *o,
		    struct sock_fprog *mixed, struct child_args *ca,
		    struct sk_err *err)
{
	int ret;

	if (o->filter) {
		ret = o->judge ? with_handshake_ptrace(o->filter, mixed) :
		      with_handshake(o->filter, mixed);
		if (ret)
			return sk_err_set(err, -ret, "the filter is too large (%u instructions)",
					  o->filter->len);
		ca->prog = mixed;
	}
	s->tasks = sk_tasks_new(TASKS_MAX);
	if (!s->tasks) {
		free(mixed->filter);
		return sk_err_set(err, ENOMEM, "out of memory");
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->hand_lock, NULL);
	set_numbers(s);
	s->judge = o->judge;
	s->killable = kernel_at_least(5, 19);
	return 0;
}

static void sup_free(struct sup *s, struct sock_fprog *mixed)
{
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->hand_lock);
	sk_tasks_free(s->tasks);
	free(mixed->filter);
}

/*
 * Takes the listener out of the launched child (rd: its report pipe) and
 * continues its handshake.  0, or -errno with err set (the child is then
 * the caller's to kill).
 */
static int connect_child(struct sup *s, int rd, struct sk_err *err)
{
	int pidfd;

	/* It waits in the handshake until the listener is ours; its execve
	 * is made by no executable of its own. */
	if (sk_tasks_add(s->tasks, s->run.child))
		sk_tasks_find(s->tasks, s->run.child)->exe = -1;
	sk_rec_count_task(s->rec, 0);
	pidfd = (int)syscall(SYS_pidfd_open, s->run.child, 0);
	if (pidfd < 0)
		return errno == ESRCH ? child_gone(rd, err) :
		       sk_err_set(err, errno, "pidfd_open: %s", strerror(errno));
	s->listener = take_listener(pidfd, rd, err);
	close(pidfd);
	if (s->listener < 0)
		return s->listener;
	return finish_handshake(s->listener, s->run.child, err);
}

/* Supervisor threads answer until every task is gone.  0 or -EAGAIN. */
static int supervise_all(struct sup *s, const struct sk_tracer_opts *o,
			 struct sk_tracer_result *res, struct sk_err *err)
{
	struct sigaction sa = { .sa_handler = wake }, old;
	pthread_t th[MAX_SUPERVISORS];
	unsigned n_th;

	/* Supervisors leave a blocking RECV through EINTR from this signal. */
	sigaction(WAKE_SIGNAL, &sa, &old);
	n_th = start_supervisors(s, th, pick_supervisors(o->supervisors, res->guard));
	if (n_th) {
		wait_all(s, res, o->quiet);
		/* A question still open is about a task that is gone. */
		if (s->judge)
			sk_judge_close(s->judge);
		stop_supervisors(s, th, n_th);
		if (s->judge)
			sk_judge_drain(s->judge);
	}
	sigaction(WAKE_SIGNAL, &old, NULL);
	return n_th ? 0 : sk_err_set(err, EAGAIN, "cannot start a supervisor thread");
}

/* What the run's end says: the guard's counts, tasks the table missed. */
static void finish_result(const struct sup *s, struct sk_tracer_result *res)
{
	res->restarts = s->run.restarts;
	res->handovers = s->handovers;
	res->denial_killed = __atomic_load_n(&s->killed_program, __ATOMIC_RELAXED);
	/* The profile's kill, which the kernel makes SIGSYS. */
	if (res->denial_killed && res->exit_signal == SIGKILL)
		res->exit_signal = SIGSYS;
	if (s->untracked) {
		res->complete = false;
		snprintf(res->reason, sizeof(res->reason),
			 "%llu tasks beyond %d alive at once: not counted, calls not attributed",
			 (unsigned long long)s->untracked, TASKS_MAX - 1);
	} else if (s->unnamed) {
		res->complete = false;
		snprintf(res->reason, sizeof(res->reason), SK_UNNAMED_EXES, s->unnamed,
			 s->unnamed == 1 ? "" : "s", s->unnamed == 1 ? "its" : "their");
	}
}

int sk_notify_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		  struct sk_err *err)
{
	static struct sock_filter all_notify[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sup s = { .listener = -1, .rec = o->rec, .paths = o->paths,
			 .paths_only = o->paths_only };
	struct sock_fprog all = { .len = 1, .filter = all_notify }, mixed = { 0 };
	struct child_args ca = { .o = o, .prog = &all };
	int pipefd[2], ret;

	memset(res, 0, sizeof(*res));
	res->complete = true;
	ret = sup_init(&s, o, &mixed, &ca, err);
	if (ret)
		return ret;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		ret = sk_err_set(err, errno, "pipe: %s", strerror(errno));
		goto out;
	}
	ca.pipefd = pipefd[1];
	ret = sk_launch_start(&s.run, child_run, &ca, o->no_guard ? 0 : SK_LAUNCH_GUARD, err);
	close(pipefd[1]);
	if (!ret) {
		ret = connect_child(&s, pipefd[0], err);
		if (!ret && s.judge)
			sk_judge_set_keeper(s.judge, s.run.keeper);
		if (!ret) {
			enable_sync_wakeup(s.listener, res);
			guard_result(&s.run, o, res);
			ret = supervise_all(&s, o, res, err);
		}
		if (ret)
			kill(s.run.child, SIGKILL);
		if (s.listener >= 0)
			close(s.listener);
		sk_launch_finish(&s.run);
		finish_result(&s, res);
	}
	close(pipefd[0]);
out:
	sup_free(&s, &mixed);
	return ret;
}
