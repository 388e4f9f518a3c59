/* SPDX-License-Identifier: MIT */
/*
 * The minijail policy (gen_format.h): one line per name, every rule of the
 * name joined with ||; no masked compare, so a masked value with few free
 * bits is spelled as its values and one with many is allowed whole.
 * Values are written by name where minijail's policy compiler resolves the
 * name (its constant table, built from the #defines of the headers
 * gen_constants-inl.h includes) and this host's headers gave it: when the
 * host is one of the profile's arches.  A policy is for one arch and the
 * same on every host, so a rule for some hosts only (includes/excludes) is
 * refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/textesc.h"
#include "argknow.h"
#include "render.h"

/*
 * The names argnames.c gives that minijail's constant table has: the
 * #defines of minijail's gen_constants-inl.h headers (google/minijail
 * 8d20993, preprocessed as gen_constants.sh does, without _GNU_SOURCE, on
 * Debian 12: glibc 2.36, Linux 6.1 headers), less the names Linux added
 * after 5.4, which an older build would not know.  Sorted (strcmp).
 */
static const char *const minijail_names[] = {
	"AF_ALG", "AF_APPLETALK", "AF_AX25", "AF_BLUETOOTH",
	"AF_CAN", "AF_INET", "AF_INET6", "AF_IPX",
	"AF_KEY", "AF_LLC", "AF_NETLINK", "AF_PACKET",
	"AF_RDS", "AF_TIPC", "AF_UNIX", "AF_UNSPEC",
	"AF_VSOCK", "AF_X25", "AF_XDP", "ARCH_GET_CPUID",
	"ARCH_GET_FS", "ARCH_GET_GS", "ARCH_MAP_VDSO_32", "ARCH_MAP_VDSO_64",
	"ARCH_MAP_VDSO_X32", "ARCH_SET_CPUID", "ARCH_SET_FS", "ARCH_SET_GS",
	"CLONE_CHILD_CLEARTID", "CLONE_CHILD_SETTID", "CLONE_FILES", "CLONE_FS",
	"CLONE_IO", "CLONE_NEWCGROUP", "CLONE_NEWIPC", "CLONE_NEWNET",
	"CLONE_NEWNS", "CLONE_NEWPID", "CLONE_NEWUSER", "CLONE_NEWUTS",
	"CLONE_PARENT", "CLONE_PARENT_SETTID", "CLONE_PIDFD", "CLONE_PTRACE",
	"CLONE_SETTLS", "CLONE_SIGHAND", "CLONE_SYSVSEM", "CLONE_THREAD",
	"CLONE_UNTRACED", "CLONE_VFORK", "CLONE_VM", "FIOASYNC",
	"FIOCLEX", "FIONBIO", "FIONCLEX", "FIONREAD",
	"F_DUPFD", "F_DUPFD_CLOEXEC", "F_GETFD", "F_GETFL",
	"F_GETLK", "F_GETOWN", "F_SETFD", "F_SETFL",
	"F_SETLK", "F_SETLKW", "F_SETOWN", "MADV_COLD",
	"MADV_DODUMP", "MADV_DOFORK", "MADV_DONTDUMP", "MADV_DONTFORK",
	"MADV_DONTNEED", "MADV_FREE", "MADV_GUARD_INSTALL", "MADV_GUARD_REMOVE",
	"MADV_HUGEPAGE", "MADV_HWPOISON", "MADV_KEEPONFORK", "MADV_MERGEABLE",
	"MADV_NOHUGEPAGE", "MADV_NORMAL", "MADV_PAGEOUT", "MADV_RANDOM",
	"MADV_REMOVE", "MADV_SEQUENTIAL", "MADV_UNMERGEABLE", "MADV_WILLNEED",
	"MADV_WIPEONFORK", "O_ACCMODE", "O_APPEND", "O_CLOEXEC",
	"O_CREAT", "O_DIRECTORY", "O_DSYNC", "O_EXCL",
	"O_NOCTTY", "O_NOFOLLOW", "O_NONBLOCK", "O_RDONLY",
	"O_RDWR", "O_TRUNC", "O_WRONLY", "PROT_EXEC",
	"PROT_NONE", "PROT_READ", "PROT_WRITE", "PR_CAPBSET_DROP",
	"PR_CAPBSET_READ", "PR_CAP_AMBIENT", "PR_GET_CHILD_SUBREAPER", "PR_GET_DUMPABLE",
	"PR_GET_KEEPCAPS", "PR_GET_NAME", "PR_GET_NO_NEW_PRIVS", "PR_GET_PDEATHSIG",
	"PR_GET_SECCOMP", "PR_GET_SECUREBITS", "PR_GET_THP_DISABLE", "PR_GET_TID_ADDRESS",
	"PR_GET_TIMERSLACK", "PR_GET_TSC", "PR_MCE_KILL", "PR_MCE_KILL_GET",
	"PR_SET_CHILD_SUBREAPER", "PR_SET_DUMPABLE", "PR_SET_KEEPCAPS", "PR_SET_MM",
	"PR_SET_NAME", "PR_SET_NO_NEW_PRIVS", "PR_SET_PDEATHSIG", "PR_SET_PTRACER",
	"PR_SET_SECCOMP", "PR_SET_SECUREBITS", "PR_SET_THP_DISABLE", "PR_SET_TIMERSLACK",
	"PR_SET_TSC", "SIGABRT", "SIGALRM", "SIGBUS",
	"SIGCHLD", "SIGCONT", "SIGFPE", "SIGHUP",
	"SIGILL", "SIGINT", "SIGIO", "SIGKILL",
	"SIGPIPE", "SIGPROF", "SIGPWR", "SIGQUIT",
	"SIGSEGV", "SIGSTKFLT", "SIGSTOP", "SIGSYS",
	"SIGTERM", "SIGTRAP", "SIGTSTP", "SIGTTIN",
	"SIGTTOU", "SIGURG", "SIGUSR1", "SIGUSR2",
	"SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ",
	"SOCK_CLOEXEC", "SOCK_DCCP", "SOCK_DGRAM", "SOCK_NONBLOCK",
	"SOCK_PACKET", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
	"SOCK_STREAM", "SOL_NETLINK", "SOL_PACKET", "SOL_SOCKET",
	"SYS_ACCEPT", "SYS_ACCEPT4", "SYS_BIND", "SYS_CONNECT",
	"SYS_GETPEERNAME", "SYS_GETSOCKNAME", "SYS_GETSOCKOPT", "SYS_LISTEN",
	"SYS_RECV", "SYS_RECVFROM", "SYS_RECVMMSG", "SYS_RECVMSG",
	"SYS_SEND", "SYS_SENDMMSG", "SYS_SENDMSG", "SYS_SENDTO",
	"SYS_SETSOCKOPT", "SYS_SHUTDOWN", "SYS_SOCKET", "SYS_SOCKETPAIR",
	"TCFLSH", "TCGETA", "TCGETS", "TCSBRK",
	"TCSETA", "TCSETS", "TCSETSF", "TCSETSW",
	"TCXONC", "TIOCCONS", "TIOCEXCL", "TIOCGETD",
	"TIOCGPGRP", "TIOCGPTN", "TIOCGPTPEER", "TIOCGSID",
	"TIOCGWINSZ", "TIOCLINUX", "TIOCMGET", "TIOCNOTTY",
	"TIOCNXCL", "TIOCOUTQ", "TIOCSCTTY", "TIOCSERGETLSR",
	"TIOCSETD", "TIOCSPGRP", "TIOCSPTLCK", "TIOCSTI",
	"TIOCSWINSZ",
};

