#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# keepalived's multi-instance setup: one configuration file with '@a' and
# '@b' lines, two vigild started from the host's namespace with -i a and
# -i b, each told by `net_namespace` to work in a namespace of its own
# (made here with `ip netns add`) and by `instance` how to name its run
# files (keepalived 2.2.7, core/main.c and core/namespaces.c).
# 1. Both run side by side on their default run files,
#    /run/vigil/NS/vigild_NAME.pid and .sock (a private /run here, so the
#    host's is not touched); each pid file holds its own daemon's pid;
#    `vigilctl -i NAME -N NS` reaches each.
# 2. VRRP works inside the namespaces: a (priority 150) holds the VIP in its
#    namespace, b is backup in its own; when a stops, b takes the VIP over.
#    There is no eth0 in the host's namespace, so a daemon that had not
#    entered its namespace could not run the instance at all.
#    A reload that changes b's net_namespace is rejected; b keeps running.
# 3. net_namespace naming a namespace that does not exist: vigild -t
#    accepts the file (keepalived -t does not look either); starting fails
#    with exit status 3 and a message naming /run/netns/NAME. The same for
#    net_namespace_ipvs.
NET_PREFIX=${NET_PREFIX:-vm12n$$}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need nsenter
need unshare

vrrp_lan a b
NSA=$(ns_name a)
NSB=$(ns_name b)
VIP=198.18.0.100

cat >"$T/multi.conf" <<EOF
@a instance a
@b instance b
@a net_namespace $NSA
@b net_namespace $NSB
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
@a	priority 150
@b	priority 100
	version 3
	advert_int 0.1
	virtual_ipaddress {
		$VIP/24
	}
}
EOF

# A mount namespace whose /run is an empty tmpfs, /run/netns (with the
# namespaces made above) carried over; every vigild and vigilctl of this
# test runs in it.
mkdir "$T/netns"
unshare -m --propagation private sh -ec '
	mount --rbind /run/netns "$0"
	mount -t tmpfs -o mode=755,size=64k vigil-run /run
	mkdir /run/netns
	mount --rbind "$0" /run/netns
	touch "$0.ready"
	exec sleep 600' "$T/netns" &
HOLD=$!
_NET_PIDS+=("$HOLD")
wait_for 5 "the private /run" test -e "$T/netns.ready"
inrun() { nsenter -t "$HOLD" -m -- "$@"; }
[[ -e /run/netns/$NSA ]] || fail "no /run/netns/$NSA on the host"
inrun test -e "/run/netns/$NSA" || fail "/run/netns/$NSA is not in the private /run"

# start NAME: vigild -i NAME on its default run files, from the host's
# network namespace.
start() {
	VLOG[$1]=$T/$1.log
	nsenter -t "$HOLD" -m -- "$VIGILD" -f "$T/multi.conf" -i "$1" -n -l \
		</dev/null >>"${VLOG[$1]}" 2>&1 &
	VPID[$1]=$!
	_NET_PIDS+=("$!")
	_NET_VIGILD[$!]=$1
}
# vctl NAME ARGS...: vigilctl for the daemon of instance NAME.
vctl() {
	local n=$1 ns
	shift
	ns=$(ns_name "$n")
	inrun "$VIGILCTL" -i "$n" -N "$ns" "$@"
}
answers() { vctl "$1" status; }

start a
start b
for n in a b; do
	wait_for 10 "vigild $n answering on its default control socket" answers "$n"
	alive "${VPID[$n]}" || fail "vigild $n exited"
	pf=/run/vigil/$(ns_name "$n")/vigild_$n.pid
	expect_eq "${VPID[$n]}" "$(inrun cat "$pf")" "pid in $pf"
	inrun test -S "/run/vigil/$(ns_name "$n")/vigild_$n.sock" || fail "no socket beside $pf"
	grep -q "in network namespace $(ns_name "$n")" "${VLOG[$n]}" ||
		fail "vigild $n does not say which namespace it is in"
done
# What is in the private /run/vigil: the two pairs and nothing else.
expect_eq "$NSA/vigild_a.pid $NSA/vigild_a.sock $NSB/vigild_b.pid $NSB/vigild_b.sock" \
	"$(inrun sh -c 'cd /run/vigil && echo */*')" "files under /run/vigil"

wait_vip 10 a "$VIP"
# b hears a's adverts across the namespaces and stays backup.
for n in a b; do
	expect_match '"state": ?"(MASTER|BACKUP)"' "$(vctl "$n" --json status)" "vigild $n VRRP state"
done
expect_match '"state": ?"MASTER"' "$(vctl a --json status)" "a's state"
expect_match '"state": ?"BACKUP"' "$(vctl b --json status)" "b's state"
expect_no_vip b "$VIP"

kill -TERM "${VPID[a]}"
vigild_wait a 10
expect_eq 0 "$VRC" "exit status of a"
inrun test ! -e "/run/vigil/$NSA/vigild_a.pid" || fail "a left its pid file"
wait_vip 10 b "$VIP"
expect_no_vip a "$VIP"
answers b >/dev/null || fail "b stopped answering"

# A reload cannot move b into another namespace (keepalived keeps its
# configuration then): rejected, b keeps running in its own.
sed -i "s|^@b net_namespace .*|@b net_namespace $NSA|" "$T/multi.conf"
expect_rc 1 vctl b reload
grep -q "reload rejected: net_namespace cannot change at a reload" "${VLOG[b]}" ||
	fail "no rejection in b's log: $(grep reload "${VLOG[b]}")"
sed -i "s|^@b net_namespace .*|@b net_namespace $NSB|" "$T/multi.conf"
expect_rc 0 vctl b reload
has_vip b "$VIP" || fail "b lost the VIP over the reloads"

# ---- 3. a namespace that does not exist
missing=$NET_PREFIX-none
sed "s|^@a net_namespace .*|@a net_namespace $missing|" "$T/multi.conf" >"$T/missing.conf"
expect_rc 0 "$VIGILD" -t -f "$T/missing.conf" -i a
rc=0
out=$(inrun "$VIGILD" -f "$T/missing.conf" -i a -n -l 2>&1) || rc=$?
expect_eq 3 "$rc" "exit status with a missing namespace"
expect_match "net_namespace $missing: cannot open /run/netns/$missing: No such file or directory" \
	"$out" "message for a missing namespace"
# The same for net_namespace_ipvs (keepalived only finds out when IPVS
# starts; vigild stops before anything runs).
sed "s|^@a net_namespace .*|&\nnet_namespace_ipvs $missing|" "$T/multi.conf" >"$T/missing-ipvs.conf"
rc=0
out=$(inrun "$VIGILD" -f "$T/missing-ipvs.conf" -i a -n -l 2>&1) || rc=$?
expect_eq 3 "$rc" "exit status with a missing net_namespace_ipvs"
expect_match "net_namespace_ipvs $missing: cannot open /run/netns/$missing: No such file" \
	"$out" "message for a missing net_namespace_ipvs"
exit 0
