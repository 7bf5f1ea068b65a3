"""Relations signalled by cue words (the pipeline's ``cues`` spans), in the order they appear.

* A comparison cue ("vs", "versus", "whereas", "compared to") compares the names on either side
  (or the capitalised words right beside it): ``compared_with``, both mentioned (how: "comparison").
  "An alternative to", "similar to", "better than" compare what the clause is about with the name after.
* A verb relates its subject to its object, typed by the verb: "integrates with" (``connects_to``),
  "delivers to" / "replicates to" (``delivers_to``), "reads from" (``ingests_from``), "supports",
  "includes", "stores" (``has``), "triggers" (``triggers``), "depends on", "runs on", "is backed by"
  (``depends_on``), "is a type of" (``kind_of``), "replaces" (``replaces``). The subject is the
  nearest name before the cue in its clause, skipping relative clauses (", which ...,") and
  parentheses; a sentence that opens with the verb ("Integrates with S3") acts for the block's
  subject, and so does a participle after a comma (", replacing X"). The objects are the first name
  after the cue (after its preposition, for a data-moving verb) and the names listed with it
  ("S3, Redshift and OpenSearch"). Passive voice flips the direction: "X is triggered by Y" is
  ``Y --triggers--> X``. Use cases are left to "used for" and the labels.
* "X is a Y" (a definition cue right after a name, a name within a few words after) gives ``kind_of``.
* "used for" relates the last service before it (or the subject) to the names or the phrase after it.

Each sentence is read once and each cue looks only a bounded distance either side, so a run-on
sentence with thousands of names stays linear.

Examples: ``Kinesis vs SQS`` gives ``service:kinesis --compared_with--> service:sqs``;
``Firehose delivers to S3 and Redshift`` gives ``delivers_to`` from Firehose to each;
``Lambda is triggered by SQS`` gives ``service:sqs --triggers--> service:lambda``.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Span

from graph.extract import terms
from graph.extract.context import Candidate, NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import gerund_phrase, keep_term, listed, use_case_phrase, use_case_phrases
from graph.model import SERVICE, USE_CASE, term_node_key

__all__ = ["apply_to_block"]

#: How many names on each side of a cue are considered.
_CUE_REACH = 8
#: How many cues of one sentence are read: a run-on line full of verbs costs no more than this.
_CUES_PER_SENTENCE = 12
#: Objects of one verb: enough for "delivers to S3, Redshift and OpenSearch".
_MAX_OBJECTS = 6
#: How far (characters) a verb looks back for its subject and ahead for its object.
_LOOK_BACK = 250
_OBJECT_GAP_WORDS = 4
#: How many words may stand between a subject and its verb ("SQS can also be used to ...").
_SUBJECT_GAP_WORDS = 4

# A data-moving verb signals a relation only with its preposition a few words on ("loads streams into S3").
_CUE_PREPOSITIONS = {
    "delivers_to": frozenset({"to", "into", "in", "onto"}),
    "ingests_from": frozenset({"from", "in", "over", "on"}),
}
_FROM = frozenset({"from"})
#: The relation each verb kind records (a kind not listed records itself).
_RELATION_OF = {"similar": "compared_with", "using": "has"}
#: Words that may open a sentence before its verb without naming a subject ("It also integrates with S3").
_SUBJECTLESS = frozenset(
    "it its this they these which that can could may might will would must should also often usually typically "
    "automatically directly natively fully easily is are be was and then you we 's ’s a an the almost not just thanks "
    "to due via through - *".split()
)
# Where a clause starts, looking back from a verb: a sentence stop, a semicolon, a conjunction that opens a clause.
_CLAUSE_BREAK = re.compile(r"[.;!?]\s|\s(?:but|while|whereas|although|because|so|if|when|unless)\s", re.IGNORECASE)
# A relative clause or a parenthesis closed before the verb: the names in it are not the verb's subject.
_ASIDE = re.compile(r",\s*(?:which|who|that|where)\b[^,;()]{0,150},|\([^()]{0,150}\)", re.IGNORECASE)
# Examples of a noun after the verb: the names after "such as" are the objects ("works with tools such as Maven").
_EXAMPLES = re.compile(r"\b(?:such as|like|e\.g\.|eg|including|for example|i\.e\.)", re.IGNORECASE)
# "X use cases that require Y": the relative pronoun's antecedent is the noun before it, not X.
_RELATIVE = re.compile(r"\s*\w[\w\s-]*\b(?:that|which|who)\s*$", re.IGNORECASE)
_RELATIVE_OPENER = re.compile(r"\s*(?:which|who|that)\b", re.IGNORECASE)
_COORDINATED = re.compile(r"\b(?:and|or|then)\s+\S+\s*$|\b(?:and|or|then)\s*$", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^()]{0,150}\)")
# A word, then a preposition of means, between a verb and a name: the name is the means, not the object.
_INSTRUMENT = re.compile(r"\w\s+(?:using|via|through|with|by)\s", re.IGNORECASE)
# A sentence that opens with one of these speaks of what the sentence before it was about ("It can move ...").
_PRONOUNS = frozenset({"it", "this", "they", "these", "its", "their"})
# "The queue has ...": a sentence that opens with a noun phrase of its own is not about the section's subject.
_DETERMINERS = frozenset({"the", "a", "an", "each", "every", "some", "any", "all", "our", "your", "my", "no"})
# What may follow the head noun of a description: its end, a parenthesis, a comma, or one classifier word
# ("RDS database", "ETL service"); anything else means the name only modifies the head ("latency streaming").
_HEAD_NOUN_END = re.compile(
    r"\s*(?:$|\.?$|[,;(]|(?:service|database|engine|tool|platform|solution|system|store|storage|product|offering|"
    r"framework|model|network|server|language)s?\b)",
    re.IGNORECASE,
)
_KIND_THEN_EXAMPLES = re.compile(r"\s*(?:[\w-]+\s*)?\(\s*(?:e\.g\.|eg|such as|like)?[\s,]*$", re.IGNORECASE)
_COPULA = frozenset({"is", "are", "was", "were", "'s", "be", "one"})
_DEFINE_CUES = frozenset({"is a", "is an", "are a", "are an"})


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Relations signalled by words: "X vs Y", "X whereas Y", "integrates with", "delivers to", "provides"."""
    block = ctx.parsed.blocks[index]
    if block.kind == "heading":
        _heading_comparison(ctx, rec, index)
        return
    doc = ctx.docs[index]
    subject = ctx.block_subject(index)
    entities = ctx.block_entities[index]
    _described_as(ctx, rec, index, subject, entities)
    cues = ctx.cues(index)
    if not cues:
        return
    subject = _subject_in_turn(ctx, index, subject)
    starts = [c.start for c in entities]
    service_tokens = {i for s in ctx.services(index) for i in range(s.start, s.end)}
    # A cue word inside a name is part of the name ("Application Load Balancer", "Kinesis Data Streams").
    cues = [c for c in cues if c.start not in service_tokens and not _inside(entities, starts, c.start_char)]
    read: dict[int, int] = {}
    for number, cue in enumerate(cues):
        kind = cue.label_
        sent = ctx.sentence_of(index, cue.start)
        mid_sentence = cue.start > sent.start and not doc[cue.start - 1].is_punct
        if cue.text[:1].isupper() and mid_sentence and kind not in ("compare", "define"):
            continue  # "Object Access Control List": a capitalised word mid-sentence is part of a name
        read[sent.start] = read.get(sent.start, 0) + 1
        if read[sent.start] > _CUES_PER_SENTENCE:
            continue
        lo, hi = sent.start_char, sent.end_char
        # Only the few names on each side of the cue matter; slicing by position keeps a run-on
        # sentence with thousands of names linear.
        at = bisect.bisect_left(starts, cue.start_char)
        before = [c for c in entities[max(0, at - _CUE_REACH) : at] if lo <= c.start and c.end <= cue.start_char]
        after = [c for c in entities[at : at + _CUE_REACH] if cue.end_char <= c.start and c.end <= hi]
        if kind == "define":
            _is_a(rec, index, block.text, cue, before, after, hi)
        elif kind == "compare":
            _compare(ctx, rec, index, block.text, cue, sent, subject, before, after)
        elif kind == "joins":
            _joins(rec, index, block.text, doc, cue, sent, after)
        elif kind == "used_for":
            _used_for(ctx, rec, index, block.text, cue, sent, subject, before, after, hi)
        else:
            if kind == "using" and (
                before or cue.start == sent.start or any(_acting(doc, c, sent) for c in _earlier(cues, number, sent))
            ):
                continue  # "query S3 data using SQL", "alternative to using EC2", "Using X allows": no manner
            acting = subject
            if doc[sent.start].lower_ in _PRONOUNS and not before and sent.start > 0:
                acting = _previous_subject(ctx, index, sent, entities, starts) or subject
            # The objects of a verb end where the next cue starts ("supports integration with X": X is integrated)
            later = _next_verb(cues, number, sent)  # "alternative to using X": X
            following = later.start_char if later else sent.end_char
            # The objects of the cue before this one are not its subject ("faster than X, cheaper than Y")
            if kind == "similar" and number and cues[number - 1].start >= sent.start:
                before = [c for c in before if c.end <= cues[number - 1].start_char]
            _verb(rec, index, block.text, doc, cue, sent, acting, before, after, min(following, sent.end_char))


