"""``notes-graph build`` and ``notes-graph show``: make the graph, read one entity."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from graph.cli.common import EXIT_OK, CommandError, graph_options, open_graph, positive, print_json, wrap
from graph.query.describe import describe_entity, summarize
from graph.query.find import find_node
from graph.sources.bundled import BUNDLED_NOTES
from graph.store.cache import default_cache_dir
from graph.store.graphfile import DEFAULT_GRAPH, export_graphml, save_graph
from graph.ui.words import relation_words

if TYPE_CHECKING:
    from graph.store.build import BuildResult

#: How many problems the text summary lists; --json has them all.
MAX_PROBLEMS_SHOWN = 20
#: The exit status after Ctrl-C, as a shell reports a process ended by SIGINT (128 + 2).
EXIT_INTERRUPTED = 130


def register(sub: argparse._SubParsersAction) -> None:
    build = sub.add_parser("build", help="read notes and write the graph file")
    build.add_argument(
        "path", nargs="?", default=str(BUNDLED_NOTES), help="a notes file or folder (default: the bundled notes)"
    )
    build.add_argument(
        "-o", "--output", default=str(DEFAULT_GRAPH), help=f"graph file to write (default: {DEFAULT_GRAPH})"
    )
    build.add_argument("--graphml", metavar="FILE", help="also export GraphML (for Gephi) to FILE")
    build.add_argument("--no-cache", action="store_true", help="re-read every file instead of reusing cached results")
    build.add_argument(
        "--cache",
        metavar="DIR",
        default=None,
        help="folder of the per-file extraction cache (default: extractions/ in the user's cache folder)",
    )
    build.add_argument("--top", type=positive, default=10, help="how many most-connected topics to list")
    build.add_argument("--json", action="store_true", help="print the summary as JSON")
    build.set_defaults(handler=cmd_build)

    show = sub.add_parser("show", help="print one entity: type, aliases, definition, mentions, relations")
    show.add_argument("name", help="any name or alias, in any case (e.g. sqs, 'Simple Queue Service')")
    graph_options(show)
    show.add_argument("--limit", type=positive, default=25, help="most relations and mentions to print")
    show.set_defaults(handler=cmd_show)


# --- build --------------------------------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    from graph.cli.progress import TerminalProgress  # here: only building needs spaCy
    from graph.store.build import build_notes

    # Progress goes to stderr, and only to a terminal: --json output and pipes stay as they were.
    shown = TerminalProgress(sys.stderr) if not args.json else None
    cache_dir = None if args.no_cache else (args.cache or default_cache_dir())
    try:
        result = build_notes(args.path, cache_dir=cache_dir, progress=shown)
    except KeyboardInterrupt:
        if shown:
            shown.clear()
        kept = f"{args.output} is unchanged" if Path(args.output).exists() else f"{args.output} was not written"
        print(f"notes-graph: build cancelled (Ctrl-C); {kept}", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if shown:
            shown.clear()
    try:
        save_graph(result.graph, args.output)
        if args.graphml:
            export_graphml(result.graph, args.graphml)
    except OSError as err:
        raise CommandError(f"cannot write {err.filename or args.output}: {err.strerror or err}") from None
    summary = summarize(result.graph, top=args.top)
    summary.update(output=str(args.output), seconds=round(result.seconds, 3), cached_files=result.cached_files)
    if args.json:
        print_json(summary)
    else:
        print(format_build(summary, result))
    return EXIT_OK


def format_build(summary: dict, result: BuildResult) -> str:
    lines = [
        f"Built {summary['output']} from {summary['files']} note file(s), {summary['words']:,} words "
        f"in {summary['seconds']:.2f}s ({summary['cached_files']} from cache).",
        f"{summary['nodes']} topics, {summary['edges']} relations.",
        "",
        "Topics by type:",
    ]
    lines += [f"  {kind:<12} {count:>5}" for kind, count in summary["types"].items()]
    lines += ["", "Relations (stated / all):"]
    lines += [f"  {name:<14} {c['stated']:>5} / {c['edges']:<5}" for name, c in summary["relations"].items()]
    lines += ["", "Most connected topics (neighbours through stated relations, all neighbours):"]
    lines += [f"  {t['label']} ({t['type']}): {t['stated_neighbours']}, {t['neighbours']}" for t in summary["top"]]
    repaired = [(e.path, e.repairs) for e in result.extractions if e.repairs]
    if repaired:
        lines += ["", "Repaired:"]
        lines += [f"  {path}: {'; '.join(repairs)}" for path, repairs in repaired]
    if summary["problems"]:
        problems = summary["problems"]
        lines += ["", f"Problems ({len(problems)}):"]
        lines += [f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:  # 50,000 empty files must not mean 50,000 lines
            lines.append(f"  ... and {len(problems) - MAX_PROBLEMS_SHOWN:,} more (--json lists them all)")
    return "\n".join(lines)


# --- show ---------------------------------------------------------------------------------------------------------


def cmd_show(args: argparse.Namespace) -> int:
    graph = open_graph(args)
    node = find_node(graph, args.name)
    info = describe_entity(graph, node)
    if args.json:
        print_json(info)
    else:
        print(format_entity(info, args.limit))
    return EXIT_OK


def format_entity(info: dict, limit: int = 25) -> str:
    lines = [f"{info['label']}  [{info['type']}]  id: {info['id']}"]
    if info["full_name"] and info["full_name"] != info["label"]:
        lines.append(f"Full name: {info['full_name']}")
    if info["aliases"]:
        lines.append(f"Written as: {', '.join(info['aliases'])}")
    if info["definition"]:
        cite = info["definition_evidence"]
        where = f" ({cite['file']}:{cite['line']})" if cite else ""
        lines.append("Definition" + where + ":")
        lines += wrap(info["definition"], "  ")
    else:
        lines.append("Definition: none found in the notes")
    if info["sections"]:
        lines.append(
            "Own sections: " + "; ".join(f"{s['title']} ({s['file']}:{s['start_line']})" for s in info["sections"])
        )
    lines.append(f"Mentioned at {info['mention_count']} place(s):")
    for place in info["mentions"][:limit]:
        lines += wrap(f"{place['file']}:{place['line']}  {place['text']}", "  ", width=110, first_only=True)
    if info["mention_count"] > limit:
        lines.append(f"  ... and {info['mention_count'] - limit} more (use --limit or --json)")
    lines.append(f"Relations ({info['relation_count']}):")
    for rel in info["relations"][:limit]:
        words = relation_words(rel["relation"], forward=rel["direction"] == "out")
        flag = "stated" if rel["stated"] else "inferred"
        lines.append(f"  {words} {rel['other_label']} [{rel['other_type']}]  ({flag}, weight {rel['weight']:g})")
        for ev in rel["evidence"][:1]:
            lines += wrap(f"{ev['file']}:{ev['line']}  {ev['text']}", "      ", width=110, first_only=True)
    if info["relation_count"] > limit:
        lines.append(f"  ... and {info['relation_count'] - limit} more (use --limit or --json)")
    return "\n".join(lines)
