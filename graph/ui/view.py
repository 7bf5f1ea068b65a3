"""The neighbourhood of a topic, drawn: data for the app's graph component and a standalone page (pyvis / vis-network).

:func:`render_neighborhood` takes a :class:`~graph.query.neighborhood.Neighborhood`
(the topics around a centre, already filtered and capped by the query) and
returns a :class:`GraphView`: the nodes, edges, options and legend the app's graph
component draws (``data``, :mod:`graph.ui.graphcomponent`), the standalone page of the
same view (``html``, the download), the node ids drawn and what the cap left out.
pyvis builds both: the component gets pyvis's node and edge lists as JSON data
(made once per view: ``payload``), the page is pyvis's own. The tooltips of
topics and lines are not in that data: :func:`view_tips` makes them apart, sent
after the graph and shown when hovered. The view

* is laid out in Python (:func:`layout`: rings by distance, then a few
  NetworkX spring iterations) and drawn with physics off, so 300 topics draw
  in a fraction of a second instead of the 10 s or more vis-network's own
  simulation takes to settle;
* loads nothing: the page inlines vis-network's JavaScript from the pyvis
  package, drops the Bootstrap links pyvis adds and forbids any outside
  request with a Content-Security-Policy; the component gets vis-network from
  the app's own server (:mod:`graph.ui.graphcomponent`);
* shows note text only as text: labels are drawn on a canvas, tooltips are plain
  strings (the component puts them in the page with ``textContent``, the page's
  vis-network with ``innerText``; see :func:`graph.ui.escape.tooltip_text`), and
  data reaches the page as JSON escaped for a ``<script>`` block;
* colours topics by type (or by cluster, or by syllabus status: *color_by*),
  draws stated relations solid in the colour of their relation, catalog links
  dotted and inferred co-occurrence thin, dashed and pale, with a legend that
  names every colour shown.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from pyvis.edge import Edge
from pyvis.network import Network

from graph.model import INFERRED, RELATIONS
from graph.query.neighborhood import Neighborhood
from graph.query.results import Topic
from graph.store.adjacency import successors
from graph.store.edges import STATED, edge_kind, link_strength
from graph.store.index import explore_index
from graph.ui.escape import one_line, tooltip_text
from graph.vendors import VENDOR_LABELS

#: Fill colour and vis-network shape per topic type (Okabe-Ito colours: told apart with colour blindness too).
TYPE_STYLE = {
    "service": {"color": "#E69F00", "shape": "dot", "name": "service"},
    "concept": {"color": "#56B4E9", "shape": "diamond", "name": "concept"},
    "use_case": {"color": "#009E73", "shape": "square", "name": "use case"},
    "technology": {"color": "#CC79A7", "shape": "triangle", "name": "technology"},
}
OTHER_STYLE = {"color": "#999999", "shape": "dot", "name": "other"}
#: A service's cloud, as the colour of its ring (the fill stays the type's colour): type and vendor both readable.
VENDOR_RING = {"aws": "#232F3E", "azure": "#0078D4", "gcp": "#34A853"}
#: Line colour of stated relations, by relation; dashes by edge kind.
RELATION_COLOR = {
    "feeds": "#0072B2",
    "delivers_to": "#0072B2",
    "consumed_by": "#0072B2",
    "ingests_from": "#0072B2",
    "connects_to": "#3B8BC2",
    "part_of": "#7B4FA0",
    "kind_of": "#7B4FA0",
    "triggers": "#3B8BC2",
    "depends_on": "#CC79A7",
    "acts_on": "#CC79A7",
    "replaces": "#D55E00",
    "compared_with": "#D55E00",
    "used_for": "#009E73",
    "has": "#666666",
    "links_to": "#8C6D31",
    INFERRED: "#B0B0B0",
}
KIND_DASHES = {STATED: False, "catalog": [2, 5], "inferred": [8, 6]}
#: Lines that are not stated by the notes are drawn quieter: pale, thin, see-through.
KIND_STYLE = {"catalog": {"color": "#8A8A8A", "opacity": 0.8}, "inferred": {"color": "#B8B8B8", "opacity": 0.55}}
#: Relations drawn without an arrow (no direction to show).
UNDIRECTED = {"compared_with", INFERRED}
#: Topic colours for ``color_by="cluster"``: the clusters with most topics in the view get one each, the rest grey.
CLUSTER_COLORS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442", "#7B4FA0"]
OTHER_CLUSTERS = "#BBBBBB"
#: Topic colours for ``color_by="status"``: a topic's status against a syllabus (see :func:`render_neighborhood`).
STATUS_STYLE = {
    "covered": {"color": "#009E73", "name": "covered by your notes"},
    "mentioned": {"color": "#E69F00", "name": "mentioned only"},
    "missing": {"color": "#D55E00", "name": "missing from your notes"},
    "": {"color": "#BBBBBB", "name": "not in the syllabus"},
}
#: What a view's topics can be coloured by.
COLOR_BY = ("type", "cluster", "status")
#: Pixels of canvas per topic side: the layout covers about ``SPACING * sqrt(n)`` pixels across.
SPACING = 130
#: Spring iterations after the ring start; seed, so the same view always looks the same.
SPRING_ITERATIONS = 50
SEED = 42
#: Spring length relative to NetworkX's default (1 / sqrt(n)): longer springs spread dense neighbourhoods.
SPREAD = 2.0
#: Evidence lines per relation in an edge tooltip; characters per evidence line and label.
TOOLTIP_EVIDENCE = 2
TOOLTIP_WIDTH = 160
LABEL_WIDTH = 32
#: Query parameter the app keeps the focus in (the app sets it from Python when a topic is clicked).
FOCUS_PARAM = "focus"
#: What the legend says a person can do, in the app and in the downloaded page (which cannot refocus).
APP_HINT = "Hover a topic for its evidence and neighbours; click it to focus on it."
PAGE_HINT = (
    "Offline copy: hover a topic or line for its evidence, drag to move, scroll to zoom. "
    "To focus on another topic, open the Notes Graph explorer."
)

_OUTSIDE_TAG = re.compile(
    r"<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*[\"']?(?:https?:)?//[^>]*>(?:\s*</script>)?", re.IGNORECASE
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)
# pyvis's template keeps a commented-out link to a local vis build; vis-network ends with a source-map pointer.
_DEAD_LINKS = re.compile(r"<!--\s*<link[^>]*node_modules.*?-->|//# sourceMappingURL=[^\s<]+", re.DOTALL)
_NODES_JSON = "nodes = new vis.DataSet("

#: Nothing may be fetched: inline scripts and styles only, images only as data: URIs (vis draws on a canvas).
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "font-src 'none'; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'"
)

_STYLE = """
<style>
  body { margin: 0; font-family: "Source Sans Pro", "Segoe UI", Helvetica, Arial, sans-serif; }
  #notes-graph-title { font-size: 16px; font-weight: 600; margin: 8px 10px 6px; color: #222; }
  #mynetwork { float: none; border: 1px solid #e6e6e6; border-radius: 6px; }
  .vis-tooltip { white-space: pre-wrap !important; max-width: 34em; font-family: inherit !important;
                 font-size: 13px !important; line-height: 1.35; }
  #notes-graph-legend { position: absolute; top: 44px; left: 8px; background: rgba(255,255,255,0.92);
                        border: 1px solid #e6e6e6; border-radius: 6px; padding: 4px 10px; font-size: 12px;
                        line-height: 1.5; color: #333; max-width: 22em; }
  #notes-graph-legend summary { cursor: pointer; font-weight: 600; }
  #notes-graph-legend .swatch { display: inline-block; width: 11px; height: 11px; margin-right: 5px;
                                vertical-align: -1px; }
  #notes-graph-legend .line { display: inline-block; width: 26px; margin-right: 5px; vertical-align: 3px;
                              border-top: 2px solid #444; }
  #notes-graph-legend .hint { color: #777; }
