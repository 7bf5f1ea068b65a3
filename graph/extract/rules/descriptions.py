"""Relations a description states without a relating verb.

People describe a thing by naming what it is made of, works with or offers, and leave the verb out:

* **A lead's description.** ``X: text`` / ``**X** — text`` (or ``Definition: text`` under X)
  explains X with the names in its first clause: ``Amazon MQ: managed broker (MQTT, AMQP protocols)``
  gives MQ ``has`` MQTT and AMQP; ``Storage Gateway: extends on-premises storage to S3`` gives
  ``connects_to`` S3 (a service).
* **A table row.** ``| Hybrid | Combination of Public and Private |`` describes what its first cell names the
  same way (not in a column headed by an entity of its own: that column is about that entity).
* **A subjectless item.** A list item that does not open with a subject of its own speaks of its
  subject (the section's or its parent item's): under ``## DynamoDB``,
  ``- Low cost and auto scaling capabilities`` gives DynamoDB ``has`` auto scaling. Only concepts: a
  service or product named in passing ("Storing data on disk (EBS, S3) has limits") is no feature.
* **A copula with a bare term.** ``SGs are stateful``, ``Lambda is serverless``: the name before
  "is"/"are" ``has`` the concept right after it (no article: "is a ..." is a kind, see :mod:`.cues`).

Each reads only the first clause of its block, names in text order, and never adds a second edge to a pair an
earlier rule related from the same block (a verb the cue rule read says more).

Example: under ``## Amazon DynamoDB``, ``- Standard & Infrequent Access (IA) Table Class`` gives
``service:dynamodb --has--> term:table class`` when "Table Class" is a known term.
"""

from __future__ import annotations

import bisect
import re
from itertools import pairwise

from graph.extract import terms
from graph.extract.context import Candidate, NoteContext
from graph.extract.fragments import modifies_next
from graph.extract.recorder import Recorder
from graph.extract.text import subject_openers
from graph.model import CONCEPT, SERVICE, USE_CASE

__all__ = ["apply_to_block"]

#: At most this many names of one description are related (a long list is an inventory, not a description).
_MAX_NAMES = 4
#: A description's first clause ends at a sentence stop, a semicolon or a dash that opens an aside.
_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)|\s[—–]\s|\s-\s|\s(?:when|if|unless|whereas|while)\s", re.IGNORECASE)
#: Words that open an item about something other than its subject ("The default is ...", "You can ...").
_OTHER_OPENERS = frozenset(
    "the a an this that these those it its they their there you we i your our if when where which who what how "
    "why no not never each every some any all most many both either neither one only another other for with in "
    "at by on as".split()
)
#: A word after the first that makes the first the subject ("Caches are ...", "Queues can ...").
_SUBJECT_THEN = frozenset(
    "is are was were be can could will would may might must should shall has have had do does did".split()
)
#: Words after a participle that keep it a description of the subject ("Designed for X", "Integrated with Y").
_PREPOSITIONS = frozenset("for with by to in on as from into onto via through".split())
#: Adverbs skipped when looking for the word after the first ("Rules only include ...").
_ADVERBS = frozenset("only also just often usually always never still even".split())
#: "is"/"are" right after a name (its end: where the match starts), then an adverb that keeps the complement a
#: property of the subject, or none. (The lookahead lets the engine skip to a space or an apostrophe first.)
_COPULA_AFTER_NAME = re.compile(
    r"(?=['’ \t])(?<=\w)(?:['’]s)?[ \t]+(?:is|are)[ \t]+"
    r"(?:(?:also|always|fully|highly|inherently|natively|completely|entirely|truly|mostly)[ \t]+)?",
    re.IGNORECASE,
)
#: Nouns that may follow a name and leave it the head of the phrase ("NoSQL database", "ETL service").
_CLASSIFIERS = frozenset(
    "service services database databases engine engines tool tools platform platforms solution solutions system "
    "systems store stores storage product products framework frameworks model models".split()
)
#: Between a concept and a service: "in" or "of" (with an article, "your" or the vendor), nothing else.
_FEATURE_OF = re.compile(r"[ \t]+(?:in|of)[ \t]+(?:(?:the|an?|your|amazon|aws|azure)[ \t]+)?", re.IGNORECASE)
_COMPARED = re.compile(
    r"\b(?:compared (?:to|with)|vs\.?|versus|than|instead of|rather than|unlike|similar to|same as|equivalent to)\b",
    re.IGNORECASE,
)
#: Words that say what a thing is for: what follows them is a use (the cue rule's), not a feature.
_USE_CUE = re.compile(
    r"\b(?:use cases?|(?:ideal|good|great|best|suited|suitable|designed|meant|perfect|used) for)\b", re.IGNORECASE
)
_NEXT_WORD = re.compile(r"[ \t]*([A-Za-z][\w-]*)")
#: After a name, its abbreviation in parentheses (or the end of them, after the abbreviation) and a Title Case word.
_NAME_GOES_ON = re.compile(r"(?:[ \t]*\([A-Z][A-Za-z0-9]{1,7}\)|\))[ \t]+[A-Z][a-z]")
#: After a name, a capitalised name and one of the classifier nouns ("serverless NoSQL database").
_BEFORE_CLASSIFIER = re.compile(
    r"[ \t]+[A-Z][\w-]*[ \t]+"
    r"(?i:(?:database|engine|framework|model|platform|product|service|solution|storage|store|system|tool)s?)"
    r"\b(?![ \t]+[a-z])"
)
_NEGATION = re.compile(r"\b(?:not|no|never|without|cannot|can't|don't|doesn't|isn't|aren't)\b|n't\b", re.IGNORECASE)


