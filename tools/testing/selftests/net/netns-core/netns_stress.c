// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded concurrency stress of the network namespace core.
 *
 * For NETNS_STRESS_SECONDS (default STRESS_SECONDS_DEFAULT) these run at
 * the same time, as separate processes, inside a private user namespace
 * whose max_net_namespaces is STRESS_LIMIT:
 *
 *  churn   create and drop namespaces: unshare() in a child that exits,
 *          an fd that is closed, a veth pair spanning two new namespaces
 *          that both die, a namespace whose last reference is a socket;
 *  spawn   keeps NR_SLOTS short-lived "owner" processes alive, each in its
 *          own netns (lo up), exiting (or SIGKILLed) at random times; their
 *          pids are published in shared slots;
 *  setns   enter owners' namespaces through /proc/PID/ns/net or a pidfd,
 *          open a socket there, come back;
 *  sock    enter an owner's netns, open UDP, TCP (a connected pair over
 *          lo), IPv6, netlink, packet and unix sockets, leave, drop the
 *          nsfs fd and close the sockets later, possibly after the owner
 *          exited: the sockets then hold the last references;
 *  nsid    RTM_NEWNSID (auto, explicit, by pid) for owners' namespaces,
 *          RTM_GETNSID by fd, by nsid and with a target, dumps, nsids
 *          assigned inside owners' namespaces for home and other owners,
 *          and an RTNLGRP_NSID listener.
 *
 * Pass criteria: every worker exits by itself within the watchdog
 * (deadline + STRESS_GRACE_SECONDS), none crashed, no unexpected errno
 * (accepted ones are listed at the callers of ok_errno()), and afterwards
 * exactly STRESS_LIMIT - 1 namespaces can be created again: everything
 * that was created was freed and uncharged.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/nsfs.h>

#include "kselftest_harness.h"
#include "netns_util.h"

#define STRESS_SECONDS_DEFAULT	40
#define STRESS_SECONDS_ENV	"NETNS_STRESS_SECONDS"
#define STRESS_GRACE_SECONDS	30	/* watchdog: after the deadline */
#define STRESS_STUCK_MS		20000	/* no heartbeat for that long */
#define STRESS_LIMIT		48	/* max_net_namespaces */
#define STRESS_DRAIN_MS		90000	/* wait for the count to return */
#define NR_SLOTS		8
#define NL_TIMEOUT_MS		10000
#define MAX_PRINTED		20	/* unexpected errors printed */

enum role { CHURN, SPAWN, SETNS, SOCK, NSID, NR_ROLES };

static const char * const role_name[NR_ROLES] = {
	"churn", "spawn", "setns", "sock", "nsid",
};

static const int role_count[NR_ROLES] = {
	[CHURN] = 2, [SPAWN] = 1, [SETNS] = 2, [SOCK] = 2, [NSID] = 2,
};

#define NR_WORKERS	9

/* Categories of errno histograms. */
enum cat { C_OPEN, C_PIDFD, C_SETNS, C_CREATE, C_NSID, NR_CATS };
static const char * const cat_name[NR_CATS] = {
	"open_ns", "pidfd", "setns", "create", "nsid",
};

struct worker {
	pid_t pid;
	int role;
	uint64_t heartbeat;	/* __atomic: read by the main process */
	char phase[48];
	int status;
	bool exited;
	bool reported_stuck;
};

struct shared {
	int stop;		/* __atomic: read by every worker */
	uint64_t deadline;
	ino_t home_ino;
	pid_t slot[NR_SLOTS];	/* __atomic: live owners, 0 if none */
	long creations;		/* successful netns creations */
	long nsid_ops;		/* nsid requests answered */
	long setns_ok, setns_failed;
	long sockets;
	long owners, owners_killed;
	long veths;
	long notifications, notify_overruns;
	long enospc;		/* creation hit the limit (backed off) */
	struct nsc_errno_hist hist[NR_CATS];
	long unexpected;
	int printed;
	char first_unexpected[256];
	struct worker w[NR_WORKERS];
};

static struct shared *sh;
static int my_worker = -1;
static int home_fd = -1;
static unsigned int rnd_state;

static int stress_seconds(void)
{
	return nsc_env_seconds(STRESS_SECONDS_ENV, STRESS_SECONDS_DEFAULT);
}

static unsigned int rnd(unsigned int n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return n ? (rnd_state >> 8) % n : 0;
}

static void add(long *c, long v)
{
	__atomic_fetch_add(c, v, __ATOMIC_RELAXED);
}

static bool running(void)
{
	return !__atomic_load_n(&sh->stop, __ATOMIC_RELAXED) &&
	       nsc_now_ms() < sh->deadline;
}

static void phase(const char *p)
{
	struct worker *w = &sh->w[my_worker];

	snprintf(w->phase, sizeof(w->phase), "%s", p);
	__atomic_store_n(&w->heartbeat, nsc_now_ms(), __ATOMIC_RELAXED);
}

