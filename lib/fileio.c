/* SPDX-License-Identifier: MIT */
/* Whole-file reads and atomic writes shared by the JSON readers and writers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmpkit/trace_format.h"

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

int sk_write_atomic(const char *path, const char *text, size_t len,
		    struct sk_err *err)
{
	struct stat st;
	mode_t mask;
	char *tmp;
	int fd, ret;

	if (!strcmp(path, "-")) {
		ret = write_all(STDOUT_FILENO, text, len);
		if (ret)
			return sk_err_set(err, -ret, "<stdout>: %s", strerror(-ret));
		return 0;
	}
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		/* Replace the file the link names, not the link. */
		char *target = realpath(path, NULL);

		if (target) {
			ret = sk_write_atomic(target, text, len, err);
			free(target);
			return ret;
		}
		/* A dangling link: create what it names, in place. */
	}
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device or a fifo (/dev/stdout, /dev/full): write into it;
		 * renaming a file over it would replace the device node. */
		if (S_ISDIR(st.st_mode))
			return sk_err_set(err, EISDIR, "%s: %s", path, strerror(EISDIR));
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
		if (fd < 0)
			return sk_err_set(err, errno, "%s: %s", path, strerror(errno));
		ret = write_all(fd, text, len);
		if (close(fd) < 0 && !ret)
			ret = -errno;
		if (ret)
			return sk_err_set(err, -ret, "%s: %s", path, strerror(-ret));
		return 0;
	}
	/* The temp file sits next to path so rename() cannot cross devices. */
	if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0)
		return sk_err_set(err, ENOMEM, "%s: out of memory", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
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
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret) {
		unlink(tmp);
		sk_err_set(err, -ret, "%s: %s", path, strerror(-ret));
	}
	free(tmp);
	return ret;
}

int sk_read_file(const char *path, char **text, size_t *len,
		 struct sk_err *err)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap), *grown;
	int fd, ret = 0;

	if (!buf)
		return sk_err_set(err, ENOMEM, "%s: out of memory", name);
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		ret = -errno;
		free(buf);
		return sk_err_set(err, -ret, "%s: %s", name, strerror(-ret));
	}
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			grown = realloc(buf, cap * 2);
			if (!grown) {
				ret = -ENOMEM;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (ret) {
		free(buf);
		return sk_err_set(err, -ret, "%s: %s", name, strerror(-ret));
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}
