#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# VRRP benchmarks: vigild next to keepalived 2.2.7, same run, same topology,
# same keepalived.conf text. See tests/bench/README.md for what each figure
# means and how it is measured.
#
# Exit status: 0 when every requested figure was measured (whatever the
# numbers are), 1 when a figure could not be measured, 2 on a usage or
# environment error. Numbers never fail the run.

set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$BENCH/../.." && pwd)
LIB=$BENCH/benchlib.py

DAEMONS=both
SCENARIOS=takeover-1,takeover-1000,startup-spurious,steady-cpu,memory
REPS1=10
REPS1000=3
INSTANCES=1000
LINKS=4
CUT=port
CPU_SECS=20
STARTUP_WINDOW=5
KEEP=0
STARTUP_REPS=2
START_ORDER=together
BUDGET=${BENCH_BUDGET:-480}
GATE=
D1_STATE=MASTER
BUILD=0
BRIDGE_NF=off
JSON_OUT=
VIGILD=${VIGILD:-$TOP/build-bench/daemon/vigild}
KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}

usage() {
	cat <<EOF
Usage: $0 [OPTION]...
Run the VRRP benchmarks (as root) in network namespaces this script creates.

  -d, --daemon WHICH      keepalived, vigild or both (default: both)
  -s, --scenarios LIST    comma list of: takeover-1 takeover-1000
                          startup-spurious steady-cpu memory (default: all)
  -n, --reps N            takeover-1 repetitions (default: $REPS1)
  -r, --reps-many N       takeover-1000 repetitions (default: $REPS1000)
  -i, --instances N       instances for the many-instance scenarios (default: $INSTANCES)
  -L, --links N           links (bridges) to spread them over (default: $LINKS)
      --cut port|link     how d1 is cut off: 'port' disables d1's bridge port
                          (d1 notices nothing), 'link' sets d1's interfaces
                          down inside d1 (default: $CUT)
      --d1-state STATE    'state' keyword of d1's instances: MASTER (default) or
                          BACKUP (d2's are always BACKUP)
      --startup-reps N    start-ups per d1 state for startup-spurious (default: $STARTUP_REPS)
      --start-order ORDER together (default: both held at a FIFO and released
                          at once) or d2-first (d2, then d1 a few ms later)
      --cpu-seconds S     steady-cpu sampling window (default: $CPU_SECS)
      --bridge-nf off|keep  br_netfilter on the switch's bridges: 'off' (default)
                          switches bridge-nf-call-* off in the switch namespace,
                          'keep' leaves the namespace's defaults
      --vigild PATH       vigild binary (default: \$VIGILD or build-bench/daemon/vigild)
      --keepalived PATH   keepalived binary (default: $KEEPALIVED)
      --build             (re)build build-bench first (configure once, then make)
      --json FILE         also write all records and the table as JSON
  -k, --keep              keep the work directory (logs, captures, configs)
  -h, --help              this help
EOF
}

while [[ $# -gt 0 ]]; do
	case $1 in
	-d | --daemon) DAEMONS=$2; shift ;;
	-s | --scenarios) SCENARIOS=$2; shift ;;
	-n | --reps) REPS1=$2; shift ;;
	-r | --reps-many) REPS1000=$2; shift ;;
	-i | --instances) INSTANCES=$2; shift ;;
	-L | --links) LINKS=$2; shift ;;
	--cut) CUT=$2; shift ;;
	--cpu-seconds) CPU_SECS=$2; shift ;;
	--bridge-nf) BRIDGE_NF=$2; shift ;;
	--d1-state) D1_STATE=$2; shift ;;
	--startup-reps) STARTUP_REPS=$2; shift ;;
	--start-order) START_ORDER=$2; shift ;;
	--vigild) VIGILD=$2; shift ;;
	--keepalived) KEEPALIVED=$2; shift ;;
	--build) BUILD=1 ;;
	--json) JSON_OUT=$2; shift ;;
	-k | --keep) KEEP=1 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "$0: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

die() { echo "vrrp-bench: $*" >&2; exit 2; }
T0=$(date +%s.%N)
say() { printf '[%6.1fs] %s\n' "$(echo "$(date +%s.%N) - $T0" | bc)" "$*" >&2; }

