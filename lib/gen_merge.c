/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen, step one (gen.h): the union of N traces, per syscall name.
 * Counts are summed, executables and argument tuples unioned; arches are
 * kept per name for --explain, although an OCI profile cannot tell them
 * apart within one filter (names resolve on every arch it covers).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "argknow.h"
#include "scmpkit/gen.h"

void sk_gen_opts_init(struct sk_gen_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->args = SK_GEN_ARGS_VALUES;
	o->max_values = 16;
	o->default_action = SK_ACT_KILL_PROCESS;
}

struct sk_gen *sk_gen_new(void)
{
	return calloc(1, sizeof(struct sk_gen));
}

static void sys_free(struct sk_gen_sys *s)
{
	free(s->name);
	for (size_t i = 0; i < s->n_exes; i++)
		free(s->exes[i]);
	free(s->exes);
	free(s->tuples);
	free(s->added);
}

void sk_gen_free(struct sk_gen *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_sys; i++)
		sys_free(&g->sys[i]);
	free(g->sys);
	for (size_t i = 0; i < g->n_traces; i++)
		free(g->files[i]);
	free(g->files);
	free(g);
}

/* Binary search; *at gets the insertion point when absent. */
static struct sk_gen_sys *lookup(const struct sk_gen *g, const char *name,
				 size_t *at)
{
	size_t lo = 0, hi = g->n_sys;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, g->sys[mid].name);

		if (!c)
			return &g->sys[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (at)
		*at = lo;
	return NULL;
}

const struct sk_gen_sys *sk_gen_find(const struct sk_gen *g, const char *name)
{
	return lookup(g, name, NULL);
}

/* The entry for name, created empty when absent; NULL on ENOMEM.  Pointers
 * into g->sys are invalid after the next call. */
struct sk_gen_sys *sk_gen_get(struct sk_gen *g, const char *name);

struct sk_gen_sys *sk_gen_get(struct sk_gen *g, const char *name)
{
	struct sk_gen_sys *s, *grown;
	size_t at = 0;
	char *copy;

	s = lookup(g, name, &at);
	if (s)
		return s;
	copy = strdup(name);
	grown = realloc(g->sys, (g->n_sys + 1) * sizeof(*g->sys));
	if (!copy || !grown) {
		free(copy);
		if (grown)
			g->sys = grown;
		return NULL;
	}
	g->sys = grown;
	memmove(&g->sys[at + 1], &g->sys[at], (g->n_sys - at) * sizeof(*g->sys));
	memset(&g->sys[at], 0, sizeof(g->sys[at]));
	g->sys[at].name = copy;
	g->n_sys++;
	return &g->sys[at];
}

/* Adds arch to a sorted set of at most SK_GEN_MAX_ARCHES. */
static void arch_add(uint32_t *set, size_t *n, uint32_t arch, bool by_name)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		int c;

		if (set[i] == arch)
			return;
		c = by_name ? strcmp(sk_arch_name(arch) ? sk_arch_name(arch) : "",
				     sk_arch_name(set[i]) ? sk_arch_name(set[i]) : "")
			    : (arch < set[i] ? -1 : 1);
		if (c < 0)
			break;
	}
	if (*n >= SK_GEN_MAX_ARCHES)
		return;
	memmove(&set[i + 1], &set[i], (*n - i) * sizeof(*set));
	set[i] = arch;
	(*n)++;
}

void sk_gen_sys_arch(struct sk_gen_sys *s, uint32_t arch)
{
	arch_add(s->arches, &s->n_arches, arch, false);
}

static int add_exe(struct sk_gen_sys *s, const char *exe)
{
	size_t i;
	char **grown, *copy;

	for (i = 0; i < s->n_exes; i++) {
		int c = strcmp(exe, s->exes[i]);

		if (!c)
			return 0;
		if (c < 0)
			break;
	}
	copy = strdup(exe);
	grown = realloc(s->exes, (s->n_exes + 1) * sizeof(*s->exes));
	if (!copy || !grown) {
		free(copy);
		if (grown)
			s->exes = grown;
		return -ENOMEM;
	}
	s->exes = grown;
	memmove(&s->exes[i + 1], &s->exes[i], (s->n_exes - i) * sizeof(*s->exes));
	s->exes[i] = copy;
	s->n_exes++;
	return 0;
}

