"""Table rows that define: the second cell defines the entity the first cell names.

Example: in ``| **Amazon SQS** | A fully managed message queue for decoupling services |`` the
second cell is a definition of ``service:sqs``.
"""

from __future__ import annotations

from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder

__all__ = ["apply_to_block"]


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Define the entity of a row's first cell by its second cell (block *index*)."""
    block = ctx.parsed.blocks[index]
    if not (block.kind == "cell" and block.depth == 1 and index > 0):
        return
    first = ctx.parsed.blocks[index - 1]
    if first.kind != "cell" or first.line != block.line or first.depth != 0:
        return
    named = ctx.block_entities.get(index - 1, [])
    if len(named) == 1 and len(first.text.split()) <= 6:
        rec.define(named[0].key, block.text, 2, index)
