/* SPDX-License-Identifier: MIT */
/*
 * scmp-apply: load an OCI / Docker seccomp profile with libseccomp, then
 * execve a program under it.  Every check runs before the filter is loaded;
 * after seccomp_load nothing but the exec happens.  With --report, --ask or
 * --kill-tree it stays the program's parent instead and names each call
 * the profile denies (the judge, lib/judge.c, under the notify supervisor).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmpkit/arch.h"
#include "scmpkit/ask.h"
#include "scmpkit/cli.h"
#include "scmpkit/denial.h"
#include "scmpkit/exec.h"
#include "scmpkit/exit_like.h"
#include "scmpkit/export.h"
#include "scmpkit/fileio.h"
#include "scmpkit/filter.h"
#include "scmpkit/judge.h"
#include "scmpkit/profile.h"
#include "scmpkit/record.h"
#include "scmpkit/replay.h"
#include "scmpkit/resolve.h"
#include "scmpkit/session.h"
#include "scmpkit/textesc.h"

struct opts {
	bool check;
	const char *export_format;
	const char *output;
	const char *complain;
	bool report;            /* --report, --ask or --kill-tree: stay the parent */
	const char *report_file;
	bool ask;
	const char *ask_file;
	bool kill_tree;
	bool quiet;
	bool verbose;           /* -v: the profile's notes in the modes that run PROG */
	char **traces;          /* --check --trace: the traces to replay */
	size_t n_traces;
	bool json;              /* --check --trace --json */
	bool checked_rest;      /* check_rest has read what follows PROFILE */
	struct sk_filter_opts fo;
};

enum { OPT_REPORT = SK_OPT_LONG_ONLY, OPT_KILL_TREE, OPT_ASK, OPT_TRACE, OPT_JSON };

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

/*
 * Whether the notes about the profile (names libseccomp does not know,
 * archMap entries skipped, unknown keys) stay unsaid: a run shares PROG's
 * stderr, which is PROG's own, so it says them only with -v; --check and
 * --export, which run nothing, always say them; -q silences all.
 */
static bool notes_quiet(const struct opts *o)
{
	return o->quiet || (!o->check && !o->export_format && !o->verbose);
}

/* A --default-action value into o->fo; -1 to go on, else an exit code. */
static int parse_default(struct opts *o, const char *arg)
{
	bool has_errno;

	if (sk_cli_default_action(arg, true, &o->fo.default_action, &has_errno,
				  &o->fo.default_errno))
		return bad_usage("--default-action: invalid action '%s'", arg);
	o->fo.override_default = true;
	return -1;
}

/* One more trace for --check to replay; -1 to go on, else an exit code. */
static int add_trace(struct opts *o, char *file)
{
	char **more = realloc(o->traces, (o->n_traces + 1) * sizeof(*more));

	if (!more) {
		fprintf(stderr, "scmp-apply: out of memory\n");
		return SK_EXIT_FAIL;
	}
	o->traces = more;
	o->traces[o->n_traces++] = file;
	return -1;
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
	}
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
	case 'd':
		return parse_default(o, optarg);
	case 'C':
		o->complain = optarg;
		return -1;
	case OPT_REPORT:
	case OPT_KILL_TREE:
	case OPT_ASK:
		return parse_supervised(o, c);
	case 'l':
		o->fo.log = true;
		return -1;
	case 's':
		o->fo.strict = true;
		return -1;
	case 'v':
		o->verbose = true;
		return -1;
	case OPT_TRACE:
		return add_trace(o, optarg);
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
	if ((o->report_file && !*o->report_file) || (o->ask_file && !*o->ask_file))
		return bad_usage("%s", "--report= and --ask= need a FILE after the '='");
	if (o->report_file && o->ask_file && !strcmp(o->report_file, o->ask_file))
		return bad_usage("%s", "--report=FILE and --ask=FILE name the same file");
	if (o->output && !o->export_format)
		return bad_usage("%s", "--output is only for --export");
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
		.backend_label = "complain", .backend = SK_BACKEND_NOTIFY,
		.tracer = { .quiet = quiet },
	};
	struct sk_record_result rr;
	struct sk_err err = { "" };
	int ret;

	while (prog[ro.argc])
		ro.argc++;
	ret = sk_record(&ro, &rr, &err);
	/* rr.warn holds the baseline's notes: its rules are the profile's
	 * allow rules, whose notes load() said already (with -v). */
	if (rr.ran)
		sk_cli_guard_note("scmp-apply", &rr.res, quiet);
	if (ret) {
		fprintf(stderr, "scmp-apply: %s%s%s\n", rr.ran ? "" : "--complain: ", err.msg,
			ret == -EBUSY || ret == -ENOSYS ?
			" (complain mode needs seccomp user notification)" : "");
		sk_record_done(&rr);
		return rr.ran ? SK_EXIT_FAIL : sk_exit_of_start(ret);
	}
	if (!quiet)
		complain_report(rr.trace, file);
	sk_record_done(&rr);
	return sk_exit_of_run(&rr.res, false);
}

