/* SPDX-License-Identifier: MIT */
/*
 * Symbolic names for recorded argument values (argknow.h), for scmp-gen
 * --explain and the generated profiles' comments.  Values come from the
 * host's headers, so the names are right for the arch this was built on;
 * a value a table does not know is printed in hex.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>

#include "argknow.h"

struct name {
	uint64_t value;
	const char *name;
};

#define N(x) { (uint64_t)(x), #x }
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

static const struct name domains[] = {
	N(AF_UNSPEC), N(AF_UNIX), N(AF_INET), N(AF_AX25), N(AF_IPX),
	N(AF_APPLETALK), N(AF_X25), N(AF_INET6), N(AF_KEY), N(AF_NETLINK),
	N(AF_PACKET), N(AF_RDS), N(AF_LLC), N(AF_CAN), N(AF_TIPC),
	N(AF_BLUETOOTH), N(AF_ALG), N(AF_VSOCK), N(AF_XDP),
};

static const struct name sock_types[] = {
	N(SOCK_STREAM), N(SOCK_DGRAM), N(SOCK_RAW), N(SOCK_RDM),
	N(SOCK_SEQPACKET), N(SOCK_DCCP), N(SOCK_PACKET),
};

static const struct name sock_type_flags[] = {
	N(SOCK_NONBLOCK), N(SOCK_CLOEXEC),
};

static const struct name protocols[] = {
	{ 0, "0 (default)" }, N(IPPROTO_ICMP), N(IPPROTO_TCP), N(IPPROTO_UDP),
	N(IPPROTO_IPV6), N(IPPROTO_ICMPV6), N(IPPROTO_SCTP), N(IPPROTO_RAW),
};

static const struct name sol_levels[] = {
	N(IPPROTO_IP), N(SOL_SOCKET), N(IPPROTO_TCP), N(IPPROTO_UDP),
	N(IPPROTO_IPV6), N(IPPROTO_ICMPV6), N(IPPROTO_RAW), N(SOL_NETLINK),
	N(SOL_PACKET),
};

static const struct name ioctls[] = {
	N(TCGETS), N(TCSETS), N(TCSETSW), N(TCSETSF), N(TCGETA), N(TCSETA),
	N(TCSBRK), N(TCXONC), N(TCFLSH), N(TIOCEXCL), N(TIOCNXCL),
	N(TIOCSCTTY), N(TIOCGPGRP), N(TIOCSPGRP), N(TIOCOUTQ), N(TIOCSTI),
	N(TIOCGWINSZ), N(TIOCSWINSZ), N(TIOCMGET), N(FIONREAD), N(TIOCLINUX),
	N(TIOCCONS), N(TIOCNOTTY), N(TIOCSETD), N(TIOCGETD), N(TIOCGPTN),
	N(TIOCSPTLCK), N(TIOCGSID), N(TIOCGPTPEER), N(FIONBIO), N(FIOCLEX),
	N(FIONCLEX), N(FIOASYNC), N(TIOCSERGETLSR),
};

static const struct name fcntls[] = {
	N(F_DUPFD), N(F_GETFD), N(F_SETFD), N(F_GETFL), N(F_SETFL), N(F_GETLK),
	N(F_SETLK), N(F_SETLKW), N(F_SETOWN), N(F_GETOWN), N(F_SETSIG),
	N(F_GETSIG), N(F_SETOWN_EX), N(F_GETOWN_EX), N(F_OFD_GETLK),
	N(F_OFD_SETLK), N(F_OFD_SETLKW), N(F_SETLEASE), N(F_GETLEASE),
	N(F_NOTIFY), N(F_DUPFD_CLOEXEC), N(F_SETPIPE_SZ), N(F_GETPIPE_SZ),
	N(F_ADD_SEALS), N(F_GET_SEALS),
};

static const struct name prctls[] = {
	N(PR_SET_PDEATHSIG), N(PR_GET_PDEATHSIG), N(PR_GET_DUMPABLE),
	N(PR_SET_DUMPABLE), N(PR_GET_KEEPCAPS), N(PR_SET_KEEPCAPS),
	N(PR_SET_NAME), N(PR_GET_NAME), N(PR_GET_SECCOMP), N(PR_SET_SECCOMP),
	N(PR_CAPBSET_READ), N(PR_CAPBSET_DROP), N(PR_GET_TSC), N(PR_SET_TSC),
	N(PR_GET_SECUREBITS), N(PR_SET_SECUREBITS), N(PR_GET_TIMERSLACK),
	N(PR_SET_TIMERSLACK), N(PR_MCE_KILL), N(PR_MCE_KILL_GET), N(PR_SET_MM),
	N(PR_SET_PTRACER), N(PR_SET_CHILD_SUBREAPER),
	N(PR_GET_CHILD_SUBREAPER), N(PR_SET_NO_NEW_PRIVS),
	N(PR_GET_NO_NEW_PRIVS), N(PR_GET_TID_ADDRESS), N(PR_SET_THP_DISABLE),
	N(PR_GET_THP_DISABLE), N(PR_CAP_AMBIENT), N(PR_SET_VMA),
};

#ifdef __x86_64__
/* From asm/prctl.h, which not every libc exposes. */
static const struct name arch_prctls[] = {
	{ 0x1001, "ARCH_SET_GS" }, { 0x1002, "ARCH_SET_FS" },
	{ 0x1003, "ARCH_GET_FS" }, { 0x1004, "ARCH_GET_GS" },
	{ 0x1011, "ARCH_GET_CPUID" }, { 0x1012, "ARCH_SET_CPUID" },
	{ 0x1021, "ARCH_GET_XCOMP_SUPP" }, { 0x1022, "ARCH_GET_XCOMP_PERM" },
	{ 0x1023, "ARCH_REQ_XCOMP_PERM" },
	{ 0x1024, "ARCH_GET_XCOMP_GUEST_PERM" },
	{ 0x1025, "ARCH_REQ_XCOMP_GUEST_PERM" },
	{ 0x2001, "ARCH_MAP_VDSO_X32" }, { 0x2002, "ARCH_MAP_VDSO_32" },
	{ 0x2003, "ARCH_MAP_VDSO_64" }, { 0x4001, "ARCH_GET_UNTAG_MASK" },
	{ 0x4002, "ARCH_ENABLE_TAGGED_ADDR" },
	{ 0x4003, "ARCH_GET_MAX_TAG_BITS" },
	{ 0x4004, "ARCH_FORCE_TAGGED_SVA" }, { 0x5001, "ARCH_SHSTK_ENABLE" },
	{ 0x5002, "ARCH_SHSTK_DISABLE" }, { 0x5003, "ARCH_SHSTK_LOCK" },
	{ 0x5004, "ARCH_SHSTK_UNLOCK" }, { 0x5005, "ARCH_SHSTK_STATUS" },
};
#else
static const struct name arch_prctls[] = { { 0x1002, "ARCH_SET_FS" } };
#endif

