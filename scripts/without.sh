#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# without.sh TREE DEST NNNN[,NNNN...]
#
# Make DEST a copy of the netns-core tree TREE (hard links, seconds) with
# the patches/ files numbered NNNN reverted: the series without them, for
# `make bench-without`. Only the files those patches touch are written,
# each first replaced by a copy so that TREE and build/pristine, which
# share the rest through hard links, are never changed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$1 dest=$2 nums=$3

# Files a previous run reverted come back from TREE with their old
# modification times, older than the objects built from the reverted
# versions: give them a new one, so that Kbuild rebuilds them.
stale=$(cat "$dest/.netns-core-without" 2>/dev/null || true)
rm -rf "$dest"
cp -al "$tree" "$dest"
for f in $stale; do
	cp --remove-destination "$tree/$f" "$dest/$f"
	touch "$dest/$f"
done
: > "$dest/.netns-core-without"
IFS=, read -r -a list <<< "$nums"
# Revert in the opposite order of application (the recipe's order).
order=$(grep -o '^patch: patches/[0-9]*' "$top/patches/recipe" | sed 's,.*/,,')
for n in $(echo "$order" | tac); do
	for want in "${list[@]}"; do
		[ "$n" = "$want" ] || continue
		p=$(ls "$top"/patches/"$n"-*.patch)
		for f in $(grep '^+++ b/' "$p" | sed 's,^+++ b/,,'); do
			cp --remove-destination "$tree/$f" "$dest/$f"
			echo "$f" >> "$dest/.netns-core-without"
		done
		patch -R -s -p1 -d "$dest" < "$p"
		echo "without.sh: reverted $(basename "$p")"
	done
done
for want in "${list[@]}"; do
	echo "$order" | grep -qx "$want" ||
		{ echo "without.sh: no patch $want in the recipe" >&2; exit 2; }
done
