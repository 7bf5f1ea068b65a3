"""The neighbourhood of a topic: what is around it, how far, and why.

:func:`neighborhood` walks out from one node breadth-first, ignoring edge
direction, up to three steps. Every topic found comes with its distance and
the links (relation, kind, weight, evidence) that tie it to the topics one
step closer. Filters restrict the graph that is walked: only some topic
types, only some relations, a least weight, stated relations only, and the
most connected hubs left out (a hub like S3 otherwise swallows every view).
A limit keeps the closest and most strongly tied topics and counts the rest.

The walk reads the graph's adjacency directly and builds no new graph, so a
depth-2 neighbourhood on a 50,000-node graph takes milliseconds; the hubs to
hide come from the index stored at build time (:mod:`graph.index`).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

import networkx as nx

from graph.index import (
    Link,
    QueryError,
    Topic,
    check_relations,
    check_types,
    explore_index,
    link,
    link_strength,
    topic,
)

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
    filters used.
    """

    center: Topic
    depth: int
    neighbors: list[Neighbor]
    left_out: dict[int, int]
    hidden_hubs: list[Topic]
    filters: dict


def check_depth(depth: int) -> int:
    """*depth* if it is 1, 2 or 3; else :class:`~graph.index.QueryError`."""
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
        A graph from :func:`graph.build.build_graph`.
    node : str
        The centre's node id (see :func:`graph.find.find_node` for names).
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
    chosen_relations = check_relations(relations)
    if min_weight < 0 or hide_hubs < 0 or (limit is not None and limit < 1):
        raise QueryError("min-weight and hide-hubs must not be negative, and a limit must be 1 or more")
    hubs = explore_index(graph).hubs[: hide_hubs + 1] if hide_hubs else []
    hidden = [hub for hub in hubs if hub != node][:hide_hubs]
    blocked = set(hidden)

    def follow(data: dict) -> bool:
        return (
            (chosen_relations is None or data["relation"] in chosen_relations)
            and float(data.get("weight", 1.0)) >= min_weight
            and (not stated_only or bool(data.get("stated")))
        )

    attrs = graph._node  # read directly, as NetworkX's own algorithms do: no view object per lookup

    def admit(other: str) -> bool:
        return other not in blocked and (chosen_types is None or attrs[other].get("type") in chosen_types)

    distance = {node: 0}
    strength: dict[str, float] = {}
    frontier = [node]
    for step in range(1, depth + 1):
        found: list[str] = []
        for u in frontier:
            # Adjacency read directly (as NetworkX's own algorithms do): no view objects per step.
            for other, by_key in chain(graph._succ[u].items(), graph._pred[u].items()):
                seen = distance.get(other)
                if (seen is not None and seen < step) or not admit(other):
                    continue
                tie = sum(link_strength(d) for d in by_key.values() if follow(d))
                if not tie:
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
    # With a limit, only the kept ones need sorting (a hub's two steps can reach half the graph).
    kept = sorted(found_all, key=order) if limit is None else heapq.nsmallest(limit, found_all, key=order)
    cut = Counter(distance[n] for n in found_all)
    cut.subtract(distance[n] for n in kept)
    left_out = {d: count for d, count in sorted(cut.items()) if count}
    kept_set = set(kept) | {node}
    neighbors = [
        Neighbor(
            topic(graph, n),
            distance[n],
            round(strength[n], 3),
            _links_back(graph, n, distance, kept_set, follow),
        )
        for n in kept
    ]
    filters = {
        "types": sorted(chosen_types) if chosen_types else None,
        "relations": sorted(chosen_relations) if chosen_relations else None,
        "min_weight": min_weight,
        "stated_only": stated_only,
        "hide_hubs": hide_hubs,
        "limit": limit,
    }
    return Neighborhood(topic(graph, node), depth, neighbors, left_out, [topic(graph, h) for h in hidden], filters)


def _links_back(graph: nx.MultiDiGraph, node: str, distance: dict, kept: set, follow) -> list[Link]:
    """The followed links between *node* and kept topics one step closer to the centre, strongest first."""
    closer = distance[node] - 1
    links = []
    for u, v, by_key in chain(
        ((node, other, ks) for other, ks in graph._succ[node].items()),
        ((other, node, ks) for other, ks in graph._pred[node].items()),
    ):
        other = v if u == node else u
        if other in kept and distance.get(other) == closer:
            links.extend((u, v, data) for data in by_key.values() if follow(data))
    links.sort(key=lambda e: (-link_strength(e[2]), e[2]["relation"], e[0], e[1]))
    return [link(u, v, data) for u, v, data in links]
