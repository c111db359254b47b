#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A backup that reads an advert late still counts Master_Down_Interval from
# the advert's kernel arrival time (SO_TIMESTAMPNS), not from when it read
# it. r2 (backup) is frozen with SIGSTOP; r1 (master) sends one or two more
# adverts into r2's socket and is then killed; r2 is resumed ~200 ms after
# it was frozen and reads those adverts only then. On the wire, r1's last
# advert -> r2's first advert must be Master_Down_Interval (360.9 ms); had
# r2 counted from reading, it would be that plus the time the advert waited
# unread.
#
# An attempt counts only when the capture shows the set-up happened as
# planned (a loaded machine can stretch the sleeps): r1's last advert came
# while r2 was frozen, at least 40 ms before the resume (so that the two
# ways of counting differ by 40 ms or more) and early enough that its
# deadline had not passed at the resume (at most Master_Down_Interval -
# 60 ms before it). Two such attempts must pass; at most six are made.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump
[[ $VRRP_IMPL == vigild ]] || { log "SKIP: vigild only (its arrival-time logic)"; exit 0; }

VIP=198.18.0.100
vrrp_lan
vrrp_simple_conf "$T/r1.conf" r1 vigild 51 150 3 0.1 "$VIP/32"
vrrp_simple_conf "$T/r2.conf" r2 vigild 51 100 3 0.1 "$VIP/32"
d_start r1 r1 "$T/r1.conf" vigild
d_start r2 r2 "$T/r2.conf" vigild
wait_state 5 r1 MASTER
wait_state 2 r2 BACKUP
wait_vip 2 r1 "$VIP"

md=$(master_down_ms 100 100)
valid=0
for attempt in 1 2 3 4 5 6; do
	cap=late$attempt
	cap_start "$cap" c1
	sleep 0.5
	t_stop=$(now_ms)
	kill -STOP "${VPID[r2]}"
	sleep 0.12
	d_kill9 r1
	sleep 0.08
	t_cont=$(now_ms)
	kill -CONT "${VPID[r2]}"
	t_cont2=$(now_ms)
	wait_vip 3 r2 "$VIP"
	sleep 0.3
	cap_stop "$cap"
	expect_state r2 MASTER
	ms=$(takeover_ms "$cap" 198.18.0.1 198.18.0.2 51)
	last=$(adverts "$cap" 198.18.0.1 51 | awk '$9 > 0 { t = $2 } END { print t }')
	[[ -n $last ]] || fail "no advert from r1 in capture $cap"
	# Positions against the freeze and the resume, in ms.
	read -r in_stop before_cont < <(python3 -c "import sys; l, s, c = map(float, sys.argv[1:4]); print(int(l - s), int(c - l))" "$last" "$t_stop" "$t_cont")
	log "attempt $attempt: r1's last advert ${in_stop} ms after the freeze, ${before_cont} ms before the resume (resumed within $((t_cont2 - t_cont)) ms); takeover $ms ms"
	if ((in_stop >= 0 && before_cont >= 40 && t_cont2 - t_cont <= 20)) &&
		python3 -c "import sys; sys.exit(0 if $before_cont <= $md - 60 else 1)"; then
		report_time "backup frozen, advert read ${before_cont} ms late: last r1 advert -> first r2 advert" "$ms" "$md"
		expect_between "$(python3 -c "print($md - 10)")" "$(python3 -c "print($md + 25)")" "$ms" \
			"takeover counted from the advert's arrival (ms, attempt $attempt)"
		valid=$((valid + 1))
	else
		log "attempt $attempt: set-up not as planned (loaded machine?), not counted"
	fi
	# Back to the start: r1 preempts.
	d_restart r1
	wait_state 5 r1 MASTER
	wait_state 3 r2 BACKUP
	wait_no_vip 2 r2 "$VIP"
	((valid < 2)) || break
done
((valid >= 2)) || fail "only $valid of 6 attempts set up as planned"
st=$(vstatus r2)
python3 -c '
import json, sys
d = json.loads(sys.argv[1])
if isinstance(d, dict) and "result" in d:
    d = d["result"]
socks = d.get("vrrp", {}).get("sockets", [])
stamped = sum(s.get("rx_stamped", 0) for s in socks)
unstamped = sum(s.get("rx_unstamped", 0) for s in socks)
print("rx_stamped %d rx_unstamped %d" % (stamped, unstamped))
sys.exit(0 if stamped > 0 and unstamped == 0 else 1)
' "$st" >&2 || fail "r2 received adverts without a kernel arrival stamp"
vrrp_check_drops
log "PASS"
