"""The explorer in a real browser: Debian's chromium, driven by Playwright, against ``streamlit run`` on loopback.

What only a browser can show:

* the graph draws (the graph component, ``graph/ui/graphcomponent.py``: it says
  what it drew in ``window.notesGraph``) and how long that takes from page load,
  for the bundled notes, a 300-node view and a phone's screen;
* a click on a topic in the graph refocuses the app (the click goes to Python
  as a trigger, the app sets the focus and ``?focus=``), and Back returns;
* the legend collapses; labels that would overlap are hidden;
* nothing is fetched from any host but loopback: every other request is
  blocked and fails the test; the console has no sandbox-escape warning (there
  is no iframe left to warn about);
* the XSS notes (``tests/xss_payloads.py``), uploaded through the sidebar,
  run nothing: no dialog opens, no ``<img src=x>`` appears, tooltips and
  markdown show the payloads as text.

Screenshots and the measured times are written to ``out/browser/``; server logs to pytest's temporary folder. Chromium
is installed by ``scripts/test.sh`` (Debian's ``chromium`` package); Playwright
only drives it, no browser is downloaded.
"""

from __future__ import annotations

import json
import re
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser_helpers import CHROMIUM, LOOPBACK, REPO, OutsideGuard, StreamlitServer, launch_chromium
from xss_payloads import FILE_NAME_PAYLOADS, LABEL_PAYLOADS, PAYLOADS, xss_notes

from graph.ui.view import outside_references

OUT = REPO / "out" / "browser"
#: Seconds to wait for a server to answer, a graph to draw.
START_TIMEOUT, DRAW_TIMEOUT = 60, 90

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (scripts/test.sh installs Debian's chromium)"
)


# --- the app and the browser --------------------------------------------------------------------------------------


def App(log_dir: Path, *app_args: str) -> StreamlitServer:
    """``streamlit run streamlit_app.py`` on a free loopback port (tests/browser_helpers.py), answering already."""
    return StreamlitServer(log=log_dir / "streamlit.log", app_args=app_args, wait=START_TIMEOUT)


@pytest.fixture(scope="module")
def out_dir() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT


@pytest.fixture(scope="module")
def timings(out_dir):
    """Measured times, written to out/browser/timings.json at the end (and printed)."""
    found: dict[str, float] = {}
    yield found
    (out_dir / "timings.json").write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    print("\nbrowser timings (ms):", json.dumps(found))


@pytest.fixture(scope="module")
def bundled_app(tmp_path_factory):
    app = App(tmp_path_factory.mktemp("logs"))
    yield app
    app.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


class Watch(OutsideGuard):
    """What a page did that it must not: requests to other hosts (blocked), dialogs, requests for ``src=x``."""

    def __init__(self) -> None:
        super().__init__()
        self.dialogs: list[str] = []
        self.console: list[str] = []

    def dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def message(self, message) -> None:
        if message.type in ("warning", "error"):
            self.console.append(message.text)

    def check(self) -> None:
        assert self.outside == [], "requests to other hosts"
        assert [m for m in self.console if "sandbox" in m.lower()] == [], "sandbox-escape warnings in the console"
        assert self.dialogs == [], "a note's script opened a dialog"
        assert [u for u in self.requests if urlparse(u).path.endswith("/x")] == [], "an <img src=x> was loaded"


def open_tab(browser, width: int, height: int):
    watch = Watch()
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", watch.route)
    tab = context.new_page()
    tab.on("dialog", watch.dialog)
    tab.on("console", watch.message)
    tab.watch = watch
    return tab


@pytest.fixture
def page(browser):
    tab = open_tab(browser, 1400, 1000)
    yield tab
    tab.context.close()
    tab.watch.check()


@pytest.fixture
def phone(browser):
    tab = open_tab(browser, 390, 844)
    yield tab
    tab.context.close()
    tab.watch.check()


#: In the page: what the graph component drew and when (epoch ms), or null before it drew.
DRAWN = """() => window.notesGraph && window.notesGraph.drawnAt ? {
    center: notesGraph.center, drawnAt: notesGraph.drawnAt, nodes: notesGraph.network.body.data.nodes.getIds()}
    : null"""


