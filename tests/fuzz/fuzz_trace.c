/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the trace.json reader.  Whatever it accepts must serialise
 * and read back to the same JSON (the writer and reader agree).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/trace_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_trace *t = NULL, *again = NULL;
	struct sk_err err;
	char *json, *json2;

	if (sk_trace_parse((const char *)data, size, "fuzz.json", &t, &err))
		return 0;
	json = sk_trace_to_json(t);
	if (!json)
		abort();
	if (sk_trace_parse(json, strlen(json), "again.json", &again, &err))
		abort(); /* the writer produced something the reader refuses */
	json2 = sk_trace_to_json(again);
	if (!json2 || strcmp(json, json2))
		abort();
	free(json);
	free(json2);
	sk_trace_free(t);
	sk_trace_free(again);
	return 0;
}
