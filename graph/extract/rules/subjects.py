"""Section subjects: what each section is about, read from its heading.

A heading that names one to three services is about them; a heading that is a short noun phrase
is about that concept (when the notes use its words again); scaffolding headings ("Key points",
"My takeaways") inherit their parent's subject. A section about an entity is its own section,
unless it is nested in an outer section about the same entity. A tagline after the service name
is a short definition. Writes ``ctx.subjects`` and ``ctx.question_sections``, which later rules read.

Example: in ``## Amazon SQS — Message Queue`` the subject is ``service:sqs``; SQS is mentioned
(how: "heading"), the section is recorded as its own, and "Message Queue" defines it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span

from graph.extract import terms
from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import VENDORS, dedupe, is_acronym, keep_term, term_kind
from graph.model import SERVICE, service_key, term_node_key
from graph.sources.markdown import ParsedNote, Section

__all__ = ["apply"]


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Give every section its subjects, recording heading mentions, own sections and heading taglines."""
    parsed = ctx.parsed
    heading_blocks = {b.section: i for i, b in enumerate(parsed.blocks) if b.kind == "heading"}
    owned: dict[str, int] = {}
    title: list[str] = []  # the services the file's title (its first heading, level 1) names
    for section in parsed.sections:
        if section.id == 0:
            ctx.subjects[0] = []
            continue
        # A section with no subject of its own takes its parent's; at the top, the title's ("# Amazon S3" then
        # "# Use cases" as a sibling: still S3's).
        parent_subjects = ctx.subjects.get(section.parent or 0, []) or title
        index = heading_blocks.get(section.id)
        subjects: list[str] = []
        own = False
        if index is not None:
            heading = parsed.blocks[index].text
            # "SSE-KMS (Server-side encryption w/ keys stored in AWS KMS)": the heading names the term before
            # the parentheses; the services named in them only explain it.
            explaining = _explaining_services(heading, ctx.services(index))
            services = [s for s in ctx.services(index) if s not in explaining]
            role = terms.heading_role(_without(heading, services)) if heading.strip() else None
            if role is not None:
                ctx.heading_roles[section.id] = role
            if services and len(services) <= 3:
                subjects = dedupe(service_key(s.label_) for s in services)
                own = True
                if _is_question(section.title) and len(subjects) == 1:
                    ctx.question_sections[section.id] = subjects[0]
                for span in services:
                    rec.mention(service_key(span.label_), span.text, SERVICE, "heading", index)
                if role is None:
                    _heading_tagline(rec, section, services, index)
                    feature = _heading_feature(heading, services)
                    if feature:
                        # "S3 Lifecycle Management": a feature of S3, the section's topic.
                        key = term_node_key(terms.term_key(feature))
                        rec.mention(key, feature, term_kind(feature), "heading", index)
                        rec.mention(key, terms.clean_term(heading), term_kind(feature), "alias", index)
                        rec.relate(subjects[0], key, "has", True, index)
                        subjects = [key, *subjects]
                    elif (
                        len(subjects) == 1
                        and not re.search(r"\w", _without(heading, services))
                        and _kinds_section(parsed, section, parent_subjects)
                    ):
                        # "#### S3 Standard" under "### S3 Object Storage Classes": one of the classes
                        rec.relate(subjects[0], parent_subjects[0], "kind_of", True, index)
                    else:
                        subjects += _listed_features(ctx, rec, heading, services, index)
            elif not services and role == "use_case":
                # "Why use replication": the items say what replication is for; it is their subject.
                topic = terms.use_heading_topic(section.title)
                if topic and keep_term(topic, emphasised=True, max_words=4):
                    key = ctx.term_key(topic)
                    subjects = [key]
                    kind = SERVICE if key.startswith("service:") else term_kind(topic)
                    rec.mention(key, topic, kind, "heading", index)
            elif not services and role is None:
                term, question = _heading_term(section.title, top=section.level < 2)
                # A heading of three or more words is a topic only if the notes use its words again.
                if term and len(term.split()) >= 2 and not question and not _named_topic(ctx, term):
                    term = None
                listed = [] if term or question or section.level < 2 else _listed_topics(ctx, heading)
                for topic in listed:
                    # "Object Versioning and MFA Delete", "Bastion Host / Jumpbox": a topic each, part of the outer one.
                    key = term_node_key(terms.term_key(topic))
                    rec.mention(key, topic, term_kind(topic), "heading", index)
                    if parent_subjects:
                        rec.relate(parent_subjects[0], key, "has", True, index)
                if listed and _other_names(heading):
                    # "Bastion Host / Jumpbox": two names of the section's one topic, which its lines explain.
                    subjects, own = [term_node_key(terms.term_key(listed[0]))], True
                if term:
                    key = term_node_key(terms.term_key(term))
                    subjects = [key]
                    own = True
                    if question:
                        ctx.question_sections[section.id] = key
                    rec.mention(key, term, term_kind(term), "heading", index)
                    if parent_subjects and not question:
                        # "### Dead-letter queue" in the section about SQS: a part of what that section is about
                        rec.relate(parent_subjects[0], key, "has", True, index)
                    expansion = terms.parenthetical(section.title)
                    if expansion and terms.is_term_like(expansion, 8):
                        rec.mention(key, expansion, term_kind(term), "alias", index)
                    for span in explaining:
                        rec.mention(service_key(span.label_), span.text, SERVICE, "heading", index)
                        rec.relate(key, service_key(span.label_), "depends_on", True, index)
        if own:
            content = _content_lines(parsed, section)
            for key in subjects:
                # A nested section about the same entity is part of the outer one, not a second place.
                if owned.get(key) is not None and _is_ancestor(parsed, owned[key], section.id):
                    continue
                owned[key] = section.id
                rec.own_section(key, section, content, index if index is not None else 0)
        ctx.subjects[section.id] = subjects or parent_subjects
        if section.id == 1 and section.level == 1 and not _other_top_services(ctx, heading_blocks):
            title = [key for key in subjects if key.startswith("service:")]


