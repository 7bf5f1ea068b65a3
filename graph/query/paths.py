"""Paths between two topics: how does Kinesis get to QuickSight?

:func:`find_routes` returns the cheapest path (:func:`cheapest_path`, a
bidirectional Dijkstra over the undirected :func:`~graph.store.index.simple_view`) and up to ``k - 1``
alternatives. A hop costs 1 over a stated relation, 2 over a catalog family
link and 5 over inferred co-occurrence (:data:`graph.store.index.KIND_COST`), so a
path the notes state is preferred to a shortcut through "mentioned together";
among equal kinds, better-evidenced hops cost slightly less.

Alternatives come from the penalty method used for alternative routes in road
networks: after each search, every link of the path found costs
:data:`PENALTY` times more, and the search is run again, so the next path
takes other topics where the notes offer them instead of swapping one node
(what Yen's k shortest paths returns, at several times the cost on a large
graph). Each query is ``k`` to ``3 k`` bidirectional searches. Routes are
listed by their true (unpenalised) cost. Each hop lists every relation
between its two topics, in the relation's own direction, with its evidence.

When there is no path, the result says which connected component each side
is in (from the index stored at build time).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from itertools import count, pairwise

import networkx as nx

from graph.query.results import Link, Topic, link, topic
from graph.store.adjacency import adjacency
from graph.store.edges import STATED, QueryError, link_strength
from graph.store.index import explore_index, simple_view

__all__ = [
    "MAX_ROUTES",
    "MAX_TRIES",
    "PENALTY",
    "Component",
    "Hop",
    "Pipeline",
    "Route",
    "Routes",
    "cheapest_path",
    "find_routes",
    "offered_routes",
    "pipeline_partners",
    "pipelines_between",
]

#: Most paths a query may ask for.
MAX_ROUTES = 10
#: Alternatives: each link of a path found costs this many times more in the next search ...
PENALTY = 2.0
#: ... and at most this many searches are made per path asked for (a tree has only one path).
MAX_TRIES = 3


@dataclass
class Hop:
    """One step of a route, from ``source`` to ``target`` (the walking direction), and every relation between them."""

    source: Topic
    target: Topic
    links: list[Link]


@dataclass
class Route:
    """A path: its ``hops`` in order, its ``cost``, and how many hops are stated."""

    hops: list[Hop]
    cost: float
    stated_hops: int

    @property
    def topics(self) -> list[Topic]:
        return [self.hops[0].source, *(hop.target for hop in self.hops)] if self.hops else []

    @property
    def kinds(self) -> dict[str, int]:
        """How many hops are of each kind (``stated``, ``catalog``, ``inferred``), by each hop's best link."""
        counts: dict[str, int] = {}
        for hop in self.hops:
            if hop.links:
                counts[hop.links[0].kind] = counts.get(hop.links[0].kind, 0) + 1
        return counts


@dataclass
class Pipeline:
    """A pipeline the notes state (one arrow chain or flow line) that passes through both ends of a path.

    ``route`` walks it from one end to the other; ``file``, ``line`` and ``text`` say where it is written.
    """

    file: str
    line: int
    text: str
    route: Route


@dataclass
class Component:
    """A connected component: its size and its most connected members (up to five)."""

    id: int
    size: int
    examples: list[Topic]


@dataclass
class Routes:
    """The result of :func:`find_routes`.

    ``routes`` is cheapest first (empty when there is no path);
    ``components`` then holds the component of each side, source first;
    ``note`` says in words why there is no path.
    """

    source: Topic
    target: Topic
    routes: list[Route]
    stated_only: bool
    components: list[Component] = field(default_factory=list)
    note: str = ""


