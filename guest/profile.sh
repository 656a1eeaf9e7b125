#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make profile` payload: netns_bench under `perf record -a -g` (cpu-clock,
# the only sampling event under emulation), then the flat and the inclusive
# profile of the namespace workqueue's kworkers (teardown) and of the
# benchmark itself (creation), written to the results channel.
# The benchmark run is bench.sh's, with the same kernel command line
# options.

exec 3>/dev/ttyS1
export HOME=/root PAGER=cat
data=/tmp/perf.data
perf record -q -a -g -F 499 -o $data -- /bin/bash /netns-core/bench.sh 2>/dev/console
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
# Samples whose call chain passes through a function matching FUNC, split
# by the function it called directly ("[self]" when FUNC itself was on
# the CPU). COMM is a regular expression on the sampled command.
breakdown() {
	local func=$1 comm=$2
	perf script -i $data -F comm,ip,sym 2>/dev/null | awk -v fn="$func" -v cre="$comm" '
	function flush(    i) {
		if (n && cm ~ cre) {
			all++
			for (i = 1; i <= n; i++) {
				if (fr[i] ~ fn) {
					hit++
					cnt[i == 1 ? "[self]" : fr[i - 1]]++
					break
				}
			}
		}
		n = 0
	}
	/^[^ \t]/ { flush(); cm = $1; next }
	/^[ \t]/ { if (NF >= 2) fr[++n] = $2; next }
	{ flush() }
	END {
		flush()
		printf "%d of %d samples of %s pass through %s\n", hit, all, cre, fn
		for (c in cnt)
			printf "%8d %6.2f%%  %s\n", cnt[c], 100 * cnt[c] / (hit ? hit : 1), c | "sort -rn | head -30"
	}'
}
echo "=== BREAKDOWN teardown work item, by direct callee" >&3
breakdown '^(cleanup_net|net_cleanup_batch)$' '^kworker' >&3
echo "=== BREAKDOWN pernet exit stage, by direct callee (exit methods)" >&3
breakdown '^(ops_undo_list|pernet_undo)$' '^kworker' >&3
echo "=== BREAKDOWN namespace creation, by direct callee of copy_net_ns" >&3
breakdown '^copy_net_ns$' '^netns_bench' >&3
echo "=== BREAKDOWN pernet init, by direct callee (init methods)" >&3
breakdown '^(ops_init|pernet_init_one)$' '^netns_bench' >&3
echo "=== PROFILE netns_bench, self" >&3
report --no-children --comms netns_bench --sort sym | head -60 >&3
echo "=== PROFILE netns_bench, inclusive" >&3
report --children --comms netns_bench --sort sym | head -80 >&3
echo "=== DONE $rc" >&3
exit $rc
