/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_LAUNCH_H
#define SCMPKIT_LAUNCH_H

#include <sys/types.h>

#include "scmpkit/err.h"

/*
 * Launching a program under a keeper.  The keeper is a small process
 * between the tool and the program: it is the program's parent and a child
 * subreaper, so every orphan of the program's tree becomes its child.  It
 * reaps them (zombies would keep the filter alive), reports the program's
 * wait status, and, when the tool goes away (even by SIGKILL), kills
 * whatever is left of the tree: nothing runs on under a dead supervisor.
 */

struct sk_launch {
	pid_t child;     /* the program */
	pid_t keeper;
	int status_fd;   /* keeper -> tool: the program's wait status */
	int life_fd;     /* tool -> keeper: EOF means "kill the rest and go" */
};

/*
 * Forks the keeper, which forks the program and runs fn(arg) in it with the
 * caller's signal mask; fn must not return.  0 with l filled, or a negative
 * errno with err filled.
 */
int sk_launch_start(struct sk_launch *l, void (*fn)(void *), void *arg,
		    struct sk_err *err);

/*
 * Reads the program's wait status when the keeper has sent it: 1 and
 * *wstatus set, 0 when not yet, -EPIPE when the keeper is gone.
 */
int sk_launch_status(struct sk_launch *l, int *wstatus);

/*
 * Tells the keeper to kill the whole tree now; it still reports the
 * program's status (SIGKILL) if the program was running.
 */
void sk_launch_kill(struct sk_launch *l);

/* Tells the keeper to kill what is left of the tree, and reaps it. */
void sk_launch_finish(struct sk_launch *l);

#endif
