"""``notes-graph gaps``: text, JSON and markdown output, syllabus messages, and clear errors."""

from __future__ import annotations

import json

import pytest

from graph.cli import main

NOTES = {
    "notes.md": """# Messaging

## Amazon SQS
- Amazon SQS is a durable message queue.
- Consumers poll the queue at their own pace.

## `<img src=x onerror=alert(1)>`

## Where things ran
- Workers ran on Amazon EC2 and AWS Lambda. TODO: add the `*instance*` types | sizes
- Amazon EC2 hosts were patched weekly.
"""
}


@pytest.fixture
def notes(write_notes):
    return write_notes(NOTES)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report_against_a_builtin_syllabus(capsys, notes):
    code, out, err = run(capsys, "gaps", str(notes), "--syllabus", "clf-c02")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Gap report for 1 note file(s)."
    assert lines[1] == ("Against clf-c02: 1 of 128 covered (0.8%), 2 mentioned only (1.6%), 125 missing (97.7%).")
    assert lines[3] == "Do first:"
    assert lines[4].startswith("  1. Study the 125 clf-c02 service(s) your notes never name")
    assert "    Amazon EC2: 2 place(s), at notes.md:10, notes.md:11" in lines
    assert "  Covered (1): Amazon Simple Queue Service (Amazon SQS)" in lines
    assert "Unfinished notes (2):" in lines
    # Parts come in the order of what to do first.
    order = [
        "Syllabus coverage: clf-c02",
        "Mentioned but never explained",
        "Unfinished notes",
        "Thin topics",
        "Structural gaps",
        "Duplicated coverage",
    ]
    starts = [next(i for i, line in enumerate(lines) if line.startswith(part)) for part in order]
    assert starts == sorted(starts)


def test_json_report_has_every_part(capsys, notes):
    code, out, _ = run(capsys, "gaps", str(notes), "--syllabus", "clf-c02", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["files"] == ["notes.md"]
    assert data["coverage"]["overall"]["covered"] == 1
    sqs = next(i for i in data["coverage"]["items"] if i["catalog_id"] == "sqs")
    assert (sqs["status"], sqs["places"][0]) == ("covered", {"file": "notes.md", "line": 3, "text": "Amazon SQS"})
    assert [(s["line"], s["kinds"]) for s in data["unfinished"]] == [(7, ["empty section"]), (10, ["to do"])]
    assert data["notes"] == []


def test_markdown_export_escapes_note_text(capsys, notes, tmp_path):
    target = tmp_path / "gaps.md"
    code, out, err = run(capsys, "gaps", str(notes), "--format", "markdown", "-o", str(target))
    assert code == 0 and out == ""
    assert err == f"Wrote the gap report to {target}\n"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Gap report\n")
    assert "<img" not in text
    # The heading is code in the note, so its text reaches the report as it was written.
    assert "- notes.md:7, empty section: &lt;img src=x onerror=alert(1)" in text
    assert "TODO: add the \\*instance\\* types \\| sizes" in text
    assert "## Notes\n\n- no syllabus given, so coverage of an exam's services was not checked" in text


def test_markdown_coverage_table(capsys, notes):
    code, out, _ = run(capsys, "gaps", str(notes), "--syllabus", "clf-c02", "--format", "markdown")
    assert code == 0
    assert "| Application Integration | 1/4 | 0 | 3 | 25 |" in out
    assert "| Compute | 0/7 | 1 | 6 | 0 |" in out


def test_syllabus_file_problems_go_to_stderr_with_their_lines(capsys, notes, tmp_path):
    syllabus = tmp_path / "mine.txt"
    syllabus.write_text("## Queues\nAmazon SQS\nAmazon SQS\nAmazon Simple Queue Servce\n", encoding="utf-8")
    code, out, err = run(capsys, "gaps", str(notes), "--syllabus", str(syllabus))
    assert code == 0
    assert err.splitlines() == [
        f"notes-graph: {syllabus}:3: warning: 'Amazon SQS' repeats line 2 in 'Queues'; ignored",
        f"notes-graph: {syllabus}:4: warning: unknown service 'Amazon Simple Queue Servce': not in the service "
        "catalog, so it is matched by name only; did you mean 'Amazon Simple Queue Service'?",
    ]
    assert "Against mine: 1 of 2 covered (50%), 0 mentioned only (0%), 1 missing (50%)." in out
    assert "  The syllabus file has 2 problem(s), listed on stderr." in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--syllabus", "clf-c03"],
            "no syllabus named 'clf-c03': give a syllabus file or one of the built-in names "
            "(az-900, clf-c02, gcp-ace, saa-c03)",
        ),
        (["--notes", "elsewhere"], "give the notes either as PATH or with --notes, not both"),
        (["--graph", "x.json"], "give either a notes PATH or --graph, not both"),
    ],
)
def test_bad_input_is_one_clear_line(capsys, notes, argv, message):
    code, out, err = run(capsys, "gaps", str(notes), *argv)
    assert (code, out) == (1, "")
    assert err == f"notes-graph: error: {message}\n"


def test_empty_syllabus_file_is_an_error(capsys, notes, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n", encoding="utf-8")
    code, _, err = run(capsys, "gaps", str(notes), "--syllabus", str(empty))
    assert code == 1
    assert err.startswith(f"notes-graph: error: syllabus {empty} lists no services")
    assert "Traceback" not in err


def test_unwritable_output_is_an_error(capsys, notes, tmp_path):
    code, _, err = run(capsys, "gaps", str(notes), "-o", str(tmp_path / "missing" / "gaps.md"))
    assert code == 1
    assert err.startswith(f"notes-graph: error: cannot write {tmp_path / 'missing' / 'gaps.md'}: ")


def test_missing_notes_path_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "gaps", str(tmp_path / "nowhere"))
    assert code == 1
    assert err.startswith("notes-graph: error: ") and len(err.splitlines()) == 1
