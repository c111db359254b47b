#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# HTTP_GET and SSL_GET against real servers in a namespace:
# - nginx (its own -c/-p, HTTP on 8080, HTTPS on 8443 with a self-signed
#   certificate made here): digest from `vigild genhash` matches, status
#   codes, two urls (all must pass), regex / regex_no_match, virtualhost
#   with HTTP/1.1, SNI, SSL_GET against a plain-HTTP port fails the
#   handshake with OpenSSL's reason;
# - an "evil" server: a good chunked response (digest equal to keepalived's
#   genhash when installed), garbage, huge headers, an endless body, a slow
#   drip (timeout), a reset, a bad chunk size: each down with its reason;
# - nothing listening: connection refused;
# - reload with an SSL block whose ca is another certificate: the HTTPS
#   probe goes down (verify failed); with the right ca it comes back up;
# - regex_min_offset, regex_max_offset and regex_options caseless;
# - IPv6: genhash and HTTP_GET to an IPv6 real server.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need nginx openssl python3

hosts_on_lan d rs # d: 198.18.0.1 (vigild), rs: 198.18.0.2 (servers)
RS=198.18.0.2
RS6=fd00:198:18::2

# --- certificates
for c in good other; do
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$c.test" \
		-keyout "$T/$c.key" -out "$T/$c.pem" >/dev/null 2>&1 || fail "openssl req"
done

# --- nginx
mkdir -p "$T/nginx/logs" "$T/www"
printf 'hello vigil\n' >"$T/www/index.html"
cat >"$T/nginx.conf" <<EOF
user root;
worker_processes 1;
error_log $T/nginx/logs/error.log;
events { worker_connections 64; }
http {
	access_log $T/nginx/logs/access.log;
	client_body_temp_path $T/nginx/cbt;
	proxy_temp_path $T/nginx/pt;
	fastcgi_temp_path $T/nginx/ft;
	uwsgi_temp_path $T/nginx/ut;
	scgi_temp_path $T/nginx/st;
	default_type text/plain;
	server {
		listen $RS:8080 default_server;
		listen [$RS6]:8080 default_server;
		listen $RS:8443 ssl default_server;
		ssl_certificate $T/good.pem;
		ssl_certificate_key $T/good.key;
		root $T/www;
		location = /vhost { return 404; }
		location = /sni {
			if (\$ssl_server_name != "sni.test") { return 404; }
			return 200 "sni ok\n";
		}
	}
	server {
		listen $RS:8080;
		server_name vhost.test;
		location = /vhost { return 200 "vhost ok\n"; }
	}
}
EOF
ip netns exec "$(ns_name rs)" nginx -p "$T/nginx" -c "$T/nginx.conf" \
	-g "daemon off; pid $T/nginx.pid;" >"$T/nginx.out" 2>&1 &
_NET_PIDS+=("$!")
wait_for 5 "nginx listening" nsx rs sh -c "ss -Hltn 'sport = :8443' | grep -q LISTEN"
wait_for 5 "nginx on IPv6" nsx rs sh -c "ss -Hltn 'sport = :8080' | grep -qF '[$RS6]'"

# --- the evil server
cat >"$T/evil.py" <<'EOF'
import socket, struct, sys, threading, time
def serve(c):
    try:
        c.settimeout(10)
        req = b""
        while b"\r\n\r\n" not in req:
            d = c.recv(4096)
            if not d:
                return
            req += d
        path = req.split(b" ")[1].decode()
        if path == "/chunked":
            c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                      b"Connection: close\r\n\r\n6\r\nhello \r\n6\r\nworld\n\r\n0\r\n\r\n")
        elif path == "/garbage":
            c.sendall(b"\x16\x03\x01 this is not HTTP\r\n\r\n")
        elif path == "/hugeheaders":
            c.sendall(b"HTTP/1.1 200 OK\r\n")
            for i in range(20):
                c.sendall(b"X-Filler-%d: %s\r\n" % (i, b"a" * 1000))
            c.sendall(b"\r\n")
        elif path == "/endless":
            c.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
            blk = b"z" * 65536
            while True:
                c.sendall(blk)
        elif path == "/slow":
            for b in b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n":
                c.sendall(bytes([b]))
                time.sleep(0.3)
        elif path == "/reset":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif path == "/badchunk":
            c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    except OSError:
        pass
    finally:
        c.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(64)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
ip netns exec "$(ns_name rs)" python3 "$T/evil.py" "$RS" 8090 >"$T/evil.out" 2>&1 &
_NET_PIDS+=("$!")
wait_for 5 "evil server listening" nsx rs sh -c "ss -Hltn 'sport = :8090' | grep -q LISTEN"

