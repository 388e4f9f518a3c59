/* SPDX-License-Identifier: MIT */
/*
 * OCI / Docker seccomp profiles: writing (profile.h).  Field order and
 * spelling follow Docker's own default.json, so output diffs cleanly against
 * it and reads back into the same model.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "scmpkit/fileio.h"
#include "json_util.h"
#include "scmpkit/profile.h"

/* json-c helpers that keep going after a failed allocation: the caller
 * checks once at the end (ok is cleared on any failure). */
struct out {
	bool ok;
};

static struct json_object *add(struct out *o, struct json_object *obj,
			       const char *key, struct json_object *v)
{
	if (!v || json_object_object_add(obj, key, v)) {
		json_object_put(v);
		o->ok = false;
		return NULL;
	}
	return v;
}

static void push(struct out *o, struct json_object *arr, struct json_object *v)
{
	if (!v || json_object_array_add(arr, v)) {
		json_object_put(v);
		o->ok = false;
	}
}

static struct json_object *strv(struct out *o, char **v, size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < n; i++)
		push(o, arr, json_object_new_string(v[i]));
	return arr;
}

static struct json_object *arch_tokens(struct out *o, const uint32_t *a,
				       size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < n; i++) {
		const char *name = sk_arch_name(a[i]);

		if (!name) {
			o->ok = false;
			continue;
		}
		push(o, arr, json_object_new_string(name));
	}
	return arr;
}

static bool cond_empty(const struct sk_cond *c)
{
	return !c->n_caps && !c->n_arches && !c->min_kernel;
}

static struct json_object *cond_json(struct out *o, const struct sk_cond *c)
{
	struct json_object *obj = json_object_new_object(), *arr;

	if (!obj)
		return NULL;
	if (c->n_caps)
		add(o, obj, "caps", strv(o, c->caps, c->n_caps));
	if (c->n_arches) {
		arr = add(o, obj, "arches", json_object_new_array());
		for (size_t i = 0; arr && i < c->n_arches; i++) {
			const char *name = sk_cond_arch_name(c->arches[i]);

			if (!name) {
				o->ok = false;
				continue;
			}
			push(o, arr, json_object_new_string(name));
		}
	}
	if (c->min_kernel)
		add(o, obj, "minKernel", json_object_new_string(c->min_kernel));
	return obj;
}

static struct json_object *arg_json(struct out *o, const struct sk_rule_arg *a)
{
	struct json_object *obj = json_object_new_object();
	const char *op = sk_op_name(a->op);

	if (!obj || !op) {
		o->ok = false;
		return obj;
	}
	add(o, obj, "index", json_object_new_int(a->index));
	add(o, obj, "value", json_object_new_uint64(a->value));
	add(o, obj, "valueTwo", json_object_new_uint64(a->value_two));
	add(o, obj, "op", json_object_new_string(op));
	return obj;
}

static struct json_object *rule_json(struct out *o, const struct sk_rule *r)
{
	struct json_object *obj = json_object_new_object(), *arr;
	const char *action = sk_action_name(r->action);

	if (!obj || !action) {
		o->ok = false;
		return obj;
	}
	add(o, obj, "names", strv(o, r->names, r->n_names));
	add(o, obj, "action", json_object_new_string(action));
	if (r->has_errno)
		add(o, obj, "errnoRet", json_object_new_int64(r->errno_ret));
	if (r->n_args) {
		arr = add(o, obj, "args", json_object_new_array());
		for (size_t i = 0; arr && i < r->n_args; i++)
			push(o, arr, arg_json(o, &r->args[i]));
	}
	if (r->comment)
		add(o, obj, "comment", json_object_new_string(r->comment));
	if (!cond_empty(&r->includes))
		add(o, obj, "includes", cond_json(o, &r->includes));
	if (!cond_empty(&r->excludes))
		add(o, obj, "excludes", cond_json(o, &r->excludes));
	return obj;
}

static void arches_json(struct out *o, struct json_object *root,
			const struct sk_profile *p)
{
	struct json_object *arr, *e;

	if (!p->n_arch_map) {
		if (p->n_arches)
			add(o, root, "architectures",
			    arch_tokens(o, p->arches, p->n_arches));
		return;
	}
	arr = add(o, root, "archMap", json_object_new_array());
	for (size_t i = 0; arr && i < p->n_arch_map; i++) {
		const struct sk_arch_map *m = &p->arch_map[i];
		const char *name = sk_arch_name(m->arch);

		e = json_object_new_object();
		if (!e || !name) {
			o->ok = false;
			json_object_put(e);
			continue;
		}
		add(o, e, "architecture", json_object_new_string(name));
		add(o, e, "subArchitectures", arch_tokens(o, m->subs, m->n_subs));
		push(o, arr, e);
	}
}

char *sk_profile_to_json(const struct sk_profile *p)
{
	struct json_object *root = json_object_new_object(), *arr;
	const char *action = sk_action_name(p->default_action);
	struct out o = { .ok = true };
	char *text = NULL;

	if (!root || !action) {
		json_object_put(root);
		return NULL;
	}
	add(&o, root, "defaultAction", json_object_new_string(action));
	if (p->has_default_errno)
		add(&o, root, "defaultErrnoRet",
		    json_object_new_int64(p->default_errno_ret));
	arches_json(&o, root, p);
	if (p->n_flags)
		add(&o, root, "flags", strv(&o, p->flags, p->n_flags));
	arr = add(&o, root, "syscalls", json_object_new_array());
	for (size_t i = 0; arr && i < p->n_rules; i++)
		push(&o, arr, rule_json(&o, &p->rules[i]));
	if (o.ok)
		text = sk_json_dump(root);
	json_object_put(root);
	return text;
}

int sk_profile_save(const struct sk_profile *p, const char *path,
		    struct sk_err *err)
{
	char *text = sk_profile_to_json(p);
	int ret;

	if (!text)
		return sk_err_set(err, ENOMEM,
				  "%s: cannot serialise the profile (out of memory or an invalid field)",
				  path);
	ret = sk_write_atomic(path, text, strlen(text), err);
	free(text);
	return ret;
}
