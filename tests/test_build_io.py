"""The graph file: node-link JSON round trip, GraphML export, atomic writes, cache."""

from __future__ import annotations

import json
import os

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.sources.notes import NoNotesError
from graph.store import graphfile as io
from graph.store.build import build_notes
from graph.store.graphfile import (
    SCHEMA_VERSION,
    GraphFileError,
    export_graphml,
    graph_from_json,
    graph_to_json,
    load_graph,
    save_graph,
)


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
    # Evidence items are in one list, each once; nodes and edges cite them by position.
    assert {"file", "line", "section", "text"} == set(data["evidence"][edge["evidence"][0]])
    in_memory = bundled_graph.edges[edge["source"], edge["target"], edge["key"]]["evidence"]
    assert [data["evidence"][i] for i in edge["evidence"]] == in_memory
    assert all(isinstance(i, int) for i in node["mentions"]) and isinstance(node["definition_evidence"], int)
    items = [json.dumps(item, sort_keys=True) for item in data["evidence"]]
    assert len(items) == len(set(items))
    # What NetworkX's own reader makes of it: the graph, with positions for evidence.
    back = nx.node_link_graph(data, edges="edges")
    assert back.number_of_edges() == bundled_graph.number_of_edges()


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
        ('{"nodes": [], "edges": [], "graph": {"schema": 0}}', "schema version 0, this program reads version 2"),
        # Version 1 files held every evidence item inline, repeated: rebuilding writes the shared list.
        (
            '{"nodes": [{"id": "a", "label": "A", "type": "concept", "mentions": [{"file": "a.md", "line": 1, '
            '"section": [], "text": "A"}]}], "edges": [], "graph": {"schema": 1}}',
            "graph file has schema version 1, this program reads version 2; rebuild it with 'notes-graph build'",
        ),
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


def test_loading_gives_the_graph_node_link_graph_gives(bundled_graph, tmp_path):
    # load_graph builds the adjacency itself (node_link_graph was 0.4 s of a 10,000-note load): same result.
    path = save_graph(bundled_graph, tmp_path / "g.json")
    loaded = load_graph(path)
    data = json.loads(path.read_text("utf-8"))
    evidence = data.pop("evidence")
    for node in data["nodes"]:
        node["mentions"] = [evidence[i] for i in node["mentions"]]
        if node["definition_evidence"] is not None:
            node["definition_evidence"] = evidence[node["definition_evidence"]]
    for edge in data["edges"]:
        edge["evidence"] = [evidence[i] for i in edge["evidence"]]
    expected = nx.node_link_graph(data, edges="edges")
    assert loaded.graph == expected.graph
    assert dict(loaded.nodes(data=True)) == dict(expected.nodes(data=True))
    assert list(loaded.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))
    assert list(loaded.pred["service:sqs"]) == list(expected.pred["service:sqs"])


@pytest.mark.parametrize("weight", [10**400, -1, -0.5])
def test_a_weight_no_reader_can_use_is_a_damaged_file_not_a_crash(tmp_path, weight):
    # Valid JSON, but float(weight) raises OverflowError in every reader (and once in the check itself), and a
    # weight of -1 made every path query divide by zero (a path's cost falls as the weight grows).
    graph = nx.MultiDiGraph(schema=SCHEMA_VERSION)
    graph.add_node("a", label="A", type="concept")
    graph.add_node("b", label="B", type="concept")
    graph.add_edge("a", "b", key="has", relation="has", weight=1.0)
    data = graph_to_json(graph)
    data["edges"][0]["weight"] = weight
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data))
    with pytest.raises(GraphFileError, match=r"edge 0 has an attribute of the wrong kind"):
        load_graph(path)


def _column_fits(values, spec) -> bool:
    try:
        return io._all_fit(values, spec)
    except (KeyError, TypeError, OverflowError):
        return False


_json_leaf = st.none() | st.booleans() | st.integers(-(10**400), 10**400) | st.floats() | st.text(max_size=3)
_json_value = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["file", "line", "x"]), inner),
    max_leaves=5,
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_the_column_check_never_passes_what_the_item_check_rejects(bundled_graph, data):
    # Loading trusts _all_fit's True without looking item by item, so it must never be more lenient.
    sample = graph_to_json(bundled_graph)
    items = data.draw(st.sampled_from([sample["nodes"][:4], sample["edges"][:4]]))
    spec = io._NODE if "id" in items[0] else io._EDGE
    items = json.loads(json.dumps(items))
    for _ in range(data.draw(st.integers(0, 3))):
        parent, key, value = None, None, items
        while isinstance(value, (dict, list)) and value and data.draw(st.integers(0, 4)):
            keys = sorted(value) if isinstance(value, dict) else list(range(len(value)))
            parent, key = value, data.draw(st.sampled_from(keys))
            value = value[key]
        if parent is not None and isinstance(parent, dict) and data.draw(st.booleans()):
            del parent[key]
        elif parent is not None:
            parent[key] = data.draw(_json_value)
    if _column_fits(items, spec):
        assert all(io._fits(item, spec) for item in items)
    if all(io._fits(item, spec) for item in items) and all(type(i) is dict for i in items):
        assert _column_fits(items, spec)  # and it agrees on what is sound, so the fast path is the usual one


