/* SPDX-License-Identifier: MIT */
/*
 * scmp-apply: load an OCI / Docker seccomp profile with libseccomp, then
 * execve a program under it.  Every check runs before the filter is loaded;
 * after seccomp_load nothing but the exec happens.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "scmpkit/arch.h"
#include "scmpkit/cli.h"
#include "scmpkit/fileio.h"
#include "scmpkit/filter.h"
#include "scmpkit/profile.h"
#include "scmpkit/resolve.h"

struct opts {
	bool check;
	const char *export_format;
	const char *output;
	const char *complain;
	bool quiet;
	struct sk_filter_opts fo;
};

/*
 * The options, documented where they are declared; usage() and getopt_long
 * both read this table.
 */
static const struct sk_opt_doc opt_table[] = {
	{ { "check", no_argument, NULL, 'c' }, NULL,
	  "validate PROFILE, print a summary (rules, arches, BPF size); run nothing. Refuses what running would: an SCMP_ACT_NOTIFY action, an exec that gets through only for some values of its pointers (which are not known yet)" },
	{ { "export", required_argument, NULL, 'e' }, "bpf|pfc",
	  "write the filter (raw BPF as bwrap --seccomp takes it, or libseccomp PFC text); run nothing" },
	{ { "output", required_argument, NULL, 'o' }, "FILE",
	  "where --export writes (default: standard output); replaced atomically, as --complain's FILE" },
	{ { "default-action", required_argument, NULL, 'd' }, "ACTION",
	  "replace the profile's default action: kill-process (or kill), kill-thread, trap, log, allow, errno[:ERRNO] (EPERM if no ERRNO is given)" },
	{ { "complain", required_argument, NULL, 'C' }, "FILE",
	  "enforce nothing the profile would deny: notify, continue and record those calls in FILE (trace.json format) for scmp-gen to merge; FILE is replaced atomically, a symbolic link there replaced rather than written through" },
	{ { "log", no_argument, NULL, 'l' }, NULL,
	  "log what the filter stops (SECCOMP_FILTER_FLAG_LOG)" },
	{ { "strict", no_argument, NULL, 's' }, NULL,
	  "a syscall name unknown to libseccomp is an error, in any rule" },
	{ { "quiet", no_argument, NULL, 'q' }, NULL, "do not print warnings" },
	{ { "help", no_argument, NULL, 'h' }, NULL, "show this help and exit" },
	{ { "version", no_argument, NULL, 'V' }, NULL, "print the version and exit" },
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: scmp-apply [OPTIONS] PROFILE.json [--] PROG [ARGS...]\n"
		"       scmp-apply --complain FILE [OPTIONS] PROFILE.json [--] PROG [ARGS...]\n"
		"       scmp-apply --check [OPTIONS] PROFILE.json\n"
		"       scmp-apply --export bpf|pfc [-o FILE] [OPTIONS] PROFILE.json\n"
		"\n"
		"Load an OCI/Docker seccomp profile with libseccomp, then execve PROG under it.\n"
		"\n"
		"Options:\n");
	sk_cli_print_options(f, opt_table, N_OPTS);
	fprintf(f,
		"\n"
		"Exit status: PROG's own (a call the default kill action stops shows as SIGSYS,\n"
		"159 in a shell), 0 for --check and --export; 125 bad usage, or bad input (a\n"
		"bad profile, a refused output) or a load failure; 126 PROG found but not\n"
		"executable; 127 PROG not found.\n");
}

#define bad_usage(...) sk_cli_bad_usage("scmp-apply", APPLY_EXIT_FAIL, __VA_ARGS__)

