/* SPDX-License-Identifier: MIT */
/*
 * The argument knowledge table (argknow.h, DESIGN.md).  Pointers, lengths,
 * fds and addresses are never listed: only flags, commands and enums whose
 * values a BPF filter can compare usefully; and per arch, the calls whose
 * listed positions hold no such value there (the old mmap, the calls
 * libseccomp multiplexes through socketcall and ipc).
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/ipc.h>
#include <linux/net.h>

#include "argknow.h"

#define ALL ~0ULL
/* Low bits of socket types that vary from call to call and say nothing. */
#define SOCK_TYPE_MASK (0xffffffffULL & ~(unsigned long long)(SOCK_NONBLOCK | SOCK_CLOEXEC))
/* What open flags say about writing: access mode, create, truncate, append. */
#define OPEN_MASK (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND)

#define ENUM32(i) { .index = (i), .kind = SK_ARG_ENUM, .mask = 0xffffffffULL, .is32 = 1 }
#define ENUM64(i) { .index = (i), .kind = SK_ARG_ENUM, .mask = ALL, .is32 = 0 }
#define FLAGS32(i, m) { .index = (i), .kind = SK_ARG_FLAGS, .mask = (m), .is32 = 1 }
#define FLAGS64(i, m) { .index = (i), .kind = SK_ARG_FLAGS, .mask = (m), .is32 = 0 }

/* Sorted by name (a unit test checks it); every name is known to libseccomp. */
static const struct sk_argspec table[] = {
	{ .name = "arch_prctl", .n = 1, .pos = { ENUM32(0) }, .why = "code" },
	{ .name = "bpf", .n = 1, .pos = { ENUM32(0) }, .why = "cmd" },
	/* clone's flags come first on x86 and arm; s390 swaps the first two. */
	{ .name = "clone", .n = 1, .pos = { FLAGS64(0, ALL) }, .why = "flags" },
	{ .name = "fcntl", .n = 1, .pos = { ENUM32(1) }, .why = "cmd" },
	{ .name = "fcntl64", .n = 1, .pos = { ENUM32(1) }, .why = "cmd" },
	{ .name = "futex", .n = 1, .pos = { ENUM32(1) }, .why = "op" },
	{ .name = "getsockopt", .n = 2, .pos = { ENUM32(1), ENUM32(2) }, .why = "level, optname" },
	{ .name = "ioctl", .n = 1, .pos = { ENUM32(1) }, .why = "request" },
	{ .name = "keyctl", .n = 1, .pos = { ENUM32(0) }, .why = "operation" },
	{ .name = "kill", .n = 1, .pos = { ENUM32(1) }, .why = "signal" },
	{ .name = "madvise", .n = 1, .pos = { ENUM32(2) }, .why = "advice" },
	{ .name = "mmap", .n = 1, .pos = { FLAGS32(2, 0x7) }, .why = "prot (W^X)" },
	{ .name = "mmap2", .n = 1, .pos = { FLAGS32(2, 0x7) }, .why = "prot (W^X)" },
	{ .name = "mprotect", .n = 1, .pos = { FLAGS32(2, 0x7) }, .why = "prot (W^X)" },
	{ .name = "open", .n = 1, .pos = { FLAGS32(1, OPEN_MASK) }, .why = "access mode and O_CREAT/O_TRUNC/O_APPEND" },
	{ .name = "openat", .n = 1, .pos = { FLAGS32(2, OPEN_MASK) }, .why = "access mode and O_CREAT/O_TRUNC/O_APPEND" },
	{ .name = "personality", .n = 1, .pos = { ENUM32(0) }, .why = "persona" },
	{ .name = "pkey_mprotect", .n = 1, .pos = { FLAGS32(2, 0x7) }, .why = "prot (W^X)" },
	{ .name = "prctl", .n = 1, .pos = { ENUM32(0) }, .why = "option" },
	{ .name = "ptrace", .n = 1, .pos = { ENUM32(0) }, .why = "request" },
	/* The signal a handler is set for: recorded so that the generator
	 * allows its re-raise (sk_argknow_unfiltered: never compared). */
	{ .name = "rt_sigaction", .n = 1, .pos = { ENUM32(0) }, .why = "signal" },
	{ .name = "rt_sigqueueinfo", .n = 1, .pos = { ENUM32(1) }, .why = "signal" },
	{ .name = "seccomp", .n = 1, .pos = { ENUM32(0) }, .why = "operation" },
	{ .name = "setns", .n = 1, .pos = { FLAGS32(1, 0xffffffffULL) }, .why = "namespace type" },
	{ .name = "setsockopt", .n = 2, .pos = { ENUM32(1), ENUM32(2) }, .why = "level, optname" },
	{ .name = "sigaction", .n = 1, .pos = { ENUM32(0) }, .why = "signal" },
	{ .name = "signal", .n = 1, .pos = { ENUM32(0) }, .why = "signal" },
	{ .name = "socket", .n = 3, .pos = { ENUM32(0), { .index = 1, .kind = SK_ARG_ENUM, .mask = SOCK_TYPE_MASK, .is32 = 1 }, ENUM32(2) }, .why = "domain, type, protocol" },
	{ .name = "socketcall", .n = 1, .pos = { ENUM32(0) }, .why = "call" },
	{ .name = "socketpair", .n = 2, .pos = { ENUM32(0), { .index = 1, .kind = SK_ARG_ENUM, .mask = SOCK_TYPE_MASK, .is32 = 1 } }, .why = "domain, type" },
	{ .name = "tgkill", .n = 1, .pos = { ENUM32(2) }, .why = "signal" },
	{ .name = "tkill", .n = 1, .pos = { ENUM32(1) }, .why = "signal" },
	{ .name = "unshare", .n = 1, .pos = { FLAGS32(0, 0xffffffffULL) }, .why = "namespace flags" },
};

