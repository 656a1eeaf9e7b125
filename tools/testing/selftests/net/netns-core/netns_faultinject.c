// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic fault injection (/proc/thread-self/fail-nth, failslab and
 * fail_page_alloc) over the network namespace paths:
 *
 *   unshare   unshare(CLONE_NEWNET)
 *   nsid      RTM_NEWNSID for a fresh peer (auto and explicit ids)
 *   setns     setns() into a netns fd
 *   veth_move RTM_SETLINK IFLA_NET_NS_FD moving a veth end into a new
 *             netns (only the sendmsg() is armed; see FI_ATOMIC_ONLY)
 *
 * For each path a counting run (fail-nth armed with a huge value) gives the
 * number of injection points P of one successful call; then the call is
 * repeated with fail-nth = n for n = 1..P+1: all of the first FI_DENSE
 * points, the last few and P+1, and as many of the others as the time
 * budget allows, spread evenly (bit-reversed order).  fail-nth is written
 * right before the one syscall and read back (then cleared) right after:
 * 0 means the fault was injected.  Every call must either succeed or fail
 * with one of the path's accepted errnos, and the state must be consistent
 * (the caller's netns, the nsid table, where the veth end is).  Every
 * FI_CHECK_EVERY iterations and at the end, a plain unshare(CLONE_NEWNET)
 * in a child must work and, at the end, exactly FI_LIMIT - 1 namespaces
 * must be creatable in the test's private user namespace (the
 * max_net_namespaces ucount): nothing leaked a namespace or its charge.
 *
 * Output, per path:
 *   # fault-injection: path=<name> points=<P> enomem=<k> other_errno=<E:k,..|none>
 *   # fault-injection-detail: path=<name> tested=.. fired=.. ok_despite_fault=..
 *
 * The last test scans with kmemleak (cleared when the program starts) and
 * fails on suspected leaks whose report mentions netns code.
 *
 * Knobs: failslab/{ignore-gfp-wait,cache-filter,verbose} and
 * fail_page_alloc/{ignore-gfp-wait,ignore-gfp-highmem,min-order,verbose}
 * are set so that any allocation can fail silently (verbose 0: no stack
 * dumps in the console); "times" is decremented by every injected fault.
 * All of them are saved when the program starts and restored after every
 * test and at exit.  Without /sys/kernel/debug/failslab the tests SKIP.
 *
 * Environment: NETNS_FI_SECONDS (total loop budget, default
 * FI_SECONDS_DEFAULT), NETNS_FI_ATOMIC_ONLY=1 (fail only non-sleeping
 * allocations on every path, for triage).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/compiler.h>
#include <linux/if_link.h>

#include "kselftest_harness.h"
#include "netns_util.h"

#define FI_SECONDS_DEFAULT	60	/* all four loops together */
#define FI_SECONDS_ENV		"NETNS_FI_SECONDS"
#define FI_ATOMIC_ENV		"NETNS_FI_ATOMIC_ONLY"
#define FI_LIMIT		32	/* max_net_namespaces */
#define FI_MAX_ITER		2000	/* iterations per path, at most */
#define FI_DENSE		32	/* first points, all tested */
#define FI_TAIL			8	/* last points, all tested */
#define FI_BIG			1000000	/* fail-nth for the counting run */
#define FI_CHECK_EVERY		32
#define FI_MAX_FAILURES		10	/* logged per path, then stop */
#define FI_RETRY_MS		20000
#define FI_NL_TIMEOUT_MS	10000

#ifndef DEBUGFS
#define DEBUGFS			"/sys/kernel/debug"
#endif
#define FAILSLAB		DEBUGFS "/failslab"
#define FAIL_PAGE_ALLOC		DEBUGFS "/fail_page_alloc"
#define KMEMLEAK		DEBUGFS "/kmemleak"
#ifndef FAIL_NTH
#define FAIL_NTH		"/proc/thread-self/fail-nth"
#endif

/* ------------------------------------------------------------------ */
/* debugfs knobs                                                       */
/* ------------------------------------------------------------------ */

struct knob {
	const char *path;
	const char *full;	/* value for full injection, NULL: untouched */
	const char *atomic;	/* value for atomic-only injection */
	char saved[32];
	bool have;
};

#define KNOB(p, f, a) { .path = (p), .full = (f), .atomic = (a) }
static struct knob knobs[] = {
	KNOB(FAILSLAB "/ignore-gfp-wait", "N", "Y"),
	KNOB(FAILSLAB "/cache-filter", "N", "N"),
	KNOB(FAILSLAB "/verbose", "0", "0"),
	KNOB(FAILSLAB "/times", NULL, NULL),
	KNOB(FAIL_PAGE_ALLOC "/ignore-gfp-wait", "N", "Y"),
	KNOB(FAIL_PAGE_ALLOC "/ignore-gfp-highmem", "N", "N"),
	KNOB(FAIL_PAGE_ALLOC "/min-order", "0", "0"),
	KNOB(FAIL_PAGE_ALLOC "/verbose", "0", "0"),
	KNOB(FAIL_PAGE_ALLOC "/times", NULL, NULL),
};

