#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vrrp_script interval and timeout to the millisecond (keepalived 2.3.2;
# 2.2.7 took whole seconds). One vigild, one VRRPv3 instance tracking a
# script with interval 0.2 and timeout 0.15:
# A) the script runs every 0.2 s: its own timestamps over 3 s are 11 to 19
#    runs with a median gap of 150 to 300 ms; the instance is MASTER.
# B) the script then sleeps 0.5 s each run: the timeout of 0.15 s kills it,
#    a failure, so the instance (weight 0) goes to FAULT within 2 s.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

VIP=198.18.0.100
printf '#!/bin/sh\ndate +%%s%%N >>%s/runs\ntest -f %s/slow && sleep 0.5\nexit 0\n' "$T" "$T" >"$T/chk.sh"
chmod 755 "$T/chk.sh"
vrrp_lan r1 c1
{
	vrrp_global r1 vigild
	printf 'vrrp_script chk {\n\tscript "%s"\n\tinterval 0.2\n\ttimeout 0.15\n}\n\n' "$T/chk.sh"
	vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 "$VIP/32" "track_script {" "chk" "}"
} >"$T/r1.conf"
d_start r1 r1 "$T/r1.conf" vigild
wait_state 5 r1 MASTER
: >"$T/runs"
sleep 3
runs=$(wc -l <"$T/runs")
gap=$(python3 -c '
import sys
t = [int(l) for l in open(sys.argv[1]) if l.strip()]
g = sorted((b - a) // 1000000 for a, b in zip(t, t[1:]))
print(g[len(g) // 2] if g else -1)' "$T/runs")
log "A: $runs runs in 3 s, median gap $gap ms"
((runs >= 11 && runs <= 19)) || fail "A: $runs runs of an interval 0.2 script in 3 s"
((gap >= 150 && gap <= 300)) || fail "A: median gap $gap ms, interval 0.2 s"
expect_state r1 MASTER
touch "$T/slow"
wait_state 2 r1 FAULT
log "B: a 0.5 s run against timeout 0.15: FAULT"
log "PASS"
