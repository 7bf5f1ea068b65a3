"""Who may use the explorer: nobody but this machine, unless it is served on the network with an access token.

On loopback (the default) the page needs nothing. Served beyond it (``notes-graph app --address 0.0.0.0``), the
folder box and the notes would be open to the whole network, so ``notes-graph app`` makes a token (or takes the
one in ``$NOTES_GRAPH_TOKEN``), hands it to the page in that environment variable and prints the address with it;
the page shows nothing but one message to a visitor whose address lacks it (:func:`admitted`). The server also
answers only the machine's own host names (``server.allowedHosts``, :func:`served_host_names`), so a page
elsewhere whose name resolves to this machine (DNS rebinding) gets no websocket.

>>> needs_token("127.0.0.1"), needs_token("localhost"), needs_token("0.0.0.0"), needs_token("192.168.1.5")
(False, False, True, True)
>>> admitted({"token": "abc"}, "abc"), admitted({}, "abc"), admitted({}, "")
(True, False, True)
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from collections.abc import Mapping

__all__ = [
    "LOOPBACK_NAMES",
    "TOKEN_ENV",
    "TOKEN_PARAM",
    "admitted",
    "app_url",
    "needs_token",
    "new_token",
    "served_host_names",
]

#: The environment variable that carries the token from ``notes-graph app`` to the page (not the command line:
#: any local user can read another's command line, not its environment).
TOKEN_ENV = "NOTES_GRAPH_TOKEN"
#: The query parameter of the page's address that holds the token.
TOKEN_PARAM = "token"
#: Host names of this machine on loopback: the server's allowed hosts when it listens there.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def needs_token(address: str | None) -> bool:
    """Whether a server listening on *address* can be reached from other machines (so needs a token).

    An empty address (Streamlit's default) listens on every interface: it needs one too.
    """
    if address is None or not address.strip():
        return True
    name = address.strip().strip("[]")
    if name.lower() == "localhost":
        return False
    try:
        return not ipaddress.ip_address(name).is_loopback
    except ValueError:  # a host name: whatever it resolves to may be reachable
        return True


def new_token() -> str:
    """A fresh access token: 32 URL-safe characters (192 random bits)."""
    return secrets.token_urlsafe(24)


def admitted(query: Mapping[str, object], token: str) -> bool:
    """Whether a visitor whose page address has the query parameters *query* may see the page.

    Everyone may when *token* is empty (loopback); otherwise only with ``?token=`` equal to it
    (compared in constant time).
    """
    if not token:
        return True
    given = query.get(TOKEN_PARAM)
    if isinstance(given, list):
        given = given[-1] if given else None
    return isinstance(given, str) and hmac.compare_digest(given.encode(), token.encode())


def app_url(address: str, port: int, token: str = "") -> str:
    """The address to open: a wildcard address becomes this machine's name, and the token is added.

    >>> app_url("127.0.0.1", 8501), app_url("::1", 8501, "t0k")
    ('http://127.0.0.1:8501/', 'http://[::1]:8501/?token=t0k')
    """
    host = socket.gethostname() if address in ("0.0.0.0", "::", "") else address
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/" + (f"?{TOKEN_PARAM}={token}" if token else "")


def served_host_names(address: str) -> list[str]:
    """The Host names a server on *address* answers: loopback names, plus this machine's names and addresses
    when it listens beyond loopback (so people on the network reach it by name or address)."""
    names = list(LOOPBACK_NAMES)
    if not needs_token(address):
        return names
    found = {socket.gethostname(), socket.getfqdn()}
    if address not in ("0.0.0.0", "::", ""):
        found.add(address.strip("[]"))
    for name in list(found):
        try:
            found.update(info[4][0] for info in socket.getaddrinfo(name, None))
        except (OSError, UnicodeError):
            continue  # a name that does not resolve here is still allowed as typed
    for name in sorted(n.lower() for n in found if n):
        if name not in names:
            names.append(name)
    return names
