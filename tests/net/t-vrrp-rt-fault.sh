#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run-time checks and faults, vigild r1 against vigild r2:
# - track_src_ip: VI_1's mcast_src_ip removed from eth0 -> FAULT; back -> not.
# - unicast_fault_no_peer without unicast peers -> FAULT.
# - strict_mode: r2 also claims priority 255 for r1's owned VRID 63: r1
#   drops those adverts (counter prio_owner) and stays MASTER.
# - check_unicast_src: r2 advertises (unicast, priority 150) to r1 from an
#   address that is not r1's configured peer: with check_unicast_src r1
#   drops it (counter src) and is MASTER; without, r1 hears it and is BACKUP.
# - vrrp_rx_bufs_policy MTU, multiplier 4: r1's IPv4 socket on eth0 asks
#   for 1500 * 4 per instance using it.
# - log_unknown_vrids: r2's VRID 70 is logged by r1.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
[[ $VRRP_IMPL == vigild ]] || { log "SKIP: vigild only"; exit 0; }

vrrp_lan
nsx r1 ip addr add 198.18.0.50/24 dev eth0
{
	vrrp_global r1 vigild "vrrp_rx_bufs_policy MTU" "vrrp_rx_bufs_multiplier 4" log_unknown_vrids
	vrrp_instance_conf r1 vigild VI_1 61 150 3 0.1 "198.18.0.161/32" \
		"mcast_src_ip 198.18.0.50" track_src_ip
	vrrp_instance_conf r1 vigild VI_2 62 150 3 0.1 "198.18.0.162/32" unicast_fault_no_peer
	vrrp_instance_conf r1 vigild VI_3 63 255 3 0.1 "198.18.0.163/32" strict_mode |
		sed 's/state BACKUP/state MASTER/'
	vrrp_instance_conf r1 vigild VI_4 64 100 3 0.1 "198.18.0.164/32" check_unicast_src \
		"unicast_src_ip 198.18.0.1" "unicast_peer {" "198.18.0.9" "}"
	vrrp_instance_conf r1 vigild VI_5 65 100 3 0.1 "198.18.0.165/32" \
		"unicast_src_ip 198.18.0.1" "unicast_peer {" "198.18.0.9" "}"
} >"$T/r1.conf"
{
	vrrp_global r2 vigild
	vrrp_instance_conf r2 vigild VI_3 63 255 3 0.1 "198.18.0.163/32"
	vrrp_instance_conf r2 vigild VI_4 64 150 3 0.1 "198.18.0.164/32" \
		"unicast_src_ip 198.18.0.2" "unicast_peer {" "198.18.0.1" "}"
	vrrp_instance_conf r2 vigild VI_5 65 150 3 0.1 "198.18.0.165/32" \
		"unicast_src_ip 198.18.0.2" "unicast_peer {" "198.18.0.1" "}"
	vrrp_instance_conf r2 vigild VI_7 70 150 3 0.1 "198.18.0.170/32"
} >"$T/r2.conf"
d_start r1 r1 "$T/r1.conf" vigild
d_start r2 r2 "$T/r2.conf" vigild
wait_state 5 r1 MASTER VI_1
wait_state 5 r1 FAULT VI_2
expect_match "unicast_fault_no_peer" "$(vinst r1 VI_2 fault_reason)" "VI_2 fault reason"
sleep 1.5
# track_src_ip
nsx r1 ip addr del 198.18.0.50/24 dev eth0
wait_state 3 r1 FAULT VI_1
expect_match "track_src_ip" "$(vinst r1 VI_1 fault_reason)" "VI_1 fault reason"
nsx r1 ip addr add 198.18.0.50/24 dev eth0
wait_state 3 r1 MASTER VI_1
# strict_mode: prio 255 from another router dropped.
expect_state r1 MASTER VI_3
n=$(vinst r1 VI_3 counters.drops.prio_owner) || n=0
((n > 5)) || fail "r1 VI_3 dropped $n adverts claiming 255 (want many)"
log "VI_3 prio_owner drops: $n"
# check_unicast_src
expect_state r1 MASTER VI_4
n=$(vinst r1 VI_4 counters.drops.src) || n=0
((n > 5)) || fail "r1 VI_4 dropped $n adverts from a non-peer (want many)"
expect_state r1 BACKUP VI_5
n=$(vinst r1 VI_5 counters.adverts_received) || n=0
((n > 5)) || fail "r1 VI_5 (no check_unicast_src) heard $n adverts from the non-peer"
# vrrp_rx_bufs_policy MTU x 4: VI_1, VI_2, VI_3 share the multicast socket
# of eth0 (VI_2 is in FAULT but started); VI_4 and VI_5 the same socket.
asked=$(vstatus r1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("result", d)
for s in d["vrrp"]["sockets"]:
    if s["interface"] == "eth0" and s["family"] == "inet":
        print(s["rcvbuf_asked"])
')
log "r1 eth0 IPv4 socket: rcvbuf asked $asked"
expect_eq $((1500 * 4 * 5)) "$asked" "receive buffer asked (5 instances x MTU 1500 x 4)"
grep -q "advert for unknown VRID 70 from 198.18.0.2" "${VLOG[r1]}" ||
	fail "log_unknown_vrids: VRID 70 not logged"
log "PASS"
