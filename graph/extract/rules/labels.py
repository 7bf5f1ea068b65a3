"""Labels give items a role: what is listed under a label is related to the section's subject.

Items under "Use cases" are use cases of the subject (``used_for``), under "Core capabilities" its
concepts (``has``), under "Supported targets", "Common consumers", "Data sources", "Integrates
with" related services (``delivers_to``, ``consumed_by``, ``ingests_from``, ``connects_to``; see
:func:`graph.extract.terms.label_role`). An inline label does the same for the rest of its line
("**Use cases:** log analytics, clickstreams"). A top-level item with no label is a concept of the
subject when it is a short noun phrase. Lines with a lead term are :mod:`.lead_terms`'.

Example: under ``## Amazon Kinesis``, ``**Use cases**`` then ``- Real-time analytics`` gives
``service:kinesis --used_for--> term:real time analytics`` (a use case, how: "list").
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from graph.extract import terms
from graph.extract.context import Candidate, NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import cut_clause, keep_term, listed, term_kind, use_case_phrase, use_case_phrases
from graph.model import SERVICE, TECHNOLOGY, USE_CASE, service_key, term_node_key
from graph.sources.markdown import Block

__all__ = ["apply_to_block"]


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Relate the items of block *index* (not a heading) to its subject by the role of their label."""
    block = ctx.parsed.blocks[index]
    if block.kind == "heading":
        return
    subject = ctx.block_subject(index)
    lead = ctx.lead(index)
    role = ctx.role(index)
    if lead is not None:
        if not lead.keys:  # an inline label: "Examples: a, b, c"
            _inline_label(ctx, rec, index, block, subject, lead.surfaces[0], lead.rest)
        elif len(lead.keys) == 1 and lead.rest:
            # "SRR – Use cases: log aggregation, live replication": the lead's own inline label
            inner = re.match(r"([^:]{1,40}):\s+(.+)$", lead.rest)
            if inner:
                _inline_label(ctx, rec, index, block, lead.keys[0], inner.group(1), inner.group(2))
    elif role is not None and block.kind in ("item", "paragraph", "cell") and not block.is_label:
        if block.label is None and any(c.label_ == "used_for" for c in ctx.cues(index)):
            return  # "Great for variable workloads." under "Use cases": the cue rule reads the sentence
        _role_item(ctx, rec, index, block, subject, role, block.text)
    elif block.kind == "item" and subject and block.label is None and block.parent is None:
        _plain_item(ctx, rec, index, block, subject)
    elif block.kind == "item" and subject and role is None and block.parent is None:
        _explained_item(ctx, rec, index, block, subject)


def _inline_label(
    ctx: NoteContext, rec: Recorder, index: int, block: Block, subject: str | None, label: str, rest: str
) -> None:
    """ "Examples: a, b, c": each item of the rest of the line in the role the label gives."""
    inline_role = terms.label_role(label)
    if not inline_role or not rest:
        return
    if inline_role == "use_case":
        _role_item(ctx, rec, index, block, subject, inline_role, rest, inline=True, lists=True)
        return
    parts = [p for p in re.split(r",|;|\band\b|\bor\b", rest.rstrip(".")) if p.strip()]
    if len(parts) < 2 or any(len(p.split()) > 4 for p in parts):
        parts = [rest]  # a sentence, not a list
    for part in parts:
        _role_item(ctx, rec, index, block, subject, inline_role, part, inline=True)


