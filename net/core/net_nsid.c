// SPDX-License-Identifier: GPL-2.0-only
/*
 * Peer namespace ids (nsids) and their rtnetlink interface.
 *
 * An nsid is a name one namespace (the owner) gives to another (the peer).
 * Each assignment is one struct nsid_link, reachable three ways:
 *
 *  - owner->nsids.by_id:    nsid -> link (lookups by id, dumps in id order)
 *  - owner->nsids.by_peer:  peer->nsids.key -> link (peernet2id())
 *  - peer->nsids.named_by:  every link naming the peer
 *
 * Lookups are RCU reads of the two xarrays, O(log n) in the ids the owner
 * holds.  When a namespace dies it visits only its own links and the links
 * on its named_by list; no other namespace is looked at.
 *
 * Writers: a link is created under owner->nsids.lock and the peer's
 * name_lock (see "Locking" in include/net/net_namespace.h).  Links are
 * removed only by netns_nsids_retire(), for namespaces that are closed
 * first so that no link can be added to them any more, and under
 * nsid_retire_mutex.  Links are freed after a grace period.
 */

#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/net_namespace.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>
#include <net/sock.h>

#include "netns_core.h"

struct nsid_link {
	struct net		*owner;
	struct net		*peer;
	int			id;
	struct hlist_node	name_node;	/* on peer->nsids.named_by */
	struct rcu_head		rcu;
};

/* Keys index by_peer: dense, so the xarrays stay shallow. */
static DEFINE_IDA(nsid_key_space);
static DEFINE_MUTEX(nsid_retire_mutex);

static void rtnl_net_notifyid(struct net *net, int cmd, int id, u32 portid,
			      struct nlmsghdr *nlh, gfp_t gfp);

/**
 * netns_nsids_init() - prepare the nsid state of a new namespace
 * @net: the namespace
 *
 * Context: Process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int netns_nsids_init(struct net *net)
{
	struct netns_nsids *st = &net->nsids;
	int key;

	key = ida_alloc(&nsid_key_space, GFP_KERNEL);
	if (key < 0)
		return key;

	st->key = key;
	spin_lock_init(&st->lock);
	spin_lock_init(&st->name_lock);
	xa_init_flags(&st->by_id, XA_FLAGS_ALLOC | XA_FLAGS_LOCK_BH);
	xa_init_flags(&st->by_peer, XA_FLAGS_LOCK_BH);
	INIT_HLIST_HEAD(&st->named_by);
	st->closed = false;
	return 0;
}

/**
 * netns_nsids_free_key() - release the key of a namespace being freed
 * @net: the namespace, retired (or never visible to anybody)
 *
 * Context: Any context.
 */
void netns_nsids_free_key(struct net *net)
{
	ida_free(&nsid_key_space, net->nsids.key);
}

/**
 * netns_nsids_count() - count the nsids a namespace gives and is given
 * @net: the namespace; valid memory
 * @ids: set to the number of ids @net gives to its peers
 * @named: set to the number of ids other namespaces (or @net) give it
 *
 * A sample for debugfs, O(1): the counts may change as soon as it
 * returns.
 *
 * Context: Any context.
 */
void netns_nsids_count(const struct net *net, unsigned int *ids,
		       unsigned int *named)
{
	*ids = READ_ONCE(net->nsids.nr_ids);
	*named = READ_ONCE(net->nsids.nr_named);
}

/* Account @link on its owner's and its peer's side; both locks held. */
static void nsid_link_add(struct nsid_link *link)
{
	struct netns_nsids *owner = &link->owner->nsids;
	struct netns_nsids *peer = &link->peer->nsids;

	lockdep_assert_held(&owner->lock);
	lockdep_assert_held(&peer->name_lock);
	hlist_add_head(&link->name_node, &peer->named_by);
	WRITE_ONCE(owner->nr_ids, owner->nr_ids + 1);
	WRITE_ONCE(peer->nr_named, peer->nr_named + 1);
}

/* Take @link off its peer's named_by list; the peer's name_lock held. */
static void nsid_link_unname(struct nsid_link *link)
{
	struct netns_nsids *peer = &link->peer->nsids;

	lockdep_assert_held(&peer->name_lock);
	hlist_del_init(&link->name_node);
	WRITE_ONCE(peer->nr_named, peer->nr_named - 1);
}