def wait_drawn(page, center: str | None = None, after: float = 0.0) -> dict:
    """Wait until the graph has drawn (centred on *center* when given, after epoch-ms *after*); returns what."""
    deadline = time.monotonic() + DRAW_TIMEOUT
    while time.monotonic() < deadline:
        try:
            info = page.evaluate(DRAWN)
            if info and (center is None or info["center"] == center) and info["drawnAt"] > after:
                return info
        except Exception:  # the page is navigating
            pass
        time.sleep(0.05)
    raise AssertionError(f"the graph did not draw (centred on {center}) within {DRAW_TIMEOUT} s")


def wait_idle(page) -> None:
    """Wait until the app has finished its run (Streamlit's "Stop" status widget gone for a second)."""
    deadline, quiet = time.monotonic() + DRAW_TIMEOUT, 0
    while quiet < 4:
        assert time.monotonic() < deadline, "the app kept running"
        quiet = quiet + 1 if page.locator('[data-testid="stStatusWidget"]').count() == 0 else 0
        time.sleep(0.25)


def load_time_ms(page, info: dict) -> float:
    """Milliseconds from the start of the page's navigation to the graph drawn."""
    return round(info["drawnAt"] - page.evaluate("() => performance.timeOrigin"), 1)


def node_point(page, node: str) -> dict:
    """Where *node* is drawn, in the page's coordinates (the graph scrolled into view first)."""
    return page.evaluate(
        """(id) => {
            const canvas = notesGraph.canvas();
            canvas.scrollIntoView({block: 'center'});
            const box = canvas.getBoundingClientRect();
            const net = notesGraph.network, p = net.canvasToDOM(net.getPositions([id])[id]);
            return {x: box.x + p.x, y: box.y + p.y};
        }""",
        node,
    )


def focus_param(page) -> str:
    return parse_qs(urlparse(page.url).query).get("focus", [""])[0]


# --- the tests ----------------------------------------------------------------------------------------------------


def test_bundled_notes_draw_and_a_click_refocuses_the_app(bundled_app, page, timings, out_dir):
    page.goto(bundled_app.url)
    info = wait_drawn(page)
    timings["bundled notes, first load (server cold)"] = load_time_ms(page, info)
    assert info["center"] == "service:kinesis"
    page.goto(bundled_app.url)
    info = wait_drawn(page)
    timings["bundled notes, page load to drawn graph"] = load_time_ms(page, info)
    assert focus_param(page) == "service:kinesis"
    assert page.locator("iframe").count() == 0  # the graph is part of the page: no frame, nothing to escape
    wait_idle(page)

    target = info["nodes"][1]
    point = node_point(page, target)
    clicked = page.evaluate("() => Date.now()")
    page.mouse.click(point["x"], point["y"])
    info = wait_drawn(page, center=target, after=clicked)
    timings["click on a topic to the refocused graph drawn"] = round(info["drawnAt"] - clicked, 1)
    assert focus_param(page) == target  # set by the app, from Python
    label = page.evaluate("(id) => notesGraph.label(id)", target)
    page.get_by_role("heading", name=label).first.wait_for()
    page.screenshot(path=str(out_dir / "refocused.png"))

    wait_idle(page)
    back = page.evaluate("() => Date.now()")
    page.go_back()
    info = wait_drawn(page, center="service:kinesis", after=back)
    timings["Back to the previous topic drawn"] = round(info["drawnAt"] - back, 1)
    assert focus_param(page) == "service:kinesis"
    wait_idle(page)
    page.go_forward()
    wait_drawn(page, center=target)
    assert focus_param(page) == target


