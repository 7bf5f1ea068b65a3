"""Save and load the graph file (node-link JSON) and export GraphML.

The JSON file is NetworkX's node-link format (``nodes``/``edges`` lists,
``directed``/``multigraph`` flags, ``graph`` attributes) with the attributes
documented in the README. Writes are atomic: the file is written beside the
target and renamed over it, so a failed run never damages an earlier file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import networkx as nx

from graph.build import SCHEMA_VERSION


class GraphFileError(Exception):
    """The graph file is missing, unreadable, not a graph, or from another version."""


def graph_to_json(graph: nx.MultiDiGraph) -> dict:
    """The node-link dict of *graph* (what :func:`save_graph` writes)."""
    data = nx.node_link_data(graph, edges="edges")
    # Keys starting with "_" are in-memory indexes (see graph.find), never written.
    data["graph"] = {k: v for k, v in graph.graph.items() if not k.startswith("_")}
    return data


def graph_from_json(data: dict) -> nx.MultiDiGraph:
    """Rebuild the graph from a node-link dict, checking that it is a Notes Graph file of this version."""
    if not isinstance(data, dict) or "nodes" not in data or "edges" not in data:
        raise GraphFileError("not a Notes Graph file (no 'nodes' and 'edges'); build one with 'notes-graph build'")
    schema = data.get("graph", {}).get("schema")
    if schema != SCHEMA_VERSION:
        raise GraphFileError(
            f"graph file has schema version {schema!r}, this program reads version {SCHEMA_VERSION}; "
            "rebuild it with 'notes-graph build'"
        )
    graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    for _, _, attrs in graph.edges(data=True):
        attrs.setdefault("relation", "related_to")
    return graph


def save_graph(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write *graph* to *path* as node-link JSON, atomically. Returns the path."""
    target = Path(path)
    payload = json.dumps(graph_to_json(graph), ensure_ascii=False, separators=(",", ":"))
    _atomic_write(target, payload.encode("utf-8"))
    return target


def load_graph(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a graph written by :func:`save_graph`; raises :class:`GraphFileError` with a clear message."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GraphFileError(f"{source}: no graph file here; run 'notes-graph build' first") from None
    except (OSError, UnicodeDecodeError) as err:
        raise GraphFileError(f"{source}: cannot read graph file ({err})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise GraphFileError(f"{source}: not valid JSON ({err}); rebuild it with 'notes-graph build'") from None
    try:
        return graph_from_json(data)
    except GraphFileError as err:
        raise GraphFileError(f"{source}: {err}") from None
    except (KeyError, TypeError, ValueError, nx.NetworkXError) as err:
        raise GraphFileError(f"{source}: damaged graph file ({err}); rebuild it with 'notes-graph build'") from None


def export_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write *graph* as GraphML (for Gephi, yEd). Lists and dicts become JSON strings."""
    flat = nx.MultiDiGraph()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items() if not k.startswith("_")})
    for node, attrs in graph.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in attrs.items()})
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **{k: _flat(val) for k, val in attrs.items()})
    target = Path(path)
    handle, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", suffix=".tmp")
    os.close(handle)
    try:
        nx.write_graphml(flat, tmp, encoding="utf-8")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _flat(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _atomic_write(target: Path, payload: bytes) -> None:
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
