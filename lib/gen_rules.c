/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's planner (gen_plan.h): each name of the union, needed calls
 * added, gets an action, argument comparisons where the values are few
 * and mean something on every arch, each rule's origin and comment, and
 * why as data (struct sys_reason).  It plans and nothing else: the driver
 * (gen.c) runs the stages before and after it.  Nothing here writes text
 * but the rules' comments and the warnings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "argknow.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_static.h"
#include "gen_plan.h"

static int oom(struct plan *st)
{
	return sk_err_set(st->err, ENOMEM, "out of memory");
}

static struct plan_rule *new_pre(struct plan *st)
{
	if (st->n_pres == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 64;
		struct plan_rule *p = realloc(st->pres, cap * sizeof(*p));

		if (!p)
			return NULL;
		st->pres = p;
		st->cap = cap;
	}
	memset(&st->pres[st->n_pres], 0, sizeof(st->pres[0]));
	return &st->pres[st->n_pres++];
}

static int bucket_of(uint64_t count)
{
	int b = 0;

	while (count) {
		b++;
		count >>= 1;
	}
	return b;
}

/* value == v at p: EQ for a full 64-bit enum, else MASKED_EQ on the bits
 * the table compares (the low 32 for an int, so sign extension is moot). */
static struct sk_rule_arg cmp_eq(const struct sk_argpos *p, uint64_t v)
{
	uint64_t m = sk_gen_pos_mask(p);

	if (m == ~0ULL)
		return (struct sk_rule_arg){ .index = p->index, .op = SK_OP_EQ,
					     .value = v };
	return (struct sk_rule_arg){ .index = p->index, .op = SK_OP_MASKED_EQ,
				     .value = m, .value_two = v & m };
}

/* Appends a pre for syscall si with the given comparisons. */
static int push_rule(struct plan *st, size_t si, enum sk_action act,
		     bool has_errno, unsigned e, const char *comment,
		     const struct sk_rule_arg *args, unsigned n_args,
		     unsigned sub)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	struct plan_rule *p = new_pre(st);

	if (!p)
		return oom(st);
	*p = (struct plan_rule){
		.name = s->name, .sys = si,
		.bucket = bucket_of(s->count), .action = act,
		.has_errno = has_errno, .errno_ret = e, .comment = comment,
		.origin = sk_gen_sys_origin(s),
		.n_args = n_args, .sub = sub,
	};
	if (n_args)
		memcpy(p->args, args, n_args * sizeof(*args));
	if (sk_gen_host_only(st->g, s)) {
		memcpy(p->hosts, s->hosts, s->n_hosts * sizeof(*s->hosts));
		p->n_hosts = s->n_hosts;
	}
	return 0;
}

static int push_allow(struct plan *st, size_t si, const char *comment,
		      const struct sk_rule_arg *args, unsigned n_args,
		      unsigned sub)
{
	return push_rule(st, si, SK_ACT_ALLOW, false, 0, comment, args, n_args,
			 sub);
}

/*
 * Whether s's recorded values make no rule: names only, with the verdict
 * in r when there is a reason to give.  Otherwise pos[] holds the table's
 * entry for each recorded position.
 */
static bool names_only(const struct sk_gen_opts *o, const struct sk_gen_sys *s,
		       const struct sk_argpos **pos, struct sys_reason *r)
{
	const struct sk_argspec *spec = sk_argspec_row(s->name);

	if (!spec || !s->n_argidx)
		return true;
	if (o->args == SK_GEN_ARGS_NONE)
		r->args = ARGS_OFF;
	else if (sk_argknow_unfiltered(s->name))
		r->args = ARGS_UNFILTERED;
	else if (s->args_mismatch)
		r->args = ARGS_MISMATCH;
	else if (s->args_unbounded)
		r->args = ARGS_UNBOUNDED;
	if (r->args)
		return true;
	for (unsigned k = 0; k < s->n_argidx; k++) {
		pos[k] = sk_gen_pos_of(spec, s->argidx[k]);
		if (!pos[k]) {
			r->args = ARGS_UNKNOWN_POS;
			r->arg_missing = s->argidx[k];
			return true;
		}
	}
	return !s->n_tuples;
}

/* Both bits were seen, never together: W^X is two rules, "no exec" or
 * "no write" (rules are ORed). */
