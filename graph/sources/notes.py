"""Read note files from disk into repaired text.

This is the first stage of the flow: a file or folder in, a list of
:class:`Note` (repaired text plus provenance) and a list of :class:`Problem`
(files skipped or read with a caveat, each with a message a person can act on)
out. Nothing here knows about markdown structure or entities.

Notes are opened read-only and never written.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import ftfy
import ftfy.badness

from graph.sources.frontmatter import FrontMatterValue, read_front_matter

__all__ = [
    "ARCHIVE_SUFFIXES",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_LINE_CHARS",
    "MAX_NESTING",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_FILES",
    "MAX_WALK_ENTRIES",
    "NOTE_SUFFIXES",
    "NoNotesError",
    "Note",
    "Problem",
    "ReadResult",
    "TooManyFilesError",
    "Withheld",
    "decode_note",
    "find_note_files",
    "read_file",
    "read_notes",
    "read_uploads",
    "read_zip",
    "repair_text",
    "safe_name",
    "upload_refusal",
    "user_path",
]

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
#: Uploads read as an archive of notes (see :func:`read_zip`): many notes in one upload.
ARCHIVE_SUFFIXES = (".zip",)

#: Limits, documented in the README. A file over the size limit is skipped; a
#: line over the line limit is cut; a folder over the file-count limit is refused before any file is read.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_LINE_CHARS = 20_000
MAX_FILES = 100_000
#: Files and folders looked at in a walk for notes before it gives up (a home folder or ``/`` is no notes folder).
MAX_WALK_ENTRIES = 1_000_000
#: Block quotes and lists nested deeper than this are read as plain text (markdown-it's nesting limit).
MAX_NESTING = 40
#: Most files, and most bytes in all, one upload may hold (the app's upload control; per file MAX_FILE_BYTES holds
#: too): as many files as a folder. A .zip counts as one file of at most MAX_UPLOAD_BYTES; its entries are held to the
#: folder limit (MAX_FILES) and its notes, extracted, to MAX_UPLOAD_BYTES with the rest of the upload.
MAX_UPLOAD_FILES = MAX_FILES
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# Byte signatures of common binary formats that people rename to .md by mistake.
_BINARY_MAGIC = (
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),  # an empty zip starts with its end-of-directory record
    (b"PK\x07\x08", "a zip archive"),  # a spanned zip
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)

# When UTF-8 is mis-decoded as Windows-1252, the five bytes that code page
# leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are often dropped, and ftfy
# cannot undo a sequence with a byte missing. We put the byte back first: a
# mojibake lead character followed by one continuation too few gets whichever
# of the five makes valid UTF-8 (0x9D first: it ends the right double quote,
# the commonest casualty in prose).
_LOST_BYTES = (0x9D, 0x8F, 0x90, 0x8D, 0x81)
_MOJIBAKE_RUN = re.compile("([\u00c2-\u00f4\u011f])([\u0080-\u00bf\u0152-\u0178\u0192\u02c6\u02dc\u2013-\u2122]{0,3})")
_EMOJI_REMNANT = re.compile("[\u00f0\u011f]\u0178[\u0080-\u00bf\u0152-\u0178\u2013-\u2122]?")
_FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)\s*$")


def _category_chars(spec: str) -> set[str]:
    """The characters of one of ftfy's character classes, written as in a regex class ("a-c" is a range)."""
    chars: set[str] = set()
    at = 0
    while at < len(spec):
        if at + 2 < len(spec) and spec[at + 1] == "-":
            chars.update(map(chr, range(ord(spec[at]), ord(spec[at + 2]) + 1)))
            at += 3
        else:
            chars.add(spec[at])
            at += 1
    return chars


def _mojibake_marks() -> re.Pattern[str]:
    """A character class of every character ftfy's mojibake test (``ftfy.badness.BADNESS_RE``) needs one of.

    Each alternative of that regex has a part that only its non-ASCII mojibake characters match, and never one
    of the "common" ones (dashes, a right quote, a no-break space) alone. So a text with none of these characters
    is not mojibake, and the test (a large regex: the most expensive step of reading most non-ASCII notes, the
    ones with arrows, dashes and quotes) is not run on it. ``tests/test_ingest.py`` checks the claim.
    """
    categories = {name: _category_chars(spec) for name, spec in ftfy.badness.MOJIBAKE_CATEGORIES.items()}
    common = categories.pop("common")
    marks = set().union(*categories.values()) | {c for c in ftfy.badness.BADNESS_RE.pattern if ord(c) > 127}
    return re.compile("[" + "".join(re.escape(c) for c in sorted(marks - common)) + "]")


