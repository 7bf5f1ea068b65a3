"""Relations stated in sentences (rules/cues.py): the verb's subject, its objects, the type and the direction.

Each note is tiny; only the cues rule runs on it (after subjects and block entities are prepared), so what
is asserted is exactly what the wording of one sentence gives.
"""

from __future__ import annotations

import time

import pytest
from extract_helpers import context, extract

from graph.extract.context import build_context
from graph.extract.pipeline import make_pipeline
from graph.extract.recorder import Recorder
from graph.extract.rules import cues, entities, labels, subjects
from graph.model import RELATIONS
from graph.sources.markdown import parse_note
from graph.sources.notes import decode_note
from graph.ui.view import RELATION_COLOR


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def stated(nlp, text: str) -> list[tuple[str, str, str, int, str]]:
    """(source, relation, target, line, evidence text) of each relation the cues rule records on *text*."""
    ctx = context(nlp, text)
    rec = Recorder(ctx)
    for index in range(len(ctx.parsed.blocks)):
        cues.apply_to_block(ctx, rec, index)
    assert all(r.stated for r in rec.relations)
    return [(r.source, r.relation, r.target, r.evidence.line, r.evidence.text) for r in rec.relations]


def pairs(found: list[tuple]) -> list[tuple[str, str, str]]:
    return [(s, r, t) for s, r, t, *_ in found]


def test_new_relation_types_are_known_and_coloured():
    for relation in ("triggers", "depends_on", "kind_of", "replaces"):
        assert relation in RELATIONS
        assert relation in RELATION_COLOR


def test_passive_voice_flips_the_direction(nlp):
    found = stated(nlp, "# Notes\n\nAWS Lambda is triggered by Amazon SQS.\n\nAmazon SQS triggers AWS Lambda.\n")
    assert found == [
        ("service:sqs", "triggers", "service:lambda", 3, "AWS Lambda is triggered by Amazon SQS."),
        ("service:sqs", "triggers", "service:lambda", 5, "Amazon SQS triggers AWS Lambda."),
    ]


def test_backed_by_runs_on_and_deploy_on_are_dependencies(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Amazon RDS\n\n- Storage backed by Amazon EBS (gp2 or io1)\n\n"
        "## AWS Control Tower\n\nAWS Control Tower runs on top of AWS Organizations.\n\n"
        "## AWS WAF\n\n- Deploy on Application Load Balancer, API Gateway, CloudFront\n",
    )
    assert pairs(found) == [
        ("service:rds", "depends_on", "service:ebs"),
        ("service:controltower", "depends_on", "service:organizations"),
        # "Load" inside "Application Load Balancer" is part of the name, not a verb
        ("service:waf", "depends_on", "service:alb"),
        ("service:waf", "depends_on", "service:apigateway"),
        ("service:waf", "depends_on", "service:cloudfront"),
    ]


def test_is_a_and_type_of_give_kind_of(nlp):
    found = stated(
        nlp,
        "# Notes\n\n**DynamoDB** is one type of **NoSQL database**.\n\n"
        "**Amazon SQS** is a fully managed **message queue**.\n\n"
        "Choose this type of **NoSQL database** for **DynamoDB**.\n",
    )
    assert pairs(found) == [
        ("service:dynamodb", "kind_of", "term:nosql database"),
        ("service:sqs", "kind_of", "term:message queue"),
    ]


def test_a_participle_after_a_comma_belongs_to_the_subject(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## AWS Application Migration Service\n\n"
        "- The evolution of **CloudEndure Migration**, replacing **AWS Server Migration Service**\n",
    )
    # The retired AWS Server Migration Service is a catalog service (IAM service names, scripts/build_catalog.py)
    assert pairs(found) == [("service:mgn", "replaces", "service:server-migration-service")]


def test_concepts_relate_too(nlp):
    found = stated(
        nlp,
        "# Notes\n\n**NACLs** are used in conjunction with **security groups** to add explicit denies.\n\n"
        "**TCP** and **UDP** are protocols built on top of **IP**.\n",
    )
    assert pairs(found) == [
        ("term:nacl", "connects_to", "term:security group"),
        ("term:udp", "depends_on", "term:ip"),
    ]


def test_a_relative_clause_is_skipped_and_ends_at_its_comma(nlp):
    found = stated(nlp, "# Notes\n\nAmazon SQS, which stores **messages**, integrates with Amazon SNS.\n")
    assert pairs(found) == [("service:sqs", "has", "term:message"), ("service:sqs", "connects_to", "service:sns")]


