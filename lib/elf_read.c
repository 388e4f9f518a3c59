/* SPDX-License-Identifier: MIT */
/*
 * The ELF reader behind scmp-gen --static (elf_read.h): the class,
 * machine, interpreter, DT_NEEDED, DT_RUNPATH/DT_RPATH and imported
 * symbols of one file, read with libelf, and the files ld.so would try
 * for a needed library.  Files are treated as hostile: every offset is
 * checked, a malformed file is -ENOEXEC, never a crash.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_read.h"

#define MAX_INTERP 4096

/* String vectors. */

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int strv_push(char ***v, size_t *n, const char *s)
{
	char **grown = realloc(*v, (*n + 1) * sizeof(**v));
	char *copy;

	if (!grown)
		return -ENOMEM;
	*v = grown;
	if (!(copy = strdup(s)))
		return -ENOMEM;
	grown[(*n)++] = copy;
	return 0;
}

/* Appends s, taken over (freed on failure); 0 or -ENOMEM. */
static int strv_take(char ***v, size_t *n, char *s)
{
	char **grown = realloc(*v, (*n + 1) * sizeof(**v));

	if (!grown) {
		free(s);
		return -ENOMEM;
	}
	*v = grown;
	grown[(*n)++] = s;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Machines. */

static const struct {
	unsigned machine;
	const char *name;
} machines[] = {
	{ EM_386, "i386" },
	{ EM_X86_64, "x86_64" },
	{ EM_ARM, "arm" },
	{ EM_AARCH64, "aarch64" },
	{ EM_PPC, "ppc" },
	{ EM_PPC64, "ppc64" },
	{ EM_S390, "s390" },
	{ EM_MIPS, "mips" },
	{ EM_PARISC, "parisc" },
	{ EM_RISCV, "riscv" },
	{ EM_SH, "sh" },
	{ EM_68K, "m68k" },
	{ EM_SPARCV9, "sparc64" },
	{ 258, "loongarch" },   /* EM_LOONGARCH, missing from older elf.h */
};

const char *sk_elf_machine_name(unsigned machine)
{
	static char buf[32];

	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (machines[i].machine == machine)
			return machines[i].name;
	snprintf(buf, sizeof(buf), "machine %u", machine);
	return buf;
}

/* The 32-bit member of a family maps to the 64-bit one. */
static unsigned family(unsigned machine)
{
	switch (machine) {
	case EM_386:
		return EM_X86_64;
	case EM_ARM:
		return EM_AARCH64;
	case EM_PPC:
		return EM_PPC64;
	case EM_SPARC:
	case EM_SPARC32PLUS:
		return EM_SPARCV9;
	default:
		return machine;
	}
}

bool sk_elf_machine_can(unsigned machine, uint32_t arch)
{
	/* An AUDIT_ARCH_* (= SCMP_ARCH_*) value is its EM_* in the low 16
	 * bits plus the 64-bit and little-endian flags. */
	return family(machine) == family(arch & 0xffff);
}

/* The ELF reader. */

void sk_elf_free(struct sk_elf *e)
{
	if (!e)
		return;
	free(e->interp);
	strv_free(e->needed, e->n_needed);
	free(e->runpath);
	free(e->rpath);
	strv_free(e->imports, e->n_imports);
	free(e);
}

static int elf_ready(void)
{
	static bool ready;

	if (!ready && elf_version(EV_CURRENT) != EV_NONE)
		ready = true;
	return ready ? 0 : -1;
}

/* PT_INTERP, read with pread within the file's bounds. */
static int read_interp(int fd, const GElf_Phdr *ph, off_t size,
		       struct sk_elf *x)
{
	char buf[MAX_INTERP];
	ssize_t n;

	if (ph->p_filesz == 0 || ph->p_filesz >= sizeof(buf) ||
	    ph->p_offset > (uint64_t)size ||
	    ph->p_filesz > (uint64_t)size - ph->p_offset)
		return -ENOEXEC;
	n = pread(fd, buf, ph->p_filesz, (off_t)ph->p_offset);
	if (n != (ssize_t)ph->p_filesz)
		return -ENOEXEC;
	buf[n] = '\0';
	free(x->interp);
	x->interp = strdup(buf);
	return x->interp ? 0 : -ENOMEM;
}

static int read_phdrs(Elf *e, int fd, off_t size, struct sk_elf *x)
{
	size_t n;
	int ret;

	if (elf_getphdrnum(e, &n))
		return -ENOEXEC;
	for (size_t i = 0; i < n && i < INT_MAX; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph))
			return -ENOEXEC;
		if (ph.p_type == PT_INTERP && (ret = read_interp(fd, &ph, size, x)))
			return ret;
	}
	return 0;
}

