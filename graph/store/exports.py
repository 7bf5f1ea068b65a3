"""The graph as files other programs open, and as downloadable bytes with safe file names.

Formats (:data:`FORMATS`; ``notes-graph export --format FORMAT -o OUT`` or :func:`export_graph`):

``json``
    the graph file :func:`graph.store.graphfile.save_graph` writes (node-link JSON), readable by
    ``notes-graph ... -g FILE``.
``graphml``
    GraphML for yEd, Gephi or Cytoscape, from :func:`graph.store.graphfile.export_graphml`.
``gexf``
    GEXF 1.2 for Gephi (:func:`export_gexf`): labels as GEXF labels, edge labels and ``networkx_key`` the
    relation, ``weight`` the edge weight.
``neo4j``
    a folder (:func:`export_neo4j`) with ``nodes.csv``, ``relationships.csv`` and ``load.cypher``, a script of
    ``LOAD CSV`` statements: every topic a ``:Topic`` node with its ``id`` and a label for its type
    (``:Service``, ``:Concept``, ``:UseCase``, ``:Technology``), every relation a relationship of its name in
    capitals (``:PART_OF``, ``:RELATED_TO`` ...) with ``weight``, ``stated`` and ``count``.

In all but ``json``, lists and dicts (aliases, files, evidence) are JSON text and characters XML cannot hold
become U+FFFD (:func:`graph.store.graphfile.flat_graph`). Files are written beside their target and renamed
over it, so a failed export leaves an earlier one as it was. For example::

    notes-graph export -g notes.graph.json --format gexf -o notes.gexf
    notes-graph export -g notes.graph.json --format neo4j -o neo4j-import

    export_graph(graph, "notes.gexf", "gexf")       # Gephi: File > Open
    export_graph(graph, "neo4j-import", "neo4j")    # copy the two CSVs into Neo4j's import folder, then
                                                    # cypher-shell -u neo4j -f neo4j-import/load.cypher

:func:`graph_json_bytes`, :func:`graphml_bytes` and :func:`gexf_bytes` are the same files as bytes, for
downloads; :func:`download_name` makes a file name from a topic id with nothing in it a file system or a
browser could take for a path.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from graph.model import ENTITY_TYPES, RELATIONS
from graph.store.graphfile import atomic_write, export_graphml, flat_graph, graph_to_json, save_graph

__all__ = [
    "FORMATS",
    "NEO4J_FILES",
    "NEO4J_NODE_COLUMNS",
    "NEO4J_RELATIONSHIP_COLUMNS",
    "download_name",
    "export_gexf",
    "export_graph",
    "export_neo4j",
    "gexf_bytes",
    "graph_json_bytes",
    "graphml_bytes",
    "neo4j_files",
]

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


# --- GEXF ---------------------------------------------------------------------------------------------------------

# Attribute names NetworkX's GEXF writer takes for GEXF's own fields (element id, time spans, drawing, the
# multigraph key) rather than writing them as attributes. None is in the documented graph, but a graph file may
# carry more attributes than the documented ones: such an attribute is written under the name plus "_".
_GEXF_NODE_FIELDS = frozenset({"id", "pid", "start", "end", "viz", "parents", "spells", "slices"})
_GEXF_EDGE_FIELDS = frozenset({"id", "label", "type", "start", "end", "viz", "spells", "slices", "networkx_key"})
#: GEXF's "long": a wider int is written as text.
_LONG = range(-(2**63), 2**63)


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """*graph* as GEXF 1.2 (UTF-8), for Gephi: what :func:`export_gexf` writes."""
    flat = flat_graph(graph)
    flat.graph.clear()  # GEXF has no graph attributes; the writer would read "mode" or "name" as its own
    nodes = [_renamed(attrs, _GEXF_NODE_FIELDS) for _, attrs in flat.nodes(data=True)]
    edges = []
    for *_, key, attrs in flat.edges(keys=True, data=True):
        attrs = _renamed(attrs, _GEXF_EDGE_FIELDS)
        attrs["label"] = attrs.get("relation", key)  # shown on the edge in Gephi
        edges.append(attrs)
    _one_type_per_attribute(nodes)
    _one_type_per_attribute(edges)
    out = io.BytesIO()
    nx.write_gexf(flat, out, encoding="utf-8")
    return out.getvalue()


def export_gexf(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write *graph* as GEXF (for Gephi) to *path*, atomically. Returns the path.

    Node ids and labels are the graph's; each edge's GEXF id is a number, its ``networkx_key`` attribute the
    relation (NetworkX's ``read_gexf`` makes it the key again) and its label the relation too.
    """
    target = Path(path)
    atomic_write(target, gexf_bytes(graph))
    return target


