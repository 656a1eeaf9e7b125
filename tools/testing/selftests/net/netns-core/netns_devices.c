// SPDX-License-Identifier: GPL-2.0
/*
 * Network devices across namespaces: moving links (by fd, pid and nsid),
 * veth pairs spanning namespaces and their destruction with a namespace,
 * ifindex/name handling on moves, and the per-namespace views of
 * rtnetlink sockets and /proc/net/dev.
 *
 * Every test runs in a fresh netns "A" (the test process) with a second
 * namespace "B" referenced by an fd and an rtnetlink socket opened in it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>

#include "kselftest_harness.h"
#include "netns_util.h"

#define NR_LINKS	16

FIXTURE(dev) {
	struct nsc_nl nl;	/* socket in A */
	struct nsc_nl nlb;	/* socket in B */
	int nsb;		/* fd of B */
};

FIXTURE_SETUP(dev)
{
	self->nl.fd = -1;
	self->nlb.fd = -1;
	self->nsb = -1;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_nl_open(&self->nl));
	self->nsb = nsc_netns_new();
	ASSERT_GE(self->nsb, 0);
	ASSERT_EQ(0, nsc_nl_open_in(&self->nlb, self->nsb));
}

FIXTURE_TEARDOWN(dev)
{
	nsc_nl_close(&self->nl);
	nsc_nl_close(&self->nlb);
	if (self->nsb >= 0)
		close(self->nsb);
}

/* Create the veth pair nsc-va / nsc-vb in A and return nsc-vb's index. */
static int veth_in_a(struct __test_metadata *_metadata,
		     struct _test_data_dev *self)
{
	int vb;

	EXPECT_EQ(0, nsc_veth_add(&self->nl, "nsc-va", "nsc-vb", 0, 0)) {
		TH_LOG("veth: %s", self->nl.extack);
	}
	vb = nsc_link_index(&self->nl, "nsc-vb");
	EXPECT_GT(vb, 0);
	return vb;
}

/*
 * IFLA_NET_NS_FD moves a veth end to B: the ends stay linked and A sees
 * the peer with IFLA_LINK_NETNSID, B's nsid.
 */
TEST_F(dev, veth_move_end_by_fd)
{
	struct nsc_link links[NR_LINKS], va, vb;
	int vbi, id;

	vbi = veth_in_a(_metadata, self);
	ASSERT_GT(vbi, 0);
	ASSERT_EQ(0, nsc_link_set_netns(&self->nl, vbi, IFLA_NET_NS_FD,
					self->nsb, NULL, 0));

	/* Only in B now. */
	EXPECT_EQ(-ENODEV, nsc_link_index(&self->nl, "nsc-vb"));
	EXPECT_EQ(-ENODEV, nsc_link_get(&self->nl, NULL, vbi, NULL));
	ASSERT_EQ(0, nsc_link_get(&self->nlb, "nsc-vb", 0, &vb));
	EXPECT_EQ(-ENODEV, nsc_link_index(&self->nlb, "nsc-va"));
	ASSERT_EQ(0, nsc_link_get(&self->nl, "nsc-va", 0, &va));
	EXPECT_EQ(2, nsc_link_dump(&self->nlb, NSC_NO_NSID, links,
				   NR_LINKS));
	EXPECT_EQ(2, nsc_link_dump(&self->nl, NSC_NO_NSID, links,
				   NR_LINKS));

	/*
	 * The ends still point at each other; reporting the peer's netns
	 * allocated an nsid for B in A.
	 */
	EXPECT_EQ(vb.ifindex, va.link);
	EXPECT_EQ(va.ifindex, vb.link);
	ASSERT_NE(NSC_NO_NSID, va.link_netnsid);
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_FD, self->nsb,
				  NSC_NO_NSID, &id, NULL));
	EXPECT_EQ(va.link_netnsid, id);
}

/*
 * A veth pair whose peer is created directly in B; creating it allocates
 * nsid 0 on both sides.
 */
