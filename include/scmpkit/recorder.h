/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_RECORDER_H
#define SCMPKIT_RECORDER_H

#include <stdint.h>
#include <sys/types.h>

#include "scmpkit/trace_format.h"

/*
 * The recorder both tracer backends feed.  Everything it needs is allocated
 * by sk_rec_new(); sk_rec_syscall() and sk_rec_error() only touch fixed
 * tables (no allocation, formatting or I/O), so they are safe on the
 * per-syscall path.  A recorder is not thread-safe: callers with several
 * supervisor threads serialise calls with a lock of their own.
 */

#define SK_REC_NR_MAX   1024  /* direct-indexed syscall numbers per arch */
#define SK_REC_TUPLES   64    /* distinct argument tuples per syscall before "unbounded" */
#define SK_REC_EXE_MAX  256   /* distinct executables attributed per trace */

struct sk_rec;

/* Returns a recorder for the host's arches, or NULL; free with sk_rec_free. */
struct sk_rec *sk_rec_new(void);
void sk_rec_free(struct sk_rec *r);

/*
 * Records one syscall entry made by task tid (any thread id).  arch and nr
 * as the kernel reported them (x32 is classified here).  exe is the index
 * from sk_rec_exe(), or -1 when unknown.
 */
void sk_rec_syscall(struct sk_rec *r, uint32_t arch, int nr,
		    const uint64_t args[6], int exe);

/* Records a syscall's return value (ptrace exit stops); ret < 0 is -errno. */
void sk_rec_result(struct sk_rec *r, uint32_t arch, int nr, long ret);

/*
 * Registers an executable path (on exec, not per syscall: may allocate) and
 * returns its index; -ENOSPC when the table is full, -ENOMEM.
 */
int sk_rec_exe(struct sk_rec *r, const char *path);

/*
 * The path registered as index exe, or NULL.  Borrowed: valid until
 * sk_rec_free; safe beside a thread registering more (a registered path
 * never moves), once the index was handed over under a lock.
 */
const char *sk_rec_exe_name(const struct sk_rec *r, int exe);

/* Counts a new task: threads counts every task, processes the leaders. */
void sk_rec_count_task(struct sk_rec *r, int is_thread);

/*
 * Fills t->sys, t->executables, processes and threads from the recorder
 * (names resolved per arch, tuples sorted).  0 or a negative errno.
 */
int sk_rec_to_trace(const struct sk_rec *r, struct sk_trace *t);

/* Total syscalls recorded so far. */
uint64_t sk_rec_total(const struct sk_rec *r);

/*
 * Bulk recording, for a backend that aggregates elsewhere and hands over
 * totals once at the end (the bpf backend).  sk_rec_add_count: count calls
 * of (arch, nr) at once, attributed to exe (-1: none).  sk_rec_add_args:
 * one argument tuple seen (args as for sk_rec_syscall, or NULL), and, if
 * unbounded, tuples were lost (the trace says "args": "unbounded").
 * sk_rec_add_result: count results ret (as sk_rec_result; count 0 only
 * marks that return values were seen).
 */
void sk_rec_add_count(struct sk_rec *r, uint32_t arch, int nr, uint64_t count,
		      int exe);
void sk_rec_add_args(struct sk_rec *r, uint32_t arch, int nr,
		     const uint64_t args[6], int unbounded);
void sk_rec_add_result(struct sk_rec *r, uint32_t arch, int nr, long ret,
		       uint64_t count);

#endif
