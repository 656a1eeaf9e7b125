// SPDX-License-Identifier: GPL-2.0
/*
 * Weak references of real holders, read from the core's debugfs view
 * (/sys/kernel/debug/netns/namespaces): a device moved between namespaces
 * hands its reference over at every move, and when the namespace it ends
 * in is destroyed, every namespace involved is back at its baseline and
 * the destroyed one leaves the view without lingering: no weak reference
 * outlived its teardown.
 *
 * Every test runs in a fresh netns "A" (the test process) with two more
 * namespaces "B" and "C" referenced by fds.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>

#include "kselftest_harness.h"
#include "netns_util.h"

FIXTURE(weak) {
	struct nsc_nl nl;	/* socket in A */
	int nsb, nsc;		/* fds of B and C */
	unsigned long ino[3];	/* A, B, C */
	uint64_t cookie[3];
	struct nsc_view_ns base[3];
};

FIXTURE_SETUP(weak)
{
	int i;

	self->nl.fd = -1;
	self->nsb = -1;
	self->nsc = -1;
	if (access(NSC_VIEW, R_OK))
		SKIP(return, "no %s (CONFIG_DEBUG_FS, debugfs mounted?)", NSC_VIEW);

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_nl_open(&self->nl));
	self->nsb = nsc_netns_new();
	ASSERT_GE(self->nsb, 0);
	self->nsc = nsc_netns_new();
	ASSERT_GE(self->nsc, 0);
	self->ino[0] = nsc_netns_ino();
	self->ino[1] = nsc_fd_ino(self->nsb);
	self->ino[2] = nsc_fd_ino(self->nsc);
	ASSERT_EQ(0, nsc_netns_cookie(&self->cookie[0]));
	ASSERT_EQ(0, nsc_fd_cookie(self->nsb, &self->cookie[1]));
	ASSERT_EQ(0, nsc_fd_cookie(self->nsc, &self->cookie[2]));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(1, nsc_view_find(self->ino[i], self->cookie[i],
					   &self->base[i]));
		EXPECT_STREQ("alive", self->base[i].state);
		/* Every namespace has its loopback and rtnl socket. */
		EXPECT_GE(self->base[i].dev, 1);
		EXPECT_GE(self->base[i].sock, 1);
	}
}

FIXTURE_TEARDOWN(weak)
{
	nsc_nl_close(&self->nl);
	if (self->nsb >= 0)
		close(self->nsb);
	if (self->nsc >= 0)
		close(self->nsc);
}

/*
 * Expect namespace @i (0 A, 1 B, 2 C) to hold @dev devices and @neigh
 * neighbour parameters more than at its baseline.
 */
static void expect_weak(struct __test_metadata *_metadata,
			struct _test_data_weak *self, int i, int dev, int neigh)
{
	struct nsc_view_ns v;

	ASSERT_EQ(1, nsc_view_find(self->ino[i], self->cookie[i], &v));
	EXPECT_EQ(self->base[i].dev + dev, v.dev) {
		TH_LOG("namespace %c: devices", 'A' + i);
	}
	EXPECT_EQ(self->base[i].neigh + neigh, v.neigh) {
		TH_LOG("namespace %c: neigh parms", 'A' + i);
	}
	EXPECT_EQ(self->base[i].other, v.other);
}

/*
 * Expect C, closed, to leave the view without lingering or being leaked:
 * its teardown found no weak reference left.
 */
static void expect_c_gone(struct __test_metadata *_metadata,
			  struct _test_data_weak *self)
{
	unsigned int seen;
	struct nsc_view_ns v = {};

	EXPECT_EQ(1, nsc_view_wait_gone(self->ino[2], self->cookie[2],
					NSC_POLL_TIMEOUT_MS, &seen, &v)) {
		TH_LOG("C still in the view: %s count %u passive %u sock %d dev %d neigh %d",
		       v.state, v.count, v.passive, v.sock, v.dev, v.neigh);
	}
	EXPECT_EQ(0, seen & (1u << NSC_LINGERING | 1u << NSC_LEAKED)) {
		TH_LOG("C lingered: sock %d dev %d neigh %d other %d",
		       v.sock, v.dev, v.neigh, v.other);
	}
}

