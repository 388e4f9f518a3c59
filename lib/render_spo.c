/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen -f spo: the security-profiles-operator's SeccompProfile
 * resource (gen_format.h), as JSON that `kubectl apply -f` reads.  The
 * operator writes the resource's spec to the nodes as an OCI profile, so
 * the spec carries the OCI fields it has.  A field the CRD lacks would be
 * refused by kubectl's (default) strict field validation, or, with
 * validation off, pruned by the API server without a word, so none is
 * written; what the profile says through one is refused or reported:
 *
 * - includes / excludes (per-arch, per-capability, per-kernel rules): SPO's
 *   Syscall has no such fields, so a rule would come out unconditional
 *   (wider on the other hosts) or be left out (narrower on its own):
 *   refused, with the way out (one profile per host).
 * - archMap: no field; refused (scmp-gen writes "architectures").
 * - defaultErrnoRet: no field; runc and crun answer SCMP_ACT_ERRNO without
 *   one with EPERM, so EPERM is written as no field and any other errno is
 *   refused.  A rule's errnoRet 0 is refused too: the operator's Go type
 *   drops a zero errnoRet (omitempty), and the runtime then returns EPERM.
 * - architectures and flags outside the CRD's enums: refused.
 * - value and valueTwo are int64 from 0 (the CRD: format int64, minimum 0),
 *   and libseccomp allows one comparison per argument, so a value with bit
 *   63 set cannot be split.  A masked compare whose mask has bit 63 (clone's
 *   "no other flag bits" rule) is written without it, which stops checking
 *   that one bit on 64-bit arches (on 32-bit ones libseccomp compares the
 *   low half only anyway): a warning says so.  Any other value past 2^63-1
 *   is refused.
 * - comment: no field; the header goes into metadata.annotations
 *   "description" (as the operator's own examples describe profiles), the
 *   rules' comments are left out (they change no verdict).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "scmpkit/arch.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/textesc.h"

#define SPO_API_VERSION "security-profiles-operator.x-k8s.io/v1beta1"
#define INT64_TOP (1ULL << 63)

/* The CRD's enums (deploy/base-crds/crds/seccompprofile.yaml, v1.0.0),
 * sorted for bsearch. */
static const char *const spo_arches[] = {
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_MIPS",
	"SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_NATIVE",
	"SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_RISCV64",
	"SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_X32",
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
};

static const char *const spo_flags[] = {
	"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

static int cmp_key(const void *key, const void *elt)
{
	return strcmp(key, *(const char *const *)elt);
}

static bool in_enum(const char *s, const char *const *list, size_t n)
{
	return s && bsearch(s, list, n, sizeof(*list), cmp_key);
}

/* Test hook for the tables' order: 0 when both are sorted and unique. */
int sk_spo_tables_check(void)
{
	for (size_t i = 1; i < sizeof(spo_arches) / sizeof(spo_arches[0]); i++)
		if (strcmp(spo_arches[i - 1], spo_arches[i]) >= 0)
			return -EINVAL;
	for (size_t i = 1; i < sizeof(spo_flags) / sizeof(spo_flags[0]); i++)
		if (strcmp(spo_flags[i - 1], spo_flags[i]) >= 0)
			return -EINVAL;
	return 0;
}

/* What the writer carries: json-c failures clear ok (checked once at the
 * end); the first refusal fills err and sets ret. */
struct spo {
	bool ok;
	int ret;
	struct sk_err *err;
	struct sk_warn *warn;
};

static struct json_object *add(struct spo *s, struct json_object *obj,
			       const char *key, struct json_object *v)
{
	if (!v || json_object_object_add(obj, key, v)) {
		json_object_put(v);
		s->ok = false;
		return NULL;
	}
	return v;
}

static void push(struct spo *s, struct json_object *arr, struct json_object *v)
{
	if (!v || json_object_array_add(arr, v)) {
		json_object_put(v);
		s->ok = false;
	}
}

static void str_once(struct spo *s, struct json_object *arr, const char *v)
{
	/* The CRD's lists of names, arches and flags are sets: the API server
	 * refuses a duplicate, which would change no verdict anyway. */
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), v))
			return;
	push(s, arr, json_object_new_string(v));
}

/* The first refusal is the one reported. */
#define refuse(s, ...) do { \
	if (!(s)->ret) \
		(s)->ret = sk_err_set((s)->err, EINVAL, __VA_ARGS__); \
} while (0)

static bool cond_empty(const struct sk_cond *c)
{
	return !c->n_caps && !c->n_arches && !c->min_kernel;
}

