# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Helpers for VM scenarios (tests/vm/scenarios/*.sh). They run as root
# inside the test VM, under bash, after /init loaded every module of
# tests/vm/modules.list. A scenario starts with
#
#	. "$VMTEST_LIB"
#
# builds its topology from network namespaces (ns_create, veth_link,
# hosts_on_lan...), starts programs with bg_start / vigild_start /
# keepalived_start / http_server, checks with expect_* and wait_for, and
# ends with pass (or by reaching its end). fail REASON ends it as a
# failure; REASON is what the host prints on the result line. skip REASON
# ends it as skipped (exit 77); tests/vm/run fails every skip it does not
# declare (only the benchmarks may skip).
#
# Addresses: only 198.18.0.0/15 and fd00:198:18::/48 (addr_add refuses
# others). The VM is the scenario's alone, and /init cleans up after it
# anyway, but the EXIT trap still stops what the scenario started and
# deletes its namespaces, so a scenario can also run several phases.
#
# Variables set for the scenario:
#   VMTEST_NAME   its name          T    its scratch directory (the cwd)
#   VIGILD, VIGILCTL                the binaries under test (in /usr/bin)

set -euo pipefail

VIGILD=${VIGILD:-/usr/bin/vigild}
VIGILCTL=${VIGILCTL:-/usr/bin/vigilctl}
VMTEST_NAME=${VMTEST_NAME:-$(basename "$0" .sh)}
export TEST_NAME=$VMTEST_NAME # the name tests/net uses
VMTEST_REASON_FILE=${VMTEST_REASON_FILE:-/dev/null}
if [[ -n ${VMTEST_DIR:-} ]]; then
	T=$VMTEST_DIR
	mkdir -p "$T"
else
	T=$(mktemp -d "/tmp/vmtest-$VMTEST_NAME.XXXXXX")
fi

# A sanitizer-built vigild reports through its exit status and its log.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1

_VM_NS=()             # namespaces we created
_VM_PIDS=()           # pids we started
declare -A VPID=()    # program name -> pid
declare -A VSOCK=()   # vigild name -> control socket
declare -A VPIDFILE=() # daemon name -> pid file
declare -A VLOG=()    # program name -> output log
declare -A _VM_VIGILD=() # pid -> name: vigilds whose exit status nobody took yet
_VM_FAILED=0

log() { printf '%s: %s\n' "$VMTEST_NAME" "$*" >&2; }

# fail REASON: end the scenario as failed; REASON (one line) is reported.
fail() {
	_VM_FAILED=1
	printf '%s: FAIL: %s\n' "$VMTEST_NAME" "$*" >&2
	printf '%s\n' "$*" | head -n 1 >"$VMTEST_REASON_FILE" 2>/dev/null || true
	exit 1
}

# skip REASON: end the scenario as skipped (it could not run here). Only
# the scenarios tests/vm/run declares may skip; any other skip fails.
skip() {
	printf '%s: SKIP: %s\n' "$VMTEST_NAME" "$*" >&2
	printf '%s\n' "$*" | head -n 1 >"$VMTEST_REASON_FILE" 2>/dev/null || true
	exit 77
}

# pass [MESSAGE]: end the scenario as passed.
pass() {
	log "PASS${1:+: $*}"
	exit 0
}

# need COMMAND...: fail the scenario when a tool is not in the VM (the host
# checks its tools before the boot; this names what a scenario relies on).
need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			fail "needs '$c', which is not in the VM (tests/vm/run copies the host's tools, tests/vm/tools.list the build's)"
	done
}

