/* SPDX-License-Identifier: MIT */
/*
 * Profile -> filter, without loading anything: each test builds a context,
 * runs the exported BPF on calls (sk_filter_eval, the same program the
 * kernel would get) or compares the PFC text, and checks the messages.
 * Cases that are only (profile, arch, call, arguments -> action) are rows
 * in tests/data/filter/ (test_filter_data.c), not C.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scmpkit/filter.h"
#include "scmpkit/profile.h"
#include "helpers.h"

#define FIX "tests/data/profiles/fixtures/"

#define RET_ALLOW SECCOMP_RET_ALLOW
#define RET_KILL SECCOMP_RET_KILL_PROCESS
#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | (e))

static uint32_t eval(const struct th_filter *b, const char *name)
{
	return th_eval(b, SCMP_ARCH_X86_64, name, 0, 0, 0);
}

static void expect_build_error(const char *json, const struct sk_filter_opts *o,
			       int ret, const char *msg)
{
	struct th_filter b;

	th_filter_build(&b, json, o);
	assert_int_equal(b.ret, ret);
	assert_null(b.ctx);
	assert_string_equal(b.err.msg, msg);
	th_filter_free(&b);
}

static void test_attributes(void **state)
{
	struct sk_filter_opts o = th_opts_host_like();
	uint32_t v;
	struct th_filter b;

	(void)state;
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
			    " \"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}", &o);
	assert_int_equal(b.ret, 0);
	assert_int_equal(seccomp_attr_get(b.ctx, SCMP_FLTATR_ACT_BADARCH, &v), 0);
	assert_int_equal(v, SCMP_ACT_KILL_PROCESS);
	assert_int_equal(seccomp_attr_get(b.ctx, SCMP_FLTATR_CTL_OPTIMIZE, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(seccomp_attr_get(b.ctx, SCMP_FLTATR_CTL_SSB, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(seccomp_attr_get(b.ctx, SCMP_FLTATR_CTL_TSYNC, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(seccomp_attr_get(b.ctx, SCMP_FLTATR_CTL_LOG, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(b.warn.n, 1);
	assert_string_equal(b.warn.msgs[0], "p.json: flags[2]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported by this libseccomp; ignored");
	th_filter_free(&b);
	/* The LOG flag from the profile or from opts. */
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"]}", &o);
	assert_int_equal(seccomp_attr_get(b.ctx, SCMP_FLTATR_CTL_LOG, &v), 0);
	assert_int_equal(v, 1);
	th_filter_free(&b);
	o.log = true;
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", &o);
	assert_int_equal(seccomp_attr_get(b.ctx, SCMP_FLTATR_CTL_LOG, &v), 0);
	assert_int_equal(v, 1);
	th_filter_free(&b);
}

static void test_arches(void **state)
{
	struct sk_filter_opts o = th_opts_host_like();
	struct th_filter b;

	(void)state;
	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		skip();
	/* The native arch stays even when the profile does not list it (runc). */
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\"],"
			    " \"syscalls\": [{\"names\": [\"chown32\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", &o);
	assert_int_equal(b.ret, 0);
	assert_int_equal(seccomp_arch_exist(b.ctx, SCMP_ARCH_X86_64), 0);
	assert_int_equal(seccomp_arch_exist(b.ctx, SCMP_ARCH_X86), 0);
	assert_int_equal(seccomp_arch_exist(b.ctx, SCMP_ARCH_X32), -EEXIST);
	/* chown32 exists on x86 only: added there, skipped on x86_64, no
	 * warning.  What the calls get: tests/data/filter/arches.tests. */
	assert_int_equal(b.warn.n, 0);
	th_filter_free(&b);
	/* archMap: only the native entry and its subArchitectures, as Docker. */
	th_filter_build_file(&b, FIX "docker-default.json", "p.json", &o);
	assert_int_equal(b.ret, 0);
	assert_int_equal(seccomp_arch_exist(b.ctx, SCMP_ARCH_X86), 0);
	assert_int_equal(seccomp_arch_exist(b.ctx, SCMP_ARCH_X32), 0);
	assert_int_equal(seccomp_arch_exist(b.ctx, SCMP_ARCH_AARCH64), -EEXIST);
	assert_int_equal(seccomp_arch_exist(b.ctx, SCMP_ARCH_S390X), -EEXIST);
	th_filter_free(&b);
}

