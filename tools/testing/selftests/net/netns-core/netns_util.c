// SPDX-License-Identifier: GPL-2.0
/*
 * Shared helpers for the netns-core characterization selftests.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/veth.h>

#include "kselftest.h"
#include "netns_util.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define NSC_RECV_BUF	(64 * 1024)

/* ------------------------------------------------------------------ */
/* rtnetlink                                                           */
/* ------------------------------------------------------------------ */

/* Set up @fd, an rtnetlink socket, as @nl: extack, capped acks, bound. */
static int nsc_nl_setup(struct nsc_nl *nl, int fd)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	int one = 1;
	int err;

	memset(nl, 0, sizeof(*nl));
	nl->fd = fd;
	if (fd < 0)
		return fd;

	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
		       sizeof(one)) ||
	    setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
		       sizeof(one)) ||
	    bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &salen)) {
		err = -errno;
		close(nl->fd);
		nl->fd = -1;
		return err;
	}
	nl->portid = sa.nl_pid;
	nl->seq = 1;
	return 0;
}

int nsc_nl_open(struct nsc_nl *nl)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	return nsc_nl_setup(nl, fd < 0 ? -errno : fd);
}

int nsc_nl_open_in(struct nsc_nl *nl, int nsfd)
{
	return nsc_nl_setup(nl, nsc_socket_in(nsfd, AF_NETLINK,
					      SOCK_RAW | SOCK_CLOEXEC,
					      NETLINK_ROUTE));
}

int nsc_nl_adopt(struct nsc_nl *nl, int fd)
{
	struct sockaddr_nl sa;
	socklen_t salen = sizeof(sa);

	memset(nl, 0, sizeof(*nl));
	nl->fd = fd;
	if (getsockname(fd, (struct sockaddr *)&sa, &salen)) {
		nl->fd = -1;
		return -errno;
	}
	nl->portid = sa.nl_pid;
	nl->seq = 1;
	return 0;
}

void nsc_nl_close(struct nsc_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int nsc_nl_set_strict(struct nsc_nl *nl, bool on)
{
	int val = on;

	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &val,
		       sizeof(val)))
		return -errno;
	return 0;
}

int nsc_nl_join_group(struct nsc_nl *nl, unsigned int group)
{
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)))
		return -errno;
	return 0;
}

void nsc_msg_init(struct nsc_msg *m, uint16_t type, uint16_t flags,
		  const void *hdr, size_t hdrlen)
{
	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_len = NLMSG_LENGTH(hdrlen);
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	if (hdrlen)
		memcpy(NLMSG_DATA(&m->nlh), hdr, hdrlen);
}

struct nlattr *nsc_attr_put(struct nsc_msg *m, uint16_t type,
			    const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(m->nlh.nlmsg_len);
	struct nlattr *nla;

	if (off + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(m->buf)) {
		fprintf(stderr, "# %s: request buffer overflow\n", __func__);
		abort();
	}
	nla = (struct nlattr *)(m->buf + off);
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)nla + NLA_HDRLEN, data, len);
	m->nlh.nlmsg_len = off + NLA_ALIGN(nla->nla_len);
	return nla;
}

/* Append raw (aligned) bytes, e.g. a family header inside a nest. */
void nsc_msg_put_raw(struct nsc_msg *m, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(m->nlh.nlmsg_len);

	if (off + NLMSG_ALIGN(len) > sizeof(m->buf)) {
		fprintf(stderr, "# %s: request buffer overflow\n", __func__);
		abort();
	}
	memcpy(m->buf + off, data, len);
	m->nlh.nlmsg_len = off + NLMSG_ALIGN(len);
}

struct nlattr *nsc_attr_put_u32(struct nsc_msg *m, uint16_t type, uint32_t v)
{
	return nsc_attr_put(m, type, &v, sizeof(v));
}

struct nlattr *nsc_attr_put_s32(struct nsc_msg *m, uint16_t type, int32_t v)
{
	return nsc_attr_put(m, type, &v, sizeof(v));
}

struct nlattr *nsc_attr_put_str(struct nsc_msg *m, uint16_t type,
				const char *s)
{
	return nsc_attr_put(m, type, s, strlen(s) + 1);
}

struct nlattr *nsc_nest_start(struct nsc_msg *m, uint16_t type)
{
	return nsc_attr_put(m, type, NULL, 0);
}

void nsc_nest_end(struct nsc_msg *m, struct nlattr *nest)
{
	nest->nla_len = (char *)&m->nlh + m->nlh.nlmsg_len - (char *)nest;
}

void nsc_parse_attrs(struct nlattr **tb, int max, const void *data, int len)
{
	const struct nlattr *nla = data;
	int type;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (len >= (int)NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
	       nla->nla_len <= len) {
		type = nla->nla_type & NLA_TYPE_MASK;
		if (type <= max && !tb[type])
			tb[type] = (struct nlattr *)nla;
		len -= NLA_ALIGN(nla->nla_len);
		nla = (const struct nlattr *)((const char *)nla +
					      NLA_ALIGN(nla->nla_len));
	}
}

void nsc_parse_msg(struct nlattr **tb, int max, const struct nlmsghdr *nlh,
		   size_t hdrlen)
{
	const char *data = (const char *)NLMSG_DATA(nlh) + NLMSG_ALIGN(hdrlen);
	int len = (int)nlh->nlmsg_len - (int)NLMSG_LENGTH(NLMSG_ALIGN(hdrlen));

	nsc_parse_attrs(tb, max, data, len);
}

