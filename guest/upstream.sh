#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make upstream-selftests` payload: the upstream selftests of the
# subsystems whose files our series patches, and captures of what those
# patches could change, run the same way on the stock and on our bench
# kernel. The host compares the two boots test by test
# (scripts/compare-upstream.sh); only a difference between them matters.
# Many subtests fail or skip on both kernels: the config is tinyconfig with
# IPv4, IPv6, veth, dummy and bridge (no policy routing, IPv4 multipath,
# VRF, lightweight tunnels, tc classifiers or netfilter), the userspace
# busybox and iproute2.
#
# One line per test on the results channel (ttyS1), "KEY: RESULT", KEY
# being PART/NAME:
#   sysctl/<ns>-tree     /proc/sys in readdir order (the rbtree's order,
#                        fs/proc/proc_sysctl.c), every entry with its value;
#                        <ns> is init, or netns (a fresh one, unshare -n)
#   sysctl/<ns>-order    the same names without the values
#   sysctl/devname-*     readdir order and lookups in net/*/{conf,neigh} of
#                        a namespace with devices named to hit every case
#                        of the name comparison (prefixes, bytes >= 0x80)
#   notify/*             the link, netconf and nsid messages (rtnetlink,
#                        devinet, addrconf) and the uevents (kobject_uevent)
#                        heard over the life of a namespace with an nsid
#   uevent/<test>        tools/testing/selftests/uevent/uevent_filtering
#   rtnetlink/<function> tools/testing/selftests/net/rtnetlink.sh -t
#                        <function>: FAIL if it printed a FAIL line, else
#                        PASS if a PASS line, else SKIP (every such line's
#                        verdict in parentheses when there were several)
#   fib/<test>           tools/testing/selftests/net/fib_tests.sh -t <test>
#                        (a name from its TESTS): FAIL if a check printed
#                        [FAIL], else PASS if one printed [ OK ], else SKIP
#                        if a part was skipped; in parentheses the number
#                        of checks, the ranks of the failed ones, and the
#                        exit status if it stopped before its end
#   guest/*              added by the host: the boot's status, and the
#                        kernel warnings and the like in the console log
# Listings and captures are hashed on the results channel and written in
# full to the console (ttyS0), each line prefixed with "KEY| ", so that the
# host can diff them when the hashes differ. KEY is the test's, except:
# sysctl/<ns>-order is the text of sysctl/<ns>-tree, sysctl/devname-* is
# under sysctl/devname-order, uevent/* under uevent/uevent_filtering.
# rtnetlink.sh's output (-v) is there too, under rtnetlink/<function>, and
# fib_tests.sh's (-v, namespace names' random suffixes as XXXXXX) under
# fib/<test>. Both run subtest by subtest, each under a time limit and all
# under a budget (RTNL_*, FIB_*; fib's budget a hard bound), so that the
# boot ends well within the host's UPSTREAM_TIMEOUT.
#
# Internal: "upstream.sh --sysctl-list" and "upstream.sh --devnames" are
# the parts run inside a fresh namespace (unshare -n).

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
# Byte order for [[ < ]] and sort, and plain messages.
export LC_ALL=C
IP=/usr/sbin/ip
UP=/netns-core/upstream
# Per rtnetlink.sh subtest, and for all of them (seconds): the boot's own
# bound (UPSTREAM_TIMEOUT on the host, 1800 s) must not be reached.
RTNL_TIMEOUT=${RTNL_TIMEOUT:-180}
RTNL_BUDGET=${RTNL_BUDGET:-900}
UEVENT_TIMEOUT=${UEVENT_TIMEOUT:-300}
# The same for fib_tests.sh, whose budget is a hard bound. Estimated, not
# yet measured: 2 to 4 min under TCG, of which about 1 min of sleeps
# (fib6_gc_test's 48 s, the carrier, notify and v6_gw tests' few).
FIB_TIMEOUT=${FIB_TIMEOUT:-120}
FIB_BUDGET=${FIB_BUDGET:-300}
# fib_tests.sh tests not run (result "NOT RUN (skip list)" on both
# kernels). Empty: all of them fit the budget. The first to go if they
# stop fitting: fib6_gc_test (four waits of 12 s for the IPv6 route GC).
FIB_SKIP=()

