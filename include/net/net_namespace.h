/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces: struct net, its reference counts, the list of live
 * namespaces and the pernet_operations registry.
 */
#ifndef __NET_NET_NAMESPACE_H
#define __NET_NET_NAMESPACE_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/spinlock.h>
#include <linux/sysctl.h>
#include <linux/uidgid.h>

#include <net/flow.h>
#include <net/netns/core.h>
#include <net/netns/mib.h>
#include <net/netns/unix.h>
#include <net/netns/packet.h>
#include <net/netns/ipv4.h>
#include <net/netns/ipv6.h>
#include <net/netns/nexthop.h>
#include <net/netns/ieee802154_6lowpan.h>
#include <net/netns/sctp.h>
#include <net/netns/netfilter.h>
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netns/conntrack.h>
#endif
#if IS_ENABLED(CONFIG_NF_FLOW_TABLE)
#include <net/netns/flow_table.h>
#endif
#include <net/netns/nftables.h>
#include <net/netns/xfrm.h>
#include <net/netns/mpls.h>
#include <net/netns/can.h>
#include <net/netns/xdp.h>
#include <net/netns/smc.h>
#include <net/netns/bpf.h>
#include <net/netns/mctp.h>
#include <net/netns/nsid.h>
#include <net/netns/weak.h>
#include <net/net_trackers.h>
#include <linux/ns_common.h>
#include <linux/idr.h>
#include <linux/skbuff.h>
#include <linux/notifier.h>
#include <linux/xarray.h>

struct user_namespace;
struct proc_dir_entry;
struct net_device;
struct sock;
struct ctl_table_header;
struct net_generic;
struct uevent_sock;
struct netns_ipvs;
struct bpf_prog;

#define NETDEV_HASHBITS    8
#define NETDEV_HASHENTRIES BIT(NETDEV_HASHBITS)

/**
 * DOC: Locking
 *
 * The locks of the namespace core, outermost first::
 *
 *   pernet_ops_rwsem -> RTNL (rtnl_mutex) -> net_rwsem
 *   pernet_ops_rwsem -> nsid retire mutex (net/core/net_nsid.c)
 *   owner's nsids.lock -> named namespace's nsids.name_lock
 *
 * ``pernet_ops_rwsem``
 *   protects the list of pernet_operations, the allocator of generic
 *   pointer ids and each namespace's generic array while it is being
 *   filled in.  Namespace creation and the cleanup worker hold it for
 *   reading: unrelated namespaces are set up and torn down in parallel,
 *   each namespace by one thread.  Registration and unregistration of
 *   pernet_operations hold it for writing, which excludes creation and
 *   teardown: net_namespace_list is then stable.
 *
 * RTNL
 *   is taken by the core only around the exit_rtnl and exit_batch_rtnl
 *   stage of a teardown, inside pernet_ops_rwsem.
 *
 * ``net_rwsem``
 *   is held for writing while a namespace is linked into or unlinked from
 *   net_namespace_list; it nests inside RTNL.
 *
 * nsid retire mutex
 *   serialises the removal of the nsids of dying namespaces, so that each
 *   nsid assignment has exactly one remover.
 *
 * ``nsids.lock``
 *   (per namespace, BH-safe spinlock) protects the namespace's own nsid
 *   tables, the ids it gives to peers, against writers; readers use RCU.
 *
 * ``nsids.name_lock``
 *   (per namespace, BH-safe spinlock) protects the list of nsid
 *   assignments that name this namespace as the peer.  Both nsid locks
 *   may be taken in atomic context: peernet2id_alloc() is called with
 *   GFP_ATOMIC from netlink fill paths.
 *
 * The methods of &struct pernet_operations run with pernet_ops_rwsem held
 * for reading during creation and teardown, and for writing only while
 * operations are registered or unregistered and while init_net is set up.
 * Several namespaces may be set up and torn down at the same time, so
 * methods that share state must lock it themselves.
 *
 * net_namespace_list may be walked with for_each_net() while holding
 * net_rwsem (for reading or writing) or pernet_ops_rwsem for writing, and
 * with for_each_net_rcu() in an RCU read-side section.  RTNL alone does
 * not keep the list still: creation and teardown link and unlink
 * namespaces without it.  An RCU walker may meet a namespace whose last
 * counted reference is gone: it must take a reference with
 * maybe_get_net() and skip the namespace when that fails.
 *
 * In lockdep kernels both walkers check their rule at every step
 * (net_list_walkable(), net_list_walkable_rcu()) and warn once per boot;
 * every other rule above is asserted with lockdep in the functions that
 * rely on it.
 */

