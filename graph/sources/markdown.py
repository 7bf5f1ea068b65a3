"""Parse a note's markdown into a section tree and a flat list of text blocks.

The parser is markdown-it-py (CommonMark plus tables); this module only turns
its token stream into plain data the extractor can read without knowing
markdown: :class:`Section` (a heading with its path and line range) and
:class:`Block` (a heading, paragraph line, list item, table cell or code line,
as plain text with its line, section, list nesting, emphasised spans and the
label it hangs under).

Notes as people keep them in notes apps are read too: ``[[Page]]``, ``[[Page|shown text]]`` and
``[[Page#Heading]]`` become their shown text with a :class:`WikiLink` on the block (``![[image.png]]``
embeds and attachments are dropped); ``#tags`` outside code and addresses are taken out of the text
into ``Block.tags`` (a tag inside a sentence leaves its words); a callout's ``[!note]`` marker is
dropped and its title is a line of its own, so ``> [!tip] Title`` reads as "Title" over its body.
The note's front matter values are on ``ParsedNote.front_matter``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.token import Token

from graph.sources.frontmatter import FrontMatterValue
from graph.sources.notes import MAX_NESTING, Note

__all__ = [
    "MAX_PUNCTUATION_RUN",
    "Block",
    "Link",
    "ParsedNote",
    "Section",
    "Span",
    "WikiLink",
    "clean_title",
    "cut_punctuation_runs",
    "is_label_text",
    "parse_note",
]

_PARSER = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")

# A label introduces what follows: "**Use cases**", "Common consumers:", "It handles:".
_LABEL_MAX_WORDS = 8


@dataclass(frozen=True)
class Span:
    """An emphasised run of text inside a block: ``text[start:end]``."""

    start: int
    end: int
    strong: bool


@dataclass(frozen=True)
class WikiLink:
    """A ``[[page#heading|shown]]`` link: the page it names and where its shown text is in the block."""

    page: str
    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class Link:
    """A link's text and target; ``empty`` when the target is a placeholder (``#`` or nothing)."""

    text: str
    target: str
    line: int

    @property
    def empty(self) -> bool:
        return self.target.strip() in ("", "#")


@dataclass
class Section:
    """A heading and the lines it governs (1-based, inclusive)."""

    id: int
    title: str
    level: int
    path: tuple[str, ...]
    start_line: int
    end_line: int
    parent: int | None
    blocks: list[int] = field(default_factory=list)
    #: Tags on lines that hold nothing else (``#aws #messaging``), with their lines: no block carries them.
    tags: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Block:
    """One unit of text: a heading, a paragraph line, a list item, a table cell or a code line.

    ``text`` is plain text (markup removed, links replaced by their text);
    ``spans`` are its emphasised runs; ``depth`` is the list nesting (0 outside
    lists; for a table cell, its column); ``parent`` is the index of the list item this item is nested in;
    ``label`` is the index of the block that introduces it (a label line such
    as "**Use cases**" or "Supported targets:", or the parent item when that
    ends with a colon), or None.
    """

    kind: str
    text: str
    line: int
    section: int
    depth: int = 0
    parent: int | None = None
    label: int | None = None
    spans: tuple[Span, ...] = ()
    ordered: bool = False
    wikilinks: tuple[WikiLink, ...] = ()
    tags: tuple[str, ...] = ()
    #: (text, spans, kind, is_label) as last worked out: rules ask every block whether it is a label many times.
    _label: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def emphasised(self) -> list[str]:
        """The emphasised runs of text, stripped."""
        return [self.text[s.start : s.end].strip() for s in self.spans if self.text[s.start : s.end].strip()]

    @property
    def is_label(self) -> bool:
        """True when this block introduces what follows it.

        A paragraph line is a label when it is short and ends in a colon or is
        wholly emphasised ("**Use cases**"); a list item only when it ends in
        a colon (a wholly emphasised item is just an emphasised item).
        """
        known = self._label
        if known is not None and known[0] is self.text and known[1] is self.spans and known[2] is self.kind:
            return known[3]
        found = self._is_label()
        self._label = (self.text, self.spans, self.kind, found)
        return found

    def _is_label(self) -> bool:
        if self.kind == "paragraph":
            return is_label_text(self.text, self.spans)
        if self.kind == "item":
            return self.text.rstrip().endswith(":") and len(self.text.split()) <= _LABEL_MAX_WORDS
        return False


@dataclass
class ParsedNote:
    """A note parsed into sections and blocks; section 0 is the file itself."""

    note: Note
    sections: list[Section]
    blocks: list[Block]
    links: list[Link]
    #: What was cut to keep the analysis bounded, in words for the build summary.
    cuts: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return self.note.path

    @property
    def front_matter(self) -> tuple[FrontMatterValue, ...]:
        """The note's front matter values (``title``, ``aliases``, ``tags``, ...), each with its line."""
        return self.note.front_matter


def is_label_text(text: str, spans: tuple[Span, ...] = ()) -> bool:
    """True when *text* reads as a label: short, and ending in a colon or wholly emphasised."""
    stripped = text.strip()
    if not stripped or len(stripped.split()) > _LABEL_MAX_WORDS:
        return False
    if stripped.endswith(":"):
        return True
    covered = sum(s.end - s.start for s in spans)
    return bool(spans) and covered >= len(stripped.rstrip(":").strip()) * 0.9


#: The longest block handed to spaCy in one piece (its limit is 1,000,000 characters); longer paragraphs are cut.
MAX_BLOCK_CHARS = 100_000
#: Runs of punctuation longer than this are cut: spaCy's tokenizer strips affixes one at a time, so
#: "((((..." or "____..." costs it quadratic time, and no note needs more of them in a row.
MAX_PUNCTUATION_RUN = 64
_PUNCTUATION_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_PUNCTUATION_RUN + 1},}}")


