/* SPDX-License-Identifier: MIT */
/*
 * The calls that name a path or a TCP port, and the Landlock access each
 * needs (pathknow.h).  Rights per Documentation/userspace-api/landlock.rst:
 * opening checks read_file, read_dir, write_file and truncate (O_TRUNC) on
 * the file; making and removing an entry checks make_* and remove_* on its
 * directory; exec checks execute.  stat, access, readlink and chdir need
 * no right: they are recorded as looks, evidence of what a program names.
 */
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "scmpkit/landlock.h"
#include "pathknow.h"

#define N SK_PK_NONE

/* Sorted by name; positions as on x86_64 and the generic table. */
static const struct sk_pathspec table[] = {
	{ .name = "access", .op = SK_PO_LOOK, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "checks a path" },
	{ .name = "bind", .op = SK_PO_NET, .dirfd = N, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .net = SK_LL_NET_BIND_TCP, .why = "binds a port" },
	{ .name = "chdir", .op = SK_PO_LOOK, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "enters a directory" },
	{ .name = "connect", .op = SK_PO_NET, .dirfd = N, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .net = SK_LL_NET_CONNECT_TCP, .why = "connects to a port" },
	{ .name = "creat", .op = SK_PO_CREAT, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "makes or truncates a file" },
	{ .name = "execve", .op = SK_PO_EXEC, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "executes a file" },
	{ .name = "execveat", .op = SK_PO_EXEC, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = 4, .why = "executes a file" },
	{ .name = "faccessat", .op = SK_PO_LOOK, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "checks a path" },
	{ .name = "faccessat2", .op = SK_PO_LOOK, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = 3, .why = "checks a path" },
	{ .name = "link", .op = SK_PO_LINK, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = 1, .flags = N, .at_flags = N, .why = "makes a hard link" },
	{ .name = "linkat", .op = SK_PO_LINK, .dirfd = 0, .path = 1, .dirfd2 = 2, .path2 = 3, .flags = N, .at_flags = 4, .why = "makes a hard link" },
	{ .name = "lstat", .op = SK_PO_LOOK, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "stats a path" },
	{ .name = "mkdir", .op = SK_PO_MKDIR, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "makes a directory" },
	{ .name = "mkdirat", .op = SK_PO_MKDIR, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "makes a directory" },
	{ .name = "mknod", .op = SK_PO_MKNOD, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = 1, .at_flags = N, .why = "makes a node" },
	{ .name = "mknodat", .op = SK_PO_MKNOD, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = 2, .at_flags = N, .why = "makes a node" },
	{ .name = "newfstatat", .op = SK_PO_LOOK, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = 3, .why = "stats a path" },
	{ .name = "open", .op = SK_PO_OPEN, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = 1, .at_flags = N, .why = "opens a path" },
	{ .name = "openat", .op = SK_PO_OPEN, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = 2, .at_flags = N, .why = "opens a path" },
	{ .name = "openat2", .op = SK_PO_OPENAT2, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = 2, .at_flags = N, .why = "opens a path" },
	{ .name = "readlink", .op = SK_PO_LOOK, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "reads a symbolic link" },
	{ .name = "readlinkat", .op = SK_PO_LOOK, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "reads a symbolic link" },
	{ .name = "rename", .op = SK_PO_RENAME, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = 1, .flags = N, .at_flags = N, .why = "renames an entry" },
	{ .name = "renameat", .op = SK_PO_RENAME, .dirfd = 0, .path = 1, .dirfd2 = 2, .path2 = 3, .flags = N, .at_flags = N, .why = "renames an entry" },
	{ .name = "renameat2", .op = SK_PO_RENAME, .dirfd = 0, .path = 1, .dirfd2 = 2, .path2 = 3, .flags = 4, .at_flags = N, .why = "renames an entry" },
	{ .name = "rmdir", .op = SK_PO_RMDIR, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "removes a directory" },
	{ .name = "stat", .op = SK_PO_LOOK, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "stats a path" },
	{ .name = "statfs", .op = SK_PO_LOOK, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "stats a file system" },
	{ .name = "statx", .op = SK_PO_LOOK, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = 2, .why = "stats a path" },
	{ .name = "symlink", .op = SK_PO_SYMLINK, .dirfd = N, .path = 1, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "makes a symbolic link" },
	{ .name = "symlinkat", .op = SK_PO_SYMLINK, .dirfd = 1, .path = 2, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "makes a symbolic link" },
	{ .name = "truncate", .op = SK_PO_TRUNCATE, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "truncates a file" },
	{ .name = "unlink", .op = SK_PO_UNLINK, .dirfd = N, .path = 0, .dirfd2 = N, .path2 = N, .flags = N, .at_flags = N, .why = "removes a file" },
	{ .name = "unlinkat", .op = SK_PO_UNLINK, .dirfd = 0, .path = 1, .dirfd2 = N, .path2 = N, .flags = 2, .at_flags = N, .why = "removes an entry" },
};

