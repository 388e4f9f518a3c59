/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen, step two (gen_rules.h): from the union of traces to an OCI
 * profile.  sk_gen_profile() adds the calls every program needs
 * (gen_needed.c), plans each name here - an action, argument comparisons
 * where the values are few and mean something on every arch, the --explain
 * note - and leaves ordering and merging to gen_emit.c.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "argknow.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_rules.h"
#include "scmpkit/textesc.h"
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

const struct sk_argpos *sk_gen_pos_of(const struct sk_argspec *spec, unsigned index)
{
	for (unsigned i = 0; spec && i < spec->n; i++)
		if (spec->pos[i].index == index)
			return &spec->pos[i];
	return NULL;
}

uint64_t sk_gen_pos_mask(const struct sk_argpos *p)
{
	return p->is32 ? p->mask & 0xffffffffULL : p->mask;
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

void sk_gen_put_decoded(FILE *f, const char *name, unsigned index, uint64_t v)
{
	char buf[256];

	sk_arg_decode(name, index, v, buf, sizeof(buf));
	fputs(buf, f);
}

/*
 * Traces from several hosts (their "machine"): a call seen on some of them
 * only is allowed on those only, through includes.arches, which Docker and
 * scmp-apply compare with the native arch.  What is always needed, or only
 * added by --static, goes everywhere.
 */
static bool host_only(const struct sk_gen *g, const struct sk_gen_sys *s)
{
	return g->n_hosts > 1 && !g->host_unknown && s->count && !s->needed &&
	       s->n_hosts && s->n_hosts < g->n_hosts;
}

static void put_hosts(FILE *f, const struct sk_gen *g, const struct sk_gen_sys *s)
{
	fputs("    hosts: seen only in traces from", f);
	for (size_t i = 0; i < s->n_hosts; i++)
		fprintf(f, "%s%s", i ? ", " : " ", sk_cond_arch_name(s->hosts[i]) ?
			sk_cond_arch_name(s->hosts[i]) : "?");
	fprintf(f, " (of %zu hosts): includes.arches\n", g->n_hosts);
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
		.name = s->name, .sys = si, .count = s->count,
		.bucket = bucket_of(s->count), .action = act,
		.has_errno = has_errno, .errno_ret = e, .comment = comment,
		.origin = s->count ? SK_ORIGIN_OBSERVED : SK_ORIGIN_NEEDED,
		.n_args = n_args, .sub = sub,
	};
	if (n_args)
		memcpy(p->args, args, n_args * sizeof(*args));
	if (host_only(st->g, s)) {
		memcpy(p->hosts, s->hosts, s->n_hosts * sizeof(*s->hosts));
		p->n_hosts = s->n_hosts;
	}
	return 0;
}

/*
 * Whether s's recorded values make no rule: names only, with the reason
 * written to f when there is one to give.  Otherwise pos[] holds the
 * table's entry for each recorded position.
 */
static bool names_only(const struct sk_gen_opts *o, const struct sk_gen_sys *s,
		       const struct sk_argpos **pos, FILE *f)
{
	const struct sk_argspec *spec = sk_argspec_row(s->name);
	const char *why;

	if (!spec || !s->n_argidx)
		return true;
	if (o->args == SK_GEN_ARGS_NONE) {
		fprintf(f, "    arguments: not compared (--args none)\n");
		return true;
	}
	if ((why = sk_argknow_unfiltered(s->name))) {
		fprintf(f, "    arguments: recorded but not compared: %s\n", why);
		return true;
	}
	if (s->args_mismatch) {
		fprintf(f, "    arguments: names only: the traces recorded different argument positions\n");
		return true;
	}
	if (s->args_unbounded) {
		fprintf(f, "    arguments: names only: more distinct values than the tracer keeps (\"args\": \"unbounded\")\n");
		return true;
	}
	for (unsigned k = 0; k < s->n_argidx; k++) {
		pos[k] = sk_gen_pos_of(spec, s->argidx[k]);
		if (!pos[k]) {
			fprintf(f, "    arguments: names only: arg%u is not in this version's knowledge table\n",
				s->argidx[k]);
			return true;
		}
	}
	return !s->n_tuples;
}

/* Each position's observed values, decoded, for the reader to check the
 * rules against. */
