#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Start-up: (1) a tracked vrrp_script that has not reported yet counts as
# OK: r1 goes INIT -> BACKUP -> MASTER with no FAULT on the way although its
# script takes 1 s to answer; with init_fail the instance starts in FAULT
# and leaves it when the script succeeds. (2) vrrp_startup_delay 1.5: no
# advert leaves r2 before 1.5 s after vigild armed the delay (its own log
# stamp), and the first one follows within the delay + its
# Master_Down_Interval + 500 ms.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump
[[ $VRRP_IMPL == vigild ]] || { log "SKIP: vigild only"; exit 0; }

vrrp_lan
conf() { # conf FILE NAME VRID INIT_FAIL [GLOBAL...]
	local f=$1 n=$2 vrid=$3 init=$4
	shift 4
	{
		vrrp_global "$n" vigild "$@"
		cat <<EOC
vrrp_script slow {
	script "/bin/sleep 1"
	interval 5
	timeout 3
	$init
}

EOC
		vrrp_instance_conf "$n" vigild VI_1 "$vrid" 150 3 0.1 "198.18.0.$vrid/32" \
			"track_script {" "slow" "}"
	} >"$f"
}
conf "$T/r1.conf" r1 51 ""
conf "$T/r1b.conf" r1b 52 init_fail
conf "$T/r2.conf" r2 53 "" "vrrp_startup_delay 1.5"

cap_start c1 c1
d_start r1 r1 "$T/r1.conf" vigild
d_start r1b r1 "$T/r1b.conf" vigild
t0=$(now_ms)
d_start r2 r2 "$T/r2.conf" vigild
wait_state 5 r1 MASTER
expect_eq "BACKUP MASTER" "$(d_transitions r1 | xargs)" "r1 transitions (no FAULT blip)"
wait_state 5 r1b MASTER
expect_eq "FAULT BACKUP MASTER" "$(d_transitions r1b | xargs)" "r1b transitions with init_fail (straight to FAULT)"
wait_state 5 r2 MASTER
cap_wait 5 c1 "an advert from r2" count_ge 1 adverts c1 198.18.0.2 53
cap_stop c1
first=$(adverts c1 198.18.0.2 53 | awk 'NR == 1 { print $2 }')
[[ -n $first ]] || fail "no advert from r2"
grep -q "start in 1500 ms (vrrp_startup_delay)" "${VLOG[r2]}" || fail "no startup delay line in r2's log"
# The delay counts from the moment r2 armed it, which its log line
# stamps: the shell's own times carry the exec and start-up of an ASan
# daemon on a loaded machine (over a second seen).
t_arm=$(log_ms r2 'start in [0-9]+ ms \(vrrp_startup_delay\)')
ms=$(python3 -c "import sys; print('%d' % (float(sys.argv[1]) - float(sys.argv[2])))" "$first" "$t_arm")
log "r2's first advert $ms ms after it armed vrrp_startup_delay 1.5 s ($(python3 -c "print(int($first - $t0))") ms after its exec)"
# Not before the delay (less 5 ms: the stamp is taken just after the
# timer is armed, and a timer may fire up to a ms early). At most the
# delay, r2's Master_Down_Interval as a new backup (RFC 5798 6.4.1: 3 x
# 100 + (256 - 150) x 100 / 256 = 341.4 ms) and 500 ms for a loaded
# machine: a delay ignored fails the first bound, one counted twice or a
# second too long the second.
expect_between 1495 $((1500 + 341 + 500)) "$ms" "vrrp_startup_delay armed -> r2's first advert (ms)"
log "PASS"