_MOJIBAKE_MARKS = _mojibake_marks()
# C0 controls except tab and newline (CR is normalised first), DEL and the C1 controls.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Note:
    """One note file, read and repaired.

    ``path`` is the path shown to people (relative to the folder that was
    read, with ``/`` separators); ``text`` has LF line ends, no BOM, repaired
    encoding, and YAML front matter blanked out so that line numbers still
    match the file; ``repairs`` says what was done to it; ``digest`` is the
    SHA-256 of the raw bytes; ``front_matter`` holds the simple values of the
    front matter (``title``, ``aliases``, ``tags``, ...; see
    :mod:`graph.sources.frontmatter`), each with its line.
    """

    path: str
    text: str
    digest: str
    repairs: tuple[str, ...] = ()
    front_matter: tuple[FrontMatterValue, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A file that was skipped, or read with a caveat.

    ``skipped`` is True when nothing of the file was used.
    """

    path: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        verb = "skipped" if self.skipped else "note"
        return f"{self.path}: {verb}: {self.message}"


@dataclass
class ReadResult:
    """What :func:`read_notes` found: the notes read and the problems met."""

    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, note: Note | None, problem: Problem | None) -> None:
        """Record what :func:`decode_note` made of one file."""
        if problem is not None:
            self.problems.append(problem)
        if note is not None:
            self.notes.append(note)


class NoNotesError(Exception):
    """Raised when a path holds no readable note at all."""


class TooManyFilesError(NoNotesError):
    """Raised before anything is read when a folder holds more notes (or files) than a build takes."""


def find_note_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Return the note files under *root* (a file or a folder), sorted.

    Folders are walked recursively without following symlinked folders (so a
    symlink loop cannot trap the walk); hidden folders are skipped. A folder
    with more than :data:`MAX_FILES` notes, or more than :data:`MAX_WALK_ENTRIES`
    files and folders in all (``/``, a home folder), raises
    :class:`TooManyFilesError` as soon as the walk passes the limit: nothing is
    read, and the walk does not go on over the whole disk.
    """
    problems: list[Problem] = []
    if root.is_file():
        return [root], problems
    files: list[Path] = []
    seen = 0

    def on_error(err: OSError) -> None:
        problems.append(Problem(_display(Path(err.filename or root), root), f"cannot read folder: {err.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        seen += len(dirnames) + len(filenames)
        if seen > MAX_WALK_ENTRIES:
            raise TooManyFilesError(
                f"{_display(root, Path('.'))}: more than {MAX_WALK_ENTRIES:,} files and folders under it, too many "
                "to look through for notes; give the folder that holds your notes"
            )
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(NOTE_SUFFIXES):
                continue
            files.append(Path(dirpath) / name)
        if len(files) > MAX_FILES:
            raise TooManyFilesError(
                f"{_display(root, Path('.'))}: more than {MAX_FILES:,} note files, over the file-count limit; "
                "build a smaller folder (one subject or course) or split the notes into several folders"
            )
    files.sort()
    return files, problems


def read_notes(path: str | os.PathLike[str]) -> ReadResult:
    """Read every note under *path* (a file or a folder).

    Returns a :class:`ReadResult`. Raises :class:`NoNotesError` with a message
    that says what to do when *path* does not exist or holds no note that
    could be read; any single bad file only adds a :class:`Problem`.
    """
    root = Path(path)
    if not root.exists() and root.is_symlink():
        # exists() is False for a link that loops or points nowhere; "no such file" would be wrong.
        raise NoNotesError(f"{root}: a symbolic link that loops or points nowhere; give a notes file or folder")
    if not root.exists():
        raise NoNotesError(f"{root}: no such file or folder; give a notes file or a folder of .md/.markdown/.txt files")
    files, problems = find_note_files(root)
    result = ReadResult(problems=problems)
    if not root.is_dir() and not root.name.lower().endswith(NOTE_SUFFIXES):
        # Only notes are read: a path to /etc/passwd or a key file must never become topics and evidence.
        raise NoNotesError(f"{root}: not a note file; give a {', '.join(NOTE_SUFFIXES)} file or a folder of notes")
    if not files:
        raise NoNotesError(f"{root}: no notes found (looked for {', '.join(NOTE_SUFFIXES)} files, recursively)")
    base = root if root.is_dir() else root.parent
    for file in files:
        display = _display(file, base)
        raw, why = read_file(file)
        if raw is None:
            result.problems.append(Problem(display, why))
            continue
        result.add(*decode_note(display, raw))
    if not result.notes:
        reasons = "; ".join(str(p) for p in result.problems[:3])
        raise NoNotesError(f"{root}: none of the {len(files)} note file(s) could be read ({reasons})")
    return result


def read_file(file: Path) -> tuple[bytes | None, str]:
    """The bytes of one note file, or ``(None, why not)``.

    Opened read-only and non-blocking, then checked on the open handle: only a
    regular file is read (a named pipe would block forever, a link to
    ``/dev/zero`` never ends), and never more than :data:`MAX_FILE_BYTES` plus
    one byte, even if the file grows after it was listed.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(file, flags)
    except FileNotFoundError:
        if os.path.islink(file):
            return None, "broken symbolic link (what it points to does not exist)"
        return None, "vanished before it could be read (deleted or moved while reading)"
    except OSError as err:
        if err.errno == errno.ELOOP:
            return None, "symbolic link loop (the link leads back to itself)"
        return None, f"cannot read: {err.strerror or err}"
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return None, f"not a regular file ({_file_kind(info.st_mode)}); only ordinary files are read"
        if info.st_size > MAX_FILE_BYTES:
            return None, _too_large(info.st_size)
        chunks = []
        left = MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(handle, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
    except OSError as err:
        return None, f"cannot read: {err.strerror or err}"
    finally:
        os.close(handle)
    if len(raw) > MAX_FILE_BYTES:
        return None, _too_large(len(raw), grew=True)
    return raw, ""


def _file_kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return kind
    return "a special file"


class Withheld(NamedTuple):
    """A file of an upload that the browser kept back (not a note, or over a limit): its name and size, no bytes.

    The app's upload control applies the limits before it sends anything and names what it kept back, so that
    :func:`read_uploads` says why in the same words as for a file it was sent:

    >>> [str(p) for p in read_uploads([("a.md", b"# A"), Withheld("scan.pdf", 2_000)]).problems]
    ['scan.pdf: skipped: not a note file (expected .md, .markdown, .txt, or a .zip of them)']
    """

    name: str
    size: int


def read_uploads(files: list[tuple[str, bytes] | Withheld]) -> ReadResult:
    """Read notes given as (file name, bytes) pairs, e.g. files uploaded in the app.

    The names are only shown, never used as paths: each is reduced to a safe
    display name (no folders, no control characters). A ``.zip`` is read as a
    folder of notes in one file (see :func:`read_zip`); other files whose names do
    not end in a note suffix are skipped with a message, and so is each
    :class:`Withheld` file. At most :data:`MAX_UPLOAD_FILES` files and
    :data:`MAX_UPLOAD_BYTES` of notes in all are read. Raises :class:`NoNotesError`
    when none could be read.

    >>> [n.path for n in read_uploads([("a.md", b"# A"), ("b.md", b"# B")]).notes]
    ['a.md', 'b.md']
    """
    result = ReadResult()
    if len(files) > MAX_UPLOAD_FILES:
        result.problems.append(
            Problem(
                "(upload)",
                f"{len(files):,} files uploaded; only the first {MAX_UPLOAD_FILES:,} are read "
                "(the upload file-count limit); upload one subject or course at a time",
                skipped=False,
            )
        )
        files = files[:MAX_UPLOAD_FILES]
    budget = _Budget()
    seen: dict[str, int] = {}
    for entry in files:
        name, raw = entry
        held = isinstance(entry, Withheld)
        display = safe_name(name)
        archive = display.lower().endswith(ARCHIVE_SUFFIXES)
        if not archive:
            display = _unique(display, seen)
        why = upload_refusal(display, raw if held else len(raw))
        if why:
            result.problems.append(Problem(display, why))
        elif held:
            result.problems.append(Problem(display, _held_back(raw, budget)))
        elif archive:
            try:
                entries, problems = _zip_notes(display, raw)
            except NoNotesError as refused:  # one bad archive is one problem, like any other bad file
                result.problems.append(Problem(display, str(refused).removeprefix(f"{display}: ")))
                continue
            result.problems.extend(problems)
            for path, data in entries:
                _read_one(result, _unique(path, seen), data, budget)
        else:
            _read_one(result, display, raw, budget)
    if not result.notes:
        reasons = "; ".join(str(p) for p in result.problems[:3]) or "no files given"
        raise NoNotesError(f"none of the {len(files)} uploaded file(s) could be read ({reasons})")
    return result


def upload_refusal(name: str, size: int) -> str:
    """Why a file of an upload is skipped before it is read, from its name and size alone ("" when it is not):
    not a note or a ``.zip``, or over its size limit (a note :data:`MAX_FILE_BYTES`, a ``.zip``
    :data:`MAX_UPLOAD_BYTES`). The app's upload control applies the same rules in the browser, with these limits.

    >>> upload_refusal("week1.md", 1_000), upload_refusal("photo.png", 1_000)
    ('', 'not a note file (expected .md, .markdown, .txt, or a .zip of them)')
    """
    lower = name.lower()
    if lower.endswith(ARCHIVE_SUFFIXES):
        if size > MAX_UPLOAD_BYTES:
            return _too_large(size, limit=MAX_UPLOAD_BYTES, advice="zip fewer notes")
        return ""
    if not lower.endswith(NOTE_SUFFIXES):
        return f"not a note file (expected {', '.join(NOTE_SUFFIXES)}, or a .zip of them)"
    return _too_large(size) if size > MAX_FILE_BYTES else ""


def _held_back(size: int, budget: _Budget) -> str:
    """Why the browser kept back a file of the right kind and size: the upload's total, else its message size."""
    budget.total += size
    if budget.total > MAX_UPLOAD_BYTES:
        return _over_total()
    return "not sent: the upload was too large for the browser to send in one go; upload fewer files or a .zip"


def read_zip(raw: bytes, name: str = "notes.zip") -> ReadResult:
    """Read the notes in a zip archive given as bytes (an uploaded ``.zip``), in memory: nothing is extracted to disk.

    The archive is read like a folder: note files (:data:`NOTE_SUFFIXES`, not hidden) are read, with their paths
    inside the archive as names; everything else is skipped. Before any entry is decompressed, an archive of more
    than :data:`MAX_FILES` entries, or whose notes would be more than :data:`MAX_UPLOAD_BYTES` extracted, is
    refused (a :class:`Problem`; with other files in the upload, they are still read). Entries whose paths leave
    the archive's folder (``../``, ``/``, ``C:``), links and encrypted
    entries are skipped, each kind with one message. Raises :class:`NoNotesError` when no note could be read.

    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as archive:
    ...     archive.writestr("week1/sqs.md", "# Amazon SQS")
    ...     archive.writestr("../escape.md", "# Out")
    >>> result = read_zip(buffer.getvalue())
    >>> [n.path for n in result.notes], [p.message[:38] for p in result.problems]
    (['week1/sqs.md'], ['1 entry skipped: a path that leaves th'])
    """
    return read_uploads([(name if name.lower().endswith(ARCHIVE_SUFFIXES) else name + ".zip", raw)])


class _Budget:
    """Bytes of notes read so far in one upload, against :data:`MAX_UPLOAD_BYTES`."""

    def __init__(self) -> None:
        self.total = 0


def _unique(display: str, seen: dict[str, int]) -> str:
    """*display*, or ``name (2).md`` when an earlier file of the upload had that name."""
    seen[display] = seen.get(display, 0) + 1
    if seen[display] == 1:
        return display
    stem, dot, suffix = display.rpartition(".")
    return f"{stem} ({seen[display]}).{suffix}" if dot else f"{display} ({seen[display]})"


def _read_one(result: ReadResult, display: str, raw: bytes, budget: _Budget) -> None:
    # Files over the per-file limit do not count towards the total: they are skipped anyway.
    if len(raw) <= MAX_FILE_BYTES:
        budget.total += len(raw)
    if budget.total > MAX_UPLOAD_BYTES:
        result.problems.append(Problem(display, _over_total()))
        return
    result.add(*decode_note(display, raw))


def _over_total() -> str:
    limit = MAX_UPLOAD_BYTES // (1024 * 1024)
    return f"the upload is over the {limit} MB upload-size limit from this file on; upload fewer"


def _zip_notes(shown: str, raw: bytes) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The (path inside, bytes) of the note entries of the zip archive *raw*, and what was skipped and why.

    Raises :class:`NoNotesError` for an archive that cannot be read or is over a limit (nothing of it is read).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as err:
        raise NoNotesError(f"{shown}: not a readable zip archive ({err}); make it again with a zip tool") from None
    with archive:
        entries = archive.infolist()  # the central directory only: its size is bounded by the upload's
        if len(entries) > MAX_FILES:
            raise TooManyFilesError(
                f"{shown}: {len(entries):,} entries, over the {MAX_FILES:,}-file limit; "
                "zip a smaller folder (one subject or course)"
            )
        wanted: list[tuple[str, zipfile.ZipInfo]] = []
        skipped: dict[str, list[str]] = {}
        for info in entries:
            if info.is_dir():
                continue
            path = _archive_path(info.filename)
            why = (
                _OUTSIDE
                if path is None
                else _LINK
                if stat.S_ISLNK(info.external_attr >> 16)
                else _OTHER
                if not _is_note_path(path)
                else _ENCRYPTED
                if info.flag_bits & 0x1
                else ""
            )
            if why:
                skipped.setdefault(why, []).append(_display_text(path or info.filename))
            else:
                wanted.append((path, info))
        extracted = sum(info.file_size for _, info in wanted if info.file_size <= MAX_FILE_BYTES)
        if extracted > MAX_UPLOAD_BYTES:
            limit = MAX_UPLOAD_BYTES // (1024 * 1024)
            raise NoNotesError(
                f"{shown}: its notes are {extracted / (1024 * 1024):.0f} MB extracted, over the {limit} MB "
                "upload-size limit; zip fewer notes"
            )
        problems = [_skipped_entries(shown, why, names) for why, names in skipped.items()]
        found: list[tuple[str, bytes]] = []
        for path, info in wanted:
            display = _display_text(path)
            if info.file_size > MAX_FILE_BYTES:
                problems.append(Problem(display, _too_large(info.file_size)))
                continue
            try:
                with archive.open(info) as entry:
                    data = entry.read(MAX_FILE_BYTES + 1)  # never more, whatever the entry's header claims
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as err:
                problems.append(Problem(display, f"cannot be read from the archive ({err})"))
                continue
            found.append((display, data))
    if not found and not problems:
        problems.append(Problem(shown, f"holds no notes ({', '.join(NOTE_SUFFIXES)} files)"))
    return found, problems


_OUTSIDE = "a path that leaves the archive's folder (../, / or a drive); nothing is read outside it"
_LINK = "a symbolic link; links in an archive are not followed"
_OTHER = f"not a note ({', '.join(NOTE_SUFFIXES)}; hidden files are skipped too)"
_ENCRYPTED = "encrypted; zip the notes without a password"


def _skipped_entries(shown: str, why: str, names: list[str]) -> Problem:
    examples = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    count = f"{len(names):,} entr{'y' if len(names) == 1 else 'ies'}"
    # Not "skipped": the archive itself was read; these entries of it were not.
    return Problem(shown, f"{count} skipped: {why if len(names) == 1 else _plural(why)} ({examples})", skipped=False)


def _plural(why: str) -> str:
    return why.replace("a path that leaves", "paths that leave").replace("a symbolic link;", "symbolic links;")


def _archive_path(name: str) -> str | None:
    """The path of a zip entry as a relative ``a/b.md``, or None when it would leave the archive's folder."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        return None
    parts = [part for part in parts if part not in ("", ".")]
    return "/".join(parts) or None


def _is_note_path(path: str) -> bool:
    return path.lower().endswith(NOTE_SUFFIXES) and not any(part.startswith(".") for part in path.split("/"))


def _display_text(text: str) -> str:
    """*text* with control and bidi characters escaped, cut to a readable length."""
    if not (text.isprintable() and _BIDI_CONTROLS.isdisjoint(text)):
        text = "".join(_escape_char(c) for c in text)
    return text if len(text) <= 2 * _MAX_NAME else text[: 2 * _MAX_NAME - 3] + "..."


def user_path(text: str | os.PathLike[str]) -> Path:
    """A path a person typed, with ``~`` and ``~user`` expanded where they can be (an unknown user stays as typed).

    >>> user_path("~nosuchuser-xyz/notes")
    PosixPath('~nosuchuser-xyz/notes')
    """
    path = Path(text)
    try:
        return path.expanduser()
    except RuntimeError:  # "~nosuchuser/x": no such home folder; the caller reports that it does not exist
        return path


def safe_name(name: str) -> str:
    """A display name for an uploaded file: its last path part, without control characters."""
    base = re.split(r"[\\/]", str(name))[-1]
    # Bidi controls are printable but can make "evil\u202egnp.md" show as "evilpng.md": drop them too.
    base = "".join(c if c.isprintable() and c not in _BIDI_CONTROLS else "?" for c in base).strip().lstrip(".")
    if len(base) > _MAX_NAME:  # cut the stem, never the suffix: a long "....md" stays a note
        stem, dot, suffix = base.rpartition(".")
        keep = dot + suffix if dot and 0 < len(suffix) <= 10 else ""
        base = base[: _MAX_NAME - len(keep)] + keep if keep and stem else base[:_MAX_NAME]
    return base or "unnamed"


#: Characters of an upload's display name kept (the suffix is kept whole).
_MAX_NAME = 200


_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def decode_note(path: str, raw: bytes) -> tuple[Note | None, Problem | None]:
    """Turn the raw bytes of one file into a :class:`Note`.

    Returns ``(note, problem)``: ``note`` is None when the file is unusable
    (empty, binary, too large), and ``problem`` explains any skip or caveat.
    """
    if len(raw) > MAX_FILE_BYTES:
        return None, Problem(path, _too_large(len(raw)))
    if not raw.strip():
        return None, Problem(path, "empty file")
    kind = _binary_kind(raw)
    if kind:
        return None, Problem(path, f"binary file ({kind}), not text; only markdown or plain-text notes are read")
    repairs: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        repairs.append("removed byte-order mark")
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
            repairs.append("not UTF-8: decoded as Windows-1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            repairs.append("not UTF-8: decoded as Latin-1")
    front_matter = read_front_matter(text.replace("\r\n", "\n")) if text.startswith("---") else ()
    text, more = repair_text(text)
    repairs.extend(more)
    text, cut = _cut_long_lines(text)
    messages = []
    if cut:
        lines = ", ".join(str(n) for n in cut[:5]) + (" ..." if len(cut) > 5 else "")
        messages.append(f"line(s) {lines} longer than {MAX_LINE_CHARS:,} characters were cut to that length")
    deep = _too_deep(text)
    if deep:
        messages.append(f"nesting deeper than {MAX_NESTING} levels from line {deep}; the deeper part is read as text")
    problem = Problem(path, "; ".join(messages), skipped=False) if messages else None
    digest = hashlib.sha256(raw).hexdigest()
    return Note(path=path, text=text, digest=digest, repairs=tuple(repairs), front_matter=front_matter), problem


def repair_text(text: str) -> tuple[str, list[str]]:
    """Repair encoding damage and normalise line ends in *text*.

    Returns the repaired text and a list of what was repaired. Line count is
    preserved, so line numbers still point into the original file.
    """
    repairs: list[str] = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        repairs.append("normalised CR/CRLF line ends")
    # ASCII text has nothing to repair, and ftfy's full pass costs more than the rest of reading.
    mojibake = not text.isascii() and _MOJIBAKE_MARKS.search(text) is not None and ftfy.is_bad(text)
    fixed = text
    if mojibake:
        fixed = _restore_lost_bytes(text)
        fixed = ftfy.fix_text(fixed, uncurl_quotes=False, fix_line_breaks=False, normalization="NFC")
        # An emoji that lost two bytes cannot be rebuilt: drop what is left.
        fixed = _EMOJI_REMNANT.sub("", fixed)
    elif not text.isascii():
        fixed = unicodedata.normalize("NFC", text)
    if fixed.count("\n") != text.count("\n"):
        fixed = text  # never let a repair shift line numbers
    elif fixed != text:
        repairs.append("repaired mis-decoded characters (mojibake)")
    # Control characters other than tab and newline carry no meaning in notes (and are not allowed in
    # GraphML). Removed after the line-count check above, so that a reverted repair cannot keep them.
    text, controls = _CONTROL_CHARS.subn(" ", fixed)
    if controls:
        repairs.append(f"replaced {controls} control character(s) with spaces")
    lines = text.split("\n")
    if lines and _FRONT_MATTER_END.match(lines[0]) and lines[0].startswith("---"):
        for end in range(1, min(len(lines), 500)):
            if _FRONT_MATTER_END.match(lines[end]):
                for i in range(end + 1):
                    lines[i] = ""
                text = "\n".join(lines)
                repairs.append("skipped YAML front matter")
                break
    return text, repairs


def _sloppy_byte(char: str) -> int | None:
    for codec in ("cp1252", "cp1254", "latin-1"):
        try:
            return char.encode(codec)[0]
        except UnicodeEncodeError:
            continue
    return None


def _restore_lost_bytes(text: str) -> str:
    def restore(match: re.Match[str]) -> str:
        lead = _sloppy_byte(match.group(1))
        tail = [_sloppy_byte(c) for c in match.group(2)]
        if lead is None or None in tail:
            return match.group(0)
        need = 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3
        if len(tail) != need - 1:
            return match.group(0)
        for lost in _LOST_BYTES:
            try:
                char = bytes([lead, *tail, lost]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if unicodedata.category(char) != "Cn":
                return char
        return match.group(0)

    return _MOJIBAKE_RUN.sub(restore, text)


def _cut_long_lines(text: str) -> tuple[str, list[int]]:
    if len(text) <= MAX_LINE_CHARS or max(map(len, text.split("\n"))) <= MAX_LINE_CHARS:
        return text, []
    cut: list[int] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if len(line) > MAX_LINE_CHARS:
            lines[i] = line[:MAX_LINE_CHARS]
            cut.append(i + 1)
    return "\n".join(lines), cut


def _too_deep(text: str) -> int | None:
    """The first line nested deeper than MAX_NESTING (by block quote markers or list indentation), if any."""
    if text.count(">") < MAX_NESTING and "  " * MAX_NESTING not in text:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        prefix = line[: len(line) - len(line.lstrip("> \t"))]
        quotes = prefix.count(">")
        indent = len(line) - len(line.lstrip(" "))
        if quotes > MAX_NESTING or indent > 2 * MAX_NESTING:
            return number
    return None


def _binary_kind(raw: bytes) -> str | None:
    for magic, kind in _BINARY_MAGIC:
        if raw.startswith(magic):
            return kind
    head = raw[:8192]
    if b"\x00" in head:
        # UTF-16 text has NULs too; people rarely save notes that way, but say so.
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "UTF-16 text; save it as UTF-8"
        return "contains NUL bytes"
    return None


def _too_large(size: int, grew: bool = False, limit: int | None = None, advice: str = "") -> str:
    """A file over its size limit (a note's, unless *limit* is given) in words, with what to do (*advice*)."""
    kind = "file-size" if limit is None else "upload-size"
    megabytes = (MAX_FILE_BYTES if limit is None else limit) // (1024 * 1024)
    advice = advice or "split the file into smaller notes"
    if grew:  # the size on disk was within the limit, but reading went past it (a growing file)
        return f"more than {megabytes} MB when read, over the {megabytes} MB {kind} limit; {advice}"
    return f"{size / (1024 * 1024):.1f} MB is over the {megabytes} MB {kind} limit; {advice}"


def _display(file: Path, base: Path) -> str:
    try:
        rel = file.relative_to(base)
    except ValueError:
        rel = file
    # File names may hold undecodable bytes (shown as \xNN), newlines, terminal escapes and bidi controls
    # (shown escaped, so a name can neither break a line of output nor pass for another name).
    text = os.fsencode(rel.as_posix()).decode("utf-8", "backslashreplace")
    if text.isprintable() and _BIDI_CONTROLS.isdisjoint(text):
        return text  # the usual name: nothing to escape
    return "".join(_escape_char(c) for c in text)


def _escape_char(char: str) -> str:
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if char.isprintable() and char not in _BIDI_CONTROLS:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
