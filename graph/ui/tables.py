"""Query results as table rows and chart data: what the explorer's tables and charts show.

Each function takes the plain result of one library query
(:func:`graph.query.describe.describe_entity`, :func:`graph.query.paths.find_routes`,
:func:`graph.gaps.report.gap_report`, :func:`graph.query.overview.graph_overview`, ...) and
returns a list of dicts with readable column names, one dict per row, ready
for ``st.dataframe`` or a chart. Cells taken from the notes go through
:func:`graph.ui.escape.one_line`, so they are single lines of plain text; the
page shows them in data frames, which display text as text. Relations are
named in words (:mod:`graph.ui.words`), never by their ids.

Row *i* of a table is item *i* of the list it was made from (for clusters,
of :func:`shown_clusters`), so the page maps a selected row back to its topic.
"""

from __future__ import annotations

from graph.gaps import COVERED, MENTIONED, MISSING, Coverage, GapReport
from graph.model import INFERRED
from graph.query.overview import Cluster
from graph.query.paths import Pipeline, Route, Routes, offered_routes
from graph.ui.escape import one_line
from graph.ui.words import KIND_WORDS, relation_name, relation_words, route_cost_words

__all__ = [
    "CELL_WIDTH",
    "TYPE_NAMES",
    "bridge_rows",
    "central_rows",
    "cite",
    "cluster_chart",
    "cluster_rows",
    "coverage_chart",
    "coverage_item_rows",
    "coverage_items",
    "coverage_rows",
    "gap_rows",
    "hop_rows",
    "mention_rows",
    "problem_rows",
    "relation_chart",
    "relation_rows",
    "route_cost",
    "route_options",
    "route_title",
    "section_rows",
    "shown_clusters",
    "type_chart",
    "type_name",
]

#: Characters of note text per cell.
CELL_WIDTH = 240
#: Human names of the topic types, for tables, filters and the legend.
TYPE_NAMES = {"service": "service", "concept": "concept", "use_case": "use case", "technology": "technology"}


def type_name(kind: str) -> str:
    """A topic type as a person reads it ("use case" for ``use_case``)."""
    return TYPE_NAMES.get(kind, kind)


def cite(evidence: dict | None) -> str:
    """``file:line`` of an evidence dict (the file alone for catalog facts, "" for none)."""
    if not evidence:
        return ""
    if not evidence.get("line"):
        return one_line(evidence.get("file", ""))
    return f"{one_line(evidence.get('file', ''))}:{evidence['line']}"


def _evidence_text(evidence: dict | None) -> str:
    if not evidence:
        return ""
    return f"{cite(evidence)}: {one_line(evidence.get('text', ''), CELL_WIDTH)}"


# --- one topic ----------------------------------------------------------------------------------------------------


def mention_rows(entity: dict) -> list[dict]:
    """Every place *entity* (from ``describe_entity``) is mentioned: where, under which heading, the sentence."""
    return [
        {
            "Where": cite(m),
            "Section": one_line(" > ".join(m.get("section", [])), CELL_WIDTH),
            "Sentence": one_line(m.get("text", ""), CELL_WIDTH),
        }
        for m in entity["mentions"]
    ]


def section_rows(entity: dict) -> list[dict]:
    """The sections of its own *entity* has: file, lines, heading, lines of text."""
    return [
        {
            "Where": f"{one_line(s['file'])}:{s['start_line']}-{s['end_line']}",
            "Heading": one_line(s.get("title", ""), CELL_WIDTH),
            "Lines of text": int(s.get("content_lines", 0)),
        }
        for s in entity["sections"]
    ]


def relation_rows(entity: dict) -> list[dict]:
    """The relations of *entity*, stated first: the relation in words as read from *entity* ("feeds into",
    "is fed by"), the other topic, how it is known, evidence."""
    rows = []
    for r in entity["relations"]:
        kind = "stated" if r["stated"] else "inferred" if r["relation"] == INFERRED else "catalog"
        evidence = r.get("evidence") or []
        rows.append(
            {
                "Relation": relation_words(r["relation"], forward=r["direction"] == "out"),
                "Topic": one_line(r["other_label"]),
                "Type": type_name(r["other_type"]),
                "Known from": KIND_WORDS[kind],
                "Evidence": _evidence_text(evidence[0] if evidence else None),
                "More evidence": max(0, len(evidence) - 1),
            }
        )
    return rows


# --- paths --------------------------------------------------------------------------------------------------------


def route_title(route: Route) -> str:
    """``A → B → C`` for a route (labels as one line each; escape to show in markdown)."""
    return " → ".join(one_line(t.label) for t in route.topics)


