/* SPDX-License-Identifier: MIT */
/*
 * The ELF reader behind scmp-gen --static (elf_read.h): /bin/true read
 * whole; garbage, truncated and corrupted files give -ENOEXEC, never a
 * crash; arch families; "#!" interpreters; where ld.so looks for a
 * library (RUNPATH, RPATH, $ORIGIN, the standard directories).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <seccomp.h>

#include "../../lib/elf_read.h"
#include "helpers.h"

static unsigned self_machine(void)
{
	struct sk_elf *e = NULL;
	struct sk_err err = { "" };
	unsigned m;

	if (sk_elf_read("/proc/self/exe", &e, &err))
		fail_msg("%s", err.msg);
	m = e->machine;
	sk_elf_free(e);
	return m;
}

static void test_elf_true(void **state)
{
	struct sk_elf *e = NULL;
	struct sk_err err = { "" };
	bool libc = false;

	(void)state;
	if (sk_elf_read("/bin/true", &e, &err))
		fail_msg("/bin/true: %s", err.msg);
	assert_int_equal(e->machine, self_machine());
	assert_true(e->elfclass == ELFCLASS64 || e->elfclass == ELFCLASS32);
	assert_true(e->type == ET_EXEC || e->type == ET_DYN);
	assert_non_null(e->interp);
	assert_true(e->n_imports > 0);
	for (size_t i = 0; i < e->n_imports; i++) {
		assert_null(strchr(e->imports[i], '@'));
		if (i)
			assert_true(strcmp(e->imports[i - 1], e->imports[i]) < 0);
	}
	for (size_t i = 0; i < e->n_needed; i++)
		libc |= !strncmp(e->needed[i], "libc.so", 7);
	assert_true(libc);
	sk_elf_free(e);
	sk_elf_free(NULL);
	/* Machines and arch families. */
	assert_string_equal(sk_elf_machine_name(EM_X86_64), "x86_64");
	assert_true(sk_elf_machine_can(EM_X86_64, SCMP_ARCH_X86_64));
	assert_true(sk_elf_machine_can(EM_X86_64, SCMP_ARCH_X86));
	assert_true(sk_elf_machine_can(EM_X86_64, SCMP_ARCH_X32));
	assert_true(sk_elf_machine_can(EM_386, SCMP_ARCH_X86_64));
	assert_false(sk_elf_machine_can(EM_X86_64, SCMP_ARCH_AARCH64));
	assert_true(sk_elf_machine_can(EM_AARCH64, SCMP_ARCH_ARM));
	assert_false(sk_elf_machine_can(EM_AARCH64, SCMP_ARCH_X86_64));
}

static void *slurp(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	char *buf;

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* 0 or -ENOEXEC, never a crash; the message names the file. */
static void read_hostile(const void *data, size_t len)
{
	char *path = th_tmp_file("elf_read", data, len);
	struct sk_elf *e = NULL;
	struct sk_err err = { "" };
	int ret = sk_elf_read(path, &e, &err);

	if (ret) {
		assert_int_equal(ret, -ENOEXEC);
		assert_non_null(strstr(err.msg, path));
		assert_null(e);
	} else {
		sk_elf_free(e);
	}
	unlink(path);
	free(path);
}

static void test_elf_garbage(void **state)
{
	static const char text[] = "#!/bin/sh\necho hi\n";
	unsigned char junk[4096];
	struct sk_elf *e = NULL;
	struct sk_err err = { "" };
	char *path;
	size_t len;
	unsigned char *bin, *copy;
	unsigned seed = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand_r(&seed);
	path = th_tmp_file("elf_read", junk, sizeof(junk));
	assert_int_equal(sk_elf_read(path, &e, &err), -ENOEXEC);
	assert_non_null(strstr(err.msg, "not an ELF file"));
	unlink(path);
	free(path);
	read_hostile("", 0);
	read_hostile(text, sizeof(text) - 1);
	read_hostile("\177ELF", 4);
	assert_int_equal(sk_elf_read("/nonexistent/x", &e, &err), -ENOENT);
	assert_int_equal(sk_elf_read("/tmp", &e, &err), -ENOEXEC);

	/* /bin/true truncated everywhere, then with random bytes changed. */
	bin = slurp("/bin/true", &len);
	for (size_t cut = 0; cut < len; cut += cut < 256 ? 7 : 509)
		read_hostile(bin, cut);
	copy = malloc(len);
	assert_non_null(copy);
	for (int round = 0; round < 300; round++) {
		memcpy(copy, bin, len);
		for (int k = 0; k < 8; k++) {
			/* Mostly the headers, where libelf's offsets live. */
			size_t at = k < 4 ? (size_t)rand_r(&seed) % 128 :
					    (size_t)rand_r(&seed) % len;

			copy[at] = (unsigned char)rand_r(&seed);
		}
		/* ...and the section header table at the end. */
		for (int k = 0; k < 8 && len > 2048; k++)
			copy[len - 1 - (size_t)rand_r(&seed) % 2048] = (unsigned char)rand_r(&seed);
		read_hostile(copy, len);
	}
	free(copy);
	free(bin);
}

static void test_script_interp(void **state)
{
	static const char script[] = "#!  /bin/sh -e\necho hi\n";
	static const char relative[] = "#!sh\n";
	char *path = th_tmp_file("elf_read", script, sizeof(script) - 1);
	char *rel = th_tmp_file("elf_read", relative, sizeof(relative) - 1);
	char *interp = sk_elf_script_interp(path);

	(void)state;
	assert_non_null(interp);
	assert_string_equal(interp, "/bin/sh");
	free(interp);
	assert_null(sk_elf_script_interp(rel));
	assert_null(sk_elf_script_interp("/bin/true"));
	assert_null(sk_elf_script_interp("/nonexistent/x"));
	unlink(path);
	unlink(rel);
	free(path);
	free(rel);
}

/* The index of want in paths, or -1. */
static int index_of(char **paths, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(paths[i], want))
			return (int)i;
	return -1;
}

