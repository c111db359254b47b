#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vigild -t and --dump-config: a good file is accepted with a one-line
# summary, a file with three different errors is rejected listing all three
# with file:line, and the dump is valid JSON.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

good=$T/good.conf
write_good_conf "$good"

expect_rc 0 "$VIGILD" -t -f "$good"
expect_eq 1 "$(grep -v ': warning: ' <<<"$OUT" | grep -c .)" \
	"vigild -t on a good file prints one line besides warnings"
# router_id has an effect (the subject of alert mail): no warning.
expect_eq 0 "$(grep -c ': warning: ' <<<"$OUT")" "warnings of vigild -t on a good file"
# A keyword without effect: vigild -t must say so, not ignore it silently.
sed 's/^\trouter_id .*/&\n\tvrrp_no_swap/' "$good" >"$T/noeffect.conf"
expect_rc 0 "$VIGILD" -t -f "$T/noeffect.conf"
expect_match "warning: 'vrrp_no_swap' is accepted but has no effect" "$OUT" \
	"vigild -t warns about a keyword without effect"
expect_rc 0 "$VIGILD" -t -f "$good"
expect_match "^vigild: configuration $good is valid: .+" "$OUT" "vigild -t summary"

# Three different mistakes on known lines: an unknown keyword (line 3), a
# priority out of range (line 10) and a value that is not a number (line 11).
bad=$T/bad.conf
cat >"$bad" <<'CONF'
global_defs {
	router_id vt-bad
	no_such_keyword_at_all 1
}

vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 300
	advert_int soon
	virtual_ipaddress {
		198.18.0.100/32
	}
}
CONF
expect_rc 1 "$VIGILD" -t -f "$bad"
for line in 3 10 11; do
	expect_match "^$bad:$line: error: .+" "$OUT" "error for line $line"
done
n=$(grep -cE "^$bad:[0-9]+: error: " <<<"$OUT" || true)
[[ $n -ge 3 ]] || fail "expected at least 3 errors, got $n: $OUT"

# A file that does not exist is a config error too, with its name.
expect_rc 1 "$VIGILD" -t -f "$T/missing.conf"
expect_match "missing.conf" "$OUT" "missing file named"

# --dump-config: valid JSON, naming what we configured.
"$VIGILD" --dump-config -f "$good" >"$T/dump.json" 2>"$T/dump.err" ||
	fail "--dump-config exited $?: $(cat "$T/dump.err")"
json_valid <"$T/dump.json" || fail "--dump-config output is not valid JSON: $(head -c 400 "$T/dump.json")"
grep -q 'vt-node' "$T/dump.json" || fail "--dump-config does not show router_id vt-node"
grep -q 'VI_1' "$T/dump.json" || fail "--dump-config does not show vrrp_instance VI_1"

# Usage errors are exit 2.
expect_rc 2 "$VIGILD" --no-such-option
