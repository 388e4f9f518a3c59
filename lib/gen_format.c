/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's other output formats (gen.h), all written from the generated
 * OCI profile so every format says the same thing as far as it can:
 * systemd compares names only, minijail has no masked compare, and the C
 * form builds exactly the filter lib/filter.c builds (same PFC).  Every
 * string from input (the header's file names, comments naming executables,
 * names) is escaped for its place (textesc.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/textesc.h"

/* Denials the generator writes for calls nobody made (io_uring, a
 * multiplexed call): left out where a format cannot return an errno for
 * one call. */
static bool not_observed(const struct sk_rule *r)
{
	return r->origin == SK_ORIGIN_IO_URING || r->origin == SK_ORIGIN_MUX;
}

static bool is_allowish(const struct sk_rule *r)
{
	return r->action == SK_ACT_ALLOW || r->action == SK_ACT_LOG;
}

/* Closes an open_memstream stream; its text, or NULL. */
static char *finish(FILE *f, char **text)
{
	if (fclose(f)) {
		free(*text);
		return NULL;
	}
	return *text;
}

/* ---- systemd ---- */

static const struct {
	uint32_t arch;
	const char *name;
} systemd_arches[] = {
	{ SCMP_ARCH_X86, "x86" }, { SCMP_ARCH_X86_64, "x86-64" },
	{ SCMP_ARCH_X32, "x32" }, { SCMP_ARCH_ARM, "arm" },
	{ SCMP_ARCH_AARCH64, "arm64" }, { SCMP_ARCH_MIPS, "mips" },
	{ SCMP_ARCH_MIPS64, "mips64" }, { SCMP_ARCH_MIPS64N32, "mips64-n32" },
	{ SCMP_ARCH_MIPSEL, "mips-le" }, { SCMP_ARCH_MIPSEL64, "mips64-le" },
	{ SCMP_ARCH_MIPSEL64N32, "mips64-le-n32" }, { SCMP_ARCH_PPC, "ppc" },
	{ SCMP_ARCH_PPC64, "ppc64" }, { SCMP_ARCH_PPC64LE, "ppc64-le" },
	{ SCMP_ARCH_S390, "s390" }, { SCMP_ARCH_S390X, "s390x" },
	{ SCMP_ARCH_RISCV64, "riscv64" },
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The names systemd allows, sorted: every allowing rule's, and those the
 * profile answers with an errno but for calls nobody made, since an
 * allow-list cannot return an errno for one call; NULL on failure.
 * *widened and *errno_kept say which losses the header must admit.
 */
static const char **systemd_names(const struct sk_profile *p, size_t *n,
				  bool *widened, bool *errno_kept)
{
	size_t total = 0;
	const char **names;

	for (size_t i = 0; i < p->n_rules; i++)
		total += p->rules[i].n_names;
	names = calloc(total + 1, sizeof(*names));
	if (!names)
		return NULL;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		if (!is_allowish(r) && (not_observed(r) || r->action != SK_ACT_ERRNO))
			continue;
		*widened |= r->n_args > 0;
		*errno_kept |= r->action == SK_ACT_ERRNO;
		for (size_t k = 0; k < r->n_names; k++)
			names[(*n)++] = r->names[k];
	}
	qsort(names, *n, sizeof(*names), cmp_str);
	return names;
}

/* An arch systemd has no name for is said as "native", which it accepts. */
static void systemd_arch_line(FILE *f, const struct sk_profile *p)
{
	fprintf(f, "[Service]\nSystemCallArchitectures=");
	for (size_t i = 0; i < p->n_arches; i++) {
		const char *an = NULL;

		for (size_t k = 0; k < sizeof(systemd_arches) / sizeof(systemd_arches[0]); k++)
			if (systemd_arches[k].arch == p->arches[i])
				an = systemd_arches[k].name;
		fprintf(f, "%s%s", i ? " " : "", an ? an : "native");
	}
	fputc('\n', f);
}

/* systemd kills the process on a call outside the list unless
 * SystemCallErrorNumber= names an errno; other actions it cannot say. */
static void systemd_default(FILE *f, const struct sk_profile *p)
{
	switch (p->default_action) {
	case SK_ACT_ERRNO: {
		const char *en = sk_errno_name((int)(p->has_default_errno ?
						     p->default_errno_ret : 1));

		if (en)
			fprintf(f, "SystemCallErrorNumber=%s\n", en);
		else
			fprintf(f, "SystemCallErrorNumber=%u\n", p->default_errno_ret);
		break;
	}
	case SK_ACT_KILL_PROCESS:
		break;
	default:
		fprintf(f, "# defaultAction %s has no systemd equivalent: calls outside the list kill the process\n",
			sk_action_name(p->default_action));
		break;
	}
}

/* The sorted names, each once, on SystemCallFilter= lines kept within 78
 * columns so that the drop-in stays readable. */
static void systemd_filter_lines(FILE *f, const char **names, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(names[i], names[i - 1]))
			continue;
		if (!col || col + 1 + strlen(names[i]) > 78) {
			fprintf(f, "%sSystemCallFilter=", col ? "\n" : "");
			col = 17 + strlen(names[i]);
		} else {
			fputc(' ', f);
			col += 1 + strlen(names[i]);
		}
		sk_esc_put(f, names[i], SK_ESC_TEXT);
	}
	if (col)
		fputc('\n', f);
}

