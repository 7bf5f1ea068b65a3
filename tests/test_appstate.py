"""The explorer's state: URL query parameters to a view and back, names to topics, which notes and their stamp."""

from __future__ import annotations

import os

import networkx as nx
import pytest

from graph.sources.bundled import BUNDLED_NOTES
from graph.sources.notes import NoNotesError
from graph.ui import appstate
from graph.ui.appstate import DEFAULT_CAP, NotesSource, ViewState


def test_an_empty_url_is_the_default_view():
    assert appstate.from_query({}) == (ViewState(), [])
    assert appstate.to_query(ViewState()) == {}


def test_a_full_view_round_trips_through_the_url():
    view = ViewState(
        focus="service:sqs",
        depth=2,
        types=("service", "concept"),
        relations=("feeds", "part_of"),
        stated_only=True,
        hide_hubs=3,
        cap=250,
        target="service:lambda",
    )
    query = appstate.to_query(view)
    assert query == {
        "focus": "service:sqs",
        "depth": "2",
        "types": "service,concept",
        "relations": "feeds,part_of",
        "stated": "1",
        "hubs": "3",
        "cap": "250",
        "to": "service:lambda",
    }
    assert appstate.from_query(query) == (view, [])


def test_query_values_are_read_tolerantly():
    # st.query_params gives strings; a repeated parameter may come as a list (the last one counts).
    view, problems = appstate.from_query(
        {"focus": " sqs ", "depth": ["1", "3"], "types": "use_case, service", "stated": "yes", "cap": "40"}
    )
    assert view == ViewState(focus="sqs", depth=3, types=("service", "use_case"), stated_only=True, cap=40)
    assert problems == []


def test_bad_query_values_fall_back_and_are_reported():
    view, problems = appstate.from_query(
        {"depth": "9", "cap": "lots", "hubs": "-1", "types": "service,gadget", "relations": "feeds", "stated": "maybe"}
    )
    assert view == ViewState(types=("service",), relations=("feeds",))
    assert problems == [
        "depth=9 is outside 1-3; using 1",
        "hubs=-1 is outside 0-20; using 0",
        "cap='lots' is not a whole number; using 100",
        "stated='maybe' is not yes or no; showing every relation",
        "types: unknown 'gadget' ignored; valid: service, concept, use_case, technology",
    ]


def test_every_type_or_relation_chosen_is_no_filter():
    every = {"types": "service,concept,use_case,technology"}
    assert appstate.from_query(every)[0].types == ()
    assert appstate.from_widgets({"types": ["technology", "service", "concept", "use_case"]}).types == ()


def test_widgets_show_the_view_and_give_it_back():
    view = ViewState(focus="service:sqs", depth=2, types=("concept",), hide_hubs=1, cap=60, target="term:x")
    widgets = appstate.to_widgets(view)
    assert widgets == {
        "view": "topic",
        "focus": "service:sqs",
        "depth": 2,
        "types": ["concept"],
        "relations": [],
        "stated": False,
        "hubs": 1,
        "cap": 60,
        "to": "term:x",
        "route": 0,
        "syllabus": appstate.NO_SYLLABUS,
        "show": "",
    }
    assert appstate.from_widgets(widgets) == view
    assert appstate.to_widgets(ViewState())["to"] is None  # "no path target" is the empty choice
    assert appstate.from_widgets({}) == ViewState()


def test_neighborhood_arguments_count_the_centre_in_the_cap():
    args = appstate.neighborhood_args(ViewState(depth=2, types=("service",), cap=50, hide_hubs=2))
    assert args == {
        "depth": 2,
        "types": ["service"],
        "relations": None,
        "stated_only": False,
        "hide_hubs": 2,
        "limit": 49,
    }
    # At the default cap the view grows with depth (40, 70, 100 topics); any other cap is used as it is.
    assert [appstate.neighborhood_args(ViewState(depth=d))["limit"] for d in (1, 2, 3)] == [39, 69, DEFAULT_CAP - 1]
    assert appstate.neighborhood_args(ViewState(depth=1, cap=DEFAULT_CAP + 10))["limit"] == DEFAULT_CAP + 9


def test_names_in_the_url_resolve_to_topics(bundled_graph):
    view, problems = appstate.resolve_view(bundled_graph, ViewState(focus="sqs", target="dynamo db"))
    assert (view.focus, view.target, problems) == ("service:sqs", "service:dynamodb", [])
    view, problems = appstate.resolve_view(bundled_graph, ViewState(focus="service:lambda"))
    assert (view.focus, problems) == ("service:lambda", [])


def test_an_empty_or_unknown_focus_opens_on_the_most_connected_topic(bundled_graph):
    assert appstate.default_topic(bundled_graph) == "service:kinesis"
    assert appstate.resolve_view(bundled_graph, ViewState())[0].focus == "service:kinesis"
    view, problems = appstate.resolve_view(bundled_graph, ViewState(focus="qqqzzz", target="zzzqqq"))
    assert (view.focus, view.target) == ("service:kinesis", "")
    assert problems == [
        "no topic named 'qqqzzz'; showing Amazon Kinesis instead",
        "path end: no topic named 'zzzqqq'",
    ]
    assert appstate.default_topic(nx.MultiDiGraph()) == ""


