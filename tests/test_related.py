"""Related topics: ranking where it is determined, readable reasons, and what a student of SQS should see."""

from __future__ import annotations

import pytest
from test_neighborhood import toy_graph

from graph.query.related import personalized_pagerank, related_topics
from graph.store.edges import QueryError
from graph.store.index import simple_view

#: q is linked to m1-m3; "twin" shares all three, "cousin" only m1; p1 -> q -> p2 -> p3 is one arrow chain;
#: q is compared with "rival" under a "Q vs Rival" heading.
RELATIONS = [
    ("term:q", "has", "term:m1"),  # line 1
    ("term:q", "has", "term:m2"),  # line 2
    ("term:q", "has", "term:m3"),  # line 3
    ("term:twin", "has", "term:m1"),  # line 4
    ("term:twin", "has", "term:m2"),  # line 5
    ("term:twin", "has", "term:m3"),  # line 6
    ("term:cousin", "has", "term:m1"),  # line 7
    ("term:q", "compared_with", "term:rival"),  # line 8
    ("term:p1", "feeds", "term:q", 20),
    ("term:q", "feeds", "term:p2", 20),
    ("term:p2", "feeds", "term:p3", 20),
]
SECTIONS = {8: ("Services", "Q vs Rival")}
TEXTS = {20: "p1 → q → p2 → p3"}


@pytest.fixture(scope="module")
def toy():
    return toy_graph(RELATIONS, sections=SECTIONS, texts=TEXTS)


def order(results):
    return [r.topic.label for r in results]


def test_twin_sharing_every_neighbour_ranks_above_cousin_sharing_one(toy):
    results = related_topics(toy, "term:q", top=20)
    ranked = order(results)
    assert ranked.index("twin") < ranked.index("cousin")
    twin = results[ranked.index("twin")]
    assert not twin.direct and twin.shared == ["term:m2", "term:m3", "term:m1"]
    assert "shares 3 neighbour(s): m2, m3, m1" in twin.reasons
    # Closed-neighbourhood Jaccard: q and its six neighbours vs twin, m1, m2, m3: 3 shared of 7 + 4 - 3.
    assert twin.measures["jaccard"] == 3 / 8


def test_fused_score_is_reciprocal_rank_fusion_of_the_three_measures(toy):
    results = related_topics(toy, "term:q", top=20)
    # twin is first by Adamic-Adar and Jaccard and second by PageRank (m1, a direct neighbour, is first).
    assert results[0].topic.label == "twin"
    assert max(results, key=lambda r: r.measures["pagerank"]).topic.label == "m1"
    assert results[0].score == round((1 / 61 + 1 / 61 + 1 / 62) / (3 / 61), 4)
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True) and "term:q" not in {r.topic.id for r in results}


def test_reasons_name_the_comparison_the_pipeline_and_the_stated_relation(toy):
    by_label = {r.topic.label: r for r in related_topics(toy, "term:q", top=20)}
    assert by_label["rival"].reasons[0].startswith("compared in 'Q vs Rival' (toy.md:8:")
    # p3 is two steps away, reached through the arrow chain it shares with q.
    assert "same pipeline: 'p1 → q → p2 → p3' (toy.md:20)" in by_label["p3"].reasons
    assert by_label["m1"].direct and by_label["m1"].reasons[0].startswith("q -has-> m1 (toy.md:1:")


def test_new_only_leaves_out_direct_neighbours(toy):
    results = related_topics(toy, "term:q", top=20, exclude_neighbors=True)
    assert set(order(results)) == {"twin", "cousin", "p3"}
    assert not any(r.direct for r in results)


def test_top_limits_and_is_checked(toy):
    assert len(related_topics(toy, "term:q", top=2)) == 2
    with pytest.raises(QueryError, match="between 1 and 100, not 0"):
        related_topics(toy, "term:q", top=0)


def test_local_push_pagerank_sums_to_about_one_and_favours_close_topics(toy):
    ranks = personalized_pagerank(simple_view(toy), "term:q", epsilon=1e-7)
    assert sum(ranks.values()) == pytest.approx(1.0, abs=1e-3)
    assert ranks["term:q"] > ranks["term:m1"] > ranks["term:twin"] > ranks["term:cousin"]


def test_bundled_sqs_gives_messaging_services_before_storage(bundled_graph):
    ranked = [r.topic.id for r in related_topics(bundled_graph, "service:sqs", top=100)]
    assert {"service:sns", "service:events"} <= set(ranked[:10])
    storage = [s for s in ("service:s3", "service:ebs", "service:efs", "service:glacier", "service:fsx") if s in ranked]
    for service in storage:
        assert ranked.index(service) > max(ranked.index("service:sns"), ranked.index("service:events"))


def test_corpus_sqs_gives_sns_first_and_storage_later(corpus_graph):
    ranked = [r.topic.id for r in related_topics(corpus_graph, "service:sqs", top=100)]
    assert "service:sns" in ranked[:3]
    for service in ("service:s3", "service:ebs", "service:efs", "service:glacier"):
        if service in ranked:
            assert ranked.index(service) > ranked.index("service:sns")
