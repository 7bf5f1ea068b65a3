"""The library behind the explorer's flow: starter actions, relations in words, pipelines through a path's ends,
what an answer picks out on the graph, and the view's state in the URL (view and syllabus)."""

from __future__ import annotations

import pytest

from graph.gaps import structural_gaps
from graph.model import RELATIONS
from graph.query.neighborhood import neighborhood, with_topics
from graph.query.overview import topic_clusters
from graph.query.paths import find_routes, pipeline_partners, pipelines_between
from graph.query.starters import Starter, detect_syllabus, starter_actions
from graph.store.build import build_notes
from graph.ui import appstate
from graph.ui.appstate import ViewState
from graph.ui.highlights import cluster_highlight, gap_highlight, route_highlight
from graph.ui.words import RELATION_WORDS, relation_words, route_cost_words

FLOW = "# Analytics\n\nAmazon Kinesis -> Amazon S3 -> AWS Glue -> Amazon Athena\n\nAmazon SQS feeds AWS Lambda.\n"


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    folder = tmp_path_factory.mktemp("flow")
    (folder / "flow.md").write_text(FLOW, encoding="utf-8")
    return build_notes(folder).graph


# --- words --------------------------------------------------------------------------------------------------------


def test_every_relation_has_words_both_ways():
    assert set(RELATION_WORDS) == set(RELATIONS)
    assert relation_words("consumed_by") == "is read by"
    assert relation_words("consumed_by", forward=False) == "reads from"
    assert relation_words("related_to") == relation_words("related_to", forward=False) == "mentioned together"
    assert all("_" not in words for pair in RELATION_WORDS.values() for words in pair)


def test_route_cost_in_steps():
    assert route_cost_words({"stated": 3}) == "3 stated steps"
    assert route_cost_words({"stated": 1, "inferred": 2}) == "1 stated step, 2 steps mentioned together"
    assert route_cost_words({}) == "no steps"


# --- starters -----------------------------------------------------------------------------------------------------


def test_starters_of_the_bundled_notes(bundled_graph):
    assert detect_syllabus(bundled_graph) == ("clf-c02", 0.383)
    assert starter_actions(bundled_graph) == [
        Starter(
            "topic",
            "Explore Amazon Kinesis",
            "the service your notes connect most: 27 topics through stated relations",
            focus="service:kinesis",
        ),
        Starter(
            "gaps",
            "Check coverage of CLF-C02",
            "your notes name 38% of the services this exam syllabus lists",
            syllabus="clf-c02",
        ),
        Starter(
            "path",
            "Follow Amazon Kinesis to Amazon QuickSight",
            "a pipeline your notes state (aws-study-notes.md:854), 6 topics long",
            focus="service:kinesis",
            target="service:quicksight",
        ),
    ]


def test_starters_leave_out_what_the_notes_do_not_support(flow, write_notes):
    kinds = [s.kind for s in starter_actions(flow)]
    assert kinds == ["topic", "path"]  # six services name too few of any syllabus
    path = starter_actions(flow)[1]
    assert (path.focus, path.target) == ("service:kinesis", "service:athena")
    concepts = build_notes(write_notes({"a.md": "# Cooking\n\nOnions and garlic.\n"})).graph
    assert starter_actions(concepts) == []


# --- paths --------------------------------------------------------------------------------------------------------


def test_pipelines_through_both_ends_walk_the_note_in_either_direction(flow):
    [forward] = pipelines_between(flow, "service:kinesis", "service:athena")
    assert [t.id for t in forward.route.topics] == ["service:kinesis", "service:s3", "service:glue", "service:athena"]
    assert (forward.file, forward.line) == ("flow.md", 3)
    [backward] = pipelines_between(flow, "service:glue", "service:s3")
    assert [t.id for t in backward.route.topics] == ["service:glue", "service:s3"]
    assert pipelines_between(flow, "service:kinesis", "service:lambda") == []
    assert pipeline_partners(flow, "service:s3") == ["service:kinesis", "service:glue", "service:athena"]
    assert pipeline_partners(flow, "service:lambda") == []  # a verb is a relation, not an arrow chain


def test_a_route_counts_its_steps_by_kind(flow):
    route = find_routes(flow, "service:kinesis", "service:athena", k=1).routes[0]
    assert route.kinds == {"stated": 3}


# --- picked out on the graph --------------------------------------------------------------------------------------