def test_objects_are_the_first_name_and_the_names_listed_with_it(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Amazon Redshift\n\n- Supports integration with BI tools (Amazon QuickSight, **Tableau**).\n\n"
        "## Amazon MQ\n\n- Amazon MQ has both queue features (~SQS) and topic features (~SNS)\n\n"
        "## AWS Step Functions\n\n- Integrate with EC2, ECS, on-premises servers, API Gateway, SQS queues, etc.\n",
    )
    assert pairs(found) == [
        # "supports" gives nothing: the next cue ("integration with") starts before any name; BI tools is the
        # kind of the names in the parenthesis
        ("service:redshift", "connects_to", "service:quicksight"),
        ("service:redshift", "connects_to", "term:tableau"),
        ("service:mq", "connects_to", "service:sqs"),
        ("service:mq", "connects_to", "service:sns"),
        ("service:stepfunctions", "connects_to", "service:ec2"),
        ("service:stepfunctions", "connects_to", "service:ecs"),
        ("service:stepfunctions", "connects_to", "service:apigateway"),
        ("service:stepfunctions", "connects_to", "service:sqs"),
    ]


def test_it_at_the_start_of_a_sentence_is_what_the_sentence_before_opened_with(nlp):
    found = stated(
        nlp,
        "# Streams\n\n**Kinesis Firehose** connects to a Kinesis stream. It can move the data from a stream onto "
        "Amazon S3 or another service.\n",
    )
    assert pairs(found) == [
        ("service:firehose", "connects_to", "service:kinesis"),
        ("service:firehose", "delivers_to", "service:s3"),
    ]


def test_alternative_to_and_comparison_with_compare_the_subject(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Amazon Lightsail\n\n- Simpler alternative to using EC2, RDS, ELB\n\n"
        "## Amazon Pinpoint\n\nComparison with Amazon SNS or Amazon SES:\n\n- Pinpoint is more flexible\n",
    )
    assert pairs(found) == [
        ("service:lightsail", "compared_with", "service:ec2"),
        ("service:lightsail", "compared_with", "service:rds"),
        ("service:lightsail", "compared_with", "service:elb"),
        ("service:pinpoint", "compared_with", "service:sns"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Use **SQL** to query structured and unstructured data stored in Amazon S3.",  # subject too far back
        "We could then change our **DNS** and move customers to a backup website on Amazon S3.",  # coordinated verb
        "Helps with **HTTP** use cases that require static **IP** addresses.",  # "that" refers to "use cases"
        "The queue has the location of the Amazon S3 bucket.",  # "The queue" is the subject, not the section's
        "Tracks API calls made in your AWS account.",  # "calls" is a noun here
        "Amazon S3 and **DynamoDB** are cheap.",  # no relating wording at all
    ],
)
def test_wording_that_relates_nothing_gives_no_stated_edge(nlp, sentence):
    assert stated(nlp, f"# Notes\n\n## AWS Lambda\n\n{sentence}\n") == []


def test_a_run_on_sentence_stays_linear(nlp):
    line = "Amazon S3 integrates with Amazon SQS and triggers AWS Lambda, " * 2000
    started = time.perf_counter()
    found = stated(nlp, f"# Notes\n\n{line}\n")
    assert time.perf_counter() - started < 20
    assert 0 < len(found) <= 12 * 6  # cues read per sentence x objects per cue


def test_a_feature_item_gives_the_feature_it_opens_with_and_the_services_it_names(nlp):
    note, _ = decode_note(
        "note.md",
        b"# Notes\n\n## Amazon SNS\n\nOffers:\n\n- Delivery status including HTTP, AWS Lambda, Amazon SQS\n"
        b"- **Topics** can be used cross-account via **Topic Policy**\n"
        b"- **Knowledge bases**, **help desks** and search\n",
    )
    ctx = build_context(parse_note(note), nlp)
    subjects.apply(ctx, Recorder(ctx))
    entities.apply(ctx, Recorder(ctx))
    rec = Recorder(ctx)
    for index in range(len(ctx.parsed.blocks)):
        labels.apply_to_block(ctx, rec, index)
    assert [(r.source, r.relation, r.target, r.evidence.line) for r in rec.relations] == [
        ("service:sns", "connects_to", "service:lambda", 7),
        ("service:sns", "connects_to", "service:sqs", 7),
        # line 8 gives nothing: Topic Policy says how topics are shared, it is not a feature of SNS
        ("service:sns", "has", "term:knowledge bases", 9),
        ("service:sns", "has", "term:help desk", 9),
    ]


def test_a_description_that_opens_with_a_name_says_what_kind_of_thing_it_is(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Databases\n\n- Amazon Aurora: High-performance RDS database.\n"
        "- IaaS: AWS EC2 (Elastic Compute Cloud)\n- **Multi-AZ**: **Automatic failover**, high availability\n"
        "- Snowball Edge – **Compute Optimized**\n- AWS Local Zones: Boston, **Chicago**, Dallas\n",
    )
    assert found == [
        ("service:aurora", "kind_of", "service:rds", 5, "Amazon Aurora: High-performance RDS database."),
        ("service:ec2", "kind_of", "term:iaas", 6, "IaaS: AWS EC2 (Elastic Compute Cloud)"),
    ]


