// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input to the network namespace core, each case asserting the exact
 * errno (and, for rtnetlink, the exact extack message) of Linux 6.12:
 *
 *  - unshare()/clone()/clone3() flag combinations the kernel rejects, and
 *    failures after the new netns was already built (its creation must be
 *    undone and uncharged: checked with the max_net_namespaces ucount);
 *  - setns() with flag combinations, O_PATH descriptors, exited processes,
 *    refused parts of a multi-namespace pidfd setns(), and callers that
 *    own the target's user namespace but lack CAP_SYS_ADMIN in their own;
 *  - RTM_NEWNSID/RTM_GETNSID: attribute precedence, extreme ids, attribute
 *    length and header validation (legacy and strict sockets), duplicate,
 *    unknown and ignored attributes, peer references of the wrong kind,
 *    and the credentials that rtnetlink checks (socket opener and sender).
 *
 * Cases already covered by netns_setns.c and netns_nsid.c are not repeated.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/compiler.h>
#include <linux/futex.h>

#include "kselftest_harness.h"
#include "netns_util.h"
#include "netns_nsid_fixture.h"

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD	0x00001000
#endif
#ifndef CLONE_DETACHED
#define CLONE_DETACHED	0x00400000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif

#define NOBODY_UID	1000		/* any uid != 0 */
#define MAX_TIME_NS	"/proc/sys/user/max_time_namespaces"

/* struct clone_args, CLONE_ARGS_SIZE_VER0 (64 bytes) */
struct nsc_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
};

static ino_t task_netns_ino(pid_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/ns/net", tid);
	return nsc_path_ino(path);
}

/*
 * clone3() with the given flags and pidfd pointer; a child (if any) exits
 * at once and is reaped.  Returns 0 or errno.
 */
