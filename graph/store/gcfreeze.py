"""Keep Python's cyclic garbage collector off the large, long-lived objects of a graph.

A build or a load makes hundreds of thousands to millions of objects (notes, extractions,
attribute dicts, evidence) that live as long as the graph and form no garbage cycles worth
collecting (a 1,000-note build leaves 23 unreachable objects). Each pass of the collector over
them costs 10-40% of a build, and the first full pass after one (2 s after 10,000 notes) lands
on whatever runs next: saving the file, the first query, the next page of the app.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, then freeze what it made.

    Freezing moves every object alive at that point to the permanent generation, which later
    collections skip; the objects are still freed by reference counting when the graph is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
