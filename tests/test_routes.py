"""Paths: exact routes and alternatives on a small graph, stated relations preferred, no-path explanations."""

from __future__ import annotations

import random
from itertools import pairwise

import networkx as nx
import pytest
from test_neighborhood import toy_graph

from graph.query.find import find_node
from graph.query.paths import cheapest_path, find_routes
from graph.store.edges import QueryError

#: a-b-c-d is stated (3 hops), a-x-y-z-d is stated (4 hops), a-d is only "mentioned together".
RELATIONS = [
    ("term:a", "feeds", "term:b"),  # line 1
    ("term:b", "feeds", "term:c"),  # line 2
    ("term:c", "feeds", "term:d"),  # line 3
    ("term:a", "related_to", "term:d"),  # line 4
    ("term:a", "has", "term:x"),  # line 5
    ("term:x", "has", "term:y"),  # line 6
    ("term:y", "has", "term:z"),  # line 7
    ("term:z", "has", "term:d"),  # line 8
    ("term:p", "has", "term:q"),  # line 9: a separate island
    ("term:m", "related_to", "term:n"),  # line 10: joined only by co-occurrence
]


@pytest.fixture(scope="module")
def toy():
    return toy_graph(RELATIONS)


def labels(route):
    return [t.label for t in route.topics]


def test_stated_path_wins_over_a_shorter_inferred_one_and_alternatives_follow(toy):
    result = find_routes(toy, "term:a", "term:d", k=3)
    assert [labels(r) for r in result.routes] == [
        ["a", "b", "c", "d"],
        ["a", "x", "y", "z", "d"],
        ["a", "d"],
    ]
    # Cost per hop: 1 stated, 5 inferred, plus 0.1 / (1 + weight) for the evidence.
    assert [r.cost for r in result.routes] == [3.15, 4.2, 5.05]
    assert [r.stated_hops for r in result.routes] == [3, 4, 0]
    assert find_routes(toy, "term:a", "term:d", k=1).routes[0].cost == 3.15


def test_each_hop_names_its_relation_in_its_own_direction_with_evidence(toy):
    (route,) = find_routes(toy, "term:d", "term:a", k=1).routes
    assert labels(route) == ["d", "c", "b", "a"]
    first = route.hops[0]
    assert (first.source.id, first.target.id) == ("term:d", "term:c")
    (link,) = first.links
    assert (link.source, link.relation, link.target, link.kind) == ("term:c", "feeds", "term:d", "stated")
    assert [(h.links[0].evidence[0]["file"], h.links[0].evidence[0]["line"]) for h in route.hops] == [
        ("toy.md", 3),
        ("toy.md", 2),
        ("toy.md", 1),
    ]


def test_stated_only_leaves_out_inferred_hops(toy):
    result = find_routes(toy, "term:a", "term:d", k=3, stated_only=True)
    assert [labels(r) for r in result.routes] == [["a", "b", "c", "d"], ["a", "x", "y", "z", "d"]]
    assert result.stated_only


def test_no_path_names_the_component_of_each_side(toy):
    result = find_routes(toy, "term:a", "term:p")
    assert result.routes == []
    assert [(c.size, [t.label for t in c.examples]) for c in result.components] == [
        (7, ["a", "d", "b", "c", "x"]),
        (2, ["p", "q"]),
    ]
    assert result.note == "no path: a is in a group of 7 topic(s), p in another group of 2"


def test_no_stated_path_says_an_inferred_one_exists(toy):
    result = find_routes(toy, "term:m", "term:n", stated_only=True)
    assert result.routes == []
    assert result.note == "no path through stated relations alone; there is one through inferred or catalog links"
    assert [r.cost for r in find_routes(toy, "term:m", "term:n").routes] == [5.05]


@pytest.mark.parametrize("seed", range(20))
def test_cheapest_path_costs_what_networkx_dijkstra_finds(seed):
    rng = random.Random(seed)
    simple = nx.Graph()
    simple.add_nodes_from(map(str, range(40)))
    for u, v in nx.gnm_random_graph(40, 70, seed=seed).edges:
        simple.add_edge(str(u), str(v), cost=rng.choice([1.05, 1.0333, 2.05, 5.05]), stated=rng.random() < 0.6)
    stated = nx.Graph([(u, v, d) for u, v, d in simple.edges(data=True) if d["stated"]])
    for _ in range(15):
        a, b = rng.sample(sorted(simple), 2)
        for stated_only, where in ((False, simple), (True, stated)):
            path = cheapest_path(simple, a, b, stated_only=stated_only)
            if a not in where or b not in where or not nx.has_path(where, a, b):
                assert path is None
                continue
            assert path[0] == a and path[-1] == b and len(set(path)) == len(path)
            cost = sum(where.edges[u, v]["cost"] for u, v in pairwise(path))
            assert cost == pytest.approx(nx.dijkstra_path_length(where, a, b, weight="cost"))


@pytest.mark.parametrize(
    ("source", "target", "k", "message"),
    [
        ("term:a", "term:a", 3, r"both ends are the same topic \(a\)"),
        ("term:a", "term:d", 0, "the number of paths must be between 1 and 10, not 0"),
        ("term:a", "term:d", 11, "the number of paths must be between 1 and 10, not 11"),
    ],
)
def test_bad_requests_raise_a_clear_query_error(toy, source, target, k, message):
    with pytest.raises(QueryError, match=message):
        find_routes(toy, source, target, k=k)


def test_bundled_kinesis_reaches_quicksight_with_evidence_on_every_hop(bundled_graph):
    source, target = find_node(bundled_graph, "kinesis"), find_node(bundled_graph, "quicksight")
    result = find_routes(bundled_graph, source, target, k=3)
    assert result.routes, result.note
    best = result.routes[0]
    assert best.topics[0].id == "service:kinesis" and best.topics[-1].id == "service:quicksight"
    # The notes chain Kinesis to QuickSight through stated relations, so the best path uses only those.
    assert best.stated_hops == len(best.hops)
    for route in result.routes:
        for hop in route.hops:
            assert hop.links and hop.links[0].evidence, f"hop {hop.source.label} -> {hop.target.label} has no evidence"
            evidence = hop.links[0].evidence[0]
            assert evidence["file"] == "aws-study-notes.md" and evidence["line"] > 0 and evidence["text"]
