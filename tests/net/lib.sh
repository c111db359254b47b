# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Helpers for the namespace test tier. A test sources this file, builds its
# topology with the ns_*, bridge_* and veth_* helpers, starts daemons with
# vigild_start, and asserts with expect_* / fail. Everything it creates is
# recorded, and the EXIT trap removes exactly that: the processes the test
# started (by pid) and the namespaces it made (by name, all prefixed with a
# per-run prefix). Nothing else on the machine is touched.
#
# Addresses: only 198.18.0.0/15 and fd00:198:18::/48, only inside the test's
# own namespaces.
#
# Environment:
#   VIGILD, VIGILCTL   binaries under test (default: build-asan/daemon/...)
#   NET_PREFIX         namespace name prefix (default: vt<pid>)
#   NET_KEEP=1         keep the temp dir for inspection

set -euo pipefail

NET_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VIGILD=${VIGILD:-$NET_TOP/build-asan/daemon/vigild}
VIGILCTL=${VIGILCTL:-$NET_TOP/build-asan/daemon/vigilctl}
NET_PREFIX=${NET_PREFIX:-vt$$}
TEST_NAME=$(basename "$0" .sh)

# Sanitizer reports make a daemon exit non-zero and are also searched for
# in every daemon log at cleanup.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1

T=$(mktemp -d "/tmp/vigil-$TEST_NAME.XXXXXX")
_NET_NS=()            # full namespace names we created
_NET_PIDS=()          # pids we started
declare -A VPID=()    # daemon name -> pid
declare -A VSOCK=()   # daemon name -> control socket
declare -A VPIDFILE=() # daemon name -> pid file
declare -A VLOG=()    # daemon name -> stderr log
declare -A _NET_VIGILD=() # pid -> name: vigilds whose exit status nobody took yet
NET_CLEANUP_HOOKS=()  # functions the EXIT trap calls first (processes the
                      # test could not name by pid when it started them)
_NET_FAILED=0

# alive PID: true while PID runs (an exited child not yet waited for, a
# zombie, counts as gone).
alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

log() { printf '%s: %s\n' "$TEST_NAME" "$*" >&2; }

# fail MESSAGE: report and end the test (the EXIT trap cleans up).
fail() {
	_NET_FAILED=1
	printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2
	exit 1
}

# skip REASON: this machine cannot run the test: exit 77, which tests/net/run
# counts as a skip (and fails, unless the skip is declared there).
skip() {
	printf '%s: SKIP: %s\n' "$TEST_NAME" "$*" >&2
	exit 77
}

need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || fail "needs '$c' (run scripts/install-deps)"
	done
}

# ---------------------------------------------------------------- cleanup

