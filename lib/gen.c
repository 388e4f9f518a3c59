/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's driver (gen_run.h): trace files to the union, the static
 * analysis read, then the generator's stages one way, each reading what
 * the one before wrote (gen_plan.h):
 *
 *   union (gen_merge.c) -> families (gen_family.c) -> needed and
 *   --runtime's calls (gen_needed.c) ->
 *   plan (gen_rules.c) -> order and merge (gen_emit.c) -> --explain
 *   (gen_explain.c); the other formats render the profile (render_*.c).
 *
 * No stage calls a later one or back into this file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/gen_run.h"
#include "scmpkit/trace_format.h"
#include "gen_plan.h"

/* The plan's own union: the needed stage adds to it, never to the
 * caller's. */
static int plan_init(struct plan *st, const struct sk_gen *g,
		     const struct sk_gen_opts *o, struct sk_warn *warn,
		     struct sk_err *err)
{
	*st = (struct plan){ .o = o, .warn = warn, .err = err };
	if (!g->n_arches)
		return sk_err_set(err, EINVAL, "the traces hold no syscall with a name");
	if (!(st->g = sk_gen_dup(g)))
		return sk_err_set(err, ENOMEM, "out of memory");
	return 0;
}

static void plan_done(struct plan *st)
{
	for (size_t i = 0; i < st->n_owned; i++)
		free(st->owned[i]);
	free(st->owned);
	free(st->pres);
	free(st->why);
	free(st->mux);
	free(st->spans);
	sk_gen_free(st->g);
}

/* --explain's text for p, made from st, into *text (allocated). */
static int explain_text(const struct plan *st, const struct sk_profile *p,
			char **text)
{
	size_t len = 0;
	FILE *f = open_memstream(text, &len);

	if (!f)
		return sk_err_set(st->err, ENOMEM, "out of memory");
	sk_gen_explain(st, p, f);
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		return sk_err_set(st->err, ENOMEM, "out of memory");
	}
	return 0;
}

/* The stages in their order; text (may be NULL) gets --explain. */
static int run_stages(struct plan *st, struct sk_profile *p, char **text)
{
	int ret = sk_gen_add_families(st->g, st->o->families, st->err);

	if (!ret)
		ret = sk_gen_add_needed(st->g, st->o, st->err);
	if (!ret)
		ret = sk_gen_add_runtime(st->g, st->o->runtime, st->err);
	if (!ret)
		ret = sk_gen_plan(st);
	if (!ret)
		ret = sk_gen_emit(st, p);
	if (!ret && text)
		ret = explain_text(st, p, text);
	return ret;
}

int sk_gen_profile(const struct sk_gen *g, const struct sk_gen_opts *o,
		   struct sk_profile **out, char **explain,
		   struct sk_warn *warn, struct sk_err *err)
{
	struct plan st;
	struct sk_profile *p = NULL;
	char *text = NULL;
	int ret = plan_init(&st, g, o, warn, err);

	if (!ret && !(p = sk_profile_new()))
		ret = sk_err_set(err, ENOMEM, "out of memory");
	if (!ret)
		ret = run_stages(&st, p, explain ? &text : NULL);
	plan_done(&st);
	if (ret) {
		sk_profile_free(p);
		free(text);
		return ret;
	}
	*out = p;
	if (explain)
		*explain = text;
	return 0;
}

/* The analysis the options ask for in *st (NULL when none, or for the
 * default one when out of memory); -ENOMEM when --static's cannot be had. */
static int static_new(const struct sk_gen_run_opts *o, struct sk_static **st)
{
	*st = NULL;
	/* The default analysis bounds the families; with -q and --exact
	 * nothing would use it: it is not run at all. */
	if (o->static_mode == SK_GEN_STATIC_NONE ||
	    (o->static_mode == SK_GEN_STATIC_SUMMARY && o->quiet && o->exact))
		return 0;
	*st = sk_static_new();
	return *st || o->static_mode == SK_GEN_STATIC_SUMMARY ? 0 : -ENOMEM;
}

/* Adds t's executables to *st when not NULL: 0, or -ENOMEM; the default
 * analysis is dropped instead (*st freed), never a failure. */