static int read_dynamic(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh,
			struct sk_elf *x)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t esz = gelf_fsize(e, ELF_T_DYN, 1, EV_CURRENT);
	int ret = 0;

	if (!d || !esz || d->d_type != ELF_T_DYN)
		return -ENOEXEC;
	for (size_t i = 0; i < d->d_size / esz && i < INT_MAX && !ret; i++) {
		GElf_Dyn dyn;
		const char *str;
		char **slot = NULL;

		if (!gelf_getdyn(d, (int)i, &dyn))
			return -ENOEXEC;
		if (dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RUNPATH &&
		    dyn.d_tag != DT_RPATH)
			continue;
		str = elf_strptr(e, sh->sh_link, dyn.d_un.d_val);
		if (!str)
			return -ENOEXEC;
		if (dyn.d_tag == DT_NEEDED) {
			ret = strv_push(&x->needed, &x->n_needed, str);
			continue;
		}
		slot = dyn.d_tag == DT_RUNPATH ? &x->runpath : &x->rpath;
		free(*slot);
		if (!(*slot = strdup(str)))
			ret = -ENOMEM;
	}
	return ret;
}

static int read_dynsym(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh,
		       struct sk_elf *x)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t esz = gelf_fsize(e, ELF_T_SYM, 1, EV_CURRENT), n = 0;

	if (!d || !esz || d->d_type != ELF_T_SYM)
		return -ENOEXEC;
	/* Entry 0 is the null symbol. */
	for (size_t i = 1; i < d->d_size / esz && i < INT_MAX; i++) {
		GElf_Sym sym;
		const char *name;
		char *copy;
		int type;

		if (!gelf_getsym(d, (int)i, &sym))
			return -ENOEXEC;
		type = GELF_ST_TYPE(sym.st_info);
		if (sym.st_shndx != SHN_UNDEF || !sym.st_name ||
		    (GELF_ST_BIND(sym.st_info) != STB_GLOBAL &&
		     GELF_ST_BIND(sym.st_info) != STB_WEAK) ||
		    (type != STT_FUNC && type != STT_NOTYPE && type != STT_GNU_IFUNC))
			continue;
		if (!(name = elf_strptr(e, sh->sh_link, sym.st_name)))
			return -ENOEXEC;
		if (!*name)
			continue;
		if (strv_push(&x->imports, &x->n_imports, name))
			return -ENOMEM;
		/* Versions stripped: "fopen@GLIBC_2.2.5" -> "fopen". */
		copy = x->imports[x->n_imports - 1];
		copy[strcspn(copy, "@")] = '\0';
	}
	if (!x->n_imports)
		return 0;
	qsort(x->imports, x->n_imports, sizeof(*x->imports), cmp_str);
	for (size_t i = 0; i < x->n_imports; i++) {
		if (n && !strcmp(x->imports[n - 1], x->imports[i])) {
			free(x->imports[i]);
			continue;
		}
		x->imports[n++] = x->imports[i];
	}
	x->n_imports = n;
	return 0;
}

static int read_sections(Elf *e, struct sk_elf *x)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int ret = 0;

	/* Fails on files without section headers (sstrip): no imports. */
	if (elf_getshdrstrndx(e, &shstrndx))
		return 0;
	while (!ret && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			return -ENOEXEC;
		if (sh.sh_type == SHT_DYNAMIC)
			ret = read_dynamic(e, scn, &sh, x);
		else if (sh.sh_type == SHT_DYNSYM)
			ret = read_dynsym(e, scn, &sh, x);
	}
	return ret;
}

int sk_elf_read(const char *path, struct sk_elf **out, struct sk_err *err)
{
	struct sk_elf *x = NULL;
	struct stat st;
	GElf_Ehdr eh;
	Elf *e = NULL;
	int fd, ret, cls;

	if (elf_ready())
		return sk_err_set(err, EINVAL, "%s: libelf: %s", path, elf_errmsg(-1));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		ret = errno;
		return sk_err_set(err, ret, "%s: %s", path, strerror(ret));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		ret = sk_err_set(err, ENOEXEC, "%s: not a regular file", path);
		goto out;
	}
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		ret = sk_err_set(err, ENOEXEC, "%s: not an ELF file", path);
		goto out;
	}
	cls = gelf_getclass(e);
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
		ret = sk_err_set(err, ENOEXEC, "%s: ELF type %u is not an executable or a shared object",
				 path, (unsigned)eh.e_type);
		goto out;
	}
	if (!(x = calloc(1, sizeof(*x)))) {
		ret = sk_err_set(err, ENOMEM, "%s: out of memory", path);
		goto out;
	}
	x->machine = eh.e_machine;
	x->elfclass = (unsigned)cls;
	x->type = eh.e_type;
	ret = read_phdrs(e, fd, st.st_size, x);
	if (!ret)
		ret = read_sections(e, x);
	if (ret == -ENOMEM)
		ret = sk_err_set(err, ENOMEM, "%s: out of memory", path);
	else if (ret)
		ret = sk_err_set(err, ENOEXEC, "%s: malformed ELF file: %s", path,
				 elf_errno() ? elf_errmsg(-1) : "bad program or section headers");
out:
	if (e)
		elf_end(e);
	close(fd);
	if (ret) {
		sk_elf_free(x);
		return ret;
	}
	*out = x;
	return 0;
}

/* Scripts. */

