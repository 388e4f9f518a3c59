/* SPDX-License-Identifier: MIT */
/*
 * int80: a 64-bit program that also makes i386 syscalls through int 0x80
 * (getpid, 20 on i386; getuid32, 199), as old code and some exploits do.
 * A tracer must record them under SCMP_ARCH_X86, not as x86_64 calls.
 * A kernel without IA32 emulation (ia32_emulation=0) raises SIGSEGV at the
 * int 0x80 instead: the program then says so and exits 77 (skip).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static long int80(long nr)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory", "r8", "r9", "r10", "r11");
	return r;
}

static sigjmp_buf no_ia32;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(no_ia32, 1);
}

int main(void)
{
	long pid32, uid32, pid;

	signal(SIGSEGV, on_segv);
	if (sigsetjmp(no_ia32, 1)) {
		printf("int80: no IA32 emulation in this kernel (int 0x80 faults)\n");
		return 77;
	}
	pid32 = int80(20);
	uid32 = int80(199);
	signal(SIGSEGV, SIG_DFL);
	pid = syscall(SYS_getpid);

	printf("int80 getpid %s, getuid32 %s\n", pid32 == pid ? "ok" : "differs",
	       uid32 == (long)getuid() ? "ok" : "differs");
	return pid32 == pid && uid32 == (long)getuid() ? 0 : 1;
}
