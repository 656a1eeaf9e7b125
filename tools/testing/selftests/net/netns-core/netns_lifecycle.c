// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespace lifecycle: initial state of a new namespace, per-netns
 * sysctls, references (sockets, nsfs fds) keeping a namespace alive, freeing
 * on the last reference and the max_net_namespaces ucount limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/sockios.h>

#include "kselftest_harness.h"
#include "netns_util.h"

#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif

#define SOMAXCONN_DEFAULT	4096	/* SOMAXCONN, preinit_net_sysctl() */
#define IP_FORWARD		"/proc/sys/net/ipv4/ip_forward"
#define SOMAXCONN_PATH		"/proc/sys/net/core/somaxconn"

/* UDP connect() to 127.0.0.1:9; returns 0 or errno. */
static int udp_connect_loopback(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int sock, err = 0;

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return errno;
	if (connect(sock, (struct sockaddr *)&sin, sizeof(sin)))
		err = errno;
	close(sock);
	return err;
}

/*
 * A new netns has exactly one link, lo, with ifindex 1 and IFF_LOOPBACK
 * (rtnetlink and if_nameindex() agree).
 */
TEST(new_netns_has_only_loopback)
{
	struct nsc_link links[8];
	struct if_nameindex *ni;
	struct nsc_nl nl;
	int n;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_nl_open(&nl));

	n = nsc_link_dump(&nl, NSC_NO_NSID, links, 8);
	ASSERT_EQ(1, n);
	EXPECT_STREQ("lo", links[0].name);
	EXPECT_EQ(1, links[0].ifindex);	/* LOOPBACK_IFINDEX */
	EXPECT_NE(0, links[0].flags & IFF_LOOPBACK);

	/* The libc view (if_nameindex()) agrees. */
	ni = if_nameindex();
	ASSERT_NE(NULL, ni);
	EXPECT_EQ(1, ni[0].if_index);
	EXPECT_STREQ("lo", ni[0].if_name);
	EXPECT_EQ(0, ni[1].if_index);
	if_freenameindex(ni);
	nsc_nl_close(&nl);
}

/*
 * lo starts down: UDP connect to 127.0.0.1 fails with ENETUNREACH until
 * lo is set up.
 */
TEST(new_netns_loopback_is_down)
{
	struct nsc_link lo;
	struct ifreq ifr = {};
	struct nsc_nl nl;
	int sock;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_nl_open(&nl));

	ASSERT_EQ(0, nsc_link_get(&nl, "lo", 0, &lo));
	EXPECT_EQ(0, lo.flags & IFF_UP);
	EXPECT_NE(0, lo.flags & IFF_LOOPBACK);

	/* The ioctl interface reports the same flags. */
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_GE(sock, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	ASSERT_EQ(0, ioctl(sock, SIOCGIFFLAGS, &ifr));
	EXPECT_EQ(0, ifr.ifr_flags & IFF_UP);
	EXPECT_NE(0, ifr.ifr_flags & IFF_LOOPBACK);
	close(sock);

	/* With lo down not even 127.0.0.1 is routable ... */
	EXPECT_EQ(ENETUNREACH, udp_connect_loopback());

	/* ... bringing it up makes it usable. */
	ASSERT_EQ(0, nsc_link_set_up(&nl, lo.ifindex, true));
	ASSERT_EQ(0, nsc_link_get(&nl, NULL, lo.ifindex, &lo));
	EXPECT_NE(0, lo.flags & IFF_UP);
	EXPECT_EQ(0, udp_connect_loopback());
	nsc_nl_close(&nl);
}

/*
 * Each unshare() gives a new nsfs inode and SO_NETNS_COOKIE; the old
 * namespaces keep theirs, reachable through fds.
 */