/*
 * A dummy device moved across A, B and C: at every stop only its holder
 * counts its device and neigh parms weak references; when C dies with it
 * every namespace is back at its baseline and C never lingers.
 */
TEST_F_TIMEOUT(weak, device_moves_then_netns_dies, 120)
{
	static const int path[] = { 1, 2, 1, 0, 2, 0, 1, 2 };
	int fds[3] = { -1, self->nsb, self->nsc };
	struct nsc_nl nlx[3] = { self->nl, {}, {} };
	int i, at = 0, idx, parms;
	struct nsc_view_ns v;

	ASSERT_EQ(0, nsc_nl_open_in(&nlx[1], self->nsb));
	ASSERT_EQ(0, nsc_nl_open_in(&nlx[2], self->nsc));

	ASSERT_EQ(0, nsc_dummy_add(&self->nl, "nsc-weak")) {
		TH_LOG("dummy: %s", self->nl.extack);
	}
	ASSERT_EQ(1, nsc_view_find(self->ino[0], self->cookie[0], &v));
	EXPECT_EQ(self->base[0].dev + 1, v.dev);
	/* IPv4 and IPv6 parameters, as configured: the same at every stop. */
	parms = v.neigh - self->base[0].neigh;
	EXPECT_GE(parms, 0);

	for (i = 0; i < (int)ARRAY_SIZE(path); i++) {
		int to = path[i], j;

		idx = nsc_link_index(&nlx[at], "nsc-weak");
		ASSERT_GT(idx, 0);
		/* A is the test process's own namespace: move it by pid. */
		if (to == 0) {
			ASSERT_EQ(0, nsc_link_set_netns(&nlx[at], idx,
							IFLA_NET_NS_PID,
							getpid(), NULL, 0));
		} else {
			ASSERT_EQ(0, nsc_link_set_netns(&nlx[at], idx,
							IFLA_NET_NS_FD,
							fds[to], NULL, 0));
		}
		at = to;
		for (j = 0; j < 3; j++)
			expect_weak(_metadata, self, j, j == at,
				    j == at ? parms : 0);
	}

	/* It ends in C; C dies with it. */
	ASSERT_EQ(2, at);
	nsc_nl_close(&nlx[2]);
	close(self->nsc);
	self->nsc = -1;
	expect_c_gone(_metadata, self);
	expect_weak(_metadata, self, 0, 0, 0);
	expect_weak(_metadata, self, 1, 0, 0);
	nsc_nl_close(&nlx[1]);
}

/*
 * A veth pair spanning B and C: C's death takes both ends, and C never
 * lingers.
 */
TEST_F_TIMEOUT(weak, veth_across_netns_dies, 120)
{
	struct nsc_nl nlb;
	struct nsc_view_ns v;

	ASSERT_EQ(0, nsc_nl_open_in(&nlb, self->nsb));
	ASSERT_EQ(0, nsc_veth_add(&nlb, "nsc-wb", "nsc-wc",
				  IFLA_NET_NS_FD, self->nsc)) {
		TH_LOG("veth: %s", nlb.extack);
	}
	ASSERT_EQ(1, nsc_view_find(self->ino[1], self->cookie[1], &v));
	EXPECT_EQ(self->base[1].dev + 1, v.dev);
	ASSERT_EQ(1, nsc_view_find(self->ino[2], self->cookie[2], &v));
	EXPECT_EQ(self->base[2].dev + 1, v.dev);

	close(self->nsc);
	self->nsc = -1;
	EXPECT_TRUE(NSC_POLL(nsc_link_index(&nlb, "nsc-wb") == -ENODEV,
			     NSC_POLL_TIMEOUT_MS));
	expect_c_gone(_metadata, self);
	expect_weak(_metadata, self, 1, 0, 0);
	nsc_nl_close(&nlb);
}

TEST_HARNESS_MAIN