# --- digests with vigild genhash (from d, like an operator would)
gh() { ip netns exec "$(ns_name d)" "$VIGILD" genhash "$@"; }
D_INDEX=$(gh -s "$RS" -p 8080 -u /index.html) || fail "genhash /index.html"
expect_eq "$(md5sum <"$T/www/index.html" | cut -d' ' -f1)" "$D_INDEX" "genhash of a static file"
D6=$(gh -s "$RS6" -p 8080 -u /index.html -v 2>"$T/gh.err") || fail "genhash IPv6"
expect_eq "$D_INDEX" "$D6" "genhash over IPv6"
expect_match "from \[$RS6\]:8080" "$(cat "$T/gh.err")" "IPv6 Host"
D_TLS=$(gh -S -s "$RS" -p 8443 -u /index.html -P 1.1) || fail "genhash -S"
expect_eq "$D_INDEX" "$D_TLS" "genhash over TLS"
D_CHUNKED=$(gh -s "$RS" -p 8090 -u /chunked -P 1.1) || fail "genhash /chunked"
# keepalived 2.2.7 digests the raw chunked bytes; so do we.
expect_eq "$(printf '6\r\nhello \r\n6\r\nworld\n\r\n0\r\n\r\n' | md5sum | cut -d' ' -f1)" \
	"$D_CHUNKED" "genhash of a chunked body"
if command -v genhash >/dev/null 2>&1; then
	K=$(ip netns exec "$(ns_name d)" timeout 10 genhash -s "$RS" -p 8090 -u /chunked -P 1.1 |
		tail -1)
	expect_eq "$K" "$D_CHUNKED" "keepalived's genhash on the chunked body"
	K=$(ip netns exec "$(ns_name d)" timeout 10 genhash -s "$RS" -p 8080 -u /index.html |
		tail -1)
	expect_eq "$K" "$D_INDEX" "keepalived's genhash on the static file"
	log "keepalived's genhash agrees on both digests"
fi
gh -s "$RS" -p 8090 -u /garbage 2>"$T/gh.err" && fail "genhash accepted garbage"
expect_match "malformed status line" "$(cat "$T/gh.err")" "genhash on garbage"
gh -s "$RS" -p 8091 -u / 2>"$T/gh.err" && fail "genhash with nothing listening"
expect_match "Connection refused" "$(cat "$T/gh.err")" "genhash refused"
rc=0
gh -s "$RS" 2>/dev/null || rc=$?
expect_eq 2 "$rc" "genhash without -u"

# --- vigild
write_conf() { # write_conf FILE [SSL-BLOCK]
	cat >"$1" <<EOF
global_defs {
	router_id d
}
${2:-}
virtual_server 198.18.0.100 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS 8080 {
		connect_timeout 2
		retry 0
		HTTP_GET {
			url {
				path /index.html
				digest $D_INDEX
			}
		}
		HTTP_GET {
			url { path /index.html }
			url { path /missing }
		}
		HTTP_GET {
			url {
				path /missing
				status_code 404
			}
		}
		HTTP_GET {
			url {
				path /index.html
				digest 00000000000000000000000000000000
			}
		}
		HTTP_GET {
			url {
				path /index.html
				regex "hel+o v[a-z]+"
			}
		}
		HTTP_GET {
			url {
				path /index.html
				regex "nomatch"
			}
		}
		HTTP_GET {
			url {
				path /index.html
				regex "vigil"
				regex_no_match
			}
		}
		HTTP_GET {
			http_protocol 1.1
			virtualhost vhost.test
			url { path /vhost }
		}
		SSL_GET {
			url {
				path /index.html
			}
		}
	}
	real_server $RS 8443 {
		connect_timeout 2
		retry 0
		SSL_GET {
			url {
				path /index.html
				digest $D_INDEX
			}
		}
		SSL_GET {
			enable_sni
			virtualhost sni.test
			url { path /sni }
		}
	}
	real_server $RS 8090 {
		connect_timeout 2
		retry 0
		HTTP_GET {
			http_protocol 1.1
			url {
				path /chunked
				digest $D_CHUNKED
			}
		}
		HTTP_GET {
			url {
				path /garbage
			}
		}
		HTTP_GET {
			url {
				path /hugeheaders
			}
		}
		HTTP_GET {
			url {
				path /endless
			}
		}
		HTTP_GET {
			url {
				path /slow
			}
		}
		HTTP_GET {
			url {
				path /reset
			}
		}
		HTTP_GET {
			url {
				path /badchunk
			}
		}
	}
	real_server $RS 8091 {
		connect_timeout 2
		retry 0
		HTTP_GET {
			url {
				path /
			}
		}
	}
	real_server $RS 8092 {
		connect_timeout 2
		retry 0
		HTTP_GET {
			connect_port 8080
			url {
				path /index.html
				regex vigil
				regex_min_offset 7
			}
		}
		HTTP_GET {
			connect_port 8080
			url {
				path /index.html
				regex vigil
				regex_max_offset 5
			}
		}
		HTTP_GET {
			connect_port 8080
			url {
				path /index.html
				regex VIGIL
				regex_options caseless
				regex_min_offset 6
				regex_max_offset 7
			}
		}
	}
}
virtual_server $RS6 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS6 8080 {
		HTTP_GET {
			connect_timeout 2
			url {
				path /index.html
				digest $D_INDEX
			}
		}
	}
}
EOF
}
write_conf "$T/d.conf"
"$VIGILD" -t -f "$T/d.conf" >"$T/t.out" 2>&1 || fail "vigild -t: $(cat "$T/t.out")"
vigild_start d d "$T/d.conf"

