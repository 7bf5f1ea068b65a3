"""The topic a place in the notes is about: for rows that name a file and line but no topic (unfinished notes).

:func:`topics_at` answers, for each ``(file, line, section)`` place, the topic
that place belongs to, trying in order:

1. a topic the notes mention on that very line (``[Screenshot: SNS Topic Creation](#)`` is about SNS);
2. the topic whose own section holds the line (a to-do under "## Amazon SQS" is about SQS);
3. the topic mentioned last before the line in the same section (the subject being written about);

else ``None``. Ties go to the topic mentioned most often, then to its id, so an answer never depends on order.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("service:sns", mention_count=2, mentions=[{"file": "a.md", "line": 7, "section": ["Messaging"]}])
>>> g.add_node("service:sqs", sections=[{"file": "a.md", "start_line": 10, "end_line": 20}])
>>> topics_at(g, [("a.md", 7, ()), ("a.md", 12, ()), ("a.md", 9, ("Messaging",)), ("b.md", 1, ())])
['service:sns', 'service:sqs', 'service:sns', None]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

__all__ = ["topics_at"]


def topics_at(graph: nx.MultiDiGraph, places: Iterable[tuple[str, int, Sequence[str]]]) -> list[str | None]:
    """For each ``(file, line, section path)`` in *places*, the id of the topic it belongs to, or ``None``."""
    places = list(places)
    files = {file for file, _, _ in places}
    on_line: dict[tuple[str, int], list[str]] = {}
    in_section: dict[tuple[str, tuple[str, ...]], list[tuple[int, str]]] = {}
    own: dict[str, list[tuple[int, int, str]]] = {}
    weight: dict[str, int] = {}
    for node, data in graph.nodes(data=True):
        weight[node] = int(data.get("mention_count", 0) or 0)
        for mention in data.get("mentions", None) or ():
            file, line = mention.get("file"), mention.get("line")
            if file in files and isinstance(line, int):
                on_line.setdefault((file, line), []).append(node)
                in_section.setdefault((file, tuple(mention.get("section") or ())), []).append((line, node))
        for section in data.get("sections", None) or ():
            if section.get("file") in files:
                own.setdefault(section["file"], []).append(
                    (int(section.get("start_line", 0)), int(section.get("end_line", 0)), node)
                )

    def best(nodes: Iterable[str]) -> str | None:
        return min(nodes, key=lambda n: (-weight.get(n, 0), n), default=None)

    found: list[str | None] = []
    for file, line, section in places:
        answer = best(on_line.get((file, line), ()))
        if answer is None:  # the innermost own section holding the line
            holding = [(end - start, node) for start, end, node in own.get(file, ()) if start <= line <= end]
            answer = min(holding)[1] if holding else None
        if answer is None:
            before = [(at, n) for at, n in in_section.get((file, tuple(section)), ()) if at <= line]
            last = max((at for at, _ in before), default=None)
            answer = best(n for at, n in before if at == last) if last is not None else None
        found.append(answer)
    return found
