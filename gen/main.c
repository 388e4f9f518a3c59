/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen: turn one or more trace.json recordings into a minimal allowlist:
 * an OCI / Docker seccomp profile (or systemd, minijail, C, or a
 * security-profiles-operator resource).  The logic is
 * in lib/gen_*.c; here are the options, the messages and the exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/cli.h"
#include "scmpkit/exit_like.h"
#include "scmpkit/fileio.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/gen_output.h"
#include "scmpkit/gen_landlock.h"
#include "scmpkit/gen_run.h"
#include "scmpkit/gen_static.h"
#include "scmpkit/profile.h"
#include "scmpkit/profile_diff.h"
#include "scmpkit/runtime.h"
#include "scmpkit/textesc.h"
#include "scmpkit/trace_format.h"

#define EXIT_BAD_INPUT SK_EXIT_GEN_BAD_INPUT
#define EXIT_USAGE SK_EXIT_GEN_USAGE


struct opts {
	const char *output;
	const char *name;
	enum sk_gen_fmt format;
	bool explain;
	bool allow_incomplete;
	bool quiet;
	bool exact;              /* --exact: no families */
	enum sk_gen_static_mode static_mode;
	bool diff;               /* --diff A B: compare, generate nothing */
	bool json;               /* --diff --json */
	bool has_runtime;        /* --runtime */
	struct sk_runtime_sel runtime;
	const char *landlock;    /* --landlock FILE: the Landlock ruleset too */
	struct sk_gen_opts gen;
};

enum { OPT_DIFF = SK_OPT_LONG_ONLY, OPT_JSON, OPT_RUNTIME, OPT_ALLOW, OPT_EXACT, OPT_LANDLOCK };

/*
 * The options, documented where they are declared; usage() and getopt_long
 * both read this table.
 */