/* Erase @link from its owner's tables; the owner's lock held. */
static void nsid_link_erase(struct nsid_link *link)
{
	struct netns_nsids *owner = &link->owner->nsids;

	lockdep_assert_held(&owner->lock);
	xa_erase_bh(&owner->by_peer, link->peer->nsids.key);
	xa_erase_bh(&owner->by_id, link->id);
	WRITE_ONCE(owner->nr_ids, owner->nr_ids - 1);
}

/*
 * xa_load() does not modify the array but takes no const pointer; the
 * public lookups take a const struct net.
 */
static void *nsid_xa_load(const struct xarray *xa, unsigned long index)
{
	return xa_load((struct xarray *)xa, index);
}

/* Caller holds rcu_read_lock() or owner->nsids.lock. */
static struct nsid_link *nsid_find(const struct net *owner,
				   const struct net *peer)
{
	struct nsid_link *link;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held() &&
			 !lockdep_is_held(&owner->nsids.lock),
			 "nsid lookup without RCU or the owner's nsid lock");
	link = nsid_xa_load(&owner->nsids.by_peer, peer->nsids.key);
	if (link && link->peer != peer)
		link = NULL;
	return link;
}

/*
 * Give @peer an id in @owner's table: @reqid if it is >= 0, else the lowest
 * free one.  Returns the id, or a negative errno (-ENOSPC when no suitable
 * id is free, -ENOENT when either namespace is dying).  *@fresh tells
 * whether the id was created by this call or existed already.
 */
static int nsid_attach(struct net *owner, struct net *peer, int reqid,
		       gfp_t gfp, bool *fresh)
{
	struct xa_limit range = XA_LIMIT(0, INT_MAX);
	struct nsid_link *link, *old;
	u32 slot;
	int err;

	*fresh = false;
	if (reqid >= 0)
		range = XA_LIMIT(reqid, reqid);

	link = kmalloc(sizeof(*link), gfp);
	if (!link)
		return -ENOMEM;
	link->owner = owner;
	link->peer = peer;

	spin_lock_bh(&owner->nsids.lock);
	old = nsid_find(owner, peer);
	if (old) {
		err = old->id;
		goto unlock_owner;
	}
	err = -ENOENT;
	if (owner->nsids.closed)
		goto unlock_owner;

	spin_lock(&peer->nsids.name_lock);
	/* A peer whose last reference is gone must not be named again. */
	if (peer->nsids.closed || !check_net(peer))
		goto unlock_peer;

	/* Reserve the id, then publish the fully set up link. */
	err = xa_alloc_bh(&owner->nsids.by_id, &slot, NULL, range, GFP_ATOMIC);
	if (err) {
		if (err == -EBUSY)
			err = -ENOSPC;
		goto unlock_peer;
	}
	link->id = slot;
	err = xa_err(xa_store_bh(&owner->nsids.by_peer, peer->nsids.key, link,
				 GFP_ATOMIC));
	if (err) {
		xa_erase_bh(&owner->nsids.by_id, slot);
		goto unlock_peer;
	}
	xa_store_bh(&owner->nsids.by_id, slot, link, GFP_ATOMIC);
	nsid_link_add(link);
	spin_unlock(&peer->nsids.name_lock);
	spin_unlock_bh(&owner->nsids.lock);

	*fresh = true;
	return link->id;

unlock_peer:
	spin_unlock(&peer->nsids.name_lock);
unlock_owner:
	spin_unlock_bh(&owner->nsids.lock);
	kfree(link);
	return err;
}

/* Remove @link, taken off its peer's named_by list, from its owner. */
static void nsid_drop_from_owner(struct nsid_link *link)
{
	struct net *owner = link->owner;

	spin_lock_bh(&owner->nsids.lock);
	nsid_link_erase(link);
	spin_unlock_bh(&owner->nsids.lock);

	/* Only a live owner can still have listeners to tell. */
	if (check_net(owner))
		rtnl_net_notifyid(owner, RTM_DELNSID, link->id, 0, NULL,
				  GFP_KERNEL);
	kfree_rcu(link, rcu);
}

static void nsid_close(struct net *net)
{
	spin_lock_bh(&net->nsids.lock);
	spin_lock(&net->nsids.name_lock);
	net->nsids.closed = true;
	spin_unlock(&net->nsids.name_lock);
	spin_unlock_bh(&net->nsids.lock);
}

