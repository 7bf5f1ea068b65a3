"""Relations written without a relating verb, and the layouts around them (issue 12, item 5).

rules/descriptions.py (a lead's description, a subjectless item, "X is/are <term>"), the relating rules read
again where a term was found only later (rules/repeated_terms.py), graph/store/stated.py (the wording around
the terms only the corpus finds), soft-wrapped "X - text" lines, feature headings and nested items as
subjects, "acts_on" verbs. Each note is tiny and written for one behaviour.
"""

from __future__ import annotations

import pytest
from extract_helpers import extract, joined, stated

from graph.extract.pipeline import make_pipeline
from graph.model import RELATIONS, Evidence, Extraction, Mention
from graph.sources.markdown import parse_note
from graph.sources.notes import decode_note
from graph.store.stated import stated_relations
from graph.ui.view import RELATION_COLOR


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


# --- a lead's description -----------------------------------------------------------------------------------------


def test_a_lead_is_explained_with_the_names_of_its_description(nlp):
    found = stated(nlp, "# Streams\n\n- **Kinesis Data Analytics**: real-time analytics on streams with **SQL**\n")
    assert ("service:kinesisanalytics", "has", "term:sql", 3) in found


def test_a_service_in_a_lead_description_is_one_it_works_with(nlp):
    found = stated(nlp, "# Storage\n\n- **Storage Gateway**: hybrid storage that extends on-premises disks to **S3**\n")
    assert ("service:storagegateway", "connects_to", "service:s3", 3) in found


def test_a_lead_does_not_have_its_own_head_noun(nlp):
    found = stated(nlp, "# Monitoring\n\n- **Custom metrics**: push your own **metrics**\n")
    assert not joined(found, "term:custom metric", "term:metric")


def test_definition_label_describes_the_section_subject(nlp):
    found = stated(nlp, "## Azure PowerShell\n\nDefinition: A shell where you can execute **cmdlets** remotely.\n")
    assert ("service:azure/powershell", "has", "term:cmdlet", 3) in found


def test_a_name_that_only_qualifies_a_noun_is_not_what_the_lead_has(nlp):
    found = stated(nlp, "# VPC\n\n- **Flow Logs**: capture information about **IP** traffic\n")
    assert not joined(found, "term:flow log", "term:ip")


def test_nothing_after_a_negation_is_a_feature(nlp):
    found = stated(nlp, "# Networks\n\n- **VPC Peering**: must not have overlapping **CIDR** ranges\n")
    assert not joined(found, "term:vpc peering", "term:cidr")


# --- a subjectless item -------------------------------------------------------------------------------------------


def test_a_subjectless_item_speaks_of_the_section_subject(nlp):
    found = stated(nlp, "## Amazon DynamoDB\n\n- Fully managed **NoSQL** database with **TTL**\n")
    assert ("service:dynamodb", "kind_of", "term:nosql", 3) in found  # the head noun: what it is (rules/cues.py)
    assert ("service:dynamodb", "has", "term:ttl", 3) in found  # the rest: what it has


@pytest.mark.parametrize(
    "item",
    [
        "Developers store **items** in tables",  # a noun opens the sentence: its own subject
        "Caches are **in-memory stores**",  # a word then a copula: the word is the subject
        "Rules only include **IP addresses**",  # a word then a verb: the word is the subject
        "The default is **eventual consistency**",  # a determiner opens a noun phrase of its own
        "AWS takes care of **patching**",  # a name in capitals opens the sentence
        "Reviewed the provided **YAML** template",  # what the author did, not what the subject has
        "Layer 7 is **HTTP** here",  # a numbered noun is its own subject
        "0.0.0.0/0 means all **IP addresses**",  # no word opens it
        "Up to 66% discount compared to **On-Demand**",  # a comparison, read by the cue rule
    ],
)
def test_an_item_with_a_subject_of_its_own_is_not_about_the_section(nlp, item):
    found = stated(nlp, f"## Amazon DynamoDB\n\n- {item}\n")
    assert not [f for f in found if f[0] == "service:dynamodb" and f[1] == "has"], found


def test_items_under_a_sentence_label_are_not_about_the_section(nlp):
    found = stated(nlp, "## AWS DataSync\n\nAn engineer may be involved in:\n\n- verifying **cutover** success\n")
    assert not joined(found, "service:datasync", "term:cutover")


def test_a_participle_before_a_preposition_describes_the_subject(nlp):
    found = stated(nlp, "## Amazon Redshift\n\n- Optimized for **OLAP** and reporting\n")
    assert ("service:redshift", "has", "term:olap", 3) in found


