// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pernet_operations registry and the drivers that run it.
 *
 * The registry is one list: subsystem operations first, then device
 * operations.  subsys_end points at the first device operation (or at the
 * list head when there is none); subsystems are inserted before it, devices
 * at the tail.  Setting a namespace up walks the list forwards; tearing
 * namespaces down walks a prefix of it backwards, stage by stage, over a
 * whole batch of namespaces at a time.
 */

#include <linux/export.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "netns_core.h"

/* See "Locking" in include/net/net_namespace.h. */
struct rw_semaphore pernet_ops_rwsem = __RWSEM_INITIALIZER(pernet_ops_rwsem);
EXPORT_SYMBOL_GPL(pernet_ops_rwsem);

static LIST_HEAD(pernet_registry);
static struct list_head *subsys_end = &pernet_registry;

/*
 * A stretch of operations to undo, visited from @top backwards up to, but
 * not including, @stop.  Undoing "everything before X" is {X->prev, head};
 * undoing all of a list is {head->prev, head}.
 */
struct pernet_span {
	struct list_head *top;
	struct list_head *stop;
};

static const struct pernet_operations *
span_at(const struct pernet_span *span, const struct list_head *pos)
{
	if (pos == span->stop)
		return NULL;
	return list_entry(pos, struct pernet_operations, list);
}

/*
 * Step *@pos through @span, newest operations first: the first step, from
 * a NULL *@pos, lands on @span->top.  Returns the operations at the new
 * position, or NULL once past the end of @span.
 */
static const struct pernet_operations *
span_step(const struct pernet_span *span, const struct list_head **pos)
{
	*pos = *pos ? (*pos)->prev : span->top;
	return span_at(span, *pos);
}

/* Visit the operations of @span, newest first. */
#define pernet_span_for_each(ops, span)					\
	for (const struct list_head *__span_pos = NULL;			\
	     ((ops) = span_step(span, &__span_pos));)

static int pernet_init_one(const struct pernet_operations *ops,
			   struct net *net)
{
	void *storage = NULL;
	int err = 0;

	/*
	 * @net's array may predate the id (a replay, or a namespace allocated
	 * while the id was handed out).  Grow it now, even with nothing to
	 * store (no ->size, and ->init() publishing nothing or absent): from
	 * here on net_generic() may be called with the id.
	 */
	if (ops->id) {
		if (ops->size) {
			storage = kzalloc(ops->size, GFP_KERNEL);
			if (!storage)
				return -ENOMEM;
		}
		err = net_generic_store(net, *ops->id, storage);
		if (err) {
			kfree(storage);
			return err;
		}
	}

	if (ops->init) {
		if (ops->id && !ops->size)
			WRITE_ONCE(net->gen_init_id, *ops->id);
		err = ops->init(net);
		WRITE_ONCE(net->gen_init_id, 0);
	}

	if (err && ops->id) {
		net_generic_take(net, *ops->id);
		kfree(storage);
	}
	return err;
}

/*
 * The RTNL stage for @nets, one chunk of a batch: its exit_rtnl and
 * exit_batch_rtnl methods, then the devices they queued.  RTNL held.
 */
static void pernet_stage_rtnl_chunk(const struct pernet_span *span,
				    struct list_head *nets)
{
	const struct pernet_operations *ops;
	LIST_HEAD(dev_kill_list);
	struct net *net;

	ASSERT_RTNL();
	list_for_each_entry(net, nets, exit_list) {
		__rtnl_net_lock(net);
		pernet_span_for_each(ops, span)
			if (ops->exit_rtnl) {
				netns_cleanup_step(NETNS_STAGE_EXIT_RTNL,
						   ops->exit_rtnl);
				ops->exit_rtnl(net, &dev_kill_list);
			}
		__rtnl_net_unlock(net);
	}
	pernet_span_for_each(ops, span)
		if (ops->exit_batch_rtnl) {
			netns_cleanup_step(NETNS_STAGE_EXIT_RTNL,
					   ops->exit_batch_rtnl);
			ops->exit_batch_rtnl(nets, &dev_kill_list);
		}
	netns_cleanup_step(NETNS_STAGE_EXIT_RTNL, unregister_netdevice_many);
	unregister_netdevice_many(&dev_kill_list);
}

