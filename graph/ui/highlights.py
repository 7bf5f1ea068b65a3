"""What an answer picks out on the graph: a path's hops, a cluster's members, a structural gap's two clusters.

Each function turns one query answer into a :class:`graph.ui.view.Highlight`
(topics, links, a title in words) for :func:`graph.ui.view.render_neighborhood`;
the page adds the topics to the drawn neighbourhood with
:func:`graph.query.neighborhood.with_topics`, so what is picked out is drawn
even when it lies beyond the view's depth.

>>> from graph.query.results import Topic
>>> from graph.query.paths import Hop, Route
>>> a, b = Topic("a", "A", "service"), Topic("b", "B", "service")
>>> route_highlight(Route([Hop(a, b, [])], 1.0, 1)).links == {("a", "b")}
True
"""

from __future__ import annotations

from graph.gaps import StructuralGap
from graph.query.overview import Cluster
from graph.query.paths import Route
from graph.ui.appstate import parse_shown
from graph.ui.escape import one_line
from graph.ui.tables import shown_clusters
from graph.ui.view import Highlight

__all__ = ["MAX_MEMBERS", "cluster_highlight", "gap_highlight", "route_highlight", "shown_highlight"]

#: Most members of a cluster picked out (the most central ones): more would bury the view.
MAX_MEMBERS = 40


def route_highlight(route: Route) -> Highlight:
    """The topics and hops of *route*, titled "Path: A → B → C"."""
    topics = route.topics
    title = "Path: " + " → ".join(one_line(t.label, 60) for t in topics)
    return Highlight(
        nodes=frozenset(t.id for t in topics),
        links=frozenset((hop.source.id, hop.target.id) for hop in route.hops),
        title=title,
    )


def cluster_highlight(cluster: Cluster, number: int | None = None, limit: int = MAX_MEMBERS) -> Highlight:
    """The *limit* most central members of *cluster*, titled "Cluster 2: its name (17 topics)"."""
    shown = f"Cluster {number}" if number is not None else "Cluster"
    return Highlight(
        nodes=frozenset(t.id for t in cluster.members[:limit]),
        title=f"{shown}: {one_line(cluster.name, 80)} ({cluster.size} topics)",
    )


def gap_highlight(gap: StructuralGap, clusters: list[Cluster], limit: int = MAX_MEMBERS) -> Highlight:
    """Both clusters of a structural gap (the most central *limit* // 2 members of each), titled with both names."""
    by_id = {c.id: c for c in clusters}
    nodes: list[str] = []
    for side in (gap.first, gap.second):
        cluster = by_id.get(side.id)
        if cluster is not None:
            nodes += [t.id for t in cluster.members[: limit // 2]]
    names = " and ".join(one_line(", ".join(side.central), 60) for side in (gap.first, gap.second))
    return Highlight(nodes=frozenset(nodes), title=f"Barely linked: {names}")


def shown_highlight(
    show: str, clusters: list[Cluster], structural: list[StructuralGap]
) -> tuple[Highlight, str] | None:
    """What a ``show=`` value of a link picks out (:func:`graph.ui.appstate.parse_shown`), and the topic to centre on.

    ``None`` when it names a cluster or gap these notes do not have (another build of other notes).
    """
    kind, ids = parse_shown(show)
    by_id = {c.id: c for c in clusters}
    if kind == "cluster" and ids and ids[0] in by_id and by_id[ids[0]].members:
        cluster = by_id[ids[0]]
        number = next((i for i, c in enumerate(shown_clusters(clusters), 1) if c.id == cluster.id), None)
        return cluster_highlight(cluster, number), cluster.members[0].id
    if kind == "gap" and len(ids) == 2:
        gap = next((g for g in structural if (g.first.id, g.second.id) == ids), None)
        first = by_id.get(ids[0])
        if gap is not None and first is not None and first.members:
            return gap_highlight(gap, clusters), first.members[0].id
    return None
