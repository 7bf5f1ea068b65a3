"""The gap report: each kind of gap on small notes written for it, and the bundled notes and public corpus."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import networkx as nx
import pytest

from graph.gaps import (
    COVERED,
    MENTIONED,
    MISSING,
    NO_USE_CASE,
    ONE_LINE_SECTION,
    ONLY_COOCCURRENCE,
    Place,
    duplicated_coverage,
    gap_report,
    structural_gaps,
    syllabus_coverage,
    thin_topics,
    unexplained_entities,
    unfinished_notes,
)
from graph.gaps.common import _first_match, _services_named_in
from graph.sources.catalog import load_catalog
from graph.sources.syllabus import load_syllabus, parse_syllabus
from graph.store.build import build_notes
from graph.store.graphfile import graph_from_json, graph_to_json

#: The public corpus beside the checkout (as in conftest.py).
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "clf-kananinirav" / "sections"

COVERAGE_NOTES = {
    "messaging.md": """# Messaging

## Amazon SQS
- Amazon SQS is a durable message queue.
- Consumers poll the queue at their own pace.

## Amazon MSK
MSK runs Apache Kafka clusters.

## AWS Snowball Edge
Snowball Edge is a rugged device for moving data offline.

## Shared Responsibility Model
The Shared Responsibility Model splits security duties between AWS and the customer.

## AWS Budgets

## Where things ran
We ran the workers on Amazon EC2 and AWS Lambda.

Logs went to Amazon CloudWatch Logs.
"""
}

COVERAGE_SYLLABUS = """# Test exam
## Application Integration
Amazon Simple Queue Service (Amazon SQS)
Amazon Simple Notification Service (Amazon SNS)
## Analytics
Amazon Managed Streaming for Apache Kafka (Amazon MSK)
## Compute
Amazon EC2
AWS Lambda
## Other
AWS Snow Family
Amazon CloudWatch
AWS Budgets
Shared Responsibility Model
## Twice
Amazon SQS
"""


@pytest.fixture(scope="module")
def coverage(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coverage")
    for name, text in COVERAGE_NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    graph = build_notes(folder).graph
    return syllabus_coverage(graph, parse_syllabus(COVERAGE_SYLLABUS, source="test.txt"))


def test_syllabus_entries_get_their_status_and_evidence(coverage):
    rows = [(i.name, i.status, i.label, i.via, [p.cite() for p in i.places]) for i in coverage.items]
    assert rows == [
        ("Amazon Simple Queue Service (Amazon SQS)", COVERED, "Amazon SQS", "", ["messaging.md:3", "messaging.md:4"]),
        ("Amazon Simple Notification Service (Amazon SNS)", MISSING, "", "", []),
        # The guide's long name meets the notes' "MSK" through the catalog's aliases.
        (
            "Amazon Managed Streaming for Apache Kafka (Amazon MSK)",
            COVERED,
            "Amazon MSK",
            "",
            ["messaging.md:7", "messaging.md:8"],
        ),
        ("Amazon EC2", MENTIONED, "Amazon EC2", "", ["messaging.md:19"]),
        ("AWS Lambda", MENTIONED, "AWS Lambda", "", ["messaging.md:19"]),
        # A family is covered by a covered member; a service is only mentioned through a part of it.
        ("AWS Snow Family", COVERED, "AWS Snowball Edge", "AWS Snowball Edge", ["messaging.md:10", "messaging.md:11"]),
        ("Amazon CloudWatch", MENTIONED, "Amazon CloudWatch Logs", "Amazon CloudWatch Logs", ["messaging.md:21"]),
        # An empty heading is unfinished, not an explanation.
        ("AWS Budgets", MENTIONED, "AWS Budgets", "", ["messaging.md:16"]),
        # Not a catalog service: matched by topic name.
        ("Shared Responsibility Model", COVERED, "Shared Responsibility Model", "", ["messaging.md:13"]),
        ("Amazon SQS", COVERED, "Amazon SQS", "", ["messaging.md:3", "messaging.md:4"]),
    ]


def test_syllabus_counts_per_category_and_overall(coverage):
    table = {c.category: (c.total, c.covered, c.mentioned, c.missing, c.covered_percent) for c in coverage.categories}
    assert table == {
        "Application Integration": (2, 1, 0, 1, 50.0),
        "Analytics": (1, 1, 0, 0, 100.0),
        "Compute": (2, 0, 2, 0, 0.0),
        "Other": (4, 2, 2, 0, 50.0),
        "Twice": (1, 1, 0, 0, 100.0),
    }
    overall = coverage.overall
    # SQS is listed twice but counts once overall.
    assert (overall.total, overall.covered, overall.mentioned, overall.missing) == (9, 4, 4, 1)
    assert (overall.covered_percent, overall.mentioned_percent, overall.missing_percent) == (44.4, 44.4, 11.1)
    assert coverage.issues == (
        "test.txt:14: warning: unknown service 'Shared Responsibility Model': not in the service catalog, "
        "so it is matched by name only",
        "test.txt:16: note: 'Amazon SQS' is also listed under 'Application Integration' (line 3); "
        "it counts in both categories and once overall",
    )


def test_unexplained_topics_need_repeated_use(write_notes):
    folder = write_notes(
        {
            "notes.md": """# Compute notes

