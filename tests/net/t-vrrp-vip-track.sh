#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# no_track and use_vmac on virtual_ipaddress entries, as keepalived 2.2.7
# (vrrp.c, keepalived_netlink.c). r1 alone, VI_1 on eth0, MASTER, with
#   198.18.0.100        removed by someone else: put back at once;
#   198.18.0.101 no_track  removed: stays out (no transition) until the next
#                       transition to MASTER, which puts it back;
#   198.18.1.10 dev trk0   its interface is tracked: trk0 down -> FAULT;
#   198.18.1.11 dev trk2 no_track  trk2 down: no FAULT;
#   198.18.0.102 use_vmac  (VI_1 has no use_vmac) vigild -t warns that it
#                       has no effect: keepalived would make a VMAC for it.
# VRRP_IMPL=keepalived runs the same against keepalived 2.2.7 (but for
# vigild's own log lines and the use_vmac line, which keepalived would act on).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

vrrp_lan r1
vrrp_track_link r1
ip -n "$(ns_name r1)" link add trk2 type veth peer name trk3
ip -n "$(ns_name r1)" link set trk3 up
ip -n "$(ns_name r1)" link set trk2 up
vips="198.18.0.100/32 198.18.0.101/32@no_track 198.18.1.10/32@dev@trk0"
vips+=" 198.18.1.11/32@dev@trk2@no_track"
[[ $VRRP_IMPL == keepalived ]] || vips+=" 198.18.0.102/32@use_vmac"
{
	vrrp_global r1 "$VRRP_IMPL"
	vrrp_instance_conf r1 "$VRRP_IMPL" VI_1 51 150 3 0.1 "$vips"
} | sed 's/@/ /g' >"$T/r1.conf"
if [[ $VRRP_IMPL == vigild ]]; then
	out=$("$VIGILD" -t -f "$T/r1.conf" 2>&1) || fail "vigild -t: $out"
	expect_match "use_vmac on address 198.18.0.102/32 has no effect in vigil: keepalived would add a VMAC" \
		"$out" "vigild -t on use_vmac on an address"
fi
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
wait_state 5 r1 MASTER
for a in 198.18.0.100 198.18.0.101 198.18.1.10 198.18.1.11; do
	wait_vip 3 r1 "$a"
done

nsx r1 ip addr del 198.18.0.100/32 dev eth0
wait_vip 3 r1 198.18.0.100
log "a tracked VIP removed by hand is back"
nsx r1 ip addr del 198.18.0.101/32 dev eth0
if [[ $VRRP_IMPL == vigild ]]; then
	wait_until 3 "vigild to see the no_track VIP go" \
		grep -q "VIP 198.18.0.101/32 was removed by someone else; no_track" "${VLOG[r1]}"
else
	sleep 1 # keepalived says nothing: a re-add or a transition would be done by now
fi
expect_no_vip r1 198.18.0.101
expect_state r1 MASTER
log "a no_track VIP removed by hand stays out, r1 stays MASTER"

link_not_tracked r1 trk2 "the interface of a no_track VIP"
link_tracked r1 trk0 "the interface of a tracked VIP"
wait_vip 3 r1 198.18.0.101
log "back to MASTER: the no_track VIP is put back"
log "PASS"
