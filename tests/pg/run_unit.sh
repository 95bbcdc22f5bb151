#!/bin/bash
# run_unit.sh PROGRAM: a cmocka test of the PostgreSQL engine, against a
# private server (tests/pg.sh) started for it and stopped after.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../pg.sh"
trap pg_stop EXIT
pg_start
PG_URI=$PG_URI "$1"
