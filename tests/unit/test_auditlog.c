/* SPDX-License-Identifier: MIT */
/*
 * Seccomp audit records to a trace (auditlog.c): the kernel's, auditd's
 * (raw, enriched, ausearch -i) and journald's forms as they are captured,
 * hex-encoded exe, i386 from 64-bit code, x32, counts and executables,
 * skipped and dropped-record lines, and each malformed record refused with
 * its line number.
 */
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
#include "scmpkit/auditlog.h"
#include "scmpkit/trace_format.h"

/* The fields after the stamp, as the kernel writes them (kernel/auditsc.c). */
#define TASK "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=812 comm=\"ls\" "
#define LS_READLINK TASK "exe=\"/usr/bin/ls\" sig=0 arch=c000003e syscall=89 compat=0 ip=0x7f3c1b2d4e5b code=0x7ffc0000"

struct parsed {
	struct sk_trace *t;
	struct sk_auditlog_stats st;
	struct sk_warn warn;
};

static void parse_ok(const char *text, struct parsed *p)
{
	struct sk_err err = { "" };

	memset(p, 0, sizeof(*p));
	if (sk_auditlog_parse(text, strlen(text), "k.log", "scmp-trace test",
			      &p->t, &p->st, &p->warn, &err))
		fail_msg("unexpected error: %s", err.msg);
}

static void parsed_free(struct parsed *p)
{
	sk_trace_free(p->t);
	sk_warn_clear(&p->warn);
}

/* The message a refused log gets (the test fails if it is accepted). */
static const char *parse_err(const char *text, size_t len)
{
	static struct sk_err err;
	struct sk_auditlog_stats st;
	struct sk_warn warn = { 0 };
	struct sk_trace *t = NULL;
	int ret;

	ret = sk_auditlog_parse(text, len, "k.log", NULL, &t, &st, &warn, &err);
	if (!ret)
		fail_msg("accepted: %.200s", text);
	assert_int_equal(ret, -EINVAL);
	assert_null(t);
	sk_warn_clear(&warn);
	return err.msg;
}

static const struct sk_trace_sys *find(const struct sk_trace *t, uint32_t arch,
				       const char *name)
{
	for (size_t i = 0; i < t->n_sys; i++)
		if (t->sys[i].arch == arch && t->sys[i].name &&
		    !strcmp(t->sys[i].name, name))
			return &t->sys[i];
	fail_msg("%s on %s is not in the trace", name, sk_arch_name(arch));
	return NULL;
}

static const char *exe_of(const struct sk_trace *t, const struct sk_trace_sys *s,
			  size_t i)
{
	assert_true(i < s->n_exe);
	assert_true(s->exe[i] < t->n_executables);
	return t->executables[s->exe[i]];
}

/* Whatever is accepted writes a trace that reads back (scmp-gen merges it). */
static void assert_round_trip(const struct sk_trace *t)
{
	struct sk_trace *again = NULL;
	struct sk_err err = { "" };
	char *json = sk_trace_to_json(t);

	assert_non_null(json);
	if (sk_trace_parse(json, strlen(json), "again.json", &again, &err))
		fail_msg("the trace does not read back: %s\n%s", err.msg, json);
	assert_int_equal(again->n_sys, t->n_sys);
	sk_trace_free(again);
	free(json);
}

