#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Two daemons side by side, each with its own pid file and control socket;
# a third one pointed at a pid file already held exits 3 and harms nobody.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

hosts_on_lan a b
write_good_conf "$T/a.conf" vt-a 51
write_good_conf "$T/b.conf" vt-b 52
vigild_start a a "$T/a.conf"
vigild_start b b "$T/b.conf"

sa=$(ctl a --json status) || fail "status from a"
sb=$(ctl b --json status) || fail "status from b"
expect_eq "${VPID[a]}" "$(jget pid <<<"$sa")" "pid reported by a"
expect_eq "${VPID[b]}" "$(jget pid <<<"$sb")" "pid reported by b"
expect_eq "$T/a.conf" "$(jget config.file <<<"$sa")" "config file reported by a"
expect_eq "$T/b.conf" "$(jget config.file <<<"$sb")" "config file reported by b"
expect_eq "${VPID[a]}" "$(tr -d '[:space:]' <"${VPIDFILE[a]}")" "pid file of a"
expect_eq "${VPID[b]}" "$(tr -d '[:space:]' <"${VPIDFILE[b]}")" "pid file of b"

# Third daemon reusing a's pid file, with its own socket: runtime failure.
rc=0
timeout 10 ip netns exec "$(ns_name b)" "$VIGILD" -f "$T/b.conf" -n -l \
	-p "${VPIDFILE[a]}" --control-socket "$T/c.sock" >"$T/c.log" 2>&1 || rc=$?
# shellcheck disable=SC2034 # VLOG is read by the cleanup in lib.sh
VLOG[c]=$T/c.log
expect_eq 3 "$rc" "exit status of a vigild whose pid file is held (log: $(cat "$T/c.log"))"
[[ -s $T/c.log ]] || fail "the refused vigild said nothing"
expect_eq "${VPID[a]}" "$(tr -d '[:space:]' <"${VPIDFILE[a]}")" "a's pid file after the refused start"

alive "${VPID[a]}" || fail "a died"
alive "${VPID[b]}" || fail "b died"
ctl a status >/dev/null || fail "a stopped answering"
ctl b status >/dev/null || fail "b stopped answering"
