"""Topic clusters: Louvain communities of the graph's undirected, weighted view.

Deterministic for the same graph (fixed seed, nodes added in sorted order).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

#: Seed for Louvain, so the same notes always give the same clusters.
SEED = 42


@dataclass(frozen=True)
class Community:
    """A cluster of topics: its members (ids, most central first) and a name made of its central members."""

    id: int
    members: tuple[str, ...]
    name: str


def undirected_view(graph: nx.MultiDiGraph) -> nx.Graph:
    """A simple undirected graph: one edge per connected pair, weight summed over relations.

    Stated relations count double their weight, so clusters follow what the notes say outright.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
        if u == v:
            continue
        weight = float(data.get("weight", 1.0)) * (2.0 if data.get("stated") else 1.0)
        if simple.has_edge(u, v):
            simple.edges[u, v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    return simple


def detect_communities(graph: nx.MultiDiGraph, seed: int = SEED, name_size: int = 3) -> list[Community]:
    """Louvain communities of *graph*, largest first; each named by its *name_size* most central members.

    Centrality inside a community is weighted degree within it. Isolated
    nodes form singleton communities.
    """
    simple = undirected_view(graph)
    if simple.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    where = {node: i for i, part in enumerate(parts) for node in part}
    inner = {
        node: sum(data["weight"] for other, data in simple[node].items() if where[other] == where[node])
        for node in simple
    }
    ranked_parts = [sorted(part, key=lambda n: (-inner[n], graph.nodes[n].get("label", n))) for part in parts]
    ranked_parts.sort(key=lambda members: (-len(members), members[0]))
    return [
        Community(
            id=i,
            members=tuple(members),
            name=", ".join(graph.nodes[n].get("label", n) for n in members[:name_size]),
        )
        for i, members in enumerate(ranked_parts)
    ]