static void test_unknown_names(void **state)
{
	struct sk_filter_opts o = th_opts_host_like();
	const struct scmp_version *v = seccomp_version();
	char want[256];
	struct th_filter b;

	(void)state;
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\":"
			    " [\"read\", \"no_such_call\", \"nor_this\", \"s390_runtime_instr\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", &o);
	assert_int_equal(b.ret, 0);
	assert_int_equal(b.warn.n, 1);
	snprintf(want, sizeof(want), "p.json: syscalls[0]: skipping 2 names unknown to libseccomp %u.%u.%u: no_such_call, nor_this",
		 v->major, v->minor, v->micro);
	assert_string_equal(b.warn.msgs[0], want);
	assert_int_equal(eval(&b, "read"), RET_ALLOW);
	th_filter_free(&b);
	snprintf(want, sizeof(want), "p.json: syscalls[1]: \"no_such_call\" is unknown to libseccomp %u.%u.%u; a rule that denies cannot skip it",
		 v->major, v->minor, v->micro);
	expect_build_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_LOG\"},"
			   " {\"names\": [\"no_such_call\"], \"action\": \"SCMP_ACT_ERRNO\"}]}", &o, -EINVAL, want);
	o.strict = true;
	snprintf(want, sizeof(want), "p.json: syscalls[0]: \"no_such_call\" is unknown to libseccomp %u.%u.%u (--strict)",
		 v->major, v->minor, v->micro);
	expect_build_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\":"
			   " [\"read\", \"no_such_call\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", &o, -EINVAL, want);
}

static void test_conflicts(void **state)
{
	struct sk_filter_opts o = th_opts_host_like();
	struct th_filter b;

	(void)state;
	expect_build_error("{\"defaultAction\": \"SCMP_ACT_KILL\", \"syscalls\": ["
			   "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			   "{\"names\": [\"openat\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			   "{\"names\": [\"close\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			   "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\"}]}", &o, -EINVAL,
			   "p.json: syscalls[3]: \"read\" conflicts with syscalls[2] (SCMP_ACT_ERRNO vs SCMP_ACT_ALLOW)");
	/* Same arguments in another order are the same rule. */
	expect_build_error("{\"defaultAction\": \"SCMP_ACT_KILL\", \"syscalls\": ["
			   "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1, \"args\": ["
			   " {\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
			   "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13, \"args\": ["
			   " {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			   &o, -EINVAL,
			   "p.json: syscalls[1]: \"socket\" conflicts with syscalls[0] (SCMP_ACT_ERRNO(13) vs SCMP_ACT_ERRNO(1))");
	/* Duplicates with the same action merge; other arguments do not clash. */
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_KILL\", \"syscalls\": ["
			    "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			    "{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			    "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
			    "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}]}", &o);
	assert_int_equal(b.ret, 0);
	assert_int_equal(b.warn.n, 0);
	assert_int_equal(th_eval(&b, SCMP_ARCH_X86_64, "socket", 1, 0, 0), RET_ALLOW);
	assert_int_equal(th_eval(&b, SCMP_ARCH_X86_64, "socket", 2, 0, 0), RET_ERRNO(EPERM));
	assert_int_equal(th_eval(&b, SCMP_ARCH_X86_64, "socket", 3, 0, 0), SECCOMP_RET_KILL_THREAD);
	th_filter_free(&b);
	/* Conditions first: rules that exclude each other never conflict. */
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			    "{\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_CHROOT\"]}},"
			    "{\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38, \"excludes\": {\"caps\": [\"CAP_SYS_CHROOT\"]}}]}", &o);
	assert_int_equal(b.ret, 0);
	assert_int_equal(eval(&b, "chroot"), RET_ALLOW);
	th_filter_free(&b);
	o.caps_effective = 0;
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			    "{\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_CHROOT\"]}},"
			    "{\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38, \"excludes\": {\"caps\": [\"CAP_SYS_CHROOT\"]}}]}", &o);
	assert_int_equal(eval(&b, "chroot"), RET_ERRNO(38));
	th_filter_free(&b);
	/* podman's profile, without capabilities, lists setns both ways. */
	th_filter_build_file(&b, FIX "podman-default.json", "p.json", &o);
	assert_int_equal(b.ret, -EINVAL);
	assert_string_equal(b.err.msg, "p.json: syscalls[16]: \"setns\" conflicts with syscalls[1] (SCMP_ACT_ERRNO vs SCMP_ACT_ALLOW)");
	th_filter_free(&b);
}

