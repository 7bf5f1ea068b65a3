"""The build's hand-written fast paths and caches give what the general code they replace gives."""

import random

import networkx as nx
import pytest
from extract_helpers import context, extract, parse_text

from graph.extract import terms
from graph.extract.context import NoteContext
from graph.extract.pipeline import make_pipeline
from graph.extract.text import use_case_phrases
from graph.model import CONCEPT, Definition, Evidence, Extraction, Mention
from graph.store.build import build_graph
from graph.store.index import _flow_order


def test_flow_order_is_networkx_topological_order_or_sorted_when_it_loops():
    rnd = random.Random(7)
    for _ in range(3000):
        names = [f"n{i}" for i in range(rnd.randint(1, 6))]
        edges = [(rnd.choice(names), rnd.choice(names)) for _ in range(rnd.randint(1, 7))]
        order = nx.DiGraph(edges)
        expected = list(nx.topological_sort(order)) if nx.is_directed_acyclic_graph(order) else sorted(order)
        assert _flow_order(edges) == expected, edges


def test_flow_order_examples():
    assert _flow_order([("kinesis", "firehose"), ("firehose", "s3")]) == ["kinesis", "firehose", "s3"]
    assert _flow_order([("b", "c"), ("a", "b"), ("a", "c")]) == ["a", "b", "c"]
    assert _flow_order([("a", "b"), ("b", "a")]) == ["a", "b"]  # a loop: sorted
    assert _flow_order([("a", "a")]) == ["a"]


# --- caches of the extraction: the same answers as the code they stand for ----------------------------------------


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


_SECTIONS = (
    "# Title\n\nIntro line.\n\n## Empty\n\n## Queues\n\n- first item\n- second item\n\nA paragraph.\n\n"
    "### Deeper\n\nOnly line.\n"
)


def test_opens_section_is_the_first_non_heading_block_of_each_section():
    parsed = parse_text(_SECTIONS)
    ctx = NoteContext(parsed=parsed, nlp=None, docs=[], catalog=None)
    opening = [b.text for i, b in enumerate(parsed.blocks) if ctx.opens_section(i)]
    assert opening == ["Intro line.", "first item", "Only line."]
    # asked again, in another order: the same answers
    assert [ctx.opens_section(i) for i in reversed(range(len(parsed.blocks)))][::-1] == [
        b.text in opening for b in parsed.blocks
    ]


def test_by_sentence_groups_the_same_when_asked_again(nlp):
    ctx = context(nlp, "SQS holds messages. SNS sends them. Lambda reads SQS.\n")
    names = ctx.block_entities[0]
    first = ctx.by_sentence(0, names, lambda c: c.start)
    again = ctx.by_sentence(0, names, lambda c: c.start)
    assert [[c.surface for c in group] for group in first] == [["SQS"], ["SNS"], ["Lambda", "SQS"]]
    assert again == first


def test_use_case_phrases_gives_a_fresh_list_each_time():
    found = use_case_phrases("knowledge graphs, fraud detection and recommendation engines")
    assert found == ["knowledge graphs", "fraud detection", "recommendation engines"]
    found.append("changed by a caller")
    assert use_case_phrases("knowledge graphs, fraud detection and recommendation engines") == found[:3]


def test_cached_term_helpers_answer_as_the_functions_they_wrap():
    for text in ("Data-Lakes", "AZs", "**Visibility timeout**:", "Key points", "configure the bucket"):
        assert terms.term_key(text) == terms.term_key.__wrapped__(text)
        assert terms.clean_term(text) == terms.clean_term.__wrapped__(text)
        assert terms.is_generic(text) == terms.is_generic.__wrapped__(text)
        assert terms.is_term_like(text, 4) == terms.is_term_like.__wrapped__(text, 4)
    assert terms.term_key("Data-Lakes") == "data lake"


_REPEATED = (
    "# Queues\n\n**Dead-letter queue** — where failed messages go.\n\n"
    "SQS moves failed messages to the dead-letter queue.\n"
)


def test_a_note_extracted_again_after_others_gives_the_same_extraction(nlp):
    first = extract(nlp, _REPEATED)
    extract(nlp, "# Other\n\n**Dead-letter queue** — another note names it too.\n\nA dead-letter queue here.\n")
    again = extract(nlp, _REPEATED)
    assert again == first
    later = [m for m in first.mentions if m.key == "term:dead letter queue" and m.evidence.line == 5]
    assert [m.how for m in later] == ["text"]  # the term named again is found by the per-process pattern


def test_the_definition_shown_is_the_strongest_whatever_the_others_look_like():
    def at(line):
        return Evidence("n.md", line, (), "")

    mention = Mention("term:shard", "Shard", CONCEPT, "heading", at(1))
    weak = Definition("term:shard", "A shard is a horizontal partition of the data, spread across nodes.", 1, at(2))
    strong = Definition("term:shard", "Partition of a table.", 3, at(3))
    fuller = Definition("term:shard", "Shard: a partition of a table held by one node of the cluster.", 3, at(4))
    extraction = Extraction("n.md", "0", mentions=[mention], definitions=[weak, strong, fuller])
    graph = build_graph([extraction], make_pipeline().get_pipe("notes_services").catalog)
    assert graph.nodes["term:shard"]["definition"] == fuller.text


def test_the_lead_separator_search_finds_what_a_search_of_the_whole_line_finds():
    from graph.extract.leads import _LEAD_SEPARATOR, _first_separator

    rnd = random.Random(11)
    pieces = ["a", "Ab", "x", " ", "  ", "\t", "—", "–", "-", "--", "=", ":", "b:C", "Sub:Tied", "*", "\n"]
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        expected = _LEAD_SEPARATOR.search(text)
        found = _first_separator(text)
        assert (found and found.span()) == (expected and expected.span()), repr(text)


