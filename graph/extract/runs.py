"""Runs of content words: the candidate terms of a text, between stop words, punctuation and names.

:func:`runs` cuts a block's text at stop words, general English verbs, prepositions and quantifiers
(:data:`BOUNDARY_WORDS`), adverbs, numbers, punctuation and given character ranges (service names).
What is left are the maximal runs of content words, at most :data:`MAX_RUN` words, like the candidate
phrases of RAKE or C-value keyphrase extraction; each keeps the stop words right around it, which
say whether it is used as a noun ("the subnet") or a verb ("configure the").

Example::

    >>> [run.words for run in runs("A dead-letter queue holds failed messages after the visibility timeout")]
    [('dead-letter', 'queue', 'holds', 'failed', 'messages'), ('visibility', 'timeout')]
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from graph.extract import terms

__all__ = ["BOUNDARY_WORDS", "MAX_RUN", "Run", "runs"]

#: Runs are cut after this many words (a longer run is a title-cased sentence or a list, not one term).
MAX_RUN = 6

# A word: letters and digits, with in-word hyphens, slashes, dots, apostrophes and "+"/"#" ("dead-letter",
# "CI/CD", "Node.js", "C++").
_WORD = r"[A-Za-z0-9](?:[A-Za-z0-9'’.+#&/-]*[A-Za-z0-9+#])?"
# Each word with the text between it and the word before. The gap is possessive and the last match takes the
# text after the last word with an empty word: no match ever fails, so text with no word in a long tail is read
# once (a lazy ".*?" gap would rescan that tail from each of its positions).
_GAP_AND_WORD = re.compile(rf"([^A-Za-z0-9]*+)({_WORD}|\Z)")

#: General English words that end a run besides the stop words: verbs that join two terms, prepositions,
#: quantifiers. Not about any notes: they say how people write about anything.
BOUNDARY_WORDS = frozenset(
    """allow allows allowed allowing let lets enable enables enabled make makes made give gives given use uses used
    using need needs want wants get gets got like within without across between after before during until upon
    among behind beyond against around toward towards throughout multiple several many various every another
    different new certain much less least lot lots able inside outside along beside near above below beneath
    since unless whenever wherever e.g i.e etc eg ie instead also always never often
    usually typically sometimes automatically easily quickly simply directly well even still already again
    now yes ok okay see way ways e.g example examples cannot""".split()
)


class Run(NamedTuple):
    """A run of content words and the stop words around it ("" at punctuation, a name or the block's edge)."""

    words: tuple[str, ...]
    before: str = ""
    after: str = ""


def runs(text: str, taken: list[tuple[int, int]] | tuple = ()) -> list[Run]:
    """The runs of content words of *text*, skipping the character ranges in *taken* (service names).

    >>> [run.words for run in runs("A dead-letter queue holds failed messages after the visibility timeout")]
    [('dead-letter', 'queue', 'holds', 'failed', 'messages'), ('visibility', 'timeout')]
    """
    ranges = tuple(sorted(taken))
    return list(_runs_cached(text, ranges) if len(text) <= _CACHED_CHARS else _runs(text, ranges))


#: Lines up to this long are cut once per distinct line and kept (a bounded cache: at most a few megabytes).
_CACHED_CHARS = 400


# Notes repeat their lines ("Use cases", a service's name, boilerplate items): each distinct short line is cut once.
@lru_cache(maxsize=16_384)
def _runs_cached(text: str, taken: tuple[tuple[int, int], ...]) -> tuple[Run, ...]:
    return _runs(text, taken)


def _runs(text: str, taken: tuple[tuple[int, int], ...]) -> tuple[Run, ...]:
    out: list[Run] = []
    current: list[str] = []
    before = ""
    at = 0  # the first range of *taken* that may still overlap a word: one pass over both
    end = 0
    # (text before the word, word) pairs in one call: no match object per word (this runs on every block).
    for gap, written in _GAP_AND_WORD.findall(text):
        if not written:
            break  # the text after the last word
        word = written[:-2] if written.endswith(("'s", "’s")) else written
        broken = bool(gap) and not gap.isspace()  # punctuation between two words ends a run
        boundary = _is_boundary(word)
        if taken:
            start = end + len(gap)
            end = start + len(written)
            if not boundary:
                while at < len(taken) and taken[at][1] <= start:
                    at += 1
                boundary = at < len(taken) and taken[at][0] < end
        if broken or boundary:
            lower = word.lower() if boundary else ""
            if current:  # most boundaries follow another boundary: nothing to close
                _close(current, before, lower if boundary and not broken else "", out)
                current = []
            if boundary:
                before = lower if lower in terms.STOP_WORDS else ""
                continue
            before = ""
        current.append(word)
        if word != written:  # a possessive ends the run: "AWS's console"
            _close(current, before, "", out)
            current, before = [], ""
    _close(current, before, "", out)
    return tuple(out)


@lru_cache(maxsize=65536)
def _is_boundary(word: str) -> bool:
    lower = word.lower()
    if lower in terms.STOP_WORDS or lower in BOUNDARY_WORDS or not any(c.isalpha() for c in word):
        return True
    if "'" in lower or "’" in lower:
        return True  # "don't", "you're"
    # An adverb ("quickly", "securely") ends a run; "Family", "Assembly" or "anomaly" are nouns.
    return word.islower() and (terms.word_classes(lower) == {"adv"} or lower.endswith(_ADVERB_ENDINGS))


_ADVERB_ENDINGS = (
    "ally",
    "ously",
    "ively",
    "ently",
    "antly",
    "ately",
    "edly",
    "ingly",
    "fully",
    "lessly",
    "ely",
    "tly",
)


def _close(current: list[str], before: str, after: str, out: list[Run]) -> None:
    if not current:
        return
    if len(current) > 1 and len(current) <= MAX_RUN:  # the common case: one run as it is
        out.append(Run(tuple(current), before, after))
        return
    for at in range(0, len(current), MAX_RUN):
        run = current[at : at + MAX_RUN]
        if len(run) == 1 and terms.is_common_word(run[0].lower(), -12.0) and not run[0].isupper():
            continue  # one everyday word: never a term of its own, never a known term's mention
        last = at + MAX_RUN >= len(current)
        out.append(Run(tuple(run), before if at == 0 else "", after if last else ""))
