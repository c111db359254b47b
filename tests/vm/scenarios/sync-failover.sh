#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Connection sync follows VRRP: two directors run vigild with one VRRP
# instance (the VIP) and `lvs_sync_daemon eth0 VI_1`; a long-lived TCP
# connection from the client through the VIP to the real server survives
# the master's death.
#
#   LAN 198.18.0.0/24: dir1 .1 (priority 150), dir2 .2 (100), real .3,
#   client .4; VIP 198.18.0.10, service VIP:9000 DR -> real:9000.
#
# DR is used on purpose: the real server answers the client directly, so
# the only state the new master needs is IPVS's own connection entry,
# which the sync daemon carries. (With NAT the answers cross the director
# and the new master would also need the netfilter conntrack state, which
# is conntrackd's job, not IPVS's.)
#
# Checked: dir1 runs the master sync daemon and dir2 the backup one; the
# client's connection appears in dir2's /proc/net/ip_vs_conn before any
# failover; after `kill -9` of dir1's vigild and dir1's link going down,
# dir2 becomes MASTER, switches to the master sync daemon, and the same
# connection (same client port) keeps exchanging a line per second.
# shellcheck source=../lib.sh
. "$VMTEST_LIB"
need ipvsadm socat
need_module ip_vs ip_vs_rr

VIP=198.18.0.10
hosts_on_lan dir1 dir2 real client
# The sync daemon talks multicast (224.0.0.81); a plain switch floods it.
ip -n sw link set br0 type bridge mcast_snooping 0
ns_sysctl real net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
	net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
ip -n real addr add "$VIP/32" dev lo || fail "VIP on real's lo"

for d in dir1 dir2; do
	prio=150
	[[ $d == dir2 ]] && prio=100
	cat >"$T/$d.conf" <<CONF
global_defs {
	lvs_sync_daemon eth0 VI_1 id 51
}

vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $prio
	advert_int 1
	virtual_ipaddress {
		$VIP/32
	}
}

virtual_server $VIP 9000 {
	lb_algo rr
	lb_kind DR
	protocol TCP
	real_server 198.18.0.3 9000 {
		weight 1
	}
}
CONF
done

# sync_roles NAME: "master=<bool> backup=<bool>" from vigild's status.
sync_roles() {
	ctl "$1" --json status | tr -d ' \n' |
		sed -n 's/.*"sync_daemon":{\([^}]*\)}.*/\1/p' |
		sed -E 's/.*"master":(true|false),"backup":(true|false).*/master=\1 backup=\2/'
}
vrrp_state() {
	ctl "$1" --json status | tr -d ' \n' | grep -oE '"state":"(MASTER|BACKUP|FAULT|INIT)"' |
		head -n 1 | cut -d'"' -f4
}
is_state() { [[ $(vrrp_state "$1") == "$2" ]]; }
has_vip() { ip -n "$1" -o addr show dev eth0 | grep -q " $VIP/32 "; }
roles_are() { [[ $(sync_roles "$1") == "$2" ]]; }

vigild_start dir1 dir1 "$T/dir1.conf"
wait_for 15 "dir1 MASTER" is_state dir1 MASTER
vigild_start dir2 dir2 "$T/dir2.conf"
wait_for 15 "dir2 BACKUP" is_state dir2 BACKUP
wait_for 10 "dir1 holding the VIP" has_vip dir1
wait_for 10 "dir1: master sync daemon only" roles_are dir1 "master=true backup=false"
wait_for 10 "dir2: backup sync daemon only" roles_are dir2 "master=false backup=true"
log "sync daemons: dir1 $(sync_roles dir1), dir2 $(sync_roles dir2)"
# The kernel says the same.
expect_match 'master sync daemon' "$(ipvs dir1 -L --daemon)" "dir1's kernel sync daemon"
expect_match 'backup sync daemon' "$(ipvs dir2 -L --daemon)" "dir2's kernel sync daemon"

# The real server echoes lines; the client sends one a second and records
# each answer with its own local port (the same connection throughout).
bg_start echo real socat TCP-LISTEN:9000,bind=$VIP,reuseaddr,fork EXEC:cat
echo_listening() { nsx real netstat -ltn | grep -q ":9000 "; }
wait_for 10 "the echo server" echo_listening
cat >"$T/client.sh" <<'SH'
#!/bin/sh
# stdin/stdout: the TCP connection. Writes "N answer" lines to $1.
i=0
while [ $i -lt 600 ]; do
	i=$((i + 1))
	echo "line-$i"
	read -r answer || exit 1
	echo "$i $answer" >>"$1"
	sleep 1
done
SH
chmod 755 "$T/client.sh"
bg_start client client socat TCP:$VIP:9000,connect-timeout=5 SYSTEM:"$T/client.sh $T/client.got"
got() { [[ -s $T/client.got ]] && wc -l <"$T/client.got" || echo 0; }
got_at_least() { (($(got) >= $1)); }
wait_for 20 "the first answers" got_at_least 3
cport=$(ip netns exec client netstat -tn | awk -v v="$VIP:9000" '$5 == v && $6 == "ESTABLISHED" { n = split($4, a, ":"); print a[n] }')
[[ -n $cport ]] || fail "no established connection from the client to $VIP:9000"
log "client 198.18.0.4:$cport -> $VIP:9000 established; $(got) answers"

# Synced to the backup before any failover.
synced() { ipvs dir2 -Lnc | grep -qE "TCP .* 198\.18\.0\.4:$cport +$VIP:9000 +198\.18\.0\.3:9000"; }
wait_for 30 "the connection in dir2's IPVS table (sync)" synced
hexport=$(printf '%04X' "$cport")
ip netns exec dir2 grep -q "C6120004 $hexport C612000A 2328 C6120003 2328" /proc/net/ip_vs_conn ||
	fail "the connection is not in dir2's /proc/net/ip_vs_conn: $(ip netns exec dir2 cat /proc/net/ip_vs_conn)"
log "dir2 has the connection before the failover: $(ipvs dir2 -Lnc | grep "198.18.0.4:$cport")"

# The master dies hard, and its link goes with it.
before=$(got)
t0=$(date +%s)
kill -KILL "${VPID[dir1]}"
vigild_wait dir1 5
expect_eq 137 "$VRC" "dir1's exit status after kill -9"
ip -n dir1 link set eth0 down
wait_for 15 "dir2 MASTER" is_state dir2 MASTER
wait_for 5 "dir2 holding the VIP" has_vip dir2
wait_for 10 "dir2: master sync daemon only" roles_are dir2 "master=true backup=false"
t1=$(date +%s)
log "dir2 took over in about $((t1 - t0)) s; sync daemons: $(sync_roles dir2)"
wait_for 40 "5 more answers on the same connection after the failover" got_at_least $((before + 5))
cport2=$(ip netns exec client netstat -tn | awk -v v="$VIP:9000" '$5 == v && $6 == "ESTABLISHED" { n = split($4, a, ":"); print a[n] }')
expect_eq "$cport" "$cport2" "the client's connection (local port) after the failover"
alive "${VPID[client]}" || fail "the client's connection ended"
# Every line came back in order: no loss, no second connection.
bad=$(awk '$2 != "line-" $1' "$T/client.got" | head -n 3)
[[ -z $bad ]] || fail "answers out of order: $bad"
log "$(got) answers in order, $(( $(got) - before )) after the master was killed"
expect_match "198\.18\.0\.4:$cport" "$(ipvs dir2 -Lnc)" "the connection in dir2's table after the failover"
pass "connection synced before the failover and kept after it ($(got) answers)"