char *sk_elf_script_interp(const char *path)
{
	char buf[256], *p, *end;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 3 || buf[0] != '#' || buf[1] != '!')
		return NULL;
	buf[n] = '\0';
	p = buf + 2;
	p += strspn(p, " \t");
	end = p + strcspn(p, " \t\n");
	if (end == p || *p != '/')
		return NULL;
	*end = '\0';
	return strdup(p);
}

/* Library search. */

/* Library search directories by machine, after RUNPATH / RPATH. */
static const struct {
	unsigned machine, elfclass;
	const char *dirs;
} lib_dirs[] = {
	{ EM_X86_64, ELFCLASS64, "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64:/usr/lib64" },
	{ EM_X86_64, ELFCLASS32, "/lib/x86_64-linux-gnux32:/usr/lib/x86_64-linux-gnux32:/libx32:/usr/libx32" },
	{ EM_386, ELFCLASS32, "/lib/i386-linux-gnu:/usr/lib/i386-linux-gnu:/lib32:/usr/lib32" },
	{ EM_AARCH64, ELFCLASS64, "/lib/aarch64-linux-gnu:/usr/lib/aarch64-linux-gnu:/lib64:/usr/lib64" },
	{ EM_ARM, ELFCLASS32, "/lib/arm-linux-gnueabihf:/usr/lib/arm-linux-gnueabihf:/lib/arm-linux-gnueabi:/usr/lib/arm-linux-gnueabi" },
	{ EM_PPC64, ELFCLASS64, "/lib/powerpc64le-linux-gnu:/usr/lib/powerpc64le-linux-gnu:/lib64:/usr/lib64" },
	{ EM_RISCV, ELFCLASS64, "/lib/riscv64-linux-gnu:/usr/lib/riscv64-linux-gnu:/lib64:/usr/lib64" },
	{ EM_S390, ELFCLASS64, "/lib/s390x-linux-gnu:/usr/lib/s390x-linux-gnu:/lib64:/usr/lib64" },
};
static const char common_dirs[] = "/usr/lib:/lib:/usr/local/lib";

/*
 * dir (len bytes)/name with $ORIGIN (the directory of origin) expanded
 * into *out (allocated); *out NULL when a dynamic string token we do not
 * expand is left.  0, or -ENOMEM.
 */
static int candidate(const char *dir, size_t len, const char *name,
		     const char *origin, char **out)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	*out = NULL;
	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		if (dir[i] != '$') {
			fputc(dir[i], f);
			continue;
		}
		if (len - i >= 7 && !strncmp(dir + i, "$ORIGIN", 7)) {
			fputs(origin, f);
			i += 6;
		} else if (len - i >= 9 && !strncmp(dir + i, "${ORIGIN}", 9)) {
			fputs(origin, f);
			i += 8;
		} else {
			fclose(f);
			free(text);
			return 0;
		}
	}
	fprintf(f, "/%s", name);
	if (fclose(f)) {
		free(text);
		return -ENOMEM;
	}
	*out = text;
	return 0;
}

/* Appends the candidates of the ':'-separated dirs (NULL: none) to v. */
static int add_dirs(char ***v, size_t *n, const char *dirs, const char *name,
		    const char *origin)
{
	for (const char *p = dirs; p && *p;) {
		size_t w = strcspn(p, ":");
		char *c = NULL;
		int ret = w ? candidate(p, w, name, origin, &c) : 0;

		p += w;
		p += *p == ':';
		if (ret)
			return ret;
		if (c && (ret = strv_take(v, n, c)))
			return ret;
	}
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* The directory lists ld.so searches for a library of obj, in order. */
static size_t search_order(const struct sk_elf *obj, const struct sk_elf *exe,
			   const char *order[4])
{
	size_t n = 0;

	if (obj->runpath) {
		order[n++] = obj->runpath;
	} else {
		order[n++] = obj->rpath;
		if (obj != exe && !exe->runpath)
			order[n++] = exe->rpath;
	}
	for (size_t i = 0; i < sizeof(lib_dirs) / sizeof(lib_dirs[0]); i++)
		if (lib_dirs[i].machine == exe->machine &&
		    lib_dirs[i].elfclass == exe->elfclass)
			order[n++] = lib_dirs[i].dirs;
	order[n++] = common_dirs;
	return n;
}

int sk_elf_lib_paths(const char *name, const struct sk_elf *obj,
		     const char *obj_path, const struct sk_elf *exe,
		     char ***paths, size_t *n)
{
	const char *order[4] = { NULL };
	char **v = NULL, *origin;
	size_t nv = 0, n_order;
	int ret = 0;

	/* A name with a slash is a path, as ld.so reads it. */
	if (strchr(name, '/')) {
		ret = strv_push(&v, &nv, name);
		goto out;
	}
	if (!(origin = dir_of(obj_path)))
		return -ENOMEM;
	n_order = search_order(obj, exe, order);
	for (size_t i = 0; i < n_order && !ret; i++)
		ret = add_dirs(&v, &nv, order[i], name, origin);
	free(origin);
out:
	if (ret) {
		strv_free(v, nv);
		return ret;
	}
	*paths = v;
	*n = nv;
	return 0;
}

void sk_elf_paths_free(char **paths, size_t n)
{
	strv_free(paths, n);
}
