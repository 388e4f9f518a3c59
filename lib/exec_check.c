/* SPDX-License-Identifier: MIT */
/*
 * Whether a filter lets scmp-apply start the program (exec.h), pure: the
 * filter is run, not loaded, on the very exec scmp-apply makes.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "scmpkit/arch.h"
#include "scmpkit/exec.h"
#include "scmpkit/filter.h"

/* An action that lets our exec through to the program. */
static bool lets_through(uint32_t ret)
{
	ret &= SECCOMP_RET_ACTION_FULL;
	return ret == SECCOMP_RET_ALLOW || ret == SECCOMP_RET_LOG;
}

static void ret_desc(char *buf, size_t len, uint32_t ret)
{
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL;

	if (act == SECCOMP_RET_ERRNO || act == SECCOMP_RET_TRACE)
		snprintf(buf, len, "%s(%u)", sk_filter_action_name(ret),
			 ret & SECCOMP_RET_DATA);
	else
		snprintf(buf, len, "%s", sk_filter_action_name(ret));
}

/* Every outcome of an exec call over all its argument values. */
struct exec_outcomes {
	const char *call;
	struct sk_eval_all all;
	uint32_t deny; /* one outcome that stops it */
	bool always, never;
};

/* The pointers unknown, the flags and unused registers as apply_exec
 * passes them. */
static void exec_outcomes(const struct sock_fprog *prog, bool via_execveat,
			  struct exec_outcomes *x)
{
	uint64_t a[6];

	sk_exec_args(NULL, NULL, via_execveat, a);
	x->call = via_execveat ? "execveat" : "execve";
	x->deny = SECCOMP_RET_KILL_PROCESS;
	x->always = false;
	x->never = true;
	if (sk_filter_eval_all(prog, seccomp_arch_native(), x->call, a,
			       0x3f & ~sk_exec_pointer_args(via_execveat),
			       &x->all, NULL))
		return; /* not a call here: never gets through */
	x->always = !x->all.incomplete && x->all.n > 0;
	x->never = !x->all.incomplete;
	for (size_t i = 0; i < x->all.n; i++) {
		if (lets_through(x->all.rets[i])) {
			x->never = false;
		} else {
			x->always = false;
			x->deny = x->all.rets[i];
		}
	}
}

/* "allows execve only for some argument values (others get X)". */
static void exec_desc(char *buf, size_t len, const struct exec_outcomes *x)
{
	char d[48];

	ret_desc(d, sizeof(d), x->deny);
	if (x->always)
		snprintf(buf, len, "allows %s", x->call);
	else if (x->never)
		snprintf(buf, len, "does not allow %s (%s)", x->call, d);
	else
		snprintf(buf, len, "allows %s only for some argument values (others get %s)",
			 x->call, d);
}

/*
 * Whether the profile lets through the exec that starts the program.  With
 * path (running): the filter runs on the very execve, or execveat, that
 * apply_exec makes, real pointers included; *via_execveat says which to
 * use.  Without (--check): with the flags apply_exec passes and every
 * value of the pointers (path, argv, envp), which are not known yet;
 * refused unless some exec gets through whatever the pointers, and a
 * profile that allows no exec at all is only warned about (it loads, and a
 * runtime that execs before the load can use it).
 */
int sk_exec_check(scmp_filter_ctx ctx, const char *file, const char *path,
		  char **argv, bool *via_execveat, struct sk_warn *warn,
		  struct sk_err *err)
{
	const char *arch = sk_arch_name(seccomp_arch_native());
	struct exec_outcomes x1, x2;
	struct sock_fprog prog;
	char d1[128], d2[128];
	uint32_t r1 = 0, r2 = 0;
	uint64_t a[6];

	int ret = sk_filter_export(ctx, &prog, err);

	if (ret)
		return ret;
	if (path) {
		sk_exec_args(path, argv, false, a);
		sk_filter_eval(&prog, seccomp_arch_native(), "execve", a, &r1, NULL);
		sk_exec_args(path, argv, true, a);
		sk_filter_eval(&prog, seccomp_arch_native(), "execveat", a, &r2, NULL);
		*via_execveat = !lets_through(r1);
	}
	exec_outcomes(&prog, false, &x1);
	exec_outcomes(&prog, true, &x2);
	free(prog.filter);
	if (path ? lets_through(r1) || lets_through(r2) : x1.always || x2.always)
		return 0;
	if (x1.never && x2.never) {
		ret_desc(d1, sizeof(d1), x1.deny);
		ret_desc(d2, sizeof(d2), x2.deny);
		if (path)
			return sk_err_set(err, EPERM,
					  "%s: the profile does not allow execve (%s) or execveat (%s) on %s, so the program could not be started under it; add \"execve\" to a rule that allows",
					  file, d1, d2, arch);
		if (sk_warn_add(warn, "%s: the profile does not allow execve (%s) or execveat (%s) on %s: scmp-apply could not start a program under it",
				file, d1, d2, arch))
			return sk_err_set(err, ENOMEM, "out of memory");
		return 0;
	}
	if (path) {
		ret_desc(d1, sizeof(d1), r1);
		ret_desc(d2, sizeof(d2), r2);
		return sk_err_set(err, EPERM,
				  "%s: the profile's rules for the exec compare its arguments and stop the one that would start the program: execve(path, argv, envp) gets %s and execveat(AT_FDCWD, path, argv, envp, 0) gets %s on %s with the pointers scmp-apply passes; allow execve without argument rules",
				  file, d1, d2, arch);
	}
	exec_desc(d1, sizeof(d1), &x1);
	exec_desc(d2, sizeof(d2), &x2);
	return sk_err_set(err, EPERM,
			  "%s: the profile %s and %s on %s: whether a program can be started under it depends on the exec's pointers, which --check cannot know; allow execve without argument rules",
			  file, d1, d2, arch);
}

/* A NOTIFY action needs a supervisor listening on the filter's fd. */
int sk_exec_refuse_notify(const struct sk_profile *p, const struct sk_filter_opts *fo,
			  struct sk_err *err)
{
	bool def = fo->override_default ? fo->default_action == SK_ACT_NOTIFY :
		   p->default_action == SK_ACT_NOTIFY;
	const char *where = def ? "defaultAction" : NULL;

	for (size_t i = 0; !where && i < p->n_rules; i++)
		if (p->rules[i].action == SK_ACT_NOTIFY &&
		    sk_filter_rule_active(&p->rules[i], fo))
			where = p->rules[i].where;
	if (!where)
		return 0;
	return sk_err_set(err, EINVAL,
			  "%s: %s: SCMP_ACT_NOTIFY needs a supervisor, and scmp-apply runs none (scmp-trace --baseline does)",
			  p->file, where);
}
