#!/usr/bin/env bash
# Install the pinned ECharts runtime (package.json + package-lock.json) and vendor it into the package.
set -euo pipefail
DEST=webagent/core/vendor/echarts.min.js
SRC=node_modules/echarts/dist/echarts.min.js
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "chart runtime: installing npm with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  else
    echo "error: npm is needed to fetch the ECharts runtime: install Node.js and npm, then run make again" >&2
    exit 1
  fi
fi
if [ ! -f "$SRC" ] || [ package-lock.json -nt "$SRC" ]; then
  echo "chart runtime: npm ci (echarts pinned in package-lock.json)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  touch "$SRC"
fi
mkdir -p "$(dirname "$DEST")"
if [ ! -f "$DEST" ] || [ "$SRC" -nt "$DEST" ]; then cp "$SRC" "$DEST.part" && mv "$DEST.part" "$DEST"; fi
echo "chart runtime: $DEST ($(grep -o 'version:"[0-9.]*"' "$DEST" | head -1))"
