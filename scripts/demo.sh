#!/usr/bin/env bash
# README's first command: set up, load the demo county, serve it at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export KEGUAN_HTTPS="${KEGUAN_HTTPS:-false}"
exec .venv/bin/keguan demo "$@"
