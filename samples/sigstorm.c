/* SPDX-License-Identifier: MIT */
/*
 * sigstorm: handlers without SA_RESTART that nest (an empty mask: USR1
 * interrupts USR2) under a stream of both from a child, while the main
 * loop makes calls that natively never fail with EINTR (getppid, close,
 * pipe2, fcntl F_GETFL, wait4 WNOHANG).  Each handler also makes a
 * call, so rt_sigreturn and the handlers' calls are interrupted too.
 * Usage: sigstorm [SIGNALS]  (default 20000).  Says whether a call failed
 * with EINTR (exit 1), which never happens natively.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled, eintr;

static void on_signal(int sig)
{
	int e = errno;

	(void)sig;
	if (getppid() < 0 && errno == EINTR)
		eintr++;
	handled++;
	errno = e;
}

static void check(long r, const char *what)
{
	if (r < 0 && errno == EINTR) {
		fprintf(stderr, "sigstorm: %s: EINTR\n", what);
		eintr++;
	}
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	struct sigaction sa;
	pid_t parent = getpid(), kid;
	int st, p[2];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = 0; /* no SA_RESTART: EINTR is visible; USR1 and USR2 nest */
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	kid = fork();
	if (kid == 0) {
		for (long i = 0; i < n; i++)
			kill(parent, i & 1 ? SIGUSR2 : SIGUSR1);
		_exit(0);
	}
	for (;;) {
		pid_t w = waitpid(kid, &st, WNOHANG);

		check(w, "wait4(WNOHANG)");
		if (w == kid)
			break;
		check(getppid(), "getppid");
		check(fcntl(1, F_GETFL), "fcntl(F_GETFL)");
		if (pipe2(p, O_CLOEXEC) < 0) {
			check(-1, "pipe2");
			continue;
		}
		check(close(p[0]), "close");
		check(close(p[1]), "close");
	}
	printf("sigstorm: %s\n", eintr ? "EINTR seen" : "no EINTR");
	return eintr ? 1 : 0;
}
