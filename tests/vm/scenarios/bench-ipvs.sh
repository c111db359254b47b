#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# IPVS benchmark (not a test): keepalived 2.2.7 and vigild, one after the
# other in the same VM, program the same generated keepalived.conf (N
# virtual_servers x M real_servers, NAT, rr, no checkers) into an empty
# namespace. Measured per daemon: cold programming time (until the
# daemon's last CPU use before the table is complete), a no-op SIGHUP
# reload and a one-weight-change SIGHUP reload (settle time, `ipvsadm -Ln`
# lines changed, IPVS genl requests seen on an nlmon device).
#
# Skipped unless tests/bench/ipvs-bench.sh started the run: it puts the
# executable bench-ipvs-params (which prints the parameters as shell
# assignments) into the VM with VIGIL_VM_EXTRA_BINS, so the ordinary
# `scripts/test-all vm` stage skips this scenario.
# Result lines start with "BENCH " (parsed by tests/bench/ipvs-bench.sh).
# vmtest-timeout: 3000
# shellcheck source=../lib.sh
. "$VMTEST_LIB"

command -v bench-ipvs-params >/dev/null 2>&1 ||
	skip "a benchmark: run tests/bench/ipvs-bench.sh"
BENCH_SERVICES=10000 BENCH_RS=10 BENCH_DAEMONS="keepalived vigild" BENCH_COLD_LIMIT=1200
eval "$(bench-ipvs-params)"
[[ $BENCH_SERVICES =~ ^[1-9][0-9]*$ && $BENCH_SERVICES -le 62500 ]] ||
	fail "BENCH_SERVICES must be 1..62500"
[[ $BENCH_RS =~ ^[1-9][0-9]*$ && $BENCH_RS -le 250 ]] || fail "BENCH_RS must be 1..250"
need ipvsadm
need_module ip_vs ip_vs_rr

N=$BENCH_SERVICES
M=$BENCH_RS
WANT_LINES=$((3 + N * (1 + M)))
bres() { echo "BENCH $*"; }
# busybox date has no %N: the uptime clock has 10 ms steps.
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# The configuration: service i is 198.18.(i/250).(i%250+1):80, its real
# servers 198.19.0.(r+1):8080 (the same addresses in every service).
gen_conf() { # gen_conf FILE WEIGHT_OF_SERVICE0_RS0
	awk -v n="$N" -v m="$M" -v w0="$2" 'BEGIN {
		print "global_defs {\n\trouter_id bench\n}"
		for (i = 0; i < n; i++) {
			printf "virtual_server 198.18.%d.%d 80 {\n", int(i / 250), i % 250 + 1
			print "\tlb_algo rr\n\tlb_kind NAT\n\tprotocol TCP"
			for (r = 0; r < m; r++) {
				printf "\treal_server 198.19.0.%d 8080 {\n", r + 1
				printf "\t\tweight %d\n\t}\n", (i == 0 && r == 0) ? w0 : 1
			}
			print "}"
		}
	}' >"$1"
}
gen_conf "$T/bench.conf" 1
gen_conf "$T/bench-changed.conf" 5
log "config: $N services x $M real servers, $(wc -l <"$T/bench.conf") lines; table complete at $WANT_LINES lines"

# Each daemon gets a namespace of its own: IPVS keeps the dests a flush
# deleted in a per-namespace trash list for minutes and walks it on every
# dest added, so a daemon run after `ipvsadm -C` of the other one's table in
# the same namespace would be measured against that list (it was: the
# second daemon paid ~0.5 ms per dest under TCG).
# The kernel changes are counted on an nlmon device in the daemon's
# namespace (netlink taps are per namespace): tcpdump writes a pcap, read
# back with -Z root (Debian's tcpdump otherwise drops to a user the VM does
# not have, and reads nothing).
NS=
nl_ok=no
GENL_IPVS=0
ns_setup() { # ns_setup DAEMON: create its namespace and nlmon device; sets NS
	NS=b-$1
	ns_create "$NS"
	nl_ok=no
	if nsx "$NS" ip link add nlmon0 type nlmon 2>/dev/null &&
		nsx "$NS" ip link set nlmon0 up && command -v tcpdump >/dev/null; then
		nl_ok=yes
		# The IPVS generic netlink family's message type, so that only
		# its requests are counted (0: unknown, every non-controller
		# generic netlink request counts).
		GENL_IPVS=$(nsx "$NS" genl ctrl get name IPVS 2>/dev/null |
			sed -n 's/.*ID: *\(0x[0-9a-fA-F]*\).*/\1/p' | head -n 1)
		GENL_IPVS=$((${GENL_IPVS:-0}))
		log "nlmon0 in $NS; IPVS genl family id: $GENL_IPVS"
	else
		log "no nlmon device or tcpdump: kernel requests are not counted"
	fi
}

