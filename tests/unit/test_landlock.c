/* SPDX-License-Identifier: MIT */
/*
 * The Landlock ruleset format (landlock.c): the rights table, the reader's
 * messages (file and JSON path), the writer round trip, and what each ABI
 * can enforce (warnings, or refusals with strict).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scmpkit/landlock.h"
#include "helpers.h"

#define HEAD "{\"format\": \"scmpkit-landlock\", \"version\": 1, "

static struct sk_landlock *parse(const char *json)
{
	struct sk_landlock *ll = NULL;
	struct sk_err err = { "" };

	if (sk_landlock_parse(json, strlen(json), "r.json", &ll, &err))
		fail_msg("refused: %s", err.msg);
	return ll;
}

static void expect_error(const char *json, const char *msg)
{
	struct sk_landlock *ll = NULL;
	struct sk_err err = { "" };

	assert_int_equal(sk_landlock_parse(json, strlen(json), "r.json", &ll, &err), -EINVAL);
	assert_null(ll);
	th_assert_msg(err.msg, msg);
}

static void test_parent(void **state)
{
	char b[8];

	(void)state;
	sk_landlock_parent("/etc/passwd", b, sizeof(b));
	assert_string_equal(b, "/etc");
	sk_landlock_parent("/x", b, sizeof(b));
	assert_string_equal(b, "/");
	sk_landlock_parent("/usr/share/doc", b, sizeof(b));
	assert_string_equal(b, "/usr/sh"); /* cut to fit */
}

static void test_rights_table(void **state)
{
	uint64_t fs = 0, net = 0, bit;
	const char *prev = NULL, *name;

	(void)state;
	for (size_t i = 0; (name = sk_ll_right_at(i)); i++) {
		if (prev)
			assert_true(strcmp(prev, name) < 0);
		prev = name;
		if (!sk_ll_access_parse(name, false, &bit)) {
			assert_false(fs & bit);
			fs |= bit;
			assert_string_equal(sk_ll_access_name(bit, false), name);
		} else {
			assert_int_equal(sk_ll_access_parse(name, true, &bit), 0);
			net |= bit;
		}
	}
	assert_int_equal(fs, (1ULL << 16) - 1);
	assert_int_equal(net, 3);
	assert_int_equal(sk_ll_abi_fs(1), (1ULL << 13) - 1);
	assert_int_equal(sk_ll_abi_fs(3), (1ULL << 15) - 1);
	assert_int_equal(sk_ll_abi_net(3), 0);
	assert_int_equal(sk_ll_abi_net(4), 3);
	assert_int_equal(sk_ll_abi_needed(SK_LL_FS_TRUNCATE, 0), 3);
	assert_int_equal(sk_ll_abi_needed(SK_LL_FS_READ_FILE, SK_LL_NET_BIND_TCP), 4);
}

