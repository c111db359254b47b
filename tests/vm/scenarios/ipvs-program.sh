#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vigild programs IPVS from a configuration with services of every kind
# (TCP, UDP, SCTP; IPv4 and IPv6; fwmark; a virtual_server_group with an
# address range and a fwmark; every scheduler the kernel has, with the sh
# and mh flags; persistence with a granularity and the sip engine; ops;
# NAT, DR and TUN with ipip, gue and gre; weights; thresholds), and:
#  - `ipvsadm -Ln` and `ipvsadm -Sn` show exactly what the config says
#    (expected texts written by hand below, compared line by line without
#    regard to the kernel's listing order or column padding);
#  - a leftover copy of one of our services (wrong scheduler, a stray real
#    server) is edited into shape at start;
#  - a reload changing one weight makes exactly one kernel change (one line
#    of `ipvsadm -Ln` differs; vigild logs 1 operation);
#  - a reload without a change makes none ("ipvs: no change");
#  - a service added by hand with ipvsadm survives reloads untouched;
#  - lvs_flush_on_stop VS removes our services at stop, not the foreign one.
# shellcheck source=../lib.sh
. "$VMTEST_LIB"
need ipvsadm
need_module ip_vs ip_vs_rr ip_vs_sh ip_vs_mh ip_vs_pe_sip

ns_create dir

# by_service: `ipvsadm -Ln` (or the expected text) as one line per service
# and one per "service | real server", blanks squeezed, header dropped,
# sorted: independent of the kernel's hash order and of column padding.
by_service() {
	sed -e 's/[[:space:]]\{1,\}/ /g' -e 's/^ //' -e 's/ $//' |
		awk '/^(IP Virtual Server|Prot |-> RemoteAddress)/ { next }
		     /^-> / { print svc " | " $0; next }
		     NF { svc = $0; print svc }' | sort
}
# rules: `ipvsadm -Sn` (or the expected text) sorted, blanks squeezed.
rules() { sed -e 's/[[:space:]]\{1,\}/ /g' -e 's/ $//' | grep -v '^$' | sort; }

# compare WHAT EXPECTED_FILE GOT_FILE
compare() {
	if ! diff -u "$2" "$3" >"$T/$1.diff"; then
		cat "$T/$1.diff" >&2
		fail "$1 differs from the configuration (see the diff above)"
	fi
}

# ops_logged: the operation count of vigild's last "ipvs: ..." result line
# ("no change" is 0).
ops_logged() {
	local l
	l=$(grep -E 'ipvs: (no change|[0-9]+ services, [0-9]+ dests: [0-9]+ operations)' "${VLOG[dir]}" | tail -n 1)
	case $l in
	*"no change"*) echo 0 ;;
	*operations*) sed -E 's/.*dests: ([0-9]+) operations.*/\1/' <<<"$l" ;;
	*) echo "none" ;;
	esac
}
n_results() { grep -cE 'ipvs: (no change|[0-9]+ services, [0-9]+ dests: [0-9]+ operations)' "${VLOG[dir]}" || true; }
results_gt() { [[ $(n_results) -gt $1 ]]; }

# reload_and_wait: SIGHUP-free reload through vigilctl; waits for the next
# result line.
reload_and_wait() {
	local before
	before=$(n_results)
	ctl dir reload >/dev/null || fail "vigilctl reload failed"
	wait_for 10 "vigild's reconcile result after the reload" results_gt "$before"
}

write_conf() { # write_conf FILE WEIGHT_OF_198.18.2.2:8080
	cat >"$1" <<CONF
global_defs {
	router_id director
	lvs_flush_on_stop VS
	lvs_timeouts tcp 900 tcpfin 30 udp 60
}

virtual_server_group G1 {
	198.18.3.1-3 80
	fwmark 7
}

virtual_server 198.18.1.1 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server 198.18.2.1 8080 {
		weight 1
	}
	real_server 198.18.2.2 8080 {
		weight $2
	}
}

virtual_server 198.18.1.1 443 {
	lb_algo wrr
	lb_kind DR
	protocol TCP
	persistence_timeout 300
	persistence_granularity 255.255.255.0
	real_server 198.18.2.1 443 {
		weight 3
		uthreshold 100
		lthreshold 10
	}
	real_server 198.18.2.2 443 {
		weight 0
	}
}

virtual_server 198.18.1.2 53 {
	lb_algo lc
	lb_kind NAT
	protocol UDP
	ops
	real_server 198.18.2.3 53 {
		weight 1
	}
}

virtual_server 198.18.1.3 5060 {
	lb_algo wlc
	lb_kind NAT
	protocol UDP
	persistence_timeout 60
	persistence_engine sip
	real_server 198.18.2.4 5060 {
		weight 1
	}
}

