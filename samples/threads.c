/* SPDX-License-Identifier: MIT */
/*
 * threads: starts N threads (default 16) that each make a few syscalls
 * (getpid, gettid, sched_yield, clock_nanosleep) ITER times, then joins
 * them.  Exercises a tracer's thread following and concurrency.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long iterations = 100;

static void *work(void *arg)
{
	struct timespec ts = { 0, 1000 };
	long sum = 0;

	(void)arg;
	for (long i = 0; i < iterations; i++) {
		sum += syscall(SYS_getpid) + syscall(SYS_gettid);
		sched_yield();
		if (i % 16 == 0)
			clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	}
	return (void *)sum;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 16;
	pthread_t *t;

	if (argc > 2)
		iterations = atol(argv[2]);
	if (n < 1 || n > 4096) {
		fprintf(stderr, "usage: threads [N (1-4096)] [ITER]\n");
		return 2;
	}
	t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return 1;
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, work, NULL)) {
			fprintf(stderr, "threads: pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("%d threads done\n", n);
	free(t);
	return 0;
}
