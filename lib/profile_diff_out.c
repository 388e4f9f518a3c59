/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen --diff's words (profile_diff.h): a condition as text, the
 * whole comparison as text and as JSON ("scmpkit-diff", version 1, man
 * scmp-gen).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "json_util.h"
#include "scmpkit/arch.h"
#include "scmpkit/cli.h"
#include "scmpkit/denial.h"
#include "scmpkit/textesc.h"
#include "scmpkit/profile_diff.h"

/* "read", or "syscall 451" for a number libseccomp does not know. */
static void put_call(char *buf, size_t len, const struct sk_diff_change *c)
{
	if (c->name)
		sk_text_append(buf, len, "%s", c->name);
	else
		sk_text_append(buf, len, "syscall %d", c->nr);
}

/* A trace's tuple: "socket(domain=AF_INET, type=SOCK_STREAM)". */
static void put_tuple(char *buf, size_t len, const struct sk_diff_change *c,
		      const struct sk_diff_cond *cond)
{
	unsigned idx[6];
	uint64_t v[6];
	size_t n = cond->n_args < 6 ? cond->n_args : 6;
	char s[512];

	if (!c->name) {
		put_call(buf, len, c);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		idx[i] = cond->args[i].index;
		v[i] = cond->args[i].value;
	}
	sk_denial_tuple(c->name, (unsigned)n, idx, v, s, sizeof(s));
	sk_text_append(buf, len, "%s", s);
}

/* A profile's rule: "socket when domain == AF_INET and type == 1". */
static void put_rule(char *buf, size_t len, const struct sk_diff_change *c,
		     const struct sk_diff_cond *cond)
{
	char s[256];

	put_call(buf, len, c);
	for (size_t i = 0; i < cond->n_args; i++) {
		struct sk_rule_arg a = { cond->args[i].index, cond->args[i].value,
					 cond->args[i].value_two, cond->args[i].op };

		sk_denial_cond(c->name ? c->name : "", &a, s, sizeof(s));
		sk_text_append(buf, len, "%s%s", i ? " and " : " when ", s);
	}
}

void sk_diff_cond_text(const struct sk_diff *d, const struct sk_diff_change *c,
		       const struct sk_diff_cond *cond, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (!cond->n_args) {
		put_call(buf, len, c);
		sk_text_append(buf, len, ", any arguments");
	} else if (d->kind == SK_DIFF_TRACE) {
		put_tuple(buf, len, c, cond);
	} else {
		put_rule(buf, len, c, cond);
	}
	if (cond->when)
		sk_text_append(buf, len, "; when %s", cond->when);
}

/* "x86_64, x86" */
static void arch_words(const struct sk_diff_change *c, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->n_arches && used + 2 < len; i++) {
		if (i)
			used += (size_t)snprintf(buf + used, len - used, ", ");
		if (used < len)
			sk_denial_arch(c->arches[i], buf + used, len - used);
		used = strnlen(buf, len);
	}
}

/*
 * One change in --diff's text: a head line, "+ mkdir [x86_64, x86]" or
 * "~ socket [x86_64]: narrowed" (and ", action SCMP_ACT_ERRNO(38)" for a
 * rule that does not allow), then a line for each condition added
 * ("    + ...") or removed ("    - ..."), unless the only one is "any
 * arguments" of a call added or removed.
 */
static void print_change(FILE *f, const struct sk_diff *d, const struct sk_diff_change *c)
{
	char arches[256], text[1024], call[32];
	const char *act = c->action && strcmp(c->action, "SCMP_ACT_ALLOW") ? c->action : NULL;
	bool both = c->kind != SK_DIFF_ADDED && c->kind != SK_DIFF_REMOVED;
	const struct sk_diff_cond *only = c->n_added + c->n_removed == 1 ?
		(c->n_added ? c->added : c->removed) : NULL;

	arch_words(c, arches, sizeof(arches));
	snprintf(call, sizeof(call), "syscall %d", c->nr);
	sk_cli_say(f, NULL, "%c %s [%s]%s%s%s%s",
		   both ? '~' : c->kind == SK_DIFF_ADDED ? '+' : '-',
		   c->name ? c->name : call, arches, both ? ": " : "",
		   both ? sk_diff_kind_name(c->kind) : "", act ? ", action " : "", act ? act : "");
	if (!both && only && !only->n_args && !only->when)
		return;
	for (size_t i = 0; i < c->n_added; i++) {
		sk_diff_cond_text(d, c, &c->added[i], text, sizeof(text));
		sk_cli_say(f, NULL, "    + %s", text);
	}
	for (size_t i = 0; i < c->n_removed; i++) {
		sk_diff_cond_text(d, c, &c->removed[i], text, sizeof(text));
		sk_cli_say(f, NULL, "    - %s", text);
	}
}

