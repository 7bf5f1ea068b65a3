"""Coverage gaps: what a learner's notes leave out, explain thinly, or leave unfinished.

Each kind of gap has one function that takes the built graph (and, for the
syllabus, a :class:`~graph.sources.syllabus.Syllabus`) and returns plain dataclasses
with the evidence behind every item (file and line):

- :func:`syllabus_coverage`: each syllabus entry **covered**, **mentioned**
  only, or **missing**, per category and overall;
- :func:`unexplained_entities`: topics the notes lean on but never explain;
- :func:`unfinished_notes`: placeholders, to-dos, empty links and sections;
- :func:`thin_topics`: explained services with no use case, no relation
  beyond co-occurrence, or only a one-line section;
- :func:`structural_gaps`: big topic clusters barely linked to each other,
  each with a bridging question;
- :func:`duplicated_coverage`: topics explained in more than one section.

:func:`gap_report` runs them all and orders the result by what to do first.

Rules
-----
*Explained* (covered) means the topic has a section of its own (a heading
about it, with text or sub-sections under it: an empty heading is unfinished,
not an explanation) or a definition found in the notes; *mentioned* means it
is named somewhere. A syllabus entry that names a product family (``AWS Snow Family``)
is covered when the family or one of its members is covered, and mentioned
when any member is named. Any other syllabus entry counts as mentioned when
only a part of it is named (``Amazon CloudWatch Logs`` names
``Amazon CloudWatch``), but never as covered through a part. Names a syllabus
lists that the service catalog does not know are matched against topic names
only.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache

import networkx as nx

from graph.model import INFERRED, SERVICE, USE_CASE, service_key
from graph.names import loose_key
from graph.sources.catalog import Catalog, load_catalog
from graph.sources.syllabus import Syllabus
from graph.store.communities import Community, undirected_view
from graph.store.index import cached, explore_index

__all__ = [
    "CategoryCoverage",
    "ClusterSummary",
    "Coverage",
    "CoverageItem",
    "DuplicatedTopic",
    "GapReport",
    "Place",
    "Step",
    "StructuralGap",
    "ThinTopic",
    "UnexplainedTopic",
    "UnfinishedSpot",
    "duplicated_coverage",
    "gap_report",
    "structural_gaps",
    "syllabus_coverage",
    "thin_topics",
    "unexplained_entities",
    "unfinished_notes",
]

COVERED, MENTIONED, MISSING = "covered", "mentioned", "missing"
#: Thin-topic reasons.
NO_USE_CASE = "no use case"
ONLY_COOCCURRENCE = "no relation beyond co-occurrence"
ONE_LINE_SECTION = "one-line section"
#: Evidence file of the part_of edges the build adds from the catalog (not read in the notes).
CATALOG_EVIDENCE = "(service catalog)"
#: How many places are kept per item (counts stay exact).
MAX_PLACES = 5
#: Blank and rule lines a section may span beyond its text and still have no sub-sections.
_SECTION_SLACK = 3
#: What may stand between two names in a heading that is about both ("DMS + SCT", "Athena, Glue and S3").
_JOINER = re.compile(r"[\s+&,/]*(?:\b(?:and|or)\b[\s+&,/]*)?", re.IGNORECASE)


# --- data ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A place in the notes: file, 1-based line, and the text there (a sentence or a heading)."""

    file: str
    line: int
    text: str = ""

    def cite(self) -> str:
        return f"{self.file}:{self.line}"


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
    ``file:line: level: message`` lines.
    """

    syllabus: str
    title: str
    source: str
    items: tuple[CoverageItem, ...]
    categories: tuple[CategoryCoverage, ...]
    overall: CategoryCoverage
    issues: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnexplainedTopic:
    """A topic named in several places but never explained.

    ``neighbours`` is how many topics it is linked to; ``score`` is
    ``sqrt(mention_count * (1 + neighbours))``, so both how often and how
    centrally it is used count.
    """

    node: str
    label: str
    type: str
    mention_count: int
    neighbours: int
    files: int
    score: float
    in_syllabus: bool = False
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class UnfinishedSpot:
    """Something left unfinished at one line; ``kinds`` are ``"empty link"``, ``"to do"``, ``"empty section"``.

    A heading such as "Screenshots To Be Added" over nothing is both a to-do
    and an empty section: one spot with two kinds.
    """

    kinds: tuple[str, ...]
    file: str
    line: int
    text: str
    section: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThinTopic:
    """An explained service that is explained thinly; ``reasons`` lists why, ``places`` where it is explained."""

    node: str
    label: str
    reasons: tuple[str, ...]
    mention_count: int
    in_syllabus: bool = False
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class ClusterSummary:
    """A topic cluster: its id, size and its most central members (labels, most central first)."""

    id: int
    size: int
    central: tuple[str, ...]


@dataclass(frozen=True)
class StructuralGap:
    """Two substantial clusters barely linked to each other.

    ``links`` counts linked topic pairs between them (``examples`` shows a
    few as ``"A - B"``); ``score`` is ``sqrt(size1 * size2) / (1 + links)``;
    ``question`` is a bridging question built from a template.
    """

    first: ClusterSummary
    second: ClusterSummary
    links: int
    score: float
    question: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class DuplicatedTopic:
    """A topic explained in more than one section of its own; ``places`` gives each section's heading."""

    node: str
    label: str
    places: tuple[Place, ...]
    content_lines: tuple[int, ...]


