/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespace lifecycle events: creation, queueing for teardown,
 * teardown batches and the exit methods they run, weak references that
 * outlive a teardown, and release of the memory.  Namespaces are named by
 * nsfs inode number and cookie (SO_NETNS_COOKIE), which is unique for the
 * life of the system.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM netns

#ifndef __NETNS_DECLARE_TRACE_ENUMS_ONCE_ONLY
#define __NETNS_DECLARE_TRACE_ENUMS_ONCE_ONLY

/*
 * The stages of a teardown batch, in order.  Exit and exit_batch methods
 * alternate, ops by ops, inside their stages.  Their names are printed by
 * netns_ops_exit below and, from netns_stage_names[], by the debugfs view
 * and the cleanup watchdog.
 */
enum netns_cleanup_stage {
	NETNS_STAGE_PRE_EXIT,
	NETNS_STAGE_RCU_WAIT,
	NETNS_STAGE_EXIT_RTNL,
	NETNS_STAGE_EXIT,
	NETNS_STAGE_EXIT_BATCH,
	NETNS_STAGE_RCU_BARRIER,
	NETNS_STAGE_FREE,
	NETNS_STAGES,
	NETNS_STAGE_IDLE = NETNS_STAGES,
};

#endif /* __NETNS_DECLARE_TRACE_ENUMS_ONCE_ONLY */

#if !defined(_TRACE_NETNS_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_NETNS_H

#include <linux/tracepoint.h>
#include <net/net_namespace.h>

TRACE_DEFINE_ENUM(NETNS_STAGE_PRE_EXIT);
TRACE_DEFINE_ENUM(NETNS_STAGE_RCU_WAIT);
TRACE_DEFINE_ENUM(NETNS_STAGE_EXIT_RTNL);
TRACE_DEFINE_ENUM(NETNS_STAGE_EXIT);
TRACE_DEFINE_ENUM(NETNS_STAGE_EXIT_BATCH);
TRACE_DEFINE_ENUM(NETNS_STAGE_RCU_BARRIER);
TRACE_DEFINE_ENUM(NETNS_STAGE_FREE);

TRACE_EVENT(netns_create_start,

	TP_PROTO(const struct net *net),

	TP_ARGS(net),

	TP_STRUCT__entry(
		__field(u64, cookie)
	),

	TP_fast_assign(
		__entry->cookie = net->net_cookie;
	),

	TP_printk("cookie=%llu", __entry->cookie)
);

TRACE_EVENT(netns_create_end,

	TP_PROTO(const struct net *net, u64 duration_ns, int error),

	TP_ARGS(net, duration_ns, error),

	TP_STRUCT__entry(
		__field(unsigned int, inum)
		__field(u64, cookie)
		__field(u64, duration_ns)
		__field(int, error)
	),

	TP_fast_assign(
		__entry->inum = net->ns.inum;
		__entry->cookie = net->net_cookie;
		__entry->duration_ns = duration_ns;
		__entry->error = error;
	),

	TP_printk("inum=%u cookie=%llu duration_ns=%llu error=%d",
		  __entry->inum, __entry->cookie, __entry->duration_ns,
		  __entry->error)
);

DECLARE_EVENT_CLASS(netns_one,

	TP_PROTO(const struct net *net),

	TP_ARGS(net),

	TP_STRUCT__entry(
		__field(unsigned int, inum)
		__field(u64, cookie)
	),

	TP_fast_assign(
		__entry->inum = net->ns.inum;
		__entry->cookie = net->net_cookie;
	),

	TP_printk("inum=%u cookie=%llu", __entry->inum, __entry->cookie)
);

/* The last counted reference is gone: queued for the cleanup worker. */
DEFINE_EVENT(netns_one, netns_queued,
	TP_PROTO(const struct net *net),
	TP_ARGS(net)
);

/* The memory of struct net is released (after one more grace period). */
DEFINE_EVENT(netns_one, netns_freed,
	TP_PROTO(const struct net *net),
	TP_ARGS(net)
);

