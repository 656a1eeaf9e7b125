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
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "netns_util.h"
#include "netns_nsid_fixture.h"

/*
 * RTM_NEWNSID with an explicit NETNSA_NSID for a peer given by
 * NETNSA_FD; RTM_GETNSID by fd reads it back.
 */
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

/* A negative NETNSA_NSID allocates the lowest free id. */
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

/*
 * An unassigned peer, and self, report -1; RTM_GETNSID does not allocate
 * and the dump is empty.
 */
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

/*
 * RTM_GETNSID by NETNSA_NSID returns the id; an unknown or negative id is
 * ENOENT, "Peer netns reference is invalid".
 */
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

/*
 * NETNSA_PID works for RTM_NEWNSID and RTM_GETNSID; an unknown pid is
 * ESRCH.
 */
TEST_F(nsid, new_and_get_by_pid)
{
	struct nsc_child c0, c1;
	int id;

	ASSERT_EQ(0, nsc_child_start(&c0, 0, nsc_child_enter_netns,
				     &self->peer[0]));
	ASSERT_EQ(0, nsc_child_start(&c1, 0, nsc_child_enter_netns,
				     &self->peer[1]));

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

/*
 * A dump lists exactly the assigned ids, ascending, without
 * NETNSA_CURRENT_NSID.
 */
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

/* An id already in use: EEXIST, "The specified nsid is already used". */
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

/*
 * A peer that already has an id, explicit or automatic: EEXIST, "Peer
 * netns already has a nsid assigned".
 */
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

/* RTM_NEWNSID without NETNSA_NSID: EINVAL, "nsid is missing". */
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

/* RTM_NEWNSID without a peer: EINVAL, "Peer netns reference is missing". */
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

/*
 * A uts fd, a closed fd or a bad pid as the peer: EINVAL, EBADF, ESRCH,
 * all "Peer netns reference is invalid".
 */
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

/* RTM_GETNSID without a peer: EINVAL, "Peer netns reference is missing". */
TEST_F(nsid, get_missing_peer_einval)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_GETNSID, 0, &g, sizeof(g));
	EXPECT_EQ(-EINVAL, nsc_nl_talk(&self->nl, &m, NULL, NULL));
	EXPECT_STREQ("Peer netns reference is missing", self->nl.extack);
}

/*
 * NETNSA_CURRENT_NSID in a request is ignored on a legacy socket and
 * EINVAL with an extack on a NETLINK_GET_STRICT_CHK one.
 */
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

/*
 * NETNSA_TARGET_NSID returns the id in the target's table, with
 * NETNSA_CURRENT_NSID; a bad target is EINVAL.
 */
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

/*
 * A dump's NETNSA_TARGET_NSID is ignored on legacy sockets and honoured
 * on strict ones, whose errors carry their extack.
 */
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

/*
 * Tables larger than a dump skb.  On a socket that has not received yet,
 * the first part of a dump is NLMSG_GOODSIZE bytes (a 4 KiB page less the
 * skb overhead): 134 entries of 28 bytes (NETNSA_NSID) or 104 of 36 (plus
 * NETNSA_CURRENT_NSID).  Later parts are as large as the recv() buffer,
 * big_bufsz(), so NR_BIG entries come in three parts or more.  The table
 * under test names peer i big_id(i); odd ids are left to the churn.
 */
#define NR_BIG		500
#define BIG_HUB_ID	100000	/* self's id for the owner of the table */
#define BIG_MAX_ENTS	(4 * NR_BIG)
#define BIG_MAX_LOGGED	5
#define CHURN_RING	16	/* churn namespaces alive at a time */
#define CHURN_TRIES	64
#define CHURN_MS	3000	/* dump at least that long in the churn */
#define CHURN_MIN_DUMPS	10
#define BIG_DRAIN_MS	120000	/* namespaces torn down in the background */

static int big_id(int i)
{
	return 2 * i;
}

/* self's id for peer i, where self names them too. */
static int big_cur_id(int i)
{
	return 3 * i + 1;
}

/* A recv() buffer no dump part exceeds: NLMSG_GOODSIZE < min(page, 8K). */
static size_t big_bufsz(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > 0 && page < 8192 ? page : 8192;
}

