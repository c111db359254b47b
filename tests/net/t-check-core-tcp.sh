#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The checker process against real TCP listeners (socat) in a namespace:
# - both probes come up in `vigilctl --json status` (key "checker");
# - a listener killed -> its probe goes down after the retry, the other
#   stays up; the listener back -> up again; one transition counted each;
# - the checker runs as nobody, no capabilities, no_new_privs, comm
#   vigild-checker, child of vigild;
# - `kill -9` of the checker: vigild restarts it (restarts 1), the states
#   and transition counts do not change;
# - a reload with the same configuration changes no state either;
# - this host has no IPVS: vigild says so and checks anyway;
# - SIGTERM: vigild exits 0 and the checker is gone.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need socat python3

hosts_on_lan d rs # d: 198.18.0.1 (vigild), rs: 198.18.0.2 (real servers)
RS=198.18.0.2

cat >"$T/d.conf" <<EOF
global_defs {
	router_id d
}
virtual_server 198.18.0.100 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS 8001 {
		weight 1
		TCP_CHECK {
			connect_timeout 1
			retry 1
			delay_before_retry 0.5
		}
	}
	real_server $RS 8002 {
		weight 1
		TCP_CHECK {
			connect_timeout 1
		}
	}
}
EOF

declare -A LPID=()
listen() { # listen PORT: a TCP listener in rs that accepts and drops
	ip netns exec "$(ns_name rs)" socat -u "TCP-LISTEN:$1,bind=$RS,reuseaddr,fork" /dev/null &
	LPID[$1]=$!
	_NET_PIDS+=("$!")
	wait_for 5 "listener on $1" nsx rs sh -c "ss -Hltn 'sport = :$1' | grep -q LISTEN"
}
unlisten() {
	kill -TERM "${LPID[$1]}"
	wait "${LPID[$1]}" 2>/dev/null || true
}

# probe PORT FIELD: a field of the probe aimed at port PORT.
probe() {
	ctl d --json status | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("result", d)["checker"]
for p in d["probes"]:
    if p.get("port") == int(sys.argv[1]):
        v = p
        if sys.argv[2] == "state_known":
            v = "%s %s" % (p["state"], json.dumps(p["known"]))
        for k in sys.argv[2].split(".") if sys.argv[2] != "state_known" else []:
            v = v[int(k)] if isinstance(v, list) else v[k]
        print(v if isinstance(v, str) else json.dumps(v))
        sys.exit(0)
sys.exit(1)
' "$1" "$2"
}
proc() { ctl d --json status | jget "checker.process.$1"; }
probe_is() { [[ $(probe "$1" state_known) == "$2 true" ]]; }
wait_probe() { # wait_probe PORT STATE SECONDS
	local end=$((SECONDS + $3))
	while ((SECONDS < end)); do
		probe_is "$1" "$2" && return 0
		sleep 0.1
	done
	probe_is "$1" "$2" || fail "probe $1 not $2 after $3 s: $(probe "$1" reason)"
}

listen 8001
listen 8002
"$VIGILD" -t -f "$T/d.conf" >"$T/t.out" 2>&1 || fail "vigild -t: $(cat "$T/t.out")"
vigild_start d d "$T/d.conf"

for port in 8001 8002; do
	wait_probe "$port" up 10
done
expect_eq 2 "$(ctl d --json status | jget checker.probes_total)" "probes_total"
expect_eq TCP_CHECK "$(probe 8001 kind)" "kind"
expect_eq "$RS" "$(probe 8001 address)" "address"
expect_eq "198.18.0.100 80" "$(probe 8001 users.0.virtual_server)" "user virtual server"
log "both up: reason '$(probe 8001 reason)', latency $(probe 8001 latency_us) us"

# The host has no IPVS: said once, checks run anyway (they did above).
if [[ ! -e /proc/net/ip_vs ]]; then
	grep -q "IPVS is not available in this kernel" "${VLOG[d]}" ||
		fail "no line saying IPVS is missing"
fi

# --- the checker process: who it is
cpid=$(proc pid)
[[ $cpid =~ ^[0-9]+$ ]] || fail "no checker pid in status: $cpid"
expect_eq vigild-checker "$(cat "/proc/$cpid/comm")" "checker comm"
expect_eq "${VPID[d]}" "$(awk '/^PPid:/ {print $2}' "/proc/$cpid/status")" "checker parent"
nobody=$(id -u nobody 2>/dev/null || echo 65534)
expect_eq "$nobody $nobody $nobody $nobody" \
	"$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$cpid/status")" "checker uids"
