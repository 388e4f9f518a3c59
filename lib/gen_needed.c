/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen: the calls every program needs whether or not a trace saw them
 * (gen_plan.h), each with the reason --explain gives.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "gen_plan.h"

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* Calls every program may make on paths a trace rarely covers. */
static const struct needed {
	const char *name;
	const char *why;
} always[] = {
	{ "exit", "always needed: a thread's exit (pthread_exit, the last call of every thread)" },
	{ "exit_group", "always needed: the process's exit" },
	{ "restart_syscall", "always needed: the kernel restarts an interrupted sleep with it after a stop signal" },
	{ "rt_sigreturn", "always needed: the return from every signal handler" },
	{ "sigreturn", "always needed: the return from a signal handler without SA_SIGINFO (32-bit)" },
};

/* The vDSO calls: when one reached the kernel, the clock source has no
 * vDSO support here and any of them may. */
static const char *const vdso_calls[] = {
	"clock_getres", "clock_getres_time64", "clock_gettime",
	"clock_gettime64", "getcpu", "gettimeofday", "time",
};
static const char vdso_why[] =
	"needed: a vDSO time call reached the kernel, so the others may too (no vDSO clock source)";

/* glibc's abort(): unblock SIGABRT, raise it (pthread_kill on self), reset
 * the handler and raise again. */
static const char *const abort_calls[] = {
	"getpid", "gettid", "rt_sigaction", "rt_sigprocmask", "tgkill",
};
static const char abort_why[] =
	"needed: glibc's abort() path (rt_sigprocmask, getpid, gettid, tgkill SIGABRT, rt_sigaction)";

static bool seen(const struct sk_gen *g, const char *name)
{
	const struct sk_gen_sys *s = sk_gen_find(g, name);

	return s && s->count > 0;
}

