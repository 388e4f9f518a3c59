/* SPDX-License-Identifier: MIT */
/*
 * scmp-apply: load an OCI / Docker seccomp profile with libseccomp, then
 * execve a program under it.  Every check runs before the filter is loaded;
 * after seccomp_load nothing but the exec happens.  With --report, --ask or
 * --kill-tree it stays the program's parent instead and names each call
 * the profile denies (lib/report.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scmpkit/check.h"
#include "scmpkit/cli.h"
#include "scmpkit/exec.h"
#include "scmpkit/exit_like.h"
#include "scmpkit/fileio.h"
#include "scmpkit/filter.h"
#include "scmpkit/profile.h"
#include "scmpkit/report.h"
#include "scmpkit/resolve.h"

struct opts {
	bool check;
	const char *export_format;
	const char *output;
	const char *complain;
	bool report;            /* --report, --ask or --kill-tree: stay the parent */
	bool exec, implicit;    /* --exec; --report by default (stderr a terminal) */
	const char *report_file;
	bool ask;
	const char *ask_file;
	bool kill_tree;
	const char *landlock;   /* --landlock FILE (or --landlock-strict FILE) */
	bool landlock_strict;
	bool quiet;
	bool verbose;           /* -v: the profile's notes in the modes that run PROG */
	char **traces;          /* --check --trace: the traces (room for argc) */
	size_t n_traces;
	bool json;              /* --check --trace --json */
	bool checked_rest;      /* check_rest has read what follows PROFILE */
	const char *first_operand; /* --check: the first operand after PROFILE */
	size_t n_operands;
	struct sk_filter_opts fo;
};

enum { OPT_REPORT = SK_OPT_LONG_ONLY, OPT_KILL_TREE, OPT_ASK, OPT_TRACE, OPT_JSON,
       OPT_LANDLOCK, OPT_LANDLOCK_STRICT, OPT_EXEC };

/*
 * The options, documented where they are declared; usage() and getopt_long
 * both read this table.
 */
