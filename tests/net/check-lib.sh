# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Health-check helpers for the namespace tier, sourced after lib.sh by the
# t-check-kinds* scenarios. They read a probe's state as an operator sees
# it, through `vigilctl --json status` (key "checker") of the vigild named
# d, and wait for it.

# probe KIND PORT FIELD: a field of the probe of KIND on real server port
# PORT (dotted for nested fields); fails when there is no such probe.
probe() {
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

# await KIND PORT STATE [SECONDS]: waits (10 s by default) or fails.
await() {
	local end=$((SECONDS + ${4:-10}))
	while ((SECONDS < end)); do
		probe_is "$1" "$2" "$3" && return 0
		sleep 0.2
	done
	probe_is "$1" "$2" "$3" ||
		fail "$1 on port $2 not $3: reason '$(probe "$1" "$2" reason)'"
}

# await_weight KIND PORT WEIGHT: waits up to 10 s for the probe's weight.
await_weight() {
	local end=$((SECONDS + 10))
	while ((SECONDS < end)); do
		[[ $(probe "$1" "$2" weight) == "$3" ]] && return 0
		sleep 0.2
	done
	fail "$1 on port $2: weight $(probe "$1" "$2" weight), expected $3" \
		"(reason '$(probe "$1" "$2" reason)')"
}

reason() { probe "$1" "$2" reason; }

# smtpd_start FILE [ARG...]: completes the python3 SMTP server FILE (which
# defines the handler class H; sys.argv[1] is the address) with a threading
# server on $RS port 2525, runs it in namespace rs with ARGs and waits until
# it listens. Its pid goes to the cleanup.
smtpd_start() {
	local f=$1
	shift
	cat >>"$f" <<'PY'
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
S((sys.argv[1], 2525), H).serve_forever()
PY
	# ip netns exec directly (not the nsx function) so that $! is the
	# server's own pid, which the cleanup kills.
	ip netns exec "$(ns_name rs)" python3 "$f" "$RS" "$@" >"$T/smtpd.log" 2>&1 &
	_NET_PIDS+=("$!")
	wait_for 5 "smtp server" nsx rs sh -c "ss -Hltn 'sport = :2525' | grep -q LISTEN"
}
