// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs view of every struct net the core holds, from allocation until
 * its memory is released, lingering and leaked namespaces included:
 *
 *   /sys/kernel/debug/netns/namespaces  one line per namespace
 *   /sys/kernel/debug/netns/summary     namespaces per state, the oldest
 *                                       of each, and the weak reference
 *                                       grace period
 *   /sys/kernel/debug/netns/cleanup     what the teardown worker is doing
 *
 * Root only (0400), like other dumps of kernel state.  The first two are
 * read under RCU from net_all_list and take no lock, so reading never
 * stalls creation or teardown.  Counts are sampled without
 * synchronisation: a line is a record of one namespace, not a snapshot of
 * all.  The cleanup file is a consistent snapshot
 * (netns_cleanup_snapshot()).
 *
 * A read of namespaces that spans several read() calls resumes from the
 * namespace it stopped at, which it pins with a passive reference in
 * between (a pinned namespace stays on net_all_list): a whole read costs
 * O(n), and every namespace on the list for the whole read is listed
 * exactly once, whatever comes and goes meanwhile.
 */
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "netns_core.h"

static const char * const net_state_names[] = {
	[NET_STATE_ALIVE]	= "alive",
	[NET_STATE_QUEUED]	= "queued",
	[NET_STATE_EXITING]	= "exiting",
	[NET_STATE_EXITED]	= "exited",
	[NET_STATE_LINGERING]	= "lingering",
	[NET_STATE_LEAKED]	= "leaked",
};

static const char *net_state_name(u8 state)
{
	if (state >= ARRAY_SIZE(net_state_names))
		return "unknown";
	return net_state_names[state];
}

/* Where a read of namespaces stopped; see the comment at the top. */
struct netns_all_cursor {
	struct net	*net;	/* passive reference, or NULL */
	loff_t		pos;	/* its position */
};

static void *netns_all_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct netns_all_cursor *cur = m->private;
	struct net *net = cur->net;

	rcu_read_lock();
	if (net) {
		cur->net = NULL;
		/* Still listed, and readable until rcu_read_unlock(). */
		net_passive_dec(net);
		if (*pos == cur->pos)
			return &net->all_list;
	}
	return seq_list_start_head_rcu(&net_all_list, *pos);
}

static void *netns_all_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next_rcu(v, &net_all_list, pos);
}

static void netns_all_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	struct netns_all_cursor *cur = m->private;
	struct net *net;

	/* Pin the next namespace to show, unless it is being freed. */
	if (v && v != &net_all_list) {
		net = list_entry(v, struct net, all_list);
		if (refcount_inc_not_zero(&net->passive)) {
			cur->net = net;
			cur->pos = m->index;
		}
	}
	rcu_read_unlock();
}

static int netns_all_show(struct seq_file *m, void *v)
{
	u64 now = ktime_get_ns();
	unsigned int ids, named;
	struct net *net;

	if (v == &net_all_list) {
		seq_puts(m, "inum cookie state count passive sock dev neigh other owner ids named age_ms state_ms\n");
		return 0;
	}

	net = list_entry(v, struct net, all_list);
	netns_nsids_count(net, &ids, &named);
	seq_printf(m, "%u %llu %s %u %u %d %d %d %d %u %u %u %llu %llu\n",
		   READ_ONCE(net->ns.inum), READ_ONCE(net->net_cookie),
		   net_state_name(READ_ONCE(net->state)),
		   refcount_read(&net->ns.count), refcount_read(&net->passive),
		   net_weak_count(net, NET_WEAK_SOCK),
		   net_weak_count(net, NET_WEAK_DEV),
		   net_weak_count(net, NET_WEAK_NEIGH_PARMS),
		   net_weak_count(net, NET_WEAK_OTHER),
		   READ_ONCE(net->owner_inum), ids, named,
		   div_u64(now - READ_ONCE(net->born_ns), NSEC_PER_MSEC),
		   div_u64(now - READ_ONCE(net->state_ns), NSEC_PER_MSEC));
	return 0;
}

