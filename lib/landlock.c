/* SPDX-License-Identifier: MIT */
/*
 * The Landlock ruleset format (landlock.h): reader, writer, rights by name
 * and what each ABI enforces.  Pure: the kernel calls are landlock_sys.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/fileio.h"
#include "scmpkit/landlock.h"
#include "json_util.h"

/*
 * The rights by the kernel's name without its prefix (LANDLOCK_ACCESS_FS_
 * READ_FILE is "read_file"), sorted by name; abi is the first ABI that
 * enforces it (Documentation/userspace-api/landlock.rst).
 */
static const struct right {
	const char *name;
	uint64_t bit;
	bool net;
	int abi;
} rights[] = {
	{ .name = "bind_tcp", .bit = SK_LL_NET_BIND_TCP, .net = true, .abi = 4 },
	{ .name = "connect_tcp", .bit = SK_LL_NET_CONNECT_TCP, .net = true, .abi = 4 },
	{ .name = "execute", .bit = SK_LL_FS_EXECUTE, .abi = 1 },
	{ .name = "ioctl_dev", .bit = SK_LL_FS_IOCTL_DEV, .abi = 5 },
	{ .name = "make_block", .bit = SK_LL_FS_MAKE_BLOCK, .abi = 1 },
	{ .name = "make_char", .bit = SK_LL_FS_MAKE_CHAR, .abi = 1 },
	{ .name = "make_dir", .bit = SK_LL_FS_MAKE_DIR, .abi = 1 },
	{ .name = "make_fifo", .bit = SK_LL_FS_MAKE_FIFO, .abi = 1 },
	{ .name = "make_reg", .bit = SK_LL_FS_MAKE_REG, .abi = 1 },
	{ .name = "make_sock", .bit = SK_LL_FS_MAKE_SOCK, .abi = 1 },
	{ .name = "make_sym", .bit = SK_LL_FS_MAKE_SYM, .abi = 1 },
	{ .name = "read_dir", .bit = SK_LL_FS_READ_DIR, .abi = 1 },
	{ .name = "read_file", .bit = SK_LL_FS_READ_FILE, .abi = 1 },
	{ .name = "refer", .bit = SK_LL_FS_REFER, .abi = 2 },
	{ .name = "remove_dir", .bit = SK_LL_FS_REMOVE_DIR, .abi = 1 },
	{ .name = "remove_file", .bit = SK_LL_FS_REMOVE_FILE, .abi = 1 },
	{ .name = "truncate", .bit = SK_LL_FS_TRUNCATE, .abi = 3 },
	{ .name = "write_file", .bit = SK_LL_FS_WRITE_FILE, .abi = 1 },
};

#define N_RIGHTS (sizeof(rights) / sizeof(rights[0]))

const char *sk_ll_right_at(size_t i)
{
	return i < N_RIGHTS ? rights[i].name : NULL;
}

const char *sk_ll_access_name(uint64_t bit, bool net)
{
	for (size_t i = 0; i < N_RIGHTS; i++)
		if (rights[i].bit == bit && rights[i].net == net)
			return rights[i].name;
	return NULL;
}

int sk_ll_access_parse(const char *name, bool net, uint64_t *bit)
{
	for (size_t i = 0; i < N_RIGHTS; i++)
		if (rights[i].net == net && !strcmp(rights[i].name, name)) {
			*bit = rights[i].bit;
			return 0;
		}
	return -ENOENT;
}

static uint64_t abi_mask(int abi, bool net)
{
	uint64_t m = 0;

	for (size_t i = 0; i < N_RIGHTS; i++)
		if (rights[i].net == net && abi >= rights[i].abi)
			m |= rights[i].bit;
	return m;
}

uint64_t sk_ll_abi_fs(int abi)
{
	return abi_mask(abi, false);
}

uint64_t sk_ll_abi_net(int abi)
{
	return abi_mask(abi, true);
}

int sk_ll_abi_needed(uint64_t fs, uint64_t net)
{
	for (int abi = 1; abi <= SK_LL_ABI_MAX; abi++)
		if (!(fs & ~sk_ll_abi_fs(abi)) && !(net & ~sk_ll_abi_net(abi)))
			return abi;
	return 0;
}

