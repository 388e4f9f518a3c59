/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_RESOLVE_H
#define SCMPKIT_RESOLVE_H

#include "scmpkit/err.h"

/*
 * Finds the file execve would run for name, as env(1) does: a name with a
 * slash is taken as is, else it is searched in $PATH (default
 * /usr/local/bin:/usr/bin:/bin).  0 with *path allocated (free()), -ENOENT
 * when nothing is found, -EACCES when found but not executable (a directory
 * included); err says "NAME: No such file or directory" and the like.
 */
int sk_resolve_program(const char *name, char **path, struct sk_err *err);

#endif
