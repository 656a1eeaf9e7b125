// SPDX-License-Identifier: GPL-2.0-only
/*
 * Network namespace lifecycle: allocation, setup, the list of live
 * namespaces, reference counting, batched teardown and the nsfs glue.
 *
 * A namespace has three kinds of references:
 *  - ns.count (get_net()/put_net()) keeps it alive.  When it drops to zero
 *    the namespace is queued for teardown; it never becomes non-zero
 *    again, which is why lookups that may meet a dying namespace use
 *    maybe_get_net().
 *  - passive (net_passive_inc()/net_passive_dec()) keeps struct net
 *    allocated after teardown.
 *  - weak references (hold_net_class()/release_net_class()) count, by
 *    class, the objects that point at the namespace without owning a
 *    counted reference (kernel sockets, devices, neighbour parameters).
 *    Each also holds a passive reference, so a late holder never touches
 *    freed memory.  They are expected to be gone once the exit methods
 *    have run; a namespace whose teardown still finds some lingers (state
 *    lingering, in the debugfs view and a trace event) and is freed as
 *    usual when the last one goes.  One still lingering after
 *    weak_grace_secs is reported once, by class, as a leak.
 *
 * Teardown is batched: __put_net() queues the namespace on a lock-free
 * list and kicks one work item, which takes every namespace queued so far
 * and pays the RCU grace period and rcu_barrier() once for all of them.
 * Freed structures are kept for one more round (one more grace period and
 * rcu_barrier()) before their memory is returned, by the next batch or,
 * when none comes, by a delayed work item on the same ordered workqueue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/cache.h>
#include <linux/cookie.h>
#include <linux/cred.h>
#include <linux/export.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/key.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/nsproxy.h>
#include <linux/proc_fs.h>
#include <linux/proc_ns.h>
#include <linux/random.h>
#include <linux/ratelimit.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seqlock.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/netns/ipv4.h>
#include <net/sock.h>

#include "netns_core.h"

#define CREATE_TRACE_POINTS
#include <trace/events/netns.h>

/* Live namespaces; see "Locking" in include/net/net_namespace.h. */
struct list_head net_namespace_list = LIST_HEAD_INIT(net_namespace_list);
EXPORT_SYMBOL_GPL(net_namespace_list);

/* Held for writing by the writers of net_namespace_list. */
struct rw_semaphore net_rwsem = __RWSEM_INITIALIZER(net_rwsem);
EXPORT_SYMBOL_GPL(net_rwsem);

#ifdef CONFIG_LOCKDEP
/**
 * net_list_walkable() - check a locked walk and get the namespace list
 *
 * for_each_net() gets the list head from here, in lockdep kernels, at
 * every step.  Warns, once per boot, unless the caller holds a lock that
 * keeps namespaces from being linked into or unlinked from the list (see
 * "Locking" in include/net/net_namespace.h): RTNL alone is not enough.
 *
 * Context: Any context.
 * Return: the head of net_namespace_list.
 */
struct list_head *net_list_walkable(void)
{
	lockdep_assert_once(lockdep_is_held(&net_rwsem) ||
			    lockdep_is_held_type(&pernet_ops_rwsem, 0));
	return &net_namespace_list;
}
EXPORT_SYMBOL_GPL(net_list_walkable);

/**
 * net_list_walkable_rcu() - check an RCU walk and get the namespace list
 *
 * for_each_net_rcu() gets the list head from here, in lockdep kernels, at
 * every step.  Entries are unlinked with list_del_rcu() and their memory
 * outlives a grace period, so a walk needs to be inside an RCU read-side
 * section (rcu_read_lock(), or disabled bottom halves or preemption), and
 * warns once per boot otherwise.  list_for_each_entry_rcu() has the same
 * check, but only under CONFIG_PROVE_RCU_LIST, which stays off because
 * unconverted RCU lists elsewhere in the kernel give false reports.
 *
 * Context: Any context.
 * Return: the head of net_namespace_list.
 */
struct list_head *net_list_walkable_rcu(void)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "for_each_net_rcu() outside an RCU read-side section");
	return &net_namespace_list;
}
EXPORT_SYMBOL_GPL(net_list_walkable_rcu);
#endif

#ifdef CONFIG_KEYS
static struct key_tag init_net_key_domain = { .usage = REFCOUNT_INIT(1) };

/* Give @net its key domain: init_net's is static, any other is allocated. */
static inline int net_key_domain_init(struct net *net)
{
	if (net == &init_net) {
		net->key_domain = &init_net_key_domain;
		return 0;
	}
	net->key_domain = kzalloc(sizeof(*net->key_domain), GFP_KERNEL);
	if (!net->key_domain)
		return -ENOMEM;
	refcount_set(&net->key_domain->usage, 1);
	return 0;
}

static inline void net_key_domain_remove(struct net *net)
{
	key_remove_domain(net->key_domain);
}
#else
static inline int net_key_domain_init(struct net *net)
{
	return 0;
}

static inline void net_key_domain_remove(struct net *net)
{
}
#endif

struct net init_net;
EXPORT_SYMBOL(init_net);

DEFINE_COOKIE(net_cookie);

/*
 * Every struct net from allocation until its memory is released, dying
 * ones included, for the debugfs view.  Writers hold net_all_lock
 * (IRQ-safe: the last passive reference may go from any context); readers
 * use RCU, and memory is freed after a grace period.
 */
LIST_HEAD(net_all_list);
DEFINE_SPINLOCK(net_all_lock);

static void net_all_add(struct net *net)
{
	unsigned long flags;

	net->born_ns = ktime_get_ns();
	net->state_ns = net->born_ns;
	spin_lock_irqsave(&net_all_lock, flags);
	list_add_tail_rcu(&net->all_list, &net_all_list);
	spin_unlock_irqrestore(&net_all_lock, flags);
}

