#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Health checks drive IPVS: vigild on a director checks three real servers
# (busybox httpd on the LAN) with TCP_CHECK, and `ipvsadm -Ln` follows:
#  - a real server that stops answering is removed, and added back with its
#    weight when it answers again;
#  - with inhibit_on_failure it stays with weight 0 instead;
#  - quorum 2: when the live weight falls below it the sorry_server comes
#    in and every real server is out (the inhibited one at weight 0); one
#    server back (live weight 1) is not enough; quorum regained: the sorry
#    server leaves and the real servers are back;
#  - alpha: a real server whose check never succeeded is never added;
#  - a reload with unchanged checks changes nothing ("ipvs: no change");
#  - notify_down / quorum_down / quorum_up scripts run, and the
#    lvs_notify_fifo gets keepalived's lines, in order;
#  - `vigilctl --json status` shows each real server's state and checker.
#
#   director 198.18.0.1 --- LAN --- real1 198.18.0.2, real2 .3, real3 .4
#   VS 198.18.10.1:80 (NAT, rr): real1 (weight 1), real2 (weight 2,
#   inhibit_on_failure), sorry_server real3:80.
#   VS 198.18.10.2:80 (alpha): real3:81, where nothing listens.
# vmtest-timeout: 420
# shellcheck source=../lib.sh
. "$VMTEST_LIB"
need ipvsadm httpd jq
need_module ip_vs ip_vs_rr

hosts_on_lan director real1 real2 real3
http_server real1-www real1 198.18.0.2 80 real1
http_server real2-www real2 198.18.0.3 80 real2
http_server real3-www real3 198.18.0.4 80 sorry

mkfifo "$T/lvs.fifo"
# The reader must be there before vigild writes (lines without one are
# dropped, as keepalived does); reopened by `cat` after each writer close.
bg_start fifo-reader director sh -c "while :; do cat '$T/lvs.fifo'; done >>'$T/fifo.out'"

CHECK='TCP_CHECK {
			connect_timeout 2
			delay_loop 1
			retry 0
		}'
cat >"$T/director.conf" <<CONF
global_defs {
	router_id director
	lvs_notify_fifo $T/lvs.fifo
}

virtual_server 198.18.10.1 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	quorum 2
	quorum_up "/bin/sh -c 'echo up >>$T/quorum.events'"
	quorum_down "/bin/sh -c 'echo down >>$T/quorum.events'"
	sorry_server 198.18.0.4 80
	real_server 198.18.0.2 80 {
		weight 1
		notify_down "/bin/touch $T/real1.down"
		notify_up "/bin/touch $T/real1.up"
		$CHECK
	}
	real_server 198.18.0.3 80 {
		weight 2
		inhibit_on_failure
		$CHECK
	}
}

virtual_server 198.18.10.2 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	alpha
	real_server 198.18.0.4 81 {
		weight 1
		$CHECK
	}
	real_server 198.18.0.4 80 {
		weight 5
		$CHECK
	}
}
CONF

vigild_start dir director "$T/director.conf"

