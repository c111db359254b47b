#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# E-mail alerts of VRRP transitions, to a real SMTP server (aiosmtpd) on
# c1: each transition of r1 and r2 is exactly one mail, with keepalived
# 2.2.7's subject, body and headers, both recipients in one transaction.
# Runs on keepalived too (VRRP_IMPL=keepalived): the same assertions hold
# for its mails, which is how the texts were compared.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
# shellcheck source-path=SCRIPTDIR source=mail-lib.sh
. "$(dirname "$0")/mail-lib.sh"

VIP=198.18.0.100
vrrp_lan
mail_sink_start c1 store
mkconf() { # mkconf NAME PRIO
	mapfile -t g < <(mail_global)
	{
		vrrp_global "$1" "$VRRP_IMPL" "${g[@]}" smtp_alert
		vrrp_instance_conf "$1" "$VRRP_IMPL" VI_1 51 "$2" 3 0.1 "$VIP/32"
	} >"$T/$1.conf"
}
mkconf r1 150
mkconf r2 100
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
wait_state 5 r1 MASTER
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
wait_state 5 r2 BACKUP

# r1: BACKUP at start, then MASTER; r2: BACKUP.
wait_for 10 "3 mails (r1 BACKUP and MASTER, r2 BACKUP)" mail_count_ge 3
m=$(mail_with_subject "[r1] VRRP Instance VI_1 - Entering MASTER state")
mail_expect_body "$m" "=> VRRP Instance is now owning VRRP VIPs <="
mail_expect_header "$m" From "vrrp@example.com"
mail_expect_header "$m" To "ops@example.com, noc@example.com"
if [[ $VRRP_IMPL == vigild ]]; then
	mail_expect_header "$m" X-Mailer vigil
else
	mail_expect_header "$m" X-Mailer Keepalived
fi
date_h=$(sed -n 's/\r$//; s/^Date: //p' "$m")
expect_match '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}$' \
	"$date_h" "Date header (RFC 5322)"
env=${m%.eml}.env
expect_eq "from vrrp@example.com
rcpt ops@example.com
rcpt noc@example.com" "$(cat "$env")" "envelope: one transaction, both recipients"
m=$(mail_with_subject "[r1] VRRP Instance VI_1 - Entering BACKUP state")
mail_expect_body "$m" "=> VRRP Instance is no longer owning VRRP VIPs <="
m=$(mail_with_subject "[r2] VRRP Instance VI_1 - Entering BACKUP state")
mail_expect_body "$m" "=> VRRP Instance is no longer owning VRRP VIPs <="
expect_eq 3 "$(mail_count)" "mails before the takeover"

# The takeover: r2's MASTER mail, one.
d_term r1
wait_state 5 r2 MASTER
wait_for 10 "r2's MASTER mail" mail_with_subject "[r2] VRRP Instance VI_1 - Entering MASTER state"
m=$(mail_with_subject "[r2] VRRP Instance VI_1 - Entering MASTER state")
mail_expect_body "$m" "=> VRRP Instance is now owning VRRP VIPs <="
sleep 1 # a second mail for the same transition would be here by now
mail_with_subject "[r2] VRRP Instance VI_1 - Entering MASTER state" >/dev/null
# Nothing else: no "Stopping" from r1 either (keepalived 2.2.7 composes
# one at its SIGTERM but exits before it goes out; vigild drops it).
others=$(mail_subjects | grep -vxF -e "[r1] VRRP Instance VI_1 - Entering MASTER state" \
	-e "[r1] VRRP Instance VI_1 - Entering BACKUP state" \
	-e "[r2] VRRP Instance VI_1 - Entering BACKUP state" \
	-e "[r2] VRRP Instance VI_1 - Entering MASTER state" || true)
expect_eq "" "$others" "unexpected mails"
log "mails: $(mail_subjects | tr '\n' '|')"
if [[ $VRRP_IMPL == vigild ]]; then
	expect_eq 2 "$(mail_counter r2 sent)" "r2's mail.sent"
	expect_eq 0 "$(mail_counter r2 failed)" "r2's mail.failed"
	expect_eq 0 "$(mail_counter r2 dropped)" "r2's mail.dropped"
	expect_match '^mail: +on, 2 sent, 0 failed, 0 retried, 0 dropped, 0 given up, 0 queued \(max 64\)$' \
		"$(ctl r2 status)" "vigilctl status (text)"
fi
log "PASS"
