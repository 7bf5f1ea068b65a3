"""Services found as service nodes: sub-products from the icon set, plurals, rarer words under a service heading.

The catalog side (which icon names become entries) is tested on a small made-up icon list against
``scripts/build_catalog.add_icon_products``; the extraction side on small notes built end to end.
"""

from __future__ import annotations

import gc
import importlib.util
import sys
from pathlib import Path

import pytest

from graph.extract.note import extract_note
from graph.extract.pipeline import _with_plural, make_pipeline, service_options, service_support
from graph.sources.catalog import load_catalog
from graph.sources.markdown import parse_note
from graph.sources.notes import read_notes
from graph.store.build import build_notes

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("build_catalog", REPO / "scripts" / "build_catalog.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_catalog", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def graph_of(write_notes):
    def build(text: str, name: str = "note.md"):
        return build_notes(write_notes({name: text})).graph

    return build


def services(graph):
    return sorted(d["label"] for _, d in graph.nodes(data=True) if d["type"] == "service")


def _drafts(builder, *entries):
    drafts = {}
    for entry_id, label, aliases in entries:
        draft = builder._Draft(entry_id)
        draft.label = draft.full_name = label
        for alias in (label, *aliases):
            draft.add(alias, 1)
        drafts[entry_id] = draft
    return drafts


def test_icon_products_and_sub_products(builder):
    drafts = _drafts(
        builder,
        ("fsx", "Amazon FSx", ["FSx"]),
        ("ssm", "AWS Systems Manager", ["SSM", "Systems Manager"]),
        ("shield", "AWS Shield", ["Shield"]),
        ("s3", "Amazon S3", ["S3", "Amazon Simple Storage Service"]),
        ("ec2", "Amazon EC2", ["EC2"]),
    )
    icons = {
        "services": ["Amazon FSx", "Amazon FSx for Lustre", "AWS Outposts family", "AWS WAF Dark"],
        "resources": [
            ["AWS Systems Manager", "Session Manager"],
            ["AWS Systems Manager", "Inventory"],
            ["AWS Systems Manager", "Maintenance Windows"],
            ["AWS Shield", "AWS Shield Advanced"],
            ["Amazon Simple Storage Service", "Bucket"],
            ["Amazon Simple Storage Service", "S3 Replication"],
            ["Amazon EC2", "Instance"],
            ["Amazon EC2", "Spot Instance"],
        ],
    }
    docs = {"ssm": "Start a Session Manager session. Define maintenance windows.", "ec2": "Spot Instance requests"}
    added = builder.add_icon_products(drafts, icons, lambda d: docs.get(d.id, ""))
    assert sorted(added) == ["fsx-for-lustre", "shield-advanced", "ssm-session-manager"]
    assert drafts["fsx-for-lustre"].label == "Amazon FSx for Lustre"
    assert drafts["fsx-for-lustre"].parent is None  # derived later from the name, like a botocore entry's
    session = drafts["ssm-session-manager"]
    assert (session.label, session.parent) == ("AWS Systems Manager Session Manager", "ssm")
    names = {a for a, _ in session.aliases}
    assert {"Session Manager", "SSM Session Manager", "Systems Manager Session Manager"} <= names
    assert drafts["shield-advanced"].parent == "shield"


def test_product_names(builder):
    assert builder.is_product_name("AWS Microservice Extractor for .NET")
    assert not builder.is_product_name("AWS Backup support for Amazon S3")
    assert not builder.is_product_name("Amazon RDS Instance Alternate")


def test_bundled_catalog_has_the_icon_sub_products():
    catalog = load_catalog()
    assert catalog.resolve("SSM Parameter Store").id == "ssm-parameter-store"
    assert catalog.get("ssm-parameter-store").parent == "ssm"
    assert catalog.resolve("Amazon FSx for Lustre").parent == "fsx"
    assert catalog.resolve("AD Connector").parent == "ds"
    assert catalog.lookup_alias("SFTP") is None  # "AWS SFTP" is an icon's product; the protocol alone is not


def test_sub_products_are_services_part_of_their_parent(graph_of):
    g = graph_of(
        "# AWS Systems Manager\n\n- **Session Manager**: start a secure shell without SSH keys.\n"
        "- Store configuration in the SSM Parameter Store.\n\n## Storage\n\n- Amazon FSx for Lustre for HPC.\n"
    )
    assert "AWS Systems Manager Session Manager" in services(g)
    assert "AWS Systems Manager Parameter Store" in services(g)
    assert "Amazon FSx for Lustre" in services(g)
    assert g.has_edge("service:ssm-session-manager", "service:ssm", "part_of")


def test_everyday_sub_product_name_needs_its_context(graph_of):
    g = graph_of("# Team habits\n\nOur session manager keeps the meeting short.\n")
    assert services(g) == []


def test_plural_mentions(graph_of):
    assert _with_plural("VPC") == ("VPC", "VPCs")
    assert _with_plural("Amazon ECS") == ("Amazon ECS",)
    g = graph_of("# Logging\n\nSee every call to the key in cloudtrails and in the VPCs flow logs.\n")
    assert {"AWS CloudTrail", "Amazon VPC"} <= set(services(g))


def test_rarer_word_under_a_heading_that_names_a_service(graph_of):
    body = "\n\n### Refresher\n\n#### Column stores\n\nColumn Store (Redshift) - columns are stored together.\n"
    assert "Amazon Redshift" in services(graph_of("## RDS" + body))
    assert "Amazon Redshift" not in services(graph_of("## Databases" + body))


def test_reading_a_note_leaves_no_reference_cycle(write_notes):
    # A build pauses the garbage collector, so a note held in a cycle (its Docs too) stayed in memory until the
    # build ended: a worker grew by about 150 KB per note it read.
    body = "## RDS\n\n### Refresher\n\n#### Column stores\n\nColumn Store (Redshift) - columns are stored together.\n"
    notes = read_notes(write_notes({"note.md": body})).notes
    nlp = make_pipeline(None)
    extract_note(parse_note(notes[0]), nlp)  # the first read loads what is cached for good
    gc.collect()
    gc.disable()
    try:
        extraction = extract_note(parse_note(notes[0]), nlp)
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert "service:redshift" in {m.key for m in extraction.mentions}


def test_iam_names_keep_everyday_phrases_behind_the_vendor(builder):
    drafts = _drafts(builder, ("ssm", "AWS Systems Manager", ["Systems Manager"]))
    probs = {"consolidated": -11.0, "billing": -12.0}
    names = ["AWS OpsWorks", "AWS Consolidated Billing", "Account access manager", "AWS Systems Manager"]
    added = builder.add_iam_products(drafts, names, probs)
    assert added == ["opsworks", "consolidated-billing"]
    assert {a for a, _ in drafts["opsworks"].aliases} >= {"AWS OpsWorks", "OpsWorks"}
    assert {a for a, _ in drafts["consolidated-billing"].aliases} == {"AWS Consolidated Billing"}


def test_icon_short_form_spelled_out_from_the_api_docs(builder):
    drafts = _drafts(builder, ("fsx", "Amazon FSx", ["FSx"]))
    docs = {"fsx": "Creates an Amazon FSx for Windows File Server file system."}
    icons = {"services": ["Amazon FSx for WFS"], "resources": []}
    builder.add_icon_products(drafts, icons, lambda d: docs.get(d.id, ""))
    draft = drafts["fsx-for-windows-file-server"]
    assert draft.label == "Amazon FSx for Windows File Server"
    assert "Amazon FSx for WFS" in {a for a, _ in draft.aliases}


def test_initials_alias(builder):
    assert builder.initials_alias("AWS Cloud Development Kit") == ["AWS CDK"]
    assert builder.initials_alias("Cloud Development Kit") == []  # never without the vendor
    assert builder.initials_alias("AWS Shield Advanced") == []


def test_singular_of_a_plural_name_only_as_written(graph_of):
    g = graph_of("# Accounts\n\nOne AWS Organization holds every account; API Gateways front the services.\n")
    assert {"AWS Organizations", "Amazon API Gateway"} <= set(services(g))
    g = graph_of("# Gateway\n\nAPI gateway is an AWS managed service that provides managed API endpoints.\n")
    assert "AWS Managed Services" not in services(g)


def test_uncatalogued_product_after_a_cloud_name_is_a_service(graph_of):
    g = graph_of("# Snow devices\n\n- **AWS OpsHub**: desktop application to manage Snow Family devices.\n")
    node = g.nodes["term:aws opshub"]
    assert (node["label"], node["type"]) == ("AWS OpsHub", "service")
    assert "catalog_id" not in node  # a product no catalog has: no catalog fields
    g = graph_of("# Exam\n\n- **AWS Certified Cloud Practitioner**: the exam these notes prepare for.\n")
    assert "AWS Certified Cloud Practitioner" not in services(g)
    g = graph_of("# Streaming\n\n- **Apache Kafka**: a distributed log.\n")
    assert g.nodes["term:apache kafka"]["type"] == "technology"


def test_support_and_options_helpers_read_what_the_extensions_hold():
    """:func:`service_support` and :func:`service_options` skip the extension read on a Doc without extension
    values; they answer as the extensions do on both kinds of Doc."""
    nlp = make_pipeline()
    plain = nlp("Store files in Amazon S3 and query them with Athena")
    marked = nlp("Run Glue jobs that write to Amazon S3, then open Cloud Shell")
    assert not plain.user_data and marked.user_data
    for doc in (plain, marked):
        for span in doc.spans["services"]:
            assert service_support(span) == span._.service_support
            assert service_options(span) == span._.service_options
    assert [service_support(s) for s in plain.spans["services"]] == ["sure", "sure"]
    assert [service_support(s) for s in marked.spans["services"]] == ["bare", "sure", "sure"]
    assert [service_options(s) for s in marked.spans["services"]] == [
        (),
        (),
        ("cloudshell", "azure/cloud-shell", "gcp/cloudshell"),
    ]
