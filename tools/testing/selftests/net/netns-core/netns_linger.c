// SPDX-License-Identifier: GPL-2.0
/*
 * A namespace outlived by one of its kernel sockets: a packet the socket
 * sent waits in another namespace's qdisc when the namespace is torn down.
 * Its struct net stays pinned, the view lists it as lingering, and:
 *  - released within weak_grace_secs, it is freed without a word;
 *  - held longer, it is leaked: reported once, then once more when it is
 *    finally released and freed.
 *
 * Every test builds the same topology.  Namespaces A, B and C are held by
 * fds; the test process stays in a fresh namespace of its own.  B has a
 * bridge br0 with two ports, b-a and b-c, the B ends of veth pairs whose
 * other ends are a-b in A and c-b in C.  A has 192.0.2.1/24 and
 * 2001:db8::1/64, C 192.0.2.3/24 and 2001:db8::3/64 (no DAD).  b-c has a
 * netem qdisc that delays every packet by an hour: what B forwards towards
 * C stays there.  C pings A: C's ARP request and neighbour solicitation
 * reach A, A's answers wait in b-c's qdisc, and A's neighbour
 * advertisement is owned by A's ndisc kernel socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>
#include <linux/gen_stats.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>

#include "kselftest_harness.h"
#include "netns_util.h"

enum { NS_A, NS_B, NS_C, NR_NS };

#define A_ADDR4		"192.0.2.1"
#define A_ADDR6		"2001:db8::1"
#define C_ADDR4		"192.0.2.3"
#define C_ADDR6		"2001:db8::3"

#define HOLD_NS		(3600LL * 1000000000LL)	/* netem delay */
#define QUIET_GRACE	300	/* seconds: longer than any test */
#define SHORT_GRACE	1
#define QUIET_MS	3000	/* no report while A lingers */
#define MIN_PINGS	3
#define PING_GAP_MS	200
#define PING_MS		10000	/* until A answered C's solicitation */
#define HELD_MS		5000	/* the qdisc has A's answers */
#define REPORT_MS	5000	/* the report follows the state */
#define TRACE_BUF	(1024 * 1024)
#define TRACE_LINES	8192

FIXTURE(linger) {
	int fd[NR_NS];		/* -1 once closed */
	unsigned long ino[NR_NS];
	uint64_t cookie[NR_NS];
	struct nsc_nl nlb;	/* rtnetlink in B */
	int port_c;		/* ifindex of b-c in B */
	int kmsg;		/* /dev/kmsg, from the setup on */
	long grace;		/* weak_grace_secs at setup */
	bool grace_set;		/* changed, to be restored */
	long slab_base;		/* net_namespace objects; -1: not exact */
	bool traced;		/* events/netns enabled */
};

/* What the kernel log said about one namespace. */
struct kmsg_tally {
	int reports;		/* "still held ... by weak references" */
	int report_socks;	/* kernel sockets the last report named */
	long long held_s;	/* seconds after teardown it gave */
	int released;		/* "released by its last weak reference" */
	char last[1024];	/* the last line about it */
};

/* Read the log so far into t: 0, or -errno. */
static int kmsg_scan(int fd, uint64_t cookie, struct kmsg_tally *t)
{
	char line[1024], tag[48], *p, *w;
	ssize_t n;

	snprintf(tag, sizeof(tag), " cookie %llu ", (unsigned long long)cookie);
	while ((n = nsc_kmsg_read(fd, line, sizeof(line))) > 0) {
		p = strstr(line, tag);
		if (!p)
			continue;
		snprintf(t->last, sizeof(t->last), "%s", line);
		w = strstr(p, " by weak references: ");
		if (w) {
			t->reports++;
			if (sscanf(p + strlen(tag), "still held %lld s",
				   &t->held_s) != 1)
				t->held_s = -1;
			if (sscanf(w, " by weak references: %d kernel socket",
				   &t->report_socks) != 1)
				t->report_socks = -1;
		} else if (strstr(p, " released by its last weak reference ")) {
			t->released++;
		}
	}
	return n;
}

