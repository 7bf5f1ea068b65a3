"""Save and load the graph file (node-link JSON) and export GraphML.

The JSON file is NetworkX's node-link format (``nodes``/``edges`` lists,
``directed``/``multigraph`` flags, ``graph`` attributes) with the attributes
documented in the README. Writes are atomic: the file is written beside the
target and renamed over it, so a failed run never damages an earlier file.
"""

from __future__ import annotations

import json
import math
import os
import re
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
    """Rebuild the graph from a node-link dict, checking that it is a Notes Graph file of this version.

    Raises :class:`GraphFileError` (never another error) for anything that is not such a file.
    """
    if not isinstance(data, dict) or "nodes" not in data or "edges" not in data:
        raise GraphFileError("not a Notes Graph file (no 'nodes' and 'edges'); build one with 'notes-graph build'")
    meta = data.setdefault("graph", {})
    schema = meta.get("schema") if isinstance(meta, dict) else None
    if schema != SCHEMA_VERSION:
        raise GraphFileError(
            f"graph file has schema version {schema!r}, this program reads version {SCHEMA_VERSION}; "
            "rebuild it with 'notes-graph build'"
        )
    # A file cut short or edited by hand can still be valid JSON: check the shape every reader relies on, so
    # that it fails here with a message rather than later with an AttributeError in a query (found by fuzzing).
    damage = _damage(data)
    if damage:
        raise GraphFileError(f"damaged graph file ({damage}); rebuild it with 'notes-graph build'")
    # Readers expect a MultiDiGraph keyed by relation, whatever the file's flags say.
    data["directed"] = data["multigraph"] = True
    for edge in data["edges"]:
        edge.setdefault("key", edge.get("relation", "related_to"))
    try:
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError, ValueError, AttributeError, nx.NetworkXError) as err:
        raise GraphFileError(f"damaged graph file ({err}); rebuild it with 'notes-graph build'") from None
    for _, _, attrs in graph.edges(data=True):
        attrs.setdefault("relation", "related_to")
    return graph


class _Some(dict):
    """A spec for an object whose keys may be missing but for *required* (a plain dict spec requires all)."""

    def __init__(self, spec: dict, required: tuple[str, ...] = ()) -> None:
        super().__init__(spec)
        self.required = frozenset(required)


# The attributes readers rely on, as documented in the README: a type, [item spec], {key: spec} (other keys are
# allowed) or a tuple of alternatives. A saved file is checked against them when it is loaded.
_NUMBER = "number"
_EVIDENCE = {"file": str, "line": int, "section": [str], "text": str}
_NODE = _Some(
    {
        "id": str,
        "label": str,
        "type": str,
        "aliases": [str],
        "definition": str,
        "definition_evidence": (_EVIDENCE, None),
        "mention_count": int,
        "mentions": [_EVIDENCE],
        "files": [str],
        "has_section": bool,
        "sections": [{"file": str, "title": str, "start_line": int, "end_line": int, "content_lines": int}],
        "full_name": str,
        "catalog_id": str,
        "kind": str,
        "parent": str,
        "names": [str],
    },
    required=("id", "label", "type"),
)
_EDGE = _Some(
    {
        "source": str,
        "target": str,
        "key": str,
        "relation": str,
        "weight": _NUMBER,
        "stated": bool,
        "count": int,
        "evidence": [_EVIDENCE],
    }
)
_GRAPH = _Some(
    {
        "files": [str],
        "words": int,
        "catalog": str,
        "problems": [str],
        "placeholders": [{"kind": str, "file": str, "line": int, "text": str, "section": [str]}],
    }
)
_INDEX = {
    "version": int,
    "nodes": int,
    "hubs": [str],
    "components": [[str]],
    "communities": [{"id": int, "name": str, "members": [str]}],
    "bridges": [{"id": str, "betweenness": _NUMBER}],
    "betweenness_samples": (int, None),
    "pipelines": [{"file": str, "line": int, "text": str, "members": [str]}],
}


def _fits(value, spec) -> bool:
    if spec is None:
        return value is None
    if spec is _NUMBER:
        return type(value) in (int, float) and math.isfinite(value)
    if isinstance(spec, type):
        return type(value) is spec  # exactly: True is not a line number
    if isinstance(spec, tuple):
        return any(_fits(value, alternative) for alternative in spec)
    if isinstance(spec, list):
        return isinstance(value, list) and all(_fits(item, spec[0]) for item in value)
    required = spec.required if isinstance(spec, _Some) else spec.keys()
    if not isinstance(value, dict) or not required <= value.keys():
        return False
    return all(_fits(value[k], s) for k, s in spec.items() if k in value)


def _damage(data: dict) -> str:
    """What is wrong with the content of a node-link dict, or ``""``. A damaged index is dropped, not an error."""
    nodes, edges, meta = data["nodes"], data["edges"], data["graph"]
    if not isinstance(nodes, list) or not isinstance(edges, list):
        return "'nodes' and 'edges' must be lists"
    if not _fits(meta, _GRAPH):
        return "the graph's own attributes are of the wrong kind"
    ids = set()
    for number, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("id"), str):
            return f"node {number} has no text id"
        if not _fits(node, _NODE):
            return f"node {node['id']!r} has an attribute of the wrong kind"
        ids.add(node["id"])
    for number, edge in enumerate(edges):
        if not isinstance(edge, dict) or edge.get("source") not in ids or edge.get("target") not in ids:
            return f"edge {number} does not join two nodes of the file"
        if not _fits(edge, _EDGE):
            return f"edge {number} has an attribute of the wrong kind"
    index = meta.get("index")
    if index is not None and (not _fits(index, _INDEX) or not _index_ids(index) <= ids):
        del meta["index"]  # derived data: recomputed from the graph when first needed (graph.index.explore_index)
    return ""


def _index_ids(index: dict) -> set[str]:
    ids = set(index.get("hubs", [])) | {b["id"] for b in index.get("bridges", [])}
    ids.update(m for members in index.get("components", []) for m in members)
    ids.update(m for c in index.get("communities", []) for m in c["members"])
    ids.update(m for p in index.get("pipelines", []) for m in p["members"])
    return ids


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
    except (KeyError, TypeError, ValueError, AttributeError, nx.NetworkXError) as err:
        raise GraphFileError(f"{source}: damaged graph file ({err}); rebuild it with 'notes-graph build'") from None


def export_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write *graph* as GraphML (for Gephi, yEd). Lists and dicts become JSON strings."""
    flat = nx.MultiDiGraph()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items() if not k.startswith("_")})
    for node, attrs in graph.nodes(data=True):
        flat.add_node(_flat(node), **{k: _flat(v) for k, v in attrs.items()})
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(_flat(u), _flat(v), key=_flat(key), **{k: _flat(val) for k, val in attrs.items()})
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
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return _xml_text(value)
    return value


# Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF). A note with
# U+FFFE in it made a GraphML file that no XML reader opens; they become U+FFFD, the replacement character.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


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
