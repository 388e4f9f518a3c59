/* SPDX-License-Identifier: MIT */
/* Shared plumbing of recording runs (scmp-trace, scmp-apply --complain). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "scmpkit/recorder.h"
#include "scmpkit/session.h"

/* The signals a recording run forwards to the program. */
static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGWINCH,
	SIGCONT, SIGURG, SIGIO, SIGPWR, SIGVTALRM, SIGPROF,
};

/* A ring the handler fills and the main loop drains (one consumer). */
#define RING 64
static struct sk_sig ring[RING];
static volatile sig_atomic_t ring_head, ring_tail;
static int wake_pipe[2] = { -1, -1 };

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	int e = errno, h = ring_head;

	(void)uc;
	if ((h + 1) % RING != ring_tail) {
		ring[h].sig = sig;
		/* SI_USER, SI_QUEUE, SI_TKILL...: a process sent it. */
		ring[h].from_process = si->si_code <= 0 && si->si_pid != getpid();
		ring[h].pid = si->si_pid;
		ring_head = (h + 1) % RING;
	}
	if (write(wake_pipe[1], "", 1) < 0) {
		/* full: the reader is awake already */
	}
	errno = e;
}

int sk_signal_take(struct sk_sig *s)
{
	char buf[64];

	if (wake_pipe[0] >= 0)
		while (read(wake_pipe[0], buf, sizeof(buf)) > 0)
			;
	if (ring_tail == ring_head)
		return 0;
	*s = ring[ring_tail];
	ring_tail = (ring_tail + 1) % RING;
	return 1;
}

int sk_signal_fd(void)
{
	return wake_pipe[0];
}

enum sk_sig_action sk_signal_action(const struct sk_sig *s, bool program_alive,
				    int *ends)
{
	if (s->sig == SIGINT || s->sig == SIGTERM) {
		if (!program_alive || ++*ends >= 2)
			return SK_SIG_END;
	}
	if (!program_alive || !s->from_process)
		return SK_SIG_IGNORE;
	return SK_SIG_FORWARD;
}

int sk_session_signals(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal };

	if (wake_pipe[0] < 0 && pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&sa.sa_mask, forwarded[i]);
	sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: blocking waits return EINTR */
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaction(forwarded[i], &sa, NULL);
	return 0;
}

int sk_session_check_output(const char *path, struct sk_err *err)
{
	/* The same checks the writer makes at the end, so a run of an hour
	 * is not lost to a planted link or a FIFO found only then. */
	int ret = sk_output_check(path, err);

	return ret < 0 ? ret : 0;
}

uint64_t sk_session_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static char *iso_now(void)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return strdup(buf);
}

int sk_session_trace(struct sk_trace *t, const char *tool, const char *backend,
		     char *const *argv, int argc, const pid_t *pids,
		     size_t n_pids, const struct sk_rec *rec,
		     const struct sk_tracer_result *res, uint64_t duration_ms)
{
	struct utsname u;

	t->tool = strdup(tool);
	t->backend = strdup(backend);
	t->started = iso_now();
	t->kernel = strdup(uname(&u) == 0 ? u.release : "unknown");
	t->machine = seccomp_arch_native();
	t->n_command = argc > 0 ? (size_t)argc : n_pids;
	t->command = calloc(t->n_command + 1, sizeof(char *));
	if (!t->tool || !t->backend || !t->started || !t->kernel || !t->command)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_command; i++) {
		if (argc > 0) {
			t->command[i] = strdup(argv[i]);
		} else if (asprintf(&t->command[i], "pid:%d", pids[i]) < 0) {
			t->command[i] = NULL;
		}
		if (!t->command[i])
			return -ENOMEM;
	}
	if (sk_rec_to_trace(rec, t))
		return -ENOMEM;
	t->duration_ms = duration_ms;
	t->attached = n_pids > 0;
	t->has_exit = res->has_exit;
	t->exit_code = res->exit_code;
	t->exit_signal = res->exit_signal;
	if (res->guard || res->guard_note[0]) {
		t->guard = res->guard;
		t->restarts = res->restarts;
		t->handovers = res->handovers;
		if (!res->guard && !(t->guard_note = strdup(res->guard_note)))
			return -ENOMEM;
	}
	if (!res->complete) {
		t->complete = false;
		free(t->incomplete_reason);
		t->incomplete_reason = strdup(res->reason[0] ? res->reason : "unknown reason");
		if (!t->incomplete_reason)
			return -ENOMEM;
	}
	return 0;
}