def _role_item(
    ctx: NoteContext,
    rec: Recorder,
    index: int,
    block: Block,
    subject: str | None,
    role: str,
    text: str,
    inline: bool = False,
    lists: bool = False,
) -> None:
    """An item under a label: a use case, a concept, or a related service, linked to the subject."""
    services = [s for s in ctx.services(index) if text in block.text and _within(s, block.text, text)]
    if role in ("delivers_to", "consumed_by", "ingests_from", "connects_to"):
        targets = [(service_key(s.label_), ctx.span_text(index, s), SERVICE) for s in services]
        if not targets:
            term = terms.clean_term(cut_clause(text))
            if keep_term(term, emphasised=True, max_words=4):
                targets = [(ctx.term_key(term), term, term_kind(term))]
        for key, surface, kind in targets:
            rec.mention(key, surface, kind, "list", index)
            if subject and subject != key:
                rec.relate(subject, key, role, True, index)
        return
    if role == "use_case" and _not_a_task(ctx.label(index), text):
        role = "concept"  # "Templates allow you to:" then "Orchestration": a feature listed, not a task
    if role == "use_case":
        named = sum(s.end_char - s.start_char for s in services)
        if services and named >= len(terms.clean_term(text)) * 0.6:
            return  # a service listed among uses ("Use cases: S3, EBS"): mentioned, not a use case
        label = ctx.label(index)
        if label is None or not label.text.rstrip().endswith(":") or terms.label_role(label.text):
            # "Data lakes & big data analytics": two uses. An item listed as a use may be a longer phrase
            # ("Storing up to 8TB of data for VMs") than one read from a sentence.
            phrases = use_case_phrases(text, lists=lists, longest=8)
        else:
            phrase = use_case_phrase(text, label.text)  # completes a sentence label ("You need transcripts of:")
            phrases = [phrase] if phrase else []
        for phrase in phrases:
            if any(s.text in phrase and len(s.text) >= len(phrase) * 0.6 for s in services):
                continue  # "Use cases: S3, EBS": a service among the uses is mentioned, not a use case
            key = term_node_key(terms.term_key(phrase))
            rec.mention(key, phrase, USE_CASE, "list", index)
            if subject and subject != key:
                rec.relate(subject, key, "used_for", True, index)
        return
    # concept role: the item itself if it is a short noun phrase, else its emphasised terms
    task = _task_item(text) if not inline and role == "concept" else None
    if task:
        # "Monitor applications, integrating them with X" under "Features": a task the subject serves
        key = term_node_key(terms.term_key(task))
        rec.mention(key, task, USE_CASE, "list", index)
        if subject and subject != key:
            rec.relate(subject, key, "used_for", True, index)
        return
    term = terms.clean_term(text)
    used = re.match(r"(?:uses?|using)\s{1,3}(\S.*)$", term, re.IGNORECASE)
    if used and len(used.group(1).split()) >= 2:
        term = used.group(1)  # "Use imperative code" under "Features": the feature is imperative code
    if services and len(services) == 1 and services[0].text == term:
        return
    candidates = [term] if keep_term(term, max_words=5) else []
    if not candidates:
        # A sentence under "Features": the feature is the name it opens with; later names say more about that
        # feature ("Topics can be used cross-account via Topic Policy"), and services named work with the subject.
        named = [c for c in ctx.block_entities[index] if text in block.text and _within_offsets(c, block.text, text)]
        # Products listed ("Windows, Linux, OSX availability") are where it runs, not its features.
        candidates = [c.surface for c in _opening_list(block.text, named) if c.kind not in (SERVICE, TECHNOLOGY)]
        for service in services if not inline else ():  # an item under "Offers:" naming services works with them
            key = service_key(service.label_)
            if subject and subject != key:
                rec.relate(subject, key, "connects_to", True, index)
    for surface in candidates:
        key = ctx.term_key(surface)
        rec.mention(key, surface, term_kind(surface), "list", index)
        if subject and subject != key:
            rec.relate(subject, key, "has", True, index)


# A label that a verb must complete: "Templates allow you to:", "It lets you:", "Helps you:".
_TASK_LABEL = re.compile(r"\b(?:to|you)\s*:\s*$", re.IGNORECASE)


def _not_a_task(label: Block | None, item: str) -> bool:
    """True when *label* asks for a task ("allow you to:") and *item* cannot open with a verb ("Modular files")."""
    if label is None or not _TASK_LABEL.search(label.text):
        return False
    first = terms.words(item)[:1]
    classes = terms.word_classes(first[0].lower()) if first else frozenset()
    return bool(classes) and "verb" not in classes  # an unknown word ("Video+Audio") is left as it was


# Verbs of making: what is made is the task ("Create repeatable processes by using code": repeatable processes).
_MAKING = re.compile(r"^(?:create|build|make|develop|design)\s(?=\w)", re.IGNORECASE)
# "Set up alerts to help triage outages": what the step is done for is the task.
_TO_HELP = re.compile(r"\sto\shelp\s(?=\w)", re.IGNORECASE)
# "Monitor applications, integrating them with X": a participle clause after the object.
_PARTICIPLE_CLAUSE = re.compile(r"^\w+\s[\w-]+(?:\s[\w-]+)?,\s\w+ing\s")
_PARENTHESES = re.compile(r"\s?\([^()]{0,80}\)")