table_lines() { nsx "$NS" awk 'END { print NR }' /proc/net/ip_vs 2>/dev/null || echo 0; }

# cold_pids DAEMON: the daemon's processes (keepalived: main and, once its
# pid files exist, the checker and VRRP children).
cold_pids() {
	local f p=${VPID[$1]}
	for f in "$T/$1-check.pid" "$T/$1-vrrp.pid"; do
		[[ -s $f ]] && p+=" $(cat "$f" 2>/dev/null)"
	done
	echo "$p"
}

# cpu_ticks PID...: utime+stime of the processes (and their threads).
cpu_ticks() {
	local p s=0 v
	for p in "$@"; do
		v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
		s=$((s + v))
	done
	echo "$s"
}

# cpu_sample PID...: one 50 ms sample of the processes' CPU ticks; updates
# the caller's prev, t_last (when they moved) and quiet (samples without).
cpu_sample() {
	local c
	c=$(cpu_ticks "$@")
	if [[ $c != "$prev" ]]; then
		t_last=$(now)
		prev=$c
		quiet=0
	else
		quiet=$((quiet + 1))
	fi
}

# settle T0 PID...: wait until the processes used no CPU for 2 s (or 600 s
# passed); prints the seconds from T0 to the last sample where CPU moved.
settle() {
	local t0=$1 prev t_last quiet=0 i
	shift
	prev=$(cpu_ticks "$@")
	t_last=$t0
	for ((i = 0; i < 12000 && quiet < 40; i++)); do
		sleep 0.05
		cpu_sample "$@"
	done
	elapsed "$t0" "$t_last"
}

# Start and stop a capture of netlink traffic in the namespace.
cap_start() { # cap_start NAME
	[[ $nl_ok == yes ]] || return 0
	bg_start "cap-$1" "$NS" tcpdump -Z root -i nlmon0 -B 32768 -s 256 -U -w "$T/$1.pcap"
	sleep 1
}
cap_stop() { # cap_stop NAME
	[[ $nl_ok == yes ]] || return 0
	sleep 0.5
	kill -INT "${VPID[cap-$1]}" 2>/dev/null || true
	wait "${VPID[cap-$1]}" 2>/dev/null || true
	log "tcpdump $1: $(tr '\n' ' ' <"${VLOG[cap-$1]}")"
}
# genl_requests NAME: IPVS-changing generic netlink requests in the capture
# (protocol NETLINK_GENERIC, not the controller, NLM_F_REQUEST set, command
# NEW/SET/DEL_SERVICE, NEW/SET/DEL_DEST or FLUSH); several messages in one
# datagram are each counted.
genl_requests() {
	[[ $nl_ok == yes ]] || { echo "not measured"; return; }
	log "capture $1: $(grep 'dropped by kernel' "${VLOG[cap-$1]}" || echo 'no tcpdump summary')"
	# An empty capture means nlmon saw nothing (not even the daemon's own
	# requests): say so rather than report 0 changes.
	if [[ $({ tcpdump -Z root -r "$T/$1.pcap" 2>/dev/null || true; } | wc -l) -eq 0 ]]; then
		log "capture $1 reads back empty: $(tcpdump -Z root -r "$T/$1.pcap" 2>&1 | head -n 2 | tr '\n' ' ')"
		echo "not measured (empty nlmon capture)"
		return
	fi
	{ tcpdump -Z root -r "$T/$1.pcap" 2>/dev/null || true; } | pcap_count_requests "$GENL_IPVS"
}

