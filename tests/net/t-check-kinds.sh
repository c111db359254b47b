#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SMTP_CHECK, DNS_CHECK, UDP_CHECK, PING_CHECK and MISC_CHECK
# against real servers in a namespace, each brought down and up while
# vigild checks them; states asserted through `vigilctl --json status`
# (key "checker"):
# - SMTP: a python3 banner server; it answers 554 -> down with that reason;
#   220 again -> up;
# - DNS: dnsmasq answering test.example; killed -> down (port
#   unreachable); restarted -> up; a name it refuses -> down with its RCODE;
# - UDP: a socat echo with require_reply; killed -> down; back -> up;
# - PING: an address of the real server removed -> down; back -> up;
# - MISC: the script exits 1 -> down; 0 -> up; misc_dynamic exit 12 ->
#   weight 10.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=check-lib.sh
. "$(dirname "$0")/check-lib.sh"

need socat dnsmasq python3

hosts_on_lan d rs # d: 198.18.0.1 (vigild), rs: 198.18.0.2 (real servers)
RS=198.18.0.2
PING_IP=198.18.0.20
addr_add rs eth0 "$PING_IP/24"
# The checker runs as nobody and main runs MISC_CHECK scripts as it: let it
# reach the scripts and files in $T.
chmod 755 "$T"

# ---- servers in rs

cat >"$T/smtpd.py" <<'EOF'
import socketserver, sys
mode_file = sys.argv[2]
class H(socketserver.StreamRequestHandler):
    def handle(self):
        mode = open(mode_file).read().strip()
        if mode == "busy":
            self.wfile.write(b"554 mx.test busy\r\n")
            return
        self.wfile.write(b"220-mx.test ESMTP\r\n220 ready\r\n")
        for line in self.rfile:
            if line.upper().startswith(b"HELO "):
                self.wfile.write(b"250-mx.test\r\n250 8BITMIME\r\n")
            elif line.upper().startswith(b"QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 what\r\n")
EOF
echo ok >"$T/smtp.mode"
smtpd_start "$T/smtpd.py" "$T/smtp.mode"
# ip netns exec directly (not the nsx function) so that $! is the server's
# own pid, which the cleanup kills.
RSNS=$(ns_name rs)

DNSPID=
dns_up() {
	ip netns exec "$RSNS" dnsmasq --no-daemon -C /dev/null --port 53 --listen-address "$RS" \
		--bind-interfaces --no-resolv --no-hosts --user=root \
		--pid-file="$T/dnsmasq.pid" --address=/test.example/198.18.0.9 \
		--address=/refused.example/ </dev/null >>"$T/dnsmasq.log" 2>&1 &
	DNSPID=$!
	_NET_PIDS+=("$!")
	wait_for 5 "dnsmasq" nsx rs sh -c "ss -Hlun 'sport = :53' | grep -q ."
}
dns_down() {
	kill -TERM "$DNSPID"
	wait "$DNSPID" 2>/dev/null || true
}

UDPPID=
udp_up() {
	ip netns exec "$RSNS" socat "UDP4-RECVFROM:7007,bind=$RS,reuseaddr,fork" PIPE </dev/null >>"$T/socat.log" 2>&1 &
	UDPPID=$!
	_NET_PIDS+=("$!")
	wait_for 5 "udp echo" nsx rs sh -c "ss -Hlun 'sport = :7007' | grep -q ."
}
udp_down() {
	kill -TERM "$UDPPID"
	wait "$UDPPID" 2>/dev/null || true
}

dns_up
udp_up

echo 0 >"$T/misc.code"
echo 12 >"$T/misc-dyn.code"
chmod 644 "$T/misc.code" "$T/misc-dyn.code"
cat >"$T/misc.sh" <<'EOF'
#!/bin/sh
exit "$(cat "$1")"
EOF
chmod 755 "$T/misc.sh"

# ---- vigild

