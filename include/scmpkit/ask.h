/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_ASK_H
#define SCMPKIT_ASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scmpkit/err.h"
#include "scmpkit/judge.h"
#include "scmpkit/profile.h"

/*
 * scmp-apply --ask: the answers the user gave for a run, keyed by call
 * (arch, name and the flag and enum arguments the knowledge table lists,
 * masked as the recorder masks them, so one answer covers what a rule can
 * tell apart), and the refined profile they make.  Pure; used on the main
 * thread only (it allocates).
 */

enum sk_answer {
	SK_ANSWER_NONE = 0,
	SK_ANSWER_ONCE,      /* allow this call; ask again next time */
	SK_ANSWER_ALWAYS,    /* allow it for the run, and in the refined profile */
	SK_ANSWER_EPERM,     /* deny it with EPERM */
	SK_ANSWER_ENOSYS,    /* deny it with ENOSYS */
	SK_ANSWER_KILL,      /* kill the process (the tree with --kill-tree) */
};

/* One remembered answer. */
struct sk_ask_entry {
	uint32_t arch;       /* classified (x32 is SCMP_ARCH_X32) */
	int nr;
	char *name;
	unsigned n_argidx;   /* the knowledge table's positions on arch */
	unsigned argidx[6];
	uint64_t tuple[6];   /* their masked values */
	enum sk_answer answer;
	uint32_t profile_ret; /* what the profile's filter returned */
};

struct sk_ask;

/* Returns an empty set of answers, or NULL; free with sk_ask_free. */
struct sk_ask *sk_ask_new(void);
void sk_ask_free(struct sk_ask *a);

/* The answer remembered for the call (arch and nr as the kernel reported
 * them), or SK_ANSWER_NONE. */
enum sk_answer sk_ask_find(const struct sk_ask *a, uint32_t arch, int nr,
			   const uint64_t args[6]);

/*
 * Remembers answer for the call's key (SK_ANSWER_ONCE is not remembered);
 * profile_ret is what the profile does with it.  0, -ENOENT for a number
 * libseccomp does not know (answered, not remembered), or -ENOMEM.
 */
int sk_ask_remember(struct sk_ask *a, uint32_t arch, int nr,
		    const uint64_t args[6], uint32_t profile_ret,
		    enum sk_answer answer);

/*
 * Whether an answer remembered for the call (arch and nr as the kernel
 * reported them) must be refused for p, with why filled: it would add an
 * architecture p does not cover, or its rule (by name, for every arch of
 * p) could not compare the arguments there that another arch of p
 * compares (i386's old mmap under a profile comparing x86_64's prot).
 * 1 refused, 0 not.
 */
int sk_ask_refused(const struct sk_profile *p, uint32_t arch, int nr,
		   char *why, size_t len);

/* What the answer does to the call. */
void sk_ask_verdict(enum sk_answer answer, struct sk_verdict *v);

/* A typed answer: "o" once, "a" always, "e" EPERM, "n" ENOSYS, "k" kill
 * (a word starting with one of them, case-insensitive); NONE otherwise. */
enum sk_answer sk_ask_parse(const char *line);

size_t sk_ask_count(const struct sk_ask *a);
/* The i-th remembered answer (borrowed), in the order given. */
const struct sk_ask_entry *sk_ask_get(const struct sk_ask *a, size_t i);

/* Whether the answer changes the profile (it is not what the profile does). */
bool sk_ask_changes(const struct sk_ask_entry *e);

/*
 * Refines p with the remembered answers that change it: for each answer
 * the rules scmp-gen writes for those calls (--args tuples: these exact
 * flag and enum values), with the answer's action (allow, errno EPERM or
 * ENOSYS, kill-process) and a comment saying so, listed before p's own
 * rules so that they win; a rule of p for the same call and arguments
 * with another action loses the name (an errno answer replaced).  No
 * architecture is added: an answer sk_ask_refused refuses is left out
 * with a warning.  Returns how many rules were added, or a negative errno
 * with err filled.
 */
int sk_ask_refine(const struct sk_ask *a, struct sk_profile *p,
		  struct sk_warn *warn, struct sk_err *err);

#endif
