/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_SESSION_H
#define SCMPKIT_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "scmpkit/err.h"
#include "scmpkit/tracer.h"
#include "scmpkit/trace_format.h"

/*
 * What scmp-trace and scmp-apply --complain share around a recording run:
 * signal forwarding, the output check before anything runs, and turning a
 * recorder plus a tracer result into a trace.json.
 */

/*
 * Catches every signal a service manager forwards (HUP, INT, QUIT, USR1,
 * USR2, ALRM, TERM, WINCH, CONT, URG, IO, PWR, VTALRM, PROF) for
 * sk_signal_take(), without SA_RESTART so blocking waits return EINTR.
 * 0, or -errno when the self-pipe cannot be made.
 */
int sk_session_signals(void);

/*
 * Fails early, before anything runs, when path ("-" is stdout) could not be
 * written: its directory is missing or not writable, or sk_output_check
 * refuses what is there (a planted link, a FIFO, a directory).  0 or -errno.
 */
int sk_session_check_output(const char *path, struct sk_err *err);

/* Milliseconds on the monotonic clock, for duration_ms. */
uint64_t sk_session_now_ms(void);

/*
 * Fills t from a finished run: header (tool, backend, command or "pid:N"
 * entries, start time, kernel), the recorder's syscalls, the exit status and
 * completeness.  0 or -ENOMEM.
 */
int sk_session_trace(struct sk_trace *t, const char *tool, const char *backend,
		     char *const *argv, int argc, const pid_t *pids,
		     size_t n_pids, const struct sk_rec *rec,
		     const struct sk_tracer_result *res, uint64_t duration_ms);

#endif
