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

#include "scmpkit/arch.h"
#include "scmpkit/cli.h"
#include "scmpkit/denial.h"
#include "scmpkit/exit_like.h"
#include "scmpkit/fileio.h"
#include "scmpkit/filter.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/gen_rules.h"
#include "scmpkit/gen_static.h"
#include "scmpkit/profile.h"
#include "scmpkit/profile_diff.h"
#include "scmpkit/runtime.h"
#include "scmpkit/textesc.h"
#include "scmpkit/trace_format.h"

#define EXIT_BAD_INPUT SK_EXIT_GEN_BAD_INPUT
#define EXIT_USAGE SK_EXIT_GEN_USAGE

enum format { FMT_OCI, FMT_SYSTEMD, FMT_MINIJAIL, FMT_C, FMT_SPO };
/* STATIC_SUMMARY, the default, is one line after the profile is written;
 * --static none, report and add choose the others. */
enum static_mode { STATIC_SUMMARY, STATIC_NONE, STATIC_REPORT, STATIC_ADD };

static const struct {
	const char *name;
	const char *default_output;
} formats[] = {
	[FMT_OCI] = { "oci", "allow.json" },
	[FMT_SYSTEMD] = { "systemd", "allow.conf" },
	[FMT_MINIJAIL] = { "minijail", "allow.policy" },
	[FMT_C] = { "c", "allow.c" },
	[FMT_SPO] = { "spo", "allow-spo.json" },
};

struct opts {
	const char *output;
	const char *name;
	enum format format;
	bool explain;
	bool allow_incomplete;
	bool quiet;
	enum static_mode static_mode;
	bool diff;               /* --diff A B: compare, generate nothing */
	bool json;               /* --diff --json */
	bool has_runtime;        /* --runtime */
	struct sk_runtime_sel runtime;
	struct sk_gen_opts gen;
};

enum { OPT_DIFF = SK_OPT_LONG_ONLY, OPT_JSON, OPT_RUNTIME };

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
static int parse_args_mode(const char *s, enum sk_gen_args *out)
{
	if (!strcmp(s, "none"))
		*out = SK_GEN_ARGS_NONE;
	else if (!strcmp(s, "values"))
		*out = SK_GEN_ARGS_VALUES;
	else if (!strcmp(s, "tuples"))
		*out = SK_GEN_ARGS_TUPLES;
	else
		return -EINVAL;
	return 0;
}

/* strtoul takes "-1" as ULONG_MAX: a leading minus is refused by hand. */
static int parse_max_values(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > 1000000)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

