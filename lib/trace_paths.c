/* SPDX-License-Identifier: MIT */
/*
 * trace.json's paths and ports (trace_paths.h):
 *
 *   "minor": 2,  (written by trace_format.c)
 *   "paths": [{"path": "/etc/hosts", "access": ["read_file"], "kind": "file",
 *              "count": 2, "exe": [0]}],
 *   "paths_unbounded": true,     (only when the table was full)
 *   "ports": [{"port": 8080, "access": ["connect_tcp"], "count": 1}]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/landlock.h"
#include "json_util.h"
#include "trace_paths.h"

static const char *const kinds[] = {
	[SK_PATH_UNKNOWN] = "unknown", [SK_PATH_FILE] = "file", [SK_PATH_DIR] = "dir",
	[SK_PATH_DEVICE] = "device", [SK_PATH_OTHER] = "other", [SK_PATH_MISSING] = "missing",
};

const char *sk_path_kind_name(enum sk_path_kind k)
{
	return (unsigned)k < sizeof(kinds) / sizeof(kinds[0]) ? kinds[k] : "unknown";
}

int sk_path_kind_parse(const char *name, enum sk_path_kind *k)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i], name)) {
			*k = (enum sk_path_kind)i;
			return 0;
		}
	return -ENOENT;
}

void sk_trace_paths_free(struct sk_trace *t)
{
	for (size_t i = 0; i < t->n_paths; i++) {
		free(t->paths[i].path);
		free(t->paths[i].exe);
	}
	free(t->paths);
	free(t->ports);
	t->paths = NULL;
	t->ports = NULL;
	t->n_paths = t->n_ports = 0;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct sk_trace_path *)a)->path,
		      ((const struct sk_trace_path *)b)->path);
}

static int cmp_port(const void *a, const void *b)
{
	return (int)((const struct sk_trace_port *)a)->port -
	       (int)((const struct sk_trace_port *)b)->port;
}

void sk_trace_paths_sort(struct sk_trace *t)
{
	if (t->n_paths > 1)
		qsort(t->paths, t->n_paths, sizeof(*t->paths), cmp_path);
	if (t->n_ports > 1)
		qsort(t->ports, t->n_ports, sizeof(*t->ports), cmp_port);
}

/* ---- reader ---- */

static int bad(struct sk_err *err, const char *file, const char *path,
	       const char *what, const char *name)
{
	return sk_err_set(err, EINVAL, "%s: %s: %s%s%s%s", file, path, what,
			  name ? " \"" : "", name ? name : "", name ? "\"" : "");
}

static int get_access(struct json_object *o, const char *file, const char *path,
		      bool net, uint64_t *mask, struct sk_err *err)
{
	struct json_object *a;
	char p[96];

	*mask = 0;
	snprintf(p, sizeof(p), "%s.access", path);
	if (!json_object_object_get_ex(o, "access", &a))
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return sk_json_type_error(err, file, p, "an array of access rights", a);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		uint64_t bit;

		snprintf(p, sizeof(p), "%s.access[%zu]", path, i);
		if (!json_object_is_type(v, json_type_string))
			return sk_json_type_error(err, file, p, "a string", v);
		if (sk_ll_access_parse(json_object_get_string(v), net, &bit))
			return bad(err, file, p, "unknown access right", json_object_get_string(v));
		*mask |= bit;
	}
	return 0;
}

static int get_count(struct json_object *o, const char *file, const char *path,
		     uint64_t *count, struct sk_err *err)
{
	struct json_object *v;
	char p[96];

	*count = 0;
	snprintf(p, sizeof(p), "%s.count", path);
	if (json_object_object_get_ex(o, "count", &v) && sk_json_u64(v, count))
		return sk_json_type_error(err, file, p, "a non-negative integer", v);
	return 0;
}

static int get_exe(struct json_object *o, const struct sk_trace *t, const char *file,
		   const char *path, struct sk_trace_path *e, struct sk_err *err)
{
	struct json_object *a;
	char p[96];
	uint64_t x;

	if (!json_object_object_get_ex(o, "exe", &a))
		return 0;
	snprintf(p, sizeof(p), "%s.exe", path);
	if (!json_object_is_type(a, json_type_array))
		return sk_json_type_error(err, file, p, "an array", a);
	e->exe = calloc(json_object_array_length(a) + 1, sizeof(*e->exe));
	if (!e->exe)
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);

		snprintf(p, sizeof(p), "%s.exe[%zu]", path, i);
		if (sk_json_u64(v, &x) || x >= t->n_executables)
			return bad(err, file, p, "not an index into \"executables\"", NULL);
		e->exe[e->n_exe++] = (unsigned)x;
	}
	return 0;
}

