/* SPDX-License-Identifier: MIT */
/* The keeper process between a tool and the program it runs (launch.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guard_sys.h"
#include "procfs.h"
#include "launch.h"

enum { MSG_PID = 1, MSG_GUARD, MSG_STATUS, MSG_RESTARTS };

struct msg {
	int type;
	int value;
};

struct keeper_args {
	int status_fd, life_fd, cmd_fd;
	const sigset_t *orig;
	void (*fn)(void *);
	void *arg;
	struct guard_state *guard; /* NULL: no guard asked */
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
	int count = 0;
	char *p, *end;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", getpid());
	if (sk_proc_read(path, buf, sizeof(buf)) <= 0)
		return 0;
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
 * reparented to us (we are the subreaper), and are killed next round.  A
 * traced task that reports a stop meanwhile is killed where it stands.
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
		if (pid > 0 && WIFSTOPPED(st)) {
			kill(pid, SIGKILL);
			continue;
		}
		if (pid == child && !*reported) {
			send_msg(status_fd, MSG_STATUS, st);
			*reported = 1;
		}
	}
}

/* Reaps what has exited and answers the guard's stops, without waiting. */
static void keeper_reap(const struct keeper_args *k, pid_t child, int *reported)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
		if (WIFSTOPPED(st)) {
			if (k->guard)
				guard_stop(k->guard, pid, st);
			continue;
		}
		if (k->guard)
			guard_gone(k->guard, pid);
		if (pid == child && !*reported) {
			send_msg(k->status_fd, MSG_STATUS, st);
			*reported = 1;
		}
	}
}

/* A release request from the tool: a task id; the answer is one byte,
 * 1 when the task will be let go at its next stop, 0 when it is not ours. */
static void read_command(const struct keeper_args *k)
{
	pid_t tid;
	char ok = 0;

	if (read(k->cmd_fd, &tid, sizeof(tid)) != sizeof(tid))
		return;
	if (k->guard)
		ok = (char)guard_release(k->guard, tid);
	if (write(k->cmd_fd, &ok, 1) != 1)
		return; /* the tool is gone */
}

/* In the program, before fn: no handler of the tool's, its own mask back. */
static void child_start(const struct keeper_args *k, pid_t keeper_pid)
{
	/* Should the keeper itself be killed (pkill matching the tool's
	 * command line kills both), the program goes too rather than run
	 * on under a dead listener. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != keeper_pid)
		_exit(125);
	close(k->status_fd);
	close(k->life_fd);
	close(k->cmd_fd);
	sk_child_default_signals();
	sigprocmask(SIG_SETMASK, k->orig, NULL);
	k->fn(k->arg);
	_exit(125);
}

static void keeper(const struct keeper_args *k)
{
	struct pollfd p[3];
	sigset_t all, chld;
	int sfd, reported = 0, guard = ENOSYS;
	pid_t child, keeper_pid;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_NAME, "scmpkit-keeper");
	/* Nothing the program sends up the tree (kill $PPID) may end us. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	keeper_pid = getpid();
	child = fork();
	if (child < 0)
		_exit(125);
	if (child == 0)
		child_start(k, keeper_pid);
	/* Seized before the tool hears of it, so before the handshake. */
	if (k->guard)
		guard = -guard_seize(child);
	send_msg(k->status_fd, MSG_PID, child);
	send_msg(k->status_fd, MSG_GUARD, guard);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	p[0] = (struct pollfd){ .fd = k->life_fd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	p[2] = (struct pollfd){ .fd = k->cmd_fd, .events = POLLIN };
	for (;;) {
		struct signalfd_siginfo si;

		keeper_reap(k, child, &reported);
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		while (read(sfd, &si, sizeof(si)) == sizeof(si))
			;
		if (p[2].revents & POLLIN)
			read_command(k);
		if (p[0].revents)
			break; /* the tool finished or died */
	}
	kill_tree(child, k->status_fd, &reported);
	send_msg(k->status_fd, MSG_RESTARTS,
		 k->guard ? (int)(k->guard->restarts > INT_MAX ? INT_MAX : k->guard->restarts) : 0);
	_exit(0);
}

static void close_pair(int fd[2])
{
	close(fd[0]);
	close(fd[1]);
}

/* The status and life pipes, the command socket; 0 or -errno. */
static int open_pipes(int st[2], int life[2], int cmd[2])
{
	if (pipe2(st, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(life, O_CLOEXEC) < 0)
		goto fail_st;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cmd) < 0)
		goto fail_life;
	return 0;
fail_life:
	close_pair(life);
fail_st:
	close_pair(st);
	return -errno;
}

/* Reads the keeper's first messages: the program's pid, the guard's state. */
static int read_start(struct sk_launch *l, struct sk_err *err)
{
	struct msg m = { 0, 0 };

	while (read(l->status_fd, &m, sizeof(m)) < 0 && errno == EINTR)
		;
	if (m.type != MSG_PID)
		return sk_err_set(err, ECHILD, "the keeper process failed to start the program");
	l->child = m.value;
	m.type = 0;
	while (read(l->status_fd, &m, sizeof(m)) < 0 && errno == EINTR)
		;
	if (m.type != MSG_GUARD)
		return sk_err_set(err, ECHILD, "the keeper process failed to start the program");
	l->guard = m.value;
	return 0;
}

