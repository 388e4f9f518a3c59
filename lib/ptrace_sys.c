/* SPDX-License-Identifier: MIT */
/*
 * The ptrace backend (tracer.h): for hosts without seccomp user
 * notification, for --errors (return values are only seen at syscall-exit
 * stops) and for -p (a filter cannot be added to a running process).
 *
 * Launching: the child waits on a pipe until we have seized it, installs a
 * filter whose only instruction is RET_TRACE (every arch), and execs.  Each
 * syscall then costs one seccomp stop, two with --errors (the exit stop
 * follows).  Of what the child does before its execve succeeds only the
 * execve itself is recorded, as the notify backend does.
 *
 * Attaching: every thread is seized and interrupted, and syscall-entry and
 * -exit stops take the place of seccomp stops.  A termination signal
 * detaches from everything and leaves the processes running.
 *
 * Per-task state lives in the task table both backends share (tasks.h),
 * allocated once; the per-syscall path is waitpid, one
 * PTRACE_GET_SYSCALL_INFO, the recorder and a restart, nothing else.
 */
#include <dirent.h>
#include <errno.h>
#include <seccomp.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scmpkit/arch.h"
#include "launch.h"
#include "scmpkit/tracer.h"
#include "guard_sys.h"
#include "procfs.h"
#include "tasks.h"

#define TASK_SLOTS 65536u /* tasks traced at once, plus one; a power of two */

/* An exe index not read yet: /proc/TID/exe is read at the task's next call. */
#define EXE_UNKNOWN (-100)

/* ERESTARTSYS .. ERESTART_RESTARTBLOCK: the kernel's own, never returned. */
#define ERESTART_FIRST 512
#define ERESTART_LAST  516

#define COMMON_OPTS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | \
		     PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC)
#define LAUNCH_OPTS (COMMON_OPTS | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)
#define ATTACH_OPTS COMMON_OPTS

/*
 * A new task is counted once, when it is first seen: by its creator's
 * fork, vfork or clone event, or by its own first stop, which waitpid
 * often returns first (the kernel lists the newest tracee first).  Seen
 * first by its own stop, it may even exit before the event is read: its
 * record then stays as a tombstone (T_GONE) until the event, which would
 * otherwise count it a second time, takes it away.
 */
enum {
	T_IN_CALL     = 1u << 0, /* the exit stop of (arch, nr) is awaited */
	T_DETACHED    = 1u << 1, /* let go while detaching */
	T_UNANNOUNCED = 1u << 2, /* its creator's event is still to come */
	T_GONE        = 1u << 3, /* exited before that event: a tombstone */
};


struct tracer {
	const struct sk_tracer_opts *o;
	struct sk_tracer_result *res;
	struct sk_rec *rec;
	struct sk_err *err;
	struct sk_tasks *tasks; /* one record per traced task (tasks.h) */
	struct sk_task spare; /* stands in for a task the table has no room for */
	size_t n_live;        /* while detaching: tasks still attached */
	bool attach;
	bool sysstops;        /* syscall-entry stops instead of seccomp stops:
			       * attaching, or under another's notify filter */
	bool started;         /* the program's execve happened (always, attaching) */
	bool detaching;
	bool killing;
	bool told;
	bool overflow;
	unsigned unnamed;     /* executables /proc could not name (past PATH_MAX) */
	pid_t leader;         /* launching: the program */
	bool leader_alive;
	int signals;          /* INT and TERM signals received */
	uint64_t leader_gone_ms;
	uint64_t unreadable;  /* stops whose syscall could not be read */
	int fatal;            /* a negative errno that ends the run (err is set) */
	uint32_t clone_arch[4]; /* clone's number on each host arch */
	int clone_nr[4];
	size_t n_clone;
	struct {              /* launching: the child's latest call before exec */
		uint32_t arch;
		int nr;
		uint64_t args[6];
		bool valid;
	} first;
};