def _task_item(text: str) -> str | None:
    """The task an item under "Features" states in the imperative, or None for a feature named by a noun phrase.

    The item opens with a verb ("Monitor", "Create", not "Compiles", "Load balancing") and is no noun phrase as a
    whole: a clause or a list follows ("Monitor applications, integrating them with X") or it is too long for a
    term. The task is the verb and its object, up to the first clause break.

    >>> _task_item("Monitor applications, integrating them with PagerDuty")
    'Monitor applications'
    >>> _task_item("Load balancing") is None, _task_item("Execute independently or combined, to orchestrate") is None
    (True, True)
    """
    words = text.split()
    if len(words) < 2 or not words[0][:1].isupper() or not words[0].isalpha():
        return None
    first, second = words[0].lower(), words[1].lower().strip(",")
    if first.endswith("s") and not first.endswith("ss"):
        return None  # "Analyzes text", "Works with X": a description of the subject, not an instruction
    classes = terms.word_classes(first)
    if classes != frozenset({"verb"}) and not (
        "verb" in classes and (_PARTICIPLE_CLAUSE.search(text) or second in ("up", "out", "off"))
    ):
        return None  # a word English uses only as a verb, or one a participle clause or a particle follows
    if first in ("use", "using") or second.endswith("ly") or second in ("and", "or", "&") or "," in words[0]:
        return None  # "Use imperative code" is a feature; "Execute independently"; verbs sharing an object
    if keep_term(terms.clean_term(text), max_words=5) and "," not in text:
        return None  # a short noun phrase ("Deploy slots") reads as a feature
    text = _PARENTHESES.sub("", text)
    phrase = _TO_HELP.split(text, maxsplit=1)
    task = cut_clause(phrase[1] if len(phrase) == 2 and phrase[1].split()[0].lower() != "be" else text).strip(" .")
    made = _MAKING.sub("", task)
    task = made if made != task and len(made.split()) >= 2 else task
    task = terms.clean_term(task)
    if not 2 <= len(task.split()) <= 4 or not keep_term(task, emphasised=True, max_words=4):
        return None
    return task


def _opening_list(text: str, named: list[Candidate]) -> list[Candidate]:
    """The name *text* opens with and the names listed right after it ("Knowledge bases, help desks and search")."""
    if not named or len(text[: named[0].start].split()) > 2:
        return []
    found = [named[0]]
    for candidate in named[1:]:
        if not listed(text[found[-1].end : candidate.start]):
            break
        found.append(candidate)
    return found


def _within_offsets(candidate: Candidate, block_text: str, part: str) -> bool:
    start = block_text.find(part)
    return start <= candidate.start and candidate.end <= start + len(part)


def _within(span: Span, block_text: str, part: str) -> bool:
    start = block_text.find(part)
    return start <= span.start_char and span.end_char <= start + len(part)


#: Head nouns that make a plain item say what its subject is, not what it has.
_WHAT_IT_IS = frozenset("service services solution solutions tool tools platform platforms offering product".split())


# "Site-to-site (everything appears on the same network)", "via Point-to-site (typical VPN)": a term and, in
# parentheses, what it is.
_EXPLAINED = re.compile(r"^(?:(?:via|with|using|through)\s{1,3})?([^()]{2,40}?)\s{0,3}\(([^()]{3,80})\)[\s.]{0,3}$")


def _explained_item(ctx: NoteContext, rec: Recorder, index: int, block: Block, subject: str) -> None:
    """An item under a label of no role that is a short term explained in parentheses: a concept of the subject."""
    match = _EXPLAINED.match(block.text)
    if not match or ctx.services(index):
        return
    term = terms.clean_term(match.group(1))
    if len(term.split()) > 3 or not keep_term(term, emphasised=True, max_words=3, defined=True):
        return
    if terms.word_classes(term.split()[0].lower()) == frozenset({"verb"}):
        return  # "Run jobs (in parallel)": a task, not a term
    key = ctx.term_key(term)
    rec.mention(key, term, term_kind(term), "list", index)
    rec.define(key, match.group(2).strip(), 2, index)
    if subject != key:
        rec.relate(subject, key, "has", True, index)


def _plain_item(ctx: NoteContext, rec: Recorder, index: int, block: Block, subject: str) -> None:
    """A top-level item with no label under a subject: a short noun phrase is a concept of the subject."""
    term = terms.clean_term(block.text)
    if len(term.split()) > 4 or not keep_term(term, max_words=4) or ctx.services(index):
        return
    if terms.label_role(block.text) or terms.heading_role(term):
        return  # "- Use cases:", "- Key features:": a label over the items below, not a concept
    if block.spans:
        return  # the emphasised words are the term, not the whole item
    if terms.words(term)[-1].lower() in _WHAT_IT_IS:
        return  # "Managed data warehousing service", "Hybrid service": what the subject is, not a feature of it
    inside = terms.parenthetical(block.text)
    if inside and terms.is_figure(inside):
        return  # "Low latency (<10 ms on publish)": a quality and its figure, not a thing the subject has
    term = _without_vague_of(term)
    key = ctx.term_key(term)
    rec.mention(key, term, term_kind(term), "list", index)
    if subject != key:
        rec.relate(subject, key, "has", True, index)


# "Columnar storage of data": a phrase of two or more words, then "of" and one lower-case word.
_OF_ONE_WORD = re.compile(r"^(\S+(?:\s\S+)+)\sof\s([a-z]+)$")


def _without_vague_of(term: str) -> str:
    """*term* less an "of" and one everyday word after a phrase that names the thing already.

    >>> _without_vague_of("Columnar storage of data"), _without_vague_of("Point of presence")
    ('Columnar storage', 'Point of presence')
    """
    match = _OF_ONE_WORD.match(term)
    if match and terms.is_common_word(match.group(2), -10.0) and keep_term(match.group(1), max_words=4):
        return match.group(1)
    return term
