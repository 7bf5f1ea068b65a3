"""The topic a place in the notes is about (graph.query.places): how unfinished-note rows lead to a topic."""

from __future__ import annotations

from graph.gaps import gap_report
from graph.query.places import topics_at


def test_each_unfinished_spot_of_the_bundled_notes_leads_to_the_topic_it_is_about(bundled_graph):
    spots = gap_report(bundled_graph, None).unfinished
    topics = topics_at(bundled_graph, [(s.file, s.line, s.section) for s in spots])
    found = dict(zip([s.text for s in spots], topics, strict=True))
    assert found["[Screenshot: SNS Topic Creation](#)"] == "service:sns"  # named on the line itself
    assert found["[Screenshot: SQS Queue View](#)"] == "service:sqs"
    assert found["[DynamoDB Table Validation Screenshot](#)"] == "service:dynamodb"
    assert found["Screenshots To Be Added"] is None  # a heading over nothing, in a section naming no topic


def test_own_section_then_last_mention_before_the_line():
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("service:a", mention_count=5, mentions=[{"file": "n.md", "line": 3, "section": ["Intro"]}])
    g.add_node("service:b", mention_count=1, mentions=[{"file": "n.md", "line": 5, "section": ["Intro"]}])
    g.add_node("term:c", sections=[{"file": "n.md", "start_line": 10, "end_line": 30}])
    g.add_node("term:d", sections=[{"file": "n.md", "start_line": 12, "end_line": 14}])
    places = [("n.md", 6, ("Intro",)), ("n.md", 4, ("Intro",)), ("n.md", 13, ()), ("n.md", 20, ()), ("n.md", 2, ())]
    assert topics_at(g, places) == ["service:b", "service:a", "term:d", "term:c", None]
    assert topics_at(g, []) == []
