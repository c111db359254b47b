#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every keyword vigil refuses ("(unsupported)" in `vigild --list-keywords`),
# every obsolete one, and every route option refused at load
# (ROUTE_REFUSED in conf/kw_static.c) is a deliberate difference from
# keepalived 2.2.7, so each must be named in the DIFFERENCES FROM KEEPALIVED
# section of vigil.conf(5). Run by `make check`.
set -eu

srcdir=${srcdir:-.}
vigild=${1:-daemon/vigild}
man=$srcdir/doc/vigil.conf.5
tmp=${TMPDIR:-/tmp}/check-differences.$$
trap 'rm -f "$tmp".*' EXIT

if [ ! -x "$vigild" ]; then
	echo "check-differences: $vigild not built" >&2
	exit 99
fi
# The section, groff escapes undone, one word per line.
sed -n '/^\.SH DIFFERENCES FROM KEEPALIVED/,/^\.SH /p' "$man" | sed -e 's/\\-/-/g' |
	tr -s ' ,;:.()"' '\n' | sort -u >"$tmp.sec"
if [ "$(wc -l <"$tmp.sec")" -lt 50 ]; then
	echo "check-differences: no DIFFERENCES FROM KEEPALIVED section in $man"
	exit 1
fi
{
	"$vigild" --list-keywords | awk '$3 == "(unsupported)" || $3 == "(obsolete)" { print $2 }'
	sed -n 's/.*ROUTE_REFUSED("\([^"]*\)").*/\1/p' "$srcdir/conf/kw_static.c"
} | sort -u >"$tmp.need"
n=$(wc -l <"$tmp.need")
if [ "$n" -lt 25 ]; then
	echo "check-differences: only $n refused or obsolete names found; the patterns no longer match"
	exit 1
fi
missing=$(comm -23 "$tmp.need" "$tmp.sec")
if [ -n "$missing" ]; then
	echo "check-differences: refused or obsolete, but not in DIFFERENCES FROM KEEPALIVED:"
	echo "$missing" | sed 's/^/  /'
	exit 1
fi
echo "check-differences: all $n refused or obsolete names are in DIFFERENCES FROM KEEPALIVED"
