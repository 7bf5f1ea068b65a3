"""Notes as people keep them in notes apps (issue 12, item 7): wiki links, tags, front matter, callouts."""

from __future__ import annotations

import pytest

from graph.model import RELATIONS
from graph.sources.frontmatter import read_front_matter
from graph.sources.markdown import WikiLink, parse_note
from graph.sources.notes import decode_note
from graph.store.build import build_notes
from graph.ui.view import RELATION_COLOR


def parsed(text: str, name: str = "note.md"):
    note, problem = decode_note(name, text.encode())
    assert note is not None, problem
    return parse_note(note)


@pytest.fixture
def graph_of(write_notes):
    def build(text: str, name: str = "note.md"):
        return build_notes(write_notes({name: text})).graph

    return build


def stated_edges(graph, relation=None):
    return sorted(
        (a, r, b)
        for a, b, r, d in graph.edges(keys=True, data=True)
        if d.get("stated") and (relation is None or r == relation)
    )


# --- front matter -------------------------------------------------------------------------------------------------


def test_front_matter_simple_forms_with_lines():
    meta = read_front_matter(
        "---\ntitle: \"Queues: basics\"\naliases: [Message queue, 'MQ, classic']\ntags: aws, messaging\n"
        "keywords:\n  - fan-out\n  - DLQ\nnested:\n  key: value\n---\n# Body\n"
    )
    assert [(m.key, m.value, m.line) for m in meta] == [
        ("title", "Queues: basics", 2),
        ("aliases", "Message queue", 3),
        ("aliases", "MQ, classic", 3),
        ("tags", "aws", 4),
        ("tags", "messaging", 4),
        ("keywords", "fan-out", 6),
        ("keywords", "DLQ", 7),
    ]


def test_no_front_matter_and_unclosed_front_matter_give_nothing():
    assert read_front_matter("# Title\n---\ntags: [a]\n---\n") == ()
    assert read_front_matter("---\ntags: [a]\nno end\n") == ()


def test_front_matter_reaches_the_parsed_note_and_lines_still_hold():
    note = parsed("---\naliases:\n  - Simple Queue Service\n---\n# Amazon SQS\n")
    assert [(m.key, m.value, m.line) for m in note.front_matter] == [("aliases", "Simple Queue Service", 3)]
    assert [(b.kind, b.text, b.line) for b in note.blocks] == [("heading", "Amazon SQS", 5)]


# --- markdown: wiki links, tags, callouts --------------------------------------------------------------------------


def test_wiki_links_become_their_shown_text_with_the_page_kept():
    block = parsed("Failed ones go to a [[Dead-letter queue|DLQ]], see [[Visibility timeout#Defaults]].\n").blocks[0]
    assert block.text == "Failed ones go to a DLQ, see Visibility timeout."
    assert block.wikilinks == (
        WikiLink("Dead-letter queue", "", 20, 23),
        WikiLink("Visibility timeout", "Defaults", 29, 47),
    )


def test_embeds_and_attachments_are_not_text_and_emphasis_moves_along():
    block = parsed("![[diagram.png]] **SQS** and [[spec.pdf]] **SNS**\n").blocks[0]
    assert block.text == "SQS and SNS"
    assert block.wikilinks == ()
    assert block.emphasised() == ["SQS", "SNS"]


def test_tags_leave_the_text_unless_inside_a_sentence_and_never_in_code_or_addresses():
    blocks = parsed(
        "Queues decouple services #aws/sqs #messaging\n\n"
        "- Uses #kafka for streams\n"
        "- Not a tag: `#include`, C# code, http://x.com/#frag, issue #12\n"
    ).blocks
    assert [(b.text, b.tags) for b in blocks] == [
        ("Queues decouple services", ("aws/sqs", "messaging")),
        ("Uses kafka for streams", ("kafka",)),
        ("Not a tag: #include, C# code, http://x.com/#frag, issue #12", ()),
    ]


def test_a_heading_is_not_a_tag_and_a_line_of_tags_leaves_no_text():
    note = parsed("# Amazon SQS\n\n#messaging #queues\n\n## Fan-out #sns\n")
    assert [(b.kind, b.text, b.tags) for b in note.blocks] == [
        ("heading", "Amazon SQS", ()),
        ("heading", "Fan-out", ("sns",)),
    ]
    assert [(s.title, s.tags) for s in note.sections] == [("", []), ("Amazon SQS", [("messaging", 3), ("queues", 3)]),
                                                         ("Fan-out", [])]  # fmt: skip


def test_callout_marker_is_dropped_and_its_title_is_a_line_of_its_own():
    blocks = parsed("> [!tip]- Exam hint\n> Use **SNS** to fan out.\n\n> [!note]\n> Just a body.\n").blocks
    assert [(b.kind, b.text, b.line) for b in blocks] == [
        ("paragraph", "Exam hint", 1),
        ("paragraph", "Use SNS to fan out.", 2),
        ("paragraph", "Just a body.", 5),
    ]
    assert blocks[1].emphasised() == ["SNS"]