def _renamed(attrs: dict, reserved: frozenset[str]) -> dict:
    """*attrs* (changed in place) with every key in *reserved* renamed to the key plus ``_``."""
    for key in reserved & attrs.keys():
        attrs[key + "_"] = attrs.pop(key)
    return attrs


def _one_type_per_attribute(items: list[dict]) -> None:
    """Give each attribute one GEXF type across *items* (node or edge attribute dicts, changed in place).

    GEXF declares a type per attribute and NetworkX declares the type of the first value it meets: an ``int``
    then a ``float`` would make a file whose float no reader parses as the declared integer. Ints and floats
    together become floats; any other mix, and values GEXF has no type for, become text.
    """
    kinds: dict[str, set] = {}
    for attrs in items:
        for key, value in attrs.items():
            kinds.setdefault(key, set()).add(_gexf_kind(value))
    for key, found in kinds.items():
        if len(found) == 1 and None not in found:
            continue
        cast: Callable = float if found == {int, float} else str
        for attrs in items:
            if key in attrs:
                attrs[key] = cast(attrs[key])


def _gexf_kind(value) -> type | None:
    kind = type(value)
    if kind in (str, bool, float) or (kind is int and value in _LONG):
        return kind
    return None


# --- Neo4j --------------------------------------------------------------------------------------------------------

NEO4J_NODES, NEO4J_RELATIONSHIPS, NEO4J_SCRIPT = "nodes.csv", "relationships.csv", "load.cypher"
#: The files of a Neo4j export folder.
NEO4J_FILES = (NEO4J_NODES, NEO4J_RELATIONSHIPS, NEO4J_SCRIPT)
#: Columns of nodes.csv (lists such as aliases and files are JSON text).
NEO4J_NODE_COLUMNS = ("id", "label", "type", "full_name", "aliases", "definition", "mention_count", "files")
#: Columns of relationships.csv; ``stated`` is ``true`` or ``false``.
NEO4J_RELATIONSHIP_COLUMNS = ("source", "target", "relation", "weight", "stated", "count")
#: The only names written into the Cypher script as types and labels (they come from graph.model).
_CYPHER_NAME = re.compile(r"^[a-z_]+$")
_NODE_PROPERTIES = (
    "n.label = row.label, n.type = row.type, n.full_name = row.full_name, n.aliases = row.aliases, "
    "n.definition = row.definition, n.mention_count = toInteger(row.mention_count), n.files = row.files"
)
_RELATIONSHIP_PROPERTIES = (
    "r.weight = toFloat(row.weight), r.stated = (row.stated = 'true'), r.count = toInteger(row.count)"
)