static void nsid_purge(struct net *net)
{
	struct netns_nsids *st = &net->nsids;
	struct nsid_link *link;
	unsigned long index;

	lockdep_assert_held(&nsid_retire_mutex);

	/* Ids other namespaces (or @net itself) gave to @net. */
	for (;;) {
		spin_lock_bh(&st->name_lock);
		link = hlist_entry_safe(st->named_by.first, struct nsid_link,
					name_node);
		if (link)
			nsid_link_unname(link);
		spin_unlock_bh(&st->name_lock);
		if (!link)
			break;
		nsid_drop_from_owner(link);
		cond_resched();
	}

	/* Ids @net gave to its peers; nobody is told, @net is gone. */
	for (;;) {
		index = 0;
		spin_lock_bh(&st->lock);
		link = xa_find(&st->by_id, &index, ULONG_MAX, XA_PRESENT);
		if (link)
			nsid_link_erase(link);
		spin_unlock_bh(&st->lock);
		if (!link)
			break;

		spin_lock_bh(&link->peer->nsids.name_lock);
		nsid_link_unname(link);
		spin_unlock_bh(&link->peer->nsids.name_lock);
		kfree_rcu(link, rcu);
		cond_resched();
	}

	xa_destroy(&st->by_id);
	xa_destroy(&st->by_peer);
}

/**
 * netns_nsids_retire() - remove every nsid naming, or kept by, dying namespaces
 * @net_exit_list: the namespaces, linked by exit_list
 *
 * The namespaces are first closed, so no new id can involve them, then
 * each id that refers to one of them is removed.  Live owners of removed
 * ids get an RTM_DELNSID notification.  Cost is proportional to the ids
 * involved, independent of the number of namespaces in the system.
 *
 * Called by a teardown batch and by a failed setup, before any exit
 * method of the namespaces runs: their rtnetlink sockets still exist.
 *
 * Context: Process context, may sleep; pernet_ops_rwsem held.  Takes the
 * nsid retire mutex.
 */
void netns_nsids_retire(struct list_head *net_exit_list)
{
	struct net *net;

	lockdep_assert_held(&pernet_ops_rwsem);

	list_for_each_entry(net, net_exit_list, exit_list)
		nsid_close(net);

	mutex_lock(&nsid_retire_mutex);
	list_for_each_entry(net, net_exit_list, exit_list)
		nsid_purge(net);
	mutex_unlock(&nsid_retire_mutex);
}

/**
 * peernet2id_alloc() - get the id of @peer in @net, assigning one if needed
 * @net: the namespace whose table is used
 * @peer: the namespace to name
 * @gfp: allocation flags for the new id and its notification
 *
 * A newly assigned id is announced with RTM_NEWNSID in @net.
 *
 * Context: Any context that allows @gfp allocations; both namespaces must
 * be valid memory.  Takes BH-safe spinlocks.
 * Return: the id, or NETNSA_NSID_NOT_ASSIGNED if none could be assigned
 * (either namespace dying, or no memory).
 */
int peernet2id_alloc(struct net *net, struct net *peer, gfp_t gfp)
{
	bool fresh;
	int id;

	if (!check_net(net))
		return NETNSA_NSID_NOT_ASSIGNED;

	id = peernet2id(net, peer);
	if (id >= 0)
		return id;

	id = nsid_attach(net, peer, -1, gfp, &fresh);
	if (id < 0)
		return NETNSA_NSID_NOT_ASSIGNED;
	if (fresh)
		rtnl_net_notifyid(net, RTM_NEWNSID, id, 0, NULL, gfp);
	return id;
}
EXPORT_SYMBOL_GPL(peernet2id_alloc);

/* Caller holds rcu_read_lock(). */
static int __peernet2id(const struct net *net, struct net *peer)
{
	struct nsid_link *link;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "nsid peer lookup outside RCU");
	link = nsid_find(net, peer);
	return link ? link->id : NETNSA_NSID_NOT_ASSIGNED;
}

/**
 * peernet2id() - look up the id @net gives to @peer
 * @net: the namespace whose table is used
 * @peer: the namespace looked up
 *
 * Context: Any context.
 * Return: the id, or NETNSA_NSID_NOT_ASSIGNED.
 */
int peernet2id(const struct net *net, struct net *peer)
{
	int id;

	rcu_read_lock();
	id = __peernet2id(net, peer);
	rcu_read_unlock();
	return id;
}
EXPORT_SYMBOL(peernet2id);

/**
 * peernet_has_id() - test whether @net has an id for @peer
 * @net: the namespace whose table is used
 * @peer: the namespace looked up
 *
 * Context: Any context.
 * Return: true if an id is assigned.
 */
