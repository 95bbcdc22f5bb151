#!/usr/bin/env python3
"""HTTPS server for the scheduled pull tests, on 127.0.0.1 only.

usage: server.py CERT KEY DOCROOT PORT_FILE LOG_FILE

Binds a free port, writes it to PORT_FILE, and serves:
  /files/NAME       DOCROOT/NAME with an ETag (its sha256) and Last-Modified
                    (its mtime); 304 when If-None-Match or If-Modified-Since
                    says the client has it
  /plain/NAME       DOCROOT/NAME without validators: always 200
  /stall/NAME       200 and a Content-Length, a few bytes, then silence
  /fail/N/NAME      500 to the first N requests of this path, then /files/NAME
  /big/N            N bytes with a Content-Length
  /bigstream/N      N bytes without a Content-Length (ended by closing)
  /to-http/NAME     302 to http:// (a redirection curl must refuse)
Each request is logged to LOG_FILE as one JSON line: path, status, and the
request headers the tests look at.
"""
import hashlib
import http.server
import json
import os
import ssl
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime

CERT, KEY, DOCROOT, PORT_FILE, LOG_FILE = sys.argv[1:6]
LOCK = threading.Lock()
FAIL_COUNTS = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection, close ends a body

    def log_message(self, fmt, *args):
        pass

    def record(self, status):
        entry = {
            "path": self.path,
            "status": status,
            "if_none_match": self.headers.get("If-None-Match"),
            "if_modified_since": self.headers.get("If-Modified-Since"),
            "authorization": self.headers.get("Authorization"),
            "x_test": self.headers.get("X-Test"),
            "user_agent": self.headers.get("User-Agent"),
        }
        with LOCK, open(LOG_FILE, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def reply(self, status, body=b"", headers=None, length=True):
        self.record(status)
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def serve_file(self, name, validators=True):
        path = os.path.join(DOCROOT, os.path.basename(name))
        try:
            with open(path, "rb") as f:
                body = f.read()
        except OSError:
            return self.reply(404, b"not found\n")
        if not validators:
            return self.reply(200, body, {"Content-Type": "text/csv"})
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        mtime = int(os.stat(path).st_mtime)
        headers = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True),
                   "Content-Type": "text/csv"}
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            if inm == etag:
                return self.reply(304, b"", headers, length=False)
        elif ims is not None:
            try:
                if mtime <= parsedate_to_datetime(ims).timestamp():
                    return self.reply(304, b"", headers, length=False)
            except (TypeError, ValueError):
                pass
        return self.reply(200, body, headers)

    def do_GET(self):
        parts = self.path.split("/")[1:]
        kind = parts[0] if parts else ""
        if kind == "files" and len(parts) == 2:
            return self.serve_file(parts[1])
        if kind == "plain" and len(parts) == 2:
            return self.serve_file(parts[1], validators=False)
        if kind == "stall":
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            self.wfile.write(b"indicateur;")
            self.wfile.flush()
            time.sleep(60)
            return None
        if kind == "fail" and len(parts) == 3:
            with LOCK:
                n = FAIL_COUNTS.get(self.path, 0)
                FAIL_COUNTS[self.path] = n + 1
            if n < int(parts[1]):
                return self.reply(500, b"internal error\n")
            return self.serve_file(parts[2])
        if kind in ("big", "bigstream") and len(parts) == 2:
            size = int(parts[1])
            if kind == "big":
                return self.reply(200, b"x" * size)
            self.record(200)
            self.send_response(200)
            self.end_headers()
            chunk = b"y" * 65536
            sent = 0
            try:
                while sent < size:
                    self.wfile.write(chunk[: size - sent])
                    sent += min(len(chunk), size - sent)
            except OSError:
                pass  # the client gave up, as it should
            return None
        if kind == "to-http" and len(parts) == 2:
            port = self.server.server_address[1]
            return self.reply(302, b"", {"Location": "http://127.0.0.1:%d/files/%s" % (port, parts[1])})
        return self.reply(404, b"not found\n")


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(CERT, KEY)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = PORT_FILE + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, PORT_FILE)
    server.serve_forever()


if __name__ == "__main__":
    main()
