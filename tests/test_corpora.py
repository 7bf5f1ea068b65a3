"""End to end on real notes: the bundled notes and a public corpus written by someone else."""

from __future__ import annotations

import itertools
import re

import pytest

FILE = "aws-study-notes.md"


def stated(graph, source, target, relation):
    if not graph.has_edge(source, target, relation):
        return None
    data = graph.edges[source, target, relation]
    return data if data["stated"] else None


def lines_of(data):
    return sorted({(e["file"], e["line"]) for e in data["evidence"]})


def services(graph):
    return {n for n, d in graph.nodes(data=True) if d["type"] == "service"}


# --- the bundled notes ----------------------------------------------------------------------------------------------


def test_bundled_services_are_found_once_each_with_their_aliases(bundled_graph):
    found = services(bundled_graph)
    assert 55 <= len(found) <= 70
    expected = {
        "sqs",
        "sns",
        "ses",
        "events",
        "stepfunctions",
        "codecommit",
        "codebuild",
        "codedeploy",
        "codepipeline",
        "cloudshell",
        "cli",
        "cloud9",
        "codeartifact",
        "dynamodb",
        "cloudformation",
        "elasticbeanstalk",
        "xray",
        "snow-family",
        "snowball",
        "snowball-edge",
        "snowmobile",
        "snowcone",
        "dms",
        "sct",
        "transfer",
        "datasync",
        "discovery",
        "mgn",
        "mgh",
        "athena",
        "glue",
        "s3",
        "glacier",
        "redshift",
        "quicksight",
        "kinesis",
        "kinesis-data-streams",
        "firehose",
        "kafka",
        "opensearch",
        "emr",
        "sagemaker",
        "kendra",
        "lex",
        "polly",
        "comprehend",
        "textract",
        "transcribe",
        "translate",
        "rekognition",
        "lambda",
        "ec2",
        "rds",
        "efs",
        "fsx",
        "aurora",
        "logs",
        "dynamodbstreams",
    }
    assert {f"service:{s}" for s in expected} <= found
    # Words that are not services here: "Batch 2" is an enumeration, "Chatbot Builder" a description.
    assert "service:batch" not in found and "service:chatbot" not in found
    assert bundled_graph.nodes["service:firehose"]["aliases"] == [
        "Amazon Data Firehose",
        "Amazon Kinesis Data Firehose",
        "Firehose",
        "Kinesis Firehose",
    ]
    assert bundled_graph.nodes["service:kafka"]["aliases"] == [
        "Amazon MSK",
        "Managed Streaming for Apache Kafka",
        "MSK",
    ]


def test_bundled_pipeline_pattern_a_is_a_chain_of_stated_hops(bundled_graph):
    chain = [
        "term:producer",
        "service:kinesis",
        "service:firehose",
        "service:s3",
        "service:glue",
        "service:athena",
        "service:quicksight",
    ]
    for source, target in itertools.pairwise(chain):
        data = stated(bundled_graph, source, target, "feeds")
        assert data is not None, (source, target)
        assert (FILE, 854) in lines_of(data)


def test_bundled_labelled_lists(bundled_graph):
    g = bundled_graph
    for target in ("s3", "redshift", "opensearch"):
        assert (FILE, {"s3": 739, "redshift": 740, "opensearch": 741}[target]) in lines_of(
            stated(g, "service:firehose", f"service:{target}", "delivers_to")
        )
    assert stated(g, "service:firehose", "term:splunk", "delivers_to")
    assert lines_of(stated(g, "service:kinesis", "service:lambda", "consumed_by")) == [(FILE, 698)]
    assert lines_of(stated(g, "service:kinesis", "service:emr", "consumed_by")) == [(FILE, 699)]
    for source in ("logs", "firehose", "s3", "dynamodbstreams"):
        assert stated(g, "service:opensearch", f"service:{source}", "ingests_from"), source


def test_bundled_use_cases_hang_off_their_service(bundled_graph):
    g = bundled_graph
    data = stated(g, "service:kinesis", "term:behavioral analytics", "used_for")
    assert lines_of(data) == [(FILE, 706)]
    assert g.nodes["term:behavioral analytics"]["type"] == "use_case"
    assert g.nodes["term:log analytics"]["type"] == "use_case"
    assert stated(g, "service:opensearch", "term:log analytics", "used_for")
    for service in ("emr", "sagemaker", "comprehend", "quicksight", "firehose", "kafka"):
        uses = [v for _, v, k in g.out_edges(f"service:{service}", keys=True) if k == "used_for"]
        assert len(uses) >= 3, service


