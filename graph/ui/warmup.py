"""The spaCy pipeline set up when the explorer's server starts, not when the first person asks for a graph.

``notes-graph app`` runs ``python -m graph.ui.warmup run streamlit_app.py ...``:
this module starts :func:`start_pipeline` (a background thread importing
spaCy and the modules the page uses, then making the pipeline of
:func:`graph.extract.pipeline.make_pipeline`: 2-6 s on a busy 2-core machine)
and then Streamlit's own command line in the same process, so the server
listens at once while the pipeline is being made. The page asks for it with
:func:`pipeline`, which waits for that thread when it is still working (never
making a second pipeline beside it) and makes one itself when the server was
started some other way (``streamlit run streamlit_app.py``).

>>> pipeline() is pipeline()
True
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported by the background thread, so the server starts listening without waiting
    from spacy.language import Language

__all__ = ["PAGE_MODULES", "pipeline", "start_pipeline"]

_lock = threading.Lock()
_future: Future | None = None


def start_pipeline() -> Future:
    """Start making the pipeline in a background thread (once per process); returns its future."""
    global _future
    with _lock:
        if _future is None:
            _future = Future()
            threading.Thread(target=_make, args=(_future,), name="notes-graph-pipeline", daemon=True).start()
        return _future


def pipeline() -> Language:
    """The pipeline, waiting for the one being made at server start (or making it now when none was started)."""
    return start_pipeline().result()


#: Modules the page imports besides the pipeline's: imported by the same thread, ahead of the first visit.
PAGE_MODULES = ("graph.store.build", "graph.query.related", "graph.query.overview", "graph.gaps", "graph.ui.view")


def _make(future: Future) -> None:
    try:
        from graph.extract.pipeline import make_pipeline

        nlp = make_pipeline()
    except BaseException as err:  # handed to whoever waits, who reports it
        future.set_exception(err)
        return
    future.set_result(nlp)  # the page may go on: what follows only saves it imports
    for name in PAGE_MODULES:
        with contextlib.suppress(Exception):  # the page imports them itself and reports a failure there
            importlib.import_module(name)


def main(argv: list[str]) -> int:
    """Start the pipeline, then run Streamlit's command line with *argv* (``run SCRIPT [options] [-- args]``)."""
    from graph.ui import warmup  # the module the page imports, not this __main__ copy of it

    warmup.start_pipeline()
    from streamlit.web.cli import main as streamlit_main

    return streamlit_main(args=argv, prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
