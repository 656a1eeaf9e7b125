// SPDX-License-Identifier: GPL-2.0
/*
 * Which broadcasts of a namespace a listener elsewhere receives.  A socket
 * in the test's namespace "A" with NETLINK_LISTEN_ALL_NSID hears a child
 * namespace "B" exactly while A holds an nsid for it: B's link and netconf
 * messages arrive, tagged with that nsid, while B is alive; none arrive
 * while B is being set up (no one can name it yet) or once its teardown
 * has removed the nsid (RTM_DELNSID comes before any exit method), while
 * A's own messages about the veth end B's teardown destroys still do.
 * And a device's uevents reach the uevent socket of its own namespace.
 *
 * The fixture runs the test in a private user namespace whose
 * max_net_namespaces makes the end of B's teardown observable: B's count
 * comes back after its last exit method, so after every message its
 * teardown sent (broadcasts are queued to the listener as they are sent).
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netconf.h>

#include "kselftest_harness.h"
#include "netns_util.h"

#define NOTIFY_LIMIT	4	/* max_net_namespaces: A, B and spares */
#define CHILD_NSID	17	/* A's nsid for B */
#define DRAIN_MS	200	/* listening after each step */
#define UEVENT_WAIT_MS	5000
#define NR_EVENTS	256
#define DUMMY		"nsc-ndummy"
#define VETH_A		"nsc-nva"
#define VETH_B		"nsc-nvb"

#define ANY		INT_MAX		/* struct want: any value */
#define SOME		(INT_MAX - 1)	/* struct want.nsid: any nsid at all */

/* One message a listener received. */
struct ev {
	int type;
	int family;
	int index;		/* ifindex, NETCONFA_IFINDEX or NETNSA_NSID */
	unsigned int flags;	/* ifi_flags of link messages */
	int nsid;		/* of the control message, or NSC_NO_NSID */
};

struct evlog {
	const char *name;	/* of the listener, for the test's log */
	struct ev ev[NR_EVENTS];
	int n;
	int lost;		/* received when ev[] was full */
	int printed;		/* ev[0..printed - 1] are in the test's log */
};

/* A message to look for; each field may be ANY. */
struct want {
	int type;
	int family;
	int index;
	int nsid;		/* NSC_NO_NSID: none; SOME: any nsid */
	int up;			/* 1: IFF_UP set, 0: clear */
};

static struct want want(int type, int family, int index, int nsid)
{
	struct want w = {
		.type = type,
		.family = family,
		.index = index,
		.nsid = nsid,
		.up = ANY,
	};

	return w;
}

static void ev_parse(const struct nlmsghdr *h, struct ev *e)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	/* Only tb[attr] is used; both attributes are below NETCONFA_MAX. */
	struct nlattr *tb[NETCONFA_MAX + 1];
	size_t hdrlen;
	int attr;

	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
			return;
		e->family = ifi->ifi_family;
		e->index = ifi->ifi_index;
		e->flags = ifi->ifi_flags;
		return;
	case RTM_NEWNETCONF:
	case RTM_DELNETCONF:
		hdrlen = sizeof(struct netconfmsg);
		attr = NETCONFA_IFINDEX;
		break;
	case RTM_NEWNSID:
	case RTM_DELNSID:
		hdrlen = sizeof(struct rtgenmsg);
		attr = NETNSA_NSID;
		break;
	default:
		return;
	}
	if (h->nlmsg_len < NLMSG_LENGTH(hdrlen))
		return;
	/* ncm_family and rtgen_family: the first byte of either header */
	e->family = *(const unsigned char *)NLMSG_DATA(h);
	nsc_parse_msg(tb, attr, h, hdrlen);
	if (tb[attr])
		e->index = nsc_attr_s32(tb[attr]);
}

/* An nsc_notify_cb: append the message to the evlog arg. */
static int ev_record(const struct nlmsghdr *h, int nsid, void *arg)
{
	struct evlog *log = arg;
	struct ev *e;

	if (log->n == NR_EVENTS) {
		log->lost++;
		return 0;
	}
	e = &log->ev[log->n++];
	memset(e, 0, sizeof(*e));
	e->type = h->nlmsg_type;
	e->nsid = nsid;
	ev_parse(h, e);
	return 0;
}

