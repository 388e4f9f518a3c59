/* SPDX-License-Identifier: MIT */
/*
 * Profile -> libseccomp filter (filter.h).  Pure: builds a context and
 * checks it, loads nothing.  The order of work is the order of meaning:
 * conditions (includes/excludes) pick the active rules, names are resolved,
 * conflicts among active rules are errors, then rules go into the context
 * with the first rule at the highest priority.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/capability.h>

#include "scmpkit/arch.h"
#include "scmpkit/filter.h"
#include "filter_plan.h"

/* The most instructions the kernel takes in one filter (BPF_MAXINSNS). */
#define SK_BPF_MAXINSNS 4096
/* libseccomp refuses SCMP_ACT_ERRNO(n) from MAX_ERRNO (4095) up. */
#define SK_ERRNO_LIB_MAX 4094

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

#define N_CAPS (sizeof(cap_names) / sizeof(cap_names[0]))

void sk_filter_opts_from_host(struct sk_filter_opts *opts)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };
	struct utsname u;

	memset(opts, 0, sizeof(*opts));
	/* Raw capget: no libcap; version 3 has two 32-bit words. */
	if (syscall(SYS_capget, &hdr, data) == 0)
		opts->caps_effective = (uint64_t)data[1].effective << 32 |
				       data[0].effective;
	if (uname(&u) == 0 &&
	    sscanf(u.release, "%u.%u", &opts->kernel_major,
		   &opts->kernel_minor) != 2)
		opts->kernel_major = opts->kernel_minor = 0;
}

/* Capability number of "CAP_SYS_ADMIN" (case as Docker writes it), or -1. */
static int cap_number(const char *name)
{
	for (size_t i = 0; i < N_CAPS; i++)
		if (!strcasecmp(name, cap_names[i]))
			return (int)i;
	return -1;
}

static bool has_cap(const struct sk_filter_opts *o, const char *name)
{
	int n = cap_number(name);

	/* A capability this table does not know is held by no one. */
	return n >= 0 && (o->caps_effective >> n & 1);
}

static bool has_arch(const uint32_t *a, size_t n, uint32_t arch)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == arch)
			return true;
	return false;
}

/* Kernel >= "MAJOR.MINOR"; an unknown kernel (0.0) meets no minimum. */
static bool kernel_at_least(const struct sk_filter_opts *o, const char *v)
{
	unsigned major = 0, minor = 0;

	if (!o->kernel_major && !o->kernel_minor)
		return false;
	sscanf(v, "%u.%u", &major, &minor);
	return o->kernel_major > major ||
	       (o->kernel_major == major && o->kernel_minor >= minor);
}

/*
 * Docker's reading of includes/excludes: a rule is dropped when the native
 * arch is excluded, any excluded capability is held, or the kernel reaches
 * an excluded minKernel; and unless the native arch is included, every
 * included capability is held and the kernel reaches minKernel.
 */
static bool rule_active(const struct sk_rule *r, const struct sk_filter_opts *o,
			uint32_t native)
{
	const struct sk_cond *ex = &r->excludes, *in = &r->includes;

	if (ex->n_arches && has_arch(ex->arches, ex->n_arches, native))
		return false;
	for (size_t i = 0; i < ex->n_caps; i++)
		if (has_cap(o, ex->caps[i]))
			return false;
	if (ex->min_kernel && kernel_at_least(o, ex->min_kernel))
		return false;
	if (in->n_arches && !has_arch(in->arches, in->n_arches, native))
		return false;
	for (size_t i = 0; i < in->n_caps; i++)
		if (!has_cap(o, in->caps[i]))
			return false;
	if (in->min_kernel && !kernel_at_least(o, in->min_kernel))
		return false;
	return true;
}

bool sk_filter_rule_active(const struct sk_rule *r,
			   const struct sk_filter_opts *opts)
{
	return rule_active(r, opts, seccomp_arch_native());
}

/* libseccomp's action for a model action; ERRNO and TRACE default to EPERM
 * as in runc. */
