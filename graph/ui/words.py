"""Relations and path costs in plain words: the one table the explorer and the command line read them from.

A relation id (``delivers_to``) is how the graph file names a relation; a
person reads "delivers to". :data:`RELATION_WORDS` gives each relation its
words read forwards (``A feeds into B``) and backwards (``B is fed by A``);
:func:`relation_words` picks one by direction, :func:`relation_name` names a
relation in a filter or legend, and :func:`route_cost_words` says what a path
costs in steps ("3 stated steps") instead of the search's weights.

>>> relation_words("consumed_by")
'is read by'
>>> relation_words("consumed_by", forward=False)
'reads from'
>>> route_cost_words({"stated": 2, "catalog": 0, "inferred": 1})
'2 stated steps, 1 step mentioned together'
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.model import RELATIONS

__all__ = ["KIND_WORDS", "RELATION_WORDS", "relation_name", "relation_words", "route_cost_words"]

#: Each relation read forwards (source ... target) and backwards (target ... source).
RELATION_WORDS: dict[str, tuple[str, str]] = {
    "feeds": ("feeds into", "is fed by"),
    "delivers_to": ("delivers to", "receives from"),
    "consumed_by": ("is read by", "reads from"),
    "ingests_from": ("takes data from", "gives data to"),
    "connects_to": ("connects to", "is connected from"),
    "part_of": ("is part of", "includes"),
    "compared_with": ("is compared with", "is compared with"),
    "used_for": ("is used for", "is done with"),
    "triggers": ("triggers", "is triggered by"),
    "depends_on": ("depends on", "is needed by"),
    "kind_of": ("is a kind of", "has the kind"),
    "replaces": ("replaces", "is replaced by"),
    "acts_on": ("acts on", "is acted on by"),
    "has": ("has", "belongs to"),
    "links_to": ("links to", "is linked from"),
    "related_to": ("mentioned together", "mentioned together"),
}
#: How a link is known (:func:`graph.store.edges.edge_kind`), in words.
KIND_WORDS = {"stated": "stated in the notes", "catalog": "from the service catalog", "inferred": "mentioned together"}
# A table that misses a relation would show its id: fail at import, not in a page.
assert set(RELATION_WORDS) == set(RELATIONS), sorted(set(RELATIONS) ^ set(RELATION_WORDS))


def relation_words(relation: str, forward: bool = True) -> str:
    """*relation* in words, read from its source (*forward*) or from its target; an unknown id as is."""
    words = RELATION_WORDS.get(relation)
    if words is None:
        return relation.replace("_", " ")
    return words[0] if forward else words[1]


def relation_name(relation: str) -> str:
    """A relation's name for a filter or legend: its forward words ("feeds into", "mentioned together")."""
    return relation_words(relation)


def route_cost_words(kinds: Mapping[str, int]) -> str:
    """A path's cost from how many of its steps are of each kind (``stated``, ``catalog``, ``inferred``).

    >>> route_cost_words({"stated": 3})
    '3 stated steps'
    >>> route_cost_words({"stated": 1, "catalog": 1})
    '1 stated step, 1 step through the service catalog'
    """
    parts = []
    for kind, one, many in (
        ("stated", "stated step", "stated steps"),
        ("catalog", "step through the service catalog", "steps through the service catalog"),
        ("inferred", "step mentioned together", "steps mentioned together"),
    ):
        n = int(kinds.get(kind, 0))
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts) or "no steps"