/*
 * The RTNL stage of a batch, NET_EXIT_RTNL_CHUNK namespaces at a time,
 * under one RTNL section that lets waiters in between two chunks
 * (rtnl_contended()): a new namespace registering its loopback device,
 * or a link being created, waits for one chunk, not for the whole batch,
 * and an uncontended teardown keeps one hold.  The namespaces are dead
 * and unlisted, so nothing else can reach their devices while RTNL is
 * dropped.  @nets is restored, in order, before returning.
 */
static void pernet_stage_rtnl(const struct pernet_span *span,
			      struct list_head *nets)
{
	LIST_HEAD(chunk);
	LIST_HEAD(done);
	unsigned int n;
	struct net *net;

	netns_cleanup_step(NETNS_STAGE_EXIT_RTNL, rtnl_lock);
	rtnl_lock();
	while (!list_empty(nets)) {
		n = 0;
		list_for_each_entry(net, nets, exit_list)
			if (++n == NET_EXIT_RTNL_CHUNK)
				break;
		if (list_entry_is_head(net, nets, exit_list))
			list_splice_init(nets, &chunk);
		else
			list_cut_position(&chunk, nets, &net->exit_list);

		pernet_stage_rtnl_chunk(span, &chunk);
		list_splice_tail_init(&chunk, &done);
		if (!list_empty(nets) && rtnl_contended()) {
			netns_cleanup_step(NETNS_STAGE_EXIT_RTNL, rtnl_unlock);
			rtnl_unlock();
			cond_resched();
			netns_cleanup_step(NETNS_STAGE_EXIT_RTNL, rtnl_lock);
			rtnl_lock();
		}
	}
	list_splice(&done, nets);
	/* Waits for the devices' last references: netdev_run_todo(). */
	netns_cleanup_step(NETNS_STAGE_EXIT_RTNL, rtnl_unlock);
	rtnl_unlock();
}

/*
 * Undo @span on every namespace of @nets (linked by exit_list).  The
 * caller holds pernet_ops_rwsem, so the span cannot change under us.
 * Each step is reported to netns_cleanup_step(), which only records it
 * when the cleanup worker is the caller.
 */
static void pernet_undo(const struct pernet_span *span, struct list_head *nets,
			bool expedite)
{
	const struct pernet_operations *ops;
	bool need_rtnl = false;
	struct net *net;

	lockdep_assert_held(&pernet_ops_rwsem);

	pernet_span_for_each(ops, span) {
		if (ops->exit_rtnl || ops->exit_batch_rtnl)
			need_rtnl = true;
		if (!ops->pre_exit)
			continue;
		netns_cleanup_step(NETNS_STAGE_PRE_EXIT, ops->pre_exit);
		list_for_each_entry(net, nets, exit_list)
			ops->pre_exit(net);
	}

	/*
	 * RCU readers may still be walking towards these namespaces (for
	 * instance through for_each_net_rcu()); pre_exit() and exit() are
	 * promised a grace period between them.
	 */
	netns_cleanup_step(NETNS_STAGE_RCU_WAIT, NULL);
	if (expedite)
		synchronize_rcu_expedited();
	else
		synchronize_rcu();

	if (need_rtnl)
		pernet_stage_rtnl(span, nets);

	pernet_span_for_each(ops, span) {
		if (ops->exit) {
			netns_cleanup_step(NETNS_STAGE_EXIT, ops->exit);
			list_for_each_entry(net, nets, exit_list) {
				ops->exit(net);
				cond_resched();
			}
		}
		if (ops->exit_batch) {
			netns_cleanup_step(NETNS_STAGE_EXIT_BATCH,
					   ops->exit_batch);
			ops->exit_batch(nets);
		}
	}

	pernet_span_for_each(ops, span) {
		if (!ops->id)
			continue;
		list_for_each_entry(net, nets, exit_list) {
			void *storage = net_generic_take(net, *ops->id);

			if (ops->size)
				kfree(storage);
		}
	}
}

/* Undo a single @ops, which is not on the registry, on @nets. */
static void pernet_undo_lone(struct pernet_operations *ops,
			     struct list_head *nets)
{
	LIST_HEAD(lone);
	struct pernet_span span = { .top = &ops->list, .stop = &lone };

