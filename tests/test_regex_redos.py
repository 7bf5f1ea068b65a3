"""Every regular expression in ``graph/`` against input built to make it backtrack.

The patterns are found in the source (``re.compile`` and inline ``re.search``,
``re.sub``, ...), so one added later is checked too. For each, inputs are
built from its own parse tree: long runs of every character it repeats, of
pairs of them, of its literal words, each followed by a character that makes
the match fail. The slowest of those is timed at 5,000 and 20,000 characters
(20,000 is the line limit, ``graph.sources.notes.MAX_LINE_CHARS``), applied the way
the code applies it (``search``, ``match``, ``fullmatch``, ``sub``...): 4x the input
must take less than 10x the time (a quadratic pattern takes 16x) and the
largest must finish in well under a second.

The last tests do the same for the whole analysis of a note (markdown parse,
spaCy tokenizer, every rule in ``graph.extract.rules``) on adversarial lines.
Known super-linear cases in modules owned by others are ``xfail(strict=True)``
with their reproduction, so a fix shows up as XPASS and the mark can go.
"""

from __future__ import annotations

import ast
import gc
import itertools
import math
import re
import textwrap
import time
from pathlib import Path

import pytest
from timelimit import time_limit

try:
    import re._parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

from graph.extract.pipeline import make_pipeline
from graph.sources.markdown import parse_note
from graph.sources.notes import decode_note

GRAPH = Path(__file__).resolve().parent.parent / "graph"
SMALL, LARGE = 5_000, 20_000
#: 4x the input may take at most this many times as long (linear: ~4, quadratic: ~16).
MAX_GROWTH = 10.0
#: Below this, timings are noise on a shared machine; a quadratic pattern takes far longer at 20,000 characters.
FLOOR = 0.02
LIMIT = 1.0
ANALYSIS_LIMIT = 4.0
_SCANNING = {"sub", "subn", "split", "findall", "finditer"}
_METHODS = {"search", "match", "fullmatch"} | _SCANNING

# --- finding the patterns -----------------------------------------------------------------------------------------


def _literal_flags(node: ast.AST | None) -> int:
    if node is None:
        return 0
    return int(eval(compile(ast.Expression(node), "<flags>", "eval"), {"re": re}))  # re.I | re.X and the like


