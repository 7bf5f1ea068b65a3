"""The Streamlit explorer, driven with Streamlit's AppTest: each flow a person follows, checked on what is shown.

The graph view is checked on the node list of the data the app gives its graph component
(``graph/ui/graphcomponent.py``); st.cache_resource keeps the bundled graph across the tests
of this module, as it does across a person's reruns.
"""

from __future__ import annotations

import os
import re

from apptest_helpers import choose_uploads, open_app, open_filters
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest
from xss_payloads import LABEL_PAYLOADS, PAYLOADS, xss_notes

from graph.gaps.report import gap_report
from graph.query.neighborhood import neighborhood
from graph.query.paths import find_routes
from graph.query.related import related_topics
from graph.sources.syllabus import load_syllabus
from graph.store.build import build_notes
from graph.store.index import explore_index
from graph.ui import graphcomponent
from graph.ui.appstate import default_topic
from graph.ui.escape import markdown_text
from graph.ui.tables import route_title
from graph.ui.view import tip_texts


def component_data(app: AppTest, name: str, key: str = "notes-graph") -> dict:
    """The data the app's component *name* got this run (graph/ui/graphcomponent.py), with the key *key*."""
    found = [c for c in app.get("bidi_component") if c.proto.component_name == name and c.key == key]
    assert len(found) == 1, [c.proto.component_name for c in app.get("bidi_component")]
    return graphcomponent.sent_data(found[0].proto)


def graph_data(app: AppTest) -> dict:
    """The data the app's graph component got this run: nodes, edges, legend..."""
    return component_data(app, "notes-graph.graph")


def drawn(app: AppTest) -> list[str]:
    """Node ids in the graph view the app shows, centre first."""
    return [node["id"] for node in graph_data(app)["nodes"]]


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_opens_on_the_bundled_notes_focused_on_the_most_connected_topic(bundled_graph):
    app = open_app(view="overview")
    assert app.selectbox(key="focus").value == "service:kinesis"
    expected = ["service:kinesis", *(n.topic.id for n in neighborhood(bundled_graph, "service:kinesis").neighbors)]
    assert drawn(app) == expected
    assert dict(app.query_params) == {"view": "overview", "focus": "service:kinesis"}
    assert app.subheader[0].value == "Amazon Kinesis"
    assert texts(app.error) == [] and texts(app.warning) == []
    assert app.radio(key="source_kind").value == "bundled"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Topics"] == str(bundled_graph.number_of_nodes())
    assert {b.label for b in app.get("download_button")} >= {"Graph (JSON)", "Graph (GraphML)", "This view (HTML)"}


def test_vis_network_and_the_graph_script_come_with_the_run_not_as_files():
    """vis-network goes in the sidebar's first element (graphcomponent.preload: the run's first message), the graph's
    script and styles inside each of its instances: nothing for the browser to fetch once the graph is on screen."""
    app = open_app()
    lib = next(iter(app.sidebar.children.values()))
    assert (lib.key, lib.proto.component_name) == (graphcomponent.LIB_KEY, graphcomponent.LIB_COMPONENT)
    assert lib.proto.js_content == graphcomponent.lib_script() and lib.proto.js_source_path == ""
    assert [c.key for c in app.get("bidi_component") if c.proto.component_name == graphcomponent.LIB_COMPONENT] == [
        graphcomponent.LIB_KEY
    ]
    for key in ("notes-graph", "notes-graph-tips"):
        [graph] = [c for c in app.get("bidi_component") if c.key == key]
        assert graph.proto.js_content == graphcomponent.inline_text(graphcomponent.ASSETS / "graph.js")
        assert graph.proto.css_content == graphcomponent.inline_text(graphcomponent.ASSETS / "graph.css")
        assert (graph.proto.js_source_path, graph.proto.css_source_path) == ("", "")
    app.selectbox(key="focus").select("service:s3").run()  # a rerun draws it again, in the same place
    assert next(iter(app.sidebar.children.values())).key == graphcomponent.LIB_KEY
    assert drawn(app)[0] == "service:s3"


def test_search_takes_any_alias_and_case_and_typos():
    app = open_app()
    app.text_input(key="search").input("dynamo db").run()
    assert app.selectbox(key="focus").value == "service:dynamodb"
    assert app.text_input(key="search").value == ""  # answered, so cleared: no suggestions linger
    assert not [b for b in app.button if b.key and b.key.startswith("suggest-")]
    assert drawn(app)[0] == "service:dynamodb"
    assert app.query_params["focus"] == "service:dynamodb"
    app.text_input(key="search").input("kinesis firehos").run()  # a typo
    assert app.selectbox(key="focus").value == "service:firehose"


