/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_APPLY_H
#define SCMPKIT_APPLY_H

#include <stdbool.h>
#include <seccomp.h>

/* Exit codes of our own failures, as env(1) and timeout(1) use them. */
#define APPLY_EXIT_FAIL 125        /* bad usage, bad profile, load failure */
#define APPLY_EXIT_CANNOT_EXEC 126 /* found but cannot be executed */
#define APPLY_EXIT_NOTFOUND 127

/*
 * Sets no_new_privs, loads ctx and execs path (through execveat when the
 * filter denies execve but allows execveat).  Returns only on failure, with
 * the exit code to use; the message is printed.
 */
int apply_exec(scmp_filter_ctx ctx, const char *path, char **argv,
	       bool via_execveat);

/*
 * Writes the filter as "bpf" (raw sock_filter array, as bwrap --seccomp FD
 * reads it) or "pfc" (libseccomp's text form) to path ("-" = stdout).
 * 0, or -1 after printing why.
 */
int apply_export(scmp_filter_ctx ctx, const char *format, const char *path);

struct sk_profile;

/*
 * --complain FILE: runs argv under p with every call p would deny notified
 * and continued instead (the baseline filter), and writes those calls to
 * file in trace.json format.  Returns the exit code (the program's own),
 * or dies of the program's signal; our failures print why and return 125.
 */
int apply_complain(const struct sk_profile *p, const char *path, char **argv,
		   const char *file, bool quiet);

#endif
