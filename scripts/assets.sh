#!/usr/bin/env bash
# Install the front-end packages pinned in package-lock.json and copy their built files
# into keguan/static/vendor, which is not committed. Runs offline after the first install.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/bootstrap ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
vendor=keguan/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor"/{bootstrap,bootstrap-icons/fonts,htmx,echarts}
cp node_modules/bootstrap/dist/css/bootstrap.min.css{,.map} "$vendor/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$vendor/bootstrap/"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$vendor/bootstrap-icons/"
cp node_modules/bootstrap-icons/font/fonts/* "$vendor/bootstrap-icons/fonts/"
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/htmx/"
cp node_modules/echarts/dist/echarts.min.js "$vendor/echarts/"
