"""graph/ui/builds.py: the graphs a server keeps, the build of a notes source, and a build's progress in words."""

from __future__ import annotations

import doctest
import io
import threading
import zipfile

import pytest

import graph.ui.builds as builds
from graph.sources.notes import NoNotesError
from graph.store.build import Progress
from graph.ui.appstate import NotesSource, folder_source, upload_source
from graph.ui.builds import KeptGraphs, build_source, built_label, progress_reporter, progress_text

NOTE = b"# Amazon SQS\n\nAmazon SQS feeds AWS Lambda.\n"


def test_the_examples_in_the_docstrings_hold():
    assert doctest.testmod(builds).failed == 0


def test_kept_graphs_drop_the_least_recently_used_first():
    kept = KeptGraphs(size=2)
    kept.put("a", "A")
    kept.put("b", "B")
    assert kept.get("a") == "A"  # now the most recently used: b goes first
    kept.put("c", "C")
    assert (kept.get("a"), kept.get("b"), kept.get("c"), len(kept)) == ("A", None, "C", 2)
    assert "a" in kept and "b" not in kept
    kept.put("a", "A2")  # kept again: replaced, not duplicated
    assert (kept.get("a"), len(kept)) == ("A2", 2)


def test_kept_graphs_stay_within_their_size_when_sessions_share_them():
    kept = KeptGraphs(size=8)

    def session(n: int) -> None:
        for i in range(200):
            kept.put((n, i % 20), i)
            kept.get((n, (i * 7) % 20))

    threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kept) == 8


class Bar:
    def __init__(self) -> None:
        self.shown: list[tuple[float, str]] = []

    def progress(self, value: float, text: str) -> None:
        self.shown.append((value, text))


def test_progress_is_shown_ten_times_a_second_at_most_but_always_first_and_last():
    bar, now = Bar(), [100.0]
    report = progress_reporter(bar, every=0.1, clock=lambda: now[0])
    for done, at in ((0, 100.0), (1, 100.02), (2, 100.05), (3, 100.11), (4, 100.12), (5, 100.13)):
        now[0] = at
        report(Progress(done=done, total=5, current=f"n{done}.md" if done < 5 else ""))
    assert bar.shown == [
        (0.0, "0 of 5 files analysed · now n0\\.md"),
        (0.6, "3 of 5 files analysed · now n3\\.md"),
        (1.0, "5 of 5 files analysed"),
    ]
    empty = Bar()
    progress_reporter(empty)(Progress(done=0, total=0))
    assert empty.shown == [(1.0, "0 of 0 files analysed")]


def test_progress_text_escapes_the_file_name_a_user_chose():
    text = progress_text(Progress(done=1, total=2, current="<img src=x onerror=alert(1)>.md"))
    assert text == "1 of 2 files analysed · now \\<img src\\=x onerror\\=alert\\(1\\)\\>\\.md"
    assert "](" not in progress_text(Progress(done=1, total=2, current="[a](javascript:alert(1)).md"))


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, raw in entries.items():
            archive.writestr(name, raw)
    return buffer.getvalue()


def test_an_upload_is_read_then_built_in_memory_and_says_when_it_was_read(tmp_path):
    files = (
        ("week1.zip", zip_of({"week1/queues.md": NOTE})),
        ("topics.md", b"# Amazon SNS\n\nAmazon SNS feeds Amazon SQS.\n"),
    )
    read = []
    cache = tmp_path / "cache"
    result = build_source(upload_source(files), files, cache_dir=cache, read_done=read.append)
    assert [n.path for n in read[0].notes] == ["week1/queues.md", "topics.md"]
    assert result.graph.graph["files"] == ["topics.md", "week1/queues.md"]
    assert {"service:sqs", "service:lambda", "service:sns"} <= set(result.graph)
    assert not cache.exists()  # nothing of an upload is written to disk
    with pytest.raises(NoNotesError, match="none of the 1 uploaded file"):
        build_source(upload_source([("x.png", b"\x89PNG")]), (("x.png", b"\x89PNG"),))


def test_a_folder_is_built_from_disk_with_the_extraction_cache(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "queues.md").write_bytes(NOTE)
    read = []
    result = build_source(folder_source(notes), cache_dir=tmp_path / "cache", read_done=read.append)
    assert result.graph.graph["files"] == ["queues.md"] and result.cached_files == 0
    assert read == []  # only uploads are read before the build
    again = build_source(folder_source(notes), cache_dir=tmp_path / "cache")
    assert again.cached_files == 1
    with pytest.raises(NoNotesError, match="no such file or folder"):
        build_source(NotesSource("folder", str(tmp_path / "missing")))


def test_the_label_says_the_time_waited_and_the_reading_beside_it():
    files = (("queues.md", NOTE),)
    result = build_source(upload_source(files), files)
    assert built_label(result, 3.04) == "Built 2 topics, 1 relations from 1 file(s) in 3.0 s"
    assert (
        built_label(result, 3.04, 0.96) == "Built 2 topics, 1 relations from 1 file(s) in 3.0 s (uploads read in 1.0 s)"
    )
