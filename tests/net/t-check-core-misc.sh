#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# MISC_CHECK scripts are run by vigild itself (their parent is vigild, not
# the checker process), as the global script_user; the exit status drives
# the probe: a flag file toggles it down and up again; a script killed at
# misc_timeout is down; with misc_dynamic an exit status of 7 gives the
# weight 5 in `vigilctl --json status`.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need python3

ns_create d
S=$T/scripts
mkdir -p "$S" "$T/out"
chmod 755 "$T" "$S"
chmod 1777 "$T/out"
cat >"$S/flag.sh" <<EOF
#!/bin/sh
echo "\$(id -u) \$PPID" >"$T/out/flag.who"
test -e "$T/out/flag"
EOF
cat >"$S/slow.sh" <<EOF
#!/bin/sh
exec sleep 30
EOF
cat >"$S/dyn.sh" <<EOF
#!/bin/sh
exit 7
EOF
chmod 755 "$S"/*.sh
touch "$T/out/flag"

cat >"$T/d.conf" <<EOF
global_defs {
	script_user nobody
}
virtual_server 198.18.0.100 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server 198.18.0.2 8001 {
		MISC_CHECK {
			misc_path "$S/flag.sh"
			retry 0
		}
	}
	real_server 198.18.0.2 8002 {
		MISC_CHECK {
			misc_path "$S/slow.sh"
			misc_timeout 1
			retry 0
		}
	}
	real_server 198.18.0.2 8003 {
		weight 1
		MISC_CHECK {
			misc_path "$S/dyn.sh"
			misc_dynamic
		}
	}
}
EOF

# probe SCRIPT FIELD: a field of the MISC_CHECK probe whose script is SCRIPT.
probe() {
	ctl d --json status | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("result", d)["checker"]
for p in d["probes"]:
    if p.get("script", "").endswith(sys.argv[1]):
        v = "%s %s" % (p["state"], json.dumps(p["known"])) if sys.argv[2] == "state_known" else p[sys.argv[2]]
        print(v if isinstance(v, str) else json.dumps(v))
        sys.exit(0)
sys.exit(1)
' "$1" "$2"
}
probe_is() { [[ $(probe "$1" state_known) == "$2 true" ]]; }
wait_probe() { # wait_probe SCRIPT STATE SECONDS
	local end=$((SECONDS + $3))
	while ((SECONDS < end)); do
		probe_is "$1" "$2" && return 0
		sleep 0.2
	done
	probe_is "$1" "$2" || fail "probe $1 not $2 after $3 s: $(probe "$1" reason)"
}

"$VIGILD" -t -f "$T/d.conf" >"$T/t.out" 2>&1 || fail "vigild -t: $(cat "$T/t.out")"
vigild_start d d "$T/d.conf"

wait_probe flag.sh up 10
read -r uid ppid <"$T/out/flag.who"
expect_eq "$(id -u nobody)" "$uid" "uid the script ran as"
expect_eq "${VPID[d]}" "$ppid" "the script's parent (vigild, not the checker)"

rm -f "$T/out/flag"
wait_probe flag.sh down 10
log "flag.sh down: $(probe flag.sh reason)"
touch "$T/out/flag"
wait_probe flag.sh up 10
expect_eq 2 "$(probe flag.sh changes)" "flag.sh transitions"

wait_probe slow.sh down 10
log "slow.sh down: $(probe slow.sh reason)"

wait_probe dyn.sh up 10
for ((i = 0; i < 50; i++)); do
	[[ $(probe dyn.sh weight) == 5 ]] && break
	sleep 0.1
done
expect_eq 5 "$(probe dyn.sh weight)" "misc_dynamic weight of exit 7"
[[ $(ctl d --json status | jget checker.process.scripts_run) -ge 3 ]] ||
	fail "scripts_run below 3"

kill -TERM "${VPID[d]}"
vigild_wait d 10
expect_eq 0 "$VRC" "vigild exit status"
log "PASS"
