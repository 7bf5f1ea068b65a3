"""The neighbourhood of a topic: what is around it, how far, and why.

:func:`neighborhood` walks out from one node breadth-first, ignoring edge
direction, up to three steps. Every topic found comes with its distance and
the links (relation, kind, weight, evidence) that tie it to the topics one
step closer. Filters restrict the graph that is walked: only some topic
types, only some relations, a least weight, stated relations only, and the
most connected hubs left out (a hub like S3 otherwise swallows every view).
A limit keeps the closest and most strongly tied topics and counts the rest.

The edge filters are one :class:`~graph.store.edges.EdgeFilter`, and the result
carries the edges it followed among the topics it kept (``edges``), so a view
draws exactly what the query walked. Without edge filters the walk reads
:func:`walk_steps`, each topic's neighbours with the strength of their ties
worked out once per loaded graph; with them it reads the graph's adjacency.
Either way it builds no new graph, so a depth-2 neighbourhood on a 50,000-node
graph takes milliseconds; the hubs to hide come from the index stored at build
time (:mod:`graph.store.index`).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import chain

import networkx as nx

from graph.query.results import Link, Topic, link, topic
from graph.store.adjacency import node_data, predecessors, successors
from graph.store.edges import EdgeFilter, QueryError, check_types, link_strength
from graph.store.index import cached, explore_index

__all__ = [
    "MAX_DEPTH",
    "MIN_DEPTH",
    "Neighbor",
    "Neighborhood",
    "check_depth",
    "neighborhood",
    "walk_steps",
    "with_topics",
]

#: Depths a neighbourhood query accepts.
MIN_DEPTH, MAX_DEPTH = 1, 3


@dataclass
class Neighbor:
    """A topic found around the centre: its ``distance`` in steps, how strongly it is tied to
    the topics one step closer (``strength``), and those ``links``, strongest first."""

    topic: Topic
    distance: int
    strength: float
    links: list[Link]


@dataclass
class Neighborhood:
    """The result of :func:`neighborhood`.

    ``neighbors`` are ordered by distance, then strength, then label.
    ``left_out`` counts, per distance, the topics the limit cut.
    ``hidden_hubs`` are the hubs left out of the walk. ``filters`` echoes the
    filters used. ``edges`` are the followed edges among the centre and the kept
    topics, as ``(source, target, relation)`` (the graph's edge keys), in the order
    of the topics.
    """

    center: Topic
    depth: int
    neighbors: list[Neighbor]
    left_out: dict[int, int]
    hidden_hubs: list[Topic]
    filters: dict
    edges: list[tuple[str, str, str]] = field(default_factory=list)


def check_depth(depth: int) -> int:
    """*depth* if it is 1, 2 or 3; else :class:`~graph.store.edges.QueryError`."""
    if not isinstance(depth, int) or not MIN_DEPTH <= depth <= MAX_DEPTH:
        raise QueryError(f"depth must be between {MIN_DEPTH} and {MAX_DEPTH} steps, not {depth}")
    return depth


def neighborhood(
    graph: nx.MultiDiGraph,
    node: str,
    depth: int = 1,
    types: Iterable[str] | None = None,
    relations: Iterable[str] | None = None,
    min_weight: float = 0.0,
    stated_only: bool = False,
    hide_hubs: int = 0,
    limit: int | None = None,
) -> Neighborhood:
    """The topics within *depth* steps of *node*, with how they connect.

    Parameters
    ----------
    graph : MultiDiGraph
        A graph from :func:`graph.store.build.build_graph`.
    node : str
        The centre's node id (see :func:`graph.query.find.find_node` for names).
    depth : int, default 1
        Steps to walk, 1 to 3; edge direction is ignored.
    types : iterable of str, optional
        Topic types to show and walk through (default all); the centre is always kept.
    relations : iterable of str, optional
        Relations to follow (default all).
    min_weight : float, default 0
        Follow only edges of at least this weight.
    stated_only : bool, default False
        Follow only relations the notes state (no co-occurrence, no catalog families).
    hide_hubs : int, default 0
        Leave out the *hide_hubs* most connected topics (never the centre).
    limit : int, optional
        Most topics to return: the closest first, then the most strongly tied.

    Returns
    -------
    Neighborhood

    Raises
    ------
    QueryError
        For a depth outside 1-3, an unknown type or relation, a negative weight or hub count.
    """
    check_depth(depth)
    chosen_types = check_types(types)
    if min_weight < 0 or hide_hubs < 0 or (limit is not None and limit < 1):
        raise QueryError("min-weight and hide-hubs must not be negative, and a limit must be 1 or more")
    edge_filter = EdgeFilter.of(relations, min_weight, stated_only)
    follow = edge_filter.follows
    hubs = explore_index(graph).hubs[: hide_hubs + 1] if hide_hubs else []
    hidden = [hub for hub in hubs if hub != node][:hide_hubs]
    blocked = set(hidden)
    attrs = node_data(graph)

    def admit(other: str) -> bool:
        return other not in blocked and (chosen_types is None or attrs[other].get("type") in chosen_types)

    everyone = not blocked and chosen_types is None  # then admit() is not called: ~9,000 steps at depth 2

    if edge_filter.follows_all:
        # Every edge of weight >= 0 is followed: the same ties for every such query, worked out once per graph.
        steps = walk_steps(graph)

        def ties(u: str) -> Iterable[tuple[str, float]]:
            return steps[u]
    else:

        def ties(u: str) -> Iterable[tuple[str, float]]:
            return _ties(graph, u, follow)

    distance = {node: 0}
    strength: dict[str, float] = {}
    frontier = [node]
    for step in range(1, depth + 1):
        found: list[str] = []
        for u in frontier:
            for other, tie in ties(u):
                seen = distance.get(other)
                if (seen is not None and seen < step) or not (everyone or admit(other)):
                    continue
                if seen is None:
                    distance[other] = step
                    strength[other] = 0.0
                    found.append(other)
                strength[other] += tie
        frontier = found

    def order(n: str) -> tuple:
        return (distance[n], -strength[n], attrs[n].get("label", n).casefold(), n)

    found_all = [n for n in distance if n != node]
    kept = _closest(found_all, distance, limit, order)
    cut = Counter(distance[n] for n in found_all)
    cut.subtract(distance[n] for n in kept)
    left_out = {d: count for d, count in sorted(cut.items()) if count}
    layers: dict[int, set[str]] = {0: {node}}
    for n in kept:
        layers.setdefault(distance[n], set()).add(n)
    neighbors = [
        Neighbor(
            topic(graph, n),
            distance[n],
            round(strength[n], 3),
            _links_back(graph, n, layers[distance[n] - 1], follow),
        )
        for n in kept
    ]
    filters = {
        "types": sorted(chosen_types) if chosen_types else None,
        "relations": sorted(edge_filter.relations) if edge_filter.relations else None,
        "min_weight": min_weight,
        "stated_only": stated_only,
        "hide_hubs": hide_hubs,
        "limit": limit,
    }
    edges = _edges_among(graph, [node, *kept], follow)
    hubs_hidden = [topic(graph, h) for h in hidden]
    return Neighborhood(topic(graph, node), depth, neighbors, left_out, hubs_hidden, filters, edges)


def with_topics(graph: nx.MultiDiGraph, hood: Neighborhood, nodes: Iterable[str]) -> Neighborhood:
    """*hood* with *nodes* added (a path's topics, a cluster's members), so a view can show them around the centre.

    Topics already there keep their place; each added one gets its distance
    from the centre (steps through any relation, or one more than the
    farthest topic when it is further or unreachable) and no links back.
    The relations between an added topic and any topic of the result are
    added to ``edges`` whatever the filters: they are what was asked to be
    shown. Unknown ids are ignored; *hood* itself is not changed.
    """
    center = hood.center.id
    order = [center, *(n.topic.id for n in hood.neighbors)]
    have = set(order)
    extra = [n for n in dict.fromkeys(nodes) if n in graph and n not in have]
    if not extra:
        return hood
    farthest = max([n.distance for n in hood.neighbors], default=0) + 1
    reach = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), center, cutoff=farthest)
    added = [Neighbor(topic(graph, n), min(reach.get(n, farthest), farthest), 0.0, []) for n in extra]
    kept = [*order, *extra]
    new = set(extra)
    edges = list(hood.edges) + [
        (u, v, key) for u, v, key in _edges_among(graph, kept, lambda data: True) if u in new or v in new
    ]
    return replace(hood, neighbors=[*hood.neighbors, *added], edges=edges)


def walk_steps(graph: nx.MultiDiGraph) -> dict[str, list[tuple[str, float]]]:
    """For each node, ``(neighbour, tie)`` pairs: the unfiltered ties :func:`neighborhood` walks (cached).

    One pair per neighbour and direction (out-edges first, then in-edges, in adjacency order), *tie* being
    :func:`~graph.store.edges.link_strength` summed over the relations of weight >= 0 that way; pairs whose tie is 0
    and self-loops are left out. Summed in the order a walk over the graph sums them, so both give the very
    same strengths. Kept in ``graph.graph`` like :func:`~graph.store.index.simple_view` (never saved).
    """
    return cached(graph, "_walk_steps", _make_walk_steps)


def _make_walk_steps(graph: nx.MultiDiGraph) -> dict[str, list[tuple[str, float]]]:
    def follow(data: dict) -> bool:
        return float(data.get("weight", 1.0)) >= 0

    return {u: [(other, tie) for other, tie in _ties(graph, u, follow) if other != u] for u in graph}


def _ties(graph: nx.MultiDiGraph, u: str, follow) -> Iterable[tuple[str, float]]:
    """``(neighbour, tie)`` for each out- then in-neighbour of *u* with a followed edge: the strength summed."""
    for other, by_key in chain(successors(graph)[u].items(), predecessors(graph)[u].items()):
        tie = sum(link_strength(d) for d in by_key.values() if follow(d))
        if tie:
            yield other, tie


def _closest(found: list[str], distance: dict[str, int], limit: int | None, order) -> list[str]:
    """The first *limit* (all without one) of *found* by *order*, which sorts by distance first.

    Ranks one distance at a time and only as far as the limit reaches: a hub's two steps can reach half the
    graph, while 50 topics usually fit in its first step.
    """
    if limit is None:
        return sorted(found, key=order)
    kept: list[str] = []
    for step in sorted({distance[n] for n in found}):
        room = limit - len(kept)
        if room <= 0:
            break
        layer = [n for n in found if distance[n] == step]
        kept += heapq.nsmallest(room, layer, key=order) if len(layer) > room else sorted(layer, key=order)
    return kept


def _edges_among(graph: nx.MultiDiGraph, nodes: list[str], follow) -> list[tuple[str, str, str]]:
    """The followed edges between two of *nodes* (self-loops left out), as ``(source, target, key)``."""
    kept, succ = set(nodes), successors(graph)
    return [
        (u, v, key)
        for u in nodes
        for v, by_key in succ[u].items()
        if v in kept and v != u
        for key, data in by_key.items()
        if follow(data)
    ]


def _links_back(graph: nx.MultiDiGraph, node: str, closer: set[str], follow) -> list[Link]:
    """The followed links between *node* and the kept topics one step closer to the centre (*closer*), strongest
    first."""
    succ, pred = successors(graph)[node], predecessors(graph)[node]
    if len(closer) < len(succ) + len(pred):
        # Look up the few kept topics rather than walk all of a hub's thousand neighbours.
        pairs = chain(
            ((node, other, succ[other]) for other in closer if other in succ),
            ((other, node, pred[other]) for other in closer if other in pred),
        )
    else:
        pairs = chain(
            ((node, other, ks) for other, ks in succ.items() if other in closer),
            ((other, node, ks) for other, ks in pred.items() if other in closer),
        )
    links = [(u, v, data) for u, v, by_key in pairs for data in by_key.values() if follow(data)]
    links.sort(key=lambda e: (-link_strength(e[2]), e[2]["relation"], e[0], e[1]))
    return [link(u, v, data) for u, v, data in links]