static int clone3_errno(uint64_t flags, void *pidfd)
{
	struct nsc_clone_args args = {
		.flags = flags,
		.pidfd = (uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid;

	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return 0;
}

static char clone_stack[64 * 1024] __aligned(16);

static int clone_child_exit(void *arg)
{
	(void)arg;
	return 0;
}

/* glibc clone() with flags; a child (if any) exits and is reaped. */
static int clone_errno(unsigned long flags, int *ptid)
{
	pid_t pid;

	pid = clone(clone_child_exit, clone_stack + sizeof(clone_stack), flags,
		    NULL, ptid, NULL, NULL);
	if (pid < 0)
		return errno;
	if (!(flags & CLONE_THREAD))
		waitpid(pid, NULL, __WALL);
	return 0;
}

/* ------------------------------------------------------------------ */
/* unshare / clone                                                     */
/* ------------------------------------------------------------------ */

/*
 * unshare() of CLONE_NEWNET with a flag it does not know (CLONE_PARENT,
 * CLONE_PIDFD, a CSIGNAL bit...): EINVAL, the netns is unchanged.
 */
TEST(unshare_unknown_flags_einval)
{
	static const struct {
		int flags;
		const char *name;
	} bad[] = {
		{ CLONE_PARENT, "CLONE_PARENT" },
		{ CLONE_PTRACE, "CLONE_PTRACE" },
		{ CLONE_VFORK, "CLONE_VFORK" },
		{ CLONE_SETTLS, "CLONE_SETTLS" },
		{ CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID" },
		{ CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID" },
		{ CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID" },
		{ CLONE_UNTRACED, "CLONE_UNTRACED" },
		{ CLONE_PIDFD, "CLONE_PIDFD" },
		{ CLONE_DETACHED, "CLONE_DETACHED" },
		{ SIGCHLD, "SIGCHLD (CSIGNAL)" },
	};
	uint64_t c0, c;
	unsigned int i;
	ino_t i0;

	i0 = nsc_netns_ino();
	ASSERT_EQ(0, nsc_netns_cookie(&c0));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, unshare(CLONE_NEWNET | bad[i].flags)) {
			TH_LOG("unshare(CLONE_NEWNET|%s) succeeded",
			       bad[i].name);
		}
		EXPECT_EQ(EINVAL, errno) {
			TH_LOG("unshare(CLONE_NEWNET|%s): %s", bad[i].name,
			       nsc_errno_name(errno));
		}
		ASSERT_EQ(i0, nsc_netns_ino());
	}
	ASSERT_EQ(0, nsc_netns_cookie(&c));
	EXPECT_EQ(c0, c);
}

struct idle_thread {
	int go[2];	/* the thread blocks reading go[0] */
	int ready[2];
	pid_t tid;
	int setns_fd;	/* if >= 0, the thread enters it first */
	int setns_err;
};

static void *idle_thread_fn(void *arg)
{
	struct idle_thread *t = arg;
	char c;

	t->tid = syscall(SYS_gettid);
	if (t->setns_fd >= 0 && setns(t->setns_fd, CLONE_NEWNET))
		t->setns_err = errno;
	if (write(t->ready[1], "r", 1) != 1)
		return NULL;
	while (read(t->go[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* Start a thread that idles until idle_thread_stop(). */
static int idle_thread_start(struct idle_thread *t, pthread_t *th)
{
	char c;

	if (pipe2(t->go, O_CLOEXEC) || pipe2(t->ready, O_CLOEXEC))
		return -errno;
	if (pthread_create(th, NULL, idle_thread_fn, t))
		return -EAGAIN;
	if (read(t->ready[0], &c, 1) != 1)
		return -EIO;
	return 0;
}

static void idle_thread_stop(struct idle_thread *t, pthread_t th)
{
	close(t->go[1]);
	pthread_join(th, NULL);
	close(t->go[0]);
	close(t->ready[0]);
	close(t->ready[1]);
}

/*
 * In a multi-threaded process unshare() refuses to unshare the thread
 * group, signal handlers or VM (and thus a user namespace) even together
 * with CLONE_NEWNET, and creates nothing; plain CLONE_NEWNET (and setns())
 * switch only the calling thread.
 */
TEST(unshare_newnet_multithreaded)
{
	static const struct {
		int flags;
		const char *name;
	} bad[] = {
		{ CLONE_VM, "CLONE_VM" },
		{ CLONE_SIGHAND, "CLONE_SIGHAND" },
		{ CLONE_THREAD, "CLONE_THREAD" },
		{ CLONE_NEWUSER, "CLONE_NEWUSER" },
	};
	struct idle_thread t = { .setns_fd = -1 };
	pthread_t th;
	pid_t self_tid = syscall(SYS_gettid);
	ino_t i0, inew;
	unsigned int i;
	int orig, newfd;

	i0 = nsc_netns_ino();
	orig = nsc_netns_self();
	ASSERT_GE(orig, 0);
	ASSERT_EQ(0, idle_thread_start(&t, &th));
	ASSERT_EQ(i0, task_netns_ino(t.tid));

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, unshare(CLONE_NEWNET | bad[i].flags)) {
			TH_LOG("unshare(CLONE_NEWNET|%s) succeeded with 2 threads",
			       bad[i].name);
		}
		EXPECT_EQ(EINVAL, errno) {
			TH_LOG("unshare(CLONE_NEWNET|%s): %s", bad[i].name,
			       nsc_errno_name(errno));
		}
		EXPECT_EQ(i0, task_netns_ino(self_tid));
		EXPECT_EQ(i0, task_netns_ino(t.tid));
	}

	/* CLONE_NEWNET alone is per thread. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	inew = task_netns_ino(self_tid);
	EXPECT_NE(i0, inew);
	EXPECT_EQ(i0, task_netns_ino(t.tid));
	newfd = nsc_netns_self();
	ASSERT_GE(newfd, 0);

	/* So is setns(). */
	ASSERT_EQ(0, setns(orig, CLONE_NEWNET));
	EXPECT_EQ(i0, task_netns_ino(self_tid));
	ASSERT_EQ(0, setns(newfd, CLONE_NEWNET));
	EXPECT_EQ(inew, task_netns_ino(self_tid));
	EXPECT_EQ(i0, task_netns_ino(t.tid));

	idle_thread_stop(&t, th);
	close(newfd);
	close(orig);
}

/* Single-threaded, the thread/sighand/VM flags are accepted as no-ops. */
TEST(unshare_newnet_pretend_flags_single_threaded)
{
	ino_t i0 = nsc_netns_ino();

	ASSERT_EQ(0, unshare(CLONE_NEWNET | CLONE_THREAD | CLONE_SIGHAND |
			     CLONE_VM)) {
		TH_LOG("unshare: %s", nsc_errno_name(errno));
	}
	EXPECT_NE(i0, nsc_netns_ino());
}

/*
 * Combinations copy_process()/copy_namespaces() reject: EINVAL, nothing
 * created and nothing charged to max_net_namespaces.
 */
TEST(clone_rejected_flag_combinations)
{
	static const struct {
		unsigned long flags;
		const char *name;
		bool same_ptid;
	} bad[] = {
		{ CLONE_SIGHAND | SIGCHLD, "CLONE_SIGHAND without CLONE_VM",
		  false },
		{ CLONE_THREAD | CLONE_VM, "CLONE_THREAD without CLONE_SIGHAND",
		  false },
		{ CLONE_NEWUSER | CLONE_FS | SIGCHLD, "CLONE_NEWUSER|CLONE_FS",
		  false },
		{ CLONE_NEWNS | CLONE_FS | SIGCHLD, "CLONE_NEWNS|CLONE_FS",
		  false },
		{ CLONE_NEWIPC | CLONE_SYSVSEM | SIGCHLD,
		  "CLONE_NEWIPC|CLONE_SYSVSEM", false },
		{ CLONE_NEWUSER | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM,
		  "CLONE_NEWUSER|CLONE_THREAD", false },
		{ CLONE_PIDFD | CLONE_DETACHED | SIGCHLD,
		  "CLONE_PIDFD|CLONE_DETACHED", false },
		{ CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD,
		  "CLONE_PIDFD|CLONE_PARENT_SETTID, same pointer", true },
	};
	const int limit = 4;
	unsigned int i;
	int home, ptid, got, err;
	uint64_t end;
	ino_t ih;

	home = nsc_userns_limit_enter(limit);
	if (home == -EACCES || home == -EPERM || home == -EROFS)
		SKIP(return, "per-userns %s not writable", NSC_MAX_NETNS_SYSCTL);
	ASSERT_GE(home, 0);
	ih = nsc_netns_ino();

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err = clone_errno(CLONE_NEWNET | bad[i].flags,
				  bad[i].same_ptid ? &ptid : NULL);
		EXPECT_EQ(EINVAL, err) {
			TH_LOG("clone(CLONE_NEWNET|%s): %s", bad[i].name,
			       err ? nsc_errno_name(err) : "success");
		}
		EXPECT_EQ(ih, nsc_netns_ino());
	}

	/* Nothing was charged: exactly limit - 1 (home) can be created. */
	err = nsc_netns_expect_available(limit - 1, NSC_POLL_TIMEOUT_MS, &got);
	EXPECT_EQ(0, err) {
		TH_LOG("%d of %d namespaces available: %s", got, limit - 1,
		       nsc_errno_name(err));
	}

	/*
	 * Positive control (the namespaces just released are uncharged
	 * asynchronously: retry while at the limit).
	 */
	end = nsc_now_ms() + NSC_POLL_TIMEOUT_MS;
	do {
		err = clone_errno(CLONE_NEWNET | SIGCHLD, NULL);
		if (err == ENOSPC)
			nsc_sleep_ms(NSC_POLL_INTERVAL_MS);
	} while (err == ENOSPC && nsc_now_ms() < end);
	EXPECT_EQ(0, err) {
		TH_LOG("clone(CLONE_NEWNET): %s", nsc_errno_name(err));
	}
	err = nsc_netns_expect_available(limit - 1, NSC_POLL_TIMEOUT_MS, &got);
	EXPECT_EQ(0, err) {
		TH_LOG("after clone: %d of %d available: %s", got, limit - 1,
		       nsc_errno_name(err));
	}
	close(home);
}

static ino_t thread_netns;	/* __atomic: written by the thread */

static int record_thread_netns(void *arg)
{
	struct stat st;

	(void)arg;
	if (!stat("/proc/thread-self/ns/net", &st))
		__atomic_store_n(&thread_netns, st.st_ino, __ATOMIC_RELEASE);
	return 0;
}

/*
 * CLONE_NEWNET is allowed for a new thread: the thread gets its own
 * netns, which is freed (and uncharged) when the thread exits.
 */
TEST(clone_thread_with_newnet)
{
	const unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES |
		CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_NEWNET |
		CLONE_CHILD_CLEARTID;
	const int limit = 3;
	pid_t ctid = 1;		/* __atomic: cleared by the kernel */
	struct timespec ts = { .tv_nsec = 100 * 1000 * 1000 };
	uint64_t end;
	int home, got, err;
	pid_t tid, left;
	ino_t ih, ithread;

	home = nsc_userns_limit_enter(limit);
	if (home == -EACCES || home == -EPERM || home == -EROFS)
		SKIP(return, "per-userns %s not writable", NSC_MAX_NETNS_SYSCTL);
	ASSERT_GE(home, 0);
	ih = nsc_netns_ino();

	tid = clone(record_thread_netns, clone_stack + sizeof(clone_stack),
		    flags, NULL, NULL, NULL, &ctid);
	ASSERT_GT(tid, 0) {
		TH_LOG("clone(CLONE_THREAD|CLONE_NEWNET): %s",
		       nsc_errno_name(errno));
	}
	/* CLONE_CHILD_CLEARTID: ctid becomes 0 when the thread is gone. */
	end = nsc_now_ms() + 10000;
	while ((left = __atomic_load_n(&ctid, __ATOMIC_ACQUIRE)) != 0 &&
	       nsc_now_ms() < end)
		syscall(SYS_futex, &ctid, FUTEX_WAIT, left, &ts, NULL, 0);
	left = __atomic_load_n(&ctid, __ATOMIC_ACQUIRE);
	ASSERT_EQ(0, left);

	ithread = __atomic_load_n(&thread_netns, __ATOMIC_ACQUIRE);
	EXPECT_NE(0, ithread);
	EXPECT_NE(ih, ithread);
	EXPECT_EQ(ih, nsc_netns_ino());

	err = nsc_netns_expect_available(limit - 1, NSC_POLL_TIMEOUT_MS, &got);
	EXPECT_EQ(0, err) {
		TH_LOG("thread's netns not released: %d of %d available: %s",
		       got, limit - 1, nsc_errno_name(err));
	}
	close(home);
}

/*
 * Failures after copy_net_ns() succeeded: the new netns must be dropped
 * and uncharged.
 *  - clone3(CLONE_NEWNET|CLONE_PIDFD) with an unwritable pidfd pointer:
 *    EFAULT from copy_process() after the namespaces were created;
 *  - CLONE_NEWNET|CLONE_NEWTIME with max_time_namespaces = 0: ENOSPC from
 *    copy_time_ns(), which create_new_namespaces() calls after
 *    copy_net_ns() (unshare and clone3).
 */
TEST(newnet_undone_after_later_failure)
{
	const int limit = 4;
	bool have_clone3 = true;
	int home, got, err, status;
	void *page;
	ino_t ih, itc;

	home = nsc_userns_limit_enter(limit);
	if (home == -EACCES || home == -EPERM || home == -EROFS)
		SKIP(return, "per-userns %s not writable", NSC_MAX_NETNS_SYSCTL);
	ASSERT_GE(home, 0);
	ih = nsc_netns_ino();

	page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);

	err = clone3_errno(CLONE_NEWNET | CLONE_PIDFD, page);
	if (err == ENOSYS) {
		have_clone3 = false;
		TH_LOG("clone3() not supported, skipping its cases");
	} else {
		EXPECT_EQ(EFAULT, err) {
			TH_LOG("clone3(CLONE_NEWNET|CLONE_PIDFD, bad pidfd): %s",
			       err ? nsc_errno_name(err) : "success");
		}
		/* No child was left behind. */
		EXPECT_EQ(-1, waitpid(-1, &status, WNOHANG));
		EXPECT_EQ(ECHILD, errno);
	}
	EXPECT_EQ(ih, nsc_netns_ino());

	if (nsc_path_ino("/proc/self/ns/time")) {
		itc = nsc_path_ino("/proc/self/ns/time_for_children");
		ASSERT_EQ(0, nsc_write_long(MAX_TIME_NS, 0));
		errno = 0;
		EXPECT_EQ(-1, unshare(CLONE_NEWNET | CLONE_NEWTIME));
		EXPECT_EQ(ENOSPC, errno) {
			TH_LOG("unshare(CLONE_NEWNET|CLONE_NEWTIME) at time limit: %s",
			       nsc_errno_name(errno));
		}
		EXPECT_EQ(ih, nsc_netns_ino());
		EXPECT_EQ(itc, nsc_path_ino("/proc/self/ns/time_for_children"));
		if (have_clone3) {
			err = clone3_errno(CLONE_NEWNET | CLONE_NEWTIME, NULL);
			EXPECT_EQ(ENOSPC, err) {
				TH_LOG("clone3(CLONE_NEWNET|CLONE_NEWTIME) at time limit: %s",
				       err ? nsc_errno_name(err) : "success");
			}
		}
	} else {
		TH_LOG("no time namespaces, skipping the CLONE_NEWTIME cases");
	}

	/* All of them were freed and uncharged. */
	err = nsc_netns_expect_available(limit - 1, NSC_POLL_TIMEOUT_MS, &got);
	EXPECT_EQ(0, err) {
		TH_LOG("%d of %d namespaces available: %s", got, limit - 1,
		       nsc_errno_name(err));
	}
	munmap(page, 4096);
	close(home);
}

/*
 * An unprivileged user (no capabilities, no user namespace) cannot create
 * or enter network namespaces; together with CLONE_NEWUSER it can create
 * one, since the user namespace is created first.
 */
TEST(newnet_unprivileged_user)
{
	int target, err;
	ino_t i0;

	target = nsc_netns_new();
	ASSERT_GE(target, 0);
	i0 = nsc_netns_ino();
	ASSERT_EQ(0, nsc_drop_to_uid(NOBODY_UID, NOBODY_UID));

	errno = 0;
	EXPECT_EQ(-1, unshare(CLONE_NEWNET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(EPERM, clone_errno(CLONE_NEWNET | SIGCHLD, NULL));
	errno = 0;
	EXPECT_EQ(-1, setns(target, CLONE_NEWNET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(i0, nsc_netns_ino());

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
		err = errno;
		EXPECT_EQ(i0, nsc_netns_ino());
		close(target);
		SKIP(return, "unprivileged CLONE_NEWUSER not available: %s",
		     nsc_errno_name(err));
	}
	EXPECT_NE(i0, nsc_netns_ino());
	/* Now privileged in the new user namespace. */
	EXPECT_EQ(0, unshare(CLONE_NEWNET));
	/* But still not over the initial user namespace's netns. */
	errno = 0;
	EXPECT_EQ(-1, setns(target, CLONE_NEWNET));
	EXPECT_EQ(EPERM, errno);
	close(target);
}

/* ------------------------------------------------------------------ */
/* setns                                                               */
/* ------------------------------------------------------------------ */

/*
 * An nsfs fd accepts only 0 or exactly its own type; a pidfd only
 * namespace flags.
 */
TEST(setns_flag_validation)
{
	static const struct {
		int flags;
		const char *name;
	} bad_nsfs[] = {
		{ CLONE_NEWNET | CLONE_NEWUTS, "CLONE_NEWNET|CLONE_NEWUTS" },
		{ CLONE_NEWNET | CLONE_VM, "CLONE_NEWNET|CLONE_VM" },
		{ CLONE_NEWUSER, "CLONE_NEWUSER" },
		{ -1, "-1" },
	}, bad_pidfd[] = {
		{ CLONE_NEWNET | CLONE_VM, "CLONE_NEWNET|CLONE_VM" },
		{ CLONE_NEWNET | CLONE_THREAD, "CLONE_NEWNET|CLONE_THREAD" },
		{ CLONE_NEWNET | SIGCHLD, "CLONE_NEWNET|SIGCHLD" },
		{ -1, "-1" },
	};
	struct nsc_child c;
	unsigned int i;
	int net, pidfd;
	ino_t i0, inet;

	i0 = nsc_netns_ino();
	net = nsc_netns_new();
	ASSERT_GE(net, 0);
	inet = nsc_fd_ino(net);

	for (i = 0; i < ARRAY_SIZE(bad_nsfs); i++) {
		errno = 0;
		EXPECT_EQ(-1, setns(net, bad_nsfs[i].flags));
		EXPECT_EQ(EINVAL, errno) {
			TH_LOG("setns(netns fd, %s): %s", bad_nsfs[i].name,
			       nsc_errno_name(errno));
		}
		EXPECT_EQ(i0, nsc_netns_ino());
	}

	ASSERT_EQ(0, nsc_child_start(&c, 0, NULL, NULL));
	ASSERT_EQ(0, setns(net, CLONE_NEWNET));
	EXPECT_EQ(inet, nsc_netns_ino());
	pidfd = nsc_pidfd_open(c.pid);
	if (pidfd == -ENOSYS) {
		nsc_child_stop(&c);
		close(net);
		SKIP(return, "pidfd_open() not supported");
	}
	ASSERT_GE(pidfd, 0);
	for (i = 0; i < ARRAY_SIZE(bad_pidfd); i++) {
		errno = 0;
		EXPECT_EQ(-1, setns(pidfd, bad_pidfd[i].flags));
		EXPECT_EQ(EINVAL, errno) {
			TH_LOG("setns(pidfd, %s): %s", bad_pidfd[i].name,
			       nsc_errno_name(errno));
		}
		EXPECT_EQ(inet, nsc_netns_ino());
	}
	/* Control: the child is in the original netns. */
	EXPECT_EQ(0, setns(pidfd, CLONE_NEWNET));
	EXPECT_EQ(i0, nsc_netns_ino());

	close(pidfd);
	EXPECT_EQ(0, nsc_child_stop(&c));
	close(net);
}

/* O_PATH descriptors are invisible to setns() and NETNSA_FD: EBADF. */
TEST(o_path_netns_fd_ebadf)
{
	struct nsc_nl nl;
	char path[64];
	int net, opath, id;
	ino_t i0;

	i0 = nsc_netns_ino();
	net = nsc_netns_new();
	ASSERT_GE(net, 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", net);
	opath = open(path, O_PATH | O_CLOEXEC);
	ASSERT_GE(opath, 0);
	EXPECT_EQ(nsc_fd_ino(net), nsc_fd_ino(opath));

	errno = 0;
	EXPECT_EQ(-1, setns(opath, CLONE_NEWNET));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, setns(opath, 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(i0, nsc_netns_ino());

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_nl_open(&nl));
	EXPECT_EQ(-EBADF, nsc_nsid_new(&nl, NETNSA_FD, opath, 1));
	EXPECT_STREQ("Peer netns reference is invalid", nl.extack);
	EXPECT_EQ(-EBADF, nsc_nsid_get(&nl, NETNSA_FD, opath, NSC_NO_NSID,
				       &id, NULL));
	EXPECT_STREQ("Peer netns reference is invalid", nl.extack);
	/* The real fd works. */
	EXPECT_EQ(0, nsc_nsid_new(&nl, NETNSA_FD, net, 1));
	nsc_nl_close(&nl);
	close(opath);
	close(net);
}

struct ns_ident {
	ino_t ino;
};

static int record_ino(void *arg)
{
	((struct ns_ident *)arg)->ino = nsc_netns_ino();
	return 0;
}

/*
 * A process that exited (zombie, not yet reaped) has no namespaces any
 * more: /proc/PID/ns/net gives ENOENT, setns(pidfd) and NETNSA_PID ESRCH.
 * A netns fd opened before stays valid.
 */
TEST(exited_process_netns_references)
{
	struct nsc_child c;
	struct ns_ident *id;
	struct nsc_nl nl;
	siginfo_t si;
	char path[64], link[64];
	int nsfd, pidfd, self, nsid;
	pid_t pid;

	id = nsc_shared_alloc(sizeof(*id));
	ASSERT_NE(NULL, id);
	ASSERT_EQ(0, nsc_child_start(&c, CLONE_NEWNET, record_ino, id));
	pid = c.pid;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(nsfd, 0);
	pidfd = nsc_pidfd_open(pid);
	ASSERT_GE(pidfd, 0) {
		TH_LOG("pidfd_open: %s", nsc_errno_name(pidfd));
	}
	self = nsc_netns_self();
	ASSERT_GE(self, 0);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_nl_open(&nl));

	/* Exited, but not reaped. */
	ASSERT_EQ(0, kill(pid, SIGKILL));
	memset(&si, 0, sizeof(si));
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	ASSERT_EQ(pid, si.si_pid);

	errno = 0;
	EXPECT_EQ(-1, open(path, O_RDONLY | O_CLOEXEC));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(-1, readlink(path, link, sizeof(link)));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(-1, setns(pidfd, CLONE_NEWNET));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-ESRCH, nsc_nsid_new(&nl, NETNSA_PID, pid, 1));
	EXPECT_STREQ("Peer netns reference is invalid", nl.extack);
	EXPECT_EQ(-ESRCH, nsc_nsid_get(&nl, NETNSA_PID, pid, NSC_NO_NSID,
				       &nsid, NULL));
	EXPECT_STREQ("Peer netns reference is invalid", nl.extack);

	/* The fd pins the namespace. */
	EXPECT_EQ(id->ino, nsc_fd_ino(nsfd));
	EXPECT_EQ(0, nsc_nsid_new(&nl, NETNSA_FD, nsfd, 1));
	ASSERT_EQ(0, setns(nsfd, CLONE_NEWNET));
	EXPECT_EQ(id->ino, nsc_netns_ino());
	ASSERT_EQ(0, setns(self, CLONE_NEWNET));

	/* Reaped. */
	EXPECT_EQ(0, nsc_child_stop(&c));
	errno = 0;
	EXPECT_EQ(-1, setns(pidfd, CLONE_NEWNET));
	EXPECT_EQ(ESRCH, errno);

	nsc_nl_close(&nl);
	close(self);
	close(pidfd);
	close(nsfd);
	nsc_shared_free(id, sizeof(*id));
}

/* Child setup: own user namespace (root mapped) and UTS namespace. */
static int userns_with_uts(void *arg)
{
	int err;

	(void)arg;
	err = nsc_userns_enter_root();
	if (err)
		return -err;
	if (unshare(CLONE_NEWUTS) || sethostname("nsc-badinput", 12))
		return errno;
	return 0;
}

/*
 * setns(pidfd, CLONE_NEWUTS|CLONE_NEWNET) where the UTS part is allowed
 * but the netns part is not (netns owned by the initial user namespace,
 * caller only privileged in a child one): EPERM and nothing is switched.
 */
TEST(setns_pidfd_refused_netns_is_atomic)
{
	struct nsc_child c;
	char path[64], host0[128], host[128];
	ino_t uts0, net0, utsc;
	int userfd, pidfd;

	ASSERT_EQ(0, nsc_child_start(&c, 0, userns_with_uts, NULL));
	pidfd = nsc_pidfd_open(c.pid);
	if (pidfd == -ENOSYS) {
		nsc_child_stop(&c);
		SKIP(return, "pidfd_open() not supported");
	}
	ASSERT_GE(pidfd, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/user", c.pid);
	userfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(userfd, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", c.pid);
	utsc = nsc_path_ino(path);
	ASSERT_NE(0, utsc);

	uts0 = nsc_path_ino("/proc/thread-self/ns/uts");
	net0 = nsc_netns_ino();
	ASSERT_NE(uts0, utsc);
	ASSERT_EQ(0, gethostname(host0, sizeof(host0)));

	/* Join the child's user namespace: privileged only there. */
	ASSERT_EQ(0, setns(userfd, CLONE_NEWUSER));

	errno = 0;
	EXPECT_EQ(-1, setns(pidfd, CLONE_NEWUTS | CLONE_NEWNET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(uts0, nsc_path_ino("/proc/thread-self/ns/uts"));
	EXPECT_EQ(net0, nsc_netns_ino());
	ASSERT_EQ(0, gethostname(host, sizeof(host)));
	EXPECT_STREQ(host0, host);

	/* The UTS namespace alone can be joined. */
	EXPECT_EQ(0, setns(pidfd, CLONE_NEWUTS));
	EXPECT_EQ(utsc, nsc_path_ino("/proc/thread-self/ns/uts"));
	EXPECT_EQ(net0, nsc_netns_ino());
	ASSERT_EQ(0, gethostname(host, sizeof(host)));
	EXPECT_STREQ("nsc-badinput", host);

	close(userfd);
	close(pidfd);
	EXPECT_EQ(0, nsc_child_stop(&c));
}

struct owner_setup {
	int sock;	/* socketpair end to send the netns fd on */
};

/* Child setup: as NOBODY_UID, create a user + network namespace. */
static int unprivileged_owner(void *arg)
{
	struct owner_setup *o = arg;
	int fd, err;

	err = nsc_drop_to_uid(NOBODY_UID, NOBODY_UID);
	if (err)
		return -err;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return errno;
	fd = nsc_netns_self();
	if (fd < 0)
		return -fd;
	err = nsc_send_fd(o->sock, fd);
	close(fd);
	return -err;
}

/*
 * netns_install() wants CAP_SYS_ADMIN over the target's user namespace
 * AND in the caller's own: the unprivileged owner of a user namespace has
 * all capabilities over it from the parent namespace, but still cannot
 * setns() into a netns it owns.  Neither can root of a sibling userns.
 */
TEST(setns_needs_cap_sys_admin_in_own_userns)
{
	struct owner_setup o;
	struct nsc_child c;
	int sp[2], net, orig, err;
	ino_t i0;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp));
	o.sock = sp[1];
	err = nsc_child_start(&c, 0, unprivileged_owner, &o);
	if (err == -EPERM || err == -EACCES || err == -ENOSPC ||
	    err == -EINVAL)
		SKIP(return, "unprivileged CLONE_NEWUSER not available: %s",
		     nsc_errno_name(err));
	ASSERT_EQ(0, err);
	net = nsc_recv_fd(sp[0]);
	ASSERT_GE(net, 0);

	/* Control: real root may enter it. */
	i0 = nsc_netns_ino();
	orig = nsc_netns_self();
	ASSERT_GE(orig, 0);
	ASSERT_EQ(0, setns(net, CLONE_NEWNET));
	EXPECT_EQ(nsc_fd_ino(net), nsc_netns_ino());
	ASSERT_EQ(0, setns(orig, CLONE_NEWNET));

	/* The owner uid, in the initial user namespace, without caps. */
	ASSERT_EQ(0, nsc_drop_to_uid(NOBODY_UID, NOBODY_UID));
	errno = 0;
	EXPECT_EQ(-1, setns(net, CLONE_NEWNET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(i0, nsc_netns_ino());

	/* Root of a sibling user namespace. */
	if (!unshare(CLONE_NEWUSER)) {
		errno = 0;
		EXPECT_EQ(-1, setns(net, CLONE_NEWNET));
		EXPECT_EQ(EPERM, errno);
		EXPECT_EQ(i0, nsc_netns_ino());
	}

	close(orig);
	close(net);
	close(sp[0]);
	close(sp[1]);
	EXPECT_EQ(0, nsc_child_stop(&c));
}

/* ------------------------------------------------------------------ */
/* nsid requests                                                       */
/* ------------------------------------------------------------------ */

static void msg_newnsid(struct nsc_msg *m)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };

	nsc_msg_init(m, RTM_NEWNSID, 0, &g, sizeof(g));
}

static void msg_getnsid(struct nsc_msg *m, uint16_t flags)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };

	nsc_msg_init(m, RTM_GETNSID, flags, &g, sizeof(g));
}

struct nsid_reply {
	int n;
	int nsid;
};

static int collect_nsid(const struct nlmsghdr *h, void *arg)
{
	struct nsid_reply *r = arg;
	struct nlattr *tb[NETNSA_MAX + 1];

	if (h->nlmsg_type != RTM_NEWNSID)
		return 0;
	nsc_parse_msg(tb, NETNSA_MAX, h, sizeof(struct rtgenmsg));
	r->n++;
	r->nsid = tb[NETNSA_NSID] ? nsc_attr_s32(tb[NETNSA_NSID]) : NSC_NO_NSID;
	return 0;
}

/* Send a GETNSID request m; *nsid gets NETNSA_NSID of the single answer. */
static int talk_getnsid(struct nsc_nl *nl, struct nsc_msg *m, int *nsid)
{
	struct nsid_reply r = { .nsid = NSC_NO_NSID };
	int err;

	err = nsc_nl_talk(nl, m, collect_nsid, &r);
	if (err)
		return err;
	if (r.n != 1)
		return -EBADMSG;
	*nsid = r.nsid;
	return 0;
}

/*
 * Reference precedence: NETNSA_PID, then NETNSA_FD, then NETNSA_NSID; the
 * first one present is used, even when it is invalid (no fallback).
 */
TEST_F(nsid, reference_attribute_precedence)
{
	struct nsc_child c;
	struct nsc_msg m;
	int id, bad;

	ASSERT_EQ(0, nsc_child_start(&c, 0, nsc_child_enter_netns,
				     &self->peer[0]));

	/* NEWNSID: PID (peer0) + FD (peer1): peer0 gets the id. */
	msg_newnsid(&m);
	nsc_attr_put_s32(&m, NETNSA_NSID, 3);
	nsc_attr_put_u32(&m, NETNSA_PID, c.pid);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[1]);
	EXPECT_EQ(0, nsc_nl_talk(&self->nl, &m, NULL, NULL)) {
		TH_LOG("extack: %s", self->nl.extack);
	}
	EXPECT_EQ(3, nsid_of(&self->nl, self->peer[0]));
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&self->nl, self->peer[1]));

	/* An invalid PID is not overridden by a valid FD. */
	msg_newnsid(&m);
	nsc_attr_put_s32(&m, NETNSA_NSID, 4);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[1]);
	nsc_attr_put_u32(&m, NETNSA_PID, BAD_PID);
	EXPECT_EQ(-ESRCH, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&self->nl, self->peer[1]));

	/* GETNSID: PID beats FD ... */
	msg_getnsid(&m, 0);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[2]);
	nsc_attr_put_u32(&m, NETNSA_PID, c.pid);
	EXPECT_EQ(0, talk_getnsid(&self->nl, &m, &id));
	EXPECT_EQ(3, id);

	/* ... FD beats NSID (an unassigned one) ... */
	msg_getnsid(&m, 0);
	nsc_attr_put_s32(&m, NETNSA_NSID, 77);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	EXPECT_EQ(0, talk_getnsid(&self->nl, &m, &id));
	EXPECT_EQ(3, id);

	/* ... even when the FD is bad and the NSID valid. */
	bad = dup(self->peer[2]);
	ASSERT_GE(bad, 0);
	close(bad);
	msg_getnsid(&m, 0);
	nsc_attr_put_s32(&m, NETNSA_NSID, 3);
	nsc_attr_put_u32(&m, NETNSA_FD, bad);
	EXPECT_EQ(-EBADF, talk_getnsid(&self->nl, &m, &id));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);

	EXPECT_EQ(0, nsc_child_stop(&c));
}

