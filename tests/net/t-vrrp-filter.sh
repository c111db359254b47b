#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vrrp/filter in a namespace: filtertool opens the no_accept filter and
# blocks the VIPs 198.18.0.10 and fd00:198:18::10; `nft list table` shows
# the sets, the rules and the elements; a peer's ping to the VIPs fails
# while they are blocked and works again after an empty set; close removes
# the table. Then the same with vrrp_ipsets: `ipset list` follows the
# addresses, sets we created are destroyed on close, a set that was there
# before stays. A stale table from an earlier run is replaced at open.
# FILTERTOOL selects the driver (default build-asan/tests/net/filtertool).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

FILTERTOOL=${FILTERTOOL:-$NET_TOP/build-asan/tests/net/filtertool}
[[ -x $FILTERTOOL ]] || fail "FILTERTOOL=$FILTERTOOL is not an executable (make check builds it)"
need nft ipset ping

ns_create a b
veth_link a eth0 b eth0
addr_add a eth0 198.18.0.1/24
addr_add a eth0 fd00:198:18::1/64
addr_add a eth0 198.18.0.10/32
addr_add a eth0 fd00:198:18::10/128
addr_add b eth0 198.18.0.2/24
addr_add b eth0 fd00:198:18::2/64

reach() { nsx b ping -c 1 -W 1 "$1" >/dev/null 2>&1; }
expect_reach() { reach "$1" || fail "$2: $1 does not answer"; }
expect_blocked() { ! reach "$1" || fail "$2: $1 answers"; }

