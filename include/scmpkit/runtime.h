/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_RUNTIME_H
#define SCMPKIT_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

/*
 * What a container runtime calls under the container's filter (DESIGN.md,
 * "Containers"): runc and crun load the profile in the container's init
 * and make calls of their own before they exec the program.  Knowledge
 * measured from real starts here (lib/runtime.c says where and how), read
 * by scmp-gen --runtime for traces recorded outside a container.
 */

/* A runtime build whose calls were measured: one bit each. */
enum sk_rt_build {
	SK_RT_RUNC = 1u << 0,   /* runc 1.1.5 (Debian 12) */
	SK_RT_CRUN = 1u << 1,   /* crun 1.8.1 (Debian 12) */
};

/* One measured setup: a build started by one front end (bit i of a
 * call's seen is runs[i]). */
struct sk_runtime_run {
	unsigned build;         /* one SK_RT_* bit */
	const char *via;        /* "docker 20.10.24 (containerd 1.6.20)" */
	const char *how;        /* where and how the calls were read */
};

/* One call a build makes under the filter, before the program's execve. */
struct sk_runtime_call {
	unsigned build;         /* one SK_RT_* bit */
	const char *name;       /* as libseccomp spells it */
	bool privs_only;        /* made only without no_new_privs (the filter
	                         * is then loaded before the user change) */
	uint64_t values[4];     /* at argknow.h's one position of name, when
	                         * it has one: what the runtime passes there */
	unsigned n_values;
	unsigned seen;          /* bit i: seen in runs[i] */
	const char *why;        /* what the runtime does with it */
};

/* What scmp-gen --runtime WORD[:nnp] chose. */
struct sk_runtime_sel {
	unsigned builds;        /* SK_RT_* bits */
	bool nnp_only;          /* ":nnp": the calls made with no_new_privs only */
	const char *word;       /* "docker" (static) */
	const char *comment;    /* the rules' comment (static) */
	const char *what;       /* "runc 1.1.5, as docker 20.10.24 runs it" */
};

/*
 * Parses --runtime's argument: runc, crun, docker or podman, optionally
 * followed by ":nnp".  0 with *out filled, or -EINVAL.
 */
int sk_runtime_parse(const char *arg, struct sk_runtime_sel *out);

/* The words sk_runtime_parse takes, sorted, for messages and completion;
 * *n gets the count. */
const char *const *sk_runtime_words(unsigned *n);

/* The calls table, sorted by build then name, and the runs table; *n gets
 * the count.  Borrowed, static. */
const struct sk_runtime_call *sk_runtime_calls(unsigned *n);
const struct sk_runtime_run *sk_runtime_runs(unsigned *n);

/* "runc 1.1.5" for one SK_RT_* bit, or "?". */
const char *sk_runtime_build_name(unsigned build);

/* Whether call c is in sel (its build, and its mode). */
bool sk_runtime_selects(const struct sk_runtime_sel *sel,
			const struct sk_runtime_call *c);

#endif
