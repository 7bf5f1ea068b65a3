"""Stated relations for the terms only the corpus finds: what the wording of their line says about them.

A term the corpus promotes ("stateful", "durability") is found in a note's line after that note was
read, so the note's rules never saw it as a name. :func:`stated_relations` reads the wording of each
line that gained such a mention, the way :mod:`graph.extract.rules.cues` and
:mod:`graph.extract.rules.descriptions` read a block, but only between two names that stand next to
each other in the line:

* a relating verb between them ("NACLs are attached to subnets", "X replicates to Y", "X vs Y"),
  typed and directed as the cue rule types it (passive voice flips it);
* a copula with a bare term ("SGs are stateful": ``has``);
* and on a list item that speaks of its subject without naming it (the note records these lines,
  :attr:`~graph.model.Extraction.item_subjects`), the subject ``has`` each new concept of its first
  clause ("- Provides high availability and durability" under DynamoDB).

Only pairs with a new mention are read, each line once: linear in the new mentions.

Example: the line ``SGs are stateful`` with ``term:sg`` from the note and ``term:stateful`` from the
corpus gives ``term:sg --has--> term:stateful`` (stated), evidence that line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from itertools import pairwise

from graph.extract import terms
from graph.extract.pipeline import cue_phrases
from graph.extract.text import subject_openers
from graph.model import SERVICE, USE_CASE, Evidence, Extraction, Mention, Relation
from graph.store.terms import RARE_WORD
from graph.vendors import strip_any_vendor

__all__ = ["LineWork", "Name", "Said", "read_lines", "relations_of", "stated_relations", "stated_work"]

#: Longest gap, in words, between two names that a relating verb joins.
MAX_GAP_WORDS = 6
_MAX_GAP_CHARS = 200
#: Names of one clause a subjectless item relates to its subject (a longer list is an inventory).
MAX_ITEM_NAMES = 4

_CLAUSE_BREAK = re.compile(r"[.;!?:](?:\s|$)|\s[—–-]\s|\b(?:but|while|whereas|because|if|when|which|that)\b", re.I)
_SENTENCE_STOP = re.compile(r"[.;!?:](?:\s|$)")
_KIND_COPULA = re.compile(r"^\s*(?:is|are)\s+(?:a|an)\s+$", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|without|cannot)\b|n't\b", re.IGNORECASE)
_COMPARED = re.compile(r"\b(?:compared (?:to|with)|vs\.?|versus|than|instead of|rather than|unlike)\b", re.I)
_COPULA = re.compile(r"^\s*(?:is|are)\s+(?:also\s+|always\s+|fully\s+|highly\s+|inherently\s+|natively\s+)?$", re.I)
#: The cue kinds read between two names: every verb kind the cue rule types, and comparisons.
_KINDS = (
    "compare",
    "similar",
    "part_of",
    "connects_to",
    "triggers",
    "delivers_to",
    "ingests_from",
    "has",
    "depends_on",
    "kind_of",
    "replaces",
    "acts_on",
    "passive:triggers",
    "passive:replaces",
    "passive:has",
    "passive:depends_on",
    "passive:acts_on",
)
_RELATION_OF = {"compare": "compared_with", "similar": "compared_with"}
#: A data-moving verb relates two names only with its preposition ("replicates to", "reads from").
_PREPOSITIONS = {
    "delivers_to": re.compile(r"\b(?:to|into|onto)\b", re.I),
    "ingests_from": re.compile(r"\bfrom\b", re.I),
}


#: A name on a line: its surface as written, its node and the node's kind.
Name = tuple[str, str, str]
#: What the reading of one line needs, in plain values (cheap to send to another process): its text, the names the
#: note found on it, the corpus' new names on it, the subject of its list item (or None) and what its clauses speak
#: of without naming it (or None).
LineWork = tuple[str, list[Name], list[Name], str | None, str | None]
#: A relation a line states: (source node, target node, relation).
Said = tuple[str, str, str]


def stated_relations(extractions: list[Extraction], new: list[Mention]) -> list[Relation]:
    """Stated relations the wording of each line with a *new* mention gives it (see the module)."""
    work, evidence = stated_work(extractions, new)
    return relations_of(read_lines(work), evidence)


def stated_work(extractions: list[Extraction], new: list[Mention]) -> tuple[list[LineWork], list[Evidence]]:
    """What :func:`read_lines` reads of each line with a *new* mention (by note, then by first new mention), and
    the evidence each line's relations cite."""
    new_by_file: dict[str, dict[int, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for mention in new:
        new_by_file[mention.evidence.file][mention.evidence.line].append(mention)
    work: list[LineWork] = []
    evidence: list[Evidence] = []
    for ext in extractions:
        lines = new_by_file.get(ext.path)
        if not lines:
            continue
        old_by_line: dict[int, list[Name]] = defaultdict(list)
        for mention in ext.mentions:
            if mention.evidence.line in lines and mention.evidence.file == ext.path:
                old_by_line[mention.evidence.line].append((mention.surface, mention.key, mention.kind))
        subjects = dict(ext.item_subjects)
        spoken_of = dict(ext.subject_lines)
        for line, found in lines.items():
            names = [(m.surface, m.key, m.kind) for m in found]
            work.append((found[0].evidence.text, old_by_line[line], names, subjects.get(line), spoken_of.get(line)))
            evidence.append(found[0].evidence)
    return work, evidence


def read_lines(work: list[LineWork]) -> list[list[Said]]:
    """What each line of *work* states, a list per line, in its order.

    Each line is read on its own, so parts of *work* may be read in other processes and their results put
    end to end (the build does so in its worker processes).
    """
    return [_read_line(text, old, new, subject, spoken_of) for text, old, new, subject, spoken_of in work]


def relations_of(said: list[list[Said]], evidence: list[Evidence]) -> list[Relation]:
    """The stated relations of what :func:`read_lines` read, each citing its line (*evidence*, one per line)."""
    return [
        Relation(source, target, relation, True, cited)
        for found, cited in zip(said, evidence, strict=True)
        for source, target, relation in found
    ]


def _read_line(text: str, old: list[Name], new: list[Name], subject: str | None, spoken_of: str | None) -> list[Said]:
    names = _place(text, old, new)
    new_keys = {key for _, key, _ in new}
    out: list[Said] = []
    for (a_start, a_end, a, a_kind), (b_start, _, b, b_kind) in pairwise(names):
        if a == b or (a not in new_keys and b not in new_keys) or USE_CASE in (a_kind, b_kind):
            continue
        gap = text[a_end:b_start]
        if len(gap.split()) > MAX_GAP_WORDS or _CLAUSE_BREAK.search(gap) or _NEGATION.search(gap):
            continue
        if _joined(text, a_start, gap):
            out.append((a, b, "connects_to"))  # "associate a route table with a subnet"
            continue
        said = _said(a, b, b_kind, gap)
        if said is not None:
            out.append(said)
    if subject:
        out.extend(_subject_has(text, names, new_keys, subject))
    out.extend(_unnamed_subject(text, names, new_keys, spoken_of))
    return out


def _unnamed_subject(text, names, new_keys, spoken_of) -> list[Said]:
    """A clause that speaks of something without naming it relates it to the first new name after its opener,
    as the words between say: "These provide IaaS" (``has``), "Both are serverless" (a copula with a bare term:
    ``has``), "it is an orchestration service" (``kind_of``), "Is the basis of OpEx" (``depends_on``, from OpEx).

    What it speaks of is the first name of its sentence when the pronoun opens a later clause ("Logic Apps need
    no code, and it is an orchestration service"), else the line's subject (*spoken_of*, None when unknown).
    """
    out = []
    for opener in subject_openers(text):
        subject = _referent(text, names, opener) or spoken_of
        after = next((n for n in names if n[0] >= opener), None)
        if subject is None or after is None:
            continue
        start, _, key, kind = after
        gap = text[opener:start]
        if key not in new_keys or key == subject or kind == USE_CASE or len(gap.split()) > MAX_GAP_WORDS:
            continue
        if _CLAUSE_BREAK.search(gap) or _NEGATION.search(gap):
            continue
        said = _said(subject, key, kind, gap, kinds=True)
        if said is not None:
            out.append(said)
    return out


def _said(before: str, after: str, after_kind: str, gap: str, kinds: bool = False) -> Said | None:
    """What the words *gap* between *before* and *after* state: a copula with a bare term (``has``; with an article,
    when *kinds*: ``kind_of``), or a relating cue, typed and directed as the cue rule does (passive flips), or None.
    """
    copula = _COPULA.match(gap)
    if copula or (kinds and _KIND_COPULA.match(gap)):
        return (before, after, "has" if copula else "kind_of") if after_kind != SERVICE else None
    found = _cue(gap)
    if found is None:
        return None
    kind, passive = found
    source, target = (after, before) if passive else (before, after)
    relation = _RELATION_OF.get(kind, kind)
    if relation == "has" and source.startswith("service:") and target.startswith("service:"):
        relation = "connects_to"  # a service that "has" another works with it
    return (source, target, relation)


def _referent(text: str, names, opener: int) -> str | None:
    """The first name of the sentence a pronoun opens a later clause of ("X needs no code, and it ..."), or None."""
    stops = list(_SENTENCE_STOP.finditer(text, 0, opener))
    start = stops[-1].end() if stops else 0
    if not re.search(r",\s+(?:and|but|so)\s+\w+$", text[start:opener]):
        return None  # the pronoun opens its sentence: it speaks of the line's subject
    return next((key for begin, _, key, kind in names if start <= begin < opener and kind != USE_CASE), None)


def _subject_has(text, names, new_keys, subject) -> list[Said]:
    """The subject of a subjectless item has each new concept its first clause names (not after a negation)."""
    stop = _CLAUSE_BREAK.search(text)
    end = stop.start() if stop else len(text)
    out = []
    for start, stop_at, key, kind in names[:MAX_ITEM_NAMES]:
        if stop_at > end or _NEGATION.search(text, 0, start) or _COMPARED.search(text, 0, start):
            break  # what follows a negation or a comparison is no feature
        verb = " " not in text[start:stop_at] and terms.word_classes(text[start:stop_at]) == {"verb"}
        if (
            key in new_keys
            and kind not in (SERVICE, USE_CASE)
            and key != subject
            and not verb
            and not _modifier(text, stop_at)
        ):
            out.append((subject, key, "has"))
    return out


def _place(text: str, old: list[Name], new: list[Name]) -> list[tuple[int, int, str, str]]:
    """Where each name's surface is in *text*: (start, end, key, kind), in text order, no overlaps.

    A service written with its cloud's name is found again without it, as people shorten a name they just
    wrote ("Use locks with Azure Blueprints. Blueprints can replace a lock"), but only where the short name
    is written with a capital and is no everyday word ("Azure Policy ... a policy", "Amazon Q ... Q&A").
    """
    lower = text.lower()
    found = []
    for surface, key, kind in [*old, *new]:
        full = surface.strip().lower()
        for span in _find_all(lower, full):
            found.append((span[0], span[1], key, kind))
        short = strip_any_vendor(surface).strip() if kind == SERVICE else ""
        if short.lower() == full or not _short_name_reads_as_name(short):
            continue
        for span in _find_all(lower, short.lower()):
            if text[span[0]].isupper():
                found.append((span[0], span[1], key, kind))
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, str, str]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def _short_name_reads_as_name(short: str) -> bool:
    """True for a service's name without its cloud's name that still reads as that name: longer than two
    characters and, for one word, rarer than an everyday word ("Blueprints" yes; "Policy", "Config", "Q" no)."""
    if len(short) <= 2:
        return False
    return " " in short or not terms.is_common_word(short, RARE_WORD)


#: Occurrences of one name read in one line: a line is at most 500 characters, a name is seldom repeated more.
_MAX_OCCURRENCES = 4


def _find_all(lower: str, surface: str) -> list[tuple[int, int]]:
    """The whole-word occurrences of *surface* in *lower* (a plural "s"/"es" after it allowed), the first few:
    "A VPC has a main route table. If you associate a custom route table with a subnet" pairs the second."""
    spans: list[tuple[int, int]] = []
    if not surface:
        return spans
    at = lower.find(surface)
    while at >= 0 and len(spans) < _MAX_OCCURRENCES:
        end = at + len(surface)
        end += 2 if lower.startswith("es", end) else 1 if lower.startswith("s", end) else 0
        before_ok = at == 0 or not (lower[at - 1].isalnum() or lower[at - 1] == "-")
        after_ok = end >= len(lower) or not (lower[end].isalnum() or lower[end] == "-")
        if before_ok and after_ok:
            spans.append((at, end))
        at = lower.find(surface, at + 1)
    return spans


def _cue(gap: str) -> tuple[str, bool] | None:
    """The relating cue in *gap* (at most :data:`MAX_GAP_WORDS` words), as (kind, passive), or None."""
    if len(gap) > _MAX_GAP_CHARS:
        return None  # a gap this long is no gap between two names of one statement
    match = _cue_pattern().search(gap)
    if match is None or match.group(0)[:1].isupper():
        return None  # "Access Control List": a capitalised cue word is part of a name
    rest = (gap[: match.start()] + " " + gap[match.end() :]).split()
    content = [w for w in rest if w.lower().strip(",()") not in terms.STOP_WORDS]
    if len(content) > 2 or any(c.isupper() for w in content for c in w):
        return None  # "stateful NACLs are associated with": the verb's subject is a name not placed here
    kind = next(k for k, v in match.groupdict().items() if v)
    passive = kind.startswith("passive_")
    kind = kind.removeprefix("passive_")
    if kind in _PREPOSITIONS and not _PREPOSITIONS[kind].search(gap, match.end()):
        return None
    return kind, passive


#: "associate X you create with Y": between the two objects, a few words then "with"/"to" and an article at most.
_JOINED_GAP = re.compile(r"^\s*(?:[\w'-]+\s+){0,3}?(?:with|to)\s+(?:(?:a|an|the|each|every|your|its)\s+)?$", re.I)


def _joined(text: str, start: int, gap: str) -> bool:
    """True when a verb with two objects joins the name at *start* to the next one, *gap* after it
    ("associate a custom route table with a subnet"; the verb at most two words before the first name)."""
    if not _JOINED_GAP.match(gap):
        return False
    verb = _joining_verb().search(text, max(0, start - 60), start)
    if verb is None:
        return False
    # "You cannot associate X with Y" says they do not go together; "If you don't associate X with Y" is a condition
    opening = _SENTENCE_STOP.split(text[max(0, verb.start() - 40) : verb.start()])[-1]
    return not _NEGATION.search(opening) or opening.strip().lower().startswith(("if ", "unless ", "when "))


@lru_cache(maxsize=1)
def _joining_verb() -> re.Pattern:
    """A verb of joining (the cue rule's "joins" kind) and at most two words, right before a name."""
    verbs = "|".join(re.escape(v) for v in cue_phrases()["joins"])
    return re.compile(rf"\b(?:{verbs})\s+(?:[\w'-]+\s+){{0,2}}$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern:
    """One pattern for every cue phrase of :data:`_KINDS` (longest first), one named group per kind."""
    phrases = cue_phrases()
    groups = []
    for kind in _KINDS:
        words = sorted(phrases[kind], key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in words)
        groups.append(f"(?P<{kind.replace(':', '_')}>\\b(?:{alternatives})\\b)")
    return re.compile("|".join(groups), re.IGNORECASE)


_MODIFIED = re.compile(r"[ \t]*([A-Za-z][\w-]*)")
_CLASSIFIERS = frozenset(
    "service services database databases engine engines tool tools platform platforms solution solutions system "
    "systems store stores storage".split()
)
#: After a name, a capitalised name and one of the classifier nouns ("serverless NoSQL database").
_BEFORE_CLASSIFIER = re.compile(
    r"[ \t]+[A-Z][\w-]*[ \t]+"
    r"(?i:(?:database|engine|platform|service|solution|storage|store|system|tool)s?)\b(?![ \t]+[a-z])"
)


def _modifier(text: str, end: int) -> bool:
    """True when the word after a name makes it a modifier ("IP traffic"), not the thing itself."""
    match = _MODIFIED.match(text, end)
    if match is None:
        return False
    word = match.group(1).lower()
    if word in terms.STOP_WORDS or word in _CLASSIFIERS or word.endswith("ly"):
        return False
    # "serverless NoSQL database": a name before another that heads a classifier says what the thing is
    return not _BEFORE_CLASSIFIER.match(text, end)