static const void *nsc_attr_data(const struct nlattr *nla)
{
	return (const char *)nla + NLA_HDRLEN;
}

int32_t nsc_attr_s32(const struct nlattr *nla)
{
	int32_t v;

	memcpy(&v, nsc_attr_data(nla), sizeof(v));
	return v;
}

uint32_t nsc_attr_u32(const struct nlattr *nla)
{
	uint32_t v;

	memcpy(&v, nsc_attr_data(nla), sizeof(v));
	return v;
}

const char *nsc_attr_str(const struct nlattr *nla)
{
	return nsc_attr_data(nla);
}

/* Copy NLMSGERR_ATTR_MSG from the TLVs following a payload of plen bytes. */
static void nsc_copy_extack(struct nsc_nl *nl, const struct nlmsghdr *h,
			    size_t plen)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *attrs;
	int len;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	attrs = (const char *)NLMSG_DATA(h) + NLMSG_ALIGN(plen);
	len = (int)h->nlmsg_len - (int)(NLMSG_HDRLEN + NLMSG_ALIGN(plen));
	if (len <= 0)
		return;
	nsc_parse_attrs(tb, NLMSGERR_ATTR_MAX, attrs, len);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->extack, sizeof(nl->extack), "%.*s",
			 (int)(tb[NLMSGERR_ATTR_MSG]->nla_len - NLA_HDRLEN),
			 nsc_attr_str(tb[NLMSGERR_ATTR_MSG]));
}

static int nsc_handle_error(struct nsc_nl *nl, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t plen = sizeof(*e);

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EBADMSG;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		plen += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	nsc_copy_extack(nl, h, plen);
	return e->error;
}

static int nsc_handle_done(struct nsc_nl *nl, const struct nlmsghdr *h)
{
	int err = 0;

	if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
		memcpy(&err, NLMSG_DATA(h), sizeof(err));
		nsc_copy_extack(nl, h, sizeof(int));
	}
	return err;
}

