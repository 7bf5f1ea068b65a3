"""The app's graph: one Streamlit custom component (components v2) drawing a :class:`~graph.ui.view.GraphView`.

The component is part of the page, not an iframe. Its JavaScript
(``graph/ui/component/graph.js``) and vis-network (the file the pyvis package
ships) reach the page inside the run's own messages, once per page: the
component's script and styles as inline content of each instance (17 KB), and
vis-network as the inline script of a second component, ``notes-graph.lib``,
that :func:`preload` puts first in the run and that draws nothing. Streamlit
sends a message it sent before as a reference to the browser's copy, so a
rerun does not send vis-network again. Served as files, they were fetched only
once the graph was on screen, each behind the ~50 scripts that Streamlit's
other elements fetch on a new page over six connections (about 0.5 s of a new
session); in the messages they arrive with the run, before any of those.

Each rerun sends the view's data (nodes, edges, options, legend:
:attr:`GraphView.data <graph.ui.view.GraphView>`, plain JSON), as the bytes
of JSON made once per view (``GraphView.payload``): a dict would be
serialised by Streamlit on each run, and once more, sorted, to name the
element (about 10 ms a run for a 300-topic view). A click on a
topic comes back to Python as the trigger value ``clicked`` (its node id); the
app sets the focus, and from it the URL, in Python, so Back/Forward and links
keep working without any script touching the page's address.

The tooltips of topics and lines (evidence from the notes: most of a view's
size) are not in that data: :func:`draw_tips` sends them at the end of the
run, to a second instance of the component that draws nothing (the same
script), so the graph is drawn without waiting for them; the graph makes a
tooltip when its topic or line is first hovered.

Note text reaches the component only as JSON data and is put in the page as
text: labels are drawn on the canvas, tooltips and the legend are set with
``textContent``.

>>> COMPONENT, LIB_COMPONENT
('notes-graph.graph', 'notes-graph.lib')
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
    "LIB_COMPONENT",
    "LIB_KEY",
    "VIS_ASSETS",
    "clicked_node",
    "draw",
    "draw_tips",
    "inline_text",
    "lib_script",
    "preload",
    "register_assets",
    "sent_data",
]

#: The component's name (``project.component``, as Streamlit names packaged components) and its files.
COMPONENT = "notes-graph.graph"
ASSETS = Path(__file__).resolve().parent / "component"
JS, CSS = "graph.js", "graph.css"
#: vis-network as pyvis ships it: read from there, never copied into this package.
VIS_ASSETS = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
#: The component that brings vis-network to the page, and the key of its one instance (:func:`preload`).
LIB_COMPONENT, LIB_KEY = "notes-graph.lib", "notes-graph-lib"
#: Run after vis-network's own code in the lib instance: hands the library to graph.js (see ``LIB`` there), whichever
#: of the two scripts the browser runs first.
LIB_HANDOVER = """
const LIB = (globalThis.notesGraphLib = globalThis.notesGraphLib || {});
if (!LIB.ready) LIB.ready = new Promise((resolve) => { LIB.settle = resolve; });
LIB.settle(globalThis.vis);
performance.mark("notes-graph:lib");
export default function () {}
"""

_mount = None
_lib = None


def register_assets(name: str, folder: Path) -> None:
    """Declare to the running server that the component *name* (``project.component``) has its files in *folder*,
    as a packaged component's manifest would; nothing outside a running server, nothing when already declared.

    Streamlit finds a component's files through a ``[tool.streamlit.component]`` table in an installed package's
    ``pyproject.toml``; an editable install or a checkout has none it can find (the upload control's files).
    """
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


def inline_text(path: Path) -> str:
    """The text of the script or style sheet *path* as a component's inline content: without its source map comment
    (no map file lies beside inline content).

    Lines are cut at newlines only: ``str.splitlines`` would also cut at the U+2028 and U+001C characters inside
    vis-network's string literals, and the script would no longer parse.
    """
    text = path.read_text(encoding="utf-8")
    return "\n".join(line for line in text.split("\n") if not line.startswith("//# sourceMappingURL=")) + "\n"


def lib_script() -> str:
    """The lib instance's script: vis-network (a UMD bundle: run as a module, it sets ``globalThis.vis``), then the
    hand-over to graph.js."""
    return inline_text(VIS_ASSETS / "vis-network.min.js") + LIB_HANDOVER


def preload(key: str = LIB_KEY) -> None:
    """Send vis-network to the page; call it once per run, before anything else is drawn. :func:`draw` needs it.

    Its message comes first, so the browser asks for Streamlit's component code before any other element's and has
    vis-network ready by the time the graph's data arrives. It draws nothing; Streamlit sends it to a page that has
    it as a reference, so a rerun costs a few bytes.
    """
    from streamlit.runtime import Runtime

    global _lib
    if not Runtime.exists():  # bare mode: nothing is drawn
        return
    if _lib is None:
        import streamlit as st

        _lib = st.components.v2.component(LIB_COMPONENT, js=lib_script())
    _lib(key=key, height="content", width="stretch")


def _component():
    """The mount command of the component (made once per process; Streamlit declares it to each new server)."""
    global _mount
    if _mount is None:
        import streamlit as st

        _mount = st.components.v2.component(COMPONENT, js=inline_text(ASSETS / JS), css=inline_text(ASSETS / CSS))
    return _mount


def draw(view: GraphView, key: str = "notes-graph", on_click: Callable[[], None] | None = None) -> str | None:
    """Put *view* on screen; returns the node id clicked in the run that the click started, else ``None``.

    *on_click* runs before the script when a topic is clicked (read the node
    with :func:`clicked_node`): the place to set the focus, since widgets drawn
    above the graph cannot change once drawn. The graph is drawn with the
    vis-network that :func:`preload` sent, first in the run.
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
