"""The Notes Graph benchmark: one command, a table of figures, optional JSON.

Usage::

    python benchmarks/run.py                        # sizes 100,1000,10000, 3 runs each
    python benchmarks/run.py --sizes 100,1000 --runs 5 --json out/bench.json
    python benchmarks/run.py --quick                # a 20-note corpus, 1 run: checks that it all works

What is measured (see benchmarks/README.md for what each figure means):

* start-up: importing the package, building the spaCy pipeline, loading the catalog and the
  word-frequency tables, each in a fresh process;
* per corpus (the bundled notes, the public clf-kananinirav notes, generated corpora of the
  given sizes): whole-build time, MB/s and words/s, peak memory of the process, and the same
  text through a bare ``spacy.blank("en")`` tokenizer in the same process, interleaved with the
  builds, as the reference (ratio = our throughput / bare tokenizer throughput);
* the incremental rebuild after one file of the 1,000-note corpus changed (per-file cache);
* on the graph of the largest generated corpus: saving and loading the graph file, query
  latencies (neighbourhood depth 1 and 2, path, related, gaps) and pyvis view generation and
  layout for 100, 300 and 1,000 nodes, where those modules exist.

Every heavy measurement runs in a child process (this script with ``--child``), so peak
memory (``ru_maxrss`` of that process) and start-up costs are not polluted by earlier work.
The parent never imports spaCy.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import json
import math
import os
import platform
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:  # runnable as a script from any folder
    sys.path.insert(0, str(REPO))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from generate_corpus import ensure_corpus  # noqa: E402

BUNDLED = REPO / "data" / "notes"
PUBLIC = REPO.parent / "shared" / "corpora" / "clf-kananinirav" / "sections"
DEFAULT_CORPORA_DIR = HERE / ".corpora"
RESULT_PREFIX = "BENCH-RESULT "
VIEW_SIZES = (100, 300, 1000)
#: How many different queries of each kind are timed (each repeated --runs times).
QUERY_SAMPLE = 40
#: Repeats of one query or view stop after this many seconds; a first call is stopped after CALL_TIMEOUT_S.
CALL_BUDGET_S = 30.0
CALL_TIMEOUT_S = 120

# Targets from issue 6 (2-core machine). Units: seconds, MB, ms, or a ratio.
TARGET_RATIO = 0.5
TARGET_BUILD_10K_S = 60.0
TARGET_PEAK_MB = 2048.0
TARGET_REBUILD_S = 2.0
TARGET_LOAD_S = 2.0
TARGET_QUERY_MS = {"neighbourhood depth 2": 20.0, "path": 20.0, "related": 100.0}
TARGET_VIEW_300_S = 1.0


# --- statistics ---------------------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    """Median of *values* (nan when empty)."""
    return statistics.median(values) if values else math.nan


def p95(values: list[float]) -> float:
    """95th percentile by nearest rank (with fewer than 20 values this is the maximum); nan when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory so far, in MB (Linux reports ru_maxrss in KiB).

    *who* is ``RUSAGE_SELF`` (this process) or ``RUSAGE_CHILDREN`` (the largest of the finished
    child processes this one waited for, e.g. the build's worker processes).
    """
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


# --- child tasks (run inside a fresh process) ---------------------------------------------------------------------


def task_startup(params: dict) -> dict:
    """Time the one-off costs of a fresh process: imports, pipeline, catalog, word tables.

    In: ``{}``. Out: seconds for each step (``import``, ``pipeline``, ``catalog``, ``lookups``).
    """
    started = time.perf_counter()
    import graph.store.build  # noqa: F401  (spaCy, networkx, ftfy, markdown-it come with it)
    from graph.extract import terms
    from graph.extract.pipeline import make_pipeline
    from graph.sources.catalog import load_catalog

    imported = time.perf_counter()
    make_pipeline(None)  # the call build_notes makes: make_pipeline() would be a separate lru_cache entry
    piped = time.perf_counter()
    load_catalog()
    catalogued = time.perf_counter()
    terms.word_frequency("queue")  # loads spaCy's lemma and word-probability tables on first use
    looked = time.perf_counter()
    return {
        "import": imported - started,
        "pipeline": piped - imported,
        "catalog": catalogued - piped,
        "lookups": looked - catalogued,
    }


def task_build(params: dict) -> dict:
    """Build a corpus ``runs`` times without cache, interleaved with bare spaCy tokenisation of the same text.

    In: ``{"path", "runs", "save_to" (optional graph file to write), "stages" (bool), "startup" (bool)}``.
    Out: sizes, build and tokeniser times per run, peak RSS after the first build, and optionally
    the graph save time, a stage breakdown and this fresh process's start-up costs.
    """
    # This is a fresh process: with "startup", its own start-up is measured first (saves a child in --quick).
    startup = task_startup({}) if params.get("startup") else None
    import spacy

    from graph.extract import terms
    from graph.extract.pipeline import make_pipeline
    from graph.sources.notes import read_notes
    from graph.store.build import build_notes

    path, runs = params["path"], params["runs"]
    # Start-up is measured on its own: pay it before the clock starts.
    make_pipeline(None)  # the call build_notes makes: make_pipeline() would be a separate lru_cache entry
    terms.word_frequency("queue")
    texts = [note.text for note in read_notes(path).notes]
    size = sum(len(t.encode("utf-8")) for t in texts)
    words = sum(len(t.split()) for t in texts)
    bare = spacy.blank("en")
    rss_before = _peak_rss_mb()
    builds, tokenises, peak, worker_peak = [], [], math.nan, 0.0
    graph_stats: dict = {}
    for run in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = build_notes(path)
        builds.append(time.perf_counter() - started)
        if run == 0:
            peak = _peak_rss_mb()
            # The build may extract in worker processes: their peak is not part of this process's.
            worker_peak = _peak_rss_mb(resource.RUSAGE_CHILDREN)
            graph = result.graph
            graph_stats = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
            if params.get("save_to"):
                from graph.store.graphfile import save_graph

                started = time.perf_counter()
                save_graph(graph, params["save_to"])
                graph_stats["save_s"] = time.perf_counter() - started
                graph_stats["file_mb"] = os.path.getsize(params["save_to"]) / 1e6
            del graph
        del result
        gc.collect()
        started = time.perf_counter()
        tokens = 0
        for doc in bare.tokenizer.pipe(texts, batch_size=256):
            tokens += len(doc)  # docs are not kept: the reference should not pay for holding them
        tokenises.append(time.perf_counter() - started)
    out = {
        "files": len(texts),
        "bytes": size,
        "words": words,
        "tokens": tokens,
        "build_s": builds,
        "tokenise_s": tokenises,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
        "worker_peak_rss_mb": worker_peak,
        **graph_stats,
    }
    if params.get("stages"):
        out["stages_s"] = _stage_breakdown(path)
    if startup:
        out["startup"] = startup
    return out


def _stage_breakdown(path: str) -> dict:
    """One uncached build split into its stages (read, parse, spaCy pipe, the rest of extraction, graph)."""
    from graph.extract.note import extract_note
    from graph.extract.pipeline import make_pipeline, pipeline_catalog
    from graph.sources.markdown import parse_note
    from graph.sources.notes import read_notes
    from graph.store.build import build_graph

    nlp = make_pipeline(None)
    stages = {}
    started = time.perf_counter()
    notes = read_notes(path).notes
    stages["read + repair (ingest)"] = time.perf_counter() - started
    started = time.perf_counter()
    parsed = [parse_note(note) for note in notes]
    stages["markdown parse"] = time.perf_counter() - started
    # The spaCy part of extraction alone: the same block texts through the same pipeline.
    started = time.perf_counter()
    for note in parsed:
        for _ in nlp.pipe([b.text for b in note.blocks], batch_size=256):
            pass
    stages["spaCy pipeline (tokenizer + sentencizer + matchers)"] = time.perf_counter() - started
    started = time.perf_counter()
    extractions = [extract_note(note, nlp) for note in parsed]
    stages["extract_note (includes the spaCy pipeline again)"] = time.perf_counter() - started
    started = time.perf_counter()
    build_graph(extractions, pipeline_catalog(nlp))
    stages["build_graph"] = time.perf_counter() - started
    return stages


def task_rebuild(params: dict) -> dict:
    """Incremental rebuild with the per-file cache after one file changed.

    In: ``{"path", "runs", "work"}``; the corpus is copied to *work* so the original stays untouched.
    Out: cold build with cache writes, rebuild with nothing changed, and ``runs`` rebuilds each
    after appending a line to one file, with the number of files served from the cache.
    """
    from graph.extract import terms
    from graph.extract.pipeline import make_pipeline
    from graph.store.build import build_notes

    make_pipeline(None)  # the call build_notes makes: make_pipeline() would be a separate lru_cache entry
    terms.word_frequency("queue")
    work = Path(params["work"])
    corpus, cache = work / "rebuild-corpus", work / ".notes-graph-cache"  # the CLI's default, see cli_rebuild
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(params["path"], corpus)
    files = sorted(corpus.rglob("*.md"))
    changed = files[len(files) // 2]
    started = time.perf_counter()
    cold = build_notes(corpus, cache_dir=cache)
    cold_s = time.perf_counter() - started
    started = time.perf_counter()
    same = build_notes(corpus, cache_dir=cache)
    unchanged_s = time.perf_counter() - started
    times, cached = [], []
    for run in range(params["runs"]):
        with open(changed, "a", encoding="utf-8") as handle:
            handle.write(f"\n- Edit {run}: Amazon SQS -> AWS Lambda for order processing\n")
        gc.collect()
        started = time.perf_counter()
        result = build_notes(corpus, cache_dir=cache)
        times.append(time.perf_counter() - started)
        cached.append(result.cached_files)
    return {
        "files": len(files),
        "cold_with_cache_s": cold_s,
        "cold_cached_files": cold.cached_files,
        "unchanged_s": unchanged_s,
        "unchanged_cached_files": same.cached_files,
        "changed_s": times,
        "changed_cached_files": cached,
    }


def cli_rebuild(work: str, run: int) -> dict:
    """A rebuild as a user runs it: edit one file, then `notes-graph build` with the cache task_rebuild filled.

    The command runs in *work*, where its default cache folder (``.notes-graph-cache``) is the one
    :func:`task_rebuild` wrote. Out: the whole command's wall time (start-up, rebuild, saving the
    graph file, exit), the build alone as the command reports it, and how many files came from the cache.
    """
    corpus = Path(work) / "rebuild-corpus"
    files = sorted(corpus.rglob("*.md"))
    with open(files[len(files) // 2], "a", encoding="utf-8") as handle:
        handle.write(f"\n- Fresh edit {run}: Amazon Kinesis -> Amazon S3 for log aggregation\n")
    command = [sys.executable, "-m", "graph.cli", "build", str(corpus), "-o", "rebuild.graph.json", "--json"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        return {"failed": f"notes-graph build exited {done.returncode}: {done.stderr.strip()[-300:]}"}
    summary = json.loads(done.stdout)
    return {"wall_s": wall, "build_s": summary["seconds"], "cached_files": summary["cached_files"], "files": len(files)}


def task_graph(params: dict) -> dict:
    """Load the saved graph ``runs`` times, then time queries and views on it.

    In: ``{"graph_file", "runs", "seed", "view_sizes"}``. Out: load times, and per query / view
    either a list of times (and the first call) or ``{"skipped": reason}``.
    """
    from graph.store.graphfile import load_graph

    loads = []
    graph = None
    for _ in range(params["runs"]):
        graph = None
        gc.collect()
        started = time.perf_counter()
        graph = load_graph(params["graph_file"])
        loads.append(time.perf_counter() - started)
    assert graph is not None
    rng = random.Random(params["seed"])
    out: dict = {"load_s": loads, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    out["queries"] = {name: _time_calls(make(graph, rng), params["runs"]) for name, make in _query_benchmarks().items()}
    out["views"] = {}
    for size in params["view_sizes"]:
        out["views"][f"{size} nodes"] = _time_calls(_view_calls(graph, size), params["runs"])
        out["views"][f"{size} nodes, bare pyvis baseline"] = _time_calls(_bare_pyvis_calls(graph, size), params["runs"])
    return out


class Skip(Exception):
    """A measurement that cannot run here; the message says why."""


def _module(name: str):
    """Import module *name*, or raise :class:`Skip` saying it is not there yet."""
    if importlib.util.find_spec(name) is None:
        raise Skip(f"not available yet (module {name} missing)")
    return importlib.import_module(name)


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout


def _time_calls(
    make_calls: Callable[[], list[Callable[[], object]]],
    runs: int,
    budget_s: float = CALL_BUDGET_S,
    timeout_s: int = CALL_TIMEOUT_S,
) -> dict:
    """Call every function from *make_calls* ``runs`` times; times in seconds.

    The very first call is timed apart (``first_s``): it may build an index that later calls reuse.
    A first call slower than *timeout_s* is stopped (``timed_out``); the repeats stop once they
    have taken *budget_s*, so one slow query cannot hold the whole benchmark up.
    """
    try:
        calls = make_calls()
    except Skip as skip:
        return {"skipped": str(skip)}
    if not calls:
        return {"skipped": "nothing to query in this graph"}
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(timeout_s)
    try:
        started = time.perf_counter()
        calls[0]()
        first = time.perf_counter() - started
    except _Timeout:
        return {"timed_out": timeout_s, "calls": len(calls)}
    except Exception as err:  # a crash in the measured code is a finding, not a reason to stop the benchmark
        return {"error": f"{type(err).__name__}: {err}", "calls": len(calls)}
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    times: list[float] = []
    spent = 0.0
    for _ in range(max(1, runs)):
        for call in calls:
            if spent > budget_s:
                break
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
            spent += times[-1]
    return {"first_s": first, "times_s": times or [first], "calls": len(calls), "cut_short": spent > budget_s}


def _sample_nodes(graph, rng: random.Random, count: int) -> list[str]:
    """Up to *count* nodes with at least one edge: half services, half other topics, seeded."""
    linked = sorted(n for n in graph.nodes if graph.degree(n) > 0)
    services = [n for n in linked if graph.nodes[n].get("type") == "service"]
    others = [n for n in linked if graph.nodes[n].get("type") != "service"]
    half = count // 2
    picked = rng.sample(services, min(half, len(services)))
    picked += rng.sample(others, min(count - len(picked), len(others)))
    return picked


def _query_benchmarks() -> dict[str, Callable]:
    """Query name -> function(graph, rng) returning a maker of zero-argument calls.

    Each call is one query as the CLI runs it (its default options). A maker raises :class:`Skip`
    when the query module does not exist yet.
    """

    def neighbourhood(depth: int):
        def make(graph, rng):
            nodes = _sample_nodes(graph, rng, QUERY_SAMPLE)

            def calls():
                module = _module("graph.query.neighborhood")
                # limit=50 is the CLI's default for `notes-graph neighbors`.
                return [lambda n=n: module.neighborhood(graph, n, depth=depth, limit=50) for n in nodes]

            return calls

        return make

    def path(graph, rng):
        nodes = _sample_nodes(graph, rng, 2 * QUERY_SAMPLE)
        pairs = [(a, b) for a, b in zip(nodes[::2], nodes[1::2], strict=False) if a != b]

        def calls():
            module = _module("graph.query.paths")
            # k=3: the CLI's default (the cheapest path and two alternatives).
            return [lambda a=a, b=b: module.find_routes(graph, a, b, k=3) for a, b in pairs]

        return calls

    def related(graph, rng):
        nodes = _sample_nodes(graph, rng, QUERY_SAMPLE)

        def calls():
            module = _module("graph.query.related")
            return [lambda n=n: module.related_topics(graph, n, top=10) for n in nodes]

        return calls

    def gaps(graph, rng):
        def calls():
            module = _module("graph.gaps.report")
            syllabus = _module("graph.sources.syllabus").load_syllabus("clf-c02")
            # The whole report, as `notes-graph gaps --syllabus clf-c02` computes it.
            return [lambda: module.gap_report(graph, syllabus)]

        return calls

    return {
        "neighbourhood depth 1": neighbourhood(1),
        "neighbourhood depth 2": neighbourhood(2),
        "path": path,
        "related": related,
        "gaps": gaps,
    }


def _view_nodes(graph, size: int) -> list[str]:
    """The *size* most connected nodes (ties by id): the view a person opens on a big graph."""
    return sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))[:size]


def _view_calls(graph, size: int) -> Callable[[], list[Callable[[], object]]]:
    """The app's view: the neighbourhood of the most connected topic, capped at *size* topics, rendered.

    Only :func:`graph.ui.view.render_neighborhood` (layout + pyvis HTML) is timed; the neighbourhood
    query that feeds it is measured on its own.
    """

    def calls():
        view = _module("graph.ui.view")
        neighborhood = _module("graph.query.neighborhood")
        center = _view_nodes(graph, 1)[0]
        hood = None
        for depth in (1, 2, 3):  # the smallest depth that fills the view
            hood = neighborhood.neighborhood(graph, center, depth=depth, limit=size - 1)
            if len(hood.neighbors) + 1 >= size:
                break
        assert hood is not None
        if len(hood.neighbors) + 1 < size:
            raise Skip(f"the largest neighbourhood here has {len(hood.neighbors) + 1} topics")
        return [lambda: view.render_neighborhood(graph, hood)]

    return calls


def _bare_pyvis_calls(graph, size: int) -> Callable[[], list[Callable[[], object]]]:
    """Reference for the view: networkx spring layout + pyvis HTML for the *size* top nodes, physics off."""

    def calls():
        import networkx as nx
        from pyvis.network import Network

        nodes = _view_nodes(graph, size)
        if len(nodes) < size:
            raise Skip(f"graph has only {len(nodes)} nodes")
        sub = nx.Graph(graph.subgraph(nodes))

        def render():
            positions = nx.spring_layout(sub, seed=1, iterations=50)
            net = Network(height="800px", width="100%", directed=False, cdn_resources="remote")
            for node in sub.nodes:
                x, y = positions[node]
                net.add_node(node, label=graph.nodes[node].get("label", node), x=float(x) * 1000, y=float(y) * 1000)
            for u, v in sub.edges():
                net.add_edge(u, v)
            net.toggle_physics(False)
            return net.generate_html()

        return [render]

    return calls


CHILD_TASKS: dict[str, Callable[[dict], dict]] = {
    "startup": task_startup,
    "build": task_build,
    "rebuild": task_rebuild,
    "graph": task_graph,
}


def start_child(task: str, params: dict) -> subprocess.Popen:
    """Start *task* in a fresh Python process (see :func:`finish_child`)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", task, "--params", json.dumps(params)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def finish_child(process: subprocess.Popen) -> dict:
    """Wait for a child from :func:`start_child`; return what it reported, or ``{"failed": reason}``.

    A failed child never stops the benchmark: its figures become a "failed" row and the rest still run.
    """
    stdout, stderr = process.communicate()
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    task = process.args[3]
    print(f"benchmark child {task!r} failed (exit {process.returncode}):\n{stderr[-4000:]}", file=sys.stderr)
    last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit code {process.returncode}"
    return {"failed": f"{task} child failed: {last}"}


