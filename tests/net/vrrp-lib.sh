# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2004
#
# VRRP helpers for the namespace tier, sourced after lib.sh. They start
# vigild or keepalived (one daemon per namespace, each with its own pid
# files, control socket and log), read the state an operator or a peer
# would see (vigilctl --json, keepalived's notify lines, addresses on the
# interface, packets on the wire) and measure takeover times from captures.
#
# Topology (vrrp_lan): a switch namespace "sw" with br0 and three hosts on
# it: r1 (198.18.0.1, fd00:198:18::1), r2 (.2, ::2), c1 (.3, ::3, observer).
#
# Environment:
#   VRRP_IMPL   implementation the single-implementation scenarios run
#               on: vigild (default) or keepalived (validates the scripts)
#   KEEPALIVED  keepalived binary (default /usr/sbin/keepalived)

VRRP_IMPL=${VRRP_IMPL:-vigild}
KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}

declare -A DKIND=()   # daemon name -> vigild | keepalived
declare -A DNS=()     # daemon name -> short namespace
declare -A DCONF=()   # daemon name -> config file
declare -A DCHILD=()  # keepalived daemon name -> VRRP child pid
declare -A CAPPID=()  # capture name -> tcpdump pid

case $VRRP_IMPL in
vigild | keepalived) ;;
*) fail "VRRP_IMPL must be vigild or keepalived, not '$VRRP_IMPL'" ;;
esac

# python3 may be a version manager's shim (a shell script that execs the
# real interpreter): at a load of 15 on 2 cores that cost 12 s a call
# against 1.3 s for the interpreter itself (measured), and these tests
# call it dozens of times. Resolve it once; every later call (lib.sh's
# jget too) goes straight to the same interpreter. A python3 started in
# the background whose pid ($!) the test needs must be "$VRRP_PYTHON":
# the function would run in a subshell, and $! be the subshell's.
VRRP_PYTHON=$(command python3 -c 'import sys; print(sys.executable)') ||
	fail "python3 does not run"
python3() { "$VRRP_PYTHON" "$@"; }

# now_ms: wall clock in milliseconds (comparable with capture timestamps),
# from bash's own EPOCHREALTIME: no fork/exec of date(1), whose start-up a
# loaded machine delays by tens of ms. (In $(...) bash still forks, but the
# time is read in the child before anything else.)
now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}

# wait_until SECONDS DESCRIPTION CMD...: like lib.sh's wait_for, but the
# deadline is on the clock, not a count of polls: a poll that itself takes
# time under load (a capture decoded, a status read) does not stretch it.
wait_until() {
	local secs=$1 desc=$2 end
	shift 2
	end=$(($(now_ms) + secs * 1000))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		(($(now_ms) < end)) || fail "timed out after ${secs}s waiting for: $desc"
		sleep 0.1
	done
}

# stopped PID: the process is in the stopped state (a SIGSTOP delivered).
stopped() { [[ $(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) == T ]]; }

# log_ms NAME REGEX: the wall-clock time (ms, comparable with capture
# timestamps) of the last line of vigild NAME's log matching REGEX (ERE),
# from the daemon's own timestamp: when the daemon did something, not when
# the shell noticed. Fails when there is none.
log_ms() {
	local line
	line=$(grep -E -- "$2" "${VLOG[$1]}" | tail -n1)
	[[ $line =~ ^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z) ]] ||
		fail "$1: no timestamped log line matching /$2/"
	python3 -c 'import datetime, sys; print("%d" % (datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp() * 1000))' "${BASH_REMATCH[1]}"
}

# status_is NAME PATH VALUE: vigild NAME's status has VALUE at PATH (jget's
# dotted paths). wait_status SECONDS NAME PATH VALUE waits for it.
status_is() { [[ $(vstatus "$1" 2>/dev/null | jget "$2") == "$3" ]]; }
wait_status() {
	local end=$(($(now_ms) + $1 * 1000))
	until status_is "$2" "$3" "$4"; do
		(($(now_ms) < end)) ||
			fail "$2: status $3 is '$(vstatus "$2" 2>/dev/null | jget "$3")' after ${1}s, expected '$4'"
		sleep 0.1
	done
}

# ---------------------------------------------------------------- topology

