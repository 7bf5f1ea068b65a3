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
import time
from dataclasses import replace

import streamlit as st

from graph.gaps import COVERED, MENTIONED, MISSING, GapReport, StructuralGap, gap_report
from graph.model import ENTITY_TYPES, RELATIONS
from graph.query.describe import describe_entity
from graph.query.find import suggest
from graph.query.neighborhood import MAX_DEPTH, MIN_DEPTH, neighborhood, with_topics
from graph.query.overview import graph_overview, topic_clusters
from graph.query.paths import Pipeline, Routes, find_routes, pipeline_partners, pipelines_between
from graph.query.places import topics_at
from graph.query.related import related_topics
from graph.query.starters import Starter, starter_actions
from graph.sources.notes import NOTE_SUFFIXES, NoNotesError, safe_name
from graph.sources.syllabus import SyllabusError, builtin_syllabi, load_syllabus, parse_syllabus
from graph.store import exports
from graph.store.build import BuildResult
from graph.store.cache import default_cache_dir
from graph.store.edges import QueryError
from graph.ui import access, appstate, builds, graphcomponent, tables, uploadcomponent, warmup
from graph.ui.appstate import NotesSource, ViewState
from graph.ui.escape import markdown_text as md
from graph.ui.highlights import route_highlight, shown_highlight
from graph.ui.report import format_markdown
from graph.ui.view import GraphView, Highlight, packed, render_neighborhood
from graph.ui.words import relation_name

VIEW_HEIGHT = 620
#: Height of the panel beside the graph (it scrolls): the graph's frame, its caption and the filter bar.
PANEL_HEIGHT = VIEW_HEIGHT + 110
SOURCES = {"bundled": "The bundled notes", "folder": "A folder on this machine", "upload": "Uploaded files"}
INTRO = (
    "Notes Graph maps the services, concepts and use cases in your study notes and how the notes connect them: "
    "click a topic on the graph to centre on it, or pick a view beside it to see what is related, find a path, "
    "or check what your notes miss. Start here:"
)
RELATED_WHY = (
    "Three measures rank the topics, and their ranks are fused (reciprocal rank fusion, k = 60): **personalised "
    "PageRank** (where a walk from this topic ends up most often), **Adamic-Adar** (shared neighbours, rare ones "
    "counting more) and **Jaccard** (overlap of the two topics' neighbours). A score of 1.0 would be first by all "
    "three. The lines under each name say why in the notes' own terms."
)
BRIDGES_WHY = (
    "A bridge lies on many of the shortest paths between topics of different clusters (**betweenness "
    "centrality**, sampled on large graphs). Remove it and those clusters drift apart: explaining how it links "
    "them ties your notes together."
)

STARTED = time.perf_counter()  # this run's start: a build the page waits for is timed from here
st.set_page_config(page_title="Notes Graph", layout="wide")
builds.release_earlier_run(st.session_state, globals())  # a build freezes this run's names: never kept past it

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
with st.sidebar:  # first in the run: vis-network comes before anything else (see graphcomponent.preload)
    graphcomponent.preload()


# --- cached library calls -----------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def nlp_pipeline():
    """The spaCy pipeline, set up once per server (as it starts, under ``notes-graph app``); every build reuses it."""
    return warmup.pipeline()


#: Built graphs kept by the server, across reruns and sessions (a new stamp builds anew); the oldest go first.
KEPT_GRAPHS = 8


@st.cache_resource(show_spinner=False)
def built_graphs() -> builds.KeptGraphs:
    """The graphs this server built, by source.

    Not ``st.cache_resource`` on the build itself: the build reports progress into the page, which a cached
    function may not do, and only a finished build may be kept (see :func:`notes_graph`).
    """
    return builds.KeptGraphs(KEPT_GRAPHS)


def notes_graph(source: NotesSource, files: tuple = (), progress=None, read_done=None) -> BuildResult:
    """The built graph of *source*: kept, or built now (:func:`graph.ui.builds.build_source`) and kept.

    A build stopped part way (a rerun, e.g. the Cancel button, interrupts it at its next progress report)
    raises, so it is never kept as done.
    """
    kept = built_graphs()
    found = kept.get(source)
    if found is not None:
        return found
    result = builds.build_source(
        source, files, nlp=nlp_pipeline(), cache_dir=default_cache_dir(), progress=progress, read_done=read_done
    )
    return kept.put(source, result)


