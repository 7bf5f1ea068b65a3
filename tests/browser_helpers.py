"""The explorer in a real browser: ``streamlit run`` on a free loopback port and Debian's chromium driven by
Playwright, with every request to another host blocked. One place for the browser tests (``tests/test_browser*.py``)
and ``benchmarks/browser.py``, which puts this folder on its path; nothing here imports the ``graph`` package, so
the benchmark can measure another checkout's app.

    with StreamlitServer(log=Path("streamlit.log")) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        guard = OutsideGuard()
        page = guarded_context(browser, guard, viewport={"width": 1400, "height": 900}).new_page()
        page.goto(server.url)
        ...
        assert guard.outside == []
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

__all__ = [
    "CHROMIUM",
    "LOOPBACK",
    "REPO",
    "OutsideGuard",
    "StreamlitServer",
    "free_port",
    "guarded_context",
    "is_local",
    "launch_chromium",
]

#: Debian's chromium (``scripts/test.sh`` installs it): Playwright drives it, no browser is downloaded.
CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run APP -- ARGS`` on a free loopback port, stopped (this process only) on :meth:`close`.

    *warmup* starts it as ``notes-graph app`` does (``python -m graph.ui.warmup run``: the pipeline made at start).
    The process runs in *app*'s folder with that folder first on ``PYTHONPATH``, so another checkout's app imports
    its own ``graph`` package. ``started`` is when the process was launched (``time.monotonic``).
    """

    def __init__(
        self,
        app: Path = REPO / "streamlit_app.py",
        log: Path | None = None,
        app_args: tuple[str, ...] = (),
        warmup: bool = False,
        wait: float | None = 60,
    ) -> None:
        self.app = Path(app).resolve()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        launcher = ["-m", "graph.ui.warmup", "run"] if warmup else ["-m", "streamlit", "run"]
        command = [sys.executable, *launcher, str(self.app), "--server.port", str(self.port)]
        command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
        command += ["--browser.gatherUsageStats", "false", "--", *app_args]
        self.log_path = log or Path(os.devnull)
        self.log = self.log_path.open("w")
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(self.app.parent), os.environ.get("PYTHONPATH")]))
        )
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command, cwd=self.app.parent, stdout=self.log, stderr=subprocess.STDOUT, env=env
        )
        if wait is not None:
            self.wait_ready(wait)

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until the server answers its health check; stop it and raise when it does not in *timeout* s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}_stcore/health", timeout=1) as answer:
                    if answer.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.05)
        self.close()
        raise RuntimeError(f"streamlit did not answer on port {self.port}; see {self.log_path}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()

    def __enter__(self) -> StreamlitServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def launch_chromium(playwright):
    """Debian's chromium, headless, through a started ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"])


def is_local(url: str) -> bool:
    """Whether the page may load *url*: loopback, or data the page holds itself (``data:``, ``blob:``)."""
    return url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOOPBACK


class OutsideGuard:
    """A Playwright route handler that lets local requests through and blocks (and lists) every other one."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.requests: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if is_local(url):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


def guarded_context(browser, guard: OutsideGuard, **options):
    """A new browser context (*options* as Playwright's ``new_context``) whose requests go through *guard*."""
    context = browser.new_context(**options)
    context.route("**/*", guard.route)
    return context