#define N_TABLE (sizeof(table) / sizeof(table[0]))

const struct sk_argspec *sk_argspec_row(const char *name)
{
	size_t lo = 0, hi = N_TABLE;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, table[mid].name);

		if (!c)
			return &table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct sk_argspec *sk_argspec_table(unsigned *n)
{
	*n = N_TABLE;
	return table;
}

/*
 * The arches where libseccomp (2.5, abi_rule_add) multiplexes socket and
 * ipc names: a rule on "socket" there becomes two, one on the direct call
 * where the kernel has it and one on socketcall with arg 0 == SYS_SOCKET
 * in place of the rule's own arg 0 and its other comparisons made on
 * socketcall's arguments (a pointer to socket's, then registers socketcall
 * never reads).  Sorted by name; the unit test checks the list against
 * libseccomp's pseudo numbers for every arch it knows.
 */
static const uint32_t mux_arches[] = {
	SCMP_ARCH_MIPS, SCMP_ARCH_MIPSEL, SCMP_ARCH_PPC, SCMP_ARCH_PPC64,
	SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X, SCMP_ARCH_X86,
};

#define SOCK(n, c) { .name = (n), .mux = "socketcall", .call = (c), .callname = #c }
#define IPC(n, c) { .name = (n), .mux = "ipc", .call = (c), .callname = #c }

/* The calls of socketcall(2) (linux/net.h) and ipc(2) (linux/ipc.h), as
 * libseccomp names them; sorted by name. */
