"""Where the bundled data lives, and the default file names the CLI and app use."""

from __future__ import annotations

from pathlib import Path

#: The repository's data folder: bundled notes, the service catalog, syllabi.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUNDLED_NOTES = DATA_DIR / "notes"
CATALOG_FILE = DATA_DIR / "catalog" / "aws-services.json"
SYLLABI_DIR = DATA_DIR / "syllabi"

#: Written in the current folder unless told otherwise.
DEFAULT_GRAPH = Path("notes.graph.json")
DEFAULT_CACHE = Path(".notes-graph-cache")
