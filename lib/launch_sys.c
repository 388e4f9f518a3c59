/* SPDX-License-Identifier: MIT */
/* The keeper process between a tool and the program it runs (launch.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scmpkit/launch.h"

enum { MSG_PID = 1, MSG_STATUS };

struct msg {
	int type;
	int value;
};

static void send_msg(int fd, int type, int value)
{
	struct msg m = { type, value };

	if (write(fd, &m, sizeof(m)) != sizeof(m))
		return; /* the tool is gone; life_fd EOF handles it */
}

/* SIGKILLs every child of the keeper; returns how many it signalled. */
static int kill_children(void)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd, count = 0;
	char *p, *end;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (p = buf;; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
			count++;
	}
	return count;
}

/*
 * Kills the tree generation by generation: a killed task's children are
 * reparented to us (we are the subreaper), and are killed next round.
 */
static void kill_tree(pid_t child, int status_fd, int *reported)
{
	for (;;) {
		pid_t pid;
		int st;

		kill_children();
		pid = waitpid(-1, &st, __WALL);
		if (pid < 0 && errno == ECHILD)
			return;
		if (pid == child && !*reported) {
			send_msg(status_fd, MSG_STATUS, st);
			*reported = 1;
		}
	}
}

static void keeper_reap(pid_t child, int status_fd, int *reported)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
		if (pid == child && !*reported) {
			send_msg(status_fd, MSG_STATUS, st);
			*reported = 1;
		}
	}
}

static void keeper(int status_fd, int life_fd, const sigset_t *orig,
		   void (*fn)(void *), void *arg)
{
	sigset_t chld;
	struct pollfd p[2];
	int sfd, reported = 0;
	pid_t child, keeper_pid;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_NAME, "scmpkit-keeper");
	keeper_pid = getpid();
	child = fork();
	if (child < 0)
		_exit(125);
	if (child == 0) {
		/* Should the keeper itself be killed (pkill matching the
		 * tool's command line kills both), the program goes too
		 * rather than run on under a dead listener. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != keeper_pid)
			_exit(125);
		close(status_fd);
		close(life_fd);
		sigprocmask(SIG_SETMASK, orig, NULL);
		fn(arg);
		_exit(125);
	}
	send_msg(status_fd, MSG_PID, child);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	p[0] = (struct pollfd){ .fd = life_fd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		struct signalfd_siginfo si;

		keeper_reap(child, status_fd, &reported);
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		while (read(sfd, &si, sizeof(si)) == sizeof(si))
			;
		if (p[0].revents)
			break; /* the tool finished or died */
	}
	kill_tree(child, status_fd, &reported);
	_exit(0);
}

int sk_launch_start(struct sk_launch *l, void (*fn)(void *), void *arg,
		    struct sk_err *err)
{
	int st[2], life[2], e;
	sigset_t block, orig;
	struct msg m = { 0, 0 };

	if (pipe2(st, O_CLOEXEC) < 0)
		return sk_err_set(err, errno, "pipe: %s", strerror(errno));
	if (pipe2(life, O_CLOEXEC) < 0) {
		e = errno;
		close(st[0]);
		close(st[1]);
		return sk_err_set(err, e, "pipe: %s", strerror(e));
	}
	/* The keeper ignores job-control and termination signals (a terminal's
	 * ^C is for the program); the program gets the original mask back. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGTTIN);
	sigaddset(&block, SIGTTOU);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGPIPE);
	sigprocmask(SIG_BLOCK, &block, &orig);
	l->keeper = fork();
	if (l->keeper == 0) {
		close(st[0]);
		close(life[1]);
		keeper(st[1], life[0], &orig, fn, arg);
	}
	e = errno;
	sigprocmask(SIG_SETMASK, &orig, NULL);
	close(st[1]);
	close(life[0]);
	if (l->keeper < 0) {
		close(st[0]);
		close(life[1]);
		return sk_err_set(err, e, "fork: %s", strerror(e));
	}
	l->status_fd = st[0];
	l->life_fd = life[1];
	while (read(l->status_fd, &m, sizeof(m)) < 0 && errno == EINTR)
		;
	if (m.type != MSG_PID) {
		sk_launch_finish(l);
		return sk_err_set(err, ECHILD, "the keeper process failed to start the program");
	}
	l->child = m.value;
	return 0;
}

int sk_launch_status(struct sk_launch *l, int *wstatus)
{
	struct pollfd p = { .fd = l->status_fd, .events = POLLIN };
	struct msg m;
	ssize_t n;

	if (poll(&p, 1, 0) <= 0)
		return 0;
	n = read(l->status_fd, &m, sizeof(m));
	if (n != sizeof(m))
		return -EPIPE;
	if (m.type != MSG_STATUS)
		return 0;
	*wstatus = m.value;
	return 1;
}

void sk_launch_kill(struct sk_launch *l)
{
	if (l->life_fd >= 0)
		close(l->life_fd);
	l->life_fd = -1;
}

void sk_launch_finish(struct sk_launch *l)
{
	if (l->life_fd >= 0)
		close(l->life_fd);
	if (l->status_fd >= 0)
		close(l->status_fd);
	l->life_fd = l->status_fd = -1;
	if (l->keeper > 0)
		while (waitpid(l->keeper, NULL, 0) < 0 && errno == EINTR)
			;
	l->keeper = 0;
}
