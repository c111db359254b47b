#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The other ends of a daemon run the way operators and systemd run it
(tests/net/daemon-lib.sh). Every mode writes one line per event to OUT,
flushed at once, so the test reads them in the order they happened.

  syslog SOCK OUT        a datagram socket standing in for /dev/log; a line
                         per message, as received (newlines as spaces)
  notify SOCK OUT [PIDFILE CTLSOCK]
                         NOTIFY_SOCKET: a line per datagram, "pid=P|K=V|K=V"
                         with the sender's pid from SCM_CREDENTIALS (as
                         systemd's NotifyAccess=main checks it). After one
                         holding READY=1, with PIDFILE and CTLSOCK given, a
                         line "probe|pidfile=...|control=..." says what a
                         client saw at that moment: the pid file's content
                         and whether the control socket answered status.
  reaper OUT [--probe PIDFILE CTLSOCK] CMD...
                         runs CMD as a child subreaper (PR_SET_CHILD_SUBREAPER),
                         so a daemon that detaches from CMD is reparented here
                         and its exit status can be known: "exit pid=P
                         status=S" for CMD and for every process reaped after
                         it (S as the shell says it: the code, or 128+signal).
                         The moment CMD has exited, --probe logs the probe
                         line as notify does at READY=1, and
                         "X-FOREGROUND-EXITED=S" is sent to $NOTIFY_SOCKET if
                         it is set, so the notify log shows what came before
                         and after the return.
"""
import ctypes
import json
import os
import socket
import struct
import sys


def out_line(f, text):
    f.write(text + "\n")
    f.flush()


def bind_dgram(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    # The daemon may run as another user later (the checker does): let it in.
    old = os.umask(0)
    try:
        s.bind(path)
    finally:
        os.umask(old)
    return s


def syslog_main(sock, out):
    s = bind_dgram(sock)
    with open(out, "a") as f:
        while True:
            data = s.recv(65536)
            out_line(f, data.decode("utf-8", "replace").replace("\n", " ").rstrip())


def probe(pidfile, ctlsock):
    try:
        with open(pidfile) as p:
            pf = p.read().strip() or "empty"
    except OSError as e:
        pf = f"missing({e.strerror})"
    try:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.settimeout(5)
        c.connect(ctlsock)
        c.sendall(b"status\n")
        data = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
        c.close()
        ctl = "ok" if json.loads(data).get("ok") is True else "not-ok"
    except Exception as e:
        ctl = f"error({e})"
    return f"probe|pidfile={pf}|control={ctl}"


def notify_main(sock, out, pidfile=None, ctlsock=None):
    s = bind_dgram(sock)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    creds = struct.calcsize("3i")
    with open(out, "a") as f:
        while True:
            data, anc, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(creds))
            pid = "?"
            for level, kind, cdata in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid = str(struct.unpack("3i", cdata[:creds])[0])
            fields = [x for x in data.decode("utf-8", "replace").split("\n") if x]
            out_line(f, "|".join([f"pid={pid}"] + fields))
            if pidfile and "READY=1" in fields:
                out_line(f, probe(pidfile, ctlsock))


def status_of(st):
    if os.WIFEXITED(st):
        return os.WEXITSTATUS(st)
    if os.WIFSIGNALED(st):
        return 128 + os.WTERMSIG(st)
    return 255


def reaper_main(out, cmd):
    probe_at = None
    if cmd[:1] == ["--probe"]:
        probe_at, cmd = cmd[1:3], cmd[3:]
    PR_SET_CHILD_SUBREAPER = 36
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit(f"prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(ctypes.get_errno())}")
    fg = os.fork()
    if fg == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    with open(out, "a") as f:
        out_line(f, f"start pid={fg}")
        while True:
            try:
                pid, st = os.wait()
            except ChildProcessError:
                break
            if pid == fg and probe_at:
                line = probe(*probe_at)
            out_line(f, f"exit pid={pid} status={status_of(st)}")
            if pid == fg and probe_at:
                out_line(f, line)
            if pid == fg and os.environ.get("NOTIFY_SOCKET"):
                n = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                n.sendto(f"X-FOREGROUND-EXITED={status_of(st)}".encode(),
                         os.environ["NOTIFY_SOCKET"])
                n.close()


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "syslog":
        syslog_main(a[1], a[2])
    elif len(a) in (3, 5) and a[0] == "notify":
        notify_main(*a[1:])
    elif len(a) >= 3 and a[0] == "reaper" and (a[2] != "--probe" or len(a) >= 6):
        reaper_main(a[1], a[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
