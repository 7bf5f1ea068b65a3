"""The gap report laid out for people: terminal text and a markdown document, one renderer for the CLI and the app.

:func:`format_text` is what ``notes-graph gaps`` prints; :func:`format_markdown`
is ``notes-graph gaps --format markdown`` and the app's gap report download.
Both take a :class:`~graph.gaps.report.GapReport` (from
:func:`graph.gaps.report.gap_report`) and list its parts in the order of its
steps. Every bit of note text goes through :mod:`graph.ui.escape`: terminal
text without control characters (:func:`~graph.ui.escape.terminal_text`),
markdown with markup escaped so it stays text
(:func:`~graph.ui.escape.markdown_document_text`).

>>> from graph.gaps.report import GapReport
>>> print(format_markdown(GapReport(files=["notes.md"], coverage=None, notes=["<b>checked</b>"])))
# Gap report
<BLANKLINE>
1 note file(s).
<BLANKLINE>
## Do first
<BLANKLINE>
Nothing: no gaps found.
<BLANKLINE>
## Mentioned but never explained (0)
<BLANKLINE>
<BLANKLINE>
## Unfinished notes (0)
<BLANKLINE>
<BLANKLINE>
## Thin topics (0)
<BLANKLINE>
<BLANKLINE>
## Structural gaps (0)
<BLANKLINE>
<BLANKLINE>
## Duplicated coverage (0)
<BLANKLINE>
<BLANKLINE>
## Notes
<BLANKLINE>
- &lt;b&gt;checked&lt;/b&gt;
"""

from __future__ import annotations

import textwrap

from graph.gaps import COVERED, MENTIONED, MISSING, Coverage, GapReport
from graph.ui.escape import markdown_document_text as md
from graph.ui.escape import terminal_text as plain

__all__ = ["cut_line", "format_markdown", "format_text", "wrap_text"]


# --- shared --------------------------------------------------------------------------------------------------------


def _more(count: int, limit: int) -> str:
    return f"... and {count - limit} more (see --json)" if count > limit else ""


def _weakest_first(coverage: Coverage) -> list:
    return sorted(coverage.categories, key=lambda c: (c.covered_percent, -c.missing, c.category))


def _headline(coverage: Coverage) -> str:
    o = coverage.overall
    return (
        f"{o.covered} of {o.total} covered ({o.covered_percent:g}%), {o.mentioned} mentioned only "
        f"({o.mentioned_percent:g}%), {o.missing} missing ({o.missing_percent:g}%)"
    )


def _by_category(coverage: Coverage, status: str) -> list[tuple[str, list[str]]]:
    groups = []
    for category in _weakest_first(coverage):
        names = [i.name for i in coverage.items if i.category == category.category and i.status == status]
        if names:
            groups.append((category.category, names))
    return groups


def _mentioned(coverage: Coverage) -> list:
    unique = {(i.catalog_id or i.name): i for i in coverage.items if i.status == MENTIONED}
    return sorted(unique.values(), key=lambda i: (-i.mention_count, i.name))


# --- text ----------------------------------------------------------------------------------------------------------


