#!/bin/bash
# A plugin that crashes, hangs or exhausts its memory loses neither the
# daemon nor the file: the file goes to rejected/ with the reason, and the
# next file is served.
. "$(dirname "$0")/lib.sh"
make_config 'c["daemon"].update(decode_timeout_seconds=2, decode_memory_mb=64)'
start_daemon

drop crash.csv "$(figure 2019 1)"
wait_for 10 "test -f '$SPOOL/rejected/crash.csv.rapport.txt'" || fail "crashing file not refused"
grep -q "le module crashtest a échoué" "$SPOOL/rejected/crash.csv.rapport.txt" || fail "crash reason missing"
kill -0 "$DPID" || fail "releved died with its plugin"
drop next.csv "$(figure 2019 2)"
wait_for 5 "test -f '$SPOOL/archive/next.csv.rapport.txt'" || fail "next file not served after a crash"

drop hang.csv "$(figure 2019 3)"
wait_for 10 "test -f '$SPOOL/rejected/hang.csv.rapport.txt'" || fail "hanging file not refused"
grep -q "délai dépassé (2 s)" "$SPOOL/rejected/hang.csv.rapport.txt" || fail "timeout reason missing"

# RLIMIT_AS cannot apply under AddressSanitizer: only test it without.
if ! grep -q asan < <(ldd "$RELEVED" 2>/dev/null); then
  drop hog.csv "$(figure 2019 4)"
  wait_for 10 "test -f '$SPOOL/rejected/hog.csv.rapport.txt'" || fail "memory hog not refused"
  # Under valgrind (tests/valgrind/run) the limit binds valgrind's own
  # allocator too, which may give up before the plugin sees a failed
  # malloc: the file is still refused, with a plain failure as reason.
  grep -q "mémoire insuffisante" "$SPOOL/rejected/hog.csv.rapport.txt" ||
    [ "${UNDER_VALGRIND:-0}" = 1 ] || fail "memory reason missing"
fi

# exit(0) in the middle of a file is an exit, not a crash.
drop exit.csv "$(figure 2019 6)"
wait_for 10 "test -f '$SPOOL/rejected/exit.csv.rapport.txt'" || fail "exiting plugin's file not refused"
grep -q "le module crashtest s'est arrêté (code de sortie 0) avant la fin du fichier" \
  "$SPOOL/rejected/exit.csv.rapport.txt" || fail "exit reported as: $(grep -i module "$SPOOL/rejected/exit.csv.rapport.txt")"

# 50 MiB on the plugin's stdout and stderr: at most 20 lines reach the log,
# then one line counting the rest.
before=$(stat -c %s "$LOG")
drop noisy.csv "$(figure 2019 7)"
wait_for 20 "test -f '$SPOOL/archive/noisy.csv.rapport.txt'" || fail "noisy plugin's file not accepted"
grown=$(( $(stat -c %s "$LOG") - before ))
[ "$grown" -lt 16384 ] || fail "the log grew by $grown bytes for a noisy plugin"
[ "$(grep -c 'plugin crashtest, noisy.csv: output: xxx' "$LOG")" -le 20 ] || fail "more than 20 output lines logged"
grep -Eq 'noisy.csv: \.\.\. [0-9]+ more bytes of output dropped' "$LOG" || fail "no summary of the dropped output"

drop last.csv "$(figure 2019 5)"
wait_for 5 "test -f '$SPOOL/archive/last.csv.rapport.txt'" || fail "last file not served"
[ "$(sql "select value from observations where indicator='G04.1' and period='2019'")" = 5 ] || fail "last figure"
stop_daemon
echo "daemon survives crashing, hanging and hungry plugins: ok"
