#!/usr/bin/env bash
# `make bench`: the benchmark, never part of `make test`. Generates a jurisdiction with
# `keguan bench-data` (KEGUAN_BENCH_SCALE, default province), then runs `keguan bench`
# against SQLite and against a throwaway PostgreSQL, and prints one table. Results go to
# var/bench/ (JSON per database and results.md). A province takes 40 minutes or so.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh
scale=${KEGUAN_BENCH_SCALE:-province}
rush=${KEGUAN_BENCH_RUSH_SECONDS:-60}
applicants=${KEGUAN_BENCH_APPLICANTS:-20}
out=$(pwd)/var/bench
mkdir -p "$out"
export KEGUAN_HTTPS=false
keguan=$(pwd)/.venv/bin/keguan
py=$(pwd)/.venv/bin/python

echo "== machine"
{
  echo "- CPU: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "- memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "- $($py --version), SQLite $($py -c 'import sqlite3; print(sqlite3.sqlite_version)')"
  echo "- PostgreSQL $(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1 | xargs -I{} {}/postgres --version | awk '{print $3}')"
  echo "- scale: $scale; rush: $applicants applicants for $rush s; server: keguan serve, 2 workers × 4 threads"
} | tee "$out/machine.md"

bench() {  # $1 = label; runs in the current KEGUAN_* environment
  $keguan migrate --verbosity 0
  $keguan bench-data --scale "$scale"
  $keguan bench --label "$1" --rush-seconds "$rush" --applicants "$applicants" --out "$out/$1.json"
}
export -f bench
export keguan scale rush applicants out

echo "== SQLite"
sqlite_dir=$(mktemp -d /tmp/keguan-bench-sqlite.XXXXXX)
trap 'rm -rf "$sqlite_dir"' EXIT
KEGUAN_DATA_DIR=$sqlite_dir bench sqlite

echo "== PostgreSQL"
pg_dir=$(mktemp -d /tmp/keguan-bench-pg.XXXXXX)
KEGUAN_TEST_PG_PORT=${KEGUAN_BENCH_PG_PORT:-55470} KEGUAN_DATA_DIR=$pg_dir \
  bash scripts/postgres.sh bash -c 'bench postgresql'
rm -rf "$pg_dir"

echo "== results"
$py -m keguan.bench.table "$out/sqlite.json" "$out/postgresql.json" | tee "$out/results.md"