def _failed_row(figure: str, corpus: str, result: dict) -> dict:
    row = _skip_row(figure, corpus, result["failed"])
    row["status"] = "FAILED"
    return row


def run_child(task: str, params: dict) -> dict:
    """Run *task* in a fresh Python process and return what it reported."""
    return finish_child(start_child(task, params))


# --- the parent: corpora, figures, table --------------------------------------------------------------------------


def _row(figure, corpus, values, unit, target=None, met=None, runs=None, note="", scale=1.0) -> dict:
    """One table row: median and p95 of *values* (times *scale*), with its target and whether it was met."""
    values = [v * scale for v in values]
    return {
        "figure": figure,
        "corpus": corpus,
        "median": median(values),
        "p95": p95(values),
        "unit": unit,
        "n": runs if runs is not None else len(values),
        "target": target or "",
        "status": "" if met is None else ("met" if met else "MISSED"),
        "note": note,
    }


def _skip_row(figure, corpus, reason) -> dict:
    row = _row(figure, corpus, [], "", runs=0)
    row["note"] = reason
    row["status"] = "skipped"
    return row


def startup_rows(results: list[dict]) -> list[dict]:
    """Start-up costs from :func:`task_startup` outputs (one per fresh process)."""
    failed = [r for r in results if "failed" in r]
    results = [r for r in results if "failed" not in r]
    if not results:
        return [_failed_row("start-up", "-", failed[0])]
    rows = [_row(f"start-up: {step}", "-", [r[step] for r in results], "s") for step in results[0]]
    rows.append(_row("start-up: total", "-", [sum(r.values()) for r in results], "s"))
    return rows