TEST_F(dev, veth_create_peer_in_other_netns)
{
	struct nsc_link links[NR_LINKS];
	int a, id;

	a = nsc_netns_self();
	ASSERT_GE(a, 0);
	ASSERT_EQ(0, nsc_veth_add(&self->nl, "nsc-va", "nsc-vb",
				  IFLA_NET_NS_FD, self->nsb));
	EXPECT_GT(nsc_link_index(&self->nl, "nsc-va"), 0);
	EXPECT_EQ(-ENODEV, nsc_link_index(&self->nl, "nsc-vb"));
	EXPECT_GT(nsc_link_index(&self->nlb, "nsc-vb"), 0);
	EXPECT_EQ(-ENODEV, nsc_link_index(&self->nlb, "nsc-va"));
	EXPECT_EQ(2, nsc_link_dump(&self->nlb, NSC_NO_NSID, links,
				   NR_LINKS));

	/*
	 * Announcing the new links allocated nsids for each other's
	 * namespace on both sides (the first, so 0).
	 */
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_FD, self->nsb,
				  NSC_NO_NSID, &id, NULL));
	EXPECT_EQ(0, id);
	ASSERT_EQ(0, nsc_nsid_get(&self->nlb, NETNSA_FD, a, NSC_NO_NSID, &id,
				  NULL));
	EXPECT_EQ(0, id);
	close(a);
}

/*
 * Dropping B's last reference destroys its veth end, the peer in A, and
 * B's nsid in A.
 */
TEST_F_TIMEOUT(dev, veth_peer_removed_when_netns_dies, 60)
{
	int id, dummy;

	ASSERT_EQ(0, nsc_veth_add(&self->nl, "nsc-va", "nsc-vb",
				  IFLA_NET_NS_FD, self->nsb));
	ASSERT_GT(nsc_link_index(&self->nl, "nsc-va"), 0);
	/* B got an nsid in A when the veth pair was created. */
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_FD, self->nsb,
				  NSC_NO_NSID, &id, NULL));
	ASSERT_GE(id, 0);

	/* Drop the last references to B. */
	nsc_nl_close(&self->nlb);
	close(self->nsb);
	self->nsb = -1;

	/* B's cleanup destroys nsc-vb, and with it its peer in A. */
	EXPECT_TRUE(NSC_POLL(nsc_link_index(&self->nl, "nsc-va") == -ENODEV,
			     NSC_POLL_TIMEOUT_MS));
	/* B's nsid is gone as well. */
	EXPECT_EQ(-ENOENT, nsc_nsid_get(&self->nl, NETNSA_NSID, id,
					NSC_NO_NSID, &dummy, NULL));
	EXPECT_EQ(1, nsc_link_dump_has(&self->nl, "lo"));
}

/*
 * RTM_SETLINK with IFLA_TARGET_NETNSID moves a link; an unknown nsid is
 * EINVAL and nothing moves.
 */
TEST_F(dev, link_move_by_nsid)
{
	int vai, vbi;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->nsb, 3));
	vbi = veth_in_a(_metadata, self);
	ASSERT_GT(vbi, 0);
	vai = nsc_link_index(&self->nl, "nsc-va");
	ASSERT_GT(vai, 0);

	/* RTM_SETLINK + IFLA_TARGET_NETNSID moves the link. */
	ASSERT_EQ(0, nsc_link_set_netns(&self->nl, vbi, IFLA_TARGET_NETNSID,
					3, NULL, 0));
	EXPECT_EQ(-ENODEV, nsc_link_index(&self->nl, "nsc-vb"));
	EXPECT_GT(nsc_link_index(&self->nlb, "nsc-vb"), 0);

	/* An unassigned nsid is rejected and nothing moves. */
	EXPECT_EQ(-EINVAL, nsc_link_set_netns(&self->nl, vai,
					      IFLA_TARGET_NETNSID, 42, NULL,
					      0));
	EXPECT_EQ(vai, nsc_link_index(&self->nl, "nsc-va"));
}

/*
 * RTM_NEWLINK with IFLA_TARGET_NETNSID creates the link in B; a veth peer
 * without attributes of its own is created in the requester's netns.
 */
TEST_F(dev, link_create_in_netns_by_nsid)
{
	struct nsc_link links[NR_LINKS];
	int n, i, peers = 0;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->nsb, 3));
	/* RTM_NEWLINK + IFLA_TARGET_NETNSID creates the link in B. */
	ASSERT_EQ(0, nsc_link_add(&self->nl, "nsc-vc", "veth",
				  IFLA_TARGET_NETNSID, 3));
	EXPECT_GT(nsc_link_index(&self->nlb, "nsc-vc"), 0);
	EXPECT_EQ(-ENODEV, nsc_link_index(&self->nl, "nsc-vc"));

	/*
	 * The veth peer (no peer attributes given) is created in the
	 * requesting socket's namespace A, pointing at B.
	 */
	n = nsc_link_dump(&self->nl, NSC_NO_NSID, links, NR_LINKS);
	ASSERT_EQ(2, n);
	for (i = 0; i < n; i++)
		if (links[i].link_netnsid == 3)
			peers++;
	EXPECT_EQ(1, peers);
	EXPECT_EQ(2, nsc_link_dump(&self->nlb, NSC_NO_NSID, links,
				   NR_LINKS));

	/* An unassigned nsid is rejected. */
	EXPECT_EQ(-EINVAL, nsc_link_add(&self->nl, "nsc-vd", "veth",
					IFLA_TARGET_NETNSID, 42));
}

