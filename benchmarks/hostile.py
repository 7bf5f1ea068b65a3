"""Hostile shapes of notes: does build time grow linearly with the size of one shape of note?

For each shape (many headings, one soft-wrapped paragraph, one long line, a long list, a long table, a
code block, a paragraph of many links, many small files) a note of 0.5, 1, 2 and 4 MB is generated and
built in a fresh process (``notes-graph build --no-cache``), timing the build and its peak memory. The
table prints each size's median seconds and the growth ratio from one size to the next: linear time
doubles with the input (2.0x); the target is at most 2.2x, and a 5 MB note of any shape in under 30 s
and 1 GB.

    python benchmarks/hostile.py                  # all shapes, 0.5-4 MB, 1 run each
    python benchmarks/hostile.py --runs 3 --shapes headings,paragraph --json out/hostile.json
    python benchmarks/hostile.py --quick          # 20-60 KB notes: checks that it works (CI smoke test)
    python benchmarks/hostile.py --clock cpu      # CPU seconds: comparable while other work shares the machine
    python benchmarks/hostile.py --sizes 5        # the 5 MB target: under 30 s and 1 GB

Figures depend on the machine and its load: compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: The sizes measured, in megabytes (--quick: in tens of kilobytes).
SIZES_MB = (0.5, 1.0, 2.0, 4.0)
TARGET_RATIO = 2.2
_WORDS = (
    "Amazon SQS queues decouple producers from consumers while AWS Lambda functions poll them and write results "
    "to Amazon S3 buckets for Athena queries with a visibility timeout and a dead-letter queue for retries"
).split()


def _words(count: int, seed: int) -> str:
    return " ".join(_WORDS[(seed + i * 7) % len(_WORDS)] for i in range(count))


def _fill(size: int, unit: Callable[[int], str]) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        piece = unit(i)
        parts.append(piece)
        total += len(piece)
        i += 1
    return "".join(parts)


#: Each shape: a function of the size in bytes to {relative file name: text}.
SHAPES: dict[str, Callable[[int], dict[str, str]]] = {
    "headings": lambda size: {"n.md": _fill(size, lambda i: f"## Topic {i} {_words(3, i)}\n\n")},
    "paragraph": lambda size: {"n.md": "# Long\n\n" + _fill(size, lambda i: _words(12, i) + "\n")},
    "long line": lambda size: {"n.md": "# Line\n\n" + _fill(size, lambda i: _words(12, i) + " ") + "\n"},
    "list": lambda size: {"n.md": "# List\n\n" + _fill(size, lambda i: f"- {_words(10, i)}\n")},
    "table": lambda size: {
        "n.md": "# Table\n\n| Name | What |\n|---|---|\n" + _fill(size, lambda i: f"| Item {i} | {_words(8, i)} |\n")
    },
    "code": lambda size: {"n.md": "# Code\n\n```\n" + _fill(size, lambda i: f"x{i} = {_words(6, i)}\n") + "```\n"},
    "links": lambda size: {"n.md": "# Links\n\n" + _fill(size, lambda i: f"[{_words(2, i)}](https://e.test/{i}) ")},
    "small files": lambda size: {
        f"f{i:06d}.md": f"# Note {i}\n\n- {_words(8, i)}\n" for i in range(max(1, size // 80))
    },
}


@dataclass
class Row:
    """One shape: median seconds and peak memory per size, and the growth ratio between sizes."""

    shape: str
    sizes_mb: list[float]
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def build_once(folder: Path, clock: str = "wall") -> tuple[float, float, str]:
    """Seconds (by the wall clock, or CPU seconds of the build and its workers), peak memory (MB) and error text of
    ``notes-graph build FOLDER --no-cache`` in a fresh process."""
    code = (
        "import resource, sys, time\n"
        "from graph.cli import main\n"
        "from graph.extract.pipeline import make_pipeline\n"
        "make_pipeline()\n"  # start-up (imports, pipeline, word tables) is not part of what grows
        "def cpu():\n"
        "    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime\n"
        "start, cpu_start = time.perf_counter(), cpu()\n"
        f"status = main(['build', {str(folder)!r}, '-o', {str(folder / 'g.json')!r}, '--no-cache', '--json'])\n"
        f"took = cpu() - cpu_start if {clock == 'cpu'} else time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "sys.stderr.write(f'\\nRESULT {took} {peak} {status}\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3600)
    last = [line for line in done.stderr.splitlines() if line.startswith("RESULT ")]
    if not last:
        return float("nan"), float("nan"), done.stderr.strip()[-300:]
    _, took, peak, status = last[-1].split()
    error = "" if status == "0" else done.stderr.strip().splitlines()[0][:300]
    return float(took), float(peak), error


def measure(shape: str, sizes_mb: tuple[float, ...], runs: int, unit_bytes: int, clock: str = "wall") -> Row:
    row = Row(shape, list(sizes_mb))
    for size_mb in sizes_mb:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "notes"
            folder.mkdir()
            for name, text in SHAPES[shape](int(size_mb * unit_bytes)).items():
                (folder / name).write_text(text, encoding="utf-8")
            results = [build_once(folder, clock) for _ in range(runs)]
        row.seconds.append(round(statistics.median(r[0] for r in results), 3))
        row.peak_mb.append(round(max(r[1] for r in results), 1))
        row.errors += [f"{size_mb} MB: {r[2]}" for r in results if r[2]]
    pairs = zip(row.seconds, row.seconds[1:], strict=False)
    row.ratios = [round(b / a, 2) if a > 0 else float("nan") for a, b in pairs]
    return row


def table(rows: list[Row], unit: str) -> str:
    sizes = rows[0].sizes_mb if rows else []
    header = ["shape", *(f"{s:g} {unit} s" for s in sizes), *(f"x{i + 1}" for i in range(len(sizes) - 1)), "peak MB"]
    lines = [header]
    for row in rows:
        ratios = [f"{r:.2f}" + ("!" if r > TARGET_RATIO else "") for r in row.ratios]
        lines.append([row.shape, *(f"{s:.2f}" for s in row.seconds), *ratios, f"{max(row.peak_mb, default=0):.0f}"])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [
        "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=True)))
        for line in lines
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    out.append(f"x1.. = growth when the input doubles (linear: 2.0; target <= {TARGET_RATIO}; '!' marks a miss)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shapes (default: all)")
    parser.add_argument("--runs", type=int, default=1, help="builds per size; the median is reported")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    parser.add_argument("--quick", action="store_true", help="tiny notes (20-60 KB): checks that it works")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="time by the wall clock (default), or CPU seconds of the build and its workers (steadier on a "
        "machine other work shares)",
    )
    parser.add_argument("--sizes", help="comma-separated sizes in MB instead of 0.5,1,2,4 (e.g. 5 for the 30 s target)")
    args = parser.parse_args(argv)
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s) {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    sizes, unit_bytes, unit = ((20.0, 40.0), 1_000, "KB") if args.quick else (SIZES_MB, 1_000_000, "MB")
    if args.sizes:
        sizes = tuple(float(size) for size in args.sizes.split(","))
    started = time.perf_counter()
    rows = [measure(shape, sizes, max(1, args.runs), unit_bytes, args.clock) for shape in shapes]
    print(table(rows, unit if args.clock == "wall" else f"{unit} cpu"))
    for row in rows:
        for error in row.errors:
            print(f"{row.shape}: {error}", file=sys.stderr)
    print(f"took {time.perf_counter() - started:.0f} s; load average {resource_load()}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    return 1 if any(row.errors for row in rows) else 0


def resource_load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