static void test_lib_paths(void **state)
{
	char exe_rpath[] = "/exe/rpath", lib_rpath[] = "/lib/rpath";
	char runpath[] = "$ORIGIN/a:${ORIGIN}/../b:$LIB/c::/d";
	struct sk_elf exe = { .machine = EM_X86_64, .elfclass = ELFCLASS64,
			      .rpath = exe_rpath };
	struct sk_elf lib = { .machine = EM_X86_64, .elfclass = ELFCLASS64,
			      .runpath = runpath };
	char **p = NULL;
	size_t n = 0;

	(void)state;
	/* RUNPATH with $ORIGIN; $LIB is not expanded: left out. */
	assert_int_equal(sk_elf_lib_paths("libz.so.1", &lib, "/opt/x/libq.so",
					  &exe, &p, &n), 0);
	assert_true(n > 4);
	assert_string_equal(p[0], "/opt/x/a/libz.so.1");
	assert_string_equal(p[1], "/opt/x/../b/libz.so.1");
	assert_string_equal(p[2], "/d/libz.so.1");
	assert_true(index_of(p, n, "/exe/rpath/libz.so.1") < 0);
	assert_true(index_of(p, n, "/lib/x86_64-linux-gnu/libz.so.1") > 2);
	assert_true(index_of(p, n, "/lib/i386-linux-gnu/libz.so.1") < 0);
	assert_int_equal(index_of(p, n, "/usr/local/lib/libz.so.1"), (int)n - 1);
	sk_elf_paths_free(p, n);

	/* No RUNPATH: the object's RPATH, then the executable's. */
	lib.runpath = NULL;
	lib.rpath = lib_rpath;
	assert_int_equal(sk_elf_lib_paths("libz.so.1", &lib, "libq.so", &exe,
					  &p, &n), 0);
	assert_string_equal(p[0], "/lib/rpath/libz.so.1");
	assert_string_equal(p[1], "/exe/rpath/libz.so.1");
	sk_elf_paths_free(p, n);

	/* The executable's own libraries: its RPATH once; i386 dirs. */
	exe.machine = EM_386;
	exe.elfclass = ELFCLASS32;
	assert_int_equal(sk_elf_lib_paths("libc.so.6", &exe, "/bin/x", &exe,
					  &p, &n), 0);
	assert_string_equal(p[0], "/exe/rpath/libc.so.6");
	assert_true(index_of(p, n, "/lib/i386-linux-gnu/libc.so.6") > 0);
	assert_true(index_of(p, n, "/lib/x86_64-linux-gnu/libc.so.6") < 0);
	sk_elf_paths_free(p, n);

	/* A name with a slash is the path itself. */
	assert_int_equal(sk_elf_lib_paths("./libz.so", &lib, "/x/y", &exe,
					  &p, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0], "./libz.so");
	sk_elf_paths_free(p, n);
	sk_elf_paths_free(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_true),
		cmocka_unit_test(test_elf_garbage),
		cmocka_unit_test(test_script_interp),
		cmocka_unit_test(test_lib_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
