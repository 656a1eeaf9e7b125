#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# series-check.sh: prove that build/series (make series) is what we test.
#
#  1. Reset build/series-check/tree to the baseline (a clone of
#     build/series-base.git; later runs reset it, so git only rewrites the
#     files the series touched and the builds stay incremental).
#  2. git am each patch, then build bzImage with configs/run.config in
#     build/series-check/out-run: every step must build (bisectable). The
#     build is reproducible (fixed KBUILD_BUILD_* stamps), so a patch that
#     changes the kernel changes bzImage: that kernel is booted with
#     guest/smoke.sh (namespaces, veth, nsids, a device moved, 208
#     namespaces torn down and every struct net freed, a clean log).
#     The size of every patch is listed, and a patch that changes the
#     kernel may add at most SERIES_MAX_ADDED lines (600); pure file
#     additions, tests and docs are exempt.
#  3. Build the final tree with the test config as well (out-test).
#  4. checkpatch --strict on every patch file: nothing may be reported
#     except the documented exceptions (EXCEPTIONS below).
#  5. Every file the series adds is in the MAINTAINERS entry.
#  6. The final tree is byte-identical to build/linux, the tree make check
#     builds.
# The log of each step is in build/series-check/; the summary ends with
# "series-check: OK" and the elapsed time.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-$(nproc)}
dir=$top/build/series-check
tree=$dir/tree
base_git=$top/build/series-base.git
series=$top/build/series
start=$(date +%s)
# ccache makes a second run cheap: resetting the tree to the baseline
# rewrites every file the series touches, and Kbuild goes by timestamps.
export CCACHE_DIR=$top/build/ccache
# Committer of the am'ed commits: local, not part of any patch.
export GIT_COMMITTER_NAME=series-check GIT_COMMITTER_EMAIL=series-check@localhost
# The same sources give the same bzImage: a changed image is a changed kernel.
export KBUILD_BUILD_TIMESTAMP='2000-01-01 00:00:00 UTC' KBUILD_BUILD_VERSION=1 \
	KBUILD_BUILD_USER=series-check KBUILD_BUILD_HOST=series-check
max_added=${SERIES_MAX_ADDED:-600}
initramfs=$top/build/initramfs.cpio.gz
smoke_cmdline="slab_nomerge slub_debug=F,net_namespace"

# checkpatch types accepted in one file only, as "TYPE,TYPE:path-prefix"
# words: the exceptions make lint documents (the Makefile exports them).
# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") is asked of every
# patch that adds a file; the last patch adds the entry, and step 5 checks
# that it covers every added file.
EXCEPTIONS="${CHECKPATCH_EXCEPTIONS:?run me from make series-check} FILE_PATH_CHANGES:"

fail() {
	echo "series-check: FAILED: $*"
	echo "series-check: after $(( ($(date +%s) - start) / 60 )) min $(( ($(date +%s) - start) % 60 )) s"
	exit 1
}

build() {
	local out=$1 log=$2
	shift 2
	bash "$top/scripts/kconfig.sh" "$tree" "$out" "$@" > "$log" 2>&1 &&
	make -s -C "$tree" O="$out" -j"$jobs" CC="ccache gcc" bzImage >> "$log" 2>&1
}

