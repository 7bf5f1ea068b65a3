"""The explorer's state as plain data: which notes, which topic, which view; to and from the URL.

The Streamlit page (``streamlit_app.py``) keeps no logic of its own; what it
needs to turn a URL into query arguments and back lives here, as pure
functions with plain values:

* :class:`ViewState`: the view shown (:data:`VIEWS`: topic, related, path,
  gaps, overview), the focus topic, depth, type and relation filters,
  stated-only, hidden hubs, node cap, path target and route, syllabus. :func:`from_query`
  reads it from query parameters (tolerant: a bad value falls back to its
  default and is reported), :func:`to_query` writes it back (defaults
  omitted, so links stay short), :func:`to_widgets` / :func:`from_widgets`
  map it to the page's widget values, :func:`neighborhood_args` to the
  arguments of :func:`graph.query.neighborhood.neighborhood`.
* :func:`resolve_view`: the names in a view (``?focus=sqs``) resolved to node
  ids of the graph, with a message for a name that fits nothing (in words: a
  node id from another graph is named by its label, never shown as an id);
  :func:`absent_service` says when a name the notes lack is a real service
  ("not in your notes; CLF-C02 lists it").
* :class:`NotesSource`: which notes are shown (bundled, a folder, an upload)
  and a stamp of their files, so the cached graph is rebuilt exactly when a
  note changed and the user asked for a rebuild.
* :func:`parse_app_args`: the page's own command line (``streamlit run
  streamlit_app.py -- --notes DIR``).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import networkx as nx

from graph.model import ENTITY_TYPES, RELATIONS
from graph.query.describe import summarize
from graph.query.find import AmbiguousName, NodeNotFound, find_node
from graph.query.neighborhood import MAX_DEPTH, MIN_DEPTH
from graph.sources.bundled import BUNDLED_NOTES
from graph.sources.catalog import load_catalog
from graph.sources.notes import NoNotesError, Withheld, find_note_files, user_path
from graph.sources.syllabus import SyllabusError, builtin_syllabi, load_syllabus

__all__ = [
    "CAP_BY_DEPTH",
    "DEFAULT_CAP",
    "DEFAULT_VIEW",
    "FILTERS_OPEN",
    "MAX_CAP",
    "MAX_CHOICES",
    "MAX_HIDDEN_HUBS",
    "MAX_ROUTES",
    "MIN_CAP",
    "NO_SYLLABUS",
    "OWN_SYLLABUS",
    "PARAMS",
    "VIEWS",
    "VIEW_NAMES",
    "NotesSource",
    "Resolved",
    "ViewState",
    "absent_service",
    "bundled_source",
    "default_topic",
    "describe_filters",
    "drawn_cap",
    "folder_source",
    "from_query",
    "from_widgets",
    "neighborhood_args",
    "notes_roots",
    "notes_stamp",
    "parse_app_args",
    "parse_shown",
    "resolve_topic",
    "resolve_view",
    "shown_param",
    "to_query",
    "to_widgets",
    "topic_choices",
    "upload_source",
    "upload_stamp",
]

#: Node cap of the graph view: default, least, most (never the whole graph of a large corpus).
DEFAULT_CAP, MIN_CAP, MAX_CAP = 100, 10, 500
#: At the default cap the view grows with depth: the most topics drawn at depth 1, 2, 3 (one ring of a hub at
#: depth 1, not a hairball at depth 2). Any other cap is used as it is.
CAP_BY_DEPTH = {1: 40, 2: 70, 3: DEFAULT_CAP}
#: Most hubs a view may hide.
MAX_HIDDEN_HUBS = 20
#: The most routes the Path view offers (its cheapest routes and the stated pipelines through both ends).
MAX_ROUTES = 20
#: Most topics offered in the topic chooser (the most mentioned; the search box finds any topic).
MAX_CHOICES = 3000
#: The views of the explorer, the first the default, and their names on screen.
VIEWS = ("topic", "related", "path", "gaps", "overview")
VIEW_NAMES = {"topic": "Topic", "related": "Related", "path": "Path", "gaps": "Gaps", "overview": "Overview"}
#: The syllabus chooser's entries besides the built-in syllabi (an uploaded syllabus is not in the URL).
NO_SYLLABUS, OWN_SYLLABUS = "(none)", "(upload my own)"
#: Session-state key of the folded filter bar's open state: its controls are drawn only while it is open.
FILTERS_OPEN = "filters-open"
#: Query parameter (and widget key) of each part of the view.
PARAMS = ("view", "focus", "depth", "types", "relations", "stated", "hubs", "cap", "to", "route", "syllabus", "show")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class ViewState:
    """What the explorer shows.

    ``view`` is one of :data:`VIEWS`; ``focus`` and ``target`` are node ids
    once resolved (before, any name as typed; empty for the default topic and
    no path); empty ``types`` and ``relations`` mean all; ``cap`` is the most
    topics drawn, centre included; ``syllabus`` a built-in syllabus name or
    empty for none; ``show`` what is picked out on the graph besides a path
    (:func:`shown_param`: ``cluster:3``, ``gap:2-5``), empty for nothing;
    ``route`` the Path view's chosen route, counted from 0 (``route=1`` in a link is the first).
    """

    view: str = VIEWS[0]
    focus: str = ""
    depth: int = MIN_DEPTH
    types: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    stated_only: bool = False
    hide_hubs: int = 0
    cap: int = DEFAULT_CAP
    target: str = ""
    route: int = 0
    syllabus: str = ""
    show: str = ""


DEFAULT_VIEW = ViewState()
#: What ``show=`` may hold: a cluster (``cluster:ID``) or the two clusters of a structural gap (``gap:ID-ID``).
_SHOW = re.compile(r"(cluster:\d{1,9}|gap:\d{1,9}-\d{1,9})")


def shown_param(kind: str, *cluster_ids: int) -> str:
    """The ``show=`` value picking out a cluster (``kind`` ``"cluster"``) or a structural gap's two (``"gap"``).

    >>> shown_param("cluster", 3), shown_param("gap", 2, 5)
    ('cluster:3', 'gap:2-5')
    """
    return f"{kind}:" + "-".join(str(int(c)) for c in cluster_ids)


def parse_shown(show: str) -> tuple[str, tuple[int, ...]]:
    """``(kind, cluster ids)`` of a ``show=`` value (``("", ())`` when empty).

    >>> parse_shown("gap:2-5"), parse_shown("")
    (('gap', (2, 5)), ('', ()))
    """
    if not show:
        return "", ()
    kind, _, ids = show.partition(":")
    return kind, tuple(int(c) for c in ids.split("-"))


def from_query(params: Mapping[str, object]) -> tuple[ViewState, list[str]]:
    """The view in query parameters *params* (``st.query_params`` or a dict of strings or lists of strings).

    Returns the view and one message per value that could not be used (that
    part keeps its default). Unknown parameters are ignored.
    """
    problems: list[str] = []
    get = lambda key: _last(params.get(key))  # noqa: E731
    depth = _int_param("depth", get("depth"), DEFAULT_VIEW.depth, MIN_DEPTH, MAX_DEPTH, problems)
    hubs = _int_param("hubs", get("hubs"), 0, 0, MAX_HIDDEN_HUBS, problems)
    cap = _int_param("cap", get("cap"), DEFAULT_CAP, MIN_CAP, MAX_CAP, problems)
    route = _int_param("route", get("route"), 1, 1, MAX_ROUTES, problems) - 1
    target = (get("to") or "").strip()
    stated_text = (get("stated") or "").strip().casefold()
    if stated_text not in _TRUE | _FALSE:
        problems.append(f"stated={get('stated')!r} is not yes or no; showing every relation")
    view = (get("view") or "").strip().casefold()
    if view and view not in VIEWS:
        problems.append(f"view={get('view')!r} is not one of {', '.join(VIEWS)}; showing {VIEWS[0]}")
    syllabus = (get("syllabus") or "").strip().casefold()
    if syllabus and syllabus not in builtin_syllabi():
        problems.append(f"syllabus={get('syllabus')!r} is not a built-in syllabus ({', '.join(builtin_syllabi())})")
        syllabus = ""
    show = (get("show") or "").strip().casefold()
    if show and not _SHOW.fullmatch(show):
        problems.append(f"show={get('show')!r} is not cluster:N or gap:N-M; nothing is picked out")
        show = ""
    state = ViewState(
        view=view if view in VIEWS else VIEWS[0],
        focus=(get("focus") or "").strip(),
        depth=depth,
        types=_names_param("types", get("types"), ENTITY_TYPES, problems),
        relations=_names_param("relations", get("relations"), tuple(RELATIONS), problems),
        stated_only=stated_text in _TRUE,
        hide_hubs=hubs,
        cap=cap,
        target=target,
        route=_path_route(view, target, route),
        syllabus=syllabus,
        show=show,
    )
    return state, problems


def to_query(state: ViewState) -> dict[str, str]:
    """Query parameters for *state*: only what differs from the default, lists comma-separated, fixed order."""
    values = {
        "view": state.view if state.view != DEFAULT_VIEW.view else "",
        "focus": state.focus,
        "depth": str(state.depth) if state.depth != DEFAULT_VIEW.depth else "",
        "types": ",".join(state.types),
        "relations": ",".join(state.relations),
        "stated": "1" if state.stated_only else "",
        "hubs": str(state.hide_hubs) if state.hide_hubs else "",
        "cap": str(state.cap) if state.cap != DEFAULT_CAP else "",
        "to": state.target,
        "route": str(state.route + 1) if state.route else "",
        "syllabus": state.syllabus,
        "show": state.show,
    }
    return {key: value for key, value in values.items() if value}


def to_widgets(state: ViewState) -> dict[str, object]:
    """The page's widget values (keyed as :data:`PARAMS`) showing *state*."""
    return {
        "view": state.view,
        "focus": state.focus or None,
        "depth": state.depth,
        "types": list(state.types),
        "relations": list(state.relations),
        "stated": state.stated_only,
        "hubs": state.hide_hubs,
        "cap": state.cap,
        "to": state.target or None,
        "route": state.route,
        "syllabus": state.syllabus or NO_SYLLABUS,
        "show": state.show,
    }


