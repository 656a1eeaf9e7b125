#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-boots.sh DIR WHAT LABEL...
#
# Boot build/out-bench-LABEL for every LABEL, alternately, BENCH_RUNS
# times each, running netns_bench with --label LABEL, BENCH_L, BENCH_C and
# BENCH_CASES; the results of each boot land in DIR/LABEL-RUN.txt, the
# logs in DIR/log-LABEL-RUN. Then the tables, the first LABEL being the
# baseline: every cell in DIR/report.md, the headlines in DIR/summary.md
# (printed). WHAT names the run in the progress lines. For make bench and
# make bench-without.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1 what=$2
shift 2
runs=${BENCH_RUNS:?} mem=${BENCH_MEM:?} limit=${BENCH_TIMEOUT:?}
initrd=$top/build/initramfs.cpio.gz
report=$top/tools/testing/selftests/net/netns-core/bench/report.sh

mkdir -p "$dir"
rm -f "$dir"/*.txt
files=()
for run in $(seq "$runs"); do
	for k in "$@"; do
		echo "make: $what run $run/$runs on $k"
		QEMU_MEM=$mem KERNEL_CMDLINE_EXTRA="netns_core.bench=--label:$k:-L:${BENCH_L:?}:-C:${BENCH_C:?}:--cases:${BENCH_CASES:?}" \
			bash "$top/scripts/boot.sh" "$top/build/out-bench-$k/arch/x86/boot/bzImage" \
				"$initrd" bench "$dir/log-$k-$run" "$limit" ||
			{ echo "make: $what run failed, see $dir/log-$k-$run"; exit 1; }
		cp "$dir/log-$k-$run/results.log" "$dir/$k-$run.txt"
	done
done
# Grouped by label, baseline first.
for k in "$@"; do
	for run in $(seq "$runs"); do
		files+=("$k=$dir/$k-$run.txt")
	done
done
bash "$report" "${files[@]}" > "$dir/report.md"
bash "$report" --summary "${files[@]}" | tee "$dir/summary.md"
echo "make: every cell in $dir/report.md, headlines in $dir/summary.md"