def test_a_lead_written_without_a_space_is_a_lead(nlp):
    found = stated(nlp, "## Amazon VPC\n\n- Subnets:Tied to an **AZ**\n")
    assert ("service:vpc", "has", "term:subnet", 3) in found  # a lead under a subject (rules/lead_terms.py)
    assert ("term:subnet", "has", "term:az", 3) in found  # described with the names of its description
    assert not joined(found, "service:vpc", "term:az")


def test_a_modal_opens_a_subjectless_item(nlp):
    found = stated(nlp, "## S3 Replication\n\n- Must enable **versioning** in source and destination\n")
    # "must enable" states a requirement (the cue rule reads it first): replication depends on versioning
    assert ("term:replication", "depends_on", "term:versioning", 3) in found


def test_products_an_item_lists_are_no_features(nlp):
    found = stated(nlp, "## Azure CLI\n\n- Available on Windows, **Linux** and **OSX**\n")
    assert not joined(found, "service:azure/cli", "term:linux")


def test_a_plain_item_saying_what_the_subject_is_is_no_feature(nlp):
    found = stated(nlp, "## AWS CodeDeploy\n\n- Hybrid service\n- Deployment groups\n")
    assert ("service:codedeploy", "has", "term:deployment group", 4) in found
    assert not [f for f in found if f[2] == "term:hybrid service"]


# --- copulas -----------------------------------------------------------------------------------------------------


def test_a_copula_with_a_bare_term_is_a_property(nlp):
    found = stated(nlp, "# Databases\n\nAmazon DynamoDB is **NoSQL** and fast.\n")
    assert ("service:dynamodb", "has", "term:nosql", 3) in found


def test_a_copula_with_an_article_is_left_to_the_kind_rule(nlp):
    found = stated(nlp, "# Security\n\n**Security groups** are a **firewall** for instances.\n")
    assert "has" not in joined(found, "term:security group", "term:firewall")


# --- terms found later are read by the relating rules -------------------------------------------------------------


def test_a_term_named_again_is_related_by_the_verb_of_its_sentence(nlp):
    text = "# Networks\n\n- **Subnet** — a range of addresses\n\nNACLs are attached to a subnet.\n"
    found = stated(nlp, text)
    assert ("term:nacl", "connects_to", "term:subnet", 5) in found


def test_a_term_named_again_is_never_found_inside_a_longer_name(nlp):
    ext = extract(nlp, "# RDS\n\n- **AZ** — a data centre\n- **Multi-AZ** — a standby in another zone\n")
    assert not [m for m in ext.mentions if m.key == "term:az" and m.evidence.line == 4]


# --- the corpus' terms: graph/store/stated.py --------------------------------------------------------------------


def _line(text: str, line: int = 3) -> Evidence:
    return Evidence("a.md", line, ("Notes",), text)


def test_a_verb_between_a_note_term_and_a_corpus_term_is_stated():
    evidence = _line("NACLs are attached to subnets by default.")
    ext = Extraction("a.md", "x", mentions=[Mention("term:nacl", "NACLs", "concept", "text", evidence)])
    new = [Mention("term:subnet", "subnets", "concept", "term", evidence)]
    found = [(r.source, r.relation, r.target, r.stated) for r in stated_relations([ext], new)]
    assert found == [("term:nacl", "connects_to", "term:subnet", True)]


def test_a_copula_before_a_corpus_term_is_a_property_and_a_passive_flips():
    first, second = _line("SGs are stateful.", 3), _line("The data key is encrypted by the CMK.", 4)
    ext = Extraction(
        "a.md",
        "x",
        mentions=[
            Mention("term:sg", "SGs", "concept", "text", first),
            Mention("term:cmk", "CMK", "concept", "text", second),
        ],
    )
    new = [
        Mention("term:stateful", "stateful", "concept", "term", first),
        Mention("term:data key", "data key", "concept", "term", second),
    ]
    found = {(r.source, r.relation, r.target) for r in stated_relations([ext], new)}
    assert found == {("term:sg", "has", "term:stateful"), ("term:cmk", "acts_on", "term:data key")}


def test_a_subjectless_item_relates_the_corpus_terms_of_its_first_clause_to_its_subject():
    evidence = _line("Provides high availability and durability. Not cheap for backups.")
    ext = Extraction("a.md", "x", item_subjects=[(3, "service:dynamodb")])
    new = [
        Mention("term:high availability", "high availability", "concept", "term", evidence),
        Mention("term:durability", "durability", "concept", "term", evidence),
        Mention("term:backup", "backups", "concept", "term", evidence),
    ]
    found = {(r.source, r.relation, r.target) for r in stated_relations([ext], new)}
    assert found == {
        ("service:dynamodb", "has", "term:high availability"),
        ("service:dynamodb", "has", "term:durability"),
    }


