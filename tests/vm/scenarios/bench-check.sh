#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Health-check benchmark (not a test): keepalived 2.2.7 and vigild, one
# after the other in the same VM, check the same generated keepalived.conf:
# BENCH_TCP real servers with TCP_CHECK and BENCH_HTTP with HTTP_GET (url /,
# status_code 200), 10 per virtual_server, delay_loop 1, connect_timeout 3,
# alpha (so a real server reaches IPVS only once its check has passed).
# Measured per daemon, over BENCH_SECS seconds once every real server is in
# IPVS: CPU (utime+stime from /proc/PID/stat) of the checker process and of
# the main process, separately; VmRSS/VmHWM of both; the probes per second
# the servers actually answered; how busy the whole VM was.
#
# The real servers: one namespace "srv" where 198.19.0.0/16 is local (one
# "local" route on lo, no per-address setup) and ONE process,
# bench-check-server (tests/vm/bench-check-server.c, epoll, no fork),
# listening on 0.0.0.0:9000 (TCP: accept, close) and 0.0.0.0:8080 (HTTP:
# 200 OK). The daemons run in namespace "dir", linked to srv by a veth.
#
# Skipped unless tests/bench/check-bench.sh started the run: it puts the
# executable bench-check-params (which prints the parameters as shell
# assignments) and the server into the VM with VIGIL_VM_EXTRA_BINS, so the
# ordinary `scripts/test-all vm` stage skips this scenario.
# Result lines start with "BENCH " (parsed by tests/bench/check-bench.sh).
#
# BENCH_DAEMONS may also name "floor" and "floor-rst": bench-check-floor
# (tests/vm/bench-check-floor.c, also from VIGIL_VM_EXTRA_BINS), the
# simplest prober doing the same probes (floor-rst: -r, TCP probes closed
# with a RST), measured like a daemon. It is one process: its "checker" is
# that process and its "main" line is zeros; "settled" is its own count of
# probes whose last result passed (it has no IPVS).
# vmtest-timeout: 2400
# shellcheck source=../lib.sh
. "$VMTEST_LIB"

command -v bench-check-params >/dev/null 2>&1 ||
	skip "a benchmark: run tests/bench/check-bench.sh"
BENCH_TCP=10000 BENCH_HTTP=2000 BENCH_SECS=30 BENCH_SETTLE=300 BENCH_DAEMONS="keepalived vigild"
eval "$(bench-check-params)"
[[ $BENCH_TCP =~ ^[0-9]+$ && $BENCH_TCP -le 25000 ]] || fail "BENCH_TCP must be 0..25000"
[[ $BENCH_HTTP =~ ^[0-9]+$ && $BENCH_HTTP -le 25000 ]] || fail "BENCH_HTTP must be 0..25000"
((BENCH_TCP + BENCH_HTTP > 0)) || fail "no checks to run"
# The scenario limit (header above) covers two daemons at these maxima.
[[ $BENCH_SECS =~ ^[1-9][0-9]*$ && $BENCH_SECS -le 300 ]] || fail "BENCH_SECS must be 1..300"
[[ $BENCH_SETTLE =~ ^[1-9][0-9]*$ && $BENCH_SETTLE -le 600 ]] || fail "BENCH_SETTLE must be 1..600"
need ipvsadm bench-check-server
need_module ip_vs ip_vs_rr

M=10 # real servers per virtual_server
N=$((BENCH_TCP + BENCH_HTTP))
NVS=$(((BENCH_TCP + M - 1) / M + (BENCH_HTTP + M - 1) / M))
TCP_PORT=9000
HTTP_PORT=8080
bres() { echo "BENCH $*"; }
now() { cut -d' ' -f1 /proc/uptime; }
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
[[ $hz =~ ^[1-9][0-9]*$ ]] || hz=100

