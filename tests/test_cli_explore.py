"""`notes-graph neighbors | path | related | communities | stats`: text, JSON, and bad input as one clear line."""

from __future__ import annotations

import json

import pytest
from test_neighborhood import toy_graph

from graph.cli import main
from graph.store.graphfile import save_graph


@pytest.fixture(scope="module")
def bundled_file(bundled_graph, tmp_path_factory):
    return str(save_graph(bundled_graph, tmp_path_factory.mktemp("bundled") / "notes.graph.json"))


@pytest.fixture(scope="module")
def corpus_file(corpus_graph, tmp_path_factory):
    return str(save_graph(corpus_graph, tmp_path_factory.mktemp("corpus") / "corpus.graph.json"))


@pytest.fixture(scope="module")
def island_file(tmp_path_factory):
    graph = toy_graph([("term:a", "feeds", "term:b"), ("term:p", "has", "term:q")])
    return str(save_graph(graph, tmp_path_factory.mktemp("toy") / "toy.graph.json"))


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_neighbors_text_lists_distance_relation_and_evidence(capsys, bundled_file):
    code, out, err = run(capsys, "neighbors", "sqs", "-g", bundled_file)
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0].startswith("Amazon SQS [service]: ") and lines[0].endswith(" topic(s) within 1 step")
    assert "1 step away:" in lines
    assert "  Amazon SNS [service]" in lines
    assert any(line.startswith("          aws-study-notes.md line ") for line in lines)


def test_neighbors_json_and_filters(capsys, bundled_file):
    code, out, _ = run(
        capsys,
        "neighbors",
        "firehose",
        "--depth",
        "2",
        "--stated-only",
        "--hide-hubs",
        "1",
        "--json",
        "-g",
        bundled_file,
    )
    data = json.loads(out)
    assert code == 0 and data["center"]["id"] == "service:firehose" and data["depth"] == 2
    assert data["filters"]["stated_only"] is True and len(data["hidden_hubs"]) == 1
    assert {n["distance"] for n in data["neighbors"]} == {1, 2}
    assert all(lk["kind"] == "stated" for n in data["neighbors"] for lk in n["links"])


def test_neighbors_limit_says_what_it_left_out(capsys, bundled_file):
    code, out, _ = run(capsys, "neighbors", "kinesis", "--depth", "2", "--limit", "5", "-g", bundled_file)
    assert code == 0
    assert "Left out by the limit of 5: " in out and "(raise --limit)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["neighbors", "sqs", "--depth", "0"], "depth must be between 1 and 3 steps, not 0"),
        (["neighbors", "sqs", "--depth", "10"], "depth must be between 1 and 3 steps, not 10"),
        (["neighbors", "sqs", "--relations", "feeds,flows"], "unknown relation 'flows'; valid: feeds, delivers_to"),
        (["neighbors", "sqs", "--types", "server"], "unknown topic type 'server'; valid: service, concept"),
        (["neighbors", "kinesis toaster"], "no topic named 'kinesis toaster'"),
        (["related", "xyzzy"], "no topic named 'xyzzy'"),
        (["path", "sqs", "sqs"], "both ends are the same topic (Amazon SQS)"),
        (["path", "sqs", "sns", "--k", "0"], "the number of paths must be between 1 and 10, not 0"),
        (["related", "sqs", "--top", "0"], "the number of related topics must be between 1 and 100, not 0"),
    ],
)
def test_bad_input_is_one_clear_line(capsys, bundled_file, argv, message):
    code, out, err = run(capsys, *argv, "-g", bundled_file)
    assert code == 1 and out == ""
    assert err.startswith("notes-graph: error: ") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_names_with_typos_are_found_or_get_suggestions(capsys, bundled_file):
    code, out, _ = run(capsys, "neighbors", "athina", "-g", bundled_file)
    assert code == 0 and out.startswith("Amazon Athena [service]: ")
    code, out, _ = run(capsys, "path", "quiksight", "redshfit", "-g", bundled_file)
    assert code == 0 and out.startswith("Amazon QuickSight -> Amazon Redshift: ")
    code, _, err = run(capsys, "related", "sgs", "-g", bundled_file)
    assert code == 1 and "no topic named 'sgs'; did you mean " in err and "'Amazon SQS'" in err


def test_missing_and_old_graph_files(capsys, tmp_path):
    code, _, err = run(capsys, "stats", "-g", str(tmp_path / "nothing.json"))
    assert code == 1 and "no graph file here; run 'notes-graph build' first" in err
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"nodes": [], "edges": [], "graph": {"schema": 0}}), encoding="utf-8")
    code, _, err = run(capsys, "neighbors", "sqs", "-g", str(old))
    assert code == 1 and "graph file has schema version 0" in err and "rebuild it with 'notes-graph build'" in err


