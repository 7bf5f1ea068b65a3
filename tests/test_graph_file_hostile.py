"""Hand-made graph files and labels: one clear error for any damage, safe terminal output, file modes kept."""

from __future__ import annotations

import json
import os
import select
import stat
import subprocess
import sys

import networkx as nx
import pytest

from graph.sources.notes import safe_name
from graph.store import graphfile
from graph.store.graphfile import SCHEMA_VERSION, GraphFileError, load_graph, save_graph

HEADER = f'{{"directed": true, "multigraph": true, "graph": {{"schema": {SCHEMA_VERSION}}}, "edges": [], "nodes": '
BIG = "9" * 5000


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (HEADER + '[{"id": "a", "label": "a", "type": "concept", "mention_count": ' + BIG + "}]}", "4300 digits"),
        (HEADER + '[{"id": "a", "label": "a \\ud800 b", "type": "concept"}]}', "node 'a' has an attribute"),
        (HEADER + '[{"id": "\\udfff", "label": "a", "type": "concept"}]}', "has an attribute of the wrong kind"),
        (HEADER + '[{"id": "a", "label": {"x": [[[[]]]]}, "type": "concept"}]}', "node 'a' has an attribute"),
    ],
    ids=["nesting", "huge-integer", "lone-surrogate", "surrogate-id", "wrong-shape"],
)
def test_every_malformed_file_is_the_same_damaged_file_message(tmp_path, text, reason):
    path = tmp_path / "g.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GraphFileError) as raised:
        load_graph(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: damaged graph file (") and reason in message
    assert message.endswith("; rebuild it with 'notes-graph build'")


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "g.json"
    path.write_bytes(b" " * 5_000_000)
    monkeypatch.setattr(graphfile, "MAX_GRAPH_BYTES", 1_000_000)
    monkeypatch.setattr(graphfile.Path, "read_text", lambda *a, **k: pytest.fail("read a file over the cap"))
    with pytest.raises(GraphFileError, match=r"5 MB is larger than a graph file can be \(1 MB\); is this the right"):
        load_graph(path)


def _graph(label: str) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(schema=SCHEMA_VERSION)
    graph.add_node("term:x", label=label, type="concept")
    graph.add_node("term:y", label="Other", type="concept")
    graph.add_edge("term:x", "term:y", key="related_to", relation="related_to", weight=1.0, stated=False)
    return graph


def test_a_new_graph_file_is_0644_and_a_replaced_one_keeps_its_mode(tmp_path):
    new = tmp_path / "new.json"
    save_graph(_graph("A"), new)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    kept = tmp_path / "kept.json"
    kept.write_text("{}")
    os.chmod(kept, 0o640)
    save_graph(_graph("A"), kept)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert load_graph(kept).nodes["term:x"]["label"] == "A"


def _on_a_terminal(argv: list[str], cwd) -> str:
    """What ``notes-graph ARGV`` writes to a terminal (a pseudo-terminal), decoded."""
    leader, follower = os.openpty()
    code = f"import sys; from graph.cli import main; sys.exit(main({argv!r}))"
    child = subprocess.Popen([sys.executable, "-c", code], stdout=follower, stderr=follower, cwd=cwd)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the child
            break
        if not chunk:
            break
        chunks.append(chunk)
    child.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_terminal_output_shows_escape_sequences_as_text_and_cuts_huge_labels(tmp_path):
    save_graph(_graph("\x1b]0;pwned\x07\x1b[2J Title " + "w" * 100_000), tmp_path / "g.json")
    screen = _on_a_terminal(["stats", "-g", "g.json"], tmp_path)
    assert "\x1b" not in screen and "\x07" not in screen
    assert "?]0;pwned??[2J Title www" in screen
    assert "… (" in screen and " more characters)" in screen
    assert max(len(line) for line in screen.splitlines()) < 2_100


def test_piped_json_keeps_every_character(tmp_path, capsys):
    from graph.cli import main

    label = "\x1b[31mred\x9b"
    save_graph(_graph(label), tmp_path / "g.json")
    assert main(["show", "term:x", "-g", str(tmp_path / "g.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["label"] == label


def test_a_long_upload_name_keeps_its_suffix():
    name = "a" * 300 + ".md"
    assert safe_name(name) == "a" * 197 + ".md"
    assert safe_name("b" * 300) == "b" * 200
    assert safe_name("x" * 250 + ".markdown").endswith("x.markdown") and len(safe_name("x" * 250 + ".markdown")) == 200
