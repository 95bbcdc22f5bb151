#!/usr/bin/env python3
"""Writes a partner's reply with Python's email package, for `releve receive`.

usage: write_message.py KIND FROM TO OUT [FILE...]
KIND is how the attachments are put:
  plain      each FILE attached with its own type (xlsx, ods, csv), base64
  octet      each FILE as application/octet-stream, its name alone saying .xlsx
  rfc2231    each FILE under a French name with accents, sent as RFC 2231
             (filename*=utf-8''...), quoted-printable for a .csv
  rfc2047    each FILE under an accented name encoded as RFC 2047 words
             (as Outlook and Thunderbird write it)
  forward    the message with FILE attached, forwarded as message/rfc822
             inside a new one (nested multipart/mixed, multipart/alternative)
  signature  no table: a text body, an HTML body and a PNG logo inline
Headers: an 8-bit UTF-8 Subject and From display name, a Message-ID
<KIND.N@partner.example> with N from $MSG_N (default 1); extra headers from
$HEADERS, "Name: value" lines.
"""
import os
import sys
from email.message import EmailMessage
from email import policy
from email.utils import make_msgid

TYPES = {".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
         ".ods": ("application", "vnd.oasis.opendocument.spreadsheet"),
         ".csv": ("text", "csv")}

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35"
       b"\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def base_message(kind, sender, to, subject):
    m = EmailMessage(policy=policy.SMTPUTF8)
    m["From"] = "Réseau des partenaires <%s>" % sender
    m["To"] = to
    m["Subject"] = subject
    m["Message-ID"] = "<%s.%s@partner.example>" % (kind, os.environ.get("MSG_N", "1"))
    for line in filter(None, os.environ.get("HEADERS", "").split("\n")):
        name, value = line.split(":", 1)
        m[name.strip()] = value.strip()
    return m


def attach(m, path, name, how):
    data = open(path, "rb").read()
    ext = os.path.splitext(path)[1].lower()
    maintype, subtype = TYPES[ext]
    if how == "octet":
        maintype, subtype = "application", "octet-stream"
    if maintype == "text":
        m.add_attachment(data.decode("utf-8-sig"), subtype=subtype, filename=name,
                         cte="quoted-printable" if how == "rfc2231" else None)
    else:
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)


def main():
    kind, sender, to, out = sys.argv[1:5]
    files = sys.argv[5:]
    m = base_message(kind, sender, to, "Re: chiffres 2022 — données complétées")
    m.set_content("Bonjour,\n\nvoici le tableau rempli.\n\nCordialement,\nÉlodie Lefèvre\n")
    if kind == "signature":
        m.add_alternative("<p>Bonjour,</p><p>voici nos chiffres.</p><img src='cid:logo'>",
                          subtype="html")
        m.get_payload()[1].add_related(PNG, "image", "png", cid="<logo>", filename="logo.png")
    for i, f in enumerate(files):
        ext = os.path.splitext(f)[1]
        if kind in ("plain", "octet"):
            attach(m, f, os.path.basename(f), kind)
        elif kind == "rfc2231":
            attach(m, f, "données_été_%d%s" % (i + 1, ext), kind)
        elif kind == "rfc2047":
            attach(m, f, "tableau_réalisé%s" % ext, kind)
    if kind == "rfc2047":
        # The name as encoded-words in quotes: not RFC 2231, yet the usual.
        for part in m.iter_attachments():
            for header in ("Content-Disposition", "Content-Type"):
                v = part[header]
                del part[header]
                word = "=?UTF-8?B?dGFibGVhdV9yw6lhbGlzw6k=?=" + os.path.splitext(files[0])[1]
                key = "filename" if header == "Content-Disposition" else "name"
                part[header] = v.split(";")[0] + '; %s="%s"' % (key, word)
    if kind == "forward":
        inner = base_message("inner", sender, to, "chiffres 2022")
        inner.set_content("Le tableau ci-joint.\n")
        inner.add_alternative("<p>Le tableau ci-joint.</p>", subtype="html")
        for f in files:
            attach(inner, f, os.path.basename(f), "plain")
        m.add_attachment(inner)
    data = m.as_bytes(policy=policy.SMTPUTF8.clone(linesep="\r\n"))
    open(out, "wb").write(data)


main()
