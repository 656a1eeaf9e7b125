/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers for the netns-core characterization selftests:
 * a minimal rtnetlink client (with extended ACK support), network
 * namespace, user namespace and process helpers.
 *
 * All helpers return 0 (or a non-negative value) on success and a
 * negative errno on failure, unless documented otherwise.  They never
 * call into the kselftest harness, so they can be used from forked
 * children as well.
 */
#ifndef NETNS_UTIL_H
#define NETNS_UTIL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/net_namespace.h>

#define NSC_EXTACK_LEN		256
#define NSC_POLL_TIMEOUT_MS	20000	/* wait for asynchronous cleanup */
#define NSC_POLL_INTERVAL_MS	10
#define NSC_NO_NSID		INT_MIN	/* attribute absent / not used */
#define NSC_MAX_NETNS_SYSCTL	"/proc/sys/user/max_net_namespaces"

/* ------------------------------------------------------------------ */
/* rtnetlink                                                           */
/* ------------------------------------------------------------------ */

struct nsc_nl {
	int fd;
	uint32_t seq;
	uint32_t portid;
	/* NLMSGERR_ATTR_MSG of the last request, "" if none was sent */
	char extack[NSC_EXTACK_LEN];
};

/* A netlink request under construction. */
struct nsc_msg {
	union {
		struct nlmsghdr nlh;
		char buf[4096];
	};
};

/* Called for every reply message that is not an ACK/error/DONE. */
typedef int (*nsc_msg_cb)(const struct nlmsghdr *nlh, void *arg);

/* Open a NETLINK_ROUTE socket with NETLINK_EXT_ACK and NETLINK_CAP_ACK. */
int nsc_nl_open(struct nsc_nl *nl);
/* Same, but the socket is created inside the netns referred to by nsfd. */
int nsc_nl_open_in(struct nsc_nl *nl, int nsfd);
/* Wrap an already bound NETLINK_ROUTE socket (e.g. received by SCM_RIGHTS). */
int nsc_nl_adopt(struct nsc_nl *nl, int fd);
void nsc_nl_close(struct nsc_nl *nl);
int nsc_nl_set_strict(struct nsc_nl *nl, bool on);
int nsc_nl_join_group(struct nsc_nl *nl, unsigned int group);

void nsc_msg_init(struct nsc_msg *m, uint16_t type, uint16_t flags,
		  const void *hdr, size_t hdrlen);
struct nlattr *nsc_attr_put(struct nsc_msg *m, uint16_t type,
			    const void *data, size_t len);
struct nlattr *nsc_attr_put_u32(struct nsc_msg *m, uint16_t type, uint32_t v);
struct nlattr *nsc_attr_put_s32(struct nsc_msg *m, uint16_t type, int32_t v);
struct nlattr *nsc_attr_put_str(struct nsc_msg *m, uint16_t type,
				const char *s);
struct nlattr *nsc_nest_start(struct nsc_msg *m, uint16_t type);
void nsc_nest_end(struct nsc_msg *m, struct nlattr *nest);

/* Fill tb[0..max] with the first attribute of each type (NULL if absent). */
void nsc_parse_attrs(struct nlattr **tb, int max, const void *data, int len);
/* Parse the attributes following a family header of hdrlen bytes. */
void nsc_parse_msg(struct nlattr **tb, int max, const struct nlmsghdr *nlh,
		   size_t hdrlen);
int32_t nsc_attr_s32(const struct nlattr *nla);
uint32_t nsc_attr_u32(const struct nlattr *nla);
const char *nsc_attr_str(const struct nlattr *nla);

/*
 * Finish a request without sending it: sequence number, NLM_F_ACK for
 * non-dump requests, extack cleared.  Returns the sequence number, for
 * callers that send() the request themselves (e.g. to fault-inject exactly
 * that syscall) and then collect the answer with nsc_nl_recv_reply().
 */
