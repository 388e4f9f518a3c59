/* SPDX-License-Identifier: MIT */
/*
 * The kernel-touching end of scmp-apply: no_new_privs, seccomp_load, exec.
 * Everything that can fail for a reason the user can fix (program lookup,
 * profile errors, a filter that would stop our own execve) is checked
 * before this runs; after the load nothing but the exec happens.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "apply.h"

extern char **environ;

int apply_exec(scmp_filter_ctx ctx, const char *path, char **argv,
	       bool via_execveat)
{
	int ret, e;

	/* Lets an unprivileged process load a filter; exec cannot gain privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "scmp-apply: cannot set no_new_privs: %s\n",
			strerror(errno));
		return APPLY_EXIT_FAIL;
	}
	ret = seccomp_load(ctx);
	if (ret < 0) {
		fprintf(stderr, "scmp-apply: cannot load the filter: %s\n",
			strerror(-ret));
		return APPLY_EXIT_FAIL;
	}
	if (via_execveat)
		syscall(SYS_execveat, AT_FDCWD, path, argv, environ, 0);
	else
		execve(path, argv, environ);
	/* The filter is in place: the report may itself be denied. */
	e = errno;
	fprintf(stderr, "scmp-apply: %s: %s\n", argv[0], strerror(e));
	return e == ENOENT ? APPLY_EXIT_NOTFOUND : APPLY_EXIT_CANNOT_EXEC;
}
