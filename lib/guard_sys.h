/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_GUARD_SYS_H
#define SCMPKIT_GUARD_SYS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sigguard.h"

/*
 * The keeper's half of the signal guard (lib-private, see launch.h): it
 * traces the program's tree with no syscall stops and fixes the return
 * value of calls a signal pulled out of the seccomp wait.
 */

#define GUARD_RELEASE_MAX 64

struct guard_state {
	const struct sk_guard *tab;
	uint64_t restarts;                      /* calls made to restart */
	pid_t release[GUARD_RELEASE_MAX];       /* to detach at their next stop */
	size_t n_release;
};

/* Seizes the program (fork, vfork and clone followed; killed if we die). 0 or -errno. */
int guard_seize(pid_t pid);

/* Handles one ptrace stop of tid (status from waitpid).  No allocation. */
void guard_stop(struct guard_state *g, pid_t tid, int status);

/*
 * Another tracer wants tid: interrupts it, to let go of it at its next
 * stop.  1 when that is under way, 0 when tid is not ours.
 */
int guard_release(struct guard_state *g, pid_t tid);

/*
 * At a PTRACE_EVENT_STOP: a group stop (the stop signals) stays stopped,
 * and its parent sees it, until SIGCONT (PTRACE_LISTEN); true when tid was
 * left so.  A new task's first stop and our interrupts carry SIGTRAP: the
 * caller resumes those.  Shared by both tracers (ptrace_sys.c).
 */
bool sk_ptrace_group_stop(pid_t tid, int status);

/* tid is gone: forget a pending release. */
void guard_gone(struct guard_state *g, pid_t tid);

#endif