@dataclass(frozen=True)
class Step:
    """One line of the to-do list at the top of the report; ``kind`` names the gap kind it comes from."""

    kind: str
    text: str


@dataclass
class GapReport:
    """Every kind of gap, and the steps to take first.

    ``coverage`` is None without a syllabus; ``notes`` says what could not
    be checked (e.g. a graph file saved without placeholders).
    """

    files: list[str]
    coverage: Coverage | None
    steps: list[Step] = field(default_factory=list)
    unexplained: list[UnexplainedTopic] = field(default_factory=list)
    unfinished: list[UnfinishedSpot] = field(default_factory=list)
    thin: list[ThinTopic] = field(default_factory=list)
    structural: list[StructuralGap] = field(default_factory=list)
    duplicates: list[DuplicatedTopic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-ready data (tuples become lists)."""
        return asdict(self)


# --- helpers -------------------------------------------------------------------------------------------------------


def _explained(data: dict) -> bool:
    return bool(_explaining_sections(data)) or bool(data.get("definition"))


def _explaining_sections(data: dict) -> list[dict]:
    """The topic's own sections that hold something: an empty heading explains nothing (it is unfinished)."""
    return [s for s in data.get("sections", []) if int(s.get("content_lines", 0)) > 0 or _has_subsections(s)]


def _has_subsections(section: dict) -> bool:
    # A section spans its sub-sections too, so a span longer than its own text plus some blank lines holds more.
    content = int(section.get("content_lines", 0))
    return int(section["end_line"]) - int(section["start_line"]) > content + _SECTION_SLACK


def _percent(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _mention_places(data: dict, limit: int = MAX_PLACES) -> tuple[Place, ...]:
    return tuple(Place(m["file"], int(m["line"]), m.get("text", "")) for m in data.get("mentions", [])[:limit])


def _explained_places(data: dict) -> tuple[Place, ...]:
    places = [Place(s["file"], int(s["start_line"]), s["title"]) for s in _explaining_sections(data)]
    evidence = data.get("definition_evidence")
    if data.get("definition") and evidence:
        places.append(Place(evidence["file"], int(evidence["line"]), data["definition"]))
    # A heading's tagline is the same place as the heading: keep the first of each place, in order.
    unique: dict[tuple[str, int], Place] = {}
    for place in places:
        unique.setdefault((place.file, place.line), place)
    return tuple(unique.values())[:MAX_PLACES]


def _status(data: dict | None) -> str:
    if data is None:
        return MISSING
    if _explained(data):
        return COVERED
    return MENTIONED if data.get("mention_count", 0) > 0 else MISSING


def _from_catalog_only(edge: dict) -> bool:
    evidence = edge.get("evidence") or []
    return bool(evidence) and all(e.get("file") == CATALOG_EVIDENCE for e in evidence)


# --- 1. syllabus coverage ------------------------------------------------------------------------------------------


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
        issues=tuple(str(issue) for issue in syllabus.issues),
    )


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


def _node_by_name(graph: nx.MultiDiGraph, name: str) -> str | None:
    """The topic a name outside the catalog refers to: same name as a label or alias, whole or either side of
    parentheses (the most mentioned topic if several)."""
    forms = {loose_key(f) for f in (name, re.sub(r"\s*\([^()]*\)", "", name), *re.findall(r"\(([^()]*)\)", name))}
    forms.discard("")
    found = [
        node
        for node, data in graph.nodes(data=True)
        if forms & {loose_key(n) for n in (data.get("label", ""), *data.get("aliases", []), *data.get("names", []))}
    ]
    return max(found, key=lambda n: (graph.nodes[n].get("mention_count", 0), n), default=None)



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


# --- 2. mentioned but never explained ------------------------------------------------------------------------------


def unexplained_entities(
    graph: nx.MultiDiGraph, min_mentions: int = 2, syllabus_nodes: frozenset[str] | set[str] = frozenset()
) -> list[UnexplainedTopic]:
    """Topics named in at least *min_mentions* places with no section or definition of their own.

    Use cases are left out (they say what something is for; they are not
    things to define).

    Parameters
    ----------
    graph : MultiDiGraph
    min_mentions : int, default 2
        Fewer mentions than this is a passing remark, not something the notes lean on.
    syllabus_nodes : set of str, optional
        Node ids a syllabus lists; these are marked and ranked first.

    Returns
    -------
    list of UnexplainedTopic
        Syllabus topics first, then services (named AWS products, which an
        exam asks about), then other topics; each group by ``score`` (see
        :class:`UnexplainedTopic`), highest first.
    """
    simple = _undirected(graph)
    found = []
    for node, data in graph.nodes(data=True):
        mentions = int(data.get("mention_count", 0))
        if _explained(data) or data.get("type") == USE_CASE or mentions < min_mentions:
            continue
        neighbours = simple.degree(node) if node in simple else 0
        found.append(
            UnexplainedTopic(
                node=node,
                label=data.get("label", node),
                type=data.get("type", ""),
                mention_count=mentions,
                neighbours=neighbours,
                files=len(data.get("files", [])),
                score=round(math.sqrt(mentions * (1 + neighbours)), 2),
                in_syllabus=node in syllabus_nodes,
                places=_mention_places(data),
            )
        )
    found.sort(key=lambda t: (not t.in_syllabus, t.type != SERVICE, -t.score, t.label.casefold(), t.node))
    return found


# --- 3. unfinished notes -------------------------------------------------------------------------------------------


def unfinished_notes(graph: nx.MultiDiGraph) -> list[UnfinishedSpot] | None:
    """Placeholders the author left: to-dos, empty links (``[Screenshot](#)``) and empty sections.

    Reads ``graph.graph["placeholders"]`` (written by the build). Returns the
    spots ordered by file and line, or None when the graph carries no
    placeholder data (a graph file saved by an older version).
    """
    raw = graph.graph.get("placeholders")
    if raw is None:
        return None
    merged: dict[tuple[str, int], dict] = {}
    for p in raw:
        spot = merged.setdefault((p["file"], int(p["line"])), {"kinds": [], "text": "", "section": ()})
        if p["kind"] not in spot["kinds"]:
            spot["kinds"].append(p["kind"])
        spot["text"] = spot["text"] or p.get("text", "")
        spot["section"] = spot["section"] or tuple(p.get("section", ()))
    return [
        UnfinishedSpot(tuple(sorted(v["kinds"])), file, line, v["text"], v["section"])
        for (file, line), v in sorted(merged.items())
    ]


# --- 4. thin topics ------------------------------------------------------------------------------------------------


def thin_topics(graph: nx.MultiDiGraph, syllabus_nodes: frozenset[str] | set[str] = frozenset()) -> list[ThinTopic]:
    """Explained services that are explained thinly.

    Only services with a section or definition are checked (one that is
    merely named is an :func:`unexplained_entities` matter). Reasons:

    - ``"no use case"``: no ``used_for`` relation;
    - ``"no relation beyond co-occurrence"``: every relation read in the
      notes is the inferred ``related_to`` (part_of links taken from the
      service catalog do not count);
    - ``"one-line section"``: it has sections of its own, and none has more
      than one line of text or any sub-section.

    Returns
    -------
    list of ThinTopic
        Syllabus topics first, then most reasons, then most mentioned.
    """
    found = []
    for node, data in graph.nodes(data=True):
        if data.get("type") != SERVICE or not _explained(data):
            continue
        edges = [*graph.out_edges(node, data=True), *graph.in_edges(node, data=True)]
        reasons = []
        if not any(e["relation"] == "used_for" for _, _, e in edges):
            reasons.append(NO_USE_CASE)
        if not any(e["relation"] != INFERRED and not _from_catalog_only(e) for _, _, e in edges):
            reasons.append(ONLY_COOCCURRENCE)
        sections = _explaining_sections(data)
        if sections and all(_one_line(s) for s in sections):
            reasons.append(ONE_LINE_SECTION)
        if reasons:
            found.append(
                ThinTopic(
                    node=node,
                    label=data.get("label", node),
                    reasons=tuple(reasons),
                    mention_count=int(data.get("mention_count", 0)),
                    in_syllabus=node in syllabus_nodes,
                    places=_explained_places(data),
                )
            )
    found.sort(key=lambda t: (not t.in_syllabus, -len(t.reasons), -t.mention_count, t.label.casefold(), t.node))
    return found


def _one_line(section: dict) -> bool:
    return int(section.get("content_lines", 0)) <= 1 and not _has_subsections(section)


# --- 5. structural gaps --------------------------------------------------------------------------------------------


def structural_gaps(
    graph: nx.MultiDiGraph, min_size: int | None = None, limit: int = 10, central: int = 3
) -> list[StructuralGap]:
    """Pairs of substantial topic clusters that are barely linked to each other.

    Clusters are :func:`graph.store.communities.detect_communities`, as the graph's index keeps them. A pair is
    reported when both clusters have at least *min_size* topics and at
    most one link between them per four topics of the smaller cluster. Pairs
    are ranked by ``sqrt(size1 * size2) / (1 + links)``: big clusters with
    few links first (InfraNodus only looks at the 3rd and 4th largest).

    Parameters
    ----------
    graph : MultiDiGraph
    min_size : int, optional
        Smallest cluster that counts; default ``max(4, ceil(3% of topics))``.
    limit : int, default 10
        Most pairs returned.
    central : int, default 3
        How many central members name a cluster.

    Returns
    -------
    list of StructuralGap
        Each with a bridging question: it compares the most central service
        (else topic) of each cluster, around a topic linked to both when there
        is one.
    """
    if graph.number_of_nodes() == 0:
        return []
    if min_size is None:
        min_size = max(4, math.ceil(0.03 * graph.number_of_nodes()))
    simple = _undirected(graph)
    # The index stored at build time holds the same communities (same seed); computing them again took 0.5 s.
    clusters = [
        Community(c["id"], tuple(c["members"]), c["name"])
        for c in explore_index(graph).communities
        if len(c["members"]) >= min_size
    ]
    where = {node: c.id for c in clusters for node in c.members}
    between: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for u, v in simple.edges():
        cu, cv = where.get(u), where.get(v)
        if cu is not None and cv is not None and cu != cv:
            pair = (min(cu, cv), max(cu, cv))
            between.setdefault(pair, []).append((u, v) if cu < cv else (v, u))
    label = lambda n: graph.nodes[n].get("label", n)  # noqa: E731
    gaps = []
    for first, second in itertools.combinations(clusters, 2):
        links = sorted(between.get((first.id, second.id), []))
        if len(links) * 4 > min(len(first.members), len(second.members)):
            continue
        score = math.sqrt(len(first.members) * len(second.members)) / (1 + len(links))
        gaps.append(
            StructuralGap(
                first=ClusterSummary(first.id, len(first.members), tuple(label(n) for n in first.members[:central])),
                second=ClusterSummary(
                    second.id, len(second.members), tuple(label(n) for n in second.members[:central])
                ),
                links=len(links),
                score=round(score, 2),
                question=_bridging_question(graph, simple, first.members, second.members),
                examples=tuple(f"{label(a)} - {label(b)}" for a, b in links[:3]),
            )
        )
    gaps.sort(key=lambda g: (-g.score, g.first.id, g.second.id))
    return gaps[:limit]


def _undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """:func:`graph.store.communities.undirected_view` of *graph*, made once per graph for the report's parts."""
    return cached(graph, "_undirected_view", undirected_view)


def _bridging_question(
    graph: nx.MultiDiGraph, simple: nx.Graph, first: tuple[str, ...], second: tuple[str, ...]
) -> str:
    """A question whose answer links the two clusters, from a template (no model, offline).

    It compares the most central service (else topic) of each cluster around
    a theme linked to both; when they share none, around a topic linked into
    both clusters, comparing the most central member of each linked to it.
    """
    a, b = _representative(graph, first), _representative(graph, second)
    theme = _theme(graph, simple, set(simple[a]) & set(simple[b]) - {a, b})
    if not theme:
        # A topic with links into both clusters (it may belong to one of them): the bridge the notes already hint at.
        near_first = set().union(*(simple[m] for m in first))
        near_second = set().union(*(simple[m] for m in second))
        theme = _theme(graph, simple, near_first & near_second)
        if theme:
            a = _representative(graph, [m for m in first if m != theme and m in simple[theme]])
            b = _representative(graph, [m for m in second if m != theme and m in simple[theme]])
    label_a, label_b = graph.nodes[a]["label"], graph.nodes[b]["label"]
    services = graph.nodes[a].get("type") == SERVICE, graph.nodes[b].get("type") == SERVICE
    if theme and all(services):
        return f"How do {label_a} and {label_b} differ for {graph.nodes[theme]['label']}?"
    if theme:
        return f"How do {label_a} and {label_b} each relate to {graph.nodes[theme]['label']}?"
    if all(services):
        return f"How could {label_a} and {label_b} work together in one solution?"
    if any(services):
        service, other = (label_a, label_b) if services[0] else (label_b, label_a)
        return f"How does {other} apply to {service}?"
    return f"How does {label_a} relate to {label_b}?"


def _representative(graph: nx.MultiDiGraph, members) -> str:
    """The first service among *members* (most central first), else the first member."""
    return next((n for n in members if graph.nodes[n].get("type") == SERVICE), members[0])


def _theme(graph: nx.MultiDiGraph, simple: nx.Graph, candidates: set[str]) -> str | None:
    """The best theme among *candidates*: a use case before a concept or technology, then the most linked."""
    ranked = sorted(
        (n for n in candidates if graph.nodes[n].get("type") != SERVICE),
        key=lambda n: (graph.nodes[n].get("type") != USE_CASE, -simple.degree(n, weight="weight"), n),
    )
    return ranked[0] if ranked else None


# --- 6. duplicated coverage ----------------------------------------------------------------------------------------


def duplicated_coverage(graph: nx.MultiDiGraph) -> list[DuplicatedTopic]:
    """Topics explained in two or more separate places, so the author can merge them.

    A place is a section of the topic's own, or a run of them one right
    after the other in the same file (nothing but blank lines between them) ("Route 53 Overview" then "Route 53
    Routing Policies" is one place, split by aspect). A section counts for a
    topic only when its heading is mainly about it: a heading that names
    another service first ("Athena = SQL Over S3") is about that one, unless
    the names are just joined ("DMS + SCT"). Nested
    sections about the same topic are already one section (see the build).

    Returns
    -------
    list of DuplicatedTopic
        Most places first, then by label. Each place is the first heading of
        its run; ``content_lines`` sums the run's lines of text.
    """
    service_names = {node: _names(data) for node, data in graph.nodes(data=True) if data.get("type") == SERVICE}
    named_in = _services_named_in(service_names)
    headings = _known_headings(graph)
    found = []
    for node, data in graph.nodes(data=True):
        sections = _explaining_sections(data)
        if len(sections) < 2:
            continue
        own = _names(data)
        main = [s for s in sections if not _named_after_another(s["title"], own, node, named_in)]
        runs: list[list[dict]] = []
        for section in sorted(main, key=lambda s: (s["file"], int(s["start_line"]))):
            last = runs[-1][-1] if runs else None
            if last and last["file"] == section["file"] and _next_to(last, section, headings.get(section["file"], [])):
                runs[-1].append(section)
            else:
                runs.append([section])
        if len(runs) >= 2:
            found.append(
                DuplicatedTopic(
                    node=node,
                    label=data.get("label", node),
                    places=tuple(Place(r[0]["file"], int(r[0]["start_line"]), r[0]["title"]) for r in runs),
                    content_lines=tuple(sum(int(s.get("content_lines", 0)) for s in r) for r in runs),
                )
            )
    found.sort(key=lambda d: (-len(d.places), d.label.casefold(), d.node))
    return found


def _known_headings(graph: nx.MultiDiGraph) -> dict[str, list[int]]:
    """Start lines of every heading the graph knows of, per file: topics' own sections and empty sections."""
    found: dict[str, set[int]] = {}
    for _, data in graph.nodes(data=True):
        for section in data.get("sections", []):
            found.setdefault(section["file"], set()).add(int(section["start_line"]))
    for spot in graph.graph.get("placeholders") or []:
        if spot.get("kind") == "empty section":
            found.setdefault(spot["file"], set()).add(int(spot["line"]))
    return {file: sorted(lines) for file, lines in found.items()}


def _next_to(before: dict, after: dict, headings: list[int]) -> bool:
    """True when *after* follows *before* with only blank lines or rules, and no known heading, between them."""
    end, start = int(before["end_line"]), int(after["start_line"])
    return start - end <= 1 + _SECTION_SLACK and not any(end < line < start for line in headings)


def _names(data: dict) -> list[str]:
    return [n for n in {data.get("label", ""), *data.get("aliases", []), *data.get("names", [])} if n]


def _first_match(title: str, names: list[str]) -> tuple[int, int] | None:
    best = None
    folded = title.casefold()
    for name in names:
        if name.casefold() not in folded:
            continue  # the cheap test first: most names are not in most titles
        match = _name_pattern(name).search(title)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match.end())
    return best


