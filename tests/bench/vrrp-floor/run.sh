#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Floor experiment: vfloor sender in vf-d1, receiver in vf-d2, LINKS bridges in vf-sw,
# the same topology as tests/bench/vrrp-bench.sh. Usage: run.sh SECS REPS "SEND:RECV ..."
set -euo pipefail
D=$(cd "$(dirname "$0")" && pwd)
BIN=$(mktemp -d /tmp/vfloor.XXXXXX)/vfloor
${CC:-cc} -O2 -Wall -Wextra -std=gnu11 -o "$BIN" "$D/vfloor.c"
SECS=${1:-30}
REPS=${2:-2}
VARIANTS=${3:-"mmsg:mmsg bypass:mmsg txring:mmsg sendto:mmsg mmsg:rxring"}
LINKS=${LINKS:-4}
RATE=${RATE:-10000}
TICK=${TICK:-4000}
WIN=${WIN:-5000}
SW=vf-sw D1=vf-d1 D2=vf-d2
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for ns in $SW $D1 $D2; do ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT

for ns in $SW $D1 $D2; do ip netns add $ns; ip -n $ns link set lo up; done
if ip netns exec $SW test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
	for k in iptables ip6tables arptables; do
		ip netns exec $SW sh -c "echo 0 >/proc/sys/net/bridge/bridge-nf-call-$k"
	done
	echo "br_netfilter: off in $SW"
else
	echo "br_netfilter: absent"
fi
IFS_LIST=()
for ((k = 0; k < LINKS; k++)); do
	ip -n $SW link add br$k type bridge mcast_snooping 0
	ip -n $SW link set br$k up
	for n in 1 2; do
		d=vf-d$n
		t=vfx$$k$n
		ip link add ${t}a type veth peer name ${t}b
		ip link set ${t}a netns $d
		ip link set ${t}b netns $SW
		ip -n $d link set ${t}a name eth$k
		ip -n $SW link set ${t}b name p$n-$k
		ip -n $SW link set p$n-$k master br$k up
		ip -n $d addr add 198.18.$k.$n/24 dev eth$k
		ip -n $d link set eth$k up
	done
	IFS_LIST+=(eth$k)
done
sleep 1

# sample PID: "ticks sched_ns wall_ns"
sample() {
	local st
	st=$(cat /proc/$1/stat)
	st=${st##*) }
	read -r -a f <<<"$st"
	# after "comm) ": field 3 = state -> index 0; utime = field 14 -> index 11, stime index 12
	local sch
	read -r sch _ </proc/$1/schedstat
	echo "$((f[11] + f[12])) $sch $(date +%s%N)"
}
HZ=$(getconf CLK_TCK)
pct() { # pct "a" "b" -> "tick% sched%"
	read -r ta sa wa <<<"$1"
	read -r tb sb wb <<<"$2"
	python3 -c "import sys; ta,sa,wa,tb,sb,wb=map(int,sys.argv[1:]); w=(wb-wa)/1e9; print('%.2f %.2f' % (100*(tb-ta)/$HZ/w, 100*(sb-sa)/1e9/w))" "$ta" "$sa" "$wa" "$tb" "$sb" "$wb"
}
cpustat() { head -1 /proc/stat; }

echo "variant rep | send_tick% send_sched% | recv_tick% recv_sched% | loadavg | counters"
for ((rep = 1; rep <= REPS; rep++)); do
	for v in $VARIANTS; do
		sm=${v%%:*} rm=${v##*:}
		log=$(mktemp /tmp/vf.XXXXXX)
		ip netns exec $D2 "$BIN" recv "$rm" "$WIN" $((SECS + 20)) "${IFS_LIST[@]}" 2>>"$log" &
		rp=$!; PIDS+=($rp)
		sleep 0.5
		ip netns exec $D1 "$BIN" send "$sm" "$RATE" "$TICK" $((SECS + 20)) "${IFS_LIST[@]}" 2>>"$log" &
		sp=$!; PIDS+=($sp)
		sleep 3
		s0=$(sample $sp); r0=$(sample $rp); c0=$(cpustat)
		sleep "$SECS"
		s1=$(sample $sp); r1=$(sample $rp); c1=$(cpustat)
		kill -TERM $sp; wait $sp || true
		sleep 0.3
		kill -TERM $rp; wait $rp || true
		PIDS=()
		python3 - "$c0" "$c1" >>"$log" <<'EOF'
import sys
a = list(map(int, sys.argv[1].split()[1:])); b = list(map(int, sys.argv[2].split()[1:]))
d = [y - x for x, y in zip(a, b)]; tot = sum(d)
names = "user nice system idle iowait irq softirq steal".split()
print("machine: " + " ".join("%s %.1f%%" % (n, 100 * v / tot * 2) for n, v in zip(names, d)) + " (of one CPU)")
EOF
		printf '%-15s %d | %s | %s | %s | %s\n' "$v" "$rep" "$(pct "$s0" "$s1")" "$(pct "$r0" "$r1")" \
			"$(cut -d' ' -f1-3 /proc/loadavg)" "$(tr '\n' ';' <"$log")"
		rm -f "$log"
	done
done