static bool knobs_saved;

static void knobs_save(void)
{
	unsigned int i;
	ssize_t n;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		n = nsc_read_file(knobs[i].path, knobs[i].saved,
				  sizeof(knobs[i].saved));
		knobs[i].have = n > 0;
		if (n > 0 && knobs[i].saved[n - 1] == '\n')
			knobs[i].saved[n - 1] = '\0';
	}
	knobs_saved = true;
}

static void knobs_restore(void)
{
	unsigned int i;
	int err;

	if (!knobs_saved)
		return;
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (!knobs[i].have)
			continue;
		err = nsc_write_file(knobs[i].path, knobs[i].saved);
		if (err)
			fprintf(stderr, "# could not restore %s to %s: %s\n",
				knobs[i].path, knobs[i].saved,
				nsc_errno_name(err));
	}
}

static int knobs_set(bool atomic)
{
	unsigned int i;
	const char *v;
	int err;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		v = atomic ? knobs[i].atomic : knobs[i].full;
		if (!v)
			continue;
		if (!knobs[i].have)
			return -ENOENT;
		err = nsc_write_file(knobs[i].path, v);
		if (err)
			return err;
	}
	return 0;
}

static bool fi_available(char *why, size_t len)
{
	if (access(FAIL_NTH, W_OK)) {
		snprintf(why, len, "%s not available (CONFIG_FAULT_INJECTION)",
			 FAIL_NTH);
		return false;
	}
	if (access(FAILSLAB "/ignore-gfp-wait", W_OK) ||
	    access(FAIL_PAGE_ALLOC "/ignore-gfp-wait", W_OK)) {
		snprintf(why, len,
			 "%s or %s not available (debugfs, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS)",
			 FAILSLAB, FAIL_PAGE_ALLOC);
		return false;
	}
	return true;
}

/* Saved at start-up (before any test changes them), restored at exit. */
static void __attribute__((constructor)) fi_startup(void)
{
	char why[256];

	if (fi_available(why, sizeof(why)))
		knobs_save();
	/* Earlier kmemleak suspects are not ours (see kmemleak test). */
	if (!access(KMEMLEAK, W_OK))
		nsc_write_file(KMEMLEAK, "clear");
}

static pid_t main_pid;

static void __attribute__((destructor)) fi_exit(void)
{
	if (getpid() == main_pid)
		knobs_restore();
}

/* ------------------------------------------------------------------ */
/* fail-nth                                                            */
/* ------------------------------------------------------------------ */

/*
 * Buffers used between arming and disarming are static and touched
 * beforehand, so that no page fault (an allocation that would consume or
 * take the fault) happens in the armed window outside the syscall.
 */
static struct {
	char arm[32];
	char read[32];
	char zero[2];
} fi_buf;

static int fi_fd = -1;

/* Touch the stack below us, for the same reason. */
static noinline void prefault_stack(void)
{
	char stack[256 * 1024];
	size_t i;

	for (i = 0; i < sizeof(stack); i += 1024)
		stack[i] = 0;
	/* Keep the stores: the compiler must assume the asm reads the array. */
	asm volatile("" : : "r" (stack) : "memory");
}

static int fi_open(void)
{
	fi_fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	if (fi_fd < 0)
		return -errno;
	memset(&fi_buf, 0, sizeof(fi_buf));
	fi_buf.zero[0] = '0';
	prefault_stack();
	return 0;
}

/* Prepare the value to arm (outside the armed window). */
static size_t fi_prepare(unsigned int n)
{
	return snprintf(fi_buf.arm, sizeof(fi_buf.arm), "%u", n);
}

/* 0, or -1 if fail-nth could not be armed (the call must not be made). */
static inline int fi_arm(size_t len)
{
	return pwrite(fi_fd, fi_buf.arm, len, 0) == (ssize_t)len ? 0 : -1;
}

#define FI_ARM_FAILED	(-3)	/* remaining: arming failed */

/* Read back what is left of fail-nth (0: injected) and clear it. */
static inline long fi_disarm(void)
{
	ssize_t n;

	n = pread(fi_fd, fi_buf.read, sizeof(fi_buf.read) - 1, 0);
	if (pwrite(fi_fd, fi_buf.zero, 1, 0) != 1)
		return -2;
	if (n <= 0)
		return -1;
	fi_buf.read[n] = '\0';
	return strtol(fi_buf.read, NULL, 10);
}

/* ------------------------------------------------------------------ */
/* paths                                                               */
/* ------------------------------------------------------------------ */