const char * const netns_stage_names[NETNS_STAGES + 1] = {
	[NETNS_STAGE_PRE_EXIT]		= "pre_exit",
	[NETNS_STAGE_RCU_WAIT]		= "rcu_wait",
	[NETNS_STAGE_EXIT_RTNL]		= "exit_rtnl",
	[NETNS_STAGE_EXIT]		= "exit",
	[NETNS_STAGE_EXIT_BATCH]	= "exit_batch",
	[NETNS_STAGE_RCU_BARRIER]	= "rcu_barrier",
	[NETNS_STAGE_FREE]		= "free",
	[NETNS_STAGE_IDLE]		= "idle",
};

static const char * const net_weak_class_names[NET_WEAK_CLASSES] = {
	[NET_WEAK_SOCK]		= "kernel socket",
	[NET_WEAK_DEV]		= "device",
	[NET_WEAK_NEIGH_PARMS]	= "neigh parms",
	[NET_WEAK_OTHER]	= "other",
};

/**
 * net_weak_underflow() - report a weak reference released without a hold
 * @net: the namespace
 * @class: the class of the release
 *
 * release_net_class() left the count at zero; say so once per namespace
 * and class, with the caller's stack.
 *
 * Context: Any context.
 */
void net_weak_underflow(struct net *net, enum net_weak_class class)
{
	if (test_and_set_bit(class, &net->weak.warned))
		return;
	pr_warn("namespace inum %u cookie %llu weak reference released without a hold (%s), count kept at 0\n",
		net->ns.inum, net->net_cookie, net_weak_class_names[class]);
	dump_stack();
}
EXPORT_SYMBOL(net_weak_underflow);

/**
 * net_weak_hold_sk() - take the weak reference of a kernel socket
 * @tracker: the holder's tracker, &sk->ns_tracker for a socket
 * @net: the namespace
 * @gfp: allocation flags for the ref_tracker entry
 *
 * Takes a weak reference of class %NET_WEAK_SOCK and, with
 * CONFIG_NET_NS_REFCNT_TRACKER, records the caller's stack on
 * notrefcnt_tracker under @tracker.  Nothing else is read through
 * @tracker.  Called through __netns_tracker_alloc() only.
 *
 * Context: Any context allowed by @gfp.
 */
void net_weak_hold_sk(netns_tracker *tracker, struct net *net, gfp_t gfp)
{
	hold_net_class(net, NET_WEAK_SOCK);
#ifdef CONFIG_NET_NS_REFCNT_TRACKER
	ref_tracker_alloc(&net->notrefcnt_tracker, tracker, gfp);
#endif
}
EXPORT_SYMBOL(net_weak_hold_sk);

/**
 * net_weak_release_sk() - drop the weak reference of a kernel socket
 * @tracker: the tracker given to net_weak_hold_sk()
 * @net: the namespace
 *
 * Undoes net_weak_hold_sk().  Called through __netns_tracker_free() only.
 *
 * Context: Any context.
 */
void net_weak_release_sk(netns_tracker *tracker, struct net *net)
{
#ifdef CONFIG_NET_NS_REFCNT_TRACKER
	ref_tracker_free(&net->notrefcnt_tracker, tracker);
#endif
	release_net_class(net, NET_WEAK_SOCK);
}
EXPORT_SYMBOL(net_weak_release_sk);

#ifdef CONFIG_NET_NS
/*
 * Namespaces whose teardown found weak references still held: first
 * lingering, in the order they started to (so by deadline), then leaked
 * once reported.  A namespace leaves either list when its last weak
 * reference is released.  IRQ-safe: releases come from any context.
 */
static LIST_HEAD(net_lingering);
static LIST_HEAD(net_leaked);
static DEFINE_SPINLOCK(net_linger_lock);

/* Leak reports and the lines that follow them, for every namespace. */
static DEFINE_RATELIMIT_STATE(net_weak_ratelimit, 5 * HZ, 10);

static int net_weak_grace_set(const char *val, const struct kernel_param *kp);

static const struct kernel_param_ops net_weak_grace_ops = {
	.set	= net_weak_grace_set,
	.get	= param_get_uint,
};

/* Seconds a weak reference may outlive a teardown before it is reported. */
unsigned int netns_weak_grace_secs = 300;
EXPORT_SYMBOL_IF_KUNIT(netns_weak_grace_secs);
module_param_cb(weak_grace_secs, &net_weak_grace_ops, &netns_weak_grace_secs,
		0644);
MODULE_PARM_DESC(weak_grace_secs,
		 "report weak references still held this long after a namespace's teardown (0: at once)");

static void net_linger_scan(struct work_struct *work);
static DECLARE_DELAYED_WORK(net_linger_work, net_linger_scan);

/*
 * States are written by the cleanup worker, a failed creation and the
 * linger code (under net_linger_lock); the release pairs with the acquire
 * in net_broadcast_unreachable().
 */
static void net_set_state(struct net *net, enum net_state state)
{
	WRITE_ONCE(net->state_ns, ktime_get_ns());
	/* Pairs with smp_load_acquire() in net_broadcast_unreachable(). */
	smp_store_release(&net->state, state);
}

/* Print the stacks that took the kernel socket references still held. */
static void net_weak_print_stacks(struct net *net)
{
#ifdef CONFIG_NET_NS_REFCNT_TRACKER
	char *buf, *line, *cur;

	buf = kmalloc(SZ_4K, GFP_KERNEL | __GFP_NOWARN);
	if (!buf)
		return;
	ref_tracker_dir_snprint(&net->notrefcnt_tracker, buf, SZ_4K);
	cur = buf;
	while ((line = strsep(&cur, "\n")) != NULL)
		if (*line)
			pr_warn("namespace inum %u cookie %llu holder %s\n",
				net->ns.inum, net->net_cookie, line);
	kfree(buf);
#endif
}

static u64 net_linger_secs(const struct net *net)
{
	return div_u64(ktime_get_ns() - READ_ONCE(net->weak.linger_ns),
		       NSEC_PER_SEC);
}

