/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TRACER_H
#define SCMPKIT_TRACER_H

#include <linux/filter.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "scmpkit/err.h"
#include "scmpkit/judge.h"
#include "scmpkit/pathrec.h"
#include "scmpkit/recorder.h"

/*
 * Running a program under a recorder: the tracer backends.  notify
 * (lib/notify_sys.c) serves scmp-trace (plain and --baseline) and
 * scmp-apply --complain; ptrace (lib/ptrace_sys.c) and bpf
 * (lib/bpf_sys.c) serve scmp-trace.  Which one runs is chosen in
 * lib/backend.c (backend.h).
 */

struct sk_tracer_opts {
	char *const *argv;    /* program to launch, NULL when attaching */
	const char *path;     /* resolved executable for argv (NULL: argv[0]) */
	const pid_t *pids;    /* processes to attach to (ptrace, bpf) */
	size_t n_pids;
	bool errors;          /* record return values (ptrace, bpf) */
	bool quiet;
	/*
	 * Notify only: the filter the child installs.  Its non-notify actions
	 * run in the kernel; NULL means "notify every syscall".
	 */
	const struct sock_fprog *filter;
	unsigned supervisors; /* notify threads; 0: one with the guard, else two */
	bool no_guard;        /* notify: no signal guard (lib/sigguard.h) */
	/*
	 * Notify only: decides each notified call (judge.h) instead of
	 * continuing it, and its queue is drained on the main thread while
	 * the run goes on; NULL: every call is continued (scmp-trace,
	 * --baseline, --complain).  Borrowed.
	 */
	struct sk_judge *judge;
	struct sk_rec *rec;   /* borrowed */
	/* The paths and ports of path-taking calls (pathrec.h; notify and
	 * ptrace), under the same lock as rec.  Borrowed; NULL: none kept. */
	struct sk_pathrec *paths;
	/* Notify only: the child restricts itself to this Landlock ruleset
	 * (landlock.h) before it installs the filter; when landlock is set. */
	bool landlock;
	int landlock_fd;
	/* Notify only: a call this filter allows was notified for its path
	 * only (sk_pathrec_notify_filter): its path is recorded, not the call. */
	const struct sock_fprog *paths_only;
};

/*
 * The reason every backend gives when an executable could not be named
 * (its path longer than PATH_MAX, which /proc/PID/exe cannot say and the
 * bpf walk does not hold): %u count, "s" or "", "its" or "their".
 */
#define SK_UNNAMED_EXES "%u executable%s could not be named (a path longer than PATH_MAX, which /proc/PID/exe cannot say): %s calls are recorded without an executable"

struct sk_tracer_result {
	bool has_exit;        /* a launched program's status is known */
	int exit_code;
	int exit_signal;      /* the program died of this signal; 0 if not */
	bool complete;        /* false: calls may have been missed (say why) */
	char reason[256];
	char backend_note[256]; /* e.g. "sync wake-up unavailable" */
	int guard;            /* notify: 1 the signal guard held the tree, 0 not */
	char guard_note[256]; /* why it did not, when it was asked for */
	uint64_t restarts;    /* calls the guard restarted after a signal */
	uint64_t handovers;   /* tasks the guard let go to another tracer */
	bool denial_killed;   /* notify with a judge: the program was killed
			       * because of a kill verdict (its own process,
			       * or its tree with --kill-tree); exit_signal
			       * then says SIGSYS, as the kernel's kill would */
};

/*
 * Signals the tool received (installed by sk_session_signals).  A recording
 * run acts like a service manager: what a process sends to the tool goes to
 * the program; a terminal's signals reach the program by themselves.
 */
struct sk_sig {
	int sig;
	int from_process;     /* sent with kill() and friends, not by the kernel */
	pid_t pid;            /* the sender, when from_process */
};

/* Takes the oldest signal not handled yet: 1 with *s filled, 0 if none. */
int sk_signal_take(struct sk_sig *s);

/* Readable while signals wait to be taken (a self-pipe), -1 before setup. */
int sk_signal_fd(void);

enum sk_sig_action {
	SK_SIG_IGNORE,        /* nothing to do (the program has its own copy) */
	SK_SIG_FORWARD,       /* send it to the program */
	SK_SIG_END,           /* end the run: kill the traced tree */
};

/*
 * What a received signal does to a run that launched the program: a
 * process's signal is forwarded; the second INT or TERM (from anyone), or
 * one after the program exited, ends the run.  *ends counts the INT and
 * TERM signals seen so far.  Pure.
 */
enum sk_sig_action sk_signal_action(const struct sk_sig *s, bool program_alive,
				    int *ends);

/*
 * Runs the program with a NOTIFY filter and answers every notification
 * with CONTINUE, recording it, until every task under the filter is gone.
 * 0 with res filled; -EBUSY (a listener already exists up the filter
 * chain), -ENOSYS or -EPERM mean "use ptrace instead" and nothing ran.
 */
int sk_notify_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		  struct sk_err *err);

/* True when this kernel offers user notification and pidfd_getfd. */
bool sk_notify_available(struct sk_err *why);

/*
 * Runs the program (or attaches to o->pids) under ptrace and records until
 * every traced task is gone.  0 with res filled, or a negative errno with
 * err filled when tracing could not start (nothing was run then, or the
 * launched program was killed).
 */
int sk_ptrace_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		  struct sk_err *err);

/*
 * Runs the program (or watches o->pids, without stopping them) while an
 * eBPF program counts the tree's calls in the kernel; the maps are read
 * into o->rec once, at the end.  0 with res filled; -EOPNOTSUPP means the
 * backend cannot work here (err says why: not root, built without it, the
 * kernel's arch check failed...) and nothing ran; other negative errnos
 * are failures of the run.
 */
int sk_ebpf_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		struct sk_err *err);

/* True when the bpf backend was built and may load here (privileges, BTF). */
bool sk_ebpf_available(struct sk_err *why);

#endif
