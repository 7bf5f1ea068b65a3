"""The neighbourhood of a topic as a standalone, interactive HTML page (pyvis / vis-network).

:func:`render_neighborhood` takes a :class:`~graph.query.neighborhood.Neighborhood`
(the topics around a centre, already filtered and capped by the query) and
returns a :class:`GraphView`: the page, the node ids drawn and what the cap
left out. The page

* is laid out in Python (:func:`layout`: rings by distance, then a few
  NetworkX spring iterations) and drawn with physics off, so 300 topics draw
  in about a second instead of the 10 s or more vis-network's own simulation
  takes to settle;
* loads nothing: vis-network's JavaScript and CSS are inlined from the pyvis
  package, the Bootstrap links pyvis adds are removed, and a
  Content-Security-Policy forbids any outside request;
* shows note text only as text: tooltips are plain strings, which
  vis-network shows with ``innerText`` (see :func:`graph.ui.escape.tooltip_text`);
  node data reaches the page as JSON escaped for a ``<script>`` block;
* colours and shapes topics by type, draws stated relations solid, catalog
  links dotted and inferred co-occurrence dashed, with a legend;
* on a click on a topic, asks the app to refocus on it (:data:`REFOCUS_SCRIPT`):
  inside the app (a same-origin iframe) it sets the ``focus`` query parameter
  of the app's URL with ``history.pushState`` and fires ``popstate``, which
  Streamlit answers by rerunning the script with the new query parameters (the
  browser's Back button then returns to the previous topic); where the parent
  page is out of reach it posts a message instead. Opened on its own (a
  download), a click only selects.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
from pyvis.network import Network

from graph.model import INFERRED, RELATIONS
from graph.query.neighborhood import Neighborhood
from graph.query.results import Topic
from graph.store.edges import STATED, edge_kind, link_strength
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
#: Relations drawn without an arrow (no direction to show).
UNDIRECTED = {"compared_with", INFERRED}
#: Pixels of canvas per topic side: the layout covers about ``SPACING * sqrt(n)`` pixels across.
SPACING = 110
#: Spring iterations after the ring start; seed, so the same view always looks the same.
SPRING_ITERATIONS = 50
SEED = 42
#: Spring length relative to NetworkX's default (1 / sqrt(n)): longer springs spread dense neighbourhoods.
SPREAD = 2.0
#: Evidence lines per relation in an edge tooltip; characters per evidence line and label.
TOOLTIP_EVIDENCE = 2
TOOLTIP_WIDTH = 160
LABEL_WIDTH = 32
#: Query parameter the click script sets on the app's URL.
FOCUS_PARAM = "focus"

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
  #mynetwork { float: none; border: 1px solid #e6e6e6; border-radius: 6px; }
  .vis-tooltip { white-space: pre-wrap !important; max-width: 34em; font-family: inherit !important;
                 font-size: 13px !important; line-height: 1.35; }
  #notes-graph-legend { position: absolute; top: 8px; left: 8px; background: rgba(255,255,255,0.92);
                        border: 1px solid #e6e6e6; border-radius: 6px; padding: 6px 10px; font-size: 12px;
                        line-height: 1.5; color: #333; pointer-events: none; }
  #notes-graph-legend .swatch { display: inline-block; width: 11px; height: 11px; margin-right: 5px;
                                vertical-align: -1px; }
  #notes-graph-legend .line { display: inline-block; width: 26px; margin-right: 5px; vertical-align: 3px;
                              border-top: 2px solid #444; }
  #notes-graph-legend .hint { color: #777; }
</style>
"""

