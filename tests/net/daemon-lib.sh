# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Helpers for the scenarios that run vigild the way production does:
# detached, or under systemd's readiness protocol, logging to syslog.
# Sourced after lib.sh.
#
# The daemon runs in its network namespace and in a private mount namespace
# of its own, whose /dev is a small tmpfs (null, zero, random, urandom)
# where /dev/log leads to a datagram socket this test holds. NOTIFY_SOCKET
# is another socket the test holds. Nothing of the host's /dev, syslog or
# service manager is touched.

DLISTEN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/daemon-listen.py

# Sanitizer reports of a detached daemon would go to its stderr, which is
# /dev/null: into files instead, which sanitizer_reports lists.
export ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$T/sanitizer"
export UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$T/sanitizer"

# listen_start NAME MODE [ARGS...]: daemon-listen.py MODE (syslog, notify)
# in the background, stopped at exit; its socket is $T/NAME.sock, what it
# received goes to $T/NAME.log.
listen_start() {
	local name=$1 mode=$2
	shift 2
	: >"$T/$name.log"
	python3 "$DLISTEN" "$mode" "$T/$name.sock" "$T/$name.log" "$@" 2>>"$T/$name.err" &
	_NET_PIDS+=("$!")
	wait_for 10 "the $mode listener '$name'" test -S "$T/$name.sock"
}

# prod_exec NS SYSLOG CMD...: become CMD (exec: call it in the background
# or in a subshell, and $! is CMD's pid) in namespace NS, in a private
# mount namespace where /dev/log is the socket SYSLOG. When WATCHDOG_USEC
# is set, WATCHDOG_PID is set to CMD's pid, as systemd does. With
# PROD_PRIVATE_RUN=1, /run is an empty tmpfs of its own too, so that the
# daemon's default run files cannot touch the host's.
prod_exec() {
	local ns=$1 syslog=$2
	shift 2
	# shellcheck disable=SC2016 # expanded by the inner sh
	exec ip netns exec "$(ns_name "$ns")" unshare -m --propagation private sh -ec '
		mount -t tmpfs -o mode=755,size=64k vigil-dev /dev
		mknod -m 666 /dev/null c 1 3
		mknod -m 666 /dev/zero c 1 5
		mknod -m 666 /dev/random c 1 8
		mknod -m 666 /dev/urandom c 1 9
		ln -s /proc/self/fd /dev/fd
		ln -s "$0" /dev/log
		[ "${PROD_PRIVATE_RUN:-}" != 1 ] || mount -t tmpfs -o mode=755,size=64k vigil-run /run
		[ -z "${WATCHDOG_USEC:-}" ] || export WATCHDOG_PID=$$
		exec "$@"' "$syslog" "$@"
}

# notify_msgs NAME: the notifications in $T/NAME.log (no probe lines).
notify_msgs() { grep '^pid=' "$T/$1.log" || true; }

# has_line FILE REGEX: FILE has a line matching the extended REGEX.
has_line() { grep -qE -- "$2" "$1"; }

# line_no FILE REGEX: the number of FILE's first line matching REGEX (0: none).
line_no() {
	local n
	n=$(grep -nE -- "$2" "$1" | head -n 1 | cut -d: -f1)
	echo "${n:-0}"
}

# syslog_pri FACILITY SEVERITY: the <PRI> of a syslog message (RFC 3164).
syslog_pri() { echo $(($1 * 8 + $2)); }

# sanitizer_reports: fail if a sanitizer wrote a report file.
sanitizer_reports() {
	local f
	for f in "$T"/sanitizer.*; do
		[[ -e $f ]] || continue
		cat "$f" >&2
		fail "sanitizer report in $f"
	done
}

# mono_us: CLOCK_MONOTONIC in microseconds (what MONOTONIC_USEC counts).
mono_us() { python3 -c 'import time; print(time.monotonic_ns() // 1000)'; }
