"""The entities each block names: services, emphasised terms and capitalised names, in text order.

Fills ``ctx.block_entities`` (it records nothing itself): later rules mention these entities
(:mod:`.mentions`), relate them by cue words (:mod:`.cues`) or by being named together
(:mod:`.cooccurrence`, :mod:`.section_cooccurrence`).

Example: ``Teams run Kafka-based pipelines into **data lakes** on Amazon S3 across Availability Zones
in AWS`` names Kafka (a name, its "-based" dropped), "data lakes" (emphasised), S3 (a service) and
"Availability Zones" (a Title Case name mid-sentence); "Teams" opens the sentence and "AWS" is the
vendor, so neither is a name. A bold "**Use case:**" is an inline label, not a term. What an
abbreviation stands for is one name: "Health Insurance Portability and Accountability Act (HIPAA)".
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from graph.extract import terms
from graph.extract.abbreviations import abbreviations
from graph.extract.context import Candidate, NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import UNITS, VENDORS, is_acronym, keep_term
from graph.model import CONCEPT, SERVICE, service_key

__all__ = ["apply"]

# The lookahead lets the engine skip to the capitals (a lookbehind first hides where a match can start).
_CAP_RUN = re.compile(
    r"(?=[A-Z])(?<![\w.])((?:[A-Z][\w'’+.-]*[\w+]|[A-Z])(?:[ /](?:[A-Z][\w'’+.-]*[\w+]|[A-Z0-9]+)){0,3})"
)


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Find the entities of every block into ``ctx.block_entities`` (*rec* is not written to)."""
    kinds = _resource_kinds(ctx)
    for index in range(len(ctx.parsed.blocks)):
        ctx.block_entities[index] = _block_entities(ctx, index, kinds)


def _block_entities(ctx: NoteContext, index: int, kinds: frozenset[tuple[str, str]] = frozenset()) -> list[Candidate]:
    """Services and name-like terms in a block, in text order (used for co-occurrence and cues)."""
    block = ctx.parsed.blocks[index]
    block_text = block.text  # the Doc's text (tokenization keeps every character): a span's text is a slice of it
    found = [
        Candidate(service_key(s.label_), block_text[s.start_char : s.end_char], SERVICE, s.start_char, s.end_char)
        for s in ctx.services(index)
    ]
    taken = [(c.start, c.end) for c in found]
    # Emphasis that makes a block a label ("**Core Capabilities**") marks the label, not a term.
    label_span = (
        block.is_label
        and bool(block.spans)
        and block.spans[0].end - block.spans[0].start >= len(block.text.rstrip(" :")) * 0.9
    )
    for span in () if label_span else block.spans:
        text = block.text[span.start : span.end]
        whole = _emphasis_opens_item(block, span.start, span.end)
        if whole is not None:
            span = replace(span, end=span.start + len(whole))
            text = whole
        term = _adjective_to_name(terms.clean_term(text))
        if not term or _overlaps(taken, span.start, span.end):
            continue
        if terms.label_role(term) or terms.is_definition_label(term):
            _take(taken, span.start, span.end)
            continue  # an inline label: "**Use case:** ..."
        if keep_term(term, emphasised=True):
            found.append(ctx.candidate(term, span.start, span.end))
            _take(taken, span.start, span.end)
    lead = ctx.lead(index) if block.kind != "heading" else None
    # "[Screenshot: SQS Queue View]": a placeholder's caption names no feature
    placeholder = lead is not None and not lead.keys and terms.is_generic(lead.surfaces[0])
    if block.kind != "heading" and not placeholder:  # a heading's feature is read with its subject (rules.subjects)
        for service in [c for c in found if c.kind == SERVICE]:
            feature = _service_feature(ctx, block.text, service, taken) or _resource(ctx, block.text, service, kinds)
            if feature is not None and not _overlaps(taken, feature.start, feature.end):
                found.append(feature)
                _take(taken, feature.start, feature.end)
    if not found and block.kind == "cell" and block.depth == 0 and _described_in_row(ctx, index):
        # "| Resource Groups | A logical grouping of resources |" under "| Name | Definition |": the row defines it
        term = terms.clean_term(block.text)
        start = block.text.find(term)
        if start >= 0 and keep_term(term, emphasised=True, max_words=4, defined=True) and not terms.heading_role(term):
            found.append(ctx.candidate(term, start, start + len(term)))
            _take(taken, start, start + len(term))
    if block.kind != "heading" and "(" in block.text:
        # "Health Insurance Portability and Accountability Act (HIPAA)": what an abbreviation stands for is one
        # name, "and" or "of" inside it, not the capitalised runs on either side of them.
        for _, long in abbreviations(block.text):
            start = block.text.find(long)
            end = start + len(long)
            if start >= 0 and not _overlaps(taken, start, end) and keep_term(long, max_words=8, defined=True):
                found.append(ctx.candidate(long, start, end))
                _take(taken, start, end)
    if block.kind != "heading" and not block.is_label:
        for match in _CAP_RUN.finditer(block.text):
            start, end = match.span(1)
            if _overlaps(taken, start, start + 1):
                continue  # it starts inside a name already found (most runs are the services' names): nothing to trim
            run = _without_function_tail(match.group(1))
            end = start + len(run)
            surface = _adjective_to_name(run)
            if _overlaps(taken, start, end) or not _is_name_run(surface, block.text, start):
                continue
            found.append(ctx.candidate(surface, start, end))
            _take(taken, start, end)
    found.sort(key=lambda c: c.start)
    return found


