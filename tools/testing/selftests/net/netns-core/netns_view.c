// SPDX-License-Identifier: GPL-2.0
/*
 * The core's view of the namespaces it holds (/sys/kernel/debug/netns/)
 * and its trace events (events/netns/ in tracefs):
 *  - a namespace pinned by an fd is alive; once the fd is closed it only
 *    moves forward through queued, exiting and exited, then leaves, never
 *    lingering;
 *  - a socket holds a counted reference that the view shows;
 *  - the nsid counts agree with RTM_GETNSID;
 *  - summary agrees with namespaces, and lists every state in order;
 *  - the files are readable by root only;
 *  - a namespaces read in several read() calls lists every namespace
 *    present all along exactly once, even when namespaces listed before
 *    the point where it stopped leave in between;
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
#include <sys/socket.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "netns_util.h"

#define NR_PEERS	4

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
 * through queued, exiting and exited, and leaves the view without ever
 * lingering.
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
		r = nsc_view_state_rank(v.state);
		EXPECT_GE(r, rank) {
			TH_LOG("state went back to %s", v.state);
		}
		/* Nothing of it outlives its teardown. */
		EXPECT_LE(r, NSC_EXITED) {
			TH_LOG("%s: sock %d dev %d neigh %d other %d", v.state,
			       v.sock, v.dev, v.neigh, v.other);
		}
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
	unsigned int view[NSC_NR_STATES] = {}, sum;
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
		r = nsc_view_state_rank(v.state);
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
		r = nsc_view_state_rank(name);
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

/*
 * summary: its header, one line per state in the order alive, queued,
 * exiting, exited, lingering, leaked, then weak_grace_secs with the
 * module parameter's value, and nothing else (no running total).
 */
TEST_F(view, summary_lists_every_state)
{
	char buf[4096], *lines[32], name[32], f3[32], f4[32], extra;
	long count, grace, param;
	int n, i, fields;

	ASSERT_GT(nsc_read_file(NSC_SUMMARY, buf, sizeof(buf)), 0);
	n = nsc_split_lines(buf, lines, ARRAY_SIZE(lines));
	ASSERT_EQ(NSC_NR_STATES + 2, n) {
		for (i = 0; i < n; i++)
			TH_LOG("%s", lines[i]);
	}
	EXPECT_STREQ("state count oldest_inum oldest_age_ms", lines[0]);
	for (i = 0; i < NSC_NR_STATES; i++) {
		fields = sscanf(lines[i + 1], "%31s %ld %31s %31s %c", name,
				&count, f3, f4, &extra);
		EXPECT_EQ(4, fields) {
			TH_LOG("line %d: %s", i + 2, lines[i + 1]);
		}
		if (fields != 4)
			continue;
		EXPECT_STREQ(nsc_view_states[i], name);
		EXPECT_GE(count, 0);
	}
	fields = sscanf(lines[n - 1], "weak_grace_secs %ld%c", &grace, &extra);
	ASSERT_EQ(1, fields) {
		TH_LOG("last line: %s", lines[n - 1]);
	}
	if (!nsc_read_long(NSC_WEAK_GRACE, &param))
		EXPECT_EQ(param, grace);
	/* This namespace, at least, is alive. */
	EXPECT_GE(nsc_view_state_count("alive"), 1);
}

/* The three files are root's to read and nobody's to write: mode 0400. */
TEST_F(view, files_are_mode_0400)
{
	static const char * const files[] = {
		NSC_VIEW, NSC_SUMMARY, NSC_CLEANUP,
	};
	unsigned int i, mode;
	struct stat st;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		ASSERT_EQ(0, stat(files[i], &st)) {
			TH_LOG("%s: %s", files[i], strerror(errno));
		}
		mode = st.st_mode & 07777;
		EXPECT_TRUE(S_ISREG(st.st_mode));
		EXPECT_EQ(0400U, mode) {
			TH_LOG("%s: mode %04o", files[i], mode);
		}
	}
}

#define NR_RESUME	128	/* namespaces held while namespaces is read */
#define RESUME_CHUNK	1024	/* bytes per read(): several lines */
#define RESUME_OUT	(1024 * 1024)
#define RESUME_MAX	4096	/* lines of one read of namespaces */
#define RESUME_DRAIN_MS	60000

/* Index in ns[] of the namespace of line, or -1. */
static int resume_index(const struct ns_id *ns, const char *line)
{
	struct nsc_view_ns v;
	int i;

	if (nsc_view_parse(line, &v))
		return -1;
	for (i = 0; i < NR_RESUME; i++)
		if (v.inum == ns[i].ino && v.cookie == ns[i].cookie)
			return i;
	return -1;
}

/*
 * Mark in listed[] those of ns[] that have a whole line in the first len
 * bytes of out; their number.
 */