struct sk_landlock *sk_landlock_new(void)
{
	struct sk_landlock *ll = calloc(1, sizeof(*ll));

	if (ll) {
		ll->handled_fs = sk_ll_abi_fs(SK_LL_ABI_MAX);
		ll->handled_net = sk_ll_abi_net(SK_LL_ABI_MAX);
	}
	return ll;
}

void sk_landlock_free(struct sk_landlock *ll)
{
	if (!ll)
		return;
	for (size_t i = 0; i < ll->n_paths; i++) {
		free(ll->paths[i].path);
		free(ll->paths[i].reason);
	}
	for (size_t i = 0; i < ll->n_ports; i++)
		free(ll->ports[i].reason);
	free(ll->paths);
	free(ll->ports);
	free(ll);
}

/* strdup of NULL is NULL; *ok cleared when a copy failed. */
static char *dup_or_null(const char *s, bool *ok)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*ok = false;
	return d;
}

int sk_landlock_add_path(struct sk_landlock *ll, const char *path,
			 uint64_t access, const char *reason)
{
	struct sk_ll_path *p;
	bool ok = true;

	for (size_t i = 0; i < ll->n_paths; i++)
		if (!strcmp(ll->paths[i].path, path)) {
			ll->paths[i].access |= access;
			return 0;
		}
	p = realloc(ll->paths, (ll->n_paths + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	ll->paths = p;
	p = &p[ll->n_paths];
	p->path = dup_or_null(path, &ok);
	p->reason = dup_or_null(reason, &ok);
	p->access = access;
	if (!ok) {
		free(p->path);
		free(p->reason);
		return -ENOMEM;
	}
	ll->n_paths++;
	return 0;
}

int sk_landlock_add_port(struct sk_landlock *ll, uint16_t port,
			 uint64_t access, const char *reason)
{
	struct sk_ll_port *p;
	bool ok = true;

	for (size_t i = 0; i < ll->n_ports; i++)
		if (ll->ports[i].port == port) {
			ll->ports[i].access |= access;
			return 0;
		}
	p = realloc(ll->ports, (ll->n_ports + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	ll->ports = p;
	p = &p[ll->n_ports];
	p->port = port;
	p->access = access;
	p->reason = dup_or_null(reason, &ok);
	if (!ok)
		return -ENOMEM;
	ll->n_ports++;
	return 0;
}

/* ---- reader ---- */

struct rd {
	const char *file;
	struct sk_err *err;
};

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

/* Only the keys in keys[] (NULL-terminated) may be in o. */
static int only_keys(struct rd *r, struct json_object *o, const char *path,
		     const char *const *keys)
{
	json_object_object_foreach(o, key, val) {
		size_t i;

		(void)val;
		for (i = 0; keys[i] && strcmp(keys[i], key); i++)
			;
		if (!keys[i])
			return bad(r, path, "unknown key \"%s\"", key);
	}
	return 0;
}

/* An array of rights' names into *mask. */
static int parse_access(struct rd *r, struct json_object *a, const char *path,
			bool net, uint64_t *mask)
{
	char p[160];

	if (!json_object_is_type(a, json_type_array))
		return sk_json_type_error(r->err, r->file, path, "an array of access rights", a);
	*mask = 0;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		uint64_t bit;

		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if (!json_object_is_type(v, json_type_string))
			return sk_json_type_error(r->err, r->file, p, "a string", v);
		if (sk_ll_access_parse(json_object_get_string(v), net, &bit))
			return bad(r, p, "unknown %s access right \"%s\"%s", net ? "network" : "file",
				   json_object_get_string(v),
				   sk_ll_access_parse(json_object_get_string(v), !net, &bit) ? "" :
				   net ? " (a file right: under \"fs\")" : " (a network right: under \"net\")");
		*mask |= bit;
	}
	return 0;
}

/* "reason": an optional string. */
static int get_reason(struct rd *r, struct json_object *o, const char *path,
		      const char **reason)
{
	struct json_object *v;
	char p[160];

	*reason = NULL;
	if (!json_object_object_get_ex(o, "reason", &v))
		return 0;
	snprintf(p, sizeof(p), "%s.reason", path);
	if (!json_object_is_type(v, json_type_string))
		return sk_json_type_error(r->err, r->file, p, "a string", v);
	*reason = json_object_get_string(v);
	return 0;
}

/* The rights of a rule: present, not empty, handled by the ruleset. */
static int rule_access(struct rd *r, struct json_object *o, const char *path,
		       bool net, uint64_t handled, uint64_t *mask)
{
	struct json_object *v;
	char p[160];
	int ret;

	snprintf(p, sizeof(p), "%s.access", path);
	if (!json_object_object_get_ex(o, "access", &v))
		return bad(r, path, "missing \"access\"");
	ret = parse_access(r, v, p, net, mask);
	if (ret)
		return ret;
	if (!*mask)
		return bad(r, p, "empty: a rule grants at least one right");
	for (uint64_t b = 1; b; b <<= 1)
		if ((*mask & b) && !(handled & b))
			return bad(r, p, "\"%s\" is not in \"handled\": the rule could not grant it",
				   sk_ll_access_name(b, net));
	return 0;
}

static int parse_path_rule(struct rd *r, struct sk_landlock *ll,
			   struct json_object *o, const char *path)
{
	static const char *const keys[] = { "path", "access", "reason", NULL };
	struct json_object *v;
	const char *s, *reason;
	uint64_t mask;
	char p[160];
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return sk_json_type_error(r->err, r->file, path, "an object", o);
	ret = only_keys(r, o, path, keys);
	if (ret)
		return ret;
	snprintf(p, sizeof(p), "%s.path", path);
	if (!json_object_object_get_ex(o, "path", &v))
		return bad(r, path, "missing \"path\"");
	if (!json_object_is_type(v, json_type_string))
		return sk_json_type_error(r->err, r->file, p, "a string", v);
	s = json_object_get_string(v);
	if (s[0] != '/')
		return bad(r, p, "\"%s\" is not an absolute path", s);
	ret = rule_access(r, o, path, false, ll->handled_fs, &mask);
	if (!ret)
		ret = get_reason(r, o, path, &reason);
	if (!ret && sk_landlock_add_path(ll, s, mask, reason))
		ret = sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
	return ret;
}

static int parse_port_rule(struct rd *r, struct sk_landlock *ll,
			   struct json_object *o, const char *path)
{
	static const char *const keys[] = { "port", "access", "reason", NULL };
	struct json_object *v;
	const char *reason;
	uint64_t port, mask;
	char p[160];
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return sk_json_type_error(r->err, r->file, path, "an object", o);
	ret = only_keys(r, o, path, keys);
	if (ret)
		return ret;
	snprintf(p, sizeof(p), "%s.port", path);
	if (!json_object_object_get_ex(o, "port", &v))
		return bad(r, path, "missing \"port\"");
	if (sk_json_u64(v, &port))
		return sk_json_type_error(r->err, r->file, p, "a port number", v);
	if (port > 65535)
		return bad(r, p, "%llu is not a TCP port (0 to 65535)",
			   (unsigned long long)port);
	ret = rule_access(r, o, path, true, ll->handled_net, &mask);
	if (!ret)
		ret = get_reason(r, o, path, &reason);
	if (!ret && sk_landlock_add_port(ll, (uint16_t)port, mask, reason))
		ret = sk_err_set(r->err, ENOMEM, "%s: out of memory", r->file);
	return ret;
}

/* "fs" or "net": an array of rules. */
static int parse_rules(struct rd *r, struct sk_landlock *ll,
		       struct json_object *root, const char *key)
{
	struct json_object *a;
	char p[64];
	int ret;

	if (!json_object_object_get_ex(root, key, &a))
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return sk_json_type_error(r->err, r->file, key, "an array", a);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);

		snprintf(p, sizeof(p), "%s[%zu]", key, i);
		ret = strcmp(key, "fs") ? parse_port_rule(r, ll, o, p) :
		      parse_path_rule(r, ll, o, p);
		if (ret)
			return ret;
	}
	return 0;
}

/* "handled": {"fs": [...], "net": [...]}, each optional. */
static int parse_handled(struct rd *r, struct sk_landlock *ll,
			 struct json_object *root)
{
	static const char *const keys[] = { "fs", "net", NULL };
	struct json_object *h, *v;
	int ret;

	if (!json_object_object_get_ex(root, "handled", &h))
		return 0;
	if (!json_object_is_type(h, json_type_object))
		return sk_json_type_error(r->err, r->file, "handled", "an object", h);
	ret = only_keys(r, h, "handled", keys);
	if (!ret && json_object_object_get_ex(h, "fs", &v))
		ret = parse_access(r, v, "handled.fs", false, &ll->handled_fs);
	if (!ret && json_object_object_get_ex(h, "net", &v))
		ret = parse_access(r, v, "handled.net", true, &ll->handled_net);
	return ret;
}

static int parse_top(struct rd *r, struct sk_landlock *ll, struct json_object *root)
{
	static const char *const keys[] = { "format", "version", "tool", "handled",
					    "fs", "net", NULL };
	struct json_object *v;
	int ret;

	if (!json_object_is_type(root, json_type_object))
		return sk_json_type_error(r->err, r->file, "(top level)", "an object", root);
	if (!json_object_object_get_ex(root, "format", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), SK_LANDLOCK_FORMAT))
		return bad(r, "format", "not a scmpkit Landlock ruleset (expected \"format\": \"%s\")%s",
			   SK_LANDLOCK_FORMAT,
			   json_object_object_get_ex(root, "defaultAction", NULL) ?
			   "; this is a seccomp profile, which goes before the program" : "");
	if (!json_object_object_get_ex(root, "version", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != SK_LANDLOCK_VERSION)
		return bad(r, "version", "unsupported version (this reader knows %d)",
			   SK_LANDLOCK_VERSION);
	ret = only_keys(r, root, "(top level)", keys);
	if (!ret)
		ret = parse_handled(r, ll, root);
	if (!ret)
		ret = parse_rules(r, ll, root, "fs");
	if (!ret)
		ret = parse_rules(r, ll, root, "net");
	return ret;
}

int sk_landlock_parse(const char *text, size_t len, const char *file,
		      struct sk_landlock **out, struct sk_err *err)
{
	struct rd r = { .file = file, .err = err };
	struct json_object *root = NULL;
	struct sk_landlock *ll;
	int ret;

	ret = sk_json_parse(text, len, file, &root, err);
	if (ret)
		return ret;
	ll = sk_landlock_new();
	if (!ll) {
		json_object_put(root);
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	}
	ret = parse_top(&r, ll, root);
	json_object_put(root);
	if (ret) {
		sk_landlock_free(ll);
		return ret;
	}
	*out = ll;
	return 0;
}

int sk_landlock_load(const char *path, struct sk_landlock **out,
		     struct sk_err *err)
{
	char *text;
	size_t len;
	int ret = sk_read_file(path, &text, &len, err);

	if (ret)
		return ret;
	ret = sk_landlock_parse(text, len, path, out, err);
	free(text);
	return ret;
}

/* ---- writer ---- */

static struct json_object *access_json(uint64_t mask, bool net)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < N_RIGHTS; i++)
		if (rights[i].net == net && (mask & rights[i].bit))
			json_object_array_add(a, json_object_new_string(rights[i].name));
	return a;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct sk_ll_path *)a)->path,
		      ((const struct sk_ll_path *)b)->path);
}