static const char *ev_name(int type)
{
	switch (type) {
	case RTM_NEWLINK:
		return "NEWLINK";
	case RTM_DELLINK:
		return "DELLINK";
	case RTM_NEWNETCONF:
		return "NEWNETCONF";
	case RTM_DELNETCONF:
		return "DELNETCONF";
	case RTM_NEWNSID:
		return "NEWNSID";
	case RTM_DELNSID:
		return "DELNSID";
	}
	return "other";
}

static bool ev_matches(const struct ev *e, const struct want *w)
{
	return (w->type == ANY || e->type == w->type) &&
	       (w->family == ANY || e->family == w->family) &&
	       (w->index == ANY || e->index == w->index) &&
	       (w->nsid == ANY || e->nsid == w->nsid ||
		(w->nsid == SOME && e->nsid != NSC_NO_NSID)) &&
	       (w->up == ANY || !!(e->flags & IFF_UP) == w->up);
}

/* Position of the first message from position from on that matches w. */
static int ev_find(const struct evlog *log, int from, const struct want *w)
{
	int i;

	for (i = from; i < log->n; i++)
		if (ev_matches(&log->ev[i], w))
			return i;
	return -1;
}

/* The messages of log not logged yet: (type, family, index, flags, nsid). */
static void ev_print(struct __test_metadata *_metadata, struct evlog *log)
{
	char nsid[16];
	int i;

	for (i = log->printed; i < log->n; i++) {
		const struct ev *e = &log->ev[i];

		snprintf(nsid, sizeof(nsid), "%d", e->nsid);
		TH_LOG("%s #%d: %s type %d family %d index %d flags 0x%x nsid %s",
		       log->name, i, ev_name(e->type), e->type, e->family, e->index,
		       e->flags, e->nsid == NSC_NO_NSID ? "none" : nsid);
	}
	log->printed = log->n;
}

/* Expect a message like w from position from on; its position or -1. */
static int expect_ev(struct __test_metadata *_metadata, struct evlog *log,
		     int from, const char *what, struct want w)
{
	int i = ev_find(log, from, &w);

	EXPECT_LE(0, i) {
		TH_LOG("no %s (type %d family %d index %d nsid %d) from #%d on",
		       what, w.type, w.family, w.index, w.nsid, from);
		ev_print(_metadata, log);
	}
	return i;
}

/*
 * Expect the link message and the IPv4 and IPv6 netconf messages of a
 * device created or (del) deleted; the position of the link message.
 */
static int expect_dev_ev(struct __test_metadata *_metadata,
			 struct evlog *log, int from, bool del, int ifindex,
			 int nsid)
{
	int link = del ? RTM_DELLINK : RTM_NEWLINK;
	int conf = del ? RTM_DELNETCONF : RTM_NEWNETCONF;
	int i;

	i = expect_ev(_metadata, log, from, ev_name(link),
		      want(link, AF_UNSPEC, ifindex, nsid));
	expect_ev(_metadata, log, from, "IPv4 netconf",
		  want(conf, AF_INET, ifindex, nsid));
	expect_ev(_metadata, log, from, "IPv6 netconf",
		  want(conf, AF_INET6, ifindex, nsid));
	return i;
}

/* Expect no message like w from position from on. */
static void expect_no_ev(struct __test_metadata *_metadata, struct evlog *log,
			 int from, const char *what, struct want w)
{
	int i = ev_find(log, from, &w);

	EXPECT_EQ(-1, i) {
		TH_LOG("%s at #%d (from #%d on)", what, i, from);
		ev_print(_metadata, log);
	}
}

/* Listen for DRAIN_MS, appending what arrives to log. */
static void drain(struct __test_metadata *_metadata, struct nsc_nl *mon,
		  struct evlog *log)
{
	int err = nsc_nl_wait_notify(mon, DRAIN_MS, ev_record, log);

	ASSERT_EQ(0, err) {
		TH_LOG("receiving: %s (ENOBUFS: messages were lost)",
		       strerror(-err));
	}
	ASSERT_EQ(0, log->lost);
}

/*
 * An rtnetlink listener for links, IPv4/IPv6 netconf and nsids, which with
 * all_nsid also hears every namespace its own namespace has an nsid for.
 */