static void test_default_and_shadow_warnings(void **state)
{
	struct sk_filter_opts o = th_opts_host_like();
	struct th_filter b;

	(void)state;
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"syscalls\": ["
			    "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			    "{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
			    "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},"
			    "{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"}]},"
			    "{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", &o);
	assert_int_equal(b.ret, 0);
	assert_int_equal(b.warn.n, 2);
	assert_string_equal(b.warn.msgs[0], "p.json: syscalls[3]: \"kill\" with arguments never applies: syscalls[4] matches every \"kill\" call");
	assert_string_equal(b.warn.msgs[1], "p.json: syscalls[1]: action SCMP_ACT_ERRNO(38) is the default action; rule skipped");
	assert_int_equal(eval(&b, "bpf"), RET_ERRNO(38));
	assert_int_equal(eval(&b, "mount"), RET_ERRNO(1));
	/* libseccomp keeps the whole-syscall rule, as the warning says. */
	assert_int_equal(th_eval(&b, SCMP_ARCH_X86_64, "kill", 0, 9, 0), RET_ALLOW);
	th_filter_free(&b);
}

static void test_conditions(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_BPF\"]}},"
		"{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_BPF\"]}},"
		"{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"s390x\", \"amd64\"]}},"
		"{\"names\": [\"dup\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"arm64\"]}},"
		"{\"names\": [\"dup2\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"amd64\"]}},"
		"{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"4.8\"}},"
		"{\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"5.10\"}},"
		"{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_NOT_A_CAP\"]}}]}";
	struct sk_filter_opts o = th_opts_host_like();
	struct th_filter b;

	(void)state;
	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		skip();
	o.caps_effective = UINT64_C(1) << 21; /* CAP_SYS_ADMIN only */
	o.kernel_major = 4;
	o.kernel_minor = 8;
	th_filter_build(&b, json, &o);
	assert_int_equal(eval(&b, "read"), RET_ERRNO(EPERM));  /* needs both */
	assert_int_equal(eval(&b, "write"), RET_ERRNO(EPERM)); /* one is enough */
	assert_int_equal(eval(&b, "close"), RET_ALLOW);
	assert_int_equal(eval(&b, "dup"), RET_ERRNO(EPERM));
	assert_int_equal(eval(&b, "dup2"), RET_ERRNO(EPERM));
	assert_int_equal(eval(&b, "ptrace"), RET_ALLOW);
	assert_int_equal(eval(&b, "uname"), RET_ALLOW);
	assert_int_equal(eval(&b, "getpid"), RET_ERRNO(EPERM));
	assert_true(sk_filter_rule_active(&b.p->rules[2], &o));
	assert_false(sk_filter_rule_active(&b.p->rules[3], &o));
	th_filter_free(&b);
	o.caps_effective |= UINT64_C(1) << 39; /* CAP_BPF */
	o.kernel_major = 4;
	o.kernel_minor = 7;
	th_filter_build(&b, json, &o);
	assert_int_equal(eval(&b, "read"), RET_ALLOW);
	assert_int_equal(eval(&b, "ptrace"), RET_ERRNO(EPERM));
	assert_int_equal(eval(&b, "uname"), RET_ALLOW);
	th_filter_free(&b);
	o.caps_effective = 0;
	o.kernel_major = 5;
	o.kernel_minor = 10;
	th_filter_build(&b, json, &o);
	assert_int_equal(eval(&b, "write"), RET_ALLOW);
	assert_int_equal(eval(&b, "uname"), RET_ERRNO(EPERM));
	th_filter_free(&b);
	/* An unknown kernel meets no minimum. */
	o.kernel_major = o.kernel_minor = 0;
	th_filter_build(&b, json, &o);
	assert_int_equal(eval(&b, "ptrace"), RET_ERRNO(EPERM));
	assert_int_equal(eval(&b, "uname"), RET_ALLOW);
	th_filter_free(&b);
}

