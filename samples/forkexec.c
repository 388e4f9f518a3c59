/* SPDX-License-Identifier: MIT */
/*
 * forkexec: fork + exec, vfork + exec and posix_spawn of PROG (default
 * /bin/true), waiting for each; prints the children's statuses.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int status_of(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	char *def[] = { "/bin/true", NULL };
	char **prog = argc > 1 ? &argv[1] : def;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		execv(prog[0], prog);
		_exit(127);
	}
	printf("fork+exec: %d\n", status_of(pid));
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		execv(prog[0], prog);
		_exit(127);
	}
	printf("vfork+exec: %d\n", status_of(pid));
	fflush(stdout);
	if (posix_spawn(&pid, prog[0], NULL, NULL, prog, environ) != 0) {
		perror("posix_spawn");
		return 1;
	}
	printf("posix_spawn: %d\n", status_of(pid));
	return 0;
}