static const struct sk_argmux mux_names[] = {
	SOCK("accept", SYS_ACCEPT),
	SOCK("accept4", SYS_ACCEPT4),
	SOCK("bind", SYS_BIND),
	SOCK("connect", SYS_CONNECT),
	SOCK("getpeername", SYS_GETPEERNAME),
	SOCK("getsockname", SYS_GETSOCKNAME),
	SOCK("getsockopt", SYS_GETSOCKOPT),
	SOCK("listen", SYS_LISTEN),
	IPC("msgctl", MSGCTL),
	IPC("msgget", MSGGET),
	IPC("msgrcv", MSGRCV),
	IPC("msgsnd", MSGSND),
	SOCK("recv", SYS_RECV),
	SOCK("recvfrom", SYS_RECVFROM),
	SOCK("recvmmsg", SYS_RECVMMSG),
	SOCK("recvmsg", SYS_RECVMSG),
	IPC("semctl", SEMCTL),
	IPC("semget", SEMGET),
	IPC("semop", SEMOP),
	IPC("semtimedop", SEMTIMEDOP),
	SOCK("send", SYS_SEND),
	SOCK("sendmmsg", SYS_SENDMMSG),
	SOCK("sendmsg", SYS_SENDMSG),
	SOCK("sendto", SYS_SENDTO),
	SOCK("setsockopt", SYS_SETSOCKOPT),
	IPC("shmat", SHMAT),
	IPC("shmctl", SHMCTL),
	IPC("shmdt", SHMDT),
	IPC("shmget", SHMGET),
	SOCK("shutdown", SYS_SHUTDOWN),
	SOCK("socket", SYS_SOCKET),
	SOCK("socketpair", SYS_SOCKETPAIR),
};

#define OLD_MMAP "the old mmap: its one argument points to a struct holding all six"

/* Calls whose listed positions hold no value on one arch; sorted by name,
 * then arch token. */
static const struct sk_argptr ptr_args[] = {
	/* CLONE_BACKWARDS2: the new stack comes first, the flags second. */
	{ .name = "clone", .arch = SCMP_ARCH_S390, .why = "arg 0 is the new stack and the flags are arg 1" },
	{ .name = "clone", .arch = SCMP_ARCH_S390X, .why = "arg 0 is the new stack and the flags are arg 1" },
	{ .name = "mmap", .arch = SCMP_ARCH_S390, .why = OLD_MMAP },
	{ .name = "mmap", .arch = SCMP_ARCH_X86, .why = OLD_MMAP " (nr 90; glibc uses mmap2)" },
	{ .name = "mmap", .arch = SCMP_ARCH_S390X, .why = OLD_MMAP },
	{ .name = "mmap2", .arch = SCMP_ARCH_S390, .why = "its one argument points to a struct holding all six" },
};

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