/**
 * enum net_state - where a namespace is in its life
 * @NET_STATE_ALIVE: being set up, or set up and counted
 * @NET_STATE_QUEUED: last counted reference gone, waiting for the worker
 * @NET_STATE_EXITING: in a teardown batch now; no peer holds an nsid for
 *	it any more
 * @NET_STATE_EXITED: exit methods done; memory held by passive references
 * @NET_STATE_LINGERING: exit methods done (or creation undone), but weak
 *	references are still held; they keep the memory, and the namespace
 *	goes back to %NET_STATE_EXITED when the last one is released
 * @NET_STATE_LEAKED: lingering for longer than the grace period
 *	(net_namespace.weak_grace_secs) and reported; released as from
 *	%NET_STATE_LINGERING
 */
enum net_state {
	NET_STATE_ALIVE,
	NET_STATE_QUEUED,
	NET_STATE_EXITING,
	NET_STATE_EXITED,
	NET_STATE_LINGERING,
	NET_STATE_LEAKED,
};

struct net {
	/* Frequently written fields first. */
	refcount_t		passive;	/* pins the memory of struct net */
	spinlock_t		rules_mod_lock;

	unsigned int		dev_base_seq;	/* protected by rtnl_mutex */
	u32			ifindex;

	atomic_t		fnhe_genid;
	struct netns_weak	weak;		/* hold_net() references */
	u8			state;		/* enum net_state */

	struct list_head	list;		/* on net_namespace_list */
	struct list_head	exit_list;	/* batch being set up or torn
						 * down; owned by whoever holds
						 * pernet_ops_rwsem for the
						 * operation.
						 */
	struct llist_node	defer_free_list; /* waits for final free */
	struct list_head	all_list;	/* on net_all_list, from
						 * allocation until the memory
						 * is released
						 */
	u64			born_ns;	/* ktime_get_ns() at creation */
	u64			state_ns;	/* ... when @state last changed */
	struct llist_node	cleanup_list;	/* queued for teardown */

#ifdef CONFIG_KEYS
	struct key_tag		*key_domain;	/* Key domain of operation tag */
#endif
	struct user_namespace   *user_ns;	/* Owning user namespace */
	unsigned int		owner_inum;	/* ... its inode, kept after
						 * teardown for debugfs
						 */
	struct ucounts		*ucounts;
	unsigned int		gen_init_id;	/* generic id whose init runs */
	struct netns_nsids	nsids;

	struct ns_common	ns;
	struct ref_tracker_dir  refcnt_tracker;
	struct ref_tracker_dir  notrefcnt_tracker; /* tracker for objects not
						    * refcounted against netns
						    */
	struct list_head	dev_base_head;
	struct proc_dir_entry	*proc_net;
	struct proc_dir_entry	*proc_net_stat;

#ifdef CONFIG_SYSCTL
	struct ctl_table_set	sysctls;
#endif

	struct sock		*rtnl;			/* rtnetlink socket */
	struct sock		*genl_sock;

	struct uevent_sock	*uevent_sock;		/* uevent socket */

	struct hlist_head	*dev_name_head;
	struct hlist_head	*dev_index_head;
	struct xarray		dev_by_index;
	struct raw_notifier_head	netdev_chain;

	/* Read millions of times per second: keep on a read-mostly line. */
	u32			hash_mix;

	struct net_device       *loopback_dev;          /* The loopback */

	/* core fib_rules */
	struct list_head	rules_ops;

	struct netns_core	core;
	struct netns_mib	mib;
	struct netns_packet	packet;
#if IS_ENABLED(CONFIG_UNIX)
	struct netns_unix	unx;
#endif
	struct netns_nexthop	nexthop;
	struct netns_ipv4	ipv4;
#if IS_ENABLED(CONFIG_IPV6)
	struct netns_ipv6	ipv6;
#endif
#if IS_ENABLED(CONFIG_IEEE802154_6LOWPAN)
	struct netns_ieee802154_lowpan	ieee802154_lowpan;
#endif
#if IS_ENABLED(CONFIG_IP_SCTP)
	struct netns_sctp	sctp;
#endif
#ifdef CONFIG_NETFILTER
	struct netns_nf		nf;
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	struct netns_ct		ct;
#endif
#if IS_ENABLED(CONFIG_NF_TABLES)
	struct netns_nftables	nft;
#endif
#if IS_ENABLED(CONFIG_NF_FLOW_TABLE)
	struct netns_ft ft;
#endif
#endif
#ifdef CONFIG_WEXT_CORE
	struct sk_buff_head	wext_nlevents;
#endif
	struct net_generic __rcu	*gen;

