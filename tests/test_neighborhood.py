"""Neighbourhood queries: exact neighbours at each depth on a small graph, filters, limits, bad input.

:func:`toy_graph` (also used by the other exploration tests) builds a graph
through :func:`graph.store.build.build_graph` from hand-written relations, so the
expectations here do not move when the extraction improves.
"""

from __future__ import annotations

import random
from collections import Counter

import networkx as nx
import pytest

from graph.model import CONCEPT, ENTITY_TYPES, INFERRED, RELATIONS, Evidence, Extraction, Mention, Relation
from graph.query.neighborhood import neighborhood
from graph.sources.catalog import load_catalog
from graph.store.build import build_graph
from graph.store.edges import QueryError, link_strength
from graph.store.index import explore_index

RELATION_NAMES = list(RELATIONS)

TOY_FILE = "toy.md"


def toy_graph(relations, types=None, alone=(), sections=None, texts=None):
    """A graph from ``(source, relation, target)`` triples, one note line each (line = position + 1).

    Node keys are ``service:<catalog id>`` or ``term:<name>``; a term's label
    is its name and its type ``types.get(key, "concept")``. ``related_to`` is
    inferred, every other relation stated. Repeating a triple adds weight. A
    fourth item sets the line (several relations on one line make an arrow
    chain); ``sections`` and ``texts`` map a line to its heading path and its
    text. ``alone`` lists nodes with no relation.
    """
    types, sections, texts = types or {}, sections or {}, texts or {}
    mentions, found = [], []
    for position, (source, relation, target, *line) in enumerate(relations, start=1):
        at = line[0] if line else position
        text = texts.get(at, f"{source} {relation} {target}")
        evidence = Evidence(TOY_FILE, at, sections.get(at, ("Toy",)), text)
        found.append(Relation(source, target, relation, relation != INFERRED, evidence))
        for key in (source, target):
            mentions.append(_mention(key, types, evidence))
    for key in alone:
        mentions.append(_mention(key, types, Evidence(TOY_FILE, 999, ("Toy",), key)))
    extraction = Extraction(TOY_FILE, "toy", mentions=mentions, relations=found, words=100)
    return build_graph([extraction], load_catalog())


def _mention(key, types, evidence):
    name = key.split(":", 1)[1]
    return Mention(key, name, types.get(key, CONCEPT), "heading", evidence)


#: The centre is SQS; S3 is the hub (nine neighbours).
RELATIONS = [
    ("service:sqs", "has", "term:fifo"),  # line 1
    ("service:sns", "related_to", "service:sqs"),  # lines 2-4: weight 3
    ("service:sns", "related_to", "service:sqs"),
    ("service:sns", "related_to", "service:sqs"),
    ("service:sns", "feeds", "service:lambda"),  # line 5
    ("term:fifo", "related_to", "term:ordering"),  # line 6
    ("service:lambda", "delivers_to", "service:s3"),  # line 7
    *[("service:s3", "related_to", f"term:t{i}") for i in range(1, 7)],  # lines 8-13
    ("service:s3", "has", "term:lifecycle"),  # line 14
    ("service:sqs", "related_to", "service:s3"),  # line 15
    ("service:lambda", "has", "term:retry"),  # line 16
    ("term:ordering", "related_to", "term:sequence"),  # line 17
]
TS = [f"term:t{i}" for i in range(1, 7)]


@pytest.fixture(scope="module")
def toy():
    return toy_graph(RELATIONS)


def ids(result, distance=None):
    return [n.topic.id for n in result.neighbors if distance is None or n.distance == distance]


def test_depth_one_is_the_direct_neighbours_strongest_first(toy):
    result = neighborhood(toy, "service:sqs")
    # SNS: weight 3 inferred; FIFO: weight 1 stated (counts double); S3: weight 1 inferred.
    assert ids(result) == ["service:sns", "term:fifo", "service:s3"]
    assert [n.strength for n in result.neighbors] == [3.0, 2.0, 1.0]
    assert {n.distance for n in result.neighbors} == {1}
    assert result.center.label == "Amazon SQS" and result.left_out == {} and result.hidden_hubs == []


def test_each_neighbour_carries_its_relation_direction_and_evidence(toy):
    sns, fifo, _ = neighborhood(toy, "service:sqs").neighbors
    (link,) = sns.links
    assert (link.source, link.relation, link.target, link.kind, link.weight) == (
        "service:sns",
        "related_to",
        "service:sqs",
        "inferred",
        3.0,
    )
    assert [ev["line"] for ev in link.evidence] == [2, 3, 4]
    (link,) = fifo.links
    assert (link.source, link.relation, link.target, link.kind) == ("service:sqs", "has", "term:fifo", "stated")
    assert link.evidence[0]["file"] == TOY_FILE and link.evidence[0]["line"] == 1


