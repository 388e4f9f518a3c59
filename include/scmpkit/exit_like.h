/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_EXIT_LIKE_H
#define SCMPKIT_EXIT_LIKE_H

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "scmpkit/tracer.h"

/*
 * The exit statuses of the tools' own failures, the one rule README.md's
 * "Exit status" states and tests/e2e/test_exit_codes.sh checks.  The two
 * tools that run a program (scmp-trace, scmp-apply) use env(1)'s codes, so
 * that any other status is the program's; scmp-gen runs nothing and uses
 * the compilers' 1 and 2.
 */
#define SK_EXIT_FAIL 125        /* bad usage, bad input, our own failure */
#define SK_EXIT_CANNOT_EXEC 126 /* the program was found, cannot be run */
#define SK_EXIT_NOTFOUND 127    /* the program was not found */
#define SK_EXIT_GEN_BAD_INPUT 1 /* scmp-gen: bad input, our own failure */
#define SK_EXIT_GEN_USAGE 2     /* scmp-gen: bad usage */

/*
 * The drift gates, for CI: scmp-gen --diff exits as diff(1) does (0 the
 * same, 1 different, 2 trouble: bad input or usage); scmp-apply --check
 * --trace exits 0 when the profile allows every recorded call, 1 when it
 * denies (or may deny) one, and 125 for its own failures as ever.
 */
#define SK_EXIT_DIFFERS 1       /* a difference, or a denial */
#define SK_EXIT_DIFF_TROUBLE 2  /* scmp-gen --diff: bad input or usage */

/*
 * For the tools' main.c only (the core never exits): dies of sig as the
 * program did, without a core file of our own, so a shell sees 128+N.
 */
static inline void sk_die_of(int sig)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t set;

	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	exit(128 + sig);
}

/*
 * The status of a run that could not start, from the negative errno of
 * sk_resolve_program or of a recording's start (record.h): 127 not found
 * (-ENOENT), 126 found but cannot be run (-EACCES, -ENOEXEC), else 125.
 */
int sk_exit_of_start(int err);

/*
 * The status when execve itself failed (the program was found): 127 for
 * -ENOENT (an interpreter missing), else 126, as env(1).
 */
int sk_exit_of_exec(int err);

/*
 * For the tools' main.c only: the status of a finished run, the program's
 * own code, or it dies of the program's signal (sk_die_of).  A launched
 * program whose status is unknown is a failure (125), never 0; processes
 * attached to (-p) leave no status to give: 0.
 */
static inline int sk_exit_of_run(const struct sk_tracer_result *res, bool attached)
{
	if (!res->has_exit)
		return attached ? 0 : SK_EXIT_FAIL;
	if (res->exit_signal)
		sk_die_of(res->exit_signal);
	return res->exit_code;
}

#endif