case $DAEMONS in
both) DLIST=(keepalived vigild) ;;
keepalived | vigild) DLIST=("$DAEMONS") ;;
vigil) DLIST=(vigild) ;;
*) die "--daemon must be keepalived, vigild or both" ;;
esac
case $CUT in port | link) ;; *) die "--cut must be port or link" ;; esac
case $BRIDGE_NF in off | keep) ;; *) die "--bridge-nf must be off or keep" ;; esac
case $START_ORDER in together | d2-first) ;; *) die "--start-order must be together or d2-first" ;; esac
case $D1_STATE in MASTER | BACKUP) ;; *) die "--d1-state must be MASTER or BACKUP" ;; esac
export BENCH_D1_STATE=$D1_STATE
for v in "$REPS1" "$REPS1000" "$INSTANCES" "$LINKS" "$CPU_SECS" "$STARTUP_REPS"; do
	[[ $v =~ ^[0-9]+$ && $v -gt 0 ]] || die "'$v' is not a positive integer"
done
[[ $LINKS -le 100 ]] || die "at most 100 links"
(((INSTANCES + LINKS - 1) / LINKS <= 255)) || die "more than 255 instances per link"
declare -A WANT=()
IFS=, read -r -a _sc <<<"$SCENARIOS"
for s in "${_sc[@]}"; do
	case $s in
	takeover-1 | takeover-1000 | startup-spurious | steady-cpu | memory) WANT[$s]=1 ;;
	*) die "unknown scenario '$s'" ;;
	esac
done

[[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces)"
for c in ip bridge tcpdump python3 bc; do
	command -v "$c" >/dev/null || die "needs '$c'"
done

if [[ $BUILD -eq 1 ]]; then
	say "building $TOP/build-bench"
	mkdir -p "$TOP/build-bench"
	(
		cd "$TOP/build-bench"
		[[ -f Makefile ]] || ../configure -q CFLAGS='-O2 -g'
		make -j2 >/dev/null
	) || die "build failed"
fi
for d in "${DLIST[@]}"; do
	case $d in
	keepalived) [[ -x $KEEPALIVED ]] || die "keepalived not found ($KEEPALIVED)" ;;
	vigild) [[ -x $VIGILD ]] || die "vigild not found at $VIGILD (build it: --build)" ;;
	esac
done

# A keepalived run as a system service lives in the root namespace and can
# not see ours; say so if there is one, for the record.
for pid in $(pgrep -x keepalived || true); do
	if [[ $(readlink "/proc/$pid/ns/net" 2>/dev/null) == "$(readlink /proc/self/ns/net)" ]]; then
		say "note: keepalived pid $pid runs in the root namespace (not ours; isolated from the bench)"
	fi
done

W=$(mktemp -d /tmp/vigil-bench.XXXXXX)
RES=$W/results.jsonl
P=vb$$
NS_SW=$P-sw
NS_D1=$P-d1
NS_D2=$P-d2
_NS=()
declare -A LIVE=()  # pids we started and have not reaped yet
FAILED=0

alive() {
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	st=${st##*) }
	[[ ${st:0:1} != Z ]]
}

kill_pid() { # kill_pid PID [SECONDS]: TERM, then KILL after SECONDS (default 15)
	local pid=$1 secs=${2:-15} i kids
	alive "$pid" || return 0
	kids=$(python3 "$LIB" procstat "$pid" | python3 -c 'import json,sys; print(" ".join(map(str, json.load(sys.stdin)["pids"][1:])))')
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < secs * 10; i++)); do
		alive "$pid" || break
		sleep 0.1
	done
	if alive "$pid"; then
		say "pid $pid ignored SIGTERM for ${secs}s: SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
	unset "LIVE[$pid]"
	# Children of a process we started (keepalived's VRRP child).
	for k in $kids; do
		if alive "$k"; then kill -KILL "$k" 2>/dev/null || true; fi
	done
}