/* Report @net, lingering past the grace period; @net is pinned. */
static void net_weak_report(struct net *net)
{
	int sk = net_weak_count(net, NET_WEAK_SOCK);
	int dev = net_weak_count(net, NET_WEAK_DEV);

	trace_netns_leaked(net);
	if (!__ratelimit(&net_weak_ratelimit))
		return;
	set_bit(NET_WEAK_REPORTED, &net->weak.warned);
	pr_warn("namespace inum %u cookie %llu still held %llu s after teardown by weak references: %d kernel socket%s, %d device%s, %d neigh parms, %d other; memory kept until released\n",
		net->ns.inum, net->net_cookie, net_linger_secs(net),
		sk, sk == 1 ? "" : "s", dev, dev == 1 ? "" : "s",
		net_weak_count(net, NET_WEAK_NEIGH_PARMS),
		net_weak_count(net, NET_WEAK_OTHER));
	net_weak_print_stacks(net);
}

/*
 * The linger work: report, in deadline order, the lingering namespaces
 * whose grace period is over, and sleep until the next deadline.  Armed
 * when a namespace starts to linger and when the grace period changes;
 * idle while nothing lingers.
 */
static void net_linger_scan(struct work_struct *work)
{
	u64 grace = (u64)READ_ONCE(netns_weak_grace_secs) * NSEC_PER_SEC;
	unsigned long flags;
	struct net *net;
	u64 now, due;

	for (;;) {
		now = ktime_get_ns();
		spin_lock_irqsave(&net_linger_lock, flags);
		net = list_first_entry_or_null(&net_lingering, struct net,
					       weak.linger_list);
		if (!net) {
			spin_unlock_irqrestore(&net_linger_lock, flags);
			return;
		}
		due = net->weak.linger_ns + grace;
		if (now < due) {
			spin_unlock_irqrestore(&net_linger_lock, flags);
			queue_delayed_work(system_unbound_wq, &net_linger_work,
					   nsecs_to_jiffies(due - now) + 1);
			return;
		}
		list_move_tail(&net->weak.linger_list, &net_leaked);
		net_set_state(net, NET_STATE_LEAKED);
		/* Listed, so weak references, so passive ones, are held. */
		net_passive_inc(net);
		spin_unlock_irqrestore(&net_linger_lock, flags);

		net_weak_report(net);
		net_passive_dec(net);
		cond_resched();
	}
}

/**
 * netns_weak_grace_store() - set the grace period of weak references
 * @secs: seconds a weak reference may outlive a teardown unreported
 *
 * Applies at once to the namespaces lingering now.
 *
 * Context: Any context.
 */
void netns_weak_grace_store(unsigned int secs)
{
	WRITE_ONCE(netns_weak_grace_secs, secs);
	mod_delayed_work(system_unbound_wq, &net_linger_work, 0);
}
EXPORT_SYMBOL_IF_KUNIT(netns_weak_grace_store);

static int net_weak_grace_set(const char *val, const struct kernel_param *kp)
{
	unsigned int secs;
	int err = kstrtouint(val, 0, &secs);

	if (!err)
		netns_weak_grace_store(secs);
	return err;
}

/* The last weak reference of @net is gone: it lingers no more. */
static void net_weak_settle(struct net *net)
{
	unsigned long flags;

	spin_lock_irqsave(&net_linger_lock, flags);
	if (!list_empty(&net->weak.linger_list)) {
		list_del_init(&net->weak.linger_list);
		net_set_state(net, NET_STATE_EXITED);
	}
	spin_unlock_irqrestore(&net_linger_lock, flags);
}

/*
 * Called once @net's exit methods have run, or its creation was undone:
 * if weak references are still held, @net starts to linger.  The caller
 * holds a passive reference.
 */
static void net_weak_linger(struct net *net)
{
	unsigned long flags;

	if (likely(!atomic_read(&net->weak.held)))
		return;

	spin_lock_irqsave(&net_linger_lock, flags);
	WRITE_ONCE(net->weak.linger_ns, ktime_get_ns());
	net_set_state(net, NET_STATE_LINGERING);
	list_add_tail(&net->weak.linger_list, &net_lingering);
	spin_unlock_irqrestore(&net_linger_lock, flags);
	trace_netns_lingering(net);

	/*
	 * Either the release that drops weak.held to zero sees @net listed
	 * (net_weak_release()), or this sees zero: pairs with the barrier
	 * of atomic_dec_and_test() there.
	 */
	smp_mb();
	if (!atomic_read(&net->weak.held))
		net_weak_settle(net);
	else
		queue_delayed_work(system_unbound_wq, &net_linger_work,
				   (unsigned long)READ_ONCE(netns_weak_grace_secs) * HZ);
}

/**
 * net_weak_release() - drop a weak reference
 * @net: the namespace
 * @class: the class it was taken with
 *
 * The out-of-line half of release_net_class(): a release without a hold
 * is reported and drops nothing; the last weak reference of a lingering
 * namespace settles it; the passive reference goes last, and may free
 * @net.
 *
 * Context: Any context.
 */
void net_weak_release(struct net *net, enum net_weak_class class)
{
	if (unlikely(atomic_dec_if_positive(&net->weak.count[class]) < 0)) {
		net_weak_underflow(net, class);
		return;
	}
	/* Pairs with smp_mb() in net_weak_linger(). */
	if (atomic_dec_and_test(&net->weak.held) &&
	    READ_ONCE(net->state) >= NET_STATE_LINGERING)
		net_weak_settle(net);
	net_passive_dec(net);
}
EXPORT_SYMBOL(net_weak_release);
#endif /* CONFIG_NET_NS */

