/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_GEN_H
#define SCMPKIT_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scmpkit/err.h"
#include "scmpkit/profile.h"
#include "scmpkit/runtime.h"
#include "scmpkit/trace_format.h"

/*
 * The generator behind scmp-gen, pure: traces in, an OCI profile (and the
 * other formats) out.  Nothing here prints or touches the kernel.  This
 * header: the union of traces (gen_merge.c) and the generator's options;
 * gen_rules.h builds the profile, gen_format.h the other formats,
 * gen_static.h the static coverage.
 */

#define SK_GEN_MAX_ARCHES 16

enum sk_gen_args {
	SK_GEN_ARGS_NONE = 1,  /* names only */
	SK_GEN_ARGS_VALUES,    /* per-position values (flags as allowed bits) */
	SK_GEN_ARGS_TUPLES,    /* exact recorded combinations */
};

struct sk_static; /* gen_static.h */

struct sk_gen_opts {
	enum sk_gen_args args;
	unsigned max_values;        /* more distinct values than this: names only */
	enum sk_action default_action;
	bool has_default_errno;
	unsigned default_errno;
	/* --static add: rules for the calls these executables can reach
	 * and no trace saw (origin static, after every other rule). */
	const struct sk_static *static_add;
	/* --runtime: that runtime's calls under the filter are added
	 * (origin runtime); NULL: none. */
	const struct sk_runtime_sel *runtime;
};

/* Defaults: --args values, --max-values 16, kill-process. */
void sk_gen_opts_init(struct sk_gen_opts *o);

/* A one-position row the generator added to a name's recorded values (a
 * signal's re-raise, abort()'s SIGABRT, clone's fallback flags): not
 * observed, with the reason its rule carries. */
struct sk_gen_added {
	uint64_t value;
	enum sk_origin origin;      /* SK_ORIGIN_NEEDED, _SIGNAL or _RUNTIME */
	const char *why;            /* static: the rule's comment */
};

/* One syscall name after the union of every trace, all arches together. */
struct sk_gen_sys {
	char *name;
	uint32_t arches[SK_GEN_MAX_ARCHES]; /* where it was seen, sorted */
	size_t n_arches;
	uint64_t count;
	char **exes;                /* executables that made it, sorted, unique */
	size_t n_exes;
	unsigned n_argidx;          /* positions recorded on the arches where they
	                             * hold values (argknow.h); entries from other
	                             * arches add no argument information */
	unsigned argidx[6];
	bool args_unbounded;        /* some trace hit its cap */
	bool args_mismatch;         /* traces recorded different positions */
	size_t n_tuples;
	uint64_t *tuples;           /* n_tuples rows of n_argidx, sorted, unique */
	bool has_errors;            /* every contributing entry had errors */
	uint64_t n_enosys;          /* calls that failed with ENOSYS */
	uint64_t n_other_errors;
	size_t n_traces;            /* traces it was observed in */
	uint32_t hosts[SK_GEN_MAX_ARCHES]; /* native arches of the hosts whose
	                                    * traces saw it (trace "machine") */
	size_t n_hosts;
	const char *needed;         /* why it is always needed (static), or NULL */
	struct sk_gen_added *added; /* rows added, not observed, by value */
	size_t n_added;
	uint64_t n_runtime;         /* calls the traces mark as the runtime's
	                             * ("origin": "runtime"): not in count */
	const char *runtime;        /* --runtime: the rules' comment (static) */
	const struct sk_runtime_call *rt_calls[2]; /* --runtime: the table's rows */
	size_t n_rt_calls;
	size_t last_trace;          /* internal: index + 1 of the last trace merged */
	bool args_set;              /* internal: argidx came from an entry whose
	                             * arch reads the positions as values */
};

struct sk_gen {
	uint32_t arches[SK_GEN_MAX_ARCHES]; /* observed, sorted by name */
	size_t n_arches;
	struct sk_gen_sys *sys;     /* sorted by name */
	size_t n_sys;
	size_t n_traces;
	char **files;               /* the traces' names, in order */
	uint32_t hosts[SK_GEN_MAX_ARCHES]; /* the traces' hosts, sorted by name */
	size_t n_hosts;
	bool host_unknown;          /* some trace does not say its host */
	bool under_filter;          /* some trace is a container's recorded
				     * from its filter load: what that filter
				     * answered with an errno (Docker's and
				     * podman's default profiles: clone3 ->
				     * ENOSYS) never reached the recorder */
};

/* Returns an empty union, or NULL; free with sk_gen_free (NULL is a no-op). */
struct sk_gen *sk_gen_new(void);
void sk_gen_free(struct sk_gen *g);

/*
 * Adds a trace to the union: counts summed, executables and value tuples
 * unioned per name.  Entries without a name are skipped with a warning
 * naming file.  0, or a negative errno with err filled.
 */
int sk_gen_add_trace(struct sk_gen *g, const struct sk_trace *t,
		     const char *file, struct sk_warn *warn,
		     struct sk_err *err);

/* The entry for name, or NULL. */
const struct sk_gen_sys *sk_gen_find(const struct sk_gen *g, const char *name);

/* The entry for name, created empty (count 0) when absent; NULL on ENOMEM.
 * Pointers into g->sys are invalid after the next call. */
struct sk_gen_sys *sk_gen_get(struct sk_gen *g, const char *name);

/* Marks arch as one where s was seen or is needed. */
void sk_gen_sys_arch(struct sk_gen_sys *s, uint32_t arch);

/* Unions nb sorted unique rows (of width s->n_argidx) into s; 0 or -ENOMEM. */
int sk_gen_sys_add_rows(struct sk_gen_sys *s, const uint64_t *rows, size_t nb);

#endif
