"""A graph a caller drops is freed, though builds and loads freeze what they make (graph/store/gcfreeze.py).

Each test drops a graph after using it as the explorer does, makes another, and checks through a weak
reference that the first is gone. ``gc.collect()`` here is what the collector would do anyway: frozen objects
stay frozen, so it cannot free a frozen graph on a reference cycle (the defect these tests guard against).
"""

from __future__ import annotations

import gc
import weakref
from functools import cached_property

import networkx as nx
import pytest

from graph.extract.pipeline import make_pipeline
from graph.gaps.report import gap_report
from graph.query.find import find_node
from graph.query.neighborhood import neighborhood
from graph.query.paths import find_routes
from graph.query.related import related_topics
from graph.store.build import build_notes
from graph.store.gcfreeze import FreeableGraph, FreeableMultiDiGraph
from graph.store.graphfile import load_graph, save_graph
from graph.store.index import simple_view

NOTES = {
    "queues.md": "# Queues\n\nAmazon SQS feeds AWS Lambda.\n\n- Amazon S3 -> Amazon Athena\n",
    "storage.md": "# Storage\n\nAmazon S3 stores objects. AWS Lambda writes to Amazon S3.\n",
}


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def use(graph: nx.MultiDiGraph) -> list:
    """What the explorer asks of a graph: every view and the queries' in-memory caches, made after the freeze."""
    lambda_ = find_node(graph, "AWS Lambda")
    athena = find_node(graph, "Amazon Athena")
    views = [graph.edges, graph.in_edges, graph.out_edges, graph.degree, graph.in_degree, graph.out_degree]
    simple = simple_view(graph)
    return [
        len(views),
        simple.degree[lambda_],
        len(simple.edges),
        len(neighborhood(graph, lambda_, depth=2).neighbors),
        len(related_topics(graph, lambda_)),
        len(find_routes(graph, lambda_, athena).routes),
        gap_report(graph) is not None,
    ]


def test_a_dropped_build_is_freed_when_the_same_notes_are_built_again(write_notes, nlp):
    folder = write_notes(NOTES)
    first = build_notes(folder, nlp=nlp)
    used = use(first.graph)
    graph, simple = weakref.ref(first.graph), weakref.ref(simple_view(first.graph))
    del first
    second = build_notes(folder, nlp=nlp)
    assert use(second.graph) == used
    gc.collect()
    assert graph() is None
    assert simple() is None


def test_a_dropped_loaded_graph_is_freed_when_the_file_is_loaded_again(write_notes, nlp, tmp_path):
    path = save_graph(build_notes(write_notes(NOTES), nlp=nlp).graph, tmp_path / "graph.json")
    loaded = load_graph(path)
    used = use(loaded)
    graph = weakref.ref(loaded)
    del loaded
    assert use(load_graph(path)) == used
    gc.collect()
    assert graph() is None


@pytest.mark.parametrize("cls", [FreeableGraph, FreeableMultiDiGraph])
def test_no_networkx_view_keeps_a_freeable_graph_on_a_cycle(cls):
    # With the collector off, only reference counting frees: a view kept in the graph's __dict__ that holds the
    # graph (what NetworkX caches) keeps it. Every cached view of the NetworkX class is tried.
    names = [name for name in dir(cls.__mro__[1]) if isinstance(getattr(cls.__mro__[1], name), cached_property)]
    assert {"edges", "degree", "nodes", "adj"} <= set(names)
    gc.disable()
    try:
        graph = cls([("a", "b"), ("b", "c")])
        for name in names:
            getattr(graph, name)
        gone = weakref.ref(graph)
        del graph
        assert gone() is None
    finally:
        gc.enable()


def test_freeable_graphs_answer_as_networkx_ones():
    edges = [("a", "b", "feeds"), ("a", "b", "writes"), ("c", "a", "feeds")]
    multi, plain = FreeableMultiDiGraph(), nx.MultiDiGraph()
    for g in (multi, plain):
        g.add_edges_from(edges)
    assert list(multi.edges(keys=True)) == list(plain.edges(keys=True))
    assert dict(multi.degree) == dict(plain.degree) == {"a": 3, "b": 2, "c": 1}
    assert list(multi.in_edges("a", keys=True)) == [("c", "a", "feeds")]
    assert dict(multi.out_degree) == {"a": 2, "b": 0, "c": 1}
    assert dict(multi.in_degree) == {"a": 1, "b": 2, "c": 0}
    assert multi.edges["a", "b", "writes"] == {}
    simple = FreeableGraph([("a", "b"), ("b", "c")])
    assert simple.degree["b"] == 2 and list(simple.edges) == [("a", "b"), ("b", "c")]
    assert isinstance(multi.copy(), FreeableMultiDiGraph) and nx.utils.graphs_equal(multi, plain)