static ssize_t nsc_nl_recv(struct nsc_nl *nl, void *buf, size_t len)
{
	ssize_t n;

	do {
		n = recv(nl->fd, buf, len, MSG_TRUNC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n > len)
		return -EMSGSIZE;
	return n;
}

uint32_t nsc_nl_prepare(struct nsc_nl *nl, struct nsc_msg *req)
{
	bool dump = (req->nlh.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint32_t seq = ++nl->seq;

	if (!dump)
		req->nlh.nlmsg_flags |= NLM_F_ACK;
	req->nlh.nlmsg_seq = seq;
	req->nlh.nlmsg_pid = 0;
	nl->extack[0] = '\0';
	return seq;
}

int nsc_nl_set_rcvtimeo(struct nsc_nl *nl, int timeout_ms)
{
	struct timeval tv = {
		.tv_sec = timeout_ms / 1000,
		.tv_usec = (timeout_ms % 1000) * 1000,
	};

	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -errno;
	return 0;
}

/* nsc_nl_recv_reply(), received as o (may be NULL) says. */
static int nsc_nl_recv_reply_opts(struct nsc_nl *nl, uint32_t seq,
				  nsc_msg_cb cb, void *arg,
				  struct nsc_recv_opts *o)
{
	size_t bufsz = o && o->bufsz ? o->bufsz : NSC_RECV_BUF;
	int cb_err = 0;
	char *buf;
	ssize_t n;
	int ret;

	if (o)
		o->parts = 0;
	buf = malloc(bufsz);
	if (!buf)
		return -ENOMEM;

	for (;;) {
		struct nlmsghdr *h;
		bool ours = false;
		int len;

		if (o && o->parts && o->pause_ms)
			nsc_sleep_ms(o->pause_ms);
		n = nsc_nl_recv(nl, buf, bufsz);
		if (n < 0) {
			ret = n;
			goto out;
		}
		len = n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			/* Skip notifications and stale answers. */
			if (h->nlmsg_seq != seq || h->nlmsg_pid != nl->portid)
				continue;
			if (o && !ours)
				o->parts++;
			ours = true;
			if (h->nlmsg_type == NLMSG_ERROR) {
				ret = nsc_handle_error(nl, h);
				goto out;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				ret = nsc_handle_done(nl, h);
				goto out;
			}
			if (cb && !cb_err) {
				int r = cb(h, arg);

				if (r < 0)
					cb_err = r;
			}
		}
	}
out:
	free(buf);
	return ret ? ret : cb_err;
}

int nsc_nl_recv_reply(struct nsc_nl *nl, uint32_t seq, nsc_msg_cb cb,
		      void *arg)
{
	return nsc_nl_recv_reply_opts(nl, seq, cb, arg, NULL);
}

static int nsc_nl_talk_opts(struct nsc_nl *nl, struct nsc_msg *req,
			    nsc_msg_cb cb, void *arg, struct nsc_recv_opts *o)
{
	uint32_t seq = nsc_nl_prepare(nl, req);
	ssize_t n;

	n = send(nl->fd, &req->nlh, req->nlh.nlmsg_len, 0);
	if (n < 0)
		return -errno;
	if (n != (ssize_t)req->nlh.nlmsg_len)
		return -EIO;
	return nsc_nl_recv_reply_opts(nl, seq, cb, arg, o);
}

int nsc_nl_talk(struct nsc_nl *nl, struct nsc_msg *req, nsc_msg_cb cb,
		void *arg)
{
	return nsc_nl_talk_opts(nl, req, cb, arg, NULL);
}

/* msg (with iov) for len bytes at buf and clen of control data at cbuf. */
static void nsc_msghdr_init(struct msghdr *msg, struct iovec *iov, void *buf,
			    size_t len, void *cbuf, size_t clen)
{
	iov->iov_base = buf;
	iov->iov_len = len;
	memset(msg, 0, sizeof(*msg));
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_control = cbuf;
	msg->msg_controllen = clen;
}

/*
 * recvmsg() one datagram without waiting; *nsid gets the nsid of its
 * NETLINK_LISTEN_ALL_NSID control message, NSC_NO_NSID if there is none.
 */
static ssize_t nsc_recv_nsid(int fd, void *buf, size_t len, int *nsid)
{
	/* Only the nsid is asked for; room for more, MSG_CTRUNC if not. */
	char cbuf[CMSG_SPACE(sizeof(int)) * 4] = {};
	struct cmsghdr *cmsg;
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	nsc_msghdr_init(&msg, &iov, buf, len, cbuf, sizeof(cbuf));
	*nsid = NSC_NO_NSID;
	do {
		n = recvmsg(fd, &msg, MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return -EMSGSIZE;
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg))
		if (cmsg->cmsg_level == SOL_NETLINK &&
		    cmsg->cmsg_type == NETLINK_LISTEN_ALL_NSID &&
		    cmsg->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(nsid, CMSG_DATA(cmsg), sizeof(int));
	return n;
}

int nsc_nl_wait_dgram(int fd, int timeout_ms, nsc_dgram_cb cb, void *arg)
{
	uint64_t end = nsc_now_ms() + timeout_ms;
	int ret = 0;
	char *buf;

	buf = malloc(NSC_RECV_BUF);
	if (!buf)
		return -ENOMEM;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = nsc_now_ms();
		ssize_t n;
		int nsid;

		if (now >= end)
			break;
		n = poll(&pfd, 1, (int)(end - now));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		n = nsc_recv_nsid(fd, buf, NSC_RECV_BUF, &nsid);
		if (n == -EAGAIN)
			continue;
		if (n < 0) {
			ret = n;
			break;
		}
		ret = cb(buf, n, nsid, arg);
		if (ret)
			break;
	}
	free(buf);
	return ret;
}

struct nsc_notify_walk {
	nsc_notify_cb cb;
	void *arg;
};

/* An nsc_dgram_cb: each netlink message of the datagram to w->cb. */
static int nsc_notify_walk_cb(const void *buf, size_t len, int nsid,
			      void *arg)
{
	const struct nsc_notify_walk *w = arg;
	const struct nlmsghdr *h;
	int left = len, ret;

	for (h = buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		ret = w->cb(h, nsid, w->arg);
		if (ret)
			return ret;
	}
	return 0;
}

int nsc_nl_wait_notify(struct nsc_nl *nl, int timeout_ms, nsc_notify_cb cb,
		       void *arg)
{
	struct nsc_notify_walk w = { .cb = cb, .arg = arg };

	return nsc_nl_wait_dgram(nl->fd, timeout_ms, nsc_notify_walk_cb, &w);
}

struct nsc_match {
	nsc_msg_cb match;
	void *arg;
};

/* An nsc_notify_cb for nsc_nl_wait_msg(): the nsid does not matter. */
static int nsc_match_cb(const struct nlmsghdr *h, int nsid, void *arg)
{
	const struct nsc_match *m = arg;

	(void)nsid;
	return m->match(h, m->arg);
}

int nsc_nl_wait_msg(struct nsc_nl *nl, int timeout_ms, nsc_msg_cb match,
		    void *arg)
{
	struct nsc_match m = { .match = match, .arg = arg };

	return nsc_nl_wait_notify(nl, timeout_ms, nsc_match_cb, &m);
}

/* ------------------------------------------------------------------ */
/* links                                                               */
/* ------------------------------------------------------------------ */

static void nsc_put_ns_attr(struct nsc_msg *m, uint16_t ns_attr,
			    uint32_t ns_val)
{
	if (ns_attr)
		nsc_attr_put_u32(m, ns_attr, ns_val);
}

int nsc_link_add(struct nsc_nl *nl, const char *name, const char *kind,
		 uint16_t ns_attr, uint32_t ns_val)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *li;
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi,
		     sizeof(ifi));
	nsc_attr_put_str(&m, IFLA_IFNAME, name);
	nsc_put_ns_attr(&m, ns_attr, ns_val);
	li = nsc_nest_start(&m, IFLA_LINKINFO);
	nsc_attr_put_str(&m, IFLA_INFO_KIND, kind);
	nsc_nest_end(&m, li);
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

int nsc_dummy_add(struct nsc_nl *nl, const char *name)
{
	int err;

	err = nsc_link_add(nl, name, "dummy", 0, 0);
	if (err == -EOPNOTSUPP)
		err = nsc_link_add(nl, name, "bridge", 0, 0);
	return err;
}

int nsc_veth_add(struct nsc_nl *nl, const char *name, const char *peer,
		 uint16_t peer_ns_attr, uint32_t peer_ns_val)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *li, *data, *pinfo;
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi,
		     sizeof(ifi));
	nsc_attr_put_str(&m, IFLA_IFNAME, name);
	li = nsc_nest_start(&m, IFLA_LINKINFO);
	nsc_attr_put_str(&m, IFLA_INFO_KIND, "veth");
	data = nsc_nest_start(&m, IFLA_INFO_DATA);
	pinfo = nsc_nest_start(&m, VETH_INFO_PEER);
	/* VETH_INFO_PEER carries a struct ifinfomsg followed by IFLA_* */
	nsc_msg_put_raw(&m, &ifi, sizeof(ifi));
	nsc_attr_put_str(&m, IFLA_IFNAME, peer);
	nsc_put_ns_attr(&m, peer_ns_attr, peer_ns_val);
	nsc_nest_end(&m, pinfo);
	nsc_nest_end(&m, data);
	nsc_nest_end(&m, li);
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