cleanup() {
	local rc=$? pid ns
	trap - EXIT INT TERM
	for pid in "${!LIVE[@]}"; do
		kill_pid "$pid" 5
	done
	for ns in "${_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	if [[ $KEEP -eq 1 ]]; then
		echo "vrrp-bench: kept $W" >&2
	else
		rm -rf "$W"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ------------------------------------------------------------------ topology

# One switch namespace with LINKS bridges; d1 and d2 each have ethK on
# bridge brK (K = 0..LINKS-1), 198.18.K.1/24 on d1 and 198.18.K.2/24 on d2.
topology() {
	local ns k d n tmp
	for ns in "$NS_SW" "$NS_D1" "$NS_D2"; do
		ip netns add "$ns"
		_NS+=("$ns")
		ip -n "$ns" link set lo up
	done
	# Test plumbing, the same for both daemons: the switch's bridges do
	# not hand frames to iptables/ip6tables/arptables (br_netfilter, when
	# loaded, is per network namespace). Its cost would otherwise be
	# charged to whichever process sends (veth delivery runs in the
	# sender's context) and has nothing to do with either daemon.
	BRNF=absent
	if ip netns exec "$NS_SW" test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
		BRNF="on (kept)"
	fi
	if [[ $BRIDGE_NF == off && $BRNF != absent ]]; then
		for k in iptables ip6tables arptables; do
			ip netns exec "$NS_SW" sh -c "echo 0 >/proc/sys/net/bridge/bridge-nf-call-$k" ||
				die "could not switch off bridge-nf-call-$k in $NS_SW"
		done
		BRNF=off
	fi
	for ((k = 0; k < LINKS; k++)); do
		ip -n "$NS_SW" link add "br$k" type bridge mcast_snooping 0
		ip -n "$NS_SW" link set "br$k" up
		for n in 1 2; do
			d=$P-d$n
			tmp=vb$$x$k$n
			ip link add "${tmp}a" type veth peer name "${tmp}b"
			ip link set "${tmp}a" netns "$d"
			ip link set "${tmp}b" netns "$NS_SW"
			ip -n "$d" link set "${tmp}a" name "eth$k"
			ip -n "$NS_SW" link set "${tmp}b" name "p$n-$k"
			ip -n "$NS_SW" link set "p$n-$k" master "br$k" up
			ip -n "$d" addr add "198.18.$k.$n/24" dev "eth$k"
			ip -n "$d" link set "eth$k" up
		done
	done
}

cut_d1() {
	local k
	for ((k = 0; k < LINKS; k++)); do
		if [[ $CUT == port ]]; then
			echo "link set dev p1-$k state 0"
		else
			echo "link set dev eth$k down"
		fi
	done | if [[ $CUT == port ]]; then bridge -n "$NS_SW" -batch -; else ip -n "$NS_D1" -batch -; fi
}

restore_d1() {
	local k
	for ((k = 0; k < LINKS; k++)); do
		if [[ $CUT == port ]]; then
			echo "link set dev p1-$k state 3"
		else
			echo "link set dev eth$k up"
		fi
	done | if [[ $CUT == port ]]; then bridge -n "$NS_SW" -batch -; else ip -n "$NS_D1" -batch -; fi
}

vips() { # vips NS: number of VIPs (198.19.*) on NS
	ip -n "$1" -o -4 addr show 2>/dev/null | grep -c ' inet 198\.19\.' || true
}

# wait_settled N SECONDS: d1 holds all N VIPs and d2 none, steadily for 1 s;
# gives up after SECONDS of wall time.
wait_settled() {
	local n=$1 end since=
	end=$(($(date +%s) + $2))
	while [[ $(date +%s) -lt $end ]]; do
		if [[ $(vips "$NS_D1") -eq $n && $(vips "$NS_D2") -eq 0 ]]; then
			[[ -n $since ]] || since=$(date +%s%N)
			(($(date +%s%N) - since >= 1000000000)) && return 0
		else
			since=
		fi
		alive "${DPID[d1]}" && alive "${DPID[d2]}" || return 1
		sleep 0.1
	done
	return 1
}

# ------------------------------------------------------------------ daemons

declare -A DPID=()
declare -A DLOG=()

# start_daemon WHICH NODE CONF: start keepalived or vigild in namespace NODE
# in the foreground, logging to the console, with its own pid files.
start_daemon() {
	local which=$1 node=$2 conf=$3 tag=$1-s$SESSION-$2 gate=()
	DLOG[$node]=$W/$tag.log
	# With GATE set to a FIFO, the daemon is exec'd only once something
	# opens GATE for writing (see release_gate): same pid, common start.
	if [[ -n ${GATE:-} ]]; then
		gate=(sh -c 'read -r _ <"$0" || true; shift; exec "$@"' "$GATE" _)
	fi
	case $which in
	keepalived)
		ip netns exec "$P-$node" "${gate[@]}" "$KEEPALIVED" -n -l -P -f "$conf" \
			-p "$W/$tag.pid" -r "$W/$tag.vrrp.pid" -c "$W/$tag.check.pid" \
			</dev/null >"${DLOG[$node]}" 2>&1 &
		;;
	vigild)
		ip netns exec "$P-$node" "${gate[@]}" "$VIGILD" -n -l -f "$conf" -p "$W/$tag.pid" \
			--control-socket "$W/$tag.sock" </dev/null >"${DLOG[$node]}" 2>&1 &
		;;
	esac
	DPID[$node]=$!
	LIVE[$!]=1
}