def from_widgets(values: Mapping[str, object]) -> ViewState:
    """The view the page's widget *values* (keyed as :data:`PARAMS`; missing ones default) show.

    A syllabus the user uploaded is not part of the view (it cannot travel in a link).
    """
    types = tuple(t for t in ENTITY_TYPES if t in set(values.get("types") or ()))
    relations = tuple(r for r in RELATIONS if r in set(values.get("relations") or ()))
    view = str(values.get("view") or "")
    syllabus = str(values.get("syllabus") or "")
    return ViewState(
        view=view if view in VIEWS else VIEWS[0],
        focus=str(values.get("focus") or ""),
        depth=int(values.get("depth") or DEFAULT_VIEW.depth),
        # Every type (or relation) chosen is the same as none chosen: no filter.
        types=() if len(types) == len(ENTITY_TYPES) else types,
        relations=() if len(relations) == len(RELATIONS) else relations,
        stated_only=bool(values.get("stated")),
        hide_hubs=int(values.get("hubs") or 0),
        cap=int(values.get("cap") or DEFAULT_CAP),
        target=str(values.get("to") or ""),
        route=_path_route(view, str(values.get("to") or ""), int(values.get("route") or 0)),
        syllabus=syllabus if syllabus not in (NO_SYLLABUS, OWN_SYLLABUS) else "",
        show=str(values.get("show") or ""),
    )


