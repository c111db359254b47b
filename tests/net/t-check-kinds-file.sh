#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The checker kinds that read global_defs / global blocks of the model:
# - FILE_CHECK on a track_file with weight 0: the file says 1 -> down, 0 ->
#   up; one with weight 5: the value 3 makes the real server's weight
#   1 + 15 = 16, a missing file counts as 0 (weight 1);
# - SMTP_CHECK without helo_name sends global_defs smtp_helo_name (the
#   server answers 501 to any other name).
# Needs the engine to hand the model to the kinds (check_engine_model()).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need python3

hosts_on_lan d rs # d: 198.18.0.1 (vigild), rs: 198.18.0.2 (real servers)
RS=198.18.0.2
RSNS=$(ns_name rs)
chmod 755 "$T"

cat >"$T/smtpd.py" <<'EOF'
import socketserver, sys
class H(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 mx.test\r\n")
        for line in self.rfile:
            if line.rstrip(b"\r\n") == b"HELO global.helo.test":
                self.wfile.write(b"250 mx.test\r\n")
            elif line.upper().startswith(b"QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"501 wrong name\r\n")
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
S((sys.argv[1], 2525), H).serve_forever()
EOF
ip netns exec "$RSNS" python3 "$T/smtpd.py" "$RS" >"$T/smtpd.log" 2>&1 &
_NET_PIDS+=("$!")
wait_for 5 "smtp server" nsx rs sh -c "ss -Hltn 'sport = :2525' | grep -q LISTEN"

echo 0 >"$T/tf0"
echo 3 >"$T/tf5"
chmod 644 "$T/tf0" "$T/tf5"

cat >"$T/d.conf" <<EOF
global_defs {
	smtp_helo_name global.helo.test
}
track_file tf0 {
	file "$T/tf0"
	weight 0
}
track_file tf5 {
	file "$T/tf5"
	weight 5
}
virtual_server 198.18.0.100 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS 81 {
		weight 1
		FILE_CHECK {
			track_file tf0
		}
	}
	real_server $RS 82 {
		weight 1
		FILE_CHECK {
			track_file tf5
			dynamic
		}
	}
	real_server $RS 2525 {
		weight 1
		SMTP_CHECK {
			connect_timeout 1
			retry 0
		}
	}
}
EOF

probe() { # probe KIND PORT FIELD
	ctl d --json status | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("result", d)["checker"]
for p in d["probes"]:
    users = p.get("users") or []
    rs = users[0].get("real_server", "") if users else ""
    if p.get("kind") == sys.argv[1] and rs.endswith(" " + sys.argv[2]):
        v = p
        for k in sys.argv[3].split("."):
            v = v[k]
        print(v if isinstance(v, str) else json.dumps(v))
        sys.exit(0)
sys.exit(1)
' "$1" "$2" "$3"
}
# probe_is KIND PORT STATE: in STATE after a result; "up" must come from a
# success ("ok..."), not from a failure still inside its retries.
probe_is() {
	[[ $(probe "$1" "$2" state) == "$3" && $(probe "$1" "$2" known) == true ]] || return 1
	[[ $3 != up || $(probe "$1" "$2" reason) == ok* ]]
}
await() { # await KIND PORT STATE [SECONDS]
	local end=$((SECONDS + ${4:-10}))
	while ((SECONDS < end)); do
		probe_is "$1" "$2" "$3" && return 0
		sleep 0.2
	done
	probe_is "$1" "$2" "$3" ||
		fail "$1 on port $2 not $3: reason '$(probe "$1" "$2" reason)'"
}
await_weight() { # await_weight KIND PORT WEIGHT
	local end=$((SECONDS + 10))
	while ((SECONDS < end)); do
		[[ $(probe "$1" "$2" weight) == "$3" ]] && return 0
		sleep 0.2
	done
	fail "$1 on port $2: weight $(probe "$1" "$2" weight), expected $3" \
		"(reason '$(probe "$1" "$2" reason)')"
}

"$VIGILD" -t -f "$T/d.conf" >"$T/t.out" 2>&1 || fail "vigild -t: $(cat "$T/t.out")"
vigild_start d d "$T/d.conf"

await FILE_CHECK 81 up
await FILE_CHECK 82 up
await SMTP_CHECK 2525 up
await_weight FILE_CHECK 82 16
log "up: '$(probe FILE_CHECK 82 reason)'; smtp '$(probe SMTP_CHECK 2525 reason)'"

echo 1 >"$T/tf0"
await FILE_CHECK 81 down
expect_match "value 1 with weight 0" "$(probe FILE_CHECK 81 reason)" "file down reason"
echo 0 >"$T/tf0"
await FILE_CHECK 81 up

rm -f "$T/tf5"
await_weight FILE_CHECK 82 1
expect_match "file missing, counts as 0" "$(probe FILE_CHECK 82 reason)" "missing file"
log "FILE down/up, weight 16 -> 1 when the file went"

kill -TERM "${VPID[d]}"
vigild_wait d 10
expect_eq 0 "$VRC" "vigild exit status"
log "PASS"
