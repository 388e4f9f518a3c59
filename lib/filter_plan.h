/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_FILTER_PLAN_H
#define SCMPKIT_FILTER_PLAN_H

/*
 * What sk_filter_build does to a libseccomp context, as data: decided from
 * a profile for one native arch (which rules apply, which names go in, the
 * rule order and priorities), then carried out by filter.c, or written out
 * by the C renderer (render_c.c), so that both build the same filter.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <seccomp.h>

#include "scmpkit/filter.h"

/* One seccomp_rule_add_array() on the call named name (resolved on the
 * native arch when it is carried out), then, when priority >= 0,
 * seccomp_syscall_priority() of that call. */
struct sk_filter_step {
	const char *name;            /* borrowed from the profile */
	size_t rule;                 /* index into the profile's rules */
	uint32_t action;
	unsigned n_cmp;
	struct scmp_arg_cmp cmp[6];
	int priority;                /* 0-255, or -1 */
};

/* One seccomp_attr_set(); a failure stops the build unless may_fail. */
struct sk_filter_attr {
	enum scmp_filter_attr attr;
	uint32_t value;
	bool may_fail;
	size_t flag;                 /* the profile's flags[flag], or SIZE_MAX */
};

struct sk_filter_plan {
	uint32_t native;
	uint32_t def;                /* seccomp_init's action */
	uint32_t arches[32];         /* the filter's arches, native first */
	size_t n_arches;
	struct sk_filter_attr *attrs; /* in the order they are set */
	size_t n_attrs;
	struct sk_filter_step *steps;
	size_t n_steps;
};

/*
 * Plans the filter sk_filter_build builds from p when native is the native
 * arch (includes/excludes and the arches covered depend on it).  Warnings
 * as sk_filter_build's.  0 with *out allocated (free with
 * sk_filter_plan_free), or a negative errno with err filled.
 */
int sk_filter_plan(const struct sk_profile *p,
		   const struct sk_filter_opts *opts, uint32_t native,
		   struct sk_filter_plan **out, struct sk_warn *warn,
		   struct sk_err *err);
void sk_filter_plan_free(struct sk_filter_plan *plan);

#endif
