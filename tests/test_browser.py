"""The explorer in a real browser: Debian's chromium, driven by Playwright, against ``streamlit run`` on loopback.

What only a browser can show:

* the graph draws (``network.body.data.nodes`` in the graph's frame) and how
  long that takes from page load, for the bundled notes and a 300-node view;
* a click on a topic in the graph refocuses the app (the frame's script sets
  ``?focus=`` on the app's URL and Streamlit reruns), and Back returns;
* nothing is fetched from any host but loopback: every other request is
  blocked and fails the test;
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
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from xss_payloads import FILE_NAME_PAYLOADS, LABEL_PAYLOADS, PAYLOADS, xss_notes

from graph.ui.view import outside_references

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "out" / "browser"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: Seconds to wait for a server to answer, a graph to draw.
START_TIMEOUT, DRAW_TIMEOUT = 60, 90

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (scripts/test.sh installs Debian's chromium)"
)


# --- the app and the browser --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class App:
    """``streamlit run streamlit_app.py`` on a free loopback port, stopped (this process only) on close."""

    def __init__(self, log_dir: Path, *app_args: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py")]
        command += ["--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true"]
        command += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        self.log = (log_dir / f"streamlit-{self.port}.log").open("w")
        command += ["--", *app_args]
        self.process = subprocess.Popen(command, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}_stcore/health", timeout=1) as answer:
                    if answer.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        self.close()
        raise RuntimeError(f"streamlit did not start on port {self.port}; see {self.log.name}")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


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
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


class Watch:
    """What a page did that it must not: requests to other hosts (blocked), dialogs, requests for ``src=x``."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOOPBACK:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        assert self.outside == [], "requests to other hosts"
        assert self.dialogs == [], "a note's script opened a dialog"
        assert [u for u in self.requests if urlparse(u).path.endswith("/x")] == [], "an <img src=x> was loaded"


@pytest.fixture
def page(browser):
    watch = Watch()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", watch.route)
    tab = context.new_page()
    tab.on("dialog", watch.dialog)
    tab.watch = watch
    yield tab
    context.close()
    watch.check()


def graph_frame(page):
    handle = page.locator('iframe[title="Neighbourhood graph"]').element_handle(timeout=DRAW_TIMEOUT * 1000)
    return handle.content_frame()


#: In the graph's frame: what is drawn and when, or null before it is.
DRAWN = """() => window.notesGraphDrawnAt && typeof network !== 'undefined' ? {
    center: notesGraphView.center, drawnAt: notesGraphDrawnAt, frameStart: performance.timeOrigin,
    nodes: network.body.data.nodes.getIds()} : null"""


def wait_drawn(page, center: str | None = None) -> tuple:
    """Wait until the graph frame has drawn (centred on *center* when given); returns (frame, info)."""
    deadline = time.monotonic() + DRAW_TIMEOUT
    while time.monotonic() < deadline:
        try:
            frame = graph_frame(page)
            info = frame.evaluate(DRAWN)
            if info and (center is None or info["center"] == center):
                return frame, info
        except Exception:  # the frame is being replaced by a rerun: look again
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


def frame_time_ms(info: dict) -> float:
    """Milliseconds from the graph's frame starting to load (its HTML arrived) to the graph drawn."""
    return round(info["drawnAt"] - info["frameStart"], 1)


def node_point(frame, node: str) -> dict:
    return frame.evaluate("(id) => network.canvasToDOM(network.getPositions([id])[id])", node)


def focus_param(page) -> str:
    return parse_qs(urlparse(page.url).query).get("focus", [""])[0]


# --- the tests ----------------------------------------------------------------------------------------------------


def test_bundled_notes_draw_and_a_click_refocuses_the_app(bundled_app, page, timings, out_dir):
    page.goto(bundled_app.url)
    frame, info = wait_drawn(page)
    timings["bundled notes, first load (server cold)"] = load_time_ms(page, info)
    assert info["center"] == "service:kinesis"
    page.goto(bundled_app.url)
    frame, info = wait_drawn(page)
    timings["bundled notes, page load to drawn graph"] = load_time_ms(page, info)
    timings["bundled notes, graph frame load to drawn"] = frame_time_ms(info)
    assert focus_param(page) == "service:kinesis"

    target = info["nodes"][1]
    point = node_point(frame, target)
    clicked = time.monotonic()
    frame.locator("#mynetwork canvas").click(position=point)
    frame, _ = wait_drawn(page, center=target)
    timings["click on a topic to the refocused graph drawn"] = round(1000 * (time.monotonic() - clicked), 1)
    assert focus_param(page) == target
    label = frame.evaluate("(id) => network.body.data.nodes.get(id).label", target)
    page.get_by_role("heading", name=label).first.wait_for()
    page.screenshot(path=str(out_dir / "refocused.png"))

    page.go_back()
    wait_drawn(page, center="service:kinesis")
    assert focus_param(page) == "service:kinesis"


