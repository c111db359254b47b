#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# IPVS benchmark: keepalived 2.2.7 and vigild in the same VM run (the VM
# tier, tests/vm/run) program the same generated keepalived.conf; prints
# cold programming time, no-op reload and one-change reload figures.
#
# Usage: tests/bench/ipvs-bench.sh [SERVICES [REAL_SERVERS]]
# Environment: BENCH_SERVICES (10000), BENCH_RS (10),
#   BENCH_DAEMONS ("keepalived vigild"), BENCH_COLD_LIMIT (1200 s per cold
#   start), and everything tests/vm/run reads (VIGILD, VIGIL_VM_ACCEL...).
# The parameters reach the VM as the executable bench-ipvs-params
# (VIGIL_VM_EXTRA_BINS); without it the scenario skips itself.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
svcs=${1:-${BENCH_SERVICES:-10000}}
rs=${2:-${BENCH_RS:-10}}
daemons=${BENCH_DAEMONS:-keepalived vigild}
cold_limit=${BENCH_COLD_LIMIT:-1200}
for v in svcs rs cold_limit; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "ipvs-bench: $v must be a positive number" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ipvs-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
params=$work/bench-ipvs-params
{
	printf '#!/bin/sh\ncat <<EOF\n'
	printf 'BENCH_SERVICES=%d BENCH_RS=%d BENCH_COLD_LIMIT=%d BENCH_DAEMONS=%q\n' \
		"$svcs" "$rs" "$cold_limit" "$daemons"
	echo EOF
} >"$params"
chmod 755 "$params"

# Time: two cold starts plus reloads, generously.
export VIGIL_VM_TIMEOUT=${VIGIL_VM_TIMEOUT:-$((2 * cold_limit + 900))}
export VIGIL_VM_EXTRA_BINS="${VIGIL_VM_EXTRA_BINS:-} $params"
# genl (iproute2) tells the IPVS family's id, so that only its requests
# are counted on the nlmon device.
genl=$(command -v genl 2>/dev/null || true)
[[ -n $genl ]] && VIGIL_VM_EXTRA_BINS+=" $genl"
export VIGIL_VM_MODULES="${VIGIL_VM_MODULES:-} nlmon"
export VIGIL_VM_MEM=${VIGIL_VM_MEM:-2048}
# bench-ipvs has its own "# vmtest-timeout" header.

echo "ipvs-bench: $svcs services x $rs real servers, daemons: $daemons"
"$top/tests/vm/run" bench-ipvs | tee "$work/run.out"
rc=${PIPESTATUS[0]}
logdir=$(sed -n 's/^vm: boot .*; logs in //p' "$work/run.out" | tail -n 1)
log=$logdir/bench-ipvs.log
[[ -s $log ]] || { echo "ipvs-bench: no scenario log ($log)" >&2; exit 1; }

grep '^BENCH ' "$log" | sed 's/^/  /'
get() { # get DAEMON FIELD  (cold, rss_kb, or PHASE:KEY)
	local d=$1 f=$2 ph key
	case $f in
	*:*)
		ph=${f%%:*} key=${f#*:}
		grep "^BENCH $d $ph " "$log" | tr ' ' '\n' | sed -n "s/^$key=//p" | head -n 1
		;;
	*) grep "^BENCH $d $f " "$log" | awk '{ print $4 }' | head -n 1 ;;
	esac
}
v() { local x; x=$(get "$@"); echo "${x:-n/a}"; }
kv=$(grep '^BENCH keepalived_version' "$log" | sed 's/^BENCH keepalived_version //; s/^Keepalived v\([0-9.]*\).*/\1/')
printf '\n%-38s %-20s %-10s %s\n' "figure (${svcs} x ${rs})" "keepalived ${kv:-?}" "vigil" "target"
row() { printf '%-38s %-20s %-10s %s\n' "$@"; }
row "cold load (s)" "$(v keepalived cold)" "$(v vigild cold)" "half of keepalived's"
row "  CPU used for it (s)" "$(v keepalived cold_cpu)" "$(v vigild cold_cpu)" ""
row "  complete listing read at (s)" "$(v keepalived cold_listed)" "$(v vigild cold_listed)" ""
row "  of which config check alone, -t (s)" "$(v keepalived config_test)" "$(v vigild config_test)" ""
row "RSS after load (KiB)" "$(v keepalived rss_kb)" "$(v vigild rss_kb)" ""
row "no-op reload: settle (s)" "$(v keepalived noop:settle)" "$(v vigild noop:settle)" ""
row "no-op reload: kernel changes" "$(v keepalived noop:genl_requests)" \
	"$(v vigild noop:genl_requests) (log $(v vigild noop:logged_ops))" "0"
row "no-op reload: -Ln lines changed" "$(v keepalived noop:diff_lines)" "$(v vigild noop:diff_lines)" "0"
row "one change: settle (s)" "$(v keepalived change:settle)" "$(v vigild change:settle)" ""
row "one change: kernel changes" "$(v keepalived change:genl_requests)" \
	"$(v vigild change:genl_requests) (log $(v vigild change:logged_ops))" "1"
row "one change: -Ln lines changed" "$(v keepalived change:diff_lines)" "$(v vigild change:diff_lines)" "2 (old+new line)"
exit $rc
