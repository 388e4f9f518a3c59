/* SPDX-License-Identifier: MIT */
/* The words for a denied call (denial.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "argknow.h"
#include "scmpkit/denial.h"
#include "scmpkit/textesc.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The names of the argument positions the knowledge table lists (argknow.c),
 * as the man pages call them.  Sorted by syscall, then index; a unit test
 * checks that and that every position of the table has a name here.
 */
static const struct sk_argname argnames[] = {
	{ .syscall = "arch_prctl", .index = 0, .name = "code" },
	{ .syscall = "bpf", .index = 0, .name = "cmd" },
	{ .syscall = "clone", .index = 0, .name = "flags" },
	{ .syscall = "fcntl", .index = 1, .name = "cmd" },
	{ .syscall = "fcntl64", .index = 1, .name = "cmd" },
	{ .syscall = "futex", .index = 1, .name = "op" },
	{ .syscall = "getsockopt", .index = 1, .name = "level" },
	{ .syscall = "getsockopt", .index = 2, .name = "optname" },
	{ .syscall = "ioctl", .index = 1, .name = "request" },
	{ .syscall = "keyctl", .index = 0, .name = "operation" },
	{ .syscall = "kill", .index = 1, .name = "sig" },
	{ .syscall = "madvise", .index = 2, .name = "advice" },
	{ .syscall = "mmap", .index = 2, .name = "prot" },
	{ .syscall = "mmap2", .index = 2, .name = "prot" },
	{ .syscall = "mprotect", .index = 2, .name = "prot" },
	{ .syscall = "open", .index = 1, .name = "flags" },
	{ .syscall = "openat", .index = 2, .name = "flags" },
	{ .syscall = "personality", .index = 0, .name = "persona" },
	{ .syscall = "pkey_mprotect", .index = 2, .name = "prot" },
	{ .syscall = "prctl", .index = 0, .name = "option" },
	{ .syscall = "ptrace", .index = 0, .name = "request" },
	{ .syscall = "rt_sigaction", .index = 0, .name = "signum" },
	{ .syscall = "rt_sigqueueinfo", .index = 1, .name = "sig" },
	{ .syscall = "seccomp", .index = 0, .name = "operation" },
	{ .syscall = "setns", .index = 1, .name = "nstype" },
	{ .syscall = "setsockopt", .index = 1, .name = "level" },
	{ .syscall = "setsockopt", .index = 2, .name = "optname" },
	{ .syscall = "sigaction", .index = 0, .name = "sig" },
	{ .syscall = "signal", .index = 0, .name = "sig" },
	{ .syscall = "socket", .index = 0, .name = "domain" },
	{ .syscall = "socket", .index = 1, .name = "type" },
	{ .syscall = "socket", .index = 2, .name = "protocol" },
	{ .syscall = "socketcall", .index = 0, .name = "call" },
	{ .syscall = "socketpair", .index = 0, .name = "domain" },
	{ .syscall = "socketpair", .index = 1, .name = "type" },
	{ .syscall = "tgkill", .index = 2, .name = "sig" },
	{ .syscall = "tkill", .index = 1, .name = "sig" },
	{ .syscall = "unshare", .index = 0, .name = "flags" },
};

const struct sk_argname *sk_denial_argnames(size_t *n)
{
	*n = COUNT(argnames);
	return argnames;
}

const char *sk_denial_argname(const char *syscall, unsigned index)
{
	for (size_t i = 0; i < COUNT(argnames); i++)
		if (argnames[i].index == index && !strcmp(argnames[i].syscall, syscall))
			return argnames[i].name;
	return NULL;
}

/* "flags", or "arg2" for a position without a name. */
static void put_argname(char *buf, size_t len, const char *name, unsigned index)
{
	const char *a = sk_denial_argname(name, index);

	if (a)
		sk_text_append(buf, len, "%s", a);
	else
		sk_text_append(buf, len, "arg%u", index);
}

/* A value of name's argument index: its symbolic name, else hex (or a
 * small decimal). */