static void test_kernel_forms(void **state)
{
	/* dmesg, dmesg -T, journalctl -k, syslog: the printk line, prefixed. */
	const char *log =
		"[ 3700.932462] audit: type=1326 audit(1700000000.123:456): " LS_READLINK "\n"
		"[Tue Nov 14 22:13:20 2023] audit: type=1326 audit(1700000001.500:457): " LS_READLINK "\n"
		"Nov 14 22:13:22 host kernel: audit: type=1326 audit(1700000002.000:458): " TASK
		"exe=\"/usr/bin/cat\" sig=31 arch=c000003e syscall=89 compat=0 ip=0x7f3c1b2d4e5b code=0x80000000\n"
		"2023-11-14T22:13:23.000000+00:00 host kernel: [ 3703.1] audit: type=1326 audit(1700000003.000:459): " TASK
		"exe=\"/usr/bin/ls\" sig=0 arch=c000003e syscall=63 compat=0 ip=0x7f3c1b2d4e5b code=0x7ffc0000\n";
	const struct sk_trace_sys *s;
	struct parsed p;

	(void)state;
	parse_ok(log, &p);
	assert_int_equal(p.st.lines, 4);
	assert_int_equal(p.st.records, 4);
	assert_int_equal(p.st.skipped, 0);
	assert_int_equal(p.st.n_sys, 2);
	assert_int_equal(p.st.n_exe, 2);
	assert_int_equal(p.warn.n, 0);
	assert_string_equal(p.t->backend, "audit-log");
	assert_string_equal(p.t->tool, "scmp-trace test");
	assert_int_equal(p.t->n_command, 1);
	assert_string_equal(p.t->command[0], "log:k.log");
	/* When the first record was made, and how long the log spans. */
	assert_string_equal(p.t->started, "2023-11-14T22:13:20Z");
	assert_int_equal(p.t->duration_ms, 2877);
	assert_true(p.t->complete);
	assert_int_equal(p.t->machine, 0);
	s = find(p.t, SCMP_ARCH_X86_64, "readlink");
	assert_int_equal(s->nr, sk_syscall_nr(SCMP_ARCH_X86_64, "readlink"));
	assert_int_equal(s->count, 3);
	assert_int_equal(s->n_argidx, 0);
	assert_int_equal(s->n_exe, 2);
	assert_string_equal(exe_of(p.t, s, 0), "/usr/bin/ls");
	assert_string_equal(exe_of(p.t, s, 1), "/usr/bin/cat");
	s = find(p.t, SCMP_ARCH_X86_64, "uname");
	assert_int_equal(s->count, 1);
	assert_int_equal(s->n_exe, 1);
	assert_string_equal(exe_of(p.t, s, 0), "/usr/bin/ls");
	assert_round_trip(p.t);
	parsed_free(&p);
}

static void test_auditd_forms(void **state)
{
	/* audit.log raw and enriched (GS, then the interpreted fields, whose
	 * upper-case keys must not count), ausearch -i, journald's transport. */
	const char *log =
		"type=SYSCALL msg=audit(1700000000.100:455): arch=c000003e syscall=59 success=yes exit=0 a0=55d1 items=2 ppid=1 pid=812 comm=\"ls\" exe=\"/usr/bin/ls\" key=(null)\n"
		"type=SECCOMP msg=audit(1700000000.123:456): " LS_READLINK "\n"
		"node=web1 type=SECCOMP msg=audit(1700000000.124:457): " TASK
		"exe=\"/usr/bin/ls\" sig=0 arch=c000003e syscall=63 compat=0 ip=0x7f3c1b2d4e5b code=0x7ffc0000"
		"\x1d" "AUID=\"unset\" UID=\"root\" GID=\"root\" ARCH=aarch64 SYSCALL=openat\n"
		"----\n"
		"type=SECCOMP msg=audit(11/14/2023 22:13:20.125:458) : auid=unset uid=root gid=root ses=unset subj=unconfined pid=812 comm=ls exe=/usr/bin/ls sig=SIGSYS arch=x86_64 syscall=getcwd compat=0 ip=0x7f3c1b2d4e5b code=kill\n"
		"Nov 14 22:13:20 host audit[812]: SECCOMP " LS_READLINK "\n"
		"Nov 14 22:13:20 host systemd[1]: Started ls.service - SECCOMP test.\n";
	const struct sk_trace_sys *s;
	struct parsed p;

	(void)state;
	parse_ok(log, &p);
	assert_int_equal(p.st.lines, 7);
	assert_int_equal(p.st.records, 4);
	/* The SYSCALL record, the ausearch separator, the systemd line. */
	assert_int_equal(p.st.skipped, 3);
	assert_int_equal(p.st.n_exe, 1);
	assert_int_equal(find(p.t, SCMP_ARCH_X86_64, "readlink")->count, 2);
	assert_int_equal(find(p.t, SCMP_ARCH_X86_64, "uname")->count, 1);
	s = find(p.t, SCMP_ARCH_X86_64, "getcwd");
	assert_int_equal(s->count, 1);
	assert_string_equal(exe_of(p.t, s, 0), "/usr/bin/ls");
	assert_int_equal(p.t->n_sys, 3);
	assert_round_trip(p.t);
	parsed_free(&p);
}

