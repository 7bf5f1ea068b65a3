"""``notes-graph app``: start the explorer, the Streamlit page ``streamlit_app.py``, from the installed package.

The page ships as the top-level module ``streamlit_app`` (``pyproject.toml``). It is
a Streamlit script, so it is found with :func:`importlib.util.find_spec` and never
imported here; Streamlit's ``run`` (through :mod:`graph.ui.warmup`, which sets up the
spaCy pipeline as the server starts) runs it in a child process with the
explorer's Streamlit settings on its command line, since an installed app is not
started from the repository folder whose ``.streamlit/config.toml`` holds them.
Ctrl-C stops the server; a port in use or a missing notes path is one line on
stderr and exit status 1. Served beyond loopback (``--address 0.0.0.0``), the page asks
for an access token (:mod:`graph.ui.access`): one is made, or taken from
``$NOTES_GRAPH_TOKEN``, and the address to open is printed with it.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib.util
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from graph.cli.common import CommandError
from graph.sources.notes import user_path
from graph.ui.access import TOKEN_ENV, app_url, needs_token, new_token, served_host_names

#: The explorer's Streamlit settings: the same as the repository's ``.streamlit/config.toml``
#: (tests/test_layout.py checks that the two agree), passed as ``--section.option value``.
STREAMLIT_OPTIONS: dict[str, bool | int | str | list[str]] = {
    "browser.gatherUsageStats": False,  # no usage statistics: the page contacts no outside host
    "server.headless": True,  # no browser opened, no e-mail prompt on the first start
    "server.address": "127.0.0.1",  # loopback only: the sidebar reads any folder this user can read
    # Only these Host headers: a foreign name resolved to 127.0.0.1 (DNS rebinding) gets no websocket.
    "server.allowedHosts": ["localhost", "127.0.0.1", "::1", "[::1]"],
    "server.maxUploadSize": 50,  # megabytes per file of Streamlit's uploader (the Gaps view's syllabus file)
    # Megabytes the browser may send in one message: the upload control sends up to 50 MB of notes in one (base64: 67).
    "server.maxWidgetStateSize": 80,
    "client.toolbarMode": "viewer",
    "client.showErrorDetails": "none",  # a failure shows a generic message; tracebacks go to the console only
}
DEFAULT_PORT = 8501
#: The module name of the page (``streamlit_app.py`` at the repository's top, a top-level module when installed).
APP_MODULE = "streamlit_app"
#: Seconds the server has to stop by itself after Ctrl-C, and then after SIGINT, SIGTERM and SIGKILL each.
GRACE_SECONDS, STOP_SECONDS = 2.0, 10.0


def register(sub: argparse._SubParsersAction) -> None:
    app = sub.add_parser(
        "app",
        help="start the explorer in the browser (Streamlit, on this machine only)",
        description="Start the Notes Graph explorer: a Streamlit server on http://127.0.0.1:PORT/. Ctrl-C stops it.",
    )
    app.add_argument("--notes", metavar="PATH", help="a notes file or folder to open on (default: the bundled notes)")
    app.add_argument(
        "--notes-root",
        metavar="DIR",
        action="append",
        default=[],
        help="a folder the page's folder box may read notes from (repeatable; default: the bundled notes and the "
        "current folder); other paths are refused",
    )
    app.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})"
    )
    app.add_argument(
        "--address",
        default=STREAMLIT_OPTIONS["server.address"],
        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 serves the network: the page "
        f"then asks for an access token, made at start or taken from ${TOKEN_ENV}, and the address to open is "
        "printed with it)",
    )
    app.add_argument(
        "--allow-host",
        metavar="NAME",
        action="append",
        default=[],
        help="another host name people use to reach the server (repeatable; beyond loopback, this machine's "
        "own names and addresses are allowed already)",
    )
    app.set_defaults(handler=cmd_app)


def port_number(text: str) -> int:
    """argparse type: a TCP port, 1 to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (1 to 65535)")
    return value


def cmd_app(args: argparse.Namespace) -> int:
    notes = None
    if args.notes:
        path = user_path(args.notes)
        if not path.exists():
            raise CommandError(f"no such notes file or folder: {args.notes}")
        notes = str(path.resolve())
    script = app_script()
    check_port(args.address, args.port)
    roots = []
    for root in args.notes_root:
        folder = user_path(root)
        if not folder.is_dir():
            raise CommandError(f"--notes-root {root}: no such folder")
        roots.append(str(folder.resolve()))
    command = streamlit_command(script, args.port, args.address, notes, roots, args.allow_host)
    environment = dict(os.environ)
    environment.pop(TOKEN_ENV, None)  # loopback: no token, whatever the shell had set
    token = ""
    if needs_token(args.address):
        token = os.environ.get(TOKEN_ENV, "").strip() or new_token()
        environment[TOKEN_ENV] = token
    url = app_url(args.address, args.port, token)
    if token:
        print(
            f"notes-graph: serving the explorer on the network; open {url} (anyone with this address can use it "
            "and read notes under the allowed folders; Ctrl-C stops it)",
            file=sys.stderr,
        )
    else:
        print(f"notes-graph: starting the explorer on {url} (Ctrl-C stops it)", file=sys.stderr)
    return run_server(command, environment)