char *sk_gen_systemd(const struct sk_profile *p, const char *header)
{
	const char **names;
	size_t n = 0;
	bool widened = false, errno_kept = false;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	names = systemd_names(p, &n, &widened, &errno_kept);
	if (!names)
		return NULL;
	f = open_memstream(&text, &len);
	if (!f) {
		free(names);
		return NULL;
	}
	/* Escaped: systemd would also join a line ending in "\\" to the next. */
	fputs("# ", f);
	sk_esc_put(f, header, SK_ESC_TEXT);
	fprintf(f, "\n# A drop-in for the [Service] section of a unit (systemd.exec(5)).\n");
	if (widened)
		fprintf(f, "# systemd compares names only: the OCI profile's argument rules are\n"
			   "# widened here to the whole call.\n");
	if (errno_kept)
		fprintf(f, "# Calls the OCI profile answers with an errno (clone3 -> ENOSYS, ...) are\n"
			   "# allowed here: a systemd allow-list cannot return an errno for one call.\n");
	systemd_arch_line(f, p);
	systemd_default(f, p);
	systemd_filter_lines(f, names, n);
	free(names);
	return finish(f, &text);
}

/* ---- minijail ---- */

/* The values x with x & mask == v & mask, when the free bits (in the low
 * 32) are few; count, or 0 when there are too many. */
static size_t expand_masked(uint64_t mask, uint64_t v, uint64_t *out,
			    size_t max)
{
	uint64_t full = mask > 0xffffffffULL ? ~0ULL : 0xffffffffULL;
	uint64_t free_bits = full & ~mask;
	unsigned bits[64], nb = 0;
	size_t n;

	for (unsigned b = 0; b < 64; b++)
		if (free_bits & (1ULL << b))
			bits[nb++] = b;
	if (nb > 6 || (1U << nb) > max)
		return 0;
	n = (size_t)1 << nb;
	for (size_t i = 0; i < n; i++) {
		uint64_t x = v & mask;

		for (unsigned k = 0; k < nb; k++)
			if (i & (1U << k))
				x |= 1ULL << bits[k];
		out[i] = x;
	}
	return n;
}

/*
 * One comparison as minijail alternatives ("arg1 == 0x1"), into alts
 * (each at most 48 chars); count, or 0 if minijail cannot say it.
 */
