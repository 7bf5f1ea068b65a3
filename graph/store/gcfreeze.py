"""Keep Python's cyclic garbage collector off the large, long-lived objects of a graph.

A build or a load makes hundreds of thousands to millions of objects (notes, extractions,
attribute dicts, evidence) that live as long as the graph and form no garbage cycles worth
collecting (a 1,000-note build leaves 23 unreachable objects). Each pass of the collector over
them costs 10-40% of a build, and the first full pass after one (2 s after 10,000 notes) lands
on whatever runs next: saving the file, the first query, the next page of the app.

So :func:`collector_paused` freezes what a build or a load made, and the collector never looks
at it again: a frozen object is freed only by reference counting, so a frozen object on a
reference cycle is never freed, nor is anything it holds. NetworkX's graphs are such cycles:
``G.edges``, ``G.degree``, ``G.in_edges``... are views kept in the graph's ``__dict__`` that
hold the graph. The graphs a build or a load makes are therefore :class:`FreeableGraph` and
:class:`FreeableMultiDiGraph`, whose views that hold the graph are made on each use and not
kept, so a dropped graph is freed at once, even one frozen (a view made after the freeze would
otherwise be young, held by the frozen graph, and keep it for good).

>>> import weakref
>>> g = FreeableMultiDiGraph([("a", "b", "feeds")])
>>> g.degree["a"], list(g.edges(keys=True))
(1, [('a', 'b', 'feeds')])
>>> gone = weakref.ref(g)
>>> del g
>>> gone() is None  # freed by reference counting: no collection needed
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import networkx as nx

__all__ = ["FreeableGraph", "FreeableMultiDiGraph", "collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, then freeze what it made.

    Freezing moves every object alive at that point to the permanent generation, which later
    collections skip: those objects are freed by reference counting alone, so what the block
    keeps must hold no reference cycle (see the module docstring), or it is kept for good.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _made_on_use(view: cached_property) -> property:
    """A NetworkX cached view as a property that makes it on each use (a view costs about a microsecond)."""
    return property(view.func, doc=view.__doc__)


# Only the views that hold the graph: ``nodes``, ``adj``, ``succ`` and ``pred`` hold its dicts, and stay cached.
class FreeableGraph(nx.Graph):
    """An ``nx.Graph`` on no reference cycle: freed by reference counting when dropped (see the module docstring)."""

    edges = _made_on_use(nx.Graph.edges)
    degree = _made_on_use(nx.Graph.degree)


class FreeableMultiDiGraph(nx.MultiDiGraph):
    """An ``nx.MultiDiGraph`` on no reference cycle: freed by reference counting when dropped."""

    edges = _made_on_use(nx.MultiDiGraph.edges)
    out_edges = _made_on_use(nx.MultiDiGraph.out_edges)
    in_edges = _made_on_use(nx.MultiDiGraph.in_edges)
    degree = _made_on_use(nx.MultiDiGraph.degree)
    out_degree = _made_on_use(nx.MultiDiGraph.out_degree)
    in_degree = _made_on_use(nx.MultiDiGraph.in_degree)