cat >"$T/d.conf" <<EOF
global_defs {
	router_id d
}
virtual_server 198.18.0.100 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS 2525 {
		weight 1
		SMTP_CHECK {
			helo_name vigil.test
			connect_timeout 1
			retry 0
		}
	}
	real_server $RS 53 {
		weight 1
		DNS_CHECK {
			type A
			name test.example
			connect_timeout 1
			retry 0
		}
	}
	real_server $RS 54 {
		weight 1
		DNS_CHECK {
			connect_port 53
			type A
			name refused.example
			connect_timeout 1
			retry 0
		}
	}
	real_server $RS 7007 {
		weight 1
		UDP_CHECK {
			payload 76 69 67 69 6c
			require_reply 76 69 xx 69
			min_reply_length 5
			max_reply_length 5
			connect_timeout 1
			retry 0
		}
	}
	real_server $PING_IP 80 {
		weight 1
		PING_CHECK {
			connect_timeout 1
			retry 0
		}
	}
	real_server $RS 82 {
		weight 1
		MISC_CHECK {
			misc_path "$T/misc.sh $T/misc.code"
			misc_timeout 2
		}
	}
	real_server $RS 83 {
		weight 1
		MISC_CHECK {
			misc_path "$T/misc.sh $T/misc-dyn.code"
			misc_timeout 2
			misc_dynamic
		}
	}
}
EOF

"$VIGILD" -t -f "$T/d.conf" >"$T/t.out" 2>&1 || fail "vigild -t: $(cat "$T/t.out")"
vigild_start d d "$T/d.conf"
ctl d --json status | json_valid || fail "status is not JSON"

# Every probe comes up (the refused name aside).
await SMTP_CHECK 2525 up
await DNS_CHECK 53 up
await UDP_CHECK 7007 up
await PING_CHECK 80 up
await MISC_CHECK 82 up
await MISC_CHECK 83 up
await DNS_CHECK 54 down
expect_match "RCODE 5 \(REFUSED\)|RCODE 3 \(NXDOMAIN\)" "$(reason DNS_CHECK 54)" "refused name"
log "all up: smtp '$(reason SMTP_CHECK 2525)', dns '$(reason DNS_CHECK 53)'," \
	"udp '$(reason UDP_CHECK 7007)', ping '$(reason PING_CHECK 80)'"
expect_eq 10 "$(probe MISC_CHECK 83 weight)" "misc_dynamic weight (exit 12)"

# ---- SMTP
echo busy >"$T/smtp.mode"
await SMTP_CHECK 2525 down
expect_match "greeting: expected 220, got 554 mx.test busy" "$(reason SMTP_CHECK 2525)" "smtp"
echo ok >"$T/smtp.mode"
await SMTP_CHECK 2525 up
log "SMTP down/up"

# ---- DNS
dns_down
await DNS_CHECK 53 down
expect_match "port unreachable|no reply" "$(reason DNS_CHECK 53)" "dns down reason"
log "DNS down: $(reason DNS_CHECK 53)"
dns_up
await DNS_CHECK 53 up
log "DNS up"

# ---- UDP
udp_down
await UDP_CHECK 7007 down
expect_match "ICMP port unreachable|no reply" "$(reason UDP_CHECK 7007)" "udp down reason"
log "UDP down: $(reason UDP_CHECK 7007)"
udp_up
await UDP_CHECK 7007 up
log "UDP up"

# ---- PING
ip -n "$(ns_name rs)" addr del "$PING_IP/24" dev eth0
await PING_CHECK 80 down
expect_match "no echo reply within 1.0 s" "$(reason PING_CHECK 80)" "ping down reason"
addr_add rs eth0 "$PING_IP/24"
await PING_CHECK 80 up
log "PING down/up"

# ---- MISC
echo 1 >"$T/misc.code"
await MISC_CHECK 82 down
expect_match "script exit status 1" "$(reason MISC_CHECK 82)" "misc down reason"
echo 0 >"$T/misc.code"
await MISC_CHECK 82 up
echo 22 >"$T/misc-dyn.code"
await_weight MISC_CHECK 83 20 # misc_dynamic weight (exit 22)
log "MISC down/up, dynamic weight 10 -> 20"

# the checker never crashed or got restarted
expect_eq 0 "$(ctl d --json status | jget checker.process.restarts)" "checker restarts"

kill -TERM "${VPID[d]}"
vigild_wait d 10
expect_eq 0 "$VRC" "vigild exit status"
log "PASS"
