"""``notes-graph gaps``: what the notes leave out, explain thinly or leave unfinished, ordered by what to do first.

The report comes from :func:`graph.gaps.report.gap_report`; this module lays it out
as terminal text, as markdown (``--format markdown``, every bit of note text
escaped so it stays text) or as JSON (``--json``, the whole report).
Problems in a syllabus file are printed on stderr as ``file:line`` warnings.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

from graph.cli.common import EXIT_OK, CommandError, graph_options, open_graph, positive, wrap
from graph.gaps.report import COVERED, MENTIONED, MISSING, Coverage, GapReport, gap_report
from graph.sources.syllabus import builtin_syllabi, load_syllabus

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters markdown (CommonMark/GFM) treats as markup inside a line; HTML's <, >, & are escaped as entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~!])")
# ... and at the start of a line: headings, list items, block quotes (already &gt;), setext underlines.
_MARKDOWN_LINE_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))")


def register(sub: argparse._SubParsersAction) -> None:
    names = ", ".join(builtin_syllabi()) or "none"
    gaps = sub.add_parser(
        "gaps",
        help="report coverage gaps: syllabus coverage, unexplained topics, unfinished notes, thin topics, ...",
        description="Report what the notes leave out, explain thinly or leave unfinished, ordered by what to do first.",
    )
    gaps.add_argument(
        "path",
        nargs="?",
        default=None,
        help="a notes file or folder to build in memory (default: the graph file, or the bundled notes)",
    )
    gaps.add_argument(
        "-s",
        "--syllabus",
        metavar="NAME|FILE",
        help=f"check coverage of an exam syllabus: a built-in name ({names}) or a file in the same format",
    )
    graph_options(gaps)
    gaps.add_argument(
        "--format", choices=("text", "markdown"), default="text", help="text for the terminal or markdown to export"
    )
    gaps.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of printing it")
    gaps.add_argument(
        "--limit", type=positive, default=10, help="most items listed per part (default 10; JSON has all)"
    )
    gaps.set_defaults(handler=cmd_gaps)


def cmd_gaps(args: argparse.Namespace) -> int:
    if args.path and args.notes:
        raise CommandError("give the notes either as PATH or with --notes, not both")
    if args.path and args.graph:
        raise CommandError("give either a notes PATH or --graph, not both")
    syllabus = load_syllabus(args.syllabus) if args.syllabus else None
    if syllabus is not None:
        for issue in syllabus.issues:
            print(f"notes-graph: {_plain(str(issue))}", file=sys.stderr)
    if args.path:
        args.notes = args.path
    report = gap_report(open_graph(args), syllabus)
    if args.json:
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str)
    elif args.format == "markdown":
        text = format_markdown(report, args.limit)
    else:
        text = format_text(report, args.limit)
    if args.output:
        try:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
        except OSError as err:
            raise CommandError(f"cannot write {args.output}: {err.strerror or err}") from None
        print(f"Wrote the gap report to {args.output}", file=sys.stderr)
    else:
        print(text)
    return EXIT_OK


# --- shared --------------------------------------------------------------------------------------------------------


def _plain(text: object) -> str:
    """Note text made safe for a terminal: no control characters (an escape sequence could restyle the screen)."""
    return _CONTROL.sub("?", " ".join(str(text).split()))


def _md(text: object) -> str:
    """Note text made inert in markdown: HTML special characters as entities, markdown markup backslash-escaped."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(_plain(text), quote=False))
    return _MARKDOWN_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


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
    lines += [line for i, step in enumerate(report.steps, 1) for line in _wrapped(f"{i}. {step.text}", "  ", "     ")]
    if not report.steps:
        lines.append("  nothing: no gaps found")
    if report.coverage:
        lines += ["", *_text_coverage(report.coverage, limit)]
    lines += ["", f"Mentioned but never explained ({len(report.unexplained)}), most used first:"]
    for t in report.unexplained[:limit]:
        flag = ", in syllabus" if t.in_syllabus else ""
        first = f"; first at {t.places[0].cite()}" if t.places else ""
        lines.append(
            f"  {_plain(t.label)} [{t.type}{flag}]: {t.mention_count} places, {t.neighbours} linked topics{first}"
        )
    lines += _text_more(len(report.unexplained), limit)
    lines += ["", f"Unfinished notes ({len(report.unfinished)}):"]
    for s in report.unfinished[:limit]:
        where = f"  (in {_plain(' > '.join(s.section))})" if s.section else ""
        lines += wrap(
            f"{_plain(s.file)}:{s.line}  {', '.join(s.kinds)}: {_plain(s.text)}{where}",
            "  ",
            width=110,
            first_only=True,
        )
    lines += _text_more(len(report.unfinished), limit)
    lines += ["", f"Thin topics ({len(report.thin)}):"]
    for t in report.thin[:limit]:
        where = f" ({t.places[0].cite()})" if t.places else ""
        lines.append(f"  {_plain(t.label)}{where}: {'; '.join(t.reasons)}")
    lines += _text_more(len(report.thin), limit)
    lines += ["", f"Structural gaps ({len(report.structural)}): big clusters barely linked to each other"]
    for g in report.structural[:limit]:
        links = f"{g.links} link(s): {', '.join(g.examples)}" if g.links else "no links"
        lines += _wrapped(
            f"[{_plain(', '.join(g.first.central))}] ({g.first.size} topics) and "
            f"[{_plain(', '.join(g.second.central))}] ({g.second.size} topics): {_plain(links)}",
            "  ",
            "    ",
        )
        lines += _wrapped(f"Ask: {_plain(g.question)}", "    ", "      ")
    lines += ["", f"Duplicated coverage ({len(report.duplicates)}): explained in more than one place"]
    for d in report.duplicates[:limit]:
        places = "; ".join(
            f"{p.cite()} {_plain(p.text)!r} ({n} lines)" for p, n in zip(d.places, d.content_lines, strict=True)
        )
        lines += _wrapped(f"{_plain(d.label)}: {places}", "  ", "    ")
    lines += _text_more(len(report.duplicates), limit)
    if report.notes:
        lines += ["", "Notes:"] + [f"  {n}" for n in report.notes]
    return "\n".join(lines)


