#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vrrp/garp on the wire: garptool announces 3 IPv4 and 2 IPv6 addresses
# (then one more IPv6 with the Router flag) from one end of a veth pair;
# tcpdump on the other end must see one gratuitous ARP per IPv4 address and
# one unsolicited NA per IPv6 address, with our MAC, the right target, hop
# limit 255 and the Override flag.
# GARPTOOL selects the driver (default build-asan/tests/net/garptool).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

GARPTOOL=${GARPTOOL:-$NET_TOP/build-asan/tests/net/garptool}
[[ -x $GARPTOOL ]] || fail "GARPTOOL=$GARPTOOL is not an executable (make check builds it)"
need tcpdump

ns_create a b
veth_link a eth0 b eth0
addr_add a eth0 198.18.0.1/24
addr_add a eth0 fd00:198:18::1/64
addr_add b eth0 198.18.0.2/24

# NAs need the link-local source; it is usable once DAD is over.
ll_ready() { nsx a ip -6 addr show dev eth0 scope link | grep fe80 | grep -qv tentative; }
wait_for 10 "link-local address on a/eth0" ll_ready
mac=$(nsx a cat /sys/class/net/eth0/address)
ll=$(nsx a ip -6 addr show dev eth0 scope link | sed -n 's/.*inet6 \(fe80[^/]*\).*/\1/p')

nsx b tcpdump -i eth0 -nn -U --immediate-mode -w "$T/cap.pcap" 'arp or icmp6' 2>"$T/tcpdump.err" &
tcpdump_pid=$!
_NET_PIDS+=("$tcpdump_pid")
wait_for 10 "tcpdump listening" grep -q "listening on" "$T/tcpdump.err"

v4=(198.18.0.10 198.18.0.11 198.18.0.12)
v6=(fd00:198:18::10 fd00:198:18::11)
expect_rc 0 nsx a "$GARPTOOL" eth0 "${v4[@]}" "${v6[@]}"
expect_eq "arp_sent 3 na_sent 2 errors 0" "$OUT" "garptool counters"
expect_rc 0 nsx a "$GARPTOOL" -r eth0 fd00:198:18::12
expect_eq "arp_sent 0 na_sent 1 errors 0" "$OUT" "garptool counters (router)"

# Without a link-local source an NA is an error, not a crash.
nsx a ip link add x0 type veth peer name x1
nsx a ip link set x0 addrgenmode none
nsx a ip link set x0 up
nsx a ip link set x1 up
expect_rc 1 nsx a "$GARPTOOL" x0 fd00:198:18::13 198.18.0.13
expect_eq "arp_sent 1 na_sent 0 errors 1" "${OUT##*$'\n'}" "garptool counters (no link-local)"
expect_match "NA skipped, no IPv6 source address" "$OUT" "garptool log (no link-local)"

# Wait until the capture has the 3 ARPs and 3 NAs sent on eth0, then stop
# it; one more of either fails the counts below.
frames() {
	local c
	c=$(tcpdump -r "$T/cap.pcap" -nn 2>/dev/null)
	(($(grep -c 'ARP, Request' <<<"$c") >= 3 && $(grep -c 'neighbor advertisement' <<<"$c") >= 3))
}
wait_for 10 "3 ARPs and 3 NAs in the capture" frames
kill -TERM "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true

# -v prints an NA on two lines; join each option line to its packet.
cap=$(tcpdump -r "$T/cap.pcap" -nn -e -v 2>/dev/null | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n\t */ | /g')
log "capture:"$'\n'"$cap"

for ip in "${v4[@]}"; do
	n=$(grep -cF "$mac > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Ethernet (len 6), IPv4 (len 4), Request who-has $ip (ff:ff:ff:ff:ff:ff) tell $ip," <<<"$cap" || true)
	expect_eq 1 "$n" "gratuitous ARPs for $ip from $mac"
done
for ip in "${v6[@]}" fd00:198:18::12; do
	line=$(grep -F "tgt is $ip," <<<"$cap" || true)
	expect_eq 1 "$(grep -c . <<<"$line")" "NAs for $ip"
	expect_match "^[0-9:.]+ $mac > 33:33:00:00:00:01, ethertype IPv6 \(0x86dd\), length 86: " "$line" "NA $ip Ethernet header"
	expect_match "\(hlim 255, next-header ICMPv6 \(58\) payload length: 32\) $ll > ff02::1: \[icmp6 sum ok\] ICMP6, neighbor advertisement, length 32" "$line" "NA $ip IPv6 header, checksum"
	if [[ $ip == fd00:198:18::12 ]]; then
		expect_match "Flags \[router, override\]" "$line" "NA $ip flags"
	else
		expect_match "Flags \[override\]" "$line" "NA $ip flags"
	fi
	expect_match "destination link-address option \(2\), length 8 \(1\): $mac" "$line" "NA $ip target link-layer option"
done
# The address from the interface without link-local went out as ARP only
# (x0 is not on the veth, so nothing of it is in the capture).
grep -qF "fd00:198:18::13" <<<"$cap" && fail "an NA for fd00:198:18::13 was sent"
log "ok: 3 GARPs and 3 NAs as expected"