# The click goes back to the app through the parent page's URL (see the module docstring). ES5 syntax, so the
# downloaded page works in any browser; CONFIG is JSON escaped for a <script> block.
REFOCUS_SCRIPT = """
<script type="text/javascript">
(function () {
  var CONFIG = %s;
  window.notesGraphView = CONFIG;
  // The first drawing may already be done by now: draw once more, so the time the graph is on screen is known.
  network.once("afterDrawing", function () { window.notesGraphDrawnAt = Date.now(); });
  network.redraw();
  function parentPage() {
    if (window.parent === window) { return null; }
    try { return window.parent.location.href ? window.parent : null; } catch (err) { return null; }
  }
  function refocus(id) {
    if (id === CONFIG.center) { return; }
    var host = parentPage();
    if (host) {
      var url = new URL(host.location.href);
      url.searchParams.set(CONFIG.param, id);
      host.history.pushState({}, "", url.toString());
      host.dispatchEvent(new PopStateEvent("popstate", {state: {}}));
    } else if (window.parent !== window) {
      window.parent.postMessage({type: "notes-graph:focus", param: CONFIG.param, id: id}, "*");
    }
  }
  window.notesGraphRefocus = refocus;
  network.on("click", function (params) {
    if (params.nodes.length === 1) { refocus(params.nodes[0]); }
  });
})();
</script>
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

    ``html`` is the standalone page; ``nodes`` the ids drawn, centre first
    (closest, then most strongly tied); ``edges`` how many lines were drawn
    (one per linked pair); ``left_out`` counts per distance the topics the cap
    left out; ``hidden_hubs`` the hubs the query left out.
    """

    html: str
    center: Topic
    depth: int
    nodes: list[str]
    edges: int
    left_out: dict[int, int] = field(default_factory=dict)
    hidden_hubs: list[Topic] = field(default_factory=list)

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
) -> GraphView:
    """Draw *hood* (from :func:`graph.query.neighborhood.neighborhood`) as a standalone page of *height* pixels.

    Every topic of the result is drawn, with the relations among them that
    the query followed (``hood.edges``; one line per linked pair, its tooltip
    lists each relation with its evidence). With *highlight*, its topics get a
    thick dark border and its links are drawn wide. Returns a :class:`GraphView`.
    """
    center = hood.center.id
    distance = {center: 0} | {n.topic.id: n.distance for n in hood.neighbors}
    nodes = list(distance)
    pairs = _pairs(graph, nodes, hood.edges)
    positions = layout(nodes, {pair: _pair_strength(links) for pair, links in pairs.items()}, center, distance)
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    net.options = _options()
    for node in nodes:
        options = _node_options(graph, node, distance[node], hood.center, positions[node])
        if highlight and node in highlight.nodes:
            options["borderWidth"], options["color"]["border"] = 6, "#000000"
        net.add_node(node, **options)
    for links in pairs.values():
        source, target, _ = links[0]  # drawn in the direction of the strongest relation
        options = _edge_options(graph, links)
        if highlight and highlight.has_link(source, target):
            options["width"], options["dashes"] = options["width"] + 4, False
        net.add_edge(source, target, **options)
    vendors = {graph.nodes[n].get("vendor") for n in nodes} - {None}
    html = _finish(net.generate_html(), {"center": center, "param": focus_param}, vendors)
    return GraphView(html, hood.center, hood.depth, nodes, len(pairs), dict(hood.left_out), list(hood.hidden_hubs))


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
    (at least ``4 * SPACING``).
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
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    # Log-scaled, so one heavily evidenced pair does not pull its ends on top of each other.
    simple.add_weighted_edges_from((u, v, 1.0 + math.log1p(w)) for (u, v), w in weights.items())
    spread = nx.spring_layout(
        simple, pos=start, k=SPREAD / math.sqrt(len(nodes)), iterations=SPRING_ITERATIONS, seed=SEED, weight="weight"
    )
    cx, cy = spread[center]
    radius = max(math.hypot(x - cx, y - cy) for x, y in spread.values()) or 1.0
    # Never smaller than a 16-topic view: vis-network does not zoom in past 1:1, so a few topics would huddle.
    scale = SPACING * math.sqrt(max(len(nodes), 16)) / 2 / radius
    return {n: (round((x - cx) * scale, 1), round((y - cy) * scale, 1)) for n, (x, y) in spread.items()}


# --- nodes and edges ----------------------------------------------------------------------------------------------


def _pairs(
    graph: nx.MultiDiGraph, nodes: list[str], edges: list[tuple[str, str, str]]
) -> dict[tuple[str, str], list[tuple]]:
    """The query's *edges* grouped by unordered pair: ``{(u, v): [(source, target, data), ...]}``."""
    order = {n: i for i, n in enumerate(nodes)}
    pairs: dict[tuple[str, str], list[tuple]] = {}
    for u, v, key in edges:
        pair = (u, v) if order[u] < order[v] else (v, u)
        pairs.setdefault(pair, []).append((u, v, graph.edges[u, v, key]))
    for links in pairs.values():
        links.sort(key=lambda e: (edge_kind(e[2]) != STATED, -link_strength(e[2]), e[2]["relation"], e[0]))
    return pairs


