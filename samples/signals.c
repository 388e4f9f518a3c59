/* SPDX-License-Identifier: MIT */
/*
 * signals: installs handlers, then raises SIGUSR1, blocks and unblocks
 * SIGUSR2, sets an alarm and waits in pause() until SIGALRM arrives:
 * the calls a profile needs for signal delivery and return.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_usr2, got_alrm;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else if (sig == SIGUSR2)
		got_usr2 = 1;
	else if (sig == SIGALRM)
		got_alrm = 1;
}

int main(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	raise(SIGUSR1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	alarm(1);
	while (!got_alrm)
		pause();
	printf("usr1 %d usr2 %d alrm %d\n", got_usr1, got_usr2, got_alrm);
	return !(got_usr1 && got_usr2 && got_alrm);
}
