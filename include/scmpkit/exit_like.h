/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_EXIT_LIKE_H
#define SCMPKIT_EXIT_LIKE_H

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

/*
 * For the tools' main.c only (the core never exits): dies of sig as the
 * program did, without a core file of our own, so a shell sees 128+N.
 */
static inline void sk_die_of(int sig)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t set;

	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	exit(128 + sig);
}

#endif