static int cmp_port(const void *a, const void *b)
{
	return (int)((const struct sk_ll_port *)a)->port -
	       (int)((const struct sk_ll_port *)b)->port;
}

static struct json_object *rule_json(const char *path, uint16_t port, uint64_t mask,
				     const char *reason)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (path)
		json_object_object_add(o, "path", json_object_new_string(path));
	else
		json_object_object_add(o, "port", json_object_new_int(port));
	json_object_object_add(o, "access", access_json(mask, !path));
	if (reason)
		json_object_object_add(o, "reason", json_object_new_string(reason));
	return o;
}

void sk_landlock_sort(struct sk_landlock *ll)
{
	if (ll->n_paths > 1)
		qsort(ll->paths, ll->n_paths, sizeof(*ll->paths), cmp_path);
	if (ll->n_ports > 1)
		qsort(ll->ports, ll->n_ports, sizeof(*ll->ports), cmp_port);
}

char *sk_landlock_to_json(const struct sk_landlock *ll, const char *tool)
{
	struct json_object *o = json_object_new_object(), *h, *a;
	char *text = NULL;

	if (!o)
		return NULL;
	json_object_object_add(o, "format", json_object_new_string(SK_LANDLOCK_FORMAT));
	json_object_object_add(o, "version", json_object_new_int(SK_LANDLOCK_VERSION));
	if (tool)
		json_object_object_add(o, "tool", json_object_new_string(tool));
	h = json_object_new_object();
	if (h) {
		json_object_object_add(h, "fs", access_json(ll->handled_fs, false));
		json_object_object_add(h, "net", access_json(ll->handled_net, true));
	}
	json_object_object_add(o, "handled", h);
	a = json_object_new_array();
	for (size_t i = 0; a && i < ll->n_paths; i++)
		json_object_array_add(a, rule_json(ll->paths[i].path, 0, ll->paths[i].access,
						   ll->paths[i].reason));
	json_object_object_add(o, "fs", a);
	a = json_object_new_array();
	for (size_t i = 0; a && i < ll->n_ports; i++)
		json_object_array_add(a, rule_json(NULL, ll->ports[i].port, ll->ports[i].access,
						   ll->ports[i].reason));
	json_object_object_add(o, "net", a);
	text = sk_json_dump(o);
	json_object_put(o);
	return text;
}