/* ptrace(2) with pointer-sized arguments, as the variadic wrapper reads them. */
static long pt(int req, pid_t tid, unsigned long addr, unsigned long data)
{
	return ptrace(req, tid, (void *)addr, (void *)data);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct sk_task *task_find(struct tracer *tr, pid_t tid)
{
	struct sk_task *t = sk_tasks_find(tr->tasks, tid);

	if (t)
		return t;
	return tr->spare.tid == tid ? &tr->spare : NULL;
}

/*
 * Adds a task seen for the first time (by its own first stop or by its
 * creator's event, whichever comes first) and counts it.  Insertion never
 * moves other records, so the caller's pointers stay valid.
 */
static struct sk_task *task_add(struct tracer *tr, pid_t tid)
{
	long tgid = sk_proc_status(tid, "Tgid");
	struct sk_task *t = sk_tasks_add(tr->tasks, tid);

	sk_rec_count_task(tr->rec, tgid > 0 && tgid != tid);
	if (t) {
		t->exe = EXE_UNKNOWN;
	} else {
		/* Still traced and resumed, but nothing per task is kept. */
		tr->overflow = true;
		t = &tr->spare;
		*t = (struct sk_task){ .tid = tid, .exe = -1 };
	}
	if (tr->detaching)
		tr->n_live++;
	return t;
}

static void task_del(struct tracer *tr, struct sk_task *t)
{
	if (t == &tr->spare)
		t->tid = 0;
	else
		sk_tasks_del(tr->tasks, t);
}

/* t will not report again: dropped, or a tombstone until its creator's event. */
static void task_gone(struct tracer *tr, struct sk_task *t)
{
	if (t != &tr->spare && (t->flags & T_UNANNOUNCED))
		*t = (struct sk_task){ .tid = t->tid, .exe = -1, .flags = T_GONE };
	else
		task_del(tr, t);
}

/*
 * Adds and counts a task seen before its creator's event (t: NULL, or the
 * tombstone of an earlier task with its tid, whose event was lost with its
 * creator): one whose first stop comes without a record, or found traced
 * already while attaching.
 */
static struct sk_task *task_add_unannounced(struct tracer *tr, struct sk_task *t, pid_t tid)
{
	if (t)
		task_del(tr, t);
	t = task_add(tr, tid);
	if (t != &tr->spare)
		t->flags |= T_UNANNOUNCED;
	return t;
}

/* Once per task and exec, never per call. */
static void learn_exe(struct tracer *tr, struct sk_task *t)
{
	char path[64], exe[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", t->tid);
	n = readlink(path, exe, sizeof(exe) - 1);
	t->exe = -1;
	if (n > 0) {
		exe[n] = '\0';
		t->exe = sk_rec_exe(tr->rec, exe);
	} else if (errno == ENAMETOOLONG) {
		tr->unnamed++;
	}
}

/*
 * Restarts a stopped task.  Attaching, every call shows as entry and exit
 * stops; launching, the seccomp stops suffice, but with --errors a call
 * whose entry was seen runs on to its exit stop.
 */
static void resume(struct tracer *tr, const struct sk_task *t, int sig)
{
	int req = tr->sysstops || (t->flags & T_IN_CALL) ? PTRACE_SYSCALL : PTRACE_CONT;

	pt(req, t->tid, 0, (unsigned long)sig);
}

/* Reads the stopped task's syscall; false when it cannot be read. */
static bool read_info(struct tracer *tr, const struct sk_task *t,
		      struct __ptrace_syscall_info *si)
{
	if (pt(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(*si), (unsigned long)si) > 0)
		return true;
	if (errno == EIO || errno == EINVAL) {
		if (!tr->fatal)
			tr->fatal = sk_err_set(tr->err, ENOSYS,
					       "PTRACE_GET_SYSCALL_INFO is unavailable (Linux < 5.3): the ptrace backend cannot read syscalls here");
		/* Launching, this is the child's execve: it must not run. */
		if (!tr->attach)
			kill(t->tid, SIGKILL);
	} else if (errno != ESRCH) {
		tr->unreadable++; /* ESRCH: killed, the call will not run */
	}
	return false;
}

static void record_call(struct tracer *tr, struct sk_task *t, uint32_t arch,
			int nr, const uint64_t args[6])
{
	if (!tr->started) {
		/* Before the program's exec: keep it, the exec event says
		 * whether it was the successful execve. */
		tr->first.arch = arch;
		tr->first.nr = nr;
		memcpy(tr->first.args, args, sizeof(tr->first.args));
		tr->first.valid = true;
	} else {
		if (t->exe == EXE_UNKNOWN)
			learn_exe(tr, t);
		sk_rec_syscall(tr->rec, arch, nr, args, t->exe);
		if (tr->o->paths)
			sk_pathrec_call(tr->o->paths, t->tid, arch, nr, args, t->exe);
	}
	if (tr->o->errors) {
		t->flags |= T_IN_CALL;
		t->arch = arch;
		t->nr = nr;
	}
}

static void record_result(struct tracer *tr, struct sk_task *t,
			  const struct __ptrace_syscall_info *si)
{
	long ret = si->exit.is_error ? (long)si->exit.rval : 0;

	/* A restart code: the call runs again (and is seen again), or the
	 * program sees EINTR; which one is decided after this stop. */
	if ((t->flags & T_IN_CALL) && tr->started &&
	    !(ret <= -ERESTART_FIRST && ret >= -ERESTART_LAST))
		sk_rec_result(tr->rec, t->arch, t->nr, ret);
	t->flags &= ~T_IN_CALL;
}

#define CLONE_UNTRACED_ 0x00800000ULL

/*
 * A clone with CLONE_UNTRACED (LeakSanitizer's StopTheWorld makes one)
 * would leave a task under our RET_TRACE filter with no tracer: every call
 * it makes, exit included, fails with ENOSYS.  Clear the flag so the new
 * task is traced like the rest (a ptrace attach from it then fails with
 * EPERM, as under strace -f).  x86_64 registers only; clone3's flags are
 * behind a pointer and stay as they are.
 */
static void keep_traced(struct tracer *tr, struct sk_task *t,
			const struct __ptrace_syscall_info *si)
{
#ifdef __x86_64__
	struct user_regs_struct r;
	size_t i;

	for (i = 0; i < tr->n_clone; i++)
		if (tr->clone_arch[i] == si->arch && tr->clone_nr[i] == (int)si->seccomp.nr)
			break;
	if (i == tr->n_clone || !(si->seccomp.args[0] & CLONE_UNTRACED_) ||
	    pt(PTRACE_GETREGS, t->tid, 0, (unsigned long)&r) < 0)
		return;
	if (si->arch == AUDIT_ARCH_I386)
		r.rbx &= ~CLONE_UNTRACED_;
	else
		r.rdi &= ~CLONE_UNTRACED_;
	pt(PTRACE_SETREGS, t->tid, 0, (unsigned long)&r);
#else
	(void)tr;
	(void)t;
	(void)si;
#endif
}

static void seccomp_stop(struct tracer *tr, struct sk_task *t)
{
	struct __ptrace_syscall_info si;

	/* Syscall stops record the calls already; a seccomp stop still comes
	 * for the calls another process's filter lets through. */
	if (!tr->sysstops && read_info(tr, t, &si) &&
	    si.op == PTRACE_SYSCALL_INFO_SECCOMP) {
		keep_traced(tr, t, &si);
		record_call(tr, t, si.arch, (int)si.seccomp.nr, si.seccomp.args);
	}
	resume(tr, t, 0);
}

static void syscall_stop(struct tracer *tr, struct sk_task *t)
{
	struct __ptrace_syscall_info si;

	if (read_info(tr, t, &si)) {
		if (si.op == PTRACE_SYSCALL_INFO_EXIT)
			record_result(tr, t, &si);
		else if (si.op == PTRACE_SYSCALL_INFO_ENTRY && tr->sysstops)
			record_call(tr, t, si.arch, (int)si.entry.nr, si.entry.args);
		else if (si.op == PTRACE_SYSCALL_INFO_ENTRY)
			t->flags &= ~T_IN_CALL; /* an exit stop was missed; the
						 * seccomp stop follows */
	}
	resume(tr, t, 0);
}

/* A fork, vfork or clone event: the new task is traced already. */
static void new_child(struct tracer *tr, struct sk_task *t)
{
	unsigned long msg = 0;
	struct sk_task *c;

	if (pt(PTRACE_GETEVENTMSG, t->tid, 0, (unsigned long)&msg) < 0 || !msg)
		return;
	c = task_find(tr, (pid_t)msg);
	if (c && (c->flags & T_GONE)) {
		task_del(tr, c); /* counted at its first stop, exited since */
		return;
	}
	if (c) {
		/* Its own stop came first: counted, it learns its exe itself. */
		c->flags &= ~T_UNANNOUNCED;
		return;
	}
	c = task_add(tr, (pid_t)msg);
	if (c != &tr->spare)
		c->exe = t->exe; /* same executable until it execs */
}

/*
 * After an exec by a thread other than the leader, the exec'ing task has
 * taken the leader's tid; GETEVENTMSG gives its former tid, which never
 * reports again.  Moves its state over; returns the task now under tid.
 */
static struct sk_task *exec_rename(struct tracer *tr, struct sk_task *t)
{
	unsigned long old = 0;
	pid_t tid = t->tid;
	struct sk_task *o;

	if (pt(PTRACE_GETEVENTMSG, tid, 0, (unsigned long)&old) < 0 ||
	    !old || (pid_t)old == tid)
		return t;
	o = task_find(tr, (pid_t)old);
	if (!o || o == t)
		return t;
	t->flags = (t->flags & T_UNANNOUNCED) | (o->flags & T_IN_CALL);
	t->arch = o->arch;
	t->nr = o->nr;
	if (tr->detaching && !(o->flags & T_DETACHED))
		tr->n_live--;
	task_gone(tr, o);
	return task_find(tr, tid);
}

/*
 * The program's execve went by without a seccomp stop: a filter above ours
 * took it (USER_NOTIF outranks RET_TRACE: scmp-trace under scmp-trace, a
 * container's notify agent).  From here on syscall stops see every call.
 */
static void missed_first_call(struct tracer *tr)
{
	uint32_t arch = sk_arch_native();
	int nr = sk_syscall_nr(arch, "execve");

	tr->sysstops = true;
	if (nr < 0)
		return;
	memset(&tr->first, 0, sizeof(tr->first));
	tr->first.arch = arch;
	tr->first.nr = nr;
	tr->first.valid = true;
}

static void exec_stop(struct tracer *tr, struct sk_task *t)
{
	t = exec_rename(tr, t);
	if (t != &tr->spare)
		t->exe = EXE_UNKNOWN;
	if (!tr->started) {
		/* The program's execve, made by no executable of its own. */
		tr->started = true;
		if (!tr->first.valid && !tr->sysstops)
			missed_first_call(tr);
		if (tr->first.valid)
			sk_rec_syscall(tr->rec, tr->first.arch, tr->first.nr,
				       tr->first.args, -1);
	}
	resume(tr, t, 0);
}


/* Detaching: lets go of t at whatever stop it reports. */
static void detach_stop(struct tracer *tr, struct sk_task *t, int sig, int event)
{
	int give = 0;

	/* A signal on its way in is handed back, not lost. */
	if (!event && sig != (SIGTRAP | 0x80))
		give = sig;
	if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
	    event == PTRACE_EVENT_CLONE)
		new_child(tr, t);
	else if (event == PTRACE_EVENT_EXEC)
		t = exec_rename(tr, t);
	if (t->flags & T_DETACHED) { /* a reused tid */
		t->flags &= ~T_DETACHED;
		tr->n_live++;
	}
	pt(PTRACE_DETACH, t->tid, 0, (unsigned long)give);
	t->flags |= T_DETACHED;
	tr->n_live--;
}

static void on_stop(struct tracer *tr, struct sk_task *t, int st)
{
	int sig = WSTOPSIG(st), event = (unsigned)st >> 16;

	if (tr->killing) {
		kill(t->tid, SIGKILL); /* wakes it from the stop too */
		return;
	}
	if (tr->detaching) {
		detach_stop(tr, t, sig, event);
		return;
	}
	switch (event) {
	case 0:
		if (sig == (SIGTRAP | 0x80))
			syscall_stop(tr, t);
		else
			resume(tr, t, sig); /* signal-delivery stop */
		break;
	case PTRACE_EVENT_SECCOMP:
		seccomp_stop(tr, t);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		new_child(tr, t);
		resume(tr, t, 0);
		break;
	case PTRACE_EVENT_EXEC:
		exec_stop(tr, t);
		break;
	case PTRACE_EVENT_STOP:
		if (!sk_ptrace_group_stop(t->tid, st))
			resume(tr, t, 0);
		break;
	default:
		resume(tr, t, 0);
		break;
	}
}

static void on_exit_status(struct tracer *tr, struct sk_task *t, pid_t tid, int st)
{
	if (!tr->attach && tid == tr->leader && tr->leader_alive) {
		tr->leader_alive = false;
		tr->leader_gone_ms = now_ms();
		tr->res->has_exit = true;
		if (WIFSIGNALED(st))
			tr->res->exit_signal = WTERMSIG(st);
		else
			tr->res->exit_code = WEXITSTATUS(st);
	}
	if (!t || (t->flags & T_GONE))
		return;
	if (tr->detaching && !(t->flags & T_DETACHED))
		tr->n_live--;
	task_gone(tr, t);
}

/* Interrupts every task; each is let go at its next stop. */
static void start_detach(struct tracer *tr)
{
	tr->detaching = true;
	tr->n_live = 0;
	for (size_t i = 0; i < sk_tasks_capacity(tr->tasks); i++) {
		struct sk_task *t = sk_tasks_slot(tr->tasks, i);

		if (!t->tid || (t->flags & (T_DETACHED | T_GONE)))
			continue;
		pt(PTRACE_INTERRUPT, t->tid, 0, 0);
		tr->n_live++;
	}
}

static void kill_all(struct tracer *tr)
{
	tr->killing = true;
	for (size_t i = 0; i < sk_tasks_capacity(tr->tasks); i++) {
		const struct sk_task *t = sk_tasks_slot(tr->tasks, i);

		/* A tombstone's tid may be another process's by now. */
		if (t->tid && !(t->flags & T_GONE))
			kill(t->tid, SIGKILL);
	}
}

/*
 * A signal reached us.  Attaching, INT, TERM or HUP lets go of everything
 * and the processes run on.  Launching, as the notify backend: a process's
 * signal is forwarded to the program; the second INT or TERM, or one after
 * the program exited, kills what is traced.
 */
static void on_signal(struct tracer *tr, const struct sk_sig *sig)
{
	if (tr->attach) {
		if (!tr->detaching && (sig->sig == SIGINT || sig->sig == SIGTERM ||
				       sig->sig == SIGHUP))
			start_detach(tr);
		return;
	}
	switch (sk_signal_action(sig, tr->leader_alive, &tr->signals)) {
	case SK_SIG_FORWARD:
		/* We are the program's parent: what it sends us (kill $PPID)
		 * is not for it to get back. */
		if (!task_find(tr, sig->pid))
			kill(tr->leader, sig->sig);
		break;
	case SK_SIG_END:
		if (tr->killing)
			break;
		if (!tr->o->quiet)
			fprintf(stderr, "%s: %s: ending the run, killing the traced processes\n",
				program_invocation_short_name, strsignal(sig->sig));
		kill_all(tr);
		break;
	case SK_SIG_IGNORE:
		break;
	}
}

static void lingering_note(struct tracer *tr)
{
	if (tr->attach || tr->leader_alive || !tr->res->has_exit || tr->told ||
	    tr->o->quiet || tr->killing || now_ms() - tr->leader_gone_ms < 1000)
		return;
	fprintf(stderr, "%s: the program exited; waiting for its descendants still running, as strace -f does (Ctrl-C ends the run and kills them)\n",
		program_invocation_short_name);
	tr->told = true;
}

/* Handles stops and exits until no traced task is left. */
static void trace_loop(struct tracer *tr)
{
	for (;;) {
		struct sk_task *t;
		pid_t tid;
		int st;

		struct sk_sig sig;

		while (sk_signal_take(&sig))
			on_signal(tr, &sig);
		if (tr->fatal && !tr->detaching && !tr->killing) {
			if (tr->attach)
				start_detach(tr);
			else
				kill_all(tr);
		}
		if (tr->detaching && !tr->n_live)
			return;
		tid = waitpid(-1, &st, __WALL);
		if (tid < 0) {
			if (errno != EINTR)
				return; /* ECHILD: nothing left */
			lingering_note(tr);
			continue;
		}
		t = task_find(tr, tid);
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			on_exit_status(tr, t, tid, st);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		if (!t || (t->flags & T_GONE))
			t = task_add_unannounced(tr, t, tid);
		on_stop(tr, t, st);
	}
}

static int seize_error(struct sk_err *err, pid_t pid, int e)
{
	if (e == EPERM)
		return sk_err_set(err, EPERM, "ptrace %d: Operation not permitted (Yama ptrace_scope, missing CAP_SYS_PTRACE, or a setuid target)",
				  pid);
	return sk_err_set(err, e, "ptrace %d: %s", pid, strerror(e));
}

/* An exiting thread refuses PTRACE_SEIZE with EPERM; it will not run again. */
static bool exiting(pid_t tid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	if (sk_proc_read(path, buf, sizeof(buf)) <= 0)
		return true;
	/* The state follows the command name, which may hold ")". */
	p = strrchr(buf, ')');
	return !p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X';
}

/* Seizes every thread of pid until a pass over its task/ finds no new one. */
static int attach_process(struct tracer *tr, pid_t pid)
{
	char path[64];
	bool added = true;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	while (added) {
		DIR *d = opendir(path);
		struct dirent *de;

		if (!d)
			return seize_error(tr->err, pid, errno == ENOENT ? ESRCH : errno);
		added = false;
		while ((de = readdir(d))) {
			char *end;
			long tid = strtol(de->d_name, &end, 10);
			int e;

			if (*end || tid <= 0 || task_find(tr, (pid_t)tid))
				continue;
			if (pt(PTRACE_SEIZE, (pid_t)tid, 0, ATTACH_OPTS) == 0) {
				pt(PTRACE_INTERRUPT, (pid_t)tid, 0, 0);
				task_add(tr, (pid_t)tid);
			} else {
				e = errno;
				if (e == ESRCH || (e == EPERM && exiting((pid_t)tid)))
					continue; /* gone meanwhile */
				/* Created by a seized thread: traced already,
				 * it reports its first stop on its own, and its
				 * creator's event is to come. */
				if (e != EPERM || sk_proc_status((pid_t)tid, "TracerPid") != getpid()) {
					closedir(d);
					return seize_error(tr->err, (pid_t)tid, e);
				}
				task_add_unannounced(tr, NULL, (pid_t)tid);
			}
			added = true;
		}
		closedir(d);
	}
	return 0;
}

/* In the child: wait to be seized, install the filter, exec.  No return. */
static void child_run(const struct sk_tracer_opts *o, int sync_fd, int err_fd)
{
	static struct sock_filter trace_all[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	struct sock_fprog prog = { .len = 1, .filter = trace_all };
	char c;

	sk_child_default_signals();
	if (read(sync_fd, &c, 1) != 1)
		_exit(125); /* the parent could not seize us */
	sk_child_filter(&prog, 0, err_fd);
	execv(o->path ? o->path : o->argv[0], o->argv);
	sk_child_fail(err_fd, SK_STAGE_EXEC, errno);
}

/*
 * True when a seccomp filter with a notify listener is above us: a new
 * listener then fails with EBUSY, and the listener's calls never reach a
 * RET_TRACE filter of ours (USER_NOTIF outranks TRACE).  Probed in a child,
 * which installs an allow-everything filter and exits.
 */
static bool listener_above(void)
{
	static struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 1, .filter = allow };
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		_exit(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			      SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog) < 0 &&
		      errno == EBUSY ? 1 : 0);
	}
	if (pid < 0)
		return false;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 1;
}

