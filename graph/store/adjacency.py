"""A graph's adjacency as plain dicts, for the hot loops of the queries: the one place that reads them.

NetworkX's public views (``G.succ[u]``, ``G.adj[u]``, ``G.nodes``) wrap every lookup in a view
object; the explorer's walks, paths and rankings make millions of lookups, and through the views
they ran 1.5 to 2 times slower (neighbourhood, related topics and paths on a 1,100-topic graph).
NetworkX's own algorithms read the underlying dicts for the same reason. Only this module does
so here, and ``tests/test_layout.py`` checks that the dicts agree with the public views, so a
NetworkX release that changes them fails a test instead of a query.

The dicts are the graph's own: read them, never change them.

>>> import networkx as nx
>>> g = nx.MultiDiGraph([("a", "b", "feeds")])
>>> list(successors(g)["a"]["b"])
['feeds']
"""

from __future__ import annotations

import networkx as nx

__all__ = ["adjacency", "node_data", "predecessors", "successors"]


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
