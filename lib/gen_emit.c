/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's third stage (gen_plan.h): the planned rules ordered (hottest
 * first) and merged into the profile; which plan rules made each profile
 * rule is kept for --explain (gen_explain.c).
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
 * call when it is the wider), --static add's last (by comment, then name),
 * and between them hottest first (by power of two), names-only before
 * argument rules of the same bucket, then by hosts and name:
 * deterministic. */
static int cmp_pre(const void *pa, const void *pb)
{
	const struct plan_rule *a = pa, *b = pb;
	int c;

	if (a->first != b->first)
		return a->first ? -1 : 1;
	if (a->last != b->last)
		return a->last ? 1 : -1;
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

/* Builds the profile's rules from the sorted pres, with their spans. */
static int emit(struct plan *st, struct sk_profile *p)
{
	bool ok = true;

	p->rules = calloc(st->n_pres + 1, sizeof(*p->rules));
	st->spans = calloc(st->n_pres + 1, sizeof(*st->spans));
	if (!p->rules || !st->spans)
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
		st->spans[p->n_rules - 1] = (struct plan_span){ i, j };
		i = j;
	}
	return 0;
}

/* The profile's header fields, then its rules. */
static int fill_profile(struct plan *st, struct sk_profile *p)
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
	return emit(st, p);
}

int sk_gen_emit(struct plan *st, struct sk_profile *p)
{
	qsort(st->pres, st->n_pres, sizeof(*st->pres), cmp_pre);
	return fill_profile(st, p);
}