static void count_errno(enum cat c, int err)
{
	nsc_errno_hist_add(&sh->hist[c], err);
}

static __printf(1, 2) void unexpected(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (__atomic_fetch_add(&sh->unexpected, 1, __ATOMIC_RELAXED) == 0)
		snprintf(sh->first_unexpected, sizeof(sh->first_unexpected),
			 "%s", msg);
	n = __atomic_fetch_add(&sh->printed, 1, __ATOMIC_RELAXED);
	if (n < MAX_PRINTED)
		fprintf(stderr, "# stress: UNEXPECTED [%s pid %d]: %s\n",
			my_worker >= 0 ? role_name[sh->w[my_worker].role] :
					 "main", getpid(), msg);
}

/* Is err (positive or negative) one of the accepted values (0-ended)? */
static bool ok_errno(int err, ...)
{
	va_list ap;
	int e;

	if (err < 0)
		err = -err;
	va_start(ap, err);
	while ((e = va_arg(ap, int)) != 0) {
		if (e == err) {
			va_end(ap);
			return true;
		}
	}
	va_end(ap);
	return false;
}

/* Back to the home netns; failure is fatal for the worker. */
static void go_home(void)
{
	if (setns(home_fd, CLONE_NEWNET)) {
		unexpected("setns(home): %s", nsc_errno_name(errno));
		_exit(1);
	}
}

/* pid of a random live owner, 0 if none. */
static pid_t pick_owner(void)
{
	unsigned int i, start = rnd(NR_SLOTS);
	pid_t p;

	for (i = 0; i < NR_SLOTS; i++) {
		p = __atomic_load_n(&sh->slot[(start + i) % NR_SLOTS],
				    __ATOMIC_RELAXED);
		if (p > 0)
			return p;
	}
	return 0;
}

/*
 * Open /proc/PID/ns/net of a random owner.  The owner may have exited
 * (ENOENT: zombie without namespaces or gone; ESRCH) or, after a pid
 * reuse, be a foreign process (EACCES, EPERM; or the open works but the
 * netns is not owned by our user namespace: NS_GET_USERNS fails with
 * EPERM, reported as such).  Returns fd or -errno, *pid gets the owner.
 */
static int open_owner_ns(pid_t *pid)
{
	char path[64];
	int fd, userns;

	*pid = pick_owner();
	if (!*pid)
		return -EAGAIN;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", *pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		userns = ioctl(fd, NS_GET_USERNS);
		if (userns >= 0) {
			close(userns);
			return fd;
		}
		userns = -errno;
		close(fd);
		fd = userns;
	} else {
		fd = -errno;
	}
	count_errno(C_OPEN, fd);
	if (!ok_errno(fd, ENOENT, ESRCH, EACCES, EPERM, 0))
		unexpected("open(%s): %s", path, nsc_errno_name(fd));
	return fd;
}

static void backoff_enospc(void)
{
	add(&sh->enospc, 1);
	nsc_sleep_ms(20);
}

/* A creation failed with err: ENOSPC backs off, anything else is a bug. */
static void creation_failed(const char *what, int err)
{
	count_errno(C_CREATE, err);
	if (err == -ENOSPC || err == ENOSPC)
		backoff_enospc();
	else
		unexpected("%s: %s", what, nsc_errno_name(err));
}

static int set_lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s, err = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (ioctl(s, SIOCGIFFLAGS, &ifr))
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(s, SIOCSIFFLAGS, &ifr))
		err = -errno;
	close(s);
	return err;
}

static int nl_open_timeout(struct nsc_nl *nl, int nsfd)
{
	int err;

	err = nsfd >= 0 ? nsc_nl_open_in(nl, nsfd) : nsc_nl_open(nl);
	if (!err)
		err = nsc_nl_set_rcvtimeo(nl, NL_TIMEOUT_MS);
	return err;
}

/* ------------------------------------------------------------------ */
/* churn                                                               */
/* ------------------------------------------------------------------ */

