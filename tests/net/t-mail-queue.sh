#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The mail queue's bound: 80 vrrp_instances with smtp_alert start at once
# (80 BACKUP then 80 MASTER mails) while the mail server accepts and never
# answers. The queue holds at most queue_max (64) messages, the rest are
# dropped, each counted with a log line; every instance still becomes
# MASTER on time and the daemon's memory is bounded by the queue.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
# shellcheck source-path=SCRIPTDIR source=mail-lib.sh
. "$(dirname "$0")/mail-lib.sh"

N=80
MAIL_TIMEOUT=1
vrrp_lan
mail_sink_start c1 slow
mapfile -t g < <(mail_global)
{
	vrrp_global r1 vigild "${g[@]}" smtp_alert
	for ((i = 1; i <= N; i++)); do
		vrrp_instance_conf r1 vigild "VI_$i" "$i" 150 3 0.1 "198.18.1.$i/32"
	done
} >"$T/r1.conf"
d_start r1 r1 "$T/r1.conf" vigild

masters() {
	vstatus r1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("result", d)
insts = d["vrrp"]["instances"]
if isinstance(insts, dict):
    insts = list(insts.values())
print(sum(1 for i in insts if i.get("state") == "MASTER"))
'
}
all_master() { [[ $(masters) == "$N" ]]; }
# Master down interval at 100 ms adverts and priority 150: about 0.4 s.
wait_for 5 "all $N instances MASTER" all_master
wait_for 5 "a dropped mail" mail_counter_ge r1 dropped 1
q=$(mail_counter r1 queued)
max=$(mail_counter r1 queue_max)
expect_eq 64 "$max" "mail.queue_max"
((q <= max)) || fail "mail.queued $q above the bound $max"
d=$(mail_counter r1 dropped)
# 2N mails, at most max queued (the one in its session among them).
((d >= 2 * N - max)) || fail "mail.dropped $d, expected at least $((2 * N - max))"
n=$(grep -c 'mail: queue full (64 messages), dropped "' "${VLOG[r1]}" || true)
expect_eq "$d" "$n" "one log line per dropped mail"
expect_eq 0 "$(mail_counter r1 sent)" "mail.sent"
vrrp_check_drops
log "$N instances MASTER; mail: queued $q (max $max), dropped $d, failed $(mail_counter r1 failed)"
d_term r1
log "PASS"
