/* SPDX-License-Identifier: MIT */
/* Shared plumbing of recording runs (scmp-trace, scmp-apply --complain). */
#include <errno.h>
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

static void on_signal(int sig)
{
	sk_pending_signal = sig;
}

void sk_session_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: blocking waits return EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int sk_session_check_output(const char *path, struct sk_err *err)
{
	char dir[PATH_MAX], *slash;
	struct stat st;

	if (!strcmp(path, "-"))
		return 0;
	if (strlen(path) >= sizeof(dir))
		return sk_err_set(err, ENAMETOOLONG, "%s: file name too long", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return sk_err_set(err, ENOENT, "%s: directory %s does not exist",
				  path, dir);
	if (access(dir, W_OK) < 0)
		return sk_err_set(err, errno, "%s: cannot write in %s: %s", path,
				  dir, strerror(errno));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return sk_err_set(err, EISDIR, "%s: is a directory", path);
	return 0;
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
	t->has_exit = res->has_exit;
	t->exit_code = res->exit_code;
	t->exit_signal = res->exit_signal;
	if (!res->complete) {
		t->complete = false;
		free(t->incomplete_reason);
		t->incomplete_reason = strdup(res->reason[0] ? res->reason : "unknown reason");
		if (!t->incomplete_reason)
			return -ENOMEM;
	}
	return 0;
}