</style>
"""


@dataclass(frozen=True)
class Highlight:
    """Topics and links to pick out in a drawn view: a path's hops, a cluster's members, a gap's topics.

    ``nodes`` are node ids; ``links`` unordered pairs of node ids (either
    direction of a drawn line matches); ``title`` says what is picked out
    (plain text, escaped where shown).

    >>> Highlight(nodes=frozenset({"a", "b"}), links=frozenset({("a", "b")}), title="Path a to b").nodes == {"a", "b"}
    True
    """

    nodes: frozenset[str] = frozenset()
    links: frozenset[tuple[str, str]] = frozenset()
    title: str = ""

    def has_link(self, source: str, target: str) -> bool:
        return (source, target) in self.links or (target, source) in self.links


@dataclass
class GraphView:
    """A drawn neighbourhood.

    ``data`` is what the app's graph component draws (plain JSON data: ``key``,
    ``center``, ``height``, ``nodes``, ``edges``, ``options``, ``legend``,
    ``title``, ``highlight``, ``hint``; no tooltips: :meth:`tips` makes those
    apart, from ``distance`` (steps from the centre per topic) and ``links``,
    the relations behind each line); ``payload`` is ``data`` as JSON, made once
    (:func:`packed`: what the component is sent); :meth:`page`
    the standalone page of the same view (the download, made when first asked
    for: pyvis takes about 0.3 s to make one). Both need the graph: a view fresh
    from :func:`render_neighborhood` keeps it in ``graph``, a pickled copy (as
    ``st.cache_data`` keeps it) does not and is given it. ``title`` names the
    view (topic, depth, filters); ``nodes`` the
    ids drawn, centre first (closest, then most strongly tied); ``edges`` how
    many lines were drawn (one per linked pair); ``left_out`` counts per
    distance the topics the cap left out; ``hidden_hubs`` the hubs the query
    left out.
    """

    center: Topic
    depth: int
    nodes: list[str]
    edges: int
    left_out: dict[int, int] = field(default_factory=dict)
    hidden_hubs: list[Topic] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    title: str = ""
    links: list[tuple[tuple[str, str, str], ...]] = field(default_factory=list, repr=False)
    distance: dict[str, int] = field(default_factory=dict, repr=False)
    payload: bytes = field(default=b"", repr=False)
    graph: nx.MultiDiGraph | None = field(default=None, repr=False, compare=False)
    _html: str | None = field(default=None, repr=False, compare=False)
    _tips: dict | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        # A cached copy (st.cache_data pickles) must not carry the whole graph: pass it to tips() / page().
        return self.__dict__ | {"graph": None, "_html": None, "_tips": None}

    def tips(self, graph: nx.MultiDiGraph | None = None) -> dict:
        """The tooltips of the drawn topics and lines (see :func:`view_tips`), made when first asked for.

        *graph* is not kept: a view shared by a cache should not keep a graph alive.
        """
        if self._tips is None:
            self._tips = view_tips(graph if graph is not None else self._graph_for("tooltips"), self)
        return self._tips

    def page(self, graph: nx.MultiDiGraph | None = None) -> str:
        """The view as a standalone, offline HTML page with every tooltip (see :func:`standalone_page`)."""
        if self._html is None:
            self._html = standalone_page(self.data, self.tips(graph))
        return self._html

    @property
    def html(self) -> str:
        """:meth:`page` of a view that still knows its graph (one fresh from :func:`render_neighborhood`)."""
        return self.page()

    def _graph_for(self, what: str) -> nx.MultiDiGraph:
        if self.graph is None:
            raise ValueError(f"the view's {what} need its graph: call with the graph it was drawn from")
        return self.graph

    def summary(self) -> list[str]:
        """What is shown and what is not, as plain sentences (labels unescaped: escape them to show)."""
        shown = len(self.nodes) - 1
        steps = "1 step" if self.depth == 1 else f"{self.depth} steps"
        lines = [f"{shown} topic(s) within {steps} of {self.center.label}, {self.edges} link(s)."]
        if self.left_out:
            hidden = sum(self.left_out.values())
            parts = ", ".join(f"{n} at {d} step(s)" for d, n in sorted(self.left_out.items()))
            lines.append(
                f"The node cap left out {hidden} more distant or weakly tied topic(s) ({parts}): "
                "raise the cap, hide hubs or filter types to see them."
            )
        if self.hidden_hubs:
            lines.append("Hubs hidden: " + ", ".join(h.label for h in self.hidden_hubs) + ".")
        return lines


def render_neighborhood(
    graph: nx.MultiDiGraph,
    hood: Neighborhood,
    height: int = 620,
    focus_param: str = FOCUS_PARAM,
    highlight: Highlight | None = None,
    color_by: str = "type",
    statuses: Mapping[str, str] | None = None,
) -> GraphView:
    """Draw *hood* (from :func:`graph.query.neighborhood.neighborhood`) in *height* pixels.

    Every topic of the result is drawn, with the relations among them that
    the query followed (``hood.edges``; one line per linked pair, its tooltip
    lists each relation with its evidence). With *highlight*, its topics get a
    thick dark border and its links are drawn wide and solid. *color_by* picks
    the fill of the topics: ``"type"`` (shape always shows the type),
    ``"cluster"`` (the graph's Leiden clusters) or ``"status"`` (*statuses* maps
    node ids to ``"covered"``, ``"mentioned"`` or ``"missing"``, e.g. from a gap
    report; topics not in it are "not in the syllabus"). *focus_param* is kept
    for callers of earlier versions: the app, not the view, sets the URL now.
    Returns a :class:`GraphView` with both the component's data and the page.

    >>> import networkx as nx
    >>> from graph.query.neighborhood import neighborhood
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="service"); g.add_node("b", label="B", type="concept")
    >>> _ = g.add_edge("a", "b", key="has", relation="has", weight=1.0, stated=True, evidence=[])
    >>> view = render_neighborhood(g, neighborhood(g, "a"))
    >>> [n["id"] for n in view.data["nodes"]], view.title
    (['a', 'b'], 'A: 1 step around it')
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {color_by!r}")
    center = hood.center.id
    distance = {center: 0} | {n.topic.id: n.distance for n in hood.neighbors}
    nodes = list(distance)
    pairs = _pairs(graph, nodes, hood.edges)
    positions = layout(nodes, {pair: _pair_strength(links) for pair, links in pairs.items()}, center, distance)
    fills = _fills(graph, nodes, color_by, statuses or {})
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    net.options = _options()
    for node in nodes:
        options = _node_options(graph, node, hood.center, positions[node], fills[node][0])
        if highlight and node in highlight.nodes:
            options["borderWidth"], options["color"]["border"] = 6, "#000000"
        net.add_node(node, **options)
    for links in pairs.values():
        source, target = links[0][:2]  # drawn in the direction of the strongest relation
        options = _edge_options(graph, links)
        if highlight and highlight.has_link(source, target):
            options["width"], options["dashes"] = options["width"] + 4, False
            options["color"] = {"color": "#000000"}
        # pyvis's Edge, as add_edge makes it, without add_edge's scan of the node list per end (both ends are drawn).
        net.edges.append(Edge(source, target, True, **options).options)
    title = view_title(hood)
    legend = legend_entries(graph, nodes, [links[0][2] for links in pairs.values()], color_by, fills)
    data = {
        "center": center,
        "height": height,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "legend": legend,
        "title": title,
        "highlight": one_line(highlight.title) if highlight and highlight.title else "",
        "hint": APP_HINT,
    }
    # The JSON is made once: it names the view (its key) and is what the component is sent, as it is.
    body = packed(data)
    data["key"] = key = hashlib.sha1(body).hexdigest()[:16]
    payload = b'{"key":"' + key.encode() + b'",' + body[1:]
    lines = [tuple((u, v, key) for u, v, _, key in links) for links in pairs.values()]
    left_out, hubs = dict(hood.left_out), list(hood.hidden_hubs)
    return GraphView(
        hood.center, hood.depth, nodes, len(pairs), left_out, hubs, data, title, lines, distance, payload, graph
    )


