#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vigild as doc/vigild.service runs it under systemd: Type=notify,
# NotifyAccess=main, ExecStartPre=vigild --config-test, ExecStart=vigild -n,
# ExecReload=kill -HUP $MAINPID, WatchdogSec. In the foreground, without
# -l (so logging to syslog: /dev/log is a socket the test holds), with
# NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID set as systemd sets them.
# What systemd would see and act on:
# - READY=1 with a STATUS, and only once the daemon is ready: at that
#   moment the pid file names it and the control socket answers;
# - every notification sent by the main pid (NotifyAccess=main drops the
#   others);
# - WATCHDOG=1 again and again, at half the watchdog interval;
# - SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1 and the new
#   generation in STATUS; a broken file the same, its rejection in STATUS;
# - SIGTERM: STOPPING=1, exit status 0, pid file and control socket gone;
# - syslog lines from ident vigild[PID] at facility daemon, nothing of the
#   log on stderr.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=daemon-lib.sh
. "$(dirname "$0")/daemon-lib.sh"

hosts_on_lan a
conf=$T/a.conf
vrrp_conf() { # vrrp_conf PRIORITY
	cat >"$conf" <<EOF
vrrp_instance VI_1 {
	interface eth0
	virtual_router_id 51
	priority $1
	version 3
	advert_int 0.1
	virtual_ipaddress {
		198.18.0.100/32
	}
}
EOF
}
vrrp_conf 150

# ExecStartPre
expect_rc 0 "$VIGILD" --config-test -f "$conf"

listen_start log syslog
listen_start notify notify "$T/a.pid" "$T/a.sock"
VSOCK[a]=$T/a.sock
VPIDFILE[a]=$T/a.pid
VLOG[a]=$T/a.out
NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=1000000 \
	prod_exec a "$T/log.sock" "$VIGILD" -n -f "$conf" -p "${VPIDFILE[a]}" \
	--control-socket "${VSOCK[a]}" </dev/null >"${VLOG[a]}" 2>&1 &
pid=$!
VPID[a]=$pid
_NET_PIDS+=("$pid")
_NET_VIGILD[$pid]=a
log "vigild -n started, pid $pid"

# --- readiness
wait_for 20 "READY=1" has_line "$T/notify.log" '\|READY=1(\||$)'
alive "$pid" || fail "vigild exited after READY=1"
ready=$(grep -m 1 -E '\|READY=1(\||$)' "$T/notify.log")
expect_match "^pid=$pid\|" "$ready" "READY=1 comes from the main pid"
expect_match '\|STATUS=vrrp_instance=1$' "$ready" "STATUS sent with READY=1"
# The line after the first READY=1 is what a client saw at that moment.
probe=$(grep -m 1 -A 1 -E '\|READY=1(\||$)' "$T/notify.log" | tail -n 1)
expect_eq "probe|pidfile=$pid|control=ok" "$probe" \
	"pid file and control socket when READY=1 arrived"

# --- watchdog: systemd's WatchdogSec=1s here; vigild pings at half of it
watchdogs() { grep -c '|WATCHDOG=1$' "$T/notify.log" || true; }
four_watchdogs() { (($(watchdogs) >= 4)); }
wait_for 10 "four WATCHDOG=1" four_watchdogs
wait_for 10 "the watchdog log line" has_line "$T/log.log" \
	"vigild\[$pid\]: systemd watchdog: pinging every 500 ms$"

# --- syslog: ident, pid, facility daemon (3), severity info (6)
pri=$(syslog_pri 3 6)
started="^<$pri>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} vigild\[$pid\]: vigild [0-9.]+ started \(pid $pid\)"
wait_for 10 "the start-up line in syslog" has_line "$T/log.log" "$started"
wait_for 10 "VI_1 MASTER in syslog" has_line "$T/log.log" \
	"^<$pri>.* vigild\[$pid\]: VI_1: BACKUP -> MASTER"
if grep -E ': (info|warning|error): ' "${VLOG[a]}"; then
	fail "log lines on stderr although vigild logs to syslog"
fi

