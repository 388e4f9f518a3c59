/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_LAUNCH_H
#define SCMPKIT_LAUNCH_H

#include <linux/filter.h>
#include <stdint.h>
#include <sys/types.h>

#include "scmpkit/err.h"

/*
 * Launching a program under a keeper.  The keeper is a small process
 * between the tool and the program: it is the program's parent and a child
 * subreaper, so every orphan of the program's tree becomes its child.  It
 * reaps them (zombies would keep the filter alive), reports the program's
 * wait status, and, when the tool goes away (even by SIGKILL), kills
 * whatever is left of the tree: nothing runs on under a dead supervisor.
 * It blocks every signal, so nothing the program sends up the tree kills it.
 *
 * With the signal guard (SK_LAUNCH_GUARD) the keeper also PTRACE_SEIZEs
 * the program before it runs, and through fork/clone events every task of
 * its tree, with no syscall or seccomp stops: at each signal-delivery stop
 * a call that was only waiting for the notify supervisor (-ERESTARTSYS on
 * a call that natively never returns it, lib/sigguard.h) is made to
 * restart after the handler instead of failing with EINTR.
 */

#define SK_LAUNCH_GUARD 1u

struct sk_launch {
	pid_t child;     /* the program */
	pid_t keeper;
	int status_fd;   /* keeper -> tool: the program's wait status */
	int life_fd;     /* tool -> keeper: EOF means "kill the rest and go" */
	int cmd_fd;      /* tool <-> keeper: tasks to let go of (guard only) */
	int guard;       /* 0: the guard holds the tree; else the errno why not */
	uint64_t restarts; /* calls the guard restarted (after _finish) */
};

/*
 * Forks the keeper, which forks the program and runs fn(arg) in it with the
 * caller's signal mask; fn must not return.  flags: SK_LAUNCH_GUARD.
 * 0 with l filled (l->guard says whether the guard attached), or a
 * negative errno with err filled.
 */
int sk_launch_start(struct sk_launch *l, void (*fn)(void *), void *arg,
		    unsigned flags, struct sk_err *err);

/*
 * Reads the program's wait status when the keeper has sent it: 1 and
 * *wstatus set, 0 when not yet, -EPIPE when the keeper is gone.
 */
int sk_launch_status(struct sk_launch *l, int *wstatus);

/*
 * Asks the keeper to let go of task tid (another tracer wants it: strace,
 * gdb, LeakSanitizer inside the tree).  The keeper interrupts it and
 * detaches it at its next stop; sk_launch_holds() tells when that has
 * happened.  1 when the release is under way (the interrupt is pending,
 * so the task will pass through signal handling before it runs on), 0
 * when the keeper does not trace tid, -errno when the keeper is gone.
 * Serialise calls: one request is answered at a time.
 */
int sk_launch_release(struct sk_launch *l, pid_t tid);

/* True while the keeper is tid's tracer (from /proc/TID/status). */
int sk_launch_holds(const struct sk_launch *l, pid_t tid);

/*
 * Tells the keeper to kill the whole tree now; it still reports the
 * program's status (SIGKILL) if the program was running.  Safe from any
 * thread, and more than once.
 */
void sk_launch_kill(struct sk_launch *l);

/* Tells the keeper to kill what is left of the tree, and reaps it. */
void sk_launch_finish(struct sk_launch *l);

/*
 * The start of a traced child, shared by both backends.  A child that
 * fails before its exec writes {stage, errno} to a pipe and exits 127 (not
 * found) or 126; the tool turns the report into its message.
 */
enum sk_child_stage {
	SK_STAGE_NNP = 1,     /* setting no_new_privs */
	SK_STAGE_FILTER,      /* installing the seccomp filter */
	SK_STAGE_FD,          /* the listener got an unexpected fd number */
	SK_STAGE_EXEC,        /* executing the program */
	SK_STAGE_LANDLOCK,    /* restricting itself to the Landlock ruleset */
};

/* In the child: reports {stage, e} on fd and exits.  Never returns. */
void sk_child_fail(int fd, enum sk_child_stage stage, int e)
	__attribute__((noreturn));

/*
 * In the child: resets every caught signal to its default (a signal before
 * the exec must act as on the program, not set a flag in the tool's copy).
 */
void sk_child_default_signals(void);

/*
 * In the child: installs prog with flags, setting no_new_privs only when
 * the kernel asks for it (without CAP_SYS_ADMIN), so a privileged tool keeps
 * setuid programs working; SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is
 * dropped on kernels without it (< 5.19).  Returns seccomp()'s result, or
 * reports the failure on fd and exits.
 */
int sk_child_filter(const struct sock_fprog *prog, unsigned flags, int fd);

/* The words for a child's failure report ("installing the seccomp filter"). */
const char *sk_child_stage_name(int stage);

#endif
