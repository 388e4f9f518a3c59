/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_FILTER_H
#define SCMPKIT_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <seccomp.h>

#include "scmpkit/err.h"
#include "scmpkit/profile.h"

/*
 * Building a libseccomp filter from a profile.  Pure: nothing is loaded
 * here, so tests can export the result as PFC and compare.
 */

struct sk_filter_opts {
	bool override_default;     /* use default_action below instead of the profile's */
	enum sk_action default_action;
	unsigned default_errno;
	bool strict;               /* any unknown syscall name is an error */
	bool log;                  /* SECCOMP_FILTER_FLAG_LOG */
	bool notify_default;       /* baseline/complain: default action NOTIFY */
	uint64_t caps_effective;   /* bit n = capability n, for includes/excludes */
	unsigned kernel_major, kernel_minor; /* for minKernel; 0.0 = unknown */
};

/* Fills opts from the running process (capabilities, uname). */
void sk_filter_opts_from_host(struct sk_filter_opts *opts);

/*
 * Builds the filter: arches first, then rules in priority order (first rule
 * highest), bad-arch action kill-process, binary-tree optimisation where the
 * library has it.  Warnings (names skipped) go to warn.  0 with *out set (free
 * with seccomp_release), or a negative errno with err filled.
 */
int sk_filter_build(const struct sk_profile *p,
		    const struct sk_filter_opts *opts, scmp_filter_ctx *out,
		    struct sk_warn *warn, struct sk_err *err);

/* Number of BPF instructions the filter compiles to, or a negative errno. */
long sk_filter_insns(scmp_filter_ctx ctx);

#endif