static const struct seq_operations netns_all_sops = {
	.start	= netns_all_start,
	.next	= netns_all_next,
	.stop	= netns_all_stop,
	.show	= netns_all_show,
};

static int netns_all_open(struct inode *inode, struct file *file)
{
	return seq_open_private(file, &netns_all_sops,
				sizeof(struct netns_all_cursor));
}

static int netns_all_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct netns_all_cursor *cur = m->private;

	if (cur->net)
		net_passive_dec(cur->net);
	return seq_release_private(inode, file);
}

static const struct file_operations netns_all_fops = {
	.owner		= THIS_MODULE,
	.open		= netns_all_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= netns_all_release,
};

static int netns_summary_show(struct seq_file *m, void *v)
{
	struct {
		unsigned int count;
		unsigned int oldest_inum;
		u64 oldest_born;
	} states[ARRAY_SIZE(net_state_names)] = {};
	u64 now = ktime_get_ns();
	struct net *net;
	unsigned int i;

	rcu_read_lock();
	list_for_each_entry_rcu(net, &net_all_list, all_list) {
		u8 state = READ_ONCE(net->state);
		u64 born = READ_ONCE(net->born_ns);

		if (state >= ARRAY_SIZE(states))
			continue;
		if (!states[state].count || born < states[state].oldest_born) {
			states[state].oldest_born = born;
			states[state].oldest_inum = READ_ONCE(net->ns.inum);
		}
		states[state].count++;
	}
	rcu_read_unlock();

	seq_puts(m, "state count oldest_inum oldest_age_ms\n");
	for (i = 0; i < ARRAY_SIZE(states); i++)
		seq_printf(m, "%s %u %u %llu\n", net_state_names[i],
			   states[i].count, states[i].oldest_inum,
			   states[i].count ?
			   div_u64(now - states[i].oldest_born, NSEC_PER_MSEC) : 0);
	seq_printf(m, "weak_grace_secs %u\n", READ_ONCE(netns_weak_grace_secs));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(netns_summary);

static int netns_cleanup_show(struct seq_file *m, void *v)
{
	u64 now = ktime_get_ns();
	struct netns_cleanup_snap s;
	unsigned int i;

	netns_cleanup_snapshot(&s);
	seq_printf(m, "state %s\n", s.running ? "running" : "idle");
	if (s.running) {
		seq_printf(m, "batch_size %u\n", s.size);
		seq_printf(m, "batch_first inum %u cookie %llu\n",
			   s.first_inum, s.first_cookie);
		seq_printf(m, "batch_age_ms %llu\n",
			   div_u64(now - s.start_ns, NSEC_PER_MSEC));
		seq_printf(m, "stage %s\n", netns_stage_names[min_t(u8, s.stage,
								    NETNS_STAGE_IDLE)]);
		if (s.fn)
			seq_printf(m, "method %ps\n", s.fn);
		else
			seq_puts(m, "method -\n");
		seq_printf(m, "method_ms %llu\n",
			   div_u64(now - s.step_ns, NSEC_PER_MSEC));
	}
	seq_printf(m, "queued %u\n", s.queued);
	seq_printf(m, "batches %llu\n", s.batches);
	seq_puts(m, "last_batch_us");
	for (i = 0; i < NETNS_STAGES; i++)
		seq_printf(m, " %s=%llu", netns_stage_names[i],
			   div_u64(s.last_ns[i], NSEC_PER_USEC));
	seq_putc(m, '\n');
	seq_printf(m, "watchdog_secs %u\n",
		   READ_ONCE(netns_cleanup_watchdog_secs));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(netns_cleanup);

static int __init netns_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("netns", NULL);

	debugfs_create_file("namespaces", 0400, dir, NULL, &netns_all_fops);
	debugfs_create_file("summary", 0400, dir, NULL, &netns_summary_fops);
	debugfs_create_file("cleanup", 0400, dir, NULL, &netns_cleanup_fops);
	return 0;
}
late_initcall(netns_debugfs_init);
