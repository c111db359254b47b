#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vrrp/netlink.c against a real kernel, through tests/net/nltool (built by
# `make check`, see tests/unit/vrrp_sys.mk):
#  - 1000 VIPs added in one batch: all on the interface, a few sendmsg calls;
#    then all deleted;
#  - the event socket: an interface taken down is reported (oper_up=0), in
#    a median of 5 rounds within 100 ms of the change (measured from the
#    return of `ip link set`, not its fork/exec); an address deleted by
#    someone else is reported as ADDR_DEL;
#  - ENOBUFS: a monitor with a tiny receive buffer, stopped (SIGSTOP) while
#    20,000 address changes happen, reports a RESYNC when continued and keeps
#    working;
#  - a macvlan VMAC made with vrrp_nl_vmac_add has the right MAC, is up and is
#    in private mode;
#  - a route (gateway, table, metric) and a rule (fwmark, table, priority)
#    reach the kernel and go away again; an unsupported route option is refused.
#
# Environment: NLTOOL selects the driver binary, like VIGILD/VIGILCTL in
# tests/net/run (default: build-asan/tests/net/nltool; build it with
# `make check` in build-asan).
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"

NLTOOL=${NLTOOL:-$NET_TOP/build-asan/tests/net/nltool}
[[ -x $NLTOOL ]] || fail "NLTOOL=$NLTOOL is not an executable (run 'make check' in build-asan)"

ns_create n
# The monitors run as direct children (ip netns exec execs the tool), so
# their pids are the tool's own: SIGSTOP/SIGCONT/SIGTERM reach it.
# d0: a dummy where the kernel has the driver, else one end of a veth pair
# (its carrier follows the peer d1, which stays up).
if ! nsx n ip link add d0 type dummy 2>/dev/null; then
	nsx n ip link add d0 type veth peer name d1
	nsx n ip link set d1 up
fi
nsx n ip link set d0 up
addr_add n d0 198.18.0.1/24

