"""The neighbourhood view: what is drawn, how, and that the page is offline and shows note text as text."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import networkx as nx
import pytest

from graph.query.neighborhood import neighborhood
from graph.store.index import explore_index
from graph.ui import graphcomponent
from graph.ui.escape import WORD_JOINER
from graph.ui.view import (
    APP_HINT,
    CLUSTER_COLORS,
    CSP,
    KIND_DASHES,
    KIND_STYLE,
    PAGE_HINT,
    RELATION_COLOR,
    STATUS_STYLE,
    TYPE_STYLE,
    Highlight,
    drawn_node_ids,
    layout,
    node_tip_texts,
    outside_references,
    packed,
    render_neighborhood,
    script_json,
    tip_texts,
    view_tips,
    view_title,
)

COMPONENT_JS = Path(__file__).resolve().parent.parent / "graph" / "ui" / "component" / "graph.js"


def _data(html: str, name: str) -> list[dict]:
    marker = f"{name} = new vis.DataSet("
    start = html.index(marker) + len(marker)
    return json.JSONDecoder().raw_decode(html, start)[0]


def _ev(text: str, line: int = 3) -> dict:
    return {"file": "n.md", "line": line, "section": ["S"], "text": text}


@pytest.fixture
def small_graph() -> nx.MultiDiGraph:
    """A hand-made graph: a centre with a stated, a catalog and an inferred neighbour, and a hostile label."""
    graph = nx.MultiDiGraph()
    nodes = {
        "service:a": ("Service A", "service"),
        "service:b": ("Service B", "service"),
        "service:fam": ("The Family", "service"),
        "term:c": ('<a href="javascript:alert(1)">click</a> idea', "concept"),
        "term:d": ("Far topic", "use_case"),
    }
    for node, (label, kind) in nodes.items():
        graph.add_node(
            node, label=label, type=kind, aliases=[label], definition="", mention_count=2, mentions=[_ev(label)]
        )
    catalog = {"file": "(service catalog)", "line": 0, "section": [], "text": "A is part of F"}
    for source, target, relation, weight, stated, evidence in (
        ("service:a", "service:b", "feeds", 2.0, True, _ev("A -> B <script>alert(2)</script>")),
        ("service:a", "service:fam", "part_of", 1.0, False, catalog),
        ("service:a", "term:c", "related_to", 0.5, False, _ev("A and the idea")),
        ("term:c", "term:d", "used_for", 1.0, True, _ev("idea for far")),
    ):
        graph.add_edge(
            source, target, key=relation, relation=relation, weight=weight, stated=stated, evidence=[evidence]
        )
    return graph


def test_draws_the_centre_first_then_the_neighbourhood_in_query_order(bundled_graph):
    hood = neighborhood(bundled_graph, "service:kinesis", depth=1)
    view = render_neighborhood(bundled_graph, hood)
    assert view.nodes[0] == "service:kinesis"
    assert view.nodes == ["service:kinesis", *(n.topic.id for n in hood.neighbors)]
    assert drawn_node_ids(view.html) == view.nodes
    shown = len(hood.neighbors)
    assert shown > 20  # Kinesis is a hub of the bundled notes
    assert view.summary() == [f"{shown} topic(s) within 1 step of Amazon Kinesis, {view.edges} link(s)."]


def test_the_cap_keeps_the_closest_and_says_what_it_left_out(bundled_graph):
    everything = neighborhood(bundled_graph, "service:kinesis", depth=2)
    direct = sum(1 for n in everything.neighbors if n.distance == 1)
    hood = neighborhood(bundled_graph, "service:kinesis", depth=2, limit=19)
    view = render_neighborhood(bundled_graph, hood)
    assert len(drawn_node_ids(view.html)) == 20
    # Direct neighbours come first, so a cap of 20 shows only direct ones and leaves out the rest.
    assert {n.distance for n in hood.neighbors} == {1}
    hidden = len(everything.neighbors) - 19
    assert view.left_out == {1: direct - 19, 2: len(everything.neighbors) - direct}
    assert view.summary()[1] == (
        f"The node cap left out {hidden} more distant or weakly tied topic(s) ({direct - 19} at 1 step(s), "
        f"{len(everything.neighbors) - direct} at 2 step(s)): raise the cap, hide hubs or filter types to see them."
    )


def test_hidden_hubs_are_named(bundled_graph):
    hubs = [h for h in explore_index(bundled_graph).hubs if h != "service:kinesis"][:2]
    view = render_neighborhood(bundled_graph, neighborhood(bundled_graph, "service:kinesis", depth=1, hide_hubs=2))
    assert not set(hubs) & set(view.nodes)
    names = ", ".join(bundled_graph.nodes[h]["label"] for h in hubs)
    assert view.summary()[-1] == f"Hubs hidden: {names}."


def test_the_page_is_standalone_and_loads_nothing(bundled_graph):
    html = render_neighborhood(bundled_graph, neighborhood(bundled_graph, "service:kinesis")).html
    assert outside_references(html) == []
    assert "bootstrap" not in html.lower() and "cdn.jsdelivr" not in html and "cdnjs" not in html
    assert re.search(r"<script[^>]+src=", html) is None and re.search(r"<link[^>]+href=", html) is None
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html
    assert "default-src 'none'" in CSP and "connect-src 'none'" in CSP
    assert "new vis.Network(" in html  # vis-network itself is inlined from the pyvis package
    assert html.count("</script>") == 3  # utils, vis-network, the data: none cut short
    assert "sourceMappingURL" not in html and "node_modules" not in html
    assert html.startswith("<!DOCTYPE html>")


def test_outside_references_finds_what_a_browser_would_fetch():
    page = (
        '<link href="https://cdn.example/x.css"><script src=//cdn.example/x.js></script>'
        "<style>@import 'https://f.example/a.css'; b{background:url(http://i.example/p.png)}</style>"
        '<script>var ns = "http://www.w3.org/2000/svg";</script><img src="data:image/png;base64,AA">'
    )
    assert outside_references(page) == [
        "https://cdn.example/x.css",
        "//cdn.example/x.js",
        "http://i.example/p.png",
        "https://f.example/a.css",
    ]


def test_positions_are_computed_in_python_and_physics_is_off(bundled_graph):
    view = render_neighborhood(bundled_graph, neighborhood(bundled_graph, "service:kinesis"))
    nodes = _data(view.html, "nodes")
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    assert (nodes[0]["x"], nodes[0]["y"]) == (0.0, 0.0)
    assert '"physics": {"enabled": false}' in view.html
    # Same query, same picture: the layout is seeded.
    again = render_neighborhood(bundled_graph, neighborhood(bundled_graph, "service:kinesis"))
    assert again.html == view.html


def test_layout_spreads_topics_around_the_centre():
    nodes = ["c", "a", "b", "d"]
    positions = layout(
        nodes, {("c", "a"): 1.0, ("c", "b"): 2.0, ("a", "d"): 1.0}, "c", {"c": 0, "a": 1, "b": 1, "d": 2}
    )
    assert positions["c"] == (0.0, 0.0)
    assert len(set(positions.values())) == 4
    assert layout(["c"], {}, "c", {"c": 0}) == {"c": (0.0, 0.0)}


def test_colour_shape_and_line_style_follow_type_and_relation(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2))
    assert view.nodes == ["service:a", "service:b", "service:fam", "term:c", "term:d"]
    nodes = {n["id"]: n for n in _data(view.html, "nodes")}
    assert nodes["service:b"]["shape"] == TYPE_STYLE["service"]["shape"] == "dot"
    assert nodes["term:c"]["shape"] == "diamond" and nodes["term:d"]["shape"] == "square"
    assert nodes["term:d"]["color"]["background"] == TYPE_STYLE["use_case"]["color"]
    assert nodes["service:a"]["borderWidth"] == 4  # the centre stands out
    edges = {(e["from"], e["to"]): e for e in _data(view.html, "edges")}
    assert edges["service:a", "service:b"]["dashes"] is False
    assert edges["service:a", "service:b"]["arrows"] == "to"
    assert edges["service:a", "service:fam"]["dashes"] == KIND_DASHES["catalog"]
    assert edges["service:a", "term:c"]["dashes"] == KIND_DASHES["inferred"]
    assert edges["service:a", "term:c"]["arrows"] == ""  # co-occurrence has no direction
    assert len(edges) == view.edges == 4
    assert "feeds" in view.html and "mentioned together" in view.html  # the legend of the download


def test_the_component_gets_the_same_nodes_and_edges_as_plain_data(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2))
    data = view.data
    assert [n["id"] for n in data["nodes"]] == view.nodes == drawn_node_ids(view.html)
    assert [(e["from"], e["to"]) for e in data["edges"]] == [(e["from"], e["to"]) for e in _data(view.html, "edges")]
    assert data["center"] == "service:a" and data["height"] == 620 and data["hint"] == APP_HINT
    assert data["options"]["physics"] == {"enabled": False}
    assert json.loads(json.dumps(data)) == data  # JSON through and through: it is sent as data, never as code
    # The same view, the same key (the component skips a redraw); another view, another key.
    assert render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2)).data["key"] == data["key"]
    assert render_neighborhood(small_graph, neighborhood(small_graph, "service:a")).data["key"] != data["key"]


def test_inferred_and_catalog_lines_are_quieter_than_stated_ones(small_graph):
    edges = {
        (e["from"], e["to"]): e
        for e in render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2)).data["edges"]
    }
    stated, catalog, inferred = (
        edges["service:a", "service:b"],
        edges["service:a", "service:fam"],
        edges["service:a", "term:c"],
    )
    assert stated["color"] == {"color": RELATION_COLOR["feeds"]} and stated["width"] > 2
    assert catalog["color"] == KIND_STYLE["catalog"] and catalog["width"] == 1.5
    assert inferred["color"] == {"color": "#B8B8B8", "opacity": 0.55} and inferred["width"] == 1
    assert inferred["dashes"] == KIND_DASHES["inferred"]


def test_the_legend_names_each_colour_shown(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2))
    legend = [(e["kind"], e["label"], e["color"]) for e in view.data["legend"]]
    assert legend == [
        ("fill", "service", TYPE_STYLE["service"]["color"]),
        ("fill", "concept", TYPE_STYLE["concept"]["color"]),
        ("fill", "use case", TYPE_STYLE["use_case"]["color"]),
        ("line", legend[3][1], RELATION_COLOR["feeds"]),
        ("line", legend[4][1], RELATION_COLOR["used_for"]),
        ("line", "from the service catalog", "#8A8A8A"),
        ("line", "mentioned together", "#B8B8B8"),
    ]
    assert legend[3][1] in {"feeds", "feeds into"} and legend[4][1] in {"used for", "is used for"}
    # Relations of one colour share one row, each named.
    assert len({RELATION_COLOR[r] for r in ("feeds", "delivers_to", "consumed_by", "ingests_from")}) == 1


def test_colour_by_cluster_and_by_syllabus_status(small_graph, bundled_graph):
    hood = neighborhood(bundled_graph, "service:kinesis", depth=1)
    view = render_neighborhood(bundled_graph, hood, color_by="cluster")
    fills = {n["id"]: n["color"]["background"] for n in view.data["nodes"]}
    where = explore_index(bundled_graph).community_of()
    # One colour per cluster: topics of one cluster share it, the largest cluster in view gets the first colour.
    for a in view.nodes:
        for b in view.nodes:
            if where[a] == where[b]:
                assert fills[a] == fills[b]
    assert CLUSTER_COLORS[0] in fills.values()
    assert any(e["label"].startswith("cluster: ") for e in view.data["legend"])
    assert {e["label"] for e in view.data["legend"] if e["kind"] == "shape"} >= {"service"}  # shapes still say type

    statuses = {"service:a": "covered", "service:b": "missing"}
    view = render_neighborhood(
        small_graph, neighborhood(small_graph, "service:a"), color_by="status", statuses=statuses
    )
    fills = {n["id"]: n["color"]["background"] for n in view.data["nodes"]}
    assert fills["service:a"] == STATUS_STYLE["covered"]["color"]
    assert fills["service:b"] == STATUS_STYLE["missing"]["color"]
    assert fills["service:fam"] == STATUS_STYLE[""]["color"]
    assert ("fill", "not in the syllabus") in {(e["kind"], e["label"]) for e in view.data["legend"]}
    with pytest.raises(ValueError, match="color_by must be one of type, cluster, status"):
        render_neighborhood(small_graph, neighborhood(small_graph, "service:a"), color_by="vendor")


def test_the_title_names_topic_depth_and_filters(small_graph):
    hood = neighborhood(small_graph, "service:a", depth=2, types=["service"], stated_only=True, hide_hubs=1, limit=49)
    assert view_title(hood) == (
        "Service A: 2 steps around it, only service, stated relations only, 1 hub(s) hidden, up to 50 topics"
    )
    view = render_neighborhood(small_graph, hood)
    assert view.title == view.data["title"] == view_title(hood)
    assert f"<title>Notes Graph: {view.title}</title>" in view.html
    assert f'<h1 id="notes-graph-title">{view.title}</h1>' in view.html


def test_a_hostile_label_in_the_title_and_legend_of_the_download_is_escaped(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "term:c"))
    assert view.title.startswith('<a href="javascript:alert(1)">click</a> idea')  # plain text, as written
    assert "<a href=" not in view.html
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt; idea" in view.html


def test_filters_of_the_query_apply_to_the_lines_drawn(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2, stated_only=True))
    assert view.nodes == ["service:a", "service:b"]
    assert view.edges == 1


def test_tooltips_are_plain_text_with_relation_and_evidence(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2))
    nodes = {n["id"]: n for n in _data(view.html, "nodes")}
    edges = {(e["from"], e["to"]): e for e in _data(view.html, "edges")}
    feeds = edges["service:a", "service:b"]["title"]
    assert feeds.splitlines() == [
        "Service A -feeds-> Service B (stated, weight 2)",
        "· a pipeline step passes data to the next (from an arrow chain)",
        "· n.md:3: A -> B <script>alert(2)</script>",
    ]
    # pyvis turns every tooltip into HTML when a title contains "href": note text never does.
    title = nodes["term:c"]["title"]
    assert "href" not in title and f"h{WORD_JOINER}ref" in title
    assert "popup.innerHTML" not in view.html
    # Note text reaches the page only inside JSON, with "<" written \u003c.
    assert "<script>alert(2)" not in view.html and "\\u003cscript\\u003ealert(2)" in view.html


def test_the_download_asks_nothing_of_a_parent_page_and_says_what_it_can_do(small_graph):
    html = render_neighborhood(small_graph, neighborhood(small_graph, "service:a")).html
    assert "pushState" not in html and "postMessage" not in html and "parent" not in html.split("<body>")[1]
    assert PAGE_HINT in html and APP_HINT not in html
    assert "click to focus" not in html  # a downloaded page cannot refocus: no tooltip or legend promises it
    assert '<details id="notes-graph-legend" open><summary>Legend</summary>' in html


def test_the_component_puts_note_text_in_the_page_as_text_only():
    """The component's script never parses note text as HTML: tooltips, legend and title are set as text."""
    script = COMPONENT_JS.read_text(encoding="utf-8")
    assert "innerHTML" not in script and "outerHTML" not in script and "insertAdjacentHTML" not in script
    assert "document.write" not in script and "eval(" not in script and "new Function" not in script
    assert "textContent" in script
    # Nothing from outside, and no module loaded at all: vis-network comes with the page (graphcomponent.preload).
    assert re.findall(r"https?://", script) == []
    assert "import(" not in script and "\nimport " not in script and "LIB.ready" in script
    assert "history" not in script and "location" not in script  # the app sets the URL, from Python


