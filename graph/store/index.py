"""What is worth computing once per graph: at build time (saved) or on first use (in memory).

* :func:`simple_view`, a simple undirected graph with one edge per connected
  pair, built once per loaded graph and kept by :func:`cached` in a ``_`` key
  of ``graph.graph`` (in memory only, never saved);

:func:`add_index` runs at the end of :func:`graph.store.build.build_graph` and
stores in ``graph.graph["index"]`` (saved in the graph file) what would cost
too much per query on a large graph: the most connected topics (hubs), the
connected components, the Leiden communities, the bridges (sampled
betweenness) and the pipelines (arrow chains). :func:`explore_index` reads it
back, or computes it in memory for a graph that has none (built by hand, or
saved before the index existed).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx

from graph.store.adjacency import successors, undirected_graph
from graph.store.communities import SEED, detect_communities, to_igraph
from graph.store.edges import FLOW_RELATIONS, edge_cost, link_strength

__all__ = [
    "BETWEENNESS_BUDGET",
    "INDEX_VERSION",
    "MAX_BRIDGES",
    "MAX_HUBS",
    "ExploreIndex",
    "add_index",
    "build_index",
    "cached",
    "explore_index",
    "simple_view",
]

#: Layout version of ``graph.graph["index"]``; an index of another version is recomputed in memory.
INDEX_VERSION = 1
#: How many of the most connected topics the index keeps, in order (for --hide-hubs and the overview).
MAX_HUBS = 200
#: How many bridges (highest betweenness) the index keeps.
MAX_BRIDGES = 50
#: Betweenness is exact while nodes x edges stays under this; above, sources are sampled to about as many edge visits.
BETWEENNESS_BUDGET = 300_000

T = TypeVar("T")


# --- plain data of query results -----------------------------------------------------------------------------------


# --- in-memory caches ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cached:
    owner: int
    nodes: int
    value: Any


def cached(graph: nx.Graph, key: str, make: Callable[[nx.Graph], T]) -> T:
    """``make(graph)``, computed once and kept in ``graph.graph[key]`` (a ``_`` key, never saved).

    The cache is recomputed for a copy of the graph or when its node count
    changed; a graph edited in place otherwise should drop its ``_`` keys.
    """
    entry = graph.graph.get(key)
    if isinstance(entry, _Cached) and entry.owner == id(graph) and entry.nodes == graph.number_of_nodes():
        return entry.value
    value = make(graph)
    graph.graph[key] = _Cached(id(graph), graph.number_of_nodes(), value)
    return value


def simple_view(graph: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per connected pair (cached), for paths and ranking.

    Each edge has ``cost`` (the cheapest :func:`edge_cost` over the pair's
    relations), ``stated`` (some relation between them is stated) and
    ``strength`` (:func:`link_strength` summed over the relations). Self-loops
    are left out.
    """
    return cached(graph, "_simple_view", _make_simple_view)


def _make_simple_view(graph: nx.MultiDiGraph) -> nx.Graph:
    pairs: dict[str, dict[str, dict]] = {node: {} for node in graph}
    for u, targets in successors(graph).items():
        for v, by_key in targets.items():
            if u == v:
                continue
            pair = pairs[u].get(v)
            if pair is None:
                pair = {"cost": float("inf"), "stated": False, "strength": 0.0}
                pairs[u][v] = pairs[v][u] = pair
            for data in by_key.values():
                pair["cost"] = min(pair["cost"], edge_cost(data))
                pair["stated"] = pair["stated"] or bool(data.get("stated"))
                pair["strength"] += link_strength(data)
    return undirected_graph(pairs)


# --- the stored index ---------------------------------------------------------------------------------------------


@dataclass
class ExploreIndex:
    """Precomputed structure of a graph (see :func:`build_index` for each part)."""

    hubs: list[str]
    components: list[list[str]]
    communities: list[dict]
    bridges: list[dict]
    betweenness_samples: int | None
    pipelines: list[dict]

    def component_of(self) -> dict[str, int]:
        return {node: i for i, members in enumerate(self.components) for node in members}

    def community_of(self) -> dict[str, int]:
        return {node: c["id"] for c in self.communities for node in c["members"]}


