"""Syllabus coverage: each syllabus entry covered, mentioned only, or missing in the notes.

*Covered* means the topic is explained (a section of its own that holds
something, or a definition found in the notes); *mentioned* means it is
named somewhere. A syllabus entry that names a product family (``AWS Snow
Family``) is covered when the family or one of its members is covered, and
mentioned when any member is named. Any other syllabus entry counts as
mentioned when only a part of it is named (``Amazon CloudWatch Logs`` names
``Amazon CloudWatch``), but never as covered through a part. Names a
syllabus lists that the service catalog does not know are matched against
topic names only (:func:`graph.names.loose_key`).

>>> from graph.sources.syllabus import parse_syllabus
>>> from graph.store.build import build_notes
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "notes.md").write_text("# Amazon SQS\\n\\nAmazon SQS is a message queue.\\n")
>>> graph = build_notes(folder).graph
>>> coverage = syllabus_coverage(graph, parse_syllabus("## Queues\\nAmazon SQS\\nAmazon SNS\\n", "mine"))
>>> [(item.name, item.status) for item in coverage.items]
[('Amazon SQS', 'covered'), ('Amazon SNS', 'missing')]
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.gaps.base import GapContext, GapKind, Step, _first
from graph.gaps.common import Place, _explained, _explained_places, _mention_places, _node_by_name
from graph.model import service_key
from graph.names import loose_key
from graph.sources.catalog import Catalog, load_catalog
from graph.sources.syllabus import Syllabus

__all__ = [
    "COVERED",
    "MENTIONED",
    "MISSING",
    "CategoryCoverage",
    "Coverage",
    "CoverageItem",
    "CoverageKind",
    "syllabus_coverage",
]

COVERED, MENTIONED, MISSING = "covered", "mentioned", "missing"


@dataclass(frozen=True)
class CoverageItem:
    """How well the notes cover one syllabus entry.

    ``status`` is ``"covered"``, ``"mentioned"`` or ``"missing"``; ``node``
    and ``label`` name the topic that decided it (``via`` is set when that is
    a member or part of the entry rather than the entry itself); ``places``
    are its sections and definition (covered) or the first mentions
    (mentioned), and ``mention_count`` counts all mentions.
    """

    name: str
    category: str
    line: int
    catalog_id: str | None
    status: str
    node: str | None = None
    label: str = ""
    via: str = ""
    mention_count: int = 0
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class CategoryCoverage:
    """Counts and percentages (of ``total``, one decimal) for one category or overall."""

    category: str
    total: int
    covered: int
    mentioned: int
    missing: int
    covered_percent: float
    mentioned_percent: float
    missing_percent: float


@dataclass(frozen=True)
class Coverage:
    """A syllabus checked against the notes: every entry, per category (syllabus order), overall.

    ``overall`` counts each service once even when the syllabus lists it
    under two categories. ``issues`` are the syllabus file's problems as
    ``name:line: level: message`` lines, the file named without its folder
    (a page must not show where the server keeps its files).
    """

    syllabus: str
    title: str
    source: str
    items: tuple[CoverageItem, ...]
    categories: tuple[CategoryCoverage, ...]
    overall: CategoryCoverage
    issues: tuple[str, ...] = ()


def syllabus_coverage(graph: nx.MultiDiGraph, syllabus: Syllabus, catalog: Catalog | None = None) -> Coverage:
    """Check every entry of *syllabus* against the notes in *graph*.

    Parameters
    ----------
    graph : MultiDiGraph
        A graph from :func:`graph.store.build.build_graph` (or loaded from a graph file).
    syllabus : Syllabus
        From :func:`graph.sources.syllabus.load_syllabus`.
    catalog : Catalog, optional
        Says which entries are product families (default: the bundled catalog).

    Returns
    -------
    Coverage
        Items in syllabus order; per-category counts in syllabus order; the
        overall counts with each service counted once. See the module notes
        for when an entry is covered, mentioned or missing.
    """
    catalog = catalog or load_catalog()
    parts: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("parent"):
            parts.setdefault(data["parent"], []).append(node)
    items = [_cover_entry(graph, entry, catalog, parts) for entry in syllabus.entries]
    categories = tuple(
        _count(category, [item for item in items if item.category == category]) for category in syllabus.categories
    )
    unique = {(f"catalog:{i.catalog_id}" if i.catalog_id else f"name:{loose_key(i.name)}"): i for i in items}
    return Coverage(
        syllabus=syllabus.name,
        title=syllabus.title,
        source=syllabus.source,
        items=tuple(items),
        categories=categories,
        overall=_count("overall", list(unique.values())),
        issues=tuple(f"{_file_name(i.file)}:{i.line}: {i.level}: {i.message}" for i in syllabus.issues),
    )


class CoverageKind(GapKind):
    """Syllabus services the notes never name or only name in passing (:func:`syllabus_coverage`).

    Not checked without a syllabus. It runs first: the other kinds mark and rank
    the topics it finds in the syllabus (:attr:`GapContext.syllabus_nodes`).
    """

    name = "coverage"
    title = "Syllabus coverage"

    def skip(self, context: GapContext) -> str | None:
        if context.syllabus is None:
            return "no syllabus given, so coverage of an exam's services was not checked"
        return None

    def find(self, graph: nx.MultiDiGraph, context: GapContext) -> Coverage:
        return syllabus_coverage(graph, context.syllabus, context.catalog)

    def steps(self, found: Coverage, context: GapContext) -> list[Step]:
        """Study what the syllabus has that the notes never name (weakest category first), then explain what
        they only name in passing (most named first)."""
        steps = []
        missing = [i for i in found.items if i.status == MISSING]
        if missing:
            worst = max(
                (c for c in found.categories if c.missing),
                key=lambda c: (c.missing_percent, c.missing, c.category),
            )
            in_worst = [i.name for i in missing if i.category == worst.category]
            count = len({i.catalog_id or i.name for i in missing})
            steps.append(
                Step(
                    "syllabus",
                    f"Study the {count} {found.syllabus} service(s) your notes never name, starting with "
                    f"{worst.category} ({worst.covered} of {worst.total} covered): {_first(in_worst)}",
                )
            )
        mentioned = sorted(
            {(i.catalog_id or i.name): i for i in found.items if i.status == MENTIONED}.values(),
            key=lambda i: (-i.mention_count, i.name),
        )
        if mentioned:
            steps.append(
                Step(
                    "syllabus",
                    f"Explain the {len(mentioned)} {found.syllabus} service(s) you only name in passing: "
                    + _first([f"{i.via or i.label} ({i.mention_count} place(s))" for i in mentioned]),
                )
            )
        return steps


def _cover_entry(graph: nx.MultiDiGraph, entry, catalog: Catalog, parts: dict[str, list[str]]) -> CoverageItem:
    base = {"name": entry.name, "category": entry.category, "line": entry.line, "catalog_id": entry.catalog_id}
    if entry.catalog_id is None:
        node = _node_by_name(graph, entry.name)
    else:
        node = service_key(entry.catalog_id)
        node = node if node in graph else None
    own = graph.nodes[node] if node is not None else None
    is_family = entry.catalog_id in catalog.entries and catalog.get(entry.catalog_id).kind == "family"
    # Members and parts, most mentioned first, so "via" names the one the notes use most.
    members = sorted(parts.get(entry.catalog_id or "", []), key=lambda n: (-graph.nodes[n].get("mention_count", 0), n))
    status = _status(own)
    if status == COVERED:
        return _item(base, COVERED, node, own, "")
    if is_family:
        covered = [m for m in members if _status(graph.nodes[m]) == COVERED]
        if covered:
            return _item(base, COVERED, covered[0], graph.nodes[covered[0]], graph.nodes[covered[0]]["label"])
    if status == MENTIONED:
        return _item(base, MENTIONED, node, own, "")
    named = [m for m in members if _status(graph.nodes[m]) != MISSING]
    if named:
        return _item(base, MENTIONED, named[0], graph.nodes[named[0]], graph.nodes[named[0]]["label"])
    return CoverageItem(**base, status=MISSING)


def _item(base: dict, status: str, node: str | None, data: dict | None, via: str) -> CoverageItem:
    data = data or {}
    places = _explained_places(data) if status == COVERED else _mention_places(data)
    return CoverageItem(
        **base,
        status=status,
        node=node,
        label=data.get("label", ""),
        via=via,
        mention_count=int(data.get("mention_count", 0)),
        places=places,
    )


def _status(data: dict | None) -> str:
    if data is None:
        return MISSING
    if _explained(data):
        return COVERED
    return MENTIONED if data.get("mention_count", 0) > 0 else MISSING


def _count(category: str, items: list[CoverageItem]) -> CategoryCoverage:
    total = len(items)
    counts = {s: sum(1 for i in items if i.status == s) for s in (COVERED, MENTIONED, MISSING)}
    return CategoryCoverage(
        category=category,
        total=total,
        covered=counts[COVERED],
        mentioned=counts[MENTIONED],
        missing=counts[MISSING],
        covered_percent=_percent(counts[COVERED], total),
        mentioned_percent=_percent(counts[MENTIONED], total),
        missing_percent=_percent(counts[MISSING], total),
    )


def _file_name(path: str) -> str:
    """The last part of *path*, either kind of slash."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _percent(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0