def _kinds_section(parsed: ParsedNote, section: Section, parent_subjects: list[str]) -> bool:
    """True when *section*'s parent is about a concept its heading names in the plural, in more than one word
    ("Storage Classes", "Instance Types"): the sections under it are about the kinds of that concept, one each."""
    if section.parent is None or not parent_subjects or not parent_subjects[0].startswith("term:"):
        return False
    words = terms.words(parsed.sections[section.parent].title)
    if len(words) < 2:
        return False  # "# Services", "## Tools": a heading of one plural word groups things, it names no concept
    last = words[-1].lower()
    return last.isalpha() and terms.singular(last) != last and parent_subjects[0].endswith(terms.singular(last))


def _named_topic(ctx: NoteContext, term: str) -> bool:
    """Whether a heading of two or more words names a topic: the notes use it again (in any number), or it is
    a compact noun phrase ("MFA Delete", "Wide Column Store") of words that are neither scaffolding
    ("Key Considerations", "Example Commands") nor function words ("Types of Cloud"), and opens with no verb."""
    lower = term.lower()
    variants = (lower, lower[:-1] if lower.endswith("s") else lower + "s")
    if any(ctx.body_says(v) for v in variants):
        return True
    if re.search(r"[&/+]", term) or terms.is_definition_label(term):
        return False  # "Security & Compliance", "Linux/macOS commands", "Mental Model": no one topic
    found = [w.lower() for w in re.findall(r"[\w'’]+(?:-[\w'’]+)*", term)]
    while found and found[0] in VENDORS:
        found = found[1:]  # "Azure Region Pairs": the vendor's name is no word of the topic
    if not 2 <= len(found) <= 3 or found[0].endswith("ing"):
        return False  # "Using IGW", "Evolving with Queues"
    if terms.word_classes(found[0]) == frozenset({"verb"}):
        return False  # "Create a study strategy", "Watch the video"
    scaffolding = terms.STOP_WORDS | terms.GENERIC_WORDS | terms.ASPECT_WORDS
    # "Defense In Depth": a function word written in Title Case like the words around it is part of a name.
    titled = [w for w in re.findall(r"[\w'’]+(?:-[\w'’]+)*", term) if w.lower() in found[1:-1] and w[:1].isupper()]
    inner = {w.lower() for w in titled if w.lower() in terms.STOP_WORDS}
    return not any(
        (w in scaffolding and w not in inner) or terms.singular(w) in scaffolding - inner or terms.heading_role(w)
        for w in found
    )


