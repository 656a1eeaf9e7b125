// SPDX-License-Identifier: GPL-2.0
/*
 * The core's view of the namespaces it holds (/sys/kernel/debug/netns/)
 * and its trace events (events/netns/ in tracefs):
 *  - a namespace pinned by an fd is alive; once the fd is closed it only
 *    moves forward through queued, exiting and exited, then leaves;
 *  - a socket holds a counted reference that the view shows;
 *  - the nsid counts agree with RTM_GETNSID;
 *  - summary agrees with namespaces;
 *  - the cleanup file describes the worker;
 *  - each namespace's events fire with its inum and cookie, in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "netns_util.h"

#define TRACEFS	"/sys/kernel/tracing"
#define NR_PEERS	4

static const char * const states[] = {
	"alive", "queued", "exiting", "exited", "quarantined",
};

static int state_rank(const char *state)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(states); i++)
		if (!strcmp(state, states[i]))
			return i;
	return -1;
}

/* A namespace by fd, with the identity the view lists it under. */
struct ns_id {
	int fd;
	unsigned long ino;
	uint64_t cookie;
};

static int ns_new(struct ns_id *ns)
{
	int err;

	ns->fd = nsc_netns_new();
	if (ns->fd < 0)
		return ns->fd;
	ns->ino = nsc_fd_ino(ns->fd);
	err = nsc_fd_cookie(ns->fd, &ns->cookie);
	if (err || !ns->ino) {
		close(ns->fd);
		return err ?: -EIO;
	}
	return 0;
}

FIXTURE(view) {
	struct nsc_nl nl;	/* rtnetlink in the test's own namespace */
};

FIXTURE_SETUP(view)
{
	self->nl.fd = -1;
	if (access(NSC_VIEW, R_OK))
		SKIP(return, "no %s (CONFIG_DEBUG_FS, debugfs mounted?)", NSC_VIEW);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_nl_open(&self->nl));
}

FIXTURE_TEARDOWN(view)
{
	nsc_nl_close(&self->nl);
}

/*
 * A namespace held by an fd is alive; closed, it only moves forward
 * through queued, exiting and exited, and leaves the view unquarantined.
 */
TEST_F_TIMEOUT(view, fd_pinned_then_gone, 60)
{
	struct nsc_view_ns v;
	uint64_t end;
	int rank = 0, r, found;
	struct ns_id ns;

	ASSERT_EQ(0, ns_new(&ns));
	ASSERT_EQ(1, nsc_view_find(ns.ino, ns.cookie, &v));
	EXPECT_STREQ("alive", v.state);
	EXPECT_GE(v.count, 1);
	EXPECT_GE(v.passive, 1);
	EXPECT_EQ(nsc_path_ino("/proc/self/ns/user"), v.owner);
	EXPECT_LE(v.state_ms, v.age_ms);

	close(ns.fd);
	/* Forward only, and out of the view: its memory was released. */
	end = nsc_now_ms() + NSC_POLL_TIMEOUT_MS;
	while ((found = nsc_view_find(ns.ino, ns.cookie, &v)) == 1) {
		r = state_rank(v.state);
		EXPECT_GE(r, rank) {
			TH_LOG("state went back to %s", v.state);
		}
		EXPECT_NE(r, 4);	/* never quarantined */
		rank = r;
		if (nsc_now_ms() > end)
			break;
	}
	EXPECT_EQ(0, found);
}

/*
 * A socket in the namespace adds one to its count and alone keeps it
 * alive; closing the socket frees it.
 */
TEST_F_TIMEOUT(view, socket_holds_a_count, 60)
{
	struct nsc_view_ns v, held;
	int sk, home;
	struct ns_id ns;

	ASSERT_EQ(0, ns_new(&ns));
	ASSERT_EQ(1, nsc_view_find(ns.ino, ns.cookie, &v));

	home = nsc_netns_self();
	ASSERT_GE(home, 0);
	ASSERT_EQ(0, nsc_netns_enter(ns.fd));
	sk = socket(AF_UNIX, SOCK_DGRAM, 0);
	ASSERT_GE(sk, 0);
	ASSERT_EQ(0, nsc_netns_enter(home));
	close(home);
	ASSERT_EQ(1, nsc_view_find(ns.ino, ns.cookie, &held));
	EXPECT_EQ(v.count + 1, held.count);

	/* The socket alone keeps it alive. */
	close(ns.fd);
	ASSERT_EQ(1, nsc_view_find(ns.ino, ns.cookie, &v));
	EXPECT_STREQ("alive", v.state);
	EXPECT_EQ(held.count - 1, v.count);
	EXPECT_GE(v.count, 1);

	close(sk);
	EXPECT_TRUE(NSC_POLL(nsc_view_find(ns.ino, ns.cookie, &v) == 0,
			     NSC_POLL_TIMEOUT_MS));
}