struct fi_ctx {
	struct __test_metadata *md;
	const struct fi_path *path;
	int home;
	ino_t home_ino;
	struct nsc_nl nl;	/* rtnl socket in home */
	int target;		/* setns: the target netns */
	ino_t target_ino;
	int peer;		/* nsid: the fresh peer */
	int nsb;		/* veth_move: the destination netns */
	int vb;			/* veth_move: ifindex of the moved end */
	/* outcome of one call */
	unsigned int n;
	int ret;		/* 0 or -errno */
	bool sent;		/* netlink: the request went out */
	long remaining;		/* fail-nth after the call */
	int want_nsid;
	/* statistics */
	long tested, fired, ok_despite, not_fired, enomem, retries;
	struct nsc_errno_hist errs;	/* errnos other than ENOMEM */
	unsigned int max_fired;
	int failures;
};

struct fi_path {
	const char *name;
	bool atomic_only;
	/* ENOSPC without an injected fault: the limit, retry later. */
	bool retry_enospc;
	int budget_pct;
	const int *ok_errnos;	/* 0-terminated */
	int (*setup)(struct fi_ctx *c);
	int (*prepare)(struct fi_ctx *c);
	/* Arm, do the one syscall, disarm; set ret, sent, remaining. */
	void (*op)(struct fi_ctx *c, size_t armlen);
	/* Unarmed: check consistency and clean up; 0 or -1 (logged). */
	int (*verify)(struct fi_ctx *c);
	void (*teardown)(struct fi_ctx *c);
};

#define fi_fail(c, fmt, ...) do {					\
	struct fi_ctx *_fc = (c);					\
	struct __test_metadata *_metadata = _fc->md;			\
									\
	_fc->failures++;						\
	TH_LOG("path=%s n=%u ret=%s injected=%s: " fmt,			\
	       _fc->path->name, _fc->n,					\
	       _fc->ret ? nsc_errno_name(_fc->ret) : "0",		\
	       _fc->remaining == 0 ? "yes" : "no", ##__VA_ARGS__);	\
} while (0)

/* A new netns fd, waiting while the limit is reached (async cleanup). */
static int netns_new_retry(void)
{
	uint64_t end = nsc_now_ms() + FI_RETRY_MS;
	int fd;

	for (;;) {
		fd = nsc_netns_new();
		if (fd != -ENOSPC || nsc_now_ms() >= end)
			return fd;
		nsc_sleep_ms(NSC_POLL_INTERVAL_MS);
	}
}

static int nl_home(struct fi_ctx *c)
{
	int err;

	err = nsc_nl_open(&c->nl);
	if (!err)
		err = nsc_nl_set_rcvtimeo(&c->nl, FI_NL_TIMEOUT_MS);
	return err;
}

static void nl_home_close(struct fi_ctx *c)
{
	nsc_nl_close(&c->nl);
}

/* Send a prepared request armed, then collect the answer unarmed. */
static void armed_request(struct fi_ctx *c, struct nsc_msg *m, size_t armlen)
{
	uint32_t seq = nsc_nl_prepare(&c->nl, m);
	ssize_t n;
	int err;

	if (fi_arm(armlen)) {
		c->remaining = FI_ARM_FAILED;
		return;
	}
	n = send(c->nl.fd, &m->nlh, m->nlh.nlmsg_len, 0);
	err = errno;
	c->remaining = fi_disarm();
	c->sent = n == (ssize_t)m->nlh.nlmsg_len;
	if (n < 0)
		c->ret = -err;
	else if (!c->sent)
		c->ret = -EIO;
	else
		c->ret = nsc_nl_recv_reply(&c->nl, seq, NULL, NULL);
}

/* --- unshare ------------------------------------------------------- */

/*
 * Subsystem init methods do not all report a failed allocation as ENOMEM:
 * on stock 6.12.117 this program saw EEXIST (a sysctl or proc directory
 * half made), ENODEV (a device registration) and EAFNOSUPPORT (a per-netns
 * control socket) too, and netns-core once gave EINVAL from a subsystem
 * (every EINVAL of the core itself comes with a WARN, which fails make
 * check). Those are clean failures as long as the state checks below
 * hold; anything else is investigated.
 */
static const int unshare_ok[] = {
	ENOMEM, ENOSPC, ENOBUFS, ENFILE, EEXIST, ENODEV, EAFNOSUPPORT, EINVAL, 0
};

static void unshare_op(struct fi_ctx *c, size_t armlen)
{
	int r, err;

	if (fi_arm(armlen)) {
		c->remaining = FI_ARM_FAILED;
		return;
	}
	r = unshare(CLONE_NEWNET);
	err = errno;
	c->remaining = fi_disarm();
	c->ret = r ? -err : 0;
}

