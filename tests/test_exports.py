"""`notes-graph export`: GEXF for Gephi, a Neo4j import folder, GraphML and JSON, each read back as its reader does."""

from __future__ import annotations

import csv
import json
import os

import networkx as nx
import pytest

from graph.cli import main
from graph.model import RELATIONS
from graph.store import exports
from graph.store.build import build_notes
from graph.store.exports import (
    FORMATS,
    NEO4J_NODE_COLUMNS,
    NEO4J_RELATIONSHIP_COLUMNS,
    export_gexf,
    export_graph,
    export_neo4j,
)
from graph.store.graphfile import load_graph, save_graph

NOTE = (
    "# Streaming\n\n"
    "## Amazon Kinesis\n\n"
    "**Amazon Kinesis** — collects streaming data in real time.\n\n"
    "- Kinesis -> Amazon S3 -> Amazon Athena\n"
)
#: A label with everything a CSV writer must quote, and a newline.
AWKWARD = 'Odd, "quoted"\nlabel'
NODE_HEADER = ["id", "label", "type", "full_name", "aliases", "definition", "mention_count", "files"]
RELATIONSHIP_HEADER = ["source", "target", "relation", "weight", "stated", "count"]


@pytest.fixture
def tiny(write_notes):
    """The graph of one small note: four topics (a concept, three services), feeds and related_to edges."""
    graph = build_notes(write_notes({"n.md": NOTE})).graph
    assert sorted(graph.nodes) == ["service:athena", "service:kinesis", "service:s3", "term:streaming"]
    assert {key for *_, key in graph.edges(keys=True)} == {"feeds", "related_to"}
    return graph


def read_csv(path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- GEXF ---------------------------------------------------------------------------------------------------------


def test_gexf_reads_back_with_the_same_nodes_labels_types_and_edges(bundled_graph, tmp_path):
    path = export_gexf(bundled_graph, tmp_path / "g.gexf")
    assert path == tmp_path / "g.gexf"
    back = nx.read_gexf(path)
    assert isinstance(back, nx.MultiDiGraph)
    assert set(back.nodes) == set(bundled_graph.nodes)
    assert back.number_of_edges() == bundled_graph.number_of_edges() == 730
    # Edge keys (relation names) come back through the networkx_key attribute.
    assert sorted(back.edges(keys=True)) == sorted(bundled_graph.edges(keys=True))
    sqs = back.nodes["service:sqs"]
    assert sqs["label"] == "Amazon SQS" and sqs["type"] == "service"
    assert json.loads(sqs["aliases"]) == ["Amazon SQS", "Simple Queue Service", "SQS"]
    assert sqs["mention_count"] == 4 and sqs["has_section"] is True
    assert {data["type"] for _, data in back.nodes(data=True)} == {"service", "concept", "use_case", "technology"}
    u, v, key, data = next(e for e in bundled_graph.edges(keys=True, data=True) if e[2] == "feeds")
    edge = back.edges[u, v, key]
    assert edge["relation"] == edge["label"] == "feeds"
    assert edge["weight"] == data["weight"] and edge["stated"] is True and edge["count"] == data["count"]


def test_gexf_labels_with_quotes_newlines_and_non_xml_characters(tiny, tmp_path):
    tiny.nodes["service:s3"]["label"] = AWKWARD
    tiny.nodes["service:athena"]["label"] = "bad \ufffe \x01 chars"
    back = nx.read_gexf(export_gexf(tiny, tmp_path / "g.gexf"))
    assert back.nodes["service:s3"]["label"] == AWKWARD
    assert back.nodes["service:athena"]["label"] == "bad \ufffd \ufffd chars"
    assert back.number_of_edges() == 5


def test_gexf_gives_each_attribute_one_type(tmp_path):
    """A graph file may carry attributes of its own: mixed kinds and GEXF's reserved names still make a valid file."""
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="A", type="concept", score=1, extra=[1, 2], start="x", mixed=True)
    graph.add_node("b", label="B", type="concept", score=2.5, extra={"k": None}, mixed="text", big=2**70)
    graph.add_edge("a", "b", key="has", relation="has", weight=1, stated=True, type="odd", id="e")
    graph.add_edge("a", "b", key="related_to", relation="related_to", weight=0.5, stated=False)
    back = nx.read_gexf(export_gexf(graph, tmp_path / "g.gexf"))
    assert back.nodes["a"]["score"] == 1.0 and back.nodes["b"]["score"] == 2.5
    assert back.nodes["a"]["extra"] == "[1, 2]" and back.nodes["b"]["extra"] == '{"k": null}'
    assert back.nodes["a"]["mixed"] == "True" and back.nodes["b"]["mixed"] == "text"
    assert back.nodes["b"]["big"] == str(2**70)
    assert back.nodes["a"]["start_"] == "x"  # GEXF's own "start" (a time) is not taken from the notes' attribute
    assert back.edges["a", "b", "has"]["type_"] == "odd" and back.edges["a", "b", "has"]["id_"] == "e"
    assert sorted(back.edges(keys=True)) == [("a", "b", "has"), ("a", "b", "related_to")]
    assert back.edges["a", "b", "has"]["weight"] == 1.0 and back.edges["a", "b", "related_to"]["weight"] == 0.5


