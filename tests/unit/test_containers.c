/* SPDX-License-Identifier: MIT */
/*
 * Containers, the pure half (lib/ctr_ident.c): runtimes recognised from
 * cgroup paths as docker 20.10 and podman 4.3 make them here, names from
 * mountinfo, docker's config.v2.json and conmon's command line, file
 * names; and a container trace's 1.1 members (trace_format.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json.h>
#include <seccomp.h>

#include "scmpkit/containers.h"
#include "scmpkit/trace_format.h"

#define ID "47e567ce42edad23efc12234f4845f00b7d99dcb04d37a3bde01390a923866b4"

static void test_cgroup_path(void **state)
{
	char out[256];

	(void)state;
	/* Hybrid v1: the unified line wins wherever it is. */
	assert_int_equal(sk_ctr_cgroup_path("9:name=systemd:/docker/" ID "\n"
					    "4:memory:/x\n0::/docker/" ID "\n", out, sizeof(out)), 0);
	assert_string_equal(out, "/docker/" ID);
	/* v1 only: the first line's. */
	assert_int_equal(sk_ctr_cgroup_path("4:memory:/libpod_parent/libpod-" ID "\n", out,
					    sizeof(out)), 0);
	assert_string_equal(out, "/libpod_parent/libpod-" ID);
	assert_int_equal(sk_ctr_cgroup_path("", out, sizeof(out)), -ENOENT);
}

static void check(const char *path, const char *runtime, const char *id)
{
	struct sk_ctr_ident c = { 0 };

	sk_ctr_from_cgroup(path, &c);
	assert_string_equal(c.runtime, runtime);
	assert_string_equal(c.id, id);
}

static void test_from_cgroup(void **state)
{
	(void)state;
	check("/docker/" ID, "docker", ID);
	check("/system.slice/docker-" ID ".scope", "docker", ID);
	check("/libpod_parent/libpod-" ID, "podman", ID);
	check("/machine.slice/libpod-" ID ".scope", "podman", ID);
	/* The kernel keeps the last component only: an id, no runtime. */
	check(ID, "", ID);
	/* runc run: the cgroup is named after the container id. */
	check("/mybox", "", "mybox");
	/* Not 64 lowercase hex digits: not a podman id. */
	check("/libpod_parent/libpod-abc", "", "libpod-abc");
}

static const char ctr_mi[] =
	"77 58 0:52 / / rw,relatime - overlay overlay rw\n"
	"95 77 254:0 /tmp/dk/root/containers/" ID "/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw\n";
static const char self_mi[] =
	"22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
	"30 22 254:1 /lib/docker /var/lib/docker rw - ext4 /dev/vdb rw\n";

static void test_mounts(void **state)
{
	char dev[32], root[512], out[512];

	(void)state;
	assert_int_equal(sk_ctr_mount_source(ctr_mi, "/etc/hostname", dev, sizeof(dev),
					     root, sizeof(root)), 0);
	assert_string_equal(dev, "254:0");
	assert_string_equal(root, "/tmp/dk/root/containers/" ID "/hostname");
	assert_int_equal(sk_ctr_mount_source(ctr_mi, "/etc/hosts", dev, sizeof(dev),
					     root, sizeof(root)), -ENOENT);
	assert_int_equal(sk_ctr_host_path(self_mi, "254:0", root, out, sizeof(out)), 0);
	assert_string_equal(out, "/tmp/dk/root/containers/" ID "/hostname");
	/* A data root on a file system of its own, mounted from a subdirectory. */
	assert_int_equal(sk_ctr_host_path(self_mi, "254:1", "/lib/docker/containers/x/hostname",
					  out, sizeof(out)), 0);
	assert_string_equal(out, "/var/lib/docker/containers/x/hostname");
	assert_int_equal(sk_ctr_host_path(self_mi, "254:9", "/a", out, sizeof(out)), -ENOENT);
}