def test_a_definition_line_says_what_kind_of_thing_the_subject_is(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Amazon Redshift\n\nDefinition: Managed **data warehouse** service\n\n"
        "## Amazon Personalize\n\nFully managed **ML** service for real-time recommendations\n\n"
        "## AWS Lambda\n\nAWS Batch\n",  # a name alone opening a section is not a description
    )
    assert pairs(found) == [
        ("service:redshift", "kind_of", "term:data warehouse"),
        ("service:personalize", "kind_of", "term:ml"),
        ("service:personalize", "used_for", "term:real time recommendation"),  # "a service for X": its use
    ]


def test_have_started_via_and_from_to(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Amazon VPC\n\n- 1 VPC can have no **IGW** or it can have 1 **IGW**\n"
        "- You have to create an **IGW**.\n- You have **IGW** attached.\n\n"
        "## AWS Step Functions\n\n- Started via API Gateway, Amazon EventBridge, AWS Lambda.\n\n"
        "## Identity\n\n- One-way synchronization from **Azure AD** to **Azure AD DS** (not backwards!)\n",
    )
    assert pairs(found) == [
        ("service:vpc", "has", "term:igw"),  # "have to", and "you have", say nothing about the section's subject
        ("service:apigateway", "triggers", "service:stepfunctions"),
        ("service:events", "triggers", "service:stepfunctions"),
        ("service:lambda", "triggers", "service:stepfunctions"),
        ("service:azure/entra-id", "delivers_to", "service:azure/entra-domain-services"),
    ]


def test_a_data_moving_verb_that_points_back_reads_from_the_name_before_its_subject(nlp):
    found = stated(
        nlp,
        "# Notes\n\nThe logs are kept on Amazon S3 and Amazon Athena reads from this data.\n\n"
        "Amazon Athena reads from it.\n\nAmazon Athena is fast and reads from it.\n",
    )
    # Only a name before the subject in the sentence is what "this data" stands for.
    assert pairs(found) == [("service:athena", "ingests_from", "service:s3")]


def test_a_pointing_object_stands_for_a_place_named_after_a_preposition_and_them_for_no_name(nlp):
    found = stated(
        nlp,
        "# Notes\n\nReports pile up in Amazon Redshift and Amazon QuickSight reads from it.\n\n"
        "Amazon Kinesis and Amazon QuickSight read from it.\n\n"
        "Reports go to Amazon Redshift while Amazon QuickSight reads from them.\n",
    )
    assert pairs(found) == [("service:quicksight", "ingests_from", "service:redshift")]
    assert found[0][3] == 3


def test_using_says_what_the_subject_works_with_only_where_no_doer_is_named_before_it(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Standby Copies\n\nRefreshed nightly using **incremental snapshots**\n\n"
        "## Amazon Lightsail\n\n- Keep logs in Amazon S3 using **SQL**\n- Using **Amazon EC2** costs more\n"
        "- Simpler alternative to using Amazon EC2 and Amazon RDS\n",
    )
    assert pairs(found) == [
        ("term:standby copy", "has", "term:incremental snapshot"),
        # S3 does not use SQL; a sentence opened by "Using" names no manner; "using" ends no comparison
        ("service:lightsail", "compared_with", "service:ec2"),
        ("service:lightsail", "compared_with", "service:rds"),
    ]


def test_many_sentences_in_one_block_stay_linear(nlp):
    block = "Amazon S3 integrates with Amazon SQS. " * 3000
    started = time.perf_counter()
    found = stated(nlp, f"# Notes\n\n{block}\n")
    assert time.perf_counter() - started < 20
    assert len(found) > 500  # one a sentence, as far as the parser keeps of the block (20,000 characters)
    assert set(pairs(found)) == {("service:s3", "connects_to", "service:sqs")}


def _arrow_relations(text: str) -> set[tuple[str, str, str]]:
    return {(r.source, r.relation, r.target) for r in extract(make_pipeline(), text).relations if r.stated}


@pytest.mark.parametrize("arrow", ["->", "-->", "=>", "→", "⇒", "⟶", "⟹"])
def test_every_arrow_form_relates_its_steps(arrow):
    """Each arrow the rule knows is found (a block is read only when it holds one of their characters)."""
    found = _arrow_relations(f"# Flow\n\nAmazon SQS {arrow} AWS Lambda\n")
    assert ("service:sqs", "feeds", "service:lambda") in found


@pytest.mark.parametrize("arrow", ["<->", "<=>", "↔", "⇔"])
def test_every_two_way_arrow_connects_its_steps(arrow):
    found = _arrow_relations(f"# Flow\n\nAmazon SQS {arrow} AWS Lambda\n")
    assert {("service:sqs", "connects_to", "service:lambda"), ("service:lambda", "connects_to", "service:sqs")} <= found
