"""The collector pause used by builds and loads: restores the collector's state and freezes what was made."""

from __future__ import annotations

import gc

from graph.store.gcfreeze import collector_paused


def test_pause_freezes_what_the_block_made_and_restores_the_collector():
    assert gc.isenabled()
    before = gc.get_freeze_count()
    with collector_paused():
        assert not gc.isenabled()
        made = [[i] for i in range(1000)]  # lists are always tracked (dicts of plain values may not be)
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(made)


def test_pause_keeps_a_disabled_collector_disabled_even_after_an_error():
    gc.disable()
    try:
        try:
            with collector_paused():
                raise ValueError("boom")
        except ValueError:
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