/* Defaults that must be in place before any pernet init method runs. */
static __net_init void net_preinit(struct net *net, struct user_namespace *user_ns)
{
	refcount_set(&net->passive, 1);
	refcount_set(&net->ns.count, 1);
	ref_tracker_dir_init(&net->refcnt_tracker, 128, "net refcnt");
	ref_tracker_dir_init(&net->notrefcnt_tracker, 128, "net notrefcnt");
	INIT_LIST_HEAD(&net->weak.linger_list);

	net->hash_mix = get_random_u32();
	net->dev_base_seq = 1;
	net->user_ns = user_ns;
	net->owner_inum = user_ns->ns.inum;
	mutex_init(&net->ipv4.ra_mutex);

#ifdef CONFIG_DEBUG_NET_SMALL_RTNL
	mutex_init(&net->rtnl_mutex);
	lock_set_cmp_fn(&net->rtnl_mutex, rtnl_net_lock_cmp_fn, NULL);
#endif

	net->core.sysctl_somaxconn = SOMAXCONN;
	/* Per-socket optmem limit; TCP zerocopy needs 128 KB in practice. */
	net->core.sysctl_optmem_max = SZ_128K;
	net->core.sysctl_txrehash = SOCK_TXREHASH_ENABLED;
}

/*
 * Run the pernet init methods and, on success, make @net visible on
 * net_namespace_list.  On failure pernet_run_init() has removed every nsid
 * involving @net, then undone everything the methods did.
 */
static __net_init int setup_net(struct net *net)
{
	u64 start = ktime_get_ns();
	int err;

	lockdep_assert_held(&pernet_ops_rwsem);

	preempt_disable();
	net->net_cookie = gen_cookie_next(&net_cookie);
	preempt_enable();
	trace_netns_create_start(net);

	err = pernet_run_init(net);
	trace_netns_create_end(net, ktime_get_ns() - start, err);
	if (err)
		return err;

	down_write(&net_rwsem);
	list_add_tail_rcu(&net->list, &net_namespace_list);
	up_write(&net_rwsem);
	return 0;
}

#ifdef CONFIG_NET_NS
static struct kmem_cache *net_cachep __ro_after_init;
static struct workqueue_struct *netns_wq;

/* Structures whose last passive reference is gone, freed one round later. */
static LLIST_HEAD(net_free_queue);
/* Namespaces whose last counted reference is gone, awaiting teardown. */
static LLIST_HEAD(net_cleanup_queue);

static struct net *net_alloc(void)
{
	struct net_generic *ng;
	struct net *fresh;

	ng = net_generic_new_array();
	if (!ng)
		return NULL;

	fresh = kmem_cache_zalloc(net_cachep, GFP_KERNEL);
	if (!fresh)
		goto free_ng;

	if (netns_nsids_init(fresh))
		goto free_net;

	if (net_key_domain_init(fresh))
		goto free_key;

	rcu_assign_pointer(fresh->gen, ng);
	net_all_add(fresh);
	return fresh;

free_key:
	netns_nsids_free_key(fresh);
free_net:
	kmem_cache_free(net_cachep, fresh);
free_ng:
	kfree(ng);
	return NULL;
}

static void net_free_deferred(struct llist_node *released)
{
	struct net *net, *next;

	llist_for_each_entry_safe(net, next, released, defer_free_list)
		kmem_cache_free(net_cachep, net);
}

static void net_free_late(struct work_struct *work);
static DECLARE_DELAYED_WORK(net_free_late_work, net_free_late);

/*
 * Structures released outside a teardown batch (a late holder, a failed
 * creation) when no batch comes to free them: after rcu_barrier(), as a
 * batch would.  On netns_wq, so never during a batch.
 */
static void net_free_late(struct work_struct *work)
{
	struct llist_node *released;

	/* A batch queued behind this work frees them, with its barrier. */
	if (!llist_empty(&net_cleanup_queue))
		return;
	released = llist_del_all(&net_free_queue);
	if (!released)
		return;
	rcu_barrier();
	net_free_deferred(released);
}

/**
 * net_free_pending() - test whether released structures await freeing
 *
 * Context: Any context.
 * Return: true while struct net memory waits for its final free.
 */
bool net_free_pending(void)
{
	return !llist_empty(&net_free_queue);
}
EXPORT_SYMBOL_IF_KUNIT(net_free_pending);

/**
 * net_passive_dec() - drop a passive reference to a namespace
 * @net: the namespace
 *
 * The last passive reference releases what struct net still owns and
 * queues its memory for freeing after a further grace period.  Weak
 * references hold passive ones, so this never happens while one is held.
 *
 * Context: Any context.
 */
void net_passive_dec(struct net *net)
{
	unsigned long flags;

	if (!refcount_dec_and_test(&net->passive))
		return;

	trace_netns_freed(net);
	if (test_bit(NET_WEAK_REPORTED, &net->weak.warned) &&
	    __ratelimit(&net_weak_ratelimit))
		pr_info("namespace inum %u cookie %llu released by its last weak reference %llu s after teardown; freed\n",
			net->ns.inum, net->net_cookie, net_linger_secs(net));

	spin_lock_irqsave(&net_all_lock, flags);
	list_del_rcu(&net->all_list);
	spin_unlock_irqrestore(&net_all_lock, flags);

	kfree(rcu_access_pointer(net->gen));
	netns_nsids_free_key(net);

#ifdef CONFIG_REF_TRACKER
	ref_tracker_dir_exit(&net->notrefcnt_tracker);
	if (!net->refcnt_tracker.dead)
		ref_tracker_dir_exit(&net->refcnt_tracker);
#endif

	/* The first of an empty queue makes sure it is freed, batch or not. */
	if (llist_add(&net->defer_free_list, &net_free_queue))
		queue_delayed_work(netns_wq, &net_free_late_work, HZ);
}

/**
 * net_drop_ns() - drop a passive reference held through a void pointer
 * @p: the namespace, or NULL
 *
 * Context: Any context.
 */
void net_drop_ns(void *p)
{
	if (p)
		net_passive_dec(p);
}
EXPORT_SYMBOL_IF_KUNIT(net_passive_dec);

