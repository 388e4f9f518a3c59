/* SPDX-License-Identifier: MIT */
/* scmp-trace: run a program (or attach to one) and record its syscalls. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "scmpkit/auditlog.h"
#include "scmpkit/backend.h"
#include "scmpkit/cli.h"
#include "scmpkit/containers.h"
#include "scmpkit/exit_like.h"
#include "scmpkit/profile.h"
#include "scmpkit/record.h"
#include "scmpkit/resolve.h"
#include "scmpkit/session.h"
#include "scmpkit/trace_summary.h"
#include "scmpkit/tracer.h"

enum {
	OPT_BACKEND = SK_OPT_LONG_ONLY, OPT_ERRORS, OPT_BASELINE,
	OPT_SUPERVISORS, OPT_NO_GUARD, OPT_FROM_LOG, OPT_CONTAINERS, OPT_CONTAINER,
	OPT_DURATION, OPT_CHECKPOINT, OPT_NO_PATHS,
};

/*
 * The options, documented where they are declared; usage() and getopt_long
 * both read this table.
 */
static const struct sk_opt_doc opt_table[] = {
	{ { "output", required_argument, NULL, 'o' }, "FILE",
	  "write the trace to FILE (default ./trace.json; - for stdout)" },
	{ { "backend", required_argument, NULL, OPT_BACKEND }, "NAME",
	  "auto (default: bpf, else notify, else ptrace), bpf, notify or ptrace" },
	{ { "pid", required_argument, NULL, 'p' }, "PID",
	  "attach to a running process and its threads (repeatable; bpf or ptrace)" },
	{ { "errors", no_argument, NULL, OPT_ERRORS }, NULL,
	  "record return values: an errno histogram per syscall (bpf or ptrace)" },
	{ { "baseline", required_argument, NULL, OPT_BASELINE }, "PROFILE",
	  "let what PROFILE allows run in the kernel; record only the rest (notify)" },
	{ { "from-log", required_argument, NULL, OPT_FROM_LOG }, "FILE",
	  "run nothing: turn the kernel's seccomp audit records in FILE (dmesg, journalctl -k, audit.log; - for stdin) into a trace" },
	{ { "containers", no_argument, NULL, OPT_CONTAINERS }, NULL,
	  "run CMD untraced and record each container that starts meanwhile, a trace per container in the -o directory (default .; bpf)" },
	{ { "container", required_argument, NULL, OPT_CONTAINER }, "ID|NAME",
	  "attach to a running container until it ends, INT, TERM or --duration (bpf)" },
	{ { "duration", required_argument, NULL, OPT_DURATION }, "SECS",
	  "--container: stop recording after SECS seconds" },
	{ { "checkpoint", required_argument, NULL, OPT_CHECKPOINT }, "SECS",
	  "--container, --containers: rewrite the traces of what records every SECS seconds (\"complete\": false until the end)" },
	{ { "supervisors", required_argument, NULL, OPT_SUPERVISORS }, "N",
	  "notify supervisor threads, 1 to 8 (default 1; 2 without the signal guard)" },
	{ { "no-signal-guard", no_argument, NULL, OPT_NO_GUARD }, NULL,
	  "notify: do not trace the tree to keep signals from failing calls" },
	{ { "no-paths", no_argument, NULL, OPT_NO_PATHS }, NULL,
	  "keep no paths and TCP ports (notify, ptrace: kept by default for scmp-gen --landlock; bpf keeps none)" },
	{ { "summary", no_argument, NULL, 'c' }, NULL,
	  "at the end, a table of the calls on stderr (calls, errors with --errors, syscall), most called first, as strace -c" },
	{ { "quiet", no_argument, NULL, 'q' }, NULL,
	  "print no notes on stderr, nor the one-line summary of the run" },
	{ { "help", no_argument, NULL, 'h' }, NULL, "show this help and exit" },
	{ { "version", no_argument, NULL, 'V' }, NULL, "show the version and exit" },
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

static void usage(FILE *f)
{
	fprintf(f, "Usage: scmp-trace [OPTIONS] [--] PROG [ARGS...]\n"
		   "       scmp-trace [OPTIONS] -p PID [-p PID...]\n"
		   "       scmp-trace [OPTIONS] --from-log FILE|-\n"
		   "       scmp-trace [OPTIONS] --containers [-o DIR] [--checkpoint SECS] [--] CMD [ARGS...]\n"
		   "       scmp-trace [OPTIONS] --container ID|NAME [--duration SECS] [--checkpoint SECS]\n"
		   "Run PROG (or attach to PID) and record every syscall it and its\n"
		   "descendants make, with flag and enum arguments, into trace.json;\n"
		   "or read the calls a profile logged from the kernel's audit records.\n\n"
		   "Options:\n");
	sk_cli_print_options(f, opt_table, N_OPTS);
	fprintf(f, "\nExit status: PROG's own (scmp-trace dies of PROG's signal);\n"
		   "125 bad usage, bad input or a tracer failure, 126 if PROG cannot be\n"
		   "executed, 127 if not found.  --from-log: 0, or 125 for a bad log.\n");
}

#define bad_usage(...) sk_cli_bad_usage("scmp-trace", SK_EXIT_FAIL, __VA_ARGS__)

/*
 * Without root, a setuid, setgid or file-capability program runs without
 * those privileges when traced (the notify filter needs no_new_privs, and
 * exec under ptrace drops them), so it may take other paths than it does in
 * production: say so.
 */
static void warn_privileged(const char *path)
{
	struct stat st;
	const char *what;

	if (geteuid() == 0 || stat(path, &st) < 0)
		return;
	if (st.st_mode & S_ISUID)
		what = "setuid";
	else if ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		what = "setgid";
	else if (getxattr(path, "security.capability", NULL, 0) > 0)
		what = "given file capabilities";
	else
		return;
	sk_cli_say(stderr, "scmp-trace", "warning: %s is %s: traced without root it runs without those privileges, so the trace is of an unprivileged run",
		   path, what);
}

struct opts {
	const char *out, *baseline;
	enum sk_backend backend;
	pid_t *pids;
	size_t n_pids;
	struct sk_tracer_opts t;  /* errors, quiet, supervisors, no_guard */
	const char *from_log;     /* --from-log FILE: convert, run nothing */
	bool containers;          /* --containers */
	bool out_given;
	const char *container;    /* --container ID|NAME */
	unsigned duration, checkpoint;
	bool no_paths;            /* --no-paths */
	bool table;               /* -c: the strace -c-like table */
};

/* A number of seconds for opt; -1 to go on, else an exit code. */
static int parse_secs(const char *opt, const char *arg, unsigned *out)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (end == arg || *end || n < 1 || n > 365L * 24 * 3600)
		return bad_usage("%s %s: a number of seconds, 1 or more", opt, arg);
	*out = (unsigned)n;
	return -1;
}

