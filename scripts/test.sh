#!/usr/bin/env bash
# README's second command: install what the tests need and run every check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh
py=.venv/bin/python
export KEGUAN_DATA_DIR=${KEGUAN_TEST_DATA_DIR:-$(mktemp -d /tmp/keguan-test.XXXXXX)}
export KEGUAN_HTTPS=false KEGUAN_TESTING=true

echo "== lint (ruff)"
.venv/bin/ruff check keguan tests scripts
.venv/bin/ruff format --check keguan tests scripts
echo "== Traditional Chinese generated from Simplified (OpenCC) is current"
$py scripts/translations.py --check
echo "== django check, migrations, messages"
.venv/bin/keguan check --fail-level WARNING
.venv/bin/keguan makemigrations --check --dry-run
(cd keguan && ../.venv/bin/keguan compilemessages --verbosity 0)
echo "== deploy check with production settings"
KEGUAN_TESTING=false KEGUAN_HTTPS=true KEGUAN_DEBUG=false \
  KEGUAN_SECRET_KEY="$($py -c 'import secrets; print(secrets.token_urlsafe(60))')" \
  KEGUAN_ALLOWED_HOSTS=keguan.example.gov.cn .venv/bin/keguan check --deploy --fail-level WARNING

# Playwright drives the browser from the test thread while live_server answers.
export DJANGO_ALLOW_ASYNC_UNSAFE=true
# One pytest worker per core (pytest-xdist); each has its own test database.
workers=${KEGUAN_TEST_WORKERS:-auto}
echo "== pytest on SQLite (browser tests included), $workers workers"
$py -m pytest -q -n "$workers" "$@"
echo "== pytest on PostgreSQL (database tests), $workers workers"
bash scripts/postgres.sh $py -m pytest -q -n "$workers" -m "not browser" "$@"
