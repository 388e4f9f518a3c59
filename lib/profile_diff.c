/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen --diff (profile_diff.h): two profiles, or two traces, as sets
 * of (arch, call, action, condition), sorted and walked side by side; the
 * changes that are the same on several arches are then told once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "json_util.h"
#include "scmpkit/arch.h"
#include "scmpkit/fileio.h"
#include "scmpkit/profile_diff.h"

/* One member of a side's set; every pointer borrows from the side. */
struct fact {
	uint32_t arch;
	const char *name;                /* NULL: a number libseccomp does not know */
	int nr;
	const char *action;              /* "" for traces */
	const struct sk_diff_cond *cond;
};

/* A side's set and what its facts point into. */
struct side {
	struct fact *f;
	size_t n, cap;
	struct sk_diff_cond **conds;     /* owned */
	size_t n_conds, cap_conds;
	char **strs;                     /* owned: actions */
	size_t n_strs, cap_strs;
	uint32_t *arches;                /* ascending, unique */
	size_t n_arches;
};

/* Makes room for one more element of size in *arr; 0 or -ENOMEM. */
static int grow(void *arr, size_t *n, size_t *cap, size_t size)
{
	void **p = arr, *bigger;
	size_t want;

	if (*n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	bigger = realloc(*p, want * size);
	if (!bigger)
		return -ENOMEM;
	*p = bigger;
	*cap = want;
	return 0;
}

static void cond_clear(struct sk_diff_cond *c)
{
	free(c->args);
	free(c->when);
}

static void side_free(struct side *s)
{
	for (size_t i = 0; i < s->n_conds; i++) {
		cond_clear(s->conds[i]);
		free(s->conds[i]);
	}
	for (size_t i = 0; i < s->n_strs; i++)
		free(s->strs[i]);
	free(s->conds);
	free(s->strs);
	free(s->f);
	free(s->arches);
}

/* Takes c (allocated) into the side; NULL when out of memory (c freed). */
static const struct sk_diff_cond *keep_cond(struct side *s, struct sk_diff_cond *c)
{
	if (!c || grow(&s->conds, &s->n_conds, &s->cap_conds, sizeof(*s->conds))) {
		if (c)
			cond_clear(c);
		free(c);
		return NULL;
	}
	s->conds[s->n_conds++] = c;
	return c;
}

/* Takes str (allocated) into the side; NULL when out of memory. */
static const char *keep_str(struct side *s, char *str)
{
	if (!str || grow(&s->strs, &s->n_strs, &s->cap_strs, sizeof(*s->strs))) {
		free(str);
		return NULL;
	}
	s->strs[s->n_strs++] = str;
	return str;
}

static int add_fact(struct side *s, uint32_t arch, const char *name, int nr,
		    const char *action, const struct sk_diff_cond *cond)
{
	if (grow(&s->f, &s->n, &s->cap, sizeof(*s->f)))
		return -ENOMEM;
	s->f[s->n++] = (struct fact){ arch, name, nr, action, cond };
	return 0;
}

/* qsort, which must not be given NULL even for no elements. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int u64_cmp(uint64_t x, uint64_t y)
{
	return x < y ? -1 : x > y;
}

static int arg_cmp(const void *pa, const void *pb)
{
	const struct sk_diff_arg *a = pa, *b = pb;

	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (a->value != b->value)
		return u64_cmp(a->value, b->value);
	return u64_cmp(a->value_two, b->value_two);
}

/* Conditions in order: "any arguments" (no args, no when) first. */
static int cond_cmp(const struct sk_diff_cond *a, const struct sk_diff_cond *b)
{
	size_t n = a->n_args < b->n_args ? a->n_args : b->n_args;
	int c;

	if ((a->when != NULL) != (b->when != NULL))
		return a->when ? 1 : -1;
	for (size_t i = 0; i < n; i++)
		if ((c = arg_cmp(&a->args[i], &b->args[i])))
			return c;
	if (a->n_args != b->n_args)
		return a->n_args < b->n_args ? -1 : 1;
	return a->when ? strcmp(a->when, b->when) : 0;
}

static bool cond_any(const struct sk_diff_cond *c)
{
	return !c->n_args && !c->when;
}

/* (name, then number), the order changes are told in. */
static int call_cmp(const char *an, int anr, const char *bn, int bnr)
{
	if (an && bn)
		return strcmp(an, bn);
	if (an || bn)
		return an ? -1 : 1;
	return anr < bnr ? -1 : anr > bnr;
}

static int key_cmp(const struct fact *a, const struct fact *b)
{
	int c;

	if (a->arch != b->arch)
		return a->arch < b->arch ? -1 : 1;
	if ((c = call_cmp(a->name, a->nr, b->name, b->nr)))
		return c;
	return strcmp(a->action, b->action);
}

static int fact_cmp(const void *pa, const void *pb)
{
	const struct fact *a = pa, *b = pb;
	int c = key_cmp(a, b);

	return c ? c : cond_cmp(a->cond, b->cond);
}

/* Sorts and dedups an arch list in place; returns the new length. */
static size_t arch_set(uint32_t *a, size_t n)
{
	size_t k = 0;

	sort(a, n, sizeof(*a), u32_cmp);
	for (size_t i = 0; i < n; i++)
		if (!k || a[k - 1] != a[i])
			a[k++] = a[i];
	return k;
}

/* ---- a profile as a set ---- */

static void put_strv(FILE *f, const char *label, char **v, size_t n, bool *first)
{
	if (!n)
		return;
	fprintf(f, "%s%s", *first ? "" : "; ", label);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : " ", v[i]);
	*first = false;
}

