"""Script payloads in notes stay text: in the graph, its JSON and GraphML files, markdown and the HTML view.

The corpus is ``tests/xss_payloads.py``; the real-browser test of the app uses
it too. Here each payload is followed from the note into every output a
person or another program opens, and each output is parsed the way its reader
parses it (JSON, XML, CommonMark, HTML) to prove that no payload became markup.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import networkx as nx
import pytest
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from xss_payloads import FILE_NAME_PAYLOADS, LABEL_PAYLOADS, PAYLOADS, literal, xss_notes

from graph.query.neighborhood import neighborhood
from graph.sources.markdown import clean_title
from graph.store.build import build_notes, build_uploads
from graph.store.graphfile import export_graphml, load_graph, save_graph
from graph.ui.escape import markdown_text, one_line, tooltip_text

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
ALL_PAYLOADS = (*PAYLOADS, *LABEL_PAYLOADS, *FILE_NAME_PAYLOADS)


@pytest.fixture(scope="module")
def xss_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xss") / "notes"
    folder.mkdir()
    for name, text in xss_notes().items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def xss_graph(xss_folder):
    result = build_notes(xss_folder)
    assert result.problems == []
    return result.graph


def _texts(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Every piece of note text in the graph, by field."""
    found: dict[str, set[str]] = {"evidence": set(), "section": set(), "label": set(), "alias": set()}
    places = [ev for _, data in graph.nodes(data=True) for ev in data["mentions"]]
    places += [ev for *_, data in graph.edges(data=True) for ev in data["evidence"]]
    for ev in places:
        found["evidence"].add(ev["text"])
        found["section"].update(ev["section"])
    for _, data in graph.nodes(data=True):
        found["label"].add(data["label"])
        found["alias"].update(data["aliases"])
    return found