def cut_punctuation_runs(text: str) -> str:
    """*text* with every run of punctuation cut to :data:`MAX_PUNCTUATION_RUN` characters."""
    if len(text) <= MAX_PUNCTUATION_RUN:
        return text  # too short to hold a run to cut (most pieces of text): no scan
    return _PUNCTUATION_RUN.sub(lambda m: m.group(0)[:MAX_PUNCTUATION_RUN], text)


_SPACES = re.compile(r"\s+")


def clean_title(text: str) -> str:
    """Heading or term text without emoji, decoration and surrounding punctuation."""
    if text.isascii():  # the usual heading: of ASCII only ^ and ` are symbols (no per-character lookup)
        kept = text.replace("^", " ").replace("`", " ")
    else:
        kept = "".join(
            " " if unicodedata.category(char) in ("So", "Sk", "Cn", "Co", "Cs") or char in "\ufe0f\u200d" else char
            for char in text
        )
    out = _SPACES.sub(" ", kept).strip()
    return out.strip(" *_#:-–—|>").strip()


def parse_note(note: Note) -> ParsedNote:
    """Parse *note* into a :class:`ParsedNote`."""
    tokens = _PARSER.parse(note.text)
    line_count = note.text.count("\n") + 1
    root = Section(id=0, title="", level=0, path=(), start_line=1, end_line=line_count, parent=None)
    builder = _Builder(note, [root])
    builder.walk(tokens)
    builder.close_sections(line_count)
    return ParsedNote(
        note=note, sections=builder.sections, blocks=builder.blocks, links=builder.links, cuts=tuple(builder.cuts)
    )


