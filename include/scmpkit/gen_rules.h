/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_GEN_RULES_H
#define SCMPKIT_GEN_RULES_H

#include "scmpkit/gen.h"

/* From the union of traces to a profile (gen_rules.c). */

/*
 * Builds the profile: always-needed calls added to g, actions and argument
 * rules chosen, rules ordered by observed count (hottest first) and
 * merged.  *explain gets an allocated text (free()) with one paragraph per
 * rule; warn gets what the user should know (io_uring, ...).  0 with *out
 * set (free with sk_profile_free), or a negative errno with err filled.
 */
int sk_gen_profile(struct sk_gen *g, const struct sk_gen_opts *o,
		   struct sk_profile **out, char **explain,
		   struct sk_warn *warn, struct sk_err *err);

#endif