def find_routes(graph: nx.MultiDiGraph, source: str, target: str, k: int = 3, stated_only: bool = False) -> Routes:
    """The *k* cheapest simple paths from *source* to *target*, each hop explained.

    Parameters
    ----------
    graph : MultiDiGraph
        A graph from :func:`graph.store.build.build_graph`.
    source, target : str
        Node ids (see :func:`graph.query.find.find_node` for names).
    k : int, default 3
        How many paths: the cheapest and up to ``k - 1`` alternatives (1 to :data:`MAX_ROUTES`).
    stated_only : bool, default False
        Walk only relations the notes state.

    Returns
    -------
    Routes

    Raises
    ------
    QueryError
        For the same topic at both ends or *k* out of range.
    """
    if source == target:
        raise QueryError(f"both ends are the same topic ({graph.nodes[source].get('label', source)})")
    if not 1 <= k <= MAX_ROUTES:
        raise QueryError(f"the number of paths must be between 1 and {MAX_ROUTES}, not {k}")
    simple = simple_view(graph)
    # Keyed by the id of the pair's attribute dict, which both directions of an undirected edge share.
    penalty: dict[int, float] = {}
    found: list[list[str]] = []
    for _ in range(k * MAX_TRIES):
        nodes = cheapest_path(simple, source, target, stated_only, penalty)
        if nodes is None:
            break
        if nodes not in found:
            found.append(nodes)
            if len(found) == k:
                break
        for u, v in pairwise(nodes):
            key = id(simple[u][v])
            penalty[key] = penalty.get(key, 1.0) * PENALTY
    routes = sorted((_route(graph, simple, nodes, stated_only) for nodes in found), key=lambda r: r.cost)
    result = Routes(topic(graph, source), topic(graph, target), routes, stated_only)
    if not routes:
        _explain_no_path(graph, result)
    return result


def cheapest_path(
    simple: nx.Graph, source: str, target: str, stated_only: bool = False, penalty: dict[int, float] | None = None
) -> list[str] | None:
    """The cheapest path from *source* to *target* in :func:`~graph.store.index.simple_view` *simple*, or ``None``.

    Bidirectional Dijkstra over the edges' ``cost``; with *stated_only*, only
    edges with a stated relation; *penalty* multiplies the cost of the edges
    whose attribute dict has that ``id``. The search stops as soon as the
    smallest keys of the two frontiers add up to the cheapest meeting found,
    the classic stopping rule; :func:`networkx.bidirectional_dijkstra` waits
    for a topic reached from both sides, which explored about 2.5 times as
    much on a 50,000-node graph with hubs. Ties go to the edge met first.
    """
    adj = adjacency(simple)
    if source == target:
        return [source]
    seen: tuple[dict, dict] = ({source: 0.0}, {target: 0.0})
    before: tuple[dict, dict] = ({source: None}, {target: None})
    fringe: tuple[list, list] = ([(0.0, 0, source)], [(0.0, 0, target)])
    done: tuple[set, set] = (set(), set())
    tick = count(1)
    best, meeting = math.inf, None
    while fringe[0] and fringe[1] and fringe[0][0][0] + fringe[1][0][0] < best:
        side = 0 if fringe[0][0][0] <= fringe[1][0][0] else 1
        here, there, came_from, queue = seen[side], seen[1 - side], before[side], fringe[side]
        length, _, node = heapq.heappop(queue)
        if node in done[side]:
            continue
        done[side].add(node)
        for other, pair in adj[node].items():
            if stated_only and not pair["stated"]:
                continue
            reach = length + (pair["cost"] * penalty.get(id(pair), 1.0) if penalty else pair["cost"])
            known = here.get(other)
            if known is None or reach < known:
                here[other] = reach
                came_from[other] = node
                heapq.heappush(queue, (reach, next(tick), other))
                across = there.get(other)
                if across is not None and reach + across < best:
                    best, meeting = reach + across, other
    if meeting is None:
        return None
    path = []
    node = meeting
    while node is not None:
        path.append(node)
        node = before[0][node]
    path.reverse()
    node = before[1][meeting]
    while node is not None:
        path.append(node)
        node = before[1][node]
    return path


