"""Abbreviations a text defines: "Amazon Machine Image (AMI)", "R53 (Route 53)", "WORM (Write Once Read Many)".

:func:`abbreviations` reads the ``(short, long)`` pairs of a block's text where the letters of the short
form are initials of the long one. The corpus makes each pair one node (:mod:`graph.store.terms`), and
the long form is one name even with "and" or "of" inside it (:mod:`graph.extract.rules.entities`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.extract import terms

__all__ = ["abbreviations"]

_PARENTHESIS = re.compile(r"\(([^()]{1,80})\)")
_SHORT = re.compile(r"[A-Z][A-Za-z0-9]{1,7}")


@lru_cache(maxsize=4096)
def abbreviations(text: str) -> tuple[tuple[str, str], ...]:
    """The ``(short, long)`` abbreviations *text* defines: "Amazon Machine Image (AMI)", "R53 (Route 53)".

    Read once per text (cached): the phrases rule and the entities rule both ask.

    >>> abbreviations("Launch from an Amazon Machine Image (AMI) or R53 (Route 53), not Lambda (serverless)")
    (('AMI', 'Amazon Machine Image'), ('R53', 'Route 53'))
    >>> abbreviations("Optimized for online analytical processing (OLAP)")
    (('OLAP', 'online analytical processing'),)
    >>> abbreviations("Uses Elastic IPs (Static IPv4 Public)")
    ()
    >>> abbreviations("Optimized for online analytical processing (OLAP)")
    (('OLAP', 'online analytical processing'),)
    """
    found = []
    for match in _PARENTHESIS.finditer(text):
        inside = match.group(1).strip()
        before = [w.strip("*_`\"'“”‘’[]") for w in text[max(0, match.start() - 80) : match.start()].split()[-6:]]
        if _is_short(inside):
            short, long = inside, " ".join(before)
        elif before and _is_short(before[-1]):
            short, long = before[-1], inside
        else:
            continue
        long = _trim(short, long)
        if long:
            found.append((short, long))
    return tuple(found)


def _is_short(word: str) -> bool:
    """An abbreviation: one word, at least two capitals or digits ("AMI", "R53", "IaaS")."""
    return bool(_SHORT.fullmatch(word)) and sum(c.isupper() or c.isdigit() for c in word) >= 2


def _trim(short: str, long: str) -> str:
    """The end of *long* whose initials spell *short* ("Launch Amazon Machine Image" -> "Amazon Machine Image")."""
    words = long.split()
    letters = short.rstrip("s").lower()
    if any(w.lower().startswith(letters) for w in words):
        return ""  # "Elastic IPs (Static IPv4 Public)": the short form inside a word is no initials
    # Shortest first: "Optimized for online analytical processing (OLAP)" stands for the last three words only,
    # though "Optimized for ..." opens with the same letter and spells it too.
    for start in range(len(words) - 2, -1, -1):
        candidate = words[start:]
        if candidate[0].lower() in terms.STOP_WORDS or len(candidate) < 2:
            continue
        if candidate[0][0].lower() == letters[0] and _spells(letters, " ".join(candidate).lower()):
            initials = "".join(w[0].lower() for w in candidate if w.lower() not in terms.STOP_WORDS)
            if _spells(initials, letters):  # in order, each letter once: "for online analytical ..." is no OLAP
                return " ".join(candidate)
    return ""


def _spells(letters: str, long: str) -> bool:
    at = 0
    for char in letters:
        at = long.find(char, at)
        if at < 0:
            return False
        at += 1
    return True