static void test_parse_roundtrip(void **state)
{
	struct sk_landlock *ll, *again;
	char *text, *text2;

	(void)state;
	ll = parse(HEAD "\"fs\": [{\"path\": \"/usr\", \"access\": [\"read_file\", \"execute\"],"
		   " \"reason\": \"libraries\"}, {\"path\": \"/etc/hosts\", \"access\": [\"read_file\"]}],"
		   " \"net\": [{\"port\": 8080, \"access\": [\"connect_tcp\"]}]}");
	assert_int_equal(ll->n_paths, 2);
	assert_int_equal(ll->paths[0].access, SK_LL_FS_READ_FILE | SK_LL_FS_EXECUTE);
	assert_string_equal(ll->paths[0].reason, "libraries");
	assert_null(ll->paths[1].reason);
	assert_int_equal(ll->n_ports, 1);
	assert_int_equal(ll->ports[0].port, 8080);
	assert_int_equal(ll->handled_net, SK_LL_NET_BIND_TCP | SK_LL_NET_CONNECT_TCP);
	sk_landlock_sort(ll);
	text = sk_landlock_to_json(ll, "scmp-gen test");
	assert_non_null(text);
	assert_non_null(strstr(text, "\"path\":\"/etc/hosts\"") ? text : strstr(text, "\"/etc/hosts\""));
	assert_true(strstr(text, "/etc/hosts") < strstr(text, "/usr"));
	again = parse(text);
	text2 = sk_landlock_to_json(again, "scmp-gen test");
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	sk_landlock_free(again);
	sk_landlock_free(ll);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("{\"version\": 1}",
		     "r.json: format: not a scmpkit Landlock ruleset (expected \"format\": \"scmpkit-landlock\")");
	expect_error("{\"format\": \"scmpkit-landlock\", \"version\": 2}",
		     "r.json: version: unsupported version (this reader knows 1)");
	expect_error(HEAD "\"fs\": [{\"path\": \"etc\", \"access\": [\"read_file\"]}]}",
		     "r.json: fs[0].path: \"etc\" is not an absolute path");
	expect_error(HEAD "\"fs\": [{\"path\": \"/a\", \"access\": [\"read_file\"]},"
		     " {\"path\": \"/b\", \"access\": [\"execute\", \"read\"]}]}",
		     "r.json: fs[1].access[1]: unknown file access right \"read\"");
	expect_error(HEAD "\"fs\": [{\"path\": \"/a\", \"access\": [\"bind_tcp\"]}]}",
		     "r.json: fs[0].access[0]: unknown file access right \"bind_tcp\" (a network right: under \"net\")");
	expect_error(HEAD "\"net\": [{\"port\": 70000, \"access\": [\"bind_tcp\"]}]}",
		     "r.json: net[0].port: 70000 is not a TCP port (0 to 65535)");
	expect_error(HEAD "\"fs\": [{\"path\": \"/a\", \"access\": []}]}",
		     "r.json: fs[0].access: empty: a rule grants at least one right");
	expect_error(HEAD "\"handled\": {\"fs\": [\"read_file\"]},"
		     " \"fs\": [{\"path\": \"/a\", \"access\": [\"execute\"]}]}",
		     "r.json: fs[0].access: \"execute\" is not in \"handled\": the rule could not grant it");
	expect_error(HEAD "\"fs\": [{\"path\": \"/a\", \"access\": [\"execute\"], \"beneath\": true}]}",
		     "r.json: fs[0]: unknown key \"beneath\"");
	expect_error(HEAD "\"fs\": [{\"access\": [\"execute\"]}]}",
		     "r.json: fs[0]: missing \"path\"");
}

static void test_plan(void **state)
{
	struct sk_landlock *ll = parse(HEAD "\"fs\": [{\"path\": \"/a\", \"access\": [\"read_file\"]}],"
				       " \"net\": [{\"port\": 80, \"access\": [\"connect_tcp\"]}]}");
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct sk_ll_plan plan;

	(void)state;
	assert_int_equal(sk_landlock_plan(ll, "r.json", 7, false, &plan, &warn, &err), 0);
	assert_true(plan.enforce);
	assert_int_equal(warn.n, 0);
	assert_int_equal(plan.handled_fs, (1ULL << 16) - 1);
	assert_int_equal(sk_landlock_plan(ll, "r.json", 3, false, &plan, &warn, &err), 0);
	assert_int_equal(warn.n, 1);
	th_assert_msg(warn.msgs[0], "r.json: this kernel's Landlock (ABI 3) cannot enforce ioctl_dev (ABI 5); TCP bind and connect (ABI 4): the program may do that anywhere");
	assert_int_equal(plan.handled_net, 0);
	assert_int_equal(plan.handled_fs, (1ULL << 15) - 1);
	assert_int_equal(sk_landlock_plan(ll, "r.json", 3, true, &plan, &warn, &err), -EOPNOTSUPP);
	th_assert_msg_has(err.msg, "--landlock-strict: not running without them");
	sk_warn_clear(&warn);
	assert_int_equal(sk_landlock_plan(ll, "r.json", -ENOSYS, false, &plan, &warn, &err), 0);
	assert_false(plan.enforce);
	th_assert_msg(warn.msgs[0], "r.json: this kernel has no Landlock (Linux 5.13+ with CONFIG_SECURITY_LANDLOCK): its 1 file and 1 port rules are not enforced, the seccomp profile alone applies");
	assert_int_equal(sk_landlock_plan(ll, "r.json", -ENOSYS, true, &plan, &warn, &err), -EOPNOTSUPP);
	th_assert_msg(err.msg, "r.json: this kernel has no Landlock (Linux 5.13+ with CONFIG_SECURITY_LANDLOCK); --landlock-strict: not running without it");
	sk_warn_clear(&warn);
	sk_landlock_free(ll);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parent),
		cmocka_unit_test(test_rights_table),
		cmocka_unit_test(test_parse_roundtrip),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
