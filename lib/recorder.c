/* SPDX-License-Identifier: MIT */
/*
 * The recorder (recorder.h).  All tables are sized and allocated up front in
 * sk_rec_new(); the per-syscall functions only index and bump them.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "argknow.h"
#include "scmpkit/recorder.h"

#define ARCH_MAX 4
#define EXE_WORDS (SK_REC_EXE_MAX / 64)
#define ERR_SLOTS 12     /* distinct errnos per syscall; more go to "other" */
#define OTHER_MAX 64     /* syscall numbers beyond the direct tables */

struct argset {
	uint16_t n;
	uint8_t unbounded;
	uint64_t v[SK_REC_TUPLES][SK_ARGS_MAX];
};

struct errslot {
	int err;             /* 0: free; -1: the overflow bucket */
	uint64_t count;
};

struct slot {
	uint64_t count;
	uint64_t exe[EXE_WORDS];
	const struct sk_argspec *spec; /* NULL: no argument recorded */
	struct argset *args;
	struct errslot errs[ERR_SLOTS];
};

struct other {               /* an (arch, nr) outside the direct tables */
	uint32_t arch;
	int nr;
	struct slot s;
};

struct sk_rec {
	size_t n_arch;
	uint32_t arch[ARCH_MAX];
	struct slot *slots;  /* n_arch * SK_REC_NR_MAX */
	struct other other[OTHER_MAX];
	uint64_t other_dropped;
	uint64_t total;
	int saw_results;
	uint64_t processes, threads;
	size_t n_exe;
	char *exe[SK_REC_EXE_MAX];
};

/*
 * Whether name's listed positions hold values on arch: the table's answer
 * (argknow.h), which says no for i386's old mmap (a pointer to a struct),
 * for names libseccomp multiplexes through socketcall or ipc there, and
 * for the other (arch, name) pairs whose arguments are behind a pointer.
 */
static int spec_applies(uint32_t arch, const char *name)
{
	return sk_argspec_find(arch, name) != NULL;
}

struct sk_rec *sk_rec_new(void)
{
	struct sk_rec *r = calloc(1, sizeof(*r));
	const struct sk_argspec *tab;
	unsigned n_tab;

	if (!r)
		return NULL;
	r->n_arch = sk_arch_host(r->arch, ARCH_MAX);
	if (r->n_arch > ARCH_MAX)
		r->n_arch = ARCH_MAX;
	r->slots = calloc(r->n_arch * SK_REC_NR_MAX, sizeof(*r->slots));
	if (!r->slots)
		goto fail;
	tab = sk_argspec_table(&n_tab);
	for (size_t a = 0; a < r->n_arch; a++) {
		for (unsigned i = 0; i < n_tab; i++) {
			int nr = sk_syscall_nr(r->arch[a], tab[i].name);
			struct slot *s;

			if (nr < 0 || !spec_applies(r->arch[a], tab[i].name))
				continue;
			nr &= ~SK_X32_SYSCALL_BIT;
			if (nr >= SK_REC_NR_MAX)
				continue;
			s = &r->slots[a * SK_REC_NR_MAX + nr];
			s->spec = &tab[i];
			s->args = calloc(1, sizeof(*s->args));
			if (!s->args)
				goto fail;
		}
	}
	return r;
fail:
	sk_rec_free(r);
	return NULL;
}

void sk_rec_free(struct sk_rec *r)
{
	if (!r)
		return;
	if (r->slots)
		for (size_t i = 0; i < r->n_arch * SK_REC_NR_MAX; i++)
			free(r->slots[i].args);
	free(r->slots);
	for (size_t i = 0; i < r->n_exe; i++)
		free(r->exe[i]);
	free(r);
}

/* The slot for (arch, nr): direct table, else the small overflow table. */
static struct slot *find_slot(struct sk_rec *r, uint32_t arch, int nr,
			      int create)
{
	int idx = nr;

	if (arch == SCMP_ARCH_X32)
		idx &= ~SK_X32_SYSCALL_BIT;
	for (size_t a = 0; a < r->n_arch; a++)
		if (r->arch[a] == arch && idx >= 0 && idx < SK_REC_NR_MAX)
			return &r->slots[a * SK_REC_NR_MAX + idx];
	for (size_t i = 0; i < OTHER_MAX; i++) {
		struct other *o = &r->other[i];

		if (o->s.count && o->arch == arch && o->nr == nr)
			return &o->s;
		if (!o->s.count) {
			if (!create)
				return NULL;
			o->arch = arch;
			o->nr = nr;
			return &o->s;
		}
	}
	return NULL;
}