def _other_top_services(ctx: NoteContext, heading_blocks: dict[int, int]) -> bool:
    """True when a level-1 heading after the first names a service: then the first is no title of the file."""
    for section in ctx.parsed.sections[2:]:
        index = heading_blocks.get(section.id)
        if section.level == 1 and index is not None and ctx.services(index):
            return True
    return False


@lru_cache(maxsize=16384)
def _heading_term(title: str, top: bool = False) -> tuple[str | None, bool]:
    """The concept a heading names (or None for scaffolding headings and sentences), and whether it asks about it.

    Cached: a pure function of the title, and notes repeat their headings ("Use cases", "Overview").

    "Describe cloud computing" names cloud computing (an exam objective's verb is not the topic);
    "What are Blue-Green deployments?" asks about Blue-Green deployments; "Trigger Concepts" (not at the *top*
    level) names Trigger.
    """
    title = terms.clean_term(re.sub(r"^\s*\d+[.)]\s*", "", title))
    question = _question_topic(title)
    if question:
        return question, True
    first, _, rest = title.partition(" ")
    if rest and terms.instruction_verb(first):
        title = terms.clean_term(rest)
    if not title or terms.is_generic(title):
        return None, False
    words = title.split()
    tail = len(words) > 1 and words[-1].lower() in terms.SCAFFOLD_TAIL and not re.search(r"[—–:]|\s-\s", title)
    if tail and not top:
        # "Trigger Concepts", "Networking Basics": the topic is what comes before (a file's title, "# Cloud
        # Concepts", names the part of a course the file covers, not one topic)
        title = " ".join(words[:-1])
    parts = [p.strip() for p in re.split(r"\s+[—–-]\s+|:\s+", title) if p.strip()]
    candidates = [title, *parts]
    for candidate in candidates:
        cleaned = terms.clean_term(candidate)
        head = cleaned.split()
        # "Pattern A", "Step 2", "Batch 3": an enumeration label, not a topic.
        if len(head) >= 2 and (len(head[-1]) == 1 or head[-1].isdigit()):
            continue
        if terms.is_term_like(cleaned, 5) and not terms.is_generic(cleaned) and not _is_question(cleaned):
            return cleaned, False
    return None, False


_QUESTION = re.compile(
    r"^(?:what|who)(?:\s{1,3}(?:is|are)|['’]s)\s{1,3}(?:an?\s{1,3}|the\s{1,3})?(.+?)\s{0,3}\?{0,3}$", re.IGNORECASE
)


def _question_topic(title: str) -> str | None:
    """ "What is a VPC?", "What are Blue-Green deployments?": the term the question asks about."""
    match = _QUESTION.match(title.strip())
    if not match:
        return None
    term = terms.clean_term(match.group(1))
    # "What's Serverless?": a word English has no class for is what is asked about, whatever its ending.
    coined = term.isalpha() and not terms.word_classes(term)
    return term if term and (terms.is_term_like(term, 5) or coined) and not terms.is_generic(term) else None


# Where a heading lists several things: "A, B and C", "A and B", "A & B", "A / B". A separator starts after a
# word (the lookbehind), so a long run of spaces is scanned once, not once from each of its positions.
_LIST_SEPARATOR = re.compile(r"(?<=\S)(?:\s*,\s+(?:and\s+|&\s+)?|\s+(?:and|&|/)\s+)")


