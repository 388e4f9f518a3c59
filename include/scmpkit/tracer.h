/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TRACER_H
#define SCMPKIT_TRACER_H

#include <linux/filter.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "scmpkit/err.h"
#include "scmpkit/recorder.h"

/*
 * Running a program under a recorder: the two tracer backends.  notify
 * (lib/notify_sys.c) serves scmp-trace (plain and --baseline) and
 * scmp-apply --complain; ptrace (lib/ptrace_sys.c) serves scmp-trace.
 */

struct sk_tracer_opts {
	char *const *argv;    /* program to launch, NULL when attaching */
	const char *path;     /* resolved executable for argv (NULL: argv[0]) */
	const pid_t *pids;    /* processes to attach to (ptrace only) */
	size_t n_pids;
	bool errors;          /* record return values (ptrace exit stops) */
	bool quiet;
	/*
	 * Notify only: the filter the child installs.  Its non-notify actions
	 * run in the kernel; NULL means "notify every syscall".
	 */
	const struct sock_fprog *filter;
	unsigned supervisors; /* notify threads; 0 means one */
	struct sk_rec *rec;   /* borrowed */
};

struct sk_tracer_result {
	bool has_exit;        /* a launched program's status is known */
	int exit_code;
	int exit_signal;      /* the program died of this signal; 0 if not */
	bool complete;        /* false: calls may have been missed (say why) */
	char reason[256];
	char backend_note[256]; /* e.g. "sync wake-up unavailable" */
};

/*
 * Set by the tool's handler for SIGINT, SIGTERM and SIGHUP (installed
 * without SA_RESTART, so blocking waits return EINTR).  A launching backend
 * forwards the signal to the program; an attaching backend detaches.
 */
extern volatile sig_atomic_t sk_pending_signal;

/*
 * Runs the program with a NOTIFY filter and answers every notification
 * with CONTINUE, recording it, until every task under the filter is gone.
 * 0 with res filled; -EBUSY (a listener already exists up the filter
 * chain), -ENOSYS or -EPERM mean "use ptrace instead" and nothing ran.
 */
int sk_notify_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		  struct sk_err *err);

/* True when this kernel offers user notification and pidfd_getfd. */
bool sk_notify_available(struct sk_err *why);

/*
 * Runs the program (or attaches to o->pids) under ptrace and records until
 * every traced task is gone.  0 with res filled, or a negative errno with
 * err filled when tracing could not start (nothing was run then, or the
 * launched program was killed).
 */
int sk_ptrace_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		  struct sk_err *err);

#endif