/* ---- what a kernel enforces ---- */

/* "truncate (ABI 3), ioctl_dev (ABI 5)": the rights in mask, with the ABI
 * each needs. */
static void list_rights(char *buf, size_t len, uint64_t mask, bool net)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < N_RIGHTS && off < len; i++)
		if (rights[i].net == net && (mask & rights[i].bit))
			off += (size_t)snprintf(buf + off, len - off, "%s%s (ABI %d)",
						off ? ", " : "", rights[i].name, rights[i].abi);
}

/* No Landlock at all: the seccomp profile alone, or a refusal. */
static int plan_none(const struct sk_landlock *ll, const char *file, int abi,
		     bool strict, struct sk_warn *warn, struct sk_err *err)
{
	const char *why = abi == -EOPNOTSUPP ? "Landlock is built in but disabled (lsm= on the kernel's command line)" :
			  "this kernel has no Landlock (Linux 5.13+ with CONFIG_SECURITY_LANDLOCK)";

	if (strict)
		return sk_err_set(err, EOPNOTSUPP, "%s: %s; --landlock-strict: not running without it",
				  file, why);
	return sk_warn_add(warn, "%s: %s: its %zu file and %zu port rules are not enforced, the seccomp profile alone applies",
			   file, why, ll->n_paths, ll->n_ports) ? -ENOMEM : 0;
}