#undef N

const struct sk_pathspec *sk_pathspec_table(unsigned *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const struct sk_pathspec *sk_pathspec_find(const char *name)
{
	size_t lo = 0, hi = sizeof(table) / sizeof(table[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, table[mid].name);

		if (!c)
			return &table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* open's flags: the access mode, O_DIRECTORY, O_TRUNC, O_CREAT; O_PATH
 * opens check nothing. */
static uint64_t open_access(uint64_t flags)
{
	uint64_t a;

	if (flags & O_PATH)
		return 0;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		a = (flags & O_DIRECTORY) ? SK_LL_FS_READ_DIR : SK_LL_FS_READ_FILE;
		break;
	case O_WRONLY:
		a = SK_LL_FS_WRITE_FILE;
		break;
	default:
		a = SK_LL_FS_READ_FILE | SK_LL_FS_WRITE_FILE;
	}
	if (flags & O_TRUNC)
		a |= SK_LL_FS_TRUNCATE;
	if (flags & O_CREAT)
		a |= SK_LL_FS_MAKE_REG;
	return a;
}

static uint64_t mknod_access(uint64_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFCHR:
		return SK_LL_FS_MAKE_CHAR;
	case S_IFBLK:
		return SK_LL_FS_MAKE_BLOCK;
	case S_IFIFO:
		return SK_LL_FS_MAKE_FIFO;
	case S_IFSOCK:
		return SK_LL_FS_MAKE_SOCK;
	default:
		return SK_LL_FS_MAKE_REG;
	}
}

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

uint64_t sk_path_access(const struct sk_pathspec *spec, int second,
			uint64_t flags)
{
	switch (spec->op) {
	case SK_PO_OPEN:
	case SK_PO_OPENAT2:
		return open_access(flags);
	case SK_PO_CREAT:
		return SK_LL_FS_WRITE_FILE | SK_LL_FS_TRUNCATE | SK_LL_FS_MAKE_REG;
	case SK_PO_EXEC:
		return SK_LL_FS_EXECUTE;
	case SK_PO_MKDIR:
		return SK_LL_FS_MAKE_DIR;
	case SK_PO_MKNOD:
		return mknod_access(flags);
	case SK_PO_UNLINK:
		return (spec->flags != SK_PK_NONE && (flags & AT_REMOVEDIR)) ?
		       SK_LL_FS_REMOVE_DIR : SK_LL_FS_REMOVE_FILE;
	case SK_PO_RMDIR:
		return SK_LL_FS_REMOVE_DIR;
	case SK_PO_RENAME:
		if (spec->flags != SK_PK_NONE && (flags & RENAME_EXCHANGE))
			return SK_LL_FS_REMOVE_FILE | SK_LL_FS_MAKE_REG;
		return second ? SK_LL_FS_MAKE_REG : SK_LL_FS_REMOVE_FILE;
	case SK_PO_LINK:
		return second ? SK_LL_FS_MAKE_REG : 0;
	case SK_PO_SYMLINK:
		return SK_LL_FS_MAKE_SYM;
	case SK_PO_TRUNCATE:
		return SK_LL_FS_TRUNCATE;
	default:
		return 0;
	}
}