/**
 * copy_net_ns() - get the network namespace for a new task or unshare()
 * @flags: clone flags; a new namespace is created if CLONE_NEWNET is set
 * @user_ns: owner of the new namespace
 * @old_net: the current namespace
 *
 * Context: Process context, may sleep; killable while waiting for
 * pernet_ops_rwsem.
 * Return: a counted reference to @old_net or to a new namespace, or an
 * ERR_PTR(): -ENOSPC over the namespace limit of @user_ns, -ENOMEM, -EINTR
 * when killed, or the error of a failing pernet init method.
 */
struct net *copy_net_ns(unsigned long flags,
			struct user_namespace *user_ns, struct net *old_net)
{
	struct ucounts *uc;
	struct net *fresh;
	int err;

	if (!(flags & CLONE_NEWNET))
		return get_net(old_net);

	uc = inc_ucount(user_ns, current_euid(), UCOUNT_NET_NAMESPACES);
	if (!uc)
		return ERR_PTR(-ENOSPC);

	fresh = net_alloc();
	if (!fresh) {
		dec_ucount(uc, UCOUNT_NET_NAMESPACES);
		return ERR_PTR(-ENOMEM);
	}

	net_preinit(fresh, user_ns);
	fresh->ucounts = uc;
	get_user_ns(user_ns);

	/* Readers only: namespaces are created in parallel. */
	err = down_read_killable(&pernet_ops_rwsem);
	if (!err) {
		err = setup_net(fresh);
		up_read(&pernet_ops_rwsem);
	}
	if (!err)
		return fresh;

