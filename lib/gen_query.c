/* SPDX-License-Identifier: MIT */
/*
 * What the generator's stages ask of the union and of the knowledge tables
 * (gen_plan.h): the planner and the renderers after it both read these, so
 * they live below both and call neither.
 */
#include <stdio.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "argknow.h"
#include "gen_plan.h"

const struct sk_argpos *sk_gen_pos_of(const struct sk_argspec *spec, unsigned index)
{
	for (unsigned i = 0; spec && i < spec->n; i++)
		if (spec->pos[i].index == index)
			return &spec->pos[i];
	return NULL;
}

uint64_t sk_gen_pos_mask(const struct sk_argpos *p)
{
	return p->is32 ? p->mask & 0xffffffffULL : p->mask;
}

const char *sk_gen_arch_short(uint32_t arch)
{
	const char *an = sk_arch_name(arch);

	return an ? an + 10 : "?";
}

bool sk_gen_on_arch(const struct sk_gen_sys *s, uint32_t arch)
{
	for (size_t i = 0; i < s->n_arches; i++)
		if (s->arches[i] == arch)
			return true;
	return false;
}

/*
 * Traces from several hosts (their "machine"): a call seen on some of them
 * only is allowed on those only, through includes.arches, which Docker and
 * scmp-apply compare with the native arch.  What is always needed, or only
 * added by --static, goes everywhere.
 */
bool sk_gen_host_only(const struct sk_gen *g, const struct sk_gen_sys *s)
{
	return g->n_hosts > 1 && !g->host_unknown && s->count && !s->needed &&
	       s->n_hosts && s->n_hosts < g->n_hosts;
}

const struct sk_gen_added *sk_gen_added_row(const struct sk_gen_sys *s,
					    uint64_t v)
{
	for (size_t i = 0; s->n_argidx == 1 && i < s->n_added; i++)
		if (s->added[i].value == v)
			return &s->added[i];
	return NULL;
}

bool sk_gen_seen(const struct sk_gen *g, const char *name)
{
	const struct sk_gen_sys *s = sk_gen_find(g, name);

	return s && s->count > 0;
}

bool sk_gen_known_here(const struct sk_gen *g, const char *name)
{
	for (size_t a = 0; a < g->n_arches; a++)
		if (sk_syscall_nr(g->arches[a], name) >= 0)
			return true;
	return false;
}

static const char traced_runtime[] =
	"runtime: the trace marks it as the container runtime's, made in the container's init between loading the filter and the program's execve";

const char *sk_gen_sys_comment(const struct sk_gen_sys *s)
{
	if (s->needed)
		return s->needed;
	if (s->runtime)
		return s->runtime;
	if (s->family_note && !s->count)
		return s->family_note;
	return s->n_runtime ? traced_runtime : NULL;
}

enum sk_origin sk_gen_sys_origin(const struct sk_gen_sys *s)
{
	if (s->count)
		return SK_ORIGIN_OBSERVED;
	if (!s->needed && (s->runtime || s->n_runtime))
		return SK_ORIGIN_RUNTIME;
	if (!s->needed && s->family)
		return SK_ORIGIN_FAMILY;
	return SK_ORIGIN_NEEDED;
}

void sk_gen_limit_line(char *buf, size_t len, const struct sk_gen_sys *s,
		       uint32_t arch, const struct sk_argnot *why)
{
	const struct sk_argspec *spec = sk_argspec_row(s->name);

	if (why->kind == SK_ARGNOT_MUX)
		snprintf(buf, len, "%s was called as %s, where libseccomp also puts its rules on %s(%s), "
			 "arg0 replaced by the call number and the other comparisons made on %s's pointer to %s's arguments",
			 s->name, sk_gen_arch_short(arch), why->mux, why->callname,
			 why->mux, s->name);
	else
		snprintf(buf, len, "on %s, %s is %s, so a comparison of its %s would test something else there%s",
			 sk_gen_arch_short(arch), s->name, why->why,
			 spec ? spec->why : "arguments",
			 sk_gen_on_arch(s, arch) ? "" : " (it was not called as that arch, but an OCI profile cannot deny a call on one arch only)");
}

void sk_gen_put_decoded(FILE *f, const char *name, unsigned index, uint64_t v)
{
	char buf[256];

	sk_arg_decode(name, index, v, buf, sizeof(buf));
	fputs(buf, f);
}

bool sk_gen_default_enosys(const struct sk_gen *g, const struct sk_gen_opts *o)
{
	return o->default_action == SK_ACT_ERRNO && o->has_default_errno &&
	       g->n_arches && o->default_errno == (unsigned)sk_arch_enosys(g->arches[0]);
}


void sk_gen_hole_line(char *buf, size_t len, const struct sk_gen_sys *s,
		      uint32_t arch, const struct sk_argnot *why)
{
	const struct sk_argspec *spec = sk_argspec_row(s->name);

	snprintf(buf, len, "%s: its rules on the %s hold on the other architectures; on %s, %s is %s, so there they compare a register it never reads: no trace called it as %s, and a program that does passes them with a chosen value",
		 s->name, spec ? spec->why : "arguments", sk_arch_name(arch),
		 s->name, why->why, sk_gen_arch_short(arch));
}

size_t sk_gen_observed_rows(const struct sk_gen_sys *s)
{
	return s->n_tuples > s->n_added ? s->n_tuples - s->n_added : 0;
}
