#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A reload that only changes a MASTER's VIPs disturbs nothing: r1 (150,
# no_accept, a tracked vrrp_script) is MASTER; SIGHUP with one VIP more
# adds it within a few ms, announces it with a GARP, keeps r1 MASTER with no
# new transition, no gap in its adverts (seen from c1), the script keeps
# running without going back to init, and the no_accept table is not
# recreated (same nftables handle, new contents). A reload removing a VIP
# removes only that one. A BACKUP's reload with a new VIP adds nothing.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump
need nft
[[ $VRRP_IMPL == vigild ]] || { log "SKIP: vigild only (reads vigilctl status)"; exit 0; }

V1=198.18.0.100
V2=198.18.0.101
vrrp_lan
conf() { # conf FILE NAME PRIO VIPS
	{
		vrrp_global "$2" vigild
		cat <<EOC
vrrp_script chk {
	script /bin/true
	interval 0.2
	# A loaded CI machine can take over 200 ms (the default timeout, the
	# interval) to fork and exec /bin/true; the test is not about that.
	timeout 2
}

EOC
		vrrp_instance_conf "$2" vigild VI_1 51 "$3" 3 0.1 "$4" no_accept skip_check_adv_addr \
			"track_script {" "chk" "}"
	} >"$1"
}
conf "$T/r1.conf" r1 150 "$V1/32"
conf "$T/r2.conf" r2 100 "$V1/32"
d_start r1 r1 "$T/r1.conf" vigild
d_start r2 r2 "$T/r2.conf" vigild
wait_vip 5 r1 "$V1"
wait_state 5 r1 MASTER
wait_state 5 r2 BACKUP
handle0=$(ip netns exec "$(ns_name r1)" nft -a list table inet vigil | sed -n 's/.*# handle \([0-9]*\)$/\1/p' | head -1)
[[ -n $handle0 ]] || fail "no nftables table vigil on r1"
runs0=$(vstatus r1 | jget vrrp.track.scripts.0.runs)

cap_start c1 c1
addr_mon_start mon r1
sleep 0.5
conf "$T/r1.conf" r1 150 "$V1/32 $V2/32"
t0=$(now_ms)
kill -HUP "${VPID[r1]}"
wait_vip 3 r1 "$V2"
sleep 1
addr_mon_stop mon
cap_stop c1

add=$(addr_events mon "$V2" | awk '$2 == "add" { print $1; exit }')
[[ -n $add ]] || fail "no address event for $V2"
ms=$(python3 -c "import sys; print('%d' % (float(sys.argv[1]) - float(sys.argv[2])))" "$add" "$t0")
log "VIP $V2 added $ms ms after SIGHUP"
expect_between 0 300 "$ms" "SIGHUP to the new VIP on r1 (ms, includes the config load)"
[[ -z $(addr_events mon "$V1") ]] || fail "$V1 was touched by the reload: $(addr_events mon "$V1")"
expect_state r1 MASTER
expect_eq 1 "$(count_to r1 MASTER)" "times r1 entered MASTER"
expect_eq 1 "$(count_to r1 BACKUP)" "times r1 entered BACKUP (at start only)"
expect_eq 0 "$(count_to r2 MASTER)" "times r2 entered MASTER"
read -r med max < <(advert_gaps_ms c1 198.18.0.1 51)
log "r1 adverts across the reload: median $med ms, max $max ms"
expect_between 0 150 "$max" "largest gap in r1's adverts across the reload (ms)"
n_after=$(adverts c1 198.18.0.1 51 | awk -v v="$V2" 'index($12, v)' | wc -l)
((n_after >= 5)) || fail "r1's adverts do not list $V2 after the reload ($n_after)"
garp=$(cap_lines c1 ARP | awk -v v="$V2" '$6 == v && $7 == v')
[[ -n $garp ]] || fail "no gratuitous ARP for $V2 after the reload"
log "GARPs for $V2: $(wc -l <<<"$garp")"
garp1=$(cap_lines c1 ARP | awk -v v="$V1" '$6 == v && $7 == v')
[[ -z $garp1 ]] || fail "the reload re-announced $V1 (unchanged): $garp1"
# The tracked script kept running, never back to init.
expect_eq ok "$(vstatus r1 | jget vrrp.track.scripts.0.state)" "script state after reload"
runs1=$(vstatus r1 | jget vrrp.track.scripts.0.runs)
((runs1 > runs0)) || fail "script runs went from $runs0 to $runs1 across the reload"
n=$(grep -c "vrrp_script chk: init" "${VLOG[r1]}" || true)
expect_eq 1 "$n" "times the script left init (only at start)"
# The no_accept table was kept, its set now has both VIPs.
handle1=$(ip netns exec "$(ns_name r1)" nft -a list table inet vigil | sed -n 's/.*# handle \([0-9]*\)$/\1/p' | head -1)
expect_eq "$handle0" "$handle1" "nftables table handle (not recreated)"
ip netns exec "$(ns_name r1)" nft list table inet vigil | grep -q "$V2" ||
	fail "the no_accept set lacks $V2: $(ip netns exec "$(ns_name r1)" nft list table inet vigil)"
grep -q "VI_1 updated in place" "${VLOG[r1]}" || fail "no 'updated in place' in r1's log"

# Removing V1: only V1 goes.
addr_mon_start mon2 r1
conf "$T/r1.conf" r1 150 "$V2/32"
kill -HUP "${VPID[r1]}"
wait_no_vip 3 r1 "$V1"
sleep 0.3
addr_mon_stop mon2
expect_vip r1 "$V2"
[[ -z $(addr_events mon2 "$V2") ]] || fail "$V2 was touched: $(addr_events mon2 "$V2")"
expect_state r1 MASTER
expect_eq 1 "$(count_to r1 MASTER)" "times r1 entered MASTER"

# A BACKUP's reload adds nothing to the system.
conf "$T/r2.conf" r2 100 "$V1/32 $V2/32 198.18.0.102/32"
kill -HUP "${VPID[r2]}"
sleep 1
expect_state r2 BACKUP
expect_no_vip r2 198.18.0.102
expect_no_vip r2 "$V2"
expect_eq 0 "$(count_to r2 MASTER)" "times r2 entered MASTER"
log "PASS"
