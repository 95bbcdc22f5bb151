#!/bin/bash
# Address matching speed: load time of a synthetic 150,000-address
# reference (BAN layout) and addresses matched per second on one core.
# Not run by ctest.   tests/bench/address.sh [QUERIES]
# Builds address_bench.c with the core's address files at -O2 in a
# temporary folder (CC, CFLAGS to override).
set -euo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S="$SRC/daemon/src"
${CC:-cc} ${CFLAGS:--O2} -std=c11 -D_GNU_SOURCE -I"$S" -I"$SRC/daemon/include" \
  -I"$SRC/plugins" -I"$SRC/plugins/kit" -o "$T/address_bench" "$SRC/tests/bench/address_bench.c" \
  "$S/address/addr_ref.c" "$S/address/addr_ref_load.c" "$S/address/addr_file.c" "$S/address/addr_near.c" "$S/address/addr_norm.c" "$S/address/addr_words.c" "$S/address/addr_match.c" "$S/referentiel/geo.c" "$S/util/buf.c" "$S/util/str.c" "$S/util/path.c" "$S/util/fs.c" "$S/util/diag.c" "$S/util/fd.c" \
  "$SRC/plugins/kit/utf8.c" "$SRC/plugins/kit/csv.c" \
  $(pkg-config --cflags --libs jansson)
PIN=()
command -v taskset >/dev/null && PIN=(taskset -c 0)
"${PIN[@]}" "$T/address_bench" "$T/addresses.csv" "${1:-2000000}"
