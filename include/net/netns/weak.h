/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Weak references to a network namespace, by class: hold_net() and
 * release_net() in include/net/net_namespace.h.
 */
#ifndef __NETNS_WEAK_H__
#define __NETNS_WEAK_H__

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/types.h>

/**
 * enum net_weak_class - kinds of object that hold a weak reference
 * @NET_WEAK_SOCK: kernel sockets (sk_net_refcnt == 0), from sk_alloc() or
 *	sk_clone_lock() until __sk_destruct() or sk_net_refcnt_upgrade(),
 *	counted through __netns_tracker_alloc() without a counted reference
 * @NET_WEAK_DEV: net devices, from dev_net_set() until free_netdev()
 * @NET_WEAK_NEIGH_PARMS: neighbour parameters, from neigh_parms_alloc()
 *	until neigh_parms_release()
 * @NET_WEAK_OTHER: plain hold_net() callers
 * @NET_WEAK_CLASSES: number of classes
 */
enum net_weak_class {
	NET_WEAK_SOCK,
	NET_WEAK_DEV,
	NET_WEAK_NEIGH_PARMS,
	NET_WEAK_OTHER,
	NET_WEAK_CLASSES
};

/**
 * struct netns_weak - weak references to one namespace, per class
 * @count: live holders of each class; never below zero
 * @held: live holders of every class; each also holds a passive reference
 * @warned: a release without a hold was reported (bit per class), and
 *	%NET_WEAK_REPORTED once the namespace was reported as leaked
 * @linger_ns: ktime_get_ns() when the namespace started to linger
 * @linger_list: on the core's list of lingering or leaked namespaces
 *
 * Written when weak references are taken and dropped (hold_net_class(),
 * release_net_class() and their kernel socket forms) and when a teardown
 * finds some still held; read by debugfs.
 */
struct netns_weak {
	atomic_t		count[NET_WEAK_CLASSES];
	atomic_t		held;
	unsigned long		warned;
	u64			linger_ns;
	struct list_head	linger_list;
};

#endif /* __NETNS_WEAK_H__ */
