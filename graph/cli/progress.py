"""Build progress on a terminal: one line, rewritten in place, only when a build takes longer than a second.

:class:`TerminalProgress` is the progress callback of ``notes-graph build``
(see :data:`graph.store.build.ProgressCallback`). It draws nothing unless its
stream is a terminal (so ``--json`` output and pipes stay clean) and the build
has run for :data:`DELAY` seconds; :meth:`TerminalProgress.clear` wipes the line
before the summary is printed.

>>> import io
>>> from graph.store.build import Progress
>>> shown = TerminalProgress(io.StringIO())  # not a terminal: draws nothing
>>> shown(Progress(3, 10, "notes/s3.md")), shown.stream.getvalue()
(None, '')
"""

from __future__ import annotations

import shutil
import time
from typing import TextIO

from graph.store.build import Progress
from graph.ui.escape import terminal_text

__all__ = ["DELAY", "TerminalProgress", "progress_line"]

#: Seconds a build runs before its progress is shown: a quick build prints only its summary.
DELAY = 1.0
#: Seconds between two redraws (a terminal is slow to draw; 50,000 small files must not mean 50,000 lines).
REDRAW = 0.1


def progress_line(progress: Progress, width: int = 80) -> str:
    """One line of progress, at most *width* characters.

    >>> progress_line(Progress(3, 10, "notes/s3.md"))
    'Analysing notes: 3 of 10 files (30%), now notes/s3.md'
    """
    percent = 100 * progress.done // progress.total if progress.total else 100
    line = f"Analysing notes: {progress.done:,} of {progress.total:,} files ({percent}%)"
    if progress.current:
        line += f", now {terminal_text(progress.current)}"
    return line if len(line) <= width else line[: width - 1] + "…"


class TerminalProgress:
    """A progress callback that draws :func:`progress_line` on *stream* when it is a terminal."""

    def __init__(self, stream: TextIO, delay: float = DELAY) -> None:
        # The raw terminal under the CLI's escaping wrapper (graph.cli.TerminalOutput): "\r" must stay "\r".
        self.stream = getattr(stream, "stream", stream)
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.delay = delay
        self.drawn_at = 0.0
        self.shown = False

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if not self.tty or now - self.started < self.delay:
            return
        if now - self.drawn_at < REDRAW and progress.done < progress.total:
            return
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        # Marked as shown before writing: a Ctrl-C in the middle of the write still gets the line wiped by clear().
        self.drawn_at, self.shown = now, True
        self.stream.write("\r\x1b[K" + progress_line(progress, width))
        self.stream.flush()

    def clear(self) -> None:
        """Wipe the progress line, if one was drawn, so what is printed next starts on a clean line."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