static uint32_t scmp_action(enum sk_action a, bool has_errno, unsigned e)
{
	if (!has_errno)
		e = EPERM;
	switch (a) {
	case SK_ACT_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case SK_ACT_KILL_THREAD:
	case SK_ACT_KILL:
		return SCMP_ACT_KILL_THREAD;
	case SK_ACT_TRAP:
		return SCMP_ACT_TRAP;
	case SK_ACT_ERRNO:
		return SCMP_ACT_ERRNO(e);
	case SK_ACT_TRACE:
		return SCMP_ACT_TRACE(e);
	case SK_ACT_ALLOW:
		return SCMP_ACT_ALLOW;
	case SK_ACT_LOG:
		return SCMP_ACT_LOG;
	case SK_ACT_NOTIFY:
		return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static bool denies(enum sk_action a)
{
	return a != SK_ACT_ALLOW && a != SK_ACT_LOG;
}

/* "SCMP_ACT_ERRNO(38)" for messages. */
static void action_desc(char *buf, size_t len, uint32_t act, bool with_data)
{
	const char *name = sk_filter_action_name(act);

	if (with_data && ((act & SCMP_ACT_ERRNO(0)) == SCMP_ACT_ERRNO(0) ||
			  (act & SCMP_ACT_TRACE(0)) == SCMP_ACT_TRACE(0)) &&
	    (act & 0xffff0000U) != SCMP_ACT_ALLOW)
		snprintf(buf, len, "%s(%u)", name, act & 0xffffU);
	else
		snprintf(buf, len, "%s", name);
}

const char *sk_filter_action_name(uint32_t act)
{
	switch (act & 0xffff0000U) {
	case SCMP_ACT_KILL_PROCESS:
		return "SCMP_ACT_KILL_PROCESS";
	case SCMP_ACT_KILL_THREAD:
		return "SCMP_ACT_KILL_THREAD";
	case SCMP_ACT_TRAP:
		return "SCMP_ACT_TRAP";
	case SCMP_ACT_ERRNO(0):
		return "SCMP_ACT_ERRNO";
	case SCMP_ACT_TRACE(0):
		return "SCMP_ACT_TRACE";
	case SCMP_ACT_ALLOW:
		return "SCMP_ACT_ALLOW";
	case SCMP_ACT_LOG:
		return "SCMP_ACT_LOG";
	case SCMP_ACT_NOTIFY:
		return "SCMP_ACT_NOTIFY";
	}
	return "unknown action";
}

/* The action as the profile spells it, with its errno when asked. */
static void rule_desc(char *buf, size_t len, const struct sk_rule *r,
		      uint32_t act, bool with_data)
{
	if (with_data)
		snprintf(buf, len, "%s(%u)", sk_action_name(r->action),
			 act & 0xffffU);
	else
		snprintf(buf, len, "%s", sk_action_name(r->action));
}

/* One (syscall name, rule) pair of an active rule. */
struct entry {
	const char *name;
	size_t rule;             /* index into p->rules */
	size_t name_idx;         /* index into the rule's names */
	uint32_t action;
	struct sk_rule_arg *args; /* sorted copy, for comparing */
	size_t n_args;
};

static int cmp_arg(const struct sk_rule_arg *a, const struct sk_rule_arg *b)
{
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->value_two != b->value_two)
		return a->value_two < b->value_two ? -1 : 1;
	return 0;
}

static int cmp_arg_q(const void *a, const void *b)
{
	return cmp_arg(a, b);
}

/* Same syscall and same comparisons (in any order). */
static int cmp_key(const struct entry *a, const struct entry *b)
{
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	if (a->n_args != b->n_args)
		return a->n_args < b->n_args ? -1 : 1;
	for (size_t i = 0; i < a->n_args; i++) {
		c = cmp_arg(&a->args[i], &b->args[i]);
		if (c)
			return c;
	}
	return 0;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = cmp_key(a, b);

	if (c)
		return c;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/* The state of one plan. */
struct build {
	const struct sk_profile *p;
	const struct sk_filter_opts *o;
	struct sk_warn *warn;
	struct sk_err *err;
	struct sk_filter_plan *plan; /* what is decided */
	uint32_t native;
	uint32_t def;             /* the default action */
	uint32_t arches[32];      /* the arches the filter covers, native first */
	size_t n_arches;
	bool *active;             /* per rule */
	uint32_t *actions;        /* per rule */
	struct entry *ents;
	size_t n_ents;
	struct sk_rule_arg *argbuf;
};

static int oom(struct build *b)
{
	return sk_err_set(b->err, ENOMEM, "%s: out of memory", b->p->file);
}

static void add_filter_arch(struct build *b, uint32_t arch)
{
	if (!has_arch(b->arches, b->n_arches, arch) &&
	    b->n_arches < sizeof(b->arches) / sizeof(b->arches[0]))
		b->arches[b->n_arches++] = arch;
}

/*
 * Which arches the filter covers.  The native arch is always there (a
 * libseccomp context starts with it and runc never removes it); then the
 * profile's "architectures", or from archMap only the entry of the native
 * arch with its subArchitectures, as Docker does.
 */
static void pick_arches(struct build *b)
{
	const struct sk_profile *p = b->p;
	uint32_t native = b->native;

	b->n_arches = 0;
	add_filter_arch(b, native);
	if (!p->n_arch_map) {
		for (size_t i = 0; i < p->n_arches; i++)
			add_filter_arch(b, p->arches[i]);
		return;
	}
	for (size_t i = 0; i < p->n_arch_map; i++) {
		if (p->arch_map[i].arch != native)
			continue;
		for (size_t j = 0; j < p->arch_map[i].n_subs; j++)
			add_filter_arch(b, p->arch_map[i].subs[j]);
	}
}

/* True when libseccomp can place name on arch (directly or multiplexed
 * through socketcall/ipc); libseccomp's table pseudo numbers are not. */
static bool known_on(uint32_t arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);

	return nr >= 0 || (nr <= -100 && nr > -10000);
}

static const char *lib_version(char *buf, size_t len)
{
	const struct scmp_version *v = seccomp_version();

	snprintf(buf, len, "libseccomp %u.%u.%u", v->major, v->minor, v->micro);
	return buf;
}

/* Unknown names: skipped in rules that allow (the filter only gets
 * stricter), an error in rules that deny or with opts.strict. */
static int check_unknown(struct build *b, size_t ri, bool *keep)
{
	const struct sk_rule *r = &b->p->rules[ri];
	char ver[48], list[512] = "";
	size_t n_unknown = 0, used = 0;

	for (size_t i = 0; i < r->n_names; i++) {
		const char *name = r->names[i];
		bool here = false;

		keep[i] = false;
		if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR) {
			if (b->o->strict || denies(r->action))
				return sk_err_set(b->err, EINVAL,
						  "%s: %s: \"%s\" is unknown to %s%s",
						  b->p->file, r->where, name,
						  lib_version(ver, sizeof(ver)),
						  b->o->strict ? " (--strict)" :
						  "; a rule that denies cannot skip it");
			n_unknown++;
			if (used < sizeof(list) - 1)
				used += (size_t)snprintf(list + used, sizeof(list) - used,
							 "%s%s", used ? ", " : "", name);
			continue;
		}
		for (size_t a = 0; a < b->n_arches && !here; a++)
			here = known_on(b->arches[a], name);
		/* Known only on arches this filter does not cover: nothing to add. */
		keep[i] = here;
	}
	if (n_unknown &&
	    sk_warn_add(b->warn, "%s: %s: skipping %zu name%s unknown to %s: %s",
			b->p->file, r->where, n_unknown, n_unknown > 1 ? "s" : "",
			lib_version(ver, sizeof(ver)), list))
		return oom(b);
	return 0;
}