/* Parses the command line; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	struct option longs[N_OPTS + 1];
	char shorts[3 * N_OPTS + 2];
	int c;

	sk_cli_getopt_tables(opt_table, N_OPTS, "+", longs, shorts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->check = true;
			break;
		case 'e':
			if (strcmp(optarg, "bpf") && strcmp(optarg, "pfc"))
				return bad_usage("--export: unknown format '%s' (bpf or pfc)", optarg);
			o->export_format = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'd': {
			bool has_errno;

			if (sk_cli_default_action(optarg, true, &o->fo.default_action,
						  &has_errno, &o->fo.default_errno))
				return bad_usage("--default-action: invalid action '%s'", optarg);
			o->fo.override_default = true;
			break;
		}
		case 'C':
			o->complain = optarg;
			break;
		case 'l':
			o->fo.log = true;
			break;
		case 's':
			o->fo.strict = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("scmp-apply " SK_VERSION "\n");
			return 0;
		default:
			if (optopt)
				return bad_usage("invalid option or missing argument: '-%c'",
						 optopt);
			return bad_usage("invalid option or missing argument: '%s'",
					 argv[optind - 1]);
		}
	}
	if (o->check && o->export_format)
		return bad_usage("%s", "--check and --export do not go together");
	if (o->complain && (o->check || o->export_format))
		return bad_usage("%s", "--complain runs the program: not with --check or --export");
	if (o->output && !o->export_format)
		return bad_usage("%s", "--output is only for --export");
	return -1;
}

static void print_warnings(const struct sk_warn *w, bool quiet)
{
	for (size_t i = 0; !quiet && i < w->n; i++)
		fprintf(stderr, "scmp-apply: warning: %s\n", w->msgs[i]);
}

/*
 * The file --export -o or --complain writes, checked before the profile is
 * read: writable, not a planted link or a FIFO, not the profile itself.
 */
