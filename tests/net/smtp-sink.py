#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A mail server for the e-mail alert scenarios, run in a namespace.

smtp-sink.py MODE ADDR PORT DIR

  store    a real SMTP server (Debian's python3-aiosmtpd): each message is
           written to DIR/N.eml (N from 1) with its envelope in DIR/N.env
           ("from" and "rcpt" lines)
  slow     accepts, then says nothing for 30 s (past any reply timeout)
  drop     greets, takes HELO, and closes the connection
  garbage  answers every line with bytes that are no SMTP reply
  reject   a well-formed session that refuses every recipient (550)

Every connection is counted in DIR/connections (one line each).
"""
import asyncio
import os
import sys

mode, addr, port, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]


def count_connection():
    with open(os.path.join(out, "connections"), "a") as f:
        f.write("1\n")


class Store:
    n = 0

    async def handle_DATA(self, server, session, envelope):
        Store.n += 1
        base = os.path.join(out, str(Store.n))
        with open(base + ".env.tmp", "w") as f:
            f.write("from %s\n" % envelope.mail_from)
            for r in envelope.rcpt_tos:
                f.write("rcpt %s\n" % r)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".env.tmp", base + ".env")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted for delivery"


async def raw(reader, writer):
    count_connection()
    if mode == "slow":
        await asyncio.sleep(30)
    elif mode == "drop":
        writer.write(b"220 sink ESMTP\r\n")
        await writer.drain()
        await reader.readline()
        writer.write(b"250 sink\r\n")
        await writer.drain()
        await reader.readline()
    elif mode == "reject":
        writer.write(b"220 sink ESMTP\r\n")
        while True:
            line = await reader.readline()
            if not line:
                break
            cmd = line[:4].upper()
            if cmd == b"RCPT":
                writer.write(b"550 5.1.1 no such user here\r\n")
            elif cmd == b"QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
    elif mode == "garbage":
        writer.write(b"hello there, this is not SMTP\r\n")
        await writer.drain()
        await reader.readline()
    writer.close()


async def main():
    loop = asyncio.get_running_loop()
    if mode == "store":
        from aiosmtpd.smtp import SMTP

        def factory():
            count_connection()
            return SMTP(Store(), hostname="sink")

        server = await loop.create_server(factory, addr, port)
    elif mode in ("slow", "drop", "garbage", "reject"):
        server = await asyncio.start_server(raw, addr, port)
    else:
        sys.exit("smtp-sink: unknown mode " + mode)
    with open(os.path.join(out, "ready"), "w") as f:
        f.write("%d\n" % os.getpid())
    async with server:
        await server.serve_forever()


asyncio.run(main())
