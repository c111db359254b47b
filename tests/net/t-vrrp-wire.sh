#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Ten VIPs on one instance: the advert lists all ten; at a takeover (kill -9
# of the master r1) every one of them is announced by gratuitous ARP from
# the new master's MAC, none from anybody else's, and r2 holds all ten.
# With the default GARP settings each VIP gets 5 GARPs at once and 5 more
# after 5 s (vrrp_garp_master_repeat / vrrp_garp_master_delay).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump

vips=()
for i in $(seq 100 109); do
	vips+=("198.18.0.$i")
done
list=$(printf '%s/32 ' "${vips[@]}")
vrrp_lan
vrrp_simple_conf "$T/r1.conf" r1 "$VRRP_IMPL" 51 150 3 0.1 "$list"
vrrp_simple_conf "$T/r2.conf" r2 "$VRRP_IMPL" 51 100 3 0.1 "$list"
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
wait_state 5 r1 MASTER
wait_state 3 r2 BACKUP
for v in "${vips[@]}"; do
	wait_vip 2 r1 "$v"
	wait_no_vip 2 r2 "$v"
done
sleep 0.5
expect_state r1 MASTER
expect_state r2 BACKUP

cap_start w c1
cap_wait 5 w "3 adverts from r1" count_ge 3 adverts w 198.18.0.1 51
d_kill9 r1
wait_state 3 r2 MASTER
for v in "${vips[@]}"; do
	wait_vip 2 r2 "$v"
done
# keepalived's defaults: vrrp_garp_master_repeat 5 at the transition, the
# same again vrrp_garp_master_delay (5 s) later: wait for 10 GARPs of
# every VIP (then for 2 more adverts, for a stray eleventh to show).
mac2=$(mac_of r2)
all_ten() {
	cap_lines w ARP | awk -v m="$mac2" '$3 == m && $6 == $7 { n[$6]++ }
		END { k = 0; for (v in n) if (n[v] >= 10) k++; exit k == 10 ? 0 : 1 }'
}
cap_wait 12 w "10 GARPs from r2 for each of the 10 VIPs" all_ten
t_all=$(now_ms)
r2_since() { adverts w 198.18.0.2 51 | awk -v t="$t_all" '$2 > t' | grep -c .; }
cap_wait 5 w "2 adverts from r2 after the second set" eval '(($(r2_since) >= 2))'
cap_stop w
want=$(printf '%s\n' "${vips[@]}" | sort | tr '\n' ',' | sed 's/,$//')
got=$(adverts w 198.18.0.1 51 | awk 'NR == 1 { print $12 }' | tr ',' '\n' | sort | tr '\n' ',' | sed 's/,$//')
expect_eq "$want" "$got" "addresses in r1's advert"
got=$(adverts w 198.18.0.2 51 | awk 'NR == 1 { print $12 }' | tr ',' '\n' | sort | tr '\n' ',' | sed 's/,$//')
expect_eq "$want" "$got" "addresses in r2's advert"
first2=$(adverts w 198.18.0.2 51 | awk '!d { print $2; d = 1 }')
missing=()
for v in "${vips[@]}"; do
	t=$(cap_lines w ARP | awk -v m="$mac2" -v v="$v" '$3 == m && $5 == m && $6 == v && $7 == v && !d { print $2; d = 1 }')
	if [[ -z $t ]]; then
		missing+=("$v")
	fi
done
((${#missing[@]} == 0)) || fail "no gratuitous ARP from r2 ($mac2) for: ${missing[*]}"
# From the takeover on (r1's last advert): before it r1 was master and
# may have sent its own second set (5 s after its start) into the capture.
last1=$(adverts w 198.18.0.1 51 | awk '$9 > 0 { t = $2 } END { print t }')
other=$(cap_lines w ARP | awk -v m="$mac2" -v t="$last1" '$2 > t && $6 == $7 && $3 != m')
[[ -z $other ]] || fail "gratuitous ARP from another MAC than r2's after the takeover: $(head -n3 <<<"$other")"
# Per VIP: at least 5 in the first second (the burst), and at least 5 more
# between 4.5 and 6 s after the first advert (the second set).
short=$(cap_lines w ARP | awk -v m="$mac2" -v t0="$first2" '
	$3 == m && $6 == $7 { d = $2 - t0; if (d < 1000) a[$6]++; else if (d >= 4500 && d < 6000) b[$6]++; seen[$6] = 1 }
	END { for (v in seen) if (a[v] < 5 || b[v] < 5) printf "%s:%d+%d ", v, a[v], b[v] }')
[[ -z $short ]] || fail "GARPs per VIP (first burst + second set) below keepalived's default 5+5: $short"
last=$(cap_lines w ARP | awk -v m="$mac2" '$3 == m && $6 == $7 { t = $2 } END { print t }')
firstg=$(cap_lines w ARP | awk -v m="$mac2" '$3 == m && $6 == $7 && !d { print $2; d = 1 }')
log "r2: first advert at 0, GARPs for 10 VIPs from +$(python3 -c "print(int($firstg - $first2))") to +$(python3 -c "print(int($last - $first2))") ms ($(cap_lines w ARP | awk -v m="$mac2" '$3 == m' | wc -l) ARP packets)"
ms=$(takeover_ms w 198.18.0.1 198.18.0.2 51)
report_time "10 VIPs kill -9: last r1 advert -> first r2 advert" "$ms" "$(master_down_ms 100 100)"
vrrp_check_drops
log "PASS"