/* "includes caps C; includes arches amd64; excludes minKernel 4.8". */
static void put_cond_words(FILE *f, const char *which, const struct sk_cond *c,
			   bool *first)
{
	char label[32];

	snprintf(label, sizeof(label), "%s caps", which);
	put_strv(f, label, c->caps, c->n_caps, first);
	if (c->n_arches) {
		fprintf(f, "%s%s arches", *first ? "" : "; ", which);
		for (size_t i = 0; i < c->n_arches; i++) {
			const char *a = sk_cond_arch_name(c->arches[i]);

			fprintf(f, "%s", i ? ", " : " ");
			if (a)
				fputs(a, f);
			else
				fprintf(f, "%#x", c->arches[i]);
		}
		*first = false;
	}
	if (c->min_kernel) {
		fprintf(f, "%s%s minKernel %s", *first ? "" : "; ", which, c->min_kernel);
		*first = false;
	}
}

/* The words for a rule's includes/excludes, allocated; NULL when it has
 * none (*oom tells out of memory apart). */
static char *when_words(const struct sk_rule *r, bool *oom)
{
	bool first = true;
	size_t len = 0;
	char *s = NULL;
	FILE *f;

	*oom = false;
	if (!r->includes.n_caps && !r->includes.n_arches && !r->includes.min_kernel &&
	    !r->excludes.n_caps && !r->excludes.n_arches && !r->excludes.min_kernel)
		return NULL;
	f = open_memstream(&s, &len);
	if (!f) {
		*oom = true;
		return NULL;
	}
	put_cond_words(f, "includes", &r->includes, &first);
	put_cond_words(f, "excludes", &r->excludes, &first);
	if (fclose(f)) {
		free(s);
		*oom = true;
		return NULL;
	}
	return s;
}

/* A rule's condition: its comparisons, sorted, and its includes/excludes. */
static struct sk_diff_cond *rule_cond(const struct sk_rule *r)
{
	struct sk_diff_cond *c = calloc(1, sizeof(*c));
	bool oom;

	if (!c)
		return NULL;
	if (r->n_args && !(c->args = calloc(r->n_args, sizeof(*c->args)))) {
		free(c);
		return NULL;
	}
	for (size_t i = 0; i < r->n_args; i++)
		c->args[i] = (struct sk_diff_arg){ r->args[i].index, r->args[i].op,
						   r->args[i].value, r->args[i].value_two };
	c->n_args = r->n_args;
	sort(c->args, c->n_args, sizeof(*c->args), arg_cmp);
	c->when = when_words(r, &oom);
	if (oom) {
		cond_clear(c);
		free(c);
		return NULL;
	}
	return c;
}

