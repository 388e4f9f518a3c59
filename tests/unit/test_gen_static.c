/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen --static (gen_static.h, gen_static.c, libc_syscalls.c): the
 * libc table is sorted, unique and resolvable; the analysis and the rules
 * it adds.  The ELF reader has its own test (test_elf_read.c).
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_run.h"
#include "scmpkit/gen_static.h"
#include "../../lib/libc_syscalls.h"
#include "helpers.h"

static void test_table_sorted_unique_resolvable(void **state)
{
	size_t n;
	const struct sk_libc_func *t = sk_libc_table(&n);

	(void)state;
	assert_true(n >= 150);
	for (size_t i = 0; i < n; i++) {
		const char *p = t[i].syscalls;

		if (i && strcmp(t[i - 1].name, t[i].name) >= 0)
			fail_msg("not sorted or not unique: %s, %s", t[i - 1].name, t[i].name);
		assert_non_null(p);
		assert_true(*p);
		while (*p) {
			size_t w = strcspn(p, " ");
			char name[64];

			assert_true(w > 0 && w < sizeof(name));
			memcpy(name, p, w);
			name[w] = '\0';
			if (sk_syscall_nr(SCMP_ARCH_X86_64, name) < 0)
				fail_msg("%s: %s does not resolve on x86_64", t[i].name, name);
			p += w;
			if (*p == ' ')
				p++;
			assert_true(*p != ' ');
		}
		assert_ptr_equal(sk_libc_find(t[i].name), &t[i]);
	}
}

static void expect_reach(const char *func, const char *const *calls)
{
	const struct sk_libc_func *f = sk_libc_find(func);

	if (!f)
		fail_msg("%s is not in the table", func);
	for (; *calls; calls++)
		if (!sk_libc_reaches(f, *calls))
			fail_msg("%s does not reach %s", func, *calls);
}

#define REACH(func, ...) expect_reach(func, (const char *const[]){ __VA_ARGS__, NULL })

static void test_table_lookup(void **state)
{
	(void)state;
	REACH("fopen", "openat");
	REACH("open64", "openat");
	REACH("openat", "openat");
	REACH("fread", "read");
	REACH("read", "read");
	REACH("socket", "socket");
	REACH("connect", "connect");
	REACH("getaddrinfo", "socket", "connect", "sendto", "recvfrom", "poll");
	REACH("fork", "clone");
	REACH("posix_spawn", "clone3", "clone", "execve");
	REACH("pthread_create", "clone3", "clone", "mmap", "mprotect",
	      "rt_sigprocmask", "set_robust_list", "rseq");
	REACH("system", "clone3", "clone", "execve", "wait4");
	REACH("popen", "clone", "execve", "pipe2");
	REACH("stat", "newfstatat");
	REACH("nanosleep", "clock_nanosleep");
	REACH("epoll_wait", "epoll_wait");
	REACH("select", "select");
	REACH("mmap64", "mmap");
	/* Versions are stripped; unknown names and prefixes are not found. */
	assert_ptr_equal(sk_libc_find("fopen@GLIBC_2.2.5"), sk_libc_find("fopen"));
	assert_ptr_equal(sk_libc_find("fopen@@GLIBC_2.2.5"), sk_libc_find("fopen"));
	assert_null(sk_libc_find("strlen"));
	assert_null(sk_libc_find("fope"));
	assert_null(sk_libc_find(""));
	assert_false(sk_libc_reaches(sk_libc_find("fopen"), "open"));
	assert_false(sk_libc_reaches(sk_libc_find("fork"), "clon"));
}

/* A union of one x86_64 trace observing names, made by exe. */
static struct sk_gen *gen_of(const char *exe, const char *const *names)
{
	struct sk_gen *g;
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);

	assert_non_null(f);
	fprintf(f, "{\"format\": \"scmpkit-trace\", \"version\": 1, \"executables\": [\"%s\"], \"syscalls\": [", exe);
	for (size_t i = 0; names[i]; i++)
		fprintf(f, "%s{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"%s\", \"nr\": %d, \"count\": 1, \"exe\": [0]}",
			i ? ", " : "", names[i], sk_syscall_nr(SCMP_ARCH_X86_64, names[i]));
	fputs("]}", f);
	assert_int_equal(fclose(f), 0);
	g = th_gen((const char *const[]){ json }, 1);
	free(json);
	return g;
}

