"""A name before a relation noun: "Built-in LDAP integration", "IPv6 support" in a line about the subject.

English puts what a thing works with before the noun of the relation ("LDAP integration" is integration
with LDAP, "IPv6 support" is support for IPv6). A short line that opens with such a phrase (a word or two
before the name at most: "Native", "Built-in") lists a feature of the block's subject: ``connects_to``
the name for an integration or compatibility, ``has`` it for a support. A longer sentence says more than
that, and the cue rule reads its verbs.

Example: under ``### Azure Resource Manager``, ``- Built-in LDAP integration`` gives
``service:azure/deployment --connects_to--> term:ldap`` (stated).
"""

from __future__ import annotations

import re

from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.model import USE_CASE

__all__ = ["apply"]

#: The nouns of a relation and the relation each names.
_NOUNS = {"integration": "connects_to", "integrations": "connects_to", "compatibility": "connects_to", "support": "has"}
#: A line longer than this is a sentence, not a feature's name.
_MAX_WORDS = 6
#: Words allowed before the name ("Native", "Built-in", "Full").
_MAX_WORDS_BEFORE = 2
# The noun right after the name, ending the phrase: "LDAP integration", "ETL support (batch)"; not a verb with
# its object ("CMKs support key rotation").
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)\s*(?:$|[.,;:(]|(?:for|with|in)\b)")


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Relate the subject of each short line to the name its relation noun phrase opens with (after
    :mod:`.repeated_terms`, which finds the terms a plain line names)."""
    for index in range(len(ctx.parsed.blocks)):
        _line(ctx, rec, index)


def _line(ctx: NoteContext, rec: Recorder, index: int) -> None:
    block = ctx.parsed.blocks[index]
    if block.kind not in ("item", "paragraph") or len(block.text.split()) > _MAX_WORDS:
        return
    named = ctx.block_entities.get(index) or []
    subject = ctx.block_subject(index)
    if not named or subject is None:
        return
    first = named[0]
    if len(block.text[: first.start].split()) > _MAX_WORDS_BEFORE or first.kind == USE_CASE or first.key == subject:
        return
    noun = _NEXT_WORD.match(block.text, first.end)
    relation = _NOUNS.get(noun.group(1).lower()) if noun else None
    if relation is not None:
        rec.relate(subject, first.key, relation, True, index)