@lru_cache(maxsize=65536)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A compiled whole-word pattern for *name* (compiling one per title and name was most of the report's time)."""
    return re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])", re.IGNORECASE)


def _services_named_in(service_names: dict[str, list[str]]) -> Callable[[str], dict[str, tuple[int, int]]]:
    """A function from a heading to ``{service: its first match}`` for every service the heading names.

    The same as :func:`_first_match` per service, but each distinct heading is matched once, and only against
    the names that share their rarest few letters with it (:func:`_by_rare_gram`): each of a 10,000-note
    graph's 25,000 sections used to try all 2,100 names of the other services, 6.5 s of the report.
    """
    named = [(name.casefold(), name, service) for service, names in service_names.items() for name in names]
    candidates = _by_rare_gram(named)

    @cache
    def named_in(title: str) -> dict[str, tuple[int, int]]:
        folded = title.casefold()
        pieces = {folded[at : at + size] for size in range(1, _GRAM + 1) for at in range(len(folded))}
        maybe = {i for piece in pieces for i in candidates.get(piece, ())}
        found: dict[str, tuple[int, int]] = {}
        for i in sorted(maybe):  # in the order of the names, as _first_match tries them
            folded_name, name, service = named[i]
            if folded_name not in folded:
                continue
            match = _name_pattern(name).search(title)
            if match and (service not in found or match.start() < found[service][0]):
                found[service] = (match.start(), match.end())
        return found

    return named_in


