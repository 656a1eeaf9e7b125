// SPDX-License-Identifier: GPL-2.0
/*
 * netns_bench - benchmark of the network namespace core.
 *
 * Measures, for L live namespaces and with or without an nsid for every
 * namespace, the cost of creating namespaces, of tearing them down (until
 * they are really freed), of create/drop churn, the kernel memory each one
 * takes, the creation rate of two processes at once and the latency of
 * starting a namespace or creating a link while L namespaces are torn down.
 * See README.
 *
 * "Freed" is detected with the namespace ucount: copy_net_ns() charges
 * UCOUNT_NET_NAMESPACES and the cleanup work gives the charge back as the
 * very last step of tearing a namespace down.  With max_net_namespaces set
 * to (namespaces that must stay) + 1, a probe unshare(CLONE_NEWNET) fails
 * with ENOSPC until every dropped namespace is gone.  The namespace a
 * successful probe creates is kept as the "spare" and dropped together
 * with the next batch, so that nothing is ever left dying between
 * measurements.
 *
 * Process layout: the supervisor (initial user namespace) raises and
 * restores global limits and forwards signals; the worker runs the
 * benchmark, by default in a private user namespace whose own
 * max_net_namespaces makes the count hermetic; the parallel and contended
 * cases fork two more children.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/nsfs.h>

/* Only for __printf(), __noreturn and ARRAY_SIZE(). */
#include "kselftest.h"
/* Files and rtnetlink (nsids), shared with the selftests. */
#include "../netns_util.h"

#define MAXNS_PATH	"/proc/sys/user/max_net_namespaces"
#define NR_OPEN_PATH	"/proc/sys/fs/nr_open"
#define CS_PATH		"/sys/devices/system/clocksource/clocksource0/current_clocksource"
#define SELF_NET	"/proc/self/ns/net"

#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_CLOCK	3

#define MAX_L		32
/* Upper bound of stale per-CPU objects when slabinfo is not exact. */
#define SLAB_SLACK	128
/* Namespaces beyond the measured ones: home, spare, probe, margin. */
#define NS_MARGIN	16
#define FD_MARGIN	256
/* The first settle may wait for namespaces dropped before we started. */
#define SETTLE_TIMEOUT_S 120
/* Contended case: probe period, operations per probe, time cap. */
#define CONT_PERIOD_NS	5000000ull
#define CONT_MAX_OPS	3000
#define CONT_CAP_S	120

enum {
	C_CREATION, C_BATCH, C_CHURN, C_PARALLEL, C_MEMORY, C_LIVE,
	C_CONTENDED, C_NR
};

static const char *const case_names[C_NR] = {
	[C_CREATION] = "creation",
	[C_BATCH] = "batch_teardown",
	[C_CHURN] = "churn",
	[C_PARALLEL] = "parallel",
	[C_MEMORY] = "memory",
	[C_LIVE] = "live_teardown",
	[C_CONTENDED] = "contended",
};

static struct {
	long live[MAX_L];
	int n_live;
	int live_set;
	long C;
	int C_set;
	long M;
	int M_set;
	int nsid_off;
	int nsid_on;
	unsigned int cases;
	int selftest;
	int global;
	const char *label;
	long poll_us;
	long timeout_s;
} opt = {
	.C = 1000,
	.M = 1000,
	.nsid_off = 1,
	.nsid_on = 1,
	.cases = (1u << C_NR) - 1,
	.poll_us = 1000,
	.timeout_s = 3600,
};

/* Role of this process: what exit paths may touch. */
enum { ROLE_SUPERVISOR, ROLE_WORKER, ROLE_CHILD };
static int role = ROLE_SUPERVISOR;

/* ---------------------------------------------------------------- utils */

static int st_n, st_fail;

static void die(const char *fmt, ...) __noreturn __printf(1, 2);

static void die(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "netns_bench: ");
	errno = e;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (role == ROLE_CHILD)
		_exit(EXIT_FAIL);
	if (opt.selftest && role == ROLE_WORKER)
		printf("Bail out! see stderr\n# selftest: FAIL\n");
	exit(EXIT_FAIL);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Sleep until CLOCK_MONOTONIC reads t (ns). */
static void sleep_until(uint64_t t)
{
	struct timespec ts = { t / 1000000000ull, t % 1000000000ull };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* A netns_util result (-errno on failure) as 0, or -1 with errno set. */
static int libc_ret(long ret)
{
	if (ret >= 0)
		return 0;
	errno = -ret;
	return -1;
}

/* Read a small file into buf (NUL-terminated, trailing newline removed). */
static int read_str(const char *path, char *buf, size_t size)
{
	ssize_t n = nsc_read_file(path, buf, size);

	if (n < 0)
		return libc_ret(n);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static int clock_is_tsc(char *cs, size_t size)
{
	if (read_str(CS_PATH, cs, size))
		snprintf(cs, size, "unreadable");
	return !strcmp(cs, "tsc");
}

/* ------------------------------------------------------------- /proc data */

struct meminfo {
	long total, free, avail, slab, kstack, ptables, percpu, vmalloc;
};

static void read_meminfo(struct meminfo *m)
{
	static const struct { const char *key; size_t off; } keys[] = {
		{ "MemTotal:", offsetof(struct meminfo, total) },
		{ "MemFree:", offsetof(struct meminfo, free) },
		{ "MemAvailable:", offsetof(struct meminfo, avail) },
		{ "Slab:", offsetof(struct meminfo, slab) },
		{ "KernelStack:", offsetof(struct meminfo, kstack) },
		{ "PageTables:", offsetof(struct meminfo, ptables) },
		{ "Percpu:", offsetof(struct meminfo, percpu) },
		{ "VmallocUsed:", offsetof(struct meminfo, vmalloc) },
	};
	char line[256], key[64];
	long val;
	size_t i;
	FILE *f;

	memset(m, 0, sizeof(*m));
	f = fopen("/proc/meminfo", "re");
	if (!f)
		die("/proc/meminfo: %m");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %ld", key, &val) != 2)
			continue;
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strcmp(key, keys[i].key))
				*(long *)((char *)m + keys[i].off) = val;
	}
	fclose(f);
}

static long mem_kernel(const struct meminfo *m)
{
	return m->slab + m->kstack + m->ptables + m->percpu + m->vmalloc;
}

/* active_objs of the net_namespace cache, or -1 if it is not listed. */
static long slab_objs(void)
{
	long n = nsc_slab_objs("net_namespace");

	return n < 0 ? -1 : n;
}

