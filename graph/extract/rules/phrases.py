"""Candidate terms for the corpus: the runs of content words of every block, kept for :mod:`graph.store.terms`.

Whether "visibility timeout" or "subnet" is a term of these notes shows only across the whole
corpus (how often, in how many sections and files, how unusual in general English), and
extraction is per note and cached per file. So each note keeps its runs of content words
(:func:`graph.extract.runs.runs`, service names left out) with the stop words around them; the
corpus step scores their n-grams and matches known terms in them. Code lines are skipped.

Also records the abbreviations the note defines, "Long Name (LN)" or "LN (Long Name)" where the
letters of the short form are initials of the long one, so that the corpus makes them one node;
and the service mentions by a rarer everyday word ("Lambda") that the note alone did not support,
so that the corpus can accept them when another note names the service surely.

Example: ``The visibility timeout of Amazon SQS hides a message`` keeps one run, ("visibility", "timeout"),
between "the" and "of": "Amazon SQS" is a service, and "hides" and "message" are everyday words alone.
"""

from __future__ import annotations

from graph.extract.abbreviations import abbreviations
from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.extract.runs import runs
from graph.model import service_key

__all__ = ["apply"]


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Record every block's runs of content words, and the unsupported rarer-word service mentions."""
    unsure: dict[int, list[tuple[int, int]]] = {}
    for index, span in ctx.unsure_services:
        unsure.setdefault(index, []).append((span.start_char, span.end_char))
    for index, block in enumerate(ctx.parsed.blocks):
        if block.kind == "code":
            continue
        taken = [(s.start_char, s.end_char) for s in ctx.services(index)] + unsure.get(index, [])
        for run in runs(block.text, taken):
            rec.phrase(run.words, index, run.before, run.after)
    for index, span in ctx.unsure_services:
        rec.unsure_service(service_key(span.label_), span.text, index)
    for block in ctx.parsed.blocks:
        if block.kind != "code" and "(" in block.text:
            for short, long in abbreviations(block.text):
                rec.abbreviation(ctx.term_key(short), ctx.term_key(long))
