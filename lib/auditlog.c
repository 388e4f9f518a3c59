/* SPDX-License-Identifier: MIT */
/*
 * Seccomp audit records to a trace (auditlog.h).  A line is a record when
 * it holds one of the markers below; its fields are split in a copy of the
 * line, counted per (arch, syscall) in a fixed table with a hash index, and
 * turned into a trace at the end.  Nothing here trusts the input: lines,
 * values, paths and both tables are bounded, and a record that breaks a
 * rule is refused with its line number.
 */
#include <errno.h>
#include <limits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_util.h"
#include "scmpkit/arch.h"
#include "scmpkit/auditlog.h"
#include "scmpkit/fileio.h"

#define EXE_WORDS (SK_AUDITLOG_EXE_MAX / 64)
#define HASH_SLOTS (2 * SK_AUDITLOG_SYS_MAX) /* a power of two, half full at most */
#define HEX "0123456789abcdefABCDEF"

/* Where a record's text starts, and what comes before its fields. */
static const struct marker {
	const char *text;
	size_t skip;         /* bytes of text before the "audit(" stamp, if any */
	bool after_pid;      /* text must follow "audit[PID" */
} markers[] = {
	{ "type=1326 audit(", 10, false },       /* printk: dmesg, journalctl -k, syslog */
	{ "type=SECCOMP msg=audit(", 17, false }, /* auditd: audit.log, ausearch */
	{ "]: SECCOMP ", 11, true },             /* journald's audit transport */
};

/* Lines by which the kernel (or journald) says records were dropped. */
static const char *const lost_markers[] = {
	"kauditd_printk_skb: ",       /* "N callbacks suppressed": printk's rate limit */
	"audit: rate limit exceeded",
	"audit: backlog limit exceeded",
	"audit: audit_lost=",
};

struct entry {
	uint32_t arch;
	int nr;
	uint64_t count;
	uint64_t exe[EXE_WORDS];
};

/* The first line a warning is about, and how many lines or records. */
struct tally {
	size_t first;
	uint64_t n;
};

struct state {
	const char *file;
	size_t line;
	struct sk_err *err;
	struct sk_auditlog_stats *st;
	struct entry *ent;   /* SK_AUDITLOG_SYS_MAX */
	int32_t *slot;       /* HASH_SLOTS indexes into ent, -1 when free */
	char *exe[SK_AUDITLOG_EXE_MAX];
	int last_exe;        /* consecutive records mostly share one */
	char *buf;           /* the current line, split in place */
	char path[PATH_MAX + 1];
	bool has_time;
	uint64_t t_min, t_max; /* audit stamps, milliseconds since the epoch */
	struct tally lost, not_utf8, exe_full;
};

struct fields {
	char *arch, *syscall, *exe;
};

