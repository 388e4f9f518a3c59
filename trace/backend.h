/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TRACE_BACKEND_H
#define SCMPKIT_TRACE_BACKEND_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "scmpkit/err.h"
#include "scmpkit/recorder.h"

/*
 * The contract between scmp-trace's main.c and its backends.  main.c parses
 * options, owns the recorder and writes trace.json; a backend runs or
 * attaches to the program and feeds every syscall to the recorder.
 */

struct sk_tracer_opts {
	char *const *argv;    /* program to launch, NULL when attaching */
	const pid_t *pids;    /* processes to attach to (ptrace only) */
	size_t n_pids;
	bool errors;          /* record return values (ptrace exit stops) */
	bool quiet;
	struct sk_rec *rec;   /* borrowed; single-threaded backends use it directly */
};

struct sk_tracer_result {
	bool has_exit;        /* a launched program's status is known */
	int exit_code;
	int exit_signal;      /* the program died of this signal; 0 if not */
	bool complete;        /* false: calls may have been missed (say why) */
	char reason[256];
};

/*
 * Set by main.c's handler for SIGINT, SIGTERM and SIGHUP (installed without
 * SA_RESTART, so blocking waits return EINTR).  A launching backend forwards
 * the signal to the program; an attaching backend detaches and returns.
 */
extern volatile sig_atomic_t sk_pending_signal;

/*
 * Runs the program (or attaches) and records until every traced task is
 * gone.  Returns 0 with res filled, or a negative errno with err filled when
 * tracing could not start (nothing was run then, or the launched program was
 * killed).  -ENOSYS / -EPERM from sk_notify_run mean "try ptrace".
 */
int sk_notify_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		  struct sk_err *err);
int sk_ptrace_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		  struct sk_err *err);

/* True when this kernel and process can use the notify backend. */
bool sk_notify_available(struct sk_err *why);

#endif