	list_add(&ops->list, &lone);
	pernet_undo(&span, nets, false);
	list_del(&ops->list);
}

/**
 * pernet_run_init() - run every registered init method on a new namespace
 * @net: the namespace, not yet on net_namespace_list
 *
 * On failure @net is first retired like a dying namespace: the creator's
 * counted reference is dropped, so that maybe_get_net() fails on it (if
 * nothing else holds one), and every nsid naming it or held by it is
 * removed.  Then the operations that succeeded are undone, newest first,
 * and their generic storage is released before returning.
 *
 * Context: Process context, pernet_ops_rwsem held; takes the nsid retire
 * mutex on failure.
 * Return: 0 or the error of the failing init method.
 */
int pernet_run_init(struct net *net)
{
	const struct pernet_operations *ops;
	struct pernet_span span;
	LIST_HEAD(nets);
	bool dropped;
	int err = 0;

	lockdep_assert_held(&pernet_ops_rwsem);

	list_for_each_entry(ops, &pernet_registry, list) {
		err = pernet_init_one(ops, net);
		if (err)
			break;
	}
	if (!err)
		return 0;

	/*
	 * Retire @net before anything is undone, as a teardown does before
	 * its exit methods.  Drop the creator's counted reference if it is
	 * the only one, so that maybe_get_net() refuses @net from now on
	 * (and nsid_attach() and RTM_DELNSID skip it); then close and remove
	 * every nsid naming it or held by it.  Left for after the undo,
	 * get_net_ns_by_id() could hand out a reference to @net meanwhile,
	 * and RTM_DELNSID would be sent through the rtnetlink socket that
	 * the undo releases.
	 */
	list_add(&net->exit_list, &nets);
	dropped = refcount_dec_if_one(&net->ns.count);
	/* A reference taken during setup and kept would outlive @net. */
	DEBUG_NET_WARN_ON_ONCE(!dropped);
	netns_nsids_retire(&nets);

	span.top = ops->list.prev;
	span.stop = &pernet_registry;
	pernet_undo(&span, &nets, false);
	list_del_init(&net->exit_list);
	/* Callbacks queued by the undone methods may still use @net. */
	rcu_barrier();
	return err;
}

/**
 * pernet_run_exit() - tear a batch of namespaces down
 * @net_exit_list: the namespaces, linked by exit_list, already unlinked
 *	from net_namespace_list
 *
 * Context: Process context, pernet_ops_rwsem held for reading.
 */
void pernet_run_exit(struct list_head *net_exit_list)
{
	struct pernet_span span = {
		.top = pernet_registry.prev,
		.stop = &pernet_registry,
	};

	lockdep_assert_held_read(&pernet_ops_rwsem);

	pernet_undo(&span, net_exit_list, true);
}

#ifdef CONFIG_NET_NS
/* Run @ops->init on every live namespace; undo them all on failure. */
static int pernet_replay_init(struct pernet_operations *ops)
{
	LIST_HEAD(done);
	struct net *net;
	int err;

	/* Writers of the rwsem exclude setup and cleanup: the list is fixed. */
	lockdep_assert_held_write(&pernet_ops_rwsem);

	if (!ops->init && !ops->id)
		return 0;

	for_each_net(net) {
		err = pernet_init_one(ops, net);
		if (err) {
			list_del(&ops->list);
			pernet_undo_lone(ops, &done);
			return err;
		}
		list_add_tail(&net->exit_list, &done);
	}
	return 0;
}

static void pernet_replay_exit(struct pernet_operations *ops)
{
	LIST_HEAD(nets);
	struct net *net;

	lockdep_assert_held_write(&pernet_ops_rwsem);

	list_del(&ops->list);
	for_each_net(net)
		list_add_tail(&net->exit_list, &nets);
	pernet_undo_lone(ops, &nets);
}

static int pernet_link(struct list_head *where, struct pernet_operations *ops)
{
	list_add_tail(&ops->list, where);
	return pernet_replay_init(ops);
}

static void pernet_unlink(struct pernet_operations *ops)
{
	pernet_replay_exit(ops);
}

#else /* !CONFIG_NET_NS */

/*
 * Without namespaces there is only init_net.  Operations registered after
 * it was set up are run on it directly and never linked: they may live in
 * init memory that is discarded after boot.
 */
