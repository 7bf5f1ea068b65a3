"""Comparison by layout: consecutive ``A = x`` / ``B = y`` lines compare A with B, and so do consecutive
``A: x`` / ``B: y`` leads whose texts both weigh them ("easier", "more costly", "scales better").

Both lines must be short (six words or fewer after the "="), in the same section and under the
same label (or the second under the first). Comparisons by a cue word ("A vs B", "A whereas B")
are :mod:`.cues`', which keeps them in text order with the other cue words.

Example: ``- Standard = at-least-once delivery`` then ``- FIFO = exactly-once processing`` gives
``term:standard --compared_with--> term:fifo`` (stated).
"""

from __future__ import annotations

from graph.extract.context import NoteContext
from graph.extract.leads import Lead
from graph.extract.recorder import Recorder

__all__ = ["apply_to_block"]


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Compare the "=" lead of block *index* (not a heading) with the one on the line before."""
    if ctx.parsed.blocks[index].kind == "heading":
        return
    lead = ctx.lead(index)
    if lead is not None and len(lead.keys) == 1 and (lead.separator == "=" or _comparative(lead.rest)):
        _compare_adjacent(ctx, rec, index, lead)


#: Words that say "more or less so than the other": a line that weighs its lead against another's.
_COMPARATIVES = frozenset(
    {"more", "less", "better", "worse", "fewer", "cheaper", "faster", "slower", "easier", "harder"}
)


def _comparative(rest: str) -> bool:
    """True when a lead's text weighs it against something ("easier to implement and scales better")."""
    return any(word.strip(".,;()").lower() in _COMPARATIVES for word in rest.split())


def _compare_adjacent(ctx: NoteContext, rec: Recorder, index: int, lead: Lead) -> None:
    """Consecutive "A = x" / "B = y" lines compare A with B."""
    key = lead.keys[0]
    if index == 0:
        return
    previous = ctx.parsed.blocks[index - 1]
    current = ctx.parsed.blocks[index]
    if previous.section != current.section or current.label not in (previous.label, index - 1):
        return
    before = ctx.lead(index - 1)
    if before is None or len(before.keys) != 1 or before.keys[0] == key:
        return
    if before.separator != lead.separator or (lead.separator != "=" and not _comparative(before.rest)):
        return  # "A = x" after "B = y", or "A: easier" after "B: more costly": both lines weigh their leads
    if len(before.rest.split()) <= 6 and len(lead.rest.split()) <= 6:
        rec.relate(before.keys[0], key, "compared_with", True, index)