void sk_diff_print(FILE *f, const struct sk_diff *d, const struct sk_diff_input *a,
		   const struct sk_diff_input *b)
{
	size_t n[SK_DIFF_CHANGED + 1] = { 0 };
	const char *kind = d->kind == SK_DIFF_TRACE ? "trace" : "profile";

	sk_cli_say(f, NULL, "--- %s (%s)", a->file, kind);
	sk_cli_say(f, NULL, "+++ %s (%s)", b->file, kind);
	if (d->default_a && strcmp(d->default_a, d->default_b))
		fprintf(f, "default action: %s -> %s\n", d->default_a, d->default_b);
	for (size_t i = 0; i < d->n_arches_removed; i++)
		fprintf(f, "- architecture %s\n", sk_arch_name(d->arches_removed[i]));
	for (size_t i = 0; i < d->n_arches_added; i++)
		fprintf(f, "+ architecture %s\n", sk_arch_name(d->arches_added[i]));
	for (size_t i = 0; i < d->n_changes; i++) {
		print_change(f, d, &d->changes[i]);
		n[d->changes[i].kind]++;
	}
	if (sk_diff_same(d)) {
		fprintf(f, "no difference\n");
		return;
	}
	fprintf(f, "%zu change%s: %zu added, %zu removed, %zu narrowed, %zu widened, %zu changed\n",
	       d->n_changes, d->n_changes == 1 ? "" : "s", n[SK_DIFF_ADDED], n[SK_DIFF_REMOVED],
	       n[SK_DIFF_NARROWED], n[SK_DIFF_WIDENED], n[SK_DIFF_CHANGED]);
}

/* ---- JSON ---- */

struct out {
	bool ok;
};

/* Adds v (NULL is JSON null) as key of obj; returns v. */
static struct json_object *add_or_null(struct out *o, struct json_object *obj,
				       const char *key, struct json_object *v)
{
	if (!obj || json_object_object_add(obj, key, v)) {
		o->ok = false;
		json_object_put(v);
		return NULL;
	}
	return v;
}

/* Adds v as key of obj (v NULL: out of memory); returns v. */
static struct json_object *add(struct out *o, struct json_object *obj,
			       const char *key, struct json_object *v)
{
	if (!v)
		o->ok = false;
	return v ? add_or_null(o, obj, key, v) : NULL;
}

static void push(struct out *o, struct json_object *arr, struct json_object *v)
{
	if (!arr || !v || json_object_array_add(arr, v)) {
		o->ok = false;
		json_object_put(v);
	}
}

static struct json_object *arch_list(struct out *o, const uint32_t *a, size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < n; i++) {
		const char *name = sk_arch_name(a[i]);

		push(o, arr, name ? json_object_new_string(name) : json_object_new_int64(a[i]));
	}
	if (!arr)
		o->ok = false;
	return arr;
}

static struct json_object *arg_json(struct out *o, const struct sk_diff *d,
				    const struct sk_diff_arg *a)
{
	struct json_object *obj = json_object_new_object();

	add(o, obj, "index", json_object_new_int((int)a->index));
	if (d->kind == SK_DIFF_PROFILE)
		add(o, obj, "op", json_object_new_string(sk_op_name(a->op) ? sk_op_name(a->op) : "?"));
	add(o, obj, "value", json_object_new_uint64(a->value));
	if (d->kind == SK_DIFF_PROFILE && a->op == SK_OP_MASKED_EQ)
		add(o, obj, "valueTwo", json_object_new_uint64(a->value_two));
	return obj;
}

