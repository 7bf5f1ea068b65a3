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
from graph.extract.fragments import is_fragment
from graph.model import (
    INFERRED,
    SERVICE,
    USE_CASE,
    Definition,
    Evidence,
    Extraction,
    Mention,
    OwnSection,
    Phrase,
    Placeholder,
    Relation,
)
from graph.sources.markdown import Section

__all__ = ["Recorder"]

#: A definition holds a word: three letters in a row somewhere.
_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")


class Recorder:
    """Collects the mentions, relations, definitions, own sections and placeholders of one note."""

    def __init__(self, ctx: NoteContext) -> None:
        self.ctx = ctx
        note = ctx.parsed.note
        self._out = Extraction(path=note.path, digest=note.digest, repairs=note.repairs + ctx.parsed.cuts)
        self._out.words = ctx.words
        self._evidence: dict[int, Evidence] = {}
        # Keys written only as fragments ("Cannot", "ALLOW", "Module 2") are dropped with their facts.
        self._fragment_keys: set[str] = set()
        self._named_keys: set[str] = set()
        # Block index -> the pairs its stated relations join, so a rule can leave a pair another rule related.
        self._stated: dict[int, set[frozenset[str]]] = {}

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

    def mention(self, key: str, surface: str, kind: str, how: str, index: int, at: Evidence | None = None) -> None:
        """Block *index* names *key* as *surface* (an entity of type *kind*, found by *how*).

        A surface that names no topic (see :mod:`graph.extract.fragments`) is not a mention; a key
        only ever written so is dropped, with its relations, when :meth:`extraction` is read.
        *at* is evidence outside the note's blocks (a front matter line, see :meth:`evidence_at`).
        """
        if kind != SERVICE and (is_fragment(surface.strip()) if at else self._is_fragment(surface, kind, index)):
            self._fragment_keys.add(key)
            return
        self._named_keys.add(key)
        self._out.mentions.append(Mention(key, surface.strip(), kind, how, at or self.evidence(index)))

    def relate(
        self,
        source: str,
        target: str,
        relation: str,
        stated: bool,
        index: int,
        weight: float = 1.0,
        at: Evidence | None = None,
    ) -> None:
        """Block *index* (or evidence *at*) relates *source* to *target* (stated, or inferred); not to itself."""
        if source == target:
            return
        if stated and relation != INFERRED and at is None:
            self._stated.setdefault(index, set()).add(frozenset((source, target)))
        self._out.relations.append(Relation(source, target, relation, stated, at or self.evidence(index), weight))

    def stated_pairs(self, index: int) -> frozenset[frozenset[str]]:
        """The pairs of entities a stated relation (not an inferred one) from block *index* joins so far."""
        return frozenset(self._stated.get(index, ()))

    def evidence_at(self, line: int, text: str) -> Evidence:
        """Evidence for a line outside the note's blocks: the front matter (blanked in the text, so no block)."""
        return Evidence(self.ctx.parsed.path, line, (), text[:500])

    def define(self, key: str, text: str, strength: int, index: int) -> None:
        """Record a definition candidate; it counts more inside the entity's own section, less when terse."""
        text = text.strip()
        if len(text) < 3 or text.endswith(("?", ":")) or not _THREE_LETTERS.search(text):
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

    def item_subject(self, index: int, key: str) -> None:
        """Block *index* is a list item about *key* that does not name it ("- Provides high availability")."""
        self._out.item_subjects.append((self.ctx.parsed.blocks[index].line, key))

    def subject_line(self, index: int, key: str) -> None:
        """Block *index* has a clause about *key* that does not name it ("These provide IaaS" under VMs)."""
        self._out.subject_lines.append((self.ctx.parsed.blocks[index].line, key))

    def abbreviation(self, short: str, long: str) -> None:
        """The note defines the node *short* as an abbreviation of the node *long* ("AMI" of "Amazon Machine Image")."""
        if short != long and (short, long) not in self._out.abbreviations:
            self._out.abbreviations.append((short, long))

    def extraction(self) -> Extraction:
        """Everything recorded, as the note's extraction (less the facts about fragments)."""
        dropped = self._fragment_keys - self._named_keys
        if dropped:
            out = self._out
            out.relations[:] = [r for r in out.relations if r.source not in dropped and r.target not in dropped]
            out.definitions[:] = [d for d in out.definitions if d.key not in dropped]
            out.sections[:] = [s for s in out.sections if s.key not in dropped]
        return self._out

    def _is_fragment(self, surface: str, kind: str, index: int) -> bool:
        block = self.ctx.parsed.blocks[index]
        surface = surface.strip()
        at = block.text.find(surface) if surface else -1
        after = block.text[at + len(surface) : at + len(surface) + 90] if at >= 0 else ""
        before = block.text[max(0, at - 90) : at] if at >= 0 else ""
        return is_fragment(surface, after, before, heading=block.kind == "heading", task=kind == USE_CASE)
