"""The explorer's server frees a graph it no longer keeps, though each build freezes what is alive then (the
page's namespace among it: see graph/ui/builds.py ``release_earlier_run``)."""

from __future__ import annotations

import gc
import uuid
import weakref

from apptest_helpers import open_app

from graph.ui import builds

NOTE = "# Queue {n}\n\nAmazon SQS feeds AWS Lambda.\n\n- Amazon S3 -> Amazon Athena\n\nRun {run}\n"


def test_a_graph_the_server_no_longer_keeps_is_freed_after_later_builds(write_notes, monkeypatch):
    run = uuid.uuid4().hex  # notes never seen: each folder is built, not found in the server's graphs
    folders = [write_notes({f"{name}/{n}.md": NOTE.format(n=n, run=run) for n in range(2)}) / name for name in "abc"]
    built: list[weakref.ref] = []
    build_source, put = builds.build_source, builds.KeptGraphs.put

    def recorded(*args, **kwargs):
        result = build_source(*args, **kwargs)
        built.append(weakref.ref(result.graph))
        return result

    def keeping_one(kept, source, result):  # the server's size, past which it drops the oldest graph, set to 1
        put(kept, source, result)
        while len(kept) > 1:
            kept._kept.popitem(last=False)
        return result

    monkeypatch.setattr(builds, "build_source", recorded)
    monkeypatch.setattr(builds.KeptGraphs, "put", keeping_one)
    monkeypatch.chdir(folders[0].parent)
    app = open_app()
    for folder in folders:
        app.radio(key="source_kind").set_value("folder").run()
        app.text_input(key="folder").input(str(folder)).run()
        app.button(key="build").click().run()
        app.run()  # one more run of the page, as any click makes
        assert not app.exception and app.session_state["notes"].path == str(folder)
    gc.collect()  # as the collector would: what a build froze, it does not look at
    assert [graph() is not None for graph in built][-3:] == [False, False, True]


def test_an_earlier_run_keeps_its_code_for_a_late_callback_and_loses_its_data():
    # A widget drawn by run 1 and not yet again by run 2 (stopped early by a click) calls run 1's callback in run 3:
    # the callback's globals must still hold what it calls.
    state: dict = {}
    first = {"__name__": "__main__", "gc": gc, "focus_on": lambda node: node, "graph": object(), "labels": {"a": "A"}}
    builds.release_earlier_run(state, first)
    builds.release_earlier_run(state, {"graph": object()})
    assert sorted(first) == ["__name__", "focus_on", "gc"]
    assert first["focus_on"]("term:queue") == "term:queue"
