/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_APPLY_H
#define SCMPKIT_APPLY_H

#include <stdbool.h>
#include <stdint.h>
#include <seccomp.h>

#include "scmpkit/exit_like.h"

/* Exit codes of our own failures, as env(1) and timeout(1) use them. */
#define APPLY_EXIT_FAIL SK_EXIT_FAIL /* bad usage, bad profile, load failure */
#define APPLY_EXIT_CANNOT_EXEC SK_EXIT_CANNOT_EXEC
#define APPLY_EXIT_NOTFOUND SK_EXIT_NOTFOUND

/*
 * The six syscall arguments of the exec apply_exec makes (execve, or
 * execveat with AT_FDCWD and flags 0): the real pointers of path, argv and
 * environ, zeros in the unused registers.  What the filter sees, so the
 * filter is run on exactly this call before it is loaded.  path and argv
 * may be NULL when only the values that are no pointers are wanted.
 */
void apply_exec_args(const char *path, char **argv, bool via_execveat,
		     uint64_t args[6]);

/* Which of those arguments are pointers (bit i: args[i]): the rest are
 * the same for every program, known even before one is named. */
unsigned apply_exec_pointer_args(bool via_execveat);

/*
 * Sets no_new_privs, loads ctx and execs path (through execveat when the
 * filter denies execve but allows execveat) with apply_exec_args's values.
 * Returns only on failure, with the exit code to use; the message is
 * printed.
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