static int bad(struct state *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "FILE:LINE: ..." for the record on the current line. */
static int bad(struct state *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sk_err_set(s->err, EINVAL, "%s:%zu: %s", s->file, s->line, msg);
}

static void tally(struct tally *t, size_t line, uint64_t n)
{
	if (!t->n)
		t->first = line;
	t->n = t->n + n < t->n ? UINT64_MAX : t->n + n;
}

static bool is_sep(char c)
{
	/* Enriched audit.log puts a GS (0x1d) before the interpreted fields. */
	return c == ' ' || c == '\t' || c == '\x1d';
}

static void keep(struct fields *f, const char *key, char *val)
{
	char **slot = !strcmp(key, "arch") ? &f->arch :
		      !strcmp(key, "syscall") ? &f->syscall :
		      !strcmp(key, "exe") ? &f->exe : NULL;

	/* The kernel writes each once; the first one counts. */
	if (slot && !*slot)
		*slot = val;
}

/*
 * Splits p into key=value fields in place.  A quoted value runs to its
 * closing quote (audit quotes only values without spaces or quotes and
 * hex-encodes the rest); a word without "=" (the stamp, "(enforce)" after
 * an AppArmor label) is passed over.
 */
static int split_fields(struct state *s, char *p, struct fields *f)
{
	while (*p) {
		char *key, *val;

		if (is_sep(*p)) {
			p++;
			continue;
		}
		key = p;
		while (*p && !is_sep(*p) && *p != '=')
			p++;
		if (*p != '=')
			continue;
		*p++ = '\0';
		val = p;
		if (*p == '"') {
			p = strchr(p + 1, '"');
			if (!p)
				return bad(s, "%.32s=: a quoted value without its closing quote", key);
		}
		while (*p && !is_sep(*p))
			p++;
		if (*p)
			*p++ = '\0';
		keep(f, key, val);
	}
	return 0;
}

/* arch=: AUDIT_ARCH_* in hex, as the kernel writes it, or ausearch -i's name. */
static int parse_arch(struct state *s, const char *v, uint32_t *arch)
{
	size_t n = strspn(v, HEX);

	if (n && n <= 8 && !v[n])
		*arch = (uint32_t)strtoul(v, NULL, 16);
	else if (sk_arch_parse(v, arch))
		return bad(s, "arch=%.40s: not an audit architecture (hex, such as c000003e)", v);
	if (!sk_arch_name(*arch))
		return bad(s, "arch=%.40s: an architecture libseccomp does not know", v);
	return 0;
}

/* syscall=: the number in decimal, or ausearch -i's name; x32 classified. */
static int parse_syscall(struct state *s, const char *v, uint32_t *arch, int *nr)
{
	size_t n = strspn(v, "0123456789");
	unsigned long u;

	if (n && !v[n]) {
		u = n <= 10 ? strtoul(v, NULL, 10) : ULONG_MAX;
		if (u > INT_MAX)
			return bad(s, "syscall=%.40s: out of range", v);
		*nr = (int)u;
	} else if (n == 0 && v[0] && strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(v)) {
		*nr = sk_syscall_nr(*arch, v);
		if (*nr < 0)
			return bad(s, "syscall=%.40s: no such system call on %s", v,
				   sk_arch_name(*arch));
	} else {
		return bad(s, "syscall=%.40s: not a system call number", v);
	}
	sk_arch_classify(arch, nr);
	/* The kernel reports x32 as x86_64 plus the bit; another writer may
	 * name the arch and leave the bit out. */
	if (*arch == SCMP_ARCH_X32)
		*nr |= SK_X32_SYSCALL_BIT;
	return 0;
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* A path of n bytes at p into s->path. */
static int put_path(struct state *s, const char *p, size_t n)
{
	if (n > PATH_MAX)
		return bad(s, "exe=: a path longer than %d bytes", PATH_MAX);
	memcpy(s->path, p, n);
	s->path[n] = '\0';
	return 0;
}

/*
 * exe= as audit writes it: "quoted", or hex when the path holds a space, a
 * quote or a byte outside printable ASCII; (null) when there is none;
 * ausearch -i writes the path bare.  1 with s->path set, 0 for no path,
 * or -EINVAL.
 */
static int parse_exe(struct state *s, const char *v)
{
	size_t n = v ? strlen(v) : 0;
	int ret;

	if (!v || !strcmp(v, "(null)"))
		return 0;
	if (v[0] == '"') {
		if (n < 2 || v[n - 1] != '"' || memchr(v + 1, '"', n - 2))
			return bad(s, "exe=%.40s: text after the quoted path", v);
		ret = put_path(s, v + 1, n - 2);
	} else if (v[0] == '/') {
		ret = put_path(s, v, n);
	} else if (n && strspn(v, HEX) == n) {
		if (n % 2)
			return bad(s, "exe=%.40s: an odd number of hex digits", v);
		if (n / 2 > PATH_MAX)
			return bad(s, "exe=: a path longer than %d bytes", PATH_MAX);
		for (size_t i = 0; i < n / 2; i++)
			s->path[i] = (char)(hexval(v[2 * i]) << 4 | hexval(v[2 * i + 1]));
		s->path[n / 2] = '\0';
		if (memchr(s->path, '\0', n / 2))
			return bad(s, "exe=%.40s: the hex holds a NUL byte", v);
		ret = 0;
	} else {
		return bad(s, "exe=%.40s: neither a quoted path nor hex", v);
	}
	return ret ? ret : s->path[0] != '\0';
}

/* The executable's index, or -1 when the record stays unattributed. */
static int exe_index(struct state *s)
{
	size_t len = strlen(s->path);

	if (sk_json_bad_utf8(s->path, len) >= 0) {
		tally(&s->not_utf8, s->line, 1);
		return -1;
	}
	if (s->last_exe >= 0 && !strcmp(s->exe[s->last_exe], s->path))
		return s->last_exe;
	for (size_t i = 0; i < s->st->n_exe; i++) {
		if (!strcmp(s->exe[i], s->path))
			return s->last_exe = (int)i;
	}
	if (s->st->n_exe == SK_AUDITLOG_EXE_MAX) {
		tally(&s->exe_full, s->line, 1);
		return -1;
	}
	s->exe[s->st->n_exe] = strdup(s->path);
	if (!s->exe[s->st->n_exe])
		return -ENOMEM;
	return s->last_exe = (int)s->st->n_exe++;
}

/* The entry of (arch, nr), made on first sight; NULL when the table is full. */
static struct entry *entry_get(struct state *s, uint32_t arch, int nr)
{
	uint32_t h = arch * 2654435761u ^ (uint32_t)nr * 2246822519u;
	size_t i = (h ^ h >> 15) & (HASH_SLOTS - 1);
	struct entry *e;

	for (; s->slot[i] >= 0; i = (i + 1) & (HASH_SLOTS - 1)) {
		e = &s->ent[s->slot[i]];
		if (e->arch == arch && e->nr == nr)
			return e;
	}
	if (s->st->n_sys == SK_AUDITLOG_SYS_MAX)
		return NULL;
	s->slot[i] = (int32_t)s->st->n_sys;
	e = &s->ent[s->st->n_sys++];
	e->arch = arch;
	e->nr = nr;
	return e;
}

/* Digits at *p as a number, at most max of them; false when none. */
static bool digits(const char **p, size_t max, uint64_t *v)
{
	size_t n = strspn(*p, "0123456789");

	if (!n || n > max)
		return false;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = *v * 10 + (uint64_t)((*p)[i] - '0');
	*p += n;
	return true;
}

/* "audit(SECONDS.MMM:SERIAL)": when the record was made, if it says. */
static void note_stamp(struct state *s, const char *p)
{
	uint64_t sec, ms, serial;

	if (strncmp(p, "audit(", 6))
		return;
	p += 6;
	if (!digits(&p, 10, &sec) || *p++ != '.' || !digits(&p, 3, &ms) ||
	    *p++ != ':' || !digits(&p, 20, &serial) || *p != ')')
		return;
	ms += sec * 1000;
	if (!s->has_time || ms < s->t_min)
		s->t_min = ms;
	if (!s->has_time || ms > s->t_max)
		s->t_max = ms;
	s->has_time = true;
}

/* One record, body pointing past its marker in s->buf. */
static int take_record(struct state *s, char *body)
{
	struct fields f = { NULL };
	struct entry *e;
	uint32_t arch;
	int nr, exe = -1, ret;

	note_stamp(s, body);
	ret = split_fields(s, body, &f);
	if (ret)
		return ret;
	if (!f.arch)
		return bad(s, "a seccomp record without arch=");
	if (!f.syscall)
		return bad(s, "a seccomp record without syscall=");
	if ((ret = parse_arch(s, f.arch, &arch)) ||
	    (ret = parse_syscall(s, f.syscall, &arch, &nr)))
		return ret;
	ret = parse_exe(s, f.exe);
	if (ret < 0)
		return ret;
	if (ret && (exe = exe_index(s)) == -ENOMEM)
		return sk_err_set(s->err, ENOMEM, "%s: out of memory", s->file);
	e = entry_get(s, arch, nr);
	if (!e)
		return bad(s, "more than %d distinct system calls; a log of real programs names far fewer",
			   SK_AUDITLOG_SYS_MAX);
	e->count++;
	if (exe >= 0)
		e->exe[exe / 64] |= 1ULL << (exe % 64);
	else
		s->st->unattributed++;
	s->st->records++;
	return 0;
}

/* Where the record in line (n bytes) starts past its marker, or NULL. */
static const char *find_record(const char *line, size_t n)
{
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
		size_t mlen = strlen(markers[i].text);
		const char *m = memmem(line, n, markers[i].text, mlen);

		if (m && markers[i].after_pid) {
			const char *q = m;

			while (q > line && q[-1] >= '0' && q[-1] <= '9')
				q--;
			if (q == m || q - line < 6 || memcmp(q - 6, "audit[", 6))
				continue;
		}
		if (m)
			return m + markers[i].skip;
	}
	return NULL;
}

static bool is_lost_note(const char *line, size_t n)
{
	for (size_t i = 0; i < sizeof(lost_markers) / sizeof(lost_markers[0]); i++)
		if (memmem(line, n, lost_markers[i], strlen(lost_markers[i])))
			return true;
	/* journald reading /dev/kmsg too slowly: "Missed N kernel messages". */
	return memmem(line, n, "Missed ", 7) && memmem(line, n, " kernel messages", 16);
}

/* One line of n bytes (no newline). */
static int take_line(struct state *s, const char *line, size_t n)
{
	const char *rec;

	if (n && line[n - 1] == '\r')
		n--;
	if (!n)
		return 0;
	s->st->lines++;
	rec = find_record(line, n);
	if (!rec) {
		if (is_lost_note(line, n)) {
			s->st->lost_lines++;
			tally(&s->lost, s->line, 1);
		} else {
			s->st->skipped++;
		}
		return 0;
	}
	if (n > SK_AUDITLOG_LINE_MAX)
		return bad(s, "a seccomp record longer than %d bytes", SK_AUDITLOG_LINE_MAX);
	if (memchr(line, '\0', n))
		return bad(s, "a seccomp record holding a NUL byte");
	memcpy(s->buf, line, n);
	s->buf[n] = '\0';
	return take_record(s, s->buf + (rec - line));
}

/* What the main should say; 0 or -ENOMEM. */
static int add_warnings(const struct state *s, struct sk_warn *warn)
{
	const struct tally *t = &s->lost;

	if (t->n && sk_warn_add(warn, "%s:%zu: the log says the kernel dropped audit records (%llu such line%s, the first here): calls may be missing from the trace (auditd's audit.log keeps every record)",
				s->file, t->first, (unsigned long long)t->n,
				t->n == 1 ? "" : "s"))
		return -ENOMEM;
	t = &s->not_utf8;
	if (t->n && sk_warn_add(warn, "%s:%zu: an exe= path that is not UTF-8 (a trace holds UTF-8 only): %llu record%s not attributed to an executable",
				s->file, t->first, (unsigned long long)t->n,
				t->n == 1 ? "" : "s"))
		return -ENOMEM;
	t = &s->exe_full;
	if (t->n && sk_warn_add(warn, "%s:%zu: more than %d executables: %llu record%s from the others not attributed to one",
				s->file, t->first, SK_AUDITLOG_EXE_MAX,
				(unsigned long long)t->n, t->n == 1 ? "" : "s"))
		return -ENOMEM;
	return 0;
}

/* t's header: where the calls came from and when. */
static int fill_header(const struct state *s, const char *tool, struct sk_trace *t)
{
	char stamp[32];
	time_t sec;
	struct tm tm;

	t->backend = strdup("audit-log");
	t->command = calloc(2, sizeof(char *));
	if (!t->backend || !t->command || (tool && !(t->tool = strdup(tool))) ||
	    asprintf(&t->command[0], "log:%s", s->file) < 0)
		return -ENOMEM;
	t->n_command = 1;
	if (s->lost.n) {
		/* The kernel said it dropped records: calls may be missing. */
		t->complete = false;
		if (asprintf(&t->incomplete_reason,
			     "%s:%zu: the log says the kernel dropped audit records (%llu such line%s)",
			     s->file, s->lost.first, (unsigned long long)s->lost.n,
			     s->lost.n == 1 ? "" : "s") < 0) {
			t->incomplete_reason = NULL;
			return -ENOMEM;
		}
	}
	if (s->has_time) {
		sec = (time_t)(s->t_min / 1000);
		if (gmtime_r(&sec, &tm) &&
		    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm) &&
		    !(t->started = strdup(stamp)))
			return -ENOMEM;
		t->duration_ms = s->t_max - s->t_min;
	}
	return 0;
}

