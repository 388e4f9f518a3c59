/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_ELF_READ_H
#define SCMPKIT_ELF_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scmpkit/err.h"

/*
 * The ELF reader behind scmp-gen --static (lib-private; elf_read.c, used
 * by gen_static.c): what one executable or library file says about
 * itself, read with libelf, and where ld.so would look for the libraries
 * it needs.  Files are treated as hostile: a malformed one is -ENOEXEC.
 */

/* What the ELF reader takes from one file. */
struct sk_elf {
	unsigned machine;           /* e_machine: EM_X86_64, ... */
	unsigned elfclass;          /* ELFCLASS32 or ELFCLASS64 */
	unsigned type;              /* ET_EXEC or ET_DYN */
	char *interp;               /* PT_INTERP, or NULL (static) */
	char **needed;              /* DT_NEEDED, in order */
	size_t n_needed;
	char *runpath;              /* DT_RUNPATH, or NULL */
	char *rpath;                /* DT_RPATH, or NULL */
	char **imports;             /* undefined .dynsym symbols, without
				     * versions, sorted, unique */
	size_t n_imports;
};

/*
 * Reads path with libelf.  0 with *out set (free with sk_elf_free), or a
 * negative errno with err filled: -ENOEXEC when path is not ELF, is
 * malformed or is neither an executable nor a shared object.
 */
int sk_elf_read(const char *path, struct sk_elf **out, struct sk_err *err);

/* Frees what sk_elf_read returned; NULL is a no-op. */
void sk_elf_free(struct sk_elf *e);

/* "x86_64", "aarch64", ... for an e_machine; "machine <n>" when unknown
 * (static storage, overwritten by the next unknown machine). */
const char *sk_elf_machine_name(unsigned machine);

/* True when a program of this e_machine can make syscalls as arch (an
 * SCMP_ARCH_* token): the same family, so x86_64 covers X86_64, X86 (int
 * 0x80) and X32; aarch64 covers ARM; ppc64 covers PPC. */
bool sk_elf_machine_can(unsigned machine, uint32_t arch);

/* The interpreter a "#!" script at path names (allocated, free()), or
 * NULL when path is not such a script, cannot be read, or on ENOMEM. */
char *sk_elf_script_interp(const char *path);

/*
 * The files ld.so tries, in order, for the DT_NEEDED name of obj (read
 * from obj_path) loaded for the executable exe: name alone when it holds
 * a slash; else obj's DT_RUNPATH, or else its DT_RPATH then exe's (when
 * exe has no DT_RUNPATH), with $ORIGIN expanded (entries with other
 * tokens left out), then the standard directories of exe's machine and
 * class.  0 with *paths and *n (free with sk_elf_paths_free), or -ENOMEM.
 */
int sk_elf_lib_paths(const char *name, const struct sk_elf *obj,
		     const char *obj_path, const struct sk_elf *exe,
		     char ***paths, size_t *n);

/* Frees n paths and the vector (NULL entries allowed). */
void sk_elf_paths_free(char **paths, size_t n);

#endif