static void put_observed(FILE *f, const struct sk_gen_sys *s,
			 const struct sk_argpos *const *pos)
{
	unsigned w = s->n_argidx;

	for (unsigned k = 0; k < w; k++) {
		fprintf(f, "    arg%u (%s): ", s->argidx[k],
			pos[k]->kind == SK_ARG_FLAGS ? "flags" : "enum");
		for (size_t t = 0; t < s->n_tuples; t++) {
			uint64_t v = s->tuples[t * w + k];
			bool dup = false;

			for (size_t u = 0; u < t && !dup; u++)
				dup = s->tuples[u * w + k] == v;
			if (dup)
				continue;
			if (t)
				fputs(", ", f);
			sk_gen_put_decoded(f, s->name, s->argidx[k], v);
		}
		fputc('\n', f);
	}
}

/* The row s's stages added with value v (one position), or NULL. */
static const struct sk_gen_added *added_row(const struct sk_gen_sys *s,
					    uint64_t v)
{
	for (size_t i = 0; s->n_argidx == 1 && i < s->n_added; i++)
		if (s->added[i].value == v)
			return &s->added[i];
	return NULL;
}

/* The values added, not observed, with their reasons (one line each). */
static void put_added(FILE *f, const struct sk_gen_sys *s)
{
	bool signal = false;

	for (size_t i = 0; i < s->n_added; i++) {
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = s->added[j].why == s->added[i].why;
		if (dup)
			continue;
		fputs("    added, not observed: ", f);
		for (size_t j = i, k = 0; j < s->n_added; j++) {
			if (s->added[j].why != s->added[i].why)
				continue;
			fputs(k++ ? ", " : "", f);
			sk_gen_put_decoded(f, s->name, s->argidx[0], s->added[j].value);
		}
		fprintf(f, " (%s)\n", s->added[i].why);
		signal |= s->added[i].origin == SK_ORIGIN_SIGNAL;
	}
	if (signal)
		fputs("    (a filter cannot compare the target with the caller: the rule lets the program send these signals to any process the kernel lets it signal, not only to itself)\n", f);
}

static int push_allow(struct plan *st, size_t si, const char *comment,
		      const struct sk_rule_arg *args, unsigned n_args,
		      unsigned sub)
{
	return push_rule(st, si, SK_ACT_ALLOW, false, 0, comment, args, n_args,
			 sub);
}

/* Both bits were seen, never together: W^X is two rules, "no exec" or
 * "no write" (rules are ORed). */
static int plan_wx(struct plan *st, size_t si, const char *comment,
		   const struct sk_argpos *pos, uint64_t forbid, FILE *f)
{
	struct sk_rule_arg a = { .index = pos->index, .op = SK_OP_MASKED_EQ,
				 .value = forbid | 0x4, .value_two = 0 };
	int ret;

	ret = push_allow(st, si, comment, &a, 1, 0);
	if (ret)
		return ret;
	a.value = forbid | 0x2;
	ret = push_allow(st, si, comment, &a, 1, 1);
	if (ret)
		return ret;
	fprintf(f, "    rule: only the observed bits, and never PROT_WRITE with PROT_EXEC (W^X: seen apart, never together)\n");
	return 2;
}

/* One flags position under --args values: one rule that the bits never
 * seen stay clear, rather than one per observed combination. */
static int plan_flag_bits(struct plan *st, size_t si, const char *comment,
			  const struct sk_argpos *pos, FILE *f)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	uint64_t seen_bits = 0, forbid, wx = 0x2 | 0x4; /* PROT_WRITE|PROT_EXEC */
	bool prot = !strcmp(s->name, "mmap") || !strcmp(s->name, "mmap2") ||
		    !strcmp(s->name, "mprotect") || !strcmp(s->name, "pkey_mprotect");
	bool wx_seen = false;
	struct sk_rule_arg a;
	int ret;

	for (size_t t = 0; t < s->n_tuples; t++) {
		seen_bits |= s->tuples[t];
		wx_seen |= (s->tuples[t] & wx) == wx;
	}
	forbid = sk_gen_pos_mask(pos) & ~seen_bits;
	if (prot && !wx_seen && (seen_bits & wx) == wx)
		return plan_wx(st, si, comment, pos, forbid, f);
	if (!forbid) {
		fprintf(f, "    arguments: names only: every flag bit the table watches was seen%s\n",
			prot && wx_seen ? " (PROT_WRITE|PROT_EXEC together included: no W^X)" : "");
		return 0;
	}
	a = (struct sk_rule_arg){ .index = pos->index,
				  .op = SK_OP_MASKED_EQ, .value = forbid,
				  .value_two = 0 };
	fprintf(f, "    rule: only the observed bits\n");
	ret = push_allow(st, si, comment, &a, 1, 0);
	return ret ? ret : 1;
}