def route_cost(route: Route) -> str:
    """What *route* costs, in steps of each kind: "3 stated steps", "2 stated steps, 1 step mentioned together"."""
    return route_cost_words(route.kinds)


def route_options(routes: Routes, pipelines: list[Pipeline]) -> list[tuple[str, Route]]:
    """The routes to offer, each with a title: the stated pipelines through both ends first ("stated in your
    notes at file:line"), then the cheapest routes that walk other topics ("cheapest path", "another path")."""
    cheapest = routes.routes[0] if routes.routes else None
    return [
        (
            f"stated in your notes at {one_line(pipeline.file)}:{pipeline.line}"
            if pipeline
            else "cheapest path"
            if route is cheapest
            else "another path",
            route,
        )
        for pipeline, route in offered_routes(routes, pipelines)
    ]


def hop_rows(route: Route) -> list[dict]:
    """Each hop of *route* once, in walking order, as one sentence: its best relation (stated wins) read in its own
    direction ("Amazon S3 feeds into AWS Glue"), how it is known, its first evidence, and the other relations
    between the same two topics. Row *i* leads to hop *i*'s far end (``route.hops[i].target``)."""
    rows = []
    for number, hop in enumerate(route.hops, start=1):
        labels = {hop.source.id: one_line(hop.source.label), hop.target.id: one_line(hop.target.label)}
        best, others = (hop.links[0], hop.links[1:]) if hop.links else (None, [])
        said = f"{labels[best.source]} {relation_words(best.relation)} {labels[best.target]}" if best else ""
        rows.append(
            {
                "Step": number,
                "Hop": said,
                "Known from": KIND_WORDS[best.kind] if best else "",
                "Evidence": _evidence_text(best.evidence[0] if best and best.evidence else None),
                "Also": ", ".join(dict.fromkeys(relation_words(lk.relation) for lk in others)),
            }
        )
    return rows


# --- gaps ---------------------------------------------------------------------------------------------------------


def coverage_rows(coverage: Coverage) -> list[dict]:
    """Per syllabus category, weakest first: totals and percentages (a row per category, then "All")."""
    ordered = sorted(coverage.categories, key=lambda c: (c.covered_percent, -c.missing, c.category))
    rows = []
    for c in [*ordered, coverage.overall]:
        rows.append(
            {
                "Category": "All" if c is coverage.overall else one_line(c.category),
                "Services": c.total,
                "Covered": c.covered,
                "Mentioned only": c.mentioned,
                "Missing": c.missing,
                "Covered %": c.covered_percent,
            }
        )
    return rows


def coverage_chart(coverage: Coverage) -> list[dict]:
    """Long-form chart data: one row per (category, status) with the number of services."""
    names = {COVERED: "covered", MENTIONED: "mentioned only", MISSING: "missing"}
    rows = []
    for c in coverage.categories:
        counts = {COVERED: c.covered, MENTIONED: c.mentioned, MISSING: c.missing}
        rows += [{"Category": one_line(c.category), "Status": names[s], "Services": counts[s]} for s in names]
    return rows


def coverage_items(coverage: Coverage, status: str) -> list:
    """The syllabus services with *status* (covered, mentioned, missing), once each in syllabus order (a service
    listed under two categories is one service, as in ``coverage.overall``), as ``(item, categories)`` pairs."""
    unique: dict[str, tuple] = {}
    for item in coverage.items:
        if item.status != status:
            continue
        key = f"catalog:{item.catalog_id}" if item.catalog_id else f"name:{item.name.casefold()}"
        if key in unique:
            unique[key][1].append(item.category)
        else:
            unique[key] = (item, [item.category])
    return list(unique.values())


def coverage_item_rows(coverage: Coverage, status: str) -> list[dict]:
    """The syllabus services with *status*, once each (see :func:`coverage_items`); the count of rows is the
    count in ``coverage.overall``."""
    return [
        {
            "Service": one_line(i.name),
            "Category": one_line("; ".join(categories)),
            "In the notes as": one_line(i.via or i.label),
            "Places": i.mention_count,
            "First at": i.places[0].cite() if i.places else "",
        }
        for i, categories in coverage_items(coverage, status)
    ]