static const struct sk_opt_doc opt_table[] = {
	{ { "output", required_argument, NULL, 'o' }, "FILE",
	  "where to write (default: allow.json, or allow.conf, allow.policy, allow.c, allow-spo.json for the other formats; - is standard output); written atomically, replacing a symbolic link rather than writing through it" },
	{ { "args", required_argument, NULL, 'a' }, "none|values|tuples",
	  "argument rules: none (names only), values (default: one rule per observed enum value, observed flag bits only) or tuples (the exact recorded combinations)" },
	{ { "max-values", required_argument, NULL, 'm' }, "N",
	  "more distinct values (or combinations) than N: names only (default 16)" },
	{ { "default-action", required_argument, NULL, 'd' }, "ACTION",
	  "what calls outside the list get: kill-process (default; or kill), kill-thread, trap, log, errno[:ERRNO] (EPERM if no ERRNO is given)" },
	{ { "format", required_argument, NULL, 'f' }, "FORMAT",
	  "oci (default; Docker, podman, runc, scmp-apply), systemd (SystemCallFilter= lines), minijail (.policy), c (libseccomp C source with int scmpkit_harden(void)) or spo (a security-profiles-operator SeccompProfile resource for kubectl apply -f)" },
	{ { "name", required_argument, NULL, 'n' }, "NAME",
	  "-f spo: the resource's metadata.name, a DNS-1123 name (default: the output file's name without directory and extension, or the first trace's for standard output, made one)" },
	{ { "explain", no_argument, NULL, 'e' }, NULL,
	  "print why each rule is there to standard error: counts, executables, decoded argument values, warnings for risky calls" },
	{ { "allow-incomplete", no_argument, NULL, 'i' }, NULL,
	  "accept traces marked \"complete\": false (the tracer knows it missed calls)" },
	{ { "static", required_argument, NULL, 's' }, "none|report|add",
	  "the syscalls the traced executables and their libraries can make through the libc functions they import that no trace observed. By default one line on standard error after the profile is written: how many, the first names, and this option (a note instead when the executables cannot be read here); none: no analysis; report: the whole list, with each executable's ELF class and machine and the function reaching each call; add: the list, and allows them (a rule commented \"static: reachable through FUNC in EXE, not observed\"). report and add refuse a profile for an architecture none of the executables can use" },
	{ { "runtime", required_argument, NULL, OPT_RUNTIME }, "RUNTIME[:nnp]",
	  "for traces recorded outside a container: add the calls the container runtime makes in the container's init between loading the filter and executing the program (rules commented \"runtime: ...\"): runc (runc 1.1.5), crun (crun 1.8.1), docker (runc 1.1.5 as docker 20.10 runs it) or podman (runc 1.1.5 and crun 1.8.1, either of which podman 4.3 runs); measured here in both no-new-privileges modes (--explain says where); :nnp adds only the calls made when no_new_privs is set (docker --security-opt no-new-privileges, Kubernetes allowPrivilegeEscalation: false), which start no container without it. Calls a trace marks \"origin\": \"runtime\" get the same origin without this option" },
	{ { "exact", no_argument, NULL, OPT_EXACT }, NULL,
	  "the traced calls only: no family is added. By default a profile also allows the members of a traced call's family (read, readv, pread64...; stat, lstat, statx...; the poll and epoll waits...) that the traced executables can reach through libc and no trace saw, with the traced member's argument rules (rules commented \"family ...\"; --explain names the traced call); --static none turns the analysis, and so the families, off" },
	{ { "allow", required_argument, NULL, OPT_ALLOW }, "clone3",
	  "allow clone3 where a trace saw it, with a warning, instead of ENOSYS in every profile: its flags are in a struct no filter can read (namespaces included), and libc falls back to clone, whose flags the rules check" },
	{ { "landlock", required_argument, NULL, OPT_LANDLOCK }, "FILE",
	  "also write the Landlock ruleset of the traces' paths and TCP ports to FILE, for scmp-apply --landlock (README, Formats); with -f systemd, as the drop-in settings systemd has for it (writes, executes, TCP binds; what it cannot say, in a comment); with --explain, each rule and why" },
	{ { "diff", no_argument, NULL, OPT_DIFF }, NULL,
	  "compare A and B, two profiles or two traces, instead of generating: per architecture, the calls and argument values (profiles: argument rules, per action) only one of them has, on standard output. Exit status 0 when they are the same, 1 when they differ, 2 for bad input or usage" },
	{ { "json", no_argument, NULL, OPT_JSON }, NULL,
	  "with --diff: the comparison as JSON (\"format\": \"scmpkit-diff\", version 1; man scmp-gen)" },
	{ { "quiet", no_argument, NULL, 'q' }, NULL,
	  "print no warnings, no summary and no static analysis (not even --static report's list)" },
	{ { "help", no_argument, NULL, 'h' }, NULL, "show this help and exit" },
	{ { "version", no_argument, NULL, 'V' }, NULL, "print the version and exit" },
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: scmp-gen [OPTIONS] TRACE.json...\n"
		"       scmp-gen --diff [--json] A.json B.json\n"
		"\n"
		"Turn scmp-trace recordings into a minimal seccomp allowlist: the union of\n"
		"the traces, the calls every program needs at exit and on signal return,\n"
		"comparisons on flag and enum arguments, hottest rules first.\n"
		"\n"
		"Options:\n");
	sk_cli_print_options(f, opt_table, N_OPTS);
	fprintf(f,
		"\n"
		"Exit status: 0 written; 1 bad input (a trace that cannot be read, is\n"
		"invalid or incomplete, a profile libseccomp refuses, or an output that\n"
		"cannot be written or is one of the traces); 2 bad usage.  With --diff:\n"
		"0 the same, 1 they differ, 2 bad input or bad usage (as diff(1)).\n");
}

#define bad_usage(...) sk_cli_bad_usage("scmp-gen", EXIT_USAGE, __VA_ARGS__)

/* Option values, read as sk_cli_default_action reads --default-action: 0,
 * or -EINVAL for a value the option does not take (parse_args says so). */
/* The options that shape the rules: --args, --max-values, --default-action,
 * --static, --runtime, --exact, --allow.  -1 to go on, else an exit code. */
