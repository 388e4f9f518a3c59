/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_SIGGUARD_H
#define SCMPKIT_SIGGUARD_H

#include <stdint.h>

/*
 * The signal guard's table (lib-private).  A call waiting for a seccomp
 * supervisor to receive its notification sleeps interruptibly; a signal
 * then skips the call with -ERESTARTSYS, which a handler without
 * SA_RESTART turns into EINTR for a call that never ran.  For the calls
 * listed here (under their argument condition) the kernel never returns
 * -ERESTARTSYS natively, so that value can only come from the seccomp
 * wait: the guard makes it -ERESTARTNOINTR, and the call is restarted
 * after the handler, as if the signal had come just before it.
 */

enum sk_guard_cond {
	SK_GUARD_ALWAYS = 0,
	SK_GUARD_FLAG_SET,   /* args[arg] & mask is non-zero */
	SK_GUARD_OP_IN,      /* args[arg] & mask is one of vals */
	SK_GUARD_OP_NOT_IN,  /* args[arg] & mask is none of vals */
};

#define SK_GUARD_VALS 6

struct sk_guard_rule {
	const char *name;     /* as libseccomp spells it; absent arches skip it */
	enum sk_guard_cond cond;
	uint8_t arg;
	uint64_t mask;
	uint64_t vals[SK_GUARD_VALS];
	uint8_t n_vals;
	const char *why;      /* the kernel's reason it never restarts itself */
};

struct sk_guard;

/* The static table, sorted by name; *n gets its length. */
const struct sk_guard_rule *sk_guard_rules(unsigned *n);

/*
 * Resolves the table for this host's arches (x86_64: also i386 and x32).
 * 0 with *out allocated (free with sk_guard_free), or -ENOMEM.
 */
int sk_guard_new(struct sk_guard **out);
void sk_guard_free(struct sk_guard *g);

/*
 * The rule under which (arch, nr, args) natively never returns
 * -ERESTARTSYS, or NULL (leave the call alone).  arch and nr as the kernel
 * reports them (x32 is classified here).  No allocation: safe per signal.
 */
const struct sk_guard_rule *sk_guard_match(const struct sk_guard *g,
					   uint32_t arch, int nr,
					   const uint64_t args[6]);

#endif
