#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# How SSL_GET ends its TLS sessions, as keepalived 2.2.8 (tls_compliant):
# - a server that closes without a TLS close_notify (a "ragged" EOF) after a
#   response read to the end of the stream: the check is up, with or
#   without tls_compliant (keepalived never fails a check for it);
# - without tls_compliant vigil closes quietly (no close_notify); with it,
#   in the SSL_GET block or in one url block, the server sees vigil's
#   close_notify before the connection ends.
# The server is Python's ssl module; after its response it reads the raw
# socket to the EOF: a TLS record there is the client's close_notify (the
# client sends nothing else), nothing is a ragged close. (Debian's Python
# 3.11.2 reports a ragged EOF as a clean one, so SSL's own view is not used.)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need openssl python3

hosts_on_lan d rs
RS=198.18.0.2

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=rs.test" \
	-keyout "$T/rs.key" -out "$T/rs.pem" >/dev/null 2>&1 || fail "openssl req"

# tls.py ADDR PORT MODE LOG: MODE ragged answers with a body that ends at
# EOF and closes the TCP connection without close_notify; MODE record
# answers with Content-Length and logs, per connection, how the client
# ended the session: close_notify or ragged.
cat >"$T/tls.py" <<'EOF'
import os, socket, ssl, sys, threading
addr, port, mode, logf = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[5], sys.argv[6])
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((addr, port))
ls.listen(64)
lock = threading.Lock()

def note(s):
    with lock, open(logf, "a") as f:
        f.write(s + "\n")

def serve(c):
    try:
        t = ctx.wrap_socket(c, server_side=True, suppress_ragged_eofs=False)
        t.settimeout(5)
        req = b""
        while b"\r\n\r\n" not in req:
            d = t.recv(4096)
            if not d:
                return
            req += d
        if mode == "ragged":
            t.sendall(b"HTTP/1.0 200 OK\r\n\r\nragged body\n")
            t.shutdown(socket.SHUT_RDWR)  # drops the TLS layer: no close_notify
            t.close()
            return
        t.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
        # The client has nothing more to send but, with tls_compliant, its
        # close_notify: one TLS record. Read the raw bytes up to the EOF.
        raw = socket.socket(fileno=os.dup(t.fileno()))
        raw.settimeout(5)
        got = b""
        try:
            while True:
                d = raw.recv(4096)
                if not d:
                    break
                got += d
            ok = len(got) >= 5 and got[0] in (21, 23)
            note(("close_notify" if ok else "data") if got else "ragged")
        except OSError as e:
            note("error " + type(e).__name__)
        raw.close()
        t.close()
    except Exception as e:
        note("server error " + repr(e))
    finally:
        c.close()

while True:
    c, _ = ls.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
for port in 8441 8442 8443 8444; do
	mode=record
	[[ $port == 8441 ]] && mode=ragged
	ip netns exec "$(ns_name rs)" python3 "$T/tls.py" "$RS" "$port" "$mode" "$T/log.$port" \
		"$T/rs.pem" "$T/rs.key" >"$T/tls.$port.out" 2>&1 &
	_NET_PIDS+=("$!")
	wait_for 5 "TLS server on $port" nsx rs sh -c "ss -Hltn 'sport = :$port' | grep -q LISTEN"
done

rs() { # rs PORT SSL_GET-BODY...: a real server with one SSL_GET per body
	local port=$1 b
	shift
	printf '\treal_server %s %s {\n\t\tconnect_timeout 2\n\t\tretry 0\n' "$RS" "$port"
	for b in "$@"; do
		printf '\t\tSSL_GET {\n%s\n\t\t}\n' "$b"
	done
	printf '\t}\n'
}
{
	printf 'global_defs {\n\trouter_id d\n}\n'
	printf 'virtual_server 198.18.0.100 443 {\n\tdelay_loop 1\n\tlb_kind NAT\n\tprotocol TCP\n'
	# The digest makes vigil read the body to the EOF.
	rs 8441 $'\t\t\ttls_compliant\n\t\t\turl {\n\t\t\t\tpath /\n\t\t\t\tdigest 170a0dfe4c38a89551df5d15a367f35f\n\t\t\t}' \
		$'\t\t\turl {\n\t\t\t\tpath /plain\n\t\t\t\tdigest 170a0dfe4c38a89551df5d15a367f35f\n\t\t\t}'
	rs 8442 $'\t\t\turl { path / }'
	rs 8443 $'\t\t\ttls_compliant\n\t\t\turl { path / }'
	rs 8444 $'\t\t\turl {\n\t\t\t\tpath /\n\t\t\t\ttls_compliant\n\t\t\t}\n\t\t\turl { path /b }'
	printf '}\n'
} >"$T/d.conf"
"$VIGILD" -t -f "$T/d.conf" >"$T/t.out" 2>&1 || fail "vigild -t: $(cat "$T/t.out")"
vigild_start d d "$T/d.conf"

pf() { # pf INDEX FIELD
	ctl d --json status | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in d.get("result", d)["checker"]["probes"]:
    if p.get("index") == int(sys.argv[1]):
        print(p.get(sys.argv[2]))
        sys.exit(0)
sys.exit(1)
' "$1" "$2"
}
for i in 0 1 2 3 4; do
	end=$((SECONDS + 15))
	until [[ $(pf $i state) == up ]] || ((SECONDS >= end)); do sleep 0.2; done
	[[ $(pf $i state) == up ]] || fail "probe $i not up after 15 s: $(pf $i reason)"
	log "probe $i up: $(pf $i reason)"
done
# Let each recording server see a few attempts.
sleep 3

tally() { # tally PORT: "N close_notify, M ragged, K other"
	local f=$T/log.$1
	printf '%s close_notify, %s ragged, %s other' \
		"$(grep -cx close_notify "$f")" "$(grep -cx ragged "$f")" \
		"$(grep -cvx 'close_notify\|ragged' "$f")"
}
for p in 8442 8443 8444; do
	[[ -s $T/log.$p ]] || fail "the server on $p saw no session end"
	log "$p: $(tally "$p")"
done
[[ $(tally 8442) =~ ^0\ close_notify,\ [1-9][0-9]*\ ragged,\ 0\ other$ ]] ||
	fail "without tls_compliant vigil must close quietly: $(tally 8442)"
[[ $(tally 8443) =~ ^[1-9][0-9]*\ close_notify,\ 0\ ragged,\ 0\ other$ ]] ||
	fail "with tls_compliant vigil must send close_notify: $(tally 8443)"
# Two urls, the first with tls_compliant: one session of each per attempt.
n_cn=$(grep -cx close_notify "$T/log.8444")
n_rg=$(grep -cx ragged "$T/log.8444")
((n_cn >= 1 && n_rg >= 1)) || fail "url-level tls_compliant: $(tally 8444)"
((n_cn - n_rg <= 1 && n_rg - n_cn <= 1)) || fail "url-level tls_compliant, uneven: $(tally 8444)"
kill -TERM "${VPID[d]}"
vigild_wait d 10
expect_eq 0 "$VRC" "vigild exit status"
log "PASS"