def test_depth_two_and_three_exact_layers(toy):
    two = neighborhood(toy, "service:sqs", depth=2)
    # Lambda is tied to both SNS (feeds) and S3 (delivers_to): 2 + 2.
    assert ids(two, 2) == ["service:lambda", "term:lifecycle", "term:ordering", *TS]
    lam = two.neighbors[3]
    assert lam.strength == 4.0
    assert [(lk.source, lk.relation, lk.target) for lk in lam.links] == [
        ("service:lambda", "delivers_to", "service:s3"),
        ("service:sns", "feeds", "service:lambda"),
    ]
    three = neighborhood(toy, "service:sqs", depth=3)
    assert ids(three, 3) == ["term:retry", "term:sequence"]
    assert ids(three, 1) + ids(three, 2) == ids(two)


def test_hiding_the_biggest_hub_cuts_what_only_it_reaches(toy):
    result = neighborhood(toy, "service:sqs", depth=3, hide_hubs=1)
    assert [h.id for h in result.hidden_hubs] == ["service:s3"]
    assert ids(result) == ["service:sns", "term:fifo", "service:lambda", "term:ordering", "term:retry", "term:sequence"]
    # The centre itself is never hidden: from S3, the next hub goes instead.
    from_hub = neighborhood(toy, "service:s3", hide_hubs=1)
    assert [h.id for h in from_hub.hidden_hubs] == ["service:lambda"]
    assert "service:lambda" not in ids(from_hub)


def test_filters_on_relation_kind_type_and_weight(toy):
    assert ids(neighborhood(toy, "service:sqs", depth=2, stated_only=True)) == ["term:fifo"]
    assert ids(neighborhood(toy, "service:sqs", depth=3, relations=["has"])) == ["term:fifo"]
    assert ids(neighborhood(toy, "service:sqs", depth=2, types=["service"])) == [
        "service:sns",
        "service:s3",
        "service:lambda",
    ]
    assert ids(neighborhood(toy, "service:sqs", depth=2, min_weight=2)) == ["service:sns"]


def test_limit_keeps_the_closest_and_strongest_and_counts_the_rest(toy):
    result = neighborhood(toy, "service:sqs", depth=2, limit=4)
    assert ids(result) == ["service:sns", "term:fifo", "service:s3", "service:lambda"]
    assert result.left_out == {2: 8}
    # Links only point at topics that are shown.
    cut = neighborhood(toy, "service:sqs", depth=3, limit=2)
    assert ids(cut) == ["service:sns", "term:fifo"] and cut.left_out == {1: 1, 2: 9, 3: 2}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"depth": 0}, "depth must be between 1 and 3 steps, not 0"),
        ({"depth": 10}, "depth must be between 1 and 3 steps, not 10"),
        ({"relations": ["feeds_into"]}, "unknown relation 'feeds_into'; valid: feeds, delivers_to"),
        ({"types": ["services"]}, "unknown topic type 'services'; valid: service, concept, use_case, technology"),
        ({"hide_hubs": -1}, "must not be negative"),
    ],
)
def test_bad_parameters_raise_a_clear_query_error(toy, kwargs, message):
    with pytest.raises(QueryError, match=message):
        neighborhood(toy, "service:sqs", **kwargs)


def test_bundled_firehose_is_one_stated_hop_from_s3(bundled_graph):
    result = neighborhood(bundled_graph, "service:firehose", stated_only=True)
    s3 = next(n for n in result.neighbors if n.topic.id == "service:s3")
    assert s3.distance == 1
    assert all(lk.kind == "stated" for lk in s3.links)
    assert all(lk.evidence and lk.evidence[0]["line"] > 0 for lk in s3.links)


def test_bundled_hiding_hubs_removes_s3_from_every_view(bundled_graph):
    plain = neighborhood(bundled_graph, "service:athena", depth=2)
    hidden = neighborhood(bundled_graph, "service:athena", depth=2, hide_hubs=5)
    assert "service:s3" in ids(plain)
    assert "service:s3" in [h.id for h in hidden.hidden_hubs] and "service:s3" not in ids(hidden)
    assert len(ids(hidden)) < len(ids(plain))