# pcap_count_requests FAMILY_ID < `tcpdump -r` output of an nlmon capture:
# prints the IPVS-changing requests in it (FAMILY_ID 0: any generic netlink
# family but the controller).
pcap_count_requests() {
	awk -v fam="$1" '
		function flush(   off, len, type, flags, cmd, proto, base) {
			if (hex == "") return
			base = 0; proto = -1
			# A cooked (SLL) header: ARPHRD_NETLINK (0x0338) in bytes 2-3.
			if (substr(hex, 5, 4) == "0338") {
				proto = hx(substr(hex, 29, 4)); base = 16
			}
			if (proto != -1 && proto != 16) { hex = ""; return }
			off = base
			while (off + 20 <= length(hex) / 2) {
				len = le(off, 4); type = le(off + 4, 2); flags = le(off + 6, 2)
				cmd = hx(substr(hex, 2 * (off + 16) + 1, 2))
				if (len < 16) break
				if ((fam > 0 ? type == fam : type != 16) && flags % 2 == 1 &&
				    (cmd == 1 || cmd == 2 || cmd == 3 || cmd == 5 || cmd == 6 ||
				     cmd == 7 || cmd == 17)) n++
				off += int((len + 3) / 4) * 4
			}
			hex = ""
		}
		function hx(s,   v, k) {
			v = 0
			for (k = 1; k <= length(s); k++)
				v = v * 16 + index("0123456789abcdef", tolower(substr(s, k, 1))) - 1
			return v
		}
		function le(o, sz,   v, k) {
			v = 0
			for (k = sz - 1; k >= 0; k--)
				v = v * 256 + hx(substr(hex, 2 * (o + k) + 1, 2))
			return v
		}
		/^[0-9]/ { flush(); next }
		# tcpdump prints netlink frames (an "UNSUPPORTED" link type) as hex
		# and ASCII: the hex is the 40 columns after "0xOFFS: ".
		/^[ \t]+0x[0-9a-f]+:/ {
			k = split(substr($0, index($0, ":") + 2, 40), g, " ")
			for (f = 1; f <= k; f++) hex = hex g[f]
		}
		END { flush(); print n + 0 }'
}

# by_service: `ipvsadm -Ln` as sorted "service | real server" lines.
by_service() {
	sed -e 's/[[:space:]]\{1,\}/ /g' -e 's/^ //' -e 's/ $//' |
		awk '/^(IP Virtual Server|Prot |-> RemoteAddress)/ { next }
		     /^-> / { print svc " | " $0; next }
		     NF { svc = $0; print svc }' | sort
}
snapshot() { ipvs "$NS" -Ln | by_service >"$1"; }
lines_changed() { { diff "$1" "$2" || true; } | awk '/^[<>+-]/ && !/^(---|\+\+\+)/ { n++ } END { print n + 0 }'; }

