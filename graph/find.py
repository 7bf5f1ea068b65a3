"""Find a node by the name a person types.

:func:`find_node` accepts any alias in any case, with or without "Amazon" or
"AWS", with spaces or hyphens dropped ("dynamo db"), and small typos ("Step
Function"), using RapidFuzz for the fuzzy part. An unknown name raises
:class:`NodeNotFound` with the closest few names; an ambiguous one raises
:class:`AmbiguousName` with the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx
from rapidfuzz import fuzz, process

_VENDOR = re.compile(r"^(?:amazon|aws)\s+", re.IGNORECASE)
#: A fuzzy match is taken without asking when it scores at least this and clearly beats the next node.
ACCEPT_SCORE = 88.0
CLEAR_MARGIN = 4.0


class NodeNotFound(LookupError):
    """No node has that name; ``suggestions`` holds the closest labels."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"no topic named {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


class AmbiguousName(LookupError):
    """Several nodes share that name; ``candidates`` holds (id, label, type)."""

    def __init__(self, name: str, candidates: list[tuple[str, str, str]]) -> None:
        listed = ", ".join(f"{label} ({kind})" for _, label, kind in candidates)
        super().__init__(f"{name!r} could mean several topics: {listed}; give the full name or the id")
        self.name = name
        self.candidates = candidates


def normalise(name: str) -> str:
    """The form names are compared in: lower case, no vendor prefix, letters and digits only."""
    name = _VENDOR.sub("", name.strip())
    name = _VENDOR.sub("", name)
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


@dataclass
class NameIndex:
    """Normalised names of every node, for exact and fuzzy lookup."""

    exact: dict[str, list[str]]
    choices: list[str]
    owners: list[str]


def name_index(graph: nx.Graph) -> NameIndex:
    """Index every label, alias, full name and catalog name of the nodes of *graph*."""
    cached = graph.graph.get("_name_index")
    if isinstance(cached, NameIndex) and cached.owners and len(set(cached.owners)) <= graph.number_of_nodes():
        return cached
    exact: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        names = {node, str(node).split(":", 1)[-1], data.get("label", ""), data.get("full_name", "")}
        names.update(data.get("aliases", []))
        names.update(data.get("names", []))
        for name in names:
            key = normalise(str(name))
            if key and node not in exact.setdefault(key, []):
                exact[key].append(node)
    choices = list(exact)
    owners = [exact[c][0] for c in choices]
    index = NameIndex(exact, choices, owners)
    graph.graph["_name_index"] = index
    return index


def find_node(graph: nx.Graph, name: str) -> str:
    """The id of the node *name* refers to.

    Raises :class:`NodeNotFound` (with suggestions) or :class:`AmbiguousName`.
    """
    if name in graph:
        return name
    index = name_index(graph)
    key = normalise(name)
    if not key:
        raise NodeNotFound(name, [])
    found = index.exact.get(key, [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        services = [n for n in found if graph.nodes[n].get("type") == "service"]
        if len(services) == 1:
            return services[0]
        raise AmbiguousName(name, [(n, graph.nodes[n]["label"], graph.nodes[n]["type"]) for n in found])
    matches = process.extract(key, index.choices, scorer=fuzz.WRatio, limit=12)
    best_by_node: dict[str, float] = {}
    for _choice, score, position in matches:
        node = index.owners[position]
        best_by_node[node] = max(best_by_node.get(node, 0.0), score)
    ranked = sorted(best_by_node.items(), key=lambda kv: (-kv[1], graph.nodes[kv[0]]["label"]))
    if ranked and ranked[0][1] >= ACCEPT_SCORE and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= CLEAR_MARGIN):
        return ranked[0][0]
    suggestions = [graph.nodes[n]["label"] for n, score in ranked[:5] if score >= 50]
    raise NodeNotFound(name, suggestions)


def suggest(graph: nx.Graph, text: str, limit: int = 10) -> list[tuple[str, str, float]]:
    """Up to *limit* (id, label, score) suggestions for a partly typed name, best first."""
    index = name_index(graph)
    key = normalise(text)
    if not key:
        return []
    matches = process.extract(key, index.choices, scorer=fuzz.WRatio, limit=limit * 3)
    best: dict[str, float] = {}
    for choice, score, position in matches:
        node = index.owners[position]
        bonus = 10.0 if choice.startswith(key) else 0.0
        best[node] = max(best.get(node, 0.0), score + bonus)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], graph.nodes[kv[0]]["label"]))[:limit]
    return [(node, graph.nodes[node]["label"], score) for node, score in ranked]
