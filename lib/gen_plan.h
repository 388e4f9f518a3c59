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
 * The generator's stages after the union (lib-private), each reading what
 * the one before wrote:
 *
 *   gen_needed.c   adds the calls every program needs to the union, and
 *                  --runtime's (runtime.h)
 *   gen_rules.c    plans each name: rules (action, comparisons, origin,
 *                  comment) and, as data, why (struct sys_reason)
 *   gen_emit.c     orders and merges the rules into the profile
 *   gen_explain.c  renders --explain from the rules and their reasons
 *
 * sk_gen_profile() (gen_rules.c) runs them in that order; the other
 * formats render the profile (render_*.c).
 */

#define ENOSYS_RET 38 /* the same on every Linux arch */

/* An arch where a name keeps argument rules although libseccomp
 * multiplexes it there (argknow.h) and the name was not called there. */
struct muxreq {
	size_t si;               /* the name, an index into g->sys */
	uint32_t arch;
	struct sk_argnot why;
};

/* What the planner decided of a name's arguments (gen_explain.c says it);
 * from ARGS_ALL_BITS on the recorded values were read, and are listed. */
enum args_verdict {
	ARGS_SILENT = 0,         /* nothing recorded to compare: nothing said */
	ARGS_OFF,                /* --args none */
	ARGS_UNFILTERED,         /* recorded, never compared (argknow.h) */
	ARGS_MISMATCH,           /* the traces recorded different positions */
	ARGS_UNBOUNDED,          /* a trace hit its cap */
	ARGS_UNKNOWN_POS,        /* a position not in the table: arg_missing */
	ARGS_ARCH_LIMITED,       /* no value on some arch: limits[] */
	ARGS_ALL_BITS,           /* every flag bit watched was seen */
	ARGS_TOO_MANY,           /* more values than --max-values */
	ARGS_FLAG_BITS,          /* one rule: only the observed bits */
	ARGS_WX,                 /* two rules: observed bits, W^X */
	ARGS_TUPLES,             /* one rule per value (or combination) */
};

/* What the planner did about a name's multiplexed copies (plan_mux). */
enum mux_outcome {
	MUX_NONE = 0,
	MUX_DENIED,              /* a rule listed first denies the copy */
	MUX_DECIDED,             /* the multiplexer's own rule decides first */
	MUX_RUNS,                /* the default action lets it run anyway */
};

/* Why a name got its rules, as data: one per g->sys entry. */
struct sys_reason {
	enum { ACT_RULES = 0, ACT_ENOSYS_ALL, ACT_CLONE3_ENOSYS } act;
	enum args_verdict args;  /* from ARGS_ALL_BITS on, after the values */
	bool wx_seen;            /* ARGS_ALL_BITS: with W and X together */
	unsigned arg_missing;    /* ARGS_UNKNOWN_POS */
	uint32_t limits[SK_GEN_MAX_ARCHES]; /* ARGS_ARCH_LIMITED: the arches */
	size_t n_limits;
	bool multiplexer;        /* socketcall/ipc: its arguments are a pointer */
	enum mux_outcome mux;
	uint32_t mux_arches[SK_GEN_MAX_ARCHES];
	size_t n_mux_arches;
	struct sk_argnot mux_why;
};

/* One rule before ordering and merging: one name. */
struct plan_rule {
	const char *name;
	size_t sys;              /* index into g->sys, or SIZE_MAX */
	size_t for_sys;          /* SK_ORIGIN_MUX: the name it protects */
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
	bool last;               /* after every other rule (--static add) */
	uint32_t hosts[SK_GEN_MAX_ARCHES]; /* includes.arches; none: every host */
	size_t n_hosts;
	bool head;               /* --explain's note goes with this rule */
};

/* A run of merged plan rules: profile rule i is pres[start .. end). */
struct plan_span {
	size_t start, end;
};

struct plan {
	struct sk_gen *g;
	const struct sk_gen_opts *o;
	struct sk_warn *warn;
	struct sk_err *err;
	struct plan_rule *pres;
	size_t n_pres, cap;
	struct sys_reason *why;  /* one per g->sys */
	struct muxreq *mux;      /* argument rules libseccomp would multiplex */
	size_t n_mux, cap_mux;
	char **owned;            /* comments the plan allocated (--static) */
	size_t n_owned;
	struct plan_span *spans; /* one per profile rule, after sk_gen_emit */
};


/* Adds the calls every program needs to g (exit, rt_sigreturn, the vDSO
 * time calls, abort()'s path, clone's fallback flags, the re-raise of
 * handled signals).  0 or -ENOMEM. */
int sk_gen_add_needed(struct sk_gen *g, struct sk_err *err);

/* Adds the calls sel's runtimes make under the filter (NULL: none) to g,
 * origin runtime.  0 or -ENOMEM. */
int sk_gen_add_runtime(struct sk_gen *g, const struct sk_runtime_sel *sel,
		       struct sk_err *err);

/* The comment of s's rules when no trace observed s: why it is needed,
 * else why the runtime makes it, else NULL. */
const char *sk_gen_sys_comment(const struct sk_gen_sys *s);

/* The origin of s's rules: observed, needed or runtime. */
enum sk_origin sk_gen_sys_origin(const struct sk_gen_sys *s);

/* True when clone3 gets ENOSYS: clone was seen, and clone3 too or the
 * trace was recorded under a container's filter (libc falls back). */
bool sk_gen_clone3_enosys(const struct sk_gen *g);

/* The table's entry for argument index of spec, or NULL; its mask. */
const struct sk_argpos *sk_gen_pos_of(const struct sk_argspec *spec, unsigned index);
uint64_t sk_gen_pos_mask(const struct sk_argpos *p);

/* Writes v decoded as argument index of name ("AF_INET", "O_RDONLY"). */
void sk_gen_put_decoded(FILE *f, const char *name, unsigned index, uint64_t v);

/* "X86" for SCMP_ARCH_X86, as --explain spells arches. */
const char *sk_gen_arch_short(uint32_t arch);

/* Whether s was seen, or is needed, as arch. */
bool sk_gen_on_arch(const struct sk_gen_sys *s, uint32_t arch);

/* Whether s is allowed only on the hosts whose traces saw it. */
bool sk_gen_host_only(const struct sk_gen *g, const struct sk_gen_sys *s);

/* The row s's stages added with value v (one position), or NULL. */
const struct sk_gen_added *sk_gen_added_row(const struct sk_gen_sys *s,
					    uint64_t v);

/* Writes into buf why s's positions hold no value as arch (why from
 * sk_argnot_find), the line --explain and the warning share. */
void sk_gen_limit_line(char *buf, size_t len, const struct sk_gen_sys *s,
		       uint32_t arch, const struct sk_argnot *why);

/*
 * Orders and merges st's rules into p (hottest first, names with the same
 * action merged), recording in st->spans which plan rules made each
 * profile rule.  0 or -ENOMEM with st->err set.
 */
int sk_gen_emit(struct plan *st, struct sk_profile *p);

/* Writes --explain for p, made by sk_gen_emit from st: the header, then
 * each rule with the notes of the names in it. */
void sk_gen_explain(const struct plan *st, const struct sk_profile *p, FILE *f);

#endif