# start_pair WHICH D1_CONF D2_CONF: start d2's and d1's daemon. START_ORDER
# 'together' holds both at a FIFO and releases them with one open(2);
# 'd2-first' starts d2, then d1 right after (a few ms later).
SESSION=0
start_pair() {
	local which=$1 i
	SESSION=$((SESSION + 1))
	if [[ $START_ORDER == together ]]; then
		GATE=$W/gate.$RANDOM
		mkfifo "$GATE"
		start_daemon "$which" d2 "$3"
		start_daemon "$which" d1 "$2"
		# Both shells must be blocked in open() before the release.
		for ((i = 0; i < 250; i++)); do
			if [[ $(cat "/proc/${DPID[d1]}/wchan" 2>/dev/null) == wait_for_partner &&
				$(cat "/proc/${DPID[d2]}/wchan" 2>/dev/null) == wait_for_partner ]]; then
				break
			fi
			sleep 0.02
		done
		# Opening for writing releases every reader blocked in open();
		# O_RDWR so that this never blocks, even if one is not there yet.
		exec 9<>"$GATE"
		exec 9>&-
		rm -f "$GATE"
		GATE=
	else
		start_daemon "$which" d2 "$3"
		start_daemon "$which" d1 "$2"
	fi
}

stop_daemons() {
	local node
	for node in d2 d1; do
		if [[ -n ${DPID[$node]:-} ]]; then kill_pid "${DPID[$node]}" 20; fi
		DPID[$node]=
	done
	# Leftover VIPs from a daemon that did not clean up must not leak
	# into the next run.
	ip -n "$NS_D1" -4 addr show | awk '/ inet 198\.19\./ {print $2, $NF}' |
		while read -r a dev; do ip -n "$NS_D1" addr del "$a" dev "$dev"; done
	ip -n "$NS_D2" -4 addr show | awk '/ inet 198\.19\./ {print $2, $NF}' |
		while read -r a dev; do ip -n "$NS_D2" addr del "$a" dev "$dev"; done
}

master_re() {
	case $1 in
	keepalived) echo 'Entering MASTER STATE' ;;
	vigild) echo ' -> MASTER' ;;
	esac
}

# record DAEMON FIGURE JSON_OBJECT: append one result line.
record() {
	local obj=$3
	printf '{"daemon":"%s","figure":"%s",%s\n' "$1" "$2" "${obj#\{}" >>"$RES"
}

# ------------------------------------------------------------------ scenarios

