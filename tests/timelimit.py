"""One SIGALRM time limit for tests whose failure mode is hanging (blocked reads, catastrophic regexes)."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def time_limit(seconds: float, error: Callable[[], BaseException]) -> Iterator[None]:
    """Raise ``error()`` in the body after *seconds* (SIGALRM reaches the regex engine and spaCy's tokenizer).

    Where the platform has no interval timer, the body just runs.
    """
    if not hasattr(signal, "setitimer"):  # pragma: no cover - no timer: just run it
        yield
        return

    def stop(signum, frame):
        raise error()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
