"""Unfinished notes: placeholders the author left (to-dos, empty links, empty sections).

The build records them in ``graph.graph["placeholders"]``; here the records at
one line are merged into one spot with all its kinds.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph(placeholders=[
...     {"kind": "to do", "file": "a.md", "line": 9, "text": "Screenshots To Be Added"},
...     {"kind": "empty section", "file": "a.md", "line": 9, "text": "Screenshots To Be Added"},
... ])
>>> [(s.file, s.line, s.kinds) for s in unfinished_notes(graph)]
[('a.md', 9, ('empty section', 'to do'))]
>>> unfinished_notes(nx.MultiDiGraph()) is None  # a graph file saved without placeholder data
True
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.gaps.base import GapContext, GapKind, Step, _first

__all__ = ["UnfinishedKind", "UnfinishedSpot", "unfinished_notes"]


@dataclass(frozen=True)
class UnfinishedSpot:
    """Something left unfinished at one line; ``kinds`` are ``"empty link"``, ``"to do"``, ``"empty section"``.

    A heading such as "Screenshots To Be Added" over nothing is both a to-do
    and an empty section: one spot with two kinds.
    """

    kinds: tuple[str, ...]
    file: str
    line: int
    text: str
    section: tuple[str, ...] = ()


def unfinished_notes(graph: nx.MultiDiGraph) -> list[UnfinishedSpot] | None:
    """Placeholders the author left: to-dos, empty links (``[Screenshot](#)``) and empty sections.

    Reads ``graph.graph["placeholders"]`` (written by the build). Returns the
    spots ordered by file and line, or None when the graph carries no
    placeholder data (a graph file saved by an older version).
    """
    raw = graph.graph.get("placeholders")
    if raw is None:
        return None
    merged: dict[tuple[str, int], dict] = {}
    for p in raw:
        spot = merged.setdefault((p["file"], int(p["line"])), {"kinds": [], "text": "", "section": ()})
        if p["kind"] not in spot["kinds"]:
            spot["kinds"].append(p["kind"])
        spot["text"] = spot["text"] or p.get("text", "")
        spot["section"] = spot["section"] or tuple(p.get("section", ()))
    return [
        UnfinishedSpot(tuple(sorted(v["kinds"])), file, line, v["text"], v["section"])
        for (file, line), v in sorted(merged.items())
    ]


class UnfinishedKind(GapKind):
    """Placeholders left in the notes (:func:`unfinished_notes`); not checked on a graph without their data."""

    name = "unfinished"
    title = "Unfinished notes"
    no_data = "this graph file has no placeholder data; rebuild it to list unfinished notes"

    def find(self, graph: nx.MultiDiGraph, context: GapContext) -> list[UnfinishedSpot] | None:
        return unfinished_notes(graph)

    def steps(self, found: list[UnfinishedSpot], context: GapContext) -> list[Step]:
        """Finish the spots, pointing at the first one."""
        if not found:
            return []
        files = sorted({s.file for s in found})
        first = found[0]
        return [
            Step(
                "unfinished",
                f"Finish {len(found)} unfinished spot(s) in {_first(files)}, "
                f"first at {first.file}:{first.line} ({', '.join(first.kinds)})",
            )
        ]
