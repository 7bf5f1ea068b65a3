"""Files and folders that fight back: each gets one clear message, the rest is built, nothing is lost.

Special files (a named pipe, a link to ``/dev/zero``, link loops, a file the
kernel refuses to read), files that vanish mid-build, names with newlines,
escape sequences and bytes that are not UTF-8, 50,000 empty files, a 100 MB
file, archives and images renamed to ``.md``, upload limits, ``kill -9`` in the
middle of ``notes-graph build``, and a check that no command ever writes to a note.

Tests that can hang if a fault comes back (a pipe blocks ``open`` forever) run
under an alarm. Root reads files whatever their mode, so an unreadable file is
simulated by making ``os.open`` refuse files of mode 000, as the kernel does
for everyone else; ``/proc/self/mem`` gives a real read error too.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
import zlib
from contextlib import closing
from pathlib import Path

import pytest
from timelimit import time_limit

from graph.cli import main
from graph.sources import notes as ingest
from graph.sources.notes import NoNotesError, read_notes, read_uploads
from graph.store.build import build_notes
from graph.store.cache import code_fingerprint
from graph.store.graphfile import graph_to_json, load_graph

REPO = Path(__file__).resolve().parent.parent
GOOD = "# Amazon SQS\n\n- Amazon SQS feeds AWS Lambda\n"
GOOD_NODES = {"service:sqs", "service:lambda"}


def deadline(seconds: float):
    """Fail instead of hanging: a regression that blocks on a pipe must not stall the suite."""
    return time_limit(seconds, lambda: AssertionError(f"still running after {seconds}s: blocked on a special file?"))


def problems(result) -> list[str]:
    return sorted(str(p) for p in result.problems)


# --- special files ------------------------------------------------------------------------------------------------


def test_pipes_devices_and_link_loops_are_skipped_and_the_rest_is_built(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text(GOOD)
    os.mkfifo(notes / "pipe.md")  # open() would wait for a writer forever
    (notes / "zero.md").symlink_to("/dev/zero")  # endless: reading it whole would exhaust memory
    (notes / "loop-a.md").symlink_to("loop-b.md")
    (notes / "loop-b.md").symlink_to("loop-a.md")
    (notes / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (notes / "mem.md").symlink_to("/proc/self/mem")  # a regular file that fails to read (EIO), even for root
    (notes / "folder.md").mkdir()  # a folder with a note suffix is walked into, not read
    (notes / "folder.md" / "inside.md").write_text("# Amazon SNS\n")
    with deadline(60):
        result = build_notes(notes)
    assert problems(result) == [
        "dangling.md: skipped: broken symbolic link (what it points to does not exist)",
        "loop-a.md: skipped: symbolic link loop (the link leads back to itself)",
        "loop-b.md: skipped: symbolic link loop (the link leads back to itself)",
        "mem.md: skipped: cannot read: Input/output error",
        "pipe.md: skipped: not a regular file (a named pipe); only ordinary files are read",
        "zero.md: skipped: not a regular file (a device); only ordinary files are read",
    ]
    assert result.graph.graph["files"] == ["folder.md/inside.md", "good.md"]
    assert GOOD_NODES | {"service:sns"} <= set(result.graph)


def test_a_looping_or_dangling_link_given_as_the_path_says_so(tmp_path):
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("a.md")
    with pytest.raises(NoNotesError) as err:
        read_notes(tmp_path / "a.md")
    assert (
        str(err.value)
        == f"{tmp_path / 'a.md'}: a symbolic link that loops or points nowhere; give a notes file or folder"
    )


def _refuse_mode_000(monkeypatch):
    """Make os.open refuse files of mode 000 with EACCES, as the kernel does for any user but root."""
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):
        mode = None
        with contextlib.suppress(OSError):  # a path that cannot be stat'ed fails in the real open below
            mode = os.stat(path).st_mode & 0o777
        if mode == 0:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


def test_unreadable_files_and_folders_are_reported(tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    (notes / "locked").mkdir(parents=True)
    (notes / "good.md").write_text(GOOD)
    secret = notes / "secret.md"
    secret.write_text("# Amazon SNS\n")
    (notes / "locked" / "hidden.md").write_text("# Amazon SNS\n")
    secret.chmod(0)
    (notes / "locked").chmod(0)
    _refuse_mode_000(monkeypatch)
    real_scandir = os.scandir

    def scandir(path="."):
        if os.stat(path).st_mode & 0o777 == 0:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    try:
        result = build_notes(notes)
    finally:
        secret.chmod(0o644)
        (notes / "locked").chmod(0o755)
    assert problems(result) == ["locked: skipped: cannot read folder: Permission denied",
                                "secret.md: skipped: cannot read: Permission denied"]  # fmt: skip
    assert result.graph.graph["files"] == ["good.md"]
    assert set(result.graph) == GOOD_NODES


def test_a_file_that_vanishes_between_listing_and_reading(tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text(GOOD)
    (notes / "gone.md").write_text("# Amazon SNS\n")
    (notes / "moved.md").write_text("# Amazon SNS\n")
    listed = ingest.find_note_files

    def list_then_delete(root):
        files, found = listed(root)
        (notes / "gone.md").unlink()  # deleted, or moved away, by another program mid-build
        (notes / "moved.md").rename(tmp_path / "elsewhere.md")
        return files, found

    monkeypatch.setattr(ingest, "find_note_files", list_then_delete)
    result = build_notes(notes)
    assert problems(result) == [
        "gone.md: skipped: vanished before it could be read (deleted or moved while reading)",
        "moved.md: skipped: vanished before it could be read (deleted or moved while reading)",
    ]
    assert set(result.graph) == GOOD_NODES


def test_a_file_that_grows_past_the_limit_after_it_was_listed(tmp_path, monkeypatch):
    # /proc files say they are empty and then read as more: only the bytes read count.
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 64)
    (tmp_path / "status.md").symlink_to("/proc/self/status")
    (tmp_path / "good.md").write_text("# Amazon SQS\n")
    result = read_notes(tmp_path)
    assert problems(result) == [
        "status.md: skipped: more than 0 MB when read, over the 0 MB file-size limit; split the file into smaller notes"
    ]


# --- names --------------------------------------------------------------------------------------------------------

HOSTILE_NAMES = {
    b"new\nline.md": "new\\nline.md",
    b"latin\xe9.md": "latin\\xe9.md",  # Latin-1, not UTF-8
    b"esc\x1b[31mred.md": "esc\\x1b[31mred.md",  # a terminal escape sequence
    b"tab\tname.md": "tab\\tname.md",
    b"bidi\xe2\x80\xaedm.exe.md": "bidi\\u202edm.exe.md",  # U+202E would show the name backwards
    "ünïcödé.md".encode(): "ünïcödé.md",
}


def test_names_with_newlines_escapes_and_non_utf8_bytes_are_shown_escaped(tmp_path, capsys, monkeypatch):
    notes = tmp_path / "notes"
    notes.mkdir()
    for raw in HOSTILE_NAMES:
        with open(os.path.join(os.fsencode(notes), raw), "w") as handle:
            handle.write(GOOD)
    monkeypatch.chdir(tmp_path)
    code = main(["build", str(notes), "-o", "g.json", "--graphml", "g.graphml", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["files"] == len(HOSTILE_NAMES)
    graph = load_graph(tmp_path / "g.json")
    assert graph.graph["files"] == sorted(HOSTILE_NAMES.values())
    assert {m["file"] for m in graph.nodes["service:sqs"]["mentions"]} == set(HOSTILE_NAMES.values())
    for shown in graph.graph["files"]:  # one line each, printable, valid UTF-8 in every output
        assert shown.isprintable() and "\u202e" not in shown
    assert "\\u202e" in (tmp_path / "g.graphml").read_text("utf-8")


def test_uploaded_names_cannot_escape_or_hide(tmp_path):
    result = read_uploads([("a\u202egnp.md", b"# A\n"), ("x\udcff\x1b[2J.md", b"# B\n"), ("../../x.md", b"# C\n")])
    assert [n.path for n in result.notes] == ["a?gnp.md", "x??[2J.md", "x.md"]


# --- many files, big files, disguised files -----------------------------------------------------------------------


def test_fifty_thousand_empty_files_are_each_reported_and_the_note_among_them_built(tmp_path):
    notes = tmp_path / "many"
    notes.mkdir()
    try:
        started = time.perf_counter()
        for number in range(50_000):
            os.close(os.open(notes / f"{number:05d}.md", os.O_CREAT | os.O_WRONLY, 0o644))
        (notes / "zz-good.md").write_text(GOOD)
        made = time.perf_counter()
        result = build_notes(notes)
        built = time.perf_counter()
        assert len(result.problems) == 50_000
        assert {p.message for p in result.problems} == {"empty file"}
        assert str(result.problems[0]) == "00000.md: skipped: empty file"
        assert result.graph.graph["files"] == ["zz-good.md"] and set(result.graph) == GOOD_NODES
        assert built - made < 30, f"reading 50,000 files took {built - made:.1f}s (making them {made - started:.1f}s)"
    finally:
        shutil.rmtree(notes)


def test_a_folder_over_the_file_count_limit_is_refused_before_any_file_is_read(write_notes, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILES", 3)
    folder = write_notes({f"{n}.md": f"# Note {n}\n" for n in range(5)})
    opened: list[Path] = []
    with monkeypatch.context() as patch:
        patch.setattr(ingest, "read_file", lambda file: opened.append(file) or (None, "not expected"))
        with pytest.raises(ingest.TooManyFilesError) as refused:
            read_notes(folder)
    assert str(refused.value) == (
        f"{folder}: more than 3 note files, over the file-count limit; build a smaller folder (one subject or "
        "course) or split the notes into several folders"
    )
    assert opened == []
    assert [n.path for n in read_notes(folder / "0.md").notes] == ["0.md"]  # one file of it is fine


def test_a_whole_disk_walk_stops_at_the_limit_of_entries(tmp_path, monkeypatch):
    """Typing "/" (or a home folder) looks at no more than MAX_WALK_ENTRIES files and folders, then says why."""
    monkeypatch.setattr(ingest, "MAX_WALK_ENTRIES", 50)
    walked: list[str] = []
    real_walk = os.walk

    def counting_walk(*args, **kwargs):
        for entry in real_walk(*args, **kwargs):
            walked.append(entry[0])
            yield entry

    monkeypatch.setattr(ingest.os, "walk", counting_walk)
    with pytest.raises(ingest.TooManyFilesError, match=r"^/: more than 50 files and folders under it, too many"):
        read_notes("/")
    assert len(walked) < 50  # it gave up early: "/" holds thousands of folders
    small = tmp_path / "notes"
    small.mkdir()
    (small / "a.md").write_text("# Amazon SQS\n", encoding="utf-8")
    assert [n.path for n in read_notes(small).notes] == ["a.md"]


def test_a_100_megabyte_file_is_skipped_unread(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text(GOOD)
    big = notes / "big.md"
    try:
        with open(big, "wb") as handle:
            handle.truncate(100 * 1024 * 1024)  # sparse: no disk used
        started = time.perf_counter()
        result = build_notes(notes)
        assert problems(result) == [
            "big.md: skipped: 100.0 MB is over the 5 MB file-size limit; split the file into smaller notes"
        ]
        assert set(result.graph) == GOOD_NODES
        with pytest.raises(NoNotesError) as err:
            read_notes(big)
        assert str(err.value) == (
            f"{big}: none of the 1 note file(s) could be read "
            "(big.md: skipped: 100.0 MB is over the 5 MB file-size limit; split the file into smaller notes)"
        )
        assert time.perf_counter() - started < 10  # skipped by its size, never read
    finally:
        big.unlink()


def _zip(name: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    zipfile.ZipFile(buffer, "w").close()
    return buffer.getvalue()


def test_archives_and_binaries_renamed_to_md_are_named_for_what_they_are(write_notes):
    import gzip

    folder = write_notes(
        {
            "good.md": GOOD,
            "notes.md": _zip("notes.md", GOOD),
            "word.md": _zip("word/document.xml", "<w:document/>"),  # a .docx is a zip
            "empty-zip.md": _empty_zip(),
            "zipped.md": gzip.compress(GOOD.encode()),
            "scan.md": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            "utf16.md": GOOD.encode("utf-16"),
            "program.md": b"\x7fELF\x02\x01\x01\x00",
        }
    )
    result = build_notes(folder)
    binary = "not text; only markdown or plain-text notes are read"
    assert problems(result) == [
        f"empty-zip.md: skipped: binary file (a zip archive), {binary}",
        f"notes.md: skipped: binary file (a zip archive), {binary}",
        f"program.md: skipped: binary file (an executable), {binary}",
        f"scan.md: skipped: binary file (a PDF document), {binary}",
        f"utf16.md: skipped: binary file (UTF-16 text; save it as UTF-8), {binary}",
        f"word.md: skipped: binary file (a zip archive), {binary}",
        f"zipped.md: skipped: binary file (a gzip archive), {binary}",
    ]
    assert set(result.graph) == GOOD_NODES


def test_upload_limits_name_the_limit(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_UPLOAD_FILES", 3)
    result = read_uploads([(f"{n}.md", b"# Note\n") for n in range(5)])
    assert [n.path for n in result.notes] == ["0.md", "1.md", "2.md"]
    assert problems(result) == [
        "(upload): note: 5 files uploaded; only the first 3 are read (the upload file-count limit); upload one "
        "subject or course at a time"
    ]
    monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    chunk = b"# Note\n" + b"word\n" * 180_000  # 0.9 MB
    result = read_uploads([("a.md", chunk), ("b.md", chunk), ("c.md", chunk)])
    assert [n.path for n in result.notes] == ["a.md", "b.md"]
    assert problems(result) == [
        "c.md: skipped: the upload is over the 2 MB upload-size limit from this file on; upload fewer"
    ]
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1024 * 1024)
    result = read_uploads([("huge.md", b"x" * (1024 * 1024 + 1)), ("a.md", b"# A\n")])
    assert problems(result) == [
        "huge.md: skipped: 1.0 MB is over the 1 MB file-size limit; split the file into smaller notes"
    ]


# --- interrupted builds -------------------------------------------------------------------------------------------

# Runs `notes-graph build` with one function made to stop and say so, so that the parent can kill -9 it there.
_DRIVER = """
import os, sys, time
import {module} as target
real = getattr(target, {name!r})
def stall(*args, **kwargs):
    result = real(*args, **kwargs)
    print("STALLED", flush=True)
    time.sleep(600)
    return result