def build_index(graph: nx.MultiDiGraph) -> dict:
    """The exploration index of *graph*, as plain data for ``graph.graph["index"]``.

    Returns a dict with

    * ``version`` and ``nodes`` (to tell a stale index);
    * ``hubs``: up to :data:`MAX_HUBS` node ids, most distinct neighbours first;
    * ``components``: connected components (ignoring direction), largest
      first, each a list of ids, most connected first;
    * ``communities``: :func:`graph.store.communities.detect_communities` as
      ``{id, name, members}`` (fixed seed, so the same notes give the same clusters);
    * ``bridges``: up to :data:`MAX_BRIDGES` ``{id, betweenness}``, highest
      first (unweighted, normalised betweenness; sampled with
      ``betweenness_samples`` sources on large graphs, else exact and ``None``);
    * ``pipelines``: each arrow chain or flow statement as ``{file, line,
      text, members}``, members in the order of the flow.
    """
    simple = simple_view(graph)
    degree = dict(simple.degree())
    by_degree = sorted(simple.nodes, key=lambda n: (-degree[n], n))
    rank = {node: i for i, node in enumerate(by_degree)}
    components = sorted(
        (sorted(part, key=rank.__getitem__) for part in nx.connected_components(simple)),
        key=lambda members: (-len(members), rank[members[0]]),
    )
    communities = [{"id": c.id, "name": c.name, "members": list(c.members)} for c in detect_communities(graph)]
    between, samples = _betweenness(simple)
    bridges = sorted((n for n, b in between.items() if b > 0), key=lambda n: (-between[n], n))[:MAX_BRIDGES]
    return {
        "version": INDEX_VERSION,
        "nodes": graph.number_of_nodes(),
        "hubs": by_degree[:MAX_HUBS],
        "components": components,
        "communities": communities,
        "bridges": [{"id": n, "betweenness": round(between[n], 6)} for n in bridges],
        "betweenness_samples": samples,
        "pipelines": _pipelines(graph),
    }


def _betweenness(simple: nx.Graph) -> tuple[dict[str, float], int | None]:
    """Normalised, unweighted betweenness of every node, and the number of sampled sources (None if exact).

    igraph's C implementation; above :data:`BETWEENNESS_BUDGET` node-edge visits
    the shortest paths are taken from a seeded sample of sources and scaled up.
    """
    n = simple.number_of_nodes()
    if n <= 2:
        return {}, None
    converted, nodes = to_igraph(simple)
    edges = max(1, simple.number_of_edges())
    samples = None
    sources = None
    if n * edges > BETWEENNESS_BUDGET:
        samples = max(8, min(n, BETWEENNESS_BUDGET // edges))
        sources = sorted(random.Random(SEED).sample(range(n), samples))
    raw = converted.betweenness(directed=False, sources=sources)
    scale = (n / samples if samples else 1.0) / ((n - 1) * (n - 2) / 2)
    return {node: value * scale for node, value in zip(nodes, raw, strict=True)}, samples


def _pipelines(graph: nx.MultiDiGraph) -> list[dict]:
    """Flow edges grouped by the line that states them: one arrow chain is one pipeline."""
    by_line: dict[tuple[str, int], dict] = {}
    for u, targets in successors(graph).items():  # the dicts, not the edge view: every edge of the graph is read
        for v, by_key in targets.items():
            for data in by_key.values():
                if data.get("relation") not in FLOW_RELATIONS or not data.get("stated"):
                    continue
                for ev in data.get("evidence", []):
                    entry = by_line.setdefault((ev["file"], ev["line"]), {"text": ev.get("text", ""), "edges": []})
                    entry["edges"].append((u, v))
    pipelines = []
    for (file, line), entry in sorted(by_line.items()):
        members = _flow_order(entry["edges"])
        pipelines.append({"file": file, "line": line, "text": entry["text"], "members": members})
    return pipelines


def _flow_order(edges: list[tuple[str, str]]) -> list[str]:
    """The nodes of *edges* in flow order (networkx's topological sort of ``DiGraph(edges)``), sorted if they loop.

    Written out because building a DiGraph for each of 10,000 lines (most hold one edge) cost more than the rest
    of the index.

    >>> _flow_order([("b", "c"), ("a", "b")]), _flow_order([("a", "b"), ("b", "a")])
    (['a', 'b', 'c'], ['a', 'b'])
    """
    after: dict[str, dict[str, None]] = {}
    into: dict[str, int] = {}
    for u, v in edges:
        after.setdefault(u, {})
        after.setdefault(v, {})
        if v not in after[u]:
            after[u][v] = None
            into[v] = into.get(v, 0) + 1
    order: list[str] = []
    generation = [node for node in after if node not in into]
    while generation:
        order.extend(generation)
        following = []
        for node in generation:
            for child in after[node]:
                into[child] -= 1
                if not into[child]:
                    following.append(child)
                    del into[child]
        generation = following
    return sorted(after) if into else order


def add_index(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Compute :func:`build_index` and store it in ``graph.graph["index"]``; returns *graph*."""
    graph.graph["index"] = build_index(graph)
    return graph


def explore_index(graph: nx.MultiDiGraph) -> ExploreIndex:
    """The stored index of *graph* when it is current, else one computed now (cached in memory)."""
    return cached(graph, "_explore_index", _read_index)


def _read_index(graph: nx.MultiDiGraph) -> ExploreIndex:
    stored = graph.graph.get("index")
    if not (
        isinstance(stored, dict)
        and stored.get("version") == INDEX_VERSION
        and stored.get("nodes") == graph.number_of_nodes()
    ):
        stored = build_index(graph)
    return ExploreIndex(
        hubs=list(stored["hubs"]),
        components=[list(c) for c in stored["components"]],
        communities=list(stored["communities"]),
        bridges=list(stored["bridges"]),
        betweenness_samples=stored.get("betweenness_samples"),
        pipelines=list(stored["pipelines"]),
    )