#: A table cell this short, in a row about an entity, is one of its values ("| Public | ... | OpEx |").
_VALUE_WORDS = 3


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Relate what a lead's description, a subjectless item or a bare copula in block *index* names."""
    block = ctx.parsed.blocks[index]
    if block.kind == "paragraph" and block.is_label:
        _speaks_of_subject(ctx, rec, index)  # "Is the basis of OpEx:" over a list
    if block.kind == "heading" or block.is_label:
        return
    entities = ctx.block_entities.get(index) or []
    lead = ctx.lead(index)
    subject = None
    framed = block.label is not None and ctx.parsed.blocks[block.label].kind != "item"  # "An engineer may:" over it
    role = ctx.role(index)
    # An item under "Features:" speaks of its subject like a subjectless item ("Provide access with a SAS")
    if (
        lead is None
        and block.kind == "item"
        and ((not framed and role is None) or role == "concept")
        and _subjectless(block.text, entities)
    ):
        subject = ctx.block_subject(index)
        if subject:
            rec.item_subject(index, subject)  # the corpus may find more terms here (graph.store.stated)
    elif block.kind in ("paragraph", "item") and (lead is None or not lead.keys):
        _speaks_of_subject(ctx, rec, index)
    elif block.kind == "cell" and len(block.text.split()) <= _VALUE_WORDS and ctx.row_entity(index):
        rec.item_subject(index, ctx.row_entity(index))  # "| Public | ... | OpEx |": the corpus may know OpEx
    if not entities:
        return
    related = set(rec.stated_pairs(index))
    described = None
    if lead is not None and lead.rest and ctx.role(index) != "use_case":
        if lead.keys and len(lead.keys) == 1:
            described = lead.keys[0]
        elif not lead.keys and terms.is_definition_label(lead.surfaces[0]):
            described = ctx.block_subject(index)  # "Definition: A shell that runs cmdlets" under Azure PowerShell
    if described:
        rest_start = len(block.text) - len(lead.rest)
        _describe(rec, index, described, block.text, rest_start, entities, related)
    elif lead is None and ctx.row_entity(index):
        # "| Hybrid | Combination of Public and Private |": a row's cell describes what its first cell names
        _describe(rec, index, ctx.row_entity(index), block.text, 0, entities, related)
    elif subject:
        _describe(rec, index, subject, block.text, 0, entities, related, concepts_only=True)
    _copulas(ctx, rec, index, entities, related)
    _feature_of(ctx, rec, index, entities, related)


