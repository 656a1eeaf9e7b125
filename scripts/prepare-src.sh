#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare the kernel trees under build/:
#   build/pristine  Debian's linux-source tarball, unpacked once, never edited
#                   (the "stock" tree for `make bench`).
#   build/linux     the netns-core tree: a hard-linked copy of pristine with
#                   our overlay files and patches/ applied on top.
#
# Re-running is cheap: the tarball is unpacked only when the installed
# package version changes, overlay files are copied only when their content
# changed (so Kbuild rebuilds only what depends on them), and patches are
# re-applied only when patches/ changed, from pristine copies of the files
# they touch.
#
# Files in build/linux are shared with build/pristine through hard links, so
# nothing here may write into an existing file in place: every write first
# replaces the directory entry (rsync and cp --remove-destination do).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
pkg=${KSRC_PKG:-linux-source-6.12}
build=$top/build
pristine=$build/pristine
tree=$build/linux
overlay_dirs="include net Documentation tools"

ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
tarball=$(dpkg -L "$pkg" 2>/dev/null | grep -E '/usr/src/linux-source-.*\.tar\.xz$' | head -n 1 || true)
if [ -z "$ver" ] || [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
	echo "prepare-src: package $pkg is not installed (run scripts/deps.sh)" >&2
	exit 1
fi
echo "prepare-src: kernel source package $pkg $ver"

mkdir -p "$build"

# 1. Pristine tree, unpacked once per package version.
if [ "$(cat "$pristine/.netns-core-pkgver" 2>/dev/null)" != "$ver" ]; then
	echo "prepare-src: unpacking $tarball"
	rm -rf "$pristine" "$pristine.tmp" "$tree"
	mkdir -p "$pristine.tmp"
	tar -xf "$tarball" -C "$pristine.tmp" --strip-components=1
	echo "$ver" > "$pristine.tmp/.netns-core-pkgver"
	mv "$pristine.tmp" "$pristine"
fi

# 2. Work tree: hard-linked copy of pristine (seconds, no extra space).
if [ "$(cat "$tree/.netns-core-pkgver" 2>/dev/null)" != "$ver" ]; then
	echo "prepare-src: creating work tree build/linux"
	rm -rf "$tree"
	cp -al "$pristine" "$tree"
fi

# Put back the pristine version of a file (or remove it if upstream has none).
restore() {
	if [ -e "$pristine/$1" ]; then
		cp --remove-destination "$pristine/$1" "$tree/$1"
	else
		rm -f "$tree/$1"
	fi
}

# 3. Patches to upstream files we do not own.
# The order is the one of patches/recipe, which also makes them commits
# of the series (make series).
order=$(python3 "$top/scripts/series.py" --order)
phash=$( (echo "$order"; for p in $order; do cat "$top/patches/$p"; done) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$tree/.netns-core-patches" 2>/dev/null)" != "$phash" ]; then
	# Apply the whole series to pristine copies in a staging directory,
	# then copy into the tree only the files whose content changed: a new
	# patch, or a reworded commit message, does not touch the headers the
	# other patches change, so Kbuild rebuilds only what it must.
	stage=$(mktemp -d)
	trap 'rm -rf "$stage"' EXIT
	mkdir -p "$stage/tree"
	: > "$stage/files"
	for p in $order; do
		echo "prepare-src: applying patches/$p"
		for f in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$top/patches/$p"); do
			grep -qxF "$f" "$stage/files" && continue
			echo "$f" >> "$stage/files"
			mkdir -p "$stage/tree/$(dirname "$f")"
			if [ -e "$pristine/$f" ]; then
				cp "$pristine/$f" "$stage/tree/$f"
			fi
		done
		patch -d "$stage/tree" -p1 -s --no-backup-if-mismatch -r - < "$top/patches/$p"
	done
	# Files only the previous series touched are pristine again.
	if [ -f "$tree/.netns-core-patched-files" ]; then
		while read -r f; do
			grep -qxF "$f" "$stage/files" || restore "$f"
		done < "$tree/.netns-core-patched-files"
	fi
	while read -r f; do
		if [ ! -e "$stage/tree/$f" ]; then
			rm -f "$tree/$f"
		elif ! cmp -s "$stage/tree/$f" "$tree/$f"; then
			echo "prepare-src: patched $f"
			# --remove-destination: detach from the pristine inode.
			cp --remove-destination "$stage/tree/$f" "$tree/$f"
		fi
	done < "$stage/files"
	cp "$stage/files" "$tree/.netns-core-patched-files"
	echo "$phash" > "$tree/.netns-core-patches"
fi

# 4. Overlay: our files, copied only where the content differs.
manifest=$tree/.netns-core-overlay
(cd "$top" && find $overlay_dirs -type f 2>/dev/null || true) | LC_ALL=C sort > "$manifest.new"
if [ -f "$manifest" ]; then
	LC_ALL=C comm -23 "$manifest" "$manifest.new" | while read -r f; do
		echo "prepare-src: dropping stale overlay file $f"
		restore "$f"
	done
fi
if [ -s "$manifest.new" ]; then
	(cd "$top" && rsync -rc --files-from="$manifest.new" --out-format='prepare-src: updated %n' . "$tree/")
fi
mv "$manifest.new" "$manifest"
