/* SPDX-License-Identifier: MIT */
/*
 * A path or port call's reading (pathrec.h): the string or sockaddr from
 * the tracee's memory (process_vm_readv), a relative path resolved
 * through /proc/TID/cwd or /proc/TID/fd/DIRFD, a new path stat'ed, a
 * socket's type asked through pidfd_getfd.  Fixed buffers on the stack:
 * nothing is allocated or formatted into the trace per call.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "scmpkit/landlock.h"
#include "scmpkit/pathrec.h"
#include "pathknow.h"

#define BUF (PATH_MAX * 2 + 64)   /* a base, a relative path, /proc/self */

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* The NUL-terminated string at addr into buf, page by page (a string
 * ending just before an unmapped page is still read).  0 or -1. */
static int read_str(pid_t tid, uint64_t addr, char *buf, size_t len)
{
	size_t got = 0;

	while (got + 1 < len) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		struct iovec l = { buf + got, 0 }, r = { (void *)(uintptr_t)(addr + got), 0 };
		ssize_t n;

		if (chunk > len - 1 - got)
			chunk = len - 1 - got;
		l.iov_len = r.iov_len = chunk;
		n = process_vm_readv(tid, &l, 1, &r, 1, 0);
		if (n <= 0)
			return -1;
		if (memchr(buf + got, 0, (size_t)n))
			return 0;
		got += (size_t)n;
	}
	return -1;
}

/* The directory a relative path starts from: the cwd, or dirfd's path. */
static ssize_t base_of(pid_t tid, int dirfd, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	if (dirfd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", (int)tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, dirfd);
	n = readlink(link, buf, len - 1);
	if (n <= 0 || buf[0] != '/')
		return -1;      /* gone, or not a path (pipe:[...], anon_inode) */
	buf[n] = 0;
	return n;
}

/* The absolute path of a call's path argument into out.  0 or -1. */
static int full_path(pid_t tid, const uint64_t args[6], int dirfd_idx,
		     int path_idx, int empty_ok, char *out)
{
	char rel[PATH_MAX];
	int dirfd = dirfd_idx == SK_PK_NONE ? AT_FDCWD : (int)args[dirfd_idx];
	ssize_t n;

	if (read_str(tid, args[path_idx], rel, sizeof(rel)))
		return -1;
	if (rel[0] == '/') {
		memcpy(out, rel, strlen(rel) + 1);
		return 0;
	}
	if (!rel[0] && (!empty_ok || dirfd == AT_FDCWD))
		return -1;      /* an fd's own stat: nothing named */
	n = base_of(tid, dirfd, out, PATH_MAX);
	if (n < 0)
		return -1;
	out[n] = '/';
	memcpy(out + n + 1, rel, strlen(rel) + 1);
	return 0;
}

static enum sk_path_kind kind_of(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return errno == ENOENT || errno == ENOTDIR ? SK_PATH_MISSING : SK_PATH_UNKNOWN;
	if (S_ISREG(st.st_mode))
		return SK_PATH_FILE;
	if (S_ISDIR(st.st_mode))
		return SK_PATH_DIR;
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		return SK_PATH_DEVICE;
	return SK_PATH_OTHER;
}

static void one_path(struct sk_pathrec *pr, pid_t tid, const struct sk_pathspec *s,
		     const uint64_t args[6], int second, uint64_t flags, int exe)
{
	char path[BUF];
	int empty_ok = !second && s->at_flags != SK_PK_NONE && s->op != SK_PO_LOOK &&
		       (args[s->at_flags] & AT_EMPTY_PATH);
	bool is_new;
	int idx;

	if (full_path(tid, args, second ? s->dirfd2 : s->dirfd, second ? s->path2 : s->path,
		      empty_ok, path))
		return;
	sk_path_normalize(path, tid);
	idx = sk_pathrec_add(pr, path, sk_path_access(s, second, flags), exe, &is_new);
	if (idx >= 0 && is_new)
		sk_pathrec_kind(pr, idx, kind_of(path));
}

/* Whether fd of tid is a TCP socket: 1, 0, or -1 when it cannot be asked. */
static int is_tcp(pid_t tid, int fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD), sfd, type = 0, proto = 0;
	socklen_t len = sizeof(int);

	if (pfd < 0)
		pfd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (pfd < 0)
		return -1;
	sfd = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	if (sfd < 0)
		return -1;
	if (getsockopt(sfd, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    getsockopt(sfd, SOL_SOCKET, SO_PROTOCOL, &proto, &len))
		type = -1;
	close(sfd);
	if (type < 0)
		return -1;
	return type == SOCK_STREAM && (proto == IPPROTO_TCP || proto == 262 /* MPTCP */);
}

static void one_port(struct sk_pathrec *pr, pid_t tid, const struct sk_pathspec *s,
		     const uint64_t args[6])
{
	uint16_t sa[2];         /* family, port (network order) */
	struct iovec l = { sa, sizeof(sa) }, r = { (void *)(uintptr_t)args[s->path], sizeof(sa) };

	if (args[2] < sizeof(sa) || process_vm_readv(tid, &l, 1, &r, 1, 0) != sizeof(sa))
		return;
	if (sa[0] != AF_INET && sa[0] != AF_INET6)
		return;
	if (is_tcp(tid, (int)args[0]) == 0)
		return;
	sk_pathrec_port(pr, ntohs(sa[1]), s->net);
}

void sk_pathrec_call(struct sk_pathrec *pr, pid_t tid, uint32_t arch, int nr,
		     const uint64_t args[6], int exe)
{
	const struct sk_pathspec *s = sk_pathrec_spec(pr, arch, nr);
	uint64_t flags = 0;

	if (!s)
		return;
	if (s->op == SK_PO_NET) {
		one_port(pr, tid, s, args);
		return;
	}
	if (s->op == SK_PO_OPENAT2) {
		struct iovec l = { &flags, sizeof(flags) },
			     r = { (void *)(uintptr_t)args[s->flags], sizeof(flags) };

		if (process_vm_readv(tid, &l, 1, &r, 1, 0) != sizeof(flags))
			flags = 0;
	} else if (s->flags != SK_PK_NONE) {
		flags = args[s->flags];
	}
	one_path(pr, tid, s, args, 0, flags, exe);
	if (s->path2 != SK_PK_NONE)
		one_path(pr, tid, s, args, 1, flags, exe);
}
