/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_CHECK_H
#define SCMPKIT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <seccomp.h>

#include "scmpkit/err.h"
#include "scmpkit/filter.h"
#include "scmpkit/profile.h"
#include "scmpkit/replay.h"

/*
 * scmp-apply --check's words on the FILE the main gives (stdout): what
 * the filter is, and with --trace what it would do with every call the
 * traces recorded (replay.h), as text or as JSON.  Errors come back in a
 * struct sk_err, warnings in a struct sk_warn, for the main to print.
 */

struct sk_check_opts {
	const struct sk_profile *p;     /* borrowed */
	const struct sk_filter_opts *fo;
	scmp_filter_ctx ctx;            /* p's filter, built with fo */
	const char *file;               /* the profile as named on the command line */
	char *const *traces;            /* --trace files, replayed in order */
	size_t n_traces;
	bool json;                      /* "format": "scmpkit-check" instead of text */
};

/*
 * What running would refuse, refused here too (exec.h: an SCMP_ACT_NOTIFY
 * action, an exec that gets through only for some values of its pointers);
 * then, given traces, every one replayed through the filter.  0 with *out
 * the replay (allocated, free with sk_replay_free; NULL without traces),
 * or a negative errno with err filled.  warn gets the checks' warnings and
 * a note for each incomplete trace.
 */
int sk_check_prepare(const struct sk_check_opts *o, struct sk_replay **out,
		     struct sk_warn *warn, struct sk_err *err);

/*
 * On f: the summary (r NULL), or the replay's findings: the summary, each
 * finding and a line per trace, or the JSON.  1 when the profile denies or
 * may deny a recorded call, 0 when it allows them all (or r is NULL);
 * -ENOMEM with err filled.
 */
int sk_check_print(FILE *f, const struct sk_check_opts *o, const struct sk_replay *r,
		   struct sk_err *err);

/* --check from start to end: sk_check_prepare, then sk_check_print on f;
 * what sk_check_print returns, or the failure's negative errno. */
int sk_check_run(FILE *f, const struct sk_check_opts *o, struct sk_warn *warn,
		 struct sk_err *err);

#endif
