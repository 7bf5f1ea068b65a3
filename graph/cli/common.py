"""What every ``notes-graph`` subcommand shares: errors, argument types, opening the graph, output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import networkx as nx

from graph.sources.bundled import BUNDLED_NOTES
from graph.store.cache import default_cache_dir
from graph.store.graphfile import DEFAULT_GRAPH, load_graph
from graph.ui.report import cut_line, wrap_text

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A user-facing error: printed as one line, exit status 1."""


def graph_options(parser: argparse.ArgumentParser) -> None:
    """Add --graph and --notes, the two ways a query command gets its graph."""
    parser.add_argument(
        "-g",
        "--graph",
        default=None,
        help=f"graph file from 'notes-graph build' (default: {DEFAULT_GRAPH}, "
        "or the bundled notes if that file does not exist)",
    )
    parser.add_argument(
        "--notes", default=None, help="build this notes file or folder in memory instead of reading a graph file"
    )
    parser.add_argument("--json", action="store_true", help="print as JSON")


def positive(text: str) -> int:
    """argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def open_graph(args: argparse.Namespace) -> nx.MultiDiGraph:
    """The graph a query command works on: --notes built in memory, --graph read, or the default."""
    if getattr(args, "graph", None) and not getattr(args, "notes", None):
        return load_graph(args.graph)
    if not getattr(args, "notes", None) and Path(DEFAULT_GRAPH).exists():
        return load_graph(DEFAULT_GRAPH)
    # Imported only to build: a command that reads a graph file never loads spaCy (about a second).
    from graph.store.build import build_notes

    if getattr(args, "notes", None):
        return build_notes(args.notes).graph
    return build_notes(BUNDLED_NOTES, cache_dir=default_cache_dir()).graph


def wrap(text: str, indent: str, width: int = 100, first_only: bool = False) -> list[str]:
    """*text* as indented lines; with *first_only*, one line cut with an ellipsis (the report layout's rules)."""
    return [cut_line(text, indent, width)] if first_only else wrap_text(text, indent, width=width)


def print_json(data) -> None:
    """Print *data* as indented JSON (non-ASCII kept)."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
