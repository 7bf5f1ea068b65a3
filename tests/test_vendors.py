"""Azure and Google Cloud notes: their services as service nodes, no AWS service invented (graph/extract/vendors.py)."""

from __future__ import annotations

import pytest

from graph.extract.note import extract_note
from graph.extract.pipeline import make_pipeline
from graph.extract.vendors import is_distinctive
from graph.sources.catalog import load_catalog
from graph.sources.markdown import parse_note
from graph.sources.notes import decode_note
from graph.store.build import build_graph
from graph.vendors import strip_any_vendor, vendor_prefix, vendor_words

GCP_NOTE = """# Google Cloud networking and security

## VPC networks

A VPC network is global; subnets are regional. Firewall rules apply to the whole VPC network.
Use Cloud NAT for outbound traffic and Cloud VPN or Cloud Interconnect to reach on-premises.

## Identity

IAM roles are granted on projects. Service accounts let Compute Engine VMs call APIs.
Cloud KMS manages encryption keys; Secret Manager stores secrets.

## Data

- Cloud Storage (GCS) holds objects; Google Cloud Storage buckets have storage classes.
- BigQuery is the data warehouse; Pub/Sub carries events to Dataflow.
- Cloud IoT Core connected devices (retired).
- GKE runs containers; Cloud Run runs stateless containers; App Engine hosts apps.

Run `gcloud compute instances list` from Cloud Shell.
"""

AZURE_NOTE = """# Azure management

## Resource groups

Put resources in resource groups. Estimate costs with the pricing calculator before you deploy.

## Tools

Open Cloud Shell in the Azure portal. Application Insights watches your web app.
Connect your office with a Site-to-site VPN through a VPN Gateway.

## Identity

Azure Active Directory is now Microsoft Entra ID; Azure AD and Entra ID are the same thing.
"""

MIXED_NOTE = """# Storage on two clouds

Azure Blob Storage is like Amazon S3: object storage for unstructured data.

## Azure side

Azure Functions runs code on events, like AWS Lambda. Deploy it from Cloud Shell with `az functionapp create`.

## AWS side

Amazon SQS queues messages; Azure Queue Storage does the same.
"""


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def graph_of(nlp, text: str):
    note, problem = decode_note("note.md", text.encode())
    assert note is not None, problem
    return build_graph([extract_note(parse_note(note), nlp)], load_catalog())


def services(graph) -> dict[str, str]:
    return {n: d.get("vendor") for n, d in graph.nodes(data=True) if d["type"] == "service"}


def test_google_cloud_products_are_google_cloud_services_and_no_aws_service_is_invented(nlp):
    found = services(graph_of(nlp, GCP_NOTE))
    assert set(found.values()) == {"gcp"}, found
    for key in (
        "service:gcp/vpc",  # "VPC network" is not Amazon VPC
        "service:gcp/cloudkms",  # "Cloud KMS" is not AWS KMS
        "service:gcp/cloudiot",  # "Cloud IoT Core" is not AWS IoT Core
        "service:gcp/iam",  # a shared name, in a Google Cloud note
        "service:gcp/cloudshell",
        "service:gcp/compute",
        "service:gcp/container",
        "service:gcp/pubsub",
        "service:gcp/bigquery",
        "service:gcp/gcloud",
    ):
        assert key in found, key
    assert not {"service:vpc", "service:kms", "service:iot", "service:iam", "service:cloudshell"} & set(found)


def test_a_google_cloud_product_written_three_ways_is_one_node(nlp):
    graph = graph_of(nlp, GCP_NOTE)
    storage = graph.nodes["service:gcp/storage"]
    assert storage["label"] == "Cloud Storage" and storage["vendor"] == "gcp"
    assert {"GCS", "Google Cloud Storage"} <= set(storage["aliases"])
    assert not [n for n in graph if "storage" in n and n != "service:gcp/storage" and n.startswith("service:")]


def test_azure_words_do_not_become_aws_services(nlp):
    graph = graph_of(nlp, AZURE_NOTE)
    found = services(graph)
    assert set(found.values()) == {"azure"}, found
    assert "service:resource-groups" not in graph  # an Azure concept, not AWS Resource Groups
    assert "service:azure/pricing-calculator" in found
    assert "service:azure/cloud-shell" in found
    assert "service:azure/application-insights" in found
    assert "service:azure/network-vnet-gateway" in found
    entra = graph.nodes["service:azure/entra-id"]
    assert entra["label"] == "Microsoft Entra ID"
    assert {"Azure Active Directory", "Azure AD", "Entra ID"} <= set(entra["aliases"])


