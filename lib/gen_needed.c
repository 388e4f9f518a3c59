/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen: the calls every program needs whether or not a trace saw them
 * (gen_plan.h), each with the reason --explain gives.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
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

/*
 * Adds name on every observed arch where it exists, with a reason.  values
 * (n of them) are added as one-position rows when the knowledge table
 * records exactly one position for name.
 */
static int add_needed(struct sk_gen *g, struct sk_err *err, const char *name,
		      const char *why, const uint64_t *values, size_t n,
		      const char *synth_why)
{
	const struct sk_argspec *spec = sk_argspec_row(name);
	struct sk_gen_sys *s = NULL;
	bool fresh;

	for (size_t a = 0; a < g->n_arches; a++) {
		if (sk_syscall_nr(g->arches[a], name) < 0)
			continue;
		if (!s && !(s = sk_gen_get(g, name)))
			return sk_err_set(err, ENOMEM, "out of memory");
		fresh = s->n_arches == 0;
		if (fresh && spec && spec->n == 1) {
			s->args_set = true;
			s->n_argidx = 1;
			s->argidx[0] = spec->pos[0].index;
		}
		sk_gen_sys_arch(s, g->arches[a]);
	}
	if (!s)
		return 0;
	if (why && !s->needed)
		s->needed = why;
	if (n && spec && spec->n == 1 && s->n_argidx == 1 &&
	    s->argidx[0] == spec->pos[0].index && !s->args_unbounded &&
	    !s->args_mismatch) {
		uint64_t rows[4] = { 0 };

		if (n > COUNT(rows))
			n = COUNT(rows);
		/* Sorted and unique, as sk_gen_sys_add_rows wants them. */
		for (size_t i = 0; i < n; i++) {
			uint64_t v = values[i] & spec->pos[0].mask;
			size_t j = i;

			while (j && rows[j - 1] > v) {
				rows[j] = rows[j - 1];
				j--;
			}
			rows[j] = v;
		}
		if (sk_gen_sys_add_rows(s, rows, n))
			return sk_err_set(err, ENOMEM, "out of memory");
		s->synth_why = synth_why;
	}
	return 0;
}

bool sk_gen_clone3_enosys(const struct sk_gen *g)
{
	return seen(g, "clone3") && seen(g, "clone");
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
		if ((ret = add_needed(g, err, always[i].name, always[i].why, NULL, 0, NULL)))
			return ret;
	for (size_t i = 0; vdso && i < COUNT(vdso_calls); i++)
		if ((ret = add_needed(g, err, vdso_calls[i], vdso_why, NULL, 0, NULL)))
			return ret;
	for (size_t i = 0; abrt && i < COUNT(abort_calls); i++) {
		bool tg = !strcmp(abort_calls[i], "tgkill");

		if ((ret = add_needed(g, err, abort_calls[i], abort_why,
				      tg ? &sigabrt : NULL, tg,
				      "SIGABRT added for abort()")))
			return ret;
	}
	if (sk_gen_clone3_enosys(g) &&
	    (ret = add_needed(g, err, "clone", NULL, clone_fallback,
			      COUNT(clone_fallback),
			      "glibc's fallback flags for pthread_create and posix_spawn added, since clone3 gets ENOSYS")))
		return ret;
	return 0;
}

