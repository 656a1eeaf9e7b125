#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench` payload: netns_bench with the options on the kernel command
# line (netns_core.bench="..."; colons stand for spaces), output to the
# results channel. Exit status 3 (clocksource not tsc) makes the host boot
# again.

exec 3>/dev/ttyS1
opts=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	netns_core.bench=*) opts=${arg#netns_core.bench=} ;;
	esac
done
# shellcheck disable=SC2086 # options are split on purpose
/netns-core/bin/netns_bench --ucount global ${opts//:/ } >&3 2>/dev/console < /dev/null
rc=$?
echo "=== DONE $rc" >&3
exit $rc
