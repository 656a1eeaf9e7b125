#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh [LABEL=]FILE... - aggregate netns_bench output into a markdown
# table.
#
# Each FILE is the output of one run (one boot).  Its "bench ..." lines are
# grouped under LABEL, or under their kernel= field when no LABEL is given
# (run netns_bench --label stock / --label ours when both kernels have the
# same uname -r).  Lines of other kinds (comments, TAP, "# bench" lines of
# --selftest) are ignored.
#
# For every cell (case, L, nsid, metric) and every label the table shows
# n (number of samples), min, median and max.  The first label is the
# baseline A; for every other label B it adds:
#   A/B       median(A) / median(B), the plain ratio
#   B speedup how many times better B is than A: median(A)/median(B) for
#             costs (us, ms, kB: lower is better), median(B)/median(A) for
#             rates (ns_per_s: higher is better); > 1 means B is better.
#             "-" for counts (objs, ops), which are not a cost.
#
# With --summary, only the headline metrics of each case (creation mean,
# teardown and churn per namespace, parallel rate, kernel memory; for
# contended the teardown and the p99 and max latency of both probes) are
# shown, as "median (min-max)" per label plus the speedup: the README's
# table.
#
# Example: report.sh stock=boot1.txt stock=boot2.txt ours=boot3.txt ours=boot4.txt
set -euo pipefail

summary=0
if [ "${1:-}" = --summary ]; then
	summary=1
	shift
fi

if [ $# -eq 0 ]; then
	sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi

for arg in "$@"; do
	label='' file=$arg
	if [ ! -e "$arg" ] && [[ $arg == *=* ]]; then
		label=${arg%%=*} file=${arg#*=}
	fi
	if [ ! -r "$file" ]; then
		echo "report.sh: cannot read '$file'" >&2
		exit 2
	fi
	# Serial consoles end lines with \r\n.
	tr -d '\r' < "$file" |
		awk -v label="$label" '$1 == "bench" { print (label == "" ? "-" : label), $0 }'
done | awk -v summary="$summary" '
function get(line, key,    i, n, f, kv) {
	n = split(line, f, " ")
	for (i = 1; i <= n; i++) {
		if (index(f[i], key "=") == 1)
			return substr(f[i], length(key) + 2)
	}
	return ""
}
# Sorts v[1..n] numerically (insertion sort: a few samples per cell).
function isort(v, n,    i, j, x) {
	for (i = 2; i <= n; i++) {
		x = v[i]
		for (j = i - 1; j >= 1 && v[j] > x; j--)
			v[j + 1] = v[j]
		v[j + 1] = x
	}
}
function fmt(x) {
	if (x == "")
		return "-"
	if (x >= 10000 || x <= -10000)
		return sprintf("%.0f", x)
	return sprintf("%.4g", x)
}
{
	label = $1
	line = substr($0, length($1) + 2)
	if (label == "-")
		label = get(line, "kernel")
	cell = get(line, "case") SUBSEP get(line, "L") SUBSEP get(line, "nsid") \
		SUBSEP get(line, "metric")
	if (!(label in seen_label)) {
		seen_label[label] = 1
		labels[++nlabels] = label
	}
	if (!(cell in seen_cell)) {
		seen_cell[cell] = 1
		cells[++ncells] = cell
		unit[cell] = get(line, "unit")
	}
	k = cell SUBSEP label
	vals[k, ++cnt[k]] = get(line, "value") + 0
}
END {
	if (!ncells) {
		print "report.sh: no bench lines found" > "/dev/stderr"
		exit 1
	}
	if (summary) {
		headline["creation", "mean"] = 1
		headline["batch_teardown", "per_ns"] = 1
		headline["churn", "per_ns"] = 1
		headline["parallel", "rate"] = 1
		headline["memory", "kernel_per_1000"] = 1
		headline["live_teardown", "per_ns"] = 1
		headline["contended", "teardown"] = 1
		headline["contended", "start_p99"] = 1
		headline["contended", "start_max"] = 1
		headline["contended", "veth_p99"] = 1
		headline["contended", "veth_max"] = 1
	}
	hdr = "| case | L | nsid | metric | unit |"
	sep = "|---|---:|---:|---|---|"
	for (l = 1; l <= nlabels && summary; l++) {
		hdr = hdr " " labels[l] " median (min-max) |"
		sep = sep "---:|"
	}
	for (l = 1; l <= nlabels && !summary; l++) {
		hdr = hdr " " labels[l] " n | " labels[l] " min | " labels[l] " median | " \
			labels[l] " max |"
		sep = sep "---:|---:|---:|---:|"
	}
	for (l = 2; l <= nlabels; l++) {
		if (!summary) {
			hdr = hdr " " labels[1] "/" labels[l] " |"
			sep = sep "---:|"
		}
		hdr = hdr " " labels[l] " speedup |"
		sep = sep "---:|"
	}
	print hdr
	print sep
	for (c = 1; c <= ncells; c++) {
		cell = cells[c]
		split(cell, p, SUBSEP)
		if (summary && !((p[1], p[4]) in headline))
			continue
		row = "| " p[1] " | " p[2] " | " p[3] " | " p[4] " | " unit[cell] " |"
		for (l = 1; l <= nlabels; l++) {
			k = cell SUBSEP labels[l]
			n = cnt[k] + 0
			med[l] = ""
			if (!n) {
				row = row (summary ? " - |" : " 0 | - | - | - |")
				continue
			}
			delete v
			for (i = 1; i <= n; i++)
				v[i] = vals[k, i]
			isort(v, n)
			if (n % 2)
				med[l] = v[(n + 1) / 2]
			else
				med[l] = (v[n / 2] + v[n / 2 + 1]) / 2
			if (summary)
				row = row " " fmt(med[l]) \
					" (" fmt(v[1]) "-" fmt(v[n]) ") |"
			else
				row = row " " n " | " fmt(v[1]) " | " fmt(med[l]) \
					" | " fmt(v[n]) " |"
		}
		for (l = 2; l <= nlabels; l++) {
			a = med[1]; b = med[l]
			ratio = "-"; speed = "-"
			if (a != "" && b != "" && b != 0)
				ratio = sprintf("%.3f", a / b)
			if (a != "" && b != "" && a != 0 && b != 0) {
				u = unit[cell]
				if (u == "ns_per_s")
					speed = sprintf("%.2fx", b / a)
				else if (u == "us" || u == "ms" || u == "kB")
					speed = sprintf("%.2fx", a / b)
			}
			if (!summary)
				row = row " " ratio " |"
			row = row " " speed " |"
		}
		print row
	}
}'
