#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The control socket is private (0600) and survives hostile clients: every
# malformed request gets one JSON error reply saying what is wrong (only a
# client that sends nothing at all gets a clean close without one), and
# the daemon still answers `status` afterwards.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need socat

hosts_on_lan a
write_good_conf "$T/a.conf"
vigild_start a a "$T/a.conf"
sock=${VSOCK[a]}

expect_eq 600 "$(stat -c %a "$sock")" "control socket mode"

# A well-formed request, by hand, for reference.
reply=$(printf 'status\n' | socat -t 5 - "UNIX-CONNECT:$sock") || fail "socat status"
expect_eq true "$(jget ok <<<"$reply")" "ok of a raw status request"

# Each case: send bytes, read until the daemon closes (5 s at most).
# The reply must be one JSON object {ok:false, error:WANT}; WANT None: the
# daemon must close without a reply.
python3 - "$sock" <<'PY' || fail "hostile clients (see above)"
import json, socket, sys, threading, time

path = sys.argv[1]
bad = []

def exchange(payload, half_close=True, timeout=5.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    try:
        s.sendall(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the daemon may close on us mid-send: that is a clean close
    if half_close:
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    except socket.timeout:
        s.close()
        return None
    s.close()
    return data

def error_of(data):
    """The error of a reply {ok:false, error:"..."}, or why it is not one."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except Exception as e:
        return None, f"reply is not one JSON object ({e}): {data[:200]!r}"
    if not isinstance(obj, dict) or obj.get("ok") is not False or not isinstance(obj.get("error"), str):
        return None, f"expected {{ok:false, error:...}}, got {data[:200]!r}"
    return obj["error"], None

def check(name, payload, want, **kw):
    data = exchange(payload, **kw)
    if data is None:
        bad.append(f"{name}: no reply and no close within 5 s")
        return
    if want is None:
        if data != b"":
            bad.append(f"{name}: expected a close without a reply, got {data[:200]!r}")
        return
    if data == b"":
        bad.append(f"{name}: closed without the error reply '{want}'")
        return
    err, why = error_of(data)
    if why:
        bad.append(f"{name}: {why}")
    elif err != want:
        bad.append(f"{name}: error '{err}', expected '{want}'")

check("garbage", b"\x8f\xff\x01garbage\x7f\n", "request contains binary data")
check("100 KiB line", b"A" * (100 * 1024) + b"\n", "request too long")
check("100 KiB without newline", b"B" * (100 * 1024), "request too long")
check("NUL bytes", b"sta\x00tus\n", "request contains a NUL byte")
check("NUL only", b"\x00" * 64 + b"\n", "request contains a NUL byte")
check("unknown command", b"make-coffee\n",
      "unknown command (expected status, reload or dump-config)")
check("status with trailing junk", b"status please and thank you " * 3 + b"\n",
      "unexpected argument after command")
check("no newline then close", b"status", "request line not terminated by a newline")
check("empty line", b"\n", "empty request")
check("nothing at all", b"", None)

# 50 at once: half send garbage, half a real status; all must finish.
results = [None] * 50
def worker(i):
    try:
        results[i] = exchange(b"status\n" if i % 2 else b"\x00garbage\n", timeout=10.0)
    except Exception as e:
        results[i] = e
threads = [threading.Thread(target=worker, args=(i,)) for i in range(50)]
for t in threads:
    t.start()
for t in threads:
    t.join(20)
for i, r in enumerate(results):
    if r is None or isinstance(r, Exception):
        bad.append(f"concurrent client {i}: {r!r}")
    elif i % 2:
        try:
            if json.loads(r).get("ok") is not True:
                bad.append(f"concurrent status {i}: {r[:200]!r}")
        except Exception as e:
            bad.append(f"concurrent status {i}: not JSON ({e}): {r[:200]!r}")
    else:
        # 50 at once, CTL_MAX_CLIENTS (16) served at a time: the rest may
        # be told "too many clients"; never silence.
        err, why = error_of(r)
        if why or err not in ("request contains a NUL byte", "too many clients"):
            bad.append(f"concurrent garbage {i}: {why or err}")

# Connections that connect and say nothing must not block others: open 5
# idle ones, then a status must still be answered.
idle = []
for _ in range(5):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    idle.append(s)
r = exchange(b"status\n", timeout=10.0)
if not r or json.loads(r).get("ok") is not True:
    bad.append(f"status while idle clients are connected: {r!r}")
for s in idle:
    s.close()

for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

alive "${VPID[a]}" || fail "vigild died under hostile clients"
expect_rc 0 ctl a status
expect_rc 0 ctl a --json status
json_valid <<<"$OUT" || fail "status --json is not JSON after the abuse"

# A client that cannot reach a socket: exit 3.
expect_rc 3 "$VIGILCTL" --control-socket "$T/nobody.sock" status
# Usage error: exit 2.
expect_rc 2 ctl a no-such-command