static int parse_format(const char *s, enum format *out)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!strcmp(s, formats[i].name)) {
			*out = (enum format)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_static_mode(const char *s, enum static_mode *out)
{
	if (!strcmp(s, "none"))
		*out = STATIC_NONE;
	else if (!strcmp(s, "report"))
		*out = STATIC_REPORT;
	else if (!strcmp(s, "add"))
		*out = STATIC_ADD;
	else
		return -EINVAL;
	return 0;
}

/* One option; -1 to go on, else an exit code. */
static int parse_one(void *ctx, int c)
{
	struct opts *o = ctx;

	switch (c) {
	case 'o':
		o->output = optarg;
		return -1;
	case 'a':
		if (parse_args_mode(optarg, &o->gen.args))
			return bad_usage("--args: '%s' is not none, values or tuples", optarg);
		return -1;
	case 'm':
		if (parse_max_values(optarg, &o->gen.max_values))
			return bad_usage("--max-values: '%s' is not a number from 0 to 1000000", optarg);
		return -1;
	case 'd':
		if (sk_cli_default_action(optarg, false, &o->gen.default_action,
					  &o->gen.has_default_errno,
					  &o->gen.default_errno))
			return bad_usage("--default-action: invalid action '%s'", optarg);
		return -1;
	case 'f':
		if (parse_format(optarg, &o->format))
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
	case 's':
		if (parse_static_mode(optarg, &o->static_mode))
			return bad_usage("--static: '%s' is not none, report or add", optarg);
		return -1;
	case OPT_RUNTIME:
		if (sk_runtime_parse(optarg, &o->runtime))
			return bad_usage("--runtime: '%s' is not runc, crun, docker or podman (optionally followed by :nnp)", optarg);
		o->has_runtime = true;
		return -1;
	case OPT_DIFF:
		o->diff = true;
		return -1;
	case OPT_JSON:
		o->json = true;
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
	if (o->format != FMT_OCI)
		return "--format";
	if (o->explain)
		return "--explain";
	if (o->static_mode == STATIC_REPORT || o->static_mode == STATIC_ADD)
		return "--static";
	if (o->name)
		return "--name";
	if (o->allow_incomplete)
		return "--allow-incomplete";
	if (o->has_runtime)
		return "--runtime";
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
		o->output = formats[o->format].default_output;
	if (o->name && o->format != FMT_SPO)
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
static int check_output(const char *output, char **files, int n)
{
	struct sk_err err = { "" };

	if (sk_output_check(output, &err) < 0 ||
	    sk_output_not_input(output, files, (size_t)n, &err) < 0) {
		fprintf(stderr, "scmp-gen: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	return -1;
}

/* The analysis the options ask for in *st (NULL when none, or for the
 * default one when out of memory); false when --static's is out of memory. */
static bool static_new(const struct opts *o, struct sk_static **st)
{
	*st = NULL;
	/* -q would silence the default analysis: it is not run at all. */
	if (o->static_mode == STATIC_NONE || (o->static_mode == STATIC_SUMMARY && o->quiet))
		return true;
	*st = sk_static_new();
	return *st || o->static_mode == STATIC_SUMMARY;
}

/* Adds t's executables to *st when not NULL: 0, or -ENOMEM; the default
 * analysis is dropped instead (*st freed), never a failure. */
static int static_add_exes(struct sk_static **st, const struct sk_trace *t,
			   const struct opts *o)
{
	for (size_t k = 0; *st && k < t->n_executables; k++) {
		if (!sk_static_add_exe(*st, t->executables[k]))
			continue;
		if (o->static_mode != STATIC_SUMMARY)
			return -ENOMEM;
		sk_static_free(*st);
		*st = NULL;
	}
	return 0;
}

/* Loads every trace into the union, and its executables into *st when
 * not NULL; an exit code, or -1 to go on. */
static int load_traces(char **files, int n, const struct opts *o,
		       struct sk_gen *g, struct sk_static **st)
{
	struct sk_warn warn = { 0 };

	for (int i = 0; i < n; i++) {
		struct sk_err err = { "" };
		struct sk_trace *t = NULL;
		int ret;

		ret = sk_trace_load(files[i], &t, &err);
		if (ret) {
			fprintf(stderr, "scmp-gen: %s\n", err.msg);
			return EXIT_BAD_INPUT;
		}
		if (!t->complete && !o->allow_incomplete) {
			sk_cli_say(stderr, "scmp-gen",
				   "%s: the trace is incomplete (%s); a profile from it could kill the program on calls the tracer missed. Use --allow-incomplete to accept it",
				   files[i], t->incomplete_reason ? t->incomplete_reason :
				   "\"complete\": false");
			sk_trace_free(t);
			return EXIT_BAD_INPUT;
		}
		if (!t->complete && !o->quiet)
			sk_cli_say(stderr, "scmp-gen", "warning: %s: incomplete trace accepted (%s)",
				   files[i], t->incomplete_reason ? t->incomplete_reason :
				   "no reason given");
		ret = sk_gen_add_trace(g, t, files[i], &warn, &err);
		if (!ret && static_add_exes(st, t, o))
			ret = sk_err_set(&err, ENOMEM, "%s: out of memory", files[i]);
		sk_trace_free(t);
		print_warnings(&warn, o->quiet);
		if (ret) {
			fprintf(stderr, "scmp-gen: %s\n", err.msg);
			return EXIT_BAD_INPUT;
		}
	}
	return -1;
}

/* --static: reads the executables and checks the profile's arches; an
 * exit code, or -1 to go on. */
static int static_read(struct sk_static *st, const struct sk_gen *g,
		       const struct opts *o)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	bool any = false;

	if (sk_static_run(st, g, &warn, &err)) {
		print_warnings(&warn, o->quiet);
		fprintf(stderr, "scmp-gen: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	print_warnings(&warn, o->quiet);
	for (size_t i = 0; i < st->n_exes; i++)
		any |= st->exes[i].elf != NULL;
	if (!any && !o->quiet)
		fprintf(stderr, "scmp-gen: warning: --static: no executable named by the traces could be read; nothing to analyse and no architecture check\n");
	if (sk_static_check_arches(st, g->arches, g->n_arches, &err)) {
		fprintf(stderr, "scmp-gen: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	return -1;
}

/* The default analysis: its warnings are dropped, and a failure only
 * loses the summary line (*st freed). */
static void static_read_quietly(struct sk_static **st, const struct sk_gen *g)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };

	if (sk_static_run(*st, g, &warn, &err)) {
		sk_static_free(*st);
		*st = NULL;
	}
	sk_warn_clear(&warn);
}

/* --static: the report on stderr (add's rules are planned with the others:
 * sk_gen_opts.static_add); an exit code or -1. */
static int static_apply(const struct sk_static *st, const struct sk_profile *p,
			const struct opts *o)
{
	char *text = o->quiet ? NULL : sk_static_report(st, p, o->static_mode == STATIC_ADD);

	if (!o->quiet && !text) {
		fprintf(stderr, "scmp-gen: out of memory\n");
		return EXIT_BAD_INPUT;
	}
	if (text)
		fputs(text, stderr);
	free(text);
	return -1;
}

/* The default analysis's one line, after the profile is written; a note
 * when the executables cannot tell (a trace from another machine). */
static void static_summary(const struct sk_static *st, const struct sk_gen *g,
			   const struct sk_profile *p)
{
	struct sk_static_summary sum;
	const char *who;

	sk_static_summarize(st, p, g->arches, g->n_arches, &sum);
	who = sum.n_read == 1 ? "executable" : "executables";
	if (!sum.n_exes)
		return;
	if (!sum.n_read || sum.foreign) {
		fprintf(stderr, "scmp-gen: static check skipped: %s (a trace from another machine?)\n",
			!sum.n_read ? "the traced executables are not on this machine or not ELF"
				    : "the traced executables found here cannot make the traced calls");
		return;
	}
	if (!sum.n_dynamic) {
		fprintf(stderr, "scmp-gen: static check: the %s %s statically linked, without imports to read\n",
			who, sum.n_read == 1 ? "is" : "are");
		return;
	}
	if (!sum.n_missing)
		fprintf(stderr, "scmp-gen: static check: the profile allows every call the %s can reach through libc",
			who);
	else
		fprintf(stderr, "scmp-gen: %zu call%s the %s can reach %s never traced",
			sum.n_missing, sum.n_missing == 1 ? "" : "s", who,
			sum.n_missing == 1 ? "was" : "were");
	if (sum.n_read < sum.n_exes)
		fprintf(stderr, " (%zu of %zu executables read)", sum.n_read, sum.n_exes);
	for (size_t i = 0; i < sum.n_names; i++)
		fprintf(stderr, "%s%s", i ? ", " : ": ", sum.names[i]);
	if (sum.n_missing)
		fprintf(stderr, "%s; --static report lists them, --static add allows them",
			sum.n_missing > sum.n_names ? "..." : "");
	fputc('\n', stderr);
}

/* "generated by scmp-gen 0.1.0 from a.json b.json" (allocated). */
static char *make_header(char **files, int n)
{
	size_t len = 0;
	char *s = NULL;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	fprintf(f, "generated by scmp-gen " SK_VERSION " from");
	for (int i = 0; i < n; i++)
		fprintf(f, " %s", files[i]);
	if (fclose(f)) {
		free(s);
		return NULL;
	}
	return s;
}

/* Every profile written is first built into a real libseccomp filter. */
static int check_filter(const struct sk_profile *p, const struct opts *o)
{
	struct sk_filter_opts fo;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	scmp_filter_ctx ctx = NULL;
	size_t names = 0;
	long insns;

	/* The default as given on the command line, which the profile has:
	 * warnings about it then name the option, not "<generated>". */
	memset(&fo, 0, sizeof(fo));
	fo.override_default = true;
	fo.default_action = p->default_action;
	fo.default_errno = p->default_errno_ret;
	if (sk_filter_build(p, &fo, &ctx, &warn, &err)) {
		print_warnings(&warn, o->quiet);
		fprintf(stderr, "scmp-gen: the generated profile does not build: %s\n",
			err.msg);
		return EXIT_BAD_INPUT;
	}
	print_warnings(&warn, o->quiet);
	insns = sk_filter_insns(ctx);
	seccomp_release(ctx);
	for (size_t i = 0; i < p->n_rules; i++)
		names += p->rules[i].n_names;
	if (!o->quiet)
		sk_cli_say(stderr, "scmp-gen", "%s: %zu rules, %zu syscall names, %ld BPF instructions",
			   o->output, p->n_rules, names, insns);
	return -1;
}

/* -f spo: the resource, named by --name, the output file or the first
 * trace; NULL after saying why. */
static char *spo_text(const struct sk_profile *p, const struct opts *o,
		      const char *header, const char *first_trace)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	char name[64];
	char *text = NULL;
	int ret;

	if (!o->name)
		sk_spo_name_from(strcmp(o->output, "-") ? o->output : first_trace,
				 name, sizeof(name));
	ret = sk_gen_spo(p, o->name ? o->name : name, header, &text, &warn, &err);
	for (size_t i = 0; !o->quiet && i < warn.n; i++)
		sk_cli_say(stderr, "scmp-gen", "warning: %s: %s", o->output, warn.msgs[i]);
	sk_warn_clear(&warn);
	if (ret)
		sk_cli_say(stderr, "scmp-gen", "%s: %s", o->output,
			   ret == -ENOMEM ? "out of memory" : err.msg);
	return ret ? NULL : text;
}

static int write_output(const struct sk_profile *p, const struct opts *o,
			const char *header, const char *first_trace)
{
	struct sk_err err = { "" };
	char *text = NULL;
	int ret = -EINVAL;

	switch (o->format) {
	case FMT_OCI:
		text = sk_profile_to_json(p);
		ret = text ? 0 : sk_err_set(&err, ENOMEM, "out of memory");
		break;
	case FMT_SYSTEMD:
		ret = sk_gen_systemd(p, header, &text, &err);
		break;
	case FMT_MINIJAIL:
		ret = sk_gen_minijail(p, header, &text, &err);
		break;
	case FMT_C:
		ret = sk_gen_c(p, header, &text, &err);
		break;
	case FMT_SPO:
		if (!(text = spo_text(p, o, header, first_trace)))
			return EXIT_BAD_INPUT;
		ret = 0;
		break;
	}
	if (ret) {
		fprintf(stderr, "scmp-gen: -f %s: %s\n", formats[o->format].name, err.msg);
		return EXIT_BAD_INPUT;
	}
	ret = sk_write_atomic(o->output, text, strlen(text), &err);
	free(text);
	if (ret) {
		fprintf(stderr, "scmp-gen: %s\n", err.msg);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

/* "x86_64, x86" */
static void arch_words(const struct sk_diff_change *c, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->n_arches && used + 2 < len; i++) {
		if (i)
			used += (size_t)snprintf(buf + used, len - used, ", ");
		if (used < len)
			sk_denial_arch(c->arches[i], buf + used, len - used);
		used = strnlen(buf, len);
	}
}

/*
 * One change in --diff's text: a head line, "+ mkdir [x86_64, x86]" or
 * "~ socket [x86_64]: narrowed" (and ", action SCMP_ACT_ERRNO(38)" for a
 * rule that does not allow), then a line for each condition added
 * ("    + ...") or removed ("    - ..."), unless the only one is "any
 * arguments" of a call added or removed.
 */
static void print_change(const struct sk_diff *d, const struct sk_diff_change *c)
{
	char arches[256], text[1024], call[32];
	const char *act = c->action && strcmp(c->action, "SCMP_ACT_ALLOW") ? c->action : NULL;
	bool both = c->kind != SK_DIFF_ADDED && c->kind != SK_DIFF_REMOVED;
	const struct sk_diff_cond *only = c->n_added + c->n_removed == 1 ?
		(c->n_added ? c->added : c->removed) : NULL;

	arch_words(c, arches, sizeof(arches));
	snprintf(call, sizeof(call), "syscall %d", c->nr);
	sk_cli_say(stdout, NULL, "%c %s [%s]%s%s%s%s",
		   both ? '~' : c->kind == SK_DIFF_ADDED ? '+' : '-',
		   c->name ? c->name : call, arches, both ? ": " : "",
		   both ? sk_diff_kind_name(c->kind) : "", act ? ", action " : "", act ? act : "");
	if (!both && only && !only->n_args && !only->when)
		return;
	for (size_t i = 0; i < c->n_added; i++) {
		sk_diff_cond_text(d, c, &c->added[i], text, sizeof(text));
		sk_cli_say(stdout, NULL, "    + %s", text);
	}
	for (size_t i = 0; i < c->n_removed; i++) {
		sk_diff_cond_text(d, c, &c->removed[i], text, sizeof(text));
		sk_cli_say(stdout, NULL, "    - %s", text);
	}
}

/* --diff's text on standard output: the two files, the default actions
 * and architectures when they differ, each change, a count. */
static void print_diff(const struct sk_diff *d, const struct sk_diff_input *a,
		       const struct sk_diff_input *b)
{
	size_t n[SK_DIFF_CHANGED + 1] = { 0 };
	const char *kind = d->kind == SK_DIFF_TRACE ? "trace" : "profile";

	sk_cli_say(stdout, NULL, "--- %s (%s)", a->file, kind);
	sk_cli_say(stdout, NULL, "+++ %s (%s)", b->file, kind);
	if (d->default_a && strcmp(d->default_a, d->default_b))
		printf("default action: %s -> %s\n", d->default_a, d->default_b);
	for (size_t i = 0; i < d->n_arches_removed; i++)
		printf("- architecture %s\n", sk_arch_name(d->arches_removed[i]));
	for (size_t i = 0; i < d->n_arches_added; i++)
		printf("+ architecture %s\n", sk_arch_name(d->arches_added[i]));
	for (size_t i = 0; i < d->n_changes; i++) {
		print_change(d, &d->changes[i]);
		n[d->changes[i].kind]++;
	}
	if (sk_diff_same(d)) {
		printf("no difference\n");
		return;
	}
	printf("%zu change%s: %zu added, %zu removed, %zu narrowed, %zu widened, %zu changed\n",
	       d->n_changes, d->n_changes == 1 ? "" : "s", n[SK_DIFF_ADDED], n[SK_DIFF_REMOVED],
	       n[SK_DIFF_NARROWED], n[SK_DIFF_WIDENED], n[SK_DIFF_CHANGED]);
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
		print_diff(d, in[0], in[1]);
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

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct sk_profile *p = NULL;
	struct sk_gen *g = NULL;
	struct sk_static *st = NULL;
	char *explain = NULL, *header = NULL;
	int ret;

	sk_gen_opts_init(&o.gen);
	ret = parse_args(argc, argv, &o);
	if (ret < 0 && o.diff)
		return diff_main(&o, argv + optind);
	if (ret < 0)
		ret = check_output(o.output, argv + optind, argc - optind);
	if (ret >= 0)
		return ret;
	g = sk_gen_new();
	if (g && !static_new(&o, &st)) {
		sk_gen_free(g);
		g = NULL;
	}
	if (!g) {
		fprintf(stderr, "scmp-gen: out of memory\n");
		return EXIT_BAD_INPUT;
	}
	ret = load_traces(argv + optind, argc - optind, &o, g, &st);
	if (ret >= 0)
		goto out;
	/* Before sk_gen_profile, which adds the always-needed calls to g. */
	if (st && o.static_mode == STATIC_SUMMARY)
		static_read_quietly(&st, g);
	else if (st && (ret = static_read(st, g, &o)) >= 0)
		goto out;
	if (st && o.static_mode == STATIC_ADD)
		o.gen.static_add = st;
	if (o.has_runtime)
		o.gen.runtime = &o.runtime;
	if (sk_gen_profile(g, &o.gen, &p, o.explain ? &explain : NULL, &warn, &err)) {
		print_warnings(&warn, o.quiet);
		fprintf(stderr, "scmp-gen: %s\n", err.msg);
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	print_warnings(&warn, o.quiet);
	if (explain)
		fputs(explain, stderr);
	if (st && o.static_mode != STATIC_SUMMARY &&
	    (ret = static_apply(st, p, &o)) >= 0)
		goto out;
	ret = check_filter(p, &o);
	if (ret >= 0)
		goto out;
	header = make_header(argv + optind, argc - optind);
	ret = header ? write_output(p, &o, header, argv[optind]) : EXIT_BAD_INPUT;
	if (ret == 0 && st && o.static_mode == STATIC_SUMMARY)
		static_summary(st, g, p);
out:
	free(header);
	free(explain);
	sk_profile_free(p);
	sk_static_free(st);
	sk_gen_free(g);
	return ret;
}
