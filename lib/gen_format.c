/* SPDX-License-Identifier: MIT */
/*
 * What scmp-gen's other output formats share (render.h).  Each format is
 * written from the generated OCI profile by its own renderer, reading the
 * profile's fields only, so every format says the same thing as far as it
 * can: render_systemd.c (names only), render_minijail.c (no masked
 * compare) and render_c.c (exactly the filter lib/filter.c builds).  A rule
 * whose condition a format cannot say is refused with the rule named,
 * never written unconditionally.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

bool sk_render_allows(const struct sk_rule *r)
{
	return r->action == SK_ACT_ALLOW || r->action == SK_ACT_LOG;
}

bool sk_render_not_observed(const struct sk_rule *r)
{
	return r->origin == SK_ORIGIN_IO_URING || r->origin == SK_ORIGIN_MUX;
}

int sk_render_finish(FILE *f, char **text, char **out, struct sk_err *err)
{
	if (fclose(f)) {
		free(*text);
		return sk_err_set(err, ENOMEM, "out of memory");
	}
	*out = *text;
	return 0;
}

/* "includes.arches: amd64 arm64" into buf: the first condition of c
 * (named what) that can does not cover; false when none. */
static bool cond_desc(const struct sk_cond *c, const char *what, unsigned can,
		      char *buf, size_t len)
{
	size_t used;

	if (c->n_arches && !(can & SK_RENDER_COND_ARCHES)) {
		used = (size_t)snprintf(buf, len, "%s.arches:", what);
		for (size_t i = 0; i < c->n_arches && used < len; i++) {
			const char *a = sk_cond_arch_name(c->arches[i]);

			used += (size_t)snprintf(buf + used, len - used, " %s",
						 a ? a : "?");
		}
		return true;
	}
	if (c->n_caps) {
		used = (size_t)snprintf(buf, len, "%s.caps:", what);
		for (size_t i = 0; i < c->n_caps && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used, " %s",
						 c->caps[i]);
		return true;
	}
	if (c->min_kernel) {
		snprintf(buf, len, "%s.minKernel: %s", what, c->min_kernel);
		return true;
	}
	return false;
}

int sk_render_refuse_conds(const struct sk_profile *p, unsigned can,
			   const char *why, struct sk_err *err)
{
	char desc[256];

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		if (!cond_desc(&r->includes, "includes", can, desc, sizeof(desc)) &&
		    !cond_desc(&r->excludes, "excludes", can, desc, sizeof(desc)))
			continue;
		return sk_err_set(err, EINVAL, "%s: %s (\"%s\"%s) applies on some hosts only (%s); %s",
				  p->file, r->where ? r->where : "a rule",
				  r->n_names ? r->names[0] : "",
				  r->n_names > 1 ? ", ..." : "", desc, why);
	}
	return 0;
}
