"""Precision: phrases that look like terms but name nothing get no node (issue 12, item 6).

Negations, enumeration values and shouted words, course meta and UI breadcrumbs are told apart by
grammar, case and position (see :mod:`graph.extract.fragments` and :mod:`graph.extract.rules.arrows`).
"""

from __future__ import annotations

import pytest

from graph.extract.fragments import fragment_reason
from graph.store.build import build_notes


@pytest.fixture
def graph_of(write_notes):
    def build(text: str, name: str = "note.md"):
        return build_notes(write_notes({name: text})).graph

    return build


def labels(graph, kind=None):
    return sorted(d["label"] for _, d in graph.nodes(data=True) if kind is None or d["type"] == kind)


@pytest.mark.parametrize(
    ("surface", "after", "before", "reason"),
    [
        ("Cannot", "", "", "negation"),
        ("DEK Can't", "", "", "negation"),
        ("Don't change", "", "", "negation"),
        ("HA at no additional cost", "", "", "negation"),
        ("N/A", "", "", "negation"),
        ("LICENSE", "). Five", "commit 3cde4a7, MIT licence (", "enumeration value"),
        ("NONE", ", TOTAL", "", "enumeration value"),
        ("TOTAL", "", "NONE, ", "enumeration value"),
        ("ALLOW", " and DENY rules", "Can have ", "enumeration value"),
        ("NEW_IMAGE", " : the final state", "", "enumeration value"),
        ("THREE PROBLEMS", ":", "", "enumeration value"),
        ("Module 2", "", "", "course meta"),
        ("Lesson 3", "", "", "course meta"),
        ("Part 1", "", "", "course meta"),
        ("Section 4.2", "", "", "course meta"),
        ("AWS-Fundamentals", "", "", "course meta"),
        ("Cloud Practitioner exam", "", "", "course meta"),
        ("AWS-SAA-C02-Course", "", "", "course meta"),
        ("PBs", " of data", "scale to ", "amount"),
        ("Oldest AWS offering", "", "", "fragment"),
        ("Data encrypted at rest", "", "", "fragment"),
        ("HA and Scalable", "", "", "fragment"),
        ("versioned", "", "", "fragment"),
        ("SGs SGs", "", "", "fragment"),
        ("Retrievals take 3", "", "", "fragment"),
        ("Allocated to your account", "", "", "fragment"),
        ("optionally", "", "", "fragment"),
        ("Layer 7", "", "", None),
        ("Windows Server 2019", "", "", None),
        ("family", "", "", None),
        ("Based on rules", "", "", "fragment"),
        ("Provisioned", " vs On-Demand", "", None),  # an option's name
        ("Least privilege access", "", "", None),
        ("Digest authentication", "", "", None),
        ("Managed service", "", "", None),
        # Acronyms and terms stay.
        ("SQS", "", "", None),
        ("FIFO", "", "", None),
        ("RAM", ")", "(CPU + ", None),
        ("WORM", " (Write Once Read Many) model", "Adopt a ", None),
        ("REST", ", GraphQL)", "API Management (", None),
        ("MEAN", ", Node.js)", "templates for LAMP, Nginx, ", None),
        ("REST API", "", "", None),
        ("Backend-as-a-Service", "", "", None),
        ("Read-After-Write consistency", "", "", None),
        ("Zero Trust model", "", "", None),
        ("Partition key", "", "", None),
    ],
)
def test_fragment_reason(surface, after, before, reason):
    assert fragment_reason(surface, after, before) == reason


def test_a_use_case_is_a_description_and_may_read_like_a_clause():
    assert fragment_reason("Thumbnails for images uploaded to S3") == "fragment"
    assert fragment_reason("Thumbnails for images uploaded to S3", task=True) is None
    assert fragment_reason("Module 2", task=True) == "course meta"


def test_capitals_in_a_heading_are_a_style_not_a_value():
    assert fragment_reason("STORAGE CLASSES", heading=True) is None
    assert fragment_reason("STORAGE CLASSES") == "enumeration value"
    assert fragment_reason("Module 2", heading=True) == "course meta"