def _text(node: ast.AST | None, strings: dict[str, str]) -> str | None:
    """The string *node* spells: a literal, a module-level string constant by name, or ``+`` / an f-string of
    those (``r"(?:" + _PROGRAMS + r")$"``, ``rf"({_WORD}|\\Z)"``); None for anything computed at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return strings.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, strings), _text(node.right, strings)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                if value.conversion != -1 or value.format_spec is not None:
                    return None
                value = value.value
            parts.append(_text(value, strings))
        return None if None in parts else "".join(parts)
    return None


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """The module-level ``NAME = "..."`` string constants of *tree*, in order (one may be built from another)."""
    strings: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _text(node.value, strings)
            if value is not None:
                strings[node.targets[0].id] = value
    return strings


def _find_patterns() -> tuple[list[tuple[str, str, int, frozenset[str]]], list[str]]:
    """``([(where, pattern, flags, methods)], [where of patterns that are not literals])`` in graph/.

    A pattern built from module-level string constants (``+``, f-strings) is read as the literal it spells."""
    found: dict[tuple[str, str, int], set[str]] = {}
    names: dict[tuple[str, str], tuple[str, int]] = {}  # (file, variable) -> (pattern, flags)
    dynamic: list[str] = []
    trees = {path: ast.parse(path.read_text("utf-8")) for path in sorted(GRAPH.rglob("*.py"))}
    for path, tree in trees.items():
        rel = path.relative_to(GRAPH.parent).as_posix()
        strings = _module_strings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            func = node.func
            if not (isinstance(func.value, ast.Name) and func.value.id == "re") or not node.args:
                continue
            if func.attr not in _METHODS | {"compile"}:
                continue
            arg = node.args[0]
            where = f"{rel}:{node.lineno}"
            pattern = _text(arg, strings)
            if pattern is None:
                dynamic.append(where)
                continue
            flag_node = node.args[1] if func.attr == "compile" and len(node.args) > 1 else None
            flag_node = next((k.value for k in node.keywords if k.arg == "flags"), flag_node)
            if func.attr in ("sub", "subn", "split") and len(node.args) > 4:
                flag_node = node.args[4]
            key = (where, pattern, _literal_flags(flag_node))
            found.setdefault(key, set())
            if func.attr != "compile":
                found[key].add(func.attr)
        for node in ast.walk(tree):  # NAME = re.compile(...) at module level
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                call = node.value
                if isinstance(call.func, ast.Attribute) and call.func.attr == "compile" and node.targets:
                    target = node.targets[0]
                    pattern = _text(call.args[0], strings) if call.args else None
                    if isinstance(target, ast.Name) and pattern is not None:
                        flags = _literal_flags(call.args[1] if len(call.args) > 1 else None)
                        names[(rel, target.id)] = (pattern, flags)
    # How each compiled pattern is used: NAME.search(...) in its module, module.NAME.sub(...) anywhere.
    for path, tree in trees.items():
        rel = path.relative_to(GRAPH.parent).as_posix()
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if node.func.attr not in _METHODS:
                continue
            for (module, var), (pattern, flags) in names.items():
                local = isinstance(owner, ast.Name) and owner.id == var and module == rel
                if local or (isinstance(owner, ast.Attribute) and owner.attr == var):
                    for key in found:
                        if key[0].startswith(f"{module}:") and key[1:] == (pattern, flags):
                            found[key].add(node.func.attr)
    patterns = [(w, p, f, frozenset(m) or frozenset(_METHODS)) for (w, p, f), m in sorted(found.items())]
    return patterns, dynamic


PATTERNS, DYNAMIC = _find_patterns()

# --- building adversarial input -----------------------------------------------------------------------------------

_DEFAULT_CHARS = " \tAa0.-!é\u00a0_/:"


def _sample(item, negated: bool = False) -> set[str]:
    """Characters an ``IN`` item can match (a few per range or category)."""
    op, av = item
    if op is sre_parse.LITERAL:
        return {chr(av)}
    if op is sre_parse.RANGE:
        lo, hi = av
        return {chr(lo), chr(hi), chr((lo + hi) // 2)}
    if op is sre_parse.CATEGORY:
        name = str(av)
        if "DIGIT" in name:
            return {"0", "!"} if "NOT" in name else {"0", "٣"}
        if "SPACE" in name:
            return {"a", "!"} if "NOT" in name else {" ", "\t", "\u00a0", "\u2003"}
        if "WORD" in name:
            return {" ", "!"} if "NOT" in name else {"a", "Z", "_", "é", "0"}
    return set()


def _walk(tree, chars: set[str], repeated: set[str], words: list[str], in_repeat: bool = False) -> None:
    run = ""
    for op, av in tree:
        if op is sre_parse.LITERAL:
            run += chr(av)
            chars.add(chr(av))
            if in_repeat:
                repeated.add(chr(av))
            continue
        if len(run) >= 2:
            words.append(run)
        run = ""
        if op is sre_parse.IN:
            sample = set().union(*(_sample(item) for item in av if item[0] is not sre_parse.NEGATE))
            chars |= sample
            if in_repeat:
                repeated |= sample
        elif op is sre_parse.NOT_LITERAL or op is sre_parse.ANY:
            if in_repeat:
                repeated |= {"a", " "}
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)):
            _, hi, sub = av
            _walk(sub, chars, repeated, words, in_repeat or hi is sre_parse.MAXREPEAT or hi >= 8)
        elif op is sre_parse.SUBPATTERN:
            _walk(av[-1], chars, repeated, words, in_repeat)
        elif op is sre_parse.BRANCH:
            for alternative in av[1]:
                _walk(alternative, chars, repeated, words, in_repeat)
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            _walk(av[1], chars, repeated, words, in_repeat)
        elif op is getattr(sre_parse, "ATOMIC_GROUP", None):
            _walk(av, chars, repeated, words, in_repeat)
    if len(run) >= 2:
        words.append(run)


def _shapes(pattern: str, flags: int) -> list[tuple[str, str, str]]:
    """``(prefix, unit, suffix)`` shapes; an input of size n is ``prefix + unit * k + suffix``."""
    chars: set[str] = set(_DEFAULT_CHARS)
    repeated: set[str] = set()
    words: list[str] = []
    _walk(sre_parse.parse(pattern, flags), chars, repeated, words)
    tails = ["", "\x00", "!", "a", " "]
    shapes = {("", c, tail) for c in chars for tail in tails}
    shapes |= {("", a + b, "\x00") for a, b in itertools.permutations(sorted(repeated), 2)}
    for word in set(words):
        shapes |= {("", word, "\x00"), ("", word + " ", "\x00"), ("", word[:-1], "\x00")}
        shapes |= {(word, c, "\x00") for c in repeated or chars}
        shapes |= {("", c, word[:-1]) for c in repeated}
    return sorted(shapes)


def _make(shape: tuple[str, str, str], size: int) -> str:
    prefix, unit, suffix = shape
    return prefix + unit * max(1, (size - len(prefix) - len(suffix)) // len(unit)) + suffix


def _apply(compiled: re.Pattern, methods: frozenset[str], text: str) -> None:
    for method in methods:
        if method in _SCANNING:
            for _ in compiled.finditer(text):
                pass
        else:
            getattr(compiled, method)(text)


# --- timing -------------------------------------------------------------------------------------------------------


class _TooSlow(Exception):
    pass


def _seconds(run, repeat: int = 3, limit: float = 2 * LIMIT) -> float:
    """Best of *repeat* runs with the garbage collector off (its pauses are noise); ``inf`` past *limit*."""
    best = math.inf
    for _ in range(repeat):
        gc.disable()
        start = time.perf_counter()
        try:
            with time_limit(limit, _TooSlow):
                run()
        except _TooSlow:
            return math.inf
        finally:
            gc.enable()
        best = min(best, time.perf_counter() - start)
        if best > LIMIT / 2:
            break  # slow enough to judge from one run
    return best


def _assert_near_linear(run, make, what: str, limit: float = LIMIT) -> None:
    # The large input first, stopped at the limit: a super-linear case fails in a second, not in minutes.
    large = _seconds(lambda: run(make(LARGE)), limit=limit)
    assert large < limit, f"{what}: over {limit:g}s at {LARGE:,} characters"
    if large > FLOOR:
        small = _seconds(lambda: run(make(SMALL)))
        growth = large / max(small, 1e-6)
        assert growth < MAX_GROWTH, f"{what}: {growth:.1f}x the time for 4x the input ({small:.4f}s -> {large:.4f}s)"


# --- the tests ----------------------------------------------------------------------------------------------------

#: Super-linear patterns found by this test in modules owned by others, not fixed yet: pattern -> the module, a
#: reproduction and a fix. Each is xfail(strict=True): once fixed, XPASS fails and the entry must go. (The eight
#: found so far, in extract.py, terms.py and gaps.py, are fixed.)
KNOWN_SLOW: dict[str, str] = {}


def _collapse(text: str) -> str:
    return " ".join(text.split())


#: Patterns whose input is shaped first by the code that applies them: pattern -> (why, that shaping).
SHAPED_INPUT = {
    r"^(?P<outside>[^()]*?)\s*\((?P<inside>[^()]*)\)\s*(?P<after>[^()]*)$": (
        "graph/sources/catalog.py Catalog.resolve collapses whitespace before matching",
        _collapse,
    ),
    r"\s+[—–-]\s+|:\s+": (
        "graph/extract/rules/subjects.py _heading_term splits section titles, whitespace collapsed",
        _collapse,
    ),
    r"\s*\([^()]*\)": (
        "graph/gaps/common.py _node_by_name gets syllabus names (120 characters at most)",
        lambda t: t[:120],
    ),
    r"\s*\([^()]*\)\s*": (
        "graph/sources/syllabus.py _suggest gets syllabus names (120 characters at most)",
        lambda t: t[:120],
    ),
    r"""url\(\s*["']?\s*((?:https?:)?//[^"')\s]+)""": (
        "graph/ui/view.py outside_references reads a page whose note text went through one_line (collapsed)",
        _collapse,
    ),
}


