"""The plain data of query answers: a topic as a person sees it, and one relation with its evidence.

>>> Topic("service:sqs", "Amazon SQS", "service").label
'Amazon SQS'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from graph.store.edges import edge_kind

__all__ = ["EVIDENCE_PER_LINK", "Link", "Topic", "link", "topic"]

#: Evidence items kept per link in a query result (the graph keeps up to 20 per edge).
EVIDENCE_PER_LINK = 3


@dataclass(frozen=True)
class Topic:
    """A node as a person sees it: id, label and type."""

    id: str
    label: str
    type: str


@dataclass
class Link:
    """One relation between two topics, in its own direction (``source -relation-> target``).

    ``kind`` is :func:`edge_kind`; ``evidence`` holds the first few evidence items.
    """

    source: str
    target: str
    relation: str
    kind: str
    weight: float
    evidence: list[dict] = field(default_factory=list)


def topic(graph: nx.MultiDiGraph, node: str) -> Topic:
    """The :class:`Topic` of *node*."""
    data = graph.nodes[node]
    return Topic(node, data.get("label", node), data.get("type", ""))


def link(source: str, target: str, data: dict) -> Link:
    """The :class:`Link` for the edge ``source -> target`` with attribute dict *data*."""
    return Link(
        source,
        target,
        data["relation"],
        edge_kind(data),
        float(data.get("weight", 1.0)),
        list(data.get("evidence", []))[:EVIDENCE_PER_LINK],
    )