int nsc_link_del(struct nsc_nl *nl, int ifindex)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
	};
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_DELLINK, 0, &ifi, sizeof(ifi));
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

int nsc_link_set_up(struct nsc_nl *nl, int ifindex, bool up)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
		.ifi_flags = up ? IFF_UP : 0,
		.ifi_change = IFF_UP,
	};
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_SETLINK, 0, &ifi, sizeof(ifi));
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

int nsc_link_set_master(struct nsc_nl *nl, int ifindex, int master)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
	};
	struct nsc_msg m;

	nsc_msg_init(&m, RTM_SETLINK, 0, &ifi, sizeof(ifi));
	nsc_attr_put_u32(&m, IFLA_MASTER, master);
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

int nsc_addr_add(struct nsc_nl *nl, int ifindex, const char *addr,
		 int prefixlen, uint32_t flags)
{
	struct ifaddrmsg ifa = {
		.ifa_prefixlen = prefixlen,
		.ifa_flags = flags & 0xff,
		.ifa_index = ifindex,
	};
	unsigned char bin[sizeof(struct in6_addr)];
	size_t len;
	struct nsc_msg m;

	ifa.ifa_family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(ifa.ifa_family, addr, bin) != 1)
		return -EINVAL;
	len = ifa.ifa_family == AF_INET6 ? sizeof(struct in6_addr) :
					   sizeof(struct in_addr);
	nsc_msg_init(&m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa,
		     sizeof(ifa));
	nsc_attr_put(&m, IFA_LOCAL, bin, len);
	nsc_attr_put(&m, IFA_ADDRESS, bin, len);
	nsc_attr_put_u32(&m, IFA_FLAGS, flags);
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

void nsc_link_set_netns_msg(struct nsc_msg *m, int ifindex,
			    uint16_t ns_attr, uint32_t ns_val,
			    const char *newname, int new_ifindex)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
	};

	nsc_msg_init(m, RTM_SETLINK, 0, &ifi, sizeof(ifi));
	nsc_put_ns_attr(m, ns_attr, ns_val);
	if (newname)
		nsc_attr_put_str(m, IFLA_IFNAME, newname);
	if (new_ifindex)
		nsc_attr_put_s32(m, IFLA_NEW_IFINDEX, new_ifindex);
}

int nsc_link_set_netns(struct nsc_nl *nl, int ifindex, uint16_t ns_attr,
		       uint32_t ns_val, const char *newname, int new_ifindex)
{
	struct nsc_msg m;

	nsc_link_set_netns_msg(&m, ifindex, ns_attr, ns_val, newname,
			       new_ifindex);
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

static void nsc_link_parse(const struct nlmsghdr *h, struct nsc_link *l)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct nlattr *tb[IFLA_MAX + 1];

	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->link_netnsid = NSC_NO_NSID;
	l->target_netnsid = NSC_NO_NSID;
	nsc_parse_msg(tb, IFLA_MAX, h, sizeof(*ifi));
	if (tb[IFLA_IFNAME])
		snprintf(l->name, sizeof(l->name), "%s",
			 nsc_attr_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_LINK])
		l->link = nsc_attr_s32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		l->link_netnsid = nsc_attr_s32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_TARGET_NETNSID])
		l->target_netnsid = nsc_attr_s32(tb[IFLA_TARGET_NETNSID]);
}

struct nsc_link_collect {
	struct nsc_link *links;
	int max;
	int n;
};

static int nsc_link_collect_cb(const struct nlmsghdr *h, void *arg)
{
	struct nsc_link_collect *c = arg;

	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (c->n < c->max)
		nsc_link_parse(h, &c->links[c->n]);
	c->n++;
	return 0;
}

int nsc_link_get(struct nsc_nl *nl, const char *name, int ifindex,
		 struct nsc_link *out)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
	};
	struct nsc_link tmp;
	struct nsc_link_collect c = {
		.links = out ? out : &tmp,
		.max = 1,
	};
	struct nsc_msg m;
	int err;

	nsc_msg_init(&m, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	if (name)
		nsc_attr_put_str(&m, IFLA_IFNAME, name);
	err = nsc_nl_talk(nl, &m, nsc_link_collect_cb, &c);
	if (err)
		return err;
	return c.n == 1 ? 0 : -EBADMSG;
}

int nsc_link_index(struct nsc_nl *nl, const char *name)
{
	struct nsc_link l;
	int err;

	err = nsc_link_get(nl, name, 0, &l);
	return err ? err : l.ifindex;
}

int nsc_link_dump(struct nsc_nl *nl, int target_nsid, struct nsc_link *links,
		  int max)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nsc_link_collect c = { .links = links, .max = max };
	struct nsc_msg m;
	int err;

	nsc_msg_init(&m, RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof(ifi));
	if (target_nsid != NSC_NO_NSID)
		nsc_attr_put_s32(&m, IFLA_TARGET_NETNSID, target_nsid);
	err = nsc_nl_talk(nl, &m, nsc_link_collect_cb, &c);
	return err ? err : c.n;
}