virtual_server 198.18.1.4 3868 {
	lb_algo lblc
	lb_kind NAT
	protocol SCTP
	real_server 198.18.2.5 3868 {
		weight 1
	}
}

virtual_server 198.18.1.5 80 {
	lb_algo lblcr
	lb_kind TUN
	protocol TCP
	real_server 198.18.2.6 80 {
		weight 1
	}
}

virtual_server 198.18.1.6 80 {
	lb_algo dh
	protocol TCP
	real_server 198.18.2.7 80 {
		lvs_method TUN type gue port 6080
		weight 1
	}
}

virtual_server 198.18.1.7 80 {
	lb_algo sh
	sh-port
	sh-fallback
	lb_kind TUN
	protocol TCP
	real_server 198.18.2.8 80 {
		lvs_method TUN type gre csum
		weight 4
	}
}

virtual_server 198.18.1.8 80 {
	lb_algo sed
	lb_kind DR
	protocol TCP
	real_server 198.18.2.9 80 {
		weight 1
	}
}

virtual_server 198.18.1.9 80 {
	lb_algo nq
	lb_kind DR
	protocol TCP
	real_server 198.18.2.9 80 {
		weight 1
	}
}

virtual_server 198.18.1.10 80 {
	lb_algo fo
	lb_kind DR
	protocol TCP
	real_server 198.18.2.9 80 {
		weight 1
	}
	real_server 198.18.2.10 80 {
		weight 2
	}
}

virtual_server 198.18.1.11 80 {
	lb_algo ovf
	lb_kind NAT
	protocol TCP
	real_server 198.18.2.9 80 {
		weight 5
	}
}

virtual_server 198.18.1.12 80 {
	lb_algo mh
	mh-port
	mh-fallback
	lb_kind DR
	protocol TCP
	real_server 198.18.2.9 80 {
		weight 1
	}
}

virtual_server fd00:198:18:1::1 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server fd00:198:18:2::1 8080 {
		weight 5
	}
}

virtual_server fd00:198:18:1::2 443 {
	lb_algo wlc
	lb_kind DR
	protocol TCP
	persistence_timeout 120
	persistence_granularity 64
	real_server fd00:198:18:2::2 443 {
		weight 1
	}
}

# A DR real server of a fwmark service: keepalived 2.2.7 clears its port
# (check_data.c, "has port specified - clearing"), and so does vigil, with
# the same warning: the kernel sends to the port the client connected to.
virtual_server fwmark 5 {
	lb_algo wrr
	lb_kind DR
	real_server 198.18.2.11 80 {
		weight 2
	}
}

virtual_server fwmark 6 {
	ip_family inet6
	lb_algo rr
	lb_kind DR
	real_server fd00:198:18:2::3 80 {
		weight 1
	}
}

virtual_server group G1 {
	lb_algo rr
	lb_kind DR
	protocol TCP
	real_server 198.18.2.12 80 {
		weight 1
	}
}
CONF
}

write_conf "$T/v1.conf" 2
expect_rc 0 "$VIGILD" -t -f "$T/v1.conf"

# A leftover of ours from an earlier run, wrong in two ways, and a service
# that is not ours at all.
ipvs dir -A -t 198.18.1.1:80 -s wlc
ipvs dir -a -t 198.18.1.1:80 -r 198.18.2.99:8080 -m -w 7
ipvs dir -A -t 198.18.9.9:80 -s rr
ipvs dir -a -t 198.18.9.9:80 -r 198.18.2.1:80 -m -w 3

vigild_start dir dir "$T/v1.conf"
wait_for 20 "vigild's first reconcile" results_gt 0
grep -q 'IPVS is not available' "${VLOG[dir]}" && fail "vigild says IPVS is not available"
log "start: $(grep -E 'ipvs: ' "${VLOG[dir]}" | tail -n 1 | sed 's/.*ipvs:/ipvs:/')"

# The expected table, by hand from v1.conf (plus the foreign service).
cat >"$T/want-ln.txt" <<'WANT'
TCP 198.18.1.1:80 rr
 -> 198.18.2.1:8080 Masq 1 0 0
 -> 198.18.2.2:8080 Masq 2 0 0
TCP 198.18.1.1:443 wrr persistent 300 mask 255.255.255.0
 -> 198.18.2.1:443 Route 3 0 0
 -> 198.18.2.2:443 Route 0 0 0
UDP 198.18.1.2:53 lc ops
 -> 198.18.2.3:53 Masq 1 0 0
UDP 198.18.1.3:5060 wlc persistent 60 pe sip
 -> 198.18.2.4:5060 Masq 1 0 0
SCTP 198.18.1.4:3868 lblc
 -> 198.18.2.5:3868 Masq 1 0 0
TCP 198.18.1.5:80 lblcr
 -> 198.18.2.6:80 Tunnel 1 0 0
