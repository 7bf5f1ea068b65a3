"""Extraction quality benchmark: build graphs of the development corpora and score them against hand-made gold.

Usage::

    python benchmarks/quality.py                               # bundled notes + the three dev corpora
    python benchmarks/quality.py saa-alozano --runs 3          # one dev corpus, median of 3 build times
    python benchmarks/quality.py path/to/notes=path/to/gold.yaml --json out/quality.json
    python benchmarks/quality.py --json -                      # JSON on stdout, the table on stderr
    python benchmarks/quality.py --smoke                       # tiny corpora, checks the script works

A corpus argument is ``bundled`` (the package's bundled notes), the name of a dev corpus in
``SHARED/corpora`` (``clf-kananinirav``, ``saa-alozano``, ``az900-alfredodeza``, scored against
``SHARED/eval/gold-NAME.yaml``), or ``PATH=GOLD``: a notes folder and its gold file. SHARED is ``--shared DIR``,
else ``$NOTES_GRAPH_SHARED``, else ``shared/`` beside the checkout (``../shared`` from the repository root).

What is measured. Each corpus is built in this process with the library's ``build_notes`` (no extraction cache, so
every figure is a real build; the spaCy pipeline and word tables are warmed up on a one-line note first), saved as
the graph file ``notes-graph build`` writes, and scored by the reference scorer ``SHARED/eval/score.py GRAPH GOLD
--json``, run as a subprocess of this interpreter: the figures are exactly score.py's, whatever it computes. A dev
corpus is built from the corpus folder itself, as ``SHARED/eval/README.md`` says, so that evidence paths are
relative to it and match the gold windows (``sections/vpc.md``); like the reference procedure this also reads the
folder's SOURCE.md (and az900's README.md, which its gold counts as a note). Columns, in score.py's terms:

* ``services typed``: gold services found as a node of type service (strict recall, ``services.typed``);
* ``service precision``: ``service_precision.gold / total``: service nodes matching a gold service, over service
  nodes less those that match only an ``acceptable_services`` entry (those count neither way);
* ``concepts found`` / ``concepts typed``: gold concepts found as any node (lenient) / as a concept or technology
  node (strict);
* ``use cases typed``: gold use cases found as a use_case node;
* ``relations stated``: gold relations joined by a stated edge other than related_to (``relations.typed``);
* ``window node prec`` / ``window edge prec``: in the exhaustively annotated windows, nodes mentioned there that
  are gold entities of the window, and stated edges with evidence there that are gold relations of the window
  (``windows.node_precision`` / ``windows.edge_precision``);
* ``build s``: median wall time of ``build_notes`` over ``--runs`` builds; ``nodes``, ``edges``: graph size.

The bundled notes have no gold, and score.py has nothing that scores a graph without one (an empty gold gives 0/0
everywhere); tests/test_corpora.py pins hand-checked facts about them instead. Their row gives only build time,
nodes and edges (the JSON adds counts by type): a reference for size and speed, and a change there says extraction
changed on the notes the product ships with.

The JSON (``--json FILE``, or ``-`` for stdout) holds one object per row: the figures above as score.py names them
(``services``, ``concepts``, ``use_cases``, ``relations`` with found/typed/total; ``service_precision`` with
gold/total; ``windows`` with its counts and ratios), the build figures, and ``score``: score.py's whole report,
with its lists of missing and wrong entries, to see what to fix.

The library is imported as ``graph`` from wherever Python finds it, e.g. a clean worktree of a commit::

    git worktree add /tmp/ng-base HEAD
    PYTHONPATH=/tmp/ng-base .venv/bin/python benchmarks/quality.py --json /tmp/quality-before.json

The header line names the package measured, and the run fails if any ``graph`` module came from another tree.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if importlib.util.find_spec("graph") is None:  # run as a script without the package installed: use this checkout.
    sys.path.append(str(REPO))  # appended, never prepended: PYTHONPATH must be able to pick another tree

DEV_CORPORA = ("clf-kananinirav", "saa-alozano", "az900-alfredodeza")
BUNDLED = "bundled"
#: The dev corpus whose first gold window's file --smoke builds and scores (2 KB).
SMOKE_CORPUS = "az900-alfredodeza"
#: Table columns: header, then how to get the cell from a row.
COLUMNS = (
    "corpus",
    "services typed",
    "service precision",
    "concepts found",
    "concepts typed",
    "use cases typed",
    "relations stated",
    "window node prec",
    "window edge prec",
    "build s",
    "nodes",
    "edges",
)
#: Keys of score.py's window report kept in a row (its wrong_nodes / wrong_edges lists stay in ``score``).
WINDOW_KEYS = (
    "nodes",
    "nodes_right",
    "node_precision",
    "entities",
    "entities_found",
    "entity_recall",
    "edges",
    "edges_right",
    "edge_precision",
    "relations",
    "relations_found",
    "relation_recall",
)


@dataclass
class Corpus:
    """One corpus to build: a row name, the notes file or folder, and its gold file (None: not scored)."""

    name: str
    path: Path
    gold: Path | None


@dataclass
class Row:
    """The figures of one corpus: build figures, and score.py's figures when it has gold."""

    corpus: str
    path: str
    gold: str | None
    nodes: int = 0
    edges: int = 0
    files: int = 0
    words: int = 0
    problems: int = 0
    types: dict[str, int] = field(default_factory=dict)
    build_seconds: float = 0.0
    build_seconds_runs: list[float] = field(default_factory=list)
    #: False when the runs did not all give the same numbers of nodes and edges (only the first run is scored).
    deterministic: bool = True
    services: dict | None = None
    concepts: dict | None = None
    use_cases: dict | None = None
    relations: dict | None = None
    service_precision: dict | None = None
    windows: dict | None = None
    #: score.py's whole report (with its missing / wrong_type / not_in_gold / wrong_* lists), or None.
    score: dict | None = None


