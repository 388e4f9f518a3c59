/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen from trace files to a profile (gen_run.c): the traces' union
 * generated, an incomplete trace refused unless allowed (then a warning),
 * a trace that cannot be read named, --explain's text made on request.
 */
#include <errno.h>

#include "scmpkit/gen_run.h"
#include "helpers.h"

#define ENTRY "{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"getpid\", \"nr\": 39, \"count\": 2, \"exe\": [0]}"

struct files {
	struct th_dir d;
	char *paths[2];
	char whole[128], partial[128];
};

static void make_files(struct files *f)
{
	th_dir_make(&f->d, "genrun");
	snprintf(f->whole, sizeof(f->whole), "%s", th_at(&f->d, "whole.json"));
	snprintf(f->partial, sizeof(f->partial), "%s", th_at(&f->d, "partial.json"));
	th_put(f->whole, TH_TRACE_HEAD "\"syscalls\": [" ENTRY "]}");
	th_put(f->partial, TH_TRACE_HEAD "\"complete\": false, \"incomplete_reason\": \"lost\", \"syscalls\": [" ENTRY "]}");
	f->paths[0] = f->whole;
	f->paths[1] = f->partial;
}

static struct sk_gen_run_opts opts_for(struct files *f, size_t n)
{
	struct sk_gen_run_opts o = {
		.files = f->paths, .n_files = n, .static_mode = SK_GEN_STATIC_NONE,
	};

	sk_gen_opts_init(&o.gen);
	return o;
}

static bool allows(const struct sk_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t k = 0; k < p->rules[i].n_names; k++)
			if (!strcmp(p->rules[i].names[k], name))
				return true;
	return false;
}

static void generates(void **state)
{
	struct files f;
	struct sk_gen_run_opts o;
	struct sk_gen_run r;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };

	(void)state;
	make_files(&f);
	o = opts_for(&f, 1);
	o.explain = true;
	assert_int_equal(sk_gen_run(&o, &r, &warn, &err), 0);
	assert_non_null(r.p);
	assert_non_null(r.explain);
	assert_null(r.st);
	assert_true(allows(r.p, "getpid"));
	assert_true(allows(r.p, "exit_group"));
	sk_gen_run_done(&r);
	sk_warn_clear(&warn);
	th_dir_remove(&f.d);
}

static void incomplete_refused_unless_allowed(void **state)
{
	struct files f;
	struct sk_gen_run_opts o;
	struct sk_gen_run r;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };

	(void)state;
	make_files(&f);
	o = opts_for(&f, 2);
	assert_int_equal(sk_gen_run(&o, &r, &warn, &err), -EINVAL);
	th_assert_msg_has(err.msg, "partial.json: the trace is incomplete (lost); a profile from it could kill the program");
	assert_null(r.p);
	o.allow_incomplete = true;
	assert_int_equal(sk_gen_run(&o, &r, &warn, &err), 0);
	assert_int_equal(warn.n, 1);
	th_assert_msg_has(warn.msgs[0], "partial.json: incomplete trace accepted (lost)");
	sk_gen_run_done(&r);
	sk_warn_clear(&warn);
	th_dir_remove(&f.d);
}

static void unreadable_trace_named(void **state)
{
	struct files f;
	struct sk_gen_run_opts o;
	struct sk_gen_run r;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };

	(void)state;
	make_files(&f);
	th_put(f.whole, "{");
	o = opts_for(&f, 1);
	assert_true(sk_gen_run(&o, &r, &warn, &err) < 0);
	th_assert_msg_has(err.msg, "whole.json");
	sk_warn_clear(&warn);
	th_dir_remove(&f.d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generates),
		cmocka_unit_test(incomplete_refused_unless_allowed),
		cmocka_unit_test(unreadable_trace_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
