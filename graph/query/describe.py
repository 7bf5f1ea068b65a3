"""Plain-data descriptions of a graph and of one entity, for the CLI, the app and ``--json``.

:func:`summarize` gives counts per type and relation and the most connected
topics; :func:`describe_entity` gives one entity with its aliases,
definition, mentions and relations (each with evidence).
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from graph.model import INFERRED, RELATIONS

__all__ = ["describe_entity", "summarize"]


def summarize(graph: nx.MultiDiGraph, top: int = 10) -> dict:
    """Counts and the most connected topics of *graph*.

    Returns a dict with ``files``, ``nodes``, ``edges``, ``types`` (count per
    entity type), ``relations`` (count per relation, with how many are
    stated), ``top`` (the *top* nodes by number of distinct neighbours through
    stated relations, then through any), and ``problems``.
    """
    types = Counter(data.get("type", "?") for _, data in graph.nodes(data=True))
    relations: dict[str, dict[str, int]] = {}
    for _, _, data in graph.edges(data=True):
        entry = relations.setdefault(data["relation"], {"edges": 0, "stated": 0})
        entry["edges"] += 1
        entry["stated"] += bool(data.get("stated"))
    stated_neighbours: Counter[str] = Counter()
    any_neighbours: Counter[str] = Counter()
    simple = nx.Graph()
    for u, v, data in graph.edges(data=True):
        if not simple.has_edge(u, v):
            simple.add_edge(u, v, stated=False)
        simple.edges[u, v]["stated"] |= data["relation"] != INFERRED
    for node in simple:
        any_neighbours[node] = simple.degree(node)
        stated_neighbours[node] = sum(1 for n in simple[node] if simple.edges[node, n]["stated"])
    ranked = sorted(graph.nodes, key=lambda n: (-stated_neighbours[n], -any_neighbours[n], graph.nodes[n]["label"]))
    return {
        "files": len(graph.graph.get("files", [])),
        "words": graph.graph.get("words", 0),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "types": dict(sorted(types.items())),
        "relations": dict(sorted(relations.items())),
        "top": [
            {
                "id": n,
                "label": graph.nodes[n]["label"],
                "type": graph.nodes[n]["type"],
                "stated_neighbours": stated_neighbours[n],
                "neighbours": any_neighbours[n],
            }
            for n in ranked[:top]
        ],
        "problems": list(graph.graph.get("problems", [])),
    }


def describe_entity(graph: nx.MultiDiGraph, node: str, max_relations: int = 200) -> dict:
    """Everything the graph knows about *node*, as plain data.

    Returns a dict with ``id``, ``label``, ``type``, ``aliases``,
    ``definition`` (and its evidence), ``mention_count``, ``mentions``
    (places), ``sections`` (its own sections), and ``relations``: a list of
    ``{direction, relation, other, other_label, other_type, stated, weight,
    evidence}``, stated relations first, then by weight.
    """
    data = graph.nodes[node]
    relations = []
    for _, other, _key, edge in graph.out_edges(node, keys=True, data=True):
        relations.append(_relation_row("out", other, edge, graph))
    for other, _, _key, edge in graph.in_edges(node, keys=True, data=True):
        relations.append(_relation_row("in", other, edge, graph))
    relations.sort(key=lambda r: (not r["stated"], r["relation"] == INFERRED, -r["weight"], r["other_label"]))
    return {
        "id": node,
        "label": data["label"],
        "type": data["type"],
        "aliases": list(data.get("aliases", [])),
        "full_name": data.get("full_name", ""),
        "definition": data.get("definition", ""),
        "definition_evidence": data.get("definition_evidence"),
        "mention_count": data.get("mention_count", 0),
        "mentions": list(data.get("mentions", [])),
        "has_section": bool(data.get("has_section")),
        "sections": list(data.get("sections", [])),
        "relations": relations[:max_relations],
        "relation_count": len(relations),
    }


def _relation_row(direction: str, other: str, edge: dict, graph: nx.MultiDiGraph) -> dict:
    return {
        "direction": direction,
        "relation": edge["relation"],
        "meaning": RELATIONS.get(edge["relation"], ""),
        "other": other,
        "other_label": graph.nodes[other]["label"],
        "other_type": graph.nodes[other]["type"],
        "stated": bool(edge.get("stated")),
        "weight": edge.get("weight", 1.0),
        "evidence": list(edge.get("evidence", [])),
    }