/* A -p value, appended to o->pids; -1 to go on, else an exit code. */
static int add_pid(struct opts *o, const char *arg)
{
	char *end;
	long pid = strtol(arg, &end, 10);
	pid_t *grown;

	if (end == arg || *end || pid <= 0 || pid > INT_MAX)
		return bad_usage("-p %s: not a process id", arg);
	grown = realloc(o->pids, (o->n_pids + 1) * sizeof(*grown));
	if (!grown)
		return bad_usage("%s", "out of memory");
	o->pids = grown;
	o->pids[o->n_pids++] = (pid_t)pid;
	return -1;
}

static int parse_supervisors(struct opts *o, const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (end == arg || *end || n < 1 || n > 8)
		return bad_usage("--supervisors %s: a number from 1 to 8", arg);
	o->t.supervisors = (unsigned)n;
	return -1;
}

/* One option; -1 to go on, else an exit code. */
static int parse_one(void *ctx, int c)
{
	struct opts *o = ctx;

	switch (c) {
	case 'o':
		o->out = optarg;
		o->out_given = true;
		return -1;
	case OPT_CONTAINERS:
		o->containers = true;
		return -1;
	case OPT_CONTAINER:
		o->container = optarg;
		return -1;
	case OPT_DURATION:
		return parse_secs("--duration", optarg, &o->duration);
	case OPT_CHECKPOINT:
		return parse_secs("--checkpoint", optarg, &o->checkpoint);
	case 'p':
		return add_pid(o, optarg);
	case OPT_BACKEND:
		if (sk_backend_parse(optarg, &o->backend))
			return bad_usage("--backend %s: use auto, bpf, notify or ptrace", optarg);
		return -1;
	case OPT_ERRORS:
		o->t.errors = true;
		return -1;
	case OPT_BASELINE:
		o->baseline = optarg;
		return -1;
	case OPT_SUPERVISORS:
		return parse_supervisors(o, optarg);
	case OPT_NO_GUARD:
		o->t.no_guard = true;
		return -1;
	case OPT_FROM_LOG:
		o->from_log = optarg;
		return -1;
	case OPT_NO_PATHS:
		o->no_paths = true;
		return -1;
	case 'c':
		o->table = true;
		return -1;
	case 'q':
		o->t.quiet = true;
		return -1;
	case 'h':
		usage(stdout);
		return 0;
	case 'V':
		printf("scmp-trace " SK_VERSION "\n");
		return 0;
	default:
		return -1;
	}
}

