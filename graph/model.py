"""Plain data passed between the extract and build stages.

An :class:`Extraction` is everything taken from one note: entity mentions,
relations, definition candidates, the sections that are about an entity, and
unfinished bits (placeholders). Each fact carries :class:`Evidence`: file,
line, heading path and the sentence or list item it came from. Extractions
are per note and depend only on that note's text, the catalog and the
pipeline version, so they can be cached per file.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
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
    "from_plain",
    "service_key",
    "term_node_key",
    "to_plain",
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
    "triggers": "the source triggers, invokes or orchestrates the target",
    "depends_on": "the source depends on, requires, runs on or is backed by the target",
    "kind_of": "the source is a kind (type, form) of the target",
    "replaces": "the source replaces or supersedes the target",
    "has": "the subject has, provides or is explained with the concept or feature",
    "acts_on": "the source monitors, protects, encrypts, filters, controls, analyses or generates the target",
    "links_to": "the notes on the source link to the target's page ([[wiki link]]), without saying how they relate",
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
    ``abbreviations`` the ``(short node, long node)`` pairs the note defines ("Amazon Machine Image (AMI)");
    ``item_subjects`` the ``(line, node)`` of each list item that speaks of a subject it does not name
    ("- Provides high availability" under DynamoDB), so that the corpus can relate the terms it finds there;
    ``subject_lines`` the ``(line, node)`` of each paragraph or item with a clause that speaks of its subject
    without naming it ("These provide IaaS" under Virtual Machines, see :func:`graph.extract.text.subject_openers`).
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
    item_subjects: list[tuple[int, str]] = field(default_factory=list)
    subject_lines: list[tuple[int, str]] = field(default_factory=list)


def service_key(catalog_id: str) -> str:
    """Node id of a catalog service."""
    return f"service:{catalog_id}"


def term_node_key(key: str) -> str:
    """Node id of a discovered term (concept, use case or technology)."""
    return f"term:{key}"


# --- plain data in and out (the extraction cache) -----------------------------------------------------------------

_SCALARS = (str, int, float, bool)


def to_plain(value):
    """*value* (dataclasses, lists, tuples, dicts and scalars) as JSON-ready lists, dicts and scalars.

    >>> to_plain(Evidence("a.md", 3, ("S3",), "text"))
    {'file': 'a.md', 'line': 3, 'section': ['S3'], 'text': 'text'}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if value is None or isinstance(value, _SCALARS):
        return value
    raise TypeError(f"cannot store a {type(value).__name__}")


def from_plain(kind, data):
    """The value of type *kind* (a dataclass or a type hint) that :func:`to_plain` turned into *data*.

    Every field is checked against its declared type; anything else (a missing or unknown field, a
    string where a number belongs) raises ``ValueError``, so stored data can never become another object.

    >>> from_plain(Evidence, {"file": "a.md", "line": 3, "section": ["S3"], "text": "text"}).cite()
    'a.md:3'
    """
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise ValueError(f"{kind.__name__}: expected an object")
        hints = _hints(kind)
        fields = {f.name: f for f in dataclasses.fields(kind)}
        if not set(data) <= set(fields):
            raise ValueError(f"{kind.__name__}: unknown fields {sorted(set(data) - set(fields))}")
        values = {}
        for name, f in fields.items():
            if name in data:
                values[name] = from_plain(hints[name], data[name])
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ValueError(f"{kind.__name__}: missing field {name!r}")
        return kind(**values)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (list, tuple):
        if not isinstance(data, list):
            raise ValueError(f"expected a list for {kind}")
        if origin is tuple and args and args[-1] is not Ellipsis:  # a fixed tuple: one type per place
            if len(data) != len(args):
                raise ValueError(f"expected {len(args)} items for {kind}")
            return tuple(from_plain(a, v) for a, v in zip(args, data, strict=True))
        items = [from_plain(args[0], v) for v in data] if args else list(data)
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {kind}")
        return {k: from_plain(args[1], v) for k, v in data.items()}
    if origin in (typing.Union, types.UnionType):
        for option in args:
            try:
                return from_plain(option, data)
            except ValueError:
                continue
        raise ValueError(f"{data!r} is none of {kind}")
    if kind is type(None):
        if data is not None:
            raise ValueError("expected null")
        return None
    if kind is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    if kind in _SCALARS and type(data) is kind:
        return data
    raise ValueError(f"expected {getattr(kind, '__name__', kind)}, not {type(data).__name__}")


@functools.cache
def _hints(kind: type) -> dict:
    return typing.get_type_hints(kind)
