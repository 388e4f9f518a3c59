/* SPDX-License-Identifier: MIT */
/*
 * The C file (gen_format.h): the filter sk_filter_build builds from the
 * profile, as data.  For each arch the profile covers, taken as the native
 * one, sk_filter_plan (filter_plan.h) decides the libseccomp calls, the
 * same decisions scmp-apply carries out, and they are written as tables;
 * natives with the same calls share one.  The file's own code only makes
 * the calls of its native arch's table, in order: none of filter.c's
 * choices is repeated in it, so both build the same filter (the same
 * PFC).  Rules for some hosts only (includes/excludes.arches) are what the
 * tables per native arch are for; a rule that depends on capabilities or
 * the kernel version is refused: scmp-apply checks those on the host when
 * it loads the profile, the tables cannot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/textesc.h"
#include "filter_plan.h"
#include "render.h"

#define MAX_NATIVES 32

/* Natives that share one table, and the arches it adds. */
struct group {
	const struct sk_filter_plan *plan;
	uint32_t arches[33];
	size_t n_arches;
	uint32_t natives[MAX_NATIVES];
	size_t n_natives;
};

static const char c_types[] =
	"/* One seccomp_rule_add_array() on the call named; then, when priority\n"
	" * >= 0, seccomp_syscall_priority() of that call. */\n"
	"struct scmpkit_rule {\n"
	"\tconst char *name;\n"
	"\tuint32_t action;\n"
	"\tint priority;\n"
	"\tunsigned n_args;\n"
	"\tstruct scmp_arg_cmp args[6];\n"
	"};\n"
	"\n"
	"/* One seccomp_attr_set(); a failure stops the build unless may_fail. */\n"
	"struct scmpkit_attr {\n"
	"\tenum scmp_filter_attr attr;\n"
	"\tuint32_t value;\n"
	"\tint may_fail;\n"
	"};\n"
	"\n"
	"/* On one native arch: the arches to add (-EEXIST for one there already\n"
	" * is no failure), then the rules. */\n"
	"struct scmpkit_filter {\n"
	"\tuint32_t native;\n"
	"\tconst uint32_t *arches;\n"
	"\tsize_t n_arches;\n"
	"\tconst struct scmpkit_rule *rules;\n"
	"\tsize_t n_rules;\n"
	"};\n"
	"\n";

static const char c_loader[] =
	"/* Makes the calls of this native arch's table; NULL with errno set on\n"
	" * failure (ENOEXEC: no table for this arch).  Free with\n"
	" * seccomp_release(). */\n"
	"static scmp_filter_ctx scmpkit_build(void)\n"
	"{\n"
	"\tconst struct scmpkit_filter *f = NULL;\n"
	"\tuint32_t native = seccomp_arch_native();\n"
	"\tscmp_filter_ctx ctx;\n"
	"\tsize_t i;\n"
	"\tint ret = 0;\n"
	"\n"
	"\tfor (i = 0; i < sizeof(scmpkit_filters) / sizeof(scmpkit_filters[0]); i++)\n"
	"\t\tif (scmpkit_filters[i].native == native)\n"
	"\t\t\tf = &scmpkit_filters[i];\n"
	"\tif (!f) {\n"
	"\t\terrno = ENOEXEC;\n"
	"\t\treturn NULL;\n"
	"\t}\n"
	"\tctx = seccomp_init(SCMPKIT_DEFAULT_ACTION);\n"
	"\tif (!ctx) {\n"
	"\t\terrno = EINVAL;\n"
	"\t\treturn NULL;\n"
	"\t}\n"
	"\tfor (i = 0; !ret && i < sizeof(scmpkit_attrs) / sizeof(scmpkit_attrs[0]); i++) {\n"
	"\t\tret = seccomp_attr_set(ctx, scmpkit_attrs[i].attr, scmpkit_attrs[i].value);\n"
	"\t\tif (scmpkit_attrs[i].may_fail)\n"
	"\t\t\tret = 0;\n"
	"\t}\n"
	"\tfor (i = 0; !ret && i < f->n_arches; i++) {\n"
	"\t\tret = seccomp_arch_add(ctx, f->arches[i]);\n"
	"\t\tif (ret == -EEXIST)\n"
	"\t\t\tret = 0;\n"
	"\t}\n"
	"\tfor (i = 0; !ret && i < f->n_rules; i++) {\n"
	"\t\tconst struct scmpkit_rule *r = &f->rules[i];\n"
	"\t\tint nr = seccomp_syscall_resolve_name(r->name);\n"
	"\n"
	"\t\tret = nr == __NR_SCMP_ERROR ? -ENOENT :\n"
	"\t\t      seccomp_rule_add_array(ctx, r->action, nr, r->n_args, r->args);\n"
	"\t\tif (!ret && r->priority >= 0)\n"
	"\t\t\tseccomp_syscall_priority(ctx, nr, (uint8_t)r->priority);\n"
	"\t}\n"
	"\tif (ret) {\n"
	"\t\tseccomp_release(ctx);\n"
	"\t\terrno = -ret;\n"
	"\t\treturn NULL;\n"
	"\t}\n"
	"\treturn ctx;\n"
	"}\n"
	"\n"
	"/* Loads the filter into this process (setting no_new_privs); 0, or -1\n"
	" * with errno set.  Every thread created afterwards inherits it. */\n"
	"int scmpkit_harden(void)\n"
	"{\n"
	"\tscmp_filter_ctx ctx = scmpkit_build();\n"
	"\tint ret;\n"
	"\n"
	"\tif (!ctx)\n"
	"\t\treturn -1;\n"
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
	"\t\tperror(\"cannot build the filter\");\n"
	"\t\treturn 1;\n"
	"\t}\n"
	"\tfflush(stdout);\n"
	"\tret = seccomp_export_pfc(ctx, 1);\n"
	"\tseccomp_release(ctx);\n"
	"\treturn ret ? 1 : 0;\n"
	"}\n"
	"#endif\n";