static int parse_rules(struct opts *o, int c)
{
	switch (c) {
	case 'a':
		if (sk_gen_args_parse(optarg, &o->gen.args))
			return bad_usage("--args: '%s' is not none, values or tuples", optarg);
		return -1;
	case 'm':
		if (sk_gen_max_values_parse(optarg, &o->gen.max_values))
			return bad_usage("--max-values: '%s' is not a number from 0 to 1000000", optarg);
		return -1;
	case 'd':
		if (sk_cli_default_action(optarg, false, &o->gen.default_action,
					  &o->gen.has_default_errno,
					  &o->gen.default_errno))
			return bad_usage("--default-action: invalid action '%s'", optarg);
		return -1;
	case 's':
		if (sk_gen_static_parse(optarg, &o->static_mode))
			return bad_usage("--static: '%s' is not none, report or add", optarg);
		return -1;
	case OPT_RUNTIME:
		if (sk_runtime_parse(optarg, &o->runtime))
			return bad_usage("--runtime: '%s' is not runc, crun, docker or podman (optionally followed by :nnp)", optarg);
		o->has_runtime = true;
		return -1;
	case OPT_EXACT:
		o->exact = true;
		return -1;
	case OPT_ALLOW:
		if (strcmp(optarg, "clone3"))
			return bad_usage("--allow: '%s' is not clone3 (the one call the generator denies on purpose)", optarg);
		o->gen.allow_clone3 = true;
		return -1;
	}
	return -1;
}

/* One option; -1 to go on, else an exit code. */
static int parse_one(void *ctx, int c)
{
	struct opts *o = ctx;

	switch (c) {
	case 'a':
	case 'm':
	case 'd':
	case 's':
	case OPT_RUNTIME:
	case OPT_EXACT:
	case OPT_ALLOW:
		return parse_rules(o, c);
	case 'o':
		o->output = optarg;
		return -1;
	case 'f':
		if (sk_gen_fmt_parse(optarg, &o->format))
			return bad_usage("--format: '%s' is not oci, systemd, minijail, c or spo", optarg);
		return -1;
	case 'n':
		if (!sk_spo_name_valid(optarg))
			return bad_usage("--name: '%s' is not a DNS-1123 name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253)", optarg);
		o->name = optarg;
		return -1;
	case 'e':
		o->explain = true;
		return -1;
	case 'i':
		o->allow_incomplete = true;
		return -1;
	case OPT_DIFF:
		o->diff = true;
		return -1;
	case OPT_JSON:
		o->json = true;
		return -1;
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
		printf("scmp-gen " SK_VERSION "\n");
		return 0;
	default:
		return -1;
	}
}

/* The first option given that shapes a generated profile, or NULL. */
static const char *gen_option(const struct opts *o)
{
	struct sk_gen_opts def;

	sk_gen_opts_init(&def);
	if (o->output)
		return "--output";
	if (o->format != SK_GEN_FMT_OCI)
		return "--format";
	if (o->explain)
		return "--explain";
	if (o->static_mode == SK_GEN_STATIC_REPORT || o->static_mode == SK_GEN_STATIC_ADD)
		return "--static";
	if (o->name)
		return "--name";
	if (o->allow_incomplete)
		return "--allow-incomplete";
	if (o->has_runtime)
		return "--runtime";
	if (o->gen.allow_clone3)
		return "--allow";
	if (o->exact)
		return "--exact";
	if (o->landlock)
		return "--landlock";
	if (o->gen.args != def.args || o->gen.max_values != def.max_values)
		return "--args or --max-values";
	if (o->gen.default_action != def.default_action || o->gen.has_default_errno)
		return "--default-action";
	return NULL;
}

/* --diff's operands and options; -1 to go on, else an exit code. */
static int check_diff_args(int argc, const struct opts *o)
{
	const char *g = gen_option(o);

	if (!o->diff)
		return o->json ? bad_usage("%s", "--json goes with --diff") : -1;
	if (g)
		return bad_usage("--diff generates nothing: not with %s", g);
	if (argc - optind != 2)
		return bad_usage("--diff compares two files (A.json B.json), not %d", argc - optind);
	return -1;
}