/* Without capabilities (with every one: tests/data/filter/docker.tests). */
static void test_docker_default_by_caps(void **state)
{
	struct sk_filter_opts o = th_opts_host_like();
	struct th_filter b;

	(void)state;
	o.caps_effective = 0;
	th_filter_build_file(&b, FIX "docker-default.json", "p.json", &o);
	assert_int_equal(b.ret, 0);
	assert_int_equal(eval(&b, "reboot"), RET_ERRNO(1));
	assert_int_equal(eval(&b, "clone3"), RET_ERRNO(ENOSYS));
	/* clone without CAP_SYS_ADMIN: no namespace flags (MASKED_EQ, datum 0). */
	assert_int_equal(th_eval(&b, SCMP_ARCH_X86_64, "clone", 0x11, 0, 0), RET_ALLOW);
	assert_int_equal(th_eval(&b, SCMP_ARCH_X86_64, "clone", 0x10000000, 0, 0), RET_ERRNO(1));
	th_filter_free(&b);
}

static void test_override_default(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"}]}";
	struct sk_filter_opts o = th_opts_host_like();
	struct th_filter b;

	(void)state;
	o.override_default = true;
	o.default_action = SK_ACT_ERRNO;
	o.default_errno = EACCES;
	th_filter_build(&b, json, &o);
	assert_int_equal(eval(&b, "write"), RET_ERRNO(EACCES));
	th_filter_free(&b);
	o.default_action = SK_ACT_KILL_PROCESS;
	th_filter_build(&b, json, &o);
	assert_int_equal(eval(&b, "write"), RET_KILL);
	assert_int_equal(b.warn.n, 1);
	assert_string_equal(b.warn.msgs[0], "p.json: syscalls[1]: action SCMP_ACT_KILL_PROCESS is the default action; rule skipped");
	th_filter_free(&b);
	o.notify_default = true;
	th_filter_build(&b, json, &o);
	assert_int_equal(eval(&b, "write"), SECCOMP_RET_USER_NOTIF);
	assert_int_equal(eval(&b, "read"), RET_ALLOW);
	th_filter_free(&b);
	o.notify_default = false;
	o.default_action = SK_ACT_ERRNO;
	o.default_errno = 5000;
	expect_build_error(json, &o, -ERANGE, "default errno 5000 is more than libseccomp accepts (4094)");
}

/* Every outcome of name for some arguments, as "ALLOW ERRNO(1) ..." sorted. */
static void expect_all(const struct th_filter *b, const char *name, bool reads,
		       const uint32_t *want, size_t n_want)
{
	struct sk_eval_all all;

	assert_int_equal(b->ret, 0);
	assert_int_equal(sk_filter_eval_all(&b->prog, SCMP_ARCH_X86_64, name,
					    NULL, 0, &all, NULL), 0);
	assert_false(all.incomplete);
	assert_int_equal(all.reads_args, reads);
	if (all.n != n_want)
		fail_msg("%s: %zu outcomes, want %zu", name, all.n, n_want);
	for (size_t i = 0; i < n_want; i++) {
		size_t k = 0;

		while (k < all.n && all.rets[k] != want[i])
			k++;
		if (k == all.n)
			fail_msg("%s: no outcome %#x", name, want[i]);
	}
}

