/* SPDX-License-Identifier: MIT */
/*
 * escape: tries one way around a seccomp profile, named by argv[1], after
 * making the same baseline calls every time (so a profile traced from
 * `escape none` covers everything but the attempt).  Prints "attempt NAME"
 * before and "escaped NAME: result" after; under a profile that holds, the
 * process dies of SIGSYS (or gets the profile's errno) in between.
 *
 *   none        no attempt (the run to trace)
 *   x32         getpid through the x32 ABI (nr | 0x40000000)
 *   int80       getppid through int 0x80 as i386 (traced runs use getpid);
 *               exits 77 when the kernel has no IA32 emulation
 *   bignr       syscall number 0x3fff, beyond every known one
 *   thread      getppid (not in the profile) from a second thread
 *   newuser     clone with CLONE_NEWUSER
 *   wx          mprotect to PROT_WRITE|PROT_EXEC
 *   inet6       socket(AF_INET6) where only AF_UNIX was traced
 *   clone3user  clone3 with CLONE_NEWUSER (its flags are in a struct no
 *               filter reads: scmp-gen's profiles answer ENOSYS)
 *   mmapwx      mmap with PROT_WRITE|PROT_EXEC (x86_64)
 *   kill33 PID  kill(PID, 33), glibc's internal SIGSETXID, to another process
 *   abrt PID    tgkill(PID, PID, SIGABRT) to another process
 *   target      no attempt: a process for kill33 and abrt to hit; sets the
 *               default action of 33 and SIGABRT itself (raw rt_sigaction:
 *               glibc refuses 33, and a parent - make, CI - may have left
 *               32 and 33 ignored, which exec keeps), then sleeps 300 s
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

static long int80(long nr)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr)
			 : "memory", "r8", "r9", "r10", "r11");
	return r;
}

static sigjmp_buf no_ia32;
static int have_ia32 = 1;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(no_ia32, 1);
}

/* int 0x80, or -ENOSYS when the kernel has no IA32 emulation (it faults). */
static long int80_safe(long nr)
{
	long r = -ENOSYS;

	if (!have_ia32)
		return r;
	signal(SIGSEGV, on_segv);
	if (sigsetjmp(no_ia32, 1) == 0)
		r = int80(nr);
	else
		have_ia32 = 0;
	signal(SIGSEGV, SIG_DFL);
	return r;
}

static long x32_call(long nr)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr | 0x40000000L)
			 : "rcx", "r11", "memory");
	return r;
}

static void *thread_main(void *arg)
{
	long *out = arg;

	*out = syscall(SYS_getppid);
	return NULL;
}

static void *yield_thread(void *arg)
{
	(void)arg;
	sched_yield();
	return NULL;
}

static int child_fn(void *arg)
{
	(void)arg;
	return 0;
}

/* The calls every run makes, so that the traced profile has them. */
static void baseline(void)
{
	pthread_t th;
	long dummy;
	void *p;
	int fd;

	/* A thread, a page made executable, an AF_UNIX socket, i386 getpid. */
	pthread_create(&th, NULL, yield_thread, NULL);
	pthread_join(th, NULL);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		mprotect(p, 4096, PROT_READ | PROT_EXEC);
		munmap(p, 4096);
	}
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd >= 0)
		close(fd);
	dummy = int80_safe(20); /* i386 getpid */
	(void)dummy;
}

/* The kernel's struct sigaction on x86_64 and its peers: SIG_DFL, no
 * flags, no restorer, an empty mask. */
static void default_action(int sig)
{
	unsigned long act[4] = { 0, 0, 0, 0 };

	syscall(SYS_rt_sigaction, sig, act, NULL, 8);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "none";
	long r = 0;

	if (!strcmp(what, "target")) {
		default_action(33);
		default_action(SIGABRT);
		printf("ready\n");
		fflush(stdout);
		sleep(300);
		return 0;
	}

	setvbuf(stdout, NULL, _IONBF, 0);
	baseline();
	printf("attempt %s\n", what);
	if (!strcmp(what, "none")) {
		r = 0;
	} else if (!strcmp(what, "x32")) {
		r = x32_call(39); /* x32 getpid */
	} else if (!strcmp(what, "int80")) {
		r = int80_safe(64); /* i386 getppid */
		if (!have_ia32) {
			printf("unavailable int80: no IA32 emulation in this kernel\n");
			return 77;
		}
	} else if (!strcmp(what, "bignr")) {
		r = syscall(0x3fff);
	} else if (!strcmp(what, "thread")) {
		pthread_t th;

		pthread_create(&th, NULL, thread_main, &r);
		pthread_join(th, NULL);
	} else if (!strcmp(what, "newuser")) {
		static char stack[65536];
		pid_t pid = clone(child_fn, stack + sizeof(stack),
				  CLONE_NEWUSER | SIGCHLD, NULL);

		r = pid;
		if (pid > 0)
			waitpid(pid, NULL, 0);
	} else if (!strcmp(what, "wx")) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		r = mprotect(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
	} else if (!strcmp(what, "inet6")) {
		r = socket(AF_INET6, SOCK_STREAM, 0);
	} else if (!strcmp(what, "clone3user")) {
		struct clone_args ca = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };

		r = syscall(SYS_clone3, &ca, sizeof(ca));
		if (r == 0)
			_exit(0);
		if (r > 0)
			waitpid((pid_t)r, NULL, 0);
	} else if (!strcmp(what, "mmapwx")) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		r = p == MAP_FAILED ? -1 : 0;
	} else if (argc > 2 && !strcmp(what, "kill33")) {
		r = kill((pid_t)atol(argv[2]), 33);
	} else if (argc > 2 && !strcmp(what, "abrt")) {
		r = syscall(SYS_tgkill, atol(argv[2]), atol(argv[2]), SIGABRT);
	} else {
		fprintf(stderr, "escape: unknown attempt %s\n", what);
		return 2;
	}
	/* Raw calls (x32, int80) return -errno; libc wrappers -1 and errno. */
	printf("escaped %s: %ld (%s)\n", what, r,
	       r == -1 ? strerror(errno) : r < 0 ? strerror((int)-r) : "ok");
	return 0;
}
