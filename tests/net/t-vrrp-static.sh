#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# static_ipaddress, static_routes, static_rules and track_group, as
# keepalived 2.2.7 handles them (vrrp_daemon.c, vrrp_static_track.c,
# keepalived_netlink.c). r1 alone, VI_1 on eth0 (MASTER), track_group TG = VI_1:
#   198.18.70.1/24 dev eth0            removed by hand: put back at once;
#   198.18.70.3/32 dev eth0 no_track   removed by hand: stays out;
#   route 198.18.72.0/24 ... table 100 track_group TG and rule from
#   198.18.73.0/24 ... track_group TG deleted by hand: put back; the IPv6
#   route and rule (no track_group in their family) deleted: stay out;
#   198.18.70.2/32 dev trk0 track_group TG   trk0 down: VI_1 FAULT, up: MASTER;
#   route 198.18.71.0/24 dev trk2      trk2 down (the kernel drops it) and up:
#                                      put back;
#   route 198.18.72.0/24 via 198.18.0.254 dev eth0 table 100;
#   rule  from 198.18.73.0/24 table 100 priority 1000.
# All are there at start; a reload that drops the 72 route and adds
# 198.18.70.4 changes only those two (ip monitor); a stop removes them all.
# VRRP_IMPL=keepalived runs the same against keepalived 2.2.7 (but for
# vigild's status and log lines).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

vrrp_lan r1
vrrp_track_link r1
NS=$(ns_name r1)
ip -n "$NS" link add trk2 type veth peer name trk3
ip -n "$NS" link set trk3 up
ip -n "$NS" link set trk2 up

statics() { # statics WITH_72_ROUTE WITH_70_4
	cat <<EOF
track_group TG {
	group {
		VI_1
	}
}
static_ipaddress {
	198.18.70.1/24 dev eth0
	198.18.70.2/32 dev trk0 track_group TG
	198.18.70.3/32 dev eth0 no_track
EOF
	[[ $2 == yes ]] && printf '\t198.18.70.4/32 dev eth0\n'
	cat <<EOF
}
static_routes {
	198.18.71.0/24 dev trk2
EOF
	[[ $1 == yes ]] && printf '\t198.18.72.0/24 via 198.18.0.254 dev eth0 table 100 track_group TG\n'
	cat <<EOF
	fd00:198:18:72::/64 via fd00:198:18::254 dev eth0
}
static_rules {
	from 198.18.73.0/24 iif eth0 table 100 priority 1000 track_group TG
	from fd00:198:18:73::/64 table 100 priority 1001
}
EOF
}
conf() {
	vrrp_global r1 "$VRRP_IMPL"
	statics "$@"
	vrrp_instance_conf r1 "$VRRP_IMPL" VI_1 51 150 3 0.1 "198.18.0.100/32"
}
conf yes no >"$T/r1.conf"
conf no yes >"$T/r1-new.conf"
if [[ $VRRP_IMPL == vigild ]]; then
	out=$("$VIGILD" -t -f "$T/r1.conf" 2>&1) || fail "vigild -t: $out"
	! grep -E "'(static_[a-z]*|track_group)' is accepted but has no effect" <<<"$out" ||
		fail "vigild -t still says 'no effect': $out"
fi

has_route() { # has_route PREFIX [TABLE]
	local f=-4
	[[ $1 == *:* ]] && f=-6
	ip -n "$NS" "$f" route show table "${2:-main}" "$1" | grep -q .
}
has_rule() { ip -n "$NS" rule show | grep -q "^1000:.*from 198.18.73.0/24 iif eth0 lookup 100"; }
has_rule6() { ip -n "$NS" -6 rule show | grep -q "^1001:.*from fd00:198:18:73::/64 lookup 100"; }
all_there() {
	has_vip r1 198.18.70.1 && has_vip r1 198.18.70.2 && has_vip r1 198.18.70.3 &&
		has_route 198.18.71.0/24 && has_route 198.18.72.0/24 100 && has_rule &&
		has_route fd00:198:18:72::/64 && has_rule6
}

d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
wait_for 5 "every static entry set" all_there
wait_state 5 r1 MASTER
log "start: the static addresses, routes and rule are set"
if [[ $VRRP_IMPL == vigild ]]; then
	# Set before the instances start, as keepalived (start_vrrp).
	set_at=$(grep -n "static address(es), route(s) and rule(s) set" "${VLOG[r1]}" | cut -d: -f1)
	started_at=$(grep -n "instance(s) started" "${VLOG[r1]}" | cut -d: -f1)
	[[ -n $set_at && -n $started_at && $set_at -lt $started_at ]] ||
		fail "static entries not set before the instances started (lines '$set_at' '$started_at')"
	wait_status 3 r1 vrrp.static.7.state set
	expect_eq "rule" "$(vstatus r1 | jget vrrp.static.6.kind)" "status: the 7th entry is a rule"
	out=$(ctl r1 status)
	expect_match "static route 198.18.72.0/24 via 198.18.0.254 dev eth0 table 100  set" "$out" \
		"vigilctl status lists the static entries"
fi