TEST(new_netns_has_new_identity)
{
	uint64_t c0, c1, c2, c;
	ino_t i0, i1, i2;
	int fd0, fd1;

	i0 = nsc_netns_ino();
	ASSERT_NE(0, i0);
	ASSERT_EQ(0, nsc_netns_cookie(&c0));
	fd0 = nsc_netns_self();
	ASSERT_GE(fd0, 0);
	EXPECT_EQ(i0, nsc_fd_ino(fd0));

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	i1 = nsc_netns_ino();
	ASSERT_EQ(0, nsc_netns_cookie(&c1));
	EXPECT_NE(i0, i1);
	EXPECT_NE(c0, c1);
	fd1 = nsc_netns_self();
	ASSERT_GE(fd1, 0);
	EXPECT_EQ(i1, nsc_fd_ino(fd1));

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	i2 = nsc_netns_ino();
	ASSERT_EQ(0, nsc_netns_cookie(&c2));
	EXPECT_NE(i0, i2);
	EXPECT_NE(i1, i2);
	EXPECT_NE(c0, c2);
	EXPECT_NE(c1, c2);

	/* The previous namespaces are still there, with the same identity. */
	ASSERT_EQ(0, nsc_netns_enter(fd1));
	EXPECT_EQ(i1, nsc_netns_ino());
	ASSERT_EQ(0, nsc_netns_cookie(&c));
	EXPECT_EQ(c1, c);
	ASSERT_EQ(0, nsc_netns_enter(fd0));
	EXPECT_EQ(i0, nsc_netns_ino());
	ASSERT_EQ(0, nsc_netns_cookie(&c));
	EXPECT_EQ(c0, c);
	close(fd0);
	close(fd1);
}