static const struct sk_opt_doc opt_table[] = {
	{ { "check", no_argument, NULL, 'c' }, NULL,
	  "validate PROFILE, print a summary (rules, arches, BPF size); run nothing. Refuses what running would: an SCMP_ACT_NOTIFY action, an exec that gets through only for some values of its pointers (which are not known yet)" },
	{ { "trace", required_argument, NULL, OPT_TRACE }, "TRACE.json",
	  "with --check: replay every call TRACE.json recorded (arch, call, flag and enum values) through the filter and list each one the profile would deny, with its action and why, or may deny (the verdict depends on arguments the trace does not record); operands after PROFILE are more traces. Exit status 1 when any is listed" },
	{ { "json", no_argument, NULL, OPT_JSON }, NULL,
	  "with --check --trace: the result as JSON on standard output (\"format\": \"scmpkit-check\", version 1; man scmp-apply)" },
	{ { "export", required_argument, NULL, 'e' }, "bpf|pfc",
	  "write the filter (raw BPF as bwrap --seccomp takes it, or libseccomp PFC text); run nothing" },
	{ { "output", required_argument, NULL, 'o' }, "FILE",
	  "where --export writes (default: standard output); replaced atomically, as --complain's FILE" },
	{ { "default-action", required_argument, NULL, 'd' }, "ACTION",
	  "replace the profile's default action: kill-process (or kill), kill-thread, trap, log, allow, errno[:ERRNO] (EPERM if no ERRNO is given)" },
	{ { "complain", required_argument, NULL, 'C' }, "FILE",
	  "enforce nothing the profile would deny: notify, continue and record those calls in FILE (trace.json format) for scmp-gen to merge; FILE is replaced atomically, a symbolic link there replaced rather than written through" },
	{ { "report", optional_argument, NULL, OPT_REPORT }, "[=FILE]",
	  "stay PROG's parent and enforce the profile: what it allows runs in the kernel at full speed, each call it denies is named on stderr (call, decoded arguments, arch, executable, pid, why) and then treated as the profile says (a kill ends the process with status SIGSYS); with FILE, also recorded there (trace.json format) for scmp-gen to merge. Ends with a summary and the scmp-gen command that allows them" },
	{ { "kill-tree", no_argument, NULL, OPT_KILL_TREE }, NULL,
	  "a denial that kills a process kills PROG's whole process tree, so no half of a service keeps running (the kernel's kill-process ends one process); implies --report" },
	{ { "ask", optional_argument, NULL, OPT_ASK }, "[=FILE]",
	  "as --report, but ask on the terminal (/dev/tty, never PROG's stdin or stdout) about each denied call not decided before: allow once, allow always, deny with EPERM or ENOSYS, kill; with FILE, write the profile refined by the answers there and print what changed. Refuses to start without a terminal" },
	{ { "landlock", required_argument, NULL, OPT_LANDLOCK }, "FILE",
	  "also confine PROG's files and TCP ports to the Landlock ruleset FILE (scmp-gen --landlock), loaded before the seccomp filter at the best ABI the kernel has; what it cannot enforce is said on stderr, and without Landlock the profile alone applies" },
	{ { "landlock-strict", required_argument, NULL, OPT_LANDLOCK_STRICT }, "FILE",
	  "as --landlock FILE, but refuse to run (status 125) when the kernel cannot enforce all of it" },
	{ { "exec", no_argument, NULL, OPT_EXEC }, NULL,
	  "exec PROG under the filter, as when standard error is no terminal: when it is, scmp-apply otherwise runs as with --report (staying PROG's parent, naming each denied call and giving PROG's status), if this kernel has seccomp user notification" },
	{ { "log", no_argument, NULL, 'l' }, NULL,
	  "log what the filter stops (SECCOMP_FILTER_FLAG_LOG)" },
	{ { "strict", no_argument, NULL, 's' }, NULL,
	  "a syscall name unknown to libseccomp is an error, in any rule" },
	{ { "verbose", no_argument, NULL, 'v' }, NULL,
	  "when running PROG, also print the notes about the profile (names this libseccomp does not know, archMap entries it cannot use, unknown keys) on stderr, which is PROG's own: without -v only --check and --export print them" },
	{ { "quiet", no_argument, NULL, 'q' }, NULL, "do not print warnings (nor the summary of --report)" },
	{ { "help", no_argument, NULL, 'h' }, NULL, "show this help and exit" },
	{ { "version", no_argument, NULL, 'V' }, NULL, "print the version and exit" },
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: scmp-apply [OPTIONS] PROFILE.json [--] PROG [ARGS...]\n"
		"       scmp-apply --landlock[-strict] RULES.json [OPTIONS] PROFILE.json [--] PROG [ARGS...]\n"
		"       scmp-apply --report[=FILE] [--kill-tree] [OPTIONS] PROFILE.json [--] PROG [ARGS...]\n"
		"       scmp-apply --ask[=FILE] [--kill-tree] [OPTIONS] PROFILE.json [--] PROG [ARGS...]\n"
		"       scmp-apply --complain FILE [OPTIONS] PROFILE.json [--] PROG [ARGS...]\n"
		"       scmp-apply --check [OPTIONS] PROFILE.json\n"
		"       scmp-apply --check [--json] [OPTIONS] PROFILE.json --trace TRACE.json [TRACE.json...]\n"
		"       scmp-apply --export bpf|pfc [-o FILE] [OPTIONS] PROFILE.json\n"
		"\n"
		"Load an OCI/Docker seccomp profile with libseccomp, then execve PROG under it.\n"
		"\n"
		"Options:\n");
	sk_cli_print_options(f, opt_table, N_OPTS);
	fprintf(f,
		"\n"
		"Exit status: PROG's own (a call the default kill action stops shows as SIGSYS,\n"
		"159 in a shell, with --report too), 0 for --check and --export; with --trace,\n"
		"1 when the profile denies or may deny a recorded call; 125 bad usage,\n"
		"or bad input (a bad profile, a refused output) or a load failure, or --ask\n"
		"without a terminal; 126 PROG found but not executable; 127 PROG not found.\n");
}

#define bad_usage(...) sk_cli_bad_usage("scmp-apply", SK_EXIT_FAIL, __VA_ARGS__)

/* Whether the notes about the profile stay unsaid: a run shares PROG's
 * stderr, so only -v says them there; --check and --export always; -q none. */
static bool notes_quiet(const struct opts *o)
{
	return o->quiet || (!o->check && !o->export_format && !o->verbose);
}

/* The options that run the program under a supervisor. */
static int parse_supervised(struct opts *o, int c)
{
	switch (c) {
	case OPT_REPORT:
		o->report = true;
		o->report_file = optarg;
		break;
	case OPT_KILL_TREE:
		o->report = o->kill_tree = true;
		break;
	case OPT_ASK:
		o->report = o->ask = true;
		o->ask_file = optarg;
		break;
	case OPT_EXEC:
		o->exec = true;
		break;
	}
	return -1;
}

