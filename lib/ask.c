/* SPDX-License-Identifier: MIT */
/* The answers of scmp-apply --ask and the refined profile (ask.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "argknow.h"
#include "scmpkit/ask.h"
#include "scmpkit/denial.h"
#include <stdio.h>
#include "scmpkit/gen.h"
#include "scmpkit/gen_run.h"
#include "scmpkit/trace_format.h"

struct sk_ask {
	struct sk_ask_entry *e;
	size_t n, cap;
};

struct sk_ask *sk_ask_new(void)
{
	return calloc(1, sizeof(struct sk_ask));
}

void sk_ask_free(struct sk_ask *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->e[i].name);
	free(a->e);
	free(a);
}

/* The key of a call: classified arch, name, masked flag and enum values.
 * 0, or -ENOENT when libseccomp does not know the number. */
static int key_of(uint32_t arch, int nr, const uint64_t args[6],
		  struct sk_ask_entry *k, char *name, size_t len)
{
	const struct sk_argspec *spec;

	memset(k, 0, sizeof(*k));
	sk_arch_classify(&arch, &nr);
	if (sk_syscall_name(arch, nr, name, len))
		return -ENOENT;
	k->arch = arch;
	k->nr = nr;
	spec = sk_argspec_find(arch, name);
	for (unsigned i = 0; spec && i < spec->n; i++) {
		k->argidx[i] = spec->pos[i].index;
		k->tuple[i] = args[spec->pos[i].index] & spec->pos[i].mask;
	}
	k->n_argidx = spec ? spec->n : 0;
	return 0;
}

static bool same_key(const struct sk_ask_entry *a, const struct sk_ask_entry *b,
		     const char *name)
{
	return a->arch == b->arch && !strcmp(a->name, name) &&
	       a->n_argidx == b->n_argidx &&
	       !memcmp(a->tuple, b->tuple, sizeof(a->tuple));
}

enum sk_answer sk_ask_find(const struct sk_ask *a, uint32_t arch, int nr,
			   const uint64_t args[6])
{
	struct sk_ask_entry k;
	char name[64];

	if (key_of(arch, nr, args, &k, name, sizeof(name)))
		return SK_ANSWER_NONE;
	for (size_t i = 0; i < a->n; i++)
		if (same_key(&a->e[i], &k, name))
			return a->e[i].answer;
	return SK_ANSWER_NONE;
}

int sk_ask_remember(struct sk_ask *a, uint32_t arch, int nr,
		    const uint64_t args[6], uint32_t profile_ret,
		    enum sk_answer answer)
{
	struct sk_ask_entry k;
	char name[64];

