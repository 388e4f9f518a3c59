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

#include "scmpkit/arch.h"
#include "scmpkit/cli.h"
#include "scmpkit/exec.h"
#include "scmpkit/exit_like.h"
#include "scmpkit/export.h"
#include "scmpkit/fileio.h"
#include "scmpkit/filter.h"
#include "scmpkit/profile.h"
#include "scmpkit/record.h"
#include "scmpkit/resolve.h"
#include "scmpkit/session.h"
#include "scmpkit/textesc.h"

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

#define bad_usage(...) sk_cli_bad_usage("scmp-apply", SK_EXIT_FAIL, __VA_ARGS__)

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

/* Prints err for a failed check and gives the exit status. */
static int fail(const struct sk_err *err)
{
	fprintf(stderr, "scmp-apply: %s\n", err->msg);
	return SK_EXIT_FAIL;
}

/* The complain run's summary: what the profile would have denied. */
static void complain_report(const struct sk_trace *t, const char *file)
{
	size_t shown = 0;

	if (!t->n_sys) {
		sk_cli_say(stderr, "scmp-apply", "complain: the profile allowed every call the program made (%s is empty)",
			   file);
		return;
	}
	fprintf(stderr, "scmp-apply: complain: %zu syscall%s the profile would have denied, recorded in ",
		t->n_sys, t->n_sys == 1 ? "" : "s");
	sk_esc_put(stderr, file, SK_ESC_MESSAGE);
	fputc(':', stderr);
	for (size_t i = 0; i < t->n_sys && shown < 20; i++, shown++)
		fprintf(stderr, " %s", t->sys[i].name ? t->sys[i].name : "?");
	fprintf(stderr, "%s\n", t->n_sys > shown ? " ..." : "");
}

static int complain_run(struct sk_tracer_opts *o, struct sk_tracer_result *res,
			const char **used, struct sk_err *err, void *ctx)
{
	(void)ctx;
	*used = "notify";
	return sk_notify_run(o, res, err);
}

/*
 * --complain FILE: runs prog under p with every call p would deny notified
 * and continued instead (the baseline filter), and writes those calls to
 * file in trace.json format.  Returns the program's status, or dies of its
 * signal.
 */
static int complain(const struct sk_profile *p, const char *path, char **prog,
		    const char *file, bool quiet)
{
	struct sk_record_opts ro = {
		.tool = "scmp-apply " SK_VERSION, .output = file, .argv = prog,
		.path = path, .baseline = p, .baseline_file = p->file,
		.backend_label = "complain", .run = complain_run,
		.tracer = { .quiet = quiet },
	};
	struct sk_record_result rr;
	struct sk_err err = { "" };
	int ret;

	while (prog[ro.argc])
		ro.argc++;
	ret = sk_record(&ro, &rr, &err);
	sk_cli_warnings("scmp-apply", &rr.warn, quiet);
	if (rr.ran)
		sk_cli_guard_note("scmp-apply", &rr.res, quiet);
	if (ret) {
		fprintf(stderr, "scmp-apply: %s%s%s\n", rr.ran ? "" : "--complain: ", err.msg,
			ret == -EBUSY || ret == -ENOSYS ?
			" (complain mode needs seccomp user notification)" : "");
		sk_record_done(&rr);
		return rr.ran ? SK_EXIT_FAIL : ret == -ENOENT ? SK_EXIT_NOTFOUND :
		       ret == -EACCES || ret == -ENOEXEC ? SK_EXIT_CANNOT_EXEC : SK_EXIT_FAIL;
	}
	if (!quiet)
		complain_report(rr.trace, file);
	sk_record_done(&rr);
	if (!rr.res.has_exit)
		return SK_EXIT_FAIL;
	if (rr.res.exit_signal)
		sk_die_of(rr.res.exit_signal);
	return rr.res.exit_code;
}

/* Loads the filter and execs the program; returns only on failure. */
static int run(scmp_filter_ctx ctx, const char *path, char **prog,
	       bool via_execveat)
{
	struct sk_err err = { "" };
	int e;

	if (sk_exec_load(ctx, &err))
		return fail(&err);
	e = sk_exec_run(path, prog, via_execveat);
	/* The filter is in place: the report may itself be denied. */
	fputs("scmp-apply: ", stderr);
	sk_esc_put(stderr, prog[0], SK_ESC_MESSAGE);
	fprintf(stderr, ": %s\n", strerror(-e));
	return e == -ENOENT ? SK_EXIT_NOTFOUND : SK_EXIT_CANNOT_EXEC;
}

/* Runs nothing and loads nothing: refuses what running would, prints what
 * the filter is, or writes it out. */
static int check_or_export(const struct opts *o, const struct sk_profile *p,
			   scmp_filter_ctx ctx, const char *file)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	bool via_execveat;
	int ret;

	if (o->export_format) {
		if (sk_export(ctx, o->export_format, o->output ? o->output : "-", &err))
			return fail(&err);
		return 0;
	}
	/* Refused as running it would be, before any program is named. */
	ret = sk_exec_refuse_notify(p, &o->fo, &err);
	if (!ret)
		ret = sk_exec_check(ctx, file, NULL, NULL, &via_execveat, &warn, &err);
	sk_cli_warnings("scmp-apply", &warn, o->quiet);
	sk_warn_clear(&warn);
	if (ret)
		return fail(&err);
	summary(p, o, ctx, file);
	return 0;
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
			return ret == -ENOENT ? SK_EXIT_NOTFOUND :
			       ret == -ENOMEM ? SK_EXIT_FAIL : SK_EXIT_CANNOT_EXEC;
		}
	}
	if ((o.output || o.complain) &&
	    check_output(o.output ? o.output : o.complain, file_arg)) {
		ret = SK_EXIT_FAIL;
		goto out;
	}
	ret = sk_profile_load_warn(file, &p, &warn, &err);
	if (!ret)
		ret = sk_filter_build(p, &o.fo, &ctx, &warn, &err);
	sk_cli_warnings("scmp-apply", &warn, o.quiet);
	sk_warn_clear(&warn);
	if (ret) {
		fprintf(stderr, "scmp-apply: %s\n", err.msg);
		ret = SK_EXIT_FAIL;
		goto out;
	}
	if (!runs) {
		ret = check_or_export(&o, p, ctx, file);
		goto out;
	}
	if (o.complain) {
		ret = complain(p, path, prog, o.complain, o.quiet);
		goto out;
	}
	ret = sk_exec_refuse_notify(p, &o.fo, &err);
	if (!ret)
		ret = sk_exec_check(ctx, file, path, prog, &via_execveat, &warn, &err);
	if (ret) {
		ret = fail(&err);
		goto out;
	}
	sk_profile_free(p);
	p = NULL;
	ret = run(ctx, path, prog, via_execveat);
out:
	seccomp_release(ctx);
	sk_profile_free(p);
	free(path);
	return ret;
}