#: Letters in the key of a name's bucket (:func:`_by_rare_gram`); shorter names are their own key.
_GRAM = 4


def _by_rare_gram(named: list[tuple[str, str, str]]) -> dict[str, list[int]]:
    """Positions in *named* by one of their folded name's substrings of :data:`_GRAM` letters, the one fewest
    names share ("amaz" is in hundreds, " sqs" in one). A name can be in a heading only if that key is too."""

    def grams(text: str) -> set[str]:
        return {text[at : at + _GRAM] for at in range(max(1, len(text) - _GRAM + 1))}

    share = Counter(gram for folded_name, _, _ in named for gram in grams(folded_name))
    buckets: dict[str, list[int]] = {}
    for i, (folded_name, _, _) in enumerate(named):
        key = min(grams(folded_name), key=lambda gram: (share[gram], gram))
        buckets.setdefault(key, []).append(i)
    return buckets


def _named_after_another(title: str, own: list[str], node: str, named_in) -> bool:
    """True when *title* names another service than *node* before *node*'s own name (and not just joined)."""
    mine = _first_match(title, own)
    if mine is None:
        return False
    for other, (_, end) in named_in(title).items():
        if other != node and end <= mine[0] and not _JOINER.fullmatch(title[end : mine[0]]):
            return True
    return False


