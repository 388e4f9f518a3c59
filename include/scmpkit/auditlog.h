/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_AUDITLOG_H
#define SCMPKIT_AUDITLOG_H

#include <stddef.h>
#include <stdint.h>

#include "scmpkit/err.h"
#include "scmpkit/trace_format.h"

/*
 * The kernel's audit records of seccomp actions (AUDIT_SECCOMP, type 1326)
 * as a trace: what a profile deployed with a log (or logged kill) default
 * did not allow in production, for scmp-gen to merge (scmp-trace
 * --from-log).  Three forms are read, wherever they sit in a line:
 *
 *   audit: type=1326 audit(T:N): ... exe="/usr/bin/ls" sig=0 arch=c000003e syscall=89 ...
 *                                           (dmesg, journalctl -k, syslog)
 *   type=SECCOMP msg=audit(T:N): ...        (auditd's audit.log, raw or
 *                                           enriched, and ausearch -i)
 *   audit[812]: SECCOMP ...                 (journald's audit transport)
 *
 * Every other line is skipped and counted.  A line holding one of these
 * markers is a record and must be whole: arch= (AUDIT_ARCH_* in hex, or a
 * name from ausearch -i) and syscall= (decimal, or a name), exe= quoted,
 * hex-encoded (audit's form for a path with spaces or odd bytes), (null)
 * or absent.  x32 calls come as x86_64 with the x32 bit in the number.
 * Input is hostile: lines, paths and tables are bounded below.
 */

/* The longest line that can be a record (the kernel's are under 9 KB). */
#define SK_AUDITLOG_LINE_MAX 16384
/* Distinct (arch, syscall) pairs a log may name (a real one: hundreds). */
#define SK_AUDITLOG_SYS_MAX 4096
/* Distinct executables attributed, as the recorder (SK_REC_EXE_MAX). */
#define SK_AUDITLOG_EXE_MAX 256

struct sk_auditlog_stats {
	uint64_t lines;        /* lines read */
	uint64_t records;      /* seccomp records taken into the trace */
	uint64_t skipped;      /* lines that are no seccomp record */
	uint64_t unattributed; /* records not attributed to an executable */
	uint64_t lost_lines;   /* lines saying the kernel dropped records */
	size_t n_sys;          /* distinct (arch, syscall) pairs */
	size_t n_exe;          /* distinct executables */
};

/*
 * Parses log text (len bytes, NUL bytes allowed outside records) read from
 * file (the name messages give).  Returns 0 with *out set (allocated, free
 * with sk_trace_free; "backend": "audit-log", tool copied when not NULL,
 * no arguments) and *st filled; what the main should say (dropped
 * records, unattributed calls) appended to warn.  -EINVAL with
 * "FILE:LINE: ..." in err for a malformed record or a log past the
 * bounds, or -ENOMEM.
 */
int sk_auditlog_parse(const char *text, size_t len, const char *file,
		      const char *tool, struct sk_trace **out,
		      struct sk_auditlog_stats *st, struct sk_warn *warn,
		      struct sk_err *err);

/*
 * Reads the log at path ("-" is stdin) as sk_read_file does and writes its
 * trace to output as sk_trace_save does, after the checks every recording
 * makes (output writable, not the log itself).  0 with *st filled, or a
 * negative errno with err filled; warnings as sk_auditlog_parse.
 */
int sk_auditlog_record(const char *path, const char *output, const char *tool,
		       struct sk_auditlog_stats *st, struct sk_warn *warn,
		       struct sk_err *err);

#endif