static void churn_child_unshare(void)
{
	int status, s;
	pid_t pid;

	phase("churn: fork+unshare");
	pid = fork();
	if (pid < 0) {
		unexpected("fork: %s", nsc_errno_name(errno));
		return;
	}
	if (pid == 0) {
		if (unshare(CLONE_NEWNET))
			_exit(errno == ENOSPC ? 2 : 3);
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		_exit(s < 0 ? 4 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		unexpected("unshare child: status %#x", status);
		return;
	}
	switch (WEXITSTATUS(status)) {
	case 0:
		add(&sh->creations, 1);
		add(&sh->sockets, 1);
		break;
	case 2:
		creation_failed("unshare", ENOSPC);
		break;
	default:
		unexpected("unshare child: exit %d", WEXITSTATUS(status));
	}
}

static void churn_fd(void)
{
	int fd;

	phase("churn: netns fd");
	fd = nsc_netns_new();
	if (fd < 0) {
		creation_failed("nsc_netns_new", fd);
		return;
	}
	add(&sh->creations, 1);
	close(fd);
}

/* A veth pair spanning two new namespaces; both are dropped. */
static void churn_veth(void)
{
	struct nsc_nl nl = { .fd = -1 };
	int a, b, err;

	phase("churn: veth pair");
	a = nsc_netns_new();
	if (a < 0) {
		creation_failed("netns A", a);
		return;
	}
	add(&sh->creations, 1);
	b = nsc_netns_new();
	if (b < 0) {
		creation_failed("netns B", b);
		close(a);
		return;
	}
	add(&sh->creations, 1);
	err = nl_open_timeout(&nl, a);
	if (err) {
		unexpected("rtnl socket in A: %s", nsc_errno_name(err));
	} else {
		err = nsc_veth_add(&nl, "nsc-sv0", "nsc-sv1", IFLA_NET_NS_FD,
				   b);
		if (err)
			unexpected("veth A<->B: %s (%s)", nsc_errno_name(err),
				   nl.extack);
		else
			add(&sh->veths, 1);
		add(&sh->sockets, 1);
	}
	/* Drop B first: the veth dies with it, then A. */
	close(b);
	if (!err && rnd(2))
		nsc_link_dump(&nl, NSC_NO_NSID, NULL, 0);
	nsc_nl_close(&nl);
	close(a);
}

/* A netns whose last reference is a netlink socket. */
static void churn_socket_last_ref(void)
{
	struct nsc_nl nl = { .fd = -1 };
	int a, err;

	phase("churn: socket last ref");
	a = nsc_netns_new();
	if (a < 0) {
		creation_failed("netns", a);
		return;
	}
	add(&sh->creations, 1);
	err = nl_open_timeout(&nl, a);
	close(a);
	if (err) {
		unexpected("rtnl socket: %s", nsc_errno_name(err));
		return;
	}
	add(&sh->sockets, 1);
	err = nsc_dummy_add(&nl, "nsc-sd0");
	if (!err)
		err = nsc_link_set_up(&nl, 1, true);
	if (err)
		unexpected("dummy/lo in socket-pinned netns: %s (%s)",
			   nsc_errno_name(err), nl.extack);
	nsc_nl_close(&nl);
}

static void worker_churn(void)
{
	unsigned int i;

	for (i = 0; running(); i++) {
		switch (i % 4) {
		case 0:
			churn_child_unshare();
			break;
		case 1:
			churn_fd();
			break;
		case 2:
			churn_veth();
			break;
		default:
			churn_socket_last_ref();
		}
	}
}

/* ------------------------------------------------------------------ */
/* spawn: short-lived owners                                           */
/* ------------------------------------------------------------------ */

static void owner_main(int slot)
{
	int err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWNET))
		_exit(errno == ENOSPC ? 2 : 3);
	add(&sh->creations, 1);
	err = set_lo_up();
	if (err)
		_exit(4);
	__atomic_store_n(&sh->slot[slot], getpid(), __ATOMIC_RELAXED);
	nsc_sleep_ms(5 + rnd(80));
	/* Unpublish, then exit (readers may still race with the exit). */
	__sync_bool_compare_and_swap(&sh->slot[slot], getpid(), 0);
	_exit(0);
}

static void spawn_reap(pid_t *owner, bool block)
{
	int status, i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0) {
		for (i = 0; i < NR_SLOTS; i++)
			if (owner[i] == pid)
				break;
		if (i == NR_SLOTS)
			continue;
		owner[i] = 0;
		__sync_bool_compare_and_swap(&sh->slot[i], pid, 0);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			continue;	/* killed by us */
		if (!WIFEXITED(status)) {
			unexpected("owner %d: status %#x", pid, status);
			continue;
		}
		switch (WEXITSTATUS(status)) {
		case 0:
			break;
		case 2:
			count_errno(C_CREATE, ENOSPC);
			backoff_enospc();
			break;
		case 4:
			unexpected("owner %d: lo up failed", pid);
			break;
		default:
			unexpected("owner %d: exit %d", pid,
				   WEXITSTATUS(status));
		}
	}
}

static void worker_spawn(void)
{
	pid_t owner[NR_SLOTS] = { 0 };
	int i;

	while (running()) {
		phase("spawn: fork owners");
		for (i = 0; i < NR_SLOTS; i++) {
			if (owner[i])
				continue;
			owner[i] = fork();
			if (owner[i] < 0) {
				unexpected("fork: %s", nsc_errno_name(errno));
				owner[i] = 0;
				continue;
			}
			if (owner[i] == 0) {
				rnd_state ^= getpid();
				owner_main(i);
			}
			add(&sh->owners, 1);
		}
		phase("spawn: reap");
		/* Some owners die by SIGKILL at a random point. */
		i = rnd(NR_SLOTS * 4);
		if (i < NR_SLOTS && owner[i]) {
			kill(owner[i], SIGKILL);
			add(&sh->owners_killed, 1);
		}
		nsc_sleep_ms(2 + rnd(5));
		spawn_reap(owner, false);
	}
	phase("spawn: stop owners");
	for (i = 0; i < NR_SLOTS; i++)
		if (owner[i])
			kill(owner[i], SIGKILL);
	spawn_reap(owner, true);
	for (i = 0; i < NR_SLOTS; i++)
		__atomic_store_n(&sh->slot[i], 0, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------ */
/* setns                                                               */
/* ------------------------------------------------------------------ */

static void udp_socket_here(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		unexpected("socket(AF_INET) after setns: %s",
			   nsc_errno_name(errno));
		return;
	}
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)))
		unexpected("bind after setns: %s", nsc_errno_name(errno));
	add(&sh->sockets, 1);
	close(s);
}

