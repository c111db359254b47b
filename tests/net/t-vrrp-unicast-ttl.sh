#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unicast VRRP across a router (keepalived's unicast_ttl, min_ttl/max_ttl):
# r1 (198.18.1.1) and r2 (198.18.2.1) sit on two links joined by the
# router rt (ip_forward=1), so every advert arrives with its TTL lowered by
# one. r1 sends with unicast_ttl 200 (arrives 199), r2 with the default 255
# (arrives 254); each lists the other with a TTL range that holds.
#  - exactly one MASTER (r1, priority 150), r2 BACKUP for 3 s, and neither
#    counts a dropped advert (RFC 5798's TTL 255 rule is for multicast);
#    the wire shows TTL 199 / 254 where they arrive.
#  - r2 restarted with max_ttl 198 for r1: r1's adverts (TTL 199) are out
#    of range, dropped and counted as ttl drops, so r2 becomes MASTER too.
#  - IPv6 through the same router, no unicast_ttl: adverts leave with the
#    kernel's hop limit (64, as keepalived's) and arrive with 63; one
#    MASTER, no drops.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump

VIP=198.18.3.100
ns_create r1 r2 rt
veth_link r1 eth0 rt e1
veth_link r2 eth0 rt e2
addr_add r1 eth0 198.18.1.1/24
addr_add rt e1 198.18.1.254/24
addr_add r2 eth0 198.18.2.1/24
addr_add rt e2 198.18.2.254/24
ip -n "$(ns_name r1)" route add 198.18.2.0/24 via 198.18.1.254
ip -n "$(ns_name r2)" route add 198.18.1.0/24 via 198.18.2.254
nsx rt sysctl -qw net.ipv4.ip_forward=1
wait_for 5 "r1 reaches r2 through rt" nsx r1 ping -c1 -W1 198.18.2.1

# conf FILE NAME PRIO SRC PEER_LINE [EXTRA...]
conf() {
	local file=$1 name=$2 prio=$3 src=$4 peer=$5
	shift 5
	vrrp_simple_conf "$file" "$name" "$VRRP_IMPL" 51 "$prio" 2 1 "$VIP/32" \
		"unicast_src_ip $src" "unicast_peer {" "	$peer" "}" "$@"
}
conf "$T/r1.conf" r1 150 198.18.1.1 "198.18.2.1 min_ttl 250 max_ttl 254" "unicast_ttl 200"
conf "$T/r2.conf" r2 100 198.18.2.1 "198.18.1.1 min_ttl 190 max_ttl 200"

cap_start w2 r2
cap_start w1 r1
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
wait_state 10 r1 MASTER
wait_state 5 r2 BACKUP
# The election holds: r2 hears r1 all along and never takes over.
cap_wait 10 w2 "5 adverts from r1 at r2" count_ge 5 adverts w2 198.18.1.1 51
n2=$(count_to r2 MASTER)
sleep 3
expect_eq "$n2" "$(count_to r2 MASTER)" "r2's transitions to MASTER over 3 s"
expect_state r1 MASTER
expect_state r2 BACKUP
expect_vip r1 "$VIP"
expect_no_vip r2 "$VIP"
cap_stop w2
cap_stop w1
bad=$(adverts w2 198.18.1.1 51 | awk '$6 != 199')
[[ -z $bad ]] || fail "r1's adverts should arrive at r2 with TTL 199 (unicast_ttl 200, one hop): $bad"
n=$(adverts w2 198.18.1.1 51 | wc -l)
((n >= 5)) || fail "only $n adverts from r1 at r2"
if [[ $VRRP_IMPL == vigild ]]; then
	rx=$(vinst r2 VI_1 counters.adverts_received)
	((rx >= 3)) || fail "r2 accepted only $rx adverts"
	vrrp_check_drops
fi

# Negative: r1's TTL (199) above the range r2 allows: dropped as ttl.
d_term r2
conf "$T/r2.conf" r2 100 198.18.2.1 "198.18.1.1 min_ttl 190 max_ttl 198"
d_restart r2
wait_state 10 r2 MASTER
expect_state r1 MASTER
if [[ $VRRP_IMPL == vigild ]]; then
	wait_until 5 "r2 counts r1's adverts as ttl drops" \
		eval '(( $(vinst r2 VI_1 counters.drops.ttl || echo 0) >= 3 ))'
	expect_eq 0 "$(vinst r2 VI_1 counters.adverts_received)" "adverts r2 accepted from r1"
fi

# IPv6, no unicast_ttl: the kernel's default hop limit, one hop lowered.
d_term r1
d_term r2
addr_add r1 eth0 fd00:198:18:1::1/64
addr_add rt e1 fd00:198:18:1::fe/64
addr_add r2 eth0 fd00:198:18:2::1/64
addr_add rt e2 fd00:198:18:2::fe/64
ip -n "$(ns_name r1)" -6 route add fd00:198:18:2::/64 via fd00:198:18:1::fe
ip -n "$(ns_name r2)" -6 route add fd00:198:18:1::/64 via fd00:198:18:2::fe
nsx rt sysctl -qw net.ipv6.conf.all.forwarding=1
wait_for 10 "r1 reaches r2 over IPv6 through rt" nsx r1 ping -6 -c1 -W1 fd00:198:18:2::1
vrrp_simple_conf "$T/r1.conf" r1 "$VRRP_IMPL" 52 150 3 1 fd00:198:18:3::100/64 \
	"unicast_src_ip fd00:198:18:1::1" "unicast_peer {" "	fd00:198:18:2::1" "}"
vrrp_simple_conf "$T/r2.conf" r2 "$VRRP_IMPL" 52 100 3 1 fd00:198:18:3::100/64 \
	"unicast_src_ip fd00:198:18:2::1" "unicast_peer {" "	fd00:198:18:1::1" "}"
cap_start w6 r2
d_restart r1
d_restart r2
wait_state 10 r1 MASTER
wait_state 5 r2 BACKUP
cap_wait 10 w6 "3 IPv6 adverts from r1 at r2" count_ge 3 adverts w6 fd00:198:18:1::1 52
n2=$(count_to r2 MASTER)
sleep 2
expect_eq "$n2" "$(count_to r2 MASTER)" "r2's transitions to MASTER over 2 s (IPv6)"
cap_stop w6
bad=$(adverts w6 fd00:198:18:1::1 52 | awk '$6 != 63')
[[ -z $bad ]] || fail "r1's IPv6 adverts should arrive with hop limit 63 (64, one hop): $bad"
if [[ $VRRP_IMPL == vigild ]]; then
	vrrp_check_drops
fi
log "PASS"