def test_the_legend_collapses_and_the_view_fits_and_zooms(bundled_app, page, out_dir):
    page.goto(f"{bundled_app.url}?focus=service:s3&depth=2")
    wait_drawn(page, center="service:s3")
    wait_idle(page)
    legend = page.locator("details.ng-legend")
    assert legend.evaluate("(el) => el.open") is True  # open on a wide screen
    rows = legend.locator(".ng-legend-row").all_inner_texts()
    assert "service" in rows and "mentioned together" in rows
    assert any("feeds" in row for row in rows)  # each relation's colour is named
    covered = legend.bounding_box()
    page.locator("details.ng-legend summary").click()
    assert legend.evaluate("(el) => el.open") is False
    assert legend.bounding_box()["height"] < covered["height"] / 3
    page.screenshot(path=str(out_dir / "legend-closed.png"))
    scale = page.evaluate("() => notesGraph.network.getScale()")
    page.get_by_role("button", name="Zoom in").click()
    zoomed = page.evaluate("() => notesGraph.network.getScale()")
    assert zoomed > scale * 1.3
    page.get_by_role("button", name="Fit the whole view").click()
    assert abs(page.evaluate("() => notesGraph.network.getScale()") - scale) < scale * 0.05  # the whole view again
    # Labels that would overlap are hidden (drawn empty) at this zoom, and come back zoomed in.
    hidden_ids = "() => notesGraph.network.body.data.nodes.get().filter(n => n.label === '').map(n => n.id)"
    # The labels are sorted out on the animation frame after the zoom (graph.js `soon`): on a busy machine that
    # frame may come after the click returns, so wait for it rather than read at once.
    page.wait_for_function(f"({hidden_ids})().length > 0", timeout=10_000)
    hidden = set(page.evaluate(hidden_ids))
    assert hidden
    # Hovering a topic keeps it and its neighbours and fades the rest.
    hover_tooltip(page, "service:s3")
    opacity = page.evaluate(
        "() => Object.fromEntries(notesGraph.network.body.data.nodes.get().map(n => [n.id, n.opacity]))"
    )
    near = set(page.evaluate("() => notesGraph.network.getConnectedNodes('service:s3')")) | {"service:s3"}
    assert {n for n, o in opacity.items() if o == 1} == near and len(near) < len(opacity)
    page.mouse.move(5, 5)
    for _ in range(4):
        page.get_by_role("button", name="Zoom in").click()
    # Zoomed in, labels hidden at the fitted zoom come back (those now off screen stay hidden).
    shown_again = "(ids) => notesGraph.network.body.data.nodes.get(ids).some(n => n.label !== '')"
    page.wait_for_function(shown_again, arg=sorted(hidden), timeout=10_000)
    assert hidden - set(page.evaluate(hidden_ids))


def test_the_served_page_and_the_graph_reference_no_outside_host(bundled_app, page):
    with urllib.request.urlopen(bundled_app.url, timeout=10) as answer:
        index = answer.read().decode("utf-8")
    assert outside_references(index) == []
    # Every message the page gets: the graph's script and vis-network come inside them (graphcomponent.preload).
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f if isinstance(f, bytes) else b"")))
    page.goto(f"{bundled_app.url}?focus=s3&depth=2")
    info = wait_drawn(page, center="service:s3")
    # Neither is fetched as a file, so neither waits behind the scripts Streamlit's other elements fetch.
    assert [u for u in page.watch.requests if "/_stcore/bidi-components/" in u] == []
    assert page.evaluate("() => typeof vis.Network") == "function"
    lib = [f for f in frames if b'performance.mark("notes-graph:lib")' in f]
    assert len(lib) == 1 and len(lib[0]) > 400_000  # vis-network, once
    assert outside_references(lib[0].decode("utf-8", "replace")) == []
    # The live page's own assets are absolute URLs of this server: only other hosts count.
    assert [u for u in outside_references(page.content()) if urlparse(u).hostname not in LOOPBACK] == []
    assert len(info["nodes"]) == 70  # the default cap at depth 2 (graph/ui/appstate.py CAP_BY_DEPTH)
    # The page's own requests all went to this server (Watch fails the test on any other).
    assert page.watch.requests and all(urlparse(u).hostname in LOOPBACK for u in page.watch.requests if "://" in u)
    # Another topic, then Back (a full run): new data, and vis-network not sent again (a reference to the page's copy).
    wait_idle(page)
    page.get_by_label("Find a topic").fill("kinesis")
    page.get_by_label("Find a topic").press("Enter")
    wait_drawn(page, center="service:kinesis")
    wait_idle(page)
    page.go_back()
    wait_drawn(page, center="service:s3")
    wait_idle(page)
    assert sum(b'performance.mark("notes-graph:lib")' in f for f in frames) == 1
    assert sum(len(f) > 400_000 for f in frames) == 1
    # The lines' tooltips come to a second instance of the same script, which draws nothing; so does the lib.
    assert page.locator(".st-key-notes-graph-tips").bounding_box()["height"] == 0
    assert page.locator(".st-key-notes-graph-lib").bounding_box()["height"] == 0