# vrrp_lan [HOST...]: the standard LAN (default r1 r2 c1). Multicast
# snooping is off on the switch so that 224.0.0.18 and ff02::12 are flooded
# like on a plain switch.
vrrp_lan() {
	(($# > 0)) || set -- r1 r2 c1
	hosts_on_lan "$@"
	ip -n "$(ns_name sw)" link set br0 type bridge mcast_snooping 0
}

# vrrp_track_link HOST: link trk0 in HOST, up, for track_interface; a test
# takes it down and up. (No dummy driver on every test machine: a veth
# pair, trk1 its other end.)
vrrp_track_link() {
	ip -n "$(ns_name "$1")" link add trk0 type veth peer name trk1
	ip -n "$(ns_name "$1")" link set trk1 up
	ip -n "$(ns_name "$1")" link set trk0 up
}

# vrrp_ok_script: $T/chk.sh, a tracked script that passes while $T/ok
# exists (made here).
vrrp_ok_script() {
	touch "$T/ok"
	printf '#!/bin/sh\ntest -f %s/ok\n' "$T" >"$T/chk.sh"
	chmod 755 "$T/chk.sh"
}

# vrrp_wait_ll HOST... : wait until every HOST's eth0 has a usable
# (non-tentative) IPv6 link-local address: VRRPv3 over IPv6 sends from it.
vrrp_wait_ll() {
	local h
	for h in "$@"; do
		wait_for 10 "link-local address on $h" _vrrp_ll_ready "$h"
	done
}
_vrrp_ll_ready() {
	local out
	out=$(ip -n "$(ns_name "$1")" -6 -o addr show dev eth0 scope link)
	[[ -n $out && $out != *tentative* ]]
}

# mac_of HOST [IF]: the MAC address of HOST's interface (default eth0).
mac_of() {
	ip -n "$(ns_name "$1")" -o link show dev "${2:-eth0}" |
		sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# ll_of HOST: the IPv6 link-local address of HOST's eth0.
ll_of() {
	ip -n "$(ns_name "$1")" -6 -o addr show dev eth0 scope link |
		sed -n 's/.*inet6 \([0-9a-f:]*\)\/.*/\1/p' | awk 'NR == 1'
}

# ---------------------------------------------------------------- configs

# vrrp_global NAME KIND [EXTRA LINES]: a global_defs block for daemon NAME,
# and the generic notify script $T/notify.sh (OUTFILE TYPE NAME STATE PRIO).
vrrp_global() {
	local name=$1 kind=$2
	shift 2
	cat <<EOF
global_defs {
	router_id $name
EOF
	if [[ $kind == keepalived ]]; then
		printf '\tscript_user root\n'
	fi
	local l
	for l in "$@"; do
		printf '\t%s\n' "$l"
	done
	printf '}\n\n'
	_vrrp_notify_script
}

_vrrp_notify_script() {
	[[ -x $T/notify.sh ]] && return 0
	cat >"$T/notify.sh" <<'EOF'
#!/bin/sh
# notify.sh OUTFILE TYPE NAME STATE PRIORITY
out=$1
shift
echo "$*" >>"$out"
EOF
	chmod 755 "$T/notify.sh"
}

# vrrp_notify_line NAME KIND: for keepalived, a generic notify line writing
# $T/NAME.notify (a record for the reader; its state is taken from its log).
vrrp_notify_line() {
	if [[ $2 == keepalived ]]; then
		printf 'notify "%s %s"\n' "$T/notify.sh" "$T/$1.notify"
	fi
}

# vrrp_instance_conf NAME KIND INSTANCE VRID PRIO VERSION ADVERT VIPS [EXTRA LINES...]
# Prints one vrrp_instance block on eth0, initial state BACKUP. VIPS is a
# space-separated list. EXTRA lines go inside the block verbatim.
vrrp_instance_conf() {
	local name=$1 kind=$2 inst=$3 vrid=$4 prio=$5 ver=$6 adv=$7 vips=$8 v l
	shift 8
	cat <<EOF
vrrp_instance $inst {
	state BACKUP
	interface eth0
	virtual_router_id $vrid
	priority $prio
	version $ver
	advert_int $adv
EOF
	for l in "$@"; do
		printf '\t%s\n' "$l"
	done
	local nl
	nl=$(vrrp_notify_line "$name" "$kind")
	[[ -n $nl ]] && printf '\t%s\n' "$nl"
	printf '\tvirtual_ipaddress {\n'
	for v in $vips; do
		printf '\t\t%s\n' "$v"
	done
	printf '\t}\n}\n\n'
}

# vrrp_simple_conf FILE NAME KIND VRID PRIO VERSION ADVERT VIPS [EXTRA...]:
# global_defs plus one instance VI_1.
vrrp_simple_conf() {
	local file=$1 name=$2 kind=$3
	shift 3
	{
		vrrp_global "$name" "$kind"
		vrrp_instance_conf "$name" "$kind" VI_1 "$@"
	} >"$file"
}

# ---------------------------------------------------------------- daemons

# d_start NAME NS CONF KIND: start vigild or keepalived (VRRP only) in NS.
d_start() {
	local name=$1 ns=$2 conf=$3 kind=$4
	DKIND[$name]=$kind
	DNS[$name]=$ns
	DCONF[$name]=$conf
	case $kind in
	vigild) vigild_start "$name" "$ns" "$conf" ;;
	keepalived) _ka_start "$name" "$ns" "$conf" ;;
	*) fail "d_start: unknown kind '$kind'" ;;
	esac
	log "started $kind '$name' in $ns (pid ${VPID[$name]})"
}

_ka_start() {
	local name=$1 ns=$2 conf=$3 i pid
	VLOG[$name]=$T/$name.log
	# shellcheck disable=SC2034 # lib.sh's table, read by tests
	VPIDFILE[$name]=$T/$name.ka.pid
	rm -f "$T/$name.ka.pid" "$T/$name.vrrp.pid" "$T/$name.chk.pid"
	ip netns exec "$(ns_name "$ns")" "$KEEPALIVED" -n -l -D -P -f "$conf" \
		-p "$T/$name.ka.pid" -r "$T/$name.vrrp.pid" -c "$T/$name.chk.pid" \
		</dev/null >>"${VLOG[$name]}" 2>&1 &
	VPID[$name]=$!
	_NET_PIDS+=("$!")
	for ((i = 0; i < 100; i++)); do
		alive "${VPID[$name]}" || fail "keepalived '$name' exited at start-up"
		pid=$(cat "$T/$name.vrrp.pid" 2>/dev/null) || pid=
		if [[ -n $pid ]] && alive "$pid"; then
			DCHILD[$name]=$pid
			_NET_PIDS+=("$pid")
			return 0
		fi
		sleep 0.1
	done
	fail "keepalived '$name' started no VRRP process within 10 s"
}

# d_restart NAME: start NAME again with the same namespace and config.
d_restart() {
	d_start "$1" "${DNS[$1]}" "${DCONF[$1]}" "${DKIND[$1]}"
}

# d_kill9 NAME: SIGKILL, nothing gets a chance to clean up. For keepalived
# the parent is stopped first so it cannot respawn or signal its child.
d_kill9() {
	local name=$1
	if [[ ${DKIND[$name]} == keepalived ]]; then
		kill -STOP "${VPID[$name]}" 2>/dev/null || true
		kill -KILL "${DCHILD[$name]}" 2>/dev/null || true
	fi
	kill -KILL "${VPID[$name]}" 2>/dev/null || true
	wait "${VPID[$name]}" 2>/dev/null || true
	vigild_reaped "${VPID[$name]}"
	[[ ${DKIND[$name]} == keepalived ]] && wait_gone 5 "${DCHILD[$name]}"
	return 0
}

# d_term NAME [SECONDS]: SIGTERM and wait for a clean exit.
d_term() {
	kill -TERM "${VPID[$1]}" 2>/dev/null || true
	d_wait_exit "$@"
}

# d_wait_exit NAME [SECONDS]: wait for NAME, already signalled, to exit 0.
# (One SIGTERM only: a second one during the shutdown is not what is tested.)
d_wait_exit() {
	local name=$1 rc=0
	wait_gone "${2:-10}" "${VPID[$name]}"
	wait "${VPID[$name]}" 2>/dev/null || rc=$?
	vigild_reaped "${VPID[$name]}"
	[[ ${DKIND[$name]} == keepalived ]] && wait_gone 5 "${DCHILD[$name]}"
	[[ $rc -eq 0 ]] || fail "$name exited $rc after SIGTERM"
}

# d_alive NAME
d_alive() {
	alive "${VPID[$1]}" || return 1
	[[ ${DKIND[$1]} != keepalived ]] || alive "${DCHILD[$1]}"
}

# vstatus NAME: vigilctl --json status of vigild NAME.
vstatus() { ctl "$1" --json status; }

# vinst NAME INSTANCE FIELD: one field of a vigild instance in status.
# FIELD may be a dotted path inside the instance object. Prints nothing and
# returns 1 when missing.
vinst() {
	vstatus "$1" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
if isinstance(d, dict) and "result" in d:
    d = d["result"]
insts = d.get("vrrp", {}).get("instances", [])
if isinstance(insts, dict):
    insts = [dict(v, name=k) for k, v in insts.items()]
for i in insts:
    if i.get("name") == sys.argv[1] or i.get("iname") == sys.argv[1]:
        v = i
        for k in sys.argv[2].split("."):
            if not isinstance(v, dict) or k not in v:
                sys.exit(1)
            v = v[k]
        print(v if isinstance(v, str) else json.dumps(v))
        sys.exit(0)
sys.exit(1)
' "$2" "$3"
}

# d_state NAME [INSTANCE]: MASTER, BACKUP, FAULT, INIT (or ? when unknown).
d_state() {
	local name=$1 inst=${2:-VI_1} s
	case ${DKIND[$name]} in
	vigild)
		s=$(vinst "$name" "$inst" state) || s='?'
		;;
	keepalived)
		s=$(d_transitions "$name" "$inst" | tail -n1)
		if ! d_alive "$name"; then
			s=INIT
		fi
		;;
	esac
	printf '%s\n' "${s:-INIT}"
}

