// SPDX-License-Identifier: GPL-2.0
/*
 * setns(2) into network namespaces: through /proc/PID/ns/net, an nsfs bind
 * mount and a pidfd; wrong descriptor types and missing privileges.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "netns_util.h"

struct ns_ident {
	uint64_t cookie;
	ino_t ino;
};

/* Child setup: record the identity of the child's (new) netns. */
static int record_ident(void *arg)
{
	struct ns_ident *id = arg;
	int err;

	err = nsc_netns_cookie(&id->cookie);
	if (err)
		return -err;
	id->ino = nsc_netns_ino();
	return 0;
}

/* Assert that the caller is now in the netns described by id. */
#define ASSERT_IN_NETNS(id) do {					\
	const struct ns_ident *__id = (id);				\
	uint64_t __c;							\
									\
	ASSERT_EQ(__id->ino, nsc_netns_ino());				\
	ASSERT_EQ(0, nsc_netns_cookie(&__c));				\
	ASSERT_EQ(__id->cookie, __c);					\
} while (0)

/*
 * setns() through /proc/PID/ns/net lands in the child's netns (inode and
 * cookie); nstype 0 is accepted.
 */
TEST(setns_via_proc_pid_ns_net)
{
	struct nsc_child c;
	struct ns_ident *id;
	char path[64];
	int fd, self;
	ino_t i0;

	id = nsc_shared_alloc(sizeof(*id));
	ASSERT_NE(NULL, id);
	ASSERT_EQ(0, nsc_child_start(&c, CLONE_NEWNET, record_ident, id));

	i0 = nsc_netns_ino();
	self = nsc_netns_self();
	ASSERT_GE(self, 0);
	ASSERT_NE(i0, id->ino);

	snprintf(path, sizeof(path), "/proc/%d/ns/net", c.pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(id->ino, nsc_fd_ino(fd));

	ASSERT_EQ(0, setns(fd, CLONE_NEWNET));
	ASSERT_IN_NETNS(id);

	/* nstype 0 accepts any namespace type. */
	ASSERT_EQ(0, setns(self, 0));
	EXPECT_EQ(i0, nsc_netns_ino());
	ASSERT_EQ(0, setns(fd, 0));
	ASSERT_IN_NETNS(id);

	close(fd);
	close(self);
	EXPECT_EQ(0, nsc_child_stop(&c));
	nsc_shared_free(id, sizeof(*id));
}

/* A directory to mount a private tmpfs on (only in our mount namespace). */
static const char *scratch_dir(void)
{
	static const char * const dirs[] = { "/tmp", "/mnt", "/run", "/dev" };
	struct stat st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!stat(dirs[i], &st) && S_ISDIR(st.st_mode))
			return dirs[i];
	return NULL;
}

/*
 * A bind mount of /proc/PID/ns/net keeps the netns alive after the
 * process exits and can be entered; after umount it is EINVAL.
 */
TEST(setns_via_nsfs_bind_mount)
{
	struct nsc_child c;
	struct ns_ident *id;
	char src[64], file[128];
	const char *dir;
	int fd, self;

	id = nsc_shared_alloc(sizeof(*id));
	ASSERT_NE(NULL, id);

	/* All mount work happens in a private mount namespace. */
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	dir = scratch_dir();
	ASSERT_NE(NULL, dir);
	ASSERT_EQ(0, mount("nsc-tmp", dir, "tmpfs", 0, "mode=0700"));
	snprintf(file, sizeof(file), "%s/netns-A", dir);
	fd = open(file, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_GE(fd, 0);
	close(fd);

	ASSERT_EQ(0, nsc_child_start(&c, CLONE_NEWNET, record_ident, id));
	snprintf(src, sizeof(src), "/proc/%d/ns/net", c.pid);
	ASSERT_EQ(0, mount(src, file, NULL, MS_BIND, NULL));

	/* The bind mount keeps the namespace alive after its process exits. */
	ASSERT_EQ(0, nsc_child_stop(&c));
	EXPECT_EQ(id->ino, nsc_path_ino(file));

	self = nsc_netns_self();
	ASSERT_GE(self, 0);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, setns(fd, CLONE_NEWNET));
	ASSERT_IN_NETNS(id);
	ASSERT_EQ(0, nsc_netns_enter(self));
	close(fd);

	/* Unmounted, the file is a plain file again. */
	ASSERT_EQ(0, umount2(file, 0));
	EXPECT_NE(id->ino, nsc_path_ino(file));
	fd = open(file, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, setns(fd, CLONE_NEWNET));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	close(self);
	nsc_shared_free(id, sizeof(*id));
}

/* An nstype that does not match the fd's namespace: EINVAL. */
TEST(setns_wrong_nstype_einval)
{
	int uts, net;
	ino_t i0;

	i0 = nsc_netns_ino();
	uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(uts, 0);
	net = nsc_netns_new();
	ASSERT_GE(net, 0);

	/* A UTS namespace fd is not a network namespace. */
	EXPECT_EQ(-1, setns(uts, CLONE_NEWNET));
	EXPECT_EQ(EINVAL, errno);
	/* Nor is a network namespace fd a UTS or mount namespace. */
	EXPECT_EQ(-1, setns(net, CLONE_NEWUTS));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setns(net, CLONE_NEWNS));
	EXPECT_EQ(EINVAL, errno);

	EXPECT_EQ(i0, nsc_netns_ino());
	close(uts);
	close(net);
}