def test_fragments_get_no_node_and_no_edge(graph_of):
    g = graph_of(
        "# Amazon SQS\n\n"
        "- Study this for the Cloud Practitioner exam\n"
        "- **FIFO** queues keep order\n"
        "- Projections: `KEYS_ONLY`, **INCLUDE**, **ALL**\n"
        "- Security groups: **Cannot** deny traffic\n"
        "- Network ACLs have ALLOW and DENY rules\n"
        "- Adopt a WORM (Write Once Read Many) model\n"
    )
    found = labels(g)
    assert "FIFO" in found and "WORM" in found and "Amazon SQS" in found
    for junk in ("Cloud Practitioner", "Cloud Practitioner exam", "INCLUDE", "ALL", "KEYS_ONLY", "Cannot", "ALLOW",
                 "DENY"):  # fmt: skip
        assert junk not in found
    assert all(not key.startswith(("term:allow", "term:deny", "term:cannot")) for edge in g.edges for key in edge[:2])


def test_a_term_written_properly_elsewhere_in_the_note_stays(graph_of):
    g = graph_of("# Notes\n\n- **Lesson 3** covers queues\n- **Dead-letter queue** keeps failed messages\n")
    assert "Dead-letter queue" in labels(g)
    assert "Lesson 3" not in labels(g)


def test_a_ui_breadcrumb_is_not_a_pipeline(graph_of):
    g = graph_of(
        "# Billing\n\n"
        "- Go to Navigation menu -> Operations -> Error Reporting\n"
        "- Producers -> Amazon Kinesis Data Streams -> Amazon S3\n"
    )
    feeds = sorted((g.nodes[a]["label"], g.nodes[b]["label"]) for a, b, r in g.edges if r == "feeds")
    assert feeds == [("Amazon Kinesis Data Streams", "Amazon S3"), ("Producers", "Amazon Kinesis Data Streams")]
    assert "Navigation menu" not in labels(g) and "Operations" not in labels(g)


def test_a_breadcrumb_still_names_the_services_on_it(graph_of):
    g = graph_of("# Setup\n\nIn the console, click Services -> Amazon S3 -> Buckets.\n")
    assert "Amazon S3" in labels(g, "service")
    assert not [e for e in g.edges if e[2] == "feeds"]
    assert "Buckets" not in labels(g)


@pytest.mark.parametrize(
    ("surface", "after", "reason"),
    [
        ("Deploy", "", "fragment"),  # English knows it only as a verb
        ("decouple", "", "fragment"),
        ("global", "", "fragment"),  # an everyday adjective says something of a topic
        ("retries", "", None),  # may be a plural noun
        ("decoupling", "", None),  # a gerund names an activity
        ("stateless", "", None),  # a rarer adjective names an idea
        ("serverless", "", None),  # a word English does not know
        ("Kafka", "", None),
        ("malicious activities and threats", "", "fragment"),  # two things, not one name
        ("Health Insurance Portability and Accountability Act", "", None),
        ("IP", " addresses and ports", "modifier"),  # an everyday acronym before a noun
        ("CPU", " usage", "modifier"),
        ("SQL", " queries", None),  # jargon the notes teach
        ("IP", ", TCP and UDP", None),
        ("CIDR", " block", None),  # jargon stays
        ("SG", " understand logical resources", None),  # a verb follows: the acronym is the subject
        ("enterprise-grade", " applications", "modifier"),  # a hyphenated compound before a noun
        ("Low-latency", " reads and writes", "modifier"),
        ("multi-master", " replication.", "modifier"),
        ("multi-master", ".", None),  # a noun at the end of the sentence
        ("data-lake", " again", None),  # no noun follows
        ("Multi-AZ", " deployments", None),  # an acronym in the compound: a name
        ("Wordpress Example", "", "scaffolding"),  # an example of a topic, not one
        ("S3 Overview", "", "scaffolding"),
        ("Release notes", "", None),
        ("Azure Data", " services, SQL Server", "vendor phrase"),  # cut before a lower-case noun
        ("AWS ISO", " certifications, PCI", "vendor phrase"),
        ("AWS infrastructure", "", "vendor phrase"),  # a vendor's things in general
        ("AWS Services", "", "vendor phrase"),
        ("Azure-hosted", "", "vendor phrase"),
        ("AWS Region", "", None),  # a named thing
        ("Amazon Machine Image", "", None),
    ],
)
def test_predicates_coordinations_and_modifiers_name_no_topic(surface, after, reason):
    assert fragment_reason(surface, after) == reason


