#!/bin/bash
# Mail faults against Postfix's smtp-sink: soft reject (-r), hard reject
# (-f), disconnect (-q), slow server (-w) and no 8BITMIME (-8). After the
# fault, an accepting sink takes over and retries are made due: every
# reminder must be delivered exactly once or be marked failed with its
# reason; none lost, none twice.
. "$(dirname "$0")/../mail/lib.sh"
command -v smtp-sink >/dev/null || { echo "skipped: smtp-sink not installed (Debian package postfix)"; exit 0; }
SINK_PID=
stop_sink() { [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null; wait "$SINK_PID" 2>/dev/null || true; SINK_PID=; }
trap 'stop_sink; cleanup' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# start_sink DUMPDIR [smtp-sink fault options]
start_sink() {
  local dir=$1; shift
  mkdir -p "$dir"
  smtp-sink -u root -d "$dir/%M." "$@" "127.0.0.1:$PORT" 10 2>>"$T/sink.err" &
  SINK_PID=$!
  wait_for 10 "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", $PORT), 1)' 2>/dev/null" ||
    fail "smtp-sink did not start"
}

printf '%-14s %6s %10s %7s %5s %10s\n' scenario mails delivered failed lost duplicated
total_bad=0
for fault in "soft:-r data" "hard:-f rcpt" "disconnect:-q data" "slow:-w 3" "no-8bitmime:-8"; do
  name=${fault%%:*}
  opts=${fault#*:}
  rm -rf "$T/conf" "$T/sink-$name"
  db_drop # each fault on a database of its own (on PostgreSQL, not in conf/)
  make_config 1
  start_sink "$T/sink-$name/fault" $opts
  "$RELEVE" -c "$CONF" remind --date 2023-03-20 > "$T/run-$name.txt" 2>&1 || true
  stop_sink
  # The server comes back well: every pending mail is made due and sent.
  start_sink "$T/sink-$name/after"
  for round in 1 2 3 4; do
    sql "update mail_queue set next_attempt_at = '$(utc_in -1)' where state = 'pending'"
    "$RELEVE" -c "$CONF" remind --date 2023-03-20 >> "$T/run-$name.txt" 2>&1 || true
    [ "$(sql "select count(*) from mail_queue where state = 'pending'")" = 0 ] && break
  done
  stop_sink
  mails=$(sql "select count(*) from mail_queue")
  failed=$(sql "select count(*) from mail_queue where state = 'failed' and last_error is not null")
  sent=$(sql "select count(*) from mail_queue where state = 'sent'")
  # Message-IDs of what the sinks stored (smtp-sink dumps with headers).
  ids=$(cat "$T/sink-$name"/*/* 2>/dev/null | grep -i '^Message-ID:' | sort || true)
  delivered=$(echo -n "$ids" | grep -c . || true)
  unique=$(echo -n "$ids" | sort -u | grep -c . || true)
  duplicated=$((delivered - unique))
  lost=$((mails - sent - failed))
  [ "$unique" = "$sent" ] || lost=$((lost + sent - unique))
  printf '%-14s %6d %10d %7d %5d %10d\n' "$name" "$mails" "$unique" "$failed" "$lost" "$duplicated"
  [ "$mails" -gt 0 ] && [ "$lost" = 0 ] && [ "$duplicated" = 0 ] || total_bad=$((total_bad + 1))
  case $name in
    hard) [ "$failed" = "$mails" ] || total_bad=$((total_bad + 1)) ;;
    *) [ "$sent" = "$mails" ] || total_bad=$((total_bad + 1)) ;;
  esac
done
[ "$total_bad" = 0 ] || fail "mail faults: $total_bad checks failed (see $T)"