def _text_coverage(coverage: Coverage, limit: int) -> list[str]:
    title = f" ({_plain(coverage.title)})" if coverage.title else ""
    lines = [f"Syllabus coverage: {_plain(coverage.syllabus)}{title}", f"  Overall: {_headline(coverage)}"]
    if coverage.issues:
        lines.append(f"  The syllabus file has {len(coverage.issues)} problem(s), listed on stderr.")
    width = max(len(c.category) for c in coverage.categories)
    lines.append(f"  {'Category (weakest first)':<{width}}  covered  mentioned  missing")
    for c in _weakest_first(coverage):
        lines.append(
            f"  {_plain(c.category):<{width}}  {c.covered:>3}/{c.total:<3}  {c.mentioned:>9}  {c.missing:>7}"
            f"  {c.covered_percent:>5.1f}% covered"
        )
    lines.append("  Missing (never named in the notes):")
    for category, names in _by_category(coverage, MISSING):
        lines += _wrapped(f"{_plain(category)}: {_plain(', '.join(names))}", "    ", "      ")
    mentioned = _mentioned(coverage)
    lines.append(f"  Mentioned only ({len(mentioned)}), named in passing but never explained:")
    for item in mentioned[:limit]:
        via = f" (as {_plain(item.via)})" if item.via else ""
        places = ", ".join(p.cite() for p in item.places[:3])
        lines += _wrapped(f"{_plain(item.name)}{via}: {item.mention_count} place(s), at {places}", "    ", "      ")
    lines += [f"  {line}" for line in _text_more(len(mentioned), limit)]
    covered = [i for i in coverage.items if i.status == COVERED]
    names = [f"{i.name} (as {i.via})" if i.via else i.name for i in covered]
    lines += _wrapped(f"Covered ({len(covered)}): {_plain(', '.join(names))}", "  ", "    ")
    return lines


def _wrapped(text: str, first: str, rest: str, width: int = 110) -> list[str]:
    lines = wrap(text, first, width=width)
    return [lines[0], *(rest + line.strip() for line in lines[1:])]


def _text_more(count: int, limit: int) -> list[str]:
    more = _more(count, limit)
    return [f"  {more}"] if more else []


# --- markdown ------------------------------------------------------------------------------------------------------