/* "SCMP_ACT_ERRNO(38)", allocated. */
static char *action_words(enum sk_action a, bool has_errno, unsigned errno_ret)
{
	const char *name = sk_action_name(a);
	char *s = NULL;

	if (has_errno && (a == SK_ACT_ERRNO || a == SK_ACT_TRACE)) {
		if (asprintf(&s, "%s(%u)", name ? name : "?", errno_ret) < 0)
			return NULL;
		return s;
	}
	return strdup(name ? name : "?");
}

/* Whether name counts on arch: it has a number there (libseccomp's
 * pseudo numbers, for calls an arch lacks, do not count), or it is known
 * nowhere (newer than this libseccomp). */
static bool name_on_arch(uint32_t arch, const char *name)
{
	return sk_syscall_nr(arch, name) >= 0 || !sk_syscall_known_anywhere(name);
}

static int profile_arches(struct side *s, const struct sk_profile *p)
{
	size_t n = p->n_arches ? p->n_arches : 1;

	s->arches = calloc(n, sizeof(*s->arches));
	if (!s->arches)
		return -ENOMEM;
	if (p->n_arches)
		memcpy(s->arches, p->arches, n * sizeof(*s->arches));
	else
		s->arches[0] = sk_arch_native();
	s->n_arches = arch_set(s->arches, n);
	return 0;
}

static int profile_side(struct side *s, const struct sk_profile *p)
{
	if (profile_arches(s, p))
		return -ENOMEM;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];
		const struct sk_diff_cond *c = keep_cond(s, rule_cond(r));
		const char *act = keep_str(s, action_words(r->action, r->has_errno,
							   r->errno_ret));

		if (!c || !act)
			return -ENOMEM;
		for (size_t a = 0; a < s->n_arches; a++)
			for (size_t k = 0; k < r->n_names; k++)
				if (name_on_arch(s->arches[a], r->names[k]) &&
				    add_fact(s, s->arches[a], r->names[k], -1, act, c))
					return -ENOMEM;
	}
	return 0;
}

/* ---- a trace as a set ---- */

/* One recorded tuple as a condition: argidx[i] == tuple[i]. */
static struct sk_diff_cond *tuple_cond(const struct sk_trace_sys *t, const uint64_t *tuple)
{
	struct sk_diff_cond *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (!(c->args = calloc(t->n_argidx, sizeof(*c->args)))) {
		free(c);
		return NULL;
	}
	for (unsigned i = 0; i < t->n_argidx; i++)
		c->args[i] = (struct sk_diff_arg){ t->argidx[i], SK_OP_EQ, tuple[i], 0 };
	c->n_args = t->n_argidx;
	return c;
}

static int trace_side(struct side *s, const struct sk_trace *t)
{
	const struct sk_diff_cond *any = keep_cond(s, calloc(1, sizeof(struct sk_diff_cond)));

	if (!any || !(s->arches = calloc(t->n_sys + 1, sizeof(*s->arches))))
		return -ENOMEM;
	for (size_t i = 0; i < t->n_sys; i++) {
		const struct sk_trace_sys *e = &t->sys[i];
		bool whole = !e->n_argidx || e->args_unbounded || !e->n_tuples;

		s->arches[s->n_arches++] = e->arch;
		if (whole && add_fact(s, e->arch, e->name, e->nr, "", any))
			return -ENOMEM;
		for (size_t k = 0; !whole && k < e->n_tuples; k++) {
			const struct sk_diff_cond *c =
				keep_cond(s, tuple_cond(e, e->tuples + k * e->n_argidx));

			if (!c || add_fact(s, e->arch, e->name, e->nr, "", c))
				return -ENOMEM;
		}
	}
	s->n_arches = arch_set(s->arches, s->n_arches);
	return 0;
}

/* ---- the comparison ---- */

static int cond_dup(struct sk_diff_cond *to, const struct sk_diff_cond *from)
{
	*to = (struct sk_diff_cond){ .n_args = from->n_args };
	if (from->n_args) {
		to->args = malloc(from->n_args * sizeof(*to->args));
		if (!to->args)
			return -ENOMEM;
		memcpy(to->args, from->args, from->n_args * sizeof(*to->args));
	}
	if (from->when && !(to->when = strdup(from->when))) {
		free(to->args);
		return -ENOMEM;
	}
	return 0;
}