	net_key_domain_remove(fresh);
	put_user_ns(user_ns);
	/* An init method may have left a weak reference behind. */
	net_weak_linger(fresh);
	net_passive_dec(fresh);
	dec_ucount(uc, UCOUNT_NET_NAMESPACES);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(copy_net_ns);

/**
 * net_ns_get_ownership() - get the sysfs ownership for objects of a namespace
 * @net: the namespace, or NULL for the initial one
 * @uid: set to the kuid of root in the owning user namespace, if mapped
 * @gid: set to the kgid of root in the owning user namespace, if mapped
 *
 * What @uid and @gid point to is left alone when root is not mapped.
 *
 * Context: Any context.
 */
void net_ns_get_ownership(const struct net *net, kuid_t *uid, kgid_t *gid)
{
	kuid_t root_uid;
	kgid_t root_gid;

	if (!net) {
		*uid = GLOBAL_ROOT_UID;
		*gid = GLOBAL_ROOT_GID;
		return;
	}

	root_uid = make_kuid(net->user_ns, 0);
	root_gid = make_kgid(net->user_ns, 0);
	if (uid_valid(root_uid))
		*uid = root_uid;
	if (gid_valid(root_gid))
		*gid = root_gid;
}
EXPORT_SYMBOL_GPL(net_ns_get_ownership);

/*
 * What the cleanup worker is doing, for debugfs, the watchdog and the
 * tracepoints.  Written by the worker only (netns_cleanup_step() ignores
 * every other caller of pernet_undo()), read through netns_cleanup.seq.
 */
static struct {
	seqcount_t		seq;
	struct task_struct	*task;		/* the worker, during a batch */
	struct netns_cleanup_snap s;		/* .running, .queued unused */
	u64			cur_ns[NETNS_STAGES];	/* worker only */
} netns_cleanup = {
	.seq	= SEQCNT_ZERO(netns_cleanup.seq),
	.s	= { .stage = NETNS_STAGE_IDLE },
};

/* Namespaces queued for teardown and not yet taken by a batch. */
static atomic_t net_cleanup_queued = ATOMIC_INIT(0);

static int netns_watchdog_set(const char *val, const struct kernel_param *kp);

static const struct kernel_param_ops netns_watchdog_ops = {
	.set	= netns_watchdog_set,
	.get	= param_get_uint,
};

/* Seconds one step may take before the watchdog warns; 0 turns it off. */
unsigned int netns_cleanup_watchdog_secs = 120;
EXPORT_SYMBOL_IF_KUNIT(netns_cleanup_watchdog_secs);
module_param_cb(cleanup_watchdog_secs, &netns_watchdog_ops,
		&netns_cleanup_watchdog_secs, 0644);
MODULE_PARM_DESC(cleanup_watchdog_secs,
		 "warn when a namespace teardown step runs longer (0: off)");

static void netns_cleanup_write_begin(void)
{
	preempt_disable();
	write_seqcount_begin(&netns_cleanup.seq);
}

static void netns_cleanup_write_end(void)
{
	write_seqcount_end(&netns_cleanup.seq);
	preempt_enable();
}

/* Account the step that ends at @now to its stage. */
static void netns_cleanup_close_step(u64 now)
{
	u64 took;

	if (netns_cleanup.s.stage >= NETNS_STAGES)
		return;
	took = now - netns_cleanup.s.step_ns;
	netns_cleanup.cur_ns[netns_cleanup.s.stage] += took;
	if (netns_cleanup.s.fn)
		trace_netns_ops_exit(netns_cleanup.s.fn, netns_cleanup.s.stage,
				     took, netns_cleanup.s.size);
}

/**
 * netns_cleanup_step() - record that the cleanup worker enters a new step
 * @stage: the stage of the step
 * @fn: the pernet method it runs, or NULL
 *
 * Context: Process context; does nothing unless called by the cleanup
 * worker during a batch.
 */
void netns_cleanup_step(enum netns_cleanup_stage stage, const void *fn)
{
	u64 now;

	if (likely(READ_ONCE(netns_cleanup.task) != current))
		return;
	now = ktime_get_ns();
	netns_cleanup_close_step(now);
	netns_cleanup_write_begin();
	netns_cleanup.s.stage = stage;
	netns_cleanup.s.fn = fn;
	netns_cleanup.s.step_ns = now;
	netns_cleanup_write_end();
}

static void netns_watchdog(struct work_struct *work);
static DECLARE_DELAYED_WORK(netns_watchdog_work, netns_watchdog);

/*
 * Look at the worker in @delay jiffies, sooner if already planned; not at
 * all while the watchdog is off (setting it on kicks it).
 */
static void netns_watchdog_arm(unsigned long delay)
{
	if (READ_ONCE(netns_cleanup_watchdog_secs))
		queue_delayed_work(system_unbound_wq, &netns_watchdog_work,
				   delay);
}

/**
 * netns_watchdog_store() - set the threshold of the cleanup watchdog
 * @secs: seconds one teardown step may take before a warning; 0 is off
 *
 * A step that is running now is judged by the new threshold at once;
 * turned off, the watchdog stops waking up.
 *
 * Context: Any context.
 */
void netns_watchdog_store(unsigned int secs)
{
	WRITE_ONCE(netns_cleanup_watchdog_secs, secs);
	if (secs)
		mod_delayed_work(system_unbound_wq, &netns_watchdog_work, 0);
	else
		cancel_delayed_work(&netns_watchdog_work);
}
EXPORT_SYMBOL_IF_KUNIT(netns_watchdog_store);

/**
 * netns_watchdog_armed() - test whether the cleanup watchdog will wake
 *
 * Context: Any context.
 * Return: true if the watchdog's work is queued or its timer runs.
 */
bool netns_watchdog_armed(void)
{
	return delayed_work_pending(&netns_watchdog_work);
}
EXPORT_SYMBOL_IF_KUNIT(netns_watchdog_armed);

static int netns_watchdog_set(const char *val, const struct kernel_param *kp)
{
	unsigned int secs;
	int err = kstrtouint(val, 0, &secs);

	if (!err)
		netns_watchdog_store(secs);
	return err;
}

static void netns_cleanup_begin(struct list_head *batch, unsigned int size)
{
	struct net *first = list_first_entry(batch, struct net, exit_list);
	unsigned int queued;

	queued = atomic_sub_return(size, &net_cleanup_queued);
	memset(netns_cleanup.cur_ns, 0, sizeof(netns_cleanup.cur_ns));
	netns_cleanup_write_begin();
	netns_cleanup.task = current;
	netns_cleanup.s.size = size;
	netns_cleanup.s.start_ns = ktime_get_ns();
	netns_cleanup.s.step_ns = netns_cleanup.s.start_ns;
	netns_cleanup.s.stage = NETNS_STAGE_IDLE;
	netns_cleanup.s.fn = NULL;
	netns_cleanup.s.first_inum = first->ns.inum;
	netns_cleanup.s.first_cookie = first->net_cookie;
	netns_cleanup_write_end();
	trace_netns_batch_start(size, queued);
	netns_watchdog_arm(0);
}

static void netns_cleanup_end(void)
{
	netns_cleanup_close_step(ktime_get_ns());
	netns_cleanup_write_begin();
	memcpy(netns_cleanup.s.last_ns, netns_cleanup.cur_ns,
	       sizeof(netns_cleanup.s.last_ns));
	netns_cleanup.s.batches++;
	netns_cleanup.task = NULL;
	netns_cleanup.s.stage = NETNS_STAGE_IDLE;
	netns_cleanup.s.fn = NULL;
	netns_cleanup_write_end();
	trace_netns_batch_end(netns_cleanup.s.size, netns_cleanup.cur_ns);
}

/**
 * netns_cleanup_snapshot() - take a snapshot of what the cleanup worker does
 * @snap: filled in, consistently
 *
 * The worker writes with preemption disabled but interrupts enabled, so
 * a reader that interrupted it on the same CPU would spin forever.
 *
 * Context: Task context (process or work item), not an interrupt or a
 * softirq.  Does not sleep.
 */
void netns_cleanup_snapshot(struct netns_cleanup_snap *snap)
{
	unsigned int seq;

	DEBUG_NET_WARN_ON_ONCE(!in_task());
	do {
		seq = read_seqcount_begin(&netns_cleanup.seq);
		*snap = netns_cleanup.s;
		snap->running = netns_cleanup.task;
	} while (read_seqcount_retry(&netns_cleanup.seq, seq));
	snap->queued = atomic_read(&net_cleanup_queued);
}
EXPORT_SYMBOL_IF_KUNIT(netns_cleanup_snapshot);

static void netns_watchdog_warn(const struct netns_cleanup_snap *s, u64 stuck)
{
	/* RCU waits have no method: name the stage alone. */
	if (s->fn)
		pr_warn("cleanup watchdog: %ps stuck for %llu s in stage %s, batch of %u namespace%s starting with cookie %llu inum %u, %u queued behind\n",
			s->fn, stuck, netns_stage_names[s->stage], s->size,
			s->size == 1 ? "" : "s", s->first_cookie,
			s->first_inum, s->queued);
	else
		pr_warn("cleanup watchdog: stuck for %llu s in stage %s, batch of %u namespace%s starting with cookie %llu inum %u, %u queued behind\n",
			stuck, netns_stage_names[s->stage], s->size,
			s->size == 1 ? "" : "s", s->first_cookie,
			s->first_inum, s->queued);
}

/*
 * The cleanup watchdog: while a batch runs, warn once when one step has
 * run for netns_cleanup_watchdog_secs, and again each time that time
 * doubles.  A step is a pernet method (over the whole batch) or a stage
 * without one (RCU waits).  It wakes at the next deadline only: at the
 * start of a batch, when the threshold is set, and when a deadline it
 * slept for passes (the step may have changed meanwhile).  A new
 * threshold applies to the step running when it is set.
 */
static void netns_watchdog(struct work_struct *work)
{
	static u64 step_ns, next_secs;
	static unsigned int armed_limit;
	unsigned int limit = READ_ONCE(netns_cleanup_watchdog_secs);
	struct netns_cleanup_snap s;
	u64 now, stuck, due;

	netns_cleanup_snapshot(&s);
	if (!s.running || !limit)
		return;

	if (s.step_ns != step_ns || limit != armed_limit) {
		step_ns = s.step_ns;
		armed_limit = limit;
		next_secs = limit;
	}
	now = ktime_get_ns();
	stuck = div_u64(now - s.step_ns, NSEC_PER_SEC);
	if (stuck >= next_secs) {
		/* Between steps (nsid removal) nothing is reported. */
		if (s.stage < NETNS_STAGES)
			netns_watchdog_warn(&s, stuck);
		next_secs = stuck * 2;
	}
	due = s.step_ns + next_secs * NSEC_PER_SEC;
	netns_watchdog_arm(due > now ? nsecs_to_jiffies(due - now) + 1 : 1);
}

/* Tear down every namespace queued so far, as one batch. */
static void net_cleanup_batch(struct work_struct *work)
{
	struct llist_node *queued = llist_del_all(&net_cleanup_queue);
	struct llist_node *released;
	struct net *net, *next;
	unsigned int size = 0;
	LIST_HEAD(batch);

	/*
	 * Structures released before this batch: they left net_all_list
	 * before the grace period pernet_run_exit() waits for, so they are
	 * freed after it (and after the RCU callbacks of their own exit
	 * methods, rcu_barrier() below).
	 */
	released = llist_del_all(&net_free_queue);

	down_read(&pernet_ops_rwsem);

	/* Hide the batch from lookups walking net_namespace_list. */
	down_write(&net_rwsem);
	llist_for_each_entry(net, queued, cleanup_list) {
		list_del_rcu(&net->list);
		list_add_tail(&net->exit_list, &batch);
		size++;
	}
	up_write(&net_rwsem);
	if (size)
		netns_cleanup_begin(&batch, size);

	/* Only the ids naming, or kept by, these namespaces are visited. */
	netns_nsids_retire(&batch);

	/*
	 * No peer names them any more, and no user socket is left inside
	 * them: from here net_broadcast_unreachable() is true for them.
	 */
	list_for_each_entry(net, &batch, exit_list)
		net_set_state(net, NET_STATE_EXITING);

	pernet_run_exit(&batch);

	up_read(&pernet_ops_rwsem);

	/* Let RCU callbacks queued by the exit methods run. */
	netns_cleanup_step(NETNS_STAGE_RCU_BARRIER, NULL);
	rcu_barrier();

	netns_cleanup_step(NETNS_STAGE_FREE, NULL);

	/* Structures released by earlier rounds are now unreachable. */
	net_free_deferred(released);

	list_for_each_entry_safe(net, next, &batch, exit_list) {
		list_del_init(&net->exit_list);
		dec_ucount(net->ucounts, UCOUNT_NET_NAMESPACES);
		net_key_domain_remove(net);
		put_user_ns(net->user_ns);
		net_set_state(net, NET_STATE_EXITED);
		/* Holders of weak references are expected to be gone. */
		net_weak_linger(net);
		net_passive_dec(net);
	}
	if (size)
		netns_cleanup_end();
}

static DECLARE_WORK(net_cleanup_work, net_cleanup_batch);

/**
 * net_ns_barrier() - wait for teardown batches in progress
 *
 * Returns once no namespace teardown is running pernet exit methods, so
 * a module can be sure the exit methods it is about to unregister are not
 * in use by a batch that had already started.
 *
 * Context: Process context, may sleep; not from pernet methods.
 */
void net_ns_barrier(void)
{
	down_write(&pernet_ops_rwsem);
	up_write(&pernet_ops_rwsem);
}
EXPORT_SYMBOL(net_ns_barrier);

/**
 * __put_net() - queue a namespace whose last reference is gone
 * @net: the namespace
 *
 * The teardown runs later from a workqueue.
 *
 * Context: Any context.
 */
void __put_net(struct net *net)
{
	ref_tracker_dir_exit(&net->refcnt_tracker);
	/* Only the first entry of an empty queue needs to kick the worker. */
	net_set_state(net, NET_STATE_QUEUED);
	trace_netns_queued(net);
	atomic_inc(&net_cleanup_queued);
	if (llist_add(&net->cleanup_list, &net_cleanup_queue))
		queue_work(netns_wq, &net_cleanup_work);
}
EXPORT_SYMBOL_GPL(__put_net);

/**
 * get_net_ns() - take a reference through the namespace's ns_common
 * @ns: the ns_common of a network namespace
 *
 * Context: Any context; @ns must be valid memory.
 * Return: @ns with a new reference, or ERR_PTR(-EINVAL) if the namespace
 * is dying.
 */
struct ns_common *get_net_ns(struct ns_common *ns)
{
	struct net *net = maybe_get_net(container_of(ns, struct net, ns));

