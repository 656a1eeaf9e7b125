#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers sourced by the guest payloads (run.sh, smoke.sh); not a mode.

# eventually CMD...: poll CMD every 0.1 s for up to EVENTUALLY_SECS (30)
# seconds: namespace teardown, and the final free, are asynchronous.
eventually() {
	local i
	for i in $(seq $((${EVENTUALLY_SECS:-30} * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