/* One rule per observed value (or combination); with more of them than
 * --max-values the call goes by its name alone. */
static int plan_tuples(struct plan *st, size_t si, const char *comment,
		       const struct sk_argpos *const *pos, FILE *f)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	unsigned w = s->n_argidx, n = 0;
	int ret;

	if (s->n_tuples > st->o->max_values) {
		fprintf(f, "    arguments: names only: %zu distinct %s > --max-values %u\n",
			s->n_tuples, w > 1 ? "combinations" : "values",
			st->o->max_values);
		return 0;
	}
	for (size_t t = 0; t < s->n_tuples; t++) {
		const struct sk_gen_added *ad = added_row(s, s->tuples[t * w]);
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
	fprintf(f, "    rule: one per %s%s (%u)\n", s->n_added ? "" : "observed ",
		w > 1 ? "combination" : "value", n);
	return (int)n;
}

/*
 * The argument rules for an allowed syscall from its recorded values;
 * writes why into f.  Returns the number of rules pushed (0: names only)
 * or a negative errno.
 */
static int plan_values(struct plan *st, size_t si, const char *comment,
		       FILE *f)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	const struct sk_argpos *pos[6];

	if (names_only(st->o, s, pos, f))
		return 0;
	put_observed(f, s, pos);
	put_added(f, s);
	if (s->n_argidx == 1 && st->o->args == SK_GEN_ARGS_VALUES &&
	    pos[0]->kind == SK_ARG_FLAGS)
		return plan_flag_bits(st, si, comment, pos[0], f);
	return plan_tuples(st, si, comment, pos, f);
}

/* "X86" for SCMP_ARCH_X86, as --explain spells arches. */
static const char *arch_short(uint32_t arch)
{
	const char *an = sk_arch_name(arch);

	return an ? an + 10 : "?";
}

/* Whether s was seen, or is needed, as arch. */
static bool on_arch(const struct sk_gen_sys *s, uint32_t arch)
{
	for (size_t i = 0; i < s->n_arches; i++)
		if (s->arches[i] == arch)
			return true;
	return false;
}

/*
 * An OCI rule applies on every arch the profile lists (README, Limits).
 * Where s's positions hold no value on one of them (argknow.h), a rule
 * comparing them would compare something else there: a register i386's old
 * mmap never reads, or, where libseccomp multiplexes s, socketcall's
 * pointer to s's arguments.  Returns 1 when s must go by its name alone
 * (why written to f, and a warning when recorded values are dropped), else
 * 0 with mux[] set to the arches where libseccomp multiplexes s and s was
 * not called: plan_mux denies the multiplexed call there instead.
 */
static int arch_limits(struct plan *st, size_t si, FILE *f, uint32_t *mux,
		       size_t *n_mux)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	const struct sk_gen *g = st->g;
	const struct sk_argspec *spec = sk_argspec_row(s->name);
	bool lost = s->n_argidx && (s->n_tuples || s->args_unbounded);
	char reason[320] = "";
	struct sk_argnot why;

	*n_mux = 0;
	for (size_t a = 0; a < g->n_arches; a++) {
		uint32_t arch = g->arches[a];
		bool called = on_arch(s, arch);
		char line[320];

		if (sk_argnot_find(arch, s->name, &why))
			continue;
		if (why.kind == SK_ARGNOT_MUX && !called) {
			mux[(*n_mux)++] = arch;
			continue;
		}
		if (why.kind == SK_ARGNOT_MUX)
			snprintf(line, sizeof(line), "%s was called as %s, where libseccomp also puts its rules on %s(%s), "
				 "arg0 replaced by the call number and the other comparisons made on %s's pointer to %s's arguments",
				 s->name, arch_short(arch), why.mux, why.callname,
				 why.mux, s->name);
		else
			snprintf(line, sizeof(line), "on %s, %s is %s, so a comparison of its %s would test something else there%s",
				 arch_short(arch), s->name, why.why, spec->why,
				 called ? "" : " (it was not called as that arch, but an OCI profile cannot deny a call on one arch only)");
		fprintf(f, "    arguments: not compared, on any arch: %s\n", line);
		if (!*reason)
			snprintf(reason, sizeof(reason), "%s", line);
	}
	if (!*reason)
		return 0;
	fprintf(f, "    (an OCI rule covers every architecture the profile lists: %s is allowed by name alone on all of them)\n",
		s->name);
	if (lost && sk_warn_add(st->warn, "%s: allowed by name alone, its %s compared on no architecture: %s",
				s->name, spec->why, reason))
		return oom(st);
	return 1;
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
 * The argument rules for an allowed syscall; writes why into f.  What the
 * table says of each arch the profile covers comes first (arch_limits),
 * then the recorded values (plan_values).  Returns the number of rules
 * pushed (0: names only) or a negative errno.
 */
