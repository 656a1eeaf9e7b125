// SPDX-License-Identifier: GPL-2.0
/*
 * netns-pin - show that a socket alone keeps a network namespace alive.
 *
 * Creates a namespace with one end of a veth pair in it (the other end,
 * pin-out, in the caller's namespace), opens a socket there and leaves:
 * no process is in the namespace and no mount names it, yet it lives, as
 * SIOCGSKNS on the socket proves. Closing the socket drops the last
 * reference; the namespace is torn down, its veth end destroyed, and
 * pin-out disappears with it. Exit status 0 when all of that was seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

static int fail(const char *what)
{
	fprintf(stderr, "netns-pin: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(void)
{
	struct timespec t0, t1;
	struct stat st;
	int orig, sock, nsfd, i;
	char cmd[128];

	orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return fail("open /proc/self/ns/net");
	if (unshare(CLONE_NEWNET))
		return fail("unshare(CLONE_NEWNET)");
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return fail("socket");
	snprintf(cmd, sizeof(cmd),
		 "/usr/sbin/ip link add pin-in type veth peer name pin-out netns %d",
		 getppid());
	if (system(cmd))
		return fail("creating the veth pair");
	if (setns(orig, CLONE_NEWNET))
		return fail("setns back");
	close(orig);

	nsfd = ioctl(sock, SIOCGSKNS);
	if (nsfd < 0 || fstat(nsfd, &st))
		return fail("SIOCGSKNS");
	close(nsfd);
	printf("   namespace net:[%lu] has no process and no mount, and is alive:\n"
	       "   SIOCGSKNS on our socket still opens it\n",
	       (unsigned long)st.st_ino);
	if (if_nametoindex("pin-out") == 0)
		return fail("pin-out is missing");
	printf("   its veth peer pin-out is here (ifindex %u)\n",
	       if_nametoindex("pin-out"));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	close(sock);
	printf("   closed the socket, the last reference\n");
	for (i = 0; i < 3000; i++) {
		if (if_nametoindex("pin-out") == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			printf("   namespace torn down %.0f ms later: pin-out went with it\n",
			       (t1.tv_sec - t0.tv_sec) * 1e3 +
			       (t1.tv_nsec - t0.tv_nsec) / 1e6);
			return 0;
		}
		usleep(10000);
	}
	fprintf(stderr, "netns-pin: namespace still alive 30 s after the last close\n");
	return 1;
}
