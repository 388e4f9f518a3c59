/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_BASELINE_H
#define SCMPKIT_BASELINE_H

#include <linux/filter.h>

#include "scmpkit/err.h"
#include "scmpkit/profile.h"

/*
 * The filter behind `scmp-trace --baseline PROFILE` and `scmp-apply
 * --complain FILE`: what PROFILE allows (SCMP_ACT_ALLOW and SCMP_ACT_LOG
 * rules, arguments included) runs in the kernel, and its ENOSYS answers
 * (a rule naming the call: the program takes its fallback, as under the
 * profile); every other call the profile would deny, by a rule or by
 * default, and every call of an arch it does not cover, is notified
 * instead, so the supervisor records only what is new.
 */

/*
 * Compiles that filter to a BPF program for the notify supervisor.  0 with
 * out->filter allocated (free with sk_baseline_free), or a negative errno
 * with err filled.  Warnings (names skipped) go to warn.
 */
int sk_baseline_build(const struct sk_profile *p, struct sock_fprog *out,
		      struct sk_warn *warn, struct sk_err *err);

void sk_baseline_free(struct sock_fprog *prog);

#endif
