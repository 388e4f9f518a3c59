/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_PATHREC_H
#define SCMPKIT_PATHREC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "scmpkit/trace_format.h"

/*
 * The paths and TCP ports a recording keeps (issue 26), beside the
 * syscall recorder: a fixed table of distinct paths with the Landlock
 * rights their calls needed, sized in sk_pathrec_new; past its bound the
 * trace says "paths_unbounded".  The table (pathrec.c) is pure; the
 * per-call reading of a tracee's strings and /proc links is pathrec_sys.c.
 * Nothing is allocated per call.  Not thread-safe: callers serialise.
 */

#define SK_PATHREC_MAX   4096       /* distinct paths */
#define SK_PATHREC_ARENA (1u << 20) /* bytes of path text */
#define SK_PATHREC_PORTS 256        /* distinct ports */

struct sk_pathrec;

/* A table for the host's arches, or NULL; free with sk_pathrec_free. */
struct sk_pathrec *sk_pathrec_new(void);
void sk_pathrec_free(struct sk_pathrec *pr);

/*
 * Adds access (SK_LL_FS_*) on the absolute path by exe (-1: unknown).
 * Returns the entry's index, with *is_new true when the path was not in
 * the table (the caller then says what it is with sk_pathrec_kind), or
 * -ENOSPC when the table is full (the trace says "paths_unbounded").
 */
int sk_pathrec_add(struct sk_pathrec *pr, const char *path, uint64_t access,
		   int exe, bool *is_new);
void sk_pathrec_kind(struct sk_pathrec *pr, int idx, enum sk_path_kind kind);

/* A bind or connect on a TCP port (access: SK_LL_NET_*). */
void sk_pathrec_port(struct sk_pathrec *pr, uint16_t port, uint64_t access);

/*
 * Normalises the absolute path in place: "." and empty components
 * dropped, ".." taken lexically, /proc/SELF/ (self: the caller's pid) as
 * /proc/self/, which may be 3 bytes longer: the buffer must have room.
 */
void sk_path_normalize(char *path, pid_t self);

/*
 * Records the path or port call nr of arch by task tid names, if it names
 * one: reads the string and the sockaddr from the task's memory, resolves
 * a relative path against /proc/TID/cwd or /proc/TID/fd/DIRFD and stats a
 * path the first time it is seen.  Racy under the notify backend (another
 * thread of the tracee may change the memory): fine for recording, never
 * for enforcing.  pathrec_sys.c.
 */
void sk_pathrec_call(struct sk_pathrec *pr, pid_t tid, uint32_t arch, int nr,
		     const uint64_t args[6], int exe);

struct sock_fprog;

/*
 * in with a prefix that notifies the calls that need a Landlock right
 * (opens, execs, makes, removes, bind, connect: not the looks) on the
 * native arch, so a supervisor sees their paths even when in allows
 * them.  0 with out->filter allocated (free()), or -ENOMEM.  Pure.
 */
int sk_pathrec_notify_filter(const struct sock_fprog *in, struct sock_fprog *out);

/* Fills t's paths and ports (sets has_paths).  0 or -ENOMEM. */
int sk_pathrec_to_trace(const struct sk_pathrec *pr, struct sk_trace *t);

#endif
