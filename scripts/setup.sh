#!/usr/bin/env bash
# Create .venv and install pinned requirements (re-runs pip only when a requirements file changed).
# Usage: scripts/setup.sh [dev]   — "dev" adds the test tools (and fails when the Debian packages cannot be installed).
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
# Debian packages: Chromium renders the plan's charts (kaleido) and runs the browser tests through Playwright
# (nothing may download a browser build here); AR PL UMing lets the PDF plan and chart images show Chinese.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || missing+=(fonts-arphic-uming)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  if ! { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    # The app runs without them (charts in the PDF are then drawn without a browser, Chinese text in a fallback
    # font); the tests need them.
    echo "could not apt-get install ${missing[*]}" >&2
    [ "${1:-}" = dev ] && exit 1
  fi
fi