## Amazon SQS
- Amazon SQS is a message queue.
- Workers on Amazon EC2 poll the queue.

## Deployments
- We deploy to Amazon EC2 with a pipeline.

## Costs
- Amazon EC2 costs the most.
- Amazon RDS costs a little.
"""
        }
    )
    graph = build_notes(folder).graph
    found = unexplained_entities(graph)
    assert [(t.label, t.type, t.mention_count, [p.line for p in t.places]) for t in found] == [
        ("Amazon EC2", "service", 3, [5, 8, 11])
    ]
    assert found[0].neighbours == 3 and found[0].score == pytest.approx(3.46)
    # Amazon RDS is named once: a passing remark, listed only when asked for.
    assert [t.label for t in unexplained_entities(graph, min_mentions=1)] == ["Amazon EC2", "Amazon RDS"]
    assert unexplained_entities(graph, syllabus_nodes={"service:rds"}, min_mentions=1)[0].label == "Amazon RDS"


#: graph/sources/markdown.py's _is_navigation takes a list item that is only a link to "#..." for a
#: table-of-contents entry and drops it, which also drops placeholder links to a bare "#" ("[Screenshot](#)").
#: Reported to the lead; remove this marker once _is_navigation leaves href == "#" alone.
def test_unfinished_spots_with_file_and_line(write_notes):
    folder = write_notes(
        {
            "lab.md": """# Lab

