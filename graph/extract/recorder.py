"""Where the extraction rules write what they find: :class:`Recorder`.

A rule calls ``rec.mention(...)``, ``rec.relate(...)``, ``rec.define(...)``, ``rec.own_section(...)`` or
``rec.placeholder(...)`` with the index of the block it read; the recorder attaches the evidence
(file, line, heading path, text of that block) and keeps everything in the order it was recorded.
:meth:`Recorder.extraction` is the note's :class:`~graph.model.Extraction`.

Order matters downstream (the first spelling, the first evidence, edge order), so rules run in a
fixed order (see :mod:`graph.extract.note`).
"""

from __future__ import annotations

import re

from graph.extract.context import NoteContext
from graph.model import SERVICE, Definition, Evidence, Extraction, Mention, OwnSection, Phrase, Placeholder, Relation
from graph.sources.markdown import Section

__all__ = ["Recorder"]


class Recorder:
    """Collects the mentions, relations, definitions, own sections and placeholders of one note."""

    def __init__(self, ctx: NoteContext) -> None:
        self.ctx = ctx
        note = ctx.parsed.note
        self._out = Extraction(path=note.path, digest=note.digest, repairs=note.repairs)
        self._out.words = ctx.words
        self._evidence: dict[int, Evidence] = {}

    @property
    def mentions(self) -> list[Mention]:
        """The mentions recorded so far, in order."""
        return self._out.mentions

    @property
    def relations(self) -> list[Relation]:
        """The relations recorded so far, in order."""
        return self._out.relations

    @property
    def definitions(self) -> list[Definition]:
        """The definitions recorded so far, in order."""
        return self._out.definitions

    @property
    def sections(self) -> list[OwnSection]:
        """The own sections recorded so far, in order."""
        return self._out.sections

    @property
    def placeholders(self) -> list[Placeholder]:
        """The placeholders recorded so far, in order."""
        return self._out.placeholders

    def evidence(self, index: int) -> Evidence:
        """Where block *index* is: file, line, heading path and (the start of) its text."""
        evidence = self._evidence.get(index)
        if evidence is None:
            parsed = self.ctx.parsed
            block = parsed.blocks[index]
            section = parsed.sections[block.section]
            evidence = self._evidence[index] = Evidence(parsed.path, block.line, section.path, block.text[:500])
        return evidence

    def mention(self, key: str, surface: str, kind: str, how: str, index: int) -> None:
        """Block *index* names *key* as *surface* (an entity of type *kind*, found by *how*)."""
        self._out.mentions.append(Mention(key, surface.strip(), kind, how, self.evidence(index)))

    def relate(self, source: str, target: str, relation: str, stated: bool, index: int, weight: float = 1.0) -> None:
        """Block *index* relates *source* to *target* (stated in words, or inferred); nothing for a self-loop."""
        if source == target:
            return
        self._out.relations.append(Relation(source, target, relation, stated, self.evidence(index), weight))

    def define(self, key: str, text: str, strength: int, index: int) -> None:
        """Record a definition candidate; it counts more inside the entity's own section, less when terse."""
        text = text.strip()
        if len(text) < 3 or text.endswith(("?", ":")) or not re.search(r"[A-Za-z]{3}", text):
            return
        block = self.ctx.parsed.blocks[index]
        if key in self.ctx.subjects.get(block.section, [])[:1]:
            strength += 1
        if len(text.split()) < 5:
            strength -= 1
        self._out.definitions.append(Definition(key, text[:500], strength, self.evidence(index)))

    def own_section(self, key: str, section: Section, content_lines: int, index: int) -> None:
        """*section* (its heading is block *index*) is the place where the notes explain *key*."""
        self._out.sections.append(
            OwnSection(key, section.title, section.start_line, section.end_line, content_lines, self.evidence(index))
        )

    def placeholder(self, kind: str, line: int, text: str, section: tuple[str, ...]) -> None:
        """Something left unfinished at *line* of the note ("to do", "empty link", "empty section")."""
        self._out.placeholders.append(Placeholder(kind, self.ctx.parsed.path, line, text, section))

    def phrase(self, words: tuple[str, ...], index: int, before: str = "", after: str = "") -> None:
        """Block *index* holds the run of content words *words* (between the stop words *before* and *after*)."""
        self._out.phrases.append(Phrase(words, self.evidence(index), before, after))

    def unsure_service(self, key: str, surface: str, index: int) -> None:
        """Block *index* may name service *key* as *surface*; the note alone does not say so surely."""
        self._out.unsure_services.append(Mention(key, surface.strip(), SERVICE, "text", self.evidence(index)))

    def abbreviation(self, short: str, long: str) -> None:
        """The note defines the node *short* as an abbreviation of the node *long* ("AMI" of "Amazon Machine Image")."""
        if short != long and (short, long) not in self._out.abbreviations:
            self._out.abbreviations.append((short, long))

    def extraction(self) -> Extraction:
        """Everything recorded, as the note's extraction."""
        return self._out
