/* SPDX-License-Identifier: MIT */
/*
 * i386args: a 64-bit program whose i386 calls (int 0x80) aim at argument
 * rules that compare the wrong thing on i386 (issue 13 item 2).  On i386,
 * mmap is the old mmap (nr 90): its one argument points to a struct holding
 * the six, so a rule on its prot compares edx, which it never reads; and
 * libseccomp puts a rule on socket also on socketcall(SYS_SOCKET), with
 * arg0 replaced by the call number and the type and protocol comparisons
 * made on socketcall's pointer to the real arguments and on edx.  Each run
 * makes the same 64-bit calls (an AF_UNIX stream socket, a read-only and a
 * read-write mapping); argv[1] says what it does through int 0x80:
 *
 *   none        getpid only (the run to trace: the profile covers i386)
 *   i386        also a read-only old mmap and an AF_UNIX socketcall(SYS_SOCKET)
 *   oldmmap     an old mmap asking for PROT_READ|PROT_WRITE|PROT_EXEC, edx 0
 *   socketcall  socketcall(SYS_SOCKET) for AF_INET, its pointer at 0x80801
 *               so that it passes "type & ~(SOCK_NONBLOCK|SOCK_CLOEXEC) ==
 *               SOCK_STREAM", edx 0 for "protocol == 0"
 *   inet        socket(AF_INET) as x86_64, for comparison
 *
 * Prints "attempt NAME" before and "escaped NAME: result" after (exit 1 when
 * the result is an error): under a profile that holds, the process dies of
 * SIGSYS in between or the result is the profile's errno.  A kernel without
 * IA32 emulation faults at int 0x80: the program says so and exits 77
 * (skip).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/net.h>

/* i386 numbers: the point is to make these very calls. */
#define NR32_GETPID 20
#define NR32_OLD_MMAP 90
#define NR32_SOCKETCALL 102

/* The address socketcall's args pointer gets: 0x80801 & 0xfff7f7ff ==
 * SOCK_STREAM, so it passes the masked type comparison. */
#define ARGS_PAGE 0x80000UL
#define ARGS_AT 0x80801UL

static long int80(long nr, long bx, long cx, long dx)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(bx), "c"(cx), "d"(dx)
			 : "memory", "r8", "r9", "r10", "r11");
	return r;
}

static sigjmp_buf no_ia32;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(no_ia32, 1);
}

/* i386's struct mmap_arg_struct: six 32-bit words. */
struct old_mmap_args {
	uint32_t addr, len, prot, flags, fd, offset;
};

/* Somewhere below 4 GiB for i386 pointers. */
static void *low_page(unsigned long at)
{
	void *p = mmap((void *)at, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS |
		       (at ? MAP_FIXED_NOREPLACE : MAP_32BIT), -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static long old_mmap(uint32_t prot, long dx)
{
	struct old_mmap_args *a = low_page(0);
	long r;

	if (!a)
		return -ENOMEM;
	*a = (struct old_mmap_args){ .len = 4096, .prot = prot,
				     .flags = MAP_PRIVATE | MAP_ANONYMOUS,
				     .fd = (uint32_t)-1 };
	r = int80(NR32_OLD_MMAP, (long)(uintptr_t)a, 0, dx);
	munmap(a, 4096);
	return r;
}

/* socketcall(SYS_SOCKET, args) with args at a chosen address (0: any). */
static long socketcall_socket(int domain, unsigned long at)
{
	char *page = low_page(at ? ARGS_PAGE : 0);
	uint32_t args[3] = { (uint32_t)domain, SOCK_STREAM, 0 };
	char *where;
	long r;

	if (!page)
		return -ENOMEM;
	where = at ? page + (at - ARGS_PAGE) : page;
	memcpy(where, args, sizeof(args));
	r = int80(NR32_SOCKETCALL, SYS_SOCKET, (long)(uintptr_t)where, 0);
	if (r >= 0)
		close((int)r);
	munmap(page, 4096);
	return r;
}

/* The 64-bit calls every run makes. */
static void baseline(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd;

	if (p != MAP_FAILED)
		munmap(p, 4096);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd >= 0)
		close(fd);
}

/* Writes "mov $42, %eax; ret" at addr and runs it: the mapping is both
 * writable and executable when this returns 42 (no syscall involved). */
static int run_code_at(unsigned long addr)
{
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	int (*fn)(void);

	memcpy((void *)addr, code, sizeof(code));
	fn = (int (*)(void))addr;
	return fn();
}

static const char *result(long r, char *buf, size_t len)
{
	if (r < 0 && r > -4096)
		snprintf(buf, len, "%s", strerror((int)-r));
	else
		snprintf(buf, len, "ok");
	return buf;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "none";
	char buf[64];
	long r = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	baseline();
	signal(SIGSEGV, on_segv);
	if (sigsetjmp(no_ia32, 1)) {
		printf("unavailable %s: no IA32 emulation in this kernel (int 0x80 faults)\n",
		       what);
		return 77;
	}
	int80(NR32_GETPID, 0, 0, 0);
	signal(SIGSEGV, SIG_DFL);
	printf("attempt %s\n", what);
	if (!strcmp(what, "none")) {
		r = 0;
	} else if (!strcmp(what, "i386")) {
		r = old_mmap(PROT_READ, 0);
		if (r >= 0 || r <= -4096) {
			munmap((void *)(uintptr_t)r, 4096);
			r = socketcall_socket(AF_UNIX, 0);
		}
	} else if (!strcmp(what, "oldmmap")) {
		r = old_mmap(PROT_READ | PROT_WRITE | PROT_EXEC, 0);
		if ((r >= 0 || r <= -4096) && run_code_at((unsigned long)r) == 42)
			printf("oldmmap: wrote and ran code at %#lx\n", (unsigned long)r);
	} else if (!strcmp(what, "socketcall")) {
		r = socketcall_socket(AF_INET, ARGS_AT);
	} else if (!strcmp(what, "inet")) {
		r = socket(AF_INET, SOCK_STREAM, 0);
		r = r < 0 ? -errno : (close((int)r), 0);
	} else {
		fprintf(stderr, "i386args: unknown attempt %s\n", what);
		return 2;
	}
	printf("escaped %s: %s\n", what, result(r, buf, sizeof(buf)));
	return r < 0 && r > -4096 ? 1 : 0;
}