static int plan_args(struct plan *st, size_t si, const char *comment, FILE *f)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	uint32_t mux[SK_GEN_MAX_ARCHES];
	size_t n_mux = 0;
	int ret;

	if (!sk_argspec_row(s->name) || st->o->args == SK_GEN_ARGS_NONE)
		return plan_values(st, si, comment, f);
	ret = arch_limits(st, si, f, mux, &n_mux);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = plan_values(st, si, comment, f);
	if (ret >= 0 && (!strcmp(s->name, "socketcall") || !strcmp(s->name, "ipc")))
		fprintf(f, "    (arg0 picks the operation; its own arguments are behind a pointer and never compared: an operation allowed here is allowed with any arguments)\n");
	for (size_t i = 0; ret > 0 && i < n_mux; i++) {
		int r = queue_mux(st, si, mux[i]);

		if (r)
			return r;
	}
	return ret;
}

static void put_exes(FILE *f, const struct sk_gen_sys *s)
{
	if (!s->n_exes)
		return;
	fputs(" by ", f);
	for (size_t i = 0; i < s->n_exes && i < 4; i++) {
		fputs(i ? ", " : "", f);
		sk_esc_put(f, s->exes[i], SK_ESC_TEXT); /* any path a trace names */
	}
	if (s->n_exes > 4)
		fprintf(f, " and %zu more", s->n_exes - 4);
}

/* The head of si's --explain note: how often, where and by whom it was
 * called, why it is in the profile, and whether it deserves a look. */
static void put_sys_head(const struct plan *st, const struct sk_gen_sys *s,
			 FILE *f)
{
	const char *why;

	fprintf(f, "  %s: ", s->name);
	if (s->count)
		fprintf(f, "%llu call%s", (unsigned long long)s->count,
			s->count == 1 ? "" : "s");
	else
		fputs("not observed", f);
	fputs(" (", f);
	for (size_t a = 0; a < s->n_arches; a++)
		fprintf(f, "%s%s", a ? ", " : "", arch_short(s->arches[a]));
	fputc(')', f);
	if (st->g->n_traces > 1 && s->count)
		fprintf(f, " in %zu of %zu traces", s->n_traces, st->g->n_traces);
	put_exes(f, s);
	fputc('\n', f);
	if (s->needed)
		fprintf(f, "    why: %s%s\n", s->count ? "observed; also " : "", s->needed);
	else
		fputs("    why: observed\n", f);
	if (host_only(st->g, s))
		put_hosts(f, st->g, s);
	if ((why = sk_argknow_risky(s->name)))
		fprintf(f, "    WARNING: %s: %s\n", s->name, why);
}

/*
 * ENOSYS for a call that only ever failed with it, and for clone3 when
 * libc can fall back to clone, whose flags a filter can read; else
 * allowed, with argument rules when the values allow them.
 */
static int plan_action(struct plan *st, size_t si, FILE *f)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	int ret;

	if (s->count && s->has_errors && s->n_enosys >= s->count &&
	    !s->n_other_errors) {
		fprintf(f, "    action: ENOSYS: every observed call failed with ENOSYS\n");
		return push_rule(st, si, SK_ACT_ERRNO, true, ENOSYS_RET,
				 "every observed call failed with ENOSYS", NULL, 0, 0);
	}
	if (!strcmp(s->name, "clone3") && sk_gen_clone3_enosys(st->g)) {
		fprintf(f, "    action: ENOSYS: libc then falls back to clone, whose flags a filter can read\n");
		return push_rule(st, si, SK_ACT_ERRNO, true, ENOSYS_RET,
				 "ENOSYS: libc falls back to clone, whose flags the filter checks",
				 NULL, 0, 0);
	}
	if (!strncmp(s->name, "io_uring_", 9) && s->count &&
	    sk_warn_add(st->warn, "%s was observed and is allowed: operations submitted through an io_uring bypass seccomp",
			s->name))
		return oom(st);
	ret = plan_args(st, si, s->needed, f);
	if (ret == 0)
		return push_allow(st, si, s->needed, NULL, 0, 0);
	return ret > 0 ? 0 : ret;
}

