"""Which cloud each service mention is about, decided from the note's own words.

Run by :func:`graph.extract.context.build_context` right after the pipeline, before any other
service rule. The catalog holds AWS, Azure and Google Cloud; a note is about one of them, or
compares two. :func:`settle_vendors` reads, per block, the words that name a cloud (vendor names,
the vendors' command-line tools, vendor-prefixed product names such as "Azure Blob Storage" and
product names only one vendor has that are no everyday words, such as "BigQuery" or "DynamoDB"),
adds them up per section (a section without its own words takes its parent's) and per note, and
then settles each service mention:

* a name written with its vendor ("Amazon S3", "Google Cloud Storage") is that vendor's;
* a name several vendors share ("Cloud Shell", "IAM", "VPC", "Load Balancer") goes to the vendor
  of its context, nearest first (block, section, note); with no context it is left to the concept
  rules (never a guessed service);
* a name only another vendor has than the context's ("Resource Groups", "Pricing Calculator" of
  AWS in an Azure note; "PubSub" of Google Cloud in an AWS note) stands only when the note names
  that service in its own cloud's context elsewhere ("Amazon S3" before a bare "S3"); a name of a
  cloud the context names less than another stands when it cannot be an everyday phrase
  (``DynamoDB``, ``S3``) or is backed up the same way;
* in a note that names no cloud at all, a name only one vendor has stands when it is AWS's (as
  before other clouds were known) or cannot be an everyday phrase.

``ctx.vendor`` is the note's main vendor (the most named, if one leads), which
:meth:`~graph.extract.context.NoteContext.term_key` uses for names outside the matcher.

>>> from graph.extract.pipeline import make_pipeline
>>> from graph.extract.context import build_context
>>> from graph.sources.markdown import parse_note
>>> from graph.sources.notes import decode_note
>>> note, _ = decode_note("n.md", b"# Azure tools\\nOpen Cloud Shell.\\n")
>>> ctx = build_context(parse_note(note), make_pipeline())
>>> ctx.vendor, [s.label_ for s in ctx.services(1)]
('azure', ['azure/cloud-shell'])
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.tokens import Span

from graph.extract.pipeline import service_options
from graph.sources.lexicon import word_probability
from graph.vendors import vendor_prefix, vendor_words

if TYPE_CHECKING:
    from graph.extract.context import NoteContext

__all__ = ["is_distinctive", "settle_vendors", "written_vendor"]

#: A word rarer than this in English (log probability, any case) is a name, not an everyday word.
NAME_WORD_MAX_PROB = -16.5
_CAMEL = re.compile(r"[a-z][A-Z]|^[A-Z]{1,3}[a-z]+[A-Z]")


@lru_cache(maxsize=20_000)
def is_distinctive(text: str) -> bool:
    """Whether a product name cannot be an everyday phrase: it has a digit, an inner capital or a rare word.

    >>> is_distinctive("S3"), is_distinctive("DynamoDB"), is_distinctive("Resource Groups")
    (True, True, False)
    """
    words = re.findall(r"[A-Za-z0-9]+", text)
    for word in words:
        if any(ch.isdigit() for ch in word) or _CAMEL.search(word):
            return True
        probs = [p for p in (word_probability(w) for w in {word, word.lower(), word.upper(), word.capitalize()}) if p]
        if not probs or max(probs) < NAME_WORD_MAX_PROB:
            return True
    return False


def settle_vendors(ctx: NoteContext) -> None:
    """Give every service span of the note its vendor's entry, or drop it (see the module notes)."""
    catalog = ctx.catalog
    blocks = ctx.parsed.blocks
    block_words: list[Counter[str]] = []
    own: dict[tuple[int, int], str] = {}  # (block, position) -> the vendor a mention counted for by itself
    spans_of: list[tuple[Span, ...]] = []
    options_of: list[list[tuple[str, ...]]] = []
    written_of: list[list[str | None]] = []  # the vendor written with each mention, read once
    empty: Counter[str] = Counter()
    sections: dict[int, Counter[str]] = {}
    note: Counter[str] = Counter()
    for index, block in enumerate(blocks):
        spans = ctx.services(index)
        spans_of.append(spans)
        options_of.append([service_options(span) or (span.label_,) for span in spans])
        text = block.text
        written_of.append([written_vendor(span, text) for span in spans])
        found = vendor_words(text) if _MARKERS.search(text) else {}
        if not spans and not found:
            block_words.append(empty)
            continue
        counts: Counter[str] = Counter(found)
        for position, span in enumerate(spans):
            written = written_of[index][position]
            options = options_of[index][position]
            if written:
                counts[written] += 1
            elif len(options) == 1 and is_distinctive(ctx.span_text(index, span)):
                own[(index, position)] = catalog.entries[options[0]].vendor
                counts[own[(index, position)]] += 1
        block_words.append(counts)
        if counts:
            section_counts = sections.get(block.section)
            if section_counts is None:  # no empty Counter made for every block only to be dropped
                sections[block.section] = Counter(counts)
            else:
                section_counts.update(counts)
            note.update(counts)
    ctx.vendor = _leader(note)
    named = set(note) or {"aws"}
    if len(named) == 1 and all(
        len(options) == 1 and catalog.entries[options[0]].vendor in named for row in options_of for options in row
    ):
        return  # one cloud named (or none, and only AWS names): every mention stands as matched

    def scopes(index: int) -> list[Counter[str]]:
        found = [block_words[index]]
        section = blocks[index].section
        while section is not None:
            counts = sections.get(section)
            if counts:
                found.append(counts)
                break  # the nearest section that names a cloud speaks for its sub-sections
            section = ctx.parsed.sections[section].parent if section < len(ctx.parsed.sections) else None
        found.append(note)
        return [c for c in found if c]

    matcher = ctx.nlp.get_pipe("notes_services")
    confirmed: set[str] = set()
    pending: dict[tuple[int, int], str] = {}  # (block, position) -> the entry of a span foreign to its context
    settled: list[list[Span | None]] = []
    changed: set[int] = set()
    for index, spans in enumerate(spans_of):
        if not spans:
            settled.append([])
            continue
        row: list[Span | None] = []
        block_scopes = scopes(index)  # the same for every mention of the block
        for position, span in enumerate(spans):
            options = {catalog.entries[o].vendor: o for o in options_of[index][position]}
            around = block_scopes
            if (index, position) in own:  # a name is no evidence for itself ("PubSub" alone in an AWS list)
                around = [c for c in (c - Counter({own[(index, position)]: 1}) for c in around) if c]
            choice, sure = _choose(span, options, around, written_of[index][position])
            if choice is None:
                changed.add(index)
                row.append(None)
                continue
            if sure:
                confirmed.add(choice)
            else:
                pending[(index, position)] = choice
                changed.add(index)
            new = _relabel(span, choice, matcher)
            if new is not span:
                changed.add(index)
            row.append(new)
        settled.append(row)
    # A name foreign to its context stands when the note names that service in its own cloud's context too.
    dropped = {where for where, choice in pending.items() if choice not in confirmed}
    for index in sorted(changed):
        kept = [span for at, span in enumerate(settled[index]) if span is not None and (index, at) not in dropped]
        ctx.set_services(index, kept)


