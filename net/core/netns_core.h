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

struct list_head;
struct net;
struct net_generic;

/* Slots overlaid by the array header are never handed out as ids. */
#define NET_GENERIC_FIRST_ID \
	DIV_ROUND_UP(sizeof(((struct net_generic *)NULL)->s), sizeof(void *))

/* net_namespace.c */
extern struct list_head net_all_list;
extern spinlock_t net_all_lock;
extern atomic_t net_quarantined;

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
void __init netns_nsids_rtnl_init(void);

#endif /* _NET_CORE_NETNS_CORE_H */