static int unshare_verify(struct fi_ctx *c)
{
	ino_t ino = nsc_netns_ino();
	int rc = 0;

	if (c->ret) {
		if (ino != c->home_ino) {
			fi_fail(c, "failed unshare() changed the netns");
			rc = -1;
		} else {
			return 0;
		}
	} else if (ino == c->home_ino) {
		fi_fail(c, "successful unshare() left the netns unchanged");
		return -1;
	} else if (if_nametoindex("lo") != 1) {
		fi_fail(c, "new netns has no lo at ifindex 1");
		rc = -1;
	}
	if (setns(c->home, CLONE_NEWNET)) {
		fi_fail(c, "setns(home): %s", nsc_errno_name(errno));
		return -1;
	}
	return rc;
}

/* --- nsid ---------------------------------------------------------- */

static const int nsid_ok[] = { ENOMEM, ENOBUFS, 0 };

static int nsid_setup(struct fi_ctx *c)
{
	return nl_home(c);
}

static int nsid_prepare(struct fi_ctx *c)
{
	c->peer = netns_new_retry();
	return c->peer < 0 ? c->peer : 0;
}

static void nsid_op(struct fi_ctx *c, size_t armlen)
{
	struct nsc_msg m;

	/* Odd n: auto id; even n: an explicit id unique to this n. */
	c->want_nsid = c->n % 2 ? -1 : (int)(1000 + c->n);
	nsc_nsid_new_msg(&m, NETNSA_FD, c->peer, c->want_nsid);
	armed_request(c, &m, armlen);
}

static int nsid_verify(struct fi_ctx *c)
{
	int id, back, err, rc = 0;

	err = nsc_nsid_get(&c->nl, NETNSA_FD, c->peer, NSC_NO_NSID, &id,
			   NULL);
	if (err) {
		fi_fail(c, "GETNSID afterwards: %s (%s)", nsc_errno_name(err),
			c->nl.extack);
		rc = -1;
		goto out;
	}
	if (!c->ret && (id < 0 || (c->want_nsid >= 0 && id != c->want_nsid))) {
		fi_fail(c, "NEWNSID %d succeeded, peer has nsid %d",
			c->want_nsid, id);
		rc = -1;
	} else if (c->ret && id >= 0 && (!c->sent || c->ret == -ENOMEM)) {
		/* Only a lost ACK (ENOBUFS on receive) may hide a success. */
		fi_fail(c, "NEWNSID failed, yet the peer has nsid %d", id);
		rc = -1;
	}
	if (id >= 0) {
		err = nsc_nsid_get(&c->nl, NETNSA_NSID, id, NSC_NO_NSID, &back,
				   NULL);
		if (err || back != id) {
			fi_fail(c, "nsid %d does not map back: %s, %d", id,
				nsc_errno_name(err), back);
			rc = -1;
		}
	}
out:
	close(c->peer);
	c->peer = -1;
	return rc;
}

static void nsid_teardown(struct fi_ctx *c)
{
	if (c->peer >= 0)
		close(c->peer);
	nl_home_close(c);
}

/* --- setns --------------------------------------------------------- */

static const int setns_ok[] = { ENOMEM, 0 };

static int setns_setup(struct fi_ctx *c)
{
	c->target = netns_new_retry();
	if (c->target < 0)
		return c->target;
	c->target_ino = nsc_fd_ino(c->target);
	return 0;
}

static void setns_op(struct fi_ctx *c, size_t armlen)
{
	int r, err;

	if (fi_arm(armlen)) {
		c->remaining = FI_ARM_FAILED;
		return;
	}
	r = setns(c->target, CLONE_NEWNET);
	err = errno;
	c->remaining = fi_disarm();
	c->ret = r ? -err : 0;
}

static int setns_verify(struct fi_ctx *c)
{
	ino_t ino = nsc_netns_ino();

	if (c->ret) {
		if (ino == c->home_ino)
			return 0;
		fi_fail(c, "failed setns() changed the netns");
	} else if (ino != c->target_ino) {
		fi_fail(c, "successful setns() is not in the target");
	}
	if (setns(c->home, CLONE_NEWNET)) {
		fi_fail(c, "setns(home): %s", nsc_errno_name(errno));
		return -1;
	}
	return ino == c->target_ino ? 0 : -1;
}

static void setns_teardown(struct fi_ctx *c)
{
	if (c->target >= 0)
		close(c->target);
	c->target = -1;
}

/* --- veth_move ----------------------------------------------------- */

static const int veth_ok[] = { ENOMEM, ENOBUFS, 0 };

static int veth_setup(struct fi_ctx *c)
{
	return nl_home(c);
}

