/* SPDX-License-Identifier: MIT */
/* --help and getopt tables from one option table (cli.h). */
#include <string.h>

#include "scmpkit/cli.h"

void sk_cli_print_options(FILE *f, const struct sk_opt_doc *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *h = d[i].help;
		char left[64];
		int col = 0;

		snprintf(left, sizeof(left), "-%c, --%s%s%s", d[i].opt.val,
			 d[i].opt.name, d[i].arg ? " " : "",
			 d[i].arg ? d[i].arg : "");
		if (strlen(left) > 28)
			fprintf(f, "  %s\n%30s", left, "");
		else
			fprintf(f, "  %-28s", left);
		/* Word-wrapped at 80 columns, continued under the help column. */
		while (*h) {
			size_t w = strcspn(h, " ");

			if (col && col + 1 + (int)w > 49) {
				fprintf(f, "\n%30s", "");
				col = 0;
			}
			fprintf(f, " %.*s", (int)w, h);
			col += 1 + (int)w;
			h += w;
			h += strspn(h, " ");
		}
		fputc('\n', f);
	}
}

void sk_cli_getopt_tables(const struct sk_opt_doc *d, size_t n,
			  const char *prefix, struct option *longs,
			  char *shorts)
{
	size_t k = strlen(prefix);

	memcpy(shorts, prefix, k);
	for (size_t i = 0; i < n; i++) {
		longs[i] = d[i].opt;
		shorts[k++] = (char)d[i].opt.val;
		if (d[i].opt.has_arg == required_argument)
			shorts[k++] = ':';
	}
	shorts[k] = '\0';
	memset(&longs[n], 0, sizeof(longs[n]));
}