@st.cache_resource(show_spinner=False, max_entries=64)
def graph_view(_result: BuildResult, source: NotesSource, view: ViewState, highlight: Highlight | None) -> GraphView:
    """The view drawn for *view*: kept as it is, not pickled (a 300-topic view: 4 ms to store, 4 ms per later run to
    copy back), and without its graph (pass the graph to its tips and page), so a kept view keeps no graph alive."""
    hood = neighborhood(_result.graph, view.focus, **appstate.neighborhood_args(view))
    if highlight:  # what is picked out is drawn even beyond the depth or the filters
        hood = with_topics(_result.graph, hood, sorted(highlight.nodes))
    return replace(render_neighborhood(_result.graph, hood, height=VIEW_HEIGHT, highlight=highlight), graph=None)


@st.cache_data(show_spinner=False, max_entries=64)
def graph_tips(_result: BuildResult, source: NotesSource, view: ViewState, highlight: Highlight | None) -> bytes:
    """The tooltips of :func:`graph_view`'s topics and lines as JSON, made when the run has drawn everything else."""
    return packed(graph_view(_result, source, view, highlight).tips(_result.graph))


@st.cache_data(show_spinner=False, max_entries=16)
def opening_topic(_result: BuildResult, source: NotesSource) -> str:
    """The topic a page without one in its link opens on: a ranking of the whole graph, made once per graph (a new
    session, Back and Forward each ask for it)."""
    return appstate.default_topic(_result.graph)


@st.cache_data(show_spinner=False, max_entries=16)
def starters(_result: BuildResult, source: NotesSource) -> list[Starter]:
    return starter_actions(_result.graph)


@st.cache_data(show_spinner=False, max_entries=256)
def topic_card(_result: BuildResult, source: NotesSource, node: str) -> dict:
    return describe_entity(_result.graph, node)


@st.cache_data(show_spinner=False, max_entries=256)
def related(_result: BuildResult, source: NotesSource, node: str) -> list:
    return related_topics(_result.graph, node, top=10)


@st.cache_data(show_spinner=False, max_entries=256)
def routes(
    _result: BuildResult, source: NotesSource, start: str, end: str, stated_only: bool
) -> tuple[Routes, list[Pipeline]]:
    """The cheapest routes from *start* to *end*, and the stated pipelines through both."""
    return find_routes(_result.graph, start, end, k=3, stated_only=stated_only), pipelines_between(
        _result.graph, start, end
    )


@st.cache_data(show_spinner=False, max_entries=32)
def gaps(_result: BuildResult, source: NotesSource, syllabus_key: str, _syllabus) -> GapReport:
    return gap_report(_result.graph, _syllabus)


@st.cache_data(show_spinner=False, max_entries=32)
def unfinished_topics(_result: BuildResult, source: NotesSource, _report: GapReport) -> list[str | None]:
    """The topic each unfinished spot of the gap report is about (the same for any syllabus), or ``None``."""
    return topics_at(_result.graph, [(spot.file, spot.line, spot.section) for spot in _report.unfinished])


@st.cache_data(show_spinner=False, max_entries=16)
def overview(_result: BuildResult, source: NotesSource) -> tuple[dict, list]:
    return graph_overview(_result.graph), topic_clusters(_result.graph)


# --- callbacks: they set widget state before the next run draws the widgets ----------------------------------------


def focus_on(node: str) -> None:
    st.session_state.focus = node
    st.session_state.search = ""  # the search is answered: clear it, and its suggestions


def focus_if(node: str | None) -> None:
    """Focus on *node* when a row names a topic (a missing syllabus service has none)."""
    if node:
        focus_on(node)


def set_target(node: str) -> None:
    st.session_state.to = node
    st.session_state.route = 0


def on_search(result: BuildResult) -> None:
    found = appstate.resolve_topic(result.graph, st.session_state.search)
    if found.node:
        focus_on(found.node)