uint32_t nsc_nl_prepare(struct nsc_nl *nl, struct nsc_msg *req);
/* Receive and process the answer to request seq, as nsc_nl_talk() does. */
int nsc_nl_recv_reply(struct nsc_nl *nl, uint32_t seq, nsc_msg_cb cb,
		      void *arg);
/* SO_RCVTIMEO: a lost answer makes receiving fail with -EAGAIN. */
int nsc_nl_set_rcvtimeo(struct nsc_nl *nl, int timeout_ms);
/* Append raw bytes (padded to NLMSG_ALIGN) to a request. */
void nsc_msg_put_raw(struct nsc_msg *m, const void *data, size_t len);

/*
 * Send a request and process the answer.  Non-dump requests get NLM_F_ACK
 * and the kernel's ACK/error is returned (0 or -errno).  Dump requests
 * (NLM_F_DUMP) return the NLMSG_DONE status.  The extack message, if any,
 * is copied to nl->extack.  cb is called for every data message; a negative
 * return from cb is returned after the answer has been fully consumed.
 */
int nsc_nl_talk(struct nsc_nl *nl, struct nsc_msg *req, nsc_msg_cb cb,
		void *arg);

/*
 * Wait for an unsolicited message (e.g. a multicast notification) for which
 * match() returns > 0.  Returns 1 if found, 0 on timeout, -errno on error.
 */
int nsc_nl_wait_msg(struct nsc_nl *nl, int timeout_ms, nsc_msg_cb match,
		    void *arg);

/*
 * Called for every datagram received by nsc_nl_wait_dgram(), with the nsid
 * of its NETLINK_LISTEN_ALL_NSID control message: the sender's namespace
 * as the socket's namespace names it, NSC_NO_NSID if there is none (a
 * message of the socket's own namespace, or a socket without
 * NETLINK_LISTEN_ALL_NSID).
 */
typedef int (*nsc_dgram_cb)(const void *buf, size_t len, int nsid,
			    void *arg);
/* Called for every netlink message of such a datagram, with its nsid. */
typedef int (*nsc_notify_cb)(const struct nlmsghdr *nlh, int nsid,
			     void *arg);

/*
 * Receive datagrams on a netlink socket of any protocol (e.g. uevents) for
 * up to timeout_ms, until cb returns non-zero: that value, 0 on timeout,
 * -errno on error (-ENOBUFS: the socket overran, messages were lost).
 */
int nsc_nl_wait_dgram(int fd, int timeout_ms, nsc_dgram_cb cb, void *arg);
/* The same for each message of an rtnetlink socket's datagrams. */
int nsc_nl_wait_notify(struct nsc_nl *nl, int timeout_ms, nsc_notify_cb cb,
		       void *arg);

/* ------------------------------------------------------------------ */
/* links                                                               */
/* ------------------------------------------------------------------ */

struct nsc_link {
	int ifindex;
	unsigned int flags;
	char name[IFNAMSIZ];
	int link;		/* IFLA_LINK, 0 if absent */
	int link_netnsid;	/* IFLA_LINK_NETNSID, NSC_NO_NSID if absent */
	int target_netnsid;	/* IFLA_TARGET_NETNSID, NSC_NO_NSID if absent */
};

/*
 * ns_attr selects how a namespace is referenced: 0 (the socket's own
 * netns), IFLA_NET_NS_FD, IFLA_NET_NS_PID or IFLA_TARGET_NETNSID.
 */
int nsc_link_add(struct nsc_nl *nl, const char *name, const char *kind,
		 uint16_t ns_attr, uint32_t ns_val);
/*
 * Create a "dummy" device.  If the dummy driver is not available (e.g. a
 * host kernel without CONFIG_DUMMY) an (equally inert) bridge is created
 * instead; the tests only rely on the device's existence.
 */
int nsc_dummy_add(struct nsc_nl *nl, const char *name);
/* veth pair; peer placed according to peer_ns_attr/peer_ns_val. */
int nsc_veth_add(struct nsc_nl *nl, const char *name, const char *peer,
		 uint16_t peer_ns_attr, uint32_t peer_ns_val);