def build_rows(name: str, result: dict, notes: int | None) -> list[dict]:
    """Rows for one corpus from :func:`task_build`'s output."""
    if "failed" in result:
        return [_failed_row("build", name, result)]
    mb, words = result["bytes"] / 1e6, result["words"]
    builds, tokenises = result["build_s"], result["tokenise_s"]
    # Ratio per run (build and tokeniser of one run ran back to back), then the median of ratios.
    ratios = [t / b for b, t in zip(builds, tokenises, strict=True)]
    label = f"{name} ({result['files']} files, {mb:.2f} MB)"
    rows = [
        _row(
            "build: whole time",
            label,
            builds,
            "s",
            target=f"< {TARGET_BUILD_10K_S:.0f} s" if notes == 10_000 else "",
            met=median(builds) < TARGET_BUILD_10K_S if notes == 10_000 else None,
            note=f"{result.get('nodes', '?')} nodes, {result.get('edges', '?')} edges",
        ),
        _row("build: throughput", label, [mb / b for b in builds], "MB/s"),
        _row("build: throughput", label, [words / b for b in builds], "words/s"),
        _row("bare spaCy tokenizer", label, [mb / t for t in tokenises], "MB/s"),
        _row("bare spaCy tokenizer", label, [words / t for t in tokenises], "words/s"),
        _row(
            "ratio build / bare tokenizer",
            label,
            ratios,
            "x",
            target=f">= {TARGET_RATIO}",
            met=median(ratios) >= TARGET_RATIO,
            note=f"bare tokenizer is {1 / median(ratios):.0f}x faster" if ratios else "",
        ),
        _row(
            "build: peak memory (process)",
            label,
            [result["peak_rss_mb"]],
            "MB",
            target=f"< {TARGET_PEAK_MB:.0f} MB" if notes == 10_000 else "",
            met=result["peak_rss_mb"] < TARGET_PEAK_MB if notes == 10_000 else None,
            note=f"after start-up {result['rss_before_mb']:.0f} MB",
        ),
    ]
    if result.get("worker_peak_rss_mb"):
        # Worker count as graph.store.build chooses it (min(CPUs, 4)); the sum over-counts copy-on-write pages.
        workers = min(os.cpu_count() or 1, 4)
        bound = result["peak_rss_mb"] + workers * result["worker_peak_rss_mb"]
        rows += [
            _row("build: peak memory (largest worker)", label, [result["worker_peak_rss_mb"]], "MB"),
            _row(
                "build: peak memory (parent + workers)",
                label,
                [bound],
                "MB",
                target=f"< {TARGET_PEAK_MB:.0f} MB" if notes == 10_000 else "",
                met=bound < TARGET_PEAK_MB if notes == 10_000 else None,
                note=f"upper bound: parent + {workers} x largest worker (shared pages counted twice)",
            ),
        ]
    stages = result.get("stages_s", {})
    # Shares of the stages that make up a build (the spaCy-only stage is a part of extract_note).
    whole = sum(v for k, v in stages.items() if not k.startswith("spaCy")) or math.nan
    for stage, seconds in stages.items():
        rows.append(_row(f"stage: {stage}", label, [seconds], "s", note=f"{100 * seconds / whole:.0f}% of the stages"))
    return rows