/* Parses the command line; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	int ret = sk_cli_parse("scmp-gen", EXIT_USAGE, "", argc, argv,
			       opt_table, N_OPTS, parse_one, o);

	if (ret >= 0)
		return ret;
	ret = check_diff_args(argc, o);
	if (ret >= 0 || o->diff)
		return ret;
	if (optind >= argc)
		return bad_usage("%s", "no trace given");
	if (!o->output)
		o->output = sk_gen_fmt_output(o->format);
	if (o->name && o->format != SK_GEN_FMT_SPO)
		return bad_usage("%s", "--name is for -f spo");
	return -1;
}

static void print_warnings(struct sk_warn *w, bool quiet)
{
	for (size_t i = 0; !quiet && i < w->n; i++)
		fprintf(stderr, "scmp-gen: warning: %s\n", w->msgs[i]);
	sk_warn_clear(w);
}

/*
 * Refuses, before reading anything, an output that cannot be written or
 * that is one of the traces: an exit code, or -1 to go on.
 */
static int check_output(const struct opts *o, char **files, int n)
{
	const char *outs[] = { o->output, o->landlock };
	struct sk_err err = { "" };

	if (sk_outputs_check(outs, 2, files, (size_t)n, &err) < 0) {
		fprintf(stderr, "scmp-gen: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	return -1;
}

/* --static: the report on stderr (add's rules are planned with the others:
 * sk_gen_opts.static_add); an exit code or -1. */
static int static_apply(const struct sk_static *st, const struct sk_profile *p,
			const struct opts *o)
{
	char *text = o->quiet ? NULL : sk_static_report(st, p, o->static_mode == SK_GEN_STATIC_ADD);

	if (!o->quiet && !text) {
		fprintf(stderr, "scmp-gen: out of memory\n");
		return EXIT_BAD_INPUT;
	}
	if (text)
		fputs(text, stderr);
	free(text);
	return -1;
}

/* Every profile written is first built into a real libseccomp filter. */
static int check_filter(const struct sk_profile *p, const struct opts *o)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	size_t names;
	long insns;
	int ret = sk_gen_check_build(p, &insns, &names, &warn, &err);

	print_warnings(&warn, o->quiet);
	if (ret) {
		fprintf(stderr, "scmp-gen: the generated profile does not build: %s\n",
			err.msg);
		return EXIT_BAD_INPUT;
	}
	if (!o->quiet)
		sk_cli_say(stderr, "scmp-gen", "%s: allows %zu distinct syscalls (%zu rules, %ld BPF instructions)",
			   o->output, names, p->n_rules, insns);
	return -1;
}

/* The profile in the format asked for, written; 0 or an exit code. */
static int write_output(const struct sk_profile *p, const struct opts *o,
			const char *header, const char *first_trace)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	char name[64], *text = NULL;
	int ret;

	/* -f spo: named by --name, the output file or the first trace. */
	if (o->format == SK_GEN_FMT_SPO && !o->name)
		sk_spo_name_from(strcmp(o->output, "-") ? o->output : first_trace,
				 name, sizeof(name));
	ret = sk_gen_render(p, o->format, header, o->name ? o->name : name, &text,
			    &warn, &err);
	for (size_t i = 0; !o->quiet && i < warn.n; i++)
		sk_cli_say(stderr, "scmp-gen", "warning: %s: %s", o->output, warn.msgs[i]);
	sk_warn_clear(&warn);
	if (ret && o->format == SK_GEN_FMT_SPO)
		sk_cli_say(stderr, "scmp-gen", "%s: %s", o->output,
			   ret == -ENOMEM ? "out of memory" : err.msg);
	else if (ret)
		fprintf(stderr, "scmp-gen: -f %s: %s\n", sk_gen_fmt_name(o->format), err.msg);
	if (ret)
		return EXIT_BAD_INPUT;
	ret = sk_write_atomic(o->output, text, strlen(text), &err);
	free(text);
	if (ret) {
		fprintf(stderr, "scmp-gen: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

/* Writes --diff's result; 0, or -1 after saying why. */
static int write_diff(const struct opts *o, const struct sk_diff *d,
		      struct sk_diff_input *const in[2])
{
	char *text = NULL;

	if (o->json) {
		text = sk_diff_to_json(d, in[0], in[1]);
		if (!text) {
			fprintf(stderr, "scmp-gen: out of memory\n");
			return -1;
		}
		fputs(text, stdout);
		free(text);
	} else {
		sk_diff_print(stdout, d, in[0], in[1]);
	}
	if (fflush(stdout) || ferror(stdout)) {
		sk_cli_say(stderr, "scmp-gen", "standard output: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* scmp-gen --diff A B: 0 the same, 1 different, 2 bad input. */
static int diff_main(const struct opts *o, char **files)
{
	struct sk_diff_input *in[2] = { NULL, NULL };
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct sk_diff *d = NULL;
	int ret = SK_EXIT_DIFF_TROUBLE;

	for (int i = 0; i < 2; i++) {
		if (sk_diff_input_load(files[i], &in[i], &warn, &err))
			goto out;
		print_warnings(&warn, o->quiet);
	}
	if (sk_diff_compare(in[0], in[1], &d, &err))
		goto out;
	if (!write_diff(o, d, in))
		ret = sk_diff_same(d) ? 0 : SK_EXIT_DIFFERS;
out:
	print_warnings(&warn, o->quiet);
	if (err.msg[0])
		fprintf(stderr, "scmp-gen: %s\n", err.msg);
	sk_diff_free(d);
	sk_diff_input_free(in[0]);
	sk_diff_input_free(in[1]);
	return ret;
}

/* --landlock FILE: the ruleset written; 0, or 1 after saying why. */
static int write_landlock(const struct opts *o, char **files, int n)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	int ret = sk_gen_landlock_files(files, (size_t)n, o->landlock, o->format == SK_GEN_FMT_SYSTEMD,
					o->explain ? stderr : NULL, &warn, &err);

	print_warnings(&warn, o->quiet);
	if (ret >= 0)
		return 0;
	fprintf(stderr, "scmp-gen: %s\n", err.msg);
	return EXIT_BAD_INPUT;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct sk_gen_run_opts ro;
	struct sk_gen_run r = { 0 };
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	char *header = NULL;
	int ret;

	sk_gen_opts_init(&o.gen);
	ret = parse_args(argc, argv, &o);
	if (ret < 0 && o.diff)
		return diff_main(&o, argv + optind);
	if (ret < 0)
		ret = check_output(&o, argv + optind, argc - optind);
	if (ret >= 0)
		return ret;
	ro = (struct sk_gen_run_opts){
		.files = argv + optind, .n_files = (size_t)(argc - optind),
		.allow_incomplete = o.allow_incomplete, .static_mode = o.static_mode,
		.quiet = o.quiet, .exact = o.exact, .explain = o.explain, .gen = o.gen,
	};
	if (o.has_runtime)
		ro.gen.runtime = &o.runtime;
	ret = sk_gen_run(&ro, &r, &warn, &err);
	print_warnings(&warn, o.quiet);
	if (ret) {
		fprintf(stderr, "scmp-gen: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	if (r.explain)
		fputs(r.explain, stderr);
	if (r.st && o.static_mode != SK_GEN_STATIC_SUMMARY &&
	    (ret = static_apply(r.st, r.p, &o)) >= 0)
		goto out;
	ret = check_filter(r.p, &o);
	if (ret >= 0)
		goto out;
	header = sk_gen_header(argv + optind, (size_t)(argc - optind));
	ret = header ? write_output(r.p, &o, header, argv[optind]) : EXIT_BAD_INPUT;
	if (ret == 0 && r.st && o.static_mode == SK_GEN_STATIC_SUMMARY && !o.quiet)
		sk_static_summary_put(stderr, r.st, r.p, r.g->arches, r.g->n_arches);
	if (ret == 0 && o.landlock)
		ret = write_landlock(&o, argv + optind, argc - optind);
out:
	free(header);
	sk_gen_run_done(&r);
	return ret;
}