def test_the_served_page_and_the_graph_reference_no_outside_host(bundled_app, page):
    with urllib.request.urlopen(bundled_app.url, timeout=10) as answer:
        index = answer.read().decode("utf-8")
    assert outside_references(index) == []
    page.goto(f"{bundled_app.url}?focus=s3&depth=2")
    frame, info = wait_drawn(page, center="service:s3")
    assert outside_references(frame.content()) == []
    # The live page's own assets are absolute URLs of this server: only other hosts count.
    assert [u for u in outside_references(page.content()) if urlparse(u).hostname not in LOOPBACK] == []
    assert len(info["nodes"]) == 100
    # The page's own requests all went to this server (Watch fails the test on any other).
    assert page.watch.requests and all(urlparse(u).hostname in LOOPBACK for u in page.watch.requests if "://" in u)


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
        frame, info = wait_drawn(page, center="service:s3")
        timings["300-topic view, page load to drawn graph"] = load_time_ms(page, info)
        timings["300-topic view, graph frame load to drawn"] = frame_time_ms(info)
        assert len(info["nodes"]) == 300
        # Drawn means usable: physics is off, so the view does not move on its own.
        before = frame.evaluate("() => network.getPositions()")
        time.sleep(0.5)
        assert frame.evaluate("() => network.getPositions()") == before
        assert frame.evaluate("() => network.physics.options.enabled") is False
        page.screenshot(path=str(out_dir / "view-300.png"))
    finally:
        app.close()


def hover_tooltip(page, frame, node: str):
    """Move the mouse onto *node* and return vis-network's tooltip element, once shown.

    A rerun of the app can replace the graph's frame right after it drew ("Frame was detached"):
    then wait for the app to settle, find the frame again and retry.
    """
    for attempt in range(3):
        try:
            box = frame.locator("#mynetwork canvas").bounding_box()
            point = node_point(frame, node)
            x, y = box["x"] + point["x"], box["y"] + point["y"]
            page.mouse.move(x - 40, y - 40)
            page.mouse.move(x, y, steps=8)  # vis-network shows a tooltip after the pointer rests on a topic
            tooltip = frame.locator("div.vis-tooltip")
            tooltip.wait_for(state="visible")
            return tooltip
        except Exception:
            if attempt == 2:
                raise
            wait_idle(page)
            frame, _ = wait_drawn(page)
    raise AssertionError("unreachable")


def search(page, text: str, center: str | None = None) -> tuple:
    box = page.get_by_label("Find a topic")
    box.fill(text)
    box.press("Enter")
    return wait_drawn(page, center=center)


def test_xss_notes_run_nothing_and_show_as_text(bundled_app, page, out_dir):
    page.goto(bundled_app.url)
    wait_drawn(page, center="service:kinesis")
    page.get_by_text("Uploaded files").click()
    wait_idle(page)
    files = [{"name": name, "mimeType": "text/markdown", "buffer": text.encode()} for name, text in xss_notes().items()]
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files)
    sidebar = page.locator('[data-testid="stSidebar"]')
    deadline = time.monotonic() + DRAW_TIMEOUT
    while sidebar.inner_text().count(".md") < len(files):  # each file is listed once uploaded
        assert time.monotonic() < deadline, "the files were not uploaded"
        time.sleep(0.2)
    wait_idle(page)
    page.get_by_role("button", name="Build").click()
    page.get_by_text(re.compile(rf"Built \d+ topics, \d+ relations from {len(files)} file")).first.wait_for(
        timeout=DRAW_TIMEOUT * 1000
    )
    wait_idle(page)  # until the run ends, a message above the search box leaves its old copy on the page too

    frame, _ = search(page, "amazon sqs", center="service:sqs")
    # Tooltips: the payloads are in the data, and vis-network shows them as text, never as elements.
    edge_titles = frame.evaluate("() => network.body.data.edges.get().map(e => e.title)")
    assert any(p in title for title in edge_titles for p in PAYLOADS if "<" in p)
    tooltip = hover_tooltip(page, frame, "service:sqs")
    # innerText turns each line break into a <br>: that is the only element a tooltip may hold.
    assert set(tooltip.evaluate("(el) => Array.from(el.querySelectorAll('*')).map(c => c.tagName)")) <= {"BR"}
    assert tooltip.inner_text().startswith("Amazon SQS (AWS service)")
    # Markdown (the reasons of related topics) shows the payloads as the characters written.
    page.get_by_role("radiogroup", name="View").get_by_role("radio", name="Related").first.click()
    assert page.get_by_text("<script>alert(").count() >= 1
    page.get_by_role("radiogroup", name="View").get_by_role("radio", name="Topic").first.click()
    # A label made of a payload is a heading that reads as the payload.
    search(page, LABEL_PAYLOADS[0])
    page.get_by_role("heading", name=LABEL_PAYLOADS[0]).wait_for()
    # File names made of payloads are shown as names, in the tooltip of a topic they mention.
    frame, _ = search(page, "amazon sns", center="service:sns")
    assert any(name in hover_tooltip(page, frame, "service:sns").inner_text() for name in FILE_NAME_PAYLOADS)
    page.screenshot(path=str(out_dir / "xss.png"), full_page=True)

    time.sleep(1)  # give any script that did get in a moment to run
    for each in page.frames:
        assert each.locator('img[src="x"], img[src^="http://evil"]').count() == 0
    scripts = page.evaluate("() => Array.from(document.scripts).map(s => s.textContent)")
    assert not any("alert(" in text for text in scripts)
