/* SPDX-License-Identifier: MIT */
/* Stopping and continuing a run's whole tree (tree_sys.h). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "procfs.h"
#include "tree_sys.h"

struct tree {
	pid_t pid[SK_TREE_MAX];
	size_t n;
};

static bool in_tree(const struct tree *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->pid[i] == pid)
			return true;
	return false;
}

/* Appends the children of thread tid of pid not listed yet. */
static void add_children(struct tree *t, pid_t pid, pid_t tid)
{
	char path[64], buf[4096], *p, *end;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)tid);
	if (sk_proc_read(path, buf, sizeof(buf)) <= 0)
		return;
	for (p = buf;; p = end) {
		long c = strtol(p, &end, 10);

		if (end == p)
			break;
		if (c > 0 && t->n < SK_TREE_MAX && !in_tree(t, (pid_t)c))
			t->pid[t->n++] = (pid_t)c;
	}
}

/* Every process below keeper, breadth first. */
static void find_tree(struct tree *t, pid_t keeper)
{
	t->n = 0;
	add_children(t, keeper, keeper);
	for (size_t i = 0; i < t->n; i++) {
		char path[64];
		struct dirent *e;
		DIR *d;

		snprintf(path, sizeof(path), "/proc/%d/task", (int)t->pid[i]);
		d = opendir(path);
		if (!d)
			continue;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				add_children(t, t->pid[i], (pid_t)atoi(e->d_name));
		closedir(d);
	}
}

static int signal_tree(const struct tree *t, int sig)
{
	int n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += kill(t->pid[i], sig) == 0;
	return n;
}

/* Whether thread tid of pid is stopped (or gone). */
static bool thread_stopped(pid_t pid, pid_t tid)
{
	char path[80], buf[512], *close_paren;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	if (sk_proc_read(path, buf, sizeof(buf)) <= 0)
		return true;
	close_paren = strrchr(buf, ')');
	return !close_paren || !close_paren[1] || strchr("TtZX", close_paren[2]);
}

/* Whether every thread of the tree but skip_tid is stopped. */
static bool all_stopped(const struct tree *t, pid_t skip_tid)
{
	for (size_t i = 0; i < t->n; i++) {
		char path[64];
		struct dirent *e;
		bool ok = true;
		DIR *d;

		snprintf(path, sizeof(path), "/proc/%d/task", (int)t->pid[i]);
		d = opendir(path);
		if (!d)
			continue;
		while (ok && (e = readdir(d))) {
			pid_t tid = (pid_t)atoi(e->d_name);

			if (e->d_name[0] != '.' && tid != skip_tid)
				ok = thread_stopped(t->pid[i], tid);
		}
		closedir(d);
		if (!ok)
			return false;
	}
	return true;
}

int sk_tree_stop(pid_t keeper, pid_t skip_tid)
{
	struct tree *t = malloc(sizeof(*t));
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int n, ret;

	if (!t)
		return -ENOMEM;
	find_tree(t, keeper);
	signal_tree(t, SIGSTOP);
	find_tree(t, keeper); /* a child forked before its parent stopped */
	n = signal_tree(t, SIGSTOP);
	ret = -ETIMEDOUT;
	for (int i = 0; i < 200; i++) {
		if (all_stopped(t, skip_tid)) {
			ret = n;
			break;
		}
		nanosleep(&ts, NULL);
	}
	free(t);
	return ret;
}

int sk_tree_continue(pid_t keeper)
{
	struct tree *t = malloc(sizeof(*t));
	int n;

	if (!t)
		return -ENOMEM;
	find_tree(t, keeper);
	n = signal_tree(t, SIGCONT);
	free(t);
	return n;
}