	if (answer == SK_ANSWER_ONCE || answer == SK_ANSWER_NONE)
		return 0;
	if (key_of(arch, nr, args, &k, name, sizeof(name)))
		return -ENOENT;
	for (size_t i = 0; i < a->n; i++) {
		if (same_key(&a->e[i], &k, name)) {
			a->e[i].answer = answer;
			return 0;
		}
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		struct sk_ask_entry *e = realloc(a->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		a->e = e;
		a->cap = cap;
	}
	k.name = strdup(name);
	if (!k.name)
		return -ENOMEM;
	k.answer = answer;
	k.profile_ret = profile_ret;
	a->e[a->n++] = k;
	return 0;
}

void sk_ask_verdict(enum sk_answer answer, struct sk_verdict *v)
{
	v->error = 0;
	switch (answer) {
	case SK_ANSWER_EPERM:
		v->kind = SK_VERDICT_ERRNO;
		v->error = EPERM;
		break;
	case SK_ANSWER_ENOSYS:
		v->kind = SK_VERDICT_ERRNO;
		v->error = ENOSYS;
		break;
	case SK_ANSWER_KILL:
		v->kind = SK_VERDICT_KILL_PROCESS;
		break;
	default:
		v->kind = SK_VERDICT_CONTINUE;
		break;
	}
}

enum sk_answer sk_ask_parse(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	switch (tolower((unsigned char)*line)) {
	case 'o': return SK_ANSWER_ONCE;
	case 'a': return SK_ANSWER_ALWAYS;
	case 'e': return SK_ANSWER_EPERM;
	case 'n': return SK_ANSWER_ENOSYS;
	case 'k': return SK_ANSWER_KILL;
	}
	return SK_ANSWER_NONE;
}

size_t sk_ask_count(const struct sk_ask *a)
{
	return a->n;
}

const struct sk_ask_entry *sk_ask_get(const struct sk_ask *a, size_t i)
{
	return i < a->n ? &a->e[i] : NULL;
}

bool sk_ask_changes(const struct sk_ask_entry *e)
{
	struct sk_verdict p, v;

	sk_judge_verdict_of(e->profile_ret, &p);
	sk_ask_verdict(e->answer, &v);
	if (e->answer == SK_ANSWER_ALWAYS)
		return (e->profile_ret & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW;
	return p.kind != v.kind || p.error != v.error;
}

/* Whether the profile's filter covers arch (its arches and the native one). */
static bool covers(const struct sk_profile *p, uint32_t arch)
{
	if (arch == sk_arch_native())
		return true;
	for (size_t i = 0; i < p->n_arches; i++)
		if (p->arches[i] == arch)
			return true;
	return false;
}

/* Whether the knowledge table compares the same positions of name on a and b. */
static bool same_positions(const struct sk_argspec *a, const struct sk_argspec *b)
{
	unsigned na = a ? a->n : 0, nb = b ? b->n : 0;

	if (na != nb)
		return false;
	for (unsigned i = 0; i < na; i++)
		if (a->pos[i].index != b->pos[i].index)
			return false;
	return true;
}

/* Another arch of p where name's rule compares what it cannot here; 0: none. */
static uint32_t other_arch_with_args(const struct sk_profile *p, uint32_t arch,
				     const char *name)
{
	const struct sk_argspec *here = sk_argspec_find(arch, name);
	uint32_t all[32];
	size_t n = 0;

	all[n++] = sk_arch_native();
	for (size_t i = 0; i < p->n_arches && n < 32; i++)
		all[n++] = p->arches[i];
	for (size_t i = 0; i < n; i++) {
		const struct sk_argspec *there = sk_argspec_find(all[i], name);

		if (all[i] != arch && there && there->n && !same_positions(here, there))
			return all[i];
	}
	return 0;
}

int sk_ask_refused(const struct sk_profile *p, uint32_t arch, int nr,
		   char *why, size_t len)
{
	char name[64], a[32], b[32];
	uint32_t other;

	sk_arch_classify(&arch, &nr);
	if (sk_syscall_name(arch, nr, name, sizeof(name)))
		return 0;
	sk_denial_arch(arch, a, sizeof(a));
	if (!covers(p, arch)) {
		snprintf(why, len, "it would add the %s architecture to %s, and with it every call the profile allows for %s programs",
			 a, p->file, a);
		return 1;
	}
	other = other_arch_with_args(p, arch, name);
	if (!other)
		return 0;
	sk_denial_arch(other, b, sizeof(b));
	snprintf(why, len, "a rule cannot compare %s's arguments on %s, and a rule is by name for every architecture: it would allow %s whatever its arguments on %s too, dropping the comparison there",
		 name, a, name, b);
	return 1;
}

/* ---- the refined profile ---- */

/* The rule action of an answer group. */
static void group_action(enum sk_answer g, struct sk_rule *r)
{
	r->has_errno = g == SK_ANSWER_EPERM || g == SK_ANSWER_ENOSYS;
	r->errno_ret = g == SK_ANSWER_EPERM ? EPERM : g == SK_ANSWER_ENOSYS ? ENOSYS : 0;
	r->action = g == SK_ANSWER_ALWAYS ? SK_ACT_ALLOW :
		    g == SK_ANSWER_KILL ? SK_ACT_KILL_PROCESS : SK_ACT_ERRNO;
}

static const char *group_comment(enum sk_answer g)
{
	switch (g) {
	case SK_ANSWER_ALWAYS: return "scmp-apply --ask: allowed at the prompt";
	case SK_ANSWER_EPERM: return "scmp-apply --ask: denied with EPERM at the prompt";
	case SK_ANSWER_ENOSYS: return "scmp-apply --ask: denied with ENOSYS at the prompt";
	default: return "scmp-apply --ask: killed at the prompt";
	}
}

/* Adds e's tuple to the trace entry of its (arch, name); 0 or -ENOMEM. */
static int trace_add(struct sk_trace *t, const struct sk_ask_entry *e)
{
	struct sk_trace_sys *s = NULL;
	uint64_t *tu;

	for (size_t i = 0; i < t->n_sys; i++)
		if (t->sys[i].arch == e->arch && !strcmp(t->sys[i].name, e->name))
			s = &t->sys[i];
	if (!s) {
		s = sk_trace_add_sys(t, e->arch, e->nr, e->name);
		if (!s)
			return -ENOMEM;
		s->n_argidx = e->n_argidx;
		memcpy(s->argidx, e->argidx, sizeof(s->argidx));
	}
	s->count++;
	if (!s->n_argidx)
		return 0;
	tu = realloc(s->tuples, (s->n_tuples + 1) * s->n_argidx * sizeof(*tu));
	if (!tu)
		return -ENOMEM;
	s->tuples = tu;
	memcpy(tu + s->n_tuples * s->n_argidx, e->tuple, s->n_argidx * sizeof(*tu));
	s->n_tuples++;
	return 0;
}

/* A trace of the answers of group g that change p and may; NULL on ENOMEM. */
static struct sk_trace *group_trace(const struct sk_ask *a, enum sk_answer g,
				    const struct sk_profile *p)
{
	struct sk_trace *t = sk_trace_new();
	char why[512];

	if (!t)
		return NULL;
	t->machine = sk_arch_native();
	for (size_t i = 0; i < a->n; i++) {
		if (a->e[i].answer != g || !sk_ask_changes(&a->e[i]) ||
		    sk_ask_refused(p, a->e[i].arch, a->e[i].nr, why, sizeof(why)))
			continue;
		if (trace_add(t, &a->e[i])) {
			sk_trace_free(t);
			return NULL;
		}
	}
	for (size_t i = 0; i < t->n_sys; i++)
		if (t->sys[i].n_tuples > 1)
			qsort_r(t->sys[i].tuples, t->sys[i].n_tuples,
				t->sys[i].n_argidx * sizeof(uint64_t), sk_tuple_cmp,
				&t->sys[i].n_argidx);
	return t;
}

static bool in_trace(const struct sk_trace *t, const char *name)
{
	for (size_t i = 0; i < t->n_sys; i++)
		if (!strcmp(t->sys[i].name, name))
			return true;
	return false;
}

/* Keeps the names of r that t holds (the ones the user answered for, not
 * the calls scmp-gen adds to every profile); how many are left. */
static size_t keep_names(struct sk_rule *r, const struct sk_trace *t)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n_names; i++) {
		if (in_trace(t, r->names[i]))
			r->names[k++] = r->names[i];
		else
			free(r->names[i]);
	}
	r->n_names = k;
	return k;
}