const char *const *sk_minijail_names(size_t *n)
{
	*n = sizeof(minijail_names) / sizeof(minijail_names[0]);
	return minijail_names;
}

bool sk_minijail_knows(const char *name)
{
	size_t lo = 0, hi = sizeof(minijail_names) / sizeof(minijail_names[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, minijail_names[mid]);

		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Room for one alternative ("arg0 == CLONE_VM|CLONE_FS|..."). */
#define ALT_LEN 256

/* Whether minijail parses s ("O_RDONLY|O_CLOEXEC", "CLONE_VM|0x100000")
 * to the value it names: each "|" part a name it knows or a hex number. */
static bool minijail_expr(const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "|");
		char part[64];

		if (!n || n >= sizeof(part))
			return false;
		memcpy(part, s, n);
		part[n] = '\0';
		if (!strncmp(part, "0x", 2)) {
			if (n == 2 || part[2 + strspn(part + 2, "0123456789abcdef")])
				return false;
		} else if (!sk_minijail_knows(part)) {
			return false;
		}
		if (!s[n])
			return true;
		s += n + 1;
	}
}

/* The value of argument index of call sys, by name when names is set and
 * minijail knows the name, else in hex. */
static void mj_value(char *buf, size_t len, const char *sys, unsigned index,
		     uint64_t v, bool names)
{
	char name[512];

	if (names && !sk_arg_decode(sys, index, v, name, sizeof(name)) &&
	    strlen(name) < sizeof(name) - 1 && strlen(name) < len &&
	    minijail_expr(name)) {
		snprintf(buf, len, "%s", name);
		return;
	}
	snprintf(buf, len, "%#llx", (unsigned long long)v);
}