	/* Used to store attached BPF programs */
	struct netns_bpf	bpf;

	/* Note : following structs are cache line aligned */
#ifdef CONFIG_XFRM
	struct netns_xfrm	xfrm;
#endif

	u64			net_cookie; /* written once */

#if IS_ENABLED(CONFIG_IP_VS)
	struct netns_ipvs	*ipvs;
#endif
#if IS_ENABLED(CONFIG_MPLS)
	struct netns_mpls	mpls;
#endif
#if IS_ENABLED(CONFIG_CAN)
	struct netns_can	can;
#endif
#ifdef CONFIG_XDP_SOCKETS
	struct netns_xdp	xdp;
#endif
#if IS_ENABLED(CONFIG_MCTP)
	struct netns_mctp	mctp;
#endif
#if IS_ENABLED(CONFIG_CRYPTO_USER)
	struct sock		*crypto_nlsk;
#endif
	struct sock		*diag_nlsk;
#if IS_ENABLED(CONFIG_SMC)
	struct netns_smc	smc;
#endif
#ifdef CONFIG_DEBUG_NET_SMALL_RTNL
	/* Move to a better place when the config guard is removed. */
	struct mutex		rtnl_mutex;
#endif
} __randomize_layout;

#include <linux/seq_file_net.h>

/* The initial network namespace; it is never freed. */
extern struct net init_net;

#ifdef CONFIG_NET_NS
struct net *copy_net_ns(unsigned long flags, struct user_namespace *user_ns,
			struct net *old_net);

void net_ns_get_ownership(const struct net *net, kuid_t *uid, kgid_t *gid);

void net_ns_barrier(void);

struct ns_common *get_net_ns(struct ns_common *ns);
struct net *get_net_ns_by_fd(int fd);
#else /* CONFIG_NET_NS */
#include <linux/sched.h>
#include <linux/nsproxy.h>
static inline struct net *copy_net_ns(unsigned long flags,
				      struct user_namespace *user_ns,
				      struct net *old_net)
{
	return (flags & CLONE_NEWNET) ? ERR_PTR(-EINVAL) : old_net;
}

static inline void net_ns_get_ownership(const struct net *net,
					kuid_t *uid, kgid_t *gid)
{
	*uid = GLOBAL_ROOT_UID;
	*gid = GLOBAL_ROOT_GID;
}

static inline void net_ns_barrier(void) {}

static inline struct ns_common *get_net_ns(struct ns_common *ns)
{
	return ERR_PTR(-EINVAL);
}

static inline struct net *get_net_ns_by_fd(int fd)
{
	return ERR_PTR(-EINVAL);
}
#endif /* CONFIG_NET_NS */

/* All namespaces that finished setup and are not yet being torn down. */
extern struct list_head net_namespace_list;

struct net *get_net_ns_by_pid(pid_t pid);

#ifdef CONFIG_SYSCTL
void ipx_register_sysctl(void);
void ipx_unregister_sysctl(void);
#else
#define ipx_register_sysctl()
#define ipx_unregister_sysctl()
#endif

#ifdef CONFIG_NET_NS
void __put_net(struct net *net);

/**
 * get_net() - take a counted reference to a namespace
 * @net: the namespace
 *
 * The caller must already own a counted reference, or otherwise know that
 * the count cannot reach zero meanwhile; a lookup that may meet a dying
 * namespace uses maybe_get_net() instead.  Prefer get_net_track() for a
 * reference that is kept.
 *
 * Context: Any context.
 * Return: @net.
 */
static inline struct net *get_net(struct net *net)
{
	refcount_inc(&net->ns.count);
	return net;
}

/**
 * maybe_get_net() - take a counted reference unless the namespace is dying
 * @net: the namespace
 *
 * Once the last counted reference is gone the count never becomes
 * non-zero again, so a namespace found through RCU, a passive reference
 * or the nsid tables is referenced with this, not with get_net().
 *
 * Context: Any context; @net must be valid memory.
 * Return: @net with a new counted reference, or NULL if its last counted
 * reference is gone.
 */
