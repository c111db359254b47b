#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# net_namespace with IPVS: vigild is started in the VM's own namespace and
# its file says `net_namespace director`; as keepalived 2.2.7, it does its
# IPVS work inside that namespace (1), or in the one net_namespace_ipvs
# names (2: lbns; 3: no name, the namespace it was started in), and its
# checker checks from director in every case.
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

# tbl NS ARGS...: ipvsadm in NS ("root": the VM's own namespace).
tbl() {
	local ns=$1
	shift
	if [[ $ns == root ]]; then ipvsadm "$@"; else ipvs "$ns" "$@"; fi
}

# run_case N IPVS_LINE WHERE: vigild with net_namespace director and
# IPVS_LINE, service 198.18.0.N; its table must be in WHERE only.
run_case() {
	local n=$1 line=$2 where=$3 ns vip=198.18.0.$1
	cat >"$T/netns$n.conf" <<CONF
net_namespace director
$line
virtual_server $vip 80 {
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
	VSOCK[d$n]=$T/d$n.sock
	VLOG[d$n]=$T/d$n.log
	"$VIGILD" -f "$T/netns$n.conf" -n -l -p "$T/d$n.pid" --control-socket "${VSOCK[d$n]}" \
		</dev/null >>"${VLOG[d$n]}" 2>&1 &
	VPID[d$n]=$!
	_VM_PIDS+=("$!")
	_VM_VIGILD[$!]=d$n
	wait_for 20 "vigild d$n answering" ctl "d$n" status
	wait_for 30 "198.18.1.1:80 with weight 1 for $vip in $where's IPVS table" up "$where" "$vip"
	for ns in root director lbns; do
		expect_rc 0 tbl "$ns" -Ln
		log "case $n ($line), $ns: ipvsadm -Ln:"$'\n'"$OUT"
		if [[ $ns == "$where" ]]; then
			expect_match "^TCP +${vip//./\\.}:80 wlc" "$OUT" "the service in $ns"
		else
			expect_no_match "${vip//./\\.}:80" "$OUT" "the service in $ns"
		fi
	done
	kill -TERM "${VPID[d$n]}"
	vigild_wait "d$n" 15
	expect_eq 0 "$VRC" "vigild d$n exit status"
}
up() {
	tbl "$1" -Ln | grep -A1 -E "^TCP +${2//./\\.}:80 " | grep -qE '^ +-> 198\.18\.1\.1:80 +Route +1 '
}

ns_create lbns
run_case 1 "" director
run_case 2 "net_namespace_ipvs lbns" lbns
run_case 3 "net_namespace_ipvs" root
pass "IPVS runs inside net_namespace, or net_namespace_ipvs; checks inside net_namespace"