/* The values x with x & mask == v & mask, when the free bits (in the low
 * 32) are few; count, or 0 when there are too many. */
static size_t expand_masked(uint64_t mask, uint64_t v, uint64_t *out,
			    size_t max)
{
	uint64_t full = mask > 0xffffffffULL ? ~0ULL : 0xffffffffULL;
	uint64_t free_bits = full & ~mask;
	unsigned bits[64], nb = 0;
	size_t n;

	for (unsigned b = 0; b < 64; b++)
		if (free_bits & (1ULL << b))
			bits[nb++] = b;
	if (nb > 6 || (1U << nb) > max)
		return 0;
	n = (size_t)1 << nb;
	for (size_t i = 0; i < n; i++) {
		uint64_t x = v & mask;

		for (unsigned k = 0; k < nb; k++)
			if (i & (1U << k))
				x |= 1ULL << bits[k];
		out[i] = x;
	}
	return n;
}

/*
 * One comparison of call sys as minijail alternatives ("arg1 == TCGETS"),
 * into alts; count, or 0 if minijail cannot say it.
 */
static size_t mj_alts(const struct sk_rule_arg *a, const char *sys, bool names,
		      char alts[][ALT_LEN], size_t max)
{
	uint64_t vals[64];
	char v[ALT_LEN - 16];
	size_t n;

	switch (a->op) {
	case SK_OP_EQ:
	case SK_OP_NE:
		mj_value(v, sizeof(v), sys, a->index, a->value, names);
		snprintf(alts[0], ALT_LEN, "arg%u %s %s", a->index,
			 a->op == SK_OP_EQ ? "==" : "!=", v);
		return 1;
	case SK_OP_MASKED_EQ:
		if (a->value == 0xffffffffULL || a->value == ~0ULL) {
			mj_value(v, sizeof(v), sys, a->index, a->value_two, names);
			snprintf(alts[0], ALT_LEN, "arg%u == %s", a->index, v);
			return 1;
		}
		if (!a->value_two) {
			/* x & mask == 0: every set bit of x is outside mask */
			uint64_t full = a->value > 0xffffffffULL ? ~0ULL : 0xffffffffULL;

			snprintf(alts[0], ALT_LEN, "arg%u in %#llx", a->index,
				 (unsigned long long)(full & ~a->value));
			return 1;
		}
		n = expand_masked(a->value, a->value_two, vals, max < 64 ? max : 64);
		for (size_t i = 0; i < n; i++) {
			mj_value(v, sizeof(v), sys, a->index, vals[i], names);
			snprintf(alts[i], ALT_LEN, "arg%u == %s", a->index, v);
		}
		return n;
	default:
		return 0;
	}
}

/* A rule's comparisons as ||-joined &&-clauses (the cartesian product of
 * each comparison's alternatives); false when minijail cannot say it. */
static bool mj_rule(FILE *f, const struct sk_rule *r, const char *sys,
		    bool names, bool *first)
{
	static char alts[6][64][ALT_LEN];
	size_t n[6] = { 0 }, idx[6] = { 0 }, total = 1;

	if (r->n_args > 6)
		return false;
	for (size_t k = 0; k < r->n_args; k++) {
		n[k] = mj_alts(&r->args[k], sys, names, alts[k], 64);
		if (!n[k])
			return false;
		total *= n[k];
		if (total > 64)
			return false;
	}
	for (size_t t = 0; t < total; t++) {
		size_t rest = t;

		for (size_t k = 0; k < r->n_args; k++) {
			idx[k] = rest % n[k];
			rest /= n[k];
		}
		fputs(*first ? "" : " || ", f);
		*first = false;
		for (size_t k = 0; k < r->n_args; k++)
			fprintf(f, "%s%s", k ? " && " : "", alts[k][idx[k]]);
	}
	return true;
}