def _two_topics(**edge) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(schema=SCHEMA_VERSION)
    graph.add_node(
        "a", label="A", type="concept", mentions=[{"file": "n.md", "line": 3, "section": ["S"], "text": "A"}]
    )
    graph.add_node("b", label="B", type="concept")
    graph.add_edge("a", "b", key="has", relation="has", weight=1.0, **edge)
    return graph


def test_evidence_cited_twice_is_written_once_and_read_back_in_both_places(tmp_path):
    item = {"file": "n.md", "line": 3, "section": ["S"], "text": "A"}
    other = {"file": "n.md", "line": 3, "section": ["S", "T"], "text": "A"}  # same line, another section path
    graph = _two_topics(evidence=[dict(item), other])
    data = graph_to_json(graph)
    assert data["evidence"] == [item, other]
    assert data["nodes"][0]["mentions"] == [0] and data["edges"][0]["evidence"] == [0, 1]
    assert graph.nodes["a"]["mentions"] == [item]  # the graph itself is left as it was
    loaded = load_graph(save_graph(graph, tmp_path / "g.json"))
    assert loaded.nodes["a"]["mentions"] == [item]
    assert loaded.edges["a", "b", "has"]["evidence"] == [item, other]


def test_an_odd_evidence_item_is_written_as_it_is_and_never_merged():
    # A hand-made graph may carry items with more keys: kept apart, and the reader still checks their shape.
    odd = {"file": "n.md", "line": 3, "section": ["S"], "text": "A", "note": "extra"}
    data = graph_to_json(_two_topics(evidence=[odd, dict(odd)]))
    assert data["evidence"][1:] == [odd, odd] and data["edges"][0]["evidence"] == [1, 2]
    assert graph_from_json(data).edges["a", "b", "has"]["evidence"] == [odd, odd]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["edges"][0].update(evidence=[5]), "evidence item 5 is cited but the file has 1"),
        (lambda d: d["nodes"][0].update(mentions=[-1]), "evidence item -1 is cited but the file has 1"),
        (lambda d: d["nodes"][0].update(definition_evidence=1), "evidence item 1 is cited but the file has 1"),
        (lambda d: d.pop("evidence"), "evidence item 0 is cited but the file has 0"),
        (lambda d: d.update(evidence={"0": 1}), "'nodes', 'edges' and 'evidence' must be lists"),
        (lambda d: d["evidence"][0].pop("line"), "evidence item 0 is not a {file, line, section, text} object"),
        (lambda d: d["edges"][0].update(evidence=[True]), "edge 0 has an attribute of the wrong kind"),
    ],
)
def test_evidence_references_that_lead_nowhere_are_damage(tmp_path, change, message):
    data = graph_to_json(_two_topics(evidence=[{"file": "n.md", "line": 3, "section": ["S"], "text": "A"}]))
    change(data)
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data))
    with pytest.raises(GraphFileError) as caught:
        load_graph(path)
    assert str(caught.value) == f"{path}: damaged graph file ({message}); rebuild it with 'notes-graph build'"


def test_a_build_that_analyses_no_note_fails_and_keeps_the_earlier_graph(write_notes, tmp_path, monkeypatch):
    from graph.cli import main
    from graph.store import build

    folder = write_notes({"a.md": "# Amazon SQS\n- queue\n"})
    out = tmp_path / "g.json"
    assert main(["build", str(folder), "-o", str(out), "--no-cache"]) == 0
    before = out.read_bytes()

    def broken(note):
        raise ValueError("spaCy refused the text")

    monkeypatch.setattr(build, "parse_note", broken)
    with pytest.raises(NoNotesError, match=r"none of the 1 note\(s\) could be analysed \(a.md: skipped: could not be"):
        build.build_notes(folder)
    assert main(["build", str(folder), "-o", str(out), "--no-cache"]) == 1
    assert out.read_bytes() == before