def test_a_name_that_fits_nothing_offers_suggestions_one_click_away():
    app = open_app()
    app.text_input(key="search").input("athenna dashbord").run()
    assert app.selectbox(key="focus").value == "service:kinesis"  # unchanged
    suggestions = [b for b in app.button if b.key and b.key.startswith("suggest-")]
    assert suggestions, texts(app.caption)
    first = suggestions[0]
    target = first.key.removeprefix("suggest-")
    first.click().run()
    assert app.selectbox(key="focus").value == target
    assert drawn(app)[0] == target
    assert not [b for b in app.button if b.key and b.key.startswith("suggest-")]


def test_depth_and_filters_change_the_graph(bundled_graph):
    app = open_filters(open_app())
    one_step = drawn(app)
    app.slider(key="depth").set_value(2).run()
    two_steps = drawn(app)
    assert len(two_steps) == 70  # the default node cap grows with depth: 70 topics at 2 steps
    assert set(one_step) < set(two_steps)
    app.multiselect(key="types").set_value(["service"]).run()
    services = drawn(app)
    assert all(node.startswith("service:") for node in services)
    assert len(services) == 1 + len(
        neighborhood(bundled_graph, "service:kinesis", depth=2, types=["service"]).neighbors
    )
    app.multiselect(key="types").set_value([]).run()
    app.multiselect(key="relations").set_value(["feeds"]).run()
    feeds = neighborhood(bundled_graph, "service:kinesis", depth=2, relations=["feeds"])
    assert drawn(app) == ["service:kinesis", *(n.topic.id for n in feeds.neighbors)]
    assert app.query_params["relations"] == "feeds" and app.query_params["depth"] == "2"


def test_hubs_stated_only_and_the_cap(bundled_graph):
    app = open_filters(open_app())
    app.number_input(key="hubs").set_value(2).run()
    hubs = [h for h in explore_index(bundled_graph).hubs if h != "service:kinesis"][:2]
    assert not set(hubs) & set(drawn(app))
    names = ", ".join(bundled_graph.nodes[h]["label"] for h in hubs)
    assert any(markdown_text(f"Hubs hidden: {names}.") in c.value.split("  \n") for c in app.caption)
    app.toggle(key="stated").set_value(True).run()
    stated = neighborhood(bundled_graph, "service:kinesis", stated_only=True, hide_hubs=2)
    assert drawn(app) == ["service:kinesis", *(n.topic.id for n in stated.neighbors)]
    app.slider(key="cap").set_value(10).run()
    assert len(drawn(app)) == 10
    assert any("node cap left out" in c.value for c in app.caption)


def test_related_topics_have_reasons_and_refocus_in_one_click(bundled_graph):
    app = open_app(view="related")
    expected = related_topics(bundled_graph, "service:kinesis", top=10)
    related = [b for b in app.button if b.key and b.key.startswith("related-")]
    assert [b.key for b in related] == [f"related-{r.topic.id}" for r in expected]
    assert [b.label for b in related] == [markdown_text(r.topic.label) for r in expected]
    reasons = [c.value for c in app.caption if c.value.startswith("1. ")]
    assert reasons and markdown_text(expected[0].reasons[0], 200) in reasons[0], "each related topic shows why"
    assert not any("PageRank" in c.value or re.search(r"\d\.\d\d", c.value) for c in app.caption)  # no scores
    related[0].click().run()
    assert app.selectbox(key="focus").value == expected[0].topic.id
    assert drawn(app)[0] == expected[0].topic.id


def test_path_offers_the_stated_pipeline_first_then_each_hop_once(bundled_graph):
    app = open_app(view="path")
    app.selectbox(key="to").set_value("service:quicksight").run()
    expected = find_routes(bundled_graph, "service:kinesis", "service:quicksight", k=3).routes
    pipeline = "Amazon Kinesis → Amazon Data Firehose → Amazon S3 → AWS Glue → Amazon Athena → Amazon QuickSight"
    titles = [m.value for m in app.markdown if re.match(r"\*\*\d\. ", m.value)]
    assert titles == [f"**{i}. {markdown_text(t)}**" for i, t in enumerate([pipeline, *map(route_title, expected)], 1)]
    assert any(c.value.startswith(markdown_text("stated in your notes at aws-study-notes.md:854")) for c in app.caption)
    assert any(c.value.endswith("· 5 stated steps") for c in app.caption)
    assert app.query_params["to"] == "service:quicksight" and app.query_params["view"] == "path"
    hops = [frame.value for frame in app.dataframe if "Step" in frame.value.columns]
    assert len(hops) == 1 + len(expected)
    for frame, route in zip(hops[1:], expected, strict=True):
        assert list(frame["Step"]) == list(range(1, len(route.hops) + 1))  # each hop once
    assert hops[0]["Evidence"].str.contains(r"aws-study-notes\.md:\d+: ").all()
    assert all(" feeds into " in hop or " delivers to " in hop or " is read by " in hop for hop in hops[0]["Hop"])


