"""A per-file cache of extractions, so a rebuild only re-reads what changed. It holds data, never code.

An entry is keyed on the note's path and bytes (its SHA-256), the pipeline version, the catalog
version and a fingerprint of the extraction code itself, so any change to the text, the catalog or
the rules misses the cache. Entries are rows of one SQLite file: the :class:`~graph.model.Extraction`
as compressed JSON (:func:`graph.model.to_plain`), checked field by field when read back
(:func:`graph.model.from_plain`), so a planted or damaged entry is a miss, never code that runs.

The cache lives in the user's cache folder (``$NOTES_GRAPH_CACHE_HOME``, else
``$XDG_CACHE_HOME/notes-graph``, else ``~/.cache/notes-graph``; folder ``extractions``, mode 0700).
A folder that is a symbolic link, is not the user's own or can be written by others is refused with
one message (:class:`CacheRefused`; the build then runs without a cache), and so is a database file
that is not a regular file of the user's (a named pipe is detected without blocking). Least recently
used entries are pruned once the file passes :data:`MAX_BYTES`.

>>> import tempfile
>>> from graph.model import Extraction
>>> from graph.sources.notes import Note
>>> folder = Path(tempfile.mkdtemp()) / "cache"
>>> note = Note(path="a.md", text="# A", digest="d1")
>>> with ExtractionCache(folder, "v1") as cache:
...     cache.put(note, Extraction(path="a.md", digest="d1"))
>>> with ExtractionCache(folder, "v1") as cache:
...     cache.get(note).path
'a.md'
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import time
import zlib
from contextlib import closing
from functools import lru_cache
from pathlib import Path

from graph.model import Extraction, from_plain, to_plain
from graph.sources.lexicon import cache_home
from graph.sources.notes import Note

__all__ = ["FORMAT", "MAX_BYTES", "CacheRefused", "ExtractionCache", "code_fingerprint", "default_cache_dir"]

#: What shapes an extraction, relative to the package: reading, parsing, the rules and the data model.
_EXTRACTION_CODE = ("sources", "extract", "model.py", "names.py")
#: Version of the stored form; rows of another version are misses.
FORMAT = 1
#: Size of the database file above which least recently used entries are pruned (to three quarters of it).
MAX_BYTES = 256 * 1024 * 1024
_FILE_NAME = "extractions.sqlite"
#: Seconds a build waits for another build that is writing the same cache.
_BUSY_TIMEOUT = 10.0


class CacheRefused(Exception):
    """The cache folder or file is not safe to use; the message says why and what to do."""


def default_cache_dir() -> Path:
    """The extraction cache in the user's cache folder."""
    return cache_home() / "extractions"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of every module whose behaviour shapes an extraction.

    Whole packages are hashed file by file, so a new rule module changes the fingerprint without
    being listed anywhere.
    """
    from graph.extract.pipeline import PIPELINE_VERSION  # here, so reading a graph file never imports spaCy

    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    package = Path(__file__).resolve().parent.parent
    for name in _EXTRACTION_CODE:
        path = package / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


class ExtractionCache:
    """Extractions stored under *directory*, valid for one catalog version and this code.

    Use it as a context manager: entries put during a build are written in one transaction when
    it closes, and the file is pruned then. Raises :class:`CacheRefused` for an unsafe folder or file.
    """

    def __init__(self, directory: str | os.PathLike[str], catalog_version: str, max_bytes: int = MAX_BYTES) -> None:
        self.directory = Path(directory)
        self.salt = f"{FORMAT}:{code_fingerprint()}:{catalog_version}"
        self.max_bytes = max_bytes
        self._pending: dict[str, bytes] = {}
        self._used: list[str] = []
        self._db: sqlite3.Connection | None = _open(self.directory)

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _key(self, note: Note) -> str:
        # The path is part of the key: evidence inside an extraction names its file.
        return hashlib.sha256(f"{self.salt}:{note.path}:{note.digest}".encode()).hexdigest()

    def get(self, note: Note) -> Extraction | None:
        """The cached extraction of *note*, or None (also for a damaged or foreign entry)."""
        if self._db is None:
            return None
        key = self._key(note)
        try:
            row = self._db.execute("SELECT data FROM entries WHERE key = ? AND format = ?", (key, FORMAT)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            value = from_plain(Extraction, json.loads(zlib.decompress(row[0])))
        except (zlib.error, ValueError, TypeError, RecursionError):
            return None
        if value.path != note.path or value.digest != note.digest:
            return None
        self._used.append(key)
        return value

    def put(self, note: Note, extraction: Extraction) -> None:
        """Keep *extraction* to be written when the cache closes."""
        payload = json.dumps(to_plain(extraction), ensure_ascii=False, separators=(",", ":"))
        self._pending[self._key(note)] = zlib.compress(payload.encode("utf-8"), 6)

    def close(self) -> None:
        """Write what was put, mark what was read as used, prune; a cache that cannot be written is skipped."""
        db, self._db = self._db, None
        if db is None:
            return
        now = time.time()
        try:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO entries (key, format, data, size, used) VALUES (?, ?, ?, ?, ?)",
                    [(k, FORMAT, v, len(v), now) for k, v in self._pending.items()],
                )
                db.executemany("UPDATE entries SET used = ? WHERE key = ?", [(now, k) for k in self._used])
            _prune(db, self.max_bytes)
        except sqlite3.Error:
            pass
        finally:
            db.close()
            self._pending.clear()
            self._used.clear()


def _open(directory: Path) -> sqlite3.Connection | None:
    """The cache database in *directory*, after checking both are the user's own and private."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        if not directory.is_dir():
            return None  # cannot be made here (read-only file system): no cache, no complaint
    _check_folder(directory)
    path = directory / _FILE_NAME
    _check_file(path)
    try:
        db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT, isolation_level="DEFERRED")
        db.execute(
            "CREATE TABLE IF NOT EXISTS entries "
            "(key TEXT PRIMARY KEY, format INTEGER, data BLOB, size INTEGER, used REAL)"
        )
        db.commit()
    except sqlite3.Error:
        return None  # damaged or busy beyond the timeout: build without a cache
    return db


