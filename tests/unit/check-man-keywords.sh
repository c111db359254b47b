#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every keyword vigild knows must be documented in vigil.conf(5) as a
# ".B keyword" line (".BI keyword ..." / ".BR keyword ..." count too).
# `vigild --list-keywords` prints one "block keyword" pair per line.
# Run by `make check` (srcdir is set by the test harness); by hand:
#   srcdir=. tests/unit/check-man-keywords.sh [path/to/vigild]
set -eu

srcdir=${srcdir:-.}
vigild=${1:-daemon/vigild}
man=$srcdir/doc/vigil.conf.5
tmp=${TMPDIR:-/tmp}/check-man-keywords.$$
trap 'rm -f "$tmp".*' EXIT

if [ ! -x "$vigild" ]; then
	echo "check-man-keywords: $vigild not built" >&2
	exit 99
fi
if [ ! -r "$man" ]; then
	echo "check-man-keywords: $man not found" >&2
	exit 99
fi

rc=0
"$vigild" --list-keywords >"$tmp.kw" 2>"$tmp.err" || rc=$?
if [ "$rc" -ne 0 ]; then
	echo "check-man-keywords: '$vigild --list-keywords' exited $rc:" >&2
	cat "$tmp.err" >&2
	exit 99
fi
if [ ! -s "$tmp.kw" ]; then
	echo "check-man-keywords: '$vigild --list-keywords' printed nothing" >&2
	exit 99
fi

# The first argument of every .B/.BI/.BR line, groff escapes undone.
sed -n 's/^\.B[IR]\{0,1\}[[:space:]]\{1,\}"\{0,1\}\([^"[:space:]]*\).*/\1/p' "$man" |
	sed -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\(ti/~/g' | sort -u >"$tmp.doc"

# Keywords not documented: "block keyword" lines whose keyword is missing.
awk 'NR == FNR { doc[$0] = 1; next }
     NF > 0 && !($2 in doc) { print "  " $0 }' "$tmp.doc" "$tmp.kw" >"$tmp.missing"

total=$(awk 'NF > 0' "$tmp.kw" | wc -l)
missing=$(wc -l <"$tmp.missing")
if [ "$missing" -gt 0 ]; then
	echo "check-man-keywords: $missing of $total keywords are not documented in $man" \
		"as '.B keyword' (block keyword):"
	cat "$tmp.missing"
	exit 1
fi
echo "check-man-keywords: all $total keywords documented"
