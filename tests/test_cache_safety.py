"""The extraction cache holds data, not code: planted entries never run, unsafe folders are refused, it is pruned."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import stat
import zlib
from contextlib import closing

import pytest
from timelimit import time_limit

from graph.cli import main
from graph.model import Evidence, Extraction, Mention, from_plain, to_plain
from graph.sources.catalog import load_catalog
from graph.sources.notes import Note, read_notes
from graph.store.build import build_notes
from graph.store.cache import CacheRefused, ExtractionCache, code_fingerprint, default_cache_dir

NOTE = "# Amazon SQS\n\n- Amazon SQS feeds AWS Lambda\n"


class _Planted:
    """Unpickling this runs a command (what a planted pickle cache entry did before)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_entry_is_data_that_fails_its_check_and_never_runs(write_notes, tmp_path):
    folder = write_notes({"a.md": NOTE})
    cache = tmp_path / "cache"
    build_notes(folder, cache_dir=cache)
    marker = tmp_path / "ran"
    planted = pickle.dumps(_Planted(str(marker)))
    with closing(sqlite3.connect(cache / "extractions.sqlite")) as db, db:
        db.execute("UPDATE entries SET data = ?", (zlib.compress(planted),))
    again = build_notes(folder, cache_dir=cache)
    assert not marker.exists()
    assert again.cached_files == 0 and "service:sqs" in again.graph


def test_an_old_pickle_cache_folder_in_the_notes_is_never_read(write_notes, tmp_path, monkeypatch, capsys):
    folder = write_notes({"a.md": NOTE})
    marker = tmp_path / "ran"
    # Where the pickle cache of earlier versions looked for a.md's entry: every part of the key is public.
    note = read_notes(folder).notes[0]
    salt = f"{code_fingerprint()}:{load_catalog().version}"
    key = hashlib.sha256(f"{salt}:{note.path}:{note.digest}".encode()).hexdigest()
    old = tmp_path / ".notes-graph-cache" / key[:2]
    old.mkdir(parents=True)
    (old / f"{key}.pickle").write_bytes(pickle.dumps(_Planted(str(marker))))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NOTES_GRAPH_CACHE_HOME", str(tmp_path / "home"))
    assert main(["build", str(folder), "-o", "g.json"]) == 0
    assert not marker.exists()
    assert (tmp_path / "home" / "extractions" / "extractions.sqlite").is_file()


def test_the_default_cache_is_private_and_in_the_users_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NOTES_GRAPH_CACHE_HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / "extractions"
    with ExtractionCache(default_cache_dir(), "v1"):
        pass
    assert stat.S_IMODE(os.stat(default_cache_dir()).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(default_cache_dir() / "extractions.sqlite").st_mode) == 0o600


def test_a_linked_cache_folder_is_refused_and_the_build_goes_on_without_it(write_notes, tmp_path):
    folder = write_notes({"a.md": NOTE})
    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o700)
    link = tmp_path / "cache"
    link.symlink_to(real)
    with pytest.raises(CacheRefused, match="is a symbolic link"):
        ExtractionCache(link, "v1")
    result = build_notes(folder, cache_dir=link)
    assert "service:sqs" in result.graph
    assert [str(p) for p in result.problems] == [
        f"(extraction cache): note: not used: the cache folder {link} is a symbolic link; "
        "remove it or choose another --cache folder"
    ]
    assert list(real.iterdir()) == []


def test_a_cache_folder_others_can_write_is_refused(tmp_path):
    shared = tmp_path / "cache"
    shared.mkdir()
    os.chmod(shared, 0o777)
    with pytest.raises(CacheRefused, match=r"can be written by other users; run 'chmod go-w'"):
        ExtractionCache(shared, "v1")


def test_a_named_pipe_planted_as_the_database_is_refused_without_blocking(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.mkfifo(cache / "extractions.sqlite")
    blocked = AssertionError("opening the cache blocked on a named pipe")
    with time_limit(5, lambda: blocked), pytest.raises(CacheRefused, match="is not a regular file"):
        ExtractionCache(cache, "v1")


def test_a_linked_database_file_is_refused(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (tmp_path / "target").write_bytes(b"")
    (cache / "extractions.sqlite").symlink_to(tmp_path / "target")
    with pytest.raises(CacheRefused, match="cannot be opened safely"):
        ExtractionCache(cache, "v1")


def _extraction(path: str, size: int) -> Extraction:
    evidence = Evidence(path, 1, ("Top",), "x" * size)
    return Extraction(path=path, digest=path, mentions=[Mention("term:x", "X", "concept", "text", evidence)])


def test_least_recently_used_entries_are_pruned_past_the_size_cap(tmp_path):
    cache_dir = tmp_path / "cache"
    notes = [Note(path=f"n{i}.md", text="", digest=f"n{i}.md") for i in range(6)]
    for note in notes:  # written one build at a time: n0 is the oldest
        with ExtractionCache(cache_dir, "v1", max_bytes=10**9) as cache:
            cache.put(note, _extraction(note.path, 20_000))
    with ExtractionCache(cache_dir, "v1", max_bytes=10**9) as cache:
        assert cache.get(notes[0]) is not None  # reading n0 makes it the most recently used
    with closing(sqlite3.connect(cache_dir / "extractions.sqlite")) as db:
        size = db.execute("SELECT MAX(size) FROM entries").fetchone()[0]
    with ExtractionCache(cache_dir, "v1", max_bytes=size * 4):
        pass  # closing prunes to three quarters of the cap: 3 entries stay
    with ExtractionCache(cache_dir, "v1") as cache:
        kept = [note.path for note in notes if cache.get(note) is not None]
    assert kept == ["n0.md", "n4.md", "n5.md"]


def test_stored_data_round_trips_and_anything_else_is_rejected():
    extraction = _extraction("a.md", 5)
    plain = json.loads(json.dumps(to_plain(extraction)))
    assert from_plain(Extraction, plain) == extraction
    wrong = [
        {**plain, "words": "12"},  # a string where a number belongs
        {**plain, "extra": 1},  # an unknown field
        {k: v for k, v in plain.items() if k != "path"},  # a missing field
        {**plain, "mentions": [{**plain["mentions"][0], "evidence": {"file": "a.md"}}]},
        {"__reduce__": "os.system"},
    ]
    for data in wrong:
        with pytest.raises(ValueError):
            from_plain(Extraction, data)