## Screenshots
- [Console view](#)
- [Queue view]()

## Results
TODO: write up the results

## Cleanup

## Summary
Everything worked. Details TBD.
"""
        }
    )
    graph = build_notes(folder).graph
    spots = [(s.file, s.line, s.kinds, s.text) for s in unfinished_notes(graph)]
    assert spots == [
        ("lab.md", 4, ("empty link",), "[Console view](#)"),
        ("lab.md", 5, ("empty link",), "[Queue view]()"),
        ("lab.md", 8, ("to do",), "TODO: write up the results"),
        ("lab.md", 10, ("empty section",), "Cleanup"),
        ("lab.md", 13, ("to do",), "Everything worked. Details TBD."),
    ]


def test_unfinished_spots_survive_a_saved_graph_and_are_none_without_data(bundled_graph):
    copy = graph_from_json(json.loads(json.dumps(graph_to_json(bundled_graph))))
    assert unfinished_notes(copy) == unfinished_notes(bundled_graph)
    del copy.graph["placeholders"]
    assert unfinished_notes(copy) is None
    report = gap_report(copy)
    assert report.unfinished == []
    assert "this graph file has no placeholder data; rebuild it to list unfinished notes" in report.notes


def test_thin_topics_and_their_reasons(write_notes):
    folder = write_notes(
        {
            "notes.md": """# Services

## AWS X-Ray
X-Ray traces requests.

## Amazon SQS
- Amazon SQS is a durable message queue.
- Used for decoupling microservices
- Amazon SQS feeds AWS Lambda
"""
        }
    )
    graph = build_notes(folder).graph
    found = thin_topics(graph)
    assert [(t.label, t.reasons, t.places[0]) for t in found] == [
        ("AWS X-Ray", (NO_USE_CASE, ONLY_COOCCURRENCE, ONE_LINE_SECTION), Place("notes.md", 3, "AWS X-Ray"))
    ]
    # AWS Lambda is only named, so it is an unexplained topic, never a thin one.
    assert "service:lambda" not in {t.node for t in found}


def test_duplicated_coverage_counts_separate_places_where_the_heading_is_about_the_topic(write_notes):
    folder = write_notes(
        {
            "notes.md": """# Search

## Amazon OpenSearch
- OpenSearch indexes logs for search.
- Dashboards show the results.

## Amazon Kinesis
- Kinesis ingests streaming data.

## Athena = SQL over Amazon S3
- Athena queries files in place.

## Amazon S3
- S3 stores objects in buckets.

## Amazon Route 53 Overview
- Route 53 is a managed DNS service.

## Route 53 Routing Policies
- Weighted routing splits traffic.

## Amazon OpenSearch
- OpenSearch also powers the log dashboards.
"""
        }
    )
    graph = build_notes(folder).graph
    found = duplicated_coverage(graph)
    # S3's first heading is about Athena; Route 53's two sections follow each other (one place, split by aspect).
    assert [(d.label, d.places, d.content_lines) for d in found] == [
        (
            "Amazon OpenSearch Service",
            (Place("notes.md", 3, "Amazon OpenSearch"), Place("notes.md", 22, "Amazon OpenSearch")),
            (2, 1),
        )
    ]


def test_structural_gap_between_two_clusters_with_a_bridging_question(write_notes):
    folder = write_notes(
        {
            "streaming.md": """# Streaming

## Amazon Kinesis Data Streams
- Kinesis Data Streams -> Amazon Data Firehose -> Amazon S3
- Amazon S3 -> Amazon Athena
- Amazon Athena -> Amazon QuickSight
- Kinesis Data Streams is used for real-time analytics
- Kinesis Data Streams is used for decoupling
""",
            "messaging.md": """# Messaging

## Amazon SQS
- Amazon SNS -> Amazon SQS -> AWS Lambda
- AWS Lambda -> Amazon DynamoDB
- Amazon EventBridge -> AWS Step Functions
- Amazon SQS is used for decoupling
""",
        }
    )
    graph = build_notes(folder).graph
    gaps = structural_gaps(graph, min_size=3)
    assert len(gaps) == 1
    gap = gaps[0]
    assert gap.first.central[0] == "Amazon Kinesis Data Streams"
    assert "Amazon SQS" in gap.second.central
    assert (gap.links, gap.examples) == (1, ("Amazon Kinesis Data Streams - decoupling",))
    assert gap.question == "How do Amazon Kinesis Data Streams and Amazon SQS differ for decoupling?"


def _clusters_graph(links: int) -> nx.MultiDiGraph:
    """Two five-topic stars (services s0.. and t0.. with use cases), joined by *links* edges."""
    graph = nx.MultiDiGraph()
    for prefix in "st":
        for i in range(5):
            kind = "service" if i < 2 else "use_case"
            graph.add_node(f"{prefix}{i}", label=f"{prefix.upper()}{i}", type=kind)
        for i in range(1, 5):
            graph.add_edge(f"{prefix}0", f"{prefix}{i}", key="used_for", relation="used_for", weight=3.0, stated=True)
    for i in range(links):
        graph.add_edge(f"s{4 - i}", f"t{4 - i}", key="related_to", relation="related_to", weight=0.1, stated=False)
    return graph


def test_structural_gap_score_filter_and_templates():
    (gap,) = structural_gaps(_clusters_graph(0), min_size=5)
    assert (gap.first.size, gap.second.size, gap.links, gap.score) == (5, 5, 0, 5.0)
    assert gap.question == "How could S0 and T0 work together in one solution?"
    (gap,) = structural_gaps(_clusters_graph(1), min_size=5)
    assert (gap.links, gap.score, gap.examples) == (1, 2.5, ("S4 - T4",))
    # Two links between five-topic clusters is more than "barely connected".
    assert structural_gaps(_clusters_graph(2), min_size=5) == []
    assert structural_gaps(_clusters_graph(0), min_size=6) == []


# --- the bundled notes ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_report(bundled_graph):
    return gap_report(bundled_graph, load_syllabus("clf-c02"))


def _status(report, name: str) -> str:
    return next(i.status for i in report.coverage.items if i.name == name)


def test_bundled_notes_against_clf_c02(bundled_report):
    assert _status(bundled_report, "Amazon Simple Queue Service (Amazon SQS)") == COVERED
    assert _status(bundled_report, "Amazon Athena") == COVERED
    assert _status(bundled_report, "Amazon EC2") == MENTIONED
    assert _status(bundled_report, "AWS Lambda") == MENTIONED
    assert _status(bundled_report, "AWS Identity and Access Management (IAM)") == MISSING
    assert _status(bundled_report, "Amazon VPC") == MISSING
    assert _status(bundled_report, "AWS Snow Family") == COVERED
    lam = next(i for i in bundled_report.coverage.items if i.name == "AWS Lambda")
    assert [p.cite() for p in lam.places] == [
        "aws-study-notes.md:34",
        "aws-study-notes.md:698",
        "aws-study-notes.md:733",
    ]
    security = next(c for c in bundled_report.coverage.categories if c.category == "Security, Identity, and Compliance")
    assert (security.total, security.covered, security.mentioned) == (20, 0, 0)


def test_bundled_screenshot_placeholders_are_listed_with_their_lines(bundled_report):
    links = [(s.line, s.text) for s in bundled_report.unfinished if "empty link" in s.kinds]
    assert links == [
        (102, "[Screenshot: Messaging Section Progress](#)"),
        (103, "[Screenshot: SNS Topic Creation](#)"),
        (104, "[Screenshot: SQS Queue View](#)"),
        (176, "[Deployment Screenshot](#)"),
        (177, "[DynamoDB Table Validation Screenshot](#)"),
        (178, "[Mom-and-Dad Test Table Screenshot](#)"),
    ]
    assert (174, ("to do",)) in [(s.line, s.kinds) for s in bundled_report.unfinished]


def test_bundled_opensearch_is_duplicated_coverage(bundled_report):
    opensearch = next(d for d in bundled_report.duplicates if d.label == "Amazon OpenSearch Service")
    assert [p.line for p in opensearch.places] == [802, 949]


def test_bundled_report_steps_come_in_order(bundled_report):
    kinds = [step.kind for step in bundled_report.steps]
    assert kinds[0] == "syllabus"
    order = ["syllabus", "unexplained", "unfinished", "thin", "structural", "duplicates"]
    assert kinds == sorted(kinds, key=order.index)
    assert bundled_report.steps[0].text.startswith("Study the 77 clf-c02 service(s) your notes never name")


def test_report_is_json_ready(bundled_report):
    data = json.loads(json.dumps(bundled_report.to_dict()))
    assert data["coverage"]["overall"]["total"] == 128
    assert set(data) == {
        "files",
        "coverage",
        "steps",
        "unexplained",
        "unfinished",
        "thin",
        "structural",
        "duplicates",
        "notes",
    }


# --- a public corpus written for the exam ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_coverage(corpus_graph):
    return syllabus_coverage(corpus_graph, load_syllabus("clf-c02"))


def test_corpus_written_for_clf_c02_is_mostly_covered(corpus_coverage):
    overall = corpus_coverage.overall
    assert overall.covered_percent >= 75.0
    assert overall.covered + overall.mentioned >= 0.85 * overall.total


@pytest.fixture(scope="module")
def corpus_text() -> str:
    """The corpus as one lower-case text, hyphens as spaces ("Site-to-Site" = "site to site")."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md")))
    return text.casefold().replace("-", " ")


