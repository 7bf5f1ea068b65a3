"""Mentions of the entities a block names (found by :mod:`.entities`).

A service is mentioned as written in the text (how: "text"), an emphasised term as "emphasis",
a capitalised name as "name". Headings too: their entities count as mentions like any other.

Example: ``- **Data lakes** on Amazon S3 with Kafka`` mentions ``term:data lake`` ("Data lakes",
emphasis), ``service:s3`` ("Amazon S3", text) and ``term:kafka`` ("Kafka", name).
"""

from __future__ import annotations

from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.model import SERVICE

__all__ = ["apply_to_block"]


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Mention every entity of block *index*."""
    block = ctx.parsed.blocks[index]
    for cand in ctx.block_entities[index]:
        if cand.kind == SERVICE:
            rec.mention(cand.key, cand.surface, SERVICE, "text", index)
        else:
            how = "emphasis" if any(s.start == cand.start for s in block.spans) else "name"
            rec.mention(cand.key, cand.surface, cand.kind, how, index)
