#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# VRRPv3 over IPv6 (VIP fd00:198:18::100/64): r1 (150) is elected and
# advertises from its link-local address to ff02::12 with hop limit 255;
# it announces the VIP with an unsolicited neighbour advertisement (hop
# limit 255, override flag) from its MAC. kill -9 of r1: r2 takes over
# after Master_Down_Interval and announces the VIP from its MAC (5 NAs, the
# default vrrp_garp_master_repeat); r1's
# restarted daemon preempts back.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump

VIP=fd00:198:18::100
vrrp_lan
vrrp_wait_ll r1 r2 c1
ll1=$(ll_of r1)
ll2=$(ll_of r2)
vrrp_simple_conf "$T/r1.conf" r1 "$VRRP_IMPL" 51 150 3 0.1 "$VIP/64"
vrrp_simple_conf "$T/r2.conf" r2 "$VRRP_IMPL" 51 100 3 0.1 "$VIP/64"

cap_start e c1
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
wait_state 5 r1 MASTER
wait_state 2 r2 BACKUP
wait_vip 2 r1 "$VIP"
expect_no_vip r2 "$VIP"
# 15 adverts of r1 seen (1.5 s at 100 ms) whatever the load: the window
# in which r2 must stay silent, and the sample of intervals.
cap_wait 10 e "15 adverts from r1" count_ge 15 adverts e "$ll1" 51
cap_stop e
expect_eq 0 "$(count_to r2 MASTER)" "times r2 entered MASTER"
n1=$(adverts e "$ll1" 51 | wc -l)
((n1 >= 10)) || fail "only $n1 adverts from r1 ($ll1): $(cap_lines e VRRP | sed -n 1,3p)"
expect_eq 0 "$(adverts e "$ll2" 51 | wc -l)" "adverts from r2"
bad=$(adverts e "$ll1" 51 | awk -v v="$VIP" '$5 != "ff02::12" || $6 != 255 || $7 != 3 || $9 != 150 || $10 != 10 || $12 != v')
[[ -z $bad ]] || fail "adverts with unexpected fields (want dst ff02::12 hlim 255 v3 prio 150 intvl 10cs addr $VIP): $bad"
read -r med max < <(advert_gaps_ms e "$ll1" 51)
log "r1 advert interval: median $med ms, max $max ms"
# As in t-vrrp-election: 100 ms (RFC 5798 6.4.3), late wake-ups of a
# loaded machine push the median up, an interval off by a whole one or
# halved moves it past either bound.
expect_between 90 150 "$med" "median advert interval (ms)"
mac1=$(mac_of r1)
na=$(cap_lines e NA | awk -v m="$mac1" -v v="$VIP" '$3 == m && $7 == v')
[[ -n $na ]] || fail "no unsolicited NA for $VIP from r1 ($mac1): $(cap_lines e NA)"
bad=$(awk '$6 != 255 || $8 != 1' <<<"$na")
[[ -z $bad ]] || fail "NA for the VIP without hop limit 255 and the override flag: $bad"
log "unsolicited NA for $VIP from $mac1: $(wc -l <<<"$na") packet(s), to $(awk '{print $5}' <<<"$na" | sort -u | tr '\n' ' ')"

expect_master_down r2 100 100
cap_start k c1
cap_wait 5 k "3 adverts from r1" count_ge 3 adverts k "$ll1" 51
d_kill9 r1
wait_state 3 r2 MASTER
wait_vip 2 r2 "$VIP"
r2_nas() { cap_lines k NA | awk -v m="$(mac_of r2)" -v v="$VIP" '$3 == m && $7 == v'; }
cap_wait 5 k "5 unsolicited NAs from r2" count_ge 5 r2_nas
cap_stop k
ms=$(takeover_ms k "$ll1" "$ll2" 51)
md=$(master_down_ms 100 100)
report_time "IPv6 kill -9: last r1 advert -> first r2 advert" "$ms" "$md"
expect_between "$(python3 -c "print($md - 30)")" "$(python3 -c "print($md + 250)")" "$ms" \
	"IPv6 takeover after kill -9 (ms)"
mac2=$(mac_of r2)
na=$(cap_lines k NA | awk -v m="$mac2" -v v="$VIP" '$3 == m && $7 == v && $6 == 255 && $8 == 1')
[[ -n $na ]] || fail "no unsolicited NA (hop limit 255, override) for $VIP from r2 ($mac2): $(cap_lines k NA)"
# keepalived's default vrrp_garp_master_repeat (5) applies to NAs too.
n=$(wc -l <<<"$na")
((n >= 5)) || fail "$n unsolicited NA for $VIP from the new master at the takeover, expected 5 (vrrp_garp_master_repeat default)"

d_restart r1
wait_state 5 r1 MASTER
wait_vip 2 r1 "$VIP"
wait_state 2 r2 BACKUP
wait_no_vip 2 r2 "$VIP"
vrrp_check_drops
log "PASS"
