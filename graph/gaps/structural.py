"""Structural gaps: big topic clusters barely linked to each other, each with a bridging question.

Clusters are the communities the graph's index keeps (:func:`graph.store.communities.detect_communities`). Two
substantial clusters with few links between them are a gap in how the notes connect what they know; the
question asks for the link, from a template (no model, offline).

>>> from graph.store.build import build_notes
>>> from graph.sources.bundled import BUNDLED_NOTES
>>> gaps = structural_gaps(build_notes(BUNDLED_NOTES).graph, limit=1)
>>> gaps[0].question.startswith("How ")
True
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import networkx as nx

from graph.gaps.base import GapContext, GapKind, Step
from graph.gaps.common import _undirected
from graph.model import SERVICE, USE_CASE
from graph.store.communities import Community
from graph.store.index import explore_index

__all__ = ["ClusterSummary", "StructuralGap", "StructuralKind", "structural_gaps"]


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


class StructuralKind(GapKind):
    """Pairs of big clusters barely linked to each other (:func:`structural_gaps`)."""

    name = "structural"
    title = "Structural gaps"

    def find(self, graph: nx.MultiDiGraph, context: GapContext) -> list[StructuralGap]:
        return structural_gaps(graph, context.min_cluster, context.max_structural)

    def steps(self, found: list[StructuralGap], context: GapContext) -> list[Step]:
        """Answer the bridging question of the widest gap."""
        if not found:
            return []
        return [Step("structural", f"Connect separate topic clusters; answer: {found[0].question}")]


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