#: Every vendor word holds one of these: blocks without any are not scanned further.
_MARKERS = re.compile(r"AWS|Amazon|aws\s|Azure|AZURE|Microsoft|az\s|Google|GCP|gcloud|gsutil|bq\s")
#: Words a written vendor name starts or ends with: a quick test before the full pattern.
_FIRST_WORDS = frozenset({"amazon", "aws", "azure", "microsoft", "google", "gcp"})
_LAST_WORDS = frozenset({"amazon", "aws", "services", "azure", "microsoft", "google", "gcp", "cloud", "platform"})


def written_vendor(span: Span, text: str | None = None) -> str | None:
    """The vendor written in or just before a mention: "Amazon S3", "Azure Resource Groups", "Google Cloud IAM".

    *text* is the Doc's text, when the caller has it: the mention's text is sliced from it (a span's own text is
    joined from its tokens on every read)."""
    doc = span.doc
    first = span.start  # doc[i] rather than span[0]: one token made, not a span's lookup then the token
    if doc[first].lower_ in _FIRST_WORDS:
        found = vendor_prefix(span.text if text is None else text[span.start_char : span.end_char])
        if found:
            return found[0]
    if first == 0 or doc[first - 1].lower_ not in _LAST_WORDS:
        return None
    for start in range(max(0, span.start - 3), span.start):
        found = vendor_prefix(doc[start : span.start].text + " x")
        if found and len(found[1].split()) == span.start - start:
            return found[0]
    return None


def _choose(
    span: Span, options: dict[str, str], scopes: list[Counter[str]], written: str | None
) -> tuple[str | None, bool]:
    """``(entry id, sure)`` for a span (*written*: the vendor written with it, :func:`written_vendor`); ``sure``
    False means it stands only if the note backs it up."""
    if written:
        # "Azure Resource Groups": a name written with a vendor is that vendor's, or no service at all.
        return options.get(written), True
    for counts in scopes:
        present = [v for v in options if counts[v]]
        if not present:
            if len(options) == 1:
                return next(iter(options.values())), False  # another cloud's name in this context
            return None, False  # a shared name, none of whose vendors is named here
        leader = _leader(counts)
        if leader in present:
            return options[leader], True
        if len(present) == 1 and leader is not None:
            # A cloud named here, but less than another: only an unmistakable name is surely its own.
            return options[present[0]], is_distinctive(span.text)
        # Two clouds named as often: ask the wider context.
    if len(options) == 1:
        vendor, entry_id = next(iter(options.items()))
        # No cloud named anywhere: AWS's names stand as they always did, others only when unmistakable.
        return entry_id, vendor == "aws" or is_distinctive(span.text)
    return None, False


def _leader(counts: Counter[str]) -> str | None:
    """The vendor named most, if it is named more than any other."""
    ranked = counts.most_common(2)
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    return None


def _relabel(span: Span, entry_id: str, matcher) -> Span:
    if span.label_ == entry_id:
        return span
    new = Span(span.doc, span.start, span.end, label=entry_id)
    new._.service_options = span._.service_options
    new._.service_support = matcher.support(entry_id, span.text)
    return new