# pf INDEX FIELD: a field of probe INDEX.
pf() {
	ctl d --json status | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("result", d)["checker"]
for p in d["probes"]:
    if p.get("index") == int(sys.argv[1]):
        v = p.get(sys.argv[2])
        print(v if isinstance(v, str) else json.dumps(v))
        sys.exit(0)
sys.exit(1)
' "$1" "$2"
}
is() { [[ $(pf "$1" known) == true && $(pf "$1" state) == "$2" ]]; }
# want INDEX STATE REASON-REGEX WHAT
want() {
	local end=$((SECONDS + 15)) r
	while ((SECONDS < end)); do
		if is "$1" "$2"; then
			r=$(pf "$1" reason)
			[[ $r =~ $3 ]] && break
		fi
		sleep 0.2
	done
	is "$1" "$2" || fail "$4 (probe $1): not $2 after 15 s: $(pf "$1" reason)"
	expect_match "$3" "$(pf "$1" reason)" "$4 reason"
	log "probe $1 $2 ($4): $(pf "$1" reason)"
}

expect_eq 23 "$(ctl d --json status | jget checker.probes_total)" "probes_total"
expect_eq HTTP_GET "$(pf 0 kind)" "probe 0 kind"
expect_eq 8080 "$(pf 8 port)" "probe 8 port"
expect_eq SSL_GET "$(pf 8 kind)" "probe 8 kind"
expect_eq 8443 "$(pf 9 port)" "probe 9 port"
expect_eq 8090 "$(pf 11 port)" "probe 11 port"
expect_eq 8091 "$(pf 18 port)" "probe 18 port"

want 0 up '^HTTP 200' "digest from genhash"
want 1 down 'url 2: GET /missing: status 404 not expected' "second url 404"
want 2 up '^HTTP 404' "status_code 404"
want 3 down 'digest [0-9a-f]{32} differs' "wrong digest"
want 4 up '^HTTP 200' "regex matches"
want 5 down 'regex did not match' "regex without match"
want 6 down 'regex matched \(regex_no_match\)' "regex_no_match"
want 7 up '^HTTP 200' "virtualhost with HTTP/1.1"
want 8 down 'TLS handshake: .*(wrong version number|record layer failure|packet length)' \
	"SSL_GET on plain HTTP"
want 9 up '^HTTP 200' "SSL_GET digest"
want 10 up '^HTTP 200' "SSL_GET with SNI"
want 11 up '^HTTP 200' "chunked digest"
want 12 down 'malformed status line' "garbage"
want 13 down 'headers too large' "huge headers"
want 14 down 'body larger than the body size limit|timeout' "endless body"
want 15 down 'timeout after 2\.0 s reading the response' "slow drip"
want 16 down 'reset by peer' "reset"
want 17 down 'bad chunk size' "bad chunk size"
want 18 down 'connect: Connection refused' "nothing listening"
# "hello vigil\n": "vigil" starts at offset 6.
want 19 down 'regex did not match' "regex_min_offset past the match"
want 20 down 'regex did not match' "regex_max_offset before the match"
want 21 up '^HTTP 200' "regex caseless within the offsets"
expect_eq 8080 "$(pf 21 port)" "probe 21 port (connect_port)"
want 22 up '^HTTP 200' "HTTP_GET over IPv6"
expect_eq "$RS6" "$(pf 22 address)" "probe 22 address"

# The checker survived all of it.
cpid=$(ctl d --json status | jget checker.process.pid)
expect_eq 0 "$(ctl d --json status | jget checker.process.restarts)" "checker restarts"
log "checker pid $cpid: $(find "/proc/$cpid/fd" -mindepth 1 | wc -l) descriptors, VmRSS \
$(awk '/^VmRSS:/ {print $2, $3}' "/proc/$cpid/status")"

# --- SSL block: a ca that did not sign the server's certificate
write_conf "$T/d.conf" "SSL { ca $T/other.pem }"
ctl d reload >/dev/null || fail "reload failed"
want 9 down 'certificate' "SSL_GET with the wrong ca"
write_conf "$T/d.conf" "SSL { ca $T/good.pem }"
ctl d reload >/dev/null || fail "reload failed"
want 9 up '^HTTP 200' "SSL_GET with the right ca"

kill -TERM "${VPID[d]}"
vigild_wait d 10
expect_eq 0 "$VRC" "vigild exit status"
log "PASS"
