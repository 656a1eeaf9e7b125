// SPDX-License-Identifier: GPL-2.0
/*
 * In-tree walkers of the namespace list, driven from userspace.
 *
 * Attaching a BPF flow dissector to the initial namespace walks every other
 * namespace (for_each_net()) and is refused while any of them has one.  In
 * a lockdep kernel the walk also checks its lock rule, so this test fails
 * through the console scan if the walk runs without net_rwsem.  A namespace
 * that dies releases its flow dissector in its pre_exit stage: the link
 * then reports no namespace, and the initial namespace may attach again.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#include "kselftest_harness.h"
#include "netns_util.h"

/* Namespaces created before the one with the program, to walk past. */
#define NR_BYSTANDERS	32
/* How long a dropped namespace may take to reach pre_exit (debug kernel). */
#define DEATH_TIMEOUT_MS	30000

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* A flow dissector that accepts everything: r0 = BPF_OK; exit. */
static int load_flow_dissector(void)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = BPF_OK },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_FLOW_DISSECTOR;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = ARRAY_SIZE(insns);
	attr.license = (uintptr_t)"GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	return fd < 0 ? -errno : fd;
}

/* Attach @prog to the namespace behind @nsfd; a link fd or -errno. */
static int link_flow_dissector(int prog, int nsfd)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = prog;
	attr.link_create.target_fd = nsfd;
	attr.link_create.attach_type = BPF_FLOW_DISSECTOR;
	fd = sys_bpf(BPF_LINK_CREATE, &attr);
	return fd < 0 ? -errno : fd;
}

/* Inode of the namespace a netns link is attached to, 0 once detached. */
static int link_netns_ino(int link, uint32_t *ino)
{
	struct bpf_link_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = link;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr))
		return -errno;
	if (info.type != BPF_LINK_TYPE_NETNS)
		return -EINVAL;
	*ino = info.netns.netns_ino;
	return 0;
}

FIXTURE(flow_dissector) {
	int prog;
	int root;
	int bystanders[NR_BYSTANDERS];
	int child;
};

FIXTURE_SETUP(flow_dissector)
{
	int i;

	self->child = -1;
	for (i = 0; i < NR_BYSTANDERS; i++)
		self->bystanders[i] = -1;
	self->root = nsc_netns_self();
	ASSERT_LE(0, self->root);
	self->prog = load_flow_dissector();
	if (self->prog == -ENOSYS)
		SKIP(return, "no bpf(2) in this kernel (CONFIG_BPF_SYSCALL)");
	ASSERT_LE(0, self->prog) {
		TH_LOG("BPF_PROG_LOAD: %s", strerror(-self->prog));
	}
	for (i = 0; i < NR_BYSTANDERS; i++) {
		self->bystanders[i] = nsc_netns_new();
		ASSERT_LE(0, self->bystanders[i]);
	}
	/* Created last, so it sits behind the bystanders on the list. */
	self->child = nsc_netns_new();
	ASSERT_LE(0, self->child);
}

FIXTURE_TEARDOWN(flow_dissector)
{
	int i;

	if (self->child >= 0)
		close(self->child);
	for (i = 0; i < NR_BYSTANDERS; i++)
		if (self->bystanders[i] >= 0)
			close(self->bystanders[i]);
	if (self->prog >= 0)
		close(self->prog);
	close(self->root);
}

/* The walk from the initial namespace finds the one program behind others. */
TEST_F(flow_dissector, root_attach_walks_every_namespace)
{
	int child_link, root_link;

	child_link = link_flow_dissector(self->prog, self->child);
	ASSERT_LE(0, child_link);

	root_link = link_flow_dissector(self->prog, self->root);
	EXPECT_EQ(-EEXIST, root_link);
	if (root_link >= 0)
		close(root_link);

	/* Closing the only fd of a link detaches it. */
	close(child_link);
	root_link = link_flow_dissector(self->prog, self->root);
	ASSERT_LE(0, root_link);

	/* The other direction: the root program now blocks every child. */
	EXPECT_EQ(-EEXIST, link_flow_dissector(self->prog, self->child));
	EXPECT_EQ(-EEXIST, link_flow_dissector(self->prog,
					       self->bystanders[0]));
	close(root_link);
}

/* A dying namespace gives up its program before it leaves for good. */
TEST_F(flow_dissector, dead_namespace_releases_its_program)
{
	struct timespec start, now;
	int child_link, root_link;
	uint32_t ino;
	long ms;

	child_link = link_flow_dissector(self->prog, self->child);
	ASSERT_LE(0, child_link);
	ASSERT_EQ(0, link_netns_ino(child_link, &ino));
	ASSERT_EQ(nsc_fd_ino(self->child), ino);

	/* The link does not pin the namespace: this is its last reference. */
	close(self->child);
	self->child = -1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		ASSERT_EQ(0, link_netns_ino(child_link, &ino));
		if (!ino)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - start.tv_sec) * 1000 +
		     (now.tv_nsec - start.tv_nsec) / 1000000;
		ASSERT_GT(DEATH_TIMEOUT_MS, ms) {
			TH_LOG("link still names namespace %u", ino);
		}
		usleep(10000);
	}

	/* Nothing left on the list has a program. */
	root_link = link_flow_dissector(self->prog, self->root);
	ASSERT_LE(0, root_link);
	close(root_link);
	close(child_link);
}

TEST_HARNESS_MAIN
