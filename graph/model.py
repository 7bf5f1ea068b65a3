"""Plain data passed between the extract and build stages.

An :class:`Extraction` is everything taken from one note: entity mentions,
relations, definition candidates, the sections that are about an entity, and
unfinished bits (placeholders). Each fact carries :class:`Evidence`: file,
line, heading path and the sentence or list item it came from. Extractions
are per note and depend only on that note's text, the catalog and the
pipeline version, so they can be cached per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CONCEPT",
    "ENTITY_TYPES",
    "INFERRED",
    "RELATIONS",
    "SERVICE",
    "TECHNOLOGY",
    "USE_CASE",
    "Definition",
    "Evidence",
    "Extraction",
    "Mention",
    "OwnSection",
    "Phrase",
    "Placeholder",
    "Relation",
    "service_key",
    "term_node_key",
]

#: Entity types.
SERVICE = "service"
CONCEPT = "concept"
USE_CASE = "use_case"
TECHNOLOGY = "technology"
ENTITY_TYPES = (SERVICE, CONCEPT, USE_CASE, TECHNOLOGY)

#: Relation types. Directed ones read "source RELATION target".
RELATIONS = {
    "feeds": "a pipeline step passes data to the next (from an arrow chain)",
    "delivers_to": "the source delivers or writes data to the target",
    "consumed_by": "the source's data is consumed by the target",
    "ingests_from": "the source takes data in from the target",
    "connects_to": "the source connects to or integrates with the target",
    "part_of": "the source is a member of the target family or product",
    "compared_with": "the two are compared or contrasted (direction is the order in the text)",
    "used_for": "the service is used for the use case",
    "has": "the subject has, provides or is explained with the concept or feature",
    "related_to": "inferred: mentioned together in a sentence, list item or section",
}
INFERRED = "related_to"


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: file, 1-based line, heading path, and the sentence or item."""

    file: str
    line: int
    section: tuple[str, ...]
    text: str

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "section": list(self.section), "text": self.text}

    @classmethod
    def from_dict(cls, data: dict) -> Evidence:
        return cls(data["file"], int(data["line"]), tuple(data.get("section", ())), data.get("text", ""))

    def cite(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Mention:
    """An entity named in a note.

    ``key`` is the node id (``service:<catalog id>`` or ``term:<term key>``);
    ``kind`` is the entity type this mention votes for; ``how`` says what
    found it (heading, definition, list, arrow, emphasis, name, text).
    """

    key: str
    surface: str
    kind: str
    how: str
    evidence: Evidence


@dataclass(frozen=True)
class Relation:
    """A typed relation between two entity keys, with the evidence for it."""

    source: str
    target: str
    relation: str
    stated: bool
    evidence: Evidence
    weight: float = 1.0


@dataclass(frozen=True)
class Definition:
    """A candidate explanation of an entity; higher ``strength`` wins."""

    key: str
    text: str
    strength: int
    evidence: Evidence


@dataclass(frozen=True)
class OwnSection:
    """A section whose heading is about the entity ``key`` (it has a section of its own)."""

    key: str
    title: str
    start_line: int
    end_line: int
    content_lines: int
    evidence: Evidence


@dataclass(frozen=True)
class Placeholder:
    """Something the author left unfinished: a TODO, an empty link, an empty section."""

    kind: str
    file: str
    line: int
    text: str
    section: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phrase:
    """A run of content words in a block, between stop words, punctuation and service names.

    The raw material of corpus-level terms (:mod:`graph.store.terms`): which runs recur across
    notes and sections is only known once every note is read, so each note keeps its runs.
    ``words`` are as written; ``evidence`` is the block's (shared by the runs of one block); ``before`` and
    ``after`` are the stop words right before and after the run, lower-cased ("" at punctuation): "the" before
    a run says noun, "the" after it says its last word is a verb taking an object.
    """

    words: tuple[str, ...]
    evidence: Evidence
    before: str = ""
    after: str = ""


@dataclass
class Extraction:
    """All facts taken from one note.

    ``phrases`` are the note's candidate terms (see :class:`Phrase`); ``unsure_services`` the service
    mentions by a rarer everyday word ("Lambda") that the note alone did not support: the corpus may;
    ``abbreviations`` the ``(short node, long node)`` pairs the note defines ("Amazon Machine Image (AMI)").
    """

    path: str
    digest: str
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    sections: list[OwnSection] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    repairs: tuple[str, ...] = ()
    words: int = 0
    phrases: list[Phrase] = field(default_factory=list)
    unsure_services: list[Mention] = field(default_factory=list)
    abbreviations: list[tuple[str, str]] = field(default_factory=list)


def service_key(catalog_id: str) -> str:
    """Node id of a catalog service."""
    return f"service:{catalog_id}"


def term_node_key(key: str) -> str:
    """Node id of a discovered term (concept, use case or technology)."""
    return f"term:{key}"
