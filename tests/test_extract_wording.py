"""Relations stated by the wording and layout of a sentence (issue 12, item 5), each on a tiny note written for it.

rules/cues.py (a comparison that opens a sentence, verbs with two objects, plural verb forms, measuring
comparisons), rules/emphasised_openers.py, rules/arrows.py (counts before a step), rules/subjects.py (the
sections under a plural heading), rules/descriptions.py and graph/store/stated.py (a clause that speaks of
its subject without naming it, where the corpus finds the terms).
"""

from __future__ import annotations

import pytest
from extract_helpers import extract, joined, stated

from graph.extract.pipeline import make_pipeline
from graph.extract.text import subject_openers
from graph.model import Evidence, Extraction, Mention
from graph.store.stated import stated_relations


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


# --- comparisons ---------------------------------------------------------------------------------------------------


def test_a_comparison_opening_a_sentence_compares_the_subject_of_the_other_ends_sort(nlp):
    found = stated(nlp, "## Amazon DynamoDB\n\n### DynamoDB Architecture\n\nNot like Amazon RDS, it is a service.\n")
    assert joined(found, "service:dynamodb", "service:rds") == {"compared_with"}
    assert joined(found, "term:architecture", "service:rds") == set()  # the heading's feature is no database


def test_a_measuring_comparison_compares_things_of_one_sort_only(nlp):
    found = stated(
        nlp,
        "## Storage\n\n### S3 One Zone-IA\n\n80% of the base cost of S3 Standard-IA.\n\n"
        "Lower cost than S3 Standard.\n\nMore than one **Availability Zone** is not used.\n",
    )
    assert joined(found, "service:s3-one-zone-ia", "service:s3-standard-ia") == {"compared_with"}
    assert joined(found, "service:s3-one-zone-ia", "service:s3-standard") == {"compared_with"}
    assert joined(found, "service:s3-one-zone-ia", "term:availability zone") == set()


# --- verbs ---------------------------------------------------------------------------------------------------------


def test_a_verb_with_two_objects_joins_them_unless_negated_outside_a_condition(nlp):
    found = stated(
        nlp,
        "## Networking\n\nIf you do associate a custom **route table** you create with a **subnet**, it is used.\n\n"
        "You cannot associate **security groups** with **NAT gateways**.\n\n"
        "If you don't connect **Widget Store** with **Gadget Hub**, sign-in fails.\n",
    )
    assert ("term:route table", "connects_to", "term:subnet", 3) in found
    assert joined(found, "term:security group", "term:nat gateway") == set()
    assert ("term:widget store", "connects_to", "term:gadget hub", 7) in found


def test_a_plural_verb_form_after_a_noun_of_its_own_is_not_the_sections_subject(nlp):
    found = stated(
        nlp,
        "## Cloud computing\n\nExamples include Amazon EC2 and AWS Lambda.\n\n"
        "## AWS Snowball Edge\n\n- Provide block storage and Amazon S3-compatible object storage\n",
    )
    assert joined(found, "term:cloud computing", "service:ec2") == set()
    assert joined(found, "service:snowball-edge", "service:s3") == {"connects_to"}


def test_the_basis_of_makes_the_other_end_depend_on_the_subject(nlp):
    found = stated(nlp, "## Notes\n\n**Consumption-based model** is the basis of **OpEx**.\n")
    assert ("term:opex", "depends_on", "term:consumption based model", 3) in found


# --- layouts -------------------------------------------------------------------------------------------------------


def test_a_bold_term_opening_a_paragraph_is_part_of_the_sections_subject(nlp):
    found = stated(
        nlp,
        "## Amazon SQS\n\nQueues hold messages.\n\n**Dead-letter queue** if a message fails many times, it goes.\n\n"
        "- **client** side encryption of messages\n\n**Retention** (days) is set per queue.\n",
    )
    assert ("service:sqs", "has", "term:dead letter queue", 5) in found
    assert joined(found, "service:sqs", "term:client") == set()  # the bold word only modifies "side encryption"
    assert joined(found, "service:sqs", "term:retention") == set()


def test_bold_terms_under_a_section_that_argues_are_no_parts(nlp):
    found = stated(
        nlp, "## Reasons why you really should not run a database on Amazon EC2\n\n**Admin overhead** is high.\n"
    )
    assert joined(found, "service:ec2", "term:admin overhead") == set()


def test_a_count_before_an_arrow_step_is_not_part_of_its_name(nlp):
    found = stated(nlp, "## Accounts\n\nAzure Account -> Many subscriptions -> Many Resource groups\n")
    assert ("term:azure account", "feeds", "term:subscription", 3) in found
    assert ("term:subscription", "feeds", "term:resource group", 3) in found