/* One comparison; values past int64 as the file comment says. */
static struct json_object *arg_json(struct spo *s, const struct sk_rule *r,
				    size_t ri, const struct sk_rule_arg *a)
{
	struct json_object *obj;
	const char *op = sk_op_name(a->op);
	uint64_t value = a->value;

	if (!op) {
		refuse(s, "syscalls[%zu] (%s): an operator SPO does not know",
		       ri, r->names[0]);
		return NULL;
	}
	if (a->op == SK_OP_MASKED_EQ && (value & INT64_TOP) &&
	    !(a->value_two & INT64_TOP)) {
		value &= ~INT64_TOP;
		if (sk_warn_add(s->warn, "syscalls[%zu] (%s): the mask %#llx of argument %u has bit 63, past the int64 SPO stores: written as %#llx, so the rule no longer checks bit 63 of that argument",
				ri, r->names[0], (unsigned long long)a->value,
				a->index, (unsigned long long)value))
			s->ok = false;
	}
	if (value & INT64_TOP ||
	    (a->op == SK_OP_MASKED_EQ && (a->value_two & INT64_TOP))) {
		refuse(s, "syscalls[%zu] (%s): argument %u compares with %#llx, past the int64 SPO stores (0 to 2^63-1), and libseccomp takes one comparison per argument, so it cannot be split",
		       ri, r->names[0], a->index,
		       (unsigned long long)(value & INT64_TOP ? value : a->value_two));
		return NULL;
	}
	obj = json_object_new_object();
	if (!obj) {
		s->ok = false;
		return NULL;
	}
	add(s, obj, "index", json_object_new_int((int)a->index));
	add(s, obj, "value", json_object_new_int64((int64_t)value));
	if (a->op == SK_OP_MASKED_EQ)
		add(s, obj, "valueTwo", json_object_new_int64((int64_t)a->value_two));
	add(s, obj, "op", json_object_new_string(op));
	return obj;
}

static struct json_object *rule_json(struct spo *s, const struct sk_rule *r,
				     size_t ri)
{
	struct json_object *obj, *arr;
	const char *action = sk_action_name(r->action);
	const char *name = r->n_names ? r->names[0] : "";

	if (!r->n_names) {
		refuse(s, "syscalls[%zu]: a rule without names (SPO needs at least one)",
		       ri);
		return NULL;
	}
	if (!cond_empty(&r->includes) || !cond_empty(&r->excludes)) {
		refuse(s, "syscalls[%zu] (%s): SPO has no includes or excludes, so a rule for some hosts only would hold on every host or on none; generate one profile per host, from that host's traces",
		       ri, name);
		return NULL;
	}
	if (!action) {
		refuse(s, "syscalls[%zu] (%s): an action SPO does not know",
		       ri, name);
		return NULL;
	}
	if (r->has_errno && (r->errno_ret == 0 || r->errno_ret > INT32_MAX)) {
		refuse(s, "syscalls[%zu] (%s): errnoRet %u: SPO takes 1 to 2^31-1 (its Go type drops a zero errnoRet, and the runtime then returns EPERM)",
		       ri, name, r->errno_ret);
		return NULL;
	}
	if (r->n_args > 6) {
		refuse(s, "syscalls[%zu] (%s): more than 6 argument comparisons",
		       ri, name);
		return NULL;
	}
	obj = json_object_new_object();
	if (!obj) {
		s->ok = false;
		return NULL;
	}
	arr = add(s, obj, "names", json_object_new_array());
	for (size_t i = 0; arr && i < r->n_names; i++)
		str_once(s, arr, r->names[i]);
	add(s, obj, "action", json_object_new_string(action));
	if (r->has_errno)
		add(s, obj, "errnoRet", json_object_new_int64(r->errno_ret));
	if (r->n_args) {
		arr = add(s, obj, "args", json_object_new_array());
		for (size_t i = 0; arr && i < r->n_args; i++)
			push(s, arr, arg_json(s, r, ri, &r->args[i]));
	}
	return obj;
}

static struct json_object *spec_json(struct spo *s, const struct sk_profile *p)
{
	struct json_object *spec = json_object_new_object(), *arr;
	const char *action = sk_action_name(p->default_action);

