#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A mail server that is down (refused), slow (answers after the timeout),
# drops the connection mid-session, answers garbage or refuses the
# recipients (550): each failed session is a counted error and a log line,
# and nothing else: the takeover after the master's SIGTERM keeps RFC
# 5798's timing and the daemons run on. A 5xx reply is final: that mail is
# given up at once, never retried.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
# shellcheck source-path=SCRIPTDIR source=mail-lib.sh
. "$(dirname "$0")/mail-lib.sh"
need tcpdump

VIP=198.18.0.100
MAIL_TIMEOUT=1
vrrp_lan
mkconf() { # mkconf NAME PRIO
	mapfile -t g < <(mail_global)
	{
		vrrp_global "$1" vigild "${g[@]}" smtp_alert
		vrrp_instance_conf "$1" vigild VI_1 51 "$2" 3 0.1 "$VIP/32"
	} >"$T/$1.conf"
}

# fault MODE WHY_REGEX: one takeover with the mail server in MODE.
fault() {
	local mode=$1 why=$2 ms sk
	if [[ $mode == refused ]]; then
		MAIL_ADDR=198.18.0.3 # nothing listens
		mkdir -p "$MAIL_DIR"
	else
		mail_sink_start c1 "$mode"
	fi
	mkconf r1 150
	mkconf r2 100
	d_start r1 r1 "$T/r1.conf" vigild
	wait_state 5 r1 MASTER
	d_start r2 r2 "$T/r2.conf" vigild
	wait_state 5 r2 BACKUP
	expect_master_down r2 100 100
	# r2's BACKUP mail fails at once (refused, garbage, drop) or after
	# smtp_connect_timeout (slow).
	wait_for 10 "$mode: a failed session of r2" mail_counter_ge r2 failed 1
	grep -qE "mail: SMTP server 198\.18\.0\.3:$MAIL_PORT: $why" "${VLOG[r2]}" ||
		fail "$mode: no log line /$why/ in r2's log: $(grep 'mail:' "${VLOG[r2]}" | tail -n3)"
	cap_start "$mode" c1
	cap_wait 5 "$mode" "3 adverts from r1" count_ge 3 adverts "$mode" 198.18.0.1 51
	d_term r1
	wait_state 3 r2 MASTER
	wait_vip 2 r2 "$VIP"
	cap_wait 5 "$mode" "an advert from r2" count_ge 1 adverts "$mode" 198.18.0.2 51
	cap_stop "$mode"
	sk=$(skew_ms 100 100)
	ms=$(prio0_to_new_ms "$mode" 198.18.0.1 198.18.0.2 51)
	report_time "$mode mail server: priority 0 advert -> first r2 advert" "$ms" "$sk"
	expect_between 0 300 "$ms" "$mode: takeover after a priority 0 advert (ms)"
	expect_eq 0 "$(mail_counter r2 sent)" "$mode: r2's mail.sent"
	expect_eq 0 "$(mail_counter r2 dropped)" "$mode: r2's mail.dropped"
	expect_eq 0 "$(find "$MAIL_DIR" -name '*.eml' | wc -l)" "$mode: stored mails"
	vrrp_check_drops
	if [[ $mode == reject ]]; then
		# Each of r2's mails (BACKUP, MASTER) is given up after one session.
		expect_eq 0 "$(mail_counter r2 retried)" "$mode: r2's mail.retried (5xx is final)"
		wait_for 5 "$mode: both mails given up" mail_counter_ge r2 given_up 2
		expect_eq "$(mail_counter r2 given_up)" "$(mail_counter r2 failed)" \
			"$mode: every failed session given up"
	fi
	log "$mode: failed $(mail_counter r2 failed), retried $(mail_counter r2 retried)"
	d_alive r2 || fail "$mode: r2 died"
	d_term r2
	[[ $mode == refused ]] || mail_sink_stop
}

fault refused 'connect: connection refused'
fault slow 'no reply within 1000 ms'
fault drop 'closed the connection during MAIL'
fault garbage 'greeting: garbage reply \(line without a reply code\)'
fault reject 'RCPT: reply 550 \(expected 250\)'
log "PASS"
