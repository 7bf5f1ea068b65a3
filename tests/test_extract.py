"""Extraction on small notes written for each behaviour: entities, aliases, relations, evidence."""

from __future__ import annotations

import pytest

from graph.store.build import build_notes


@pytest.fixture
def graph_of(write_notes):
    def build(text: str, name: str = "note.md"):
        return build_notes(write_notes({name: text})).graph

    return build


def labels(graph, kind=None):
    return sorted(d["label"] for _, d in graph.nodes(data=True) if kind is None or d["type"] == kind)


def edge(graph, source, target, relation):
    return graph.edges[source, target, relation] if graph.has_edge(source, target, relation) else None


def test_one_service_is_one_node_whatever_the_notes_call_it(graph_of):
    g = graph_of(
        "# Amazon Simple Queue Service (SQS)\n\n"
        "- SQS is a queue.\n- Amazon SQS scales.\n- Simple Queue Service keeps messages 4 days.\n"
    )
    assert labels(g, "service") == ["Amazon SQS"]
    node = g.nodes["service:sqs"]
    assert node["aliases"] == ["Amazon Simple Queue Service", "Amazon SQS", "Simple Queue Service", "SQS"]
    assert node["has_section"] is True
    assert node["mention_count"] == 4
    assert node["definition"] == "SQS is a queue."


def test_arrow_chain_is_a_pipeline_with_evidence_on_each_hop(graph_of):
    g = graph_of("# Pipeline\n\n```\nProducers → Kinesis → Firehose -> S3\n```\n")
    hops = [
        ("term:producer", "service:kinesis"),
        ("service:kinesis", "service:firehose"),
        ("service:firehose", "service:s3"),
    ]
    for source, target in hops:
        data = edge(g, source, target, "feeds")
        assert data is not None, (source, target)
        assert data["stated"] is True
        assert data["evidence"][0]["line"] == 4
        assert data["evidence"][0]["text"] == "Producers → Kinesis → Firehose -> S3"
    assert not g.has_edge("service:kinesis", "service:s3", "feeds")


def test_labelled_lists_give_typed_relations(graph_of):
    g = graph_of(
        "## Amazon Kinesis Data Firehose\n\n"
        "**Supported Targets**\n\n- **Amazon S3**\n- Amazon Redshift\n- Splunk\n\n"
        "**Common consumers:**\n\n- AWS Lambda functions\n\n"
        "**Data ingestion sources**\n\n- CloudWatch Logs\n\n"
        "Integrates with:\n- Amazon EMR\n\n"
        "**Use cases**\n\n- Log analytics\n- Data lake ingestion\n\n"
        "**Core capabilities**\n\n- Automatic scaling\n"
    )
    firehose = "service:firehose"
    assert edge(g, firehose, "service:s3", "delivers_to")["evidence"][0]["line"] == 5
    assert edge(g, firehose, "service:redshift", "delivers_to")
    assert edge(g, firehose, "term:splunk", "delivers_to")
    assert g.nodes["term:splunk"]["type"] == "technology"
    assert edge(g, firehose, "service:lambda", "consumed_by")
    assert edge(g, firehose, "service:logs", "ingests_from")
    assert edge(g, firehose, "service:emr", "connects_to")
    assert edge(g, firehose, "term:log analytics", "used_for")["stated"] is True
    assert g.nodes["term:log analytics"]["type"] == "use_case"
    assert g.nodes["term:data lake ingestion"]["type"] == "use_case"
    assert edge(g, firehose, "term:automatic scaling", "has")
    assert g.nodes["term:automatic scaling"]["type"] == "concept"
    # Labels themselves are not topics.
    assert "Supported Targets" not in labels(g) and "Core capabilities" not in labels(g)


def test_family_members_are_part_of_their_family(graph_of):
    g = graph_of(
        "## Snow Family\n\nPhysical devices:\n\n- **Snowball** — Move 10+ TB.\n- **Snowcone** — small device.\n"
    )
    assert edge(g, "service:snowball", "service:snow-family", "part_of")
    assert edge(g, "service:snowcone", "service:snow-family", "part_of")
    assert g.nodes["service:snowball"]["definition"] == "Move 10+ TB."


def test_common_word_service_names_need_corroboration(graph_of):
    g = graph_of("# Batch 2 — Streaming\n\nWe used glue and Glue to stick things.\n")
    assert labels(g, "service") == []
    g = graph_of("# AWS Glue\n\nGlue provides the **Data Catalog**.\n")
    assert labels(g, "service") == ["AWS Glue"]
    assert edge(g, "service:glue", "term:data catalog", "has")


