#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# global_defs startup_script / shutdown_script and their timeouts, as
# keepalived 2.2.7 runs them (core/main.c):
# 1. The startup script runs before VRRP starts: it sees no VIP, even
#    after waiting longer than the instance takes to become master, and
#    runs as script_user. The shutdown script runs when the VIP is gone,
#    and vigild exits only after it ended (exit 0, pid file removed).
# 2. A startup script that fails (exit 3) is logged with its status; VRRP
#    starts anyway. It runs as script_user nobody (uid 65534).
# 3. A startup script that outlives startup_script_timeout is killed
#    (SIGTERM to its process group) and VRRP starts; a shutdown script that
#    outlives shutdown_script_timeout is killed and vigild then exits 0.
# 4. enable_script_security, script_user root, scripts in a world-writable
#    folder: both are refused at start with a log line, neither runs, and
#    VRRP runs.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

hosts_on_lan a
chmod 755 "$T"
mkdir -m 0777 "$T/out"
chmod 0777 "$T/out"
VIP=198.18.0.100

has_vip_a() { nsx a ip -o -4 addr show dev eth0 | grep -qF " $VIP/"; }

# conf FILE USER STARTUP SHUTDOWN [EXTRA GLOBAL LINES...]
conf() {
	local file=$1 user=$2 start=$3 stop=$4 l
	shift 4
	{
		printf 'global_defs {\n\tenable_script_security\n\tscript_user %s\n' "$user"
		printf '\tstartup_script "%s"\n\tshutdown_script "%s"\n' "$start" "$stop"
		for l in "$@"; do
			printf '\t%s\n' "$l"
		done
		printf '}\n'
		vrrp_instance_conf a vigild VI_1 51 150 3 0.1 "$VIP/24"
	} >"$file"
}

# script NAME BODY: an executable $T/NAME.sh (root's, mode 755).
script() {
	printf '#!/bin/sh\n%s\n' "$2" >"$T/$1.sh"
	chmod 755 "$T/$1.sh"
}

# ---- 1. ordering, identity, the stop waits for the shutdown script
script start "ip -4 -o addr show dev eth0 >$T/out/start.before
id -u >$T/out/start.uid
sleep 1.5
ip -4 -o addr show dev eth0 >$T/out/start.after"
script stop "ip -4 -o addr show dev eth0 >$T/out/stop.addrs
sleep 1
touch $T/out/stop.done"
conf "$T/1.conf" root "$T/start.sh" "$T/stop.sh"
vigild_start a a "$T/1.conf"
wait_for 10 "VIP $VIP on a" has_vip_a
[[ -f $T/out/start.after ]] || fail "VRRP took the VIP before the startup script ended"
if grep -qF " $VIP/" "$T/out/start.before" "$T/out/start.after"; then
	fail "the startup script saw the VIP: $(cat "$T/out/start.before" "$T/out/start.after")"
fi
expect_eq 0 "$(cat "$T/out/start.uid")" "startup script uid (script_user root)"
grep -q 'startup_script succeeded' "${VLOG[a]}" || fail "no success line in the log"
kill -TERM "${VPID[a]}"
vigild_wait a 15
expect_eq 0 "$VRC" "exit status with a shutdown script"
[[ -f $T/out/stop.addrs ]] || fail "the shutdown script did not run"
[[ -f $T/out/stop.done ]] || fail "vigild exited before the shutdown script ended"
if grep -qF " $VIP/" "$T/out/stop.addrs"; then
	fail "the shutdown script ran while the VIP was still there: $(cat "$T/out/stop.addrs")"
fi
[[ ! -e ${VPIDFILE[a]} ]] || fail "pid file left behind"
# The VIP check above can race a removal that takes a few ms; the log's
# order cannot: VRRP's stop (adverts sent, addresses flushed) comes first.
awk '/vrrp: [0-9]+ instance\(s\) stopped/ { v = NR } /running shutdown_script/ { s = NR }
	END { exit !(v && s && v < s) }' "${VLOG[a]}" ||
	fail "the shutdown script started before VRRP had stopped: $(grep -E 'instance|shutdown' "${VLOG[a]}")"
rm -f "$T"/out/*

# ---- 2. a failing startup script, as script_user nobody
script start "id -u >$T/out/start.uid
exit 3"
script stop "exit 0"
conf "$T/2.conf" nobody "$T/start.sh" "$T/stop.sh"
vigild_start a a "$T/2.conf"
wait_for 10 "VIP $VIP on a after a failed startup script" has_vip_a
expect_eq 65534 "$(cat "$T/out/start.uid")" "startup script uid (script_user nobody)"
grep -q 'startup_script failed, exit status 3' "${VLOG[a]}" ||
	fail "the failure is not logged: $(grep startup_script "${VLOG[a]}")"
kill -TERM "${VPID[a]}"
vigild_wait a 15
expect_eq 0 "$VRC" "exit status"
rm -f "$T"/out/*

# ---- 3. timeouts
script start "echo \$\$ >$T/out/start.pid
sleep 30
touch $T/out/start.late"
script stop "echo \$\$ >$T/out/stop.pid
sleep 30
touch $T/out/stop.late"
conf "$T/3.conf" root "$T/start.sh" "$T/stop.sh" "startup_script_timeout 1" \
	"shutdown_script_timeout 1"
t0=$(now_ms)
vigild_start a a "$T/3.conf"
wait_for 10 "VIP $VIP on a after the startup script timed out" has_vip_a
t1=$(now_ms)
((t1 - t0 >= 1000)) || fail "VIP after $((t1 - t0)) ms, before startup_script_timeout"
grep -q 'startup_script timed out; killed' "${VLOG[a]}" || fail "startup timeout not logged"
spid=$(cat "$T/out/start.pid")
wait_gone 5 "$spid"
t0=$(now_ms)
kill -TERM "${VPID[a]}"
vigild_wait a 15
t1=$(now_ms)
expect_eq 0 "$VRC" "exit status after a shutdown script timeout"
((t1 - t0 >= 1000)) || fail "vigild exited after $((t1 - t0)) ms, before shutdown_script_timeout"
grep -q 'shutdown_script timed out; killed' "${VLOG[a]}" || fail "shutdown timeout not logged"
alive "$(cat "$T/out/stop.pid")" && fail "the shutdown script outlived vigild"
[[ ! -e $T/out/start.late && ! -e $T/out/stop.late ]] || fail "a timed-out script went on"
rm -f "$T"/out/*

# ---- 4. insecure scripts under enable_script_security
mkdir -m 0777 "$T/ww"
chmod 0777 "$T/ww"
printf '#!/bin/sh\ntouch %s/out/ran.$1\n' "$T" >"$T/ww/rec.sh"
chmod 755 "$T/ww/rec.sh"
conf "$T/4.conf" root "$T/ww/rec.sh start" "$T/ww/rec.sh stop"
vigild_start a a "$T/4.conf"
wait_for 10 "VIP $VIP on a with refused scripts" has_vip_a
for k in startup shutdown; do
	grep -q "${k}_script: '$T/ww/rec.sh .*enable_script_security); it will not run" \
		"${VLOG[a]}" || fail "no refusal of the insecure ${k}_script in the log"
done
kill -TERM "${VPID[a]}"
vigild_wait a 15
expect_eq 0 "$VRC" "exit status"
[[ ! -e $T/out/ran.start && ! -e $T/out/ran.stop ]] || fail "an insecure script ran: $(ls "$T/out")"
exit 0