/* How the filter is built: -d, -l, -s.  -1 to go on, else an exit code. */
static int parse_filter(struct opts *o, int c)
{
	if (c == 'l')
		o->fo.log = true;
	else if (c == 's')
		o->fo.strict = true;
	else if (sk_cli_default_action(optarg, true, &o->fo.default_action,
				       &(bool){ false }, &o->fo.default_errno))
		return bad_usage("--default-action: invalid action '%s'", optarg);
	else
		o->fo.override_default = true;
	return -1;
}

/* --check's --trace, --json, and traces after PROFILE; -1 to go on. */
static int parse_check(struct opts *o, int c)
{
	if (c == OPT_JSON)
		o->json = true;
	else if (c == SK_OPT_OPERAND && !o->n_operands++)
		o->first_operand = optarg;
	if (c != OPT_JSON)
		o->traces[o->n_traces++] = optarg;
	return -1;
}

/* One option; -1 to go on, else an exit code. */
static int parse_one(void *ctx, int c)
{
	struct opts *o = ctx;

	switch (c) {
	case 'c':
		o->check = true;
		return -1;
	case 'e':
		if (strcmp(optarg, "bpf") && strcmp(optarg, "pfc"))
			return bad_usage("--export: unknown format '%s' (bpf or pfc)", optarg);
		o->export_format = optarg;
		return -1;
	case 'o':
		o->output = optarg;
		return -1;
	case 'C':
		o->complain = optarg;
		return -1;
	case OPT_REPORT:
	case OPT_KILL_TREE:
	case OPT_ASK:
	case OPT_EXEC:
		return parse_supervised(o, c);
	case 'd':
	case 'l':
	case 's':
		return parse_filter(o, c);
	case SK_OPT_OPERAND:
	case OPT_TRACE:
	case OPT_JSON:
		return parse_check(o, c);
	case 'v':
		o->verbose = true;
		return -1;
	case OPT_LANDLOCK_STRICT:
		o->landlock_strict = true;
		/* fall through */
	case OPT_LANDLOCK:
		o->landlock = optarg;
		return -1;
	case 'q':
		o->quiet = true;
		return -1;
	case 'h':
		usage(stdout);
		return 0;
	case 'V':
		printf("scmp-apply " SK_VERSION "\n");
		return 0;
	default:
		return -1;
	}
}

/* What the options cannot do together; -1 to go on, else an exit code. */
static int check_combination(const struct opts *o)
{
	if (o->check && o->export_format)
		return bad_usage("%s", "--check and --export do not go together");
	if (o->complain && (o->check || o->export_format))
		return bad_usage("%s", "--complain runs the program: not with --check or --export");
	if (o->report && (o->check || o->export_format))
		return bad_usage("%s", "--report, --ask and --kill-tree run the program: not with --check or --export");
	if (o->report && o->complain)
		return bad_usage("%s", "--complain enforces nothing: not with --report, --ask or --kill-tree");
	if (o->exec && (o->report || o->complain || o->check || o->export_format))
		return bad_usage("%s", "--exec is plain scmp-apply: not with --report, --ask, --kill-tree, --complain, --check or --export");
	if ((o->report_file && !*o->report_file) || (o->ask_file && !*o->ask_file))
		return bad_usage("%s", "--report= and --ask= need a FILE after the '='");
	if (o->report_file && o->ask_file && !strcmp(o->report_file, o->ask_file))
		return bad_usage("%s", "--report=FILE and --ask=FILE name the same file");
	if (o->output && !o->export_format)
		return bad_usage("%s", "--output is only for --export");
	if (o->landlock && (o->export_format || (o->check && o->json)))
		return bad_usage("%s", "--landlock goes with a run, --report, --ask, --complain or --check (not --json), not --export");
	if (o->n_traces && !o->check)
		return bad_usage("%s", "--trace goes with --check");
	/* --check takes options after PROFILE: check_rest looks again. */
	if (o->json && (!o->check || (o->checked_rest && !o->n_traces)))
		return bad_usage("%s", "--json goes with --check --trace");
	return -1;
}

/* Parses the command line; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	int ret = sk_cli_parse("scmp-apply", SK_EXIT_FAIL, "+", argc, argv,
			       opt_table, N_OPTS, parse_one, o);

	return ret >= 0 ? ret : check_combination(o);
}

/* Prints err for a failed check and gives the exit status. */
static int fail(const struct sk_err *err)
{
	fprintf(stderr, "scmp-apply: %s\n", err->msg);
	return SK_EXIT_FAIL;
}

