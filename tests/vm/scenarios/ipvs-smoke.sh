#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The VM tier works: the kernel has IPVS and ipvsadm can program it, vigild
# runs and checks a configuration, and a TCP connection (HTTP) from a client
# namespace reaches a real server through an IPVS NAT service on a director
# namespace, over IPv4 and IPv6.
#
#   client 198.18.0.2 --- 198.18.0.1 (VIP) director 198.18.1.254 --- 198.18.1.1 real
#          fd00:198:18::2  fd00:198:18::1      fd00:198:18:1::fe  fd00:198:18:1::1
# shellcheck source=../lib.sh
. "$VMTEST_LIB"

need_module ip_vs ip_vs_rr
[[ -r /proc/net/ip_vs ]] || fail "/proc/net/ip_vs is missing after loading ip_vs"

# 1. ipvsadm programs a service and a real server (in a scratch namespace).
ns_create scratch
expect_rc 0 ipvs scratch -A -t 198.18.0.1:80 -s rr
expect_rc 0 ipvs scratch -a -t 198.18.0.1:80 -r 198.18.1.1:80 -m
expect_rc 0 ipvs scratch -Ln
log "ipvsadm -Ln:"$'\n'"$OUT"
expect_match '^TCP +198\.18\.0\.1:80 rr' "$OUT" "the service"
expect_match '^ +-> 198\.18\.1\.1:80 +Masq +1 ' "$OUT" "the real server"
expect_rc 0 ipvs scratch -D -t 198.18.0.1:80
expect_rc 0 ipvs scratch -Ln
expect_no_match '198\.18\.0\.1:80' "$OUT" "the deleted service"

# 2. vigild checks a small configuration with a virtual server.
cat >"$T/smoke.conf" <<'EOF'
global_defs {
	router_id vm-smoke
}

virtual_server 198.18.0.1 80 {
	delay_loop 5
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server 198.18.1.1 80 {
		weight 1
		TCP_CHECK {
			connect_timeout 3
		}
	}
}
EOF
expect_rc 0 "$VIGILD" -t -f "$T/smoke.conf"
log "vigild -t: $OUT"
expect_match "configuration $T/smoke.conf is valid" "$OUT" "vigild -t"
cat >"$T/bad.conf" <<'EOF'
virtual_server 198.18.0.1 80 {
	lb_algo no-such-scheduler
}
EOF
expect_rc 1 "$VIGILD" -t -f "$T/bad.conf"
expect_match "^$T/bad.conf:[0-9]+: error: " "$OUT" "vigild -t on a bad file"

# 3. A real connection through IPVS NAT.
ns_create client director real
veth_link client eth0 director ext0
veth_link director int0 real eth0
addr_add client eth0 198.18.0.2/24
addr_add director ext0 198.18.0.1/24
addr_add director int0 198.18.1.254/24
addr_add real eth0 198.18.1.1/24
route_add real default 198.18.1.254
addr_add client eth0 fd00:198:18::2/64
addr_add director ext0 fd00:198:18::1/64
addr_add director int0 fd00:198:18:1::fe/64
addr_add real eth0 fd00:198:18:1::1/64
route_add real default fd00:198:18:1::fe
ns_sysctl director net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

token=vigil-vm-smoke-$$-$RANDOM
http_server web4 real 198.18.1.1 80 "$token"
http_server web6 real fd00:198:18:1::1 8080 "$token-v6"

expect_rc 0 ipvs director -A -t 198.18.0.1:80 -s rr
expect_rc 0 ipvs director -a -t 198.18.0.1:80 -r 198.18.1.1:80 -m
expect_rc 0 ipvs director -A -t '[fd00:198:18::1]:80' -s rr
expect_rc 0 ipvs director -a -t '[fd00:198:18::1]:80' -r '[fd00:198:18:1::1]:8080' -m

# The client cannot reach the real server except through the VIP.
expect_rc 0 http_get client http://198.18.0.1/
expect_eq "$token" "$OUT" "HTTP body through the IPv4 NAT service"
expect_rc 0 http_get client 'http://[fd00:198:18::1]/'
expect_eq "$token-v6" "$OUT" "HTTP body through the IPv6 NAT service"

expect_rc 0 ipvs director -Lnc
log "ipvsadm -Lnc:"$'\n'"$OUT"
expect_match 'TCP .* 198\.18\.0\.2:[0-9]+ +198\.18\.0\.1:80 +198\.18\.1\.1:80' "$OUT" \
	"the IPv4 connection entry"

# The kernel folds its per-CPU counters into the service statistics on a
# 2 s timer.
counted() {
	ipvs director -Ln --stats | grep -qE "^TCP +$1 +[1-9]"
}
wait_for 10 "the IPv4 service to count a connection" counted '198\.18\.0\.1:80'
wait_for 10 "the IPv6 service to count a connection" counted '\[fd00:198:18::1\]:80'
expect_rc 0 ipvs director -Ln --stats
log "ipvsadm -Ln --stats:"$'\n'"$OUT"

pass "ipvsadm, vigild -t and IPVS NAT over IPv4 and IPv6 work"
