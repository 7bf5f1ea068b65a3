"""Rows the explorer's tables and charts show, the downloads, and the escaping of note text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from graph.gaps import MISSING, gap_report
from graph.query.describe import describe_entity
from graph.query.overview import graph_overview, topic_clusters
from graph.query.paths import find_routes
from graph.sources.notes import Problem
from graph.sources.syllabus import parse_syllabus
from graph.store import exports
from graph.store.graphfile import graph_from_json
from graph.ui import tables
from graph.ui.escape import WORD_JOINER, markdown_text, one_line, tooltip_text


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A graph built from one small note, so every row can be spelled out."""
    from graph.store.build import build_notes

    folder = tmp_path_factory.mktemp("tiny")
    (folder / "n.md").write_text(
        "# Streaming\n\n"
        "## Amazon Kinesis\n\n"
        "**Amazon Kinesis** — collects streaming data in real time.\n\n"
        "- Kinesis -> Amazon S3 -> Amazon Athena\n",
        encoding="utf-8",
    )
    return build_notes(folder).graph


def test_mentions_sections_and_relations_of_a_topic(tiny):
    card = describe_entity(tiny, "service:kinesis")
    assert tables.mention_rows(card)[0] == {
        "Where": "n.md:3",
        "Section": "Streaming > Amazon Kinesis",
        "Sentence": "Amazon Kinesis",
    }
    assert tables.section_rows(card) == [{"Where": "n.md:3-7", "Heading": "Amazon Kinesis", "Lines of text": 2}]
    feeds = [row for row in tables.relation_rows(card) if row["Relation"] == "feeds into"]
    assert feeds == [
        {
            "Relation": "feeds into",
            "Topic": "Amazon S3",
            "Type": "service",
            "Known from": "stated in the notes",
            "Evidence": "n.md:7: Kinesis -> Amazon S3 -> Amazon Athena",
            "More evidence": 0,
        }
    ]
    around_s3 = [
        (r["Relation"], r["Topic"], r["Known from"]) for r in tables.relation_rows(describe_entity(tiny, "service:s3"))
    ]
    assert around_s3 == [  # stated first, then by weight; read from S3's side, in words
        ("feeds into", "Amazon Athena", "stated in the notes"),
        ("is fed by", "Amazon Kinesis", "stated in the notes"),
        ("mentioned together", "Amazon Kinesis", "mentioned together"),
        ("mentioned together", "Amazon Athena", "mentioned together"),
    ]
    # Row i is relation i, so a chosen row leads to its topic.
    assert [r["other"] for r in describe_entity(tiny, "service:s3")["relations"]][:2] == [
        "service:athena",
        "service:kinesis",
    ]


def test_a_route_is_one_row_per_hop_the_stated_relation_winning(tiny):
    route = find_routes(tiny, "service:kinesis", "service:athena", k=1).routes[0]
    assert tables.route_title(route) == "Amazon Kinesis → Amazon S3 → Amazon Athena"
    rows = tables.hop_rows(route)
    assert [(r["Step"], r["Hop"], r["Known from"], r["Also"]) for r in rows] == [
        (1, "Amazon Kinesis feeds into Amazon S3", "stated in the notes", "mentioned together"),
        (2, "Amazon S3 feeds into Amazon Athena", "stated in the notes", "mentioned together"),
    ]
    assert rows[0]["Evidence"] == "n.md:7: Kinesis -> Amazon S3 -> Amazon Athena"
    assert tables.route_cost(route) == "2 stated steps"


def test_route_options_offer_the_stated_pipeline_first_and_each_walk_once(tiny):
    from graph.query.paths import pipelines_between

    found = find_routes(tiny, "service:kinesis", "service:athena", k=3)
    pipelines = pipelines_between(tiny, "service:kinesis", "service:athena")
    options = tables.route_options(found, pipelines)
    assert options[0][0] == "stated in your notes at n.md:7"
    assert tables.route_title(options[0][1]) == "Amazon Kinesis → Amazon S3 → Amazon Athena"
    walks = [tuple(t.id for t in route.topics) for _, route in options]
    assert len(walks) == len(set(walks))  # the cheapest route is the pipeline: listed once
    assert [title for title, _ in options[1:]] == ["another path"] * (len(options) - 1)


def test_overview_charts_count_types_and_stated_relations(tiny):
    info = graph_overview(tiny)
    assert tables.type_chart(info) == [{"Type": "concept", "Topics": 1}, {"Type": "service", "Topics": 3}]
    chart = tables.relation_chart(info)
    assert {"Relation": "feeds into", "Kind": "stated", "Edges": 2} in chart
    assert {"Relation": "mentioned together", "Kind": "not stated", "Edges": 3} in chart
    clusters = topic_clusters(tiny)
    assert sum(row["Topics"] for row in tables.cluster_chart(clusters)) == 3
    assert tables.cluster_rows(clusters)[0]["Types"] == "3 service"
    assert tables.central_rows(info)[0] == {
        "Topic": "Amazon S3",
        "Type": "service",
        "Stated neighbours": 2,
        "All neighbours": 2,
    }


