/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interfaces shared by the files of the network namespace core:
 * net_namespace.c (lifecycle), net_pernet.c (pernet_operations registry),
 * net_generic.c (generic pointer arrays) and net_nsid.c (nsid tables).
 */
#ifndef _NET_CORE_NETNS_CORE_H
#define _NET_CORE_NETNS_CORE_H

#include <linux/init.h>
#include <linux/atomic.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <net/netns/weak.h>
#include <trace/events/netns.h>

struct list_head;
struct net;
struct net_generic;

/* Slots overlaid by the array header are never handed out as ids. */
#define NET_GENERIC_FIRST_ID \
	DIV_ROUND_UP(sizeof(((struct net_generic *)NULL)->s), sizeof(void *))

/* net_namespace.c */

/* Bit of &netns_weak.warned: the leak report was printed. */
#define NET_WEAK_REPORTED	NET_WEAK_CLASSES
void net_weak_underflow(struct net *net, enum net_weak_class class);

extern struct list_head net_all_list;
extern spinlock_t net_all_lock;

/* enum netns_cleanup_stage comes with the trace events that print it. */
extern const char * const netns_stage_names[NETNS_STAGES + 1];

/**
 * struct netns_cleanup_snap - what the cleanup worker is doing
 * @running: a batch is being torn down now
 * @stage: its stage (%NETNS_STAGE_IDLE between steps or batches)
 * @size: namespaces in the batch
 * @queued: namespaces queued behind it
 * @fn: the pernet method running now, or NULL outside methods
 * @start_ns: ktime_get_ns() when the batch started
 * @step_ns: ... when the current step (method or stage) started
 * @first_inum: inode number of the first namespace of the batch
 * @first_cookie: its cookie
 * @batches: batches finished since boot
 * @last_ns: durations of the last finished batch, per stage
 */
struct netns_cleanup_snap {
	bool		running;
	u8		stage;
	unsigned int	size;
	unsigned int	queued;
	const void	*fn;
	u64		start_ns;
	u64		step_ns;
	unsigned int	first_inum;
	u64		first_cookie;
	u64		batches;
	u64		last_ns[NETNS_STAGES];
};

extern unsigned int netns_cleanup_watchdog_secs;
extern unsigned int netns_weak_grace_secs;
void netns_cleanup_snapshot(struct netns_cleanup_snap *snap);
#ifdef CONFIG_NET_NS
void netns_cleanup_step(enum netns_cleanup_stage stage, const void *fn);
void netns_watchdog_store(unsigned int secs);
bool netns_watchdog_armed(void);
void netns_weak_grace_store(unsigned int secs);
bool net_free_pending(void);
#else
static inline void netns_cleanup_step(enum netns_cleanup_stage stage,
				      const void *fn)
{
}
#endif

/* net_generic.c */
struct net_generic *net_generic_new_array(void);
int net_generic_store(struct net *net, unsigned int id, void *data);
void *net_generic_take(struct net *net, unsigned int id);
int net_generic_get_id(void);
void net_generic_put_id(unsigned int id);

/* net_pernet.c */
int pernet_run_init(struct net *net);
void pernet_run_exit(struct list_head *net_exit_list);

/* net_nsid.c */
int netns_nsids_init(struct net *net);
void netns_nsids_free_key(struct net *net);
void netns_nsids_retire(struct list_head *net_exit_list);
void netns_nsids_count(const struct net *net, unsigned int *ids,
		       unsigned int *named);
void __init netns_nsids_rtnl_init(void);

#endif /* _NET_CORE_NETNS_CORE_H */