/*
 * PTRACE_GET_SYSCALL_INFO (5.3+) is what every stop is read with: probe it
 * on a child of our own before anything runs, as strace probes its ptrace
 * features, rather than finding out at the program's first stop.
 */
static int probe_syscall_info(struct sk_err *err)
{
	struct __ptrace_syscall_info si;
	int st, ok = 0, e = 0;
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	if (pid < 0)
		return sk_err_set(err, errno, "fork: %s", strerror(errno));
	if (pt(PTRACE_SEIZE, pid, 0, 0) == 0 && pt(PTRACE_INTERRUPT, pid, 0, 0) == 0 &&
	    waitpid(pid, &st, __WALL) == pid && WIFSTOPPED(st)) {
		ok = pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof(si), (unsigned long)&si) > 0;
		e = errno;
	} else {
		e = errno;
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
		;
	if (ok)
		return 0;
	if (e == EIO || e == EINVAL)
		return sk_err_set(err, ENOSYS, "PTRACE_GET_SYSCALL_INFO is unavailable (Linux < 5.3): the ptrace backend cannot read syscalls here");
	return seize_error(err, pid, e);
}

static void set_clone_numbers(struct tracer *tr)
{
	uint32_t arches[4];
	size_t n = sk_arch_host(arches, 4);

	for (size_t i = 0; i < n && i < 4; i++) {
		int nr = sk_syscall_nr(arches[i], "clone");

		if (nr < 0 || arches[i] == SCMP_ARCH_X32)
			continue;
		tr->clone_arch[tr->n_clone] = arches[i];
		tr->clone_nr[tr->n_clone++] = nr;
	}
}

