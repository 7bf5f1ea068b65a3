"""Membership: a service named in the section about its family or parent product is part of it.

The catalog says which family or product a service belongs to; naming it inside the section
about that parent states the membership (a heading counts inside its parent section too).

Example: under ``## Snow Family``, ``- **Snowball Edge** — ...`` gives
``service:snowball-edge --part_of--> service:snow-family`` (stated).
"""

from __future__ import annotations

from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.model import SERVICE, service_key
from graph.sources.markdown import Block

__all__ = ["apply_to_block"]


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Relate every service of block *index* to its catalog parent when the section is about that parent."""
    block = ctx.parsed.blocks[index]
    for cand in ctx.block_entities[index]:
        if cand.kind == SERVICE:
            _member_of_section_subject(ctx, rec, index, block, cand.key)


def _member_of_section_subject(ctx: NoteContext, rec: Recorder, index: int, block: Block, key: str) -> None:
    """A service named in the section about its family or parent product is stated to be part of it
    ("**Snowball** — ..." under "Snow Family", "Kinesis Data Firehose" under "Amazon Kinesis")."""
    entry = ctx.catalog.entries.get(key.split(":", 1)[1])
    if entry is None or not entry.parent:
        return
    parent = service_key(entry.parent)
    if parent in ctx.subjects.get(block.section, []) or (
        block.kind == "heading" and parent in _near_subjects(ctx, block)
    ):
        rec.relate(key, parent, "part_of", True, index)


def _near_subjects(ctx: NoteContext, block: Block) -> list[str]:
    parent = ctx.parsed.sections[block.section].parent
    return ctx.subjects.get(parent, []) if parent is not None else []