# --- the library ---------------------------------------------------------------------------------------------------


def graph_root() -> Path:
    """The folder of the ``graph`` package that is measured."""
    import graph

    return Path(graph.__file__).resolve().parent


def library():
    """(build_notes, save_graph, the bundled notes folder) of the measured library."""
    from graph.sources.bundled import BUNDLED_NOTES
    from graph.store.build import build_notes
    from graph.store.graphfile import save_graph

    return build_notes, save_graph, BUNDLED_NOTES


def check_one_tree(root: Path) -> None:
    """Fail when a ``graph`` module was loaded from outside the checkout holding *root* (two checkouts mixed).

    The checkout, not the package folder: ``graph.data`` is the checkout's ``data/`` folder (see pyproject.toml).
    """
    checkout = root.parent
    strays = sorted(
        f"{name} ({module.__file__})"
        for name, module in list(sys.modules.items())
        if (name == "graph" or name.startswith("graph."))
        and getattr(module, "__file__", None)
        and not Path(module.__file__).resolve().is_relative_to(checkout)
    )
    if strays:
        raise SystemExit(
            f"quality.py: graph modules loaded from outside {checkout}: {', '.join(strays)}. An editable install of "
            "another checkout supplies what this one lacks: use a Python environment where this checkout is the one "
            "installed (pip install -e CHECKOUT)"
        )