/* Namespace bits first: they are what a reader looks for. */
static const struct name clone_flags[] = {
	N(CLONE_NEWNS), N(CLONE_NEWCGROUP), N(CLONE_NEWUTS), N(CLONE_NEWIPC),
	N(CLONE_NEWUSER), N(CLONE_NEWPID), N(CLONE_NEWNET), { 0x80, "CLONE_NEWTIME" },
	N(CLONE_VM), N(CLONE_FS), N(CLONE_FILES), N(CLONE_SIGHAND),
	N(CLONE_PIDFD), N(CLONE_PTRACE), N(CLONE_VFORK), N(CLONE_PARENT),
	N(CLONE_THREAD), N(CLONE_SYSVSEM), N(CLONE_SETTLS),
	N(CLONE_PARENT_SETTID), N(CLONE_CHILD_CLEARTID), N(CLONE_UNTRACED),
	N(CLONE_CHILD_SETTID), N(CLONE_IO),
};

static const struct name prot_flags[] = {
	N(PROT_READ), N(PROT_WRITE), N(PROT_EXEC),
};

static const struct name open_flags[] = {
	N(O_CREAT), N(O_EXCL), N(O_NOCTTY), N(O_TRUNC), N(O_APPEND),
	N(O_NONBLOCK), N(O_DSYNC), N(O_DIRECT), N(O_DIRECTORY), N(O_NOFOLLOW),
	N(O_NOATIME), N(O_CLOEXEC), N(O_PATH), N(O_TMPFILE & ~O_DIRECTORY),
};