# need_module NAME...: fail unless the kernel module is loaded (or built in).
need_module() {
	local m
	for m in "$@"; do
		m=${m//-/_}
		[[ -d /sys/module/$m ]] || modprobe "$m" 2>/dev/null ||
			fail "kernel module $m is not available (add it to tests/vm/modules.list)"
	done
}

# alive PID: true while PID runs (a zombie counts as gone).
alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# ---------------------------------------------------------------- cleanup

_vm_kill_pid() {
	local pid=$1 i
	alive "$pid" || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		alive "$pid" || return 0
		sleep 0.1
	done
	log "pid $pid ignored SIGTERM for 5 s: SIGKILL"
	kill -KILL "$pid" 2>/dev/null || true
}

_vm_cleanup() {
	local rc=$? pid ns name f st
	trap - EXIT INT TERM
	[[ $_VM_FAILED -eq 1 ]] && rc=1
	for pid in "${_VM_PIDS[@]}"; do
		_vm_kill_pid "$pid"
		st=0
		wait "$pid" 2>/dev/null || st=$?
		# A vigild left to us stops on SIGTERM with exit 0; anything
		# else (a crash, SIGKILL after ignoring SIGTERM, a sanitizer's
		# 86, dying unnoticed earlier) fails the scenario.
		name=${_VM_VIGILD[$pid]:-}
		if [[ -n $name && $st -ne 0 ]]; then
			printf '%s: FAIL: vigild %s (pid %s) exited %s when stopped at cleanup\n' \
				"$VMTEST_NAME" "$name" "$pid" "$st" >&2
			[[ $rc -eq 0 ]] && echo "vigild $name exited $st when stopped at cleanup" \
				>"$VMTEST_REASON_FILE"
			rc=1
		fi
	done
	for ns in "${_VM_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	for name in "${!VLOG[@]}"; do
		f=${VLOG[$name]}
		if [[ -f $f ]] && grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$f"; then
			printf '%s: FAIL: sanitizer report in %s log\n' "$VMTEST_NAME" "$name" >&2
			[[ $rc -eq 0 ]] && echo "sanitizer report in $name log" >"$VMTEST_REASON_FILE"
			rc=1
		fi
	done
	if [[ $rc -ne 0 && $rc -ne 77 ]]; then
		for name in "${!VLOG[@]}"; do
			f=${VLOG[$name]}
			[[ -s $f ]] || continue
			printf -- '--- %s log (%s), last 40 lines ---\n' "$name" "$f" >&2
			tail -n 40 "$f" >&2
		done
	fi
	exit "$rc"
}
trap _vm_cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ---------------------------------------------------------------- topology

# ns_name SHORT: the namespace's full name (the VM is ours: no prefix).
ns_name() { printf '%s' "$1"; }

# ns_create SHORT...: namespaces with loopback up.
ns_create() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || fail "ip netns add $ns"
		_VM_NS+=("$ns")
		ip -n "$ns" link set lo up
	done
}

# nsx NS CMD...: run CMD in namespace NS.
nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_sysctl NS KEY=VALUE...: set sysctls inside NS.
ns_sysctl() {
	local ns=$1 kv
	shift
	for kv in "$@"; do
		nsx "$ns" sysctl -qw "$kv" >/dev/null || fail "sysctl $kv in $ns"
	done
}

# bridge_create NS BRIDGE: a bridge (a switch) inside NS, up.
bridge_create() {
	ip -n "$1" link add "$2" type bridge || fail "bridge $2 in $1"
	ip -n "$1" link set "$2" up
}

# veth_link NS_A IF_A NS_B IF_B: a veth pair between two namespaces, both up.
_VM_VETH_N=0
veth_link() {
	local tmp
	_VM_VETH_N=$((_VM_VETH_N + 1))
	tmp=vmv$$x$_VM_VETH_N
	ip link add "${tmp}a" type veth peer name "${tmp}b" || fail "veth $1/$2 - $3/$4"
	ip link set "${tmp}a" netns "$1"
	ip link set "${tmp}b" netns "$3"
	ip -n "$1" link set "${tmp}a" name "$2"
	ip -n "$3" link set "${tmp}b" name "$4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# bridge_port NS BRIDGE IF: enslave IF to BRIDGE inside NS.
bridge_port() {
	ip -n "$1" link set "$3" master "$2" || fail "$3 into $2 in $1"
}

# host_on_bridge HOST SWITCH BRIDGE IF: connect namespace HOST's interface
# IF to BRIDGE in namespace SWITCH.
host_on_bridge() {
	local port="p-$1"
	veth_link "$1" "$4" "$2" "${port:0:15}"
	bridge_port "$2" "$3" "${port:0:15}"
}

_vm_addr_ok() {
	case $1 in
	198.18.* | 198.19.*) return 0 ;;
	fd00:198:18:*) return 0 ;;
	esac
	return 1
}