static int plan_wx(struct plan *st, size_t si, const char *comment,
		   const struct sk_argpos *pos, const struct sk_wxpos *wx,
		   uint64_t forbid)
{
	struct sk_rule_arg a = { .index = pos->index, .op = SK_OP_MASKED_EQ,
				 .value = forbid | wx->exec, .value_two = 0 };
	int ret;

	ret = push_allow(st, si, comment, &a, 1, 0);
	if (ret)
		return ret;
	a.value = forbid | wx->write;
	ret = push_allow(st, si, comment, &a, 1, 1);
	if (ret)
		return ret;
	st->why[si].args = ARGS_WX;
	return 2;
}

/* One flags position under --args values: one rule that the bits never
 * seen stay clear, rather than one per observed combination. */
static int plan_flag_bits(struct plan *st, size_t si, const char *comment,
			  const struct sk_argpos *pos)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	struct sys_reason *r = &st->why[si];
	const struct sk_wxpos *prot = sk_argknow_wx(s->name);
	uint64_t seen_bits = 0, forbid, wx = 0;
	bool wx_seen = false;
	struct sk_rule_arg a;
	int ret;

	if (prot && prot->index == pos->index)
		wx = prot->write | prot->exec;
	else
		prot = NULL;
	for (size_t t = 0; t < s->n_tuples; t++) {
		seen_bits |= s->tuples[t];
		wx_seen |= wx && (s->tuples[t] & wx) == wx;
	}
	forbid = sk_gen_pos_mask(pos) & ~seen_bits;
	if (prot && !wx_seen && (seen_bits & wx) == wx)
		return plan_wx(st, si, comment, pos, prot, forbid);
	if (!forbid) {
		r->args = ARGS_ALL_BITS;
		r->wx_seen = wx_seen;
		return 0;
	}
	a = (struct sk_rule_arg){ .index = pos->index,
				  .op = SK_OP_MASKED_EQ, .value = forbid,
				  .value_two = 0 };
	r->args = ARGS_FLAG_BITS;
	ret = push_allow(st, si, comment, &a, 1, 0);
	return ret ? ret : 1;
}

/* One rule per observed value (or combination); with more of them than
 * --max-values the call goes by its name alone. */
static int plan_tuples(struct plan *st, size_t si, const char *comment,
		       const struct sk_argpos *const *pos)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	unsigned w = s->n_argidx, n = 0;
	int ret;

	/* The generator's own rows (a re-raise, a fallback) are not counted:
	 * they are bounded by its tables. */
	if (sk_gen_observed_rows(s) > st->o->max_values) {
		st->why[si].args = ARGS_TOO_MANY;
		return 0;
	}
	for (size_t t = 0; t < s->n_tuples; t++) {
		const struct sk_gen_added *ad = sk_gen_added_row(s, s->tuples[t * w]);
		struct sk_rule_arg a[6];

		for (unsigned k = 0; k < w; k++) {
			uint64_t v = s->tuples[t * w + k];

			if (pos[k]->kind == SK_ARG_FLAGS)
				a[k] = (struct sk_rule_arg){
					.index = pos[k]->index, .op = SK_OP_MASKED_EQ,
					.value = sk_gen_pos_mask(pos[k]),
					.value_two = v & sk_gen_pos_mask(pos[k]) };
			else
				a[k] = cmp_eq(pos[k], v);
		}
		/* An observed value's rule says nothing; an added one's says
		 * why it was added. */
		if ((ret = push_allow(st, si, ad ? ad->why : s->count ? NULL : comment,
				      a, w, n)))
			return ret;
		if (ad)
			st->pres[st->n_pres - 1].origin = ad->origin;
		n++;
	}
	st->why[si].args = ARGS_TUPLES;
	return (int)n;
}

/*
 * The argument rules for an allowed syscall from its recorded values.
 * Returns the number of rules pushed (0: names only) or a negative errno.
 */
static int plan_values(struct plan *st, size_t si, const char *comment)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	const struct sk_argpos *pos[6];

	if (names_only(st->o, s, pos, &st->why[si]))
		return 0;
	if (s->n_argidx == 1 && st->o->args == SK_GEN_ARGS_VALUES &&
	    pos[0]->kind == SK_ARG_FLAGS)
		return plan_flag_bits(st, si, comment, pos[0]);
	return plan_tuples(st, si, comment, pos);
}

/*
 * An OCI rule applies on every arch the profile lists (README, Limits).
 * Where s's positions hold no value on one of them (argknow.h), a rule
 * comparing them would compare something else there: a register i386's old
 * mmap never reads, or, where libseccomp multiplexes s, socketcall's
 * pointer to s's arguments.  Returns 1 when s must go by its name alone
 * (the arches in its reason, and a warning when recorded values are
 * dropped), else 0 with mux[] set to the arches where libseccomp
 * multiplexes s and s was not called: plan_mux denies the multiplexed
 * call there instead.
 */
