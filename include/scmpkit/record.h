/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_RECORD_H
#define SCMPKIT_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "scmpkit/landlock.h"
#include "scmpkit/backend.h"
#include "scmpkit/err.h"
#include "scmpkit/profile.h"
#include "scmpkit/trace_format.h"
#include "scmpkit/tracer.h"

/*
 * One recording run, the sequence scmp-trace and scmp-apply --complain
 * share: the output checked before anything runs, the baseline filter
 * built from a profile, a recorder, the tool's signals caught, the run
 * with the backend asked for or auto's choice (backend.h), and the trace
 * written.  Nothing here prints: the mains print what the
 * result says (warnings, the guard's note, the summary).
 */

struct sk_record_opts {
	const char *tool;               /* "scmp-trace 0.1.0", the trace's "tool" */
	const char *output;             /* trace file, "-" for stdout; NULL:
					 * none written (out->trace is still made) */
	char *const *argv;              /* program to launch, NULL when attaching */
	int argc;
	const char *path;               /* resolved executable for argv */
	const pid_t *pids;              /* processes to attach to */
	size_t n_pids;
	const struct sk_profile *baseline; /* run under its rules, notify the rest */
	const char *baseline_file;      /* its file, never overwritten */
	const char *backend_label;      /* the trace's "backend" when set
					 * ("baseline", "complain"), else the one used */
	struct sk_tracer_opts tracer;   /* errors, quiet, supervisors, no_guard */
	enum sk_backend backend;        /* the one to run, or auto (backend.h) */
	bool no_paths;                  /* keep no paths and ports (pathrec.h) */
	/* With baseline: the calls that need a Landlock right are notified
	 * too, and when the baseline allows them only their paths are
	 * recorded (scmp-apply --complain --landlock). */
	bool notify_paths;
	/* Keep only the paths and ports this ruleset refuses (borrowed). */
	const struct sk_landlock *keep_refused;
};

struct sk_record_result {
	struct sk_tracer_result res;    /* the program's status, notes */
	struct sk_trace *trace;         /* what was written; free with sk_trace_free */
	const char *used;               /* the backend that ran ("notify", ...) */
	struct sk_backend_notes notes;  /* auto's choice, for the main to say */
	struct sk_warn warn;            /* from the baseline build; sk_warn_clear */
	bool ran;                       /* the backend ran (res is valid) */
};

/*
 * Runs the sequence.  0 when the trace was made and written (out->res says how the
 * program ended); a negative errno with err filled otherwise: from the
 * backend's start (out->ran false, the errno says "not found" (-ENOENT),
 * "cannot execute" (-EACCES, -ENOEXEC) or another failure), or from
 * writing the trace (out->ran true).  Free out with sk_record_done().
 */
int sk_record(const struct sk_record_opts *o, struct sk_record_result *out,
	      struct sk_err *err);

/* Frees what out holds (not out itself). */
void sk_record_done(struct sk_record_result *out);

#endif
