"""English word probabilities (spaCy's ``en_lexeme_prob`` table), without loading a million entries.

The table ships with ``spacy-lookups-data`` as gzipped JSON of about 1,000,000 words; parsing it
costs about a second, which every process (each CLI call, the app's start) would pay for a few
hundred lookups. So the first process that needs it copies it once into an SQLite file in the
user's cache folder, and every later process looks words up there on demand.

* :func:`word_probability` is the only entry point: ``log P(word)``, or ``None`` when the word is
  not in the table.
* The SQLite file lives in ``$NOTES_GRAPH_CACHE_HOME``, else ``$XDG_CACHE_HOME/notes-graph``, else
  ``~/.cache/notes-graph``, and is named after the data package's version, so an upgrade makes a
  new one. It is written beside its final name and renamed, so a killed process never leaves a
  half-written table.
* Where no cache folder is writable (read-only home, sandbox), the JSON table is loaded into
  memory as before: slower to start, same answers.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import tempfile
import threading
from contextlib import closing
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

__all__ = ["cache_home", "word_probability"]

_TABLE_FILE = "en_lexeme_prob.json.gz"
_PACKAGE = "spacy_lookups_data"


def cache_home() -> Path:
    """The folder for per-user caches of Notes Graph (not the per-notes extraction cache)."""
    explicit = os.environ.get("NOTES_GRAPH_CACHE_HOME")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "notes-graph"


def word_probability(word: str) -> float | None:
    """The log probability of *word* (exact spelling and case) in English text, or ``None`` if unknown."""
    return _lookup(word)


@lru_cache(maxsize=200_000)
def _lookup(word: str) -> float | None:
    return _store().get(word)


class _SqliteTable:
    """Read-only lookups in the SQLite copy; one connection per process and thread (sqlite3's rule)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        owner = (os.getpid(), threading.get_ident())
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.owner != owner:  # a forked worker must not reuse its parent's handle
            conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.conn, self._local.owner = conn, owner
        return conn

    def get(self, word: str) -> float | None:
        row = self._connection().execute("SELECT p FROM prob WHERE w = ?", (word,)).fetchone()
        return row[0] if row else None


@lru_cache(maxsize=1)
def _store():
    """The SQLite copy when one exists or can be made, else the table as an in-memory dict."""
    try:
        version = metadata.version("spacy-lookups-data")
    except metadata.PackageNotFoundError:
        version = "unknown"
    target = cache_home() / f"en-lexeme-prob-{version}.sqlite3"
    if _usable(target) or _write_sqlite(target):
        return _SqliteTable(target)
    return _read_json()


def _read_json() -> dict[str, float]:
    with gzip.open(str(resources.files(_PACKAGE) / "data" / _TABLE_FILE), "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _usable(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return conn.execute("SELECT count(*) FROM prob WHERE w = 'the'").fetchone()[0] == 1
    except sqlite3.Error:
        return False  # damaged or foreign file: it is rewritten


def _write_sqlite(target: Path) -> bool:
    """Copy the JSON table into *target* atomically; False when that is not possible here."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
    except OSError:
        return False
    try:
        with closing(sqlite3.connect(temp)) as conn, conn:  # closed after the transaction commits
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("CREATE TABLE prob (w TEXT PRIMARY KEY, p REAL NOT NULL) WITHOUT ROWID")
            conn.executemany("INSERT OR REPLACE INTO prob VALUES (?, ?)", _read_json().items())
        os.replace(temp, target)
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