static const struct sk_argmux *mux_find(const char *name)
{
	size_t lo = 0, hi = COUNT(mux_names);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, mux_names[mid].name);

		if (!c)
			return &mux_names[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int is_mux_arch(uint32_t arch)
{
	for (size_t i = 0; i < COUNT(mux_arches); i++)
		if (mux_arches[i] == arch)
			return 1;
	return 0;
}

int sk_argnot_find(uint32_t arch, const char *name, struct sk_argnot *out)
{
	const struct sk_argmux *m = is_mux_arch(arch) ? mux_find(name) : NULL;

	if (m) {
		*out = (struct sk_argnot){
			.kind = SK_ARGNOT_MUX, .mux = m->mux, .call = m->call,
			.callname = m->callname,
			.why = "libseccomp puts a rule on it on its multiplexer too, where the other arguments are a pointer to the real ones and registers never read",
		};
		return 0;
	}
	for (size_t i = 0; i < COUNT(ptr_args); i++) {
		if (ptr_args[i].arch != arch || strcmp(ptr_args[i].name, name))
			continue;
		*out = (struct sk_argnot){ .kind = SK_ARGNOT_POINTER,
					   .why = ptr_args[i].why };
		return 0;
	}
	return -ENOENT;
}

const struct sk_argspec *sk_argspec_find(uint32_t arch, const char *name)
{
	struct sk_argnot why;
	const struct sk_argspec *s = sk_argspec_row(name);

	if (!s || !sk_argnot_find(arch, name, &why))
		return NULL;
	return s;
}

const uint32_t *sk_argnot_mux_arches(unsigned *n)
{
	*n = COUNT(mux_arches);
	return mux_arches;
}

const struct sk_argmux *sk_argnot_mux_table(unsigned *n)
{
	*n = COUNT(mux_names);
	return mux_names;
}

const struct sk_argptr *sk_argnot_ptr_table(unsigned *n)
{
	*n = COUNT(ptr_args);
	return ptr_args;
}

/*
 * Names whose recorded values make no rule, sorted: a rule on them would
 * break on inputs the traces never saw.
 */
static const struct sk_callnote unfiltered[] = {
	{ "futex", "the ops a program makes depend on lock contention, so one run rarely sees them all" },
	{ "rt_sigaction", "recorded to know which signals the program handles (their re-raise is allowed); which handlers it sets can depend on its input" },
	{ "sigaction", "recorded to know which signals the program handles (their re-raise is allowed); which handlers it sets can depend on its input" },
	{ "signal", "recorded to know which signals the program handles (their re-raise is allowed); which handlers it sets can depend on its input" },
};

/* Calls worth a second look in --explain, sorted. */
static const struct sk_callnote risky[] = {
	{ "bpf", "loads BPF programs and maps" },
	{ "delete_module", "unloads kernel modules" },
	{ "finit_module", "loads kernel modules" },
	{ "fsconfig", "mount API" },
	{ "fsmount", "mount API" },
	{ "fsopen", "mount API" },
	{ "init_module", "loads kernel modules" },
	{ "io_uring_enter", "ring operations bypass seccomp" },
	{ "io_uring_register", "ring operations bypass seccomp" },
	{ "io_uring_setup", "ring operations bypass seccomp" },
	{ "kexec_file_load", "replaces the kernel" },
	{ "kexec_load", "replaces the kernel" },
	{ "keyctl", "kernel keyrings (not namespaced)" },
	{ "mount", "changes the mount table" },
	{ "mount_setattr", "mount API" },
	{ "move_mount", "mount API" },
	{ "open_tree", "mount API" },
	{ "perf_event_open", "kernel profiling, a frequent attack surface" },
	{ "personality", "can disable ASLR (ADDR_NO_RANDOMIZE) or enable READ_IMPLIES_EXEC" },
	{ "pivot_root", "changes the root mount" },
	{ "process_vm_readv", "reads another process's memory" },
	{ "process_vm_writev", "writes another process's memory" },
	{ "ptrace", "controls other processes" },
	{ "setns", "joins namespaces" },
	{ "umount", "changes the mount table" },
	{ "umount2", "changes the mount table" },
	{ "unshare", "creates namespaces" },
	{ "userfaultfd", "page-fault handling in user space, used to widen kernel race windows" },
};

/* The calls whose listed position is a mapping's protection, with the
 * bits W^X keeps apart; sorted by name. */
static const struct sk_wxpos wx_calls[] = {
	{ .name = "mmap", .index = 2, .write = PROT_WRITE, .exec = PROT_EXEC },
	{ .name = "mmap2", .index = 2, .write = PROT_WRITE, .exec = PROT_EXEC },
	{ .name = "mprotect", .index = 2, .write = PROT_WRITE, .exec = PROT_EXEC },
	{ .name = "pkey_mprotect", .index = 2, .write = PROT_WRITE, .exec = PROT_EXEC },
};

/* The multiplexers (mux_names' .mux), sorted: arg 0 picks the operation
 * and its own arguments are behind a pointer. */
static const struct sk_callnote multiplexers[] = {
	{ "ipc", "arg 0 picks the System V IPC operation (linux/ipc.h); its arguments are behind a pointer" },
	{ "socketcall", "arg 0 picks the socket operation (linux/net.h); its arguments are behind a pointer" },
};

/* The io_uring calls, sorted: their operations bypass seccomp. */
static const char *const io_uring_calls[] = {
	"io_uring_enter", "io_uring_register", "io_uring_setup",
};

/* Calls that set a signal's handler (arg 0 is the signal), sorted. */
static const char *const sighandler_calls[] = {
	"rt_sigaction", "sigaction", "signal",
};

/* Calls that send a signal, and the position of the signal; sorted by
 * name.  A program re-raises a handled signal with raise() (tgkill) or
 * kill(getpid(), sig) (kill, as dash does): those two get the re-raise
 * whether or not the trace saw them; sigqueue() (rt_sigqueueinfo) and
 * tkill only when the trace shows the program using them. */
static const struct sk_sigsend sigsend_calls[] = {
	{ "kill", 1, true }, { "rt_sigqueueinfo", 1, false },
	{ "tgkill", 2, true }, { "tkill", 1, false },
};

/*
 * The signals a handler re-raises to end (or stop) the process after its
 * cleanup, as sort, dash and less do: those whose default action ends or
 * stops it.  Never SIGKILL and SIGSTOP (no handler), the signals whose
 * default is to ignore or continue (SIGCHLD, SIGCONT, SIGURG, SIGWINCH:
 * re-raising them does nothing), glibc's internal signals 32 (SIGCANCEL)
 * and 33 (SIGSETXID), which it sends by tgkill to its own threads, nor
 * the real-time ones (a program's own protocol: a trace shows them sent).
 * Sorted by number.
 */
static const struct sk_signote reraise_signals[] = {
	{ 1, "SIGHUP" }, { 2, "SIGINT" }, { 3, "SIGQUIT" }, { 4, "SIGILL" },
	{ 5, "SIGTRAP" }, { 6, "SIGABRT" }, { 7, "SIGBUS" }, { 8, "SIGFPE" },
	{ 10, "SIGUSR1" }, { 11, "SIGSEGV" }, { 12, "SIGUSR2" }, { 13, "SIGPIPE" },
	{ 14, "SIGALRM" }, { 15, "SIGTERM" }, { 16, "SIGSTKFLT" }, { 20, "SIGTSTP" },
	{ 21, "SIGTTIN" }, { 22, "SIGTTOU" }, { 24, "SIGXCPU" }, { 25, "SIGXFSZ" },
	{ 26, "SIGVTALRM" }, { 27, "SIGPROF" }, { 29, "SIGIO" }, { 30, "SIGPWR" },
	{ 31, "SIGSYS" },
};

static const char *note_find(const struct sk_callnote *tab, size_t n,
			     const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, tab[mid].name);

		if (!c)
			return tab[mid].why;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *sk_argknow_unfiltered(const char *name)
{
	return note_find(unfiltered, COUNT(unfiltered), name);
}

const char *sk_argknow_risky(const char *name)
{
	return note_find(risky, COUNT(risky), name);
}

const struct sk_callnote *sk_argknow_unfiltered_table(unsigned *n)
{
	*n = COUNT(unfiltered);
	return unfiltered;
}

const struct sk_callnote *sk_argknow_risky_table(unsigned *n)
{
	*n = COUNT(risky);
	return risky;
}

const char *const *sk_argknow_io_uring(unsigned *n)
{
	*n = COUNT(io_uring_calls);
	return io_uring_calls;
}

const char *const *sk_argknow_sighandler(unsigned *n)
{
	*n = COUNT(sighandler_calls);
	return sighandler_calls;
}

const struct sk_sigsend *sk_argknow_sigsend(unsigned *n)
{
	*n = COUNT(sigsend_calls);
	return sigsend_calls;
}

const struct sk_wxpos *sk_argknow_wx(const char *name)
{
	for (size_t i = 0; i < COUNT(wx_calls); i++)
		if (!strcmp(wx_calls[i].name, name))
			return &wx_calls[i];
	return NULL;
}

const struct sk_wxpos *sk_argknow_wx_table(unsigned *n)
{
	*n = COUNT(wx_calls);
	return wx_calls;
}

const char *sk_argknow_multiplexer(const char *name)
{
	return note_find(multiplexers, COUNT(multiplexers), name);
}

const struct sk_callnote *sk_argknow_multiplexer_table(unsigned *n)
{
	*n = COUNT(multiplexers);
	return multiplexers;
}

bool sk_argknow_is_io_uring(const char *name)
{
	for (size_t i = 0; i < COUNT(io_uring_calls); i++)
		if (!strcmp(io_uring_calls[i], name))
			return true;
	return false;
}

bool sk_argknow_reraise(unsigned sig)
{
	for (size_t i = 0; i < COUNT(reraise_signals); i++)
		if (reraise_signals[i].sig == sig)
			return true;
	return false;
}

const struct sk_signote *sk_argknow_reraise_table(unsigned *n)
{
	*n = COUNT(reraise_signals);
	return reraise_signals;
}

/* ---- families ---- */

static const char *const fam_accept[] = {
	"accept", "accept4",
};

static const char *const fam_access[] = {
	"access", "faccessat", "faccessat2",
};

static const char *const fam_chdir[] = {
	"chdir", "fchdir",
};

static const char *const fam_chmod[] = {
	"chmod", "fchmod", "fchmodat",
};

static const char *const fam_chown[] = {
	"chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32",
};

static const char *const fam_dup[] = {
	"dup", "dup2", "dup3",
};

static const char *const fam_epoll_create[] = {
	"epoll_create", "epoll_create1",
};

static const char *const fam_eventfd[] = {
	"eventfd", "eventfd2",
};

static const char *const fam_fcntl[] = {
	"fcntl", "fcntl64",
};

static const char *const fam_getdents[] = {
	"getdents", "getdents64",
};

static const char *const fam_getxattr[] = {
	"fgetxattr", "getxattr", "lgetxattr",
};

static const char *const fam_inotify_init[] = {
	"inotify_init", "inotify_init1",
};

static const char *const fam_link[] = {
	"link", "linkat",
};

static const char *const fam_listxattr[] = {
	"flistxattr", "listxattr", "llistxattr",
};

static const char *const fam_mkdir[] = {
	"mkdir", "mkdirat",
};

static const char *const fam_mmap[] = {
	"mmap", "mmap2",
};

static const char *const fam_open[] = {
	"open", "openat",
};

static const char *const fam_pipe[] = {
	"pipe", "pipe2",
};

static const char *const fam_poll[] = {
	"epoll_pwait", "epoll_pwait2", "epoll_wait", "poll", "ppoll", "pselect6", "select",
};

static const char *const fam_read[] = {
	"pread64", "preadv", "preadv2", "read", "readv",
};

static const char *const fam_recv[] = {
	"recvfrom", "recvmmsg", "recvmsg",
};

static const char *const fam_rename[] = {
	"rename", "renameat", "renameat2",
};

static const char *const fam_seek[] = {
	"_llseek", "lseek",
};

static const char *const fam_send[] = {
	"sendmmsg", "sendmsg", "sendto",
};

static const char *const fam_signalfd[] = {
	"signalfd", "signalfd4",
};

static const char *const fam_sleep[] = {
	"clock_nanosleep", "nanosleep",
};

static const char *const fam_stat[] = {
	"fstat", "fstat64", "fstatat64", "lstat", "lstat64", "newfstatat", "readlink", "readlinkat", "stat", "stat64", "statx",
};

static const char *const fam_statfs[] = {
	"fstatfs", "fstatfs64", "statfs", "statfs64",
};

static const char *const fam_symlink[] = {
	"symlink", "symlinkat",
};

static const char *const fam_sync[] = {
	"fdatasync", "fsync",
};

static const char *const fam_unlink[] = {
	"unlink", "unlinkat",
};

static const char *const fam_utimes[] = {
	"futimesat", "utime", "utimensat", "utimes",
};

static const char *const fam_wait[] = {
	"wait4", "waitid",
};

static const char *const fam_write[] = {
	"pwrite64", "pwritev", "pwritev2", "write", "writev",
};

#define FAMILY(f, w) { .name = #f, .members = fam_##f, .n = COUNT(fam_##f), .why = (w) }

/*
 * Families (DESIGN.md, "Families"): calls that do the same thing for a
 * program, so that which of them it makes depends on its build, its libc's
 * version or its input, not on what it may do.  The generator adds the
 * members the executables can reach of a traced call's family (gen_family.c).
 * Every family keeps to one capability: none adds a way to write where a
 * member only reads, and none has a member whose arguments a filter cannot
 * read in place of one it can (openat2, clone3).  Sorted by name; each
 * family's members sorted; a call is in one family at most.
 */
static const struct sk_family families[] = {
	FAMILY(accept, "take a connection on a listening socket, with or without flags on the new fd"),
	FAMILY(access, "ask whether a file may be read, written or run, by path or relative to a directory fd"),
	FAMILY(chdir, "change the working directory, by path or by fd"),
	FAMILY(chmod, "change a file's mode, by path, by fd or relative to a directory fd"),
	FAMILY(chown, "change a file's owner, by path, by fd, relative to a directory fd or not following a link"),
	FAMILY(dup, "duplicate a file descriptor, onto any number or a chosen one"),
	FAMILY(epoll_create, "make an epoll instance, with or without flags"),
	FAMILY(eventfd, "make an eventfd, with or without flags"),
	FAMILY(fcntl, "the same commands on an fd; fcntl64 is the 32-bit ABIs' name, with the command at the same position"),
	FAMILY(getdents, "read a directory's entries, in the old or the 64-bit layout"),
	FAMILY(getxattr, "read an extended attribute, by path, by fd or not following a link"),
	FAMILY(inotify_init, "make an inotify instance, with or without flags"),
	FAMILY(link, "make a hard link, by path or relative to directory fds"),
	FAMILY(listxattr, "list extended attributes, by path, by fd or not following a link"),
	FAMILY(mkdir, "make a directory, by path or relative to a directory fd"),
	FAMILY(mmap, "map memory; mmap2 is the 32-bit ABIs' mmap with the offset in pages, the protection at the same position"),
	FAMILY(open, "open a file, by path or relative to a directory fd, with the same flags (openat2, whose flags are in a struct, is never added)"),
	FAMILY(pipe, "make a pipe, with or without flags"),
	FAMILY(poll, "wait for fds to be ready: which of them a program's event loop uses depends on its build and input"),
	FAMILY(read, "read from an fd the program has: into one buffer or several, at the current offset or a given one"),
	FAMILY(recv, "receive on a socket the program has, from one message to several, with or without the sender's address"),
	FAMILY(rename, "rename a file, by path or relative to directory fds"),
	FAMILY(seek, "move an fd's offset; _llseek is the 32-bit ABIs' 64-bit lseek"),
	FAMILY(send, "send on a socket the program has, one message or several, with or without an address"),
	FAMILY(signalfd, "make a signalfd, with or without flags"),
	FAMILY(sleep, "sleep for a time, on the realtime clock or a chosen one"),
	FAMILY(stat, "read a file's metadata, by path, by fd, relative to a directory fd or not following a link, a symbolic link's target included: glibc picks among them by function and version, and a tree with links makes a program read them"),
	FAMILY(statfs, "read a file system's metadata, by path or by fd"),
	FAMILY(symlink, "make a symbolic link, by path or relative to a directory fd"),
	FAMILY(sync, "flush an fd's data to disk, with or without its metadata"),
	FAMILY(unlink, "remove a file, by path or relative to a directory fd"),
	FAMILY(utimes, "set a file's times, by path or relative to a directory fd, in seconds, microseconds or nanoseconds"),
	FAMILY(wait, "wait for a child the program made to change state"),
	FAMILY(write, "write to an fd the program has: from one buffer or several, at the current offset or a given one"),
};

const struct sk_family *sk_argknow_family(const char *call)
{
	for (size_t i = 0; i < COUNT(families); i++)
		for (unsigned k = 0; k < families[i].n; k++)
			if (!strcmp(families[i].members[k], call))
				return &families[i];
	return NULL;
}

const struct sk_family *sk_argknow_family_table(unsigned *n)
{
	*n = COUNT(families);
	return families;
}