def neo4j_files(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """The files of a Neo4j export, by name (:data:`NEO4J_FILES`): two CSVs and the script that loads them.

    The CSVs are written by the :mod:`csv` module (quoted where a value has a comma, quote or line break). The
    script names only the entity types and relations present whose names are plain lower-case words; no text
    from the notes is ever part of it: every value reaches Neo4j as a CSV field.

    Neo4j's LOAD CSV reads a backslash before a double quote as an escaped quote by default
    (``dbms.import.csv.legacy_quote_escaping``), where the CSV standard has none. The JSON lists are written
    without one (``\\u0022`` for a quote); text that has one itself is read right only with that setting
    false, and the script says so when there is some.
    """
    flat = flat_graph(graph)
    node_rows = []
    for node, attrs in flat.nodes(data=True):
        row = {"id": node, **{column: _csv_value(attrs.get(column)) for column in NEO4J_NODE_COLUMNS[1:]}}
        for column in _JSON_COLUMNS:
            row[column] = _no_backslash_quote(row[column])
        node_rows.append(row)
    edge_rows = [
        {
            "source": u,
            "target": v,
            **{column: _csv_value(attrs.get(column)) for column in NEO4J_RELATIONSHIP_COLUMNS[2:]},
            "relation": attrs.get("relation", key),
        }
        for u, v, key, attrs in flat.edges(keys=True, data=True)
    ]
    nodes_csv = _csv_bytes(NEO4J_NODE_COLUMNS, node_rows)
    relationships_csv = _csv_bytes(NEO4J_RELATIONSHIP_COLUMNS, edge_rows)
    script = _load_script(
        types=_present({row["type"] for row in node_rows}, ENTITY_TYPES),
        relations=_present({row["relation"] for row in edge_rows}, tuple(RELATIONS)),
        nodes=len(node_rows),
        edges=len(edge_rows),
        backslash_quote=b'\\"' in nodes_csv or b'\\"' in relationships_csv,
    )
    return {NEO4J_NODES: nodes_csv, NEO4J_RELATIONSHIPS: relationships_csv, NEO4J_SCRIPT: script.encode("utf-8")}


def export_neo4j(graph: nx.MultiDiGraph, folder: str | os.PathLike[str]) -> Path:
    """Write the Neo4j import files of *graph* (see :func:`neo4j_files`) into *folder*. Returns the folder.

    The folder is made if need be; other files in it are left alone. Every file is written in full beside its
    target before any is renamed over an earlier one, so a failed export leaves an earlier one whole.
    """
    target = Path(folder)
    _write_files(target, neo4j_files(graph))
    return target


#: The columns of nodes.csv that hold JSON text (lists of the graph, made JSON by flat_graph).
_JSON_COLUMNS = ("aliases", "files")
#: An escaped quote or backslash in JSON text (every backslash of JSON text begins an escape: pairs, in order).
_JSON_ESCAPE = re.compile(r'\\(["\\])')


def _no_backslash_quote(json_text):
    """The same JSON with ``\\"`` and ``\\\\`` written ``\\u0022`` and ``\\u005c``: no backslash before a quote."""
    if not isinstance(json_text, str):
        return json_text
    return _JSON_ESCAPE.sub(lambda m: "\\u0022" if m[1] == '"' else "\\u005c", json_text)


def _csv_value(value) -> str | int | float:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _csv_bytes(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    text = io.StringIO(newline="")
    # The default line ending "\r\n" makes the writer quote a value with a lone "\r" as well as one with "\n".
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def _present(names: set[str], known: tuple[str, ...]) -> list[str]:
    """*names* in the order of *known*, then any others sorted."""
    return [name for name in known if name in names] + sorted(names - set(known))


def _label(entity_type: str) -> str:
    """The Neo4j label of an entity type (``use_case`` -> ``UseCase``), or ``""`` if its name is not plain."""
    if not _CYPHER_NAME.match(entity_type):
        return ""
    return "".join(part.capitalize() for part in entity_type.split("_"))


def _load_script(types: list[str], relations: list[str], nodes: int, edges: int, backslash_quote: bool) -> str:
    """The Cypher script loading nodes of *types* and relationships of *relations*.

    Cypher takes neither labels nor relationship types as parameters, so they are written into the script:
    only names that match :data:`_CYPHER_NAME` are (others are left out here, whatever the caller passed),
    always between backticks. Nodes of any other type are loaded as plain ``:Topic`` nodes; relationships of
    any other relation stay in the CSV only, and the script says how many there are.
    """
    types = [name for name in types if _label(name)]
    plain = [name for name in relations if _CYPHER_NAME.match(name)]
    lines = [
        f"// Notes Graph for Neo4j: {nodes} topics ({NEO4J_NODES}), {edges} relations ({NEO4J_RELATIONSHIPS}).",
        f"// Copy {NEO4J_NODES} and {NEO4J_RELATIONSHIPS} into the database's import folder, then run this file:",
        f"//   cypher-shell -u neo4j -f {NEO4J_SCRIPT}",
        "// Lists (aliases, files) are JSON text; empty values are not set. Running it again changes nothing.",
    ]
    if backslash_quote:
        lines += [
            "// Some values have a backslash before a double quote: Neo4j reads them as written only with",
            "// dbms.import.csv.legacy_quote_escaping=false in neo4j.conf (by default it escapes the quote).",
        ]
    lines += [
        "",
        "CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE;",
    ]
    for entity_type in types:
        lines += [
            "",
            f"// {entity_type} topics",
            f"LOAD CSV WITH HEADERS FROM 'file:///{NEO4J_NODES}' AS row",
            f"WITH row WHERE row.type = '{entity_type}'",
            "MERGE (n:Topic {id: row.id})",
            f"SET n:`{_label(entity_type)}`, {_NODE_PROPERTIES};",
        ]
    quoted = ", ".join(f"'{entity_type}'" for entity_type in types)
    lines += [
        "",
        "// topics of any other type: :Topic only",
        f"LOAD CSV WITH HEADERS FROM 'file:///{NEO4J_NODES}' AS row",
        f"WITH row WHERE NOT row.type IN [{quoted}]",
        "MERGE (n:Topic {id: row.id})",
        f"SET {_NODE_PROPERTIES};",
    ]
    if len(plain) < len(relations):
        skipped = len(relations) - len(plain)
        lines += [
            "",
            f"// {skipped} relation name(s) not plain lower-case words: in {NEO4J_RELATIONSHIPS}, not loaded.",
        ]
    for relation in plain:
        what = RELATIONS.get(relation, "")
        lines += [
            "",
            f"// {relation}" + (f": {what}" if what else ""),
            f"LOAD CSV WITH HEADERS FROM 'file:///{NEO4J_RELATIONSHIPS}' AS row",
            f"WITH row WHERE row.relation = '{relation}'",
            "MATCH (a:Topic {id: row.source}), (b:Topic {id: row.target})",
            f"MERGE (a)-[r:`{relation.upper()}`]->(b)",
            f"SET {_RELATIONSHIP_PROPERTIES};",
        ]
    return "\n".join(lines) + "\n"


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write *files* ({name: content}) into *folder*: all beside their targets first, then each renamed over its
    target, so that a failure (a full disk, a name taken by a folder) replaces none of them.

    Files get the usual permissions (0666 less the umask), not the 0600 of a temporary file: the Neo4j server
    often runs as another user who must read them.
    """
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "exists and is not a folder", str(folder))
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[Path, Path] = {}
    try:
        for name, payload in files.items():
            tmp = folder / f".{name}.{secrets.token_hex(6)}.tmp"
            handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            written[tmp] = folder / name
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
        for target in written.values():
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, f"{target.name} in it is a folder", str(target))
        for tmp, target in written.items():
            os.replace(tmp, target)
    except BaseException:
        for tmp in written:
            if tmp.exists():
                tmp.unlink()
        if made and not any(folder.iterdir()):
            folder.rmdir()
        raise


# --- every format -------------------------------------------------------------------------------------------------

_WRITERS: dict[str, Callable[[nx.MultiDiGraph, str | os.PathLike[str]], Path]] = {
    "json": save_graph,
    "graphml": export_graphml,
    "gexf": export_gexf,
    "neo4j": export_neo4j,
}
#: Every export format, by name.
FORMATS = tuple(_WRITERS)


def export_graph(graph: nx.MultiDiGraph, path: str | os.PathLike[str], fmt: str) -> Path:
    """Write *graph* to *path* in format *fmt* (one of :data:`FORMATS`; ``neo4j`` writes a folder)."""
    try:
        writer = _WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return writer(graph, path)
