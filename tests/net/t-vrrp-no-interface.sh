#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A unicast vrrp_instance without `interface`. keepalived.conf(5) allows
# it, keepalived 2.2.7 refuses it ("Unknown interface!"); vigil used to
# pass -t, never start the instance, and die of SIGSEGV on the next link
# event (a strcmp on the NULL interface name). Now:
#  - vigild -t refuses the file, naming the instance and why;
#  - vigild started on it exits 1 at once with the same error, and a link
#    event then (a new interface) finds nothing crashed;
#  - an instance whose interface appears only later starts on that link
#    event (the path that crashed), and the daemon keeps running.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"

hosts_on_lan r1 r2
cat >"$T/noif.conf" <<'EOF'
global_defs {
	router_id r1
}
vrrp_instance VI_U {
	virtual_router_id 51
	priority 150
	unicast_src_ip 198.18.0.1
	unicast_peer {
		198.18.0.2
	}
	virtual_ipaddress {
		198.18.0.100/32 dev eth0
	}
}
EOF

expect_rc 1 "$VIGILD" -t -f "$T/noif.conf"
expect_match "noif.conf:4: error: vrrp_instance VI_U has no interface \(keepalived 2.2.7 needs one too" \
	"$OUT" "vigild -t on an instance without interface"

# The daemon on that file: refused before it runs anything. (The old code
# started, then crashed on the link event below.)
VLOG[r1]=$T/r1.log
VSOCK[r1]=$T/r1.sock
nsx r1 "$VIGILD" -f "$T/noif.conf" -n -l -p "$T/r1.pid" --control-socket "$T/r1.sock" \
	</dev/null >>"${VLOG[r1]}" 2>&1 &
VPID[r1]=$!
_NET_PIDS+=("$!")
_NET_VIGILD[$!]=r1
wait_until 10 "vigild r1 exits or answers" \
	eval '! alive "${VPID[r1]}" || ctl r1 status'
ip -n "$(ns_name r1)" link add iwx0 type veth peer name iwx1
ip -n "$(ns_name r1)" link set iwx0 up
vigild_wait r1 10
grep -q 'SEGV\|AddressSanitizer\|runtime error' "${VLOG[r1]}" &&
	fail "vigild r1 crashed: $(grep -m3 'SEGV\|AddressSanitizer\|runtime error' "${VLOG[r1]}")"
expect_eq 1 "$VRC" "exit status of vigild on a file with an instance without interface"
grep -q 'VI_U has no interface' "${VLOG[r1]}" || fail "vigild r1 did not say why: $(cat "${VLOG[r1]}")"

# An interface that appears later: the instance waits for it and starts on
# its link event.
cat >"$T/late.conf" <<'EOF'
global_defs {
	router_id r2
}
vrrp_instance VI_L {
	interface late0
	virtual_router_id 52
	priority 150
	unicast_src_ip 198.18.9.1
	unicast_peer {
		198.18.9.2
	}
	virtual_ipaddress {
		198.18.9.100/32
	}
}
EOF
d_start r2 r2 "$T/late.conf" vigild
expect_eq INIT "$(d_state r2 VI_L)" "VI_L before late0 exists"
ip -n "$(ns_name r2)" link add late0 type veth peer name late1
addr_add r2 late0 198.18.9.1/24
ip -n "$(ns_name r2)" link set late1 up
ip -n "$(ns_name r2)" link set late0 up
wait_state 10 r2 MASTER VI_L
d_alive r2 || fail "vigild r2 died"
log "PASS"