bool peernet_has_id(const struct net *net, struct net *peer)
{
	return peernet2id(net, peer) >= 0;
}
EXPORT_SYMBOL_IF_KUNIT(peernet_has_id);

/**
 * get_net_ns_by_id() - get the namespace @net calls @id
 * @net: the namespace whose table is used
 * @id: the nsid
 *
 * Context: Any context.
 * Return: a counted reference to the peer, or NULL if @id is unknown or
 * its namespace is dying.
 */
struct net *get_net_ns_by_id(const struct net *net, int id)
{
	struct nsid_link *link;
	struct net *peer = NULL;

	if (id < 0)
		return NULL;

	rcu_read_lock();
	link = nsid_xa_load(&net->nsids.by_id, id);
	if (link)
		peer = maybe_get_net(link->peer);
	rcu_read_unlock();
	return peer;
}
EXPORT_SYMBOL_GPL(get_net_ns_by_id);

/* rtnetlink: RTM_NEWNSID, RTM_GETNSID and the nsid notifications. */

static const struct nla_policy rtnl_net_policy[NETNSA_MAX + 1] = {
	[NETNSA_NONE]		= { .type = NLA_UNSPEC },
	[NETNSA_NSID]		= { .type = NLA_S32 },
	[NETNSA_PID]		= { .type = NLA_U32 },
	[NETNSA_FD]		= { .type = NLA_U32 },
	[NETNSA_TARGET_NSID]	= { .type = NLA_S32 },
};

struct nsid_msg {
	u32	portid;
	u32	seq;
	int	flags;
	int	cmd;
	int	nsid;
	bool	with_current;	/* add NETNSA_CURRENT_NSID */
	int	current_nsid;
};

static size_t nsid_msg_size(void)
{
	return NLMSG_ALIGN(sizeof(struct rtgenmsg)) +
	       nla_total_size(sizeof(s32)) +	/* NETNSA_NSID */
	       nla_total_size(sizeof(s32));	/* NETNSA_CURRENT_NSID */
}

static int nsid_msg_fill(struct sk_buff *skb, const struct nsid_msg *m)
{
	struct rtgenmsg *gen;
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(skb, m->portid, m->seq, m->cmd, sizeof(*gen), m->flags);
	if (!nlh)
		return -EMSGSIZE;

	gen = nlmsg_data(nlh);
	gen->rtgen_family = AF_UNSPEC;

	if (nla_put_s32(skb, NETNSA_NSID, m->nsid) ||
	    (m->with_current &&
	     nla_put_s32(skb, NETNSA_CURRENT_NSID, m->current_nsid))) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}

	nlmsg_end(skb, nlh);
	return 0;
}

static void rtnl_net_notifyid(struct net *net, int cmd, int id, u32 portid,
			      struct nlmsghdr *nlh, gfp_t gfp)
{
	struct nsid_msg m = {
		.portid	= portid,
		.seq	= nlh ? nlh->nlmsg_seq : 0,
		.cmd	= cmd,
		.nsid	= id,
	};
	struct sk_buff *skb;
	int err;

	skb = nlmsg_new(nsid_msg_size(), gfp);
	if (!skb) {
		err = -ENOMEM;
		goto fail;
	}
	err = nsid_msg_fill(skb, &m);
	if (err < 0) {
		nlmsg_free(skb);
		goto fail;
	}
	rtnl_notify(skb, net, portid, RTNLGRP_NSID, nlh, gfp);
	return;

fail:
	rtnl_set_sk_err(net, RTNLGRP_NSID, err);
}

/*
 * The peer a request names by pid, fd or (when @nsid_ok) nsid, referenced,
 * or an ERR_PTR() with the reason in @extack.
 */
static struct net *nsid_req_peer(struct net *net, struct nlattr **attrs,
				 bool nsid_ok, struct netlink_ext_ack *extack)
{
	struct nlattr *attr;
	struct net *peer;

	if (attrs[NETNSA_PID]) {
		attr = attrs[NETNSA_PID];
		peer = get_net_ns_by_pid(nla_get_u32(attr));
	} else if (attrs[NETNSA_FD]) {
		attr = attrs[NETNSA_FD];
		peer = get_net_ns_by_fd(nla_get_u32(attr));
	} else if (nsid_ok && attrs[NETNSA_NSID]) {
		attr = attrs[NETNSA_NSID];
		peer = get_net_ns_by_id(net, nla_get_s32(attr)) ?: ERR_PTR(-ENOENT);
	} else {
		NL_SET_ERR_MSG(extack, "Peer netns reference is missing");
		return ERR_PTR(-EINVAL);
	}

	if (IS_ERR(peer)) {
		NL_SET_BAD_ATTR(extack, attr);
		NL_SET_ERR_MSG(extack, "Peer netns reference is invalid");
	}
	return peer;
}