/* NR_BIG new namespaces, held by fds[] (-1 or -errno where not created). */
static int big_peers_new(int *fds)
{
	int i;

	for (i = 0; i < NR_BIG; i++)
		fds[i] = -1;
	for (i = 0; i < NR_BIG; i++) {
		fds[i] = nsc_netns_new();
		if (fds[i] < 0)
			return fds[i];
	}
	return 0;
}

static void big_peers_close(int *fds)
{
	int i;

	for (i = 0; i < NR_BIG; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* nl's netns names peer i id(i). */
static int big_name_all(struct nsc_nl *nl, const int *fds, int (*id)(int))
{
	int i, err;

	for (i = 0; i < NR_BIG; i++) {
		err = nsc_nsid_new(nl, NETNSA_FD, fds[i], id(i));
		if (err)
			return err;
	}
	return 0;
}

/* The table of peer0 ("hub") names peer i big_id(i); self names the hub. */
static int big_hub_setup(struct _test_data_nsid *self, const int *fds)
{
	struct nsc_nl hub;
	int err;

	err = nsc_nl_open_in(&hub, self->peer[0]);
	if (err)
		return err;
	err = big_name_all(&hub, fds, big_id);
	nsc_nl_close(&hub);
	return err ?: nsc_nsid_new(&self->nl, NETNSA_FD, self->peer[0],
				   BIG_HUB_ID);
}

/*
 * After closing the peers: wait until the table of nsfd's netns holds at
 * most keep ids, so that the next tests do not queue behind the teardown.
 */
static bool big_drained(int nsfd, int keep)
{
	struct nsc_nsid_entry e;
	struct nsc_nl nl;
	bool ok;
	int n;

	if (nsc_nl_open_in(&nl, nsfd))
		return false;
	ok = NSC_POLL((n = nsc_nsid_dump(&nl, NSC_NO_NSID, &e, 1)) >= 0 &&
		      n <= keep, BIG_DRAIN_MS);
	nsc_nl_close(&nl);
	return ok;
}

/*
 * Dump from a fresh socket in self (strict when there is a target), so
 * that the parts stay small.  Returns the number of entries or -errno.
 */
static int big_dump(int target_nsid, struct nsc_nsid_entry *ents,
		    struct nsc_recv_opts *o)
{
	struct nsc_nl nl;
	int n;

	n = nsc_nl_open(&nl);
	if (n)
		return n;
	if (target_nsid != NSC_NO_NSID)
		n = nsc_nl_set_strict(&nl, true);
	if (!n)
		n = nsc_nsid_dump_opts(&nl, target_nsid, ents, BIG_MAX_ENTS, o);
	nsc_nl_close(&nl);
	return n;
}

enum big_cur { CUR_ABSENT, CUR_UNASSIGNED, CUR_MAPPED };

#define BIG_ERR(fmt, ...) do {						\
	if (errs++ < BIG_MAX_LOGGED)					\
		TH_LOG(fmt, ##__VA_ARGS__);				\
} while (0)

/*
 * Problems in a dump of a table holding big_id(i) for every peer i: each
 * must be listed exactly once, in ascending order, with the
 * NETNSA_CURRENT_NSID cur says.  With churn, odd ids below big_id(NR_BIG)
 * may be listed too, at most once.  Logs the first problems, returns how
 * many there are.
 */
static int big_dump_errors(struct __test_metadata *_metadata,
			   const struct nsc_nsid_entry *e, int n,
			   enum big_cur cur, bool churn)
{
	static unsigned char seen[2 * NR_BIG];
	int i, id, want, prev = -1, errs = 0, missing = 0, lowest = -1;

	memset(seen, 0, sizeof(seen));
	if (n > BIG_MAX_ENTS) {
		BIG_ERR("%d entries, more than %d", n, BIG_MAX_ENTS);
		n = BIG_MAX_ENTS;
	}
	for (i = 0; i < n; i++) {
		id = e[i].nsid;
		if (id <= prev)
			BIG_ERR("entry %d: nsid %d after %d", i, id, prev);
		else
			prev = id;
		if (id < 0 || id >= 2 * NR_BIG || (id % 2 && !churn)) {
			BIG_ERR("entry %d: nsid %d was not assigned", i, id);
			continue;
		}
		if (seen[id]++) {
			BIG_ERR("entry %d: nsid %d listed again", i, id);
			continue;
		}
		if (id % 2)
			continue;
		want = cur == CUR_MAPPED ? big_cur_id(id / 2) :
		       cur == CUR_UNASSIGNED ? NETNSA_NSID_NOT_ASSIGNED :
		       NSC_NO_NSID;
		if (e[i].current_nsid != want)
			BIG_ERR("nsid %d: NETNSA_CURRENT_NSID %d, expected %d",
				id, e[i].current_nsid, want);
	}
	for (i = 0; i < NR_BIG; i++) {
		if (seen[big_id(i)])
			continue;
		if (!missing++)
			lowest = big_id(i);
	}
	if (missing)
		TH_LOG("%d of %d nsids not listed, the lowest %d (%d listed)",
		       missing, NR_BIG, lowest, n);
	return errs + missing;
}

/*
 * 500 ids, dumped in parts of a page (several skbs): each id is listed
 * once.
 */
TEST_F_TIMEOUT(nsid, dump_big_table, 300)
{
	struct nsc_recv_opts o = { .bufsz = big_bufsz() };
	struct nsc_nsid_entry *ents;
	int fds[NR_BIG], n;

	ents = calloc(BIG_MAX_ENTS, sizeof(*ents));
	ASSERT_NE(NULL, ents);
	ASSERT_EQ(0, big_peers_new(fds));
	ASSERT_EQ(0, big_name_all(&self->nl, fds, big_id));

	n = big_dump(NSC_NO_NSID, ents, &o);
	ASSERT_LE(0, n) TH_LOG("dump: %s", nsc_errno_name(n));
	EXPECT_EQ(NR_BIG, n);
	/* More than one skb, or resuming was not exercised. */
	EXPECT_LT(1, o.parts);
	EXPECT_EQ(0, big_dump_errors(_metadata, ents, n, CUR_ABSENT, false));

	big_peers_close(fds);
	EXPECT_TRUE(big_drained(self->self_fd, 0));
	free(ents);
}

/*
 * Dump the hub's table (NETNSA_TARGET_NSID) of NR_BIG peers in several
 * parts.  With @named, self names every peer too, and each entry must
 * carry self's id for it (NETNSA_CURRENT_NSID); otherwise none is set.
 */
static void big_hub_dump(struct __test_metadata *_metadata,
			 struct _test_data_nsid *self, bool named)
{
	struct nsc_recv_opts o = { .bufsz = big_bufsz() };
	struct nsc_nsid_entry *ents;
	int fds[NR_BIG], n;

	ents = calloc(BIG_MAX_ENTS, sizeof(*ents));
	ASSERT_NE(NULL, ents);
	ASSERT_EQ(0, big_peers_new(fds));
	ASSERT_EQ(0, big_hub_setup(self, fds));
	if (named)
		ASSERT_EQ(0, big_name_all(&self->nl, fds, big_cur_id));

	n = big_dump(BIG_HUB_ID, ents, &o);
	ASSERT_LE(0, n) TH_LOG("dump: %s", nsc_errno_name(n));
	EXPECT_EQ(NR_BIG, n);
	EXPECT_LT(1, o.parts);
	EXPECT_EQ(0, big_dump_errors(_metadata, ents, n,
				     named ? CUR_MAPPED : CUR_UNASSIGNED,
				     false));

	big_peers_close(fds);
	EXPECT_TRUE(big_drained(self->peer[0], 0));
	free(ents);
}

/*
 * The same dump of another namespace's table (NETNSA_TARGET_NSID), each
 * entry with NETNSA_CURRENT_NSID -1: self has no ids for those peers.
 */
TEST_F_TIMEOUT(nsid, dump_big_table_target_nsid, 300)
{
	big_hub_dump(_metadata, self, false);
}

/*
 * The same, with self naming every peer too: each entry's
 * NETNSA_CURRENT_NSID is self's id for that peer.
 */
TEST_F_TIMEOUT(nsid, dump_big_table_current_nsid, 300)
{
	big_hub_dump(_metadata, self, true);
}

/*
 * Churn child: gives fresh namespaces odd ids in self's table and drops
 * them again (closing a namespace's last reference removes its id shortly
 * after).  Counts the ids given in *adds; runs until killed.
 */
static int churn_nsids(long *adds)
{
	int ring[CHURN_RING], slot, fd, id, err, tries;
	unsigned int r = getpid();
	struct nsc_nl nl;

	for (slot = 0; slot < CHURN_RING; slot++)
		ring[slot] = -1;
	if (nsc_nl_open(&nl))
		return 1;
	for (slot = 0;; slot = (slot + 1) % CHURN_RING) {
		if (ring[slot] >= 0)
			close(ring[slot]);
		fd = nsc_netns_new();
		ring[slot] = fd;
		if (fd < 0)
			return 2;
		tries = 0;
		do {
			r = r * 1103515245 + 12345;
			id = big_id((r >> 8) % NR_BIG) + 1;
			err = nsc_nsid_new(&nl, NETNSA_FD, fd, id);
		} while (err == -EEXIST && ++tries < CHURN_TRIES);
		if (err && err != -EEXIST)
			return 3;
		if (!err)
			__atomic_add_fetch(adds, 1, __ATOMIC_RELAXED);
	}
}

/*
 * Dumps of the 500 ids while a child adds and drops other ids: every
 * stable id is listed, none twice, ascending.
 */
TEST_F_TIMEOUT(nsid, dump_big_table_while_churning, 300)
{
	struct nsc_recv_opts o = { .bufsz = big_bufsz(), .pause_ms = 1 };
	int fds[NR_BIG], n = 0, errs = 0, dumps = 0;
	pid_t parent = getpid();
	struct nsc_nsid_entry *ents;
	long *adds, before, after;
	struct nsc_child c;
	struct nsc_nl nl;
	uint64_t end;

	ents = calloc(BIG_MAX_ENTS, sizeof(*ents));
	ASSERT_NE(NULL, ents);
	adds = nsc_shared_alloc(sizeof(*adds));
	ASSERT_NE(NULL, adds);
	ASSERT_EQ(0, big_peers_new(fds));
	ASSERT_EQ(0, big_name_all(&self->nl, fds, big_id));

	c.pid = fork();
	ASSERT_LE(0, c.pid);
	if (!c.pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		_exit(churn_nsids(adds));
	}
	/* Once the ring is full, every id given drops an older one. */
	EXPECT_TRUE(NSC_POLL(__atomic_load_n(adds, __ATOMIC_RELAXED) >
			     2 * CHURN_RING, NSC_POLL_TIMEOUT_MS));
	before = __atomic_load_n(adds, __ATOMIC_RELAXED);

	/* Fresh, and only ever receiving with big_bufsz(): small parts. */
	ASSERT_EQ(0, nsc_nl_open(&nl));
	end = nsc_now_ms() + CHURN_MS;
	do {
		n = nsc_nsid_dump_opts(&nl, NSC_NO_NSID, ents, BIG_MAX_ENTS,
				       &o);
		if (n < 0)
			break;
		errs = big_dump_errors(_metadata, ents, n, CUR_ABSENT, true);
		dumps++;
	} while (!errs && o.parts > 1 &&
		 (dumps < CHURN_MIN_DUMPS || nsc_now_ms() < end));
	nsc_nl_close(&nl);
	after = __atomic_load_n(adds, __ATOMIC_RELAXED);
	EXPECT_EQ(0, nsc_child_stop(&c));

	ASSERT_LE(0, n) TH_LOG("dump %d: %s", dumps + 1, nsc_errno_name(n));
	EXPECT_LT(1, o.parts);
	EXPECT_EQ(0, errs) TH_LOG("in dump %d", dumps);
	/* The churn went on during the dumps. */
	EXPECT_LT(before, after);

	big_peers_close(fds);
	EXPECT_TRUE(big_drained(self->self_fd, 0));
	nsc_shared_free(adds, sizeof(*adds));
	free(ents);
}

/* nsid tables are per namespace. */
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

/* An RTM_DELNSID request: EOPNOTSUPP. */
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

/* RTM_NEWNSID without CAP_NET_ADMIN is EPERM; RTM_GETNSID still works. */
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

/*
 * An RTNLGRP_NSID listener gets RTM_NEWNSID, then RTM_DELNSID when the
 * peer's last reference is dropped; the id is then gone.
 */
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
