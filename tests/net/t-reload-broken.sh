#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A broken config on reload changes nothing and says why; a fixed one is
# applied. Both SIGHUP and `vigilctl reload` paths.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

hosts_on_lan a
conf=$T/a.conf
write_good_conf "$conf" vt-before
vigild_start a a "$conf"

gen0=$(ctl a --json status | jget config.generation) || fail "status has no config.generation"
ctl a --json dump-config >"$T/dump0.json" || fail "dump-config failed"
json_valid <"$T/dump0.json" || fail "dump-config --json is not JSON"
grep -q vt-before "$T/dump0.json" || fail "dump-config does not show router_id vt-before"

# Break the file: two errors. SIGHUP.
cat >"$conf" <<'CONF'
global_defs {
	router_id vt-broken
	no_such_keyword_at_all
}
vrrp_instance VI_1 {
	interface eth0
	virtual_router_id 999
	priority 100
	virtual_ipaddress {
		198.18.0.100/32
	}
}
CONF
failed0=$(ctl a --json status | jget reload.failed)
kill -HUP "${VPID[a]}"
reload_failed_grew() {
	local n
	n=$(ctl a --json status | jget reload.failed) && [[ $n -gt $failed0 ]]
}
wait_for 10 "status to count the failed reload" reload_failed_grew
st=$(ctl a --json status)
expect_eq false "$(jget reload.last.ok <<<"$st")" "reload.last.ok after a broken SIGHUP"
errs=$(jget reload.last.errors <<<"$st")
expect_match "$conf:3" "$errs" "errors of the failed reload"
expect_match "$conf:7" "$errs" "errors of the failed reload"
expect_eq "$gen0" "$(jget config.generation <<<"$st")" "generation after a failed reload"
alive "${VPID[a]}" || fail "vigild died on a broken reload"

ctl a --json dump-config >"$T/dump1.json" || fail "dump-config after the broken reload failed"
cmp -s "$T/dump0.json" "$T/dump1.json" ||
	fail "running config changed after a broken reload: $(diff "$T/dump0.json" "$T/dump1.json" | head -20)"

# The same through vigilctl reload: exit 1, errors listed.
expect_rc 1 ctl a reload
expect_match "$conf:3" "$OUT" "vigilctl reload lists the errors"
expect_match "$conf:7" "$OUT" "vigilctl reload lists the errors"
alive "${VPID[a]}" || fail "vigild died on vigilctl reload of a broken file"

# Fix it with a visible change: reload applies it.
write_good_conf "$conf" vt-after
expect_rc 0 ctl a reload
ctl a --json dump-config >"$T/dump2.json" || fail "dump-config after the good reload failed"
grep -q vt-after "$T/dump2.json" || fail "dump-config does not show the reloaded router_id vt-after"
st=$(ctl a --json status)
gen2=$(jget config.generation <<<"$st")
[[ $gen2 -gt $gen0 ]] || fail "generation did not grow: $gen0 -> $gen2"
expect_eq true "$(jget reload.last.ok <<<"$st")" "reload.last.ok after a good reload"