int nsc_link_dump_has(struct nsc_nl *nl, const char *name)
{
	struct nsc_link links[64];
	int n, i;

	n = nsc_link_dump(nl, NSC_NO_NSID, links, 64);
	if (n < 0)
		return n;
	if (n > 64)
		return -E2BIG;
	for (i = 0; i < n; i++)
		if (!strcmp(links[i].name, name))
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* nsid                                                                */
/* ------------------------------------------------------------------ */

void nsc_nsid_new_msg(struct nsc_msg *m, uint16_t ref_attr, uint32_t ref,
		      int nsid)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };

	nsc_msg_init(m, RTM_NEWNSID, 0, &g, sizeof(g));
	nsc_attr_put_s32(m, NETNSA_NSID, nsid);
	nsc_attr_put_u32(m, ref_attr, ref);
}

int nsc_nsid_new(struct nsc_nl *nl, uint16_t ref_attr, uint32_t ref,
		 int nsid)
{
	struct nsc_msg m;

	nsc_nsid_new_msg(&m, ref_attr, ref, nsid);
	return nsc_nl_talk(nl, &m, NULL, NULL);
}

struct nsc_nsid_collect {
	struct nsc_nsid_entry *ents;
	int max;
	int n;
};

static int nsc_nsid_collect_cb(const struct nlmsghdr *h, void *arg)
{
	struct nsc_nsid_collect *c = arg;
	struct nlattr *tb[NETNSA_MAX + 1];
	struct nsc_nsid_entry *e;

	if (h->nlmsg_type != RTM_NEWNSID)
		return 0;
	nsc_parse_msg(tb, NETNSA_MAX, h, sizeof(struct rtgenmsg));
	if (c->n < c->max) {
		e = &c->ents[c->n];
		e->nsid = tb[NETNSA_NSID] ? nsc_attr_s32(tb[NETNSA_NSID]) :
					    NSC_NO_NSID;
		e->current_nsid = tb[NETNSA_CURRENT_NSID] ?
			nsc_attr_s32(tb[NETNSA_CURRENT_NSID]) : NSC_NO_NSID;
	}
	c->n++;
	return 0;
}

int nsc_nsid_get(struct nsc_nl *nl, uint16_t ref_attr, uint32_t ref,
		 int target_nsid, int *nsid, int *current_nsid)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsc_nsid_entry e;
	struct nsc_nsid_collect c = { .ents = &e, .max = 1 };
	struct nsc_msg m;
	int err;

	nsc_msg_init(&m, RTM_GETNSID, 0, &g, sizeof(g));
	nsc_attr_put_u32(&m, ref_attr, ref);
	if (target_nsid != NSC_NO_NSID)
		nsc_attr_put_s32(&m, NETNSA_TARGET_NSID, target_nsid);
	err = nsc_nl_talk(nl, &m, nsc_nsid_collect_cb, &c);
	if (err)
		return err;
	if (c.n != 1)
		return -EBADMSG;
	*nsid = e.nsid;
	if (current_nsid)
		*current_nsid = e.current_nsid;
	return 0;
}

int nsc_nsid_dump_opts(struct nsc_nl *nl, int target_nsid,
		       struct nsc_nsid_entry *ents, int max,
		       struct nsc_recv_opts *opts)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsc_nsid_collect c = { .ents = ents, .max = max };
	struct nsc_msg m;
	int err;

	nsc_msg_init(&m, RTM_GETNSID, NLM_F_DUMP, &g, sizeof(g));
	if (target_nsid != NSC_NO_NSID)
		nsc_attr_put_s32(&m, NETNSA_TARGET_NSID, target_nsid);
	err = nsc_nl_talk_opts(nl, &m, nsc_nsid_collect_cb, &c, opts);
	return err ? err : c.n;
}

int nsc_nsid_dump(struct nsc_nl *nl, int target_nsid,
		  struct nsc_nsid_entry *ents, int max)
{
	return nsc_nsid_dump_opts(nl, target_nsid, ents, max, NULL);
}

/* ------------------------------------------------------------------ */
/* namespaces                                                          */
/* ------------------------------------------------------------------ */

int nsc_netns_self(void)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int nsc_netns_enter(int nsfd)
{
	return setns(nsfd, CLONE_NEWNET) ? -errno : 0;
}

int nsc_netns_new(void)
{
	int self, fd, err;

	self = nsc_netns_self();
	if (self < 0)
		return self;
	if (unshare(CLONE_NEWNET)) {
		err = -errno;
		close(self);
		return err;
	}
	fd = nsc_netns_self();
	err = nsc_netns_enter(self);
	close(self);
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	return fd;
}

int nsc_socket_in(int nsfd, int domain, int type, int protocol)
{
	int self, err, sk;

	self = nsc_netns_self();
	if (self < 0)
		return self;
	err = nsc_netns_enter(nsfd);
	if (err) {
		close(self);
		return err;
	}
	sk = socket(domain, type, protocol);
	if (sk < 0)
		sk = -errno;
	err = nsc_netns_enter(self);
	close(self);
	if (err) {
		if (sk >= 0)
			close(sk);
		return err;
	}
	return sk;
}

ino_t nsc_fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

ino_t nsc_path_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

ino_t nsc_netns_ino(void)
{
	return nsc_path_ino("/proc/thread-self/ns/net");
}

int nsc_sock_cookie(int sock, uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);

	if (getsockopt(sock, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len))
		return -errno;
	return len == sizeof(*cookie) ? 0 : -EINVAL;
}

int nsc_netns_cookie(uint64_t *cookie)
{
	int sock, err;

	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	err = nsc_sock_cookie(sock, cookie);
	close(sock);
	return err;
}

