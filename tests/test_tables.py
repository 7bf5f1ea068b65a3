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
    feeds = [row for row in tables.relation_rows(card) if row["Relation"] == "feeds →"]
    assert feeds == [
        {
            "Relation": "feeds →",
            "Topic": "Amazon S3",
            "Type": "service",
            "Kind": "stated",
            "Weight": 1.0,
            "Evidence": "n.md:7: Kinesis -> Amazon S3 -> Amazon Athena",
            "More evidence": 0,
        }
    ]
    around_s3 = [
        (r["Relation"], r["Topic"], r["Kind"]) for r in tables.relation_rows(describe_entity(tiny, "service:s3"))
    ]
    assert around_s3 == [  # stated first, then by weight
        ("feeds →", "Amazon Athena", "stated"),
        ("← feeds", "Amazon Kinesis", "stated"),
        ("← related_to", "Amazon Kinesis", "inferred"),
        ("related_to →", "Amazon Athena", "inferred"),
    ]


def test_a_route_is_one_row_per_relation_of_each_hop(tiny):
    route = find_routes(tiny, "service:kinesis", "service:athena", k=1).routes[0]
    assert tables.route_title(route) == "Amazon Kinesis → Amazon S3 → Amazon Athena"
    rows = tables.hop_rows(route)
    assert [(r["Hop"], r["From"], r["Relation"], r["To"], r["Kind"]) for r in rows] == [
        (1, "Amazon Kinesis", "feeds", "Amazon S3", "stated"),
        (1, "Amazon Kinesis", "related_to", "Amazon S3", "inferred"),
        (2, "Amazon S3", "feeds", "Amazon Athena", "stated"),
        (2, "Amazon S3", "related_to", "Amazon Athena", "inferred"),
    ]
    assert rows[0]["Evidence"] == "n.md:7: Kinesis -> Amazon S3 -> Amazon Athena"


def test_overview_charts_count_types_and_stated_relations(tiny):
    info = graph_overview(tiny)
    assert tables.type_chart(info) == [{"Type": "concept", "Topics": 1}, {"Type": "service", "Topics": 3}]
    chart = tables.relation_chart(info)
    assert {"Relation": "feeds", "Kind": "stated", "Edges": 2} in chart
    assert {"Relation": "related_to", "Kind": "not stated", "Edges": 3} in chart
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
    parts = tables.gap_rows(report)
    assert set(parts) == {"unexplained", "unfinished", "thin", "structural", "duplicates"}
    assert all(isinstance(row, dict) for rows in parts.values() for row in rows)


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