/* "SCMP_ACT_ERRNO(38)" for a libseccomp action. */
static const char *act_text(uint32_t a, char *buf, size_t len)
{
	const char *name = sk_filter_action_name(a);

	switch (a & 0xffff0000U) {
	case SCMP_ACT_ERRNO(0):
	case SCMP_ACT_TRACE(0):
		snprintf(buf, len, "%s(%u)", name, a & 0xffffU);
		return buf;
	}
	return name;
}

static const char *op_text(enum scmp_compare op)
{
	switch (op) {
	case SCMP_CMP_NE:
		return "SCMP_CMP_NE";
	case SCMP_CMP_LT:
		return "SCMP_CMP_LT";
	case SCMP_CMP_LE:
		return "SCMP_CMP_LE";
	case SCMP_CMP_EQ:
		return "SCMP_CMP_EQ";
	case SCMP_CMP_GE:
		return "SCMP_CMP_GE";
	case SCMP_CMP_GT:
		return "SCMP_CMP_GT";
	case SCMP_CMP_MASKED_EQ:
		return "SCMP_CMP_MASKED_EQ";
	default:
		return "0";
	}
}

static void put_attr(FILE *f, const struct sk_filter_attr *a)
{
	char buf[48];

	switch (a->attr) {
	case SCMP_FLTATR_ACT_BADARCH:
		fprintf(f, "\t{ SCMP_FLTATR_ACT_BADARCH, %s, %d },\n",
			act_text(a->value, buf, sizeof(buf)), a->may_fail);
		return;
	case SCMP_FLTATR_CTL_OPTIMIZE:
		fputs("\t{ SCMP_FLTATR_CTL_OPTIMIZE", f);
		break;
	case SCMP_FLTATR_CTL_TSYNC:
		fputs("\t{ SCMP_FLTATR_CTL_TSYNC", f);
		break;
	case SCMP_FLTATR_CTL_SSB:
		fputs("\t{ SCMP_FLTATR_CTL_SSB", f);
		break;
	case SCMP_FLTATR_CTL_LOG:
		fputs("\t{ SCMP_FLTATR_CTL_LOG", f);
		break;
	default:
		fprintf(f, "\t{ %d", (int)a->attr);
		break;
	}
	fprintf(f, ", %u, %d },\n", a->value, a->may_fail);
}

