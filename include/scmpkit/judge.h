/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_JUDGE_H
#define SCMPKIT_JUDGE_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scmpkit/err.h"

/*
 * What a profile does with a call it would deny, for scmp-apply --report,
 * --ask and --kill-tree.  The profile's own compiled filter is loaded with
 * every action but ALLOW turned into a user notification
 * (sk_judge_filter), so what it allows runs in the kernel at full speed and
 * nothing is notified for it.  For each notified call the notify
 * supervisor asks the judge what to do (sk_judge_call): the profile's own
 * action, found by running the same program on the call's seccomp_data,
 * or, with --ask, the answer of the user at the terminal.  Every such call
 * is queued in a fixed ring that the tool's main thread drains (its drain
 * function) to print it and answer it.  Pure but for the wake-up pipe;
 * sk_judge_call is thread-safe and allocates, formats and prints nothing.
 */

enum sk_verdict_kind {
	SK_VERDICT_CONTINUE = 1, /* the call runs (log, or allowed by the user) */
	SK_VERDICT_ERRNO,        /* it fails with error, without running */
	SK_VERDICT_KILL_PROCESS, /* its process is killed before it runs */
	SK_VERDICT_KILL_THREAD,  /* as the kernel's kill-thread (see README Limits) */
	SK_VERDICT_TRAP,         /* it fails with ENOSYS and SIGSYS is sent */
};

struct sk_verdict {
	enum sk_verdict_kind kind;
	int error;               /* SK_VERDICT_ERRNO: the errno (0: returns 0) */
};

/* One notified call, as the ring hands it to the tool. */
struct sk_denial {
	uint64_t seq;            /* 1, 2, ...: its place in the run */
	uint32_t arch;           /* as the kernel reported it (x32: x86_64 + bit) */
	int nr;
	uint64_t args[6];
	pid_t pid;               /* the calling thread */
	const char *exe;         /* its executable, or NULL (borrowed: valid
				  * until the run's recorder is freed) */
	uint32_t ret;            /* the profile filter's SECCOMP_RET_* for it */
	struct sk_verdict verdict; /* what was done; a question's default */
	bool question;           /* the call waits for sk_judge_answer */
};

enum sk_judge_mode {
	SK_JUDGE_REPORT = 1,     /* do what the profile says, queue the call */
	SK_JUDGE_ASK,            /* queue the call as a question and wait */
};

struct sk_judge;
/* The tool's state for its drain function (scmp-apply's: lib/report.c). */
struct sk_judge_ui;

struct sk_judge_opts {
	enum sk_judge_mode mode;
	bool kill_tree;          /* a kill ends the program's whole tree */
	/* Runs on the tool's main thread while the program runs, when calls
	 * were queued: takes them (sk_judge_take), prints them, answers the
	 * questions (sk_judge_answer). */
	void (*drain)(struct sk_judge_ui *ui, struct sk_judge *j);
	struct sk_judge_ui *ui;  /* borrowed, passed to drain */
};

/*
 * A judge for the profile's compiled filter (copied).  Allocated, free
 * with sk_judge_free; NULL when out of memory (or the wake-up pipe cannot
 * be made).
 */
struct sk_judge *sk_judge_new(const struct sock_fprog *profile,
			      const struct sk_judge_opts *o);
void sk_judge_free(struct sk_judge *j);

/*
 * The filter to load instead of the profile's: the same program with every
 * return of an action other than SECCOMP_RET_ALLOW made
 * SECCOMP_RET_USER_NOTIF.  0 with out->filter allocated (free() it), or
 * -EINVAL (a return computed at run time, which libseccomp never writes)
 * with err filled.
 */
int sk_judge_filter(const struct sock_fprog *profile, struct sock_fprog *out,
		    struct sk_err *err);

/* What the kernel does for a SECCOMP_RET_* value, as a verdict. */
void sk_judge_verdict_of(uint32_t ret, struct sk_verdict *v);

/*
 * The per-call hook: what to do with a notified call d made by thread pid
 * running exe (borrowed, may be NULL), in *v.  Report mode queues the call
 * and returns the profile's action at once; ask mode queues it as a
 * question and waits for the answer (or for sk_judge_close).  Returns 1,
 * or 0 for a call the profile allows (continued, not queued: a ptrace the
 * supervisor has notified to hand its target over).  No allocation,
 * formatting or I/O but one byte to the wake-up pipe.
 */
int sk_judge_call(struct sk_judge *j, const struct seccomp_data *d, pid_t pid,
		  const char *exe, struct sk_verdict *v);

/* What the profile's filter returns for d (SECCOMP_RET_*); no side effect. */
uint32_t sk_judge_eval(const struct sk_judge *j, const struct seccomp_data *d);

/* Readable when calls were queued: for the run's main loop (-1: none). */
int sk_judge_fd(const struct sk_judge *j);

/* On the main thread: empties the wake-up pipe and runs the drain function. */
void sk_judge_drain(struct sk_judge *j);

/* Takes the oldest queued call: 1 with *d filled, 0 when none. */
int sk_judge_take(struct sk_judge *j, struct sk_denial *d);

/* Answers the question seq (a no-op when it is no longer asked). */
void sk_judge_answer(struct sk_judge *j, uint64_t seq, const struct sk_verdict *v);

/*
 * The run is over: every question still waiting gets its default (the
 * profile's action) and none is asked from now on.
 */
void sk_judge_close(struct sk_judge *j);

/*
 * The run's keeper (launch.h), set by the supervisor before the program
 * runs, so the drain can stop the whole tree while a question is asked;
 * 0 until then.
 */
void sk_judge_set_keeper(struct sk_judge *j, pid_t keeper);
pid_t sk_judge_keeper(const struct sk_judge *j);

/* Whether o asked for the whole tree to go at a kill. */
bool sk_judge_kill_tree(const struct sk_judge *j);

/* Calls that could not be queued because the ring was full (report mode). */
uint64_t sk_judge_dropped(struct sk_judge *j);

#endif