count4() { nsx n ip -o -4 addr show dev d0 | wc -l; }
field() { sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p" <<<"$2" | head -n1; }

# ---- batches
out=$(nsx n "$NLTOOL" add d0 1000 2>&1) || fail "nltool add 1000: $out"
echo "$out"
expect_eq 1001 "$(count4)" "IPv4 addresses on d0 after adding 1000 VIPs"
sm=$(field sendmsg "$out")
((sm >= 1 && sm <= 3)) || fail "1000 VIPs took $sm sendmsg calls (want 1..3): $out"
expect_eq 1 "$(field table_ok "$out")" "the event socket saw all 1000 VIPs"
log "1000 VIPs: $sm sendmsg, ACKs after $(field ack_ms "$out") ms"

out=$(nsx n "$NLTOOL" del d0 1000 2>&1) || fail "nltool del 1000: $out"
echo "$out"
expect_eq 1 "$(count4)" "IPv4 addresses on d0 after deleting the 1000 VIPs"

# ---- events
VLOG[mon]=$T/mon.err
ip netns exec "$(ns_name n)" "$NLTOOL" monitor --ready "$T/mon.ready" >"$T/mon.out" 2>"$T/mon.err" &
mon=$!
_NET_PIDS+=("$mon")
wait_for 10 "the monitor to be ready" test -e "$T/mon.ready"

# The kernel has queued the event to every listener by the time
# `ip link set` returns (rtnetlink notifies within the request), so the
# monitor's delay is measured from that return, read from bash's own
# clock: not from before the fork/exec of ip, which a loaded machine
# stretches by tens of ms. The shell then still has to wake up after ip,
# like the monitor after the event, so the figure can be negative. Five
# rounds; the median must stay under 100 ms: one late wake-up on a loaded
# machine does not move a median, while events read late by design (a
# deferral, a periodic drain of the socket, reading only on the next
# request) make every round late.
link_events() { grep -c "^LINK .* name=d0 ifindex=[0-9]* admin_up=$1 oper_up=$1" "$T/mon.out" || true; }
more_events() { (($(link_events "$1") > $2)); }
lat=()
for ((k = 1; k <= 5; k++)); do
	n0=$(link_events 0)
	nsx n ip link set d0 down
	t_done=${EPOCHREALTIME/[.,]/}
	wait_for 2 "LINK event #$k for d0 down" more_events 0 "$n0"
	t_ev=$(grep "^LINK .* name=d0 ifindex=[0-9]* admin_up=0 oper_up=0" "$T/mon.out" | tail -n1 |
		sed 's/.* t=\([0-9]*\) .*/\1/')
	lat+=($(((t_ev / 1000 - t_done) / 1000)))
	n1=$(link_events 1)
	nsx n ip link set d0 up
	wait_for 2 "LINK event #$k for d0 up" more_events 1 "$n1"
done
med=$(printf '%s\n' "${lat[@]}" | sort -n | sed -n 3p)
log "LINK down events, ms after 'ip link set d0 down' returned: ${lat[*]} (median $med)"
((med < 100)) || fail "the LINK events came a median $med ms after the change (limit 100 ms): ${lat[*]}"

addr_add n d0 198.18.0.50/32
wait_for 2 "ADDR_ADD 198.18.0.50" grep -q '^ADDR_ADD .* dev=d0 addr=198.18.0.50/32' "$T/mon.out"
nsx n ip addr del 198.18.0.50/32 dev d0
wait_for 2 "ADDR_DEL 198.18.0.50" grep -q '^ADDR_DEL .* dev=d0 addr=198.18.0.50/32' "$T/mon.out"

# The primary IPv4 address follows the kernel: gone, then back.
nsx n ip addr del 198.18.0.1/24 dev d0
wait_for 2 "a LINK event without a primary IPv4" \
	grep -q '^LINK .* name=d0 .* addr4=- ' "$T/mon.out"
addr_add n d0 198.18.0.1/24
wait_for 2 "a LINK event with the primary IPv4 back" \
	grep -q '^LINK .* name=d0 .* addr4=198.18.0.1 ' "$T/mon.out"

kill -TERM "$mon"
wait "$mon" || fail "the monitor exited $? on SIGTERM"

# The table from a fresh dump: primary IPv4 and (after DAD) the link-local.
d0_has_ll() { nsx n "$NLTOOL" show | grep -q '^IFACE .* name=d0 .* addr4=198.18.0.1 ll6=fe80:'; }
wait_for 5 "nltool show: d0 with 198.18.0.1 and an IPv6 link-local" d0_has_ll
grep -q 'RESYNC' "$T/mon.out" && fail "a RESYNC without overflow: $(grep RESYNC "$T/mon.out")"

# ---- ENOBUFS -> resync
VLOG[tiny]=$T/tiny.err
ip netns exec "$(ns_name n)" "$NLTOOL" monitor --rcvbuf 4096 --ready "$T/tiny.ready" >"$T/tiny.out" 2>"$T/tiny.err" &
tiny=$!
_NET_PIDS+=("$tiny")
wait_for 10 "the small-buffer monitor to be ready" test -e "$T/tiny.ready"
kill -STOP "$tiny"
# 10 rounds of 1000 adds and 1000 deletes: 20,000 changes (and events),
# without the kernel's cost of 10,000 addresses on one interface.
for ((r = 0; r < 10; r++)); do
	for ((i = 0; i < 1000; i++)); do
		printf 'addr add 198.19.%d.%d/32 dev d0\n' $((i / 250)) $((i % 250 + 1))
	done
	for ((i = 0; i < 1000; i++)); do
		printf 'addr del 198.19.%d.%d/32 dev d0\n' $((i / 250)) $((i % 250 + 1))
	done
done >"$T/batch"
nsx n ip -batch "$T/batch" || fail "ip -batch of 20000 address changes failed"
kill -CONT "$tiny"
wait_for 10 "a RESYNC after the overflow" grep -q '^RESYNC .* resyncs=[1-9]' "$T/tiny.out"
# Still listening after the resync.
addr_add n d0 198.18.0.51/32
wait_for 5 "ADDR_ADD after the resync" grep -q '^ADDR_ADD .* addr=198.18.0.51/32' "$T/tiny.out"
kill -TERM "$tiny"
wait "$tiny" || fail "the small-buffer monitor exited $? on SIGTERM"
grep -q 'events were lost' "$T/tiny.err" || fail "the resync was not logged"

# ---- VMAC
out=$(nsx n "$NLTOOL" vmac vm0 d0 00:00:5e:00:01:33 2>&1) || fail "nltool vmac: $out"
echo "$out"
link=$(nsx n ip -d link show vm0) || fail "no vm0 after vrrp_nl_vmac_add"
expect_match 'link/ether 00:00:5e:00:01:33' "$link" "vm0's MAC"
expect_match 'macvlan mode private' "$link" "vm0's kind and mode"
expect_match '<[^>]*\bUP\b' "$link" "vm0 is up"
expect_match 'vm0@d0' "$link" "vm0's parent"

# ---- route and rule
out=$(nsx n "$NLTOOL" rt d0 add 2>&1) || fail "nltool rt add: $out"
expect_match 'RT_UNSUPPORTED refused=1' "$out" "an unsupported route option is refused"
expect_match "route option 'vrf' is not supported" "$out" "the refusal names the option"
expect_match '198.19.200.0/24 via 198.18.0.254 dev d0 proto keepalived metric 5' \
	"$(nsx n ip route show table 100)" "the route in table 100"
expect_match '^1000:.*fwmark 0x7/0xff lookup 100' "$(nsx n ip rule show)" "the rule"
out=$(nsx n "$NLTOOL" rt d0 del 2>&1) || fail "nltool rt del: $out"
[[ -z $(nsx n ip route show table 100 2>/dev/null) ]] || fail "the route is still in table 100"
nsx n ip rule show | grep -q fwmark && fail "the rule is still there"

log "PASS"
