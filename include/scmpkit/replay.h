/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_REPLAY_H
#define SCMPKIT_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <seccomp.h>

#include "scmpkit/err.h"
#include "scmpkit/filter.h"
#include "scmpkit/profile.h"
#include "scmpkit/trace_format.h"

/*
 * scmp-apply --check PROFILE --trace T.json...: every (arch, call, values)
 * a trace recorded, run through the compiled filter (filter_eval.c) as the
 * kernel would run it, and what the profile would deny listed.  Pure.
 *
 * A trace holds only the flag and enum arguments the knowledge table
 * lists, and of some only the bits it records (open's access mode and
 * O_CREAT...); every other argument, and every other bit, is unknown.  A
 * call is denied when every value of the unknowns is denied, and "depends"
 * when some are allowed and some not: the trace cannot tell which the
 * program passed.  A call of an arch the profile does not cover is denied
 * (the filter kills foreign arches).  A call recorded with more values than
 * the trace keeps ("args": "unbounded") is also tried with every value.
 * ENOSYS from a rule that names the call (scmp-gen's clone3 rule, a call
 * that only ever failed with ENOSYS) is an answer chosen on purpose, not a
 * denial: the program takes its fallback (n_answered counts them).
 */

enum sk_replay_verdict {
	SK_REPLAY_DENIED = 1,  /* denied whatever the unknown arguments */
	SK_REPLAY_DEPENDS,     /* allowed for some unknown arguments, not others */
};

/* One recorded (arch, call, values) the filter denies or may deny. */
struct sk_replay_finding {
	const char *trace;     /* the trace's file (borrows sk_replay's copy) */
	uint32_t arch;         /* as the trace has it (SCMP_ARCH_X32 for x32) */
	char *name;            /* NULL: a number libseccomp does not know */
	int nr;
	unsigned n_argidx;
	unsigned argidx[6];
	uint64_t tuple[6];     /* the recorded values at argidx */
	bool all_values;       /* no recorded tuple: every value was tried */
	bool arch_covered;     /* the filter has arch (else the bad-arch kill) */
	enum sk_replay_verdict verdict;
	size_t n_rets;
	uint32_t rets[SK_EVAL_RETS_MAX]; /* SECCOMP_RET_* outcomes, denials
					  * first, then (DEPENDS) allows */
	char *call;            /* "socket(domain=AF_NETLINK, ...)" */
	char *why;             /* sk_denial_reason's words */
	uint64_t count;        /* the trace's count for the call, all values */
};

/* One trace replayed. */
struct sk_replay_trace {
	char *file;
	bool complete;         /* the trace's own "complete" */
	size_t n_calls;        /* (arch, call, values) replayed */
	size_t n_denied, n_depends;
	size_t n_answered;     /* calls the profile answers ENOSYS on purpose
	                        * (a rule naming them): their fallback runs */
};

struct sk_replay_result {
	size_t n_traces;
	struct sk_replay_trace *traces;
	size_t n;
	struct sk_replay_finding *f;  /* in trace order, then (arch, name) */
	size_t n_denied, n_depends;
};

struct sk_replay;

/*
 * A replayer for the filter ctx built from p with fo (both borrowed, and
 * must outlive it): 0 with *out set (free with sk_replay_free), or a
 * negative errno with err filled when the filter cannot be exported.
 */
int sk_replay_new(scmp_filter_ctx ctx, const struct sk_profile *p,
		  const struct sk_filter_opts *fo, struct sk_replay **out,
		  struct sk_err *err);

/* Frees r; NULL is a no-op. */
void sk_replay_free(struct sk_replay *r);

/*
 * Replays every recorded call of t, read from file, adding what the
 * filter denies or may deny to r's result.  0, or -ENOMEM with err filled.
 */
int sk_replay_add(struct sk_replay *r, const struct sk_trace *t,
		  const char *file, struct sk_err *err);

/* What r found so far; borrows r. */
const struct sk_replay_result *sk_replay_result(const struct sk_replay *r);

/* Whether a SECCOMP_RET_* value lets the call run (allow, log). */
bool sk_replay_allows(uint32_t ret);

/* "SCMP_ACT_ERRNO(EPERM)", "SCMP_ACT_KILL_PROCESS" for a SECCOMP_RET_* value. */
void sk_replay_action(uint32_t ret, char *buf, size_t len);

/*
 * The JSON form of the result (man scmp-apply, "CHECK OUTPUT"): format
 * "scmpkit-check", version 1.  Allocated (free()), or NULL.
 */
char *sk_replay_to_json(const struct sk_replay *r);

#endif