setattr(target, {name!r}, stall)
from graph.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _kill_when_stalled(cwd: Path, module: str, name: str, argv: list[str]) -> None:
    code = _DRIVER.format(module=module, name=name)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", code, *argv], cwd=cwd, stdout=subprocess.PIPE, env=env, text=True)
    try:
        with deadline(120):
            line = child.stdout.readline()
        assert line == "STALLED\n", f"build ended before the stall ({child.wait()}): {line!r}"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


def _snapshot(graph) -> str:
    return json.dumps(graph_to_json(graph), sort_keys=True, default=str)


def _cache_rows(home: Path) -> int:
    with closing(sqlite3.connect(home / "extractions" / "extractions.sqlite")) as db:
        return db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]


def test_kill_9_mid_build_leaves_the_earlier_graph_and_the_cache_usable(tmp_path, monkeypatch, capsys):
    notes = tmp_path / "notes"
    notes.mkdir()
    for n in range(12):
        (notes / f"note-{n:02d}.md").write_text(f"# Amazon SQS part {n}\n\n- Amazon SQS feeds AWS Lambda {n}\n")
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "cache-home"
    monkeypatch.setenv("NOTES_GRAPH_CACHE_HOME", str(home))  # the killed children inherit it
    code_fingerprint.cache_clear()
    assert main(["build", str(notes), "-o", "g.json"]) == 0
    capsys.readouterr()
    before = (tmp_path / "g.json").read_bytes()
    assert _cache_rows(home) == 12
    for n in range(12):  # every note changes, so the next build writes a new cache entry for each
        with open(notes / f"note-{n:02d}.md", "a") as handle:
            handle.write(f"- Amazon SNS delivers to Amazon SQS {n}\n")
    argv = ["build", str(notes), "-o", "g.json"]
    # Killed after the new graph file is written and synced, before the rename that would put it in place.
    _kill_when_stalled(tmp_path, "os", "fsync", argv)
    assert (tmp_path / "g.json").read_bytes() == before  # the earlier graph file, untouched
    assert load_graph(tmp_path / "g.json").graph["files"] == [f"note-{n:02d}.md" for n in range(12)]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".g.json.")  # hidden, and never read as a graph
    assert _cache_rows(home) == 24  # the extractions were committed in one transaction before the graph was saved
    code_fingerprint.cache_clear()  # key the cache on the code as it is now, as the killed processes did
    assert main(["build", str(notes), "-o", "g.json", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["cached_files"] == 12  # the work done before the kill is reused
    fresh = build_notes(notes).graph
    assert _snapshot(load_graph(tmp_path / "g.json")) == _snapshot(fresh)


def test_damaged_cache_entries_are_misses_not_errors(write_notes, tmp_path):
    folder = write_notes({"a.md": GOOD, "b.md": "# Amazon SNS\n"})
    cache = tmp_path / "cache"
    first = build_notes(folder, cache_dir=cache)
    damage = [b"", b"\x80\x05garbage", zlib.compress(b'{"path": 1}'), zlib.compress(b"[" * 100_000)]
    with closing(sqlite3.connect(cache / "extractions.sqlite")) as db, db:
        keys = [k for (k,) in db.execute("SELECT key FROM entries ORDER BY key")]
        for number, key in enumerate(keys):
            db.execute("UPDATE entries SET data = ? WHERE key = ?", (damage[number % len(damage)], key))
    again = build_notes(folder, cache_dir=cache)
    assert again.cached_files == 0 and again.problems == []
    assert _snapshot(again.graph) == _snapshot(first.graph)
    assert build_notes(folder, cache_dir=cache).cached_files == 2  # rewritten whole


# --- notes are never written --------------------------------------------------------------------------------------

_HOSTILE_NOTES: dict[str, bytes] = {
    "crlf.md": b"# Amazon SQS\r\n\r\n- feeds AWS Lambda\r\n",
    "bom.md": b"\xef\xbb\xbf---\ntitle: x\n---\n# Amazon SNS\n",
    "mojibake.md": "# Kinesis â€” streams â†’ S3\n".encode(),
    "legacy.md": "# Café — naïve Amazon S3\n".encode("cp1252"),
    "payload.md": b"# Amazon SQS \\<script\\>alert(1)\\</script\\>\n\nTODO finish\n",
    "empty.md": b"",
    "zip.md": _zip("a.md", "x"),
}


def _state(folder: Path) -> dict[str, tuple]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode) for p in folder.rglob("*")
    }