/* --from-log runs nothing: only -o and -q go with it. */
static int check_from_log(const struct opts *o, int argc)
{
	if (argc || o->n_pids)
		return bad_usage("%s", "--from-log reads a log and runs nothing: no PROG or -p");
	if (o->backend != SK_BACKEND_AUTO || o->baseline || o->t.errors ||
	    o->t.supervisors || o->t.no_guard)
		return bad_usage("%s", "--from-log takes only -o and -q (no --backend, --errors, --baseline, --supervisors or --no-signal-guard)");
	return -1;
}

/* --containers and --container: the bpf backend, and their own options. */
static int check_containers(const struct opts *o, int argc)
{
	if (o->containers && o->container)
		return bad_usage("%s", "--containers runs CMD, --container attaches: not both");
	if (o->containers && (!argc || o->duration))
		return bad_usage("%s", "--containers needs CMD (and takes no --duration)");
	if (o->container && argc)
		return bad_usage("%s", "--container attaches to a running container: no PROG");
	if (o->n_pids || o->baseline || (o->backend != SK_BACKEND_AUTO && o->backend != SK_BACKEND_BPF))
		return bad_usage("%s", "containers are recorded with the bpf backend (no -p, --baseline, notify or ptrace)");
	return -1;
}

/* What the options cannot do together; -1 to go on, else an exit code. */
static int check_combination(const struct opts *o, int argc)
{
	if (o->from_log)
		return check_from_log(o, argc);
	if (o->containers || o->container)
		return check_containers(o, argc);
	if (o->duration || o->checkpoint)
		return bad_usage("%s", "--duration and --checkpoint go with --container");
	if ((argc == 0) == (o->n_pids == 0))
		return bad_usage("%s", "give either a program to run or -p PID");
	if (o->n_pids && o->backend == SK_BACKEND_NOTIFY)
		return bad_usage("%s", "-p needs the bpf or ptrace backend (a filter cannot be added to a running process)");
	if (o->t.errors && o->backend == SK_BACKEND_NOTIFY)
		return bad_usage("%s", "--errors needs the bpf or ptrace backend (notify sees no return values)");
	if (o->baseline && (o->n_pids || o->t.errors || o->backend == SK_BACKEND_PTRACE ||
			    o->backend == SK_BACKEND_BPF))
		return bad_usage("%s", "--baseline works with the notify backend only (no -p, --errors, bpf or ptrace)");
	return -1;
}

/* Parses the command line; -1 to go on (optind at PROG), else an exit code. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	int ret = sk_cli_parse("scmp-trace", SK_EXIT_FAIL, "+", argc, argv,
			       opt_table, N_OPTS, parse_one, o);

	return ret >= 0 ? ret : check_combination(o, argc - optind);
}

/* The run's notes, and the status scmp-trace exits with (or dies of). */
static int finish(const struct opts *o, struct sk_record_result *rr)
{
	const struct sk_tracer_result *res = &rr->res;

	if (!o->t.quiet && res->backend_note[0])
		sk_cli_say(stderr, "scmp-trace", "note: %s", res->backend_note);
	sk_cli_guard_note("scmp-trace", res, o->t.quiet);
	if (!rr->trace->complete && !o->t.quiet)
		sk_cli_say(stderr, "scmp-trace", "warning: the trace is incomplete: %s",
			   rr->trace->incomplete_reason ? rr->trace->incomplete_reason :
			   "unknown reason");
	if (o->table && sk_trace_summary_table(stderr, rr->trace))
		sk_cli_say(stderr, "scmp-trace", "-c: out of memory");
	if (!o->t.quiet)
		sk_trace_summary_line(stderr, "scmp-trace", rr->trace);
	return sk_exit_of_run(res, o->n_pids);
}

/* --from-log: the log's seccomp records as a trace; the exit status. */
static int from_log(const struct opts *o)
{
	struct sk_auditlog_stats st;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	int ret;

	ret = sk_auditlog_record(o->from_log, o->out, "scmp-trace " SK_VERSION,
				 &st, &warn, &err);
	sk_cli_warnings("scmp-trace", &warn, o->t.quiet);
	sk_warn_clear(&warn);
	if (ret) {
		fprintf(stderr, "scmp-trace: %s\n", err.msg);
		return SK_EXIT_FAIL;
	}
	if (!o->t.quiet)
		sk_cli_say(stderr, "scmp-trace", "%s: %llu seccomp record%s: %zu distinct call%s from %zu executable%s; %llu other line%s skipped",
			   strcmp(o->from_log, "-") ? o->from_log : "<stdin>",
			   (unsigned long long)st.records, st.records == 1 ? "" : "s",
			   st.n_sys, st.n_sys == 1 ? "" : "s",
			   st.n_exe, st.n_exe == 1 ? "" : "s",
			   (unsigned long long)st.skipped, st.skipped == 1 ? "" : "s");
	return 0;
}