static size_t mj_alts(const struct sk_rule_arg *a, char alts[][48], size_t max)
{
	uint64_t vals[64];
	size_t n;

	switch (a->op) {
	case SK_OP_EQ:
		snprintf(alts[0], 48, "arg%u == %#llx", a->index, (unsigned long long)a->value);
		return 1;
	case SK_OP_NE:
		snprintf(alts[0], 48, "arg%u != %#llx", a->index, (unsigned long long)a->value);
		return 1;
	case SK_OP_MASKED_EQ:
		if (a->value == 0xffffffffULL || a->value == ~0ULL) {
			snprintf(alts[0], 48, "arg%u == %#llx", a->index,
				 (unsigned long long)a->value_two);
			return 1;
		}
		if (!a->value_two) {
			/* x & mask == 0: every set bit of x is outside mask */
			uint64_t full = a->value > 0xffffffffULL ? ~0ULL : 0xffffffffULL;

			snprintf(alts[0], 48, "arg%u in %#llx", a->index,
				 (unsigned long long)(full & ~a->value));
			return 1;
		}
		n = expand_masked(a->value, a->value_two, vals, max < 64 ? max : 64);
		for (size_t i = 0; i < n; i++)
			snprintf(alts[i], 48, "arg%u == %#llx", a->index,
				 (unsigned long long)vals[i]);
		return n;
	default:
		return 0;
	}
}

/* A rule's comparisons as ||-joined &&-clauses (the cartesian product of
 * each comparison's alternatives); false when minijail cannot say it. */
static bool mj_rule(FILE *f, const struct sk_rule *r, bool *first)
{
	static char alts[6][64][48];
	size_t n[6] = { 0 }, idx[6] = { 0 }, total = 1;

	if (r->n_args > 6)
		return false;
	for (size_t k = 0; k < r->n_args; k++) {
		n[k] = mj_alts(&r->args[k], alts[k], 64);
		if (!n[k])
			return false;
		total *= n[k];
		if (total > 64)
			return false;
	}
	for (size_t t = 0; t < total; t++) {
		size_t rest = t;

		for (size_t k = 0; k < r->n_args; k++) {
			idx[k] = rest % n[k];
			rest /= n[k];
		}
		fputs(*first ? "" : " || ", f);
		*first = false;
		for (size_t k = 0; k < r->n_args; k++)
			fprintf(f, "%s%s", k ? " && " : "", alts[k][idx[k]]);
	}
	return true;
}

/*
 * A denial of one form of a call (scmp-gen denies socketcall(SYS_SOCKET)
 * where libseccomp would copy socket's argument rule onto it): minijail
 * resolves names per arch and multiplexes nothing, so it needs none, and
 * its "return" would deny the whole call.
 */
static bool mj_skip(const struct sk_rule *r)
{
	return !is_allowish(r) && r->n_args;
}

char *sk_gen_minijail(const struct sk_profile *p, const char *header)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fputs("# ", f);
	sk_esc_put(f, header, SK_ESC_TEXT);
	fputs("\n# minijail0 -S FILE; a policy is for one arch, this one for:", f);
	for (size_t i = 0; i < p->n_arches; i++)
		fprintf(f, " %s", sk_arch_name(p->arches[i]));
	fputc('\n', f);
	if (p->default_action == SK_ACT_ERRNO)
		fprintf(f, "# defaultAction errno: run minijail0 with --seccomp-default-ret or -Y as needed\n");
	/* One line per name, in the order names first appear; every rule of a
	 * name joined with ||. */
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		for (size_t k = 0; k < r->n_names && !mj_skip(r); k++) {
			const char *name = r->names[k];
			bool done = false, first = true, whole = false;

			for (size_t j = 0; j < i && !done; j++)
				for (size_t m = 0; m < p->rules[j].n_names && !done; m++)
					done = !mj_skip(&p->rules[j]) &&
					       !strcmp(p->rules[j].names[m], name);
			if (done)
				continue;
			if (r->action == SK_ACT_ERRNO) {
				sk_esc_put(f, name, SK_ESC_TEXT);
				fprintf(f, ": return %u\n",
					r->has_errno ? r->errno_ret : 1);
				continue;
			}
			if (!is_allowish(r))
				continue;
			sk_esc_put(f, name, SK_ESC_TEXT);
			fputs(": ", f);
			for (size_t j = i; j < p->n_rules && !whole; j++) {
				const struct sk_rule *q = &p->rules[j];
				bool here = false;

				for (size_t m = 0; m < q->n_names && !here; m++)
					here = !strcmp(q->names[m], name);
				if (!here || !is_allowish(q))
					continue;
				if (!q->n_args || !mj_rule(f, q, &first))
					whole = true;
			}
			if (whole) {
				/* Start over: the name is allowed whole. */
				fprintf(f, "%s1", first ? "" : " || ");
			}
			fputc('\n', f);
		}
	}
	return finish(f, &text);
}

