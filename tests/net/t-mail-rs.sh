#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# E-mail alerts of the checker, to a real SMTP server (aiosmtpd) on c1:
# vigild on r1 checks a real server on r2 (TCP_CHECK on a socat listener).
# The listener stopped: exactly one "Realserver ... - DOWN" mail with
# TCP_CHECK's text and one "Virtualserver ... - DOWN" (quorum lost) mail;
# started again: one UP mail of each. Texts as keepalived 2.2.7's
# check/check_tcp.c and check/ipwrapper.c write them (the quorum body has
# "<=" up and down alike, as ipwrapper.c formats it). (keepalived's checker
# needs IPVS, which this kernel lacks: it cannot run here for comparison.)
# Without IPVS vigild still decides real server health and publishes it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
# shellcheck source-path=SCRIPTDIR source=mail-lib.sh
. "$(dirname "$0")/mail-lib.sh"
need socat

vrrp_lan
mail_sink_start c1 store
RS=$(ip -n "$(ns_name r2)" -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4; exit }')
listen_start() {
	ip netns exec "$(ns_name r2)" socat -T1 TCP-LISTEN:8080,bind="$RS",reuseaddr,fork \
		SYSTEM:true >/dev/null 2>&1 &
	LPID=$!
	_NET_PIDS+=("$!")
	wait_for 5 "listener on $RS:8080" nsx r2 sh -c "ss -Hltn 'sport = :8080' | grep -q LISTEN"
}
listen_start
mapfile -t g < <(mail_global)
{
	vrrp_global r1 vigild "${g[@]}" smtp_alert
	cat <<CONF
virtual_server 198.18.0.100 80 {
	delay_loop 1
	lb_kind NAT
	protocol TCP
	real_server $RS 8080 {
		TCP_CHECK {
			connect_timeout 1
			retry 0
		}
	}
}
CONF
} >"$T/r1.conf"
d_start r1 r1 "$T/r1.conf" vigild
rs_name="[$RS]:tcp:8080"
vs_name="[198.18.0.100]:tcp:80"
sleep 2 # a few checks pass: a real server that stays up sends no mail
expect_eq 0 "$(mail_count)" "mails while the real server is up"

_net_kill_pid "$LPID"
wait_for 15 "the DOWN mails" mail_count_ge 2
m=$(mail_with_subject "[r1] Realserver $rs_name of virtual server $vs_name - DOWN")
mail_expect_body "$m" "=> TCP CHECK failed on service <="
mail_expect_header "$m" From "vrrp@example.com"
m=$(mail_with_subject "[r1] Virtualserver $vs_name - DOWN")
mail_expect_body "$m" "=> Lost quorum 1+0=1 <= 0 <="

listen_start
wait_for 15 "the UP mails" mail_count_ge 4
m=$(mail_with_subject "[r1] Realserver $rs_name of virtual server $vs_name - UP")
mail_expect_body "$m" "=> TCP CHECK succeed on service <="
m=$(mail_with_subject "[r1] Virtualserver $vs_name - UP")
mail_expect_body "$m" "=> Gained quorum 1+0=1 <= 1 <="
sleep 2 # a repeated mail would be here by now
expect_eq 4 "$(mail_count)" "mails: $(mail_subjects | tr '\n' '|')"
expect_eq 4 "$(mail_counter r1 sent)" "mail.sent"
expect_eq 0 "$(mail_counter r1 failed)" "mail.failed"
log "mails: $(mail_subjects | tr '\n' '|')"
log "PASS"