def test_a_path_beyond_the_depth_is_added_to_the_view_and_picked_out(flow):
    route = find_routes(flow, "service:kinesis", "service:athena", k=1).routes[0]
    shown = route_highlight(route)
    assert shown.nodes == {"service:kinesis", "service:s3", "service:glue", "service:athena"}
    assert shown.has_link("service:glue", "service:s3") and not shown.has_link("service:kinesis", "service:athena")
    assert shown.title == "Path: Amazon Kinesis → Amazon S3 → AWS Glue → Amazon Athena"
    hood = neighborhood(flow, "service:kinesis", stated_only=True)
    assert [n.topic.id for n in hood.neighbors] == ["service:s3"]
    wider = with_topics(flow, hood, sorted(shown.nodes))
    distances = {n.topic.id: n.distance for n in wider.neighbors}
    # Added whatever the filters, each at its distance through any relation (the line names all four together).
    assert distances == {"service:s3": 1, "service:athena": 1, "service:glue": 1}
    assert ("service:glue", "service:athena", "feeds") in wider.edges
    assert ("service:s3", "service:glue", "related_to") in wider.edges
    assert with_topics(flow, hood, ["service:s3", "no-such-topic"]) is hood  # nothing new: unchanged


def test_a_cluster_and_a_structural_gap_pick_out_their_members(bundled_graph):
    clusters = topic_clusters(bundled_graph)
    first = cluster_highlight(clusters[0], 1, limit=5)
    assert first.nodes == {t.id for t in clusters[0].members[:5]}
    assert first.title.startswith("Cluster 1: ") and first.title.endswith(f"({clusters[0].size} topics)")
    gap = structural_gaps(bundled_graph, limit=1)[0]
    both = gap_highlight(gap, clusters, limit=8)
    by_id = {c.id: c for c in clusters}
    assert both.nodes == {t.id for t in by_id[gap.first.id].members[:4]} | {
        t.id for t in by_id[gap.second.id].members[:4]
    }
    assert both.title.startswith("Barely linked: ")


# --- the view in the URL ------------------------------------------------------------------------------------------


def test_view_and_syllabus_round_trip_through_the_url_and_the_widgets():
    view = ViewState(view="gaps", focus="service:sqs", syllabus="saa-c03")
    query = appstate.to_query(view)
    assert query == {"view": "gaps", "focus": "service:sqs", "syllabus": "saa-c03"}
    assert appstate.from_query(query) == (view, [])
    widgets = appstate.to_widgets(view)
    assert (widgets["view"], widgets["syllabus"]) == ("gaps", "saa-c03")
    assert appstate.from_widgets(widgets) == view
    # No syllabus, or one uploaded (which no link can carry), is no syllabus in the URL.
    assert appstate.to_widgets(ViewState())["syllabus"] == appstate.NO_SYLLABUS
    assert appstate.from_widgets({"syllabus": appstate.OWN_SYLLABUS}).syllabus == ""
    assert appstate.to_query(ViewState(view="topic")) == {}  # the default view is left out


def test_a_bad_view_or_syllabus_in_the_url_is_reported_and_ignored():
    view, problems = appstate.from_query({"view": "graph", "syllabus": "../../etc/passwd", "focus": "sqs"})
    assert (view.view, view.syllabus, view.focus) == ("topic", "", "sqs")
    assert problems == [
        "view='graph' is not one of topic, related, path, gaps, overview; showing topic",
        "syllabus='../../etc/passwd' is not a built-in syllabus (az-900, clf-c02, gcp-ace, saa-c03)",
    ]
    assert appstate.from_query({"view": "Gaps"})[0].view == "gaps"


def test_names_from_another_graph_are_reported_in_words_not_ids(flow):
    view, problems = appstate.resolve_view(flow, ViewState(focus="service:kinesisvideo", target="term:big data"))
    assert view.focus == appstate.default_topic(flow)
    label = flow.nodes[view.focus]["label"]
    assert problems == [
        f"these notes have no topic 'Amazon Kinesis Video Streams'; showing {label} instead",
        "path end: these notes have no topic 'big data'",
    ]
    assert not any("service:" in p or "term:" in p for p in problems)


def test_a_real_service_the_notes_never_name_says_which_syllabus_lists_it():
    assert appstate.absent_service("macie") == "Amazon Macie is not in your notes; CLF-C02 and SAA-C03 list it"
    assert appstate.absent_service("kinesis video streams") == (
        "Amazon Kinesis Video Streams is not in your notes; SAA-C03 lists it"
    )
    assert appstate.absent_service("athenna dashbord") == ""


def test_the_filter_bar_label_says_what_is_filtered():
    assert appstate.describe_filters(ViewState()) == "depth 1, up to 40 topics"  # the cap grows with depth
    assert appstate.describe_filters(
        ViewState(depth=2, types=("service", "use_case"), relations=("feeds",), hide_hubs=2, cap=50)
    ) == ("depth 2, only services, use cases, 1 relation(s), 2 hub(s) hidden, up to 50 topics")
