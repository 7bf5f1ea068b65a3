#!/usr/bin/env bash
# Install Notes Graph into .venv and start the explorer on the bundled notes (http://localhost:8501).
# Usage: bash scripts/start.sh                 # the bundled notes
#        bash scripts/start.sh -- --notes DIR  # your own notes folder
#        bash scripts/start.sh --port 8502     # any option of `notes-graph app` (see notes-graph app --help)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
# `notes-graph app` runs `streamlit run` on the installed streamlit_app.py with the settings of .streamlit/config.toml.
# A leading `--` (the way `streamlit run` took the page's own arguments) is dropped: `-- --notes DIR` still works.
if [ "${1:-}" = "--" ]; then
  shift
fi
exec .venv/bin/notes-graph app "$@"