def _heading_parts(heading: str) -> list[tuple[int, int]]:
    """The (start, end) of each thing a heading lists ("A, B and C"), or [] for a heading that lists nothing.

    A heading with a tagline ("X: ...", "X — ...") or a question lists nothing.
    """
    if re.search(r"[:?—–]|\s-\s", heading):
        return []
    parts, start = [], 0
    for match in _LIST_SEPARATOR.finditer(heading):
        parts.append((start, match.start()))
        start = match.end()
    parts.append((start, len(heading)))
    return parts if len(parts) > 1 and all(b > a for a, b in parts) else []


def _other_names(heading: str) -> bool:
    """Whether a listing heading gives two names of one thing ("A / B"), not several things ("A and B")."""
    return " / " in heading and len(_heading_parts(heading)) == 2


def _used_again(ctx: NoteContext, word: str) -> bool:
    """Whether the note's body uses a heading's word, in either number: a topic it explains, not an aspect."""
    lower = word.lower()
    return any(ctx.body_says(w) for w in (lower, terms.singular(lower), lower + "s"))


def _listed_topics(ctx: NoteContext, heading: str) -> list[str]:
    """The topics a heading of no service lists, when each is one: "Object Versioning and MFA Delete".

    Each part must pass what a heading topic passes (a term, not scaffolding; of two or more words, a named
    topic); a lone everyday word ("Access and Security") is none, so such a heading lists nothing.
    """
    found = []
    for start, end in _heading_parts(heading):
        part = terms.clean_term(heading[start:end])
        if not keep_term(part, emphasised=True, max_words=4) or terms.heading_role(part) is not None:
            return []
        if len(part.split()) >= 2 and not _named_topic(ctx, part):
            return []
        if len(part.split()) == 1 and not (is_acronym(part) or _used_again(ctx, part) or keep_term(part)):
            return []  # a lone word the lines below never use again, unless rare ("Jumpbox")
        found.append(part)
    return found


def _listed_features(ctx: NoteContext, rec: Recorder, heading: str, services: list[Span], index: int) -> list[str]:
    """The features a heading that opens with a service lists: "Aurora Restore, Clone and Backtrack".

    Each part with no service of its own is a feature of the opening service (the first part less the
    service's name); each is mentioned and is something the service ``has``. Returns their keys.
    """
    if not services or services[0].start != 0:
        return []
    keys = []
    for start, end in _heading_parts(heading):
        inside = [s for s in services if start <= s.start_char < end]
        if inside and inside[0].start_char == start and start == 0:
            start = inside[0].end_char  # "Aurora Restore": the feature is what follows the name
        elif inside:
            continue  # "... and EventBridge": another service, a subject already
        part = terms.clean_term(heading[start:end])
        if not part or not keep_term(part, emphasised=True, max_words=3, defined=True) or terms.heading_role(part):
            continue
        if terms.singular(part.split()[-1].lower()) in terms.ASPECT_WORDS:
            continue  # "Backups and Limitations": an aspect, not a feature
        if len(part.split()) == 1 and not (keep_term(part) and _used_again(ctx, part)):
            continue  # "DynamoDB Operations, Consistency, and Performance": everyday words for aspects of it
        key = term_node_key(terms.term_key(part))
        rec.mention(key, part, term_kind(part), "heading", index)
        rec.relate(service_key(services[0].label_), key, "has", True, index)
        keys.append(key)
    return keys


def _explaining_services(heading: str, services: tuple[Span, ...]) -> list[Span]:
    """The services of *heading* that only explain the term before its parentheses, or none.

    "SSE-KMS (Server-side encryption w/ keys stored in AWS KMS)" -> [AWS KMS]: the heading names SSE-KMS.
    "Amazon SQS (Simple Queue Service)" -> []: the name before the parentheses is a service itself;
    "AMI Process (from an EC2 instance)" -> []: a phrase, not a code the parentheses spell out.
    """
    opening = heading.find("(")
    if opening <= 0 or not services or any(s.start_char < opening for s in services):
        return []
    closing = heading.find(")", opening)
    if closing < 0 or any(s.end_char > closing for s in services) or heading[closing + 1 :].strip():
        return []
    before = terms.clean_term(heading[:opening]).split()
    # A code the parentheses spell out ("SSE-KMS", "SSE-S3 AES256"); not a phrase ("AMI Process (from EC2)").
    coded = before and all(sum(c.isupper() for c in word) >= 2 and word.isascii() for word in before)
    return list(services) if coded and len(before) <= 3 else []


