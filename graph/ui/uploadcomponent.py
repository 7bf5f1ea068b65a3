"""The sidebar's upload control: notes chosen in the browser and sent to Python in one message (components v2).

Streamlit's own uploader sends each file in a request of its own and redraws its file list after each one, so the
wait grows with the square of the count (1,000 notes took six minutes to settle). This control
(``graph/ui/component/upload.js``) reads the chosen files (or a folder, or a ``.zip``) in the browser, applies the
upload limits of :mod:`graph.sources.notes` there, before anything is sent, and sends what it read as the trigger
value ``files`` of one message. Python keeps it for the session; the page builds it with
:func:`graph.sources.notes.read_uploads` like any upload, and the files the browser kept back (not notes, over a
limit) come as :class:`~graph.sources.notes.Withheld` entries, so the build summary says why in the same words.

Nothing the browser sends is trusted: :func:`decode_files` takes only well-formed entries and the reader applies
every limit again.

>>> files = decode_files({"files": [["a.md", "t", "# A"], ["b.md", "b", "IyBC"]], "withheld": [["c.png", 12]]})
>>> files
(('a.md', b'# A'), ('b.md', b'# B'), Withheld(name='c.png', size=12))
>>> summary(files)
{'files': 2, 'bytes': 6, 'withheld': 1}
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from graph.sources.notes import (
    ARCHIVE_SUFFIXES,
    MAX_FILE_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_FILES,
    NOTE_SUFFIXES,
    Withheld,
)
from graph.ui.graphcomponent import ASSETS, register_assets

__all__ = ["COMPONENT", "Upload", "choose", "decode_files", "limits", "summary"]

#: The component's name and its files (beside the graph component's, in ``graph/ui/component/``).
COMPONENT = "notes-graph.upload"
JS, CSS = "upload.js", "upload.css"
#: What one upload may be made of: (name, bytes) pairs sent, and files kept back by name and size.
Upload = tuple[tuple[str, bytes] | Withheld, ...]
#: Room left in a message beside the files (Streamlit's own envelope and the page's other widget values).
MESSAGE_MARGIN = 1_000_000

_mount = None


def limits(message_bytes: int) -> dict[str, object]:
    """The limits the browser applies before sending, for the control's data: those of :mod:`graph.sources.notes`,
    and the most one message may carry (*message_bytes*, the server's limit, less a margin).

    >>> limits(80_000_000)["maxFileBytes"] == MAX_FILE_BYTES, limits(80_000_000)["notes"]
    (True, ['.md', '.markdown', '.txt'])
    """
    return {
        "notes": list(NOTE_SUFFIXES),
        "archives": list(ARCHIVE_SUFFIXES),
        "maxFiles": MAX_UPLOAD_FILES,
        "maxFileBytes": MAX_FILE_BYTES,
        "maxArchiveBytes": MAX_UPLOAD_BYTES,
        "maxTotalBytes": MAX_UPLOAD_BYTES,
        "maxMessageBytes": max(0, message_bytes - MESSAGE_MARGIN),
    }


def decode_files(value: object) -> Upload:
    """The upload in one message of the control: ``{"files": [[name, "t", text] | [name, "b", base64], ...],
    "withheld": [[name, size], ...]}``. Raises :class:`ValueError` when *value* is not such a message (a page of
    another version, or a hand-made one); the limits are not checked here but by the reader.

    >>> decode_files({"files": [["a.md", "x", "?"]]})
    Traceback (most recent call last):
    ...
    ValueError: entry 1 of the files is not [name, "t" or "b", content]
    """
    if not isinstance(value, dict):
        raise ValueError("not a message of the upload control")
    sent, held = value.get("files", []), value.get("withheld", [])
    if not isinstance(sent, list) or not isinstance(held, list):
        raise ValueError("not a message of the upload control")
    files: list[tuple[str, bytes] | Withheld] = []
    for number, entry in enumerate(sent, start=1):
        if not (isinstance(entry, list) and len(entry) == 3 and all(isinstance(part, str) for part in entry)):
            raise ValueError(f'entry {number} of the files is not [name, "t" or "b", content]')
        name, kind, content = entry
        if kind == "t":
            files.append((name, content.encode("utf-8", "surrogatepass")))
        elif kind == "b":
            try:
                files.append((name, base64.b64decode(content, validate=True)))
            except binascii.Error:
                raise ValueError(f"entry {number} of the files is not valid base64") from None
        else:
            raise ValueError(f'entry {number} of the files is not [name, "t" or "b", content]')
    for number, entry in enumerate(held, start=1):
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
            raise ValueError(f"entry {number} kept back is not [name, size]")
        if not isinstance(entry[1], int) or isinstance(entry[1], bool) or entry[1] < 0:
            raise ValueError(f"entry {number} kept back is not [name, size]")
        files.append(Withheld(entry[0], entry[1]))
    return tuple(files)


def summary(files: Sequence[tuple[str, bytes] | Withheld]) -> dict[str, int]:
    """What the control shows of a choice: files sent, their bytes, files kept back (no names: the page escapes)."""
    sent = [entry[1] for entry in files if not isinstance(entry, Withheld)]
    return {"files": len(sent), "bytes": sum(map(len, sent)), "withheld": len(files) - len(sent)}


def choose(key: str = "uploads") -> tuple[Upload, str]:
    """Put the control on screen; returns the upload chosen so far in this session and, when the last message could
    not be read, why (else ``""``). Outside a running server (bare mode) nothing is drawn and nothing was chosen."""
    import streamlit as st
    from streamlit.runtime import Runtime

    kept, failed = f"{key}.files", f"{key}.error"
    if not Runtime.exists():
        return (), ""

    def received() -> None:
        state = st.session_state.get(key)
        try:
            st.session_state[kept] = decode_files(state.get("files") if state else None)
            st.session_state[failed] = ""
        except ValueError as err:
            st.session_state[kept], st.session_state[failed] = (), f"the chosen files could not be read ({err})"
        st.session_state[f"{key}.received"] = st.session_state.get(f"{key}.received", 0) + 1

    files: Upload = st.session_state.get(kept, ())
    data = {
        "limits": limits(st.get_option("server.maxWidgetStateSize") * 1_000_000),
        "chosen": summary(files) if files else None,
        "received": st.session_state.get(f"{key}.received", 0),
    }
    _component()(key=key, data=data, on_files_change=received, height="content", width="stretch")
    return st.session_state.get(kept, ()), st.session_state.get(failed, "")


def _component():
    """The mount command of the component (made once per process; its files declared to each new server)."""
    global _mount
    register_assets(COMPONENT, ASSETS)
    if _mount is None:
        import streamlit as st

        _mount = st.components.v2.component(COMPONENT, js=JS, css=CSS)
    return _mount