def test_comparisons(graph_of):
    g = graph_of(
        "# Streaming\n\nKafka vs Kinesis selection reflects lock-in.\n\n"
        "The Snow Family is about physical transport, whereas DataSync is about network transfer.\n\n"
        "**Key distinction**\n\n> **Kinesis Data Streams = ingest**\n> **Firehose = deliver**\n"
    )
    assert edge(g, "term:kafka", "service:kinesis", "compared_with")
    assert edge(g, "service:snow-family", "service:datasync", "compared_with")
    assert edge(g, "service:kinesis-data-streams", "service:firehose", "compared_with")


def test_definitions_from_labels_and_sentences(graph_of):
    g = graph_of(
        "## Amazon Redshift\n\n**What it is**  \nAmazon Redshift is a managed data warehouse.\n\n"
        "## Concepts\n\n- **Schema-on-Read** — schema is applied at query time\n"
        "- CloudFormation is declarative: you describe the desired state\n"
    )
    assert g.nodes["service:redshift"]["definition"] == "Amazon Redshift is a managed data warehouse."
    assert g.nodes["term:schema on read"]["definition"] == "schema is applied at query time"
    assert g.nodes["term:schema on read"]["label"] == "Schema-on-Read"
    # A lead holding a verb is a sentence, not a term called "CloudFormation is declarative".
    assert "CloudFormation is declarative" not in labels(g)


def test_use_it_when_sentences_become_short_use_cases(graph_of):
    g = graph_of(
        "### Amazon Polly — Text-to-Speech\n\n**Use it when:**  \nYou need speech output (IVR systems, apps).\n\n"
        "### Amazon Transcribe\n\n**Use it when:**  \nYou need transcripts of:\n- calls\n- voice notes\n"
    )
    assert edge(g, "service:polly", "term:speech output", "used_for")
    assert edge(g, "service:transcribe", "term:transcripts of call", "used_for")
    assert g.nodes["term:transcripts of call"]["label"] == "transcripts of calls"


def test_cooccurrence_is_inferred_and_weighted(graph_of):
    g = graph_of("# Notes\n\n- Messaging services (SNS, SQS, SES)\n- SNS and SQS again\n")
    data = edge(g, "service:sns", "service:sqs", "related_to")
    assert data["stated"] is False
    assert data["weight"] == 2.0
    assert [e["line"] for e in data["evidence"]] == [3, 4]


def test_noise_is_left_out(graph_of):
    g = graph_of(
        "# My Takeaways\n\n## Key Points\n\n- [Screenshot: SQS Queue](#)\n- 🧠 **Mental Model:** think\n"
        "- ![diagram](x.png) Amazon SQS\n\n## Overview\n\nNotes.\n"
    )
    assert labels(g) == ["Amazon SQS"]


def test_headings_decorated_with_navigation_links(graph_of):
    g = graph_of("# Amazon SQS [⬆ back to top](#contents)\n\n## [Amazon SNS](#amazon-sns)\n\n- pub/sub\n")
    assert labels(g, "service") == ["Amazon SNS", "Amazon SQS"]
    assert all("back to top" not in a.lower() for a in g.nodes["service:sqs"]["aliases"])
    assert g.nodes["service:sns"]["sections"][0]["title"] == "Amazon SNS"


def test_plural_and_case_variants_merge(graph_of):
    g = graph_of("# Storage\n\n- **Data Lakes** hold raw data\n- a **data lake** is cheap\n- **data-lake** again\n")
    assert g.nodes["term:data lake"]["mention_count"] == 3
    assert [n for n in g if "lake" in n] == ["term:data lake"]


def test_notes_about_something_else_than_aws(graph_of):
    g = graph_of(
        "# Kubernetes Notes\n\n## Core Concepts\n\n"
        "- **Pod** — the smallest deployable unit.\n- **Service** — stable virtual IP in front of pods.\n\n"
        "## Control Plane\n\netcd is a consistent key-value store that holds the cluster state.\n\n"
        "## Networking\n\nTraffic: Client -> Ingress Controller -> Service -> Pod\n\n- ClusterIP vs NodePort\n\n"
        "**Use cases**\n\n- Microservices platforms\n- Machine learning pipelines with Kubeflow\n\n"
        "## Helm\n\nHelm is a package manager for Kubernetes.\n"
    )
    assert labels(g, "service") == []
    assert g.nodes["term:pod"]["definition"] == "the smallest deployable unit."
    assert g.nodes["term:service"]["type"] == "concept"
    assert g.nodes["term:etcd"]["definition"].startswith("etcd is a consistent key-value store")
    assert g.nodes["term:helm"]["type"] == "technology"
    assert g.nodes["term:helm"]["definition"] == "Helm is a package manager for Kubernetes."
    assert edge(g, "term:ingress controller", "term:service", "feeds")
    assert edge(g, "term:service", "term:pod", "feeds")
    assert edge(g, "term:clusterip", "term:nodeport", "compared_with")
    assert edge(g, "term:networking", "term:microservices platform", "used_for")
    assert g.nodes["term:microservices platform"]["type"] == "use_case"