def build(source: NotesSource, files: tuple = ()) -> BuildResult:
    """Build (or find cached) *source*, showing progress and a Cancel button the first time this session asks.

    A click on Cancel (or any other widget) reruns the page, which stops the build between two files; the next
    run finds ``building`` still set and says so, and the graph shown before stays (see :func:`cancelled_build`).
    The time reported is the time waited, from the start of the run (the click); for uploads, the part spent
    reading them (and unpacking a .zip) is said beside it.
    """
    if source in st.session_state.built:
        return notes_graph(source, files)
    st.session_state.building = source
    with st.status(f"Building the graph of {md(source.describe())}…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading the notes…")
        st.button("Cancel", key="cancel_build", help="Stop this build; the graph shown before stays")
        try:
            read: list[float] = []  # when the uploads were read: the first part of the wait
            result = notes_graph(
                source, files, builds.progress_reporter(bar), lambda _: read.append(time.perf_counter() - STARTED)
            )
        except NoNotesError:
            st.session_state.building = None  # failed, not cancelled: the caller says why
            status.update(label=f"Could not build {md(source.describe())}", state="error", expanded=False)
            raise
        waited = time.perf_counter() - STARTED
        status.update(
            label=builds.built_label(result, waited, read[0] if read else None), state="complete", expanded=False
        )
    st.session_state.building = None
    st.session_state.built.add(source)
    st.session_state.waited[source] = waited
    return result


def kept_graph(source: NotesSource) -> BuildResult | None:
    """The graph of *source* when this server built it already (for another session, or this one): no wait to show.

    A new session on notes the server has built skips :func:`build`'s status box: there is nothing to report, and
    the box costs the page a pause and a script to fetch before the graph is drawn. The Build button still reports.
    """
    found = built_graphs().get(source)
    if found is not None:
        st.session_state.built.add(source)
    return found


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
        st.caption(f"Notes ({', '.join(NOTE_SUFFIXES)}), a folder of them, or a .zip: sent in one go.")
        chosen, unreadable = uploadcomponent.choose(key="uploads")
        if unreadable:
            st.warning(f"Could not take the upload: {md(unreadable)}. Choose the files again.")
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
                files = chosen
                if not files:
                    raise NoNotesError("choose markdown files, a folder of them or a .zip to upload first")
                candidate = appstate.upload_source(files)
            build(candidate, files)
            st.session_state.notes, st.session_state.note_files = candidate, files
        except NoNotesError as err:
            st.error(f"Could not build: {md(err)}. Still showing {md(st.session_state.notes.describe())}.")

# The build's status and the page's notices go in one slot that every run draws: they come and go, and what follows
# keeps its place in the page (the browser makes anew what moved: the graph, the tables; a second or so a click).
notices = st.container()
with notices:
    cancelled_build()
source: NotesSource = st.session_state.notes
try:
    with notices:
        result = kept_graph(source) or build(source, st.session_state.note_files)
except NoNotesError as err:  # the notes the page was started on cannot be read: say so, offer the sidebar
    st.title("Notes Graph")
    st.error(f"Could not build: {md(err)}. Choose other notes in the sidebar.")
    st.stop()
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
st.markdown(INTRO)
if graph.number_of_nodes() == 0:
    st.warning("No topics were found in these notes.")
    st.stop()

# --- the view: the URL wins when it changed since this page last wrote it (a link, a click in the graph, Back) ----

url_view, url_problems = appstate.from_query(st.query_params.to_dict())
if not url_view.focus:
    url_view = replace(url_view, focus=opening_topic(result, source))
url_view, name_problems = appstate.resolve_view(graph, url_view)
if st.session_state.get("synced") != (source, url_view):
    st.session_state.update(appstate.to_widgets(url_view))
    st.session_state.shown = None  # a new place: what was picked out belongs to the old one, unless the link says
    if url_view.show:
        structural = gaps(result, source, "", None).structural if url_view.show.startswith("gap:") else []
        found = shown_highlight(url_view.show, overview(result, source)[1], structural)
        if found:
            st.session_state.shown, st.session_state.shown_at = found[0], st.session_state.focus
        else:
            st.session_state.show = ""
            notices.warning(f"show={md(url_view.show)} names no cluster of these notes; nothing is picked out.")
    for problem in url_problems + name_problems:
        notices.warning(md(problem))

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
    filters = "Graph filters: " + appstate.describe_filters(appstate.from_widgets(st.session_state)) + "."
    st.caption("  \n".join(md(line) for line in [*drawn.summary(), filters]))
    return clicked


def topic_name(node: str) -> str:
    return f"{labels.get(node, node)} · {tables.type_name(graph.nodes[node].get('type', ''))}" if node else ""