#: Missing CLF-C02 services checked by hand (grep): none of these patterns occurs in the corpus.
ABSENT = {
    "Amazon Managed Streaming for Apache Kafka (Amazon MSK)": r"\bmsk\b|kafka",
    "AWS CloudShell": r"cloudshell|cloud shell",
    "AWS Schema Conversion Tool (AWS SCT)": r"\bsct\b|schema conversion",
    "AWS Transfer Family": r"transfer family",
    "Amazon MemoryDB for Redis": r"memorydb",
    "AWS AppConfig": r"appconfig",
    "AWS Launch Wizard": r"launch wizard",
    "AWS Audit Manager": r"audit manager",
    "AWS Billing Conductor": r"billing conductor",
    "AWS Data Exchange": r"data exchange",
    "AWS Network Firewall": r"network firewall",
}


@pytest.mark.parametrize("name", sorted(ABSENT))
def test_corpus_missing_entries_are_really_absent(corpus_coverage, corpus_text, name):
    item = next(i for i in corpus_coverage.items if i.name == name)
    assert item.status == MISSING
    assert re.search(ABSENT[name], corpus_text) is None


#: Entries reported missing although the corpus names them, because extraction does not read the name as the service
#: (reported to the lead): advanced_identity.md:31 "### AWS Directory Services" and :59 "Directory Services" (plural)
#: become a concept, not AWS Directory Service. When extraction reads them, this becomes {} (and the entry covered).
KNOWN_EXTRACTION_MISSES: dict[str, list[str]] = {}


