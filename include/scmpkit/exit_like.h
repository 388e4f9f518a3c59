/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_EXIT_LIKE_H
#define SCMPKIT_EXIT_LIKE_H

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

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

#endif
