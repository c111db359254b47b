#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An instance whose interface and track_interface do not exist yet (the
# case of tests/conf-corpus/60-error-missing-interface.conf, where
# keepalived -t stops with "Non-existent interface"): vigild -t says valid,
# so the daemon must run the file correctly. It does by waiting:
# 1. neither link exists: r1's VI_1 stays INIT, sends nothing and holds no
#    VIP; r2 (priority 100) is MASTER;
# 2. the instance's link lan1 appears (on the LAN): r1 starts and goes to
#    FAULT, since its tracked link trk0 is still missing; r2 stays MASTER;
# 3. trk0 appears: r1 (150) leaves FAULT, preempts and holds the VIP; r2
#    goes back to BACKUP.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

VIP=198.18.0.100
vrrp_lan r2
ns_create r1
{
	vrrp_global r1 vigild
	cat <<EOF
vrrp_instance VI_1 {
	state BACKUP
	interface lan1
	virtual_router_id 51
	priority 150
	version 3
	advert_int 0.1
	track_interface {
		trk0
	}
	virtual_ipaddress {
		$VIP/32
	}
}
EOF
} >"$T/r1.conf"
vrrp_simple_conf "$T/r2.conf" r2 vigild 51 100 3 0.1 "$VIP/32"

# vigild -t does not look at links: valid, as the daemon can run it.
expect_rc 0 nsx r1 "$VIGILD" -t -f "$T/r1.conf"

d_start r2 r2 "$T/r2.conf" vigild
d_start r1 r1 "$T/r1.conf" vigild
wait_state 6 r2 MASTER
wait_vip 2 r2 "$VIP"

# 1. No lan1, no trk0: waiting, silent, no VIP.
wait_until 5 "r1 says it waits for lan1" \
	grep -q 'VI_1: interface lan1 not found: waiting for it' "${VLOG[r1]}"
expect_state r1 INIT
expect_no_vip r1 "$VIP"

# 2. lan1 appears on the LAN: started, FAULT for the missing trk0.
veth_link r1 lan1 sw p-r1-lan1
bridge_port sw br0 p-r1-lan1
addr_add r1 lan1 198.18.0.11/24
wait_state 5 r1 FAULT
expect_match 'trk0' "$(vinst r1 VI_1 fault_reason)" "r1's fault reason"
expect_state r2 MASTER
expect_no_vip r1 "$VIP"

# 3. trk0 appears: r1 preempts with 150 and takes the VIP.
ip -n "$(ns_name r1)" link add trk0 type veth peer name trk1
ip -n "$(ns_name r1)" link set trk1 up
ip -n "$(ns_name r1)" link set trk0 up
wait_state 5 r1 MASTER
wait_vip 2 r1 "$VIP"
wait_state 2 r2 BACKUP
wait_no_vip 2 r2 "$VIP"
log "r1 waited for lan1 and trk0, then took over"