static void test_hex_exe(void **state)
{
	/* "/usr/bin/my prog" and "/opt/a\"b": audit hex-encodes a path with a
	 * space or a quote, upper case; lower case is read too. */
	const char *log =
		"audit: type=1326 audit(1700000000.123:456): " TASK
		"exe=2F7573722F62696E2F6D792070726F67 sig=0 arch=c000003e syscall=89 compat=0 ip=0x1 code=0x7ffc0000\n"
		"audit: type=1326 audit(1700000000.124:457): " TASK
		"exe=2f6f70742f612262 sig=0 arch=c000003e syscall=89 compat=0 ip=0x1 code=0x7ffc0000\n"
		"audit: type=1326 audit(1700000000.125:458): auid=0 uid=0 pid=9 comm=\"kworker\" exe=(null) sig=0 arch=c000003e syscall=89 compat=0\n";
	const struct sk_trace_sys *s;
	struct parsed p;

	(void)state;
	parse_ok(log, &p);
	s = find(p.t, SCMP_ARCH_X86_64, "readlink");
	assert_int_equal(s->count, 3);
	assert_int_equal(s->n_exe, 2);
	assert_string_equal(exe_of(p.t, s, 0), "/usr/bin/my prog");
	assert_string_equal(exe_of(p.t, s, 1), "/opt/a\"b");
	assert_int_equal(p.st.unattributed, 1);
	assert_int_equal(p.warn.n, 0);
	assert_round_trip(p.t);
	parsed_free(&p);
}

static void test_compat_and_x32(void **state)
{
	/* int 0x80 from a 64-bit program: arch says i386, compat=1; x32:
	 * x86_64 with the x32 bit in the number. */
	const char *log =
		"audit: type=1326 audit(1700000000.123:456): " TASK
		"exe=\"/usr/bin/i386prog\" sig=0 arch=40000003 syscall=64 compat=1 ip=0x1 code=0x7ffc0000\n"
		"audit: type=1326 audit(1700000000.124:457): " TASK
		"exe=\"/usr/bin/x32prog\" sig=0 arch=c000003e syscall=1073741863 compat=0 ip=0x1 code=0x7ffc0000\n"
		"audit: type=1326 audit(1700000000.125:458): " TASK
		"exe=\"/usr/bin/x64prog\" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000\n"
		"audit: type=1326 audit(1700000000.126:459): " TASK
		"exe=\"/usr/bin/armprog\" sig=0 arch=c00000b7 syscall=172 compat=0 ip=0x1 code=0x7ffc0000\n";
	const struct sk_trace_sys *s;
	struct parsed p;

	(void)state;
	parse_ok(log, &p);
	s = find(p.t, SCMP_ARCH_X86, "getppid");
	assert_int_equal(s->nr, sk_syscall_nr(SCMP_ARCH_X86, "getppid"));
	assert_string_equal(exe_of(p.t, s, 0), "/usr/bin/i386prog");
	s = find(p.t, SCMP_ARCH_X32, "getpid");
	assert_int_equal(s->nr, sk_syscall_nr(SCMP_ARCH_X32, "getpid"));
	assert_true(s->nr & SK_X32_SYSCALL_BIT);
	assert_string_equal(exe_of(p.t, s, 0), "/usr/bin/x32prog");
	s = find(p.t, SCMP_ARCH_X86_64, "getpid");
	assert_string_equal(exe_of(p.t, s, 0), "/usr/bin/x64prog");
	s = find(p.t, SCMP_ARCH_AARCH64, "getpid");
	assert_string_equal(exe_of(p.t, s, 0), "/usr/bin/armprog");
	assert_int_equal(p.t->n_sys, 4);
	assert_round_trip(p.t);
	parsed_free(&p);
}

static void test_unknown_number_kept(void **state)
{
	/* A number this libseccomp has no name for: kept with its nr, as the
	 * tracers keep it; scmp-gen says it skips it. */
	struct parsed p;

	(void)state;
	parse_ok("audit: type=1326 audit(1700000000.123:456): arch=c000003e syscall=16383 exe=\"/x\"\n", &p);
	assert_int_equal(p.t->n_sys, 1);
	assert_null(p.t->sys[0].name);
	assert_int_equal(p.t->sys[0].nr, 16383);
	assert_round_trip(p.t);
	parsed_free(&p);
}

static void test_number_named_loosely(void **state)
{
	/* libseccomp names mips n32's 89 "fchmod", whose number is 6089 there
	 * (found by fuzz_auditlog): the entry stays unnamed, so the trace
	 * reads back. */
	char log[128];
	struct parsed p;

	(void)state;
	assert_int_not_equal(sk_syscall_nr(SCMP_ARCH_MIPS64N32, "fchmod"), 89);
	snprintf(log, sizeof(log), "audit: type=1326 audit(1.000:1): arch=%x syscall=89\n",
		 SCMP_ARCH_MIPS64N32);
	parse_ok(log, &p);
	assert_int_equal(p.t->n_sys, 1);
	assert_int_equal(p.t->sys[0].arch, SCMP_ARCH_MIPS64N32);
	assert_null(p.t->sys[0].name);
	assert_round_trip(p.t);
	parsed_free(&p);
}

