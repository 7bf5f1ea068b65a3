"""Duplicated coverage: topics explained in more than one place, so the author can merge them.

A place is a section of the topic's own, or a run of them one right after
the other in the same file. A section counts for a topic only when its
heading is mainly about it: a heading that names another service first
("Athena = SQL Over S3") is about that one, unless the names are just
joined ("DMS + SCT", "Athena, Glue and S3"); names are found in headings as
whole words (:func:`graph.gaps.common._services_named_in`).

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> sections = [
...     {"file": "a.md", "start_line": 3, "end_line": 6, "title": "Amazon SQS", "content_lines": 2},
...     {"file": "b.md", "start_line": 8, "end_line": 10, "title": "SQS queues", "content_lines": 2},
... ]
>>> graph.add_node("service:sqs", label="Amazon SQS", aliases=["SQS"], type="service", sections=sections)
>>> [(d.label, [p.cite() for p in d.places]) for d in duplicated_coverage(graph)]
[('Amazon SQS', ['a.md:3', 'b.md:8'])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx

from graph.gaps.base import GapContext, GapKind, Step, _first
from graph.gaps.common import (
    _SECTION_SLACK,
    Place,
    _explaining_sections,
    _first_match,
    _names,
    _services_named_in,
)
from graph.model import SERVICE

__all__ = ["DuplicatedTopic", "DuplicatesKind", "duplicated_coverage"]

#: What may stand between two names in a heading that is about both ("DMS + SCT", "Athena, Glue and S3").
_JOINER = re.compile(r"[\s+&,/]*(?:\b(?:and|or)\b[\s+&,/]*)?", re.IGNORECASE)


@dataclass(frozen=True)
class DuplicatedTopic:
    """A topic explained in more than one section of its own; ``places`` gives each section's heading."""

    node: str
    label: str
    places: tuple[Place, ...]
    content_lines: tuple[int, ...]


def duplicated_coverage(graph: nx.MultiDiGraph) -> list[DuplicatedTopic]:
    """Topics explained in two or more separate places, so the author can merge them.

    A place is a section of the topic's own, or a run of them one right
    after the other in the same file (nothing but blank lines between them) ("Route 53 Overview" then "Route 53
    Routing Policies" is one place, split by aspect). A section counts for a
    topic only when its heading is mainly about it: a heading that names
    another service first ("Athena = SQL Over S3") is about that one, unless
    the names are just joined ("DMS + SCT"). Nested
    sections about the same topic are already one section (see the build).

    Returns
    -------
    list of DuplicatedTopic
        Most places first, then by label. Each place is the first heading of
        its run; ``content_lines`` sums the run's lines of text.
    """
    service_names = {node: _names(data) for node, data in graph.nodes(data=True) if data.get("type") == SERVICE}
    named_in = _services_named_in(service_names)
    headings = _known_headings(graph)
    found = []
    for node, data in graph.nodes(data=True):
        sections = _explaining_sections(data)
        if len(sections) < 2:
            continue
        own = _names(data)
        main = [s for s in sections if not _named_after_another(s["title"], own, node, named_in)]
        runs: list[list[dict]] = []
        for section in sorted(main, key=lambda s: (s["file"], int(s["start_line"]))):
            last = runs[-1][-1] if runs else None
            if last and last["file"] == section["file"] and _next_to(last, section, headings.get(section["file"], [])):
                runs[-1].append(section)
            else:
                runs.append([section])
        if len(runs) >= 2:
            found.append(
                DuplicatedTopic(
                    node=node,
                    label=data.get("label", node),
                    places=tuple(Place(r[0]["file"], int(r[0]["start_line"]), r[0]["title"]) for r in runs),
                    content_lines=tuple(sum(int(s.get("content_lines", 0)) for s in r) for r in runs),
                )
            )
    found.sort(key=lambda d: (-len(d.places), d.label.casefold(), d.node))
    return found


class DuplicatesKind(GapKind):
    """Topics explained in more than one place (:func:`duplicated_coverage`)."""

    name = "duplicates"
    title = "Duplicated coverage"

    def find(self, graph: nx.MultiDiGraph, context: GapContext) -> list[DuplicatedTopic]:
        return duplicated_coverage(graph)

    def steps(self, found: list[DuplicatedTopic], context: GapContext) -> list[Step]:
        """Merge them, citing each place."""
        if not found:
            return []
        return [
            Step(
                "duplicates",
                f"Merge {len(found)} topic(s) explained in more than one place: "
                + _first([f"{d.label} ({', '.join(p.cite() for p in d.places)})" for d in found]),
            )
        ]


def _known_headings(graph: nx.MultiDiGraph) -> dict[str, list[int]]:
    """Start lines of every heading the graph knows of, per file: topics' own sections and empty sections."""
    found: dict[str, set[int]] = {}
    for _, data in graph.nodes(data=True):
        for section in data.get("sections", []):
            found.setdefault(section["file"], set()).add(int(section["start_line"]))
    for spot in graph.graph.get("placeholders") or []:
        if spot.get("kind") == "empty section":
            found.setdefault(spot["file"], set()).add(int(spot["line"]))
    return {file: sorted(lines) for file, lines in found.items()}


def _next_to(before: dict, after: dict, headings: list[int]) -> bool:
    """True when *after* follows *before* with only blank lines or rules, and no known heading, between them."""
    end, start = int(before["end_line"]), int(after["start_line"])
    return start - end <= 1 + _SECTION_SLACK and not any(end < line < start for line in headings)


def _named_after_another(title: str, own: list[str], node: str, named_in) -> bool:
    """True when *title* names another service than *node* before *node*'s own name (and not just joined)."""
    mine = _first_match(title, own)
    if mine is None:
        return False
    for other, (_, end) in named_in(title).items():
        if other != node and end <= mine[0] and not _JOINER.fullmatch(title[end : mine[0]]):
            return True
    return False