static int resume_listed(const struct ns_id *ns, const char *out, size_t len,
			 bool *listed)
{
	const char *p = out, *nl;
	char line[256];
	int n = 0, i;

	memset(listed, 0, NR_RESUME * sizeof(*listed));
	while ((nl = memchr(p, '\n', out + len - p))) {
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		i = resume_index(ns, line);
		if (i >= 0 && !listed[i]) {
			listed[i] = true;
			n++;
		}
		p = nl + 1;
	}
	return n;
}

/* How many of those closed (listed and fd -1) a fresh read still lists. */
static int resume_closed_left(const struct ns_id *ns, const bool *listed,
			      struct nsc_view_ns *view)
{
	int n, i, j, left = 0;

	n = nsc_view_list(view, RESUME_MAX);
	if (n < 0)
		return n;
	for (j = 0; j < n && j < RESUME_MAX; j++)
		for (i = 0; i < NR_RESUME; i++)
			if (listed[i] && ns[i].fd < 0 &&
			    view[j].inum == ns[i].ino &&
			    view[j].cookie == ns[i].cookie)
				left++;
	return left;
}

/*
 * namespaces read in small read() calls resumes where it stopped, not at
 * a position: NR_RESUME namespaces held by fds; once at least half of
 * them were listed, those listed whole are closed and waited for until a
 * separate read no longer lists them; then the first read goes on to its
 * end.
 * The header comes once, first; every line is whole; no namespace is
 * listed twice; each of ours (closed or held), and this process's own,
 * exactly once; some of ours come after the pause.  Resuming by position
 * skipped as many as had gone before the cursor.
 */
