#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# GARP timing as configured, seen from c1:
# A) garp_group on eth0 (garp_interval 0.06, gna_interval 0.08, over the
#    global 0.05), garp_master_repeat 2, garp_master_delay 1,
#    garp_master_refresh 2: at takeover 2 rounds of 3 VIPs (6 GARPs, >= 60
#    ms apart) and of 2 IPv6 eVIPs (4 NAs >= 80 ms apart, each from its own
#    address), 6 GARPs more 1 s later, then 3 every 2 s. vrrp_min_garp: one
#    GARP per VIP, no second set.
# B) Two masters (r2 cannot hear r1: nftables drops r1's adverts on r2): r1
#    (150) hears r2's lower priority adverts: garp_lower_prio_repeat 2 GARPs
#    for each, notify_master_rx_lower_pri runs, the vrrp_notify_fifo gets
#    MASTER_RX_LOWER_PRI lines. When r2 hears r1 again it answers with one
#    more advert at once (higher_prio_send_advert) and yields; r1's delayed
#    set (garp_lower_prio_delay 1) follows 1 s after the last lower advert.
#    A tracked file raising r1's priority writes MASTER_PRIORITY 155
#    (notify_priority_changes).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump
need nft
[[ $VRRP_IMPL == vigild ]] || { log "SKIP: vigild only"; exit 0; }

vrrp_lan
# ---- A
{
	vrrp_global r1 vigild "vrrp_garp_interval 0.05" "vrrp_gna_interval 0.05"
	printf 'garp_group {\n\tgarp_interval 0.06\n\tgna_interval 0.08\n\tinterface eth0\n}\n\n'
	vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 "198.18.0.100/32 198.18.0.101/32 198.18.0.102/32" \
		"garp_master_repeat 2" "garp_master_delay 1" "garp_master_refresh 2" \
		"virtual_ipaddress_excluded {" "fd00:198:18::100/64 -nodad" "fd00:198:18::101/64 -nodad" "}"
} >"$T/a.conf"
cap_start ca c1
d_start r1 r1 "$T/a.conf" vigild
wait_state 5 r1 MASTER
sleep 4.6
cap_stop ca
d_term r1
mac1=$(mac_of r1)
cap_lines ca ARP | awk -v m="$mac1" '$3 == m && $6 == $7' >"$T/a.garp"
t0=$(awk 'NR == 1 { print $2 }' "$T/a.garp")
[[ -n $t0 ]] || fail "no GARP from r1"
win() { awk -v t="$t0" -v a="$1" -v b="$2" '$2 - t >= a && $2 - t < b' "$T/a.garp" | wc -l; }
log "GARPs from r1 by time since the first: $(awk -v t="$t0" '{ printf "%d ", $2 - t }' "$T/a.garp")"
expect_eq 6 "$(win 0 600)" "GARPs at takeover (2 rounds x 3 VIPs)"
expect_eq 6 "$(win 900 1700)" "GARPs of the second set (garp_master_delay 1)"
expect_eq 3 "$(win 1800 2600)" "GARPs of the first refresh (garp_master_refresh 2)"
expect_eq 3 "$(win 3800 4600)" "GARPs of the second refresh"
min=$(awk 'NR > 1 { g = $2 - p; if (m == "" || g < m) m = g } { p = $2 } END { printf "%d\n", m }' "$T/a.garp")
expect_between 55 100000 "$min" "smallest gap between GARPs (garp_group garp_interval 60 ms)"
# NAs: paced on their own (gna_interval 80 ms), sent from the VIP itself.
cap_lines ca NA | awk -v m="$mac1" '$3 == m' >"$T/a.na"
log "NAs from r1: $(awk -v t="$t0" '{ printf "%d:%s<-%s ", $2 - t, $7, $4 }' "$T/a.na")"
n=$(awk -v t="$t0" '$2 - t < 600' "$T/a.na" | wc -l)
expect_eq 4 "$n" "NAs at takeover (2 rounds x 2 IPv6 eVIPs)"
bad=$(awk '$4 != $7' "$T/a.na")
[[ -z $bad ]] || fail "NAs not sent from their target address: $bad"
min=$(awk 'NR > 1 { g = $2 - p; if (m == "" || g < m) m = g } { p = $2 } END { printf "%d\n", m }' "$T/a.na")
expect_between 75 100000 "$min" "smallest gap between NAs (garp_group gna_interval 80 ms)"

