"""Hypothesis profiles for ``tests/test_fuzz.py``.

* ``fuzz`` (used by default): 150 examples per test, fewer for the heavy ones
  (345 inputs in all), derandomized so that CI runs the same inputs every time
  and stays fast (about 20 s of CPU for the module);
* ``thorough``: 2,000 random examples per test, scaled the same way (4,600 in
  all, about 15 minutes), with bigger documents; for a long run before a release,
  or after changing ingest, markdown or extraction.

Run the thorough profile with either of::

    NOTES_GRAPH_FUZZ=thorough .venv/bin/python -m pytest tests/test_fuzz.py
    .venv/bin/python -m pytest -p tests.conftest_fuzz --hypothesis-profile=thorough tests/test_fuzz.py

(``-p`` registers the profiles before Hypothesis's own plugin loads one; the
environment variable needs nothing else). Other test modules are not affected:
the test module asks :func:`fuzz_settings` for its settings instead of loading
a profile globally.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(
    "fuzz", max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=_SLOW_OK
)
settings.register_profile("thorough", max_examples=2000, deadline=None, suppress_health_check=_SLOW_OK)


def thorough() -> bool:
    """True when the thorough profile was asked for (environment variable or ``--hypothesis-profile``)."""
    chosen = os.environ.get("NOTES_GRAPH_FUZZ", "") or settings.get_current_profile_name()
    return chosen == "thorough"


def fuzz_settings(share: float = 1.0) -> settings:
    """Settings for one fuzz test: the chosen profile, with *share* of its examples (heavy tests take fewer)."""
    parent = settings.get_profile("thorough" if thorough() else "fuzz")
    return settings(parent, max_examples=max(10, int(parent.max_examples * share)))
