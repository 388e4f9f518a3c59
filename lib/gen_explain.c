/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen --explain (gen_plan.h): a renderer like the others, reading the
 * ordered profile, the plan rules behind each of its rules and the
 * planner's reasons (struct sys_reason); it decides nothing.  Every string
 * from input (trace file names, executables) is escaped (textesc.h).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "scmpkit/denial.h"
#include "scmpkit/textesc.h"
#include "gen_plan.h"

static void header(const struct plan *st, FILE *f)
{
	const struct sk_gen *g = st->g;
	const char *args = st->o->args == SK_GEN_ARGS_NONE ? "none" :
			   st->o->args == SK_GEN_ARGS_TUPLES ? "tuples" : "values";

	fprintf(f, "scmp-gen: %zu trace%s:", g->n_traces, g->n_traces == 1 ? "" : "s");
	for (size_t i = 0; i < g->n_traces; i++) {
		fputc(' ', f);
		sk_esc_put(f, g->files[i], SK_ESC_TEXT);
	}
	fprintf(f, "\narchitectures:");
	for (size_t i = 0; i < g->n_arches; i++)
		fprintf(f, " %s", sk_arch_name(g->arches[i]));
	fprintf(f, "\ndefault action: %s; --args %s, --max-values %u\n",
		sk_action_name(st->o->default_action), args, st->o->max_values);
	if (g->n_hosts > 1) {
		fprintf(f, "hosts:");
		for (size_t i = 0; i < g->n_hosts; i++)
			fprintf(f, " %s", sk_cond_arch_name(g->hosts[i]) ?
				sk_cond_arch_name(g->hosts[i]) : "?");
		fprintf(f, g->host_unknown ? " and traces that do not say theirs: every rule is for every host\n" :
			   " (a call seen on some only is allowed there only)\n");
	}
	if (g->n_arches > 1)
		fprintf(f, "note: an OCI profile allows a name on every arch it lists: a call seen on one arch is allowed on the others too\n");
	if (st->o->runtime)
		fprintf(f, "runtime: %s (--runtime %s%s): the calls it makes in the container's init between loading the filter and the program's execve%s are added\n",
			st->o->runtime->what, st->o->runtime->word,
			st->o->runtime->nnp_only ? ":nnp" : "",
			st->o->runtime->nnp_only ? " with no_new_privs set" : ", with no_new_privs set or not,");
	fputc('\n', f);
}

static void put_arg(FILE *f, const char *name, const struct sk_rule_arg *a)
{
	const struct sk_argpos *p = sk_gen_pos_of(sk_argspec_row(name), a->index);

	fprintf(f, "arg%u ", a->index);
	if (a->op == SK_OP_MASKED_EQ && a->value_two == 0 && p &&
	    p->kind == SK_ARG_FLAGS) {
		uint64_t allowed = sk_gen_pos_mask(p) & ~a->value;

		if (!allowed) {
			fputs("has none of ", f);
			sk_gen_put_decoded(f, name, a->index, a->value);
		} else {
			fputs("has no bits but ", f);
			sk_gen_put_decoded(f, name, a->index, allowed);
			if (sk_gen_pos_mask(p) != ~0ULL && sk_gen_pos_mask(p) != 0xffffffffULL) {
				fputs(" among ", f);
				sk_gen_put_decoded(f, name, a->index, sk_gen_pos_mask(p));
			}
		}
		return;
	}
	fputs("== ", f);
	sk_gen_put_decoded(f, name, a->index,
		    a->op == SK_OP_MASKED_EQ ? a->value_two : a->value);
	if (a->op == SK_OP_MASKED_EQ && a->value != 0xffffffffULL)
		fprintf(f, " (under mask %#llx)", (unsigned long long)a->value);
}