# --- the report ----------------------------------------------------------------------------------------------------


def gap_report(
    graph: nx.MultiDiGraph,
    syllabus: Syllabus | None = None,
    catalog: Catalog | None = None,
    min_mentions: int = 2,
    min_cluster: int | None = None,
    max_structural: int = 5,
) -> GapReport:
    """Every kind of gap in *graph*, with the steps to take first.

    Parameters
    ----------
    graph : MultiDiGraph
    syllabus : Syllabus, optional
        Check coverage against it; without one, the report has no coverage part.
    catalog : Catalog, optional
        For :func:`syllabus_coverage`.
    min_mentions : int, default 2
        For :func:`unexplained_entities`.
    min_cluster : int, optional
        Smallest cluster for :func:`structural_gaps`.
    max_structural : int, default 5
        Most structural gaps listed.

    Returns
    -------
    GapReport
        ``steps`` is ordered by what to do first: study what the syllabus
        has that the notes lack, explain what the notes name but never
        explain, finish placeholders, deepen thin topics, bridge clusters,
        merge duplicates.
    """
    coverage = syllabus_coverage(graph, syllabus, catalog) if syllabus is not None else None
    in_syllabus = frozenset(i.node for i in coverage.items if i.node and not i.via) if coverage else frozenset()
    unfinished = unfinished_notes(graph)
    report = GapReport(
        files=list(graph.graph.get("files", [])),
        coverage=coverage,
        unexplained=unexplained_entities(graph, min_mentions, in_syllabus),
        unfinished=unfinished or [],
        thin=thin_topics(graph, in_syllabus),
        structural=structural_gaps(graph, min_cluster, max_structural),
        duplicates=duplicated_coverage(graph),
    )
    if unfinished is None:
        report.notes.append("this graph file has no placeholder data; rebuild it to list unfinished notes")
    if syllabus is None:
        report.notes.append("no syllabus given, so coverage of an exam's services was not checked")
    report.steps = _steps(report)
    return report


