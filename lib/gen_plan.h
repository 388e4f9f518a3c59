/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_GEN_PLAN_H
#define SCMPKIT_GEN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "argknow.h"
#include "scmpkit/gen.h"

/*
 * The generator's stages after the union (lib-private): gen_needed.c adds
 * the calls every program needs, gen_rules.c plans the rules of each name
 * (action, argument comparisons, --explain notes), gen_emit.c orders and
 * merges them into the profile and writes --explain.  sk_gen_profile()
 * (gen_rules.c) runs them in that order.
 */

#define ENOSYS_RET 38 /* the same on every Linux arch */

/* An arch where a name keeps argument rules although libseccomp
 * multiplexes it there (argknow.h) and the name was not called there. */
struct muxreq {
	size_t si;               /* the name, an index into g->sys */
	uint32_t arch;
	struct sk_argnot why;
};

/* One rule before ordering and merging: one name. */
struct plan_rule {
	const char *name;
	size_t sys;              /* index into g->sys, or SIZE_MAX */
	uint64_t count;
	int bucket;              /* log2(count) + 1, 0 when never observed */
	enum sk_action action;
	bool has_errno;
	unsigned errno_ret;
	struct sk_rule_arg args[6];
	unsigned n_args;
	const char *comment;
	enum sk_origin origin;
	unsigned sub;            /* order among one syscall's rules */
	bool first;              /* before every other rule (plan_mux's denials) */
	uint32_t hosts[SK_GEN_MAX_ARCHES]; /* includes.arches; none: every host */
	size_t n_hosts;
	char *note;              /* --explain text, on the first rule of a syscall */
};

struct plan {
	struct sk_gen *g;
	const struct sk_gen_opts *o;
	struct sk_warn *warn;
	struct sk_err *err;
	struct plan_rule *pres;
	size_t n_pres, cap;
	struct muxreq *mux;      /* argument rules libseccomp would multiplex */
	size_t n_mux, cap_mux;
};


/* Adds the calls every program needs to g (exit, rt_sigreturn, the vDSO
 * time calls, abort()'s path, clone's fallback flags).  0 or -ENOMEM. */
int sk_gen_add_needed(struct sk_gen *g, struct sk_err *err);

/* True when clone3 gets ENOSYS (clone was seen too: libc falls back). */
bool sk_gen_clone3_enosys(const struct sk_gen *g);

/* The table's entry for argument index of spec, or NULL; its mask. */
const struct sk_argpos *sk_gen_pos_of(const struct sk_argspec *spec, unsigned index);
uint64_t sk_gen_pos_mask(const struct sk_argpos *p);

/* Writes v decoded as argument index of name ("AF_INET", "O_RDONLY"). */
void sk_gen_put_decoded(FILE *f, const char *name, unsigned index, uint64_t v);

/*
 * Orders and merges st's rules into p (hottest first, names with the same
 * action merged) and writes the --explain header and one paragraph per
 * rule to f.  0 or -ENOMEM with st->err set.
 */
int sk_gen_emit(struct plan *st, struct sk_profile *p, FILE *f);

#endif
