#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# GARP timing as configured, seen from c1:
# A) garp_group on eth0 (garp_interval 0.06, gna_interval 0.08, over the
#    global 0.05), garp_master_repeat 2, garp_master_delay 1,
#    garp_master_refresh 2: at takeover 2 rounds of 3 VIPs (6 GARPs paced
#    60 ms apart) and of 2 IPv6 eVIPs (4 NAs paced 80 ms apart, each from
#    its own address), 6 GARPs more 1 s later, then 3 every 2 s. The test
#    waits for the packets, cuts them into bursts and checks each burst's
#    size and pacing and the time between bursts, with the margins
#    explained where they are checked. vrrp_min_garp: one GARP per VIP,
#    no second set for 6 s (the default set would come after 5 s).
# B) Two masters (r2 cannot hear r1: nftables drops r1's adverts on r2): r1
#    (150) hears r2's lower priority adverts: garp_lower_prio_repeat 2 GARPs
#    for each, notify_master_rx_lower_pri runs, the vrrp_notify_fifo gets
#    MASTER_RX_LOWER_PRI lines. When r2 hears r1 again it answers with one
#    more advert (higher_prio_send_advert: proved with r2's own count of
#    adverts heard, no clock) and yields; r1's delayed set
#    (garp_lower_prio_delay 1) follows 1 s after the last lower advert.
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
mac1=$(mac_of r1)
r1_garps() { cap_lines "$1" ARP | awk -v m="$mac1" '$3 == m && $6 == $7'; }
r1_nas() { cap_lines "$1" NA | awk -v m="$mac1" '$3 == m'; }
# bursts FILE: the GARP lines of FILE cut into bursts, one line per burst:
# "start_ms count span_ms min_gap_ms". Inside a burst the packets are 60
# or 80 ms apart, between bursts 700 ms and more: a gap over 400 ms starts
# a new burst whatever the load.
bursts() {
	awk '
		NR > 1 && $2 - p > 400 { print s, n, p - s, (n > 1 ? m : -1); n = 0 }
		n == 0 { s = $2; m = "" }
		n > 0 { g = $2 - p; if (m == "" || g < m) m = g }
		{ n++; p = $2 }
		END { if (n) print s, n, p - s, (n > 1 ? m : -1) }' "$1" |
		awk '{ printf "%.0f %d %.0f %.0f\n", $1, $2, $3, $4 }'
}
# paced WHAT COUNT SPAN MINGAP N INTERVAL: N packets INTERVAL ms apart.
# The wire (c1) can show one gap shorter than the daemon's: a packet whose
# delivery a loaded machine delays comes closer to the next one. So a
# single gap must be at least half the interval, the whole burst at least
# (N - 1) intervals less half of one: a burst sent at once (gaps ~0) or
# paced at half the interval fails both.
paced() {
	local what=$1 count=$2 span=$3 mingap=$4 n=$5 ivl=$6
	expect_eq "$n" "$count" "$what: packets"
	expect_between $((ivl / 2)) 100000 "$mingap" "$what: smallest gap (ms; interval $ivl)"
	expect_between $(((n - 1) * ivl - ivl / 2)) 100000 "$span" \
		"$what: first to last (ms; $((n - 1)) x $ivl)"
}

