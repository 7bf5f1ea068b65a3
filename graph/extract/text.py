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
from functools import lru_cache

from graph.extract import terms
from graph.model import CONCEPT, SERVICE, TECHNOLOGY
from graph.vendors import VENDOR_NAMES, strip_any_vendor, vendor_prefix

__all__ = [
    "UNITS",
    "VENDORS",
    "cut_clause",
    "dedupe",
    "gerund_phrase",
    "is_acronym",
    "keep_term",
    "listed",
    "subject_openers",
    "term_kind",
    "use_case_phrase",
    "use_case_phrases",
]

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&/]{1,6}s?$")
_WANT_PREFIX = re.compile(
    r"^(?:you|we|they|it|users?|teams?|customers?|companies|organizations?|people)\s+"
    r"(?:need|needs|want|wants|have|has|must|can|may|should|would like|use it)\s+(?:to\s+)?(?:users?\s+to\s+)?",
    re.IGNORECASE,
)
_CLAUSE_CUT = re.compile(
    r",|;|\.\s|\s(?:and get|and then|so that|so|that|which|who|without|because|by|while|when|"
    r"where|before|after|using|via|if|since|unless|until|in case|in the event)\s"
    # a reduced relative clause: "images uploaded onto S3", "files stored in a bucket"
    r"|\s[a-z]+ed\s(?=(?:onto|into|to|from|in|on|by|with|at|for)\s)",
    re.IGNORECASE,
)
# A relative clause describes the thing, it is not part of the use: "objects that are rarely read",
# "applications requiring high availability".
_RELATIVE = re.compile(r"\s(?:that|which|who|whose)\s|(?<=[a-z]s)\s(?!(?:and|or)\b)[a-z]+ing\b", re.IGNORECASE)
# "When extending your datacenter", "In testing/development", "For disaster recovery": the use is what follows.
_OPENING_WORD = re.compile(r"^(?:when|while|if|for|in|during|to)\s{1,3}(?=\w)", re.IGNORECASE)
# "Store, retrieve, and share configuration files": three tasks on one object.
_VERB_LIST = re.compile(r"^([A-Za-z]+),\s{1,3}([a-z]+),?\s{1,3}(?:and|or)\s{1,3}([a-z]+)\s{1,3}(\w.*)$")
# "Write metrics, crash dumps, or diagnostic logs": a verb and the list of its objects (each a few words).
_OBJECT_LIST = re.compile(
    r"([A-Za-z]+)\s(?:[\w/+-]+\s){0,3}[\w/+-]+(?:,\s(?:[\w/+-]+\s){0,3}[\w/+-]+)+,?\s(?:and|or)\s"
    r"(?:[\w/+-]+\s){0,3}[\w/+-]+(?=$|[,.;:])"
)
# "allow incoming management connections", "enable cross-account access": the use is what is allowed.
_ENABLING_VERB = re.compile(
    r"^(?:allow|allows|allowing|enable|enables|enabling|permit|permits)\s{1,3}(?=\w)", re.IGNORECASE
)
# "Run a serverless cron job": a light verb with an article adds nothing to the task it names.
_LIGHT_VERB = re.compile(
    r"^(?:run|runs|running|do|doing|perform|performing|have|make|get)\s{1,3}(?:a|an|the|your|some)\s{1,3}",
    re.IGNORECASE,
)
# "Provide in-flight encryption", "offers caching": what is provided is the use.
_PROVIDING = re.compile(r"^(?:provide|providing|offer|offering|give|giving)\s{1,3}(?=\w)", re.IGNORECASE)
# "decouple applications in AWS": where it runs is not part of the use.
_WHERE_TAIL = re.compile(
    r"\s{1,3}(?:in|on|within|inside)\s{1,3}(?:the\s{1,3})?(?:aws|azure|gcp|google cloud|cloud)\s{0,3}$", re.IGNORECASE
)
# Nouns for the programs a use serves (one list for the two patterns below).
_PROGRAMS = r"apps?|applications?|workloads?|websites?"
# "for stock or voting apps", "for web applications": the kind of program a use serves is not part of the use.
_CONSUMER_TAIL = re.compile(
    r"\s{1,3}for\s{1,3}(?:[\w-]+\s{1,3}){0,3}(?:" + _PROGRAMS + r"|web\s{1,3}sites?)\s{0,3}$", re.IGNORECASE
)
# "enterprise-grade applications", "apps with ...": up to two describing words, then a noun for programs.
_CONSUMER_PHRASE = re.compile(r"^(?:[\w-]+\s{1,3}){0,2}(?:" + _PROGRAMS + r")$", re.IGNORECASE)
_PREPOSITIONS = frozenset("of for to in on at by with from into onto over under across between".split())
# A verb and its preposition opening a phrase: "protect against ", "connect to ", "recover from ".
_VERB_PREPOSITION = re.compile(r"([A-Za-z]+)\s(?:against|from|to|with|into|across|between|through)\s")
# Words that introduce examples of what came before: "workloads such as A, B and C".
_EXAMPLES = re.compile(
    r"\s{0,3}(?:,\s{0,3})?\b(?:such as|e\.g\.?|for example|for instance|including|like)\s{0,3}[:,]?\s{1,3}",
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


@lru_cache(maxsize=32768)  # pure, and asked of the same phrases again and again across a corpus
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


@lru_cache(maxsize=32768)
def term_kind(surface: str) -> str:
    """TECHNOLOGY for the proper name of a product ("Kafka", "Power BI"), else CONCEPT.

    A product's proper name written after a cloud's name ("AWS OpsHub", "Azure Delta Lake Analytics") is
    that cloud's product, a SERVICE, even when no catalog has it yet.
    """
    kind = _term_kind(surface)
    if kind == TECHNOLOGY and vendor_prefix(surface) is not None and strip_any_vendor(surface).strip():
        from graph.extract.fragments import fragment_reason  # here: fragments reads this module's helpers

        if fragment_reason(surface) is None:  # not "AWS Certified Cloud Practitioner" (course meta)
            return SERVICE
    return kind


def _term_kind(surface: str) -> str:
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


def _verb_objects(text: str) -> str | None:
    """ "Write metrics, crash dumps, or diagnostic logs, so ..." -> the verb and its listed objects, or None.

    The verb is a word English uses only as a verb; each object is a few words with no preposition or verb
    form of its own ("Monitor applications, integrating them with X" is no list of objects).
    """
    if "," not in text:
        return None  # most phrases: no list at all
    match = _OBJECT_LIST.match(text)
    if not match or terms.word_classes(match.group(1)) != frozenset({"verb"}):
        return None
    objects = re.split(r",\s(?:(?:and|or)\s)?|\s(?:and|or)\s", match.group(0)[len(match.group(1)) :].strip())
    for item in objects:
        words = item.lower().split()
        if any(w in _PREPOSITIONS or w.endswith("ing") or w in ("that", "which", "them", "it") for w in words):
            return None
    return match.group(0)


def use_case_phrase(text: str, label: str | None, longest: int = 7) -> str | None:
    """A short use-case phrase from an item, completing a sentence *label* such as "You need transcripts of:".

    *longest* is the most words the phrase may have (an item the notes list as a use may be a little longer).
    """
    phrase = text.strip()
    sentence_label = label is not None and label.rstrip().endswith(":") and terms.label_role(label) is None
    if sentence_label and len(phrase.split()) <= 3:
        stem = _WANT_PREFIX.sub("", label.rstrip(" :"))
        if re.search(r"\b(of|for|to|like|as|on|with|about)$", stem):
            phrase = f"{stem} {phrase}"
    phrase = _WANT_PREFIX.sub("", phrase)
    phrase = terms.clean_term(phrase)
    verbs = _VERB_LIST.match(phrase)
    if verbs and not any(w.lower().endswith("s") for w in verbs.group(1, 2, 3)):
        # "Store, retrieve, and share configuration files that ...": three tasks on one object, one use.
        rest = terms.clean_term(_RELATIVE.split(cut_clause(verbs.group(4)), maxsplit=1)[0])
        whole = f"{phrase[: verbs.start(4)].rstrip()} {rest}"
        return whole if rest and keep_term(whole.replace(",", ""), emphasised=True, max_words=8) else None
    objects = _verb_objects(phrase)
    if objects:
        # "Write metrics, crash dumps, or diagnostic logs, so that ...": one task on listed objects
        return objects if keep_term(objects.replace(",", ""), emphasised=True, max_words=10) else None
    if re.match(r"[\w-]+\s(?:that|which|who|whose)\s", phrase):
        return None  # "useful for buckets that must be in sync": which things, not a use
    if len(phrase.split()) > 6:
        phrase = terms.clean_term(cut_clause(phrase))
    described = _RELATIVE.split(phrase, maxsplit=1)
    phrase = terms.clean_term(described[0])  # "data that isn't accessed often"
    if len(described) > 1 and (len(phrase.split()) == 1 or _CONSUMER_PHRASE.match(phrase)):
        # "applications requiring low latency", "enterprise-grade applications requiring high availability":
        # which programs, told by what they need, not a use
        return None
    programs, joined, with_what = phrase.partition(" with ")
    if joined and _CONSUMER_PHRASE.match(programs) and len(programs.split()) == 1:
        # "applications with unpredictable workloads": the use is unpredictable workloads; "applications with
        # high performance and security requirements" tells which programs by what they need, no use
        if not 2 <= len(with_what.split()) <= 3 or re.search(r"\b(?:and|or)\b", with_what, re.IGNORECASE):
            return None
        phrase = with_what
    phrase = _OPENING_WORD.sub("", phrase)
    phrase = _LIGHT_VERB.sub("", phrase)
    provided = _PROVIDING.sub("", phrase)
    if provided != phrase and len(provided.split()) >= 2:
        phrase = provided  # "Provide SSL termination": the use is SSL termination
    phrase = _ENABLING_VERB.sub("", phrase)
    phrase = _WHERE_TAIL.sub("", phrase)
    trimmed = _CONSUMER_TAIL.sub("", phrase)
    if len(trimmed.split()) >= 2:
        phrase = trimmed  # "data aggregation for stock or voting apps": the use is data aggregation
    phrase = _ARTICLE.sub("", phrase)
    if len(phrase) > 60 and _plain_noun_phrase(phrase):
        phrase = " ".join(phrase.split()[-2:])  # "large-scale parallel and ... batch jobs": its head, batch jobs
    if len(phrase.split()) > longest or not keep_term(phrase, emphasised=True, max_words=longest):
        return None
    if any(w in ("is", "are", "was", "were") for w in phrase.lower().split()):
        return None  # "ELB is a fully managed service": a sentence about the subject, not a use
    if terms.heading_role(phrase) is not None or re.search(r"\buse cases?\b", phrase, re.IGNORECASE):
        return None  # "use cases", "examples", "HTTP use cases": a role word, not a use
    if _names_people(phrase):
        return None  # "Ideal for developers", "Best for a company operating a database": who, not what for
    return phrase


def _plain_noun_phrase(phrase: str) -> bool:
    """True for a run of describing words and nouns: no preposition, clause word or verb form opens or ends it."""
    words = phrase.lower().split()
    return (
        len(words) >= 4
        and not any(w in _PREPOSITIONS or w in ("that", "which", "who", "when", "if") for w in words)
        and terms.word_classes(words[0], lemma=False) != frozenset({"verb"})
        and not words[-1].endswith(("ing", "ed", "ly"))
    )


#: General English nouns for people and organisations: "great for beginners" says who, not what for.
_PEOPLE = frozenset(
    "people person user users developer developers beginner beginners team teams company companies business "
    "businesses customer customers organization organizations organisation organisations enterprise enterprises "
    "provider providers engineer engineers scientist scientists administrator administrators admin admins "
    "student students individual individuals startup startups operator operators analyst analysts".split()
)
_HEAD_END = re.compile(r"\s(?:of|for|with|to|who|that|which|in|on|at|from|by|[a-z]+ing)\b", re.IGNORECASE)


def _names_people(phrase: str) -> bool:
    """True when the head of *phrase* (its last word before a preposition, clause or participle) is a person."""
    match = _HEAD_END.search(phrase)
    head = (phrase[: match.start()] if match else phrase).split()
    return bool(head) and head[-1].lower() in _PEOPLE


def use_case_phrases(text: str, limit: int = 6, lists: bool = True, longest: int = 7) -> list[str]:
    """The use cases a clause after "used for" / "great for" names: one phrase, or each item of a list.

    With *lists* False (a list item that is one use), only "A and B" of two phrases is split.

    >>> use_case_phrases("knowledge graphs (Wikipedia), fraud detection and recommendation engines")
    ['knowledge graphs', 'fraud detection', 'recommendation engines']
    >>> use_case_phrases("development and test databases because it can scale back")
    ['development and test databases']
    """
    return list(_use_case_phrases(text, limit, lists, longest))


@lru_cache(maxsize=16384)  # notes repeat their "used for ..." clauses: each is read once (a tuple: callers get a copy)
def _use_case_phrases(text: str, limit: int, lists: bool, longest: int) -> tuple[str, ...]:
    text = re.sub(r"\s{0,3}\([^()]{0,80}\)", "", text[:300])
    head, examples = text, ""
    found = _EXAMPLES.search(text)
    if found:
        head, examples = text[: found.start()], text[found.end() :]
    phrases: list[str] = []
    for part in [*_list_items(head, lists), *_list_items(examples, lists)]:
        phrase = use_case_phrase(part, None, longest)
        if phrase:
            phrases.append(phrase)
    return tuple(dedupe(phrases)[:limit])


def _list_items(text: str, lists: bool = True) -> list[str]:
    """The items of "A, B and C" (each a few words), else *text* itself as one item."""
    text = re.split(r"[.;!?](?:\s|$)", text.strip(), maxsplit=1)[0]
    if not text.strip():
        return []
    parts = [p.strip() for p in re.split(r",\s{0,3}(?:and\s{1,3}|or\s{1,3})?|\s/\s", text) if p.strip()]
    # "creating, publishing, and monitoring APIs": verbs sharing an object; "developers needing control over
    # OS, middleware": the commas are inside the first item's object. Neither is a list of uses.
    gerund_verbs = [i for i, p in enumerate(parts) if p.split()[0].lower().endswith("ing")]
    verbs = any(len(parts[i].split()) == 1 for i in gerund_verbs if i < len(parts) - 1) and any(
        len(parts[i].split()) > 1 for i in gerund_verbs
    )
    if lists and verbs:
        return []
    if _verb_objects(text.strip()):
        return [text]  # "write metrics, crash dumps, or logs": one task on listed objects
    if len(parts) >= 3 and all(len(p.split()) == 1 and "noun" not in terms.word_classes(p.lower()) for p in parts[:-1]):
        return [text]  # "compliant, secure, and up-to-date images": words describing one thing
    verb_list = _VERB_LIST.match(text.strip())
    if verb_list and not any(w.lower().endswith("s") for w in verb_list.group(1, 2, 3)):
        return [text]  # "store, retrieve, and share files": one use
    first = parts[0].split() if parts else []
    nested = any(w.lower() in _PREPOSITIONS or w.lower().endswith("ing") for w in first[1:-1])
    if lists and len(parts) >= 2 and all(len(p.split()) <= 5 for p in parts[:-1]) and not verbs and not nested:
        last = re.split(r"\s{1,3}(?:and|or)\s{1,3}", parts[-1], maxsplit=1)
        if len(last) == 2 and (len(last[0].split()) > 5 or any(w.lower() in _PREPOSITIONS for w in last[0].split())):
            last = [parts[-1]]  # "live replication between production and test accounts": one item
        return parts[:-1] + last
    # "A and B": two uses when both are phrases ("disaster recovery and business continuity"), one when a
    # word shares the head ("development and test databases") or both are words ("reporting and analytics").
    first = cut_clause(text)
    pair = re.split(r"\s{1,3}(?:and|or|&)\s{1,3}", first, maxsplit=1)
    shared = _VERB_PREPOSITION.match(pair[0]) if len(pair) == 2 else None
    if shared and terms.word_classes(shared.group(1).lower()) == frozenset({"verb"}) and len(pair[1].split()) <= 3:
        # "protect against natural disasters or civil unrest": the verb and preposition go with both objects
        return [pair[0], f"{shared.group(0)}{pair[1]}"]
    if len(pair) != 2 or any(w.lower() in _PREPOSITIONS for w in pair[0].split()):  # "for stock or voting apps"
        return [text]
    left, right = pair[0].split(), pair[1].split()
    if len(left) == 1 and len(right) >= 2 and terms.ADJECTIVE_ENDING.search(left[0].lower()):
        # "anonymous or cross account access": the describing word shares the head noun of the other phrase
        return [f"{left[0]} {right[-1]}", pair[1]]
    if right[0].lower() == "as" and len(right) >= 2:
        return [pair[0], _ARTICLE.sub("", " ".join(right[1:]))]  # "long term backups and as a tape replacement"

    def plural(word: str) -> bool:
        word = word.lower()
        return word.endswith("s") and not word.endswith(("ss", "ics", "is", "us"))

    tasks = len(left) == 1 and left[0].lower().endswith("ing") and right[0].lower().endswith("ing")
    if tasks and len(right) >= 2:
        return pair  # "auditing and reviewing credentials": two tasks
    if plural(right[-1]) and not plural(left[-1]):
        return [text]  # "Large ETL & batch analytics workloads": one head shared by both
    if any(w.lower() in _PREPOSITIONS for w in right):
        return [text]  # "extracting structure and meaning from text": the phrase after both belongs to both
    if len(right) >= 2 and (len(left) >= 2 or plural(left[0])):
        return pair  # "disaster recovery and business continuity", "chatbots and call center bots"
    return [text]


def gerund_phrase(phrase: str, verb: bool = False) -> str | None:
    """ "retrieve parts of objects" -> "Retrieving parts of objects": a task said as a noun phrase, or None.

    The first word must be a verb: one English uses only as a verb, or any verb when *verb* says the phrase
    follows "to" ("used to store files"). "log analytics" stays as it is.
    """
    first, _, rest = phrase.partition(" ")
    lower = first.lower()
    if re.match(r"(?:&|and|or|,|-)\s", rest) or first.endswith(","):
        return None  # "monitor & troubleshoot issues": verbs that share an object stay as written
    if not rest or (not verb and terms.word_classes(lower, lemma=False) != frozenset({"verb"})):
        return None
    form = terms.gerund(lower)
    return f"{form.capitalize()} {rest}" if form else None


def dedupe(items: Iterable[str]) -> list[str]:
    """*items* without repeats, in first-seen order."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


# What separates listed objects: commas, "and", "or", "as well as". Between two listed names may stand a short
# item that is no name ("EC2, on-premises servers, API Gateway").
_LIST_SEPARATOR = re.compile(r",|&|/|\(|\)|~|\band\b|\bor\b|\bas well as\b|\bplus\b|\betc\b\.?", re.IGNORECASE)
_LIST_ITEM_WORDS = 3


def listed(gap: str) -> bool:
    """True when *gap* (the text between two names) only separates items of a list.

    >>> listed(", "), listed(" and "), listed(", on-premises servers, "), listed(" integrates with ")
    (True, True, True, False)
    """
    if not gap.strip():
        return True
    parts = _LIST_SEPARATOR.split(gap)
    # "queue features (~SQS) and topic features (~SNS)": a short noun may stand before a parenthesised name
    last_ok = not parts[-1].strip() or gap.rstrip(" ~").endswith("(")
    return len(parts) > 1 and last_ok and sum(len(p.split()) for p in parts) <= _LIST_ITEM_WORDS


#: Words that open a clause about what was spoken of before, without naming it ("These provide IaaS").
_REFERRING = frozenset({"it", "they", "these", "this", "both"})
# A word opening a sentence (or a clause after ", and"/", but"): where an unnamed subject may be spoken of.
_CLAUSE_OPENING = re.compile(r"(?:^|[.;!?:]\s+|,\s+(?:and|but|so)\s+)([A-Za-z]+)\b")


def subject_openers(text: str) -> list[int]:
    """Where a clause of *text* speaks of its subject without naming it: the offset right after a pronoun that
    opens it ("These provide IaaS", ", and it is an orchestration service"), or of a verb that opens a
    sentence ("Is the basis of OpEx", "Provides high availability").

    >>> subject_openers("Emulate machines. These provide IaaS."), subject_openers("Is the basis of OpEx")
    ([0, 23], [0])
    """
    return list(_subject_openers(text))


@lru_cache(maxsize=32768)  # asked of every block, and again of each line the corpus step reads
def _subject_openers(text: str) -> tuple[int, ...]:
    found = []
    for match in _CLAUSE_OPENING.finditer(text):
        word = match.group(1)
        lower = word.lower()
        if lower in _REFERRING:
            found.append(match.end(1))
        elif not match.group(0).startswith(",") and word[:1].isupper() and _verb_first(lower):
            found.append(match.start(1))
    return tuple(found)


def _verb_first(word: str) -> bool:
    """True for a sentence-opening word that is a verb only ("Provides", "Emulate") or a copula ("Is")."""
    return word in ("is", "are") or terms.word_classes(word) == frozenset({"verb"})