static bool same_steps(const struct sk_filter_plan *a, const struct sk_filter_plan *b)
{
	if (a->n_steps != b->n_steps)
		return false;
	for (size_t i = 0; i < a->n_steps; i++) {
		const struct sk_filter_step *x = &a->steps[i], *y = &b->steps[i];

		if (strcmp(x->name, y->name) || x->rule != y->rule ||
		    x->action != y->action || x->n_cmp != y->n_cmp ||
		    x->priority != y->priority ||
		    memcmp(x->cmp, y->cmp, x->n_cmp * sizeof(*x->cmp)))
			return false;
	}
	return true;
}

/*
 * Whether g's arch list, added in order with -EEXIST ignored, adds on
 * native pl->native what filter.c adds there: the plan's arches after the
 * native one, in their order.
 */
static bool arches_fit(const struct group *g, const struct sk_filter_plan *pl)
{
	size_t k = 1;
	bool has_native = false;

	for (size_t i = 0; i < g->n_arches; i++) {
		if (g->arches[i] == pl->native) {
			has_native = true;
			continue;
		}
		if (k >= pl->n_arches || pl->arches[k++] != g->arches[i])
			return false;
	}
	return has_native && k == pl->n_arches;
}

/* Puts the plan of each native into a group (at most one a native). */
static void group_plans(struct sk_filter_plan **plans, size_t n,
			struct group *groups, size_t *n_groups)
{
	for (size_t i = 0; i < n; i++) {
		const struct sk_filter_plan *pl = plans[i];
		struct group *g = NULL;

		for (size_t k = 0; k < *n_groups && !g; k++)
			if (same_steps(groups[k].plan, pl) && arches_fit(&groups[k], pl))
				g = &groups[k];
		if (!g) {
			g = &groups[(*n_groups)++];
			memset(g, 0, sizeof(*g));
			g->plan = pl;
			memcpy(g->arches, pl->arches, pl->n_arches * sizeof(*pl->arches));
			g->n_arches = pl->n_arches;
		}
		g->natives[g->n_natives++] = pl->native;
	}
}

/* The natives a C file has tables for: the profile's arches, or, when it
 * lists none (the native arch only), the arch scmp-gen runs on. */
static size_t pick_natives(const struct sk_profile *p, uint32_t *natives)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_arches && n < MAX_NATIVES; i++) {
		size_t k = 0;

		while (k < n && natives[k] != p->arches[i])
			k++;
		if (k == n)
			natives[n++] = p->arches[i];
	}
	if (!n)
		natives[n++] = seccomp_arch_native();
	return n;
}

static void put_rules(FILE *f, const struct sk_profile *p, const struct group *g,
		      size_t gi)
{
	const struct sk_filter_plan *pl = g->plan;
	char buf[48];

	fprintf(f, "/* For native");
	for (size_t i = 0; i < g->n_natives; i++)
		fprintf(f, "%s%s", i ? ", " : " ", sk_arch_name(g->natives[i]));
	fprintf(f, " */\nstatic const uint32_t scmpkit_arches_%zu[] = {", gi);
	for (size_t i = 0; i < g->n_arches; i++)
		fprintf(f, "%s%s", i ? ", " : " ", sk_arch_name(g->arches[i]));
	fprintf(f, " };\n");
	if (!pl->n_steps) {
		fputc('\n', f);
		return;
	}
	fprintf(f, "static const struct scmpkit_rule scmpkit_rules_%zu[] = {\n", gi);
	for (size_t i = 0; i < pl->n_steps; i++) {
		const struct sk_filter_step *s = &pl->steps[i];
		const struct sk_rule *r = &p->rules[s->rule];

		if (r->comment && (!i || pl->steps[i - 1].rule != s->rule)) {
			fputs("\t/* ", f);
			sk_esc_put(f, r->comment, SK_ESC_C_COMMENT);
			fputs(" */\n", f);
		}
		fputs("\t{ \"", f);
		sk_esc_put(f, s->name, SK_ESC_C_STRING);
		fprintf(f, "\", %s, %d, %u, {", act_text(s->action, buf, sizeof(buf)),
			s->priority, s->n_cmp);
		for (unsigned k = 0; k < s->n_cmp; k++)
			fprintf(f, "%s{ %u, %s, %#llxULL, %#llxULL }", k ? ", " : " ",
				s->cmp[k].arg, op_text(s->cmp[k].op),
				(unsigned long long)s->cmp[k].datum_a,
				(unsigned long long)s->cmp[k].datum_b);
		fprintf(f, "%s} },\n", s->n_cmp ? " " : " { 0 } ");
	}
	fprintf(f, "};\n\n");
}