/* ---- --report, --ask, --kill-tree: scmp-apply stays the parent ---- */

/* What the drain function prints and asks with, on the main thread. */
struct sk_judge_ui {
	const struct sk_profile *p;
	const struct sk_filter_opts *fo;
	scmp_filter_ctx ctx;       /* the profile's filter: the arches it covers */
	bool kill_tree;
	FILE *tty;                 /* --ask: the controlling terminal */
	struct sk_ask *ask;        /* --ask: the answers given */
	uint64_t dropped_told;
};

/* The parts of a denial's line: the call, its arch, why it is denied. */
struct denial_text {
	char call[512];
	char arch[32];
	char why[1024];
	const char *exe;
};

static void denial_text(const struct sk_judge_ui *ui, const struct sk_denial *d,
			struct denial_text *t)
{
	uint32_t arch = d->arch;
	int nr = d->nr;

	sk_arch_classify(&arch, &nr);
	sk_denial_call(d->arch, d->nr, d->args, t->call, sizeof(t->call));
	sk_denial_arch(arch, t->arch, sizeof(t->arch));
	sk_denial_reason(ui->p, ui->fo, seccomp_arch_exist(ui->ctx, arch) == 0,
			 d->arch, d->nr, d->args, t->why, sizeof(t->why));
	t->exe = d->exe ? d->exe : "?";
}

static bool is_kill(const struct sk_verdict *v)
{
	return v->kind == SK_VERDICT_KILL_PROCESS || v->kind == SK_VERDICT_KILL_THREAD;
}

/* "scmp-apply: denied CALL [ARCH] by EXE (pid N): WHY; DONE" on f. */
static void say_denial(FILE *f, const struct denial_text *t, const struct sk_denial *d,
		       const char *done)
{
	sk_cli_say(f, "scmp-apply", "%s %s [%s] by %s (pid %d): %s%s%s",
		   d->verdict.kind == SK_VERDICT_CONTINUE && !d->question ? "logged" : "denied",
		   t->call, t->arch, t->exe, (int)d->pid, t->why, done ? "; " : "",
		   done ? done : "");
}

/* Whether the asking task still exists (a killed one goes with its tree). */
static bool task_exists(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return stat(path, &st) == 0;
}

/*
 * Reads one answer line from the terminal.  Signals (a window resize is
 * forwarded to the program) do not end the wait; the asking task's death
 * does.  1 with line filled, 0 at end of input or when the task is gone.
 */
