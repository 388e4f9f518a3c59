/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_RENDER_H
#define SCMPKIT_RENDER_H

/*
 * What scmp-gen's renderers (gen_format.h: render_systemd.c,
 * render_minijail.c, render_c.c) share; they read the profile's fields only.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scmpkit/err.h"
#include "scmpkit/profile.h"

/* The conditions (includes/excludes) a format can say. */
enum sk_render_cond {
	SK_RENDER_COND_NONE = 0,
	SK_RENDER_COND_ARCHES = 1, /* includes.arches and excludes.arches */
};

/*
 * -EINVAL with err naming the first rule that has a condition the format
 * cannot say (which, for what value), then why (the format's reason and
 * what to do instead); 0 when there is none.
 */
int sk_render_refuse_conds(const struct sk_profile *p, unsigned can,
			   const char *why, struct sk_err *err);

/* Allowing actions: ALLOW and LOG. */
bool sk_render_allows(const struct sk_rule *r);

/* A denial the generator writes for calls nobody made (io_uring, a
 * multiplexed call). */
bool sk_render_not_observed(const struct sk_rule *r);

/* Closes an open_memstream stream: 0 with *out = *text, or -ENOMEM (and
 * *text freed). */
int sk_render_finish(FILE *f, char **text, char **out, struct sk_err *err);

/* Whether minijail's policy compiler knows name as a constant (its table
 * is built from the #defines of a fixed list of headers). */
bool sk_minijail_knows(const char *name);
/* That table (sorted), for its test; borrows. */
const char *const *sk_minijail_names(size_t *n);

#endif
