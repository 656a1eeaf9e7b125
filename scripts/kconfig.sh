#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kconfig.sh SRCTREE OUTDIR FRAGMENT...
#
# Configure OUTDIR as tinyconfig plus the fragments, then check that every
# symbol a fragment asks for really took effect (Kconfig drops symbols whose
# dependencies are not met, silently). Skipped when the fragments did not
# change since the last run, so an incremental build keeps its .config.
set -euo pipefail

mkdir -p "$2"
src=$(cd "$1" && pwd) out=$(cd "$2" && pwd)
shift 2
hash=$(cat "$@" | sha256sum | cut -d' ' -f1)
mkdir -p "$out"
if [ -f "$out/.config" ] && [ "$(cat "$out/.netns-core-config" 2>/dev/null)" = "$hash" ]; then
	exit 0
fi

echo "kconfig: tinyconfig + $* -> $out"
make -s -C "$src" O="$out" tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$@" >/dev/null
make -s -C "$src" O="$out" olddefconfig >/dev/null

bad=0
for frag in "$@"; do
	while read -r line; do
		case "$line" in
		CONFIG_*=*)
			sym=${line%%=*}
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			;;
		*)
			continue
			;;
		esac
		got=$(grep -E "^$sym=|^# $sym is not set" "$out/.config" || echo "# $sym is not set")
		if [ "$got" != "$line" ]; then
			echo "kconfig: $frag wants '$line', got '$got'" >&2
			bad=1
		fi
	done < "$frag"
done
if [ "$bad" -ne 0 ]; then
	rm -f "$out/.netns-core-config"
	exit 1
fi
echo "$hash" > "$out/.netns-core-config"
