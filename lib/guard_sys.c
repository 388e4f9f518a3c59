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

int guard_seize(pid_t pid)
{
#ifdef __x86_64__
	if (pt(PTRACE_SEIZE, pid, 0, GUARD_OPTS) < 0)
		return -errno;
	return 0;
#else
	(void)pid;
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
			return;
		}
		fix_restart(g, tid);
		pt(PTRACE_CONT, tid, 0, (unsigned long)sig);
		return;
	}
	if (take_release(g, tid)) {
		pt(PTRACE_DETACH, tid, 0, 0);
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
}
