#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what netns-core needs from Debian's archive, once. apt-get update
# runs only when something is missing. KSRC_VERSION pins the kernel source
# package version (apt-cache policy linux-source-6.12 lists the choices).
# Arguments name extra packages (make profile asks for linux-perf).
set -euo pipefail

pkg=${KSRC_PKG:-linux-source-6.12}
want="gcc make libc6-dev coreutils flex bison bc libelf-dev libssl-dev perl python3
      patch cpio gzip xz-utils rsync kmod qemu-system-x86 busybox-static
      iproute2 bash $*"

missing=
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
src=$pkg
if [ -n "${KSRC_VERSION:-}" ]; then
	src="$pkg=$KSRC_VERSION"
	[ "$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null)" = "$KSRC_VERSION" ] ||
		missing="$missing $src"
else
	dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $src"
fi

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing
fi