def test_resolve_topic_takes_aliases_and_typos_and_suggests(bundled_graph):
    assert appstate.resolve_topic(bundled_graph, "Kinesis Firehose").node == "service:firehose"
    assert appstate.resolve_topic(bundled_graph, "athenna").node == "service:athena"
    missing = appstate.resolve_topic(bundled_graph, "quicksite dashboards pro")
    assert missing.node is None and missing.message.startswith("no topic named")


def test_topic_choices_are_sorted_by_label_and_capped(bundled_graph):
    choices = appstate.topic_choices(bundled_graph)
    assert len(choices) == bundled_graph.number_of_nodes()
    labels = [bundled_graph.nodes[n]["label"].casefold() for n in choices]
    assert labels == sorted(labels)
    few = appstate.topic_choices(bundled_graph, keep=["term:producer", "not-a-node"], limit=5)
    assert len(few) == 6 and "term:producer" in few and "not-a-node" not in few


def test_the_stamp_changes_when_a_note_changes_and_only_then(write_notes):
    folder = write_notes({"a.md": "# A\n\nAmazon SQS\n", "sub/b.md": "# B\n", "skip.png": b"\x89PNG"})
    first = appstate.notes_stamp(folder)
    assert appstate.notes_stamp(folder) == first
    note = folder / "a.md"
    note.write_text("# A\n\nAmazon SNS\n", encoding="utf-8")
    os.utime(note, ns=(1_000_000_000, 1_000_000_000))
    assert appstate.notes_stamp(folder) != first
    again = appstate.notes_stamp(folder)
    (folder / "c.md").write_text("# C\n", encoding="utf-8")
    assert appstate.notes_stamp(folder) != again
    assert len(first) == 16


def test_sources_describe_themselves_and_hash(write_notes):
    folder = write_notes({"a.md": "# A\n"})
    bundled = appstate.bundled_source()
    assert (bundled.kind, bundled.path, bundled.describe()) == ("bundled", str(BUNDLED_NOTES), "the bundled notes")
    assert appstate.folder_source(folder) == appstate.folder_source(folder)
    assert appstate.folder_source(folder).describe() == str(folder)
    assert appstate.folder_source(folder / "missing").stamp == ""
    upload = appstate.upload_source([("../x.md", b"# X"), ("y.md", b"# Y")])
    assert (upload.kind, upload.path, upload.names, upload.describe()) == (
        "upload",
        "",
        ("../x.md", "y.md"),
        "2 uploaded file(s)",
    )
    assert appstate.upload_stamp([("x.md", b"1")]) != appstate.upload_stamp([("x.md", b"2")])
    assert len({bundled, appstate.folder_source(folder), upload}) == 3


def test_the_page_arguments_choose_the_notes(write_notes):
    folder = write_notes({"a.md": "# A\n"})
    assert appstate.parse_app_args([]).kind == "bundled"
    chosen = appstate.parse_app_args(["--notes", str(folder)])
    assert chosen == NotesSource("folder", str(folder), appstate.notes_stamp(folder))
    # Arguments meant for someone else (pytest, Streamlit) are ignored, and "--no" is not taken for "--notes".
    assert appstate.parse_app_args(["-q", "tests/test_app.py", "--no", "x"]).kind == "bundled"


def test_notes_roots_default_to_the_bundled_notes_and_the_start_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert appstate.notes_roots([]) == (BUNDLED_NOTES.resolve(), tmp_path.resolve())
    other = tmp_path / "other"
    other.mkdir()
    assert appstate.notes_roots(["--notes-root", str(other)]) == (other.resolve(),)
    link = tmp_path / "link"
    link.symlink_to("/etc")
    with pytest.raises(NoNotesError, match="is outside the folders this explorer may read"):
        appstate.folder_source(link, appstate.notes_roots(["--notes-root", str(other)]))
    assert appstate.folder_source(other / "x.md", (other.resolve(),)).path == str(other / "x.md")


def test_what_is_picked_out_travels_in_the_link():
    from graph.ui.appstate import ViewState, from_query, to_query

    state = ViewState(focus="service:sqs", show="gap:2-5")
    assert to_query(state) == {"focus": "service:sqs", "show": "gap:2-5"}
    assert from_query(to_query(state)) == (state, [])
    bad, problems = from_query({"show": "cluster:<script>"})
    assert bad.show == "" and problems == ["show='cluster:<script>' is not cluster:N or gap:N-M; nothing is picked out"]


def test_the_chosen_route_of_a_path_travels_in_the_link():
    from graph.ui.appstate import ViewState, from_query, from_widgets, to_query, to_widgets

    state = ViewState(view="path", focus="service:kinesis", target="service:athena", route=2)
    assert to_query(state) == {"view": "path", "focus": "service:kinesis", "to": "service:athena", "route": "3"}
    assert from_query(to_query(state)) == (state, [])
    assert from_widgets(to_widgets(state)) == state
    # The first route is the default, and a route means nothing without a path: neither is in the link.
    assert "route" not in to_query(ViewState(view="path", focus="service:kinesis", target="service:athena"))
    assert from_query({"view": "topic", "to": "service:athena", "route": "2"})[0].route == 0
    assert from_widgets({"view": "related", "to": "service:athena", "route": 2}).route == 0
    bad, problems = from_query({"view": "path", "to": "service:athena", "route": "0"})
    assert bad.route == 0 and problems == ["route=0 is outside 1-20; using 1"]