# d_transitions NAME [INSTANCE]: the states entered, in order, one a line.
d_transitions() {
	local name=$1 inst=${2:-VI_1}
	case ${DKIND[$name]} in
	vigild)
		sed -n "s/.*\\b$inst: [A-Z]* -> \\([A-Z]*\\).*/\\1/p" "${VLOG[$name]}"
		;;
	keepalived)
		# Its log, not its notify scripts: those run concurrently and
		# can land out of order.
		sed -n "s/.*($inst) Entering \\([A-Z]*\\) STATE.*/\\1/p" "${VLOG[$name]}"
		;;
	esac
}

# count_to NAME STATE [INSTANCE]: how often NAME entered STATE.
count_to() {
	local n
	n=$(d_transitions "$1" "${3:-VI_1}" | grep -cx "$2") || true
	echo "${n:-0}"
}

# wait_state SECONDS NAME STATE [INSTANCE]
# link_not_tracked NAME IF WHAT: IF down leaves NAME MASTER (no event to
# wait for: a FAULT would come within the netlink round trip); IF back up.
link_not_tracked() {
	ip -n "$(ns_name "$1")" link set "$2" down
	sleep 1
	expect_state "$1" MASTER
	log "$3 down: no FAULT"
	ip -n "$(ns_name "$1")" link set "$2" up
}