static const struct name madvs[] = {
	N(MADV_NORMAL), N(MADV_RANDOM), N(MADV_SEQUENTIAL), N(MADV_WILLNEED),
	N(MADV_DONTNEED), N(MADV_FREE), N(MADV_REMOVE), N(MADV_DONTFORK),
	N(MADV_DOFORK), N(MADV_MERGEABLE), N(MADV_UNMERGEABLE),
	N(MADV_HUGEPAGE), N(MADV_NOHUGEPAGE), N(MADV_DONTDUMP), N(MADV_DODUMP),
	N(MADV_WIPEONFORK), N(MADV_KEEPONFORK), N(MADV_COLD), N(MADV_PAGEOUT),
	N(MADV_HWPOISON), { 22, "MADV_POPULATE_READ" },
	{ 23, "MADV_POPULATE_WRITE" }, { 24, "MADV_DONTNEED_LOCKED" },
	{ 25, "MADV_COLLAPSE" }, { 102, "MADV_GUARD_INSTALL" },
	{ 103, "MADV_GUARD_REMOVE" },
};

static const struct name futex_ops[] = {
	N(FUTEX_WAIT), N(FUTEX_WAKE), N(FUTEX_FD), N(FUTEX_REQUEUE),
	N(FUTEX_CMP_REQUEUE), N(FUTEX_WAKE_OP), N(FUTEX_LOCK_PI),
	N(FUTEX_UNLOCK_PI), N(FUTEX_TRYLOCK_PI), N(FUTEX_WAIT_BITSET),
	N(FUTEX_WAKE_BITSET), N(FUTEX_WAIT_REQUEUE_PI),
	N(FUTEX_CMP_REQUEUE_PI), { 13, "FUTEX_LOCK_PI2" },
};

static const struct name futex_flags[] = {
	N(FUTEX_PRIVATE_FLAG), N(FUTEX_CLOCK_REALTIME),
};

static const struct name signals[] = {
	{ 0, "0 (existence check)" }, N(SIGHUP), N(SIGINT), N(SIGQUIT),
	N(SIGILL), N(SIGTRAP), N(SIGABRT), N(SIGBUS), N(SIGFPE), N(SIGKILL),
	N(SIGUSR1), N(SIGSEGV), N(SIGUSR2), N(SIGPIPE), N(SIGALRM),
	N(SIGTERM), N(SIGSTKFLT), N(SIGCHLD), N(SIGCONT), N(SIGSTOP),
	N(SIGTSTP), N(SIGTTIN), N(SIGTTOU), N(SIGURG), N(SIGXCPU),
	N(SIGXFSZ), N(SIGVTALRM), N(SIGPROF), N(SIGWINCH), N(SIGIO),
	N(SIGPWR), N(SIGSYS),
};

static const struct name personas[] = {
	N(PER_LINUX), N(PER_LINUX_32BIT), N(PER_SVR4), N(PER_LINUX32),
	{ 0xffffffff, "0xffffffff (query)" },
};

static const struct name persona_flags[] = {
	N(UNAME26), N(ADDR_NO_RANDOMIZE), N(FDPIC_FUNCPTRS), N(MMAP_PAGE_ZERO),
	N(ADDR_COMPAT_LAYOUT), N(READ_IMPLIES_EXEC), N(ADDR_LIMIT_32BIT),
	N(SHORT_INODE), N(WHOLE_SECONDS), N(STICKY_TIMEOUTS),
	N(ADDR_LIMIT_3GB),
};

static const struct name seccomp_ops[] = {
	N(SECCOMP_SET_MODE_STRICT), N(SECCOMP_SET_MODE_FILTER),
	N(SECCOMP_GET_ACTION_AVAIL), { 3, "SECCOMP_GET_NOTIF_SIZES" },
};

