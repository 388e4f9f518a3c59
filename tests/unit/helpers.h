/* SPDX-License-Identifier: MIT */
/*
 * What several unit tests need, in one place: profiles and traces from
 * strings and files, a recorder's trace and its entries, filters built from
 * a profile and run on calls (the exported BPF, as the kernel would get
 * it), traces built from entries and their union, temporary files and
 * directories, i386 numbers by name, message comparisons.  Static inline,
 * so a test includes this header and the GNUmakefile rule stays one line a
 * test.  Every helper fails the running cmocka test (fail_msg, assert_*)
 * instead of returning an error; names start with th_ ("test helper").
 */
#ifndef SCMPKIT_TESTS_HELPERS_H
#define SCMPKIT_TESTS_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/fileio.h"
#include "scmpkit/filter.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_rules.h"
#include "scmpkit/profile.h"
#include "scmpkit/recorder.h"
#include "scmpkit/trace_format.h"

/* ---- inputs ---- */

/* A profile from a JSON string, read as file name; fails the test if refused. */
static inline struct sk_profile *th_profile(const char *json, const char *name)
{
	struct sk_profile *p = NULL;
	struct sk_err err = { "" };

	if (sk_profile_parse(json, strlen(json), name, &p, &err))
		fail_msg("unexpected error: %s", err.msg);
	return p;
}

/* A trace from a JSON string, read as file name; fails the test if refused. */
static inline struct sk_trace *th_trace(const char *json, const char *name)
{
	struct sk_trace *t = NULL;
	struct sk_err err = { "" };

	if (sk_trace_parse(json, strlen(json), name, &t, &err))
		fail_msg("unexpected error: %s", err.msg);
	return t;
}

/* A whole file, NUL-terminated (free()); len may be NULL. */
static inline char *th_read(const char *path, size_t *len)
{
	struct sk_err err = { "" };
	char *text = NULL;
	size_t n = 0;

	if (sk_read_file(path, &text, &n, &err))
		fail_msg("%s", err.msg);
	if (len)
		*len = n;
	return text;
}

/* The entry of name on arch in t, or NULL. */
static inline const struct sk_trace_sys *th_trace_find(const struct sk_trace *t,
							uint32_t arch,
							const char *name)
{
	for (size_t i = 0; i < t->n_sys; i++)
		if (t->sys[i].arch == arch && t->sys[i].name &&
		    !strcmp(t->sys[i].name, name))
			return &t->sys[i];
	return NULL;
}

/* What the recorder r holds, as a trace (free with sk_trace_free). */
static inline struct sk_trace *th_rec_trace(struct sk_rec *r)
{
	struct sk_trace *t = sk_trace_new();

	assert_non_null(t);
	assert_int_equal(sk_rec_to_trace(r, t), 0);
	return t;
}

/* ---- messages ---- */

/* got is exactly want. */
static inline void th_assert_msg(const char *got, const char *want)
{
	if (strcmp(got, want))
		fail_msg("message\n  got:  %s\n  want: %s", got, want);
}

/* got holds part. */
static inline void th_assert_msg_has(const char *got, const char *part)
{
	if (!strstr(got, part))
		fail_msg("message\n  got:  %s\n  want: ...%s...", got, part);
}

/* ---- filters ---- */

#define TH_ALL_CAPS UINT64_C(0x1ffffffffff)

/* Every capability, kernel 6.1: no rule is dropped for a capability or a
 * minKernel up to 6.1 (arch conditions still apply). */
static inline struct sk_filter_opts th_opts_host_like(void)
{
	struct sk_filter_opts o = { 0 };

	o.caps_effective = TH_ALL_CAPS;
	o.kernel_major = 6;
	o.kernel_minor = 1;
	return o;
}

/* A built filter and its BPF, for running calls through. */
struct th_filter {
	struct sk_profile *p;     /* parsed here (freed by th_filter_free), or NULL */
	scmp_filter_ctx ctx;
	struct sock_fprog prog;
	struct sk_warn warn;
	struct sk_err err;
	int ret;                  /* sk_filter_build's result */
};