def packed(data: dict | list) -> bytes:
    """*data* as compact JSON bytes, as the graph component is sent it (parsed once in the browser, where Streamlit
    would serialise a dict on each run and again to name the element).

    >>> packed({"a": [1, "<b>"]})
    b'{"a":[1,"<b>"]}'
    """
    return json.dumps(data, separators=(",", ":")).encode()


def view_tips(graph: nx.MultiDiGraph, view: GraphView) -> dict:
    r"""The tooltips of *view*'s topics and lines, apart from its data: what a topic is, where the notes mention it
    and how far it is from the centre; each relation of a line with up to two evidence lines.

    Made only when asked for, and sent after the graph: they are most of a view's size (a line of evidence is shared
    by many lines, so each distinct text is sent once). ``{"key": the view's key, "lines": [text, ...], "tips":
    [[index into lines, ...] per drawn line, in the order of ``view.data["edges"]``], "nodes": {node id: [index into
    lines, ...]}}``; the text of line *i*'s tooltip is ``"\n".join(lines[j] for j in tips[i])``, a topic's the same
    from ``nodes[id]`` (plain text, put in the page as text).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="service"); g.add_node("b", label="B", type="concept")
    >>> _ = g.add_edge("a", "b", key="has", relation="has", weight=1.0, stated=True, evidence=[])
    >>> from graph.query.neighborhood import neighborhood
    >>> tips = view_tips(g, render_neighborhood(g, neighborhood(g, "a")))
    >>> [tips["lines"][i] for i in tips["tips"][0]][0]
    'A -has-> B (stated, weight 1)'
    >>> node_tip_texts(tips)["b"].splitlines()[-1]
    '1 step(s) from A'
    """
    index: dict[str, int] = {}

    def indexed(text: str) -> list[int]:
        return [index.setdefault(line, len(index)) for line in text.split("\n")]

    succ = successors(graph)  # not graph.edges: a view made per use (graph/store/gcfreeze.py), per link
    tips = [
        indexed(tooltip_text(_edge_tooltip(graph, [(u, v, succ[u][v][key], key) for u, v, key in keys])))
        for keys in view.links
    ]
    nodes = {}
    for node in view.nodes:
        style = TYPE_STYLE.get(graph.nodes[node].get("type"), OTHER_STYLE)
        steps = view.distance.get(node, 0)
        nodes[node] = indexed(tooltip_text(_node_tooltip(graph.nodes[node], node, steps, view.center, style["name"])))
    return {"key": view.data.get("key", ""), "lines": list(index), "tips": tips, "nodes": nodes}


