"""Notes as people keep them in notes apps: wiki links, tags and front matter.

* ``[[Page]]``, ``[[Page|shown text]]``, ``[[Page#Heading]]`` name the page's topic (a service when
  the catalog knows the name, else a concept) and state a link to it from what the block is about
  (its section's subject, else the note's own topic): relation ``links_to``. The topic joins the
  block's entities, so cue words and co-occurrence read it like any other name.
* ``#tags`` (inline, and ``tags:`` in the front matter) name topics of the block or the note,
  related to it by being tagged (inferred, not stated: a tag does not say how).
* ``aliases:`` in the front matter are other names of the note's own topic.

The note's own topic is its front matter ``title:``, else its only top-level heading's subject,
else -- in a note that uses any of the above -- its file name, as notes apps name pages.

Example: in ``SQS.md`` holding ``aliases: [Simple Queue Service]`` and the line
``Failed messages go to a [[Dead-letter queue|DLQ]] #messaging``, the note's topic is Amazon SQS
(alias "Simple Queue Service"), SQS ``links_to`` the concept "Dead-letter queue", and the concept
"messaging" is related to SQS.
"""

from __future__ import annotations

import bisect
import re
from pathlib import PurePosixPath

from graph.extract import terms
from graph.extract.context import Candidate, NoteContext
from graph.extract.fragments import is_fragment
from graph.extract.recorder import Recorder
from graph.extract.text import VENDORS, keep_term
from graph.model import INFERRED, SERVICE, Evidence

__all__ = ["apply"]

LINKS_TO = "links_to"
#: Tags and file names that say how a note is kept, not what it is about.
_KEEPING_WORDS = frozenset(
    "todo to-do draft wip review reviewed done inbox idea ideas question questions important fleeting permanent "
    "literature moc index home readme license changelog archive archived status flashcards flashcard seedling "
    "evergreen notes note untitled template templates daily weekly".split()
)


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Read the wiki links, tags and front matter of the note (after the block entities are found)."""
    parsed = ctx.parsed
    linked = [i for i, b in enumerate(parsed.blocks) if b.wikilinks]
    tagged = [i for i, b in enumerate(parsed.blocks) if b.tags]
    tag_lines = [s for s in parsed.sections if s.tags]
    front = parsed.front_matter
    if not (linked or tagged or tag_lines or front):
        return
    own = _NoteTopic(ctx, rec)
    for index in linked:
        _wikilinks(ctx, rec, index, own)
    for index in tagged:
        for tag in parsed.blocks[index].tags:
            _tag(ctx, rec, tag, ctx.block_subject(index) or own.key(), index, None)
    for section in tag_lines:
        subjects = ctx.subjects.get(section.id)
        for tag, line in section.tags:
            _tag(ctx, rec, tag, subjects[0] if subjects else own.key(), 0, rec.evidence_at(line, f"#{tag}"))
    for value in front:
        at = rec.evidence_at(value.line, f"{value.key}: {value.value}")
        if value.key in ("tags", "tag", "keywords", "topics"):
            _tag(ctx, rec, value.value, own.key(), 0, at)
        elif value.key in ("aliases", "alias") and own.key() is not None:
            _alias(ctx, rec, own.key(), value.value, at)


class _NoteTopic:
    """What the whole note is about, found and mentioned (from its title or file name) only when asked for."""

    def __init__(self, ctx: NoteContext, rec: Recorder) -> None:
        self.ctx, self.rec = ctx, rec
        self._key: str | None = None
        self._found = False

    def key(self) -> str | None:
        if not self._found:
            self._found = True
            self._key = self._find()
        return self._key

    def _find(self) -> str | None:
        ctx, rec = self.ctx, self.rec
        parsed = ctx.parsed
        title = next((v for v in parsed.front_matter if v.key == "title"), None)
        if title is not None and _names_topic(title.value):
            return _mention(ctx, rec, title.value, "title", rec.evidence_at(title.line, f"title: {title.value}"))
        tops = [s for s in parsed.sections if s.level == 1]
        if len(tops) == 1 and ctx.subjects.get(tops[0].id):
            return ctx.subjects[tops[0].id][0]
        stem = re.sub(r"[_\s]+", " ", PurePosixPath(parsed.path).stem).strip()
        if not tops and _names_topic(stem):
            return _mention(ctx, rec, stem, "title", rec.evidence_at(1, f"(the note's name) {parsed.path}"))
        return None


def _names_topic(text: str) -> bool:
    words = terms.words(text)
    if not words or any(w.lower() in _KEEPING_WORDS for w in words) or text.lower() in VENDORS:
        return False
    return keep_term(text, max_words=8, defined=True) and not is_fragment(text)


def _mention(ctx: NoteContext, rec: Recorder, surface: str, how: str, at: Evidence) -> str:
    cand = ctx.candidate(surface)
    rec.mention(cand.key, surface, cand.kind, how, 0, at=at)
    return cand.key


def _wikilinks(ctx: NoteContext, rec: Recorder, index: int, own: _NoteTopic) -> None:
    """Each wiki link of block *index*: the page's topic joins the block's entities and is linked to."""
    block = ctx.parsed.blocks[index]
    found = ctx.block_entities.setdefault(index, [])
    source = ctx.block_subject(index)
    for link in block.wikilinks:
        page = _page_topic(link.page)
        if not _names_topic(page):
            continue
        cand = ctx.candidate(page, link.start, link.end)
        # The link says which topic its shown text names: it replaces what was read there.
        found[:] = [c for c in found if c.end <= link.start or c.start >= link.end or link.start == link.end]
        bisect.insort(found, Candidate(cand.key, page, cand.kind, link.start, link.end), key=lambda c: c.start)
        source = source or own.key()
        if source is not None:
            rec.relate(source, cand.key, LINKS_TO, True, index)


def _page_topic(page: str) -> str:
    """The topic a page names: "Compute/Amazon EC2" -> "Amazon EC2", "The Twelve-Factor App" -> "Twelve-Factor App".

    A page in a folder is named by its last part (but "CI/CD" and "TCP/IP" are names, not folders).
    """
    parts = page.split("/")
    if len(parts) > 1 and any(len(p) > 3 or " " in p.strip() for p in parts[:-1]):
        page = parts[-1]
    return re.sub(r"^(?:the|a|an)\s+", "", terms.clean_term(page), flags=re.IGNORECASE)


def _tag(ctx: NoteContext, rec: Recorder, tag: str, subject: str | None, index: int, at: Evidence | None) -> None:
    """A tag names a topic ("#dead-letter-queue", "#aws/sqs" -> "sqs"), related to what is tagged."""
    surface = re.sub(r"[-_]+", " ", tag.strip().lstrip("#").rsplit("/", 1)[-1]).strip()
    if not _names_topic(surface):
        return
    cand = ctx.candidate(surface)
    kind = SERVICE if cand.key.startswith("service:") else cand.kind
    rec.mention(cand.key, surface, kind, "tag", index, at=at)
    if subject is not None:
        rec.relate(subject, cand.key, INFERRED, False, index, at=at)


def _alias(ctx: NoteContext, rec: Recorder, own: str, alias: str, at: Evidence) -> None:
    """An alias names the note's topic, unless the catalog says it names another service."""
    cand = ctx.candidate(alias)
    if cand.key.startswith("service:") and cand.key != own:
        return
    if not terms.is_term_like(alias, 8):
        return
    kind = SERVICE if own.startswith("service:") else ctx.candidate(alias).kind
    rec.mention(own, alias, kind, "alias", 0, at=at)
