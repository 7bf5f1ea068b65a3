"""An emphasised term that opens a paragraph or item is a part of what its section is about.

People bold the term a paragraph turns to ("**Dead-letter queue** if a message is received many times
...", "**Synchronous replication** is a keyword:") without the dash or colon of a lead line
(:mod:`.lead_terms` reads those). In a section about something else, the term is one of its
parts or features: the block's subject ``has`` it. Services are left out (a service bolded under
another is not its feature), and so is a pair a rule before this one already related from the block.

Example: under ``### Amazon SQS``, ``**Dead-letter queue** if a message fails ...`` gives
``service:sqs --has--> term:dead letter queue`` (stated).
"""

from __future__ import annotations

from graph.extract import terms
from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.model import SERVICE, USE_CASE

__all__ = ["apply_to_block"]

#: What may come before the emphasis in a block that it opens: list and quote markers.
_OPENING_MARKS = " -*+>"
#: A section with a longer title is an argument or a question, not a topic with parts.
_MAX_TITLE_WORDS = 6
#: Words that, right after the bold term, make it the subject of a statement ("**X** is ...", "**X** if ...").
_STATEMENT_WORDS = frozenset(
    "is are was were be can could will would may might must should shall has have does do if when whenever where "
    "while for in on with by at to".split()
)


def _names_a_thing(surface: str) -> bool:
    """False for a bolded verb phrase ("Automatically collects events"): it says what something does."""
    first = surface.split()[0].lower() if surface.split() else ""
    return terms.word_classes(first) not in (frozenset({"verb"}), frozenset({"adv"})) and not first.endswith("ly")


def _statement_after(rest: str) -> bool:
    """True when the words after the bold term go on about it: a verb, an adverb, a linking word or a colon;
    not a noun it modifies ("side encryption"), a conjunction, a comma or a parenthesis."""
    rest = rest.lstrip(" *_")
    if rest[:1] in (":", "—", "–"):
        return True
    word = rest.split(maxsplit=1)[0].lower() if rest.split() else ""
    if word in _STATEMENT_WORDS or word.endswith("ly"):
        return True
    classes = terms.word_classes(word)
    return classes == frozenset({"adv"}) or ("verb" in classes and word.endswith("s") and not word.endswith("ss"))


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Relate the subject of block *index* to the term its opening emphasis names ("**X** does ...")."""
    block = ctx.parsed.blocks[index]
    if block.kind not in ("paragraph", "item") or not block.spans or ctx.lead(index) is not None:
        return  # a lead ("**X** — text", "**X**: text") is related by the lead rule, by its label's role
    first = block.spans[0]
    if block.text[: first.start].strip(_OPENING_MARKS) or not block.text[first.end :].strip(" :.*"):
        return  # the emphasis opens the block and is not all of it (a wholly bold line is a label or a title)
    term = next((c for c in ctx.block_entities[index] if first.start <= c.start and c.end <= first.end), None)
    if term is None or term.kind in (SERVICE, USE_CASE) or ctx.role(index) is not None:
        return
    if not _names_a_thing(term.surface) or not _statement_after(block.text[first.end :]):
        return  # "**client** side encryption", "**GSI as default** and ...": the bold words are no topic of their own
    title = ctx.parsed.sections[block.section].title
    if len(title.split()) > _MAX_TITLE_WORDS:
        return  # "Reasons why you shouldn't run a database on EC2": the section argues, its bold words are no parts
    subject = ctx.block_subject(index)
    if subject is None or subject == term.key or frozenset((subject, term.key)) in rec.stated_pairs(index):
        return
    rec.relate(subject, term.key, "has", True, index)