int nsc_userns_enter_root(void)
{
	int err;

	if (unshare(CLONE_NEWUSER))
		return -errno;
	err = nsc_write_file("/proc/self/setgroups", "deny");
	if (!err)
		err = nsc_write_file("/proc/self/uid_map", "0 0 1");
	if (!err)
		err = nsc_write_file("/proc/self/gid_map", "0 0 1");
	return err;
}

int nsc_userns_limit_enter(int limit)
{
	int err;

	err = nsc_userns_enter_root();
	if (err)
		return err;
	err = nsc_write_long(NSC_MAX_NETNS_SYSCTL, limit);
	if (err)
		return err;
	if (unshare(CLONE_NEWNET))
		return -errno;
	return nsc_netns_self();
}

int nsc_netns_expect_available(int expect, int timeout_ms, int *got)
{
	uint64_t end = nsc_now_ms() + timeout_ms;
	int fds[NSC_MAX_EXPECT];
	int n = 0, fd, i, ret = 0;

	if (expect < 0 || expect > NSC_MAX_EXPECT)
		return -EINVAL;
	while (n < expect) {
		fd = nsc_netns_new();
		if (fd >= 0) {
			fds[n++] = fd;
			continue;
		}
		if (fd != -ENOSPC) {
			ret = fd;
			goto out;
		}
		/* Released namespaces return their count asynchronously. */
		if (nsc_now_ms() >= end) {
			ret = -ETIMEDOUT;
			goto out;
		}
		nsc_sleep_ms(NSC_POLL_INTERVAL_MS);
	}
	/* Exactly expect: one more must hit the limit. */
	fd = nsc_netns_new();
	if (fd >= 0) {
		close(fd);
		ret = -EEXIST;
	} else if (fd != -ENOSPC) {
		ret = fd;
	}
out:
	if (got)
		*got = ret == -EEXIST ? n + 1 : n;
	for (i = 0; i < n; i++)
		close(fds[i]);
	return ret;
}

int nsc_drop_to_uid(uid_t uid, gid_t gid)
{
	/* Leaving uid 0 clears the permitted and effective capabilities. */
	if (syscall(SYS_setgroups, 0, NULL) ||
	    syscall(SYS_setresgid, gid, gid, gid) ||
	    syscall(SYS_setresuid, uid, uid, uid))
		return -errno;
	return 0;
}

int nsc_drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	int i;

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	i = CAP_TO_INDEX(cap);
	data[i].effective &= ~CAP_TO_MASK(cap);
	data[i].permitted &= ~CAP_TO_MASK(cap);
	data[i].inheritable &= ~CAP_TO_MASK(cap);
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/* ------------------------------------------------------------------ */
/* processes                                                           */
/* ------------------------------------------------------------------ */

static ssize_t nsc_read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

static int nsc_wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 256 + WTERMSIG(status);
	return -ECHILD;
}

int nsc_child_start(struct nsc_child *c, int unshare_flags,
		    nsc_child_fn setup, void *arg)
{
	int ready[2];
	int rc = 0;
	ssize_t n;

	c->pid = -1;
	if (pipe2(ready, O_CLOEXEC))
		return -errno;

	c->pid = fork();
	if (c->pid < 0) {
		rc = -errno;
		close(ready[0]);
		close(ready[1]);
		return rc;
	}
	if (c->pid == 0) {
		close(ready[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare_flags && unshare(unshare_flags))
			rc = errno;
		if (!rc && setup)
			rc = setup(arg);
		if (write(ready[1], &rc, sizeof(rc)) != sizeof(rc) || rc)
			_exit(1);
		close(ready[1]);
		/* Stay alive until nsc_child_stop() kills us. */
		for (;;)
			pause();
	}

	close(ready[1]);
	n = nsc_read_full(ready[0], &rc, sizeof(rc));
	close(ready[0]);
	if (n != sizeof(rc) || rc) {
		nsc_child_stop(c);
		return rc > 0 ? -rc : -EIO;
	}
	return 0;
}

int nsc_child_enter_netns(void *arg)
{
	return setns(*(int *)arg, CLONE_NEWNET) ? errno : 0;
}

int nsc_child_stop(struct nsc_child *c)
{
	int ret;

	if (c->pid <= 0)
		return -ECHILD;
	kill(c->pid, SIGKILL);
	ret = nsc_wait_status(c->pid);
	c->pid = -1;
	/* Killed by us as expected: success; anything else: premature exit. */
	return ret == 256 + SIGKILL ? 0 : (ret ? ret : -ECHILD);
}

int nsc_run_child(nsc_child_fn fn, void *arg)
{
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		_exit(fn(arg) & 0xff);
	}
	return nsc_wait_status(pid);
}

void *nsc_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void nsc_shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

int nsc_send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	char byte = 'F';
	struct cmsghdr *cmsg;
	struct msghdr msg;
	struct iovec iov;

	nsc_msghdr_init(&msg, &iov, &byte, 1, cbuf, sizeof(cbuf));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

int nsc_recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct cmsghdr *cmsg;
	struct msghdr msg;
	struct iovec iov;
	char byte;
	ssize_t n;
	int fd;

	nsc_msghdr_init(&msg, &iov, &byte, 1, cbuf, sizeof(cbuf));
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -errno;
	if (n != 1)
		return -EIO;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_level != SOL_SOCKET ||
	    cmsg->cmsg_type != SCM_RIGHTS)
		return -EBADMSG;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

int nsc_pidfd_open(pid_t pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);

	return fd < 0 ? -errno : fd;
}