static inline struct net *maybe_get_net(struct net *net)
{
	return refcount_inc_not_zero(&net->ns.count) ? net : NULL;
}

/**
 * put_net() - drop a counted reference to a namespace
 * @net: the namespace
 *
 * Dropping the last one queues the namespace for teardown, which runs
 * later, batched with other namespaces, from a workqueue.
 *
 * Context: Any context.
 */
static inline void put_net(struct net *net)
{
	if (refcount_dec_and_test(&net->ns.count))
		__put_net(net);
}

/**
 * net_eq() - compare two namespaces
 * @net1: a namespace
 * @net2: another namespace
 *
 * Context: Any context.
 * Return: non-zero if @net1 and @net2 are the same namespace; always
 * non-zero without CONFIG_NET_NS.
 */
static inline
int net_eq(const struct net *net1, const struct net *net2)
{
	return net1 == net2;
}

/**
 * check_net() - test whether a namespace is still alive
 * @net: the namespace
 *
 * The answer may be stale as soon as it is given, unless the caller holds
 * a counted reference.
 *
 * Context: Any context; @net must be valid memory.
 * Return: non-zero until the last counted reference to @net is gone;
 * always non-zero without CONFIG_NET_NS.
 */
static inline int check_net(const struct net *net)
{
	return refcount_read(&net->ns.count) != 0;
}

void net_drop_ns(void *p);
void net_passive_dec(struct net *net);

#else

static inline struct net *get_net(struct net *net)
{
	return net;
}

static inline void put_net(struct net *net)
{
}

static inline struct net *maybe_get_net(struct net *net)
{
	return net;
}

static inline
int net_eq(const struct net *net1, const struct net *net2)
{
	return 1;
}

static inline int check_net(const struct net *net)
{
	return 1;
}

#define net_drop_ns NULL

static inline void net_passive_dec(struct net *net)
{
	refcount_dec(&net->passive);
}
#endif

/**
 * net_passive_inc() - take a passive reference to a namespace
 * @net: the namespace
 *
 * A passive reference keeps the memory of struct net, not the namespace:
 * the namespace may be torn down meanwhile.  Drop it with
 * net_passive_dec().
 *
 * Context: Any context; the caller must hold a counted or a passive
 * reference to @net.
 */
static inline void net_passive_inc(struct net *net)
{
	refcount_inc(&net->passive);
}

void net_weak_release(struct net *net, enum net_weak_class class);
void net_weak_hold_sk(netns_tracker *tracker, struct net *net, gfp_t gfp);
void net_weak_release_sk(netns_tracker *tracker, struct net *net);

/**
 * hold_net_class() - take a weak reference of a given class
 * @net: the namespace
 * @class: what kind of object the holder is
 *
 * A weak reference does not keep the namespace alive; it records that an
 * object still points at @net, and keeps the memory of struct net (as a
 * passive reference does) so that the holder never touches freed memory.
 * Holders are expected to be gone once the namespace's exit methods have
 * run.  A namespace whose teardown still finds some lingers, visibly, and
 * is freed as soon as the last one is released; only one still held after
 * net_namespace.weak_grace_secs is reported, once, by class.
 *
 * Context: Any context; the caller must hold a counted or a passive
 * reference to @net (or a weak one, which includes a passive one).
 * Return: @net.
 */
static inline struct net *hold_net_class(struct net *net,
					 enum net_weak_class class)
{
#ifdef CONFIG_NET_NS
	net_passive_inc(net);
	atomic_inc(&net->weak.count[class]);
	atomic_inc(&net->weak.held);
#endif
	return net;
}

/**
 * release_net_class() - drop a weak reference taken by hold_net_class()
 * @net: the namespace
 * @class: the class it was taken with
 *
 * A release without a matching hold leaves the count at zero, drops
 * nothing, and is reported once per namespace and class.  The last
 * release may free @net.
 *
 * Context: Any context.
 */
static inline void release_net_class(struct net *net,
				     enum net_weak_class class)
{
#ifdef CONFIG_NET_NS
	net_weak_release(net, class);
#endif
}