def _earlier(cues: list[Span], number: int, sent: Span) -> list[Span]:
    """The cues of *sent* before cue *number*: a walk back that stops at the sentence, so a long block stays linear."""
    j = number
    while j > 0 and cues[j - 1].start >= sent.start:
        j -= 1
    return cues[j:number]


def _next_verb(cues: list[Span], number: int, sent: Span) -> Span | None:
    """The next cue of *sent* after cue *number* that is not "using" (which names a means, not a new verb)."""
    for j in range(number + 1, len(cues)):
        if cues[j].start >= sent.end:
            return None
        if cues[j].label_ != "using":
            return cues[j]
    return None


def _cue_between(cues: tuple[Span, ...], kind: str, start: int, end: int) -> bool:
    """True if a cue of *kind* (of *cues*, a block's, sorted) starts between characters *start* and *end*; a binary
    search, so a block of many short sentences is not scanned once per cue."""
    for at in range(bisect.bisect_left(cues, start, key=lambda c: c.start_char), len(cues)):
        if cues[at].start_char >= end:
            return False
        if cues[at].label_ == kind:
            return True
    return False


#: Words before a cue word that make it a noun ("kept in sync", "the replication"), not a verb.
_NOUN_MARKERS = frozenset({"in", "of", "a", "an", "the"})


