#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster in a temp dir (as a non-root user, socket + loopback
# port), run the given command against it, and stop the cluster whatever happens.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
runas=()
if [ "$(id -u)" = 0 ]; then
  user=postgres; id "$user" >/dev/null 2>&1 || user=nobody
  runas=(setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups --)
fi
tmp=$(mktemp -d /tmp/keguan-pg.XXXXXX)
chmod 755 "$tmp"
[ "$(id -u)" = 0 ] && chown "$user" "$tmp"
port=${KEGUAN_TEST_PG_PORT:-55432}
stop() { "${runas[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap stop EXIT
"${runas[@]}" "$bindir/initdb" -D "$tmp/data" -A trust -U keguan -E UTF8 --locale=C.UTF-8 >/dev/null
"${runas[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"${runas[@]}" "$bindir/createdb" -h "$tmp" -p "$port" -U keguan keguan
export PGHOST=$tmp PGPORT=$port PGUSER=keguan PGDATABASE=keguan
export KEGUAN_DATABASE_URL="postgresql://keguan@127.0.0.1:$port/keguan"
"$@"
