"""Arrow chains: ``A -> B -> C`` is a pipeline, ``A <-> B`` a two-way connection.

Each step of the chain names services (from the catalog) or capitalised terms; a step with
several ("S3/EFS/FSx") names each. Consecutive steps are related (``feeds``, or ``connects_to``
both ways for a two-headed arrow), stated, and every step is mentioned (how: "arrow"). A single
arrow to a lower-case phrase naming nothing describes rather than connects:
``Athena -> serverless interactive queries`` defines Athena.

Example: ``Producers → Kinesis → Firehose -> S3`` gives producer feeds Kinesis, Kinesis feeds
Firehose and Firehose feeds S3 (and not Kinesis feeds S3).

A UI breadcrumb is not a pipeline: ``Go to Navigation menu -> Operations -> Error Reporting`` walks
through menus (a navigation verb or a menu word before or in it, every step a short Title Case
label), so its steps are neither related nor taken as terms; the services it names are still named.
"""

from __future__ import annotations

import itertools
import re

from graph.extract import terms
from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import VENDORS, term_kind
from graph.model import SERVICE, service_key, term_node_key

__all__ = ["apply_to_block"]

# Each pattern that may start with white space starts only where a run of it starts ((?<!\s)):
# otherwise every position inside a long run of spaces would rescan the rest of it.
_ARROW = re.compile(r"(?<!\s)\s*(?:→|->|=>|⇒|⟶|⟹|-->)\s*")
_BIARROW = re.compile(r"(?<!\s)\s*(?:↔|<->|<=>|⇔)\s*")
# How people write about clicking through an interface: the verb before a breadcrumb, the words in its steps.
_NAVIGATE = re.compile(
    r"\b(?:go(?:ing)? to|navigate(?: to)?|click(?: on)?|select|choose|open|browse to|head to)\s+(?:the\s+|on\s+)?(.+)$",
    re.IGNORECASE,
)
_UI_WORD = re.compile(
    r"\b(?:menu|console|tab|page|panel|pane|sidebar|settings|dashboard|portal|blade|toolbar|button|screen)\b",
    re.IGNORECASE,
)
# Every arrow of either pattern holds one of these characters: a block without any is not scanned by them (the
# patterns may start at any position, a scan of every line that a plain character test spares).
_ARROW_CHARS = re.compile(r"[>→⇒⟶⟹↔⇔]")


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Relate the steps of every arrow chain in block *index* (not a heading)."""
    block = ctx.parsed.blocks[index]
    if block.kind == "heading":
        return
    text = block.text
    if not _ARROW_CHARS.search(text):
        return
    for pattern, relation in ((_ARROW, "feeds"), (_BIARROW, "connects_to")):
        if not pattern.search(text):
            continue
        parts = pattern.split(text)
        if len(parts) < 2:
            continue
        if relation == "feeds" and _is_breadcrumb(parts):
            for key, surface in (c for part in parts for c in _arrow_part_services(ctx, index, part)):
                rec.mention(key, surface, SERVICE, "arrow", index)
            continue
        resolved = []
        for position, part in enumerate(parts):
            edge = "first" if position == 0 else "last" if position == len(parts) - 1 else "middle"
            resolved.append(_arrow_part(ctx, index, part, edge))
        if len(parts) == 2 and resolved[0] and not resolved[1] and parts[1].strip()[:1].islower():
            for key, _ in resolved[0]:
                rec.define(key, parts[1].strip().rstrip("."), 2, index)
            continue
        for left, right in itertools.pairwise(resolved):
            for lkey, _lsurface in left:
                for rkey, _rsurface in right:
                    if lkey == rkey:
                        continue
                    rec.relate(lkey, rkey, relation, True, index)
                    if relation == "connects_to":
                        rec.relate(rkey, lkey, relation, True, index)
        for part in resolved:
            for key, surface in part:
                kind = SERVICE if key.startswith("service:") else term_kind(surface)
                rec.mention(key, surface, kind, "arrow", index)


#: A count before a step's name ("Azure Account -> Many subscriptions -> Many resource groups"): not part of it.
_QUANTIFIER = re.compile(r"(?:many|multiple|several|some|all|each|every|(?:one|zero) or more|\d+)\s+", re.IGNORECASE)


def _arrow_part(ctx: NoteContext, index: int, part: str, edge: str) -> list[tuple[str, str]]:
    """The entities one step of an arrow chain names ("S3/EFS/FSx" names three)."""
    block_text = ctx.parsed.blocks[index].text
    offset = _find_part(block_text, part, edge)
    spans = [s for s in ctx.services(index) if offset <= s.start_char and s.end_char <= offset + len(part)]
    text = part
    if edge == "first":
        text = re.split(r"[(:,;]|\be\.g\.|\bi\.e\.|\bsuch as\b|\blike\b", text)[-1]
        spans = spans[-1:] if spans and "/" not in text else spans
    elif edge == "last":
        text = re.split(r"[)(,;.]", text)[0]
        spans = [s for s in spans if s.start_char < offset + max(len(text), 1)]
        spans = spans[:1] if spans and "/" not in text else spans
    if spans:
        return [(service_key(s.label_), ctx.span_text(index, s)) for s in spans]
    found = []
    for piece in re.split(r"(?<!\s)\s*/\s*|(?<!\s)\s+\+\s+", text):
        term = terms.clean_term(piece)
        if not term:
            continue
        counted = _QUANTIFIER.match(term)
        if counted and term[:1].isupper() and len(term) > counted.end():
            term = term[counted.end()].upper() + term[counted.end() + 1 :]  # "Many subscriptions": subscriptions
        if term in ctx.short_names:
            found.append((service_key(ctx.short_names[term]), term))
        elif (
            term[:1].isupper()
            and terms.is_term_like(term, 4)
            and not terms.is_generic(term)
            and term.lower() not in VENDORS
        ):
            found.append((term_node_key(terms.term_key(term)), term))
    return found


def _is_breadcrumb(parts: list[str]) -> bool:
    """Whether an arrow chain walks through an interface: "Go to Navigation menu -> Operations -> Logs"."""
    lead = re.split(r"[.:;!?]\s+", parts[0])[-1].strip(" *_`'\"-")
    cue = _NAVIGATE.search(lead)
    steps = [cue.group(1) if cue else lead] + [re.split(r"[.;,(]", p)[0] for p in parts[1:]]
    steps = [s.strip(" *_`'\"") for s in steps]
    if not all(s and s[:1].isupper() and len(s.split()) <= 4 for s in steps):
        return False
    return bool(cue) or any(_UI_WORD.search(s) for s in steps)


def _arrow_part_services(ctx: NoteContext, index: int, part: str) -> list[tuple[str, str]]:
    """The catalog services one step names, by its spans in the block."""
    text = ctx.parsed.blocks[index].text
    offset = max(text.find(part), 0)
    return [
        (service_key(s.label_), ctx.span_text(index, s))
        for s in ctx.services(index)
        if offset <= s.start_char and s.end_char <= offset + len(part)
    ]


def _find_part(text: str, part: str, edge: str) -> int:
    if edge == "first":
        return text.find(part)
    if edge == "last":
        return text.rfind(part)
    found = text.find(part)
    return max(found, 0)
