/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_PROCFS_H
#define SCMPKIT_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The few /proc readers the tracers share (lib-private).  Per task, never
 * per call: each opens and reads one small file.
 */

/*
 * Reads the start of path into buf (at most size - 1 bytes, NUL-terminated).
 * Returns the length, or -errno.
 */
ssize_t sk_proc_read(const char *path, char *buf, size_t size);

/* A numeric field of /proc/TID/status ("Tgid", "TracerPid"); -1 if unknown. */
long sk_proc_status(pid_t tid, const char *field);

#endif