TEST_F_TIMEOUT(view, read_resumes_past_removed, 180)
{
	size_t len = 0, pause_len, hlen = strlen(NSC_VIEW_HEADER);
	int fd, i, j, n, nlines, closed = 0, after = 0, left;
	struct nsc_view_ns *view, *seen;
	unsigned long my_ino;
	uint64_t my_cookie;
	char *out, **lines;
	struct ns_id *ns;
	int times[NR_RESUME] = {}, my_times = 0;
	bool listed[NR_RESUME];
	uint64_t end;
	ssize_t got;

	ns = calloc(NR_RESUME, sizeof(*ns));
	out = malloc(RESUME_OUT);
	lines = calloc(RESUME_MAX, sizeof(*lines));
	view = calloc(RESUME_MAX, sizeof(*view));
	seen = calloc(RESUME_MAX, sizeof(*seen));
	ASSERT_TRUE(ns && out && lines && view && seen);
	my_ino = nsc_netns_ino();
	ASSERT_EQ(0, nsc_netns_cookie(&my_cookie));
	for (i = 0; i < NR_RESUME; i++)
		ns[i].fd = -1;
	for (i = 0; i < NR_RESUME; i++)
		ASSERT_EQ(0, ns_new(&ns[i]));

	fd = open(NSC_VIEW, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	do {
		got = read(fd, out + len, RESUME_CHUNK);
		ASSERT_GT(got, 0) {
			TH_LOG("only %d of ours listed at the end",
			       resume_listed(ns, out, len, listed));
		}
		len += got;
		ASSERT_LT(len, RESUME_OUT - RESUME_CHUNK);
	} while (resume_listed(ns, out, len, listed) < NR_RESUME / 2);
	pause_len = len;

	/* Those before the cursor go, and leave the view. */
	for (i = 0; i < NR_RESUME; i++) {
		if (!listed[i])
			continue;
		close(ns[i].fd);
		ns[i].fd = -1;
		closed++;
	}
	end = nsc_now_ms() + RESUME_DRAIN_MS;
	while ((left = resume_closed_left(ns, listed, view)) > 0 &&
	       nsc_now_ms() < end)
		nsc_sleep_ms(100);
	ASSERT_EQ(0, left) {
		TH_LOG("%d of the %d closed still listed after %d ms", left,
		       closed, RESUME_DRAIN_MS);
	}

	/* The rest of the first read. */
	while ((got = read(fd, out + len, RESUME_CHUNK)) > 0) {
		len += got;
		ASSERT_LT(len, RESUME_OUT - RESUME_CHUNK);
	}
	ASSERT_EQ(0, got);
	close(fd);
	out[len] = '\0';
	ASSERT_EQ('\n', out[len - 1]);

	/* The header once, first: any other line must parse. */
	ASSERT_EQ(0, strncmp(out, NSC_VIEW_HEADER "\n", hlen + 1));
	nlines = nsc_split_lines(out + hlen + 1, lines, RESUME_MAX);
	ASSERT_LT(nlines, RESUME_MAX);
	for (j = 0; j < nlines; j++) {
		ASSERT_EQ(0, nsc_view_parse(lines[j], &seen[j])) {
			TH_LOG("line %d: %s", j + 2, lines[j]);
		}
		for (n = 0; n < j; n++) {
			EXPECT_FALSE(seen[n].inum == seen[j].inum &&
				     seen[n].cookie == seen[j].cookie) {
				TH_LOG("listed twice: %s", lines[j]);
			}
		}
		if (seen[j].inum == my_ino && seen[j].cookie == my_cookie)
			my_times++;
		i = resume_index(ns, lines[j]);
		if (i < 0)
			continue;
		times[i]++;
		/* Begun after the pause: resuming was exercised. */
		if ((size_t)(lines[j] - out) >= pause_len)
			after++;
	}
	EXPECT_EQ(1, my_times);
	n = 0;
	for (i = 0; i < NR_RESUME; i++) {
		if (times[i] == 1)
			continue;
		if (n++ < 5)
			TH_LOG("namespace %d of %d (inum %lu cookie %llu, %s) listed %d times",
			       i, NR_RESUME, ns[i].ino,
			       (unsigned long long)ns[i].cookie,
			       ns[i].fd < 0 ? "closed" : "held", times[i]);
	}
	EXPECT_EQ(0, n) {
		TH_LOG("%d closed before the cursor, %d of ours listed after it",
		       closed, after);
	}
	EXPECT_GT(after, 0);

	for (i = 0; i < NR_RESUME; i++)
		if (ns[i].fd >= 0)
			close(ns[i].fd);
	end = nsc_now_ms() + RESUME_DRAIN_MS;
	for (i = 0; i < NR_RESUME; i++) {
		uint64_t now = nsc_now_ms();

		EXPECT_EQ(1, nsc_view_wait_gone(ns[i].ino, ns[i].cookie,
						now < end ? end - now : 0,
						NULL, NULL));
	}
	free(seen);
	free(view);
	free(lines);
	free(out);
	free(ns);
}

/*
 * One namespace's netns trace events fire in order, from create_start to
 * freed, with its cookie, and it never lingers.
 */
TEST_F_TIMEOUT(view, trace_events_in_order, 60)
{
	char match[96], cmatch[64], *buf, *lines[4096];
	int n, start, end, queued, batch, freed, ops;
	struct nsc_view_ns v;
	struct ns_id ns;
	ssize_t len;

	if (nsc_tracefs_ready())
		SKIP(return, "no events/netns in tracefs (CONFIG_TRACING?)");
	ASSERT_EQ(0, nsc_write_file(NSC_TRACEFS "/events/netns/enable", "0"));
	ASSERT_EQ(0, nsc_write_file(NSC_TRACEFS "/trace", ""));
	ASSERT_EQ(0, nsc_write_file(NSC_TRACEFS "/events/netns/enable", "1"));

	ASSERT_EQ(0, ns_new(&ns));
	close(ns.fd);
	EXPECT_TRUE(NSC_POLL(nsc_view_find(ns.ino, ns.cookie, &v) == 0,
			     NSC_POLL_TIMEOUT_MS));
	ASSERT_EQ(0, nsc_write_file(NSC_TRACEFS "/events/netns/enable", "0"));

	buf = malloc(1 << 20);
	ASSERT_NE(NULL, buf);
	len = nsc_read_file(NSC_TRACEFS "/trace", buf, 1 << 20);
	ASSERT_GT(len, 0);
	n = nsc_split_lines(buf, lines, ARRAY_SIZE(lines));

	snprintf(cmatch, sizeof(cmatch), "cookie=%llu",
		 (unsigned long long)ns.cookie);
	snprintf(match, sizeof(match), "inum=%lu cookie=%llu", ns.ino,
		 (unsigned long long)ns.cookie);
	start = nsc_trace_find(lines, n, -1, "netns_create_start", cmatch);
	end = nsc_trace_find(lines, n, start, "netns_create_end", match);
	queued = nsc_trace_find(lines, n, end, "netns_queued", match);
	batch = nsc_trace_find(lines, n, queued, "netns_batch_start", NULL);
	freed = nsc_trace_find(lines, n, batch, "netns_freed", match);
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
	ops = nsc_trace_find(lines, n, batch, "netns_ops_exit", NULL);
	EXPECT_GT(ops, batch);
	/* The stage is a number in the record, printed by name. */
	if (ops > batch) {
		static const char *const stages[] = {
			" stage=pre_exit ", " stage=rcu_wait ",
			" stage=exit_rtnl ", " stage=exit ",
			" stage=exit_batch ", " stage=rcu_barrier ",
			" stage=free ",
		};
		bool named = false;
		size_t i;

		for (i = 0; i < ARRAY_SIZE(stages); i++)
			if (strstr(lines[ops], stages[i]))
				named = true;
		EXPECT_TRUE(named) TH_LOG("%s", lines[ops]);
	}
	EXPECT_GT(nsc_trace_find(lines, n, batch, "netns_batch_end", NULL),
		  batch);
	/* Nothing of it outlived its teardown. */
	EXPECT_EQ(-1, nsc_trace_find(lines, n, -1, "netns_lingering", match));
	EXPECT_EQ(-1, nsc_trace_find(lines, n, -1, "netns_leaked", match));
	free(buf);
}

TEST_HARNESS_MAIN
