/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TRACE_FORMAT_H
#define SCMPKIT_TRACE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scmpkit/err.h"
#include "scmpkit/fileio.h"

/* trace.json's "format": how the profile reader tells a trace given to it. */
#define SK_TRACE_FORMAT "scmpkit-trace"

/*
 * trace.json, version 1 (DESIGN.md), as a plain data model.  A trace owns
 * every pointer in it; sk_trace_free() releases all of it.
 */

struct sk_trace_errno {
	char *name;          /* "ENOENT", or "E123" when the number has no name */
	uint64_t count;
};

struct sk_trace_sys {
	uint32_t arch;       /* SCMP_ARCH_* */
	char *name;          /* NULL when libseccomp does not know nr on arch */
	int nr;
	uint64_t count;
	size_t n_exe;
	unsigned *exe;       /* indexes into sk_trace.executables, sorted */
	unsigned n_argidx;
	unsigned argidx[6];  /* recorded argument positions, ascending */
	bool args_unbounded; /* the per-syscall cap was hit: tuples incomplete */
	size_t n_tuples;
	uint64_t *tuples;    /* n_tuples rows of n_argidx values, sorted, unique */
	size_t n_errors;
	struct sk_trace_errno *errors; /* present only when has_errors */
	bool has_errors;
	bool runtime;        /* "origin": "runtime": every call of the entry was
	                      * the container runtime's, made in the container's
	                      * init under its filter before the program's execve */
};

/*
 * What a path-taking call named (trace version 1.2, issue 26): the absolute
 * path, the Landlock rights (SK_LL_FS_*, landlock.h) the calls needed -
 * make, remove and refer on the entry, checked by the kernel on its
 * directory - and what the path was when first seen.
 */
enum sk_path_kind {
	SK_PATH_UNKNOWN = 0,
	SK_PATH_FILE,        /* a regular file */
	SK_PATH_DIR,
	SK_PATH_DEVICE,      /* a character or block device */
	SK_PATH_OTHER,       /* a fifo, a socket */
	SK_PATH_MISSING,     /* not there when the call was made */
};

struct sk_trace_path {
	char *path;
	uint64_t access;
	enum sk_path_kind kind;
	uint64_t count;
	size_t n_exe;
	unsigned *exe;       /* indexes into sk_trace.executables, sorted */
};

struct sk_trace_port {
	uint16_t port;
	uint64_t access;     /* SK_LL_NET_* */
	uint64_t count;
};

/* A container's trace (scmp-trace --containers, --container; version 1.1). */
struct sk_trace_container {
	char *id;            /* the runtime's id, NULL when none is known */
	char *name;          /* NULL when none is known */
	char *runtime;       /* "docker", "podman"; NULL: not recognised */
	char *cgroup;        /* the init's cgroup directory, NULL if unknown */
	char *start;         /* "filter": from the return of its filter load;
			      * "exec": no filter, from the init's exec;
			      * "attach": from when the tracer attached */
	char *files;         /* the directory holding copies of the files the
			      * container executed (and the libraries they
			      * load) at their paths in the container, as
			      * written: relative to the trace's directory;
			      * NULL when none was taken */
};

struct sk_trace {
	char *tool;
	char *backend;       /* "notify", "ptrace", "baseline", "complain" */
	char **command;
	size_t n_command;
	char *started;       /* ISO 8601 UTC */
	uint64_t duration_ms;
	char *kernel;
	uint32_t machine;    /* the tracing host's native arch (SCMP_ARCH_*); 0: unknown */
	bool has_exit;
	int exit_code;       /* valid when exit_signal == 0 */
	int exit_signal;     /* the program died of this signal; 0 if not */
	bool complete;       /* false: the tracer knows it missed calls */
	bool attached;       /* recorded by attaching (-p): start-up is not in it */
	char *incomplete_reason;
	int guard;           /* signal guard (notify): 1 held the tree, 0 not, -1 not recorded */
	char *guard_note;    /* why it did not, when guard == 0 */
	uint64_t restarts;   /* calls the guard restarted after a signal */
	uint64_t handovers;  /* tasks it let go to another tracer */
	char **executables;
	size_t n_executables;
	uint64_t processes;
	uint64_t threads;
	size_t n_sys;
	struct sk_trace_sys *sys;
	struct sk_trace_container *container; /* NULL: not a container's */
	bool has_paths;      /* paths were recorded ("paths" present) */
	bool paths_unbounded; /* the path table was full: paths are missing */
	size_t n_paths;
	struct sk_trace_path *paths; /* sorted by path */
	size_t n_ports;
	struct sk_trace_port *ports; /* sorted by port */
};

/* Returns a zeroed trace (complete = true, guard = -1), or NULL; free with sk_trace_free. */
struct sk_trace *sk_trace_new(void);
void sk_trace_free(struct sk_trace *t);

/*
 * Appends a syscall entry and returns it (zeroed but for arch, nr, name
 * copied), or NULL on ENOMEM.  The pointer is valid until the next append.
 */
struct sk_trace_sys *sk_trace_add_sys(struct sk_trace *t, uint32_t arch,
				      int nr, const char *name);

/* qsort_r comparator for tuples of *(unsigned *)width values. */
int sk_tuple_cmp(const void *a, const void *b, void *width);

/*
 * Moves every syscall entry of from into t, marked as the runtime's
 * (from keeps none).  0 or -ENOMEM.
 */
int sk_trace_take_runtime(struct sk_trace *t, struct sk_trace *from);
/* Sorts syscalls by (arch, name, nr, runtime last) so output is deterministic. */
/*
 * Drops the executables no entry names (their "exe" indexes renumbered):
 * a container's recorder is given every executable the kernel program
 * walked, those of other containers too.
 */
void sk_trace_prune_executables(struct sk_trace *t);
void sk_trace_sort(struct sk_trace *t);

/*
 * Parses trace.json text; file names the input in messages.  Validates every
 * field (types, ranges, arch names, tuple widths, exe indexes) and returns
 * 0 with *out set, or a negative errno with err filled.
 */
int sk_trace_parse(const char *text, size_t len, const char *file,
		   struct sk_trace **out, struct sk_err *err);

/* Reads and parses a file ("-" is stdin). */
int sk_trace_load(const char *path, struct sk_trace **out, struct sk_err *err);

/* Serialises to JSON text; returns allocated (free()), or NULL. */
char *sk_trace_to_json(const struct sk_trace *t);

/*
 * Writes to path as sk_write_atomic does (temp file in the same directory,
 * fsync, rename; "-" is stdout).  0 or a negative errno with err filled.
 */
int sk_trace_save(const struct sk_trace *t, const char *path,
		  struct sk_err *err);

#endif