patches=$(cd "$series" 2>/dev/null && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-')
[ -n "$patches" ] || fail "no build/series (run make series)"
mkdir -p "$dir"

# 1. A fresh baseline.
if [ ! -d "$tree/.git" ]; then
	echo "series-check: checking the baseline out in $tree"
	rm -rf "$tree"
	git clone -q "$base_git" "$tree" || fail "git clone"
fi
git -C "$tree" am --abort > /dev/null 2>&1
git -C "$tree" fetch -q -f "$base_git" 'refs/tags/baseline:refs/tags/baseline' || fail "git fetch"
git -C "$tree" checkout -q -f --detach baseline && git -C "$tree" clean -q -f -d -x ||
	fail "resetting the tree to the baseline"

# 2. Apply, build and (when the kernel changed) boot, patch by patch.
[ -f "$initramfs" ] || fail "no $initramfs (make series-check builds it)"
n=0
boots=0
over=
last_image=
total=$(echo "$patches" | wc -l)
for p in $patches; do
	n=$((n + 1))
	t0=$(date +%s)
	git -C "$tree" am -q "$series/$p" > "$dir/am.log" 2>&1 ||
		{ cat "$dir/am.log"; fail "git am $p"; }
	build "$dir/out-run" "$dir/build-$n.log" "$top/configs/run.config" ||
		{ tail -n 30 "$dir/build-$n.log"; fail "$p does not build (build/series-check/build-$n.log)"; }
	# Lines added and removed, and whether the patch only adds files.
	read -r added removed < <(git -C "$tree" diff --numstat HEAD~1 HEAD |
		awk '{ a += $1; d += $2 } END { print a + 0, d + 0 }')
	only_new=$(git -C "$tree" diff --name-status HEAD~1 HEAD | awk '$1 != "A" { n++ } END { print n ? "no" : "yes" }')
	image=$(sha256sum "$dir/out-run/arch/x86/boot/bzImage" | cut -c1-64)
	what="+$added/-$removed"
	if [ "$image" != "$last_image" ]; then
		what="$what, kernel changed"
		if [ "$added" -gt "$max_added" ] && [ "$only_new" = no ]; then
			over="$over $p(+$added)"
		fi
		KERNEL_CMDLINE_EXTRA="$smoke_cmdline" bash "$top/scripts/boot.sh" \
			"$dir/out-run/arch/x86/boot/bzImage" "$initramfs" smoke \
			"$dir/smoke-$n" 900 > "$dir/smoke-$n.log" 2>&1 ||
			{ cat "$dir/smoke-$n/results.log"; fail "$p: the smoke test fails (build/series-check/smoke-$n/)"; }
		boots=$((boots + 1))
		what="$what, smoke test passed"
		last_image=$image
	fi
	echo "series-check: [$n/$total] $p: $what ($(( $(date +%s) - t0 )) s)"
done
[ -z "$over" ] || fail "patches that change the kernel and add more than $max_added lines:$over"
echo "series-check: $boots kernels booted, each passed the smoke test; no patch that changes the kernel adds more than $max_added lines"

# 3. The final tree, with the test config too.
t0=$(date +%s)
build "$dir/out-test" "$dir/build-test.log" "$top/configs/run.config" "$top/configs/test.config" ||
	{ tail -n 30 "$dir/build-test.log"; fail "the final tree does not build with the test config"; }
echo "series-check: final tree built with the test config in $(( $(date +%s) - t0 )) s"

# 4. checkpatch on every patch file, each report matched to the file it is about.
rc=0
for p in $patches; do
	# Debian's python3 (with python3-ply and python3-git, for spdxcheck.py).
	(cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --show-types "$series/$p") \
		> "$dir/checkpatch-$p.log" 2>&1
	awk -v exc="$EXCEPTIONS" '
	BEGIN { n = split(exc, e, " ") }
	function flush() {
		if (type == "") return
		ok = 0
		for (i = 1; i <= n; i++) {
			split(e[i], x, ":")
			if (index("," x[1] ",", "," type ",") && index(file, x[2]) == 1) ok = 1
		}
		if (!ok) { printf "%s", block; bad = 1 }
		type = ""
	}
	/^(WARNING|ERROR|CHECK):/ { flush(); type = $1; sub(/^[A-Z]+:/, "", type); sub(/:.*/, "", type); block = ""; file = "" }
	/^#[0-9]+: FILE: / { file = $3; sub(/:[0-9]+:$/, "", file) }
	/^total: / { flush() }
	type != "" { block = block $0 "\n" }
	END { flush(); exit bad }' "$dir/checkpatch-$p.log" ||
		{ echo "series-check: checkpatch reports on $p (build/series-check/checkpatch-$p.log)"; rc=1; }
done
[ $rc -eq 0 ] || fail "checkpatch"
echo "series-check: checkpatch --strict: nothing beyond the documented exceptions on $total patches"

# 5. Every added file is covered by our MAINTAINERS entry.
for f in $(git -C "$tree" diff --name-only --diff-filter=A baseline HEAD); do
	sections=$(cd "$tree" && ./scripts/get_maintainer.pl --no-git --no-git-fallback --sections -f "$f")
	grep -q '^NETWORK NAMESPACE CORE' <<< "$sections" ||
		{ echo "series-check: $f is not in the MAINTAINERS entry"; rc=1; }
done
[ $rc -eq 0 ] || fail "MAINTAINERS"
echo "series-check: MAINTAINERS covers every added file"

# 6. Byte-identical to the tree make check builds (marker files aside).
if ! diff -r -q --exclude=.git --exclude='.netns-core-*' "$tree" "$top/build/linux" > "$dir/diff.log"; then
	head -n 20 "$dir/diff.log"
	fail "the series' final tree differs from build/linux (build/series-check/diff.log)"
fi
echo "series-check: the final tree is byte-identical to build/linux"
el=$(( $(date +%s) - start ))
echo "series-check: OK, $total patches, in $((el / 60)) min $((el % 60)) s"
