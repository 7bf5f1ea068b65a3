"""Smoke tests of the benchmark suite: the corpus generator and ``benchmarks/run.py --quick``.

No timing is asserted anywhere: figures depend on the machine. These only check that the
generator is reproducible and realistic, and that the one benchmark command runs end to end.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graph.sources.catalog import load_catalog

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"


def _load(name: str):
    """Import benchmarks/<name>.py (the folder is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return _load("generate_corpus")


def _read_corpus(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.md"))}


def test_generator_is_deterministic_for_a_seed(generator, tmp_path):
    first = _read_corpus(Path(generator.ensure_corpus(tmp_path / "a", 15, seed=7)))
    again = _read_corpus(Path(generator.ensure_corpus(tmp_path / "b", 15, seed=7)))
    other = _read_corpus(Path(generator.ensure_corpus(tmp_path / "c", 15, seed=8)))
    assert len(first) == 15
    assert first == again
    assert first != other
    # Note i depends only on (seed, i): a smaller corpus is a prefix of a larger one.
    smaller = _read_corpus(Path(generator.ensure_corpus(tmp_path / "d", 5, seed=7)))
    assert set(smaller.items()) <= set(first.items())


def test_generated_notes_look_like_study_notes(generator, tmp_path):
    notes = _read_corpus(Path(generator.ensure_corpus(tmp_path / "corpus", 30, seed=1)))
    text = "\n".join(notes.values())
    assert all(re.search(r"^# \S", note, re.MULTILINE) for note in notes.values())  # every note has a title
    assert re.search(r"^#{2,3} \S", text, re.MULTILINE)  # section headings
    assert re.search(r"^- \S", text, re.MULTILINE)  # bullet lists
    assert re.search(r"^\d+\. \S", text, re.MULTILINE)  # numbered lists
    assert re.search(r"\S (->|→|=>|⇒) \S", text)  # arrows
    assert re.search(r"\*\*[^*]+\*\* — ", text)  # **X** — definition
    assert " vs " in text
    # Service names from the catalog, in more than one spelling of the same service.
    catalog = load_catalog()
    spellings = {
        entry.id: {alias for alias in (*entry.aliases, *(a.lower() for a in entry.aliases)) if alias in text}
        for entry in catalog
    }
    named = {entry_id for entry_id, found in spellings.items() if found}
    assert len(named) >= 10
    assert any(len(found) >= 2 for found in spellings.values())


def test_generator_cli_writes_notes_and_refuses_other_folders(tmp_path):
    out = tmp_path / "gen"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate_corpus.py"), "--notes", "8", "--seed", "3", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert len(list(out.rglob("*.md"))) == 8
    mine = tmp_path / "my-notes"
    mine.mkdir()
    (mine / "keep.md").write_text("# mine\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate_corpus.py"), "--notes", "2", "--out", str(mine)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "not a generated corpus" in done.stderr
    assert (mine / "keep.md").read_text(encoding="utf-8") == "# mine\n"


def test_quick_benchmark_runs_and_prints_the_table(tmp_path):
    report = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--quick",
            "--sizes",
            "10",
            "--corpora-dir",
            str(tmp_path / "corpora"),
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for figure in (
        "start-up: total",
        "build: whole time",
        "build: peak memory",
        "bare spaCy tokenizer",
        "ratio build / bare tokenizer",
        "rebuild: 1 file changed",
        "graph file: load",
        "query: neighbourhood depth 2",
        "view: 50 nodes",
    ):
        assert figure in done.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    figures = {row["figure"] for row in data["rows"]}
    assert "build: throughput" in figures
    rebuild = next(row for row in data["rows"] if row["figure"] == "rebuild: 1 file changed")
    assert rebuild["note"].startswith("9/10 from cache")  # only the edited file was processed again


def test_hostile_shapes_benchmark_runs_and_prints_growth_ratios(tmp_path):
    out = tmp_path / "hostile.json"
    command = [sys.executable, str(BENCHMARKS / "hostile.py"), "--quick", "--shapes", "headings,small files"]
    done = subprocess.run(
        [*command, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split()
    assert header == ["shape", "20", "KB", "s", "40", "KB", "s", "x1", "peak", "MB"]
    rows = json.loads(out.read_text())
    assert [r["shape"] for r in rows] == ["headings", "small files"]
    assert all(len(r["seconds"]) == 2 and len(r["ratios"]) == 1 and r["errors"] == [] for r in rows)
    assert all(s > 0 for r in rows for s in r["seconds"])


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_browser_benchmark_runs_and_prints_every_figure(tmp_path):
    """benchmarks/browser.py --quick: one run of each figure on the bundled notes, in Debian's chromium."""
    out = tmp_path / "browser.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "browser.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for figure in (
        "cold start -> drawn (bundled notes)",
        "new session -> drawn (warm server)",
        "click -> redrawn (bundled notes)",
        "Back -> redrawn (bundled notes)",
        "Forward -> redrawn (bundled notes)",
        "filter change -> redrawn (bundled notes)",
    ):
        assert figure in done.stdout
    report = json.loads(out.read_text())
    assert report["outside_requests"] == [] and report["sandbox_warnings"] == 0 and report["failures"] == []
    assert all(row["median"] > 0 and len(row["seconds"]) == 1 for row in report["rows"])


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_browser_upload_benchmark_prints_a_row_per_size_with_its_growth(tmp_path):
    """benchmarks/browser.py --uploads --quick: 20 and 40 generated notes uploaded as one .zip and as separate files,
    through the app's upload control, in Debian's chromium."""
    out = tmp_path / "uploads.json"
    command = [sys.executable, str(BENCHMARKS / "browser.py"), "--uploads", "--upload-as", "zip,files", "--quick"]
    done = subprocess.run([*command, "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.stdout.splitlines()[0].split() == [
        "upload", "notes", "built", "settled", "s", "click->drawn", "s", "reported", "s", "not", "reported", "s",
        "growth",
    ]  # fmt: skip
    report = json.loads(out.read_text())
    assert report["outside_requests"] == []
    rows = report["uploads"]
    found = [(r["mode"], r["files"], r["built"], r["via"], r["errors"]) for r in rows]
    assert found == [
        ("zip", 20, 20, "upload control", []),
        ("zip", 40, 40, "upload control", []),
        ("files", 20, 20, "upload control", []),
        ("files", 40, 40, "upload control", []),
    ]
    assert all(0 < r["reported"] <= r["drawn"] and r["settled"] > 0 for r in rows)
    assert "growth" not in rows[0] and rows[1]["growth"] > 0 and "growth" not in rows[2] and rows[3]["growth"] > 0