def test_a_section_named_by_a_service_under_a_plural_heading_is_one_kind(nlp):
    found = stated(
        nlp,
        "## S3 Storage Classes\n\nPick a storage class per object.\n\n### S3 Standard\n\nThe default.\n\n"
        "### S3 Durability and Availability\n\nEleven nines.\n\n### What is Amazon S3 Glacier?\n\nArchive.\n",
    )
    assert ("service:s3-standard", "kind_of", "term:storage class", 5) in found
    assert joined(found, "service:s3", "term:storage class") == {"has"}  # the heading's feature; no kind
    assert joined(found, "service:glacier", "term:storage class") == set()  # a question heading


# --- a clause about an unnamed subject, with the terms the corpus finds -------------------------------------------


def test_clause_openers_are_pronouns_and_sentence_opening_verbs():
    assert subject_openers("Definition: Emulate machines. These provide IaaS.") == [12, 35]
    assert subject_openers("Logic Apps need no code, and it is an orchestration service") == [31]
    assert subject_openers("The queue holds messages.") == []


def test_a_line_that_speaks_of_its_subject_is_kept_with_the_extraction(nlp):
    ext = extract(nlp, "## Azure Virtual Machines\n\nDefinition: Emulate physical machines. These provide IaaS.\n")
    assert ext.subject_lines == [(3, "service:azure/virtual-machines")]


def corpus_stated(lines: list[tuple], subject_lines: tuple = ()) -> list[tuple[str, str, str, int]]:
    """(source, relation, target, line) of the stated relations graph/store/stated.py gives the lines of a note
    ``a.md``: each line is (number, text, the note's own mentions, the corpus' new mentions), a mention a
    (key, surface, kind) triple."""
    mentions, new = [], []
    for number, text, old_names, new_names in lines:
        evidence = Evidence("a.md", number, ("Notes",), text)
        mentions += [Mention(key, surface, kind, "text", evidence) for key, surface, kind in old_names]
        new += [Mention(key, surface, kind, "term", evidence) for key, surface, kind in new_names]
    ext = Extraction("a.md", "x", mentions=mentions, subject_lines=list(subject_lines))
    return [(r.source, r.relation, r.target, r.evidence.line) for r in stated_relations([ext], new) if r.stated]


def test_a_pronoun_or_an_opening_verb_relates_the_subject_to_the_corpus_term_after_it():
    found = corpus_stated(
        [
            (3, "Definition: Emulate physical machines. These provide IaaS.", [], [("term:iaas", "IaaS", "concept")]),
            (
                5,
                "Similar to Logic Apps. Both are serverless.",
                [("service:azure/logic-apps", "Logic Apps", "service")],
                [("term:serverless", "serverless", "concept")],
            ),
            (7, "Is the basis of OpEx:", [], [("term:opex", "OpEx", "concept")]),
            (9, "It does not provide durability.", [], [("term:durability", "durability", "concept")]),
        ],
        subject_lines=[(3, "term:vm"), (5, "service:azure/functionapp"), (7, "term:model"), (9, "term:model")],
    )
    assert sorted(found) == [
        ("service:azure/functionapp", "has", "term:serverless", 5),
        ("term:opex", "depends_on", "term:model", 7),
        ("term:vm", "has", "term:iaas", 3),
    ]


def test_a_verb_with_two_objects_joins_a_note_term_and_a_corpus_term():
    route_table, subnet = [("term:route table", "route table", "concept")], [("term:subnet", "subnet", "concept")]
    found = corpus_stated(
        [
            (3, "A VPC has a main route table. If you associate a route table with a subnet", route_table, subnet),
            (4, "You cannot associate a route table with a subnet", route_table, subnet),
        ]
    )
    assert found == [("term:route table", "connects_to", "term:subnet", 3)]


def test_a_service_written_again_without_its_clouds_name_relates_to_a_corpus_term():
    quillmark = [("service:azure/quillmark", "Azure Quillmark", "service")]
    lock = [("term:resource lock", "resource lock", "concept")]
    found = corpus_stated(
        [
            (3, "Pair quotas with Azure Quillmark. Quillmark can replace the resource lock.", quillmark, lock),
            (5, "Pair quotas with Azure Quillmark. Some tools can replace the resource lock.", quillmark, lock),
        ]
    )
    assert found == [("service:azure/quillmark", "replaces", "term:resource lock", 3)]


def test_a_shortened_service_name_that_is_an_everyday_word_is_not_the_service():
    lock = [("term:resource lock", "resource lock", "concept")]
    found = corpus_stated(
        [
            (
                3,
                "Azure Policy is set per team, and a policy can replace the resource lock.",
                [("service:azure/policy", "Azure Policy", "service")],
                lock,
            ),
            (
                5,
                "AWS Config is handy. The config replaces the resource lock.",
                [("service:aws/config", "AWS Config", "service")],
                lock,
            ),
            (
                7,
                "AWS Batch runs jobs. Batch jobs replace the resource lock.",
                [("service:aws/batch", "AWS Batch", "service")],
                lock,
            ),
        ]
    )
    assert found == []