/**
 * hold_net() - take a weak reference to a namespace
 * @net: the namespace
 *
 * hold_net_class() with %NET_WEAK_OTHER, for holders outside the classes
 * the core knows.
 *
 * Context: Any context.
 * Return: @net.
 */
static inline struct net *hold_net(struct net *net)
{
	return hold_net_class(net, NET_WEAK_OTHER);
}

/**
 * release_net() - drop a weak reference taken by hold_net()
 * @net: the namespace
 *
 * Context: Any context.
 */
static inline void release_net(struct net *net)
{
	release_net_class(net, NET_WEAK_OTHER);
}

/**
 * net_weak_count() - count the weak references of one class still held
 * @net: the namespace
 * @class: the class
 *
 * Context: Any context; @net must be valid memory.
 * Return: the number of holders of @class.
 */
static inline int net_weak_count(const struct net *net,
				 enum net_weak_class class)
{
#ifdef CONFIG_NET_NS
	return atomic_read(&net->weak.count[class]);
#else
	return 0;
#endif
}

/**
 * net_initialized() - test whether a namespace finished its setup
 * @net: the namespace
 *
 * Context: Any context.
 * Return: true once every pernet init method has run successfully on @net
 * (and from then on).
 */
static inline bool net_initialized(const struct net *net)
{
	return READ_ONCE(net->list.next);
}

/**
 * net_broadcast_unreachable() - test whether no socket can receive a
 *	broadcast sent in a namespace
 * @net: the namespace
 *
 * A netlink broadcast sent in @net reaches the sockets inside @net and,
 * in other namespaces, the %NETLINK_LISTEN_ALL_NSID sockets of those that
 * hold an nsid for @net.  Kernel sockets do not join multicast groups, and
 * every user socket holds a counted reference to its namespace.  So the
 * broadcast reaches no socket while no namespace names @net and either
 * @net is being set up (no task can be inside it yet; an init method may
 * still give a peer an nsid for it, which makes it reachable) or its
 * teardown has removed the nsids naming it and closed it to new ones.
 *
 * The nsid list is read first: the teardown empties it before it moves
 * the state to %NET_STATE_EXITING with release semantics, so a caller
 * that sees that state (acquire) sees no nsid.
 *
 * Notifiers may skip building a message no one can receive; they must not
 * skip any other work.
 *
 * Context: Any context.
 * Return: true if a broadcast sent in @net now reaches no socket.
 */
static inline bool net_broadcast_unreachable(const struct net *net)
{
	/* Pairs with smp_store_release() in net_set_state(). */
	if (smp_load_acquire(&net->state) >= NET_STATE_EXITING)
		return true;
	if (!hlist_empty(&net->nsids.named_by))
		return false;
	return !net_initialized(net);
}

/**
 * __netns_tracker_alloc() - record a reference of a holder in its tracker
 * @net: the namespace
 * @tracker: the holder's tracker
 * @refcounted: whether the holder owns a counted reference
 * @gfp: allocation flags for the ref_tracker entry
 *
 * A holder without a counted reference takes a weak reference of class
 * %NET_WEAK_SOCK, also tracked on notrefcnt_tracker with
 * CONFIG_NET_NS_REFCNT_TRACKER.  The callers in net/core/sock.c are
 * kernel sockets (sk_net_refcnt == 0, from sk_alloc() and sk_clone_lock());
 * the core uses @tracker only as the key of its ref_tracker entry, so any
 * other holder counts correctly too, in that class.  A counted reference,
 * taken by the caller, is only tracked, on refcnt_tracker, with
 * CONFIG_NET_NS_REFCNT_TRACKER.
 *
 * Context: Any context allowed by @gfp.
 */
static inline void __netns_tracker_alloc(struct net *net,
					 netns_tracker *tracker,
					 bool refcounted,
					 gfp_t gfp)
{
	if (!refcounted) {
		net_weak_hold_sk(tracker, net, gfp);
		return;
	}
#ifdef CONFIG_NET_NS_REFCNT_TRACKER
	ref_tracker_alloc(&net->refcnt_tracker, tracker, gfp);
#endif
}

/**
 * netns_tracker_alloc() - record a counted reference in its holder's tracker
 * @net: the namespace
 * @tracker: the holder's tracker
 * @gfp: allocation flags for the ref_tracker entry
 *
 * Does nothing without CONFIG_NET_NS_REFCNT_TRACKER.
 *
 * Context: Any context allowed by @gfp.
 */
