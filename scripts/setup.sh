#!/usr/bin/env bash
# Create .venv and install pinned requirements (re-runs pip only when a requirements file changed).
# Usage: scripts/setup.sh [dev]   — "dev" adds the test tools and Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
req=requirements.txt
[ "${1:-}" = dev ] && req=requirements-dev.txt
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
stamp=".venv/.installed-$(cat requirements.txt "$req" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet -r "$req"
  touch "$stamp"
fi
if [ "${1:-}" = dev ] && ! command -v chromium >/dev/null 2>&1; then
  # Browser tests drive Debian's Chromium through Playwright; nothing may download a browser build here.
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
