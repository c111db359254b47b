#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# E-mail alerts of a vrrp_sync_group: smtp_alert in the group only (not
# global, not in its instances) mails the group's transitions and nothing
# about the instances, with keepalived 2.2.7's subject and body. r1 (150)
# and r2 (100) each have VI_1 and VI_2 in G1; r1 stops, r2's group takes
# over: one mail per group transition. Runs on keepalived too
# (VRRP_IMPL=keepalived), with the same assertions.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
# shellcheck source-path=SCRIPTDIR source=mail-lib.sh
. "$(dirname "$0")/mail-lib.sh"

vrrp_lan
mail_sink_start c1 store
mkconf() { # mkconf NAME PRIO
	mapfile -t g < <(mail_global)
	{
		vrrp_global "$1" "$VRRP_IMPL" "${g[@]}"
		printf 'vrrp_sync_group G1 {\n\tgroup {\n\t\tVI_1\n\t\tVI_2\n\t}\n\tsmtp_alert\n}\n\n'
		vrrp_instance_conf "$1" "$VRRP_IMPL" VI_1 51 "$2" 3 0.1 198.18.0.100/32
		vrrp_instance_conf "$1" "$VRRP_IMPL" VI_2 52 "$2" 3 0.1 198.18.0.101/32
	} >"$T/$1.conf"
}
mkconf r1 150
mkconf r2 100
d_start r1 r1 "$T/r1.conf" "$VRRP_IMPL"
wait_state 5 r1 MASTER VI_1
wait_state 5 r1 MASTER VI_2
d_start r2 r2 "$T/r2.conf" "$VRRP_IMPL"
wait_state 5 r2 BACKUP VI_1

wait_for 10 "3 group mails (r1 BACKUP and MASTER, r2 BACKUP)" mail_count_ge 3
m=$(mail_with_subject "[r1] VRRP Group G1 - Entering MASTER state")
mail_expect_body "$m" "=> All VRRP group instances are now in MASTER state <="
m=$(mail_with_subject "[r1] VRRP Group G1 - Entering BACKUP state")
mail_expect_body "$m" "=> All VRRP group instances are now in BACKUP state <="
m=$(mail_with_subject "[r2] VRRP Group G1 - Entering BACKUP state")
mail_expect_body "$m" "=> All VRRP group instances are now in BACKUP state <="

d_term r1
wait_state 5 r2 MASTER VI_1
wait_state 5 r2 MASTER VI_2
wait_for 10 "r2's group MASTER mail" mail_count_ge 4
m=$(mail_with_subject "[r2] VRRP Group G1 - Entering MASTER state")
mail_expect_body "$m" "=> All VRRP group instances are now in MASTER state <="
sleep 1 # an instance mail or a second group mail would be here by now
others=$(mail_subjects | grep -v '^\[r[12]\] VRRP Group G1 - Entering \(MASTER\|BACKUP\) state$' || true)
expect_eq "" "$others" "mails other than the group's"
expect_eq 4 "$(mail_count)" "mails: $(mail_subjects | tr '\n' '|')"
log "mails: $(mail_subjects | tr '\n' '|')"
log "PASS"
