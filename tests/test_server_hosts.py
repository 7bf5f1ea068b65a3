"""The explorer's server answers only its own host names: a DNS-rebinding page gets no websocket."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

HANDSHAKE = (
    "GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://{host}:{port}\r\n\r\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status_of_handshake(port: int, host: str) -> int:
    """The HTTP status the server answers a websocket handshake sent with Host (and Origin) *host*."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(HANDSHAKE.format(host=host, port=port).encode())
        first_line = conn.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(first_line.split()[1])


@pytest.fixture(scope="module")
def server_port(tmp_path_factory):
    port = _free_port()
    command = [sys.executable, "-m", "graph.cli", "app", "--port", str(port)]
    server = subprocess.Popen(command, cwd=tmp_path_factory.mktemp("app"), stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "the app did not start"
            time.sleep(0.5)
        yield port
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.mark.parametrize("host", ["evil.example", "attacker.test", "192.168.1.5"])
def test_a_foreign_host_name_is_refused_the_websocket(server_port, host):
    assert _status_of_handshake(server_port, host) == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_the_apps_own_host_names_get_the_websocket(server_port, host):
    assert _status_of_handshake(server_port, host) == 101