int nsc_link_del(struct nsc_nl *nl, int ifindex);
int nsc_link_set_up(struct nsc_nl *nl, int ifindex, bool up);
/* Enslave a link to a master (e.g. a bridge port); master 0 releases it. */
int nsc_link_set_master(struct nsc_nl *nl, int ifindex, int master);
/*
 * RTM_NEWADDR: an IPv4 or IPv6 address (by its text form) with its prefix
 * length on a link; flags are IFA_F_* (e.g. IFA_F_NODAD).
 */
int nsc_addr_add(struct nsc_nl *nl, int ifindex, const char *addr,
		 int prefixlen, uint32_t flags);
/*
 * Move a link to another netns; newname (IFLA_IFNAME) may be NULL,
 * new_ifindex (IFLA_NEW_IFINDEX) 0.
 */
int nsc_link_set_netns(struct nsc_nl *nl, int ifindex, uint16_t ns_attr,
		       uint32_t ns_val, const char *newname, int new_ifindex);
/* Build (but do not send) the RTM_SETLINK request of nsc_link_set_netns(). */
void nsc_link_set_netns_msg(struct nsc_msg *m, int ifindex,
			    uint16_t ns_attr, uint32_t ns_val,
			    const char *newname, int new_ifindex);
/* Look a link up by name (ifindex 0) or index.  -ENODEV if absent. */
int nsc_link_get(struct nsc_nl *nl, const char *name, int ifindex,
		 struct nsc_link *out);
/* Index of the named link, or -errno. */
int nsc_link_index(struct nsc_nl *nl, const char *name);
/*
 * Dump links (of the socket's netns, or of target_nsid unless it is
 * NSC_NO_NSID).  Returns the number of links found (may exceed max; only
 * max are stored) or -errno.
 */
int nsc_link_dump(struct nsc_nl *nl, int target_nsid, struct nsc_link *links,
		  int max);
/* 1 if a link with that name is in the dump, 0 if not, -errno on error. */
int nsc_link_dump_has(struct nsc_nl *nl, const char *name);

/* ------------------------------------------------------------------ */
/* nsid                                                                */
/* ------------------------------------------------------------------ */

/* RTM_NEWNSID: ref_attr is NETNSA_FD or NETNSA_PID. */
int nsc_nsid_new(struct nsc_nl *nl, uint16_t ref_attr, uint32_t ref,
		 int nsid);
/* Build (but do not send) the RTM_NEWNSID request of nsc_nsid_new(). */
void nsc_nsid_new_msg(struct nsc_msg *m, uint16_t ref_attr, uint32_t ref,
		      int nsid);
/*
 * RTM_GETNSID: ref_attr is NETNSA_FD, NETNSA_PID or NETNSA_NSID;
 * target_nsid is NSC_NO_NSID or a NETNSA_TARGET_NSID value.  *nsid gets
 * NETNSA_NSID, *current_nsid (may be NULL) gets NETNSA_CURRENT_NSID or
 * NSC_NO_NSID if absent.
 */
int nsc_nsid_get(struct nsc_nl *nl, uint16_t ref_attr, uint32_t ref,
		 int target_nsid, int *nsid, int *current_nsid);

struct nsc_nsid_entry {
	int nsid;
	int current_nsid;	/* NSC_NO_NSID if absent */
};

/* Dump nsids; returns number of entries (stores up to max) or -errno. */
int nsc_nsid_dump(struct nsc_nl *nl, int target_nsid,
		  struct nsc_nsid_entry *ents, int max);

/*
 * How an answer is received.  The kernel builds the first part of a dump
 * during send(), later ones during recv(), each at most as large as the
 * largest recv() buffer the socket has used so far (but at least
 * NLMSG_GOODSIZE, at most 32 KiB).  A small bufsz on a fresh socket thus
 * splits a large dump into many parts.
 */
