"""Running streamlit_app.py under Streamlit's AppTest: one place for the tests of the app's Python side."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
TIMEOUT = 120


def open_app(**params: str) -> AppTest:
    """The app after its first run, with *params* as the URL's query parameters."""
    app = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_filters(app: AppTest) -> AppTest:
    """Unfold the graph's filter bar, as a click on it does: its controls are drawn only while it is open."""
    from graph.ui.appstate import FILTERS_OPEN

    app.session_state[FILTERS_OPEN] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def choose_uploads(
    app: AppTest, files: list[tuple[str, bytes]], withheld: list[tuple[str, int]] = (), message: object = None
) -> AppTest:
    """Choose *files* in the sidebar's upload control and run: the app gets the control's one message (the trigger
    ``files`` of graph/ui/uploadcomponent.py) as the browser sends it, text as text and other bytes as base64, and
    the files it kept back (*withheld*) by name and size. *message* sends that value instead (a hand-made one)."""
    import base64
    import json

    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    from graph.ui import uploadcomponent

    if app.session_state["source_kind"] != "upload":
        app.radio(key="source_kind").set_value("upload").run()
    [control] = [c for c in app.get("bidi_component") if c.proto.component_name == uploadcomponent.COMPONENT]
    if message is None:
        sent = []
        for name, raw in files:
            try:
                sent.append([name, "t", raw.decode("utf-8")])
            except UnicodeDecodeError:
                sent.append([name, "b", base64.b64encode(raw).decode("ascii")])
        message = {"files": sent, "withheld": [list(entry) for entry in withheld]}
    states = app._tree.get_widget_states()  # what the page's widgets hold now, plus the control's message
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(control.proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "files", "value": message}])
    app._tree._runner._run(states)
    assert not app.exception, [e.value for e in app.exception]
    return app