# table: "198.18.0.2:80 1" lines of VS 198.18.10.1:80 (address:port weight),
# sorted; "-" when the service is missing.
table() {
	local vip=${1:-198.18.10.1}
	ipvs director -Ln -t "$vip:80" 2>/dev/null |
		awk '$1 == "->" && $2 != "RemoteAddress:Port" { print $2, $4 }' | sort || echo -
}
table_is() { # table_is WANT [VIP]
	[[ $(table "${2:-}" | tr '\n' ';') == "$1" ]]
}
# within SECS DESC CMD...: like wait_for, but SECS are wall-clock seconds
# (under TCG on a loaded host one poll of ipvsadm can take most of a
# second, and wait_for counts polls).
within() {
	local secs=$1 end=$((SECONDS + $1)) desc=$2
	shift 2
	while ((SECONDS < end)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@" >/dev/null 2>&1 && return 0
	fail "timed out after ${secs}s waiting for: $desc"
}
wait_table() { # wait_table WANT WHAT: up to 30 s
	local end=$((SECONDS + 30))
	log "waiting for: $2"
	until table_is "$1"; do
		if ((SECONDS >= end)); then
			log "ipvsadm -Ln now:"
			ipvs director -Ln >&2 || true
			fail "$2: want '$1', have '$(table | tr '\n' ';')'"
		fi
		sleep 0.2
	done
}
# hops: IPVS operations the health checks made so far (each change is the
# minimal set: one dest deleted, added or edited).
hops() { json | jq -r '.ipvs.health.operations'; }
herrs() { json | jq -r '.ipvs.health.errors'; }
# ops_since BASE: operations since hops said BASE
ops_since() { echo $(($(hops) - $1)); }
json() { timeout 10 "$VIGILCTL" --control-socket "${VSOCK[dir]}" --json status; }

# 1. start: both real servers in with their weights, no sorry server; the
#    alpha real server that never answered is not in its service.
wait_table "198.18.0.2:80 1;198.18.0.3:80 2;" "both real servers at start"
within 30 "alpha: real3:80 (answers) added" table_is "198.18.0.4:80 5;" 198.18.10.2
sleep 3 # several delay_loops: real3:81 still never answered
expect_eq "198.18.0.4:80 5;" "$(table 198.18.10.2 | tr '\n' ';')" \
	"alpha: real3:81 (nothing listens) never added"
json >"$T/s1.json"
expect_eq "true" "$(jq -r '.ipvs.virtual_servers[0].quorum_up' "$T/s1.json")" "quorum up at start"
expect_eq "3" "$(jq -r '.ipvs.virtual_servers[0].live_weight' "$T/s1.json")" "live weight at start"
expect_eq "TCP_CHECK true" \
	"$(jq -r '.ipvs.virtual_servers[0].real_servers[0].checkers[0] | "\(.kind) \(.up)"' "$T/s1.json")" \
	"real1's checker in the status"
expect_eq "false" "$(jq -r '.ipvs.virtual_servers[1].real_servers[0].alive' "$T/s1.json")" \
	"the alpha real server is not alive"

# 2. real1 stops answering: removed (no inhibit); live weight 2 keeps quorum.
base=$(hops) # (the alpha real server's add is counted already)
bg_stop real1-www
wait_table "198.18.0.3:80 2;" "real1 removed"
within 10 "real1's notify_down" test -e "$T/real1.down"
json >"$T/s2.json"
expect_eq "false" "$(jq -r '.ipvs.virtual_servers[0].real_servers[0].alive' "$T/s2.json")" \
	"real1 not alive in the status"
expect_eq "false" "$(jq -r '.ipvs.virtual_servers[0].real_servers[0].in_ipvs' "$T/s2.json")" \
	"real1 not in IPVS in the status"
# (jq -r prints a missing or null reason as "null": compare the whole value)
expect_eq "connect: Connection refused" \
	"$(jq -r '.ipvs.virtual_servers[0].real_servers[0].reason' "$T/s2.json")" \
	"real1's down reason"
expect_eq 1 "$(ops_since "$base")" "one operation (del_dest) for real1"
base=$(hops)

# 3. real2 stops answering: inhibit_on_failure keeps it at weight 0; live
#    weight 0 < 2: quorum lost, the sorry server comes in.
bg_stop real2-www
wait_table "198.18.0.3:80 0;198.18.0.4:80 1;" "real2 at weight 0 and the sorry server in"
within 10 "quorum_down script" grep -qx down "$T/quorum.events"
expect_eq 2 "$(ops_since "$base")" "two operations: real2 to weight 0, the sorry server added"
base=$(hops)

# 4. a reload with unchanged checks changes nothing in IPVS.
n_before=$(grep -c 'ipvs: no change' "${VLOG[dir]}" || true)
timeout 20 "$VIGILCTL" --control-socket "${VSOCK[dir]}" reload >/dev/null || fail "vigilctl reload failed"
within 15 "reload result" sh -c "[ \$(grep -c 'ipvs: no change' '${VLOG[dir]}') -gt $n_before ]"
expect_eq "198.18.0.3:80 0;198.18.0.4:80 1;" "$(table | tr '\n' ';')" "table after the reload"

# 5. real1 answers again: live weight 1 < 2 + 0: still no quorum, the pool
#    stays replaced by the sorry server.
http_server real1-www real1 198.18.0.2 80 real1
within 30 "real1 alive again in the status" sh -c \
	"timeout 10 '$VIGILCTL' --control-socket '${VSOCK[dir]}' --json status |
	 jq -e '.ipvs.virtual_servers[0].real_servers[0].alive' >/dev/null"
expect_eq "198.18.0.3:80 0;198.18.0.4:80 1;" "$(table | tr '\n' ';')" \
	"live weight 1: the sorry server stays, real1 stays out"
expect_eq "1" "$(json | jq -r '.ipvs.virtual_servers[0].live_weight')" "live weight 1"
expect_eq 0 "$(ops_since "$base")" "no operation while the sorry server holds the pool"

# 6. real2 answers again: live weight 3 >= 2: quorum back, sorry server out.
http_server real2-www real2 198.18.0.3 80 real2
wait_table "198.18.0.2:80 1;198.18.0.3:80 2;" "quorum regained: real servers back, sorry out"
within 10 "quorum_up script" grep -qx up "$T/quorum.events"
test -e "$T/real1.up" || fail "real1's notify_up did not run"
expect_eq 3 "$(ops_since "$base")" "three operations: sorry server out, real1 in, real2's weight"
expect_eq 0 "$(herrs)" "no failed IPVS operation"

# 7. the FIFO got keepalived's lines in order.
want_fifo="RS [198.18.0.2]:tcp:80 [198.18.10.1]:tcp:80 DOWN
RS [198.18.0.3]:tcp:80 [198.18.10.1]:tcp:80 DOWN
VS [198.18.10.1]:tcp:80 DOWN
RS [198.18.0.2]:tcp:80 [198.18.10.1]:tcp:80 UP
RS [198.18.0.3]:tcp:80 [198.18.10.1]:tcp:80 UP
VS [198.18.10.1]:tcp:80 UP"
within 10 "the FIFO lines" sh -c "[ \$(grep -c . '$T/fifo.out') -ge 6 ]"
if [[ $(grep -v '198.18.10.2' "$T/fifo.out") != "$want_fifo" ]]; then
	log "FIFO got:"
	cat "$T/fifo.out" >&2
	fail "lvs_notify_fifo lines differ"
fi

grep -q 'Lost quorum' "${VLOG[dir]}" || fail "no 'Lost quorum' in the log"
pass "removal, inhibit, quorum/sorry server, alpha, reload, scripts and FIFO"