def test_a_300_topic_view_draws_in_about_a_second(page, timings, out_dir, tmp_path_factory):
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate_corpus import ensure_corpus
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    corpus = ensure_corpus(tmp_path_factory.mktemp("corpus") / "notes", 120, seed=1)
    app = App(tmp_path_factory.mktemp("logs"), "--notes", str(corpus))
    try:
        url = f"{app.url}?focus=service:s3&depth=3&cap=300"
        page.goto(url)
        wait_drawn(page, center="service:s3")  # the first load builds the corpus
        page.goto(url)
        info = wait_drawn(page, center="service:s3")
        timings["300-topic view, page load to drawn graph"] = load_time_ms(page, info)
        assert len(info["nodes"]) == 300
        # Drawn means usable: physics is off, so the view does not move on its own.
        before = page.evaluate("() => notesGraph.network.getPositions()")
        time.sleep(0.5)
        assert page.evaluate("() => notesGraph.network.getPositions()") == before
        assert page.evaluate("() => notesGraph.network.physics.options.enabled") is False
        page.screenshot(path=str(out_dir / "view-300.png"))
    finally:
        app.close()


def test_a_phone_draws_the_graph_with_the_legend_closed(bundled_app, phone, out_dir):
    phone.goto(bundled_app.url)
    info = wait_drawn(phone, center="service:kinesis")
    assert len(info["nodes"]) > 20
    canvas = phone.evaluate(
        "() => { const b = notesGraph.canvas().getBoundingClientRect(); return [b.width, b.height]; }"
    )
    assert canvas[0] <= 390 and canvas[0] > 250 and canvas[1] >= 280
    assert phone.locator("details.ng-legend").evaluate("(el) => el.open") is False  # it would cover the graph
    phone.evaluate("() => notesGraph.canvas().scrollIntoView({block: 'center'})")
    phone.screenshot(path=str(out_dir / "phone.png"))


def hover_tooltip(page, node: str):
    """Move the mouse onto *node* and return vis-network's tooltip element, once shown."""
    # Topics' tooltips come with the lines', after the view is drawn.
    page.wait_for_function("(id) => notesGraph.nodeTip(id) !== ''", arg=node, timeout=DRAW_TIMEOUT * 1000)
    for attempt in range(3):
        try:
            point = node_point(page, node)
            page.mouse.move(point["x"] - 40, point["y"] - 40)
            page.mouse.move(point["x"], point["y"], steps=8)  # vis-network shows a tooltip after the pointer rests
            tooltip = page.locator("div.vis-tooltip")
            tooltip.wait_for(state="visible")
            return tooltip
        except Exception:
            if attempt == 2:
                raise
            wait_idle(page)
    raise AssertionError("unreachable")


def hover_line(page, lines: list[int]):
    """Move the mouse onto the middle of one of the drawn *lines* (indexes: ids ``e<i>``) where nothing else is, and
    return vis-network's tooltip element once shown."""
    point = page.evaluate(
        """(ids) => {
            const canvas = notesGraph.canvas(), net = notesGraph.network;
            canvas.scrollIntoView({block: 'center'});
            const box = canvas.getBoundingClientRect();
            for (const id of ids.map((i) => `e${i}`)) {
                const line = net.body.edges[id];
                const ends = net.getPositions([line.fromId, line.toId]);
                const a = net.canvasToDOM(ends[line.fromId]), b = net.canvasToDOM(ends[line.toId]);
                const mid = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
                const inside = mid.x > 5 && mid.y > 5 && mid.x < box.width - 5 && mid.y < box.height - 5;
                if (inside && net.getNodeAt(mid) === undefined && net.getEdgeAt(mid) === id) {
                    return {x: box.x + mid.x, y: box.y + mid.y};
                }
            }
            return null;
        }""",
        lines,
    )
    assert point, "no line to hover clear of other topics and lines"
    page.mouse.move(point["x"] - 30, point["y"] - 30)
    page.mouse.move(point["x"], point["y"], steps=8)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    return tooltip