static int rtnl_net_newid(struct sk_buff *skb, struct nlmsghdr *nlh,
			  struct netlink_ext_ack *extack)
{
	struct net *net = sock_net(skb->sk);
	struct nlattr *attrs[NETNSA_MAX + 1];
	struct net *peer;
	int nsid, err;
	bool fresh;

	err = nlmsg_parse_deprecated(nlh, sizeof(struct rtgenmsg), attrs,
				     NETNSA_MAX, rtnl_net_policy, extack);
	if (err < 0)
		return err;
	if (!attrs[NETNSA_NSID]) {
		NL_SET_ERR_MSG(extack, "nsid is missing");
		return -EINVAL;
	}
	nsid = nla_get_s32(attrs[NETNSA_NSID]);

	peer = nsid_req_peer(net, attrs, false, extack);
	if (IS_ERR(peer))
		return PTR_ERR(peer);

	err = nsid_attach(net, peer, nsid, GFP_KERNEL, &fresh);
	if (err >= 0 && !fresh) {
		NL_SET_BAD_ATTR(extack, attrs[NETNSA_PID] ?: attrs[NETNSA_FD]);
		NL_SET_ERR_MSG(extack, "Peer netns already has a nsid assigned");
		err = -EEXIST;
	} else if (err >= 0) {
		rtnl_net_notifyid(net, RTM_NEWNSID, err, NETLINK_CB(skb).portid,
				  nlh, GFP_KERNEL);
		err = 0;
	} else if (err == -ENOSPC && nsid >= 0) {
		NL_SET_BAD_ATTR(extack, attrs[NETNSA_NSID]);
		NL_SET_ERR_MSG(extack, "The specified nsid is already used");
		err = -EEXIST;
	}

	put_net(peer);
	return err;
}

static int rtnl_net_valid_getid_req(struct sk_buff *skb,
				    const struct nlmsghdr *nlh,
				    struct nlattr **attrs,
				    struct netlink_ext_ack *extack)
{
	int type, err;

	if (!netlink_strict_get_check(skb))
		return nlmsg_parse_deprecated(nlh, sizeof(struct rtgenmsg),
					      attrs, NETNSA_MAX, rtnl_net_policy,
					      extack);

	err = nlmsg_parse_deprecated_strict(nlh, sizeof(struct rtgenmsg), attrs,
					    NETNSA_MAX, rtnl_net_policy,
					    extack);
	if (err)
		return err;

	for (type = 0; type <= NETNSA_MAX; type++) {
		if (!attrs[type] || type == NETNSA_PID || type == NETNSA_FD ||
		    type == NETNSA_NSID || type == NETNSA_TARGET_NSID)
			continue;
		NL_SET_ERR_MSG(extack,
			       "Unsupported attribute in peer netns getid request");
		return -EINVAL;
	}
	return 0;
}

static int rtnl_net_getid(struct sk_buff *skb, struct nlmsghdr *nlh,
			  struct netlink_ext_ack *extack)
{
	struct net *net = sock_net(skb->sk);
	struct nlattr *attrs[NETNSA_MAX + 1];
	struct nsid_msg m = {
		.portid	= NETLINK_CB(skb).portid,
		.seq	= nlh->nlmsg_seq,
		.cmd	= RTM_NEWNSID,
	};
	struct net *peer, *target = net;
	struct sk_buff *reply;
	int err;

	err = rtnl_net_valid_getid_req(skb, nlh, attrs, extack);
	if (err < 0)
		return err;

	peer = nsid_req_peer(net, attrs, true, extack);
	if (IS_ERR(peer))
		return PTR_ERR(peer);

	if (attrs[NETNSA_TARGET_NSID]) {
		target = rtnl_get_net_ns_capable(NETLINK_CB(skb).sk,
						 nla_get_s32(attrs[NETNSA_TARGET_NSID]));
		if (IS_ERR(target)) {
			NL_SET_BAD_ATTR(extack, attrs[NETNSA_TARGET_NSID]);
			NL_SET_ERR_MSG(extack,
				       "Target netns reference is invalid");
			err = PTR_ERR(target);
			goto put_peer;
		}
		m.with_current = true;
		m.current_nsid = peernet2id(net, peer);
	}