# Title Case words right after a service's name: "S3 Object Lock", "IAM Credential Report", "IAM Users".
# Not when the compound goes on in lower case ("VPC Flow logs data").
_TITLE_RUN = re.compile(r" ([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})(?![\w-]| [A-Z0-9]| [a-z]+s\b)")


def _service_feature(ctx: NoteContext, text: str, service: Candidate, taken: list[tuple[int, int]]) -> Candidate | None:
    """ "S3 Object Lock": a service's name and the Title Case nouns after it name a feature of the service.

    The feature is written with its service's name ("S3 Object Lock", keyed so) and starts where its own
    words start, after the service. Scaffolding and function words ("S3 Overview", "IAM For") name nothing.
    """
    if not text[service.end + 1 : service.end + 2].isupper() or text[service.end : service.end + 1] != " ":
        return None  # most names are followed by anything but a capitalised word: no regex for them
    match = _TITLE_RUN.match(text, service.end)
    if not match or _overlaps(taken, match.start(1), match.end(1)):
        return None
    lower = [w.lower() for w in re.split(r"[ -]", match.group(1))]
    scaffolding = terms.STOP_WORDS | terms.GENERIC_WORDS | terms.ASPECT_WORDS
    if any(w in scaffolding or terms.singular(w) in scaffolding for w in lower):
        return None
    if len(lower) == 1 and terms.singular(lower[0]) == lower[0]:
        return None  # "SQS Queue", "S3 Bucket": one singular noun restates what the service is
    surface = f"{service.surface} {match.group(1)}"
    if not keep_term(surface, emphasised=True, max_words=5):
        return None
    key = ctx.term_key(surface)
    if key.startswith("service:"):
        return None
    return Candidate(key, surface, CONCEPT, match.start(1), match.end(1))


#: Words that make what follows them a noun: "the S3 bucket", "an SNS topic", "each EC2 instance".
_DETERMINERS = frozenset("a an the each every this that these those your its their our one".split())
_LOWER_WORD_AFTER = re.compile(r" ([a-z]{3,20})\b(?![-'’])")


