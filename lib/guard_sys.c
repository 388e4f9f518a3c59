/* SPDX-License-Identifier: MIT */
/*
 * The signal guard in the keeper (guard_sys.h).  Every stop is answered at
 * once; the only per-stop work beyond the restart is, at a signal-delivery
 * stop, one PTRACE_GETREGS, and for a call interrupted with -ERESTARTSYS a
 * PTRACE_GET_SYSCALL_INFO (for its arch) and a PTRACE_SETREGS.
 */
#include <errno.h>
#include <linux/audit.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "guard_sys.h"

#define ERESTARTSYS_   512
#define ERESTARTNOINTR_ 513

#define GUARD_OPTS (PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
		    PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL)

static long pt(int req, pid_t tid, unsigned long addr, unsigned long data)
{
	return ptrace(req, tid, (void *)addr, (void *)data);
}

int guard_seize(pid_t pid, bool handover)
{
#ifdef __x86_64__
	if (pt(PTRACE_SEIZE, pid, 0, GUARD_OPTS | (handover ? PTRACE_O_TRACESECCOMP : 0)) < 0)
		return -errno;
	return 0;
#else
	(void)pid;
	(void)handover;
	return -EOPNOTSUPP; /* the register layout is only known for x86_64 */
#endif
}

#ifdef __x86_64__
/*
 * At a signal-delivery stop handle_signal() has not run yet: a call the
 * seccomp wait skipped shows rax == -ERESTARTSYS with its number in
 * orig_rax.  When the call natively never returns that, make it
 * -ERESTARTNOINTR: the handler runs, then the call is made again.
 */
static void fix_restart(struct guard_state *g, pid_t tid)
{
	struct user_regs_struct r;
	struct __ptrace_syscall_info si;
	uint64_t args[6];

	if (pt(PTRACE_GETREGS, tid, 0, (unsigned long)&r) < 0 ||
	    (long)r.orig_rax < 0 || (int)r.rax != -ERESTARTSYS_)
		return;
	memset(&si, 0, sizeof(si));
	if (pt(PTRACE_GET_SYSCALL_INFO, tid, sizeof(si), (unsigned long)&si) <= 0)
		return;
	if (si.arch == AUDIT_ARCH_I386) {
		uint64_t a[6] = { (uint32_t)r.rbx, (uint32_t)r.rcx, (uint32_t)r.rdx,
				  (uint32_t)r.rsi, (uint32_t)r.rdi, (uint32_t)r.rbp };

		memcpy(args, a, sizeof(args));
	} else {
		uint64_t a[6] = { r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9 };

		memcpy(args, a, sizeof(args));
	}
	if (!sk_guard_match(g->tab, si.arch, (int)r.orig_rax, args))
		return;
	r.rax = (unsigned long long)-ERESTARTNOINTR_;
	if (pt(PTRACE_SETREGS, tid, 0, (unsigned long)&r) == 0)
		g->restarts++;
}
#else
static void fix_restart(struct guard_state *g, pid_t tid)
{
	(void)g;
	(void)tid;
}
#endif

/* tid is let go (or gone): the callers waiting for it make their ptrace call. */
static void resume_waiting(struct guard_state *g, pid_t tid)
{
	for (size_t i = 0; i < g->n_waiting;) {
		if (g->waiting_for[i] != tid) {
			i++;
			continue;
		}
		pt(PTRACE_CONT, g->waiting[i], 0, 0);
		g->n_waiting--;
		g->waiting[i] = g->waiting[g->n_waiting];
		g->waiting_for[i] = g->waiting_for[g->n_waiting];
	}
}

static int take_release(struct guard_state *g, pid_t tid)
{
	for (size_t i = 0; i < g->n_release; i++) {
		if (g->release[i] == tid) {
			g->release[i] = g->release[--g->n_release];
			return 1;
		}
	}
	return 0;
}

/*
 * A ptrace TRACEME, ATTACH or SEIZE stopped at the program's seccomp filter
 * (SECCOMP_RET_TRACE; the bpf backend, which has no supervisor to see it):
 * the task it names is let go first, as the notify supervisor has the
 * keeper do (hand_over in notify_sys.c).  TRACEME: the caller itself, now.
 * ATTACH, SEIZE: the caller waits at its stop until its target is let go.
 */
static void handover_stop(struct guard_state *g, pid_t tid)
{
	struct __ptrace_syscall_info si;
	pid_t target;

	memset(&si, 0, sizeof(si));
	if (pt(PTRACE_GET_SYSCALL_INFO, tid, sizeof(si), (unsigned long)&si) <= 0 ||
	    si.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		pt(PTRACE_CONT, tid, 0, 0);
		return;
	}
	if (si.seccomp.args[0] == PTRACE_TRACEME) {
		pt(PTRACE_DETACH, tid, 0, 0);
		return;
	}
	target = (pid_t)si.seccomp.args[1];
	if ((si.seccomp.args[0] != PTRACE_ATTACH && si.seccomp.args[0] != PTRACE_SEIZE) ||
	    g->n_waiting == GUARD_RELEASE_MAX || target == tid ||
	    !guard_release(g, target)) {
		pt(PTRACE_CONT, tid, 0, 0);
		return;
	}
	g->waiting[g->n_waiting] = tid;
	g->waiting_for[g->n_waiting++] = target;
}

bool sk_ptrace_group_stop(pid_t tid, int status)
{
	int sig = WSTOPSIG(status);

	if ((unsigned)status >> 16 != PTRACE_EVENT_STOP ||
	    (sig != SIGSTOP && sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU))
		return false;
	return pt(PTRACE_LISTEN, tid, 0, 0) == 0;
}

void guard_stop(struct guard_state *g, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;

	if (event == 0) {
		/* A signal on its way in: fix the call it interrupted,
		 * then deliver it (ignored ones stop us too). */
		if (take_release(g, tid)) {
			pt(PTRACE_DETACH, tid, 0, (unsigned long)sig);
			resume_waiting(g, tid);
			return;
		}
		fix_restart(g, tid);
		pt(PTRACE_CONT, tid, 0, (unsigned long)sig);
		return;
	}
	if (take_release(g, tid)) {
		pt(PTRACE_DETACH, tid, 0, 0);
		resume_waiting(g, tid);
		return;
	}
	if (event == PTRACE_EVENT_SECCOMP) {
		handover_stop(g, tid);
		return;
	}
	if (!sk_ptrace_group_stop(tid, status))
		pt(PTRACE_CONT, tid, 0, 0);
}

int guard_release(struct guard_state *g, pid_t tid)
{
	for (size_t i = 0; i < g->n_release; i++)
		if (g->release[i] == tid)
			return 1;
	if (g->n_release == GUARD_RELEASE_MAX)
		return 0;
	/* ESRCH: not ours (any more), or gone. */
	if (pt(PTRACE_INTERRUPT, tid, 0, 0) < 0)
		return 0;
	g->release[g->n_release++] = tid;
	return 1;
}

void guard_gone(struct guard_state *g, pid_t tid)
{
	take_release(g, tid);
	resume_waiting(g, tid);
	/* A caller that died waiting: forget it. */
	for (size_t i = 0; i < g->n_waiting; i++) {
		if (g->waiting[i] == tid) {
			g->n_waiting--;
			g->waiting[i] = g->waiting[g->n_waiting];
			g->waiting_for[i] = g->waiting_for[g->n_waiting];
			break;
		}
	}
}