static void put_value(char *buf, size_t len, const char *name, unsigned index,
		      uint64_t v)
{
	char s[256];

	if (sk_arg_decode(name, index, v, s, sizeof(s)) == 0)
		sk_text_append(buf, len, "%s", s);
	else if (v < 10)
		sk_text_append(buf, len, "%llu", (unsigned long long)v);
	else
		sk_text_append(buf, len, "%#llx", (unsigned long long)v);
}

void sk_denial_tuple(const char *name, unsigned n_argidx, const unsigned *argidx,
		     const uint64_t *tuple, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	sk_text_append(buf, len, "%s", name);
	if (!n_argidx)
		return;
	sk_text_append(buf, len, "(");
	for (unsigned i = 0; i < n_argidx; i++) {
		sk_text_append(buf, len, "%s", i ? ", " : "");
		put_argname(buf, len, name, argidx[i]);
		sk_text_append(buf, len, "=");
		put_value(buf, len, name, argidx[i], tuple[i]);
	}
	sk_text_append(buf, len, ")");
}

void sk_denial_call(uint32_t arch, int nr, const uint64_t args[6], char *buf,
		    size_t len)
{
	const struct sk_argspec *spec;
	unsigned idx[SK_ARGS_MAX];
	uint64_t v[SK_ARGS_MAX];
	char name[64];

	if (!len)
		return;
	sk_arch_classify(&arch, &nr);
	if (sk_syscall_name(arch, nr, name, sizeof(name))) {
		snprintf(buf, len, "syscall %d", nr & ~SK_X32_SYSCALL_BIT);
		return;
	}
	spec = sk_argspec_find(arch, name);
	for (unsigned i = 0; spec && i < spec->n; i++) {
		idx[i] = spec->pos[i].index;
		/* The whole value, not the recorded mask: what the program
		 * passed (an int's upper half is not the program's). */
		v[i] = args[idx[i]] & (spec->pos[i].is32 ? 0xffffffffULL : ~0ULL);
	}
	sk_denial_tuple(name, spec ? spec->n : 0, idx, v, buf, len);
}

void sk_denial_arch(uint32_t arch, char *buf, size_t len)
{
	const char *n = sk_arch_name(arch);
	size_t i = 0;

	if (!len)
		return;
	if (!n) {
		snprintf(buf, len, "arch %#x", arch);
		return;
	}
	if (!strncmp(n, "SCMP_ARCH_", 10))
		n += 10;
	for (; n[i] && i + 1 < len; i++)
		buf[i] = (char)tolower((unsigned char)n[i]);
	buf[i] = '\0';
}

static bool cond_holds(const struct sk_rule_arg *a, const uint64_t args[6])
{
	uint64_t v = args[a->index];

	switch (a->op) {
	case SK_OP_NE: return v != a->value;
	case SK_OP_LT: return v < a->value;
	case SK_OP_LE: return v <= a->value;
	case SK_OP_EQ: return v == a->value;
	case SK_OP_GE: return v >= a->value;
	case SK_OP_GT: return v > a->value;
	case SK_OP_MASKED_EQ: return (v & a->value) == a->value_two;
	}
	return false;
}

static size_t conds_holding(const struct sk_rule *r, const uint64_t args[6])
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_args; i++)
		n += cond_holds(&r->args[i], args);
	return n;
}

static bool lists(const struct sk_rule *r, const char *name)
{
	for (size_t i = 0; i < r->n_names; i++)
		if (!strcmp(r->names[i], name))
			return true;
	return false;
}

static bool allows(enum sk_action a)
{
	return a == SK_ACT_ALLOW || a == SK_ACT_LOG;
}

/* "flags & 0x643 == O_RDONLY" */
static void put_cond(char *buf, size_t len, const char *name,
		     const struct sk_rule_arg *a)
{
	static const char *const ops[] = {
		[SK_OP_NE] = "!=", [SK_OP_LT] = "<", [SK_OP_LE] = "<=",
		[SK_OP_EQ] = "==", [SK_OP_GE] = ">=", [SK_OP_GT] = ">",
	};

	put_argname(buf, len, name, a->index);
	if (a->op == SK_OP_MASKED_EQ) {
		sk_text_append(buf, len, " & %#llx == ", (unsigned long long)a->value);
		put_value(buf, len, name, a->index, a->value_two);
		return;
	}
	sk_text_append(buf, len, " %s ", a->op < COUNT(ops) && ops[a->op] ? ops[a->op] : "?");
	put_value(buf, len, name, a->index, a->value);
}