/* ---- C ---- */

static const char *c_action(const struct sk_rule *r, char *buf, size_t len)
{
	switch (r->action) {
	case SK_ACT_ALLOW:
		return "SCMP_ACT_ALLOW";
	case SK_ACT_LOG:
		return "SCMP_ACT_LOG";
	case SK_ACT_ERRNO:
		snprintf(buf, len, "SCMP_ACT_ERRNO(%u)", r->has_errno ? r->errno_ret : 1);
		return buf;
	case SK_ACT_TRAP:
		return "SCMP_ACT_TRAP";
	case SK_ACT_KILL_THREAD:
	case SK_ACT_KILL:
		return "SCMP_ACT_KILL_THREAD";
	case SK_ACT_TRACE:
		snprintf(buf, len, "SCMP_ACT_TRACE(%u)", r->has_errno ? r->errno_ret : 1);
		return buf;
	case SK_ACT_NOTIFY:
		return "SCMP_ACT_NOTIFY";
	case SK_ACT_KILL_PROCESS:
		break;
	}
	return "SCMP_ACT_KILL_PROCESS";
}

static const char *c_default(const struct sk_profile *p, char *buf, size_t len)
{
	struct sk_rule r = { .action = p->default_action,
			     .has_errno = p->has_default_errno,
			     .errno_ret = p->default_errno_ret };

	if (r.action == SK_ACT_ERRNO && !r.has_errno) {
		r.has_errno = true;
		r.errno_ret = 1; /* EPERM, as runc */
	}
	return c_action(&r, buf, len);
}