static int veth_prepare(struct fi_ctx *c)
{
	struct __test_metadata *_metadata = c->md;
	int err;

	c->nsb = netns_new_retry();
	if (c->nsb < 0)
		return c->nsb;
	err = nsc_veth_add(&c->nl, "nsc-fia", "nsc-fib", 0, 0);
	if (err) {
		TH_LOG("veth_move n=%u: creating the veth: %s (%s)", c->n,
		       nsc_errno_name(err), c->nl.extack);
		return err;
	}
	c->vb = nsc_link_index(&c->nl, "nsc-fib");
	return c->vb < 0 ? c->vb : 0;
}

static void veth_op(struct fi_ctx *c, size_t armlen)
{
	struct nsc_msg m;

	nsc_link_set_netns_msg(&m, c->vb, IFLA_NET_NS_FD, c->nsb, NULL, 0);
	armed_request(c, &m, armlen);
}

static int veth_verify(struct fi_ctx *c)
{
	struct nsc_nl nlb;
	int in_home, in_b, va, err, rc = 0;

	err = nsc_nl_open_in(&nlb, c->nsb);
	if (err) {
		fi_fail(c, "rtnl socket in B: %s", nsc_errno_name(err));
		return -1;
	}
	in_home = nsc_link_index(&c->nl, "nsc-fib") > 0;
	in_b = nsc_link_index(&nlb, "nsc-fib") > 0;
	if (in_home == in_b) {
		fi_fail(c, "veth end is %s", in_home ? "in both namespaces" :
						       "gone");
		rc = -1;
	} else if (!c->ret && !in_b) {
		fi_fail(c, "move succeeded, veth end still in home");
		rc = -1;
	} else if (c->ret && in_b && (!c->sent || c->ret != -ENOBUFS)) {
		fi_fail(c, "move failed (%s), veth end in B",
			c->sent ? "answer" : "send");
		rc = -1;
	}
	/* Deleting one end deletes the pair, in both namespaces. */
	va = nsc_link_index(&c->nl, "nsc-fia");
	if (va <= 0 || nsc_link_del(&c->nl, va)) {
		fi_fail(c, "deleting the veth: %d (%s)", va, c->nl.extack);
		rc = -1;
	}
	if (nsc_link_index(&c->nl, "nsc-fib") > 0 ||
	    nsc_link_index(&nlb, "nsc-fib") > 0) {
		fi_fail(c, "veth peer survived the deletion of its pair");
		/* Do not trip over it in the next iteration. */
		nsc_link_del(&c->nl, nsc_link_index(&c->nl, "nsc-fib"));
		rc = -1;
	}
	nsc_nl_close(&nlb);
	close(c->nsb);
	c->nsb = -1;
	return rc;
}

static void veth_teardown(struct fi_ctx *c)
{
	if (c->nsb >= 0)
		close(c->nsb);
	nl_home_close(c);
}

static const struct fi_path path_unshare = {
	.name = "unshare", .retry_enospc = true, .budget_pct = 40,
	.ok_errnos = unshare_ok,
	.op = unshare_op, .verify = unshare_verify,
};

static const struct fi_path path_nsid = {
	.name = "nsid", .budget_pct = 15, .ok_errnos = nsid_ok,
	.setup = nsid_setup, .prepare = nsid_prepare, .op = nsid_op,
	.verify = nsid_verify, .teardown = nsid_teardown,
};

static const struct fi_path path_setns = {
	.name = "setns", .budget_pct = 10, .ok_errnos = setns_ok,
	.setup = setns_setup, .op = setns_op, .verify = setns_verify,
	.teardown = setns_teardown,
};

/*
 * __dev_change_net_namespace() has WARN_ON()s on errors of
 * device_rename() and netdev_change_owner() after its point of no return,
 * and those can fail on a GFP_KERNEL allocation: a WARNING in the console
 * by design, on stock kernels too.  So this path only fails non-sleeping
 * allocations (GFP_ATOMIC/GFP_NOWAIT: the nsid idr, notification skbs in
 * atomic context, ...).
 */
static const struct fi_path path_veth_move = {
	.name = "veth_move", .atomic_only = true, .budget_pct = 35,
	.ok_errnos = veth_ok, .setup = veth_setup, .prepare = veth_prepare,
	.op = veth_op, .verify = veth_verify, .teardown = veth_teardown,
};

/* ------------------------------------------------------------------ */
/* the loop                                                            */
/* ------------------------------------------------------------------ */

static int fi_seconds(void)
{
	return nsc_env_seconds(FI_SECONDS_ENV, FI_SECONDS_DEFAULT);
}

static bool fi_atomic_forced(void)
{
	const char *s = getenv(FI_ATOMIC_ENV);

	return s && *s && *s != '0';
}

static bool errno_ok(const struct fi_path *p, int err)
{
	const int *e;

	for (e = p->ok_errnos; *e; e++)
		if (*e == -err)
			return true;
	return false;
}