# link_tracked NAME IF WHAT: IF down puts NAME in FAULT; up, MASTER again.
link_tracked() {
	ip -n "$(ns_name "$1")" link set "$2" down
	wait_state 3 "$1" FAULT
	log "$3 down: FAULT"
	ip -n "$(ns_name "$1")" link set "$2" up
	wait_state 5 "$1" MASTER
}

wait_state() {
	local secs=$1 name=$2 want=$3 inst=${4:-VI_1} i s=
	for ((i = 0; i < secs * 20; i++)); do
		s=$(d_state "$name" "$inst")
		[[ $s == "$want" ]] && return 0
		sleep 0.05
	done
	fail "$name $inst: state $s after ${secs}s, expected $want"
}

# expect_state NAME STATE [INSTANCE]
expect_state() {
	expect_eq "$2" "$(d_state "$1" "${3:-VI_1}")" "state of $1 ${3:-VI_1}"
}

# ---------------------------------------------------------------- addresses

# has_vip HOST ADDR: ADDR (without prefix) is configured in HOST.
has_vip() {
	local out
	out=$(ip -n "$(ns_name "$1")" -o addr show) || return 1
	grep -qE "inet6? ${2//./\\.}/" <<<"$out"
}
expect_vip() {
	has_vip "$1" "$2" || fail "$1 should hold VIP $2; it has: $(ip -n "$(ns_name "$1")" -o addr show | awk '{print $2, $4}' | tr '\n' ' ')"
}
expect_no_vip() {
	! has_vip "$1" "$2" || fail "$1 should not hold VIP $2"
}
wait_vip() { # wait_vip SECONDS HOST ADDR
	wait_for "$1" "VIP $3 on $2" has_vip "$2" "$3"
}
wait_no_vip() { # wait_no_vip SECONDS HOST ADDR
	wait_for "$1" "VIP $3 gone from $2" _vrrp_no_vip "$2" "$3"
}
_vrrp_no_vip() { ! has_vip "$1" "$2"; }

# ---------------------------------------------------------------- captures

# cap_start NAME HOST [IF]: capture VRRP, AH, ARP and ICMPv6 on HOST's IF
# into $T/NAME.pcap; returns once tcpdump listens.
cap_start() {
	local name=$1 host=$2 ifname=${3:-eth0} i
	ip netns exec "$(ns_name "$host")" tcpdump -i "$ifname" -n -U --immediate-mode -Z root -s 256 \
		-w "$T/$name.pcap" 'ip proto 112 or ip6 proto 112 or ip proto 51 or arp or icmp6' \
		>"$T/$name.tcpdump" 2>&1 &
	CAPPID[$name]=$!
	_NET_PIDS+=("$!")
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' "$T/$name.tcpdump" 2>/dev/null && return 0
		alive "${CAPPID[$name]}" || fail "tcpdump $name: $(cat "$T/$name.tcpdump")"
		sleep 0.1
	done
	fail "tcpdump $name did not start"
}

# cap_stop NAME: stop the capture and write its decoded form to
# $T/NAME.txt (see _vrrp_decoder for the line formats).
cap_stop() {
	local name=$1
	sleep 0.1
	kill -INT "${CAPPID[$name]}" 2>/dev/null || true
	wait "${CAPPID[$name]}" 2>/dev/null || true
	_vrrp_decoder
	python3 "$T/decode.py" "$T/$name.pcap" >"$T/$name.txt" || fail "cannot decode $name.pcap"
}

# cap_peek NAME: decode what capture NAME has written so far into
# $T/NAME.txt, tcpdump still running (it writes every packet at once, -U).
cap_peek() {
	_vrrp_decoder
	python3 "$T/decode.py" "$T/$1.pcap" >"$T/$1.txt.peek" 2>/dev/null || return 1
	mv -f "$T/$1.txt.peek" "$T/$1.txt"
}

# cap_wait SECONDS NAME DESCRIPTION CMD...: wait until CMD succeeds on the
# capture so far (CMD reads $T/NAME.txt, e.g. through adverts or
# cap_lines): a test waits for the packets it needs instead of sleeping a
# fixed time, so a slow daemon is waited for and a fast one is not.
cap_wait() {
	local secs=$1 name=$2 desc=$3
	shift 3
	wait_until "$secs" "$desc (capture $name)" _cap_check "$name" "$@"
}
_cap_check() {
	local name=$1
	shift
	cap_peek "$name" && "$@"
}

# count_ge N CMD...: CMD prints at least N lines.
count_ge() {
	local n=$1
	shift
	(($("$@" | wc -l) >= n))
}

# cap_lines NAME KIND: the decoded lines of one kind (VRRP, ARP or NA).
cap_lines() { awk -v k="$2" '$1 == k' "$T/$1.txt"; }