/* linux/bpf.h's enum bpf_cmd, kept here to avoid that header's size. */
static const char *const bpf_cmds[] = {
	"BPF_MAP_CREATE", "BPF_MAP_LOOKUP_ELEM", "BPF_MAP_UPDATE_ELEM",
	"BPF_MAP_DELETE_ELEM", "BPF_MAP_GET_NEXT_KEY", "BPF_PROG_LOAD",
	"BPF_OBJ_PIN", "BPF_OBJ_GET", "BPF_PROG_ATTACH", "BPF_PROG_DETACH",
	"BPF_PROG_TEST_RUN", "BPF_PROG_GET_NEXT_ID", "BPF_MAP_GET_NEXT_ID",
	"BPF_PROG_GET_FD_BY_ID", "BPF_MAP_GET_FD_BY_ID",
	"BPF_OBJ_GET_INFO_BY_FD", "BPF_PROG_QUERY", "BPF_RAW_TRACEPOINT_OPEN",
	"BPF_BTF_LOAD", "BPF_BTF_GET_FD_BY_ID", "BPF_TASK_FD_QUERY",
};

/* linux/keyctl.h */
static const char *const keyctl_ops[] = {
	"KEYCTL_GET_KEYRING_ID", "KEYCTL_JOIN_SESSION_KEYRING",
	"KEYCTL_UPDATE", "KEYCTL_REVOKE", "KEYCTL_CHOWN", "KEYCTL_SETPERM",
	"KEYCTL_DESCRIBE", "KEYCTL_CLEAR", "KEYCTL_LINK", "KEYCTL_UNLINK",
	"KEYCTL_SEARCH", "KEYCTL_READ", "KEYCTL_INSTANTIATE",
	"KEYCTL_NEGATE", "KEYCTL_SET_REQKEY_KEYRING", "KEYCTL_SET_TIMEOUT",
	"KEYCTL_ASSUME_AUTHORITY", "KEYCTL_GET_SECURITY",
	"KEYCTL_SESSION_TO_PARENT", "KEYCTL_REJECT",
	"KEYCTL_INSTANTIATE_IOV", "KEYCTL_INVALIDATE",
	"KEYCTL_GET_PERSISTENT",
};

/* linux/ptrace.h, the common requests. */
static const struct name ptrace_reqs[] = {
	{ 0, "PTRACE_TRACEME" }, { 1, "PTRACE_PEEKTEXT" },
	{ 2, "PTRACE_PEEKDATA" }, { 3, "PTRACE_PEEKUSER" },
	{ 4, "PTRACE_POKETEXT" }, { 5, "PTRACE_POKEDATA" },
	{ 6, "PTRACE_POKEUSER" }, { 7, "PTRACE_CONT" }, { 8, "PTRACE_KILL" },
	{ 9, "PTRACE_SINGLESTEP" }, { 12, "PTRACE_GETREGS" },
	{ 13, "PTRACE_SETREGS" }, { 16, "PTRACE_ATTACH" },
	{ 17, "PTRACE_DETACH" }, { 24, "PTRACE_SYSCALL" },
	{ 0x4200, "PTRACE_SETOPTIONS" }, { 0x4201, "PTRACE_GETEVENTMSG" },
	{ 0x4202, "PTRACE_GETSIGINFO" }, { 0x4204, "PTRACE_GETREGSET" },
	{ 0x4205, "PTRACE_SETREGSET" }, { 0x4206, "PTRACE_SEIZE" },
	{ 0x4207, "PTRACE_INTERRUPT" }, { 0x4208, "PTRACE_LISTEN" },
	{ 0x420e, "PTRACE_GET_SYSCALL_INFO" },
};

/* linux/net.h's SYS_* calls of socketcall(2), from 1. */
static const char *const socketcalls[] = {
	NULL, "SYS_SOCKET", "SYS_BIND", "SYS_CONNECT", "SYS_LISTEN",
	"SYS_ACCEPT", "SYS_GETSOCKNAME", "SYS_GETPEERNAME", "SYS_SOCKETPAIR",
	"SYS_SEND", "SYS_RECV", "SYS_SENDTO", "SYS_RECVFROM", "SYS_SHUTDOWN",
	"SYS_SETSOCKOPT", "SYS_GETSOCKOPT", "SYS_SENDMSG", "SYS_RECVMSG",
	"SYS_ACCEPT4", "SYS_RECVMMSG", "SYS_SENDMMSG",
};