static inline void netns_tracker_alloc(struct net *net, netns_tracker *tracker,
				       gfp_t gfp)
{
	__netns_tracker_alloc(net, tracker, true, gfp);
}

/**
 * __netns_tracker_free() - forget the reference of a holder in its tracker
 * @net: the namespace
 * @tracker: the holder's tracker
 * @refcounted: as passed to __netns_tracker_alloc()
 *
 * Without @refcounted, drops the weak reference of a kernel socket (from
 * __sk_destruct() and sk_net_refcnt_upgrade()).  With it, only forgets
 * the tracker entry: the caller drops the counted reference.
 *
 * Context: Any context.
 */
static inline void __netns_tracker_free(struct net *net,
					netns_tracker *tracker,
					bool refcounted)
{
	if (!refcounted) {
		net_weak_release_sk(tracker, net);
		return;
	}
#ifdef CONFIG_NET_NS_REFCNT_TRACKER
	ref_tracker_free(&net->refcnt_tracker, tracker);
#endif
}

/**
 * get_net_track() - take a counted reference and record it in a tracker
 * @net: the namespace
 * @tracker: the holder's tracker
 * @gfp: allocation flags for the ref_tracker entry
 *
 * get_net() and netns_tracker_alloc(); the rule of get_net() applies.
 *
 * Context: Any context allowed by @gfp.
 * Return: @net.
 */
static inline struct net *get_net_track(struct net *net,
					netns_tracker *tracker, gfp_t gfp)
{
	netns_tracker_alloc(get_net(net), tracker, gfp);
	return net;
}

/**
 * put_net_track() - drop a counted reference taken by get_net_track()
 * @net: the namespace
 * @tracker: the tracker the reference was recorded in
 *
 * Context: Any context.
 */
static inline void put_net_track(struct net *net, netns_tracker *tracker)
{
	__netns_tracker_free(net, tracker, true);
	put_net(net);
}

/* A struct net pointer that compiles away without CONFIG_NET_NS. */
typedef struct {
#ifdef CONFIG_NET_NS
	struct net __rcu *net;
#endif
} possible_net_t;

/**
 * write_pnet() - store a namespace pointer in a possible_net_t
 * @pnet: where to store it
 * @net: the namespace
 *
 * Publishes @net with rcu_assign_pointer(), for read_pnet_rcu() readers;
 * takes no reference.  Does nothing without CONFIG_NET_NS.
 *
 * Context: Any context; the caller serialises the writers of @pnet.
 */
static inline void write_pnet(possible_net_t *pnet, struct net *net)
{
#ifdef CONFIG_NET_NS
	rcu_assign_pointer(pnet->net, net);
#endif
}

/**
 * read_pnet() - read the namespace pointer stored in a possible_net_t
 * @pnet: where it is stored
 *
 * For callers that exclude the writers of @pnet, typically by owning the
 * object that contains it; lockless readers use read_pnet_rcu().
 *
 * Context: Any context.
 * Return: the namespace; init_net without CONFIG_NET_NS.
 */
static inline struct net *read_pnet(const possible_net_t *pnet)
{
#ifdef CONFIG_NET_NS
	return rcu_dereference_protected(pnet->net, true);
#else
	return &init_net;
#endif
}

/**
 * read_pnet_rcu() - read the namespace pointer stored in a possible_net_t
 * @pnet: where it is stored
 *
 * Context: RCU read-side section.
 * Return: the namespace; init_net without CONFIG_NET_NS.
 */
static inline struct net *read_pnet_rcu(const possible_net_t *pnet)
{
#ifdef CONFIG_NET_NS
	return rcu_dereference(pnet->net);
#else
	return &init_net;
#endif
}

/*
 * The walkers below get the list head from these at every step; in lockdep
 * kernels they check the walker's lock rule (see "Locking" above).
 */
#ifdef CONFIG_LOCKDEP
struct list_head *net_list_walkable(void);
struct list_head *net_list_walkable_rcu(void);
#else
static inline struct list_head *net_list_walkable(void)
{
	return &net_namespace_list;
}

static inline struct list_head *net_list_walkable_rcu(void)
{
	return &net_namespace_list;
}
#endif

/**
 * for_each_net() - iterate over the live namespaces
 * @VAR: &struct net pointer set to each namespace in turn
 *
 * Context: net_rwsem held, or pernet_ops_rwsem held for writing (see
 * "Locking" above).
 */