/* Moves the rules of group g into add (out of a generated profile). */
static int group_rules(const struct sk_ask *a, enum sk_answer g, const struct sk_profile *p,
		       struct sk_profile *add, struct sk_err *err)
{
	struct sk_gen_opts go;
	struct sk_warn w = { 0 };
	struct sk_profile *gp = NULL;
	struct sk_trace *t = group_trace(a, g, p);
	struct sk_gen *gen = sk_gen_new();
	int ret = 0;

	if (!t || !gen) {
		ret = sk_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if (!t->n_sys)
		goto out;
	sk_gen_opts_init(&go);
	go.args = SK_GEN_ARGS_TUPLES;
	go.max_values = 4096;
	ret = sk_gen_add_trace(gen, t, "--ask", &w, err);
	if (!ret)
		ret = sk_gen_profile(gen, &go, &gp, NULL, &w, err);
	for (size_t i = 0; !ret && i < gp->n_rules; i++) {
		struct sk_rule *r = &gp->rules[i], *grown;

		if (!keep_names(r, t))
			continue;
		grown = realloc(add->rules, (add->n_rules + 1) * sizeof(*grown));
		if (!grown) {
			ret = sk_err_set(err, ENOMEM, "out of memory");
			break;
		}
		add->rules = grown;
		free(r->comment);
		r->comment = strdup(group_comment(g));
		group_action(g, r);
		add->rules[add->n_rules++] = *r;
		memset(r, 0, sizeof(*r)); /* moved: nothing left to free here */
	}
out:
	sk_warn_clear(&w);
	sk_profile_free(gp);
	sk_gen_free(gen);
	sk_trace_free(t);
	return ret;
}

/* An answer the prompt would have refused (sk_ask_refused): left out, said. */
static int warn_refused(const struct sk_ask *a, const struct sk_profile *p,
			struct sk_warn *warn, struct sk_err *err)
{
	char why[512];

