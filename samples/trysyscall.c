/* SPDX-License-Identifier: MIT */
/*
 * trysyscall: makes one raw syscall and prints what came back, in the style
 * of bubblewrap's try-syscall: `trysyscall NR [ARG...]` where each ARG is a
 * number (0x.. allowed) or "bad" for an invalid pointer (so an allowed call
 * fails with EFAULT instead of doing anything).  Prints "ok RET" or
 * "errno N"; a call the filter kills never prints.  `trysyscall -n COUNT
 * NR ...` makes the call COUNT times and prints what the last one gave.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long a[6] = { 0 }, nr, r, count = 1;

	if (argc > 3 && !strcmp(argv[1], "-n")) {
		count = strtol(argv[2], NULL, 0);
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 || argc > 8 || count < 1) {
		fprintf(stderr, "usage: trysyscall [-n COUNT] NR [ARG...] (ARG: number or \"bad\")\n");
		return 2;
	}
	nr = strtol(argv[1], NULL, 0);
	for (int i = 2; i < argc; i++)
		a[i - 2] = strcmp(argv[i], "bad") ? strtol(argv[i], NULL, 0) : 1;
	fflush(stdout);
	do
		r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	while (--count > 0);
	if (r == -1)
		printf("errno %d\n", errno);
	else
		printf("ok %ld\n", r);
	return 0;
}