	return net ? &net->ns : ERR_PTR(-EINVAL);
}
EXPORT_SYMBOL_GPL(get_net_ns);

/**
 * get_net_ns_by_fd() - get the network namespace behind an nsfs file
 * @fd: file descriptor of /proc/<pid>/ns/net or a bind mount of it
 *
 * Context: Process context.
 * Return: a counted reference, ERR_PTR(-EBADF) for a bad descriptor or
 * ERR_PTR(-EINVAL) if @fd is not a live network namespace.
 */
struct net *get_net_ns_by_fd(int fd)
{
	CLASS(fd, f)(fd);
	struct ns_common *ns;
	struct net *net;

	if (fd_empty(f))
		return ERR_PTR(-EBADF);
	if (!proc_ns_file(fd_file(f)))
		return ERR_PTR(-EINVAL);

	ns = get_proc_ns(file_inode(fd_file(f)));
	if (ns->ops != &netns_operations)
		return ERR_PTR(-EINVAL);

	net = maybe_get_net(container_of(ns, struct net, ns));
	return net ?: ERR_PTR(-EINVAL);
}
EXPORT_SYMBOL_GPL(get_net_ns_by_fd);
#else
unsigned int netns_cleanup_watchdog_secs;
unsigned int netns_weak_grace_secs;

void netns_cleanup_snapshot(struct netns_cleanup_snap *snap)
{
	memset(snap, 0, sizeof(*snap));
	snap->stage = NETNS_STAGE_IDLE;
}
#endif /* CONFIG_NET_NS */

/* The namespace of @task, referenced, or NULL. */
static struct net *task_net_get(struct task_struct *task)
{
	struct net *net = NULL;

