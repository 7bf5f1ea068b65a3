"""Property and fuzz tests: hostile, random and mutated notes never crash any stage.

Each test drives one path a real note takes, from bytes on disk or in an
upload to the graph file, the queries, the gap report and the HTML view, with
notes built to break it: unbalanced emphasis, deep nesting, giant tables,
control characters, lone surrogates (as the bytes a broken encoder writes),
mixed encodings, long lines, zero-width and bidi characters, raw HTML. What
must hold is stated per test; any exception is a failure.

Example counts come from ``tests/conftest_fuzz.py`` (``NOTES_GRAPH_FUZZ=thorough``
for a long run; it also builds notes of up to 2 MB of each hostile shape of ``benchmarks/hostile.py``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import sys
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from conftest_fuzz import fuzz_settings, thorough
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from graph.cli.explore import format_neighborhood, format_routes
from graph.cli.gaps import format_markdown, format_text
from graph.extract.note import extract_note
from graph.extract.pipeline import make_pipeline, pipeline_catalog
from graph.gaps.report import gap_report
from graph.query.describe import describe_entity, summarize
from graph.query.find import AmbiguousName, NodeNotFound, find_node, suggest
from graph.query.neighborhood import neighborhood
from graph.query.overview import graph_overview, topic_clusters
from graph.query.paths import find_routes
from graph.query.related import related_topics
from graph.sources import notes as ingest
from graph.sources.markdown import parse_note
from graph.sources.notes import NoNotesError, decode_note, read_uploads
from graph.sources.syllabus import load_syllabus
from graph.store.build import build_graph, build_uploads
from graph.store.graphfile import GraphFileError, export_graphml, graph_from_json, graph_to_json, load_graph, save_graph
from graph.ui.view import render_neighborhood

BIG = thorough()
#: Line limit while fuzzing: small, so that cutting lines is exercised without spending time on 20,000-char lines.
FUZZ_LINE_LIMIT = 300

# --- strategies ---------------------------------------------------------------------------------------------------

NAMES = [
    "Amazon SQS", "SQS", "sqs", "S3", "Amazon S3 Glacier", "Kinesis Data Firehose", "Firehose", "Lambda", "AWS Glue",
    "Glue", "Batch 3", "Amazon Redshift", "DynamoDB", "Kafka", "Snow Family", "Snowball", "Data Lake", "data-lakes",
]  # fmt: skip
CUES = ["vs", "versus", "whereas", "integrates with", "delivers to", "is a", "=", "->", "→", "<->", "part of",
        "used for", "provides", "reads from", "e.g.", "such as", ":", "—", " - ", "(", ")", ","]  # fmt: skip
MARKUP = ["*", "**", "_", "__", "`", "``", "~~", "[", "]", "](", "](#)", "![", "<", ">", "<b>", "</b>", "<!--",
          "&amp;", "&#0;", "&#xD800;", "&nbsp;", "\\", "|", "#", "---", "```", "$$", ":red[", "{{", "}}"]  # fmt: skip
HOSTILE = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\x9b", "\r", "\t",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",  # zero-width and invisible
    "\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
    "\u2028", "\u2029", "\u00a0", "\u3000", "\ufffd", "\ufffe", "\uffff", "\U0010ffff", "\ufdd0",
    "\u0301\u0301\u0301", "👩‍👩‍👧‍👦", "🏳️‍🌈", "ﷺ", "𝔸𝕨𝕤", "Ａｍａｚｏｎ", "שלום", "مرحبا", "日本語", "İı", "ß", "ﬁ",
    "â€”", "â€œ", "Ã©", "ðŸš€", "ğŸŸ£",  # mojibake
]  # fmt: skip
WORDS = ["queue", "stream", "the", "data", "to", "of", "Use cases", "Key points", "Supported targets", "TODO",
         "What is", "Overview", "1.", "2)", "a", "Pattern A", "https://x.io/a_b.md", "10.0.0.1", "5 GB"]  # fmt: skip

token = st.one_of(
    st.sampled_from(NAMES), st.sampled_from(CUES), st.sampled_from(MARKUP), st.sampled_from(HOSTILE),
    st.sampled_from(WORDS), st.text(max_size=8),
)  # fmt: skip


@st.composite
def inline(draw, max_tokens: int = 12) -> str:
    """A line of text: names, cue words, markup and hostile characters, joined by random whitespace."""
    parts = draw(st.lists(token, max_size=max_tokens))
    seps = draw(st.lists(st.sampled_from([" ", "", "  ", " \t", "\u00a0"]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=True)).replace("\n", " ")


@st.composite
def block(draw) -> str:
    """One markdown construct, often malformed."""
    kind = draw(st.integers(0, 12))
    text = draw(inline())
    if kind == 0:
        return "#" * draw(st.integers(1, 8)) + draw(st.sampled_from([" ", "", "  "])) + text
    if kind == 1:  # a list, nested up to past the nesting limit
        depth = draw(st.integers(1, 60 if BIG else 45))
        marker = draw(st.sampled_from(["- ", "* ", "+ ", "1. ", "2) ", "-", "- [ ] "]))
        return "\n".join("  " * i + marker + draw(inline(4)) for i in range(draw(st.integers(1, depth))))
    if kind == 2:  # block quotes, deeper than the nesting limit
        return ">" * draw(st.integers(1, 60)) + " " + text
    if kind == 3:  # a table, sometimes giant, sometimes ragged
        cols, rows = draw(st.integers(1, 60 if BIG else 12)), draw(st.integers(0, 80 if BIG else 12))
        cell = draw(inline(3)).replace("|", "\\|")
        head = "|" + "|".join([cell] * cols) + "|"
        rule = "|" + "|".join(draw(st.sampled_from(["---", ":--", "--:", ":-:", "-"])) for _ in range(cols)) + "|"
        ragged = draw(st.booleans())
        body = ["|" + "|".join([cell] * (cols + (i % 3 if ragged else 0))) for i in range(rows)]
        return "\n".join([head, rule, *body])
    if kind == 4:  # a code fence, maybe never closed
        fence = draw(st.sampled_from(["```", "~~~", "````"]))
        return f"{fence}{draw(st.sampled_from(['', 'python', '{.x}']))}\n{text}\n" + draw(st.sampled_from([fence, ""]))
    if kind == 5:  # a label and the items under it
        label = draw(st.sampled_from(["**Use cases**", "Supported targets:", "Common consumers:", "What it is:", text]))
        return label + "\n" + "\n".join("- " + draw(inline(5)) for _ in range(draw(st.integers(0, 5))))
    if kind == 6:
        return "---\n" + text + "\n" + draw(st.sampled_from(["---", "...", ""]))  # front matter or a rule
    if kind == 7:  # unbalanced emphasis and links
        opener = draw(st.sampled_from(["*", "**", "***", "_", "__", "[", "![", "`", "<"]))
        return (opener * draw(st.integers(1, 40))) + text + draw(st.sampled_from(["", "*", "]", ")", "`"]))
    if kind == 8:  # a long line (cut by the line limit while fuzzing)
        return text * draw(st.integers(1, 60 if BIG else 30))
    if kind == 9:  # raw HTML
        return draw(st.sampled_from(["<div>", "<script>alert(1)</script>", "<!-- x", "<details>", "</div>"])) + text
    if kind == 10:  # setext heading, reference definition, arrow chain
        return text + "\n" + draw(st.sampled_from(["===", "---", f"[{text}]: <x>", "-> " + draw(inline(4))]))
    return text


@st.composite
def note_text(draw) -> str:
    blocks = draw(st.lists(block(), max_size=30 if BIG else 12))
    joins = draw(st.lists(st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\n\n\n"]), min_size=len(blocks),
                          max_size=len(blocks)))  # fmt: skip
    return "".join(b + j for b, j in zip(blocks, joins, strict=True))


RAW_BYTES = [b"\xff", b"\xfe", b"\xc0\x80", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xe2\x80", b"\xf0\x9f", b"\x81",
             b"\x9d", b"\xef\xbb\xbf", b"\x00", b"\r", b"\x1a"]  # fmt: skip
ENCODINGS = ["utf-8", "utf-8", "utf-8", "cp1252", "latin-1", "utf-8-sig", "utf-16", "mac_roman", "cp437"]


@st.composite
def note_bytes(draw) -> bytes:
    """A note's bytes: pieces in mixed encodings, with invalid bytes and lone surrogates (CESU-8) spliced in."""
    out = []
    for piece in draw(st.lists(note_text(), min_size=1, max_size=3)):
        encoding = draw(st.sampled_from(ENCODINGS))
        out.append(piece.encode(encoding, errors="replace"))
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(RAW_BYTES)))
    return b"".join(out)


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """*seed* with random byte-level edits: flips, deletions, duplications and hostile insertions."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 12))):
        if not data:
            data.extend(draw(st.binary(max_size=8)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.integers(0, 4))
        if edit == 0:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == 1:
            del data[at : at + draw(st.integers(1, 64))]
        elif edit == 2:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif edit == 3:
            data[at:at] = draw(st.sampled_from(RAW_BYTES + [h.encode() for h in HOSTILE + MARKUP]))
        else:
            data[at:at] = draw(st.binary(max_size=16))
    return bytes(data)


SEED = b"""# Amazon Kinesis Data Firehose \xe2\x80\x94 Delivery Service

