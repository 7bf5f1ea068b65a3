"""Extracting a small note written in a test: one place for the test modules of the extraction rules.

>>> from graph.extract.pipeline import make_pipeline
>>> found = stated(make_pipeline(), "## Amazon Kinesis\\n\\n- Kinesis vs SQS\\n")
>>> joined(found, "service:kinesis", "service:sqs")
{'compared_with'}
"""

from __future__ import annotations

from spacy.language import Language

from graph.extract.context import NoteContext, build_context
from graph.extract.note import extract_note
from graph.extract.recorder import Recorder
from graph.extract.rules import entities, subjects
from graph.model import Extraction
from graph.sources.markdown import ParsedNote, parse_note
from graph.sources.notes import decode_note

__all__ = ["context", "extract", "joined", "parse_text", "stated"]


def parse_text(text: str) -> ParsedNote:
    """*text* read and parsed as the note ``note.md``."""
    note, problem = decode_note("note.md", text.encode())
    assert note is not None, problem
    return parse_note(note)


def extract(nlp: Language, text: str) -> Extraction:
    """The whole extraction of a note holding *text*."""
    return extract_note(parse_text(text), nlp)


def stated(nlp: Language, text: str) -> set[tuple[str, str, str, int]]:
    """(source, relation, target, line) of every stated, non-inferred relation the whole extraction records."""
    return {(r.source, r.relation, r.target, r.evidence.line) for r in extract(nlp, text).relations if r.stated}


def joined(found: set[tuple], a: str, b: str) -> set[str]:
    """The relations of *found* (from :func:`stated`) joining *a* and *b* either way."""
    return {r for s, r, t, _ in found if {s, t} == {a, b}}


def context(nlp: Language, text: str, prepare: bool = True) -> NoteContext:
    """The context of a note holding *text*; with *prepare*, subjects and block entities are filled in."""
    ctx = build_context(parse_text(text), nlp)
    if prepare:
        subjects.apply(ctx, Recorder(ctx))
        entities.apply(ctx, Recorder(ctx))
    return ctx
