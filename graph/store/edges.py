"""How an edge counts: its kind, its cost on a path, its strength, and which edges a query follows.

The one place that says what an edge of the built graph means to the queries and the view:

* :func:`edge_kind`: stated by the notes, taken from the service catalog, or inferred from co-occurrence;
* :func:`edge_cost` of one hop on a path and :func:`link_strength` of a tie;
* :class:`EdgeFilter`: the relations, least weight and stated-only choice of a query, so the query that
  walks the graph and the view that draws it follow the very same edges;
* :class:`QueryError` and the checks of relation and topic-type names.

>>> EdgeFilter.of(relations=["feeds"]).follows({"relation": "feeds", "weight": 1.0, "stated": True})
True
>>> edge_kind({"relation": "related_to", "weight": 0.5})
'inferred'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.model import ENTITY_TYPES, INFERRED, RELATIONS

__all__ = [
    "CATALOG",
    "CO_OCCURRENCE",
    "FLOW_RELATIONS",
    "KIND_COST",
    "STATED",
    "EdgeFilter",
    "QueryError",
    "check_relations",
    "check_types",
    "edge_cost",
    "edge_kind",
    "link_strength",
]

#: Edge kinds: said by the notes, taken from the service catalog (part_of families), inferred from co-occurrence.
STATED, CATALOG, CO_OCCURRENCE = "stated", "catalog", "inferred"
#: Path cost per hop by edge kind: a path the notes state wins unless it is five times as long as an inferred one.
KIND_COST = {STATED: 1.0, CATALOG: 2.0, CO_OCCURRENCE: 5.0}
#: Relations that pass data along a pipeline (an arrow chain or "X delivers to Y").
FLOW_RELATIONS = ("feeds", "delivers_to", "consumed_by", "ingests_from")


class QueryError(ValueError):
    """A query got a value it cannot use (a depth of 10, an unknown relation); the message says what is valid."""


def edge_kind(data: dict) -> str:
    """``"stated"``, ``"catalog"`` or ``"inferred"`` for an edge's attribute dict."""
    if data.get("stated"):
        return STATED
    return CO_OCCURRENCE if data.get("relation") == INFERRED else CATALOG


def edge_cost(data: dict) -> float:
    """Cost of one hop over this edge: its kind's cost, a little less the more evidence there is."""
    return KIND_COST[edge_kind(data)] + 0.1 / (1.0 + float(data.get("weight", 1.0)))


def link_strength(data: dict) -> float:
    """How strongly an edge ties its ends: its weight, doubled when stated (as for the communities)."""
    return float(data.get("weight", 1.0)) * (2.0 if data.get("stated") else 1.0)


def check_relations(relations: Iterable[str] | None) -> frozenset[str] | None:
    """*relations* as a set, or ``None`` for all; raises :class:`QueryError` naming the valid ones."""
    return _check_names(relations, tuple(RELATIONS), "relation")


def check_types(types: Iterable[str] | None) -> frozenset[str] | None:
    """*types* as a set, or ``None`` for all; raises :class:`QueryError` naming the valid ones."""
    return _check_names(types, ENTITY_TYPES, "topic type")


def _check_names(names: Iterable[str] | None, valid: tuple[str, ...], what: str) -> frozenset[str] | None:
    if names is None:
        return None
    chosen = frozenset(names)
    unknown = sorted(chosen - set(valid))
    if unknown:
        raise QueryError(f"unknown {what} {', '.join(map(repr, unknown))}; valid: {', '.join(valid)}")
    return chosen


@dataclass(frozen=True)
class EdgeFilter:
    """Which edges a query follows: some *relations* (``None``: all), of at least *min_weight*, stated only or not."""

    relations: frozenset[str] | None = None
    min_weight: float = 0.0
    stated_only: bool = False

    @classmethod
    def of(cls, relations: Iterable[str] | None = None, min_weight: float = 0.0, stated_only: bool = False):
        """A checked filter; raises :class:`QueryError` for an unknown relation or a negative weight."""
        if min_weight < 0:
            raise QueryError("min-weight must not be negative")
        return cls(check_relations(relations), float(min_weight), bool(stated_only))

    @property
    def follows_all(self) -> bool:
        """True when every edge of weight >= 0 is followed (the unfiltered walk)."""
        return self.relations is None and self.min_weight == 0 and not self.stated_only

    def follows(self, data: dict) -> bool:
        """Whether an edge with attribute dict *data* is followed."""
        return (
            (self.relations is None or data["relation"] in self.relations)
            and float(data.get("weight", 1.0)) >= self.min_weight
            and (not self.stated_only or bool(data.get("stated")))
        )
