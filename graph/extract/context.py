"""What the extraction rules read about one note: :class:`NoteContext`, built once per note.

:func:`build_context` runs the spaCy pipeline over the note's blocks (one Doc per block, the
``services`` and ``cues`` span groups filled by :mod:`graph.extract.pipeline`), settles which
service mentions stand and what short names mean (:mod:`graph.extract.services`), and keeps the
catalog. A few fields are filled by rules, for the rules after them (see :mod:`graph.extract.note`
for the order): ``subjects`` and ``question_sections`` by :mod:`~graph.extract.rules.subjects`,
``block_entities`` by :mod:`~graph.extract.rules.entities` (and extended by
:mod:`~graph.extract.rules.repeated_terms`).

The methods read a block the way several rules need it: the services it names, its sentences,
its subject, the role its label gives it, its lead (:mod:`graph.extract.leads`), and the node a
term names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from graph.extract import services, terms, vendors
from graph.extract.leads import Lead, read_lead
from graph.extract.pipeline import pipeline_catalog
from graph.extract.text import keep_term, term_kind
from graph.model import SERVICE, service_key, term_node_key
from graph.sources.catalog import Catalog
from graph.sources.markdown import Block, ParsedNote

__all__ = ["Candidate", "NoteContext", "build_context"]

_Item = TypeVar("_Item")


@dataclass
class Candidate:
    """An entity found in a block: its key, how it was written, and where."""

    key: str
    surface: str
    kind: str
    start: int = -1  # char offset in the block text
    end: int = -1


#: Longest phrase :meth:`NoteContext.body_says` looks for (a heading topic is a few words).
MAX_PHRASE_WORDS = 8
# Words, each punctuation mark, and each line break (one block a line) are tokens: a phrase is found only
# as written, never across a block's end.
_TOKEN = re.compile(r"[\w'’]+|[^\w\s]|\n")


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


# A label that ends a sentence with "Example:": its items are examples of what the sentence names.
_EXAMPLES_OF_SENTENCE = re.compile(r"\w[.;!)]\s+(?:for\s+)?(?:examples?|e\.g\.?|eg)\s*:\s*$", re.IGNORECASE)


@dataclass
class NoteContext:
    """One parsed note, the Doc of each of its blocks, and what the rules found that later rules read."""

    parsed: ParsedNote
    nlp: Language
    docs: list[Doc]
    catalog: Catalog
    #: The text of every block that is neither a heading nor a label, lower-cased, one block a line.
    body_text: str = ""
    #: ``(catalog id, alias)`` pairs whose mention needs support (see :mod:`graph.extract.services`).
    unsure_names: frozenset[tuple[str, str]] = frozenset()
    #: The cloud the note is mostly about ("aws", "azure", "gcp"), or None (see :mod:`graph.extract.vendors`).
    vendor: str | None = None
    #: The catalog ids of every service mention that stands (after :mod:`graph.extract.vendors`).
    named_services: frozenset[str] = frozenset()
    #: The vendors of those services.
    named_vendors: frozenset[str] = frozenset()
    #: One-word short name -> catalog id ("Firehose" -> "kinesis-data-firehose").
    short_names: dict[str, str] = field(default_factory=dict)
    #: Section id -> the keys of what it is about (written by rules.subjects).
    subjects: dict[int, list[str]] = field(default_factory=dict)
    #: Section id -> the service a question heading ("What is SQS?") asks about (written by rules.subjects).
    question_sections: dict[int, str] = field(default_factory=dict)
    #: Section id -> the role its heading gives its content ("Use cases": ``use_case``; "Pricing": ``scaffold``,
    #: no role but no topic either; written by rules.subjects).
    heading_roles: dict[int, str] = field(default_factory=dict)
    #: Block index -> the entities it names, in text order (written by rules.entities).
    block_entities: dict[int, list[Candidate]] = field(default_factory=dict)
    #: ``(block index, span)`` of rarer-word service mentions ("Lambda") the note alone did not support.
    unsure_services: list[tuple[int, Span]] = field(default_factory=list)
    _sentences: dict[int, list[Span]] = field(default_factory=dict, repr=False)
    _sentence_starts: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _sentence_bounds: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _table_starts: dict[int, int] = field(default_factory=dict, repr=False)
    _leads: dict[int, Lead | None] = field(default_factory=dict, repr=False)
    _block_subjects: dict[int, str | None] = field(default_factory=dict, repr=False)
    _body_runs: dict[int, frozenset[int]] = field(default_factory=dict, repr=False)
    _body_words: list[str] | None = field(default=None, repr=False)
    _services: dict[int, tuple[Span, ...]] = field(default_factory=dict, repr=False)
    _cues: dict[int, tuple[Span, ...]] = field(default_factory=dict, repr=False)
    _first_content: dict[int, int | None] = field(default_factory=dict, repr=False)

    @property
    def words(self) -> int:
        """Tokens in the note's blocks."""
        return sum(len(d) for d in self.docs)

    def body_says(self, phrase: str) -> bool:
        """Whether the note's body (no headings, no labels) has the words of *phrase* in a row, any case.

        Each run length is indexed once per note (hashes of every run of that many words), so asking
        for every heading of a note stays linear in its size.

        >>> ctx = NoteContext(parsed=None, nlp=None, docs=[], catalog=None, body_text="enable mfa delete on it")
        >>> ctx.body_says("MFA Delete"), ctx.body_says("MFA Deletes"), ctx.body_says("delete mfa")
        (True, False, False)
        """
        words = _words(phrase)
        if not words or len(words) > MAX_PHRASE_WORDS:
            return False
        size = len(words)
        if size not in self._body_runs:
            if self._body_words is None:  # split once for every run length asked
                self._body_words = _words(self.body_text)
            body = self._body_words
            # the shifted lists zipped (stopping at the shortest): every run of *size* words, no slice per position
            self._body_runs[size] = frozenset(map(hash, zip(*(body[i:] for i in range(size)), strict=False)))
        return hash(tuple(words)) in self._body_runs[size]

    def services(self, index: int) -> tuple[Span, ...]:
        """The service mentions in block *index* (after corroboration), read-only: rules read them ten times a block."""
        found = self._services.get(index)
        if found is None:  # a span group makes new Span objects on each read: read it once
            found = self._services[index] = tuple(self.docs[index].spans["services"])
        return found

    def span_text(self, index: int, span: Span) -> str:
        """``span.text`` for a span of block *index*'s Doc, sliced from the block's text (the Doc's, character for
        character) rather than joined from its tokens anew on every read."""
        return self.parsed.blocks[index].text[span.start_char : span.end_char]

    def cues(self, index: int) -> tuple[Span, ...]:
        """The relation cues of block *index* (``doc.spans["cues"]``, see :mod:`graph.extract.pipeline`), read once."""
        found = self._cues.get(index)
        if found is None:  # a span group makes new Span objects on each read (and on each item read)
            found = self._cues[index] = tuple(self.docs[index].spans["cues"])
        return found

    def set_services(self, index: int, spans: list[Span]) -> None:
        """Make *spans* the service mentions of block *index* (its Doc's span group, and what :meth:`services`
        reads)."""
        self.docs[index].spans["services"] = spans
        self._services[index] = tuple(spans)

    def opens_section(self, index: int) -> bool:
        """Whether block *index* is the first content (not a heading) of its section.

        Found once per section: rules ask it of every block, and a section may hold thousands.

        >>> from graph.sources.markdown import parse_note
        >>> from graph.sources.notes import Note
        >>> note = parse_note(Note("n.md", "# T\\n\\nFirst line.\\n\\nSecond line.\\n", ""))
        >>> ctx = NoteContext(parsed=note, nlp=None, docs=[], catalog=None)
        >>> [ctx.opens_section(i) for i in range(len(note.blocks))]
        [False, True, False]
        """
        section = self.parsed.blocks[index].section
        if section not in self._first_content:
            blocks = self.parsed.blocks
            found = next((i for i in self.parsed.sections[section].blocks if blocks[i].kind != "heading"), None)
            self._first_content[section] = found
        return self._first_content[section] == index

    def label(self, index: int) -> Block | None:
        """The label block *index* hangs under ("**Use cases**" over its items), if any."""
        block = self.parsed.blocks[index]
        return self.parsed.blocks[block.label] if block.label is not None else None

    def lead(self, index: int) -> Lead | None:
        """The lead of block *index* (``**X** — text``), read once (see :mod:`graph.extract.leads`)."""
        if index not in self._leads:
            self._leads[index] = read_lead(self, index)
        return self._leads[index]

    def term_key(self, surface: str) -> str:
        """The node a term names: a service when the catalog knows the name ("~SQS", "Amazon Event Bridge")."""
        word = surface.strip()
        if word in self.short_names:
            return service_key(self.short_names[word])
        entry = self.catalog.lookup_alias(word, self.vendor) if self.vendor else None
        if entry is None:
            # Another cloud's name (or any, in a note that names no cloud) only when the note's mentions
            # already have that service, or it is AWS's in a note that names no cloud (as before other clouds).
            other = self.catalog.lookup_alias(word)
            if other is not None and (other.id in self.named_services or (other.vendor == "aws" and not self.vendor)):
                entry = other
        if entry is None and len(word) > 2 and word.endswith("s") and word[:-1].isupper():
            singular_key = self.term_key(word[:-1])  # an acronym's plural: "VPCs", "AMIs"
            if singular_key.startswith("service:"):
                return singular_key
        if entry is not None and (entry.id, word) not in self.unsure_names:
            return service_key(entry.id)
        return term_node_key(terms.term_key(surface))

    def candidate(self, surface: str, start: int = -1, end: int = -1) -> Candidate:
        """*surface* as an entity of its block: its key and kind."""
        key = self.term_key(surface)
        return Candidate(key, surface, SERVICE if key.startswith("service:") else term_kind(surface), start, end)

    def block_subject(self, index: int) -> str | None:
        """The entity a block is about: a service named in the label it hangs under, a term its parent item
        consists of, else the section's subject (read once per block, once the sections have their subjects)."""
        if index in self._block_subjects:
            return self._block_subjects[index]
        found = self._block_subject(index)
        if self.subjects:
            self._block_subjects[index] = found
        return found

    def _block_subject(self, index: int) -> str | None:
        block = self.parsed.blocks[index]
        if block.kind == "cell":
            # "| | CloudFormation | Beanstalk |": a cell speaks of what its column's header names (the first
            # column, of rows' labels, only when its header is a service: "| AppStream 2.0 | WorkSpaces |").
            header = self.header_cell(index)
            named = self.named_cell(header) if header is not None else None
            if named and (block.depth >= 1 or named.startswith("service:")):
                return named
        label = block.label
        seen = 0
        while label is not None and seen < 3:
            services = self.services(label)
            label_block = self.parsed.blocks[label]
            short = len(label_block.text.split()) <= 8
            if services and short and (label_block.is_label or label_block.kind == "item"):
                return service_key(services[0].label_)
            named = self._item_term(label) if label == block.parent and not services else None
            if named:
                return named  # "- Replication Time Control (RTC)" over "- Adds an SLA": its items are about it
            label = label_block.label
            seen += 1
        subjects = self.subjects.get(block.section, [])
        return subjects[0] if subjects else None

    def named_cell(self, index: int) -> str | None:
        """The one entity table cell *index* consists of (its name covers most of the cell), or None."""
        named = self.block_entities.get(index, [])
        text = terms.clean_term(self.parsed.blocks[index].text)
        if len(named) == 1 and text and named[0].end - named[0].start >= len(text) * 0.6:
            return named[0].key
        return None

    def row_entity(self, index: int) -> str | None:
        """The entity the first cell of table cell *index*'s row names, when the cell's column has no entity of its
        own ("| Public | Services over the internet | OpEx |": the row is about Public), else None."""
        block = self.parsed.blocks[index]
        if block.kind != "cell" or block.depth < 1 or index < block.depth:
            return None
        first = self.parsed.blocks[index - block.depth]
        if first.kind != "cell" or first.depth != 0 or first.line != block.line:
            return None
        header = self.header_cell(index)
        if header is None or self.named_cell(header):
            return None  # a header cell, or a column about an entity of its own
        return self.named_cell(index - block.depth)

    def _item_term(self, index: int) -> str | None:
        """The term a plain list item consists of ("Replication Time Control (RTC)"), or None."""
        block = self.parsed.blocks[index]
        if block.kind != "item" or block.is_label:
            return None
        lead = self.lead(index)
        if lead is not None:
            return lead.keys[0] if len(lead.keys) == 1 and not lead.keys[0].startswith("service:") else None
        term = terms.clean_term(block.text)
        if len(term.split()) > 4 or self.services(index) or not keep_term(term, max_words=4):
            return None
        if terms.label_role(block.text) or terms.heading_role(term):
            return None  # "- Pricing", "- Use cases": scaffolding over its items, not a topic
        return self.term_key(term)

    def role(self, index: int) -> str | None:
        """The role given to a block by the labels it hangs under (the nearest that has one, up to three up)."""
        label = self.parsed.blocks[index].label
        seen = 0
        while label is not None and seen < 3:
            label_block = self.parsed.blocks[label]
            if _EXAMPLES_OF_SENTENCE.search(label_block.text):
                return None  # "Helps to troubleshoot connectivity issues. Example:": examples of the issues, no uses
            role = terms.label_role(label_block.text)
            if role is not None:
                return role
            if label_block.kind == "item" and not label_block.is_label:
                return None  # a plain parent item: its children elaborate it, they take no role from above
            label = label_block.label
            seen += 1
        block = self.parsed.blocks[index]
        if block.label is None and block.parent is None and block.kind in ("item", "paragraph"):
            role = self.heading_roles.get(block.section)  # "## Use cases" over its items
            return role if role != "scaffold" else None
        return None

    def header_cell(self, index: int) -> int | None:
        """The header cell above table cell *index* (same column), or None when *index* is in the header row."""
        block = self.parsed.blocks[index]
        if block.kind != "cell":
            return None
        # The table's first cell, found once per table: each cell looks only at the cell before it.
        start = index
        visited = []
        for at in range(index, -1, -1):
            known = self._table_starts.get(at)
            if known is not None:
                start = known
                break
            visited.append(at)
            before = self.parsed.blocks[at - 1] if at > 0 else None
            if before is None or before.kind != "cell" or before.section != block.section:
                start = at
                break
        for at in visited:
            self._table_starts[at] = start
        header_line = self.parsed.blocks[start].line
        if block.line == header_line:
            return None
        for at in range(start, min(start + 64, index)):
            cell = self.parsed.blocks[at]
            if cell.line != header_line:
                break
            if cell.depth == block.depth:
                return at
        return None

    def sentences(self, index: int) -> list[Span]:
        """The sentences of a block's Doc, computed once (iterating ``doc.sents`` walks every token).

        A Doc the sentencizer was not run on (its text has no sentence punctuation, see :func:`_run_pipeline`)
        is one sentence, as the sentencizer would have said.
        """
        found = self._sentences.get(index)
        if found is None:
            doc = self.docs[index]
            found = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
            self._sentences[index] = found
        return found

    def sentence_of(self, index: int, token: int) -> Span:
        """The sentence of block *index* that holds *token* (the whole block if none does)."""
        sentences = self.sentences(index)
        starts = self._sentence_starts.get(index)
        if starts is None:  # kept: a rule asks once per cue, and a block may hold thousands of sentences
            starts = self._sentence_starts[index] = [sent.start for sent in sentences]
        at = bisect.bisect_right(starts, token) - 1
        if 0 <= at < len(sentences) and sentences[at].start <= token < sentences[at].end:
            return sentences[at]
        return self.docs[index][:]

    def by_sentence(self, index: int, items: list[_Item], start: Callable[[_Item], int]) -> list[list[_Item]]:
        """*items* (sorted by position) grouped by the sentence their start (``start(item)``, a char offset) is in."""
        sentences = self.sentences(index)
        bounds = self._sentence_bounds.get(index)
        if bounds is None:  # kept: several rules group a block's names by sentence
            bounds = self._sentence_bounds[index] = [sent.start_char for sent in sentences]
        groups: list[list[_Item]] = [[] for _ in sentences]
        for item in items:
            at = bisect.bisect_right(bounds, start(item)) - 1
            if 0 <= at < len(groups):
                groups[at].append(item)
        return groups