static int read_answer(FILE *tty, pid_t pid, char *line, size_t len)
{
	struct pollfd p = { .fd = fileno(tty), .events = POLLIN };

	for (;;) {
		int r = poll(&p, 1, 250);
		ssize_t n;

		if (r == 0 || (r < 0 && errno == EINTR)) {
			if (!task_exists(pid))
				return 0;
			continue;
		}
		if (r < 0)
			return 0;
		n = read(p.fd, line, len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		line[n] = '\0';
		return 1;
	}
}

static const char *answer_words(enum sk_answer a)
{
	switch (a) {
	case SK_ANSWER_ONCE: return "allowed once (your answer)";
	case SK_ANSWER_ALWAYS: return "allowed for the run (your answer)";
	case SK_ANSWER_EPERM: return "failed with EPERM (your answer)";
	case SK_ANSWER_ENOSYS: return "failed with ENOSYS (your answer)";
	case SK_ANSWER_KILL: return "process killed (your answer)";
	default: return "";
	}
}

/*
 * --ask: a call not decided before is asked about on the terminal; one
 * decided before gets the same answer without a word.
 */
static void ask_about(struct sk_judge_ui *ui, struct sk_judge *j, const struct sk_denial *d)
{
	enum sk_answer a = sk_ask_find(ui->ask, d->arch, d->nr, d->args);
	struct sk_verdict v = d->verdict;
	struct denial_text t;
	char line[128], done[128];

	if (a) {
		sk_ask_verdict(a, &v);
		sk_judge_answer(j, d->seq, &v);
		return;
	}
	denial_text(ui, d, &t);
	sk_denial_done(&d->verdict, ui->kill_tree && is_kill(&d->verdict), done, sizeof(done));
	sk_cli_say(ui->tty, "scmp-apply", "denied %s [%s] by %s (pid %d): %s",
		   t.call, t.arch, t.exe, (int)d->pid, t.why);
	for (;;) {
		fprintf(ui->tty, "scmp-apply: the profile: %s. Allow once (o), allow always (a), deny with EPERM (e), deny with ENOSYS (n), kill (k)? ",
			done);
		fflush(ui->tty);
		if (!read_answer(ui->tty, d->pid, line, sizeof(line))) {
			fprintf(ui->tty, "\nscmp-apply: no answer: as the profile says\n");
			fflush(ui->tty);
			break;
		}
		a = sk_ask_parse(line);
		if (a)
			break;
	}
	if (a) {
		sk_ask_verdict(a, &v);
		if (sk_ask_remember(ui->ask, d->arch, d->nr, d->args, d->ret, a) == -ENOMEM)
			sk_cli_say(stderr, "scmp-apply", "warning: out of memory: the answer is not remembered");
	}
	sk_judge_answer(j, d->seq, &v);
	/* The log on stderr, unless the terminal already showed it. */
	if (!isatty(STDERR_FILENO)) {
		struct sk_denial shown = *d;

		shown.verdict = v;
		if (a)
			say_denial(stderr, &t, &shown, answer_words(a));
		else
			say_denial(stderr, &t, &shown, done);
	}
}

/* The judge's drain: each queued call named (and, with --ask, asked about). */
static void drain(struct sk_judge_ui *ui, struct sk_judge *j)
{
	struct sk_denial d;
	uint64_t dropped;

	while (sk_judge_take(j, &d)) {
		struct denial_text t;
		char done[128];

		if (d.question) {
			ask_about(ui, j, &d);
			continue;
		}
		denial_text(ui, &d, &t);
		sk_denial_done(&d.verdict, ui->kill_tree && is_kill(&d.verdict), done, sizeof(done));
		say_denial(stderr, &t, &d, done);
	}
	dropped = sk_judge_dropped(j);
	if (dropped > ui->dropped_told) {
		sk_cli_say(stderr, "scmp-apply", "%llu more denied calls came faster than they could be named (the record holds them all)",
			   (unsigned long long)(dropped - ui->dropped_told));
		ui->dropped_told = dropped;
	}
}

/* A word for a shell command line: as it is, or in single quotes. */
static void put_word(FILE *f, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./-+=:,@%") == strlen(s)) {
		sk_esc_put(f, s, SK_ESC_MESSAGE);
		return;
	}
	fputc('\'', f);
	for (; *s; s++) {
		char c[2] = { *s, '\0' };

		if (*s == '\'')
			fputs("'\\''", f);
		else
			sk_esc_put(f, c, SK_ESC_MESSAGE);
	}
	fputc('\'', f);
}