def test_an_everyday_acronym_before_a_noun_is_no_mention_there(graph_of):
    g = graph_of(
        "# Amazon VPC\n\n"
        "Security groups filter IP traffic and allow IP addresses.\n\n"
        "Network ACLs are stateless; a CIDR block sizes the VPC.\n\n"
        "## Protocols\n\nRules name a protocol: TCP, UDP or ICMP.\n"
    )
    found = labels(g)
    assert "IP" not in found
    assert "CIDR" in found and "TCP" in found
    assert not any("term:ip" in (a, b) for a, b, _ in g.edges)


def test_a_verb_step_of_a_pipeline_gets_no_node(graph_of):
    g = graph_of("# CI/CD\n\n- Code => Build => Test => Deploy\n- Teams deploy often and decouple services.\n")
    found = labels(g)
    assert "Deploy" not in found and "decouple" not in found


def test_what_an_abbreviation_stands_for_is_one_node_with_it(graph_of):
    g = graph_of(
        "# AWS Artifact\n\n"
        "- Reports such as System and Organization Control (SOC) reports\n"
        "- Agreements such as the Health Insurance Portability and Accountability Act (HIPAA)\n"
        "- HIPAA applies to health data.\n"
    )
    found = labels(g)
    for piece in ("Health Insurance Portability", "Accountability Act", "Organization Control"):
        assert piece not in found
    hipaa = [d for _, d in g.nodes(data=True) if "HIPAA" in [d["label"], *d.get("aliases", [])]]
    assert len(hipaa) == 1 and "Health Insurance Portability and Accountability Act" in [
        hipaa[0]["label"],
        *hipaa[0].get("aliases", []),
    ]


def test_the_label_of_a_link_is_no_topic(graph_of):
    g = graph_of(
        "# Azure Storage\n\n"
        "LM: https://learn.example.com/modules/storage\n\n"
        "- LM https://learn.example.com/modules/files\n"
        "- **Blob tiers**: hot, cool, archive\n"
    )
    found = labels(g)
    assert "LM" not in found and "Blob tiers" in found


def test_an_acronym_known_in_capitals_is_found_again_only_in_capitals(graph_of):
    g = graph_of(
        "# Amazon SNS\n\n- **HTTP** endpoints receive messages\n\n## Access\n\nReachable from http or the console.\n"
    )
    http = [d for n, d in g.nodes(data=True) if d["label"] == "HTTP"]
    assert len(http) == 1 and {m["line"] for m in http[0]["mentions"]} == {3}


def test_an_abbreviation_inside_a_word_is_no_expansion(graph_of):
    g = graph_of("# Amazon EC2\n\n- Elastic IPs (Static IPv4 Public) stay with the account\n- IPs change on stop\n")
    assert not any(d["label"] == "IPv4 Public" or "IPv4 Public" in d.get("aliases", []) for _, d in g.nodes(data=True))


def test_a_compound_capitalised_mid_sentence_is_a_name(graph_of):
    g = graph_of(
        "# Amazon Aurora\n\n"
        "- High-performance database engine\n"
        "- In a Multi-master cluster every node writes.\n"
        "- Great for enterprise-grade applications.\n"
    )
    found = labels(g)
    assert "Multi-master" in found
    assert "High-performance" not in found and "enterprise-grade" not in found


def test_a_term_inside_a_longer_name_is_no_mention_of_it(graph_of):
    g = graph_of(
        "# Amazon VPC\n\n"
        "- **ACL**: a list of rules\n"
        "- **Network ACL**: filters traffic at the subnet\n\n"
        "A Network ACL is stateless.\n"
    )
    acl = [d for _, d in g.nodes(data=True) if d["label"] == "ACL"]
    assert len(acl) == 1 and {m["line"] for m in acl[0]["mentions"]} == {3}


def test_a_capitalised_word_english_does_not_know_opens_a_name_not_a_clause():
    from graph.extract import terms

    assert terms.is_term_like("Zelvanes Event Trails")  # "Zelvanes" is no verb
    assert not terms.is_term_like("Compiles source code")  # a verb English knows opens a clause
    assert not terms.is_term_like("Jenkins builds artifacts")  # a name, then its verb


def test_a_primer_is_how_a_heading_treats_its_topic(graph_of):
    graph = graph_of("# Networks\n\n## VPC & Kubelets Primer\n\nKubelets run pods beside a VPC.\n")
    assert not any("primer" in label.lower() for label in labels(graph))
