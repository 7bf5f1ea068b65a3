"""Two clouds' services named in one sentence are compared: "Azure Blob Storage is like Amazon S3".

Notes written by students of two clouds set a product beside its counterpart ("Azure Functions is
Azure's AWS Lambda", "Cloud Pub/Sub, similar to Amazon SNS"). A sentence (or list item) that names
services of two different vendors compares each service of one vendor with each of the other's,
stated, with the sentence as evidence. The vendors come from the catalog entries the mentions
settled on (:mod:`graph.extract.vendors`), so no comparison word is needed.

Example: ``Azure Blob Storage is like Amazon S3.`` gives
``service:azure/blob-storage --compared_with--> service:s3`` (stated).
"""

from __future__ import annotations

from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.model import service_key

__all__ = ["apply_to_block"]

#: More services than this in one sentence is a list, not a side-by-side comparison.
MAX_SERVICES = 4


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Compare the services of different vendors named in one sentence of block *index*."""
    if len(ctx.named_vendors) < 2:
        return  # the note names one cloud's services only
    spans = ctx.services(index)
    if len(spans) < 2:
        return
    entries = ctx.catalog.entries
    if len({entries[s.label_].vendor for s in spans if s.label_ in entries}) < 2:
        return
    for group in ctx.by_sentence(index, spans, lambda s: s.start_char):
        ids = list(dict.fromkeys(s.label_ for s in group if s.label_ in entries))
        if len(ids) > MAX_SERVICES:
            continue
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                if entries[first].vendor != entries[second].vendor:
                    rec.relate(service_key(first), service_key(second), "compared_with", True, index)
