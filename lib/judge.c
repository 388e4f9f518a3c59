/* SPDX-License-Identifier: MIT */
/*
 * The judge of notified calls (judge.h): the profile's own action, or the
 * user's answer, and the ring the tool's main thread drains.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scmpkit/filter.h"
#include "scmpkit/judge.h"

#define RING 256     /* queued calls the main thread has not taken yet */
#define WAITERS 16   /* questions waiting at once: one per supervisor thread */

struct waiter {
	uint64_t seq;        /* 0: a free slot */
	bool done;
	struct sk_verdict v;
};

struct sk_judge {
	struct sock_fprog prog;
	struct sk_judge_opts o;
	pthread_mutex_t lock;
	pthread_cond_t answered;
	struct sk_denial ring[RING];
	size_t head, n;      /* oldest entry, entries held */
	uint64_t seq;
	uint64_t dropped;
	struct waiter waiters[WAITERS];
	bool closed;
	int wake[2];
	pid_t keeper;        /* the run's keeper, for the drain; 0: not known */
};

struct sk_judge *sk_judge_new(const struct sock_fprog *profile,
			      const struct sk_judge_opts *o)
{
	struct sk_judge *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->wake[0] = j->wake[1] = -1;
	j->prog.filter = calloc(profile->len, sizeof(*profile->filter));
	if (!j->prog.filter || pipe2(j->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(j->prog.filter);
		free(j);
		return NULL;
	}
	memcpy(j->prog.filter, profile->filter, profile->len * sizeof(*profile->filter));
	j->prog.len = profile->len;
	j->o = *o;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->answered, NULL);
	return j;
}

void sk_judge_free(struct sk_judge *j)
{
	if (!j)
		return;
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->answered);
	close(j->wake[0]);
	close(j->wake[1]);
	free(j->prog.filter);
	free(j);
}

int sk_judge_filter(const struct sock_fprog *profile, struct sock_fprog *out,
		    struct sk_err *err)
{
	struct sock_filter *f = calloc(profile->len, sizeof(*f));

	if (!f)
		return sk_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < profile->len; i++) {
		f[i] = profile->filter[i];
		if (BPF_CLASS(f[i].code) != BPF_RET)
			continue;
		if (BPF_RVAL(f[i].code) != BPF_K) {
			free(f);
			return sk_err_set(err, EINVAL, "the filter computes an action at instruction %zu: it cannot be supervised",
					  i);
		}
		if ((f[i].k & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW)
			f[i].k = SECCOMP_RET_USER_NOTIF;
	}
	out->filter = f;
	out->len = profile->len;
	return 0;
}

void sk_judge_verdict_of(uint32_t ret, struct sk_verdict *v)
{
	v->error = 0;
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		v->kind = SK_VERDICT_KILL_PROCESS;
		break;
	case SECCOMP_RET_KILL_THREAD:
		v->kind = SK_VERDICT_KILL_THREAD;
		break;
	case SECCOMP_RET_TRAP:
		v->kind = SK_VERDICT_TRAP;
		break;
	case SECCOMP_RET_ERRNO:
		v->kind = SK_VERDICT_ERRNO;
		/* The kernel caps the data at MAX_ERRNO. */
		v->error = (int)(ret & SECCOMP_RET_DATA) > 4095 ? 4095 :
			   (int)(ret & SECCOMP_RET_DATA);
		break;
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_ALLOW:
		v->kind = SK_VERDICT_CONTINUE;
		break;
	default:
		/* TRACE without a tracer that asked for seccomp stops, and
		 * USER_NOTIF without a listener, fail with ENOSYS. */
		v->kind = SK_VERDICT_ERRNO;
		v->error = ENOSYS;
		break;
	}
}

static void poke(struct sk_judge *j)
{
	if (write(j->wake[1], "", 1) < 0) {
		/* full: the main thread has been woken already */
	}
}

/* Queues d (under the lock); its seq, or 0 when the ring is full. */
static uint64_t push(struct sk_judge *j, const struct sk_denial *d)
{
	struct sk_denial *e;

	if (j->n == RING) {
		j->dropped++;
		return 0;
	}
	e = &j->ring[(j->head + j->n++) % RING];
	*e = *d;
	e->seq = ++j->seq;
	return e->seq;
}