def app_script() -> Path:
    """The installed ``streamlit_app.py``, found without importing it.

    The working folder is left out of the search first: a ``streamlit_app.py`` there
    (Streamlit's usual name for a page) is someone else's page, not this one.
    """
    here = {"", ".", os.getcwd()}
    saved = sys.path[:]
    try:
        sys.path[:] = [entry for entry in saved if entry not in here]
        spec = importlib.util.find_spec(APP_MODULE)
    finally:
        sys.path[:] = saved
    if spec is None:  # a source checkout that is not installed, run from its own folder
        spec = importlib.util.find_spec(APP_MODULE)
    if spec is None or not spec.origin or not Path(spec.origin).is_file():
        raise CommandError("the explorer page (streamlit_app.py) is not installed: reinstall notes-graph")
    return Path(spec.origin)


def check_port(address: str, port: int) -> None:
    """Raise :class:`CommandError` unless a server can listen on *address*:*port* (as Streamlit's does)."""
    try:
        family, kind, proto, _, where = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as err:
        raise CommandError(f"cannot listen on {address!r}: {getattr(err, 'strerror', None) or err}") from None
    with socket.socket(family, kind, proto) as sock:
        # A server sets SO_REUSEADDR, so a port whose last connections are closing is free; a listening one is not.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(where)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"port {port} is already in use on {address}: stop what uses it or choose another with --port"
                ) from None
            if err.errno == errno.EADDRNOTAVAIL:
                raise CommandError(f"{address} is not an address of this machine") from None
            raise CommandError(f"cannot listen on {address}:{port}: {err.strerror or err}") from None


def streamlit_command(
    script: Path,
    port: int,
    address: str,
    notes: str | None,
    roots: list[str] | None = None,
    more_hosts: list[str] | None = None,
) -> list[str]:
    """``python -m graph.ui.warmup run SCRIPT --option value ... -- [--notes PATH] [--notes-root DIR ...]``: Streamlit's
    ``run`` after the spaCy pipeline's set-up has started (:mod:`graph.ui.warmup`). The page reads what follows
    ``--``: :func:`graph.ui.appstate.parse_app_args` and :func:`~graph.ui.appstate.notes_roots`. The allowed hosts
    are the loopback names, and beyond loopback this machine's names and *more_hosts* too."""
    hosts = [*served_host_names(address), *(h.strip().lower() for h in more_hosts or () if h.strip())]
    options = {**STREAMLIT_OPTIONS, "server.address": address, "server.port": port}
    options["server.allowedHosts"] = list(dict.fromkeys(hosts))
    command = [sys.executable, "-m", "graph.ui.warmup", "run", str(script)]
    for name, value in options.items():
        for one in value if isinstance(value, list) else [value]:  # a list option is given once per value
            command += [f"--{name}", str(one).lower() if isinstance(one, bool) else str(one)]
    command.append("--")
    if notes:
        command += ["--notes", notes]
    for root in roots or ():
        command += ["--notes-root", root]
    return command


def run_server(command: list[str], environment: dict[str, str] | None = None) -> int:
    """Run the server until it stops; Ctrl-C and SIGTERM stop it (and this process never leaves it running)."""
    process = subprocess.Popen(command, env=environment)
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: _signal(process, signal.SIGTERM))
    try:
        try:
            status = process.wait()
        except KeyboardInterrupt:
            status = _stop(process)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return status if status >= 0 else 128 - status  # killed by signal N: 128 + N, as a shell reports it


def _signal(process: subprocess.Popen, signum: int) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            process.send_signal(signum)


def _stop(process: subprocess.Popen) -> int:
    """Stop the server after Ctrl-C: a terminal sends it SIGINT too; pass it on if it did not stop, then insist."""
    steps = [(None, GRACE_SECONDS), (signal.SIGINT, STOP_SECONDS), (signal.SIGTERM, STOP_SECONDS)]
    for signum, seconds in steps:
        if signum is not None:
            _signal(process, signum)
        try:
            return process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            continue
        except KeyboardInterrupt:  # Ctrl-C again: stop now
            break
    process.kill()
    return process.wait()
