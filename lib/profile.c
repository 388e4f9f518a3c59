/* SPDX-License-Identifier: MIT */
/*
 * OCI / Docker seccomp profiles: reading and validating (profile.h).  Every
 * field runc, docker and podman read is checked here, so the filter builder
 * only meets well-formed data; messages name the file and the JSON path.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "scmpkit/fileio.h"
#include "json_util.h"
#include "scmpkit/profile.h"
#include "scmpkit/trace_format.h"

/* Largest errnoRet: SECCOMP_RET_DATA is 16 bits (the kernel caps at 4095). */
#define ERRNO_MAX 65535

static const char *const action_names[] = {
	[SK_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[SK_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
	[SK_ACT_TRAP] = "SCMP_ACT_TRAP",
	[SK_ACT_ERRNO] = "SCMP_ACT_ERRNO",
	[SK_ACT_TRACE] = "SCMP_ACT_TRACE",
	[SK_ACT_ALLOW] = "SCMP_ACT_ALLOW",
	[SK_ACT_LOG] = "SCMP_ACT_LOG",
	[SK_ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
	[SK_ACT_KILL] = "SCMP_ACT_KILL",
};

static const char *const op_names[] = {
	[SK_OP_NE] = "SCMP_CMP_NE",
	[SK_OP_LT] = "SCMP_CMP_LT",
	[SK_OP_LE] = "SCMP_CMP_LE",
	[SK_OP_EQ] = "SCMP_CMP_EQ",
	[SK_OP_GE] = "SCMP_CMP_GE",
	[SK_OP_GT] = "SCMP_CMP_GT",
	[SK_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

#define N_ACTIONS (sizeof(action_names) / sizeof(action_names[0]))
#define N_OPS (sizeof(op_names) / sizeof(op_names[0]))

static const char *const known_flags[] = {
	"SECCOMP_FILTER_FLAG_TSYNC",
	"SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

/* includes/excludes spell arches as Go does (Docker compares with GOARCH). */
static const struct {
	const char *name;
	uint32_t arch;
} cond_arches[] = {
	{ "amd64", SCMP_ARCH_X86_64 },
	{ "x86", SCMP_ARCH_X86 },
	{ "386", SCMP_ARCH_X86 },
	{ "x32", SCMP_ARCH_X32 },
	{ "arm", SCMP_ARCH_ARM },
	{ "arm64", SCMP_ARCH_AARCH64 },
	{ "mips", SCMP_ARCH_MIPS },
	{ "mipsle", SCMP_ARCH_MIPSEL },
	{ "mips64", SCMP_ARCH_MIPS64 },
	{ "mips64le", SCMP_ARCH_MIPSEL64 },
	{ "mips64n32", SCMP_ARCH_MIPS64N32 },
	{ "mips64len32", SCMP_ARCH_MIPSEL64N32 },
	{ "ppc", SCMP_ARCH_PPC },
	{ "ppc64", SCMP_ARCH_PPC64 },
	{ "ppc64le", SCMP_ARCH_PPC64LE },
	{ "s390", SCMP_ARCH_S390 },
	{ "s390x", SCMP_ARCH_S390X },
	{ "parisc", SCMP_ARCH_PARISC },
	{ "parisc64", SCMP_ARCH_PARISC64 },
	{ "riscv64", SCMP_ARCH_RISCV64 },
};

#define N_COND_ARCHES (sizeof(cond_arches) / sizeof(cond_arches[0]))

enum sk_action sk_action_parse(const char *s)
{
	for (size_t i = 1; s && i < N_ACTIONS; i++)
		if (action_names[i] && !strcmp(s, action_names[i]))
			return (enum sk_action)i;
	return 0;
}

const char *sk_action_name(enum sk_action a)
{
	return (size_t)a < N_ACTIONS ? action_names[a] : NULL;
}

enum sk_op sk_op_parse(const char *s)
{
	for (size_t i = 1; s && i < N_OPS; i++)
		if (op_names[i] && !strcmp(s, op_names[i]))
			return (enum sk_op)i;
	return 0;
}

const char *sk_op_name(enum sk_op op)
{
	return (size_t)op < N_OPS ? op_names[op] : NULL;
}

const char *sk_cond_arch_name(uint32_t arch)
{
	for (size_t i = 0; i < N_COND_ARCHES; i++)
		if (cond_arches[i].arch == arch)
			return cond_arches[i].name;
	return NULL;
}

int sk_cond_arch_parse(const char *name, uint32_t *arch)
{
	for (size_t i = 0; i < N_COND_ARCHES; i++) {
		if (!strcmp(name, cond_arches[i].name)) {
			*arch = cond_arches[i].arch;
			return 0;
		}
	}
	return sk_arch_parse(name, arch);
}

struct sk_profile *sk_profile_new(void)
{
	return calloc(1, sizeof(struct sk_profile));
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void cond_free(struct sk_cond *c)
{
	free_strv(c->caps, c->n_caps);
	free(c->arches);
	free(c->min_kernel);
}

void sk_rule_clear(struct sk_rule *r)
{
	free_strv(r->names, r->n_names);
	free(r->args);
	free(r->comment);
	cond_free(&r->includes);
	cond_free(&r->excludes);
	free(r->where);
	memset(r, 0, sizeof(*r));
}

void sk_profile_free(struct sk_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_rules; i++)
		sk_rule_clear(&p->rules[i]);
	for (size_t i = 0; i < p->n_arch_map; i++)
		free(p->arch_map[i].subs);
	free(p->arch_map);
	free(p->rules);
	free_strv(p->flags, p->n_flags);
	free(p->arches);
	free(p->file);
	free(p);
}

/* The state of one parse: where messages go. */
struct ctx {
	const char *file;
	struct sk_err *err;
	struct sk_warn *warn;
};

static int oom(struct ctx *c)
{
	return sk_err_set(c->err, ENOMEM, "%s: out of memory", c->file);
}

/* "expected an array, not string \"x\"" for the value at path. */
static int type_error(struct ctx *c, const char *path, const char *want,
		      struct json_object *o)
{
	return sk_json_type_error(c->err, c->file, path, want, o);
}

/* A member; absent and JSON null are the same (Go writes nil slices so). */
static struct json_object *member(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

/* Warns about keys outside known[] (runc ignores them; so do we). */
static int unknown_keys(struct ctx *c, struct json_object *obj,
			const char *path, const char *const *known)
{
	json_object_object_foreach(obj, key, val) {
		size_t i;

		(void)val;
		for (i = 0; known[i]; i++)
			if (!strcmp(key, known[i]))
				break;
		if (!known[i] &&
		    sk_warn_add(c->warn, "%s: %s%s\"%s\": unknown key ignored",
				c->file, path, *path ? ": " : "", key))
			return oom(c);
	}
	return 0;
}

static int get_string(struct ctx *c, struct json_object *o, const char *path,
		      char **out)
{
	if (!json_object_is_type(o, json_type_string))
		return type_error(c, path, "a string", o);
	*out = strdup(json_object_get_string(o));
	return *out ? 0 : oom(c);
}

static int get_u64(struct ctx *c, struct json_object *o, const char *path,
		   uint64_t max, uint64_t *v)
{
	int ret = sk_json_u64(o, v);

	if (ret)
		return type_error(c, path, "an unsigned integer", o);
	if (*v > max)
		return sk_err_set(c->err, ERANGE,
				  "%s: %s: %llu is out of range (0-%llu)",
				  c->file, path, (unsigned long long)*v,
				  (unsigned long long)max);
	return 0;
}

/* An array of strings (NULL = absent); strings must not be empty. */
static int get_strv(struct ctx *c, struct json_object *o, const char *path,
		    char ***out, size_t *n)
{
	char where[256], **v;
	size_t len;

	*out = NULL;
	*n = 0;
	if (!o)
		return 0;
	if (!json_object_is_type(o, json_type_array))
		return type_error(c, path, "an array of strings", o);
	len = json_object_array_length(o);
	v = calloc(len + 1, sizeof(*v));
	if (!v)
		return oom(c);
	for (size_t i = 0; i < len; i++) {
		int ret;

		snprintf(where, sizeof(where), "%s[%zu]", path, i);
		ret = get_string(c, json_object_array_get_idx(o, i), where, &v[i]);
		if (!ret && !v[i][0])
			ret = sk_err_set(c->err, EINVAL, "%s: %s: empty string",
					 c->file, where);
		if (ret) {
			free_strv(v, i + 1);
			return ret;
		}
	}
	*out = v;
	*n = len;
	return 0;
}

/* An errno given by name ("errno"/"defaultErrno", podman) or number. */
static int errno_pair(struct ctx *c, struct json_object *num,
		      const char *num_path, struct json_object *name,
		      const char *name_path, bool *has, unsigned *val)
{
	uint64_t v = 0;
	int ret, e = -1;

	*has = false;
	if (num) {
		ret = get_u64(c, num, num_path, ERRNO_MAX, &v);
		if (ret)
			return ret;
		*has = true;
	}
	if (name) {
		if (!json_object_is_type(name, json_type_string))
			return type_error(c, name_path, "an errno name", name);
		e = sk_errno_parse(json_object_get_string(name));
		if (e < 0)
			return sk_err_set(c->err, EINVAL, "%s: %s: unknown errno \"%s\"",
					  c->file, name_path,
					  json_object_get_string(name));
		if (*has && v != (uint64_t)e)
			return sk_err_set(c->err, EINVAL,
					  "%s: %s: \"%s\" (%d) disagrees with %s %llu",
					  c->file, name_path,
					  json_object_get_string(name), e,
					  num_path, (unsigned long long)v);
		v = (uint64_t)e;
		*has = true;
	}
	*val = (unsigned)v;
	return 0;
}

static int parse_action(struct ctx *c, struct json_object *o, const char *path,
			enum sk_action *a)
{
	if (!o)
		return sk_err_set(c->err, EINVAL, "%s: %s: missing", c->file, path);
	if (!json_object_is_type(o, json_type_string))
		return type_error(c, path, "an action string", o);
	*a = sk_action_parse(json_object_get_string(o));
	if (!*a)
		return sk_err_set(c->err, EINVAL, "%s: %s: unknown action \"%s\"",
				  c->file, path, json_object_get_string(o));
	return 0;
}

/* runc refuses a return value for actions that cannot carry one. */
static int check_errno_action(struct ctx *c, const char *path,
			      enum sk_action a, bool has)
{
	if (has && a != SK_ACT_ERRNO && a != SK_ACT_TRACE)
		return sk_err_set(c->err, EINVAL,
				  "%s: %s: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a return value, not %s",
				  c->file, path, sk_action_name(a));
	return 0;
}

static int parse_arch(struct ctx *c, struct json_object *o, const char *path,
		      uint32_t *arch)
{
	if (!json_object_is_type(o, json_type_string))
		return type_error(c, path, "an architecture string", o);
	if (sk_arch_parse(json_object_get_string(o), arch))
		return sk_err_set(c->err, EINVAL,
				  "%s: %s: unknown architecture \"%s\"",
				  c->file, path, json_object_get_string(o));
	return 0;
}

/* Appends arch to the profile's list unless present. */
static int add_arch(struct ctx *c, struct sk_profile *p, uint32_t arch)
{
	uint32_t *grown;

	for (size_t i = 0; i < p->n_arches; i++)
		if (p->arches[i] == arch)
			return 0;
	grown = realloc(p->arches, (p->n_arches + 1) * sizeof(*grown));
	if (!grown)
		return oom(c);
	grown[p->n_arches++] = arch;
	p->arches = grown;
	return 0;
}

static int parse_architectures(struct ctx *c, struct json_object *o,
			       struct sk_profile *p)
{
	char where[64];
	uint32_t arch;
	int ret;

	if (!o)
		return 0;
	if (!json_object_is_type(o, json_type_array))
		return type_error(c, "architectures", "an array", o);
	for (size_t i = 0; i < json_object_array_length(o); i++) {
		snprintf(where, sizeof(where), "architectures[%zu]", i);
		ret = parse_arch(c, json_object_array_get_idx(o, i), where, &arch);
		if (!ret)
			ret = add_arch(c, p, arch);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * archMap entries name arches of every platform the profile was written
 * for; Docker keeps only the entry of the arch it runs on.  An arch this
 * libseccomp does not know (Docker's profile lists SCMP_ARCH_LOONGARCH64)
 * can never be that, nor be added to a filter, so it is dropped quietly
 * instead of failing the whole profile.
 */
static int parse_map_entry(struct ctx *c, struct json_object *e,
			   const char *where, struct sk_arch_map *m, bool *keep)
{
	static const char *const known[] = { "architecture", "subArchitectures",
					     NULL };
	struct json_object *a, *subs;
	char path[96];
	int ret;

	*keep = false;
	if (!json_object_is_type(e, json_type_object))
		return type_error(c, where, "an object", e);
	ret = unknown_keys(c, e, where, known);
	if (ret)
		return ret;
	a = member(e, "architecture");
	snprintf(path, sizeof(path), "%s.architecture", where);
	if (!a)
		return sk_err_set(c->err, EINVAL, "%s: %s: missing", c->file, path);
	if (!json_object_is_type(a, json_type_string))
		return type_error(c, path, "an architecture string", a);
	if (sk_arch_parse(json_object_get_string(a), &m->arch)) {
		if (c->warn && sk_warn_add(c->warn, "%s: %s: \"%s\" is unknown to libseccomp %u.%u.%u: entry skipped",
					   c->file, path, json_object_get_string(a),
					   seccomp_version()->major, seccomp_version()->minor,
					   seccomp_version()->micro))
			return oom(c);
		return 0;
	}
	subs = member(e, "subArchitectures");
	snprintf(path, sizeof(path), "%s.subArchitectures", where);
	if (subs && !json_object_is_type(subs, json_type_array))
		return type_error(c, path, "an array", subs);
	m->subs = calloc(subs ? json_object_array_length(subs) + 1 : 1,
			 sizeof(*m->subs));
	if (!m->subs)
		return oom(c);
	for (size_t i = 0; subs && i < json_object_array_length(subs); i++) {
		struct json_object *s = json_object_array_get_idx(subs, i);
		char sp[128];

		snprintf(sp, sizeof(sp), "%s[%zu]", path, i);
		if (!json_object_is_type(s, json_type_string))
			return type_error(c, sp, "an architecture string", s);
		if (!sk_arch_parse(json_object_get_string(s), &m->subs[m->n_subs]))
			m->n_subs++;
	}
	*keep = true;
	return 0;
}

static int parse_arch_map(struct ctx *c, struct json_object *o,
			  struct sk_profile *p)
{
	char where[64];
	size_t len;
	int ret;

	if (!o)
		return 0;
	if (!json_object_is_type(o, json_type_array))
		return type_error(c, "archMap", "an array", o);
	len = json_object_array_length(o);
	p->arch_map = calloc(len + 1, sizeof(*p->arch_map));
	if (!p->arch_map)
		return oom(c);
	for (size_t i = 0; i < len; i++) {
		struct sk_arch_map *m = &p->arch_map[p->n_arch_map];
		bool keep;

		snprintf(where, sizeof(where), "archMap[%zu]", i);
		ret = parse_map_entry(c, json_object_array_get_idx(o, i), where,
				      m, &keep);
		if (ret || !keep) {
			free(m->subs);
			memset(m, 0, sizeof(*m));
			if (ret)
				return ret;
			continue;
		}
		p->n_arch_map++;
		ret = add_arch(c, p, m->arch);
		for (size_t j = 0; !ret && j < m->n_subs; j++)
			ret = add_arch(c, p, m->subs[j]);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_flags(struct ctx *c, struct json_object *o,
		       struct sk_profile *p)
{
	char where[64];
	int ret;

	ret = get_strv(c, o, "flags", &p->flags, &p->n_flags);
	if (ret)
		return ret;
	for (size_t i = 0; i < p->n_flags; i++) {
		size_t k;

		for (k = 0; k < sizeof(known_flags) / sizeof(known_flags[0]); k++)
			if (!strcmp(p->flags[i], known_flags[k]))
				break;
		if (k == sizeof(known_flags) / sizeof(known_flags[0])) {
			snprintf(where, sizeof(where), "flags[%zu]", i);
			return sk_err_set(c->err, EINVAL, "%s: %s: unknown flag \"%s\"",
					  c->file, where, p->flags[i]);
		}
	}
	return 0;
}

/* "4.8" or "5.10.3": MAJOR.MINOR, then anything numeric Docker ignores. */
static bool valid_kernel_version(const char *s)
{
	unsigned major, minor;
	int n = 0;

	if (sscanf(s, "%u.%u%n", &major, &minor, &n) != 2 || s[0] < '0' ||
	    s[0] > '9')
		return false;
	for (s += n; *s; s++)
		if (*s != '.' && (*s < '0' || *s > '9'))
			return false;
	return true;
}

static int parse_cond(struct ctx *c, struct json_object *o, const char *path,
		      struct sk_cond *cond)
{
	static const char *const known[] = { "caps", "arches", "minKernel", NULL };
	struct json_object *v;
	char where[128];
	char **names = NULL;
	size_t n = 0;
	int ret;

	if (!o)
		return 0;
	if (!json_object_is_type(o, json_type_object))
		return type_error(c, path, "an object", o);
	ret = unknown_keys(c, o, path, known);
	if (ret)
		return ret;
	snprintf(where, sizeof(where), "%s.caps", path);
	ret = get_strv(c, member(o, "caps"), where, &cond->caps, &cond->n_caps);
	if (ret)
		return ret;
	snprintf(where, sizeof(where), "%s.arches", path);
	ret = get_strv(c, member(o, "arches"), where, &names, &n);
	if (ret)
		return ret;
	cond->arches = calloc(n + 1, sizeof(*cond->arches));
	if (!cond->arches) {
		free_strv(names, n);
		return oom(c);
	}
	for (size_t i = 0; i < n; i++) {
		if (sk_cond_arch_parse(names[i], &cond->arches[i])) {
			ret = sk_err_set(c->err, EINVAL,
					 "%s: %s.arches[%zu]: unknown architecture \"%s\"",
					 c->file, path, i, names[i]);
			free_strv(names, n);
			return ret;
		}
	}
	cond->n_arches = n;
	free_strv(names, n);
	v = member(o, "minKernel");
	if (v) {
		snprintf(where, sizeof(where), "%s.minKernel", path);
		ret = get_string(c, v, where, &cond->min_kernel);
		if (ret)
			return ret;
		if (!valid_kernel_version(cond->min_kernel))
			return sk_err_set(c->err, EINVAL,
					  "%s: %s: invalid kernel version \"%s\" (expected MAJOR.MINOR)",
					  c->file, where, cond->min_kernel);
	}
	return 0;
}

static int parse_arg(struct ctx *c, struct json_object *o, const char *path,
		     struct sk_rule_arg *a)
{
	static const char *const known[] = { "index", "value", "valueTwo", "op",
					     NULL };
	struct json_object *v;
	char where[160];
	uint64_t n;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return type_error(c, path, "an object", o);
	ret = unknown_keys(c, o, path, known);
	if (ret)
		return ret;
	snprintf(where, sizeof(where), "%s.index", path);
	v = member(o, "index");
	if (!v)
		return sk_err_set(c->err, EINVAL, "%s: %s: missing", c->file, where);
	ret = get_u64(c, v, where, 5, &n);
	if (ret)
		return ret;
	a->index = (unsigned)n;
	snprintf(where, sizeof(where), "%s.value", path);
	v = member(o, "value");
	if (!v)
		return sk_err_set(c->err, EINVAL, "%s: %s: missing", c->file, where);
	ret = get_u64(c, v, where, UINT64_MAX, &a->value);
	if (ret)
		return ret;
	/* MASKED_EQ without valueTwo compares with 0; Docker relies on it. */
	snprintf(where, sizeof(where), "%s.valueTwo", path);
	v = member(o, "valueTwo");
	if (v) {
		ret = get_u64(c, v, where, UINT64_MAX, &a->value_two);
		if (ret)
			return ret;
	}
	snprintf(where, sizeof(where), "%s.op", path);
	v = member(o, "op");
	if (!v)
		return sk_err_set(c->err, EINVAL, "%s: %s: missing", c->file, where);
	if (!json_object_is_type(v, json_type_string))
		return type_error(c, where, "an operator string", v);
	a->op = sk_op_parse(json_object_get_string(v));
	if (!a->op)
		return sk_err_set(c->err, EINVAL, "%s: %s: unknown operator \"%s\"",
				  c->file, where, json_object_get_string(v));
	return 0;
}

static int parse_args(struct ctx *c, struct json_object *o, const char *path,
		      struct sk_rule *r)
{
	char where[128];
	size_t len;
	int ret;

	if (!o)
		return 0;
	if (!json_object_is_type(o, json_type_array))
		return type_error(c, path, "an array", o);
	len = json_object_array_length(o);
	r->args = calloc(len + 1, sizeof(*r->args));
	if (!r->args)
		return oom(c);
	for (size_t i = 0; i < len; i++) {
		snprintf(where, sizeof(where), "%s[%zu]", path, i);
		ret = parse_arg(c, json_object_array_get_idx(o, i), where,
				&r->args[i]);
		if (ret)
			return ret;
		r->n_args++;
	}
	return 0;
}

/* names (or the old single name); duplicates inside one rule are merged. */
static int cmp_name_ref(const void *a, const void *b)
{
	char *const *x = *(char *const *const *)a, *const *y = *(char *const *const *)b;
	int c = strcmp(*x, *y);

	return c ? c : (x < y ? -1 : x > y);
}

/* Drops repeated names, keeping the first of each: O(n log n), since
 * hostile profiles may list a million names. */
static int dedupe_names(struct ctx *c, struct sk_rule *r)
{
	char ***refs;
	size_t k = 0;

	if (r->n_names < 2)
		return 0;
	refs = calloc(r->n_names, sizeof(*refs));
	if (!refs)
		return oom(c);
	for (size_t i = 0; i < r->n_names; i++)
		refs[i] = &r->names[i];
	qsort(refs, r->n_names, sizeof(*refs), cmp_name_ref);
	for (size_t i = 1; i < r->n_names; i++) {
		if (!strcmp(*refs[i], *refs[i - 1])) {
			/* refs[i] is a later copy of the same name. */
			free(*refs[i]);
			*refs[i] = NULL;
			refs[i] = refs[i - 1];
		}
	}
	free(refs);
	for (size_t i = 0; i < r->n_names; i++)
		if (r->names[i])
			r->names[k++] = r->names[i];
	r->n_names = k;
	return 0;
}

static int parse_names(struct ctx *c, struct json_object *o, const char *path,
		       struct sk_rule *r)
{
	struct json_object *names = member(o, "names"), *name = member(o, "name");
	char where[96];
	int ret;

	if (names && name)
		return sk_err_set(c->err, EINVAL,
				  "%s: %s: both \"name\" and \"names\" are given; use one",
				  c->file, path);
	if (!names && !name)
		return sk_err_set(c->err, EINVAL,
				  "%s: %s: neither \"names\" nor \"name\" is given",
				  c->file, path);
	if (name) {
		r->names = calloc(1, sizeof(*r->names));
		if (!r->names)
			return oom(c);
		snprintf(where, sizeof(where), "%s.name", path);
		ret = get_string(c, name, where, &r->names[0]);
		if (ret)
			return ret;
		r->n_names = 1;
		if (!r->names[0][0])
			return sk_err_set(c->err, EINVAL, "%s: %s: empty string",
					  c->file, where);
		return 0;
	}
	snprintf(where, sizeof(where), "%s.names", path);
	ret = get_strv(c, names, where, &r->names, &r->n_names);
	if (ret)
		return ret;
	if (!r->n_names)
		return sk_err_set(c->err, EINVAL, "%s: %s: empty", c->file, where);
	return dedupe_names(c, r);
	return 0;
}

static int parse_rule(struct ctx *c, struct json_object *o, size_t idx,
		      struct sk_rule *r)
{
	static const char *const known[] = {
		"names", "name", "action", "errnoRet", "errno", "args",
		"comment", "includes", "excludes", NULL
	};
	char path[32], where[64];
	struct json_object *v;
	int ret;

	snprintf(path, sizeof(path), "syscalls[%zu]", idx);
	r->where = strdup(path);
	if (!r->where)
		return oom(c);
	if (!json_object_is_type(o, json_type_object))
		return type_error(c, path, "an object", o);
	ret = unknown_keys(c, o, path, known);
	if (!ret)
		ret = parse_names(c, o, path, r);
	snprintf(where, sizeof(where), "%s.action", path);
	if (!ret)
		ret = parse_action(c, member(o, "action"), where, &r->action);
	if (!ret) {
		char nw[64], ew[64];

		snprintf(nw, sizeof(nw), "%s.errnoRet", path);
		snprintf(ew, sizeof(ew), "%s.errno", path);
		ret = errno_pair(c, member(o, "errnoRet"), nw, member(o, "errno"),
				 ew, &r->has_errno, &r->errno_ret);
		if (!ret)
			ret = check_errno_action(c, member(o, "errnoRet") ? nw : ew,
						 r->action, r->has_errno);
	}
	snprintf(where, sizeof(where), "%s.args", path);
	if (!ret)
		ret = parse_args(c, member(o, "args"), where, r);
	v = member(o, "comment");
	snprintf(where, sizeof(where), "%s.comment", path);
	if (!ret && v)
		ret = get_string(c, v, where, &r->comment);
	snprintf(where, sizeof(where), "%s.includes", path);
	if (!ret)
		ret = parse_cond(c, member(o, "includes"), where, &r->includes);
	snprintf(where, sizeof(where), "%s.excludes", path);
	if (!ret)
		ret = parse_cond(c, member(o, "excludes"), where, &r->excludes);
	return ret;
}

static int parse_rules(struct ctx *c, struct json_object *o,
		       struct sk_profile *p)
{
	size_t len;
	int ret;

	if (!o)
		return 0;
	if (!json_object_is_type(o, json_type_array))
		return type_error(c, "syscalls", "an array", o);
	len = json_object_array_length(o);
	p->rules = calloc(len + 1, sizeof(*p->rules));
	if (!p->rules)
		return oom(c);
	for (size_t i = 0; i < len; i++) {
		/* Counted first so a half-parsed rule is freed with the rest. */
		p->n_rules++;
		ret = parse_rule(c, json_object_array_get_idx(o, i), i,
				 &p->rules[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_top(struct ctx *c, struct json_object *root,
		     struct sk_profile *p)
{
	static const char *const known[] = {
		"defaultAction", "defaultErrnoRet", "defaultErrno",
		"architectures", "archMap", "flags", "syscalls",
		"listenerMetadata", NULL
	};
	struct json_object *v;
	int ret;

	if (!json_object_is_type(root, json_type_object))
		return sk_err_set(c->err, EINVAL,
				  "%s: expected a JSON object at the top, not %s",
				  c->file, sk_json_type_name(root));
	/* A trace given by mistake: one sentence, not a warning per key. */
	v = member(root, "format");
	if (v && json_object_is_type(v, json_type_string) &&
	    !strcmp(json_object_get_string(v), SK_TRACE_FORMAT))
		return sk_err_set(c->err, EINVAL,
				  "%s: this is a trace (\"format\": \"%s\"), not a seccomp profile: run scmp-gen on it first",
				  c->file, SK_TRACE_FORMAT);
	if (member(root, "listenerPath"))
		return sk_err_set(c->err, EINVAL,
				  "%s: listenerPath: seccomp agents (SCMP_ACT_NOTIFY to an outside listener) are not supported",
				  c->file);
	ret = unknown_keys(c, root, "", known);
	if (!ret)
		ret = parse_action(c, member(root, "defaultAction"),
				   "defaultAction", &p->default_action);
	if (!ret)
		ret = errno_pair(c, member(root, "defaultErrnoRet"),
				 "defaultErrnoRet", member(root, "defaultErrno"),
				 "defaultErrno", &p->has_default_errno,
				 &p->default_errno_ret);
	if (!ret)
		ret = check_errno_action(c, member(root, "defaultErrnoRet") ?
					 "defaultErrnoRet" : "defaultErrno",
					 p->default_action, p->has_default_errno);
	v = member(root, "architectures");
	if (!ret && v && member(root, "archMap") &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v))
		ret = sk_err_set(c->err, EINVAL,
				 "%s: both \"architectures\" and \"archMap\" are given; use one",
				 c->file);
	if (!ret)
		ret = parse_architectures(c, v, p);
	if (!ret)
		ret = parse_arch_map(c, member(root, "archMap"), p);
	if (!ret)
		ret = parse_flags(c, member(root, "flags"), p);
	if (!ret)
		ret = parse_rules(c, member(root, "syscalls"), p);
	return ret;
}

int sk_profile_parse_warn(const char *text, size_t len, const char *file,
			  struct sk_profile **out, struct sk_warn *warn,
			  struct sk_err *err)
{
	struct ctx c = { .file = file, .err = err, .warn = warn };
	struct json_object *root = NULL;
	struct sk_profile *p;
	size_t i = 0;
	int ret;

	while (i < len && strchr(" \t\r\n", text[i]) && text[i])
		i++;
	/* A program or a script given where the profile goes: say so, rather
	 * than what its first byte is not. */
	if (i < len && text[i] && !strchr("{[\"-0123456789tfn", text[i]))
		return sk_err_set(err, ENOEXEC, "%s is not a seccomp profile (not JSON text)", file);
	ret = sk_json_parse(text, len, file, &root, err);
	if (ret)
		return ret;
	p = sk_profile_new();
	if (!p || !(p->file = strdup(file))) {
		json_object_put(root);
		sk_profile_free(p);
		return oom(&c);
	}
	ret = parse_top(&c, root, p);
	json_object_put(root);
	if (ret) {
		sk_profile_free(p);
		return ret;
	}
	*out = p;
	return 0;
}

int sk_profile_parse(const char *text, size_t len, const char *file,
		     struct sk_profile **out, struct sk_err *err)
{
	return sk_profile_parse_warn(text, len, file, out, NULL, err);
}

int sk_profile_load_warn(const char *path, struct sk_profile **out,
			 struct sk_warn *warn, struct sk_err *err)
{
	const char *base = strcmp(path, "-") ? path : "<stdin>";
	char *text = NULL;
	size_t len = 0;
	int ret;

	ret = sk_read_file(path, &text, &len, err);
	if (ret)
		return ret;
	ret = sk_profile_parse_warn(text, len, base, out, warn, err);
	free(text);
	return ret;
}

int sk_profile_load(const char *path, struct sk_profile **out,
		    struct sk_err *err)
{
	return sk_profile_load_warn(path, out, NULL, err);
}
