#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make profile` payload: netns_bench under `perf record -a -g` (cpu-clock,
# the only sampling event under emulation), then the flat and the inclusive
# profile of the namespace workqueue's kworkers (teardown) and of the
# benchmark itself (creation), written to the results channel.
# Options come from the kernel command line like bench.sh's:
# netns_core.bench="..." (colons for spaces).

exec 3>/dev/ttyS1
export HOME=/root PAGER=cat
opts=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	netns_core.bench=*) opts=${arg#netns_core.bench=} ;;
	esac
done
data=/tmp/perf.data
# shellcheck disable=SC2086 # options are split on purpose
perf record -a -g -F 499 -o $data -- \
	/netns-core/bin/netns_bench --ucount global ${opts//:/ } >&3 2>&3 < /dev/null
rc=$?
echo "=== bench status $rc" >&3

report() {
	perf report -i $data --stdio --quiet --percent-limit 0.3 -g none "$@" 2>/dev/null
}
echo "=== PROFILE cpu time by command" >&3
report --no-children --sort comm >&3
kw=$(report --no-children --sort comm | awk '$2 ~ /^kworker/ { print $2 }' | paste -sd, -)
if [ -n "$kw" ]; then
	echo "=== PROFILE kworkers ($kw), self" >&3
	report --no-children --comms "$kw" --sort sym | head -60 >&3
	echo "=== PROFILE kworkers, inclusive" >&3
	report --children --comms "$kw" --sort sym | head -80 >&3
fi
echo "=== PROFILE netns_bench, self" >&3
report --no-children --comms netns_bench --sort sym | head -60 >&3
echo "=== PROFILE netns_bench, inclusive" >&3
report --children --comms netns_bench --sort sym | head -80 >&3
echo "=== DONE $rc" >&3
exit $rc
