/* SPDX-License-Identifier: MIT */
/* scmp-trace: run a program (or attach to one) and record its syscalls. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "scmpkit/baseline.h"
#include "scmpkit/exit_like.h"
#include "scmpkit/fileio.h"
#include "scmpkit/profile.h"
#include "scmpkit/trace_format.h"
#include "scmpkit/resolve.h"
#include "scmpkit/session.h"
#include "scmpkit/tracer.h"

enum { OPT_BACKEND = 256, OPT_ERRORS, OPT_BASELINE, OPT_SUPERVISORS, OPT_NO_GUARD, OPT_HELP, OPT_VERSION };

struct option_doc {
	struct option opt;
	int short_opt;
	const char *arg;
	const char *help;
};

static const struct option_doc options[] = {
	{ { "output", required_argument, NULL, 'o' }, 'o', "FILE", "write the trace to FILE (default ./trace.json; - for stdout)" },
	{ { "backend", required_argument, NULL, OPT_BACKEND }, 0, "NAME", "auto (default: bpf, else notify, else ptrace), bpf, notify or ptrace" },
	{ { "pid", required_argument, NULL, 'p' }, 'p', "PID", "attach to a running process and its threads (repeatable; bpf or ptrace)" },
	{ { "errors", no_argument, NULL, OPT_ERRORS }, 0, NULL, "record return values: an errno histogram per syscall (bpf or ptrace)" },
	{ { "baseline", required_argument, NULL, OPT_BASELINE }, 0, "PROFILE", "let what PROFILE allows run in the kernel; record only the rest (notify)" },
	{ { "supervisors", required_argument, NULL, OPT_SUPERVISORS }, 0, "N", "notify supervisor threads, 1 to 8 (default 1; 2 without the signal guard)" },
	{ { "no-signal-guard", no_argument, NULL, OPT_NO_GUARD }, 0, NULL, "notify: do not trace the tree to keep signals from failing calls" },
	{ { "quiet", no_argument, NULL, 'q' }, 'q', NULL, "print no notes on stderr" },
	{ { "help", no_argument, NULL, OPT_HELP }, 'h', NULL, "show this help and exit" },
	{ { "version", no_argument, NULL, OPT_VERSION }, 'V', NULL, "show the version and exit" },
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static void usage(FILE *f)
{
	fprintf(f, "Usage: scmp-trace [OPTIONS] [--] PROG [ARGS...]\n"
		   "       scmp-trace [OPTIONS] -p PID [-p PID...]\n"
		   "Run PROG (or attach to PID) and record every syscall it and its\n"
		   "descendants make, with flag and enum arguments, into trace.json.\n\n"
		   "Options:\n");
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_doc *d = &options[i];
		char left[64], sh[8] = "    ";

		if (d->short_opt)
			snprintf(sh, sizeof(sh), "-%c, ", d->short_opt);
		snprintf(left, sizeof(left), "%s--%s%s%s", sh, d->opt.name,
			 d->arg ? " " : "", d->arg ? d->arg : "");
		fprintf(f, "  %-24s %s\n", left, d->help);
	}
	fprintf(f, "\nExit status: PROG's own (scmp-trace dies of PROG's signal);\n"
		   "125 on a tracer failure, 126 if PROG cannot be executed, 127 if not found.\n");
}

/* Compiles PROFILE into the baseline filter; prints and returns -1 on error. */
static int load_baseline(const char *file, struct sock_fprog *prog, bool quiet)
{
	struct sk_profile *p = NULL;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	int ret;

	ret = sk_profile_load(file, &p, &err);
	if (!ret)
		ret = sk_baseline_build(p, prog, &warn, &err);
	for (size_t i = 0; !quiet && i < warn.n; i++)
		fprintf(stderr, "scmp-trace: warning: %s\n", warn.msgs[i]);
	sk_warn_clear(&warn);
	sk_profile_free(p);
	if (ret)
		fprintf(stderr, "scmp-trace: %s\n", err.msg);
	return ret ? -1 : 0;
}

enum backend { B_AUTO, B_BPF, B_NOTIFY, B_PTRACE };

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
	fprintf(stderr, "scmp-trace: warning: %s is %s: traced without root it runs without those privileges, so the trace is of an unprivileged run\n",
		path, what);
}

