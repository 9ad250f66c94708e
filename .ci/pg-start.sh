#!/usr/bin/env bash
# Starts Debian's PostgreSQL 15 as the postgres user on a free loopback port and
# prints the DATABASE_URL. Usage: eval "$(bash .ci/pg-start.sh DATADIR)"
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
dir=${1:?data folder}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$dir"
chown postgres "$dir"
chmod 700 "$dir"
runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
touch "$dir/server.log" && chown postgres "$dir/server.log"
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=200" start >/dev/null
echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres PG_DATA_DIR=$dir/data"