# takeover_once WHICH FIGURE N REP: cut d1 off, wait for N VIPs on d2,
# restore, and record the measurement.
takeover_once() {
	local which=$1 fig=$2 n=$3 rep=$4 mon cap err mpid tpid cut i got out
	mon=$W/$which-$fig-$rep.mon
	cap=$W/$which-$fig-$rep.pcap
	err=$W/$which-$fig-$rep.tcpdump
	ip -n "$NS_D2" -ts monitor address >"$mon" 2>&1 &
	mpid=$!
	LIVE[$mpid]=1
	ip netns exec "$NS_D2" tcpdump -i any -n -s 96 -B 16384 --immediate-mode -U --time-stamp-precision=micro \
		-w "$cap" 'ip proto 112' 2>"$err" &
	tpid=$!
	LIVE[$tpid]=1
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' "$err" 2>/dev/null && break
		sleep 0.1
	done
	# A few adverts before the cut, at a random phase to them.
	sleep "0.$((300 + RANDOM % 200))"
	cut=$(date +%s.%N)
	cut_d1
	got=0
	for ((i = 0; i < 100; i++)); do
		sleep 0.1
		got=$(grep -v Deleted "$mon" | grep -o 'inet 198\.19\.[0-9.]*' | sort -u | wc -l)
		[[ $got -ge $n ]] && break
	done
	sleep 0.2
	kill -INT "$tpid" 2>/dev/null || true
	wait "$tpid" 2>/dev/null || true
	unset "LIVE[$tpid]"
	kill -TERM "$mpid" 2>/dev/null || true
	wait "$mpid" 2>/dev/null || true
	unset "LIVE[$mpid]"
	restore_d1
	out=$(python3 "$LIB" takeover "$cap" "$mon" "$n" "$cut") ||
		out='{"error":"analysis failed"}'
	local drops
	drops=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$err")
	out=${out%\}}', "rep": '$rep', "tcpdump_drops": '${drops:-0}'}'
	record "$which" "$fig" "$out"
	say "  $fig rep $rep: $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("%s ms (first d2 advert %s ms, all d2 instances advertising %s ms, d1 last advert %s ms before the cut)" % (d.get("ms", "n/a: " + d.get("error", "?")), d.get("first_d2_advert_ms", "-"), d.get("all_d2_adverts_ms", "-"), d.get("t0_before_cut_ms", "-")))' "$out")"
	if ! wait_settled "$n" 30; then
		say "  did not settle back to d1 after rep $rep"
		return 1
	fi
}

# Session 1: one instance; takeover-1.
session_one() {
	local which=$1 rep
	python3 "$LIB" genconf d1 1 "$LINKS" "$W/one-d1.conf"
	python3 "$LIB" genconf d2 1 "$LINKS" "$W/one-d2.conf"
	say "$which: takeover-1 ($REPS1 reps, cut=$CUT)"
	start_pair "$which" "$W/one-d1.conf" "$W/one-d2.conf"
	if ! wait_settled 1 20; then
		record "$which" takeover-1 '{"error":"did not settle (d1 MASTER with the VIP, d2 without) within 20 s"}'
		say "  $which did not settle; see $W/$which-d*.log"
		FAILED=1
		stop_daemons
		return 0
	fi
	for ((rep = 1; rep <= REPS1; rep++)); do
		if ! takeover_once "$which" takeover-1 1 "$rep"; then
			FAILED=1
			break
		fi
	done
	stop_daemons
}

proc_sample() { # proc_sample PID: JSON
	python3 "$LIB" procstat "$1"
}

# steady_cpu WHICH FIGURE: CPU of d1 (master) and d2 (backup) over CPU_SECS.
steady_cpu() {
	local which=$1 fig=$2 s1a s2a s1b s2b out
	say "  $fig: ${CPU_SECS}s"
	sleep 2
	s1a=$(proc_sample "${DPID[d1]}")
	s2a=$(proc_sample "${DPID[d2]}")
	sleep "$CPU_SECS"
	s1b=$(proc_sample "${DPID[d1]}")
	s2b=$(proc_sample "${DPID[d2]}")
	out=$(python3 - "$s1a" "$s1b" "$s2a" "$s2b" <<'EOF2'
import json, sys
a1, b1, a2, b2 = (json.loads(x) for x in sys.argv[1:5])
# Each sample carries the time it was read at: CPU seconds over wall seconds.
pct = lambda a, b, k="ticks": 100.0 * (b[k] - a[k]) / a["hz"] / (b["t"] - a["t"])
print(json.dumps({"master_pct": round(pct(a1, b1), 2), "backup_pct": round(pct(a2, b2), 2),
                  "master_user_pct": round(pct(a1, b1, "uticks"), 2),
                  "backup_user_pct": round(pct(a2, b2, "uticks"), 2),
                  "master_wakeups_s": round((b1["wakeups"] - a1["wakeups"]) / (b1["t"] - a1["t"]), 1),
                  "backup_wakeups_s": round((b2["wakeups"] - a2["wakeups"]) / (b2["t"] - a2["t"]), 1),
                  "seconds": round(b1["t"] - a1["t"], 2), "master_pids": b1["pids"], "backup_pids": b2["pids"]}))
EOF2
	)
	record "$which" "$fig" "$out"
	say "  $fig: $out"
}

