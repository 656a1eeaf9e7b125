/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "nsid" fixture shared by netns_nsid.c and netns_badinput.c: the test
 * runs in a new network namespace ("self") with an rtnetlink socket there
 * and NR_PEERS further namespaces held by fd.  Include after netns_util.h
 * (and, in a test program, after kselftest_harness.h).
 */
#ifndef NETNS_NSID_FIXTURE_H
#define NETNS_NSID_FIXTURE_H

#define NR_PEERS	3
#define BAD_PID		0x3ffffffe	/* above PID_MAX_LIMIT */

/*
 * Move the caller into a new netns ("self"): *self_fd refers to it, nl is
 * an rtnetlink socket in it, peer[0..NR_PEERS - 1] are fds of further new
 * namespaces.  0, or -errno after logging the step that failed.
 */
int nsid_fixture_setup(struct nsc_nl *nl, int *self_fd, int *peer);
/* Close what nsid_fixture_setup() opened. */
void nsid_fixture_teardown(struct nsc_nl *nl, int self_fd, const int *peer);
/* nsid of a peer given by fd, as seen from nl's netns. */
int nsid_of(struct nsc_nl *nl, int fd);

/*
 * The harness glue, around the functions above.  It must be expanded in the
 * test program's own file: kselftest_harness.h defines functions that are
 * not static, so a program can have it in one object only.
 * netns_nsid_fixture.c includes this header without the harness.
 */
#ifdef FIXTURE
FIXTURE(nsid) {
	struct nsc_nl nl;	/* rtnetlink socket in "self" */
	int self_fd;
	int peer[NR_PEERS];
};

FIXTURE_SETUP(nsid)
{
	ASSERT_EQ(0, nsid_fixture_setup(&self->nl, &self->self_fd,
					self->peer));
}

FIXTURE_TEARDOWN(nsid)
{
	nsid_fixture_teardown(&self->nl, self->self_fd, self->peer);
}
#endif /* FIXTURE */

#endif /* NETNS_NSID_FIXTURE_H */