# TCP real server k: 198.19.(k/250).(k%250+1):9000 under virtual_server
# 198.18.(1+v/250).(v%250+1):80; HTTP real server k: 198.19.(100+k/250).
# (k%250+1):8080 under 198.18.(50+v/250).(v%250+1):80. Every real server
# has its own address, so no two checks are the same probe.
awk -v nt="$BENCH_TCP" -v nh="$BENCH_HTTP" -v m="$M" -v tp="$TCP_PORT" -v hp="$HTTP_PORT" '
	function vs(oct, v) {
		printf "virtual_server 198.18.%d.%d 80 {\n", oct + int(v / 250), v % 250 + 1
		print "\tdelay_loop 1\n\tlb_algo rr\n\tlb_kind NAT\n\tprotocol TCP\n\talpha"
	}
	function rs(oct, k, port) {
		printf "\treal_server 198.19.%d.%d %d {\n\t\tweight 1\n", oct + int(k / 250),
			k % 250 + 1, port
	}
	BEGIN {
		print "global_defs {\n\trouter_id bench\n}"
		for (k = 0; k < nt; k++) {
			if (k % m == 0) {
				if (k) print "}"
				vs(1, k / m)
			}
			rs(0, k, tp)
			print "\t\tTCP_CHECK {\n\t\t\tconnect_timeout 3\n\t\t}\n\t}"
		}
		if (nt) print "}"
		for (k = 0; k < nh; k++) {
			if (k % m == 0) {
				if (k) print "}"
				vs(50, k / m)
			}
			rs(100, k, hp)
			print "\t\tHTTP_GET {\n\t\t\turl {\n\t\t\t\tpath /\n\t\t\t\tstatus_code 200\n\t\t\t}"
			print "\t\t\tconnect_timeout 3\n\t\t}\n\t}"
		}
		if (nh) print "}"
	}' >"$T/bench.conf"
log "config: $BENCH_TCP TCP_CHECK + $BENCH_HTTP HTTP_GET real servers in $NVS virtual servers, $(wc -l <"$T/bench.conf") lines"
bres "config tcp=$BENCH_TCP http=$BENCH_HTTP virtual_servers=$NVS secs=$BENCH_SECS hz=$hz nproc=$(nproc)"

ns_create dir srv
veth_link dir eth0 srv eth0
addr_add dir eth0 198.18.0.1/30
addr_add srv eth0 198.18.0.2/30
nsx srv ip route add local 198.19.0.0/16 dev lo || fail "local route in srv"
route_add dir 198.19.0.0/16 198.18.0.2
# Room for the connection rate: listen backlog, ports, TIME-WAIT.
ns_sysctl srv net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
ns_sysctl dir net.ipv4.ip_local_port_range="1024 65000"
log "dir sysctls: tw_reuse=$(nsx dir sysctl -n net.ipv4.tcp_tw_reuse) max_tw_buckets=$(nsx dir sysctl -n net.ipv4.tcp_max_tw_buckets)"

bg_start server srv bench-check-server "$TCP_PORT" "$HTTP_PORT"
wait_for 10 "bench-check-server listening" grep -q '^listening' "${VLOG[server]}"
got=$(http_get dir "http://198.19.100.1:$HTTP_PORT/") || fail "no HTTP answer from the server"
expect_eq ok "$got" "the HTTP server's body"
nsx dir timeout 5 bash -c "exec 3<>/dev/tcp/198.19.0.1/$TCP_PORT" || fail "no TCP answer from the server"