/*
 * The exec check of scmp-apply --check: every outcome some arguments reach.
 * A rule on execve's envp (args[2] == 0) lets all-zero arguments through
 * but not a real exec; a test on one word that two paths read again must
 * not invent outcomes no value reaches (x == 5 allowed, x != 5 allowed).
 */
static void test_eval_all(void **state)
{
	static const uint32_t allow[] = { RET_ALLOW },
			      allow_kill[] = { RET_ALLOW, RET_KILL },
			      allow_eperm[] = { RET_ALLOW, RET_ERRNO(EPERM) },
			      kill[] = { RET_KILL };
	struct sk_filter_opts o = th_opts_host_like();
	struct th_filter b;

	(void)state;
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": ["
			    "{\"names\": [\"execve\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]},"
			    "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"}]},"
			    "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_NE\"}]},"
			    "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_LT\"}]},"
			    "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 4, \"op\": \"SCMP_CMP_GT\"}]},"
			    "{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 4294967296, \"op\": \"SCMP_CMP_GE\"}]},"
			    "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			    "{\"names\": [\"dup\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 240, \"valueTwo\": 16, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
			    "{\"names\": [\"dup\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 240, \"valueTwo\": 32, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}", &o);
	assert_int_equal(b.ret, 0);
	/* All-zero arguments pass, which is all the old check tried. */
	assert_int_equal(eval(&b, "execve"), RET_ALLOW);
	expect_all(&b, "execve", true, allow_kill, 2);
	expect_all(&b, "read", true, allow, 1);
	expect_all(&b, "write", true, allow, 1);
	expect_all(&b, "close", true, allow_kill, 2);
	expect_all(&b, "getpid", false, allow, 1);
	expect_all(&b, "mount", false, kill, 1);
	/* A masked compare is followed both ways: all three outcomes. */
	{
		static const uint32_t three[] = { RET_ALLOW, RET_ERRNO(EPERM), RET_KILL };

		expect_all(&b, "dup", true, three, 3);
	}
	th_filter_free(&b);
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			    "{\"names\": [\"execveat\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 4, \"value\": 4096, \"op\": \"SCMP_CMP_MASKED_EQ\", \"valueTwo\": 0}]}]}", &o);
	expect_all(&b, "execveat", true, allow_eperm, 2);
	expect_all(&b, "execve", false, (const uint32_t[]){ RET_ERRNO(EPERM) }, 1);
	/* Known arguments are constants: the flags scmp-apply passes. */
	{
		uint64_t args[6] = { 0, 0, 0, 0, 4096, 0 };
		struct sk_eval_all all;

		assert_int_equal(sk_filter_eval_all(&b.prog, SCMP_ARCH_X86_64, "execveat",
						    args, 1U << 4, &all, NULL), 0);
		assert_false(all.reads_args);
		assert_int_equal(all.n, 1);
		assert_int_equal(all.rets[0], RET_ERRNO(EPERM));
		args[4] = 0;
		assert_int_equal(sk_filter_eval_all(&b.prog, SCMP_ARCH_X86_64, "execveat",
						    args, 1U << 4, &all, NULL), 0);
		assert_int_equal(all.n, 1);
		assert_int_equal(all.rets[0], RET_ALLOW);
	}
	th_filter_free(&b);
}

