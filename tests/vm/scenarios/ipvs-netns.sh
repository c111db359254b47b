#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# net_namespace with IPVS: vigild is started in the VM's own namespace and
# its file says `net_namespace director`; as keepalived 2.2.7, it does its
# IPVS work inside that namespace and its checker checks from there.
#
#   director 198.18.1.254 --- 198.18.1.1 real (httpd :80)
#
# The real server is reachable from director only and starts down
# (alpha): its weight 1 in director's IPVS table shows a TCP_CHECK passed
# from inside the namespace, and the VM's own namespace keeps an empty
# table.
# shellcheck source=../lib.sh
. "$VMTEST_LIB"

need_module ip_vs ip_vs_rr
ns_create director real
veth_link director int0 real eth0
addr_add director int0 198.18.1.254/24
addr_add real eth0 198.18.1.1/24
http_server web real 198.18.1.1 80 vigil-vm-netns

cat >"$T/netns.conf" <<'CONF'
net_namespace director
virtual_server 198.18.0.1 80 {
	protocol TCP
	lb_kind DR
	lb_algo wlc
	delay_loop 1
	alpha
	real_server 198.18.1.1 80 {
		TCP_CHECK {
			connect_port 80
			connect_timeout 2
		}
	}
}
CONF

VSOCK[d]=$T/d.sock
VLOG[d]=$T/d.log
"$VIGILD" -f "$T/netns.conf" -n -l -p "$T/d.pid" --control-socket "${VSOCK[d]}" \
	</dev/null >>"${VLOG[d]}" 2>&1 &
VPID[d]=$!
_VM_PIDS+=("$!")
_VM_VIGILD[$!]=d
wait_for 20 "vigild answering" ctl d status

up_in_director() {
	ipvs director -Ln | grep -qE '^ +-> 198\.18\.1\.1:80 +Route +1 '
}
wait_for 30 "198.18.1.1:80 with weight 1 in director's IPVS table" up_in_director
expect_rc 0 ipvs director -Ln
log "director: ipvsadm -Ln:"$'\n'"$OUT"
expect_match '^TCP +198\.18\.0\.1:80 wlc' "$OUT" "the service in director"
expect_rc 0 ipvsadm -Ln
log "the VM's own namespace: ipvsadm -Ln:"$'\n'"$OUT"
expect_no_match '198\.18\.0\.1:80' "$OUT" "the service in the VM's own namespace"

kill -TERM "${VPID[d]}"
vigild_wait d 15
expect_eq 0 "$VRC" "vigild exit status"
pass "IPVS and its checks run inside net_namespace"