def format_text(report: GapReport, limit: int = 10) -> str:
    """The report as terminal text, parts in the order of :attr:`GapReport.steps`."""
    lines = [f"Gap report for {len(report.files)} note file(s)."]
    if report.coverage:
        lines.append(f"Against {report.coverage.syllabus}: {_headline(report.coverage)}.")
    lines += ["", "Do first:"]
    lines += [line for i, step in enumerate(report.steps, 1) for line in wrap_text(f"{i}. {step.text}", "  ", "     ")]
    if not report.steps:
        lines.append("  nothing: no gaps found")
    if report.coverage:
        lines += ["", *_text_coverage(report.coverage, limit)]
    lines += ["", f"Mentioned but never explained ({len(report.unexplained)}), most used first:"]
    for t in report.unexplained[:limit]:
        flag = ", in syllabus" if t.in_syllabus else ""
        first = f"; first at {t.places[0].cite()}" if t.places else ""
        lines.append(
            f"  {plain(t.label)} [{t.type}{flag}]: {t.mention_count} places, {t.neighbours} linked topics{first}"
        )
    lines += _text_more(len(report.unexplained), limit)
    lines += ["", f"Unfinished notes ({len(report.unfinished)}):"]
    for s in report.unfinished[:limit]:
        where = f"  (in {plain(' > '.join(s.section))})" if s.section else ""
        lines.append(cut_line(f"{plain(s.file)}:{s.line}  {', '.join(s.kinds)}: {plain(s.text)}{where}", "  ", 110))
    lines += _text_more(len(report.unfinished), limit)
    lines += ["", f"Thin topics ({len(report.thin)}):"]
    for t in report.thin[:limit]:
        where = f" ({t.places[0].cite()})" if t.places else ""
        lines.append(f"  {plain(t.label)}{where}: {'; '.join(t.reasons)}")
    lines += _text_more(len(report.thin), limit)
    lines += ["", f"Structural gaps ({len(report.structural)}): big clusters barely linked to each other"]
    for g in report.structural[:limit]:
        links = f"{g.links} link(s): {', '.join(g.examples)}" if g.links else "no links"
        lines += wrap_text(
            f"[{plain(', '.join(g.first.central))}] ({g.first.size} topics) and "
            f"[{plain(', '.join(g.second.central))}] ({g.second.size} topics): {plain(links)}",
            "  ",
            "    ",
        )
        lines += wrap_text(f"Ask: {plain(g.question)}", "    ", "      ")
    lines += ["", f"Duplicated coverage ({len(report.duplicates)}): explained in more than one place"]
    for d in report.duplicates[:limit]:
        places = "; ".join(
            f"{p.cite()} {plain(p.text)!r} ({n} lines)" for p, n in zip(d.places, d.content_lines, strict=True)
        )
        lines += wrap_text(f"{plain(d.label)}: {places}", "  ", "    ")
    lines += _text_more(len(report.duplicates), limit)
    if report.notes:
        lines += ["", "Notes:"] + [f"  {n}" for n in report.notes]
    return "\n".join(lines)


def _text_coverage(coverage: Coverage, limit: int) -> list[str]:
    title = f" ({plain(coverage.title)})" if coverage.title else ""
    lines = [f"Syllabus coverage: {plain(coverage.syllabus)}{title}", f"  Overall: {_headline(coverage)}"]
    if coverage.issues:
        lines.append(f"  The syllabus file has {len(coverage.issues)} problem(s), listed on stderr.")
    width = max(len(c.category) for c in coverage.categories)
    lines.append(f"  {'Category (weakest first)':<{width}}  covered  mentioned  missing")
    for c in _weakest_first(coverage):
        lines.append(
            f"  {plain(c.category):<{width}}  {c.covered:>3}/{c.total:<3}  {c.mentioned:>9}  {c.missing:>7}"
            f"  {c.covered_percent:>5.1f}% covered"
        )
    lines.append("  Missing (never named in the notes):")
    for category, names in _by_category(coverage, MISSING):
        lines += wrap_text(f"{plain(category)}: {plain(', '.join(names))}", "    ", "      ")
    mentioned = _mentioned(coverage)
    lines.append(f"  Mentioned only ({len(mentioned)}), named in passing but never explained:")
    for item in mentioned[:limit]:
        via = f" (as {plain(item.via)})" if item.via else ""
        places = ", ".join(p.cite() for p in item.places[:3])
        lines += wrap_text(f"{plain(item.name)}{via}: {item.mention_count} place(s), at {places}", "    ", "      ")
    lines += [f"  {line}" for line in _text_more(len(mentioned), limit)]
    covered = [i for i in coverage.items if i.status == COVERED]
    names = [f"{i.name} (as {i.via})" if i.via else i.name for i in covered]
    lines += wrap_text(f"Covered ({len(covered)}): {plain(', '.join(names))}", "  ", "    ")
    return lines


def wrap_text(text: str, first: str, rest: str | None = None, width: int = 110) -> list[str]:
    """*text* (whitespace collapsed) wrapped at *width*: the first line indented by *first*, the others by *rest*."""
    text = " ".join(str(text).split())
    lines = textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=first) or [first]
    rest = first if rest is None else rest
    return [lines[0], *(rest + line.strip() for line in lines[1:])]


def cut_line(text: str, indent: str, width: int) -> str:
    """*text* (whitespace collapsed) as one indented line, cut with "..." past *width*."""
    text = " ".join(str(text).split())
    return indent + (text if len(text) <= width else text[: width - 3] + "...")


def _text_more(count: int, limit: int) -> list[str]:
    more = _more(count, limit)
    return [f"  {more}"] if more else []


# --- markdown ------------------------------------------------------------------------------------------------------


