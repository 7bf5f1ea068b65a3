"""The whole graph at a glance: topic clusters, central topics, bridges, isolated topics.

:func:`topic_clusters` lists the Leiden communities (from the index stored at
build time, so the same notes always give the same clusters), each named by
its most central members and with the clusters it links to most.
:func:`graph_overview` adds to :func:`graph.query.describe.summarize` (counts per
type and relation, most connected topics) the bridges between clusters
(betweenness), the connected components and the isolated topics.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import networkx as nx

from graph.query.describe import summarize
from graph.query.results import Topic, topic
from graph.store.index import explore_index, simple_view

__all__ = ["SHOWN_MEMBERS", "Cluster", "graph_overview", "topic_clusters"]

#: Members listed per cluster in a result; the JSON of the CLI lists all.
SHOWN_MEMBERS = 8


@dataclass
class Cluster:
    """A topic cluster: ``name`` from its most central members, ``size``, ``members`` (most central first),
    ``types`` (count per topic type) and ``links`` (``{cluster id: edges}`` to other clusters, most first)."""

    id: int
    name: str
    size: int
    members: list[Topic]
    types: dict[str, int]
    links: dict[int, int]


def topic_clusters(graph: nx.MultiDiGraph, min_size: int = 1) -> list[Cluster]:
    """The topic clusters of *graph* with at least *min_size* members, largest first.

    Parameters
    ----------
    graph : MultiDiGraph
    min_size : int, default 1
        Leave out smaller clusters (isolated topics are clusters of one).

    Returns
    -------
    list of Cluster
        Ids, names and members as :func:`graph.store.communities.detect_communities` gives them.
    """
    index = explore_index(graph)
    where = index.community_of()
    simple = simple_view(graph)
    between: dict[int, Counter] = {c["id"]: Counter() for c in index.communities}
    for u, v in simple.edges():
        if where[u] != where[v]:
            between[where[u]][where[v]] += 1
            between[where[v]][where[u]] += 1
    clusters = []
    for community in index.communities:
        members = community["members"]
        if len(members) < min_size:
            continue
        clusters.append(
            Cluster(
                id=community["id"],
                name=community["name"],
                size=len(members),
                members=[topic(graph, n) for n in members],
                types=dict(sorted(Counter(graph.nodes[n].get("type", "") for n in members).items())),
                links=dict(sorted(between[community["id"]].items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )
    return clusters


def graph_overview(graph: nx.MultiDiGraph, top: int = 10) -> dict:
    """Counts, central topics, bridges, components and isolated topics of *graph*.

    Returns
    -------
    dict
        Everything :func:`graph.query.describe.summarize` returns (``top`` is the
        most connected topics), plus

        * ``bridges``: the *top* topics by betweenness, each with
          ``betweenness`` and ``clusters`` (the ids of the clusters its
          neighbours are in; a bridge touches several);
        * ``betweenness_samples``: sources sampled for betweenness (``None`` when exact);
        * ``clusters``: how many clusters of two or more topics;
        * ``components``: how many connected components, and ``component_sizes``
          (the largest few);
        * ``isolated``: topics with no relation to another topic, by label.
    """
    summary = summarize(graph, top=top)
    index = explore_index(graph)
    where = index.community_of()
    simple = simple_view(graph)
    bridges = []
    for bridge in index.bridges[:top]:
        node = bridge["id"]
        touched = sorted({where[n] for n in simple[node]} | {where[node]})
        bridges.append({**asdict(topic(graph, node)), "betweenness": bridge["betweenness"], "clusters": touched})
    # A component of one topic is a topic with no relation to any other.
    alone = [members[0] for members in index.components if len(members) == 1]
    isolated = sorted(alone, key=lambda n: (graph.nodes[n].get("label", n).casefold(), n))
    summary.update(
        bridges=bridges,
        betweenness_samples=index.betweenness_samples,
        clusters=sum(1 for c in index.communities if len(c["members"]) > 1),
        components=len(index.components),
        component_sizes=[len(c) for c in index.components[:top]],
        isolated=[asdict(topic(graph, n)) for n in isolated],
    )
    return summary
