"""Co-occurrence: entities named in one sentence (of a paragraph) or one item are related.

The relation is ``related_to``, inferred (not stated), once per pair in each sentence or item.

Example: the item ``- Logs from Splunk and Kafka land in Amazon S3`` relates Splunk, Kafka and S3 pairwise.
"""

from __future__ import annotations

from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import dedupe

__all__ = ["apply_to_block"]


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Relate the entities block *index* (not a heading) names together."""
    block = ctx.parsed.blocks[index]
    if block.kind == "heading":
        return
    entities = ctx.block_entities[index]
    if len(entities) < 2:
        return
    groups = ctx.by_sentence(index, entities, lambda c: c.start) if block.kind == "paragraph" else [entities]
    for group in groups:
        keys = dedupe(c.key for c in group)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                rec.relate(a, b, "related_to", False, index)