def tip_texts(tips: dict) -> list[str]:
    r"""The tooltip of each line of :func:`view_tips`, as text.

    >>> tip_texts({"key": "k", "lines": ["a -has-> b", "· x.md:1: b"], "tips": [[0, 1], [0]]})
    ['a -has-> b\n· x.md:1: b', 'a -has-> b']
    """
    return ["\n".join(tips["lines"][i] for i in line) for line in tips["tips"]]


def node_tip_texts(tips: dict) -> dict[str, str]:
    r"""The tooltip of each topic of :func:`view_tips`, as text, by node id.

    >>> node_tip_texts({"key": "k", "lines": ["A (concept)", "The topic in focus"], "tips": [], "nodes": {"a": [0, 1]}})
    {'a': 'A (concept)\nThe topic in focus'}
    """
    return {node: "\n".join(tips["lines"][i] for i in line) for node, line in tips.get("nodes", {}).items()}


def standalone_page(data: dict, tips: dict | None = None) -> str:
    """The view of *data* (:attr:`GraphView.data`) as a standalone page, built by pyvis and made offline, its topics'
    and lines' tooltips from *tips* (:func:`view_tips`).

    The page has the view's title (as ``<title>`` and a heading), its legend
    (collapsible), vis-network inlined and a Content-Security-Policy that
    forbids any request; it works opened from a file, with no server.
    """
    net = Network(height=f"{data['height']}px", width="100%", directed=True, cdn_resources="in_line")
    nodes, edges = data["nodes"], data["edges"]
    if tips:
        edges = [edge | {"title": text} for edge, text in zip(edges, tip_texts(tips), strict=True)]
        titles = node_tip_texts(tips)
        nodes = [node | {"title": titles[node["id"]]} if node["id"] in titles else node for node in nodes]
    net.nodes, net.edges, net.options = nodes, edges, data["options"]
    return _finish(net.generate_html(), data["title"], data["legend"])


