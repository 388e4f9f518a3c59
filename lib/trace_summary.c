/* SPDX-License-Identifier: MIT */
/* scmp-trace's summary of a recording (trace_summary.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "scmpkit/denial.h"
#include "scmpkit/textesc.h"
#include "scmpkit/trace_summary.h"

size_t sk_trace_distinct(const struct sk_trace *t)
{
	return t->n_sys;
}

void sk_trace_summary_line(FILE *f, const char *tool, const struct sk_trace *t)
{
	uint64_t calls = 0;

	for (size_t i = 0; i < t->n_sys; i++)
		calls += t->sys[i].count;
	fprintf(f, "%s: recorded %zu distinct syscall%s (%llu call%s) from %llu process%s, %zu executable%s, backend %s; ",
		tool, sk_trace_distinct(t), t->n_sys == 1 ? "" : "s",
		(unsigned long long)calls, calls == 1 ? "" : "s",
		(unsigned long long)t->processes, t->processes == 1 ? "" : "es",
		t->n_executables, t->n_executables == 1 ? "" : "s",
		t->backend ? t->backend : "?");
	if (t->complete) {
		fputs("complete\n", f);
		return;
	}
	fputs("incomplete: ", f);
	sk_esc_put(f, t->incomplete_reason ? t->incomplete_reason : "unknown reason",
		   SK_ESC_MESSAGE);
	fputc('\n', f);
}

static uint64_t errors_of(const struct sk_trace_sys *s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->n_errors; i++)
		n += s->errors[i].count;
	return n;
}

/* Most called first, then by name and arch: a stable table. */
static int by_calls(const void *a, const void *b)
{
	const struct sk_trace_sys *x = *(const struct sk_trace_sys *const *)a;
	const struct sk_trace_sys *y = *(const struct sk_trace_sys *const *)b;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
	if (c)
		return c;
	return x->arch < y->arch ? -1 : x->arch > y->arch;
}

static void table_row(FILE *f, bool errors, uint64_t calls, uint64_t errs,
		      const char *name, const char *arch)
{
	fprintf(f, "%11llu ", (unsigned long long)calls);
	if (errors && errs)
		fprintf(f, "%9llu ", (unsigned long long)errs);
	else if (errors)
		fprintf(f, "%9s ", "");
	fprintf(f, "%s%s%s%s\n", name, arch ? " [" : "", arch ? arch : "", arch ? "]" : "");
}

int sk_trace_summary_table(FILE *f, const struct sk_trace *t)
{
	const struct sk_trace_sys **row = calloc(t->n_sys ? t->n_sys : 1, sizeof(*row));
	bool errors = false;
	uint64_t calls = 0, errs = 0;

	if (!row)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_sys; i++) {
		row[i] = &t->sys[i];
		errors |= t->sys[i].has_errors;
	}
	qsort(row, t->n_sys, sizeof(*row), by_calls);
	fprintf(f, "%11s %s%s\n", "calls", errors ? "   errors " : "", "syscall");
	fprintf(f, "----------- %s%s\n", errors ? "--------- " : "", "----------------");
	for (size_t i = 0; i < t->n_sys; i++) {
		char nr[32], arch[32];
		const char *name = row[i]->name;

		if (!name) {
			snprintf(nr, sizeof(nr), "#%d", row[i]->nr);
			name = nr;
		}
		calls += row[i]->count;
		errs += errors_of(row[i]);
		sk_denial_arch(row[i]->arch, arch, sizeof(arch));
		table_row(f, errors, row[i]->count, errors_of(row[i]), name,
			  row[i]->arch == sk_arch_native() ? NULL : arch);
	}
	fprintf(f, "----------- %s%s\n", errors ? "--------- " : "", "----------------");
	table_row(f, errors, calls, errs, "total", NULL);
	free(row);
	return 0;
}