def gap_rows(report: GapReport) -> dict[str, list[dict]]:
    """Rows for each part of a gap report: ``unexplained``, ``unfinished``, ``thin``, ``structural``, ``duplicates``."""
    return {
        "unexplained": [
            {
                "Topic": one_line(t.label),
                "Type": type_name(t.type),
                "In syllabus": t.in_syllabus,
                "Places": t.mention_count,
                "Linked topics": t.neighbours,
                "First at": t.places[0].cite() if t.places else "",
                "Sentence": one_line(t.places[0].text, CELL_WIDTH) if t.places else "",
            }
            for t in report.unexplained
        ],
        "unfinished": [
            {
                "Where": f"{one_line(s.file)}:{s.line}",
                "What": ", ".join(s.kinds),
                "Text": one_line(s.text, CELL_WIDTH),
                "Section": one_line(" > ".join(s.section), CELL_WIDTH),
            }
            for s in report.unfinished
        ],
        "thin": [
            {
                "Topic": one_line(t.label),
                "Why": "; ".join(t.reasons),
                "Places": t.mention_count,
                "Explained at": ", ".join(p.cite() for p in t.places),
            }
            for t in report.thin
        ],
        "structural": [
            {
                "Cluster": one_line(", ".join(g.first.central)),
                "Size": g.first.size,
                "Other cluster": one_line(", ".join(g.second.central)),
                "Other size": g.second.size,
                "Links": g.links,
                "Question": one_line(g.question, CELL_WIDTH),
            }
            for g in report.structural
        ],
        "duplicates": [
            {
                "Topic": one_line(d.label),
                "Explained at": "; ".join(
                    f"{p.cite()} {one_line(p.text, 80)} ({n} lines)"
                    for p, n in zip(d.places, d.content_lines, strict=True)
                ),
            }
            for d in report.duplicates
        ],
    }


# --- overview -----------------------------------------------------------------------------------------------------


def type_chart(overview: dict) -> list[dict]:
    """Topics per type, for a bar chart."""
    return [{"Type": type_name(kind), "Topics": n} for kind, n in overview["types"].items()]


def relation_chart(overview: dict) -> list[dict]:
    """Long-form: per relation, how many edges the notes state and how many are inferred or from the catalog."""
    rows = []
    for name, counts in overview["relations"].items():
        rows.append({"Relation": relation_name(name), "Kind": "stated", "Edges": counts["stated"]})
        rows.append(
            {"Relation": relation_name(name), "Kind": "not stated", "Edges": counts["edges"] - counts["stated"]}
        )
    return rows


def shown_clusters(clusters: list[Cluster]) -> list[Cluster]:
    """The clusters the tables and chart show: those of two or more topics, largest first."""
    return [c for c in clusters if c.size > 1]


def cluster_rows(clusters: list[Cluster], members: int = 8) -> list[dict]:
    """Topic clusters of two or more topics (:func:`shown_clusters`): number, name, size, types, central members."""
    return [
        {
            "Cluster": number,
            "Name": one_line(c.name, CELL_WIDTH),
            "Topics": c.size,
            "Types": ", ".join(f"{n} {type_name(kind)}" for kind, n in c.types.items()),
            "Most central": one_line(", ".join(t.label for t in c.members[:members]), CELL_WIDTH),
        }
        for number, c in enumerate(shown_clusters(clusters), start=1)
    ]


def cluster_chart(clusters: list[Cluster], top: int = 12) -> list[dict]:
    """Long-form: topics per type in each of the *top* largest clusters, largest first; ``Cluster`` is the
    number of :func:`cluster_rows` and the whole name, ``Order`` the position to sort the bars by."""
    rows = []
    for number, c in enumerate(shown_clusters(clusters)[:top], start=1):
        name = f"{number}. {one_line(c.name)}"
        rows += [
            {"Cluster": name, "Order": number, "Type": type_name(kind), "Topics": n} for kind, n in c.types.items()
        ]
    return rows


def central_rows(overview: dict) -> list[dict]:
    """The most connected topics: label, type, neighbours through stated relations, all neighbours."""
    return [
        {
            "Topic": one_line(t["label"]),
            "Type": type_name(t["type"]),
            "Stated neighbours": t["stated_neighbours"],
            "All neighbours": t["neighbours"],
        }
        for t in overview["top"]
    ]


def bridge_rows(overview: dict) -> list[dict]:
    """Topics that link clusters, most paths through them first (the measure itself is explained, not shown)."""
    return [
        {
            "Topic": one_line(b["label"]),
            "Type": type_name(b["type"]),
            "Clusters it links": len(b["clusters"]),
        }
        for b in overview["bridges"]
    ]


def problem_rows(problems: list) -> list[dict]:
    """Files skipped or read with a caveat during a build (``Problem`` objects): file, skipped or not, why."""
    return [
        {"File": one_line(p.path), "Skipped": bool(p.skipped), "Why": one_line(p.message, CELL_WIDTH)} for p in problems
    ]