TCP 198.18.1.6:80 dh
 -> 198.18.2.7:80 Tunnel 1 0 0
TCP 198.18.1.7:80 sh (sh-fallback,sh-port)
 -> 198.18.2.8:80 Tunnel 4 0 0
TCP 198.18.1.8:80 sed
 -> 198.18.2.9:80 Route 1 0 0
TCP 198.18.1.9:80 nq
 -> 198.18.2.9:80 Route 1 0 0
TCP 198.18.1.10:80 fo
 -> 198.18.2.9:80 Route 1 0 0
 -> 198.18.2.10:80 Route 2 0 0
TCP 198.18.1.11:80 ovf
 -> 198.18.2.9:80 Masq 5 0 0
TCP 198.18.1.12:80 mh (mh-fallback,mh-port)
 -> 198.18.2.9:80 Route 1 0 0
TCP [fd00:198:18:1::1]:80 rr
 -> [fd00:198:18:2::1]:8080 Masq 5 0 0
TCP [fd00:198:18:1::2]:443 wlc persistent 120 mask 64
 -> [fd00:198:18:2::2]:443 Route 1 0 0
FWM 5 wrr
 -> 198.18.2.11:0 Route 2 0 0
FWM 6 IPv6 rr
 -> [fd00:198:18:2::3]:0 Route 1 0 0
TCP 198.18.3.1:80 rr
 -> 198.18.2.12:80 Route 1 0 0
TCP 198.18.3.2:80 rr
 -> 198.18.2.12:80 Route 1 0 0
TCP 198.18.3.3:80 rr
 -> 198.18.2.12:80 Route 1 0 0
FWM 7 rr
 -> 198.18.2.12:80 Route 1 0 0
TCP 198.18.9.9:80 rr
 -> 198.18.2.1:80 Masq 3 0 0
WANT
# What -Ln does not show: tunnel types, ports and checksums.
cat >"$T/want-sn.txt" <<'WANT'
-A -t 198.18.1.1:80 -s rr
-a -t 198.18.1.1:80 -r 198.18.2.1:8080 -m -w 1
-a -t 198.18.1.1:80 -r 198.18.2.2:8080 -m -w 2
-A -t 198.18.1.1:443 -s wrr -p 300 -M 255.255.255.0
-a -t 198.18.1.1:443 -r 198.18.2.1:443 -g -w 3
-a -t 198.18.1.1:443 -r 198.18.2.2:443 -g -w 0
-A -u 198.18.1.2:53 -s lc -o
-a -u 198.18.1.2:53 -r 198.18.2.3:53 -m -w 1
-A -u 198.18.1.3:5060 -s wlc -p 60 --pe sip
-a -u 198.18.1.3:5060 -r 198.18.2.4:5060 -m -w 1
-A --sctp-service 198.18.1.4:3868 -s lblc
-a --sctp-service 198.18.1.4:3868 -r 198.18.2.5:3868 -m -w 1
-A -t 198.18.1.5:80 -s lblcr
-a -t 198.18.1.5:80 -r 198.18.2.6:80 -i -w 1 --tun-type ipip
-A -t 198.18.1.6:80 -s dh
-a -t 198.18.1.6:80 -r 198.18.2.7:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum
-A -t 198.18.1.7:80 -s sh -b sh-fallback,sh-port
-a -t 198.18.1.7:80 -r 198.18.2.8:80 -i -w 4 --tun-type gre --tun-csum
-A -t 198.18.1.8:80 -s sed
-a -t 198.18.1.8:80 -r 198.18.2.9:80 -g -w 1
-A -t 198.18.1.9:80 -s nq
-a -t 198.18.1.9:80 -r 198.18.2.9:80 -g -w 1
-A -t 198.18.1.10:80 -s fo
-a -t 198.18.1.10:80 -r 198.18.2.9:80 -g -w 1
-a -t 198.18.1.10:80 -r 198.18.2.10:80 -g -w 2
-A -t 198.18.1.11:80 -s ovf
-a -t 198.18.1.11:80 -r 198.18.2.9:80 -m -w 5
-A -t 198.18.1.12:80 -s mh -b mh-fallback,mh-port
-a -t 198.18.1.12:80 -r 198.18.2.9:80 -g -w 1
-A -t [fd00:198:18:1::1]:80 -s rr
-a -t [fd00:198:18:1::1]:80 -r [fd00:198:18:2::1]:8080 -m -w 5
-A -t [fd00:198:18:1::2]:443 -s wlc -p 120 -M 64
-a -t [fd00:198:18:1::2]:443 -r [fd00:198:18:2::2]:443 -g -w 1
-A -f 5 -s wrr
-a -f 5 -r 198.18.2.11:0 -g -w 2
-A -f 6 -6 -s rr
-a -f 6 -6 -r [fd00:198:18:2::3]:0 -g -w 1
-A -t 198.18.3.1:80 -s rr
-a -t 198.18.3.1:80 -r 198.18.2.12:80 -g -w 1
-A -t 198.18.3.2:80 -s rr
-a -t 198.18.3.2:80 -r 198.18.2.12:80 -g -w 1
-A -t 198.18.3.3:80 -s rr
-a -t 198.18.3.3:80 -r 198.18.2.12:80 -g -w 1
-A -f 7 -s rr
-a -f 7 -r 198.18.2.12:80 -g -w 1
-A -t 198.18.9.9:80 -s rr
-a -t 198.18.9.9:80 -r 198.18.2.1:80 -m -w 3
WANT

