#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server on a private Unix socket and loopback port,
# exported as TRIAGE_TEST_PG_URL. The server and its data go away when the command ends.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
data=$(mktemp -d /tmp/triage-pg.XXXXXX)
port=${TRIAGE_TEST_PG_PORT:-54329}
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$data"
  run_as=(runuser -u postgres --)
fi
cleanup() { "${run_as[@]}" "$bindir/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$data"; }
trap cleanup EXIT
# a stopped run (Ctrl+C, a killed CI job) must not leave the server holding the port: the
# command runs in the background so that a signal is handled at once, not after it ends
child=
trap '[ -n "$child" ] && kill -INT "$child" 2>/dev/null; exit 130' INT
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; exit 143' TERM
"${run_as[@]}" "$bindir/initdb" -D "$data/db" -U triage --auth=trust -E UTF8 >/dev/null
if ! "${run_as[@]}" "$bindir/pg_ctl" -D "$data/db" -l "$data/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=on" start >/dev/null; then
  echo "with-test-postgres: the throw-away PostgreSQL did not start on 127.0.0.1:$port" \
    "(another server on that port? set TRIAGE_TEST_PG_PORT). Its log:" >&2
  tail -n 20 "$data/log" >&2 || true
  exit 1
fi
"${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U triage triage_test
export TRIAGE_TEST_PG_URL="postgresql+psycopg://triage@127.0.0.1:$port/triage_test"
"$@" &
child=$!
wait "$child"