def _pair_strength(links: list[tuple]) -> float:
    return sum(link_strength(data) for _, _, data in links)


def _node_options(graph: nx.MultiDiGraph, node: str, steps: int, center: Topic, xy: tuple[float, float]) -> dict:
    data = graph.nodes[node]
    style = TYPE_STYLE.get(data.get("type"), OTHER_STYLE)
    mentions = int(data.get("mention_count", 0))
    is_center = node == center.id
    ring = VENDOR_RING.get(data.get("vendor", ""))
    options = {
        "label": one_line(data.get("label", node), LABEL_WIDTH),
        "title": tooltip_text(_node_tooltip(data, node, steps, center, style["name"])),
        "shape": style["shape"],
        "color": {
            "background": style["color"],
            "border": "#222222" if is_center else ring or style["color"],
            # Keep the type's colour when hovered or selected (vis-network would turn it blue).
            "highlight": {"background": style["color"], "border": "#222222"},
            "hover": {"background": style["color"], "border": "#222222"},
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
    if steps:
        lines.append(f"{steps} step(s) from {one_line(center.label)}; click to focus on it")
    else:
        lines.append("The topic in focus")
    return "\n".join(lines)


def _edge_options(graph: nx.MultiDiGraph, links: list[tuple]) -> dict:
    best = links[0][2]
    kind = edge_kind(best)
    relation = best["relation"]
    return {
        "title": tooltip_text(_edge_tooltip(graph, links)),
        "color": {"color": RELATION_COLOR.get(relation, "#666666") if kind == STATED else "#A0A0A0"},
        "dashes": KIND_DASHES[kind],
        "width": round(1 + min(4.0, math.log2(1 + _pair_strength(links))), 2),
        "arrows": "" if relation in UNDIRECTED else "to",
    }


def _edge_tooltip(graph: nx.MultiDiGraph, links: list[tuple]) -> str:
    lines = []
    for source, target, data in links:
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


# --- the page -----------------------------------------------------------------------------------------------------


def _legend(vendors: Iterable[str] = ()) -> str:
    rows = [
        f'<span class="swatch" style="background:{s["color"]};{_shape_css(s["shape"])}"></span>{s["name"]}'
        for s in TYPE_STYLE.values()
    ]
    rows += [
        f'<span class="swatch" style="background:{TYPE_STYLE["service"]["color"]};border:3px solid {ring};'
        f'{_shape_css("dot")}"></span>{VENDOR_LABELS[vendor]} service'
        for vendor, ring in VENDOR_RING.items()
        if vendor in vendors
    ]
    rows += [
        '<span class="line" style="border-top-color:#0072B2"></span>stated (colour by relation)',
        '<span class="line" style="border-top:2px dotted #A0A0A0"></span>from the service catalog',
        '<span class="line" style="border-top:2px dashed #A0A0A0"></span>inferred: mentioned together',
        '<span class="hint">Hover for evidence; click a topic to focus on it</span>',
    ]
    return '<div id="notes-graph-legend">' + "<br>".join(rows) + "</div>"


def _shape_css(shape: str) -> str:
    return {
        "dot": "border-radius:50%",
        "diamond": "transform:rotate(45deg) scale(0.8)",
        "triangle": "clip-path:polygon(50% 0,100% 100%,0 100%)",
    }.get(shape, "")


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


def _finish(page: str, config: dict, vendors: Iterable[str] = ()) -> str:
    """pyvis's page made standalone and offline, with the legend and the refocus script."""
    page = _OUTSIDE_TAG.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _DEAD_LINKS.sub("", page)
    head = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n<title>Notes Graph view</title>\n'
    page = page.replace("<head>", "<head>\n" + head, 1).replace("</head>", _STYLE + "</head>", 1)
    canvas = '<div id="mynetwork"></div>' + _legend(vendors)
    page = page.replace('<div id="mynetwork" class="card-body"></div>', canvas, 1)
    body_end = page.rindex("</body>")
    page = page[:body_end] + REFOCUS_SCRIPT % script_json(config) + page[body_end:]
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
    "CSP",
    "FOCUS_PARAM",
    "GraphView",
    "Highlight",
    "drawn_node_ids",
    "layout",
    "outside_references",
    "render_neighborhood",
    "script_json",
]