/* Forks and seizes the child; *err_rd gets its failure pipe. */
static int launch(struct tracer *tr, int *err_rd)
{
	int sync[2], ep[2], e;
	pid_t pid;

	if (pipe2(sync, O_CLOEXEC) < 0)
		return sk_err_set(tr->err, errno, "pipe: %s", strerror(errno));
	if (pipe2(ep, O_CLOEXEC) < 0) {
		e = errno;
		close(sync[0]);
		close(sync[1]);
		return sk_err_set(tr->err, e, "pipe: %s", strerror(e));
	}
	pid = fork();
	if (pid == 0) {
		close(sync[1]);
		close(ep[0]);
		child_run(tr->o, sync[0], ep[1]);
	}
	e = errno;
	close(sync[0]);
	close(ep[1]);
	if (pid < 0) {
		close(sync[1]);
		close(ep[0]);
		return sk_err_set(tr->err, e, "fork: %s", strerror(e));
	}
	if (pt(PTRACE_SEIZE, pid, 0, LAUNCH_OPTS) < 0) {
		e = errno;
		close(sync[1]); /* EOF: the child exits */
		close(ep[0]);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return seize_error(tr->err, pid, e);
	}
	tr->leader = pid;
	tr->leader_alive = true;
	task_add(tr, pid);
	/* Syscall stops start at a stop: have one before the child runs on. */
	if (tr->sysstops)
		pt(PTRACE_INTERRUPT, pid, 0, 0);
	/* A failed write means EOF for the child: reported as died before exec. */
	if (write(sync[1], "", 1) != 1)
		e = errno;
	close(sync[1]);
	*err_rd = ep[0];
	return 0;
}

