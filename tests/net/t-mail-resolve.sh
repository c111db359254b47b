#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# smtp_server given as a host name (keepalived allows it). vigild looks it
# up off the event loop, so a slow resolver never holds up VRRP:
# - a name in r1's hosts file (ip netns exec binds /etc/netns/NS/hosts over
#   /etc/hosts): resolved, logged, and the mails go to that address;
# - a name only a DNS server could answer, with r1's resolv.conf pointing
#   at an address where nothing answers: r1 still becomes MASTER on time;
#   when the lookup gives up, one error says the alerts are off and the
#   mails that waited for it are counted as given up.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
# shellcheck source-path=SCRIPTDIR source=mail-lib.sh
. "$(dirname "$0")/mail-lib.sh"

VIP=198.18.0.100
vrrp_lan
mail_sink_start c1 store
NSDIR=/etc/netns/$(ns_name r1)
rm_nsdir() { rm -rf "$NSDIR"; }
NET_CLEANUP_HOOKS+=(rm_nsdir)
mkdir -p "$NSDIR"
printf '%s mail.vigil.test\n' "$MAIL_ADDR" >"$NSDIR/hosts"
# Nothing listens at 198.18.0.250: every DNS query times out.
printf 'nameserver 198.18.0.250\noptions timeout:2 attempts:2\n' >"$NSDIR/resolv.conf"

mkconf() { # mkconf SERVER
	mapfile -t g < <(mail_global)
	g=("${g[@]/smtp_server $MAIL_ADDR $MAIL_PORT/smtp_server $1 $MAIL_PORT}")
	{
		vrrp_global r1 vigild "${g[@]}" smtp_alert
		vrrp_instance_conf r1 vigild VI_1 51 150 3 0.1 "$VIP/32"
	} >"$T/r1.conf"
}

# --- a name in the hosts file
mkconf mail.vigil.test
grep -q "smtp_server mail.vigil.test $MAIL_PORT" "$T/r1.conf" || fail "config: no smtp_server line"
d_start r1 r1 "$T/r1.conf" vigild
wait_state 5 r1 MASTER
wait_for 10 "r1's MASTER mail" mail_count_ge 2
mail_with_subject "[r1] VRRP Instance VI_1 - Entering MASTER state" >/dev/null
grep -q "mail: smtp_server mail.vigil.test resolved to $MAIL_ADDR:$MAIL_PORT" "${VLOG[r1]}" ||
	fail "no 'resolved to' line: $(grep 'mail:' "${VLOG[r1]}" | tail -n3)"
d_term r1

# --- a name only a (dead) DNS server could answer
mkconf slow.vigil.test
t0=$(now_ms)
d_start r1 r1 "$T/r1.conf" vigild
wait_state 3 r1 MASTER
up=$(($(now_ms) - t0))
log "MASTER ${up} ms after the start, the lookup still running"
grep -q 'e-mail alerts are off' "${VLOG[r1]}" &&
	fail "the lookup ended before MASTER (a lookup on the loop holds VRRP up until it ends)"
gave_up() { grep -q 'mail: smtp_server slow.vigil.test: .*; e-mail alerts are off' "${VLOG[r1]}"; }
wait_for 30 "the lookup to give up" gave_up
expect_eq 2 "$(mail_counter r1 given_up)" "mails given up (BACKUP and MASTER)"
expect_eq 0 "$(mail_counter r1 queued)" "mails still queued"
expect_state r1 MASTER
vrrp_check_drops
d_term r1
expect_eq 2 "$(mail_count)" "mails stored (the first phase's only)"
log "PASS"
