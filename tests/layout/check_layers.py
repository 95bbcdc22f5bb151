#!/usr/bin/env python3
"""Checks that the core's folders include each other only down the layers
drawn in daemon/src/README.md, and that no file of the core grows past the
size a reader can hold in mind.

The order is read from the README's "Layers" line, so the drawing and the
check cannot drift apart: a folder may include its own headers and those of
the folders after it, never one before it.
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  os.path.join(os.path.dirname(__file__), "..", "..", "daemon", "src")))