/* unshare/setns/clone: namespace bits allowed are worth a warning. */
static void put_namespaces(FILE *f, const struct sk_gen_sys *s)
{
	uint64_t bits = 0;
	unsigned w = s->n_argidx;

	if (strcmp(s->name, "clone") && strcmp(s->name, "unshare") &&
	    strcmp(s->name, "setns"))
		return;
	for (size_t t = 0; w == 1 && t < s->n_tuples; t++)
		bits |= s->tuples[t];
	bits &= CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |
		CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | 0x80;
	if (bits) {
		fprintf(f, "    WARNING: namespace flags observed: ");
		sk_gen_put_decoded(f, "unshare", 0, bits);
		fputc('\n', f);
	}
}

/* Chooses the action and rules of syscall si, with its --explain note. */
static int plan_sys(struct plan *st, size_t si)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	size_t first = st->n_pres, len = 0;
	char *note = NULL;
	FILE *f = open_memstream(&note, &len);
	int ret;

	if (!f)
		return oom(st);
	put_sys_head(st, s, f);
	ret = plan_action(st, si, f);
	if (!ret)
		put_namespaces(f, s);
	fclose(f);
	if (ret || st->n_pres == first) {
		free(note);
		return ret ? ret : oom(st);
	}
	st->pres[first].note = note;
	return 0;
}

