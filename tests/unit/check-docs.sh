#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The man pages render without a groff warning, and systemd accepts
# doc/vigild.service (with ExecStart pointed at the vigild just built and
# the man pages it names findable). Run by `make check`.
set -eu

srcdir=${srcdir:-.}
vigild=${1:-daemon/vigild}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rc=0

for page in vigild.8 vigilctl.8 vigil.conf.5; do
	f=$srcdir/doc/$page
	if ! groff -man -ww -z "$f" >"$tmp/groff.out" 2>&1 || [ -s "$tmp/groff.out" ]; then
		echo "check-docs: $page: groff reports:"
		cat "$tmp/groff.out"
		rc=1
	fi
	if [ "$(MANWIDTH=80 man -l "$f" 2>/dev/null | wc -l)" -lt 20 ]; then
		echo "check-docs: $page: man -l renders (almost) nothing"
		rc=1
	fi
done

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "check-docs: systemd-analyze is not installed, so the service file cannot be verified: install systemd (scripts/install-deps)" >&2
	exit 1
fi
if [ ! -x "$vigild" ]; then
	echo "check-docs: $vigild not built" >&2
	exit 99
fi
abs_vigild=$(cd "$(dirname "$vigild")" && pwd)/$(basename "$vigild")
mkdir -p "$tmp/man/man5" "$tmp/man/man8"
cp "$srcdir/doc/vigild.8" "$srcdir/doc/vigilctl.8" "$tmp/man/man8/"
cp "$srcdir/doc/vigil.conf.5" "$tmp/man/man5/"
sed "s|/usr/sbin/vigild|$abs_vigild|g" "$srcdir/doc/vigild.service" >"$tmp/vigild.service"
if ! MANPATH=$tmp/man systemd-analyze verify "$tmp/vigild.service" >"$tmp/verify.out" 2>&1; then
	echo "check-docs: systemd-analyze verify rejects doc/vigild.service:"
	cat "$tmp/verify.out"
	rc=1
elif [ -s "$tmp/verify.out" ]; then
	echo "check-docs: systemd-analyze verify warns about doc/vigild.service:"
	cat "$tmp/verify.out"
	rc=1
fi
[ "$rc" -eq 0 ] && echo "check-docs: man pages and service file OK"
exit "$rc"
