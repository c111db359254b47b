#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The checker's privileges follow what the configuration needs: with a
# PING_CHECK it keeps CAP_NET_RAW and nothing else (effective, permitted
# and bounding set), runs as the --checker-user given (daemon), and the
# ping probe goes down when the real server's link goes down and up
# again when it comes back. A reload to a configuration without the
# PING_CHECK starts a checker with no capability at all.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need python3

hosts_on_lan d rs
RS=198.18.0.2
user=daemon
id -u "$user" >/dev/null 2>&1 || user=nobody

conf() { # conf WITH_PING
	cat <<EOF
virtual_server 198.18.0.100 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS 80 {
		TCP_CHECK {
			connect_timeout 1
		}
EOF
	if [[ $1 == 1 ]]; then
		cat <<EOF
		PING_CHECK {
			connect_timeout 1
			retry 0
		}
EOF
	fi
	printf '\t}\n}\n'
}
conf 1 >"$T/d.conf"

probe() { # probe KIND FIELD
	ctl d --json status | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("result", d)["checker"]
for p in d["probes"]:
    if p["kind"] == sys.argv[1]:
        v = "%s %s" % (p["state"], json.dumps(p["known"])) if sys.argv[2] == "state_known" else p[sys.argv[2]]
        print(v if isinstance(v, str) else json.dumps(v))
        sys.exit(0)
sys.exit(1)
' "$1" "$2"
}
probe_is() { [[ $(probe PING_CHECK state_known) == "$1 true" ]]; }
wait_ping() { # wait_ping STATE SECONDS
	local end=$((SECONDS + $2))
	while ((SECONDS < end)); do
		probe_is "$1" && return 0
		sleep 0.2
	done
	probe_is "$1" || fail "PING_CHECK not $1 after $2 s: $(probe PING_CHECK reason)"
}
capfield() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

vigild_start d d "$T/d.conf" --checker-user "$user"
wait_ping up 10
cpid=$(ctl d --json status | jget checker.process.pid)
expect_eq "$(id -u "$user")" "$(awk '/^Uid:/ {print $3}' "/proc/$cpid/status")" "checker euid"
# CAP_NET_RAW is bit 13.
expect_eq 0000000000002000 "$(capfield "$cpid" CapEff)" "CapEff with PING_CHECK"
expect_eq 0000000000002000 "$(capfield "$cpid" CapPrm)" "CapPrm with PING_CHECK"
expect_eq 0000000000002000 "$(capfield "$cpid" CapBnd)" "CapBnd with PING_CHECK"
expect_eq 0000000000000000 "$(capfield "$cpid" CapInh)" "CapInh with PING_CHECK"
expect_eq 1 "$(capfield "$cpid" NoNewPrivs)" "NoNewPrivs"
log "PING_CHECK up: $(probe PING_CHECK reason); checker $cpid as $user, CAP_NET_RAW only"

ip -n "$(ns_name rs)" link set eth0 down
wait_ping down 10
log "link down: $(probe PING_CHECK reason)"
ip -n "$(ns_name rs)" link set eth0 up
wait_ping up 15

conf 0 >"$T/d.conf"
ctl d reload >/dev/null || fail "reload failed"
for ((i = 0; i < 50; i++)); do
	npid=$(ctl d --json status | jget checker.process.pid)
	[[ $npid =~ ^[0-9]+$ && $npid != "$cpid" ]] && break
	sleep 0.1
done
[[ $npid != "$cpid" ]] || fail "no new checker after the reload"
expect_eq 1 "$(ctl d --json status | jget checker.probes_total)" "probes after the reload"
expect_eq 0000000000000000 "$(capfield "$npid" CapEff)" "CapEff without PING_CHECK"
expect_eq 0000000000000000 "$(capfield "$npid" CapBnd)" "CapBnd without PING_CHECK"

kill -TERM "${VPID[d]}"
vigild_wait d 10
expect_eq 0 "$VRC" "vigild exit status"
log "PASS"
