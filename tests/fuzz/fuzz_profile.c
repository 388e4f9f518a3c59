/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the OCI profile reader and the filter builder.  Whatever the
 * reader accepts, the writer must serialise to a profile that reads back
 * identically, and building a filter from it must fail cleanly or succeed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/filter.h"
#include "scmpkit/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_profile *p = NULL, *again = NULL;
	struct sk_filter_opts opts = { 0 };
	struct sk_warn warn = { 0 };
	scmp_filter_ctx ctx = NULL;
	struct sk_err err;
	char *json, *json2;

	if (sk_profile_parse((const char *)data, size, "fuzz.json", &p, &err))
		return 0;
	json = sk_profile_to_json(p);
	if (!json)
		abort();
	if (sk_profile_parse(json, strlen(json), "again.json", &again, &err))
		abort();
	json2 = sk_profile_to_json(again);
	if (!json2 || strcmp(json, json2))
		abort();
	opts.kernel_major = 6;
	opts.kernel_minor = 1;
	if (sk_filter_build(p, &opts, &ctx, &warn, &err) == 0)
		seccomp_release(ctx);
	sk_warn_clear(&warn);
	free(json);
	free(json2);
	sk_profile_free(p);
	sk_profile_free(again);
	return 0;
}
