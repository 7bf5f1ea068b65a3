"""Query results as table rows and chart data: what the explorer's tables and charts show.

Each function takes the plain result of one library query
(:func:`graph.query.describe.describe_entity`, :func:`graph.query.paths.find_routes`,
:func:`graph.gaps.report.gap_report`, :func:`graph.query.overview.graph_overview`, ...) and
returns a list of dicts with readable column names, one dict per row, ready
for ``st.dataframe`` or a chart. Cells taken from the notes go through
:func:`graph.ui.escape.one_line`, so they are single lines of plain text; the
page shows them in data frames, which display text as text.
"""

from __future__ import annotations

from graph.gaps import COVERED, MENTIONED, MISSING, Coverage, GapReport
from graph.model import INFERRED
from graph.query.overview import Cluster
from graph.query.paths import Route
from graph.ui.escape import one_line

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
    "coverage_rows",
    "gap_rows",
    "hop_rows",
    "mention_rows",
    "problem_rows",
    "relation_chart",
    "relation_rows",
    "route_title",
    "section_rows",
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
    """The relations of *entity*, stated first: direction and relation, other topic, kind, weight, evidence."""
    rows = []
    for r in entity["relations"]:
        arrow = f"{r['relation']} →" if r["direction"] == "out" else f"← {r['relation']}"
        kind = "stated" if r["stated"] else "inferred" if r["relation"] == INFERRED else "catalog"
        evidence = r.get("evidence") or []
        rows.append(
            {
                "Relation": arrow,
                "Topic": one_line(r["other_label"]),
                "Type": type_name(r["other_type"]),
                "Kind": kind,
                "Weight": float(r["weight"]),
                "Evidence": _evidence_text(evidence[0] if evidence else None),
                "More evidence": max(0, len(evidence) - 1),
            }
        )
    return rows


# --- paths --------------------------------------------------------------------------------------------------------


def route_title(route: Route) -> str:
    """``A → B → C`` for a route (labels as one line each; escape to show in markdown)."""
    return " → ".join(one_line(t.label) for t in route.topics)


def hop_rows(route: Route) -> list[dict]:
    """Each hop of *route*, one row per relation between its two topics, with the first evidence."""
    rows = []
    for number, hop in enumerate(route.hops, start=1):
        labels = {hop.source.id: one_line(hop.source.label), hop.target.id: one_line(hop.target.label)}
        for lk in hop.links:
            rows.append(
                {
                    "Hop": number,
                    "From": labels[lk.source],
                    "Relation": lk.relation,
                    "To": labels[lk.target],
                    "Kind": lk.kind,
                    "Evidence": _evidence_text(lk.evidence[0] if lk.evidence else None),
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


def coverage_item_rows(coverage: Coverage, status: str) -> list[dict]:
    """The syllabus entries with *status* (covered, mentioned, missing), in syllabus order."""
    return [
        {
            "Service": one_line(i.name),
            "Category": one_line(i.category),
            "In the notes as": one_line(i.via or i.label),
            "Places": i.mention_count,
            "First at": i.places[0].cite() if i.places else "",
        }
        for i in coverage.items
        if i.status == status
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
        rows.append({"Relation": name, "Kind": "stated", "Edges": counts["stated"]})
        rows.append({"Relation": name, "Kind": "not stated", "Edges": counts["edges"] - counts["stated"]})
    return rows


def cluster_rows(clusters: list[Cluster], members: int = 8) -> list[dict]:
    """Topic clusters of two or more topics: id, name, size, types, most central members."""
    return [
        {
            "Cluster": c.id,
            "Name": one_line(c.name, CELL_WIDTH),
            "Topics": c.size,
            "Types": ", ".join(f"{n} {type_name(kind)}" for kind, n in c.types.items()),
            "Most central": one_line(", ".join(t.label for t in c.members[:members]), CELL_WIDTH),
        }
        for c in clusters
        if c.size > 1
    ]


def cluster_chart(clusters: list[Cluster], top: int = 12) -> list[dict]:
    """Long-form: topics per type in each of the *top* largest clusters (named by their central members)."""
    rows = []
    for c in [c for c in clusters if c.size > 1][:top]:
        name = f"#{c.id} {one_line(c.name, 40)}"
        rows += [{"Cluster": name, "Type": type_name(kind), "Topics": n} for kind, n in c.types.items()]
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
    """Topics that link clusters (highest betweenness first)."""
    return [
        {
            "Topic": one_line(b["label"]),
            "Type": type_name(b["type"]),
            "Betweenness": b["betweenness"],
            "Clusters touched": len(b["clusters"]),
        }
        for b in overview["bridges"]
    ]


def problem_rows(problems: list) -> list[dict]:
    """Files skipped or read with a caveat during a build (``Problem`` objects): file, skipped or not, why."""
    return [
        {"File": one_line(p.path), "Skipped": bool(p.skipped), "Why": one_line(p.message, CELL_WIDTH)} for p in problems
    ]