static int arch_limits(struct plan *st, size_t si, uint32_t *mux,
		       size_t *n_mux)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	const struct sk_gen *g = st->g;
	struct sys_reason *r = &st->why[si];
	bool lost = s->n_argidx && (s->n_tuples || s->args_unbounded);
	struct sk_argnot why, first;

	*n_mux = 0;
	for (size_t a = 0; a < g->n_arches; a++) {
		uint32_t arch = g->arches[a];

		if (sk_argnot_find(arch, s->name, &why))
			continue;
		if (why.kind == SK_ARGNOT_MUX && !sk_gen_on_arch(s, arch)) {
			mux[(*n_mux)++] = arch;
			continue;
		}
		if (why.kind == SK_ARGNOT_POINTER && !sk_gen_on_arch(s, arch)) {
			r->holes[r->n_holes++] = arch;
			continue;
		}
		if (!r->n_limits)
			first = why;
		r->limits[r->n_limits++] = arch;
	}
	if (!r->n_limits)
		return 0;
	r->args = ARGS_ARCH_LIMITED;
	if (lost) {
		char line[320];

		sk_gen_limit_line(line, sizeof(line), s, r->limits[0], &first);
		if (sk_warn_add(st->warn, "%s: allowed by name alone, its %s compared on no architecture: %s",
				s->name, sk_argspec_row(s->name)->why, line))
			return oom(st);
	}
	return 1;
}

/* The rules of si hold on every arch but its holes: a warning each. */
static int warn_holes(struct plan *st, size_t si)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	const struct sys_reason *r = &st->why[si];

	for (size_t i = 0; i < r->n_holes; i++) {
		struct sk_argnot why;
		char line[400];

		if (sk_argnot_find(r->holes[i], s->name, &why))
			continue;
		sk_gen_hole_line(line, sizeof(line), s, r->holes[i], &why);
		if (sk_warn_add(st->warn, "%s", line))
			return oom(st);
	}
	return 0;
}

/* Queues plan_mux's denial of si's multiplexed call on arch. */
static int queue_mux(struct plan *st, size_t si, uint32_t arch)
{
	struct muxreq *q;

	if (st->n_mux == st->cap_mux) {
		size_t cap = st->cap_mux ? 2 * st->cap_mux : 8;

		q = realloc(st->mux, cap * sizeof(*q));
		if (!q)
			return oom(st);
		st->mux = q;
		st->cap_mux = cap;
	}
	q = &st->mux[st->n_mux];
	q->si = si;
	q->arch = arch;
	if (sk_argnot_find(arch, st->g->sys[si].name, &q->why))
		return 0;
	st->n_mux++;
	return 0;
}

/*
 * The argument rules for an allowed syscall.  What the table says of each
 * arch the profile covers comes first (arch_limits), then the recorded
 * values (plan_values).  Returns the number of rules pushed (0: names
 * only) or a negative errno.
 */
static int plan_args(struct plan *st, size_t si, const char *comment)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	uint32_t mux[SK_GEN_MAX_ARCHES];
	size_t n_mux = 0;
	int ret;

	if (!sk_argspec_row(s->name) || st->o->args == SK_GEN_ARGS_NONE)
		return plan_values(st, si, comment);
	ret = arch_limits(st, si, mux, &n_mux);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = plan_values(st, si, comment);
	if (ret >= 0 && sk_argknow_multiplexer(s->name))
		st->why[si].multiplexer = true;
	if (ret <= 0)
		st->why[si].n_holes = 0; /* no rule compares: no hole */
	else if (warn_holes(st, si))
		return -ENOMEM;
	for (size_t i = 0; ret > 0 && i < n_mux; i++) {
		int r = queue_mux(st, si, mux[i]);

		if (r)
			return r;
	}
	return ret;
}

/*
 * ENOSYS for a call that only ever failed with it, and for clone3 unless
 * --allow clone3 (libc falls back to clone, whose flags a filter can
 * read); else allowed, with argument rules when the values allow them.
 */