def describe_tree(root: Path) -> str:
    """``commit abc1234`` (``, uncommitted changes`` when the package folder differs from it), or ``no git``."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "."], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "no git"
    return f"commit {commit}" + (", uncommitted changes" if dirty else "")


# --- corpora -------------------------------------------------------------------------------------------------------


def shared_folder(option: str | None) -> Path:
    """``--shared DIR``, else ``$NOTES_GRAPH_SHARED``, else ``shared/`` beside the checkout."""
    chosen = option or os.environ.get("NOTES_GRAPH_SHARED")
    return Path(chosen).expanduser().resolve() if chosen else Path(__file__).resolve().parents[2] / "shared"


def dev_corpus(shared: Path, name: str) -> Corpus:
    # The corpus folder itself, not e.g. clf's sections/: gold windows name files relative to it.
    return Corpus(name, shared / "corpora" / name, shared / "eval" / f"gold-{name}.yaml")


def resolve_corpora(specs: list[str], shared: Path, bundled: Path) -> list[Corpus]:
    if not specs:
        specs = [BUNDLED, *DEV_CORPORA]
    corpora = []
    for spec in specs:
        if spec == BUNDLED:
            corpora.append(Corpus("bundled notes", bundled, None))
        elif spec in DEV_CORPORA:
            corpora.append(dev_corpus(shared, spec))
        elif "=" in spec:
            path, gold = spec.rsplit("=", 1)
            corpora.append(Corpus(Path(path).name or path, Path(path), Path(gold)))
        else:
            raise SystemExit(
                f"quality.py: unknown corpus {spec!r}: give {BUNDLED}, one of {', '.join(DEV_CORPORA)}, or PATH=GOLD"
            )
    for corpus in corpora:
        for what, path in (("notes", corpus.path), ("gold file", corpus.gold)):
            if path is not None and not path.exists():
                hint = " (give --shared DIR or set NOTES_GRAPH_SHARED)" if path.is_relative_to(shared) else ""
                raise SystemExit(f"quality.py: {corpus.name}: {what} not found at {path}{hint}")
    return corpora


def smoke_corpora(shared: Path, bundled: Path, work: Path) -> list[Corpus]:
    """The bundled notes, and the file of the first gold window of SMOKE_CORPUS alone, at its own relative path."""
    corpora = [Corpus("bundled notes", bundled, None)]
    full = dev_corpus(shared, SMOKE_CORPUS)
    if not (full.gold.is_file() and full.path.is_dir()):
        print(f"quality.py --smoke: {full.gold} not found, the bundled notes only", file=sys.stderr)
        return corpora
    import yaml

    first = yaml.safe_load(full.gold.read_text(encoding="utf-8"))["windows"][0]["file"]
    copy = work / "smoke" / SMOKE_CORPUS
    (copy / first).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(full.path / first, copy / first)
    return [*corpora, Corpus(f"{SMOKE_CORPUS}:{first}", copy, full.gold)]


# --- measuring -----------------------------------------------------------------------------------------------------


def warm_up(build_notes, work: Path) -> None:
    """One untimed build of a one-line note: the spaCy pipeline, catalog and word tables are loaded once."""
    folder = work / "warm-up"
    folder.mkdir()
    text = "# Warm-up\n\nAmazon S3 stores objects; Amazon SQS queues messages.\n"
    (folder / "warm-up.md").write_text(text, encoding="utf-8")
    build_notes(folder)


def measure(corpus: Corpus, runs: int, build_notes, save_graph, scorer: Path | None, work: Path) -> Row:
    row = Row(corpus.name, str(corpus.path), str(corpus.gold) if corpus.gold else None)
    sizes = set()
    graph = None
    for run in range(runs):
        started = time.perf_counter()
        result = build_notes(corpus.path, cache_dir=None)
        row.build_seconds_runs.append(round(time.perf_counter() - started, 3))
        sizes.add((result.graph.number_of_nodes(), result.graph.number_of_edges()))
        if run == 0:
            graph = result.graph
        del result
    row.build_seconds = round(statistics.median(row.build_seconds_runs), 3)
    row.deterministic = len(sizes) == 1
    if not row.deterministic:
        print(
            f"quality.py: {corpus.name}: runs gave different graphs {sorted(sizes)}; the first is scored",
            file=sys.stderr,
        )
    row.nodes, row.edges = graph.number_of_nodes(), graph.number_of_edges()
    row.files = len(graph.graph.get("files", []))
    row.words = int(graph.graph.get("words", 0))
    row.problems = len(graph.graph.get("problems", []))
    row.types = dict(Counter(str(data.get("type", "")) for _, data in graph.nodes(data=True)).most_common())
    if corpus.gold is None:
        return row
    graph_file = work / "graph.json"
    save_graph(graph, graph_file)
    report = run_scorer(scorer, graph_file, corpus.gold)
    graph_file.unlink()
    row.score = report
    for kind in ("services", "concepts", "use_cases", "relations"):
        setattr(row, kind, {key: report[kind][key] for key in ("found", "typed", "total")})
    row.service_precision = {key: report["service_precision"][key] for key in ("gold", "total")}
    if report.get("windows"):
        row.windows = {key: report["windows"][key] for key in WINDOW_KEYS}
    if report.get("graph") != {"nodes": row.nodes, "edges": row.edges}:  # the file must be the graph measured
        raise SystemExit(f"quality.py: {corpus.name}: score.py read {report.get('graph')}, built {row.nodes} nodes")
    return row


def run_scorer(scorer: Path, graph_file: Path, gold: Path) -> dict:
    """score.py's --json report. Its main() is one function that reads sys.argv and prints, so it runs as is."""
    env = {**os.environ, "PYTHONUTF8": "1"}  # score.py opens the gold and the graph without an encoding
    done = subprocess.run(
        [sys.executable, str(scorer), str(graph_file), str(gold), "--json"], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"quality.py: {scorer} failed on {gold}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


# --- output --------------------------------------------------------------------------------------------------------


def share(part: dict | None, hit: str, total: str) -> str:
    """``hit/total pct`` of a score.py dict, ``-`` when there is none."""
    if part is None:
        return "-"
    n, d = part[hit], part[total]
    return f"{n}/{d} {n / d:.0%}" if d else f"{n}/0 -"


def cells(row: Row) -> list[str]:
    return [
        row.corpus,
        share(row.services, "typed", "total"),
        share(row.service_precision, "gold", "total"),
        share(row.concepts, "found", "total"),
        share(row.concepts, "typed", "total"),
        share(row.use_cases, "typed", "total"),
        share(row.relations, "typed", "total"),
        share(row.windows, "nodes_right", "nodes"),
        share(row.windows, "edges_right", "edges"),
        f"{row.build_seconds:.2f}",
        str(row.nodes),
        str(row.edges),
    ]


def table(rows: list[Row], header: str) -> str:
    body = [list(COLUMNS), *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in body) for i in range(len(COLUMNS))]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    return "\n".join([header, line(body[0]), "  ".join("-" * w for w in widths), *map(line, body[1:])])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpora", nargs="*", metavar="CORPUS", help=f"{BUNDLED}, a dev corpus name, or PATH=GOLD")
    parser.add_argument("--json", metavar="OUT", help="also write the rows as JSON to OUT ('-': stdout)")
    parser.add_argument("--runs", type=int, default=1, help="builds per corpus; the table shows the median time")
    parser.add_argument("--shared", metavar="DIR", help="the shared folder (default: $NOTES_GRAPH_SHARED or ../shared)")
    parser.add_argument("--smoke", action="store_true", help="tiny corpora, 1 run: checks that the script works")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.smoke and args.corpora:
        parser.error("--smoke takes no corpus")
    if importlib.util.find_spec("yaml") is None:
        raise SystemExit(f"quality.py: score.py needs PyYAML: {sys.executable} -m pip install pyyaml")
    shared = shared_folder(args.shared)
    scorer = shared / "eval" / "score.py"
    root = graph_root()
    build_notes, save_graph, bundled = library()
    out = sys.stderr if args.json == "-" else sys.stdout  # JSON on stdout: the table goes to stderr
    with tempfile.TemporaryDirectory(prefix="notes-graph-quality-") as tmp:
        work = Path(tmp)
        corpora = smoke_corpora(shared, bundled, work) if args.smoke else resolve_corpora(args.corpora, shared, bundled)
        runs = 1 if args.smoke else args.runs
        if any(c.gold for c in corpora) and not scorer.is_file():
            raise SystemExit(f"quality.py: no scorer at {scorer} (give --shared DIR or set NOTES_GRAPH_SHARED)")
        started = time.perf_counter()
        warm_up(build_notes, work)
        rows = []
        for corpus in corpora:
            print(f"quality.py: building {corpus.name} ({corpus.path}) x{runs} ...", file=sys.stderr, flush=True)
            rows.append(measure(corpus, runs, build_notes, save_graph, scorer, work))
        check_one_tree(root)
    tree = describe_tree(root)
    header = (
        f"graph package {root} ({tree}); scorer {scorer}; build s = median of {runs} uncached build(s); "
        f"took {time.perf_counter() - started:.0f} s"
    )
    print(table(rows, header), file=out, flush=True)
    if args.json:
        data = {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "graph_package": str(root),
            "graph_tree": tree,
            "python": platform.python_version(),
            "scorer": str(scorer),
            "scorer_sha256": sha256(scorer) if scorer.is_file() else None,
            "gold_sha256": {row.corpus: sha256(Path(row.gold)) for row in rows if row.gold},
            "runs": runs,
            "smoke": args.smoke,
            "columns": list(COLUMNS),
            "rows": [asdict(row) for row in rows],
        }
        text = json.dumps(data, indent=1)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
