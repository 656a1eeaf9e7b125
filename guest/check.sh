#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check` payload. Every suite's raw output goes to the results
# channel (ttyS1) between "=== SUITE name kind" and "=== END name status"
# lines; scripts/results.sh on the host turns that into one line per test.
# Kinds: kunit (KTAP from debugfs), ksft (kselftest harness TAP),
# kselftest (a harness program run by run_kselftest.sh, its TAP nested one
# level under the runner's own result), script (one test, judged by exit
# status: 0 pass, 4 skip, anything else fail).

exec 3>/dev/ttyS1
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

suite() {
	local name=$1 kind=$2 rc
	shift 2
	echo "netns-core: running $name" > /dev/console
	echo "=== SUITE $name $kind" >&3
	timeout "${SUITE_TIMEOUT:-900}" "$@" >&3 2>&1 < /dev/null
	rc=$?
	echo "=== END $name $rc" >&3
}

# Races need real parallelism: every vCPU QEMU was given must be online.
suite "guest:cpus-online" script bash -c \
	'echo "$NETNS_CORE_CPUS of $NETNS_CORE_CPUS_WANTED CPUs online"; [ "$NETNS_CORE_CPUS" = "$NETNS_CORE_CPUS_WANTED" ]'

kunit=/sys/kernel/debug/kunit
failslab=/sys/kernel/debug/failslab
stress_param=/sys/module/net_namespace_test/parameters/stress_seconds
STRESS_SECONDS=${STRESS_SECONDS:-30}

# Our selftests, as installed by tools/testing/selftests' make install, run
# by the kernel's runner one program per suite (selftest:<prog>). The
# runner's own timeout (net/netns-core/settings) comes first; the suite's,
# a minute longer, only catches a runner that hangs.
ksft=/netns-core/kselftest
selftest() {
	SUITE_TIMEOUT=$((${SUITE_TIMEOUT:-900} + 60)) \
	suite "selftest:$1" kselftest "$ksft/run_kselftest.sh" -t "net/netns-core:$1"
}

# The netns_core suite ran at boot, when failslab still spares GFP_KERNEL
# allocations and its fault-injection case can only skip. Run it again
# with fail-nth able to hit them (quietly), then put the knobs back.
if [ -w "$kunit/netns_core/run" ] && [ -d "$failslab" ]; then
	wait_knob=$(cat $failslab/ignore-gfp-wait)
	verbose_knob=$(cat $failslab/verbose)
	echo N > $failslab/ignore-gfp-wait
	echo 0 > $failslab/verbose
	echo "netns-core: re-running kunit:netns_core with failslab armed" > /dev/console
	echo 1 > "$kunit/netns_core/run"
	echo "$wait_knob" > $failslab/ignore-gfp-wait
	echo "$verbose_knob" > $failslab/verbose
	# The case returns early when failslab is not armed: prove it was.
	suite "kunit:netns_core:fault-injection-armed" script \
		grep -q 'netns_test_fault_inject_register: [0-9]* failing steps.*(generic array growth)' \
		"$kunit/netns_core/results"
fi

# Concurrency stress: pernet_operations registered and unregistered in a
# loop in the kernel (netns_core_stress, re-run from debugfs) while the
# netns_stress selftest churns namespaces, nsids, setns() and sockets.
if [ -x $ksft/net/netns-core/netns_stress ] && [ -w $stress_param ] &&
   [ -w "$kunit/netns_core_stress/run" ]; then
	echo "$STRESS_SECONDS" > $stress_param
	echo 1 > "$kunit/netns_core_stress/run" &
	kstress=$!
	# The debugfs view, read in a loop all along: no torn line, no report.
	bash /netns-core/viewcheck.sh "$STRESS_SECONDS" > /tmp/viewcheck.log 2>&1 &
	viewcheck=$!
	NETNS_STRESS_SECONDS=$STRESS_SECONDS selftest netns_stress
	wait $kstress
	echo 0 > $stress_param
	wait $viewcheck
	echo $? > /tmp/viewcheck.rc
	suite "guest:view-under-stress" script bash -c \
		'cat /tmp/viewcheck.log; exit "$(cat /tmp/viewcheck.rc)"'
fi

# KUnit results: boot-time runs, or the re-runs above.
for d in "$kunit"/*/; do
	[ -r "$d/results" ] || continue
	suite "kunit:$(basename "$d")" kunit cat "$d/results"
done

# Our other selftests, in name order.
for t in $(sed -n 's|^net/netns-core:||p' $ksft/kselftest-list.txt 2>/dev/null | sort); do
	[ "$t" != netns_stress ] || continue
	selftest "$t"
done

# Upstream selftests, run from their own directory as upstream does.
cd /netns-core/upstream
for t in netns-name.sh netns-sysctl.sh so_netns_cookie; do
	suite "upstream:$t" script "./$t"
done
cd /

# Leaks: kmemleak only reports objects older than a few seconds, and wants
# two scans to be sure. Its findings land in the console log.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > /dev/console
fi
echo "=== DONE" >&3
exit 0