static const struct sk_static_reach *find_reach(const struct sk_static *s,
						 const char *name)
{
	for (size_t i = 0; i < s->n_reach; i++)
		if (!strcmp(s->reach[i].syscall, name))
			return &s->reach[i];
	return NULL;
}

static void test_static_run(void **state)
{
	static const char *const seen[] = { "read", "write", "exit_group", "close", NULL };
	static const char script[] = "#!/bin/true -x\n";
	struct sk_gen *g = gen_of("/bin/true", seen);
	struct sk_static *s = sk_static_new();
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	uint32_t arches[2] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86 };
	char *path = th_tmp_file("gen_static", script, sizeof(script) - 1);
	bool script_warned = false, missing_warned = false;

	(void)state;
	assert_non_null(s);
	assert_int_equal(sk_static_add_exe(s, "/bin/true"), 0);
	assert_int_equal(sk_static_add_exe(s, "/bin/true"), 0);
	assert_int_equal(sk_static_add_exe(s, path), 0);
	assert_int_equal(sk_static_add_exe(s, "/nonexistent/x"), 0);
	assert_int_equal(s->n_exes, 3);
	if (sk_static_run(s, g, &warn, &err))
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < warn.n; i++) {
		script_warned |= strstr(warn.msgs[i], path) && strstr(warn.msgs[i], "interpreter /bin/true");
		missing_warned |= strstr(warn.msgs[i], "/nonexistent/x") != NULL;
	}
	assert_true(script_warned);
	assert_true(missing_warned);
	assert_string_equal(s->exes[0].elf, "/bin/true");
	assert_string_equal(s->exes[1].elf, "/bin/true");
	assert_null(s->exes[2].elf);
	assert_true(s->exes[0].n_libs >= 1);
	assert_false(s->exes[0].is_static);
	assert_true(s->n_objects >= 2);
	/* Observed names are never reported; what /bin/true's libc calls
	 * reach is (every glibc program imports abort or __stack_chk_fail
	 * or a stdio function). */
	assert_null(find_reach(s, "read"));
	assert_null(find_reach(s, "write"));
	assert_true(s->n_reach > 0);
	for (size_t i = 0; i < s->n_reach; i++) {
		const struct sk_static_reach *r = &s->reach[i];

		assert_non_null(sk_libc_find(r->func));
		assert_true(sk_libc_reaches(sk_libc_find(r->func), r->syscall));
		assert_string_equal(r->exe, "/bin/true");
		if (i)
			assert_true(strcmp(s->reach[i - 1].syscall, r->syscall) < 0);
	}
	if (s->exes[0].machine == EM_X86_64) {
		assert_int_equal(sk_static_check_arches(s, arches, 2, &err), 0);
		arches[1] = SCMP_ARCH_AARCH64;
		assert_int_equal(sk_static_check_arches(s, arches, 2, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "SCMP_ARCH_AARCH64"));
		assert_non_null(strstr(err.msg, "/bin/true is ELF64 x86_64"));
	}
	sk_warn_clear(&warn);
	sk_static_free(s);
	sk_static_free(NULL);
	sk_gen_free(g);
	unlink(path);
	free(path);
}

