"""Words about words: what makes a phrase a term, how terms are keyed, what a label means.

Everything here is general English and general note-taking vocabulary, not a
list of what any particular notes contain:

* :func:`term_key` folds case, hyphenation and plurals so that "Data Lakes",
  "data-lake" and "data lake" are one term (plurals via spaCy's English lemma
  lookup table from ``spacy-lookups-data``, which ships with the package).
* :func:`clean_term` and :func:`is_term_like` decide whether a phrase can name
  a concept: short, noun-like, not a sentence, a number or a fragment.
* :func:`label_role` reads a list label ("Use cases", "Supported targets:",
  "Common consumers") as the role its items play.
* :func:`word_frequency` (spaCy's English lexeme probabilities) separates
  ordinary words from names.
* :func:`word_classes` (WordNet's lemma index, shipped in ``spacy-lookups-data``) says whether a word
  can be a noun, verb, adjective or adverb: "configure" is only a verb, "queue" a noun and a verb.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from graph.sources.lexicon import word_probability

__all__ = [
    "ADJECTIVE_ENDING",
    "ASPECT_WORDS",
    "GENERIC_WORDS",
    "PLURAL_MODIFIERS",
    "SCAFFOLD_TAIL",
    "STOP_WORDS",
    "clean_term",
    "gerund",
    "has_finite_verb",
    "heading_role",
    "instruction_verb",
    "is_common_word",
    "is_definition_label",
    "is_figure",
    "is_generic",
    "is_name_like",
    "is_term_like",
    "label_role",
    "lemma",
    "looks_like_address",
    "parenthetical",
    "singular",
    "term_key",
    "use_heading_topic",
    "word_classes",
    "word_frequency",
    "words",
]

# Words that give structure to notes rather than content. A heading or label
# made only of these (and stop words) is scaffolding, not a topic.
GENERIC_WORDS = frozenset(
    [
        "overview",
        "summary",
        "summaries",
        "note",
        "notes",
        "takeaway",
        "takeaways",
        "key",
        "point",
        "points",
        "concept",
        "concepts",
        "introduction",
        "intro",
        "conclusion",
        "conclusions",
        "recap",
        "review",
        "personal",
        "my",
        "our",
        "what",
        "why",
        "how",
        "when",
        "where",
        "who",
        "which",
        "whose",
        "whom",
        "is",
        "it",
        "its",
        "does",
        "do",
        "did",
        "work",
        "works",
        "working",
        "worked",
        "through",
        "thing",
        "things",
        "stuff",
        "misc",
        "miscellaneous",
        "other",
        "others",
        "general",
        "basic",
        "basics",
        "background",
        "detail",
        "details",
        "section",
        "sections",
        "chapter",
        "part",
        "lesson",
        "lessons",
        "week",
        "day",
        "module",
        "unit",
        "lab",
        "labs",
        "exercise",
        "exercises",
        "example",
        "examples",
        "question",
        "questions",
        "answer",
        "answers",
        "faq",
        "faqs",
        "tip",
        "tips",
        "trick",
        "tricks",
        "reference",
        "references",
        # "Resources" heads a list of links; one "Resource" is a thing of its own ("**Resource**: a manageable item")
        "resources",
        "link",
        "links",
        "further",
        "reading",
        "reading",
        "todo",
        "tbd",
        "wip",
        "draft",
        "screenshot",
        "screenshots",
        "image",
        "images",
        "asset",
        "assets",
        "diagram",
        "diagrams",
        "visual",
        "visuals",
        "table",
        "contents",
        "content",
        "toc",
        "appendix",
        "observation",
        "observations",
        "lesson",
        "learned",
        "learning",
        "learnings",
        "important",
        "remember",
        "interview",
        "memorable",
        "clarification",
        "quick",
        "real",
        "world",
        "real-world",
        "simplified",
        "plain",
        "language",
        "practical",
        "angle",
        "side",
        "aside",
        "definition",
        "definitions",
        "glossary",
        "topic",
        "topics",
        "covered",
        "cover",
        "misc",
        "end",
        "start",
        "beginning",
        "intro",
        "outro",
        "index",
        "main",
        "really",
        "teaching",
        "taught",
        "batch",
        "batches",
        "session",
        "sessions",
        "course",
        "courses",
        "class",
        "classes",
        "study",
        "studying",
        "slide",
        "slides",
        "case",
        "exam",
        "exams",
        # how notes compare things: "Key differences", "Similarities" head a comparison, they name no topic
        "difference",
        "differences",
        "similarity",
        "similarities",
        "comparison",
        "comparisons",
    ]
)

#: Last words that say how a topic is treated, not what it is: "Wordpress Example", "VPC Overview", "Trigger
#: Concepts" are an example, a summary, the ideas of the topic before them.
SCAFFOLD_TAIL = frozenset(
    "example examples demo demos walkthrough overview summary recap tips tip takeaways exercise exercises "
    "concepts basics fundamentals essentials primer".split()
)

# Stop words: closed-class English words.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "yet",
        "for",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "up",
        "down",
        "out",
        "off",
        "about",
        "as",
        "than",
        "then",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "it's",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "done",
        "have",
        "has",
        "had",
        "having",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "will",
        "would",
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "they",
        "them",
        "their",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "not",
        "only",
        "own",
        "same",
        "too",
        "very",
        "just",
        "also",
        "via",
        "per",
        "vs",
        "versus",
        "etc",
        "e.g.",
        "i.e.",
        "if",
        "else",
        "while",
        "whereas",
        "because",
        "though",
        "although",
        "whether",
        "one",
        "two",
        "three",
    ]
)

# Label vocabulary: what a list label says about its items. Matched on the
# lower-cased label with plural folded; the first role whose cue appears wins,
# so more specific cues come first.
_ROLE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "delivers_to",
        (
            "supported target",
            "target",
            "destination",
            "deliver to",
            "delivers to",
            "output",
            "sink",
            "load into",
            "loads into",
            "sends to",
            "send to",
            "writes to",
            "write to",
        ),
    ),
    ("consumed_by", ("consumer", "subscriber", "downstream", "reader", "read by", "consumed by")),
    (
        "ingests_from",
        (
            "ingestion source",
            "data source",
            "source",
            "producer",
            "ingest from",
            "ingests from",
            "input",
            "publisher",
            "upstream",
            "reads from",
            "read from",
            "collects from",
        ),
    ),
    (
        "connects_to",
        (
            "connects to",
            "connect to",
            "integrates with",
            "integrate with",
            "integration",
            "compatible with",
            "compatibility",
            "works with",
            "work with",
            "ecosystem",
            "connector",
        ),
    ),
    (
        "use_case",
        (
            "use case",
            "usecase",
            "use it when",
            "use when",
            "when to use",
            "used for",
            "use for",
            "good for",
            "ideal for",
            "best for",
            "great for",
            "example",
            "scenario",
            "suited for",
            "common uses",
            "key uses",
            "main uses",
            "typical uses",
            "use it for",
            "use them for",
            "use this for",
            "use it to",
            "they enable",
            "it enables",
            "they allow",
            "it allows",
            "lets you",
            "allows you to",
            "enables you to",
        ),
    ),
    (
        "concept",
        (
            "key point",
            "capability",
            "feature",
            "key note",
            "key concept",
            "characteristic",
            "how it work",
            "it handles",
            "what it does",
            "offers",
            "provides",
            "component",
            "concept",
            "property",
            "properties",
            "advantage",
            "limitation",
            "option",
            "mode",
            "type",
            "protocol",
            "supports",
            "includes",
            "key term",
            "terminology",
            "glossary",
        ),
    ),
)

# A label that introduces a description of the section's subject.
_DEFINITION_CUES = (
    "what it is",
    "what is",
    "definition",
    "mental model",
    "overview",
    "in short",
    "tl;dr",
    "one-sentence",
    "one sentence",
    "summary",
)

_NUMBERISH = re.compile(r"^[~≈<>+\-$€£]?\d[\d.,]*\s*(%|[a-zA-Z]{0,4}\b)")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’.+/&-]*")
_PARENS = re.compile(r"(?<!\s)\s*[\(\[][^()\[\]]{0,80}[\)\]]")
_LEADING_NUMBER = re.compile(r"^(\d+[.)]|[a-zA-Z][.)]|[-*•·▪►✔✓☐☑]+)\s+")
# Addresses, file names and IP numbers are not topics.
_URLISH = re.compile(
    # Bounded repeats: each start does bounded work, so long runs of "_" or letters stay linear.
    r"https?:|www\.|\w\.(?:com|org|net|io|html?|md|txt|json|ya?ml|png|jpe?g|pdf)\b|\w:\w{0,8}\d\w{0,8}:|_\w{1,40}\."
)
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cn", "Co", "Cs"})
_EDGE_PUNCT = " \t*_`'\"“”‘’.,;:!?|>-–—=+/\\"


@lru_cache(maxsize=1)
def _lemmas() -> dict[str, str]:
    data = resources.files("spacy_lookups_data") / "data"
    with gzip.open(str(data / "en_lemma_lookup.json.gz"), "rt", encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def _word_index() -> tuple[tuple[str, frozenset[str]], ...]:
    data = resources.files("spacy_lookups_data") / "data"
    with gzip.open(str(data / "en_lemma_index.json.gz"), "rt", encoding="utf-8") as handle:
        index = json.load(handle)
    return tuple((word_class, frozenset(lemmas)) for word_class, lemmas in sorted(index.items()))


def lemma(word: str) -> str:
    """The dictionary form of *word*, lower case ("estimates" -> "estimate"); the word itself when unknown."""
    lower = word.lower()
    return _lemmas().get(lower, lower)


@lru_cache(maxsize=65536)
def word_classes(word: str, lemma: bool = True) -> frozenset[str]:
    """The word classes English gives *word* (and its lemma): some of noun, verb, adj, adv; empty when unknown.

    >>> sorted(word_classes("configuring")), sorted(word_classes("queues")), sorted(word_classes("subnet"))
    (['verb'], ['noun', 'verb'], [])
    """
    lower = word.lower()
    base = _lemmas().get(lower, lower) if lemma else lower
    return frozenset(name for name, lemmas in _word_index() if lower in lemmas or base in lemmas)


def word_frequency(word: str) -> float:
    """Log probability of *word* in English text (spaCy's lexeme table); -25 when unknown."""
    probability = word_probability(word)
    return -25.0 if probability is None else probability


def is_common_word(word: str, threshold: float = -11.5) -> bool:
    """True when the lower-cased *word* is an ordinary, frequent English word."""
    return word_frequency(word.lower()) > threshold


def is_name_like(word: str) -> bool:
    """True when *word* reads as a proper name ("Kafka", "Splunk", "Oracle").

    A name is written capitalised at least as often as not, or is a rare word
    written capitalised nearly as often as not (technical names are often
    typed in lower case). Unknown words count as names only when written
    with capitals.
    """
    lower = word.lower()
    if lower in STOP_WORDS or lower in GENERIC_WORDS:
        return False
    low, cap = word_frequency(lower), word_frequency(lower.capitalize())
    if low <= -25.0 and cap <= -25.0:
        return word[:1].isupper()
    return cap >= low or (low < -12.5 and cap - low >= -1.0)


def gerund(word: str) -> str | None:
    """The -ing form of the verb *word* (lower case), checked against the lemma table, or None.

    >>> gerund("retrieve"), gerund("run"), gerund("deploy"), gerund("data")
    ('retrieving', 'running', 'deploying', None)
    """
    if "verb" not in word_classes(word, lemma=False) or word.endswith("ing"):
        return None
    lemmas = _lemmas()
    for form in (word + "ing", word[:-1] + "ing", word + word[-1:] + "ing", word[:-2] + "ying"):
        if lemmas.get(form) == word:
            return form
    return None


def singular(word: str) -> str:
    """The singular of an English noun *word* (lower case), via the lemma table."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is", "ics")):
        return word
    lemma = _lemmas().get(word)
    if lemma and lemma != word and len(lemma) < len(word) and word.startswith(lemma[:-1]):
        return lemma
    if lemma is None and word.endswith("ies"):
        return word[:-3] + "y"
    if lemma is None and not word.endswith("es"):
        return word[:-1]
    return word


_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]{0,8}[A-Z])s\b")


def _ends_in_acronym_s(text: str) -> bool:
    """Whether *text* ends in a word of two or more capitals whose last letter is a capital S ("HTTPS", "DDoS").

    An acronym's plural s is written small ("AZs", made singular above); a capital S is a letter of it.
    """
    match = re.search(r"([A-Za-z0-9]+)[^A-Za-z0-9]*$", text)
    word = match.group(1) if match else ""
    return word.endswith("S") and sum(c.isupper() for c in word) >= 2


@lru_cache(maxsize=65536)  # pure; every rule and the corpus step key the same surfaces again and again
def term_key(text: str) -> str:
    """A key that is the same for case, hyphen, spacing and plural variants of a term.

    >>> term_key("Data-Lakes") == term_key("data lake"), term_key("AZs"), term_key("DDoS"), term_key("LOGS")
    (True, 'az', 'ddos', 'log')
    """
    text = _ACRONYM_PLURAL.sub(r"\1", text)  # "AZs", "VMs": the plural of an acronym
    words = re.findall(r"[a-z0-9]+(?:[.+#][a-z0-9]+)*\+*", text.lower().replace("’", "'"))
    if not words:
        return ""
    # "HTTPS", "DDoS": a final capital S is a letter of the acronym, unless English knows the plural ("LOGS")
    if not _ends_in_acronym_s(text) or words[-1] in _lemmas():
        words[-1] = singular(words[-1])
    return " ".join(words)


@lru_cache(maxsize=65536)
def clean_term(text: str) -> str:
    """A phrase stripped of list markers, parentheses, emphasis marks and edge punctuation."""
    if not text.isascii():  # emoji and other symbols; checking every character of ASCII text is wasted work
        text = "".join(" " if unicodedata.category(c) in _SYMBOL_CATEGORIES or c in "\ufe0f\u200d" else c for c in text)
    text = _LEADING_NUMBER.sub("", text.strip())
    text = _PARENS.sub("", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(_EDGE_PUNCT).strip()


_FIGURE = re.compile(
    r"^(?:(?:up to|over|under|about|around|at least|at most|max(?:imum)?(?: of)?) {1,3})?"
    r"(?:[~≈<>≤≥+$€£]? ?\d|(?:single|double|triple)[- ]digit\b)"
)


def is_figure(text: str) -> bool:
    """True when *text* opens with an amount: a value or a limit, not words that explain a term.

    "Default retention: 4 days" and "Low latency (<10 ms)" give a quality its figure, "Single-digit millisecond
    latency" is one: such a lead or item is a setting or measure of its subject, not a thing it has.

    >>> is_figure("4 days, maximum of 14 days"), is_figure("<10 ms on publish"), is_figure("Single-digit ms latency")
    (True, True, True)
    >>> is_figure("ordered processing"), is_figure("Layer 7 load balancer")
    (False, False)
    """
    return bool(_FIGURE.match(text.strip().lower()))


def parenthetical(text: str) -> str | None:
    """The text inside the first parentheses of *text*, if any."""
    match = re.search(r"\(([^()]{1,80})\)", text)
    return match.group(1).strip() if match else None


def words(text: str) -> list[str]:
    """The words of *text* (letters, digits and in-word punctuation)."""
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def is_term_like(text: str, max_words: int = 5) -> bool:
    """True when *text* could name a concept: a short noun phrase, not a sentence, number or fragment."""
    if not text or len(text) > 60 or _NUMBERISH.match(text) or "," in text or ";" in text:
        return False
    tokens = words(text)
    raw = text.split()
    if not tokens or len(raw) > max_words or len(tokens) < len(raw) * 0.6:
        return False
    lower = [t.lower().strip(".") for t in tokens]
    if all(t in STOP_WORDS or t in GENERIC_WORDS for t in lower):
        return False
    if lower[0] in STOP_WORDS - {"one", "two", "three"} or lower[-1] in STOP_WORDS:
        return False
    if "?" in text or "!" in text or _URLISH.search(text):
        return False
    if len(tokens) == 1 and len(tokens[0]) < 2:
        return False
    # A phrase that ends in an adverb or a past participle is a fragment of a sentence.
    last = lower[-1]
    if len(lower) > 1 and (last.endswith("ly") or (last.endswith("ed") and not tokens[-1][0].isupper())):
        return False
    if len(lower) == 1 and ADJECTIVE_ENDING.search(lower[0]) and not is_name_like(tokens[0]):
        return False
    return not has_finite_verb(lower, [t[:1].isupper() for t in tokens])


#: Endings that make a lone word an adjective ("durable", "descriptive", "Kafka-based"), not a topic.
ADJECTIVE_ENDING = re.compile(
    r"(ive|able|ible|ous|ful|less|-based|-specific|-style|-like|-driven|-native|"
    r"-compatible|-aware|-ready|-friendly|-powered|-enabled|-only)$"
)
_FUNCTION_AFTER_NOUN = STOP_WORDS | {"multiple", "several", "many", "various", "every"}
_PREPOSITIONS = frozenset(
    [
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "via",
        "as",
        "and",
        "or",
        "per",
        "across",
        "over",
        "under",
        "like",
        "than",
    ]
)


#: Plural nouns that English uses as modifiers ("sales figures", "operations team"), not verbs.
PLURAL_MODIFIERS = frozenset(
    "sales operations systems services savings communications goods news arms sports earnings "
    "admissions customs electronics graphics physics economics mathematics statistics".split()
)


def has_finite_verb(lower: list[str], capitalised: list[bool] | None = None) -> bool:
    """True when a phrase reads as a clause: a word in -s followed by its object ("DMS moves the data").

    Plural nouns are rarely followed by anything but a preposition or the end
    of the phrase, so "-s" plus a non-preposition signals a verb.
    """
    for position, word in enumerate(lower[:-1]):
        if not word.endswith("s") or word.endswith(("ss", "us", "is", "ics", "'s", "’s")) or len(word) < 4:
            continue
        if "/" in word:
            continue  # "SSL/TLS Certificates": two names joined, no verb
        if word in PLURAL_MODIFIERS:
            continue
        if capitalised is not None and capitalised[position] and word.isalpha() and not word_classes(word):
            continue  # "Kubernetes Audit Logs": a capitalised word English does not know is a name, no verb
        following = lower[position + 1]
        if following in _PREPOSITIONS:
            continue
        if following in _FUNCTION_AFTER_NOUN or (position == 0 and len(lower) >= 3):
            return True  # "Compiles source code", "DMS moves the data"
        if capitalised is not None and capitalised[position - 1]:
            return True  # a name as subject: "CD automates deployment"
    return False


def looks_like_address(text: str) -> bool:
    """True for URLs, domain and file names, IP addresses: "www.x.com", "VPC_Security.html"."""
    return bool(_URLISH.search(text))


@lru_cache(maxsize=65536)
def is_generic(text: str) -> bool:
    """True when *text* holds only scaffolding words ("Key points", "My takeaways", "Overview")."""
    lower = [w.lower().strip(".'’") for w in words(text)]
    return not lower or all(w in GENERIC_WORDS or w in STOP_WORDS or w.isdigit() or len(w) < 2 for w in lower)


@lru_cache(maxsize=8192)
def label_role(label: str) -> str | None:
    """The role of the items a label introduces, or None.

    Roles: ``use_case``, ``concept``, and the relation roles ``delivers_to``,
    ``consumed_by``, ``ingests_from``, ``connects_to``.

    >>> label_role("**Common Consumers**")
    'consumed_by'
    """
    text = " ".join(singular(w) for w in re.findall(r"[a-z;]+", label.lower()))
    for role, pattern in _role_patterns():
        if pattern.search(text):
            return role
    return None


@lru_cache(maxsize=1)
def _role_patterns() -> list[tuple[str, re.Pattern[str]]]:
    compiled = []
    for role, cues in _ROLE_CUES:
        alternatives = "|".join(re.escape(" ".join(singular(w) for w in cue.split())) for cue in cues)
        compiled.append((role, re.compile(rf"(?:^|\s)(?:{alternatives})\b")))
    return compiled


# Words that qualify a role heading without changing it: "Common use cases", "Key features", "Main components".
_ROLE_QUALIFIERS = frozenset(
    "common typical main primary top supported possible ideal best notable important core useful".split()
)
# Headings about the notes or the exam, not the technology: "Pricing", "Limits", "Exam tips" are no topics.
_SCAFFOLD_HEADINGS = frozenset(
    "pricing price limit quota exam certification demo walkthrough power powerup cheat sheet".split()
)
# Nouns that name an aspect of a thing, not a thing: "S3 Replication Options" is no feature called "Options".
ASPECT_WORDS = frozenset(
    "option feature capability characteristic property advantage benefit limitation consideration practice "
    "use usage scenario fundamental essential cost".split()
)
# General instruction verbs that open exam objectives and study tasks ("Describe Azure Monitor",
# "Explain cloud computing", "Compare IaaS and PaaS"); the topic is what follows them.
_INSTRUCTION_VERBS = frozenset(
    "describe explain identify compare contrast define understand list outline discuss summarize summarise "
    "recognize recognise differentiate distinguish evaluate analyze analyse choose select determine learn know "
    "recall review explore examine illustrate interpret classify match name state".split()
)


def instruction_verb(word: str) -> bool:
    """True for a general instruction verb that opens a study objective ("Describe", "Explain", "Compare")."""
    return word.lower() in _INSTRUCTION_VERBS


# "When to use X", "Why use X?", "When should you choose X": the section says what X is for.
_USE_HEADING = re.compile(
    r"^\s{0,3}(?:when|why)\s{1,3}(?:(?:should|would|do|does|could|can|might)\s{1,3}(?:i|you|we|one)\s{1,3})?"
    r"(?:to\s{1,3})?(?:use|choose|pick|consider)\b(.{0,80}?)[\s?]{0,3}$",
    re.IGNORECASE,
)


def use_heading_topic(title: str) -> str | None:
    """What a "When to use X" / "Why use X?" heading is about (X), or None for any other heading.

    >>> use_heading_topic("Why use replication"), use_heading_topic("When to use it?"), use_heading_topic("Usage")
    ('replication', None, None)
    """
    match = _USE_HEADING.match(title)
    if not match:
        return None
    topic = re.sub(r"^(?:an?|the)\s+", "", clean_term(match.group(1)), flags=re.IGNORECASE)
    return topic if topic and not is_generic(topic) else None


@lru_cache(maxsize=4096)
def heading_role(title: str) -> str | None:
    """The role a heading gives its content when the heading is only a role word, or None.

    "Use cases", "Key features", "Integrations", "Example scenarios" are roles, not topics:
    their items are use cases, concepts or related services of the section's subject.
    Scaffolding headings ("Pricing", "Exam tips", "Summary") give ``"scaffold"``: no topic, no role.

    >>> heading_role("Common Use Cases")
    'use_case'
    >>> heading_role("Instance types") is None
    True
    """
    # The vendor's name changes nothing: "AWS Cloud Use Cases" are use cases ("Types of Cloud" still names a topic).
    if _USE_HEADING.match(title):
        return "use_case"  # "When to use X", "Why use X?": the items say what X is for
    title = re.sub(r"\b(?:aws|amazon|azure|microsoft|google|gcp)(?:\s{1,3}cloud)?\b", " ", title.lower())
    found = [singular(w) for w in re.findall(r"[a-z]+", title)]
    if not found:
        return None
    allowed = _allowed_in_role_heading()
    if all(w in allowed for w in found):
        return "scaffold" if any(w in _SCAFFOLD_HEADINGS for w in found) else None
    if [w for w in found if w not in allowed] == ["use"] and re.search(r"\buses\b", title):
        return "use_case"  # "Key uses", "Common uses" (not "Why use a load balancer?")
    present = set(found)
    for role, cue_words in _role_cue_words():
        if cue_words[0] not in present:  # most headings hold no cue at all: skip the window scan
            continue
        width = len(cue_words)
        for at in range(len(found) - width + 1):
            if found[at : at + width] == cue_words:
                rest = found[:at] + found[at + width :]
                if all(w in allowed for w in rest):
                    return role
    return None


@lru_cache(maxsize=1)
def _allowed_in_role_heading() -> frozenset[str]:
    """Words a role heading may hold besides its cue (made once: a note may have 50,000 headings)."""
    return GENERIC_WORDS | STOP_WORDS | _ROLE_QUALIFIERS | _SCAFFOLD_HEADINGS


@lru_cache(maxsize=1)
def _role_cue_words() -> tuple[tuple[str, list[str]], ...]:
    """Each (role, cue) of ``_ROLE_CUES`` in order, the cue as its words made singular once."""
    return tuple((role, [singular(w) for w in cue.split()]) for role, cues in _ROLE_CUES for cue in cues)


def is_definition_label(label: str) -> bool:
    """True when a label introduces a description of the section's subject ("What it is", "Overview")."""
    text = label.lower().strip(" :*")
    return any(text.startswith(cue) or text == cue for cue in _DEFINITION_CUES)
