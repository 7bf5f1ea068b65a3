"""Things listed under a label that names a task are the means to it.

People group the ways of doing something under the task ("**Communicate with on-premises**:" then
"- Azure ExpressRoute: dedicated private connection", "- Site-to-site: everything on one network").
A label of two to five words that opens with a verb (and has no pronoun: "Use it when:" and "Enable it
by:" frame their items, they name no task) is a use case; each item that leads with one named thing
(a lead line, see :mod:`graph.extract.leads`) is ``used_for`` it. Labels with a role ("Use cases:",
"Integrates with:") are :mod:`.labels`'.

A label sentence that ends "to <verb> <object>:" names its task in its last words; the items under it that say
by what means ("using SQS: queue model", "with SNS") make each of the things named there ``used_for`` it.

Example: ``**Communicate with on-premises**:`` then ``- Azure ExpressRoute: private connection`` gives
``service:azure/expressroute --used_for--> term:communicate with on premise`` (stated).
"""

from __future__ import annotations

import re

from graph.extract import terms
from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import keep_term
from graph.model import USE_CASE, service_key, term_node_key

__all__ = ["apply_to_block"]

#: Words that make a label a frame for its items ("Use it when:", "You can:"), not the name of a task.
_FRAMING = frozenset({"it", "them", "this", "these", "you", "we", "by", "when", "if", "to", "for", "with"})


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Relate the one thing item *index* leads with to the task its label names."""
    block = ctx.parsed.blocks[index]
    if block.kind != "item" or block.label is None:
        return
    if _means_to_task(ctx, rec, index):
        return
    lead = ctx.lead(index)
    if lead is None or len(lead.keys) != 1:
        return
    task = _task(ctx, block.label)
    if task is None:
        return
    key = term_node_key(terms.term_key(task))
    if key == lead.keys[0]:
        return
    rec.mention(key, task, USE_CASE, "use", block.label)
    rec.relate(lead.keys[0], key, "used_for", True, index)


def _task(ctx: NoteContext, label: int) -> str | None:
    """The task a label line names ("Communicate with on-premises"), or None."""
    block = ctx.parsed.blocks[label]
    if block.kind != "paragraph" or not block.is_label or terms.label_role(block.text) is not None:
        return None
    task = terms.clean_term(block.text.strip().rstrip(":").strip())
    words = task.split()
    if not 2 <= len(words) <= 5 or not words[0][:1].isupper() or any(w.lower() in _FRAMING for w in words[-1:]):
        return None
    if any(w.lower() in _FRAMING - {"with", "to", "for"} for w in words):
        return None  # "Use it when", "Enable it by": a frame
    return task if terms.word_classes(words[0].lower()) == frozenset({"verb"}) else None


# "... it's better to decouple your applications:": a verb and its object (a few words) end the label.
_TO_TASK = re.compile(r"\bto\s([a-z]+)\s(?:(?:your|the|our|their|its|an?)\s)?([a-z][a-z -]{1,40}?)\s?:$")
# "using SQS: queue model", "with SNS", "via Kinesis - streams": an item that opens with the means it names.
_MEANS = re.compile(r"(?:using|with|via|through)\s", re.IGNORECASE)


def _means_to_task(ctx: NoteContext, rec: Recorder, index: int) -> bool:
    """Under "... to decouple your applications:", ``- using SQS: queue model``: SQS is used for decoupling
    applications. True when item *index* was read so."""
    block = ctx.parsed.blocks[index]
    means = _MEANS.match(block.text)
    if not means:
        return False
    task = _task_of_sentence(ctx.parsed.blocks[block.label].text.strip())
    services = ctx.services(index)
    if task is None or len(services) != 1 or services[0].start_char != means.end():
        return False
    key = term_node_key(terms.term_key(task))
    rec.mention(key, task, USE_CASE, "use", block.label)
    rec.relate(service_key(services[0].label_), key, "used_for", True, index)
    return True


def _task_of_sentence(label: str) -> str | None:
    """ "it's better to decouple your applications:" -> "decoupling applications": the task a label line ends with.

    >>> _task_of_sentence("In that case, it's better to decouple your applications:")
    'decoupling applications'
    """
    match = _TO_TASK.search(label)
    if not match or terms.word_classes(match.group(1)) != frozenset({"verb"}):
        return None
    verb = terms.gerund(match.group(1))
    task = f"{verb} {match.group(2).strip()}" if verb else None
    return task if task and keep_term(task, emphasised=True, max_words=5) else None