def _commands(notes: Path) -> dict[str, list[list[str]]]:
    n = str(notes)
    return {
        "build": [["build", n, "-o", "g.json", "--graphml", "g.graphml"], ["build", n, "-o", "g.json", "--no-cache"]],
        "show": [["show", "sqs", "-g", "g.json"], ["show", "sqs", "--notes", n, "--json"]],
        "neighbors": [["neighbors", "sqs", "--notes", n, "--depth", "3"]],
        "path": [["path", "sqs", "lambda", "--notes", n]],
        "related": [["related", "sqs", "--notes", n, "--json"]],
        "communities": [["communities", "--notes", n]],
        "stats": [["stats", "--notes", n]],
        "gaps": [["gaps", n, "--format", "markdown", "-o", "report.md"], ["gaps", "--notes", n, "-s", "clf-c02"]],
        "export": [
            ["export", n, "--format", "neo4j", "-o", "neo4j"],
            ["export", "--notes", n, "--format", "gexf", "-o", "g.gexf"],
        ],
        "app": [],  # starts a server: the page is checked in tests/test_app.py, the command in tests/test_wheel.py
    }  # fmt: skip


def test_no_command_writes_to_a_note(tmp_path, monkeypatch, capsys):
    import argparse

    from graph.cli import make_parser

    notes = tmp_path / "notes"
    notes.mkdir()
    for name, raw in _HOSTILE_NOTES.items():
        (notes / name).write_bytes(raw)
    commands = _commands(notes)
    sub = next(a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands) == set(sub.choices), "a command was added: list it here so it is checked too"
    writes: list[str] = []
    real_open = os.open

    def watching_open(path, flags, *args, **kwargs):
        inside = str(Path(os.fsdecode(path)).resolve()).startswith(str(notes.resolve()))
        if inside and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND):
            writes.append(os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", watching_open)
    monkeypatch.chdir(tmp_path)
    before = _state(notes)
    for argv_list in commands.values():
        for argv in argv_list:
            assert main(argv) == 0, argv
            capsys.readouterr()
            assert _state(notes) == before, argv  # bytes, modification times, modes; no file added
    assert writes == []
