/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_PROFILE_DIFF_H
#define SCMPKIT_PROFILE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scmpkit/err.h"
#include "scmpkit/profile.h"
#include "scmpkit/trace_format.h"

/*
 * scmp-gen --diff A B: what changed between two profiles, or two traces,
 * per architecture, as a drift gate for CI.  Pure: the result is data, and
 * its JSON form (sk_diff_to_json) is a string for the main to print.
 *
 * Both inputs become sets of (arch, call, action, condition).  A profile
 * gives, for each of its architectures (the native one when it lists none),
 * each name of each rule that libseccomp knows on that arch (a name no arch
 * knows counts on every arch), with the rule's action ("SCMP_ACT_ALLOW",
 * "SCMP_ACT_ERRNO(38)") and its argument comparisons, plus its
 * includes/excludes as words.  A trace gives each recorded (arch, call)
 * with each recorded tuple of argument values; a call with no values
 * recorded, or more than the trace keeps ("args": "unbounded"), has the
 * one condition "any arguments".  Counts, executables and rule order are
 * not compared.
 */

enum sk_diff_input_kind {
	SK_DIFF_PROFILE = 1,
	SK_DIFF_TRACE,
};

/* One side of the comparison, read as its "format" says; owns all. */
struct sk_diff_input {
	enum sk_diff_input_kind kind;
	char *file;                  /* the name used in messages and output */
	struct sk_profile *profile;  /* SK_DIFF_PROFILE */
	struct sk_trace *trace;      /* SK_DIFF_TRACE */
};

/*
 * Reads path ("-" is stdin): a trace when its "format" is "scmpkit-trace",
 * else a profile (warnings about unknown keys go to warn, may be NULL).
 * 0 with *out set (free with sk_diff_input_free), or a negative errno with
 * err filled as the trace or profile reader fills it.
 */
int sk_diff_input_load(const char *path, struct sk_diff_input **out,
		       struct sk_warn *warn, struct sk_err *err);

/* Frees in and what it holds; NULL is a no-op. */
void sk_diff_input_free(struct sk_diff_input *in);

/* One comparison of a condition; a trace's recorded value is op EQ. */
struct sk_diff_arg {
	unsigned index;
	enum sk_op op;
	uint64_t value;
	uint64_t value_two;          /* MASKED_EQ: the datum (value is the mask) */
};

/* One way a call is allowed (or denied, for another action): all of
 * args hold.  No args and no when: any arguments. */
struct sk_diff_cond {
	size_t n_args;
	struct sk_diff_arg *args;    /* sorted by index, op, value, value_two */
	char *when;                  /* profiles: "includes caps CAP_SYS_ADMIN", or NULL */
};

enum sk_diff_kind {
	SK_DIFF_ADDED = 1,   /* only B has the call (with this action) */
	SK_DIFF_REMOVED,     /* only A has it */
	SK_DIFF_NARROWED,    /* both; B lost conditions, or "any arguments" */
	SK_DIFF_WIDENED,     /* both; B gained conditions, or "any arguments" */
	SK_DIFF_CHANGED,     /* both; B gained some and lost others */
};

/* One change, for the arches where it is the same change. */
struct sk_diff_change {
	uint32_t *arches;            /* SCMP_ARCH_* tokens, ascending */
	size_t n_arches;
	char *name;                  /* NULL: a trace's number libseccomp does not know */
	int nr;                      /* traces: the number; profiles: -1 */
	char *action;                /* profiles: "SCMP_ACT_ALLOW"...; traces: NULL */
	enum sk_diff_kind kind;
	size_t n_added, n_removed;
	struct sk_diff_cond *added;   /* conditions only B has */
	struct sk_diff_cond *removed; /* conditions only A has */
};

struct sk_diff {
	enum sk_diff_input_kind kind;
	char *default_a, *default_b; /* profiles: the default actions; NULL for traces */
	size_t n_arches_added, n_arches_removed;
	uint32_t *arches_added, *arches_removed;
	size_t n_changes;
	struct sk_diff_change *changes; /* by name (then number), action */
};

/*
 * Compares a with b (both profiles or both traces).  0 with *out set
 * (free with sk_diff_free), -EINVAL with err filled when one is a profile
 * and the other a trace, or -ENOMEM.
 */
int sk_diff_compare(const struct sk_diff_input *a, const struct sk_diff_input *b,
		    struct sk_diff **out, struct sk_err *err);

/* True when d records no difference at all. */
bool sk_diff_same(const struct sk_diff *d);

/* Frees d; NULL is a no-op. */
void sk_diff_free(struct sk_diff *d);

/* "added", "removed", "narrowed", "widened", "changed" (static). */
const char *sk_diff_kind_name(enum sk_diff_kind k);

/*
 * One condition of change c in words, into buf (always NUL-terminated):
 * "socket(domain=AF_INET, type=SOCK_STREAM)" for a trace's tuple,
 * "socket when domain == AF_INET" for a profile's rule, with "; when
 * includes caps CAP_SYS_ADMIN" added, and "socket, any arguments".
 * Strings from input are raw, for the printer to escape.
 */
void sk_diff_cond_text(const struct sk_diff *d, const struct sk_diff_change *c,
		       const struct sk_diff_cond *cond, char *buf, size_t len);

/*
 * --diff's text on f: the two files, the default actions and architectures
 * when they differ, each change with its conditions ("+ mkdir [x86_64]",
 * "~ socket [x86_64]: narrowed", "    + ..."), and a count.
 */
void sk_diff_print(FILE *f, const struct sk_diff *d, const struct sk_diff_input *a,
		   const struct sk_diff_input *b);

/*
 * The JSON form of d (man scmp-gen, "DIFF OUTPUT"): format "scmpkit-diff",
 * version 1.  Allocated (free()), or NULL when out of memory.
 */
char *sk_diff_to_json(const struct sk_diff *d, const struct sk_diff_input *a,
		      const struct sk_diff_input *b);

#endif
