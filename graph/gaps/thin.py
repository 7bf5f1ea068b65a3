"""Thin topics: explained services that are explained thinly.

Only services with a section or definition are checked (one that is merely
named is an :mod:`graph.gaps.unexplained` matter). The reasons a service is
thin: no use case, no relation beyond co-occurrence, only one-line sections.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> section = {"file": "a.md", "start_line": 3, "end_line": 4, "title": "AWS X-Ray", "content_lines": 1}
>>> graph.add_node("service:xray", label="AWS X-Ray", type="service", mention_count=1, sections=[section])
>>> [(t.label, t.reasons) for t in thin_topics(graph)]
[('AWS X-Ray', ('no use case', 'no relation beyond co-occurrence', 'one-line section'))]
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.gaps.base import GapContext, GapKind, Step, _first
from graph.gaps.common import Place, _explained, _explained_places, _explaining_sections, _has_subsections
from graph.model import INFERRED, SERVICE

__all__ = [
    "CATALOG_EVIDENCE",
    "NO_USE_CASE",
    "ONE_LINE_SECTION",
    "ONLY_COOCCURRENCE",
    "ThinKind",
    "ThinTopic",
    "thin_topics",
]

#: Thin-topic reasons.
NO_USE_CASE = "no use case"
ONLY_COOCCURRENCE = "no relation beyond co-occurrence"
ONE_LINE_SECTION = "one-line section"
#: Evidence file of the part_of edges the build adds from the catalog (not read in the notes).
CATALOG_EVIDENCE = "(service catalog)"


@dataclass(frozen=True)
class ThinTopic:
    """An explained service that is explained thinly; ``reasons`` lists why, ``places`` where it is explained."""

    node: str
    label: str
    reasons: tuple[str, ...]
    mention_count: int
    in_syllabus: bool = False
    places: tuple[Place, ...] = ()


def thin_topics(graph: nx.MultiDiGraph, syllabus_nodes: frozenset[str] | set[str] = frozenset()) -> list[ThinTopic]:
    """Explained services that are explained thinly.

    Only services with a section or definition are checked (one that is
    merely named is an :func:`~graph.gaps.unexplained.unexplained_entities` matter). Reasons:

    - ``"no use case"``: no ``used_for`` relation;
    - ``"no relation beyond co-occurrence"``: every relation read in the
      notes is the inferred ``related_to`` (part_of links taken from the
      service catalog do not count);
    - ``"one-line section"``: it has sections of its own, and none has more
      than one line of text or any sub-section.

    Returns
    -------
    list of ThinTopic
        Syllabus topics first, then most reasons, then most mentioned.
    """
    found = []
    for node, data in graph.nodes(data=True):
        if data.get("type") != SERVICE or not _explained(data):
            continue
        edges = [*graph.out_edges(node, data=True), *graph.in_edges(node, data=True)]
        reasons = []
        if not any(e["relation"] == "used_for" for _, _, e in edges):
            reasons.append(NO_USE_CASE)
        if not any(e["relation"] != INFERRED and not _from_catalog_only(e) for _, _, e in edges):
            reasons.append(ONLY_COOCCURRENCE)
        sections = _explaining_sections(data)
        if sections and all(_one_line(s) for s in sections):
            reasons.append(ONE_LINE_SECTION)
        if reasons:
            found.append(
                ThinTopic(
                    node=node,
                    label=data.get("label", node),
                    reasons=tuple(reasons),
                    mention_count=int(data.get("mention_count", 0)),
                    in_syllabus=node in syllabus_nodes,
                    places=_explained_places(data),
                )
            )
    found.sort(key=lambda t: (not t.in_syllabus, -len(t.reasons), -t.mention_count, t.label.casefold(), t.node))
    return found


class ThinKind(GapKind):
    """Services explained thinly (:func:`thin_topics`)."""

    name = "thin"
    title = "Thin topics"

    def find(self, graph: nx.MultiDiGraph, context: GapContext) -> list[ThinTopic]:
        return thin_topics(graph, context.syllabus_nodes)

    def steps(self, found: list[ThinTopic], context: GapContext) -> list[Step]:
        """Deepen them, naming the first two and why they are thin."""
        if not found:
            return []
        return [
            Step(
                "thin",
                f"Deepen {len(found)} thinly explained service(s), starting with "
                + _first([f"{t.label} ({'; '.join(t.reasons)})" for t in found], 2),
            )
        ]


def _one_line(section: dict) -> bool:
    return int(section.get("content_lines", 0)) <= 1 and not _has_subsections(section)


def _from_catalog_only(edge: dict) -> bool:
    evidence = edge.get("evidence") or []
    return bool(evidence) and all(e.get("file") == CATALOG_EVIDENCE for e in evidence)