# Sysctls whose value is not compared (the entry is still listed, and
# counts for the order): shell patterns on the path under /proc/sys.
SYSCTL_VOLATILE=(
	# Random per boot or per read: kernel/random/{boot_id,uuid,
	# entropy_avail,...}, kernel/randomize_va_space.
	'*random*'
	'net/core/netdev_rss_key'
	'net/ipv4/tcp_fastopen_key'
	# Counters of objects in use: files, inodes, dentries, aio requests,
	# quota, ptys, conntrack entries.
	'fs/file-nr'
	'fs/inode-nr'
	'fs/inode-state'
	'fs/dentry-state'
	'fs/aio-nr'
	'fs/quota/*'
	'kernel/pty/nr'
	'net/netfilter/*count*'
	# Moves as the system runs.
	'kernel/ns_last_pid'
	'kernel/perf_event_max_sample_rate'
	# Build number and date.
	'kernel/version'
	# Reading it refreshes the vm counters of every CPU.
	'vm/stat_refresh'
	# Sized at boot from the memory the kernel image leaves: the two
	# kernels' images differ in size, so these can differ by a few pages.
	'fs/file-max'
	'fs/epoll/max_user_watches'
	'kernel/threads-max'
	'user/max_*'
	'vm/min_free_kbytes'
	'vm/user_reserve_kbytes'
	'vm/admin_reserve_kbytes'
	'net/ipv4/tcp_mem'
	'net/ipv4/udp_mem'
)

# Device names for the name comparison: a prefix of another name and of
# "lo", "all" and "default" (and longer than them), case, digits and
# punctuation, and bytes from 0x80 up (compared as unsigned char). No
# byte the kernel or iproute2 takes for a space (0xa0 included).
DEVNAMES=(a aa ab a0 A Z _ 0 9 '~' b l lo0 lo- al alll defaul defaults
	$'\xc3\xa9' $'a\xc3\xa9' $'\x80' $'\xff' $'a\xff' $'\xff\xff')

# The results channel, and the console (whose lines carry the full text).
result() {
	printf '%s: %s\n' "$1" "$2" >&3
	printf 'upstream: %s: %s\n' "$1" "$2" > /dev/console
}
log() { printf 'upstream: %s\n' "$*" > /dev/console; }
# dump KEY < TEXT: TEXT to the console, each line prefixed with "KEY| ".
dump() { awk -v k="$1" '{ print k "| " $0 }' > /dev/console; }
# listing KEY FILE [nodump]: the hash of FILE as KEY's result.
listing() {
	local key=$1 file=$2 lines hash
	lines=$(wc -l < "$file")
	hash=$(sha256sum < "$file" | cut -c1-16)
	[ -n "${3:-}" ] || dump "$key" < "$file"
	if [ "$lines" -eq 0 ]; then
		result "$key" "FAIL (empty listing)"
	else
		result "$key" "$hash ($lines lines)"
	fi
}

# ---------------------------------------------------------------- sysctl

