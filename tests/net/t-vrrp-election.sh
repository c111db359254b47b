#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Election, VRRPv3 over IPv4 multicast: r1 (priority 150) becomes MASTER
# and holds the VIP, r2 (100) stays BACKUP without it and never was
# MASTER. On the wire (c1): adverts from r1 only, every ~100 ms, TTL 255,
# priority 150, to 224.0.0.18, and a gratuitous ARP for the VIP from r1's
# MAC when it became master.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump

VIP=198.18.0.100
vrrp_lan
vrrp_simple_conf "$T/r1.conf" r1 "$VRRP_IMPL" 51 150 3 0.1 "$VIP/32"
vrrp_simple_conf "$T/r2.conf" r2 "$VRRP_IMPL" 51 100 3 0.1 "$VIP/32"

cap_start c1 c1
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
# No status polling while the election runs: a control request wakes
# vigild's loop, which must not be what makes it keep time.
wait_vip 5 r1 "$VIP"
# An observation window of 20 adverts of r1 (2 s at 100 ms), counted, so
# that a loaded machine cannot shrink it.
cap_wait 10 c1 "20 adverts from r1" count_ge 20 adverts c1 198.18.0.1 51
cap_stop c1

expect_state r1 MASTER
expect_state r2 BACKUP
expect_vip r1 "$VIP"
expect_no_vip r2 "$VIP"
expect_eq 0 "$(count_to r2 MASTER)" "times r2 entered MASTER"
expect_eq 1 "$(count_to r1 MASTER)" "times r1 entered MASTER"
if [[ $VRRP_IMPL == vigild ]]; then
	expect_eq 150 "$(vinst r1 VI_1 priority.effective)" "r1 priority in status"
	expect_eq 100 "$(vinst r2 VI_1 priority.effective)" "r2 priority in status"
	expect_eq 198.18.0.1 "$(vinst r2 VI_1 master.address)" "the master r2 reports"
	expect_eq 150 "$(vinst r2 VI_1 master.priority)" "the master's priority r2 reports"
fi

# The wire.
n1=$(adverts c1 198.18.0.1 51 | wc -l)
n2=$(adverts c1 198.18.0.2 51 | wc -l)
expect_eq 0 "$n2" "adverts from r2 (a backup stays silent)"
bad=$(adverts c1 198.18.0.1 51 | awk '$5 != "224.0.0.18" || $6 != 255 || $7 != 3 || $9 != 150 || $10 != 10 || $12 != "198.18.0.100"')
[[ -z $bad ]] || fail "adverts with unexpected fields (want dst 224.0.0.18 ttl 255 v3 prio 150 intvl 10cs addr $VIP): $bad"
read -r med max < <(advert_gaps_ms c1 198.18.0.1 51)
log "r1 advert interval: median $med ms, max $max ms ($n1 adverts)"
# RFC 5798 6.4.3: one advert per Advertisement_Interval (100 ms). Every
# late wake-up delays the adverts after it too (seen: median 115 ms at a
# load of 20 on 2 cores); an interval off by a whole one (200 ms) or
# halved (50 ms) moves the median past either bound.
expect_between 90 150 "$med" "median advert interval (ms)"
expect_first_gaps c1 198.18.0.1 51 100 "r1 as a new master"
# One late wake-up of a loaded machine shows as a gap of 150-300 ms (seen:
# 203 ms under ASan; three such under two busy loops), so single gaps get
# margins only a regression exceeds. What the peer cares about is that no
# gap reaches its Master_Down_Interval (RFC 5798 6.4.2: 3 x 100 + skew
# 60.9 = 360.9 ms), after which it would take over (it never did, above);
# and late sends must stay the exception: at most a fifth of the gaps
# over 150 ms (skipping every other advert makes half of them 200).
expect_between 0 340 "$max" "largest advert gap (ms; the backup takes over at 360.9)"
read -r late ngaps < <(adverts c1 198.18.0.1 51 | awk 'NR > 1 { g++; if ($2 - prev > 150) n++ } { prev = $2 } END { print n + 0, g + 0 }')
expect_between 0 $((ngaps / 5)) "$late" "advert gaps over 150 ms (of $ngaps)"
# An advert out of turn (one more than RFC 5798 6.4.3's one per interval)
# shows as a gap of a few ms; one delivered or sent late shortens the gap
# after it by its lateness, so the floor is a third of the interval.
min=$(adverts c1 198.18.0.1 51 | awk 'NR > 1 { g = $2 - prev; if (m == "" || g < m) m = g } { prev = $2 } END { printf "%d\n", m }')
expect_between 33 200 "$min" "smallest advert gap (ms; an advert out of turn)"
mac1=$(mac_of r1)
[[ $(adverts c1 198.18.0.1 51 | awk '{print $3}' | sort -u) == "$mac1" ]] ||
	fail "adverts not from r1's MAC $mac1"
garp=$(cap_lines c1 ARP | awk -v m="$mac1" -v v="$VIP" '$3 == m && $5 == m && $6 == v && $7 == v')
[[ -n $garp ]] || fail "no gratuitous ARP for $VIP from r1's MAC $mac1: $(cap_lines c1 ARP)"
garp_other=$(cap_lines c1 ARP | awk -v m="$mac1" -v v="$VIP" '$6 == v && $3 != m')
[[ -z $garp_other ]] || fail "gratuitous ARP for $VIP from another MAC: $garp_other"
log "GARP for $VIP from $mac1: $(wc -l <<<"$garp") packet(s)"
vrrp_check_drops
log "PASS"