def test_consecutive_leads_that_both_weigh_themselves_are_compared(nlp):
    found = stated(
        nlp,
        "## Consistency\n\nEventually Consistent : easier to implement and scales better\n\n"
        "Strongly Consistent : more costly to achieve\n\n"
        "## Queues\n\n- Standard: at least once\n- FIFO: exactly once\n",
    )
    assert ("term:eventually consistent", "compared_with", "term:strongly consistent", 5) in found
    assert joined(found, "term:standard", "term:fifo") == set()  # plain descriptions, no weighing: no comparison


def test_a_short_cell_in_a_row_about_an_entity_lets_the_corpus_relate_its_terms(nlp):
    ext = extract(
        nlp,
        "## Types of Cloud\n\n| Type | Description | Expenditure |\n| -- | -- | -- |\n"
        "| Public | Services over the internet, owned by a third party | OpEx |\n",
    )
    assert ext.item_subjects == [(5, "term:public")]
    evidence = Evidence(ext.path, 5, ("Types of Cloud",), "OpEx")
    found = [
        (r.source, r.relation, r.target)
        for r in stated_relations([ext], [Mention("term:opex", "OpEx", "concept", "term", evidence)])
        if r.stated
    ]
    assert found == [("term:public", "has", "term:opex")]


def test_a_pronoun_opening_a_later_clause_speaks_of_the_first_name_of_its_sentence():
    orchestration = [("term:orchestration", "orchestration", "concept")]
    found = corpus_stated(
        [
            (
                3,
                "Key difference: Logic Apps need no code, and it is an orchestration service",
                [("service:azure/logic-apps", "Logic Apps", "service")],
                orchestration,
            ),
            (
                4,
                "Functions need code, and it is not an orchestration service",
                [("service:azure/functionapp", "Functions", "service")],
                orchestration,
            ),
        ]
    )
    assert found == [("service:azure/logic-apps", "kind_of", "term:orchestration", 3)]


def test_rows_of_a_table_of_types_are_compared_with_the_row_before(nlp):
    found = stated(
        nlp,
        "## Azure Service Health\n\n| Type | Description |\n| - | - |\n"
        "| Service Health | Narrower view of services |\n| Resource Health | Custom view of your resources |\n\n"
        "## Tools\n\n| Name | Description |\n| - | - |\n"
        "| Azure Advisor | Recommendations |\n| Azure Monitor | Metrics |\n",
    )
    assert ("service:azure/service-health", "compared_with", "service:azure/resource-health", 6) in found
    assert joined(found, "service:azure/advisor", "service:azure/monitor") == set()  # not a table of types


def test_a_thing_listed_under_a_label_that_names_a_task_is_used_for_it(nlp):
    found = stated(
        nlp,
        "## Networking\n\n**Communicate with on-premises**:\n\n"
        "- Azure ExpressRoute: dedicated private connection to Azure\n\n"
        "Use it when:\n\n- Azure Monitor: metrics of resources\n",
    )
    assert ("service:azure/expressroute", "used_for", "term:communicate with on premise", 5) in found
    assert not any(t.startswith("term:use it") for _, _, t, _ in found)  # "Use it when:" frames its items


def test_a_data_moving_verb_with_from_and_no_to_reads_from_the_place(nlp):
    found = stated(
        nlp,
        "## AWS Lambda\n\n### Key Considerations\n\n- Always load data from other services or Amazon S3\n"
        "- Copy objects from Amazon S3 to Amazon EFS\n",
    )
    assert ("service:lambda", "ingests_from", "service:s3", 5) in found
    assert ("service:lambda", "delivers_to", "service:efs", 6) in found  # "to" is there: the move goes to EFS
    assert ("service:lambda", "ingests_from", "service:s3", 6) not in found


def test_a_kind_of_a_plain_noun_in_a_section_about_a_concept_is_a_kind_of_that_concept(nlp):
    found = stated(
        nlp,
        "## Databases\n\n### Wide Column Store\n\nAmazon DynamoDB is one type of database.\n\n"
        "Amazon Redshift is a type of data warehouse built for analytics at scale.\n",
    )
    assert ("service:dynamodb", "kind_of", "term:wide column store", 5) in found
    assert joined(found, "service:redshift", "term:wide column store") == set()  # a kind of something said in full


def test_a_one_word_plural_heading_groups_services_and_names_no_kind(nlp):
    found = stated(nlp, "# Services\n\n## AWS X-Ray\n\nX-Ray traces requests.\n")
    assert joined(found, "service:xray", "term:service") == set()