def _params():
    for where, pattern, flags, methods in PATTERNS:
        reason = KNOWN_SLOW.get(pattern)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(pattern, flags, methods, id=where, marks=marks)


def test_the_scan_finds_the_patterns_it_should():
    # A sanity check on the AST scan itself, so that a refactor of it cannot silently test nothing.
    where = {w.split(":")[0] for w, *_ in PATTERNS}
    assert {
        "graph/sources/notes.py",
        "graph/extract/terms.py",
        # The extraction rules, one module per family (graph/extract/rules/, a sub-folder the scan must reach).
        "graph/extract/text.py",
        "graph/extract/leads.py",
        "graph/extract/recorder.py",
        "graph/extract/rules/subjects.py",
        "graph/extract/rules/entities.py",
        "graph/extract/rules/arrows.py",
        "graph/extract/rules/labels.py",
        "graph/extract/rules/cues.py",
        "graph/extract/rules/placeholders.py",
        "graph/sources/markdown.py",
        "graph/gaps/common.py",
    } <= where
    assert len(PATTERNS) >= 60
    ingest_patterns = {p: m for w, p, _, m in PATTERNS if w.startswith("graph/sources/notes.py")}
    assert ingest_patterns["^(---|\\.\\.\\.)\\s*$"] == {"match"}
    # Patterns built from module-level string constants are read as literals: both that share the program nouns.
    assert sum("workloads?|websites?" in p for w, p, _, _ in PATTERNS if w.startswith("graph/extract/text.py")) == 2
    assert any(w.startswith("graph/extract/runs.py") for w, *_ in PATTERNS)  # an f-string of a constant
    # A pattern whose input contract is recorded must still be in the code (else the entry is stale).
    assert set(SHAPED_INPUT) <= {p for _, p, _, _ in PATTERNS}