# ---- A2: vrrp_min_garp: one GARP per VIP at takeover, nothing later.
{
	vrrp_global r1 vigild vrrp_min_garp
	vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 "198.18.0.100/32 198.18.0.101/32"
} >"$T/a2.conf"
cap_start ca2 c1
d_start r1 r1 "$T/a2.conf" vigild
wait_state 5 r1 MASTER
sleep 2
cap_stop ca2
d_term r1
n=$(cap_lines ca2 ARP | awk -v m="$mac1" '$3 == m && $6 == $7' | wc -l)
expect_eq 2 "$n" "GARPs with vrrp_min_garp (one per VIP, no second set)"

# ---- B
cat >"$T/fifo.sh" <<EOS
#!/bin/sh
exec cat "\$1" >>"$T/fifo.out"
EOS
cat >"$T/lower.sh" <<EOS
#!/bin/sh
echo lower >>"$T/lower.out"
EOS
chmod 755 "$T/fifo.sh" "$T/lower.sh"
echo 0 >"$T/tf"
{
	vrrp_global r1 vigild "vrrp_notify_fifo $T/notify.fifo" "vrrp_notify_fifo_script $T/fifo.sh"
	printf 'track_file tf {\n\tfile %s\n\tweight 1\n}\n\n' "$T/tf"
	vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 "198.18.0.100/32" \
		"garp_master_repeat 1" "garp_master_delay 0" "garp_lower_prio_repeat 2" \
		"garp_lower_prio_delay 1" "notify_master_rx_lower_pri $T/lower.sh" \
		"notify_priority_changes" "track_file {" "tf" "}"
} >"$T/b1.conf"
{
	vrrp_global r2 vigild
	vrrp_instance_conf r2 vigild VI_1 51 100 3 0.1 "198.18.0.100/32" higher_prio_send_advert
} >"$T/b2.conf"
nsx r2 nft add table inet t
nsx r2 nft add chain inet t in '{ type filter hook input priority -300; }'
nsx r2 nft add rule inet t in ip saddr 198.18.0.1 ip protocol 112 drop
cap_start cb c1
d_start r1 r1 "$T/b1.conf" vigild
wait_state 5 r1 MASTER
d_start r2 r2 "$T/b2.conf" vigild
wait_state 5 r2 MASTER
sleep 1.5
nsx r2 nft delete table inet t
wait_state 5 r2 BACKUP
sleep 2
echo 5 >"$T/tf"
sleep 0.5
cap_stop cb
expect_state r1 MASTER
cap_lines cb ARP | awk -v m="$mac1" '$3 == m && $6 == $7' >"$T/b.garp"
adverts cb 198.18.0.2 51 >"$T/b.r2"
adverts cb 198.18.0.1 51 >"$T/b.r1"
n2=$(awk '$9 > 0' "$T/b.r2" | wc -l)
last2=$(awk '$9 > 0 { t = $2 } END { print t }' "$T/b.r2")
first2=$(awk '$9 > 0 { print $2; exit }' "$T/b.r2")
n_split=$(awk -v a="$first2" -v b="$last2" '$2 >= a && $2 <= b + 50' "$T/b.garp" | wc -l)
log "r2 sent $n2 adverts as master; r1 sent $n_split GARPs meanwhile"
# Each lower advert heard: 2 GARPs.
expect_between $((2 * n2 - 4)) $((2 * n2 + 2)) "$n_split" "GARPs of r1 while r2 was a second master"
# higher_prio_send_advert: r2's last advert answers one of r1's at once.
prev=$(awk -v t="$last2" '$2 <= t { p = $2 } END { print p }' "$T/b.r1")
d=$(python3 -c "import sys; print('%d' % (float(sys.argv[1]) - float(sys.argv[2])))" "$last2" "$prev")
gap=$(awk '$9 > 0 { if (p != "") g = $2 - p; p = $2 } END { printf "%d\n", g }' "$T/b.r2")
log "r2's last advert: $d ms after one of r1, $gap ms after its previous one"
expect_between 0 10 "$d" "r2's last advert after r1's (higher_prio_send_advert)"
later=$(awk -v t="$last2" '$2 - t >= 900 && $2 - t < 1400' "$T/b.garp" | wc -l)
expect_eq 2 "$later" "GARPs of the delayed set 1 s after the last lower advert"
nl=$(wc -l <"$T/lower.out")
log "notify_master_rx_lower_pri ran $nl times"
((nl >= 3)) || fail "notify_master_rx_lower_pri ran $nl times"
grep -q '^INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150$' "$T/fifo.out" ||
	fail "no MASTER_RX_LOWER_PRI line in the FIFO: $(head -5 "$T/fifo.out")"
grep -q '^INSTANCE "VI_1" MASTER_PRIORITY 155$' "$T/fifo.out" ||
	fail "no MASTER_PRIORITY 155 line in the FIFO: $(grep -v LOWER "$T/fifo.out")"
log "PASS"