/*
 * Exact slabinfo for net_namespace: booted with slab_nomerge and slub_debug
 * (or slab_debug) covering the cache.  Debug caches bypass the per-CPU
 * freelists, so active_objs counts only allocated objects.
 */
static int slab_is_exact(void)
{
	return nsc_slab_exact("net_namespace");
}

/* ------------------------------------------------- supervisor: global state */

static long sup_orig_maxns = -1, sup_orig_nr_open = -1;
static int sup_maxns_changed, sup_nr_open_changed;
static pid_t sup_worker;	/* __atomic: read by the signal handler */

static void sup_restore(void)
{
	if (role != ROLE_SUPERVISOR)
		return;
	if (sup_maxns_changed) {
		if (libc_ret(nsc_write_long(MAXNS_PATH, sup_orig_maxns)))
			fprintf(stderr, "netns_bench: cannot restore %s to %ld: %m\n",
				MAXNS_PATH, sup_orig_maxns);
		sup_maxns_changed = 0;
	}
	if (sup_nr_open_changed) {
		if (libc_ret(nsc_write_long(NR_OPEN_PATH, sup_orig_nr_open)))
			fprintf(stderr, "netns_bench: cannot restore %s to %ld: %m\n",
				NR_OPEN_PATH, sup_orig_nr_open);
		sup_nr_open_changed = 0;
	}
}

static void sup_signal(int sig)
{
	pid_t pid = __atomic_load_n(&sup_worker, __ATOMIC_RELAXED);

	if (pid > 0)
		kill(pid, sig);
}

/* ------------------------------------------------------------ worker state */

static int home_fd = -1;	/* where setns() returns; nsids live here */
static int spare_fd = -1;	/* namespace created by the last probe */
static int maxns_fd = -1;	/* max_net_namespaces of the worker's userns */
static struct nsc_nl home_nl;	/* rtnetlink socket in the home namespace */
static long alive;		/* namespaces of ours that hold a ucount */
static long open_limit;		/* max_net_namespaces outside of drain waits */
static long cur_live;
static int cur_nsid;
static char kernel_label[128];
static int slab_exact;

/*
 * Global mode: the worker can write the initial namespace's sysctls too,
 * and restores the supervisor's originals itself when it exits or is
 * signalled (also when the supervisor dies: PR_SET_PDEATHSIG).
 */
static char w_maxns_buf[32], w_nr_open_buf[32];
static int w_maxns_len, w_nr_open_len;
static atomic_int w_restore_active;	/* lock-free: async-signal-safe */

static void w_write(const char *path, const char *buf, int len)
{
	int fd;

	if (!len)
		return;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		/* Best effort: the supervisor restores it as well. */
		if (write(fd, buf, len) != len)
			len = 0;
		close(fd);
	}
}

static void w_restore(void)
{
	if (!w_restore_active)
		return;
	w_restore_active = 0;
	w_write(MAXNS_PATH, w_maxns_buf, w_maxns_len);
	w_write(NR_OPEN_PATH, w_nr_open_buf, w_nr_open_len);
}

static void w_atexit(void)
{
	if (role == ROLE_WORKER)
		w_restore();
}

static void w_signal(int sig)
{
	if (role == ROLE_WORKER)
		w_restore();
	_exit(128 + sig);
}

static void set_limit(long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", v);

	if (pwrite(maxns_fd, buf, n, 0) != n)
		die("write %ld to %s: %m", v, MAXNS_PATH);
}

static void emit(const char *c, const char *metric, double v, const char *unit)
{
	printf("%sbench kernel=%s case=%s L=%ld nsid=%d metric=%s value=%.3f unit=%s\n",
	       opt.selftest ? "# " : "", kernel_label, c, cur_live, cur_nsid,
	       metric, v, unit);
	fflush(stdout);
}

static void tap(int ok, const char *fmt, ...) __printf(2, 3);

static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++st_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		st_fail++;
}

/* ---------------------------------------------------------------- netlink */

static void nl_open(struct nsc_nl *nl)
{
	if (libc_ret(nsc_nl_open(nl)))
		die("rtnetlink socket: %m");
}

/* RTM_NEWNSID in nl's namespace: NETNSA_NSID=-1 (any), NETNSA_FD=fd. */
static void nsid_assign(struct nsc_nl *nl, int fd)
{
	if (libc_ret(nsc_nsid_new(nl, NETNSA_FD, fd, -1)))
		die("RTM_NEWNSID (fd %d): %m", fd);
}

/* ------------------------------------------------------------- namespaces */

/*
 * Create a namespace, keep it by an nsfs fd, go back home.  *cost gets the
 * time of unshare() plus setns(), without the open() in between.  Returns
 * the fd, or -1 with errno set when unshare() fails.
 */
static int ns_try_new(uint64_t *cost)
{
	uint64_t t0, t1, t2, t3;
	int fd;

	t0 = now_ns();
	if (unshare(CLONE_NEWNET))
		return -1;
	t1 = now_ns();
	fd = open(SELF_NET, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open %s: %m", SELF_NET);
	t2 = now_ns();
	if (setns(home_fd, CLONE_NEWNET))
		die("setns(home): %m");
	t3 = now_ns();
	if (cost)
		*cost = (t1 - t0) + (t3 - t2);
	return fd;
}

static int ns_new(uint64_t *cost)
{
	int fd = ns_try_new(cost);

	if (fd < 0)
		die("unshare(CLONE_NEWNET) with %ld of our namespaces alive: %m",
		    alive);
	return fd;
}

/* Create n namespaces held by fds (nsid assigned in nsid cells). */
static void ns_new_many(int *fds, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		fds[i] = ns_new(NULL);
		alive++;
		if (cur_nsid)
			nsid_assign(&home_nl, fds[i]);
	}
}

/* Set the limit so that a probe succeeds once `remaining` are left. */
static void arm(long remaining)
{
	set_limit(remaining + 1);
}

/*
 * The contended case's start probe creates namespaces while we wait for a
 * drain.  It holds them (counted in held) until the drain is seen, and it
 * and the drain probe take turns at the ucount: the limit is armed only
 * while the gate is ours, so the start probe never meets it.
 */
struct ns_gate {
	atomic_int busy;
	atomic_long held;
};

static int gate_try(struct ns_gate *g)
{
	int idle = 0;

	return atomic_compare_exchange_strong(&g->busy, &idle, 1);
}

static void gate_put(struct ns_gate *g)
{
	atomic_store(&g->busy, 0);
}

/*
 * One drain probe: 0 when it created a namespace (the caller is in it),
 * else -1 with errno (ENOSPC: not drained yet).  With a gate, the limit is
 * armed for this probe only and the gate stays taken on success, until
 * wait_drained() has opened the limit again.
 */
