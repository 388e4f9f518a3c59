/* SPDX-License-Identifier: MIT */
/* scmp-apply --check's summary and --trace's findings (check.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "scmpkit/check.h"
#include "scmpkit/cli.h"
#include "scmpkit/denial.h"
#include "scmpkit/exec.h"
#include "scmpkit/export.h"
#include "scmpkit/gen_landlock.h"
#include "scmpkit/landlock.h"
#include "scmpkit/replay.h"
#include "scmpkit/trace_format.h"

/* "FILE: ok", the default action, the rules, the arches, the BPF size. */
static void summary(FILE *f, const struct sk_check_opts *o)
{
	static const uint32_t all[] = {
		SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, SCMP_ARCH_ARM,
		SCMP_ARCH_AARCH64, SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64,
		SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64,
		SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC, SCMP_ARCH_PPC64,
		SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X,
		SCMP_ARCH_PARISC, SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64,
	};
	const struct sk_profile *p = o->p;
	size_t active = 0, names = 0, sep = 0;
	uint32_t def = 0;

	for (size_t i = 0; i < p->n_rules; i++)
		active += sk_filter_rule_active(&p->rules[i], o->fo);
	if (sk_filter_allowed_names(p, o->fo, &names))
		names = 0;
	seccomp_attr_get(o->ctx, SCMP_FLTATR_ACT_DEFAULT, &def);
	sk_cli_say(f, NULL, "%s: ok", o->file);
	fprintf(f, "default action: %s", sk_filter_action_name(def));
	if ((def & 0xffff0000U) == SCMP_ACT_ERRNO(0))
		fprintf(f, "(%u)", def & 0xffffU);
	fprintf(f, "\nallows %zu distinct syscalls; rules: %zu (%zu active here)\n",
	       names, p->n_rules, active);
	fprintf(f, "architectures: ");
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (seccomp_arch_exist(o->ctx, all[i]) == 0)
			fprintf(f, "%s%s", sep++ ? ", " : "", sk_arch_name(all[i]));
	}
	fprintf(f, "\nBPF instructions: %ld (the kernel accepts up to 4096)\n",
	       sk_filter_insns(o->ctx));
}

/* "SCMP_ACT_KILL_PROCESS or SCMP_ACT_ALLOW": the outcomes of a finding. */
static void finding_actions(const struct sk_replay_finding *f, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < f->n_rets && used + 5 < len; i++) {
		if (i)
			used += (size_t)snprintf(buf + used, len - used, " or ");
		sk_replay_action(f->rets[i], buf + used, len - used);
		used = strnlen(buf, len);
	}
}

/*
 * "denied: CALL [ARCH] in TRACE: ACTION; WHY", or "may be denied: ...:
 * ACTION or ACTION, depending on arguments the trace does not record; WHY".
 */
static void print_finding(FILE *out, const struct sk_replay_finding *f)
{
	char arch[32], acts[256];

	sk_denial_arch(f->arch, arch, sizeof(arch));
	finding_actions(f, acts, sizeof(acts));
	sk_cli_say(out, NULL, "%s: %s [%s] in %s: %s%s; %s",
		   f->verdict == SK_REPLAY_DENIED ? "denied" : "may be denied",
		   f->call, arch, f->trace, acts,
		   f->verdict == SK_REPLAY_DENIED ? "" :
		   f->all_values && f->n_argidx ?
		   ", depending on argument values the trace does not keep (more than its cap)" :
		   ", depending on arguments the trace does not record",
		   f->why);
}

/* --check --trace's text after the summary: each finding, then a line per trace. */
static void print_replay(FILE *f, const struct sk_replay_result *res, const char *file)
{
	for (size_t i = 0; i < res->n; i++)
		print_finding(f, &res->f[i]);
	for (size_t i = 0; i < res->n_traces; i++) {
		const struct sk_replay_trace *t = &res->traces[i];

		if (!t->n_denied && !t->n_depends)
			sk_cli_say(f, NULL, "%s: %s allows all %zu recorded calls", t->file,
				   file, t->n_calls);
		if (t->n_answered)
			sk_cli_say(f, NULL, "%s: %zu of them answered ENOSYS by a rule of %s that names the call (clone3, or a call that only ever failed so): the program takes its fallback, as on a kernel without them",
				   t->file, t->n_answered, file);
		else
			sk_cli_say(f, NULL, "%s: %zu recorded calls, %s denies %zu and may deny %zu",
				   t->file, t->n_calls, file, t->n_denied, t->n_depends);
	}
}

