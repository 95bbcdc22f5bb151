"""Parses a mail the way a mail client would (python's email package) and
prints it as JSON: headers decoded (RFC 2047), the text body decoded
(quoted-printable, UTF-8), attachments with their name and content.

usage: parse.py FILE.eml [--save-attachment N OUT]
(lines of the body end with LF; OUT gets attachment N's bytes as sent)
"""
import email
import email.policy
import json
import sys

with open(sys.argv[1], "rb") as f:
    raw = f.read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
out = {
    "subject": str(msg["subject"]),
    "from": str(msg["from"]),
    "to": [a.addr_spec for a in msg["to"].addresses],
    "cc": [a.addr_spec for a in msg["cc"].addresses] if msg["cc"] else [],
    "reply_to": str(msg["reply-to"] or ""),
    "message_id": str(msg["message-id"]),
    "date": str(msg["date"]),
    "defects": [str(d) for part in msg.walk() for d in part.defects],
    "max_line": max(len(l) for l in raw.split(b"\r\n")),
    "crlf_only": b"\n" not in raw.replace(b"\r\n", b""),
    "attachments": [],
}
body = msg.get_body(preferencelist=("plain",))
out["body"] = body.get_content().replace("\r\n", "\n")
out["body_cte"] = body["content-transfer-encoding"]
for part in msg.iter_attachments():
    data = part.get_payload(decode=True)
    # Text is given as text; a workbook's bytes only by --save-attachment.
    out["attachments"].append({"name": part.get_filename(),
                               "type": part.get_content_type(),
                               "size": len(data),
                               "content": data.decode("utf-8")
                               if part.get_content_maintype() == "text" else None})
if len(sys.argv) == 5 and sys.argv[2] == "--save-attachment":
    part = list(msg.iter_attachments())[int(sys.argv[3])]
    with open(sys.argv[4], "wb") as f:
        f.write(part.get_payload(decode=True))
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
