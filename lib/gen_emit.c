/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's last stage (gen_plan.h): the planned rules ordered (hottest
 * first) and merged into the profile, with the --explain text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "scmpkit/textesc.h"
#include "gen_plan.h"

static int cmp_hosts(const struct plan_rule *a, const struct plan_rule *b)
{
	if (a->n_hosts != b->n_hosts)
		return a->n_hosts < b->n_hosts ? -1 : 1;
	for (size_t i = 0; i < a->n_hosts; i++)
		if (a->hosts[i] != b->hosts[i])
			return a->hosts[i] < b->hosts[i] ? -1 : 1;
	return 0;
}

/* plan_mux's denials first (libseccomp keeps the first of two rules on one
 * call when it is the wider), then hottest first (by power of two),
 * names-only before argument rules of the same bucket, then by hosts and
 * name: deterministic. */
static int cmp_pre(const void *pa, const void *pb)
{
	const struct plan_rule *a = pa, *b = pb;
	int c;

	if (a->first != b->first)
		return a->first ? -1 : 1;
	if (a->bucket != b->bucket)
		return a->bucket > b->bucket ? -1 : 1;
	if ((a->action == SK_ACT_ALLOW) != (b->action == SK_ACT_ALLOW))
		return a->action == SK_ACT_ALLOW ? -1 : 1;
	if (!a->n_args != !b->n_args)
		return a->n_args ? 1 : -1;
	if ((!a->comment) != (!b->comment))
		return a->comment ? 1 : -1;
	if (a->comment && (c = strcmp(a->comment, b->comment)))
		return c;
	if ((c = cmp_hosts(a, b)))
		return c;
	if ((c = strcmp(a->name, b->name)))
		return c;
	return a->sub < b->sub ? -1 : a->sub > b->sub;
}

static bool mergeable(const struct plan_rule *a, const struct plan_rule *b)
{
	return !a->n_args && !b->n_args && a->bucket == b->bucket &&
	       a->action == b->action && a->has_errno == b->has_errno &&
	       a->errno_ret == b->errno_ret && !cmp_hosts(a, b) &&
	       a->origin == b->origin &&
	       (a->comment == b->comment ||
		(a->comment && b->comment && !strcmp(a->comment, b->comment)));
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

static char *dup_or_null(const char *s, bool *ok)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*ok = false;
	return d;
}

/* Builds the profile's rules from the sorted pres; explain into f. */
static int emit(struct plan *st, struct sk_profile *p, FILE *f)
{
	bool ok = true;

	p->rules = calloc(st->n_pres + 1, sizeof(*p->rules));
	if (!p->rules)
		return sk_err_set(st->err, ENOMEM, "out of memory");
	for (size_t i = 0; i < st->n_pres;) {
		size_t j = i + 1;
		struct sk_rule *r = &p->rules[p->n_rules];
		const struct plan_rule *a = &st->pres[i];

		while (j < st->n_pres && mergeable(a, &st->pres[j]))
			j++;
		r->names = calloc(j - i, sizeof(*r->names));
		if (!r->names)
			return sk_err_set(st->err, ENOMEM, "out of memory");
		/* pres are sorted by name within a merged run already */
		for (size_t k = i; k < j; k++)
			if ((r->names[r->n_names] = dup_or_null(st->pres[k].name, &ok)))
				r->n_names++;
		r->action = a->action;
		r->has_errno = a->has_errno;
		r->errno_ret = a->errno_ret;
		r->comment = dup_or_null(a->comment, &ok);
		r->origin = a->origin;
		if (a->n_hosts) {
			r->includes.arches = calloc(a->n_hosts, sizeof(*r->includes.arches));
			if (r->includes.arches) {
				memcpy(r->includes.arches, a->hosts,
				       a->n_hosts * sizeof(*a->hosts));
				r->includes.n_arches = a->n_hosts;
			} else {
				ok = false;
			}
		}
		if (a->n_args) {
			r->args = calloc(a->n_args, sizeof(*r->args));
			if (r->args) {
				memcpy(r->args, a->args, a->n_args * sizeof(*r->args));
				r->n_args = a->n_args;
			} else {
				ok = false;
			}
		}
		if (asprintf(&r->where, "syscalls[%zu]", p->n_rules) < 0) {
			r->where = NULL;
			ok = false;
		}
		p->n_rules++;
		if (!ok)
			return sk_err_set(st->err, ENOMEM, "out of memory");

		fprintf(f, "syscalls[%zu]: %s", p->n_rules - 1, sk_action_name(a->action));
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
		for (size_t k = i; k < j; k++)
			if (st->pres[k].note)
				fputs(st->pres[k].note, f);
		i = j;
	}
	return 0;
}

/* The profile's header fields, then its rules. */
static int fill_profile(struct plan *st, struct sk_profile *p, FILE *f)
{
	const struct sk_gen_opts *o = st->o;

	p->file = strdup("<generated>");
	p->default_action = o->default_action;
	if (o->default_action == SK_ACT_ERRNO) {
		p->has_default_errno = true;
		p->default_errno_ret = o->has_default_errno ? o->default_errno : EPERM;
	}
	p->arches = calloc(st->g->n_arches + 1, sizeof(*p->arches));
	if (!p->file || !p->arches)
		return sk_err_set(st->err, ENOMEM, "out of memory");
	memcpy(p->arches, st->g->arches, st->g->n_arches * sizeof(*p->arches));
	p->n_arches = st->g->n_arches;
	return emit(st, p, f);
}

static void header(struct plan *st, FILE *f)
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
	fputc('\n', f);
}

int sk_gen_emit(struct plan *st, struct sk_profile *p, FILE *f)
{
	qsort(st->pres, st->n_pres, sizeof(*st->pres), cmp_pre);
	header(st, f);
	return fill_profile(st, p, f);
}