/* {"args": [...], "when": "...", "text": "..."} */
static struct json_object *cond_json(struct out *o, const struct sk_diff *d,
				     const struct sk_diff_change *c,
				     const struct sk_diff_cond *cond)
{
	struct json_object *obj = json_object_new_object(), *args;
	char text[1024];

	args = add(o, obj, "args", json_object_new_array());
	for (size_t i = 0; args && i < cond->n_args; i++)
		push(o, args, arg_json(o, d, &cond->args[i]));
	if (cond->when)
		add(o, obj, "when", json_object_new_string(cond->when));
	sk_diff_cond_text(d, c, cond, text, sizeof(text));
	add(o, obj, "text", json_object_new_string(text));
	return obj;
}

static struct json_object *conds_json(struct out *o, const struct sk_diff *d,
				      const struct sk_diff_change *c,
				      const struct sk_diff_cond *v, size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < n; i++)
		push(o, arr, cond_json(o, d, c, &v[i]));
	if (!arr)
		o->ok = false;
	return arr;
}

static struct json_object *change_json(struct out *o, const struct sk_diff *d,
				       const struct sk_diff_change *c)
{
	struct json_object *obj = json_object_new_object();

	add_or_null(o, obj, "name", c->name ? json_object_new_string(c->name) : NULL);
	add_or_null(o, obj, "nr", d->kind == SK_DIFF_TRACE ? json_object_new_int(c->nr) : NULL);
	add_or_null(o, obj, "action", c->action ? json_object_new_string(c->action) : NULL);
	add(o, obj, "arches", arch_list(o, c->arches, c->n_arches));
	add(o, obj, "change", json_object_new_string(sk_diff_kind_name(c->kind)));
	add(o, obj, "added", conds_json(o, d, c, c->added, c->n_added));
	add(o, obj, "removed", conds_json(o, d, c, c->removed, c->n_removed));
	return obj;
}

static struct json_object *input_json(struct out *o, const struct sk_diff_input *in)
{
	struct json_object *obj = json_object_new_object();

	add(o, obj, "file", json_object_new_string(in->file));
	add(o, obj, "kind", json_object_new_string(in->kind == SK_DIFF_TRACE ? "trace" : "profile"));
	return obj;
}

/* "default_action": {"a": ..., "b": ...}, null for traces. */
static struct json_object *default_json(struct out *o, const struct sk_diff *d)
{
	struct json_object *obj;

	if (!d->default_a)
		return NULL;
	obj = json_object_new_object();
	add(o, obj, "a", json_object_new_string(d->default_a));
	add(o, obj, "b", json_object_new_string(d->default_b));
	return obj;
}

char *sk_diff_to_json(const struct sk_diff *d, const struct sk_diff_input *a,
		      const struct sk_diff_input *b)
{
	struct out o = { true };
	struct json_object *root = json_object_new_object(), *arches, *arr;
	char *text = NULL;

	add(&o, root, "format", json_object_new_string("scmpkit-diff"));
	add(&o, root, "version", json_object_new_int(1));
	add(&o, root, "a", input_json(&o, a));
	add(&o, root, "b", input_json(&o, b));
	add(&o, root, "same", json_object_new_boolean(sk_diff_same(d)));
	add_or_null(&o, root, "default_action", default_json(&o, d));
	arches = add(&o, root, "architectures", json_object_new_object());
	add(&o, arches, "added", arch_list(&o, d->arches_added, d->n_arches_added));
	add(&o, arches, "removed", arch_list(&o, d->arches_removed, d->n_arches_removed));
	arr = add(&o, root, "changes", json_object_new_array());
	for (size_t i = 0; arr && i < d->n_changes; i++)
		push(&o, arr, change_json(&o, d, &d->changes[i]));
	if (o.ok && root)
		text = sk_json_dump(root);
	json_object_put(root);
	return text;
}
