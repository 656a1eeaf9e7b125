#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# compare-upstream.sh STOCK.txt OURS.txt
#
# Compare two `make upstream-selftests` runs test by test. Each file has one
# "KEY: RESULT" line per test (guest/upstream.sh). Prints a markdown table
# "test | stock | ours | same?" in the order the tests ran, then, for every
# test that differs and whose full text is in STOCK.dump and OURS.dump next
# to the files, the diff of that text, and ends with "N same, N differ".
# Exit status 0 only when every test has the same result on both sides
# (a test on one side only differs), and there was at least one test.
#
# compare-upstream.sh --collect LOGDIR STATUS OUT.txt OUT.dump
#
# Turn one boot (scripts/boot.sh's LOGDIR, its exit STATUS) into OUT.txt:
# the test lines of the results channel, plus guest/boot-status and
# guest/kernel-reports (kernel warnings, oopses and the like in the console
# log). OUT.dump gets the console's full listings and captures ("KEY| "
# lines) and the kernel reports.
set -uo pipefail

# Kernel reports in a console log (a subset of scripts/results.sh's: the
# bench kernels have no debug options).
REPORTS='WARNING:|BUG:|Oops|kernel BUG at|general protection fault|Kernel panic|'
REPORTS+='refcount_t:|UBSAN:|blocked for more than|by weak references|'
REPORTS+='weak reference released|cleanup watchdog:'
# A test line: PART/NAME, ": ", the result.
TEST_RE='^[A-Za-z0-9_.+-]+/[^ ]*: '
# A line of full text in the console: PART/NAME, "| ", the text.
DUMP_RE='^[A-Za-z0-9_.+-]+/[^ |]*\| '

collect() {
	local logdir=$1 status=$2 out=$3 dump=$4 reports
	local results=$logdir/results.log console=$logdir/console.log
	[ -f "$results" ] || : > "$results"
	[ -f "$console" ] || : > "$console"
	tr -d '\r' < "$results" | grep -aE "$TEST_RE" > "$out"
	echo "guest/boot-status: $status" >> "$out"
	if ! tr -d '\r' < "$results" | grep -aq '^=== DONE'; then
		echo "guest/finished: no" >> "$out"
	fi
	reports=$(tr -d '\r' < "$console" | grep -acE "$REPORTS")
	echo "guest/kernel-reports: $reports" >> "$out"
	{
		tr -d '\r' < "$console" | grep -aE "$DUMP_RE"
		tr -d '\r' < "$console" | grep -aE "$REPORTS" | sed 's/^/guest\/kernel-reports| /'
	} > "$dump"
}

if [ "${1:-}" = --collect ]; then
	[ $# -eq 5 ] || { echo "usage: $0 --collect LOGDIR STATUS OUT.txt OUT.dump" >&2; exit 2; }
	collect "$2" "$3" "$4" "$5"
	exit 0
fi

[ $# -eq 2 ] || { echo "usage: $0 STOCK.txt OURS.txt" >&2; exit 2; }
stock=$1 ours=$2
for f in "$stock" "$ours"; do
	[ -r "$f" ] || { echo "compare-upstream: cannot read $f" >&2; exit 2; }
done

# The table; the keys that differ go to $differ, the counts to stderr.
differ=$(mktemp)
counts=$(mktemp)
trap 'rm -f "$differ" "$counts"' EXIT
{ sed 's/^/S /' "$stock"; sed 's/^/O /' "$ours"; } | tr -d '\r' |
awk -v differ="$differ" -v re="$TEST_RE" '
function cell(s) { gsub(/\|/, "\\|", s); return s }
{
	side = substr($0, 1, 1)
	$0 = substr($0, 3)
}
$0 !~ re { next }
{
	i = index($0, ": ")
	k = substr($0, 1, i - 1)
	v = substr($0, i + 2)
	if (!(k in seen)) {
		seen[k] = 1
		order[++n] = k
	}
	if (side == "S")
		s[k] = v
	else
		o[k] = v
}
END {
	print "| test | stock | ours | same? |"
	print "|---|---|---|---|"
	for (j = 1; j <= n; j++) {
		k = order[j]
		sv = (k in s) ? s[k] : "(missing)"
		ov = (k in o) ? o[k] : "(missing)"
		if ((k in s) && (k in o) && s[k] == o[k]) {
			same++
			verdict = "yes"
		} else {
			diff++
			verdict = "**no**"
			print k > differ
		}
		printf "| %s | %s | %s | %s |\n", cell(k), cell(sv), cell(ov), verdict
	}
	printf "%d %d\n", same, diff > "/dev/stderr"
}' 2> "$counts"
read -r nsame ndiff < "$counts"
nsame=${nsame:-0} ndiff=${ndiff:-0}

# dumped KEY FILE: the text dumped under KEY.
dumped() {
	awk -v p="$1| " 'index($0, p) == 1 { print substr($0, length(p) + 1) }' "$2"
}

# The full text behind the tests that differ, where there is one.
sdump=${stock%.txt}.dump odump=${ours%.txt}.dump
if [ "$ndiff" -gt 0 ] && [ -r "$sdump" ] && [ -r "$odump" ]; then
	while IFS= read -r key; do
		# Tests whose text is dumped under another key.
		case $key in
		sysctl/*-order) dkey=${key%-order}-tree ;;
		sysctl/devname-*) dkey=sysctl/devname-order ;;
		uevent/*) dkey=uevent/uevent_filtering ;;
		*) dkey=$key ;;
		esac
		a=$(dumped "$dkey" "$sdump")
		b=$(dumped "$dkey" "$odump")
		[ -n "$a$b" ] || continue
		echo
		if [ "$dkey" = "$key" ]; then
			echo "### $key"
		else
			echo "### $key (text under $dkey)"
		fi
		echo
		echo '```diff'
		diff -u --label "stock $key" --label "ours $key" <(printf '%s\n' "$a") <(printf '%s\n' "$b") |
			head -n 80
		echo '```'
	done < "$differ"
	echo
	echo "Full text: diff $sdump $odump"
fi

echo
echo "$nsame same, $ndiff differ"
[ "$ndiff" -eq 0 ] && [ $((nsame + ndiff)) -gt 0 ]