# The decoder prints one line per packet of interest, time in ms:
#   VRRP ms srcmac src dst ttl version vrid prio interval_cs authtype addr,addr ah
# (ah: "ah:SEQ" when an IPsec AH header carried it, its sequence number; else -)
#   ARP  ms srcmac op sender_mac sender_ip target_ip
#   NA   ms srcmac src dst hoplimit target O-flag(0|1)
_vrrp_decoder() {
	[[ -f $T/decode.py ]] && return 0
	cat >"$T/decode.py" <<'EOF'
import ipaddress, struct, sys

def mac(b):
    return ":".join("%02x" % x for x in b)

def vrrp(ms, smac, src, dst, ttl, p, v6, ah="-"):
    if len(p) < 8:
        return
    ver, typ = p[0] >> 4, p[0] & 15
    if typ != 1:
        return
    vrid, prio, n = p[1], p[2], p[3]
    auth = "-"
    if ver == 3:
        intvl = struct.unpack("!H", p[4:6])[0] & 0x0fff
        off = 8
    else:
        auth = str(p[4])
        intvl = p[5] * 100
        off = 8
    alen = 16 if v6 else 4
    addrs = []
    for i in range(n):
        a = p[off + i * alen: off + (i + 1) * alen]
        if len(a) < alen:
            break
        addrs.append(str(ipaddress.ip_address(a)))
    print("VRRP %.3f %s %s %s %d %d %d %d %d %s %s %s" % (ms, smac, src, dst, ttl, ver, vrid,
          prio, intvl, auth, ",".join(addrs) or "-", ah))

def main(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        pkt = data[off:off + incl]
        off += incl
        ms = sec * 1000.0 + (frac / 1e6 if nano else frac / 1e3)
        if len(pkt) < 14:
            continue
        smac = mac(pkt[6:12])
        et = struct.unpack("!H", pkt[12:14])[0]
        l3 = pkt[14:]
        if et == 0x8100 and len(pkt) >= 18:
            et = struct.unpack("!H", pkt[16:18])[0]
            l3 = pkt[18:]
        if et == 0x0806 and len(l3) >= 28:
            op = struct.unpack("!H", l3[6:8])[0]
            print("ARP %.3f %s %d %s %s %s" % (ms, smac, op, mac(l3[8:14]),
                  ipaddress.ip_address(l3[14:18]), ipaddress.ip_address(l3[24:28])))
        elif et == 0x0800 and len(l3) >= 20:
            ihl = (l3[0] & 15) * 4
            ttl, proto = l3[8], l3[9]
            src, dst = ipaddress.ip_address(l3[12:16]), ipaddress.ip_address(l3[16:20])
            p = l3[ihl:]
            ah = "-"
            if proto == 51 and len(p) >= 12:
                proto = p[0]
                ah = "ah:%d" % struct.unpack("!I", p[8:12])[0]
                p = p[(p[1] + 2) * 4:]
            if proto == 112:
                vrrp(ms, smac, src, dst, ttl, p, False, ah)
        elif et == 0x86dd and len(l3) >= 40:
            nh, hlim = l3[6], l3[7]
            src, dst = ipaddress.ip_address(l3[8:24]), ipaddress.ip_address(l3[24:40])
            p = l3[40:]
            if nh == 112:
                vrrp(ms, smac, src, dst, hlim, p, True)
            elif nh == 58 and len(p) >= 24 and p[0] == 136:
                oflag = (p[4] >> 5) & 1
                print("NA %.3f %s %s %s %d %s %d" % (ms, smac, src, dst, hlim,
                      ipaddress.ip_address(p[8:24]), oflag))

main(sys.argv[1])
EOF
}

# adverts NAME [SRC] [VRID]: the VRRP lines, optionally from SRC / for VRID.
adverts() {
	awk -v s="${2:-}" -v v="${3:-}" \
		'$1 == "VRRP" && (s == "" || $4 == s) && (v == "" || $8 == v)' "$T/$1.txt"
}

# takeover_ms CAP OLD NEW [VRID]: the gap on the wire between the last
# advertisement with priority > 0 from OLD and the first one from NEW after
# it (what a peer sees as the takeover time). Adverts NEW sent before
# OLD's last one (a start-up, or a master starved on a loaded machine)
# do not count. Prints an integer ms, or fails when NEW never sent.
takeover_ms() {
	local r
	r=$(awk -v o="$2" -v n="$3" -v v="${4:-}" '
		$1 != "VRRP" || (v != "" && $8 != v) { next }
		$4 == o && $9 > 0 { last = $2; first = ""; next }
		$4 == n && last != "" && first == "" { first = $2 }
		END { if (first == "" || last == "") exit 1; printf "%d\n", first - last + 0.5 }
	' "$T/$1.txt") || fail "no takeover from $2 to $3 in capture $1"
	echo "$r"
}

# prio0_to_new_ms CAP OLD NEW [VRID]: from OLD's priority-0 advertisement
# to NEW's first advertisement after it.
prio0_to_new_ms() {
	local r
	r=$(awk -v o="$2" -v n="$3" -v v="${4:-}" '
		$1 != "VRRP" || (v != "" && $8 != v) { next }
		$4 == o && $9 == 0 && z == "" { z = $2; next }
		$4 == n && z != "" && first == "" { first = $2 }
		END { if (first == "" || z == "") exit 1; printf "%d\n", first - z + 0.5 }
	' "$T/$1.txt") || fail "no priority 0 from $2 followed by $3 in capture $1"
	echo "$r"
}

# master_down_ms PRIO ADVERT_MS: RFC 5798 6.1, 3 * interval + skew.
master_down_ms() {
	python3 -c "import sys; p, a = int(sys.argv[1]), float(sys.argv[2]); print('%.1f' % (3 * a + (256 - p) * a / 256))" "$1" "$2"
}
# expect_master_down NAME PRIO ADVERT_MS [INSTANCE]: vigild NAME's own
# Master_Down_Interval (status master_down_ms) is RFC 5798 6.1's for PRIO
# and the master's ADVERT_MS. What the wire shows of a takeover carries a
# loaded machine's delays and needs wide margins; this figure carries
# none, so a timer computed one advert interval off fails here exactly.
# (keepalived shows no such figure: nothing to check.)
expect_master_down() {
	local want got
	[[ ${DKIND[$1]} == vigild ]] || return 0
	want=$(master_down_ms "$2" "$3")
	got=$(vinst "$1" "${4:-VI_1}" master_down_ms) || fail "$1: no master_down_ms in status"
	expect_between "$(python3 -c "print($want - 0.5)")" "$(python3 -c "print($want + 0.5)")" "$got" \
		"$1's Master_Down_Interval in its status (ms; RFC 5798 6.1: 3 x $3 + skew for priority $2)"
}
skew_ms() {
	python3 -c "import sys; p, a = int(sys.argv[1]), float(sys.argv[2]); print('%.1f' % ((256 - p) * a / 256))" "$1" "$2"
}

# expect_between LOW HIGH VALUE WHAT (numbers may be decimals)
expect_between() {
	python3 -c "import sys; lo, hi, v = map(float, sys.argv[1:4]); sys.exit(0 if lo <= v <= hi else 1)" \
		"$1" "$2" "$3" || fail "$4: $3 is outside [$1, $2]"
}

# report_time WHAT MS THEORY: one greppable line with a measured time.
# With VRRP_TIMES=FILE, a tab-separated copy goes to FILE too.
report_time() {
	local impl=${4:-$VRRP_IMPL}
	printf '%s: TIME %s: %s ms (theory %s ms, impl %s)\n' "$TEST_NAME" "$1" "$2" "$3" \
		"$impl" >&2
	if [[ -n ${VRRP_TIMES:-} ]]; then
		printf '%s\t%s\t%s\t%s\t%s\n' "$TEST_NAME" "$impl" "$1" "$2" "$3" >>"$VRRP_TIMES"
	fi
}

# advert_gaps_ms CAP SRC [VRID]: median and max gap between SRC's adverts.
advert_gaps_ms() {
	adverts "$1" "$2" "${3:-}" | awk 'NR > 1 { printf "%d\n", $2 - prev + 0.5 } { prev = $2 }' |
		sort -n | awk '{ g[n++] = $1 } END { if (n == 0) print "0 0"; else print g[int((n - 1) / 2)], g[n - 1] }'
}

# vigild_drops NAME: the vigild status counters whose names say something
# was dropped or wrong, "key=value" one a line, only the non-zero ones.
vigild_drops() {
	vstatus "$1" 2>/dev/null | python3 -c '
import json, re, sys
d = json.load(sys.stdin)
if isinstance(d, dict) and "result" in d:
    d = d["result"]
pat = re.compile(r"drop|misconf|invalid|bad|error|fail|mismatch|discard", re.I)
def walk(v, path):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(x, path + [str(k)])
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, path + [str(i)])
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        if v != 0 and any(pat.search(p) for p in path):
            print("%s=%s" % (".".join(path), v))
v = dict(d.get("vrrp", {}))
v.pop("track", None)  # failures of tracked scripts/files are what a test provokes
walk(v, ["vrrp"])
'
}

# addr_mon_start NAME HOST: log HOST's address changes with wall-clock
# timestamps into $T/NAME.mon.
addr_mon_start() {
	ip -ts -n "$(ns_name "$2")" monitor address >"$T/$1.mon" 2>&1 &
	CAPPID[$1]=$!
	_NET_PIDS+=("$!")
	sleep 0.2
}
addr_mon_stop() {
	kill -TERM "${CAPPID[$1]}" 2>/dev/null || true
	wait "${CAPPID[$1]}" 2>/dev/null || true
}

# addr_events NAME ADDR: "ms add|del" for each change of ADDR, in order.
addr_events() {
	python3 - "$T/$1.mon" "$2" <<'PY'
import datetime, re, sys
for line in open(sys.argv[1]):
    m = re.match(r"\[([0-9T:.\-]+)\]\s*(Deleted )?.*\sinet6? (\S+)/", line)
    if not m or m.group(3) != sys.argv[2]:
        continue
    t = datetime.datetime.fromisoformat(m.group(1)).timestamp() * 1000
    print("%.3f %s" % (t, "del" if m.group(2) else "add"))
PY
}

# ---------------------------------------------------------------- interop

# interop_run VERSION ADVERT FAMILY(4|6) [EXTRA INSTANCE LINES...]: vigild
# against keepalived (INTEROP_A / INTEROP_B pick other kinds, e.g. both
# keepalived to validate the script itself), both roles in turn (vigild master + keepalived
# backup, then keepalived master + vigild backup). Each role checks the
# election (higher priority is master, no flapping over 3 s), a takeover on
# kill -9 of the master (measured), preemption back when it returns, and
# that vigild counted no dropped or misconfigured packets.
interop_run() {
	local ver=$1 adv=$2 fam=$3
	shift 3
	local vip=198.18.0.100/32 vipa=198.18.0.100
	if [[ $fam == 6 ]]; then
		vip=fd00:198:18::100/64
		vipa=fd00:198:18::100
	fi
	vrrp_lan
	[[ $fam == 6 ]] && vrrp_wait_ll r1 r2 c1
	local a=${INTEROP_A:-vigild} b=${INTEROP_B:-keepalived}
	_interop_role a "$a" "$b" "$ver" "$adv" "$fam" "$vip" "$vipa" "$@"
	_interop_role b "$b" "$a" "$ver" "$adv" "$fam" "$vip" "$vipa" "$@"
}

_interop_role() {
	local run=$1 k1=$2 k2=$3 ver=$4 adv=$5 fam=$6 vip=$7 vipa=$8
	shift 8
	local tag="$k1(150) vs $k2(100)" n1 n2 m1 m2 ms md secs adv_ms
	local ip1=198.18.0.1 ip2=198.18.0.2 d1 d2
	adv_ms=$(python3 -c "print(int(float('$adv') * 1000))")
	secs=$(python3 -c "print(int(4 * float('$adv')) + 3)")
	if [[ $fam == 6 ]]; then
		ip1=$(ll_of r1)
		ip2=$(ll_of r2)
	fi
	# Fresh names per role: the daemons' logs stay separate.
	d1=r1$run-$k1
	d2=r2$run-$k2
	vrrp_simple_conf "$T/$d1.conf" "$d1" "$k1" 51 150 "$ver" "$adv" "$vip" "$@"
	vrrp_simple_conf "$T/$d2.conf" "$d2" "$k2" 51 100 "$ver" "$adv" "$vip" "$@"
	log "--- $tag: VRRPv$ver IPv$fam advert_int $adv $*"
	d_start "$d1" r1 "$T/$d1.conf" "$k1"
	d_start "$d2" r2 "$T/$d2.conf" "$k2"
	wait_state "$secs" "$d1" MASTER
	wait_state "$secs" "$d2" BACKUP
	wait_vip 2 r1 "$vipa"
	wait_no_vip "$secs" r2 "$vipa"

	# Election holds: no transition on either side for 3 s. The same
	# capture then sees the takeover after kill -9 of the master.
	local bad t_kill
	cap_start "e$d1" c1
	n1=$(d_transitions "$d1" | wc -l)
	n2=$(d_transitions "$d2" | wc -l)
	sleep 3
	expect_eq "$n1" "$(d_transitions "$d1" | wc -l)" "$tag: transitions of the master over 3 s (before: $n1)"
	expect_eq "$n2" "$(d_transitions "$d2" | wc -l)" "$tag: transitions of the backup over 3 s (before: $n2)"
	expect_state "$d1" MASTER
	expect_state "$d2" BACKUP
	expect_vip r1 "$vipa"
	expect_no_vip r2 "$vipa"
	_interop_drops "$tag" "$d1" "$d2"
	t_kill=$(now_ms)
	d_kill9 "$d1"
	wait_state "$secs" "$d2" MASTER
	wait_vip 2 r2 "$vipa"
	sleep 0.3
	cap_stop "e$d1"

	m1=$(adverts "e$d1" "$ip1" 51 | awk -v t="$t_kill" '$2 < t' | wc -l)
	m2=$(adverts "e$d1" "$ip2" 51 | awk -v t="$t_kill" '$2 < t' | wc -l)
	((m1 >= 3000 / adv_ms - 2)) || fail "$tag: only $m1 adverts from the master in 3 s"
	expect_eq 0 "$m2" "$tag: adverts from the backup before the kill"
	bad=$(adverts "e$d1" "$ip1" 51 | awk -v v="$ver" -v i="$((adv_ms / 10))" '$6 != 255 || $7 != v || $9 != 150 || $10 != i')
	[[ -z $bad ]] || fail "$tag: master adverts not TTL 255, v$ver, prio 150, interval $((adv_ms / 10)) cs: $bad"
	bad=$(adverts "e$d1" "$ip2" 51 | awk -v v="$ver" -v i="$((adv_ms / 10))" '$6 != 255 || $7 != v || $9 != 100 || $10 != i')
	[[ -z $bad ]] || fail "$tag: new master's adverts not TTL 255, v$ver, prio 100, interval $((adv_ms / 10)) cs: $bad"
	if [[ " $* " == *"auth_type PASS"* ]]; then
		bad=$(adverts "e$d1" "" 51 | awk '$11 != 1')
		[[ -z $bad ]] || fail "$tag: adverts without simple-password authentication (type 1): $bad"
	fi
	if [[ " $* " == *"auth_type AH"* ]]; then
		bad=$(adverts "e$d1" "" 51 | awk '$11 != 2 || $13 !~ /^ah:/')
		[[ -z $bad ]] || fail "$tag: adverts without an AH header and auth type 2: $bad"
		_interop_ka_auth_ok "$tag" "$d1" "$d2"
	fi
	ms=$(takeover_ms "e$d1" "$ip1" "$ip2" 51)
	md=$(master_down_ms 100 "$adv_ms")
	report_time "$tag v$ver IPv$fam kill -9 of $k1: takeover by $k2" "$ms" "$md" "$k1/$k2"
	expect_between "$(python3 -c "print($md - 30)")" "$(python3 -c "print($md + 250)")" "$ms" \
		"$tag: takeover after kill -9 (ms)"

	# The master comes back and preempts. A killed daemon left its VIP.
	d_restart "$d1"
	wait_state "$secs" "$d1" MASTER
	wait_state "$secs" "$d2" BACKUP
	wait_vip 2 r1 "$vipa"
	wait_no_vip 2 r2 "$vipa"
	sleep 0.5
	expect_state "$d1" MASTER
	expect_state "$d2" BACKUP
	_interop_drops "$tag" "$d1" "$d2"
	kill -TERM "${VPID[$d2]}" "${VPID[$d1]}" 2>/dev/null || true
	d_wait_exit "$d2"
	d_wait_exit "$d1"
	log "$tag: PASS"
}

# _interop_ka_auth_ok TAG NAME...: no keepalived among NAMEs logged an
# authentication failure (its own counters are not readable from here).
_interop_ka_auth_ok() {
	local tag=$1 d bad
	shift
	for d in "$@"; do
		[[ ${DKIND[$d]} == keepalived ]] || continue
		bad=$(grep -E 'IPSEC|invalid passwd|auth type|AH header|authentication' "${VLOG[$d]}" || true)
		[[ -z $bad ]] || fail "$tag: keepalived ($d) refused adverts: $(head -n3 <<<"$bad")"
	done
}

_interop_drops() {
	local tag=$1 d drops
	shift
	for d in "$@"; do
		[[ ${DKIND[$d]} == vigild ]] || continue
		drops=$(vigild_drops "$d")
		[[ -z $drops ]] || fail "$tag: vigild ($d) counted drops/errors: $(tr '\n' ' ' <<<"$drops")"
	done
}

# first_gaps_ms CAP SRC [VRID] [N]: the gaps between SRC's first N + 1
# adverts in CAP (default N = 2: "g1 g2"): a new master must keep its
# interval from the start.
first_gaps_ms() {
	adverts "$1" "$2" "${3:-}" | awk -v n="${4:-2}" '
		NR > 1 && NR <= n + 1 { printf "%d ", $2 - prev + 0.5 } { prev = $2 }
		END { print "" }'
}

# expect_first_gaps CAP SRC VRID ADVERT_MS WHAT: the mean of SRC's first 4
# gaps is within ADVERT_MS -30 % / +50 %. A mean: one advert that a loaded
# machine sends or delivers late moves it by a quarter of its lateness,
# while a new master that sends its first adverts back to back, or waits
# a whole interval more (RFC 5798 6.4.3: one advert per interval from the
# transition on), moves every gap.
expect_first_gaps() {
	local g mean
	g=$(first_gaps_ms "$1" "$2" "$3" 4)
	(($(wc -w <<<"$g") == 4)) || fail "$5: fewer than 5 adverts from $2 in capture $1 ($g)"
	mean=$(awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%d\n", s / NF + 0.5 }' <<<"$g")
	log "$5: first gaps $g ms, mean $mean"
	expect_between $(($4 * 7 / 10)) $(($4 * 3 / 2)) "$mean" "$5: mean of the first 4 advert gaps (ms)"
}

# vrrp_check_drops: every running vigild counted no dropped, invalid or
# failed anything (status keys matching drop/error/fail/...).
vrrp_check_drops() {
	local d drops
	for d in "${!DKIND[@]}"; do
		if [[ ${DKIND[$d]} != vigild ]] || ! d_alive "$d"; then
			continue
		fi
		drops=$(vigild_drops "$d")
		[[ -z $drops ]] || fail "vigild $d counted drops/errors: $(tr '\n' ' ' <<<"$drops")"
	done
}

# hold_steady CAP SECONDS NAME...: capture CAP on c1 for SECONDS while
# none of the daemons NAME... changes state (an election that holds).
hold_steady() {
	local cap=$1 secs=$2 name
	shift 2
	local -A before=()
	cap_start "$cap" c1
	for name in "$@"; do
		before[$name]=$(d_transitions "$name" | wc -l)
	done
	sleep "$secs"
	cap_stop "$cap"
	for name in "$@"; do
		expect_eq "${before[$name]}" "$(d_transitions "$name" | wc -l)" \
			"transitions of $name over $secs s"
	done
}
