"""``notes-graph neighbors | path | related | communities | stats``: ask the graph questions.

Each subcommand finds its topics by name (:func:`graph.query.find.find_node`), calls
one library function and lays out what it returns; ``--json`` prints that
result as it is.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import asdict

from graph.cli.common import EXIT_OK, graph_options, open_graph, positive, print_json, wrap
from graph.model import ENTITY_TYPES, RELATIONS
from graph.query.find import find_node
from graph.query.neighborhood import MAX_DEPTH, Neighborhood, neighborhood
from graph.query.overview import SHOWN_MEMBERS, graph_overview, topic_clusters
from graph.query.paths import Pipeline, Routes, find_routes, offered_routes, pipelines_between
from graph.query.related import related_topics
from graph.query.results import Link
from graph.ui.tables import route_cost
from graph.ui.words import KIND_WORDS, relation_words

#: Links and evidence shown per topic in text output (``--json`` has them all).
SHOWN_LINKS = 3


def register(sub: argparse._SubParsersAction) -> None:
    neighbors = sub.add_parser("neighbors", help="the topics around a topic, how far, and the evidence that ties them")
    neighbors.add_argument("name", help="any name or alias, in any case (e.g. sqs, 'kinesis firehose')")
    neighbors.add_argument("--depth", type=int, default=1, help=f"steps to walk, 1 to {MAX_DEPTH} (default 1)")
    neighbors.add_argument(
        "--types", nargs="+", metavar="TYPE", help=f"only these topic types ({', '.join(ENTITY_TYPES)})"
    )
    neighbors.add_argument(
        "--relations", nargs="+", metavar="RELATION", help=f"only these relations ({', '.join(RELATIONS)})"
    )
    neighbors.add_argument("--min-weight", type=float, default=0.0, help="only edges of at least this weight")
    neighbors.add_argument(
        "--stated-only", action="store_true", help="only relations the notes state (no co-occurrence or catalog links)"
    )
    neighbors.add_argument(
        "--hide-hubs", type=int, default=0, metavar="N", help="leave out the N most connected topics (e.g. S3)"
    )
    neighbors.add_argument(
        "--limit", type=positive, default=50, help="most topics to show, closest and strongest first (default 50)"
    )
    graph_options(neighbors)
    neighbors.set_defaults(handler=cmd_neighbors)

    path = sub.add_parser("path", help="how one topic leads to another: the shortest paths, each hop with evidence")
    path.add_argument("source", help="where the path starts (any name or alias)")
    path.add_argument("target", help="where it ends")
    path.add_argument("--k", type=int, default=3, help="how many paths: the cheapest and the next alternatives")
    path.add_argument("--stated-only", action="store_true", help="only relations the notes state")
    graph_options(path)
    path.set_defaults(handler=cmd_path)

    related = sub.add_parser("related", help="what else to read after a topic, ranked, with reasons")
    related.add_argument("name", help="any name or alias")
    related.add_argument("--top", type=int, default=10, help="how many topics (default 10)")
    related.add_argument(
        "--new-only", action="store_true", help="leave out topics directly linked to it (only what its links hide)"
    )
    graph_options(related)
    related.set_defaults(handler=cmd_related)

    communities = sub.add_parser("communities", help="topic clusters (Leiden, same notes give the same clusters)")
    communities.add_argument(
        "--min-size", type=positive, default=2, help="smallest cluster to list (default 2: no lone topics)"
    )
    communities.add_argument(
        "--members", type=positive, default=SHOWN_MEMBERS, help="members to print per cluster (--json lists all)"
    )
    graph_options(communities)
    communities.set_defaults(handler=cmd_communities)

    stats = sub.add_parser("stats", help="overview: counts, central topics, bridges between clusters, isolated topics")
    stats.add_argument("--top", type=positive, default=10, help="how many central topics and bridges (default 10)")
    graph_options(stats)
    stats.set_defaults(handler=cmd_stats)


def _names(values: list[str] | None) -> list[str] | None:
    """Accept both ``--types service concept`` and ``--types service,concept``."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


# --- neighbors ----------------------------------------------------------------------------------------------------


def cmd_neighbors(args: argparse.Namespace) -> int:
    graph = open_graph(args)
    node = find_node(graph, args.name)
    result = neighborhood(
        graph,
        node,
        depth=args.depth,
        types=_names(args.types),
        relations=_names(args.relations),
        min_weight=args.min_weight,
        stated_only=args.stated_only,
        hide_hubs=args.hide_hubs,
        limit=args.limit,
    )
    if args.json:
        print_json(asdict(result))
    else:
        print(format_neighborhood(result, {t.id: t.label for t in _topics_of(result)}))
    return EXIT_OK