/* IFLA_NET_NS_PID moves a link into the netns of that process. */
TEST_F(dev, link_move_by_pid)
{
	struct nsc_child c;
	int vbi;

	vbi = veth_in_a(_metadata, self);
	ASSERT_GT(vbi, 0);
	ASSERT_EQ(0, nsc_child_start(&c, 0, nsc_child_enter_netns,
				     &self->nsb));
	ASSERT_EQ(0, nsc_link_set_netns(&self->nl, vbi, IFLA_NET_NS_PID,
					c.pid, NULL, 0));
	EXPECT_EQ(0, nsc_child_stop(&c));
	EXPECT_EQ(-ENODEV, nsc_link_index(&self->nl, "nsc-vb"));
	EXPECT_GT(nsc_link_index(&self->nlb, "nsc-vb"), 0);
}

/*
 * A move onto a name taken in the target netns is EEXIST with its extack;
 * the same move with a new IFLA_IFNAME succeeds.
 */
TEST_F(dev, link_move_name_conflict)
{
	int vai;

	vai = veth_in_a(_metadata, self);
	ASSERT_GT(vai, 0);
	vai = nsc_link_index(&self->nl, "nsc-va");
	ASSERT_GT(vai, 0);
	ASSERT_EQ(0, nsc_veth_add(&self->nlb, "nsc-va", "nsc-vx", 0, 0));

	EXPECT_EQ(-EEXIST, nsc_link_set_netns(&self->nl, vai, IFLA_NET_NS_FD,
					      self->nsb, NULL, 0));
	EXPECT_STREQ("An interface with the same name exists in the target netns",
		     self->nl.extack);
	EXPECT_EQ(vai, nsc_link_index(&self->nl, "nsc-va"));

	/* A new name in the same request resolves the conflict. */
	EXPECT_EQ(0, nsc_link_set_netns(&self->nl, vai, IFLA_NET_NS_FD,
					self->nsb, "nsc-vmoved", 0));
	EXPECT_EQ(-ENODEV, nsc_link_index(&self->nl, "nsc-va"));
	EXPECT_GT(nsc_link_index(&self->nlb, "nsc-vmoved"), 0);
	EXPECT_GT(nsc_link_index(&self->nlb, "nsc-va"), 0);
}

/*
 * IFLA_NEW_IFINDEX is honoured, a taken one is EBUSY; without it a
 * conflicting ifindex is replaced and a free one is kept.
 */
TEST_F(dev, link_move_ifindex)
{
	int vai, vbi, idx, a;

	vbi = veth_in_a(_metadata, self);
	ASSERT_GT(vbi, 0);
	vai = nsc_link_index(&self->nl, "nsc-va");
	ASSERT_GT(vai, 0);

	/* IFLA_NEW_IFINDEX: vb takes va's index in B (it is free there). */
	ASSERT_EQ(0, nsc_link_set_netns(&self->nl, vbi, IFLA_NET_NS_FD,
					self->nsb, NULL, vai));
	EXPECT_EQ(vai, nsc_link_index(&self->nlb, "nsc-vb"));

	/* A taken IFLA_NEW_IFINDEX is refused ... */
	EXPECT_EQ(-EBUSY, nsc_link_set_netns(&self->nl, vai, IFLA_NET_NS_FD,
					     self->nsb, NULL, 1));
	EXPECT_STREQ("The ifindex 1 is not available in the target netns",
		     self->nl.extack);
	EXPECT_EQ(vai, nsc_link_index(&self->nl, "nsc-va"));

	/* ... without it, a conflicting index is silently replaced. */
	ASSERT_EQ(0, nsc_link_set_netns(&self->nl, vai, IFLA_NET_NS_FD,
					self->nsb, NULL, 0));
	idx = nsc_link_index(&self->nlb, "nsc-va");
	EXPECT_GT(idx, 0);
	EXPECT_NE(vai, idx);
	EXPECT_EQ(vai, nsc_link_index(&self->nlb, "nsc-vb"));

	/* A free index is kept: move vb back to A, where it is free now. */
	a = nsc_netns_self();
	ASSERT_GE(a, 0);
	ASSERT_EQ(0, nsc_link_set_netns(&self->nlb, vai, IFLA_NET_NS_FD, a,
					NULL, 0));
	EXPECT_EQ(vai, nsc_link_index(&self->nl, "nsc-vb"));
	close(a);
}

