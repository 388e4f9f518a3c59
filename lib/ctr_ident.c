/* SPDX-License-Identifier: MIT */
/*
 * Who a container is (containers.h): the pure half - cgroup paths,
 * mountinfo lines, a runtime's state files and command lines.  The reads
 * of /proc are in containers.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "scmpkit/containers.h"

static void copy(char *out, size_t len, const char *s, size_t n)
{
	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

int sk_ctr_cgroup_path(const char *text, char *out, size_t len)
{
	const char *first = NULL, *line = text;

	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *p = strchr(line, ':'), *end;

		p = p ? strchr(p + 1, ':') : NULL;
		if (!p)
			continue;
		end = strchr(p + 1, '\n');
		if (!end)
			end = p + 1 + strlen(p + 1);
		if (!strncmp(line, "0::", 3)) {
			copy(out, len, p + 1, (size_t)(end - p - 1));
			return 0;
		}
		if (!first) {
			first = p + 1;
			copy(out, len, first, (size_t)(end - first));
		}
	}
	return first ? 0 : -ENOENT;
}

static bool hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

void sk_ctr_from_cgroup(const char *path, struct sk_ctr_ident *id)
{
	const char *last = strrchr(path, '/'), *parent = NULL;
	size_t n;

	last = last ? last + 1 : path;
	n = strlen(last);
	if (n > 6 && !strcmp(last + n - 6, ".scope"))
		n -= 6;
	if (last - path >= 8 && !strncmp(last - 8, "/docker/", 8))
		parent = "docker";
	if (n > 7 && !strncmp(last, "libpod-", 7) && hex64(last + 7, n - 7)) {
		copy(id->runtime, sizeof(id->runtime), "podman", 6);
		copy(id->id, sizeof(id->id), last + 7, n - 7);
	} else if (n > 7 && !strncmp(last, "docker-", 7) && hex64(last + 7, n - 7)) {
		copy(id->runtime, sizeof(id->runtime), "docker", 6);
		copy(id->id, sizeof(id->id), last + 7, n - 7);
	} else {
		copy(id->runtime, sizeof(id->runtime), parent ? parent : "", parent ? 6 : 0);
		copy(id->id, sizeof(id->id), last, n);
	}
}

/* Field i (0-based, space-separated) of a mountinfo line, up to the line's end. */
static const char *field(const char *line, int i, size_t *n)
{
	const char *p = line;

	for (; i > 0; i--) {
		p = strpbrk(p, " \n");
		if (!p || *p == '\n')
			return NULL;
		p++;
	}
	*n = strcspn(p, " \n");
	return p;
}

int sk_ctr_mount_source(const char *mountinfo, const char *target, char *dev,
			size_t dev_len, char *root, size_t root_len)
{
	size_t tl = strlen(target), n = 0, rn = 0, dn = 0;

	for (const char *l = mountinfo; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *mp = field(l, 4, &n), *r = field(l, 3, &rn), *d = field(l, 2, &dn);

		if (!mp || !r || !d || n != tl || strncmp(mp, target, tl))
			continue;
		copy(dev, dev_len, d, dn);
		copy(root, root_len, r, rn);
		return 0;
	}
	return -ENOENT;
}

int sk_ctr_host_path(const char *mountinfo, const char *dev, const char *root,
		     char *out, size_t len)
{
	size_t best = 0, dl = strlen(dev);
	int found = -ENOENT;

	for (const char *l = mountinfo; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		size_t n = 0, rn = 0, mn = 0;
		const char *d = field(l, 2, &n), *r = field(l, 3, &rn), *mp = field(l, 4, &mn);

		if (!d || !r || !mp || n != dl || strncmp(d, dev, dl))
			continue;
		if (rn == 1 && r[0] == '/')
			rn = 0; /* the file system's root: every path is under it */
		if (strncmp(root, r, rn) || (root[rn] && root[rn] != '/') ||
		    (found == 0 && rn <= best))
			continue;
		best = rn;
		if ((size_t)snprintf(out, len, "%.*s%s", mn == 1 && mp[0] == '/' ? 0 : (int)mn,
				     mp, root + rn) < len)
			found = 0;
	}
	return found;
}

int sk_ctr_docker_name(const char *json, char *out, size_t len)
{
	struct json_object *o = json_tokener_parse(json), *v;
	const char *s;
	int ret = -ENOENT;

	if (o && json_object_object_get_ex(o, "Name", &v) &&
	    json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		s += *s == '/';
		if (*s) {
			copy(out, len, s, strlen(s));
			ret = 0;
		}
	}
	json_object_put(o);
	return ret;
}

int sk_ctr_cmdline_arg(const char *cmdline, size_t len, const char *flag,
		       char *out, size_t out_len)
{
	const char *p = cmdline, *end = cmdline + len;

	while (p < end) {
		size_t n = strnlen(p, (size_t)(end - p));

		if (!strcmp(p, flag) && p + n + 1 < end) {
			p += n + 1;
			copy(out, out_len, p, strnlen(p, (size_t)(end - p)));
			return 0;
		}
		p += n + 1;
	}
	return -ENOENT;
}

void sk_ctr_file_name(const struct sk_ctr_ident *id, unsigned n, char *out, size_t len)
{
	char id12[13];

	copy(id12, sizeof(id12), id->id, strlen(id->id));
	if (id->name[0] && id12[0])
		snprintf(out, len, "%s-%s.json", id->name, id12);
	else if (id12[0])
		snprintf(out, len, "%s.json", id12);
	else
		snprintf(out, len, "container-%u.json", n);
	for (char *p = out; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
			*p = '_';
	if (out[0] == '.')
		out[0] = '_';
}