def rebuild_rows(name: str, result: dict, fresh: list[dict]) -> list[dict]:
    """Rows for the incremental rebuild from :func:`task_rebuild`'s and :func:`cli_rebuild`'s outputs."""
    if "failed" in result:
        return [_failed_row("rebuild", name, result)]
    fresh = [f for f in fresh if "failed" not in f] or [{"wall_s": math.nan, "build_s": math.nan, "cached_files": 0}]
    files = result["files"]
    cached = result["changed_cached_files"]
    fresh_cached = min(f["cached_files"] for f in fresh)
    return [
        _row("rebuild: cold, writing the cache", name, [result["cold_with_cache_s"]], "s"),
        _row(
            "rebuild: nothing changed",
            name,
            [result["unchanged_s"]],
            "s",
            note=f"{result['unchanged_cached_files']}/{files} from cache",
        ),
        _row(
            "rebuild: 1 file changed",
            name,
            result["changed_s"],
            "s",
            target=f"< {TARGET_REBUILD_S:.0f} s",
            met=median(result["changed_s"]) < TARGET_REBUILD_S,
            note=f"{min(cached)}/{files} from cache; warm process",
        ),
        _row(
            "rebuild: 1 file changed, new process",
            name,
            [f["wall_s"] for f in fresh],
            "s",
            target=f"< {TARGET_REBUILD_S:.0f} s",
            met=median([f["wall_s"] for f in fresh]) < TARGET_REBUILD_S,
            note=f"{fresh_cached}/{files} from cache; `notes-graph build` again: start-up, rebuild, save, exit "
            f"(rebuild alone {median([f['build_s'] for f in fresh]):.2f} s)",
        ),
    ]