static void setns_via_proc(void)
{
	pid_t pid;
	int fd;

	phase("setns: /proc/PID/ns/net");
	fd = open_owner_ns(&pid);
	if (fd < 0) {
		if (fd != -EAGAIN)
			add(&sh->setns_failed, 1);
		return;
	}
	phase("setns: setns(nsfs)");
	if (setns(fd, CLONE_NEWNET)) {
		count_errno(C_SETNS, errno);
		add(&sh->setns_failed, 1);
		/* Only a reused pid of a foreign process can refuse. */
		if (errno != EPERM)
			unexpected("setns(/proc/%d/ns/net): %s", pid,
				   nsc_errno_name(errno));
		close(fd);
		return;
	}
	add(&sh->setns_ok, 1);
	if (nsc_netns_ino() != nsc_fd_ino(fd))
		unexpected("setns(/proc/%d/ns/net): wrong netns", pid);
	udp_socket_here();
	go_home();
	close(fd);
}

static void setns_via_pidfd(void)
{
	int pidfd;
	pid_t pid;

	phase("setns: pidfd");
	pid = pick_owner();
	if (!pid)
		return;
	pidfd = nsc_pidfd_open(pid);
	if (pidfd < 0) {
		count_errno(C_PIDFD, pidfd);
		add(&sh->setns_failed, 1);
		if (!ok_errno(pidfd, ESRCH, 0))
			unexpected("pidfd_open(%d): %s", pid,
				   nsc_errno_name(pidfd));
		return;
	}
	phase("setns: setns(pidfd)");
	if (setns(pidfd, CLONE_NEWNET)) {
		count_errno(C_SETNS, errno);
		add(&sh->setns_failed, 1);
		/* Exited (ESRCH), or a foreign process after pid reuse. */
		if (!ok_errno(errno, ESRCH, EPERM, 0))
			unexpected("setns(pidfd %d): %s", pid,
				   nsc_errno_name(errno));
		close(pidfd);
		return;
	}
	add(&sh->setns_ok, 1);
	if (nsc_netns_ino() == sh->home_ino)
		unexpected("setns(pidfd %d): still in home", pid);
	udp_socket_here();
	go_home();
	close(pidfd);
}

static void worker_setns(void)
{
	unsigned int i;

	for (i = 0; running(); i++) {
		if (i % 2)
			setns_via_pidfd();
		else
			setns_via_proc();
		if (!pick_owner())
			nsc_sleep_ms(2);
	}
}

/* ------------------------------------------------------------------ */
/* sock: sockets in namespaces that are being dropped                  */
/* ------------------------------------------------------------------ */

#define NR_SOCKS	9

/* A socket; ok_err (0: none) is an accepted failure. */
static int sock_or_unexpected(int domain, int type, int proto,
			      const char *what, int ok_err)
{
	int s;

	s = socket(domain, type | SOCK_CLOEXEC, proto);
	if (s < 0) {
		if (errno != ok_err)
			unexpected("socket(%s): %s", what,
				   nsc_errno_name(errno));
		return -1;
	}
	add(&sh->sockets, 1);
	return s;
}