def test_a_plain_blockquote_is_text():
    blocks = parsed("> [not a callout] Queues keep messages\n> for days.\n").blocks
    assert [b.text for b in blocks] == ["[not a callout] Queues keep messages for days."]


# --- extraction ----------------------------------------------------------------------------------------------------


def test_links_to_is_a_relation_with_a_colour():
    assert "links_to" in RELATIONS and "links_to" in RELATION_COLOR


def test_a_wiki_link_names_a_topic_and_is_a_stated_link_from_the_section_subject(graph_of):
    g = graph_of(
        "# Amazon SQS\n\nFailed messages go to a [[Dead-letter queue|DLQ]].\n\n"
        "## Fan-out\n\nSee [[Amazon SNS|topics]] and [[Long polling#Setup]].\n"
    )
    assert g.nodes["term:dead letter queue"]["label"] == "Dead-letter queue"
    assert g.nodes["term:dead letter queue"]["type"] == "concept"
    assert "topics" not in g.nodes["service:sns"]["aliases"]  # the shown text is not a name of the page
    assert stated_edges(g, "links_to") == [
        ("service:sqs", "links_to", "term:dead letter queue"),
        ("term:fan out", "links_to", "service:sns"),
        ("term:fan out", "links_to", "term:long polling"),
    ]
    evidence = g.edges["service:sqs", "term:dead letter queue", "links_to"]["evidence"][0]
    assert (evidence["file"], evidence["line"]) == ("note.md", 3)


def test_a_wiki_link_is_read_by_cue_words_like_any_name(graph_of):
    g = graph_of("# Pipelines\n\n[[Amazon Kinesis Data Firehose|Firehose]] delivers to [[Amazon S3|the lake]].\n")
    assert ("service:firehose", "delivers_to", "service:s3") in stated_edges(g)


def test_note_without_heading_links_from_its_file_name_with_front_matter_aliases_and_tags(graph_of):
    g = graph_of(
        "---\naliases: [Simple Queue Service]\ntags: [aws/messaging, todo]\n---\n"
        "Keeps messages until deleted. See [[Dead-letter queue]] #decoupling\n",
        name="SQS.md",
    )
    assert "Simple Queue Service" in g.nodes["service:sqs"]["aliases"]
    assert stated_edges(g, "links_to") == [("service:sqs", "links_to", "term:dead letter queue")]
    assert g.has_edge("service:sqs", "term:messaging", "related_to")
    assert g.has_edge("service:sqs", "term:decoupling", "related_to")
    assert not g.has_edge("service:sqs", "term:messaging", "links_to")  # a tag does not say how
    assert "term:todo" not in g and "term:aws" not in g  # how the note is kept; the vendor
    alias_places = [(m["file"], m["line"]) for m in g.nodes["service:sqs"]["mentions"]]
    assert ("SQS.md", 2) in alias_places


def test_a_line_of_tags_tags_its_section(graph_of):
    g = graph_of("# Amazon SQS\n\n#decoupling #aws\n\nKeeps messages.\n")
    assert g.has_edge("service:sqs", "term:decoupling", "related_to")
    place = g.nodes["term:decoupling"]["mentions"][0]
    assert (place["file"], place["line"]) == ("note.md", 3)


def test_front_matter_title_is_the_note_topic(graph_of):
    g = graph_of("---\ntitle: Event-driven architecture\n---\nProducers emit events. See [[Amazon EventBridge]].\n")
    assert stated_edges(g, "links_to") == [("term:event driven architecture", "links_to", "service:events")]


def test_links_to_dates_index_pages_and_fragments_are_not_topics(graph_of):
    g = graph_of("# Amazon SQS\n\nSee [[2024-01-05]], [[Index]], [[Module 2]] and [[Lesson 3|the lesson]].\n")
    assert stated_edges(g, "links_to") == []
    assert sorted(g.nodes) == ["service:sqs"]


def test_notes_without_any_of_it_are_read_as_before(graph_of):
    g = graph_of("# Amazon SQS\n\n- Queues decouple producers from consumers\n", name="sqs_notes.md")
    assert not any(r == "links_to" for _, _, r in g.edges(keys=True))
    assert "term:sqs note" not in g


def test_the_file_name_is_a_topic_only_when_something_hangs_on_it(graph_of):
    g = graph_of("---\nlayout: post\ndate: 2024-01-05\n---\nQueues keep messages.\n", name="queue_basics.md")
    assert "term:queue basic" not in g


def test_a_page_in_a_folder_or_with_an_article_names_its_topic(graph_of):
    g = graph_of("# Design\n\nSee [[Compute/Amazon EC2]], [[The Twelve-Factor App]] and [[CI/CD]].\n")
    assert stated_edges(g, "links_to") == [
        ("term:design", "links_to", "service:ec2"),
        ("term:design", "links_to", "term:ci cd"),
        ("term:design", "links_to", "term:twelve factor app"),
    ]


def test_a_tag_may_name_a_service(graph_of):
    g = graph_of("# Storage\n\nObjects live in buckets #aws/s3\n")
    assert g.has_edge("term:storage", "service:s3", "related_to")