/* unshare(CLONE_NEWNET) without CAP_SYS_ADMIN: EPERM. */
TEST(unshare_netns_requires_cap_sys_admin)
{
	ino_t i0 = nsc_netns_ino();

	ASSERT_EQ(0, nsc_drop_cap(CAP_SYS_ADMIN));
	EXPECT_EQ(-1, unshare(CLONE_NEWNET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(i0, nsc_netns_ino());
}

struct sysctl_probe {
	const char *path;
	long write_val;
	long initial;	/* value found in the child's new netns */
	long after;	/* value read back after writing write_val */
};

/* In a forked child: new netns, read, write, read back. */
static int sysctl_probe_child(void *arg)
{
	struct sysctl_probe *p = arg;
	int err;

	if (unshare(CLONE_NEWNET))
		return errno;
	err = nsc_read_long(p->path, &p->initial);
	if (!err)
		err = nsc_write_long(p->path, p->write_val);
	if (!err)
		err = nsc_read_long(p->path, &p->after);
	return -err;
}

/*
 * ip_forward written in a child's netns does not change the parent's, and
 * the other way round.
 */
TEST(sysctl_ip_forward_is_per_netns)
{
	struct sysctl_probe *p;
	long v;

	p = nsc_shared_alloc(sizeof(*p));
	ASSERT_NE(NULL, p);

	/* A fresh "outside" namespace, so the host is never written. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));

	ASSERT_EQ(0, nsc_write_long(IP_FORWARD, 0));
	p->path = IP_FORWARD;
	p->write_val = 1;
	ASSERT_EQ(0, nsc_run_child(sysctl_probe_child, p));
	EXPECT_EQ(1, p->after);
	ASSERT_EQ(0, nsc_read_long(IP_FORWARD, &v));
	EXPECT_EQ(0, v);

	/* And the other way round. */
	ASSERT_EQ(0, nsc_write_long(IP_FORWARD, 1));
	p->write_val = 0;
	ASSERT_EQ(0, nsc_run_child(sysctl_probe_child, p));
	EXPECT_EQ(0, p->after);
	ASSERT_EQ(0, nsc_read_long(IP_FORWARD, &v));
	EXPECT_EQ(1, v);
	nsc_shared_free(p, sizeof(*p));
}

/*
 * A new netns starts with the default somaxconn, not its creator's value;
 * writes stay local.
 */
TEST(sysctl_somaxconn_is_per_netns)
{
	struct sysctl_probe *p;
	long v;

	p = nsc_shared_alloc(sizeof(*p));
	ASSERT_NE(NULL, p);

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_read_long(SOMAXCONN_PATH, &v));
	EXPECT_EQ(SOMAXCONN_DEFAULT, v);
	ASSERT_EQ(0, nsc_write_long(SOMAXCONN_PATH, 1000));

	p->path = SOMAXCONN_PATH;
	p->write_val = 2000;
	ASSERT_EQ(0, nsc_run_child(sysctl_probe_child, p));
	/* Not inherited from the creator's namespace: the built-in default. */
	EXPECT_EQ(SOMAXCONN_DEFAULT, p->initial);
	EXPECT_EQ(2000, p->after);

	ASSERT_EQ(0, nsc_read_long(SOMAXCONN_PATH, &v));
	EXPECT_EQ(1000, v);
	nsc_shared_free(p, sizeof(*p));
}

struct pin_arg {
	int sock;	/* where to send the socket to */
	uint64_t cookie;
	ino_t ino;
};

/* Create a netns, open a UDP socket in it and pass it to the parent. */
static int pin_child(void *arg)
{
	struct pin_arg *a = arg;
	int s, err;

	if (unshare(CLONE_NEWNET))
		return errno;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	err = nsc_sock_cookie(s, &a->cookie);
	if (err)
		return -err;
	a->ino = nsc_netns_ino();
	return -nsc_send_fd(a->sock, s);
}

/*
 * A socket passed out of a netns whose creator exited keeps it alive:
 * same cookie, SIOCGSKNS gives the creator's inode, setns() into it works.
 */
TEST(socket_pins_netns_after_creator_exit)
{
	struct nsc_link links[4];
	struct pin_arg *a;
	uint64_t c, own;
	int sp[2], s, nsfd, self;
	struct nsc_nl nl;

	a = nsc_shared_alloc(sizeof(*a));
	ASSERT_NE(NULL, a);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp));
	a->sock = sp[1];

	/* The creator exits: only the in-flight socket refers to the netns. */
	ASSERT_EQ(0, nsc_run_child(pin_child, a));
	close(sp[1]);
	s = nsc_recv_fd(sp[0]);
	ASSERT_GE(s, 0);
	close(sp[0]);

	ASSERT_EQ(0, nsc_netns_cookie(&own));
	ASSERT_EQ(0, nsc_sock_cookie(s, &c));
	EXPECT_EQ(a->cookie, c);
	EXPECT_NE(own, c);

	/* SIOCGSKNS hands out a new reference to the socket's netns. */
	nsfd = ioctl(s, SIOCGSKNS);
	ASSERT_GE(nsfd, 0);
	EXPECT_EQ(a->ino, nsc_fd_ino(nsfd));

	self = nsc_netns_self();
	ASSERT_GE(self, 0);
	ASSERT_EQ(0, nsc_netns_enter(nsfd));
	EXPECT_EQ(a->ino, nsc_netns_ino());
	ASSERT_EQ(0, nsc_netns_cookie(&c));
	EXPECT_EQ(a->cookie, c);
	/* It is a complete, working namespace. */
	ASSERT_EQ(0, nsc_nl_open(&nl));
	EXPECT_EQ(1, nsc_link_dump(&nl, NSC_NO_NSID, links, 4));
	nsc_nl_close(&nl);

	ASSERT_EQ(0, nsc_netns_enter(self));
	close(self);
	close(nsfd);
	close(s);
	nsc_shared_free(a, sizeof(*a));
}

/*
 * SIOCGSKNS returns the socket's netns, not the caller's; EPERM without
 * CAP_NET_ADMIN.
 */
TEST(siocgskns_returns_socket_netns)
{
	ino_t ia, ib;
	int sa, sb, fd;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ia = nsc_netns_ino();
	sa = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sa < 0)
		sa = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_GE(sa, 0);

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ib = nsc_netns_ino();
	ASSERT_NE(ia, ib);
	sb = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_GE(sb, 0);

	/* The socket's namespace, not the caller's current one. */
	fd = ioctl(sa, SIOCGSKNS);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(ia, nsc_fd_ino(fd));
	close(fd);
	fd = ioctl(sb, SIOCGSKNS);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(ib, nsc_fd_ino(fd));
	close(fd);

	/* It requires CAP_NET_ADMIN over the namespace's owner. */
	ASSERT_EQ(0, nsc_drop_cap(CAP_NET_ADMIN));
	EXPECT_EQ(-1, ioctl(sa, SIOCGSKNS));
	EXPECT_EQ(EPERM, errno);
	close(sa);
	close(sb);
}