def view_title(hood: Neighborhood) -> str:
    """A view's name in words: its topic, depth and filters (plain text, escape it to show).

    >>> from graph.query.results import Topic
    >>> hood = Neighborhood(Topic("s", "Amazon S3", "service"), 2, [], {}, [], {"stated_only": True, "limit": 99})
    >>> view_title(hood)
    'Amazon S3: 2 steps around it, stated relations only, up to 100 topics'
    """
    filters = hood.filters or {}
    parts = [f"{one_line(hood.center.label, 80)}: {'1 step' if hood.depth == 1 else f'{hood.depth} steps'} around it"]
    if filters.get("types"):
        parts.append("only " + ", ".join(TYPE_STYLE.get(t, OTHER_STYLE)["name"] for t in filters["types"]))
    if filters.get("relations"):
        parts.append("relations: " + ", ".join(_relation_name(r) for r in filters["relations"]))
    if filters.get("stated_only"):
        parts.append("stated relations only")
    if filters.get("hide_hubs"):
        parts.append(f"{filters['hide_hubs']} hub(s) hidden")
    if filters.get("limit"):
        parts.append(f"up to {filters['limit'] + 1} topics")
    return ", ".join(parts)


def drawn_node_ids(html: str) -> list[str]:
    """The node ids in a page made by :func:`render_neighborhood`, in drawing order (for tests and checks)."""
    start = html.index(_NODES_JSON) + len(_NODES_JSON)
    nodes, _ = json.JSONDecoder().raw_decode(html, start)
    return [node["id"] for node in nodes]


def layout(
    nodes: list[str], weights: dict[tuple[str, str], float], center: str, distance: dict[str, int]
) -> dict[str, tuple[float, float]]:
    """Pixel positions for *nodes*: the centre at (0, 0), topics at distance d start on ring d, then springs.

    *weights* maps linked pairs to their strength. Topics on a ring keep the
    order of *nodes* (closest and most strongly tied first), so the same view
    always gets the same picture; a fixed-seed spring layout then pulls linked
    topics together. The result spans about ``SPACING * sqrt(len(nodes))`` pixels
    (at least ``4 * SPACING``): room for the labels, which the component hides
    where they would still overlap.
    """
    if len(nodes) == 1:
        return {center: (0.0, 0.0)}
    rings: dict[int, list[str]] = {}
    for node in nodes:
        if node != center:
            rings.setdefault(distance[node], []).append(node)
    start = {center: (0.0, 0.0)}
    for d, members in rings.items():
        for i, node in enumerate(members):
            angle = 2 * math.pi * i / len(members) + d * 0.5
            start[node] = (d * math.cos(angle), d * math.sin(angle))
    index = {node: i for i, node in enumerate(nodes)}
    pull = np.zeros((len(nodes), len(nodes)))
    for (u, v), w in weights.items():
        # Log-scaled, so one heavily evidenced pair does not pull its ends on top of each other.
        pull[index[u], index[v]] = pull[index[v], index[u]] = 1.0 + math.log1p(w)
    xy = _spring(np.array([start[n] for n in nodes]), pull, SPREAD / math.sqrt(len(nodes)), SPRING_ITERATIONS)
    spread = {node: (float(x), float(y)) for node, (x, y) in zip(nodes, xy, strict=True)}
    cx, cy = spread[center]
    radius = max(math.hypot(x - cx, y - cy) for x, y in spread.values()) or 1.0
    # Never smaller than a 16-topic view: vis-network does not zoom in past 1:1, so a few topics would huddle.
    scale = SPACING * math.sqrt(max(len(nodes), 16)) / 2 / radius
    return {n: (round((x - cx) * scale, 1), round((y - cy) * scale, 1)) for n, (x, y) in spread.items()}


