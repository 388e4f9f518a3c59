/* SPDX-License-Identifier: MIT */
/*
 * int80: a 64-bit program that also makes i386 syscalls through int 0x80
 * (getpid, 20 on i386; getuid32, 199), as old code and some exploits do.
 * A tracer must record them under SCMP_ARCH_X86, not as x86_64 calls.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static long int80(long nr)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory");
	return r;
}

int main(void)
{
	long pid32 = int80(20), uid32 = int80(199);
	long pid = syscall(SYS_getpid);

	printf("int80 getpid %s, getuid32 %s\n", pid32 == pid ? "ok" : "differs",
	       uid32 == (long)getuid() ? "ok" : "differs");
	return pid32 == pid && uid32 == (long)getuid() ? 0 : 1;
}
