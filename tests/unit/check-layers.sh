#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The tree's shape, as doc/HACKING.md states it. Run by `make check`; by
# hand: srcdir=. tests/unit/check-layers.sh
#
# 1. Includes point down:
#      lib/     includes nothing of ours
#      conf/    lib/ only
#      vrrp/    lib/, conf/
#      check/   lib/, conf/
#      ipvs/    lib/, conf/, and of check/ only check/result.h and
#               check/probe.h (plain types)
#      snmp/    lib/, conf/, vrrp/, ipvs/, check/ (read-only views)
#      daemon/  anything (the top)
#    and no folder but daemon/ includes daemon/.
# 2. No source file over 1,500 lines.
# 3. No function over 150 lines (kernel style: a body opens with '{' in
#    column 0 and closes with '}' in column 0).
set -eu

srcdir=${srcdir:-.}
max_file=1500
max_func=150
rc=0

say() {
	echo "check-layers: $*"
	rc=1
}

# allowed FOLDER INCLUDE: is `#include "INCLUDE"` allowed in FOLDER?
allowed() {
	case $2 in
	config.h) return 0 ;;
	"$1"/*) return 0 ;;
	esac
	case $1 in
	lib) return 1 ;;
	conf) case $2 in lib/*) return 0 ;; esac ;;
	vrrp | check) case $2 in lib/* | conf/*) return 0 ;; esac ;;
	ipvs) case $2 in lib/* | conf/* | check/result.h | check/probe.h) return 0 ;; esac ;;
	snmp) case $2 in lib/* | conf/* | vrrp/* | ipvs/* | check/*) return 0 ;; esac ;;
	daemon) return 0 ;;
	esac
	return 1
}

folders="lib conf vrrp check ipvs snmp daemon"
nfiles=0
for d in $folders; do
	[ -d "$srcdir/$d" ] || continue
	for f in "$srcdir/$d"/*.c "$srcdir/$d"/*.h; do
		[ -f "$f" ] || continue
		nfiles=$((nfiles + 1))
		rel=$d/$(basename "$f")
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
			allowed "$d" "$inc" || say "$rel includes \"$inc\": $d/ may not depend on it"
		done
		n=$(wc -l <"$f")
		[ "$n" -le "$max_file" ] || say "$rel has $n lines (at most $max_file)"
		awk -v max="$max_func" -v file="$rel" '
			/^[A-Za-z_].*\(/ && !/;[ \t]*$/ { cand = $0; candline = FNR }
			/^\{/ { if (cand != "") { start = FNR; name = cand; line = candline; infn = 1 } }
			/^\}/ {
				if (infn && FNR - start + 1 > max)
					printf "%s:%d: a function of %d lines (at most %d): %s\n",
						file, line, FNR - start + 1, max, name
				infn = 0; cand = ""
			}' "$f" >"${TMPDIR:-/tmp}/check-layers.$$" || true
		if [ -s "${TMPDIR:-/tmp}/check-layers.$$" ]; then
			sed 's/^/check-layers: /' "${TMPDIR:-/tmp}/check-layers.$$"
			rc=1
		fi
		rm -f "${TMPDIR:-/tmp}/check-layers.$$"
	done
done
if [ "$nfiles" -lt 50 ]; then
	echo "check-layers: only $nfiles source files found under $srcdir: wrong srcdir?"
	exit 99
fi
[ "$rc" -eq 0 ] && echo "check-layers: $nfiles files: includes point down, sizes within limits"
exit "$rc"