/* Rule i's libseccomp action into b->actions[i].  The kernel caps an errno
 * at MAX_ERRNO (4095) and libseccomp takes at most 4094: a larger one
 * (moby's fixture has 12345) still denies, so it is loaded as 4094 with a
 * warning.  0 or -ENOMEM. */
static int rule_action(struct build *b, size_t i)
{
	const struct sk_rule *r = &b->p->rules[i];

	if (r->action != SK_ACT_ERRNO || !r->has_errno || r->errno_ret <= SK_ERRNO_LIB_MAX) {
		b->actions[i] = scmp_action(r->action, r->has_errno, r->errno_ret);
		return 0;
	}
	if (sk_warn_add(b->warn,
			"%s: %s.errnoRet: %u is beyond what the kernel returns (it caps errno at 4095) and libseccomp accepts; the call still fails, with errno %d",
			b->p->file, r->where, r->errno_ret, SK_ERRNO_LIB_MAX))
		return oom(b);
	b->actions[i] = scmp_action(r->action, true, SK_ERRNO_LIB_MAX);
	return 0;
}

/* Collects (name, rule) entries of the active rules. */
static int collect(struct build *b)
{
	const struct sk_profile *p = b->p;
	size_t total = 0, total_args = 0, ai = 0;
	uint32_t native = b->native;
	int ret;

	for (size_t i = 0; i < p->n_rules; i++) {
		total += p->rules[i].n_names;
		total_args += p->rules[i].n_args;
	}
	b->active = calloc(p->n_rules + 1, sizeof(*b->active));
	b->actions = calloc(p->n_rules + 1, sizeof(*b->actions));
	b->ents = calloc(total + 1, sizeof(*b->ents));
	b->argbuf = calloc(total_args + 1, sizeof(*b->argbuf));
	if (!b->active || !b->actions || !b->ents || !b->argbuf)
		return oom(b);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];
		struct sk_rule_arg *args = &b->argbuf[ai];
		bool *keep;

		if ((ret = rule_action(b, i)))
			return ret;
		b->active[i] = rule_active(r, b->o, native);
		if (!b->active[i])
			continue;
		if (r->n_args) {
			memcpy(args, r->args, r->n_args * sizeof(*args));
			qsort(args, r->n_args, sizeof(*args), cmp_arg_q);
		}
		ai += r->n_args;
		keep = calloc(r->n_names + 1, sizeof(*keep));
		if (!keep)
			return oom(b);
		ret = check_unknown(b, i, keep);
		for (size_t j = 0; !ret && j < r->n_names; j++) {
			if (!keep[j])
				continue;
			b->ents[b->n_ents++] = (struct entry){
				.name = r->names[j], .rule = i, .name_idx = j,
				.action = b->actions[i], .args = args,
				.n_args = r->n_args,
			};
		}
		free(keep);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Same syscall, same arguments: the same action is merged, another action is
 * an error naming both rules.  A rule with arguments for a syscall that an
 * earlier or later rule matches whole with another action never applies
 * (libseccomp keeps the whole-syscall rule): a warning.
 */
