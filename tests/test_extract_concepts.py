"""Concepts written without emphasis: rows of a definition table, and a service's name with the words after it.

Each test is a tiny note run through the whole extraction; the expected nodes, types and evidence
lines are written out.
"""

from __future__ import annotations

import pytest
from extract_helpers import extract

from graph.extract.pipeline import make_pipeline
from graph.model import CONCEPT, SERVICE, Extraction


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def mentioned(ex: Extraction) -> dict[str, tuple[set[str], set[int]]]:
    """Each key: the kinds it was mentioned as and the lines."""
    found: dict[str, tuple[set[str], set[int]]] = {}
    for m in ex.mentions:
        kinds, lines = found.setdefault(m.key, (set(), set()))
        kinds.add(m.kind)
        lines.add(m.evidence.line)
    return found


TABLE = """## Cloud basics

| Name | Description |
| -- | -- |
| Read Replicas | Copies of a database that serve reads |
| Hybrid | Combination of public and private clouds |
| Billing | Costs |
"""


def test_the_first_cell_of_a_row_under_a_description_column_is_a_defined_concept(nlp):
    ex = extract(nlp, TABLE)
    found = mentioned(ex)
    assert found["term:read replica"] == ({CONCEPT}, {5})
    assert found["term:hybrid"] == ({CONCEPT}, {6})  # an everyday word, but the row defines it
    assert "term:billing" not in found  # "Costs" is too short to describe anything
    definitions = {(d.key, d.text) for d in ex.definitions}
    assert ("term:read replica", "Copies of a database that serve reads") in definitions


def test_a_table_without_a_describing_column_gives_no_first_cell_concepts(nlp):
    ex = extract(nlp, TABLE.replace("| Name | Description |", "| Name | Cost |"))
    assert "term:hybrid" not in mentioned(ex) and "term:read replica" not in mentioned(ex)


def test_a_service_name_and_the_title_case_words_after_it_name_a_feature(nlp):
    ex = extract(
        nlp,
        "## Security\n\n- S3 Object Lock and Glacier Vault Lock keep objects\n- Audit with the IAM Credential "
        "Report\n- IAM Users sign in\n",
    )
    found = mentioned(ex)
    assert found["term:s3 object lock"] == ({CONCEPT}, {3})
    assert found["term:glacier vault lock"] == ({CONCEPT}, {3})
    assert found["term:iam credential report"] == ({CONCEPT}, {4})
    assert found["term:iam user"] == ({CONCEPT}, {5})
    assert found["service:s3"][0] == {SERVICE} and found["service:iam"][0] == {SERVICE}  # still mentioned
    surfaces = {m.surface for m in ex.mentions if m.key == "term:s3 object lock"}
    assert surfaces == {"S3 Object Lock"}


@pytest.mark.parametrize(
    "line",
    [
        "- Amazon SQS Queue holds messages",  # one singular noun restates the service
        "- Amazon S3 Overview and notes",  # scaffolding
        "- VPC Flow logs data can go to S3",  # the compound goes on in lower case
        "- Send to Amazon SQS For later",  # a function word
        "- [Screenshot: SQS Queue View](#)",  # a placeholder's caption
    ],
)
def test_no_feature_from_restating_scaffolding_or_cut_compounds(nlp, line):
    found = mentioned(extract(nlp, f"## Notes\n\n{line}\n"))
    assert not [k for k in found if k.startswith("term:") and ("sqs" in k or "s3" in k or "vpc" in k)]


def kinds_of(ex: Extraction) -> set[tuple[str, str, int]]:
    return {(r.source, r.target, r.evidence.line) for r in ex.relations if r.stated and r.relation == "kind_of"}


def test_the_noun_phrase_a_service_definition_opens_with_is_its_kind(nlp):
    ex = extract(
        nlp,
        "## Azure Blob Storage\n\nDefinition: Unstructured object storage for massive amounts of data.\n\n"
        "## Azure Cosmos DB\n\nDefinition: A globally distributed, multi-model database service.\n\n"
        "## Amazon SQS\n\nDefinition: a fully managed message queue service for decoupling.\n",
    )
    assert {
        ("service:azure/blob-storage", "term:object storage", 3),
        ("service:azure/cosmosdb", "term:multi model database", 7),
        ("service:sqs", "term:message queue", 11),
    } <= kinds_of(ex)
    assert mentioned(ex)["term:object storage"] == ({CONCEPT}, {3})


@pytest.mark.parametrize(
    "definition",
    [
        "Definition: Uses biometric and PIN credentials tied to the PC.",  # what it does
        "Definition: A shell where you can run commands.",  # one word says too little
        "Definition: Deploy and manage sets of identical VMs.",  # a task
        "Definition: The next evolution of queues.",  # one of a kind, not a kind
        "Definition: A developer centric view of queues.",  # a relational noun
        "Amazon SQS is a fully managed message queue service.",  # a sentence, not the definition line
    ],
)
def test_no_kind_from_verbs_single_words_or_relational_nouns(nlp, definition):
    ex = extract(nlp, f"## Amazon SQS\n\n{definition}\n")
    assert not [k for k in kinds_of(ex) if k[1].startswith("term:")]


def test_an_item_explained_in_parentheses_under_a_label_of_no_role_is_a_concept(nlp):
    ex = extract(
        nlp,
        "## Azure Virtual Network\n\n**Communicate with on-premise**:\n\n* via Point-to-site (typical VPN)\n"
        "* Site-to-site (everything appears on the same network)\n* Deploy jobs (in parallel)\n",
    )
    found = mentioned(ex)
    assert found["term:point to site"] == ({CONCEPT}, {5})
    assert found["term:site to site"] == ({CONCEPT}, {6})
    assert "term:deploy job" not in found  # a task, not a term
    definitions = {(d.key, d.text) for d in ex.definitions}
    assert ("term:site to site", "everything appears on the same network") in definitions
    relations = {(r.source, r.relation, r.target) for r in ex.relations if r.stated}
    assert ("service:azure/virtual-network", "has", "term:site to site") in relations


def test_use_x_under_features_names_the_feature_x(nlp):
    ex = extract(nlp, "## Azure CLI\n\nFeatures:\n\n* Use imperative code\n")
    assert mentioned(ex)["term:imperative code"] == ({CONCEPT}, {5})
    assert "term:use imperative code" not in mentioned(ex)