/*
 * INT_MAX is a valid explicit id (the idr end wraps to "no limit");
 * every negative id, INT_MIN included, asks for the lowest free one.
 */
TEST_F(nsid, extreme_ids)
{
	struct nsc_nsid_entry ents[8];
	int id, n;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0],
				  INT_MAX)) {
		TH_LOG("extack: %s", self->nl.extack);
	}
	EXPECT_EQ(INT_MAX, nsid_of(&self->nl, self->peer[0]));
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_NSID, INT_MAX,
				  NSC_NO_NSID, &id, NULL));
	EXPECT_EQ(INT_MAX, id);

	EXPECT_EQ(-EEXIST, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[1],
					INT_MAX));
	EXPECT_STREQ("The specified nsid is already used", self->nl.extack);

	/* Automatic ids start from 0, not after the largest one. */
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[1],
				  INT_MIN));
	EXPECT_EQ(0, nsid_of(&self->nl, self->peer[1]));
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[2], -2));
	EXPECT_EQ(1, nsid_of(&self->nl, self->peer[2]));

	n = nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 8);
	ASSERT_EQ(3, n);
	EXPECT_EQ(0, ents[0].nsid);
	EXPECT_EQ(1, ents[1].nsid);
	EXPECT_EQ(INT_MAX, ents[2].nsid);

	/* INT_MIN in a lookup is just an unknown id. */
	EXPECT_EQ(-ENOENT, nsc_nsid_get(&self->nl, NETNSA_NSID, INT_MIN,
					NSC_NO_NSID, &id, NULL));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);
}