**Use cases**
- Loading streams into **Amazon S3** and Amazon Redshift
- Near real-time analytics vs batch ETL

Producers \xe2\x86\x92 Kinesis \xe2\x86\x92 Firehose \xe2\x86\x92 S3

| Service | Role |
|---|---|
| SQS | queue |

> Amazon SQS is a managed queue. TODO: add DLQ notes [link](#)
"""

# --- helpers ------------------------------------------------------------------------------------------------------

#: Crashes found by these tests in modules owned by others, reported with a reproduction and pinned by an
#: xfail(strict=True) test below: (module, function, exception text). Inputs that hit one are rejected so the
#: search goes on for new ones. Remove an entry when its xfail test starts passing.
KNOWN_CRASHES: list[tuple[str, str, str]] = []


def _known(err: BaseException) -> bool:
    last = traceback.extract_tb(err.__traceback__)[-1]
    text = f"{type(err).__name__}: {err}"
    return any(last.filename.endswith(f) and last.name == fn and text == t for f, fn, t in KNOWN_CRASHES)


def _known_message(message: str) -> bool:
    """A build problem that one of :data:`KNOWN_CRASHES` caused (build turns a crash into a message)."""
    return any(message == f"could not be analysed ({t})" for _, _, t in KNOWN_CRASHES)


def _analyse(note, nlp):
    try:
        parsed = parse_note(note)
        return parsed, extract_note(parsed, nlp)
    except Exception as err:
        if _known(err):
            reject()
        raise


_LINE_BREAKS = re.compile(rb"\r\n|\r|\n")
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\r]")


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


@pytest.fixture(scope="module", autouse=True)
def small_line_limit():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest, "MAX_LINE_CHARS", FUZZ_LINE_LIMIT)
        yield


def _check_note(raw: bytes, note, problem) -> None:
    """What every decoded note must satisfy, whatever its bytes were."""
    if note is None:
        assert problem is not None and problem.skipped and problem.message
        return
    text = note.text
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    assert text.count("\n") == len(_LINE_BREAKS.findall(body))  # line numbers never move
    assert not _FORBIDDEN.search(text)
    assert max(len(line) for line in text.split("\n")) <= FUZZ_LINE_LIMIT
    text.encode("utf-8")  # no lone surrogate can reach the graph file
    assert problem is None or (not problem.skipped and problem.message)


def _check_extraction(parsed, extraction) -> None:
    lines = parsed.note.text.count("\n") + 1
    places = [m.evidence for m in extraction.mentions] + [r.evidence for r in extraction.relations]
    places += [d.evidence for d in extraction.definitions]
    for evidence in places:
        assert evidence.file == parsed.path
        assert 1 <= evidence.line <= lines
        assert len(evidence.text) <= 500
    for section in parsed.sections:
        assert 1 <= section.start_line <= section.end_line <= lines or section.id == 0


def _no_crashes(result) -> None:
    """No note was lost to a crash in analysis (build reports one as "could not be analysed")."""
    crashed = [p.message for p in result.problems if p.message.startswith("could not be analysed")]
    if crashed and all(_known_message(m) for m in crashed):
        reject()
    assert crashed == []


def _round_trip(graph: nx.MultiDiGraph, tmp_path) -> None:
    """The graph file loads back identical, and saving what was loaded gives the same bytes."""
    path = save_graph(graph, tmp_path / "g.json")
    loaded = load_graph(path)
    assert dict(loaded.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(loaded.edges(keys=True, data=True), key=repr) == sorted(graph.edges(keys=True, data=True), key=repr)
    assert save_graph(loaded, tmp_path / "again.json").read_bytes() == path.read_bytes()
    root = ET.parse(export_graphml(graph, tmp_path / "g.graphml")).getroot()
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert len(root.findall(f"{ns}graph/{ns}node")) == graph.number_of_nodes()


def _query_everything(graph: nx.MultiDiGraph, syllabus) -> None:
    """Every query, report and view on *graph*: none may raise (a name may be not found or ambiguous)."""
    nodes = sorted(graph.nodes)[:4]
    summarize(graph)
    graph_overview(graph)
    topic_clusters(graph)
    for node in nodes:
        describe_entity(graph, node)
        for depth in (1, 3):
            hood = neighborhood(graph, node, depth=depth, hide_hubs=1, limit=20)
            format_neighborhood(hood, {t.id: t.label for t in [hood.center, *(n.topic for n in hood.neighbors)]})
        render_neighborhood(graph, neighborhood(graph, node, depth=2))
        related_topics(graph, node, top=5)
        with contextlib.suppress(NodeNotFound, AmbiguousName):  # labels may be shared, or all punctuation
            assert find_node(graph, graph.nodes[node]["label"]) in graph
        suggest(graph, graph.nodes[node]["label"][:5])
    if len(nodes) >= 2:
        format_routes(find_routes(graph, nodes[0], nodes[-1], k=3))
    for report in (gap_report(graph), gap_report(graph, syllabus)):
        format_text(report)
        format_markdown(report)
        json.dumps(report.to_dict(), default=str)


# --- the tests ----------------------------------------------------------------------------------------------------


@fuzz_settings()
@given(st.one_of(note_bytes(), st.binary(max_size=2000), mutated(SEED)))
def test_decoding_any_bytes_gives_a_note_or_a_reason(raw):
    note, problem = decode_note("fuzz.md", raw)
    _check_note(raw, note, problem)


@fuzz_settings(share=0.5)
@given(note_text())
def test_hostile_markdown_goes_through_parse_extract_build_and_back(tmp_path_factory, nlp, text):
    note, problem = decode_note("fuzz.md", text.encode("utf-8", errors="surrogatepass"))
    _check_note(text.encode("utf-8", errors="surrogatepass"), note, problem)
    if note is None:
        return
    parsed, extraction = _analyse(note, nlp)
    _check_extraction(parsed, extraction)
    graph = build_graph([extraction], pipeline_catalog(nlp))
    assert set(graph.graph["files"]) == {"fuzz.md"}
    _round_trip(graph, tmp_path_factory.mktemp("fuzz"))


@fuzz_settings(share=0.2)
@given(st.lists(st.tuples(st.text(max_size=40), st.one_of(note_bytes(), mutated(SEED))), min_size=1, max_size=4))
def test_uploads_build_query_and_report_whatever_their_names_and_bytes(tmp_path_factory, files):
    # Names are whatever a browser sends: slashes, newlines, lone surrogates, control and bidi characters.
    files = [(name + ".md", raw) for name, raw in files]
    try:
        result = build_uploads(files)
    except NoNotesError as err:
        assert str(err).startswith(f"none of the {len(files)} uploaded file(s) could be read")
        return
    _no_crashes(result)
    shown = [e.path for e in result.extractions] + [p.path for p in result.problems if p.skipped]
    assert len(set(shown)) == len(shown)  # duplicates are numbered, never merged
    for name in shown:
        assert name.isprintable() and "/" not in name and "\\" not in name and len(name) <= 210
    graph = result.graph
    _round_trip(graph, tmp_path_factory.mktemp("uploads"))
    if graph.number_of_nodes():
        _query_everything(graph, _SYLLABUS)


_SYLLABUS = load_syllabus("clf-c02")


@fuzz_settings(share=0.1)
@given(mutated(SEED))
def test_mutated_real_notes_build_and_query(tmp_path_factory, raw):
    try:
        result = build_uploads([("seed.md", raw)])
    except NoNotesError:
        note, problem = decode_note("seed.md", raw)
        assert note is None and problem.skipped  # the only way a one-file build finds nothing
        return
    _no_crashes(result)
    _round_trip(result.graph, tmp_path_factory.mktemp("mutated"))
    if result.graph.number_of_nodes():
        _query_everything(result.graph, _SYLLABUS)


@pytest.fixture(scope="module")
def saved_graph_bytes(tmp_path_factory):
    result = build_uploads([("seed.md", SEED)])
    return save_graph(result.graph, tmp_path_factory.mktemp("saved") / "g.json").read_bytes()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def damaged_json(draw, raw: bytes) -> bytes:
    """Valid JSON, wrong content: a value somewhere in the file replaced, removed or retyped."""
    data = json.loads(raw)
    for _ in range(draw(st.integers(1, 3))):
        parent, key, value = None, None, data
        while isinstance(value, (dict, list)) and value and draw(st.integers(0, 4)):
            keys = sorted(value) if isinstance(value, dict) else list(range(len(value)))
            parent, key = value, draw(st.sampled_from(keys))
            value = value[key]
        if parent is None:
            data = draw(json_values)
        elif isinstance(parent, dict) and draw(st.booleans()):
            del parent[key]
        else:
            parent[key] = draw(json_values)
    return json.dumps(data).encode()


@fuzz_settings(share=0.5)
@given(data=st.data())
def test_damaged_graph_files_load_or_fail_with_a_graph_file_error(tmp_path_factory, saved_graph_bytes, data):
    raw = data.draw(st.one_of(mutated(saved_graph_bytes), damaged_json(saved_graph_bytes)))
    path = tmp_path_factory.mktemp("damaged") / "g.json"
    path.write_bytes(raw)
    try:
        graph = load_graph(path)
    except GraphFileError as err:
        assert str(err).startswith(f"{path}: ")
        return
    assert graph_from_json(graph_to_json(graph)).number_of_nodes() == graph.number_of_nodes()
    # What loads must be usable: a damaged file either fails to load or answers every query.
    if graph.number_of_nodes():
        _query_everything(graph, _SYLLABUS)


def _hostile_shapes() -> dict:
    """The hostile shapes of benchmarks/hostile.py (the folder is scripts, not a package)."""
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "hostile.py"
    spec = importlib.util.spec_from_file_location("bench_hostile", script)
    module = sys.modules["bench_hostile"] = importlib.util.module_from_spec(spec)  # its dataclasses look it up
    spec.loader.exec_module(module)
    return module.SHAPES


SHAPES = _hostile_shapes()
#: Sizes of the large notes: the thorough profile builds notes of up to 2 MB of each shape (a few minutes in all).
LARGE_BYTES = (500_000, 2_000_000) if BIG else (5_000, 20_000)


@pytest.mark.parametrize("shape", sorted(SHAPES))
@settings(fuzz_settings(), max_examples=3 if BIG else 2)
@given(size=st.integers(*LARGE_BYTES), salt=note_text(), where=st.floats(0, 1))
def test_large_notes_of_each_hostile_shape_are_read_whole(shape, size, salt, where):
    """Headings, one soft-wrapped paragraph, one long line, list, table, code, links, many small files: a large
    note of each (with hostile markdown spliced in somewhere) is analysed, not dropped, and its graph round-trips."""
    files = SHAPES[shape](size)
    name = sorted(files)[int(where * (len(files) - 1))]
    lines = files[name].split("\n")
    at = int(where * len(lines))
    files[name] = "\n".join([*lines[:at], salt, *lines[at:]])
    raw = {n: text.encode("utf-8", errors="surrogatepass") for n, text in files.items()}
    result = build_uploads(list(raw.items()))
    _no_crashes(result)
    assert sorted(e.path for e in result.extractions) == sorted(files)  # no note of it was dropped
    assert [p for p in result.problems if p.skipped] == []
    assert result.graph.number_of_nodes() > 0
    for extraction in result.extractions:
        last = len(_LINE_BREAKS.findall(raw[extraction.path])) + 1
        assert all(1 <= m.evidence.line <= last for m in extraction.mentions)


def test_read_uploads_counts_every_file_it_was_given():
    # The fuzzed upload test above relies on this: every file is either read or reported.
    files = [("a.md", b"# A\n"), ("b.png", b"\x89PNG"), ("c.md", b""), ("d.md", b"# D\n")]
    result = read_uploads(files)
    assert [n.path for n in result.notes] == ["a.md", "d.md"]
    assert [str(p) for p in result.problems] == [
        "b.png: skipped: not a note file (expected .md, .markdown, .txt, or a .zip of them)",
        "c.md: skipped: empty file",
    ]


def test_a_heading_inside_a_list_item_does_not_lose_the_note():
    result = build_uploads([("list.md", b"- # Amazon SQS\n- Amazon SQS feeds AWS Lambda\n")])
    assert [str(p) for p in result.problems] == []
    assert {"service:sqs", "service:lambda"} <= set(result.graph)