# counters: ask the server for its counters; prints "TCP HTTP BAD". In two
# halves, so that a window's edges are where the question is sent, not
# where the answer is seen (that takes up to a second under TCG):
# counters_ask sends it, counters_read waits for the answer and prints it.
counters_ask() {
	_cn=$(grep -c '^counters ' "${VLOG[server]}" || true)
	kill -USR1 "${VPID[server]}"
}
counters_read() {
	wait_for 10 "the server's counters" \
		sh -c "[ \$(grep -c '^counters ' '${VLOG[server]}') -gt $_cn ]"
	grep '^counters ' "${VLOG[server]}" | tail -n 1 |
		sed -E 's/^counters tcp=([0-9]+) http=([0-9]+) http_bad=([0-9]+).*/\1 \2 \3/'
}
counters() {
	counters_ask
	counters_read
}
# ticks PID: "utime stime" of PID (all its threads), in clock ticks.
ticks() { awk '{ print $14, $15 }' "/proc/$1/stat" 2>/dev/null || echo 0 0; }
# cpu_fields BEFORE AFTER SECS ("utime stime" pairs): the BENCH fields.
cpu_fields() {
	local u0 s0 u1 s1
	read -r u0 s0 <<<"$1"
	read -r u1 s1 <<<"$2"
	echo "cpu=$(pct $((u1 + s1 - u0 - s0)) "$3") user=$(pct $((u1 - u0)) "$3") sys=$(pct $((s1 - s0)) "$3") ticks=$((u1 + s1 - u0 - s0)) uticks=$((u1 - u0))"
}
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
# cpu_busy: "busy total" jiffies of the whole VM from /proc/stat.
cpu_busy() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
pct() { awk -v d="$1" -v s="$2" -v hz="$hz" 'BEGIN { printf "%.1f", (s > 0 ? 100 * d / hz / s : 0) }'; }
dests() { nsx dir awk '$1 == "->" && $2 ~ /^[0-9A-F]+:/ { n++ } END { print n + 0 }' /proc/net/ip_vs 2>/dev/null || echo 0; }
# floor_up NAME: the floor's probes whose last result passed (SIGUSR1).
floor_up() {
	local n
	n=$(grep -c '^floor probes=' "${VLOG[$1]}" || true)
	kill -USR1 "${VPID[$1]}"
	wait_for 10 "$1's counters" sh -c "[ \$(grep -c '^floor probes=' '${VLOG[$1]}') -gt $n ]"
	grep '^floor probes=' "${VLOG[$1]}" | tail -n 1 | sed -E 's/.* up=([0-9]+).*/\1/'
}
# checks_up: vigild's probes in state up (vigilctl; needs jq); empty when
# unknown (no jq, or no answer within 20 s: the status of 12,000 probes is
# a few MB of JSON, slow under TCG).
checks_up() {
	command -v jq >/dev/null || return 0
	timeout 20 "$VIGILCTL" --control-socket "$T/vigild.sock" --json status 2>/dev/null |
		jq -r '.checker.probes_up // empty' 2>/dev/null || true
}
# log_summary FILE: the daemon's log lines counted, addresses and times removed.
log_summary() {
	sed -E -e 's/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9:]+ [0-9]{4}: //' -e 's/^[0-9]{4}-[0-9-]+T[0-9:.]+Z //' \
		-e 's/\[?[0-9]+(\.[0-9]+){3}\]?(:(tcp:)?[0-9]+)?/ADDR/g' -e 's/\[[0-9]+\]//g' \
		-e 's/[0-9]+\.[0-9]+ seconds/N seconds/' "$1" |
		sort | uniq -c | sort -rn | awk 'NR <= 25' >&2
}
# child_named PPID COMM: the pid of PPID's child called COMM.
child_named() {
	local f s
	for f in /proc/[0-9]*/stat; do
		s=$(cat "$f" 2>/dev/null) || continue
		[[ $s == *"($2) "* ]] || continue
		read -ra a <<<"${s##*) }"
		[[ ${a[1]} == "$1" ]] && { f=${f#/proc/}; echo "${f%/stat}"; return 0; }
	done
	return 1
}

# sample SUFFIX: measure the window (BENCH_SECS); result lines "BENCH d
# checker$SUFFIX ...", "main$SUFFIX", "rate$SUFFIX", "vm$SUFFIX". Uses
# run_daemon's variables (d, chk, main, other) and sets its l0 and l1
# (the log's size around the window: the last window is the one shown).
sample() {
	local sfx=$1 c0 c1 b0 b1 k0 k1 m0 m1 s0 s1 t0 t1 secs n
	counters_ask
	read -r b0 <<<"$(cpu_busy | tr ' ' ,)"
	k0=$(ticks "$chk") m0=$(ticks "$main") s0=$(ticks "${VPID[server]}")
	t0=$(now)
	l0=$(stat -c %s "${VLOG[$d]}")
	read -r c0 <<<"$(counters_read | tr ' ' ,)"
	sleep "$BENCH_SECS"
	counters_ask
	k1=$(ticks "$chk") m1=$(ticks "$main") s1=$(ticks "${VPID[server]}" | tr ' ' +)
	t1=$(now)
	read -r b1 <<<"$(cpu_busy | tr ' ' ,)"
	l1=$(stat -c %s "${VLOG[$d]}")
	read -r c1 <<<"$(counters_read | tr ' ' ,)"
	alive "$chk" || fail "$d's checker exited during the measurement${sfx:+ ($sfx)}"
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	n=$(dests)
	[[ $d == floor* ]] && n=$(floor_up "$d")

	bres "$d checker$sfx $(cpu_fields "$k0" "$k1" "$secs") rss_kb=$(status_kb "$chk" VmRSS) hwm_kb=$(status_kb "$chk" VmHWM)"
	if [[ $chk == "$main" ]]; then
		# The floor: one process, counted once (as the checker).
		bres "$d main$sfx cpu=0.0 user=0.0 sys=0.0 ticks=0 uticks=0 rss_kb=0 hwm_kb=0"
	else
		bres "$d main$sfx $(cpu_fields "$m0" "$m1" "$secs") rss_kb=$(status_kb "$main" VmRSS) hwm_kb=$(status_kb "$main" VmHWM)"
	fi
	if [[ -n $other ]] && alive "$other"; then
		bres "$d vrrp$sfx pid=$other ticks_total=$(ticks "$other" | tr ' ' +) rss_kb=$(status_kb "$other" VmRSS)"
	fi
	awk -v a="$c0" -v b="$c1" -v s="$secs" -v d="$d" -v sfx="$sfx" -v up="$n" -v bb="$b0" -v be="$b1" \
		-v sv=$(((s1) - ($(tr ' ' + <<<"$s0")))) -v hz="$hz" -v lb=$((l1 - l0)) 'BEGIN {
		split(a, x, ","); split(b, y, ","); split(bb, p, ","); split(be, q, ",")
		printf "BENCH %s rate%s tcp_per_s=%.0f http_per_s=%.0f http_bad=%d probes=%d up_after=%d\n",
			d, sfx, (y[1] - x[1]) / s, (y[2] - x[2]) / s, y[3] - x[3],
			y[1] - x[1] + y[2] - x[2], up
		printf "BENCH %s vm%s busy_pct=%.1f server_cpu=%.1f log_bytes=%d\n", d, sfx,
			(q[2] > p[2] ? 100 * (q[1] - p[1]) / (q[2] - p[2]) : 0),
			100 * sv / hz / s, lb
	}'
}

# napi_threads 1|0: threaded NAPI (with GRO, which gives a veth its NAPI)
# on or off on eth0 in both namespaces.
napi_threads() {
	local ns
	command -v ethtool >/dev/null 2>&1 || return 1
	for ns in dir srv; do
		if [[ $1 == 1 ]]; then
			nsx "$ns" ethtool -K eth0 gro on >/dev/null 2>&1 &&
				nsx "$ns" sh -c 'echo 1 >/sys/class/net/eth0/threaded' 2>/dev/null || return 1
		else
			nsx "$ns" sh -c 'echo 0 >/sys/class/net/eth0/threaded' 2>/dev/null
			nsx "$ns" ethtool -K eth0 gro off >/dev/null 2>&1 || return 1
		fi
	done
	log "threaded NAPI $1: $(nsx dir cat /sys/class/net/eth0/threaded 2>&1) $(nsx srv cat /sys/class/net/eth0/threaded 2>&1)"
}

run_daemon() { # run_daemon keepalived|vigild|floor|floor-rst
	local d=$1 t0 t1 secs main chk other='' i c0 c1 b0 b1 k0 k1 m0 m1 s0 s1 l0 l1 n
	nsx dir ipvsadm -C
	cp "$T/bench.conf" "$T/$d.conf"
	t0=$(now)
	if [[ $d == keepalived ]]; then
		# -C: the checker only (no VRRP child); its pid comes from -c.
		bg_start "$d" dir keepalived -n -l -D -C -f "$T/$d.conf" -p "$T/$d.pid" \
			-r "$T/$d-vrrp.pid" -c "$T/$d-check.pid"
	elif [[ $d == floor* ]]; then
		local fopt=()
		[[ $d == floor-rst ]] && fopt=(-r)
		bg_start "$d" dir bench-check-floor "${fopt[@]}" "$BENCH_TCP" "$BENCH_HTTP"
	else
		bg_start "$d" dir "$VIGILD" -f "$T/$d.conf" -n -l -p "$T/$d.pid" \
			--control-socket "$T/$d.sock"
	fi
	main=${VPID[$d]}
	chk=
	for ((i = 0; i < 600; i++)); do
		alive "$main" || fail "$d exited at start-up"
		if [[ $d == keepalived ]]; then
			[[ -s $T/$d-check.pid ]] && chk=$(cat "$T/$d-check.pid")
		elif [[ $d == floor* ]]; then
			chk=$main
		else
			chk=$(child_named "$main" vigild-checker) || chk=
		fi
		[[ -n $chk ]] && alive "$chk" && break
		chk=
		sleep 0.1
	done
	[[ -n $chk ]] || fail "$d: no checker process after 60 s"
	[[ $d == keepalived && -s $T/$d-vrrp.pid ]] && other=$(cat "$T/$d-vrrp.pid")
	log "$d: main pid $main, checker pid $chk${other:+, vrrp pid $other}"

	# Settled: every real server in IPVS (alpha: only after a passed check).
	local deadline=$((SECONDS + BENCH_SETTLE)) cur=0 settled=yes vup=
	while :; do
		cur=$(dests)
		[[ $d == floor* ]] && cur=$(floor_up "$d")
		# vigild: the checker's own count too (IPVS may be ahead of it).
		if ((cur >= N)); then
			[[ $d != vigild ]] && break
			vup=$(checks_up)
			[[ -z $vup ]] && { vup=unknown; break; }
			((vup >= N)) && break
			sleep 5
		fi
		alive "$main" || fail "$d exited while settling ($cur/$N real servers up)"
		if ! alive "$chk"; then
			# Why: the log's lines other than the (many) transitions.
			grep -v -e 'down -> up' -e 'Adding service' -e 'Gained quorum' \
				"${VLOG[$d]}" 2>/dev/null | head -n 60 >&2
			fail "$d's checker (pid $chk) exited while settling"
		fi
		if ((SECONDS > deadline)); then
			settled=no
			break
		fi
		sleep 1
	done
	t1=$(now)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	bres "$d settle secs=$secs up=$cur/$N settled=$settled${vup:+ checks_up=$vup}"
	log "$d: $cur of $N real servers in IPVS after $secs s (settled: $settled)"
	# A few more seconds: the start-up transitions and IPVS changes are done.
	sleep 3

	sample ""
	# The same window again with the receive side of both veth ends in
	# threaded NAPI (GRO on, then /sys/class/net/eth0/threaded): the
	# packets' delivery (the server's TCP work included) then runs in
	# kernel threads instead of whichever task sent them, so the checker
	# is charged with its own work only. Same set-up for both daemons.
	if napi_threads 1; then
		sleep 3
		sample -napi
		napi_threads 0 || log "could not turn threaded NAPI off"
	else
		log "threaded NAPI not available (ethtool or /sys/class/net/eth0/threaded): no -napi figures"
	fi
	if [[ $d == vigild ]]; then
		timeout 60 "$VIGILCTL" --control-socket "$T/$d.sock" --json status \
			>"$T/vigild-status.json" 2>"$T/vigild-status.err" ||
			log "vigilctl status failed (rc $?): $(head -c 300 "$T/vigild-status.err")"
		log "vigild status: $(head -c 600 "$T/vigild-status.json" | tr '\n' ' ')"
		command -v jq >/dev/null &&
			bres "vigild status probes_up=$(jq -r '.checker.probes_up' "$T/vigild-status.json" 2>/dev/null) reasons=$(jq -r '[.checker.probes[] | select(.state != "up") | .reason] | group_by(.) | map("\(length)x\(.[0])") | join(";")' "$T/vigild-status.json" 2>/dev/null | tr ' ' _ | head -c 300)"
	fi
	bg_stop "$d"
	nsx dir ipvsadm -C
	log "$d's log: $(wc -l <"${VLOG[$d]}") lines; the window's lines (bytes $l0..$l1), counted:"
	{ tail -c +$((l0 + 1)) "${VLOG[$d]}" | head -c $((l1 - l0)); } >"$T/$d-window.log" || true
	log_summary "$T/$d-window.log"
	log "$d's whole log, counted:"
	log_summary "${VLOG[$d]}"
}

for d in $BENCH_DAEMONS; do
	case $d in
	keepalived) command -v keepalived >/dev/null || { bres "keepalived absent"; continue; } ;;
	vigild) ;;
	floor | floor-rst) need bench-check-floor ;;
	*) fail "unknown daemon $d" ;;
	esac
	run_daemon "$d"
done
[[ -n $(command -v keepalived) ]] && bres "keepalived_version $(keepalived -v 2>&1 | head -n 1)"
bres "server $(counters)"
pass "benchmark done"
