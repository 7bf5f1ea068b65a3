"""Phrases that look like terms but name nothing: :func:`fragment_reason`.

Rules find candidate terms by shape (emphasis, capitals, list items, arrow steps); some of what
they find is not a topic a learner would look up. These classes are told apart by grammar and
case alone, never by a list of what some notes contain:

* **negations** are parts of sentences: "Cannot", "DEK Can't", "Don't change", "HA at no cost";
* **enumeration values and shouting**: an ordinary English word written in capitals ("ALLOW",
  "DENY", "NONE", "TOTAL", "THREE PROBLEMS") is a value in a code-like list or emphasis, not an
  acronym -- unless the text spells it out right after ("WORM (Write Once Read Many)") or lists it
  among names ("REST, GraphQL"); ``UPPER_SNAKE`` names ("NEW_IMAGE", "KEYS_ONLY") are constants;
* **course meta**: "Module 2", "Lesson 3", "Part 1", "Section 4.2", "Cloud Practitioner exam",
  "Azure Fundamentals", repository slugs ("AWS-SAA-C02-Course");
* **amounts**: plural units ("PBs", "TBs");
* **a vendor's things in general**: its name before one everyday word in lower case or the plural
  ("AWS infrastructure", "AWS Services", "Azure-hosted"), unlike a named thing ("AWS Region");
* **modifiers**: an everyday acronym right before a lower-case noun names a kind of that noun, not a
  topic of its own: "IP addresses", "CPU usage", "API calls" (jargon stays: "CIDR block", "SQL queries");
  so does a hyphenated compound before a word ("high-performance database", "enterprise-grade apps");
* **pieces of sentences**: a superlative opening a description ("Oldest AWS offering"), a reduced
  clause ("Data encrypted at rest"), predicates joined to a noun ("HA and Scalable"), a lone
  participle ("versioned"), a word written twice ("SGs SGs"), a lone word English knows only as a
  verb ("Deploy", "decouple") or an everyday word only as an adjective ("global", "durable"), and two
  lower-case phrases joined by "and"/"or" ("malicious activities and threats": two things, not one
  name; a Title Case name may hold "and": "Health Insurance Portability and Accountability Act").

>>> fragment_reason("DEK Can't")
'negation'
>>> fragment_reason("ALLOW"), fragment_reason("SQS"), fragment_reason("WORM", " (Write Once Read Many)")
('enumeration value', None, None)
>>> fragment_reason("REST", ", GraphQL)", "API Management (")

>>> fragment_reason("Module 2")
'course meta'
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from graph.extract import terms
from graph.extract.text import UNITS, VENDORS

__all__ = ["EVERYDAY_ACRONYM", "fragment_reason", "is_everyday_acronym", "is_fragment", "modifies_next"]

_NEGATIONS = frozenset({"not", "no", "cannot", "never", "nor", "neither", "n/a"})
_CONTRACTED_NOT = re.compile(r"n['’]t$", re.IGNORECASE)
_PREPOSITIONS = frozenset({"at", "in", "on", "by", "to", "from", "with", "into", "across", "for", "via", "onto"})
_ADJECTIVE = re.compile(r"(?:ive|able|ible|ous|ful|less)$")
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'’]*[A-Z]$")
#: Words of course and exam bookkeeping: how a course is cut up, and what it prepares for.
_NUMBERED_PART = re.compile(
    r"^(?:module|lesson|part|section|chapter|unit|week|day|lab|lecture|quiz|domain|step|exercise|video)"
    r"\s*(?:[-#:]\s*)?(?:\d+(?:\.\d+)*[a-z]?|[ivx]+|[a-z])$",
    re.IGNORECASE,
)
_COURSE_WORDS = frozenset(
    {"exam", "exams", "course", "courses", "certification", "certifications", "certified", "curriculum",
     "syllabus", "bootcamp", "practitioner", "fundamentals", "coursework", "homework"}
)  # fmt: skip
#: An ordinary word is at least this likely in English text (spaCy's log probabilities); a lone word
#: in capitals must be more common still to be read as a shouted word ("RAM", "PIN" are acronyms).
_COMMON = -11.5
_VERY_COMMON = -10.9
_LIST_SPLIT = re.compile(r"(?<!\s)\s*(?:,|/|\+|\||\band\b|\bor\b)\s*")


@lru_cache(maxsize=16384)
def fragment_reason(
    surface: str, after: str = "", before: str = "", heading: bool = False, task: bool = False
) -> str | None:
    """Why *surface* names no topic ("negation", "enumeration value", "course meta", "amount"), or None.

    *after* and *before* are the text around the surface (an acronym may be spelled out after it, or
    listed among other names); in a *heading* capitals are a style, not a value, so only the other
    classes apply. A *task* (a use case) is a description by nature: "Create thumbnails for images
    uploaded to S3" is one, so pieces of sentences are not judged there.
    """
    facts = _surface_reasons(surface, task)
    if facts is None:
        return None
    before_context, tokens, after_context = facts
    if before_context:
        return before_context
    if len(tokens) == 1 and modifies_next(tokens[0], after, before):
        return "modifier"
    if _is_vendor_phrase(surface, after):
        return "vendor phrase"
    if after_context:
        return after_context
    if not heading and _is_shouted(tokens, after, before):
        return "enumeration value"
    return None


@lru_cache(maxsize=16384)
def _surface_reasons(surface: str, task: bool) -> tuple[str | None, tuple[str, ...], str | None] | None:
    """What :func:`fragment_reason` reads of *surface* alone, once per surface (the text around it varies from
    line to line): the reason found before the first test that reads that text, the surface's words, and the
    reason found after the tests that read it (a class the text around it cannot change); None for no words.
    """
    tokens = terms.words(surface)
    if not tokens:
        return None
    lower = [t.lower().strip(".") for t in tokens]
    before, after = _reason_before_context(surface, tokens, lower), _reason_after_context(surface, tokens, lower, task)
    return before, tuple(tokens), after  # a tuple: the cached words are shared by every caller


def _reason_before_context(surface: str, tokens: list[str], lower: list[str]) -> str | None:
    if any(w in _NEGATIONS or _CONTRACTED_NOT.search(w) for w in lower):
        return "negation"
    if _NUMBERED_PART.match(surface.strip()) or any(w in _COURSE_WORDS for w in re.split(r"[-\s]+", surface.lower())):
        return "course meta"
    parts = surface.strip().split("-")
    if len(parts) >= 4 and " " not in surface.strip() and all(p[:1].isupper() or p[:1].isdigit() for p in parts):
        return "course meta"  # a repository or file slug: "AWS-Certified-Cloud-Practitioner-Notes"
    if len(tokens) == 1 and lower[0].rstrip("s") in UNITS and lower[0] != lower[0].rstrip("s"):
        return "amount"
    return None


def _reason_after_context(surface: str, tokens: list[str], lower: list[str], task: bool) -> str | None:
    if len(tokens) > 1 and lower[-1] in terms.SCAFFOLD_TAIL and not task:
        return "scaffolding"  # "Wordpress Example", "VPC Overview": an example or a summary of X, not a topic
    if not task and _is_piece_of_sentence(tokens, lower, surface.split()):
        return "fragment"
    if any(_CONSTANT.match(t) for t in tokens):
        return "enumeration value"
    return None


def is_fragment(surface: str, after: str = "", before: str = "", heading: bool = False, task: bool = False) -> bool:
    """True when *surface* names no topic (see :func:`fragment_reason`)."""
    return fragment_reason(surface, after, before, heading, task) is not None


#: Nouns of note-taking that end a phrase about something else: "Wordpress Example", "S3 Overview", "IAM Tips".
def _is_vendor_phrase(surface: str, after: str = "") -> bool:
    """A vendor's name and one everyday word in lower case or the plural, or a participle: "AWS infrastructure",
    "AWS Services", "Azure-hosted"; or cut before a lower-case noun: "Azure Data" of "Azure Data services", "AWS ISO"
    of "AWS ISO certifications"."""
    parts = [p for p in re.split(r"[\s-]+", surface.strip()) if p]
    if len(parts) != 2 or parts[0].lower() not in VENDORS:
        return False
    word = parts[1]
    if word.islower() and word.endswith("ed"):
        return True  # "Azure-hosted", "AWS-managed": said of a thing, not a thing
    following = _NEXT_WORD.match(after)
    if following and "noun" in terms.word_classes(following.group(1)) and (word.isupper() or word.isalpha()):
        return True  # "Azure Data services", "AWS ISO certifications": the name goes on in lower case
    if word.isupper() or not word.isalpha() or not terms.is_common_word(word, -12.0):
        return False
    return word.islower() or word.lower() != terms.singular(word.lower())  # "AWS infrastructure", "AWS Services"


#: An acronym at least this likely in English text is everyday vocabulary ("IP", "OS", "URL", "API"); rarer
#: ones are jargon the notes teach ("SQL", "CIDR"). It must also be likelier than its letters as a lower-case
#: word, else the figure measures that word ("HA" is mostly "ha").
EVERYDAY_ACRONYM = -12.5
_BARE_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")
_NEXT_WORD = re.compile(r" ([a-z][a-z-]{2,})\b")
_NEXT_NAME = re.compile(r" ([A-Za-z][A-Za-z0-9-]*)\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;(\[*•–—-])\s*$")
#: Two words joined by a hyphen, the second in lower case: "high-performance", "Multi-region" (not "Multi-AZ").
_COMPOUND = re.compile(r"^[A-Za-z][a-z]+-[a-z]{2,}$")


def is_everyday_acronym(word: str) -> bool:
    """Whether *word*, in capitals, is an acronym everyday English uses: "OS", "URL" (not "SQL", "CIDR", "HA").

    >>> is_everyday_acronym("URL"), is_everyday_acronym("CIDR"), is_everyday_acronym("HA")
    (True, False, False)
    """
    if word.endswith("s") and word[:-1].isupper():
        word = word[:-1]  # "URLs"
    return terms.word_frequency(word) > max(EVERYDAY_ACRONYM, terms.word_frequency(word.lower()))


def modifies_next(word: str, after: str, before: str = "") -> bool:
    """Whether *word*, followed by *after*, modifies the noun after it: "IP addresses", "high-performance database".

    An everyday acronym before a lower-case noun, or a hyphenated compound before any word, is a modifier;
    a compound capitalised mid-sentence (*before* is the text before it) is a name.

    >>> modifies_next("IP", " addresses and ports"), modifies_next("IP", ", TCP"), modifies_next("CIDR", " block")
    (True, False, False)
    """
    if _COMPOUND.match(word):
        # "High-performance RDS database", "enterprise-grade applications": English hyphenates a compound
        # only where it modifies the noun after it ("low latency" names the idea, "low-latency reads" not).
        if word[0].isupper() and not _SENTENCE_START.search(before):
            return False  # capitalised mid-sentence, "a Multi-master cluster": the author names a feature
        following = _NEXT_NAME.match(after)
        if not following or following.group(1).lower() in terms.STOP_WORDS:
            return False
        word_after = following.group(1)
        classes = terms.word_classes(word_after.lower())
        return word_after[0].isupper() or not classes or "noun" in classes  # a noun follows ("again" does not)
    if not _BARE_ACRONYM.match(word) or not is_everyday_acronym(word):
        return False
    match = _NEXT_WORD.match(after)
    if not match or match.group(1) in terms.STOP_WORDS:
        return False
    classes = terms.word_classes(match.group(1))
    return not classes or "noun" in classes


def _is_piece_of_sentence(tokens: list[str], lower: list[str], raw: list[str]) -> bool:
    """A superlative, a reduced clause, predicates joined to a noun, a lone participle, a word twice."""
    if any(a == b for a, b in itertools.pairwise(lower)):
        return True  # "SGs SGs": two items run together
    if len(lower) == 1:
        # "Provisioned" (vs On-Demand) names a mode; "versioned", "optionally" are words of a sentence.
        if tokens[0].islower() and (_is_participle(lower[0]) or _is_adverb(lower[0])):
            return True
        return _is_predicate_word(tokens[0])
    if ("and" in lower or "or" in lower) and all(t.islower() for t in tokens):
        return True  # "malicious activities and threats", "security and compliance documentation"
    if len(raw) >= 2 and raw[-1].isdigit() and raw[-2].islower():
        return True  # cut at a number: "Retrievals take 3" (of "3-5 hours"); not "Layer 7", "Windows Server 2019"
    first = lower[0]
    if first.endswith("est") and len(first) > 5 and terms.word_frequency(first[:-3] + "er") > -12.0:
        return True  # "Oldest AWS offering", "Cheapest option": a description, not a name
    for position in range(len(lower) - 1):
        word = lower[position]
        lowered = tokens[position].islower() or position == 0
        if lowered and _is_participle(word) and lower[position + 1] in _PREPOSITIONS:
            return True  # "Data encrypted at rest", "Objects stored in S3", "Allocated to your account"
    return ("and" in lower or "or" in lower) and bool(_ADJECTIVE.search(lower[-1])) and len(lower[-1]) > 6


#: An everyday adjective ("global", "durable") is this likely in English or more; rarer ones name ideas ("stateless").
_COMMON_ADJECTIVE = -13.0


def _is_predicate_word(word: str) -> bool:
    """A lone word that says something of a topic but names none: only a verb ("Deploy") or an everyday adjective.

    Words English does not know ("serverless") and names ("Kafka") stay; so does any word that can be a noun.
    """
    if not word.isalpha() or word.isupper() or word.lower().endswith("ing") or terms.is_name_like(word):
        return False  # a gerund names an activity: "decoupling", "caching"
    classes = terms.word_classes(word)
    if not classes or "noun" in classes:
        return False
    if classes <= {"verb", "adv"}:
        return not word.lower().endswith("s")  # "retries", "backups" may be plural nouns
    return classes <= {"adj", "adv"} and terms.word_frequency(word.lower()) > _COMMON_ADJECTIVE


def _is_participle(word: str) -> bool:
    """A past participle of a common verb: "versioned", "stored", "encrypted" (not "speed", "embed")."""
    if len(word) < 5 or not word.endswith("ed") or "-" in word:
        return False
    stems = (word[:-2], word[:-1], word[:-3] if word[-3:-2] == word[-4:-3] else "")
    return any(len(s) >= 3 and terms.word_frequency(s) > -14.5 for s in stems)


def _is_adverb(word: str) -> bool:
    """An adverb made of a common adjective: "optionally", "automatically" (not "family", "assembly")."""
    if len(word) < 6 or not word.endswith("ly"):
        return False
    stem = word[:-2]
    stems = (stem, stem + "e", stem[:-1] + "y" if stem.endswith("i") else "", stem[:-2] if stem.endswith("al") else "")
    return any(len(s) >= 4 and terms.word_frequency(s) > -13.0 for s in stems)


def _is_shouted(tokens: tuple[str, ...], after: str, before: str) -> bool:
    """Ordinary English words in capitals: one alone that the text neither spells out nor lists among names."""
    if not all(_CAPS_WORD.match(t) for t in tokens):
        return False
    if len(tokens) > 1:
        return sum(len(t) >= 3 and terms.word_frequency(t.lower()) > _COMMON for t in tokens) >= 2
    word = tokens[0]
    if len(word) < 3 or terms.word_frequency(word.lower()) <= _VERY_COMMON:
        return False
    return not _spelled_out(word, after) and not _listed_among_names(before, after)


def _listed_among_names(before: str, after: str) -> bool:
    """Whether the word is an item of a list whose next or previous item is a name ("REST, GraphQL")."""
    previous = _LIST_SPLIT.split(before)
    following = _LIST_SPLIT.split(after)
    own_before = re.split(r"[(\[:]", previous[-1])[-1]  # a list may open with a bracket or a colon
    own_after = re.split(r"[)\].;:]", following[0])[0]
    if own_before.strip(" `*_") or own_after.strip(" `*_…"):
        return False  # the word is part of a longer item, not an item of its own
    neighbours = []
    if len(previous) > 1:
        neighbours.append(previous[-2])
    if len(following) > 1:
        neighbours.append(following[1])
    return any(len(n.split()) <= 3 and _is_name(n) for n in neighbours)


def _is_name(item: str) -> bool:
    """A list item that is a name: it opens with a capital and is no ordinary word in capitals or a constant."""
    first = terms.words(item.strip(" ()[]`*_"))[:1]
    if not first or not first[0][:1].isupper() or _CONSTANT.match(first[0]):
        return False
    word = first[0]
    if _CAPS_WORD.match(word):
        return terms.word_frequency(word.lower()) <= _VERY_COMMON
    return terms.is_name_like(word) or terms.word_frequency(word.lower()) <= _COMMON


def _spelled_out(acronym: str, after: str) -> bool:
    """Whether *after* opens with the words the capitals stand for: "WORM (Write Once Read Many)"."""
    match = re.match(r"\s*[(:=—–-]\s*([^)\n]{3,80})", after)
    if not match:
        return False
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", match.group(1)) if w[0].isupper() or len(w) > 3)
    return initials.upper().startswith(acronym.upper()[:3])