/* io_uring calls nobody made: ENOSYS, so libraries fall back to syscalls. */
static int plan_io_uring(struct plan *st)
{
	const struct sk_gen_opts *o = st->o;
	unsigned n_calls;
	const char *const *io_uring_calls = sk_argknow_io_uring(&n_calls);

	if (o->default_action == SK_ACT_ERRNO && o->has_default_errno &&
	    o->default_errno == ENOSYS_RET)
		return 0;
	for (size_t i = 0; i < n_calls; i++) {
		const char *name = io_uring_calls[i];
		bool known = false;
		struct plan_rule *p;
		char *note = NULL;

		if (sk_gen_find(st->g, name))
			continue;
		for (size_t a = 0; a < st->g->n_arches; a++)
			known |= sk_syscall_nr(st->g->arches[a], name) >= 0;
		if (!known)
			continue;
		if (asprintf(&note, "  %s: not observed\n"
				    "    why: io_uring operations bypass seccomp; ENOSYS makes libraries fall back to plain calls\n",
			     name) < 0)
			return oom(st);
		if (!(p = new_pre(st))) {
			free(note);
			return oom(st);
		}
		*p = (struct plan_rule){
			.name = name, .sys = SIZE_MAX, .action = SK_ACT_ERRNO,
			.has_errno = true, .errno_ret = ENOSYS_RET,
			.comment = "not observed: ENOSYS, since io_uring operations bypass seccomp",
			.origin = SK_ORIGIN_IO_URING,
			.note = note,
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

/* Appends text to the --explain note of si's first rule. */
static int note_append(struct plan *st, size_t si, const char *text)
{
	for (size_t i = 0; i < st->n_pres; i++) {
		struct plan_rule *p = &st->pres[i];
		char *n;

		if (p->sys != si || !p->note)
			continue;
		if (asprintf(&n, "%s%s", p->note, text) < 0)
			return oom(st);
		free(p->note);
		p->note = n;
		return 0;
	}
	return 0;
}

static const char mux_comment[] =
	"not observed: denied so that libseccomp's copy of an argument rule on a call it multiplexes through this one never compares this call's pointer";

/* The denial of q's call through its multiplexer, with its note. */
static int push_mux_deny(struct plan *st, const struct muxreq *q,
			 const char *arches, const struct plan_rule *act)
{
	const char *name = st->g->sys[q->si].name, *mux = q->why.mux;
	char *note = NULL;
	struct plan_rule *p;

	if (asprintf(&note, "  %s: %s(%s) not observed (%s)\n"
			    "    why: %s has argument rules, and on %s libseccomp also puts them on %s(%s), with arg0 replaced by the call number "
			    "and the other comparisons made on %s's pointer to %s's arguments and on registers it never reads: a chosen pointer would pass them. "
			    "%s was not called as %s, so this rule denies %s(%s) there; it is listed first, and libseccomp keeps a rule over the narrower ones added after it on the same call\n"
			    "    action: %s(%s) rather than the default action, which libseccomp refuses in a rule\n",
		     mux, mux, q->why.callname, arches, name, arches, mux,
		     q->why.callname, mux, name, name, arches, mux,
		     q->why.callname, sk_action_name(act->action),
		     sk_errno_name((int)act->errno_ret) ?
		     sk_errno_name((int)act->errno_ret) : "?") < 0)
		return oom(st);
	if (!(p = new_pre(st))) {
		free(note);
		return oom(st);
	}
	*p = *act;
	p->name = mux;
	p->sys = SIZE_MAX;
	p->args[0] = (struct sk_rule_arg){ .index = 0, .op = SK_OP_EQ,
					   .value = q->why.call };
	p->n_args = 1;
	p->comment = mux_comment;
	p->origin = SK_ORIGIN_MUX;
	p->first = true;
	p->sub = q->why.call;
	p->note = note;
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
		const char *name = st->g->sys[q->si].name, *mux = q->why.mux;
		char arches[SK_GEN_MAX_ARCHES * 24] = "", *line = NULL;
		size_t used = 0;
		bool dup = false, decided;
		struct plan_rule act = { 0 };
		int ret;

		for (size_t j = 0; j < i; j++)
			dup |= st->mux[j].si == q->si;
		if (dup)
			continue;
		for (size_t j = i; j < st->n_mux && used < sizeof(arches); j++)
			if (st->mux[j].si == q->si)
				used += (size_t)snprintf(arches + used, sizeof(arches) - used,
							 "%s%s", used ? ", " : "",
							 arch_short(st->mux[j].arch));
		decided = mux_decided(st, mux, q->why.call);
		if (!decided && deny_action(st->o, &act)) {
			ret = push_mux_deny(st, q, arches, &act);
			if (!ret && asprintf(&line, "    on %s: libseccomp also puts these rules on %s(%s), where a chosen pointer would pass them; "
					       "%s was not called as %s, so a rule listed first denies %s(%s) there (the %s rule at the top)\n",
					     arches, mux, q->why.callname, name, arches,
					     mux, q->why.callname, mux) < 0)
				ret = oom(st);
		} else if (asprintf(&line, "    on %s: libseccomp also puts these rules on %s(%s), comparing %s's pointer; %s\n",
				    arches, mux, q->why.callname, mux,
				    decided ? "the multiplexer's own rule decides that call there (observed), before the copies could" :
				    "the default action lets the call run anyway") < 0) {
			ret = oom(st);
		} else {
			ret = 0;
		}
		if (!ret)
			ret = note_append(st, q->si, line);
		free(line);
		if (ret)
			return ret;
	}
	return 0;
}

int sk_gen_profile(struct sk_gen *g, const struct sk_gen_opts *o,
		   struct sk_profile **out, char **explain,
		   struct sk_warn *warn, struct sk_err *err)
{
	struct plan st = { .g = g, .o = o, .warn = warn, .err = err };
	struct sk_profile *p = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int ret;

	if (!g->n_arches)
		return sk_err_set(err, EINVAL, "the traces hold no syscall with a name");
	ret = sk_gen_add_needed(g, err);
	for (size_t i = 0; !ret && i < g->n_sys; i++)
		ret = plan_sys(&st, i);
	if (!ret)
		ret = plan_io_uring(&st);
	if (!ret)
		ret = plan_mux(&st);
	if (ret)
		goto out;
	f = open_memstream(&text, &len);
	p = sk_profile_new();
	if (!f || !p) {
		ret = oom(&st);
		goto out;
	}
	ret = sk_gen_emit(&st, p, f);
out:
	if (f)
		fclose(f);
	for (size_t i = 0; i < st.n_pres; i++)
		free(st.pres[i].note);
	free(st.pres);
	free(st.mux);
	if (ret) {
		sk_profile_free(p);
		free(text);
		return ret;
	}
	*out = p;
	if (explain)
		*explain = text;
	else
		free(text);
	return 0;
}