cap_start ca c1
d_start r1 r1 "$T/a.conf" vigild
wait_state 5 r1 MASTER
# Takeover (6), the second set (6), two refreshes (3 + 3), and the NAs.
cap_wait 15 ca "18 GARPs from r1" eval 'count_ge 18 r1_garps ca'
cap_wait 5 ca "4 NAs from r1" eval 'count_ge 4 r1_nas ca'
cap_stop ca
d_term r1
r1_garps ca >"$T/a.garp"
r1_nas ca >"$T/a.na"
t0=$(awk 'NR == 1 { print $2 }' "$T/a.garp")
log "GARPs from r1 by time since the first: $(awk -v t="$t0" '{ printf "%d ", $2 - t }' "$T/a.garp")"
bursts "$T/a.garp" >"$T/a.bursts"
log "GARP bursts (start count span min-gap): $(tr '\n' ';' <"$T/a.bursts")"
mapfile -t b <"$T/a.bursts"
((${#b[@]} >= 4)) || fail "only ${#b[@]} GARP bursts from r1: $(tr '\n' ';' <"$T/a.bursts")"
read -r s1 n1 sp1 g1 <<<"${b[0]}"
read -r s2 n2 sp2 g2 <<<"${b[1]}"
read -r s3 n3 sp3 g3 <<<"${b[2]}"
read -r s4 n4 sp4 g4 <<<"${b[3]}"
# garp_master_repeat 2 x 3 VIPs, garp_group garp_interval 60 ms (over
# the global 50), now and again garp_master_delay 1 s later.
paced "GARPs at takeover" "$n1" "$sp1" "$g1" 6 60
paced "GARPs of the second set" "$n2" "$sp2" "$g2" 6 60
# garp_master_refresh 2: one round of the 3 VIPs every 2 s.
paced "GARPs of the first refresh" "$n3" "$sp3" "$g3" 3 60
paced "GARPs of the second refresh" "$n4" "$sp4" "$g4" 3 60
# Timers count from the takeover; the first GARP goes out at it (a few ms
# later, tens under load: hence -100 ms). No timer fires early; +400 ms is
# more than a loaded machine delays one, and less than half of any timer
# here: a delay or refresh off by a whole second fails.
expect_between 900 1400 $((s2 - s1)) "first GARP -> second set (ms; garp_master_delay 1 s)"
expect_between 1900 2400 $((s3 - s1)) "first GARP -> first refresh (ms; garp_master_refresh 2 s)"
expect_between 1900 2400 $((s4 - s3)) "first refresh -> second refresh (ms; garp_master_refresh 2 s)"
# NAs: paced on their own (gna_interval 80 ms), sent from the VIP itself.
log "NAs from r1: $(awk -v t="$t0" '{ printf "%d:%s<-%s ", $2 - t, $7, $4 }' "$T/a.na")"
awk -v t="$t0" '$2 - t < 900' "$T/a.na" >"$T/a.na1"
read -r _ n sp g < <(bursts "$T/a.na1")
paced "NAs at takeover (2 rounds x 2 IPv6 eVIPs)" "$n" "$sp" "$g" 4 80
bad=$(awk '$4 != $7' "$T/a.na")
[[ -z $bad ]] || fail "NAs not sent from their target address: $bad"

# ---- A2: vrrp_min_garp: one GARP per VIP at takeover, nothing later.
{
	vrrp_global r1 vigild vrrp_min_garp
	vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 "198.18.0.100/32 198.18.0.101/32"
} >"$T/a2.conf"
cap_start ca2 c1
d_start r1 r1 "$T/a2.conf" vigild
wait_state 5 r1 MASTER
cap_wait 5 ca2 "2 GARPs from r1" eval 'count_ge 2 r1_garps ca2'
# Without vrrp_min_garp a second set would follow vrrp_garp_master_delay
# (5 s) after the takeover: watch until 6 s after the first GARP.
# shellcheck disable=SC2034 # read in the eval below
t1=$(r1_garps ca2 | awk 'NR == 1 { printf "%d\n", $2 }')
wait_until 10 "6 s after the first GARP" eval '(($(now_ms) > t1 + 6000))'
cap_stop ca2
expect_eq 2 "$(vstatus r1 | jget vrrp.garp.arp_sent)" "GARPs r1 counted with vrrp_min_garp"
d_term r1
n=$(r1_garps ca2 | wc -l)
expect_eq 2 "$n" "GARPs with vrrp_min_garp (one per VIP, no second set within 6 s)"

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
# Two masters until r1 has heard several of r2's adverts and run its
# notify_master_rx_lower_pri script for them.
lower_runs() { wc -l <"$T/lower.out" 2>/dev/null || echo 0; }
wait_until 10 "notify_master_rx_lower_pri to run 3 times" eval '(($(lower_runs) >= 3))'
nsx r2 nft delete table inet t
wait_state 5 r2 BACKUP
# The delayed set: garp_lower_prio_delay (1 s) after the last lower advert.
late_garps() {
	local l
	l=$(adverts cb 198.18.0.2 51 | awk '$9 > 0 { t = $2 } END { print t }')
	cap_lines cb ARP | awk -v m="$mac1" -v t="$l" '$3 == m && $6 == $7 && $2 - t >= 900' | grep -c .
}
cap_wait 10 cb "the delayed GARP set of r1" eval '(($(late_garps) >= 2))'
echo 5 >"$T/tf"
wait_until 5 "MASTER_PRIORITY 155 in the FIFO" grep -q '^INSTANCE "VI_1" MASTER_PRIORITY 155$' "$T/fifo.out"
# Let a stray third GARP of the delayed set show: wait for 5 more adverts
# of r1 after the set (500 ms, the set is sent at once).
t_set=$(cap_lines cb ARP | awk -v m="$mac1" '$3 == m && $6 == $7 { t = $2 } END { printf "%d\n", t }')
r1_after_set() { adverts cb 198.18.0.1 51 | awk -v t="$t_set" '$2 > t' | grep -c .; }
cap_wait 5 cb "5 adverts of r1 after the delayed set" eval '(($(r1_after_set) >= 5))'
expect_state r1 MASTER
# higher_prio_send_advert: r2, a master hearing r1's higher priority, sends
# one more advert before it yields; without it, it falls silent at the
# first advert of r1 it hears. Which adverts r2 heard is in its own
# counter (it heard none before the filter went): freeze r1 and wait
# until r2 takes over again, which it does only once it has read every
# advert r1 sent. With the answer r2 heard at least one advert of r1
# before its last advert (H > A below); without it, only later ones.
# No clock is involved.
kill -STOP "${VPID[r1]}"
wait_until 2 "r1 stopped" stopped "${VPID[r1]}"
t_freeze=$(now_ms)
wait_state 5 r2 MASTER
heard=$(vinst r2 VI_1 counters.adverts_received)
nl=$(lower_runs)
cap_stop cb
d_term r2
kill -CONT "${VPID[r1]}"
cap_lines cb ARP | awk -v m="$mac1" '$3 == m && $6 == $7' >"$T/b.garp"
adverts cb 198.18.0.2 51 | awk -v t="$t_freeze" '$2 < t' >"$T/b.r2"
adverts cb 198.18.0.1 51 >"$T/b.r1"
n2=$(awk '$9 > 0' "$T/b.r2" | wc -l)
last2=$(awk '$9 > 0 { t = $2 } END { print t }' "$T/b.r2")
first2=$(awk '$9 > 0 { print $2; exit }' "$T/b.r2")
after=$(awk -v t="$last2" '$9 > 0 && $2 > t' "$T/b.r1" | wc -l)
log "r2 heard $heard adverts of r1, $after of them sent after r2's last advert"
((heard > after)) ||
	fail "r2 sent its last advert before hearing r1 (heard $heard, $after after its last advert): no higher_prio_send_advert answer"
# r1 answers each lower advert it reads; on a loaded machine it may read
# the last one late, so the count runs to 500 ms after it (the delayed set
# comes 1 s after it).
n_split=$(awk -v a="$first2" -v b="$last2" '$2 >= a && $2 <= b + 500' "$T/b.garp" | wc -l)
log "r2 sent $n2 adverts as master; r1 sent $n_split GARPs meanwhile"
# Each lower advert heard: 2 GARPs.
expect_between $((2 * n2 - 4)) $((2 * n2 + 2)) "$n_split" "GARPs of r1 while r2 was a second master"
later=$(awk -v t="$last2" '$2 - t >= 900' "$T/b.garp" | wc -l)
expect_eq 2 "$later" "GARPs of the delayed set 1 s after the last lower advert"
t_late=$(awk -v t="$last2" '$2 - t >= 900 { print $2; exit }' "$T/b.garp")
expect_between 900 1400 "$(python3 -c "print(int($t_late - $last2))")" \
	"last lower advert -> delayed set (ms; garp_lower_prio_delay 1 s)"
log "notify_master_rx_lower_pri ran $nl times"
((nl >= 3)) || fail "notify_master_rx_lower_pri ran $nl times"
grep -q '^INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150$' "$T/fifo.out" ||
	fail "no MASTER_RX_LOWER_PRI line in the FIFO: $(head -5 "$T/fifo.out")"
log "PASS"
