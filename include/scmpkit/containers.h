/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_CONTAINERS_H
#define SCMPKIT_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scmpkit/err.h"
#include "scmpkit/tracer.h"

/*
 * Recording containers with the bpf backend: scmp-trace --containers runs
 * a command (docker run, podman run, runc run, a script) and writes one
 * trace per container that starts meanwhile; --container attaches to one
 * that runs.  A container is a pid namespace of its own whose init loads
 * a seccomp filter or execs; its trace starts at the return of the filter
 * load (the runtime's calls up to the program's exec are marked "origin":
 * "runtime") or, with no filter, at the init's exec, and ends when its
 * last task exits.  Nothing here prints.
 */

/* Who a container is, as far as its runtime made it known. */
struct sk_ctr_ident {
	char runtime[16];     /* "docker", "podman"; "" when not recognised */
	char id[80];          /* "" when unknown */
	char name[128];       /* "" when unknown */
	char cgroup[256];     /* the init's cgroup path (v2, else the first) */
};

struct sk_containers_opts {
	const char *tool;             /* "scmp-trace 0.1.0" */
	const char *dir;              /* --containers: the traces' directory */
	const char *output;           /* --container: the trace file */
	char *const *argv;            /* --containers: CMD */
	int argc;
	const char *path;             /* CMD's resolved executable */
	const char *container;        /* --container ID|NAME */
	unsigned duration_s;          /* --container: 0 = until the end or a signal */
	unsigned checkpoint_s;        /* rewrite the traces of the containers
				       * recording every N s; 0 = never */
	bool errors;                  /* record return values */
};

struct sk_ctr_written {
	char *file;
	struct sk_ctr_ident ident;
	bool complete;
	size_t n_sys;                 /* distinct calls, the runtime's included */
	size_t n_runtime;             /* of which the runtime's */
	char *files;                  /* the directory of copies of what it
				       * executed (trace_format.h), NULL if none */
	size_t n_copied;              /* files in it */
	size_t n_not_copied;          /* files that could not be copied (warnings) */
};

struct sk_containers_result {
	struct sk_tracer_result cmd;  /* CMD's status (has_exit, exit_code, exit_signal) */
	struct sk_ctr_written *written;
	size_t n_written;
	unsigned lost;                /* containers past the limit, not recorded */
	unsigned checkpoints;         /* --container: rewrites made */
	struct sk_warn warn;          /* files that could not be copied */
};

/*
 * Runs --containers (o->argv) or --container (o->container).  0 when the
 * run went to its end (res says what was written); a negative errno with
 * err filled otherwise (-EOPNOTSUPP: the bpf backend cannot work here,
 * -ESRCH: no such running container).  Free res with
 * sk_containers_result_free.
 */
int sk_record_containers(const struct sk_containers_opts *o,
			 struct sk_containers_result *res, struct sk_err *err);
void sk_containers_result_free(struct sk_containers_result *res);

/* Pure parsers, unit-tested (tests/unit/test_containers.c). */

/*
 * The cgroup path in /proc/PID/cgroup text: the unified hierarchy's
 * ("0::"), else the first line's.  0, or -ENOENT.
 */
int sk_ctr_cgroup_path(const char *text, char *out, size_t len);
/*
 * Recognises a runtime from a cgroup path or its last component:
 * ".../docker/<64 hex>" and "docker-<64 hex>.scope" are docker's,
 * "libpod-<64 hex>" (".scope") podman's; otherwise the last component is
 * the id (runc run names the cgroup after its container id).  Fills
 * id->runtime and id->id.
 */
void sk_ctr_from_cgroup(const char *path, struct sk_ctr_ident *id);
/*
 * The source of the mount at target in mountinfo text: its device
 * ("maj:min") and its root in that file system.  0, or -ENOENT.
 */
int sk_ctr_mount_source(const char *mountinfo, const char *target, char *dev,
			size_t dev_len, char *root, size_t root_len);
/* Where root on dev is in the tracer's tree, from its mountinfo.  0, or -ENOENT. */
int sk_ctr_host_path(const char *mountinfo, const char *dev, const char *root,
		     char *out, size_t len);
/* docker's config.v2.json "Name" without its '/'.  0, or -ENOENT. */
int sk_ctr_docker_name(const char *json, char *out, size_t len);
/*
 * The argument after flag in a NUL-separated command line of len bytes
 * (conmon's "-n NAME").  0, or -ENOENT.
 */
int sk_ctr_cmdline_arg(const char *cmdline, size_t len, const char *flag,
		       char *out, size_t out_len);
/*
 * A trace's file name for a container: "<name>-<id12>.json", "<id12>.json"
 * or "container-<n>.json", with any character outside [A-Za-z0-9_.-]
 * made '_'.
 */
void sk_ctr_file_name(const struct sk_ctr_ident *id, unsigned n, char *out, size_t len);

#endif
