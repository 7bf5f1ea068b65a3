"""Relations stated by a note's layout: table columns and rows, verb-first items, service leads, example lists.

Each note is tiny and runs through the whole extraction, so what is asserted is what the graph gets from one
layout: the typed, directed, stated relation and the line it was read from (its evidence).
"""

from __future__ import annotations

import pytest
from extract_helpers import extract, joined, stated

from graph.extract.pipeline import make_pipeline
from graph.model import USE_CASE


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


# --- tables -------------------------------------------------------------------------------------------------------

COMPARISON_TABLE = """# Deploying

## Elastic Beanstalk vs CloudFormation

| Parameters    | AWS CloudFormation            | AWS Elastic Beanstalk                  |
| ------------- | ----------------------------- | -------------------------------------- |
| Configuration | Uses **JSON** or **YAML** templates | Prescriptive configuration       |
| Purpose       | **Infrastructure as Code**    | **Platform as a Service**              |
"""


def test_a_cell_speaks_of_the_entity_its_column_header_names(nlp):
    found = stated(nlp, COMPARISON_TABLE)
    assert ("service:cloudformation", "has", "term:yaml", 7) in found
    assert ("service:cloudformation", "has", "term:json", 7) in found
    # not the section's first service, which the cell is not about
    assert not joined(found, "service:elasticbeanstalk", "term:yaml")


def test_a_cell_that_is_one_name_belongs_to_its_columns_entity(nlp):
    found = stated(nlp, COMPARISON_TABLE)
    assert ("service:cloudformation", "has", "term:infrastructure as code", 8) in found
    assert ("service:elasticbeanstalk", "has", "term:platform as a service", 8) in found
    assert not joined(found, "service:cloudformation", "term:platform as a service")


def test_the_first_column_speaks_of_its_header_only_when_the_header_is_a_service(nlp):
    text = """# Streaming

| Amazon AppStream 2.0                     | Amazon WorkSpaces                        |
| ---------------------------------------- | ---------------------------------------- |
| Stream apps (no need to **VDI**)         | Fully managed desktops                   |
| Works with any device                    | Users connect to the **VDI** and open apps |
"""
    found = stated(nlp, text)
    assert ("service:workspaces", "connects_to", "term:vdi", 6) in found
    assert not joined(found, "service:appstream", "term:vdi")


def test_a_rows_cells_describe_what_its_first_cell_names(nlp):
    text = """# Governance

| Name | Definition |
| -- | -- |
| **Management Groups** | Manage access, policy, compliance for multiple **subscriptions** |
| **Resource Groups** | A logical grouping of services |
"""
    found = stated(nlp, text)
    assert ("term:management group", "has", "term:subscription", 5) in found


def test_a_rows_cells_compare_what_they_open_by_comparing_with(nlp):
    text = """# EC2

| Option | Description |
| -- | -- |
| **Dedicated Instances** | Similar to **On-Demand** but on dedicated hardware |
| **Spot Instances** | Up to 90% discount compared to **Reserved Instances** |
"""
    found = stated(nlp, text)
    assert joined(found, "term:dedicated instance", "term:on demand") == {"compared_with"}
    assert "has" not in joined(found, "term:spot instance", "term:reserved instance")


# --- items that open with a verb ------------------------------------------------------------------------------------


def test_a_verb_first_item_speaks_for_its_subject(nlp):
    text = """# Other services

## AWS Step Functions

- Build serverless visual workflows to orchestrate Lambda functions
"""
    found = stated(nlp, text)
    assert ("service:stepfunctions", "triggers", "service:lambda", 5) in found


def test_a_modal_item_that_must_enable_a_service_depends_on_it(nlp):
    text = """# Security

## AWS Security Hub

- Central security tool to manage security across several AWS accounts
- Must first enable the AWS Config Service
"""
    found = stated(nlp, text)
    assert ("service:securityhub", "depends_on", "service:config", 6) in found


def test_a_passive_cue_in_a_verb_first_item_is_not_the_subjects_doing(nlp):
    text = """# Media

## Amazon Elastic Transcoder

- Convert media files stored in S3 into formats required by phones
"""
    found = stated(nlp, text)
    assert not joined(found, "service:elastictranscoder", "service:s3")