def _without(text: str, services: list[Span]) -> str:
    """*text* with the service names in it blanked out ("S3 Use cases" -> " Use cases")."""
    for span in sorted(services, key=lambda s: -s.start_char):
        text = text[: span.start_char] + " " + text[span.end_char :]
    return text


#: Words that are scaffolding alone ("Table", "Classes") but name a thing after a specific word ("Global Tables").
_KINDS_OF_THINGS = frozenset({"table", "class", "image", "resource", "batch"})


def _heading_feature(heading: str, services: list[Span]) -> str | None:
    """ "S3 Lifecycle Management" -> "Lifecycle Management": a heading that opens with one service names a feature.

    Only a short noun phrase right after the name counts (after a dash or colon it is a tagline), and not
    an aspect or scaffolding word ("S3 Replication Options", "Lambda Summary").
    """
    if len(services) != 1 or services[0].start != 0:
        return None
    rest = heading[services[0].end_char :]
    if not rest.startswith(" ") or not rest.strip() or rest.strip()[0] in "-—–:=(|/&,":
        return None
    feature = terms.clean_term(rest)
    words = [w.lower() for w in terms.words(feature)]
    if not words or len(words) > 3 or any(w in terms.STOP_WORDS for w in words) or "&" in feature:
        return None
    last = terms.singular(words[-1])
    if last in terms.ASPECT_WORDS and len(words) > 1:
        # "S3 Replication Options": an aspect of the feature "Replication", which is the section's topic
        feature = feature[: feature.lower().rfind(words[-1])].strip()
        words, last = words[:-1], terms.singular(words[-2])
    # "DynamoDB Global Tables": a generic last word after a word of its own is still a feature ("S3 Overview" is none)
    generic_end = last in terms.GENERIC_WORDS and (len(words) == 1 or words[-2] in terms.GENERIC_WORDS)
    if len(words) > 1 and last in _KINDS_OF_THINGS and words[0] not in terms.GENERIC_WORDS:
        pass  # "Global Tables", "Storage Classes": a specific kind of it is a thing of its own
    elif generic_end or last in terms.ASPECT_WORDS or terms.heading_role(feature) is not None:
        return None
    if words[0] in terms.GENERIC_WORDS and words[0] != "key":
        return None  # "S3 Standard General Purpose": a tagline, not a feature
    if not keep_term(feature, emphasised=True, max_words=3, defined=True) or terms.is_generic(feature):
        return None
    return feature


def _heading_tagline(rec: Recorder, section: Section, services: list[Span], index: int) -> None:
    """ "Amazon Kendra — Intelligent Enterprise Search": the part after the dash is a short definition."""
    title = section.title
    match = re.search(r"\s(?:[—–=]|-)\s+(.+)$|:\s+(.+)$|\(([^()]+)\)\s*$", title)
    if not match or len(services) != 1:
        return
    tagline = (match.group(1) or match.group(2) or match.group(3) or "").strip()
    if tagline and not terms.is_generic(tagline) and terms.is_term_like(tagline, 6):
        rec.define(service_key(services[0].label_), tagline, 1, index)


def _content_lines(parsed: ParsedNote, section: Section) -> int:
    lines = {parsed.blocks[i].line for i in section.blocks if parsed.blocks[i].kind != "heading"}
    return len(lines)


def _is_ancestor(parsed: ParsedNote, ancestor: int, section: int) -> bool:
    current: int | None = parsed.sections[section].parent
    while current is not None:
        if current == ancestor:
            return True
        current = parsed.sections[current].parent
    return False


def _is_question(text: str) -> bool:
    first = text.split()[0].lower() if text.split() else ""
    return text.endswith("?") or first in {"what", "why", "how", "when", "who", "where", "which", "does", "do", "is"}
