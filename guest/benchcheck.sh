#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check` payload on the run kernel: the benchmark at small sizes. It
# asserts that every case completes and that its drain signal (the ucount)
# agrees with the exact net_namespace count of /proc/slabinfo (booted with
# slab_nomerge slub_debug=F,net_namespace). No timing is asserted. The
# debug kernel cannot do this: KASAN's quarantine keeps freed objects
# counted in /proc/slabinfo.

#
# The same exact count lets netns_linger check that a namespace outlived
# by a kernel socket gives its struct net back once the socket goes.

exec 3>/dev/ttyS1
echo "=== SUITE bench:selftest ksft" >&3
timeout 900 /netns-core/bin/netns_bench --selftest >&3 2>&1 < /dev/null
echo "=== END bench:selftest $?" >&3
echo "=== SUITE selftest:netns_linger:exact-slab ksft" >&3
(cd /netns-core/kselftest/net/netns-core &&
	timeout 600 ./netns_linger) >&3 2>&1 < /dev/null
echo "=== END selftest:netns_linger:exact-slab $?" >&3
echo "=== DONE" >&3
exit 0