/* ------------------------------------------------------------------ */
/* files, time                                                         */
/* ------------------------------------------------------------------ */

ssize_t nsc_read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = nsc_read_full(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n;
}

int nsc_write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

int nsc_split_lines(char *buf, char **lines, int max)
{
	char *save, *l;
	int n = 0;

	for (l = strtok_r(buf, "\n", &save); l && n < max;
	     l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	return n;
}

int nsc_read_long(const char *path, long *val)
{
	char buf[64], *end;
	ssize_t n;

	n = nsc_read_file(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	errno = 0;
	*val = strtol(buf, &end, 10);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

int nsc_write_long(const char *path, long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", val);
	return nsc_write_file(path, buf);
}

int nsc_proc_net_dev_has(const char *path, const char *ifname)
{
	char line[512];
	size_t nlen = strlen(ifname);
	int found = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *p = line;

		while (*p == ' ')
			p++;
		if (!strncmp(p, ifname, nlen) && p[nlen] == ':') {
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

const char *nsc_errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
#define NSC_E(e) { e, #e }
		NSC_E(EPERM), NSC_E(ENOENT), NSC_E(ESRCH), NSC_E(EINTR),
		NSC_E(EIO), NSC_E(E2BIG), NSC_E(EBADF), NSC_E(ECHILD),
		NSC_E(EAGAIN), NSC_E(ENOMEM), NSC_E(EACCES), NSC_E(EFAULT),
		NSC_E(EBUSY), NSC_E(EEXIST), NSC_E(ENODEV), NSC_E(EINVAL),
		NSC_E(ENFILE), NSC_E(EMFILE), NSC_E(ENOSPC), NSC_E(ERANGE),
		NSC_E(ENOSYS), NSC_E(EBADMSG), NSC_E(EOPNOTSUPP),
		NSC_E(ENOBUFS), NSC_E(EADDRINUSE), NSC_E(EADDRNOTAVAIL),
		NSC_E(ENETDOWN), NSC_E(ENETUNREACH), NSC_E(ECONNREFUSED),
		NSC_E(ECONNRESET), NSC_E(ETIMEDOUT), NSC_E(EMSGSIZE),
		NSC_E(EAFNOSUPPORT), NSC_E(EPROTONOSUPPORT), NSC_E(ENOTCONN),
		NSC_E(ENOTTY), NSC_E(ENXIO), NSC_E(EPIPE),
#undef NSC_E
	};
	static char buf[16];
	unsigned int i;

	if (err < 0)
		err = -err;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

void nsc_errno_hist_add(struct nsc_errno_hist *h, int err)
{
	if (err < 0)
		err = -err;
	__atomic_fetch_add(&h->n[err < NSC_HIST_ERRNO_MAX ? err : 0], 1,
			   __ATOMIC_RELAXED);
}

const char *nsc_errno_hist_str(const struct nsc_errno_hist *h, char *buf,
			       size_t len)
{
	size_t used = 0;
	int e;

	for (e = 0; e < NSC_HIST_ERRNO_MAX; e++) {
		if (!h->n[e])
			continue;
		used += snprintf(buf + used, len - used, "%s%s:%ld",
				 used ? "," : "",
				 e ? nsc_errno_name(e) : "other", h->n[e]);
		if (used >= len)
			break;
	}
	if (!used)
		snprintf(buf, len, "none");
	return buf;
}

int nsc_env_seconds(const char *name, int def)
{
	const char *s = getenv(name);
	long v;

	if (!s || !*s)
		return def;
	v = strtol(s, NULL, 10);
	return v > 0 && v < 3600 ? (int)v : def;
}

uint64_t nsc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void nsc_sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ------------------------------------------------------------------ */
/* kernel log, slabs, tracefs                                          */
/* ------------------------------------------------------------------ */

int nsc_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

ssize_t nsc_kmsg_read(int fd, char *buf, size_t len)
{
	/* A record is at most a little over 1 KiB (PRINTKRB_RECORD_MAX). */
	char rec[8192], *text, *end;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;	/* EPIPE: overwritten, go on */
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		rec[n] = '\0';
		/* "prio,seq,usec,flags[,...];text\n[ KEY=value\n]..." */
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		if (!*text || !len)
			continue;	/* 0 means "no more" */
		snprintf(buf, len, "%s", text);
		return strlen(buf);
	}
}

int nsc_kmsg_write(const char *line)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "<4>%s\n", line);
	return nsc_write_file("/dev/kmsg", buf);
}

/*
 * The first number after "@key " at the start of a line of @path, or
 * -errno (-ENOENT without such a line).
 */
static long nsc_file_key_long(const char *path, const char *key)
{
	size_t len = strlen(key);
	long value = -ENOENT;
	char line[512];
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, len) || line[len] != ' ')
			continue;
		if (sscanf(line + len, "%ld", &value) != 1)
			value = -EINVAL;
		break;
	}
	fclose(f);
	return value;
}

long nsc_slab_objs(const char *cache)
{
	return nsc_file_key_long("/proc/slabinfo", cache);
}

/* Does a slub_debug cache list ("a,b,c*") name cache? */
static bool nsc_slab_list_has(const char *list, const char *cache)
{
	char buf[512], *tok, *save;
	size_t n;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		n = strlen(tok);
		if (n && tok[n - 1] == '*') {
			if (!strncmp(tok, cache, n - 1))
				return true;
		} else if (!strcmp(tok, cache)) {
			return true;
		}
	}
	return false;
}

