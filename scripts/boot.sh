#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh KERNEL INITRAMFS MODE LOGDIR [TIMEOUT]
#
# Boot the guest under QEMU (software emulation, 2 vCPUs) and run MODE
# (run, check, shell). ttyS0 is the console, logged to LOGDIR/console.log
# (or the terminal for MODE=shell); ttyS1 carries the payload's results to
# LOGDIR/results.log. Exits with the payload's status; 124 when the hard
# timeout hit, 125 when the guest died without reporting (panic, reboot).
#
# A guest whose TSC calibration failed reports status 3 before running
# anything (see guest/init); it is booted again, up to three times.
set -uo pipefail

kernel=$1 initrd=$2 mode=$3 logdir=$4 limit=${5:-1800}
mem=${QEMU_MEM:-2G}
smp=2
extra=${KERNEL_CMDLINE_EXTRA:-}
mkdir -p "$logdir"

# tsc=reliable: under emulation the clocksource watchdog sees skew against
# the emulated HPET and would demote the TSC to a coarse clock mid-run.
# netns_core.cpus: the guest checks that it really runs on that many CPUs.
cmdline="console=ttyS0 tsc=reliable panic=-1 oops=panic kasan_multi_shot netns_core.mode=$mode netns_core.cpus=$smp $extra"
qemu=(qemu-system-x86_64 -machine pc -smp $smp -m "$mem" -no-reboot
	-display none -monitor none -nodefaults
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline")

for attempt in 1 2 3; do
	if [ "$mode" = shell ]; then
		"${qemu[@]}" -serial mon:stdio -serial null
		rc=$?
	else
		: > "$logdir/results.log"
		timeout -k 10 "$limit" "${qemu[@]}" \
			-serial "file:$logdir/console.log" \
			-serial "file:$logdir/results.log" &
		qpid=$!
		# STREAM=1 shows the results channel as it is written.
		if [ -n "${STREAM:-}" ]; then
			tail -n +1 -f --pid=$qpid "$logdir/results.log" &
		fi
		wait $qpid
		rc=$?
		wait
	fi
	case $rc in
	124|137)
		echo "boot: guest did not finish within ${limit}s" >&2
		exit 124
		;;
	esac
	if [ $((rc & 1)) -eq 0 ]; then
		echo "boot: guest died without reporting (qemu status $rc)" >&2
		exit 125
	fi
	status=$((rc >> 1))
	if [ "$status" -ne 3 ]; then
		exit "$status"
	fi
	[ "$mode" = shell ] || cp "$logdir/console.log" "$logdir/console.log.notsc$attempt"
	echo "boot: guest clock is not tsc (attempt $attempt: $(grep -ao "clocksource is '[^']*'" "$logdir/console.log" | head -n 1)), booting again" >&2
done
echo "boot: guest never got a tsc clocksource" >&2
exit 125
