"""Uploaded .zip archives of notes (graph/sources/notes.py read_zip, read_uploads): read like a folder, in memory,
within the upload limits; a hostile archive gets one clear message per kind of trouble and nothing is read outside it.
"""

from __future__ import annotations

import os
import zipfile

import pytest
from zip_helpers import make_zip

import graph.sources.notes as ingest
from graph.sources.notes import NoNotesError, read_uploads, read_zip
from graph.store.build import build_uploads


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_a_zip_is_read_like_a_folder_of_notes():
    raw = make_zip(
        {
            "course/week1/queues.md": b"# Amazon SQS\n\nAmazon SQS feeds AWS Lambda.\n",
            "course/week2/topics.markdown": b"# Amazon SNS\n",
            "course/README.txt": b"Study notes\n",
            "course/": b"",
        }
    )
    result = read_zip(raw, "course.zip")
    assert [n.path for n in result.notes] == [
        "course/week1/queues.md",
        "course/week2/topics.markdown",
        "course/README.txt",
    ]
    assert result.problems == []
    assert result.notes[0].text.startswith("# Amazon SQS")


def test_zip_and_single_files_upload_together_and_build_one_graph():
    raw = make_zip({"a/queues.md": b"# Amazon SQS\n\nAmazon SQS feeds AWS Lambda.\n"})
    result = build_uploads([("notes.zip", raw), ("topics.md", b"# Amazon SNS\n\nAmazon SNS feeds Amazon SQS.\n")])
    assert result.graph.graph["files"] == ["a/queues.md", "topics.md"]
    assert {"service:sqs", "service:lambda", "service:sns"} <= set(result.graph)


def test_hostile_entries_are_skipped_with_one_message_per_kind_and_nothing_outside_is_read(tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("# Amazon Macie\n")
    raw = make_zip(
        {
            "ok.md": b"# Amazon SQS\n",
            "../../escape.md": b"# Amazon SNS\n",
            "/etc/abs.md": b"# Amazon SNS\n",
            "C:/windows.md": b"# Amazon SNS\n",
            "a\\..\\..\\back.md": b"# Amazon SNS\n",
            "photo.png": b"\x89PNG",
            "run.sh": b"rm -rf /",
            ".hidden/n.md": b"# Amazon SNS\n",
        },
        links={"link.md": str(outside), "up.md": "../../secret.md"},
    )
    before = sorted(os.listdir(tmp_path))
    result = read_zip(raw, "hostile.zip")
    assert [n.path for n in result.notes] == ["ok.md"]
    assert messages(result) == [
        "hostile.zip: note: 4 entries skipped: paths that leave the archive's folder (../, / or a drive); nothing is "
        "read outside it (../../escape.md, /etc/abs.md, C:/windows.md, ...)",
        "hostile.zip: note: 3 entries skipped: not a note (.md, .markdown, .txt; hidden files are skipped too) "
        "(photo.png, run.sh, .hidden/n.md)",
        "hostile.zip: note: 2 entries skipped: symbolic links; links in an archive are not followed (link.md, up.md)",
    ]
    assert sorted(os.listdir(tmp_path)) == before  # nothing extracted anywhere
    assert all("Macie" not in n.text for n in result.notes)


def test_too_many_entries_is_refused_before_anything_is_read(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILES", 5)
    raw = make_zip({f"n{i}.md": b"# Amazon SQS\n" for i in range(6)})
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a) or pytest.fail("read an entry"))
    with pytest.raises(NoNotesError) as err:
        read_uploads([("many.zip", raw)])
    assert str(err.value) == (
        "none of the 1 uploaded file(s) could be read (many.zip: skipped: 6 entries, over the 5-file limit; zip a "
        "smaller folder (one subject or course))"
    )
    assert opened == []
    # Beside other files, a refused archive is one problem: the rest is read.
    result = read_uploads([("many.zip", raw), ("ok.md", b"# Amazon SQS\n")])
    assert [n.path for n in result.notes] == ["ok.md"]
    assert messages(result) == [
        "many.zip: skipped: 6 entries, over the 5-file limit; zip a smaller folder (one subject or course)"
    ]