def _resource_kinds(ctx: NoteContext) -> frozenset[tuple[str, str]]:
    """(service, noun) pairs the note writes after a determiner: "an SNS topic" names a kind of resource of SNS.

    After "the" or "an", the word after a service's name can only be a noun the name modifies; found so once,
    and written twice or more, the pair is a term everywhere in the note ("SNS topics are the base entity").
    """
    after_determiner, seen = set(), Counter()
    for index in range(len(ctx.parsed.blocks)):
        text = ctx.parsed.blocks[index].text
        for span in ctx.services(index):
            noun = _noun_after(text, span.end_char)
            if noun is None:
                continue
            pair = (span.label_, terms.lemma(noun))
            seen[pair] += 1
            opening = text[max(0, span.start_char - 8) : span.start_char].split()
            if opening and opening[-1].lower() in _DETERMINERS and span.start_char > 0:
                after_determiner.add(pair)
    return frozenset(pair for pair in after_determiner if seen[pair] >= 2)  # a kind the note uses, not a one-off


def _noun_after(text: str, end: int) -> str | None:
    """The lower-case noun right after a name ending at *end* ("bucket" in "S3 bucket"), or None."""
    if text[end : end + 1] != " " or not text[end + 1 : end + 2].islower():
        return None  # most names are followed by anything but a lower-case word: no regex for them
    match = _LOWER_WORD_AFTER.match(text, end)
    if match is None:
        return None
    noun = match.group(1)
    lower = terms.lemma(noun)
    if noun in terms.STOP_WORDS or lower in terms.SCAFFOLD_TAIL or lower in terms.ASPECT_WORDS or lower == "service":
        return None  # "the S3 example", "the EC2 pricing options", "the S3 service": not a thing of the service
    if "noun" not in terms.word_classes(lower) or noun.endswith(("ed", "ly")):
        return None  # "the VPC itself", "the S3 encrypted ...": no noun
    following = _LOWER_WORD_AFTER.match(text, match.end())
    if following and terms.word_classes(following.group(1)) == frozenset({"noun"}):
        return None  # "the S3 bucket policy": the compound goes on, it names something else
    return noun


def _resource(ctx: NoteContext, text: str, service: Candidate, kinds: frozenset[tuple[str, str]]) -> Candidate | None:
    """ "S3 bucket", "SNS topics": a service's name and a noun the note writes after a determiner somewhere
    ("the S3 bucket"; see :func:`_resource_kinds`) name a kind of resource of the service, keyed with its name."""
    if not kinds:
        return None  # most notes write no resource kind: no noun to read after any name
    noun = _noun_after(text, service.end)
    entry = service.key.split(":", 1)[1]
    if noun is None or (entry, terms.lemma(noun)) not in kinds:
        return None
    end = service.end + 1 + len(noun)
    surface = text[service.start : end]
    key = ctx.term_key(f"{service.surface} {terms.lemma(noun)}")  # "SNS topics" is "SNS topic" ("-ics" as in "topics")
    if key.startswith("service:") or not keep_term(surface, max_words=4):
        return None
    return Candidate(key, surface, CONCEPT, service.end + 1, end)


# The header of a column that says what the first column's entries are: "Description", "Definition", "What it is".
_DESCRIBING_HEADER = re.compile(
    r"^\W{0,3}(?:description|definition|meaning|explanation|what (?:it|they) (?:is|are|does|do)|purpose)\b",
    re.IGNORECASE,
)


def _described_in_row(ctx: NoteContext, index: int) -> bool:
    """True when cell *index* opens a row whose next cell describes it, in a column headed "Description"."""
    blocks = ctx.parsed.blocks
    if index + 1 >= len(blocks):
        return False
    nxt = blocks[index + 1]
    if nxt.kind != "cell" or nxt.depth != 1 or nxt.line != blocks[index].line or len(nxt.text.split()) < 3:
        return False
    header = ctx.header_cell(index + 1)
    return header is not None and bool(_DESCRIBING_HEADER.match(blocks[header].text))


# What ends the text before a run when the run opens a sentence (or an item, a parenthesis, a quote).
_SENTENCE_OPENS_BEFORE = re.compile(r"(?:[.!?:;]\s+|[-*•(\"“]\s*)$")
_LINK_AFTER = re.compile(r"\s{0,3}[:=\-–—]?\s{0,3}(?:https?://|www\.)")