def _path_route(view: str, target: str, route: int) -> int:
    """A route belongs to a path: kept only while the Path view has an end (then it is also in the link)."""
    return route if view == "path" and target else 0


def describe_filters(state: ViewState) -> str:
    """The graph filters of *state* in a few words, for the label of the folded filter bar.

    >>> describe_filters(ViewState(depth=2, stated_only=True))
    'depth 2, stated relations only, up to 70 topics'
    """
    parts = [f"depth {state.depth}"]
    if state.types:
        parts.append("only " + ", ".join(t.replace("_", " ") + "s" for t in state.types))
    if state.relations:
        parts.append(f"{len(state.relations)} relation(s)")
    if state.stated_only:
        parts.append("stated relations only")
    if state.hide_hubs:
        parts.append(f"{state.hide_hubs} hub(s) hidden")
    parts.append(f"up to {drawn_cap(state)} topics")
    return ", ".join(parts)


def neighborhood_args(state: ViewState) -> dict:
    """Keyword arguments of :func:`graph.query.neighborhood.neighborhood` for *state* (besides graph and node)."""
    return {
        "depth": state.depth,
        "types": list(state.types) or None,
        "relations": list(state.relations) or None,
        "stated_only": state.stated_only,
        "hide_hubs": state.hide_hubs,
        "limit": drawn_cap(state) - 1,  # the cap counts the centre too
    }