def test_a_zip_bomb_is_refused_by_its_extracted_size_before_decompressing():
    # 60 MB of one byte compresses to about 60 KB: over the 50 MB upload limit once extracted.
    raw = make_zip({f"bomb{i}.md": b"a" * (4 * 1024 * 1024) for i in range(15)})
    assert len(raw) < 1024 * 1024
    with pytest.raises(NoNotesError) as err:
        read_uploads([("bomb.zip", raw)])
    assert str(err.value) == (
        "none of the 1 uploaded file(s) could be read (bomb.zip: skipped: its notes are 60 MB extracted, over the "
        "50 MB upload-size limit; zip fewer notes)"
    )


def test_an_entry_over_the_file_limit_is_skipped_without_being_decompressed(monkeypatch):
    raw = make_zip({"big.md": b"# Amazon SQS\n" + b"x" * (5 * 1024 * 1024), "small.md": b"# Amazon SNS\n"})
    real_open = zipfile.ZipFile.open
    opened: list[str] = []
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, info, *a, **k: opened.append(info.filename) or real_open(self, info, *a, **k),
    )
    result = read_zip(raw)
    assert [n.path for n in result.notes] == ["small.md"]
    assert messages(result) == [
        "big.md: skipped: 5.0 MB is over the 5 MB file-size limit; split the file into smaller notes"
    ]
    assert opened == ["small.md"]


def test_a_damaged_or_empty_archive_says_so():
    with pytest.raises(NoNotesError, match=r"\(notes.zip: skipped: not a readable zip archive \(File is not a zip"):
        read_uploads([("notes.zip", b"PK\x03\x04 this is not really a zip")])
    with pytest.raises(NoNotesError, match=r"notes.zip: skipped: holds no notes \(.md, .markdown, .txt files\)"):
        read_uploads([("notes.zip", make_zip({}))])
    with pytest.raises(NoNotesError) as err:
        read_uploads([("pictures.zip", make_zip({"only.png": b"\x89PNG"}))])
    assert str(err.value) == (
        "none of the 1 uploaded file(s) could be read (pictures.zip: note: 1 entry skipped: not a note (.md, "
        ".markdown, .txt; hidden files are skipped too) (only.png))"
    )
    broken = bytearray(make_zip({"a.md": b"# Amazon SQS\n" * 50, "b.md": b"# Amazon SNS\n"}, method=zipfile.ZIP_STORED))
    broken[40:60] = b"\xff" * 20  # inside a.md's data: its CRC no longer matches
    result = read_zip(bytes(broken))
    assert [n.path for n in result.notes] == ["b.md"]
    assert messages(result) == ["a.md: skipped: cannot be read from the archive (Bad CRC-32 for file 'a.md')"]


def test_zip_notes_count_towards_the_upload_size_limit(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    chunk = b"# Note\n" + b"word\n" * 180_000  # 0.9 MB
    result = read_uploads([("a.md", chunk), ("more.zip", make_zip({"b.md": chunk, "c.md": chunk}))])
    assert [n.path for n in result.notes] == ["a.md", "b.md"]
    assert messages(result) == [
        "c.md: skipped: the upload is over the 2 MB upload-size limit from this file on; upload fewer"
    ]


def test_names_inside_a_zip_are_shown_escaped_and_deduplicated():
    raw = make_zip({"a/x\u202egnp.md": b"# A\n", "b/\x1b[2J.md": b"# B\n"})
    result = read_uploads([("n.zip", raw), ("x.md", b"# C\n"), ("again.zip", make_zip({"x.md": b"# D\n"}))])
    assert [n.path for n in result.notes] == ["a/x\\u202egnp.md", "b/\\x1b[2J.md", "x.md", "x (2).md"]
