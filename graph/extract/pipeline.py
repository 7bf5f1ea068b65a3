"""The spaCy pipeline: a blank English pipeline with Notes Graph's components.

No trained model is needed. :func:`make_pipeline` returns
``spacy.blank("en")`` with

* ``sentencizer`` (spaCy's rule-based sentence splitter);
* ``notes_services``: a PhraseMatcher over every alias in the service catalog,
  putting the longest non-overlapping matches in ``doc.spans["services"]``
  (label: the catalog id; ``span._.service_support`` says how much support the
  match needs, see :class:`ServiceMatcher`);
* ``notes_cues``: a PhraseMatcher for the words that signal a relation ("vs",
  "whereas", "part of", "integrates with", "is a", ...), putting matches in
  ``doc.spans["cues"]`` (label: the cue's kind).
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from graph.sources.catalog import Catalog, load_catalog
from graph.sources.lexicon import word_probability

__all__ = [
    "BARE",
    "PIPELINE_VERSION",
    "SURE",
    "WEAK",
    "CueMatcher",
    "ServiceMatcher",
    "cue_phrases",
    "make_pipeline",
    "pipeline_catalog",
    "pipeline_catalog_path",
    "service_options",
    "service_support",
]

#: Bump when the pipeline or extraction rules change: cached extractions are keyed on it.
PIPELINE_VERSION = "3"

# Cue kinds and the phrases that signal them: general English, not notes-specific. A
# PhraseMatcher finds them (hash lookups, far cheaper than token patterns with sets).
_CUE_PHRASES: dict[str, str] = {
    "compare": "vs | vs. | versus | whereas | unlike | not like | compared to | compared with | comparison with | "
    "in contrast | in contrast to | in contrast with | contrasted with | rather than | instead of",
    # Compared with what the sentence is about: "(X is) an alternative to Y", "better than Y".
    "similar": "alternative to | alternatives to | similar to | same as | better than | cheaper than | faster than | "
    "than | % of | percent of | fraction of | "
    "different from | differs from | difference with | equivalent to | equivalent of | counterpart of",
    "part_of": "part of | member of | members of | component of | belongs to | family includes | suite includes",
    "connects_to": "integrates with | integrate with | integrated with | integrating with | integrates directly with | "
    "connects to | connect to | connected to | connecting to | works with | work with | compatible with | "
    "integration with | integrations with | in conjunction with | together with | attached to | attaches to | "
    "associated with | leverages | leverage | leveraging | connect with | connects with | connected with",
    "triggers": "triggers | invokes | orchestrates | orchestrate",
    # The verb alone: the extractor looks for its preposition ("to", "from") a few words on.
    "delivers_to": "delivers | deliver | delivering | loads | load | sends | send | writes | write | streams | "
    "publishes | pushes | lands | landed | landing | moves | move | migrates | migrate | replicates | archives | "
    "archive | exports | ships | replicate | copies | copy | forwards | forward | routes | route | synchronizes | "
    "synchronises | synchronization | synchronisation | syncs | sync | replication",
    "ingests_from": "ingests | ingest | reads | read | collects | captures | capture | pulls | consumes | receives | "
    "imports | queries | query | polls | poll",
    "used_for": "used for | use for | ideal for | good for | great for | best for | designed for | built for | "
    "suited for | useful for | suitable for | perfect for | meant for | intended for | candidate for | "
    "excellent for | a fit for | used to | use to | use it to | use cases include | use cases are | "
    "use cases such as | typical uses include | common uses include | helps with | help with | "
    "service for | tool for | platform for | solution for | allows you to | allow you to | allows to | lets you | "
    "let you | helps you | help you | helps to | a way to | ways to | helps | allow for | allows for | if you need | "
    "when you need | if you require",
    "has": "provides | provide | offers | offer | includes | include | supports | handles | uses | adds | "
    "enables | "
    "has | exposes | manages | runs | have | contains | stores | comes with | consists of | made up of | composed of",
    "depends_on": "depends on | depend on | dependent on | relies on | rely on | requires | require | built on | "
    "runs on | run on | running on | backed by | powered by | on top of | based on | deploy on | deployed on | "
    "deploys on | must enable | must first enable",
    # "Kept in sync using X": read only where nothing before it in its sentence names a doer (rules/cues.py).
    "using": "using",
    # Acting on something: "GuardDuty analyzes VPC Flow Logs", "a CMK generates the data key", "NACLs filter traffic".
    "acts_on": "monitors | monitor | protects | protect | secures | encrypts | encrypt | decrypts | decrypt | "
    "filters | filter | controls | control | governs | tracks | analyzes | analyses | analyze | inspects | scans | "
    "audits | improves | improve | influences | affects | generates | generate | enforces | enforce | caches",
    # A verb with two objects: "associate a route table with a subnet", "connect AAD to Active Directory".
    "joins": "connect | connects | associate | associates | attach | attaches | combine | combines | pair | pairs",
    "kind_of": "type of | kind of | form of | variant of | flavour of | flavor of | example of",
    "replaces": "replaces | replace | replacing | replaced | successor to | successor of | supersedes",
    # Passive voice: the name after "by" acts on the name before ("X is triggered by Y": Y triggers X).
    "passive:triggers": "triggered by | invoked by | orchestrated by | started by | started via | triggered via | "
    "invoked via",
    "passive:replaces": "replaced by | superseded by",
    "passive:has": "provided by | offered by | supported by | included in | included with | contained in | "
    "stored in | stored on | managed by | used by",
    # "X is the basis of Y": Y depends on X.
    "passive:depends_on": "required by | needed by | basis of | basis for | foundation of | foundation for",
    "passive:acts_on": "encrypted by | encrypted with | encrypted using | protected by | monitored by | generated by | "
    "generated using | secured by | filtered by | controlled by | analyzed by | analysed by | tracked by | audited by",
    "define": "is a | is an | is the | is aws's | is amazon's | is aws’s | is amazon’s | are a | are an | are the | "
    "refers to | means | stands for | =",
}


def cue_phrases() -> dict[str, list[str]]:
    """Cue kind -> the phrases that signal it ("connects_to": ["integrates with", ...]), as the matcher reads them."""
    return {kind: [p.strip() for p in phrases.split(" | ")] for kind, phrases in _CUE_PHRASES.items()}


#: A word at least this frequent in English (log probability, lower case) is an everyday word.
EVERYDAY_WORD_MIN_PROB = -13.5
_SHORT_ACRONYM = re.compile(r"^[A-Z0-9]{2,4}$")

#: How much support a service match needs (``span._.service_support``): none, some in the note, a little.
SURE, BARE, WEAK = "sure", "bare", "weak"
Span.set_extension("service_support", default=SURE, force=True)
#: Every catalog entry whose alias a service span's text is (one per vendor that has the name), for
#: :mod:`graph.extract.vendors` to choose from by the note's own words.
Span.set_extension("service_options", default=(), force=True)


def service_support(span: Span) -> str:
    """``span._.service_support``, read only from a Doc that holds extension values at all.

    spaCy keeps extension values in ``doc.user_data``; the matcher writes them only for the few mentions that
    need support or have several vendors, so most Docs hold none and every span of theirs has the default
    (an extension read costs microseconds, and the vendor and support rules read every mention).

    >>> doc = make_pipeline()("Run Glue jobs on Amazon S3")
    >>> [service_support(s) for s in doc.spans["services"]]
    ['bare', 'sure']
    """
    return span._.service_support if span.doc.user_data else SURE


def service_options(span: Span) -> tuple[str, ...]:
    """``span._.service_options`` (every vendor's entry of a shared name), read as :func:`service_support` is."""
    return span._.service_options if span.doc.user_data else ()


@Language.factory("notes_services", default_config={"catalog_path": ""})
def make_service_matcher(nlp: Language, name: str, catalog_path: str) -> ServiceMatcher:
    """Factory for the catalog matcher; ``catalog_path`` empty means the bundled catalog."""
    return ServiceMatcher(nlp, _catalog(catalog_path or None))


@Language.factory("notes_cues")
def make_cue_matcher(nlp: Language, name: str) -> CueMatcher:
    """Factory for the relation-cue matcher."""
    return CueMatcher(nlp)


class ServiceMatcher:
    """Finds catalog services in a Doc: ``doc.spans["services"]``, one span per mention.

    Aliases that are ordinary English words ("Glue", "Batch", "Support") are
    matched only as written (capitalised) and never when a number follows
    ("Batch 3" is an enumeration). Their spans carry ``span._.service_support == BARE``
    so the extractor can ask for corroboration elsewhere in the note. Rarer words
    that are still mostly written in lower case ("Lambda", "Chatbot") are
    matched as written and carry ``WEAK``: they need less support. Others are ``SURE``.
    """

    def __init__(self, nlp: Language, catalog: Catalog) -> None:
        self.catalog = catalog
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.bare: set[tuple[str, str]] = set()
        self.common_words: set[str] = set()
        exact: dict[str, list[Doc]] = {}
        folded: dict[str, list[Doc]] = {}
        self.weak: set[tuple[str, str]] = set()
        for entry in catalog.entries.values():
            common = set(entry.common_word_aliases)
            lowercase = set(entry.lowercase_word_aliases)
            for alias in entry.aliases:
                if alias in lowercase:
                    exact.setdefault(entry.id, []).append(nlp.make_doc(alias))
                    self.weak.add((entry.id, alias))
                elif alias in common:
                    exact.setdefault(entry.id, []).append(nlp.make_doc(alias))
                    self.bare.add((entry.id, alias))
                    self.common_words.add(alias.split()[-1].lower())
                elif entry.vendor != "aws" and _everyday_phrase(alias) and len(catalog.options(alias)) == 1:
                    # Other clouds' names made of everyday words ("Network Security", "Virtual Machines")
                    # are matched as written or in sentence case ("Virtual machines" in a heading), so the
                    # phrase in running text ("network security") stays a phrase. A name another cloud has
                    # too ("pricing calculator") is matched in any case, the note's cloud then decides.
                    sentence_case = alias[:1].upper() + alias[1:].lower()
                    for form in dict.fromkeys((alias, sentence_case)):
                        exact.setdefault(entry.id, []).append(nlp.make_doc(form))
                elif _SHORT_ACRONYM.match(alias):
                    # "MQ", "DMS": matched as written, so "dms" or "mq" in other words never match.
                    exact.setdefault(entry.id, []).extend(nlp.make_doc(form) for form in self._numbers(alias))
                else:
                    # A singular made from a name ("AWS Managed Service") can be an everyday phrase ("an AWS
                    # managed service"): it is matched as written only. Plurals ("cloudtrails") in any case.
                    for form in self._numbers(alias):
                        plain = form == alias or len(form) > len(alias)
                        (folded if plain else exact).setdefault(entry.id, []).append(nlp.make_doc(form))
        vendors = catalog.vendors
        #: Entry id -> (its vendor's place in catalog order, id): the first option of a shared name.
        self._rank = {
            e.id: (vendors.index(e.vendor) if e.vendor in vendors else len(vendors), e.id)
            for e in catalog.entries.values()
        }
        #: Entries with a name that needs support: every other match is SURE without looking at its text.
        self._unsure_ids = frozenset(entry_id for entry_id, _ in self.bare | self.weak)
        for key, docs in exact.items():
            self.exact.add(key, docs)
        for key, docs in folded.items():
            self.folded.add(key, docs)

    def _numbers(self, alias: str) -> list[str]:
        """*alias* and its other number (:func:`_with_plural`), unless that is a name of its own in the catalog."""
        return [alias] + [form for form in _with_plural(alias)[1:] if not self.catalog.options(form)]

    def __call__(self, doc: Doc) -> Doc:
        matches = self.folded(doc) + self.exact(doc)
        if not matches:  # most blocks name no service: nothing to filter or sort
            doc.spans["services"] = []
            return doc
        found: dict[tuple[int, int], list[str]] = {}
        # Each doc[i] makes a new Token, but the checks read only a token or two around a match (not all of them).
        size = len(doc)
        strings = doc.vocab.strings
        for match_id, start, end in matches:
            # "Batch 3", "AWS Batch 3": a common word before a number is an enumeration.
            if end < size and doc[end - 1].lower_ in self.common_words and doc[end].like_num:
                continue
            if _inside_code_word(doc, start, end):
                continue  # "SSE-KMS", "EFS-IA": a code of its own that holds the name, not the service
            found.setdefault((start, end), []).append(strings[match_id])
        spans = []
        shared: dict[tuple[int, int], tuple[str, ...]] = {}
        for (start, end), labels in found.items():
            if len(labels) > 1:
                # A name several vendors share ("Cloud Shell") matches once per vendor: one span, every option kept.
                labels = shared[(start, end)] = tuple(sorted(set(labels), key=self._rank.__getitem__))
            spans.append(Span(doc, start, end, label=labels[0]))
        kept = spans if len(spans) == 1 else sorted(filter_spans(spans), key=lambda s: s.start)
        for span in kept:
            support = self.support(span.label_, span.text) if span.label_ in self._unsure_ids else SURE
            if support != SURE:
                span._.service_support = support
            options = shared.get((span.start, span.end))
            if options is not None and len(options) > 1:
                span._.service_options = options
        doc.spans["services"] = kept
        return doc

    def support(self, entry_id: str, text: str) -> str:
        """How much support a mention of *entry_id* written as *text* needs: SURE, BARE or WEAK."""
        if (entry_id, text) in self.bare:
            return BARE
        if (entry_id, text) in self.weak:
            return WEAK
        return SURE


def _inside_code_word(doc: Doc | list[Token], start: int, end: int) -> bool:
    """Whether tokens *start*..*end* (of a Doc, or of the list of its tokens) are one part of a hyphenated code
    word of capitals: "SSE-KMS", "EFS-IA".

    The code names a thing of its own (an encryption mode, a storage class) that holds the service's name;
    an adjective made from the name ("S3-compatible", "KMS-encrypted") still names the service.

    >>> nlp = spacy.blank("en")
    >>> _inside_code_word(nlp("Use SSE-KMS now"), 3, 4), _inside_code_word(nlp("S3-compatible storage"), 0, 1)
    (True, False)
    """
    before = start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_
    before = before and not doc[start - 1].whitespace_ and _code_part(doc[start - 2].text)
    after = end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
    after = after and not doc[end].whitespace_ and _code_part(doc[end + 1].text)
    return before or after


def _code_part(word: str) -> bool:
    """A part of a code word: capitals and digits, two or more, at least one capital ("SSE", "IA", "S3")."""
    return len(word) >= 2 and word.isupper() and word.isalnum()


def _with_plural(alias: str) -> tuple[str, ...]:
    """*alias* and its other number as people write it: "VPCs", "cloudtrails", "API Gateways", "AWS Organization".

    A plural for a name ending in a letter other than "s" (and not a consonant before "y"); a singular
    for a name of several words whose last word is a plural in "s" ("AWS Organizations", "Step Functions").

    >>> _with_plural("VPC"), _with_plural("API Gateway"), _with_plural("AWS Organizations")
    (('VPC', 'VPCs'), ('API Gateway', 'API Gateways'), ('AWS Organizations', 'AWS Organization'))
    """
    words = alias.split()
    last = words[-1] if words else ""
    if len(last) < 3 or not last[-1].isalpha():
        return (alias,)
    if last[-1] in "sS":
        if len(words) > 1 and len(last) > 4 and last[-2:].lower() not in ("ss", "us", "is"):
            return (alias, alias[:-1])
        return (alias,)
    if last[-1] in "xXzZ" or (last[-1] in "yY" and last[-2].lower() not in "aeiou"):
        return (alias,)
    return (alias, alias + "s")


def _everyday_phrase(alias: str) -> bool:
    """Several words, each an everyday English word ("virtual machines", "data catalog")."""
    words = alias.split()
    if len(words) < 2:
        return False
    for word in words:
        prob = word_probability(word.lower())
        if not word.isalpha() or prob is None or prob < EVERYDAY_WORD_MIN_PROB:
            return False
    return True


class CueMatcher:
    """Finds relation cues in a Doc: ``doc.spans["cues"]`` labelled with the cue kind."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind, phrases in _CUE_PHRASES.items():
            self.matcher.add(kind, [nlp.make_doc(p.strip()) for p in phrases.split(" | ")])

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        if not matches:  # most blocks hold no cue: nothing to filter or sort
            doc.spans["cues"] = []
            return doc
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in matches]
        doc.spans["cues"] = spans if len(spans) == 1 else sorted(filter_spans(spans), key=lambda s: s.start)
        return doc


@lru_cache(maxsize=4)
def _catalog(path: str | None) -> Catalog:
    return load_catalog(path)


def make_pipeline(catalog_path: str | None = None) -> Language:
    """The Notes Graph pipeline on a blank English model (cached: set-up is paid once)."""
    # One cache key for the bundled catalog however it is asked for (no argument, None or "").
    return _make_pipeline(str(catalog_path) if catalog_path else "")


@lru_cache(maxsize=4)
def _make_pipeline(catalog_path: str) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("notes_services", config={"catalog_path": catalog_path})
    nlp.add_pipe("notes_cues")
    return nlp


def pipeline_catalog(nlp: Language) -> Catalog:
    """The service catalog a pipeline from :func:`make_pipeline` matches against."""
    return nlp.get_pipe("notes_services").catalog


def pipeline_catalog_path(nlp: Language) -> str | None:
    """The catalog file a pipeline from :func:`make_pipeline` was made for (``None``: the bundled one)."""
    return nlp.get_pipe_config("notes_services")["catalog_path"] or None