/*
 * The name of nr on arch, or NULL.  libseccomp also names some numbers it
 * would not give for the name (mips n32's 89 as fchmod, which is 6089): a
 * trace holding that pair is refused by its reader, so such a number stays
 * unnamed, as a number the tracers never see.
 */
static const char *name_of(uint32_t arch, int nr, char *buf, size_t size)
{
	int known;

	if (sk_syscall_name(arch, nr, buf, size))
		return NULL;
	known = sk_syscall_nr(arch, buf);
	return known >= 0 && known != nr ? NULL : buf;
}

/* One entry of t per (arch, nr), names resolved, executables copied. */
static int fill_trace(const struct state *s, const char *tool, struct sk_trace *t)
{
	char name[64];

	if (fill_header(s, tool, t))
		return -ENOMEM;
	for (size_t i = 0; i < s->st->n_sys; i++) {
		const struct entry *e = &s->ent[i];
		struct sk_trace_sys *ts;

		size_t n_exe = 0;

		for (unsigned k = 0; k < EXE_WORDS; k++)
			n_exe += (size_t)__builtin_popcountll(e->exe[k]);
		ts = sk_trace_add_sys(t, e->arch, e->nr,
				      name_of(e->arch, e->nr, name, sizeof(name)));
		if (!ts || !(ts->exe = calloc(n_exe + 1, sizeof(*ts->exe))))
			return -ENOMEM;
		ts->count = e->count;
		for (unsigned k = 0; k < s->st->n_exe; k++)
			if (e->exe[k / 64] >> (k % 64) & 1)
				ts->exe[ts->n_exe++] = k;
	}
	t->executables = calloc(s->st->n_exe + 1, sizeof(char *));
	if (!t->executables)
		return -ENOMEM;
	for (size_t i = 0; i < s->st->n_exe; i++) {
		t->executables[i] = strdup(s->exe[i]);
		if (!t->executables[i])
			return -ENOMEM;
		t->n_executables = i + 1;
	}
	sk_trace_sort(t);
	return 0;
}

