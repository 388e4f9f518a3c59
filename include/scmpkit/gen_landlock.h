/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_GEN_LANDLOCK_H
#define SCMPKIT_GEN_LANDLOCK_H

#include <stdio.h>

#include "scmpkit/err.h"
#include "scmpkit/landlock.h"
#include "scmpkit/trace_format.h"

/*
 * scmp-gen --landlock: from the paths and ports of traces (trace.json
 * version 1.2) to a Landlock ruleset (landlock.h), generalised as a careful
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
 * atomically (fileio.h), as JSON or, with systemd, as a drop-in
 * (sk_landlock_systemd); with explain, its rules and reasons and the
 * notes are printed there.  The number of rules, or a negative errno with
 * err filled.
 */
int sk_gen_landlock_files(char *const *files, size_t n, const char *output,
			  bool systemd, FILE *explain, struct sk_warn *warn,
			  struct sk_err *err);

/*
 * The ruleset as a systemd [Service] drop-in on f, as far as systemd can
 * say it: writes (ReadOnlyPaths=/ and ReadWritePaths=), executes
 * (NoExecPaths=/ and ExecPaths=), TCP binds (SocketBindAllow=); reads and
 * TCP connects only in a comment saying they are not said.  0, or -1 on
 * an output error.  landlock_systemd.c.
 */
int sk_landlock_systemd(FILE *f, const struct sk_landlock *ll);

/*
 * The rights a trace entry needs as the kernel checks them: returned, on
 * the path itself (read_dir for a directory read, ioctl_dev with a
 * device's read or write, none for what was not there), and in *par on
 * its directory (make only for what was missing, remove_dir for a
 * directory).  Pure.
 */
uint64_t sk_ll_entry_rights(const struct sk_trace_path *p, uint64_t *par);

/*
 * scmp-apply --check --landlock FILE --trace T.json: prints on f each
 * path and port of t (read from trace_file) that ll (from ll_file) would
 * refuse, with the rights and the executables; the number printed.
 */
int sk_landlock_replay(FILE *f, const struct sk_landlock *ll,
		       const struct sk_trace *t, const char *trace_file);

/* Drops from t the paths and ports ll grants (and the looks): what is
 * left is what it refuses, for --complain --landlock's trace. */
void sk_landlock_keep_refused(const struct sk_landlock *ll, struct sk_trace *t);

/* The i-th directory never widened (sorted), NULL past the end: tests. */
const char *sk_gen_ll_root_at(size_t i);

/* --explain's text of a ruleset on f: each rule, its rights and reason,
 * then what has no rule and why. */
void sk_gen_landlock_explain(FILE *f, const struct sk_landlock *ll,
			     const struct sk_warn *notes);

#endif