static struct waiter *free_waiter(struct sk_judge *j)
{
	for (size_t i = 0; i < WAITERS; i++)
		if (!j->waiters[i].seq)
			return &j->waiters[i];
	return NULL;
}

/* Ask mode: queues d as a question and waits for its answer (under the lock). */
static void ask(struct sk_judge *j, struct sk_denial *d, struct sk_verdict *v)
{
	struct waiter *w = free_waiter(j);

	if (!w)
		return; /* more questions at once than supervisors: the default */
	d->question = true;
	w->seq = push(j, d);
	if (!w->seq)
		return;
	w->done = false;
	poke(j);
	while (!w->done && !j->closed)
		pthread_cond_wait(&j->answered, &j->lock);
	if (w->done)
		*v = w->v;
	w->seq = 0;
}

int sk_judge_call(struct sk_judge *j, const struct seccomp_data *d, pid_t pid,
		  const char *exe, struct sk_verdict *v)
{
	struct sk_denial e = { .arch = d->arch, .nr = d->nr, .pid = pid, .exe = exe };

	e.ret = sk_cbpf_eval(&j->prog, d);
	sk_judge_verdict_of(e.ret, v);
	if ((e.ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW)
		return 0;
	memcpy(e.args, d->args, sizeof(e.args));
	e.verdict = *v;
	pthread_mutex_lock(&j->lock);
	if (j->closed) {
		pthread_mutex_unlock(&j->lock);
		return 1;
	}
	if (j->o.mode == SK_JUDGE_ASK) {
		ask(j, &e, v);
	} else if (push(j, &e)) {
		poke(j);
	}
	pthread_mutex_unlock(&j->lock);
	return 1;
}

uint32_t sk_judge_eval(const struct sk_judge *j, const struct seccomp_data *d)
{
	return sk_cbpf_eval(&j->prog, d);
}

int sk_judge_fd(const struct sk_judge *j)
{
	return j ? j->wake[0] : -1;
}

void sk_judge_drain(struct sk_judge *j)
{
	char buf[64];

	while (read(j->wake[0], buf, sizeof(buf)) > 0)
		;
	if (j->o.drain)
		j->o.drain(j->o.ui, j);
}

int sk_judge_take(struct sk_judge *j, struct sk_denial *d)
{
	int got = 0;

	pthread_mutex_lock(&j->lock);
	if (j->n) {
		*d = j->ring[j->head];
		j->head = (j->head + 1) % RING;
		j->n--;
		if (j->closed)
			d->question = false;
		got = 1;
	}
	pthread_mutex_unlock(&j->lock);
	return got;
}

void sk_judge_answer(struct sk_judge *j, uint64_t seq, const struct sk_verdict *v)
{
	pthread_mutex_lock(&j->lock);
	for (size_t i = 0; i < WAITERS; i++) {
		if (j->waiters[i].seq == seq && !j->waiters[i].done) {
			j->waiters[i].v = *v;
			j->waiters[i].done = true;
			pthread_cond_broadcast(&j->answered);
		}
	}
	pthread_mutex_unlock(&j->lock);
}

void sk_judge_close(struct sk_judge *j)
{
	pthread_mutex_lock(&j->lock);
	j->closed = true;
	pthread_cond_broadcast(&j->answered);
	pthread_mutex_unlock(&j->lock);
}

void sk_judge_set_keeper(struct sk_judge *j, pid_t keeper)
{
	j->keeper = keeper;
}

pid_t sk_judge_keeper(const struct sk_judge *j)
{
	return j->keeper;
}

bool sk_judge_kill_tree(const struct sk_judge *j)
{
	return j->o.kill_tree;
}

uint64_t sk_judge_dropped(struct sk_judge *j)
{
	uint64_t n;

	pthread_mutex_lock(&j->lock);
	n = j->dropped;
	pthread_mutex_unlock(&j->lock);
	return n;
}
