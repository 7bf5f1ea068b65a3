#!/usr/bin/env bash
# Install Notes Graph into .venv, build the bundled notes and show a summary.
# Usage: bash scripts/start.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
.venv/bin/notes-graph build
exec .venv/bin/notes-graph show "Amazon Kinesis"
