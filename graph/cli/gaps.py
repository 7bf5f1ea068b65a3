"""``notes-graph gaps``: what the notes leave out, explain thinly or leave unfinished, ordered by what to do first.

The report comes from :func:`graph.gaps.report.gap_report`; this module only reads the
arguments and prints it: as terminal text or markdown (``--format markdown``), both laid
out by :mod:`graph.ui.report` (the renderer the app's download uses too), or as JSON
(``--json``, the whole report). Problems in a syllabus file are printed on stderr as
``file:line`` warnings.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from graph.cli.common import EXIT_OK, CommandError, graph_options, open_graph, positive
from graph.gaps.report import gap_report
from graph.sources.syllabus import builtin_syllabi, load_syllabus
from graph.ui.escape import terminal_text
from graph.ui.report import format_markdown, format_text


def register(sub: argparse._SubParsersAction) -> None:
    names = ", ".join(builtin_syllabi()) or "none"
    gaps = sub.add_parser(
        "gaps",
        help="report coverage gaps: syllabus coverage, unexplained topics, unfinished notes, thin topics, ...",
        description="Report what the notes leave out, explain thinly or leave unfinished, ordered by what to do first.",
    )
    gaps.add_argument(
        "path",
        nargs="?",
        default=None,
        help="a notes file or folder to build in memory (default: the graph file, or the bundled notes)",
    )
    gaps.add_argument(
        "-s",
        "--syllabus",
        metavar="NAME|FILE",
        help=f"check coverage of an exam syllabus: a built-in name ({names}) or a file in the same format",
    )
    graph_options(gaps)
    gaps.add_argument(
        "--format", choices=("text", "markdown"), default="text", help="text for the terminal or markdown to export"
    )
    gaps.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of printing it")
    gaps.add_argument(
        "--limit", type=positive, default=10, help="most items listed per part (default 10; JSON has all)"
    )
    gaps.set_defaults(handler=cmd_gaps)


def cmd_gaps(args: argparse.Namespace) -> int:
    if args.path and args.notes:
        raise CommandError("give the notes either as PATH or with --notes, not both")
    if args.path and args.graph:
        raise CommandError("give either a notes PATH or --graph, not both")
    syllabus = load_syllabus(args.syllabus) if args.syllabus else None
    if syllabus is not None:
        for issue in syllabus.issues:
            print(f"notes-graph: {terminal_text(issue)}", file=sys.stderr)
    if args.path:
        args.notes = args.path
    report = gap_report(open_graph(args), syllabus)
    if args.json:
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str)
    elif args.format == "markdown":
        text = format_markdown(report, args.limit)
    else:
        text = format_text(report, args.limit)
    if args.output:
        try:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
        except OSError as err:
            raise CommandError(f"cannot write {args.output}: {err.strerror or err}") from None
        print(f"Wrote the gap report to {args.output}", file=sys.stderr)
    else:
        print(text)
    return EXIT_OK