# --- Neo4j --------------------------------------------------------------------------------------------------------


def test_neo4j_csvs_have_exact_headers_and_a_row_per_node_and_edge(bundled_graph, tmp_path):
    folder = export_neo4j(bundled_graph, tmp_path / "neo4j")
    assert sorted(os.listdir(folder)) == ["load.cypher", "nodes.csv", "relationships.csv"]
    assert list(NEO4J_NODE_COLUMNS) == NODE_HEADER and list(NEO4J_RELATIONSHIP_COLUMNS) == RELATIONSHIP_HEADER
    header, nodes = read_csv(folder / "nodes.csv")
    assert header == NODE_HEADER
    assert len(nodes) == bundled_graph.number_of_nodes() == 347
    assert {row["id"] for row in nodes} == set(bundled_graph.nodes)
    sqs = next(row for row in nodes if row["id"] == "service:sqs")
    assert sqs["label"] == "Amazon SQS" and sqs["type"] == "service"
    assert sqs["full_name"] == "Amazon Simple Queue Service" and sqs["mention_count"] == "4"
    assert sqs["definition"] == "Durable message queue for work distribution"
    assert json.loads(sqs["aliases"]) == ["Amazon SQS", "Simple Queue Service", "SQS"]
    assert json.loads(sqs["files"]) == ["aws-study-notes.md"]
    header, edges = read_csv(folder / "relationships.csv")
    assert header == RELATIONSHIP_HEADER
    assert len(edges) == bundled_graph.number_of_edges() == 730
    assert sorted((r["source"], r["target"], r["relation"]) for r in edges) == sorted(bundled_graph.edges(keys=True))
    assert {row["stated"] for row in edges} == {"true", "false"}
    for row in edges:
        data = bundled_graph.edges[row["source"], row["target"], row["relation"]]
        assert float(row["weight"]) == data["weight"] and int(row["count"]) == data["count"]
        assert row["stated"] == ("true" if data["stated"] else "false")


def test_neo4j_label_with_comma_quote_and_newline_round_trips(tiny, tmp_path):
    tiny.nodes["service:s3"]["label"] = AWKWARD
    tiny.nodes["service:s3"]["aliases"] = [AWKWARD, 'say \\"hi\\"', "ends with \\"]
    folder = export_neo4j(tiny, tmp_path / "neo4j")
    _, nodes = read_csv(folder / "nodes.csv")
    s3 = next(row for row in nodes if row["id"] == "service:s3")
    assert s3["label"] == AWKWARD
    assert json.loads(s3["aliases"]) == [AWKWARD, 'say \\"hi\\"', "ends with \\"]
    assert len(nodes) == 4 and {row["id"] for row in nodes} == set(tiny.nodes)
    # Neo4j's LOAD CSV takes a backslash before a quote for an escape by default: the JSON lists have none ...
    text = (folder / "nodes.csv").read_text("utf-8")
    assert '\\"' not in text and "\\u0022" in text
    assert "legacy_quote_escaping" not in (folder / "load.cypher").read_text("utf-8")
    # ... and when the text itself has one, the script says which setting reads it right.
    tiny.nodes["service:s3"]["label"] = 'C:\\"temp"'
    export_neo4j(tiny, folder)
    assert next(row for row in read_csv(folder / "nodes.csv")[1] if row["id"] == "service:s3")["label"] == 'C:\\"temp"'
    assert "dbms.import.csv.legacy_quote_escaping=false" in (folder / "load.cypher").read_text("utf-8")


