/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the seccomp audit log reader (scmp-trace --from-log).  It
 * must not crash on any text, and a trace it makes must serialise and read
 * back as the same trace, as scmp-gen will read it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/auditlog.h"
#include "scmpkit/trace_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_trace *t = NULL, *again = NULL;
	struct sk_auditlog_stats st;
	struct sk_warn warn = { 0 };
	struct sk_err err;
	char *json, *json2;

	if (sk_auditlog_parse((const char *)data, size, "fuzz.log", "fuzz", &t,
			      &st, &warn, &err))
		return 0;
	sk_warn_clear(&warn);
	if (st.records + st.skipped + st.lost_lines != st.lines)
		abort(); /* every line is a record, skipped, or a dropped-records note */
	json = sk_trace_to_json(t);
	if (!json)
		abort();
	if (sk_trace_parse(json, strlen(json), "again.json", &again, &err))
		abort(); /* a trace scmp-gen would refuse */
	json2 = sk_trace_to_json(again);
	if (!json2 || strcmp(json, json2))
		abort();
	free(json);
	free(json2);
	sk_trace_free(t);
	sk_trace_free(again);
	return 0;
}