/*
 * The program never exec'd.  A failed execve ends the child with 126 or
 * 127, which stays the program's status as with the notify backend (so
 * scmp-trace exits like env(1)); a failure to set up tracing is ours.
 */
static int exec_failure(struct tracer *tr, int fd)
{
	struct sk_tracer_result *res = tr->res;
	int msg[2];

	res->complete = false;
	if (fd < 0 || read(fd, msg, sizeof(msg)) != sizeof(msg)) {
		if (!res->exit_signal)
			return sk_err_set(tr->err, ECHILD, "the traced child died before exec");
		snprintf(res->reason, sizeof(res->reason),
			 "the program was killed by signal %d before it started", res->exit_signal);
		return 0;
	}
	if (msg[0] == SK_STAGE_EXEC && res->has_exit) {
		snprintf(res->reason, sizeof(res->reason), "executing %s: %s",
			 tr->o->path ? tr->o->path : tr->o->argv[0], strerror(msg[1]));
		return 0;
	}
	return sk_err_set(tr->err, msg[1], "%s: %s", sk_child_stage_name(msg[0]),
			  strerror(msg[1]));
}

static void finish_result(struct tracer *tr)
{
	struct sk_tracer_result *res = tr->res;

	if (tr->overflow) {
		res->complete = false;
		snprintf(res->reason, sizeof(res->reason),
			 "more than %u tasks at once: executables and return values of the rest were not attributed",
			 TASK_SLOTS - 1);
	} else if (tr->unreadable) {
		res->complete = false;
		snprintf(res->reason, sizeof(res->reason),
			 "%llu syscall stops could not be read (PTRACE_GET_SYSCALL_INFO failed)",
			 (unsigned long long)tr->unreadable);
	} else if (tr->unnamed) {
		res->complete = false;
		snprintf(res->reason, sizeof(res->reason), SK_UNNAMED_EXES, tr->unnamed,
			 tr->unnamed == 1 ? "" : "s", tr->unnamed == 1 ? "its" : "their");
	}
}