/* lo cannot move: EINVAL, "The interface netns is immutable". */
TEST_F(dev, loopback_cannot_change_netns)
{
	EXPECT_EQ(-EINVAL, nsc_link_set_netns(&self->nl, 1, IFLA_NET_NS_FD,
					      self->nsb, NULL, 0));
	EXPECT_STREQ("The interface netns is immutable", self->nl.extack);
	EXPECT_EQ(1, nsc_link_index(&self->nl, "lo"));
	EXPECT_EQ(1, nsc_link_index(&self->nlb, "lo"));
}

/*
 * IFLA_NET_NS_FD together with IFLA_TARGET_NETNSID: EINVAL, "multiple
 * netns identifying attributes specified".
 */
TEST_F(dev, conflicting_netns_attrs_einval)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nsc_msg m;
	int vbi;

	vbi = veth_in_a(_metadata, self);
	ASSERT_GT(vbi, 0);
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->nsb, 3));

	ifi.ifi_index = vbi;
	nsc_msg_init(&m, RTM_SETLINK, 0, &ifi, sizeof(ifi));
	nsc_attr_put_u32(&m, IFLA_NET_NS_FD, self->nsb);
	nsc_attr_put_s32(&m, IFLA_TARGET_NETNSID, 3);
	EXPECT_EQ(-EINVAL, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("multiple netns identifying attributes specified",
		     self->nl.extack);
	EXPECT_EQ(vbi, nsc_link_index(&self->nl, "nsc-vb"));
}

/*
 * A GETLINK dump with IFLA_TARGET_NETNSID lists B's links tagged with it;
 * an unknown nsid is EINVAL, GETLINK with IFLA_NET_NS_FD EOPNOTSUPP.
 */
