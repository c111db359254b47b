#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGTERM and SIGINT stop the daemon cleanly: exit 0, pid file and control
# socket removed; a master's VIP is removed even when SIGTERMs keep coming.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

hosts_on_lan a
write_good_conf "$T/a.conf"

# has_vip_a: 198.18.0.100 is on a's eth0.
has_vip_a() { nsx a ip -o -4 addr show dev eth0 | grep -qF ' 198.18.0.100/'; }

for sig in TERM INT; do
	vigild_start a a "$T/a.conf"
	[[ -f ${VPIDFILE[a]} ]] || fail "no pid file while running"
	kill "-$sig" "${VPID[a]}"
	vigild_wait a 10
	expect_eq 0 "$VRC" "exit status after SIG$sig"
	[[ ! -e ${VPIDFILE[a]} ]] || fail "pid file left behind after SIG$sig"
	[[ ! -e ${VSOCK[a]} ]] || fail "control socket left behind after SIG$sig"
	expect_rc 3 "$VIGILCTL" --control-socket "${VSOCK[a]}" status
done

# A second SIGTERM while the first is being handled (an impatient operator,
# or systemd and a script both stopping us) must not cut the shutdown short
# with the default signal action: still exit 0 with everything cleaned up.
cat >"$T/b.conf" <<CONF
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    version 3
    advert_int 0.1
    virtual_ipaddress {
        198.18.0.100/24
    }
}
CONF
vigild_start a a "$T/b.conf"
# The VIP must be there before the stop, or its absence after proves nothing.
wait_for 5 "VIP 198.18.0.100 on a" has_vip_a
kill -TERM "${VPID[a]}"
# Then more, every few ms until it is gone, so some land late in the
# shutdown too (after the signal watchers are closed, before exit).
n=0
while kill -TERM "${VPID[a]}" 2>/dev/null && ((n++ < 3000)); do
	sleep 0.003
done
vigild_wait a 10
log "SIGTERMs sent during the shutdown: $n"
expect_eq 0 "$VRC" "exit status after two quick SIGTERMs"
[[ ! -e ${VPIDFILE[a]} ]] || fail "pid file left behind after two SIGTERMs"
if has_vip_a; then
	fail "VIP left behind after two SIGTERMs: $(nsx a ip -o addr show dev eth0)"
fi
