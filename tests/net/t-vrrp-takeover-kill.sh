#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Takeover when the master's daemon dies (SIGKILL): r2 takes over after
# Master_Down_Interval (measured on the wire); the dead daemon's VIP stays
# on r1 (nobody removed it). Restarting r1's daemon removes that stale VIP
# at start-up, before r1 advertises as master again; r1 then preempts,
# adds the VIP back, and r2 returns to BACKUP.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump

VIP=198.18.0.100
vrrp_lan
vrrp_simple_conf "$T/r1.conf" r1 "$VRRP_IMPL" 51 150 3 0.1 "$VIP/32"
vrrp_simple_conf "$T/r2.conf" r2 "$VRRP_IMPL" 51 100 3 0.1 "$VIP/32"
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
wait_state 5 r1 MASTER
wait_state 2 r2 BACKUP
wait_vip 2 r1 "$VIP"

expect_master_down r2 100 100
cap_start kill c1
cap_wait 5 kill "3 adverts from r1" count_ge 3 adverts kill 198.18.0.1 51
d_kill9 r1
t_kill=$(now_ms)
# Watch the VIP, not the daemon, until the new master has sent a few adverts.
wait_vip 3 r2 "$VIP"
log "VIP on r2 $(($(now_ms) - t_kill)) ms after the kill"
cap_wait 5 kill "5 adverts from r2" count_ge 5 adverts kill 198.18.0.2 51
expect_state r2 MASTER
cap_stop kill
expect_vip r1 "$VIP"
log "the killed daemon left $VIP on r1, as expected"
md=$(master_down_ms 100 100)
ms=$(takeover_ms kill 198.18.0.1 198.18.0.2 51)
report_time "kill -9: last r1 advert -> first r2 advert" "$ms" "$md"
expect_between "$(python3 -c "print($md - 30)")" "$(python3 -c "print($md + 250)")" "$ms" \
	"takeover after kill -9 (ms)"
expect_first_gaps kill 198.18.0.2 51 100 "the new master r2"
n=$(adverts kill 198.18.0.1 51 | awk '$9 == 0' | wc -l)
expect_eq 0 "$n" "priority 0 adverts from a killed daemon"

# Restart r1.
addr_mon_start mon r1
cap_start back c1
t_start=$(now_ms)
d_restart r1
wait_state 5 r1 MASTER
wait_vip 2 r1 "$VIP"
wait_state 3 r2 BACKUP
wait_no_vip 2 r2 "$VIP"
cap_wait 5 back "an advert from r1" count_ge 1 adverts back 198.18.0.1 51
cap_stop back
addr_mon_stop mon
ev=$(addr_events mon "$VIP")
log "address events on r1 for $VIP: $(tr '\n' ';' <<<"$ev")"
first1=$(adverts back 198.18.0.1 51 | awk '$9 > 0 && !d { print $2; d = 1 }')
[[ -n $first1 ]] || fail "no advert from the restarted r1"
del=$(awk '$2 == "del" { print $1; exit }' <<<"$ev")
[[ -n $del ]] || fail "the restarted r1 never removed the stale $VIP"
add=$(awk -v d="$del" '$2 == "add" && $1 >= d { print $1; exit }' <<<"$ev")
[[ -n $add ]] || fail "the restarted r1 never re-added $VIP after removing the stale one"
python3 -c "import sys; sys.exit(0 if $del <= $first1 else 1)" ||
	fail "the stale VIP was removed after r1 advertised as master (del $del, advert $first1)"
log "stale VIP removed $(python3 -c "print(int($del - $t_start))") ms after the restart, first r1 advert at +$(python3 -c "print(int($first1 - $t_start))") ms, VIP re-added at +$(python3 -c "print(int($add - $t_start))") ms"
report_time "restart: daemon start -> first r1 advert (preempt)" \
	"$(python3 -c "print(int($first1 - $t_start))")" "$(master_down_ms 150 100) (+ start-up)"
tr1=$(d_transitions r1 | tr '\n' ' ')
log "r1 states over both runs: $tr1"
expect_state r2 BACKUP
vrrp_check_drops
log "PASS"