static void test_static_add(void **state)
{
	static const char *const seen[] = { "read", "exit_group", NULL };
	struct sk_gen *g = gen_of("/bin/true", seen);
	struct sk_static *s = sk_static_new();
	struct sk_gen_opts o;
	struct sk_profile *p = NULL, *p0 = NULL;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	size_t before;
	char *report;

	(void)state;
	assert_int_equal(sk_static_add_exe(s, "/bin/true"), 0);
	assert_int_equal(sk_static_run(s, g, &warn, &err), 0);
	if (s->exes[0].machine != EM_X86_64) {
		sk_warn_clear(&warn);
		sk_static_free(s);
		sk_gen_free(g);
		skip();
	}
	sk_gen_opts_init(&o);
	if (sk_gen_profile(g, &o, &p0, NULL, &warn, &err))
		fail_msg("%s", err.msg);
	before = p0->n_rules;
	/* --static add: the same rules, then the static ones, last. */
	o.static_add = s;
	if (sk_gen_profile(g, &o, &p, NULL, &warn, &err))
		fail_msg("%s", err.msg);
	report = sk_static_report(s, p, true);
	assert_non_null(report);
	assert_non_null(strstr(report, "/bin/true: ELF64 x86_64, dynamically linked"));
	assert_non_null(strstr(report, s->reach[0].syscall));
	free(report);
	assert_true(p->n_rules > before);
	for (size_t i = 0; i < before; i++) {
		assert_int_equal(p->rules[i].origin, p0->rules[i].origin);
		assert_string_equal(p->rules[i].names[0], p0->rules[i].names[0]);
	}
	for (size_t i = before; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		assert_int_equal(r->action, SK_ACT_ALLOW);
		assert_int_equal(r->origin, SK_ORIGIN_STATIC);
		assert_non_null(strstr(r->comment, "static: reachable through "));
		assert_non_null(strstr(r->comment, ", not observed"));
		assert_non_null(r->where);
		for (size_t k = 0; k < r->n_names; k++) {
			const struct sk_static_reach *x = find_reach(s, r->names[k]);

			assert_non_null(x);
			assert_non_null(strstr(r->comment, x->func));
			/* Nothing twice: no other rule names it. */
			for (size_t j = 0; j < p->n_rules; j++)
				for (size_t m = 0; m < p->rules[j].n_names; m++)
					if (j != i || m != k)
						assert_string_not_equal(p->rules[j].names[m], r->names[k]);
		}
	}
	sk_profile_free(p0);
	sk_warn_clear(&warn);
	sk_profile_free(p);
	sk_static_free(s);
	sk_gen_free(g);
}

/* The default line's counts: what sk_static_add would add, the first
 * names, foreign arches, executables not read. */
static void test_static_summary(void **state)
{
	static const char *const seen[] = { "read", "exit_group", NULL };
	struct sk_gen *g = gen_of("/bin/true", seen);
	struct sk_static *s = sk_static_new(), *none = sk_static_new();
	struct sk_static_summary sum;
	struct sk_gen_opts o;
	struct sk_profile *p = NULL, *padd = NULL;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	uint32_t other = SCMP_ARCH_AARCH64;
	size_t added = 0;

	(void)state;
	assert_int_equal(sk_static_add_exe(s, "/bin/true"), 0);
	assert_int_equal(sk_static_add_exe(s, "/nonexistent/x"), 0);
	assert_int_equal(sk_static_run(s, g, &warn, &err), 0);
	if (s->exes[0].machine != EM_X86_64) {
		sk_warn_clear(&warn);
		sk_static_free(s);
		sk_static_free(none);
		sk_gen_free(g);
		skip();
	}
	sk_gen_opts_init(&o);
	if (sk_gen_profile(g, &o, &p, NULL, &warn, &err))
		fail_msg("%s", err.msg);
	sk_static_summarize(s, p, g->arches, g->n_arches, &sum);
	assert_int_equal(sum.n_exes, 2);
	assert_int_equal(sum.n_read, 1);
	assert_int_equal(sum.n_dynamic, 1);
	assert_false(sum.foreign);
	assert_true(sum.n_missing > 0);
	assert_int_equal(sum.n_names, sum.n_missing < SK_STATIC_SUMMARY_NAMES ?
				      sum.n_missing : SK_STATIC_SUMMARY_NAMES);
	for (size_t i = 1; i < sum.n_names; i++)
		assert_true(strcmp(sum.names[i - 1], sum.names[i]) < 0);
	/* What --static add adds is what the line counted; then nothing. */
	o.static_add = s;
	if (sk_gen_profile(g, &o, &padd, NULL, &warn, &err))
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < padd->n_rules; i++)
		if (padd->rules[i].origin == SK_ORIGIN_STATIC)
			added += padd->rules[i].n_names;
	assert_int_equal(added, sum.n_missing);
	sk_static_summarize(s, padd, g->arches, g->n_arches, &sum);
	assert_int_equal(sum.n_missing, 0);
	assert_int_equal(sum.n_names, 0);
	sk_profile_free(padd);
	/* Executables that cannot make the traced calls; none read. */
	sk_static_summarize(s, p, &other, 1, &sum);
	assert_true(sum.foreign);
	assert_int_equal(sk_static_add_exe(none, "/nonexistent/x"), 0);
	assert_int_equal(sk_static_run(none, g, &warn, &err), 0);
	sk_static_summarize(none, p, &other, 1, &sum);
	assert_int_equal(sum.n_exes, 1);
	assert_int_equal(sum.n_read, 0);
	assert_false(sum.foreign);
	sk_warn_clear(&warn);
	sk_profile_free(p);
	sk_static_free(s);
	sk_static_free(none);
	sk_gen_free(g);
}

