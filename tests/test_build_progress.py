"""Build progress and cancelling: a callback hears files done of total and the current file, and can stop a build
between files; a stopped build builds nothing, so nothing a caller had is replaced."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from graph.store import build
from graph.store.build import BuildCancelled, Progress, build_notes

NOTE = "# Note {n}\n\nAmazon SQS feeds AWS Lambda.\n\n- Amazon S3 -> Amazon Athena\n"
NOTES = {f"{n:02d}.md": NOTE.format(n=n) for n in range(6)}


def test_progress_counts_every_file_and_names_the_one_being_analysed(write_notes):
    folder = write_notes(NOTES)
    seen: list[Progress] = []
    result = build_notes(folder, progress=seen.append)
    assert result.graph.graph["files"] == sorted(NOTES)
    assert [(p.done, p.total, p.current) for p in seen] == [
        (0, 6, "00.md"), (1, 6, "01.md"), (2, 6, "02.md"), (3, 6, "03.md"), (4, 6, "04.md"), (5, 6, "05.md"),
        (6, 6, ""),
    ]  # fmt: skip


def test_cached_files_count_as_done_from_the_start(write_notes, tmp_path):
    folder = write_notes(NOTES)
    build_notes(folder, cache_dir=tmp_path / "cache")
    (folder / "03.md").write_text("# Changed\n\nAmazon SNS fans out to Amazon SQS.\n", encoding="utf-8")
    seen: list[Progress] = []
    build_notes(folder, cache_dir=tmp_path / "cache", progress=seen.append)
    assert [(p.done, p.total, p.current, p.cached) for p in seen] == [(5, 6, "03.md", 5), (6, 6, "", 5)]


def test_returning_false_stops_the_build_between_files(write_notes):
    folder = write_notes(NOTES)
    seen: list[Progress] = []

    def stop_after_two(progress: Progress) -> bool:
        seen.append(progress)
        return progress.done < 2

    with pytest.raises(BuildCancelled, match="build cancelled after 2 of 6 file"):
        build_notes(folder, progress=stop_after_two)
    assert [p.done for p in seen] == [0, 1, 2]


def test_an_exception_from_the_callback_passes_through_and_stops_the_build(write_notes):
    folder = write_notes(NOTES)
    analysed: list[str] = []
    real = build.extract_note

    def counting(parsed, nlp):
        analysed.append(parsed.path)
        return real(parsed, nlp)

    def interrupt(progress: Progress) -> None:
        if progress.done == 3:
            raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "extract_note", counting)
        with pytest.raises(KeyboardInterrupt):
            build_notes(folder, progress=interrupt)
    assert analysed == ["00.md", "01.md", "02.md"]


def process_is_gone(pid: int, within: float = 10.0) -> bool:
    """True once no process *pid* runs (ended, or a zombie). Asked of the system, not of multiprocessing: whichever
    thread reaped the worker (the pool's own manager thread may), ``Process.is_alive`` can still say True."""
    deadline = time.monotonic() + within
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z" or time.monotonic() > deadline:
            return state == "Z"
        time.sleep(0.05)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="worker processes are used only with 2+ CPUs")
def test_with_worker_processes_progress_moves_per_batch_and_a_cancel_stops_the_workers(write_notes, monkeypatch):
    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(build, "BATCH_FILES", 2)
    pools = []

    class RecordingPool(build.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)
            self.workers = []

        def shutdown(self, *args, **kwargs):
            self.workers = list((self._processes or {}).values())
            super().shutdown(*args, **kwargs)

    monkeypatch.setattr(build, "ProcessPoolExecutor", RecordingPool)
    folder = write_notes({f"{n:02d}.md": text for n, text in enumerate(list(NOTES.values()) * 4)})
    seen: list[Progress] = []
    result = build_notes(folder, progress=seen.append)
    assert len(pools) == 1 and result.graph.graph["files"] == [f"{n:02d}.md" for n in range(24)]
    assert [p.done for p in seen] == list(range(25)) and seen[-1].current == ""
    # A file still being analysed, while batches are left (the last few may finish together: then none is).
    assert all(p.current.endswith(".md") for p in seen[: len(seen) // 2])
    assert all(p.current in ("", *(f"{n:02d}.md" for n in range(24))) for p in seen)

    with pytest.raises(BuildCancelled):
        build_notes(folder, progress=lambda p: p.done < 4)
    assert len(pools) == 2 and pools[-1].workers  # the workers of the cancelled build, as it stopped
    for worker in pools[-1].workers:
        worker.join(timeout=10)
        assert process_is_gone(worker.pid)