struct nsc_recv_opts {
	size_t bufsz;		/* recv() buffer; 0: the default 64 KiB */
	unsigned int pause_ms;	/* sleep before each recv() but the first */
	int parts;		/* out: datagrams the answer came in */
};

/* nsc_nsid_dump(), received as opts says; sets opts->parts. */
int nsc_nsid_dump_opts(struct nsc_nl *nl, int target_nsid,
		       struct nsc_nsid_entry *ents, int max,
		       struct nsc_recv_opts *opts);

/* ------------------------------------------------------------------ */
/* namespaces                                                          */
/* ------------------------------------------------------------------ */

/* fd for the caller's current netns. */
int nsc_netns_self(void);
/*
 * Create a new network namespace and return an fd referring to it; the
 * caller stays in its current netns (and must be allowed to setns back).
 */
int nsc_netns_new(void);
int nsc_netns_enter(int nsfd);
/*
 * A socket created in the netns referred to by nsfd (it stays there); the
 * caller stays put.  Returns the socket or -errno.
 */
int nsc_socket_in(int nsfd, int domain, int type, int protocol);
/* Inode number of an fd / path, 0 on error. */
ino_t nsc_fd_ino(int fd);
ino_t nsc_path_ino(const char *path);
/* Inode of the caller's current netns. */
ino_t nsc_netns_ino(void);
/* SO_NETNS_COOKIE of a socket / of the caller's current netns. */
int nsc_sock_cookie(int sock, uint64_t *cookie);
int nsc_netns_cookie(uint64_t *cookie);

/*
 * Enter a new user namespace mapping uid/gid 0 to 0 (works for real
 * root).  Irreversible: use in a disposable process.
 */
int nsc_userns_enter_root(void);
/* Drop a capability from the effective/permitted/inheritable sets. */
int nsc_drop_cap(int cap);
/*
 * Become uid/gid (no supplementary groups).  Leaving uid 0 clears all
 * capabilities.  Irreversible.
 */
int nsc_drop_to_uid(uid_t uid, gid_t gid);

/*
 * Namespace accounting: the per-user-namespace ucount limit
 * max_net_namespaces makes the number of live namespaces observable.
 *
 * nsc_userns_limit_enter() enters a private user namespace (uid 0 mapped
 * to 0), sets its max_net_namespaces to limit and moves the caller into a
 * new "home" netns owned by it, which uses one of the limit.  Returns an
 * fd of home or -errno.  Irreversible: use in a disposable process.
 */
int nsc_userns_limit_enter(int limit);
#define NSC_MAX_EXPECT	256
/*
 * Wait up to timeout_ms until exactly expect more namespaces can be
 * created (released ones are uncharged asynchronously): creates them,
 * checks that one more fails with ENOSPC, releases them.  Returns 0,
 * -ETIMEDOUT (fewer than expect became available), -EEXIST (more than
 * expect are available: something was uncharged twice) or another -errno.
 * *got (may be NULL) gets the number that could be created.  The caller
 * must be able to setns() back into its current netns.
 */
int nsc_netns_expect_available(int expect, int timeout_ms, int *got);

/* ------------------------------------------------------------------ */
/* processes                                                           */
/* ------------------------------------------------------------------ */

typedef int (*nsc_child_fn)(void *arg);

/*
 * A helper process: it unshares unshare_flags (if any), runs setup (if
 * any) and then stays alive until nsc_child_stop() (SIGKILL).  setup
 * returns 0 or a positive errno, which nsc_child_start() returns negated.
 */
struct nsc_child {
	pid_t pid;
};

int nsc_child_start(struct nsc_child *c, int unshare_flags,
		    nsc_child_fn setup, void *arg);
/* A setup for nsc_child_start(): enter the netns given by *(int *)arg. */
int nsc_child_enter_netns(void *arg);
/* Stop (kill) the child; 0 if it was still alive, else its status. */
int nsc_child_stop(struct nsc_child *c);
/*
 * Run fn in a forked child and wait for it.  Returns fn's return value
 * (truncated to 0..255), 256 + signal if killed, or -errno.
 */