static int check_conflicts(struct build *b)
{
	struct entry *e = b->ents;
	const struct sk_rule *rules = b->p->rules;
	char a1[48], a2[48];

	qsort(e, b->n_ents, sizeof(*e), cmp_entry);
	for (size_t i = 1; i < b->n_ents; i++) {
		size_t first = i;

		while (first > 0 && !cmp_key(&e[first - 1], &e[i]))
			first--;
		if (first == i || e[first].action == e[i].action)
			continue;
		rule_desc(a1, sizeof(a1), &rules[e[i].rule], e[i].action,
			  rules[e[i].rule].action == rules[e[first].rule].action);
		rule_desc(a2, sizeof(a2), &rules[e[first].rule], e[first].action,
			  rules[e[i].rule].action == rules[e[first].rule].action);
		return sk_err_set(b->err, EINVAL,
				  "%s: %s: \"%s\" conflicts with %s (%s vs %s)",
				  b->p->file, rules[e[i].rule].where, e[i].name,
				  rules[e[first].rule].where, a1, a2);
	}
	for (size_t i = 0; i < b->n_ents; i++) {
		size_t j;

		/* Entries of one name are adjacent; no-argument ones first. */
		if (i && !strcmp(e[i - 1].name, e[i].name))
			continue;
		if (e[i].n_args)
			continue;
		for (j = i + 1; j < b->n_ents && !strcmp(e[j].name, e[i].name); j++) {
			if (!e[j].n_args || e[j].action == e[i].action)
				continue;
			if (sk_warn_add(b->warn,
					"%s: %s: \"%s\" with arguments never applies: %s matches every \"%s\" call",
					b->p->file, rules[e[j].rule].where, e[j].name,
					rules[e[i].rule].where, e[i].name))
				return oom(b);
		}
	}
	return 0;
}