/* Prints the warnings (none when quiet), clears them, then err if failed: 0 or 125. */
static int said(bool failed, struct sk_warn *warn, bool quiet, const struct sk_err *err)
{
	sk_cli_warnings("scmp-apply", warn, quiet);
	sk_warn_clear(warn);
	return failed ? fail(err) : 0;
}

/*
 * --complain FILE, --report[=FILE], --ask[=FILE], --kill-tree: runs prog
 * as its parent, with every call the profile would deny recorded and
 * continued (--complain), or named and done as the profile (or the user)
 * says.  Returns the program's status, or dies of its signal.
 */
static int supervised(const struct opts *o, struct sk_profile *p, scmp_filter_ctx ctx,
		      const char *path, char **prog, FILE *tty)
{
	struct sk_report_opts ro = {
		.p = p, .fo = &o->fo, .ctx = ctx, .complain = o->complain, .ask = o->ask,
		.kill_tree = o->kill_tree, .quiet = o->quiet, .tty = tty, .implicit = o->implicit,
		.output = o->complain ? o->complain : o->report_file,
		.landlock = o->landlock, .landlock_strict = o->landlock_strict,
	};
	struct sk_record_result rr = { 0 };
	int ret = sk_report_session_said(&ro, p, prog, path, o->ask_file, stderr, &rr);

	if (!ret)
		ret = sk_exit_of_run(&rr.res, false);
	sk_record_done(&rr);
	return ret;
}

/* Landlock, the filter, the exec (exec.h); returns only on failure. */
static int run(const struct opts *o, scmp_filter_ctx ctx, const char *path,
	       char **prog, bool via_execveat)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	int e = sk_exec_confine(ctx, o->landlock, o->landlock_strict, &warn, &err);

	if (said(e, &warn, o->quiet, &err))
		return SK_EXIT_FAIL;
	e = sk_exec_run(path, prog, via_execveat);
	/* The filter is in place: the report may itself be denied. */
	sk_cli_say(stderr, "scmp-apply", "%s: %s", prog[0], strerror(-e));
	return sk_exit_of_exec(e);
}

/* Runs nothing and loads nothing: refuses what running would, prints what
 * the filter is, or writes it out. */
static int check_or_export(const struct opts *o, const struct sk_profile *p,
			   scmp_filter_ctx ctx, const char *file)
{
	struct sk_check_opts co = { .p = p, .fo = &o->fo, .ctx = ctx, .file = file,
				    .traces = o->traces, .n_traces = o->n_traces,
				    .json = o->json, .landlock = o->landlock };
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	int ret = sk_check_run(stdout, &co, o->export_format, o->output, &warn, &err);

	return said(ret < 0, &warn, o->quiet, &err) ? SK_EXIT_FAIL :
	       ret ? SK_EXIT_DIFFERS : 0;
}

/*
 * --check PROFILE --trace T.json...: the options after PROFILE (nothing
 * runs, so none of them is PROG's), and the operands there as more traces
 * when --trace is given.  -1 to go on, else an exit code.
 */
static int check_rest(int argc, char **argv, struct opts *o)
{
	int ret = sk_cli_parse_rest("scmp-apply", SK_EXIT_FAIL, argc, argv, opt_table,
				    N_OPTS, parse_one, o);

	if (ret >= 0)
		return ret;
	if (o->first_operand && o->n_traces == o->n_operands)
		return bad_usage("unexpected '%s': --check runs nothing (the traces it replays follow --trace)",
				 o->first_operand);
	o->checked_rest = true;
	return check_combination(o);
}

/*
 * PROFILE and PROG from the operands; options between PROFILE and PROG (or
 * a "--") are ours, as before PROFILE.  PROG is looked up after the
 * profile is read.  -1 to go on, else an exit code.
 */
static int operands(int argc, char **argv, struct opts *o, char ***file_arg,
		    char ***prog)
{
	bool runs;
	int ret;

	if (optind >= argc)
		return bad_usage("%s", "missing PROFILE.json");
	*file_arg = &argv[optind++];
	if (!o->check && optind < argc && argv[optind][0] == '-' && argv[optind][1]) {
		ret = parse_args(argc, argv, o);
		if (ret >= 0)
			return ret;
	} else if (optind < argc && !strcmp(argv[optind], "--")) {
		optind++;
	}
	if (o->check)
		return check_rest(argc, argv, o);
	runs = !o->export_format;
	*prog = &argv[optind];
	if (runs && !**prog)
		return bad_usage("%s", "missing PROG to run");
	if (!runs && **prog)
		return bad_usage("unexpected '%s': --check and --export run nothing", **prog);
	return -1;
}

