"""The ``notes-graph`` command line: everything the app does, for scripts.

Each command group lives in its own module with a ``register(subparsers)``
function; each subcommand calls the library and lays out what it returns, as
text for people or as JSON with ``--json``. Errors are one clear line on
stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys

from graph.cli import app, explore, export, gaps, notes
from graph.cli.common import EXIT_ERROR, EXIT_OK, EXIT_USAGE, CommandError
from graph.query.find import AmbiguousName, NodeNotFound
from graph.sources.notes import NoNotesError
from graph.sources.syllabus import SyllabusError
from graph.store.edges import QueryError
from graph.store.graphfile import GraphFileError
from graph.ui.escape import terminal_lines

#: Command modules, in the order their commands are listed in --help.
COMMAND_MODULES = [notes, explore, gaps, app, export]


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="notes-graph",
        description="Turn study notes into a knowledge graph of services, concepts and use cases, and explore it.",
    )
    sub = parser.add_subparsers(metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


class TerminalOutput(io.TextIOBase):
    """A terminal stream that shows note text as text: control characters as ``?``, long lines cut.

    Labels and evidence come from notes; an escape sequence in one could clear the screen or retitle the
    window, and a 10 MB label would scroll for minutes. Only a terminal is wrapped: piped output and
    ``--json`` keep every character.
    """

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(terminal_lines(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return True


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    if sys.stdout.isatty() and not isinstance(sys.stdout, TerminalOutput):
        sys.stdout = TerminalOutput(sys.stdout)
    if sys.stderr.isatty() and not isinstance(sys.stderr, TerminalOutput):
        sys.stderr = TerminalOutput(sys.stderr)
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args) or EXIT_OK
    except (CommandError, NoNotesError, GraphFileError, NodeNotFound, AmbiguousName, SyllabusError, QueryError) as err:
        print(f"notes-graph: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("notes-graph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> None:
    """The console entry point: :func:`main` in a process that ends as soon as its output is written."""
    # A command is short-lived and its big objects (notes, extractions, the graph) live until the end, so the
    # cyclic collector's passes over them are pure cost (10-40% of a build).
    gc.disable()
    status = main()
    # Freeing a large graph object by object at interpreter exit takes longer than some commands do (about
    # 0.5 s after building 1,000 notes); the operating system reclaims the memory at once.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        pass
    os._exit(status)