def test_a_block_answers_is_label_again_after_its_text_changed():
    from graph.sources.markdown import Block

    block = Block(kind="paragraph", text="Use cases:", line=1, section=0)
    assert block.is_label and block.is_label
    block.text = "SQS decouples the parts of an application."
    assert not block.is_label
    block.kind, block.text = "item", "Supported targets:"
    assert block.is_label


def test_subject_openers_gives_a_fresh_list_each_time():
    from graph.extract.text import subject_openers

    found = subject_openers("Emulate machines. These provide IaaS.")
    assert found == [0, 23]
    found.clear()
    assert subject_openers("Emulate machines. These provide IaaS.") == [0, 23]


# --- speed8: shortcuts that must answer as the general code does ---------------------------------------------------


def _says_by_scan(body_words: list[str], phrase_words: list[str]) -> bool:
    size = len(phrase_words)
    return any(body_words[at : at + size] == phrase_words for at in range(len(body_words) - size + 1))


def test_body_says_answers_as_a_scan_of_the_body():
    from graph.extract.context import _words

    rnd = random.Random(8)
    vocabulary = ["mfa", "delete", "queue", "dead", "letter", "the", "of", ".", "s3"]
    for _ in range(300):
        # up to 120 words of 9: runs of every length repeat, and some phrases hold a word the body never writes
        lines = [" ".join(rnd.choice(vocabulary) for _ in range(rnd.randint(1, 12))) for _ in range(rnd.randint(1, 10))]
        ctx = NoteContext(parsed=None, nlp=None, docs=[], catalog=None, body_text="\n".join(lines))
        body = _words(ctx.body_text)
        for _ in range(6):
            phrase = " ".join(rnd.choice([*vocabulary, "absent"]) for _ in range(rnd.randint(1, 3)))
            assert ctx.body_says(phrase) == _says_by_scan(body, _words(phrase)), (lines, phrase)


def test_body_says_examples():
    many = " ".join(["queue"] * 40 + ["dead letter queue"])
    ctx = NoteContext(parsed=None, nlp=None, docs=[], catalog=None, body_text=many + "\nenable mfa delete")
    assert ctx.body_says("MFA Delete") and not ctx.body_says("delete mfa")
    assert not ctx.body_says("Glacier vault")  # a word the body never writes
    assert ctx.body_says("queue dead") and not ctx.body_says("queue queue letter")


def test_a_block_without_sentence_punctuation_has_the_sentences_the_sentencizer_gives(nlp):
    from graph.extract.context import _run_pipeline

    texts = ["Supports tiered shard", "SQS is a queue. It scales!", "One", "e.g. this one", "a ? b", "Ends here."]
    docs = _run_pipeline(nlp, texts)
    ctx = NoteContext(parsed=None, nlp=nlp, docs=docs, catalog=None)
    for index, text in enumerate(texts):
        expected = [(s.start, s.end, s.text) for s in nlp(text).sents]
        assert [(s.start, s.end, s.text) for s in ctx.sentences(index)] == expected, text
    assert [len(ctx.sentences(i)) for i in range(len(texts))] == [1, 2, 1, 1, 2, 1]


def test_span_text_and_written_vendor_read_the_block_text_as_the_span_does(nlp):
    from graph.extract.vendors import written_vendor

    ctx = context(nlp, "Use Amazon S3 and Azure Blob Storage with Google Cloud Storage, then SQS.\n")
    spans = ctx.services(0)
    assert [ctx.span_text(0, s) for s in spans] == [s.text for s in spans]
    text = ctx.parsed.blocks[0].text
    assert (
        [written_vendor(s, text) for s in spans] == [written_vendor(s) for s in spans] == ["aws", "azure", "gcp", None]
    )


def test_runs_of_a_line_are_cut_once_and_given_as_a_fresh_list():
    from graph.extract.runs import _runs, runs

    line = "A dead-letter queue holds failed messages after the visibility timeout of Amazon SQS"
    at = line.index("Amazon SQS")
    taken = [(at, at + len("Amazon SQS")), (0, 1)]  # the service's name, and "A" (as if it were a name)
    first = runs(line, taken)
    assert first == list(_runs(line, tuple(sorted(taken))))
    words = [run.words for run in first]
    assert words == [("dead-letter", "queue", "holds", "failed", "messages"), ("visibility", "timeout")]
    first.clear()
    assert [run.words for run in runs(line, list(reversed(taken)))] == words  # the cached answer is untouched
    long_line = " ".join(["visibility timeout"] * 300)  # longer than the cache takes: cut as before
    assert runs(long_line) == list(_runs(long_line, ()))


def test_fragment_reason_reads_the_text_around_a_surface_each_time():
    from graph.extract.fragments import fragment_reason

    assert fragment_reason("IP", " addresses and ports") == "modifier"
    assert fragment_reason("IP", ", TCP") is None  # the same surface, another context
    assert fragment_reason("FAST") == "enumeration value"
    assert fragment_reason("FAST", " (Fully Automated Storage Tiering)") is None  # spelled out after it
    assert fragment_reason("FAST", heading=True) is None
    assert fragment_reason("not supported") == "negation"
    assert fragment_reason("VPC Overview") == "scaffolding" and fragment_reason("VPC Overview", task=True) is None
    assert fragment_reason("AWS infrastructure") == "vendor phrase"