def test_load_cypher_has_a_block_per_relation_and_type_present_and_no_note_text(tiny, tmp_path):
    tiny.nodes["service:s3"]["label"] = AWKWARD
    tiny.nodes["service:s3"]["definition"] = "'); MATCH (n) DETACH DELETE n; //"
    script = (export_neo4j(tiny, tmp_path / "neo4j") / "load.cypher").read_text("utf-8")
    assert script.count("LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row") == 3  # concept, service, others
    assert script.count("LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row") == 2
    assert script.count("WITH row WHERE row.relation = 'feeds'\n") == 1
    assert script.count("MERGE (a)-[r:`FEEDS`]->(b)\n") == 1
    assert script.count("WITH row WHERE row.relation = 'related_to'\n") == 1
    assert script.count("MERGE (a)-[r:`RELATED_TO`]->(b)\n") == 1
    for absent in set(RELATIONS) - {"feeds", "related_to"}:
        assert f"'{absent}'" not in script and f"`{absent.upper()}`" not in script
    assert "WITH row WHERE row.type = 'service'\nMERGE (n:Topic {id: row.id})\nSET n:`Service`, " in script
    assert "SET n:`Concept`, " in script and "UseCase" not in script and "Technology" not in script
    assert "r.weight = toFloat(row.weight), r.stated = (row.stated = 'true')" in script
    assert "CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE;" in script
    for node, data in tiny.nodes(data=True):
        for text in (node, data["label"], *data["aliases"], data["definition"]):
            assert not text or text not in script, text
    evidence = [ev["text"] for *_, data in tiny.edges(data=True) for ev in data["evidence"]]
    assert evidence and not any(text in script for text in evidence)
    assert "DETACH" not in script


def test_only_plain_relation_and_type_names_reach_the_script(tiny, tmp_path):
    tiny.add_edge("service:s3", "term:streaming", key="x`]->() DELETE", relation="x`]->() DELETE", weight=1.0)
    tiny.nodes["term:streaming"]["type"] = "Odd Type'"
    folder = export_neo4j(tiny, tmp_path / "neo4j")
    script = (folder / "load.cypher").read_text("utf-8")
    assert "DELETE" not in script and "Odd" not in script
    assert "// 1 relation name(s) not plain lower-case words: in relationships.csv, not loaded." in script
    assert "WITH row WHERE NOT row.type IN ['service']\nMERGE (n:Topic {id: row.id})\nSET n.label = " in script
    _, edges = read_csv(folder / "relationships.csv")
    assert len(edges) == tiny.number_of_edges() == 6
    assert {row["relation"] for row in edges} == {"feeds", "related_to", "x`]->() DELETE"}


# --- atomic writes ------------------------------------------------------------------------------------------------


def test_a_failed_neo4j_export_keeps_the_earlier_one(tiny, tmp_path, monkeypatch):
    folder = export_neo4j(tiny, tmp_path / "neo4j")
    (folder / "mine.txt").write_text("not ours", encoding="utf-8")
    before = {name: (folder / name).read_bytes() for name in os.listdir(folder)}
    tiny.nodes["service:s3"]["label"] = "Changed"
    calls = []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        export_neo4j(tiny, folder)
    monkeypatch.undo()
    assert {name: (folder / name).read_bytes() for name in os.listdir(folder)} == before  # no temporary files left
    # A folder the failed export made is removed again.
    monkeypatch.setattr(exports.os, "fsync", failing_fsync)
    calls.clear()
    with pytest.raises(OSError):
        export_neo4j(tiny, tmp_path / "new")
    monkeypatch.undo()
    assert not (tmp_path / "new").exists()
    # The next export replaces our three files and leaves the others alone.
    export_neo4j(tiny, folder)
    assert (folder / "mine.txt").read_text("utf-8") == "not ours"
    assert "Changed" in (folder / "nodes.csv").read_text("utf-8")


def test_a_failed_gexf_export_keeps_the_earlier_file(tiny, tmp_path, monkeypatch):
    path = export_gexf(tiny, tmp_path / "g.gexf")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(exports.os, "fsync", broken)
    with pytest.raises(OSError):
        export_gexf(tiny, path)
    assert path.read_bytes() == before
    assert [name for name in os.listdir(tmp_path) if name != "notes"] == ["g.gexf"]  # no temporary file left