def test_a_noun_phrase_item_is_no_verb_first_item(nlp):
    text = """# Organizations

## AWS Organizations

- Service-linked roles enable other services to integrate with AWS Config
"""
    found = stated(nlp, text)
    assert not joined(found, "service:organizations", "service:config")


# --- a service leading a line in another's section --------------------------------------------------------------


def test_a_service_lead_in_another_services_section_connects_to_it(nlp):
    text = """# Monitoring

## Amazon CloudWatch Logs

- Elastic Beanstalk: collection of logs from application
- AWS Lambda: collection from function logs
"""
    found = stated(nlp, text)
    assert ("service:logs", "connects_to", "service:elasticbeanstalk", 5) in found
    assert ("service:logs", "connects_to", "service:lambda", 6) in found


def test_a_service_lead_is_part_of_the_topic_its_name_extends(nlp):
    text = """# Code

## Amazon CodeGuru

- CodeGuru Reviewer: automated code reviews for static code analysis
- CodeGuru Profiler: recommendations about application performance

Amazon CodeGuru works on your code.
"""
    found = stated(nlp, text)
    # Stated on the lead's line (5), not only known from the catalog's families.
    assert ("service:codeguru-reviewer", "part_of", "service:codeguru", 5) in found
    assert ("service:codeguruprofiler", "part_of", "service:codeguru", 6) in found


def test_a_service_lead_in_a_section_about_two_services_relates_to_neither(nlp):
    text = """# Messaging

## SQS vs SNS

- SNS: pub/sub
"""
    found = stated(nlp, text)
    assert joined(found, "service:sqs", "service:sns") == {"compared_with"}


# --- examples are no uses -----------------------------------------------------------------------------------------


def test_items_after_a_sentence_ending_in_example_are_no_uses_of_the_subject(nlp):
    text = """# VPC

## VPC Flow Logs

- Helps to monitor & troubleshoot connectivity issues. Example:
  - Subnets to internet
  - Subnets to subnets
"""
    ex = extract(nlp, text)
    uses = {m.surface for m in ex.mentions if m.kind == USE_CASE}
    assert "Subnets to internet" not in uses and "Subnets to subnets" not in uses
    assert not [r for r in ex.relations if r.relation == "used_for" and "subnet" in r.target]


# --- descriptions ---------------------------------------------------------------------------------------------------


def test_a_definition_that_opens_with_similar_to_compares(nlp):
    text = """# SQL

## Azure SQL Managed Instance

Definition:  Similar to Azure SQL Database. Relational DB based on SQL Server.
"""
    found = stated(nlp, text)
    assert ("service:azure/sql-managed-instance", "compared_with", "service:azure/sql", 5) in found


def test_a_name_before_a_named_classifier_is_a_property_of_the_subject(nlp):
    text = """# Databases

## DynamoDB

- Fully managed, **Multi-AZ** NoSQL database.
"""
    found = stated(nlp, text)
    assert ("service:dynamodb", "has", "term:multi az", 5) in found


def test_a_use_said_in_a_clause_of_its_own_after_a_comma_is_the_subjects(nlp):
    text = """# Integration

## Amazon SQS

- Fully managed service (~serverless), use to decouple applications
"""
    found = stated(nlp, text)
    assert ("service:sqs", "used_for", "term:decouple application", 5) in found


# --- wording ------------------------------------------------------------------------------------------------------


def test_in_a_section_about_several_services_a_subjectless_line_speaks_of_the_one_named_last(nlp):
    text = """# Messaging

### SQS vs Kinesis

SQS is a queue. It allows async communications.

Kinesis is designed for huge scale ingestion with multiple consumers.

Designed for data ingestion, analytics, monitoring.
"""
    found = stated(nlp, text)
    assert ("service:kinesis", "used_for", "term:data ingestion", 9) in found
    assert not joined(found, "service:sqs", "term:data ingestion")


