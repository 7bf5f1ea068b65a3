"""Definitions in running text: which sentence says what an entity is.

* A paragraph under "What it is:" defines the section's subject; under a label line
  ``**X** — tagline`` it defines X.
* A sentence that opens with a service and "is"/"are"/"=" defines it; one that opens with a
  service and a describing verb ("provides", "lets", "stores") describes it (weaker).
* A definition cue ("is a", "refers to", from the pipeline's ``cues`` spans) after a service or a
  short term defines it; a term defined this way is mentioned (how: "definition").
* The first line under "What is X?" answers it; the first line of a section about a service, and
  the first sentence of a block under it that opens with the service, are fallback definitions.

Lead terms (``**X** — text``) are defined by :mod:`.lead_terms`, table rows by :mod:`.tables`.

Example: ``Amazon SQS is a fully managed message queue.`` defines ``service:sqs`` by the sentence.
"""

from __future__ import annotations

import re

from graph.extract import terms
from graph.extract.context import NoteContext
from graph.extract.leads import Lead
from graph.extract.recorder import Recorder
from graph.extract.text import keep_term, term_kind
from graph.model import service_key
from graph.sources.markdown import Block

__all__ = ["apply_to_block"]

# "X provides ...", "X lets teams ...": a sentence that opens with X and one of these describes X.
_DESCRIBING_VERBS = frozenset("provides lets allows enables offers helps delivers supports runs stores".split())


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Record the definitions block *index* (not a heading) gives."""
    block = ctx.parsed.blocks[index]
    if block.kind == "heading":
        return
    subject, lead = ctx.block_subject(index), ctx.lead(index)
    _definitions(ctx, rec, index, block, subject, lead)
    _kind_of_service(ctx, rec, index, subject, lead)


# What a definition's opening noun phrase may be cut at: a relative clause, a preposition, a verb, a comma.
_PHRASE_END = re.compile(
    r"\s(?:that|which|who|where|for|to|in|on|of|with|within|from|by|via|based|available|is|are|and|or|designed|"
    r"used|built|running|offering|providing|allowing)\b|[,.;:(]|\s[-–—]\s",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:(?:it\s|this\s)?(?:is|are)\s)?(?:an?|the)\s", re.IGNORECASE)
_MODIFIERS = re.compile(r"^(?:[a-z-]+(?:ly|ed)\s{1,3}){1,3}[a-z-]+(?:ly|ed),\s{1,3}", re.IGNORECASE)
# Nouns that say only that it is some product: "a message queue service" is a message queue.
_KIND_WORDS = frozenset(
    "service services tool platform solution offering product environment option code software system".split()
)


def _kind_of_service(ctx: NoteContext, rec: Recorder, index: int, subject: str | None, lead: Lead | None) -> None:
    """ "Definition: Unstructured object storage for massive amounts of data" under Blob Storage: the noun phrase a
    service's definition line opens with names the kind of thing the service is (a concept, ``kind_of``).

    Only a line labelled as the definition ("Definition:", "What it is:") is read so; "X is a ..." sentences
    elsewhere are left to the definitions above (see the report of issue 12: the bundled notes' ranking)."""
    if lead is None or lead.keys or not terms.is_definition_label(lead.surfaces[0]):
        return
    text, described = lead.rest, subject  # "Definition: ...", "What it is: ..." under the service's section
    if not text or not described or not described.startswith("service:"):
        return
    phrase = _kind_phrase(text)
    if phrase is None:
        return
    key = ctx.term_key(phrase)
    if key.startswith("service:") or key == described:
        return
    rec.mention(key, phrase, term_kind(phrase), "definition", index)
    rec.relate(described, key, "kind_of", True, index)


def _kind_phrase(text: str) -> str | None:
    """The noun phrase a definition opens with, without its article, adverbs, participles, a leading name and
    a closing "service" ("A fully managed message queue service for X" -> "message queue"), or None.

    >>> _kind_phrase("Unstructured object storage for massive amounts of data."), _kind_phrase("A shell where")
    ('Unstructured object storage', None)
    """
    if re.match(r"\s*the\s", text, re.IGNORECASE) or "/" in text.split(" ", 1)[0]:
        return None  # "the next evolution of X" is no kind; "Orchestrate/automate ..." is a task
    text = _ARTICLE.sub("", text.strip())
    text = _MODIFIERS.sub("", text)  # "globally distributed, multi-model database": the kind is after the comma
    end = _PHRASE_END.search(text)
    words = (text[: end.start()] if end else text).split()
    if not words or len(words) > 6 or (end and end.group(0).strip().lower() == "of"):
        return None  # "a declarative way of outlining X", "a view of": a relational noun, not a kind
    first = words[0].lower()
    if first.endswith("s") and "verb" in terms.word_classes(first) and terms.singular(first) != first:
        return None  # "Uses biometric credentials", "Provides disks": what it does, not what it is
    # "fully managed", "Simplified": how it is made, not what it is
    while words and (words[0].lower().endswith(("ly", "ed")) or words[0].lower() in ("one", "each", "every", "any")):
        words = words[1:]
    while len(words) > 2 and words[0][:1].isupper() and terms.is_name_like(words[0]):
        words = words[1:]  # "Windows desktop virtualization": the product it is for is not its kind
    while words and words[-1].lower() in _KIND_WORDS:
        words = words[:-1]
    if not 2 <= len(words) <= 4 or terms.word_classes(words[0].lower()) == frozenset({"verb"}):
        return None  # one word says too little ("shell", "Cloud"); a verb opens a task, not a kind
    phrase = terms.clean_term(" ".join(words))
    if not keep_term(phrase, max_words=4) or terms.is_generic(phrase):
        return None
    return phrase


def _definitions(
    ctx: NoteContext, rec: Recorder, index: int, block: Block, subject: str | None, lead: Lead | None
) -> None:
    if block.is_label:
        return
    label = ctx.label(index)
    if label is not None and block.kind == "paragraph":
        # A paragraph under "What it is:" defines the subject; under "**X** — tagline" it defines X.
        if terms.is_definition_label(label.text) and subject:
            rec.define(subject, block.text, 4, index)
            return
        label_lead = ctx.lead(block.label) if label.is_label and block.label is not None else None
        if label_lead is not None and label_lead.keys:
            for key in label_lead.keys:
                rec.define(key, block.text, 4, index)
            return
    doc = ctx.docs[index]
    defining = [c for c in ctx.cues(index) if c.label_ == "define"]
    named = ctx.services(index)
    # A sentence defines something only when it holds a "define" cue or opens with a service: most blocks do neither.
    sentences = ctx.sentences(index) if defining or named else []
    define_cues = ctx.by_sentence(index, defining, lambda c: c.start_char) if sentences else []
    services_in = ctx.by_sentence(index, named, lambda s: s.start_char) if sentences else []
    for number, sent in enumerate(sentences):
        cues = define_cues[number]
        opening = [s for s in services_in[number] if s.start <= sent.start + 1]
        if opening and opening[0].end < sent.end and doc[opening[0].end].lower_ in ("is", "are", "="):
            rec.define(service_key(opening[0].label_), ctx.span_text(index, sent).strip(), 3, index)
            continue
        if opening and opening[0].end < sent.end and doc[opening[0].end].lower_ in _DESCRIBING_VERBS:
            rec.define(service_key(opening[0].label_), ctx.span_text(index, sent).strip(), 2, index)
            continue
        if not cues:
            continue
        cue = cues[0]
        before = doc[sent.start : cue.start]
        services = [s for s in services_in[number] if s.end <= cue.start]
        rest = block.text[cue.end_char : sent.end_char].strip()  # what follows the cue (no Span made and joined)
        covered = {i for s in services for i in range(s.start, s.end)}
        loose = [t for t in before if t.i not in covered and not t.is_punct]
        if services and len(loose) <= 1:
            rec.define(service_key(services[0].label_), ctx.span_text(index, sent).strip(), 3, index)
        elif not services and 0 < len(before) <= 4 and rest:
            term = terms.clean_term(ctx.span_text(index, before))
            named = term[:1].isupper() or not terms.is_common_word(term.split()[0] if term else "", -12.0)
            if keep_term(term, emphasised=True, max_words=4) and named:
                key = ctx.term_key(term)
                rec.mention(key, term, term_kind(term), "definition", index)
                rec.define(key, ctx.span_text(index, sent).strip(), 2, index)
    # Under a heading "What is X?", the first line answers it.
    if block.section in ctx.question_sections and block.parent is None and ctx.opens_section(index):
        rec.define(ctx.question_sections[block.section], block.text, 4, index)
    # The first line of a section about a service, outside any label, is a fallback definition.
    fallback = block.section not in ctx.heading_roles  # under "Use cases" or "Pricing" the first line defines nothing
    if (
        fallback
        and subject
        and lead is None
        and block.label is None
        and block.parent is None
        and subject.startswith("service:")
        and ctx.opens_section(index)
        and subject in ctx.subjects.get(block.section, [])[:1]
    ):
        rec.define(subject, block.text, 1, index)
    # The first sentence of an entity's own section that names it is a fallback definition.
    if fallback and subject and lead is None and subject.startswith("service:"):
        first = next(iter(ctx.sentences(index)), None)
        if first is not None and any(service_key(s.label_) == subject for s in ctx.services(index) if s.start < 3):
            rec.define(subject, ctx.span_text(index, first).strip(), 1, index)