def _acting(doc: Doc, cue: Span, sent: Span) -> bool:
    """True for a cue of *sent* used as a verb: one that opens it, or follows anything but a preposition or article."""
    return cue.start == sent.start or (cue.start > sent.start and doc[cue.start - 1].lower_ not in _NOUN_MARKERS)


#: How many blocks back a section about several things is searched for the one the text turned to.
_TURN_REACH = 3


def _subject_in_turn(ctx: NoteContext, index: int, subject: str | None) -> str | None:
    """In a section about several things ("SQS vs Kinesis"), the one the text turned to last.

    A paragraph that opens with one of them ("Kinesis is designed for huge scale ingestion.") makes it what the
    next subjectless lines speak of ("Designed for data ingestion, analytics."); elsewhere the block's subject.
    """
    block = ctx.parsed.blocks[index]
    several = ctx.subjects.get(block.section, [])
    if len(several) < 2 or subject not in several or block.label is not None or block.kind == "cell":
        return subject
    if not all(key.startswith("service:") for key in several):
        return subject  # "VPC Flow Logs": a feature and its service, one thing to speak of
    for at in range(index, max(-1, index - _TURN_REACH - 1), -1):
        other = ctx.parsed.blocks[at]
        if other.section != block.section or other.kind == "heading":
            break
        named = ctx.block_entities.get(at) or []
        if named and named[0].key in several and named[0].start <= 1:
            return named[0].key
    return subject


