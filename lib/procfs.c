/* SPDX-License-Identifier: MIT */
/* The tracers' /proc readers (procfs.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

ssize_t sk_proc_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

long sk_proc_status(pid_t tid, const char *field)
{
	char path[64], buf[2048], pat[32], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if (sk_proc_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(pat, sizeof(pat), "\n%s:", field);
	p = strstr(buf, pat);
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}
