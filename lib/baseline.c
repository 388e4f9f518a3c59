/* SPDX-License-Identifier: MIT */
/* Baseline / complain filters: allow in the kernel, notify the rest (baseline.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "scmpkit/baseline.h"
#include "scmpkit/filter.h"

/*
 * The rules a baseline keeps: those that let the call run, and ENOSYS
 * answers, which a profile gives on purpose (scmp-gen's clone3 rule, a
 * call that only ever failed so): the program takes its fallback, as it
 * will under the profile, and that is nothing new.
 */
static int keeps(const struct sk_rule *r)
{
	return r->action == SK_ACT_ALLOW || r->action == SK_ACT_LOG ||
	       (r->action == SK_ACT_ERRNO && r->has_errno &&
		r->errno_ret == (unsigned)sk_arch_enosys(sk_arch_native()));
}

int sk_baseline_build(const struct sk_profile *p, struct sock_fprog *out,
		      struct sk_warn *warn, struct sk_err *err)
{
	struct sk_filter_opts opts;
	struct sk_profile view = *p;
	scmp_filter_ctx ctx = NULL;
	int ret;

	/* A view of p with the rules it keeps only; the rules are borrowed. */
	view.rules = calloc(p->n_rules + 1, sizeof(*view.rules));
	if (!view.rules)
		return sk_err_set(err, ENOMEM, "out of memory");
	view.n_rules = 0;
	for (size_t i = 0; i < p->n_rules; i++)
		if (keeps(&p->rules[i]))
			view.rules[view.n_rules++] = p->rules[i];
	/* An allow-everything profile is no baseline: nothing would be new. */
	view.default_action = SK_ACT_NOTIFY;
	view.has_default_errno = false;

	sk_filter_opts_from_host(&opts);
	opts.notify_default = true;
	ret = sk_filter_build(&view, &opts, &ctx, warn, err);
	free(view.rules);
	if (ret)
		return ret;
	/* Calls of arches the profile does not cover are new, not fatal. */
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY);
	if (ret == 0)
		ret = sk_filter_export(ctx, out, err);
	else
		ret = sk_err_set(err, -ret, "cannot notify calls of other arches");
	seccomp_release(ctx);
	return ret;
}

void sk_baseline_free(struct sock_fprog *prog)
{
	if (!prog)
		return;
	free(prog->filter);
	prog->filter = NULL;
	prog->len = 0;
}