def test_names_far_apart_or_in_another_clause_are_not_related():
    evidence = _line("Route tables decide where traffic goes; a subnet uses one.")
    ext = Extraction("a.md", "x", mentions=[Mention("term:route table", "Route tables", "concept", "text", evidence)])
    new = [Mention("term:subnet", "subnet", "concept", "term", evidence)]
    assert stated_relations([ext], new) == []


def test_the_subject_of_the_subjectless_item_is_kept_with_the_extraction(nlp):
    ext = extract(nlp, "## Amazon DynamoDB\n\n- Provides durability\n- Developers store items\n")
    assert ext.item_subjects == [(3, "service:dynamodb")]


# --- layouts: soft-wrapped leads, feature headings, nested items ---------------------------------------------------


def test_soft_wrapped_lead_lines_are_one_block_each():
    note, _ = decode_note("note.md", b"# Why\n\nSRR - Log aggregation\nSRR - Sync accounts\nCRR - Lower latency\n")
    blocks = [(b.kind, b.line, b.text) for b in parse_note(note).blocks]
    assert blocks[1:] == [
        ("paragraph", 3, "SRR - Log aggregation"),
        ("paragraph", 4, "SRR - Sync accounts"),
        ("paragraph", 5, "CRR - Lower latency"),
    ]


def test_soft_wrapped_prose_with_a_dash_stays_one_paragraph():
    note, _ = decode_note("note.md", b"# Prose\n\nThe queue keeps messages - for days\nand the consumer reads them.\n")
    assert [b.text for b in parse_note(note).blocks][1:] == [
        "The queue keeps messages - for days and the consumer reads them."
    ]


def test_an_aspect_heading_is_about_the_feature_it_names(nlp):
    text = "## S3 Replication Options\n\n- Must enable **versioning**\n\n## DynamoDB Global Tables\n\nText.\n"
    found = stated(nlp, text)
    assert ("term:replication", "depends_on", "term:versioning", 3) in found
    assert ("service:dynamodb", "has", "term:global table", 5) in found


def test_a_concept_heading_inside_a_section_is_part_of_its_subject(nlp):
    found = stated(nlp, "## Amazon SQS\n\n### Dead-letter queue\n\nFailed messages go to the dead-letter queue.\n")
    assert ("service:sqs", "has", "term:dead letter queue", 3) in found


def test_items_nested_under_a_term_item_are_about_that_term(nlp):
    text = "## Amazon S3\n\n- Replication Time Control\n  - Adds a guaranteed **SLA** for extra cost\n"
    found = stated(nlp, text)
    assert ("term:replication time control", "has", "term:sla", 4) in found
    assert not joined(found, "service:s3", "term:sla")


# --- cue words -----------------------------------------------------------------------------------------------------


def test_acts_on_is_a_known_coloured_relation_and_reads_both_voices(nlp):
    assert "acts_on" in RELATIONS and "acts_on" in RELATION_COLOR
    found = stated(nlp, "# Security\n\nAmazon GuardDuty analyzes **Flow Logs**.\n\n**DEK** is encrypted by **CMK**.\n")
    assert ("service:guardduty", "acts_on", "term:flow log", 3) in found
    assert ("term:cmk", "acts_on", "term:dek", 5) in found


def test_a_capitalised_cue_word_inside_a_name_is_no_verb(nlp):
    found = stated(nlp, "# S3\n\n**Buckets** use an Object Access Control List for **grants**.\n")
    assert not [f for f in found if f[1] == "acts_on"]


def test_objects_of_one_comparison_are_not_compared_with_each_other(nlp):
    found = stated(nlp, "## Amazon Aurora\n\n- 5x faster than **MySQL**, 3x faster than **PostgreSQL**\n")
    assert not joined(found, "term:mysql", "term:postgresql")
    assert ("service:aurora", "compared_with", "term:mysql", 3) in found


def test_a_heading_that_compares_states_the_comparison(nlp):
    found = stated(nlp, "# Notes\n\n## Network ACLs vs Security Groups\n\nBoth filter traffic.\n")
    assert ("term:network acl", "compared_with", "term:security group", 3) in found


def test_header_cells_that_each_name_one_thing_compare_them(nlp):
    text = "# Notes\n\n| Feature | Amazon SQS | Amazon SNS |\n| - | - | - |\n| Model | queue | topic |\n"
    found = stated(nlp, text)
    assert ("service:sqs", "compared_with", "service:sns", 3) in found
    assert not [f for f in found if f[1] == "compared_with" and "term:feature" in f]


def test_a_concept_in_a_service_is_the_services(nlp):
    found = stated(nlp, "# IAM\n\nFlexibility in **User Management** in AWS IAM, for every team.\n")
    assert ("service:iam", "has", "term:user management", 3) in found


def test_a_concept_for_a_service_or_in_a_services_noun_is_not_its_feature(nlp):
    found = stated(nlp, "# Files\n\nA managed **NFS** for EC2 instances.\n\n**Replication** in EBS volumes.\n")
    assert not joined(found, "service:ec2", "term:nfs")
    assert not joined(found, "service:ebs", "term:replication")