/* One summary line per denied call: its (call, arguments) pairs and who made it. */
static void summary_line(const struct sk_trace *t, const struct sk_trace_sys *s)
{
	char call[512], arch[32];
	uint32_t a = s->arch;

	sk_denial_arch(a, arch, sizeof(arch));
	fprintf(stderr, "scmp-apply:   %s [%s]: %llu call%s", s->name ? s->name : "?", arch,
		(unsigned long long)s->count, s->count == 1 ? "" : "s");
	for (size_t i = 0; i < s->n_exe && i < 3; i++) {
		fputs(i ? ", " : " by ", stderr);
		sk_esc_put(stderr, t->executables[s->exe[i]], SK_ESC_MESSAGE);
	}
	if (s->n_exe > 3)
		fputs(", ...", stderr);
	for (size_t k = 0; s->name && k < s->n_tuples; k++) {
		sk_denial_tuple(s->name, s->n_argidx, s->argidx, s->tuples + k * s->n_argidx,
				call, sizeof(call));
		fprintf(stderr, "%s%s", k ? ", " : ", as ", call);
	}
	fprintf(stderr, "%s\n", s->args_unbounded ? ", and more argument values" : "");
}

/* The end of a --report run: every denied (call, arguments) pair, and how to allow them. */
static void report_summary(const struct sk_trace *t, const struct opts *o,
			   const char *profile)
{
	uint64_t calls = 0;

	for (size_t i = 0; i < t->n_sys; i++)
		calls += t->sys[i].count;
	if (!t->n_sys) {
		sk_cli_say(stderr, "scmp-apply", "report: %s denied nothing the program did", profile);
		return;
	}
	sk_cli_say(stderr, "scmp-apply", "report: %s did not allow %llu call%s (%zu syscall%s):", profile,
		   (unsigned long long)calls, calls == 1 ? "" : "s", t->n_sys, t->n_sys == 1 ? "" : "s");
	for (size_t i = 0; i < t->n_sys; i++)
		summary_line(t, &t->sys[i]);
	if (!o->report_file) {
		sk_cli_say(stderr, "scmp-apply", "to allow them, run again with --report=FILE and merge FILE with the traces %s was made from (scmp-gen -o NEW.json TRACE.json... FILE), or with --ask=NEW.json to decide call by call",
			   profile);
		return;
	}
	sk_cli_say(stderr, "scmp-apply", "recorded in %s; this makes a profile that allows them too, from the traces %s was made from:",
		   o->report_file, profile);
	fputs("scmp-apply:   scmp-gen -o NEW.json TRACE.json... ", stderr);
	put_word(stderr, o->report_file);
	fputc('\n', stderr);
}

/* "+ allow readlink [x86_64]" for each answer that changed the profile. */
static void ask_changes(const struct sk_ask *a)
{
	for (size_t i = 0; i < sk_ask_count(a); i++) {
		const struct sk_ask_entry *e = sk_ask_get(a, i);
		char call[512], arch[32];

		if (!sk_ask_changes(e))
			continue;
		sk_denial_tuple(e->name, e->n_argidx, e->argidx, e->tuple, call, sizeof(call));
		sk_denial_arch(e->arch, arch, sizeof(arch));
		sk_cli_say(stderr, "scmp-apply", "  + %s %s [%s]",
			   e->answer == SK_ANSWER_ALWAYS ? "allow" :
			   e->answer == SK_ANSWER_EPERM ? "errno EPERM:" :
			   e->answer == SK_ANSWER_ENOSYS ? "errno ENOSYS:" : "kill-process:",
			   call, arch);
	}
}

/*
 * --ask=FILE: the profile with the answers' rules added, built into a
 * filter as a check, written, and what changed printed.  0 or 125.
 */
static int write_refined(struct sk_profile *p, const struct opts *o,
			 const struct sk_ask *a, const char *profile)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	scmp_filter_ctx ctx = NULL;
	int n = sk_ask_refine(a, p, &warn, &err), ret = 0;

	if (n >= 0 && !(ret = sk_filter_build(p, &o->fo, &ctx, &warn, &err)))
		ret = sk_profile_save(p, o->ask_file, &err);
	seccomp_release(ctx);
	sk_cli_warnings("scmp-apply", &warn, o->quiet);
	sk_warn_clear(&warn);
	if (n < 0 || ret)
		return fail(&err);
	if (!n) {
		sk_cli_say(stderr, "scmp-apply", "ask: no answer changed %s; wrote it unchanged to %s",
			   profile, o->ask_file);
		return 0;
	}
	sk_cli_say(stderr, "scmp-apply", "ask: wrote %s: %s with %d rule%s more:", o->ask_file,
		   profile, n, n == 1 ? "" : "s");
	ask_changes(a);
	return 0;
}