#define for_each_net(VAR)				\
	list_for_each_entry(VAR, net_list_walkable(), list)

/**
 * for_each_net_continue_reverse() - iterate backwards from a namespace
 * @VAR: &struct net pointer on net_namespace_list, set to each namespace
 *	before it in turn
 *
 * Context: as for_each_net().
 */
#define for_each_net_continue_reverse(VAR)		\
	list_for_each_entry_continue_reverse(VAR, net_list_walkable(), list)

/**
 * for_each_net_rcu() - iterate over the live namespaces under RCU
 * @VAR: &struct net pointer set to each namespace in turn
 *
 * A namespace met by the walk may be dying: one that is used past the
 * read-side section must be referenced with maybe_get_net(), and skipped
 * when that fails.
 *
 * Context: RCU read-side section (see "Locking" above).
 */
#define for_each_net_rcu(VAR)				\
	list_for_each_entry_rcu(VAR, net_list_walkable_rcu(), list)

/*
 * Code and data used only to set up and tear down namespaces.  With
 * CONFIG_NET_NS they are needed for every namespace created later; without
 * it only init_net exists, so they can go with the rest of the init
 * sections (__net_exit code is kept but never run).
 */
#ifdef CONFIG_NET_NS
#define __net_init
#define __net_exit
#define __net_initdata
#define __net_initconst
#else
#define __net_init	__init
#define __net_exit	__ref
#define __net_initdata	__initdata
#define __net_initconst	__initconst
#endif

int peernet2id_alloc(struct net *net, struct net *peer, gfp_t gfp);
int peernet2id(const struct net *net, struct net *peer);
bool peernet_has_id(const struct net *net, struct net *peer);
struct net *get_net_ns_by_id(const struct net *net, int id);

/**
 * struct pernet_operations - per-namespace constructor and destructors
 * @list: position in the registry; private to the core
 * @init: set up @net; a failure aborts the namespace creation (or the
 *	registration) and undoes what already succeeded
 * @pre_exit: first teardown stage; an RCU grace period separates the
 *	pre_exit() of a whole batch from any later stage
 * @exit: per-namespace teardown
 * @exit_batch: teardown of a batch of namespaces linked by exit_list;
 *	put blocking RCU waits here so that a batch pays them once
 * @exit_rtnl: called with RTNL held; queue devices on @dev_kill_list
 * @exit_batch_rtnl: batch form of @exit_rtnl, also with RTNL held, called
 *	with a chunk of the batch at a time (%NET_EXIT_RTNL_CHUNK)
 * @id: if set, receives the net_generic() slot of these operations
 * @size: if set (requires @id), size of zeroed per-namespace storage the
 *	core allocates before @init and frees after the last exit stage;
 *	with @id but no @size, @init may publish its own pointer with
 *	net_assign_generic()
 *
 * The locks held while the methods run are listed under "Locking";
 * methods that share state must lock it themselves.
 *
 * Teardown order for a batch, each stage walking the operations in
 * reverse registration order: pre_exit, RCU grace period, exit_rtnl and
 * exit_batch_rtnl under RTNL (then the queued devices are unregistered),
 * exit and exit_batch, release of the @size storage.
 */
struct pernet_operations {
	struct list_head list;
	int (*init)(struct net *net);
	void (*pre_exit)(struct net *net);
	void (*exit)(struct net *net);
	void (*exit_batch)(struct list_head *net_exit_list);
	void (*exit_rtnl)(struct net *net,
			  struct list_head *dev_kill_list);
	void (*exit_batch_rtnl)(struct list_head *net_exit_list,
				struct list_head *dev_kill_list);
	unsigned int * const id;
	const size_t size;
};

/*
 * A teardown makes others wait for RTNL for at most this many namespaces,
 * however large its batch: the exit_rtnl stage runs chunk by chunk, and so
 * do the exit_batch methods that take RTNL themselves, dropping it between
 * two chunks when rtnl_contended() says somebody waits.
 */
#define NET_EXIT_RTNL_CHUNK	64

/*
 * Subsystem operations are initialised before, and torn down after, all
 * device operations.  Register device-level code (anything owning network
 * devices) with register_pernet_device(): by the time subsystem exit
 * methods run, every device has left the dying namespace, so no packet can
 * arrive while a subsystem cleans up.  Getting this wrong causes crashes
 * during namespace teardown.
 */