/*
 * Legacy parsing (RTM_NEWNSID always, RTM_GETNSID on non-strict sockets):
 * a fixed-size attribute shorter than its type is rejected with ERANGE,
 * a longer one is accepted (only a kernel log warning).
 */
TEST_F(nsid, attribute_length_validation)
{
	static const struct {
		uint16_t type;
		uint16_t len;
		const char *name;
	} shorts[] = {
		{ NETNSA_NSID, 2, "NETNSA_NSID, 2 bytes" },
		{ NETNSA_NSID, 0, "NETNSA_NSID, 0 bytes" },
		{ NETNSA_FD, 2, "NETNSA_FD, 2 bytes" },
		{ NETNSA_PID, 1, "NETNSA_PID, 1 byte" },
		{ NETNSA_TARGET_NSID, 3, "NETNSA_TARGET_NSID, 3 bytes" },
	};
	struct nsc_nsid_entry ents[4];
	uint32_t big[2];
	struct nsc_msg m;
	unsigned int i;
	int32_t v;
	int id;

	for (i = 0; i < ARRAY_SIZE(shorts); i++) {
		msg_newnsid(&m);
		if (shorts[i].type != NETNSA_NSID)
			nsc_attr_put_s32(&m, NETNSA_NSID, 1);
		if (shorts[i].type != NETNSA_FD)
			nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
		v = shorts[i].type == NETNSA_FD ? self->peer[0] : 1;
		nsc_attr_put(&m, shorts[i].type, &v, shorts[i].len);
		EXPECT_EQ(-ERANGE, nsc_nl_talk(&self->nl, &m, NULL, NULL)) {
			TH_LOG("NEWNSID with %s", shorts[i].name);
		}
		EXPECT_STREQ("Attribute failed policy validation",
			     self->nl.extack) {
			TH_LOG("NEWNSID with %s", shorts[i].name);
		}
	}
	EXPECT_EQ(0, nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 4));

	/* The same for GETNSID on a legacy socket. */
	msg_getnsid(&m, 0);
	v = self->peer[0];
	nsc_attr_put(&m, NETNSA_FD, &v, 2);
	EXPECT_EQ(-ERANGE, talk_getnsid(&self->nl, &m, &id));
	EXPECT_STREQ("Attribute failed policy validation", self->nl.extack);

	/* Oversized: the first 4 bytes are used. */
	msg_newnsid(&m);
	big[0] = 7;
	big[1] = 0xdeadbeef;
	nsc_attr_put(&m, NETNSA_NSID, big, sizeof(big));
	big[0] = self->peer[0];
	nsc_attr_put(&m, NETNSA_FD, big, sizeof(big));
	EXPECT_EQ(0, nsc_nl_talk(&self->nl, &m, NULL, NULL)) {
		TH_LOG("extack: %s", self->nl.extack);
	}
	EXPECT_EQ(7, nsid_of(&self->nl, self->peer[0]));
}

