"""``notes-graph export``: write the graph for another program (Gephi, yEd, Neo4j) or as a graph file.

The formats and what each file holds are described in :mod:`graph.store.exports`;
this module reads the graph as every query command does (``--graph``, ``--notes``
or a notes PATH) and prints one line saying what it wrote.
"""

from __future__ import annotations

import argparse

from graph.cli.common import EXIT_OK, CommandError, graph_options, open_graph, print_json
from graph.store.exports import FORMATS, NEO4J_FILES, export_graph

#: What each format's line says was written.
_WHAT = {
    "json": "the graph file (node-link JSON)",
    "graphml": "GraphML (for yEd, Gephi)",
    "gexf": "GEXF (for Gephi)",
    "neo4j": f"{', '.join(NEO4J_FILES[:-1])} and {NEO4J_FILES[-1]} (for Neo4j)",
}


def register(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export",
        help=f"write the graph for another program: {', '.join(FORMATS)}",
        description="Write the graph as a graph file (json), GraphML, GEXF (Gephi) or a Neo4j import folder "
        "(nodes.csv, relationships.csv and load.cypher, a LOAD CSV script).",
    )
    export.add_argument(
        "path",
        nargs="?",
        default=None,
        help="a notes file or folder to build in memory (default: the graph file, or the bundled notes)",
    )
    export.add_argument("--format", required=True, choices=FORMATS, help="what to write")
    export.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="file to write (for neo4j: a folder, made if need be)"
    )
    graph_options(export)
    export.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    if args.path and args.notes:
        raise CommandError("give the notes either as PATH or with --notes, not both")
    if args.path and args.graph:
        raise CommandError("give either a notes PATH or --graph, not both")
    if args.path:
        args.notes = args.path
    graph = open_graph(args)
    try:
        written = export_graph(graph, args.output, args.format)
    except OSError as err:
        # Named by what was asked for: the file the error names may be the temporary one written beside it.
        raise CommandError(f"cannot write {args.output}: {err.strerror or err}") from None
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    if args.json:
        files = [str(written / name) for name in NEO4J_FILES] if args.format == "neo4j" else [str(written)]
        print_json({"format": args.format, "output": str(written), "files": files, "nodes": nodes, "edges": edges})
    else:
        print(f"Wrote {_WHAT[args.format]} to {written}: {nodes} topics, {edges} relations.")
    return EXIT_OK
