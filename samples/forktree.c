/* SPDX-License-Identifier: MIT */
/*
 * forktree: makes a tree of N processes (default 200): each process forks
 * up to two children, which do the same until N exist, and every process
 * waits for its children.  Prints how many processes the tree had.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Grows the subtree rooted at node index i of a total of n; returns its size. */
static int grow(int i, int n)
{
	pid_t kids[2];
	int k = 0, size = 1;

	for (int c = 2 * i + 1; c <= 2 * i + 2 && c < n; c++) {
		int fds[2];

		if (pipe(fds) < 0)
			return size;
		kids[k] = fork();
		if (kids[k] == 0) {
			int sub = grow(c, n);

			close(fds[0]);
			if (write(fds[1], &sub, sizeof(sub)) != sizeof(sub))
				_exit(1);
			_exit(0);
		}
		close(fds[1]);
		if (kids[k] > 0) {
			int sub = 0;

			if (read(fds[0], &sub, sizeof(sub)) == sizeof(sub))
				size += sub;
			k++;
		}
		close(fds[0]);
	}
	while (k--)
		waitpid(kids[k], NULL, 0);
	return size;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;

	if (n < 1 || n > 10000) {
		fprintf(stderr, "usage: forktree [N (1-10000)]\n");
		return 2;
	}
	printf("%d processes\n", grow(0, n));
	return 0;
}