static int pernet_link(struct list_head *where, struct pernet_operations *ops)
{
	if (!net_initialized(&init_net)) {
		list_add_tail(&ops->list, where);
		return 0;
	}
	return pernet_init_one(ops, &init_net);
}

static void pernet_unlink(struct pernet_operations *ops)
{
	LIST_HEAD(nets);

	if (!net_initialized(&init_net)) {
		list_del(&ops->list);
		return;
	}
	list_add(&init_net.exit_list, &nets);
	pernet_undo_lone(ops, &nets);
	list_del_init(&init_net.exit_list);
}
#endif /* CONFIG_NET_NS */

static int pernet_register(struct list_head *where,
			   struct pernet_operations *ops)
{
	int err;

	lockdep_assert_held_write(&pernet_ops_rwsem);

	if (WARN_ON(ops->size && !ops->id))
		return -EINVAL;

	if (ops->id) {
		err = net_generic_get_id();
		if (err < 0)
			return err;
		*ops->id = err;
	}

	err = pernet_link(where, ops);
	if (err) {
		rcu_barrier();
		if (ops->id)
			net_generic_put_id(*ops->id);
	}
	return err;
}

static void pernet_unregister(struct pernet_operations *ops)
{
	lockdep_assert_held_write(&pernet_ops_rwsem);

	pernet_unlink(ops);
	rcu_barrier();
	if (ops->id)
		net_generic_put_id(*ops->id);
}

/**
 * register_pernet_subsys() - register network namespace subsystem methods
 * @ops: the methods
 *
 * @ops->init runs now on every existing namespace and later on each new
 * one, after the subsystems registered before it and before any device
 * operations.  If it fails on an existing namespace, @ops is undone on the
 * namespaces where it succeeded and the registration fails.  Teardown runs
 * the exit methods in the reverse order.
 *
 * Context: Process context; takes pernet_ops_rwsem for writing.
 * Return: 0 on success or a negative errno.
 */
int register_pernet_subsys(struct pernet_operations *ops)
{
	int err;

	down_write(&pernet_ops_rwsem);
	err = pernet_register(subsys_end, ops);
	up_write(&pernet_ops_rwsem);
	return err;
}
EXPORT_SYMBOL_GPL(register_pernet_subsys);

/**
 * unregister_pernet_subsys() - unregister network namespace subsystem methods
 * @ops: methods passed to register_pernet_subsys()
 *
 * Runs the teardown stages of @ops on every existing namespace and removes
 * @ops from the registry.
 *
 * Context: Process context; takes pernet_ops_rwsem for writing.
 */
void unregister_pernet_subsys(struct pernet_operations *ops)
{
	down_write(&pernet_ops_rwsem);
	pernet_unregister(ops);
	up_write(&pernet_ops_rwsem);
}
EXPORT_SYMBOL_GPL(unregister_pernet_subsys);

/**
 * register_pernet_device() - register network namespace device methods
 * @ops: the methods
 *
 * Like register_pernet_subsys(), but @ops runs after every subsystem on
 * creation and before them on teardown.
 *
 * Context: Process context; takes pernet_ops_rwsem for writing.
 * Return: 0 on success or a negative errno.
 */
int register_pernet_device(struct pernet_operations *ops)
{
	int err;

	down_write(&pernet_ops_rwsem);
	err = pernet_register(&pernet_registry, ops);
	if (!err && subsys_end == &pernet_registry)
		subsys_end = &ops->list;
	up_write(&pernet_ops_rwsem);
	return err;
}
EXPORT_SYMBOL_GPL(register_pernet_device);

/**
 * unregister_pernet_device() - unregister network namespace device methods
 * @ops: methods passed to register_pernet_device()
 *
 * Runs the teardown stages of @ops on every existing namespace and removes
 * @ops from the registry.
 *
 * Context: Process context; takes pernet_ops_rwsem for writing.
 */
void unregister_pernet_device(struct pernet_operations *ops)
{
	down_write(&pernet_ops_rwsem);
	if (subsys_end == &ops->list)
		subsys_end = ops->list.next;
	pernet_unregister(ops);
	up_write(&pernet_ops_rwsem);
}
EXPORT_SYMBOL_GPL(unregister_pernet_device);
