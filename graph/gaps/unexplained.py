"""Unexplained topics: what the notes lean on (name in several places) but never explain.

A topic is explained when it has a section of its own that holds something
or a definition found in the notes (:mod:`graph.gaps.common`). Use cases are
left out: they say what something is for; they are not things to define.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("service:sqs", label="Amazon SQS", type="service", mention_count=3, files=["a.md"])
>>> graph.add_node("service:sns", label="Amazon SNS", type="service", mention_count=1, files=["a.md"])
>>> _ = graph.add_edge("service:sqs", "service:sns", relation="related_to", weight=1)
>>> [(t.label, t.mention_count, t.neighbours, t.score) for t in unexplained_entities(graph)]
[('Amazon SQS', 3, 1, 2.45)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

from graph.gaps.base import GapContext, GapKind, Step, _first
from graph.gaps.common import Place, _explained, _mention_places, _undirected
from graph.model import SERVICE, USE_CASE

__all__ = ["UnexplainedKind", "UnexplainedTopic", "unexplained_entities"]


@dataclass(frozen=True)
class UnexplainedTopic:
    """A topic named in several places but never explained.

    ``neighbours`` is how many topics it is linked to; ``score`` is
    ``sqrt(mention_count * (1 + neighbours))``, so both how often and how
    centrally it is used count.
    """

    node: str
    label: str
    type: str
    mention_count: int
    neighbours: int
    files: int
    score: float
    in_syllabus: bool = False
    places: tuple[Place, ...] = ()


def unexplained_entities(
    graph: nx.MultiDiGraph, min_mentions: int = 2, syllabus_nodes: frozenset[str] | set[str] = frozenset()
) -> list[UnexplainedTopic]:
    """Topics named in at least *min_mentions* places with no section or definition of their own.

    Use cases are left out (they say what something is for; they are not
    things to define).

    Parameters
    ----------
    graph : MultiDiGraph
    min_mentions : int, default 2
        Fewer mentions than this is a passing remark, not something the notes lean on.
    syllabus_nodes : set of str, optional
        Node ids a syllabus lists; these are marked and ranked first.

    Returns
    -------
    list of UnexplainedTopic
        Syllabus topics first, then services (named AWS products, which an
        exam asks about), then other topics; each group by ``score`` (see
        :class:`UnexplainedTopic`), highest first.
    """
    simple = _undirected(graph)
    found = []
    for node, data in graph.nodes(data=True):
        mentions = int(data.get("mention_count", 0))
        if _explained(data) or data.get("type") == USE_CASE or mentions < min_mentions:
            continue
        neighbours = simple.degree(node) if node in simple else 0
        found.append(
            UnexplainedTopic(
                node=node,
                label=data.get("label", node),
                type=data.get("type", ""),
                mention_count=mentions,
                neighbours=neighbours,
                files=len(data.get("files", [])),
                score=round(math.sqrt(mentions * (1 + neighbours)), 2),
                in_syllabus=node in syllabus_nodes,
                places=_mention_places(data),
            )
        )
    found.sort(key=lambda t: (not t.in_syllabus, t.type != SERVICE, -t.score, t.label.casefold(), t.node))
    return found


class UnexplainedKind(GapKind):
    """Topics named in several places but never explained (:func:`unexplained_entities`)."""

    name = "unexplained"
    title = "Mentioned but never explained"

    def find(self, graph: nx.MultiDiGraph, context: GapContext) -> list[UnexplainedTopic]:
        return unexplained_entities(graph, context.min_mentions, context.syllabus_nodes)

    def steps(self, found: list[UnexplainedTopic], context: GapContext) -> list[Step]:
        """Explain what the notes lean on; the syllabus topics among them are already a coverage step."""
        lean = [t for t in found if not t.in_syllabus]
        if not lean:
            return []
        return [
            Step(
                "unexplained",
                f"Explain {len(lean)} topic(s) the notes lean on without explaining: "
                + _first([f"{t.label} ({t.mention_count} places)" for t in lean]),
            )
        ]
