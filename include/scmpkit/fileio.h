/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_FILEIO_H
#define SCMPKIT_FILEIO_H

#include <stddef.h>

#include "scmpkit/err.h"

/*
 * Every tool's inputs and outputs (SECURITY.md, "The tools themselves").
 * Inputs are read whole but bounded.  Outputs are a new file renamed over
 * the name: a symbolic link there is replaced, never written through, and
 * refused when another user planted it in a shared (sticky, world-writable)
 * directory; a FIFO, socket or block device there is refused.  "-",
 * /dev/stdout and /dev/stderr are the streams, and a character device
 * (/dev/null) is written in place.
 */

/* The most an input may hold: far above Docker's default profile (under
 * 30 KB) and a 100 MB trace; /dev/zero stops here, not at the OOM killer. */
#define SK_READ_MAX ((size_t)256 << 20)

/*
 * Reads a whole file ("-" is stdin) of at most SK_READ_MAX bytes; allocated,
 * NUL-terminated.  0, or a negative errno (-EFBIG past the bound) with err
 * naming the file.
 */
int sk_read_file(const char *path, char **text, size_t *len,
		 struct sk_err *err);

/* As sk_read_file with a bound of max bytes. */
int sk_read_file_max(const char *path, size_t max, char **text, size_t *len,
		     struct sk_err *err);

/*
 * Whether path can be written as sk_write_atomic writes it, checked without
 * writing: its directory exists and is writable, and what is there now is
 * not refused (see above).  1 when it is written in place (a stream, a
 * character device), 0 when a new file will replace it, or a negative errno
 * with err naming path.
 */
int sk_output_check(const char *path, struct sk_err *err);

/*
 * Refuses an output that is the same file as one of inputs[0..n) ("-" is
 * stdin), so writing it would destroy what was read.  0 or -EINVAL.
 */
int sk_output_not_input(const char *path, char *const *inputs, size_t n,
			struct sk_err *err);

/*
 * Every output a run will write, checked before anything is read:
 * outs[0..n_outs) (NULL entries skipped) each as sk_output_check, and
 * none one of inputs[0..n_in) (sk_output_not_input).  0, or the first
 * failure's negative errno with err naming that output.
 */
int sk_outputs_check(const char *const *outs, size_t n_outs, char *const *inputs,
		     size_t n_in, struct sk_err *err);

/*
 * Writes text to path: a temporary file next to it, fsync, rename over the
 * name (so an interrupted run leaves the old file), after the checks of
 * sk_output_check.  0 or a negative errno with err naming path.
 */
int sk_write_atomic(const char *path, const char *text, size_t len,
		    struct sk_err *err);

/*
 * root joined with path taken lexically ("." and ".." resolved, never
 * above root; no symbolic link followed), into out of len bytes: where a
 * copy of the file at path in a container's tree is kept under root.
 * root NULL or "" gives the normalised path alone.  0, or -ENAMETOOLONG.
 */
int sk_path_under(const char *root, const char *path, char *out, size_t len);

/*
 * Opens path (absolute or not) resolved inside the tree at root_fd as if
 * root_fd were "/" (openat2 RESOLVE_IN_ROOT, no magic links): a symbolic
 * link in a container's tree cannot lead out of it.  The fd, or a negative
 * errno (-ENOSYS before Linux 5.6).
 */
int sk_open_in_root(int root_fd, const char *path, int flags);

#endif
