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
#   real server is up), BENCH_DAEMONS ("keepalived vigild"; may also name
#   floor and floor-rst: tests/vm/bench-check-floor.c, the simplest prober
#   doing the same probes, for a lower bound per probe), and everything
#   tests/vm/run reads (VIGILD, VIGILCTL, VIGIL_VM_ACCEL=kvm, ...).
# The parameters reach the VM as the executable bench-check-params, with
# the server (tests/vm/bench-check-server.c, compiled here with cc), through
# VIGIL_VM_EXTRA_BINS; without them the scenario skips itself.
# A benchmark never fails on a number: exit status 0 when the VM run
# passed, 1 when it did not (a daemon died, nothing measured), 2 for usage.
# The table's helpers are called through line(), indirectly:
# shellcheck disable=SC2317
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
	case $d in
	keepalived | vigild | floor | floor-rst) ;;
	*) echo "check-bench: unknown daemon '$d'" >&2; exit 2 ;;
	esac
done
# The floor columns of the table: only when measured.
floors=()
for d in floor floor-rst; do
	[[ " $daemons " == *" $d "* ]] && floors+=("$d")
done
ndaemons=$(wc -w <<<"$daemons")
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
"$cc" -O2 -Wall -Wextra -o "$work/bench-check-floor" "$top/tests/vm/bench-check-floor.c" ||
	{ echo "check-bench: cannot compile tests/vm/bench-check-floor.c" >&2; exit 2; }

# Each daemon: start, settle, measure twice, stop; plus the boot.
export VIGIL_VM_TIMEOUT=${VIGIL_VM_TIMEOUT:-$((ndaemons * (settle + 2 * secs + 120) + 300))}
export VIGIL_VM_EXTRA_BINS="${VIGIL_VM_EXTRA_BINS:-} $params $work/bench-check-server $work/bench-check-floor"
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
ratio() { # ratio VIGIL KEEPALIVED: vigil as a fraction of keepalived (first numbers)
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a !~ /^[0-9.]+/ || b !~ /^[0-9.]+/ || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
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
# us DAEMON [SUFFIX]: "user / sys" % of the checker; tcp_http DAEMON [SUFFIX]:
# "TCP / HTTP" probes answered per second; fratio DAEMON [SUFFIX]: its
# checker + main CPU per probe as a fraction of keepalived's; nil: nothing.
us() { echo "$(v "$1" "checker${2:-}" user) / $(v "$1" "checker${2:-}" sys)"; }
tcp_http() { echo "$(v "$1" "rate${2:-}" tcp_per_s) / $(v "$1" "rate${2:-}" http_per_s)"; }
fratio() { ratio "$(per_probe "$1" total "${2:-}")" "$(per_probe keepalived total "${2:-}")"; }
nil() { :; }
# line LABEL TARGET r|- FUNCTION ARGS...: one row of the table, a cell per
# daemon from "FUNCTION DAEMON ARGS..."; with r, the ratio vigil/keepalived
# (of the cells' first numbers). A column per floor daemon when measured.
line() {
	local label=$1 target=$2 r=$3 k x f out
	shift 3
	k=$("$1" keepalived "${@:2}") x=$("$1" vigild "${@:2}")
	[[ $r == r ]] && r=$(ratio "$x" "$k") || r=
	out=$(printf '%-36s %-16s %-10s %-8s %-8s' "$label" "$k" "$x" "$r" "$target")
	for f in "${floors[@]}"; do
		out+=$(printf ' %-12s' "$("$1" "$f" "${@:2}")")
	done
	echo "${out%"${out##*[! ]}"}"
}
out=$(printf '%-36s %-16s %-10s %-8s %-8s' "figure (${ntcp} TCP + ${nhttp} HTTP, 1 s)" \
	"keepalived ${kv:-?}" "vigil" "ratio" "target")
for f in "${floors[@]}"; do out+=$(printf ' %-12s' "$f"); done
printf '\n%s\n' "${out%"${out##*[! ]}"}"
line "up after start (of $((ntcp + nhttp)))" all - v settle up
line "time to all up (s)" "" - v settle secs
line "checker CPU (% of one CPU)" "<= 0.33" r v checker cpu
line "  of which user / sys (%)" "" r us
line "main CPU (% of one CPU)" "" - v main cpu
line "checker + main CPU (%)" "<= 0.33" r sum cpu
line "checker CPU per probe (us)" "<= 0.33" r per_probe checker
line "  of which user (us)" "" r per_probe user
line "checker + main CPU per probe (us)" "<= 0.33" r per_probe total
((${#floors[@]})) && line "  as a fraction of keepalived's" "<= 0.33" - fratio
line "with threaded NAPI (see README):" "" - nil
line "  checker + main CPU per probe (us)" "<= 0.33" r per_probe total -napi
line "  checker user per probe (us)" "" r per_probe user -napi
((${#floors[@]})) && line "  as a fraction of keepalived's" "<= 0.33" - fratio -napi
line "  checker CPU user / sys (%)" "" - us -napi
line "  probes answered TCP / HTTP (/s)" "" - tcp_http -napi
line "checker RSS (KiB)" "" - v checker rss_kb
line "main RSS (KiB)" "" - v main rss_kb
line "checker + main RSS (KiB)" "" - sum rss_kb
line "TCP probes answered (/s)" "$ntcp" - v rate tcp_per_s
line "HTTP probes answered (/s)" "$nhttp" - v rate http_per_s
line "whole VM busy (%)" "" - v vm busy_pct
line "daemon log written in sample (B)" "" - v vm log_bytes
exit "$rc"