int sk_ptrace_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		  struct sk_err *err)
{
	struct tracer tr = {
		.o = o, .res = res, .rec = o->rec, .err = err,
		.attach = o->n_pids > 0,
	};
	struct itimerval tick = { { 1, 0 }, { 1, 0 } }, old_tick;
	int ret = 0, err_rd = -1;

	memset(res, 0, sizeof(*res));
	res->complete = true;
	tr.started = tr.attach;
	ret = probe_syscall_info(err);
	if (ret)
		return ret;
	tr.sysstops = tr.attach || listener_above();
	set_clone_numbers(&tr);
	if (tr.sysstops && !tr.attach)
		snprintf(res->backend_note, sizeof(res->backend_note),
			 "a seccomp notify listener is active above us: syscall stops instead of seccomp stops (2 stops per call)");
	tr.tasks = sk_tasks_new(TASK_SLOTS);
	if (!tr.tasks)
		return sk_err_set(err, ENOMEM, "out of memory");
	if (tr.attach) {
		for (size_t i = 0; !ret && i < o->n_pids; i++)
			ret = attach_process(&tr, o->pids[i]);
		if (ret)
			start_detach(&tr); /* let go of those already seized */
	} else {
		ret = launch(&tr, &err_rd);
		if (ret) {
			sk_tasks_free(tr.tasks);
			return ret;
		}
	}
	/* A tick wakes waitpid: a signal that lands just before it is still
	 * seen within a second, and lingering descendants get their note.
	 * Its SIGALRM comes from the kernel: sk_session_signals() catches it
	 * and it is never forwarded. */
	setitimer(ITIMER_REAL, &tick, &old_tick);
	trace_loop(&tr);
	setitimer(ITIMER_REAL, &old_tick, NULL);
	if (!ret && tr.fatal)
		ret = tr.fatal;
	finish_result(&tr);
	if (!ret && !tr.started)
		ret = exec_failure(&tr, err_rd);
	if (err_rd >= 0)
		close(err_rd);
	sk_tasks_free(tr.tasks);
	return ret;
}