def _feature_of(
    ctx: NoteContext, rec: Recorder, index: int, entities: list[Candidate], related: set[frozenset[str]]
) -> None:
    """ "Versioning in S3", "encryption of EBS": a concept right before "in"/"of" and a service is the service's.

    Not "for": "NFS for EC2 instances" is used by EC2, not a part of it. Not a service that qualifies a noun
    ("replication in the AZ of EBS volumes")."""
    text = ctx.parsed.blocks[index].text
    for concept, service in pairwise(entities):
        if concept.kind == SERVICE or service.kind != SERVICE or concept.kind == USE_CASE:
            continue
        if not _FEATURE_OF.fullmatch(text, concept.end, service.start) or _modifier(text, service):
            continue
        pair = frozenset((concept.key, service.key))
        if pair not in related:
            rec.relate(service.key, concept.key, "has", True, index)
            related.add(pair)


def _speaks_of_subject(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Record block *index* as speaking of its subject when a clause opens with a pronoun or a verb ("These provide
    IaaS"): the corpus may find terms there that the note did not (:mod:`graph.store.stated` relates them)."""
    if subject_openers(ctx.parsed.blocks[index].text):
        subject = ctx.block_subject(index)
        if subject:
            rec.subject_line(index, subject)


_OPENING_WORDS_SPLIT = re.compile(r"[\s:;=]+")


def _subjectless(text: str, entities: list[Candidate]) -> bool:
    """True when *text* opens with no subject of its own: not a name, a pronoun, a noun, or a word then a verb.

    "Provides high availability", "Fully managed NoSQL database" are; "Caches are in-memory databases",
    "Developers store code", "AWS takes care of patching" are not.
    """
    if text.rstrip().endswith("?"):
        return False  # "Are we meeting our SLA?": a question states nothing of the subject
    words = [w.strip("*_`'\"(),") for w in _OPENING_WORDS_SPLIT.split(text.strip(), maxsplit=4)[:4]]
    opens_with_name = bool(entities) and entities[0].start <= len(text) - len(text.lstrip()) + 1
    if not words or not words[0][:1].isalpha() or opens_with_name:
        return False  # a name, or no word ("0.0.0.0/0 means ..."), opens it
    if ":" in text.split(maxsplit=1)[0].rstrip(":"):
        return False  # "Subnets:Tied to an AZ": a lead written without a space
    first = words[0]
    if len(words) > 1 and words[1][:1].isdigit():
        return False  # "Layer 7 is HTTP": a numbered noun is its own subject
    if first.lower() in _SUBJECT_THEN:
        return True  # "Must enable versioning", "Can be encrypted": a modal opens a sentence about the subject
    # The word after the first (past adverbs): a verb there makes the first its subject ("Rules only include")
    second = next((w.lower() for w in words[1:] if not w.lower().endswith("ly") and w.lower() not in _ADVERBS), "")
    if first.lower() in _OTHER_OPENERS or second in _SUBJECT_THEN or (first.isupper() and len(first) > 1):
        return False
    if not first.lower().endswith("ly") and second and terms.word_classes(second) == {"verb"}:
        return False
    if first.lower().endswith("ed") and second not in _PREPOSITIONS:
        return False  # "Reviewed the template", "Compared X and Y": what the author did; not "Designed for X"
    return terms.word_classes(first) != {"noun"}  # "Developers", "Windows": a noun opens its own sentence


def _describe(
    rec: Recorder,
    index: int,
    source: str,
    text: str,
    start: int,
    entities: list[Candidate],
    related: set[frozenset[str]],
    concepts_only: bool = False,
) -> None:
    """*source* ``has`` (a concept) or ``connects_to`` (a service) each name in the first clause after *start*."""
    stop = _CLAUSE_END.search(text, start)
    end = stop.start() if stop else len(text)
    at = bisect.bisect_left([c.start for c in entities], start)
    named = 0
    for candidate in entities[at:]:
        if candidate.end > end or named >= _MAX_NAMES:
            break
        named += 1
        if _NEGATION.search(text, start, candidate.start):
            break  # "Must not have overlapping CIDR": what follows a negation is no feature
        if _modifier(text, candidate):
            continue  # "IP traffic", "global applications": the name only qualifies the noun after it
        if candidate.kind == USE_CASE or candidate.key == source or frozenset((source, candidate.key)) in related:
            continue
        if terms.word_classes(candidate.surface) == {"verb"} or _activity(candidate.surface):
            continue  # "migrate", "caching frequent queries": a doing is no feature
        if _category(text, candidate, entities):
            continue  # "BI tools (QuickSight, Tableau)": a kind of thing whose members follow, not a feature
        if set(candidate.key.split(":", 1)[-1].split()) <= set(source.split(":", 1)[-1].split()):
            continue  # "Custom metrics: push your own metrics": the lead's own head noun
        if concepts_only and _USE_CUE.search(text, start, candidate.start):
            break  # "Ideal for use cases where low-latency reads are critical": a use, not a feature
        compared = _COMPARED.search(text, start, candidate.start)
        if compared:
            opens = compared.start() - start <= 1 and len(text[compared.end() : candidate.start].split()) <= 1
            if opens and not concepts_only:
                rec.relate(source, candidate.key, "compared_with", True, index)  # "SQL MI: Similar to SQL Database"
                related.add(frozenset((source, candidate.key)))
            break  # "Up to 66% discount compared to On-Demand": the cue rule reads a comparison
        if candidate.kind == SERVICE or (concepts_only and candidate.kind != CONCEPT):
            if concepts_only:
                continue  # "Windows, Linux and OSX availability": products named in passing, no features
            relation = "connects_to"
        else:
            relation = "has"
        rec.relate(source, candidate.key, relation, True, index)
        related.add(frozenset((source, candidate.key)))


def _category(text: str, candidate: Candidate, entities: list[Candidate]) -> bool:
    """True for a plural class noun whose members are named in parentheses after it: "BI tools (QuickSight)"."""
    head = terms.words(candidate.surface)[-1].lower()
    if head not in _CLASSIFIERS or terms.singular(head) == head or not text.startswith(" (", candidate.end):
        return False
    close = text.find(")", candidate.end)
    return any(candidate.end < other.start < close for other in entities)


def _activity(surface: str) -> bool:
    """True for a gerund and its plural object ("caching frequent queries"): something done, not a feature."""
    found = terms.words(surface)
    if len(found) < 2 or not found[0].lower().endswith("ing") or "verb" not in terms.word_classes(found[0].lower()):
        return False
    last = found[-1].lower()
    return terms.singular(last) != last


def _modifier(text: str, candidate: Candidate) -> bool:
    """True when the word right after *candidate* makes it a modifier of a noun ("IP traffic", "OS patching")."""
    if candidate.end < len(text) and (text[candidate.end].isalnum() or text[candidate.end] in "-_"):
        return True  # the name ends inside a longer word
    before = text[max(0, candidate.start - 40) : candidate.start]
    if "-" in candidate.surface and modifies_next(candidate.surface, text[candidate.end : candidate.end + 60], before):
        return True  # "High-performance RDS database": a hyphenated compound is a quality of the noun it precedes
    if _NAME_GOES_ON.match(text, candidate.end) and (text[candidate.end] != ")" or text[candidate.start - 1] == "("):
        return True  # "Infrequent Access (IA) Table Class": the name and its abbreviation qualify "Table Class"
    match = _NEXT_WORD.match(text, candidate.end)
    if match is None:
        return False
    word = match.group(1).lower()
    if word in terms.STOP_WORDS or word in _CLASSIFIERS or word.endswith("ly"):
        return False
    # "serverless NoSQL database": a name before another that heads a classifier says what the thing is
    return not _BEFORE_CLASSIFIER.match(text, candidate.end)


def _copulas(
    ctx: NoteContext, rec: Recorder, index: int, entities: list[Candidate], related: set[frozenset[str]]
) -> None:
    """ "SGs are stateful": the name right before "is"/"are" has the concept right after it."""
    if len(entities) < 2:
        return
    text = ctx.parsed.blocks[index].text
    starts = [c.start for c in entities]
    ends = {c.end: at for at, c in enumerate(entities)}
    for match in _COPULA_AFTER_NAME.finditer(text):
        before_at = ends.get(match.start())
        after_at = bisect.bisect_left(starts, match.end())
        if before_at is None or after_at >= len(entities) or starts[after_at] != match.end():
            continue
        source, target = entities[before_at], entities[after_at]
        if target.kind in (SERVICE, USE_CASE) or source.kind == USE_CASE or source.key == target.key:
            continue
        if frozenset((source.key, target.key)) in related or _modifier(text, target):
            continue
        rec.relate(source.key, target.key, "has", True, index)
        related.add(frozenset((source.key, target.key)))