_net_kill_pid() {
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

_net_cleanup() {
	local rc=$? pid ns name f st
	trap - EXIT INT TERM
	[[ $_NET_FAILED -eq 1 ]] && rc=1
	for f in "${NET_CLEANUP_HOOKS[@]}"; do
		"$f" || true
	done
	for pid in "${_NET_PIDS[@]}"; do
		_net_kill_pid "$pid"
		st=0
		wait "$pid" 2>/dev/null || st=$?
		# A vigild the test left to us stops on SIGTERM with exit 0;
		# anything else (86: a sanitizer report, 128+N: killed by
		# signal N, e.g. SIGKILL after ignoring SIGTERM for 5 s) is a
		# failure, as is a vigild that died on its own unnoticed.
		name=${_NET_VIGILD[$pid]:-}
		if [[ -n $name && $st -ne 0 ]]; then
			printf '%s: FAIL: vigild %s (pid %s) exited %s when stopped at cleanup\n' \
				"$TEST_NAME" "$name" "$pid" "$st" >&2
			rc=1
		fi
	done
	for ns in "${_NET_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	# A sanitizer report anywhere fails the test, even when the test
	# itself did not look.
	for name in "${!VLOG[@]}"; do
		f=${VLOG[$name]}
		if [[ -f $f ]] && grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$f"; then
			printf '%s: FAIL: sanitizer report in %s log\n' "$TEST_NAME" "$name" >&2
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
	if [[ ${NET_KEEP:-0} == 1 ]]; then
		log "kept $T"
	else
		rm -rf "$T"
	fi
	exit "$rc"
}
trap _net_cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ---------------------------------------------------------------- topology

# ns_name SHORT: the full namespace name for SHORT.
ns_name() { printf '%s-%s' "$NET_PREFIX" "$1"; }

# ns_create SHORT...: make namespaces with loopback up.
ns_create() {
	local s ns
	for s in "$@"; do
		ns=$(ns_name "$s")
		ip netns add "$ns" || fail "ip netns add $ns"
		_NET_NS+=("$ns")
		ip -n "$ns" link set lo up
	done
}

# nsx SHORT CMD...: run CMD in namespace SHORT.
nsx() {
	local ns
	ns=$(ns_name "$1")
	shift
	ip netns exec "$ns" "$@"
}

# bridge_create SHORT BRIDGE: a bridge (the "switch") inside namespace SHORT.
bridge_create() {
	ip -n "$(ns_name "$1")" link add "$2" type bridge
	ip -n "$(ns_name "$1")" link set "$2" up
}

# veth_link NS_A IF_A NS_B IF_B: a veth pair between two namespaces, both up.
veth_link() {
	local a b tmp=v$$x$RANDOM
	a=$(ns_name "$1")
	b=$(ns_name "$3")
	ip link add "${tmp}a" type veth peer name "${tmp}b"
	ip link set "${tmp}a" netns "$a"
	ip link set "${tmp}b" netns "$b"
	ip -n "$a" link set "${tmp}a" name "$2"
	ip -n "$b" link set "${tmp}b" name "$4"
	ip -n "$a" link set "$2" up
	ip -n "$b" link set "$4" up
}

# bridge_port NS BRIDGE IF: enslave IF to BRIDGE inside NS.
bridge_port() {
	ip -n "$(ns_name "$1")" link set "$3" master "$2"
}

# host_on_bridge HOST SWITCH BRIDGE IF: connect namespace HOST's interface IF
# to BRIDGE in namespace SWITCH.
host_on_bridge() {
	local port="p-$1"
	veth_link "$1" "$4" "$2" "${port:0:15}"
	bridge_port "$2" "$3" "${port:0:15}"
}

_net_addr_ok() {
	case $1 in
	198.18.* | 198.19.*) return 0 ;;
	fd00:198:18:*) return 0 ;;
	esac
	return 1
}

# addr_add NS IF CIDR: only test ranges are accepted.
addr_add() {
	_net_addr_ok "$3" || fail "address $3 is outside 198.18.0.0/15 and fd00:198:18::/48"
	case $3 in
	*:*) ip -n "$(ns_name "$1")" -6 addr add "$3" dev "$2" nodad ;;
	*) ip -n "$(ns_name "$1")" addr add "$3" dev "$2" ;;
	esac
}

