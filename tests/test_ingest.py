"""Reading note files: repair, limits, and one clear message per bad file."""

from __future__ import annotations

from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.sources import notes as ingest
from graph.sources.bundled import BUNDLED_NOTES
from graph.sources.notes import NoNotesError, decode_note, read_notes, repair_text


def test_double_encoded_utf8_is_repaired_including_bytes_lost_to_windows_1252():
    # "—" and "→" survive the round trip; the closing quote lost its 0x9D byte.
    text, repairs = repair_text("Streams â€” ingest â†’ S3; the â€œwhyâ€ behind it")
    assert text == "Streams — ingest → S3; the “why” behind it"
    assert repairs == ["repaired mis-decoded characters (mojibake)"]


def test_text_without_mojibake_marks_is_never_mojibake_to_ftfy():
    # Arrows, dashes, an apostrophe and an ellipsis alone skip ftfy's test; a mis-decoded dash ("â€”") does not.
    assert ingest._MOJIBAKE_MARKS.search("S3 → Glue — it’s a lake … ⇒ done") is None
    assert ingest._MOJIBAKE_MARKS.search("Streams â€” ingest") is not None
    assert repair_text("Kinesis → S3 — it’s fast")[1] == []


# Characters ftfy's mojibake test reads (its categories, Latin-1, Windows-125x letters), mixed with ASCII.
_SUSPECTS = "".join(map(chr, range(0x80, 0x250))) + "–—‘’‚“”„†‡•…‰‹›€™√≈≤≥±∂≠ВГРСЂвΒΓΞΟβāŒœ×²³°µ¶§→⇒"


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SUSPECTS + "ab Z.,?!-\n"), max_size=12))
def test_ftfy_finds_mojibake_only_where_a_mark_is(text):
    if ftfy.is_bad(text):
        assert ingest._MOJIBAKE_MARKS.search(text) is not None


def test_bundled_notes_are_repaired_without_moving_lines():
    raw = (BUNDLED_NOTES / "aws-study-notes.md").read_text("utf-8")
    note = read_notes(BUNDLED_NOTES).notes[0]
    assert "â€" not in note.text and "ğŸ" not in note.text
    assert note.text.count("\n") == raw.count("\n")
    lines = note.text.split("\n")
    assert lines[26] == "**CodeCommit** — *Source & Version Control*  "
    assert lines[1002].startswith("### 🗣") and lines[1002].endswith("**Amazon Polly — Text-to-Speech**")


def test_bom_crlf_and_front_matter():
    raw = "\ufeff---\r\ntitle: x\r\n---\r\n# SQS\r\nQueue\r\n".encode()
    note, problem = decode_note("a.md", raw)
    assert problem is None
    assert note.text == "\n\n\n# SQS\nQueue\n"  # front matter blanked, line numbers kept
    assert note.repairs == ("removed byte-order mark", "normalised CR/CRLF line ends", "skipped YAML front matter")


def test_legacy_encoding_is_decoded_and_said():
    note, _ = decode_note("old.md", "Café — naïve".encode("cp1252"))
    assert note.text == "Café — naïve"
    assert note.repairs == ("not UTF-8: decoded as Windows-1252",)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty file"),
        (b"  \n\n", "empty file"),
        (b"PK\x03\x04rest-of-zip", "binary file (a zip archive), not text; only markdown or plain-text notes are read"),
        (b"abc\x00def", "binary file (contains NUL bytes), not text; only markdown or plain-text notes are read"),
    ],
)
def test_unusable_files_are_skipped_with_a_message(raw, message):
    note, problem = decode_note("x.md", raw)
    assert note is None
    assert problem.message == message and problem.skipped


