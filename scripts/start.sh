#!/usr/bin/env bash
# Install Notes Graph into .venv and start the explorer on the bundled notes (http://localhost:8501).
# Usage: bash scripts/start.sh                 # the bundled notes
#        bash scripts/start.sh -- --notes DIR  # your own notes folder
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/streamlit run streamlit_app.py "$@"