expect_eq 0000000000000000 "$(awk '/^CapEff:/ {print $2}' "/proc/$cpid/status")" "CapEff"
expect_eq 0000000000000000 "$(awk '/^CapPrm:/ {print $2}' "/proc/$cpid/status")" "CapPrm"
expect_eq 1 "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$cpid/status")" "NoNewPrivs"
n=$(find "/proc/$cpid/fd" -mindepth 1 | wc -l)
# Nothing of vigild's beyond 0, 1 and 2 (anonymous inodes all read alike).
links() { # links PID: targets of its descriptors above 2
	local f
	for f in /proc/"$1"/fd/*; do
		((${f##*/} > 2)) && readlink "$f"
	done | grep -v '^anon_inode:' | sort -u
}
shared=$(comm -12 <(links "$cpid") <(links "${VPID[d]}"))
[[ -z $shared ]] || fail "the checker holds vigild's descriptors: $shared"
log "checker pid $cpid: nobody, CapEff 0, $n descriptors"

# --- a real server goes down, then up
unlisten 8001
t0=$SECONDS
wait_probe 8001 down 10
log "8001 down after ~$((SECONDS - t0)) s: $(probe 8001 reason)"
expect_eq up "$(probe 8002 state)" "8002 while 8001 is down"
expect_eq 1 "$(probe 8001 changes)" "8001 transitions after going down"
grep -q "TCP_CHECK $RS:8001: up -> down" "${VLOG[d]}" || fail "no log line for the down"

listen 8001
wait_probe 8001 up 10
expect_eq 2 "$(probe 8001 changes)" "8001 transitions after coming back"
expect_eq 0 "$(probe 8002 changes)" "8002 transitions"

# --- kill -9 the checker: restarted, handed the states, nothing changes
unlisten 8002
wait_probe 8002 down 10
kill -KILL "$cpid"
for ((i = 0; i < 50; i++)); do
	npid=$(proc pid)
	[[ $npid =~ ^[0-9]+$ && $npid != "$cpid" && $(proc running) == true ]] && break
	sleep 0.1
done
[[ $npid != "$cpid" ]] || fail "checker not restarted"
expect_eq 1 "$(proc restarts)" "restarts"
expect_eq vigild-checker "$(cat "/proc/$npid/comm")" "new checker comm"
expect_eq 0000000000000000 "$(awk '/^CapEff:/ {print $2}' "/proc/$npid/status")" "new CapEff"
grep -q "checker (pid $cpid): ended (signal 9); restarting it" "${VLOG[d]}" ||
	fail "no log line for the dead checker"
r0=$(proc results)
sleep 3 # several rounds of both probes by the new checker
[[ $(proc results) -gt $r0 ]] || fail "the new checker reports nothing"
expect_eq up "$(probe 8001 state)" "8001 after the restart"
expect_eq down "$(probe 8002 state)" "8002 after the restart"
expect_eq 2 "$(probe 8001 changes)" "8001 transitions after the restart"
expect_eq 1 "$(probe 8002 changes)" "8002 transitions after the restart"
expect_eq 0 "$(proc drops)" "drops"
log "checker restarted as pid $npid; states kept"

# --- reload with the same configuration: no state change
ctl d reload >/dev/null || fail "reload failed"
checker_reloaded d 2
rpid=$(proc pid)
[[ $rpid != "$npid" ]] || fail "no new checker after the reload"
wait_gone 5 "$npid"
sleep 2.5
expect_eq up "$(probe 8001 state)" "8001 after the reload"
expect_eq down "$(probe 8002 state)" "8002 after the reload"
expect_eq 2 "$(probe 8001 changes)" "8001 transitions after the reload"
expect_eq 1 "$(probe 8002 changes)" "8002 transitions after the reload"
expect_eq 1 "$(proc restarts)" "restarts after the reload"
grep -q "checker: reload: 2 probe(s), 2 kept their state" "${VLOG[d]}" || fail "no reload line"

# --- stop: vigild exits 0, its checker is gone
kill -TERM "${VPID[d]}"
vigild_wait d 10
expect_eq 0 "$VRC" "vigild exit status"
alive "$rpid" && fail "checker $rpid still running after vigild stopped"
log "PASS"
