#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vrrp_delay_after_boot (keepalived 2.4.0). vigild runs in a time namespace
# whose CLOCK_BOOTTIME says the system booted 10 s ago (unshare --time
# --boottime; nsenter keeps vigild's pid), the only way to be "just after
# boot" on a machine that has been up for hours.
# A) vrrp_delay_after_boot 3.5 s past the namespace's uptime at start, and
#    vrrp_startup_delay 1: the instance waits what is left (about 3.5 s, the
#    longer of the two), says so in its log, sends nothing before, then
#    becomes master.
# B) vrrp_delay_after_boot 5 (already past) and no startup delay: it starts
#    at once.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump unshare nsenter

VIP=198.18.0.100
up=$(awk '{ printf "%d", $1 }' /proc/uptime)
((up > 20)) || fail "uptime ${up}s: too short for a 10 s boot time namespace"
unshare --time --boottime "-$((up - 10))" sleep 600 &
holder=$!
_NET_PIDS+=("$holder")
wait_until 5 "time namespace holder" test -e "/proc/$holder/ns/time"
# its boot clock: about 10 s
wait_until 5 "holder in its time namespace" \
	test "$(readlink "/proc/$holder/ns/time")" != "$(readlink /proc/self/ns/time)"
# boot_uptime: the uptime (s, 2 decimals) inside the time namespace
boot_uptime() { nsenter -t "$holder" --time cat /proc/uptime | awk '{ print $1 }'; }
booted=$(boot_uptime)
((${booted%.*} >= 9 && ${booted%.*} <= 12)) || fail "time namespace uptime is ${booted}s, not about 10"
REAL_VIGILD=$VIGILD
VIGILD=$T/vigild-boot
printf '#!/bin/sh\nexec nsenter -t %s --time -- %s "$@"\n' "$holder" "$REAL_VIGILD" >"$VIGILD"
chmod 755 "$VIGILD"

vrrp_lan r1 c1

# A) 3.5 s after vigild's start
after=$(python3 -c "print('%.2f' % ($(boot_uptime) + 3.5))")
{
	vrrp_global r1 vigild "vrrp_delay_after_boot $after" "vrrp_startup_delay 1"
	vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 "$VIP/32"
} >"$T/r1.conf"
cap_start a c1
t0=$(now_ms)
d_start r1 r1 "$T/r1.conf" vigild
ms=$(sed -n 's/.*instance(s) start in \([0-9]*\) ms (vrrp_delay_after_boot).*/\1/p' "${VLOG[r1]}")
[[ -n $ms ]] || fail "A: no 'start in N ms (vrrp_delay_after_boot)' line in r1's log"
((ms >= 2000 && ms <= 4500)) || fail "A: start in $ms ms, expected about 3500"
log "A: vrrp_delay_after_boot $after: r1 says it starts in $ms ms (vrrp_delay_after_boot)"
wait_state 10 r1 MASTER
t1=$(now_ms)
cap_stop a
# the first advert on the wire comes no earlier than the delay
first=$(adverts a 198.18.0.1 51 | awk 'NR == 1 { printf "%.0f", $2 }')
[[ -n $first ]] || fail "A: no advert from r1"
((first - t0 >= ms - 300)) || fail "A: first advert $((first - t0)) ms after start, delay $ms ms"
log "A: first advert $((first - t0)) ms after start, MASTER after $((t1 - t0)) ms"
d_term r1

# B) the boot delay is already over: no wait
{
	vrrp_global r1b vigild "vrrp_delay_after_boot 5"
	vrrp_instance_conf r1b vigild VI_1 51 150 3 0.1 "$VIP/32"
} >"$T/r1b.conf"
d_start r1b r1 "$T/r1b.conf" vigild
grep -q 'instance(s) started' "${VLOG[r1b]}" || fail "B: r1b did not start its instance at once"
grep -q 'start in' "${VLOG[r1b]}" && fail "B: r1b delayed its start: $(grep 'start in' "${VLOG[r1b]}")"
wait_state 3 r1b MASTER
log "B: vrrp_delay_after_boot already past: started at once"
log "PASS"
