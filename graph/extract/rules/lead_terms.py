"""Lead terms: a line that opens with a term and explains it (``**X** — text``, ``X = text``, ``X: text``).

The lead (read by :mod:`graph.extract.leads`) is mentioned (how: "definition") and defined by
the rest of the line, or, on a label line (``**X** — tagline``), by the tagline. It is related to
the section's subject by the role of the label above it: ``delivers_to``, ``consumed_by``,
``ingests_from`` and ``connects_to`` for services, ``used_for`` under "Use cases", else ``has``
for a term. A lead that only spells out a service's name ("Amazon SQS - Simple Queue Service")
defines nothing. Inline labels ("Examples: a, b") are :mod:`.labels`'; "A = x" next to "B = y"
is :mod:`.compared_lines`'.

Under "Use cases", a lead that names a thing (a service, an abbreviation) is used for the rest of its line
(``SRR - Log aggregation``: ``term:srr --used_for--> term:log aggregation``), not a use case itself.

Example: under ``## Amazon Kinesis``, ``- **Shard** — a unit of capacity in a stream`` mentions
and defines ``term:shard`` and gives ``service:kinesis --has--> term:shard``.
"""

from __future__ import annotations

from graph.extract import terms
from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import VENDORS, is_acronym, term_kind, use_case_phrases
from graph.model import SERVICE, USE_CASE, service_key, term_node_key

__all__ = ["apply_to_block"]


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Mention, define and relate the lead entities of block *index* (not a heading)."""
    block = ctx.parsed.blocks[index]
    if block.kind == "heading":
        return
    lead = ctx.lead(index)
    if lead is None or not lead.keys:
        return
    subject = ctx.block_subject(index)
    role = ctx.role(index)
    if role == "use_case" and len(lead.keys) == 1 and _names_a_thing(lead.keys[0], lead.surfaces[0]):
        _thing_then_use(ctx, rec, index, lead.keys[0], lead.surfaces[0], lead.rest, subject)
        return
    for key, surface in zip(lead.keys, lead.surfaces, strict=False):
        kind = SERVICE if key.startswith("service:") else (USE_CASE if role == "use_case" else term_kind(surface))
        rec.mention(key, surface, kind, "definition", index)
        rest_start = len(block.text) - len(lead.rest)
        restates_name = any(service_key(s.label_) == key for s in ctx.services(index) if s.start_char >= rest_start)
        if restates_name and len(lead.rest.split()) <= 6:
            continue  # "Amazon SQS - Simple Queue Service": the rest only spells out the name
        if lead.rest and not block.is_label:
            rec.define(key, lead.rest, 3, index)
        elif lead.rest and block.is_label:
            rec.define(key, lead.rest, 1, index)
        if subject and subject != key:
            if role in ("delivers_to", "consumed_by", "ingests_from", "connects_to"):
                rec.relate(subject, key, role, True, index)
            elif role == "use_case":
                rec.relate(subject, key, "used_for", True, index)
            elif terms.is_figure(lead.rest) or terms.is_figure(surface):
                continue  # "Default retention: 4 days", "Single-digit latency - ...": a measure, not a thing it has
            elif not key.startswith("service:"):
                rec.relate(subject, key, "has", True, index)
            elif frozenset((subject, key)) not in rec.stated_pairs(index):
                _service_lead(ctx, rec, index, subject, key, surface)


def _service_lead(ctx: NoteContext, rec: Recorder, index: int, subject: str, key: str, surface: str) -> None:
    """ "- CodeGuru Reviewer: automated code reviews" under CodeGuru, "- EBS volumes: encrypt volumes" under KMS.

    A service that leads a line in the section about something else is explained in relation to it: part of
    the subject whose name it extends, else (under another service) working with it. Not under a question
    ("Who performs the migration?": its answers are about the question), and not in a section about several
    things ("SQS vs SNS" with a line for each): the line is about one of them, not about the other.
    """
    section = ctx.parsed.sections[ctx.parsed.blocks[index].section]
    if len(ctx.subjects.get(section.id, [])) > 1 or section.title.rstrip().endswith("?"):
        return  # about several things, or a question ("Who performs the migration?") about something else
    own = _without_vendor(terms.words(terms.clean_term(surface).lower()))
    named = _without_vendor(terms.words(subject.split(":", 1)[1]))
    if not subject.startswith("service:") and len(own) > len(named) and own[: len(named)] == named:
        rec.relate(key, subject, "part_of", True, index)
    elif subject.startswith("service:"):
        rec.relate(subject, key, "connects_to", True, index)


def _without_vendor(words: list[str]) -> list[str]:
    """*words* less the vendor names they open with ("amazon codeguru" -> "codeguru")."""
    while words and words[0] in VENDORS:
        words = words[1:]
    return words


def _names_a_thing(key: str, surface: str) -> bool:
    """A lead that names a thing, not a use: a service or an abbreviation ("SRR - Log aggregation")."""
    return key.startswith("service:") or is_acronym(surface.strip())


def _thing_then_use(
    ctx: NoteContext, rec: Recorder, index: int, key: str, surface: str, rest: str, subject: str | None
) -> None:
    """Under "Use cases", ``SRR - Log aggregation``: the thing the lead names is used for what follows."""
    rec.mention(key, surface, SERVICE if key.startswith("service:") else term_kind(surface), "definition", index)
    if subject and subject != key and not key.startswith("service:"):
        rec.relate(subject, key, "has", True, index)
    for phrase in use_case_phrases(rest, lists=False):
        target = term_node_key(terms.term_key(phrase))
        rec.mention(target, phrase, USE_CASE, "list", index)
        rec.relate(key, target, "used_for", True, index)