def _spring(xy: np.ndarray, pull: np.ndarray, k: float, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold from the positions *xy* (n x 2), with *pull* the symmetric matrix of link strengths.

    The steps of :func:`networkx.spring_layout` (same forces, cooling and stop), written with matrix products:
    the pairs' squared distances are ``|p|² + |q|² - 2 p·q`` and each topic's move ``Σ (p - q) f = p Σ f - F p``,
    so no n x n x 2 array is made (networkx's ``einsum`` takes 0.6 s for a 300-topic view, this 0.05 s).

    >>> _spring(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 1.0], [1.0, 0.0]]), 1.0, 50).shape
    (2, 2)
    """
    p = xy.astype(float)
    t = max(np.ptp(p[:, 0]), np.ptp(p[:, 1])) * 0.1
    cooling = t / (iterations + 1)
    pull_k = pull / k
    for _ in range(iterations):
        square = (p * p).sum(axis=1)
        d2 = square[:, None] + square[None, :] - 2.0 * (p @ p.T)
        np.clip(d2, 1e-4, None, out=d2)  # distances of at least 0.01, as networkx
        force = k * k / d2
        force -= pull_k * np.sqrt(d2)
        np.fill_diagonal(force, 0.0)
        move = p * force.sum(axis=1)[:, None] - force @ p
        move *= (t / np.clip(np.sqrt((move * move).sum(axis=1)), 0.01, None))[:, None]
        p = p + move
        t -= cooling
        if math.sqrt(float((move * move).sum())) / len(p) < 1e-4:
            break
    return p


# --- nodes and edges ----------------------------------------------------------------------------------------------


def _relation_name(relation: str) -> str:
    """A relation in words for the legend and titles (graph.ui.words, where present, has the one table of them)."""
    try:
        from graph.ui.words import relation_name
    except ImportError:  # a checkout without the words table: the id, readable
        return relation.replace("_", " ")
    return relation_name(relation)


def _fills(
    graph: nx.MultiDiGraph, nodes: list[str], color_by: str, statuses: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """``{node: (fill colour, what the colour means)}`` for *color_by*."""
    if color_by == "status":
        styles = {n: STATUS_STYLE.get(statuses.get(n, ""), STATUS_STYLE[""]) for n in nodes}
        return {n: (style["color"], style["name"]) for n, style in styles.items()}
    if color_by == "cluster":
        index = explore_index(graph)
        where = index.community_of()
        names = {c["id"]: c["name"] for c in index.communities}
        counts = Counter(where.get(n) for n in nodes if where.get(n) is not None)
        ranked = [c for c, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
        colour = {c: CLUSTER_COLORS[i] for i, c in enumerate(ranked[: len(CLUSTER_COLORS)])}
        fills = {}
        for n in nodes:
            cluster = where.get(n)
            if cluster in colour:
                fills[n] = (colour[cluster], f"cluster: {one_line(names.get(cluster, cluster), 60)}")
            else:
                fills[n] = (OTHER_CLUSTERS, "other clusters")
        return fills
    styles = {n: TYPE_STYLE.get(graph.nodes[n].get("type"), OTHER_STYLE) for n in nodes}
    return {n: (style["color"], style["name"]) for n, style in styles.items()}


def _pairs(
    graph: nx.MultiDiGraph, nodes: list[str], edges: list[tuple[str, str, str]]
) -> dict[tuple[str, str], list[tuple]]:
    """The query's *edges* grouped by unordered pair: ``{(u, v): [(source, target, data, key), ...]}``."""
    order = {n: i for i, n in enumerate(nodes)}
    pairs: dict[tuple[str, str], list[tuple]] = {}
    succ = successors(graph)
    for u, v, key in edges:
        pair = (u, v) if order[u] < order[v] else (v, u)
        pairs.setdefault(pair, []).append((u, v, succ[u][v][key], key))
    for links in pairs.values():
        links.sort(key=lambda e: (edge_kind(e[2]) != STATED, -link_strength(e[2]), e[2]["relation"], e[0]))
    return pairs


def _pair_strength(links: list[tuple]) -> float:
    return sum(link_strength(link[2]) for link in links)