static void test_skipped_lines(void **state)
{
	/* Blank lines are not counted; CRLF and a last line without a newline
	 * are read; NUL bytes outside records are skipped like any text. */
	static const char log[] =
		"Linux version 6.1.0 (gcc) #1 SMP\r\n"
		"\n"
		"usb 1-1: new high-speed USB device\0 number 2\n"
		"audit: type=1400 audit(1700000000.1:2): apparmor=\"DENIED\"\r\n"
		"audit: type=1326 audit(1700000000.123:456): " LS_READLINK "\r\n"
		"audit: type=1326 audit(1700000000.124:457): " LS_READLINK;
	struct sk_auditlog_stats st;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct sk_trace *t = NULL;

	(void)state;
	if (sk_auditlog_parse(log, sizeof(log) - 1, "k.log", NULL, &t, &st, &warn, &err))
		fail_msg("unexpected error: %s", err.msg);
	assert_int_equal(st.lines, 5);
	assert_int_equal(st.skipped, 3);
	assert_int_equal(st.records, 2);
	assert_int_equal(find(t, SCMP_ARCH_X86_64, "readlink")->count, 2);
	assert_string_equal(t->executables[0], "/usr/bin/ls");
	assert_null(t->tool);
	sk_trace_free(t);
	sk_warn_clear(&warn);
}

static void test_dropped_records(void **state)
{
	const char *log =
		"[ 10.0] audit: type=1326 audit(1700000000.123:456): " LS_READLINK "\n"
		"[ 11.0] kauditd_printk_skb: 12 callbacks suppressed\n"
		"[ 12.0] audit: type=1326 audit(1700000000.124:457): " LS_READLINK "\n"
		"[ 13.0] audit: audit_lost=3 audit_rate_limit=0 audit_backlog_limit=64\n";
	struct parsed p;

	(void)state;
	parse_ok(log, &p);
	assert_int_equal(p.st.records, 2);
	assert_int_equal(p.st.lost_lines, 2);
	assert_int_equal(p.st.skipped, 0);
	assert_int_equal(p.warn.n, 1);
	assert_non_null(strstr(p.warn.msgs[0], "k.log:2: "));
	assert_non_null(strstr(p.warn.msgs[0], "dropped"));
	assert_non_null(strstr(p.warn.msgs[0], "2 such lines"));
	/* The trace is incomplete (issue 24: the dropped records may be this
	 * program's; a trace cannot tell), and says where the log said so. */
	assert_false(p.t->complete);
	assert_non_null(strstr(p.t->incomplete_reason, "k.log:2: "));
	assert_non_null(strstr(p.t->incomplete_reason, "2 such lines"));
	parsed_free(&p);
}

static void test_exe_not_utf8(void **state)
{
	/* "/opt/\xff" hex-encoded: the trace holds UTF-8 only, so the call is
	 * kept and the executable is not, with a warning. */
	struct parsed p;

	(void)state;
	parse_ok("audit: type=1326 audit(1700000000.123:456): exe=2F6F70742FFF arch=c000003e syscall=89\n"
		 "audit: type=1326 audit(1700000000.124:457): " LS_READLINK "\n", &p);
	assert_int_equal(p.st.unattributed, 1);
	assert_int_equal(p.t->n_executables, 1);
	assert_int_equal(find(p.t, SCMP_ARCH_X86_64, "readlink")->count, 2);
	assert_int_equal(p.warn.n, 1);
	assert_non_null(strstr(p.warn.msgs[0], "k.log:1: "));
	assert_non_null(strstr(p.warn.msgs[0], "UTF-8"));
	assert_round_trip(p.t);
	parsed_free(&p);
}

