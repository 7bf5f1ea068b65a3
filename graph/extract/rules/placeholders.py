"""Placeholders: what the author left unfinished, for the gap report.

* "empty link": a link with no target (``[SQS]()``);
* "to do": a line with TODO, TBD, FIXME, "coming soon", "to be added", "work in progress" ...;
* "empty section": a heading with nothing under it and no sub-sections.

Example: ``## Amazon SQS`` followed only by ``TODO: add limits`` is one "to do" placeholder.
"""

from __future__ import annotations

import re

from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.sources.markdown import ParsedNote

__all__ = ["apply"]

_TODO = re.compile(
    r"\b(TODO|TBD|FIXME|XXX|to be (?:added|written|done|completed|filled(?: in)?|continued|updated)"
    r"|coming soon|fill (?:this )?in|work in progress|placeholder)\b",
    re.IGNORECASE,
)


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Record the empty links, to-do lines and empty sections of the note."""
    parsed = ctx.parsed
    for link in parsed.links:
        if link.empty:
            text = f"[{link.text}]({link.target})"
            rec.placeholder("empty link", link.line, text, _section_path_at(parsed, link.line))
    for block in parsed.blocks:
        match = _TODO.search(block.text)
        if match:
            rec.placeholder("to do", block.line, block.text[:200], parsed.sections[block.section].path)
    for section in parsed.sections[1:]:
        children = [s for s in parsed.sections if s.parent == section.id]
        content = [i for i in section.blocks if parsed.blocks[i].kind != "heading"]
        if not content and not children:
            rec.placeholder("empty section", section.start_line, section.title, section.path)


def _section_path_at(parsed: ParsedNote, line: int) -> tuple[str, ...]:
    best = parsed.sections[0]
    for section in parsed.sections:
        if section.start_line <= line <= section.end_line and section.level >= best.level:
            best = section
    return best.path