/* Repeated attributes: the last one wins. */
TEST_F(nsid, duplicate_attributes_last_wins)
{
	struct nsc_msg m;

	msg_newnsid(&m);
	nsc_attr_put_s32(&m, NETNSA_NSID, 5);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	nsc_attr_put_s32(&m, NETNSA_NSID, 6);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[1]);
	EXPECT_EQ(0, nsc_nl_talk(&self->nl, &m, NULL, NULL)) {
		TH_LOG("extack: %s", self->nl.extack);
	}
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&self->nl, self->peer[0]));
	EXPECT_EQ(6, nsid_of(&self->nl, self->peer[1]));
}

/*
 * RTM_NEWNSID ignores unknown attribute types, NETNSA_NONE,
 * NETNSA_CURRENT_NSID and NETNSA_TARGET_NSID (even an unknown one): the
 * id is always assigned in the socket's own netns.
 */
TEST_F(nsid, newnsid_ignores_other_attributes)
{
	struct nsc_nl nl1;
	struct nsc_msg m;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[1], 1));

	msg_newnsid(&m);
	nsc_attr_put_u32(&m, 42, 1);
	nsc_attr_put_u32(&m, NETNSA_NONE, 1);
	nsc_attr_put_s32(&m, NETNSA_CURRENT_NSID, 9);
	nsc_attr_put_s32(&m, NETNSA_TARGET_NSID, 1);
	nsc_attr_put_s32(&m, NETNSA_NSID, 5);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	EXPECT_EQ(0, nsc_nl_talk(&self->nl, &m, NULL, NULL)) {
		TH_LOG("extack: %s", self->nl.extack);
	}
	EXPECT_EQ(5, nsid_of(&self->nl, self->peer[0]));
	/* Not in the "target" peer1's table. */
	ASSERT_EQ(0, nsc_nl_open_in(&nl1, self->peer[1]));
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&nl1, self->peer[0]));
	nsc_nl_close(&nl1);

	/* An unknown target nsid does not matter either. */
	msg_newnsid(&m);
	nsc_attr_put_s32(&m, NETNSA_TARGET_NSID, 77);
	nsc_attr_put_s32(&m, NETNSA_NSID, 6);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[2]);
	EXPECT_EQ(0, nsc_nl_talk(&self->nl, &m, NULL, NULL)) {
		TH_LOG("extack: %s", self->nl.extack);
	}
	EXPECT_EQ(6, nsid_of(&self->nl, self->peer[2]));
}

