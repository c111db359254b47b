#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vigild as an operator starts it: `vigild -f FILE` without -n and without
# -l, so it detaches and logs to syslog, here at facility local3 (-S 3).
# /dev/log and NOTIFY_SOCKET are sockets the test holds; the command runs
# under a child subreaper, so the detached daemon's exit status is known.
# - a broken file: the command fails with 1 and the errors on its stderr,
#   and nothing is left running;
# - a good file: the command returns 0 once the daemon is ready, and not
#   before: READY=1 came first, and when it returns the pid file names the
#   daemon, a process of its own (reparented, no terminal, in /, standard
#   descriptors on /dev/null) whose control socket answers at once;
# - syslog has its lines as vigild[PID] at local3, with their severities;
# - a second start on the same pid file, or on the same control socket,
#   fails with 3 and says why;
# - SIGHUP reloads (RELOADING=1, READY=1, the new generation logged);
# - SIGTERM: STOPPING=1, exit status 0, pid file and control socket gone.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=daemon-lib.sh
. "$(dirname "$0")/daemon-lib.sh"

hosts_on_lan a
conf=$T/a.conf
write_good_conf "$conf" vt-detach
pidfile=$T/a.pid
sock=$T/a.sock
listen_start log syslog
listen_start notify notify "$pidfile" "$sock"
export NOTIFY_SOCKET=$T/notify.sock
local3=19

# Whatever happens, the detached processes go too, by pid: the command
# (the reaper's first child) and the daemon the pid file names.
kill_detached() {
	local p
	for p in $(sed -n 's/^start pid=//p' "$T/reaper.log" 2>/dev/null) \
		$(cat "$pidfile" 2>/dev/null); do
		if [[ $p =~ ^[0-9]+$ ]] && alive "$p"; then
			kill -TERM "$p" 2>/dev/null || true
		fi
	done
}
NET_CLEANUP_HOOKS+=(kill_detached)

# --- a broken file: refused in the foreground, before any fork
echo "vrrp_instance {" >"$T/bad.conf"
rc=0
(prod_exec a "$T/log.sock" python3 "$DLISTEN" reaper "$T/reaper0.log" \
	"$VIGILD" -f "$T/bad.conf" -S 3 -p "$pidfile" --control-socket "$sock") \
	</dev/null >"$T/fg0.out" 2>&1 || rc=$?
expect_eq 0 "$rc" "the reaper's own exit status"
expect_match '^exit pid=[0-9]+ status=1$' "$(grep '^exit ' "$T/reaper0.log")" \
	"a broken file: one process, exit status 1"
expect_match "bad.conf:1: error: " "$(cat "$T/fg0.out")" "the errors on the command's stderr"
[[ ! -e $pidfile ]] || fail "pid file written for a broken file"

# --- start
prod_exec a "$T/log.sock" python3 "$DLISTEN" reaper "$T/reaper.log" --probe "$pidfile" "$sock" \
	"$VIGILD" -f "$conf" -S 3 -p "$pidfile" --control-socket "$sock" \
	</dev/null >"$T/fg.out" 2>"$T/fg.err" &
reaper=$!
_NET_PIDS+=("$reaper")
wait_for 20 "the reaper to start the command" has_line "$T/reaper.log" '^start pid='
fg=$(sed -n 's/^start pid=//p' "$T/reaper.log")
wait_for 30 "the command to return" has_line "$T/reaper.log" "^exit pid=$fg "
[[ -s $pidfile ]] || fail "no pid file after the command returned"
pid=$(cat "$pidfile")
# What a client saw the moment the command had exited: the daemon up.
expect_eq "probe|pidfile=$pid|control=ok" "$(grep -A 1 "^exit pid=$fg " "$T/reaper.log" | tail -n 1)" \
	"pid file and control socket when the command returned"
alive "$pid" || fail "the daemon (pid $pid) is not running"
_NET_PIDS+=("$pid")
VSOCK[a]=$sock
expect_rc 0 ctl a status
expect_eq "exit pid=$fg status=0" "$(grep "^exit pid=$fg " "$T/reaper.log")" \
	"the command's exit status"
[[ $pid != "$fg" ]] || fail "the daemon is the command itself: it did not detach"
log "the command (pid $fg) returned 0; daemon pid $pid"

# Readiness came before the return, from the daemon, and was true then.
n_ready=$(line_no "$T/notify.log" '\|READY=1(\||$)')
n_ret=$(line_no "$T/notify.log" '^pid=[0-9]+\|X-FOREGROUND-EXITED=0$')
((n_ready > 0 && n_ret > n_ready)) ||
	fail "READY=1 (line $n_ready) did not come before the command returned (line $n_ret): $(cat "$T/notify.log")"
