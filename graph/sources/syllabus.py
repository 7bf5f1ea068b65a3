"""Exam syllabi: read and check a list of in-scope services.

A syllabus file is plain text (see ``data/syllabi/README`` and the bundled
``clf-c02.txt``)::

    # a comment: where the list comes from
    ## Analytics
    Amazon Athena
    Amazon Managed Streaming for Apache Kafka (Amazon MSK)

Lines starting with ``#`` (and not ``##``) are comments, ``## Name`` starts a
category, every other non-blank line is one service in the guide's own
wording. Names are resolved with :meth:`graph.sources.catalog.Catalog.resolve`, the
same alias handling extraction uses, so ``Amazon Simple Queue Service (Amazon
SQS)`` becomes the catalog entry ``sqs``. A syllabus is about one cloud: the vendor its lines name
most (vendor names in comments and before products, products only one vendor has) decides what a
name several vendors share means, so "Cloud Shell" in the Google Cloud ACE list is Google's.

Problems in a file are reported, not fatal, so a user's own list still
works: each :class:`SyllabusIssue` names the file and line. Only a file that
cannot be read or holds no service at all raises :class:`SyllabusError`.

Examples
--------
>>> syllabus = load_syllabus("clf-c02")
>>> syllabus.entries[0].name, syllabus.entries[0].catalog_id
('Amazon Athena', 'athena')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from graph.names import loose_key
from graph.sources.bundled import SYLLABI_DIR
from graph.sources.catalog import Catalog, load_catalog
from graph.sources.notes import user_path
from graph.vendors import vendor_prefix, vendor_words

__all__ = [
    "Syllabus",
    "SyllabusEntry",
    "SyllabusError",
    "SyllabusIssue",
    "builtin_syllabi",
    "load_syllabus",
    "parse_syllabus",
    "syllabus_vendor",
]

#: Category of services listed before any ``## Category`` heading.
NO_CATEGORY = "Uncategorised"
#: Longest name accepted on a line; longer lines are prose, not a service name.
MAX_NAME_LENGTH = 120
#: A "did you mean" suggestion for an unknown name needs at least this RapidFuzz score.
SUGGEST_SCORE = 80.0

_LIST_MARKER = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
_SEVERAL = re.compile(r"[,;\t|]")


class SyllabusError(ValueError):
    """The syllabus cannot be used at all: unknown name, unreadable file, or no services in it."""


@dataclass(frozen=True)
class SyllabusEntry:
    """One in-scope service.

    Attributes
    ----------
    name : str
        The name as the syllabus writes it.
    category : str
        The ``## Category`` it is listed under.
    line : int
        1-based line in the file.
    catalog_id : str or None
        The catalog entry it resolves to, or None for a name the catalog does
        not know (it is then matched by name only).
    """

    name: str
    category: str
    line: int
    catalog_id: str | None


@dataclass(frozen=True)
class SyllabusIssue:
    """A problem found in a syllabus file.

    ``level`` is ``"warning"`` (a line was ignored or could not be resolved)
    or ``"note"`` (information only, e.g. a service listed under two
    categories).
    """

    file: str
    line: int
    level: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message}"


@dataclass(frozen=True)
class Syllabus:
    """A parsed syllabus: its entries in file order and the issues met.

    Attributes
    ----------
    name : str
        Short name (the file name without ``.txt``), e.g. ``"clf-c02"``.
    source : str
        Where it was read from.
    title : str
        The first comment line, without the ``#`` (empty if none).
    entries : tuple of SyllabusEntry
        Every accepted entry, in file order. A service listed under two
        categories has an entry in each.
    issues : tuple of SyllabusIssue
    """

    name: str
    source: str
    title: str
    entries: tuple[SyllabusEntry, ...]
    issues: tuple[SyllabusIssue, ...] = ()

    @property
    def categories(self) -> list[str]:
        """Category names in the order they first appear."""
        return list(dict.fromkeys(entry.category for entry in self.entries))


def builtin_syllabi() -> dict[str, Path]:
    """The syllabi shipped in ``data/syllabi``: ``{name: path}``, e.g. ``{"clf-c02": ...}``."""
    if not SYLLABI_DIR.is_dir():
        return {}
    return {path.stem.lower(): path for path in sorted(SYLLABI_DIR.glob("*.txt"))}


def load_syllabus(name_or_path: str | Path, catalog: Catalog | None = None) -> Syllabus:
    """Load a built-in syllabus by name (``"clf-c02"``, any case) or a syllabus file.

    Parameters
    ----------
    name_or_path : str or Path
        A name from :func:`builtin_syllabi` or the path of a file in the same format.
    catalog : Catalog, optional
        The service catalog to resolve names with (default: the bundled one).

    Returns
    -------
    Syllabus

    Raises
    ------
    SyllabusError
        If it is neither a built-in name nor a readable UTF-8 file, or lists no service.
    """
    builtin = builtin_syllabi()
    key = str(name_or_path).strip()
    path = builtin.get(key.lower()) or builtin.get(key.lower().removesuffix(".txt"))
    if path is None:
        path = user_path(key)
        if not path.exists():
            names = ", ".join(builtin) or "none"
            raise SyllabusError(
                f"no syllabus named {key!r}: give a syllabus file or one of the built-in names ({names})"
            )
        if path.is_dir():
            raise SyllabusError(f"syllabus {path} is a folder, not a file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SyllabusError(f"syllabus {path} is not UTF-8 text (byte {err.start})") from None
    except OSError as err:
        raise SyllabusError(f"cannot read syllabus {path}: {err.strerror or err}") from None
    return parse_syllabus(text, source=str(path), name=path.stem.lower(), catalog=catalog)


def parse_syllabus(text: str, source: str = "<syllabus>", name: str = "", catalog: Catalog | None = None) -> Syllabus:
    """Parse syllabus *text*, resolving each name against the service catalog.

    Parameters
    ----------
    text : str
        The file's content.
    source : str
        Shown in issues as the file name.
    name : str
        Short name for the syllabus (default: *source*'s stem).
    catalog : Catalog, optional
        Default: the bundled catalog.

    Returns
    -------
    Syllabus
        Issues found (each with ``source:line``):

        - a ``##`` heading without a name, or a heading of another level
          (``### X``): the line is ignored;
        - a name line that is not one name (several names separated by
          ``,``/``;``/tabs, unbalanced parentheses, no letters, too long): ignored;
        - a name before any ``## Category``: kept under ``Uncategorised``;
        - a name the catalog does not know: kept, matched by name only, with
          the closest catalog name as a suggestion;
        - the same service twice in one category (also under two spellings):
          the repeat is ignored;
        - the same service in two categories: kept in both (a note);
        - a category with no services (a note).

    Raises
    ------
    SyllabusError
        If no service at all is listed.
    """
    catalog = catalog or load_catalog()
    name = name or Path(source).stem.lower()
    vendor = syllabus_vendor(text, catalog)
    issues: list[SyllabusIssue] = []
    entries: list[SyllabusEntry] = []
    title = ""
    category: str | None = None
    category_line = 0
    category_sizes: dict[tuple[str, int], int] = {}
    # service identity -> (category, line, written name) of each listing, to spot repeats
    seen: dict[str, list[tuple[str, int, str]]] = {}

    def issue(line: int, level: str, message: str) -> None:
        issues.append(SyllabusIssue(source, line, level, message))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        marks = re.match(r"^(#+)\s*(.*)$", line)
        if marks:
            level, rest = len(marks.group(1)), marks.group(2)
            if level == 2 and rest:
                category, category_line = rest, number
                category_sizes.setdefault((category, category_line), 0)
            elif level == 2:
                issue(number, "warning", "category heading without a name; write '## Category name'")
            elif level == 1 or not rest:  # a comment, or a rule of '#' characters
                title = title or rest
            else:
                issue(
                    number,
                    "warning",
                    f"heading {line!r} ignored: categories are '## Name' lines, comments start with a single '#'",
                )
            continue
        written = _LIST_MARKER.sub("", line)
        problem = _malformed(written)
        if problem:
            issue(number, "warning", f"{line!r} ignored: {problem}")
            continue
        if category is None:
            issue(number, "warning", f"{written!r} comes before any '## Category' heading; listed under {NO_CATEGORY}")
        where = category or NO_CATEGORY
        entry = catalog.resolve(written, vendor=vendor)
        identity = f"catalog:{entry.id}" if entry else f"name:{loose_key(written)}"
        earlier = seen.setdefault(identity, [])
        same_category = next((e for e in earlier if e[0] == where), None)
        if same_category is not None:
            both = f" (both are {entry.label})" if entry and same_category[2] != written else ""
            issue(number, "warning", f"{written!r} repeats line {same_category[1]} in {where!r}{both}; ignored")
            continue
        if earlier:
            issue(
                number,
                "note",
                f"{written!r} is also listed under {earlier[0][0]!r} (line {earlier[0][1]}); "
                "it counts in both categories and once overall",
            )
        if entry is None:
            hint = _suggest(written, catalog)
            issue(
                number,
                "warning",
                f"unknown service {written!r}: not in the service catalog, so it is matched by name only"
                + (f"; did you mean {hint!r}?" if hint else ""),
            )
        earlier.append((where, number, written))
        if category is not None:
            category_sizes[(category, category_line)] += 1
        entries.append(SyllabusEntry(written, where, number, entry.id if entry else None))
    for (empty, line), size in category_sizes.items():
        if size == 0:
            issue(line, "note", f"category {empty!r} lists no services")
    if not entries:
        raise SyllabusError(
            f"syllabus {source} lists no services (expected '## Category' lines followed by one service name per line)"
        )
    issues.sort(key=lambda i: i.line)
    return Syllabus(name, source, title, tuple(entries), tuple(issues))


def syllabus_vendor(text: str, catalog: Catalog) -> str | None:
    """The cloud a syllabus is about: the vendor its comments and names point to most, or None if none leads.

    >>> syllabus_vendor("# Google Cloud ACE\\n## Compute\\nCloud Shell\\nBigQuery", load_catalog())
    'gcp'
    """
    votes: dict[str, int] = {}
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line.startswith("#"):
            for found, count in vendor_words(line).items():
                votes[found] = votes.get(found, 0) + count
            continue
        written = vendor_prefix(line)
        if written:
            votes[written[0]] = votes.get(written[0], 0) + 1
            continue
        options = catalog.options(re.sub(r"\s*\([^()]*\)", "", line))
        if len(options) == 1:
            only = next(iter(options))
            votes[only] = votes.get(only, 0) + 1
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _malformed(name: str) -> str:
    """Why *name* is not one service name, or ``""``."""
    if not re.search(r"[A-Za-z]", name):
        return "no service name on this line"
    if len(name) > MAX_NAME_LENGTH:
        return f"longer than {MAX_NAME_LENGTH} characters; write one service name per line"
    if _SEVERAL.search(name):
        return "looks like several names on one line; write one service name per line"
    depth = 0
    for char in name:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0 or depth > 1:
            break
    if depth != 0:
        return "unbalanced parentheses; write 'Full Name (Short Name)'"
    return ""


def _suggest(name: str, catalog: Catalog) -> str:
    """The catalog name closest to *name*, if it is close enough to be a likely typo."""
    owners = dict(catalog.surface_forms())
    if not owners:
        return ""
    # Syllabus lines put the short name in parentheses; score the outside part, which is the full name.
    outside = re.sub(r"\s*\([^()]*\)\s*", " ", name).strip() or name
    match = process.extractOne(outside, list(owners), scorer=fuzz.ratio, processor=str.casefold)
    if match is None or match[1] < SUGGEST_SCORE:
        return ""
    return catalog.get(owners[match[0]]).full_name
