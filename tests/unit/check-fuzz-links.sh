#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every fuzz target links only pure code. Run by `make check` (in every
# build, fuzz or not) from the build directory.
#
# 1. The link lines: the Makefile.am fragments are flattened (includes
#    inlined, automake conditionals dropped, so the fuzz section counts in a
#    build without --enable-fuzz) and GNU make expands, for every program of
#    tests/fuzz/, its LDADD and SOURCES. Every library of ours an LDADD
#    names must be one of PURE_LIBS below, and every source must be in
#    tests/fuzz/ (a protocol file compiled into the target is a way round
#    the libraries).
# 2. The pure libraries themselves: none of them (as built here) calls a
#    socket, the event loop, the netlink socket helpers or fork. Skipped for
#    a library that is not built.
# 3. No source file is in two libraries, so no program links one file twice.
#
# Usage: check-fuzz-links.sh [MAKEFILE_AM] (default $srcdir/Makefile.am).
# Prints what it checked; exits 1 after naming every target, library or
# file that breaks a rule.
set -eu

srcdir=${srcdir:-.}
top=${1:-$srcdir/Makefile.am}
top_dir=$(dirname "$top")

# The message libraries of each folder, conf/ (the model types the parsers
# fill) and lib/.
PURE_LIBS="lib/libbase.a conf/libconf.a vrrp/libvrrp_msg.a ipvs/libipvs_msg.a \
check/libcheck_msg.a daemon/libdaemon_msg.a"
# What a pure library must not call.
IMPURE_SYMS='^(uv_.*|socket|socketpair|bind|connect|listen|accept4?|send|sendto|sendmsg|sendmmsg|recv|recvfrom|recvmsg|recvmmsg|setsockopt|poll|ppoll|select|epoll_.*|fork|vfork|execve|mnl_socket_.*|nl_socket_.*|nl_connect|nl_send.*|nl_recv.*|genl_connect|genl_ctrl_.*|sd_notify.*)$'

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-fuzz-links.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rc=0

flatten() {
	while IFS= read -r line; do
		case $line in
		'include '*) flatten "$top_dir/${line#include }" ;;
		'if '* | else | 'else '* | endif | 'endif '*) ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$1"
}

flatten "$top" >"$tmp/flat.mk"
cat >>"$tmp/flat.mk" <<'EOF'
canon = $(subst /,_,$(subst .,_,$(subst -,_,$(1))))
print-fuzz:
	@$(foreach p,$(filter tests/fuzz/%,$(noinst_PROGRAMS)),\
		echo '$(p)|$($(call canon,$(p))_LDADD)|$($(call canon,$(p))_SOURCES)';)
print-libs:
	@$(foreach l,$(noinst_LIBRARIES),echo '$(l)|$($(call canon,$(l))_SOURCES)';)
EOF
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -s -f "$tmp/flat.mk" "$1"
}
mk print-fuzz >"$tmp/fuzz"
mk print-libs >"$tmp/libs"

if [ ! -s "$tmp/fuzz" ]; then
	echo "check-fuzz-links: no fuzz target found in $top" >&2
	exit 99
fi

# 1. link lines and sources
while IFS='|' read -r prog ldadd sources; do
	libs=
	for w in $ldadd; do
		case $w in
		*.a)
			case " $PURE_LIBS " in
			*" $w "*) libs="$libs $w" ;;
			*)
				echo "check-fuzz-links: FAIL: $prog links $w, which is not pure code" \
					"(allowed: $PURE_LIBS)"
				rc=1
				;;
			esac
			;;
		esac
	done
	for s in $sources; do
		case $s in
		tests/fuzz/*) ;;
		*)
			echo "check-fuzz-links: FAIL: $prog compiles $s itself; link its folder's" \
				"message library instead"
			rc=1
			;;
		esac
	done
	echo "check-fuzz-links: $prog:$libs"
done <"$tmp/fuzz"

# 2. the pure libraries call no I/O
for lib in $PURE_LIBS; do
	case $lib in lib/* | conf/*) continue ;; esac
	if [ ! -f "$lib" ]; then
		echo "check-fuzz-links: $lib not built here; its symbols not checked"
		continue
	fi
	bad=$(nm -u "$lib" | awk '$1 == "U" { print $2 }' | grep -E "$IMPURE_SYMS" | sort -u |
		tr '\n' ' ')
	if [ -n "$bad" ]; then
		echo "check-fuzz-links: FAIL: $lib calls $bad(I/O in a pure library)"
		rc=1
	else
		echo "check-fuzz-links: $lib: no socket, loop or process calls"
	fi
done

# 3. each source in one library only
dups=$(while IFS='|' read -r lib sources; do
	for s in $sources; do
		case $s in *.c) echo "$s $lib" ;; esac
	done
done <"$tmp/libs" | sort | awk '$1 == f { print f " in " l " and " $2 } { f = $1; l = $2 }')
if [ -n "$dups" ]; then
	echo "check-fuzz-links: FAIL: compiled into two libraries: $dups"
	rc=1
fi

exit "$rc"
