#!/usr/bin/env bash
# Create .venv with Python >= 3.12, install the locked packages and keguan itself, fetch the
# front-end assets from the npm lockfile, compile translations. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    local version
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' | sort -rV); do
      candidate="$(pyenv prefix "$version")/bin/python"
      if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
    done
  fi
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  python=$(find_python) || {
    echo "keguan needs Python 3.12 or newer (Django 6.1 requires it)." >&2
    echo "Install one, e.g. 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12'." >&2
    exit 1
  }
  echo "setup: creating .venv with $python"
  rm -rf .venv
  "$python" -m venv .venv
fi

stamp=.venv/.keguan-lock
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp"; then
  echo "setup: installing Python packages from requirements.lock"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r requirements.lock 2> >(grep -v "^WARNING: Location" >&2)
  cp requirements.lock "$stamp"
fi
if [ ! -x .venv/bin/keguan ] || [ pyproject.toml -nt .venv/.keguan-installed ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e . \
    2> >(grep -v "^WARNING: Location" >&2)
  touch .venv/.keguan-installed
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "keguan needs Node.js and npm once, to install its front-end assets (apt-get install npm)." >&2
  exit 1
fi
bash scripts/assets.sh

if ! command -v msgfmt >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -qq gettext >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
  else
    echo "keguan needs GNU gettext (msgfmt) to compile its translations: apt-get install gettext" >&2
    exit 1
  fi
fi
(cd keguan && ../.venv/bin/keguan compilemessages --verbosity 0)