def test_vendor_names_are_not_topics(nlp):
    graph = graph_of(nlp, AZURE_NOTE + "\n" + GCP_NOTE.replace("# ", "## ", 1))
    labels = {d["label"].casefold() for _, d in graph.nodes(data=True)}
    assert not labels & {"azure", "microsoft", "google cloud", "gcp", "google", "aws", "microsoft azure"}


def test_a_mixed_note_gets_both_clouds_and_compares_them(nlp):
    graph = graph_of(nlp, MIXED_NOTE)
    found = services(graph)
    assert found == {
        "service:azure/blob-storage": "azure",
        "service:s3": "aws",
        "service:azure/functionapp": "azure",
        "service:lambda": "aws",
        "service:azure/cloud-shell": "azure",  # the section is about Azure
        "service:sqs": "aws",
        "service:azure/queue-storage": "azure",
    }
    compared = {(u, v) for u, v, d in graph.edges(data=True) if d["relation"] == "compared_with"}
    assert ("service:azure/blob-storage", "service:s3") in compared
    assert ("service:azure/functionapp", "service:lambda") in compared
    assert ("service:sqs", "service:azure/queue-storage") in compared


def test_a_shared_name_without_any_cloud_stays_a_concept(nlp):
    found = services(graph_of(nlp, "# Access\n\nIAM policies and a VPC keep things private. Cloud Shell is handy.\n"))
    assert found == {}


def test_aws_notes_keep_their_node_ids(nlp):
    graph = graph_of(nlp, "# Queues\n\nAmazon SQS decouples producers; SQS is polled. Use IAM roles and a VPC.\n")
    assert services(graph) == {"service:sqs": "aws", "service:iam": "aws", "service:vpc": "aws"}


def test_another_clouds_everyday_name_is_dropped_but_a_name_it_backs_up_stands(nlp):
    text = "# AWS notes\n\nAmazon SNS fans out. Other clouds call this PubSub.\n\nCompare with Google Cloud Pub/Sub.\n"
    found = services(graph_of(nlp, text))
    assert found["service:gcp/pubsub"] == "gcp"  # named with its vendor once, so the bare "PubSub" stands too
    text = "# AWS notes\n\nAmazon SNS fans out, a PubSub pattern. Use resource groups and Data Catalog.\n"
    assert set(services(graph_of(nlp, text))) == {"service:sns", "service:resource-groups"}


def test_vendor_words_and_prefixes():
    assert vendor_prefix("Microsoft Entra ID") == ("azure", "Microsoft ")
    assert vendor_prefix("GCP Pub/Sub") == ("gcp", "GCP ")
    assert vendor_prefix("Amazon S3") == ("aws", "Amazon ")
    assert strip_any_vendor("Google Cloud Storage") == "Storage"
    assert vendor_words("$ az group create --name rg") == {"azure": 1}
    assert vendor_words("gsutil cp a gs://b and aws s3 ls s3://b") == {"gcp": 1, "aws": 1}
    assert vendor_words("The AZ holds two subnets") == {}
    assert is_distinctive("EC2") and is_distinctive("BigQuery") and not is_distinctive("Pricing Calculator")


def test_catalog_entries_carry_their_vendor():
    catalog = load_catalog()
    assert catalog.vendors == ["aws", "azure", "gcp"]
    assert catalog.get("sqs").vendor == "aws"
    assert catalog.get("gcp/pubsub").vendor == "gcp" and catalog.get("azure/aks").vendor == "azure"
    assert catalog.options("Cloud Shell") == {
        "aws": "cloudshell",
        "azure": "azure/cloud-shell",
        "gcp": "gcp/cloudshell",
    }
    assert catalog.resolve("GKE").id == "gcp/container"
    assert catalog.resolve("VMSS").id == "azure/vmss"
    assert catalog.resolve("ARM templates").id == "azure/deployment"
    assert catalog.resolve("Azure Active Directory").id == "azure/entra-id"
    assert catalog.resolve("IAM").id == "iam" and catalog.resolve("IAM", vendor="gcp").id == "gcp/iam"
    assert catalog.lookup_alias("IAM") is None  # shared: needs a vendor
    assert catalog.get("gcp/persistent-disk").parent == "gcp/compute"


def test_a_vendor_written_before_a_name_decides_it(nlp):
    # "Azure Resource Groups": written as Azure's, and Azure has no such product, so it is no AWS service either.
    assert services(graph_of(nlp, "# Azure\n\n## Azure Resource Groups\n\nA resource group holds resources.\n")) == {}
    graph = graph_of(nlp, "# Identity\n\nUse Google Cloud IAM and AWS IAM side by side.\n")
    assert services(graph) == {"service:gcp/iam": "gcp", "service:iam": "aws"}
    assert graph.has_edge("service:gcp/iam", "service:iam")