void sk_denial_cond(const char *name, const struct sk_rule_arg *a, char *buf,
		    size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	put_cond(buf, len, name, a);
}

/* "R allows NAME only when C and C; here flags=V" for the rule that came closest. */
static void put_closest(char *buf, size_t len, const struct sk_profile *p,
			const struct sk_rule *r, const char *name,
			const uint64_t args[6])
{
	unsigned shown = 0;
	bool seen[6] = { false };

	sk_text_append(buf, len, "%s %s allows %s only when ", p->file, r->where ? r->where : "a rule", name);
	for (size_t i = 0; i < r->n_args; i++) {
		if (cond_holds(&r->args[i], args))
			continue;
		sk_text_append(buf, len, "%s", shown++ ? " and " : "");
		put_cond(buf, len, name, &r->args[i]);
	}
	sk_text_append(buf, len, "; here ");
	shown = 0;
	for (size_t i = 0; i < r->n_args; i++) {
		unsigned k = r->args[i].index;

		if (cond_holds(&r->args[i], args) || k >= 6 || seen[k])
			continue;
		seen[k] = true;
		sk_text_append(buf, len, "%s", shown++ ? ", " : "");
		put_argname(buf, len, name, k);
		sk_text_append(buf, len, "=");
		put_value(buf, len, name, k, args[k]);
	}
}

void sk_denial_reason(const struct sk_profile *p, const struct sk_filter_opts *fo,
		      bool arch_covered, uint32_t arch, int nr,
		      const uint64_t args[6], char *buf, size_t len)
{
	const struct sk_rule *closest = NULL;
	size_t best = 0;
	char name[64], an[32];

	if (!len)
		return;
	buf[0] = '\0';
	sk_arch_classify(&arch, &nr);
	if (!arch_covered) {
		sk_denial_arch(arch, an, sizeof(an));
		sk_text_append(buf, len, "the architecture %s is not in %s", an, p->file);
		return;
	}
	if (sk_syscall_name(arch, nr, name, sizeof(name))) {
		sk_text_append(buf, len, "not in %s (a number libseccomp does not know)", p->file);
		return;
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];
		size_t holding;

		if (!lists(r, name) || !sk_filter_rule_active(r, fo))
			continue;
		holding = conds_holding(r, args);
		if (holding == r->n_args) {
			if (r->action == SK_ACT_LOG)
				sk_text_append(buf, len, "%s %s logs it", p->file, r->where ? r->where : "a rule");
			else if (!allows(r->action))
				sk_text_append(buf, len, "%s %s denies it (%s)", p->file,
				    r->where ? r->where : "a rule", sk_action_name(r->action));
			else
				continue; /* an allow the filter ranks lower */
			return;
		}
		if (allows(r->action) && (!closest || holding > best)) {
			closest = r;
			best = holding;
		}
	}
	if (closest)
		put_closest(buf, len, p, closest, name, args);
	else
		sk_text_append(buf, len, "not in %s", p->file);
}

void sk_denial_done(const struct sk_verdict *v, bool tree, char *buf, size_t len)
{
	const char *e;

	if (!len)
		return;
	buf[0] = '\0';
	switch (v->kind) {
	case SK_VERDICT_KILL_PROCESS:
	case SK_VERDICT_KILL_THREAD:
		sk_text_append(buf, len, "%s killed (%s)", tree ? "process tree" : "process",
		    v->kind == SK_VERDICT_KILL_PROCESS ? "kill-process" : "kill-thread");
		break;
	case SK_VERDICT_TRAP:
		sk_text_append(buf, len, "SIGSYS sent (trap)");
		break;
	case SK_VERDICT_ERRNO:
		e = sk_errno_name(v->error);
		if (!v->error)
			sk_text_append(buf, len, "returned 0 without running (errno 0)");
		else if (e)
			sk_text_append(buf, len, "failed with %s (errno)", e);
		else
			sk_text_append(buf, len, "failed with errno %d (errno)", v->error);
		break;
	case SK_VERDICT_CONTINUE:
		sk_text_append(buf, len, "continued (log)");
		break;
	}
}
