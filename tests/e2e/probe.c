/* What this machine's kernel can do, asked of the kernel itself.
 *
 * The tests decide whether to run a part from this program's answer, never
 * from the tool under test: a backend that the kernel supports and the
 * tool fails to start is a failure, not a skip (issue 21).  It links no
 * part of libscmpkit on purpose.
 *
 * Usage: probe FEATURE...; exit 0 when every FEATURE is there, 1 (with the
 * reason on stdout) at the first one that is not, 2 for bad usage.
 * FEATUREs: seccomp notify ptrace bpf ia32 userns kmsg seclog root landlock
 *           landlock-net
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif

static char why[256];

/* Keeps MSG and errno's text as the reason; returns 1 (not there). */
static int no(const char *msg)
{
	snprintf(why, sizeof(why), "%s: %s", msg, strerror(errno));
	return 1;
}

/* Runs FN in a child and returns its exit status (a crash is 100 + signal). */
static int in_child(int (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return 99;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &st, 0) < 0)
		return 99;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static int load(unsigned flags, unsigned ret_for_getppid)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret_for_getppid),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { .len = 4, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &p);
}

static int child_seccomp(void)
{
	if (load(0, SECCOMP_RET_ERRNO | 42) < 0)
		return 1;
	return (syscall(SYS_getppid) == -1 && errno == 42) ? 0 : 2;
}

static int child_notify(void)
{
	return load(SECCOMP_FILTER_FLAG_NEW_LISTENER, SECCOMP_RET_USER_NOTIF) >= 0 ? 0 : 1;
}

static int p_seccomp(void)
{
	int rc = in_child(child_seccomp);

	if (rc == 1)
		return no("loading a seccomp filter failed");
	if (rc)
		return no("a loaded seccomp filter did not act as it says");
	return 0;
}

static int p_notify(void)
{
	uint32_t act = SECCOMP_RET_USER_NOTIF;

	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act))
		return no("the kernel has no SECCOMP_RET_USER_NOTIF");
	if (in_child(child_notify))
		return no("a filter with a notify listener cannot be loaded");
	return 0;
}

static int p_ptrace(void)
{
	struct { uint8_t op; uint8_t pad[7]; uint64_t rest[10]; } info;
	int st, ok = 0;
	pid_t pid = fork();

	if (pid < 0)
		return no("fork");
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(1);
		raise(SIGSTOP);
		getppid();
		_exit(0);
	}
	if (waitpid(pid, &st, 0) == pid && WIFSTOPPED(st) &&
	    !ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD) &&
	    !ptrace(PTRACE_SYSCALL, pid, 0, 0) && waitpid(pid, &st, 0) == pid &&
	    WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80))
		ok = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) > 0 &&
		     info.op == 1; /* PTRACE_SYSCALL_INFO_ENTRY */
	if (!ok)
		no("ptrace with PTRACE_GET_SYSCALL_INFO does not work");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return !ok;
}

static int bpf_call(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

/* A two-instruction raw tracepoint program attached to sys_enter: what the
 * bpf backend needs of the kernel, short of its BTF-typed reads. */
static int p_bpf(void)
{
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;
	int fd, tp;

	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return no("the kernel has no BTF (/sys/kernel/btf/vmlinux)");
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = 2;
	a.license = (uintptr_t)"GPL";
	fd = bpf_call(BPF_PROG_LOAD, &a);
	if (fd < 0)
		return no("loading a raw tracepoint program failed");
	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (uintptr_t)"sys_enter";
	a.raw_tracepoint.prog_fd = fd;
	tp = bpf_call(BPF_RAW_TRACEPOINT_OPEN, &a);
	if (tp < 0) {
		no("attaching to the sys_enter raw tracepoint failed");
		close(fd);
		return 1;
	}
	close(tp);
	close(fd);
	return 0;
}

static int child_int80(void)
{
	long ret;

	/* i386 getpid is 20 */
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	return ret == getpid() ? 0 : 1;
}

static int p_ia32(void)
{
#if defined(__x86_64__)
	if (in_child(child_int80))
		return no("no IA32 emulation: int 0x80 does not run i386 calls");
	return 0;
#else
	errno = ENOSYS;
	return no("not an x86_64 host");
#endif
}

static int child_userns(void)
{
	return unshare(CLONE_NEWUSER) ? 1 : 0;
}

static int p_userns(void)
{
	if (in_child(child_userns))
		return no("unshare(CLONE_NEWUSER) fails");
	return 0;
}

static int p_kmsg(void)
{
	char buf[64];

	if (klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf)) < 0)
		return no("the kernel log cannot be read (syslog)");
	return 0;
}

static int p_seclog(void)
{
	char buf[256] = "";
	uint32_t act = SECCOMP_RET_LOG;
	FILE *f = fopen("/proc/sys/kernel/seccomp/actions_logged", "r");

	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act))
		return no("the kernel has no SECCOMP_RET_LOG");
	if (!f)
		return no("/proc/sys/kernel/seccomp/actions_logged");
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	if (!strstr(buf, "log")) {
		errno = EPERM;
		return no("actions_logged does not list log");
	}
	return 0;
}

static int p_root(void)
{
	errno = EPERM;
	return geteuid() ? no("not root") : 0;
}

#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* Landlock: the kernel answers with its ABI version (1 and up). */
static int p_landlock(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	if (abi < 1)
		return no("landlock_create_ruleset(VERSION)");
	return 0;
}

/* Landlock's TCP bind/connect rules: ABI 4 (Linux 6.7). */
static int p_landlock_net(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	if (abi < 1)
		return no("landlock_create_ruleset(VERSION)");
	errno = EOPNOTSUPP;
	return abi < 4 ? no("Landlock ABI below 4 (no TCP port rules)") : 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} probes[] = {
	{ "bpf", p_bpf },	{ "ia32", p_ia32 },	{ "kmsg", p_kmsg },
	{ "landlock", p_landlock }, { "landlock-net", p_landlock_net },
	{ "notify", p_notify }, { "ptrace", p_ptrace }, { "root", p_root },
	{ "seccomp", p_seccomp }, { "seclog", p_seclog }, { "userns", p_userns },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		fprintf(stderr, "usage: probe FEATURE...\n");
		return 2;
	}
	for (int n = 1; n < argc; n++) {
		for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			if (!strcmp(argv[n], probes[i].name))
				break;
		if (i == sizeof(probes) / sizeof(probes[0])) {
			fprintf(stderr, "probe: unknown feature %s\n", argv[n]);
			return 2;
		}
		if (probes[i].fn()) {
			printf("%s\n", why);
			return 1;
		}
	}
	return 0;
}