/*
 * The filter's attributes: the bad-arch action kill-process, the binary
 * tree where libseccomp has it (2.5 on), the profile's flags in order, and
 * SECCOMP_FILTER_FLAG_LOG (or opts.log) once, last.
 */
static int plan_attrs(struct build *b)
{
	const struct sk_profile *p = b->p;
	struct sk_filter_plan *pl = b->plan;
	bool log = b->o->log;

	pl->attrs = calloc(p->n_flags + 3, sizeof(*pl->attrs));
	if (!pl->attrs)
		return oom(b);
	pl->attrs[pl->n_attrs++] = (struct sk_filter_attr){
		SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS, false, SIZE_MAX };
	pl->attrs[pl->n_attrs++] = (struct sk_filter_attr){
		SCMP_FLTATR_CTL_OPTIMIZE, 2, true, SIZE_MAX };
	for (size_t i = 0; i < p->n_flags; i++) {
		const char *f = p->flags[i];

		if (!strcmp(f, "SECCOMP_FILTER_FLAG_LOG"))
			log = true;
		else if (!strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC"))
			pl->attrs[pl->n_attrs++] = (struct sk_filter_attr){
				SCMP_FLTATR_CTL_TSYNC, 1, false, i };
		else if (!strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
			pl->attrs[pl->n_attrs++] = (struct sk_filter_attr){
				SCMP_FLTATR_CTL_SSB, 1, false, i };
		else if (sk_warn_add(b->warn, "%s: flags[%zu]: %s is not supported by this libseccomp; ignored",
				     p->file, i, f))
			return oom(b);
	}
	if (log)
		pl->attrs[pl->n_attrs++] = (struct sk_filter_attr){
			SCMP_FLTATR_CTL_LOG, 1, false, SIZE_MAX };
	return 0;
}

static int set_attrs(const struct sk_profile *p, const struct sk_filter_plan *pl,
		     scmp_filter_ctx ctx, struct sk_err *err)
{
	for (size_t i = 0; i < pl->n_attrs; i++) {
		const struct sk_filter_attr *a = &pl->attrs[i];
		int ret = seccomp_attr_set(ctx, a->attr, a->value);

		if (!ret || a->may_fail)
			continue;
		if (a->attr == SCMP_FLTATR_ACT_BADARCH)
			return sk_err_set(err, -ret, "%s: cannot set the bad-arch action: %s",
					  p->file, strerror(-ret));
		if (a->attr == SCMP_FLTATR_CTL_LOG)
			return sk_err_set(err, -ret,
					  "%s: SECCOMP_FILTER_FLAG_LOG: not supported here: %s",
					  p->file, strerror(-ret));
		return sk_err_set(err, -ret, "%s: flags[%zu]: %s: %s", p->file,
				  a->flag, p->flags[a->flag], strerror(-ret));
	}
	return 0;
}

/* A new step of rule ri on name; NULL when out of memory. */
static struct sk_filter_step *new_step(struct build *b, size_t *cap, size_t ri,
				       const char *name)
{
	struct sk_filter_plan *pl = b->plan;
	struct sk_filter_step *s;

	if (pl->n_steps == *cap) {
		size_t n = *cap ? 2 * *cap : 64;

		s = realloc(pl->steps, n * sizeof(*s));
		if (!s)
			return NULL;
		pl->steps = s;
		*cap = n;
	}
	s = &pl->steps[pl->n_steps++];
	*s = (struct sk_filter_step){ .name = name, .rule = ri,
				      .action = b->actions[ri], .priority = -1 };
	return s;
}

/*
 * The steps of one name of rule ri.  runc's reading of a rule that compares
 * the same argument twice: libseccomp refuses two comparisons of one
 * argument in one rule, so each comparison becomes a rule of its own (they
 * match as OR, not AND).  We do the same so a profile means here what it
 * means under runc.
 */
static int plan_name(struct build *b, size_t *cap, size_t ri, const char *name)
{
	static const enum scmp_compare ops[] = {
		[SK_OP_NE] = SCMP_CMP_NE, [SK_OP_LT] = SCMP_CMP_LT,
		[SK_OP_LE] = SCMP_CMP_LE, [SK_OP_EQ] = SCMP_CMP_EQ,
		[SK_OP_GE] = SCMP_CMP_GE, [SK_OP_GT] = SCMP_CMP_GT,
		[SK_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
	};
	const struct sk_rule *r = &b->p->rules[ri];
	struct scmp_arg_cmp cmp[6 * 8];
	struct sk_filter_step *s;
	unsigned seen = 0;
	bool repeated = false;
	size_t n = r->n_args < 48 ? r->n_args : 48;

	for (size_t i = 0; i < n; i++) {
		const struct sk_rule_arg *a = &r->args[i];

		if (seen & (1U << a->index))
			repeated = true;
		seen |= 1U << a->index;
		cmp[i] = (struct scmp_arg_cmp){
			.arg = a->index, .op = ops[a->op],
			.datum_a = a->value, .datum_b = a->value_two,
		};
	}
	if (!repeated) {
		if (!(s = new_step(b, cap, ri, name)))
			return oom(b);
		s->n_cmp = (unsigned)n;
		memcpy(s->cmp, cmp, n * sizeof(*cmp));
	}
	for (size_t i = 0; repeated && i < n; i++) {
		if (!(s = new_step(b, cap, ri, name)))
			return oom(b);
		s->n_cmp = 1;
		s->cmp[0] = cmp[i];
	}
	return 0;
}

/*
 * Rules in profile order; a syscall's priority comes from where it first
 * appears, scaled into libseccomp's 0-255 (first highest), and is set
 * after the first rule on it.
 */
static int plan_steps(struct build *b)
{
	const struct sk_profile *p = b->p;
	size_t pos = 0, total = 0, n_done = 0, cap = 0;
	char desc[48];
	int *done, ret = 0;

	for (size_t i = 0; i < p->n_rules; i++)
		total += b->active[i] ? p->rules[i].n_names : 0;
	done = calloc(total + 1, sizeof(*done));
	if (!done)
		return oom(b);
	for (size_t i = 0; !ret && i < p->n_rules; i++) {
		if (!b->active[i])
			continue;
		if (b->actions[i] == b->def) {
			action_desc(desc, sizeof(desc), b->def, true);
			if (sk_warn_add(b->warn, "%s: %s: action %s is the default action; rule skipped",
					p->file, p->rules[i].where, desc))
				ret = oom(b);
			continue;
		}
		for (size_t j = 0; !ret && j < b->n_ents; j++) {
			const struct entry *e = &b->ents[j];
			size_t k;
			int nr;

			if (e->rule != i)
				continue;
			ret = plan_name(b, &cap, i, e->name);
			nr = seccomp_syscall_resolve_name_arch(b->native, e->name);
			for (k = 0; k < n_done && done[k] != nr; k++)
				;
			if (ret || k < n_done)
				continue;
			done[n_done++] = nr;
			b->plan->steps[b->plan->n_steps - 1].priority =
				(int)(uint8_t)(255 - pos * 256 / (total + 1));
			pos++;
		}
	}
	free(done);
	return ret;
}

/* Carries the steps out. */
static int add_rules(const struct sk_profile *p, const struct sk_filter_plan *pl,
		     scmp_filter_ctx ctx, struct sk_err *err)
{
	for (size_t i = 0; i < pl->n_steps; i++) {
		const struct sk_filter_step *s = &pl->steps[i];
		int nr = seccomp_syscall_resolve_name(s->name);
		int ret = seccomp_rule_add_array(ctx, s->action, nr, s->n_cmp, s->cmp);

		if (ret)
			return sk_err_set(err, -ret,
					  "%s: %s: \"%s\": libseccomp refused the rule: %s",
					  p->file, p->rules[s->rule].where, s->name,
					  strerror(-ret));
		if (s->priority >= 0)
			seccomp_syscall_priority(ctx, nr, (uint8_t)s->priority);
	}
	return 0;
}

static int cmp_rule_order(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;

	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return a->name_idx < b->name_idx ? -1 : a->name_idx > b->name_idx;
}

static void build_free(struct build *b)
{
	free(b->active);
	free(b->actions);
	free(b->ents);
	free(b->argbuf);
}

void sk_filter_plan_free(struct sk_filter_plan *plan)
{
	if (!plan)
		return;
	free(plan->attrs);
	free(plan->steps);
	free(plan);
}

/*
 * libseccomp asks the kernel which actions exist through seccomp(2); where
 * that call itself is missing (valgrind does not emulate it) it refuses
 * KILL_PROCESS and LOG even for a filter that is only compiled.  Building
 * for API level 3 (kernel 4.14+: seccomp(2), KILL_PROCESS, LOG) is safe:
 * loading such a filter on a kernel without them fails, it never weakens.
 */
static void assume_api3(void)
{
	if (seccomp_api_get() < 3)
		seccomp_api_set(3);
}

/* The default action: the notify backend's, else the command line's, else
 * the profile's.  Unlike a rule's errno (collect), a default errno beyond
 * libseccomp's limit is refused. */
static int pick_default(struct build *b)
{
	const struct sk_profile *p = b->p;
	const struct sk_filter_opts *opts = b->o;

	if (opts->notify_default) {
		b->def = SCMP_ACT_NOTIFY;
	} else if (opts->override_default) {
		if (opts->default_action == SK_ACT_ERRNO &&
		    opts->default_errno > SK_ERRNO_LIB_MAX)
			return sk_err_set(b->err, ERANGE,
					  "default errno %u is more than libseccomp accepts (%d)",
					  opts->default_errno, SK_ERRNO_LIB_MAX);
		b->def = scmp_action(opts->default_action, true,
				     opts->default_errno);
	} else if (p->default_action == SK_ACT_ERRNO && p->has_default_errno &&
		   p->default_errno_ret > SK_ERRNO_LIB_MAX) {
		return sk_err_set(b->err, ERANGE,
				  "%s: defaultErrnoRet: %u is more than libseccomp accepts for SCMP_ACT_ERRNO (%d)",
				  p->file, p->default_errno_ret, SK_ERRNO_LIB_MAX);
	} else {
		b->def = scmp_action(p->default_action, p->has_default_errno,
				     p->default_errno_ret);
	}
	/*
	 * Allowed, as Docker and runc allow it, but never silently: a denied
	 * call that "returns 0" looks to the program as if it ran.
	 */
	if (b->def == SCMP_ACT_ERRNO(0) &&
	    sk_warn_add(b->warn, "%s%s: errno 0: every call the profile does not allow returns 0 without running, so the program sees it succeed; EPERM or ENOSYS deny it",
			opts->override_default ? "--default-action" : p->file,
			opts->override_default ? "" : ": defaultErrnoRet") < 0)
		return sk_err_set(b->err, ENOMEM, "out of memory");
	return 0;
}

/* The native arch is in every context from seccomp_init: from the second. */
static int add_arches(const struct sk_profile *p, const struct sk_filter_plan *pl,
		      scmp_filter_ctx ctx, struct sk_err *err)
{
	int ret = 0;

	for (size_t i = 1; !ret && i < pl->n_arches; i++) {
		ret = seccomp_arch_add(ctx, pl->arches[i]);
		if (ret == -EEXIST)
			ret = 0;
		if (ret)
			ret = sk_err_set(err, -ret, "%s: cannot add architecture %s: %s",
					 p->file, sk_arch_name(pl->arches[i]),
					 strerror(-ret));
	}
	return ret;
}

/* A filter libseccomp builds can still be one the kernel refuses to load:
 * said here, where the profile is named, rather than at seccomp_load. */
static int check_size(const struct sk_profile *p, scmp_filter_ctx ctx,
		      struct sk_err *err)
{
	long insns = sk_filter_insns(ctx);

	if (insns < 0)
		return sk_err_set(err, (int)-insns, "%s: libseccomp cannot compile the filter: %s",
				  p->file, strerror((int)-insns));
	if (insns > SK_BPF_MAXINSNS)
		return sk_err_set(err, E2BIG,
				  "%s: the filter is %ld BPF instructions; the kernel accepts at most %d",
				  p->file, insns, SK_BPF_MAXINSNS);
	return 0;
}

int sk_filter_plan(const struct sk_profile *p,
		   const struct sk_filter_opts *opts, uint32_t native,
		   struct sk_filter_plan **out, struct sk_warn *warn,
		   struct sk_err *err)
{
	struct build b = { .p = p, .o = opts, .warn = warn, .err = err,
			   .native = native };
	int ret;

	b.plan = calloc(1, sizeof(*b.plan));
	if (!b.plan)
		return sk_err_set(err, ENOMEM, "%s: out of memory", p->file);
	ret = pick_default(&b);
	if (ret)
		goto out;
	pick_arches(&b);
	ret = collect(&b);
	if (!ret)
		ret = check_conflicts(&b);
	if (ret)
		goto out;
	/* Back to profile order (names in rule order) for priorities. */
	qsort(b.ents, b.n_ents, sizeof(*b.ents), cmp_rule_order);
	b.plan->native = native;
	b.plan->def = b.def;
	memcpy(b.plan->arches, b.arches, sizeof(b.arches));
	b.plan->n_arches = b.n_arches;
	ret = plan_attrs(&b);
	if (!ret)
		ret = plan_steps(&b);
out:
	build_free(&b);
	if (ret) {
		sk_filter_plan_free(b.plan);
		return ret;
	}
	*out = b.plan;
	return 0;
}

int sk_filter_build(const struct sk_profile *p,
		    const struct sk_filter_opts *opts, scmp_filter_ctx *out,
		    struct sk_warn *warn, struct sk_err *err)
{
	struct sk_filter_plan *pl = NULL;
	scmp_filter_ctx ctx = NULL;
	int ret;

	assume_api3();
	ret = sk_filter_plan(p, opts, seccomp_arch_native(), &pl, warn, err);
	if (ret)
		return ret;
	ctx = seccomp_init(pl->def);
	if (!ctx) {
		ret = sk_err_set(err, EINVAL, "%s: libseccomp refused the default action",
				 p->file);
		goto out;
	}
	ret = set_attrs(p, pl, ctx, err);
	if (!ret)
		ret = add_arches(p, pl, ctx, err);
	if (!ret)
		ret = add_rules(p, pl, ctx, err);
	if (!ret)
		ret = check_size(p, ctx, err);
out:
	sk_filter_plan_free(pl);
	if (ret) {
		seccomp_release(ctx);
		return ret;
	}
	*out = ctx;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sk_filter_allowed_names(const struct sk_profile *p, const struct sk_filter_opts *fo,
			    size_t *n)
{
	size_t total = 0, k = 0, distinct = 0;
	char **all;

	for (size_t i = 0; i < p->n_rules; i++)
		total += p->rules[i].n_names;
	all = calloc(total ? total : 1, sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		if (r->action != SK_ACT_ALLOW || (fo && !sk_filter_rule_active(r, fo)))
			continue;
		for (size_t j = 0; j < r->n_names; j++)
			all[k++] = r->names[j];
	}
	qsort(all, k, sizeof(*all), name_cmp);
	for (size_t i = 0; i < k; i++)
		if (!i || strcmp(all[i], all[i - 1]))
			distinct++;
	free(all);
	*n = distinct;
	return 0;
}
