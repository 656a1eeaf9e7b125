#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# [PROFILE=1] [UPSTREAM=1] mkinitramfs.sh OUT.cpio.gz
#
# The guest's whole userspace: busybox-static, the host's iproute2 `ip` and
# `tc` and bash with the shared libraries they need, our static test
# programs and guest scripts, our selftests installed with the kselftest
# runner (/netns-core/kselftest), and the upstream selftests `make check` runs.
# PROFILE=1 adds perf (make profile); UPSTREAM=1 adds what make
# upstream-selftests runs (guest/upstream.sh): rtnetlink.sh, fib_tests.sh
# and the helpers they source, iproute2's bridge, uevent_filtering.
#
# iproute2 lives at /usr/sbin/ip, ahead of busybox's directories in PATH.
# The same goes for coreutils' test, [ and timeout.
# busybox's own `ip` applet is not installed, so a bare `ip` in bash is
# always iproute2 (busybox sh may still prefer its applets: call /usr/sbin/ip).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
tree=$top/build/linux
bin=$top/build/guest-bin
# One staging directory per image (build/initramfs for the default one),
# so that two images can be made at the same time.
stage=$top/build/$(basename "$out" .cpio.gz)

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,lib64,proc,sys,dev,tmp,run,root,etc}
mkdir -p "$stage/netns-core/bin" "$stage/netns-core/upstream"

# busybox and its applets (except the ones we provide for real).
cp /bin/busybox "$stage/bin/busybox"
for applet in $(/bin/busybox --list-full); do
	case "${applet##*/}" in
	ip|bash|busybox|"["|test|timeout) continue ;;
	esac
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done

# Dynamic programs from the host, with their libraries at the same paths.
copy_with_libs() {
	local prog=$1 dest=$2 lib
	cp -L "$prog" "$stage/$dest"
	for lib in $(ldd "$prog" | grep -oE '/[^ ]+'); do
		mkdir -p "$stage/$(dirname "$lib")"
		cp -L "$lib" "$stage/$lib"
	done
}
copy_with_libs "$(command -v ip)" usr/sbin/ip
# iproute2's tc, for qdiscs by hand in make shell (netns_linger's scenario;
# the test itself speaks rtnetlink). It shadows busybox's tc; rtnetlink.sh
# (make upstream-selftests) skips everything without it.
copy_with_libs "$(command -v tc)" usr/sbin/tc
copy_with_libs "$(command -v bash)" bin/bash
# coreutils' test: busybox's claims root may write any file, while upstream's
# netns-sysctl.sh asks the kernel (access(2)) about read-only sysctls.
copy_with_libs /usr/bin/test usr/bin/test
copy_with_libs "/usr/bin/[" "usr/bin/["
# coreutils' timeout: the kselftest runner calls /usr/bin/timeout
# --foreground, which busybox's does not know.
copy_with_libs /usr/bin/timeout usr/bin/timeout
# make profile: perf, for in-guest sampling (PROFILE=1).
if [ -n "${PROFILE:-}" ]; then
	copy_with_libs "$(command -v perf)" usr/bin/perf
fi
# make upstream-selftests: rtnetlink.sh needs bridge next to ip and tc.
if [ -n "${UPSTREAM:-}" ]; then
	copy_with_libs "$(command -v bridge)" usr/sbin/bridge
fi

echo 'root:x:0:0:root:/root:/bin/bash' > "$stage/etc/passwd"
echo 'root:x:0:' > "$stage/etc/group"

# Our guest programs and scripts.
install -m 0755 "$top/guest/init" "$stage/init"
install -m 0755 "$top"/guest/*.sh "$stage/netns-core/"
install -m 0755 "$bin"/tools/* "$stage/netns-core/bin/"
# Our selftests as `make install` of tools/testing/selftests laid them out:
# run_kselftest.sh, kselftest/, kselftest-list.txt and net/netns-core/.
if [ -d "$bin/kselftest" ]; then
	cp -a "$bin/kselftest" "$stage/netns-core/kselftest"
fi

# Upstream selftests, from the unpacked tree.
up=$tree/tools/testing/selftests/net
install -m 0755 "$up/netns-name.sh" "$up/netns-sysctl.sh" "$up/lib.sh" \
	"$stage/netns-core/upstream/"
if [ -x "$bin/upstream/so_netns_cookie" ]; then
	install -m 0755 "$bin/upstream/so_netns_cookie" "$stage/netns-core/upstream/"
fi
# make upstream-selftests: rtnetlink.sh and fib_tests.sh source lib.sh
# from their directory.
if [ -n "${UPSTREAM:-}" ]; then
	mkdir -p "$stage/netns-core/upstream/net" "$stage/netns-core/upstream/uevent"
	install -m 0755 "$up/rtnetlink.sh" "$up/fib_tests.sh" "$up/lib.sh" \
		"$up/net_helper.sh" "$stage/netns-core/upstream/net/"
	install -m 0755 "$bin/upstream/uevent_filtering" "$stage/netns-core/upstream/uevent/"
fi

(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet --reproducible) | gzip -1 > "$out"
