/* SPDX-License-Identifier: MIT */
/* Bounded whole-file reads and atomic writes for every tool (fileio.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "scmpkit/fileio.h"

static int write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The names that mean one of our streams.  /dev/stdout is a symbolic link
 * in /dev: replacing it would break the system for everyone, and following
 * it lands on a pipe or a terminal, so it is the stream it names.
 */
static int stream_fd(const char *path, const char **name)
{
	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout")) {
		*name = "<stdout>";
		return STDOUT_FILENO;
	}
	if (!strcmp(path, "/dev/stderr")) {
		*name = "<stderr>";
		return STDERR_FILENO;
	}
	return -1;
}

/* The directory path is in: "." for a bare name, "/" for "/name". */
static int parent_dir(const char *path, char *dir, size_t size,
		      struct sk_err *err)
{
	char *slash;

	if (strlen(path) >= size)
		return sk_err_set(err, ENAMETOOLONG, "%s: file name too long", path);
	snprintf(dir, size, "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

/*
 * The kernel's protected_symlinks rule, applied to a link we are asked to
 * replace: in a sticky world-writable directory (/tmp) a link owned by
 * neither us nor the directory's owner was planted by another user.  We
 * would only replace it, never follow it, but the caller meant to write the
 * file it names, and an unprivileged rename over it fails with EPERM anyway.
 */
static int check_link(const char *path, const struct stat *link,
		      const struct stat *dir, struct sk_err *err)
{
	if (!(dir->st_mode & S_ISVTX) || !(dir->st_mode & S_IWOTH))
		return 0;
	if (link->st_uid == geteuid() || link->st_uid == dir->st_uid)
		return 0;
	return sk_err_set(err, EACCES,
			  "%s: a symbolic link owned by another user (uid %u) in a sticky world-writable directory; not writing there",
			  path, (unsigned)link->st_uid);
}

/*
 * A symbolic link met on the way to an output's directory, checked as the
 * kernel's protected_symlinks does whatever the sysctl says (check_link:
 * /tmp/x/d -> a victim's directory, planted by another user).
 */
static int check_dir_link(const char *path, int dirfd, const char *name,
			  const struct stat *link, struct sk_err *err)
{
	struct stat dir;

	if (fstat(dirfd, &dir) < 0)
		return sk_err_set(err, errno, "%s: %s", path, strerror(errno));
	if (check_link(path, link, &dir, err) == 0)
		return 0;
	return sk_err_set(err, EACCES,
			  "%s: %s is a symbolic link owned by another user (uid %u) in a sticky world-writable directory; not following it",
			  path, name, (unsigned)link->st_uid);
}

/* rest = the link's target, then what was left of rest; 0 or -errno. */
static int splice_link(int dirfd, const char *name, char *rest, size_t size)
{
	char target[PATH_MAX], tail[PATH_MAX];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

	if (n < 0)
		return -errno;
	target[n] = '\0';
	snprintf(tail, sizeof(tail), "%s", rest);
	if ((size_t)snprintf(rest, size, "%s/%s", target, tail) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* One step of the walk: dirfd moves into name (following a checked link
 * by splicing its target into rest).  0 or a negative errno with err set. */
static int walk_step(const char *path, int *dirfd, const char *name, char *rest,
		     size_t size, int *links, struct sk_err *err)
{
	struct stat st;
	int fd = -1;

	if (fstatat(*dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return sk_err_set(err, errno, "%s: %s: %s", path, name, strerror(errno));
	if (S_ISLNK(st.st_mode)) {
		int ret = check_dir_link(path, *dirfd, name, &st, err);

		if (ret)
			return ret;
		if (++*links > 40)
			return sk_err_set(err, ELOOP, "%s: %s", path, strerror(ELOOP));
		ret = splice_link(*dirfd, name, rest, size);
		if (ret)
			return sk_err_set(err, -ret, "%s: %s: %s", path, name, strerror(-ret));
		if (rest[0] == '/')
			fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		else
			return 0;
	} else {
		fd = openat(*dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return sk_err_set(err, errno, "%s: %s: %s", path, name, strerror(errno));
	close(*dirfd);
	*dirfd = fd;
	return 0;
}

/*
 * Opens dir (an output's directory) component by component, every
 * symbolic link on the way checked (check_dir_link): O_PATH fd in *out,
 * or a negative errno with err set.  The file is then made through that
 * fd, so a link planted after the check is never followed.
 */
static int open_dir_checked(const char *path, const char *dir, int *out,
			    struct sk_err *err)
{
	char rest[PATH_MAX], name[NAME_MAX + 1];
	int fd, links = 0, ret = 0;

	snprintf(rest, sizeof(rest), "%s", dir);
	fd = open(rest[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return sk_err_set(err, errno, "%s: %s", path, strerror(errno));
	while (!ret && rest[0]) {
		size_t skip = strspn(rest, "/"), len = strcspn(rest + skip, "/");

		if (len > NAME_MAX) {
			ret = sk_err_set(err, ENAMETOOLONG, "%s: file name too long", path);
			break;
		}
		memcpy(name, rest + skip, len);
		name[len] = '\0';
		memmove(rest, rest + skip + len, strlen(rest + skip + len) + 1);
		if (len && strcmp(name, "."))
			ret = walk_step(path, &fd, name, rest, sizeof(rest), &links, err);
	}
	if (ret) {
		close(fd);
		return ret;
	}
	*out = fd;
	return 0;
}

static const char *kind_name(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISBLK(mode))
		return "a block device";
	return "a special file";
}

/* What is at path now: nothing, a file to replace, a link to replace (if
 * check_link allows), a character device to write into; else refused. */
static int check_existing(const char *path, int dirfd, const char *base,
			  const struct stat *dir, struct sk_err *err)
{
	struct stat st;

	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : sk_err_set(err, errno, "%s: %s",
							path, strerror(errno));
	if (S_ISREG(st.st_mode))
		return 0;
	if (S_ISLNK(st.st_mode))
		return check_link(path, &st, dir, err);
	if (S_ISCHR(st.st_mode))
		return 1;
	if (S_ISDIR(st.st_mode))
		return sk_err_set(err, EISDIR, "%s: is a directory", path);
	/* A FIFO would block until someone reads it, forever if no one does. */
	return sk_err_set(err, EINVAL, "%s: is %s, not a regular file; not writing to it",
			  path, kind_name(st.st_mode));
}

/* The last component of path ("." never: parent_dir has a file name). */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * The checks of sk_output_check, keeping the directory: *dirfd (O_PATH,
 * close it) when 0 or 1 is returned.
 */
static int output_check_at(const char *path, int *dirfd, struct sk_err *err)
{
	char dir[PATH_MAX];
	struct stat st;
	int ret, fd = -1;

	ret = parent_dir(path, dir, sizeof(dir), err);
	if (ret)
		return ret;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return sk_err_set(err, ENOENT, "%s: directory %s does not exist",
				  path, dir);
	if (!*base_name(path))
		return sk_err_set(err, EISDIR, "%s: is a directory", path);
	ret = open_dir_checked(path, dir, &fd, err);
	if (ret)
		return ret;
	if (fstat(fd, &st) < 0)
		ret = sk_err_set(err, errno, "%s: %s", path, strerror(errno));
	if (!ret)
		ret = check_existing(path, fd, base_name(path), &st, err);
	/* The new file is made in this directory, then renamed. */
	if (ret >= 0 && faccessat(fd, "", W_OK, AT_EACCESS | AT_EMPTY_PATH) < 0 &&
	    faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) < 0)
		ret = sk_err_set(err, errno, "%s: cannot write in %s: %s", path,
				 dir, strerror(errno));
	if (ret < 0) {
		close(fd);
		return ret;
	}
	*dirfd = fd;
	return ret;
}

int sk_output_check(const char *path, struct sk_err *err)
{
	const char *name;
	int fd, ret;

	if (stream_fd(path, &name) >= 0)
		return 1;
	ret = output_check_at(path, &fd, err);
	if (ret >= 0)
		close(fd);
	return ret;
}

int sk_output_not_input(const char *path, char *const *inputs, size_t n,
			struct sk_err *err)
{
	struct stat out, in;
	const char *name;

	/* Only a regular file there is overwritten; a link is replaced. */
	if (stream_fd(path, &name) >= 0 || lstat(path, &out) < 0 ||
	    !S_ISREG(out.st_mode))
		return 0;
	for (size_t i = 0; i < n; i++) {
		bool in_stdin = !strcmp(inputs[i], "-");
		int r = in_stdin ? fstat(STDIN_FILENO, &in) : stat(inputs[i], &in);

		/* An input that cannot be read is reported by its reader. */
		if (r < 0)
			continue;
		if (in.st_dev == out.st_dev && in.st_ino == out.st_ino)
			return sk_err_set(err, EINVAL,
					  "%s: is also an input (%s); not overwriting it",
					  path, in_stdin ? "<stdin>" : inputs[i]);
	}
	return 0;
}

int sk_outputs_check(const char *const *outs, size_t n_outs, char *const *inputs,
		     size_t n_in, struct sk_err *err)
{
	int ret;

	for (size_t i = 0; i < n_outs; i++) {
		if (!outs[i])
			continue;
		ret = sk_output_check(outs[i], err);
		if (ret >= 0)
			ret = sk_output_not_input(outs[i], inputs, n_in, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Writes into an existing character device (/dev/null, /dev/full, a tty);
 * renaming a file over it would replace the device node. */
static int write_device(const char *path, int dirfd, const char *text, size_t len,
			struct sk_err *err)
{
	struct stat st;
	int fd, flags, ret;

	/* O_NONBLOCK: a FIFO swapped in since the check must not block us. */
	fd = openat(dirfd, base_name(path), O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK |
		  O_CLOEXEC);
	if (fd < 0)
		return sk_err_set(err, errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode)) {
		close(fd);
		return sk_err_set(err, EINVAL, "%s: changed while being opened; not writing to it",
				  path);
	}
	flags = fcntl(fd, F_GETFL);
	ret = 0;
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		ret = -errno;
	if (!ret)
		ret = write_all(fd, text, len);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (ret)
		return sk_err_set(err, -ret, "%s: %s", path, strerror(-ret));
	return 0;
}

/*
 * A new file next to path, renamed over it.  This is what makes outputs
 * safe, whatever appears at path after the checks: mkostemp creates with
 * O_EXCL, which never follows a link, and rename replaces the name itself.
 */
/* A new file "BASE.tmp.XXXXXX" in dirfd, made with O_EXCL (never through
 * a link): its fd, with *tmp its name (free it), or -errno. */
static int make_temp(int dirfd, const char *base, char **tmp)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (int i = 0; i < 100; i++) {
		char suffix[7];
		uint64_t r;
		int fd;

		if (getentropy(&r, sizeof(r)) < 0)
			return -errno;
		for (int k = 0; k < 6; k++, r /= 62)
			suffix[k] = set[r % 62];
		suffix[6] = '\0';
		if (asprintf(tmp, "%s.tmp.%s", base, suffix) < 0)
			return -ENOMEM;
		fd = openat(dirfd, *tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
		free(*tmp);
		*tmp = NULL;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static int replace(const char *path, int dirfd, const char *text, size_t len,
		   struct sk_err *err)
{
	const char *base = base_name(path);
	mode_t mask;
	char *tmp = NULL;
	int fd, ret;

	/* Next to path (in the checked directory) so rename() cannot cross
	 * devices. */
	fd = make_temp(dirfd, base, &tmp);
	if (fd < 0) {
		ret = fd;
		sk_err_set(err, -ret, "%s: cannot create a temporary file: %s",
			   path, strerror(-ret));
		free(tmp);
		return ret;
	}
	/* mkstemp makes 0600; a plain file would be 0666 less the umask. */
	mask = umask(0);
	umask(mask);
	ret = write_all(fd, text, len);
	if (!ret && fchmod(fd, 0666 & ~mask) < 0)
		ret = -errno;
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && renameat(dirfd, tmp, dirfd, base) < 0)
		ret = -errno;
	if (ret) {
		unlinkat(dirfd, tmp, 0);
		sk_err_set(err, -ret, "%s: %s", path, strerror(-ret));
	}
	free(tmp);
	return ret;
}

int sk_write_atomic(const char *path, const char *text, size_t len,
		    struct sk_err *err)
{
	const char *name;
	int fd = stream_fd(path, &name), ret;

	if (fd >= 0) {
		ret = write_all(fd, text, len);
		if (ret)
			return sk_err_set(err, -ret, "%s: %s", name, strerror(-ret));
		return 0;
	}
	ret = output_check_at(path, &fd, err);
	if (ret < 0)
		return ret;
	if (ret)
		ret = write_device(path, fd, text, len, err);
	else
		ret = replace(path, fd, text, len, err);
	close(fd);
	return ret;
}

/* "256 MiB" for a bound in whole MiB, else bytes. */
static void size_text(size_t n, char *buf, size_t size)
{
	if (n && n % ((size_t)1 << 20) == 0)
		snprintf(buf, size, "%zu MiB", n >> 20);
	else
		snprintf(buf, size, "%zu bytes", n);
}

static int too_big(const char *name, size_t max, struct sk_err *err)
{
	char limit[32];

	size_text(max, limit, sizeof(limit));
	return sk_err_set(err, EFBIG, "%s: larger than %s, the most scmpkit reads",
			  name, limit);
}

/* Reads fd to its end or past max bytes; buf and *n as read so far. */
static int read_bounded(int fd, size_t max, char **buf, size_t *n)
{
	size_t cap = max + 2 < 65536 ? max + 2 : 65536;
	char *grown;

	*buf = malloc(cap);
	if (!*buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		/* Room for one byte past max (to see it) and the NUL. */
		if (*n + 1 >= cap) {
			cap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
			grown = realloc(*buf, cap);
			if (!grown)
				return -ENOMEM;
			*buf = grown;
		}
		r = read(fd, *buf + *n, cap - *n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		*n += (size_t)r;
		if (*n > max)
			return -EFBIG;
	}
}

int sk_read_file_max(const char *path, size_t max, char **text, size_t *len,
		     struct sk_err *err)
{
	bool in_stdin = !strcmp(path, "-");
	const char *name = in_stdin ? "<stdin>" : path;
	char *buf = NULL;
	struct stat st;
	size_t n = 0;
	int fd, ret;

	fd = in_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sk_err_set(err, errno, "%s: %s", name, strerror(errno));
	/* A file known to be too big is refused before reading a byte. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max)
		ret = -EFBIG;
	else
		ret = read_bounded(fd, max, &buf, &n);
	if (!in_stdin)
		close(fd);
	if (ret) {
		free(buf);
		if (ret == -EFBIG)
			return too_big(name, max, err);
		return sk_err_set(err, -ret, "%s: %s", name, strerror(-ret));
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int sk_read_file(const char *path, char **text, size_t *len,
		 struct sk_err *err)
{
	return sk_read_file_max(path, SK_READ_MAX, text, len, err);
}

int sk_path_under(const char *root, const char *path, char *out, size_t len)
{
	size_t base = root ? strlen(root) : 0, n;
	const char *p = path;

	while (base > 0 && root[base - 1] == '/')
		base--;
	if (base + 2 > len)
		return -ENAMETOOLONG;
	memcpy(out, root ? root : "", base);
	n = base;
	while (*p) {
		size_t w;

		while (*p == '/')
			p++;
		w = strcspn(p, "/");
		if (!w)
			break;
		if (w == 2 && p[0] == '.' && p[1] == '.') {
			while (n > base && out[n - 1] != '/')
				n--;
			if (n > base)
				n--; /* the slash before the component */
		} else if (!(w == 1 && p[0] == '.')) {
			if (n + 1 + w + 1 > len)
				return -ENAMETOOLONG;
			out[n++] = '/';
			memcpy(out + n, p, w);
			n += w;
		}
		p += w;
	}
	if (n == base)
		out[n++] = '/';
	out[n] = '\0';
	return 0;
}

int sk_open_in_root(int root_fd, const char *path, int flags)
{
	struct open_how how = { .flags = (uint64_t)flags | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}