def drawn_cap(state: ViewState) -> int:
    """The most topics *state* draws: :data:`CAP_BY_DEPTH` at the default cap, else the cap chosen.

    >>> drawn_cap(ViewState(depth=2)), drawn_cap(ViewState(depth=2, cap=150))
    (70, 150)
    """
    return CAP_BY_DEPTH.get(state.depth, DEFAULT_CAP) if state.cap == DEFAULT_CAP else state.cap


# --- names to nodes -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolved:
    """A name looked up in the graph: the ``node`` id (None when nothing fits), a ``message`` when it was not
    taken as typed, and ``suggestions`` (ids) for a name that fits nothing or several topics."""

    node: str | None
    message: str = ""
    suggestions: tuple[str, ...] = ()


def resolve_topic(graph: nx.MultiDiGraph, name: str) -> Resolved:
    """Look *name* up as :func:`graph.query.find.find_node` does (any alias, any case, small typos)."""
    try:
        return Resolved(find_node(graph, name))
    except AmbiguousName as err:
        return Resolved(None, str(err), tuple(node for node, _, _ in err.candidates))
    except NodeNotFound as err:
        labels = {graph.nodes[n].get("label", n): n for n in graph.nodes}
        return Resolved(None, str(err), tuple(labels[s] for s in err.suggestions if s in labels))


def default_topic(graph: nx.MultiDiGraph) -> str:
    """The topic the explorer opens on: the most connected one, as :func:`graph.query.describe.summarize` ranks them
    (most neighbours through stated relations); '' for an empty graph."""
    top = summarize(graph, top=1)["top"]
    return top[0]["id"] if top else ""


def resolve_view(graph: nx.MultiDiGraph, state: ViewState) -> tuple[ViewState, list[str]]:
    """*state* with ``focus`` and ``target`` resolved to node ids of *graph*.

    An empty or unknown focus becomes :func:`default_topic`; an unknown
    target is dropped. Returns the view and a message per name not found.
    """
    problems = []
    found = resolve_topic(graph, state.focus) if state.focus else Resolved(None)
    focus = found.node or default_topic(graph)
    if state.focus and not found.node:
        label = graph.nodes[focus].get("label", focus)
        problems.append(f"{_not_found(graph, state.focus, found)}; showing {label} instead")
    target = ""
    if state.target:
        found = resolve_topic(graph, state.target)
        if found.node:
            target = found.node
        else:
            problems.append(f"path end: {_not_found(graph, state.target, found)}")
    return replace(state, focus=focus, target=target), problems