static void test_exe_table_full(void **state)
{
	size_t cap = (SK_AUDITLOG_EXE_MAX + 2) * 128, n = 0;
	char *log = malloc(cap);
	struct parsed p;

	(void)state;
	assert_non_null(log);
	for (int i = 0; i < SK_AUDITLOG_EXE_MAX + 2; i++)
		n += (size_t)snprintf(log + n, cap - n,
				      "audit: type=1326 audit(1.000:%d): exe=\"/bin/p%d\" arch=c000003e syscall=89\n",
				      i, i);
	parse_ok(log, &p);
	assert_int_equal(p.st.n_exe, SK_AUDITLOG_EXE_MAX);
	assert_int_equal(p.st.unattributed, 2);
	assert_int_equal(find(p.t, SCMP_ARCH_X86_64, "readlink")->count, SK_AUDITLOG_EXE_MAX + 2);
	assert_int_equal(p.warn.n, 1);
	assert_non_null(strstr(p.warn.msgs[0], "k.log:257: more than 256 executables"));
	parsed_free(&p);
	free(log);
}

static void test_sys_table_full(void **state)
{
	size_t cap = (SK_AUDITLOG_SYS_MAX + 1) * 80, n = 0;
	char *log = malloc(cap);

	(void)state;
	assert_non_null(log);
	for (int i = 0; i <= SK_AUDITLOG_SYS_MAX; i++)
		n += (size_t)snprintf(log + n, cap - n,
				      "audit: type=1326 audit(1.000:1): arch=c000003e syscall=%d\n", i);
	assert_non_null(strstr(parse_err(log, n), "k.log:4097: more than 4096 distinct system calls"));
	free(log);
}

/* "LINE: ..." for a log whose line 2 is bad (line 1 is a good record). */
static void assert_bad_line2(const char *record, const char *want)
{
	char log[1024];
	const char *msg;

	snprintf(log, sizeof(log), "audit: type=1326 audit(1.000:1): " LS_READLINK "\n%s\n", record);
	msg = parse_err(log, strlen(log));
	if (strncmp(msg, "k.log:2: ", 9) || !strstr(msg, want))
		fail_msg("for %s\ngot  \"%s\"\nwant \"k.log:2: ...%s...\"", record, msg, want);
}

static void test_malformed(void **state)
{
	(void)state;
	assert_bad_line2("audit: type=1326 audit(1.000:2): exe=\"/bin/ls\" syscall=89",
			 "a seccomp record without arch=");
	assert_bad_line2("type=SECCOMP msg=audit(1.000:2): exe=\"/bin/ls\" arch=c000003e",
			 "a seccomp record without syscall=");
	assert_bad_line2("audit: type=1326 audit(1.000:2): arch=zz syscall=89",
			 "arch=zz: not an audit architecture");
	assert_bad_line2("audit: type=1326 audit(1.000:2): arch=123456789 syscall=89",
			 "arch=123456789: not an audit architecture");
	assert_bad_line2("audit: type=1326 audit(1.000:2): arch=deadbeef syscall=89",
			 "arch=deadbeef: an architecture libseccomp does not know");
	assert_bad_line2("audit: type=1326 audit(1.000:2): arch=c000003e syscall=-1",
			 "syscall=-1: not a system call number");
	assert_bad_line2("audit: type=1326 audit(1.000:2): arch=c000003e syscall=4294967296",
			 "syscall=4294967296: out of range");
	assert_bad_line2("audit: type=1326 audit(1.000:2): arch=c000003e syscall=0x59",
			 "syscall=0x59: not a system call number");
	assert_bad_line2("type=SECCOMP msg=audit(1.000:2): arch=x86_64 syscall=nosuchcall",
			 "syscall=nosuchcall: no such system call on SCMP_ARCH_X86_64");
	assert_bad_line2("audit: type=1326 audit(1.000:2): exe=2F7 arch=c000003e syscall=89",
			 "exe=2F7: an odd number of hex digits");
	assert_bad_line2("audit: type=1326 audit(1.000:2): exe=2F00 arch=c000003e syscall=89",
			 "exe=2F00: the hex holds a NUL byte");
	assert_bad_line2("audit: type=1326 audit(1.000:2): exe=bin/ls arch=c000003e syscall=89",
			 "exe=bin/ls: neither a quoted path nor hex");
	assert_bad_line2("audit: type=1326 audit(1.000:2): exe= arch=c000003e syscall=89",
			 "exe=: neither a quoted path nor hex");
	assert_bad_line2("audit: type=1326 audit(1.000:2): exe=\"/bin/ls\"x arch=c000003e syscall=89",
			 "text after the quoted path");
	assert_bad_line2("audit: type=1326 audit(1.000:2): arch=c000003e syscall=89 exe=\"/bin/ls",
			 "exe=: a quoted value without its closing quote");
	assert_bad_line2("Nov 14 22:13:20 host audit[812]: SECCOMP pid=812 arch=c000003e",
			 "a seccomp record without syscall=");
}

