// SPDX-License-Identifier: GPL-2.0
/*
 * Peer network namespace ids (nsid): RTM_NEWNSID / RTM_GETNSID (by fd, pid
 * and nsid, with and without NETNSA_TARGET_NSID), dumps, error reporting
 * with extended ACK and RTM_NEWNSID/RTM_DELNSID notifications.
 *
 * Every test runs in a fresh netns ("self") whose nsid table starts empty;
 * the peers are namespaces referenced only by file descriptors.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "netns_util.h"
#include "netns_nsid_fixture.h"

TEST_F(nsid, new_explicit_id)
{
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 5));
	EXPECT_EQ(5, nsid_of(&self->nl, self->peer[0]));
	/* Other peers are unaffected. */
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED,
		  nsid_of(&self->nl, self->peer[1]));

	/* Any non-negative id can be chosen. */
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[1],
				  1000000));
	EXPECT_EQ(1000000, nsid_of(&self->nl, self->peer[1]));
	EXPECT_EQ(5, nsid_of(&self->nl, self->peer[0]));
}

TEST_F(nsid, new_auto_id_lowest_free)
{
	int p3;

	/* -1: the lowest free id is allocated. */
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], -1));
	EXPECT_EQ(0, nsid_of(&self->nl, self->peer[0]));
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[1], 1));
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[2], -1));
	EXPECT_EQ(2, nsid_of(&self->nl, self->peer[2]));

	/* Any negative id means "allocate one". */
	p3 = nsc_netns_new();
	ASSERT_GE(p3, 0);
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, p3, -42));
	EXPECT_EQ(3, nsid_of(&self->nl, p3));
	close(p3);
}

TEST_F(nsid, get_unassigned)
{
	struct nsc_nsid_entry ents[4];

	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED,
		  nsid_of(&self->nl, self->peer[0]));
	/* Not even the own namespace has an id. */
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&self->nl, self->self_fd));
	/* RTM_GETNSID does not allocate one. */
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED,
		  nsid_of(&self->nl, self->peer[0]));
	EXPECT_EQ(0, nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 4));
}

TEST_F(nsid, get_by_nsid)
{
	int id;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 7));
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_NSID, 7, NSC_NO_NSID,
				  &id, NULL));
	EXPECT_EQ(7, id);

	/* Unknown (and negative) ids do not resolve to a namespace. */
	EXPECT_EQ(-ENOENT, nsc_nsid_get(&self->nl, NETNSA_NSID, 8,
					NSC_NO_NSID, &id, NULL));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);
	EXPECT_EQ(-ENOENT, nsc_nsid_get(&self->nl, NETNSA_NSID, -1,
					NSC_NO_NSID, &id, NULL));
}

/* Child setup: enter the netns given by *(int *)arg. */
static int enter_netns(void *arg)
{
	return setns(*(int *)arg, CLONE_NEWNET) ? errno : 0;
}

TEST_F(nsid, new_and_get_by_pid)
{
	struct nsc_child c0, c1;
	int id;

	ASSERT_EQ(0, nsc_child_start(&c0, 0, enter_netns, &self->peer[0]));
	ASSERT_EQ(0, nsc_child_start(&c1, 0, enter_netns, &self->peer[1]));

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 3));
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_PID, c0.pid, NSC_NO_NSID,
				  &id, NULL));
	EXPECT_EQ(3, id);

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_PID, c1.pid, 9));
	EXPECT_EQ(9, nsid_of(&self->nl, self->peer[1]));

	EXPECT_EQ(-ESRCH, nsc_nsid_get(&self->nl, NETNSA_PID, BAD_PID,
				       NSC_NO_NSID, &id, NULL));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);

	EXPECT_EQ(0, nsc_child_stop(&c0));
	EXPECT_EQ(0, nsc_child_stop(&c1));
}

TEST_F(nsid, dump_lists_all_ids)
{
	static const int ids[NR_PEERS] = { 11, 2, 5 };
	struct nsc_nsid_entry ents[8];
	int i, n;

	for (i = 0; i < NR_PEERS; i++)
		ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[i],
					  ids[i]));

	n = nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 8);
	ASSERT_EQ(NR_PEERS, n);
	/* In ascending id order, without NETNSA_CURRENT_NSID. */
	EXPECT_EQ(2, ents[0].nsid);
	EXPECT_EQ(5, ents[1].nsid);
	EXPECT_EQ(11, ents[2].nsid);
	for (i = 0; i < n; i++)
		EXPECT_EQ(NSC_NO_NSID, ents[i].current_nsid);
}

TEST_F(nsid, new_duplicate_id_eexist)
{
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 4));
	EXPECT_EQ(-EEXIST, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[1],
					4));
	EXPECT_STREQ("The specified nsid is already used", self->nl.extack);
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED,
		  nsid_of(&self->nl, self->peer[1]));
	EXPECT_EQ(4, nsid_of(&self->nl, self->peer[0]));
}