DECLARE_EVENT_CLASS(netns_weak,

	TP_PROTO(const struct net *net),

	TP_ARGS(net),

	TP_STRUCT__entry(
		__field(unsigned int, inum)
		__field(u64, cookie)
		__field(int, sock)
		__field(int, dev)
		__field(int, neigh)
		__field(int, other)
	),

	TP_fast_assign(
		__entry->inum = net->ns.inum;
		__entry->cookie = net->net_cookie;
		__entry->sock = net_weak_count(net, NET_WEAK_SOCK);
		__entry->dev = net_weak_count(net, NET_WEAK_DEV);
		__entry->neigh = net_weak_count(net, NET_WEAK_NEIGH_PARMS);
		__entry->other = net_weak_count(net, NET_WEAK_OTHER);
	),

	TP_printk("inum=%u cookie=%llu sock=%d dev=%d neigh=%d other=%d",
		  __entry->inum, __entry->cookie, __entry->sock, __entry->dev,
		  __entry->neigh, __entry->other)
);

/* Weak references outlived the exit methods: the namespace lingers. */
DEFINE_EVENT(netns_weak, netns_lingering,
	TP_PROTO(const struct net *net),
	TP_ARGS(net)
);

/* Still held after weak_grace_secs: reported as a leak. */
DEFINE_EVENT(netns_weak, netns_leaked,
	TP_PROTO(const struct net *net),
	TP_ARGS(net)
);

TRACE_EVENT(netns_batch_start,

	TP_PROTO(unsigned int size, unsigned int queued),

	TP_ARGS(size, queued),

	TP_STRUCT__entry(
		__field(unsigned int, size)
		__field(unsigned int, queued)
	),

	TP_fast_assign(
		__entry->size = size;
		__entry->queued = queued;
	),

	TP_printk("size=%u queued=%u", __entry->size, __entry->queued)
);

/*
 * Durations per stage, in nanoseconds, indexed by enum
 * netns_cleanup_stage.  The format names each stage: a new stage must be
 * added to it, which the static_assert() enforces.
 */
static_assert(NETNS_STAGES == 7, "netns_batch_end: print every stage");

TRACE_EVENT(netns_batch_end,

	TP_PROTO(unsigned int size, const u64 *stage_ns),

	TP_ARGS(size, stage_ns),

	TP_STRUCT__entry(
		__field(unsigned int, size)
		__array(u64, ns, NETNS_STAGES)
	),

	TP_fast_assign(
		__entry->size = size;
		memcpy(__entry->ns, stage_ns, sizeof(__entry->ns));
	),

	TP_printk("size=%u pre_exit=%llu rcu_wait=%llu exit_rtnl=%llu exit=%llu exit_batch=%llu rcu_barrier=%llu free=%llu",
		  __entry->size,
		  __entry->ns[NETNS_STAGE_PRE_EXIT],
		  __entry->ns[NETNS_STAGE_RCU_WAIT],
		  __entry->ns[NETNS_STAGE_EXIT_RTNL],
		  __entry->ns[NETNS_STAGE_EXIT],
		  __entry->ns[NETNS_STAGE_EXIT_BATCH],
		  __entry->ns[NETNS_STAGE_RCU_BARRIER],
		  __entry->ns[NETNS_STAGE_FREE])
);

/* One method of one pernet_operations, over a whole teardown batch. */
TRACE_EVENT(netns_ops_exit,

	TP_PROTO(const void *fn, enum netns_cleanup_stage stage,
		 u64 duration_ns, unsigned int size),

	TP_ARGS(fn, stage, duration_ns, size),

	TP_STRUCT__entry(
		__field(const void *, fn)
		__field(u8, stage)
		__field(u64, duration_ns)
		__field(unsigned int, size)
	),

	TP_fast_assign(
		__entry->fn = fn;
		__entry->stage = stage;
		__entry->duration_ns = duration_ns;
		__entry->size = size;
	),

	TP_printk("fn=%ps stage=%s duration_ns=%llu size=%u",
		  __entry->fn,
		  __print_symbolic(__entry->stage,
				   { NETNS_STAGE_PRE_EXIT, "pre_exit" },
				   { NETNS_STAGE_RCU_WAIT, "rcu_wait" },
				   { NETNS_STAGE_EXIT_RTNL, "exit_rtnl" },
				   { NETNS_STAGE_EXIT, "exit" },
				   { NETNS_STAGE_EXIT_BATCH, "exit_batch" },
				   { NETNS_STAGE_RCU_BARRIER, "rcu_barrier" },
				   { NETNS_STAGE_FREE, "free" }),
		  __entry->duration_ns, __entry->size)
);

#endif /* _TRACE_NETNS_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