static void test_bounds(void **state)
{
	size_t n = SK_AUDITLOG_LINE_MAX + 200, pl = 8200;
	char *log = malloc(n + 1), *hex = malloc(pl + 1);
	static const char nul[] = "audit: type=1326 audit(1.000:1): arch=c000003e\0 syscall=89\n";
	const char *msg;
	int len;

	(void)state;
	assert_non_null(log);
	assert_non_null(hex);
	/* A record longer than the bound is refused... */
	len = snprintf(log, n + 1, "x\naudit: type=1326 audit(1.000:1): arch=c000003e syscall=89 comm=\"%0*d\"\n",
		       SK_AUDITLOG_LINE_MAX, 0);
	msg = parse_err(log, (size_t)len);
	assert_non_null(strstr(msg, "k.log:2: a seccomp record longer than 16384 bytes"));
	/* ...another line of that length is only skipped. */
	memset(log, 'a', n);
	log[n] = '\0';
	{
		struct parsed p;

		parse_ok(log, &p);
		assert_int_equal(p.st.skipped, 1);
		assert_int_equal(p.t->n_sys, 0);
		parsed_free(&p);
	}
	/* A NUL byte in a record. */
	msg = parse_err(nul, sizeof(nul) - 1);
	assert_non_null(strstr(msg, "k.log:1: a seccomp record holding a NUL byte"));
	/* An exe past PATH_MAX, quoted and in hex. */
	memset(hex, '4', pl);
	hex[pl] = '\0';
	snprintf(log, n + 1, "audit: type=1326 audit(1.000:1): arch=c000003e syscall=89 exe=%s\n", hex);
	msg = parse_err(log, strlen(log));
	assert_non_null(strstr(msg, "k.log:1: exe=: a path longer than 4096 bytes"));
	snprintf(log, n + 1, "audit: type=1326 audit(1.000:1): arch=c000003e syscall=89 exe=\"/%s\"\n", hex);
	msg = parse_err(log, strlen(log));
	assert_non_null(strstr(msg, "k.log:1: exe=: a path longer than 4096 bytes"));
	free(hex);
	free(log);
}

static void test_empty(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok("", &p);
	assert_int_equal(p.st.lines, 0);
	assert_int_equal(p.t->n_sys, 0);
	assert_null(p.t->started);
	assert_round_trip(p.t);
	parsed_free(&p);
}

/* sk_auditlog_record: read, write atomically, never over the log itself. */
static void test_record_file(void **state)
{
	char dir[] = "/tmp/test_auditlog.XXXXXX", in[64], out[64];
	struct sk_auditlog_stats st;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct sk_trace *t = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(in, sizeof(in), "%s/k.log", dir);
	snprintf(out, sizeof(out), "%s/t.json", dir);
	f = fopen(in, "w");
	assert_non_null(f);
	fputs("audit: type=1326 audit(1700000000.123:456): " LS_READLINK "\n", f);
	fclose(f);
	assert_int_equal(sk_auditlog_record(in, out, "scmp-trace test", &st, &warn, &err), 0);
	assert_int_equal(st.records, 1);
	assert_int_equal(sk_trace_load(out, &t, &err), 0);
	assert_string_equal(t->backend, "audit-log");
	assert_int_equal(find(t, SCMP_ARCH_X86_64, "readlink")->count, 1);
	sk_trace_free(t);
	/* The log is not replaced by its trace. */
	assert_int_equal(sk_auditlog_record(in, in, NULL, &st, &warn, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is also an input"));
	unlink(out);
	/* A log that cannot be read names itself, and nothing is written. */
	unlink(in);
	assert_true(sk_auditlog_record(in, out, NULL, &st, &warn, &err) < 0);
	assert_non_null(strstr(err.msg, "k.log"));
	assert_int_equal(access(out, F_OK), -1);
	sk_warn_clear(&warn);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_forms),
		cmocka_unit_test(test_auditd_forms),
		cmocka_unit_test(test_hex_exe),
		cmocka_unit_test(test_compat_and_x32),
		cmocka_unit_test(test_unknown_number_kept),
		cmocka_unit_test(test_number_named_loosely),
		cmocka_unit_test(test_skipped_lines),
		cmocka_unit_test(test_dropped_records),
		cmocka_unit_test(test_exe_not_utf8),
		cmocka_unit_test(test_exe_table_full),
		cmocka_unit_test(test_sys_table_full),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_record_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
