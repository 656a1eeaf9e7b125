/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsids: the names a network namespace gives to its peers (a member of
 * struct net, private to net/core/net_nsid.c).
 */
#ifndef __NETNS_NSID_H__
#define __NETNS_NSID_H__

#include <linux/list.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <linux/xarray.h>

/**
 * struct netns_nsids - nsid bookkeeping of one namespace
 * @lock: serialises writers of @by_id, @by_peer and @closed
 * @by_id: nsid -> assignment, ids this namespace gives to its peers
 * @by_peer: peer's @key -> assignment, the reverse map of @by_id
 * @name_lock: protects @named_by and @closed
 * @named_by: assignments in other (or this) namespace naming this one
 * @key: small integer unique among allocated namespaces, index of
 *	@by_peer in the tables of namespaces that name this one
 * @closed: no new assignment may involve this namespace any more
 * @nr_ids: entries of @by_id; written under @lock
 * @nr_named: entries of @named_by; written under @name_lock
 *
 * The assignment objects are private to net/core/net_nsid.c.  The two
 * counts are read locklessly, as samples.
 */
struct netns_nsids {
	spinlock_t		lock;		/* owner side, see above */
	struct xarray		by_id;
	struct xarray		by_peer;
	spinlock_t		name_lock;	/* peer side, see above */
	struct hlist_head	named_by;
	u32			key;
	bool			closed;
	unsigned int		nr_ids;
	unsigned int		nr_named;
};

#endif /* __NETNS_NSID_H__ */