static int plan_action(struct plan *st, size_t si)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	int ret;

	if (s->count && s->has_errors && s->n_enosys >= s->count &&
	    !s->n_other_errors) {
		st->why[si].act = ACT_ENOSYS_ALL;
		return push_rule(st, si, SK_ACT_ERRNO, true, st->enosys,
				 "every observed call failed with ENOSYS", NULL, 0, 0);
	}
	if (!strcmp(s->name, "clone3") && !st->o->allow_clone3) {
		st->why[si].act = ACT_CLONE3_ENOSYS;
		return push_rule(st, si, SK_ACT_ERRNO, true, st->enosys,
				 "ENOSYS: libc falls back to clone, whose flags the filter checks",
				 NULL, 0, 0);
	}
	if (!strcmp(s->name, "clone3") && s->count &&
	    sk_warn_add(st->warn, "clone3 is allowed (--allow clone3): its flags are in a struct no filter can read, so the program can create user, network and other namespaces with it"))
		return oom(st);
	if (sk_argknow_is_io_uring(s->name) && s->count &&
	    sk_warn_add(st->warn, "%s was observed and is allowed: operations submitted through an io_uring bypass seccomp",
			s->name))
		return oom(st);
	ret = plan_args(st, si, sk_gen_sys_comment(s));
	if (ret == 0)
		return push_allow(st, si, sk_gen_sys_comment(s), NULL, 0, 0);
	return ret > 0 ? 0 : ret;
}

/* Chooses the action and rules of syscall si; its first rule carries the
 * --explain note. */
static int plan_sys(struct plan *st, size_t si)
{
	size_t first = st->n_pres;
	int ret = plan_action(st, si);

	if (ret)
		return ret;
	if (st->n_pres == first)
		return oom(st);
	st->pres[first].head = true;
	return 0;
}

/* io_uring calls nobody made: ENOSYS, so libraries fall back to syscalls. */
static int plan_io_uring(struct plan *st)
{
	const struct sk_gen_opts *o = st->o;
	unsigned n_calls;
	const char *const *io_uring_calls = sk_argknow_io_uring(&n_calls);

	if (o->default_action == SK_ACT_ERRNO && o->has_default_errno &&
	    o->default_errno == st->enosys)
		return 0;
	for (size_t i = 0; i < n_calls; i++) {
		const char *name = io_uring_calls[i];
		struct plan_rule *p;

		if (sk_gen_find(st->g, name) || !sk_gen_known_here(st->g, name))
			continue;
		if (!(p = new_pre(st)))
			return oom(st);
		*p = (struct plan_rule){
			.name = name, .sys = SIZE_MAX, .action = SK_ACT_ERRNO,
			.has_errno = true, .errno_ret = st->enosys,
			.comment = "not observed: ENOSYS, since io_uring operations bypass seccomp",
			.origin = SK_ORIGIN_IO_URING, .head = true,
		};
	}
	return 0;
}

/* Whether the rules planned for mux decide its call already: one naming
 * mux alone (whatever its action), or one allowing call at arg 0. */
static bool mux_decided(const struct plan *st, const char *mux,
			unsigned call)
{
	for (size_t i = 0; i < st->n_pres; i++) {
		const struct plan_rule *p = &st->pres[i];

		if (strcmp(p->name, mux))
			continue;
		if (!p->n_args)
			return true;
		for (unsigned k = 0; p->action == SK_ACT_ALLOW && k < p->n_args; k++) {
			const struct sk_rule_arg *a = &p->args[k];

			if (a->index == 0 &&
			    ((a->op == SK_OP_EQ && a->value == call) ||
			     (a->op == SK_OP_MASKED_EQ &&
			      (call & a->value) == a->value_two)))
				return true;
		}
	}
	return false;
}

/*
 * The action of a denial the generator adds: libseccomp refuses a rule
 * whose action is the default one, so EPERM (EACCES when the default is
 * errno EPERM).  False when the default action lets calls run (log).
 */
static bool deny_action(const struct sk_gen_opts *o, struct plan_rule *p)
{
	unsigned def_errno = o->has_default_errno ? o->default_errno : EPERM;

	if (o->default_action == SK_ACT_LOG || o->default_action == SK_ACT_ALLOW ||
	    o->default_action == SK_ACT_NOTIFY)
		return false;
	p->action = SK_ACT_ERRNO;
	p->has_errno = true;
	p->errno_ret = o->default_action == SK_ACT_ERRNO && def_errno == EPERM ?
		       EACCES : EPERM;
	return true;
}

static const char mux_comment[] =
	"not observed: denied so that libseccomp's copy of an argument rule on a call it multiplexes through this one never compares this call's pointer";

/* The denial of q's call through its multiplexer. */
static int push_mux_deny(struct plan *st, const struct muxreq *q,
			 const struct plan_rule *act)
{
	struct plan_rule *p = new_pre(st);

	if (!p)
		return oom(st);
	*p = *act;
	p->name = q->why.mux;
	p->sys = SIZE_MAX;
	p->for_sys = q->si;
	p->args[0] = (struct sk_rule_arg){ .index = 0, .op = SK_OP_EQ,
					   .value = q->why.call };
	p->n_args = 1;
	p->comment = mux_comment;
	p->origin = SK_ORIGIN_MUX;
	p->first = true;
	p->sub = q->why.call;
	p->head = true;
	return 0;
}