/* A connected TCP pair over lo: s[0] listener, s[1] client, s[2] server. */
static void tcp_pair(int *s)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct timeval tv = { .tv_sec = 2 };
	socklen_t len = sizeof(sin);

	s[0] = sock_or_unexpected(AF_INET, SOCK_STREAM, 0, "tcp listener", 0);
	if (s[0] < 0)
		return;
	setsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(s[0], (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(s[0], 4) ||
	    getsockname(s[0], (struct sockaddr *)&sin, &len)) {
		unexpected("tcp listen on lo: %s", nsc_errno_name(errno));
		return;
	}
	s[1] = sock_or_unexpected(AF_INET, SOCK_STREAM, 0, "tcp client", 0);
	if (s[1] < 0)
		return;
	setsockopt(s[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(s[1], (struct sockaddr *)&sin, sizeof(sin))) {
		unexpected("tcp connect on lo: %s", nsc_errno_name(errno));
		return;
	}
	s[2] = accept4(s[0], NULL, NULL, SOCK_CLOEXEC);
	if (s[2] < 0) {
		unexpected("tcp accept on lo: %s", nsc_errno_name(errno));
		return;
	}
	add(&sh->sockets, 1);
	if (send(s[1], "x", 1, MSG_DONTWAIT) != 1)
		unexpected("tcp send: %s", nsc_errno_name(errno));
}

static void sockets_in_owner_ns(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct nsc_link links[4];
	struct nsc_nl nl;
	int s[NR_SOCKS], i, fd, n;
	pid_t pid;

	phase("sock: open owner netns");
	fd = open_owner_ns(&pid);
	if (fd < 0) {
		if (fd == -EAGAIN)
			nsc_sleep_ms(2);
		return;
	}
	phase("sock: setns");
	if (setns(fd, CLONE_NEWNET)) {
		count_errno(C_SETNS, errno);
		if (errno != EPERM)
			unexpected("setns(/proc/%d/ns/net): %s", pid,
				   nsc_errno_name(errno));
		close(fd);
		return;
	}
	for (i = 0; i < NR_SOCKS; i++)
		s[i] = -1;

	phase("sock: sockets");
	tcp_pair(s);
	s[3] = sock_or_unexpected(AF_INET, SOCK_DGRAM, 0, "udp", 0);
	if (s[3] >= 0 && bind(s[3], (struct sockaddr *)&sin, sizeof(sin)))
		unexpected("udp bind: %s", nsc_errno_name(errno));
	s[4] = sock_or_unexpected(AF_INET6, SOCK_DGRAM, 0, "udp6",
				  EAFNOSUPPORT);
	s[5] = sock_or_unexpected(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL),
				  "packet", EAFNOSUPPORT);
	s[6] = sock_or_unexpected(AF_UNIX, SOCK_DGRAM, 0, "unix", 0);
	if (s[6] >= 0) {
		/* An abstract name lives in the netns. */
		snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
			 "nsc-stress-%d", getpid());
		if (bind(s[6], (struct sockaddr *)&sun, sizeof(sun)))
			unexpected("unix abstract bind: %s",
				   nsc_errno_name(errno));
	}
	if (!nl_open_timeout(&nl, -1)) {
		add(&sh->sockets, 1);
		s[7] = nl.fd;
		n = nsc_link_dump(&nl, NSC_NO_NSID, links, 4);
		if (n < 1)
			unexpected("link dump in owner netns: %d", n);
	} else {
		unexpected("rtnl socket in owner netns");
	}
	/* Refused unless ping_group_range (per netns) allows our gid. */
	s[8] = sock_or_unexpected(AF_INET, SOCK_DGRAM, IPPROTO_ICMP, "ping",
				  EACCES);
	go_home();
	close(fd);

	/* The owner may exit now: the sockets keep its netns alive. */
	phase("sock: hold sockets");
	nsc_sleep_ms(rnd(30));
	phase("sock: close sockets");
	for (i = 0; i < NR_SOCKS; i++) {
		int j = (i + rnd(NR_SOCKS)) % NR_SOCKS;

		if (s[j] >= 0) {
			close(s[j]);
			s[j] = -1;
		}
	}
	for (i = 0; i < NR_SOCKS; i++)
		if (s[i] >= 0)
			close(s[i]);
}

static void worker_sock(void)
{
	while (running())
		sockets_in_owner_ns();
}

/* ------------------------------------------------------------------ */
/* nsid                                                                */
/* ------------------------------------------------------------------ */

static void nsid_result(int err, const char *what)
{
	add(&sh->nsid_ops, 1);
	if (err)
		count_errno(C_NSID, err);
	(void)what;
}

