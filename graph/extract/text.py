"""Small text helpers shared by the extraction rules (kept here once, never copied into a rule).

* :func:`keep_term` decides whether a phrase is worth a node ("data lake" yes, "things" no);
* :func:`term_kind` tells a product's proper name ("Kafka", "Power BI": TECHNOLOGY) from a concept;
* :func:`use_case_phrase` and :func:`cut_clause` cut a use case out of a list item
  ("You need to search logs quickly, without servers" -> "search logs quickly");
* :func:`is_acronym` and :func:`dedupe` are what they say.

The word-level judgements (term-likeness, common words, keys) come from :mod:`graph.extract.terms`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.extract import terms
from graph.model import CONCEPT, TECHNOLOGY
from graph.vendors import VENDOR_NAMES

__all__ = [
    "UNITS",
    "VENDORS",
    "cut_clause",
    "dedupe",
    "is_acronym",
    "keep_term",
    "term_kind",
    "use_case_phrase",
]

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&/]{1,6}s?$")
_WANT_PREFIX = re.compile(
    r"^(?:you|we|they|it|users?|teams?|customers?|companies|organizations?|people)\s+"
    r"(?:need|needs|want|wants|have|has|must|can|may|should|would like|use it)\s+(?:to\s+)?(?:users?\s+to\s+)?",
    re.IGNORECASE,
)
_CLAUSE_CUT = re.compile(
    r",|;|\.\s|\s(?:and get|and then|so that|so|that|which|who|without|because|by|while|when|"
    r"where|before|after|using|via)\s",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:a|an|the|your|their|its|our|some|any)\s+", re.IGNORECASE)

#: Units of measure and currencies: "5 GB", "10 ms" name no concept.
UNITS = frozenset(
    [
        "kb",
        "mb",
        "gb",
        "tb",
        "pb",
        "eb",
        "kib",
        "mib",
        "gib",
        "tib",
        "ms",
        "ns",
        "sec",
        "min",
        "hr",
        "hrs",
        "mbps",
        "gbps",
        "kbps",
        "rpm",
        "rps",
        "iops",
        "usd",
        "eur",
        "gbp",
        "am",
        "pm",
    ]
)
#: A vendor's own name ("AWS", "Azure", "Google Cloud", "Microsoft") is not a topic of its own.
VENDORS = frozenset({"aws", "amazon", "amazon web services"}) | VENDOR_NAMES


def is_acronym(word: str) -> bool:
    """ "SQS", "EC2", "VPCs", "R&D": two to seven capitals and digits, an optional plural s."""
    return bool(_ACRONYM.match(word))


def keep_term(term: str, emphasised: bool = False, max_words: int = 5, defined: bool = False) -> bool:
    """Whether a phrase is worth a node: term-like, not scaffolding, not a lone everyday word (unless defined)."""
    if not terms.is_term_like(term, max_words) or terms.is_generic(term):
        return False
    tokens = terms.words(term)
    if len(tokens) == 1 and not _ACRONYM.match(tokens[0]) and not defined:
        word = tokens[0]
        common = terms.is_common_word(word, -10.5 if emphasised else -12.0)
        if common and not terms.is_name_like(word):
            return False
    return not (term.lower() in VENDORS or all(t.lower() in UNITS for t in tokens))


def term_kind(surface: str) -> str:
    """TECHNOLOGY for the proper name of a product ("Kafka", "Power BI"), else CONCEPT."""
    tokens = terms.words(surface)
    if not tokens or not all(t[0].isupper() or t[0].isdigit() for t in tokens):
        return CONCEPT
    if all(_ACRONYM.match(t) for t in tokens):
        return CONCEPT
    for token in tokens:
        parts = [p for p in re.split(r"[-/]", token) if p]
        named = any(p[0].isupper() and not _ACRONYM.match(p) and terms.is_name_like(p) for p in parts)
        if named and not any(p.lower() in VENDORS for p in parts):
            return TECHNOLOGY
    return CONCEPT


def cut_clause(text: str) -> str:
    """*text* up to its first clause break ("search logs, fast" -> "search logs")."""
    match = _CLAUSE_CUT.search(text)
    return text[: match.start()] if match else text


def use_case_phrase(text: str, label: str | None) -> str | None:
    """A short use-case phrase from an item, completing a sentence *label* such as "You need transcripts of:"."""
    phrase = text.strip()
    sentence_label = label is not None and label.rstrip().endswith(":") and terms.label_role(label) is None
    if sentence_label and len(phrase.split()) <= 3:
        stem = _WANT_PREFIX.sub("", label.rstrip(" :"))
        if re.search(r"\b(of|for|to|like|as|on|with|about)$", stem):
            phrase = f"{stem} {phrase}"
    phrase = _WANT_PREFIX.sub("", phrase)
    phrase = terms.clean_term(phrase)
    if len(phrase.split()) > 6:
        phrase = terms.clean_term(cut_clause(phrase))
    phrase = _ARTICLE.sub("", phrase)
    if len(phrase.split()) > 7 or not keep_term(phrase, emphasised=True, max_words=7):
        return None
    return phrase


def dedupe(items: Iterable[str]) -> list[str]:
    """*items* without repeats, in first-seen order."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
