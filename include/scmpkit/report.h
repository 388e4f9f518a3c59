/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_REPORT_H
#define SCMPKIT_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <seccomp.h>

#include "scmpkit/err.h"
#include "scmpkit/filter.h"
#include "scmpkit/profile.h"
#include "scmpkit/record.h"
#include "scmpkit/trace_format.h"

/*
 * scmp-apply's supervised runs: --report, --ask and --kill-tree (the
 * judge, judge.h, over the profile's own filter), and --complain (the
 * profile's rules with every denial notified and continued, record.h's
 * baseline); the recording run, and its words.  While the run goes on each denied call is named on stderr
 * and, with --ask, asked about on the terminal: those lines cannot wait
 * for the main (HACKING.md).  The summaries at the end are rendered on
 * the FILE the main gives, as gen_explain.c renders --explain; errors
 * come back in a struct sk_err for the main to print.
 */

struct sk_report_opts {
	const struct sk_profile *p;     /* borrowed, for the whole run */
	const struct sk_filter_opts *fo;
	scmp_filter_ctx ctx;            /* p's filter, built with fo */
	bool complain;                  /* --complain: enforce nothing, record */
	bool ask;                       /* ask about each call on tty */
	bool kill_tree;                 /* a kill takes the program's tree */
	bool quiet;
	FILE *tty;                      /* --ask: the controlling terminal */
	const char *output;             /* --report=FILE, --complain FILE: the
					 * trace, or NULL */
	const char *landlock;           /* --landlock FILE: the program runs
					 * under it too, and the summary names
					 * what it refused (not with complain) */
	bool landlock_strict;
	bool implicit;                  /* --report by default (stderr is a
					 * terminal): a summary only when
					 * something was denied */
};

/*
 * Whether plain scmp-apply may run as --report (when stderr is a
 * terminal): this kernel has seccomp user notification.
 */
bool sk_report_implicit_ok(void);

struct sk_report;

/*
 * --ask talks to the controlling terminal, never the program's streams:
 * 0 with *tty open (fclose it), or a negative errno with err filled.
 */
int sk_report_tty(FILE **tty, struct sk_err *err);

/*
 * The judge and the filter it supervises (the profile's, with every
 * action but allow notified); for --complain, nothing yet.  0 with *out allocated (free with
 * sk_report_free), or a negative errno with err filled.
 */
int sk_report_new(const struct sk_report_opts *o, struct sk_report **out,
		  struct sk_err *err);

void sk_report_free(struct sk_report *r);

/*
 * Runs argv (path resolved) under the judge, or the complain filter, as
 * sk_record (record.h) with the notify backend: 0 with rr filled, else a
 * negative errno with err filled (rr->ran says whether the program ran;
 * when not, err names the option, and what it needs when this kernel has
 * no seccomp user notification).  Free rr with sk_record_done.
 */
int sk_report_run(struct sk_report *r, char *const *argv, const char *path,
		  struct sk_record_result *rr, struct sk_err *err);

/*
 * The end of the run on f: every denied (call, arguments) pair, who made
 * it, and the scmp-gen command that allows them (t: the run's trace).
 */
void sk_report_summary(FILE *f, const struct sk_report *r, const struct sk_trace *t);

/*
 * --ask=FILE: p (the profile r runs) with the answers' rules added, built into a
 * filter as a check and saved to file.  Returns how many rules were added
 * (0: written unchanged), or a negative errno with err filled; warn gets
 * the build's warnings.
 */
int sk_report_refine(const struct sk_report *r, struct sk_profile *p, const char *file,
		     struct sk_warn *warn, struct sk_err *err);

/*
 * After sk_report_refine wrote file with n rules more: what changed, on
 * f ("ask: wrote FILE: PROFILE with N rules more:" and a line per answer).
 */
void sk_report_changes(FILE *f, const struct sk_report *r, int n, const char *file);

/* --complain's summary on f: what the profile would have denied, recorded in file. */
void sk_report_complain(FILE *f, const struct sk_trace *t, const char *file);

/*
 * The whole supervised run of argv under o: the run (sk_report_run), its
 * summary on f unless o->quiet, and with ask_file the answers written
 * there (the profile p refined, sk_report_refine) whatever became of the
 * run, with what changed on f; a profile that cannot be written is a
 * warning in warn, never the run's failure.  0 with rr filled, or a
 * negative errno with err filled (rr->ran: whether the program ran).
 * Free rr with sk_record_done.
 */
int sk_report_session(const struct sk_report_opts *o, struct sk_profile *p,
		      char *const *argv, const char *path, const char *ask_file,
		      FILE *f, struct sk_record_result *rr, struct sk_warn *warn,
		      struct sk_err *err);

/*
 * sk_report_session for scmp-apply, with what it has to say on f: the
 * signal guard's note, the warnings, the error.  0 when the program ran
 * to its end (its status in rr->res), else scmp-apply's exit status for
 * its own failure (125, or 126/127 when PROG could not start).  Free rr
 * with sk_record_done.
 */
int sk_report_session_said(const struct sk_report_opts *o, struct sk_profile *p,
			   char *const *argv, const char *path, const char *ask_file,
			   FILE *f, struct sk_record_result *rr);

#endif
