/* SPDX-License-Identifier: MIT */
/*
 * readfile: prints the size and a checksum of each file named on the
 * command line (default /etc/hostname).  With --uname at the end it also
 * asks uname(2) for the kernel name: a call a trace without --uname never
 * saw, so the profile generated from that trace stops it (the demo).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static int sum_file(const char *path)
{
	unsigned long sum = 0, size = 0;
	unsigned char buf[4096];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 31 + buf[i];
		size += (unsigned long)n;
	}
	close(fd);
	if (n < 0) {
		perror(path);
		return 1;
	}
	printf("%s: %lu bytes, sum %08lx\n", path, size, sum & 0xffffffffUL);
	return 0;
}

int main(int argc, char **argv)
{
	int uname_too = argc > 1 && !strcmp(argv[argc - 1], "--uname");
	int files = argc - 1 - uname_too, ret = 0;

	if (!files)
		ret |= sum_file("/etc/hostname");
	for (int i = 1; i <= files; i++)
		ret |= sum_file(argv[i]);
	if (uname_too) {
		struct utsname u;

		fflush(stdout);
		if (uname(&u) == 0)
			printf("kernel: %s\n", u.sysname);
	}
	return ret;
}