static void test_names(void **state)
{
	static const char cmd[] = "/usr/bin/conmon\0--api-version\0001\0-c\0" ID "\0-n\0pc1\0";
	char out[128];

	(void)state;
	assert_int_equal(sk_ctr_docker_name("{\"ID\":\"x\",\"Name\":\"/c1\"}", out, sizeof(out)), 0);
	assert_string_equal(out, "c1");
	assert_int_equal(sk_ctr_docker_name("{\"Name\":\"/\"}", out, sizeof(out)), -ENOENT);
	assert_int_equal(sk_ctr_docker_name("not json", out, sizeof(out)), -ENOENT);
	assert_int_equal(sk_ctr_cmdline_arg(cmd, sizeof(cmd) - 1, "-n", out, sizeof(out)), 0);
	assert_string_equal(out, "pc1");
	assert_int_equal(sk_ctr_cmdline_arg(cmd, sizeof(cmd) - 1, "-c", out, sizeof(out)), 0);
	assert_string_equal(out, ID);
	assert_int_equal(sk_ctr_cmdline_arg(cmd, sizeof(cmd) - 1, "-u", out, sizeof(out)), -ENOENT);
}

static void test_file_name(void **state)
{
	struct sk_ctr_ident c = { .id = ID, .name = "web" };
	char out[256];

	(void)state;
	sk_ctr_file_name(&c, 3, out, sizeof(out));
	assert_string_equal(out, "web-47e567ce42ed.json");
	strcpy(c.name, "../x y");
	sk_ctr_file_name(&c, 3, out, sizeof(out));
	assert_string_equal(out, "_._x_y-47e567ce42ed.json");
	c.name[0] = '\0';
	sk_ctr_file_name(&c, 3, out, sizeof(out));
	assert_string_equal(out, "47e567ce42ed.json");
	c.id[0] = '\0';
	sk_ctr_file_name(&c, 3, out, sizeof(out));
	assert_string_equal(out, "container-3.json");
}

/* The runtime's entries join the program's, after them, marked; version 1.1. */
static void test_trace_runtime(void **state)
{
	struct sk_trace *t = sk_trace_new(), *rt = sk_trace_new();
	struct json_object *o, *v, *c;
	char *json;

	(void)state;
	assert_non_null(sk_trace_add_sys(t, SCMP_ARCH_X86_64, 0, "read"));
	assert_non_null(sk_trace_add_sys(rt, SCMP_ARCH_X86_64, 0, "read"));
	assert_non_null(sk_trace_add_sys(rt, SCMP_ARCH_X86_64, 126, "capset"));
	assert_int_equal(sk_trace_take_runtime(t, rt), 0);
	assert_int_equal(rt->n_sys, 0);
	sk_trace_sort(t);
	assert_int_equal(t->n_sys, 3);
	assert_string_equal(t->sys[0].name, "capset");
	assert_true(t->sys[0].runtime);
	assert_false(t->sys[1].runtime);
	assert_true(t->sys[2].runtime);
	t->container = calloc(1, sizeof(*t->container));
	t->container->id = strdup(ID);
	t->container->start = strdup("filter");
	json = sk_trace_to_json(t);
	o = json_tokener_parse(json);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "minor", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(o, "container", &c));
	assert_true(json_object_object_get_ex(c, "start", &v));
	assert_string_equal(json_object_get_string(v), "filter");
	assert_true(json_object_object_get_ex(o, "syscalls", &v));
	assert_true(json_object_object_get_ex(json_object_array_get_idx(v, 0), "origin", &c));
	assert_string_equal(json_object_get_string(c), "runtime");
	assert_false(json_object_object_get_ex(json_object_array_get_idx(v, 1), "origin", &c));
	json_object_put(o);
	free(json);
	sk_trace_free(t);
	sk_trace_free(rt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_path),
		cmocka_unit_test(test_from_cgroup),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_file_name),
		cmocka_unit_test(test_trace_runtime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
