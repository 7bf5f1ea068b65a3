"""The sidebar's upload control, Python side (graph/ui/uploadcomponent.py): its one message decoded to the very bytes
chosen, files the browser kept back named with the reader's own words (graph/sources/notes.py read_uploads), and a
server limit that lets the largest upload through in one message."""

from __future__ import annotations

import base64

import pytest

import graph.sources.notes as ingest
from graph.cli.app import STREAMLIT_OPTIONS
from graph.sources.notes import NoNotesError, Withheld, read_uploads, upload_refusal
from graph.ui.appstate import upload_source
from graph.ui.uploadcomponent import MESSAGE_MARGIN, decode_files, limits, summary


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_text_and_base64_entries_give_back_the_bytes_chosen():
    cp1252 = "caf\u00e9 \u2014 notes".encode("cp1252")  # not UTF-8: sent as base64
    bom = "\ufeff# Amazon SQS\n".encode()  # UTF-8 with its byte-order mark, sent as text
    files = decode_files(
        {
            "files": [
                ["bom.md", "t", bom.decode("utf-8")],
                ["old.md", "b", base64.b64encode(cp1252).decode()],
                ["week 1/x.md", "t", ""],
            ],
            "withheld": [["scan.pdf", 120_000]],
        }
    )
    assert files == (("bom.md", bom), ("old.md", cp1252), ("week 1/x.md", b""), Withheld("scan.pdf", 120_000))
    assert summary(files) == {"files": 3, "bytes": len(bom) + len(cp1252), "withheld": 1}


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (None, "not a message of the upload control"),
        ({"files": "a.md"}, "not a message of the upload control"),
        ({"files": [["a.md", "t", 3]]}, 'entry 1 of the files is not [name, "t" or "b", content]'),
        (
            {"files": [["a.md", "t", "x"], ["b.md", "z", "x"]]},
            'entry 2 of the files is not [name, "t" or "b", content]',
        ),
        ({"files": [["a.md", "b", "***"]]}, "entry 1 of the files is not valid base64"),
        ({"withheld": [["a.md", True]]}, "entry 1 kept back is not [name, size]"),
        ({"withheld": [["a.md", 1, 2]]}, "entry 1 kept back is not [name, size]"),
    ],
)
def test_a_malformed_message_is_refused_with_what_is_wrong(value, why):
    with pytest.raises(ValueError) as refused:
        decode_files(value)
    assert str(refused.value) == why


def test_files_kept_back_are_named_in_the_words_the_reader_uses_for_files_it_was_sent(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    chunk = b"# Note\n" + b"word\n" * 180_000  # 0.9 MB
    result = read_uploads(
        [
            ("a.md", chunk),
            Withheld("photo.png", 1_000),
            Withheld("huge.md", 6 * 1024 * 1024),
            Withheld("big.zip", 3 * 1024 * 1024),
            Withheld("b.md", len(chunk)),  # 1.8 MB in all: within the total, kept back for the message size
            Withheld("c.md", len(chunk)),  # 2.7 MB in all: over the total
        ]
    )
    assert [n.path for n in result.notes] == ["a.md"]
    assert messages(result) == [
        "photo.png: skipped: not a note file (expected .md, .markdown, .txt, or a .zip of them)",
        "huge.md: skipped: 6.0 MB is over the 5 MB file-size limit; split the file into smaller notes",
        "big.zip: skipped: 3.0 MB is over the 2 MB upload-size limit; zip fewer notes",
        "b.md: skipped: not sent: the upload was too large for the browser to send in one go; upload fewer files or "
        "a .zip",
        "c.md: skipped: the upload is over the 2 MB upload-size limit from this file on; upload fewer",
    ]
    # The same words for the same files when they were sent after all.
    sent = read_uploads([("a.md", chunk), ("photo.png", b"\x89PNG"), ("huge.md", b"x" * (6 * 1024 * 1024))])
    assert messages(sent)[:2] == messages(result)[:2]


def test_an_upload_of_nothing_but_kept_back_files_is_refused_with_why():
    with pytest.raises(NoNotesError) as refused:
        read_uploads([Withheld("photo.png", 10)])
    assert str(refused.value) == (
        "none of the 1 uploaded file(s) could be read (photo.png: skipped: not a note file (expected .md, "
        ".markdown, .txt, or a .zip of them))"
    )


def test_a_choice_with_other_files_kept_back_is_another_upload():
    notes = [("a.md", b"# A\n")]
    assert upload_source(notes) != upload_source([*notes, Withheld("b.md", 7)])
    assert upload_source([*notes, Withheld("b.md", 7)]) != upload_source([*notes, Withheld("b.md", 8)])
    assert upload_source([*notes, Withheld("b.md", 7)]) == upload_source([*notes, Withheld("b.md", 7)])


def test_the_browser_refuses_by_the_readers_rules_and_numbers():
    given = limits(80_000_000)
    assert given["maxFileBytes"] == ingest.MAX_FILE_BYTES and given["maxTotalBytes"] == ingest.MAX_UPLOAD_BYTES
    assert given["maxFiles"] == ingest.MAX_UPLOAD_FILES == ingest.MAX_FILES  # as many files as a folder
    assert tuple(given["notes"]) == ingest.NOTE_SUFFIXES and tuple(given["archives"]) == ingest.ARCHIVE_SUFFIXES
    assert upload_refusal("NOTES.MD", ingest.MAX_FILE_BYTES) == ""
    assert upload_refusal("notes.zip", ingest.MAX_UPLOAD_BYTES) == ""
    assert upload_refusal("notes.md", ingest.MAX_FILE_BYTES + 1).startswith("5.0 MB is over the 5 MB file-size")
    assert upload_refusal("notes.zip", ingest.MAX_UPLOAD_BYTES + 1).startswith("50.0 MB is over the 50 MB upload")


def test_the_shipped_server_takes_the_largest_upload_in_one_message():
    """Streamlit closes the connection on a message from the browser over server.maxWidgetStateSize (25 MB by
    default): 50 MB of notes that are not UTF-8 go as base64, a third more, with their names beside them."""
    budget = limits(STREAMLIT_OPTIONS["server.maxWidgetStateSize"] * 1_000_000)["maxMessageBytes"]
    assert budget == STREAMLIT_OPTIONS["server.maxWidgetStateSize"] * 1_000_000 - MESSAGE_MARGIN
    largest = 4 * -(-ingest.MAX_UPLOAD_BYTES // 3)
    assert budget >= largest + 2_000_000  # room for the names of a few thousand files