/* --containers, --container: what was written; CMD's status (--container: 0). */
static int containers(const struct sk_containers_opts *co, bool quiet)
{
	struct sk_containers_result res;
	struct sk_err err = { "" };
	int ret = sk_record_containers(co, &res, &err);

	for (size_t i = 0; !quiet && i < res.n_written; i++) {
		const struct sk_ctr_written *w = &res.written[i];

		sk_cli_say(stderr, "scmp-trace", "%s: %s container %s%s%s: %zu calls, %zu of them the runtime's%s",
			   w->file, w->ident.runtime[0] ? w->ident.runtime : "a",
			   w->ident.name[0] ? w->ident.name : w->ident.id,
			   w->ident.name[0] ? " " : "", w->ident.name[0] ? w->ident.id : "",
			   w->n_sys, w->n_runtime, w->complete ? "" : " (incomplete)");
		if (w->files)
			sk_cli_say(stderr, "scmp-trace", "%s: %zu files it executed or loads copied into %s%s",
				   w->file, w->n_copied, w->files,
				   w->n_not_copied ? " (some could not be: see the warnings)" : "");
		else
			sk_cli_say(stderr, "scmp-trace", "warning: %s: no copy of what the container executed (its root could not be opened or the copy made): scmp-gen's static analysis will not read its executables",
				   w->file);
	}
	sk_cli_warnings("scmp-trace", &res.warn, quiet);
	if (!quiet && res.lost)
		sk_cli_say(stderr, "scmp-trace", "warning: %u containers past the limit were not recorded",
			   res.lost);
	if (!quiet && co->argv && !res.n_written && !ret)
		sk_cli_say(stderr, "scmp-trace", "note: no container started while %s ran", co->argv[0]);
	sk_containers_result_free(&res);
	if (ret) {
		fprintf(stderr, "scmp-trace: %s\n", err.msg);
		return SK_EXIT_FAIL;
	}
	return sk_exit_of_run(&res.cmd, !co->argv);
}

/* Records; the exit status. */
static int trace(struct opts *o, char **argv, int argc, const char *path,
		 const struct sk_profile *baseline)
{
	struct sk_record_opts ro = {
		.tool = "scmp-trace " SK_VERSION, .output = o->out,
		.argv = argc ? argv : NULL, .argc = argc, .path = path,
		.pids = o->pids, .n_pids = o->n_pids, .baseline = baseline,
		.baseline_file = o->baseline,
		.backend_label = baseline ? "baseline" : NULL,
		.tracer = o->t,
		.backend = baseline ? SK_BACKEND_NOTIFY : o->backend,
		.no_paths = o->no_paths,
	};
	struct sk_record_result rr;
	struct sk_err err = { "" };
	int ret;

	ret = sk_record(&ro, &rr, &err);
	for (size_t i = 0; i < rr.notes.n && !o->t.quiet; i++)
		fprintf(stderr, "scmp-trace: %s\n", rr.notes.msg[i]);
	sk_cli_warnings("scmp-trace", &rr.warn, o->t.quiet);
	if (ret)
		fprintf(stderr, "scmp-trace: %s\n", err.msg);
	else
		ret = finish(o, &rr);
	sk_record_done(&rr);
	return ret < 0 ? SK_EXIT_FAIL : ret;
}

int main(int argc, char **argv)
{
	struct opts o = { .out = "trace.json", .backend = SK_BACKEND_AUTO };
	struct sk_profile *baseline = NULL;
	struct sk_err err = { "" };
	char *path = NULL;
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		goto out;
	if (o.from_log) {
		ret = from_log(&o);
		goto out;
	}
	if (o.container) {
		ret = containers(&(struct sk_containers_opts){
			.tool = "scmp-trace " SK_VERSION, .output = o.out,
			.container = o.container, .duration_s = o.duration,
			.checkpoint_s = o.checkpoint, .errors = o.t.errors }, o.t.quiet);
		goto out;
	}
	argc -= optind;
	argv += optind;
	if (o.baseline && sk_profile_load(o.baseline, &baseline, &err)) {
		fprintf(stderr, "scmp-trace: %s\n", err.msg);
		ret = SK_EXIT_FAIL;
		goto out;
	}
	if (argc) {
		ret = sk_resolve_program(argv[0], &path, &err);
		if (ret) {
			fprintf(stderr, "scmp-trace: %s\n", err.msg);
			ret = sk_exit_of_start(ret);
			goto out;
		}
		warn_privileged(path);
	}
	if (o.containers)
		ret = containers(&(struct sk_containers_opts){
			.tool = "scmp-trace " SK_VERSION, .dir = o.out_given ? o.out : ".",
			.argv = argv, .argc = argc, .path = path, .errors = o.t.errors,
			.checkpoint_s = o.checkpoint },
			o.t.quiet);
	else
		ret = trace(&o, argv, argc, path, baseline);
out:
	sk_profile_free(baseline);
	free(path);
	free(o.pids);
	return ret;
}
