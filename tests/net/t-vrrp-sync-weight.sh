#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Weighted tracking in a sync group member, keepalived 2.2.7's rule
# (vrrp.c, vrrp_complete_instance). r1 (150) and r2 (100) each have VI_1
# and VI_2 in sync group G1; r1's VI_1 tracks a script and interface trk0,
# both with weight -60.
# A. Without sync_group_tracking_weight: the weighted script is not tracked
#    (warned), so its failure moves nothing; the interface's weight becomes
#    0 (warned), so trk0 down puts VI_1 in FAULT and the whole group moves
#    to r2; trk0 up brings both back. (keepalived 2.2.7 logs the same
#    warning but still applies the weight at run time: that half is not
#    run against it.)
# B. With sync_group_tracking_weight: the weights apply. The script failing
#    makes VI_1 advertise 90, r2 takes VI_1 and the group follows: r2 holds
#    both VIPs, r1 is BACKUP (not FAULT) for both; passing again brings
#    both back.
# C. The group's own track_script with weight -60, without the keyword:
#    its failure lowers every member to 90 and r2 takes both.
# VRRP_IMPL=keepalived runs the same against keepalived 2.2.7 (the rule's
# reference).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

VIP1=198.18.0.100
VIP2=198.18.0.101
vrrp_lan r1 r2
vrrp_track_link r1
vrrp_ok_script

# conf NAME PRIO TRACK(0|1|group) TRACKING_WEIGHT(0|1)
conf() {
	local name=$1 prio=$2 track=$3 tw=$4
	vrrp_global "$name" "$VRRP_IMPL"
	cat <<EOF2
vrrp_script chk {
	script "$T/chk.sh"
	interval 0.2
	fall 1
	rise 1
}

vrrp_sync_group G1 {
	group {
		VI_1
		VI_2
	}
EOF2
	((tw)) && printf '\tsync_group_tracking_weight\n'
	[[ $track == group ]] && printf '\ttrack_script {\n\t\tchk weight -60\n\t}\n'
	printf '}\n\n'
	if [[ $track == 1 ]]; then
		vrrp_instance_conf "$name" "$VRRP_IMPL" VI_1 51 "$prio" 3 0.1 "$VIP1/32" \
			"track_script {" "	chk weight -60" "}" \
			"track_interface {" "	trk0 weight -60" "}"
	else
		vrrp_instance_conf "$name" "$VRRP_IMPL" VI_1 51 "$prio" 3 0.1 "$VIP1/32"
	fi
	vrrp_instance_conf "$name" "$VRRP_IMPL" VI_2 52 "$prio" 3 0.1 "$VIP2/32"
}

# start_pair TRACK TRACKING_WEIGHT: r1 (150, conf's TRACK) and r2 (100, no
# tracking) started, r1 holding both VIPs.
start_pair() {
	conf r1 150 "$1" "$2" >"$T/r1.conf"
	conf r2 100 0 "$2" >"$T/r2.conf"
	touch "$T/ok"
	d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
	d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
	r1_holds
}
# script_fail_moves WHAT: the script failing moves both to r2 (r1 BACKUP),
# passing again brings them back.
script_fail_moves() {
	rm -f "$T/ok"
	r2_holds BACKUP BACKUP
	log "$1"
	touch "$T/ok"
	r1_holds
}

both() { # both HOST STATE [SECONDS]
	wait_state "${3:-5}" "$1" "$2" VI_1
	wait_state "${3:-5}" "$1" "$2" VI_2
}
r1_holds() {
	both r1 MASTER 8
	both r2 BACKUP
	wait_vip 2 r1 "$VIP1"
	wait_vip 2 r1 "$VIP2"
	wait_no_vip 2 r2 "$VIP1"
	wait_no_vip 2 r2 "$VIP2"
}
r2_holds() {
	wait_state 5 r1 "$1" VI_1
	wait_state 5 r1 "$2" VI_2
	both r2 MASTER
	wait_vip 2 r2 "$VIP1"
	wait_vip 2 r2 "$VIP2"
	wait_no_vip 2 r1 "$VIP1"
	wait_no_vip 2 r1 "$VIP2"
}
# ---- A ----
start_pair 1 0
grep -q "ignoring tracked script chk with weights due to SYNC group" "${VLOG[r1]}" ||
	fail "A: no warning that the weighted script is not tracked"
grep -q "ignoring trk0 tracked interface weight due to SYNC group" "${VLOG[r1]}" ||
	fail "A: no warning that the interface's weight is dropped"
rm -f "$T/ok"
# Nothing to wait for: an untracked script gives no event. Were it tracked,
# it would fail within 2 intervals (0.4 s) and r2 take over 0.3 s later.
sleep 1.5
expect_state r1 MASTER VI_1
expect_state r1 MASTER VI_2
expect_state r2 BACKUP VI_1
log "A: the weighted script fails, nothing moves (it is not tracked)"
touch "$T/ok"
if [[ $VRRP_IMPL == keepalived ]]; then
	# keepalived 2.2.7 logs that it ignores the weight, then applies it
	# (VI_1 advertises 90); vigil does what the warning says.
	log "A: trk0 half not run: keepalived 2.2.7 still applies the interface weight"
else
	ip -n "$(ns_name r1)" link set trk0 down
	r2_holds FAULT FAULT
	log "A: trk0 down: r1 VI_1 FAULT, the group with it, r2 holds both VIPs"
	ip -n "$(ns_name r1)" link set trk0 up
	r1_holds
fi
d_term r1
d_term r2

# ---- B ----
if [[ $VRRP_IMPL == keepalived ]]; then
	# keepalived 2.2.7 keeps r1 MASTER of both at 90: r2's VI_1 times out
	# but its group cannot go MASTER while VI_2 hears priority 150.
	log "B: not run against keepalived (its group stays split, see above)"
else
	start_pair 1 1
	script_fail_moves "B: the weighted script fails: r1 VI_1 at 90 loses to 100, the group follows to r2"
	ip -n "$(ns_name r1)" link set trk0 down
	r2_holds BACKUP BACKUP
	log "B: trk0 down: weight -60 applies (BACKUP, not FAULT), the group follows"
	ip -n "$(ns_name r1)" link set trk0 up
	r1_holds
	d_term r1
	d_term r2
fi

# ---- C: the group's own weighted script, without sync_group_tracking_weight ----
# keepalived adds the group's tracked objects to every member with their
# weight: both of r1's instances advertise 90 and r2 takes both.
start_pair group 0
script_fail_moves "C: the group's weighted script fails: both members at 90, r2 holds both"
log "PASS"
