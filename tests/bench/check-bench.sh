#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Health-check benchmark: keepalived 2.2.7's checker and vigild's, one after
# the other in the same VM run (the VM tier, tests/vm/run), check the same
# generated keepalived.conf (TCP_CHECK and HTTP_GET real servers, delay_loop
# 1) against local servers; prints CPU and memory of the checker process and
# of the main process of each daemon, side by side.
#
# Usage: tests/bench/check-bench.sh [TCP_CHECKS [HTTP_CHECKS]]
# Environment: BENCH_TCP (10000), BENCH_HTTP (2000), BENCH_SECS (30 s of
#   measurement), BENCH_SETTLE (300: seconds a daemon may take until every
#   real server is up), BENCH_DAEMONS ("keepalived vigild"), and everything
#   tests/vm/run reads (VIGILD, VIGILCTL, VIGIL_VM_ACCEL=kvm, ...).
# The parameters reach the VM as the executable bench-check-params, with
# the server (tests/vm/bench-check-server.c, compiled here with cc), through
# VIGIL_VM_EXTRA_BINS; without them the scenario skips itself.
# A benchmark never fails on a number: exit status 0 when the VM run
# passed, 1 when it did not (a daemon died, nothing measured), 2 for usage.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ntcp=${1:-${BENCH_TCP:-10000}}
nhttp=${2:-${BENCH_HTTP:-2000}}
secs=${BENCH_SECS:-30}
settle=${BENCH_SETTLE:-300}
daemons=${BENCH_DAEMONS:-keepalived vigild}
for v in ntcp nhttp; do
	[[ ${!v} =~ ^[0-9]+$ && ${!v} -le 25000 ]] || { echo "check-bench: $v must be 0..25000" >&2; exit 2; }
done
[[ $secs =~ ^[1-9][0-9]*$ && $secs -le 300 ]] || { echo "check-bench: BENCH_SECS must be 1..300" >&2; exit 2; }
[[ $settle =~ ^[1-9][0-9]*$ && $settle -le 600 ]] || { echo "check-bench: BENCH_SETTLE must be 1..600" >&2; exit 2; }
for d in $daemons; do
	[[ $d == keepalived || $d == vigild ]] || { echo "check-bench: unknown daemon '$d'" >&2; exit 2; }
done
cc=${CC:-cc}
command -v "$cc" >/dev/null || { echo "check-bench: no C compiler ($cc)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/check-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
params=$work/bench-check-params
{
	printf '#!/bin/sh\ncat <<EOF\n'
	printf 'BENCH_TCP=%d BENCH_HTTP=%d BENCH_SECS=%d BENCH_SETTLE=%d BENCH_DAEMONS=%q\n' \
		"$ntcp" "$nhttp" "$secs" "$settle" "$daemons"
	echo EOF
} >"$params"
chmod 755 "$params"
"$cc" -O2 -Wall -Wextra -o "$work/bench-check-server" "$top/tests/vm/bench-check-server.c" ||
	{ echo "check-bench: cannot compile tests/vm/bench-check-server.c" >&2; exit 2; }

# Two daemons, each: start, settle, measure, stop; plus the boot.
export VIGIL_VM_TIMEOUT=${VIGIL_VM_TIMEOUT:-$((2 * (settle + secs + 120) + 300))}
export VIGIL_VM_EXTRA_BINS="${VIGIL_VM_EXTRA_BINS:-} $params $work/bench-check-server"
# ethtool: the second window, with threaded NAPI (scripts/install-deps has it).
ethtool=$(command -v ethtool 2>/dev/null || true)
[[ -n $ethtool ]] && VIGIL_VM_EXTRA_BINS+=" $ethtool"
export VIGIL_VM_MEM=${VIGIL_VM_MEM:-2048}
# bench-check has its own "# vmtest-timeout" header (2400 s).

echo "check-bench: $ntcp TCP_CHECK + $nhttp HTTP_GET at delay_loop 1, ${secs} s sample, daemons: $daemons"
"$top/tests/vm/run" bench-check | tee "$work/run.out"
rc=${PIPESTATUS[0]}
logdir=$(sed -n 's/^vm: boot .*; logs in //p' "$work/run.out" | tail -n 1)
log=$logdir/bench-check.log
[[ -s $log ]] || { echo "check-bench: no scenario log ($log)" >&2; exit 1; }

grep '^BENCH ' "$log" | sed 's/^/  /'
get() { # get DAEMON WHAT KEY: from "BENCH DAEMON WHAT k=v ..."
	grep "^BENCH $1 $2 " "$log" | tr ' ' '\n' | sed -n "s/^$3=//p" | head -n 1
}
v() { local x; x=$(get "$@"); echo "${x:-n/a}"; }
sum() { # sum DAEMON KEY [SUFFIX]: checker + main
	local a b
	a=$(get "$1" "checker${3:-}" "$2") b=$(get "$1" "main${3:-}" "$2")
	[[ -n $a && -n $b ]] || { echo n/a; return; }
	awk -v a="$a" -v b="$b" 'BEGIN { if (a ~ /\./ || b ~ /\./) printf "%.1f\n", a + b; else print a + b }'
}
ratio() { # ratio VIGIL KEEPALIVED: vigil as a fraction of keepalived
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}
hz=$(grep '^BENCH config ' "$log" | tr ' ' '\n' | sed -n 's/^hz=//p')
# per_probe DAEMON checker|user|total [SUFFIX]: CPU microseconds per probe
# the servers answered (SUFFIX -napi: the threaded-NAPI window).
per_probe() {
	local t p x=${3:-}
	case $2 in
	total) t=$(sum "$1" ticks "$x") ;;
	user) t=$(get "$1" "checker$x" uticks) ;;
	*) t=$(get "$1" "checker$x" ticks) ;;
	esac
	p=$(get "$1" "rate$x" probes)
	awk -v t="${t:-x}" -v p="${p:-0}" -v hz="${hz:-100}" 'BEGIN {
		if (t == "x" || t == "n/a" || p + 0 == 0) print "n/a"; else printf "%.0f\n", t / hz * 1e6 / p }'
}
kv=$(grep '^BENCH keepalived_version' "$log" | sed 's/^BENCH keepalived_version //; s/^Keepalived v\([0-9.]*\).*/\1/')
kc=$(v keepalived checker cpu) vc=$(v vigild checker cpu)
kt=$(sum keepalived cpu) vt=$(sum vigild cpu)
printf '\n%-36s %-16s %-10s %-8s %s\n' "figure (${ntcp} TCP + ${nhttp} HTTP, 1 s)" "keepalived ${kv:-?}" "vigil" "ratio" "target"
row() { printf '%-36s %-16s %-10s %-8s %s\n' "$@"; }
row "up after start (of $((ntcp + nhttp)))" "$(v keepalived settle up)" "$(v vigild settle up)" "" "all"
row "time to all up (s)" "$(v keepalived settle secs)" "$(v vigild settle secs)" "" ""
row "checker CPU (% of one CPU)" "$kc" "$vc" "$(ratio "$vc" "$kc")" "<= 0.33"
row "  of which user / sys (%)" "$(v keepalived checker user) / $(v keepalived checker sys)" \
	"$(v vigild checker user) / $(v vigild checker sys)" \
	"$(ratio "$(v vigild checker user)" "$(v keepalived checker user)")" ""