def test_the_lib_script_is_vis_network_whole_then_the_hand_over_graph_js_waits_for(tmp_path):
    # Cut at newlines only: U+2028 and U+001C inside a string literal stay (str.splitlines would cut there).
    source = tmp_path / "lib.js"
    source.write_text('var s = "a\u2028b\x1cc";\n//# sourceMappingURL=lib.js.map\nvar t = 1;', encoding="utf-8")
    assert graphcomponent.inline_text(source) == 'var s = "a\u2028b\x1cc";\nvar t = 1;\n'
    script = graphcomponent.lib_script()
    vis = (graphcomponent.VIS_ASSETS / "vis-network.min.js").read_text(encoding="utf-8")
    assert script.startswith(vis[:2000]) and len(script) > len(vis) - 100
    assert "sourceMappingURL" not in script and re.findall(r"https?://[^\s\"']*", script) == re.findall(
        r"https?://[^\s\"']*", vis
    )
    assert script.endswith(graphcomponent.LIB_HANDOVER) and script.count("LIB.settle(globalThis.vis)") == 1
    # Whichever script runs first makes the one promise: the same two lines in both.
    made = [line for line in graphcomponent.LIB_HANDOVER.splitlines() if "LIB.ready" in line or "notesGraphLib" in line]
    assert len(made) == 2 and all(line in COMPONENT_JS.read_text(encoding="utf-8") for line in made)