	task_lock(task);
	if (task->nsproxy)
		net = maybe_get_net(task->nsproxy->net_ns);
	task_unlock(task);
	return net;
}

/**
 * get_net_ns_by_pid() - get the network namespace of a task
 * @pid: the task, in the caller's pid namespace
 *
 * Context: Process context.
 * Return: a counted reference, or ERR_PTR(-ESRCH) if there is no such
 * task or it has no live network namespace.
 */
struct net *get_net_ns_by_pid(pid_t pid)
{
	struct task_struct *task;
	struct net *net = NULL;

	rcu_read_lock();
	task = find_task_by_vpid(pid);
	if (task)
		net = task_net_get(task);
	rcu_read_unlock();
	return net ?: ERR_PTR(-ESRCH);
}
EXPORT_SYMBOL_GPL(get_net_ns_by_pid);

static __net_init int net_ns_net_init(struct net *net)
{
#ifdef CONFIG_NET_NS
	net->ns.ops = &netns_operations;
#endif
	return ns_alloc_inum(&net->ns);
}

static __net_exit void net_ns_net_exit(struct net *net)
{
	ns_free_inum(&net->ns);
}

static struct pernet_operations net_ns_ops __net_initdata = {
	.init = net_ns_net_init,
	.exit = net_ns_net_exit,
};

#ifdef CONFIG_NET_NS
/*
 * Compile-time check that the hot members of struct netns_ipv4 stay in
 * their cacheline groups.  Its BUILD_BUG_ON()s only fire from a function
 * that is called: net_ns_init() must keep calling it.
 */
static void __init netns_ipv4_struct_check(void)
{
	/* TX readonly hotpath cache lines */
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_tcp_early_retrans);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_tcp_tso_win_divisor);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_tcp_tso_rtt_log);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_tcp_autocorking);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_tcp_min_snd_mss);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_tcp_notsent_lowat);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_tcp_limit_output_bytes);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_tcp_min_rtt_wlen);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_tcp_wmem);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_tx,
				      sysctl_ip_fwd_use_pmtu);
	CACHELINE_ASSERT_GROUP_SIZE(struct netns_ipv4, netns_ipv4_read_tx, 33);

	/* TXRX readonly hotpath cache lines */
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_txrx,
				      sysctl_tcp_moderate_rcvbuf);
	CACHELINE_ASSERT_GROUP_SIZE(struct netns_ipv4, netns_ipv4_read_txrx, 1);

	/* RX readonly hotpath cache line */
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_rx,
				      sysctl_ip_early_demux);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_rx,
				      sysctl_tcp_early_demux);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_rx,
				      sysctl_tcp_reordering);
	CACHELINE_ASSERT_GROUP_MEMBER(struct netns_ipv4, netns_ipv4_read_rx,
				      sysctl_tcp_rmem);
	CACHELINE_ASSERT_GROUP_SIZE(struct netns_ipv4, netns_ipv4_read_rx, 18);
}
#endif

/**
 * net_ns_init() - set up the namespace core and init_net
 *
 * Context: Early boot, before any pernet_operations user runs.
 */
void __init net_ns_init(void)
{
	struct net_generic *ng;

#ifdef CONFIG_NET_NS
	netns_ipv4_struct_check();
	net_cachep = kmem_cache_create("net_namespace", sizeof(struct net),
				       SMP_CACHE_BYTES,
				       SLAB_PANIC | SLAB_ACCOUNT, NULL);

	/* Ordered: teardown batches never overlap. */
	netns_wq = create_singlethread_workqueue("netns");
	if (!netns_wq)
		panic("netns: cannot create the cleanup workqueue\n");
#endif

	ng = net_generic_new_array();
	if (!ng)
		panic("netns: cannot allocate init_net generic pointers\n");
	rcu_assign_pointer(init_net.gen, ng);

	/* init_net's key domain is static: this cannot fail. */
	net_key_domain_init(&init_net);
	net_preinit(&init_net, &init_user_ns);
	/* Its nsid tables are ready before any walker of the list sees it. */
	if (netns_nsids_init(&init_net))
		panic("netns: cannot set up init_net nsids\n");
	net_all_add(&init_net);

	down_write(&pernet_ops_rwsem);
	if (setup_net(&init_net))
		panic("netns: cannot set up the initial network namespace\n");
	up_write(&pernet_ops_rwsem);

	if (register_pernet_subsys(&net_ns_ops))
		panic("netns: cannot register the nsfs inode allocator\n");

	netns_nsids_rtnl_init();
}

#ifdef CONFIG_NET_NS
/* nsfs callbacks: /proc/<pid>/ns/net, setns() and friends. */
static struct net *common_to_net(struct ns_common *common)
{
	return container_of(common, struct net, ns);
}

static struct ns_common *netns_get(struct task_struct *task)
{
	struct net *found = task_net_get(task);

	return found ? &found->ns : NULL;
}

static void netns_put(struct ns_common *common)
{
	put_net(common_to_net(common));
}

static int netns_install(struct nsset *set, struct ns_common *common)
{
	struct net *target = common_to_net(common);
	struct nsproxy *proxy = set->nsproxy;

	/* Admin rights over the target and in the joining credentials. */
	if (!ns_capable(target->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	if (!ns_capable(set->cred->user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	put_net(proxy->net_ns);
	proxy->net_ns = get_net(target);
	return 0;
}

static struct user_namespace *netns_owner(struct ns_common *common)
{
	return common_to_net(common)->user_ns;
}

const struct proc_ns_operations netns_operations = {
	.name		= "net",
	.type		= CLONE_NEWNET,
	.get		= netns_get,
	.put		= netns_put,
	.install	= netns_install,
	.owner		= netns_owner,
};
#endif
