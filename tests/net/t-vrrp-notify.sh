#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Notifications on r1 across MASTER -> FAULT -> BACKUP -> MASTER (FAULT via
# a tracked interface, BACKUP when it clears, MASTER by preempting r2):
# notify_master / notify_backup / notify_fault scripts, the generic notify
# script (TYPE NAME STATE PRIORITY) and the notify_fifo lines
# (TYPE "NAME" STATE PRIORITY) all arrive, in event order, and agree.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

VIP=198.18.0.100
vrrp_lan r1 r2
ip -n "$(ns_name r1)" link add trk0 type veth peer name trk1
ip -n "$(ns_name r1)" link set trk1 up
ip -n "$(ns_name r1)" link set trk0 up

cat >"$T/ev.sh" <<EOF2
#!/bin/sh
echo "\$1" >>$T/events
EOF2
chmod 755 "$T/ev.sh"
mkfifo "$T/fifo"
"$VRRP_PYTHON" -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        b = os.read(fd, 4096)
        if not b:
            break
        out.write(b)
' "$T/fifo" "$T/fifo.out" &
reader=$!
_NET_PIDS+=("$reader")
_reader_ready() {
	local f
	for f in "/proc/$reader/fd/"*; do
		[[ $(readlink "$f") == "$T/fifo" ]] && return 0
	done
	return 1
}
# A python3 start: seconds on a loaded machine.
wait_until 20 "the FIFO reader" _reader_ready

extra=("track_interface {" "	trk0" "}"
	"notify_master \"$T/ev.sh MASTER\""
	"notify_backup \"$T/ev.sh BACKUP\""
	"notify_fault \"$T/ev.sh FAULT\"")
# keepalived already gets the generic notify from the harness.
[[ $VRRP_IMPL == keepalived ]] || extra+=("notify \"$T/notify.sh $T/r1.notify\"")
{
	vrrp_global r1 "$VRRP_IMPL" "notify_fifo $T/fifo"
	vrrp_instance_conf r1 "$VRRP_IMPL" VI_1 51 150 3 0.1 "$VIP/32" "${extra[@]}"
} >"$T/r1.conf"
vrrp_simple_conf "$T/r2.conf" r2 "$VRRP_IMPL" 51 100 3 0.1 "$VIP/32"

# The states each channel has reported so far, one line.
seq_events() { tr '\n' ' ' <"$T/events" 2>/dev/null || true; }
seq_generic() { awk '$1 == "INSTANCE" && $2 == "VI_1" && $3 ~ /^(MASTER|BACKUP|FAULT)$/ { printf "%s ", $3 }' "$T/r1.notify" 2>/dev/null || true; }
seq_fifo() { awk '$1 == "INSTANCE" && $2 == "\"VI_1\"" && $3 ~ /^(MASTER|BACKUP|FAULT)$/ { printf "%s ", $3 }' "$T/fifo.out" 2>/dev/null || true; }
# reported SEQ: every channel's report so far ends with the states SEQ
# (each followed by a space). Scripts run asynchronously: the test waits
# for them instead of guessing how long they take; a channel that never
# gets there is shown by the comparisons at the end.
reported() { [[ $(seq_events) == *"$1" && $(seq_generic) == *"$1" && $(seq_fifo) == *"$1" ]]; }
wait_reported() {
	local end=$(($(now_ms) + 10000))
	until reported "$1"; do
		(($(now_ms) < end)) || return 0
		sleep 0.1
	done
}

d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
wait_state 5 r1 MASTER
wait_state 3 r2 BACKUP
wait_reported "MASTER "
ip -n "$(ns_name r1)" link set trk0 down
wait_state 3 r1 FAULT
wait_state 3 r2 MASTER
wait_reported "MASTER FAULT "
ip -n "$(ns_name r1)" link set trk0 up
wait_state 5 r1 MASTER
wait_state 3 r2 BACKUP
wait_reported "MASTER FAULT BACKUP MASTER "
if [[ $VRRP_IMPL == vigild ]]; then
	# Nothing left to run: no notification still queued.
	wait_status 10 r1 vrrp.notify.scripts_queued 0
fi

seq_events=$(seq_events)
seq_generic=$(seq_generic)
seq_fifo=$(seq_fifo)
log "per-state scripts: $seq_events"
log "generic notify:    $seq_generic"
log "notify_fifo:       $seq_fifo"
log "fifo lines: $(tr '\n' '|' <"$T/fifo.out" 2>/dev/null)"
if [[ $VRRP_IMPL == vigild ]]; then
	log "vigild notify counters: $(vstatus r1 | jget vrrp.notify)"
fi
want='MASTER FAULT BACKUP MASTER $'
expect_match "$want" "$seq_events" "notify_master/backup/fault order"
expect_match "$want" "$seq_generic" "generic notify order"
expect_match "$want" "$seq_fifo" "notify_fifo order"
expect_eq "$seq_events" "$seq_generic" "per-state scripts vs generic notify"
expect_eq "$seq_generic" "$seq_fifo" "generic notify vs notify_fifo"
bad=$(awk '$1 == "INSTANCE" && $3 == "MASTER" && $4 != 150' "$T/r1.notify")
[[ -z $bad ]] || fail "generic notify MASTER lines without priority 150: $bad"
bad=$(grep -vE '^(INSTANCE|GROUP) "[^"]+" [A-Z_]+ [0-9]+$' "$T/fifo.out" | grep -v '^$' || true)
[[ -z $bad ]] || fail "malformed notify_fifo lines: $bad"
vrrp_check_drops
log "PASS"
