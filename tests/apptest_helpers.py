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