def _is_name_run(surface: str, text: str, start: int) -> bool:
    """A capitalised run mid-sentence that names something: a product, a proper concept, an acronym."""
    tokens = surface.split()
    lower = [t.lower() for t in tokens]
    if " ".join(lower) in VENDORS or (len(tokens) == 1 and lower[0] in VENDORS):
        return False
    if lower[0] in terms.STOP_WORDS or lower[-1] in terms.STOP_WORDS or terms.is_generic(surface):
        return False
    if any(t in UNITS for t in lower) or surface.isdigit():
        return False
    if terms.looks_like_address(text[max(0, start - 1) : start + len(surface) + 6]):
        return False
    if _LINK_AFTER.match(text, start + len(surface)):
        return False  # "LM: https://...": the label of a link, not a name
    before = text[max(0, start - 12) : start]  # the few characters before decide; never rescan the line
    sentence_start = start == 0 or (start <= 12 and not before.strip()) or bool(_SENTENCE_OPENS_BEFORE.search(before))
    if len(tokens) == 1:
        word = tokens[0]
        if is_acronym(word):
            return len(word.rstrip("s")) >= 2
        if sentence_start:
            return False
        return terms.is_name_like(word)
    # Title Case phrase of two or more words mid-sentence: a named concept ("Availability Zones").
    if sentence_start and not any(terms.is_name_like(t) for t in tokens):
        return False
    return terms.is_term_like(surface, 4)


def _emphasis_opens_item(block, start: int, end: int) -> str | None:
    """The whole of a short list item whose first words are emphasised and the rest finish the term: in
    ``- **client** side encryption`` the term is "client side encryption", not "client". None otherwise.
    """
    if block.kind != "item" or start > 0 or end >= len(block.text.rstrip()) or block.text[end : end + 1] != " ":
        return None
    whole = block.text.rstrip()
    rest = whole[end:].split()
    if not 1 <= len(rest) <= 3 or not all(w.isalpha() and w.islower() and w not in terms.STOP_WORDS for w in rest):
        return None  # "**S3** - storage", "**Crawlers** for schema detection": the emphasis stands alone
    if "noun" not in terms.word_classes(rest[-1]):
        return None  # "**data-lake** again", "**Lakes** hold it": the words after it end in no noun
    return whole if keep_term(terms.clean_term(whole), max_words=4) and not terms.label_role(whole) else None


def _without_function_tail(run: str) -> str:
    """A capitalised run less the function words it ends with: "SSE-S3 With" (a line break joined the next
    sentence's first word to the name) is "SSE-S3"; "Defense In Depth" stays whole.

    >>> _without_function_tail("SSE-S3 With"), _without_function_tail("Defense In Depth")
    ('SSE-S3', 'Defense In Depth')
    """
    words = run.split(" ")
    while len(words) > 1 and words[-1].lower() in terms.STOP_WORDS:
        words.pop()
    return " ".join(words)


_POSSESSIVE_END = re.compile(r"['’]s$")
_NAME_ADJECTIVE = re.compile(
    r"^([A-Z][\w]*)-(?:based|specific|style|like|driven|native|compatible|aware|powered|enabled)$"
)


@lru_cache(maxsize=65536)
def _adjective_to_name(term: str) -> str:
    """ "Kafka-based" names Kafka; "AWS’s" names AWS: strip the adjective or possessive ending.

    Cached: a pure function of the term, asked for every capitalised run and emphasis of every block.
    """
    term = _POSSESSIVE_END.sub("", term)
    match = _NAME_ADJECTIVE.match(term)
    return match.group(1) if match else term


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps an interval of *taken*, kept sorted and disjoint (see :func:`_take`)."""
    at = bisect.bisect_right(taken, (start, float("inf")))
    return (at > 0 and taken[at - 1][1] > start) or (at < len(taken) and taken[at][0] < end)


def _take(taken: list[tuple[int, int]], start: int, end: int) -> None:
    bisect.insort(taken, (start, end))
