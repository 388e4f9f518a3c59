/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TASKS_H
#define SCMPKIT_TASKS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The task table both tracer backends keep (lib-private): one record per
 * traced task, keyed by tid, in a table sized once (open addressing,
 * linear probing, backward-shift deletion), so the per-syscall path never
 * allocates and a record's address is stable until it is deleted.  A task
 * is dropped only when it is known to be gone: the ptrace backend sees
 * every exit; the notify backend sees exit calls and, when the table runs
 * full, sweeps it with a liveness test.  Nothing live is ever evicted.
 */

struct sk_task {
	pid_t tid;     /* 0: a free slot */
	int exe;       /* recorder exe index; the backends' own codes below 0 */
	uint32_t arch; /* ptrace: the call whose exit stop is awaited */
	int nr;
	unsigned flags;
};

struct sk_tasks;

/* A table for up to cap - 1 tasks (cap is rounded up to a power of two). */
struct sk_tasks *sk_tasks_new(size_t cap);
void sk_tasks_free(struct sk_tasks *ts);

/* The record of tid, or NULL. */
struct sk_task *sk_tasks_find(struct sk_tasks *ts, pid_t tid);

/*
 * Adds tid (not present) with every other field zero and returns its
 * record, or NULL when the table is full.  Never moves other records.
 */
struct sk_task *sk_tasks_add(struct sk_tasks *ts, pid_t tid);

/* Deletes a record returned by _find or _add; other records may move. */
void sk_tasks_del(struct sk_tasks *ts, struct sk_task *t);

/* Tasks in the table, and its capacity. */
size_t sk_tasks_count(const struct sk_tasks *ts);
size_t sk_tasks_capacity(const struct sk_tasks *ts);

/* The i-th slot (0 .. capacity - 1), free (tid 0) or not: for iteration. */
struct sk_task *sk_tasks_slot(struct sk_tasks *ts, size_t i);

/*
 * Deletes every task for which alive(tid) is false; returns how many.
 * Records may move.
 */
size_t sk_tasks_sweep(struct sk_tasks *ts, int (*alive)(pid_t tid));

#endif