def _topics_of(result: Neighborhood) -> list:
    return [result.center, *(n.topic for n in result.neighbors)]


def format_neighborhood(result: Neighborhood, labels: dict[str, str]) -> str:
    center = result.center
    shown = len(result.neighbors)
    lines = [f"{center.label} [{center.type}]: {shown} topic(s) within {_steps(result.depth)}"]
    applied = _filters_text(result.filters)
    if applied:
        lines.append(f"Filters: {applied}")
    distance = 0
    for neighbor in result.neighbors:
        if neighbor.distance != distance:
            distance = neighbor.distance
            lines += ["", f"{_steps(distance)} away:"]
        lines.append(f"  {neighbor.topic.label} [{neighbor.topic.type}]")
        for lk in neighbor.links[:SHOWN_LINKS]:
            lines.append(f"      {_link_text(lk, labels)}")
            for ev in lk.evidence[:1]:
                lines += wrap(_cite(ev), "          ", width=110, first_only=True)
        if len(neighbor.links) > SHOWN_LINKS:
            lines.append(f"      ... and {len(neighbor.links) - SHOWN_LINKS} more link(s) (--json lists them)")
    if not result.neighbors:
        lines.append("Nothing around it with these filters.")
    if result.hidden_hubs:
        lines += ["", "Hidden hubs: " + ", ".join(h.label for h in result.hidden_hubs)]
    if result.left_out:
        cut = ", ".join(f"{count} at {_steps(d)}" for d, count in sorted(result.left_out.items()))
        lines += ["", f"Left out by the limit of {result.filters['limit']}: {cut} (raise --limit)"]
    return "\n".join(lines)


def _steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


def _filters_text(filters: dict) -> str:
    parts = []
    if filters["types"]:
        parts.append("types " + ", ".join(filters["types"]))
    if filters["relations"]:
        parts.append("relations " + ", ".join(filters["relations"]))
    if filters["min_weight"]:
        parts.append(f"weight >= {filters['min_weight']:g}")
    if filters["stated_only"]:
        parts.append("stated relations only")
    return "; ".join(parts)


def _link_text(lk: Link, labels: dict[str, str]) -> str:
    source, target = labels.get(lk.source, lk.source), labels.get(lk.target, lk.target)
    return f"{source} {relation_words(lk.relation)} {target}  ({KIND_WORDS[lk.kind]}, weight {lk.weight:g})"


def _cite(ev: dict) -> str:
    if not ev.get("line"):
        return str(ev.get("file", ""))
    return f"{ev['file']} line {ev['line']}: '{' '.join(str(ev.get('text', '')).split())}'"


# --- path ---------------------------------------------------------------------------------------------------------


def cmd_path(args: argparse.Namespace) -> int:
    graph = open_graph(args)
    source = find_node(graph, args.source)
    target = find_node(graph, args.target)
    result = find_routes(graph, source, target, k=args.k, stated_only=args.stated_only)
    pipelines = pipelines_between(graph, source, target)  # what the notes state comes first, as in the app
    if args.json:
        data = asdict(result)
        for route, plain in zip(result.routes, data["routes"], strict=True):
            plain["topics"] = [asdict(t) for t in route.topics]
        data["pipelines"] = [asdict(p) for p in pipelines]
        for pipeline, plain in zip(pipelines, data["pipelines"], strict=True):
            plain["route"]["topics"] = [asdict(t) for t in pipeline.route.topics]
        print_json(data)
    else:
        print(format_routes(result, pipelines))
    return EXIT_OK


def format_routes(result: Routes, pipelines: Sequence[Pipeline] = ()) -> str:
    """The routes in words: the stated *pipelines* through both ends first, then the cheapest other routes."""
    head = f"{result.source.label} -> {result.target.label}"
    offered = offered_routes(result, list(pipelines))
    if not offered:
        lines = [f"{head}: {result.note}."]
        for end, component in zip((result.source, result.target), result.components, strict=True):
            examples = ", ".join(t.label for t in component.examples if t.id != end.id)
            lines.append(
                f"  {end.label} is in a group of {component.size} topic(s)" + (f" with {examples}" if examples else "")
            )
        return "\n".join(lines)
    order = "the pipelines your notes state first, then cheapest first" if pipelines else "cheapest first"
    lines = [f"{head}: {len(offered)} path(s), {order}" + (" (stated only)" if result.stated_only else "")]
    for number, (pipeline, route) in enumerate(offered, start=1):
        names = " -> ".join(t.label for t in route.topics)
        said = f" · stated in your notes at {pipeline.file} line {pipeline.line}" if pipeline else ""
        lines += [
            "",
            f"{number}. {names}",
            f"   {route_cost(route)}{said}",
        ]
        for hop in route.hops:
            labels = {hop.source.id: hop.source.label, hop.target.id: hop.target.label}
            best = hop.links[0]
            arrow = f"{labels[best.source]} {relation_words(best.relation)} {labels[best.target]}"
            where = f" ({_cite(best.evidence[0])})" if best.evidence else ""
            lines += wrap(f"{arrow}{where}", "   ", width=130, first_only=True)
            if len(hop.links) > 1:
                others = ", ".join(dict.fromkeys(relation_words(lk.relation) for lk in hop.links[1:]))
                lines.append(f"       also: {others}")
    return "\n".join(lines)


