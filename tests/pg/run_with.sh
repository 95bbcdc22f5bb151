#!/bin/bash
# run_with.sh SCRIPT: a shell test whose database may be PostgreSQL's
# (RELEVE_TEST_PG_URI), given a private server (tests/pg.sh) started for
# it and stopped after.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../pg.sh"
trap pg_stop EXIT
pg_start
RELEVE_TEST_PG_URI=$PG_URI bash "$1"