# napi_threads 1|0: turn threaded NAPI on (GRO on, then threaded) or off on
# the switch's ports. A frame a daemon sends on its veth is then handed to
# a NAPI kernel thread of the switch port instead of being carried through
# the bridge and the peer's IP stack inside the sender's own system call,
# as happens between two machines (the receiver's kernel works on its own
# CPU time). Same for both daemons.
napi_threads() {
	local on=$1 k n p
	command -v ethtool >/dev/null 2>&1 || return 1
	for ((k = 0; k < LINKS; k++)); do
		for n in 1 2; do
			p=p$n-$k
			if [[ $on == 1 ]]; then
				ip netns exec "$NS_SW" ethtool -K "$p" gro on >/dev/null 2>&1 &&
					ip netns exec "$NS_SW" sh -c "echo 1 >/sys/class/net/$p/threaded" || return 1
			else
				ip netns exec "$NS_SW" sh -c "echo 0 >/sys/class/net/$p/threaded" 2>/dev/null
				ip netns exec "$NS_SW" ethtool -K "$p" gro off >/dev/null 2>&1
			fi
		done
	done
}

# Session 2: N instances; startup-spurious, memory, steady-cpu, takeover-1000.
# startup WHICH FIGURE D1_STATE SETTLE_SECS: write the N-instance configs (d1's
# instances in D1_STATE), start d2 and then at once d1, count d2's MASTER
# transitions during the first STARTUP_WINDOW seconds and until settled,
# and record FIGURE (when wanted). Sets SETTLED to 1 or 0.
SETTLED=0
startup() {
	local which=$1 fig=$2 st=$3 secs=$4 n=$INSTANCES t_start left masters masters2 t_set
	BENCH_D1_STATE=$st python3 "$LIB" genconf d1 "$n" "$LINKS" "$W/many-d1.conf"
	python3 "$LIB" genconf d2 "$n" "$LINKS" "$W/many-d2.conf"
	say "$which: $n instances (d1 state $st): start d1 and d2 ($START_ORDER)"
	t_start=$(date +%s.%N)
	start_pair "$which" "$W/many-d1.conf" "$W/many-d2.conf"
	left=$(echo "$t_start + $STARTUP_WINDOW - $(date +%s.%N)" | bc)
	[[ $left == -* ]] || sleep "$left"
	masters=$(grep -c -- "$(master_re "$which")" "${DLOG[d2]}" || true)
	SETTLED=1
	if ! wait_settled "$n" "$secs"; then
		SETTLED=0
		say "  $which: not settled after $secs s more: d1 has $(vips "$NS_D1") VIPs, d2 $(vips "$NS_D2")"
	fi
	t_set=$(echo "$(date +%s.%N) - $t_start" | bc)
	masters2=$(grep -c -- "$(master_re "$which")" "${DLOG[d2]}" || true)
	say "  startup: $masters MASTER transitions on d2 in ${STARTUP_WINDOW}s, $masters2 until settled (${t_set}s)"
	[[ -n ${WANT[startup-spurious]:-} ]] || return 0
	if alive "${DPID[d2]}" && alive "${DPID[d1]}"; then
		record "$which" "$fig" "{\"masters\": $masters, \"window_s\": $STARTUP_WINDOW, \"masters_settled\": $masters2, \"settled\": $SETTLED, \"settle_s\": $t_set, \"d1_state\": \"$st\"}"
	else
		record "$which" "$fig" '{"error":"a daemon exited during start-up"}'
		FAILED=1
	fi
}