def test_corpus_every_missing_entry_is_absent_by_its_names(corpus_coverage, corpus_text):
    """No catalog name of a missing entry (or of its family's members) occurs as a word in the corpus."""
    catalog = load_catalog()
    present = {}
    for item in corpus_coverage.items:
        if item.status != MISSING or item.catalog_id is None:
            continue
        entries = [catalog.get(item.catalog_id), *catalog.children(item.catalog_id)]
        names = {
            n.casefold().replace("-", " ")
            for entry in entries
            for n in entry.aliases
            if n not in entry.common_word_aliases and len(n) > 3
        }
        # Whole words, allowing a plural: "Directory Services" names AWS Directory Service.
        hits = sorted(n for n in names if re.search(rf"(?<!\w){re.escape(n)}s?(?!\w)", corpus_text))
        if hits:
            present[item.name] = hits
    assert present == KNOWN_EXTRACTION_MISSES


def test_each_heading_is_matched_once_but_as_every_service_name_was_tried():
    # duplicated_coverage looks a heading up only against the names sharing its rarest letters: the same first
    # matches as trying every name, including short names, names inside names, other cases and glued words.
    names = {
        "service:s3": ["Amazon S3", "S3", "Simple Storage Service"],
        "service:glacier": ["S3 Glacier", "Amazon S3 Glacier", "Glacier"],
        "service:sqs": ["SQS", "Amazon SQS", "Simple Queue Service"],
        "service:dms": ["DMS", "AWS DMS"],
        "service:sct": ["SCT", "AWS SCT"],
        "service:route53": ["Route 53", "Amazon Route 53"],
        "service:c": ["C++", ".NET", "ß-Dienst"],
    }
    named_in = _services_named_in(names)
    rng = random.Random(6)
    pieces = [n for ns in names.values() for n in ns] + ["s3x", "xS3", "vs", "+", " ", "-", "=", "and", "SSS", "ss"]
    titles = ["", "S3", "Amazon S3 Glacier Deep Archive", "DMS + SCT", "Athena = SQL over Amazon S3", "SS-Dienst"]
    titles += [
        "".join(rng.choice([p, p.upper(), p.lower()]) for p in rng.choices(pieces, k=rng.randint(1, 5)))
        for _ in range(400)
    ]
    for title in titles:
        expected = {s: m for s, ns in names.items() if (m := _first_match(title, ns))}
        assert named_in(title) == expected, title
