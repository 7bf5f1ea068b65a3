"""A per-file cache of extractions, so a rebuild only re-reads what changed.

An entry is keyed on the note's path and bytes (its SHA-256), the pipeline version,
the catalog version and a fingerprint of the extraction code itself, so any
change to the text, the catalog or the rules misses the cache. Entries are
pickled :class:`~graph.model.Extraction` objects written atomically; an
unreadable entry is treated as a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from graph.model import Extraction
from graph.sources.notes import Note

__all__ = ["DEFAULT_CACHE", "ExtractionCache", "code_fingerprint"]

#: What shapes an extraction, relative to the package: reading, parsing, the rules and the data model.
_EXTRACTION_CODE = ("sources", "extract", "model.py", "names.py")
#: Written in the current folder unless told otherwise.
DEFAULT_CACHE = Path(".notes-graph-cache")


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
    """Extractions stored under *directory*, valid for one catalog version and this code."""

    def __init__(self, directory: str | os.PathLike[str], catalog_version: str) -> None:
        self.directory = Path(directory)
        self.salt = f"{code_fingerprint()}:{catalog_version}"

    def _path(self, note: Note) -> Path:
        # The path is part of the key: evidence inside an extraction names its file.
        key = hashlib.sha256(f"{self.salt}:{note.path}:{note.digest}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, note: Note) -> Extraction | None:
        """The cached extraction of *note*, or None."""
        try:
            with open(self._path(note), "rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            return None
        return value if isinstance(value, Extraction) else None

    def put(self, note: Note, extraction: Extraction) -> None:
        """Store *extraction*; a cache that cannot be written is silently skipped."""
        path = self._path(note)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(extraction, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            return