class _Builder:
    def __init__(self, note: Note, sections: list[Section]) -> None:
        self.note = note
        self.sections = sections
        self.blocks: list[Block] = []
        self.links: list[Link] = []
        self.stack: list[int] = [0]  # open sections, root first
        self.items: list[int | None] = []  # open list items (block index, None until its text is seen)
        self.ordered: list[bool] = []
        self.current_label: int | None = None  # the label line governing following blocks
        self.in_cell = False
        self.column = -1
        self.quotes = 0  # open blockquotes
        self.lines = note.text.split("\n")
        self.cuts: list[str] = []

    @property
    def section(self) -> int:
        return self.stack[-1]

    def walk(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                self.open_heading(tok, tokens[i + 1])
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                self.ordered.append(kind == "ordered_list_open")
            elif kind == "list_item_open":
                self.items.append(None)
            elif kind == "list_item_close":
                self.items.pop()
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.ordered.pop()
                if not self.ordered:
                    self.current_label = None  # a label governs the list after it, not what follows the list
            elif kind == "tr_open":
                self.column = -1
            elif kind in ("th_open", "td_open"):
                self.in_cell = True
                self.column += 1
            elif kind in ("th_close", "td_close"):
                self.in_cell = False
            elif kind == "hr":
                self.current_label = None
            elif kind == "blockquote_open":
                self.quotes += 1
            elif kind == "blockquote_close":
                self.quotes -= 1
            elif kind == "inline":
                self.add_inline(tok)
            elif kind in ("fence", "code_block"):
                self.add_code(tok)
            i += 1

    def open_heading(self, tok: Token, inline: Token) -> None:
        level = int(tok.tag[1:])
        line = tok.map[0] + 1 if tok.map else 1
        rendered = self.render_children(inline.children or [], line, heading=True)
        title = clean_title(rendered.text)
        while len(self.stack) > 1 and self.sections[self.stack[-1]].level >= level:
            self.sections[self.stack.pop()].end_line = self.last_text_line(line - 1)
        parent = self.stack[-1]
        path = (*self.sections[parent].path, title) if title else self.sections[parent].path
        section = Section(
            id=len(self.sections), title=title, level=level, path=path, start_line=line, end_line=line, parent=parent
        )
        self.sections.append(section)
        self.stack.append(section.id)
        self.current_label = None
        heading = Block(kind="heading", text=title, line=line, section=section.id, tags=rendered.tags)
        heading.wikilinks = _place_wikilinks(title, rendered.wikilinks)
        self.add_block(heading)

    def close_sections(self, last_line: int) -> None:
        while len(self.stack) > 1:
            self.sections[self.stack.pop()].end_line = self.last_text_line(last_line)

    def last_text_line(self, line: int) -> int:
        """*line*, moved up past blank lines (a section ends at its last line of text)."""
        while line > 1 and not self.lines[line - 1].strip():
            line -= 1
        return line

    def add_inline(self, tok: Token) -> None:
        start = tok.map[0] + 1 if tok.map else 1
        if self.in_cell:
            text, spans, wikilinks, tags = self.render(tok, start)
            if text.strip():
                cell = Block(kind="cell", text=text.strip(), line=start, section=self.section, spans=spans, tags=tags)
                cell.depth = self.column  # for a cell, its column
                cell.wikilinks = _place_wikilinks(cell.text, wikilinks)
                self.add_block(cell)
            return
        if self.items and self.items[-1] is None and _is_navigation(tok):
            return  # a table-of-contents entry: a link to a heading of this note, not content
        callout = bool(self.quotes) and _strip_callout_marker(tok)
        for line, rendered in self.split_lines(tok, start, callout):
            pieces = self.bounded(rendered.text, rendered.spans, line)
            for text, spans in pieces:
                if not text.strip():
                    self.sections[self.section].tags.extend((tag, line) for tag in rendered.tags)
                    continue
                if self.items and self.items[-1] is None:
                    index = self.add_item(text, spans, line)
                else:
                    index = self.add_paragraph_line(text, spans, line)
                wikilinks = rendered.wikilinks
                if len(pieces) > 1:  # a paragraph read in pieces: each piece keeps the links it shows
                    wikilinks = tuple(w for w in wikilinks if w[2] and w[2] in text)
                block = self.blocks[index]
                block.wikilinks, block.tags = _place_wikilinks(text, wikilinks), rendered.tags

    def bounded(self, text: str, spans: tuple[Span, ...], line: int) -> list[tuple[str, tuple[Span, ...]]]:
        """*text* in pieces of at most :data:`MAX_BLOCK_CHARS`, cut at a space, each with its own spans.

        A soft-wrapped paragraph is one block; one of a megabyte would be more than spaCy takes in one piece
        (and the note would be lost), so it is read in pieces and the summary says so.
        """
        if len(text) <= MAX_BLOCK_CHARS:
            return [(text, spans)]
        pieces: list[tuple[str, tuple[Span, ...]]] = []
        begin = 0
        while begin < len(text):
            end = min(len(text), begin + MAX_BLOCK_CHARS)
            if end < len(text):
                space = text.rfind(" ", begin + MAX_BLOCK_CHARS // 2, end)
                end = space if space > begin else end
            inside = tuple(
                Span(s.start - begin, s.end - begin, s.strong) for s in spans if begin <= s.start and s.end <= end
            )
            pieces.append((text[begin:end].strip(), inside))
            begin = end
        self.cuts.append(
            f"line {line}: a paragraph of {len(text):,} characters was read in {len(pieces)} pieces "
            f"of up to {MAX_BLOCK_CHARS:,}"
        )
        return pieces

    def add_item(self, text: str, spans: tuple[Span, ...], line: int) -> int:
        depth = len(self.items)
        parent = next((b for b in reversed(self.items[:-1]) if b is not None), None)
        # A nested item elaborates the item it is nested in: that item is its label.
        label = parent if parent is not None else self.current_label
        block = Block(
            kind="item",
            text=text,
            line=line,
            section=self.section,
            depth=depth,
            parent=parent,
            label=label,
            spans=spans,
            ordered=bool(self.ordered and self.ordered[-1]),
        )
        self.items[-1] = self.add_block(block)
        return self.items[-1]

    def add_paragraph_line(self, text: str, spans: tuple[Span, ...], line: int) -> int:
        in_item = next((b for b in reversed(self.items) if b is not None), None)
        label = in_item if in_item is not None else self.current_label
        block = Block(kind="paragraph", text=text, line=line, section=self.section, label=label, spans=spans)
        index = self.add_block(block)
        if in_item is None and block.is_label:
            self.current_label = index
        return index

    def add_code(self, tok: Token) -> None:
        start = (tok.map[0] + 2) if (tok.map and tok.type == "fence") else (tok.map[0] + 1 if tok.map else 1)
        for offset, line in enumerate(tok.content.split("\n")):
            if line.strip():
                text = cut_punctuation_runs(line.strip())
                block = Block(kind="code", text=text, line=start + offset, section=self.section)
                block.label = self.current_label
                self.add_block(block)

    def add_block(self, block: Block) -> int:
        self.blocks.append(block)
        index = len(self.blocks) - 1
        self.sections[block.section].blocks.append(index)
        return index

    def split_lines(self, tok: Token, start: int, split_first: bool = False) -> list[tuple[int, _Rendered]]:
        """Split an inline token at hard breaks (and after labels), joining soft-wrapped prose.

        With *split_first* the first line stands alone (a callout's title). Linear in the paragraph's
        length: a group of lines is rendered once, when it is complete; whether it is a label (which ends a
        group) is only asked while it is short enough to be one.
        """
        lines: list[list[Token]] = [[]]
        for child in tok.children or []:
            lines[-1].append(child)
            if child.type in ("hardbreak", "softbreak"):
                lines.append([])
        if len(lines) == 1:  # one line (most paragraphs and items): nothing to split or join
            return [(start, self.render_children(lines[0], start))]
        groups: list[tuple[int, list[Token]]] = []
        pending: tuple[int, list[Token]] | None = None
        short = ""  # the pending group's text while it has no more words than a label can have
        pending_lead: str | None = None  # the separator of a pending group that is one "X - text" line
        for offset, children in enumerate(lines):
            number = start + offset
            head = "".join(c.content for c in children if c.type == "text").lstrip()
            if pending is None:
                pending, short = (number, list(children)), _short_text(children)
                pending_lead = _lead_separator(head)
                continue
            prev_children = pending[1]
            brk = prev_children[-1].type if prev_children else "softbreak"
            split = brk == "hardbreak" or (split_first and offset == 1)
            if not split and short is not None:
                prev = self.render_children(prev_children, pending[0], record_links=False)
                split = is_label_text(prev.text, prev.spans)
            if head.startswith(("→", "->", "=>", "⇒")):
                split = False
            lead = _lead_separator(head)
            if not split and lead is not None and lead == pending_lead:
                split = True  # "SRR - Log aggregation" then "SRR - Sync accounts": one line each, though soft-wrapped
            if split:
                groups.append(pending)
                pending, short = (number, list(children)), _short_text(children)
                pending_lead = lead
            else:
                prev_children.extend(children)
                pending_lead = None
                if short is not None:
                    short = _short_text(children, short)
        if pending is not None:
            groups.append(pending)
        return [(number, self.render_children(children, number)) for number, children in groups]

    def render(self, tok: Token, line: int) -> _Rendered:
        return self.render_children(tok.children or [], line)

    def render_children(
        self, children: list[Token], line: int, heading: bool = False, record_links: bool = True
    ) -> _Rendered:
        """Plain text, emphasis spans, wiki links and tags of inline tokens (and, with *record_links*, their
        links noted).

        In a heading that holds more than a link, in-page links ("Back to top",
        arrows to the contents) are decoration and are dropped.
        """
        if heading:
            children = _drop_navigation_links(children)
        parts: list[str] = []
        spans: list[Span] = []
        open_marks: list[tuple[int, bool]] = []
        link: tuple[str, int] | None = None
        code: list[tuple[int, int]] = []  # where code is: no wiki links or tags in there
        length = 0
        for child in children:
            kind = child.type
            piece = ""
            if kind == "text" or kind == "code_inline":
                piece = cut_punctuation_runs(child.content)
                if kind == "code_inline" or link is not None:
                    code.append((length, length + len(piece)))
            elif kind in ("softbreak", "hardbreak"):
                piece = " "
            elif kind in ("strong_open", "em_open"):
                open_marks.append((length, kind == "strong_open"))
            elif kind in ("strong_close", "em_close") and open_marks:
                begin, strong = open_marks.pop()
                if length > begin:
                    spans.append(Span(begin, length, strong))
            elif kind == "link_open":
                link = (str(child.attrs.get("href", "")), length)
            elif kind == "link_close" and link is not None:
                target, begin = link
                if record_links:
                    self.links.append(Link(text="".join(parts)[begin:].strip(), target=target, line=line))
                link = None
            elif kind == "image" or kind == "html_inline":
                piece = ""
            if piece:
                parts.append(piece)
                length += len(piece)
        text = "".join(parts)
        text, spans, wikilinks, tags = _read_note_marks(text, spans, code)
        stripped = text.rstrip()
        lead = len(text) - len(text.lstrip())
        if lead:
            spans = [Span(max(0, s.start - lead), max(0, s.end - lead), s.strong) for s in spans]
        text = stripped.lstrip()
        spans = [Span(s.start, min(s.end, len(text)), s.strong) for s in spans if s.start < len(text)]
        return _Rendered(text, tuple(spans), wikilinks, tags)


_LEAD_LINE = re.compile(r"[^\s:]\S{0,40}(?:[ \t]\S{1,40}){0,3}?[ \t]+([-–—:])[ \t]+\S|[^\s:][^:\n]{0,40}(:)[ \t]+\S")


def _lead_separator(line: str) -> str | None:
    """The separator of a line shaped "X - text" or "X: text" (a head of up to four words), or None."""
    match = _LEAD_LINE.match(line)
    return (match.group(1) or match.group(2)) if match else None


def _short_text(children: list[Token], before: str = "") -> str | None:
    """*before* and the text :meth:`_Builder.render_children` makes of *children* (spans aside), or None once it
    has more words than a label can have (words only grow as lines are added, so it never is one again)."""
    pieces = (
        cut_punctuation_runs(c.content) if c.type in ("text", "code_inline") else " " if "break" in c.type else ""
        for c in children
    )
    text = before + "".join(pieces)
    # Tags and wiki-link targets are left out of the rendered text, so this raw text may have more words than
    # the label test sees: it stops asking only at four times a label's words.
    return text if len(text.split()) <= 4 * _LABEL_MAX_WORDS else None


def _drop_navigation_links(children: list[Token]) -> list[Token]:
    if not any(child.type == "link_open" for child in children):
        return children  # the usual heading: no link to drop (and no text to join and clean to find that out)
    outside = "".join(c.content for c in _outside_links(children) if c.type in ("text", "code_inline")).strip()
    if not clean_title(outside):
        return children  # the heading is the link: keep its text
    kept: list[Token] = []
    skipping = False
    for child in children:
        if child.type == "link_open" and str(child.attrs.get("href", "")).startswith("#"):
            skipping = True
            continue
        if skipping:
            skipping = child.type != "link_close"
            continue
        kept.append(child)
    return kept


def _outside_links(children: list[Token]) -> list[Token]:
    depth = 0
    out = []
    for child in children:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif depth == 0:
            out.append(child)
    return out


def _is_navigation(tok: Token) -> bool:
    """True when an inline token is nothing but an in-page link ("[Amazon SQS](#amazon-sqs)")."""
    children = [c for c in tok.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) < 3 or children[0].type != "link_open" or children[-1].type != "link_close":
        return False
    if sum(1 for c in children if c.type == "link_open") != 1:
        return False
    href = str(children[0].attrs.get("href", ""))
    return href.startswith("#") and len(href) > 1  # a bare "#" is a placeholder link, not navigation


class _Rendered(NamedTuple):
    """Inline tokens as plain text: the text, its emphasis, its wiki links (page, heading, shown text), its tags."""

    text: str
    spans: tuple[Span, ...]
    wikilinks: tuple[tuple[str, str, str], ...]
    tags: tuple[str, ...]


_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n|]{1,200})(?:\|([^\[\]\n]{0,200}))?\]\]")
# A tag starts a word (after a space or an opening bracket) with a letter: not "C#", "#1", "page#anchor".
_TAG = re.compile(r"(?<![^\s(\[])#([^\W\d_][\w/-]{0,80})")
_ATTACHMENT = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp|pdf|mp[34]|mov|webm|wav|excalidraw|canvas|zip)$", re.I)
_CALLOUT = re.compile(r"^\s*\[!([\w-]{1,30})\][+-]?[ \t]*")