static void change_clear(struct sk_diff_change *c)
{
	for (size_t i = 0; i < c->n_added; i++)
		cond_clear(&c->added[i]);
	for (size_t i = 0; i < c->n_removed; i++)
		cond_clear(&c->removed[i]);
	free(c->added);
	free(c->removed);
	free(c->arches);
	free(c->name);
	free(c->action);
}

/* The distinct conditions of one key's facts f[0..n), as Docker reads
 * them: "any arguments" among them makes the others moot. */
static size_t distinct(const struct fact *f, size_t n, const struct sk_diff_cond **out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (cond_any(f[i].cond)) {
			out[0] = f[i].cond;
			return 1;
		}
		if (!k || cond_cmp(out[k - 1], f[i].cond))
			out[k++] = f[i].cond;
	}
	return k;
}

static int append_cond(struct sk_diff_cond **v, size_t *n, const struct sk_diff_cond *c)
{
	struct sk_diff_cond *bigger = realloc(*v, (*n + 1) * sizeof(**v));

	if (!bigger)
		return -ENOMEM;
	*v = bigger;
	if (cond_dup(&bigger[*n], c))
		return -ENOMEM;
	(*n)++;
	return 0;
}

static enum sk_diff_kind classify(size_t na, size_t nb, const struct sk_diff_change *c)
{
	if (!na)
		return SK_DIFF_ADDED;
	if (!nb)
		return SK_DIFF_REMOVED;
	if (c->n_removed && cond_any(&c->removed[0]))
		return SK_DIFF_NARROWED;
	if (c->n_added && cond_any(&c->added[0]))
		return SK_DIFF_WIDENED;
	if (c->n_added && c->n_removed)
		return SK_DIFF_CHANGED;
	return c->n_added ? SK_DIFF_WIDENED : SK_DIFF_NARROWED;
}

/* Walks the sorted distinct conditions of A and B: what only one has. */
static int merge_conds(const struct sk_diff_cond **ca, size_t na,
		       const struct sk_diff_cond **cb, size_t nb,
		       struct sk_diff_change *c)
{
	size_t i = 0, j = 0;
	int ret = 0;

	while (!ret && (i < na || j < nb)) {
		int k = i == na ? 1 : j == nb ? -1 : cond_cmp(ca[i], cb[j]);

		if (k < 0)
			ret = append_cond(&c->removed, &c->n_removed, ca[i++]);
		else if (k > 0)
			ret = append_cond(&c->added, &c->n_added, cb[j++]);
		else
			i++, j++;
	}
	return ret;
}

struct changes {
	struct sk_diff_change *v;
	size_t n, cap;
};

/* One key's facts in A (fa[0..na)) and B: a change, or none. */
static int diff_key(const struct fact *fa, size_t na, const struct fact *fb, size_t nb,
		    const struct sk_diff_cond **ca, const struct sk_diff_cond **cb,
		    struct changes *out)
{
	const struct fact *f = na ? fa : fb;
	struct sk_diff_change c = { .nr = f->nr };
	size_t da = distinct(fa, na, ca), db = distinct(fb, nb, cb);
	int ret = merge_conds(ca, da, cb, db, &c);

	if (!ret && !c.n_added && !c.n_removed)
		return 0;
	if (!ret && grow(&out->v, &out->n, &out->cap, sizeof(*out->v)))
		ret = -ENOMEM;
	c.kind = classify(da, db, &c);
	if (!ret && (c.arches = malloc(sizeof(*c.arches))))
		c.arches[c.n_arches++] = f->arch;
	if (!ret && (!c.arches || (f->name && !(c.name = strdup(f->name))) ||
		     (*f->action && !(c.action = strdup(f->action)))))
		ret = -ENOMEM;
	if (ret) {
		change_clear(&c);
		return ret;
	}
	out->v[out->n++] = c;
	return 0;
}