/* Builds p's filter with o (NULL: all zero) and exports it; b->ret says
 * whether the build worked, an export failure fails the test. */
static inline void th_filter_of(struct th_filter *b, const struct sk_profile *p,
				const struct sk_filter_opts *o)
{
	struct sk_filter_opts zero = { 0 };

	memset(b, 0, sizeof(*b));
	b->ret = sk_filter_build(p, o ? o : &zero, &b->ctx, &b->warn, &b->err);
	if (!b->ret && sk_filter_export(b->ctx, &b->prog, &b->err))
		fail_msg("export: %s", b->err.msg);
}

/* Parses json as file name, then as th_filter_of. */
static inline void th_filter_build_named(struct th_filter *b,
					 const char *json, const char *name,
					 const struct sk_filter_opts *o)
{
	struct sk_profile *p = NULL;
	struct sk_err err = { "" };

	if (sk_profile_parse(json, strlen(json), name, &p, &err))
		fail_msg("parse: %s", err.msg);
	th_filter_of(b, p, o);
	b->p = p;
}

/* As th_filter_build_named, the profile named "p.json". */
static inline void th_filter_build(struct th_filter *b, const char *json,
				   const struct sk_filter_opts *o)
{
	th_filter_build_named(b, json, "p.json", o);
}

/* The profile in file path, read as name (NULL: path). */
static inline void th_filter_build_file(struct th_filter *b,
					const char *path, const char *name,
					const struct sk_filter_opts *o)
{
	char *text = th_read(path, NULL);

	th_filter_build_named(b, text, name ? name : path, o);
	free(text);
}

static inline void th_filter_free(struct th_filter *b)
{
	free(b->prog.filter);
	seccomp_release(b->ctx);
	sk_warn_clear(&b->warn);
	sk_profile_free(b->p);
	memset(b, 0, sizeof(*b));
}

/* The SECCOMP_RET_* value (action and data) for name on arch with these
 * arguments (NULL: all zero); fails the test if name is unknown there. */
static inline uint32_t th_eval_args(const struct th_filter *b, uint32_t arch,
				    const char *name, const uint64_t *args)
{
	struct sk_err err = { "" };
	uint32_t ret = 0;

	assert_int_equal(b->ret, 0);
	if (sk_filter_eval(&b->prog, arch, name, args, &ret, &err))
		fail_msg("%s", err.msg);
	return ret;
}

/* As th_eval_args with the first three arguments, the rest zero. */
static inline uint32_t th_eval(const struct th_filter *b, uint32_t arch,
			       const char *name, uint64_t a0, uint64_t a1,
			       uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2 };

	return th_eval_args(b, arch, name, args);
}

/* As th_eval_args for a call given by number, as the kernel reports it. */
static inline uint32_t th_eval_nr(const struct th_filter *b, uint32_t arch,
				  int nr, const uint64_t *args)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };

	assert_int_equal(b->ret, 0);
	for (int i = 0; args && i < 6; i++)
		d.args[i] = args[i];
	return sk_cbpf_eval(&b->prog, &d);
}

/* The i386 number named name, for calls libseccomp resolves there only
 * through socketcall's pseudo numbers (i386's direct socket, 359). */
static inline int th_x86_nr(const char *name)
{
	char buf[64];

	for (int nr = 0; nr < 1024; nr++)
		if (!sk_syscall_name(SCMP_ARCH_X86, nr, buf, sizeof(buf)) &&
		    !strcmp(buf, name))
			return nr;
	fail_msg("no i386 number is named %s", name);
	return -1;
}

/* ---- the generator ---- */

/* The start of a trace made by executables /bin/a and /bin/b. */
#define TH_TRACE_HEAD "{\"format\": \"scmpkit-trace\", \"version\": 1, \"executables\": [\"/bin/a\", \"/bin/b\"], "