def _read_note_marks(
    text: str, spans: list[Span], code: list[tuple[int, int]]
) -> tuple[str, list[Span], tuple[tuple[str, str, str], ...], tuple[str, ...]]:
    """Replace wiki links by their shown text and take tags out of *text*, moving *spans* along.

    Nothing inside *code* (inline code, link text) is touched.
    """
    if "[[" not in text and "#" not in text:
        return text, spans, (), ()

    code_starts = [a for a, _ in code]

    def inside(ranges: list[tuple[int, int]], starts: list[int], position: int) -> bool:
        at = bisect.bisect_right(starts, position) - 1
        return at >= 0 and ranges[at][0] <= position < ranges[at][1]

    edits: list[tuple[int, int, str]] = []
    wikilinks: list[tuple[str, str, str]] = []
    for match in _WIKILINK.finditer(text):
        if inside(code, code_starts, match.start()):
            continue
        target = match.group(2).strip()
        page, _, heading = target.partition("#")
        page, heading = re.sub(r"\.md$", "", page.strip(), flags=re.I), heading.strip().lstrip("^")
        shown = (match.group(3) or "").strip() or page or heading
        if match.group(1) or _ATTACHMENT.search(page):
            shown = ""  # an embed or an attachment: not text of the note
        elif page:
            wikilinks.append((page, heading, shown))
        edits.append((match.start(), match.end(), shown))
    linked = [(a, b) for a, b, _ in edits]
    linked_starts = [a for a, _ in linked]
    found = [
        m
        for m in _TAG.finditer(text)
        if not inside(code, code_starts, m.start()) and not inside(linked, linked_starts, m.start())
    ]
    tags: list[str] = []
    trailing = True  # walking back from the end: is everything after this tag only tags?
    next_start = len(text)
    for match in reversed(found):
        trailing = trailing and not text[match.end() : next_start].strip(" \t.,;")
        next_start = match.start()
        tag = match.group(1).rstrip("/-")
        tags.append(tag)
        # A tag in a sentence leaves its words; tags at the end of a line (or alone) are taken out.
        edits.append((match.start(), match.end(), "" if trailing else tag.rsplit("/", 1)[-1].replace("-", " ")))
    tags.reverse()
    if not edits:
        return text, spans, (), ()
    # What is taken out takes the space after it along, so no double spaces are left.
    edits = sorted(
        (a, _space_end(text, b) if not r and (a == 0 or text[a - 1] in " \t") else b, r) for a, b, r in edits
    )
    text, moved = _apply_edits(text, edits, spans)
    return text, moved, tuple(wikilinks), tuple(tags)