def build_context(parsed: ParsedNote, nlp: Language) -> NoteContext:
    """Run *nlp* (from :func:`graph.extract.pipeline.make_pipeline`) over *parsed* and prepare what rules read."""
    docs = _run_pipeline(nlp, [b.text for b in parsed.blocks])
    matcher = nlp.get_pipe("notes_services")
    ctx = NoteContext(
        parsed=parsed,
        nlp=nlp,
        docs=docs,
        catalog=pipeline_catalog(nlp),
        body_text="\n".join(b.text.lower() for b in parsed.blocks if b.kind != "heading" and not b.is_label),
        unsure_names=frozenset(matcher.bare | matcher.weak),
    )
    vendors.settle_vendors(ctx)
    ctx.named_services = frozenset(span.label_ for i in range(len(docs)) for span in ctx.services(i))
    ctx.named_vendors = frozenset(ctx.catalog.entries[i].vendor for i in ctx.named_services if i in ctx.catalog.entries)
    services.corroborate_bare_services(ctx)
    services.resolve_short_names(ctx)
    return ctx


def _run_pipeline(nlp: Language, texts: list[str]) -> list[Doc]:
    """``list(nlp.pipe(texts))``: each component called on each Doc directly, the same Docs for a fraction of the
    cost (``Language.pipe`` wraps every component in generators and error handlers: a tenth of the pipeline's
    time on a note of twenty short blocks).

    One difference: spaCy's sentencizer is not run on a text without any of its punctuation (most blocks are
    short items), which is one sentence; :meth:`NoteContext.sentences` reads such a Doc so.
    """
    docs = [nlp.make_doc(text) for text in texts]
    for _, component in nlp.pipeline:
        if isinstance(component, Sentencizer):
            marks = component.punct_chars  # single characters: a text without any has no token that is one
            docs = [doc if marks.isdisjoint(text) else component(doc) for doc, text in zip(docs, texts, strict=True)]
        else:
            docs = [component(doc) for doc in docs]
    return docs
