/* SPDX-License-Identifier: MIT */
/*
 * The systemd drop-in (gen_format.h), for the [Service] section of a unit
 * (systemd.exec(5)).  systemd compares names only, and takes one action
 * for every call outside its list:
 *
 *   kill, errno defaults: an allow-list, SystemCallFilter=NAMES, with
 *     SystemCallErrorNumber= for an errno; systemd adds its @default set to
 *     any allow-list.  The calls the profile logs are also listed on
 *     SystemCallLog= (systemd 247+), which logs the calls listed.
 *   log, allow defaults: nothing is filtered but the profile's whole-call
 *     denials, SystemCallFilter=~NAME:ERRNO (plain ~NAME kills); with log,
 *     SystemCallLog=~NAMES logs every call but the ones the profile allows.
 *     systemd loads SystemCallLog= as a filter of its own, default
 *     SCMP_ACT_LOG and SCMP_ACT_ALLOW for the calls listed
 *     (src/core/execute.c, apply_syscall_log), which is what an OCI profile
 *     with defaultAction SCMP_ACT_LOG does.
 *
 * Every line of a "~" list repeats the "~": in a list that starts with one,
 * a line without it removes its names (seccomp_parse_syscall_filter).
 * systemd cannot depend on the host, so a rule for some hosts only
 * (includes/excludes) is refused, never written for every host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/textesc.h"
#include "render.h"

/* A name on a list, and what follows it (":ENOSYS"). */
struct item {
	const char *name;
	char suffix[24];
};

struct lists {
	struct item *allow, *log, *deny, *quiet;
	size_t n_allow, n_log, n_deny, n_quiet;
	bool widened;     /* allow-list: argument rules allowed whole */
	bool errno_kept;  /* allow-list: an errno rule allowed */
	bool args_logged; /* log: argument rules logged whole */
	bool args_left;   /* permissive: argument denials left out */
	bool killed;      /* permissive: a denial systemd can only kill */
};

static const struct {
	uint32_t arch;
	const char *name;
} systemd_arches[] = {
	{ SCMP_ARCH_X86, "x86" }, { SCMP_ARCH_X86_64, "x86-64" },
	{ SCMP_ARCH_X32, "x32" }, { SCMP_ARCH_ARM, "arm" },
	{ SCMP_ARCH_AARCH64, "arm64" }, { SCMP_ARCH_MIPS, "mips" },
	{ SCMP_ARCH_MIPS64, "mips64" }, { SCMP_ARCH_MIPS64N32, "mips64-n32" },
	{ SCMP_ARCH_MIPSEL, "mips-le" }, { SCMP_ARCH_MIPSEL64, "mips64-le" },
	{ SCMP_ARCH_MIPSEL64N32, "mips64-le-n32" }, { SCMP_ARCH_PPC, "ppc" },
	{ SCMP_ARCH_PPC64, "ppc64" }, { SCMP_ARCH_PPC64LE, "ppc64-le" },
	{ SCMP_ARCH_S390, "s390" }, { SCMP_ARCH_S390X, "s390x" },
	{ SCMP_ARCH_RISCV64, "riscv64" },
};

static bool permissive(const struct sk_profile *p)
{
	return p->default_action == SK_ACT_LOG || p->default_action == SK_ACT_ALLOW;
}

static void add(struct item *v, size_t *n, const struct sk_rule *r,
		const char *suffix)
{
	for (size_t k = 0; k < r->n_names; k++) {
		v[*n].name = r->names[k];
		snprintf(v[*n].suffix, sizeof(v[*n].suffix), "%s", suffix);
		(*n)++;
	}
}

/*
 * Allow-list: every allowing rule's names, and a whole-call errno for a
 * call the program made (clone3 -> ENOSYS so that libc falls back): an
 * allow-list cannot return an errno for one call, and denying it with the
 * default would break what the errno keeps working.  A denial of some
 * arguments only is left out: every other call of that name meets the
 * default action too.
 */