/*
 * The view's ids and named counts agree with the RTM_GETNSID dump; a
 * peer that dies takes its id along.
 */
TEST_F(view, nsid_counts_match_getnsid)
{
	struct nsc_nsid_entry ents[NR_PEERS + 4];
	struct ns_id peers[NR_PEERS];
	struct nsc_view_ns me, v;
	uint64_t cookie;
	int i, n;

	ASSERT_EQ(0, nsc_netns_cookie(&cookie));
	for (i = 0; i < NR_PEERS; i++) {
		ASSERT_EQ(0, ns_new(&peers[i]));
		ASSERT_EQ(0, nsc_nsid_new(&self->nl, NETNSA_FD, peers[i].fd,
					  -1)) {
			TH_LOG("RTM_NEWNSID: %s", self->nl.extack);
		}
	}
	n = nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, ARRAY_SIZE(ents));
	ASSERT_EQ(NR_PEERS, n);

	ASSERT_EQ(1, nsc_view_find(nsc_netns_ino(), cookie, &me));
	EXPECT_EQ((unsigned int)n, me.ids);
	EXPECT_EQ(0, me.named);
	for (i = 0; i < NR_PEERS; i++) {
		ASSERT_EQ(1, nsc_view_find(peers[i].ino, peers[i].cookie, &v));
		EXPECT_EQ(0, v.ids);
		EXPECT_EQ(1, v.named);
	}

	/* A peer that goes takes its id along. */
	close(peers[0].fd);
	EXPECT_TRUE(NSC_POLL(nsc_view_find(nsc_netns_ino(), cookie, &me) == 1 &&
			     me.ids == NR_PEERS - 1, NSC_POLL_TIMEOUT_MS));
	n = nsc_nsid_dump(&self->nl, NSC_NO_NSID, ents, ARRAY_SIZE(ents));
	EXPECT_EQ(NR_PEERS - 1, n);
	for (i = 1; i < NR_PEERS; i++)
		close(peers[i].fd);
}

/* Namespaces per state in NSC_VIEW and NSC_SUMMARY; 0 if they agree. */
static int summary_mismatch(char *why, size_t len)
{
	unsigned int view[ARRAY_SIZE(states)] = {}, sum;
	char line[256], name[32];
	struct nsc_view_ns v;
	int mismatch = 0, r;
	FILE *f;

	f = fopen(NSC_VIEW, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (nsc_view_parse(line, &v))
			continue;
		r = state_rank(v.state);
		if (r >= 0)
			view[r]++;
	}
	fclose(f);

	f = fopen(NSC_SUMMARY, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %u", name, &sum) != 2)
			continue;
		r = state_rank(name);
		if (r < 0)
			continue;
		if (view[r] != sum) {
			snprintf(why, len, "%s: %u in namespaces, %u in summary",
				 name, view[r], sum);
			mismatch = 1;
		}
	}
	fclose(f);
	return mismatch;
}

/* The per-state counts of summary equal those of namespaces. */
TEST_F(view, summary_agrees)
{
	struct ns_id ns[3];
	char why[128] = "";
	int i, tries = 0, err;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, ns_new(&ns[i]));
	/* Retry while another namespace changes state between the reads. */
	while ((err = summary_mismatch(why, sizeof(why))) == 1 && ++tries < 20)
		nsc_sleep_ms(50);
	EXPECT_EQ(0, err) {
		TH_LOG("%s", why);
	}
	for (i = 0; i < 3; i++)
		close(ns[i].fd);
}

