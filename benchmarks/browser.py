"""The explorer as a person feels it: how long a click, a filter change, Back/Forward and a start take in Chromium.

Drives Debian's chromium with Playwright (as ``tests/test_browser.py`` does: no browser download, every request to
another host blocked) against ``streamlit run`` on a free loopback port, and prints the median and the slowest of
several runs of each figure:

* **click -> redrawn**: a click on a topic in the graph until the graph centred on it is drawn, on the bundled notes
  and on a 300-topic view of a generated corpus (120 notes, depth 3, cap 300);
* **filter change -> redrawn**: the "Stated only" toggle switched, until the graph drawn again;
* **Back / Forward -> redrawn**: the browser's Back after a click, then Forward;
* **cold start -> drawn**: ``streamlit run`` started until the first graph is drawn in a page opened as soon as the
  server answers (the per-file extraction cache in ``~/.cache`` is warm: only the process is cold);
* **new session -> drawn**: a new browser context on a warm server, from navigation start to the graph drawn.

Targets (issue 14): every redraw < 0.4 s, cold start < 6 s, new session < 2 s.

    python benchmarks/browser.py                      # 5 runs of each figure (about 3 minutes)
    python benchmarks/browser.py --runs 3 --json out/browser-bench.json
    python benchmarks/browser.py --quick              # 1 run, bundled notes only: checks that it works
    python benchmarks/browser.py --app /tmp/old/streamlit_app.py   # measure another checkout (before/after)
    python benchmarks/browser.py --compare /tmp/old/streamlit_app.py --runs 3   # both, runs alternated: A B A B

A graph counts as drawn when the page says so: the graph component (``window.notesGraph``) or, in versions before it,
the graph's iframe (``notesGraphDrawnAt``) records the time vis-network finished its first drawing of that view.
Figures depend on the machine and its load: compare figures measured on the same machine, one after the other.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import partial
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
START_TIMEOUT, DRAW_TIMEOUT = 90, 90
TARGETS = {"click": 0.4, "filter": 0.4, "back": 0.4, "forward": 0.4, "cold": 6.0, "session": 2.0}

#: In the page: what is drawn and when ({center, drawnAt (epoch ms), nodes}) or null. Knows the graph component and
#: the iframe of earlier versions, so one script measures before and after.
PROBE = """() => {
  const g = window.notesGraph;
  if (g && g.drawnAt && g.network) {
    return {center: g.center, drawnAt: g.drawnAt, nodes: g.network.body.data.nodes.getIds()};
  }
  const f = document.querySelector('iframe[title="Neighbourhood graph"]');
  const w = f && f.contentWindow;
  if (w && w.notesGraphDrawnAt && w.network && w.notesGraphView) {
    return {center: w.notesGraphView.center, drawnAt: w.notesGraphDrawnAt, nodes: w.network.body.data.nodes.getIds()};
  }
  return null;
}"""

#: In the page: where *id* is drawn, in the page's coordinates.
NODE_POINT = """(id) => {
  let net = window.notesGraph && window.notesGraph.network, box, frameBox = {x: 0, y: 0};
  if (net) {
    window.notesGraph.canvas().scrollIntoView({block: 'center'});
    box = window.notesGraph.canvas().getBoundingClientRect();
  } else {
    const f = document.querySelector('iframe[title="Neighbourhood graph"]');
    f.scrollIntoView({block: 'center'});
    net = f.contentWindow.network;
    frameBox = f.getBoundingClientRect();
    box = f.contentDocument.querySelector('#mynetwork canvas').getBoundingClientRect();
  }
  const p = net.canvasToDOM(net.getPositions([id])[id]);
  return {x: frameBox.x + box.x + p.x, y: frameBox.y + box.y + p.y};
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``streamlit run APP`` on a free loopback port; ``started`` is when the process was launched (monotonic)."""

    def __init__(self, app: Path, log: Path, *app_args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(self.port)]
        command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
        command += ["--browser.gatherUsageStats", "false", "--", *app_args]
        self.log = log.open("w")
        self.started = time.monotonic()
        # Run from the app's own folder, so an older checkout's `graph` package is the one imported.
        env = dict(os.environ, PYTHONPATH=str(app.parent))
        self.process = subprocess.Popen(command, cwd=app.parent, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}_stcore/health", timeout=1) as answer:
                    if answer.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"streamlit did not answer on port {self.port} (log: {self.log.name})")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


class Browser:
    """Chromium through Playwright; every request to a host other than loopback is blocked and counted."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.chromium = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        self.outside: list[str] = []
        self.warnings: list[str] = []

    def new_page(self, width: int = 1400, height: int = 900):
        context = self.chromium.new_context(viewport={"width": width, "height": height})
        context.route("**/*", self._route)
        page = context.new_page()
        page.on("console", lambda msg: self.warnings.append(msg.text) if msg.type in ("warning", "error") else None)
        return page

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOOPBACK:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def close(self) -> None:
        self.chromium.close()
        self._playwright.stop()


def wait_drawn(page, center: str | None = None, after: float = 0.0, away_from: str | None = None) -> dict:
    """Wait for a graph drawn after epoch-ms *after*, centred on *center* (or on anything but *away_from*)."""
    deadline = time.monotonic() + DRAW_TIMEOUT
    while time.monotonic() < deadline:
        try:
            info = page.evaluate(PROBE)
        except Exception:  # the page is navigating or a frame is being replaced
            info = None
        if (
            info
            and (center is None or info["center"] == center)
            and (away_from is None or info["center"] != away_from)
            and info["drawnAt"] > after
        ):
            return info
        time.sleep(0.01)
    shot = REPO / "out" / "browser" / "bench-failure.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    raise RuntimeError(f"{page.url}: no graph drawn (centred on {center or 'another topic'}) within {DRAW_TIMEOUT} s")


def wait_idle(page) -> None:
    """Wait until the app's run has finished (Streamlit's running indicator gone for half a second)."""
    quiet = 0
    deadline = time.monotonic() + DRAW_TIMEOUT
    while quiet < 5 and time.monotonic() < deadline:
        quiet = quiet + 1 if page.locator('[data-testid="stStatusWidget"]').count() == 0 else 0
        time.sleep(0.1)


def now_ms(page) -> float:
    return page.evaluate("() => Date.now()")


def timed_redraw(page, act, center: str | None, away_from: str | None = None) -> tuple[float, dict]:
    """Seconds from *act()* until a graph (centred on *center*, or moved *away_from* a centre) is drawn anew."""
    start = now_ms(page)
    act()
    info = wait_drawn(page, center, after=start, away_from=away_from)
    return (info["drawnAt"] - start) / 1000, info


def stated_toggle(page):
    """The "Stated only" switch, opening a collapsed filters expander first if that is where it lives."""
    toggle = page.get_by_text("Stated only", exact=True).first
    if not toggle.is_visible():
        page.locator('[data-testid="stExpander"] summary').filter(has_text="ilter").first.click()
    return toggle


def measure_clicks(page, url: str, runs: int, figures: dict, name: str, start: int = 0) -> None:
    """Click a neighbour, then Back and Forward, *runs* times, each from a freshly loaded page (the *start*-th
    neighbour first)."""
    for run in range(start, start + runs):
        page.goto(url)
        first = wait_drawn(page)
        wait_idle(page)
        center = first["center"]
        target = first["nodes"][1 + run % (len(first["nodes"]) - 1)]
        point = page.evaluate(NODE_POINT, target)
        # In a dense view the point may fall on a neighbour of the target: whichever topic is focused counts.
        seconds, info = timed_redraw(page, lambda p=point: page.mouse.click(p["x"], p["y"]), None, away_from=center)
        figures.setdefault(f"click -> redrawn ({name})", []).append(seconds)
        wait_idle(page)
        seconds, _ = timed_redraw(page, page.go_back, center)
        figures.setdefault(f"Back -> redrawn ({name})", []).append(seconds)
        wait_idle(page)
        seconds, _ = timed_redraw(page, page.go_forward, info["center"])
        figures.setdefault(f"Forward -> redrawn ({name})", []).append(seconds)
        wait_idle(page)


def measure_filter(page, url: str, runs: int, figures: dict) -> None:
    page.goto(url)
    wait_drawn(page)
    wait_idle(page)
    for _ in range(runs):
        toggle = stated_toggle(page)
        seconds, _ = timed_redraw(page, toggle.click, None)
        figures.setdefault("filter change -> redrawn (bundled notes)", []).append(seconds)
        wait_idle(page)


def measure_cold_start(app: Path, browser: Browser, runs: int, logs: Path, figures: dict) -> None:
    for run in range(runs):
        server = Server(app, logs / f"cold-{run}.log")
        try:
            server.wait_ready()
            page = browser.new_page()
            page.goto(server.url)
            info = wait_drawn(page)
            # drawnAt is the browser's epoch clock; the process start is this machine's: both are this machine.
            drawn_epoch = info["drawnAt"] / 1000
            started_epoch = time.time() - (time.monotonic() - server.started)
            figures.setdefault("cold start -> drawn (bundled notes)", []).append(drawn_epoch - started_epoch)
            page.context.close()
        finally:
            server.close()


def measure_new_session(server: Server, browser: Browser, runs: int, figures: dict) -> None:
    for _ in range(runs):
        page = browser.new_page()
        page.goto(server.url)
        info = wait_drawn(page)
        origin = page.evaluate("() => performance.timeOrigin")
        figures.setdefault("new session -> drawn (warm server)", []).append((info["drawnAt"] - origin) / 1000)
        page.context.close()


def target_for(figure: str) -> float:
    return next(value for key, value in TARGETS.items() if key in figure.lower())


def report(figures: dict[str, list[float]]) -> list[dict]:
    rows = []
    width = max(len(f) for f in figures)
    print(f"{'figure':<{width}}  {'median s':>8}  {'max s':>6}  runs  target")
    for figure, seconds in figures.items():
        median, target = statistics.median(seconds), target_for(figure)
        verdict = "ok" if median < target else "SLOW"
        print(f"{figure:<{width}}  {median:8.3f}  {max(seconds):6.3f}  {len(seconds):4d}  < {target:g} s {verdict}")
        rows.append({"figure": figure, "median": median, "max": max(seconds), "seconds": seconds, "target": target})
    return rows


def attempt(what: str, measure, failures: list[str]) -> None:
    """Run one part of the measurement; a failure is reported and the other parts still run."""
    try:
        measure()
    except Exception as err:  # a benchmark reports what failed and goes on
        failures.append(f"{what}: {err}")
        print(f"{what} failed: {err}", file=sys.stderr)


def compare(apps: list[Path], runs: int, quick: bool) -> tuple[dict[Path, dict[str, list[float]]], list[str], Browser]:
    """Every figure of each app in *apps*, one run of one app after one run of the other (A B A B ...), servers side
    by side: on a shared machine whose load changes by the minute, each pair is measured under the same load."""
    figures: dict[Path, dict[str, list[float]]] = {app: {} for app in apps}
    failures: list[str] = []
    browser = Browser()
    with tempfile.TemporaryDirectory(prefix="browser-bench-") as tmp:
        logs = Path(tmp)
        try:
            for run in range(runs):
                for number, app in enumerate(apps):
                    logs_here = logs / f"{number}-{run}"
                    logs_here.mkdir()
                    cold = partial(measure_cold_start, app, browser, 1, logs_here, figures[app])
                    attempt("cold start", cold, failures)
            servers = [Server(app, logs / f"bundled-{n}.log") for n, app in enumerate(apps)]
            try:
                for server in servers:
                    server.wait_ready()
                pages = [browser.new_page() for _ in apps]
                for run in range(runs):
                    for app, server, page in zip(apps, servers, pages, strict=True):
                        attempt("new session", partial(measure_new_session, server, browser, 1, figures[app]), failures)
                        clicks = partial(measure_clicks, page, server.url, 1, figures[app], "bundled notes", run)
                        attempt("clicks", clicks, failures)
                        attempt("filter", partial(measure_filter, page, server.url, 1, figures[app]), failures)
            finally:
                for server in servers:
                    server.close()
            if not quick:
                sys.path.insert(0, str(REPO / "benchmarks"))
                from generate_corpus import ensure_corpus

                corpus = ensure_corpus(REPO / "benchmarks" / ".corpora" / "browser-120", 120, seed=1)
                servers = [Server(app, logs / f"corpus-{n}.log", "--notes", str(corpus)) for n, app in enumerate(apps)]
                try:
                    pages = []
                    for server in servers:
                        server.wait_ready()
                        page = browser.new_page()
                        page.goto(f"{server.url}?focus=service:s3&depth=3&cap=300")
                        wait_drawn(page, "service:s3")  # the first load builds the corpus
                        pages.append(page)
                    for run in range(runs):
                        for app, server, page in zip(apps, servers, pages, strict=True):
                            url = f"{server.url}?focus=service:s3&depth=3&cap=300"
                            clicks = partial(measure_clicks, page, url, 1, figures[app], "300-topic view", run)
                            attempt("300 clicks", clicks, failures)
                finally:
                    for server in servers:
                        server.close()
        finally:
            browser.close()
    return figures, failures, browser


def report_pair(before: dict[str, list[float]], after: dict[str, list[float]]) -> list[dict]:
    """The medians of *before* and *after* side by side, with after / before."""
    rows = []
    names = [f for f in before if f in after]
    width = max(len(f) for f in names) if names else 10
    print(f"{'figure':<{width}}  {'before':>7}  {'after':>7}  {'after/before':>12}  target")
    for figure in names:
        old, new = statistics.median(before[figure]), statistics.median(after[figure])
        target = target_for(figure)
        verdict = "ok" if new < target else "SLOW"
        print(f"{figure:<{width}}  {old:7.3f}  {new:7.3f}  {new / old:12.2f}  < {target:g} s {verdict}")
        rows.append({"figure": figure, "before": before[figure], "after": after[figure], "target": target})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--quick", action="store_true", help="1 run, bundled notes only: checks that it works")
    parser.add_argument("--app", type=Path, default=REPO / "streamlit_app.py", help="the streamlit_app.py to measure")
    parser.add_argument("--json", type=Path, help="also write every run's figures to this file")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="BEFORE_APP",
        help="also measure this streamlit_app.py (before), alternating runs with --app (after), and print both",
    )
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is not installed (scripts/test.sh installs Debian's chromium)", file=sys.stderr)
        return 2
    runs = 1 if args.quick else max(1, args.runs)
    app = args.app.resolve()
    if args.compare:
        before = args.compare.resolve()
        paired, failures, browser = compare([before, app], runs, args.quick)
        rows = report_pair(paired[before], paired[app])
        sandbox = [w for w in browser.warnings if "sandbox" in w.lower()]
        print(f"requests to other hosts: {len(browser.outside)}; sandbox-escape warnings: {len(sandbox)}")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            extra = {"before_app": str(before), "app": str(app), "failures": failures}
            args.json.write_text(json.dumps({"rows": rows, **extra}, indent=2) + "\n", encoding="utf-8")
        for failure in failures:
            print(f"FAILED {failure}")
        return 1 if browser.outside or failures else 0
    figures: dict[str, list[float]] = {}
    failures: list[str] = []
    browser = Browser()
    with tempfile.TemporaryDirectory(prefix="browser-bench-") as tmp:
        logs = Path(tmp)
        try:
            attempt("cold start", lambda: measure_cold_start(app, browser, runs, logs, figures), failures)
            server = Server(app, logs / "bundled.log")
            try:
                server.wait_ready()
                attempt("new session", lambda: measure_new_session(server, browser, runs, figures), failures)
                page = browser.new_page()
                attempt("clicks", lambda: measure_clicks(page, server.url, runs, figures, "bundled notes"), failures)
                attempt("filter", lambda: measure_filter(page, server.url, runs, figures), failures)
                page.context.close()
            finally:
                server.close()
            if not args.quick:
                sys.path.insert(0, str(REPO / "benchmarks"))
                from generate_corpus import ensure_corpus

                corpus = ensure_corpus(REPO / "benchmarks" / ".corpora" / "browser-120", 120, seed=1)
                server = Server(app, logs / "corpus.log", "--notes", str(corpus))
                try:
                    server.wait_ready()
                    page = browser.new_page()
                    url = f"{server.url}?focus=service:s3&depth=3&cap=300"
                    page.goto(url)
                    wait_drawn(page, "service:s3")  # the first load builds the corpus
                    attempt("300 clicks", lambda: measure_clicks(page, url, runs, figures, "300-topic view"), failures)
                    page.context.close()
                finally:
                    server.close()
        finally:
            browser.close()
    rows = report(figures) if figures else []
    sandbox = [w for w in browser.warnings if "sandbox" in w.lower()]
    print(f"requests to other hosts: {len(browser.outside)}; sandbox-escape warnings in the console: {len(sandbox)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        extra = {"outside_requests": browser.outside, "sandbox_warnings": len(sandbox), "app": str(app)}
        extra["failures"] = failures
        args.json.write_text(json.dumps({"rows": rows, **extra}, indent=2) + "\n", encoding="utf-8")
    for failure in failures:
        print(f"FAILED {failure}")
    return 1 if browser.outside or failures else 0


if __name__ == "__main__":
    sys.exit(main())
