#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A kernel without IPVS (this tier's hosts): vigild with virtual servers and
# an lvs_sync_daemon starts, says once and clearly that IPVS is missing,
# keeps doing VRRP (r1 becomes MASTER and holds the VIP), shows
# ipvs.available false in `vigilctl status --json`, and a reload says
# nothing new about it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

# A kernel with IPVS cannot run this scenario: loaded, built in, or as a
# module, which vigild's own generic-netlink lookup would load. That is a
# skip (exit 77), and tests/net/run does not declare it: see there why.
if [[ -e /proc/net/ip_vs ]] || grep -qw ip_vs /proc/modules 2>/dev/null ||
	modprobe -n -q ip_vs 2>/dev/null; then
	skip "this kernel has IPVS (the scenario needs one without; tests/vm covers IPVS)"
fi

VIP=198.18.0.100
vrrp_lan r1 c1
{
	vrrp_global r1 vigild "lvs_sync_daemon eth0 VI_1 id 7" "lvs_flush" "lvs_flush_on_stop VS" \
		"lvs_timeouts tcp 900 udp 60"
	vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 "$VIP/32"
	cat <<CONF
virtual_server $VIP 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server 198.18.0.3 80 {
		weight 1
	}
}
virtual_server $VIP 53 {
	lb_algo wlc
	lb_kind DR
	protocol UDP
	real_server 198.18.0.3 53 {
		weight 2
	}
}
CONF
} >"$T/r1.conf"

"$VIGILD" -t -f "$T/r1.conf" >"$T/t.out" 2>&1 || fail "vigild -t rejects the config: $(cat "$T/t.out")"
d_start r1 r1 "$T/r1.conf" vigild
wait_vip 5 r1 "$VIP"
expect_state r1 MASTER

n=$(grep -c "IPVS is not available in this kernel" "${VLOG[r1]}" || true)
expect_eq 1 "$n" "lines saying IPVS is missing"
line=$(grep "IPVS is not available in this kernel" "${VLOG[r1]}")
expect_match "module ip_vs not found" "$line" "the reason"
expect_match "2 virtual servers are not programmed" "$line" "the count of virtual servers"
expect_match "VRRP keeps working" "$line" "what still works"
log "log: ${line#*: }"

st=$(vstatus r1)
expect_eq false "$(jget ipvs.available <<<"$st")" "status ipvs.available"
expect_eq 2 "$(jget ipvs.virtual_servers_declared <<<"$st")" "status ipvs.virtual_servers_declared"
expect_eq MASTER "$(vinst r1 VI_1 state)" "status VI_1 state"

# A reload keeps VRRP and does not repeat the error.
ctl r1 reload >/dev/null || fail "reload failed"
sleep 0.5
n=$(grep -c "IPVS is not available in this kernel" "${VLOG[r1]}" || true)
expect_eq 1 "$n" "lines saying IPVS is missing after a reload"
expect_state r1 MASTER
expect_vip r1 "$VIP"

d_term r1
d_wait_exit r1
grep -q "ERROR.*AddressSanitizer\|runtime error" "${VLOG[r1]}" && fail "sanitizer report in the log"
log "PASS"