int nsc_run_child(nsc_child_fn fn, void *arg);
/* Shared (MAP_SHARED) zeroed memory for communicating with children. */
void *nsc_shared_alloc(size_t size);
void nsc_shared_free(void *p, size_t size);

int nsc_send_fd(int sock, int fd);
int nsc_recv_fd(int sock);

/* pidfd_open(pid, 0): a pidfd, or -errno (-ENOSYS: no pidfd_open()). */
int nsc_pidfd_open(pid_t pid);

/* ------------------------------------------------------------------ */
/* the core's debugfs view (/sys/kernel/debug/netns)                   */
/* ------------------------------------------------------------------ */

#define NSC_VIEW	"/sys/kernel/debug/netns/namespaces"
#define NSC_SUMMARY	"/sys/kernel/debug/netns/summary"
#define NSC_CLEANUP	"/sys/kernel/debug/netns/cleanup"
#define NSC_VIEW_HEADER	\
	"inum cookie state count passive sock dev neigh other owner ids named age_ms state_ms"
/* Seconds weak references may outlive a teardown before they are reported. */
#define NSC_WEAK_GRACE	"/sys/module/net_namespace/parameters/weak_grace_secs"

/*
 * The states of the view, in the order summary lists them: a namespace
 * moves forward from alive to exited.  One whose teardown still finds weak
 * references lingers instead, is leaked (and reported) if they are still
 * held after weak_grace_secs, and goes back to exited (then is freed) when
 * the last one is released.
 */
enum nsc_view_state {
	NSC_ALIVE,
	NSC_QUEUED,
	NSC_EXITING,
	NSC_EXITED,
	NSC_LINGERING,
	NSC_LEAKED,
	NSC_NR_STATES
};

extern const char * const nsc_view_states[NSC_NR_STATES];
/* The nsc_view_state of a state name, or -1. */
int nsc_view_state_rank(const char *state);

/* One line of NSC_VIEW. */
struct nsc_view_ns {
	unsigned long inum;
	unsigned long long cookie;
	char state[16];
	unsigned int count, passive;
	int sock, dev, neigh, other;	/* weak references per class */
	unsigned int owner, ids, named;
	unsigned long long age_ms, state_ms;
};

/* Parse one line of NSC_VIEW: 0, or -EINVAL for any other line. */
int nsc_view_parse(const char *line, struct nsc_view_ns *v);
/*
 * Find the namespace inum/cookie in NSC_VIEW: 1 found, 0 absent, -errno.
 * Inode numbers are reused once a namespace is torn down, while a lingering
 * or leaked namespace stays listed: the cookie tells them apart.
 */
int nsc_view_find(unsigned long inum, uint64_t cookie, struct nsc_view_ns *v);
/*
 * Every namespace of NSC_VIEW, in one open: returns how many are listed
 * (only the first max are stored) or -errno.
 */
int nsc_view_list(struct nsc_view_ns *v, int max);
/*
 * Wait up to timeout_ms until the namespace inum/cookie has left NSC_VIEW
 * (its memory was released): 1 gone, 0 still listed, -errno.  *seen (may
 * be NULL) gets a bit (1 << nsc_view_state) for every state it was seen
 * in, *last (may be NULL) its last line.
 */
int nsc_view_wait_gone(unsigned long inum, uint64_t cookie, int timeout_ms,
		       unsigned int *seen, struct nsc_view_ns *last);
/* The number of namespaces in state (a name) per NSC_SUMMARY, or -errno. */
long nsc_view_state_count(const char *state);
/* SO_NETNS_COOKIE of the namespace behind fd; the caller stays put. */
int nsc_fd_cookie(int fd, uint64_t *cookie);

/* ------------------------------------------------------------------ */
/* files, time                                                         */
/* ------------------------------------------------------------------ */