def absent_service(name: str) -> str:
    """For a *name* the notes do not have: "X is not in your notes; CLF-C02 lists it" when it is a real service
    (in the service catalog), naming the built-in syllabi that list it; '' when it is no known service.

    >>> absent_service("Amazon Kinesis Video Streams")
    'Amazon Kinesis Video Streams is not in your notes; SAA-C03 lists it'
    """
    service = load_catalog().resolve(name)
    if service is None:
        return ""
    listed = [key.upper() for key in _syllabi_listing(service.id)]
    if listed:
        where = f"{' and '.join(listed)} list{'s' if len(listed) == 1 else ''} it"
    else:
        where = "the service catalog knows it, no built-in syllabus lists it"
    return f"{service.label} is not in your notes; {where}"


@functools.lru_cache(maxsize=256)
def _syllabi_listing(catalog_id: str) -> list[str]:
    found = []
    for key in builtin_syllabi():
        try:
            if any(entry.catalog_id == catalog_id for entry in load_syllabus(key).entries):
                found.append(key)
        except SyllabusError:
            continue
    return found


def _not_found(graph: nx.MultiDiGraph, name: str, found: Resolved) -> str:
    """Why *name* fits no topic, in words: an id of another graph's topic ("service:kinesis", after switching
    notes) is named as a person would write it, never as the id."""
    kind, _, rest = name.partition(":")
    if kind in ("service", "term") and rest and " " not in kind:
        catalog = load_catalog()
        shown = catalog.get(rest).label if kind == "service" and rest in catalog else rest
        return f"these notes have no topic {shown!r}"
    return found.message


def topic_choices(graph: nx.MultiDiGraph, keep: Iterable[str] = (), limit: int = MAX_CHOICES) -> list[str]:
    """Node ids for the topic chooser, by label: all of them, or the *limit* most mentioned plus *keep*."""
    nodes = list(graph.nodes)
    if len(nodes) > limit:
        nodes = sorted(nodes, key=lambda n: (-int(graph.nodes[n].get("mention_count", 0)), n))[:limit]
    chosen = set(nodes) | {n for n in keep if n and n in graph}
    return sorted(chosen, key=lambda n: (str(graph.nodes[n].get("label", n)).casefold(), n))


# --- which notes --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotesSource:
    """Which notes the graph is built from.

    ``kind`` is ``"bundled"``, ``"folder"`` (a folder or file on this
    machine, ``path``) or ``"upload"`` (``names`` of the uploaded files);
    ``stamp`` identifies the files' contents when the build was asked for
    (see :func:`notes_stamp`, :func:`upload_stamp`), so equal sources build
    equal graphs and a changed note gives a new source. Hashable, for caches.
    """

    kind: str
    path: str = ""
    stamp: str = ""
    names: tuple[str, ...] = ()

    def describe(self) -> str:
        """In words, e.g. "the bundled notes", "notes/ (folder)", "3 uploaded file(s)"."""
        if self.kind == "bundled":
            return "the bundled notes"
        if self.kind == "upload":
            return f"{len(self.names)} uploaded file(s)"
        return self.path


def bundled_source() -> NotesSource:
    """The bundled notes (``data/notes``), stamped now."""
    return NotesSource("bundled", str(BUNDLED_NOTES), notes_stamp(BUNDLED_NOTES))


def folder_source(path: str | Path, roots: Sequence[Path] | None = None) -> NotesSource:
    """Notes in a folder or file on this machine, stamped now (a path that does not exist gets an empty stamp:
    building it reports the problem).

    With *roots* (see :func:`notes_roots`), a path outside all of them raises
    :class:`~graph.sources.notes.NoNotesError`: the page reads only where the person who started it allowed.
    """
    folder = user_path(path)
    if roots is not None and not _under(folder, roots):
        allowed = ", ".join(str(r) for r in roots)
        raise NoNotesError(
            f"{folder} is outside the folders this explorer may read ({allowed}); "
            "start it with 'notes-graph app --notes-root DIR' to allow another"
        )
    return NotesSource("folder", str(folder), notes_stamp(folder) if folder.exists() else "")


