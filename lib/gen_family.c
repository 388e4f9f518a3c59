/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's families stage (gen_plan.h; DESIGN.md, "Families"): on the
 * plan's copy of the union, before the needed calls, each member of a
 * traced call's family (argknow.c) that no trace saw and the traced
 * executables can reach (the static analysis, gen_static.h) is added with
 * origin family, carrying the argument values of the traced members where
 * the positions mean the same (open's flags and openat's).  A member whose
 * values would not carry over is left out rather than allowed by name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "scmpkit/gen_static.h"
#include "argknow.h"
#include "gen_plan.h"

/* What a member gets: the values of its traced relatives. */
struct carried {
	const char *from;        /* the most called traced member (static) */
	uint64_t from_count;
	uint64_t *rows;          /* sorted, unique, one position */
	size_t n_rows;
	bool unbounded;          /* a relative's values are past its cap */
	bool values;             /* the member compares values at all */
	uint32_t arches[SK_GEN_MAX_ARCHES]; /* the relatives' arches */
	size_t n_arches;
};

static const struct sk_static_reach *reach_of(const struct sk_static *st,
					      const char *name)
{
	size_t lo = 0, hi = st->n_reach;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, st->reach[mid].syscall);

		if (!c)
			return &st->reach[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Whether a and b hold the same kind of value in their one position. */
static bool same_values(const struct sk_argspec *a, const struct sk_argspec *b)
{
	return a && b && a->n == 1 && b->n == 1 &&
	       a->pos[0].kind == b->pos[0].kind &&
	       a->pos[0].mask == b->pos[0].mask &&
	       a->pos[0].is32 == b->pos[0].is32;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/* Adds traced relative t's arches and values to c; -ENOMEM, 1 when its
 * values cannot carry over to member m, else 0. */
static int carry_one(struct carried *c, const struct sk_gen_sys *t,
		     const char *m)
{
	const struct sk_argspec *ms = sk_argspec_row(m), *ts = sk_argspec_row(t->name);
	uint64_t *rows;

	for (size_t a = 0; a < t->n_arches && c->n_arches < SK_GEN_MAX_ARCHES; a++)
		c->arches[c->n_arches++] = t->arches[a];
	if (!ms)
		return 0;
	if (!same_values(ms, ts) || t->args_mismatch ||
	    (t->n_argidx && (t->n_argidx != 1 || t->argidx[0] != ts->pos[0].index)))
		return 1;
	c->values = true;
	c->unbounded |= t->args_unbounded || !t->n_argidx;
	if (!t->n_tuples)
		return 0;
	rows = realloc(c->rows, (c->n_rows + t->n_tuples) * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	c->rows = rows;
	memcpy(rows + c->n_rows, t->tuples, t->n_tuples * sizeof(*rows));
	c->n_rows += t->n_tuples;
	return 0;
}

/* The values member m of f gets from its traced relatives into c: 0, 1
 * when none was traced or some values cannot carry over, or -ENOMEM. */
static int carry(const struct sk_gen *g, const struct sk_family *f,
		 const char *m, struct carried *c)
{
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	for (unsigned k = 0; k < f->n; k++) {
		const struct sk_gen_sys *t = sk_gen_find(g, f->members[k]);
		int ret;

		if (!t || !t->count || t == sk_gen_find(g, m))
			continue;
		if (!c->from || t->count > c->from_count) {
			c->from = f->members[k];
			c->from_count = t->count;
		}
		if ((ret = carry_one(c, t, m)))
			return ret;
	}
	if (!c->from)
		return 1;
	if (c->n_rows) /* rows is NULL when no relative carried a value */
		qsort(c->rows, c->n_rows, sizeof(*c->rows), cmp_u64);
	for (size_t i = 0; i < c->n_rows; i++)
		if (!n || c->rows[n - 1] != c->rows[i])
			c->rows[n++] = c->rows[i];
	c->n_rows = n;
	return 0;
}

/* The member's entry: its relatives' arches where it exists, their values,
 * the family, and the comment naming the traced call and the function
 * that reaches it.  0 or -ENOMEM; 1 when no arch of theirs knows m. */
static int add_member(struct sk_gen *g, const struct sk_family *f,
		      const char *m, const struct carried *c,
		      const struct sk_static_reach *x)
{
	const struct sk_argspec *ms = sk_argspec_row(m);
	struct sk_gen_sys *s;
	bool known = false;

	for (size_t a = 0; a < c->n_arches; a++)
		known |= sk_syscall_nr(c->arches[a], m) >= 0;
	if (!known)
		return 1;
	if (!(s = sk_gen_get(g, m)))
		return -ENOMEM;
	for (size_t a = 0; a < c->n_arches; a++)
		if (sk_syscall_nr(c->arches[a], m) >= 0)
			sk_gen_sys_arch(s, c->arches[a]);
	s->family = f->name;
	s->family_from = c->from;
	if (asprintf(&s->family_note, "family %s: %s was traced, and %s does what it does (%s); the executables reach it through %s in %s",
		     f->name, c->from, m, f->why, x->func, x->object) < 0) {
		s->family_note = NULL;
		return -ENOMEM;
	}
	if (!c->values)
		return 0;
	s->args_set = true;
	s->n_argidx = 1;
	s->argidx[0] = ms->pos[0].index;
	s->args_unbounded = c->unbounded;
	return c->unbounded ? 0 : sk_gen_sys_add_rows(s, c->rows, c->n_rows);
}

/* Member m of f, when reachable and not traced. */
static int add_if_reached(struct sk_gen *g, const struct sk_static *st,
			  const struct sk_family *f, const char *m)
{
	const struct sk_static_reach *x = reach_of(st, m);
	struct carried c;
	int ret;

	if (!x || sk_gen_find(g, m))
		return 0;
	ret = carry(g, f, m, &c);
	if (!ret)
		ret = add_member(g, f, m, &c, x);
	free(c.rows);
	return ret < 0 ? ret : 0;
}

int sk_gen_add_families(struct sk_gen *g, const struct sk_static *st,
			struct sk_err *err)
{
	unsigned n;
	const struct sk_family *fam = sk_argknow_family_table(&n);

	for (unsigned i = 0; st && i < n; i++)
		for (unsigned k = 0; k < fam[i].n; k++)
			if (add_if_reached(g, st, &fam[i], fam[i].members[k]))
				return sk_err_set(err, ENOMEM, "out of memory");
	return 0;
}
