"""A graph's adjacency as plain dicts, for the hot loops of the queries and the build: the one place that reads
and writes them.

NetworkX's public views (``G.succ[u]``, ``G.adj[u]``, ``G.nodes``) wrap every lookup in a view
object; the explorer's walks, paths and rankings make millions of lookups, and through the views
they ran 1.5 to 2 times slower (neighbourhood, related topics and paths on a 1,100-topic graph).
NetworkX's own algorithms read the underlying dicts for the same reason. Only this module does
so here, and ``tests/test_adjacency.py`` checks that the dicts agree with the public views, so a
NetworkX release that changes them fails a test instead of a query.

The dicts are the graph's own: read them, never change them. The build makes its large graphs with
:func:`undirected_graph` and :func:`add_keyed_edges`, which fill them without NetworkX's copy of each
edge's data (that copy, through the views, cost more than computing the data).

>>> import networkx as nx
>>> g = nx.MultiDiGraph([("a", "b", "feeds")])
>>> list(successors(g)["a"]["b"])
['feeds']
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.store.gcfreeze import FreeableGraph

__all__ = ["add_keyed_edges", "adjacency", "node_data", "predecessors", "successors", "undirected_graph"]


def successors(graph: nx.DiGraph) -> dict[str, dict]:
    """``{u: {v: edge data}}`` of a directed graph (``{v: {key: data}}`` for a multigraph)."""
    return graph._succ


def predecessors(graph: nx.DiGraph) -> dict[str, dict]:
    """``{v: {u: edge data}}`` of a directed graph (``{u: {key: data}}`` for a multigraph)."""
    return graph._pred


def adjacency(graph: nx.Graph) -> dict[str, dict]:
    """``{u: {v: edge data}}`` of an undirected graph."""
    return graph._adj


def node_data(graph: nx.Graph) -> dict[str, dict]:
    """``{node: attribute dict}``."""
    return graph._node


def undirected_graph(pairs: dict[str, dict[str, dict]]) -> nx.Graph:
    """The simple undirected graph whose adjacency is *pairs*, ``{u: {v: data}}``, taken as it is (not copied).

    Every node is a key of *pairs*; every pair is there both ways, with one data dict for both (as
    ``Graph.add_edge`` makes it). ``nx.Graph(pairs)`` gives an equal graph, copying each dict.

    >>> ab = {"w": 1}
    >>> sorted(undirected_graph({"a": {"b": ab}, "b": {"a": ab}, "c": {}}).edges(data="w"))
    [('a', 'b', 1)]
    """
    graph = FreeableGraph()  # made in builds, which freeze it: must be on no reference cycle
    graph.add_nodes_from(pairs)
    for node, neighbours in pairs.items():
        graph._adj[node] = neighbours
    return graph


def add_keyed_edges(graph: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str, dict]]) -> None:
    """Add ``(u, v, key, data)`` *edges* to *graph*, each *data* dict kept as it is (``add_edges_from`` copies it).

    Both ends must be nodes of *graph* already and each ``(u, v, key)`` new to it.

    >>> g = nx.MultiDiGraph(); g.add_nodes_from("ab")
    >>> add_keyed_edges(g, [("a", "b", "feeds", {"weight": 2})])
    >>> list(g.edges(keys=True, data="weight"))
    [('a', 'b', 'feeds', 2)]
    """
    succ, pred = graph._succ, graph._pred
    for u, v, key, data in edges:
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys[key] = data
    nx._clear_cache(graph)