def notes_roots(argv: Sequence[str]) -> tuple[Path, ...]:
    """The folders the page may read notes from: every ``--notes-root DIR`` and the ``--notes`` path given at
    start, else the bundled notes and the folder the server was started in."""
    parser = argparse.ArgumentParser(prog="streamlit_app.py", add_help=False, allow_abbrev=False)
    parser.add_argument("--notes", default=None)
    parser.add_argument("--notes-root", action="append", default=[])
    args, _ = parser.parse_known_args(list(argv))
    roots = [user_path(r) for r in args.notes_root]
    if args.notes:
        roots.append(user_path(args.notes))
    if not args.notes_root:
        roots += [BUNDLED_NOTES, Path.cwd()]
    return tuple(dict.fromkeys(Path(os.path.realpath(r)) for r in roots))


def _under(path: Path, roots: Sequence[Path]) -> bool:
    """Whether *path*, links resolved, is one of *roots* or inside one."""
    real = Path(os.path.realpath(path))
    return any(real == root or real.is_relative_to(root) for root in roots)


def upload_source(files: Sequence[tuple[str, bytes] | Withheld]) -> NotesSource:
    """Uploaded (name, bytes) files; the names are only shown, never used as paths."""
    return NotesSource("upload", "", upload_stamp(files), tuple(name for name, _ in files))


def notes_stamp(path: str | Path) -> str:
    """A short digest of the note files under *path*: their relative names, sizes and modification times.

    It changes when a note is added, removed or saved, and costs one ``stat``
    per file, so pressing "rebuild" with nothing changed finds the cached graph.
    """
    root = Path(path)
    files, _ = find_note_files(root)
    digest = hashlib.sha256()
    for file in files:
        try:
            info = file.stat()
        except OSError:
            continue
        digest.update(f"{file.relative_to(root) if file != root else file.name}\0{info.st_size}\0".encode())
        digest.update(f"{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def upload_stamp(files: Sequence[tuple[str, bytes] | Withheld]) -> str:
    """A short digest of uploaded (name, bytes) files, and of files the browser kept back (by name and size)."""
    digest = hashlib.sha256()
    for name, raw in files:
        digest.update(hashlib.sha256(name.encode("utf-8", "replace")).digest())
        digest.update(hashlib.sha256(raw).digest() if isinstance(raw, bytes) else f"kept back: {raw}\n".encode())
    return digest.hexdigest()[:16]


def parse_app_args(argv: Sequence[str]) -> NotesSource:
    """The notes the page opens on, from its arguments (``streamlit run streamlit_app.py -- --notes DIR``).

    Without ``--notes`` it is the bundled notes. Unknown arguments are ignored
    (Streamlit passes its own through).
    """
    parser = argparse.ArgumentParser(prog="streamlit_app.py", add_help=False, allow_abbrev=False)
    parser.add_argument("--notes", default=None)
    args, _ = parser.parse_known_args(list(argv))
    return folder_source(args.notes) if args.notes else bundled_source()


# --- helpers ------------------------------------------------------------------------------------------------------


def _last(value: object) -> str | None:
    """The last value of a query parameter given once (a string) or several times (a list)."""
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else None
    return None if value is None else str(value)


def _int_param(name: str, text: str | None, default: int, low: int, high: int, problems: list[str]) -> int:
    if text is None or not text.strip():
        return default
    try:
        value = int(text)
    except ValueError:
        problems.append(f"{name}={text!r} is not a whole number; using {default}")
        return default
    if not low <= value <= high:
        problems.append(f"{name}={value} is outside {low}-{high}; using {default}")
        return default
    return value


def _names_param(name: str, text: str | None, valid: Sequence[str], problems: list[str]) -> tuple[str, ...]:
    chosen = {part.strip() for part in (text or "").split(",") if part.strip()}
    unknown = sorted(chosen - set(valid))
    if unknown:
        problems.append(f"{name}: unknown {', '.join(map(repr, unknown))} ignored; valid: {', '.join(valid)}")
    kept = tuple(v for v in valid if v in chosen)
    return () if len(kept) == len(valid) else kept