# filtertool_start NAME ARGS...: run filtertool in a, fed from a FIFO on fd
# 3, answers in $T/NAME.out; waits for "ready".
ft_out=
ft_pid=
ft_n=0
filtertool_start() {
	local name=$1
	shift
	ft_out=$T/$name.out
	ft_n=0
	mkfifo "$T/$name.in"
	nsx a "$FILTERTOOL" "$@" <"$T/$name.in" >"$ft_out" 2>"$T/$name.err" &
	ft_pid=$!
	_NET_PIDS+=("$ft_pid")
	exec 3>"$T/$name.in"
	ft_wait ready
}
ft_lines_at_least() { (($(wc -l <"$ft_out") >= $1)); }
# ft_wait WORD: the next answer line must be WORD.
ft_wait() {
	ft_n=$((ft_n + 1))
	wait_for 10 "filtertool answer $ft_n" ft_lines_at_least "$ft_n"
	expect_eq "$1" "$(sed -n "${ft_n}p" "$ft_out")" "filtertool answer $ft_n"
}
ft() { # ft COMMAND...: send one command, expect "ok"
	echo "$*" >&3
	ft_wait ok
}
filtertool_stop() {
	echo close >&3
	ft_wait closed
	exec 3>&-
	wait "$ft_pid" || fail "filtertool exited $?"
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T"/*.err; then
		cat "$T"/*.err >&2
		fail "sanitizer report from filtertool"
	fi
}

# ---- nftables
expect_reach 198.18.0.10 "before the filter"
expect_reach fd00:198:18::10 "before the filter"

# A stale table (a crashed run) is replaced, not merged.
nsx a nft add table inet vigil
nsx a nft add chain inet vigil leftover

filtertool_start nft -c
expect_reach 198.18.0.10 "filter open, nothing blocked yet"
ft set 198.18.0.10 fd00:198:18::10

table=$(nsx a nft list table inet vigil)
log "$table"
[[ $table != *leftover* ]] || fail "the stale chain survived the open"
expect_match 'set vips4 \{' "$table" "IPv4 set"
expect_match 'type ipv4_addr' "$table" "IPv4 set type"
expect_match 'elements = \{ 198\.18\.0\.10 \}' "$table" "IPv4 elements"
expect_match 'set vips6 \{' "$table" "IPv6 set"
expect_match 'type ipv6_addr' "$table" "IPv6 set type"
expect_match 'elements = \{ fd00:198:18::10 \}' "$table" "IPv6 elements"
expect_match 'type filter hook input priority filter - 1; policy accept;' "$table" "chain"
expect_match 'ip daddr @vips4 counter packets [0-9]+ bytes [0-9]+ drop' "$table" "IPv4 rule"
expect_match 'ip6 daddr @vips6 counter packets [0-9]+ bytes [0-9]+ drop' "$table" "IPv6 rule"

expect_blocked 198.18.0.10 "VIP blocked"
expect_blocked fd00:198:18::10 "VIP blocked"
expect_reach 198.18.0.1 "a's own address while the VIPs are blocked"
expect_reach fd00:198:18::1 "a's own address while the VIPs are blocked"
table=$(nsx a nft list table inet vigil)
expect_match 'ip daddr @vips4 counter packets [1-9][0-9]* bytes' "$table" "IPv4 drops counted"

ft set
table=$(nsx a nft list table inet vigil)
[[ $table != *elements* ]] || fail "elements left after an empty set: $table"
expect_reach 198.18.0.10 "after the empty set"
expect_reach fd00:198:18::10 "after the empty set"

# Replacing: only the new content counts.
ft set 198.18.0.11 198.18.0.10
ft set 198.18.0.11
expect_reach 198.18.0.10 "after replacing the set"
expect_match 'elements = \{ 198\.18\.0\.11 \}' "$(nsx a nft list table inet vigil)" "replaced"

filtertool_stop
nsx a nft list table inet vigil >/dev/null 2>&1 && fail "table inet vigil left after close"

# Another table name and priority; no counters.
filtertool_start nft2 -t vt_other -p 5
ft set 198.18.0.10
table=$(nsx a nft list table inet vt_other)
expect_match 'priority filter \+ 5;' "$table" "priority 5"
expect_match 'ip daddr @vips4 drop' "$table" "rule without counter"
expect_blocked 198.18.0.10 "VIP blocked (table vt_other)"
filtertool_stop
nsx a nft list table inet vt_other >/dev/null 2>&1 && fail "table vt_other left after close"

# ---- ipsets (default names vigil / vigil6)
filtertool_start ips -s
ft set 198.18.0.10 fd00:198:18::10
expect_match '^198\.18\.0\.10$' "$(nsx a ipset list vigil)" "ipset vigil content"
expect_match 'family inet ' "$(nsx a ipset list vigil)" "ipset vigil family"
expect_match '^fd00:198:18::10$' "$(nsx a ipset list vigil6)" "ipset vigil6 content"
expect_match 'family inet6 ' "$(nsx a ipset list vigil6)" "ipset vigil6 family"
ft set 198.18.0.11 198.18.0.12
members=$(nsx a ipset list vigil | sed -n '/^Members:/,$p' | tail -n +2 | sort | tr '\n' ' ')
expect_eq "198.18.0.11 198.18.0.12 " "$members" "ipset vigil after a change"
members=$(nsx a ipset list vigil6 | sed -n '/^Members:/,$p' | tail -n +2 | tr '\n' ' ')
expect_eq "" "$members" "ipset vigil6 after a change"
filtertool_stop
nsx a ipset list vigil >/dev/null 2>&1 && fail "ipset vigil left after close"
nsx a ipset list vigil6 >/dev/null 2>&1 && fail "ipset vigil6 left after close"

# A set that existed before is emptied of our addresses but kept.
nsx a ipset create keep4 hash:ip
filtertool_start ips2 -s -n keep4
ft set 198.18.0.10 fd00:198:18::10
expect_match '^198\.18\.0\.10$' "$(nsx a ipset list keep4)" "ipset keep4 content"
expect_match '^fd00:198:18::10$' "$(nsx a ipset list keep46)" "ipset keep46 (derived name)"
filtertool_stop
nsx a ipset list keep4 >/dev/null 2>&1 || fail "the operator's ipset keep4 was destroyed"
expect_match 'Number of entries: 0' "$(nsx a ipset list keep4)" "keep4 emptied"
nsx a ipset list keep46 >/dev/null 2>&1 && fail "ipset keep46 left after close"
log "ok"