/* A regular file or a socket fd is EINVAL, a closed fd EBADF. */
TEST(setns_non_namespace_fd)
{
	int file, sock, bad;
	ino_t i0;

	i0 = nsc_netns_ino();
	file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(file, 0);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_GE(sock, 0);

	EXPECT_EQ(-1, setns(file, CLONE_NEWNET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setns(file, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setns(sock, CLONE_NEWNET));
	EXPECT_EQ(EINVAL, errno);

	/* A closed descriptor. */
	bad = dup(file);
	ASSERT_GE(bad, 0);
	close(bad);
	EXPECT_EQ(-1, setns(bad, CLONE_NEWNET));
	EXPECT_EQ(EBADF, errno);

	EXPECT_EQ(i0, nsc_netns_ino());
	close(file);
	close(sock);
}

/*
 * After unshare(CLONE_NEWUSER), a netns owned by the initial user
 * namespace cannot be entered (EPERM); our own ones can.
 */
TEST(setns_from_user_ns_eperm)
{
	int target, orig, own;
	ino_t i0, iown;

	/* Both owned by the initial user namespace. */
	target = nsc_netns_new();
	ASSERT_GE(target, 0);
	orig = nsc_netns_self();
	ASSERT_GE(orig, 0);
	i0 = nsc_netns_ino();

	/*
	 * Full capabilities, but only in the new user namespace: none over
	 * namespaces owned by the initial one.
	 */
	ASSERT_EQ(0, nsc_userns_enter_root());
	EXPECT_EQ(-1, setns(target, CLONE_NEWNET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(i0, nsc_netns_ino());

	/* Namespaces owned by the new user namespace can be entered... */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	own = nsc_netns_self();
	ASSERT_GE(own, 0);
	iown = nsc_netns_ino();
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_NE(iown, nsc_netns_ino());
	EXPECT_EQ(0, setns(own, CLONE_NEWNET));
	EXPECT_EQ(iown, nsc_netns_ino());

	/* ... but there is no way back into the original one. */
	EXPECT_EQ(-1, setns(orig, CLONE_NEWNET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(iown, nsc_netns_ino());
	close(own);
	close(orig);
	close(target);
}

/* setns() into a netns without CAP_SYS_ADMIN: EPERM. */
TEST(setns_without_cap_sys_admin_eperm)
{
	int target;
	ino_t i0;

	target = nsc_netns_new();
	ASSERT_GE(target, 0);
	i0 = nsc_netns_ino();

	ASSERT_EQ(0, nsc_drop_cap(CAP_SYS_ADMIN));
	EXPECT_EQ(-1, setns(target, CLONE_NEWNET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(i0, nsc_netns_ino());
	close(target);
}

/*
 * setns(pidfd, CLONE_NEWNET) switches only the netns; a pidfd with
 * nstype 0 is EINVAL.
 */
TEST(setns_via_pidfd)
{
	struct nsc_child c;
	struct ns_ident *id;
	ino_t uts0;
	int pidfd;

	id = nsc_shared_alloc(sizeof(*id));
	ASSERT_NE(NULL, id);
	ASSERT_EQ(0, nsc_child_start(&c, CLONE_NEWNET | CLONE_NEWUTS,
				     record_ident, id));

	pidfd = nsc_pidfd_open(c.pid);
	if (pidfd == -ENOSYS) {
		nsc_child_stop(&c);
		SKIP(return, "pidfd_open() not supported");
	}
	ASSERT_GE(pidfd, 0);

	/* A pidfd needs an explicit namespace type. */
	EXPECT_EQ(-1, setns(pidfd, 0));
	EXPECT_EQ(EINVAL, errno);

	/* Only the requested namespace type is switched. */
	uts0 = nsc_path_ino("/proc/thread-self/ns/uts");
	ASSERT_EQ(0, setns(pidfd, CLONE_NEWNET));
	ASSERT_IN_NETNS(id);
	EXPECT_EQ(uts0, nsc_path_ino("/proc/thread-self/ns/uts"));

	close(pidfd);
	EXPECT_EQ(0, nsc_child_stop(&c));
	nsc_shared_free(id, sizeof(*id));
}

/* Sockets keep their netns across setns(). */
TEST(setns_keeps_existing_sockets)
{
	uint64_t ca, cb, c;
	int sa, sb, nsb;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsc_netns_cookie(&ca));
	sa = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_GE(sa, 0);

	nsb = nsc_netns_new();
	ASSERT_GE(nsb, 0);
	ASSERT_EQ(0, setns(nsb, CLONE_NEWNET));
	ASSERT_EQ(0, nsc_netns_cookie(&cb));
	ASSERT_NE(ca, cb);

	/* Sockets stay in the namespace they were created in. */
	ASSERT_EQ(0, nsc_sock_cookie(sa, &c));
	EXPECT_EQ(ca, c);
	sb = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_GE(sb, 0);
	ASSERT_EQ(0, nsc_sock_cookie(sb, &c));
	EXPECT_EQ(cb, c);
	close(sa);
	close(sb);
	close(nsb);
}

TEST_HARNESS_MAIN
