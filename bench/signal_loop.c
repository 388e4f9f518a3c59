/* SPDX-License-Identifier: MIT */
/*
 * Bench workload: N signals delivered to a handler (default 1e5), each
 * raised by the program itself, so every one is delivered at once: under
 * the signal guard each delivery is a ptrace stop of the keeper.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got++;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	for (long i = 0; i < n; i++)
		raise(SIGUSR1);
	return got == n ? 0 : 1;
}
