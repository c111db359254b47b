#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Takeover on a cut link: the switch port of the master r1 goes down. r2
# becomes MASTER within Master_Down_Interval (measured on the wire: last
# advert from r1 to first from r2) and holds the VIP; r1, whose carrier is
# gone, is FAULT without the VIP. When the port comes back, r1 (higher
# priority, preempt by default) takes the VIP back and r2 returns to BACKUP.
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

# Cut r1's cable at the switch.
expect_master_down r2 100 100
cap_start cut c1
cap_wait 5 cut "3 adverts from r1" count_ge 3 adverts cut 198.18.0.1 51
ip -n "$(ns_name sw)" link set p-r1 down
t_cut=$(now_ms)
wait_state 3 r2 MASTER
wait_vip 2 r2 "$VIP"
log "r2 MASTER (seen by the harness) $(($(now_ms) - t_cut)) ms after the cut"
wait_state 3 r1 FAULT
wait_no_vip 2 r1 "$VIP"
r2_garps() { cap_lines cut ARP | awk -v m="$(mac_of r2)" -v v="$VIP" '$3 == m && $6 == v && $7 == v'; }
cap_wait 5 cut "a gratuitous ARP from r2" count_ge 1 r2_garps
cap_stop cut
md=$(master_down_ms 100 100)
ms=$(takeover_ms cut 198.18.0.1 198.18.0.2 51)
report_time "link cut: last r1 advert -> first r2 advert" "$ms" "$md"
expect_between "$(python3 -c "print($md - 30)")" "$(python3 -c "print($md + 250)")" "$ms" \
	"takeover after the cut (ms)"
mac2=$(mac_of r2)
cap_lines cut ARP | awk -v m="$mac2" -v v="$VIP" '$3 == m && $6 == v && $7 == v' | grep . >/dev/null ||
	fail "no gratuitous ARP for $VIP from r2 ($mac2) after the takeover"

# Reconnect: r1 preempts.
cap_start back c1
ip -n "$(ns_name sw)" link set p-r1 up
t_up=$(now_ms)
wait_state 5 r1 MASTER
wait_vip 2 r1 "$VIP"
wait_state 3 r2 BACKUP
wait_no_vip 2 r2 "$VIP"
log "r1 MASTER again (seen by the harness) $(($(now_ms) - t_up)) ms after the link came back"
# Three adverts of r1: 200 ms after its first, where r2 must be silent.
cap_wait 5 back "3 adverts from r1" count_ge 3 adverts back 198.18.0.1 51
cap_stop back
first1=$(adverts back 198.18.0.1 51 | awk '$9 > 0 && !d { print $2; d = 1 }')
[[ -n $first1 ]] || fail "no advert from r1 after the link came back"
report_time "link back: port up -> first r1 advert" "$(python3 -c "print(int($first1 - $t_up))")" \
	"$(master_down_ms 150 100) (+ link-up detection)"
last2=$(adverts back 198.18.0.2 51 | tail -n1 | awk '{print $2}')
[[ -z $last2 ]] || python3 -c "import sys; sys.exit(0 if $last2 < $first1 + 150 else 1)" ||
	fail "r2 kept advertising after r1 took over (last r2 advert $last2, first r1 $first1)"
expect_state r2 BACKUP
expect_eq 1 "$(count_to r2 MASTER)" "times r2 entered MASTER"
vrrp_check_drops
log "PASS"
