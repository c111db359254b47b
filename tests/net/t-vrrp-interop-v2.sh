#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vigild and keepalived 2.2.7 as peers, VRRPv2 over IPv4, advert_int 1, both roles:
# vigild master + keepalived backup, then keepalived master + vigild backup.
# Each: the higher priority wins and neither side flaps for 3 s, kill -9 of
# the master hands over within Master_Down_Interval, the restarted master
# preempts back, and vigild counted no dropped or misconfigured adverts.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump
[[ -x $KEEPALIVED ]] || fail "needs keepalived ($KEEPALIVED)"

interop_run 2 1 4
log "PASS"