def test_a_feature_heading_is_no_section_about_several_things(nlp):
    text = """# Storage

## S3 Replication

- S3 buckets in two regions
- Helps to keep copies of objects
"""
    found = stated(nlp, text)
    assert ("term:replication", "used_for", "term:keep copies of object", 6) in found


def test_a_line_that_opens_with_a_form_of_says_what_its_subject_is(nlp):
    text = "# S3\n\n## S3 Bucket Policy\n\nA form of **resource policy**. Attached to buckets.\n"
    found = stated(nlp, text)
    assert ("term:bucket policy", "kind_of", "term:resource policy", 5) in found


def test_not_like_compares(nlp):
    text = "# Databases\n\n## DynamoDB\n\nNot like RDS which is a database server as a product.\n"
    found = stated(nlp, text)
    assert ("service:dynamodb", "compared_with", "service:rds", 5) in found


def test_a_sentence_item_under_a_features_label_names_features_of_the_subject(nlp):
    text = """# Storage

## Azure Files

Features:

* Provide temporary access with a **SAS**
* Are we meeting our **SLA**?
"""
    found = stated(nlp, text)
    assert ("service:azure/files", "has", "term:sas", 7) in found
    assert not joined(found, "service:azure/files", "term:sla")


def test_a_subjectless_item_names_no_feature_in_a_doing_a_condition_or_a_use(nlp):
    text = """# Databases

## Amazon ElastiCache

- Speeds up applications by **caching frequent queries**
- Use when you have **read replicas** in several regions
- Ideal for use cases where **low-latency reads** are critical
- Provides **in-memory caching**
"""
    found = stated(nlp, text)
    assert not joined(found, "service:elasticache", "term:caching frequent query")
    assert not joined(found, "service:elasticache", "term:read replica")
    assert "has" not in joined(found, "service:elasticache", "term:low latency read")
    assert ("service:elasticache", "has", "term:in memory caching", 8) in found


def test_a_service_lead_under_a_question_heading_answers_the_question(nlp):
    text = """# Migration

## AWS DataSync

DataSync moves data.

### Who performs the migration?

- **AWS Enterprise Support**: advisory and support
"""
    found = stated(nlp, text)
    assert not joined(found, "service:datasync", "service:enterprise-support")


# --- service features as leads, means to a task -------------------------------------------------------------------


def test_a_lead_of_a_service_name_and_title_words_is_a_feature(nlp):
    found = stated(
        nlp,
        "## Bridges\n\n- EC2 Bridge Relay: SQS & Kinesis\n\n"
        "## Amazon Inspector\n\n- Reads:\n  - VPC Flow Logs – odd traffic\n  - EC2 Instances: CPU, disk\n\n"
        "## AWS Artifact\n\n- Artifact Reports – audit documents\n- Artifact Queue – nothing\n",
    )
    assert ("term:bridge", "has", "term:ec2 bridge relay", 3) in found
    assert ("term:ec2 bridge relay", "connects_to", "service:sqs", 3) in found
    assert ("term:ec2 bridge relay", "connects_to", "service:kinesis", 3) in found
    assert joined(found, "service:inspector", "term:vpc flow log") == {"has"}
    # one noun after another service's name names its resources; a singular one restates what the service is
    assert joined(found, "service:inspector", "term:ec2 instance") == set()
    assert ("service:artifact", "has", "term:artifact report", 13) in found
    assert not any("artifact queue" in t for _, _, t, _ in found)


def test_the_means_listed_under_a_task_sentence_are_used_for_the_task(nlp):
    ex = extract(
        nlp,
        "## Messaging\n\n- If traffic bursts, you may want to **decouple** the tiers:\n"
        "  - using Amazon MQ: brokers\n  - using EventBridge: a bus\n  - Kinesis for streams\n\n"
        "- Sometimes you want to store your keys:\n  - using KMS\n",
    )
    found = {(r.source, r.relation, r.target) for r in ex.relations if r.stated}
    assert {s for s, r, t in found if t == "term:decoupling tier"} == {"service:mq", "service:events"}
    assert any(m.key == "term:decoupling tier" and m.kind == USE_CASE for m in ex.mentions)
    assert not any(s == "service:kms" and r == "used_for" for s, r, _ in found)  # "store" is a noun too
