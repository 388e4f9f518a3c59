/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_GEN_RUN_H
#define SCMPKIT_GEN_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "scmpkit/err.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_static.h"
#include "scmpkit/profile.h"

/*
 * scmp-gen's driver (gen.c), from trace files to the generated profile: each trace loaded
 * (an incomplete one refused unless allowed) into the union, the static
 * analysis the options ask for read from the traced executables, and the
 * profile generated (gen.h), with --explain's text.  Nothing here prints:
 * warnings are collected in order for the main, which then reports,
 * checks and writes (gen_output.h).
 */

/*
 * From the union of traces to a profile, the stages one way (gen.c): the
 * calls every program needs added to a copy of g (g is left as it is),
 * actions and argument rules chosen, rules ordered by observed count
 * (hottest first) and merged.  *explain (explain may be NULL) gets an
 * allocated text (free()) with one paragraph per rule; warn gets what the
 * user should know (io_uring, ...).  0 with *out set (free with
 * sk_profile_free), or a negative errno with err filled.
 */
int sk_gen_profile(const struct sk_gen *g, const struct sk_gen_opts *o,
		   struct sk_profile **out, char **explain,
		   struct sk_warn *warn, struct sk_err *err);

enum sk_gen_static_mode {
	SK_GEN_STATIC_SUMMARY,  /* the default: one line after the profile */
	SK_GEN_STATIC_NONE,
	SK_GEN_STATIC_REPORT,
	SK_GEN_STATIC_ADD,
};

struct sk_gen_run_opts {
	char *const *files;             /* the traces, in order */
	size_t n_files;
	bool allow_incomplete;          /* accept "complete": false, with a warning */
	enum sk_gen_static_mode static_mode;
	bool quiet;                     /* with exact: the default analysis is
					 * not run at all */
	bool exact;                     /* --exact: no family is added */
	bool explain;                   /* make --explain's text */
	struct sk_gen_opts gen;
};

struct sk_gen_run {
	struct sk_gen *g;               /* the union */
	struct sk_static *st;           /* the analysis read, or NULL (none
					 * asked for, or the default one lost) */
	struct sk_profile *p;           /* the generated profile */
	char *explain;                  /* --explain's text, or NULL */
};

/*
 * Runs it: 0 with out filled (free with sk_gen_run_done), or a negative
 * errno with err filled (a trace that cannot be read or is incomplete, a
 * --static failure, a profile that cannot be made) and out freed.  A
 * failure of the default analysis only loses its line (out->st NULL).
 */
int sk_gen_run(const struct sk_gen_run_opts *o, struct sk_gen_run *out,
	       struct sk_warn *warn, struct sk_err *err);

/* Frees what r holds (not r itself). */
void sk_gen_run_done(struct sk_gen_run *r);

#endif