def test_gap_rows_and_coverage_charts(tiny):
    syllabus = parse_syllabus("## Analytics\nAmazon Athena\nAmazon Kinesis\nAmazon EMR\n## Storage\nAmazon S3\n")
    report = gap_report(tiny, syllabus)
    rows = tables.coverage_rows(report.coverage)
    assert rows[-1] == {
        "Category": "All",
        "Services": 4,
        "Covered": 1,
        "Mentioned only": 2,
        "Missing": 1,
        "Covered %": 25.0,
    }
    assert {"Category": "Analytics", "Status": "missing", "Services": 1} in tables.coverage_chart(report.coverage)
    assert [r["Service"] for r in tables.coverage_item_rows(report.coverage, MISSING)] == ["Amazon EMR"]
    # A service listed under two categories is one row, with both categories: the list counts what the metric does.
    twice = parse_syllabus("## Analytics\nAmazon EMR\nAmazon Athena\n## Big data\nAmazon EMR\n")
    coverage = gap_report(tiny, twice).coverage
    assert coverage.overall.missing == 1
    assert tables.coverage_item_rows(coverage, MISSING) == [
        {"Service": "Amazon EMR", "Category": "Analytics; Big data", "In the notes as": "", "Places": 0, "First at": ""}
    ]
    parts = tables.gap_rows(report)
    assert set(parts) == {"unexplained", "unfinished", "thin", "structural", "duplicates"}
    assert all(isinstance(row, dict) for rows in parts.values() for row in rows)


def test_cluster_chart_keeps_size_order_and_whole_names():
    from graph.query.overview import Cluster
    from graph.query.results import Topic

    def cluster(number: int, size: int) -> Cluster:
        name = f"Cluster {number} with a long name naming many of its central members, " * 2
        return Cluster(number, name, size, [Topic(f"t{number}", "T", "service")], {"service": size}, {})

    clusters = [cluster(i, 20 - i) for i in range(12)]  # ids 0..11, largest first
    chart = tables.cluster_chart(clusters, top=12)
    assert [row["Order"] for row in chart] == list(range(1, 13))  # not 1, 10, 11, 12, 2, ...
    assert chart[0]["Cluster"] == "1. " + clusters[0].name.strip()  # the whole name, not cut at 40 characters
    assert [row["Cluster"] for row in tables.cluster_rows(clusters)] == list(range(1, 13))


def test_bridges_say_how_many_clusters_they_link_not_a_score():
    rows = tables.bridge_rows(
        {"bridges": [{"id": "a", "label": "A", "type": "service", "betweenness": 0.25, "clusters": [1, 2, 3]}]}
    )
    assert rows == [{"Topic": "A", "Type": "service", "Clusters it links": 3}]


def test_problem_rows_say_which_file_and_why():
    rows = tables.problem_rows([Problem("a.bin", "binary file (PNG image)"), Problem("b.md", "repaired", False)])
    assert rows == [
        {"File": "a.bin", "Skipped": True, "Why": "binary file (PNG image)"},
        {"File": "b.md", "Skipped": False, "Why": "repaired"},
    ]


def test_downloads_are_the_graph_file_and_graphml(tiny):
    data = json.loads(exports.graph_json_bytes(tiny))
    back = graph_from_json(data)
    assert dict(back.nodes(data=True)) == dict(tiny.nodes(data=True))
    assert sorted(back.edges(keys=True)) == sorted(tiny.edges(keys=True))
    root = ET.fromstring(exports.graphml_bytes(tiny))
    assert len(root.findall(".//{http://graphml.graphdrawing.org/xmlns}node")) == 4


def test_download_names_are_never_paths():
    assert exports.download_name("service:kinesis", "html") == "notes-graph-service-kinesis.html"
    assert exports.download_name("../../etc/passwd", "html") == "notes-graph-etc-passwd.html"
    assert exports.download_name("<img src=x>", "json") == "notes-graph-img-src-x.json"
    assert exports.download_name("", "json") == "notes-graph.json"


def test_escaping_note_text():
    assert one_line("  a\n\tb\x00c  ") == "a bc"
    assert one_line("abcdefghij", 5) == "abcd…"
    assert markdown_text("<b>*x*</b> [a](b) $y$ :red[z]") == (r"\<b\>\*x\*\<\/b\> \[a\]\(b\) \$y\$ \:red\[z\]")
    assert tooltip_text('<a HREF="x">\nline  two') == f'<a H{WORD_JOINER}REF="x">\nline two'