static int check_output(const char *out, char **profile)
{
	struct sk_err err = { "" };

	if (sk_output_check(out, &err) < 0 ||
	    sk_output_not_input(out, profile, 1, &err) < 0) {
		fprintf(stderr, "scmp-apply: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* scmp-apply --check: what the filter is, on stdout. */
static void summary(const struct sk_profile *p, const struct opts *o,
		    scmp_filter_ctx ctx, const char *file)
{
	static const uint32_t all[] = {
		SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, SCMP_ARCH_ARM,
		SCMP_ARCH_AARCH64, SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64,
		SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64,
		SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC, SCMP_ARCH_PPC64,
		SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X,
		SCMP_ARCH_PARISC, SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64,
	};
	size_t active = 0, names = 0, sep = 0;
	uint32_t def = 0;

	for (size_t i = 0; i < p->n_rules; i++) {
		if (!sk_filter_rule_active(&p->rules[i], &o->fo))
			continue;
		active++;
		names += p->rules[i].n_names;
	}
	seccomp_attr_get(ctx, SCMP_FLTATR_ACT_DEFAULT, &def);
	sk_cli_say(stdout, NULL, "%s: ok", file);
	printf("default action: %s", sk_filter_action_name(def));
	if ((def & 0xffff0000U) == SCMP_ACT_ERRNO(0))
		printf("(%u)", def & 0xffffU);
	printf("\nrules: %zu (%zu active here, %zu syscall names)\n",
	       p->n_rules, active, names);
	printf("architectures: ");
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (seccomp_arch_exist(ctx, all[i]) == 0)
			printf("%s%s", sep++ ? ", " : "", sk_arch_name(all[i]));
	}
	printf("\nBPF instructions: %ld (the kernel accepts up to 4096)\n",
	       sk_filter_insns(ctx));
}

/* An action that lets our exec through to the program. */
static bool lets_through(uint32_t ret)
{
	ret &= SECCOMP_RET_ACTION_FULL;
	return ret == SECCOMP_RET_ALLOW || ret == SECCOMP_RET_LOG;
}

static void ret_desc(char *buf, size_t len, uint32_t ret)
{
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL;

	if (act == SECCOMP_RET_ERRNO || act == SECCOMP_RET_TRACE)
		snprintf(buf, len, "%s(%u)", sk_filter_action_name(ret),
			 ret & SECCOMP_RET_DATA);
	else
		snprintf(buf, len, "%s", sk_filter_action_name(ret));
}

/* Every outcome of an exec call over all its argument values. */
struct exec_outcomes {
	const char *call;
	struct sk_eval_all all;
	uint32_t deny; /* one outcome that stops it */
	bool always, never;
};

/* The pointers unknown, the flags and unused registers as apply_exec
 * passes them. */
static void exec_outcomes(const struct sock_fprog *prog, bool via_execveat,
			  struct exec_outcomes *x)
{
	uint64_t a[6];

	apply_exec_args(NULL, NULL, via_execveat, a);
	x->call = via_execveat ? "execveat" : "execve";
	x->deny = SECCOMP_RET_KILL_PROCESS;
	x->always = false;
	x->never = true;
	if (sk_filter_eval_all(prog, seccomp_arch_native(), x->call, a,
			       0x3f & ~apply_exec_pointer_args(via_execveat),
			       &x->all, NULL))
		return; /* not a call here: never gets through */
	x->always = !x->all.incomplete && x->all.n > 0;
	x->never = !x->all.incomplete;
	for (size_t i = 0; i < x->all.n; i++) {
		if (lets_through(x->all.rets[i])) {
			x->never = false;
		} else {
			x->always = false;
			x->deny = x->all.rets[i];
		}
	}
}

/* "allows execve only for some argument values (others get X)". */
static void exec_desc(char *buf, size_t len, const struct exec_outcomes *x)
{
	char d[48];

	ret_desc(d, sizeof(d), x->deny);
	if (x->always)
		snprintf(buf, len, "allows %s", x->call);
	else if (x->never)
		snprintf(buf, len, "does not allow %s (%s)", x->call, d);
	else
		snprintf(buf, len, "allows %s only for some argument values (others get %s)",
			 x->call, d);
}

/*
 * Whether the profile lets through the exec that starts the program.  With
 * path (running): the filter runs on the very execve, or execveat, that
 * apply_exec makes, real pointers included; *via_execveat says which to
 * use.  Without (--check): with the flags apply_exec passes and every
 * value of the pointers (path, argv, envp), which are not known yet;
 * refused unless some exec gets through whatever the pointers, and a
 * profile that allows no exec at all is only warned about (it loads, and a
 * runtime that execs before the load can use it).  0, or -1 after printing
 * why.
 */
static int check_exec_allowed(scmp_filter_ctx ctx, const char *file,
			      const char *path, char **argv,
			      bool *via_execveat, bool quiet)
{
	const char *arch = sk_arch_name(seccomp_arch_native());
	struct exec_outcomes x1, x2;
	struct sk_err err = { "" };
	struct sock_fprog prog;
	char d1[128], d2[128];
	uint32_t r1 = 0, r2 = 0;
	uint64_t a[6];

	if (sk_filter_export(ctx, &prog, &err)) {
		fprintf(stderr, "scmp-apply: %s\n", err.msg);
		return -1;
	}
	if (path) {
		apply_exec_args(path, argv, false, a);
		sk_filter_eval(&prog, seccomp_arch_native(), "execve", a, &r1, NULL);
		apply_exec_args(path, argv, true, a);
		sk_filter_eval(&prog, seccomp_arch_native(), "execveat", a, &r2, NULL);
		*via_execveat = !lets_through(r1);
	}
	exec_outcomes(&prog, false, &x1);
	exec_outcomes(&prog, true, &x2);
	free(prog.filter);
	if (path ? lets_through(r1) || lets_through(r2) : x1.always || x2.always)
		return 0;
	if (x1.never && x2.never) {
		ret_desc(d1, sizeof(d1), x1.deny);
		ret_desc(d2, sizeof(d2), x2.deny);
		if (path)
			sk_cli_say(stderr, "scmp-apply",
				   "%s: the profile does not allow execve (%s) or execveat (%s) on %s, so the program could not be started under it; add \"execve\" to a rule that allows",
				   file, d1, d2, arch);
		else if (!quiet)
			sk_cli_say(stderr, "scmp-apply",
				   "warning: %s: the profile does not allow execve (%s) or execveat (%s) on %s: scmp-apply could not start a program under it",
				   file, d1, d2, arch);
		return path ? -1 : 0;
	}
	if (path) {
		ret_desc(d1, sizeof(d1), r1);
		ret_desc(d2, sizeof(d2), r2);
		sk_cli_say(stderr, "scmp-apply",
			   "%s: the profile's rules for the exec compare its arguments and stop the one that would start the program: execve(path, argv, envp) gets %s and execveat(AT_FDCWD, path, argv, envp, 0) gets %s on %s with the pointers scmp-apply passes; allow execve without argument rules",
			   file, d1, d2, arch);
		return -1;
	}
	exec_desc(d1, sizeof(d1), &x1);
	exec_desc(d2, sizeof(d2), &x2);
	sk_cli_say(stderr, "scmp-apply",
		   "%s: the profile %s and %s on %s: whether a program can be started under it depends on the exec's pointers, which --check cannot know; allow execve without argument rules",
		   file, d1, d2, arch);
	return -1;
}

/* A NOTIFY action needs a supervisor listening on the filter's fd. */
static int refuse_notify(const struct sk_profile *p, const struct opts *o)
{
	bool def = o->fo.override_default ? o->fo.default_action == SK_ACT_NOTIFY :
		   p->default_action == SK_ACT_NOTIFY;
	const char *where = def ? "defaultAction" : NULL;

	for (size_t i = 0; !where && i < p->n_rules; i++)
		if (p->rules[i].action == SK_ACT_NOTIFY &&
		    sk_filter_rule_active(&p->rules[i], &o->fo))
			where = p->rules[i].where;
	if (!where)
		return 0;
	sk_cli_say(stderr, "scmp-apply",
		   "%s: %s: SCMP_ACT_NOTIFY needs a supervisor, and scmp-apply runs none (scmp-trace --baseline does)",
		   p->file, where);
	return -1;
}

int main(int argc, char **argv)
{
	struct opts o = { .output = NULL };
	struct sk_profile *p = NULL;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	scmp_filter_ctx ctx = NULL;
	char *path = NULL, **prog, **file_arg;
	const char *file;
	bool runs, via_execveat = false;
	int ret;

	sk_filter_opts_from_host(&o.fo);
	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	runs = !o.check && !o.export_format;
	if (optind >= argc)
		return bad_usage("%s", "missing PROFILE.json");
	file_arg = &argv[optind++];
	file = *file_arg;
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	prog = &argv[optind];
	if (runs && !*prog)
		return bad_usage("%s", "missing PROG to run");
	if (!runs && *prog)
		return bad_usage("unexpected '%s': --check and --export run nothing", *prog);

	/* The program is found before anything else, as env(1) would. */
	if (runs) {
		ret = sk_resolve_program(prog[0], &path, &err);
		if (ret) {
			fprintf(stderr, "scmp-apply: %s\n", err.msg);
			return ret == -ENOENT ? APPLY_EXIT_NOTFOUND :
			       ret == -ENOMEM ? APPLY_EXIT_FAIL : APPLY_EXIT_CANNOT_EXEC;
		}
	}
	if ((o.output || o.complain) &&
	    check_output(o.output ? o.output : o.complain, file_arg)) {
		ret = APPLY_EXIT_FAIL;
		goto out;
	}
	ret = sk_profile_load_warn(file, &p, &warn, &err);
	if (!ret)
		ret = sk_filter_build(p, &o.fo, &ctx, &warn, &err);
	print_warnings(&warn, o.quiet);
	sk_warn_clear(&warn);
	if (ret) {
		fprintf(stderr, "scmp-apply: %s\n", err.msg);
		ret = APPLY_EXIT_FAIL;
		goto out;
	}
	if (o.check) {
		/* Refused as running it would be, before any program is named. */
		if (refuse_notify(p, &o) ||
		    check_exec_allowed(ctx, file, NULL, NULL, &via_execveat, o.quiet)) {
			ret = APPLY_EXIT_FAIL;
			goto out;
		}
		summary(p, &o, ctx, file);
		ret = 0;
		goto out;
	}
	if (o.export_format) {
		ret = apply_export(ctx, o.export_format, o.output ? o.output : "-") ?
		      APPLY_EXIT_FAIL : 0;
		goto out;
	}
	if (o.complain) {
		ret = apply_complain(p, path, prog, o.complain, o.quiet);
		goto out;
	}
	if (refuse_notify(p, &o) ||
	    check_exec_allowed(ctx, file, path, prog, &via_execveat, o.quiet)) {
		ret = APPLY_EXIT_FAIL;
		goto out;
	}
	sk_profile_free(p);
	p = NULL;
	ret = apply_exec(ctx, path, prog, via_execveat);
out:
	seccomp_release(ctx);
	sk_profile_free(p);
	free(path);
	return ret;
}