static void put_file(FILE *f, const struct sk_profile *p, const char *header,
		     const struct group *groups, size_t n_groups)
{
	const struct sk_filter_plan *pl = groups[0].plan;
	char buf[48];

	fputs("/* ", f);
	sk_esc_put(f, header, SK_ESC_C_COMMENT);
	fprintf(f, "\n"
		   " *\n"
		   " * The libseccomp filter scmp-apply builds from the OCI profile this came\n"
		   " * from, as tables of libseccomp calls, one for each native arch it covers;\n"
		   " * on another, scmpkit_harden() fails with ENOEXEC%s.\n"
		   " * Link with -lseccomp and call scmpkit_harden() early in main(); build\n"
		   " * with -DSCMPKIT_MAIN for a program that prints the filter as PFC.\n"
		   " */\n"
		   "#include <errno.h>\n#include <stddef.h>\n#include <stdint.h>\n"
		   "#include <stdio.h>\n#include <seccomp.h>\n\n"
		   "int scmpkit_harden(void);\n\n%s",
		   p->n_arches ? "" : " (the profile lists no\n * arch: the tables are for the one scmp-gen ran on)",
		   c_types);
	fprintf(f, "#define SCMPKIT_DEFAULT_ACTION %s\n\n", act_text(pl->def, buf, sizeof(buf)));
	fprintf(f, "static const struct scmpkit_attr scmpkit_attrs[] = {\n");
	for (size_t i = 0; i < pl->n_attrs; i++)
		put_attr(f, &pl->attrs[i]);
	fprintf(f, "};\n\n");
	for (size_t g = 0; g < n_groups; g++)
		put_rules(f, p, &groups[g], g);
	fprintf(f, "static const struct scmpkit_filter scmpkit_filters[] = {\n");
	for (size_t g = 0; g < n_groups; g++) {
		for (size_t i = 0; i < groups[g].n_natives; i++) {
			fprintf(f, "\t{ %s, scmpkit_arches_%zu, %zu, ",
				sk_arch_name(groups[g].natives[i]), g, groups[g].n_arches);
			if (groups[g].plan->n_steps)
				fprintf(f, "scmpkit_rules_%zu, %zu },\n", g,
					groups[g].plan->n_steps);
			else
				fprintf(f, "NULL, 0 },\n");
		}
	}
	fprintf(f, "};\n\n%s", c_loader);
}

int sk_gen_c(const struct sk_profile *p, const char *header, char **out,
	     struct sk_err *err)
{
	struct sk_filter_plan *plans[MAX_NATIVES] = { 0 };
	struct group groups[MAX_NATIVES];
	struct sk_filter_opts opts;
	struct sk_warn warn = { 0 };
	uint32_t natives[MAX_NATIVES];
	size_t n, n_groups = 0, len = 0;
	char *text = NULL;
	FILE *f;
	int ret;

	ret = sk_render_refuse_conds(p, SK_RENDER_COND_ARCHES,
				     "scmp-apply checks capabilities and the kernel version on the host when it loads the profile, which the C file's tables cannot",
				     err);
	if (ret)
		return ret;
	memset(&opts, 0, sizeof(opts));
	n = pick_natives(p, natives);
	/* Warnings are scmp-apply's to say (scmp-gen builds the profile too). */
	for (size_t i = 0; !ret && i < n; i++)
		ret = sk_filter_plan(p, &opts, natives[i], &plans[i], &warn, err);
	sk_warn_clear(&warn);
	if (ret)
		goto out;
	group_plans(plans, n, groups, &n_groups);
	f = open_memstream(&text, &len);
	if (!f) {
		ret = sk_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	put_file(f, p, header, groups, n_groups);
	ret = sk_render_finish(f, &text, out, err);
out:
	for (size_t i = 0; i < n; i++)
		sk_filter_plan_free(plans[i]);
	return ret;
}