def _check_folder(directory: Path) -> None:
    info = os.lstat(directory)
    where = str(directory)
    if stat.S_ISLNK(info.st_mode):
        raise CacheRefused(f"the cache folder {where} is a symbolic link; remove it or choose another --cache folder")
    if not stat.S_ISDIR(info.st_mode):
        raise CacheRefused(f"the cache folder {where} is not a folder; remove it or choose another --cache folder")
    _check_owner(info, f"the cache folder {where}")


def _check_file(path: Path) -> None:
    """Refuse a database path that is a link, a pipe or device, or not the user's own (opened without blocking)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600)
    except OSError as err:
        raise CacheRefused(
            f"the cache file {path} cannot be opened safely ({err.strerror}); remove it to start a new cache"
        ) from None
    with closing(os.fdopen(fd, "rb", buffering=0)) as handle:
        info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode):
        raise CacheRefused(f"the cache file {path} is not a regular file; remove it to start a new cache")
    _check_owner(info, f"the cache file {path}")


def _check_owner(info: os.stat_result, what: str) -> None:
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise CacheRefused(f"{what} belongs to another user; choose a folder of your own")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise CacheRefused(f"{what} can be written by other users; run 'chmod go-w' on it or remove it")


def _prune(db: sqlite3.Connection, max_bytes: int) -> None:
    """Drop least recently used entries until the stored data is under three quarters of *max_bytes*."""
    (total,) = db.execute("SELECT COALESCE(SUM(size), 0) FROM entries").fetchone()
    if total <= max_bytes:
        return
    excess, dropped = total - max_bytes * 3 // 4, []
    for key, size in db.execute("SELECT key, size FROM entries ORDER BY used, key"):
        if excess <= 0:
            break
        dropped.append((key,))
        excess -= size
    with db:
        db.executemany("DELETE FROM entries WHERE key = ?", dropped)
    db.execute("VACUUM")