static int cmp_row(const uint64_t *a, const uint64_t *b, unsigned w)
{
	for (unsigned i = 0; i < w; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

int sk_gen_sys_add_rows(struct sk_gen_sys *s, const uint64_t *b, size_t nb)
{
	unsigned w = s->n_argidx;
	size_t na = s->n_tuples, i = 0, j = 0, n = 0;
	uint64_t *out;

	if (!w || !nb)
		return 0;
	out = calloc((na + nb) * w, sizeof(*out));
	if (!out)
		return -ENOMEM;
	while (i < na || j < nb) {
		const uint64_t *ra = i < na ? &s->tuples[i * w] : NULL;
		const uint64_t *rb = j < nb ? &b[j * w] : NULL;
		int c = !ra ? 1 : !rb ? -1 : cmp_row(ra, rb, w);

		if (n && cmp_row(c <= 0 ? ra : rb, &out[(n - 1) * w], w) == 0) {
			/* duplicate of the last row out (unsorted input guard) */
		} else {
			memcpy(&out[n * w], c <= 0 ? ra : rb, w * sizeof(*out));
			n++;
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	free(s->tuples);
	s->tuples = out;
	s->n_tuples = n;
	return 0;
}

static int cmp_row_q(const void *a, const void *b, void *w)
{
	return cmp_row(a, b, *(unsigned *)w);
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* Merges one trace entry into the per-name entry. */
static int merge_sys(struct sk_gen *g, struct sk_gen_sys *s,
		     const struct sk_trace *t, const struct sk_trace_sys *ts)
{
	bool first = s->n_arches == 0;
	struct sk_argnot why;
	uint64_t *rows = NULL;
	int ret;

	/* The runtime's calls are counted apart: what the program made is
	 * what "observed" means. */
	if (ts->runtime)
		s->n_runtime = add_sat(s->n_runtime, ts->count);
	else
		s->count = add_sat(s->count, ts->count);
	if (s->last_trace != g->n_traces + 1) {
		s->last_trace = g->n_traces + 1;
		s->n_traces++;
	}
	for (size_t i = 0; i < ts->n_exe; i++) {
		if (ts->exe[i] < t->n_executables &&
		    (ret = add_exe(s, t->executables[ts->exe[i]])))
			return ret;
	}
	for (size_t i = 0; i < ts->n_errors; i++) {
		if (!strcmp(ts->errors[i].name, "ENOSYS"))
			s->n_enosys += ts->errors[i].count;
		else
			s->n_other_errors += ts->errors[i].count;
	}
	s->has_errors = first ? ts->has_errors : s->has_errors && ts->has_errors;
	sk_gen_sys_arch(s, ts->arch);
	/* Values "recorded" where the positions hold none (i386's old mmap, a
	 * name libseccomp multiplexes there) would mean nothing: such an entry
	 * says the call was made, not with what.  scmp-trace never writes them;
	 * another writer's are ignored. */
	if (!sk_argnot_find(ts->arch, ts->name, &why))
		return 0;
	if (!s->args_set) {
		s->args_set = true;
		s->n_argidx = ts->n_argidx;
		memcpy(s->argidx, ts->argidx, sizeof(s->argidx));
	} else if (s->n_argidx != ts->n_argidx ||
		   memcmp(s->argidx, ts->argidx, ts->n_argidx * sizeof(unsigned))) {
		s->args_mismatch = true;
	}
	s->args_unbounded |= ts->args_unbounded;
	if (s->args_mismatch || s->args_unbounded || !ts->n_argidx) {
		free(s->tuples);
		s->tuples = NULL;
		s->n_tuples = 0;
		return 0;
	}
	/* The parser checks that rows are sorted; sort a copy anyway. */
	if (ts->n_tuples) {
		unsigned w = ts->n_argidx;

		rows = malloc(ts->n_tuples * w * sizeof(*rows));
		if (!rows)
			return -ENOMEM;
		memcpy(rows, ts->tuples, ts->n_tuples * w * sizeof(*rows));
		qsort_r(rows, ts->n_tuples, w * sizeof(*rows), cmp_row_q, &w);
	}
	ret = sk_gen_sys_add_rows(s, rows, ts->n_tuples);
	free(rows);
	return ret;
}

int sk_gen_add_trace(struct sk_gen *g, const struct sk_trace *t,
		     const char *file, struct sk_warn *warn,
		     struct sk_err *err)
{
	char **files;
	int ret;

	files = realloc(g->files, (g->n_traces + 1) * sizeof(*files));
	if (!files)
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	g->files = files;
	if (!(g->files[g->n_traces] = strdup(file)))
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	if (t->container && t->container->start && !strcmp(t->container->start, "filter"))
		g->under_filter = true;
	if (t->attached &&
	    sk_warn_add(warn, "%s: recorded by attaching to a running process (scmp-trace -p): what it did before the attach (start-up, configuration, first connections) is not in it; merge a trace of a full run",
			file))
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	for (size_t i = 0; i < t->n_sys; i++) {
		const struct sk_trace_sys *ts = &t->sys[i];
		struct sk_gen_sys *s;

		if (!ts->name) {
			const char *an = sk_arch_name(ts->arch);

			if (sk_warn_add(warn, "%s: %s syscall %d has no name in this libseccomp; skipped (%llu call%s)",
					file, an ? an : "unknown arch", ts->nr,
					(unsigned long long)ts->count,
					ts->count == 1 ? "" : "s"))
				return sk_err_set(err, ENOMEM, "%s: out of memory", file);
			continue;
		}
		s = sk_gen_get(g, ts->name);
		if (!s || (ret = merge_sys(g, s, t, ts)))
			return sk_err_set(err, ENOMEM, "%s: out of memory", file);
		arch_add(g->arches, &g->n_arches, ts->arch, true);
		if (t->machine)
			arch_add(s->hosts, &s->n_hosts, t->machine, true);
	}
	if (t->machine)
		arch_add(g->hosts, &g->n_hosts, t->machine, true);
	else
		g->host_unknown = true;
	g->n_traces++;
	return 0;
}