def reference_neighborhood(
    graph, node, depth, types=None, relations=None, min_weight=0.0, stated_only=False, hide_hubs=0, limit=None
):
    """The walk as first written (every edge weighed on every walk, everything sorted): what the result must be."""
    hubs = explore_index(graph).hubs[: hide_hubs + 1] if hide_hubs else []
    blocked = set([hub for hub in hubs if hub != node][:hide_hubs])

    def follow(d):
        return (
            (relations is None or d["relation"] in relations)
            and float(d.get("weight", 1.0)) >= min_weight
            and (not stated_only or bool(d.get("stated")))
        )

    def admit(other):
        return other not in blocked and (types is None or graph.nodes[other].get("type") in types)

    distance, strength, frontier = {node: 0}, {}, [node]
    for step in range(1, depth + 1):
        found = []
        for u in frontier:
            for other, by_key in [*graph.succ[u].items(), *graph.pred[u].items()]:
                seen = distance.get(other)
                if (seen is not None and seen < step) or not admit(other):
                    continue
                tie = sum(link_strength(d) for d in by_key.values() if follow(d))
                if not tie:
                    continue
                if seen is None:
                    distance[other], strength[other] = step, 0.0
                    found.append(other)
                strength[other] += tie
        frontier = found
    ranked = sorted(
        (n for n in distance if n != node),
        key=lambda n: (distance[n], -strength[n], graph.nodes[n].get("label", n).casefold(), n),
    )
    kept = ranked[:limit]
    shown = set(kept) | {node}
    rows = []
    for n in kept:
        links = [
            (u, v, d)
            for u, v, d in [*graph.out_edges(n, data=True), *graph.in_edges(n, data=True)]
            if (other := v if u == n else u) in shown and distance[other] == distance[n] - 1 and follow(d)
        ]
        links.sort(key=lambda e: (-link_strength(e[2]), e[2]["relation"], e[0], e[1]))
        rows.append((n, distance[n], round(strength[n], 3), [(u, v, d["relation"]) for u, v, d in links]))
    left_out = Counter(distance[n] for n in ranked[len(kept) :])
    return rows, dict(sorted(left_out.items()))


def as_rows(result):
    rows = [
        (n.topic.id, n.distance, n.strength, [(lk.source, lk.target, lk.relation) for lk in n.links])
        for n in result.neighbors
    ]
    return rows, result.left_out


def random_graph(seed):
    """A small multigraph with what the fast path must get right: fractional weights whose sums depend on the
    order of addition, zero and missing weights, self-loops, both directions, equal labels."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    names = [f"n{i}" for i in range(rng.randint(2, 25))]
    for name in names:
        graph.add_node(name, label=rng.choice(["Alpha", "alpha", "Beta", name]), type=rng.choice(ENTITY_TYPES))
    for _ in range(rng.randint(0, 80)):
        relation = rng.choice(RELATION_NAMES)
        data = {"relation": relation, "stated": rng.random() < 0.5, "evidence": []}
        if rng.random() < 0.9:
            data["weight"] = rng.choice([0.1, 0.2, 0.3, 0.333, 0.7, 1.0, 2.5, 0.0])
        graph.add_edge(rng.choice(names), rng.choice(names), key=relation, **data)
    return graph


QUERIES = [
    {},
    {"limit": 1},
    {"limit": 5},
    {"types": ["service", "concept"]},
    {"hide_hubs": 2, "limit": 4},
    {"relations": ["feeds", "has", "related_to"]},
    {"min_weight": 0.3},
    {"stated_only": True, "limit": 3},
]


@pytest.mark.parametrize("seed", range(40))
def test_the_cached_walk_gives_what_the_walk_over_every_edge_gives(seed):
    graph = random_graph(seed)
    rng = random.Random(seed)
    for centre in rng.sample(sorted(graph), min(4, len(graph))):
        for depth in (1, 2, 3):
            for query in QUERIES:
                got = neighborhood(graph, centre, depth=depth, **query)
                assert as_rows(got) == reference_neighborhood(graph, centre, depth, **query), (centre, depth, query)
    if graph.number_of_nodes():
        # Unfiltered walks went through the cached ties; naming every relation walks the edges, with the same result.
        assert "_walk_steps" in graph.graph
        centre = sorted(graph)[0]
        fast = neighborhood(graph, centre, depth=3)
        slow = neighborhood(graph, centre, depth=3, relations=RELATION_NAMES)
        assert as_rows(fast) == as_rows(slow)
        assert [n.links for n in fast.neighbors] == [n.links for n in slow.neighbors]


def test_strengths_are_summed_in_walk_order_so_ties_stay_ties():
    # 0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1 in floating point: summed in another order, equal strengths could rank
    # differently than before. Both neighbours here are tied by 0.6 and must be ordered by label.
    graph = nx.MultiDiGraph()
    for name in ("c", "x", "y"):
        graph.add_node(name, label=name.upper(), type="concept")
    for key, weight in (("has", 0.1), ("feeds", 0.2), ("used_for", 0.3)):
        graph.add_edge("c", "y", key=key, relation=key, weight=weight)
    for key, weight in (("has", 0.3), ("feeds", 0.2), ("used_for", 0.1)):
        graph.add_edge("c", "x", key=key, relation=key, weight=weight)
    result = neighborhood(graph, "c")
    assert as_rows(result) == reference_neighborhood(graph, "c", 1)
    assert [n.topic.id for n in result.neighbors] == ["y", "x"]  # 0.6000000000000001 > 0.6
    assert [n.strength for n in result.neighbors] == [0.6, 0.6]