static void fill_allowlist(const struct sk_profile *p, struct lists *l)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		if (sk_render_allows(r)) {
			l->widened |= r->n_args > 0;
			add(l->allow, &l->n_allow, r, "");
			if (r->action == SK_ACT_LOG)
				add(l->log, &l->n_log, r, "");
		} else if (r->action == SK_ACT_ERRNO && !r->n_args &&
			   !sk_render_not_observed(r)) {
			l->errno_kept = true;
			add(l->allow, &l->n_allow, r, "");
		}
	}
}

/* Log and allow defaults: the whole-call denials, with their errno; with
 * log, the names allowed silently (whole, without arguments). */
static void fill_permissive(const struct sk_profile *p, struct lists *l)
{
	bool log = p->default_action == SK_ACT_LOG;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];
		char suffix[24] = "";

		if (sk_render_allows(r)) {
			if (r->action == SK_ACT_ALLOW && !r->n_args)
				add(l->quiet, &l->n_quiet, r, "");
			else if (r->action == SK_ACT_ALLOW)
				l->args_logged |= log;
			continue;
		}
		if (r->n_args) {
			l->args_left = true;
			continue;
		}
		if (r->action == SK_ACT_ERRNO) {
			unsigned e = r->has_errno ? r->errno_ret : EPERM;
			const char *en = sk_errno_name((int)e);

			if (en)
				snprintf(suffix, sizeof(suffix), ":%s", en);
			else
				snprintf(suffix, sizeof(suffix), ":%u", e);
		} else {
			l->killed |= r->action != SK_ACT_KILL_PROCESS &&
				     r->action != SK_ACT_KILL_THREAD &&
				     r->action != SK_ACT_KILL;
		}
		add(l->deny, &l->n_deny, r, suffix);
	}
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->name,
		      ((const struct item *)b)->name);
}

/* The items sorted, each name once, on lines that start with key and stay
 * within 78 columns so that the drop-in stays readable. */
static void put_list(FILE *f, const char *key, struct item *v, size_t n)
{
	size_t col = 0, klen = strlen(key);

	qsort(v, n, sizeof(*v), cmp_item);
	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(v[i].name) + strlen(v[i].suffix);

		if (i && !strcmp(v[i].name, v[i - 1].name))
			continue;
		if (!col || col + 1 + w > 78) {
			fprintf(f, "%s%s", col ? "\n" : "", key);
			col = klen + w;
		} else {
			fputc(' ', f);
			col += 1 + w;
		}
		sk_esc_put(f, v[i].name, SK_ESC_TEXT);
		fputs(v[i].suffix, f);
	}
	if (col)
		fputc('\n', f);
}

/* An arch systemd has no name for is said as "native", which it accepts;
 * so is a profile without arches, which covers the native arch only. */
static void put_arches(FILE *f, const struct sk_profile *p)
{
	fprintf(f, "SystemCallArchitectures=");
	for (size_t i = 0; i < p->n_arches; i++) {
		const char *an = NULL;

		for (size_t k = 0; k < sizeof(systemd_arches) / sizeof(systemd_arches[0]); k++)
			if (systemd_arches[k].arch == p->arches[i])
				an = systemd_arches[k].name;
		fprintf(f, "%s%s", i ? " " : "", an ? an : "native");
	}
	fprintf(f, "%s\n", p->n_arches ? "" : "native");
}

/* systemd kills the process on a call outside the list unless
 * SystemCallErrorNumber= names an errno; other actions it cannot say. */
static void put_default(FILE *f, const struct sk_profile *p)
{
	switch (p->default_action) {
	case SK_ACT_ERRNO: {
		unsigned e = p->has_default_errno ? p->default_errno_ret : EPERM;
		const char *en = sk_errno_name((int)e);

		if (en)
			fprintf(f, "SystemCallErrorNumber=%s\n", en);
		else
			fprintf(f, "SystemCallErrorNumber=%u\n", e);
		break;
	}
	case SK_ACT_KILL_PROCESS:
		break;
	default:
		fprintf(f, "# defaultAction %s has no systemd equivalent: calls outside the list kill the process\n",
			sk_action_name(p->default_action));
		break;
	}
}

