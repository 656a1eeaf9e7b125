/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "nsid" fixture shared by netns_nsid.c and netns_badinput.c: the test
 * runs in a new network namespace ("self") with an rtnetlink socket there
 * and NR_PEERS further namespaces held by fd. Include after
 * kselftest_harness.h and netns_util.h.
 */
#ifndef NETNS_NSID_FIXTURE_H
#define NETNS_NSID_FIXTURE_H

#define NR_PEERS	3
#define BAD_PID		0x3ffffffe	/* above PID_MAX_LIMIT */

FIXTURE(nsid) {
	struct nsc_nl nl;	/* rtnetlink socket in "self" */
	int self_fd;
	int peer[NR_PEERS];
};

FIXTURE_SETUP(nsid)
{
	int i;

	self->nl.fd = -1;
	for (i = 0; i < NR_PEERS; i++)
		self->peer[i] = -1;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->self_fd = nsc_netns_self();
	ASSERT_GE(self->self_fd, 0);
	ASSERT_EQ(0, nsc_nl_open(&self->nl));
	for (i = 0; i < NR_PEERS; i++) {
		self->peer[i] = nsc_netns_new();
		ASSERT_GE(self->peer[i], 0);
	}
}

FIXTURE_TEARDOWN(nsid)
{
	int i;

	nsc_nl_close(&self->nl);
	for (i = 0; i < NR_PEERS; i++)
		if (self->peer[i] >= 0)
			close(self->peer[i]);
	if (self->self_fd >= 0)
		close(self->self_fd);
}

/* nsid of a peer given by fd, as seen from nl's netns. */
static int nsid_of(struct nsc_nl *nl, int fd)
{
	int id, err;

	err = nsc_nsid_get(nl, NETNSA_FD, fd, NSC_NO_NSID, &id, NULL);
	return err ? NSC_NO_NSID : id;
}

#endif /* NETNS_NSID_FIXTURE_H */