TEST_F(nsid, new_peer_already_assigned_eexist)
{
	int id;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 4));
	EXPECT_EQ(-EEXIST, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0],
					5));
	EXPECT_STREQ("Peer netns already has a nsid assigned",
		     self->nl.extack);
	EXPECT_EQ(-EEXIST, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0],
					-1));
	EXPECT_STREQ("Peer netns already has a nsid assigned",
		     self->nl.extack);

	EXPECT_EQ(4, nsid_of(&self->nl, self->peer[0]));
	EXPECT_EQ(-ENOENT, nsc_nsid_get(&self->nl, NETNSA_NSID, 5,
					NSC_NO_NSID, &id, NULL));
}

TEST_F(nsid, new_missing_nsid_einval)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_NEWNSID, 0, &g, sizeof(g));
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	EXPECT_EQ(-EINVAL, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("nsid is missing", self->nl.extack);
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED,
		  nsid_of(&self->nl, self->peer[0]));
}

TEST_F(nsid, new_missing_peer_einval)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsc_nsid_entry ents[4];
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_NEWNSID, 0, &g, sizeof(g));
	nsc_attr_put_s32(&m, NETNSA_NSID, 1);
	EXPECT_EQ(-EINVAL, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("Peer netns reference is missing", self->nl.extack);
	EXPECT_EQ(0, nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 4));
}

TEST_F(nsid, new_invalid_peer_reference)
{
	struct nsc_nsid_entry ents[4];
	int uts, bad;

	/* An fd that is not a network namespace. */
	uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(uts, 0);
	EXPECT_EQ(-EINVAL, nsc_nsid_new(&self->nl, NETNSA_FD, uts, 1));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);

	/* A closed fd. */
	bad = dup(uts);
	ASSERT_GE(bad, 0);
	close(bad);
	EXPECT_EQ(-EBADF, nsc_nsid_new(&self->nl, NETNSA_FD, bad, 1));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);

	/* A pid that does not exist. */
	EXPECT_EQ(-ESRCH, nsc_nsid_new(&self->nl, NETNSA_PID, BAD_PID, 1));
	EXPECT_STREQ("Peer netns reference is invalid", self->nl.extack);

	EXPECT_EQ(0, nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 4));
	close(uts);
}

TEST_F(nsid, get_missing_peer_einval)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_GETNSID, 0, &g, sizeof(g));
	EXPECT_EQ(-EINVAL, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("Peer netns reference is missing", self->nl.extack);
}

TEST_F(nsid, get_strict_rejects_unknown_attr)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsc_msg m;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 1));

	/* Legacy (non-strict) sockets ignore NETNSA_CURRENT_NSID ... */
	nsc_msg_init(&m, RTM_GETNSID, 0, &g, sizeof(g));
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	nsc_attr_put_s32(&m, NETNSA_CURRENT_NSID, 0);
	EXPECT_EQ(0, nsc_nl_talk(&self->nl, &m, NULL, NULL));

	/* ... strict ones reject it. */
	ASSERT_EQ(0, nsc_nl_set_strict(&self->nl, true));
	nsc_msg_init(&m, RTM_GETNSID, 0, &g, sizeof(g));
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	nsc_attr_put_s32(&m, NETNSA_CURRENT_NSID, 0);
	EXPECT_EQ(-EINVAL, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("Unsupported attribute in peer netns getid request",
		     self->nl.extack);
}

/*
 * self: peer0 -> 1, peer1 -> 2
 * peer0: peer1 -> 9, self -> 4
 */
static void setup_two_level(struct __test_metadata *_metadata,
			    struct _test_data_nsid *self)
{
	struct nsc_nl nl0;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 1));
	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[1], 2));
	ASSERT_EQ(0, nsc_nl_open_in(&nl0, self->peer[0]));
	ASSERT_EQ(0, nsc_nsid_new(&nl0, NETNSA_FD, self->peer[1], 9));
	ASSERT_EQ(0, nsc_nsid_new(&nl0, NETNSA_FD, self->self_fd, 4));
	nsc_nl_close(&nl0);
}

TEST_F(nsid, get_with_target_nsid)
{
	int id, cur;

	setup_two_level(_metadata, self);

	/* peer1 as seen from peer0 (nsid 1), plus its id in self. */
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_FD, self->peer[1], 1,
				  &id, &cur));
	EXPECT_EQ(9, id);
	EXPECT_EQ(2, cur);

	/* self as seen from peer0; self has no id for itself. */
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_FD, self->self_fd, 1,
				  &id, &cur));
	EXPECT_EQ(4, id);
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, cur);

	/* Without a target, no NETNSA_CURRENT_NSID. */
	ASSERT_EQ(0, nsc_nsid_get(&self->nl, NETNSA_FD, self->peer[1],
				  NSC_NO_NSID, &id, &cur));
	EXPECT_EQ(2, id);
	EXPECT_EQ(NSC_NO_NSID, cur);

	/* An unknown target nsid. */
	EXPECT_EQ(-EINVAL, nsc_nsid_get(&self->nl, NETNSA_FD, self->peer[1],
					77, &id, &cur));
	EXPECT_STREQ("Target netns reference is invalid", self->nl.extack);
}

