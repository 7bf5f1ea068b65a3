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

# The lookahead (the first letters of the alternatives) lets the engine skip to where a match can start: this is
# asked of every block.
_TODO = re.compile(
    r"(?=[tfxcwp])\b(TODO|TBD|FIXME|XXX|to be (?:added|written|done|completed|filled(?: in)?|continued|updated)"
    r"|coming soon|fill (?:this )?in|work in progress|placeholder)\b",
    re.IGNORECASE,
)


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Record the empty links, to-do lines and empty sections of the note."""
    parsed = ctx.parsed
    empty_links = [link for link in parsed.links if link.empty]
    if empty_links:
        section_at = _innermost_sections(parsed)
        for link in empty_links:
            text = f"[{link.text}]({link.target})"
            rec.placeholder("empty link", link.line, text, parsed.sections[section_at[link.line]].path)
    for block in parsed.blocks:
        match = _TODO.search(block.text)
        if match:
            rec.placeholder("to do", block.line, block.text[:200], parsed.sections[block.section].path)
    parents = {s.parent for s in parsed.sections}
    for section in parsed.sections[1:]:
        content = [i for i in section.blocks if parsed.blocks[i].kind != "heading"]
        if not content and section.id not in parents:
            rec.placeholder("empty section", section.start_line, section.title, section.path)


def _innermost_sections(parsed: ParsedNote) -> list[int]:
    """For each line number, the section it is in: the deepest one that spans it, the later one on a tie.

    Filled section by section in document order: each line is written at most once per heading level, so
    this is linear in the note's length (a scan of every section for every link was quadratic).
    """
    last_line = max((s.end_line for s in parsed.sections), default=1)
    section_at = [0] * (last_line + 2)
    levels = [parsed.sections[0].level] * (last_line + 2)
    for section in parsed.sections:
        for line in range(max(section.start_line, 0), section.end_line + 1):
            if section.level >= levels[line]:
                section_at[line], levels[line] = section.id, section.level
    return section_at
