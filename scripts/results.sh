#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# results.sh LOGDIR...
#
# Judge a `make check` run, one guest boot per LOGDIR: one line per test
# from LOGDIR/results.log, the guest's exit status (LOGDIR/status), and a
# scan of LOGDIR/console.log for kernel reports (any of them fails the run
# even when every test passed). Ends with the summary line
# "N passed, N failed" (", N skipped" when some were). Exit status 0 only
# when nothing failed.
#
# Suite kinds (guest/check.sh): script (exit status), kunit (KTAP, cases one
# level in), ksft (a kselftest harness program's TAP at column 0) and
# kselftest (the same program run by run_kselftest.sh: its TAP nested under
# "# ", then the runner's own "ok 1 selftests: DIR: PROG" line, which fails
# the suite when it is "not ok" and nothing else did, or on a TIMEOUT).
set -uo pipefail

total_pass=0 total_fail=0 total_skip=0

judge() {
	local logdir=$1 pass fail skip status expected
	local results=$logdir/results.log console=$logdir/console.log

	status=$(cat "$logdir/status" 2>/dev/null || echo missing)
	if [ "$status" != 0 ]; then
		echo "FAIL guest of $logdir ended with status $status (see $console)"
		total_fail=$((total_fail + 1))
	fi

	tr -d '\r' < "$results" 2>/dev/null | awk '
	function verdict(res, name) {
		printf "%-4s %s\n", res, name
		if (res == "PASS") pass++
		else if (res == "SKIP") skip++
		else fail++
	}
	/^=== SUITE / { suite = $3; kind = $4; seen = 0; bad = 0; outer = ""; next }
	/^=== END / {
		rc = $4
		if (kind == "script") {
			if (rc == 0) verdict("PASS", suite)
			else if (rc == 4) verdict("SKIP", suite)
			else verdict("FAIL", suite " (exit status " rc ")")
		} else if (!seen) {
			verdict("FAIL", suite " (no results, exit status " rc ")")
		} else if (kind == "ksft" && rc != 0 && !bad) {
			verdict("FAIL", suite " (exit status " rc ")")
		} else if (kind == "kselftest") {
			why = outer
			sub(/^[^#]*#? */, "", why)
			if (outer == "")
				verdict("FAIL", suite " (no result from the kselftest runner, exit status " rc ")")
			else if (outer ~ /^not ok/ && (!bad || why ~ /^TIMEOUT/))
				verdict("FAIL", suite " (kselftest runner: " (why == "" ? "not ok" : why) ")")
			else if (rc != 0 && !bad)
				verdict("FAIL", suite " (exit status " rc ")")
		}
		suite = ""
		next
	}
	/^=== DONE/ { done = 1; next }
	suite == "" { next }
	# The kselftest runner: its result for the program it ran.
	kind == "kselftest" && /^(not )?ok [0-9]+ selftests: / { outer = $0; next }
	# kselftest harness: results at column 0, or nested under "# ".
	# KUnit: test cases one level in.
	(kind == "ksft" && /^(not )?ok [0-9]+ /) ||
	(kind == "kselftest" && /^# (not )?ok [0-9]+ /) ||
	(kind == "kunit" && /^    (not )?ok [0-9]+ /) {
		line = $0
		sub(/^(# | +)/, "", line)
		res = (line ~ /^not ok/) ? "FAIL" : "PASS"
		if (line ~ /# *SKIP/) res = "SKIP"
		sub(/^(not )?ok [0-9]+ /, "", line)
		sub(/ *#.*/, "", line)
		verdict(res, suite ": " line)
		seen = 1
		if (res == "FAIL") bad = 1
	}
	END {
		if (!done) verdict("FAIL", "guest did not finish the suite")
		printf "%d %d %d\n", pass, fail, skip > "/dev/stderr"
	}' 2> "$logdir/counts"
	read -r pass fail skip < "$logdir/counts"

	# Kernel reports in the console log.
	reports='WARNING:|BUG:|Oops|kernel BUG at|general protection fault|Kernel panic|'
	reports+='possible circular locking|possible recursive locking|inconsistent lock state|'
	reports+='suspicious RCU usage|refcount_t:|ref_tracker:|unreferenced object|'
	reports+='suspected memory leak|blocked for more than|UBSAN:'
	# A namespace still held by weak references after its teardown (a
	# kernel socket, device, neigh parms or hold_net() left behind), or a
	# release without a hold, is a bug, except those the KUnit suite
	# provokes and announces by cookie.
	reports+='|by weak references|weak reference released'
	# A teardown step stuck past the watchdog's threshold.
	reports+='|cleanup watchdog:'
	expected=$(grep -aoE 'expect one (weak reference|cleanup watchdog) report for cookie [0-9]*' "$console" |
		awk '{ printf "cookie %s |", $NF }')
	grep -anE "$reports" "$console" 2>/dev/null |
		grep -vE "${expected}NO-EXPECTED-REPORT" > "$logdir/reports"
	if [ -s "$logdir/reports" ]; then
		echo "FAIL kernel reports in the guest log ($console):"
		head -n 20 "$logdir/reports" | sed 's/^/     /'
		fail=$((fail + 1))
	fi

	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
}

for logdir in "$@"; do
	judge "$logdir"
done

# How far fault injection reached, per path.
cat "${@/%//results.log}" 2>/dev/null | tr -d '\r' |
	sed -n 's/^[ #]*#[ #]*\(fault-injection: .*\)/INFO \1/p
		s/^ *# *netns_test_fault_inject_register: \(.*failing steps.*\)/INFO fault-injection: path=pernet_register \1/p'

if [ "$total_skip" -gt 0 ]; then
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
	echo "$total_pass passed, $total_fail failed"
fi
[ "$total_fail" -eq 0 ]