static int drain_probe(struct ns_gate *g)
{
	int err;

	if (!g)
		return unshare(CLONE_NEWNET);
	if (!gate_try(g)) {
		errno = ENOSPC;
		return -1;
	}
	arm(alive + atomic_load(&g->held));
	if (!unshare(CLONE_NEWNET))
		return 0;
	err = errno;
	set_limit(open_limit);
	gate_put(g);
	errno = err;
	return -1;
}

/*
 * Wait until the ucount shows that at most `alive` namespaces of ours
 * exist (plus those the start probe holds, with a gate).  Without a gate,
 * max_net_namespaces must already be alive + 1 (see arm()).  Returns the
 * time from t0 to the start of the first successful probe; the probe's
 * namespace becomes the new spare.
 */
static uint64_t wait_drained(uint64_t t0, const char *what, long timeout_s,
			     struct ns_gate *g)
{
	uint64_t t, tmo = (uint64_t)timeout_s * 1000000000ull;
	int noted = 0;

	for (;;) {
		t = now_ns();
		if (!drain_probe(g))
			break;
		if (errno != ENOSPC)
			die("%s: probe unshare(CLONE_NEWNET): %m", what);
		if (t - t0 > tmo)
			die("%s: dropped namespaces not freed after %ld s (limit %ld)",
			    what, timeout_s,
			    alive + (g ? atomic_load(&g->held) : 0) + 1);
		if (!noted && t - t0 > 60000000000ull) {
			fprintf(stderr, "# %s: still waiting for the drain (60 s)\n",
				what);
			noted = 1;
		}
		sleep_us(opt.poll_us);
	}
	spare_fd = open(SELF_NET, O_RDONLY | O_CLOEXEC);
	if (spare_fd < 0)
		die("open %s: %m", SELF_NET);
	if (setns(home_fd, CLONE_NEWNET))
		die("setns(home): %m");
	alive++;
	set_limit(open_limit);
	if (g)
		gate_put(g);
	if (cur_nsid)
		nsid_assign(&home_nl, spare_fd);
	return t - t0;
}

