#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# enable_script_security on every script kind, as keepalived 2.2.7's
# check_script_secure: instance notify_master / notify_backup / notify_fault
# / notify_stop / notify, sync group notify_master / notify_backup /
# notify_fault / notify, notify_fifo_script, vrrp_notify_fifo_script,
# lvs_notify_fifo_script, real server notify_up / notify_down, virtual
# server quorum_up / quorum_down, vrrp_script and MISC_CHECK.
# 1. Every script is $T/ww/rec.sh, in a world-writable directory, and
#    script_user is root: each is refused at load with a log line naming it,
#    and through FAULT, a real server going down and quorum lost none runs.
# 2. The directory made safe, script_user nobody, SIGHUP: the reload checks
#    again and every kind runs, as uid 65534, through the events that call
#    it (MASTER, FAULT, BACKUP, a real server down and up, the stop).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need socat

vrrp_lan r1 rs
RS=198.18.0.2
vrrp_track_link r1
chmod 755 "$T"
mkdir -m 0777 "$T/ww" "$T/out"
cat >"$T/ww/rec.sh" <<EOF2
#!/bin/sh
echo "\$1 \$(id -u)" >>$T/out/ran
EOF2
chmod 755 "$T/ww/rec.sh"
chmod 0777 "$T/ww" # mkdir's mode is cut by the umask

r() { printf '"%s %s"' "$T/ww/rec.sh" "$1"; }

# conf USER: the whole configuration, every script run as USER.
conf() {
	cat <<EOF2
global_defs {
	router_id r1
	enable_script_security
	script_user $1
	notify_fifo $T/f1
	notify_fifo_script $(r notify_fifo_script)
	vrrp_notify_fifo $T/f2
	vrrp_notify_fifo_script $(r vrrp_notify_fifo_script)
	lvs_notify_fifo $T/f3
	lvs_notify_fifo_script $(r lvs_notify_fifo_script)
}
vrrp_script chk {
	script $(r vrrp_script)
	interval 1
}
vrrp_sync_group G1 {
	group {
		VI_1
		VI_2
	}
	notify_master $(r g_master)
	notify_backup $(r g_backup)
	notify_fault $(r g_fault)
	notify $(r g_notify)
}
EOF2
	vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 198.18.0.100/32 \
		"track_script {" "	chk" "}" "track_interface {" "	trk0" "}" \
		"notify_master $(r i_master)" "notify_backup $(r i_backup)" \
		"notify_fault $(r i_fault)" "notify_stop $(r i_stop)" "notify $(r i_notify)"
	vrrp_instance_conf r1 vigild VI_2 52 150 3 0.1 198.18.0.101/32
	cat <<EOF2
virtual_server 198.18.0.200 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	quorum 2
	quorum_up $(r quorum_up)
	quorum_down $(r quorum_down)
	real_server $RS 81 {
		weight 1
		notify_up $(r notify_up)
		notify_down $(r notify_down)
		TCP_CHECK {
			connect_timeout 1
			retry 0
		}
	}
	real_server $RS 82 {
		weight 1
		MISC_CHECK {
			misc_path $(r misc)
		}
	}
}
EOF2
}
KINDS="i_master i_backup i_fault i_stop i_notify g_master g_backup g_fault g_notify
notify_fifo_script vrrp_notify_fifo_script lvs_notify_fifo_script vrrp_script misc
notify_up notify_down quorum_up quorum_down"

LPID=
listen() {
	ip netns exec "$(ns_name rs)" socat -u "TCP-LISTEN:81,bind=$RS,reuseaddr,fork" /dev/null &
	LPID=$!
	_NET_PIDS+=("$!")
}
unlisten() {
	kill -TERM "$LPID"
	wait "$LPID" 2>/dev/null || true
}
lvs_line() { grep -q "^RS \[$RS\]:tcp:81 .* $1\$" "$T/f3.out" 2>/dev/null; }

# Readers for the three FIFOs (the refused reader scripts never start).
for f in f1 f2 f3; do
	mkfifo "$T/$f"
	# Read-write: the reader never sees an end when vigild reopens.
	cat <>"$T/$f" >>"$T/$f.out" &
	_NET_PIDS+=("$!")
done

# ---- 1: refused ----
conf root >"$T/r1.conf"
d_start r1 r1 "$T/r1.conf" vigild
# The refused vrrp_script counts as failed: VI_1 FAULT, and VI_2 (started
# after it) with it: the group is in FAULT.
wait_state 5 r1 FAULT VI_1
wait_state 5 r1 FAULT VI_2
# No listener: the real server goes down and the quorum is lost.
wait_until 10 "the real server down on lvs_notify_fifo" lvs_line DOWN
grep -q '^VS .* DOWN$' "$T/f3.out" || fail "no quorum lost line: $(cat "$T/f3.out")"
sleep 0.5 # scripts would have been started with the events just seen
[[ ! -s $T/out/ran ]] || fail "insecure scripts ran: $(cat "$T/out/ran")"
for k in $KINDS; do
	grep -qF "'$T/ww/rec.sh $k': $T/ww is writable by everyone and the script would run with root privileges (enable_script_security)" \
		"${VLOG[r1]}" || fail "no refusal logged for $k"
done
log "phase 1: $(grep -c 'would run with root privileges' "${VLOG[r1]}") refusals logged, nothing ran"

# ---- 2: safe, as nobody, after a reload ----
chmod 0755 "$T/ww"
conf nobody >"$T/r1.conf"
kill -HUP "${VPID[r1]}"
wait_status 10 r1 config.generation 2
expect_eq true "$(vstatus r1 | jget reload.last.ok)" "the reload succeeded"
listen
wait_until 10 "the real server up on lvs_notify_fifo" lvs_line UP
wait_state 10 r1 MASTER VI_1
wait_state 5 r1 MASTER VI_2
ip -n "$(ns_name r1)" link set trk0 down
wait_state 5 r1 FAULT VI_1
ip -n "$(ns_name r1)" link set trk0 up
wait_state 10 r1 MASTER VI_1
unlisten
ran_down() { grep -q "^notify_down " "$T/out/ran" && grep -q "^quorum_down " "$T/out/ran"; }
wait_until 10 "notify_down to run" ran_down
kill -TERM "${VPID[r1]}"
vigild_wait r1 15
expect_eq 0 "$VRC" "vigild's exit status"
log "ran: $(sort "$T/out/ran" | uniq -c | tr '\n' ';')"
for k in $KINDS; do
	grep -q "^$k 65534\$" "$T/out/ran" || fail "$k did not run as nobody"
done
if grep -v ' 65534$' "$T/out/ran"; then
	fail "a script ran as another user than nobody"
fi
log "PASS"
