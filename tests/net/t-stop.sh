#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGTERM and SIGINT stop the daemon cleanly: exit 0, pid file and control
# socket removed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

hosts_on_lan a
write_good_conf "$T/a.conf"

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