static int parse_path(struct json_object *o, struct sk_trace *t, const char *file,
		      const char *path, struct sk_err *err)
{
	struct sk_trace_path *e = &t->paths[t->n_paths];
	struct json_object *v;
	char p[96];
	int ret;

	memset(e, 0, sizeof(*e));
	if (!json_object_is_type(o, json_type_object))
		return sk_json_type_error(err, file, path, "an object", o);
	snprintf(p, sizeof(p), "%s.path", path);
	if (!json_object_object_get_ex(o, "path", &v) || !json_object_is_type(v, json_type_string) ||
	    json_object_get_string(v)[0] != '/')
		return bad(err, file, p, "missing or not an absolute path", NULL);
	e->path = strdup(json_object_get_string(v));
	if (!e->path)
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	t->n_paths++;
	snprintf(p, sizeof(p), "%s.kind", path);
	if (json_object_object_get_ex(o, "kind", &v) &&
	    (!json_object_is_type(v, json_type_string) ||
	     sk_path_kind_parse(json_object_get_string(v), &e->kind)))
		return bad(err, file, p, "unknown kind", json_object_get_string(v));
	ret = get_access(o, file, path, false, &e->access, err);
	if (!ret)
		ret = get_count(o, file, path, &e->count, err);
	if (!ret)
		ret = get_exe(o, t, file, path, e, err);
	return ret;
}

static int parse_port(struct json_object *o, struct sk_trace *t, const char *file,
		      const char *path, struct sk_err *err)
{
	struct sk_trace_port *e = &t->ports[t->n_ports];
	struct json_object *v;
	char p[96];
	uint64_t port;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return sk_json_type_error(err, file, path, "an object", o);
	snprintf(p, sizeof(p), "%s.port", path);
	if (!json_object_object_get_ex(o, "port", &v) || sk_json_u64(v, &port) || port > 65535)
		return bad(err, file, p, "missing or not a port number (0 to 65535)", NULL);
	e->port = (uint16_t)port;
	ret = get_access(o, file, path, true, &e->access, err);
	if (!ret)
		ret = get_count(o, file, path, &e->count, err);
	if (!ret)
		t->n_ports++;
	return ret;
}

/* "paths" or "ports": an array of entries, each read by fn. */
static int parse_list(struct json_object *root, struct sk_trace *t, const char *file,
		      const char *key, struct sk_err *err)
{
	bool paths = !strcmp(key, "paths");
	struct json_object *a;
	char p[64];
	size_t n;
	int ret;

	if (!json_object_object_get_ex(root, key, &a))
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return sk_json_type_error(err, file, key, "an array", a);
	n = json_object_array_length(a);
	if (paths)
		t->paths = calloc(n + 1, sizeof(*t->paths));
	else
		t->ports = calloc(n + 1, sizeof(*t->ports));
	if (paths ? !t->paths : !t->ports)
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s[%zu]", key, i);
		ret = paths ? parse_path(json_object_array_get_idx(a, i), t, file, p, err) :
		      parse_port(json_object_array_get_idx(a, i), t, file, p, err);
		if (ret)
			return ret;
	}
	return 0;
}

int sk_trace_paths_parse(struct json_object *root, struct sk_trace *t,
			 const char *file, struct sk_err *err)
{
	struct json_object *v;
	int ret;

	t->has_paths = json_object_object_get_ex(root, "paths", NULL);
	if (json_object_object_get_ex(root, "paths_unbounded", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return sk_json_type_error(err, file, "paths_unbounded", "true or false", v);
		t->paths_unbounded = json_object_get_boolean(v);
	}
	ret = parse_list(root, t, file, "paths", err);
	if (!ret)
		ret = parse_list(root, t, file, "ports", err);
	if (!ret)
		sk_trace_paths_sort(t);
	return ret;
}

/* ---- writer ---- */

static struct json_object *access_json(uint64_t mask, bool net)
{
	struct json_object *a = json_object_new_array();

	for (unsigned b = 0; a && b < 64; b++) {
		const char *name = (mask & (1ULL << b)) ? sk_ll_access_name(1ULL << b, net) : NULL;

		if (name)
			json_object_array_add(a, json_object_new_string(name));
	}
	return a;
}

static struct json_object *path_json(const struct sk_trace_path *e)
{
	struct json_object *o = json_object_new_object(), *a;

	if (!o)
		return NULL;
	json_object_object_add(o, "path", json_object_new_string(e->path));
	json_object_object_add(o, "access", access_json(e->access, false));
	json_object_object_add(o, "kind", json_object_new_string(sk_path_kind_name(e->kind)));
	json_object_object_add(o, "count", json_object_new_uint64(e->count));
	a = json_object_new_array();
	for (size_t i = 0; a && i < e->n_exe; i++)
		json_object_array_add(a, json_object_new_int64(e->exe[i]));
	json_object_object_add(o, "exe", a);
	return o;
}

int sk_trace_paths_json(struct json_object *o, const struct sk_trace *t)
{
	struct json_object *a, *p;

	if (!t->has_paths)
		return 0;
	a = json_object_new_array();
	if (!a)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_paths; i++)
		json_object_array_add(a, path_json(&t->paths[i]));
	json_object_object_add(o, "paths", a);
	if (t->paths_unbounded)
		json_object_object_add(o, "paths_unbounded", json_object_new_boolean(1));
	a = json_object_new_array();
	if (!a)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_ports; i++) {
		p = json_object_new_object();
		if (!p)
			return -ENOMEM;
		json_object_object_add(p, "port", json_object_new_int(t->ports[i].port));
		json_object_object_add(p, "access", access_json(t->ports[i].access, true));
		json_object_object_add(p, "count", json_object_new_uint64(t->ports[i].count));
		json_object_array_add(a, p);
	}
	json_object_object_add(o, "ports", a);
	return 0;
}
