/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_BACKEND_H
#define SCMPKIT_BACKEND_H

#include <stddef.h>

#include "scmpkit/err.h"
#include "scmpkit/tracer.h"

/*
 * Which tracer backend runs a recording (tracer.h has the backends): one
 * the user named, or auto's choice by probing this kernel - bpf, else
 * notify, else ptrace (attaching with -p and recording --errors need
 * return values or a running process: bpf, else ptrace).  The choice is
 * said in notes the main prints; nothing here prints.
 */
enum sk_backend {
	SK_BACKEND_AUTO,
	SK_BACKEND_BPF,
	SK_BACKEND_NOTIFY,
	SK_BACKEND_PTRACE,
};

/* Why auto chose a backend, or fell back to one: at most two lines. */
struct sk_backend_notes {
	char msg[2][1536];   /* without the "TOOL: " prefix, escaped */
	size_t n;
};

/* "auto", "bpf", "notify", "ptrace": 0 with *b set, or -EINVAL. */
int sk_backend_parse(const char *s, enum sk_backend *b);

/* The backend's name as the trace's "backend" says it ("auto" for auto). */
const char *sk_backend_name(enum sk_backend b);

/*
 * Runs o with want, or with auto's choice: 0 with res filled and *used
 * set to the backend that ran; else as that backend's run (tracer.h) with
 * err filled.  notes (cleared first) say which auto chose and why the
 * ones before it were not used, or that notify gave way to ptrace.
 */
int sk_backend_run(enum sk_backend want, const struct sk_tracer_opts *o,
		   struct sk_tracer_result *res, enum sk_backend *used,
		   struct sk_backend_notes *notes, struct sk_err *err);

#endif