expect_match "^pid=$pid\|READY=1\|STATUS=vrrp_instance=1$" "$(sed -n "${n_ready}p" "$T/notify.log")" \
	"READY=1 from the daemon"
expect_eq "probe|pidfile=$pid|control=ok" "$(sed -n "$((n_ready + 1))p" "$T/notify.log")" \
	"pid file and control socket when READY=1 arrived"

# A daemon of its own: reparented to the subreaper (its parent exited), no
# controlling terminal, not a session leader, cwd /, stdio on /dev/null.
read -r -a st <<<"$(sed 's/^.*) //' "/proc/$pid/stat")"
expect_eq "$reaper" "${st[1]}" "the daemon's parent (the subreaper)"
expect_eq 0 "${st[4]}" "the daemon's controlling terminal"
[[ ${st[3]} != "$pid" ]] || fail "the daemon leads its session (it could get a terminal)"
expect_eq / "$(readlink "/proc/$pid/cwd")" "the daemon's working directory"
for fd in 0 1 2; do
	expect_eq /dev/null "$(readlink "/proc/$pid/fd/$fd")" "the daemon's fd $fd"
done
[[ ! -s $T/fg.out ]] || fail "the command printed on stdout: $(cat "$T/fg.out")"

# --- syslog: vigild[PID] at local3, info and warning
started="^<$(syslog_pri $local3 6)>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} vigild\[$pid\]: vigild [0-9.]+ started \(pid $pid\)"
wait_for 10 "the start-up line in syslog" has_line "$T/log.log" "$started"
# local3 is PRI 152 to 159 (severities 0 to 7).
other=$(grep -vE '^<15[2-9]>' "$T/log.log" || true)
[[ -z $other ]] || fail "syslog lines at another facility than local3: $other"

# --- a second daemon on the same pid file, then on the same control socket
# (that failure comes after the pid file, from the daemon, through the
# start-up pipe): exit 3 and why, and the first daemon is undisturbed.
refused_start() { # refused_start WHAT PIDFILE SOCKET WHY-REGEX
	local rc=0
	(prod_exec a "$T/log.sock" "$VIGILD" -f "$conf" -S 3 -p "$2" --control-socket "$3") \
		</dev/null >"$T/refused.out" 2>&1 || rc=$?
	expect_eq 3 "$rc" "exit status of a second start on the same $1"
	expect_match "$4" "$(cat "$T/refused.out")" "what a second start on the same $1 says"
	alive "$pid" || fail "the first daemon died"
	expect_eq "$pid" "$(cat "$pidfile")" "pid file after the refused start"
	expect_rc 0 ctl a status
}
refused_start "pid file" "$pidfile" "$T/b.sock" \
	"pid file $pidfile is held by a running vigild \(pid $pid\)"
refused_start "control socket" "$T/b.pid" "$sock" \
	"control socket $sock is in use by a running daemon"
[[ ! -e $T/b.pid ]] || fail "the refused daemon left its pid file"

# --- SIGHUP
before=$(wc -l <"$T/notify.log")
kill -HUP "$pid"
since() { tail -n +"$((before + 1))" "$T/notify.log" | grep '^pid='; }
reloaded() { since | grep -q '|STATUS=running generation 2: '; }
wait_for 20 "STATUS of generation 2" reloaded
expect_match "^pid=$pid\|RELOADING=1\|MONOTONIC_USEC=[0-9]+$" "$(since | head -n 1)" \
	"first notification after SIGHUP"
since | grep -q "^pid=$pid|READY=1" || fail "no READY=1 after the reload"
wait_for 10 "the reload in syslog" has_line "$T/log.log" \
	"^<$(syslog_pri $local3 6)>.* vigild\[$pid\]: configuration generation 2 loaded"

# --- SIGTERM
before=$(wc -l <"$T/notify.log")
kill -TERM "$pid"
wait_for 15 "the daemon's exit status" has_line "$T/reaper.log" "^exit pid=$pid "
expect_eq "exit pid=$pid status=0" "$(grep "^exit pid=$pid " "$T/reaper.log")" \
	"the daemon's exit status after SIGTERM"
expect_match "^pid=$pid\|STOPPING=1$" "$(since | head -n 1)" "first notification after SIGTERM"
[[ ! -e $pidfile ]] || fail "pid file left behind"
[[ ! -e $sock ]] || fail "control socket left behind"
wait_for 10 "'stopped' in syslog" has_line "$T/log.log" \
	"^<$(syslog_pri $local3 6)>.* vigild\[$pid\]: stopped$"
wait_gone 10 "$reaper"
sanitizer_reports
log "PASS"