def format_markdown(report: GapReport, limit: int = 10) -> str:
    """The report as markdown; note-derived text is escaped so a heading like ``<img ...>`` stays text."""
    out = ["# Gap report", "", f"{len(report.files)} note file(s)."]
    if report.coverage:
        out[-1] += f" Against **{md(report.coverage.syllabus)}**: {_headline(report.coverage)}."
    out += ["", "## Do first", ""]
    out += [f"{i}. {md(step.text)}" for i, step in enumerate(report.steps, 1)] or ["Nothing: no gaps found."]
    if report.coverage:
        out += ["", *_markdown_coverage(report.coverage, limit)]
    out += ["", f"## Mentioned but never explained ({len(report.unexplained)})", ""]
    if report.unexplained:
        out += ["| Topic | Type | Places | Linked topics | First at |", "| --- | --- | ---: | ---: | --- |"]
        for t in report.unexplained[:limit]:
            flag = " (in syllabus)" if t.in_syllabus else ""
            first = md(t.places[0].cite()) if t.places else ""
            out.append(f"| {md(t.label)} | {t.type}{flag} | {t.mention_count} | {t.neighbours} | {first} |")
    out += _markdown_more(len(report.unexplained), limit)
    out += ["", f"## Unfinished notes ({len(report.unfinished)})", ""]
    for s in report.unfinished[:limit]:
        where = f" (in {md(' > '.join(s.section))})" if s.section else ""
        out.append(f"- {md(s.file)}:{s.line}, {', '.join(s.kinds)}: {md(s.text)}{where}")
    out += _markdown_more(len(report.unfinished), limit)
    out += ["", f"## Thin topics ({len(report.thin)})", ""]
    for t in report.thin[:limit]:
        where = f" ({md(t.places[0].cite())})" if t.places else ""
        out.append(f"- **{md(t.label)}**{where}: {'; '.join(t.reasons)}")
    out += _markdown_more(len(report.thin), limit)
    out += ["", f"## Structural gaps ({len(report.structural)})", ""]
    for g in report.structural[:limit]:
        links = f"{g.links} link(s): {md(', '.join(g.examples))}" if g.links else "no links"
        out.append(
            f"- {md(', '.join(g.first.central))} ({g.first.size} topics) and "
            f"{md(', '.join(g.second.central))} ({g.second.size} topics): {links}.  "
        )
        out.append(f"  Ask: *{md(g.question)}*")
    out += ["", f"## Duplicated coverage ({len(report.duplicates)})", ""]
    for d in report.duplicates[:limit]:
        places = "; ".join(
            f"{md(p.cite())} {md(p.text)} ({n} lines)" for p, n in zip(d.places, d.content_lines, strict=True)
        )
        out.append(f"- **{md(d.label)}**: {places}")
    out += _markdown_more(len(report.duplicates), limit)
    if report.notes:
        out += ["", "## Notes", ""] + [f"- {md(n)}" for n in report.notes]
    return "\n".join(out)


def _markdown_coverage(coverage: Coverage, limit: int) -> list[str]:
    title = f" ({md(coverage.title)})" if coverage.title else ""
    out = [f"## Syllabus coverage: {md(coverage.syllabus)}{title}", "", f"Overall: {_headline(coverage)}.", ""]
    out += [
        "| Category (weakest first) | Covered | Mentioned only | Missing | Covered % |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for c in _weakest_first(coverage):
        out.append(
            f"| {md(c.category)} | {c.covered}/{c.total} | {c.mentioned} | {c.missing} | {c.covered_percent:g} |"
        )
    out += ["", "### Missing (never named in the notes)", ""]
    out += [f"- **{md(category)}**: {md(', '.join(names))}" for category, names in _by_category(coverage, MISSING)]
    mentioned = _mentioned(coverage)
    out += ["", f"### Mentioned only ({len(mentioned)})", ""]
    for item in mentioned[:limit]:
        via = f" (as {md(item.via)})" if item.via else ""
        places = ", ".join(md(p.cite()) for p in item.places[:3])
        out.append(f"- {md(item.name)}{via}: {item.mention_count} place(s), at {places}")
    out += _markdown_more(len(mentioned), limit)
    covered = [i for i in coverage.items if i.status == COVERED]
    out += ["", f"### Covered ({len(covered)})", ""]
    out.append(md(", ".join(f"{i.name} (as {i.via})" if i.via else i.name for i in covered)) or "None.")
    if coverage.issues:
        out += ["", "### Syllabus file problems", ""] + [f"- {md(issue)}" for issue in coverage.issues]
    return out


def _markdown_more(count: int, limit: int) -> list[str]:
    more = _more(count, limit)
    return ["", f"*{md(more)}*"] if more else []
