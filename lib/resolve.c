/* SPDX-License-Identifier: MIT */
/* Program lookup before anything runs (resolve.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmpkit/resolve.h"

/* 0 if path is an executable regular file, else a negative errno. */
static int check_exec(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (access(path, X_OK) < 0)
		return -errno;
	return 0;
}

int sk_resolve_program(const char *name, char **path, struct sk_err *err)
{
	const char *search = getenv("PATH");
	int seen_eacces = 0, ret;
	char *dirs, *next, *dir, *cand;

	if (!*name)
		return sk_err_set(err, ENOENT, "'': No such file or directory");
	if (strchr(name, '/')) {
		ret = check_exec(name);
		if (ret)
			return sk_err_set(err, ret == -ENOENT ? ENOENT : EACCES,
					  "%s: %s", name, strerror(-ret));
		*path = strdup(name);
		return *path ? 0 : -ENOMEM;
	}
	dirs = strdup(search && *search ? search : "/usr/local/bin:/usr/bin:/bin");
	if (!dirs)
		return -ENOMEM;
	/* strsep keeps empty entries, which mean the current directory to
	 * execvp(3), and so here. */
	for (next = dirs; (dir = strsep(&next, ":"));) {
		if (asprintf(&cand, "%s/%s", *dir ? dir : ".", name) < 0) {
			free(dirs);
			return -ENOMEM;
		}
		ret = check_exec(cand);
		if (!ret) {
			free(dirs);
			*path = cand;
			return 0;
		}
		if (ret != -ENOENT && ret != -ENOTDIR)
			seen_eacces = 1;
		free(cand);
	}
	free(dirs);
	if (seen_eacces)
		return sk_err_set(err, EACCES, "%s: Permission denied", name);
	return sk_err_set(err, ENOENT, "%s: No such file or directory", name);
}
