"""Headings that name more than one thing, or a code with its explanation, and code words holding a service name.

Each test is a tiny note written for it, run through the whole extraction; the expected nodes and
stated relations are written out.
"""

from __future__ import annotations

import pytest
from extract_helpers import extract, stated

from graph.extract.pipeline import make_pipeline


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def keys(nlp, text: str) -> set[str]:
    return {m.key for m in extract(nlp, text).mentions}


def test_a_code_word_holding_a_service_name_is_a_term_not_the_service(nlp):
    found = keys(nlp, "## Encryption\n\nEvery object sent with SSE-KMS needs a key; S3-compatible stores exist.\n")
    assert "term:sse kms" in found
    assert "service:kms" not in found
    assert "service:s3" in found  # an adjective made from the name still names it


def test_a_code_heading_whose_parentheses_name_a_service_is_about_the_code(nlp):
    text = "## Server-side encryption\n\n### SSE-KMS (keys kept in AWS KMS)\n\n- Each object gets its own key.\n"
    found = stated(nlp, text)
    assert ("term:sse kms", "depends_on", "service:kms", 3) in found
    assert ("term:server side encryption", "has", "term:sse kms", 3) in found
    assert not any(s == "service:kms" for s, _, _, line in found if line == 5)  # the items are about SSE-KMS


def test_a_phrase_heading_with_a_service_in_parentheses_stays_about_the_service(nlp):
    found = keys(nlp, "## AMI Process (from an EC2 instance)\n\n- Start an instance, then customise it.\n")
    assert "term:ami process" not in found
    assert "service:ec2" in found


def test_a_heading_listing_two_topics_names_each_as_part_of_the_outer_one(nlp):
    text = (
        "## Amazon S3\n\n### Object Versioning and MFA Delete\n\n"
        "Versioning keeps old copies. MFA Delete asks for a code before a delete.\n"
    )
    found = stated(nlp, text)
    assert ("service:s3", "has", "term:object versioning", 3) in found
    assert ("service:s3", "has", "term:mfa delete", 3) in found


def test_a_heading_giving_two_names_is_about_the_first_and_its_lines_explain_it(nlp):
    text = "## Amazon VPC\n\n### Bastion Host / Jumpbox\n\nUsed for incoming management connections.\n"
    found = keys(nlp, text)
    assert {"term:bastion host", "term:jumpbox"} <= found
    assert ("service:vpc", "has", "term:bastion host", 3) in stated(nlp, text)


def test_a_heading_listing_everyday_words_names_no_topics(nlp):
    found = keys(nlp, "## Amazon VPC\n\n### Access and Security\n\nAccess is controlled by rules.\n")
    assert "term:access" not in found and "term:security" not in found


def test_a_service_heading_listing_features_gives_the_service_each_feature_its_lines_use(nlp):
    text = (
        "## Amazon DynamoDB\n\n### DynamoDB Operations, Consistency and Triggers\n\n"
        "A trigger runs code on each change. Operations are reads and writes.\n"
    )
    found = stated(nlp, text)
    assert ("service:dynamodb", "has", "term:trigger", 3) in found
    # everyday words for aspects of the service are no features of it
    assert not {t for s, _, t, _ in found if t in ("term:operation", "term:consistency")}


def test_a_heading_ending_in_concepts_or_basics_names_what_comes_before(nlp):
    text = "# Databases\n\n## Amazon DynamoDB\n\n### Trigger Concepts\n\nAn item change runs an action.\n"
    assert ("service:dynamodb", "has", "term:trigger", 5) in stated(nlp, text)
    assert "term:trigger concept" not in keys(nlp, text)


def test_a_file_title_ending_in_concepts_names_a_part_of_a_course_not_a_topic(nlp):
    found = keys(nlp, "# Cloud Concepts\n\n## Consumption-based model\n\nPay for what you use.\n")
    assert "term:cloud" not in found and "term:cloud concept" not in found


def test_an_item_whose_first_word_is_emphasised_names_the_whole_term(nlp):
    text = (
        "## Encryption\n\n- **client** side encryption\n  - done by the client before objects leave.\n"
        "- **Crawlers** for schema detection\n- **Versioning** keeps copies\n- **data-lake** again\n"
    )
    found = keys(nlp, text)
    assert "term:client side encryption" in found and "term:client" not in found
    assert {"term:crawler", "term:versioning", "term:data lake"} <= found  # no noun to end the term: it stands alone


def test_a_noun_after_a_service_name_and_a_determiner_names_a_kind_of_resource_of_it(nlp):
    text = (
        "## Amazon S3\n\nUpload the file to an S3 bucket first.\n\nEach S3 bucket has a name.\n\n"
        "S3 buckets hold objects.\n\nThe S3 service itself and the S3 service are global.\n"
    )
    ex = extract(nlp, text)
    lines = sorted(m.evidence.line for m in ex.mentions if m.key == "term:s3 bucket")
    assert lines == [3, 5, 7]
    assert "term:s3 service" not in {m.key for m in ex.mentions}  # what the service is, not a thing of it


def test_a_noun_after_a_service_name_written_once_is_no_kind_of_resource(nlp):
    found = keys(nlp, "## Amazon VPC\n\nTraffic reaches the VPC router first.\n\nThe S3 bucket policy is strict.\n")
    assert "term:vpc router" not in found  # once only: a passing phrase
    assert "term:s3 bucket" not in found  # "bucket policy" goes on: it names something else
