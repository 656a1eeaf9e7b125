#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check` payload. Every suite's raw output goes to the results
# channel (ttyS1) between "=== SUITE name kind" and "=== END name status"
# lines; scripts/results.sh on the host turns that into one line per test.
# Kinds: kunit (KTAP from debugfs), ksft (kselftest harness TAP), script
# (one test, judged by exit status: 0 pass, 4 skip, anything else fail).

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

# KUnit suites ran at boot; their KTAP is kept in debugfs.
for d in /sys/kernel/debug/kunit/*/; do
	[ -r "$d/results" ] || continue
	suite "kunit:$(basename "$d")" kunit cat "$d/results"
done

# Our selftests (kselftest harness).
for t in /netns-core/selftests/*; do
	[ -x "$t" ] || continue
	suite "selftest:$(basename "$t")" ksft "$t"
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
