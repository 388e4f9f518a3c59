/* SPDX-License-Identifier: MIT */
/*
 * trace.json version 1: the data model, a validating reader and a
 * deterministic writer.  Every message names the file and the JSON path.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "scmpkit/arch.h"
#include "json_util.h"
#include "scmpkit/trace_format.h"
#include "trace_paths.h"

#define TRACE_FORMAT  SK_TRACE_FORMAT
#define TRACE_VERSION 1
#define TRACE_MINOR   1 /* 1.1: "container", "origin"; written with them */
/* Hostile input guard: far beyond what a recorder emits (64 per syscall). */
#define TUPLES_MAX    65536

struct sk_trace *sk_trace_new(void)
{
	struct sk_trace *t = calloc(1, sizeof(*t));

	if (t) {
		t->complete = true;
		t->guard = -1;
	}
	return t;
}

static void free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void sys_free(struct sk_trace_sys *s)
{
	free(s->name);
	free(s->exe);
	free(s->tuples);
	if (s->errors)
		for (size_t i = 0; i < s->n_errors; i++)
			free(s->errors[i].name);
	free(s->errors);
}

void sk_trace_free(struct sk_trace *t)
{
	if (!t)
		return;
	free(t->tool);
	free(t->backend);
	free_strv(t->command, t->n_command);
	free(t->started);
	free(t->kernel);
	free(t->incomplete_reason);
	free(t->guard_note);
	free_strv(t->executables, t->n_executables);
	for (size_t i = 0; i < t->n_sys; i++)
		sys_free(&t->sys[i]);
	free(t->sys);
	sk_trace_paths_free(t);
	if (t->container) {
		free(t->container->id);
		free(t->container->name);
		free(t->container->runtime);
		free(t->container->cgroup);
		free(t->container->start);
		free(t->container->files);
		free(t->container);
	}
	free(t);
}