/* Child: a plain unshare(CLONE_NEWNET) works and yields a usable lo. */
static int plain_unshare(void *arg)
{
	uint64_t end = nsc_now_ms() + FI_RETRY_MS;

	(void)arg;
	while (unshare(CLONE_NEWNET)) {
		if (errno != ENOSPC || nsc_now_ms() >= end)
			return 10 + (errno & 0x7f);
		nsc_sleep_ms(NSC_POLL_INTERVAL_MS);
	}
	return if_nametoindex("lo") == 1 ? 0 : 2;
}

static int check_plain_unshare(struct fi_ctx *c)
{
	struct __test_metadata *_metadata = c->md;
	int rc = nsc_run_child(plain_unshare, NULL);

	if (rc == 0)
		return 0;
	c->failures++;
	TH_LOG("path=%s after n=%u: plain unshare(CLONE_NEWNET) in a child: %s",
	       c->path->name, c->n,
	       rc >= 10 && rc < 256 ? nsc_errno_name(rc - 10) :
	       rc == 2 ? "no lo" : "child died");
	return -1;
}

/*
 * Do one call with fail-nth = n.  Returns 0, or -1 if the path must stop
 * (a step outside the injection failed).
 */
static int fi_iteration(struct fi_ctx *c, unsigned int n)
{
	const struct fi_path *p = c->path;
	uint64_t end = nsc_now_ms() + FI_RETRY_MS;
	struct __test_metadata *_metadata = c->md;
	size_t armlen;
	int err;

	c->n = n;
retry:
	c->ret = 0;
	c->sent = false;
	c->remaining = -1;
	if (p->prepare) {
		err = p->prepare(c);
		if (err) {
			c->failures++;
			TH_LOG("path=%s n=%u: preparing: %s", p->name, n,
			       nsc_errno_name(err));
			return -1;
		}
	}
	armlen = fi_prepare(n);
	p->op(c, armlen);

	if (c->remaining < 0) {
		c->failures++;
		TH_LOG("path=%s n=%u: %s %s failed", p->name, n,
		       c->remaining == FI_ARM_FAILED ? "arming" : "reading",
		       FAIL_NTH);
		return -1;
	}
	/* The limit was hit by namespaces still being cleaned up: retry. */
	if (c->ret == -ENOSPC && c->remaining > 0 && p->retry_enospc) {
		p->verify(c);
		c->retries++;
		if (nsc_now_ms() < end) {
			nsc_sleep_ms(NSC_POLL_INTERVAL_MS);
			goto retry;
		}
	}

	c->tested++;
	if (c->remaining == 0) {
		c->fired++;
		if (n > c->max_fired)
			c->max_fired = n;
		if (!c->ret)
			c->ok_despite++;
	} else {
		c->not_fired++;
	}
	if (c->ret) {
		if (c->ret == -ENOMEM)
			c->enomem++;
		else if (-c->ret < NSC_HIST_ERRNO_MAX)
			nsc_errno_hist_add(&c->errs, c->ret);
		if (c->remaining != 0)
			fi_fail(c, "failed without an injected fault");
		else if (!errno_ok(p, c->ret))
			fi_fail(c, "unexpected errno for an injected fault");
	}
	p->verify(c);
	return 0;
}

static unsigned int bitrev(unsigned int v, int bits)
{
	unsigned int r = 0;
	int i;

	for (i = 0; i < bits; i++)
		if (v & (1u << i))
			r |= 1u << (bits - 1 - i);
	return r;
}

/*
 * The order in which n = 1..P+1 are tried: 1..FI_DENSE, the last
 * FI_TAIL and P+1, then the rest bit-reversed (evenly spread at any
 * cut-off).  Returns the number of "mandatory" entries at the front.
 */
static int fi_order(unsigned int P, unsigned int *order, unsigned int *cnt)
{
	unsigned int n, lo, hi, span, k;
	int bits = 0, mandatory;

	*cnt = 0;
	for (n = 1; n <= P + 1 && n <= FI_DENSE; n++)
		order[(*cnt)++] = n;
	lo = FI_DENSE + 1;
	hi = P + 1 > FI_TAIL ? P + 1 - FI_TAIL : 1;
	if (hi < lo)
		hi = lo;
	for (n = hi; n <= P + 1; n++)
		if (n > FI_DENSE)
			order[(*cnt)++] = n;
	mandatory = *cnt;
	/* lo .. hi - 1, bit-reversed */
	span = hi > lo ? hi - lo : 0;
	while ((1u << bits) < span)
		bits++;
	for (k = 0; k < (1u << bits); k++) {
		n = bitrev(k, bits);
		if (n < span)
			order[(*cnt)++] = lo + n;
	}
	return mandatory;
}

/* Kept on one line, so that it can be grepped for. */
#define FI_DETAIL_FMT "fault-injection-detail: path=%s mode=%s tested=%ld fired=%ld ok_despite_fault=%ld not_fired=%ld enospc_retries=%ld budget_cut=%s ms=%llu\n"