def test_script_json_cannot_close_its_script_block():
    text = script_json({"id": "</script><script>alert(1)</script>", "x": "a&b\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"id": "</script><script>alert(1)</script>", "x": "a&b\u2028"}


def test_a_300_topic_view_is_drawn_from_a_capped_query(corpus_graph):
    hub = max(corpus_graph.nodes, key=corpus_graph.degree)
    hood = neighborhood(corpus_graph, hub, depth=3, limit=299)
    view = render_neighborhood(corpus_graph, hood)
    assert len(drawn_node_ids(view.html)) == min(300, 1 + len(hood.neighbors))
    assert outside_references(view.html) == []


def test_a_services_cloud_is_its_ring_colour_and_the_legend_names_the_clouds_shown(write_notes):
    from graph.query.neighborhood import neighborhood
    from graph.store.build import build_notes
    from graph.ui.view import VENDOR_RING, render_neighborhood

    folder = write_notes({"a.md": "# Storage\n\nAzure Blob Storage is like Amazon S3.\n"})
    graph = build_notes(folder).graph
    view = render_neighborhood(graph, neighborhood(graph, "service:s3"))
    nodes = {n["id"]: n for n in json.loads(view.html.split("nodes = new vis.DataSet(")[1].split(");")[0])}
    blob = next(key for key in nodes if key.startswith("service:azure/"))
    assert nodes[blob]["color"]["border"] == VENDOR_RING["azure"] and nodes[blob]["borderWidth"] == 3
    assert nodes[blob]["color"]["background"] == nodes["service:s3"]["color"]["background"]  # both services
    assert "Azure service" in view.html and "AWS service" in view.html and "Google Cloud service" not in view.html


def test_highlight_marks_its_topics_and_links():
    g = nx.MultiDiGraph()
    for node in ("service:a", "service:b", "service:c"):
        g.add_node(node, label=node[-1].upper(), type="service", mention_count=1)
    g.add_edge("service:a", "service:b", relation="sends_to", weight=1.0, evidence=[])
    g.add_edge("service:b", "service:c", relation="sends_to", weight=1.0, evidence=[])
    hood = neighborhood(g, "service:b", depth=1)
    mark = Highlight(nodes=frozenset({"service:a", "service:b"}), links=frozenset({("service:b", "service:a")}))
    view = render_neighborhood(g, hood, highlight=mark)
    page = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", view.html, re.DOTALL).group(1))
    borders = {n["id"]: n["borderWidth"] for n in page}
    assert borders == {"service:b": 6, "service:a": 6, "service:c": 1}
    lines = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", view.html, re.DOTALL).group(1))
    widths = {(e["from"], e["to"]): e["width"] for e in lines}
    assert widths[("service:a", "service:b")] == widths[("service:b", "service:c")] + 4


def _fan(spokes: int, evidence_per_line: int = 2) -> nx.MultiDiGraph:
    """A hub with *spokes* neighbours in a ring; every line cites long evidence, each note line shared by 3 lines."""
    g = nx.MultiDiGraph()
    g.add_node("hub", label="Hub", type="service", mention_count=9)
    for i in range(spokes):
        g.add_node(f"t{i}", label=f"Topic {i}", type="concept", mention_count=1)
    lines = [(f"t{i}", f"t{(i + 1) % spokes}") for i in range(spokes)] + [("hub", f"t{i}") for i in range(spokes)]
    for number, (u, v) in enumerate(lines):
        cited = [number // 3 + k + 1 for k in range(evidence_per_line)]
        evidence = [_ev(f"line {line}: " + "a long sentence of the note " * 5, line) for line in cited]
        g.add_edge(u, v, key="related_to", relation="related_to", weight=1.0, stated=False, evidence=evidence)
    return g


def test_line_tooltips_are_sent_apart_from_the_view_each_text_once(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2))
    assert all("title" not in e for e in view.data["edges"])
    assert "alert(2)" not in json.dumps(view.data)  # no evidence in the view's data
    tips = view.tips()
    assert tips["key"] == view.data["key"] and len(tips["tips"]) == len(view.data["edges"])
    texts = dict(zip([(e["from"], e["to"]) for e in view.data["edges"]], tip_texts(tips), strict=True))
    assert texts["service:a", "service:b"].splitlines() == [
        "Service A -feeds-> Service B (stated, weight 2)",
        "· a pipeline step passes data to the next (from an arrow chain)",
        "· n.md:3: A -> B <script>alert(2)</script>",
    ]
    # A line of evidence cited by several lines is sent once.
    fan = _fan(12)
    shared = view_tips(fan, render_neighborhood(fan, neighborhood(fan, "hub", depth=2)))
    evidence = [line for line in shared["lines"] if line.startswith("· n.md:")]
    assert len(evidence) == len(set(evidence)) == 9  # 24 lines x 2 citations of 9 distinct note lines
    # Each tooltip: its relation, what the relation means, two citations.
    assert [len(tip) for tip in shared["tips"]] == [4] * 24


def test_topic_tooltips_are_sent_with_the_lines_not_in_the_view(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2))
    assert all("title" not in n for n in view.data["nodes"])
    tips = node_tip_texts(view.tips())
    assert list(tips) == view.nodes
    assert tips["service:a"].splitlines() == [
        "Service A (service)",
        "Mentioned in 2 place(s) (first: n.md:3)",
        "The topic in focus",
    ]
    assert tips["term:d"].splitlines()[-1] == "2 step(s) from Service A"
    # Plain text, made safe for pyvis's page as before: "href" never reaches it whole.
    assert "href" not in tips["term:c"] and f"h{WORD_JOINER}ref" in tips["term:c"]
    # A line of text shared by topics (their distance to the centre) is sent once.
    fan = _fan(12)
    shared = view_tips(fan, render_neighborhood(fan, neighborhood(fan, "hub", depth=2)))
    assert shared["lines"].count("1 step(s) from Hub") == 1
    # The download has every tooltip, the topics' too.
    nodes = {n["id"]: n for n in _data(view.html, "nodes")}
    assert nodes["term:d"]["title"] == tips["term:d"]


def test_the_view_is_sent_as_json_made_once_that_names_it(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2))
    assert json.loads(view.payload) == view.data
    assert view.payload.startswith(b'{"key":"' + view.data["key"].encode() + b'","center":"service:a",')
    assert b'", "' not in view.payload  # compact: no spaces between items
    assert packed({"a": '<script>"'}) == b'{"a":"<script>\\""}'  # a JSON string, never markup


