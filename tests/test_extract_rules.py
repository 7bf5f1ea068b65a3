"""Each extraction rule on its own: a tiny note, only that rule run on its context, what it recorded.

The whole extraction is tested end to end in ``test_extract.py``; here every module of
``graph.extract.rules`` is run alone (after the rules whose results it reads: section subjects and
block entities are prepared into the context with a throw-away recorder), so a failure names the rule.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from extract_helpers import context

from graph.extract import note as orchestrator
from graph.extract import rules
from graph.extract.context import NoteContext
from graph.extract.pipeline import make_pipeline
from graph.extract.recorder import Recorder
from graph.extract.rules import (
    arrows,
    compared_lines,
    cooccurrence,
    cross_vendor,
    cues,
    definition_uses,
    definitions,
    descriptions,
    emphasised_openers,
    entities,
    labels,
    lead_terms,
    mentions,
    note_links,
    part_of,
    phrases,
    placeholders,
    relation_nouns,
    repeated_terms,
    section_cooccurrence,
    subjects,
    tables,
    task_labels,
    use_terms,
)
from graph.model import CONCEPT, SERVICE, TECHNOLOGY, USE_CASE
from graph.store import cache

RULE_MODULES = sorted(info.name for info in pkgutil.iter_modules(rules.__path__))


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def run(rule: ModuleType, ctx: NoteContext, rec: Recorder | None = None) -> Recorder:
    """Run only *rule* on *ctx* (a block rule on every block, in order) and return what it recorded."""
    rec = rec or Recorder(ctx)
    if hasattr(rule, "apply"):
        rule.apply(ctx, rec)
    else:
        for index in range(len(ctx.parsed.blocks)):
            rule.apply_to_block(ctx, rec, index)
    return rec


def mentioned(rec: Recorder) -> list[tuple[str, str, str, str]]:
    return [(m.key, m.surface, m.kind, m.how) for m in rec.mentions]


def related(rec: Recorder) -> list[tuple[str, str, str, bool]]:
    return [(r.source, r.relation, r.target, r.stated) for r in rec.relations]


def defined(rec: Recorder) -> list[tuple[str, str, int]]:
    return [(d.key, d.text, d.strength) for d in rec.definitions]


# --- the shape of the rules ---------------------------------------------------------------------------------------


def test_every_rule_module_runs_exactly_once_in_the_documented_order():
    wired = [*orchestrator.NOTE_RULES_BEFORE, *orchestrator.BLOCK_RULES, *orchestrator.NOTE_RULES_AFTER]
    names = [module.__name__.rsplit(".", 1)[1] for module in wired]
    assert sorted(names) == RULE_MODULES  # a new module that is not wired in fails here
    assert len(names) == len(set(names))
    # Order matters: later rules read what earlier ones found.
    assert (subjects, entities, note_links) == orchestrator.NOTE_RULES_BEFORE
    assert (
        mentions,
        part_of,
        tables,
        arrows,
        lead_terms,
        labels,
        compared_lines,
        definitions,
        definition_uses,
        cues,
        descriptions,
        cross_vendor,
        emphasised_openers,
        task_labels,
        cooccurrence,
    ) == orchestrator.BLOCK_RULES
    after = (repeated_terms, use_terms, relation_nouns, section_cooccurrence, placeholders, phrases)
    assert after == orchestrator.NOTE_RULES_AFTER


@pytest.mark.parametrize("name", RULE_MODULES)
def test_a_rule_module_has_a_docstring_an_all_and_one_entry_function(name):
    module = importlib.import_module(f"graph.extract.rules.{name}")
    assert module.__doc__ and "Example" in module.__doc__, "say what it finds, with a tiny example"
    block_rule = module in orchestrator.BLOCK_RULES
    entry = "apply_to_block" if block_rule else "apply"
    assert module.__all__ == [entry]
    assert callable(getattr(module, entry))
    assert not hasattr(module, "apply_to_block" if not block_rule else "apply")


# --- subjects -----------------------------------------------------------------------------------------------------


def test_subjects_come_from_headings_and_scaffolding_inherits(nlp):
    ctx = context(
        nlp,
        "# Amazon SQS — Message Queue\n\nSQS keeps messages.\n\n## Key points\n\n- fast\n\n"
        "## Data lakes\n\nA data lakes story.\n\n## What is Amazon SNS?\n\nIt sends.\n",
        prepare=False,
    )
    rec = run(subjects, ctx)
    assert ctx.subjects == {
        0: [],
        1: ["service:sqs"],
        2: ["service:sqs"],  # "Key points" is scaffolding: the parent's subject
        3: ["term:data lake"],
        4: ["service:sns"],
    }
    assert ctx.question_sections == {4: "service:sns"}
    assert mentioned(rec) == [
        ("service:sqs", "Amazon SQS", SERVICE, "heading"),
        ("term:data lake", "Data lakes", CONCEPT, "heading"),
        ("service:sns", "Amazon SNS", SERVICE, "heading"),
    ]
    assert [(s.key, s.title, s.start_line) for s in rec.sections] == [
        ("service:sqs", "Amazon SQS — Message Queue", 1),
        ("term:data lake", "Data lakes", 9),
        ("service:sns", "What is Amazon SNS?", 13),
    ]
    assert defined(rec) == [("service:sqs", "Message Queue", 0)]  # a tagline: weak, and terse
    # A concept heading inside the section about SQS is part of what that section is about
    assert related(rec) == [("service:sqs", "has", "term:data lake", True)]


@pytest.mark.parametrize(
    "title", ["Different approaches to encryption", "Key Considerations", "Create a study strategy", "Using IGW"]
)
def test_a_heading_of_several_words_with_function_or_scaffolding_words_needs_its_words_used_again(nlp, title):
    ctx = context(nlp, f"# {title}\n\nSomething else entirely.\n", prepare=False)
    rec = run(subjects, ctx)
    assert ctx.subjects[1] == [] and rec.mentions == [] and rec.sections == []


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Event sourcing patterns", "term:event sourcing pattern"),  # a compact noun phrase names a topic
        ("Resource Locks", "term:resource lock"),  # used again in the singular
        ("Azure Region Pairs", "term:azure region pair"),  # the vendor's name is no word of the phrase
        ("What’s Serverless", "term:serverless"),  # a question asks about a coined word whatever its ending
    ],
)
def test_a_compact_heading_or_one_used_again_in_any_number_is_a_topic(nlp, title, key):
    ctx = context(nlp, f"# {title}\n\nA resource lock is set here.\n", prepare=False)
    run(subjects, ctx)
    assert ctx.subjects[1] == [key]


# --- entities -----------------------------------------------------------------------------------------------------


def test_entities_are_services_emphasis_and_names_in_text_order(nlp):
    ctx = context(
        nlp,
        "# Notes\n\nTeams run Kafka-based pipelines into **data lakes** on Amazon S3 across Availability Zones "
        "in AWS.\n\n**Use case:** logs\n",
        prepare=False,
    )
    subjects.apply(ctx, Recorder(ctx))
    rec = run(entities, ctx)
    found = {i: [(c.key, c.surface, c.kind) for c in cands] for i, cands in ctx.block_entities.items()}
    assert found == {
        0: [],
        1: [
            ("term:kafka", "Kafka", TECHNOLOGY),
            ("term:data lake", "data lakes", CONCEPT),
            ("service:s3", "Amazon S3", SERVICE),
            ("term:availability zone", "Availability Zones", CONCEPT),
        ],
        2: [],  # an inline label is no term
    }
    assert rec.mentions == [] and rec.relations == []  # it only fills the context


# --- mentions -----------------------------------------------------------------------------------------------------


def test_mentions_say_how_each_entity_was_written(nlp):
    rec = run(mentions, context(nlp, "# Notes\n\n- **Data lakes** on Amazon S3 with Kafka\n"))
    assert mentioned(rec) == [
        ("term:data lake", "Data lakes", CONCEPT, "emphasis"),
        ("service:s3", "Amazon S3", SERVICE, "text"),
        ("term:kafka", "Kafka", TECHNOLOGY, "name"),
    ]
    assert rec.relations == [] and rec.definitions == []


# --- part_of ------------------------------------------------------------------------------------------------------


def test_a_service_in_its_family_section_is_part_of_it(nlp):
    rec = run(part_of, context(nlp, "# Snow Family\n\n- **Snowball Edge** — a device\n"))
    assert related(rec) == [("service:snowball-edge", "part_of", "service:snow-family", True)]


def test_a_sub_heading_naming_a_member_is_part_of_the_parent_section_subject(nlp):
    rec = run(part_of, context(nlp, "# Amazon Kinesis\n\n## Kinesis Data Firehose\n\nFirehose loads data.\n"))
    assert related(rec) == [("service:firehose", "part_of", "service:kinesis", True)]


def test_a_service_outside_its_family_section_is_not_part_of_anything(nlp):
    rec = run(part_of, context(nlp, "# Storage\n\n- Snowball Edge moves data\n"))
    assert rec.relations == []


# --- tables -------------------------------------------------------------------------------------------------------


def test_a_table_row_defines_what_its_first_cell_names(nlp):
    ctx = context(
        nlp,
        "# Services\n\n| Service | What |\n|---|---|\n| **Amazon SQS** | A fully managed message queue for apps |\n",
    )
    rec = run(tables, ctx)
    assert defined(rec) == [("service:sqs", "A fully managed message queue for apps", 2)]
    assert rec.mentions == [] and rec.relations == []


# --- arrows -------------------------------------------------------------------------------------------------------


def test_an_arrow_chain_feeds_hop_by_hop(nlp):
    rec = run(arrows, context(nlp, "# Pipeline\n\n```\nProducers → Kinesis → Firehose -> S3\n```\n"))
    assert related(rec) == [
        ("term:producer", "feeds", "service:kinesis", True),
        ("service:kinesis", "feeds", "service:firehose", True),
        ("service:firehose", "feeds", "service:s3", True),
    ]
    assert [m[0] for m in mentioned(rec)] == ["term:producer", "service:kinesis", "service:firehose", "service:s3"]
    assert {m[3] for m in mentioned(rec)} == {"arrow"}


def test_an_arrow_to_a_lower_case_phrase_defines(nlp):
    rec = run(arrows, context(nlp, "# Notes\n\nAthena -> serverless interactive queries on raw logs.\n"))
    assert defined(rec) == [("service:athena", "serverless interactive queries on raw logs", 2)]
    assert rec.relations == []


# --- lead_terms ---------------------------------------------------------------------------------------------------


def test_a_lead_term_is_mentioned_defined_and_had_by_the_subject(nlp):
    ctx = context(nlp, "# Amazon Kinesis\n\n- **Shard** — a unit of capacity in a stream\n")
    rec = run(lead_terms, ctx)
    assert mentioned(rec) == [("term:shard", "Shard", TECHNOLOGY, "definition")]
    assert defined(rec) == [("term:shard", "a unit of capacity in a stream", 3)]
    assert related(rec) == [("service:kinesis", "has", "term:shard", True)]


def test_a_lead_service_under_a_role_label_takes_the_role(nlp):
    ctx = context(nlp, "# Amazon Kinesis Data Firehose\n\n**Supported targets**\n\n- **Amazon S3** — object storage\n")
    rec = run(lead_terms, ctx)
    assert related(rec) == [("service:firehose", "delivers_to", "service:s3", True)]
    assert defined(rec) == [("service:s3", "object storage", 2)]


def test_a_lead_that_spells_out_the_name_defines_nothing(nlp):
    rec = run(lead_terms, context(nlp, "# Notes\n\n- Amazon SQS - Simple Queue Service\n"))
    assert mentioned(rec) == [("service:sqs", "Amazon SQS", SERVICE, "definition")]
    assert rec.definitions == [] and rec.relations == []


# --- labels -------------------------------------------------------------------------------------------------------


def test_items_take_the_role_of_their_label(nlp):
    ctx = context(
        nlp,
        "# Amazon Kinesis\n\n**Use cases**\n\n- Real-time analytics\n\n**Core capabilities**\n\n- Shard splitting\n\n"
        "**Supported targets**\n\n- Amazon S3\n",
    )
    rec = run(labels, ctx)
    assert related(rec) == [
        ("service:kinesis", "used_for", "term:real time analytics", True),
        ("service:kinesis", "has", "term:shard splitting", True),
        ("service:kinesis", "delivers_to", "service:s3", True),
    ]
    assert [(m[0], m[2], m[3]) for m in mentioned(rec)] == [
        ("term:real time analytics", USE_CASE, "list"),
        ("term:shard splitting", CONCEPT, "list"),
        ("service:s3", SERVICE, "list"),
    ]


def test_an_inline_label_gives_each_listed_part_its_role(nlp):
    rec = run(labels, context(nlp, "# Amazon Kinesis\n\n**Use cases:** log analytics, clickstreams\n"))
    assert related(rec) == [
        ("service:kinesis", "used_for", "term:log analytics", True),
        ("service:kinesis", "used_for", "term:clickstream", True),
    ]


def test_a_plain_top_level_item_is_a_concept_of_the_subject(nlp):
    rec = run(labels, context(nlp, "# Amazon Kinesis\n\n- Ordered records\n"))
    assert mentioned(rec) == [("term:ordered record", "Ordered records", CONCEPT, "list")]
    assert related(rec) == [("service:kinesis", "has", "term:ordered record", True)]


# --- compared_lines -----------------------------------------------------------------------------------------------


def test_consecutive_equals_lines_are_compared(nlp):
    ctx = context(nlp, "# Amazon SQS\n\n- Standard = at-least-once delivery\n- FIFO = exactly-once processing\n")
    rec = run(compared_lines, ctx)
    assert related(rec) == [("term:standard", "compared_with", "term:fifo", True)]
    assert rec.mentions == [] and rec.definitions == []


def test_equals_lines_in_different_sections_are_not_compared(nlp):
    ctx = context(nlp, "# Amazon SQS\n\n- Standard = at-least-once\n\n## Other\n\n- FIFO = exactly-once\n")
    assert run(compared_lines, ctx).relations == []


# --- definitions --------------------------------------------------------------------------------------------------


def test_sentences_that_open_with_a_service_define_or_describe_it(nlp):
    ctx = context(
        nlp,
        "# Notes\n\nAmazon SQS is a fully managed message queue.\n\nAmazon SNS provides pub/sub messaging for apps.\n\n"
        "Kafka is a distributed event log for streams.\n",
    )
    rec = run(definitions, ctx)
    assert defined(rec) == [
        ("service:sqs", "Amazon SQS is a fully managed message queue.", 3),
        ("service:sns", "Amazon SNS provides pub/sub messaging for apps.", 2),
        ("term:kafka", "Kafka is a distributed event log for streams.", 2),
    ]
    assert mentioned(rec) == [("term:kafka", "Kafka", TECHNOLOGY, "definition")]


def test_what_it_is_labels_and_question_headings_define_the_subject(nlp):
    ctx = context(
        nlp,
        "# Amazon Athena\n\n**What it is:**\n\nA serverless query engine for data in S3.\n\n"
        "## What is Amazon EMR?\n\nManaged Hadoop clusters for big data.\n",
    )
    rec = run(definitions, ctx)
    assert defined(rec) == [
        ("service:athena", "A serverless query engine for data in S3.", 5),
        ("service:emr", "Managed Hadoop clusters for big data.", 5),  # answers "What is ...?"
        ("service:emr", "Managed Hadoop clusters for big data.", 2),  # the first line of its section
    ]


# --- cues ---------------------------------------------------------------------------------------------------------


def test_comparison_and_verb_cues_relate_names_in_text_order(nlp):
    ctx = context(
        nlp,
        "# Notes\n\nKinesis vs SQS for streaming.\n\nFirehose delivers to S3 and Redshift.\n\n"
        "Provisioned vs On-Demand capacity.\n",
    )
    rec = run(cues, ctx)
    assert related(rec) == [
        ("service:kinesis", "compared_with", "service:sqs", True),
        ("service:firehose", "delivers_to", "service:s3", True),
        ("service:firehose", "delivers_to", "service:redshift", True),
        ("term:provisioned", "compared_with", "term:on demand", True),
    ]
    assert [(m[0], m[3]) for m in mentioned(rec)] == [
        ("service:kinesis", "comparison"),
        ("service:sqs", "comparison"),
        ("term:provisioned", "comparison"),
        ("term:on demand", "comparison"),
    ]


def test_a_verb_at_the_start_of_a_sentence_acts_for_the_subject_and_used_for_finds_a_use_case(nlp):
    ctx = context(
        nlp, "# AWS Glue\n\nIntegrates directly with Amazon S3 and Athena.\n\nAmazon S3 is used for hosting websites.\n"
    )
    rec = run(cues, ctx)
    assert related(rec) == [
        ("service:glue", "connects_to", "service:s3", True),
        ("service:glue", "connects_to", "service:athena", True),
        ("service:s3", "used_for", "term:hosting website", True),
    ]
    # a use said in words votes as strongly as a listed one
    assert mentioned(rec) == [("term:hosting website", "hosting websites", USE_CASE, "use")]


def test_a_data_moving_verb_needs_its_preposition(nlp):
    assert run(cues, context(nlp, "# Notes\n\nFirehose loads quickly, S3 is cheap.\n")).relations == []


# --- cooccurrence -------------------------------------------------------------------------------------------------


def test_names_in_one_item_or_one_sentence_are_related_inferred(nlp):
    ctx = context(
        nlp, "# Notes\n\n- Logs from Splunk and Kafka land in Amazon S3\n\nAthena reads S3. Redshift loads Kafka.\n"
    )
    rec = run(cooccurrence, ctx)
    assert related(rec) == [
        ("term:splunk", "related_to", "term:kafka", False),
        ("term:splunk", "related_to", "service:s3", False),
        ("term:kafka", "related_to", "service:s3", False),
        ("service:athena", "related_to", "service:s3", False),  # sentence by sentence, not across them
        ("service:redshift", "related_to", "term:kafka", False),
    ]


# --- repeated_terms -----------------------------------------------------------------------------------------------


def test_a_term_introduced_earlier_is_counted_again_in_running_text(nlp):
    ctx = context(nlp, "# Notes\n\n- **Data lake** — central storage\n\nAthena queries the data lake in place.\n")
    rec = Recorder(ctx)
    rec.mention("term:data lake", "Data lake", CONCEPT, "definition", 1)  # what lead_terms records
    run(repeated_terms, ctx, rec)
    assert mentioned(rec)[1:] == [("term:data lake", "data lake", CONCEPT, "text")]
    assert rec.mentions[1].evidence.line == 5
    assert related(rec) == [("service:athena", "related_to", "term:data lake", False)]
    assert [c.key for c in ctx.block_entities[2]] == ["service:athena", "term:data lake"]


def test_nothing_is_looked_for_again_when_no_term_was_introduced(nlp):
    ctx = context(nlp, "# Notes\n\nAthena queries the data lake in place.\n")
    rec = run(repeated_terms, ctx)
    assert rec.mentions == [] and rec.relations == []


# --- section_cooccurrence -----------------------------------------------------------------------------------------


def test_a_section_subject_is_weakly_related_to_what_its_section_names(nlp):
    rec = run(
        section_cooccurrence, context(nlp, "# Amazon Kinesis\n\nPairs well with Apache Flink.\n\n- **Shard** — x\n")
    )
    assert [(r.source, r.relation, r.target, r.stated, r.weight) for r in rec.relations] == [
        ("service:kinesis", "related_to", "term:apache flink", False, 0.5),
        ("service:kinesis", "related_to", "term:shard", False, 0.5),
    ]


# --- placeholders -------------------------------------------------------------------------------------------------


def test_placeholders_are_empty_links_to_dos_and_empty_sections(nlp):
    ctx = context(nlp, "# Amazon SQS\n\nTODO: add limits\n\nSee [SNS]().\n\n## Empty\n\n## Done\n\ntext\n")
    rec = run(placeholders, ctx)
    assert [(p.kind, p.file, p.line, p.text, p.section) for p in rec.placeholders] == [
        ("empty link", "note.md", 5, "[SNS]()", ("Amazon SQS",)),
        ("to do", "note.md", 3, "TODO: add limits", ("Amazon SQS",)),
        ("empty section", "note.md", 7, "Empty", ("Amazon SQS", "Empty")),
    ]


# --- the extraction cache covers the rules ------------------------------------------------------------------------


def _fingerprint_of_copy(package: Path) -> str:
    """``code_fingerprint`` of graph/store/cache.py loaded from a copy of the package at *package*."""
    spec = importlib.util.spec_from_file_location("copied_cache", package / "store" / "cache.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.pop("copied_cache", None)
    spec.loader.exec_module(module)  # its own lru_cache, and __file__ in the copy
    return module.code_fingerprint()


def test_a_new_or_changed_rule_module_changes_the_cache_fingerprint(tmp_path):
    real = Path(cache.__file__).resolve().parent.parent
    package = tmp_path / "graph"
    shutil.copytree(real, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # The copy hashes what the package does: the same fingerprint.
    assert _fingerprint_of_copy(package) == cache.code_fingerprint()
    before = _fingerprint_of_copy(package)
    (package / "extract" / "rules" / "new_rule.py").write_text('"""A rule added later."""\n', encoding="utf-8")
    added = _fingerprint_of_copy(package)
    assert added != before
    cues_module = package / "extract" / "rules" / "cues.py"
    cues_module.write_text(cues_module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert _fingerprint_of_copy(package) not in (before, added)


def test_a_title_case_function_word_inside_a_heading_is_part_of_its_name(nlp):
    ctx = context(nlp, "# Defense In Depth\n\nLayers of protection.\n", prepare=False)
    run(subjects, ctx)
    assert ctx.subjects[1] == ["term:defense in depth"]