static void fi_report(struct fi_ctx *c, unsigned int points, uint64_t ms,
		      bool budget_cut)
{
	char other[256];

	ksft_print_msg("fault-injection: path=%s points=%u enomem=%ld other_errno=%s\n",
		       c->path->name, points, c->enomem,
		       nsc_errno_hist_str(&c->errs, other, sizeof(other)));
	ksft_print_msg(FI_DETAIL_FMT,
		       c->path->name,
		       c->path->atomic_only || fi_atomic_forced() ?
		       "atomic-only" : "all-allocations",
		       c->tested, c->fired, c->ok_despite, c->not_fired,
		       c->retries, budget_cut ? "yes" : "no",
		       (unsigned long long)ms);
	fflush(stdout);
}

static void fi_run(struct __test_metadata *_metadata,
		   const struct fi_path *p)
{
	uint64_t start, budget_ms, end;
	unsigned int *order, cnt, i, P, n;
	struct fi_ctx *c;
	bool budget_cut = false;
	int mandatory, err, got;
	size_t armlen;

	c = calloc(1, sizeof(*c));
	ASSERT_NE(NULL, c);
	c->md = _metadata;
	c->path = p;
	c->nl.fd = -1;
	c->target = -1;
	c->peer = -1;
	c->nsb = -1;

	ASSERT_EQ(0, knobs_set(p->atomic_only || fi_atomic_forced())) {
		TH_LOG("setting the fault injection knobs failed");
	}

	/* Private user namespace with a small max_net_namespaces. */
	c->home = nsc_userns_limit_enter(FI_LIMIT);
	if (c->home == -EACCES || c->home == -EPERM || c->home == -EROFS)
		SKIP(return, "per-userns %s not writable", NSC_MAX_NETNS_SYSCTL);
	ASSERT_GE(c->home, 0) {
		TH_LOG("user namespace with limit: %s", nsc_errno_name(c->home));
	}
	c->home_ino = nsc_netns_ino();
	ASSERT_EQ(0, fi_open()) {
		TH_LOG("open %s: %s", FAIL_NTH, nsc_errno_name(errno));
	}
	if (p->setup)
		ASSERT_EQ(0, p->setup(c));

	/* Counting run: how many injection points does one call have? */
	c->n = 0;
	if (p->prepare)
		ASSERT_EQ(0, p->prepare(c));
	armlen = fi_prepare(FI_BIG);
	p->op(c, armlen);
	ASSERT_GT(c->remaining, 0) {
		TH_LOG("counting run: fail-nth read back %ld", c->remaining);
	}
	ASSERT_EQ(0, c->ret) {
		TH_LOG("path=%s: the call fails without fault injection: %s",
		       p->name, nsc_errno_name(c->ret));
	}
	P = FI_BIG - c->remaining;
	ASSERT_EQ(0, p->verify(c));
	TH_LOG("path=%s: %u injection points in one call", p->name, P);

	order = calloc(P + 2, sizeof(*order));
	ASSERT_NE(NULL, order);
	mandatory = fi_order(P, order, &cnt);

	start = nsc_now_ms();
	budget_ms = (uint64_t)fi_seconds() * 10 * p->budget_pct;
	end = start + budget_ms;
	for (i = 0; i < cnt && i < FI_MAX_ITER; i++) {
		if ((int)i >= mandatory && nsc_now_ms() >= end) {
			budget_cut = true;
			break;
		}
		if (fi_iteration(c, order[i]) || c->failures >= FI_MAX_FAILURES)
			break;
		if (c->tested % FI_CHECK_EVERY == 0)
			check_plain_unshare(c);
	}
	if (i < cnt && !budget_cut)
		budget_cut = i >= FI_MAX_ITER;

	/* Until a call completes without an injected fault. */
	for (n = P + 2; c->max_fired >= n - 1 && n < P + 200 &&
	     c->failures < FI_MAX_FAILURES; n++)
		if (fi_iteration(c, n))
			break;

	if (p->teardown)
		p->teardown(c);
	check_plain_unshare(c);
	fi_report(c, c->max_fired > P ? c->max_fired : P,
		  nsc_now_ms() - start, budget_cut);

	EXPECT_EQ(0, c->failures);

	/* Everything created was freed and uncharged. */
	err = nsc_netns_expect_available(FI_LIMIT - 1, 30000, &got);
	EXPECT_EQ(0, err) {
		TH_LOG("path=%s: %d of %d namespaces available afterwards: %s",
		       p->name, got, FI_LIMIT - 1, nsc_errno_name(err));
	}
	close(fi_fd);
	free(order);
	free(c);
}

FIXTURE(fi) {
	int unused;
};

FIXTURE_SETUP(fi)
{
	char why[256];

	if (!fi_available(why, sizeof(why)))
		SKIP(return, "%s", why);
	if (!knobs_saved)
		SKIP(return, "fault injection knobs could not be saved");
}