def pipelines_between(graph: nx.MultiDiGraph, source: str, target: str, limit: int = 3) -> list[Pipeline]:
    """The stated pipelines that pass through *source* and then *target* (or the other way), shortest walk first.

    A pipeline is an arrow chain of the notes (``Kinesis → Firehose → S3``), as
    the graph's index keeps them; the route follows its members in order from
    *source* to *target*, so it is exactly what the note says. Two pipelines
    walking the same topics count once.

    >>> from graph.store.build import build_notes
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.md").write_text("# Flow\\n\\nAmazon Kinesis -> Amazon S3 -> Amazon Athena\\n")
    >>> found = pipelines_between(build_notes(folder).graph, "service:athena", "service:kinesis")
    >>> [t.id for t in found[0].route.topics]
    ['service:athena', 'service:s3', 'service:kinesis']
    """
    simple = simple_view(graph)
    found: dict[tuple[str, ...], Pipeline] = {}
    for pipeline in explore_index(graph).pipelines:
        members = list(pipeline["members"])
        if source not in members or target not in members or source == target:
            continue
        start, end = members.index(source), members.index(target)
        walk = members[start : end + 1] if start < end else members[end : start + 1][::-1]
        if any(not simple.has_edge(u, v) for u, v in pairwise(walk)) or tuple(walk) in found:
            continue
        route = _route(graph, simple, walk, stated_only=False)
        found[tuple(walk)] = Pipeline(pipeline["file"], int(pipeline["line"]), str(pipeline["text"]), route)
    return sorted(found.values(), key=lambda p: (len(p.route.hops), p.file, p.line))[:limit]


def offered_routes(routes: Routes, pipelines: list[Pipeline]) -> list[tuple[Pipeline | None, Route]]:
    """The routes to offer between two ends, in the order the app and the CLI show them.

    The stated pipelines through both ends come first (*pipelines*, from :func:`pipelines_between`: what the notes
    say), each with its :class:`Pipeline`; then the routes of *routes* (from :func:`find_routes`, cheapest first)
    that walk other topics than those, each with ``None``.

    >>> from graph.store.build import build_notes
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.md").write_text("# Flow\\n\\nAmazon Kinesis -> Amazon S3 -> Amazon Athena\\n")
    >>> graph = build_notes(folder).graph
    >>> start, end = "service:kinesis", "service:athena"
    >>> offered = offered_routes(find_routes(graph, start, end), pipelines_between(graph, start, end))
    >>> [(pipeline is not None, len(route.hops)) for pipeline, route in offered]
    [(True, 2), (False, 1), (False, 2)]
    """
    offered: list[tuple[Pipeline | None, Route]] = [(p, p.route) for p in pipelines]
    walked = {tuple(t.id for t in route.topics) for _, route in offered}
    for route in routes.routes:
        if tuple(t.id for t in route.topics) not in walked:
            offered.append((None, route))
    return offered


def pipeline_partners(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """The topics that share a stated pipeline with *node*, in pipeline order (longest pipeline first), once each:
    the path ends worth offering first."""
    pipelines = [p for p in explore_index(graph).pipelines if node in p["members"]]
    pipelines.sort(key=lambda p: (-len(p["members"]), p["file"], p["line"]))
    partners = [m for p in pipelines for m in p["members"] if m != node and m in graph]
    return list(dict.fromkeys(partners))


def _route(graph: nx.MultiDiGraph, simple: nx.Graph, nodes: list[str], stated_only: bool) -> Route:
    hops = []
    for u, v in pairwise(nodes):
        edges = [(u, v, d) for d in graph.get_edge_data(u, v, default={}).values()]
        edges += [(v, u, d) for d in graph.get_edge_data(v, u, default={}).values()]
        if stated_only:
            edges = [e for e in edges if e[2].get("stated")]
        edges.sort(key=lambda e: (not e[2].get("stated"), -link_strength(e[2]), e[2]["relation"], e[0]))
        hops.append(Hop(topic(graph, u), topic(graph, v), [link(a, b, d) for a, b, d in edges]))
    total = sum(simple.edges[u, v]["cost"] for u, v in pairwise(nodes))
    stated = sum(1 for hop in hops if hop.links and hop.links[0].kind == STATED)
    return Route(hops, round(total, 3), stated)


def _explain_no_path(graph: nx.MultiDiGraph, result: Routes) -> None:
    index = explore_index(graph)
    where = index.component_of()
    ends = (result.source.id, result.target.id)
    for node in ends:
        members = index.components[where[node]]
        result.components.append(Component(where[node], len(members), [topic(graph, n) for n in members[:5]]))
    if where[ends[0]] == where[ends[1]]:
        result.note = "no path through stated relations alone; there is one through inferred or catalog links"
    else:
        first, second = result.components
        result.note = (
            f"no path: {result.source.label} is in a group of {first.size} topic(s), "
            f"{result.target.label} in another group of {second.size}"
        )