/* Walks both sorted sets key by key. */
static int diff_sides(const struct side *a, const struct side *b, struct changes *out)
{
	const struct sk_diff_cond **ca = calloc(a->n + 1, sizeof(*ca));
	const struct sk_diff_cond **cb = calloc(b->n + 1, sizeof(*cb));
	size_t i = 0, j = 0;
	int ret = ca && cb ? 0 : -ENOMEM;

	while (!ret && (i < a->n || j < b->n)) {
		const struct fact *key = i == a->n ? &b->f[j] : j == b->n ? &a->f[i] :
					 key_cmp(&a->f[i], &b->f[j]) <= 0 ? &a->f[i] : &b->f[j];
		size_t i2 = i, j2 = j;

		while (i2 < a->n && !key_cmp(&a->f[i2], key))
			i2++;
		while (j2 < b->n && !key_cmp(&b->f[j2], key))
			j2++;
		ret = diff_key(a->f + i, i2 - i, b->f + j, j2 - j, ca, cb, out);
		i = i2;
		j = j2;
	}
	free(ca);
	free(cb);
	return ret;
}

static int conds_cmp(const struct sk_diff_cond *a, size_t na,
		     const struct sk_diff_cond *b, size_t nb)
{
	int c;

	for (size_t i = 0; i < na && i < nb; i++)
		if ((c = cond_cmp(&a[i], &b[i])))
			return c;
	return na < nb ? -1 : na > nb;
}

/* Changes that are the same but for the arch sort next to each other. */
static int change_same(const struct sk_diff_change *a, const struct sk_diff_change *b)
{
	int c;

	if ((c = call_cmp(a->name, a->nr, b->name, b->nr)))
		return c;
	if ((c = strcmp(a->action ? a->action : "", b->action ? b->action : "")))
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = conds_cmp(a->added, a->n_added, b->added, b->n_added)))
		return c;
	return conds_cmp(a->removed, a->n_removed, b->removed, b->n_removed);
}

static int change_cmp(const void *pa, const void *pb)
{
	const struct sk_diff_change *a = pa, *b = pb;
	int c = change_same(a, b);

	return c ? c : u32_cmp(&a->arches[0], &b->arches[0]);
}

/* Tells each change once, with every arch it is the same change on. */
static int group(struct changes *ch)
{
	size_t k = 0;

	sort(ch->v, ch->n, sizeof(*ch->v), change_cmp);
	for (size_t i = 0; i < ch->n; i++) {
		struct sk_diff_change *last = k ? &ch->v[k - 1] : NULL;
		uint32_t *more;

		if (!last || change_same(last, &ch->v[i])) {
			ch->v[k++] = ch->v[i];
			continue;
		}
		more = realloc(last->arches, (last->n_arches + 1) * sizeof(*more));
		if (!more) {
			for (size_t r = i; r < ch->n; r++)
				change_clear(&ch->v[r]);
			ch->n = k;
			return -ENOMEM;
		}
		last->arches = more;
		last->arches[last->n_arches++] = ch->v[i].arches[0];
		change_clear(&ch->v[i]);
	}
	ch->n = k;
	return 0;
}

/* Arches only in x (not in y), both ascending. */
static int arch_only(const struct side *x, const struct side *y, uint32_t **out, size_t *n)
{
	*n = 0;
	*out = calloc(x->n_arches + 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < x->n_arches; i++)
		if (!bsearch(&x->arches[i], y->arches, y->n_arches, sizeof(uint32_t), u32_cmp))
			(*out)[(*n)++] = x->arches[i];
	return 0;
}

static int build_side(struct side *s, const struct sk_diff_input *in)
{
	int ret = in->kind == SK_DIFF_PROFILE ? profile_side(s, in->profile) :
		  trace_side(s, in->trace);

	if (!ret)
		sort(s->f, s->n, sizeof(*s->f), fact_cmp);
	return ret;
}

static char *default_words(const struct sk_profile *p)
{
	return action_words(p->default_action, p->has_default_errno, p->default_errno_ret);
}

/* The comparison of two sides already built into d. */
static int compare(const struct sk_diff_input *a, const struct sk_diff_input *b,
		   struct sk_diff *d)
{
	struct side sa = { 0 }, sb = { 0 };
	struct changes ch = { 0 };
	int ret = build_side(&sa, a);