/*
 * A denial of one form of a call (scmp-gen denies socketcall(SYS_SOCKET)
 * where libseccomp would copy socket's argument rule onto it): minijail
 * resolves names per arch and multiplexes nothing, so it needs none, and
 * its "return" would deny the whole call.
 */
static bool mj_skip(const struct sk_rule *r)
{
	return !sk_render_allows(r) && r->n_args;
}

/* Values are named with this host's headers (argnames.c): right for the
 * profile only when this host is one of its arches. */
static bool host_covered(const struct sk_profile *p)
{
	uint32_t native = seccomp_arch_native();

	for (size_t i = 0; i < p->n_arches; i++)
		if (p->arches[i] == native)
			return true;
	return false;
}

/* Whether an earlier rule than i (not skipped) names name. */
static bool named_before(const struct sk_profile *p, size_t i, const char *name)
{
	for (size_t j = 0; j < i; j++)
		for (size_t m = 0; m < p->rules[j].n_names; m++)
			if (!mj_skip(&p->rules[j]) &&
			    !strcmp(p->rules[j].names[m], name))
				return true;
	return false;
}

/* "return ENOSYS" (minijail knows errno.h's names), or the number. */
static void put_return(FILE *f, const struct sk_rule *r)
{
	unsigned e = r->has_errno ? r->errno_ret : EPERM;
	const char *en = sk_errno_name((int)e);

	if (en)
		fprintf(f, ": return %s\n", en);
	else
		fprintf(f, ": return %u\n", e);
}

/* The line of name, whose first rule is rule i. */
static void put_name(FILE *f, const struct sk_profile *p, size_t i,
		     const char *name, bool names)
{
	const struct sk_rule *r = &p->rules[i];
	bool first = true, whole = false;

	if (r->action == SK_ACT_ERRNO) {
		sk_esc_put(f, name, SK_ESC_TEXT);
		put_return(f, r);
		return;
	}
	if (!sk_render_allows(r))
		return;
	sk_esc_put(f, name, SK_ESC_TEXT);
	fputs(": ", f);
	for (size_t j = i; j < p->n_rules && !whole; j++) {
		const struct sk_rule *q = &p->rules[j];
		bool here = false;

		for (size_t m = 0; m < q->n_names && !here; m++)
			here = !strcmp(q->names[m], name);
		if (!here || !sk_render_allows(q))
			continue;
		if (!q->n_args || !mj_rule(f, q, name, names, &first))
			whole = true;
	}
	if (whole) {
		/* Start over: the name is allowed whole. */
		fprintf(f, "%s1", first ? "" : " || ");
	}
	fputc('\n', f);
}

int sk_gen_minijail(const struct sk_profile *p, const char *header, char **out,
		    struct sk_err *err)
{
	char *text = NULL;
	size_t len = 0;
	bool names = host_covered(p);
	FILE *f;
	int ret;

	ret = sk_render_refuse_conds(p, SK_RENDER_COND_NONE,
				     "a minijail policy is the same on every host: run scmp-gen -f minijail on the traces of one host arch at a time",
				     err);
	if (ret)
		return ret;
	f = open_memstream(&text, &len);
	if (!f)
		return sk_err_set(err, ENOMEM, "out of memory");
	fputs("# ", f);
	sk_esc_put(f, header, SK_ESC_TEXT);
	fputs("\n# minijail0 -S FILE; a policy is for one arch, this one for:", f);
	for (size_t i = 0; i < p->n_arches; i++)
		fprintf(f, " %s", sk_arch_name(p->arches[i]));
	fputc('\n', f);
	if (p->default_action == SK_ACT_ERRNO)
		fprintf(f, "# defaultAction errno: run minijail0 with --seccomp-default-ret or -Y as needed\n");
	/* One line per name, in the order names first appear. */
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		for (size_t k = 0; k < r->n_names && !mj_skip(r); k++)
			if (!named_before(p, i, r->names[k]))
				put_name(f, p, i, r->names[k], names);
	}
	return sk_render_finish(f, &text, out, err);
}
