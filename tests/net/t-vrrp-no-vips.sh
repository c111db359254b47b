#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# no_virtual_ipaddress (keepalived 2.2.8): instances without addresses.
# A) two vigild, VRRPv3, advert_int 0.1, no_virtual_ipaddress: r1 (150) is
#    master, r2 (100) backup for 2 s without a transition; r1's adverts on
#    the wire announce no address (count 0); no drop counted.
# B) vigild r1 (150, VRRPv2, no_virtual_ipaddress) and keepalived 2.2.7 r2
#    (100, VRRPv2 without addresses, which it runs with a warning): r1
#    master, keepalived backup, both ways; then keepalived 200 takes over.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump
[[ -x $KEEPALIVED ]] || fail "needs keepalived ($KEEPALIVED)"

# conf FILE NAME KIND PRIO VERSION ADVERT [EXTRA...]: one instance VI_1, no
# virtual_ipaddress block at all.
conf() {
	local file=$1 name=$2 kind=$3 prio=$4 ver=$5 adv=$6 l
	shift 6
	{
		vrrp_global "$name" "$kind"
		printf 'vrrp_instance VI_1 {\n\tstate BACKUP\n\tinterface eth0\n'
		printf '\tvirtual_router_id 51\n\tpriority %s\n\tversion %s\n\tadvert_int %s\n' \
			"$prio" "$ver" "$adv"
		for l in "$@"; do
			printf '\t%s\n' "$l"
		done
		printf '}\n'
	} >"$file"
}

vrrp_lan

# A) vigild pair, VRRPv3
conf "$T/r1.conf" r1 vigild 150 3 0.1 no_virtual_ipaddress
conf "$T/r2.conf" r2 vigild 100 3 0.1 no_virtual_ipaddress
d_start r1 r1 "$T/r1.conf" vigild
d_start r2 r2 "$T/r2.conf" vigild
wait_state 5 r1 MASTER
wait_state 5 r2 BACKUP
hold_steady a 2 r1 r2
expect_state r2 BACKUP
n=$(adverts a 198.18.0.1 51 | wc -l)
((n >= 10)) || fail "A: only $n adverts from r1 in 2 s"
bad=$(adverts a 198.18.0.1 51 | awk '$7 != 3 || $9 != 150 || $12 != "-"')
[[ -z $bad ]] || fail "A: r1's adverts are not v3, priority 150, without addresses: $bad"
expect_eq 0 "$(adverts a 198.18.0.2 51 | wc -l)" "A: adverts from the backup"
expect_eq "" "$(vigild_drops r2)" "A: drops counted by r2"
log "A: two vigild without addresses: r1 master ($n adverts, count 0), r2 backup"
d_term r1
d_term r2

# B) vigild and keepalived 2.2.7, VRRPv2, advert_int 1
conf "$T/v1.conf" v1 vigild 150 2 1 no_virtual_ipaddress
conf "$T/k2.conf" k2 keepalived 100 2 1
d_start v1 r1 "$T/v1.conf" vigild
d_start k2 r2 "$T/k2.conf" keepalived
wait_state 8 v1 MASTER
wait_state 8 k2 BACKUP
sleep 3
expect_state v1 MASTER
expect_state k2 BACKUP
expect_eq 1 "$(count_to k2 BACKUP)" "B: keepalived entered BACKUP once"
expect_eq "" "$(vigild_drops v1)" "B: drops counted by v1"
log "B: keepalived 2.2.7 (no addresses, VRRPv2) stays backup to vigild"
d_term k2
conf "$T/k3.conf" k3 keepalived 200 2 1
d_start k3 r2 "$T/k3.conf" keepalived
wait_state 8 k3 MASTER
wait_state 8 v1 BACKUP
expect_eq "" "$(vigild_drops v1)" "B: drops counted by v1 as backup"
log "B: keepalived 2.2.7 at 200 takes over; vigild takes its adverts (count 0)"
log "PASS"