/* One trace entry as JSON, made by /bin/a, its number resolved on arch;
 * extra is spliced in ("" or ", \"argidx\": ..."); allocated. */
static inline char *th_entry(const char *arch, const char *name,
			     uint64_t count, const char *extra)
{
	uint32_t a = 0;
	char *s = NULL;

	assert_int_equal(sk_arch_parse(arch, &a), 0);
	assert_true(asprintf(&s, "{\"arch\": \"%s\", \"name\": \"%s\", \"nr\": %d, \"count\": %llu, \"exe\": [0]%s}",
			     arch, name, sk_syscall_nr(a, name),
			     (unsigned long long)count, extra) > 0);
	return s;
}

/* A trace (TH_TRACE_HEAD) of entries, each allocated by th_entry and
 * freed here; allocated. */
static inline char *th_trace_of(char **entries, size_t n)
{
	size_t len = 0;
	char *s = NULL;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	fputs(TH_TRACE_HEAD "\"syscalls\": [", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s%s", i ? ", " : "", entries[i]);
		free(entries[i]);
	}
	fputs("]}", f);
	assert_int_equal(fclose(f), 0);
	return s;
}

/* The union of traces given as JSON, each read as "t.json". */
static inline struct sk_gen *th_gen(const char *const *jsons, size_t n)
{
	struct sk_gen *g = sk_gen_new();
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };

	assert_non_null(g);
	for (size_t i = 0; i < n; i++) {
		struct sk_trace *t = th_trace(jsons[i], "t.json");

		if (sk_gen_add_trace(g, t, "t.json", &warn, &err))
			fail_msg("%s", err.msg);
		sk_trace_free(t);
	}
	sk_warn_clear(&warn);
	return g;
}

/* The union of one trace of entries (each allocated by th_entry, freed here). */
static inline struct sk_gen *th_gen_entries(char **entries, size_t n)
{
	char *t = th_trace_of(entries, n);
	const char *one[] = { t };
	struct sk_gen *g = th_gen(one, 1);

	free(t);
	return g;
}

/* The profile generated from g with o; explain and warn may be NULL (then
 * dropped), else *explain is allocated and warn filled. */
static inline struct sk_profile *th_gen_profile(struct sk_gen *g,
						const struct sk_gen_opts *o,
						char **explain,
						struct sk_warn *warn)
{
	struct sk_profile *p = NULL;
	struct sk_warn w = { 0 };
	struct sk_err err = { "" };
	char *e = NULL;

	if (sk_gen_profile(g, o, &p, &e, warn ? warn : &w, &err))
		fail_msg("%s", err.msg);
	assert_non_null(e);
	if (explain)
		*explain = e;
	else
		free(e);
	sk_warn_clear(&w);
	return p;
}

/* ---- files ---- */

/* A fresh directory /tmp/sk-test-TAG-XXXXXX, removed with everything in it
 * by th_dir_remove. */
struct th_dir {
	char path[64];
};

static inline void th_dir_make(struct th_dir *d, const char *tag)
{
	snprintf(d->path, sizeof(d->path), "/tmp/sk-test-%s-XXXXXX", tag);
	assert_non_null(mkdtemp(d->path));
}

static inline void th_dir_remove(const struct th_dir *d)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	assert_int_equal(system(cmd), 0);
}

/* "DIR/name", in one of four rotating static buffers (so that a call can
 * take up to four). */
static inline const char *th_at(const struct th_dir *d, const char *name)
{
	static char buf[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", d->path, name);
	return buf[i];
}

/* Writes text to path (created or truncated). */
static inline void th_put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A new file /tmp/sk-test-TAG.XXXXXX holding len bytes of data; its path,
 * allocated (unlink and free it). */
static inline char *th_tmp_file(const char *tag, const void *data, size_t len)
{
	char *path = NULL;
	int fd;

	assert_true(asprintf(&path, "/tmp/sk-test-%s.XXXXXX", tag) > 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

#endif
