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

import re

from graph.extract import terms
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
            for short, long in _abbreviations(block.text):
                rec.abbreviation(ctx.term_key(short), ctx.term_key(long))


_PARENTHESIS = re.compile(r"\(([^()]{1,80})\)")
_SHORT = re.compile(r"[A-Z][A-Za-z0-9]{1,7}")


def _abbreviations(text: str) -> list[tuple[str, str]]:
    """The ``(short, long)`` abbreviations *text* defines: "Amazon Machine Image (AMI)", "R53 (Route 53)".

    >>> _abbreviations("Launch from an Amazon Machine Image (AMI) or R53 (Route 53), not Lambda (serverless)")
    [('AMI', 'Amazon Machine Image'), ('R53', 'Route 53')]
    """
    found = []
    for match in _PARENTHESIS.finditer(text):
        inside = match.group(1).strip()
        before = [w.strip("*_`\"'“”‘’[]") for w in text[max(0, match.start() - 80) : match.start()].split()[-6:]]
        if _is_short(inside):
            short, long = inside, " ".join(before)
        elif before and _is_short(before[-1]):
            short, long = before[-1], inside
        else:
            continue
        long = _trim(short, long)
        if long:
            found.append((short, long))
    return found


def _is_short(word: str) -> bool:
    """An abbreviation: one word, at least two capitals or digits ("AMI", "R53", "IaaS")."""
    return bool(_SHORT.fullmatch(word)) and sum(c.isupper() or c.isdigit() for c in word) >= 2


def _trim(short: str, long: str) -> str:
    """The end of *long* whose initials spell *short* ("Launch Amazon Machine Image" -> "Amazon Machine Image")."""
    words = long.split()
    letters = short.rstrip("s").lower()
    for start in range(len(words)):
        candidate = words[start:]
        if candidate[0].lower() in terms.STOP_WORDS or len(candidate) < 2:
            continue
        if candidate[0][0].lower() == letters[0] and _spells(letters, " ".join(candidate).lower()):
            initials = [w[0].lower() for w in candidate if w.lower() not in terms.STOP_WORDS]
            if all(i in letters for i in initials):
                return " ".join(candidate)
    return ""


def _spells(letters: str, long: str) -> bool:
    at = 0
    for char in letters:
        at = long.find(char, at)
        if at < 0:
            return False
        at += 1
    return True