bool nsc_slab_exact(const char *cache)
{
	char cmd[4096], blk[512], *tok, *save, *bsave, *b, *comma;
	bool nomerge = false, debug = false;

	if (nsc_read_file("/proc/cmdline", cmd, sizeof(cmd)) < 0)
		return false;
	for (tok = strtok_r(cmd, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strcmp(tok, "--"))
			break;
		if (!strcmp(tok, "slab_nomerge") || !strcmp(tok, "slub_nomerge"))
			nomerge = true;
		if (!strcmp(tok, "slub_debug") || !strcmp(tok, "slab_debug")) {
			debug = true;
			continue;
		}
		if (strncmp(tok, "slub_debug=", 11) &&
		    strncmp(tok, "slab_debug=", 11))
			continue;
		snprintf(blk, sizeof(blk), "%s", tok + 11);
		for (b = strtok_r(blk, ";", &bsave); b;
		     b = strtok_r(NULL, ";", &bsave)) {
			comma = strchr(b, ',');
			if (!comma) {
				/* Flags for every cache; "-": debugging off. */
				if (b[0] != '-')
					debug = true;
			} else if (b[0] != '-' &&
				   nsc_slab_list_has(comma + 1, cache)) {
				debug = true;
			}
		}
	}
	return nomerge && debug;
}

int nsc_kernel_has_kasan(void)
{
	char line[256], sym[200];
	int found = 0, any = 0;
	FILE *f;

	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return -errno;
	/* "address type name [module]"; kasan_report() is in every mode. */
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %199s", sym) != 1)
			continue;
		any = 1;
		found = !strcmp(sym, "kasan_report");
	}
	fclose(f);
	return any ? found : -ENOENT;
}

int nsc_tracefs_ready(void)
{
	if (!access(NSC_TRACEFS "/events/netns/enable", W_OK))
		return 0;
	mount("tracefs", NSC_TRACEFS, "tracefs", 0, NULL);
	return access(NSC_TRACEFS "/events/netns/enable", W_OK) ? -errno : 0;
}

int nsc_trace_find(char **lines, int n, int after, const char *event,
		   const char *match)
{
	char tag[64];
	int i;

	snprintf(tag, sizeof(tag), " %s: ", event);
	for (i = after + 1; i < n; i++)
		if (strstr(lines[i], tag) && (!match || strstr(lines[i], match)))
			return i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* the core's debugfs view                                             */
/* ------------------------------------------------------------------ */

const char * const nsc_view_states[NSC_NR_STATES] = {
	[NSC_ALIVE]	= "alive",
	[NSC_QUEUED]	= "queued",
	[NSC_EXITING]	= "exiting",
	[NSC_EXITED]	= "exited",
	[NSC_LINGERING]	= "lingering",
	[NSC_LEAKED]	= "leaked",
};

int nsc_view_state_rank(const char *state)
{
	int i;

	for (i = 0; i < NSC_NR_STATES; i++)
		if (!strcmp(state, nsc_view_states[i]))
			return i;
	return -1;
}

int nsc_view_parse(const char *line, struct nsc_view_ns *v)
{
	int n = sscanf(line, "%lu %llu %15s %u %u %d %d %d %d %u %u %u %llu %llu",
		       &v->inum, &v->cookie, v->state, &v->count, &v->passive,
		       &v->sock, &v->dev, &v->neigh, &v->other, &v->owner,
		       &v->ids, &v->named, &v->age_ms, &v->state_ms);

	return n == 14 ? 0 : -EINVAL;
}

int nsc_view_find(unsigned long inum, uint64_t cookie, struct nsc_view_ns *v)
{
	char line[256];
	int found = 0;
	FILE *f;

	f = fopen(NSC_VIEW, "r");
	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		struct nsc_view_ns cur;

		if (nsc_view_parse(line, &cur))
			continue;
		if (cur.inum == inum && cur.cookie == cookie) {
			*v = cur;
			found = 1;
		}
	}
	fclose(f);
	return found;
}

int nsc_view_list(struct nsc_view_ns *v, int max)
{
	struct nsc_view_ns cur;
	char line[256];
	int n = 0;
	FILE *f;

	f = fopen(NSC_VIEW, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (nsc_view_parse(line, &cur))
			continue;
		if (n < max)
			v[n] = cur;
		n++;
	}
	fclose(f);
	return n;
}

int nsc_view_wait_gone(unsigned long inum, uint64_t cookie, int timeout_ms,
		       unsigned int *seen, struct nsc_view_ns *last)
{
	uint64_t end = nsc_now_ms() + timeout_ms;
	struct nsc_view_ns v;
	int found, r;

	if (seen)
		*seen = 0;
	for (;;) {
		found = nsc_view_find(inum, cookie, &v);
		if (found <= 0)
			return found < 0 ? found : 1;
		r = nsc_view_state_rank(v.state);
		if (seen && r >= 0)
			*seen |= 1u << r;
		if (last)
			*last = v;
		if (nsc_now_ms() >= end)
			return 0;
		nsc_sleep_ms(NSC_POLL_INTERVAL_MS);
	}
}

long nsc_view_state_count(const char *state)
{
	return nsc_file_key_long(NSC_SUMMARY, state);
}

int nsc_fd_cookie(int fd, uint64_t *cookie)
{
	int home = nsc_netns_self(), err;

	if (home < 0)
		return home;
	err = nsc_netns_enter(fd);
	if (!err)
		err = nsc_netns_cookie(cookie);
	if (nsc_netns_enter(home))
		err = -EIO;
	close(home);
	return err;
}
