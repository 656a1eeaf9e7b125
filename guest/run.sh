#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run` payload: a short demo of network namespaces on the netns-core
# kernel. Every step checks what it claims; the first failure ends the demo
# with a non-zero status. Output goes to the results channel (ttyS1).

exec > /dev/ttyS1 2>&1
IP=/usr/sbin/ip

step() { printf '\n== %s\n' "$*"; }
check() {
	if "$@"; then
		echo "   ok"
	else
		echo "   FAILED: $*"
		exit 1
	fi
}
links() { $IP -n "$1" -br link | awk '{ print $1 }' | sed 's/@.*//' | tr '\n' ' '; }
# eventually: poll a condition, namespace teardown is asynchronous.
. /netns-core/common.sh

echo "netns-core demo on $(uname -r)"

step "1. Two new namespaces, each seeing only its own lo"
$IP netns add red
$IP netns add blue
for ns in red blue; do
	echo "   $ns: $(links $ns)"
done
check test "$(links red)" = "lo " -a "$(links blue)" = "lo "

step "2. A veth pair between them, and a ping across"
$IP link add v-red netns red type veth peer name v-blue netns blue
$IP -n red addr add 192.0.2.1/24 dev v-red
$IP -n blue addr add 192.0.2.2/24 dev v-blue
for ns in red blue; do
	$IP -n $ns link set lo up
	$IP -n $ns link set v-$ns up
done
echo "   red: $(links red)  blue: $(links blue)"
check $IP netns exec red ping -c 2 -W 3 192.0.2.2

step "3. Namespace ids, as ip netns list-id shows them"
$IP netns set red 10
$IP netns set blue 20
$IP netns list-id | sed 's/^/   /'
echo "   red names its peer's namespace by a local id too:"
$IP -n red -d link show v-red | grep -o 'link-netns[id]* [^ ]*' | sed 's/^/     /'
check [ "$($IP netns list-id | grep -c 'nsid \(10\|20\) ')" = 2 ]

step "4. A socket keeps its namespace alive after every process left it"
check /netns-core/bin/netns-pin

step "5. Teardown: deleting both names frees both namespaces"
$IP netns del red
$IP netns del blue
no_ids() { [ -z "$($IP netns list-id)" ]; }
echo "   waiting for the kernel to drop their ids (done at the end of cleanup)"
check eventually no_ids
echo "   ip netns list-id is empty: red and blue are gone"

step "6. The core's view of every namespace, and its trace events"
V=/sys/kernel/debug/netns
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs tracefs $T
$IP netns add green
ino=$(stat -L -c %i /run/netns/green)
state_of() { awk -v i="$1" '$1 == i { print $3 }' $V/namespaces; }
echo "   green is namespace $ino; its line in $V/namespaces:"
head -n 1 $V/namespaces | sed 's/^/     /'
grep "^$ino " $V/namespaces | sed 's/^/     /'
check [ "$(state_of "$ino")" = alive ]
echo > $T/trace
echo 1 > $T/events/netns/enable
$IP netns del green
seen=alive
for i in $(seq 500); do
	st=$(state_of "$ino")
	[ -z "$st" ] && break
	case " $seen " in *" $st "*) ;; *) seen="$seen $st" ;; esac
	sleep 0.01
done
echo 0 > $T/events/netns/enable
echo "   after ip netns del: $seen, then gone from the view"
check [ -z "$(state_of "$ino")" ]
echo "   its events (tracefs events/netns):"
grep -E "netns_(queued|freed): inum=$ino |netns_batch_(start|end)" $T/trace |
	sed 's/^ *[^ ]* *\[[0-9]*\] [^ ]* *//; s/^/     /' | head -n 8
check grep -q "netns_freed: inum=$ino " $T/trace
echo "   the cleanup worker ($V/cleanup):"
sed 's/^/     /' $V/cleanup
echo "   namespaces per state ($V/summary):"
sed 's/^/     /' $V/summary

printf '\nnetns-core demo: all steps passed\n'