	if (!ret)
		ret = build_side(&sb, b);
	if (!ret)
		ret = diff_sides(&sa, &sb, &ch);
	d->changes = ch.v;
	d->n_changes = ch.n;
	if (!ret)
		ret = group(&ch);
	d->changes = ch.v;
	d->n_changes = ch.n;
	if (!ret)
		ret = arch_only(&sb, &sa, &d->arches_added, &d->n_arches_added);
	if (!ret)
		ret = arch_only(&sa, &sb, &d->arches_removed, &d->n_arches_removed);
	if (!ret && a->kind == SK_DIFF_PROFILE &&
	    (!(d->default_a = default_words(a->profile)) ||
	     !(d->default_b = default_words(b->profile))))
		ret = -ENOMEM;
	side_free(&sa);
	side_free(&sb);
	return ret;
}

int sk_diff_compare(const struct sk_diff_input *a, const struct sk_diff_input *b,
		    struct sk_diff **out, struct sk_err *err)
{
	struct sk_diff *d;
	int ret;

	if (a->kind != b->kind)
		return sk_err_set(err, EINVAL,
				  "%s is a %s and %s a %s: --diff compares two profiles or two traces (to see what a profile denies of a trace: scmp-apply --check PROFILE --trace TRACE)",
				  a->file, a->kind == SK_DIFF_PROFILE ? "profile" : "trace",
				  b->file, b->kind == SK_DIFF_PROFILE ? "profile" : "trace");
	d = calloc(1, sizeof(*d));
	if (!d)
		return sk_err_set(err, ENOMEM, "out of memory");
	d->kind = a->kind;
	ret = compare(a, b, d);
	if (ret) {
		sk_diff_free(d);
		return sk_err_set(err, -ret, "out of memory");
	}
	*out = d;
	return 0;
}

bool sk_diff_same(const struct sk_diff *d)
{
	return !d->n_changes && !d->n_arches_added && !d->n_arches_removed &&
	       (!d->default_a || !strcmp(d->default_a, d->default_b));
}

void sk_diff_free(struct sk_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_changes; i++)
		change_clear(&d->changes[i]);
	free(d->changes);
	free(d->arches_added);
	free(d->arches_removed);
	free(d->default_a);
	free(d->default_b);
	free(d);
}

const char *sk_diff_kind_name(enum sk_diff_kind k)
{
	switch (k) {
	case SK_DIFF_ADDED: return "added";
	case SK_DIFF_REMOVED: return "removed";
	case SK_DIFF_NARROWED: return "narrowed";
	case SK_DIFF_WIDENED: return "widened";
	case SK_DIFF_CHANGED: return "changed";
	}
	return "?";
}

/* ---- the inputs ---- */

/* Whether text is a trace: a JSON object whose "format" says so. */
static int is_trace(const char *text, size_t len, const char *file, bool *yes,
		    struct sk_err *err)
{
	struct json_object *root = NULL, *v;
	int ret = sk_json_parse(text, len, file, &root, err);

	if (ret)
		return ret;
	*yes = json_object_is_type(root, json_type_object) &&
	       json_object_object_get_ex(root, "format", &v) &&
	       json_object_is_type(v, json_type_string) &&
	       !strcmp(json_object_get_string(v), SK_TRACE_FORMAT);
	json_object_put(root);
	return 0;
}

int sk_diff_input_load(const char *path, struct sk_diff_input **out,
		       struct sk_warn *warn, struct sk_err *err)
{
	struct sk_diff_input *in = calloc(1, sizeof(*in));
	char *text = NULL;
	size_t len = 0;
	bool trace = false;
	int ret;

	if (!in || !(in->file = strdup(path))) {
		free(in);
		return sk_err_set(err, ENOMEM, "out of memory");
	}
	ret = sk_read_file(path, &text, &len, err);
	if (!ret)
		ret = is_trace(text, len, path, &trace, err);
	in->kind = trace ? SK_DIFF_TRACE : SK_DIFF_PROFILE;
	if (!ret && trace)
		ret = sk_trace_parse(text, len, path, &in->trace, err);
	else if (!ret)
		ret = sk_profile_parse_warn(text, len, path, &in->profile, warn, err);
	free(text);
	if (ret) {
		sk_diff_input_free(in);
		return ret;
	}
	*out = in;
	return 0;
}

void sk_diff_input_free(struct sk_diff_input *in)
{
	if (!in)
		return;
	sk_profile_free(in->profile);
	sk_trace_free(in->trace);
	free(in->file);
	free(in);
}