/* Whether row v (one position) is among s's recorded values. */
static bool has_row(const struct sk_gen_sys *s, uint64_t v)
{
	for (size_t t = 0; t < s->n_tuples; t++)
		if (s->tuples[t] == v)
			return true;
	return false;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/*
 * Adds values (n of them, one position: the table must record exactly one
 * position for s) to s's rows; each one not recorded yet is kept in
 * s->added with its origin and reason.  0 or -ENOMEM.
 */
static int add_rows(struct sk_gen_sys *s, const uint64_t *values, size_t n,
		    enum sk_origin origin, const char *why)
{
	const struct sk_argspec *spec = sk_argspec_row(s->name);
	uint64_t *rows = NULL;
	struct sk_gen_added *added;
	size_t nr = 0;
	int ret;

	if (!n || !spec || spec->n != 1 || s->n_argidx != 1 ||
	    s->argidx[0] != spec->pos[0].index || s->args_unbounded ||
	    s->args_mismatch)
		return 0;
	rows = calloc(n, sizeof(*rows));
	added = realloc(s->added, (s->n_added + n) * sizeof(*added));
	if (added)
		s->added = added;
	if (!rows || !added) {
		free(rows);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t v = values[i] & spec->pos[0].mask;
		bool dup = has_row(s, v);

		for (size_t k = 0; k < nr && !dup; k++)
			dup = rows[k] == v;
		if (dup)
			continue;
		rows[nr++] = v;
		s->added[s->n_added++] = (struct sk_gen_added){
			.value = v, .origin = origin, .why = why };
	}
	/* Sorted and unique, as sk_gen_sys_add_rows wants them. */
	qsort(rows, nr, sizeof(*rows), cmp_u64);
	ret = sk_gen_sys_add_rows(s, rows, nr);
	free(rows);
	return ret;
}

/*
 * Adds name on every observed arch where it exists, with a reason; values
 * (n of them) as rows added for origin with the reason why (add_rows).
 */
static int add_needed(struct sk_gen *g, struct sk_err *err, const char *name,
		      const char *needed, const uint64_t *values, size_t n,
		      enum sk_origin origin, const char *why)
{
	const struct sk_argspec *spec = sk_argspec_row(name);
	struct sk_gen_sys *s = NULL;

	for (size_t a = 0; a < g->n_arches; a++) {
		if (sk_syscall_nr(g->arches[a], name) < 0)
			continue;
		if (!s && !(s = sk_gen_get(g, name)))
			return sk_err_set(err, ENOMEM, "out of memory");
		if (s->n_arches == 0 && spec && spec->n == 1) {
			s->args_set = true;
			s->n_argidx = 1;
			s->argidx[0] = spec->pos[0].index;
		}
		sk_gen_sys_arch(s, g->arches[a]);
	}
	if (!s)
		return 0;
	if (needed && !s->needed)
		s->needed = needed;
	if (add_rows(s, values, n, origin, why))
		return sk_err_set(err, ENOMEM, "out of memory");
	return 0;
}

static const char reraise_why[] =
	"signal: the program sets a handler for it (rt_sigaction) and may re-raise it after the handler, as dash and sort do on Ctrl-C";

/*
 * The signals the traces saw a handler set for (sk_argknow_sighandler's
 * calls; SIGKILL and SIGSTOP cannot have one) into sigs, sorted, unique;
 * their count.
 */
static size_t handled_signals(const struct sk_gen *g, uint64_t sigs[64])
{
	unsigned n_calls;
	const char *const *calls = sk_argknow_sighandler(&n_calls);
	bool set[65] = { false };
	size_t n = 0;

	for (unsigned c = 0; c < n_calls; c++) {
		const struct sk_gen_sys *s = sk_gen_find(g, calls[c]);

		for (size_t t = 0; s && s->count && s->n_argidx == 1 &&
				   t < s->n_tuples; t++) {
			uint64_t v = s->tuples[t];

			if (v >= 1 && v <= 64 && v != SIGKILL && v != SIGSTOP)
				set[v] = true;
		}
	}
	for (uint64_t v = 1; v <= 64; v++)
		if (set[v])
			sigs[n++] = v;
	return n;
}

/* Each calls that re-raises a handled signal gets that signal allowed. */
static int add_reraise(struct sk_gen *g, struct sk_err *err)
{
	uint64_t sigs[64];
	size_t n = handled_signals(g, sigs);
	unsigned n_send;
	const struct sk_sigsend *send = sk_argknow_sigsend(&n_send);
	int ret;

	for (unsigned i = 0; n && i < n_send; i++)
		if ((ret = add_needed(g, err, send[i].name, reraise_why, sigs, n,
				      SK_ORIGIN_SIGNAL, reraise_why)))
			return ret;
	return 0;
}

/*
 * --runtime: each call sel's runtimes make under the filter (runtime.h),
 * with the values they pass where the knowledge table watches one
 * position, on every observed arch where it exists; s->runtime gets the
 * rules' comment and s->rt_calls the table's rows, for --explain.
 */
int sk_gen_add_runtime(struct sk_gen *g, const struct sk_runtime_sel *sel,
		       struct sk_err *err)
{
	unsigned n;
	const struct sk_runtime_call *c = sk_runtime_calls(&n);

	for (unsigned i = 0; sel && i < n; i++) {
		struct sk_gen_sys *s;
		int ret;

		if (!sk_runtime_selects(sel, &c[i]))
			continue;
		if ((ret = add_needed(g, err, c[i].name, NULL, c[i].values,
				      c[i].n_values, SK_ORIGIN_RUNTIME,
				      sel->comment)))
			return ret;
		if (!sk_gen_find(g, c[i].name))
			continue; /* no arch of the profile knows it */
		if (!(s = sk_gen_get(g, c[i].name)))
			return sk_err_set(err, ENOMEM, "out of memory");
		s->runtime = sel->comment;
		if (s->n_rt_calls < COUNT(s->rt_calls))
			s->rt_calls[s->n_rt_calls++] = &c[i];
	}
	return 0;
}

bool sk_gen_clone3_enosys(const struct sk_gen *g)
{
	return (seen(g, "clone3") || g->under_filter) && seen(g, "clone");
}

int sk_gen_add_needed(struct sk_gen *g, struct sk_err *err)
{
	static const uint64_t sigabrt = SIGABRT;
	/* What glibc passes to clone when clone3 fails with ENOSYS:
	 * pthread_create's flags and posix_spawn's. */
	static const uint64_t clone_fallback[] = {
		CLONE_VM | CLONE_VFORK | SIGCHLD,
		CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
			CLONE_CHILD_CLEARTID,
	};
	bool vdso = false, abrt = seen(g, "rt_sigaction") || seen(g, "tgkill");
	int ret;

	for (size_t i = 0; i < COUNT(vdso_calls); i++)
		vdso |= seen(g, vdso_calls[i]);
	for (size_t i = 0; i < COUNT(always); i++)
		if ((ret = add_needed(g, err, always[i].name, always[i].why,
				      NULL, 0, SK_ORIGIN_NEEDED, NULL)))
			return ret;
	for (size_t i = 0; vdso && i < COUNT(vdso_calls); i++)
		if ((ret = add_needed(g, err, vdso_calls[i], vdso_why, NULL, 0,
				      SK_ORIGIN_NEEDED, NULL)))
			return ret;
	for (size_t i = 0; abrt && i < COUNT(abort_calls); i++) {
		bool tg = !strcmp(abort_calls[i], "tgkill");

		if ((ret = add_needed(g, err, abort_calls[i], abort_why,
				      tg ? &sigabrt : NULL, tg,
				      SK_ORIGIN_NEEDED, abort_why)))
			return ret;
	}
	if ((ret = add_reraise(g, err)))
		return ret;
	/* Recorded under a container's filter that answered clone3 (libc
	 * tries it first) with ENOSYS: the trace has only the fallback. */
	if (g->under_filter && seen(g, "clone") && !seen(g, "clone3") &&
	    (ret = add_needed(g, err, "clone3", "needed: libc tries clone3 before clone; the container's filter the trace was recorded under answered it with ENOSYS, so the trace holds only the fallback",
			      NULL, 0, SK_ORIGIN_NEEDED, NULL)))
		return ret;
	if (sk_gen_clone3_enosys(g) &&
	    (ret = add_needed(g, err, "clone", NULL, clone_fallback,
			      COUNT(clone_fallback), SK_ORIGIN_NEEDED,
			      "needed: glibc's fallback flags for pthread_create and posix_spawn, since clone3 gets ENOSYS")))
		return ret;
	return 0;
}

