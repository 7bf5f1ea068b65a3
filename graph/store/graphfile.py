"""Save and load the graph file (node-link JSON) and export GraphML.

The JSON file is NetworkX's node-link format (``nodes``/``edges`` lists,
``directed``/``multigraph`` flags, ``graph`` attributes) with the attributes
documented in the README, plus one ``evidence`` list: every distinct evidence
item once, which nodes' ``mentions`` and ``definition_evidence`` and edges'
``evidence`` refer to by position. Writes are atomic: the file is written
beside the target and renamed over it, so a failed run never damages an
earlier file.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import sys
import tempfile
from itertools import chain
from operator import itemgetter, methodcaller
from pathlib import Path

import networkx as nx

from graph.store.gcfreeze import FreeableMultiDiGraph, collector_paused

__all__ = [
    "DEFAULT_GRAPH",
    "MAX_GRAPH_BYTES",
    "SCHEMA_VERSION",
    "GraphFileError",
    "atomic_write",
    "export_graphml",
    "flat_graph",
    "graph_from_json",
    "graph_to_json",
    "load_graph",
    "save_graph",
]

#: Version of the graph file layout; bump when node or edge attributes change meaning.
SCHEMA_VERSION = 2
#: The largest graph file read (512 MiB): a graph of 100,000 notes, the most a build reads, is about 330 MB.
MAX_GRAPH_BYTES = 512 * 1024 * 1024
#: Written in the current folder unless told otherwise.
DEFAULT_GRAPH = Path("notes.graph.json")


class GraphFileError(Exception):
    """The graph file is missing, unreadable, not a graph, or from another version."""


def graph_to_json(graph: nx.MultiDiGraph) -> dict:
    """The node-link dict of *graph* (what :func:`save_graph` writes), evidence items moved to ``evidence``.

    *graph* is not changed: node_link_data gives new attribute dicts, whose evidence lists are replaced.
    """
    data = nx.node_link_data(graph, edges="edges")
    # Keys starting with "_" are in-memory indexes (see graph.query.find), never written.
    data["graph"] = {k: v for k, v in graph.graph.items() if not k.startswith("_")}
    data["evidence"] = _move_evidence(data)
    return data


def _move_evidence(data: dict) -> list:
    """Replace the evidence items of a node-link dict's nodes and edges by positions in the list returned.

    Items of the documented shape are written once however many nodes and edges cite them: one line naming
    five services is evidence for ten co-occurrence edges and five mentions. The 10,000-note graph file shrinks
    from 61 to 33 MB, and parsing it, the bulk of loading, takes half as long.
    """
    items: list = []
    where: dict[tuple, int] = {}
    met: dict[int, int] = {}  # id of an item of the documented shape -> its position (a built graph shares items)

    def ref(item) -> int:
        position = met.get(id(item))
        if position is not None:
            return position
        key = _evidence_key(item)
        position = where.get(key) if key is not None else None
        if position is None:
            position = len(items)
            items.append(item)
            if key is not None:
                where[key] = position
        if key is not None:
            met[id(item)] = position
        return position

    for node in data["nodes"]:
        if isinstance(node.get("mentions"), (list, tuple)):
            node["mentions"] = list(map(ref, node["mentions"]))
        if node.get("definition_evidence") is not None:
            node["definition_evidence"] = ref(node["definition_evidence"])
    for edge in data["edges"]:
        if isinstance(edge.get("evidence"), (list, tuple)):
            edge["evidence"] = list(map(ref, edge["evidence"]))
    return items


def _evidence_key(item) -> tuple | None:
    """A hashable stand-in for an evidence item of exactly the documented shape, else None (never merged)."""
    if type(item) is not dict or len(item) != 4:
        return None
    file, line, section, text = item.get("file"), item.get("line"), item.get("section"), item.get("text")
    if not (type(file) is str and type(line) is int and type(text) is str and type(section) is list):
        return None
    if not all(type(heading) is str for heading in section):
        return None
    return file, line, text, *section


def graph_from_json(data: dict) -> nx.MultiDiGraph:
    """Rebuild the graph from a node-link dict, checking that it is a Notes Graph file of this version.

    Raises :class:`GraphFileError` (never another error) for anything that is not such a file. *data* is
    used up: its dicts become the graph's attribute dicts.
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
    return _to_graph(data)