static void add_tuple(struct argset *set, const struct sk_argspec *spec,
		      const uint64_t args[6])
{
	uint64_t t[SK_ARGS_MAX] = { 0 };

	for (unsigned i = 0; i < spec->n; i++)
		t[i] = args[spec->pos[i].index] & spec->pos[i].mask;
	for (unsigned k = 0; k < set->n; k++)
		if (!memcmp(set->v[k], t, sizeof(t)))
			return;
	if (set->n == SK_REC_TUPLES) {
		set->unbounded = 1;
		return;
	}
	memcpy(set->v[set->n++], t, sizeof(t));
}

/* Adds count calls of (arch, nr) by exe; the slot, or NULL when none is
 * left (counted as dropped) or count is 0 and there is none yet. */
static struct slot *count_calls(struct sk_rec *r, uint32_t arch, int nr,
				uint64_t count, int exe)
{
	struct slot *s;

	sk_arch_classify(&arch, &nr);
	r->total += count;
	s = find_slot(r, arch, nr, count > 0);
	if (!s) {
		if (count)
			r->other_dropped++;
		return NULL;
	}
	s->count += count;
	if (exe >= 0 && exe < SK_REC_EXE_MAX)
		s->exe[exe / 64] |= 1ULL << (exe % 64);
	return s;
}

void sk_rec_syscall(struct sk_rec *r, uint32_t arch, int nr,
		    const uint64_t args[6], int exe)
{
	struct slot *s = count_calls(r, arch, nr, 1, exe);

	if (s && s->args)
		add_tuple(s->args, s->spec, args);
}

void sk_rec_result(struct sk_rec *r, uint32_t arch, int nr, long ret)
{
	sk_rec_add_result(r, arch, nr, ret, 1);
}

const char *sk_rec_exe_name(const struct sk_rec *r, int exe)
{
	return exe >= 0 && (size_t)exe < r->n_exe ? r->exe[exe] : NULL;
}

int sk_rec_exe(struct sk_rec *r, const char *path)
{
	for (size_t i = 0; i < r->n_exe; i++)
		if (!strcmp(r->exe[i], path))
			return (int)i;
	if (r->n_exe == SK_REC_EXE_MAX)
		return -ENOSPC;
	r->exe[r->n_exe] = strdup(path);
	if (!r->exe[r->n_exe])
		return -ENOMEM;
	return (int)r->n_exe++;
}

void sk_rec_count_task(struct sk_rec *r, int is_thread)
{
	/* threads counts every task; processes the thread-group leaders. */
	r->threads++;
	if (!is_thread)
		r->processes++;
}

uint64_t sk_rec_total(const struct sk_rec *r)
{
	return r->total;
}

static int emit_slot(const struct sk_rec *r, struct sk_trace *t,
		     uint32_t arch, int nr, const struct slot *s)
{
	char name[64], ebuf[16];
	struct sk_trace_sys *ts;
	size_t n = 0;

	ts = sk_trace_add_sys(t, arch, nr,
			      sk_syscall_name(arch, nr, name, sizeof(name)) ?
			      NULL : name);
	if (!ts)
		return -ENOMEM;
	ts->count = s->count;
	ts->exe = calloc(SK_REC_EXE_MAX, sizeof(*ts->exe));
	if (!ts->exe)
		return -ENOMEM;
	for (int e = 0; e < SK_REC_EXE_MAX && e < (int)r->n_exe; e++)
		if ((s->exe[e / 64] >> (e % 64)) & 1)
			ts->exe[n++] = (unsigned)e;
	ts->n_exe = n;
	if (s->args) {
		unsigned w = s->spec->n;

		ts->n_argidx = w;
		for (unsigned i = 0; i < w; i++)
			ts->argidx[i] = s->spec->pos[i].index;
		ts->args_unbounded = s->args->unbounded;
		ts->tuples = calloc((size_t)s->args->n * w + 1, sizeof(uint64_t));
		if (!ts->tuples)
			return -ENOMEM;
		for (unsigned k = 0; k < s->args->n; k++)
			memcpy(&ts->tuples[k * w], s->args->v[k], w * sizeof(uint64_t));
		ts->n_tuples = s->args->n;
		qsort_r(ts->tuples, ts->n_tuples, w * sizeof(uint64_t),
			sk_tuple_cmp, &w);
	}
	if (!r->saw_results)
		return 0;
	ts->has_errors = true;
	ts->errors = calloc(ERR_SLOTS, sizeof(*ts->errors));
	if (!ts->errors)
		return -ENOMEM;
	for (int i = 0; i < ERR_SLOTS && s->errs[i].err; i++) {
		const char *en = s->errs[i].err > 0 ? sk_errno_name(s->errs[i].err) : NULL;

		if (!en) {
			snprintf(ebuf, sizeof(ebuf), s->errs[i].err > 0 ? "E%d" : "EOTHER",
				 s->errs[i].err);
			en = ebuf;
		}
		ts->errors[ts->n_errors].name = strdup(en);
		if (!ts->errors[ts->n_errors].name)
			return -ENOMEM;
		ts->errors[ts->n_errors++].count = s->errs[i].count;
	}
	return 0;
}