run_daemon() { # run_daemon keepalived|vigild
	local d=$1 t0 t1 secs pids ch ops l
	ns_setup "$d"
	cp "$T/bench.conf" "$T/$d.conf"
	t0=$(now)
	if [[ $d == keepalived ]]; then
		VPIDFILE[$d]=$T/$d.pid
		# No -l: keepalived's console logging goes to the serial console,
		# which under TCG would be what we measure.
		bg_start "$d" "$NS" keepalived -n -C -f "$T/$d.conf" -p "$T/$d.pid" \
			-r "$T/$d-vrrp.pid" -c "$T/$d-check.pid"
	else
		bg_start "$d" "$NS" "$VIGILD" -f "$T/$d.conf" -n -l -D -p "$T/$d.pid" \
			--control-socket "$T/$d.sock"
	fi
	# Cold load: from the start until the daemon's processes last used CPU
	# before a quiet of 2 s after which the kernel's table is complete.
	# IPVS requests are synchronous (the kernel does the work inside the
	# daemon's sendmsg), so the daemon's last CPU tick is when its last
	# request was done. Sampling /proc/PID/stat every 50 ms costs next to
	# nothing; the listing (/proc/net/ip_vs) is read only once the daemon is
	# quiet: reading 110,000 lines under TCG takes seconds of CPU, and the
	# old measurement that polled it during the load added that time, and
	# its competition for the CPUs, to both daemons' figures.
	# Also reported: when the complete listing was read (an upper bound),
	# and the daemon's CPU time for the load.
	local deadline=$((SECONDS + BENCH_COLD_LIMIT)) cur=0 prev=-1 t_last quiet=0
	local dpids
	t_last=$t0
	while :; do
		dpids=$(cold_pids "$d")
		cpu_sample $dpids
		if ((quiet >= 40)); then
			cur=$(table_lines)
			((cur >= WANT_LINES)) && break
			quiet=0
		fi
		alive "${VPID[$d]}" || fail "$d exited during the cold start"
		if ((SECONDS > deadline)); then
			bres "$d cold n/a timeout-${BENCH_COLD_LIMIT}s lines=$(table_lines)/$WANT_LINES"
			bg_stop "$d"
			return
		fi
		sleep 0.05
	done
	t1=$(now)
	secs=$(elapsed "$t0" "$t_last")
	bres "$d cold $secs"
	bres "$d cold_listed $(elapsed "$t0" "$t1")"
	bres "$d cold_cpu $(awk -v t="$prev" -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" 'BEGIN { printf "%.2f", t / hz }')"
	log "$d: cold load done at $secs s (CPU quiet), listing of $cur lines read complete at $(elapsed "$t0" "$t1") s, CPU $prev ticks (pids $dpids)"
	pids="${VPID[$d]}"
	for f in "$T/$d-check.pid" "$T/$d-vrrp.pid"; do
		[[ -s $f ]] && pids+=" $(cat "$f")"
	done
	# Let the start-up finish (CPU quiet) before reloading.
	settle "$t1" $pids >/dev/null
	local rss
	rss=$(for p in $pids; do awk '/^VmRSS/ { print $2 }' "/proc/$p/status"; done |
		awk '{ s += $1 } END { print s }')
	bres "$d rss_kb $rss"

	for phase in noop change; do
		snapshot "$T/$d-$phase-before"
		[[ $phase == change ]] && cp "$T/bench-changed.conf" "$T/$d.conf"
		cap_start "$d-$phase"
		local nres
		nres=$(grep -c 'ipvs: ' "${VLOG[$d]}" || true)
		t0=$(now)
		kill -HUP "${VPID[$d]}"
		sleep 0.05
		secs=$(settle "$t0" $pids)
		if [[ $d == vigild ]]; then
			wait_for 60 "vigild's reload result" \
				sh -c "[ \$(grep -c 'ipvs: ' '${VLOG[$d]}') -gt $nres ]"
		fi
		cap_stop "$d-$phase"
		snapshot "$T/$d-$phase-after"
		log "snapshot lines: $(wc -l <"$T/$d-$phase-before") / $(wc -l <"$T/$d-$phase-after"); pcap: $(tcpdump -Z root -r "$T/$d-$phase.pcap" 2>/dev/null | wc -l) packets; first: $(tcpdump -Z root -r "$T/$d-$phase.pcap" -xx -c 1 2>/dev/null | head -n 3 | tr '\n' ' ')"
		ch=$(lines_changed "$T/$d-$phase-before" "$T/$d-$phase-after")
		ops=$(genl_requests "$d-$phase")
		l=
		if [[ $d == vigild ]]; then
			l=$(grep -E 'ipvs: (no change|[0-9]+ services)' "${VLOG[$d]}" | tail -n 1)
			case $l in
			*"no change"*) l=0 ;;
			*operations*) l=$(sed -E 's/.*dests: ([0-9]+) operations.*/\1/' <<<"$l") ;;
			*) l=none ;;
			esac
		fi
		bres "$d $phase settle=$secs diff_lines=$ch genl_requests=${ops// /_}${l:+ logged_ops=$l}"
		log "$d: $phase reload settled in $secs s, $ch listing lines changed, genl requests: $ops${l:+, logged: $l}"
	done
	bg_stop "$d"
	nsx "$NS" ipvsadm -C
	log "$d's log (ipvs lines):"
	grep -E 'ipvs|IPVS|error' "${VLOG[$d]}" | head -n 40 >&2 || true
}

# What the configuration load alone costs (no kernel work): vigild -t.
if [[ " $BENCH_DAEMONS " == *" vigild "* ]]; then
	t0=$(now)
	"$VIGILD" -t -f "$T/bench.conf" >/dev/null 2>&1 || fail "vigild -t refuses the bench config"
	bres "vigild config_test $(elapsed "$t0" "$(now)")"
fi
if [[ " $BENCH_DAEMONS " == *" keepalived "* ]] && command -v keepalived >/dev/null; then
	t0=$(now)
	keepalived -t -f "$T/bench.conf" >/dev/null 2>&1 || log "keepalived -t: rc $?"
	bres "keepalived config_test $(elapsed "$t0" "$(now)")"
fi

for d in $BENCH_DAEMONS; do
	case $d in
	keepalived) command -v keepalived >/dev/null || { bres "keepalived absent"; continue; } ;;
	vigild) ;;
	*) fail "unknown daemon $d" ;;
	esac
	run_daemon "$d"
done
[[ -n $(command -v keepalived) ]] && bres "keepalived_version $(keepalived -v 2>&1 | head -n 1)"
pass "benchmark done"