def _to_graph(data: dict) -> nx.MultiDiGraph:
    """The MultiDiGraph of a checked node-link dict: what ``nx.node_link_graph(data, edges="edges")`` gives,
    made directed and keyed by relation whatever the file's flags say.

    The parsed dicts give the graph's attributes (``id``, ``source``, ``target`` and ``key`` taken out) through
    ``add_nodes_from``/``add_edges_from`` in one pass: node_link_graph copies every dict and goes through a view
    per edge, 0.3 s more on a 10,000-note graph. References to the file's ``evidence`` list become its items,
    shared by every node and edge that cites them (readers only read them).
    """
    graph = FreeableMultiDiGraph()  # frozen when loaded: must be on no reference cycle
    graph.graph = data["graph"]
    item = data.get("evidence", []).__getitem__

    def nodes():
        for attrs in data["nodes"]:
            node = attrs.pop("id")
            if "mentions" in attrs:
                attrs["mentions"] = list(map(item, attrs["mentions"]))
            if attrs.get("definition_evidence") is not None:
                attrs["definition_evidence"] = item(attrs["definition_evidence"])
            yield node, attrs

    def edges():
        for attrs in data["edges"]:
            u, v = attrs.pop("source"), attrs.pop("target")
            relation = attrs.setdefault("relation", "related_to")
            key = attrs.pop("key", relation)
            if "evidence" in attrs:
                attrs["evidence"] = list(map(item, attrs["evidence"]))
            yield u, v, key, attrs

    graph.add_nodes_from(nodes())
    graph.add_edges_from(edges())
    return graph


class _Some(dict):
    """A spec for an object whose keys may be missing but for *required* (a plain dict spec requires all)."""

    def __init__(self, spec: dict, required: tuple[str, ...] = ()) -> None:
        super().__init__(spec)
        self.required = frozenset(required)


