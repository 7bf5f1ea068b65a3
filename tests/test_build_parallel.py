"""Extraction in worker processes gives the very graph a single process gives, however the workers start."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ProcessPoolExecutor

import networkx as nx
import pytest
from conftest import CORPUS

from graph.store import build
from graph.store.build import build_notes

pytestmark = [
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="worker processes are used only with 2+ CPUs"),
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"public corpus not found at {CORPUS}"),
]


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    """Same topics, relations, attributes and saved graph data (in-memory caches, keys starting "_", aside)."""
    saved = {k: v for k, v in a.graph.items() if not k.startswith("_")}
    return (
        dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        and a.adj == b.adj
        and saved == {k: v for k, v in b.graph.items() if not k.startswith("_")}
    )


@pytest.fixture(scope="module")
def serial_graph():
    """The public corpus built in this process only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "PARALLEL_MIN_BYTES", 10**12)
        patch.setattr(build, "PARALLEL_MIN_BYTES_FRESH", 10**12)
        return build_notes(CORPUS).graph


@pytest.fixture
def pools(monkeypatch):
    """Record the start method of every worker pool a build opens."""
    started: list[str] = []

    class RecordingPool(ProcessPoolExecutor):
        def __init__(self, *args, mp_context=None, **kwargs):
            started.append(mp_context.get_start_method())
            super().__init__(*args, mp_context=mp_context, **kwargs)

    monkeypatch.setattr(build, "ProcessPoolExecutor", RecordingPool)
    return started


@pytest.fixture
def another_thread():
    """Keep a second thread alive for the test, as the app's web server does."""
    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    yield other
    release.set()
    other.join()


def test_forked_workers_build_the_same_graph(monkeypatch, pools, serial_graph):
    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 0)
    graph = build_notes(CORPUS).graph
    assert pools == ["fork"]
    assert graph.number_of_nodes() == serial_graph.number_of_nodes() > 1000
    assert same_graph(graph, serial_graph)


def test_with_other_threads_running_workers_start_fresh(monkeypatch, pools, serial_graph, another_thread):
    """A fork while another thread runs (the app's server) can deadlock the child: fresh workers instead (which
    read the corpus step's lines too)."""
    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES_FRESH", 0)
    monkeypatch.setattr(build, "SPREAD_MIN_ITEMS", 1)
    graph = build_notes(CORPUS).graph
    assert pools in (["forkserver"], ["spawn"])
    assert same_graph(graph, serial_graph)


def test_with_other_threads_small_builds_stay_in_process(monkeypatch, pools, serial_graph, another_thread):
    # The corpus (220 KB) is over the fork threshold but under the one for fresh workers.
    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 0)
    graph = build_notes(CORPUS).graph
    assert pools == []
    assert same_graph(graph, serial_graph)


def test_no_worker_processes_means_the_work_is_done_here(monkeypatch, serial_graph):
    class NoProcesses(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            raise OSError("no processes in this sandbox")

    monkeypatch.setattr(build, "ProcessPoolExecutor", NoProcesses)
    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 0)
    graph = build_notes(CORPUS).graph
    assert same_graph(graph, serial_graph)


@pytest.fixture
def submitted(monkeypatch):
    """The names of the functions sent to the workers, in order."""
    names: list[str] = []

    class RecordingPool(ProcessPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            names.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(build, "ProcessPoolExecutor", RecordingPool)
    return names


def test_the_workers_read_the_corpus_step_lines_too(monkeypatch, submitted, serial_graph):
    """After the notes, the lines that gained a corpus term are read in the workers, in a part per worker."""
    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(build, "SPREAD_MIN_ITEMS", 1)
    graph = build_notes(CORPUS).graph
    first_line_part = submitted.index("read_lines")
    assert set(submitted[:first_line_part]) == {"_extract_chunk"} and set(submitted[first_line_part:]) == {"read_lines"}
    assert len(submitted) - first_line_part == min(os.cpu_count() or 1, 4)  # a part per worker
    assert same_graph(graph, serial_graph)


def test_workers_that_cannot_take_the_corpus_step_leave_it_to_this_process(monkeypatch, serial_graph):
    class RefusingPool(ProcessPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            if fn.__name__ == "read_lines":
                raise RuntimeError("cannot schedule new futures after shutdown")
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(build, "ProcessPoolExecutor", RefusingPool)
    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(build, "SPREAD_MIN_ITEMS", 1)
    assert same_graph(build_notes(CORPUS).graph, serial_graph)


def test_a_small_corpus_step_stays_in_this_process(monkeypatch, submitted, serial_graph):
    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(build, "SPREAD_MIN_ITEMS", 10**9)
    graph = build_notes(CORPUS).graph
    assert set(submitted) == {"_extract_chunk"}
    assert same_graph(graph, serial_graph)