/* The judge and the filter it supervises: the profile's, denials notified. */
static int make_judge(scmp_filter_ctx ctx, const struct sk_judge_opts *jo,
		      struct sk_judge **j, struct sock_fprog *notify,
		      struct sk_err *err)
{
	struct sock_fprog prof = { 0 };
	int ret = sk_filter_export(ctx, &prof, err);

	if (!ret)
		ret = sk_judge_filter(&prof, notify, err);
	if (!ret && !(*j = sk_judge_new(&prof, jo))) {
		free(notify->filter);
		notify->filter = NULL;
		ret = sk_err_set(err, ENOMEM, "out of memory");
	}
	free(prof.filter);
	return ret;
}

/*
 * --report[=FILE], --ask[=FILE], --kill-tree: runs prog as its parent under
 * the profile's filter with every denial notified, names each one and does
 * what the profile (or the user) says.  Returns the program's status, or
 * dies of its signal.
 */
static int supervised(const struct opts *o, struct sk_profile *p, scmp_filter_ctx ctx,
		      const char *path, char **prog, FILE *tty)
{
	struct sk_judge_ui ui = { .p = p, .fo = &o->fo, .ctx = ctx,
				  .kill_tree = o->kill_tree, .tty = tty };
	struct sk_judge_opts jo = { .mode = o->ask ? SK_JUDGE_ASK : SK_JUDGE_REPORT,
				    .kill_tree = o->kill_tree, .drain = drain, .ui = &ui };
	struct sock_fprog notify = { 0 };
	struct sk_record_opts ro = {
		.tool = "scmp-apply " SK_VERSION, .output = o->report_file, .argv = prog,
		.path = path, .baseline_file = p->file, .backend_label = "report",
		.backend = SK_BACKEND_NOTIFY, .tracer = { .quiet = o->quiet, .filter = &notify },
	};
	struct sk_record_result rr = { 0 };
	struct sk_err err = { "" };
	struct sk_judge *j = NULL;
	int ret;

	if (o->ask && !(ui.ask = sk_ask_new()))
		return fail(&(struct sk_err){ "out of memory" });
	ret = make_judge(ctx, &jo, &j, &notify, &err);
	if (ret) {
		sk_ask_free(ui.ask);
		return fail(&err);
	}
	ro.tracer.judge = j;
	while (prog[ro.argc])
		ro.argc++;
	ret = sk_record(&ro, &rr, &err);
	if (rr.ran)
		sk_cli_guard_note("scmp-apply", &rr.res, o->quiet);
	if (ret) {
		fprintf(stderr, "scmp-apply: %s%s%s\n", rr.ran ? "" : "--report: ", err.msg,
			ret == -EBUSY || ret == -ENOSYS ?
			" (--report, --ask and --kill-tree need seccomp user notification)" : "");
		ret = rr.ran ? SK_EXIT_FAIL : sk_exit_of_start(ret);
	} else {
		if (!o->quiet)
			report_summary(rr.trace, o, p->file);
		if (o->ask_file)
			ret = write_refined(p, o, ui.ask, p->file);
		if (!ret)
			ret = sk_exit_of_run(&rr.res, false);
	}
	sk_record_done(&rr);
	sk_judge_free(j);
	sk_ask_free(ui.ask);
	free(notify.filter);
	return ret;
}