# The attributes readers rely on, as documented in the README: a type, [item spec], {key: spec} (other keys are
# allowed) or a tuple of alternatives. A saved file is checked against them when it is loaded.
#: A finite number >= 0 (weights and betweenness): a weight of -1 made every path query divide by zero.
_NUMBER = "number"
_EVIDENCE = {"file": str, "line": int, "section": [str], "text": str}
#: A position in the file's ``evidence`` list (checked to be one after the shapes).
_REF = int
_NODE = _Some(
    {
        "id": str,
        "label": str,
        "type": str,
        "aliases": [str],
        "definition": str,
        "definition_evidence": (_REF, None),
        "mention_count": int,
        "mentions": [_REF],
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
        "evidence": [_REF],
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
        # An int past float's range is valid JSON but makes float(weight) raise in every reader.
        return (type(value) is float and math.isfinite(value) and value >= 0) or (
            type(value) is int and 0 <= value <= _FLOAT_MAX
        )
    if spec is str:
        return type(value) is str and _encodable([value])
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


_FLOAT_MAX = sys.float_info.max
_MISSING = object()


def _encodable(texts: list[str]) -> bool:
    """Whether *texts* are real text: a lone surrogate (valid as a JSON escape) cannot be printed or saved."""
    try:
        "".join(texts).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _all_fit(values: list, spec) -> bool:
    """True only if every item of *values* fits *spec* (as :func:`_fits` says); may raise for some that do not.

    Checks a whole column at a time (every evidence item's ``line``, then every ``file``...) with ``map`` and
    ``set``, whose loops run in C: the 200,000 evidence items of a 10,000-note graph take tens of
    milliseconds, where :func:`_fits` item by item took 0.6 s. Accepts only exact ``dict`` and ``list``, so
    an answer of False means "look item by item", not "damaged".
    """
    if spec is None or isinstance(spec, type):
        fits = set(map(type, values)) <= {type(None) if spec is None else spec}
        return fits and (spec is not str or _encodable(values))
    if spec is _NUMBER:
        # float() raises OverflowError for an int past float's range; NaN and infinities are not finite.
        return (
            set(map(type, values)) <= {int, float}
            and all(map(math.isfinite, map(float, values)))
            and min(values, default=0) >= 0
        )
    if isinstance(spec, tuple):
        return all(_fits(value, spec) for value in values)  # only small columns (one per node) have alternatives
    if isinstance(spec, list):
        return set(map(type, values)) <= {list} and _all_fit(list(chain.from_iterable(values)), spec[0])
    if not set(map(type, values)) <= {dict}:
        return False
    required = spec.required if isinstance(spec, _Some) else spec.keys()
    for key, item_spec in spec.items():
        try:
            column = list(map(itemgetter(key), values))
        except KeyError:
            if key in required:
                raise
            # Some lack this optional key (services have more attributes than terms): check those that have it.
            column = [value for value in map(methodcaller("get", key, _MISSING), values) if value is not _MISSING]
        if not _all_fit(column, item_spec):
            return False
    return True


def _damage(data: dict) -> str:
    """What is wrong with the content of a node-link dict, or ``""``. A damaged index is dropped, not an error."""
    nodes, edges, meta, evidence = data["nodes"], data["edges"], data["graph"], data.get("evidence", [])
    if not isinstance(nodes, list) or not isinstance(edges, list) or not isinstance(evidence, list):
        return "'nodes', 'edges' and 'evidence' must be lists"
    ids = _ids_if_sound(nodes, edges, meta, evidence)
    if ids is None:
        # Something does not fit (or is of an unusual kind): find the first culprit, item by item, to name it.
        if not _fits(meta, _GRAPH):
            return "the graph's own attributes are of the wrong kind"
        for number, item in enumerate(evidence):
            if not _fits(item, _EVIDENCE):
                return f"evidence item {number} is not a {{file, line, section, text}} object"
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
    missing = _missing_evidence(nodes, edges, len(evidence))
    if missing is not None:
        return f"evidence item {missing} is cited but the file has {len(evidence)}"
    index = meta.get("index")
    if index is not None and (not _every_fits([index], _INDEX) or not _index_ids(index) <= ids):
        del meta["index"]  # derived data: recomputed from the graph when first needed (graph.store.index.explore_index)
    return ""


def _every_fits(values: list, spec) -> bool:
    """Whether every item of *values* fits *spec*: column by column, item by item when that is not sure."""
    try:
        if _all_fit(values, spec):
            return True
    except (KeyError, TypeError, OverflowError):
        pass
    return all(_fits(value, spec) for value in values)


def _ids_if_sound(nodes: list, edges: list, meta, evidence: list) -> set[str] | None:
    """The node ids if the whole file fits the specs (checked column by column), else None."""
    try:
        if not (
            _all_fit([meta], _GRAPH)
            and _all_fit(evidence, _EVIDENCE)
            and _all_fit(nodes, _NODE)
            and _all_fit(edges, _EDGE)
        ):
            return None
        ids = set(map(itemgetter("id"), nodes))
        ends = set(map(itemgetter("source"), edges))
        ends.update(map(itemgetter("target"), edges))
    except (KeyError, TypeError, OverflowError):
        return None
    return ids if ends <= ids else None


def _missing_evidence(nodes: list, edges: list, count: int) -> int | None:
    """The first evidence reference that is not a position in a list of *count* items, or None (shapes checked)."""
    refs = [node["definition_evidence"] for node in nodes if node.get("definition_evidence") is not None]
    refs += chain.from_iterable(node.get("mentions", ()) for node in nodes)
    refs += chain.from_iterable(edge.get("evidence", ()) for edge in edges)
    if refs and (min(refs) < 0 or max(refs) >= count):  # -1 would quietly be the last item
        return next(ref for ref in refs if not 0 <= ref < count)
    return None


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
    atomic_write(target, payload.encode("utf-8"))
    return target


def load_graph(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a graph written by :func:`save_graph`; raises :class:`GraphFileError` with a clear message.

    Whatever the file holds (deep nesting, huge numbers, lone surrogates, wrong shapes), the answer is a graph
    or that error; a file over :data:`MAX_GRAPH_BYTES` is refused before it is read.
    """
    source = Path(path)
    try:
        size = source.stat().st_size
        if size > MAX_GRAPH_BYTES:
            raise GraphFileError(
                f"{source}: {size / 1e6:,.0f} MB is larger than a graph file can be ({MAX_GRAPH_BYTES / 1e6:,.0f} MB); "
                "is this the right file?"
            )
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GraphFileError(f"{source}: no graph file here; run 'notes-graph build' first") from None
    except (OSError, UnicodeDecodeError) as err:
        raise GraphFileError(f"{source}: cannot read graph file ({err})") from None
    try:
        with collector_paused():
            data = json.loads(text)
    except json.JSONDecodeError as err:
        raise GraphFileError(f"{source}: not valid JSON ({err}); rebuild it with 'notes-graph build'") from None
    except (ValueError, RecursionError) as err:  # numbers past Python's digit limit; nesting past the stack
        reason = "nested too deeply" if isinstance(err, RecursionError) else str(err).split(";")[0]
        raise GraphFileError(f"{source}: damaged graph file ({reason}); rebuild it with 'notes-graph build'") from None
    try:
        with collector_paused():
            return graph_from_json(data)
    except GraphFileError as err:
        raise GraphFileError(f"{source}: {err}") from None
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError, nx.NetworkXError) as err:
        raise GraphFileError(f"{source}: damaged graph file ({err}); rebuild it with 'notes-graph build'") from None


def export_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write *graph* as GraphML (for Gephi, yEd). Lists and dicts become JSON strings (see :func:`flat_graph`)."""
    flat = flat_graph(graph)
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


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of *graph* that any file format can hold, for the exports (GraphML, GEXF, Neo4j CSV).

    Node ids, edge keys and attribute values are made flat: lists, tuples and dicts become JSON text, None
    becomes ``""`` and characters XML 1.0 does not allow become U+FFFD; numbers and booleans stay as they are.
    Graph attributes starting with ``_`` (in-memory indexes) are left out. *graph* is not changed.
    """
    flat = nx.MultiDiGraph()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items() if not k.startswith("_")})
    for node, attrs in graph.nodes(data=True):
        flat.add_node(_flat(node), **{k: _flat(v) for k, v in attrs.items()})
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(_flat(u), _flat(v), key=_flat(key), **{k: _flat(val) for k, val in attrs.items()})
    return flat


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


def atomic_write(target: Path, payload: bytes) -> None:
    """Write *payload* to *target*: into a temporary file beside it, then renamed over it (folders made)."""
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    try:  # the file keeps the permissions of the one it replaces; a new one is readable by all, like any file
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = 0o644
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