/* PROG found, as env(1) would; -1 to go on, else an exit code. */
static int find_prog(char **prog, char **path)
{
	struct sk_err err = { "" };
	int ret = sk_resolve_program(prog[0], path, &err);

	if (!ret)
		return -1;
	fprintf(stderr, "scmp-apply: %s\n", err.msg);
	return sk_exit_of_start(ret);
}

/* Every file we will write, checked before the profile is read; and the
 * terminal --ask talks to.  0, or 125 after printing why. */
static int check_outputs(const struct opts *o, char **file_arg, FILE **tty)
{
	const char *outs[] = { o->output ? o->output : o->complain, o->report_file,
			       o->ask_file };
	struct sk_err err = { "" };

	if (sk_outputs_check(outs, 3, file_arg, 1, &err) ||
	    (o->ask && sk_report_tty(tty, &err)))
		return fail(&err);
	return 0;
}

/* Loads PROFILE and builds its filter; 0, or 125 after printing why. */
static int load(const struct opts *o, const char *file, struct sk_profile **p,
		scmp_filter_ctx *ctx)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	int ret = sk_profile_load_warn(file, p, &warn, &err);

	if (!ret)
		ret = sk_filter_build(*p, &o->fo, ctx, &warn, &err);
	if (said(ret, &warn, notes_quiet(o), &err) && ret == -ENOEXEC) /* PROG PROFILE */
		fputs("Usage: scmp-apply [OPTIONS] PROFILE.json [--] PROG [ARGS...]\n", stderr);
	return ret ? SK_EXIT_FAIL : 0;
}

/* Runs the program under the loaded profile: the exit status, or execs. */
static int start(const struct opts *o, struct sk_profile **p, scmp_filter_ctx ctx,
		 const char *file, const char *path, char **prog, FILE *tty)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	bool via_execveat = false;
	int ret;

	/* --complain enforces nothing: nothing to refuse before it runs. */
	if (o->complain)
		return supervised(o, *p, ctx, path, prog, tty);
	ret = sk_exec_refuse_notify(*p, &o->fo, &err);
	if (!ret)
		ret = sk_exec_check(ctx, file, path, prog, &via_execveat, &warn, &err);
	if (said(ret, &warn, notes_quiet(o), &err))
		return SK_EXIT_FAIL;
	if (o->report)
		return supervised(o, *p, ctx, path, prog, tty);
	sk_profile_free(*p);
	*p = NULL;
	return run(o, ctx, path, prog, via_execveat);
}

int main(int argc, char **argv)
{
	struct opts o = { .output = NULL };
	struct sk_profile *p = NULL;
	scmp_filter_ctx ctx = NULL;
	char *path = NULL, **prog = NULL, **file_arg = NULL;
	FILE *tty = NULL;
	bool runs;
	int ret;

	sk_filter_opts_from_host(&o.fo);
	o.traces = calloc((size_t)argc, sizeof(*o.traces));
	if (!o.traces)
		return fail(&(struct sk_err){ "out of memory" });
	ret = parse_args(argc, argv, &o);
	if (ret < 0)
		ret = operands(argc, argv, &o, &file_arg, &prog);
	runs = !o.check && !o.export_format;
	/* Someone reads stderr: a kill is named, not only "Bad system call". */
	o.implicit = ret < 0 && runs && !o.report && !o.complain && !o.exec &&
		     isatty(STDERR_FILENO) && sk_report_implicit_ok();
	o.report |= o.implicit;
	if (ret >= 0) {
		free(o.traces);
		return ret;
	}
	if (check_outputs(&o, file_arg, &tty) || load(&o, *file_arg, &p, &ctx))
		ret = SK_EXIT_FAIL;
	else if (!runs)
		ret = check_or_export(&o, p, ctx, *file_arg);
	else if ((ret = find_prog(prog, &path)) < 0)
		ret = start(&o, &p, ctx, *file_arg, path, prog, tty);
	if (tty)
		fclose(tty);
	seccomp_release(ctx);
	sk_profile_free(p);
	free(path);
	free(o.traces);
	return ret;
}
