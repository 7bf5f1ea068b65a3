"""Shared fixtures: the bundled notes and the public corpus, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.sources.bundled import BUNDLED_NOTES
from graph.store.build import build_notes

REPO = Path(__file__).resolve().parent.parent
#: Other people's public notes, beside the checkout (see ../shared/corpora/*/SOURCE.md).
CORPUS = REPO.parent / "shared" / "corpora" / "clf-kananinirav" / "sections"


@pytest.fixture(scope="session")
def bundled_result():
    """BuildResult of the bundled notes (data/notes)."""
    return build_notes(BUNDLED_NOTES)


@pytest.fixture(scope="session")
def bundled_graph(bundled_result):
    """The graph of the bundled notes."""
    return bundled_result.graph


@pytest.fixture(scope="session")
def corpus_graph():
    """The graph of ../shared/corpora/clf-kananinirav (skipped when that folder is absent)."""
    if not CORPUS.is_dir():
        pytest.skip(f"public corpus not found at {CORPUS}")
    return build_notes(CORPUS).graph


@pytest.fixture
def write_notes(tmp_path):
    """Write {relative path: text} into a temporary folder and return the folder."""

    def write(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = tmp_path / "notes" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp_path / "notes"

    return write