	for (size_t i = 0; i < a->n; i++) {
		if (!sk_ask_changes(&a->e[i]) ||
		    !sk_ask_refused(p, a->e[i].arch, a->e[i].nr, why, sizeof(why)))
			continue;
		if (sk_warn_add(warn, "%s: the answer for %s is left out: %s", p->file,
				a->e[i].name, why))
			return sk_err_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

static bool same_args(const struct sk_rule *a, const struct sk_rule *b)
{
	if (a->n_args != b->n_args)
		return false;
	for (size_t i = 0; i < a->n_args; i++)
		if (a->args[i].index != b->args[i].index || a->args[i].op != b->args[i].op ||
		    a->args[i].value != b->args[i].value ||
		    a->args[i].value_two != b->args[i].value_two)
			return false;
	return true;
}

/* Takes name out of r; whether r is left without names. */
static bool drop_name(struct sk_rule *r, const char *name)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n_names; i++) {
		if (strcmp(r->names[i], name))
			r->names[k++] = r->names[i];
		else
			free(r->names[i]);
	}
	r->n_names = k;
	return !k;
}

/*
 * An answer replaces what p did with the same call and arguments (clone3's
 * ENOSYS rule, allowed always): the name leaves p's rule, and a rule left
 * without names goes.
 */
static void drop_conflicts(const struct sk_profile *add, struct sk_profile *p)
{
	size_t k = 0;

	for (size_t i = 0; i < p->n_rules; i++) {
		struct sk_rule *r = &p->rules[i];
		bool empty = false;

		for (size_t a = 0; a < add->n_rules && !empty; a++) {
			const struct sk_rule *x = &add->rules[a];

			if (!same_args(x, r) ||
			    (x->action == r->action && x->errno_ret == r->errno_ret))
				continue;
			for (size_t n = 0; n < x->n_names && !empty; n++)
				empty = drop_name(r, x->names[n]);
		}
		if (empty)
			sk_rule_clear(r);
		else
			p->rules[k++] = *r;
	}
	p->n_rules = k;
}

int sk_ask_refine(const struct sk_ask *a, struct sk_profile *p,
		  struct sk_warn *warn, struct sk_err *err)
{
	static const enum sk_answer groups[] = {
		SK_ANSWER_ALWAYS, SK_ANSWER_EPERM, SK_ANSWER_ENOSYS, SK_ANSWER_KILL,
	};
	struct sk_profile *add = sk_profile_new();
	struct sk_rule *all;
	int ret = 0, n;

	if (!add)
		return sk_err_set(err, ENOMEM, "out of memory");
	for (size_t g = 0; !ret && g < sizeof(groups) / sizeof(groups[0]); g++)
		ret = group_rules(a, groups[g], p, add, err);
	if (!ret)
		ret = warn_refused(a, p, warn, err);
	if (!ret)
		drop_conflicts(add, p);
	if (!ret && add->n_rules) {
		all = realloc(add->rules, (add->n_rules + p->n_rules) * sizeof(*all));
		if (!all) {
			ret = sk_err_set(err, ENOMEM, "out of memory");
		} else {
			/* Listed first: the first rule wins (sk_filter_build). */
			if (p->n_rules)
				memcpy(all + add->n_rules, p->rules, p->n_rules * sizeof(*all));
			free(p->rules);
			p->rules = all;
			p->n_rules += add->n_rules;
			add->rules = NULL;
		}
	}
	n = (int)add->n_rules;
	if (ret)
		n = ret;
	else
		add->n_rules = 0;
	sk_profile_free(add);
	return n;
}