/* An attribute header with nla_len < NLA_HDRLEN. */
static void put_malformed_attr(struct nsc_msg *m)
{
	struct nlattr bad = { .nla_len = 2, .nla_type = NETNSA_NSID };

	nsc_msg_put_raw(m, &bad, sizeof(bad));
}

/*
 * A malformed attribute header ends legacy parsing: what follows is
 * ignored ("nsid is missing"); trailing garbage after valid attributes
 * only earns a warning in the ACK.
 */
TEST_F(nsid, newnsid_malformed_attribute)
{
	struct nsc_msg m;

	msg_newnsid(&m);
	put_malformed_attr(&m);
	nsc_attr_put_s32(&m, NETNSA_NSID, 5);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	EXPECT_EQ(-EINVAL, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("nsid is missing", self->nl.extack);
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&self->nl, self->peer[0]));

	msg_newnsid(&m);
	nsc_attr_put_s32(&m, NETNSA_NSID, 5);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	put_malformed_attr(&m);
	EXPECT_EQ(0, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("bytes leftover after parsing attributes",
		     self->nl.extack);
	EXPECT_EQ(5, nsid_of(&self->nl, self->peer[0]));
}

/*
 * Strict RTM_GETNSID (NETLINK_GET_STRICT_CHK): unknown types and
 * NETNSA_NONE, short attributes and trailing garbage are errors, for
 * get and dump requests; legacy sockets accept what strict ones refuse.
 */
