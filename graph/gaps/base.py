"""The one interface every kind of gap has: :class:`GapKind`, the :class:`GapContext` it runs in, its :class:`Step`.

As Datasette has one class per kind of facet behind one interface, each
kind of gap is one small :class:`GapKind` subclass in a module of its own
(:mod:`graph.gaps.coverage`, :mod:`graph.gaps.unexplained`,
:mod:`graph.gaps.unfinished`, :mod:`graph.gaps.thin`,
:mod:`graph.gaps.structural`, :mod:`graph.gaps.duplicates`), and
:func:`graph.gaps.report.gap_report` runs the registered kinds
(:data:`graph.gaps.report.GAP_KINDS`) in order:

1. :meth:`GapKind.skip` says why the kind is not checked at all (the
   coverage kind without a syllabus): the reason becomes a report note;
2. otherwise :meth:`GapKind.find` returns what it found, or None when the
   graph lacks the data to check it (:attr:`GapKind.no_data` becomes a note);
3. what it found fills the report field named :attr:`GapKind.name`, and is
   kept in :attr:`GapContext.found` for the kinds after it;
4. :meth:`GapKind.steps` turns it into the report's next steps, in the order
   of the kinds.

>>> import networkx as nx
>>> from graph.gaps.unfinished import UnfinishedKind
>>> graph = nx.MultiDiGraph(placeholders=[{"kind": "to do", "file": "a.md", "line": 3, "text": "TODO: diagram"}])
>>> kind, context = UnfinishedKind(), GapContext()
>>> found = kind.find(graph, context)
>>> [(spot.file, spot.line, spot.kinds) for spot in found]
[('a.md', 3, ('to do',))]
>>> kind.steps(found, context)
[Step(kind='unfinished', text='Finish 1 unfinished spot(s) in a.md, first at a.md:3 (to do)')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import networkx as nx

from graph.sources.catalog import Catalog
from graph.sources.syllabus import Syllabus

__all__ = ["GapContext", "GapKind", "Step"]


@dataclass(frozen=True)
class Step:
    """One line of the to-do list at the top of the report; ``kind`` names the gap kind it comes from."""

    kind: str
    text: str


@dataclass
class GapContext:
    """What every kind of gap is found with: the report's options, and what the kinds before it found.

    ``found`` maps a kind's :attr:`GapKind.name` to what it found, for the
    kinds that ran before (the report runs the coverage kind first, so the
    others can mark the topics a syllabus lists: :attr:`syllabus_nodes`).
    """

    syllabus: Syllabus | None = None
    catalog: Catalog | None = None
    min_mentions: int = 2
    min_cluster: int | None = None
    max_structural: int = 5
    found: dict[str, Any] = field(default_factory=dict)

    @property
    def syllabus_nodes(self) -> frozenset[str]:
        """Topics the syllabus names themselves (not through a member or part); empty without coverage."""
        coverage = self.found.get("coverage")
        return frozenset(i.node for i in coverage.items if i.node and not i.via) if coverage else frozenset()


class GapKind:
    """One kind of gap: what it is called, how it is found, and the next steps it suggests.

    Subclasses set :attr:`name` and :attr:`title`, implement :meth:`find`,
    and usually :meth:`steps`; see the module notes for how the report uses them.
    """

    #: The :class:`~graph.gaps.report.GapReport` field it fills (and the key in :attr:`GapContext.found`).
    name: ClassVar[str] = ""
    #: What a person calls this part of the report.
    title: ClassVar[str] = ""
    #: The report note when :meth:`find` returns None (the graph lacks the data to check this kind).
    no_data: ClassVar[str] = ""

    def skip(self, context: GapContext) -> str | None:
        """Why this kind is not checked at all with *context* (a report note), or None when it is."""
        return None

    def find(self, graph: nx.MultiDiGraph, context: GapContext) -> Any:
        """The gaps of this kind in *graph* (a list, or the kind's own result), or None without the data."""
        raise NotImplementedError

    def steps(self, found: Any, context: GapContext) -> list[Step]:
        """The next steps for what :meth:`find` returned, most urgent first (none by default)."""
        return []


def _first(names: list[str], count: int = 3) -> str:
    """The first *count* of *names*, and how many more: ``"A, B, C and 4 more"``."""
    shown = ", ".join(names[:count])
    return shown + (f" and {len(names) - count} more" if len(names) > count else "")