def test_gaps_with_a_syllabus(bundled_graph):
    app = open_app(view="gaps")
    assert any(m.value == "**Do first**" for m in app.markdown)
    app.selectbox(key="syllabus").set_value("saa-c03").run()
    report = gap_report(bundled_graph, load_syllabus("saa-c03"))
    metrics = {m.label: m.value for m in app.metric}
    overall = report.coverage.overall
    assert metrics["Covered"] == f"{overall.covered} of {overall.total}"
    steps = next(m.value for m in app.markdown if m.value.startswith("1. "))
    lines = steps.split("\n")
    assert len(lines) == len(report.steps)
    assert lines[0] == f"1. {markdown_text(report.steps[0].text, 400)}"
    assert lines[0].startswith("1. Study the ")
    assert {b.label for b in app.get("download_button")} >= {"Download the gap report (markdown)"}


def test_overview_counts_and_clusters(bundled_graph):
    app = open_app(view="overview")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Relations"] == str(bundled_graph.number_of_edges())
    assert int(metrics["Clusters"]) > 1
    clusters = next(frame.value for frame in app.dataframe if "Most central" in frame.value.columns)
    assert clusters["Topics"].is_monotonic_decreasing


def test_query_parameters_restore_a_view(bundled_graph):
    app = open_filters(open_app(focus="sqs", depth="2", types="service,concept", hubs="1", cap="30"))
    assert app.selectbox(key="focus").value == "service:sqs"
    assert (app.slider(key="depth").value, app.slider(key="cap").value) == (2, 30)
    assert app.multiselect(key="types").value == ["service", "concept"]
    assert app.number_input(key="hubs").value == 1
    expected = neighborhood(bundled_graph, "service:sqs", depth=2, types=["service", "concept"], hide_hubs=1, limit=29)
    assert drawn(app) == ["service:sqs", *(n.topic.id for n in expected.neighbors)]
    # The name in the link is replaced by the topic's id, so the link is exact from now on.
    assert app.query_params["focus"] == "service:sqs"


def test_bad_query_parameters_are_reported_and_ignored():
    app = open_app(focus="nothing-like-this", depth="9")
    warnings = [w.value.replace("\\", "") for w in app.warning]
    assert "depth=9 is outside 1-3; using 1" in warnings
    assert any(w.startswith("no topic named 'nothing-like-this'") for w in warnings)
    assert app.selectbox(key="focus").value == "service:kinesis"


def test_a_folder_of_notes_builds_and_replaces_the_graph(write_notes, monkeypatch):
    folder = write_notes({"a.md": "# Queues\n\nAmazon SQS feeds AWS Lambda.\n\n- Amazon SQS -> AWS Lambda\n"})
    monkeypatch.chdir(folder.parent)  # the page reads folders under the one it was started in
    app = open_app(view="overview")
    app.radio(key="source_kind").set_value("folder").run()
    app.text_input(key="folder").input(str(folder)).run()
    app.button(key="build").click().run()
    assert not app.exception
    assert texts(app.error) == []
    assert {m.label: m.value for m in app.metric}["Files"] == "1"
    graph = build_notes(folder).graph
    focus = app.selectbox(key="focus").value
    assert focus == default_topic(graph)
    assert drawn(app) == [focus, *(n.topic.id for n in neighborhood(graph, focus).neighbors)]
    assert {"service:sqs", "service:lambda"} <= set(drawn(app))