# addr_add NS IF CIDR: only the test ranges are accepted.
addr_add() {
	_vm_addr_ok "$3" || fail "address $3 is outside 198.18.0.0/15 and fd00:198:18::/48"
	case $3 in
	*:*) ip -n "$1" -6 addr add "$3" dev "$2" nodad || fail "addr $3 on $1/$2" ;;
	*) ip -n "$1" addr add "$3" dev "$2" || fail "addr $3 on $1/$2" ;;
	esac
}

# route_add NS DEST VIA: a route inside NS ("default" is fine as DEST).
route_add() {
	case $3 in
	*:*) ip -n "$1" -6 route add "$2" via "$3" || fail "route $2 via $3 in $1" ;;
	*) ip -n "$1" route add "$2" via "$3" || fail "route $2 via $3 in $1" ;;
	esac
}

# hosts_on_lan SHORT...: namespaces on one LAN. A switch namespace "sw"
# with bridge br0 is made on first use; each host gets eth0 on it with
# 198.18.0.N/24 and fd00:198:18::N/64, N counting from 1 in call order.
_VM_LAN_N=0
hosts_on_lan() {
	local s
	if [[ ! -e /run/netns/sw ]]; then
		ns_create sw
		bridge_create sw br0
	fi
	for s in "$@"; do
		_VM_LAN_N=$((_VM_LAN_N + 1))
		ns_create "$s"
		host_on_bridge "$s" sw br0 eth0
		addr_add "$s" eth0 "198.18.0.$_VM_LAN_N/24"
		addr_add "$s" eth0 "fd00:198:18::$_VM_LAN_N/64"
	done
}

# ---------------------------------------------------------------- waiting

