"""A loopback SMTP server for the mail tests (aiosmtpd).

usage: smtpd.py DIR

Listens on 127.0.0.1, on a free port written to DIR/port. Each message it
accepts is saved as DIR/msg-N.eml with its envelope in DIR/msg-N.json. How
it answers the end of DATA is read from DIR/mode at each message:
  accept     250
  soft       451 (try again later)
  soft-once  451 the first time, then 250
  hard       554 (refused for good)
  drop       closes the connection without answering
Every answer is appended to DIR/log.
"""
import asyncio
import json
import os
import sys

from aiosmtpd.smtp import SMTP

DIR = sys.argv[1]


def mode():
    try:
        with open(os.path.join(DIR, "mode")) as f:
            return f.read().strip() or "accept"
    except FileNotFoundError:
        return "accept"


def log(line):
    with open(os.path.join(DIR, "log"), "a") as f:
        f.write(line + "\n")


class Handler:
    soft_given = False

    async def handle_DATA(self, server, session, envelope):
        m = mode()
        if m == "soft-once" and not Handler.soft_given:
            Handler.soft_given = True
            m = "soft"
        if m == "soft":
            log("451")
            return "451 4.3.0 Mailbox busy, try again later"
        if m == "hard":
            log("554")
            return "554 5.7.1 Recipient refused by policy"
        if m == "drop":
            log("drop")
            server.transport.abort()
            return "421 4.4.2 closing"
        n = len([f for f in os.listdir(DIR) if f.endswith(".eml")]) + 1
        base = os.path.join(DIR, "msg-%d" % n)
        with open(base + ".json.tmp", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        os.rename(base + ".json.tmp", base + ".json")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        log("250")
        return "250 2.0.0 OK queued"


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(Handler(), hostname="sink.test", decode_data=False),
        "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(os.path.join(DIR, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
    # Bounded: a test that forgets its server does not leave it forever.
    await asyncio.sleep(120)


asyncio.run(main())