def _heading_comparison(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """ "## Global Accelerator vs CloudFront": a heading that compares states the comparison."""
    text = ctx.parsed.blocks[index].text
    entities = ctx.block_entities[index]
    for cue in ctx.cues(index):
        if cue.label_ == "compare" and cue.text.lower() in ("vs", "vs.", "versus"):
            before = [c for c in entities if c.end <= cue.start_char]
            after = [c for c in entities if c.start >= cue.end_char]
            _compare(ctx, rec, index, text, cue, ctx.sentence_of(index, cue.start), None, before, after)


def _inside(entities: list[Candidate], starts: list[int], offset: int) -> bool:
    at = bisect.bisect_right(starts, offset) - 1
    return at >= 0 and entities[at].start <= offset < entities[at].end


def _compare(
    ctx: NoteContext,
    rec: Recorder,
    index: int,
    text: str,
    cue: Span,
    sent: Span,
    subject: str | None,
    before: list[Candidate],
    after: list[Candidate],
) -> None:
    """ "X vs Y", "X whereas Y": the names (or capitalised words) either side are compared."""
    left = before[-1:] if cue.text.lower() in ("vs", "vs.", "versus") else before[:1]
    right = after[:1]
    if not left:
        left = _adjacent_word(ctx, text, cue.start_char, before=True)
    if not right:
        right = _adjacent_word(ctx, text, cue.end_char, before=False)
    if not left and subject and cue.start == sent.start:
        # "Comparison with SNS:", "Not like RDS" under a section about something: the subject is compared
        alike = _alike_subject(ctx, index, subject, right[0].key) if right else subject
        left = [Candidate(alike, alike, "")]
    for a in left:
        for b in right:
            if a.key != b.key:
                if a.kind:
                    rec.mention(a.key, a.surface, a.kind, "comparison", index)
                rec.mention(b.key, b.surface, b.kind, "comparison", index)
                rec.relate(a.key, b.key, "compared_with", True, index)


#: "associate X with Y": the words between the verb's first object and "with"/"to" ("you create"), at most.
_JOINED_GAP_WORDS = 3
_CONDITIONS = frozenset({"if", "unless", "when", "whenever"})
_JOINED_BY = re.compile(r"\b(?:with|to)\b", re.IGNORECASE)


def _joins(rec: Recorder, index: int, text: str, doc: Doc, cue: Span, sent: Span, after: list[Candidate]) -> None:
    """ "associate a custom route table with a subnet", "connect AAD to Active Directory": a verb with two
    objects joins them (``connects_to`` from the first to the second). A negation says they do not go
    together ("you cannot associate X with Y"), unless it is a condition's ("if you don't associate X with Y")."""
    if len(after) < 2 or (_negated(doc, cue.start, sent.start) and doc[sent.start].lower_ not in _CONDITIONS):
        return
    first, second = after[0], after[1]
    clause_end = _clause_end(text, cue.end_char, sent.end_char)
    if second.end > clause_end or first.kind == USE_CASE or second.kind == USE_CASE:
        return
    if not _near(_PARENTHESIS.sub(" ", text[cue.end_char : first.start])):
        return  # the first object is right after the verb ("associate a custom route table")
    between = text[first.end : second.start]
    joined_by = _JOINED_BY.search(between)
    if joined_by is None or "," in between:
        return  # "connect X and Y", "combine A, B": no "with"/"to" joining a second object
    if len(between[: joined_by.start()].split()) > _JOINED_GAP_WORDS or len(between[joined_by.end() :].split()) > 2:
        return
    rec.relate(first.key, second.key, "connects_to", True, index)


def _alike_subject(ctx: NoteContext, index: int, subject: str, other: str) -> str:
    """The subject compared with *other*: of the section's subjects, the first of *other*'s sort (a service is
    compared with a service), else *subject*.

    Under "### DynamoDB Architecture" (subjects: the feature "Architecture", then DynamoDB), "Not like RDS"
    compares DynamoDB with RDS, not the architecture.
    """
    if subject.startswith("service:") == other.startswith("service:"):
        return subject
    several = ctx.subjects.get(ctx.parsed.blocks[index].section, [])
    return next((key for key in several if key.startswith("service:") == other.startswith("service:")), subject)


def _used_for(
    ctx: NoteContext,
    rec: Recorder,
    index: int,
    text: str,
    cue: Span,
    sent: Span,
    subject: str | None,
    before: list[Candidate],
    after: list[Candidate],
    hi: int,
) -> None:
    """ "X is used for Y", "great for A, B and C", "a service for Z": the service before (or the subject) is used
    for the phrases said after the cue, or for a service named there; a negated use ("not suitable for") is none."""
    doc = ctx.docs[index]
    if _negated(doc, cue.start, sent.start):
        return  # "not suitable for large files" names no use
    sources = [c.key for c in before if c.kind == SERVICE][-1:]
    cue_text = cue.text.lower()  # a span's text is joined from its tokens on every read: read once
    cue_words = cue_text.split()
    if cue_words[0] in ("if", "when") and (cue.end >= sent.end or doc[cue.end].lower_ in ("to", "it", "them")):
        return  # "If you need anonymous access": a need is a use; "if you need to block X" is a step, not a use
    task_cue = cue_words[0] in _TASK_CUE_WORDS
    if cue_words[-1] == "for" and cue_words[0] in ("allow", "allows") and cue.start > sent.start:
        return  # only a sentence that opens with "Allow for async communications" says what its subject is for
    # "Helps build chatbots": "helps" then a verb (else "helps" says nothing of a use)
    if cue_text == "helps" and (cue.end >= sent.end or "verb" not in terms.word_classes(doc[cue.end].lower_)):
        return
    # "This provides a way to retrieve parts of objects": what the subject lets you do
    opening = cue.start - sent.start <= 2 or _opens_sentence(doc, cue.start, sent.start, task_cue)
    if not opening and not before and cue_is_participle(cue) and _describes_subject(doc, sent.start, cue.start):
        opening = True  # "Low-cost object storage meant for archiving": the description is of the subject
    if not opening and not before and task_cue and _described_then_relative(doc, sent.start, cue.start):
        opening = True  # "Definition: a PaaS that allows to build apps": what the subject lets you do
    if not sources and subject and not before and opening:
        sources = [subject]  # "Used for analytics", "It is great for X" under a service: the subject is
    after_comma = cue.start > sent.start and doc[cue.start - 1].text == ","
    if not sources and subject and after_comma and ctx.parsed.blocks[index].kind == "item":
        sources = [subject]  # "- Fully managed service, use to decouple applications": a clause of its own
    kind_noun = cue_words[0] in _KIND_NOUNS
    if not sources and subject and kind_noun and cue.start - sent.start <= 8:
        sources = [subject]  # "Fully managed ML service for recommendations": what the subject is for
    if not sources:
        return
    clause_end = _clause_end(text, cue.end_char, hi)
    targets = [c for c in after if c.end <= clause_end][:3]
    # "Great for fraud detection, recommendation engines": each a use case (a service named stays a target).
    label = ctx.label(index)
    said = text[cue.end_char : clause_end]
    to_verb = cue_words[-1] in ("to", "you")  # "used to decouple applications", "lets you X": one task
    if task_cue:
        if cue_text == "helps":
            said = _MAKING.sub("", said.lstrip())  # "helps build chatbots": the chatbots
        said = _CONTRAST.split(_PARENTHESIS.sub("", said), maxsplit=1)[0]  # "parts of objects and not all"
        said = _TOOL_TAIL.sub("", said.strip(" ."))
        end = cue.end_char + len(said)
        if any(c.kind == SERVICE and c.start < end for c in after) or _cue_between(
            ctx.cues(index), "connects_to", cue.end_char, end
        ):
            return  # "allows you to connect to S3", "lets you integrate with X": a relation, not a use
    # Under a sentence label ("You need transcripts of:") a short item completes the label: one phrase.
    sentence_label = (
        label is not None
        and label.text.rstrip().endswith(":")
        and terms.label_role(label.text) is None
        and len(said.split()) <= 3
    )
    phrases = use_case_phrases(said, lists=not to_verb) if not sentence_label else []
    if not phrases:
        phrase = use_case_phrase(said, label.text if label is not None else None)
        phrases = [phrase] if phrase else []
    if to_verb:
        # "used to decouple applications": a short task; a long verb phrase is a description.
        longest = 6 if task_cue else 3
        phrases = [p for p in phrases if len(p.split()) <= longest and not p.split()[0].lower().endswith("ly")]
        if task_cue:
            # "lets you poll": one verb says no task; "lets you use SQL": a tool it uses, not what it is for
            phrases = [p for p in phrases if len(p.split()) >= 2 and p.split()[0].lower() not in ("use", "using")]
    if task_cue:
        phrases = [p for p in phrases if " to " not in f" {p} "]  # "allow for actions to take place": a clause
    # A use is said in words (or is a service named); a term that merely follows the cue ("use cases where
    # **low-latency reads** are critical") is none.
    targets = [c for c in targets if c.kind == SERVICE and not to_verb and not kind_noun]
    for phrase in phrases:
        key = term_node_key(terms.term_key(phrase))
        if any(c.key == key or c.surface == phrase for c in targets):
            continue
        # A use said in words is as strong as a list item; one word after "ideal for" ("ETL", "caching") is as
        # often the name of a technique as a use, so it votes weakly.
        rec.mention(key, phrase, USE_CASE, "use" if len(phrase.split()) > 1 else "text", index)
        task = gerund_phrase(phrase, verb=to_verb)
        if task:
            rec.mention(key, task, USE_CASE, "alias", index)  # "retrieve parts of objects": retrieving them
        targets.append(Candidate(key, phrase, USE_CASE))
    for target in targets:
        for source in sources:
            if source != target.key:
                rec.relate(source, target.key, "used_for", True, index)


def _verb(
    rec: Recorder,
    index: int,
    text: str,
    doc: Doc,
    cue: Span,
    sent: Span,
    subject: str | None,
    before: list[Candidate],
    after: list[Candidate],
    end: int,
) -> None:
    """A relating verb: its subject (before) to its objects (after), typed by the verb, flipped when passive."""
    kind = cue.label_
    if kind != "similar" and _negated(doc, cue.start, sent.start):
        return  # "does not support X", "must not have X": no relation stated
    passive = kind.startswith("passive:")
    kind = kind.removeprefix("passive:")
    start = cue.end
    if kind in _CUE_PREPOSITIONS:
        start = _preposition_after(doc, cue.end, sent.end, _CUE_PREPOSITIONS[kind])
        if start < 0 and kind == "delivers_to" and not passive:
            # "load data from S3", "copy objects from the source bucket": moving data from a place reads from it
            start = _preposition_after(doc, cue.end, sent.end, _FROM)
            kind = "ingests_from"
        if start < 0:
            return
    # "A form of resource policy." opening a line says what its subject is, as "is a form of" does
    opens_with_kind = cue.start - sent.start == 1 and doc[sent.start].lower_ in ("a", "an")
    copula = any(doc[i].lower_ in _COPULA for i in range(max(sent.start, cue.start - 3), cue.start))
    if kind == "kind_of" and not copula and not opens_with_kind:
        return  # "is a type of", "one kind of"; not "this type of storage"
    if cue.text.lower() == "have":
        if cue.end < sent.end and doc[cue.end].lower_ in ("to", "been", "not", "a", "an"):
            return  # "have to", "have been": not possession
        subject = None  # "You have ...", "We have ...": only a name before the verb is its subject
    source = _subject(text, doc, cue, sent, subject, before)
    if kind == "delivers_to":
        # "synchronization from Azure AD to Azure AD DS": the name after "from" is the source
        origin = next((c for c in after if c.end <= doc[start - 1].idx), None)
        if origin is not None and text[cue.end_char : origin.start].strip().lower() == "from":
            source = _term_key(origin)
    if source is None:
        return
    comma = text.rfind(",", sent.start_char, cue.start_char)
    if comma >= 0 and _RELATIVE_OPENER.match(text, comma + 1):
        # "SQS, which stores messages, integrates with SNS": the relative clause ends at its comma
        closing = text.find(",", cue.end_char, end)
        end = closing if closing >= 0 else end
    objects = _objects(text, doc[start - 1].idx + len(doc[start - 1].text), end, after)
    if not objects and kind in _CUE_PREPOSITIONS and start < sent.end and doc[start].lower_ in _BACK_REFERENCES:
        objects = _antecedent(text, before, source, doc[start].lower_)  # "stored on S3 and Athena reads from this"
    if kind == "kind_of" and not objects:
        objects = _kind_in_section(text, cue, sent.end_char, subject, source)
    relation = _RELATION_OF.get(kind, kind)
    measured = kind == "similar" and cue_words_of(cue)[0] in _MEASURES
    for target in objects:
        if target.key == source:
            continue
        if measured and source.startswith("service:") != target.key.startswith("service:"):
            continue  # "lower than standard S3" compares alike things; "more than one AZ" measures nothing
        a, b = (target.key, source) if passive else (source, target.key)
        # A service that "has" another service works with it; it does not own it as a feature.
        rel = "connects_to" if relation == "has" and b.startswith("service:") and a.startswith("service:") else relation
        rec.relate(a, b, rel, True, index)


#: Words that point back at something named before instead of naming it: "reads from this data", "copies it to".
_BACK_REFERENCES = frozenset({"this", "that", "these", "those", "it", "them", "there"})


def _antecedent(text: str, before: list[Candidate], source: str, pointer: str) -> list[Candidate]:
    """What a data-moving verb's pointing object ("this data", "it") stands for: the name right before the verb's
    subject in its sentence, where an earlier clause put the data ("stored on S3 and Athena reads from this").

    The name must follow a preposition of place ("on S3", "into S3"): "Kinesis and Athena read from it" says
    nothing of where the data is. A plural pointer ("them", "these") stands for a plural noun, not for one
    name: in "Logs go to CloudWatch while Athena reads from them", "them" is the logs.
    """
    at = next((i for i in range(len(before) - 1, -1, -1) if before[i].key == source), None)
    if not at or pointer in _PLURAL_POINTERS:
        return []  # the subject is not named before the verb, or nothing comes before it
    earlier = before[at - 1]
    words = text[max(0, earlier.start - 12) : earlier.start].split()  # a few characters: a preposition is short
    placed = bool(words) and words[-1].lower() in _PLACES
    return [] if earlier.kind == USE_CASE or earlier.key == source or not placed else [earlier]


#: Prepositions that say where data is: the name after one is a place the data can be read from.
_PLACES = frozenset({"on", "in", "into", "to", "at"})
#: Pointing words that stand for several things: never for one name.
_PLURAL_POINTERS = frozenset({"them", "these", "those"})


def _kind_in_section(text: str, cue: Span, end: int, subject: str | None, source: str) -> list[Candidate]:
    """ "DynamoDB is one type of database." under "Wide Column Store": a kind of a plain noun, said in the section
    about a concept, is a kind of that concept (the section's subject, not named in the sentence). The plain noun
    ends the sentence: "a type of data warehouse built for analytics" says what kind in full."""
    rest = text[cue.end_char : end].strip(" .")
    if not subject or not subject.startswith("term:") or subject == source or not 1 <= len(rest.split()) <= 2:
        return []
    return [Candidate(subject, subject, "")]


def _subject(text: str, doc: Doc, cue: Span, sent: Span, subject: str | None, before: list[Candidate]) -> str | None:
    """What the verb at *cue* says something about: the nearest name before it in its clause, else the subject."""
    lo = max(sent.start_char, cue.start_char - _LOOK_BACK)
    head = text[lo : cue.start_char]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    clause_start = lo + breaks[-1].end() if breaks else lo
    asides = [(lo + m.start(), lo + m.end()) for m in _ASIDE.finditer(head)]
    participle = cue.start > sent.start and doc[cue.start - 1].text == "," and doc[cue.start].lower_.endswith("ing")
    if participle:  # "X, replacing Y": the participle belongs to the clause's subject
        opening = [c for c in before if c.start <= sent.start_char + 2]
        return _term_key(opening[0]) if opening else subject
    for candidate in reversed(before):
        if candidate.start < clause_start:
            break
        if any(s <= candidate.start and candidate.end <= e for s, e in asides):
            continue
        gap = _ASIDE.sub(" ", text[candidate.end : cue.start_char])
        if len(gap.split()) > _SUBJECT_GAP_WORDS or _RELATIVE.match(gap) or _COORDINATED.search(gap):
            # The verb's subject names nothing ("use cases that require IP"), or the name is the object of
            # an earlier verb ("change our DNS and move customers to S3").
            return None
        return _term_key(candidate)
    # No name before the verb: "Integrates with S3", "It also supports X" under a section about something.
    words = [t for t in doc[sent.start : cue.start] if not t.is_punct]
    short = len(words) <= 2 and not (words and words[0].lower_ in _DETERMINERS)  # "Natively integrates with"
    if cue.text.lower() in _PLURAL_FORMS and any(t.lower_ not in _SUBJECTLESS for t in words):
        return None  # "Examples include EC2", "Rules can include": the plural noun before the verb is its subject
    if subject and (short or (len(words) <= 4 and all(t.lower_ in _SUBJECTLESS for t in words))):
        return subject
    active = not cue.label_.startswith("passive:")  # "Convert files stored in S3": S3 stores the files, not X
    if subject and active and sent.start == 0 and len(words) <= _VERB_FIRST_WORDS and _opens_with_verb(words):
        return subject  # "- Build workflows to orchestrate Lambda functions" under Step Functions: its doing
    return None


#: Comparison cues that only measure ("than", "80% of"): they compare things of one sort, a service with a service.
_MEASURES = frozenset({"than", "%", "percent", "fraction"})
#: Verb forms that agree with a plural subject: a word right before one is its subject ("Types include X").
_PLURAL_FORMS = frozenset({"provide", "offer", "include", "support"})
#: Modal verbs that open a subjectless item ("Must first enable AWS Config", "Can invoke Lambda").
_MODALS = frozenset("can could must should may might will would".split())
#: How many words a verb-first item may have before a cue and still speak for its subject.
_VERB_FIRST_WORDS = 8


def _opens_with_verb(words: list) -> bool:
    """True when a block opens with a capitalised verb or modal: a list item that speaks for its subject."""
    if not words or not words[0].text[:1].isupper() or words[0].text.isupper():
        return False
    if words[0].whitespace_ == "" and words[0].i + 1 < len(words[0].doc) and words[0].nbor().text in "-/":
        return False  # "Service-linked roles enable ...": a compound opens a noun phrase, not an imperative
    first = words[0].lower_
    return first in _MODALS or ("verb" in terms.word_classes(first) and not first.endswith(("ing", "ed")))


def _previous_subject(
    ctx: NoteContext, index: int, sent: Span, entities: list[Candidate], starts: list[int]
) -> str | None:
    """What the sentence before *sent* opens with: "Firehose connects to a stream. It can move data onto S3"."""
    previous = ctx.sentence_of(index, sent.start - 1)
    at = bisect.bisect_left(starts, previous.start_char)
    if at < len(entities) and entities[at].end <= sent.start_char:
        first = entities[at]
        if len(ctx.docs[index].text[previous.start_char : first.start].split()) <= 1:
            return _term_key(first)
    return None


def _term_key(candidate: Candidate) -> str | None:
    return None if candidate.kind == USE_CASE else candidate.key


def _objects(text: str, start: int, end: int, after: list[Candidate]) -> list[Candidate]:
    """The first name after *start* in the clause, and the names listed with it ("S3, Redshift and OpenSearch")."""
    clause_end = _clause_end(text, start, end)
    found: list[Candidate] = []
    position = start
    for candidate in after:
        if candidate.start < start:
            continue
        if candidate.end > clause_end or len(found) >= _MAX_OBJECTS:
            break
        gap = text[position : candidate.start]
        if not found:
            gap = _PARENTHESIS.sub(" ", gap)
        if not found and not _near(gap):
            break  # the object is right after the verb ("supports X", "supports the new X", "tools such as X")
        if not found and _INSTRUMENT.search(gap):
            break  # "monitors threats using X": the verb's object is unnamed; X is how, not what it acts on
        if found and not listed(gap):
            break  # a later name in the clause is not another object of this verb
        position = candidate.end
        if candidate.kind != USE_CASE:
            found.append(candidate)
    # "BI tools (QuickSight, Tableau)": the services in the parenthesis are the objects, the first name their kind
    examples = len(found) > 1 and _KIND_THEN_EXAMPLES.match(text, found[0].end, found[1].start)
    if examples and found[0].kind != SERVICE and any(c.kind == SERVICE for c in found[1:]):
        found = found[1:]
    return found


def _near(gap: str) -> bool:
    """True when *gap* (between a verb and a name) is short, or a short noun and "such as" before a short gap."""
    example = _EXAMPLES.search(gap)
    if example and len(gap[: example.start()].split()) <= _OBJECT_GAP_WORDS:
        gap = gap[example.end() :]
    return len(gap.split()) <= _OBJECT_GAP_WORDS


def _is_a(
    rec: Recorder, index: int, text: str, cue: Span, before: list[Candidate], after: list[Candidate], hi: int
) -> None:
    """ "SQS is a fully managed message queue": the name right before "is a" is a kind of the name right after."""
    if cue.text.lower() not in _DEFINE_CUES or not before or not after:
        return
    source = before[-1]
    if text[source.end : cue.start_char].strip(" *_`") or source.kind == USE_CASE:
        return
    target = after[0]
    clause_end = _clause_end(text, cue.end_char, hi)
    gap = text[cue.end_char : target.start].split()
    if target.end > clause_end or len(gap) > 2 or "of" in gap or target.kind == USE_CASE:
        return  # "is a managed X"; not "is a customization of an X"
    rec.relate(source.key, target.key, "kind_of", True, index)


def _described_as(ctx: NoteContext, rec: Recorder, index: int, subject: str | None, entities: list[Candidate]) -> None:
    """ "Aurora: High-performance RDS database", "Definition: Managed data warehousing service" under Redshift.

    A description that opens with a name as its head noun says what kind of thing the described entity is.
    The described entity is a one-name lead, or the subject when the line is its definition ("Definition:",
    or the first line of its section). One end must be a service: a service is a kind of a concept, never
    the other way round ("IaaS: AWS EC2" makes EC2 a kind of IaaS).
    """
    block = ctx.parsed.blocks[index]
    lead = ctx.lead(index)
    text = block.text
    # A name alone after a service's lead may be a variant or a title ("Snowball Edge – Compute Optimized");
    # a description with a word before its head ("High-performance RDS database") is not.
    bare_ok = True
    is_lead = lead is not None and len(lead.keys) == 1
    if is_lead:
        described, rest = lead.keys[0], lead.rest
        bare_ok = not described.startswith("service:")
    elif lead is not None and not lead.keys and terms.is_definition_label(lead.surfaces[0]):
        described, rest = subject, lead.rest
    elif lead is None and block.label is None and block.parent is None and ctx.opens_section(index):
        described, rest, bare_ok = subject, text, False
    else:
        return
    if not described or not rest or block.is_label:
        return
    rest_start = len(text) - len(rest)
    head = next((c for c in entities if c.start >= rest_start), None)
    if head is None or head.kind == USE_CASE:
        return
    before = text[rest_start : head.start]
    if len(before.split()) > 2 or "," in before or (not before.strip() and not bare_ok):
        return  # "Boston, Chicago": a list, not a description
    end = _HEAD_NOUN_END.match(text, head.end)
    if not end or (lead is None and not end.group(0).strip(" .,;(")):
        return  # "low latency streaming to ...": the name is not what the thing is
    a, b = described, head.key
    if is_lead and not a.startswith("service:"):
        if not b.startswith("service:"):
            return  # "Multi-AZ: Automatic failover": a property, not a kind
        a, b = b, a  # "IaaS: AWS EC2": the service is the kind of thing the lead names
    rec.relate(a, b, "kind_of", True, index)


def _preposition_after(doc: Doc, start: int, end: int, prepositions: frozenset[str]) -> int:
    """The token after the first of *prepositions* a few words on from *start*, or -1."""
    for token in doc[start : min(end, start + 6)]:
        if token.lower_ in prepositions:
            return token.i + 1
    return -1


#: Words that may open a sentence before a cue and leave its subject unnamed: "It can be used for X",
#: "This is great for Y", "Typically used for Z" (general English function words and adverbs).
_UNNAMED_OPENING = frozenset(
    "it this that these those they which is are was were be been can could may might will would should also "
    "often typically usually mainly mostly primarily generally commonly especially very really particularly "
    "a an the one great good ideal perfect excellent strong natural popular common".split()
)
#: Verbs of giving before "a way to": "This provides a way to X", "It gives you a way to Y".
_GIVING = frozenset("provides provide offers offer gives give has have you".split())
#: First words of the cues that say what a thing lets its user do: "allows you to", "lets you", "a way to".
_TASK_CUE_WORDS = frozenset("allows allow lets let helps help a ways".split())
# Verbs of making after "helps": what is made is the use ("helps build chatbots and call center bots").
_MAKING = re.compile(r"^(?:build|create|make|develop|design|deploy|run)\s(?=\w)", re.IGNORECASE)
_PARTICIPLES = frozenset("meant designed built used intended suited made".split())


def cue_words_of(cue: Span) -> list[str]:
    return cue.text.lower().split()


def _describes_subject(doc: Doc, start: int, cue: int) -> bool:
    """True when the words before a participle cue are a short description with no verb of its own and a singular
    head ("Low-cost object storage meant for"), not a sentence ("Instances are designed for") or other things
    ("Report AWS resources used for")."""
    words = [t for t in doc[start:cue] if not t.is_punct]
    if not words or len(words) > 5 or any(t.lower_ in _COPULA or t.lower_ in _UNNAMED_OPENING for t in words):
        return False
    head = words[-1].lower_
    return terms.singular(head) == head and terms.word_classes(words[0].lower_) != frozenset({"verb"})


def _described_then_relative(doc: Doc, start: int, cue: int) -> bool:
    """True when the words before a task cue are a short description of the subject closed by "that" or "which",
    after an optional label ("Definition: a PaaS that allows to ...", "A managed service which lets you ...")."""
    if cue - start > 12:
        return False
    tokens = list(doc[start:cue])
    colon = next((i for i, t in enumerate(tokens[:3]) if t.text == ":"), None)
    words = [t.lower_ for t in tokens[colon + 1 if colon is not None else 0 :] if not t.is_punct]
    if len(words) < 2 or words[-1] not in ("that", "which"):
        return False
    body = words[:-1]
    if body[0] in ("a", "an", "the"):
        body = body[1:]
    return 1 <= len(body) <= 4 and not any(w in _COPULA or w in _UNNAMED_OPENING for w in body)


def cue_is_participle(cue: Span) -> bool:
    """True for a cue that opens with a participle ("meant for", "designed for", "used for")."""
    return cue.text.lower().split()[0] in _PARTICIPLES


_CONTRAST = re.compile(r",?\s(?:and not|but not|not|rather than|instead of)\s", re.IGNORECASE)
# After a task, what it is done with or for: "manage resources with ARM", "scale out reads for an instance".
_TOOL_TAIL = re.compile(
    r"\s(?:with|via|using|through)\s[A-Z][\w-]*(?:\s[A-Z][\w-]*)*$|"
    r"\s(?:for|on|in|within|across|outside(?:\sof)?|beyond)\s(?:an?|the|any|each|every|your|all)\s[\w-]+(?:\s[\w-]+)?$"
)
#: Nouns that say what kind of thing the subject is, in "a service for X", "a tool for Y".
_KIND_NOUNS = frozenset("service tool platform solution".split())
#: Words that turn a use into a misuse: "not good for", "never used for", "avoid ... for".
_NEGATIONS = frozenset("not n't never no nor avoid isn't aren't don't cannot".split())


def _opens_sentence(doc: Doc, cue: int, start: int, task: bool = False) -> bool:
    """True when only function words and adverbs come before the cue in its sentence (and, before a task cue,
    a verb of giving: "This provides a way to ...")."""
    if cue - start > 12:
        return False  # never walk a run-on sentence from its start for every cue in it
    words = [t for t in doc[start:cue] if not t.is_punct]
    allowed = _UNNAMED_OPENING | _GIVING if task else _UNNAMED_OPENING
    return len(words) <= 6 and all(t.lower_ in allowed or t.lower_.endswith("ly") for t in words)


def _negated(doc: Doc, cue: int, start: int) -> bool:
    """True when a negation comes in the three words before the cue ("not suitable for", "Avoid it for")."""
    return any(doc[i].lower_ in _NEGATIONS for i in range(max(start, cue - 3), cue))  # no Span made for three words


def _adjacent_word(ctx: NoteContext, text: str, offset: int, before: bool) -> list[Candidate]:
    """The capitalised word or short phrase right beside a comparison cue ("Provisioned vs On-Demand")."""
    # Only the words right beside the cue matter; a bounded window keeps this linear on long lines.
    if before:
        match = re.search(r"([A-Z][\w-]{0,40}(?:\s[A-Z][\w-]{0,40}){0,2})\s*$", text[max(0, offset - 100) : offset])
    else:
        match = re.match(r"\s*([A-Z][\w-]{0,40}(?:\s[A-Z][\w-]{0,40}){0,2})", text[offset : offset + 100])
    if not match:
        return []
    surface = terms.clean_term(match.group(1))
    if not surface or not keep_term(surface, emphasised=True, max_words=3):
        return []
    return [ctx.candidate(surface)]


_CLAUSE_END = re.compile(r"[.;!?]\s|\s(?:but|while|whereas|which|so that)\s")


def _clause_end(text: str, start: int, limit: int) -> int:
    limit = min(limit, start + 300)  # a clause is short; never scan the rest of a run-on sentence
    match = _CLAUSE_END.search(text, start, limit)
    return match.start() if match else limit
