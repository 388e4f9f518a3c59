/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_PATHKNOW_H
#define SCMPKIT_PATHKNOW_H

#include <stdint.h>

/*
 * Which calls name a path or a TCP port, and what Landlock access each
 * needs (issue 26): the tracer's table for recording paths
 * (pathrec_sys.c), pure.  One row per name as libseccomp spells it.
 */

enum sk_path_op {
	SK_PO_LOOK = 1, /* stat family, access, readlink, chdir: no right */
	SK_PO_OPEN,     /* the flags at .flags: the access mode, O_CREAT... */
	SK_PO_OPENAT2,  /* the flags in struct open_how at .flags */
	SK_PO_CREAT,
	SK_PO_EXEC,
	SK_PO_MKDIR,
	SK_PO_MKNOD,    /* the file type in the mode at .flags */
	SK_PO_UNLINK,   /* unlinkat: AT_REMOVEDIR at .flags */
	SK_PO_RMDIR,
	SK_PO_RENAME,   /* the first path leaves, the second arrives */
	SK_PO_LINK,     /* the second path is made */
	SK_PO_SYMLINK,  /* the path is made as a symbolic link */
	SK_PO_TRUNCATE,
	SK_PO_NET,      /* bind or connect: the sockaddr at .path */
};

/* No argument in that role. */
#define SK_PK_NONE (-1)

struct sk_pathspec {
	const char *name;
	enum sk_path_op op;
	int8_t dirfd;        /* the directory fd of path (SK_PK_NONE: the cwd) */
	int8_t path;         /* the path (for SK_PO_NET: the sockaddr) */
	int8_t dirfd2;       /* a second path: rename's and link's target */
	int8_t path2;
	int8_t flags;        /* open flags, mode or AT_* flags, or SK_PK_NONE */
	int8_t at_flags;     /* AT_EMPTY_PATH may be here (SK_PK_NONE: never) */
	uint64_t net;        /* SK_PO_NET: SK_LL_NET_BIND_TCP or _CONNECT_TCP */
	const char *why;
};

/* The row of name, or NULL when the call names no path or port. */
const struct sk_pathspec *sk_pathspec_find(const char *name);

/* The whole table, sorted by name; *n gets its length. */
const struct sk_pathspec *sk_pathspec_table(unsigned *n);

/*
 * The Landlock rights (SK_LL_FS_*) a call of spec needs for its path
 * (second: its second path), given its flags value (args[flags], or
 * open_how.flags for openat2) and whether the path is a directory.  The
 * make, remove and refer rights are checked by the kernel on the
 * directory the entry is in: they are returned here for the entry, and
 * placed on its directory by the generator.
 */
uint64_t sk_path_access(const struct sk_pathspec *spec, int second,
			uint64_t flags);

struct sk_pathrec;

/* The row for call nr of arch in a path table (pathrec.c), or NULL: the
 * lookup on the per-call path, from a table built in sk_pathrec_new. */
const struct sk_pathspec *sk_pathrec_spec(const struct sk_pathrec *pr,
					  uint32_t arch, int nr);

#endif