/* How one (syscall, position) is spelled. */
enum style {
	ENUM,         /* one name from tab */
	FLAGS,        /* names of tab joined by |, leftover bits in hex */
	LIST,         /* strv indexed by value */
	SOCKTYPE,     /* enum in the low bits, SOCK_* flags above */
	OPENFLAGS,    /* access mode, then flags */
	CLONEFLAGS,   /* flags, exit signal in the low byte */
	FUTEXOP,      /* op in the low bits, PRIVATE/CLOCK_REALTIME flags */
	PERSONA,      /* persona in the low byte, flags above */
	PROT,         /* PROT_NONE when zero */
};

struct decoder {
	const char *syscall;
	unsigned index;
	enum style style;
	const struct name *tab;
	size_t n;
	const char *const *strv;
	size_t n_strv;
};

#define T(t) .tab = (t), .n = COUNT(t)
#define S(t) .strv = (t), .n_strv = COUNT(t)

/* Sorted by syscall name, then index (sk_arg_decode searches it in order). */
static const struct decoder decoders[] = {
	{ "arch_prctl", 0, ENUM, T(arch_prctls) },
	{ "bpf", 0, LIST, S(bpf_cmds) },
	{ "clone", 0, CLONEFLAGS, T(clone_flags) },
	{ "fcntl", 1, ENUM, T(fcntls) },
	{ "fcntl64", 1, ENUM, T(fcntls) },
	{ "futex", 1, FUTEXOP, T(futex_ops) },
	{ "getsockopt", 1, ENUM, T(sol_levels) },
	{ "ioctl", 1, ENUM, T(ioctls) },
	{ "keyctl", 0, LIST, S(keyctl_ops) },
	{ "kill", 1, ENUM, T(signals) },
	{ "madvise", 2, ENUM, T(madvs) },
	{ "mmap", 2, PROT, T(prot_flags) },
	{ "mmap2", 2, PROT, T(prot_flags) },
	{ "mprotect", 2, PROT, T(prot_flags) },
	{ "open", 1, OPENFLAGS, T(open_flags) },
	{ "openat", 2, OPENFLAGS, T(open_flags) },
	{ "personality", 0, PERSONA, T(personas) },
	{ "pkey_mprotect", 2, PROT, T(prot_flags) },
	{ "prctl", 0, ENUM, T(prctls) },
	{ "ptrace", 0, ENUM, T(ptrace_reqs) },
	{ "rt_sigaction", 0, ENUM, T(signals) },
	{ "rt_sigqueueinfo", 1, ENUM, T(signals) },
	{ "seccomp", 0, ENUM, T(seccomp_ops) },
	{ "setns", 1, FLAGS, T(clone_flags) },
	{ "setsockopt", 1, ENUM, T(sol_levels) },
	{ "sigaction", 0, ENUM, T(signals) },
	{ "signal", 0, ENUM, T(signals) },
	{ "socket", 0, ENUM, T(domains) },
	{ "socket", 1, SOCKTYPE, T(sock_types) },
	{ "socket", 2, ENUM, T(protocols) },
	{ "socketcall", 0, LIST, S(socketcalls) },
	{ "socketpair", 0, ENUM, T(domains) },
	{ "socketpair", 1, SOCKTYPE, T(sock_types) },
	{ "tgkill", 2, ENUM, T(signals) },
	{ "tkill", 1, ENUM, T(signals) },
	{ "unshare", 0, FLAGS, T(clone_flags) },
};

static const char *lookup(const struct name *tab, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].value == v)
			return tab[i].name;
	return NULL;
}

/* Appends to buf (always NUL-terminated, truncated at len). */
static void put(char *buf, unsigned len, const char *s)
{
	size_t used = strlen(buf);

	if (used + 1 < len)
		snprintf(buf + used, len - used, "%s", s);
}

static void put_hex(char *buf, unsigned len, const char *sep, uint64_t v)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "%s%#llx", sep, (unsigned long long)v);
	put(buf, len, hex);
}

/* Joins names of the set bits of v with |; leftover bits in hex.  Returns
 * whether any name was used. */
static int put_flags(char *buf, unsigned len, const struct name *tab,
		     size_t n, uint64_t v, int started)
{
	int named = 0;

	for (size_t i = 0; i < n && v; i++) {
		if (!tab[i].value || (v & tab[i].value) != tab[i].value)
			continue;
		if (started)
			put(buf, len, "|");
		put(buf, len, tab[i].name);
		v &= ~tab[i].value;
		started = named = 1;
	}
	if (v)
		put_hex(buf, len, started ? "|" : "", v);
	return named;
}