int sk_launch_start(struct sk_launch *l, void (*fn)(void *), void *arg,
		    unsigned flags, struct sk_err *err)
{
	int st[2], life[2], cmd[2], e, ret;
	struct sk_guard *tab = NULL;
	struct guard_state gs = { 0 };
	struct keeper_args k = { .fn = fn, .arg = arg };
	sigset_t block, orig;

	memset(l, 0, sizeof(*l));
	l->status_fd = l->life_fd = l->cmd_fd = -1;
	if ((flags & SK_LAUNCH_GUARD) && sk_guard_new(&tab))
		return sk_err_set(err, ENOMEM, "out of memory");
	gs.tab = tab;
	ret = open_pipes(st, life, cmd);
	if (ret) {
		sk_guard_free(tab);
		return sk_err_set(err, -ret, "pipe: %s", strerror(-ret));
	}
	/* Blocked until the keeper has its own mask (it blocks everything);
	 * the program gets the original mask back. */
	sigfillset(&block);
	sigprocmask(SIG_BLOCK, &block, &orig);
	k = (struct keeper_args){ st[1], life[0], cmd[0], &orig, fn, arg,
				  tab ? &gs : NULL };
	l->keeper = fork();
	if (l->keeper == 0) {
		close(st[0]);
		close(life[1]);
		close(cmd[1]);
		keeper(&k);
	}
	e = errno;
	sigprocmask(SIG_SETMASK, &orig, NULL);
	sk_guard_free(tab); /* the keeper has its copy */
	close(st[1]);
	close(life[0]);
	close(cmd[0]);
	if (l->keeper < 0) {
		close(st[0]);
		close(life[1]);
		close(cmd[1]);
		return sk_err_set(err, e, "fork: %s", strerror(e));
	}
	l->status_fd = st[0];
	l->life_fd = life[1];
	l->cmd_fd = cmd[1];
	ret = read_start(l, err);
	if (ret)
		sk_launch_finish(l);
	return ret;
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
	if (m.type == MSG_RESTARTS)
		l->restarts = (uint64_t)m.value;
	if (m.type != MSG_STATUS)
		return 0;
	*wstatus = m.value;
	return 1;
}

void sk_launch_kill(struct sk_launch *l)
{
	/* Taken once: a supervisor thread (--kill-tree) and the main
	 * thread (a second Ctrl-C) may both ask. */
	int fd = __atomic_exchange_n(&l->life_fd, -1, __ATOMIC_ACQ_REL);

	if (fd >= 0)
		close(fd);
}

int sk_launch_release(struct sk_launch *l, pid_t tid)
{
	struct pollfd p = { .fd = l->cmd_fd, .events = POLLIN };
	char ok;

	if (l->cmd_fd < 0 || l->guard)
		return 0;
	if (write(l->cmd_fd, &tid, sizeof(tid)) != sizeof(tid))
		return -errno;
	/* The keeper answers at once unless it is gone. */
	while (poll(&p, 1, 2000) < 0 && errno == EINTR)
		;
	if (!(p.revents & POLLIN) || read(l->cmd_fd, &ok, 1) != 1)
		return -EPIPE;
	return ok;
}

int sk_launch_holds(const struct sk_launch *l, pid_t tid)
{
	return sk_proc_status(tid, "TracerPid") == l->keeper;
}

/* After the life pipe closed: the keeper's last words, up to EOF. */
static void read_final(struct sk_launch *l)
{
	struct msg m;

	while (read(l->status_fd, &m, sizeof(m)) == sizeof(m))
		if (m.type == MSG_RESTARTS)
			l->restarts = (uint64_t)m.value;
}

void sk_launch_finish(struct sk_launch *l)
{
	sk_launch_kill(l);
	if (l->cmd_fd >= 0)
		close(l->cmd_fd);
	if (l->status_fd >= 0) {
		read_final(l);
		close(l->status_fd);
	}
	l->life_fd = l->status_fd = l->cmd_fd = -1;
	if (l->keeper > 0)
		while (waitpid(l->keeper, NULL, 0) < 0 && errno == EINTR)
			;
	l->keeper = 0;
}

void sk_child_fail(int fd, enum sk_child_stage stage, int e)
{
	int msg[2] = { (int)stage, e };

	if (write(fd, msg, sizeof(msg)) < 0)
		_exit(127);
	_exit(e == ENOENT ? 127 : 126);
}

void sk_child_default_signals(void)
{
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;

		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL &&
		    sa.sa_handler != SIG_IGN)
			signal(sig, SIG_DFL);
	}
}

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

static int set_filter(unsigned flags, const struct sock_fprog *prog)
{
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
}

int sk_child_filter(const struct sock_fprog *prog, unsigned flags, int fd)
{
	int ret = set_filter(flags, prog);

	if (ret < 0 && errno == EINVAL && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
		flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		ret = set_filter(flags, prog);
	}
	if (ret < 0 && errno == EACCES) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			sk_child_fail(fd, SK_STAGE_NNP, errno);
		ret = set_filter(flags, prog);
	}
	if (ret < 0)
		sk_child_fail(fd, SK_STAGE_FILTER, errno);
	return ret;
}

const char *sk_child_stage_name(int stage)
{
	static const char *const name[] = {
		"starting the program", "setting no_new_privs",
		"installing the seccomp filter",
		"installing the seccomp filter (unexpected fd)",
		"executing the program",
		"restricting itself to the Landlock ruleset",
	};

	return stage >= SK_STAGE_NNP && stage <= SK_STAGE_LANDLOCK ? name[stage] : name[0];
}