/*
 * ucount tests: the test process enters a new user namespace (uid 0 mapped
 * to 0) whose own max_net_namespaces limit is set; network namespaces it
 * creates are charged to it.  Nothing global is modified.
 */
FIXTURE(netns_limit) {
	int unused;
};

FIXTURE_SETUP(netns_limit)
{
	int err;

	ASSERT_EQ(0, nsc_userns_enter_root());
	err = nsc_write_long(NSC_MAX_NETNS_SYSCTL, 1000);
	if (err == -EACCES || err == -EPERM || err == -EROFS || err == -ENOENT)
		SKIP(return, "per-userns %s not writable: %s",
		     NSC_MAX_NETNS_SYSCTL, strerror(-err));
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(netns_limit)
{
}

/* Create a netns (the caller moves into it); fd to it or -errno. */
static int netns_create_hold(void)
{
	if (unshare(CLONE_NEWNET))
		return -errno;
	return nsc_netns_self();
}

/*
 * Like netns_create_hold(), retrying while the limit is hit, until the
 * absolute deadline end (nsc_now_ms() based).
 */
static int netns_create_hold_until(uint64_t end)
{
	int fd;

	for (;;) {
		fd = netns_create_hold();
		if (fd != -ENOSPC || nsc_now_ms() >= end)
			return fd;
		nsc_sleep_ms(NSC_POLL_INTERVAL_MS);
	}
}

/* True if creating a netns fails with ENOSPC, repeatedly, for ms. */
static bool netns_enospc_for(int ms)
{
	uint64_t end = nsc_now_ms() + ms;

	do {
		if (!unshare(CLONE_NEWNET) || errno != ENOSPC)
			return false;
		nsc_sleep_ms(NSC_POLL_INTERVAL_MS);
	} while (nsc_now_ms() < end);
	return true;
}

/* clone(CLONE_NEWNET) in a fork-like raw clone; returns 0 or errno. */
static int clone_newnet_errno(void)
{
	int status;
	pid_t pid;

	pid = syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, NULL, NULL, 0);
	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid)
		return errno;
	return 0;
}

/*
 * A netns pinned by a socket, then by an nsfs fd only, keeps counting
 * against max_net_namespaces; closing the last reference frees it.
 */
TEST_F_TIMEOUT(netns_limit, last_reference_frees_netns, 90)
{
	uint64_t c1, c;
	ino_t i1;
	int s, nsfd, fd;

	ASSERT_EQ(0, nsc_write_long(NSC_MAX_NETNS_SYSCTL, 2));

	/* ns1, with a socket in it */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	i1 = nsc_netns_ino();
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_GE(s, 0);
	ASSERT_EQ(0, nsc_sock_cookie(s, &c1));

	/* ns2: the process leaves ns1, which is now pinned by s only */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_NE(i1, nsc_netns_ino());
	ASSERT_EQ(0, nsc_netns_cookie(&c));
	ASSERT_NE(c1, c);

	/* 2 of 2 in use: ns1 does not go away while the socket is open */
	EXPECT_TRUE(netns_enospc_for(300));
	ASSERT_EQ(0, nsc_sock_cookie(s, &c));
	EXPECT_EQ(c1, c);

	/* An nsfs fd pins it just as well */
	nsfd = ioctl(s, SIOCGSKNS);
	ASSERT_GE(nsfd, 0);
	EXPECT_EQ(i1, nsc_fd_ino(nsfd));
	close(s);
	EXPECT_TRUE(netns_enospc_for(300));

	/* Dropping the last reference frees ns1 (asynchronously) */
	close(nsfd);
	fd = netns_create_hold_until(nsc_now_ms() + NSC_POLL_TIMEOUT_MS);
	ASSERT_GE(fd, 0) {
		TH_LOG("netns not freed within %d ms: %s", NSC_POLL_TIMEOUT_MS,
		       strerror(-fd));
	}
	close(fd);
}

