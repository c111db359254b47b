#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The checker kinds that read global_defs / global blocks of the model:
# - FILE_CHECK on a track_file with weight 0: the file says 1 -> down, 0 ->
#   up; one with weight 5: the value 3 makes the real server's weight
#   1 + 15 = 16, a missing file counts as 0 (weight 1); the same without
#   `dynamic` (keepalived 2.2.7 does not know that keyword: the weight
#   alone decides) gives 16 too, and vigild -t warns that dynamic has no
#   effect;
# - SMTP_CHECK without helo_name sends global_defs smtp_helo_name (the
#   server answers 501 to any other name).
# Needs the engine to hand the model to the kinds (check_engine_model()).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=check-lib.sh
. "$(dirname "$0")/check-lib.sh"

need python3

hosts_on_lan d rs # d: 198.18.0.1 (vigild), rs: 198.18.0.2 (real servers)
RS=198.18.0.2
chmod 755 "$T"

cat >"$T/smtpd.py" <<'EOF'
import socketserver, sys
class H(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 mx.test\r\n")
        for line in self.rfile:
            if line.rstrip(b"\r\n") == b"HELO global.helo.test":
                self.wfile.write(b"250 mx.test\r\n")
            elif line.upper().startswith(b"QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"501 wrong name\r\n")
EOF
smtpd_start "$T/smtpd.py"

echo 0 >"$T/tf0"
echo 3 >"$T/tf5"
chmod 644 "$T/tf0" "$T/tf5"

cat >"$T/d.conf" <<EOF
global_defs {
	smtp_helo_name global.helo.test
}
track_file tf0 {
	file "$T/tf0"
	weight 0
}
track_file tf5 {
	file "$T/tf5"
	weight 5
}
virtual_server 198.18.0.100 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS 81 {
		weight 1
		FILE_CHECK {
			track_file tf0
		}
	}
	real_server $RS 82 {
		weight 1
		FILE_CHECK {
			track_file tf5
			dynamic
		}
	}
	real_server $RS 83 {
		weight 1
		FILE_CHECK {
			track_file tf5
		}
	}
	real_server $RS 2525 {
		weight 1
		SMTP_CHECK {
			connect_timeout 1
			retry 0
		}
	}
}
EOF

"$VIGILD" -t -f "$T/d.conf" >"$T/t.out" 2>&1 || fail "vigild -t: $(cat "$T/t.out")"
expect_match "'dynamic' is accepted but has no effect" "$(cat "$T/t.out")" \
	"vigild -t on FILE_CHECK's dynamic"
vigild_start d d "$T/d.conf"

await FILE_CHECK 81 up
await FILE_CHECK 82 up
await SMTP_CHECK 2525 up
await_weight FILE_CHECK 82 16
await_weight FILE_CHECK 83 16
log "up: '$(reason FILE_CHECK 82)'; smtp '$(reason SMTP_CHECK 2525)'"

echo 1 >"$T/tf0"
await FILE_CHECK 81 down
expect_match "value 1 with weight 0" "$(reason FILE_CHECK 81)" "file down reason"
echo 0 >"$T/tf0"
await FILE_CHECK 81 up

rm -f "$T/tf5"
await_weight FILE_CHECK 82 1
await_weight FILE_CHECK 83 1
expect_match "file missing, counts as 0" "$(reason FILE_CHECK 82)" "missing file"
log "FILE down/up, weight 16 -> 1 when the file went"

kill -TERM "${VPID[d]}"
vigild_wait d 10
expect_eq 0 "$VRC" "vigild exit status"
log "PASS"