def test_export_graph_covers_every_format(tiny, tmp_path):
    assert FORMATS == ("json", "graphml", "gexf", "neo4j")
    assert load_graph(export_graph(tiny, tmp_path / "g.json", "json")).number_of_edges() == 5
    assert nx.read_graphml(export_graph(tiny, tmp_path / "g.graphml", "graphml")).number_of_nodes() == 4
    assert nx.read_gexf(export_graph(tiny, tmp_path / "g.gexf", "gexf")).number_of_nodes() == 4
    assert (export_graph(tiny, tmp_path / "neo", "neo4j") / "load.cypher").is_file()
    with pytest.raises(ValueError, match="unknown export format 'dot'; choose one of json, graphml, gexf, neo4j"):
        export_graph(tiny, tmp_path / "g.dot", "dot")


# --- the command --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "what"),
    [
        ("gexf", "g.gexf", "GEXF (for Gephi)"),
        ("neo4j", "neo4j", "nodes.csv, relationships.csv and load.cypher (for Neo4j)"),
        ("graphml", "g.graphml", "GraphML (for yEd, Gephi)"),
        ("json", "copy.json", "the graph file (node-link JSON)"),
    ],
)
def test_export_command_writes_each_format_and_says_so(capsys, tiny, tmp_path, fmt, name, what):
    graph_file = save_graph(tiny, tmp_path / "g.json")
    out_path = tmp_path / name
    code, out, err = run(capsys, "export", "--graph", str(graph_file), "--format", fmt, "-o", str(out_path))
    assert (code, err) == (0, "")
    assert out == f"Wrote {what} to {out_path}: 4 topics, 5 relations.\n"
    if fmt == "neo4j":
        assert len(read_csv(out_path / "nodes.csv")[1]) == 4
    elif fmt == "json":
        assert sorted(load_graph(out_path).edges(keys=True)) == sorted(tiny.edges(keys=True))
    else:
        assert out_path.read_text("utf-8").startswith("<?xml")


def test_export_command_builds_notes_given_as_a_path_and_prints_json(capsys, write_notes, tmp_path):
    folder = write_notes({"n.md": NOTE})
    code, out, _ = run(capsys, "export", str(folder), "--format", "neo4j", "-o", str(tmp_path / "neo"), "--json")
    assert code == 0
    assert json.loads(out) == {
        "format": "neo4j",
        "output": str(tmp_path / "neo"),
        "files": [str(tmp_path / "neo" / name) for name in ("nodes.csv", "relationships.csv", "load.cypher")],
        "nodes": 4,
        "edges": 5,
    }


def test_export_command_errors_are_one_line_with_a_non_zero_exit(capsys, tiny, tmp_path):
    missing = tmp_path / "none.json"
    code, out, err = run(capsys, "export", "-g", str(missing), "--format", "gexf", "-o", str(tmp_path / "g.gexf"))
    assert (code, out) == (1, "")
    assert err == f"notes-graph: error: {missing}: no graph file here; run 'notes-graph build' first\n"
    assert not (tmp_path / "g.gexf").exists()
    graph_file = save_graph(tiny, tmp_path / "g.json")
    code, out, err = run(capsys, "export", "-g", str(graph_file), "--format", "neo4j", "-o", str(graph_file))
    assert (code, out) == (1, "")
    assert err == f"notes-graph: error: cannot write {graph_file}: exists and is not a folder\n"
    code, _, err = run(capsys, "export", "-g", str(graph_file), "--format", "gexf", "-o", str(tmp_path))
    assert code == 1 and err == f"notes-graph: error: cannot write {tmp_path}: Is a directory\n"
    code, _, err = run(capsys, "export", str(tmp_path), "-g", str(graph_file), "--format", "gexf", "-o", "x.gexf")
    assert code == 1 and err == "notes-graph: error: give either a notes PATH or --graph, not both\n"
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "-g", str(graph_file), "--format", "dot", "-o", str(tmp_path / "g.dot")])
    assert exit_info.value.code == 2
    assert "invalid choice: 'dot'" in capsys.readouterr().err