TEST_F(dev, getlink_in_target_netnsid)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nsc_link links[NR_LINKS];
	struct nsc_msg m;
	int n, i;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->nsb, 3));
	ASSERT_EQ(0, nsc_veth_add(&self->nl, "nsc-va", "nsc-vb",
				  IFLA_NET_NS_FD, self->nsb));

	/* A dump with IFLA_TARGET_NETNSID lists B's links, tagged. */
	n = nsc_link_dump(&self->nl, 3, links, NR_LINKS);
	ASSERT_EQ(2, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(3, links[i].target_netnsid);
		EXPECT_TRUE(!strcmp(links[i].name, "lo") ||
			    !strcmp(links[i].name, "nsc-vb"));
	}
	EXPECT_EQ(-EINVAL, nsc_link_dump(&self->nl, 42, links, NR_LINKS));

	/* RTM_GETLINK does not accept fd/pid references. */
	nsc_msg_init(&m, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	nsc_attr_put_str(&m, IFLA_IFNAME, "nsc-vb");
	nsc_attr_put_u32(&m, IFLA_NET_NS_FD, self->nsb);
	EXPECT_EQ(-EOPNOTSUPP, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("specified netns attribute not supported",
		     self->nl.extack);
}

/*
 * An rtnetlink socket sees only its own netns' links (dump, by name and
 * by index).
 */
TEST_F(dev, rtnl_socket_sees_only_own_netns)
{
	struct nsc_link links[NR_LINKS];
	int idx;

	ASSERT_EQ(0, nsc_dummy_add(&self->nl, "nsc-a0")) {
		TH_LOG("dummy: %s", self->nl.extack);
	}
	idx = nsc_link_index(&self->nl, "nsc-a0");
	ASSERT_GT(idx, 0);

	EXPECT_EQ(2, nsc_link_dump(&self->nl, NSC_NO_NSID, links, NR_LINKS));
	EXPECT_EQ(1, nsc_link_dump_has(&self->nl, "nsc-a0"));
	/* B's socket sees only B's loopback, by dump, name or index. */
	EXPECT_EQ(1, nsc_link_dump(&self->nlb, NSC_NO_NSID, links,
				   NR_LINKS));
	EXPECT_STREQ("lo", links[0].name);
	EXPECT_EQ(-ENODEV, nsc_link_index(&self->nlb, "nsc-a0"));
	EXPECT_EQ(-ENODEV, nsc_link_get(&self->nlb, NULL, idx, NULL));
}

/*
 * A socket opened in A still shows and creates A's links after setns()
 * to B; sockets opened afterwards are in B.
 */
TEST_F(dev, rtnl_socket_keeps_netns_after_setns)
{
	uint64_t ca, cb, c;
	struct nsc_nl nl2;

	ASSERT_EQ(0, nsc_dummy_add(&self->nl, "nsc-a0"));
	ASSERT_EQ(0, nsc_netns_cookie(&ca));
	ASSERT_EQ(0, nsc_netns_enter(self->nsb));
	ASSERT_EQ(0, nsc_netns_cookie(&cb));
	ASSERT_NE(ca, cb);

	/* The old socket still talks to A ... */
	ASSERT_EQ(0, nsc_sock_cookie(self->nl.fd, &c));
	EXPECT_EQ(ca, c);
	EXPECT_EQ(1, nsc_link_dump_has(&self->nl, "nsc-a0"));
	/* ... and links created through it land in A. */
	ASSERT_EQ(0, nsc_dummy_add(&self->nl, "nsc-a1"));
	EXPECT_EQ(1, nsc_link_dump_has(&self->nl, "nsc-a1"));

	/* A new socket talks to B. */
	ASSERT_EQ(0, nsc_nl_open(&nl2));
	ASSERT_EQ(0, nsc_sock_cookie(nl2.fd, &c));
	EXPECT_EQ(cb, c);
	EXPECT_EQ(0, nsc_link_dump_has(&nl2, "nsc-a0"));
	EXPECT_EQ(0, nsc_link_dump_has(&nl2, "nsc-a1"));
	nsc_nl_close(&nl2);
}

/*
 * /proc/net/dev, /proc/self/net/dev and /proc/thread-self/net/dev list
 * the caller's netns' devices and follow setns().
 */
TEST_F(dev, proc_net_dev_follows_caller_netns)
{
	ASSERT_EQ(0, nsc_dummy_add(&self->nl, "nsc-dummy0"));
	EXPECT_EQ(1, nsc_proc_net_dev_has("/proc/net/dev", "nsc-dummy0"));
	EXPECT_EQ(1, nsc_proc_net_dev_has("/proc/self/net/dev", "nsc-dummy0"));
	EXPECT_EQ(1, nsc_proc_net_dev_has("/proc/thread-self/net/dev",
					  "nsc-dummy0"));

	/* After setns() the same paths show the new namespace. */
	ASSERT_EQ(0, nsc_netns_enter(self->nsb));
	EXPECT_EQ(0, nsc_proc_net_dev_has("/proc/net/dev", "nsc-dummy0"));
	EXPECT_EQ(0, nsc_proc_net_dev_has("/proc/self/net/dev", "nsc-dummy0"));
	EXPECT_EQ(1, nsc_proc_net_dev_has("/proc/net/dev", "lo"));
	EXPECT_EQ(1, nsc_proc_net_dev_has("/proc/self/net/dev", "lo"));
}

/* Child setup: create nsc-dummy0 in the child's new netns. */
static int make_dummy(void *arg)
{
	struct nsc_nl nl;
	int err;

	(void)arg;
	err = nsc_nl_open(&nl);
	if (err)
		return -err;
	err = nsc_dummy_add(&nl, "nsc-dummy0");
	nsc_nl_close(&nl);
	if (err)
		return -err;
	return nsc_proc_net_dev_has("/proc/net/dev", "nsc-dummy0") == 1 ?
		0 : ENOENT;
}

/*
 * /proc/PID/net/dev shows the devices of PID's netns, which the parent's
 * /proc/net/dev does not list.
 */
TEST_F(dev, proc_pid_net_dev_shows_target_netns)
{
	struct nsc_child c;
	char path[64];

	ASSERT_EQ(0, nsc_child_start(&c, CLONE_NEWNET, make_dummy, NULL));

	/* Outside the child's namespace the device is not listed ... */
	EXPECT_EQ(0, nsc_proc_net_dev_has("/proc/net/dev", "nsc-dummy0"));
	EXPECT_EQ(0, nsc_proc_net_dev_has("/proc/self/net/dev", "nsc-dummy0"));
	EXPECT_EQ(0, nsc_link_dump_has(&self->nl, "nsc-dummy0"));
	/* ... except through the child's /proc/PID/net. */
	snprintf(path, sizeof(path), "/proc/%d/net/dev", c.pid);
	EXPECT_EQ(1, nsc_proc_net_dev_has(path, "nsc-dummy0"));

	EXPECT_EQ(0, nsc_child_stop(&c));
}

TEST_HARNESS_MAIN