# --- ExecReload: a good file
vrrp_conf 140
before=$(wc -l <"$T/notify.log")
t_hup=$(mono_us)
kill -HUP "$pid"
after_hup() { tail -n +"$((before + 1))" "$T/notify.log" | grep '^pid='; }
reloaded() { after_hup | grep -q '|STATUS=running generation 2: '; }
wait_for 20 "STATUS of generation 2" reloaded
after_hup >"$T/reload1.txt"
expect_match "^pid=$pid\|RELOADING=1\|MONOTONIC_USEC=[0-9]+$" "$(head -n 1 "$T/reload1.txt")" \
	"first notification after SIGHUP"
usec=$(head -n 1 "$T/reload1.txt" | sed 's/.*MONOTONIC_USEC=//')
# CLOCK_MONOTONIC in microseconds, taken after our own reading before kill
((usec >= t_hup && usec - t_hup < 60000000)) ||
	fail "MONOTONIC_USEC $usec is not CLOCK_MONOTONIC in microseconds after $t_hup"
r=$(line_no "$T/reload1.txt" '\|RELOADING=1\|')
y=$(line_no "$T/reload1.txt" '\|READY=1(\||$)')
((r == 1 && y > r)) || fail "READY=1 does not follow RELOADING=1: $(tr '\n' ' ' <"$T/reload1.txt")"
expect_eq 2 "$(ctl a --json status | jget config.generation)" "generation after SIGHUP"
wait_for 10 "the reload in syslog" has_line "$T/log.log" \
	"vigild\[$pid\]: configuration generation 2 loaded"

# --- ExecReload: a broken file is rejected, and systemd hears so too
echo "vrrp_instance {" >"$conf"
before=$(wc -l <"$T/notify.log")
kill -HUP "$pid"
rejected() { after_hup | grep -q '|STATUS=reload rejected ([0-9]* errors); running generation 2$'; }
wait_for 20 "STATUS of the rejected reload" rejected
after_hup >"$T/reload2.txt"
expect_match "^pid=$pid\|RELOADING=1\|" "$(head -n 1 "$T/reload2.txt")" \
	"first notification after the second SIGHUP"
y=$(line_no "$T/reload2.txt" '\|READY=1(\||$)')
((y > 1)) || fail "no READY=1 after the rejected reload: $(tr '\n' ' ' <"$T/reload2.txt")"
expect_eq 2 "$(ctl a --json status | jget config.generation)" "generation after the rejected reload"
wait_for 10 "the rejection in syslog at severity err" has_line "$T/log.log" \
	"^<$(syslog_pri 3 3)>.* vigild\[$pid\]: reload rejected: [0-9]+ error\(s\)"
alive "$pid" || fail "vigild exited on a broken reload"

# --- NotifyAccess=main: nothing from another process
others=$(notify_msgs notify | grep -v "^pid=$pid|" || true)
[[ -z $others ]] || fail "notifications from other pids than the main one ($pid): $others"

# --- stop
before=$(wc -l <"$T/notify.log")
kill -TERM "$pid"
vigild_wait a 10
expect_eq 0 "$VRC" "exit status after SIGTERM"
# A watchdog ping may land between counting the lines and SIGTERM: the
# first notification other than a ping is STOPPING=1, and no ping follows it.
after_hup >"$T/stop.txt"
expect_match "^pid=$pid\|STOPPING=1$" "$(grep -v '|WATCHDOG=1$' "$T/stop.txt" | head -n 1)" \
	"first notification after SIGTERM"
if sed -n '/|STOPPING=1$/,$p' "$T/stop.txt" | grep -q '|WATCHDOG=1$'; then
	fail "a watchdog ping after STOPPING=1: $(tr '\n' ' ' <"$T/stop.txt")"
fi
[[ ! -e ${VPIDFILE[a]} ]] || fail "pid file left behind"
[[ ! -e ${VSOCK[a]} ]] || fail "control socket left behind"
wait_for 10 "'stopped' in syslog" has_line "$T/log.log" "^<$pri>.* vigild\[$pid\]: stopped$"
log "PASS"
