"""What a service is for, read from its definition line (issue 12, item 4: use cases in prose).

The subject's definition (its "Definition:" / "What it is:" line, or the first line of its section) often
says what the service is for without any "used for":

* "[describing words] TASK service": ``Definition: Cloud-based identity and access management service``
  -> used for "identity and access management" (TASK headed by a noun of action: -tion, -ment, -ing, -ysis);
* a relative clause after a short description: ``A calculator that estimates cost based on ...`` ->
  "Estimating cost" (a verb no relation cue reads, said as a task);
* a closing "for" and a task: ``... that call the REST API for resource/service management``;
* a line under the service that opens with "Allows"/"Enables" and a noun phrase: ``Allows decoupling of
  applications by sending messages`` -> "decoupling applications" (the means, "by ...", is not part of it).

Example: under ``## AWS Database Migration Service``, ``A managed database migration service.`` gives
``service:dms --used_for--> term:database migration`` and a use-case mention "database migration".

Each block is read once, only its first sentence, with anchored patterns: linear in the note's size.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.extract import pipeline, terms
from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.extract.rules.cues import _TOOL_TAIL
from graph.extract.text import cut_clause, keep_term, use_case_phrase
from graph.model import USE_CASE, term_node_key

__all__ = ["apply_to_block"]

# "A managed database migration service.": describing words, then a task named by a noun of action, then the kind.
_TASK_THEN_KIND = re.compile(
    r"^(?:(?:an?|the|is an?|is the)\s)?(?P<task>(?:[\w+/-]+\s){1,5}?[\w/-]+(?:tion|sion|ment|ing|ysis))\s"
    r"(?:service|tool|solution|platform)\.?$",
    re.IGNORECASE,
)
# Describing words before the task: "managed", "Fully", "Cloud-based", "Limitless".
_DESCRIBING = re.compile(r"(?:\w+(?:ly|ed|less|ful)|[\w]+-[\w-]+|managed|serverless|global|free|new)$", re.IGNORECASE)
# "Allows large-scale batch jobs", "Definition: Allows decoupling of applications": the line opens with the verb.
_ALLOWS = re.compile(
    r"^(?:[\w ]{1,20}:\s+)?(?:allows|enables|permits)\s(?!you\b|to\b|for\b|users?\b|the\b|an?\b)", re.IGNORECASE
)
# "decoupling of applications": a task said with "of" is the same task as "decoupling applications".
_GERUND_OF = re.compile(r"^(\w+ing)\s+of\s+(?!the\b|an?\b)", re.IGNORECASE)
# "A calculator that estimates cost based on ...": a short description, then what it does in a relative clause.
_DESCRIBED_THAT = re.compile(r"^(?:an?|the)\s(?:[\w+-]+\s){1,4}?(?:that|which)\s([a-z]+s)\s(\w.*)$", re.IGNORECASE)
# "... that call the REST API for resource/service management": a definition that ends in "for" and a task.
_FOR_TASK = re.compile(r"\sfor\s((?:[\w/+-]+\s){0,2}[\w/+-]+(?:ment|tion|sion|ing|ysis))$", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^()]{0,150}\)")
_NO_OBJECT = frozenset("a an the each every some any all our your my no and or to for".split())


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Uses of the block's subject (a service) said by its definition line or a line opening with "Allows"."""
    subject = ctx.block_subject(index)
    block = ctx.parsed.blocks[index]
    if not subject or not subject.startswith("service:") or block.kind in ("heading", "code"):
        return
    rest = _definition_rest(ctx, index)
    phrases = [_kind_of_task(rest), _relative_task(rest), _purpose_tail(rest)] if rest else []
    phrases.append(_allows_task(ctx, index))
    for phrase in phrases:
        if phrase:
            key = term_node_key(terms.term_key(phrase))
            rec.mention(key, phrase, USE_CASE, "use", index)
            rec.relate(subject, key, "used_for", True, index)


def _definition_rest(ctx: NoteContext, index: int) -> str | None:
    """The first sentence of the subject's definition on line *index* ("Definition: ..." or the first line of
    its section), or None."""
    block = ctx.parsed.blocks[index]
    lead = ctx.lead(index)
    if lead is not None and not lead.keys and terms.is_definition_label(lead.surfaces[0]):
        rest = lead.rest
    elif lead is None and block.label is None and block.parent is None and ctx.opens_section(index):
        rest = block.text
    else:
        return None
    rest = re.split(r"[.;!?](?:\s|$)", rest.strip(), maxsplit=1)[0] if rest else ""
    return rest if rest and len(rest) <= 120 else None


def _kind_of_task(rest: str) -> str | None:
    """ "Cloud-based identity and access management service" -> "identity and access management"."""
    match = _TASK_THEN_KIND.match(rest) if len(rest) <= 80 else None
    if not match:
        return None
    words = match.group("task").split()
    while len(words) > 2 and _DESCRIBING.match(words[0]):
        words = words[1:]  # "Fully managed", "Cloud-based": how it is offered, not what for
    if len(words) < 2 or _DESCRIBING.match(words[0]) or not keep_term(" ".join(words), emphasised=True):
        return None  # "Fully managed analytics service": one word says no task
    return " ".join(words)


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    """Every word of the relation cues ("integrates", "supports", "helps"): verbs that other rules read."""
    return frozenset(w for phrases in pipeline.cue_phrases().values() for p in phrases for w in p.split())


def _relative_task(rest: str) -> str | None:
    """ "A calculator that estimates cost based on factors" -> "Estimating cost": the verb and its object up to
    the first clause break, for a verb no relation cue reads ("A service that integrates with X" is a relation)."""
    match = _DESCRIBED_THAT.match(rest)
    if not match or match.group(1).lower() in _cue_words():
        return None
    base = terms.lemma(match.group(1))
    form = terms.gerund(base) if base != match.group(1).lower() and "verb" in terms.word_classes(base) else None
    said = _TOOL_TAIL.sub("", cut_clause(_PARENTHESIS.sub("", match.group(2))).strip(" ."))
    if not form or not said or said.split()[0].lower() in _NO_OBJECT:
        return None
    phrase = f"{form.capitalize()} {said}"
    if not 2 <= len(phrase.split()) <= 5 or not keep_term(phrase, emphasised=True, max_words=5):
        return None
    return phrase


def _purpose_tail(rest: str) -> str | None:
    """ "... that call the API for resource/service management" -> "resource/service management"."""
    match = _FOR_TASK.search(rest)
    if not match or match.group(1).split()[0].lower() in _NO_OBJECT:
        return None
    phrase = match.group(1)
    if len(phrase.split()) < 2 or not keep_term(phrase, emphasised=True, max_words=3):
        return None  # "for monitoring": one word says little
    return phrase


def _allows_task(ctx: NoteContext, index: int) -> str | None:
    """ "Allows decoupling of applications by sending messages" -> "decoupling applications"."""
    block = ctx.parsed.blocks[index]
    match = _ALLOWS.match(block.text)
    if not match or block.kind not in ("item", "paragraph") or block.is_label:
        return None
    lead = ctx.lead(index)
    if lead is not None and (lead.keys or not terms.is_definition_label(lead.surfaces[0])):
        return None  # "S3: allows ...": the lead is what allows it
    said = _TOOL_TAIL.sub("", cut_clause(_PARENTHESIS.sub("", block.text[match.end() :])).strip(" ."))
    phrase = use_case_phrase(_GERUND_OF.sub(r"\1 ", said), None)
    return phrase if phrase and 2 <= len(phrase.split()) <= 7 else None