	reply = nlmsg_new(nsid_msg_size(), GFP_KERNEL);
	if (!reply) {
		err = -ENOMEM;
		goto put_target;
	}

	m.nsid = peernet2id(target, peer);
	err = nsid_msg_fill(reply, &m);
	if (err < 0) {
		nlmsg_free(reply);
		goto put_target;
	}
	err = rtnl_unicast(reply, net, NETLINK_CB(skb).portid);

put_target:
	if (m.with_current)
		put_net(target);
put_peer:
	put_net(peer);
	return err;
}

/* Dump request checks; may switch the dumped table to NETNSA_TARGET_NSID. */
static int rtnl_net_dump_req(struct netlink_callback *cb, struct sock *sk,
			     struct net **table, struct net **self,
			     struct nsid_msg *m)
{
	struct netlink_ext_ack *extack = cb->extack;
	struct nlattr *attrs[NETNSA_MAX + 1];
	struct net *target;
	int type, err;

	err = nlmsg_parse_deprecated_strict(cb->nlh, sizeof(struct rtgenmsg),
					    attrs, NETNSA_MAX, rtnl_net_policy,
					    extack);
	if (err < 0)
		return err;

	for (type = 0; type <= NETNSA_MAX; type++) {
		if (!attrs[type])
			continue;
		if (type != NETNSA_TARGET_NSID) {
			NL_SET_BAD_ATTR(extack, attrs[type]);
			NL_SET_ERR_MSG(extack,
				       "Unsupported attribute in dump request");
			return -EINVAL;
		}
		target = rtnl_get_net_ns_capable(sk, nla_get_s32(attrs[type]));
		if (IS_ERR(target)) {
			NL_SET_BAD_ATTR(extack, attrs[type]);
			NL_SET_ERR_MSG(extack,
				       "Invalid target network namespace id");
			return PTR_ERR(target);
		}
		m->with_current = true;
		*self = *table;
		*table = target;
	}
	return 0;
}

static int rtnl_net_dumpid(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *table = sock_net(skb->sk), *self = NULL;
	struct nsid_msg m = {
		.portid	= NETLINK_CB(cb->skb).portid,
		.seq	= cb->nlh->nlmsg_seq,
		.flags	= NLM_F_MULTI,
		.cmd	= RTM_NEWNSID,
	};
	struct nsid_link *link;
	unsigned long index;
	int err = 0;

	if (cb->strict_check) {
		err = rtnl_net_dump_req(cb, skb->sk, &table, &self, &m);
		if (err < 0)
			goto out;
	}

	/*
	 * cb->args[0] is the lowest nsid not dumped yet.  Resuming by id, not
	 * by position, keeps a dump that races with RTM_NEWNSID and namespace
	 * teardown exact: ids only grow, so nothing is listed twice, and an
	 * id present throughout is at or above the resume point when its turn
	 * comes.
	 */
	rcu_read_lock();
	xa_for_each_start(&table->nsids.by_id, index, link, cb->args[0]) {
		m.nsid = index;
		if (m.with_current)
			m.current_nsid = __peernet2id(self, link->peer);
		if (nsid_msg_fill(skb, &m) < 0) {
			/*
			 * Full: a positive length is "more to come" to the
			 * netlink core (0 would end the dump here).  An entry
			 * that does not fit even an empty skb is an error.
			 */
			err = skb->len ?: -EMSGSIZE;
			break;
		}
		cb->args[0] = index + 1;
	}
	rcu_read_unlock();
out:
	if (m.with_current)
		put_net(table);
	return err;
}

/**
 * netns_nsids_rtnl_init() - register the nsid rtnetlink handlers
 *
 * Context: Boot, process context.
 */
void __init netns_nsids_rtnl_init(void)
{
	rtnl_register(PF_UNSPEC, RTM_NEWNSID, rtnl_net_newid, NULL,
		      RTNL_FLAG_DOIT_UNLOCKED);
	rtnl_register(PF_UNSPEC, RTM_GETNSID, rtnl_net_getid, rtnl_net_dumpid,
		      RTNL_FLAG_DOIT_UNLOCKED | RTNL_FLAG_DUMP_UNLOCKED);
}