/* netem on ifindex: every packet waits HOLD_NS. */
static int netem_hold(struct nsc_nl *nl, int ifindex)
{
	struct tcmsg tcm = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = ifindex,
		.tcm_handle = 0x10000,	/* 1: */
		.tcm_parent = TC_H_ROOT,
	};
	struct tc_netem_qopt qopt = { .limit = 1000 };
	int64_t latency = HOLD_NS;
	struct nlattr *opts;
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, &tcm,
		     sizeof(tcm));
	nsc_attr_put_str(&m, TCA_KIND, "netem");
	/* struct tc_netem_qopt, then netem's own attributes. */
	opts = nsc_nest_start(&m, TCA_OPTIONS);
	nsc_msg_put_raw(&m, &qopt, sizeof(qopt));
	nsc_attr_put(&m, TCA_NETEM_LATENCY64, &latency, sizeof(latency));
	nsc_nest_end(&m, opts);
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

static int qdisc_del_root(struct nsc_nl *nl, int ifindex)
{
	struct tcmsg tcm = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = ifindex,
		.tcm_parent = TC_H_ROOT,
	};
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_DELQDISC, 0, &tcm, sizeof(tcm));
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

/* An nsc_msg_cb: the queue length of an RTM_NEWQDISC into *(long *)arg. */
static int qdisc_qlen_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[TCA_MAX + 1], *st[TCA_STATS_MAX + 1];
	struct gnet_stats_queue q;

	if (nlh->nlmsg_type != RTM_NEWQDISC)
		return 0;
	nsc_parse_msg(tb, TCA_MAX, nlh, sizeof(struct tcmsg));
	if (!tb[TCA_STATS2])
		return -EBADMSG;
	nsc_parse_attrs(st, TCA_STATS_MAX, (char *)tb[TCA_STATS2] + NLA_HDRLEN,
			tb[TCA_STATS2]->nla_len - NLA_HDRLEN);
	if (!st[TCA_STATS_QUEUE] ||
	    st[TCA_STATS_QUEUE]->nla_len < NLA_HDRLEN + sizeof(q))
		return -EBADMSG;
	memcpy(&q, (char *)st[TCA_STATS_QUEUE] + NLA_HDRLEN, sizeof(q));
	*(long *)arg = q.qlen;
	return 0;
}

/* Packets in the root qdisc of ifindex, or -errno. */
static long qdisc_qlen(struct nsc_nl *nl, int ifindex)
{
	struct tcmsg tcm = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = ifindex,
		.tcm_parent = TC_H_ROOT,
	};
	long qlen = -ENOENT;
	struct nsc_msg m;
	int err;

	/* The answer is a notification: echoed to the requester only so. */
	nsc_msg_init(&m, RTM_GETQDISC, NLM_F_ECHO, &tcm, sizeof(tcm));
	err = nsc_nl_talk(nl, &m, qdisc_qlen_cb, &qlen);
	return err ? err : qlen;
}

#define SNMP6_BUF	65536

/* A counter of /proc/net/snmp6 in the namespace nsfd: 0, or -errno. */
static int snmp6_get(int nsfd, const char *name, long *val)
{
	char *buf, *line, *save, key[64];
	int home, err;
	ssize_t n;

	buf = malloc(SNMP6_BUF);
	if (!buf)
		return -ENOMEM;
	home = nsc_netns_self();
	if (home < 0) {
		free(buf);
		return home;
	}
	/* /proc/thread-self/net is the reader's namespace's. */
	err = nsc_netns_enter(nsfd);
	n = err ?: nsc_read_file("/proc/thread-self/net/snmp6", buf, SNMP6_BUF);
	if (nsc_netns_enter(home))
		n = -EIO;
	close(home);
	err = n < 0 ? n : -ENOENT;
	for (line = n < 0 ? NULL : strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* "Icmp6OutNeighborAdvertisements  \t1" */
		if (sscanf(line, "%63s %ld", key, val) == 2 &&
		    !strcmp(key, name)) {
			err = 0;
			break;
		}
	}
	free(buf);
	return err;
}