def test_a_cached_view_leaves_its_graph_behind_and_is_given_it_for_tips_and_page(small_graph):
    view = render_neighborhood(small_graph, neighborhood(small_graph, "service:a", depth=2))
    copy = pickle.loads(pickle.dumps(view))  # as st.cache_data keeps it
    assert copy.graph is None and copy.data == view.data and copy.links == view.links
    with pytest.raises(ValueError, match="need its graph"):
        copy.tips()
    assert copy.tips(small_graph) == view.tips()
    edges = {(e["from"], e["to"]): e for e in _data(copy.page(small_graph), "edges")}
    assert edges["service:a", "service:b"]["title"].endswith("n.md:3: A -> B <script>alert(2)</script>")
    assert len(pickle.dumps(view)) < len(pickle.dumps(small_graph)) + len(pickle.dumps(view.data)) + len(view.payload)


def test_a_300_topic_views_data_stays_small(small_graph):
    fan = _fan(299)
    view = render_neighborhood(fan, neighborhood(fan, "hub", depth=2))
    assert len(view.nodes) == 300 and view.edges == 598
    size = len(json.dumps(view.data))
    # About 420 bytes a topic (style, position) and 100 a line; the tooltips (the lines' evidence: 400 bytes each
    # here) come apart, made when asked for.
    assert size < 420 * 300 + 110 * 598, size
    assert len(json.dumps(view.tips())) < 160 * 598  # each of the 200 note lines once: ~460 bytes a line if not
