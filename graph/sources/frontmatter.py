"""YAML front matter as people write it in notes: ``read_front_matter``.

Notes apps (Obsidian, Jekyll, Hugo) open a note with a block between ``---`` lines holding
``title:``, ``aliases:`` and ``tags:``. Only the simple forms are read, with the line of every
value (the front matter is blanked in the note's text so line numbers hold, see
:mod:`graph.sources.notes`); nested maps and anything unusual are skipped, never guessed at:

* ``key: value`` and ``key: "quoted value"``;
* ``key: [a, b, "c d"]`` (a flow list);
* ``key:`` followed by ``  - a`` lines (a block list).

>>> meta = read_front_matter("---\\ntitle: SQS notes\\naliases: [Amazon SQS, Queues]\\ntags:\\n  - aws\\n---\\n")
>>> [(m.key, m.value, m.line) for m in meta]
[('title', 'SQS notes', 2), ('aliases', 'Amazon SQS', 3), ('aliases', 'Queues', 3), ('tags', 'aws', 5)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FrontMatterValue", "front_matter_end", "read_front_matter"]

_END = re.compile(r"^(---|\.\.\.)\s*$")
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(?:\s+(.*?))?\s*$")
_ITEM = re.compile(r"^\s+-\s+(.*?)\s*$|^-\s+(.*?)\s*$")
#: Keys whose plain value is itself a list, as notes apps accept: ``tags: aws, sqs`` or ``tags: aws sqs``.
_WORDS_SPLIT = re.compile(r"[,\s]+")
_COMMA_SPLIT = re.compile(r"(?<!\s)\s*,\s*")
_LIST_KEYS = {"tags": _WORDS_SPLIT, "tag": _WORDS_SPLIT, "aliases": _COMMA_SPLIT, "alias": _COMMA_SPLIT}
#: Front matter longer than this is no front matter (the same bound the reader uses).
MAX_LINES = 500


@dataclass(frozen=True)
class FrontMatterValue:
    """One value of a front matter key, with its 1-based line in the file."""

    key: str
    value: str
    line: int


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter opened on line 0, or None."""
    if not lines or not lines[0].startswith("---") or not _END.match(lines[0]):
        return None
    for end in range(1, min(len(lines), MAX_LINES)):
        if _END.match(lines[end]):
            return end
    return None


def read_front_matter(text: str) -> tuple[FrontMatterValue, ...]:
    """The values of the simple keys of *text*'s front matter, in order (empty when it has none)."""
    lines = text.split("\n", MAX_LINES)
    end = front_matter_end(lines)
    if end is None:
        return ()
    out: list[FrontMatterValue] = []
    key: str | None = None
    for number in range(1, end):
        raw = lines[number].rstrip("\r")
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        item = _ITEM.match(raw)
        if item and key is not None:
            out.extend(_values(key, item.group(1) if item.group(1) is not None else item.group(2), number + 1, False))
            continue
        match = _KEY.match(raw)
        if not match:
            key = None  # a nested map or something else: not read
            continue
        key = match.group(1).lower()
        value = match.group(2) or ""
        if value:
            out.extend(_values(key, value, number + 1, True))
    return tuple(out)


def _values(key: str, value: str, line: int, inline: bool) -> list[FrontMatterValue]:
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        parts = _split_flow(value[1:-1])
    elif inline and key in _LIST_KEYS and value[:1] not in "\"'":
        parts = _LIST_KEYS[key].split(value)
    else:
        parts = [value]
    found = []
    for part in parts:
        part = _unquote(part.strip())
        if part and not part.startswith(("{", "[", "&", "*", "|", ">")):
            found.append(FrontMatterValue(key, part, line))
    return found


def _split_flow(body: str) -> list[str]:
    """Split a flow list's body at commas outside quotes."""
    return [m.group(1) for m in re.finditer(r'\s*("[^"]*"|\'[^\']*\'|[^,]+)', body)]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value.split(" #", 1)[0].strip()  # a trailing comment