/* "syscalls[N]: ACTION names if ARGS (on HOSTS hosts only)" */
static void put_rule_line(FILE *f, size_t n, const struct sk_rule *r,
			  const struct plan_rule *a)
{
	fprintf(f, "syscalls[%zu]: %s", n, sk_action_name(a->action));
	if (a->has_errno)
		fprintf(f, "(%s)", sk_errno_name((int)a->errno_ret) ?
				   sk_errno_name((int)a->errno_ret) : "?");
	for (size_t k = 0; k < r->n_names; k++)
		fprintf(f, "%s%s", k ? ", " : " ", r->names[k]);
	if (a->n_args) {
		fputs(" if ", f);
		for (unsigned k = 0; k < a->n_args; k++) {
			if (k)
				fputs(" and ", f);
			put_arg(f, a->name, &a->args[k]);
		}
	}
	for (size_t k = 0; k < a->n_hosts; k++)
		fprintf(f, "%s%s", k ? ", " : " (on ",
			sk_cond_arch_name(a->hosts[k]) ? sk_cond_arch_name(a->hosts[k]) : "?");
	if (a->n_hosts)
		fputs(" hosts only)", f);
	fputc('\n', f);
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

static void put_hosts(FILE *f, const struct sk_gen *g, const struct sk_gen_sys *s)
{
	fputs("    hosts: seen only in traces from", f);
	for (size_t i = 0; i < s->n_hosts; i++)
		fprintf(f, "%s%s", i ? ", " : " ", sk_cond_arch_name(s->hosts[i]) ?
			sk_cond_arch_name(s->hosts[i]) : "?");
	fprintf(f, " (of %zu hosts): includes.arches\n", g->n_hosts);
}

/* Which runtime makes s under the filter, and where that was measured. */
static void put_runtime(FILE *f, const struct sk_gen_sys *s)
{
	unsigned n_runs;
	const struct sk_runtime_run *runs = sk_runtime_runs(&n_runs);

	if (s->n_runtime && s->count)
		fprintf(f, "    runtime: also %llu call%s the traces mark as the container runtime's (\"origin\": \"runtime\"), before the program's execve\n",
			(unsigned long long)s->n_runtime, s->n_runtime == 1 ? "" : "s");
	for (size_t i = 0; i < s->n_rt_calls; i++) {
		const struct sk_runtime_call *c = s->rt_calls[i];
		const char *sep = "";

		fprintf(f, "    runtime: %s makes it after loading the filter%s: %s (measured: ",
			sk_runtime_build_name(c->build),
			c->privs_only ? ", without no_new_privs only" : "", c->why);
		for (unsigned k = 0; k < n_runs; k++) {
			if (!(c->seen & (1u << k)))
				continue;
			fprintf(f, "%s%s", sep, runs[k].via);
			sep = "; ";
		}
		fputs(")\n", f);
	}
}

/* The head of s's note: how often, where and by whom it was called, why
 * it is in the profile, and whether it deserves a look. */
static void put_sys_head(const struct plan *st, const struct sk_gen_sys *s,
			 FILE *f)
{
	const char *why;

	fprintf(f, "  %s: ", s->name);
	if (s->count)
		fprintf(f, "%llu call%s", (unsigned long long)s->count,
			s->count == 1 ? "" : "s");
	else if (s->n_runtime)
		fprintf(f, "%llu call%s by the container runtime",
			(unsigned long long)s->n_runtime, s->n_runtime == 1 ? "" : "s");
	else
		fputs("not observed", f);
	fputs(" (", f);
	for (size_t a = 0; a < s->n_arches; a++)
		fprintf(f, "%s%s", a ? ", " : "", sk_gen_arch_short(s->arches[a]));
	fputc(')', f);
	if (st->g->n_traces > 1 && s->count)
		fprintf(f, " in %zu of %zu traces", s->n_traces, st->g->n_traces);
	put_exes(f, s);
	fputc('\n', f);
	if (s->needed)
		fprintf(f, "    why: %s%s\n", s->count ? "observed; also " : "", s->needed);
	else if (!s->count && sk_gen_sys_comment(s))
		fprintf(f, "    why: %s\n", sk_gen_sys_comment(s));
	else
		fputs("    why: observed\n", f);
	put_runtime(f, s);
	if (sk_gen_host_only(st->g, s))
		put_hosts(f, st->g, s);
	if ((why = sk_argknow_risky(s->name)))
		fprintf(f, "    WARNING: %s: %s\n", s->name, why);
}

/* Each position's recorded values, decoded, for the reader to check the
 * rules against. */
static void put_observed(FILE *f, const struct sk_gen_sys *s)
{
	const struct sk_argspec *spec = sk_argspec_row(s->name);
	unsigned w = s->n_argidx;

	for (unsigned k = 0; k < w; k++) {
		const struct sk_argpos *pos = sk_gen_pos_of(spec, s->argidx[k]);

		const char *name = sk_denial_argname(s->name, s->argidx[k]);

		/* "prot (arg2, flags)": mmap's prot is no argument called flags. */
		if (name)
			fprintf(f, "    %s (arg%u, %s): ", name, s->argidx[k],
				pos->kind == SK_ARG_FLAGS ? "flag bits" : "enum");
		else
			fprintf(f, "    arg%u (%s): ", s->argidx[k],
				pos->kind == SK_ARG_FLAGS ? "flag bits" : "enum");
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

/* The arches where s's positions hold no value: names only everywhere. */
static void put_limits(FILE *f, const struct sk_gen_sys *s,
		       const struct sys_reason *r)
{
	for (size_t i = 0; i < r->n_limits; i++) {
		struct sk_argnot why;
		char line[320];

		if (sk_argnot_find(r->limits[i], s->name, &why))
			continue;
		sk_gen_limit_line(line, sizeof(line), s, r->limits[i], &why);
		fprintf(f, "    arguments: not compared, on any arch: %s\n", line);
	}
	fprintf(f, "    (an OCI rule covers every architecture the profile lists: %s is allowed by name alone on all of them)\n",
		s->name);
}

/* The verdict on s's arguments, when it says anything. */
static void put_verdict(const struct plan *st, FILE *f,
			const struct sk_gen_sys *s, const struct sys_reason *r)
{
	unsigned w = s->n_argidx;

	switch (r->args) {
	case ARGS_SILENT:
		break;
	case ARGS_OFF:
		fprintf(f, "    arguments: not compared (--args none)\n");
		break;
	case ARGS_UNFILTERED:
		fprintf(f, "    arguments: recorded but not compared: %s\n",
			sk_argknow_unfiltered(s->name));
		break;
	case ARGS_MISMATCH:
		fprintf(f, "    arguments: names only: the traces recorded different argument positions\n");
		break;
	case ARGS_UNBOUNDED:
		fprintf(f, "    arguments: names only: more distinct values than the tracer keeps (\"args\": \"unbounded\")\n");
		break;
	case ARGS_UNKNOWN_POS:
		fprintf(f, "    arguments: names only: arg%u is not in this version's knowledge table\n",
			r->arg_missing);
		break;
	case ARGS_ARCH_LIMITED:
		put_limits(f, s, r);
		break;
	case ARGS_ALL_BITS:
		fprintf(f, "    arguments: names only: every flag bit the table watches was seen%s\n",
			r->wx_seen ? " (PROT_WRITE|PROT_EXEC together included: no W^X)" : "");
		break;
	case ARGS_TOO_MANY:
		fprintf(f, "    arguments: names only: %zu distinct %s > --max-values %u\n",
			sk_gen_observed_rows(s), w > 1 ? "combinations" : "values",
			st->o->max_values);
		break;
	case ARGS_FLAG_BITS:
		fprintf(f, "    rule: only the observed bits\n");
		break;
	case ARGS_WX:
		fprintf(f, "    rule: only the observed bits, and never PROT_WRITE with PROT_EXEC (W^X: seen apart, never together)\n");
		break;
	case ARGS_TUPLES:
		fprintf(f, "    rule: one per %s%s (%zu)\n", s->n_added ? "" : "observed ",
			w > 1 ? "combination" : "value", s->n_tuples);
		break;
	}
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

/* r's multiplexed arches, "X86, S390". */
static void put_mux_arches(FILE *f, const struct sys_reason *r)
{
	for (size_t i = 0; i < r->n_mux_arches; i++)
		fprintf(f, "%s%s", i ? ", " : "", sk_gen_arch_short(r->mux_arches[i]));
}

/* What plan_mux did about s's rules' copies on its multiplexer. */
static void put_mux_outcome(FILE *f, const struct sk_gen_sys *s,
			    const struct sys_reason *r)
{
	const char *mux = r->mux_why.mux, *call = r->mux_why.callname;

	if (r->mux == MUX_NONE)
		return;
	fputs("    on ", f);
	put_mux_arches(f, r);
	if (r->mux == MUX_DENIED) {
		fprintf(f, ": libseccomp also puts these rules on %s(%s), where a chosen pointer would pass them; %s was not called as ",
			mux, call, s->name);
		put_mux_arches(f, r);
		fprintf(f, ", so a rule listed first denies %s(%s) there (the %s rule at the top)\n",
			mux, call, mux);
		return;
	}
	fprintf(f, ": libseccomp also puts these rules on %s(%s), comparing %s's pointer; %s\n",
		mux, call, mux,
		r->mux == MUX_DECIDED ? "the multiplexer's own rule decides that call there (observed), before the copies could" :
		"the default action lets the call run anyway");
}

/* The arches where s's rules compare what is not an argument. */
static void put_holes(FILE *f, const struct sk_gen_sys *s,
		      const struct sys_reason *r)
{
	for (size_t i = 0; i < r->n_holes; i++) {
		struct sk_argnot why;
		char line[400];

		if (sk_argnot_find(r->holes[i], s->name, &why))
			continue;
		sk_gen_hole_line(line, sizeof(line), s, r->holes[i], &why);
		fprintf(f, "    WARNING: %s\n", line);
	}
}

/* The note of a planned name: head, action, arguments, warnings. */
static void put_sys_note(const struct plan *st, FILE *f, size_t si)
{
	const struct sk_gen_sys *s = &st->g->sys[si];
	const struct sys_reason *r = &st->why[si];

	put_sys_head(st, s, f);
	if (r->act == ACT_ENOSYS_ALL)
		fprintf(f, "    action: ENOSYS: every observed call failed with ENOSYS\n");
	else if (r->act == ACT_CLONE3_ENOSYS)
		fprintf(f, "    action: ENOSYS in every profile (unless --allow clone3): its flags are in a struct no filter can read; libc then falls back to clone, whose flags a filter can read\n");
	if (r->args >= ARGS_ALL_BITS) {
		put_observed(f, s);
		put_added(f, s);
	}
	put_verdict(st, f, s, r);
	if (r->multiplexer)
		fprintf(f, "    (arg0 picks the operation; its own arguments are behind a pointer and never compared: an operation allowed here is allowed with any arguments)\n");
	put_namespaces(f, s);
	put_mux_outcome(f, s, r);
	put_holes(f, s, r);
}

/* The note of a multiplexed call denied for the name p protects. */
static void put_mux_note(const struct plan *st, FILE *f,
			 const struct plan_rule *p)
{
	const struct sys_reason *r = &st->why[p->for_sys];
	const char *name = st->g->sys[p->for_sys].name, *mux = r->mux_why.mux;
	const char *call = r->mux_why.callname;
	const char *en = sk_errno_name((int)p->errno_ret);

	fprintf(f, "  %s: %s(%s) not observed (", mux, mux, call);
	put_mux_arches(f, r);
	fprintf(f, ")\n    why: %s has argument rules, and on ", name);
	put_mux_arches(f, r);
	fprintf(f, " libseccomp also puts them on %s(%s), with arg0 replaced by the call number "
		   "and the other comparisons made on %s's pointer to %s's arguments and on registers it never reads: a chosen pointer would pass them. "
		   "%s was not called as ", mux, call, mux, name, name);
	put_mux_arches(f, r);
	fprintf(f, ", so this rule denies %s(%s) there; it is listed first, and libseccomp keeps a rule over the narrower ones added after it on the same call\n"
		   "    action: %s(%s) rather than the default action, which libseccomp refuses in a rule\n",
		mux, call, sk_action_name(p->action), en ? en : "?");
}

/* The note of plan rule p, which carries one (p->head). */
static void put_note(const struct plan *st, FILE *f, const struct plan_rule *p)
{
	switch (p->origin) {
	case SK_ORIGIN_IO_URING:
		fprintf(f, "  %s: not observed\n"
			   "    why: io_uring operations bypass seccomp; ENOSYS makes libraries fall back to plain calls\n",
			p->name);
		break;
	case SK_ORIGIN_MUX:
		put_mux_note(st, f, p);
		break;
	case SK_ORIGIN_STATIC:
		fprintf(f, "  %s: not observed\n    why: ", p->name);
		sk_esc_put(f, p->comment, SK_ESC_TEXT); /* names files */
		fputc('\n', f);
		break;
	default:
		put_sys_note(st, f, p->sys);
		break;
	}
}

void sk_gen_explain(const struct plan *st, const struct sk_profile *p, FILE *f)
{
	header(st, f);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct plan_span *sp = &st->spans[i];

		put_rule_line(f, i, &p->rules[i], &st->pres[sp->start]);
		for (size_t k = sp->start; k < sp->end; k++)
			if (st->pres[k].head)
				put_note(st, f, &st->pres[k]);
	}
}
