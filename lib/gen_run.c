/* SPDX-License-Identifier: MIT */
/* scmp-gen from trace files to the generated profile (gen_run.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/gen_rules.h"
#include "scmpkit/gen_run.h"
#include "scmpkit/trace_format.h"

/* The analysis the options ask for in *st (NULL when none, or for the
 * default one when out of memory); -ENOMEM when --static's cannot be had. */
static int static_new(const struct sk_gen_run_opts *o, struct sk_static **st)
{
	*st = NULL;
	/* -q would silence the default analysis: it is not run at all. */
	if (o->static_mode == SK_GEN_STATIC_NONE ||
	    (o->static_mode == SK_GEN_STATIC_SUMMARY && o->quiet))
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

/* The union made: the analysis read, then the profile planned. */
static int generate(const struct sk_gen_run_opts *o, struct sk_gen_run *r,
		    struct sk_warn *warn, struct sk_err *err)
{
	struct sk_gen_opts gen = o->gen;
	int ret = 0;

	/* Before sk_gen_profile, which adds the always-needed calls to g. */
	if (r->st && o->static_mode == SK_GEN_STATIC_SUMMARY)
		static_read_quietly(r);
	else if (r->st)
		ret = sk_static_read(r->st, r->g, warn, err);
	if (ret)
		return ret;
	if (r->st && o->static_mode == SK_GEN_STATIC_ADD)
		gen.static_add = r->st;
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