/*
 * At max_net_namespaces, unshare() and clone(CLONE_NEWNET) fail with
 * ENOSPC; raising the limit by 2 allows exactly 2 more.
 */
TEST_F_TIMEOUT(netns_limit, limit_enospc, 60)
{
	const int n = 3;
	uint64_t end;
	int fds[8], i;

	ASSERT_EQ(0, nsc_write_long(NSC_MAX_NETNS_SYSCTL, n));
	/* Below the limit clone(CLONE_NEWNET) works (positive control). */
	EXPECT_EQ(0, clone_newnet_errno());
	/*
	 * The child's netns is freed asynchronously; once n namespaces could
	 * be created, it is gone and exactly n are in use.
	 */
	end = nsc_now_ms() + NSC_POLL_TIMEOUT_MS;
	for (i = 0; i < n; i++) {
		fds[i] = netns_create_hold_until(end);
		ASSERT_GE(fds[i], 0);
	}

	/* At the limit: unshare() and clone() both fail with ENOSPC. */
	EXPECT_EQ(-ENOSPC, netns_create_hold());
	EXPECT_EQ(ENOSPC, clone_newnet_errno());

	/* Raising the limit by two permits exactly two more. */
	ASSERT_EQ(0, nsc_write_long(NSC_MAX_NETNS_SYSCTL, n + 2));
	for (i = n; i < n + 2; i++) {
		fds[i] = netns_create_hold();
		ASSERT_GE(fds[i], 0);
	}
	EXPECT_EQ(-ENOSPC, netns_create_hold());

	/* Lowering it below the usage keeps the existing namespaces. */
	ASSERT_EQ(0, nsc_write_long(NSC_MAX_NETNS_SYSCTL, 1));
	EXPECT_EQ(-ENOSPC, netns_create_hold());
	for (i = 0; i < n + 2; i++) {
		EXPECT_EQ(0, nsc_netns_enter(fds[i]));
		EXPECT_EQ(nsc_fd_ino(fds[i]), nsc_netns_ino());
	}
	for (i = 0; i < n + 2; i++)
		close(fds[i]);
}

/*
 * After raising and lowering the limit and releasing namespaces, exactly
 * the limit is usable again, cycle after cycle.
 */
TEST_F_TIMEOUT(netns_limit, no_leak_after_release, 120)
{
	const int n = 4;
	int fds[16], i, cycle;
	uint64_t end;

	ASSERT_EQ(0, nsc_write_long(NSC_MAX_NETNS_SYSCTL, n));
	for (i = 0; i < n; i++) {
		fds[i] = netns_create_hold();
		ASSERT_GE(fds[i], 0);
	}
	EXPECT_EQ(-ENOSPC, netns_create_hold());

	/* Temporarily raise the limit and use it up. */
	ASSERT_EQ(0, nsc_write_long(NSC_MAX_NETNS_SYSCTL, 2 * n));
	for (i = n; i < 2 * n; i++) {
		fds[i] = netns_create_hold();
		ASSERT_GE(fds[i], 0);
	}
	EXPECT_EQ(-ENOSPC, netns_create_hold());
	ASSERT_EQ(0, nsc_write_long(NSC_MAX_NETNS_SYSCTL, n));
	for (i = n; i < 2 * n; i++)
		close(fds[i]);

	for (cycle = 0; cycle < 3; cycle++) {
		/* Stay in fds[0], release all the others. */
		ASSERT_EQ(0, nsc_netns_enter(fds[0]));
		for (i = 1; i < n; i++)
			close(fds[i]);

		/*
		 * Once cleanup ran, exactly n - 1 can be created again: every
		 * released namespace returned its count, and no more.
		 */
		end = nsc_now_ms() + NSC_POLL_TIMEOUT_MS;
		for (i = 1; i < n; i++) {
			fds[i] = netns_create_hold_until(end);
			ASSERT_GE(fds[i], 0) {
				TH_LOG("cycle %d: only %d of %d namespaces", cycle,
				       i, n);
			}
		}
		EXPECT_EQ(-ENOSPC, netns_create_hold());
		EXPECT_EQ(ENOSPC, clone_newnet_errno());
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
}

TEST_HARNESS_MAIN
