/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_CTR_FILES_H
#define SCMPKIT_CTR_FILES_H

#include <stddef.h>

#include "scmpkit/err.h"

/*
 * Copies of what a container executed (lib-private; ctr_files.c, used by
 * containers.c): the executables its trace names, a script's "#!"
 * interpreter, each ELF file's PT_INTERP and the DT_NEEDED libraries ld.so
 * would load (elf_read.h's search order, read in the container's tree),
 * taken from the container's root while it can still be read and kept
 * under a directory at their paths in the container, where scmp-gen's
 * static analysis reads them (gen_static.h) instead of the host's files
 * at the same paths.  The container's tree is hostile: every file is
 * opened inside it (sk_open_in_root), only regular files of bounded size
 * are copied, and nothing is followed out of it.
 */

#define SK_CTR_FILES_MAX 1024            /* files copied for one container */
#define SK_CTR_FILE_MAX ((long)512 << 20) /* the largest file copied */

struct sk_ctr_files_stats {
	size_t copied;      /* files copied now (a file already there is kept) */
	size_t kept;        /* already there from an earlier copy */
	size_t failed;      /* executables or libraries that could not be copied */
};

/*
 * Copies the n executables exes (paths in the container) and what they
 * load from the tree at root_fd into dest (created).  Each file that
 * cannot be copied is a warning naming it; 0 with *st filled, or a
 * negative errno with err filled when dest cannot be made or on ENOMEM.
 */
int sk_ctr_copy_files(int root_fd, char *const *exes, size_t n, const char *dest,
		      struct sk_ctr_files_stats *st, struct sk_warn *warn, struct sk_err *err);

#endif
