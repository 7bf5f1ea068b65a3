"""A section's subject is related (weakly, inferred) to every entity its section names.

One ``related_to`` relation of weight 0.5 per subject and entity, with the evidence of the first
block that names the entity in the first section that pairs them. Reads ``ctx.block_entities``
as :mod:`.repeated_terms` left it, so it runs after that rule.

Example: under ``## Amazon Kinesis``, the line ``Pairs well with Apache Flink`` gives
``service:kinesis --related_to--> term:apache flink`` (inferred, weight 0.5).
"""

from __future__ import annotations

from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder

__all__ = ["apply"]


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Relate each section's subjects to the entities named in its blocks."""
    seen: set[tuple[str, str]] = set()
    first_block: dict[tuple[int, str], int] = {}
    for index, block in enumerate(ctx.parsed.blocks):
        if block.kind == "heading":
            continue
        subjects = ctx.subjects.get(block.section, [])
        for cand in ctx.block_entities[index]:
            for subject in subjects:
                if subject != cand.key:
                    first_block.setdefault((block.section, f"{subject}\x00{cand.key}"), index)
    for (_section, pair), index in first_block.items():
        subject, key = pair.split("\x00")
        if (subject, key) in seen:
            continue
        seen.add((subject, key))
        rec.relate(subject, key, "related_to", False, index, weight=0.5)