/* --ask talks to the controlling terminal, never the program's streams. */
static FILE *open_tty(void)
{
	FILE *tty = fopen("/dev/tty", "r+e");

	if (!tty)
		sk_cli_say(stderr, "scmp-apply", "--ask needs a terminal to ask on: /dev/tty: %s (run it from a terminal, or use --report)",
			   strerror(errno));
	return tty;
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
	return sk_exit_of_exec(e);
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
static void print_finding(const struct sk_replay_finding *f)
{
	char arch[32], acts[256];

	sk_denial_arch(f->arch, arch, sizeof(arch));
	finding_actions(f, acts, sizeof(acts));
	sk_cli_say(stdout, NULL, "%s: %s [%s] in %s: %s%s; %s",
		   f->verdict == SK_REPLAY_DENIED ? "denied" : "may be denied",
		   f->call, arch, f->trace, acts,
		   f->verdict == SK_REPLAY_DENIED ? "" :
		   f->all_values && f->n_argidx ?
		   ", depending on argument values the trace does not keep (more than its cap)" :
		   ", depending on arguments the trace does not record",
		   f->why);
}

/* --check --trace's text after the summary: each finding, then a line per trace. */
static void print_replay(const struct sk_replay_result *res, const char *file)
{
	for (size_t i = 0; i < res->n; i++)
		print_finding(&res->f[i]);
	for (size_t i = 0; i < res->n_traces; i++) {
		const struct sk_replay_trace *t = &res->traces[i];

		if (!t->n_denied && !t->n_depends)
			sk_cli_say(stdout, NULL, "%s: %s allows all %zu recorded calls", t->file,
				   file, t->n_calls);
		else
			sk_cli_say(stdout, NULL, "%s: %zu recorded calls, %s denies %zu and may deny %zu",
				   t->file, t->n_calls, file, t->n_denied, t->n_depends);
	}
}

/* Loads one trace and replays it; 0, or -1 after saying why. */
static int replay_one(const struct opts *o, struct sk_replay *r, const char *path)
{
	struct sk_err err = { "" };
	struct sk_trace *t = NULL;
	int ret = sk_trace_load(path, &t, &err);

	if (!ret && !t->complete && !o->quiet)
		sk_cli_say(stderr, "scmp-apply", "warning: %s: incomplete trace (%s): the calls the tracer missed are not checked",
			   path, t->incomplete_reason ? t->incomplete_reason : "\"complete\": false");
	if (!ret)
		ret = sk_replay_add(r, t, path, &err);
	sk_trace_free(t);
	if (ret)
		fprintf(stderr, "scmp-apply: %s\n", err.msg);
	return ret ? -1 : 0;
}

/*
 * --check --trace: every recorded call through the filter; the summary
 * and the findings, or JSON, on stdout.  0 when the profile allows every
 * call, 1 when it denies or may deny one, 125 for a bad trace.
 */
static int check_traces(const struct opts *o, const struct sk_profile *p,
			scmp_filter_ctx ctx, const char *file)
{
	struct sk_replay *r = NULL;
	struct sk_err err = { "" };
	char *json = NULL;
	int ret = 0;

	if (sk_replay_new(ctx, p, &o->fo, &r, &err))
		return fail(&err);
	for (size_t i = 0; i < o->n_traces && !ret; i++)
		ret = replay_one(o, r, o->traces[i]);
	if (!ret && o->json && !(json = sk_replay_to_json(r)))
		ret = fail(&(struct sk_err){ "out of memory" });
	if (!ret && json) {
		fputs(json, stdout);
	} else if (!ret) {
		summary(p, o, ctx, file);
		print_replay(sk_replay_result(r), file);
	}
	if (!ret)
		ret = sk_replay_result(r)->n ? SK_EXIT_DIFFERS : 0;
	else
		ret = SK_EXIT_FAIL;
	free(json);
	sk_replay_free(r);
	return ret;
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
	if (o->n_traces)
		return check_traces(o, p, ctx, file);
	summary(p, o, ctx, file);
	return 0;
}

/*
 * --check PROFILE --trace T.json...: the options after PROFILE (nothing
 * runs, so none of them is PROG's), and the operands there as more traces
 * when --trace is given.  -1 to go on, else an exit code.
 */
static int check_rest(int argc, char **argv, struct opts *o)
{
	const char *first = NULL;
	size_t operands = 0;
	bool plain = false;   /* after "--": operands only */
	int ret;

	while (optind < argc) {
		if (!plain && !strcmp(argv[optind], "--")) {
			plain = true;
			optind++;
			continue;
		}
		if (!plain) {
			int at = optind;

			ret = sk_cli_parse("scmp-apply", SK_EXIT_FAIL, "+", argc, argv,
					   opt_table, N_OPTS, parse_one, o);
			if (ret >= 0)
				return ret;
			plain = optind > at && !strcmp(argv[optind - 1], "--");
			if (optind >= argc)
				break;
		}
		if (!first)
			first = argv[optind];
		operands++;
		if ((ret = add_trace(o, argv[optind++])) >= 0)
			return ret;
	}
	if (operands && o->n_traces == operands)
		return bad_usage("unexpected '%s': --check runs nothing (the traces it replays follow --trace)",
				 first);
	o->checked_rest = true;
	return check_combination(o);
}

/*
 * PROFILE and PROG from the operands, and PROG found before anything else,
 * as env(1) would.  -1 to go on, else an exit code.
 */
static int operands(int argc, char **argv, struct opts *o, bool runs,
		    char ***file_arg, char ***prog, char **path)
{
	struct sk_err err = { "" };
	int ret;

	if (optind >= argc)
		return bad_usage("%s", "missing PROFILE.json");
	*file_arg = &argv[optind++];
	if (o->check)
		return check_rest(argc, argv, o);
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	*prog = &argv[optind];
	if (runs && !**prog)
		return bad_usage("%s", "missing PROG to run");
	if (!runs && **prog)
		return bad_usage("unexpected '%s': --check and --export run nothing", **prog);
	if (!runs)
		return -1;
	ret = sk_resolve_program((*prog)[0], path, &err);
	if (!ret)
		return -1;
	fprintf(stderr, "scmp-apply: %s\n", err.msg);
	return sk_exit_of_start(ret);
}

/* Every file we will write, checked before the profile is read; and the
 * terminal --ask talks to.  0, or -1 after printing why. */
static int check_outputs(const struct opts *o, char **file_arg, FILE **tty)
{
	if ((o->output || o->complain) &&
	    check_output(o->output ? o->output : o->complain, file_arg))
		return -1;
	if ((o->report_file && check_output(o->report_file, file_arg)) ||
	    (o->ask_file && check_output(o->ask_file, file_arg)))
		return -1;
	if (o->ask && !(*tty = open_tty()))
		return -1;
	return 0;
}

/* Loads PROFILE and builds its filter; 0, or -1 after printing why. */
static int load(const struct opts *o, const char *file, struct sk_profile **p,
		scmp_filter_ctx *ctx)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	int ret;

	ret = sk_profile_load_warn(file, p, &warn, &err);
	if (!ret)
		ret = sk_filter_build(*p, &o->fo, ctx, &warn, &err);
	sk_cli_warnings("scmp-apply", &warn, notes_quiet(o));
	sk_warn_clear(&warn);
	if (ret)
		fprintf(stderr, "scmp-apply: %s\n", err.msg);
	return ret ? -1 : 0;
}

