#!/usr/bin/env python3
"""Checks that the core's folders include each other only down the layers
drawn in daemon/src/README.md, that no file of the core grows past the
size a reader can hold in mind, and that a reader finds a function from its
name.

The order is read from the README's "Layers" line, so the drawing and the
check cannot drift apart: a folder may include its own headers and those of
the folders after it, never one before it.

Names: a function a file gives to others (not static, not releve__) is
named releve_<prefix>_..., where the prefix is the file's name, its first
word (decode/plugin_host.c: plugin), that name without its folder's word
(mail/mail_mime.c: mime), the folder's name, or a type the folder's headers
declare (the function is then that type's method: releve_mapper_row for
releve_mapper). A plural "s" is allowed, and printf's forms (releve_vlog,
releve_notifyf).
"""
import os
import re
import sys

MAX_LINES = 600


def main(src):
    readme = open(os.path.join(src, "README.md"), encoding="utf-8").read()
    m = re.search(r"^Layers: (.+)$", readme, re.M)
    if not m:
        print(f"{src}/README.md: no 'Layers: a → b → …' line")
        return 1
    order = [w.strip(" `") for w in m.group(1).split("→")]
    rank = {name: i for i, name in enumerate(order)}
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    bad = 0
    for d in folders:
        if d not in rank:
            print(f"daemon/src/{d}/: folder missing from the README's Layers line")
            bad += 1
    for d in order:
        if d not in folders:
            print(f"daemon/src/README.md: Layers names '{d}', which is not a folder")
            bad += 1
    include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
    bad += check_names(src, folders)
    for d in folders:
        for f in sorted(os.listdir(os.path.join(src, d))):
            path = os.path.join(src, d, f)
            text = open(path, encoding="utf-8").read()
            lines = text.count("\n")
            if f.endswith(".c") and lines > MAX_LINES:
                print(f"daemon/src/{d}/{f}: {lines} lines, more than {MAX_LINES}")
                bad += 1
            for n, inc in enumerate(include.findall(text)):
                if "/" not in inc:
                    if not os.path.exists(os.path.join(src, d, inc)):
                        print(f"daemon/src/{d}/{f}: includes \"{inc}\" without its folder")
                        bad += 1
                    continue
                to = inc.split("/")[0]
                if to == "releve" or to == d or to not in rank or d not in rank:
                    continue
                if rank[to] < rank[d]:
                    print(f"daemon/src/{d}/{f}: includes {inc}, but {to}/ is above {d}/ in the layers")
                    bad += 1
    if bad:
        print(f"{bad} problem(s) in the core's layout")
        return 1
    print(f"layout: {len(folders)} folders in order, no file over {MAX_LINES} lines")
    return 0


TYPE = re.compile(r"\b(?:typedef\s+(?:struct|enum|union)?\s*\w*\s*\{?[^;]*?\b(releve_\w+)\s*;"
                  r"|(?:struct|enum|union)\s+(releve_\w+)\s*\{)", re.S)
DEFINITION = re.compile(r"^(?!static\b)[A-Za-z_][\w \t*]*?\b(releve_[a-z0-9_]+)\(", re.M)


def check_names(src, folders):
    bad = 0
    for d in folders:
        files = sorted(os.listdir(os.path.join(src, d)))
        types = set()
        for f in files:
            if f.endswith(".h"):
                text = open(os.path.join(src, d, f), encoding="utf-8").read()
                for m in TYPE.finditer(text):
                    types.add((m.group(1) or m.group(2))[len("releve_"):])
        for f in files:
            if not f.endswith(".c"):
                continue
            stem = f[:-2]
            prefixes = {stem, stem.split("_")[0], d} | types
            if stem.startswith(d + "_"):
                prefixes.add(stem[len(d) + 1:])
            text = open(os.path.join(src, d, f), encoding="utf-8").read()
            for m in DEFINITION.finditer(text):
                name = m.group(1)
                rest = name[len("releve_"):]
                if rest.startswith("_"):
                    continue
                forms = {rest, rest[1:] if rest.startswith("v") else rest,
                         rest[:-1] if rest.endswith("f") else rest}
                if not any(r == p or r.startswith(p + "_") or r == p + "s" or r.startswith(p + "s_")
                           for p in prefixes for r in forms):
                    line = text.count("\n", 0, m.start()) + 1
                    print(f"daemon/src/{d}/{f}:{line}: {name} is named after neither the file, "
                          f"its folder nor a type of {d}/")
                    bad += 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  os.path.join(os.path.dirname(__file__), "..", "..", "daemon", "src")))