TEST_F(nsid, getnsid_strict_validation)
{
	struct nsc_nsid_entry ents[4];
	struct nsc_msg m;
	int id;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 2));

	/* Legacy: ignored or warned about. */
	msg_getnsid(&m, 0);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	nsc_attr_put_u32(&m, 42, 0);
	nsc_attr_put_u32(&m, NETNSA_NONE, 0);
	EXPECT_EQ(0, talk_getnsid(&self->nl, &m, &id));
	EXPECT_EQ(2, id);
	msg_getnsid(&m, 0);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	put_malformed_attr(&m);
	EXPECT_EQ(0, talk_getnsid(&self->nl, &m, &id));
	EXPECT_EQ(2, id);
	EXPECT_STREQ("bytes leftover after parsing attributes",
		     self->nl.extack);
	msg_getnsid(&m, NLM_F_DUMP);
	nsc_attr_put_u32(&m, 42, 0);
	EXPECT_EQ(0, nsc_nl_talk(&self->nl, &m, NULL, NULL));

	ASSERT_EQ(0, nsc_nl_set_strict(&self->nl, true));

	msg_getnsid(&m, 0);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	nsc_attr_put_u32(&m, 42, 0);
	EXPECT_EQ(-EINVAL, talk_getnsid(&self->nl, &m, &id));
	EXPECT_STREQ("Unknown attribute type", self->nl.extack);

	msg_getnsid(&m, 0);
	nsc_attr_put_u32(&m, NETNSA_NONE, 0);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	EXPECT_EQ(-EINVAL, talk_getnsid(&self->nl, &m, &id));
	EXPECT_STREQ("Unknown attribute type", self->nl.extack);

	msg_getnsid(&m, 0);
	id = self->peer[0];
	nsc_attr_put(&m, NETNSA_FD, &id, 2);
	EXPECT_EQ(-ERANGE, talk_getnsid(&self->nl, &m, &id));
	EXPECT_STREQ("Attribute failed policy validation", self->nl.extack);

	msg_getnsid(&m, 0);
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	put_malformed_attr(&m);
	EXPECT_EQ(-EINVAL, talk_getnsid(&self->nl, &m, &id));
	EXPECT_STREQ("bytes leftover after parsing attributes",
		     self->nl.extack);

	/* Strict dumps. */
	msg_getnsid(&m, NLM_F_DUMP);
	nsc_attr_put_u32(&m, 42, 0);
	EXPECT_EQ(-EINVAL, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("Unknown attribute type", self->nl.extack);
	msg_getnsid(&m, NLM_F_DUMP);
	id = 1;
	nsc_attr_put(&m, NETNSA_TARGET_NSID, &id, 2);
	EXPECT_EQ(-ERANGE, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("Attribute failed policy validation", self->nl.extack);

	/* A clean strict request still works. */
	EXPECT_EQ(2, nsid_of(&self->nl, self->peer[0]));
	EXPECT_EQ(1, nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 4));
}

/*
 * Peer references of the wrong kind: a pidfd is not a netns fd (EINVAL),
 * fd -1 is EBADF, pid 0 and pid -1 do not exist (ESRCH).
 */
