/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TRACE_BACKEND_H
#define SCMPKIT_TRACE_BACKEND_H

/*
 * The contract between scmp-trace's main.c and its backends.  main.c parses
 * options, owns the recorder and writes trace.json; a backend runs or
 * attaches to the program and feeds every syscall to the recorder.  The
 * notify backend is in the core (include/scmpkit/tracer.h); ptrace here.
 */
#include "scmpkit/tracer.h"

/*
 * Runs the program (or attaches) and records until every traced task is
 * gone.  Returns 0 with res filled, or a negative errno with err filled when
 * tracing could not start (nothing was run then, or the launched program was
 * killed).
 */
int sk_ptrace_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		  struct sk_err *err);

#endif