@pytest.mark.parametrize(("pattern", "flags", "methods"), list(_params()))
def test_pattern_is_near_linear_on_input_built_to_backtrack(pattern, flags, methods):
    compiled = re.compile(pattern, flags)
    shape_input = SHAPED_INPUT.get(pattern, ("", lambda text: text))[1]
    shapes = _shapes(pattern, flags)

    def run(text: str) -> None:
        _apply(compiled, methods, text)

    # Screen every shape at a small size, then time the three slowest at full size.
    cost = {s: _seconds(lambda s=s: run(shape_input(_make(s, 400))), repeat=1) for s in shapes}
    for shape in sorted(shapes, key=lambda s: -cost[s])[:3]:
        _assert_near_linear(run, lambda n, s=shape: shape_input(_make(s, n)), repr(shape))


def test_patterns_built_at_run_time_are_near_linear():
    from graph.extract import terms
    from graph.gaps import common as gaps
    from graph.sources import markdown, notes
    from graph.store import stated

    terms.label_role.__wrapped__("Use cases")  # warm up: the first call loads spaCy's lemma table (seconds)

    # Every non-literal pattern in graph/ must be listed here with a way to drive it.
    drivers = {
        "graph/sources/markdown.py": markdown.cut_punctuation_runs,  # a bound built from MAX_PUNCTUATION_RUN
        "graph/extract/terms.py": lambda text: terms.label_role.__wrapped__(text),  # _role_patterns, from cues
        "graph/gaps/common.py": lambda text: gaps._first_match(text, ["Amazon SQS", "a", " "]),  # re.escape(name)
        # the cue phrases joined into one pattern
        "graph/store/stated.py": stated._cue,
        "graph/sources/notes.py": notes._MOJIBAKE_MARKS.search,  # a character class built from ftfy's tables
    }
    assert {w.split(":")[0] for w in DYNAMIC} == set(drivers), DYNAMIC
    units = [" ", "a ", "use case ", "Amazon ", "a" * 7 + " ", "sqs", "-", "(", "_a"]
    for (module, drive), unit in itertools.product(drivers.items(), units):
        _assert_near_linear(drive, lambda n, u=unit: (u * (n // len(u)))[:n] + "\x00", f"{module} {unit!r}")


# --- the whole analysis of a note ---------------------------------------------------------------------------------

#: Lines that each stress one part: long runs, repeated names and cues, nesting markers. Known super-linear
#: ones carry the module to fix and a reproduction.
LINES = {
    "words": lambda n: ("queue stream data " * n)[:n],
    "capitals": lambda n: ("Amazon Kinesis Data " * n)[:n],
    "urls": lambda n: ("https://x.io/a_b.md " * n)[:n],
    "arrows": lambda n: ("A -> " * n)[:n] + "B",
    "emphasis": lambda n: ("**a** " * n)[:n],
    "unclosed emphasis": lambda n: ("*a " * n)[:n],
    "code spans": lambda n: ("`a` " * n)[:n],
    "table row": lambda n: ("| a " * n)[:n] + "|\n|---|",
    "list markers": lambda n: ("- " * n)[:n] + "a",
    "dashes": lambda n: ("a - " * n)[:n],
    "colons": lambda n: ("a: " * n)[:n],
    "whitespace run": lambda n: "a" + " " * n + "b",
    "bracket run": lambda n: "(" * n,
    "comparisons": lambda n: ("A vs " * n)[:n],
    "capitals before a comparison": lambda n: "Z" * n + "! vs B",
    "underscored name": lambda n: "see Ab" + "_b" * (n // 2) + " now",
    "long paragraph": lambda n: "\n".join(textwrap.wrap(("Kafka and Splunk feed Amazon S3. " * n)[:n], 80)),
    "names and verbs": lambda n: ("SQS uses SNS " * n)[:n],
    # Many short sentences in one block: each cue looks only at the cues of its own sentence.
    "sync using": lambda n: ("Kept in sync using S3. " * n)[:n],
    "tasks then a connection": lambda n: ("Lets you integrate with S3. " * n)[:n],
}


@pytest.fixture(scope="module")
def nlp():
    from graph.extract.note import extract_note

    nlp = make_pipeline()
    # Warm up: the first analysis loads spaCy's lookup tables (seconds), which must not count as a slow line.
    note, _ = decode_note("x.md", b"# Amazon SQS\n\n- **Kafka** vs Kinesis -> S3: data lakes\n")
    extract_note(parse_note(note), nlp)
    return nlp


@pytest.mark.parametrize("make", LINES.values(), ids=LINES.keys())
def test_analysing_an_adversarial_line_is_near_linear(make, nlp):
    from graph.extract.note import extract_note

    def analyse(line: str) -> None:
        note, _ = decode_note("x.md", f"# Amazon SQS\n\n{line}\n".encode())
        extract_note(parse_note(note), nlp)

    # The whole analysis of a 20,000-character line does real work (spaCy, matching): allow more than one
    # pattern gets, still far below what a quadratic case takes (12-30 s before the fixes).
    _assert_near_linear(analyse, make, "analysis", limit=ANALYSIS_LIMIT)