static const char *const c_ops[] = {
	[SK_OP_NE] = "SCMP_CMP_NE", [SK_OP_LT] = "SCMP_CMP_LT",
	[SK_OP_LE] = "SCMP_CMP_LE", [SK_OP_EQ] = "SCMP_CMP_EQ",
	[SK_OP_GE] = "SCMP_CMP_GE", [SK_OP_GT] = "SCMP_CMP_GT",
	[SK_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

/* The body of the generated file after the tables; mirrors lib/filter.c's
 * sk_filter_build (arches, attributes, rule order, priorities). */
static const char c_body[] =
	"static int scmpkit_known_on(uint32_t arch, const char *name)\n"
	"{\n"
	"\tint nr = seccomp_syscall_resolve_name_arch(arch, name);\n"
	"\n"
	"\treturn nr >= 0 || (nr <= -100 && nr > -10000);\n"
	"}\n"
	"\n"
	"/* Builds the filter; NULL on failure.  Free with seccomp_release(). */\n"
	"static scmp_filter_ctx scmpkit_build(void)\n"
	"{\n"
	"\tsize_t n_rules = sizeof(scmpkit_rules) / sizeof(scmpkit_rules[0]);\n"
	"\tsize_t n_arches = sizeof(scmpkit_arches) / sizeof(scmpkit_arches[0]);\n"
	"\tuint32_t covered[SCMPKIT_MAX_ARCHES + 1];\n"
	"\tint done[SCMPKIT_MAX_NAMES + 1];\n"
	"\tsize_t n_covered = 0, n_done = 0, pos = 0, total = 0;\n"
	"\tscmp_filter_ctx ctx = seccomp_init(SCMPKIT_DEFAULT_ACTION);\n"
	"\n"
	"\tif (!ctx)\n"
	"\t\treturn NULL;\n"
	"\tif (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS))\n"
	"\t\tgoto fail;\n"
	"\tseccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);\n"
	"\tcovered[n_covered++] = seccomp_arch_native();\n"
	"\tfor (size_t i = 0; i < n_arches; i++) {\n"
	"\t\tsize_t k;\n"
	"\t\tint ret;\n"
	"\n"
	"\t\tfor (k = 0; k < n_covered && covered[k] != scmpkit_arches[i]; k++)\n"
	"\t\t\t;\n"
	"\t\tif (k < n_covered)\n"
	"\t\t\tcontinue;\n"
	"\t\tcovered[n_covered++] = scmpkit_arches[i];\n"
	"\t\tret = seccomp_arch_add(ctx, scmpkit_arches[i]);\n"
	"\t\tif (ret && ret != -EEXIST)\n"
	"\t\t\tgoto fail;\n"
	"\t}\n"
	"\tfor (size_t i = 0; i < n_rules; i++)\n"
	"\t\tfor (size_t j = 0; scmpkit_rules[i].names[j]; j++)\n"
	"\t\t\ttotal++;\n"
	"\tfor (size_t i = 0; i < n_rules; i++) {\n"
	"\t\tconst struct scmpkit_rule *r = &scmpkit_rules[i];\n"
	"\n"
	"\t\tif (r->action == SCMPKIT_DEFAULT_ACTION)\n"
	"\t\t\tcontinue;\n"
	"\t\tfor (size_t j = 0; r->names[j]; j++) {\n"
	"\t\t\tconst char *name = r->names[j];\n"
	"\t\t\tint nr = seccomp_syscall_resolve_name(name), here = 0;\n"
	"\t\t\tsize_t k;\n"
	"\n"
	"\t\t\tif (nr == __NR_SCMP_ERROR)\n"
	"\t\t\t\tcontinue;\n"
	"\t\t\tfor (k = 0; k < n_covered && !here; k++)\n"
	"\t\t\t\there = scmpkit_known_on(covered[k], name);\n"
	"\t\t\tif (!here)\n"
	"\t\t\t\tcontinue;\n"
	"\t\t\tif (seccomp_rule_add_array(ctx, r->action, nr, r->n_args, r->args))\n"
	"\t\t\t\tgoto fail;\n"
	"\t\t\tfor (k = 0; k < n_done && done[k] != nr; k++)\n"
	"\t\t\t\t;\n"
	"\t\t\tif (k < n_done)\n"
	"\t\t\t\tcontinue;\n"
	"\t\t\tdone[n_done++] = nr;\n"
	"\t\t\tseccomp_syscall_priority(ctx, nr, (uint8_t)(255 - pos * 256 / (total + 1)));\n"
	"\t\t\tpos++;\n"
	"\t\t}\n"
	"\t}\n"
	"\treturn ctx;\n"
	"fail:\n"
	"\tseccomp_release(ctx);\n"
	"\treturn NULL;\n"
	"}\n"
	"\n"
	"/* Loads the filter into this process (setting no_new_privs); 0, or -1\n"
	" * with errno set.  Every thread created afterwards inherits it. */\n"
	"int scmpkit_harden(void)\n"
	"{\n"
	"\tscmp_filter_ctx ctx = scmpkit_build();\n"
	"\tint ret;\n"
	"\n"
	"\tif (!ctx) {\n"
	"\t\terrno = EINVAL;\n"
	"\t\treturn -1;\n"
	"\t}\n"
	"\tret = seccomp_load(ctx);\n"
	"\tseccomp_release(ctx);\n"
	"\tif (ret) {\n"
	"\t\terrno = -ret;\n"
	"\t\treturn -1;\n"
	"\t}\n"
	"\treturn 0;\n"
	"}\n"
	"\n"
	"#ifdef SCMPKIT_MAIN\n"
	"/* Prints the filter as libseccomp PFC, as scmp-apply --export pfc does. */\n"
	"int main(void)\n"
	"{\n"
	"\tscmp_filter_ctx ctx = scmpkit_build();\n"
	"\tint ret;\n"
	"\n"
	"\tif (!ctx) {\n"
	"\t\tfprintf(stderr, \"cannot build the filter\\n\");\n"
	"\t\treturn 1;\n"
	"\t}\n"
	"\tfflush(stdout);\n"
	"\tret = seccomp_export_pfc(ctx, 1);\n"
	"\tseccomp_release(ctx);\n"
	"\treturn ret ? 1 : 0;\n"
	"}\n"
	"#endif\n";

char *sk_gen_c(const struct sk_profile *p, const char *header)
{
	char *text = NULL, buf[48];
	size_t len = 0, total = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < p->n_rules; i++)
		total += p->rules[i].n_names;
	fputs("/* ", f);
	sk_esc_put(f, header, SK_ESC_C_COMMENT);
	fprintf(f, "\n"
		   " *\n"
		   " * Builds the same libseccomp filter as the OCI profile it came from.\n"
		   " * Link with -lseccomp and call scmpkit_harden() early in main(); build\n"
		   " * with -DSCMPKIT_MAIN for a program that prints the filter as PFC.\n"
		   " */\n"
		   "#include <errno.h>\n#include <stddef.h>\n#include <stdint.h>\n"
		   "#include <stdio.h>\n#include <seccomp.h>\n\n"
		   "int scmpkit_harden(void);\n\n");
	fprintf(f, "#define SCMPKIT_DEFAULT_ACTION %s\n", c_default(p, buf, sizeof(buf)));
	fprintf(f, "#define SCMPKIT_MAX_ARCHES %zu\n#define SCMPKIT_MAX_NAMES %zu\n\n",
		p->n_arches + 1, total);
	fprintf(f, "struct scmpkit_rule {\n\tuint32_t action;\n\tconst char *const *names;\n"
		   "\tunsigned n_args;\n\tstruct scmp_arg_cmp args[6];\n};\n\n");
	fprintf(f, "static const uint32_t scmpkit_arches[] = {");
	for (size_t i = 0; i < p->n_arches; i++)
		fprintf(f, "%s%s", i ? ", " : " ", sk_arch_name(p->arches[i]));
	fprintf(f, " };\n\n");
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		fprintf(f, "static const char *const scmpkit_names_%zu[] = {", i);
		for (size_t k = 0; k < r->n_names; k++) {
			fputs(" \"", f);
			sk_esc_put(f, r->names[k], SK_ESC_C_STRING);
			fputs("\",", f);
		}
		fprintf(f, " NULL };\n");
	}
	fprintf(f, "\nstatic const struct scmpkit_rule scmpkit_rules[] = {\n");
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		if (r->comment) {
			fputs("\t/* ", f);
			sk_esc_put(f, r->comment, SK_ESC_C_COMMENT);
			fputs(" */\n", f);
		}
		fprintf(f, "\t{ %s, scmpkit_names_%zu, %zu, {", c_action(r, buf, sizeof(buf)),
			i, r->n_args);
		for (size_t k = 0; k < r->n_args; k++) {
			const struct sk_rule_arg *a = &r->args[k];

			fprintf(f, "%s{ %u, %s, %#llxULL, %#llxULL }", k ? ", " : " ",
				a->index, c_ops[a->op], (unsigned long long)a->value,
				(unsigned long long)a->value_two);
		}
		fprintf(f, "%s} },\n", r->n_args ? " " : " { 0 } ");
	}
	fprintf(f, "};\n\n%s", c_body);
	return finish(f, &text);
}