def test_under_use_cases_an_abbreviation_lead_is_used_for_the_rest_of_its_line(nlp):
    text = "# S3 Replication\n\n## Use cases\n\nSRR - Log aggregation\nCRR - Latency reduction\n"
    ext = extract(nlp, text)
    found = {(r.source, r.relation, r.target, r.evidence.line) for r in ext.relations if r.stated}
    assert ("term:srr", "used_for", "term:log aggregation", 5) in found
    assert ("term:crr", "used_for", "term:latency reduction", 6) in found
    assert not [m for m in ext.mentions if m.key in ("term:srr", "term:crr") and m.kind == "use_case"]


def _related_to(nlp, subject: str, text: str) -> set[str]:
    """What *subject* has a stated relation to in the note *text*."""
    return {target for source, _, target, _ in stated(nlp, text) if source == subject}


def test_a_quality_given_its_figure_is_no_feature(nlp):
    targets = _related_to(
        nlp,
        "service:sqs",
        "## Amazon SQS\n\n"
        "- Default retention of messages: 4 days, maximum of 14 days\n"
        "- Low latency (<10 ms on publish and receive)\n"
        "- Single-digit millisecond latency – low latency retrieval\n"
        "- Dead-letter queue: where failed messages go\n",
    )
    assert "term:default retention of message" not in targets and "term:low latency" not in targets
    assert "term:single digit millisecond latency" not in targets
    assert "term:dead letter queue" in targets


def test_a_name_and_its_abbreviation_before_a_title_case_noun_only_qualify_it(nlp):
    text = "## DynamoDB\n\n- Standard & Infrequent Access (IA) Table Class\n- Offers Point In Time Recovery (PITR)"
    targets = _related_to(nlp, "service:dynamodb", text)
    assert "term:infrequent access" not in targets and "term:ia" not in targets
    assert "term:point in time recovery" in targets


def test_a_class_of_things_whose_members_follow_in_parentheses_is_no_feature(nlp):
    text = "## Redshift\n\n- Supports integration with **BI tools** (QuickSight, Tableau) and **concurrency scaling**"
    targets = _related_to(nlp, "service:redshift", text)
    assert "term:bi tool" not in targets and "service:quicksight" in targets
    assert "term:concurrency scaling" in targets


def test_a_hyphenated_quality_before_a_noun_is_no_feature(nlp):
    quality = (
        "## Graph stores\n\n- High-throughput: many reads at once\n\n"
        "## Amazon Neptune\n\n- **Amazon Neptune**: High-throughput NoSQL database.\n"
    )
    assert _related_to(nlp, "service:neptune", quality) == set()
    named = "## Amazon Neptune\n\n- **Amazon Neptune**: supports **high throughput** for graph queries.\n"
    assert _related_to(nlp, "service:neptune", named) == {"term:high throughput"}


def test_an_item_naming_a_feature_of_one_everyday_word_is_that_feature(nlp):
    text = "## Amazon Timestream\n\n- Compressed storage of data\n- Point of presence\n"
    assert _related_to(nlp, "service:timestream", text) == {"term:compressed storage", "term:point of presence"}


def test_a_name_after_using_is_how_a_verb_acts_not_on_what(nlp):
    text = "## Amazon Macie\n\n- Scans buckets using **pattern matching** techniques.\n- Protects **sensitive data**\n"
    found = stated(nlp, text)
    assert joined(found, "service:macie2", "term:pattern matching") == set()
    assert joined(found, "service:macie2", "term:sensitive data") == {"acts_on"}


def test_a_name_after_via_through_with_or_by_is_the_means_not_the_object(nlp):
    text = (
        "## Amazon Macie\n\n- Inspects folders via **hash lookups**.\n- Audits files through **naming rules**.\n"
        "- Filters uploads with **entropy scores**.\n- Tracks reports by **owner tags**.\n"
        "- Protects **sensitive data**\n"
    )
    found = stated(nlp, text)
    for means in ("term:hash lookup", "term:naming rule", "term:entropy score", "term:owner tag"):
        assert "acts_on" not in joined(found, "service:macie2", means), means  # how it acts, not on what
    assert joined(found, "service:macie2", "term:sensitive data") == {"acts_on"}


def test_capturing_from_names_is_reading_from_them(nlp):
    text = "## Frame Tapping\n\n- Captures frames from hosted engines as well: Amazon Redshift, Amazon Neptune, etc.\n"
    found = stated(nlp, text)
    assert joined(found, "term:frame tapping", "service:redshift") == {"ingests_from"}
    assert joined(found, "term:frame tapping", "service:neptune") == {"ingests_from"}
