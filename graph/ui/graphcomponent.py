"""The app's graph: one Streamlit custom component (components v2) drawing a :class:`~graph.ui.view.GraphView`.

The component is part of the page, not an iframe. Its JavaScript
(``graph/ui/component/graph.js``) and vis-network (the file the pyvis package
ships) are files served by the app's own server under
``/_stcore/bidi-components/``: the browser loads them once per page and keeps
them, so each rerun sends only the view's data (nodes, edges, options, legend:
:attr:`GraphView.data <graph.ui.view.GraphView>`, plain JSON), as the bytes
of JSON made once per view (``GraphView.payload``): a dict would be
serialised by Streamlit on each run, and once more, sorted, to name the
element (about 10 ms a run for a 300-topic view). A click on a
topic comes back to Python as the trigger value ``clicked`` (its node id); the
app sets the focus, and from it the URL, in Python, so Back/Forward and links
keep working without any script touching the page's address.

The tooltips of topics and lines (evidence from the notes: most of a view's
size) are not in that data: :func:`draw_tips` sends them at the end of the
run, to a second instance of the component that draws nothing (same script:
no other file to fetch), so the graph is drawn without waiting for them; the
graph makes a tooltip when its topic or line is first hovered.

Note text reaches the component only as JSON data and is put in the page as
text: labels are drawn on the canvas, tooltips and the legend are set with
``textContent``.

Streamlit finds a component's files through a ``[tool.streamlit.component]``
table in an installed package's ``pyproject.toml``; an editable install or a
checkout has none it can find, so :func:`register` declares the same thing to
the running server directly: ``notes-graph.graph`` (``graph/ui/component/``) and
``notes-graph.vis`` (pyvis's ``lib/vis-9.1.2/``).

>>> COMPONENT, VIS_COMPONENT
('notes-graph.graph', 'notes-graph.vis')
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyvis

from graph.ui.view import GraphView, packed

__all__ = [
    "ASSETS",
    "COMPONENT",
    "VIS_ASSETS",
    "VIS_COMPONENT",
    "clicked_node",
    "draw",
    "draw_tips",
    "register",
    "register_assets",
    "sent_data",
]

#: The component's name (``project.component``, as Streamlit names packaged components) and its files.
COMPONENT = "notes-graph.graph"
ASSETS = Path(__file__).resolve().parent / "component"
#: vis-network as pyvis ships it: served as it is, never copied into this package.
VIS_COMPONENT = "notes-graph.vis"
VIS_ASSETS = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
JS, CSS = "graph.js", "graph.css"

_mount = None


def register() -> None:
    """Declare the component's files to the running Streamlit server (once per server; cheap to repeat).

    Outside a running server (a plain import, a unit test) there is nothing to register with.
    """
    register_assets(COMPONENT, ASSETS)
    register_assets(VIS_COMPONENT, VIS_ASSETS)


def register_assets(name: str, folder: Path) -> None:
    """Declare to the running server that the component *name* (``project.component``) has its files in *folder*,
    as a packaged component's manifest would; nothing outside a running server, nothing when already declared."""
    from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
    from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return
    manager = get_bidi_component_manager()
    if manager.get_component_path(name) is None:
        project, component = name.split(".", 1)
        manifest = ComponentManifest(project, "1", [ComponentConfig(component, asset_dir=folder.name)])
        manager.register_from_manifest(manifest, folder.parent)


def _component():
    """The mount command of the component (made once per process)."""
    global _mount
    if _mount is None:
        import streamlit as st

        register()
        _mount = st.components.v2.component(COMPONENT, js=JS, css=CSS)
    else:
        register()  # a new server in the same process (AppTest) knows nothing yet
    return _mount


def draw(view: GraphView, key: str = "notes-graph", on_click: Callable[[], None] | None = None) -> str | None:
    """Put *view* on screen; returns the node id clicked in the run that the click started, else ``None``.

    *on_click* runs before the script when a topic is clicked (read the node
    with :func:`clicked_node`): the place to set the focus, since widgets drawn
    above the graph cannot change once drawn.
    """
    from streamlit.runtime import Runtime

    if not Runtime.exists():  # bare mode (a script run without a server): nothing is drawn anyway
        return None
    result = _component()(
        key=key,
        data=view.payload or packed(view.data),
        height="content",
        on_clicked_change=on_click or (lambda: None),
        width="stretch",
    )
    return result.clicked


def draw_tips(tips: dict | bytes, key: str = "notes-graph-tips") -> None:
    """Send the tooltips of the drawn view's topics and lines (:meth:`GraphView.tips <graph.ui.view.GraphView.tips>`,
    or the same as :func:`~graph.ui.view.packed` JSON).

    Call it last in the run, after everything the user reads first: nothing is drawn, and the graph needs them only
    when a line is hovered.
    """
    from streamlit.runtime import Runtime

    if Runtime.exists():
        data = tips if isinstance(tips, bytes) else packed(tips)
        _component()(key=key, data=data, height="content", width="stretch")


def clicked_node(key: str = "notes-graph") -> str | None:
    """In an ``on_click`` callback: the id of the topic clicked in the component *key*."""
    import streamlit as st

    state = st.session_state.get(key)
    return state.get("clicked") if state else None


def sent_data(proto) -> dict | list | None:
    """What an instance of the component was sent, from its element's proto (``BidiComponent``): JSON as bytes (what
    :func:`draw` sends) or as text (what Streamlit makes of a dict).

    >>> from types import SimpleNamespace
    >>> sent_data(SimpleNamespace(bytes=b'{"key":"k"}', json=""))
    {'key': 'k'}
    """
    raw = proto.bytes or proto.json
    return json.loads(raw) if raw else None
