// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic per-namespace pointer arrays (see include/net/netns/generic.h).
 *
 * Every namespace owns one RCU-published array of void pointers.  Slot
 * numbers are handed to pernet_operations with an ->id at registration.
 * A new namespace gets an array large enough for every id handed out so
 * far.  A namespace that predates an id, or whose array was allocated
 * before the id was handed out (its setup waiting for the rwsem meanwhile),
 * grows its array when the operations owning the id are set up on it,
 * whether or not they store a pointer, by publishing an enlarged copy and
 * freeing the old array after a grace period.  So an id is covered by the
 * array of every namespace its operations are set up on, and net_generic()
 * needs no bound check.  Writers are serialised by pernet_ops_rwsem (see
 * "Locking" in include/net/net_namespace.h).
 */

#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/idr.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "netns_core.h"

/* Default array length; slots below NET_GENERIC_FIRST_ID hold the header. */
#define NET_GENERIC_MIN_LEN	16

static DEFINE_IDA(net_generic_id_space);

/* Slots a new array needs: one past the largest id handed out. */
static unsigned int net_generic_len = NET_GENERIC_MIN_LEN;

static struct net_generic *net_generic_alloc_len(unsigned int len)
{
	struct net_generic *ng;

	ng = kzalloc(struct_size(ng, ptr, len), GFP_KERNEL);
	if (ng)
		ng->s.len = len;
	return ng;
}

/**
 * net_generic_new_array() - allocate an empty array for a new namespace
 *
 * Context: Process context, may sleep.
 * Return: the array, or NULL on allocation failure.
 */
struct net_generic *net_generic_new_array(void)
{
	return net_generic_alloc_len(READ_ONCE(net_generic_len));
}

static struct net_generic *net_generic_array(struct net *net)
{
	return rcu_dereference_protected(net->gen,
					 lockdep_is_held(&pernet_ops_rwsem));
}

/**
 * net_generic_store() - publish @data in slot @id of @net
 * @net: the namespace
 * @id: slot number
 * @data: pointer to publish, or NULL
 *
 * The array grows to cover @id even when @data is NULL: net_generic()
 * reads the slot of any registered id without a bound check.
 *
 * Context: Process context, pernet_ops_rwsem held.
 * Return: 0, or -ENOMEM if the array had to grow and could not.
 */
int net_generic_store(struct net *net, unsigned int id, void *data)
{
	struct net_generic *cur, *grown;
	unsigned int len;

	lockdep_assert_held(&pernet_ops_rwsem);

	cur = net_generic_array(net);
	if (id < cur->s.len) {
		WRITE_ONCE(cur->ptr[id], data);
		return 0;
	}

	len = max(id + 1, READ_ONCE(net_generic_len));
	grown = net_generic_alloc_len(len);
	if (!grown)
		return -ENOMEM;

	/* Fill the copy completely before readers can reach it. */
	memcpy(&grown->ptr[NET_GENERIC_FIRST_ID], &cur->ptr[NET_GENERIC_FIRST_ID],
	       (cur->s.len - NET_GENERIC_FIRST_ID) * sizeof(void *));
	grown->ptr[id] = data;
	rcu_assign_pointer(net->gen, grown);
	kfree_rcu(cur, s.rcu);
	return 0;
}

/**
 * net_generic_take() - clear slot @id of @net
 * @net: the namespace
 * @id: slot number
 *
 * Context: Process context, pernet_ops_rwsem held.
 * Return: the pointer the slot held, or NULL.
 */
void *net_generic_take(struct net *net, unsigned int id)
{
	struct net_generic *ng;
	void *data;

	lockdep_assert_held(&pernet_ops_rwsem);

	ng = net_generic_array(net);
	if (id >= ng->s.len)
		return NULL;
	data = ng->ptr[id];
	WRITE_ONCE(ng->ptr[id], NULL);
	return data;
}

/**
 * net_assign_generic() - publish a generic pointer from pernet init
 * @net: the namespace being initialised
 * @id: the slot of the pernet_operations whose ->init() is running
 * @data: the pointer; it must stay unchanged while @net lives
 *
 * For pernet_operations that have an ->id but no ->size: their ->init()
 * allocates its own per-namespace data and publishes it here.  Calling
 * this outside that ->init(), for another id, or to replace a published
 * pointer is a bug and is refused with a warning.  If ->init() fails after
 * publishing, the core clears the slot; the data belongs to the caller.
 *
 * Context: Process context, only from the ->init() method of the
 * pernet_operations owning @id (pernet_ops_rwsem is then held).
 * Return: 0 on success, -EINVAL on misuse, -ENOMEM if the array could
 * not grow.
 */
int net_assign_generic(struct net *net, unsigned int id, void *data)
{
	struct net_generic *ng;

	lockdep_assert_held(&pernet_ops_rwsem);

	if (WARN_ON_ONCE(id < NET_GENERIC_FIRST_ID ||
			 id != READ_ONCE(net->gen_init_id)))
		return -EINVAL;
	ng = net_generic_array(net);
	if (WARN_ON_ONCE(id < ng->s.len && ng->ptr[id] && ng->ptr[id] != data))
		return -EINVAL;

	return net_generic_store(net, id, data);
}
EXPORT_SYMBOL_GPL(net_assign_generic);

/**
 * net_generic_get_id() - hand out a slot number
 *
 * Context: Process context, pernet_ops_rwsem held for writing.
 * Return: the id, or a negative errno.
 */
int net_generic_get_id(void)
{
	int id;

	lockdep_assert_held_write(&pernet_ops_rwsem);

	id = ida_alloc_min(&net_generic_id_space, NET_GENERIC_FIRST_ID,
			   GFP_KERNEL);
	if (id >= 0 && id >= net_generic_len)
		WRITE_ONCE(net_generic_len, id + 1);
	return id;
}
EXPORT_SYMBOL_IF_KUNIT(net_generic_get_id);

/**
 * net_generic_put_id() - release a slot number
 * @id: slot number from net_generic_get_id()
 *
 * The caller must have cleared the slot in every namespace.
 *
 * Context: Process context, pernet_ops_rwsem held for writing.
 */
void net_generic_put_id(unsigned int id)
{
	lockdep_assert_held_write(&pernet_ops_rwsem);

	ida_free(&net_generic_id_space, id);
}
EXPORT_SYMBOL_IF_KUNIT(net_generic_put_id);