# Every entry under /proc/sys of the calling task's namespaces, in the
# order readdir gives them: busybox find does not sort. One line each:
# "dir/", "path = value" (newlines as \n, tabs as spaces),
# "path (volatile)", "path (write-only)" or "path (read error)" (for one,
# ipv6's stable_secret when none is set). Read by bash itself: no process
# per entry.
sysctl_list() {
	local f p v pat err=/tmp/upstream-read-$$.err
	find /proc/sys -mindepth 1 | while IFS= read -r f; do
		p=${f#/proc/sys/}
		if [ -d "$f" ]; then
			echo "$p/"
			continue
		fi
		for pat in "${SYSCTL_VOLATILE[@]}"; do
			# shellcheck disable=SC2053 # a pattern, on purpose
			if [[ $p == $pat ]]; then
				echo "$p (volatile)"
				continue 2
			fi
		done
		# bash asks the kernel (access(2)): root gets the owner's bits.
		if [ ! -r "$f" ]; then
			echo "$p (write-only)"
			continue
		fi
		v=
		# Up to a NUL, so to the end: status 1 at the end, and a
		# message on stderr when the read itself failed.
		if ! IFS= read -r -d '' v < "$f" 2> $err && [ -s $err ]; then
			echo "$p (read error)"
			continue
		fi
		v=${v%$'\n'}
		v=${v//$'\t'/ }
		echo "$p = ${v//$'\n'/\\n}"
	done
	rm -f $err
}

# In a fresh namespace: devices named DEVNAMES, then the readdir order of
# the directories that hold a directory per device (must be byte order,
# a name before every longer name it starts), and lookups of names one
# byte shorter or longer than every entry (must find exactly the listed
# ones). Prints the listing, then "verdict order ..." and
# "verdict lookup ...".
devnames() {
	local n d e p i bad=0 probes=0 wrong=0 want got
	local -a entries
	local -A have
	for n in "${DEVNAMES[@]}"; do
		if ! $IP link add name "$n" type dummy 2>&1; then
			echo "cannot add a device named $(printf %q "$n")"
			bad=1
		fi
	done
	for d in net/ipv4/conf net/ipv4/neigh net/ipv6/conf net/ipv6/neigh; do
		find "/proc/sys/$d" -mindepth 1 -maxdepth 1 | sed 's#.*/##' > /tmp/upstream-dir.txt
		mapfile -t entries < /tmp/upstream-dir.txt
		echo "$d: $(printf '%q ' "${entries[@]}")"
		for ((i = 1; i < ${#entries[@]}; i++)); do
			if ! [[ ${entries[i - 1]} < ${entries[i]} ]]; then
				echo "$d: $(printf %q "${entries[i - 1]}") before $(printf %q "${entries[i]}")"
				bad=1
			fi
		done
		have=()
		for e in "${entries[@]}"; do
			have[$e]=1
		done
		for n in "${DEVNAMES[@]}" lo; do
			if [ -z "${have[$n]:-}" ]; then
				echo "$d: no entry $(printf %q "$n")"
				bad=1
			fi
		done
		for e in "${entries[@]}"; do
			for p in "${e%?}" "$e"$'\x01' "$e~" "$e"$'\xff'; do
				[ -n "$p" ] || continue
				probes=$((probes + 1))
				want=no got=no
				[ -z "${have[$p]:-}" ] || want=yes
				[ ! -e "/proc/sys/$d/$p" ] || got=yes
				if [ $want != $got ]; then
					echo "$d: lookup of $(printf %q "$p"): $got, expected $want"
					wrong=$((wrong + 1))
				fi
			done
		done
	done
	if [ $bad -eq 0 ]; then
		echo "verdict order PASS"
	else
		echo "verdict order FAIL"
	fi
	if [ $wrong -eq 0 ]; then
		echo "verdict lookup PASS ($probes probes)"
	else
		echo "verdict lookup FAIL ($wrong of $probes probes)"
	fi
}

sysctl_part() {
	local which out=/tmp/upstream-sysctl.txt rc v
	for which in init netns; do
		if [ $which = init ]; then
			log "sysctl: listing /proc/sys in the initial namespace"
			bash "$0" --sysctl-list > $out 2> /dev/console
		else
			log "sysctl: listing /proc/sys in a fresh namespace"
			unshare -n bash "$0" --sysctl-list > $out 2> /dev/console
		fi
		rc=$?
		[ $rc -eq 0 ] || log "sysctl: the $which listing ended with status $rc"
		listing "sysctl/$which-tree" $out
		sed -E -e 's/ = .*$//' -e 's/ \((volatile|write-only|read error)\)$//' $out > $out.names
		listing "sysctl/$which-order" $out.names nodump
	done

	log "sysctl: device names in a fresh namespace"
	unshare -n bash "$0" --devnames > $out 2>&1
	rc=$?
	grep -v '^verdict ' $out | dump sysctl/devname-order
	for which in order lookup; do
		v=$(sed -n "s/^verdict $which //p" $out)
		result "sysctl/devname-$which" "${v:-FAIL (no verdict, status $rc)}"
	done
}

# ---------------------------------------------------------------- notify

NOTIFY_NS=upst-notify
NOTIFY_STEPS=/tmp/upstream-notify-steps.txt

# Run one step of the namespace's life, then let deferred notifications
# (linkwatch runs up to a second later) go out before the next one, so
# that every message is heard in the same order on both kernels.
step() {
	local rc
	"$@" > /dev/console 2>&1
	rc=$?
	echo "$rc $*" >> $NOTIFY_STEPS
	sleep 2
}

# A busybox uevent listener in the calling task's network namespace
# (or, with --net=FILE, in that one), appending ACTION DEVPATH SUBSYSTEM
# IFINDEX of every uevent it hears to FILE. The listener is its own pid:
# nsenter -F execs it.
uevent_listener() {
	local file=$1 net=${2:-}
	# shellcheck disable=SC2016 # expanded by the listener's shell
	local prog='echo "$ACTION $DEVPATH $SUBSYSTEM $IFINDEX" >> '"$file"
	if [ -n "$net" ]; then
		exec nsenter -F --net="$net" uevent /bin/sh -c "$prog"
	else
		exec uevent /bin/sh -c "$prog"
	fi
}

# Normalize a monitor capture:
#  - MAC addresses are random;
#  - a peer namespace is printed by name or by nsid depending on whether
#    /run/netns still names it when `ip monitor` prints the message;
#  - a netconf message carries an ifindex, which `ip monitor` names by
#    looking it up in its own namespace (its cache, or the kernel at print
#    time): for a device of another namespace that is whichever device of
#    ours has the same ifindex then, if any. Those names go; "all" and
#    "default" are not looked up and stay.
notify_normalize() {
	sed -E -e 's#link/ether [0-9a-f:]{17}#link/ether <mac>#' \
		-e 's#link-netnsid [0-9]+#link-netns <peer>#' \
		-e "s#link-netns $NOTIFY_NS#link-netns <peer>#" \
		-e '/^\[nsid [0-9]+\](Deleted )?inet6? (all|default) /!s/^(\[nsid [0-9]+\](Deleted )?inet6? )[^ ]+ /\1<dev> /'
}

notify_part() {
	local ns=$NOTIFY_NS mon=/tmp/upstream-monitor.txt
	local ui=/tmp/upstream-uevent-init.txt un=/tmp/upstream-uevent-netns.txt
	local mpid upid npid i failed
	: > $mon
	: > $ui
	: > $un
	: > $NOTIFY_STEPS
	log "notify: capturing the messages of a namespace's life"
	# Listens in the initial namespace; all-nsid: also to namespaces the
	# initial one has an nsid for.
	$IP monitor all-nsid link netconf nsid > $mon 2>&1 &
	mpid=$!
	uevent_listener $ui &
	upid=$!
	sleep 2

	step ip netns add $ns
	step ip netns set $ns auto
	uevent_listener $un /run/netns/$ns &
	npid=$!
	sleep 2
	step ip -n $ns link set lo up
	step ip -n $ns link add d0 type dummy
	step ip -n $ns link set d0 up
	# netconf messages for "all", "default" and every device, both families.
	step nsenter --net=/run/netns/$ns /bin/sh -c \
		'echo 1 > /proc/sys/net/ipv4/conf/all/forwarding && echo 1 > /proc/sys/net/ipv6/conf/all/forwarding'
	step ip link add va type veth peer name vb netns $ns
	step ip link add vc type veth peer name vd netns $ns
	step ip link set va up
	step ip -n $ns link set vb up
	step ip -n $ns link del d0
	step ip link del vc
	# The listener's socket would keep the namespace alive.
	kill $npid
	wait $npid 2> /dev/null
	# Teardown: vb, lo and the namespace's nsid go with it; va, vb's live
	# peer, goes last (its removal is heard).
	step ip netns del $ns
	for i in $(seq 300); do
		$IP link show dev va > /dev/null 2>&1 || break
		sleep 0.2
	done
	if $IP link show dev va > /dev/null 2>&1; then
		result notify/teardown "FAIL (va still there after 60 s)"
	else
		result notify/teardown PASS
	fi
	sleep 2
	kill $mpid $upid
	wait $mpid $upid 2> /dev/null

	failed=$(awk '$1 != 0' $NOTIFY_STEPS | wc -l)
	dump notify/steps < $NOTIFY_STEPS
	if [ "$failed" -eq 0 ]; then
		result notify/steps "PASS ($(wc -l < $NOTIFY_STEPS) steps)"
	else
		result notify/steps "FAIL ($failed of $(wc -l < $NOTIFY_STEPS) steps)"
	fi
	notify_normalize < $mon > $mon.norm
	listing notify/monitor $mon.norm
	listing notify/uevent-init $ui
	listing notify/uevent-netns $un
}

# ---------------------------------------------------------------- uevent

uevent_part() {
	local bin=$UP/uevent/uevent_filtering out=/tmp/upstream-uevent.txt rc
	if [ ! -x $bin ]; then
		result uevent/uevent_filtering "FAIL (not in the initramfs)"
		return
	fi
	log "uevent: uevent_filtering"
	timeout -k 10 "$UEVENT_TIMEOUT" $bin > $out 2>&1 < /dev/null
	rc=$?
	dump uevent/uevent_filtering < $out
	# kselftest harness TAP: "ok N name", "not ok N name", "# SKIP".
	awk -v rc=$rc '
	/^(not )?ok [0-9]+ / {
		res = /^not ok/ ? "FAIL" : "PASS"
		if (/# *SKIP/) res = "SKIP"
		name = $0
		sub(/^(not )?ok [0-9]+ /, "", name)
		sub(/ *#.*/, "", name)
		print "uevent/" name ": " res
		n++
	}
	END { if (!n) print "uevent/uevent_filtering: NO RESULT (exit status " rc ")" }' $out |
	while IFS= read -r line; do
		result "${line%%: *}" "${line#*: }"
	done
}

# ---------------------------------------------------------------- rtnetlink

rtnetlink_part() {
	local dir=$UP/net t tests rc out=/tmp/upstream-rtnetlink.txt verdict
	local start begin
	if [ ! -r $dir/rtnetlink.sh ]; then
		result rtnetlink/rtnetlink.sh "FAIL (not in the initramfs)"
		return
	fi
	# kci_test_ifalias wants uuidgen, which the guest has not: the kernel's.
	mkdir -p /tmp/upstream-bin
	printf '#!/bin/sh\nexec cat /proc/sys/kernel/random/uuid\n' > /tmp/upstream-bin/uuidgen
	chmod 0755 /tmp/upstream-bin/uuidgen

	tests=$(awk '/^ALL_TESTS="/ { on = 1; next } on && /^"/ { exit } on { print $1 }' \
		$dir/rtnetlink.sh)
	if [ -z "$tests" ]; then
		result rtnetlink/rtnetlink.sh "FAIL (no ALL_TESTS list)"
		return
	fi
	# It sources lib.sh from the current directory.
	cd $dir || return
	begin=$SECONDS
	for t in $tests; do
		if [ $((SECONDS - begin)) -gt "$RTNL_BUDGET" ]; then
			result "rtnetlink/$t" "NOT RUN (over the ${RTNL_BUDGET} s budget)"
			continue
		fi
		log "rtnetlink: rtnetlink.sh -t $t"
		start=$SECONDS
		PATH=/tmp/upstream-bin:$PATH timeout -k 10 "$RTNL_TIMEOUT" \
			bash ./rtnetlink.sh -v -t "$t" > $out 2>&1 < /dev/null
		rc=$?
		dump "rtnetlink/$t" < $out
		# busybox timeout: the program's status, 143 (SIGTERM) when it
		# ran out of time.
		if [ $((SECONDS - start)) -ge "$RTNL_TIMEOUT" ]; then
			rc=timeout
		fi
		verdict=$(awk -v rc=$rc '
		/^(PASS|FAIL|SKIP)([: ]|$)/ {
			w = substr($0, 1, 4)
			seq = seq (k++ ? "," : "") w
			n[w]++
		}
		END {
			if (rc == "timeout") v = "TIMEOUT"
			else if (n["FAIL"]) v = "FAIL"
			else if (n["PASS"]) v = "PASS"
			else if (n["SKIP"]) v = "SKIP"
			else v = "NO RESULT (exit status " rc ")"
			if (k > 1) v = v " (" seq ")"
			print v
		}' $out)
		result "rtnetlink/$t" "$verdict"
	done
	cd / || return
}

# ---------------------------------------------------------------- fib

# fib/<test>'s verdict from fib_tests.sh's output (stdin). Its checks print
# "    TEST: <what>  [ OK ]" or "[FAIL]" (log_test), a part that cannot run
# prints "SKIP: ..." or "... Skipping test", and the end "Tests passed: N".
# FAIL if a check failed, else PASS if one passed, else SKIP if a part was
# skipped; in parentheses, the number of checks and which ones failed
# (their ranks in the output, in ranges), the number of parts skipped, and
# the exit status when the script did not get to its end (set -e, or a
# test's own exit) or gave no result.
fib_verdict() {
	awk -v rc="$1" '
	function ranges(r, i, j) {
		for (i = 1; i <= f; i = j + 1) {
			j = i
			while (j < f && fail[j + 1] == fail[j] + 1)
				j++
			r = r (i > 1 ? "," : "") fail[i] (j > i ? "-" fail[j] : "")
		}
		return r
	}
	/^ *TEST: .*\[ OK \]$/ { n++; next }
	/^ *TEST: .*\[FAIL\]$/ { fail[++f] = ++n; next }
	/^SKIP: |Skipping test$/ { s++; next }
	/^Tests passed: / { summary = 1 }
	END {
		if (rc == "timeout") v = "TIMEOUT"
		else if (f) v = "FAIL"
		else if (n) v = "PASS"
		else if (s) v = "SKIP"
		else v = "NO RESULT"
		d = ""
		if (f) d = f " of " n " checks failed: " ranges()
		else if (n) d = n (n > 1 ? " checks" : " check")
		if (s && n) d = d "; " s " skipped"
		if (rc != "timeout" && (!summary || v == "NO RESULT"))
			d = d (d != "" ? "; " : "") "exit status " rc
		if (d != "") v = v " (" d ")"
		print v
	}'
}

fib_part() {
	local dir=$UP/net t tests rc out=/tmp/upstream-fib.txt verdict
	local start begin limit
	if [ ! -r $dir/fib_tests.sh ]; then
		result fib/fib_tests.sh "FAIL (not in the initramfs)"
		return
	fi
	# TESTS="a b \<newline> c ..."
	tests=$(awk '/^TESTS="/ { on = 1; sub(/^TESTS="/, "") }
		on { done = sub(/".*/, ""); gsub(/\\/, ""); print; if (done) exit }' \
		$dir/fib_tests.sh)
	if [ -z "$tests" ]; then
		result fib/fib_tests.sh "FAIL (no TESTS list)"
		return
	fi
	# It sources lib.sh from the current directory, and the notify tests
	# write errors.txt there.
	cd $dir || return
	begin=$SECONDS
	for t in $tests; do
		if [[ " ${FIB_SKIP[*]} " == *" $t "* ]]; then
			result "fib/$t" "NOT RUN (skip list)"
			continue
		fi
		# The budget is a hard bound: the last test gets what is left.
		limit=$((FIB_BUDGET - (SECONDS - begin)))
		if [ $limit -le 0 ]; then
			result "fib/$t" "NOT RUN (over the ${FIB_BUDGET} s budget)"
			continue
		fi
		[ $limit -le "$FIB_TIMEOUT" ] || limit=$FIB_TIMEOUT
		log "fib: fib_tests.sh -t $t"
		start=$SECONDS
		timeout -k 10 "$limit" bash ./fib_tests.sh -v -t "$t" > $out 2>&1 < /dev/null
		rc=$?
		# Namespace names end in a random suffix (lib.sh's setup_ns):
		# the same text on both kernels.
		sed -E 's/(ns[0-9]+)-[A-Za-z0-9]{6}/\1-XXXXXX/g' $out | dump "fib/$t"
		if [ $((SECONDS - start)) -ge "$limit" ]; then
			rc=timeout
		fi
		verdict=$(fib_verdict $rc < $out)
		result "fib/$t" "$verdict"
		# ipv4_rt's ipv4_local_rt_cache works in the initial namespace
		# (plain ip; "$test-ns", meant for its own namespace, is "-ns"):
		# it leaves 10.0.0.1/32 on lo and, without VRF, a veth pair.
		if [ "$t" = ipv4_rt ]; then
			$IP link del veth-outside > /dev/null 2>&1
			$IP link del veth-inside > /dev/null 2>&1
			$IP addr del 10.0.0.1/32 dev lo > /dev/null 2>&1
		fi
	done
	cd / || return
}

# ---------------------------------------------------------------- main

case "${1:-}" in
--sysctl-list)
	sysctl_list
	exit 0
	;;
--devnames)
	devnames
	exit 0
	;;
esac

exec 3>/dev/ttyS1
log "upstream selftests, kernel $(uname -r)"
# Before anything else: the initial namespace as booted, and its ifindex
# counter untouched for the notification capture.
sysctl_part
notify_part
uevent_part
rtnetlink_part
fib_part
echo "=== DONE 0" >&3
exit 0