int register_pernet_subsys(struct pernet_operations *ops);
void unregister_pernet_subsys(struct pernet_operations *ops);
int register_pernet_device(struct pernet_operations *ops);
void unregister_pernet_device(struct pernet_operations *ops);

struct ctl_table;

/* @table must be an array; it is not evaluated more than once. */
#define register_net_sysctl(net, path, table)				\
	register_net_sysctl_sz(net, path, table,			\
			       sizeof(table) / sizeof((table)[0]) +	\
			       __must_be_array(table))
#ifdef CONFIG_SYSCTL
int net_sysctl_init(void);
struct ctl_table_header *register_net_sysctl_sz(struct net *net, const char *path,
						struct ctl_table *table,
						size_t table_size);
void unregister_net_sysctl_table(struct ctl_table_header *header);
#else
static inline int net_sysctl_init(void) { return 0; }
static inline struct ctl_table_header *
register_net_sysctl_sz(struct net *net, const char *path,
		       struct ctl_table *table, size_t table_size)
{
	return NULL;
}

static inline void unregister_net_sysctl_table(struct ctl_table_header *header)
{
}
#endif

/**
 * rt_genid_ipv4() - read the IPv4 route generation of a namespace
 * @net: the namespace
 *
 * Context: Any context.
 * Return: the generation; cached routes of an older one are stale.
 */
static inline int rt_genid_ipv4(const struct net *net)
{
	return atomic_read(&net->ipv4.rt_genid);
}

#if IS_ENABLED(CONFIG_IPV6)
/**
 * rt_genid_ipv6() - read the IPv6 FIB serial number of a namespace
 * @net: the namespace
 *
 * Context: Any context.
 * Return: the serial number, which changes with every change of the
 * IPv6 FIB.
 */
static inline int rt_genid_ipv6(const struct net *net)
{
	return atomic_read(&net->ipv6.fib6_sernum);
}
#endif

/**
 * rt_genid_bump_ipv4() - make the cached IPv4 routes of a namespace stale
 * @net: the namespace
 *
 * Context: Any context.
 */
static inline void rt_genid_bump_ipv4(struct net *net)
{
	atomic_inc(&net->ipv4.rt_genid);
}

extern void (*__fib6_flush_trees)(struct net *net);

/**
 * rt_genid_bump_ipv6() - make the cached IPv6 routes of a namespace stale
 * @net: the namespace
 *
 * Does nothing while IPv6 is not loaded.
 *
 * Context: Any context but hard IRQ; takes BH-safe FIB table locks.
 */
static inline void rt_genid_bump_ipv6(struct net *net)
{
	if (__fib6_flush_trees)
		__fib6_flush_trees(net);
}

#if IS_ENABLED(CONFIG_IEEE802154_6LOWPAN)
/**
 * net_ieee802154_lowpan() - get the 6LoWPAN state of a namespace
 * @net: the namespace
 *
 * Context: Any context.
 * Return: the 6LoWPAN state embedded in @net.
 */
static inline struct netns_ieee802154_lowpan *
net_ieee802154_lowpan(struct net *net)
{
	return &net->ieee802154_lowpan;
}
#endif

/**
 * rt_genid_bump_all() - make all cached routes of a namespace stale
 * @net: the namespace
 *
 * For callers that do not care whether the routes are IPv4 or IPv6.
 *
 * Context: as rt_genid_bump_ipv6().
 */
static inline void rt_genid_bump_all(struct net *net)
{
	rt_genid_bump_ipv4(net);
	rt_genid_bump_ipv6(net);
}

/**
 * fnhe_genid() - read the nexthop exception generation of a namespace
 * @net: the namespace
 *
 * Context: Any context.
 * Return: the generation; IPv4 nexthop exceptions of an older one are
 * stale.
 */
static inline int fnhe_genid(const struct net *net)
{
	return atomic_read(&net->fnhe_genid);
}

/**
 * fnhe_genid_bump() - make the IPv4 nexthop exceptions of a namespace stale
 * @net: the namespace
 *
 * Context: Any context.
 */
static inline void fnhe_genid_bump(struct net *net)
{
	atomic_inc(&net->fnhe_genid);
}

#ifdef CONFIG_NET
void net_ns_init(void);
#else
static inline void net_ns_init(void) {}
#endif

#endif /* __NET_NET_NAMESPACE_H */