static void put_allowlist(FILE *f, const struct sk_profile *p, struct lists *l)
{
	fprintf(f, "# systemd adds its @default set to an allow-list (execve, exit, rt_sigreturn,\n"
		   "# time and sleep calls: systemd-analyze syscall-filter @default).\n");
	if (l->widened)
		fprintf(f, "# systemd compares names only: the OCI profile's argument rules are\n"
			   "# widened here to the whole call.\n");
	if (l->errno_kept)
		fprintf(f, "# Calls the OCI profile answers with an errno (clone3 -> ENOSYS, ...) are\n"
			   "# allowed here: a systemd allow-list cannot return an errno for one call.\n");
	if (l->n_log)
		fprintf(f, "# Calls the OCI profile logs are logged here whatever their arguments\n"
			   "# (SystemCallLog=, systemd 247 and later).\n");
	fprintf(f, "[Service]\n");
	put_arches(f, p);
	put_default(f, p);
	put_list(f, "SystemCallFilter=", l->allow, l->n_allow);
	put_list(f, "SystemCallLog=", l->log, l->n_log);
}

static void put_permissive(FILE *f, const struct sk_profile *p, struct lists *l)
{
	bool log = p->default_action == SK_ACT_LOG;

	if (log)
		fprintf(f, "# defaultAction SCMP_ACT_LOG: calls outside the profile run and are logged:\n"
			   "# SystemCallLog=~ (systemd 247 and later) logs every call but the ones\n"
			   "# listed, which the profile allows; only its denials (SystemCallFilter=~)\n"
			   "# are enforced.\n");
	else
		fprintf(f, "# defaultAction SCMP_ACT_ALLOW: only the profile's denials\n"
			   "# (SystemCallFilter=~) are enforced.\n");
	if (l->args_logged)
		fprintf(f, "# Calls the OCI profile allows with some arguments only are logged\n"
			   "# whatever their arguments: systemd compares names only.\n");
	if (l->args_left)
		fprintf(f, "# Denials of some arguments only are left out: systemd compares names\n"
			   "# only, so those calls run%s.\n", log ? " and are logged" : "");
	if (l->killed)
		fprintf(f, "# Denials with an action systemd cannot take (trap, trace, notify) kill here.\n");
	fprintf(f, "[Service]\n");
	put_arches(f, p);
	put_list(f, "SystemCallFilter=~", l->deny, l->n_deny);
	if (!log)
		return;
	if (l->n_quiet)
		put_list(f, "SystemCallLog=~", l->quiet, l->n_quiet);
	else
		fprintf(f, "SystemCallLog=@known\n");
}

int sk_gen_systemd(const struct sk_profile *p, const char *header, char **out,
		   struct sk_err *err)
{
	struct lists l = { 0 };
	size_t total = 1, len = 0;
	char *text = NULL;
	FILE *f;
	int ret;

	ret = sk_render_refuse_conds(p, SK_RENDER_COND_NONE,
				     "a systemd drop-in is the same on every host: run scmp-gen -f systemd on the traces of one host arch at a time",
				     err);
	if (ret)
		return ret;
	for (size_t i = 0; i < p->n_rules; i++)
		total += p->rules[i].n_names;
	l.allow = calloc(total, sizeof(*l.allow));
	l.log = calloc(total, sizeof(*l.log));
	l.deny = calloc(total, sizeof(*l.deny));
	l.quiet = calloc(total, sizeof(*l.quiet));
	f = l.allow && l.log && l.deny && l.quiet ?
	    open_memstream(&text, &len) : NULL;
	if (!f) {
		ret = sk_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	/* Escaped: systemd would also join a line ending in "\\" to the next. */
	fputs("# ", f);
	sk_esc_put(f, header, SK_ESC_TEXT);
	fprintf(f, "\n# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n");
	if (permissive(p)) {
		fill_permissive(p, &l);
		put_permissive(f, p, &l);
	} else {
		fill_allowlist(p, &l);
		put_allowlist(f, p, &l);
	}
	ret = sk_render_finish(f, &text, out, err);
out:
	free(l.allow);
	free(l.log);
	free(l.deny);
	free(l.quiet);
	return ret;
}
