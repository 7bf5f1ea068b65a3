"""The on-disk copy of spaCy's word probabilities gives the same answers as the JSON table."""

from __future__ import annotations

import random

import pytest

from graph.sources import lexicon


@pytest.fixture
def fresh_store(monkeypatch, tmp_path):
    """Point the cache home at *tmp_path* and forget any store this process already opened."""
    monkeypatch.setenv("NOTES_GRAPH_CACHE_HOME", str(tmp_path / "home"))
    lexicon._store.cache_clear()
    lexicon._lookup.cache_clear()
    yield tmp_path / "home"
    lexicon._store.cache_clear()
    lexicon._lookup.cache_clear()


def test_sqlite_copy_answers_like_the_json_table(fresh_store):
    table = lexicon._read_json()
    assert lexicon.word_probability("queue") == table["queue"] == pytest.approx(-11.1641216278)
    assert lexicon.word_probability("Kafka") == table["Kafka"]
    assert lexicon.word_probability("zzzqqqxx") is None
    written = list(fresh_store.glob("en-lexeme-prob-*.sqlite3"))
    assert len(written) == 1 and not list(fresh_store.glob("*.tmp"))
    for word in random.Random(7).sample(sorted(table), 3000):
        assert lexicon._store().get(word) == table[word], word


def test_a_damaged_copy_is_rewritten(fresh_store):
    lexicon.word_probability("queue")
    (path,) = fresh_store.glob("en-lexeme-prob-*.sqlite3")
    path.write_bytes(b"not a database")
    lexicon._store.cache_clear()
    lexicon._lookup.cache_clear()
    assert lexicon.word_probability("queue") == pytest.approx(-11.1641216278)
    assert path.read_bytes()[:15] == b"SQLite format 3"


def test_no_writable_cache_folder_falls_back_to_memory(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NOTES_GRAPH_CACHE_HOME", str(blocker / "home"))
    lexicon._store.cache_clear()
    lexicon._lookup.cache_clear()
    try:
        assert isinstance(lexicon._store(), dict)
        assert lexicon.word_probability("queue") == pytest.approx(-11.1641216278)
        assert lexicon.word_probability("zzzqqqxx") is None
    finally:
        lexicon._store.cache_clear()
        lexicon._lookup.cache_clear()


def test_cache_home_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("NOTES_GRAPH_CACHE_HOME", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert lexicon.cache_home() == tmp_path / "notes-graph"
    monkeypatch.setenv("NOTES_GRAPH_CACHE_HOME", str(tmp_path / "x"))
    assert lexicon.cache_home() == tmp_path / "x"
