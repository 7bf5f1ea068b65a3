"""Building the graph the explorer shows: the build of a notes source, the graphs a server keeps, and a build's
progress and outcome in words.

The page (``streamlit_app.py``) keeps one :class:`KeptGraphs` per server, asks :func:`build_source` for a source
it does not hold, shows the build's progress through :func:`progress_reporter` and ends with :func:`built_label`:

>>> from graph.ui.appstate import upload_source
>>> files = (("queues.md", b"# Amazon SQS\\n\\nAmazon SQS feeds AWS Lambda.\\n"),)
>>> kept, source = KeptGraphs(size=2), upload_source(files)
>>> result = kept.get(source) or kept.put(source, build_source(source, files))
>>> kept.get(source) is result, built_label(result, waited=1.25)
(True, 'Built 2 topics, 1 relations from 1 file(s) in 1.2 s')
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, MutableMapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from graph.sources.notes import ReadResult, Withheld, read_uploads
from graph.store.build import BuildResult, Progress, ProgressCallback, build_notes, build_read_notes
from graph.ui.escape import markdown_text

if TYPE_CHECKING:
    from spacy.language import Language

    from graph.ui.appstate import NotesSource

__all__ = [
    "RUN_NAMES",
    "KeptGraphs",
    "build_source",
    "built_label",
    "progress_reporter",
    "progress_text",
    "release_earlier_run",
]

#: The session-state key of the names of the page's last full run (see :func:`release_earlier_run`).
RUN_NAMES = "_run_names"


class KeptGraphs:
    """Built graphs by source (any hashable, e.g. :class:`~graph.ui.appstate.NotesSource`), at most *size*, the
    least recently used dropped first. Safe to share between threads: one is kept per server, for every session.

    >>> kept = KeptGraphs(size=1)
    >>> kept.put("a", "graph a") and kept.put("b", "graph b")
    'graph b'
    >>> kept.get("a"), kept.get("b"), len(kept)
    (None, 'graph b', 1)
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, BuildResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, source: Hashable) -> BuildResult | None:
        """The graph kept for *source* (now the most recently used), or None."""
        with self._lock:
            if source not in self._kept:
                return None
            self._kept.move_to_end(source)
            return self._kept[source]

    def put(self, source: Hashable, result: BuildResult) -> BuildResult:
        """Keep *result* as the graph of *source*, dropping the least recently used past the size; returns it."""
        with self._lock:
            self._kept[source] = result
            self._kept.move_to_end(source)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return result

    def __contains__(self, source: Hashable) -> bool:
        with self._lock:
            return source in self._kept

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)


def release_earlier_run(state: MutableMapping[str, Any], names: dict[str, Any]) -> None:
    """Drop the data of this session's previous full run of the page, and keep *names* (this run's) for the next.

    A build freezes every object alive (:mod:`graph.store.gcfreeze`), so the namespace of the page's run alive
    then is frozen; the page's functions hold it, so it is on a cycle the collector no longer looks at, and it
    would keep for good what the page named in it: its ``result`` and ``graph``, every graph ever shown. Dropping
    those names breaks the hold. Its code stays (modules, functions, classes, and the page's cached functions and
    fragments): a widget's callback from that run can still be called, when the run after it was stopped before
    drawing the widget again. Call it first in every full run; a fragment's runs use the names of the last full
    run, which stay until the next.

    >>> import math
    >>> state, first, second = {}, {"graph": "graph a", "math": math, "len": len}, {"graph": "graph b"}
    >>> release_earlier_run(state, first), release_earlier_run(state, second)
    (None, None)
    >>> sorted(first), state[RUN_NAMES] is second
    (['len', 'math'], True)
    """
    earlier = state.get(RUN_NAMES)
    state[RUN_NAMES] = names
    if earlier is not None and earlier is not names:
        for name, value in list(earlier.items()):
            if not (name.startswith("__") or callable(value) or isinstance(value, ModuleType)):
                del earlier[name]


def build_source(
    source: NotesSource,
    files: tuple[tuple[str, bytes] | Withheld, ...] = (),
    *,
    nlp: Language | None = None,
    cache_dir: str | Path | None = None,
    progress: ProgressCallback | None = None,
    read_done: Callable[[ReadResult], object] | None = None,
) -> BuildResult:
    """Build the notes of *source*: a folder or the bundled notes from disk (with the extraction cache in
    *cache_dir*), an upload from its (name, bytes) *files* (``.zip`` files unpacked; a
    :class:`~graph.sources.notes.Withheld` file, one the browser kept back, is named in the problems; nothing of an
    upload is written to disk, so *cache_dir* is not used for it). *read_done* is called with what was read of an
    upload before it is analysed, so a page can say how long reading took. Raises
    :class:`~graph.sources.notes.NoNotesError` when no note can be read, and whatever *progress* raises to stop the
    build.
    """
    if source.kind != "upload":
        return build_notes(source.path, cache_dir=cache_dir, nlp=nlp, progress=progress)
    read = read_uploads(list(files))
    if read_done is not None:
        read_done(read)
    return build_read_notes(read, nlp=nlp, progress=progress)


def progress_text(progress: Progress) -> str:
    r"""A build's progress in words, for markdown: files done of total, how many came from the cache, and the file
    being analysed (escaped: it is a file name the user chose).

    >>> progress_text(Progress(done=1200, total=1500, current="week *3*.md", cached=20))
    '1,200 of 1,500 files analysed (20 from the cache) · now week \\*3\\*\\.md'
    """
    text = f"{progress.done:,} of {progress.total:,} files analysed"
    if progress.cached:
        text += f" ({progress.cached:,} from the cache)"
    if progress.current:
        text += f" · now {markdown_text(progress.current, 120)}"
    return text


def progress_reporter(bar, every: float = 0.1, clock: Callable[[], float] = time.perf_counter) -> ProgressCallback:
    """A build progress callback that shows :func:`progress_text` in *bar* (anything with Streamlit's
    ``progress(value, text=...)``), once per *every* seconds at most, and always the first and the last report:
    each update is a message to the browser, and the point where a rerun (e.g. Cancel) stops the build.
    """
    shown = [float("-inf")]

    def report(progress: Progress) -> None:
        now = clock()
        if now - shown[0] < every and 0 < progress.done < progress.total:
            return
        shown[0] = now
        bar.progress(progress.done / progress.total if progress.total else 1.0, text=progress_text(progress))

    return report


def built_label(result: BuildResult, waited: float, reading: float | None = None) -> str:
    """What a finished build says: counts, and the time the person waited (from their click), with the part spent
    reading uploads (*reading*, from the click too) beside it."""
    graph = result.graph
    label = (
        f"Built {graph.number_of_nodes()} topics, {graph.number_of_edges()} relations from "
        f"{len(graph.graph.get('files', []))} file(s) in {waited:.1f} s"
    )
    return label + (f" (uploads read in {reading:.1f} s)" if reading is not None else "")
