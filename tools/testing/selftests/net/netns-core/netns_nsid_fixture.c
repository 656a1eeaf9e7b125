// SPDX-License-Identifier: GPL-2.0
/*
 * The "nsid" fixture of netns_nsid.c and netns_badinput.c (see
 * netns_nsid_fixture.h).  No kselftest harness here: it is compiled into
 * the test programs beside the one object that has it.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "netns_util.h"
#include "netns_nsid_fixture.h"

/* Log why the setup failed, as an assertion of the harness would. */
static int nsid_fixture_failed(const char *step, int err)
{
	fprintf(stderr, "# nsid fixture setup: %s: %s\n", step,
		nsc_errno_name(err));
	return err;
}

int nsid_fixture_setup(struct nsc_nl *nl, int *self_fd, int *peer)
{
	int i, err;

	nl->fd = -1;
	for (i = 0; i < NR_PEERS; i++)
		peer[i] = -1;

	if (unshare(CLONE_NEWNET))
		return nsid_fixture_failed("unshare(CLONE_NEWNET)", -errno);
	*self_fd = nsc_netns_self();
	if (*self_fd < 0)
		return nsid_fixture_failed("fd of self", *self_fd);
	err = nsc_nl_open(nl);
	if (err)
		return nsid_fixture_failed("rtnetlink socket", err);
	for (i = 0; i < NR_PEERS; i++) {
		peer[i] = nsc_netns_new();
		if (peer[i] < 0)
			return nsid_fixture_failed("peer netns", peer[i]);
	}
	return 0;
}

void nsid_fixture_teardown(struct nsc_nl *nl, int self_fd, const int *peer)
{
	int i;

	nsc_nl_close(nl);
	for (i = 0; i < NR_PEERS; i++)
		if (peer[i] >= 0)
			close(peer[i]);
	if (self_fd >= 0)
		close(self_fd);
}

int nsid_of(struct nsc_nl *nl, int fd)
{
	int id, err;

	err = nsc_nsid_get(nl, NETNSA_FD, fd, NSC_NO_NSID, &id, NULL);
	return err ? NSC_NO_NSID : id;
}
