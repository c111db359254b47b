#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Tracking on the master r1 (150):
# 1. vrrp_script (a file-existence check run by /bin/sh) with weight -60:
#    the file goes, r1 advertises 90 < 100 and r2 takes over; the file
#    comes back, r1 (150 again) preempts.
# 2. track_interface on a second interface (one end of a veth pair): it goes down, r1 enters FAULT,
#    sends priority 0, drops the VIP, r2 takes over; it comes back, r1
#    returns to MASTER.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump

VIP=198.18.0.100
vrrp_lan
# No dummy driver on every test machine: a veth pair inside r1 instead.
ip -n "$(ns_name r1)" link add trk0 type veth peer name trk1
ip -n "$(ns_name r1)" link set trk1 up
ip -n "$(ns_name r1)" link set trk0 up
touch "$T/ok"
cat >"$T/chk.sh" <<EOF2
#!/bin/sh
test -f $T/ok
EOF2
chmod 755 "$T/chk.sh"
{
	vrrp_global r1 "$VRRP_IMPL"
	cat <<EOF2
vrrp_script chk_file {
	script "/bin/sh $T/chk.sh"
	interval 1
	fall 1
	rise 1
	weight -60
}

EOF2
	vrrp_instance_conf r1 "$VRRP_IMPL" VI_1 51 150 3 0.1 "$VIP/32" \
		"track_script {" "	chk_file" "}" "track_interface {" "	trk0" "}"
} >"$T/r1.conf"
vrrp_simple_conf "$T/r2.conf" r2 "$VRRP_IMPL" 51 100 3 0.1 "$VIP/32"
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
wait_state 6 r1 MASTER
wait_state 2 r2 BACKUP
wait_vip 2 r1 "$VIP"

# 1. The script fails: priority 150 - 60 = 90.
cap_start s c1
cap_wait 5 s "3 adverts from r1" count_ge 3 adverts s 198.18.0.1 51
rm -f "$T/ok"
t_rm=$(now_ms)
wait_state 5 r2 MASTER
wait_vip 2 r2 "$VIP"
wait_state 2 r1 BACKUP
wait_no_vip 2 r1 "$VIP"
log "r2 MASTER $(($(now_ms) - t_rm)) ms after the tracked file was removed"
if [[ $VRRP_IMPL == vigild ]]; then
	p=$(vinst r1 VI_1 priority.effective)
	expect_eq 90 "$p" "r1 priority in status with the script failing"
fi
touch "$T/ok"
t_ok=$(now_ms)
wait_state 5 r1 MASTER
wait_vip 2 r1 "$VIP"
wait_state 2 r2 BACKUP
log "r1 MASTER again $(($(now_ms) - t_ok)) ms after the tracked file came back"
cap_wait 5 s "an advert from r2" count_ge 1 adverts s 198.18.0.2 51
cap_stop s
n90=$(adverts s 198.18.0.1 51 | awk '$9 == 90' | wc -l)
((n90 >= 1)) || fail "no advert with priority 90 from r1 while the script failed: $(adverts s 198.18.0.1 51 | awk '{print $9}' | uniq -c | tr '\n' ' ')"
log "r1 advertised priority 90 $n90 time(s) before r2 took over"
ms=$(adverts s "" 51 | awk '
	$4 == "198.18.0.1" && $9 == 150 { last = $2 }
	$4 == "198.18.0.2" && !d { if (last != "") printf "%d\n", $2 - last + 0.5; d = 1 }')
[[ -n $ms ]] || fail "no r2 advert after r1's last priority 150 advert"
report_time "script fails (150 -> 90): last r1 advert at 150 -> first r2 advert" "$ms" \
	"$(master_down_ms 100 100)"
if [[ $VRRP_IMPL == vigild ]]; then
	p=$(vinst r1 VI_1 priority.effective)
	expect_eq 150 "$p" "r1 priority in status with the script passing again"
fi

# 2. The tracked interface goes down: FAULT.
cap_start f c1
cap_wait 5 f "3 adverts from r1" count_ge 3 adverts f 198.18.0.1 51
ip -n "$(ns_name r1)" link set trk0 down
t_down=$(now_ms)
wait_state 3 r1 FAULT
wait_no_vip 2 r1 "$VIP"
wait_state 3 r2 MASTER
wait_vip 2 r2 "$VIP"
log "r2 MASTER $(($(now_ms) - t_down)) ms after the tracked interface went down"
sleep 0.5
expect_state r1 FAULT
if [[ $VRRP_IMPL == vigild ]]; then
	fr=$(vinst r1 VI_1 fault_reason) || fr=
	[[ -n $fr && $fr != null ]] || fail "r1 is FAULT but status gives no fault_reason"
	log "r1 fault_reason: $fr"
fi
ip -n "$(ns_name r1)" link set trk0 up
wait_state 5 r1 MASTER
wait_vip 2 r1 "$VIP"
wait_state 2 r2 BACKUP
prio0() { adverts f 198.18.0.1 51 | awk '$9 == 0'; }
cap_wait 5 f "r1's priority 0 advert and r2's adverts" eval 'count_ge 1 prio0 && count_ge 1 adverts f 198.18.0.2 51'
cap_stop f
n0=$(adverts f 198.18.0.1 51 | awk '$9 == 0' | wc -l)
((n0 >= 1)) || fail "no priority 0 advert from r1 on entering FAULT"
ms=$(prio0_to_new_ms f 198.18.0.1 198.18.0.2 51)
report_time "track_interface down: priority 0 -> first r2 advert" "$ms" "$(skew_ms 100 100)"
tr1=$(d_transitions r1 | tr '\n' ' ')
log "r1 states: $tr1"
grep -q 'FAULT BACKUP MASTER' <<<"$tr1" || grep -q 'FAULT MASTER' <<<"$tr1" ||
	fail "r1 did not go FAULT -> (BACKUP ->) MASTER: $tr1"
vrrp_check_drops
log "PASS"