# hosts_on_lan SHORT...: namespaces on one LAN. A switch namespace "sw" with
# bridge br0 is made on first use; each host gets eth0 on it with
# 198.18.0.N/24 and fd00:198:18::N/64, N counting from 1 in call order.
_NET_LAN_N=0
hosts_on_lan() {
	local s
	if ! ip netns list | grep -qw -- "$(ns_name sw)"; then
		ns_create sw
		bridge_create sw br0
	fi
	for s in "$@"; do
		_NET_LAN_N=$((_NET_LAN_N + 1))
		ns_create "$s"
		host_on_bridge "$s" sw br0 eth0
		addr_add "$s" eth0 "198.18.0.$_NET_LAN_N/24"
		addr_add "$s" eth0 "fd00:198:18::$_NET_LAN_N/64"
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


# ---------------------------------------------------------------- daemons

# vigild_start NAME NS CONF [ARGS...]: start vigild in the foreground mode in
# namespace NS with its own pid file, control socket and log, and wait until
# its control socket answers. Sets VPID[NAME], VSOCK[NAME], VPIDFILE[NAME],
# VLOG[NAME].
vigild_start() {
	local name=$1 ns=$2 conf=$3
	shift 3
	VSOCK[$name]=$T/$name.sock
	VPIDFILE[$name]=$T/$name.pid
	VLOG[$name]=$T/$name.log
	ip netns exec "$(ns_name "$ns")" "$VIGILD" -f "$conf" -n -l \
		-p "${VPIDFILE[$name]}" --control-socket "${VSOCK[$name]}" "$@" \
		</dev/null >>"${VLOG[$name]}" 2>&1 &
	VPID[$name]=$!
	_NET_PIDS+=("$!")
	_NET_VIGILD[$!]=$name
	local i
	for ((i = 0; i < 100; i++)); do
		alive "${VPID[$name]}" || fail "vigild '$name' exited at start-up"
		if [[ -S ${VSOCK[$name]} ]] && ctl "$name" status >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	fail "vigild '$name' did not answer on ${VSOCK[$name]} within 10 s"
}

# vigild_wait NAME [SECONDS]: wait for daemon NAME to exit (default 10 s);
# its exit status is left in VRC, for the test to check (cleanup no longer
# does). Not in a $(...): only this shell can wait.
VRC=
vigild_wait() {
	wait_gone "${2:-10}" "${VPID[$1]}"
	VRC=0
	wait "${VPID[$1]}" || VRC=$?
	vigild_reaped "${VPID[$1]}"
	export VRC
}

# vigild_reaped PID: the test took vigild PID's exit status itself.
vigild_reaped() {
	unset "_NET_VIGILD[$1]"
}

# ctl NAME ARGS...: vigilctl against daemon NAME's control socket.
ctl() {
	local name=$1
	shift
	"$VIGILCTL" --control-socket "${VSOCK[$name]}" "$@"
}

# checker_reloaded NAME GEN: after a reload of vigild NAME, waits up to 5 s
# for its checker process to run as configuration generation GEN.
checker_reloaded() {
	local i st
	for ((i = 0; i < 50; i++)); do
		st=$(ctl "$1" --json status)
		[[ $(jget checker.process.generation <<<"$st") == "$2" &&
			$(jget checker.process.running <<<"$st") == true ]] && break
		sleep 0.1
	done
	expect_eq "$2" "$(ctl "$1" --json status | jget checker.process.generation)" \
		"generation after the reload"
}

# ---------------------------------------------------------------- JSON

# jget PATH < JSON: print the value at dotted PATH (a.b.0.c). A reply
# envelope {"ok":..,"result":{..}} is looked into transparently. Strings
# print raw, everything else as JSON. Exits 1 when the path is missing.
jget() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
if isinstance(d, dict) and "result" in d and "ok" in d and sys.argv[1].split(".")[0] not in ("ok", "result", "error", "errors"):
    d = d["result"]
for k in [p for p in sys.argv[1].split(".") if p]:
    if isinstance(d, list):
        d = d[int(k)]
    elif isinstance(d, dict) and k in d:
        d = d[k]
    else:
        sys.exit(1)
print(d if isinstance(d, str) else json.dumps(d))
' "$1"
}

# json_valid < JSON
json_valid() { python3 -m json.tool >/dev/null; }

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

# A config every test can start from: valid for the daemon today.
write_good_conf() { # write_good_conf FILE [ROUTER_ID] [VRID]
	cat >"$1" <<EOF
global_defs {
	router_id ${2:-vt-node}
}

vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id ${3:-51}
	priority 100
	advert_int 1
	virtual_ipaddress {
		198.18.0.100/32
	}
}
EOF
}

need ip python3
[[ $(id -u) -eq 0 ]] || fail "the namespace tier must run as root"
[[ -x $VIGILD ]] || fail "VIGILD=$VIGILD is not an executable (build first)"