FIXTURE_TEARDOWN_PARENT(fi)
{
	knobs_restore();
}

/*
 * fail-nth at every allocation of unshare(CLONE_NEWNET): it succeeds or
 * fails cleanly with an accepted errno, and no namespace is leaked.
 */
TEST_F_TIMEOUT(fi, unshare_netns, 240)
{
	fi_run(_metadata, &path_unshare);
}

/*
 * fail-nth at every allocation of RTM_NEWNSID (auto and explicit id) for a
 * fresh peer: success or a clean failure, the nsid tables stay consistent.
 */
TEST_F_TIMEOUT(fi, new_nsid, 240)
{
	fi_run(_metadata, &path_nsid);
}

/*
 * fail-nth at every allocation of setns() into a netns fd: success or
 * ENOMEM, and the caller stays in its netns on failure.
 */
TEST_F_TIMEOUT(fi, setns_netns, 240)
{
	fi_run(_metadata, &path_setns);
}

/*
 * fail-nth at every non-sleeping allocation of a veth end's move into a
 * fresh netns: success or a clean failure, the end is where it should be.
 */
TEST_F_TIMEOUT(fi, veth_move_netns, 240)
{
	fi_run(_metadata, &path_veth_move);
}

/* ------------------------------------------------------------------ */
/* kmemleak                                                            */
/* ------------------------------------------------------------------ */

/* Symbols whose presence in a leak report makes it a netns leak. */
static const char * const netns_syms[] = {
	"net_namespace", "copy_net_ns", "setup_net", "cleanup_net",
	"net_alloc", "net_generic", "net_nsid", "peernet", "pernet",
	"ops_init", "netns", "nsid", "setns", "rtnl_net", "veth",
	"get_net_ns", "net_ns_",
};

#define KMEMLEAK_MAX_LINES	400

/* A fixture of its own, so that it runs after the fi tests. */
FIXTURE(leaks) {
	int unused;
};

FIXTURE_SETUP(leaks)
{
}

FIXTURE_TEARDOWN(leaks)
{
}

/*
 * After the fault injection runs, kmemleak reports no suspect in netns
 * code.
 */
TEST_F_TIMEOUT(leaks, kmemleak_no_netns_leaks, 300)
{
	char *buf, *rec, *next, *line, *save, *bt;
	size_t size = 4 << 20;
	int records = 0, netns = 0, lines = 0, err;
	unsigned int i;
	ssize_t n;
	bool hit;

	if (access(KMEMLEAK, W_OK))
		SKIP(return, "%s not available", KMEMLEAK);

	/* kmemleak ignores objects younger than 5 s. */
	nsc_sleep_ms(6000);
	err = nsc_write_file(KMEMLEAK, "scan");
	if (err == -EPERM || err == -EBUSY)
		SKIP(return, "kmemleak is disabled (%s)", nsc_errno_name(err));
	ASSERT_EQ(0, err);
	nsc_sleep_ms(3000);
	ASSERT_EQ(0, nsc_write_file(KMEMLEAK, "scan"));

	buf = malloc(size);
	ASSERT_NE(NULL, buf);
	n = nsc_read_file(KMEMLEAK, buf, size);
	ASSERT_GE(n, 0);

	/* Records start with "unreferenced object". */
	for (rec = strstr(buf, "unreferenced object"); rec; rec = next) {
		next = strstr(rec + 1, "unreferenced object");
		if (next)
			next[-1] = '\0';
		records++;
		/* Only the backtrace counts (not comm, not the hex dump). */
		bt = strstr(rec, "backtrace");
		hit = false;
		for (i = 0; bt && i < ARRAY_SIZE(netns_syms); i++)
			if (strstr(bt, netns_syms[i]))
				hit = true;
		netns += hit;
		for (line = strtok_r(rec, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (lines++ < KMEMLEAK_MAX_LINES)
				ksft_print_msg("kmemleak:%s %s\n",
					       hit ? " [netns]" : "", line);
		}
	}
	ksft_print_msg("kmemleak: %d suspected leaks, %d mention netns code\n",
		       records, netns);
	fflush(stdout);
	EXPECT_EQ(0, netns);
	free(buf);
}

int main(int argc, char **argv)
{
	int budget = fi_seconds();

	main_pid = getpid();
	/* Harness timeouts follow NETNS_FI_SECONDS. */
	_fi_unshare_netns_object->timeout = budget * 40 / 100 + 180;
	_fi_new_nsid_object->timeout = budget * 15 / 100 + 180;
	_fi_setns_netns_object->timeout = budget * 10 / 100 + 180;
	_fi_veth_move_netns_object->timeout = budget * 35 / 100 + 180;
	return test_harness_run(argc, argv);
}