def _space_end(text: str, end: int) -> int:
    while end < len(text) and text[end] in " \t":
        end += 1
    return end


def _apply_edits(text: str, edits: list[tuple[int, int, str]], spans: list[Span]) -> tuple[str, list[Span]]:
    """*text* with each ``(start, end, replacement)`` applied (sorted; of overlapping ones the first), *spans* moved."""
    out: list[str] = []
    length = at = 0
    moves: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
    for start, end, replacement in edits:
        if start < at:
            continue
        out.append(text[at:start])
        length += start - at
        out.append(replacement)
        moves.append((start, end, length, length + len(replacement)))
        length += len(replacement)
        at = end
    out.append(text[at:])

    def move(position: int, is_end: bool) -> int:
        at = bisect.bisect_right([m[0] for m in moves], position) - 1
        if at < 0:
            return position
        _, end, new_start, new_end = moves[at]
        if position < end:
            return new_end if is_end else new_start
        return position - end + new_end

    moved = [Span(move(s.start, False), move(s.end, True), s.strong) for s in spans]
    return "".join(out), [s for s in moved if s.end > s.start]


def _place_wikilinks(text: str, found: tuple[tuple[str, str, str], ...]) -> tuple[WikiLink, ...]:
    """The wiki links of a block, each at the first place after the previous one where its shown text is."""
    placed = []
    at = 0
    for page, heading, shown in found:
        start = text.find(shown, at) if shown else -1
        if start < 0:
            start, end = at, at
        else:
            end = start + len(shown)
            at = end
        placed.append(WikiLink(page, heading, start, end))
    return tuple(placed)


def _strip_callout_marker(tok: Token) -> bool:
    """Drop a callout's ``[!note]`` marker from the first text of *tok*; True when there was one."""
    first = next((c for c in tok.children or [] if c.type == "text"), None)
    if first is None or tok.children is None or tok.children[0] is not first:
        return False
    match = _CALLOUT.match(first.content)
    if not match:
        return False
    first.content = first.content[match.end() :]
    return True