/* Loads one trace and replays it; 0, or -1 after saying why. */
/* Loads one trace and replays it; 0, or a negative errno with err filled. */
static int replay_one(struct sk_replay *r, const char *path, struct sk_warn *warn,
		      struct sk_err *err)
{
	struct sk_trace *t = NULL;
	int ret = sk_trace_load(path, &t, err);

	if (!ret && !t->complete)
		ret = sk_warn_add(warn, "%s: incomplete trace (%s): the calls the tracer missed are not checked",
				  path, t->incomplete_reason ? t->incomplete_reason :
				  "\"complete\": false");
	if (ret == -ENOMEM)
		sk_err_set(err, ENOMEM, "out of memory");
	if (!ret)
		ret = sk_replay_add(r, t, path, err);
	sk_trace_free(t);
	return ret;
}

int sk_check_prepare(const struct sk_check_opts *o, struct sk_replay **out,
		     struct sk_warn *warn, struct sk_err *err)
{
	struct sk_replay *r = NULL;
	bool via_execveat;
	int ret;

	*out = NULL;
	/* Refused as running it would be, before any program is named. */
	ret = sk_exec_refuse_notify(o->p, o->fo, err);
	if (!ret)
		ret = sk_exec_check(o->ctx, o->file, NULL, NULL, &via_execveat, warn, err);
	if (ret || !o->n_traces)
		return ret;
	ret = sk_replay_new(o->ctx, o->p, o->fo, &r, err);
	for (size_t i = 0; i < o->n_traces && !ret; i++)
		ret = replay_one(r, o->traces[i], warn, err);
	if (ret) {
		sk_replay_free(r);
		return ret;
	}
	*out = r;
	return 0;
}

int sk_check_print(FILE *f, const struct sk_check_opts *o, const struct sk_replay *r,
		   struct sk_err *err)
{
	char *json = NULL;

	if (!r) {
		summary(f, o);
		return 0;
	}
	if (o->json && !(json = sk_replay_to_json(r)))
		return sk_err_set(err, ENOMEM, "out of memory");
	if (json) {
		fputs(json, f);
		free(json);
	} else {
		summary(f, o);
		print_replay(f, sk_replay_result(r), o->file);
	}
	return sk_replay_result(r)->n ? 1 : 0;
}

/* --check --landlock FILE: the ruleset's summary, and what it refuses of
 * the traces; 1 when it refuses something, 0, or -errno. */
static int landlock_check(FILE *f, const struct sk_check_opts *o, struct sk_err *err)
{
	struct sk_landlock *ll = NULL;
	struct sk_trace *t = NULL;
	int ret = sk_landlock_load(o->landlock, &ll, err), n = 0;

	if (ret)
		return ret;
	sk_cli_say(f, NULL, "%s: ok: %zu file and %zu port rules, Landlock ABI %d enforces all of it",
		   o->landlock, ll->n_paths, ll->n_ports,
		   sk_ll_abi_needed(ll->handled_fs, ll->handled_net));
	for (size_t i = 0; !ret && i < o->n_traces; i++) {
		ret = sk_trace_load(o->traces[i], &t, err);
		if (!ret)
			n += sk_landlock_replay(f, ll, t, o->traces[i]);
		sk_trace_free(t);
		t = NULL;
	}
	sk_landlock_free(ll);
	return ret ? ret : n > 0;
}

int sk_check_run(FILE *f, const struct sk_check_opts *o, const char *export_format,
		 const char *output, struct sk_warn *warn, struct sk_err *err)
{
	struct sk_replay *r = NULL;
	int ret;

	if (export_format)
		return sk_export(o->ctx, export_format, output ? output : "-", err);
	ret = sk_check_prepare(o, &r, warn, err);
	if (!ret)
		ret = sk_check_print(f, o, r, err);
	sk_replay_free(r);
	if (ret >= 0 && o->landlock) {
		int lret = landlock_check(f, o, err);

		ret = lret < 0 ? lret : ret | lret;
	}
	return ret;
}