def _strings(value) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _json_or_text(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return text


def test_the_corpus_is_what_the_report_counts():
    assert (len(PAYLOADS), len(LABEL_PAYLOADS), len(FILE_NAME_PAYLOADS)) == (45, 5, 5)
    assert len(set(ALL_PAYLOADS)) == 55


def test_every_payload_reaches_the_graph_as_the_text_written(xss_graph):
    found = _texts(xss_graph)
    for payload in PAYLOADS:
        assert any(payload in text for text in found["evidence"]), payload
        # Headings lose trailing punctuation (clean_title), so the section holds the payload less its last ">".
        assert clean_title(f"Amazon SQS {payload}") in found["section"], payload
    for payload in LABEL_PAYLOADS:
        assert payload in found["label"], payload
        assert f"{payload}s" in found["alias"], payload
    assert set(FILE_NAME_PAYLOADS) <= set(xss_graph.graph["files"])


def test_uploaded_payload_file_names_are_kept_as_text():
    files = [(name, text.encode()) for name, text in xss_notes().items() if name in FILE_NAME_PAYLOADS]
    graph = build_uploads(files).graph
    assert graph.graph["files"] == sorted(FILE_NAME_PAYLOADS)
    mention_files = {ev["file"] for ev in graph.nodes["service:sns"]["mentions"]}
    assert mention_files == set(FILE_NAME_PAYLOADS)


def test_graph_json_round_trips_every_payload_as_a_string(xss_graph, tmp_path):
    path = save_graph(xss_graph, tmp_path / "xss.graph.json")
    raw = path.read_text("utf-8")
    data = json.loads(raw)
    strings = set(_strings(data))
    assert set(LABEL_PAYLOADS) | set(FILE_NAME_PAYLOADS) <= strings
    assert all(any(p in s for s in strings) for p in PAYLOADS)
    loaded = load_graph(path)
    assert dict(loaded.nodes(data=True)) == dict(xss_graph.nodes(data=True))
    assert save_graph(loaded, tmp_path / "again.json").read_text("utf-8") == raw


def test_graphml_is_well_formed_xml_and_payloads_are_character_data(xss_graph, tmp_path):
    path = export_graphml(xss_graph, tmp_path / "xss.graphml")
    builder = ET.TreeBuilder(insert_comments=True, insert_pis=True)
    root = ET.parse(path, parser=ET.XMLParser(target=builder)).getroot()
    tags = Counter(element.tag for element in root.iter())
    # Only GraphML's own elements: no payload became an element, a comment or a processing instruction.
    assert set(tags) == {f"{GRAPHML}{name}" for name in ("graphml", "key", "graph", "node", "edge", "data")}
    assert tags[f"{GRAPHML}node"] == xss_graph.number_of_nodes()
    texts = [element.text or "" for element in root.iter(f"{GRAPHML}data")]
    assert set(LABEL_PAYLOADS) <= set(texts)
    # Lists and dicts are written as JSON text: read them back to find the payloads inside.
    strings = [s for text in texts for s in _strings(_json_or_text(text))]
    assert all(any(p in s for s in strings) for p in PAYLOADS)
    back = nx.read_graphml(path)
    assert {data["label"] for _, data in back.nodes(data=True)} == {
        data["label"] for _, data in xss_graph.nodes(data=True)
    }


@pytest.mark.parametrize("payload", ALL_PAYLOADS)
def test_markdown_text_renders_as_exactly_the_payload_text(payload):
    # CommonMark with raw HTML allowed, as Streamlit's markdown is: the escaped text must come out as text.
    rendered = MarkdownIt("commonmark").render(markdown_text(payload))
    assert rendered == f"<p>{escapeHtml(one_line(payload))}</p>\n"


def test_tooltip_text_defuses_href_and_keeps_the_rest():
    for payload in ALL_PAYLOADS:
        text = tooltip_text(payload)
        assert "href" not in text.lower()
        assert text.replace("\u2060", "") == " ".join(payload.replace("\u2028", "").replace("\u2029", "").split())


def test_literal_keeps_payloads_from_being_markdown():
    md = MarkdownIt("commonmark")
    for payload in ALL_PAYLOADS:
        tokens = md.parseInline(literal(payload))[0].children
        assert [t.type for t in tokens] == ["text"] * len(tokens), payload
        assert "".join(t.content for t in tokens) == payload


class _Page(HTMLParser):
    """Tags, attribute names and script bodies of an HTML page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.attributes: set[str] = set()
        self.styles: set[str] = set()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.attributes.update(name for name, _ in attrs)
        self.styles.update(value or "" for name, value in attrs if name == "style")
        self.urls += [value or "" for name, value in attrs if name in ("href", "src", "action", "data", "formaction")]
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_html_view_draws_payloads_as_data_never_as_markup(xss_graph, bundled_graph):
    from graph.ui.view import render_neighborhood

    hood = neighborhood(xss_graph, "service:sqs", depth=2)
    view = render_neighborhood(xss_graph, hood)
    plain = render_neighborhood(bundled_graph, neighborhood(bundled_graph, "service:sqs", depth=1))
    # The legend has a row per colour the view shows, so it differs between views: checked on its own below.
    legend = re.compile(r'<details id="notes-graph-legend".*?</details>', re.DOTALL)
    page, reference = _page(legend.sub("", view.html)), _page(legend.sub("", plain.html))
    rows = _page(legend.search(view.html).group(0))
    assert set(rows.tags) <= {"details", "summary", "span", "br"}
    assert rows.tags["span"] == len(view.data["legend"]) + 1  # a mark per entry, and the hint
    # The same page structure as for ordinary notes: no payload added a tag, an attribute or a URL.
    assert page.tags == reference.tags
    assert page.attributes == reference.attributes
    assert not any(url.strip().lower().startswith(("javascript:", "data:text")) for url in page.urls)
    assert len(page.scripts) == len(reference.scripts)
    for payload in ALL_PAYLOADS:
        if "<" in payload:  # note text reaches the page only as JSON with "<" written \\u003c
            assert payload not in view.html, payload
    start = view.html.index("nodes = new vis.DataSet(") + len("nodes = new vis.DataSet(")
    nodes, _ = json.JSONDecoder().raw_decode(view.html, start)
    titles = {node["id"]: node["title"] for node in nodes}
    drawn = {xss_graph.nodes[n]["label"]: n for n in titles}
    assert set(LABEL_PAYLOADS) <= set(drawn)
    for payload in LABEL_PAYLOADS:
        assert titles[drawn[payload]].startswith(f"{payload} ("), payload


def test_markdown_gap_report_renders_to_html_without_payload_markup(xss_graph):
    from graph.gaps.report import gap_report
    from graph.ui.report import format_markdown

    report = gap_report(xss_graph)
    assert len(report.unfinished) >= len(PAYLOADS)  # every payload note has a TODO line with its payload
    html = MarkdownIt("commonmark").enable("table").render(format_markdown(report, limit=1000))
    page = _page(html)
    assert set(page.tags) <= {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "code", "br", "a"} | {
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    assert page.attributes <= {"href", "start", "style"}
    assert page.styles <= {"text-align:left", "text-align:right", "text-align:center"}  # table columns
    assert not any(url.strip().lower().startswith("javascript:") for url in page.urls)
    assert page.scripts == []
