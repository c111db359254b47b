#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# How TCP_CHECK closes its connections, seen on the wire (tcpdump in the
# real server's namespace) and in the director's socket table:
# - by default a passed check resets the connection: RST from the director,
#   never a FIN, and no TIME-WAIT socket left on the director;
# - after a reload with `checker_tcp_close fin` in global_defs: an orderly
#   close, FIN from the director and no RST, the director's side in
#   TIME-WAIT;
# - either way the probe stays up with reason "connected".
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need socat tcpdump python3

hosts_on_lan d rs # d: 198.18.0.1 (vigild), rs: 198.18.0.2 (the real server)
D=198.18.0.1
RS=198.18.0.2
PORT=8001

conf() { # conf CLOSE_LINE: the configuration, with an optional global_defs line
	cat >"$T/d.conf" <<EOF
global_defs {
	router_id d
	$1
}
virtual_server 198.18.0.100 80 {
	delay_loop 0.3
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS $PORT {
		weight 1
		TCP_CHECK {
			connect_timeout 1
		}
	}
}
EOF
}

# A listener that accepts and reads until the peer closes or resets.
ip netns exec "$(ns_name rs)" socat -u "TCP-LISTEN:$PORT,bind=$RS,reuseaddr,fork" /dev/null &
_NET_PIDS+=("$!")
wait_for 5 "listener on $PORT" nsx rs sh -c "ss -Hltn 'sport = :$PORT' | grep -q LISTEN"

probe() { # probe FIELD: a field of the (only) probe
	ctl d --json status | jget "checker.probes.0.$1"
}
proc() { ctl d --json status | jget "checker.process.$1"; }

declare -A CAPPID=()
cap_start() { # cap_start NAME: capture the check's TCP packets in rs
	local i
	ip netns exec "$(ns_name rs)" tcpdump -i eth0 -n -U --immediate-mode -Z root -s 128 \
		-w "$T/$1.pcap" "tcp port $PORT" >"$T/$1.tcpdump" 2>&1 &
	CAPPID[$1]=$!
	_NET_PIDS+=("$!")
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' "$T/$1.tcpdump" 2>/dev/null && return 0
		alive "${CAPPID[$1]}" || fail "tcpdump $1: $(cat "$T/$1.tcpdump")"
		sleep 0.1
	done
	fail "tcpdump $1 did not start"
}
cap_stop() {
	sleep 0.2
	kill -INT "${CAPPID[$1]}" 2>/dev/null || true
	wait "${CAPPID[$1]}" 2>/dev/null || true
}
# cap_count NAME FLAG: packets from the director with tcp flag FLAG
# (tcp-syn, tcp-fin, tcp-rst) in capture NAME.
cap_count() {
	tcpdump -r "$T/$1.pcap" -n "src host $D and tcp[tcpflags] & $2 != 0" 2>/dev/null | wc -l
}
timewait() { # the director's TIME-WAIT sockets towards the real server
	nsx d ss -Htn state time-wait "( dport = :$PORT )" | wc -l
}
wait_up() {
	local i
	for ((i = 0; i < 50; i++)); do
		[[ $(probe state) == up && $(probe reason) == connected ]] && return 0
		sleep 0.1
	done
	fail "probe not up: $(probe state) '$(probe reason)'"
}

# --- default: reset
conf ""
"$VIGILD" -t -f "$T/d.conf" >"$T/t.out" 2>&1 || fail "vigild -t: $(cat "$T/t.out")"
cap_start rst
vigild_start d d "$T/d.conf"
wait_up
sleep 2 # several checks
cap_stop rst
syn=$(cap_count rst tcp-syn) rst=$(cap_count rst tcp-rst) fin=$(cap_count rst tcp-fin)
log "default: $syn SYN, $rst RST, $fin FIN from the director"
((syn >= 3)) || fail "only $syn connections in 2 s"
((rst >= syn - 1)) || fail "$rst RST for $syn connections (default close must reset)"
expect_eq 0 "$fin" "FIN from the director by default"
expect_eq 0 "$(timewait)" "TIME-WAIT sockets on the director by default"
expect_eq up "$(probe state)" "state with RST close"

# --- checker_tcp_close fin, by a reload
conf "checker_tcp_close fin"
"$VIGILD" -t -f "$T/d.conf" >"$T/t.out" 2>&1 || fail "vigild -t: $(cat "$T/t.out")"
ctl d reload >/dev/null || fail "reload failed"
checker_reloaded d 2
sleep 0.5 # the old checker's last connection is closed
cap_start fin
sleep 2
cap_stop fin
wait_up
syn=$(cap_count fin tcp-syn) rst=$(cap_count fin tcp-rst) fin=$(cap_count fin tcp-fin)
tw=$(timewait)
log "checker_tcp_close fin: $syn SYN, $rst RST, $fin FIN from the director, $tw in TIME-WAIT"
((syn >= 3)) || fail "only $syn connections in 2 s"
((fin >= syn - 1)) || fail "$fin FIN for $syn connections (checker_tcp_close fin)"
expect_eq 0 "$rst" "RST from the director with checker_tcp_close fin"
((tw >= 1)) || fail "no TIME-WAIT socket on the director after orderly closes"

kill -TERM "${VPID[d]}"
vigild_wait d 10
expect_eq 0 "$VRC" "vigild exit status"
log "PASS"
