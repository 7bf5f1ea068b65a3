"""Topic clusters: the same graph gives the same clusters, whatever else the process does with random numbers."""

from __future__ import annotations

import random

import igraph as ig
import networkx as nx

from graph.store.communities import detect_communities


def two_dense_groups() -> nx.MultiDiGraph:
    """Two rings of 12 topics with chords, tied by a single edge: two clusters of 12."""
    graph = nx.MultiDiGraph()
    for group in ("a", "b"):
        names = [f"{group}{i:02d}" for i in range(12)]
        for i, name in enumerate(names):
            graph.add_node(name, label=name.upper())
            for step in (1, 2, 5):
                graph.add_edge(name, names[(i + step) % 12], key="connects_to", relation="connects_to", weight=1.0)
    graph.add_edge("a00", "b00", key="connects_to", relation="connects_to", weight=1.0)
    return graph


def test_two_dense_groups_are_two_clusters():
    clusters = detect_communities(two_dense_groups())
    assert [sorted(c.members) for c in clusters] == [[f"a{i:02d}" for i in range(12)], [f"b{i:02d}" for i in range(12)]]
    assert [c.id for c in clusters] == [0, 1]


class SharedGenerator:
    """The process-wide generator igraph was given, drawing from Python's random module; counts its draws."""

    def __init__(self) -> None:
        self.draws = 0

    def __getattr__(self, name):
        def draw(*args):
            self.draws += 1
            return getattr(random, name)(*args)

        return draw


def test_leiden_never_draws_from_the_process_wide_generator():
    # A Streamlit server runs sessions in threads. Leiden drew from igraph's process-wide generator (Python's random
    # module, which every thread shares), so another thread's draws during a run changed the clusters, and with them
    # what a link's show=cluster:N picks out. A browser test saw the clusters change between server starts.
    graph = nx.les_miserables_graph()
    multi = nx.MultiDiGraph()
    for u, v, data in graph.edges(data=True):
        multi.add_edge(u, v, key="connects_to", relation="connects_to", weight=float(data["weight"]))
    expected = [c.members for c in detect_communities(multi)]
    shared = SharedGenerator()
    ig.set_random_number_generator(shared)
    try:
        random.seed(7)  # another thread's use of random in between
        assert [c.members for c in detect_communities(multi)] == expected
    finally:
        ig.set_random_number_generator(random)
    assert shared.draws == 0


def test_members_with_the_same_label_and_weight_are_ordered_by_id():
    # A service and a term may share a label ("Organization Policy") and a weight; their order once depended on
    # Python's string hashing, so the same notes gave a different graph file from one run to the next.
    graph = nx.MultiDiGraph()
    names = [f"n{i}" for i in range(8)]
    for name in names[::-1]:  # added last first: insertion order is not the answer
        graph.add_node(name, label="Same")
    for a in names:  # every pair tied: one cluster in which each member has the same weight
        for b in names:
            if a < b:
                graph.add_edge(a, b, key="connects_to", relation="connects_to", weight=1.0)
    [cluster] = detect_communities(graph)
    assert cluster.members == tuple(names)