static int parse_backend(const char *s, enum backend *b)
{
	if (!strcmp(s, "auto"))
		*b = B_AUTO;
	else if (!strcmp(s, "bpf"))
		*b = B_BPF;
	else if (!strcmp(s, "notify"))
		*b = B_NOTIFY;
	else if (!strcmp(s, "ptrace"))
		*b = B_PTRACE;
	else
		return -1;
	return 0;
}

/*
 * The bpf backend, asked for or tried first by auto (root, and the kernel
 * passed its start-up check).  1 when auto should go on to the others
 * (*why says why bpf was not used), else the run's result.
 */
static int try_bpf(bool asked, struct sk_tracer_opts *o, struct sk_tracer_result *res,
		   const char **used, struct sk_err *err, struct sk_err *why)
{
	int ret;

	if (!asked && !sk_ebpf_available(why))
		return 1;
	*used = "bpf";
	ret = sk_ebpf_run(o, res, asked ? err : why);
	if (ret == -EOPNOTSUPP && !asked)
		return 1;
	if (!ret && !asked && !o->quiet)
		fprintf(stderr, "scmp-trace: used the bpf backend (auto: root, and the kernel passed the start-up check)\n");
	return ret;
}

/*
 * auto: bpf, else notify, else ptrace (-p and --errors: bpf, else ptrace),
 * saying which was used and why the ones before it were not.
 */
static int run_backend(enum backend want, struct sk_tracer_opts *o,
		       struct sk_tracer_result *res, const char **used,
		       struct sk_err *err)
{
	struct sk_err why, bpf_why = { "" };
	bool asked = true; /* notify was asked for, not picked by auto */
	int ret;

	if (want == B_BPF || (want == B_AUTO && !o->filter)) {
		ret = try_bpf(want == B_BPF, o, res, used, err, &bpf_why);
		if (ret != 1)
			return ret;
	}
	if (want == B_AUTO && (o->n_pids || o->errors)) {
		want = B_PTRACE;
		if (!o->quiet)
			fprintf(stderr, "scmp-trace: using the ptrace backend (%s; %s)\n",
				o->n_pids ? "attaching to a running process" :
				"--errors needs return values", bpf_why.msg);
	} else if (want == B_AUTO) {
		if (sk_notify_available(&why)) {
			want = B_NOTIFY;
			asked = false;
		} else {
			want = B_PTRACE;
			if (!o->quiet)
				fprintf(stderr, "scmp-trace: using the ptrace backend (%s; %s)\n",
					bpf_why.msg, why.msg);
		}
	}
	if (want == B_NOTIFY) {
		*used = "notify";
		ret = sk_notify_run(o, res, err);
		if (ret != -EBUSY || o->filter || asked) {
			if (!ret && !asked && !o->quiet)
				fprintf(stderr, "scmp-trace: used the notify backend (auto; %s)\n",
					bpf_why.msg);
			return ret;
		}
		if (!o->quiet)
			fprintf(stderr, "scmp-trace: %s: a seccomp notify listener is already "
				"active for this process; falling back to the ptrace backend\n",
				err->msg);
	}
	*used = "ptrace";
	return sk_ptrace_run(o, res, err);
}

