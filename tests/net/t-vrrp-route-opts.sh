#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtual_routes with the ip-route options vigil used to refuse: r1 alone
# becomes MASTER and installs an IPv4 route with rtt/rttvar/rto_min (times
# in keepalived's units, one locked), quickack, features ecn, congctl,
# fastopen_no_cookie and realms, an IPv6 route with pref and expires, and
# an IPv4 route with ttl-propagate;
# `ip -d route show` must read each of them back. When vigild stops, the
# routes are removed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
[[ $VRRP_IMPL == vigild ]] || { log "SKIP: vigild only"; exit 0; }

vrrp_lan r1 c1
{
	vrrp_global r1 vigild
	vrrp_instance_conf r1 vigild VI_1 61 150 3 0.1 "198.18.0.61/24" \
		"virtual_routes {" \
		"	198.18.61.0/24 via 198.18.0.3 dev eth0 rtt lock 300ms rttvar 1s rto_min 250ms quickack 1 features ecn congctl reno fastopen_no_cookie 1 realms 2/3" \
		"	fd00:198:18:61::/64 via fd00:198:18::3 dev eth0 pref high expires 600" \
		"	198.18.62.0/24 dev eth0 ttl-propagate disabled" \
		"}"
} >"$T/r1.conf"

"$VIGILD" -t -f "$T/r1.conf" || fail "vigild -t refuses the configuration"
d_start r1 r1 "$T/r1.conf" vigild
wait_state 5 r1 MASTER

route4() { nsx r1 ip -d route show 198.18.61.0/24; }
route6() { nsx r1 ip -6 -d route show fd00:198:18:61::/64; }
route4b() { nsx r1 ip route show 198.18.62.0/24; }
have4() { [[ -n $(route4) ]]; }
have4b() { [[ -n $(route4b) ]]; }
have6() { [[ -n $(route6) ]]; }
wait_until 5 "the IPv4 virtual route in r1" have4
wait_until 5 "the IPv6 virtual route in r1" have6
# The kernel takes RTA_TTL_PROPAGATE on an IPv4 route (it acts on MPLS
# routes only, and ip does not print it here): the route is installed.
wait_until 5 "the IPv4 route with ttl-propagate in r1" have4b
r4=$(route4)
r6=$(route6)
log "IPv4: $r4"
log "IPv6: $r6"
# ip prints rtt/rttvar/rto_min in time units, lock before the locked one.
want4=("rtt lock 300ms" "rttvar 1s" "rto_min 250ms" "quickack 1" "features ecn"
	"congctl reno" "fastopen_no_cookie 1" "realms 2/3" "proto keepalived")
for w in "${want4[@]}"; do
	grep -qF -- "$w" <<<"$r4" || fail "the IPv4 route lacks '$w': $r4"
done
grep -qF "pref high" <<<"$r6" || fail "the IPv6 route lacks 'pref high': $r6"
# The kernel counts expires down from 600 s.
exp=$(sed -n 's/.* expires \([0-9]*\)sec.*/\1/p' <<<"$r6")
[[ -n $exp ]] || fail "the IPv6 route has no expiry: $r6"
expect_between 590 600 "$exp" "seconds before the IPv6 route expires"

# Stopped: the routes go with the MASTER state.
d_term r1
[[ -z $(route4) ]] || fail "the IPv4 route is still there after r1 stopped: $(route4)"
[[ -z $(route6) ]] || fail "the IPv6 route is still there after r1 stopped: $(route6)"
[[ -z $(route4b) ]] || fail "the ttl-propagate route is still there after r1 stopped"
log "PASS"