def graph_rows(name: str, build: dict, result: dict) -> list[dict]:
    """Rows for graph file save/load, queries and views from :func:`task_graph`'s output."""
    if "failed" in result:
        return [_failed_row("graph: load, queries, views", name, result)]
    label = f"{name} graph ({result['nodes']} nodes, {result['edges']} edges)"
    rows = [
        _row("graph file: save", label, [build["save_s"]], "s", note=f"{build['file_mb']:.1f} MB file"),
        _row(
            "graph file: load",
            label,
            result["load_s"],
            "s",
            target=f"< {TARGET_LOAD_S:.0f} s",
            met=median(result["load_s"]) < TARGET_LOAD_S,
        ),
    ]
    for query, timing in result["queries"].items():
        limit = TARGET_QUERY_MS.get(query)
        rows.append(_timing_row(f"query: {query}", label, timing, "ms", limit / 1000 if limit else None, "queries"))
    for view, timing in result["views"].items():
        limit = TARGET_VIEW_300_S if view == "300 nodes" else None
        rows.append(_timing_row(f"view: {view}", label, timing, "s", limit, "view(s); layout + HTML"))
    return rows


def _timing_row(figure: str, corpus: str, timing: dict, unit: str, limit_s: float | None, what: str) -> dict:
    """A row from one :func:`_time_calls` result; *limit_s* is the target for the median, if any."""
    if "skipped" in timing:
        return _skip_row(figure, corpus, timing["skipped"])
    scale = 1000 if unit == "ms" else 1
    target = f"median < {limit_s * scale:g} {unit}" if limit_s else ""
    if "error" in timing:
        row = _skip_row(figure, corpus, f"first call raised {timing['error']}")
        row["status"] = "ERROR"
        return row
    if "timed_out" in timing:
        row = _row(figure, corpus, [], unit, target=target, met=False if limit_s else None, runs=0)
        row["status"] = "TIMEOUT"
        row["note"] = f"first call stopped after {timing['timed_out']} s"
        return row
    note = f"{timing['calls']} {what}; first call {timing['first_s'] * scale:.1f} {unit}"
    if timing.get("cut_short"):
        note += f"; repeats cut at {CALL_BUDGET_S:.0f} s"
    return _row(
        figure,
        corpus,
        timing["times_s"],
        unit,
        scale=scale,
        target=target,
        met=median(timing["times_s"]) < limit_s if limit_s else None,
        note=note,
    )


