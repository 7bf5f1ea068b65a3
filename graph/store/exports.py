"""The graph and a view as downloadable bytes, with safe file names.

:func:`graph_json_bytes` is the graph file :func:`graph.store.graphfile.save_graph`
writes; :func:`graphml_bytes` the GraphML :func:`graph.store.graphfile.export_graphml`
writes (through a temporary file, removed afterwards); :func:`download_name`
makes a file name from a topic id with nothing in it a file system or a
browser could take for a path.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import networkx as nx

from graph.store.graphfile import export_graphml, graph_to_json

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def graph_json_bytes(graph: nx.MultiDiGraph) -> bytes:
    """*graph* as the node-link JSON of a graph file (UTF-8), readable by ``notes-graph -g``."""
    return json.dumps(graph_to_json(graph), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """*graph* as GraphML (UTF-8), for Gephi or yEd."""
    with tempfile.TemporaryDirectory(prefix="notes-graph-") as folder:
        target = export_graphml(graph, Path(folder) / "graph.graphml")
        return target.read_bytes()


def download_name(stem: str, suffix: str, default: str = "notes-graph") -> str:
    """``<stem>.<suffix>`` with every run of characters other than letters, digits, ``.``, ``_``, ``-`` made ``-``.

    >>> download_name("service:kinesis", "html")
    'notes-graph-service-kinesis.html'
    """
    cleaned = _UNSAFE.sub("-", stem).strip(".-")[:80]
    return f"{default}-{cleaned}.{suffix}" if cleaned else f"{default}.{suffix}"
