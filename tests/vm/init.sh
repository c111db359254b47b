#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# /init of the VM test tier (copied into the initramfs by tests/vm/run).
# Mounts the pseudo file systems, loads the kernel modules listed in
# /etc/vmtest/modules.load, runs every scenario named in /etc/vmtest.conf
# under a time limit, and powers the machine off. Everything the host reads
# is a line on the serial console starting with VMTEST:
#   VMTEST-BOOT <uptime>            /init started
#   VMTEST-MODULES <summary>        modules loaded
#   VMTEST-READY <uptime>           about to run the first scenario
#   VMTEST-BEGIN <name>             a scenario's output follows, each line
#   [<name>] ...                      prefixed with its name in brackets
#   VMTEST-END <name>
#   VMTEST <name> PASS|FAIL|SKIP <secs>s [reason]
#   VMTEST-DONE <count>             all scenarios ran; powering off
# Between scenarios every process but this one is killed and every network
# namespace, extra link, IPVS service and nftables rule is removed, so each
# scenario starts from the same clean machine.

export PATH=/usr/bin
export HOME=/root
export TERM=dumb
export LANG=C
umask 022

mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/netns /tmp/vmtest
ln -sf /proc/self/fd /dev/fd 2>/dev/null
ln -sf /proc/self/fd/0 /dev/stdin 2>/dev/null
ln -sf /proc/self/fd/1 /dev/stdout 2>/dev/null
ln -sf /proc/self/fd/2 /dev/stderr 2>/dev/null
hostname vmtest
ip link set lo up

uptime_s() { cut -d' ' -f1 /proc/uptime; }
# uptime in hundredths of a second
uptime_cs() {
	local u
	u=$(cut -d' ' -f1 /proc/uptime)
	echo $((10#${u%.*} * 100 + 10#${u#*.}))
}

echo "VMTEST-BOOT $(uptime_s)"

. /etc/vmtest.conf

n_ok=0
failed_mods=()
while IFS= read -r ko; do
	[[ -n $ko ]] || continue
	if insmod "/lib/modules/$VMTEST_KVER/$ko" 2>/tmp/insmod.err; then
		n_ok=$((n_ok + 1))
	else
		failed_mods+=("$(basename "$ko" .ko): $(head -n 1 /tmp/insmod.err)")
	fi
done </etc/vmtest/modules.load
if ((${#failed_mods[@]} > 0)); then
	echo "VMTEST-MODULES $n_ok loaded, ${#failed_mods[@]} failed: ${failed_mods[*]}"
else
	echo "VMTEST-MODULES $n_ok loaded"
fi
# Forwarding is what a director does; scenarios may turn it off again.
sysctl -qw net.ipv4.ip_forward=1 >/dev/null 2>&1

# clean_machine: back to the state /init left before the first scenario.
clean_machine() {
	local l
	if kill -TERM -1 2>/dev/null; then
		sleep 1
		kill -KILL -1 2>/dev/null
		sleep 0.2
	fi
	ip -all netns delete 2>/dev/null
	for l in /sys/class/net/*; do
		l=${l##*/}
		[[ $l == lo ]] || ip link del "$l" 2>/dev/null
	done
	ipvsadm -C 2>/dev/null
	command -v nft >/dev/null && nft flush ruleset 2>/dev/null
	rm -rf /run/netns/* 2>/dev/null
}

echo "VMTEST-READY $(uptime_s)"

count=0
for name in $VMTEST_SCENARIOS; do
	count=$((count + 1))
	script=/vmtest/scenarios/$name.sh
	dir=/tmp/vmtest/$name
	out=/tmp/vmtest/$name.out
	reason_file=/tmp/vmtest/$name.reason
	mkdir -p "$dir"
	rm -f "$reason_file"
	echo "VMTEST-BEGIN $name"
	t0=$(uptime_cs)
	# Its own session and process group, so that a time-out can end the
	# scenario with everything it started.
	(
		cd "$dir" || exit 1
		VMTEST_NAME=$name VMTEST_DIR=$dir VMTEST_REASON_FILE=$reason_file \
			VMTEST_LIB=/vmtest/lib.sh exec setsid bash "$script"
	) </dev/null >"$out" 2>&1 &
	pid=$!
	limit=$VMTEST_TIMEOUT
	while read -r tn tl; do
		[[ $tn == "$name" ]] && limit=$tl
	done </etc/vmtest/timeouts
	limit_cs=$((limit * 100))
	timed_out=no
	while kill -0 "$pid" 2>/dev/null; do
		if (($(uptime_cs) - t0 >= limit_cs)); then
			timed_out=yes
			kill -TERM -- "-$pid" "$pid" 2>/dev/null
			sleep 2
			kill -KILL -- "-$pid" "$pid" 2>/dev/null
			break
		fi
		sleep 0.2
	done
	rc=0
	wait "$pid" || rc=$?
	secs=$((($(uptime_cs) - t0 + 50) / 100))
	sed "s/^/[$name] /" "$out"
	echo "VMTEST-END $name"
	reason=
	[[ -s $reason_file ]] && reason=$(head -n 1 "$reason_file" | tr -d '\r')
	if [[ $timed_out == yes ]]; then
		echo "VMTEST $name FAIL ${secs}s timed out after ${limit}s${reason:+ ($reason)}"
	elif ((rc == 0)); then
		echo "VMTEST $name PASS ${secs}s"
	elif ((rc == 77)); then
		echo "VMTEST $name SKIP ${secs}s ${reason:-skipped}"
	else
		echo "VMTEST $name FAIL ${secs}s ${reason:-exit status $rc}"
	fi
	clean_machine
done

echo "VMTEST-DONE $count"
sync
poweroff -f
sleep 2
echo o >/proc/sysrq-trigger
sleep 5
# pid 1 exiting panics the kernel; panic=-1 and qemu's -no-reboot end the VM.
exit 0