TEST_F(nsid, peer_reference_wrong_kind)
{
	struct nsc_nsid_entry ents[4];
	struct nsc_child c;
	int pidfd, id;

	ASSERT_EQ(0, nsc_child_start(&c, 0, nsc_child_enter_netns,
				     &self->peer[0]));
	pidfd = nsc_pidfd_open(c.pid);
	if (pidfd >= 0) {
		EXPECT_EQ(-EINVAL, nsc_nsid_new(&self->nl, NETNSA_FD, pidfd,
						1));
		EXPECT_STREQ("Peer netns reference is invalid",
			     self->nl.extack);
		EXPECT_EQ(-EINVAL, nsc_nsid_get(&self->nl, NETNSA_FD, pidfd,
						NSC_NO_NSID, &id, NULL));
		close(pidfd);
	} else {
		TH_LOG("pidfd_open() unavailable (%s), skipping pidfd case",
		       nsc_errno_name(pidfd));
	}

	EXPECT_EQ(-EBADF, nsc_nsid_new(&self->nl, NETNSA_FD, (uint32_t)-1, 1));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);
	EXPECT_EQ(-ESRCH, nsc_nsid_new(&self->nl, NETNSA_PID, 0, 1));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);
	EXPECT_EQ(-ESRCH, nsc_nsid_new(&self->nl, NETNSA_PID, (uint32_t)-1,
				       1));
	EXPECT_EQ(-ESRCH, nsc_nsid_get(&self->nl, NETNSA_PID, 0, NSC_NO_NSID,
				       &id, NULL));
	EXPECT_EQ(0, nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 4));

	/* Control: the child's pid works. */
	EXPECT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_PID, c.pid, 1));
	EXPECT_EQ(1, nsid_of(&self->nl, self->peer[0]));
	EXPECT_EQ(0, nsc_child_stop(&c));
}

/* A netns can hold an nsid for itself, once. */
TEST_F(nsid, nsid_for_own_netns)
{
	struct nsc_nsid_entry ents[4];
	int id;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->self_fd, 8)) {
		TH_LOG("extack: %s", self->nl.extack);
	}
	EXPECT_EQ(8, nsid_of(&self->nl, self->self_fd));
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_NSID, 8, NSC_NO_NSID,
				  &id, NULL));
	EXPECT_EQ(8, id);
	EXPECT_EQ(-EEXIST, nsc_nsid_new(&self->nl, NETNSA_FD, self->self_fd,
					-1));
	EXPECT_STREQ("Peer netns already has a nsid assigned", self->nl.extack);
	ASSERT_EQ(1, nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 4));
	EXPECT_EQ(8, ents[0].nsid);
	/* Peers do not see it. */
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 8 + 1));
	EXPECT_EQ(9, nsid_of(&self->nl, self->peer[0]));
}

/*
 * rtnetlink checks CAP_NET_ADMIN over the socket's netns for both the
 * socket opener and the sender: a socket opened by real root, used after
 * the sender moved into a child user namespace, gets EPERM (without an
 * extack message: the request never reaches rtnl_net_newid()); so does
 * a socket opened there.  Queries still work.
 */
TEST_F(nsid, newnsid_eperm_sender_without_cap)
{
	struct nsc_nl nl2;

	ASSERT_EQ(0, nsc_userns_enter_root());

	EXPECT_EQ(-EPERM, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0],
				       1));
	EXPECT_STREQ("", self->nl.extack);
	ASSERT_EQ(0, nsc_nl_open(&nl2));
	EXPECT_EQ(-EPERM, nsc_nsid_new(&nl2, NETNSA_FD, self->peer[0], 1));
	EXPECT_STREQ("", nl2.extack);
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&nl2, self->peer[0]));
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED,
		  nsid_of(&self->nl, self->peer[0]));
	nsc_nl_close(&nl2);
}

struct opener_setup {
	int sock;
};

/* Child setup: without CAP_NET_ADMIN, open a rtnl socket and pass it on. */
static int unprivileged_opener(void *arg)
{
	struct opener_setup *o = arg;
	struct nsc_nl nl;
	int err;

	err = nsc_drop_cap(CAP_NET_ADMIN);
	if (err)
		return -err;
	err = nsc_nl_open(&nl);
	if (err)
		return -err;
	err = nsc_send_fd(o->sock, nl.fd);
	nsc_nl_close(&nl);
	return -err;
}

/* A privileged sender on a socket opened without CAP_NET_ADMIN: EPERM. */
TEST_F(nsid, newnsid_eperm_socket_opener_without_cap)
{
	struct opener_setup o;
	struct nsc_child c;
	struct nsc_nl nl2;
	int sp[2], fd;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp));
	o.sock = sp[1];
	ASSERT_EQ(0, nsc_child_start(&c, 0, unprivileged_opener, &o));
	fd = nsc_recv_fd(sp[0]);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, nsc_nl_adopt(&nl2, fd));

	EXPECT_EQ(-EPERM, nsc_nsid_new(&nl2, NETNSA_FD, self->peer[0], 1));
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&nl2, self->peer[0]));
	/* The same sender on its own socket. */
	EXPECT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 1));
	EXPECT_EQ(1, nsid_of(&nl2, self->peer[0]));

	nsc_nl_close(&nl2);
	close(sp[0]);
	close(sp[1]);
	EXPECT_EQ(0, nsc_child_stop(&c));
}

/*
 * In a netns owned by a child user namespace, its root may assign an nsid
 * to any netns it holds a reference to (no privilege over the peer is
 * needed), but NETNSA_TARGET_NSID requires CAP_NET_ADMIN over the
 * target: EACCES for a netns owned by the initial user namespace.
 */
TEST_F(nsid, target_nsid_requires_cap_over_target)
{
	struct nsc_nl nlu;
	int id, cur, n;
	struct nsc_nsid_entry ents[4];

	ASSERT_EQ(0, nsc_userns_enter_root());
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_nl_open(&nlu));

	ASSERT_EQ(0, nsc_nsid_new(&nlu, NETNSA_FD, self->peer[0], 5)) {
		TH_LOG("extack: %s", nlu.extack);
	}
	ASSERT_EQ(0, nsc_nsid_new(&nlu, NETNSA_FD, self->peer[1], 6));
	EXPECT_EQ(5, nsid_of(&nlu, self->peer[0]));

	EXPECT_EQ(-EACCES, nsc_nsid_get(&nlu, NETNSA_FD, self->peer[1], 5,
					&id, &cur));
	EXPECT_STREQ("Target netns reference is invalid", nlu.extack);
	/* Unknown target: EINVAL, as before the capability check. */
	EXPECT_EQ(-EINVAL, nsc_nsid_get(&nlu, NETNSA_FD, self->peer[1], 7,
					&id, &cur));
	EXPECT_STREQ("Target netns reference is invalid", nlu.extack);

	ASSERT_EQ(0, nsc_nl_set_strict(&nlu, true));
	EXPECT_EQ(-EACCES, nsc_nsid_dump(&nlu, 5, ents, 4));
	EXPECT_STREQ("Invalid target network namespace id", nlu.extack);
	n = nsc_nsid_dump(&nlu, NSC_NO_NSID, ents, 4);
	EXPECT_EQ(2, n);
	nsc_nl_close(&nlu);
}

TEST_HARNESS_MAIN