# Session 2: N instances; startup-spurious, memory, steady-cpu, takeover-1000.
session_many() {
	local which=$1 n=$INSTANCES rep s1a s2a s1b s2b out settled
	startup "$which" startup-spurious "$D1_STATE" 60
	settled=$SETTLED
	[[ $settled -eq 1 ]] || FAILED=1
	if [[ $settled -eq 0 ]]; then
		for f in steady-cpu memory takeover-1000; do
			if [[ -n ${WANT[$f]:-} ]]; then record "$which" "$f" '{"error":"not settled"}'; fi
			if [[ $f == steady-cpu && -n ${WANT[$f]:-} ]]; then record "$which" steady-cpu-napi '{"error":"not settled"}'; fi
		done
		stop_daemons
		return 0
	fi
	if [[ -n ${WANT[steady-cpu]:-} ]]; then
		steady_cpu "$which" steady-cpu
		# The same, with the receiving side's kernel work in NAPI threads
		# (see napi_threads): what each daemon costs on its own machine.
		if napi_threads 1; then
			steady_cpu "$which" steady-cpu-napi
		else
			record "$which" steady-cpu-napi '{"error":"threaded NAPI not available (ethtool missing?)"}'
		fi
		napi_threads 0 || true
	fi
	if [[ -n ${WANT[memory]:-} ]]; then
		s1a=$(proc_sample "${DPID[d1]}")
		s2a=$(proc_sample "${DPID[d2]}")
		out=$(python3 - "$s1a" "$s2a" <<'EOF'
import json, sys
a, b = (json.loads(x) for x in sys.argv[1:3])
print(json.dumps({"master_kb": a["rss_kb"], "backup_kb": b["rss_kb"],
                  "master_mb": round(a["rss_kb"] / 1024, 1), "backup_mb": round(b["rss_kb"] / 1024, 1),
                  "master_pids": a["pids"], "backup_pids": b["pids"]}))
EOF
		)
		record "$which" memory "$out"
		say "  memory: $out"
	fi
	if [[ -n ${WANT[takeover-1000]:-} ]]; then
		say "  takeover-$n ($REPS1000 reps, cut=$CUT)"
		for ((rep = 1; rep <= REPS1000; rep++)); do
			if ! takeover_once "$which" takeover-1000 "$n" "$rep"; then
				FAILED=1
				break
			fi
		done
	fi
	stop_daemons
}

# Session 3: start-up only, d1's instances in STATE; only the
# spurious-MASTER count. Skipped once the run is past BUDGET seconds (a
# daemon caught in a flap storm takes long to settle and to stop), so the
# whole run stays within ~10 minutes.
session_startup() {
	local which=$1 st=$2 fig=startup-spurious
	if (($(date +%s) - ${T0%.*} > BUDGET)); then
		say "$which: skipping a start-up (d1 $st): run is past ${BUDGET}s"
		return 0
	fi
	[[ $st == "$D1_STATE" ]] || fig=startup-spurious-backup
	startup "$which" "$fig" "$st" 30
	stop_daemons
}

# ------------------------------------------------------------------ main

say "work dir $W; namespaces $NS_SW $NS_D1 $NS_D2; $LINKS links"
topology
say "switch bridges: br_netfilter $BRNF"
printf '{"figure":"meta","instances":%d,"links":%d,"cut":"%s","d1_state":"%s","start_order":"%s","reps1":%d,"reps_many":%d,"cpu_seconds":%d,"date":"%s","kernel":"%s","cpus":%d,"vigild":"%s","keepalived":"%s","br_netfilter":"%s"}\n' \
	"$INSTANCES" "$LINKS" "$CUT" "$D1_STATE" "$START_ORDER" "$REPS1" "$REPS1000" "$CPU_SECS" "$(date -u +%FT%TZ)" \
	"$(uname -r)" "$(nproc)" "$VIGILD" "$KEEPALIVED" "$BRNF" >"$RES"

for which in "${DLIST[@]}"; do
	if [[ -n ${WANT[takeover-1]:-} ]]; then session_one "$which"; fi
	if [[ -n ${WANT[takeover-1000]:-}${WANT[startup-spurious]:-}${WANT[steady-cpu]:-}${WANT[memory]:-} ]]; then
		session_many "$which"
	fi
	if [[ -n ${WANT[startup-spurious]:-} ]]; then
		# The many-instance session above made the first start-up
		# measurement with d1 in D1_STATE (when it ran).
		for ((r = 1; r < STARTUP_REPS; r++)); do
			session_startup "$which" "$D1_STATE"
		done
		if [[ $D1_STATE == MASTER ]]; then
			for ((r = 0; r < STARTUP_REPS; r++)); do
				session_startup "$which" BACKUP
			done
		fi
	fi
done

say "done"
if [[ -n $JSON_OUT ]]; then
	python3 "$LIB" report "$RES" --json "$JSON_OUT"
else
	python3 "$LIB" report "$RES"
fi
if grep -q '"error"' "$RES"; then
	FAILED=1
fi
exit "$FAILED"
