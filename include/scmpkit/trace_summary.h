/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TRACE_SUMMARY_H
#define SCMPKIT_TRACE_SUMMARY_H

#include <stdio.h>

#include "scmpkit/trace_format.h"

/*
 * What a recording holds, said by scmp-trace at the end of a run: one line
 * (backend, distinct syscalls, calls, processes, executables, complete or
 * not), and with -c a table like strace -c's.
 */

/* Distinct syscalls of t: its (arch, name) entries, as the trace lists them. */
size_t sk_trace_distinct(const struct sk_trace *t);

/*
 * "scmp-trace: recorded N distinct syscalls (M calls) from P processes,
 * E executables, backend B; complete" (or "; incomplete: WHY") on f.
 */
void sk_trace_summary_line(FILE *f, const char *tool, const struct sk_trace *t);

/*
 * The table: calls, errors (when the backend saw return values) and the
 * syscall with its arch, most called first, and a total line; as strace
 * -c prints it, without times (the recorder keeps none).  0 or -ENOMEM.
 */
int sk_trace_summary_table(FILE *f, const struct sk_trace *t);

#endif
