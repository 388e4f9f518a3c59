/* SPDX-License-Identifier: MIT */
/*
 * The kernel-touching end of scmp-apply: no_new_privs, seccomp_load, exec.
 * Everything that can fail for a reason the user can fix (program lookup,
 * profile errors, a filter that would stop our own execve) is checked
 * before this runs; after the load nothing but the exec happens, with the
 * very argument values the filter was run on (sk_exec_args).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scmpkit/exec.h"
#include "scmpkit/landlock.h"

extern char **environ;

/* Registers hold unsigned longs: a 32-bit arch's are zero-extended. */
#define REG(x) ((uint64_t)(unsigned long)(x))

void sk_exec_args(const char *path, char **argv, bool via_execveat,
		     uint64_t args[6])
{
	if (via_execveat) {
		/* execveat(AT_FDCWD, path, argv, envp, 0) */
		args[0] = REG((long)AT_FDCWD);
		args[1] = REG(path);
		args[2] = REG(argv);
		args[3] = REG(environ);
		args[4] = 0;
		args[5] = 0;
	} else {
		/* execve(path, argv, envp), and zeros where libc's wrapper
		 * would leave whatever the registers held */
		args[0] = REG(path);
		args[1] = REG(argv);
		args[2] = REG(environ);
		args[3] = args[4] = args[5] = 0;
	}
}

unsigned sk_exec_pointer_args(bool via_execveat)
{
	return via_execveat ? 0xe : 0x7;
}

int sk_exec_load(scmp_filter_ctx ctx, struct sk_err *err)
{
	int ret;

	/* Lets an unprivileged process load a filter; exec cannot gain privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sk_err_set(err, errno, "cannot set no_new_privs: %s", strerror(errno));
	ret = seccomp_load(ctx);
	if (ret < 0)
		return sk_err_set(err, -ret, "cannot load the filter: %s", strerror(-ret));
	return 0;
}

int sk_exec_confine(scmp_filter_ctx ctx, const char *landlock, bool strict,
		    struct sk_warn *warn, struct sk_err *err)
{
	int ret = landlock ? sk_landlock_enforce_file(landlock, strict, warn, err) : 0;

	/* Landlock first: the filter may deny its calls. */
	return ret ? ret : sk_exec_load(ctx, err);
}

int sk_exec_run(const char *path, char **argv, bool via_execveat)
{
	uint64_t a[6];

	/* Exactly the six values the filter was run on before the load. */
	sk_exec_args(path, argv, via_execveat, a);
	syscall(via_execveat ? SYS_execveat : SYS_execve, (long)a[0],
		(long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
	return -errno;
}
