"""The package as a user gets it: the wheel built from the checkout, installed with its dependencies into a fresh
virtual environment outside the source tree, and run from a folder that is not the checkout.

Building the wheel takes about 6 s and installing it 35-50 s on a warm pip cache (the whole module
about a minute and a half), so one environment serves every test here (module-scoped fixtures).
The development environment's site-packages are never reused: its editable install finds
``graph`` in this checkout, which would hide anything the wheel leaves out.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.store.graphfile import load_graph

REPO = Path(__file__).resolve().parent.parent
#: Left out of the copy the wheel is built from: what .gitignore leaves out, and the repository's own history.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", ".hypothesis", "build", "dist",
    "out", ".notes-graph-cache", ".corpora", "*.graph.json",
)  # fmt: skip
SUB_PACKAGES = ["", "sources", "extract", "store", "query", "gaps", "ui", "cli", "data"]
#: Seconds: building, installing, one command, the server answering.
BUILD_TIMEOUT, INSTALL_TIMEOUT, COMMAND_TIMEOUT, START_TIMEOUT = 300, 900, 180, 60


@dataclass(frozen=True)
class Installed:
    venv: Path
    python: Path
    command: Path  # bin/notes-graph
    work: Path  # the working folder, outside the checkout
    env: dict[str, str]
    seconds: dict[str, float]

    def run(self, *args: str, timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.command), *args], cwd=self.work, env=self.env, capture_output=True, text=True, timeout=timeout
        )


def _run(command: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def timings() -> Iterator[dict[str, float]]:
    found: dict[str, float] = {}
    yield found
    print("\nwheel timings (s):", json.dumps({k: round(v, 1) for k, v in found.items()}))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, timings) -> Path:
    """The wheel, built from a copy of the checkout: the build writes build/ and *.egg-info into its source folder,
    and a build/ left from an earlier build could slip modules deleted since into the wheel."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    start = time.monotonic()
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check"]
    _run([*command, "-w", str(root / "dist"), str(source)], BUILD_TIMEOUT)
    timings["build wheel"] = time.monotonic() - start
    (found,) = (root / "dist").glob("notes_graph-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory, timings) -> Iterator[Installed]:
    """A fresh virtual environment with the wheel and its dependencies, and a working folder beside it."""
    root = tmp_path_factory.mktemp("installed")
    assert not root.is_relative_to(REPO)
    venv, work = root / "venv", root / "work"
    work.mkdir()
    start = time.monotonic()
    # venv from a venv uses the base interpreter: the new environment sees the standard library only.
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], INSTALL_TIMEOUT)
    python = venv / "bin" / "python"
    # This environment's pip installs into the new one (--python): no pip to bootstrap there. No byte-compiling
    # ahead (about 20 s): what the commands import is compiled as they first run.
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile"]
    _run([*install, "--disable-pip-version-check", str(wheel)], INSTALL_TIMEOUT)
    timings["venv and install"] = time.monotonic() - start
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}
    env |= {"PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "PYTHONNOUSERSITE": "1"}
    yield Installed(venv, python, venv / "bin" / "notes-graph", work, env, timings)
    shutil.rmtree(venv, ignore_errors=True)  # 1 GB; pytest keeps the last three runs' temporary folders


@pytest.fixture(scope="module")
def graph_file(installed) -> tuple[Path, subprocess.CompletedProcess]:
    """`notes-graph build -o bundled.graph.json` (the bundled notes) in the working folder."""
    start = time.monotonic()
    done = installed.run("build", "-o", "bundled.graph.json")
    installed.seconds["first build"] = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    return installed.work / "bundled.graph.json", done


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as answer:
            return answer.read() == b"ok"
    except OSError:
        return False


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# --- the wheel ----------------------------------------------------------------------------------------------------


def test_the_wheel_holds_every_package_the_data_and_the_page(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = [f"graph/{sub}/__init__.py".replace("//", "/") for sub in SUB_PACKAGES]
    data = ["graph/data/catalog/aws-services.json", "graph/data/catalog/overrides.json"]
    data += [f"graph/data/notes/{p.name}" for p in (REPO / "data" / "notes").glob("*.md")]
    data += [f"graph/data/syllabi/{p.name}" for p in (REPO / "data" / "syllabi").glob("*.txt")]
    assert "graph/data/notes/aws-study-notes.md" in data and "graph/data/syllabi/saa-c03.txt" in data
    data += [f"graph/ui/component/{p.name}" for p in (REPO / "graph" / "ui" / "component").iterdir()]
    assert "graph/ui/component/graph.js" in data and "graph/ui/component/graph.css" in data  # the graph component
    missing = sorted(set(packages + data + ["streamlit_app.py", "graph/cli/app.py"]) - names)
    assert missing == []
    modules = {str(p.relative_to(REPO)) for p in (REPO / "graph").rglob("*.py") if "__pycache__" not in p.parts}
    assert sorted(modules - names) == []
    assert not any(name.startswith(("tests/", "benchmarks/", "scripts/", "data/")) for name in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "notes-graph = graph.cli:run" in zipfile.ZipFile(wheel).read(entry_points).decode()


# --- installed ----------------------------------------------------------------------------------------------------


def test_the_installed_package_is_the_wheel_not_the_checkout(installed):
    code = (
        "import importlib.util, json, sys, graph, graph.cli; from graph.sources.bundled import BUNDLED_NOTES; "
        "print(json.dumps({'graph': graph.__file__, 'page': importlib.util.find_spec('streamlit_app').origin, "
        "'notes': str(BUNDLED_NOTES), 'path': sys.path}))"
    )
    done = _run([str(installed.python), "-c", code], COMMAND_TIMEOUT, cwd=installed.work, env=installed.env)
    found = json.loads(done.stdout)
    site = installed.venv / "lib"
    for key in ("graph", "page", "notes"):
        assert Path(found[key]).is_relative_to(site), (key, found[key])
    assert not [entry for entry in found["path"] if entry and Path(entry).resolve().is_relative_to(REPO)]


def test_build_on_the_bundled_notes(graph_file, bundled_graph):
    path, done = graph_file
    assert done.stdout.startswith("Built bundled.graph.json from 1 note file(s), ")
    assert "  Amazon Kinesis (service): " in done.stdout
    graph = load_graph(path)
    # the installed catalog and notes give the graph the checkout gives
    assert set(graph.nodes) == set(bundled_graph.nodes)
    assert set(graph.edges(keys=True)) == set(bundled_graph.edges(keys=True))


def test_show_a_topic(installed, graph_file):
    path, _ = graph_file
    done = installed.run("show", "kinesis", "-g", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Amazon Kinesis  [service]  id: service:kinesis\n")
    assert re.search(r"^Definition \(aws-study-notes\.md:\d+\):$", done.stdout, re.M)


def test_gaps_against_a_built_in_syllabus(installed, graph_file):
    path, _ = graph_file
    done = installed.run("gaps", "-g", str(path), "--syllabus", "saa-c03")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^Against saa-c03: \d+ of \d+ covered \(", done.stdout, re.M)
    assert "Syllabus coverage: saa-c03" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_installed_page_runs(installed):
    """The page streamlit_app.py as installed, run once by Streamlit's AppTest: it opens on the bundled notes."""
    code = (
        "import importlib.util; from streamlit.testing.v1 import AppTest; "
        "app = AppTest.from_file(importlib.util.find_spec('streamlit_app').origin, default_timeout=120); app.run(); "
        "assert not app.exception, [e.value for e in app.exception]; print(app.selectbox(key='focus').value); "
        # The graph component's files, where the server that serves them looks: in the package and in pyvis.
        "from graph.ui import graphcomponent as c; "
        "assert (c.ASSETS / c.JS).is_file() and (c.VIS_ASSETS / 'vis-network.min.js').is_file(), c.ASSETS"
    )
    start = time.monotonic()
    done = _run([str(installed.python), "-c", code], COMMAND_TIMEOUT, cwd=installed.work, env=installed.env)
    installed.seconds["page run"] = time.monotonic() - start
    assert done.stdout.split() == ["service:kinesis"]


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_app_serves_and_stops_with_its_server(installed, stop):
    """`notes-graph app` on a free port answers Streamlit's health check; Ctrl-C in its terminal (SIGINT to the
    process group) or SIGTERM to notes-graph alone stops the server too."""
    port = _free_port()
    log_path = installed.work / f"app-{stop}.log"
    start = time.monotonic()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(installed.command), "app", "--port", str(port)],
            cwd=installed.work,
            env=installed.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal of its own
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _healthy(port):
                assert process.poll() is None, f"notes-graph app ended: {log_path.read_text()}"
                assert time.monotonic() < deadline, f"no answer on port {port}: {log_path.read_text()}"
                time.sleep(0.2)
            installed.seconds[f"app start ({stop})"] = time.monotonic() - start
            if stop == "ctrl-c":
                # a second server on the same port: one line, no traceback
                again = installed.run("app", "--port", str(port))
                assert again.returncode == 1
                assert again.stderr == f"notes-graph: error: port {port} is already in use on 127.0.0.1: " + (
                    "stop what uses it or choose another with --port\n"
                )
                os.killpg(process.pid, signal.SIGINT)
            else:
                process.send_signal(signal.SIGTERM)
            status = process.wait(timeout=30)
        finally:
            if process.poll() is None:  # a failure above: leave nothing of this test running
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
    assert status == 0, log_path.read_text()
    assert _port_is_free(port), "the server outlived notes-graph app"
    text = log_path.read_text()
    assert f"http://127.0.0.1:{port}" in text and "Stopping..." in text and "Traceback" not in text


def test_app_with_a_missing_notes_path_is_one_line(installed):
    done = installed.run("app", "--notes", "no-such-folder", "--port", str(_free_port()))
    assert done.returncode == 1
    assert done.stderr == "notes-graph: error: no such notes file or folder: no-such-folder\n"
    assert done.stdout == ""
