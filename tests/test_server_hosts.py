"""The explorer's server answers only its own host names: a DNS-rebinding page gets no websocket.

Served beyond loopback (``--address 0.0.0.0``) it also answers this machine's own name, and ``notes-graph app``
prints the address to open with the access token the page asks for (the page's side: tests/test_app_build.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

HANDSHAKE = (
    "GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: {origin}\r\n\r\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status_of_handshake(port: int, host: str, origin: str | None = None) -> int:
    """The HTTP status the server answers a websocket handshake sent with Host *host* (and Origin *origin*, by
    default the page on that host)."""
    origin = origin or f"http://{host}:{port}"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(HANDSHAKE.format(host=host, port=port, origin=origin).encode())
        first_line = conn.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(first_line.split()[1])


def _start(cwd, *args: str, env: dict | None = None) -> tuple[subprocess.Popen, int]:
    """``notes-graph app ARGS`` on a free port, answering its health check: (the process, the port).

    Its own process group, so :func:`_stop` can end the server it started too; what it prints goes to a file
    (a pipe would keep a reader waiting for as long as any process holds it open).
    """
    port = _free_port()
    command = [sys.executable, "-m", "graph.cli", "app", "--port", str(port), *args]
    printed = (Path(cwd) / f"app-{port}.txt").open("w+")
    server = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=printed, text=True, env=env, start_new_session=True
    )
    server.printed = printed
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as answer:
                if answer.read() == b"ok":
                    return server, port
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the app did not start: {_stop(server)}")
        time.sleep(0.5)


def _stop(server: subprocess.Popen) -> str:
    """Stop the app as Ctrl-C does (then, if need be, its whole process group); returns what it printed."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # nothing of it may outlive the test
    server.printed.seek(0)
    printed = server.printed.read()
    server.printed.close()
    return printed


@pytest.fixture(scope="module")
def server_port(tmp_path_factory):
    server, port = _start(tmp_path_factory.mktemp("app"))
    try:
        yield port
    finally:
        _stop(server)


@pytest.mark.parametrize("host", ["evil.example", "attacker.test", "192.168.1.5"])
def test_a_foreign_host_name_is_refused_the_websocket(server_port, host):
    assert _status_of_handshake(server_port, host) == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_the_apps_own_host_names_get_the_websocket(server_port, host):
    assert _status_of_handshake(server_port, host) == 101


@pytest.mark.parametrize("origin", ["http://evil.example", "http://attacker.test:{port}", "null"])
def test_a_foreign_origin_is_refused_the_websocket_even_with_the_apps_own_host(server_port, origin):
    """A rebinding page that somehow sends the app's own Host still sends its own Origin."""
    assert _status_of_handshake(server_port, "127.0.0.1", origin.format(port=server_port)) == 403


def test_served_on_the_network_it_prints_the_address_with_a_token_and_answers_its_own_name(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NOTES_GRAPH_TOKEN"}
    server, port = _start(tmp_path, "--address", "0.0.0.0", env=env)
    try:
        assert _status_of_handshake(port, socket.gethostname().lower()) == 101
        assert _status_of_handshake(port, "evil.example") == 403
    finally:
        printed = _stop(server)
    found = re.search(rf"open http://{re.escape(socket.gethostname())}:{port}/\?token=([A-Za-z0-9_-]{{32}}) ", printed)
    assert found, printed
    assert "anyone with this address can use it" in printed and "Traceback" not in printed


def test_a_token_given_in_the_environment_is_used(tmp_path):
    env = {**os.environ, "NOTES_GRAPH_TOKEN": "my-own-token-0123456789"}
    server, port = _start(tmp_path, "--address", "0.0.0.0", env=env)
    assert f":{port}/?token=my-own-token-0123456789 " in _stop(server)


def test_on_loopback_no_token_is_asked(tmp_path):
    env = {**os.environ, "NOTES_GRAPH_TOKEN": "ignored-on-loopback"}
    server, port = _start(tmp_path, env=env)
    printed = _stop(server)
    assert f"starting the explorer on http://127.0.0.1:{port}/ (Ctrl-C stops it)" in printed
    assert "token" not in printed


def test_error_details_stay_in_the_console_in_the_shipped_config_and_the_app_command():
    """Issue 15: a failure in the page showed its traceback, with server paths (client.showErrorDetails's default)."""
    import tomllib

    from graph.cli.app import streamlit_command

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    command = streamlit_command(Path("streamlit_app.py"), 8501, "0.0.0.0", None)
    assert command[command.index("--client.showErrorDetails") + 1] == "none"
    hosts = [command[i + 1] for i, part in enumerate(command) if part == "--server.allowedHosts"]
    assert hosts[:4] == ["localhost", "127.0.0.1", "::1", "[::1]"] and socket.gethostname().lower() in hosts