nsx r1 ip addr del 198.18.70.1/24 dev eth0
wait_vip 3 r1 198.18.70.1
log "a static address removed by hand is put back"
nsx r1 ip addr del 198.18.70.3/32 dev eth0
if [[ $VRRP_IMPL == vigild ]]; then
	wait_until 3 "vigild to restore 70.1 (and not 70.3)" \
		grep -q "static address 198.18.70.1/24 dev eth0 was removed: restoring it" "${VLOG[r1]}"
	expect_eq 1 "$(vstatus r1 | jget vrrp.static.0.restores)" "restores of 198.18.70.1"
else
	sleep 1 # keepalived says nothing: a re-add would be done by now
fi
expect_no_vip r1 198.18.70.3
log "a no_track static address removed by hand stays out"

# keepalived watches the routes (rules) of a family only when one of them
# has a track_group (or an instance has virtual routes / rules of it): then
# a static route or rule deleted by hand is put back, otherwise it is not.
nsx r1 ip route del 198.18.72.0/24 table 100
wait_for 3 "the static route deleted by hand to be back" has_route 198.18.72.0/24 100
log "a static route deleted by hand is put back (an IPv4 route has a track_group)"
nsx r1 ip rule del priority 1000
wait_for 3 "the static rule deleted by hand to be back" has_rule
log "a static rule deleted by hand is put back (an IPv4 rule has a track_group)"
nsx r1 ip -6 route del fd00:198:18:72::/64
nsx r1 ip -6 rule del priority 1001
sleep 1 # a restore would be done by now (the IPv4 ones took milliseconds)
! has_route fd00:198:18:72::/64 || fail "the IPv6 static route was put back: no IPv6 route has a track_group"
! has_rule6 || fail "the IPv6 static rule was put back: no IPv6 rule has a track_group"
log "IPv6 static route and rule deleted by hand stay out (no track_group in that family)"

ip -n "$NS" link set trk2 down
wait_for 3 "the kernel to drop the route of trk2" bash -c "! ip -n $NS route show 198.18.71.0/24 | grep -q ."
expect_state r1 MASTER # no track_group on the route: nothing tracks trk2
ip -n "$NS" link set trk2 up
wait_for 3 "the static route back with its interface" has_route 198.18.71.0/24
log "a static route dropped with its interface is put back when it comes up"

link_tracked r1 trk0 "the interface of a track_group static address"
has_vip r1 198.18.70.2 || fail "198.18.70.2 lost"
ip -n "$NS" link del trk0
wait_state 3 r1 FAULT
log "the interface of a track_group static address deleted: FAULT"
ip -n "$NS" link add trk0 type veth peer name trk1
ip -n "$NS" link set trk1 up
ip -n "$NS" link set trk0 up
wait_state 5 r1 MASTER
wait_vip 3 r1 198.18.70.2
log "the interface back: MASTER, the address is put back"

# Reload: only the difference.
ip -ts -n "$NS" monitor address route rule >"$T/mon.txt" 2>&1 &
MONPID=$!
_NET_PIDS+=("$MONPID")
sleep 0.2
cp "$T/r1-new.conf" "$T/r1.conf"
if [[ $VRRP_IMPL == vigild ]]; then
	gen=$(vstatus r1 | jget config.generation)
	kill -HUP "${VPID[r1]}"
	wait_status 5 r1 config.generation $((gen + 1))
else
	kill -HUP "${VPID[r1]}"
fi
wait_vip 5 r1 198.18.70.4
wait_for 3 "the dropped route gone" bash -c "! ip -n $NS route show table 100 198.18.72.0/24 | grep -q ."
sleep 0.5 # anything else the reload would touch is done by now
kill -TERM "$MONPID" 2>/dev/null || true
wait "$MONPID" 2>/dev/null || true
changes=$(grep -E "198\.18\.7[0-3]\." "$T/mon.txt" | grep -v "inet6" || true)
log "ip monitor during the reload:"
sed 's/^/    /' <<<"$changes" >&2
grep -q "198.18.70.4" <<<"$changes" || fail "the reload did not add 198.18.70.4"
grep -q "Deleted .*198.18.72.0/24" <<<"$changes" || fail "the reload did not remove the 72 route"
n=$(grep -cvE "198\.18\.70\.4|198\.18\.72\.0/24" <<<"$changes" || true)
[[ $n -eq 0 ]] || fail "the reload touched unchanged entries: $(grep -vE '198\.18\.70\.4|198\.18\.72\.0/24' <<<"$changes")"
all_kept() {
	has_vip r1 198.18.70.1 && has_vip r1 198.18.70.2 && has_route 198.18.71.0/24 && has_rule
}
all_kept || fail "an unchanged entry is missing after the reload"
log "reload: one address added, one route removed, nothing else touched"

d_term r1
for a in 198.18.70.1 198.18.70.2 198.18.70.4; do
	expect_no_vip r1 "$a"
done
! has_route 198.18.71.0/24 || fail "static route left after stop"
! has_rule || fail "static rule left after stop"
log "stop: every static entry removed"
log "PASS"