/*
 * A name that keeps argument rules although libseccomp multiplexes it on
 * some arch the profile covers, where the name was not called (arch_limits):
 * there libseccomp copies each rule onto socketcall (or ipc) with arg0
 * replaced by the call number and the other comparisons made on the
 * multiplexer's pointer and registers it never reads.  Unless the
 * multiplexer's own rules decide that call already, deny it with a rule
 * listed first, which libseccomp keeps over the copies: the comparisons
 * then hold on the direct calls, and the multiplexed call is denied on
 * that arch, as the name was not called there.
 */
static int plan_mux(struct plan *st)
{
	for (size_t i = 0; i < st->n_mux; i++) {
		const struct muxreq *q = &st->mux[i];
		struct sys_reason *r = &st->why[q->si];
		struct plan_rule act = { 0 };

		if (r->mux)
			continue; /* a name's first request covers its arches */
		for (size_t j = i; j < st->n_mux; j++)
			if (st->mux[j].si == q->si)
				r->mux_arches[r->n_mux_arches++] = st->mux[j].arch;
		r->mux_why = q->why;
		if (mux_decided(st, q->why.mux, q->why.call))
			r->mux = MUX_DECIDED;
		else if (!deny_action(st->o, &act))
			r->mux = MUX_RUNS;
		else
			r->mux = MUX_DENIED;
		if (r->mux == MUX_DENIED && push_mux_deny(st, q, &act))
			return -ENOMEM;
	}
	return 0;
}

/* Whether a rule planned so far names name. */
static bool planned(const struct plan *st, const char *name)
{
	for (size_t i = 0; i < st->n_pres; i++)
		if (!strcmp(st->pres[i].name, name))
			return true;
	return false;
}

/*
 * --static add: each call the executables can reach that no rule names
 * and some arch of the profile knows, allowed after every other rule
 * (origin static), commented with the function reaching it.
 */
static int plan_static(struct plan *st)
{
	const struct sk_static *s = st->o->static_add;
	char **owned;

	if (!s)
		return 0;
	owned = calloc(s->n_reach + 1, sizeof(*owned));
	if (!owned)
		return oom(st);
	st->owned = owned;
	for (size_t i = 0; i < s->n_reach; i++) {
		const struct sk_static_reach *x = &s->reach[i];
		struct plan_rule *p;
		char *c;

		if (!sk_gen_known_here(st->g, x->syscall) || planned(st, x->syscall))
			continue;
		if (!(c = sk_static_comment(x)))
			return oom(st);
		st->owned[st->n_owned++] = c;
		if (!(p = new_pre(st)))
			return oom(st);
		*p = (struct plan_rule){
			.name = x->syscall, .sys = SIZE_MAX, .action = SK_ACT_ALLOW,
			.comment = c, .origin = SK_ORIGIN_STATIC, .last = true,
			.head = true,
		};
	}
	return 0;
}

/*
 * The errno that says ENOSYS on the profile's arches: one number answers
 * on all of them, so when they disagree (MIPS, PA-RISC beside others) the
 * first arch's, with a warning.
 */
static int plan_enosys(struct plan *st)
{
	const struct sk_gen *g = st->g;

	st->enosys = (unsigned)sk_arch_enosys(g->arches[0]);
	for (size_t a = 1; a < g->n_arches; a++) {
		if ((unsigned)sk_arch_enosys(g->arches[a]) == st->enosys)
			continue;
		if (sk_warn_add(st->warn, "ENOSYS is %u on %s and %d on %s: the profile's ENOSYS answers return %u, which %s reads as another error",
				st->enosys, sk_arch_name(g->arches[0]),
				sk_arch_enosys(g->arches[a]), sk_arch_name(g->arches[a]),
				st->enosys, sk_arch_name(g->arches[a])))
			return oom(st);
		break;
	}
	return 0;
}

int sk_gen_plan(struct plan *st)
{
	int ret = plan_enosys(st);

	if (ret)
		return ret;
	st->why = calloc(st->g->n_sys + 1, sizeof(*st->why));
	if (!st->why)
		return oom(st);
	for (size_t i = 0; !ret && i < st->g->n_sys; i++)
		ret = plan_sys(st, i);
	if (!ret)
		ret = plan_io_uring(st);
	if (!ret && plan_mux(st))
		ret = oom(st);
	if (!ret)
		ret = plan_static(st);
	return ret;
}