/* Read a (small) file into buf, NUL-terminated; returns length or -errno. */
ssize_t nsc_read_file(const char *path, char *buf, size_t len);
int nsc_write_file(const char *path, const char *s);
/*
 * Split buf (modified in place) into at most max non-empty lines; returns
 * their number.
 */
int nsc_split_lines(char *buf, char **lines, int max);
int nsc_read_long(const char *path, long *val);
int nsc_write_long(const char *path, long val);
/* 1 if a /proc/net/dev style file lists the interface, 0 if not. */
int nsc_proc_net_dev_has(const char *path, const char *ifname);

/*
 * The kernel log.  nsc_kmsg_open() opens /dev/kmsg for reading from its
 * end (only records logged from now on), non-blocking.  nsc_kmsg_read()
 * stores the text of the next record in buf (NUL-terminated, without the
 * prefix and the dictionary) and returns its length, 0 when there is no
 * more for now, or -errno; records overwritten before they were read are
 * skipped.  nsc_kmsg_write() logs a line (KERN_WARNING).
 */
int nsc_kmsg_open(void);
ssize_t nsc_kmsg_read(int fd, char *buf, size_t len);
int nsc_kmsg_write(const char *line);

/*
 * active_objs of a slab cache in /proc/slabinfo, or -errno (-ENOENT: not
 * listed, e.g. merged into another cache).
 */
long nsc_slab_objs(const char *cache);
/*
 * Whether that count is exact: booted with slab_nomerge and slub_debug (or
 * slab_debug) covering the cache, whose objects then bypass the per-CPU
 * freelists.  KASAN's quarantine still counts freed objects: see
 * nsc_kernel_has_kasan().
 */
bool nsc_slab_exact(const char *cache);
/* 1 if the kernel has KASAN (per /proc/kallsyms), 0 if not, -errno. */
int nsc_kernel_has_kasan(void);

#define NSC_TRACEFS	"/sys/kernel/tracing"
/*
 * 0 when events/netns/ of tracefs can be enabled (tracefs mounted at
 * NSC_TRACEFS if it is not), else -errno.
 */
int nsc_tracefs_ready(void);
/*
 * Index in lines of the first event @event (" event: ") whose line
 * contains match (any if NULL), after index after; -1 if none.
 */
int nsc_trace_find(char **lines, int n, int after, const char *event,
		   const char *match);

/* "ENOMEM" for ENOMEM or -ENOMEM; "E<n>" for unknown values. */
const char *nsc_errno_name(int err);

/*
 * How often each errno was seen; n[0] counts the values from
 * NSC_HIST_ERRNO_MAX on.  Counting is atomic: a histogram in
 * nsc_shared_alloc() memory can be fed by several processes.
 */
#define NSC_HIST_ERRNO_MAX	160
struct nsc_errno_hist {
	long n[NSC_HIST_ERRNO_MAX];
};

/* Count err (positive or negative). */
void nsc_errno_hist_add(struct nsc_errno_hist *h, int err);
/*
 * The histogram as "other:1,ENOENT:3,EPERM:1" (increasing errno, "other"
 * for n[0]), cut short if longer than len, or "none".  Returns buf.
 */
const char *nsc_errno_hist_str(const struct nsc_errno_hist *h, char *buf,
			       size_t len);

uint64_t nsc_now_ms(void);
void nsc_sleep_ms(unsigned int ms);
/* Seconds from environment variable @name, @def if unset or not 1..3599. */
int nsc_env_seconds(const char *name, int def);

/*
 * Evaluate cond every NSC_POLL_INTERVAL_MS until it is true or timeout_ms
 * expired; yields the last value of cond.
 */
#define NSC_POLL(cond, timeout_ms) ({					\
	uint64_t __nsc_end = nsc_now_ms() + (timeout_ms);		\
	bool __nsc_ok;							\
	while (!(__nsc_ok = (cond)) && nsc_now_ms() < __nsc_end)	\
		nsc_sleep_ms(NSC_POLL_INTERVAL_MS);			\
	__nsc_ok;							\
})

#endif /* NETNS_UTIL_H */