static int listener_open(struct nsc_nl *mon, bool all_nsid)
{
	static const unsigned int groups[] = {
		RTNLGRP_LINK, RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF,
		RTNLGRP_NSID,
	};
	unsigned int i;
	int one = 1;
	int err;

	err = nsc_nl_open(mon);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(groups) && !err; i++)
		err = nsc_nl_join_group(mon, groups[i]);
	if (!err && all_nsid &&
	    setsockopt(mon->fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, &one,
		       sizeof(one)))
		err = -errno;
	if (err)
		nsc_nl_close(mon);
	return err;
}

FIXTURE(notify) {
	struct nsc_nl nl;	/* requests in A */
	struct nsc_nl mon;	/* listener in A, NETLINK_LISTEN_ALL_NSID */
	struct nsc_nl nlb;	/* requests in B */
	int nsb;		/* fd of B */
	struct evlog log;	/* what mon received */
};

FIXTURE_SETUP(notify)
{
	int home;

	self->nl.fd = -1;
	self->mon.fd = -1;
	self->nlb.fd = -1;
	self->nsb = -1;
	self->log.name = "listener";
	home = nsc_userns_limit_enter(NOTIFY_LIMIT);
	if (home == -EACCES || home == -EPERM || home == -EROFS ||
	    home == -ENOENT)
		SKIP(return, "no private user namespace with %s: %s",
		     NSC_MAX_NETNS_SYSCTL, strerror(-home));
	ASSERT_LE(0, home);
	close(home);
	ASSERT_EQ(0, nsc_nl_open(&self->nl));
	ASSERT_EQ(0, listener_open(&self->mon, true));
}

FIXTURE_TEARDOWN(notify)
{
	nsc_nl_close(&self->nl);
	nsc_nl_close(&self->mon);
	nsc_nl_close(&self->nlb);
	if (self->nsb >= 0)
		close(self->nsb);
}

/* B held by an fd, with a socket in it, named CHILD_NSID in A. */
static void child_named(struct __test_metadata *_metadata,
			struct _test_data_notify *self, int nsb)
{
	self->nsb = nsb;
	ASSERT_LE(0, self->nsb);
	ASSERT_EQ(0, nsc_nl_open_in(&self->nlb, self->nsb));
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->nsb,
				  CHILD_NSID));
}

/* A live B is heard: its dummy's link and netconf messages, with B's nsid. */
TEST_F(notify, listen_all_nsid_sees_live_child)
{
	struct evlog *log = &self->log;
	struct want w;
	int step, idx;

	child_named(_metadata, self, nsc_netns_new());
	drain(_metadata, &self->mon, log);
	/* A's own news: no nsid on it. */
	expect_ev(_metadata, log, 0, "RTM_NEWNSID naming B",
		  want(RTM_NEWNSID, AF_UNSPEC, CHILD_NSID, NSC_NO_NSID));

	step = log->n;
	ASSERT_EQ(0, nsc_dummy_add(&self->nlb, DUMMY)) {
		TH_LOG("dummy: %s", self->nlb.extack);
	}
	idx = nsc_link_index(&self->nlb, DUMMY);
	ASSERT_LT(0, idx);
	drain(_metadata, &self->mon, log);
	expect_dev_ev(_metadata, log, step, false, idx, CHILD_NSID);

	step = log->n;
	ASSERT_EQ(0, nsc_link_set_up(&self->nlb, idx, true));
	drain(_metadata, &self->mon, log);
	w = want(RTM_NEWLINK, AF_UNSPEC, idx, CHILD_NSID);
	w.up = 1;
	expect_ev(_metadata, log, step, "RTM_NEWLINK of B's dummy, up", w);

	step = log->n;
	ASSERT_EQ(0, nsc_link_set_up(&self->nlb, idx, false));
	drain(_metadata, &self->mon, log);
	w.up = 0;
	expect_ev(_metadata, log, step, "RTM_NEWLINK of B's dummy, down", w);

	step = log->n;
	ASSERT_EQ(0, nsc_link_del(&self->nlb, idx));
	drain(_metadata, &self->mon, log);
	expect_dev_ev(_metadata, log, step, true, idx, CHILD_NSID);
}

