/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_GEN_LANDLOCK_H
#define SCMPKIT_GEN_LANDLOCK_H

#include <stdio.h>

#include "scmpkit/err.h"
#include "scmpkit/landlock.h"
#include "scmpkit/trace_format.h"

/*
 * scmp-gen --landlock: from the paths and ports of traces (trace.json
 * minor 1) to a Landlock ruleset (landlock.h), generalised as a careful
 * person would (lib/gen_landlock.c says how), each rule with its reason.
 */

/* A directory with this many distinct children read (files, or
 * directories already ruled whole) is ruled whole. */
#define SK_GEN_LL_DIR_MIN 3

/*
 * The ruleset for traces t[0..n) (their executables' ELF interpreters are
 * read from the disk).  Paths left without a rule are said in *notes
 * (for --explain); warnings (a trace without paths, one whose path table
 * overflowed) in *warn.  0 with *out set (sk_landlock_free), -EINVAL with
 * err filled when no trace holds paths, or -ENOMEM.
 */
int sk_gen_landlock(struct sk_trace *const *t, size_t n, char *const *files,
		    struct sk_landlock **out, struct sk_warn *notes,
		    struct sk_warn *warn, struct sk_err *err);

/*
 * Loads the trace files, makes the ruleset and writes it to output
 * atomically (fileio.h); with explain, its rules and reasons and the
 * notes are printed there.  The number of rules, or a negative errno with
 * err filled.
 */
int sk_gen_landlock_files(char *const *files, size_t n, const char *output,
			  FILE *explain, struct sk_warn *warn, struct sk_err *err);

/* The i-th directory never widened (sorted), NULL past the end: tests. */
const char *sk_gen_ll_root_at(size_t i);

/* --explain's text of a ruleset on f: each rule, its rights and reason,
 * then what has no rule and why. */
void sk_gen_landlock_explain(FILE *f, const struct sk_landlock *ll,
			     const struct sk_warn *notes);

#endif
