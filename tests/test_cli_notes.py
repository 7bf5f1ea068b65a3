"""`notes-graph build` and `notes-graph show`: output, JSON, and errors as one clear line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from graph.cli import main
from graph.sources.bundled import BUNDLED_NOTES
from graph.store.graphfile import load_graph


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_writes_the_graph_and_prints_a_summary(capsys, tmp_path):
    out_file = tmp_path / "g.json"
    code, out, err = run(capsys, "build", str(BUNDLED_NOTES), "-o", str(out_file), "--no-cache")
    assert code == 0 and err == ""
    assert out.startswith(f"Built {out_file} from 1 note file(s)")
    assert "Topics by type:" in out and "  service " in out
    assert "Relations (stated / all):" in out and "  feeds " in out
    assert "aws-study-notes.md: repaired mis-decoded characters (mojibake)" in out
    assert load_graph(out_file).nodes["service:sqs"]["label"] == "Amazon SQS"


def test_build_json_and_graphml(capsys, tmp_path):
    code, out, _ = run(
        capsys,
        "build",
        str(BUNDLED_NOTES),
        "-o",
        str(tmp_path / "g.json"),
        "--graphml",
        str(tmp_path / "g.graphml"),
        "--json",
        "--no-cache",
    )
    summary = json.loads(out)
    assert code == 0
    assert summary["files"] == 1 and summary["types"]["service"] >= 55
    assert summary["relations"]["feeds"]["stated"] == summary["relations"]["feeds"]["edges"]
    assert (tmp_path / "g.graphml").read_text("utf-8").startswith("<?xml")


def test_show_prints_aliases_definition_mentions_and_evidence(capsys, tmp_path):
    graph_file = tmp_path / "g.json"
    run(capsys, "build", str(BUNDLED_NOTES), "-o", str(graph_file), "--no-cache")
    code, out, _ = run(capsys, "show", "simple queue service", "-g", str(graph_file))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Amazon SQS  [service]  id: service:sqs"
    assert "Written as: Amazon SQS, Simple Queue Service, SQS" in lines
    assert "Own sections: Amazon SQS (Simple Queue Service) (aws-study-notes.md:55)" in lines
    assert any(line.startswith("  aws-study-notes.md:12 ") for line in lines)
    code, out, _ = run(capsys, "show", "firehose", "-g", str(graph_file), "--json")
    info = json.loads(out)
    targets = {r["other_label"] for r in info["relations"] if r["relation"] == "delivers_to"}
    assert targets == {"Amazon S3", "Amazon Redshift", "Amazon OpenSearch Service", "Splunk"}
    s3 = next(r for r in info["relations"] if r["relation"] == "delivers_to" and r["other_label"] == "Amazon S3")
    assert s3["evidence"][0]["line"] == 739 and s3["stated"] is True


def test_errors_are_one_line_with_a_non_zero_exit(capsys, tmp_path):
    code, out, err = run(capsys, "build", str(tmp_path / "missing"), "-o", str(tmp_path / "g.json"))
    assert code == 1 and out == ""
    assert err.strip().endswith("no such file or folder; give a notes file or a folder of .md/.markdown/.txt files")
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "show", "sqs", "-g", str(tmp_path / "none.json"))
    assert code == 1 and "no graph file here; run 'notes-graph build' first" in err
    graph_file = tmp_path / "g.json"
    run(capsys, "build", str(BUNDLED_NOTES), "-o", str(graph_file), "--no-cache")
    code, out, _ = run(capsys, "show", "Kinesys Firehos", "-g", str(graph_file))
    assert code == 0 and out.startswith("Amazon Data Firehose  [service]")  # small typos are forgiven
    code, _, err = run(capsys, "show", "qqqq zzzz", "-g", str(graph_file))
    assert code == 1 and err.startswith("notes-graph: error: no topic named 'qqqq zzzz'")


def test_a_failed_build_keeps_the_earlier_graph_file(capsys, tmp_path):
    graph_file = tmp_path / "g.json"
    run(capsys, "build", str(BUNDLED_NOTES), "-o", str(graph_file), "--no-cache")
    before = graph_file.read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "build", str(empty), "-o", str(graph_file))
    assert code == 1 and "no notes found" in err
    assert graph_file.read_bytes() == before


def test_console_script_is_installed(tmp_path):
    exe = shutil.which("notes-graph") or str(__import__("pathlib").Path(sys.executable).with_name("notes-graph"))
    done = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "build" in done.stdout and "show" in done.stdout


def test_console_script_writes_everything_before_it_exits(tmp_path, write_notes):
    """The entry point ends the process without tearing down the heap: output and files must be complete."""
    folder = write_notes({"a.md": "# Amazon SQS\n\n- **Queue** — a buffer of messages\n- SQS -> AWS Lambda\n"})
    graph_file = tmp_path / "g.json"
    command = [sys.executable, "-m", "graph.cli", "build", str(folder), "-o", str(graph_file), "--json", "--no-cache"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["files"] == 1 and summary["cached_files"] == 0
    graph = load_graph(graph_file)
    assert graph.has_edge("service:sqs", "service:lambda", key="feeds")
    missing = [sys.executable, "-m", "graph.cli", "show", str(tmp_path / "nope.json")]
    done = subprocess.run(missing, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("notes-graph: error:") and "Traceback" not in done.stderr


def test_many_problems_are_summarised_not_listed_one_per_line(capsys, write_notes, tmp_path):
    folder = write_notes({"good.md": "# Amazon SQS\n", **{f"empty{i:02}.md": "" for i in range(30)}})
    code, out, _ = run(capsys, "build", str(folder), "-o", str(tmp_path / "g.json"), "--no-cache")
    assert code == 0
    assert "Problems (30):" in out
    assert "  ... and 10 more (--json lists them all)" in out
    assert out.count(": skipped: empty file") == 20