def pick_table(rows: list[dict], key: str, on_pick, items: list) -> None:
    """A data frame of *rows* in which choosing a row calls ``on_pick(items[row])``; nothing shown when empty."""
    if not rows:
        return
    nonce = st.session_state.get("picks", 0)  # a new key after each pick: the table's selection starts empty
    table_key = f"{key}-{nonce}"

    def picked() -> None:
        chosen = st.session_state[table_key].selection.rows
        if chosen and chosen[0] < len(items):
            st.session_state.picks = nonce + 1
            on_pick(items[chosen[0]])

    st.dataframe(rows, hide_index=True, key=table_key, on_select=picked, selection_mode="single-row")


def folded_table(label: str, key: str, rows, card: dict) -> None:
    """``rows(card)`` as a table in an expander, made only while it is open (opening it reruns the explorer)."""
    box = st.expander(label, key=key, on_change="rerun")
    if box.open:
        box.dataframe(rows(card), hide_index=True)


def cluster_chart(rows: list[dict]) -> None:
    """Topics per type in the largest clusters, in size order with whole names (st.bar_chart cuts long labels)."""
    if not rows:
        st.caption("Nothing to chart yet: no clusters of two or more topics.")
        return
    import altair as alt  # here, not at the top: 0.8 s of imports that only the Overview's chart needs

    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y("Cluster:N", sort=alt.SortField("Order"), axis=alt.Axis(labelLimit=0, title=None)),
            x=alt.X("sum(Topics):Q", title="Topics"),
            color=alt.Color("Type:N"),
            tooltip=["Cluster:N", "Type:N", "Topics:Q"],
        )
    )
    st.altair_chart(chart, width="stretch")


def why(text: str) -> None:
    """A "why?" popover holding how a ranking or score is worked out (algorithm names stay in here)."""
    with st.popover("why?"):
        st.markdown(text)


def filter_bar() -> None:
    """Depth, cap, hubs, stated only, types and relations, folded (the caption above it says what is set).

    The controls are made only while the bar is open (opening it reruns the explorer): folded, six widgets less for
    the browser to draw on each click and on a new page, four kinds of them fetched as scripts before the graph.
    Their values live in the session state (kept while not drawn: see :func:`explorer`) and the URL.
    """
    # A label that never changes: it is part of the bar's identity, and a new one would fold the bar at each change.
    bar = st.expander("Graph filters", key=appstate.FILTERS_OPEN, on_change="rerun")
    if not bar.open:
        return
    with bar:
        depth_col, cap_col, hubs_col, stated_col = st.columns([2, 2, 1, 1])
        depth_col.slider("Depth (steps from the topic)", MIN_DEPTH, MAX_DEPTH, key="depth")
        cap_col.slider("Node cap (most topics drawn)", appstate.MIN_CAP, appstate.MAX_CAP, step=10, key="cap")
        hubs_col.number_input(
            "Hide hubs", 0, appstate.MAX_HIDDEN_HUBS, key="hubs", help="Leave out the N most connected"
        )
        stated_col.toggle("Stated only", key="stated", help="Only relations the notes state: no 'mentioned together'")
        types_col, relations_col = st.columns(2)
        types_col.multiselect(
            "Topic types", ENTITY_TYPES, format_func=tables.type_name, key="types", placeholder="all types"
        )
        relations_col.multiselect(
            "Relations", list(RELATIONS), format_func=relation_name, key="relations", placeholder="all relations"
        )


# --- first screen: what this is, where to begin ------------------------------------------------------------------


def start(starter: Starter) -> None:
    if starter.focus:
        focus_on(starter.focus)
    st.session_state.to = starter.target or st.session_state.get("to")
    if starter.syllabus:
        st.session_state.syllabus = starter.syllabus
    st.session_state.view = {"topic": "topic", "gaps": "gaps", "path": "path"}[starter.kind]
    st.session_state.shown = None


first_steps = starters(result, source)
if first_steps:
    for column, starter in zip(st.columns(len(first_steps)), first_steps, strict=True):
        column.button(
            md(starter.title),
            key=f"start-{starter.kind}",
            help=md(starter.why),
            on_click=start,
            args=(starter,),
            width="stretch",
        )

# --- the explorer: where you are, the graph and the panel beside it -----------------------------------------------

with st.sidebar:  # the downloads of the whole graph; the current view's is added by the explorer below
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


