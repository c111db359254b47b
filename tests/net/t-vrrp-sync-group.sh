#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Sync group: VI_1 (VRID 51) and VI_2 (VRID 52) in one vrrp_sync_group on
# each director, r1 master of both. Only VI_1 fails on r1 (a track_script
# with weight 0 puts it in FAULT): VI_2 follows it out of MASTER, and r2
# holds both VIPs. When the script passes again r1 takes both back.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump

VIP1=198.18.0.100
VIP2=198.18.0.101
vrrp_lan
touch "$T/ok"
cat >"$T/chk.sh" <<EOF2
#!/bin/sh
test -f $T/ok
EOF2
chmod 755 "$T/chk.sh"

# sg_conf NAME PRIO TRACK(0|1)
sg_conf() {
	local name=$1 prio=$2 track=$3
	vrrp_global "$name" "$VRRP_IMPL"
	if ((track)); then
		cat <<EOF2
vrrp_script chk_file {
	script "/bin/sh $T/chk.sh"
	interval 1
	fall 1
	rise 1
	weight 0
}

EOF2
	fi
	cat <<EOF2
vrrp_sync_group G1 {
	group {
		VI_1
		VI_2
	}
}

EOF2
	if ((track)); then
		vrrp_instance_conf "$name" "$VRRP_IMPL" VI_1 51 "$prio" 3 0.1 "$VIP1/32" \
			"track_script {" "	chk_file" "}"
	else
		vrrp_instance_conf "$name" "$VRRP_IMPL" VI_1 51 "$prio" 3 0.1 "$VIP1/32"
	fi
	vrrp_instance_conf "$name" "$VRRP_IMPL" VI_2 52 "$prio" 3 0.1 "$VIP2/32"
}
sg_conf r1 150 1 >"$T/r1.conf"
sg_conf r2 100 0 >"$T/r2.conf"
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
for i in VI_1 VI_2; do
	wait_state 6 r1 MASTER $i
	wait_state 2 r2 BACKUP $i
done
wait_vip 2 r1 "$VIP1"
wait_vip 2 r1 "$VIP2"
expect_no_vip r2 "$VIP1"
expect_no_vip r2 "$VIP2"

cap_start g c1
sleep 0.3
rm -f "$T/ok"
t_rm=$(now_ms)
wait_state 4 r1 FAULT VI_1
wait_state 3 r2 MASTER VI_1
wait_state 3 r2 MASTER VI_2
wait_vip 2 r2 "$VIP1"
wait_vip 2 r2 "$VIP2"
wait_no_vip 2 r1 "$VIP1"
wait_no_vip 2 r1 "$VIP2"
log "r2 holds both VIPs $(($(now_ms) - t_rm)) ms after VI_1's script started failing"
s2=$(d_state r1 VI_2)
[[ $s2 != MASTER ]] || fail "r1 VI_2 stayed MASTER although its sync group partner VI_1 is FAULT"
log "r1: VI_1 $(d_state r1 VI_1), VI_2 $s2"
sleep 0.5
expect_state r2 MASTER VI_1
expect_state r2 MASTER VI_2
expect_no_vip r1 "$VIP2"

touch "$T/ok"
for i in VI_1 VI_2; do
	wait_state 6 r1 MASTER $i
	wait_state 2 r2 BACKUP $i
done
wait_vip 2 r1 "$VIP1"
wait_vip 2 r1 "$VIP2"
wait_no_vip 2 r2 "$VIP1"
wait_no_vip 2 r2 "$VIP2"
sleep 0.3
cap_stop g
n=$(adverts g 198.18.0.2 52 | wc -l)
((n > 0)) || fail "r2 never advertised VRID 52"
log "r1 VI_1 states: $(d_transitions r1 VI_1 | tr '\n' ' ')"
log "r1 VI_2 states: $(d_transitions r1 VI_2 | tr '\n' ' ')"
vrrp_check_drops
log "PASS"