def test_long_lines_are_cut_and_reported(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_LINE_CHARS", 50)
    note, problem = decode_note("long.md", ("# T\n" + "x" * 80 + "\nend\n").encode())
    assert note.text.split("\n")[1] == "x" * 50
    assert problem.message == "line(s) 2 longer than 50 characters were cut to that length"
    assert not problem.skipped


def test_folder_reading_skips_bad_files_and_keeps_the_rest(write_notes, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    folder = write_notes(
        {
            "good.md": "# Amazon SQS\n- queue\n",
            "sub/also.markdown": "# SNS\n",
            "empty.md": "",
            "huge.md": "x" * 2000,
            "image.md": b"\x89PNG\r\n\x1a\n\x00\x00",
            "ignored.pdf": "not a note",
            ".hidden/secret.md": "# hidden\n",
        }
    )
    result = read_notes(folder)
    assert [n.path for n in result.notes] == ["good.md", "sub/also.markdown"]
    assert sorted(str(p) for p in result.problems) == [
        "empty.md: skipped: empty file",
        "huge.md: skipped: 0.0 MB is over the 0 MB file-size limit; split the file into smaller notes",
        "image.md: skipped: binary file (a PNG image), not text; only markdown or plain-text notes are read",
    ]


def test_missing_path_and_empty_folder_raise_clear_errors(tmp_path):
    with pytest.raises(NoNotesError, match="no such file or folder"):
        read_notes(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoNotesError, match=r"no notes found \(looked for .md, .markdown, .txt files"):
        read_notes(tmp_path / "empty")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.md").write_bytes(b"")
    with pytest.raises(NoNotesError, match=r"none of the 1 note file\(s\) could be read \(a.md: skipped: empty file\)"):
        read_notes(tmp_path / "bad")


def test_symlink_loops_do_not_trap_the_walk(tmp_path):
    root = tmp_path / "notes"
    root.mkdir()
    (root / "a.md").write_text("# A\n")
    (root / "loop").symlink_to(root, target_is_directory=True)
    result = read_notes(root)
    assert [n.path for n in result.notes] == ["a.md"]


def test_notes_are_never_modified(write_notes):
    folder = write_notes({"a.md": "â€” mojibake\r\n", "b.md": b"\xef\xbb\xbf# BOM\n"})
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    read_notes(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_one_megabyte_line_and_deep_nesting_are_read_with_a_message(write_notes):
    deep_quote = ">" * 50 + " very deep\n"
    deep_list = "".join("  " * i + "- level\n" for i in range(60))
    folder = write_notes(
        {
            "long.md": "# Amazon SQS\n" + "queue " * 200_000 + "\n",
            "deep.md": "# Amazon SNS\n\n" + deep_quote + "\n" + deep_list,
        }
    )
    result = read_notes(folder)
    assert [n.path for n in result.notes] == ["deep.md", "long.md"]
    assert [str(p) for p in result.problems] == [
        "deep.md: note: nesting deeper than 40 levels from line 3; the deeper part is read as text",
        "long.md: note: line(s) 2 longer than 20,000 characters were cut to that length",
    ]
    from graph.store.build import build_notes

    graph = build_notes(folder).graph
    assert {"service:sqs", "service:sns"} <= set(graph)


def test_uploads_are_read_by_safe_display_names_only():
    from graph.sources.notes import read_uploads

    result = read_uploads(
        [
            ("../../etc/passwd.md", b"# Amazon SQS\n"),
            ("dir\\evil\nname.md", b"# Amazon SNS\n"),
            ("notes.md", b"# A\n"),
            ("notes.md", b"# B\n"),
            ("photo.png", b"\x89PNG"),
        ]
    )
    assert [n.path for n in result.notes] == ["passwd.md", "evil?name.md", "notes.md", "notes (2).md"]
    assert [str(p) for p in result.problems] == [
        "photo.png: skipped: not a note file (expected .md, .markdown, .txt, or a .zip of them)"
    ]
    with pytest.raises(NoNotesError, match="none of the 1 uploaded file"):
        read_uploads([("x.pdf", b"%PDF")])


def test_only_note_files_are_read_whatever_path_is_given(tmp_path):
    secret = tmp_path / "credentials"
    secret.write_text("[default]\naws_secret_access_key = abc123\n")
    key = tmp_path / "id_rsa.pub"
    key.write_text("ssh-rsa AAAA... user@host\n")
    for path in (secret, key, Path("/etc/passwd")):
        with pytest.raises(NoNotesError, match=r"not a note file; give a \.md, \.markdown, \.txt file or a folder"):
            read_notes(path)
    note = tmp_path / "notes.MD"
    note.write_text("# Amazon SQS\n")
    assert [n.path for n in read_notes(note).notes] == ["notes.MD"]
