#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The interfaces of virtual_routes and virtual_rules are tracked, as
# keepalived 2.2.7 tracks them (vrrp.c: a route's dev, a rule's iif and
# oif, unless the entry says no_track). r1 alone, VI_1 on eth0, MASTER, with
#   route 198.18.50.0/24 dev trk0           trk0 down -> FAULT;
#   route 198.18.51.0/24 dev trk2 no_track  trk2 down: no FAULT;
#   rule  from 198.18.60.0/24 oif trk4 table 100   trk4 down -> FAULT;
#   route blackhole 198.18.52.0/24 (no dev): -t warns it cannot be tracked.
# A tracked route or rule deleted by hand while MASTER comes back (vigild
# puts it back at once, without a transition, as it does a VIP; keepalived
# drops to BACKUP and puts it back when it wins the election again); a
# no_track route stays deleted.
# VRRP_IMPL=keepalived runs the same against keepalived 2.2.7 (but for
# vigild's own -t line).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

vrrp_lan r1
vrrp_track_link r1
for pair in "trk2 trk3" "trk4 trk5"; do
	read -r a b <<<"$pair"
	ip -n "$(ns_name r1)" link add "$a" type veth peer name "$b"
	ip -n "$(ns_name r1)" link set "$b" up
	ip -n "$(ns_name r1)" link set "$a" up
done
{
	vrrp_global r1 "$VRRP_IMPL"
	vrrp_instance_conf r1 "$VRRP_IMPL" VI_1 51 150 3 0.1 "198.18.0.100/32" |
		tac | sed '0,/^}$/{/^}$/d}' | tac # the instance's last '}' comes below
	cat <<EOF
	virtual_routes {
		198.18.50.0/24 dev trk0
		198.18.51.0/24 dev trk2 no_track
		blackhole 198.18.52.0/24
	}
	virtual_rules {
		from 198.18.60.0/24 oif trk4 table 100
	}
}
EOF
} >"$T/r1.conf"
if [[ $VRRP_IMPL == vigild ]]; then
	out=$("$VIGILD" -t -f "$T/r1.conf" 2>&1) || fail "vigild -t: $out"
	expect_match "a route without dev cannot be tracked; not tracking it" "$out" \
		"vigild -t on a virtual route without dev"
fi
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
wait_state 5 r1 MASTER
wait_until 3 "the tracked virtual route" nsx r1 sh -c 'ip route show 198.18.50.0/24 | grep -q trk0'

route_back() { nsx r1 sh -c 'ip route show 198.18.50.0/24 | grep -q trk0'; }
rule_back() { nsx r1 sh -c 'ip rule show | grep -q "from 198.18.60.0/24.*lookup 100"'; }
wait_until 3 "the tracked virtual rule" rule_back
wait_until 3 "the no_track virtual route" nsx r1 sh -c 'ip route show 198.18.51.0/24 | grep -q trk2'
n0=$(d_transitions r1 VI_1 | wc -l)
ip -n "$(ns_name r1)" route del 198.18.51.0/24
ip -n "$(ns_name r1)" route del 198.18.50.0/24
wait_until 3 "the tracked virtual route back after a hand delete" route_back
# (vigild handles the deletions in order: had it put the no_track route
# back, it would be there by now. keepalived's new election puts every
# route back, no_track ones too.)
if [[ $VRRP_IMPL == vigild ]] && nsx r1 sh -c 'ip route show 198.18.51.0/24 | grep -q .'; then
	fail "the no_track virtual route was put back"
fi
wait_state 3 r1 MASTER
ip -n "$(ns_name r1)" rule del from 198.18.60.0/24 table 100
wait_until 3 "the tracked virtual rule back after a hand delete" rule_back
wait_state 3 r1 MASTER
if [[ $VRRP_IMPL == vigild ]]; then
	expect_eq "$n0" "$(d_transitions r1 VI_1 | wc -l)" "transitions after the hand deletes"
fi

link_not_tracked r1 trk2 "the interface of a no_track route"
link_tracked r1 trk0 "the interface of a tracked route"
link_tracked r1 trk4 "the oif of a tracked rule"
log "PASS"
