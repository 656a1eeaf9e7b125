/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic per-namespace pointers.
 *
 * Code that cannot add a member to struct net (typically a module) gets a
 * slot in a per-namespace pointer array instead:
 *
 * 1. Point pernet_operations->id at an unsigned int; registration stores
 *    the slot number there.
 * 2. Either set pernet_operations->size, and the core allocates zeroed
 *    storage of that size before ->init() and frees it after the last
 *    exit stage; or leave ->size zero and publish a pointer you manage
 *    from ->init() with net_assign_generic().
 * 3. The pointer must not change while the namespace lives, and nobody
 *    may keep a reference to the array itself.
 *
 * net_generic() then returns the pointer.  Arrays are replaced (never
 * edited in place when they grow) and the old copy is freed after an RCU
 * grace period, so a reader always sees a complete array.
 */

#ifndef __NET_GENERIC_H__
#define __NET_GENERIC_H__

#include <linux/bug.h>
#include <linux/rcupdate.h>
#include <net/net_debug.h>
#include <net/net_namespace.h>

/*
 * struct net_generic - the per-namespace pointer array, private to the core
 * (not kernel-doc: rendered, its name would clash with net_generic()'s)
 *
 * s: header overlaying the first slots, which are never handed out
 * s.len: number of slots, header slots included
 * s.rcu: frees a replaced array after a grace period
 * ptr: the slots, indexed by pernet_operations id
 */
struct net_generic {
	union {
		struct {
			unsigned int len;
			struct rcu_head rcu;
		} s;

		DECLARE_FLEX_ARRAY(void *, ptr);
	};
};

/**
 * net_generic() - look up the generic pointer of a namespace
 * @net: the namespace
 * @id: slot number from pernet_operations->id
 *
 * No bound check: before the operations owning @id are set up on a
 * namespace (at registration, or when the namespace is created), its
 * array is made to cover @id, whether or not they store anything there.
 *
 * Context: Any context; @net must be pinned by the caller, and the
 * operations owning @id set up on it (from their ->init() on).
 * Return: the pointer stored for @id, or NULL if none was published.
 */
static inline void *net_generic(const struct net *net, unsigned int id)
{
	struct net_generic *ng;
	void *ptr;

	rcu_read_lock();
	ng = rcu_dereference(net->gen);
	DEBUG_NET_WARN_ON_ONCE(id >= ng->s.len);
	ptr = READ_ONCE(ng->ptr[id]);
	rcu_read_unlock();

	return ptr;
}

int net_assign_generic(struct net *net, unsigned int id, void *data);

#endif