int sk_rec_to_trace(const struct sk_rec *r, struct sk_trace *t)
{
	int ret;

	for (size_t a = 0; a < r->n_arch; a++) {
		for (int nr = 0; nr < SK_REC_NR_MAX; nr++) {
			const struct slot *s = &r->slots[a * SK_REC_NR_MAX + nr];
			int knr = nr;

			if (!s->count)
				continue;
			if (r->arch[a] == SCMP_ARCH_X32)
				knr |= SK_X32_SYSCALL_BIT;
			ret = emit_slot(r, t, r->arch[a], knr, s);
			if (ret)
				return ret;
		}
	}
	for (size_t i = 0; i < OTHER_MAX; i++) {
		if (!r->other[i].s.count)
			continue;
		ret = emit_slot(r, t, r->other[i].arch, r->other[i].nr,
				&r->other[i].s);
		if (ret)
			return ret;
	}
	t->executables = calloc(r->n_exe + 1, sizeof(char *));
	if (!t->executables)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_exe; i++) {
		t->executables[i] = strdup(r->exe[i]);
		if (!t->executables[i])
			return -ENOMEM;
		t->n_executables = i + 1;
	}
	t->processes = r->processes;
	t->threads = r->threads;
	if (r->other_dropped) {
		t->complete = false;
		free(t->incomplete_reason);
		t->incomplete_reason = strdup("more distinct syscall numbers than the recorder's overflow table holds");
	}
	sk_trace_sort(t);
	return 0;
}

/*
 * Bulk entry points, for a backend that aggregates in the kernel and reads
 * the totals once at the end (bpf_sys.c).  Not for the per-syscall path of
 * the others, though they only touch the fixed tables too.
 */
void sk_rec_add_count(struct sk_rec *r, uint32_t arch, int nr, uint64_t count,
		      int exe)
{
	count_calls(r, arch, nr, count, exe);
}

void sk_rec_add_args(struct sk_rec *r, uint32_t arch, int nr,
		     const uint64_t args[6], int unbounded)
{
	struct slot *s;

	sk_arch_classify(&arch, &nr);
	s = find_slot(r, arch, nr, 0);
	if (!s || !s->args)
		return;
	if (args)
		add_tuple(s->args, s->spec, args);
	if (unbounded)
		s->args->unbounded = 1;
}

void sk_rec_add_result(struct sk_rec *r, uint32_t arch, int nr, long ret,
		       uint64_t count)
{
	struct slot *s;
	int e;

	r->saw_results = 1;
	if (ret >= 0 || ret < -4095 || !count)
		return;
	e = (int)-ret;
	sk_arch_classify(&arch, &nr);
	s = find_slot(r, arch, nr, 0);
	if (!s)
		return;
	for (int i = 0; i < ERR_SLOTS - 1; i++) {
		struct errslot *es = &s->errs[i];

		if (es->err == 0)
			es->err = e;
		if (es->err == e) {
			es->count += count;
			return;
		}
	}
	/* Every slot taken by other errnos: count it as "other". */
	s->errs[ERR_SLOTS - 1].err = -1;
	s->errs[ERR_SLOTS - 1].count += count;
}