@st.fragment
def explorer() -> None:
    """Where you are (topic, view, filters), the graph and the panel beside it.

    A fragment: a click on the graph, a filter, a view or a row chosen in here reruns only this part of the page,
    so the browser redraws the graph and the panel, not the sidebar and the first screen as well.
    """
    # Kept while their widgets are not drawn (the Path view's end, the Gaps syllabus): on every run of the fragment,
    # which a widget of it reruns alone.
    for key in appstate.PARAMS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]

    # --- where you are: topic, view, filters ---------------------------------------------------------------------

    choices = appstate.topic_choices(graph, keep=[st.session_state.get("focus"), st.session_state.get("to")])
    search_col, topic_col, view_col = st.columns([3, 3, 4])
    search = search_col.text_input(
        "Find a topic",
        key="search",
        placeholder="any name or alias, any case, typos welcome: sqs, dynamo db",
        on_change=on_search,
        args=(result,),
    )
    focus = topic_col.selectbox("Topic in focus", choices, format_func=topic_name, key="focus")
    view_col.segmented_control(
        "View", appstate.VIEWS, format_func=appstate.VIEW_NAMES.get, key="view", required=True, width="stretch"
    )
    if search.strip():  # a name that fits no topic for sure (or several): offer the closest
        hits = suggest(graph, search, limit=6)
        absent = appstate.absent_service(search)
        if absent:
            st.info(md(absent))
        if hits:
            st.caption("Did you mean:")
            for column, (node, _, _) in zip(st.columns(len(hits)), hits, strict=True):
                column.button(md(topic_name(node)), key=f"suggest-{node}", on_click=focus_on, args=(node,))
        elif not absent:
            st.caption(f"Nothing is named like {md(search)}.")

    # Written before anything slow is drawn, so the address bar is current by the time the graph is.
    view = appstate.from_widgets(st.session_state)
    if not (st.session_state.get("shown") and st.session_state.get("shown_at") == view.focus):
        view = replace(view, show="")  # picked out until the user moves to another topic
    wanted = appstate.to_query(view) | ({access.TOKEN_PARAM: TOKEN} if TOKEN else {})  # a reload keeps the access
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)
    st.session_state.synced = (source, view)

    # --- what is picked out on the graph: the chosen path, or the cluster / gap picked in a table ---------------------

    found_routes = None
    path_choices: list = []
    if view.view == "path" and view.target and view.target != focus:
        found_routes, through_pipelines = routes(result, source, focus, view.target, view.stated_only)
        path_choices = tables.route_options(found_routes, through_pipelines)
    highlight = None
    if path_choices:
        chosen_route = st.session_state.get("route", 0)
        highlight = route_highlight(path_choices[chosen_route if chosen_route < len(path_choices) else 0][1])
    elif st.session_state.get("shown") and st.session_state.get("shown_at") == focus:
        highlight = st.session_state.shown  # picked out until the user moves to another topic

    def show_on_graph(item) -> None:
        """Centre on *item*'s first topic and pick it out: a cluster (``Cluster``) or a structural gap (the link
        holds it as ``show=``, so a shared link picks out the same)."""
        if isinstance(item, StructuralGap):
            show, structural = appstate.shown_param("gap", item.first.id, item.second.id), [item]
        else:
            show, structural = appstate.shown_param("cluster", item.id), []
        found = shown_highlight(show, overview(result, source)[1], structural)
        if found:
            picked, center = found
            focus_on(center)
            st.session_state.shown, st.session_state.shown_at, st.session_state.show = picked, center, show

    def clear_shown() -> None:
        st.session_state.shown, st.session_state.show = None, ""
        st.session_state.route = 0

    graph_col, panel_col = st.columns([3, 2], gap="medium")
    with graph_col:
        try:
            drawn_state = replace(view, view="", target="", syllabus="", show="")
            drawn = graph_view(result, source, drawn_state, highlight)
        except QueryError as err:
            st.error(md(err))
            st.stop()
        if highlight:
            note_col, clear_col = st.columns([4, 1])
            note_col.caption("Picked out on the graph: " + md(highlight.title))
            if not path_choices:
                clear_col.button("Clear", key="clear-shown", on_click=clear_shown)
        draw_graph(drawn)
        filter_bar()
        tips_slot = st.container()  # filled last: see graphcomponent.draw_tips

    # --- the panel beside the graph: the topic card, then the chosen view ---------------------------------------------

    # The panel scrolls on its own, so the graph stays in sight while the user reads an answer and picks from it.
    with panel_col, st.container(height=PANEL_HEIGHT, border=False):
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
        if card["definition"]:
            st.markdown("> " + md(card["definition"]))
            st.caption("Definition from " + md(tables.cite(card["definition_evidence"])))
        else:
            st.caption("The notes give no definition of it.")

        if view.view == "topic":
            if len(card["aliases"]) > 1:
                st.markdown("**Also written as:** " + ", ".join(md(a) for a in card["aliases"]))
            st.markdown(f"**Relations** ({card['relation_count']}) · choose a row to go there")
            pick_table(tables.relation_rows(card), "relations", focus_on, [r["other"] for r in card["relations"]])
            # Folded, and made only when opened: a table is the slowest thing to draw, and a click redraws the panel.
            if card["sections"]:
                folded_table(f"Its own sections ({len(card['sections'])})", "sections-open", tables.section_rows, card)
            mentioned = f"Where the notes mention it ({card['mention_count']})"
            folded_table(mentioned, "mentions-open", tables.mention_rows, card)

        elif view.view == "related":
            found = related(result, source, focus)
            head, pop = st.columns([4, 1])
            head.markdown("**Related topics**, closest first")
            with pop:
                why(RELATED_WHY)
            if not found:
                st.info("Nothing is related: it has no relations.")
            for number, item in enumerate(found, start=1):
                name_col, why_col = st.columns([2, 3])
                name_col.button(
                    md(item.topic.label),
                    key=f"related-{item.topic.id}",
                    on_click=focus_on,
                    args=(item.topic.id,),
                    width="stretch",
                )
                linked = " · linked to it" if item.direct else ""
                why_col.caption(
                    f"{number}. {tables.type_name(item.topic.type)}{linked}  \n"
                    + "  \n".join(md(reason, 200) for reason in item.reasons[:3])
                )

        elif view.view == "path":
            st.selectbox(
                f"From {md(labels[focus])} to",
                choices,
                format_func=topic_name,
                index=None,
                key="to",
                placeholder="Choose where the path should end",
            )
            partners = [n for n in pipeline_partners(graph, focus) if n != view.target][:6]
            if partners:
                st.caption("Along the pipelines your notes state:")
                for column, node in zip(st.columns(3), partners[:3], strict=False):
                    column.button(
                        md(labels[node]), key=f"end-{node}", on_click=set_target, args=(node,), width="stretch"
                    )
                for column, node in zip(st.columns(3), partners[3:], strict=False):
                    column.button(
                        md(labels[node]), key=f"end-{node}", on_click=set_target, args=(node,), width="stretch"
                    )
            if view.target and view.target == focus:
                st.info("Choose another topic: both ends are the same.")
            elif found_routes is not None:
                if not path_choices:
                    st.info(md(found_routes.note))
                else:
                    if st.session_state.get("route") not in range(len(path_choices)):
                        st.session_state.route = 0  # another path end: its first route
                    st.radio(
                        "Show on the graph",
                        range(len(path_choices)),
                        format_func=lambda i: md(path_choices[i][0]),
                        key="route",
                    )
                for number, (title, route) in enumerate(path_choices, start=1):
                    st.markdown(f"**{number}. {md(tables.route_title(route))}**")
                    st.caption(f"{md(title)} · {tables.route_cost(route)}")
                    pick_table(tables.hop_rows(route), f"hops-{number}", focus_on, [h.target.id for h in route.hops])

        elif view.view == "gaps":
            syllabi = list(builtin_syllabi())
            chosen = st.selectbox(
                "Check coverage of an exam syllabus",
                [appstate.NO_SYLLABUS, *syllabi, appstate.OWN_SYLLABUS],
                format_func=lambda key: key.upper() if key in syllabi else key,
                key="syllabus",
            )
            syllabus, syllabus_key = None, ""
            try:
                if chosen == appstate.OWN_SYLLABUS:
                    upload = st.file_uploader("Syllabus (.txt: one service per line, ## categories)", type=["txt"])
                    if upload is not None:
                        raw = upload.getvalue()
                        syllabus_key = "upload:" + appstate.upload_stamp([(upload.name, raw)])
                        syllabus = parse_syllabus(raw.decode("utf-8", "replace"), source=safe_name(upload.name))
                elif chosen != appstate.NO_SYLLABUS:
                    syllabus, syllabus_key = load_syllabus(chosen), chosen
            except SyllabusError as err:
                st.error(md(err))
            report = gaps(result, source, syllabus_key, syllabus)
            rows = tables.gap_rows(report)
            st.markdown("**Do first**")
            st.markdown(
                "\n".join(f"{i}. {md(step.text, 400)}" for i, step in enumerate(report.steps, 1)) or "No gaps found."
            )
            if report.coverage:
                overall = report.coverage.overall
                cols = st.columns(3)
                cols[0].metric("Covered", f"{overall.covered} of {overall.total}")
                cols[1].metric("Mentioned only", overall.mentioned)
                cols[2].metric("Missing", overall.missing)
                st.caption(
                    f"{overall.covered_percent:g}% covered, {overall.mentioned_percent:g}% mentioned only, "
                    f"{overall.missing_percent:g}% missing; a service listed under two categories counts once."
                )
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
                    items = tables.coverage_items(report.coverage, status)
                    with st.expander(f"{title} ({len(items)})"):
                        nodes = [item.node for item, _ in items]
                        if any(nodes):
                            st.caption("Choose a row to go to the topic that decided it.")
                        pick_table(
                            tables.coverage_item_rows(report.coverage, status), f"cover-{status}", focus_if, nodes
                        )
                if report.coverage.issues:
                    st.caption("Syllabus notes: " + "; ".join(md(i) for i in report.coverage.issues[:10]))
            for part, title, nodes in (
                ("unexplained", "Mentioned but never explained", [t.node for t in report.unexplained]),
                ("unfinished", "Unfinished notes", unfinished_topics(result, source, report)),
                ("thin", "Thinly explained services", [t.node for t in report.thin]),
                ("structural", "Clusters barely linked to each other", list(report.structural)),
                ("duplicates", "Explained in more than one place", [d.node for d in report.duplicates]),
            ):
                st.markdown(f"**{title}** ({len(rows[part])})")
                if part == "structural" and rows[part]:
                    st.caption("Choose a row to see both clusters on the graph.")
                    pick_table(rows[part], part, show_on_graph, nodes)
                else:
                    pick_table(rows[part], part, focus_if, nodes)
            st.download_button(
                "Download the gap report (markdown)",
                data=format_markdown(report, limit=10_000),
                file_name="gap-report.md",
                mime="text/markdown",
            )

        else:  # overview
            info, clusters = overview(result, source)
            shown_clusters = tables.shown_clusters(clusters)
            counts = (
                ("Files", info["files"]),
                ("Words", f"{info['words']:,}"),
                ("Topics", info["nodes"]),
                ("Relations", info["edges"]),
                ("Clusters", len(shown_clusters)),
                ("Isolated topics", len(info["isolated"])),
            )
            for row in (counts[:3], counts[3:]):
                for col, (name, value) in zip(st.columns(3), row, strict=True):
                    col.metric(name, value)
            st.markdown("**Topics by type**")
            bar_chart(st, tables.type_chart(info), "no topics", x="Type", y="Topics", horizontal=True)
            st.markdown("**Relations: stated by the notes or not**")
            relation_counts = tables.relation_chart(info)
            bar_chart(st, relation_counts, "no relations", x="Relation", y="Edges", color="Kind", horizontal=True)
            st.markdown("**The largest topic clusters, by type** · choose a row to see a cluster on the graph")
            cluster_chart(tables.cluster_chart(clusters))
            pick_table(tables.cluster_rows(clusters), "clusters", show_on_graph, shown_clusters)
            st.markdown("**Most connected topics** · choose a row to go there")
            pick_table(tables.central_rows(info), "central", focus_on, [t["id"] for t in info["top"]])
            head, pop = st.columns([4, 1])
            head.markdown("**Bridges between clusters**")
            with pop:
                why(BRIDGES_WHY)
            pick_table(tables.bridge_rows(info), "bridges", focus_on, [b["id"] for b in info["bridges"]])

    with st.sidebar:  # written from the fragment: it follows the view
        st.download_button(
            "This view (HTML)",
            data=lambda: drawn.page(graph),  # made only when downloaded: pyvis takes about 0.3 s per page
            file_name=exports.download_name(focus, "html"),
            mime="text/html",
            width="stretch",
        )
    with tips_slot:
        graphcomponent.draw_tips(graph_tips(result, source, drawn_state, highlight))


explorer()
st.sidebar.caption(
    "The address bar holds the view, topic, depth, filters, path end, syllabus and what is picked out: copy it."
)