def test_path_text_explains_every_hop(capsys, bundled_file):
    code, out, _ = run(capsys, "path", "kinesis", "quicksight", "-g", bundled_file)
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("Amazon Kinesis -> Amazon QuickSight: ") and "cheapest first" in lines[0]
    assert lines[2].startswith("1. Amazon Kinesis -> ") and lines[2].endswith(" -> Amazon QuickSight")
    hops = [line for line in lines if line.startswith("   Amazon") or line.startswith("   AWS")]
    assert hops and all(" line " in hop and ": '" in hop for hop in hops)
    # The pipeline the notes state comes first, as in the app, and says where it is written.
    assert lines[2] == (
        "1. Amazon Kinesis -> Amazon Data Firehose -> Amazon S3 -> AWS Glue -> Amazon Athena -> Amazon QuickSight"
    )
    assert lines[3].startswith("   5 stated steps · stated in your notes at aws-study-notes.md line ")
    assert "the pipelines your notes state first" in lines[0]


def test_path_json_lists_topics_and_hops(capsys, bundled_file):
    code, out, _ = run(capsys, "path", "kinesis", "quicksight", "--k", "2", "--json", "-g", bundled_file)
    data = json.loads(out)
    assert code == 0 and len(data["routes"]) == 2
    route = data["routes"][0]
    assert route["topics"][0]["id"] == "service:kinesis" and route["topics"][-1]["id"] == "service:quicksight"
    assert len(route["hops"]) == len(route["topics"]) - 1
    assert all(hop["links"][0]["evidence"] for hop in route["hops"])
    [pipeline] = data["pipelines"]
    assert pipeline["file"] == "aws-study-notes.md" and "Kinesis" in pipeline["text"]
    assert [t["id"] for t in pipeline["route"]["topics"]][::5] == ["service:kinesis", "service:quicksight"]


def test_no_path_says_which_group_each_side_is_in(capsys, island_file):
    code, out, _ = run(capsys, "path", "a", "p", "-g", island_file)
    assert code == 0
    assert out.splitlines() == [
        "a -> p: no path: a is in a group of 2 topic(s), p in another group of 2.",
        "  a is in a group of 2 topic(s) with b",
        "  p is in a group of 2 topic(s) with q",
    ]


def test_related_text_and_json(capsys, bundled_file):
    code, out, _ = run(capsys, "related", "sqs", "--top", "5", "-g", bundled_file)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("Topics related to Amazon SQS, best first")
    assert lines[1].startswith("  1. ") and len([line for line in lines if line[3:5] == ". "]) == 5
    code, out, _ = run(capsys, "related", "sqs", "--new-only", "--json", "-g", bundled_file)
    data = json.loads(out)
    assert code == 0 and data["topic"] == "service:sqs" and data["related"]
    assert not any(r["direct"] for r in data["related"])
    assert all(r["reasons"] for r in data["related"])


def test_communities_and_stats(capsys, bundled_file):
    code, out, _ = run(capsys, "communities", "-g", bundled_file)
    assert code == 0 and " topic cluster(s) of 2 or more topics" in out.splitlines()[0]
    assert "\n#0 " in out and "most links to: #" in out
    code, out, _ = run(capsys, "communities", "--json", "--min-size", "3", "-g", bundled_file)
    clusters = json.loads(out)
    assert clusters and all(c["size"] >= 3 and len(c["members"]) == c["size"] for c in clusters)
    code, out, _ = run(capsys, "stats", "-g", bundled_file)
    assert code == 0 and "Bridges between clusters (betweenness):" in out and "Isolated topics: " in out
    code, out, _ = run(capsys, "stats", "--json", "--top", "3", "-g", bundled_file)
    info = json.loads(out)
    assert len(info["bridges"]) == 3 and len(info["top"]) == 3 and info["components"] >= 1


@pytest.mark.parametrize(
    "argv",
    [
        ["neighbors", "s3", "--depth", "2", "--hide-hubs", "3"],
        ["path", "sqs", "athena"],
        ["related", "lambda"],
        ["communities"],
        ["stats"],
    ],
)
def test_every_subcommand_runs_on_the_public_corpus(capsys, corpus_file, argv):
    code, out, err = run(capsys, *argv, "-g", corpus_file)
    assert code == 0 and err == "" and out.strip()
    code, out, _ = run(capsys, *argv, "--json", "-g", corpus_file)
    assert code == 0 and json.loads(out)
