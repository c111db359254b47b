#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A default build starts with `vigild -f FILE` and nothing else, as an
# operator types it after `./configure && make install`: its pid file and
# control socket are /run/vigild.pid and /run/vigild.sock (not
# $prefix/var/run, which nothing makes), and `vigilctl status` without
# options finds the daemon. The daemon runs in a private mount namespace
# whose /run is an empty tmpfs (PROD_PRIVATE_RUN), so the host's /run is
# never touched.
# - run files in folders that do not exist yet: the folders are made (and
#   logged), the daemon starts;
# - a run file's folder that is a regular file: exit status 3 and the real
#   cause, naming that folder.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=daemon-lib.sh
. "$(dirname "$0")/daemon-lib.sh"

hosts_on_lan a
conf=$T/a.conf
write_good_conf "$conf" vt-defpath
listen_start log syslog
export PROD_PRIVATE_RUN=1

# kill_daemon_of REAPER-LOG: SIGTERM, by pid, whatever a reaper started.
daemon_pids=()
kill_started() {
	local p
	for p in "${daemon_pids[@]}"; do
		if alive "$p"; then kill -TERM "$p" 2>/dev/null || true; fi
	done
}
NET_CLEANUP_HOOKS+=(kill_started)

# start_default TAG PIDFILE SOCKET [VIGILD-ARGS...]: vigild -f conf ARGS,
# detached under a subreaper; waits for the command to return 0 and sets
# pid (the daemon's) and reaper. PIDFILE and SOCKET are the paths inside
# the daemon's mount namespace that the probe reads when the command exits.
start_default() {
	local tag=$1 pf=$2 so=$3 fg
	shift 3
	prod_exec a "$T/log.sock" python3 "$DLISTEN" reaper "$T/reaper-$tag.log" --probe "$pf" "$so" \
		"$VIGILD" -f "$conf" "$@" </dev/null >"$T/fg-$tag.out" 2>&1 &
	reaper=$!
	_NET_PIDS+=("$reaper")
	wait_for 20 "the reaper to start vigild ($tag)" has_line "$T/reaper-$tag.log" '^start pid='
	fg=$(sed -n 's/^start pid=//p' "$T/reaper-$tag.log")
	wait_for 30 "vigild to return ($tag)" has_line "$T/reaper-$tag.log" "^exit pid=$fg "
	expect_eq "exit pid=$fg status=0" "$(grep "^exit pid=$fg " "$T/reaper-$tag.log")" \
		"exit status of vigild -f FILE ($tag): $(cat "$T/fg-$tag.out")"
	pid=$(grep -A 1 "^exit pid=$fg " "$T/reaper-$tag.log" | tail -n 1 |
		sed -n 's/^probe|pidfile=\([0-9]*\)|control=ok$/\1/p')
	if [[ -z $pid ]]; then
		# The daemon is the subreaper's child: stop it by that pid.
		local extra=()
		mapfile -t extra < <(pgrep -P "$reaper" || true)
		daemon_pids+=("${extra[@]}")
	fi
	[[ -n $pid ]] || fail "$tag: no pid file / control socket when vigild returned: $(cat "$T/reaper-$tag.log")"
	daemon_pids+=("$pid")
	_NET_PIDS+=("$pid")
}

# in_daemon_ns CMD...: CMD in the running daemon's network and mount namespaces.
in_daemon_ns() { nsenter -t "$pid" -m -n "$@"; }

stop_daemon() { # stop_daemon TAG
	kill -TERM "$pid"
	wait_for 15 "the daemon's exit ($1)" has_line "$T/reaper-$1.log" "^exit pid=$pid "
	expect_eq "exit pid=$pid status=0" "$(grep "^exit pid=$pid " "$T/reaper-$1.log")" \
		"the daemon's exit status after SIGTERM ($1)"
	wait_gone 10 "$reaper"
}

# --- the compiled-in defaults
start_default default /run/vigild.pid /run/vigild.sock
expect_eq "$pid" "$(in_daemon_ns cat /run/vigild.pid)" "/run/vigild.pid"
in_daemon_ns test -S /run/vigild.sock || fail "no control socket at /run/vigild.sock"
out=$(in_daemon_ns "$VIGILCTL" status) || fail "vigilctl status (default socket) failed: $out"
expect_match "VI_1" "$out" "vigilctl status without options"
log "default start: pid $pid, /run/vigild.pid and /run/vigild.sock, vigilctl finds it"
stop_daemon default

# --- run files in folders that do not exist yet
start_default deep /run/vigil-a/b/vigild.pid /run/vigil-c/vigild.sock \
	-p /run/vigil-a/b/vigild.pid --control-socket /run/vigil-c/vigild.sock
expect_eq 755 "$(in_daemon_ns stat -c %a /run/vigil-a/b)" "mode of a folder vigild made"
wait_for 10 "the made folders in syslog" has_line "$T/log.log" \
	"vigild\[$pid\]: pid file: made the missing folder /run/vigil-a$"
has_line "$T/log.log" "vigild\[$pid\]: control socket: made the missing folder /run/vigil-c$" ||
	fail "no log line for the control socket's folder: $(cat "$T/log.log")"
out=$(in_daemon_ns "$VIGILCTL" --control-socket /run/vigil-c/vigild.sock status) ||
	fail "vigilctl status failed: $out"
stop_daemon deep

# --- a folder that is a file: the real cause
: >"$T/afile"
rc=0
(prod_exec a "$T/log.sock" "$VIGILD" -f "$conf" -p "$T/afile/vigild.pid") \
	</dev/null >"$T/notdir.out" 2>&1 || rc=$?
expect_eq 3 "$rc" "exit status when the pid file's folder is a file"
expect_match "pid file $T/afile/vigild.pid: folder $T/afile: Not a directory" \
	"$(cat "$T/notdir.out")" "what vigild says when the pid file's folder is a file"
sanitizer_reports
log "PASS"