/* 0 named by zero (as "PROT_NONE"), else flag names: -ENOENT when none
 * of v's bits has one. */
static int put_flags_only(char *buf, unsigned len, const struct decoder *d,
			  uint64_t v, const char *zero)
{
	if (!v) {
		put(buf, len, zero);
		return 0;
	}
	return put_flags(buf, len, d->tab, d->n, v, 0) ? 0 : -ENOENT;
}

/* An enum in the bits of enum_mask with flags above it, as socket types,
 * futex ops and personalities pack them: the value has no name unless its
 * enum has one, whatever the flags. */
static int put_enum_flags(char *buf, unsigned len, const struct decoder *d,
			  uint64_t v, uint64_t enum_mask,
			  const struct name *flags, size_t n_flags)
{
	const char *s = lookup(d->tab, d->n, v & enum_mask);

	if (!s)
		return -ENOENT;
	put(buf, len, s);
	put_flags(buf, len, flags, n_flags, v & ~enum_mask, 1);
	return 0;
}

/* clone's flags carry the exit signal in their low byte: a signal there
 * is a name even when no flag bit is set (fork-like clone(SIGCHLD)). */
static int put_clone(char *buf, unsigned len, const struct decoder *d,
		     uint64_t v)
{
	uint64_t low = v & CSIGNAL;
	const char *s;

	if (!put_flags(buf, len, d->tab, d->n, v & ~(uint64_t)CSIGNAL, 0) &&
	    !low)
		return v ? -ENOENT : (put(buf, len, "0"), 0);
	if (low) {
		s = lookup(signals, COUNT(signals), low);
		if (v & ~(uint64_t)CSIGNAL)
			put(buf, len, "|");
		if (s)
			put(buf, len, s);
		else
			put_hex(buf, len, "", low);
	}
	return 0;
}

static int decode(const struct decoder *d, uint64_t v, char *buf, unsigned len)
{
	const char *s;
	uint64_t low;

	switch (d->style) {
	case ENUM:
		s = lookup(d->tab, d->n, v);
		if (!s)
			return -ENOENT;
		put(buf, len, s);
		return 0;
	case LIST:
		if (v >= d->n_strv || !d->strv[v])
			return -ENOENT;
		put(buf, len, d->strv[v]);
		return 0;
	case FLAGS:
		return put_flags_only(buf, len, d, v, "0");
	case PROT:
		return put_flags_only(buf, len, d, v, "PROT_NONE");
	case SOCKTYPE:
		return put_enum_flags(buf, len, d, v, 0xf, sock_type_flags,
				      COUNT(sock_type_flags));
	case OPENFLAGS:
		low = v & O_ACCMODE;
		put(buf, len, low == O_RDONLY ? "O_RDONLY" :
			      low == O_WRONLY ? "O_WRONLY" :
			      low == O_RDWR ? "O_RDWR" : "O_ACCMODE");
		put_flags(buf, len, d->tab, d->n, v & ~(uint64_t)O_ACCMODE, 1);
		return 0;
	case CLONEFLAGS:
		return put_clone(buf, len, d, v);
	case FUTEXOP:
		return put_enum_flags(buf, len, d, v, (uint64_t)FUTEX_CMD_MASK,
				      futex_flags, COUNT(futex_flags));
	case PERSONA:
		/* Whole values first: 0xffffffff (query) is no persona. */
		s = lookup(d->tab, d->n, v);
		if (s) {
			put(buf, len, s);
			return 0;
		}
		return put_enum_flags(buf, len, d, v, PER_MASK, persona_flags,
				      COUNT(persona_flags));
	}
	return -ENOENT;
}

int sk_arg_decode(const char *syscall, unsigned index, uint64_t value,
		  char *buf, unsigned len)
{
	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	for (size_t i = 0; i < COUNT(decoders); i++) {
		const struct decoder *d = &decoders[i];

		if (strcmp(d->syscall, syscall) || d->index != index)
			continue;
		if (!decode(d, value, buf, len))
			return 0;
		break;
	}
	snprintf(buf, len, "%#llx", (unsigned long long)value);
	return -ENOENT;
}
