/* SPDX-License-Identifier: MIT */
/* The tracers' task table (tasks.h). */
#include <stdlib.h>

#include "tasks.h"

struct sk_tasks {
	size_t mask;    /* capacity - 1 */
	size_t n;
	struct sk_task slot[];
};

struct sk_tasks *sk_tasks_new(size_t cap)
{
	size_t c = 16;
	struct sk_tasks *ts;

	while (c < cap)
		c <<= 1;
	ts = calloc(1, sizeof(*ts) + c * sizeof(ts->slot[0]));
	if (ts)
		ts->mask = c - 1;
	return ts;
}

void sk_tasks_free(struct sk_tasks *ts)
{
	free(ts);
}

static size_t home(const struct sk_tasks *ts, pid_t tid)
{
	return ((uint32_t)tid * 2654435761u >> 8) & ts->mask;
}

struct sk_task *sk_tasks_find(struct sk_tasks *ts, pid_t tid)
{
	for (size_t i = home(ts, tid);; i = (i + 1) & ts->mask) {
		struct sk_task *t = &ts->slot[i];

		if (t->tid == tid)
			return t;
		if (!t->tid)
			return NULL;
	}
}

struct sk_task *sk_tasks_add(struct sk_tasks *ts, pid_t tid)
{
	size_t i;

	/* One slot stays free so every probe ends. */
	if (tid <= 0 || ts->n >= ts->mask)
		return NULL;
	for (i = home(ts, tid); ts->slot[i].tid; i = (i + 1) & ts->mask)
		;
	ts->slot[i] = (struct sk_task){ .tid = tid };
	ts->n++;
	return &ts->slot[i];
}

void sk_tasks_del(struct sk_tasks *ts, struct sk_task *t)
{
	size_t i = (size_t)(t - ts->slot), j = i;

	for (;;) {
		size_t k;

		j = (j + 1) & ts->mask;
		if (!ts->slot[j].tid)
			break;
		k = home(ts, ts->slot[j].tid);
		/* Entry j stays put when its home lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		ts->slot[i] = ts->slot[j];
		i = j;
	}
	ts->slot[i].tid = 0;
	ts->n--;
}

size_t sk_tasks_count(const struct sk_tasks *ts)
{
	return ts->n;
}

size_t sk_tasks_capacity(const struct sk_tasks *ts)
{
	return ts->mask + 1;
}

struct sk_task *sk_tasks_slot(struct sk_tasks *ts, size_t i)
{
	return &ts->slot[i & ts->mask];
}

size_t sk_tasks_sweep(struct sk_tasks *ts, int (*alive)(pid_t tid))
{
	size_t dropped = 0;

	/* A deletion may shift a later record into slot i: look again. */
	for (size_t i = 0; i <= ts->mask; i++) {
		while (ts->slot[i].tid && !alive(ts->slot[i].tid)) {
			sk_tasks_del(ts, &ts->slot[i]);
			dropped++;
		}
	}
	return dropped;
}