static uint16_t inet_csum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

/* One ICMP echo request to A's IPv4 address: 0, or -errno. */
static int echo4(int sk, int seq)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct icmphdr h = {
		.type = ICMP_ECHO,
		.un.echo.id = htons(0x6e73),
		.un.echo.sequence = htons(seq),
	};

	inet_pton(AF_INET, A_ADDR4, &to.sin_addr);
	h.checksum = inet_csum(&h, sizeof(h));
	if (sendto(sk, &h, sizeof(h), 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -errno;
	return 0;
}

/* One ICMPv6 echo request to A's IPv6 address (checksum: the kernel's). */
static int echo6(int sk, int seq)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	struct icmp6_hdr h = { .icmp6_type = ICMP6_ECHO_REQUEST };

	h.icmp6_id = htons(0x6e73);
	h.icmp6_seq = htons(seq);
	inet_pton(AF_INET6, A_ADDR6, &to.sin6_addr);
	if (sendto(sk, &h, sizeof(h), 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -errno;
	return 0;
}

/* The outer end of a veth pair, in nsfd: up, with its two addresses. */
static void veth_end_setup(struct __test_metadata *_metadata, int nsfd,
			   const char *name, const char *addr4,
			   const char *addr6)
{
	struct nsc_nl nl;
	int idx;

	ASSERT_EQ(0, nsc_nl_open_in(&nl, nsfd));
	idx = nsc_link_index(&nl, name);
	ASSERT_GT(idx, 0);
	ASSERT_EQ(0, nsc_link_set_up(&nl, idx, true));
	ASSERT_EQ(0, nsc_addr_add(&nl, idx, addr4, 24, 0)) {
		TH_LOG("%s %s: %s", name, addr4, nl.extack);
	}
	ASSERT_EQ(0, nsc_addr_add(&nl, idx, addr6, 64, IFA_F_NODAD)) {
		TH_LOG("%s %s: %s", name, addr6, nl.extack);
	}
	/* The socket would hold the namespace. */
	nsc_nl_close(&nl);
}

/* b-a or b-c in B: a port of br0, up. */
static int bridge_port(struct __test_metadata *_metadata,
		       struct _test_data_linger *self, const char *name, int br)
{
	int idx = nsc_link_index(&self->nlb, name);

	EXPECT_GT(idx, 0);
	if (idx <= 0)
		return idx;
	EXPECT_EQ(0, nsc_link_set_master(&self->nlb, idx, br)) {
		TH_LOG("%s: %s", name, self->nlb.extack);
	}
	EXPECT_EQ(0, nsc_link_set_up(&self->nlb, idx, true));
	return idx;
}

/* Every teardown so far is over: nothing queued, exiting or lingering. */
static bool teardowns_done(void)
{
	return nsc_view_state_count("queued") == 0 &&
	       nsc_view_state_count("exiting") == 0 &&
	       nsc_view_state_count("lingering") == 0;
}

FIXTURE_SETUP(linger)
{
	int i, br;

	for (i = 0; i < NR_NS; i++)
		self->fd[i] = -1;
	self->nlb.fd = -1;
	self->kmsg = -1;
	self->grace_set = false;
	self->traced = false;
	self->slab_base = -1;
	if (access(NSC_VIEW, R_OK))
		SKIP(return, "no %s (CONFIG_DEBUG_FS, debugfs mounted?)", NSC_VIEW);
	if (nsc_read_long(NSC_WEAK_GRACE, &self->grace))
		SKIP(return, "no %s: weak references never linger here",
		     NSC_WEAK_GRACE);

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	/* Exact only without KASAN, whose quarantine keeps freed objects. */
	if (nsc_slab_exact("net_namespace") && nsc_kernel_has_kasan() == 0) {
		/* Earlier namespaces first, or they would be ours to free. */
		NSC_POLL(teardowns_done(), NSC_POLL_TIMEOUT_MS);
		self->slab_base = nsc_slab_objs("net_namespace");
	}
	self->kmsg = nsc_kmsg_open();
	ASSERT_GE(self->kmsg, 0);

	for (i = 0; i < NR_NS; i++) {
		self->fd[i] = nsc_netns_new();
		ASSERT_GE(self->fd[i], 0);
		self->ino[i] = nsc_fd_ino(self->fd[i]);
		ASSERT_EQ(0, nsc_fd_cookie(self->fd[i], &self->cookie[i]));
	}

	/* B: br0 with its ports towards A and C. */
	ASSERT_EQ(0, nsc_nl_open_in(&self->nlb, self->fd[NS_B]));
	ASSERT_EQ(0, nsc_link_add(&self->nlb, "br0", "bridge", 0, 0)) {
		TH_LOG("bridge: %s", self->nlb.extack);
	}
	ASSERT_EQ(0, nsc_veth_add(&self->nlb, "b-a", "a-b", IFLA_NET_NS_FD,
				  self->fd[NS_A])) {
		TH_LOG("veth b-a: %s", self->nlb.extack);
	}
	ASSERT_EQ(0, nsc_veth_add(&self->nlb, "b-c", "c-b", IFLA_NET_NS_FD,
				  self->fd[NS_C])) {
		TH_LOG("veth b-c: %s", self->nlb.extack);
	}
	br = nsc_link_index(&self->nlb, "br0");
	ASSERT_GT(br, 0);
	ASSERT_GT(bridge_port(_metadata, self, "b-a", br), 0);
	self->port_c = bridge_port(_metadata, self, "b-c", br);
	ASSERT_GT(self->port_c, 0);
	ASSERT_EQ(0, nsc_link_set_up(&self->nlb, br, true));
	veth_end_setup(_metadata, self->fd[NS_A], "a-b", A_ADDR4, A_ADDR6);
	veth_end_setup(_metadata, self->fd[NS_C], "c-b", C_ADDR4, C_ADDR6);

	/* What B sends towards C stays in b-c's qdisc. */
	ASSERT_EQ(0, netem_hold(&self->nlb, self->port_c)) {
		TH_LOG("netem on b-c: %s (CONFIG_NET_SCH_NETEM?)",
		       self->nlb.extack);
	}

	/* Last: the teardown turns them off, if the setup completed. */
	if (!nsc_tracefs_ready()) {
		ASSERT_EQ(0, nsc_write_file(NSC_TRACEFS "/events/netns/enable",
					    "0"));
		ASSERT_EQ(0, nsc_write_file(NSC_TRACEFS "/trace", ""));
		ASSERT_EQ(0, nsc_write_file(NSC_TRACEFS "/events/netns/enable",
					    "1"));
		self->traced = true;
	}
}

FIXTURE_TEARDOWN(linger)
{
	int i;

	if (self->grace_set)
		nsc_write_long(NSC_WEAK_GRACE, self->grace);
	if (self->traced)
		nsc_write_file(NSC_TRACEFS "/events/netns/enable", "0");
	nsc_nl_close(&self->nlb);
	for (i = 0; i < NR_NS; i++)
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	if (self->kmsg >= 0)
		close(self->kmsg);
}

static int set_grace(struct _test_data_linger *self, long secs)
{
	self->grace_set = true;
	return nsc_write_long(NSC_WEAK_GRACE, secs);
}

static int restore_grace(struct _test_data_linger *self)
{
	self->grace_set = false;
	return nsc_write_long(NSC_WEAK_GRACE, self->grace);
}

/*
 * C pings A, over IPv4 and IPv6, until A has answered C's neighbour
 * solicitation: A's advertisement then waits in b-c's qdisc.
 */
static void hold_a_reply(struct __test_metadata *_metadata,
			 struct _test_data_linger *self)
{
	int sk4, sk6, seq, sent4 = 0, sent6 = 0, err4 = 0, err6 = 0;
	uint64_t end = nsc_now_ms() + PING_MS;
	long na = 0, qlen = 0;

	sk4 = nsc_socket_in(self->fd[NS_C], AF_INET, SOCK_RAW | SOCK_CLOEXEC,
			    IPPROTO_ICMP);
	ASSERT_GE(sk4, 0);
	sk6 = nsc_socket_in(self->fd[NS_C], AF_INET6, SOCK_RAW | SOCK_CLOEXEC,
			    IPPROTO_ICMPV6);
	ASSERT_GE(sk6, 0);
	for (seq = 1;; seq++) {
		err4 = echo4(sk4, seq);
		err6 = echo6(sk6, seq);
		sent4 += !err4;
		sent6 += !err6;
		nsc_sleep_ms(PING_GAP_MS);
		if (seq >= MIN_PINGS &&
		    !snmp6_get(self->fd[NS_A], "Icmp6OutNeighborAdvertisements",
			       &na) && na > 0)
			break;
		if (nsc_now_ms() > end)
			break;
	}
	close(sk4);
	close(sk6);
	EXPECT_LT(0, sent4) {
		TH_LOG("ICMP echo: %s", nsc_errno_name(err4));
	}
	EXPECT_LT(0, sent6) {
		TH_LOG("ICMPv6 echo: %s", nsc_errno_name(err6));
	}
	ASSERT_LT(0, na) {
		TH_LOG("A did not answer C's neighbour solicitation in %d ms",
		       PING_MS);
	}
	ASSERT_TRUE(NSC_POLL((qlen = qdisc_qlen(&self->nlb, self->port_c)) > 0,
			     HELD_MS)) {
		TH_LOG("b-c's qdisc holds nothing (%ld)", qlen);
	}
}

/* Close A; wait until its teardown left it lingering, with a socket. */
static void close_a_lingering(struct __test_metadata *_metadata,
			      struct _test_data_linger *self,
			      struct nsc_view_ns *v)
{
	close(self->fd[NS_A]);
	self->fd[NS_A] = -1;
	ASSERT_TRUE(NSC_POLL(nsc_view_find(self->ino[NS_A], self->cookie[NS_A],
					   v) == 1 &&
			     nsc_view_state_rank(v->state) >= NSC_LINGERING,
			     NSC_POLL_TIMEOUT_MS)) {
		TH_LOG("A is %s: count %u sock %d dev %d neigh %d other %d",
		       v->state, v->count, v->sock, v->dev, v->neigh,
		       v->other);
	}
	/* A's ndisc socket, held by its advertisement in B's qdisc. */
	EXPECT_LE(1, v->sock);
}

/*
 * A's weak events in the trace: netns_lingering naming a kernel socket,
 * then netns_leaked when @leaked (else never), then netns_freed.
 */
static void expect_a_events(struct __test_metadata *_metadata,
			    struct _test_data_linger *self, bool leaked)
{
	int n, linger, leak, freed, sock = -1;
	char match[96], *buf, **lines, *p;

	if (!self->traced) {
		TH_LOG("no events/netns in tracefs: events not checked");
		return;
	}
	ASSERT_EQ(0, nsc_write_file(NSC_TRACEFS "/events/netns/enable", "0"));
	buf = malloc(TRACE_BUF);
	lines = calloc(TRACE_LINES, sizeof(*lines));
	ASSERT_TRUE(buf && lines);
	ASSERT_LT(0, nsc_read_file(NSC_TRACEFS "/trace", buf, TRACE_BUF));
	n = nsc_split_lines(buf, lines, TRACE_LINES);
	snprintf(match, sizeof(match), "inum=%lu cookie=%llu", self->ino[NS_A],
		 (unsigned long long)self->cookie[NS_A]);
	linger = nsc_trace_find(lines, n, -1, "netns_lingering", match);
	leak = nsc_trace_find(lines, n, -1, "netns_leaked", match);
	freed = nsc_trace_find(lines, n, -1, "netns_freed", match);
	EXPECT_LE(0, linger);
	if (linger >= 0) {
		p = strstr(lines[linger], " sock=");
		if (p)
			sscanf(p, " sock=%d", &sock);
		EXPECT_LE(1, sock) {
			TH_LOG("%s", lines[linger]);
		}
	}
	if (leaked) {
		EXPECT_LT(linger, leak);
		EXPECT_LT(leak, freed);
	} else {
		EXPECT_EQ(-1, leak);
		EXPECT_LT(linger, freed);
	}
	free(lines);
	free(buf);
}

/*
 * B and C closed too, every namespace of the test leaves the view; where
 * /proc/slabinfo counts struct net exactly, their memory is freed.
 */
static void expect_all_freed(struct __test_metadata *_metadata,
			     struct _test_data_linger *self)
{
	long objs = -1;
	int i;

	nsc_nl_close(&self->nlb);
	for (i = 0; i < NR_NS; i++) {
		if (self->fd[i] >= 0)
			close(self->fd[i]);
		self->fd[i] = -1;
	}
	for (i = 0; i < NR_NS; i++) {
		EXPECT_EQ(1, nsc_view_wait_gone(self->ino[i], self->cookie[i],
						NSC_POLL_TIMEOUT_MS, NULL,
						NULL)) {
			TH_LOG("namespace %c still in the view", 'A' + i);
		}
	}
	if (self->slab_base < 0) {
		TH_LOG("struct net memory not checked: /proc/slabinfo not exact (%s)",
		       "slab_nomerge slub_debug=F,net_namespace, no KASAN");
		return;
	}
	/* Freed from a work item, after an RCU barrier. */
	EXPECT_TRUE(NSC_POLL((objs = nsc_slab_objs("net_namespace")) >= 0 &&
			     objs <= self->slab_base, NSC_POLL_TIMEOUT_MS)) {
		TH_LOG("net_namespace: %ld objects, %ld before the test", objs,
		       self->slab_base);
	}
}

/*
 * With the default grace period, A lingers while its advertisement waits
 * in B's qdisc: listed as lingering with at least one kernel socket, and
 * nothing in the kernel log about it for QUIET_MS.  Once the qdisc is
 * deleted, A leaves the view, still without a word, and its events were
 * netns_lingering then netns_freed, never netns_leaked.
 */
TEST_F_TIMEOUT(linger, released_within_grace_is_silent, 120)
{
	struct kmsg_tally t = {};
	struct nsc_view_ns v = {};
	unsigned int seen;
	uint64_t end;

	ASSERT_EQ(0, set_grace(self, QUIET_GRACE));
	hold_a_reply(_metadata, self);
	close_a_lingering(_metadata, self, &v);
	EXPECT_STREQ("lingering", v.state);

	end = nsc_now_ms() + QUIET_MS;
	while (nsc_now_ms() < end) {
		ASSERT_EQ(0, kmsg_scan(self->kmsg, self->cookie[NS_A], &t));
		nsc_sleep_ms(100);
	}
	EXPECT_EQ(0, t.reports) {
		TH_LOG("%s", t.last);
	}
	ASSERT_EQ(1, nsc_view_find(self->ino[NS_A], self->cookie[NS_A], &v));
	EXPECT_STREQ("lingering", v.state);

	/* Its packets dropped, the socket goes, and A with it. */
	ASSERT_EQ(0, qdisc_del_root(&self->nlb, self->port_c)) {
		TH_LOG("%s", self->nlb.extack);
	}
	EXPECT_EQ(1, nsc_view_wait_gone(self->ino[NS_A], self->cookie[NS_A],
					NSC_POLL_TIMEOUT_MS, &seen, &v)) {
		TH_LOG("A is %s: sock %d dev %d neigh %d other %d", v.state,
		       v.sock, v.dev, v.neigh, v.other);
	}
	EXPECT_EQ(0, seen & 1u << NSC_LEAKED);
	ASSERT_EQ(0, kmsg_scan(self->kmsg, self->cookie[NS_A], &t));
	EXPECT_EQ(0, t.reports);
	EXPECT_EQ(0, t.released) {
		TH_LOG("%s", t.last);
	}
	expect_a_events(_metadata, self, false);
	expect_all_freed(_metadata, self);
}

/*
 * With weak_grace_secs 1, A is leaked about a second after its teardown:
 * listed as leaked, and reported once, with at least one kernel socket
 * and at least a second.  Once the qdisc is deleted, A leaves the view and
 * one more line says it was released; its events were netns_lingering,
 * netns_leaked, netns_freed.  The report is announced in the log by cookie
 * first, as scripts/results.sh wants.
 */
TEST_F_TIMEOUT(linger, held_past_grace_is_reported_once, 120)
{
	struct kmsg_tally t = {};
	struct nsc_view_ns v = {};
	char line[128];

	hold_a_reply(_metadata, self);
	/* Only A may linger while the grace period is short. */
	ASSERT_TRUE(NSC_POLL(teardowns_done(), NSC_POLL_TIMEOUT_MS)) {
		TH_LOG("namespaces still queued %ld, exiting %ld, lingering %ld",
		       nsc_view_state_count("queued"),
		       nsc_view_state_count("exiting"),
		       nsc_view_state_count("lingering"));
	}
	snprintf(line, sizeof(line),
		 "netns-core: expect one weak reference report for cookie %llu",
		 (unsigned long long)self->cookie[NS_A]);
	ASSERT_EQ(0, nsc_kmsg_write(line));
	ASSERT_EQ(0, set_grace(self, SHORT_GRACE));
	close_a_lingering(_metadata, self, &v);
	EXPECT_TRUE(NSC_POLL(nsc_view_find(self->ino[NS_A], self->cookie[NS_A],
					   &v) == 1 &&
			     !strcmp(v.state, "leaked"), NSC_POLL_TIMEOUT_MS)) {
		TH_LOG("A is %s", v.state);
	}
	EXPECT_TRUE(NSC_POLL(kmsg_scan(self->kmsg, self->cookie[NS_A], &t) ||
			     t.reports > 0, REPORT_MS));
	ASSERT_EQ(0, restore_grace(self));
	EXPECT_LE(1, v.sock);
	EXPECT_EQ(1, t.reports);
	EXPECT_LE(1, t.report_socks) {
		TH_LOG("%s", t.last);
	}
	EXPECT_LE(SHORT_GRACE, t.held_s);

	/* Its packets dropped, the socket goes, and A with it: said once. */
	ASSERT_EQ(0, qdisc_del_root(&self->nlb, self->port_c)) {
		TH_LOG("%s", self->nlb.extack);
	}
	EXPECT_EQ(1, nsc_view_wait_gone(self->ino[NS_A], self->cookie[NS_A],
					NSC_POLL_TIMEOUT_MS, NULL, &v)) {
		TH_LOG("A is %s: sock %d dev %d neigh %d other %d", v.state,
		       v.sock, v.dev, v.neigh, v.other);
	}
	ASSERT_EQ(0, kmsg_scan(self->kmsg, self->cookie[NS_A], &t));
	EXPECT_EQ(1, t.reports);
	EXPECT_EQ(1, t.released) {
		TH_LOG("%s", t.last);
	}
	expect_a_events(_metadata, self, true);
	expect_all_freed(_metadata, self);
}

TEST_HARNESS_MAIN
