/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_EXEC_H
#define SCMPKIT_EXEC_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "scmpkit/err.h"
#include "scmpkit/filter.h"
#include "scmpkit/profile.h"

/*
 * Starting a program under a filter, as scmp-apply does: the checks before
 * the load (exec_check.c, pure), and the load and exec (exec_sys.c).
 */

/*
 * The six syscall arguments of the exec sk_exec_run makes (execve, or
 * execveat with AT_FDCWD and flags 0): the real pointers of path, argv and
 * environ, zeros in the unused registers.  What the filter sees, so the
 * filter is run on exactly this call before it is loaded.  path and argv
 * may be NULL when only the values that are no pointers are wanted.
 */
void sk_exec_args(const char *path, char **argv, bool via_execveat,
		  uint64_t args[6]);

/* Which of those arguments are pointers (bit i: args[i]): the rest are
 * the same for every program, known even before one is named. */
unsigned sk_exec_pointer_args(bool via_execveat);

/*
 * Whether ctx lets through the exec that starts the program.  With path
 * (running): the filter runs on the very execve, or execveat, sk_exec_run
 * makes, real pointers included; *via_execveat says which to use.  Without
 * (--check): with the flags passed and every value of the pointers (path,
 * argv, envp), which are not known yet; refused unless some exec gets
 * through whatever the pointers.  A profile that allows no exec at all is
 * only a warning for --check (it loads, and a runtime that execs before the
 * load can use it).  0, or -EPERM (or the export's errno) with err filled.
 */
int sk_exec_check(scmp_filter_ctx ctx, const char *file, const char *path,
		  char **argv, bool *via_execveat, struct sk_warn *warn,
		  struct sk_err *err);

/* -EINVAL with err filled when an active rule or the default is
 * SCMP_ACT_NOTIFY, which needs a supervisor scmp-apply does not run. */
int sk_exec_refuse_notify(const struct sk_profile *p, const struct sk_filter_opts *fo,
			  struct sk_err *err);

/* Sets no_new_privs and loads ctx.  0, or -errno with err filled. */
int sk_exec_load(scmp_filter_ctx ctx, struct sk_err *err);

/*
 * Restricts the calling thread to the Landlock ruleset in the file landlock
 * (NULL: none; strict and the warnings as sk_landlock_enforce_file), then
 * as sk_exec_load.  0, or -errno with err filled.
 */
int sk_exec_confine(scmp_filter_ctx ctx, const char *landlock, bool strict,
		    struct sk_warn *warn, struct sk_err *err);

/*
 * Execs path with sk_exec_args's values, through execveat when asked.
 * Returns only on failure: -errno (the filter is loaded: the caller's
 * report of it may itself be denied).
 */
int sk_exec_run(const char *path, char **argv, bool via_execveat);

#endif
