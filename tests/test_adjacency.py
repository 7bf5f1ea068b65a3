"""graph.store.adjacency reads and fills NetworkX's own dicts: they must agree with NetworkX's public views, so a
NetworkX release that lays its graphs out differently fails here instead of in a query or a build."""

from __future__ import annotations

import networkx as nx

from graph.store.adjacency import (
    add_keyed_edges,
    adjacency,
    node_data,
    predecessors,
    successors,
    undirected_graph,
)


def _multi() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("s3", label="S3")
    graph.add_edge("lambda", "s3", key="feeds", weight=2.0)
    graph.add_edge("lambda", "s3", key="related_to", weight=0.5)
    graph.add_edge("sqs", "lambda", key="feeds", weight=1.0)
    return graph


def test_the_dicts_read_are_the_public_views():
    graph = _multi()
    assert successors(graph) == {node: dict(graph.succ[node]) for node in graph}
    assert predecessors(graph) == {node: dict(graph.pred[node]) for node in graph}
    assert node_data(graph) == dict(graph.nodes(data=True))
    simple = nx.Graph([("a", "b", {"w": 1}), ("b", "c", {"w": 2})])
    assert adjacency(simple) == {node: dict(simple.adj[node]) for node in simple}


def test_an_undirected_graph_made_from_pairs_is_the_one_networkx_makes_and_keeps_the_dicts():
    ab, bc = {"weight": 1.5}, {"weight": 2.0}
    pairs = {"a": {"b": ab}, "b": {"a": ab, "c": bc}, "c": {"b": bc}, "lonely": {}}
    made = undirected_graph(pairs)
    expected = nx.Graph(pairs)
    assert nx.utils.graphs_equal(made, expected)
    assert list(made.nodes) == ["a", "b", "c", "lonely"]
    assert sorted(made.edges(data="weight")) == [("a", "b", 1.5), ("b", "c", 2.0)]
    assert made.edges["a", "b"] is ab and made.edges["b", "a"] is ab  # one dict both ways, not a copy
    made.edges["b", "c"]["weight"] = 9.0  # as NetworkX's own graphs: a change shows from both ends
    assert made["c"]["b"]["weight"] == 9.0


def test_keyed_edges_are_added_as_networkx_adds_them_without_copying_their_data():
    edges = [
        ("lambda", "s3", "feeds", {"relation": "feeds", "weight": 2.0}),
        ("lambda", "s3", "related_to", {"relation": "related_to", "weight": 0.5}),
        ("sqs", "lambda", "feeds", {"relation": "feeds", "weight": 1.0}),
    ]
    made, expected = nx.MultiDiGraph(), nx.MultiDiGraph()
    for graph in (made, expected):
        graph.add_nodes_from(["lambda", "s3", "sqs"])
    add_keyed_edges(made, edges)
    expected.add_edges_from(edges)
    assert nx.utils.graphs_equal(made, expected)
    assert list(made.edges(keys=True, data="weight")) == list(expected.edges(keys=True, data="weight"))
    assert list(made.predecessors("s3")) == ["lambda"] and list(made.in_edges("lambda", keys=True)) == [
        ("sqs", "lambda", "feeds")
    ]
    assert made.edges["lambda", "s3", "feeds"] is edges[0][3]
    assert made.number_of_edges() == 3 and made.out_degree("lambda") == 2