int sk_landlock_plan(const struct sk_landlock *ll, const char *file, int abi,
		     bool strict, struct sk_ll_plan *plan, struct sk_warn *warn,
		     struct sk_err *err)
{
	uint64_t lost_fs, lost_net;
	char list[512];
	int ret;

	memset(plan, 0, sizeof(*plan));
	plan->abi = abi;
	if (abi < 1)
		return plan_none(ll, file, abi, strict, warn, err);
	if (abi > SK_LL_ABI_MAX)
		abi = SK_LL_ABI_MAX;
	lost_fs = ll->handled_fs & ~sk_ll_abi_fs(abi);
	lost_net = ll->handled_net & ~sk_ll_abi_net(abi);
	if (lost_fs || lost_net) {
		list_rights(list, sizeof(list), lost_fs, false);
		if (lost_net)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 lost_fs ? "; " : "", "TCP bind and connect (ABI 4)");
		if (strict)
			return sk_err_set(err, EOPNOTSUPP,
					  "%s: this kernel's Landlock (ABI %d) cannot enforce %s; --landlock-strict: not running without them",
					  file, plan->abi, list);
		ret = sk_warn_add(warn, "%s: this kernel's Landlock (ABI %d) cannot enforce %s: the program may do that anywhere",
				  file, plan->abi, list);
		if (ret)
			return -ENOMEM;
	}
	plan->handled_fs = ll->handled_fs & sk_ll_abi_fs(abi);
	plan->handled_net = ll->handled_net & sk_ll_abi_net(abi);
	plan->enforce = plan->handled_fs || plan->handled_net;
	return 0;
}

void sk_landlock_parent(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash && slash != path ? (size_t)(slash - path) : 1;

	if (n >= len)
		n = len - 1;
	memcpy(out, path, n);
	out[n] = 0;
}