def _first(names: list[str], count: int = 3) -> str:
    shown = ", ".join(names[:count])
    return shown + (f" and {len(names) - count} more" if len(names) > count else "")


def _steps(report: GapReport) -> list[Step]:
    steps = []
    coverage = report.coverage
    if coverage is not None:
        missing = [i for i in coverage.items if i.status == MISSING]
        if missing:
            worst = max(
                (c for c in coverage.categories if c.missing),
                key=lambda c: (c.missing_percent, c.missing, c.category),
            )
            in_worst = [i.name for i in missing if i.category == worst.category]
            count = len({i.catalog_id or i.name for i in missing})
            steps.append(
                Step(
                    "syllabus",
                    f"Study the {count} {coverage.syllabus} service(s) your notes never name, starting with "
                    f"{worst.category} ({worst.covered} of {worst.total} covered): {_first(in_worst)}",
                )
            )
        mentioned = sorted(
            {(i.catalog_id or i.name): i for i in coverage.items if i.status == MENTIONED}.values(),
            key=lambda i: (-i.mention_count, i.name),
        )
        if mentioned:
            steps.append(
                Step(
                    "syllabus",
                    f"Explain the {len(mentioned)} {coverage.syllabus} service(s) you only name in passing: "
                    + _first([f"{i.via or i.label} ({i.mention_count} place(s))" for i in mentioned]),
                )
            )
    lean = [t for t in report.unexplained if not t.in_syllabus]
    if lean:
        steps.append(
            Step(
                "unexplained",
                f"Explain {len(lean)} topic(s) the notes lean on without explaining: "
                + _first([f"{t.label} ({t.mention_count} places)" for t in lean]),
            )
        )
    if report.unfinished:
        files = sorted({s.file for s in report.unfinished})
        first = report.unfinished[0]
        steps.append(
            Step(
                "unfinished",
                f"Finish {len(report.unfinished)} unfinished spot(s) in {_first(files)}, "
                f"first at {first.file}:{first.line} ({', '.join(first.kinds)})",
            )
        )
    if report.thin:
        steps.append(
            Step(
                "thin",
                f"Deepen {len(report.thin)} thinly explained service(s), starting with "
                + _first([f"{t.label} ({'; '.join(t.reasons)})" for t in report.thin], 2),
            )
        )
    if report.structural:
        steps.append(Step("structural", f"Connect separate topic clusters; answer: {report.structural[0].question}"))
    if report.duplicates:
        steps.append(
            Step(
                "duplicates",
                f"Merge {len(report.duplicates)} topic(s) explained in more than one place: "
                + _first([f"{d.label} ({', '.join(p.cite() for p in d.places)})" for d in report.duplicates]),
            )
        )
    return steps