static void test_limits(void **state)
{
	struct sk_filter_opts o = th_opts_host_like();
	size_t cap = 1 << 20, n = 0;
	char *json = malloc(cap), want[160];
	struct th_filter b;
	long insns;

	(void)state;
	/* An errno past what libseccomp takes still denies, as 4094, with a
	 * warning (the kernel caps errno at 4095 anyway). */
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"],"
			    " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 12345}]}", &o);
	assert_int_equal(eval(&b, "read"), SCMP_ACT_ERRNO(4094));
	assert_int_equal(b.warn.n, 1);
	assert_non_null(strstr(b.warn.msgs[0], "syscalls[0].errnoRet: 12345 is beyond"));
	th_filter_free(&b);
	/* 2500 argument rules on one syscall, each with its own upper half (two
	 * comparisons a rule): more than the kernel's 4096. */
	n += (size_t)snprintf(json + n, cap - n, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [");
	for (int i = 0; i < 2500; i++)
		n += (size_t)snprintf(json + n, cap - n, "%s{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\","
				      " \"args\": [{\"index\": 1, \"value\": %llu, \"op\": \"SCMP_CMP_EQ\"}]}",
				      i ? "," : "", (unsigned long long)(i + 1) << 32 | 7);
	snprintf(json + n, cap - n, "]}");
	th_filter_build(&b, json, &o);
	assert_int_equal(b.ret, -E2BIG);
	assert_null(b.ctx);
	/* The message gives the size; rebuild smaller to check the counter. */
	assert_non_null(strstr(b.err.msg, "BPF instructions; the kernel accepts at most 4096"));
	insns = strtol(b.err.msg + strlen("p.json: the filter is "), NULL, 10);
	assert_true(insns > 4096);
	snprintf(want, sizeof(want), "p.json: the filter is %ld BPF instructions; the kernel accepts at most 4096", insns);
	assert_string_equal(b.err.msg, want);
	th_filter_free(&b);
	free(json);
}

/* PFC text of the context, allocated. */
static char *pfc(scmp_filter_ctx ctx)
{
	int fd = memfd_create("pfc", 0);
	struct stat st;
	char *buf;

	assert_true(fd >= 0);
	assert_int_equal(seccomp_export_pfc(ctx, fd), 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = calloc(1, (size_t)st.st_size + 1);
	assert_int_equal(pread(fd, buf, (size_t)st.st_size, 0), st.st_size);
	close(fd);
	return buf;
}

/* A small profile against the PFC libseccomp prints for it (expected file). */
static void test_pfc_expected(void **state)
{
	struct sk_filter_opts o = th_opts_host_like();
	char *text, *want;
	struct th_filter b;

	(void)state;
	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		skip();
	th_filter_build_file(&b, "tests/data/profiles/small.json", "p.json", &o);
	assert_int_equal(b.ret, 0);
	text = pfc(b.ctx);
	want = th_read("tests/data/profiles/small.pfc", NULL);
	assert_string_equal(text, want);
	/* Priority from rule order: the first name ranks highest. */
	assert_non_null(strstr(text, "\"read\" (0) [priority: 16777215]"));
	assert_non_null(strstr(text, "\"exit_group\" (231) [priority: 5636095]"));
	free(text);
	free(want);
	th_filter_free(&b);
}

static void test_bpf_run_guards(void **state)
{
	struct sock_filter bad_load[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter no_ret[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	};
	struct sock_filter jump[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 3),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p1 = { 2, bad_load }, p2 = { 1, no_ret }, p3 = { 4, jump };
	struct seccomp_data d = { .nr = 39 };

	(void)state;
	assert_int_equal(sk_cbpf_eval(&p1, &d), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(sk_cbpf_eval(&p2, &d), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(sk_cbpf_eval(&p3, &d), SECCOMP_RET_ERRNO | 3);
	d.nr = 40;
	assert_int_equal(sk_cbpf_eval(&p3, &d), SECCOMP_RET_ALLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_arches),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_default_and_shadow_warnings),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_docker_default_by_caps),
		cmocka_unit_test(test_override_default),
		cmocka_unit_test(test_eval_all),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_pfc_expected),
		cmocka_unit_test(test_bpf_run_guards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