# --- related ------------------------------------------------------------------------------------------------------


def cmd_related(args: argparse.Namespace) -> int:
    graph = open_graph(args)
    node = find_node(graph, args.name)
    results = related_topics(graph, node, top=args.top, exclude_neighbors=args.new_only)
    label = graph.nodes[node].get("label", node)
    if args.json:
        print_json({"topic": node, "label": label, "related": [asdict(r) for r in results]})
        return EXIT_OK
    lines = [f"Topics related to {label}, best first (score 1 = first by every measure; * = directly linked):"]
    for number, found in enumerate(results, start=1):
        mark = "*" if found.direct else " "
        lines.append(f"{number:>3}. {mark} {found.topic.label} [{found.topic.type}]  {found.score:.2f}")
        for reason in found.reasons[:SHOWN_LINKS]:
            lines += wrap(reason, "          ", width=120, first_only=True)
    if not results:
        lines.append("  nothing: it has no relations")
    print("\n".join(lines))
    return EXIT_OK


# --- communities and stats ----------------------------------------------------------------------------------------


def cmd_communities(args: argparse.Namespace) -> int:
    graph = open_graph(args)
    every = topic_clusters(graph)
    clusters = [c for c in every if c.size >= args.min_size]
    if args.json:
        print_json([asdict(c) for c in clusters])
        return EXIT_OK
    alone = sum(1 for c in every if c.size < args.min_size)
    lines = [f"{len(clusters)} topic cluster(s) of {args.min_size} or more topics ({alone} smaller left out)."]
    for cluster in clusters:
        types = ", ".join(f"{n} {kind}" for kind, n in cluster.types.items())
        lines += ["", f"#{cluster.id} {cluster.name}: {cluster.size} topics ({types})"]
        shown = ", ".join(t.label for t in cluster.members[: args.members])
        more = f" and {cluster.size - args.members} more" if cluster.size > args.members else ""
        lines += wrap(shown + more, "    ")
        if cluster.links:
            linked = ", ".join(f"#{other} ({n})" for other, n in list(cluster.links.items())[:5])
            lines.append(f"    most links to: {linked}")
    print("\n".join(lines))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    graph = open_graph(args)
    info = graph_overview(graph, top=args.top)
    if args.json:
        print_json(info)
        return EXIT_OK
    lines = [
        f"{info['nodes']} topics, {info['edges']} relations from {info['files']} file(s), {info['words']:,} words.",
        "",
        "Topics by type: " + ", ".join(f"{kind} {n}" for kind, n in info["types"].items()),
        "Relations (stated / all):",
    ]
    lines += [f"  {name:<14} {c['stated']:>5} / {c['edges']:<5}" for name, c in info["relations"].items()]
    lines += ["", "Most connected topics (neighbours through stated relations, all neighbours):"]
    lines += [f"  {t['label']} [{t['type']}]: {t['stated_neighbours']}, {t['neighbours']}" for t in info["top"]]
    sampled = f", sampled from {info['betweenness_samples']} topics" if info["betweenness_samples"] else ""
    lines += ["", f"Bridges between clusters (betweenness{sampled}):"]
    lines += [
        f"  {b['label']} [{b['type']}]: {b['betweenness']:.3f}, touches clusters {', '.join(map(str, b['clusters']))}"
        for b in info["bridges"]
    ]
    sizes = ", ".join(map(str, info["component_sizes"]))
    lines += [
        "",
        f"Clusters of two or more topics: {info['clusters']} (see 'notes-graph communities').",
        f"Connected components: {info['components']} (largest: {sizes}).",
        f"Isolated topics: {len(info['isolated'])}",
    ]
    if info["isolated"]:
        lines += wrap(", ".join(t["label"] for t in info["isolated"]), "  ")
    print("\n".join(lines))
    return EXIT_OK