/* Drop n namespaces and the spare; returns the time before the first close(). */
static uint64_t drop(int *fds, long n)
{
	uint64_t t0 = now_ns();
	long i;

	if (spare_fd >= 0) {
		close(spare_fd);
		spare_fd = -1;
		alive--;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	alive -= n;
	return t0;
}

/*
 * Drop n namespaces (and the spare) and return the time until all of them
 * are freed.  The timed window starts before the first close().
 */
static uint64_t drop_and_wait(int *fds, long n, const char *what)
{
	arm(alive - n - (spare_fd >= 0));
	return wait_drained(drop(fds, n), what, opt.timeout_s, NULL);
}

static double ms(uint64_t ns)
{
	return ns / 1e6;
}

/* --------------------------------------------------------------- selftest */

static long st_base_objs = -1, st_base_alive;

/*
 * A drain leaves the last struct net released by the cleanup worker
 * waiting for one more pass (stock) or for the pass or a delayed work
 * item a second later, whichever comes first (netns-core).  Let that
 * second pass, so that both counts are taken in the same state.
 */
#define ST_LATE_FREE_US	1500000

static void st_baseline(void)
{
	/* The flush frees the struct net whose free the last pass deferred. */
	drop_and_wait(NULL, 0, "selftest baseline");
	sleep_us(ST_LATE_FREE_US);
	st_base_objs = slab_objs();
	st_base_alive = alive;
	printf("# baseline: net_namespace active_objs=%ld with %ld of ours alive, slabinfo %s\n",
	       st_base_objs, st_base_alive,
	       st_base_objs < 0 ? "has no net_namespace line" :
	       slab_exact ? "exact" : "not exact");
}

static void st_check(const char *what)
{
	long objs, exp;
	int err;

	/* The charge is exactly ours: no room at limit == alive. */
	set_limit(alive);
	if (!unshare(CLONE_NEWNET)) {
		if (setns(home_fd, CLONE_NEWNET))
			die("setns(home): %m");
		set_limit(open_limit);
		tap(0, "%s L=%ld nsid=%d: ucount holds fewer than %ld namespaces",
		    what, cur_live, cur_nsid, alive);
		drop_and_wait(NULL, 0, "selftest recovery");
	} else {
		err = errno;
		set_limit(open_limit);
		tap(err == ENOSPC,
		    "%s L=%ld nsid=%d: drained; ucount holds exactly our %ld namespaces (%s at limit %ld)",
		    what, cur_live, cur_nsid, alive, strerror(err), alive);
	}

	/* One more create/drop cycle flushes the deferred struct net free. */
	drop_and_wait(NULL, 0, "selftest flush");
	sleep_us(ST_LATE_FREE_US);
	objs = slab_objs();
	if (objs < 0 || st_base_objs < 0) {
		tap(1, "%s L=%ld nsid=%d: slabinfo agreement %s",
		    what, cur_live, cur_nsid,
		    "# SKIP no net_namespace line in /proc/slabinfo");
		return;
	}
	exp = st_base_objs + (alive - st_base_alive);
	if (slab_exact)
		tap(objs == exp,
		    "%s L=%ld nsid=%d: net_namespace active_objs %ld == %ld expected (exact slabinfo)",
		    what, cur_live, cur_nsid, objs, exp);
	else
		tap(objs <= exp + SLAB_SLACK,
		    "%s L=%ld nsid=%d: net_namespace active_objs %ld <= %ld expected + %d slack (slabinfo not exact)",
		    what, cur_live, cur_nsid, objs, exp, SLAB_SLACK);
}

static void st_done(const char *what)
{
	if (opt.selftest) {
		tap(1, "%s L=%ld nsid=%d: completed", what, cur_live, cur_nsid);
		st_check(what);
	}
}

/* ------------------------------------------------------------------ cases */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double pct(const double *sorted, long n, double p)
{
	long i = (long)(p * n + 0.999999) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return sorted[i];
}

static void case_creation(void)
{
	long i, C = opt.C;
	int *fds = xcalloc(C, sizeof(*fds));
	double *us = xcalloc(C, sizeof(*us)), sum = 0;
	uint64_t c;

	for (i = 0; i < C; i++) {
		fds[i] = ns_new(&c);
		alive++;
		us[i] = c / 1e3;
		sum += us[i];
		if (cur_nsid)
			nsid_assign(&home_nl, fds[i]);
	}
	qsort(us, C, sizeof(*us), cmp_double);
	emit("creation", "mean", sum / C, "us");
	emit("creation", "p50", pct(us, C, 0.50), "us");
	emit("creation", "p99", pct(us, C, 0.99), "us");
	drop_and_wait(fds, C, "creation: drop");
	free(us);
	free(fds);
}

static void case_batch(void)
{
	long C = opt.C;
	int *fds = xcalloc(C, sizeof(*fds));
	uint64_t t;

	ns_new_many(fds, C);
	t = drop_and_wait(fds, C, "batch_teardown");
	/* The window also frees the spare: C + 1 namespaces. */
	emit("batch_teardown", "total", ms(t), "ms");
	emit("batch_teardown", "per_ns", ms(t) / (C + 1), "ms");
	free(fds);
}

static void case_churn(void)
{
	long i, C = opt.C;
	uint64_t t0, t1, t;
	int fd;

	t0 = now_ns();
	if (spare_fd >= 0) {
		close(spare_fd);
		spare_fd = -1;
		alive--;
	}
	for (i = 0; i < C; i++) {
		fd = ns_new(NULL);
		if (cur_nsid)
			nsid_assign(&home_nl, fd);
		close(fd);
	}
	t1 = now_ns();
	arm(alive);
	t = wait_drained(t0, "churn", opt.timeout_s, NULL);
	emit("churn", "total", ms(t), "ms");
	emit("churn", "per_ns", ms(t) / (C + 1), "ms");
	emit("churn", "loop", ms(t1 - t0), "ms");
	emit("churn", "backlog", ms(t - (t1 - t0)), "ms");
}

struct par_msg {
	int32_t kind;		/* 'r' ready, 't' timed loop done, 'n' nsids done */
	int32_t err;
	uint64_t t0, t1;
};

static void par_child(int go, int res, int rel, long n)
{
	struct par_msg m = { .kind = 'r' };
	long i;
	struct nsc_nl nl;
	char c;
	int *fds;

	role = ROLE_CHILD;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fds = xcalloc(n, sizeof(*fds));
	if (write(res, &m, sizeof(m)) != sizeof(m))
		_exit(EXIT_FAIL);
	if (read(go, &c, 1) != 1)
		_exit(EXIT_FAIL);
	m.kind = 't';
	m.t0 = now_ns();
	for (i = 0; i < n; i++)
		fds[i] = ns_new(NULL);
	m.t1 = now_ns();
	if (write(res, &m, sizeof(m)) != sizeof(m))
		_exit(EXIT_FAIL);
	/* Every namespace gets its nsid before the drop (not timed). */
	if (cur_nsid) {
		nl_open(&nl);
		for (i = 0; i < n; i++)
			nsid_assign(&nl, fds[i]);
	}
	m.kind = 'n';
	if (write(res, &m, sizeof(m)) != sizeof(m))
		_exit(EXIT_FAIL);
	/* Hold the namespaces until the parent closes the release pipe. */
	while (read(rel, &c, 1) > 0)
		;
	_exit(0);
}

static void par_read(int fd, int kind, struct par_msg *m)
{
	ssize_t n;

	do {
		n = read(fd, m, sizeof(*m));
	} while (n < 0 && errno == EINTR);
	if (n != sizeof(*m) || m->kind != kind)
		die("parallel: a child failed (see above)");
}

static void case_parallel(void)
{
	long per = opt.C / 2 > 0 ? opt.C / 2 : 1;
	int go[2], rel[2], res[2][2], k, status;
	struct par_msg m[2];
	uint64_t start, end;
	pid_t pid[2];

	if (pipe2(go, O_CLOEXEC) || pipe2(rel, O_CLOEXEC))
		die("pipe: %m");
	fflush(stdout);
	fflush(stderr);
	for (k = 0; k < 2; k++) {
		if (pipe2(res[k], O_CLOEXEC))
			die("pipe: %m");
		pid[k] = fork();
		if (pid[k] < 0)
			die("fork: %m");
		if (!pid[k]) {
			close(go[1]);
			close(rel[1]);
			close(res[k][0]);
			par_child(go[0], res[k][1], rel[0], per);
		}
		close(res[k][1]);
	}
	close(go[0]);
	close(rel[0]);
	for (k = 0; k < 2; k++)
		par_read(res[k][0], 'r', &m[k]);
	if (write(go[1], "gg", 2) != 2)
		die("parallel: start: %m");
	for (k = 0; k < 2; k++)
		par_read(res[k][0], 't', &m[k]);
	start = m[0].t0 < m[1].t0 ? m[0].t0 : m[1].t0;
	end = m[0].t1 > m[1].t1 ? m[0].t1 : m[1].t1;
	for (k = 0; k < 2; k++) {
		struct par_msg d;

		par_read(res[k][0], 'n', &d);
		close(res[k][0]);
	}
	emit("parallel", "rate", 2.0 * per / ((end - start) / 1e9), "ns_per_s");
	emit("parallel", "wall", ms(end - start), "ms");

	/* Release the children: their namespaces die with them. */
	close(go[1]);
	close(rel[1]);
	for (k = 0; k < 2; k++) {
		while (waitpid(pid[k], &status, 0) < 0)
			if (errno != EINTR)
				die("waitpid: %m");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("parallel: child %d failed (status 0x%x)", k, status);
	}
	drop_and_wait(NULL, 0, "parallel: drop");
}

static void case_memory(void)
{
	long M = opt.M, sa, sb;
	int *fds = xcalloc(M, sizeof(*fds));
	struct meminfo a, b;

	/* Let RCU-deferred frees of the last drain settle. */
	sleep_us(200000);
	read_meminfo(&a);
	sa = slab_objs();
	ns_new_many(fds, M);
	sleep_us(200000);
	read_meminfo(&b);
	sb = slab_objs();
	emit("memory", "kernel_per_1000", (mem_kernel(&b) - mem_kernel(&a)) * 1000.0 / M, "kB");
	emit("memory", "used_per_1000",
	     ((b.total - b.free) - (a.total - a.free)) * 1000.0 / M, "kB");
	if (sa >= 0 && sb >= 0) {
		emit("memory", "slab_net_namespace_before", sa, "objs");
		emit("memory", "slab_net_namespace_after", sb, "objs");
	}
	drop_and_wait(fds, M, "memory: drop");
	free(fds);
}

/*
 * Contended case: L namespaces held by fds are dropped at once and, until
 * the drain is seen, two probe processes measure what a user waits for
 * meanwhile, every CONT_PERIOD_NS (the veth probe half a period later):
 * "start", unshare(CLONE_NEWNET) + setns() back home as in ns_new(), and
 * "veth", creating and deleting a veth pair in the home namespace.
 */
enum { CONT_START, CONT_VETH, CONT_NR };

static const char *const cont_names[CONT_NR] = {
	[CONT_START] = "start",
	[CONT_VETH] = "veth",
};

struct cont_probe {
	long n;				/* successful operations, in us[] */
	long errors;			/* failed ones, by errno in hist */
	struct nsc_errno_hist hist;
	int capped;			/* stopped before the drain was seen */
	uint64_t span;			/* from go to the end of the last one */
	double us[CONT_MAX_OPS];
};

/* Shared with the probes (nsc_shared_alloc()). */
struct cont_shared {
	struct ns_gate gate;
	atomic_int stop;
	struct cont_probe probe[CONT_NR];
};

/*
 * The start probe keeps every namespace it creates (the fds stay open
 * until it exits), so that the drain probe can tell the dropped ones from
 * them.  The gate keeps the drain probe's limit away from its unshare().
 */
static int cont_start(struct ns_gate *g, uint64_t *cost)
{
	int fd;

	while (!gate_try(g))
		sched_yield();
	fd = ns_try_new(cost);
	if (fd >= 0)
		atomic_fetch_add(&g->held, 1);
	gate_put(g);
	return fd < 0 ? -errno : 0;
}

/* RTM_DELLINK by name: the peer goes with it. */
static int link_del_name(struct nsc_nl *nl, const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_DELLINK, 0, &ifi, sizeof(ifi));
	nsc_attr_put_str(&m, IFLA_IFNAME, name);
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

/* Create and delete the veth pair of iteration i; *cost gets the pair. */
static int cont_veth(struct nsc_nl *nl, long i, uint64_t *cost)
{
	char name[IFNAMSIZ], peer[IFNAMSIZ];
	int err, id = getpid() % 10000000;
	uint64_t t0;

	snprintf(name, sizeof(name), "nb%da%ld", id, i);
	snprintf(peer, sizeof(peer), "nb%db%ld", id, i);
	t0 = now_ns();
	err = nsc_veth_add(nl, name, peer, 0, 0);
	if (err)
		return err;
	err = link_del_name(nl, name);
	*cost = now_ns() - t0;
	/* Not timed: one more try, so that nothing is left behind. */
	if (err && link_del_name(nl, name) && nsc_link_index(nl, name) > 0)
		fprintf(stderr, "# contended: veth %s left behind\n", name);
	return err;
}

static void cont_child(struct cont_shared *sh, int k, int go, int rdy, int rel)
{
	struct cont_probe *p = &sh->probe[k];
	uint64_t start, next, end, cost;
	struct nsc_nl nl;
	char c = 'r';
	long i;
	int err;

	role = ROLE_CHILD;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The spare dies with the batch: drop our reference to it. */
	if (spare_fd >= 0)
		close(spare_fd);
	if (k == CONT_VETH)
		nl_open(&nl);
	if (write(rdy, &c, 1) != 1)
		_exit(EXIT_FAIL);
	close(rdy);
	/* Go: the parent closes the pipe. */
	if (read(go, &c, 1))
		_exit(EXIT_FAIL);
	start = now_ns();
	next = start + k * CONT_PERIOD_NS / CONT_NR;
	end = start + CONT_CAP_S * 1000000000ull;
	p->capped = 1;
	for (i = 0; i < CONT_MAX_OPS; i++) {
		sleep_until(next);
		if (atomic_load(&sh->stop)) {
			p->capped = 0;
			break;
		}
		if (now_ns() >= end)
			break;
		if (k == CONT_START)
			err = cont_start(&sh->gate, &cost);
		else
			err = cont_veth(&nl, i, &cost);
		if (err) {
			p->errors++;
			nsc_errno_hist_add(&p->hist, err);
		} else {
			p->us[p->n++] = cost / 1e3;
		}
		p->span = now_ns() - start;
		/* Ticks an operation overran are skipped. */
		while (next <= start + p->span)
			next += CONT_PERIOD_NS;
	}
	/* Hold the namespaces until the parent closes the release pipe. */
	while (read(rel, &c, 1) > 0)
		;
	_exit(0);
}

static void cont_emit(int k, struct cont_probe *p)
{
	const char *name = cont_names[k];
	char m[32], hist[256];

	snprintf(m, sizeof(m), "%s_ops", name);
	emit("contended", m, p->n, "ops");
	snprintf(m, sizeof(m), "%s_errors", name);
	emit("contended", m, p->errors, "ops");
	if (p->errors)
		printf("# contended L=%ld nsid=%d: %s errors %s\n", cur_live,
		       cur_nsid, name,
		       nsc_errno_hist_str(&p->hist, hist, sizeof(hist)));
	if (p->capped)
		printf("# contended L=%ld nsid=%d: %s capped: %ld operations in %.0f ms\n",
		       cur_live, cur_nsid, name, p->n + p->errors, ms(p->span));
	if (!p->n)
		return;
	qsort(p->us, p->n, sizeof(*p->us), cmp_double);
	snprintf(m, sizeof(m), "%s_p50", name);
	emit("contended", m, pct(p->us, p->n, 0.50), "us");
	snprintf(m, sizeof(m), "%s_p99", name);
	emit("contended", m, pct(p->us, p->n, 0.99), "us");
	snprintf(m, sizeof(m), "%s_max", name);
	emit("contended", m, p->us[p->n - 1], "us");
}

static void case_contended(void)
{
	struct cont_shared *sh = nsc_shared_alloc(sizeof(*sh));
	int go[2], rdy[2], rel[2], k, status;
	long n = cur_live;
	pid_t pid[CONT_NR];
	uint64_t t;
	int *fds;
	char c;

	if (!sh)
		die("contended: shared memory: %m");
	if (pipe2(go, O_CLOEXEC) || pipe2(rdy, O_CLOEXEC) || pipe2(rel, O_CLOEXEC))
		die("pipe: %m");
	/* The probes exist before the batch: they hold none of its fds. */
	fflush(stdout);
	fflush(stderr);
	for (k = 0; k < CONT_NR; k++) {
		pid[k] = fork();
		if (pid[k] < 0)
			die("fork: %m");
		if (!pid[k]) {
			close(go[1]);
			close(rdy[0]);
			close(rel[1]);
			cont_child(sh, k, go[0], rdy[1], rel[0]);
		}
	}
	close(go[0]);
	close(rdy[1]);
	close(rel[0]);
	for (k = 0; k < CONT_NR; k++)
		if (read(rdy[0], &c, 1) != 1)
			die("contended: a probe failed (see above)");
	close(rdy[0]);

	fds = xcalloc(n, sizeof(*fds));
	ns_new_many(fds, n);
	/* Go: the probes start with the first close(). */
	close(go[1]);
	t = wait_drained(drop(fds, n), "contended", opt.timeout_s, &sh->gate);
	atomic_store(&sh->stop, 1);
	close(rel[1]);
	for (k = 0; k < CONT_NR; k++) {
		while (waitpid(pid[k], &status, 0) < 0)
			if (errno != EINTR)
				die("waitpid: %m");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("contended: the %s probe failed (status 0x%x)",
			    cont_names[k], status);
	}
	/* The window also frees the spare: L + 1 namespaces. */
	emit("contended", "teardown", ms(t), "ms");
	for (k = 0; k < CONT_NR; k++)
		cont_emit(k, &sh->probe[k]);
	/* What the start probe held (not timed). */
	drop_and_wait(NULL, 0, "contended: drop the probe's namespaces");
	nsc_shared_free(sh, sizeof(*sh));
	free(fds);
}

static int want(int c)
{
	return opt.cases & (1u << c);
}

/*
 * Namespaces of ours a case adds to n_live live ones, at most: C or M, or
 * the contended case's batch of n_live and what its start probe holds.
 */
static long case_extra(long n_live)
{
	long extra = opt.C > opt.M ? opt.C : opt.M;

	if (want(C_CONTENDED) && n_live && n_live + CONT_MAX_OPS > extra)
		extra = n_live + CONT_MAX_OPS;
	return extra;
}

/*
 * Build L live namespaces.  Stops early (returns fewer) when the memory
 * they would take, with room for the cases, does not fit.
 */
static long build_live(int *fds, long n_live)
{
	long i, per_kb, extra = case_extra(n_live);
	struct meminfo m0, m;
	long reserve;

	read_meminfo(&m0);
	reserve = m0.total / 20 > 65536 ? m0.total / 20 : 65536;
	for (i = 0; i < n_live; i++) {
		if (i && !(i % 256)) {
			read_meminfo(&m);
			per_kb = (m0.avail - m.avail) / i;
			if (per_kb < 1)
				per_kb = 1;
			if (m.avail - per_kb * (n_live - i + extra) < reserve)
				return i;
		}
		if (i && !(i % 1000))
			fprintf(stderr, "# n_live=%ld nsid=%d: %ld live namespaces\n",
				n_live, cur_nsid, i);
		fds[i] = ns_new(NULL);
		alive++;
		if (cur_nsid)
			nsid_assign(&home_nl, fds[i]);
	}
	return n_live;
}

static long mem_cap = LONG_MAX;

static void check_clock(void)
{
	char cs[64];

	if (opt.selftest || clock_is_tsc(cs, sizeof(cs)))
		return;
	printf("# clocksource changed to '%s': refusing to measure\n", cs);
	fflush(stdout);
	exit(EXIT_CLOCK);
}

static void run_cell(long n_live, int nsid)
{
	int *live = NULL;
	long built = 0;
	uint64_t t;

	check_clock();
	cur_live = n_live;
	cur_nsid = nsid;
	if (n_live >= mem_cap) {
		printf("# skip L=%ld nsid=%d: does not fit in memory\n", n_live, nsid);
		return;
	}
	/* A fresh spare that has (or lacks) an nsid like everything else. */
	drop_and_wait(NULL, 0, "cell start");
	fprintf(stderr, "# L=%ld nsid=%d\n", n_live, nsid);

	if (n_live) {
		live = xcalloc(n_live, sizeof(*live));
		built = build_live(live, n_live);
		if (built < n_live) {
			printf("# skip L=%ld nsid=%d: %s after %ld live namespaces\n",
			       n_live, nsid, "MemAvailable too low", built);
			mem_cap = n_live;
			drop_and_wait(live, built, "skip: drop");
			free(live);
			return;
		}
	}
	if (opt.selftest)
		st_check("live build");

	if (want(C_CREATION)) {
		case_creation();
		st_done("creation");
	}
	if (want(C_BATCH)) {
		case_batch();
		st_done("batch_teardown");
	}
	if (want(C_CHURN)) {
		case_churn();
		st_done("churn");
	}
	if (want(C_PARALLEL)) {
		case_parallel();
		st_done("parallel");
	}
	if (want(C_MEMORY)) {
		case_memory();
		st_done("memory");
	}
	if (want(C_CONTENDED) && n_live) {
		case_contended();
		st_done("contended");
	}

	t = drop_and_wait(live, n_live, "live_teardown");
	if (want(C_LIVE) && n_live) {
		emit("live_teardown", "total", ms(t), "ms");
		emit("live_teardown", "per_ns", ms(t) / (n_live + 1), "ms");
		st_done("live_teardown");
	} else if (opt.selftest) {
		st_check("live drop");
	}
	free(live);
	check_clock();
}

/* ----------------------------------------------------------------- worker */

/* Global mode is only hermetic when every process shares one namespace. */
static void global_guard(void)
{
	struct stat self, st;
	char path[300];
	struct dirent *d;
	DIR *dir;

	if (stat("/proc/1/ns/net", &st) || stat(SELF_NET, &self))
		die("stat /proc/*/ns/net: %m");
	if (st.st_ino != self.st_ino)
		die("--ucount global: not in the initial network namespace");
	dir = opendir("/proc");
	if (!dir)
		die("/proc: %m");
	while ((d = readdir(dir))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		if (stat(path, &st))
			continue;
		if (st.st_ino != self.st_ino)
			die("--ucount global: process %s is in another network namespace, %s",
			    d->d_name, "the limit is shared with it (use --ucount userns)");
	}
	closedir(dir);
}

/*
 * Global mode: is the home namespace itself charged to the count we read?
 * The initial namespace is not; one created inside a non-initial user
 * namespace (e.g. a container we run in) is.
 */
static int home_charged(void)
{
	struct stat owner_st, self_st;
	unsigned long a, b, c;
	char map[256];
	int owner;

	owner = ioctl(home_fd, NS_GET_USERNS);
	if (owner < 0)
		die("NS_GET_USERNS: %m");
	if (fstat(owner, &owner_st) || stat("/proc/self/ns/user", &self_st))
		die("stat user namespace: %m");
	close(owner);
	if (owner_st.st_ino != self_st.st_ino || owner_st.st_dev != self_st.st_dev)
		return 0;
	/* Owned by our user namespace: charged unless that is the initial one. */
	if (read_str("/proc/self/uid_map", map, sizeof(map)))
		die("read /proc/self/uid_map: %m");
	if (sscanf(map, "%lu %lu %lu", &a, &b, &c) == 3 && !a && !b &&
	    c == 4294967295ul && !strchr(map, '\n'))
		return 0;
	return 1;
}

static void worker_setup(void)
{
	long v;

	if (opt.global) {
		global_guard();
		alive = 0;
	} else {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
			die("unshare(CLONE_NEWUSER|CLONE_NEWNET): %m (try --ucount global)");
		if (libc_ret(nsc_write_file("/proc/self/setgroups", "deny")) ||
		    libc_ret(nsc_write_file("/proc/self/uid_map", "0 0 1")) ||
		    libc_ret(nsc_write_file("/proc/self/gid_map", "0 0 1")))
			die("user namespace id maps: %m");
		/* The home namespace is charged to the new user namespace. */
		alive = 1;
	}
	home_fd = open(SELF_NET, O_RDONLY | O_CLOEXEC);
	if (home_fd < 0)
		die("open %s: %m", SELF_NET);
	if (opt.global)
		alive = home_charged();
	/* In userns mode this is the private user namespace's limit. */
	maxns_fd = open(MAXNS_PATH, O_RDWR | O_CLOEXEC);
	if (maxns_fd < 0)
		die("open %s: %m", MAXNS_PATH);
	if (libc_ret(nsc_read_long(MAXNS_PATH, &v)))
		die("read %s: %m", MAXNS_PATH);
	open_limit = v;
	if (opt.global) {
		/* Inherited from the supervisor: the values before any change. */
		if (sup_maxns_changed)
			w_maxns_len = snprintf(w_maxns_buf, sizeof(w_maxns_buf),
					       "%ld\n", sup_orig_maxns);
		if (sup_nr_open_changed)
			w_nr_open_len = snprintf(w_nr_open_buf, sizeof(w_nr_open_buf),
						 "%ld\n", sup_orig_nr_open);
		w_restore_active = 1;
	}
	nl_open(&home_nl);
}

static int worker_main(pid_t sup)
{
	struct sigaction sa;
	struct utsname u;
	char cs[64];
	int i, k;

	role = ROLE_WORKER;
	atexit(w_atexit);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = w_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != sup)
		_exit(EXIT_FAIL);

	worker_setup();
	slab_exact = slab_is_exact();
	uname(&u);
	clock_is_tsc(cs, sizeof(cs));

	if (opt.selftest)
		printf("TAP version 13\n");
	printf("# netns_bench kernel=%s release=%s mode=%s clocksource=%s cpus=%ld C=%ld M=%ld L=",
	       kernel_label, u.release, opt.global ? "global" : "userns", cs,
	       sysconf(_SC_NPROCESSORS_ONLN), opt.C, opt.M);
	for (i = 0; i < opt.n_live; i++)
		printf("%s%ld", i ? "," : "", opt.live[i]);
	printf(" nsid=%s slabinfo=%s poll_us=%ld\n",
	       opt.nsid_on && opt.nsid_off ? "both" : opt.nsid_on ? "on" : "off",
	       slab_objs() < 0 ? "unreadable" : slab_exact ? "exact" : "not-exact",
	       opt.poll_us);
	fflush(stdout);

	/*
	 * First settle: also waits for namespaces of ours (global mode: of
	 * uid 0) dropped before we started, and creates the first spare.
	 */
	arm(alive);
	wait_drained(now_ns(), "initial settle",
		     opt.timeout_s < SETTLE_TIMEOUT_S ? opt.timeout_s : SETTLE_TIMEOUT_S,
		     NULL);
	if (opt.selftest)
		st_baseline();

	for (i = 0; i < opt.n_live; i++)
		for (k = 0; k < 2; k++) {
			if ((k == 0 && !opt.nsid_off) || (k == 1 && !opt.nsid_on))
				continue;
			run_cell(opt.live[i], k);
		}

	/* The last spare drains after we exit. */
	if (spare_fd >= 0) {
		close(spare_fd);
		spare_fd = -1;
	}
	if (opt.selftest) {
		printf("1..%d\n# selftest: %s (%d ok, %d not ok)\n",
		       st_n, st_fail ? "FAIL" : "PASS", st_n - st_fail, st_fail);
		fflush(stdout);
		return st_fail ? EXIT_FAIL : 0;
	}
	printf("# done\n");
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------------------- supervisor */

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: netns_bench [options]\n"
		"  -L, --live LIST      live namespace counts (default 0,1000,10000)\n"
		"  -C, --count N        namespaces per case (default 1000)\n"
		"  -M, --mem-count N    namespaces created by the memory case (default: C)\n"
		"      --nsid both|on|off   cells with / without nsids (default both)\n"
		"      --cases LIST     creation,batch_teardown,churn,parallel,memory,live_teardown,\n"
		"                       contended or all\n"
		"      --selftest       small sizes (L=10, C=20 unless given), asserts\n"
		"                       completion and ucount/slabinfo agreement, TAP output\n"
		"      --ucount userns|global   where the drain limit is set (default userns)\n"
		"      --label NAME     kernel= field of the output (default uname -r)\n"
		"      --poll-us N      drain probe interval (default 1000)\n"
		"      --timeout S      give up on a drain after S seconds (default 3600)\n"
		"exit: 0 ok, 1 failure, 2 usage, 3 clocksource is not tsc\n");
}

