#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Traffic through services vigild programmed: a client reaches two real
# servers (busybox httpd, each serving its own name) through the VIP, which
# vigild's VRRP instance holds on the director.
#
#   client 198.18.5.2 --- 198.18.5.1 director 198.18.0.1 (+ VIP 198.18.0.10)
#                                       |  LAN 198.18.0.0/24 (eth0)
#                              real1 198.18.0.2   real2 198.18.0.3
#
# NAT (VIP:80, rr): the director rewrites the destination; the real
# servers route back through it (their default route) and every answer
# comes back from the VIP. Four requests: two answers from each server.
#
# DR (VIP:8080, rr): the director forwards the frame unchanged to a real
# server's MAC; the real servers hold the VIP on lo (arp_ignore=1,
# arp_announce=2: they never answer ARP for it) and answer the client from
# the VIP themselves: their httpd listens on VIP:8080 only, so only a
# forwarded packet still addressed to the VIP reaches it. The answers cross
# the director merely as the LAN's router to the client's subnet; since they
# come from the VIP, also the director's own address, the director needs
# accept_local=1 to route them. Four requests: two answers from each server.
# shellcheck source=../lib.sh
. "$VMTEST_LIB"
need ipvsadm wget httpd
need_module ip_vs ip_vs_rr

VIP=198.18.0.10
hosts_on_lan director real1 real2
ns_create client
veth_link client eth0 director ext0
addr_add client eth0 198.18.5.2/24
addr_add director ext0 198.18.5.1/24
route_add client default 198.18.5.1
ns_sysctl director net.ipv4.ip_forward=1 net.ipv4.conf.all.accept_local=1 \
	net.ipv4.conf.eth0.accept_local=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
for r in real1 real2; do
	route_add "$r" default 198.18.0.1
	ns_sysctl "$r" net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
	ip -n "$r" addr add "$VIP/32" dev lo || fail "VIP on $r's lo"
	http_server "$r-nat" "$r" 0.0.0.0 80 "$r"
	http_server "$r-dr" "$r" "$VIP" 8080 "$r"
done

cat >"$T/director.conf" <<CONF
vrrp_instance VI_1 {
	state MASTER
	interface eth0
	virtual_router_id 51
	priority 150
	advert_int 1
	virtual_ipaddress {
		$VIP/32
	}
}

virtual_server $VIP 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server 198.18.0.2 80 {
		weight 1
	}
	real_server 198.18.0.3 80 {
		weight 1
	}
}

virtual_server $VIP 8080 {
	lb_algo rr
	lb_kind DR
	protocol TCP
	real_server 198.18.0.2 8080 {
		weight 1
	}
	real_server 198.18.0.3 8080 {
		weight 1
	}
}
CONF
vigild_start director director "$T/director.conf"
has_vip() { ip -n director -o addr show dev eth0 | grep -q " $VIP/32 "; }
wait_for 10 "the VIP on the director (VRRP master)" has_vip
svcs_in_kernel() { [[ $(ipvs director -Ln | grep -c "^TCP  *$VIP:") == 2 ]]; }
wait_for 10 "the services in the kernel: $(ipvs director -Ln | tr '\n' ' ')" svcs_in_kernel
log "ipvsadm -Ln:"$'\n'"$(ipvs director -Ln)"

# fetch PORT N: N answers through the VIP, one per line.
fetch() {
	local i body
	for ((i = 0; i < $2; i++)); do
		body=$(http_get client "http://$VIP:$1/" 5) || fail "GET http://$VIP:$1/ #$((i + 1)) failed"
		echo "$body"
	done
}

got=$(fetch 80 4 | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')
log "NAT answers: $got"
expect_eq "real1=2 real2=2 " "$got" "NAT answers by server (rr)"

got=$(fetch 8080 4 | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')
log "DR answers: $got"
expect_eq "real1=2 real2=2 " "$got" "DR answers by server (rr)"

# The kernel folds its per-CPU counters into these totals every 2 s (its
# estimator timer, later on a loaded VM): wait until both show 4, then
# check them once more (an overshoot, more connections than made, fails).
four_each() {
	local st
	st=$(ipvs director -Ln --stats)
	grep -qE "^TCP +$VIP:8080 +4 " <<<"$st" && grep -qE "^TCP +$VIP:80 +4 " <<<"$st"
}
wait_for 15 "4 connections on each service in --stats: $(ipvs director -Ln --stats | tr '\n' ' ')" four_each
st=$(ipvs director -Ln --stats)
log "ipvsadm -Ln --stats:"$'\n'"$st"
expect_match "^TCP +$VIP:8080 +4 " "$st" "DR service: 4 connections"
expect_match "^TCP +$VIP:80 +4 " "$st" "NAT service: 4 connections"
pass "NAT and DR through vigild's services: 2 answers from each real server on each"
