#!/usr/bin/env bash
# Install everything the tests need into .venv and run the whole test suite.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
# tests/test_browser.py drives Debian's chromium (Playwright downloads no browser). Install it when it is missing
# and apt-get is here: as root it must succeed (CI); without root or passwordless sudo the browser test is skipped.
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n apt-get update -qq
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
  else
    echo "scripts/test.sh: chromium is not installed and cannot be (no root); the browser test will be skipped" >&2
  fi
fi
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