TEST_F(nsid, dump_with_target_nsid)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsc_nsid_entry ents[8];
	struct nsc_msg m;
	int n;

	setup_two_level(_metadata, self);

	/* Non-strict sockets ignore the target: self's own table. */
	n = nsc_nsid_dump(&self->nl, 1, ents, 8);
	ASSERT_EQ(2, n);
	EXPECT_EQ(1, ents[0].nsid);
	EXPECT_EQ(2, ents[1].nsid);
	EXPECT_EQ(NSC_NO_NSID, ents[0].current_nsid);

	/* Strict sockets dump peer0's table, with ids relative to self. */
	ASSERT_EQ(0, nsc_nl_set_strict(&self->nl, true));
	n = nsc_nsid_dump(&self->nl, 1, ents, 8);
	ASSERT_EQ(2, n);
	EXPECT_EQ(4, ents[0].nsid);
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, ents[0].current_nsid);
	EXPECT_EQ(9, ents[1].nsid);
	EXPECT_EQ(2, ents[1].current_nsid);

	/* Strict dump errors come with an extack message. */
	EXPECT_EQ(-EINVAL, nsc_nsid_dump(&self->nl, 77, ents, 8));
	EXPECT_STREQ("Invalid target network namespace id", self->nl.extack);

	nsc_msg_init(&m, RTM_GETNSID, NLM_F_DUMP, &g, sizeof(g));
	nsc_attr_put_u32(&m, NETNSA_FD, self->peer[0]);
	EXPECT_EQ(-EINVAL, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("Unsupported attribute in dump request", self->nl.extack);
}

TEST_F(nsid, ids_are_per_netns)
{
	struct nsc_nsid_entry ents[4];
	struct nsc_nl nl1;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 5));
	ASSERT_EQ(0, nsc_nl_open_in(&nl1, self->peer[1]));

	/* peer1's table is separate and still empty. */
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&nl1, self->peer[0]));
	EXPECT_EQ(0, nsc_nsid_dump(&nl1, NSC_NO_NSID, ents, 4));
	/* The same id can be used there for another peer. */
	EXPECT_EQ(0, nsc_nsid_new(&nl1, NETNSA_FD, self->peer[2], 5));
	EXPECT_EQ(5, nsid_of(&nl1, self->peer[2]));
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED, nsid_of(&self->nl, self->peer[2]));
	nsc_nl_close(&nl1);
}

TEST_F(nsid, delnsid_request_not_supported)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsc_msg m;

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 6));

	nsc_msg_init(&m, RTM_DELNSID, 0, &g, sizeof(g));
	nsc_attr_put_s32(&m, NETNSA_NSID, 6);
	EXPECT_EQ(-EOPNOTSUPP, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_EQ(6, nsid_of(&self->nl, self->peer[0]));
}

TEST_F(nsid, newnsid_requires_cap_net_admin)
{
	ASSERT_EQ(0, nsc_drop_cap(CAP_NET_ADMIN));
	EXPECT_EQ(-EPERM, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0],
				       1));
	/* Queries are unprivileged. */
	EXPECT_EQ(NETNSA_NSID_NOT_ASSIGNED,
		  nsid_of(&self->nl, self->peer[0]));
}

struct nsid_event {
	uint16_t type;
	int nsid;
};

static int match_nsid_event(const struct nlmsghdr *h, void *arg)
{
	const struct nsid_event *ev = arg;
	struct nlattr *tb[NETNSA_MAX + 1];

	if (h->nlmsg_type != ev->type)
		return 0;
	nsc_parse_msg(tb, NETNSA_MAX, h, sizeof(struct rtgenmsg));
	return tb[NETNSA_NSID] && nsc_attr_s32(tb[NETNSA_NSID]) == ev->nsid;
}

TEST_F_TIMEOUT(nsid, notify_new_and_del, 60)
{
	struct nsid_event ev;
	struct nsc_nsid_entry ents[4];
	struct nsc_nl mon;
	int id;

	ASSERT_EQ(0, nsc_nl_open(&mon));
	ASSERT_EQ(0, nsc_nl_join_group(&mon, RTNLGRP_NSID));

	ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0], 7));
	ev.type = RTM_NEWNSID;
	ev.nsid = 7;
	EXPECT_EQ(1, nsc_nl_wait_msg(&mon, 5000, match_nsid_event, &ev));

	/* The peer's last reference goes away: its nsid is removed. */
	close(self->peer[0]);
	self->peer[0] = -1;
	ev.type = RTM_DELNSID;
	EXPECT_EQ(1, nsc_nl_wait_msg(&mon, NSC_POLL_TIMEOUT_MS,
				     match_nsid_event, &ev));

	EXPECT_EQ(-ENOENT, nsc_nsid_get(&self->nl, NETNSA_NSID, 7,
					NSC_NO_NSID, &id, NULL));
	EXPECT_EQ(0, nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, 4));
	nsc_nl_close(&mon);
}

TEST_HARNESS_MAIN
