#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unicast VRRP: unicast_src_ip / unicast_peer on both directors. On the
# switch ports, r1's adverts go to r2's address only (never to 224.0.0.18);
# after kill -9 of r1, r2 takes over and advertises to r1's address.
# Then r1 comes back configured for multicast while r2 stays unicast: as
# keepalived 2.2.7 does, r1 drops r2's unicast adverts (counted as dst
# drops; r2 never receives r1's multicast ones), and both are MASTER.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump

VIP=198.18.0.100
vrrp_lan
vrrp_simple_conf "$T/r1.conf" r1 "$VRRP_IMPL" 51 150 3 0.1 "$VIP/32" \
	"unicast_src_ip 198.18.0.1" "unicast_peer {" "	198.18.0.2" "}"
vrrp_simple_conf "$T/r2.conf" r2 "$VRRP_IMPL" 51 100 3 0.1 "$VIP/32" \
	"unicast_src_ip 198.18.0.2" "unicast_peer {" "	198.18.0.1" "}"

# The switch ports see what each director sends, unicast included.
cap_start p1 sw p-r1
cap_start p2 sw p-r2
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
wait_state 5 r1 MASTER
wait_state 2 r2 BACKUP
wait_vip 2 r1 "$VIP"
expect_no_vip r2 "$VIP"
expect_master_down r2 100 100
cap_wait 10 p1 "10 adverts from r1" count_ge 10 adverts p1 198.18.0.1 51
d_kill9 r1
wait_state 3 r2 MASTER
wait_vip 2 r2 "$VIP"
cap_wait 10 p2 "5 adverts from r2" count_ge 5 adverts p2 198.18.0.2 51
cap_stop p1
cap_stop p2

n=$(adverts p1 198.18.0.1 51 | wc -l)
((n >= 10)) || fail "only $n adverts from r1"
bad=$(adverts p1 198.18.0.1 51 | awk '$5 != "198.18.0.2" || $6 != 255')
[[ -z $bad ]] || fail "r1 adverts not unicast to 198.18.0.2 with TTL 255: $(head -n3 <<<"$bad")"
mc=$(cap_lines p1 VRRP | awk '$5 == "224.0.0.18"'; cap_lines p2 VRRP | awk '$5 == "224.0.0.18"')
[[ -z $mc ]] || fail "multicast adverts with unicast configured: $(head -n3 <<<"$mc")"
n=$(adverts p2 198.18.0.2 51 | wc -l)
((n >= 5)) || fail "only $n adverts from r2 after the takeover"
bad=$(adverts p2 198.18.0.2 51 | awk '$5 != "198.18.0.1" || $6 != 255')
[[ -z $bad ]] || fail "r2 adverts not unicast to 198.18.0.1 with TTL 255: $(head -n3 <<<"$bad")"
ms=$(takeover_ms p2 198.18.0.1 198.18.0.2 51)
md=$(master_down_ms 100 100)
report_time "unicast kill -9: last r1 advert -> first r2 advert" "$ms" "$md"
expect_between "$(python3 -c "print($md - 30)")" "$(python3 -c "print($md + 250)")" "$ms" \
	"unicast takeover after kill -9 (ms)"
vrrp_check_drops

# ---- r1 multicast, r2 unicast
d_term r2
vrrp_simple_conf "$T/r1m.conf" r1 "$VRRP_IMPL" 51 150 3 0.1 "$VIP/32"
DCONF[r1]=$T/r1m.conf
d_start r1 r1 "$T/r1m.conf" "$VRRP_IMPL"
d_restart r2
wait_state 5 r1 MASTER
wait_state 5 r2 MASTER
sleep 1
expect_state r1 MASTER
expect_state r2 MASTER
# r2's unicast socket joins no group, so the kernel does not deliver r1's
# multicast adverts to it at all; r1's multicast instance does receive
# r2's unicast ones, and drops them.
if [[ $VRRP_IMPL == vigild ]]; then
	n=$(vinst r1 VI_1 counters.drops.dst) || n=0
	((n >= 5)) || fail "r1: $n dst drops, expected r2's unicast adverts counted"
	log "r1: MASTER, $n unicast adverts from r2 dropped (dst)"
fi
log "PASS"