def test_bundled_families_and_comparisons(bundled_graph):
    g = bundled_graph
    for member in ("snowball", "snowball-edge", "snowmobile", "snowcone"):
        assert g.has_edge(f"service:{member}", "service:snow-family", "part_of"), member
    assert g.has_edge("service:kinesis-data-streams", "service:kinesis", "part_of")
    assert lines_of(stated(g, "service:snow-family", "service:datasync", "compared_with")) == [(FILE, 417)]
    assert lines_of(stated(g, "term:kafka", "service:kinesis", "compared_with")) == [(FILE, 901)]
    assert (FILE, 754) in lines_of(stated(g, "service:kinesis-data-streams", "service:firehose", "compared_with"))
    assert lines_of(stated(g, "term:provisioned", "term:on demand", "compared_with"))[0] == (FILE, 123)


def test_bundled_definitions_and_own_sections(bundled_graph):
    g = bundled_graph
    assert g.nodes["service:redshift"]["definition"].startswith("Amazon Redshift is AWS’s managed data warehousing")
    assert g.nodes["service:codecommit"]["definition"].startswith("Managed Git-based source control service")
    assert g.nodes["service:snowball"]["definition"] == "Move 10+ TB of data to AWS."
    assert [s["start_line"] for s in g.nodes["service:opensearch"]["sections"]] == [802, 949]
    assert g.nodes["service:lambda"]["has_section"] is False
    assert g.nodes["service:ec2"]["has_section"] is False


def test_bundled_topics_are_clean(bundled_graph):
    for _, data in bundled_graph.nodes(data=True):
        label = data["label"]
        assert not re.search(r"[\[\]#*_<>`]|https?:|â€|ğŸ", label), label
        assert label == label.strip() and label
    labels = {d["label"] for _, d in bundled_graph.nodes(data=True)}
    for scaffolding in (
        "Key Points",
        "Overview",
        "Use Cases",
        "Core Capabilities",
        "Mental Model",
        "Personal Takeaway",
        "Screenshots To Be Added",
        "What I Worked Through",
    ):
        assert scaffolding not in labels
    for concept in ("Data Catalog", "Schema-on-Read", "Long Polling", "Short Polling", "ETL", "data lake"):
        assert concept in labels, concept


# --- a corpus written by someone else -------------------------------------------------------------------------------


def test_public_corpus_services_are_found_and_merged(corpus_graph):
    g = corpus_graph
    found = services(g)
    assert len(found) >= 120
    for name in (
        "sqs",
        "sns",
        "mq",
        "kinesis",
        "iam",
        "ec2",
        "s3",
        "rds",
        "aurora",
        "dynamodb",
        "lambda",
        "vpc",
        "cloudfront",
        "route53",
        "cloudwatch",
        "cloudtrail",
        "organizations",
        "shield",
        "snowball",
        "glue",
    ):
        assert f"service:{name}" in found, name
    assert g.nodes["service:ec2"]["aliases"] == [
        "Amazon EC2",
        "Amazon Elastic Compute Cloud",
        "AWS EC2",
        "EC2",
        "Elastic Compute Cloud",
    ]
    assert g.nodes["service:ec2"]["definition"].startswith("Amazon Elastic Compute Cloud (EC2) is a scalable compute")
    assert g.nodes["service:sqs"]["sections"][0] == {
        "file": "cloud_integration.md",
        "title": "Amazon SQS - Simple Queue Service",
        "start_line": 25,
        "end_line": 36,
        "content_lines": 10,
    }


def test_public_corpus_relations_with_evidence(corpus_graph):
    g = corpus_graph
    assert lines_of(stated(g, "service:sns", "service:sqs", "consumed_by")) == [("cloud_integration.md", 76)]
    assert lines_of(stated(g, "service:sns", "service:lambda", "consumed_by")) == [("cloud_integration.md", 76)]
    for target in ("s3", "redshift"):
        assert lines_of(stated(g, "service:firehose", f"service:{target}", "delivers_to")) == [
            ("cloud_integration.md", 44)
        ]
    assert g.has_edge("service:firehose", "service:kinesis", "part_of")


def test_public_corpus_names_carry_no_markup_or_navigation(corpus_graph):
    for node, data in corpus_graph.nodes(data=True):
        label = data["label"]
        assert not re.search(r"\]\(|\[|#|https?:|www\.|\.html|\*\*", label), (node, label)
    # Tables of contents are navigation: they are not mentions.
    for place in corpus_graph.nodes["service:sqs"]["mentions"]:
        assert not (place["file"] == "cloud_integration.md" and place["line"] == 5)


@pytest.mark.parametrize("name", ["service:sqs", "service:iam", "service:s3", "service:ec2"])
def test_public_corpus_core_services_are_explained(corpus_graph, name):
    node = corpus_graph.nodes[name]
    assert node["has_section"] and node["definition"] and node["mention_count"] >= 5
