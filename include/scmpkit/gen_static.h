/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_GEN_STATIC_H
#define SCMPKIT_GEN_STATIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scmpkit/err.h"
#include "scmpkit/gen.h"
#include "scmpkit/profile.h"
#include "scmpkit/trace_format.h"

/*
 * --static (gen_static.c): what the traced executables could ask of the
 * kernel, from the libc functions they and their libraries import
 * (libc_syscalls.c), compared with what the traces saw.  The files are
 * read by the lib-private ELF reader (lib/elf_read.h).
 */

/* One executable named by a trace. */
struct sk_static_exe {
	char *path;                 /* as the trace names it */
	char *root;                 /* NULL: read on this host; else the
				     * directory holding the container's
				     * copies, path read under it ("": the
				     * trace keeps none, not read) */
	char *elf;                  /* the ELF file read (a script's
				     * interpreter), NULL when none */
	unsigned machine;           /* valid when elf is set */
	unsigned elfclass;
	bool is_static;             /* no PT_INTERP and no DT_NEEDED */
	char **libs;                /* libraries read for it, in order */
	size_t n_libs;
};

/* One syscall an import can reach that no trace observed. */
struct sk_static_reach {
	char *syscall;
	char *func;                 /* the first function found reaching it */
	char *object;               /* the file that imports func */
	char *exe;                  /* the executable that loads object */
	char **funcs;               /* every function reaching it, sorted */
	size_t n_funcs;
};

struct sk_static {
	struct sk_static_exe *exes;
	size_t n_exes;
	struct sk_static_reach *reach; /* sorted by syscall */
	size_t n_reach;
	char **raw_syscall;         /* objects importing syscall() */
	size_t n_raw_syscall;
	size_t n_objects;           /* ELF files read */
};

/* Returns an empty analysis, or NULL; free with sk_static_free (NULL is a
 * no-op). */
struct sk_static *sk_static_new(void);
void sk_static_free(struct sk_static *s);

/* Adds an executable to read (duplicates ignored); 0 or -ENOMEM. */
int sk_static_add_exe(struct sk_static *s, const char *path);

/*
 * Reads each executable (a script's "#!" interpreter instead), its
 * DT_NEEDED libraries recursively (DT_RUNPATH, else DT_RPATH, then the
 * standard directories for its machine), and fills s->reach with what
 * their imports reach and g never observed.  Missing files, non-ELF files
 * and libraries not found are warnings.  0, or -ENOMEM with err filled.
 */
int sk_static_run(struct sk_static *s, const struct sk_gen *g,
		  struct sk_warn *warn, struct sk_err *err);

/*
 * Adds an executable read under root (sk_static_exe.root; NULL is the host),
 * duplicates of the same path and root ignored; 0 or -ENOMEM.
 */
int sk_static_add_exe_in(struct sk_static *s, const char *path, const char *root);

/*
 * Adds the executables of trace t, read from file: a container's are read
 * under the copies its "container"."files" names (relative to file's
 * directory), never the host's files at the same paths; a warning says
 * when the trace keeps no copy or the copy cannot be read.  0 or -ENOMEM.
 */
int sk_static_add_trace_file(struct sk_static *s, const struct sk_trace *t,
			     const char *file, struct sk_warn *warn);

/* Adds the executables trace t names (sk_static_add_exe); 0 or -ENOMEM. */
int sk_static_add_trace(struct sk_static *s, const struct sk_trace *t);

/*
 * --static's reading: sk_static_run, a warning when no executable could be
 * read (nothing to analyse and no architecture check), then
 * sk_static_check_arches on g's arches.  0, or a negative errno with err
 * filled.
 */
int sk_static_read(struct sk_static *s, const struct sk_gen *g, struct sk_warn *warn,
		   struct sk_err *err);

/*
 * 0 when every arch in arches can be used by some executable read (or none
 * was read); else -EINVAL with err naming the arch and the executables.
 */
int sk_static_check_arches(const struct sk_static *s, const uint32_t *arches,
			   size_t n, struct sk_err *err);

/*
 * The comment of --static add's rule for x ("static: reachable through
 * FUNC in EXE, not observed"): allocated (free()), or NULL.  The rules
 * themselves are planned with the others (sk_gen_opts.static_add).
 */
char *sk_static_comment(const struct sk_static_reach *x);

/*
 * The --static text: each executable's ELF class and machine, then each
 * reachable but unobserved syscall with the function reaching it, marked
 * when p names it by a rule of another origin than static or cannot
 * (unknown on its arches).  add says whether --static add made p.
 * Allocated (free()), or NULL on ENOMEM.
 */
char *sk_static_report(const struct sk_static *s, const struct sk_profile *p,
		       bool add);

#define SK_STATIC_SUMMARY_NAMES 3

/* What the one line scmp-gen prints after every generation rests on. */
struct sk_static_summary {
	size_t n_exes;              /* executables the traces name */
	size_t n_read;              /* of them, read here (ELF, or a script's
				     * interpreter) */
	size_t n_dynamic;           /* of those read, dynamically linked */
	bool foreign;               /* none read can make the traces' calls:
				     * recorded on another machine */
	size_t n_missing;           /* what --static add would add to p */
	const char *names[SK_STATIC_SUMMARY_NAMES]; /* the first of them in
				     * name order, borrowed from s */
	size_t n_names;
	size_t n_family;            /* names p allows as families add them
				     * (origin family) */
	const char *family[SK_STATIC_SUMMARY_NAMES]; /* the first of them,
				     * borrowed from p */
	size_t n_family_names;
};

/*
 * Fills *sum from s (after sk_static_run), p (the generated profile) and
 * the traces' arches (sk_gen.arches).
 */
void sk_static_summarize(const struct sk_static *s, const struct sk_profile *p,
			 const uint32_t *arches, size_t n_arches,
			 struct sk_static_summary *sum);

/*
 * The default analysis's one line after the profile is written, on f:
 * how many calls the executables can reach that no trace saw, the first
 * names and the option that lists them; a note instead when the
 * executables cannot tell (a trace from another machine); nothing when
 * the traces name no executable.  arches: the profile's.
 */
void sk_static_summary_put(FILE *f, const struct sk_static *s, const struct sk_profile *p,
			   const uint32_t *arches, size_t n_arches);

#endif
