"""Related topics: what else to read after a topic, and why.

:func:`related_topics` ranks topics by three established measures over the
undirected :func:`~graph.store.index.simple_view`, each weighted by
:func:`~graph.store.edges.link_strength` where it takes weights:

* **personalised PageRank** from the topic (restart probability
  :data:`RESTART`), approximated by local push (Andersen, Chung & Lang 2006):
  the work depends on the precision :data:`PUSH_EPSILON`, not on the size of
  the graph;
* **Adamic-Adar**: shared neighbours, each counting ``1 / log(degree)`` so a
  neighbour shared through a hub counts little;
* **Jaccard** over closed neighbourhoods (each topic counts as its own
  neighbour, so a direct link is shared context): shared over all neighbours.

Their scales differ, so they are combined by reciprocal rank fusion
(Cormack, Clarke & Büttcher 2009): a topic scores ``sum(1 / (RRF_K + rank))``
over the three rankings (topics a measure gives nothing share its last rank),
shown divided by the best possible score, so 1.0 means first by every measure. PageRank ranks direct neighbours by how
strongly they are tied; the two neighbour measures bring in topics two steps
away that share much. Candidates are the topics within two steps, those the
push reaches, and the topic's pipeline mates (arrow chains stored in the
index). Each result carries reasons a person can read: the stated relation,
"compared in ...", "same pipeline: ...", "shares N neighbours: ...",
"mentioned together ...", or for a topic further out "3 steps away, through ...".
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from graph.model import INFERRED
from graph.query.results import Topic, topic
from graph.store.adjacency import adjacency
from graph.store.edges import QueryError, link_strength
from graph.store.index import explore_index, simple_view

__all__ = [
    "MAX_TOP",
    "MIN_PIPELINE",
    "NAMED_SHARED",
    "PUSH_EPSILON",
    "RESTART",
    "RRF_K",
    "RelatedTopic",
    "personalized_pagerank",
    "related_topics",
]

#: Personalised PageRank: probability of jumping back to the topic at each step, and the push precision.
RESTART = 0.15
PUSH_EPSILON = 1e-4
#: Reciprocal rank fusion constant (the usual value from Cormack et al.).
RRF_K = 60
#: Most results a query may ask for; shared neighbours named in a reason.
MAX_TOP = 100
NAMED_SHARED = 4
#: A flow statement is a pipeline when it chains at least this many topics.
MIN_PIPELINE = 3


@dataclass
class RelatedTopic:
    """A topic related to the query topic.

    ``score`` is the fused score (0-1]; ``measures`` the raw value of each
    measure; ``direct`` says whether the two are linked; ``shared`` lists
    shared neighbours (ids), most specific (fewest neighbours) first;
    ``reasons`` are readable sentences, strongest first.
    """

    topic: Topic
    score: float
    direct: bool
    measures: dict[str, float]
    shared: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def related_topics(
    graph: nx.MultiDiGraph, node: str, top: int = 10, exclude_neighbors: bool = False
) -> list[RelatedTopic]:
    """The *top* topics most related to *node*, best first, with reasons.

    Parameters
    ----------
    graph : MultiDiGraph
        A graph from :func:`graph.store.build.build_graph`.
    node : str
        The node id (see :func:`graph.query.find.find_node` for names).
    top : int, default 10
        How many to return (1 to :data:`MAX_TOP`).
    exclude_neighbors : bool, default False
        Leave out topics directly linked to *node* (only what its links do not already show).

    Returns
    -------
    list of RelatedTopic
        Ordered by fused score, then by label; see the module docstring.

    Raises
    ------
    QueryError
        For *top* out of range.
    """
    if not 1 <= top <= MAX_TOP:
        raise QueryError(f"the number of related topics must be between 1 and {MAX_TOP}, not {top}")
    simple = simple_view(graph)
    adj = adjacency(simple)  # degrees as len(adj[w]): simple.degree makes a view per call (graph/store/gcfreeze.py)
    neighbours = set(simple[node]) - {node}
    pagerank = personalized_pagerank(simple, node)
    shared = _shared_neighbours(simple, node)
    pipelines = _pipeline_mates(graph, node)
    candidates = (set(pagerank) | set(shared) | set(pipelines)) - {node}
    if exclude_neighbors:
        candidates -= neighbours
    measures = {
        "pagerank": {c: pagerank.get(c, 0.0) for c in candidates},
        "adamic_adar": {c: sum(1.0 / math.log(max(2, len(adj[w]))) for w in shared.get(c, ())) for c in candidates},
        "jaccard": {c: _closed_jaccard(simple, node, c, len(shared.get(c, ()))) for c in candidates},
    }
    fused: dict[str, float] = defaultdict(float)
    for values in measures.values():
        for c, rank in _ranks(values).items():
            fused[c] += 1.0 / (RRF_K + rank)
    best = len(measures) / (RRF_K + 1)
    label = lambda n: graph.nodes[n].get("label", n).casefold()  # noqa: E731
    chosen = heapq.nsmallest(top, fused, key=lambda c: (-fused[c], label(c), c))
    results = []
    for c in chosen:
        common = sorted(shared.get(c, ()), key=lambda w: (len(adj[w]), label(w), w))
        results.append(
            RelatedTopic(
                topic=topic(graph, c),
                score=round(fused[c] / best, 4),
                direct=c in neighbours,
                measures={name: round(values.get(c, 0.0), 6) for name, values in measures.items()},
                shared=common,
                reasons=_reasons(graph, node, c, common, pipelines.get(c)) or [_walk_reason(graph, simple, node, c)],
            )
        )
    return results


def personalized_pagerank(
    simple: nx.Graph, source: str, restart: float = RESTART, epsilon: float = PUSH_EPSILON
) -> dict[str, float]:
    """Approximate personalised PageRank from *source* by local push, edges weighted by ``strength``.

    Every returned value is within ``epsilon * weighted degree`` of the exact
    one (Andersen, Chung & Lang 2006); the work is at most about
    ``1 / (epsilon * restart)`` edge visits whatever the size of the graph.
    Returns ``{node: value}`` for the nodes reached.
    """
    adj = adjacency(simple)
    wdeg = {}

    def degree(u: str) -> float:
        if u not in wdeg:
            wdeg[u] = sum(d["strength"] for d in adj[u].values()) or 1.0
        return wdeg[u]

    estimate: dict[str, float] = defaultdict(float)
    residual: dict[str, float] = defaultdict(float)
    residual[source] = 1.0
    queue = [source]
    while queue:
        u = queue.pop()
        mass = residual[u]
        if mass < epsilon * degree(u):
            continue
        residual[u] = 0.0
        estimate[u] += restart * mass
        spread = (1.0 - restart) * mass / degree(u)
        for v, data in adj[u].items():
            before = residual[v]
            residual[v] = before + spread * data["strength"]
            threshold = epsilon * degree(v)
            if before < threshold <= residual[v]:
                queue.append(v)
    return dict(estimate)


def _closed_jaccard(simple: nx.Graph, node: str, other: str, shared: int) -> float:
    """Jaccard similarity of closed neighbourhoods (each topic counts as its own neighbour), in O(1).

    With closed neighbourhoods a direct link is shared context, so a topic tied
    only to *node* (SQS's FIFO) does not score zero.
    """
    common = shared + (2 if simple.has_edge(node, other) else 0)
    adj = adjacency(simple)  # the simple view has no self-loops: a degree is the neighbour count
    union = len(adj[node]) + 1 + len(adj[other]) + 1 - common
    return common / union


def _shared_neighbours(simple: nx.Graph, node: str) -> dict[str, list[str]]:
    """For each topic two steps away (or one, with neighbours in common): the neighbours it shares with *node*."""
    shared: dict[str, list[str]] = defaultdict(list)
    for middle in simple[node]:
        for other in simple[middle]:
            if other != node:
                shared[other].append(middle)
    return dict(shared)


def _pipeline_mates(graph: nx.MultiDiGraph, node: str) -> dict[str, dict]:
    """Topics in a pipeline (an arrow chain of three topics or more) with *node*, and the longest such pipeline."""
    mates: dict[str, dict] = {}
    chains = [p for p in explore_index(graph).pipelines if node in p["members"] and len(p["members"]) >= MIN_PIPELINE]
    # The longest chain is the best example of the pipeline the two share.
    for pipeline in sorted(chains, key=lambda p: (-len(p["members"]), p["file"], p["line"])):
        for other in pipeline["members"]:
            if other != node:
                mates.setdefault(other, pipeline)
    return mates


def _ranks(values: dict[str, float]) -> dict[str, int]:
    """Competition ranks (1 = highest; equal values, such as all the zeros, share a rank)."""
    ordered = sorted(values.values(), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {c: first[v] for c, v in values.items()}


def _reasons(graph: nx.MultiDiGraph, node: str, other: str, common: list[str], pipeline: dict | None) -> list[str]:
    label = lambda n: graph.nodes[n].get("label", n)  # noqa: E731
    edges = [(node, other, d) for d in graph.get_edge_data(node, other, default={}).values()]
    edges += [(other, node, d) for d in graph.get_edge_data(other, node, default={}).values()]
    edges.sort(key=lambda e: (not e[2].get("stated"), -link_strength(e[2]), e[2]["relation"]))
    reasons, together = [], []
    for u, v, data in edges:
        evidence = (data.get("evidence") or [{}])[0]
        where = _cite(evidence)
        if data["relation"] == "compared_with":
            section = evidence.get("section") or []
            heading = section[-1] if section and " vs" in section[-1].casefold() else evidence.get("text", "")
            reasons.append(f"compared in '{_short(heading)}'{where}")
        elif data["relation"] == INFERRED:
            together.append(f"mentioned together {data.get('count', 1)} time(s){where}")
        else:
            reasons.append(f"{label(u)} -{data['relation']}-> {label(v)}{where}")
    if pipeline is not None:
        reasons.append(f"same pipeline: '{_short(pipeline['text'])}' ({pipeline['file']}:{pipeline['line']})")
    if common:
        named = ", ".join(label(w) for w in common[:NAMED_SHARED])
        more = f" and {len(common) - NAMED_SHARED} more" if len(common) > NAMED_SHARED else ""
        reasons.append(f"shares {len(common)} neighbour(s): {named}{more}")
    return reasons + together


def _walk_reason(graph: nx.MultiDiGraph, simple: nx.Graph, node: str, other: str) -> str:
    """For a topic PageRank found further out: how far it is and through what."""
    steps = nx.bidirectional_shortest_path(simple, node, other)
    through = ", ".join(graph.nodes[n].get("label", n) for n in steps[1:-1])
    return f"{len(steps) - 1} steps away, through {through}"


def _cite(evidence: dict) -> str:
    if not evidence.get("line"):  # not from a note: "(service catalog)"
        return f" {evidence['file']}" if evidence.get("file") else ""
    return f" ({evidence['file']}:{evidence['line']}: '{_short(evidence.get('text', ''))}')"


def _short(text: str, width: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."