/* A container's trace: its executables are read under the copies it
 * names (here /bin/sh is a script run by /bin/interp, which the host has
 * not), never the host's files at those paths; without copies, a warning. */
static void test_container_copies(void **state)
{
	static const char *const seen[] = { "read", NULL };
	struct sk_gen *g = gen_of("/bin/sh", seen);
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct sk_static *s;
	struct sk_trace *t;
	struct th_dir d;
	char json[512], file[128];

	(void)state;
	assert_int_not_equal(access("/bin/interp", F_OK), 0);
	th_dir_make(&d, "gen_static");
	snprintf(json, sizeof(json), "mkdir -p %s/c.files/bin && cp /bin/true %s/c.files/bin/interp",
		 d.path, d.path);
	assert_int_equal(system(json), 0);
	th_put(th_at(&d, "c.files/bin/sh"), "#!/bin/interp\n");
	for (int i = 0; i < 3; i++) {
		const char *files = i == 0 ? ", \"files\": \"c.files\"" :
				    i == 1 ? ", \"files\": \"gone.files\"" : "";

		snprintf(json, sizeof(json), "{\"format\": \"scmpkit-trace\", \"version\": 1, \"executables\": [\"/bin/sh\"], \"container\": {\"name\": \"web\"%s}, \"syscalls\": []}",
			 files);
		t = th_trace(json, "c.json");
		s = sk_static_new();
		snprintf(file, sizeof(file), "%s/c.json", d.path);
		assert_int_equal(sk_static_add_trace_file(s, t, file, &warn), 0);
		if (sk_static_run(s, g, &warn, &err))
			fail_msg("%s", err.msg);
		assert_int_equal(s->n_exes, 1);
		if (i == 0) {
			assert_int_equal(warn.n, 2);
			th_assert_msg(warn.msgs[0], "/bin/sh: a script: reading its interpreter /bin/interp instead");
			assert_string_equal(s->exes[0].elf, "/bin/interp");
			/* Its libraries are looked for in the copies, where there are none. */
			th_assert_msg_has(warn.msgs[1], "/bin/sh: library libc.so.6 (needed by /bin/interp) not found");
			assert_int_equal(s->exes[0].n_libs, 0);
		} else {
			th_assert_msg_has(warn.msgs[0], i == 1 ? "gone.files, cannot be read" :
							  "the trace keeps no copy of what it executed");
			assert_null(s->exes[0].elf);
		}
		sk_warn_clear(&warn);
		sk_static_free(s);
		sk_trace_free(t);
	}
	sk_gen_free(g);
	th_dir_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted_unique_resolvable),
		cmocka_unit_test(test_table_lookup),
		cmocka_unit_test(test_static_run),
		cmocka_unit_test(test_static_add),
		cmocka_unit_test(test_static_summary),
		cmocka_unit_test(test_container_copies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
