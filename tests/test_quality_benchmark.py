"""Smoke test of ``benchmarks/quality.py --smoke``: it builds two tiny corpora, scores one, prints and writes JSON.

No figure is asserted (they measure extraction, which changes); only that the benchmark runs end to end, prints
its one table and writes the JSON keys that comparisons between runs rely on.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "quality.py"
SHARED = Path(os.environ.get("NOTES_GRAPH_SHARED") or REPO.parent / "shared")

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


def test_quality_benchmark_smoke(tmp_path):
    if not (SHARED / "eval" / "score.py").is_file() or not (SHARED / "corpora").is_dir():
        pytest.skip(f"no shared corpora and scorer at {SHARED} (set NOTES_GRAPH_SHARED to where they are)")
    pytest.importorskip("yaml", reason="the reference scorer (shared/eval/score.py) needs PyYAML")
    report = tmp_path / "quality.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke", "--json", str(report), "--shared", str(SHARED)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    header = next(line for line in done.stdout.splitlines() if line.startswith("corpus "))
    assert re.split(r"\s{2,}", header.strip()) == list(COLUMNS)  # columns are 2+ spaces apart
    assert "bundled notes" in done.stdout

    data = json.loads(report.read_text(encoding="utf-8"))
    for key in ("graph_package", "graph_tree", "scorer", "scorer_sha256", "runs", "columns", "rows"):
        assert key in data
    assert data["columns"] == list(COLUMNS)
    bundled, scored = data["rows"]
    assert bundled["corpus"] == "bundled notes"
    assert bundled["score"] is None and bundled["services"] is None
    assert bundled["nodes"] > 0 and bundled["edges"] > 0 and bundled["build_seconds"] > 0
    assert scored["gold"].endswith(".yaml")
    for kind in ("services", "concepts", "use_cases", "relations"):
        assert set(scored[kind]) == {"found", "typed", "total"}
        assert 0 <= scored[kind]["typed"] <= scored[kind]["total"]
        assert scored[kind]["total"] > 0
    assert set(scored["service_precision"]) == {"gold", "total"}
    for key in ("nodes", "nodes_right", "node_precision", "edges", "edges_right", "edge_precision"):
        assert key in scored["windows"]
    assert scored["score"]["graph"] == {"nodes": scored["nodes"], "edges": scored["edges"]}
