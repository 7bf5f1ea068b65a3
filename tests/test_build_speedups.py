"""The build's hand-written fast paths give what the general code they replace gives."""

import random

import networkx as nx

from graph.store.index import _flow_order


def test_flow_order_is_networkx_topological_order_or_sorted_when_it_loops():
    rnd = random.Random(7)
    for _ in range(3000):
        names = [f"n{i}" for i in range(rnd.randint(1, 6))]
        edges = [(rnd.choice(names), rnd.choice(names)) for _ in range(rnd.randint(1, 7))]
        order = nx.DiGraph(edges)
        expected = list(nx.topological_sort(order)) if nx.is_directed_acyclic_graph(order) else sorted(order)
        assert _flow_order(edges) == expected, edges


def test_flow_order_examples():
    assert _flow_order([("kinesis", "firehose"), ("firehose", "s3")]) == ["kinesis", "firehose", "s3"]
    assert _flow_order([("b", "c"), ("a", "b"), ("a", "c")]) == ["a", "b", "c"]
    assert _flow_order([("a", "b"), ("b", "a")]) == ["a", "b"]  # a loop: sorted
    assert _flow_order([("a", "a")]) == ["a"]