static void drain_notifications(struct nsc_nl *mon)
{
	char buf[8192];
	ssize_t n;

	for (;;) {
		n = recv(mon->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0) {
			struct nlmsghdr *h = (struct nlmsghdr *)buf;
			int len = n;

			for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
				if (h->nlmsg_type == RTM_NEWNSID ||
				    h->nlmsg_type == RTM_DELNSID)
					add(&sh->notifications, 1);
			continue;
		}
		if (n < 0 && errno == ENOBUFS) {
			add(&sh->notify_overruns, 1);
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			unexpected("nsid listener: %s", nsc_errno_name(errno));
		return;
	}
}

/* Check that GETNSID by fd gives an id that maps back by NETNSA_NSID. */
static int check_assigned(struct nsc_nl *nl, int fd, int want)
{
	int id, back, err;

	err = nsc_nsid_get(nl, NETNSA_FD, fd, NSC_NO_NSID, &id, NULL);
	nsid_result(err, "get by fd");
	if (err) {
		unexpected("GETNSID by pinned fd: %s (%s)",
			   nsc_errno_name(err), nl->extack);
		return NSC_NO_NSID;
	}
	if (want != NSC_NO_NSID && id != want) {
		unexpected("GETNSID: id %d, assigned %d", id, want);
		return id;
	}
	if (id < 0) {
		if (want != NSC_NO_NSID)
			unexpected("GETNSID: pinned peer lost its id");
		return id;
	}
	err = nsc_nsid_get(nl, NETNSA_NSID, id, NSC_NO_NSID, &back, NULL);
	nsid_result(err, "get by nsid");
	if (err || back != id)
		unexpected("GETNSID by nsid %d of a pinned peer: %s, %d", id,
			   nsc_errno_name(err), back);
	return id;
}

static void nsid_auto(struct nsc_nl *nl, int fd)
{
	int err;

	phase("nsid: new auto");
	err = nsc_nsid_new(nl, NETNSA_FD, fd, -1);
	nsid_result(err, "new auto");
	if (err && !(err == -EEXIST &&
		     !strcmp(nl->extack, "Peer netns already has a nsid assigned"))) {
		unexpected("NEWNSID auto: %s (%s)", nsc_errno_name(err),
			   nl->extack);
		return;
	}
	/* Assigned now (by us or someone else), and pinned by fd. */
	if (check_assigned(nl, fd, NSC_NO_NSID) < 0)
		unexpected("NEWNSID auto: peer has no id afterwards");
}

static void nsid_explicit(struct nsc_nl *nl, int fd)
{
	int want = rnd(256), err;

	phase("nsid: new explicit");
	err = nsc_nsid_new(nl, NETNSA_FD, fd, want);
	nsid_result(err, "new explicit");
	if (err && err != -EEXIST) {
		unexpected("NEWNSID %d: %s (%s)", want, nsc_errno_name(err),
			   nl->extack);
		return;
	}
	check_assigned(nl, fd, err ? NSC_NO_NSID : want);
}

static void nsid_by_pid(struct nsc_nl *nl, pid_t pid)
{
	int err;

	phase("nsid: new by pid");
	err = nsc_nsid_new(nl, NETNSA_PID, pid, -1);
	nsid_result(err, "new by pid");
	/* The owner may have exited (ESRCH). */
	if (err && !ok_errno(err, EEXIST, ESRCH, 0))
		unexpected("NEWNSID by pid %d: %s (%s)", pid,
			   nsc_errno_name(err), nl->extack);
}

/* nsids assigned inside the owner's netns, for home and another owner. */
static void nsid_cross(int fd)
{
	struct nsc_nl in;
	pid_t pid2;
	int fd2, err;

	phase("nsid: cross assign");
	err = nl_open_timeout(&in, fd);
	if (err) {
		unexpected("rtnl socket in owner netns: %s",
			   nsc_errno_name(err));
		return;
	}
	err = nsc_nsid_new(&in, NETNSA_FD, home_fd, -1);
	nsid_result(err, "cross home");
	if (err && err != -EEXIST)
		unexpected("NEWNSID(home) inside owner: %s (%s)",
			   nsc_errno_name(err), in.extack);
	fd2 = open_owner_ns(&pid2);
	if (fd2 >= 0) {
		err = nsc_nsid_new(&in, NETNSA_FD, fd2, rnd(2) ? -1 : 7);
		nsid_result(err, "cross owner");
		if (err && err != -EEXIST)
			unexpected("NEWNSID(owner) inside owner: %s (%s)",
				   nsc_errno_name(err), in.extack);
		close(fd2);
	}
	nsc_nl_close(&in);
}

static void nsid_dump(struct nsc_nl *nl)
{
	struct nsc_nsid_entry ents[NSC_MAX_EXPECT];
	int n, i;

	phase("nsid: dump");
	n = nsc_nsid_dump(nl, NSC_NO_NSID, ents, NSC_MAX_EXPECT);
	nsid_result(n < 0 ? n : 0, "dump");
	if (n < 0) {
		unexpected("nsid dump: %s (%s)", nsc_errno_name(n), nl->extack);
		return;
	}
	if (n > NSC_MAX_EXPECT)
		n = NSC_MAX_EXPECT;
	for (i = 0; i < n; i++) {
		if (ents[i].nsid < 0 ||
		    (i > 0 && ents[i].nsid <= ents[i - 1].nsid)) {
			unexpected("nsid dump: entry %d is %d after %d", i,
				   ents[i].nsid, i ? ents[i - 1].nsid : -1);
			return;
		}
	}
}

/* GETNSID of one owner's netns as seen from another (target) owner's. */
static void nsid_target(struct nsc_nl *nl, int fd)
{
	int tfd, tid, id, cur, err;
	pid_t tpid;

	phase("nsid: get with target");
	tfd = open_owner_ns(&tpid);
	if (tfd < 0)
		return;
	err = nsc_nsid_new(nl, NETNSA_FD, tfd, -1);
	nsid_result(err, "new target");
	if (err && err != -EEXIST)
		unexpected("NEWNSID for target: %s (%s)", nsc_errno_name(err),
			   nl->extack);
	tid = check_assigned(nl, tfd, NSC_NO_NSID);
	if (tid >= 0) {
		err = nsc_nsid_get(nl, NETNSA_FD, fd, tid, &id, &cur);
		nsid_result(err, "get target");
		if (err)
			unexpected("GETNSID target %d (pinned): %s (%s)", tid,
				   nsc_errno_name(err), nl->extack);
		else if (id < -1 || cur < -1)
			unexpected("GETNSID target: id %d current %d", id, cur);
	}
	close(tfd);
}

static void worker_nsid(void)
{
	struct nsc_nl nl, mon;
	unsigned int i;
	pid_t pid;
	int fd, err;

	err = nl_open_timeout(&nl, -1);
	if (!err) {
		err = nl_open_timeout(&mon, -1);
		if (!err)
			err = nsc_nl_join_group(&mon, RTNLGRP_NSID);
	}
	if (err) {
		unexpected("nsid worker sockets: %s", nsc_errno_name(err));
		_exit(1);
	}

	for (i = 0; running(); i++) {
		drain_notifications(&mon);
		if (i % 16 == 15) {
			nsid_dump(&nl);
			continue;
		}
		fd = open_owner_ns(&pid);
		if (fd < 0) {
			if (fd == -EAGAIN)
				nsc_sleep_ms(2);
			continue;
		}
		switch (i % 5) {
		case 0:
			nsid_auto(&nl, fd);
			break;
		case 1:
			nsid_explicit(&nl, fd);
			break;
		case 2:
			nsid_by_pid(&nl, pid);
			break;
		case 3:
			nsid_cross(fd);
			break;
		default:
			nsid_target(&nl, fd);
		}
		close(fd);
	}
	drain_notifications(&mon);
	nsc_nl_close(&mon);
	nsc_nl_close(&nl);
}

/* ------------------------------------------------------------------ */
/* main process: watchdog and verdict                                  */
/* ------------------------------------------------------------------ */

static __noreturn void worker_main(int wi)
{
	my_worker = wi;
	rnd_state = getpid() * 2654435761u;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	phase("start");
	switch (sh->w[wi].role) {
	case CHURN:
		worker_churn();
		break;
	case SPAWN:
		worker_spawn();
		break;
	case SETNS:
		worker_setns();
		break;
	case SOCK:
		worker_sock();
		break;
	case NSID:
		worker_nsid();
		break;
	}
	phase("done");
	_exit(0);
}

static void print_proc(pid_t pid, const char *file)
{
	char path[64], buf[2048];
	ssize_t n;
	char *p, *line;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	n = nsc_read_file(path, buf, sizeof(buf));
	if (n <= 0)
		return;
	for (line = strtok_r(buf, "\n", &p); line;
	     line = strtok_r(NULL, "\n", &p))
		fprintf(stderr, "#   %s: %s\n", file, line);
}

static void report_worker(struct worker *w, const char *why)
{
	int64_t age = nsc_now_ms() -
		      __atomic_load_n(&w->heartbeat, __ATOMIC_RELAXED);

	fprintf(stderr, "# stress: worker %s pid %d %s: phase \"%s\", no heartbeat for %lld ms\n",
		role_name[w->role], w->pid, why, w->phase,
		(long long)(age > 0 ? age : 0));
	print_proc(w->pid, "wchan");
	print_proc(w->pid, "stat");
	print_proc(w->pid, "stack");
}

static void print_hist(void)
{
	char line[512];
	int c;

	for (c = 0; c < NR_CATS; c++)
		ksft_print_msg("stress-errors: %s=%s\n", cat_name[c],
			       nsc_errno_hist_str(&sh->hist[c], line,
						  sizeof(line)));
}

/* Kept on one line each, so that they can be grepped for. */
#define STRESS_FMT "stress: creations=%ld nsid_ops=%ld setns_ok=%ld setns_failed=%ld sockets=%ld\n"
#define STRESS_DETAIL_FMT "stress-detail: seconds=%d owners=%ld owners_killed=%ld veths=%ld nsid_notifications=%ld notify_overruns=%ld enospc_backoffs=%ld unexpected=%ld\n"

/*
 * Namespace churn, nsid operations, setns() into exiting owners and
 * sockets in dying namespaces, concurrently: only the accepted errnos, every
 * worker finishes and every namespace is given back.
 */
TEST(concurrent_netns_stress)
{
	int seconds = stress_seconds();
	uint64_t now, watchdog;
	int wi, r, k, status, alive, got, err;
	bool stuck = false;
	pid_t pid;

	sh = nsc_shared_alloc(sizeof(*sh));
	ASSERT_NE(NULL, sh);

	home_fd = nsc_userns_limit_enter(STRESS_LIMIT);
	if (home_fd == -EACCES || home_fd == -EPERM || home_fd == -EROFS)
		SKIP(return, "per-userns %s not writable",
		     NSC_MAX_NETNS_SYSCTL);
	ASSERT_GE(home_fd, 0) {
		TH_LOG("user namespace with limit: %s",
		       nsc_errno_name(home_fd));
	}
	sh->home_ino = nsc_netns_ino();
	/* Everything starts from exactly limit - 1 (home) available. */
	err = nsc_netns_expect_available(STRESS_LIMIT - 1, NSC_POLL_TIMEOUT_MS,
					 &got);
	ASSERT_EQ(0, err) {
		TH_LOG("baseline: %d of %d: %s", got, STRESS_LIMIT - 1,
		       nsc_errno_name(err));
	}

	TH_LOG("running %d workers for %d s (%s), limit %d", NR_WORKERS,
	       seconds, STRESS_SECONDS_ENV, STRESS_LIMIT);
	sh->deadline = nsc_now_ms() + seconds * 1000ULL;
	wi = 0;
	for (r = 0; r < NR_ROLES; r++) {
		for (k = 0; k < role_count[r]; k++, wi++) {
			sh->w[wi].role = r;
			sh->w[wi].heartbeat = nsc_now_ms();
			fflush(stdout);
			fflush(stderr);
			pid = fork();
			ASSERT_GE(pid, 0);
			if (pid == 0)
				worker_main(wi);
			sh->w[wi].pid = pid;
		}
	}
	ASSERT_EQ(NR_WORKERS, wi);

	watchdog = sh->deadline + STRESS_GRACE_SECONDS * 1000ULL;
	for (;;) {
		alive = 0;
		now = nsc_now_ms();
		for (wi = 0; wi < NR_WORKERS; wi++) {
			struct worker *w = &sh->w[wi];
			uint64_t beat;

			if (w->exited)
				continue;
			pid = waitpid(w->pid, &status, WNOHANG);
			if (pid == w->pid) {
				w->exited = true;
				w->status = status;
				continue;
			}
			alive++;
			/* The worker may have beaten after "now" was read. */
			beat = __atomic_load_n(&w->heartbeat, __ATOMIC_RELAXED);
			if (!w->reported_stuck &&
			    (int64_t)(now - beat) > STRESS_STUCK_MS) {
				w->reported_stuck = true;
				report_worker(w, "looks stuck");
			}
		}
		if (!alive)
			break;
		if (now >= sh->deadline)
			__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
		if (now >= watchdog) {
			stuck = true;
			for (wi = 0; wi < NR_WORKERS; wi++) {
				if (sh->w[wi].exited)
					continue;
				report_worker(&sh->w[wi],
					      "did not finish: killed");
				kill(sh->w[wi].pid, SIGKILL);
			}
			for (wi = 0; wi < NR_WORKERS; wi++) {
				if (sh->w[wi].exited)
					continue;
				/* Do not hang on an unkillable task. */
				for (k = 0; k < 100; k++) {
					if (waitpid(sh->w[wi].pid, &status,
						    WNOHANG) == sh->w[wi].pid)
						break;
					nsc_sleep_ms(50);
				}
				sh->w[wi].exited = true;
				sh->w[wi].status = -1;
			}
			break;
		}
		nsc_sleep_ms(100);
	}

	EXPECT_FALSE(stuck) {
		TH_LOG("workers did not finish within %d s after the deadline",
		       STRESS_GRACE_SECONDS);
	}
	for (wi = 0; wi < NR_WORKERS; wi++) {
		struct worker *w = &sh->w[wi];

		if (w->status == -1)
			continue;
		EXPECT_TRUE(WIFEXITED(w->status) && WEXITSTATUS(w->status) == 0) {
			TH_LOG("worker %s pid %d: %s %d in phase \"%s\"",
			       role_name[w->role], w->pid,
			       WIFSIGNALED(w->status) ? "killed by signal" :
							"exit status",
			       WIFSIGNALED(w->status) ? WTERMSIG(w->status) :
							WEXITSTATUS(w->status),
			       w->phase);
		}
	}

	ksft_print_msg(STRESS_FMT,
		       sh->creations,
		       sh->nsid_ops, sh->setns_ok, sh->setns_failed,
		       sh->sockets);
	ksft_print_msg(STRESS_DETAIL_FMT,
		       seconds, sh->owners, sh->owners_killed, sh->veths,
		       sh->notifications, sh->notify_overruns, sh->enospc,
		       sh->unexpected);
	print_hist();
	fflush(stdout);

	EXPECT_EQ(0, sh->unexpected) {
		TH_LOG("first unexpected error: %s", sh->first_unexpected);
	}

	/* Everything created was freed and uncharged. */
	err = nsc_netns_expect_available(STRESS_LIMIT - 1, STRESS_DRAIN_MS,
					 &got);
	EXPECT_EQ(0, err) {
		TH_LOG("after the stress %d of %d namespaces available within %d ms: %s",
		       got, STRESS_LIMIT - 1, STRESS_DRAIN_MS,
		       nsc_errno_name(err));
	}
	close(home_fd);
}

int main(int argc, char **argv)
{
	/* The harness timeout follows NETNS_STRESS_SECONDS. */
	_concurrent_netns_stress_object.timeout = stress_seconds() +
		STRESS_GRACE_SECONDS + STRESS_DRAIN_MS / 1000 + 60;
	return test_harness_run(argc, argv);
}