# wait_for SECONDS DESCRIPTION CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	local secs=$1 desc=$2 i
	shift 2
	for ((i = 0; i < secs * 10; i++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	fail "timed out after ${secs}s waiting for: $desc"
}

# wait_gone SECONDS PID: wait until PID has exited.
wait_gone() {
	local secs=$1 pid=$2 i
	for ((i = 0; i < secs * 10; i++)); do
		alive "$pid" || return 0
		sleep 0.1
	done
	fail "pid $pid still running after ${secs}s"
}

# ---------------------------------------------------------------- programs

# bg_start NAME NS CMD...: run CMD in namespace NS in the background, output
# to $T/NAME.log. Sets VPID[NAME] and VLOG[NAME]; stopped at exit.
bg_start() {
	local name=$1 ns=$2
	shift 2
	VLOG[$name]=$T/$name.log
	ip netns exec "$ns" "$@" </dev/null >>"${VLOG[$name]}" 2>&1 &
	VPID[$name]=$!
	_VM_PIDS+=("$!")
}

# bg_stop NAME: stop a program started with bg_start (TERM, then KILL). A
# vigild must exit 0.
bg_stop() {
	local pid=${VPID[$1]} st=0
	_vm_kill_pid "$pid"
	wait "$pid" 2>/dev/null || st=$?
	if [[ -n ${_VM_VIGILD[$pid]:-} ]]; then
		unset "_VM_VIGILD[$pid]"
		[[ $st -eq 0 ]] || fail "vigild $1 exited $st on SIGTERM"
	fi
}

# vigild_start NAME NS CONF [ARGS...]: vigild in the foreground in namespace
# NS with its own pid file, control socket and log; waits until the control
# socket answers. Sets VPID, VSOCK, VPIDFILE and VLOG for NAME.
vigild_start() {
	local name=$1 ns=$2 conf=$3 i
	shift 3
	VSOCK[$name]=$T/$name.sock
	VPIDFILE[$name]=$T/$name.pid
	bg_start "$name" "$ns" "$VIGILD" -f "$conf" -n -l \
		-p "${VPIDFILE[$name]}" --control-socket "${VSOCK[$name]}" "$@"
	_VM_VIGILD[${VPID[$name]}]=$name
	for ((i = 0; i < 200; i++)); do
		alive "${VPID[$name]}" || fail "vigild '$name' exited at start-up"
		if [[ -S ${VSOCK[$name]} ]] && ctl "$name" status >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	fail "vigild '$name' did not answer on ${VSOCK[$name]} within 20 s"
}

# vigild_wait NAME [SECONDS]: wait for daemon NAME to exit (default 10 s);
# its exit status is left in VRC, for the scenario to check (cleanup no
# longer does).
VRC=
vigild_wait() {
	wait_gone "${2:-10}" "${VPID[$1]}"
	VRC=0
	wait "${VPID[$1]}" || VRC=$?
	unset "_VM_VIGILD[${VPID[$1]}]"
	export VRC
}

# ctl NAME ARGS...: vigilctl against daemon NAME's control socket.
ctl() {
	local name=$1
	shift
	"$VIGILCTL" --control-socket "${VSOCK[$name]}" "$@"
}

# keepalived_start NAME NS CONF [ARGS...]: keepalived (the interop peer) in
# the foreground in namespace NS, logging to $T/NAME.log, with pid files in
# $T. Sets VPID, VPIDFILE and VLOG for NAME.
keepalived_start() {
	local name=$1 ns=$2 conf=$3
	shift 3
	need keepalived
	VPIDFILE[$name]=$T/$name.pid
	bg_start "$name" "$ns" keepalived -n -l -D -f "$conf" -p "${VPIDFILE[$name]}" \
		-r "$T/$name-vrrp.pid" -c "$T/$name-check.pid" "$@"
	sleep 0.2
	alive "${VPID[$name]}" || fail "keepalived '$name' exited at start-up"
}

# http_server NAME NS ADDR PORT [BODY]: busybox httpd in NS on ADDR:PORT
# serving BODY (default "NAME") as /index.html. An IPv6 ADDR is given bare.
http_server() {
	local name=$1 ns=$2 addr=$3 port=$4 body=${5:-$1} listen
	mkdir -p "$T/www-$name"
	printf '%s\n' "$body" >"$T/www-$name/index.html"
	case $addr in
	*:*) listen="[$addr]:$port" ;;
	*) listen="$addr:$port" ;;
	esac
	bg_start "$name" "$ns" httpd -f -p "$listen" -h "$T/www-$name"
	wait_for 10 "httpd '$name' listening on $listen" nsx "$ns" sh -c \
		"netstat -ltn 2>/dev/null | grep -q ':$port '"
}

# http_get NS URL [SECONDS]: print the body of URL fetched from NS, giving
# up after SECONDS (default 5). (busybox 1.35's own wget -T crashes: the
# limit comes from timeout instead.)
http_get() {
	nsx "$1" timeout "${3:-5}" wget -q -O - "$2"
}

# ipvs NS ARGS...: ipvsadm inside NS.
ipvs() {
	local ns=$1
	shift
	nsx "$ns" ipvsadm "$@"
}

# ---------------------------------------------------------------- asserts

expect_eq() { # expect_eq WANT GOT WHAT
	[[ $1 == "$2" ]] || fail "$3: expected '$1', got '$2'"
}

# expect_rc WANT CMD...: run CMD, check its exit status; output goes to $OUT.
OUT=
expect_rc() {
	local want=$1 rc=0
	shift
	OUT=$("$@" 2>&1) || rc=$?
	[[ $rc -eq $want ]] || fail "'$*' exited $rc, expected $want; output: $OUT"
}

expect_match() { # expect_match REGEX TEXT WHAT
	grep -qE -- "$1" <<<"$2" || fail "$3: no match for /$1/ in: $2"
}

expect_no_match() { # expect_no_match REGEX TEXT WHAT
	! grep -qE -- "$1" <<<"$2" || fail "$3: unexpected match for /$1/ in: $2"
}

[[ $(id -u) -eq 0 ]] || fail "VM scenarios run as root"
[[ -x $VIGILD ]] || fail "$VIGILD is missing from the VM"
cd "$T"