def _format(value: float, unit: str) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"
    if unit in ("MB/s", "x") or (unit == "s" and value < 10):
        return f"{value:.3f}" if value < 1 else f"{value:.2f}"
    if unit == "ms":
        return f"{value:.2f}"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def format_table(rows: list[dict]) -> str:
    """The rows as a fixed-width text table."""
    header = ("figure", "corpus", "median", "p95", "unit", "n", "target", "status", "note")
    cells = [header] + [
        (
            r["figure"],
            r["corpus"],
            _format(r["median"], r["unit"]),
            _format(r["p95"], r["unit"]),
            r["unit"],
            str(r["n"]),
            r["target"],
            r["status"],
            r["note"],
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    right = {2, 3, 5}
    lines = []
    for n, row in enumerate(cells):
        parts = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        from importlib.metadata import version

        info.update(spacy=version("spacy"), networkx=version("networkx"), pyvis=version("pyvis"))
    except Exception:  # versions are a courtesy, never a reason to fail
        pass
    return info


def run_benchmark(args: argparse.Namespace, log: Callable[[str], None] = print) -> dict:
    """Run every measurement the arguments ask for; return ``{"rows": [...], "raw": {...}, ...}``."""
    corpora_dir = Path(args.corpora_dir)
    rows: list[dict] = []
    raw: dict = {}
    corpora: list[tuple[str, Path, int | None]] = []
    if not args.quick:
        corpora.append(("bundled notes", BUNDLED, None))
        if PUBLIC.is_dir():
            corpora.append(("clf-kananinirav", PUBLIC, None))
        else:
            log(f"(public corpus not found at {PUBLIC}: skipped)")
    for size in args.sizes:
        out = corpora_dir / f"gen-{size}-seed{args.seed}"
        log(f"corpus: {size} generated notes in {out} ...")
        corpora.append((f"generated {size}", ensure_corpus(out, size, args.seed), size))
    largest = max(args.sizes)
    rebuild_size = 1000 if 1000 in args.sizes else largest
    with tempfile.TemporaryDirectory(prefix="notes-graph-bench-") as work:
        graph_file = Path(work) / f"gen-{largest}.graph.json"
        rebuild_params = {
            "path": str(corpora_dir / f"gen-{rebuild_size}-seed{args.seed}"),
            "runs": args.runs,
            "work": work,
        }
        # --quick only checks that everything runs: its independent children share the CPUs to save time.
        # A real run measures one thing at a time.
        early = {}
        if args.quick:
            early["rebuild"] = start_child("rebuild", rebuild_params)
        else:
            log(f"start-up ({args.runs} fresh processes) ...")
            raw["startup"] = [run_child("startup", {}) for _ in range(args.runs)]
        builds: dict[str, dict] = {}
        build_rows_: list[dict] = []
        for name, path, size in corpora:
            log(f"build: {name} ({args.runs} runs) ...")
            params = {
                "path": str(path),
                "runs": args.runs,
                "stages": size == rebuild_size and not args.quick,
                "startup": args.quick,
            }
            if size == largest:
                params["save_to"] = str(graph_file)
            builds[name] = run_child("build", params)
            build_rows_ += build_rows(name, builds[name], size)
        raw["builds"] = builds
        if args.quick:
            raw["startup"] = [build.pop("startup") for build in builds.values()]
            raw["rebuild"] = finish_child(early["rebuild"])
        else:
            log(f"rebuild: generated {rebuild_size} ({args.runs} runs) ...")
            raw["rebuild"] = run_child("rebuild", rebuild_params)
        name = f"generated {largest}"
        log(f"graph: load, queries, views on {name}; rebuild in a new process ...")
        view_sizes = [50] if args.quick else list(VIEW_SIZES)
        params = {"graph_file": str(graph_file), "runs": args.runs, "seed": args.seed, "view_sizes": view_sizes}
        graph_child = start_child("graph", params) if args.quick else None
        raw["rebuild_fresh"] = []
        for run in range(args.runs):
            raw["rebuild_fresh"].append(cli_rebuild(work, run))
        raw["graph"] = finish_child(graph_child) if graph_child else run_child("graph", params)
    rows += startup_rows(raw["startup"])
    rows += build_rows_
    rows += rebuild_rows(f"generated {rebuild_size}", raw["rebuild"], raw["rebuild_fresh"])
    rows += graph_rows(name, builds[name], raw["graph"])
    return {"rows": rows, "raw": raw, "machine": _machine(), "runs": args.runs, "sizes": args.sizes}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark Notes Graph: build, rebuild, load, queries, views.")
    parser.add_argument("--sizes", help="generated corpus sizes, comma-separated (default 100,1000,10000)")
    parser.add_argument("--runs", type=int, help="runs per measurement; medians are reported (default 3)")
    parser.add_argument("--json", metavar="FILE", help="also write every figure and the raw timings as JSON")
    parser.add_argument("--quick", action="store_true", help="a 20-note corpus and 1 run: checks that it works")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated corpora (default 1)")
    parser.add_argument(
        "--corpora-dir", default=str(DEFAULT_CORPORA_DIR), help="where generated corpora are kept and reused"
    )
    parser.add_argument("--child", choices=sorted(CHILD_TASKS), help=argparse.SUPPRESS)
    parser.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    default_sizes = "20" if args.quick else "100,1000,10000"
    try:
        args.sizes = sorted({int(s) for s in (args.sizes or default_sizes).split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 100,1000")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes must name at least one corpus size of 1 or more")
    args.runs = args.runs or (1 if args.quick else 3)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        result = CHILD_TASKS[args.child](json.loads(args.params))
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0
    command = "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    load_before = os.getloadavg()[0]  # other work on the machine skews every figure: say how busy it was
    started = time.perf_counter()
    report = run_benchmark(args, log=lambda line: print(line, file=sys.stderr, flush=True))
    report.update(command=command.strip(), seconds=time.perf_counter() - started, date=time.strftime("%Y-%m-%d"))
    report["machine"]["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print(
        f"Notes Graph benchmark: {command.strip()}\n"
        f"{report['machine'].get('cpus')} CPUs, load average {load_before:.1f} at start and "
        f"{os.getloadavg()[0]:.1f} at end; {args.runs} run(s) per figure, medians; took {report['seconds']:.0f} s"
    )
    print(format_table(report["rows"]))
    if args.json:
        target = Path(args.json)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"wrote {target}")
    # A child that crashed is a broken benchmark (exit 1); a measured call that raised is a finding (ERROR row).
    return 1 if any(row["status"] == "FAILED" for row in report["rows"]) else 0


if __name__ == "__main__":
    sys.exit(main())