	if (!spec) {
		s->ok = false;
		return NULL;
	}
	if (!action)
		refuse(s, "defaultAction: an action SPO does not know");
	else if (p->default_action == SK_ACT_ERRNO && p->has_default_errno &&
		 p->default_errno_ret != EPERM)
		refuse(s, "defaultErrnoRet %u: SPO has no defaultErrnoRet, and runc and crun answer SCMP_ACT_ERRNO without one with EPERM; use -d errno (EPERM) or another action",
		       p->default_errno_ret);
	if (p->n_arch_map)
		refuse(s, "archMap: SPO has no archMap; write \"architectures\"");
	add(s, spec, "defaultAction", json_object_new_string(action ? action : ""));
	if (p->n_arches) {
		arr = add(s, spec, "architectures", json_object_new_array());
		for (size_t i = 0; arr && i < p->n_arches; i++) {
			const char *an = sk_arch_name(p->arches[i]);

			if (!in_enum(an, spo_arches, sizeof(spo_arches) / sizeof(spo_arches[0])))
				refuse(s, "architectures[%zu]: %s is not one SPO takes",
				       i, an ? an : "an unknown arch");
			else
				str_once(s, arr, an);
		}
	}
	if (p->n_flags) {
		arr = add(s, spec, "flags", json_object_new_array());
		for (size_t i = 0; arr && i < p->n_flags; i++) {
			if (!in_enum(p->flags[i], spo_flags, sizeof(spo_flags) / sizeof(spo_flags[0])))
				refuse(s, "flags[%zu]: %s is not one SPO takes",
				       i, p->flags[i]);
			else
				str_once(s, arr, p->flags[i]);
		}
	}
	if (p->n_rules) {
		arr = add(s, spec, "syscalls", json_object_new_array());
		for (size_t i = 0; arr && !s->ret && i < p->n_rules; i++)
			push(s, arr, rule_json(s, &p->rules[i], i));
	}
	return spec;
}

int sk_gen_spo(const struct sk_profile *p, const char *name, const char *header,
	       char **out, struct sk_warn *warn, struct sk_err *err)
{
	struct spo s = { .ok = true, .err = err, .warn = warn };
	struct json_object *root = json_object_new_object(), *meta, *ann;
	char *text = NULL, *esc;

	if (!root)
		return -ENOMEM;
	if (!sk_spo_name_valid(name))
		refuse(&s, "SPO resource name \"%s\": not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253)",
		       name);
	add(&s, root, "apiVersion", json_object_new_string(SPO_API_VERSION));
	add(&s, root, "kind", json_object_new_string("SeccompProfile"));
	meta = add(&s, root, "metadata", json_object_new_object());
	if (meta) {
		add(&s, meta, "name", json_object_new_string(name));
		ann = add(&s, meta, "annotations", json_object_new_object());
		/* Escaped as text: file names may hold control bytes or
		 * bytes that are not UTF-8, which JSON cannot carry. */
		esc = sk_esc_dup(header, SK_ESC_TEXT);
		if (ann && esc)
			add(&s, ann, "description", json_object_new_string(esc));
		else
			s.ok = false;
		free(esc);
	}
	add(&s, root, "spec", spec_json(&s, p));
	if (!s.ret && s.ok)
		text = sk_json_dump(root);
	json_object_put(root);
	if (s.ret)
		return s.ret;
	if (!text)
		return -ENOMEM;
	*out = text;
	return 0;
}

static bool alnum_lower(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool sk_spo_name_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > 253)
		return false;
	/* Labels of [a-z0-9-] that start and end alphanumeric, joined by dots. */
	for (size_t i = 0; i < n; i++) {
		bool edge = i == 0 || i == n - 1 || s[i - 1] == '.' || s[i + 1] == '.';

		if (alnum_lower(s[i]) || (s[i] == '-' && !edge) ||
		    (s[i] == '.' && i && i < n - 1 && s[i - 1] != '.'))
			continue;
		return false;
	}
	return true;
}

void sk_spo_name_from(const char *path, char *buf, size_t len)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	const char *dot;
	size_t n = 0, end;

	base = base ? base + 1 : (path ? path : "");
	dot = strrchr(base, '.');
	end = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	/* A DNS-1123 label (so also a subdomain): other characters become
	 * one '-', none at either end, at most 63. */
	for (size_t i = 0; i < end && len && n + 1 < len && n < 63; i++) {
		char c = base[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (alnum_lower(c))
			buf[n++] = c;
		else if (n && buf[n - 1] != '-')
			buf[n++] = '-';
	}
	while (n && buf[n - 1] == '-')
		n--;
	if (!n && len > sizeof("scmp-gen-profile")) {
		strcpy(buf, "scmp-gen-profile");
		return;
	}
	if (len)
		buf[n] = '\0';
}