def search(page, text: str, center: str | None = None) -> dict:
    box = page.get_by_label("Find a topic")
    box.fill(text)
    box.press("Enter")
    return wait_drawn(page, center=center)


def test_xss_notes_run_nothing_and_show_as_text(bundled_app, page, out_dir):
    page.goto(bundled_app.url)
    wait_drawn(page, center="service:kinesis")
    wait_idle(page)
    page.get_by_text("Uploaded files").click()
    wait_idle(page)
    files = [{"name": name, "mimeType": "text/markdown", "buffer": text.encode()} for name, text in xss_notes().items()]
    page.get_by_test_id("ngUploadFiles").set_input_files(files)  # the app's upload control
    page.get_by_text(f"{len(files)} files chosen", exact=False).wait_for(timeout=DRAW_TIMEOUT * 1000)
    wait_idle(page)
    page.get_by_role("button", name="Build").click()
    page.get_by_text(re.compile(rf"Built \d+ topics, \d+ relations from {len(files)} file")).first.wait_for(
        timeout=DRAW_TIMEOUT * 1000
    )
    wait_idle(page)  # until the run ends, a message above the search box leaves its old copy on the page too

    search(page, "amazon sqs", center="service:sqs")
    wait_idle(page)
    # Tooltips: the payloads are in the lines' tips (sent after the view), and the component shows them as text, never
    # as elements, made when the line is first hovered.
    page.wait_for_function("() => notesGraph.edgeTip('e0') !== ''")
    edge_titles = page.evaluate("() => notesGraph.network.body.data.edges.getIds().map(notesGraph.edgeTip)")
    hostile = [p for p in PAYLOADS if "<" in p]
    assert any(p in title for title in edge_titles for p in hostile)
    line = hover_line(page, [i for i, title in enumerate(edge_titles) if any(p in title for p in hostile)])
    assert line.evaluate("(el) => Array.from(el.querySelectorAll('*')).map(c => c.tagName)") == ["DIV"]
    assert any(p in line.inner_text() for p in hostile)
    page.mouse.move(5, 5)
    tooltip = hover_tooltip(page, "service:sqs")
    # The tooltip holds one element the component made, with the text in it: nothing from the note is an element.
    tags = tooltip.evaluate("(el) => Array.from(el.querySelectorAll('*')).map(c => c.tagName + '.' + c.className)")
    assert tags == ["DIV.ng-tip"]
    assert tooltip.inner_text().startswith("Amazon SQS (AWS service)")
    # Markdown (the reasons of related topics) shows the payloads as the characters written.
    page.get_by_role("radiogroup", name="View").get_by_role("radio", name="Related").first.click()
    page.get_by_text("<script>alert(").first.wait_for(timeout=DRAW_TIMEOUT * 1000)
    page.get_by_role("radiogroup", name="View").get_by_role("radio", name="Topic").first.click()
    # A label made of a payload is a heading that reads as the payload.
    search(page, LABEL_PAYLOADS[0])
    page.get_by_role("heading", name=LABEL_PAYLOADS[0]).wait_for()
    # File names made of payloads are shown as names, in the tooltip of a topic they mention.
    search(page, "amazon sns", center="service:sns")
    wait_idle(page)
    assert any(name in hover_tooltip(page, "service:sns").inner_text() for name in FILE_NAME_PAYLOADS)
    # The legend and the title are text too (a label made of a payload is in the title of its view).
    page.screenshot(path=str(out_dir / "xss.png"), full_page=True)

    time.sleep(1)  # give any script that did get in a moment to run
    for each in page.frames:
        assert each.locator('img[src="x"], img[src^="http://evil"]').count() == 0
    scripts = page.evaluate("() => Array.from(document.scripts).map(s => s.textContent)")
    assert not any("alert(" in text for text in scripts)