/* Runs the program under the loaded profile: the exit status, or execs. */
static int start(const struct opts *o, struct sk_profile **p, scmp_filter_ctx ctx,
		 const char *file, const char *path, char **prog, FILE *tty)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	bool via_execveat = false;
	int ret;

	if (o->complain)
		return complain(*p, path, prog, o->complain, o->quiet);
	ret = sk_exec_refuse_notify(*p, &o->fo, &err);
	if (!ret)
		ret = sk_exec_check(ctx, file, path, prog, &via_execveat, &warn, &err);
	sk_cli_warnings("scmp-apply", &warn, notes_quiet(o));
	sk_warn_clear(&warn);
	if (ret)
		return fail(&err);
	if (o->report)
		return supervised(o, *p, ctx, path, prog, tty);
	sk_profile_free(*p);
	*p = NULL;
	return run(ctx, path, prog, via_execveat);
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
	ret = parse_args(argc, argv, &o);
	runs = !o.check && !o.export_format;
	if (ret < 0)
		ret = operands(argc, argv, &o, runs, &file_arg, &prog, &path);
	if (ret >= 0) {
		free(o.traces);
		return ret;
	}
	if (check_outputs(&o, file_arg, &tty) || load(&o, *file_arg, &p, &ctx))
		ret = SK_EXIT_FAIL;
	else if (!runs)
		ret = check_or_export(&o, p, ctx, *file_arg);
	else
		ret = start(&o, &p, ctx, *file_arg, path, prog, tty);
	if (tty)
		fclose(tty);
	seccomp_release(ctx);
	sk_profile_free(p);
	free(path);
	free(o.traces);
	return ret;
}
