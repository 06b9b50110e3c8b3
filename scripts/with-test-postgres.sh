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
"${run_as[@]}" "$bindir/initdb" -D "$data/db" -U triage --auth=trust -E UTF8 >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$data/db" -l "$data/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=on" start >/dev/null
"${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U triage triage_test
export TRIAGE_TEST_PG_URL="postgresql+psycopg://triage@127.0.0.1:$port/triage_test"
"$@"
