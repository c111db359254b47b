#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Preemption control. r2 (priority 100) is master while r1 is down.
# 1. r1 (150) starts with nopreempt: it stays BACKUP, r2 stays MASTER and
#    keeps the VIP (watched for 3 s, no flap).
# 2. r1 restarts with preempt_delay 2: it takes over, but only 2 s after
#    it entered BACKUP (its first advert on the wire, against vigild's own
#    log stamp of the transition): not before 2 s, not more than 2 s +
#    Master_Down_Interval + 500 ms after.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump

VIP=198.18.0.100
vrrp_lan
vrrp_simple_conf "$T/r1.conf" r1 "$VRRP_IMPL" 51 150 3 0.1 "$VIP/32" nopreempt
vrrp_simple_conf "$T/r2.conf" r2 "$VRRP_IMPL" 51 100 3 0.1 "$VIP/32" nopreempt
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
wait_state 5 r2 MASTER
wait_vip 2 r2 "$VIP"

cap_start np c1
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
wait_state 3 r1 BACKUP
sleep 3
cap_stop np
expect_state r1 BACKUP
expect_state r2 MASTER
expect_vip r2 "$VIP"
expect_no_vip r1 "$VIP"
expect_eq 0 "$(count_to r1 MASTER)" "times r1 (nopreempt) entered MASTER"
expect_eq 1 "$(count_to r2 MASTER)" "times r2 entered MASTER"
n=$(adverts np 198.18.0.1 51 | wc -l)
expect_eq 0 "$n" "adverts from r1 with nopreempt"
log "nopreempt: r1 (150) stayed BACKUP for 3 s under r2 (100)"

# preempt_delay 2
d_term r1
vrrp_simple_conf "$T/r1.conf" r1 "$VRRP_IMPL" 51 150 3 0.1 "$VIP/32" "preempt_delay 2"
cap_start pd c1
t_start=$(now_ms)
d_restart r1
# vigild_start returns once the daemon answers on its control socket: it
# is running by then, so its preempt_delay started between the two times.
t_ready=$(now_ms)
# (Not waiting to see r1 in BACKUP: on a loaded machine the first status
# read may come after the delay. The wire shows when it took over.)
wait_state 10 r1 MASTER
wait_vip 2 r1 "$VIP"
wait_state 2 r2 BACKUP
wait_no_vip 2 r2 "$VIP"
cap_wait 5 pd "an advert from r1" count_ge 1 adverts pd 198.18.0.1 51
cap_stop pd
first1=$(adverts pd 198.18.0.1 51 | awk '$9 > 0 && !d { print $2; d = 1 }')
[[ -n $first1 ]] || fail "no advert from r1 after preempt_delay"
ms=$(python3 -c "print(int($first1 - $t_start))")
report_time "preempt_delay 2: r1 start -> first r1 advert" "$ms" "2000 (+ start-up)"
# preempt_delay counts from entering BACKUP. vigild's log stamps that
# moment itself; for keepalived the shell's bounds stand in: the delay
# began after t_start (before the exec) and before t_ready (the daemon
# answered), which a loaded machine pulls apart by a second and more.
lo=$t_start hi=$t_ready
if [[ $VRRP_IMPL == vigild ]]; then
	lo=$(log_ms r1 'VI_1: INIT -> BACKUP')
	hi=$lo
fi
log "first r1 advert $(python3 -c "print(int($first1 - $lo))") ms after the delay began ($ms ms after the exec)"
# Not before the delay (5 ms for the stamp and a timer's early firing):
# without preempt_delay r1 would take over one Master_Down_Interval
# (341.4 ms, RFC 5798 6.1) after its start.
expect_between 1995 100000 "$(python3 -c "print(int($first1 - $lo))")" \
	"delay began -> first r1 advert, at the earliest (ms; preempt_delay 2 s)"
# Not much after it either: the delay, then r1 waits out its own
# Master_Down_Interval (341.4 ms) from the last lower advert it accepted,
# plus 500 ms for a loaded machine. A delay off by a second fails.
expect_between 0 $((2000 + 341 + 500)) "$(python3 -c "print(int($first1 - $hi))")" \
	"delay began -> first r1 advert, at the latest (ms; preempt_delay 2 s)"
vrrp_check_drops
log "PASS"
