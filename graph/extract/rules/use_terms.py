"""A term named inside a use of the subject is one the subject is explained with.

Under a label that gives its items the role of uses ("Use it when:", "Use cases:", "They enable:"), an
item is a use of the section's subject, recorded by :mod:`.labels` as a phrase ("Requiring Multifactor
Authentication"); so is the short rest of a line after such a label ("Example: Applying GDPR constraints").
The concepts the phrase names are what that use is about, so the subject is explained with them: ``has``
from the subject to each (stated; ``used_for`` is kept for the use itself). An item that leads with a named
thing ("SRR - Log aggregation") is :mod:`.lead_terms`'; a long list of names is an inventory, not one use.

Example: under ``### Azure Conditional Access``, ``Use it when:`` then ``- Requiring Multifactor
Authentication`` gives ``service:azure/conditional-access --has--> term:multifactor authentication``.
"""

from __future__ import annotations

from graph.extract import terms
from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.model import SERVICE, USE_CASE

__all__ = ["apply"]

#: An item naming more terms than this lists things; it does not say one use.
MAX_TERMS = 2
#: The rest of a line after a use label ("Example: ...") says one use in at most this many words.
MAX_USE_WORDS = 16


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Relate the subject of each use item to the concepts it names (after :mod:`.repeated_terms`, which finds
    the terms a use phrase holds: "Requiring Multifactor Authentication" names MFA)."""
    for index in range(len(ctx.parsed.blocks)):
        _use_item(ctx, rec, index)


def _use_item(ctx: NoteContext, rec: Recorder, index: int) -> None:
    block = ctx.parsed.blocks[index]
    if block.kind not in ("item", "paragraph"):
        return
    lead = ctx.lead(index)
    if lead is not None and lead.keys:
        return  # "SRR - Log aggregation": the lead rule says what the named thing is used for
    named = ctx.block_entities.get(index) or []
    use = block.text
    if lead is not None and terms.label_role(lead.surfaces[0]) == "use_case" and _one_use(lead.rest):
        use = lead.rest  # "Example: Applying GDPR constraints": what it is used for
        rest = len(block.text) - len(use)
        named = [c for c in named if c.start >= rest]
    elif block.kind != "item" or ctx.role(index) != "use_case":
        return
    # A name that is the whole use ("- Application monitoring") is the use itself, not a term within it.
    named = [c for c in named if len(c.surface.split()) < len(terms.words(use))]
    subject = ctx.block_subject(index)
    if subject is None or any(c.kind == SERVICE or c.key.startswith("service:") for c in named):
        return  # a service named in a use works with the subject: the other rules say how
    found = list(dict.fromkeys(c.key for c in named if c.kind != USE_CASE and c.key != subject))
    if not found or len(found) > MAX_TERMS:
        return
    for key in found:
        rec.relate(subject, key, "has", True, index)


def _one_use(text: str) -> bool:
    """True when *text* is one short sentence: one use, not a story ("What if Bob is evil ...") or a list
    ("protect databases (Oracle, MySQL), apps (SAP)")."""
    words = text.split()
    # A word that ends a sentence, then more words: two sentences ("e.g. X" is no sentence end).
    stops = any(w[-1] in ".;!?" and w.lower().lstrip("(") not in _ABBREVIATIONS for w in words[:-1])
    return len(words) <= MAX_USE_WORDS and text.count(",") < 2 and not stops


#: Abbreviations whose period ends no sentence (closed-class English).
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "eg.", "ie.", "cf.", "vs."})