def format_markdown(report: GapReport, limit: int = 10) -> str:
    """The report as markdown; note-derived text is escaped so a heading like ``<img ...>`` stays text."""
    out = ["# Gap report", "", f"{len(report.files)} note file(s)."]
    if report.coverage:
        out[-1] += f" Against **{_md(report.coverage.syllabus)}**: {_headline(report.coverage)}."
    out += ["", "## Do first", ""]
    out += [f"{i}. {_md(step.text)}" for i, step in enumerate(report.steps, 1)] or ["Nothing: no gaps found."]
    if report.coverage:
        out += ["", *_markdown_coverage(report.coverage, limit)]
    out += ["", f"## Mentioned but never explained ({len(report.unexplained)})", ""]
    if report.unexplained:
        out += ["| Topic | Type | Places | Linked topics | First at |", "| --- | --- | ---: | ---: | --- |"]
        for t in report.unexplained[:limit]:
            flag = " (in syllabus)" if t.in_syllabus else ""
            first = _md(t.places[0].cite()) if t.places else ""
            out.append(f"| {_md(t.label)} | {t.type}{flag} | {t.mention_count} | {t.neighbours} | {first} |")
    out += _markdown_more(len(report.unexplained), limit)
    out += ["", f"## Unfinished notes ({len(report.unfinished)})", ""]
    for s in report.unfinished[:limit]:
        where = f" (in {_md(' > '.join(s.section))})" if s.section else ""
        out.append(f"- {_md(s.file)}:{s.line}, {', '.join(s.kinds)}: {_md(s.text)}{where}")
    out += _markdown_more(len(report.unfinished), limit)
    out += ["", f"## Thin topics ({len(report.thin)})", ""]
    for t in report.thin[:limit]:
        where = f" ({_md(t.places[0].cite())})" if t.places else ""
        out.append(f"- **{_md(t.label)}**{where}: {'; '.join(t.reasons)}")
    out += _markdown_more(len(report.thin), limit)
    out += ["", f"## Structural gaps ({len(report.structural)})", ""]
    for g in report.structural[:limit]:
        links = f"{g.links} link(s): {_md(', '.join(g.examples))}" if g.links else "no links"
        out.append(
            f"- {_md(', '.join(g.first.central))} ({g.first.size} topics) and "
            f"{_md(', '.join(g.second.central))} ({g.second.size} topics): {links}.  "
        )
        out.append(f"  Ask: *{_md(g.question)}*")
    out += ["", f"## Duplicated coverage ({len(report.duplicates)})", ""]
    for d in report.duplicates[:limit]:
        places = "; ".join(
            f"{_md(p.cite())} {_md(p.text)} ({n} lines)" for p, n in zip(d.places, d.content_lines, strict=True)
        )
        out.append(f"- **{_md(d.label)}**: {places}")
    out += _markdown_more(len(report.duplicates), limit)
    if report.notes:
        out += ["", "## Notes", ""] + [f"- {_md(n)}" for n in report.notes]
    return "\n".join(out)


def _markdown_coverage(coverage: Coverage, limit: int) -> list[str]:
    title = f" ({_md(coverage.title)})" if coverage.title else ""
    out = [f"## Syllabus coverage: {_md(coverage.syllabus)}{title}", "", f"Overall: {_headline(coverage)}.", ""]
    out += [
        "| Category (weakest first) | Covered | Mentioned only | Missing | Covered % |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for c in _weakest_first(coverage):
        out.append(
            f"| {_md(c.category)} | {c.covered}/{c.total} | {c.mentioned} | {c.missing} | {c.covered_percent:g} |"
        )
    out += ["", "### Missing (never named in the notes)", ""]
    out += [f"- **{_md(category)}**: {_md(', '.join(names))}" for category, names in _by_category(coverage, MISSING)]
    mentioned = _mentioned(coverage)
    out += ["", f"### Mentioned only ({len(mentioned)})", ""]
    for item in mentioned[:limit]:
        via = f" (as {_md(item.via)})" if item.via else ""
        places = ", ".join(_md(p.cite()) for p in item.places[:3])
        out.append(f"- {_md(item.name)}{via}: {item.mention_count} place(s), at {places}")
    out += _markdown_more(len(mentioned), limit)
    covered = [i for i in coverage.items if i.status == COVERED]
    out += ["", f"### Covered ({len(covered)})", ""]
    out.append(_md(", ".join(f"{i.name} (as {i.via})" if i.via else i.name for i in covered)) or "None.")
    if coverage.issues:
        out += ["", "### Syllabus file problems", ""] + [f"- {_md(issue)}" for issue in coverage.issues]
    return out


def _markdown_more(count: int, limit: int) -> list[str]:
    more = _more(count, limit)
    return ["", f"*{_md(more)}*"] if more else []