static int static_add_exes(struct sk_static **st, const struct sk_trace *t,
			   const char *file, enum sk_gen_static_mode mode, struct sk_warn *warn)
{
	if (!*st || !sk_static_add_trace_file(*st, t, file, warn))
		return 0;
	if (mode != SK_GEN_STATIC_SUMMARY)
		return -ENOMEM;
	sk_static_free(*st);
	*st = NULL;
	return 0;
}

/* A trace from another run may miss calls: refused unless allowed. */
static int check_complete(const struct sk_gen_run_opts *o, const struct sk_trace *t,
			  const char *file, struct sk_warn *warn, struct sk_err *err)
{
	if (t->complete)
		return 0;
	if (!o->allow_incomplete)
		return sk_err_set(err, EINVAL, "%s: the trace is incomplete (%s); a profile from it could kill the program on calls the tracer missed. Use --allow-incomplete to accept it",
				  file, t->incomplete_reason ? t->incomplete_reason :
				  "\"complete\": false");
	if (sk_warn_add(warn, "%s: incomplete trace accepted (%s)", file,
			t->incomplete_reason ? t->incomplete_reason : "no reason given"))
		return sk_err_set(err, ENOMEM, "out of memory");
	return 0;
}

/* One trace into the union, and its executables into r->st. */
static int load_one(const struct sk_gen_run_opts *o, const char *file,
		    struct sk_gen_run *r, struct sk_warn *warn, struct sk_err *err)
{
	struct sk_trace *t = NULL;
	int ret = sk_trace_load(file, &t, err);

	if (ret)
		return ret;
	ret = check_complete(o, t, file, warn, err);
	if (!ret)
		ret = sk_gen_add_trace(r->g, t, file, warn, err);
	if (!ret && static_add_exes(&r->st, t, file, o->static_mode, warn))
		ret = sk_err_set(err, ENOMEM, "%s: out of memory", file);
	sk_trace_free(t);
	return ret;
}

/* The default analysis: its warnings are dropped, and a failure only
 * loses the summary line (r->st freed). */
static void static_read_quietly(struct sk_gen_run *r)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };

	if (sk_static_run(r->st, r->g, &warn, &err)) {
		sk_static_free(r->st);
		r->st = NULL;
	}
	sk_warn_clear(&warn);
}

/* Whether r's analysis says what the traced executables reach: some was
 * read here, and can make the traces' calls (not another machine's). */
static bool reach_known(const struct sk_gen_run *r)
{
	struct sk_err err;
	bool read = false;

	for (size_t i = 0; r->st && i < r->st->n_exes; i++)
		read |= r->st->exes[i].elf != NULL;
	return read && !sk_static_check_arches(r->st, r->g->arches, r->g->n_arches, &err);
}

/* The union made: the analysis read, then the profile planned (with the
 * families the analysis bounds, unless --exact). */
static int generate(const struct sk_gen_run_opts *o, struct sk_gen_run *r,
		    struct sk_warn *warn, struct sk_err *err)
{
	struct sk_gen_opts gen = o->gen;
	int ret = 0;

	if (r->st && o->static_mode == SK_GEN_STATIC_SUMMARY)
		static_read_quietly(r);
	else if (r->st)
		ret = sk_static_read(r->st, r->g, warn, err);
	if (ret)
		return ret;
	if (r->st && o->static_mode == SK_GEN_STATIC_ADD)
		gen.static_add = r->st;
	if (!o->exact && reach_known(r))
		gen.families = r->st;
	return sk_gen_profile(r->g, &gen, &r->p, o->explain ? &r->explain : NULL, warn, err);
}

int sk_gen_run(const struct sk_gen_run_opts *o, struct sk_gen_run *out,
	       struct sk_warn *warn, struct sk_err *err)
{
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->g = sk_gen_new();
	if (!out->g || static_new(o, &out->st)) {
		sk_gen_run_done(out);
		return sk_err_set(err, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < o->n_files && !ret; i++)
		ret = load_one(o, o->files[i], out, warn, err);
	if (!ret)
		ret = generate(o, out, warn, err);
	if (ret)
		sk_gen_run_done(out);
	return ret;
}

void sk_gen_run_done(struct sk_gen_run *r)
{
	free(r->explain);
	sk_profile_free(r->p);
	sk_static_free(r->st);
	sk_gen_free(r->g);
	memset(r, 0, sizeof(*r));
}