static int scan(struct state *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int ret;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		s->line++;
		ret = take_line(s, p, n);
		if (ret)
			return ret;
		p += n + 1;
	}
	return 0;
}

int sk_auditlog_parse(const char *text, size_t len, const char *file,
		      const char *tool, struct sk_trace **out,
		      struct sk_auditlog_stats *st, struct sk_warn *warn,
		      struct sk_err *err)
{
	struct sk_auditlog_stats stats = { 0 };
	struct sk_trace *t = NULL;
	struct state *s = calloc(1, sizeof(*s));
	int ret = -ENOMEM;

	if (!s)
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	*s = (struct state){ .file = file, .err = err, .st = &stats, .last_exe = -1 };
	s->ent = calloc(SK_AUDITLOG_SYS_MAX, sizeof(*s->ent));
	s->slot = malloc(HASH_SLOTS * sizeof(*s->slot));
	s->buf = malloc(SK_AUDITLOG_LINE_MAX + 1);
	if (!s->ent || !s->slot || !s->buf)
		goto out;
	memset(s->slot, 0xff, HASH_SLOTS * sizeof(*s->slot));
	ret = scan(s, text, len);
	if (ret)
		goto out;
	ret = -ENOMEM;
	t = sk_trace_new();
	if (!t || fill_trace(s, tool, t) || add_warnings(s, warn))
		goto out;
	*out = t;
	t = NULL;
	*st = stats;
	ret = 0;
out:
	if (ret == -ENOMEM)
		sk_err_set(err, ENOMEM, "%s: out of memory", file);
	sk_trace_free(t);
	for (size_t i = 0; i < stats.n_exe; i++)
		free(s->exe[i]);
	free(s->ent);
	free(s->slot);
	free(s->buf);
	free(s);
	return ret;
}

int sk_auditlog_record(const char *path, const char *output, const char *tool,
		       struct sk_auditlog_stats *st, struct sk_warn *warn,
		       struct sk_err *err)
{
	struct sk_trace *t = NULL;
	char *text = NULL;
	size_t len;
	int ret;

	/* Checked before reading: stdin is read once. */
	ret = sk_output_check(output, err);
	if (ret < 0)
		return ret;
	ret = sk_output_not_input(output, (char *const[]){ (char *)path }, 1, err);
	if (ret)
		return ret;
	ret = sk_read_file(path, &text, &len, err);
	if (ret)
		return ret;
	ret = sk_auditlog_parse(text, len, strcmp(path, "-") ? path : "<stdin>",
				tool, &t, st, warn, err);
	free(text);
	if (!ret)
		ret = sk_trace_save(t, output, err);
	sk_trace_free(t);
	return ret;
}