ipvs dir -Ln >"$T/ln1.raw"
ipvs dir -Sn >"$T/sn1.raw"
log "ipvsadm -Ln after start:"$'\n'"$(cat "$T/ln1.raw")"
by_service <"$T/want-ln.txt" >"$T/want-ln.sorted"
by_service <"$T/ln1.raw" >"$T/ln1.sorted"
compare "ipvsadm -Ln" "$T/want-ln.sorted" "$T/ln1.sorted"
rules <"$T/want-sn.txt" >"$T/want-sn.sorted"
rules <"$T/sn1.raw" >"$T/sn1.sorted"
compare "ipvsadm -Sn" "$T/want-sn.sorted" "$T/sn1.sorted"
# Thresholds: only `ipvsadm -Ln --thresholds` shows them (columns
# Uthreshold Lthreshold ActiveConn InActConn).
ipvs dir -Ln --thresholds -t 198.18.1.1:443 >"$T/thr.raw"
expect_match '^ +-> 198\.18\.2\.1:443 +100 +10 +0 +0' "$(cat "$T/thr.raw")" "thresholds of 198.18.2.1:443"
expect_match '^ +-> 198\.18\.2\.2:443 +0 +0 +0 +0' "$(cat "$T/thr.raw")" "thresholds of 198.18.2.2:443"
log "the kernel's table is what the configuration says ($(grep -c . "$T/ln1.sorted") service/real server lines)"

st=$(ctl dir --json status)
expect_match '"available": *true' "$st" "status ipvs.available"

# A reload without a change: no operation at all.
reload_and_wait
expect_eq 0 "$(ops_logged)" "operations of a reload without a change"
ipvs dir -Ln >"$T/ln2.raw"
by_service <"$T/ln2.raw" >"$T/ln2.sorted"
compare "ipvsadm -Ln after a reload without a change" "$T/ln1.sorted" "$T/ln2.sorted"

# One weight changes: one operation, one line of the table.
write_conf "$T/v1.conf" 9
reload_and_wait
expect_eq 1 "$(ops_logged)" "operations of a reload changing one weight"
ipvs dir -Ln >"$T/ln3.raw"
by_service <"$T/ln3.raw" >"$T/ln3.sorted"
# Lines of one list not in the other (the VM has busybox: no comm).
gone=$(grep -vxF -f "$T/ln3.sorted" "$T/ln1.sorted" || true)
new=$(grep -vxF -f "$T/ln1.sorted" "$T/ln3.sorted" || true)
expect_eq "TCP 198.18.1.1:80 rr | -> 198.18.2.2:8080 Masq 2 0 0" "$gone" "the only line of ipvsadm -Ln the reload removed"
expect_eq "TCP 198.18.1.1:80 rr | -> 198.18.2.2:8080 Masq 9 0 0" "$new" "the only line of ipvsadm -Ln the reload added"
st=$(ctl dir --json status)
expect_match '"edit_dest": *1' "$st" "status ipvs.last_reconcile.by_kind.edit_dest"

# The same file again: no change.
reload_and_wait
expect_eq 0 "$(ops_logged)" "operations of a second reload without a change"

# The foreign service is untouched throughout.
ipvs dir -Ln -t 198.18.9.9:80 >"$T/foreign.raw" || fail "the foreign service is gone"
expect_match '198\.18\.2\.1:80 +Masq +3 ' "$(cat "$T/foreign.raw")" "the foreign service's real server"

# Stop: lvs_flush_on_stop VS deletes our services only.
kill -TERM "${VPID[dir]}"
vigild_wait dir 20
expect_eq 0 "$VRC" "vigild's exit status"
ipvs dir -Ln >"$T/ln-stop.raw"
by_service <"$T/ln-stop.raw" >"$T/ln-stop.sorted"
expect_eq "TCP 198.18.9.9:80 rr
TCP 198.18.9.9:80 rr | -> 198.18.2.1:80 Masq 3 0 0" "$(cat "$T/ln-stop.sorted")" "the table after stop (lvs_flush_on_stop VS)"
pass "$(grep -c . "$T/ln1.sorted") lines as configured; 1 op for one weight; 0 for no change"
