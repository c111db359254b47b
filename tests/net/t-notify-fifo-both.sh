#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# notify_fifo and lvs_notify_fifo together, as keepalived 2.2.7 writes them:
# notify_fifo gets the VRRP lines (INSTANCE/GROUP "NAME" STATE PRIORITY)
# and the checker lines (ipwrapper.c's notify_fifo_rs / notify_fifo_vs:
# "RS [ADDR]:tcp:PORT [VIP]:tcp:PORT UP|DOWN", "VS [VIP]:tcp:PORT UP|DOWN");
# lvs_notify_fifo the checker lines only. A real server going down, an
# instance through FAULT, BACKUP and MASTER, the real server up again: each
# FIFO gets exactly its lines, in the order things happened (the test waits
# for each step before the next).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
# shellcheck source-path=SCRIPTDIR source=check-lib.sh
. "$(dirname "$0")/check-lib.sh"
need socat

vrrp_lan r1 rs
RS=198.18.0.2
vrrp_track_link r1

for f in all lvs; do
	mkfifo "$T/$f"
	# Read-write: the reader never sees an end of file.
	cat <>"$T/$f" >>"$T/$f.out" &
	_NET_PIDS+=("$!")
done
{
	vrrp_global r1 vigild "notify_fifo $T/all" "lvs_notify_fifo $T/lvs"
	vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 198.18.0.100/32 \
		"track_interface {" "	trk0" "}"
	cat <<EOF2
virtual_server 198.18.0.200 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS 81 {
		weight 1
		TCP_CHECK {
			connect_timeout 1
			retry 0
		}
	}
}
EOF2
} >"$T/r1.conf"

LPID=
listen() {
	ip netns exec "$(ns_name rs)" socat -u "TCP-LISTEN:81,bind=$RS,reuseaddr,fork" /dev/null &
	LPID=$!
	_NET_PIDS+=("$!")
	wait_for 5 "listener on 81" nsx rs sh -c "ss -Hltn 'sport = :81' | grep -q LISTEN"
}
unlisten() {
	kill -TERM "$LPID"
	wait "$LPID" 2>/dev/null || true
}
has() { grep -qxF -- "$2" "$T/$1.out" 2>/dev/null; }
# lines FIFO FROM: its lines after the first FROM lines, joined by '|'.
lines() { tail -n +$(($2 + 1)) "$T/$1.out" | paste -sd'|'; }
count() { wc -l <"$T/$1.out"; }

RSL="[$RS]:tcp:81 [198.18.0.200]:tcp:80"
VSL="[198.18.0.200]:tcp:80"

listen
d_start d r1 "$T/r1.conf" vigild
wait_state 5 d MASTER VI_1
wait_until 5 "the MASTER line" has all 'INSTANCE "VI_1" MASTER 150'
# The real server is taken as alive at start (no line), as keepalived does;
# its first check result confirms it.
checked_up() { [[ $(probe TCP_CHECK 81 known) == true && $(probe TCP_CHECK 81 state) == up ]]; }
wait_until 10 "the first check result" checked_up
n_all=$(count all)
n_lvs=$(count lvs)
expect_eq "" "$(grep -v '^INSTANCE "VI_1" ' "$T/all.out" || true)" "notify_fifo before the steps"
expect_eq 0 "$n_lvs" "lvs_notify_fifo lines before the steps"

unlisten
wait_until 10 "the quorum lost line" has all "VS $VSL DOWN"
ip -n "$(ns_name r1)" link set trk0 down
wait_state 5 d FAULT VI_1
wait_until 5 "the FAULT line" has all 'INSTANCE "VI_1" FAULT 150'
ip -n "$(ns_name r1)" link set trk0 up
wait_state 10 d MASTER VI_1
wait_until 5 "the second MASTER line" eval '[[ $(grep -c "MASTER 150" "$T/all.out") -ge 2 ]]'
listen
wait_until 10 "the quorum up line" has all "VS $VSL UP"
wait_until 5 "lvs_notify_fifo's last line" has lvs "VS $VSL UP"

want_all="RS $RSL DOWN|VS $VSL DOWN|INSTANCE \"VI_1\" FAULT 150|INSTANCE \"VI_1\" BACKUP 150"
want_all+="|INSTANCE \"VI_1\" MASTER 150|RS $RSL UP|VS $VSL UP"
want_lvs="RS $RSL DOWN|VS $VSL DOWN|RS $RSL UP|VS $VSL UP"
log "notify_fifo:     $(lines all 0)"
log "lvs_notify_fifo: $(lines lvs 0)"
expect_eq "$want_all" "$(lines all "$n_all")" "notify_fifo lines"
expect_eq "$want_lvs" "$(lines lvs "$n_lvs")" "lvs_notify_fifo lines"
log "PASS"
