"""Clusters, bridges, components and isolated topics; the index stored at build time and read back."""

from __future__ import annotations

from itertools import combinations

import pytest
from test_neighborhood import toy_graph

from graph.query.overview import graph_overview, topic_clusters
from graph.store.graphfile import load_graph, save_graph
from graph.store.index import INDEX_VERSION, explore_index

LEFT = [f"term:a{i}" for i in range(1, 5)]
RIGHT = [f"term:c{i}" for i in range(1, 5)]
#: Two groups of four, each fully linked, joined only through "bridge"; "loner" has no relation.
RELATIONS = [
    *[(u, "has", v) for u, v in combinations(LEFT, 2)],
    *[(u, "has", v) for u, v in combinations(RIGHT, 2)],
    ("term:a1", "related_to", "term:bridge"),
    ("term:bridge", "related_to", "term:c1"),
]


@pytest.fixture(scope="module")
def toy():
    return toy_graph(RELATIONS, alone=["term:loner"])


def test_clusters_keep_each_group_together(toy):
    clusters = topic_clusters(toy)
    groups = [{t.id for t in c.members} for c in clusters]
    assert [len(g) for g in groups] == [5, 4, 1]
    assert any(set(LEFT) <= g for g in groups) and any(set(RIGHT) <= g for g in groups)
    assert groups[2] == {"term:loner"}
    big = clusters[0]
    # Named by the most central members; linked to the other group by exactly one edge.
    assert big.name == ", ".join(t.label for t in big.members[:3])
    assert big.links == {clusters[1].id: 1} and big.types == {"concept": 5}
    assert [c.size for c in topic_clusters(toy, min_size=2)] == [5, 4]


def test_same_notes_same_clusters(toy):
    again = toy_graph(RELATIONS, alone=["term:loner"])
    assert [c.members for c in topic_clusters(again)] == [c.members for c in topic_clusters(toy)]


def test_overview_names_the_bridge_the_components_and_the_loner(toy):
    info = graph_overview(toy, top=3)
    assert info["nodes"] == 10 and info["edges"] == 14
    assert info["types"] == {"concept": 10}
    assert info["relations"]["has"] == {"edges": 12, "stated": 12}
    # Every path between the groups goes through the bridge: 16 pairs, against 15 for a1 and c1.
    assert [b["id"] for b in info["bridges"]] == ["term:bridge", "term:a1", "term:c1"]
    assert info["bridges"][0]["betweenness"] == round(16 / 36, 6)
    assert len(info["bridges"][0]["clusters"]) == 2 and info["betweenness_samples"] is None
    assert info["components"] == 2 and info["component_sizes"] == [9, 1]
    assert info["clusters"] == 2
    assert info["isolated"] == [{"id": "term:loner", "label": "loner", "type": "concept"}]


def test_index_is_stored_at_build_time_and_survives_the_graph_file(toy, tmp_path):
    stored = toy.graph["index"]
    assert stored["version"] == INDEX_VERSION and stored["nodes"] == 10
    assert stored["hubs"][:3] == ["term:a1", "term:c1", "term:a2"]
    loaded = load_graph(save_graph(toy, tmp_path / "toy.graph.json"))
    assert loaded.graph["index"] == stored
    assert explore_index(loaded).communities == stored["communities"]


def test_a_graph_without_an_index_gets_one_computed(toy):
    bare = toy.copy()
    for key in [k for k in bare.graph if k == "index" or k.startswith("_")]:
        del bare.graph[key]
    assert explore_index(bare).communities == toy.graph["index"]["communities"]
    assert "index" not in bare.graph  # computed in memory only


def test_bundled_overview_has_clusters_bridges_and_counts(bundled_graph):
    info = graph_overview(bundled_graph)
    assert info["nodes"] == bundled_graph.number_of_nodes()
    assert info["clusters"] >= 5
    assert "service:s3" in [b["id"] for b in info["bridges"]]
    clusters = topic_clusters(bundled_graph, min_size=2)
    where = {t.id: c.id for c in clusters for t in c.members}
    # A pipeline's neighbours in the notes end up together.
    assert where["service:athena"] == where["service:glue"]