def test_moving_around_never_rebuilds_and_rebuild_picks_up_a_changed_note(write_notes, monkeypatch):
    folder = write_notes({"a.md": "# Queues\n\nAmazon SQS feeds AWS Lambda.\n"})
    monkeypatch.chdir(folder.parent)
    app = open_app()
    app.radio(key="source_kind").set_value("folder").run()
    app.text_input(key="folder").input(str(folder)).run()
    app.button(key="build").click().run()
    assert "Amazon SNS · service" not in app.selectbox(key="focus").options
    note = folder / "a.md"
    note.write_text("# Queues\n\nAmazon SQS feeds AWS Lambda.\n\nAmazon SNS fans out to Amazon SQS.\n", "utf-8")
    os.utime(note, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    open_filters(app).slider(key="depth").set_value(2).run()  # moving around uses the graph already built
    assert "Amazon SNS · service" not in app.selectbox(key="focus").options
    app.button(key="build").click().run()
    assert "Amazon SNS · service" in app.selectbox(key="focus").options
    assert len(app.session_state["built"]) == 3  # the bundled notes, the folder, the folder as changed


def test_a_bad_upload_shows_an_error_and_keeps_the_old_graph(bundled_graph):
    app = open_app(view="overview")
    choose_uploads(app, [("broken.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")])
    app.button(key="build").click().run()
    errors = texts(app.error)
    assert len(errors) == 1 and errors[0].startswith("Could not build: none of the 1 uploaded file")
    assert errors[0].endswith("Still showing the bundled notes.")
    assert {m.label: m.value for m in app.metric}["Topics"] == str(bundled_graph.number_of_nodes())
    assert drawn(app)[0] == "service:kinesis"


def test_uploaded_notes_show_their_payloads_as_text_only():
    files = [(name, text.encode()) for name, text in xss_notes().items()]
    app = choose_uploads(open_app(), files)
    app.button(key="build").click().run()
    assert not app.exception and texts(app.error) == []
    app.text_input(key="search").input("amazon sqs").run()
    assert drawn(app)[0] == "service:sqs"
    # The payloads reach the components as JSON data, as written (they show them as text: test_browser.py): the
    # lines' tooltips in the tips of the view drawn, sent after it.
    tips = component_data(app, "notes-graph.graph", "notes-graph-tips")
    assert tips["key"] == graph_data(app)["key"] and len(tips["tips"]) == len(graph_data(app)["edges"])
    tooltips = tip_texts(tips)
    assert any(payload in title for title in tooltips for payload in PAYLOADS if "<" in payload)
    # Every piece of markdown on the page, rendered as CommonMark with raw HTML allowed, holds no tag, link or image.
    shown = [e.value for e in (*app.markdown, *app.caption, *app.subheader)] + [b.label for b in app.button]
    assert any("img src" in text for text in shown)  # the payloads are there, as text
    for text in shown:
        tags = set(re.findall(r"<([a-z0-9]+)", MarkdownIt("commonmark").render(text)))
        assert tags <= {"p", "strong", "em", "blockquote", "ol", "ul", "li", "br", "code"}, text
    app.text_input(key="search").input(LABEL_PAYLOADS[0]).run()
    assert app.subheader[0].value == markdown_text(LABEL_PAYLOADS[0])
    label = next(n for n in drawn(app) if n.startswith("term:"))
    assert label == app.selectbox(key="focus").value


def test_reruns_never_rebuild():
    app = open_app()
    first = app.session_state["notes"]
    open_filters(app).slider(key="depth").set_value(2).run()
    app.run()
    assert app.session_state["notes"] == first
    assert app.session_state["built"] == {first}


def test_a_note_of_one_topic_and_a_folder_of_an_unknown_user_show_messages_not_tracebacks(write_notes, monkeypatch):
    folder = write_notes({"a.md": "# Amazon SQS\n\nQueues.\n"})  # one topic, no relation, no cluster
    monkeypatch.chdir(folder.parent)
    app = open_app(view="overview")
    app.radio(key="source_kind").set_value("folder").run()
    app.text_input(key="folder").input(str(folder)).run()
    app.button(key="build").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert {m.label: m.value for m in app.metric}["Topics"] == "1"
    assert "Nothing to chart yet: no relations." in texts(app.caption)
    app.text_input(key="folder").input("~nosuchuser-xyz/notes").run()
    app.button(key="build").click().run()
    assert not app.exception, [e.value for e in app.exception]
    [error] = texts(app.error)
    assert error.startswith("Could not build: " + markdown_text("~nosuchuser-xyz/notes: no such file or folder; give"))


def test_the_folder_box_reads_only_under_the_folders_allowed_at_start(write_notes, monkeypatch):
    folder = write_notes({"a.md": "# Amazon SQS\n\nAmazon SQS feeds AWS Lambda.\n"})
    monkeypatch.chdir(folder)  # allowed: the bundled notes and this folder
    app = open_app(view="overview")
    app.radio(key="source_kind").set_value("folder").run()
    for typed in ("/", "/etc", str(folder.parent)):
        app.text_input(key="folder").input(typed).run()
        app.button(key="build").click().run()
        assert not app.exception
        [error] = texts(app.error)
        assert error.startswith("Could not build: " + markdown_text(f"{typed} is outside the folders this explorer"))
        assert {m.label: m.value for m in app.metric}["Files"] == "1"  # still the bundled notes
    app.text_input(key="folder").input(str(folder)).run()
    app.button(key="build").click().run()
    assert texts(app.error) == [] and "service:sqs" in drawn(app)