/* The cleanup file has all its fields. */
TEST_F(view, cleanup_file)
{
	char buf[1024], *p;
	long secs;

	ASSERT_GT(nsc_read_file(NSC_CLEANUP, buf, sizeof(buf)), 0);
	EXPECT_TRUE(!strncmp(buf, "state idle\n", 11) ||
		    !strncmp(buf, "state running\n", 14));
	EXPECT_NE(NULL, strstr(buf, "\nqueued "));
	EXPECT_NE(NULL, strstr(buf, "\nbatches "));
	EXPECT_NE(NULL, strstr(buf, "\nlast_batch_us pre_exit="));
	p = strstr(buf, "\nwatchdog_secs ");
	ASSERT_NE(NULL, p);
	secs = strtol(p + strlen("\nwatchdog_secs "), NULL, 10);
	EXPECT_GE(secs, 0);
}

static int tracefs_ready(void)
{
	if (!access(TRACEFS "/events/netns/enable", W_OK))
		return 0;
	mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	return access(TRACEFS "/events/netns/enable", W_OK) ? -errno : 0;
}

/*
 * Line number in @trace of the first event @event whose fields contain
 * @match, after line @after; -1 if none.
 */
static int trace_find(char **lines, int n, int after, const char *event,
		      const char *match)
{
	char tag[64];
	int i;

	snprintf(tag, sizeof(tag), " %s: ", event);
	for (i = after + 1; i < n; i++)
		if (strstr(lines[i], tag) && (!match || strstr(lines[i], match)))
			return i;
	return -1;
}

/*
 * One namespace's netns trace events fire in order, from create_start to
 * freed, with its cookie, and nothing is quarantined.
 */
TEST_F_TIMEOUT(view, trace_events_in_order, 60)
{
	char match[96], cmatch[64], *buf, *lines[4096];
	int n = 0, start, end, queued, batch, freed;
	struct nsc_view_ns v;
	struct ns_id ns;
	ssize_t len;

	if (tracefs_ready())
		SKIP(return, "no events/netns in tracefs (CONFIG_TRACING?)");
	ASSERT_EQ(0, nsc_write_file(TRACEFS "/events/netns/enable", "0"));
	ASSERT_EQ(0, nsc_write_file(TRACEFS "/trace", ""));
	ASSERT_EQ(0, nsc_write_file(TRACEFS "/events/netns/enable", "1"));

	ASSERT_EQ(0, ns_new(&ns));
	close(ns.fd);
	EXPECT_TRUE(NSC_POLL(nsc_view_find(ns.ino, ns.cookie, &v) == 0,
			     NSC_POLL_TIMEOUT_MS));
	ASSERT_EQ(0, nsc_write_file(TRACEFS "/events/netns/enable", "0"));

	buf = malloc(1 << 20);
	ASSERT_NE(NULL, buf);
	len = nsc_read_file(TRACEFS "/trace", buf, 1 << 20);
	ASSERT_GT(len, 0);
	for (char *l = strtok(buf, "\n"); l && n < 4096; l = strtok(NULL, "\n"))
		lines[n++] = l;

	snprintf(cmatch, sizeof(cmatch), "cookie=%llu",
		 (unsigned long long)ns.cookie);
	snprintf(match, sizeof(match), "inum=%lu cookie=%llu", ns.ino,
		 (unsigned long long)ns.cookie);
	start = trace_find(lines, n, -1, "netns_create_start", cmatch);
	end = trace_find(lines, n, start, "netns_create_end", match);
	queued = trace_find(lines, n, end, "netns_queued", match);
	batch = trace_find(lines, n, queued, "netns_batch_start", NULL);
	freed = trace_find(lines, n, batch, "netns_freed", match);
	EXPECT_GE(start, 0);
	EXPECT_GT(end, start);
	EXPECT_GT(queued, end);
	EXPECT_GT(batch, queued);
	EXPECT_GT(freed, batch) {
		int i;

		for (i = 0; i < n && i < 40; i++)
			TH_LOG("%s", lines[i]);
	}
	if (end >= 0)
		EXPECT_NE(NULL, strstr(lines[end], " error=0"));
	/* The batch that took it ran exit methods and ended. */
	EXPECT_GT(trace_find(lines, n, batch, "netns_ops_exit", NULL), batch);
	EXPECT_GT(trace_find(lines, n, batch, "netns_batch_end", NULL), batch);
	/* Nothing was quarantined. */
	EXPECT_EQ(-1, trace_find(lines, n, -1, "netns_quarantined", match));
	free(buf);
}

TEST_HARNESS_MAIN
