/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TREE_SYS_H
#define SCMPKIT_TREE_SYS_H

#include <sys/types.h>

/*
 * The processes of a run's tree, found below its keeper (their subreaper,
 * launch.h) through /proc/PID/task/TID/children, and signalled as one
 * (lib-private).  On the tool's main thread only: it reads /proc.
 */

#define SK_TREE_MAX 4096

/*
 * Stops every process below keeper with SIGSTOP (twice over, for a process
 * forked meanwhile) and waits, up to a second, until every thread but
 * skip_tid is stopped: a thread waiting for the supervisor's answer
 * (WAIT_KILLABLE_RECV) only stops once it is answered.  Returns how many
 * processes it stopped, or -errno; -ETIMEDOUT when some thread did not stop.
 */
int sk_tree_stop(pid_t keeper, pid_t skip_tid);

/* SIGCONT to every process below keeper; how many. */
int sk_tree_continue(pid_t keeper);

#endif
