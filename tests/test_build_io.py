"""The graph file: node-link JSON round trip, GraphML export, atomic writes, cache."""

from __future__ import annotations

import json
import os

import networkx as nx
import pytest

from graph.build import SCHEMA_VERSION, build_notes
from graph.io import GraphFileError, export_graphml, graph_to_json, load_graph, save_graph


def test_json_round_trip_keeps_every_node_and_edge(bundled_graph, tmp_path):
    path = save_graph(bundled_graph, tmp_path / "g.json")
    loaded = load_graph(path)
    assert dict(loaded.nodes(data=True)) == dict(bundled_graph.nodes(data=True))
    assert sorted(loaded.edges(keys=True, data=True), key=repr) == sorted(
        bundled_graph.edges(keys=True, data=True), key=repr
    )
    assert loaded.graph["schema"] == SCHEMA_VERSION


def test_file_format_is_documented_node_link(bundled_graph, tmp_path):
    data = json.loads(save_graph(bundled_graph, tmp_path / "g.json").read_text("utf-8"))
    assert data["directed"] is True and data["multigraph"] is True
    node = next(n for n in data["nodes"] if n["id"] == "service:sqs")
    assert {"id", "label", "type", "aliases", "definition", "mention_count", "mentions", "has_section"} <= set(node)
    assert node["label"] == "Amazon SQS" and node["type"] == "service"
    edge = next(e for e in data["edges"] if e["relation"] == "feeds")
    assert {"source", "target", "relation", "weight", "stated", "evidence"} <= set(edge)
    assert {"file", "line", "section", "text"} == set(edge["evidence"][0])


def test_graphml_export_opens_in_networkx(bundled_graph, tmp_path):
    path = export_graphml(bundled_graph, tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert back.number_of_nodes() == bundled_graph.number_of_nodes()
    assert json.loads(back.nodes["service:sqs"]["aliases"]) == bundled_graph.nodes["service:sqs"]["aliases"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no graph file here; run 'notes-graph build' first"),
        ("{not json", "not valid JSON"),
        ('{"a": 1}', "not a Notes Graph file"),
        ('{"nodes": [], "edges": [], "graph": {"schema": 0}}', "schema version 0, this program reads version 1"),
    ],
)
def test_bad_graph_files_get_clear_messages(tmp_path, content, message):
    path = tmp_path / "g.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(GraphFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_graph(path)


def test_a_failed_write_leaves_the_earlier_file_intact(bundled_graph, tmp_path, monkeypatch):
    path = save_graph(bundled_graph, tmp_path / "g.json")
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError):
        save_graph(nx.MultiDiGraph(schema=SCHEMA_VERSION), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]  # no temporary file left behind


def test_cache_reuses_unchanged_files_and_rereads_changed_ones(write_notes, tmp_path):
    folder = write_notes({"a.md": "# Amazon SQS\n- queue\n", "b.md": "# Amazon SNS\n- topics\n"})
    cache = tmp_path / "cache"
    first = build_notes(folder, cache_dir=cache)
    assert first.cached_files == 0
    (folder / "b.md").write_text("# Amazon SNS\n- topics and SQS\n")
    second = build_notes(folder, cache_dir=cache)
    assert second.cached_files == 1
    assert second.graph.has_edge("service:sns", "service:sqs", "related_to")
    assert sorted(second.graph.nodes) == sorted(build_notes(folder).graph.nodes)


def test_building_twice_gives_the_same_graph(write_notes):
    folder = write_notes({"a.md": "# Kinesis\n\nProducers → Kinesis → Firehose → S3\n"})
    one, two = build_notes(folder).graph, build_notes(folder).graph
    assert json.dumps(graph_to_json(one), sort_keys=True) == json.dumps(graph_to_json(two), sort_keys=True)