int main(int argc, char **argv)
{
	struct option longopts[N_OPTIONS + 1];
	const char *out = "trace.json", *used = NULL, *baseline = NULL;
	struct sock_fprog prog = { 0 };
	enum backend backend = B_AUTO;
	struct sk_tracer_opts o = { 0 };
	struct sk_tracer_result res;
	struct sk_trace *t = NULL;
	struct sk_err err = { "" };
	pid_t *pids = NULL;
	size_t n_pids = 0;
	char *path = NULL;
	uint64_t t0;
	int c, ret, status, die_sig = 0;

	for (size_t i = 0; i < N_OPTIONS; i++)
		longopts[i] = options[i].opt;
	memset(&longopts[N_OPTIONS], 0, sizeof(longopts[0]));
	while ((c = getopt_long(argc, argv, "+o:p:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'p': {
			char *end;
			long pid = strtol(optarg, &end, 10);

			if (*end || pid <= 0 || pid > INT_MAX) {
				fprintf(stderr, "scmp-trace: -p %s: not a process id\n", optarg);
				return 125;
			}
			pids = realloc(pids, (n_pids + 1) * sizeof(*pids));
			if (!pids)
				return 125;
			pids[n_pids++] = (pid_t)pid;
			break;
		}
		case OPT_BACKEND:
			if (parse_backend(optarg, &backend)) {
				fprintf(stderr, "scmp-trace: --backend %s: use auto, bpf, notify or ptrace\n", optarg);
				return 125;
			}
			break;
		case OPT_ERRORS:
			o.errors = true;
			break;
		case OPT_BASELINE:
			baseline = optarg;
			break;
		case OPT_SUPERVISORS: {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (end == optarg || *end || n < 1 || n > 8) {
				fprintf(stderr, "scmp-trace: --supervisors %s: a number from 1 to 8\n", optarg);
				return 125;
			}
			o.supervisors = (unsigned)n;
			break;
		}
		case OPT_NO_GUARD:
			o.no_guard = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 0;
		case 'V':
		case OPT_VERSION:
			printf("scmp-trace %s\n", SK_VERSION);
			return 0;
		default:
			usage(stderr);
			return 125;
		}
	}
	argc -= optind;
	argv += optind;
	if ((argc == 0) == (n_pids == 0)) {
		fprintf(stderr, "scmp-trace: give either a program to run or -p PID\n");
		usage(stderr);
		return 125;
	}
	if (n_pids && backend == B_NOTIFY) {
		fprintf(stderr, "scmp-trace: -p needs the bpf or ptrace backend (a filter cannot be added to a running process)\n");
		return 125;
	}
	if (o.errors && backend == B_NOTIFY) {
		fprintf(stderr, "scmp-trace: --errors needs the bpf or ptrace backend (notify sees no return values)\n");
		return 125;
	}
	if (baseline && (n_pids || o.errors || backend == B_PTRACE || backend == B_BPF)) {
		fprintf(stderr, "scmp-trace: --baseline works with the notify backend only (no -p, --errors, bpf or ptrace)\n");
		return 125;
	}
	if (sk_session_check_output(out, &err) ||
	    (baseline && sk_output_not_input(out, (char *const[]){ (char *)baseline }, 1, &err) < 0)) {
		fprintf(stderr, "scmp-trace: %s\n", err.msg);
		return 125;
	}
	if (baseline && load_baseline(baseline, &prog, o.quiet))
		return 125;
	if (baseline) {
		o.filter = &prog;
		backend = B_NOTIFY;
	}
	if (argc) {
		ret = sk_resolve_program(argv[0], &path, &err);
		if (ret) {
			fprintf(stderr, "scmp-trace: %s\n", err.msg);
			return ret == -ENOENT ? 127 : 126;
		}
		warn_privileged(path);
	}
	o.argv = argc ? argv : NULL;
	o.path = path;
	o.pids = pids;
	o.n_pids = n_pids;
	o.rec = sk_rec_new();
	t = sk_trace_new();
	status = 125;
	if (!o.rec || !t) {
		fprintf(stderr, "scmp-trace: out of memory\n");
		goto out;
	}
	if (sk_session_signals()) {
		fprintf(stderr, "scmp-trace: cannot set up signal forwarding: %s\n", strerror(errno));
		goto out;
	}
	t0 = sk_session_now_ms();
	ret = run_backend(backend, &o, &res, &used, &err);
	if (ret) {
		fprintf(stderr, "scmp-trace: %s\n", err.msg);
		goto out;
	}
	if (!o.quiet && res.backend_note[0])
		fprintf(stderr, "scmp-trace: note: %s\n", res.backend_note);
	sk_session_guard_note("scmp-trace", &res, o.quiet);
	if (sk_session_trace(t, "scmp-trace " SK_VERSION, baseline ? "baseline" : used,
			     argv, argc, pids, n_pids, o.rec, &res,
			     sk_session_now_ms() - t0)) {
		fprintf(stderr, "scmp-trace: out of memory\n");
		goto out;
	}
	if (!t->complete && !o.quiet)
		fprintf(stderr, "scmp-trace: warning: the trace is incomplete: %s\n",
			t->incomplete_reason ? t->incomplete_reason : "unknown reason");
	ret = sk_trace_save(t, out, &err);
	if (ret) {
		fprintf(stderr, "scmp-trace: %s\n", err.msg);
		goto out;
	}
	/* A launched program whose status is unknown is a failure, never 0. */
	status = res.has_exit ? res.exit_code : n_pids ? 0 : 125;
	die_sig = res.has_exit ? res.exit_signal : 0;
out:
	sk_trace_free(t);
	sk_rec_free(o.rec);
	sk_baseline_free(&prog);
	free(path);
	free(pids);
	if (die_sig)
		sk_die_of(die_sig);
	return status;
}