static long parse_num(const char *s, const char *what, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min) {
		fprintf(stderr, "netns_bench: bad %s '%s'\n", what, s);
		exit(EXIT_USAGE);
	}
	return v;
}

static void parse_opts(int argc, char **argv)
{
	enum { O_NSID = 256, O_CASES, O_SELFTEST, O_UCOUNT, O_LABEL, O_POLL, O_TMO };
	static const struct option lo[] = {
		{ "live", required_argument, NULL, 'L' },
		{ "count", required_argument, NULL, 'C' },
		{ "mem-count", required_argument, NULL, 'M' },
		{ "nsid", required_argument, NULL, O_NSID },
		{ "cases", required_argument, NULL, O_CASES },
		{ "selftest", no_argument, NULL, O_SELFTEST },
		{ "ucount", required_argument, NULL, O_UCOUNT },
		{ "label", required_argument, NULL, O_LABEL },
		{ "poll-us", required_argument, NULL, O_POLL },
		{ "timeout", required_argument, NULL, O_TMO },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *s, *tok, *save;
	int c, i;

	while ((c = getopt_long(argc, argv, "L:C:M:h", lo, NULL)) != -1) {
		switch (c) {
		case 'L':
			s = strdup(optarg);
			opt.n_live = 0;
			for (tok = strtok_r(s, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (opt.n_live == MAX_L) {
					fprintf(stderr, "netns_bench: at most %d L values\n",
						MAX_L);
					exit(EXIT_USAGE);
				}
				opt.live[opt.n_live++] = parse_num(tok, "L", 0);
			}
			free(s);
			if (!opt.n_live) {
				fprintf(stderr, "netns_bench: empty -L\n");
				exit(EXIT_USAGE);
			}
			opt.live_set = 1;
			break;
		case 'C':
			opt.C = parse_num(optarg, "C", 2);
			opt.C_set = 1;
			break;
		case 'M':
			opt.M = parse_num(optarg, "M", 1);
			opt.M_set = 1;
			break;
		case O_NSID:
			opt.nsid_off = strcmp(optarg, "on") != 0;
			opt.nsid_on = strcmp(optarg, "off") != 0;
			if (strcmp(optarg, "on") && strcmp(optarg, "off") &&
			    strcmp(optarg, "both")) {
				fprintf(stderr, "netns_bench: --nsid both|on|off\n");
				exit(EXIT_USAGE);
			}
			break;
		case O_CASES:
			opt.cases = 0;
			s = strdup(optarg);
			for (tok = strtok_r(s, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (!strcmp(tok, "all")) {
					opt.cases = (1u << C_NR) - 1;
					continue;
				}
				for (i = 0; i < C_NR; i++)
					if (!strcmp(tok, case_names[i]))
						break;
				if (i == C_NR) {
					fprintf(stderr, "netns_bench: unknown case '%s'\n", tok);
					exit(EXIT_USAGE);
				}
				opt.cases |= 1u << i;
			}
			free(s);
			break;
		case O_SELFTEST:
			opt.selftest = 1;
			break;
		case O_UCOUNT:
			if (!strcmp(optarg, "global")) {
				opt.global = 1;
			} else if (!strcmp(optarg, "userns")) {
				opt.global = 0;
			} else {
				fprintf(stderr, "netns_bench: --ucount userns|global\n");
				exit(EXIT_USAGE);
			}
			break;
		case O_LABEL:
			opt.label = optarg;
			break;
		case O_POLL:
			opt.poll_us = parse_num(optarg, "poll interval", 1);
			break;
		case O_TMO:
			opt.timeout_s = parse_num(optarg, "timeout", 1);
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default:
			print_usage(stderr);
			exit(EXIT_USAGE);
		}
	}
	if (optind != argc) {
		print_usage(stderr);
		exit(EXIT_USAGE);
	}
	if (!opt.live_set) {
		if (opt.selftest) {
			opt.live[0] = 10;
			opt.n_live = 1;
		} else {
			opt.live[0] = 0;
			opt.live[1] = 1000;
			opt.live[2] = 10000;
			opt.n_live = 3;
		}
	}
	if (opt.selftest && !opt.C_set)
		opt.C = 20;
	/* The memory case follows -C unless -M is given. */
	if (!opt.M_set)
		opt.M = opt.C;
}

/* Raise the global limits the run needs; the originals come back at exit. */
static void sup_limits(void)
{
	long lmax = 0, fds, nsn, cur;
	struct rlimit rl;
	int i;

	for (i = 0; i < opt.n_live; i++)
		if (opt.live[i] > lmax)
			lmax = opt.live[i];
	fds = lmax + case_extra(lmax) + FD_MARGIN;
	nsn = lmax + case_extra(lmax) + NS_MARGIN;

	if (libc_ret(nsc_read_long(NR_OPEN_PATH, &cur)))
		die("read %s: %m", NR_OPEN_PATH);
	if (cur < fds) {
		sup_orig_nr_open = cur;
		sup_nr_open_changed = 1;
		if (libc_ret(nsc_write_long(NR_OPEN_PATH, fds)))
			die("raise %s to %ld: %m", NR_OPEN_PATH, fds);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl))
		die("getrlimit: %m");
	if (rl.rlim_cur < (rlim_t)fds || rl.rlim_max < (rlim_t)fds) {
		if (rl.rlim_max < (rlim_t)fds)
			rl.rlim_max = fds;
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			die("setrlimit(RLIMIT_NOFILE, %ld): %m", fds);
	}

	/*
	 * Every namespace is also charged to uid 0 in the initial user
	 * namespace, whose limit (max_threads / 2 by default) may be too low.
	 * Global mode writes this limit from the worker; it is restored here
	 * in any case.
	 */
	if (libc_ret(nsc_read_long(MAXNS_PATH, &cur)))
		die("read %s: %m", MAXNS_PATH);
	sup_orig_maxns = cur;
	if (opt.global)
		sup_maxns_changed = 1;
	if (cur < nsn) {
		sup_maxns_changed = 1;
		if (libc_ret(nsc_write_long(MAXNS_PATH, nsn)))
			die("raise %s to %ld: %m", MAXNS_PATH, nsn);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct utsname u;
	int status, rc;
	char cs[64];
	pid_t pid;

	parse_opts(argc, argv);
	if (geteuid()) {
		fprintf(stderr, "netns_bench: must run as root\n");
		return EXIT_FAIL;
	}
	uname(&u);
	snprintf(kernel_label, sizeof(kernel_label), "%s",
		 opt.label ? opt.label : u.release);
	for (rc = 0; kernel_label[rc]; rc++)
		if (isspace((unsigned char)kernel_label[rc]) || kernel_label[rc] == '=')
			kernel_label[rc] = '_';
	if (!opt.selftest && !clock_is_tsc(cs, sizeof(cs))) {
		printf("# clocksource is '%s', not tsc: refusing to measure\n", cs);
		fprintf(stderr, "netns_bench: clocksource is '%s', not tsc: %s\n",
			cs, "refusing to measure");
		return EXIT_CLOCK;
	}

	atexit(sup_restore);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sup_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sup_limits();

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		die("fork: %m");
	if (!pid)
		exit(worker_main(getppid()));
	__atomic_store_n(&sup_worker, pid, __ATOMIC_RELAXED);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %m");
	__atomic_store_n(&sup_worker, 0, __ATOMIC_RELAXED);
	sup_restore();

	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else
		rc = 128 + WTERMSIG(status);
	if (WIFSIGNALED(status))
		fprintf(stderr, "netns_bench: worker killed by signal %d\n", WTERMSIG(status));
	if (!opt.selftest && rc != EXIT_CLOCK && !clock_is_tsc(cs, sizeof(cs))) {
		printf("# clocksource is '%s' at the end, not tsc: results invalid\n", cs);
		fprintf(stderr, "netns_bench: clocksource is '%s' at the end, not tsc\n", cs);
		return EXIT_CLOCK;
	}
	return rc;
}
