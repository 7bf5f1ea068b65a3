"""Notes Graph explorer: your study notes as a graph to explore, query and learn from.

Run ``streamlit run streamlit_app.py`` (add ``-- --notes DIR`` to open on other notes).
This page only calls the library and lays out what it returns: notes are built
with :mod:`graph.store.build`, questions answered by :mod:`graph.query.neighborhood`,
:mod:`graph.query.related`, :mod:`graph.query.paths`, :mod:`graph.gaps.report` and
:mod:`graph.query.overview`, the view drawn by :mod:`graph.ui.view`. The focus, depth and
filters live in the URL (:mod:`graph.ui.appstate`), so a link reopens the same view.
Note text is shown through :mod:`graph.ui.escape` or in data frames: never as HTML.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import replace

import streamlit as st

from graph.extract.pipeline import make_pipeline
from graph.gaps import COVERED, MENTIONED, MISSING, GapReport, gap_report
from graph.model import ENTITY_TYPES, RELATIONS
from graph.query.describe import describe_entity
from graph.query.find import suggest
from graph.query.neighborhood import MAX_DEPTH, MIN_DEPTH, neighborhood
from graph.query.overview import graph_overview, topic_clusters
from graph.query.paths import Routes, find_routes
from graph.query.related import related_topics
from graph.sources.notes import MAX_FILE_BYTES, NoNotesError, safe_name
from graph.sources.syllabus import SyllabusError, builtin_syllabi, load_syllabus, parse_syllabus
from graph.store import exports
from graph.store.build import BuildResult, Progress, build_notes, build_uploads
from graph.store.cache import default_cache_dir
from graph.store.edges import QueryError
from graph.ui import access, appstate, graphcomponent, tables
from graph.ui.appstate import NotesSource, ViewState
from graph.ui.escape import markdown_text as md
from graph.ui.report import format_markdown
from graph.ui.view import GraphView, render_neighborhood

VIEW_HEIGHT = 620
SOURCES = {"bundled": "The bundled notes", "folder": "A folder on this machine", "upload": "Uploaded files"}
NO_SYLLABUS, OWN_SYLLABUS = "(none)", "(upload my own)"

STARTED = time.perf_counter()  # this run's start: a build the page waits for is timed from here
st.set_page_config(page_title="Notes Graph", layout="wide")

# --- who may see the page: anyone on loopback; beyond it, only with the token of the address that was printed ----

TOKEN = os.environ.get(access.TOKEN_ENV, "").strip()
if not TOKEN and access.needs_token(st.get_option("server.address") or "127.0.0.1"):
    st.error("This explorer is served beyond this machine without an access token: start it with notes-graph app.")
    st.stop()
if not (st.session_state.get("admitted") or access.admitted(st.query_params.to_dict(), TOKEN)):
    st.error(
        "This explorer needs its access link: open the address that 'notes-graph app' printed when it started "
        "(it ends in ?token=...)."
    )
    st.stop()
st.session_state.admitted = True


# --- cached library calls -----------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def nlp_pipeline():
    """The spaCy pipeline, set up once per server; every build reuses it."""
    return make_pipeline()


#: Built graphs kept by the server, across reruns and sessions (a new stamp builds anew); the oldest go first.
KEPT_GRAPHS = 8


@st.cache_resource(show_spinner=False)
def built_graphs() -> tuple[OrderedDict, threading.Lock]:
    """The graphs this server built, by source, and the lock that guards them.

    Not ``st.cache_resource`` on the build itself: the build reports progress into the page, which a cached
    function may not do, and only a finished build may be kept (see :func:`notes_graph`).
    """
    return OrderedDict(), threading.Lock()


def notes_graph(source: NotesSource, files: tuple[tuple[str, bytes], ...] = (), progress=None) -> BuildResult:
    """The built graph of *source*: kept, or built now and kept.

    A build stopped part way (a rerun, e.g. the Cancel button, interrupts it at its next progress report)
    raises, so it is never kept as done.
    """
    kept, lock = built_graphs()
    with lock:
        if source in kept:
            kept.move_to_end(source)
            return kept[source]
    nlp = nlp_pipeline()
    if source.kind == "upload":  # uploads stay in memory: nothing of them is written to disk
        result = build_uploads(list(files), nlp=nlp, progress=progress)
    else:
        result = build_notes(source.path, cache_dir=default_cache_dir(), nlp=nlp, progress=progress)
    with lock:
        kept[source] = result
        while len(kept) > KEPT_GRAPHS:
            kept.popitem(last=False)
    return result


@st.cache_data(show_spinner=False, max_entries=64)
def graph_view(_result: BuildResult, source: NotesSource, view: ViewState) -> GraphView:
    hood = neighborhood(_result.graph, view.focus, **appstate.neighborhood_args(view))
    return render_neighborhood(_result.graph, hood, height=VIEW_HEIGHT)


@st.cache_data(show_spinner=False, max_entries=256)
def topic_card(_result: BuildResult, source: NotesSource, node: str) -> dict:
    return describe_entity(_result.graph, node)


@st.cache_data(show_spinner=False, max_entries=256)
def related(_result: BuildResult, source: NotesSource, node: str) -> list:
    return related_topics(_result.graph, node, top=10)


@st.cache_data(show_spinner=False, max_entries=256)
def routes(_result: BuildResult, source: NotesSource, start: str, end: str, stated_only: bool) -> Routes:
    return find_routes(_result.graph, start, end, k=3, stated_only=stated_only)


@st.cache_data(show_spinner=False, max_entries=32)
def gaps(_result: BuildResult, source: NotesSource, syllabus_key: str, _syllabus) -> GapReport:
    return gap_report(_result.graph, _syllabus)


@st.cache_data(show_spinner=False, max_entries=16)
def overview(_result: BuildResult, source: NotesSource) -> tuple[dict, list]:
    return graph_overview(_result.graph), topic_clusters(_result.graph)


# --- callbacks: they set widget state before the next run draws the widgets ----------------------------------------


def focus_on(node: str) -> None:
    st.session_state.focus = node
    st.session_state.search = ""  # the search is answered: clear it, and its suggestions


def on_search(result: BuildResult) -> None:
    found = appstate.resolve_topic(result.graph, st.session_state.search)
    if found.node:
        focus_on(found.node)


def build(source: NotesSource, files: tuple = ()) -> BuildResult:
    """Build (or find cached) *source*, showing progress and a Cancel button the first time this session asks.

    A click on Cancel (or any other widget) reruns the page, which stops the build between two files; the next
    run finds ``building`` still set and says so, and the graph shown before stays (see :func:`cancelled_build`).
    """
    if source in st.session_state.built:
        return notes_graph(source, files)
    st.session_state.building = source
    with st.status(f"Building the graph of {md(source.describe())}…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading the notes…")
        st.button("Cancel", key="cancel_build", help="Stop this build; the graph shown before stays")
        try:
            result = notes_graph(source, files, progress_reporter(bar))
        except NoNotesError:
            st.session_state.building = None  # failed, not cancelled: the caller says why
            status.update(label=f"Could not build {md(source.describe())}", state="error", expanded=False)
            raise
        graph = result.graph
        waited = time.perf_counter() - STARTED
        status.update(
            label=f"Built {graph.number_of_nodes()} topics, {graph.number_of_edges()} relations from "
            f"{len(graph.graph.get('files', []))} file(s) in {waited:.1f} s",
            state="complete",
            expanded=False,
        )
    st.session_state.building = None
    st.session_state.built.add(source)
    st.session_state.waited[source] = waited
    return result


def progress_reporter(bar):
    """A build progress callback that shows files done of total and the current file in *bar*, ten times a second
    at most (each update is a message to the browser, and the point where a rerun stops the build)."""
    shown = [0.0]

    def report(progress: Progress) -> None:
        now = time.perf_counter()
        if now - shown[0] < 0.1 and 0 < progress.done < progress.total:
            return
        shown[0] = now
        text = f"{progress.done:,} of {progress.total:,} files analysed"
        if progress.cached:
            text += f" ({progress.cached:,} from the cache)"
        if progress.current:
            text += f" · now {md(progress.current, 120)}"
        bar.progress(progress.done / progress.total if progress.total else 1.0, text=text)

    return report


def cancelled_build() -> None:
    """Say so when the run before this one was stopped in the middle of a build (Cancel, or another click)."""
    stopped = st.session_state.get("building")
    if stopped is None:
        return
    st.session_state.building = None
    shown = st.session_state.notes
    if shown in st.session_state.built:
        st.info(f"Build of {md(stopped.describe())} cancelled. Still showing {md(shown.describe())}.")
    else:
        st.info(f"Build of {md(stopped.describe())} cancelled. Choose notes in the sidebar and press Build.")
        st.stop()


# --- the notes ----------------------------------------------------------------------------------------------------

if "notes" not in st.session_state:
    st.session_state.notes = appstate.parse_app_args(sys.argv[1:])
    st.session_state.roots = appstate.notes_roots(sys.argv[1:])
    st.session_state.note_files = ()
    st.session_state.built = set()
    st.session_state.waited = {}
    st.session_state.building = None
    st.session_state.source_kind = st.session_state.notes.kind
    st.session_state.folder = st.session_state.notes.path if st.session_state.notes.kind == "folder" else ""

with st.sidebar:
    st.header("Notes")
    kind = st.radio("Build the graph from", list(SOURCES), format_func=SOURCES.get, key="source_kind")
    if kind == "folder":
        st.text_input("Folder or file", key="folder", placeholder="~/notes", help="Read recursively: .md, .txt")
    elif kind == "upload":
        st.file_uploader(
            "Markdown notes",
            type=["md", "markdown", "txt"],
            accept_multiple_files=True,
            key="uploads",
            max_upload_size=MAX_FILE_BYTES // 2**20,
        )
    label = "Rebuild" if kind == st.session_state.notes.kind else "Build"
    if st.button(label, key="build", type="primary", width="stretch"):
        try:
            files: tuple = ()
            if kind == "bundled":
                candidate = appstate.bundled_source()
            elif kind == "folder":
                if not st.session_state.folder.strip():
                    raise NoNotesError("type the path of a notes folder or file first")
                candidate = appstate.folder_source(st.session_state.folder.strip(), st.session_state.roots)
            else:
                files = tuple((f.name, f.getvalue()) for f in st.session_state.get("uploads") or [])
                if not files:
                    raise NoNotesError("choose one or more markdown files to upload first")
                candidate = appstate.upload_source(files)
            build(candidate, files)
            st.session_state.notes, st.session_state.note_files = candidate, files
        except NoNotesError as err:
            st.error(f"Could not build: {md(err)}. Still showing {md(st.session_state.notes.describe())}.")

cancelled_build()
source: NotesSource = st.session_state.notes
result = build(source, st.session_state.note_files)
graph = result.graph

with st.sidebar, st.expander("Build summary", expanded=bool(result.problems)):
    st.caption(
        f"{md(source.describe())}: {len(graph.graph.get('files', []))} file(s), {graph.number_of_nodes()} topics, "
        f"{graph.number_of_edges()} relations; built in {st.session_state.waited.get(source, result.seconds):.1f} s "
        f"({result.cached_files} file(s) "
        "read from the cache)."
    )
    if result.problems:
        st.markdown(f"**{len(result.problems)} file(s) skipped or read with a caveat**")
        st.dataframe(tables.problem_rows(result.problems), hide_index=True)
    else:
        st.caption("No file was skipped.")

st.title("Notes Graph")
if graph.number_of_nodes() == 0:
    st.warning("No topics were found in these notes.")
    st.stop()

# --- the view: the URL wins when it changed since this page last wrote it (a link, a click in the graph, Back) ----

url_view, url_problems = appstate.from_query(st.query_params.to_dict())
url_view, name_problems = appstate.resolve_view(graph, url_view)
if st.session_state.get("synced") != (source, url_view):
    st.session_state.update(appstate.to_widgets(url_view))
    for problem in url_problems + name_problems:
        st.warning(md(problem))

labels = {node: str(data.get("label", node)) for node, data in graph.nodes(data=True)}


def bar_chart(where, rows: list[dict], missing: str, **columns) -> None:
    """A bar chart of *rows*, or one line saying what there is none of (Streamlit raises on an empty chart)."""
    if rows:
        where.bar_chart(rows, **columns)
    else:
        where.caption(f"Nothing to chart yet: {missing}.")


def on_graph_click() -> None:
    """A topic clicked in the graph becomes the focus (before the run, so the widgets show it; the URL follows)."""
    node = graphcomponent.clicked_node()
    if isinstance(node, str) and node:
        focus_on(node)


def draw_graph(drawn: GraphView) -> str | None:
    """Draw the view *drawn* in the page; the one place the graph is put on screen. Returns the node clicked."""
    clicked = graphcomponent.draw(drawn, on_click=on_graph_click)
    st.caption("  \n".join(md(line) for line in drawn.summary()))
    return clicked


def topic_name(node: str) -> str:
    return f"{labels.get(node, node)} · {tables.type_name(graph.nodes[node].get('type', ''))}" if node else ""


choices = appstate.topic_choices(graph, keep=[st.session_state.get("focus"), st.session_state.get("to")])
search_col, topic_col = st.columns([3, 2])
search = search_col.text_input(
    "Find a topic",
    key="search",
    placeholder="any name or alias, any case, typos welcome: sqs, dynamo db, step function",
    on_change=on_search,
    args=(result,),
)
focus = topic_col.selectbox("Topic in focus", choices, format_func=topic_name, key="focus")
if search.strip():  # a name that fits no topic for sure (or several): offer the closest
    hits = suggest(graph, search, limit=6)
    if hits:
        st.caption("Did you mean:")
        for column, (node, _, _) in zip(st.columns(len(hits)), hits, strict=True):
            column.button(md(topic_name(node)), key=f"suggest-{node}", on_click=focus_on, args=(node,))
    else:
        st.caption(f"Nothing is named like {md(search)}.")

depth_col, cap_col, hubs_col, stated_col = st.columns([2, 2, 1, 1])
depth_col.slider("Depth (steps from the topic)", MIN_DEPTH, MAX_DEPTH, key="depth")
cap_col.slider("Node cap (most topics drawn)", appstate.MIN_CAP, appstate.MAX_CAP, step=10, key="cap")
hubs_col.number_input("Hide hubs", 0, appstate.MAX_HIDDEN_HUBS, key="hubs", help="Leave out the N most connected")
stated_col.toggle("Stated only", key="stated", help="Only relations the notes state: no co-occurrence")
types_col, relations_col = st.columns(2)
types_col.multiselect("Topic types", ENTITY_TYPES, format_func=tables.type_name, key="types", placeholder="all types")
relations_col.multiselect("Relations", list(RELATIONS), key="relations", placeholder="all relations")

# Written before anything slow is drawn, so the address bar is current by the time the graph is.
view = appstate.from_widgets(st.session_state)
wanted = appstate.to_query(view) | ({access.TOKEN_PARAM: TOKEN} if TOKEN else {})  # a reload keeps the access
if wanted != st.query_params.to_dict():
    st.query_params.from_dict(wanted)
st.session_state.synced = (source, view)
try:
    drawn = graph_view(result, source, replace(view, target=""))
except QueryError as err:
    st.error(md(err))
    st.stop()
draw_graph(drawn)

# --- tabs ---------------------------------------------------------------------------------------------------------

topic_tab, related_tab, path_tab, gaps_tab, overview_tab = st.tabs(["Topic", "Related", "Path", "Gaps", "Overview"])

with topic_tab:
    card = topic_card(result, source, focus)
    st.subheader(md(card["label"]))
    facts = [
        tables.type_name(card["type"]),
        f"{card['mention_count']} place(s)",
        f"{card['relation_count']} relation(s)",
    ]
    if card["full_name"] and card["full_name"] != card["label"]:
        facts.insert(1, md(card["full_name"]))
    st.caption(" · ".join(facts))
    if len(card["aliases"]) > 1:
        st.markdown("**Also written as:** " + ", ".join(md(a) for a in card["aliases"]))
    if card["definition"]:
        st.markdown("> " + md(card["definition"]))
        st.caption("Definition from " + md(tables.cite(card["definition_evidence"])))
    else:
        st.caption("The notes give no definition of it.")
    if card["sections"]:
        st.markdown("**Its own sections**")
        st.dataframe(tables.section_rows(card), hide_index=True)
    st.markdown(f"**Where the notes mention it** ({card['mention_count']})")
    st.dataframe(tables.mention_rows(card), hide_index=True)
    st.markdown(f"**Relations** ({card['relation_count']})")
    st.dataframe(tables.relation_rows(card), hide_index=True)

with related_tab:
    found = related(result, source, focus)
    st.caption("Ranked by personalised PageRank, shared neighbours (Adamic-Adar) and overlap (Jaccard), fused.")
    if not found:
        st.info("Nothing is related: it has no relations.")
    for number, item in enumerate(found, start=1):
        name_col, score_col, why_col = st.columns([3, 2, 8])
        name_col.button(
            md(item.topic.label),
            key=f"related-{item.topic.id}",
            on_click=focus_on,
            args=(item.topic.id,),
            width="stretch",
        )
        linked = " · linked" if item.direct else ""
        score_col.caption(f"{number}. {tables.type_name(item.topic.type)} · {item.score:.2f}{linked}")
        why_col.caption("  \n".join(md(reason, 200) for reason in item.reasons[:3]))

with path_tab:
    end = st.selectbox(
        f"From {md(labels[focus])} to",
        choices,
        format_func=topic_name,
        index=None,
        key="to",
        placeholder="Choose where the path should end",
    )
    if end and end == focus:
        st.info("Choose another topic: both ends are the same.")
    elif end:
        found_routes = routes(result, source, focus, end, view.stated_only)
        if not found_routes.routes:
            st.info(md(found_routes.note))
        for number, route in enumerate(found_routes.routes, start=1):
            st.markdown(f"**{number}. {md(tables.route_title(route))}**")
            st.caption(f"{len(route.hops)} hop(s), {route.stated_hops} stated, cost {route.cost:g}")
            st.dataframe(tables.hop_rows(route), hide_index=True)

with gaps_tab:
    syllabi = list(builtin_syllabi())
    chosen = st.selectbox("Check coverage of an exam syllabus", [NO_SYLLABUS, *syllabi, OWN_SYLLABUS], key="syllabus")
    syllabus, syllabus_key = None, ""
    try:
        if chosen == OWN_SYLLABUS:
            upload = st.file_uploader("Syllabus (.txt: one service per line, ## categories)", type=["txt"])
            if upload is not None:
                raw = upload.getvalue()
                syllabus_key = "upload:" + appstate.upload_stamp([(upload.name, raw)])
                syllabus = parse_syllabus(raw.decode("utf-8", "replace"), source=safe_name(upload.name))
        elif chosen != NO_SYLLABUS:
            syllabus, syllabus_key = load_syllabus(chosen), chosen
    except SyllabusError as err:
        st.error(md(err))
    report = gaps(result, source, syllabus_key, syllabus)
    rows = tables.gap_rows(report)
    st.markdown("**Do first**")
    st.markdown("\n".join(f"{i}. {md(step.text, 400)}" for i, step in enumerate(report.steps, 1)) or "No gaps found.")
    if report.coverage:
        overall = report.coverage.overall
        cols = st.columns(3)
        cols[0].metric("Covered", f"{overall.covered} of {overall.total}", f"{overall.covered_percent:g}%")
        cols[1].metric("Mentioned only", overall.mentioned, f"{overall.mentioned_percent:g}%", delta_color="off")
        cols[2].metric("Missing", overall.missing, f"-{overall.missing_percent:g}%")
        bar_chart(
            st,
            tables.coverage_chart(report.coverage),
            "no syllabus entries",
            x="Category",
            y="Services",
            color="Status",
            horizontal=True,
        )
        st.dataframe(tables.coverage_rows(report.coverage), hide_index=True)
        for status, title in ((MISSING, "Missing"), (MENTIONED, "Mentioned only"), (COVERED, "Covered")):
            items = tables.coverage_item_rows(report.coverage, status)
            with st.expander(f"{title} ({len(items)})"):
                st.dataframe(items, hide_index=True)
        if report.coverage.issues:
            st.caption("Syllabus problems: " + "; ".join(md(i) for i in report.coverage.issues[:10]))
    for part, title in (
        ("unexplained", "Mentioned but never explained"),
        ("unfinished", "Unfinished notes"),
        ("thin", "Thinly explained services"),
        ("structural", "Clusters barely linked to each other"),
        ("duplicates", "Explained in more than one place"),
    ):
        st.markdown(f"**{title}** ({len(rows[part])})")
        if rows[part]:
            st.dataframe(rows[part], hide_index=True)
    st.download_button(
        "Download the gap report (markdown)",
        data=format_markdown(report, limit=10_000),
        file_name="gap-report.md",
        mime="text/markdown",
    )

with overview_tab:
    info, clusters = overview(result, source)
    cols = st.columns(6)
    for col, (name, value) in zip(
        cols,
        (
            ("Files", info["files"]),
            ("Words", f"{info['words']:,}"),
            ("Topics", info["nodes"]),
            ("Relations", info["edges"]),
            ("Clusters", info["clusters"]),
            ("Isolated topics", len(info["isolated"])),
        ),
        strict=True,
    ):
        col.metric(name, value)
    left, right = st.columns(2)
    left.markdown("**Topics by type**")
    bar_chart(left, tables.type_chart(info), "no topics", x="Type", y="Topics")
    right.markdown("**Relations: stated by the notes or not**")
    relations = tables.relation_chart(info)
    bar_chart(right, relations, "no relations", x="Relation", y="Edges", color="Kind", horizontal=True)
    st.markdown("**The largest topic clusters, by type**")
    bar_chart(st, tables.cluster_chart(clusters), "no clusters", x="Cluster", y="Topics", color="Type", horizontal=True)
    st.dataframe(tables.cluster_rows(clusters), hide_index=True)
    left, right = st.columns(2)
    left.markdown("**Most connected topics**")
    left.dataframe(tables.central_rows(info), hide_index=True)
    right.markdown("**Bridges between clusters**")
    right.dataframe(tables.bridge_rows(info), hide_index=True)

# --- share and keep -----------------------------------------------------------------------------------------------

with st.sidebar:
    st.header("Download")
    st.download_button(
        "Graph (JSON)",
        data=lambda: exports.graph_json_bytes(graph),
        file_name="notes.graph.json",
        mime="application/json",
        width="stretch",
    )
    st.download_button(
        "Graph (GraphML)",
        data=lambda: exports.graphml_bytes(graph),
        file_name="notes.graphml",
        mime="application/graphml+xml",
        width="stretch",
    )
    st.download_button(
        "This view (HTML)",
        data=lambda: drawn.html,  # made only when downloaded: pyvis takes about 0.3 s per page
        file_name=exports.download_name(focus, "html"),
        mime="text/html",
        width="stretch",
    )
    st.caption("The address bar holds the topic, depth and filters: copy it to share or keep this view.")
