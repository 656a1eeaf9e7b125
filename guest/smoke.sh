#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make series-check payload: a short smoke test of the kernel built at one
# step of the series. It uses nothing a step may not have yet (no debugfs
# view, no module parameter of the new core), only what every caller of
# network namespaces relies on: creation, devices and addresses across
# namespaces, nsids, moving a device, teardown, and every struct net given
# back (but the last, which 6.12 keeps until the next teardown). Needs the
# exact slab count (slab_nomerge slub_debug=F,net_namespace).
# The first failure ends it with a non-zero status; any kernel warning in
# the log fails it too.

exec > /dev/ttyS1 2>&1
IP=/usr/sbin/ip

fail() {
	echo "smoke: FAILED: $*"
	exit 1
}
slab() { awk '$1 == "net_namespace" { print $2 }' /proc/slabinfo; }
# eventually: poll a condition for up to 60 s; teardown and the final free
# are deferred.
. /netns-core/common.sh
EVENTUALLY_SECS=60
# 6.12 frees a batch's structures when the next batch starts, the new core
# a second after its own: start one more teardown at each look, and allow
# the last one.
drained() {
	[ "$(slab)" -le $((base + 1)) ] && return 0
	unshare -n true
	return 1
}

echo "smoke: $(uname -r)"
base=$(slab)
[ -n "$base" ] || fail "no net_namespace line in /proc/slabinfo"

# 1. Named namespaces, a veth pair across two, a ping, nsids.
for i in $(seq 8); do
	$IP netns add s$i || fail "ip netns add s$i"
done
$IP link add va netns s1 type veth peer name vb netns s2 || fail "veth across s1 and s2"
$IP -n s1 addr add 192.0.2.1/24 dev va && $IP -n s2 addr add 192.0.2.2/24 dev vb ||
	fail "addresses"
for n in s1 s2; do
	$IP -n $n link set lo up && $IP -n $n link set dev "$([ $n = s1 ] && echo va || echo vb)" up ||
		fail "link up in $n"
done
$IP netns exec s1 ping -c 1 -W 5 192.0.2.2 > /dev/null || fail "ping from s1 to s2"
$IP netns set s1 10 && $IP netns set s2 20 || fail "ip netns set"
[ "$($IP netns list-id | grep -c 'nsid \(10\|20\) ')" = 2 ] || fail "ip netns list-id"
[ "$(slab)" -ge $((base + 8)) ] || fail "net_namespace objects: $(slab) with 8 more namespaces than at boot ($base)"
echo "smoke: 8 namespaces, veth, ping and nsids: ok"

# 2. A device moved from one namespace to another, and back to init_net.
$IP link add dummy-s type dummy 2> /dev/null || $IP link add dummy-s type veth peer name dummy-p ||
	fail "a device to move"
$IP link set dummy-s netns s3 || fail "move a device to s3"
$IP -n s3 link show dummy-s > /dev/null || fail "the device is not in s3"
$IP -n s3 link set dummy-s netns 1 || fail "move it back"
$IP link del dummy-s || fail "delete it"
echo "smoke: a device moved between namespaces: ok"

# 3. Anonymous namespaces: 200 unshares, then every name deleted.
for i in $(seq 200); do
	unshare -n true || fail "unshare -n (#$i)"
done
for i in $(seq 8); do
	$IP netns del s$i || fail "ip netns del s$i"
done
eventually drained || fail "net_namespace objects: $(slab), $base at boot"
echo "smoke: 208 namespaces torn down, every struct net freed ($(slab) left, $base at boot): ok"

# 4. Nothing the kernel should not have said.
if dmesg | grep -E 'WARNING:|BUG:|Oops|refcount_t:|lockdep|leak|Call Trace' > /tmp/bad; then
	cat /tmp/bad
	fail "kernel log"
fi
echo "smoke: kernel log clean: ok"
echo "smoke: passed"
exit 0