def _node_options(graph: nx.MultiDiGraph, node: str, center: Topic, xy: tuple[float, float], fill: str) -> dict:
    data = graph.nodes[node]
    style = TYPE_STYLE.get(data.get("type"), OTHER_STYLE)
    mentions = int(data.get("mention_count", 0))
    is_center = node == center.id
    ring = VENDOR_RING.get(data.get("vendor", ""))
    options = {
        "label": one_line(data.get("label", node), LABEL_WIDTH),
        "shape": style["shape"],
        "color": {
            "background": fill,
            "border": "#222222" if is_center else ring or fill,
            # Keep the fill when hovered or selected (vis-network would turn it blue).
            "highlight": {"background": fill, "border": "#222222"},
            "hover": {"background": fill, "border": "#222222"},
        },
        "borderWidth": 4 if is_center else 3 if ring else 1,
        "size": 30 if is_center else round(9 + 2.5 * math.sqrt(min(mentions, 60)), 1),
        "x": xy[0],
        "y": xy[1],
        "font": {"size": 18 if is_center else 13, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
    }
    return options


def _node_tooltip(data: dict, node: str, steps: int, center: Topic, type_name: str) -> str:
    label = one_line(data.get("label", node))
    vendor = VENDOR_LABELS.get(data.get("vendor", ""), "")
    lines = [f"{label} ({vendor + ' ' if vendor else ''}{type_name})"]
    aliases = [one_line(a) for a in data.get("aliases", []) if one_line(a) != label]
    if aliases:
        lines.append("Also written: " + one_line(", ".join(aliases), TOOLTIP_WIDTH))
    if data.get("definition"):
        lines.append(one_line(data["definition"], 2 * TOOLTIP_WIDTH))
    places = data.get("mentions") or []
    first = f" (first: {places[0]['file']}:{places[0]['line']})" if places else ""
    lines.append(f"Mentioned in {data.get('mention_count', 0)} place(s){first}")
    lines.append(f"{steps} step(s) from {one_line(center.label)}" if steps else "The topic in focus")
    return "\n".join(lines)


def _edge_options(graph: nx.MultiDiGraph, links: list[tuple]) -> dict:
    best = links[0][2]
    kind = edge_kind(best)
    relation = best["relation"]
    if kind == STATED:
        color = {"color": RELATION_COLOR.get(relation, "#666666")}
        width = round(1 + min(4.0, math.log2(1 + _pair_strength(links))), 2)
    else:  # quieter than what the notes state: pale, thin and see-through whatever the evidence
        color = dict(KIND_STYLE[kind])
        width = 1.5 if kind == "catalog" else 1
    return {
        "color": color,
        "dashes": KIND_DASHES[kind],
        "width": width,
        "arrows": "" if relation in UNDIRECTED else "to",
    }


def _edge_tooltip(graph: nx.MultiDiGraph, links: list[tuple]) -> str:
    lines = []
    for source, target, data, _ in links:
        kind = edge_kind(data)
        how = {"stated": "stated", "catalog": "from the service catalog", "inferred": "inferred"}[kind]
        count = f", {data.get('count', 1)}×" if data.get("count", 1) > 1 else ""
        lines.append(
            f"{one_line(graph.nodes[source].get('label', source))} -{data['relation']}-> "
            f"{one_line(graph.nodes[target].get('label', target))} ({how}{count}, weight {data.get('weight', 1.0):g})"
        )
        meaning = RELATIONS.get(data["relation"])
        if meaning and len(links) == 1:
            lines.append(f"· {meaning}")
        for ev in list(data.get("evidence", []))[:TOOLTIP_EVIDENCE]:
            where = f"{ev.get('file', '')}:{ev['line']}" if ev.get("line") else str(ev.get("file", ""))
            lines.append(f"· {one_line(where)}: {one_line(ev.get('text', ''), TOOLTIP_WIDTH)}")
    return "\n".join(lines)


def _options() -> dict:
    return {
        "physics": {"enabled": False},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.6}}, "selectionWidth": 2},
        "nodes": {"font": {"face": "sans-serif"}},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": True,
            "hideEdgesOnZoom": True,
            "navigationButtons": False,
            "keyboard": False,
        },
    }


# --- the legend ---------------------------------------------------------------------------------------------------