/* B's teardown: its nsid goes first, then only A's own veth end is heard. */
TEST_F_TIMEOUT(notify, teardown_sends_what_a_peer_can_receive, 90)
{
	struct evlog *log = &self->log;
	int dummy, va, vb, start, del, gone, got, err, id;

	child_named(_metadata, self, nsc_netns_new());
	ASSERT_EQ(0, nsc_dummy_add(&self->nlb, DUMMY)) {
		TH_LOG("dummy: %s", self->nlb.extack);
	}
	ASSERT_EQ(0, nsc_veth_add(&self->nl, VETH_A, VETH_B, IFLA_NET_NS_FD,
				  self->nsb)) {
		TH_LOG("veth: %s", self->nl.extack);
	}
	dummy = nsc_link_index(&self->nlb, DUMMY);
	ASSERT_LT(0, dummy);
	va = nsc_link_index(&self->nl, VETH_A);
	ASSERT_LT(0, va);
	vb = nsc_link_index(&self->nlb, VETH_B);
	ASSERT_LT(0, vb);
	drain(_metadata, &self->mon, log);
	/* Alive, B is heard. */
	expect_ev(_metadata, log, 0, "RTM_NEWLINK of B's dummy",
		  want(RTM_NEWLINK, AF_UNSPEC, dummy, CHILD_NSID));
	expect_ev(_metadata, log, 0, "RTM_NEWLINK of B's veth end",
		  want(RTM_NEWLINK, AF_UNSPEC, vb, CHILD_NSID));
	expect_ev(_metadata, log, 0, "RTM_NEWLINK of A's veth end",
		  want(RTM_NEWLINK, AF_UNSPEC, va, NSC_NO_NSID));

	/* B's last references go. */
	start = log->n;
	nsc_nl_close(&self->nlb);
	close(self->nsb);
	self->nsb = -1;
	EXPECT_TRUE(NSC_POLL(nsc_link_index(&self->nl, VETH_A) == -ENODEV,
			     NSC_POLL_TIMEOUT_MS));
	/*
	 * B's count comes back once its teardown is over: then every message
	 * it sent is in mon's queue.
	 */
	err = nsc_netns_expect_available(NOTIFY_LIMIT - 1, NSC_POLL_TIMEOUT_MS,
					 &got);
	EXPECT_EQ(0, err) {
		TH_LOG("B not freed: %d of %d namespaces available: %s", got,
		       NOTIFY_LIMIT - 1, strerror(-err));
	}
	drain(_metadata, &self->mon, log);

	del = expect_ev(_metadata, log, start, "RTM_DELNSID of B",
			want(RTM_DELNSID, AF_UNSPEC, CHILD_NSID, NSC_NO_NSID));
	/* A's veth end: A's own messages, without an nsid. */
	gone = expect_dev_ev(_metadata, log, start, true, va, NSC_NO_NSID);
	/* The nsid goes before any exit method runs, as on stock 6.12. */
	EXPECT_LT(del, gone) {
		TH_LOG("RTM_DELNSID at #%d, A's veth end gone at #%d", del,
		       gone);
		ev_print(_metadata, log);
	}
	/*
	 * Then nothing of B: no message tagged with an nsid (A names no other
	 * namespace), and no new nsid for B.
	 */
	expect_no_ev(_metadata, log, del < 0 ? start : del + 1,
		     "a message with an nsid after RTM_DELNSID",
		     want(ANY, ANY, ANY, SOME));
	expect_no_ev(_metadata, log, start, "an RTM_NEWNSID",
		     want(RTM_NEWNSID, ANY, ANY, ANY));
	EXPECT_EQ(-ENOENT, nsc_nsid_get(&self->nl, NETNSA_NSID, CHILD_NSID,
					NSC_NO_NSID, &id, NULL));
}