row "main CPU (% of one CPU)" "$(v keepalived main cpu)" "$(v vigild main cpu)" "" ""
row "checker + main CPU (%)" "$kt" "$vt" "$(ratio "$vt" "$kt")" "<= 0.33"
row "checker CPU per probe (us)" "$(per_probe keepalived checker)" "$(per_probe vigild checker)" \
	"$(ratio "$(per_probe vigild checker)" "$(per_probe keepalived checker)")" "<= 0.33"
row "  of which user (us)" "$(per_probe keepalived user)" "$(per_probe vigild user)" \
	"$(ratio "$(per_probe vigild user)" "$(per_probe keepalived user)")" ""
row "checker + main CPU per probe (us)" "$(per_probe keepalived total)" "$(per_probe vigild total)" \
	"$(ratio "$(per_probe vigild total)" "$(per_probe keepalived total)")" "<= 0.33"
row "with threaded NAPI (see README):" "" "" "" ""
row "  checker + main CPU per probe (us)" "$(per_probe keepalived total -napi)" "$(per_probe vigild total -napi)" \
	"$(ratio "$(per_probe vigild total -napi)" "$(per_probe keepalived total -napi)")" "<= 0.33"
row "  checker user per probe (us)" "$(per_probe keepalived user -napi)" "$(per_probe vigild user -napi)" \
	"$(ratio "$(per_probe vigild user -napi)" "$(per_probe keepalived user -napi)")" ""
row "  probes answered TCP / HTTP (/s)" "$(v keepalived rate-napi tcp_per_s) / $(v keepalived rate-napi http_per_s)" \
	"$(v vigild rate-napi tcp_per_s) / $(v vigild rate-napi http_per_s)" "" ""
row "checker RSS (KiB)" "$(v keepalived checker rss_kb)" "$(v vigild checker rss_kb)" "" ""
row "main RSS (KiB)" "$(v keepalived main rss_kb)" "$(v vigild main rss_kb)" "" ""
row "checker + main RSS (KiB)" "$(sum keepalived rss_kb)" "$(sum vigild rss_kb)" "" ""
row "TCP probes answered (/s)" "$(v keepalived rate tcp_per_s)" "$(v vigild rate tcp_per_s)" "" "$ntcp"
row "HTTP probes answered (/s)" "$(v keepalived rate http_per_s)" "$(v vigild rate http_per_s)" "" "$nhttp"
row "whole VM busy (%)" "$(v keepalived vm busy_pct)" "$(v vigild vm busy_pct)" "" ""
row "daemon log written in sample (B)" "$(v keepalived vm log_bytes)" "$(v vigild vm log_bytes)" "" ""
exit "$rc"