def legend_entries(
    graph: nx.MultiDiGraph,
    nodes: list[str],
    lines: list[dict],
    color_by: str = "type",
    fills: Mapping[str, tuple[str, str]] | None = None,
) -> list[dict]:
    """What each colour, shape and line of a view means, for the views's legend (plain data, labels as text).

    Each entry is ``{"kind": "fill" | "shape" | "ring" | "line", "label": ..., "color": ..., "shape": ...,
    "dashes": ...}``: the fills shown (types, clusters or statuses, by *color_by*),
    the shapes of the types (when the fill is not the type), the clouds' rings,
    then one line per relation drawn (*lines*: the data of each drawn line's
    strongest relation) in its colour, and the catalog and inferred line styles.
    """
    fills = fills if fills is not None else _fills(graph, nodes, color_by, {})
    types = list(dict.fromkeys(graph.nodes[n].get("type") for n in nodes))
    entries: list[dict] = []
    if color_by == "type":
        for kind in types:
            style = TYPE_STYLE.get(kind, OTHER_STYLE)
            entries.append({"kind": "fill", "label": style["name"], "color": style["color"], "shape": style["shape"]})
    else:
        order = list(dict.fromkeys(fills[n] for n in nodes))
        entries += [{"kind": "fill", "label": name, "color": colour, "shape": "dot"} for colour, name in order]
        for kind in types:
            style = TYPE_STYLE.get(kind, OTHER_STYLE)
            entries.append({"kind": "shape", "label": style["name"], "color": "#777777", "shape": style["shape"]})
    vendors = {graph.nodes[n].get("vendor") for n in nodes}
    entries += [
        {"kind": "ring", "label": f"{VENDOR_LABELS[vendor]} service", "color": ring, "shape": "dot"}
        for vendor, ring in VENDOR_RING.items()
        if vendor in vendors
    ]
    kinds = Counter(edge_kind(data) for data in lines)
    stated = sorted({data["relation"] for data in lines if edge_kind(data) == STATED})
    by_colour: dict[str, list[str]] = {}
    for relation in stated:  # relations that share a colour share a row: a short legend, every relation named
        by_colour.setdefault(RELATION_COLOR.get(relation, "#666666"), []).append(_relation_name(relation))
    entries += [
        {"kind": "line", "label": ", ".join(names), "color": c, "dashes": False} for c, names in by_colour.items()
    ]
    if kinds["catalog"]:
        entries.append(
            {"kind": "line", "label": "from the service catalog", "color": "#8A8A8A", "dashes": KIND_DASHES["catalog"]}
        )
    if kinds["inferred"]:
        entries.append(
            {"kind": "line", "label": "mentioned together", "color": "#B8B8B8", "dashes": KIND_DASHES["inferred"]}
        )
    return entries


def _legend_html(entries: list[dict], hint: str) -> str:
    """The downloaded page's legend (a collapsible ``<details>``), every label HTML-escaped."""
    rows = []
    for entry in entries:
        label, colour = html_lib.escape(entry["label"]), html_lib.escape(entry["color"])
        if entry["kind"] == "line":
            style = "dotted" if entry["dashes"] == KIND_DASHES["catalog"] else "dashed" if entry["dashes"] else "solid"
            rows.append(f'<span class="line" style="border-top:2px {style} {colour}"></span>{label}')
        elif entry["kind"] == "ring":
            rows.append(f'<span class="swatch" style="border:3px solid {colour};border-radius:50%"></span>{label}')
        else:
            rows.append(f'<span class="swatch" style="background:{colour};{_shape_css(entry["shape"])}"></span>{label}')
    rows.append(f'<span class="hint">{html_lib.escape(hint)}</span>')
    return '<details id="notes-graph-legend" open><summary>Legend</summary>' + "<br>".join(rows) + "</details>"


def _shape_css(shape: str) -> str:
    return {
        "dot": "border-radius:50%",
        "diamond": "transform:rotate(45deg) scale(0.8)",
        "triangle": "clip-path:polygon(50% 0,100% 100%,0 100%)",
    }.get(shape, "")


# --- the page -----------------------------------------------------------------------------------------------------


def script_json(value) -> str:
    """*value* as JSON that cannot end or confuse the ``<script>`` block it is written into."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _finish(page: str, title: str, legend: list[dict]) -> str:
    """pyvis's page made standalone and offline, with the view's title and legend."""
    page = _OUTSIDE_TAG.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _DEAD_LINKS.sub("", page)
    name = html_lib.escape(f"Notes Graph: {title}")
    head = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n<title>{name}</title>\n'
    page = page.replace("<head>", "<head>\n" + head, 1).replace("</head>", _STYLE + "</head>", 1)
    heading = f'<h1 id="notes-graph-title">{html_lib.escape(title)}</h1>'
    canvas = heading + '<div id="mynetwork"></div>' + _legend_html(legend, PAGE_HINT)
    page = page.replace('<div id="mynetwork" class="card-body"></div>', canvas, 1)
    return "<!DOCTYPE html>\n" + page


def outside_references(html: str) -> list[str]:
    """URLs in *html* that a browser would fetch from another host (src/href/url()/@import); [] when offline.

    Plain strings inside scripts (vis-network's licence comments, the SVG
    namespace) are not references and are not reported.
    """
    found = re.findall(r"""\b(?:src|href|action|poster|data)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", html, re.I)
    found += re.findall(r"""url\(\s*["']?\s*((?:https?:)?//[^"')\s]+)""", html, re.I)
    found += re.findall(r"""@import\s+["']((?:https?:)?//[^"']+)""", html, re.I)
    return found


__all__ = [
    "APP_HINT",
    "COLOR_BY",
    "CSP",
    "FOCUS_PARAM",
    "PAGE_HINT",
    "GraphView",
    "Highlight",
    "drawn_node_ids",
    "layout",
    "legend_entries",
    "node_tip_texts",
    "outside_references",
    "packed",
    "render_neighborhood",
    "script_json",
    "standalone_page",
    "tip_texts",
    "view_tips",
    "view_title",
]