int sk_trace_take_runtime(struct sk_trace *t, struct sk_trace *from)
{
	struct sk_trace_sys *grown;

	if (!from->n_sys)
		return 0;
	grown = realloc(t->sys, (t->n_sys + from->n_sys) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	t->sys = grown;
	for (size_t i = 0; i < from->n_sys; i++) {
		t->sys[t->n_sys] = from->sys[i];
		t->sys[t->n_sys++].runtime = true;
	}
	free(from->sys);
	from->sys = NULL;
	from->n_sys = 0;
	return 0;
}

struct sk_trace_sys *sk_trace_add_sys(struct sk_trace *t, uint32_t arch,
				      int nr, const char *name)
{
	struct sk_trace_sys *s, *grown;
	char *copy = NULL;

	if (name && !(copy = strdup(name)))
		return NULL;
	grown = realloc(t->sys, (t->n_sys + 1) * sizeof(*t->sys));
	if (!grown) {
		free(copy);
		return NULL;
	}
	t->sys = grown;
	s = &t->sys[t->n_sys++];
	memset(s, 0, sizeof(*s));
	s->arch = arch;
	s->nr = nr;
	s->name = copy;
	return s;
}

static int cmp_sys(const void *a, const void *b)
{
	const struct sk_trace_sys *x = a, *y = b;
	int c;

	if (x->arch != y->arch) {
		c = strcmp(sk_arch_name(x->arch) ? sk_arch_name(x->arch) : "",
			   sk_arch_name(y->arch) ? sk_arch_name(y->arch) : "");
		if (c)
			return c;
		return x->arch < y->arch ? -1 : 1;
	}
	/* Named calls first, by name; unnamed ones by number. */
	if (x->name && y->name) {
		c = strcmp(x->name, y->name);
		if (c)
			return c;
	} else if (x->name || y->name) {
		return x->name ? -1 : 1;
	}
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return (int)x->runtime - (int)y->runtime;
}

void sk_trace_sort(struct sk_trace *t)
{
	if (t->n_sys > 1)
		qsort(t->sys, t->n_sys, sizeof(*t->sys), cmp_sys);
}

void sk_trace_prune_executables(struct sk_trace *t)
{
	unsigned *map = calloc(t->n_executables + 1, sizeof(*map));
	size_t kept = 0;

	if (!map)
		return; /* keeps them all: more, never fewer */
	for (size_t i = 0; i < t->n_sys; i++)
		for (size_t k = 0; k < t->sys[i].n_exe; k++)
			if (t->sys[i].exe[k] < t->n_executables)
				map[t->sys[i].exe[k]] = 1;
	for (size_t e = 0; e < t->n_executables; e++) {
		if (!map[e]) {
			free(t->executables[e]);
			continue;
		}
		map[e] = (unsigned)kept;
		t->executables[kept++] = t->executables[e];
	}
	for (size_t i = 0; i < t->n_sys; i++)
		for (size_t k = 0; k < t->sys[i].n_exe; k++)
			t->sys[i].exe[k] = map[t->sys[i].exe[k]];
	if (kept < t->n_executables)
		t->executables[kept] = NULL;
	t->n_executables = kept;
	free(map);
}

/* ---- reader ---- */

struct rd {
	const char *file;
	struct sk_err *err;
};

/* snprintf for JSON paths: a path cut short only shortens a message. */
static void pathf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static int bad(struct rd *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct rd *r, const char *path, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return sk_err_set(r->err, EINVAL, "%s: %s: %s", r->file, path, what);
}

static int want_type(struct rd *r, struct json_object *o, json_type type,
		     const char *path)
{
	if (json_object_is_type(o, type))
		return 0;
	return sk_json_type_error(r->err, r->file, path,
				  type == json_type_string ? "a string" :
				  type == json_type_array ? "an array" :
				  type == json_type_object ? "an object" :
				  type == json_type_boolean ? "true or false" : "a value", o);
}

static int get_u64(struct rd *r, struct json_object *o, const char *path,
		   uint64_t *v)
{
	int ret = sk_json_u64(o, v);

	if (ret == -ERANGE)
		return bad(r, path, "must not be negative");
	if (ret)
		return sk_json_type_error(r->err, r->file, path,
					  "a non-negative integer", o);
	return 0;
}

static int get_str(struct rd *r, struct json_object *o, const char *path,
		   char **out)
{
	int ret = want_type(r, o, json_type_string, path);

	if (ret)
		return ret;
	*out = strdup(json_object_get_string(o));
	return *out ? 0 : sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
}

static int get_strv(struct rd *r, struct json_object *o, const char *path,
		    char ***out, size_t *n)
{
	char p[128];
	size_t len;
	int ret;

	ret = want_type(r, o, json_type_array, path);
	if (ret)
		return ret;
	len = json_object_array_length(o);
	*out = calloc(len + 1, sizeof(char *));
	if (!*out)
		return sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
	for (size_t i = 0; i < len; i++) {
		pathf(p, sizeof(p), "%s[%zu]", path, i);
		ret = get_str(r, json_object_array_get_idx(o, i), p, &(*out)[i]);
		if (ret)
			return ret;
		*n = i + 1;
	}
	return 0;
}

static int cmp_u(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

int sk_tuple_cmp(const void *a, const void *b, void *width)
{
	const uint64_t *x = a, *y = b;

	for (unsigned i = 0; i < *(unsigned *)width; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static int parse_args(struct rd *r, struct json_object *o, const char *path,
		      struct sk_trace_sys *s)
{
	unsigned w = s->n_argidx;
	size_t len, k = 0;
	char p[160];

	if (json_object_is_type(o, json_type_string)) {
		if (strcmp(json_object_get_string(o), "unbounded"))
			return sk_json_type_error(r->err, r->file, path,
						  "an array of tuples or \"unbounded\"", o);
		s->args_unbounded = true;
		return 0;
	}
	if (!json_object_is_type(o, json_type_array))
		return sk_json_type_error(r->err, r->file, path,
					  "an array of tuples or \"unbounded\"", o);
	len = json_object_array_length(o);
	if (len > TUPLES_MAX)
		return bad(r, path, "%zu tuples (at most %d)", len, TUPLES_MAX);
	if (len && !w)
		return bad(r, path, "tuples given but \"argidx\" is empty or missing");
	s->tuples = calloc(len * w + 1, sizeof(uint64_t));
	if (!s->tuples)
		return sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
	for (size_t i = 0; i < len; i++) {
		struct json_object *t = json_object_array_get_idx(o, i);
		int ret;

		pathf(p, sizeof(p), "%s[%zu]", path, i);
		ret = want_type(r, t, json_type_array, p);
		if (ret)
			return ret;
		if (json_object_array_length(t) != w)
			return bad(r, p, "tuple has %zu values, \"argidx\" names %u positions",
				   json_object_array_length(t), w);
		for (unsigned j = 0; j < w; j++) {
			char pj[176];

			pathf(pj, sizeof(pj), "%s[%u]", p, j);
			ret = get_u64(r, json_object_array_get_idx(t, j), pj,
				      &s->tuples[i * w + j]);
			if (ret)
				return ret;
		}
	}
	/* Sorted and unique, whatever order the writer used. */
	if (len > 1)
		qsort_r(s->tuples, len, w * sizeof(uint64_t), sk_tuple_cmp, &w);
	for (size_t i = 0; i < len; i++)
		if (!k || sk_tuple_cmp(&s->tuples[(k - 1) * w], &s->tuples[i * w], &w))
			memmove(&s->tuples[k++ * w], &s->tuples[i * w],
				w * sizeof(uint64_t));
	s->n_tuples = k;
	return 0;
}

static int parse_errors(struct rd *r, struct json_object *o, const char *path,
			struct sk_trace_sys *s)
{
	size_t n = 0;
	char p[160];
	int ret;

	ret = want_type(r, o, json_type_object, path);
	if (ret)
		return ret;
	s->has_errors = true;
	s->errors = calloc((size_t)json_object_object_length(o) + 1,
			   sizeof(*s->errors));
	if (!s->errors)
		return sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
	json_object_object_foreach(o, key, val) {
		pathf(p, sizeof(p), "%s.%s", path, key);
		if (key[0] != 'E' || !key[1])
			return bad(r, p, "not an errno name (\"ENOENT\", or \"E123\")");
		ret = get_u64(r, val, p, &s->errors[n].count);
		if (ret)
			return ret;
		s->errors[n].name = strdup(key);
		if (!s->errors[n].name)
			return sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
		s->n_errors = ++n;
	}
	return 0;
}

/* What libseccomp's names look like ("_llseek", "io_uring_setup"). */
static bool syscall_name_shaped(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

	return n && n <= 64 && !s[n];
}

/* A name is written into every output format, and where libseccomp knows
 * it on the entry's arch it must be the call "nr" says. */
static int parse_name(struct rd *r, struct json_object *v, const char *path,
		      struct sk_trace_sys *s)
{
	char p[160];
	int ret, known;

	pathf(p, sizeof(p), "%s.name", path);
	ret = get_str(r, v, p, &s->name);
	if (ret)
		return ret;
	/* It becomes a name in systemd, minijail and C outputs. */
	if (!syscall_name_shaped(s->name))
		return bad(r, p, "\"%s\" is not a syscall name (letters, digits and _, at most 64)",
			   s->name);
	known = sk_syscall_nr(s->arch, s->name);
	if (known >= 0 && known != s->nr)
		return bad(r, p, "\"%s\" is number %d on %s, not %d",
			   s->name, known, sk_arch_name(s->arch), s->nr);
	return 0;
}

/* "arch", "nr" and "name": the entry they identify, appended to t. */
static int parse_sys_id(struct rd *r, struct sk_trace *t, struct json_object *o,
			const char *path, struct sk_trace_sys **out)
{
	struct json_object *v;
	struct sk_trace_sys *s;
	char p[160];
	uint32_t arch;
	uint64_t u;
	int ret;

	pathf(p, sizeof(p), "%s.arch", path);
	if (!json_object_object_get_ex(o, "arch", &v))
		return bad(r, path, "missing \"arch\"");
	ret = want_type(r, v, json_type_string, p);
	if (ret)
		return ret;
	if (sk_arch_parse(json_object_get_string(v), &arch))
		return bad(r, p, "unknown architecture \"%s\"", json_object_get_string(v));
	pathf(p, sizeof(p), "%s.nr", path);
	if (!json_object_object_get_ex(o, "nr", &v))
		return bad(r, path, "missing \"nr\"");
	ret = get_u64(r, v, p, &u);
	if (ret)
		return ret;
	if (u > 0x7fffffff)
		return bad(r, p, "syscall number %" PRIu64 " out of range", u);
	s = sk_trace_add_sys(t, arch, (int)u, NULL);
	if (!s)
		return sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
	*out = s;
	if (json_object_object_get_ex(o, "name", &v) &&
	    !json_object_is_type(v, json_type_null))
		return parse_name(r, v, path, s);
	return 0;
}

/* "exe": indexes into the trace's "executables", read before "syscalls". */
static int parse_exe(struct rd *r, const struct sk_trace *t,
		     struct json_object *v, const char *path,
		     struct sk_trace_sys *s)
{
	char p[160];
	uint64_t u;
	size_t len;
	int ret;

	pathf(p, sizeof(p), "%s.exe", path);
	ret = want_type(r, v, json_type_array, p);
	if (ret)
		return ret;
	len = json_object_array_length(v);
	s->exe = calloc(len + 1, sizeof(*s->exe));
	if (!s->exe)
		return sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
	for (size_t i = 0; i < len; i++) {
		pathf(p, sizeof(p), "%s.exe[%zu]", path, i);
		ret = get_u64(r, json_object_array_get_idx(v, i), p, &u);
		if (ret)
			return ret;
		if (u >= t->n_executables)
			return bad(r, p, "index %" PRIu64 " but \"executables\" has %zu entries",
				   u, t->n_executables);
		s->exe[s->n_exe++] = (unsigned)u;
	}
	qsort(s->exe, s->n_exe, sizeof(*s->exe), cmp_u);
	return 0;
}

/* "argidx": the positions each tuple of "args" holds. */
static int parse_argidx(struct rd *r, struct json_object *v, const char *path,
			struct sk_trace_sys *s)
{
	char p[160];
	uint64_t u;
	size_t len;
	int ret;

	pathf(p, sizeof(p), "%s.argidx", path);
	ret = want_type(r, v, json_type_array, p);
	if (ret)
		return ret;
	len = json_object_array_length(v);
	if (len > 6)
		return bad(r, p, "%zu positions (a syscall has 6 arguments)", len);
	for (size_t i = 0; i < len; i++) {
		pathf(p, sizeof(p), "%s.argidx[%zu]", path, i);
		ret = get_u64(r, json_object_array_get_idx(v, i), p, &u);
		if (ret)
			return ret;
		if (u > 5)
			return bad(r, p, "argument index %" PRIu64 " (0 to 5)", u);
		if (i && u <= s->argidx[i - 1])
			return bad(r, p, "positions must be ascending and distinct");
		s->argidx[s->n_argidx++] = (unsigned)u;
	}
	return 0;
}

/* "origin": who made the entry's calls; "runtime" is the one value. */
static int parse_sys_origin(struct rd *r, struct json_object *v,
			    const char *path, struct sk_trace_sys *s)
{
	char p[160];
	int ret;

	pathf(p, sizeof(p), "%s.origin", path);
	ret = want_type(r, v, json_type_string, p);
	if (ret)
		return ret;
	if (strcmp(json_object_get_string(v), "runtime"))
		return bad(r, p, "unknown origin (the one value is \"runtime\")");
	s->runtime = true;
	return 0;
}

static int parse_sys(struct rd *r, struct sk_trace *t, struct json_object *o,
		     const char *path)
{
	struct sk_trace_sys *s = NULL;
	struct json_object *v;
	char p[160];
	int ret;

	ret = want_type(r, o, json_type_object, path);
	if (ret)
		return ret;
	ret = parse_sys_id(r, t, o, path, &s);
	if (ret)
		return ret;
	pathf(p, sizeof(p), "%s.count", path);
	if (!json_object_object_get_ex(o, "count", &v))
		return bad(r, path, "missing \"count\"");
	ret = get_u64(r, v, p, &s->count);
	if (ret)
		return ret;
	if (json_object_object_get_ex(o, "exe", &v) &&
	    (ret = parse_exe(r, t, v, path, s)))
		return ret;
	if (json_object_object_get_ex(o, "argidx", &v) &&
	    (ret = parse_argidx(r, v, path, s)))
		return ret;
	if (json_object_object_get_ex(o, "args", &v)) {
		pathf(p, sizeof(p), "%s.args", path);
		ret = parse_args(r, v, p, s);
		if (ret)
			return ret;
	} else if (s->n_argidx) {
		return bad(r, path, "\"argidx\" without \"args\"");
	}
	if (json_object_object_get_ex(o, "errors", &v)) {
		pathf(p, sizeof(p), "%s.errors", path);
		ret = parse_errors(r, v, p, s);
		if (ret)
			return ret;
	}
	if (json_object_object_get_ex(o, "origin", &v))
		return parse_sys_origin(r, v, path, s);
	return 0;
}

static int parse_exit(struct rd *r, struct sk_trace *t, struct json_object *o)
{
	struct json_object *v;
	uint64_t u;
	int ret;

	if (json_object_is_type(o, json_type_null))
		return 0;
	ret = want_type(r, o, json_type_object, "exit");
	if (ret)
		return ret;
	if (json_object_object_get_ex(o, "signal", &v)) {
		ret = get_u64(r, v, "exit.signal", &u);
		if (ret)
			return ret;
		if (u < 1 || u > 64)
			return bad(r, "exit.signal", "signal %" PRIu64 " (1 to 64)", u);
		t->exit_signal = (int)u;
	} else if (json_object_object_get_ex(o, "code", &v)) {
		ret = get_u64(r, v, "exit.code", &u);
		if (ret)
			return ret;
		if (u > 255)
			return bad(r, "exit.code", "exit status %" PRIu64 " (0 to 255)", u);
		t->exit_code = (int)u;
	} else {
		return bad(r, "exit", "needs \"code\" or \"signal\"");
	}
	t->has_exit = true;
	return 0;
}

/* "signal_guard": {"active": true, "restarts": N, "handovers": N} or
 * {"active": false, "reason": "..."}. */
static int parse_guard(struct rd *r, struct sk_trace *t, struct json_object *o)
{
	struct json_object *v;
	int ret = want_type(r, o, json_type_object, "signal_guard");

	if (ret)
		return ret;
	if (!json_object_object_get_ex(o, "active", &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return bad(r, "signal_guard.active", "needs a boolean");
	t->guard = json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "restarts", &v) &&
	    (ret = get_u64(r, v, "signal_guard.restarts", &t->restarts)))
		return ret;
	if (json_object_object_get_ex(o, "handovers", &v) &&
	    (ret = get_u64(r, v, "signal_guard.handovers", &t->handovers)))
		return ret;
	if (json_object_object_get_ex(o, "reason", &v) &&
	    (ret = get_str(r, v, "signal_guard.reason", &t->guard_note)))
		return ret;
	return 0;
}

static int get_bool(struct rd *r, struct json_object *o, const char *path,
		    bool *out)
{
	int ret = want_type(r, o, json_type_boolean, path);

	if (ret)
		return ret;
	*out = json_object_get_boolean(o);
	return 0;
}

/* A seccomp profile given by mistake gets a message that says so. */
static int check_format(struct rd *r, struct json_object *root)
{
	struct json_object *v;

	if (!json_object_object_get_ex(root, "format", &v) &&
	    json_object_object_get_ex(root, "defaultAction", NULL))
		return bad(r, "format", "missing: this is a seccomp profile (it has \"defaultAction\"), not a trace; scmp-gen reads what scmp-trace records");
	if (!json_object_object_get_ex(root, "format", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), TRACE_FORMAT))
		return bad(r, "format", "not a scmpkit trace (expected \"format\": \"%s\")",
			   TRACE_FORMAT);
	if (!json_object_object_get_ex(root, "version", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != TRACE_VERSION)
		return bad(r, "version", "unsupported version (this reader knows %d)",
			   TRACE_VERSION);
	return 0;
}

/* What recorded the trace, and where: all optional. */
static int parse_origin(struct rd *r, struct sk_trace *t, struct json_object *root)
{
	struct json_object *v;
	int ret;

	if (json_object_object_get_ex(root, "tool", &v) &&
	    (ret = get_str(r, v, "tool", &t->tool)))
		return ret;
	if (json_object_object_get_ex(root, "backend", &v) &&
	    (ret = get_str(r, v, "backend", &t->backend)))
		return ret;
	if (json_object_object_get_ex(root, "command", &v) &&
	    (ret = get_strv(r, v, "command", &t->command, &t->n_command)))
		return ret;
	if (json_object_object_get_ex(root, "started", &v) &&
	    (ret = get_str(r, v, "started", &t->started)))
		return ret;
	if (json_object_object_get_ex(root, "duration_ms", &v) &&
	    (ret = get_u64(r, v, "duration_ms", &t->duration_ms)))
		return ret;
	if (json_object_object_get_ex(root, "kernel", &v) &&
	    (ret = get_str(r, v, "kernel", &t->kernel)))
		return ret;
	if (json_object_object_get_ex(root, "machine", &v)) {
		ret = want_type(r, v, json_type_string, "machine");
		if (ret)
			return ret;
		if (sk_arch_parse(json_object_get_string(v), &t->machine))
			return bad(r, "machine", "unknown architecture \"%s\"",
				   json_object_get_string(v));
	}
	return 0;
}

/* How the run ended and how much of it the trace holds. */
static int parse_outcome(struct rd *r, struct sk_trace *t, struct json_object *root)
{
	struct json_object *v;
	int ret;

	if (json_object_object_get_ex(root, "exit", &v) &&
	    (ret = parse_exit(r, t, v)))
		return ret;
	if (json_object_object_get_ex(root, "complete", &v) &&
	    (ret = get_bool(r, v, "complete", &t->complete)))
		return ret;
	if (json_object_object_get_ex(root, "incomplete_reason", &v) &&
	    (ret = get_str(r, v, "incomplete_reason", &t->incomplete_reason)))
		return ret;
	if (json_object_object_get_ex(root, "attached", &v) &&
	    (ret = get_bool(r, v, "attached", &t->attached)))
		return ret;
	if (json_object_object_get_ex(root, "signal_guard", &v) &&
	    (ret = parse_guard(r, t, v)))
		return ret;
	return 0;
}

static int parse_syscalls(struct rd *r, struct sk_trace *t, struct json_object *v)
{
	char p[64];
	int ret;

	ret = want_type(r, v, json_type_array, "syscalls");
	if (ret)
		return ret;
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		pathf(p, sizeof(p), "syscalls[%zu]", i);
		ret = parse_sys(r, t, json_object_array_get_idx(v, i), p);
		if (ret)
			return ret;
	}
	/* The same (arch, nr, origin) twice is a corrupt trace, not something to merge. */
	for (size_t i = 0; i < t->n_sys; i++)
		for (size_t j = i + 1; j < t->n_sys; j++)
			if (t->sys[i].arch == t->sys[j].arch && t->sys[i].nr == t->sys[j].nr &&
			    t->sys[i].runtime == t->sys[j].runtime)
				return bad(r, "syscalls",
					   "entries [%zu] and [%zu] are both %s %d on %s",
					   i, j, t->sys[i].name ? t->sys[i].name : "number",
					   t->sys[i].nr, sk_arch_name(t->sys[i].arch));
	return 0;
}

/* "container": {"id", "name", "runtime", "cgroup", "start", "files"}, each optional. */
static int parse_container(struct rd *r, struct sk_trace *t, struct json_object *o)
{
	static const char *const keys[] = { "id", "name", "runtime", "cgroup", "start", "files" };
	struct sk_trace_container *c = calloc(1, sizeof(*c));
	char **fields[6], path[32];
	struct json_object *v;
	int ret = 0;

	if (!c)
		return sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
	t->container = c;
	fields[0] = &c->id;
	fields[1] = &c->name;
	fields[2] = &c->runtime;
	fields[3] = &c->cgroup;
	fields[4] = &c->start;
	fields[5] = &c->files;
	ret = want_type(r, o, json_type_object, "container");
	for (size_t i = 0; i < 6 && !ret; i++) {
		pathf(path, sizeof(path), "container.%s", keys[i]);
		if (json_object_object_get_ex(o, keys[i], &v))
			ret = get_str(r, v, path, fields[i]);
	}
	return ret;
}

static int parse_top(struct rd *r, struct sk_trace *t, struct json_object *root)
{
	struct json_object *v;
	int ret;

	ret = want_type(r, root, json_type_object, "(top level)");
	if (!ret)
		ret = check_format(r, root);
	if (!ret)
		ret = parse_origin(r, t, root);
	if (!ret)
		ret = parse_outcome(r, t, root);
	if (ret)
		return ret;
	/* Before "syscalls", whose "exe" entries index it. */
	if (json_object_object_get_ex(root, "executables", &v) &&
	    (ret = get_strv(r, v, "executables", &t->executables, &t->n_executables)))
		return ret;
	if (json_object_object_get_ex(root, "processes", &v) &&
	    (ret = get_u64(r, v, "processes", &t->processes)))
		return ret;
	if (json_object_object_get_ex(root, "threads", &v) &&
	    (ret = get_u64(r, v, "threads", &t->threads)))
		return ret;
	if (json_object_object_get_ex(root, "container", &v) &&
	    (ret = parse_container(r, t, v)))
		return ret;
	if (!json_object_object_get_ex(root, "syscalls", &v))
		return bad(r, "(top level)", "missing \"syscalls\"");
	ret = parse_syscalls(r, t, v);
	if (!ret)
		ret = sk_trace_paths_parse(root, t, r->file, r->err);
	if (ret)
		return ret;
	sk_trace_sort(t);
	return 0;
}

int sk_trace_parse(const char *text, size_t len, const char *file,
		   struct sk_trace **out, struct sk_err *err)
{
	struct rd r = { .file = file, .err = err };
	struct json_object *root;
	struct sk_trace *t;
	int ret;

	*out = NULL;
	ret = sk_json_parse(text, len, file, &root, err);
	if (ret)
		return ret;
	t = sk_trace_new();
	if (!t) {
		json_object_put(root);
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	}
	ret = parse_top(&r, t, root);
	json_object_put(root);
	if (ret) {
		sk_trace_free(t);
		return ret;
	}
	*out = t;
	return 0;
}

int sk_trace_load(const char *path, struct sk_trace **out, struct sk_err *err)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	size_t len;
	char *text;
	int ret;

	*out = NULL;
	ret = sk_read_file(path, &text, &len, err);
	if (ret)
		return ret;
	ret = sk_trace_parse(text, len, name, out, err);
	free(text);
	return ret;
}

/* ---- writer ---- */

static int add(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

static int push(struct json_object *a, struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	if (json_object_array_add(a, v)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *strv_json(char *const *v, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < n; i++)
		if (push(a, json_object_new_string(v[i] ? v[i] : ""))) {
			json_object_put(a);
			return NULL;
		}
	return a;
}

static struct json_object *sys_json(const struct sk_trace_sys *s)
{
	struct json_object *o = json_object_new_object(), *a;
	int ret = 0;

	if (!o)
		return NULL;
	ret |= add(o, "arch", json_object_new_string(sk_arch_name(s->arch) ?
						    sk_arch_name(s->arch) : "?"));
	if (s->name)
		ret |= add(o, "name", json_object_new_string(s->name));
	else
		ret |= json_object_object_add(o, "name", NULL) ? -ENOMEM : 0;
	ret |= add(o, "nr", json_object_new_int64(s->nr));
	ret |= add(o, "count", json_object_new_uint64(s->count));
	a = json_object_new_array();
	for (size_t i = 0; a && i < s->n_exe; i++)
		ret |= push(a, json_object_new_int64(s->exe[i]));
	ret |= add(o, "exe", a);
	if (s->n_argidx) {
		a = json_object_new_array();
		for (unsigned i = 0; a && i < s->n_argidx; i++)
			ret |= push(a, json_object_new_int64(s->argidx[i]));
		ret |= add(o, "argidx", a);
		if (s->args_unbounded) {
			ret |= add(o, "args", json_object_new_string("unbounded"));
		} else {
			a = json_object_new_array();
			for (size_t k = 0; a && k < s->n_tuples; k++) {
				struct json_object *tu = json_object_new_array();

				for (unsigned j = 0; tu && j < s->n_argidx; j++)
					ret |= push(tu, json_object_new_uint64(
						s->tuples[k * s->n_argidx + j]));
				ret |= push(a, tu);
			}
			ret |= add(o, "args", a);
		}
	}
	if (s->has_errors) {
		a = json_object_new_object();
		for (size_t i = 0; a && i < s->n_errors; i++)
			ret |= add(a, s->errors[i].name,
				   json_object_new_uint64(s->errors[i].count));
		ret |= add(o, "errors", a);
	}
	if (s->runtime)
		ret |= add(o, "origin", json_object_new_string("runtime"));
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *guard_json(const struct sk_trace *t)
{
	struct json_object *g = json_object_new_object();
	int ret = 0;

	if (!g)
		return NULL;
	ret |= add(g, "active", json_object_new_boolean(t->guard));
	if (t->guard) {
		ret |= add(g, "restarts", json_object_new_uint64(t->restarts));
		ret |= add(g, "handovers", json_object_new_uint64(t->handovers));
	} else if (t->guard_note) {
		ret |= add(g, "reason", json_object_new_string(t->guard_note));
	}
	if (ret) {
		json_object_put(g);
		return NULL;
	}
	return g;
}

static struct json_object *container_json(const struct sk_trace_container *c)
{
	struct json_object *o = json_object_new_object();
	int ret = 0;

	if (!o)
		return NULL;
	if (c->id)
		ret |= add(o, "id", json_object_new_string(c->id));
	if (c->name)
		ret |= add(o, "name", json_object_new_string(c->name));
	if (c->runtime)
		ret |= add(o, "runtime", json_object_new_string(c->runtime));
	if (c->cgroup)
		ret |= add(o, "cgroup", json_object_new_string(c->cgroup));
	if (c->start)
		ret |= add(o, "start", json_object_new_string(c->start));
	if (c->files)
		ret |= add(o, "files", json_object_new_string(c->files));
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

char *sk_trace_to_json(const struct sk_trace *t)
{
	struct json_object *o = json_object_new_object(), *a, *e;
	char *text = NULL;
	int ret = 0;

	if (!o)
		return NULL;
	ret |= add(o, "format", json_object_new_string(TRACE_FORMAT));
	ret |= add(o, "version", json_object_new_int(TRACE_VERSION));
	if (t->container || t->has_paths)
		ret |= add(o, "minor", json_object_new_int(t->has_paths ? SK_TRACE_MINOR_PATHS :
							   TRACE_MINOR));
	if (t->tool)
		ret |= add(o, "tool", json_object_new_string(t->tool));
	if (t->backend)
		ret |= add(o, "backend", json_object_new_string(t->backend));
	ret |= add(o, "command", strv_json(t->command, t->n_command));
	if (t->started)
		ret |= add(o, "started", json_object_new_string(t->started));
	ret |= add(o, "duration_ms", json_object_new_uint64(t->duration_ms));
	if (t->kernel)
		ret |= add(o, "kernel", json_object_new_string(t->kernel));
	if (t->machine && sk_arch_name(t->machine))
		ret |= add(o, "machine", json_object_new_string(sk_arch_name(t->machine)));
	if (t->has_exit) {
		e = json_object_new_object();
		if (e && t->exit_signal)
			ret |= add(e, "signal", json_object_new_int(t->exit_signal));
		else if (e)
			ret |= add(e, "code", json_object_new_int(t->exit_code));
		ret |= add(o, "exit", e);
	}
	ret |= add(o, "complete", json_object_new_boolean(t->complete));
	if (!t->complete && t->incomplete_reason)
		ret |= add(o, "incomplete_reason",
			   json_object_new_string(t->incomplete_reason));
	if (t->attached)
		ret |= add(o, "attached", json_object_new_boolean(true));
	if (t->container)
		ret |= add(o, "container", container_json(t->container));
	if (t->guard >= 0)
		ret |= add(o, "signal_guard", guard_json(t));
	ret |= add(o, "executables", strv_json(t->executables, t->n_executables));
	ret |= add(o, "processes", json_object_new_uint64(t->processes));
	ret |= add(o, "threads", json_object_new_uint64(t->threads));
	a = json_object_new_array();
	for (size_t i = 0; a && i < t->n_sys; i++)
		ret |= push(a, sys_json(&t->sys[i]));
	ret |= add(o, "syscalls", a);
	ret |= sk_trace_paths_json(o, t);
	if (!ret)
		text = sk_json_dump(o);
	json_object_put(o);
	return text;
}

int sk_trace_save(const struct sk_trace *t, const char *path,
		  struct sk_err *err)
{
	char *text = sk_trace_to_json(t);
	int ret;

	if (!text)
		return sk_err_set(err, ENOMEM, "%s: out of memory", path);
	ret = sk_write_atomic(path, text, strlen(text), err);
	free(text);
	return ret;
}
