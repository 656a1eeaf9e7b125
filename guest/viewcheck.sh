#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# viewcheck.sh SECONDS: read the core's debugfs files in a loop while
# something else churns namespaces. Every line of every read must be
# whole: the header, then 14 numeric fields around a known state in
# namespaces; "state count inum age" lines and weak_grace_secs in
# summary; a known first line in cleanup. Exit 0 after at least one
# read of each, 1 at the first bad line.

V=/sys/kernel/debug/netns
end=$((SECONDS + ${1:-30}))
reads=0
header='inum cookie state count passive sock dev neigh other owner ids named age_ms state_ms'

while [ $SECONDS -lt $end ]; do
	awk -v header="$header" '
	NR == 1 { if ($0 != header) { print "namespaces: bad header: " $0; exit 1 } next }
	NF != 14 || $3 !~ /^(alive|queued|exiting|exited|lingering|leaked)$/ {
		print "namespaces: torn line: " $0; exit 1
	}
	{
		for (i = 1; i <= 14; i++)
			if (i != 3 && $i !~ /^-?[0-9]+$/) {
				print "namespaces: bad field " i ": " $0; exit 1
			}
	}' $V/namespaces || exit 1
	awk '
	NR == 1 { next }
	$1 == "weak_grace_secs" && NF == 2 && $2 ~ /^[0-9]+$/ { next }
	NF != 4 || $1 !~ /^(alive|queued|exiting|exited|lingering|leaked)$/ {
		print "summary: bad line: " $0; exit 1
	}' $V/summary || exit 1
	head -n 1 $V/cleanup | grep -qE '^state (idle|running)$' ||
		{ echo "cleanup: bad first line"; exit 1; }
	reads=$((reads + 1))
done
echo "viewcheck: $reads reads of namespaces, summary and cleanup, every line whole"
[ $reads -gt 0 ]