/* Namespaces being created send nothing a peer hears; once named, B is. */
TEST_F(notify, creation_is_silent_to_peers)
{
	static const int types[] = { RTM_NEWLINK, RTM_NEWNETCONF };
	struct evlog *log = &self->log;
	struct nsc_nl plain;	/* listener in A, no NETLINK_LISTEN_ALL_NSID */
	struct evlog plog = { .name = "plain listener" };
	struct nsc_child c;
	int b, step, pstep;
	unsigned int i;
	struct want w;

	ASSERT_EQ(0, listener_open(&plain, false));
	/* One held by an fd, one with a process in it. */
	b = nsc_netns_new();
	ASSERT_LE(0, b);
	ASSERT_EQ(0, nsc_child_start(&c, CLONE_NEWNET, NULL, NULL));
	drain(_metadata, &self->mon, log);
	drain(_metadata, &plain, &plog);

	/* Nobody has an nsid for them ... */
	expect_no_ev(_metadata, log, 0, "a message with an nsid",
		     want(ANY, ANY, ANY, SOME));
	/* ... and their loopback's messages are theirs, not A's. */
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		expect_no_ev(_metadata, log, 0, ev_name(types[i]),
			     want(types[i], ANY, ANY, ANY));
		expect_no_ev(_metadata, &plog, 0, ev_name(types[i]),
			     want(types[i], ANY, ANY, ANY));
	}

	/* Named, the one held by fd is heard, by mon only. */
	step = log->n;
	pstep = plog.n;
	child_named(_metadata, self, b);
	ASSERT_EQ(0, nsc_link_set_up(&self->nlb, 1, true));
	drain(_metadata, &self->mon, log);
	drain(_metadata, &plain, &plog);
	w = want(RTM_NEWLINK, AF_UNSPEC, 1, CHILD_NSID);
	w.up = 1;
	expect_ev(_metadata, log, step, "RTM_NEWLINK of B's lo, up", w);
	expect_ev(_metadata, &plog, pstep, "RTM_NEWNSID naming B",
		  want(RTM_NEWNSID, AF_UNSPEC, CHILD_NSID, NSC_NO_NSID));
	expect_no_ev(_metadata, &plog, pstep, "RTM_NEWLINK",
		     want(RTM_NEWLINK, ANY, ANY, ANY));

	EXPECT_EQ(0, nsc_child_stop(&c));
	nsc_nl_close(&plain);
}

/* A socket for the kernel's uevents (group 1) in the caller's netns. */
static int uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* An nsc_dgram_cb: 1 if the uevent's header ("add@/devices/...") is arg. */
static int uevent_match(const void *buf, size_t len, int nsid, void *arg)
{
	const char *header = arg;
	size_t n = strlen(header);

	(void)nsid;
	return len > n && !memcmp(buf, header, n + 1);
}

/* 1 if fd receives the uevent header within ms, 0 if not, or -errno. */
static int uevent_wait(int fd, const char *header, int ms)
{
	return nsc_nl_wait_dgram(fd, ms, uevent_match, (void *)header);
}

/* A device's uevents reach its own namespace's socket, not its parent's. */
TEST(uevent_of_live_child_device)
{
	char add[64], rem[64];
	struct nsc_nl nl;
	int ua, ub, idx, err;

	/* A, with a uevent socket ... */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ua = uevent_open();
	ASSERT_LE(0, ua);
	/* ... and B, its child, with one, where the dummy is created. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ub = uevent_open();
	ASSERT_LE(0, ub);
	ASSERT_EQ(0, nsc_nl_open(&nl));

	snprintf(add, sizeof(add), "add@/devices/virtual/net/%s", DUMMY);
	snprintf(rem, sizeof(rem), "remove@/devices/virtual/net/%s", DUMMY);
	err = nsc_link_add(&nl, DUMMY, "dummy", 0, 0);
	if (err == -EOPNOTSUPP)
		SKIP(return, "no dummy driver (CONFIG_DUMMY)");
	ASSERT_EQ(0, err) {
		TH_LOG("dummy: %s", nl.extack);
	}
	EXPECT_EQ(1, uevent_wait(ub, add, UEVENT_WAIT_MS));
	EXPECT_EQ(0, uevent_wait(ua, add, DRAIN_MS));

	idx = nsc_link_index(&nl, DUMMY);
	ASSERT_LT(0, idx);
	ASSERT_EQ(0, nsc_link_del(&nl, idx));
	EXPECT_EQ(1, uevent_wait(ub, rem, UEVENT_WAIT_MS));
	EXPECT_EQ(0, uevent_wait(ua, rem, DRAIN_MS));

	nsc_nl_close(&nl);
	close(ub);
	close(ua);
}

TEST_HARNESS_MAIN
