"""Extract entities and relations from one parsed note.

:func:`extract_note` takes a :class:`~graph.sources.markdown.ParsedNote` and the spaCy
pipeline from :func:`graph.extract.pipeline.make_pipeline` and returns an
:class:`~graph.model.Extraction`. It reads the note the way a person does:

* **Sections have subjects.** A heading that names services is about them; a
  heading that is a short noun phrase is about that concept; scaffolding
  headings ("Key points", "My takeaways") inherit their parent's subject.
* **Labels give items a role.** Items under "Use cases" are use cases of the
  subject, items under "Core capabilities" its concepts, items under
  "Supported targets", "Common consumers", "Data sources", "Integrates with"
  are related services (see :func:`graph.extract.terms.label_role`).
* **Lead terms are defined.** ``**X** — text``, ``X = text``, ``X: text`` and
  "X is a ..." define X; a label line ``**X** — tagline`` defines X by the
  paragraph under it; "What it is:" defines the section's subject.
* **Arrows are pipelines** (``A -> B -> C``), "vs"/"whereas" are comparisons,
  verbs such as "integrates with" or "delivers to" are relations, and things
  named together in a sentence or item are related (inferred).

Nothing here lists what any particular notes contain: services come from the
catalog, everything else from the structure and wording of the text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from graph.extract import terms
from graph.extract.pipeline import BARE, SURE, WEAK, pipeline_catalog
from graph.model import (
    CONCEPT,
    SERVICE,
    TECHNOLOGY,
    USE_CASE,
    Definition,
    Evidence,
    Extraction,
    Mention,
    OwnSection,
    Placeholder,
    Relation,
    service_key,
    term_node_key,
)
from graph.sources.catalog import Catalog
from graph.sources.markdown import Block, ParsedNote, Section

# Each pattern that may start with white space starts only where a run of it starts ((?<!\s)):
# otherwise every position inside a long run of spaces would rescan the rest of it.
_ARROW = re.compile(r"(?<!\s)\s*(?:→|->|=>|⇒|⟶|⟹|-->)\s*")
_BIARROW = re.compile(r"(?<!\s)\s*(?:↔|<->|<=>|⇔)\s*")
_LEAD_SEPARATOR = re.compile(r"(?<!\s)\s+(?:—|–|-{1,2})\s+|(?<!\s)\s*=\s+|:\s+|(?<!\s)\s*—\s*")
_TODO = re.compile(
    r"\b(TODO|TBD|FIXME|XXX|to be (?:added|written|done|completed|filled(?: in)?|continued|updated)"
    r"|coming soon|fill (?:this )?in|work in progress|placeholder)\b",
    re.IGNORECASE,
)
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
_CAP_RUN = re.compile(r"(?<![\w.])((?:[A-Z][\w'’+.-]*[\w+]|[A-Z])(?:[ /](?:[A-Z][\w'’+.-]*[\w+]|[A-Z0-9]+)){0,3})")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&/]{1,6}s?$")
_UNITS = frozenset(
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
# A lead that holds a finite verb is a sentence ("CloudFormation is declarative: ..."), not a term.
_SENTENCE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|will|would|does|do|did|should|must)\b", re.IGNORECASE
)
# "X provides ...", "X lets teams ...": a sentence that opens with X and one of these describes X.
_DESCRIBING_VERBS = frozenset("provides lets allows enables offers helps delivers supports runs stores".split())
_VENDORS = frozenset({"aws", "amazon", "amazon web services"})


@dataclass
class _Candidate:
    """An entity found in a block: its key, how it was written, and where."""

    key: str
    surface: str
    kind: str
    start: int = -1  # char offset in the block text
    end: int = -1


@dataclass
class _NoteState:
    parsed: ParsedNote
    docs: list[Doc]
    subjects: dict[int, list[str]] = field(default_factory=dict)
    out: Extraction | None = None
    short_names: dict[str, str] = field(default_factory=dict)
    block_entities: dict[int, list[_Candidate]] = field(default_factory=dict)
    body_text: str = ""
    question_sections: dict[int, str] = field(default_factory=dict)
    catalog: Catalog | None = None
    evidence: dict[int, Evidence] = field(default_factory=dict)
    sentences: dict[int, list[Span]] = field(default_factory=dict)
    unsure_names: frozenset[tuple[str, str]] = frozenset()


def extract_note(parsed: ParsedNote, nlp: Language) -> Extraction:
    """Extract mentions, relations, definitions, own sections and placeholders from *parsed*.

    *nlp* is the pipeline from :func:`graph.extract.pipeline.make_pipeline`.
    """
    note = parsed.note
    texts = [b.text for b in parsed.blocks]
    docs = list(nlp.pipe(texts, batch_size=256))
    out = Extraction(path=note.path, digest=note.digest, repairs=note.repairs)
    out.words = sum(len(d) for d in docs)
    state = _NoteState(parsed=parsed, docs=docs, out=out)
    state.body_text = "\n".join(b.text.lower() for b in parsed.blocks if b.kind != "heading" and not b.is_label)
    state.catalog = pipeline_catalog(nlp)
    matcher = nlp.get_pipe("notes_services")
    state.unsure_names = frozenset(matcher.bare | matcher.weak)
    _corroborate_bare_services(state, state.catalog)
    _resolve_short_names(state)
    _assign_subjects(state)
    for index in range(len(parsed.blocks)):
        state.block_entities[index] = _block_entities(state, index)
    for index, block in enumerate(parsed.blocks):
        _extract_block(state, index, block)
    _scan_terms(state, nlp)
    _section_cooccurrence(state)
    _placeholders(state)
    return out


# --- services -----------------------------------------------------------------------------------------------------


def _corroborate_bare_services(state: _NoteState, catalog: Catalog) -> None:
    """Drop service mentions by an everyday word unless the note supports them.

    A "bare" mention (a common word such as "Glue", "Snowball") stands when
    the note also names the service unambiguously ("AWS Glue") or names its
    family or a sibling ("Snow Family"). A "weak" mention (a rarer word such
    as "Lambda", "Chatbot") also stands, outside headings, when its line names
    another service or its section is about a service.
    """
    sure = {span.label_ for doc in state.docs for span in doc.spans["services"] if span._.service_support == SURE}
    families = {_family(catalog, label) for label in sure} - {None}

    def keep(span: Span, index: int) -> bool:
        if span._.service_support == SURE:
            return True
        block = state.parsed.blocks[index]
        if block.kind == "heading" and not terms.is_generic(block.text.replace(span.text, " ")):
            # In a heading an everyday word must be the whole topic ("Support"), not one of a list
            # ("Account Management, Billing & Support").
            return span._.service_support == WEAK and span.start == 0 and terms.is_generic(block.text[span.end_char :])
        if span.label_ in sure or _family(catalog, span.label_) in families:
            return True
        block = state.parsed.blocks[index]
        if block.kind == "heading":
            # "Redshift Overview" is about Redshift; "Conversational Chatbot Builder" is not about AWS Chatbot.
            return span._.service_support == WEAK and span.start == 0 and terms.is_generic(block.text[span.end_char :])
        if span._.service_support == BARE:
            return False
        others = [
            s for s in state.docs[index].spans["services"] if s._.service_support == SURE and s.label_ != span.label_
        ]
        section_about_service = any(
            _services(state.docs[i])
            for i in state.parsed.sections[block.section].blocks[:1]
            if state.parsed.blocks[i].kind == "heading"
        )
        return bool(others) or section_about_service

    for index, doc in enumerate(state.docs):
        doc.spans["services"] = [s for s in doc.spans["services"] if keep(s, index)]


def _family(catalog: Catalog, entry_id: str) -> str | None:
    entry = catalog.entries.get(entry_id)
    if entry is None:
        return None
    if entry.kind == "family":
        return entry.id
    return entry.parent


def _resolve_short_names(state: _NoteState) -> None:
    """Map a one-word short name ("Firehose", "Streams") to the service of that name most named in this note."""
    counts: Counter[str] = Counter()
    texts: dict[str, str] = {}
    for doc in state.docs:
        for span in doc.spans["services"]:
            counts[span.label_] += 1
            texts.setdefault(span.label_, span.text)
    by_word: dict[str, list[str]] = {}
    for label, text in texts.items():
        last = text.split()[-1]
        if len(text.split()) > 1 and last[:1].isupper() and last.lower() not in terms.GENERIC_WORDS:
            by_word.setdefault(last, []).append(label)
    for word, labels in by_word.items():
        ranked = sorted(labels, key=lambda label: (-counts[label], label))
        if len(ranked) == 1 or counts[ranked[0]] > counts[ranked[1]]:
            state.short_names[word] = ranked[0]


def _services(doc: Doc) -> list[Span]:
    return list(doc.spans["services"])


# --- sections -----------------------------------------------------------------------------------------------------


def _assign_subjects(state: _NoteState) -> None:
    parsed, out = state.parsed, state.out
    assert out is not None
    heading_blocks = {b.section: i for i, b in enumerate(parsed.blocks) if b.kind == "heading"}
    owned: dict[str, int] = {}
    for section in parsed.sections:
        if section.id == 0:
            state.subjects[0] = []
            continue
        parent_subjects = state.subjects.get(section.parent or 0, [])
        index = heading_blocks.get(section.id)
        doc = state.docs[index] if index is not None else None
        subjects: list[str] = []
        own = False
        if doc is not None:
            services = _services(doc)
            if services and len(services) <= 3:
                subjects = _dedupe(service_key(s.label_) for s in services)
                own = True
                if _is_question(section.title) and len(subjects) == 1:
                    state.question_sections[section.id] = subjects[0]
                for span in services:
                    _mention(state, service_key(span.label_), span.text, SERVICE, "heading", index)
                _heading_tagline(state, section, services, index)
            elif not services:
                term = _heading_term(section.title)
                # A heading of three or more words is a topic only if the notes use its words again.
                if term and len(term.split()) >= 2 and term.lower() not in state.body_text:
                    term = None
                if term:
                    key = term_node_key(terms.term_key(term))
                    subjects = [key]
                    own = True
                    _mention(state, key, term, _term_kind(term), "heading", index)
                    expansion = terms.parenthetical(section.title)
                    if expansion and terms.is_term_like(expansion, 8):
                        _mention(state, key, expansion, _term_kind(term), "alias", index)
        if own:
            content = _content_lines(parsed, section)
            for key in subjects:
                # A nested section about the same entity is part of the outer one, not a second place.
                if owned.get(key) is not None and _is_ancestor(parsed, owned[key], section.id):
                    continue
                owned[key] = section.id
                out.sections.append(
                    OwnSection(
                        key,
                        section.title,
                        section.start_line,
                        section.end_line,
                        content,
                        _evidence(state, index if index is not None else 0),
                    )
                )
        state.subjects[section.id] = subjects or parent_subjects


def _heading_term(title: str) -> str | None:
    """The concept a heading names, or None for scaffolding headings and sentences."""
    title = terms.clean_term(re.sub(r"^\s*\d+[.)]\s*", "", title))
    if not title or terms.is_generic(title):
        return None
    parts = [p.strip() for p in re.split(r"\s+[—–-]\s+|:\s+", title) if p.strip()]
    candidates = [title, *parts]
    for candidate in candidates:
        cleaned = terms.clean_term(candidate)
        head = cleaned.split()
        # "Pattern A", "Step 2", "Batch 3": an enumeration label, not a topic.
        if len(head) >= 2 and (len(head[-1]) == 1 or head[-1].isdigit()):
            continue
        if terms.is_term_like(cleaned, 5) and not terms.is_generic(cleaned) and not _is_question(cleaned):
            return cleaned
    return None


def _heading_tagline(state: _NoteState, section: Section, services: list[Span], index: int) -> None:
    """ "Amazon Kendra — Intelligent Enterprise Search": the part after the dash is a short definition."""
    title = section.title
    match = re.search(r"\s(?:[—–=]|-)\s+(.+)$|:\s+(.+)$|\(([^()]+)\)\s*$", title)
    if not match or len(services) != 1:
        return
    tagline = (match.group(1) or match.group(2) or match.group(3) or "").strip()
    if tagline and not terms.is_generic(tagline) and terms.is_term_like(tagline, 6):
        _define(state, service_key(services[0].label_), tagline, 1, index)


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


# --- entities in a block ------------------------------------------------------------------------------------------


def _block_entities(state: _NoteState, index: int) -> list[_Candidate]:
    """Services and name-like terms in a block, in text order (used for co-occurrence and cues)."""
    doc = state.docs[index]
    block = state.parsed.blocks[index]
    found = [_Candidate(service_key(s.label_), s.text, SERVICE, s.start_char, s.end_char) for s in _services(doc)]
    taken = [(c.start, c.end) for c in found]
    # Emphasis that makes a block a label ("**Core Capabilities**") marks the label, not a term.
    label_span = (
        block.is_label
        and bool(block.spans)
        and block.spans[0].end - block.spans[0].start >= len(block.text.rstrip(" :")) * 0.9
    )
    for span in () if label_span else block.spans:
        text = block.text[span.start : span.end]
        term = _adjective_to_name(terms.clean_term(text))
        if not term or _overlaps(taken, span.start, span.end):
            continue
        if terms.label_role(term) or terms.is_definition_label(term):
            _take(taken, span.start, span.end)
            continue  # an inline label: "**Use case:** ..."
        if _keep_term(term, emphasised=True):
            found.append(_candidate(state, term, span.start, span.end))
            _take(taken, span.start, span.end)
    if block.kind != "heading" and not block.is_label:
        for match in _CAP_RUN.finditer(block.text):
            start, end = match.span(1)
            surface = _adjective_to_name(match.group(1))
            if _overlaps(taken, start, end) or not _is_name_run(surface, block.text, start):
                continue
            found.append(_candidate(state, surface, start, end))
            _take(taken, start, end)
    found.sort(key=lambda c: c.start)
    return found


def _is_name_run(surface: str, text: str, start: int) -> bool:
    """A capitalised run mid-sentence that names something: a product, a proper concept, an acronym."""
    tokens = surface.split()
    lower = [t.lower() for t in tokens]
    if " ".join(lower) in _VENDORS or (len(tokens) == 1 and lower[0] in _VENDORS):
        return False
    if lower[0] in terms.STOP_WORDS or lower[-1] in terms.STOP_WORDS or terms.is_generic(surface):
        return False
    if any(t in _UNITS for t in lower) or surface.isdigit():
        return False
    if terms.looks_like_address(text[max(0, start - 1) : start + len(surface) + 6]):
        return False
    before = text[max(0, start - 12) : start]  # the few characters before decide; never rescan the line
    sentence_start = (
        start == 0
        or (start <= 12 and not before.strip())
        or bool(re.search(r"(?:[.!?:;]\s+|[-*•(\"“]\s*)$", before))
    )
    if len(tokens) == 1:
        word = tokens[0]
        if _ACRONYM.match(word):
            return len(word.rstrip("s")) >= 2
        if sentence_start:
            return False
        return terms.is_name_like(word)
    # Title Case phrase of two or more words mid-sentence: a named concept ("Availability Zones").
    if sentence_start and not any(terms.is_name_like(t) for t in tokens):
        return False
    return terms.is_term_like(surface, 4)


def _adjective_to_name(term: str) -> str:
    """ "Kafka-based" names Kafka; "AWS’s" names AWS: strip the adjective or possessive ending."""
    term = re.sub(r"['’]s$", "", term)
    match = re.match(
        r"^([A-Z][\w]*)-(?:based|specific|style|like|driven|native|compatible|aware|powered|enabled)$", term
    )
    return match.group(1) if match else term


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps an interval of *taken*, kept sorted and disjoint (see :func:`_take`)."""
    at = bisect.bisect_right(taken, (start, float("inf")))
    return (at > 0 and taken[at - 1][1] > start) or (at < len(taken) and taken[at][0] < end)


def _take(taken: list[tuple[int, int]], start: int, end: int) -> None:
    bisect.insort(taken, (start, end))


def _keep_term(term: str, emphasised: bool = False, max_words: int = 5, defined: bool = False) -> bool:
    """Whether a phrase is worth a node: term-like, not scaffolding, not a lone everyday word (unless defined)."""
    if not terms.is_term_like(term, max_words) or terms.is_generic(term):
        return False
    tokens = terms.words(term)
    if len(tokens) == 1 and not _ACRONYM.match(tokens[0]) and not defined:
        word = tokens[0]
        common = terms.is_common_word(word, -10.5 if emphasised else -12.0)
        if common and not terms.is_name_like(word):
            return False
    return not (term.lower() in _VENDORS or all(t.lower() in _UNITS for t in tokens))


def _candidate(state: _NoteState, surface: str, start: int = -1, end: int = -1) -> _Candidate:
    key = _term_key(state, surface)
    return _Candidate(key, surface, SERVICE if key.startswith("service:") else _term_kind(surface), start, end)


def _term_key(state: _NoteState, surface: str) -> str:
    """The node a term names: a service when the catalog knows the name ("~SQS", "Amazon Event Bridge")."""
    word = surface.strip()
    if word in state.short_names:
        return service_key(state.short_names[word])
    entry = state.catalog.lookup_alias(word) if state.catalog is not None else None
    if entry is not None and (entry.id, word) not in state.unsure_names:
        return service_key(entry.id)
    return term_node_key(terms.term_key(surface))


def _term_kind(surface: str) -> str:
    """TECHNOLOGY for the proper name of a product ("Kafka", "Power BI"), else CONCEPT."""
    tokens = terms.words(surface)
    if not tokens or not all(t[0].isupper() or t[0].isdigit() for t in tokens):
        return CONCEPT
    if all(_ACRONYM.match(t) for t in tokens):
        return CONCEPT
    for token in tokens:
        parts = [p for p in re.split(r"[-/]", token) if p]
        named = any(p[0].isupper() and not _ACRONYM.match(p) and terms.is_name_like(p) for p in parts)
        if named and not any(p.lower() in _VENDORS for p in parts):
            return TECHNOLOGY
    return CONCEPT


# --- one block ----------------------------------------------------------------------------------------------------


def _extract_block(state: _NoteState, index: int, block: Block) -> None:
    entities = state.block_entities[index]
    for cand in entities:
        if cand.kind == SERVICE:
            _mention(state, cand.key, cand.surface, SERVICE, "text", index)
            _member_of_section_subject(state, index, block, cand.key)
        else:
            how = "emphasis" if any(s.start == cand.start for s in block.spans) else "name"
            _mention(state, cand.key, cand.surface, cand.kind, how, index)
    if block.kind == "heading":
        return
    if block.kind == "cell" and block.depth == 1 and index > 0:
        _table_row_definition(state, index, block)
    subject = _block_subject(state, index, block)
    lead = _lead(state, index, block)
    _arrows(state, index, block, subject)
    role = _role(state, block)
    if lead is not None:
        _lead_facts(state, index, block, lead, subject, role)
    elif role is not None and block.kind in ("item", "paragraph", "cell") and not block.is_label:
        _role_item(state, index, block, subject, role, block.text)
    elif block.kind == "item" and subject and block.label is None and block.parent is None:
        _plain_item(state, index, block, subject)
    _definitions(state, index, block, subject, lead)
    _cues(state, index, block, subject)
    _cooccurrence(state, index, entities)


def _member_of_section_subject(state: _NoteState, index: int, block: Block, key: str) -> None:
    """A service named in the section about its family or parent product is stated to be part of it
    ("**Snowball** — ..." under "Snow Family", "Kinesis Data Firehose" under "Amazon Kinesis")."""
    entry = state.catalog.entries.get(key.split(":", 1)[1]) if state.catalog is not None else None
    if entry is None or not entry.parent:
        return
    parent = service_key(entry.parent)
    if parent in state.subjects.get(block.section, []) or (
        block.kind == "heading" and parent in _near_subjects(state, block)
    ):
        _relate(state, key, parent, "part_of", True, index)


def _near_subjects(state: _NoteState, block: Block) -> list[str]:
    parent = state.parsed.sections[block.section].parent
    return state.subjects.get(parent, []) if parent is not None else []


def _table_row_definition(state: _NoteState, index: int, block: Block) -> None:
    """A table row "| **X** | what X is |": the second cell defines the entity the first cell names."""
    first = state.parsed.blocks[index - 1]
    if first.kind != "cell" or first.line != block.line or first.depth != 0:
        return
    named = state.block_entities.get(index - 1, [])
    if len(named) == 1 and len(first.text.split()) <= 6:
        _define(state, named[0].key, block.text, 2, index)


def _block_subject(state: _NoteState, index: int, block: Block) -> str | None:
    """The entity a block is about: a service named in the label it hangs under, else the section's subject."""
    label = block.label
    seen = 0
    while label is not None and seen < 3:
        services = _services(state.docs[label])
        label_block = state.parsed.blocks[label]
        short = len(label_block.text.split()) <= 8
        if services and short and (label_block.is_label or label_block.kind == "item"):
            return service_key(services[0].label_)
        label = label_block.label
        seen += 1
    subjects = state.subjects.get(block.section, [])
    return subjects[0] if subjects else None


def _role(state: _NoteState, block: Block) -> str | None:
    """The role given to a block by the labels it hangs under (the nearest that has one, up to three up)."""
    label = block.label
    seen = 0
    while label is not None and seen < 3:
        label_block = state.parsed.blocks[label]
        role = terms.label_role(label_block.text)
        if role is not None:
            return role
        if label_block.kind == "item" and not label_block.is_label:
            return None  # a plain parent item: its children elaborate it, they take no role from above
        label = label_block.label
        seen += 1
    return None


@dataclass
class _Lead:
    """``X — rest``: the lead entities X (services or one term), the rest, and how they were joined."""

    keys: list[str]
    surfaces: list[str]
    rest: str
    separator: str
    is_term: bool


def _lead(state: _NoteState, index: int, block: Block) -> _Lead | None:
    """Parse a leading term: ``**X** — text``, ``X = text``, ``X: text`` or an emphasised opening."""
    text = block.text
    doc = state.docs[index]
    head_end = None
    whole = bool(block.spans) and block.spans[0].start == 0 and block.spans[0].end >= len(text.rstrip(" :")) * 0.9
    if block.spans and block.spans[0].start == 0 and not whole:
        head_end = block.spans[0].end
        after = text[head_end:]
        match = re.match(r"\s*(?:—|–|-{1,2}|=|:|→)\s*", after)
        if match is None and not after.strip(" :"):
            match = re.match(r"\s*", after)
        if match is None:
            head_end = None
        else:
            rest = after[match.end() :].strip()
            sep = match.group(0).strip()
    if head_end is None:
        match = _LEAD_SEPARATOR.search(text)
        if match is None or match.start() == 0:
            return None
        head_end = match.start()
        rest = text[match.end() :].strip()
        sep = match.group(0).strip()
        if len(text[:head_end].split()) > 5:
            return None
    head = text[:head_end].strip(" *_:")
    if not head or _SENTENCE_VERB.search(head):
        return None
    services = [s for s in _services(doc) if s.start_char < head_end]
    if services:
        covered = sum(s.end_char - s.start_char for s in services)
        if covered >= len(re.sub(r"[\s/,&+()]|\band\b|\bor\b", "", head)) * 0.6:
            return _Lead([service_key(s.label_) for s in services], [s.text for s in services], rest, sep, False)
        return None  # a service and more words: a sentence about the service, not a term
    term = terms.clean_term(head)
    if term in state.short_names:
        return _Lead([service_key(state.short_names[term])], [term], rest, sep, False)
    if terms.label_role(term) is not None or terms.is_definition_label(term) or terms.is_generic(term):
        return _Lead([], [term], rest, sep, True)  # an inline label: "Examples: a, b, c"
    # A term followed by its explanation is a term even when it is an everyday word ("**Service** — ...").
    if not _keep_term(term, emphasised=True, defined=bool(rest)):
        return None
    return _Lead([_term_key(state, term)], [term], rest, sep, True)


def _lead_facts(state: _NoteState, index: int, block: Block, lead: _Lead, subject: str | None, role: str | None):
    if not lead.keys:
        inline_role = terms.label_role(lead.surfaces[0])
        if inline_role and lead.rest:
            parts = [p for p in re.split(r",|;|\band\b|\bor\b", lead.rest.rstrip(".")) if p.strip()]
            if len(parts) < 2 or any(len(p.split()) > 4 for p in parts):
                parts = [lead.rest]  # a sentence, not a list
            for part in parts:
                _role_item(state, index, block, subject, inline_role, part)
        return
    for key, surface in zip(lead.keys, lead.surfaces, strict=False):
        kind = SERVICE if key.startswith("service:") else (USE_CASE if role == "use_case" else _term_kind(surface))
        _mention(state, key, surface, kind, "definition", index)
        rest_start = len(block.text) - len(lead.rest)
        restates_name = any(
            service_key(s.label_) == key for s in _services(state.docs[index]) if s.start_char >= rest_start
        )
        if restates_name and len(lead.rest.split()) <= 6:
            continue  # "Amazon SQS - Simple Queue Service": the rest only spells out the name
        if lead.rest and not block.is_label:
            _define(state, key, lead.rest, 3, index)
        elif lead.rest and block.is_label:
            _define(state, key, lead.rest, 1, index)
        if subject and subject != key:
            if role in ("delivers_to", "consumed_by", "ingests_from", "connects_to"):
                _relate(state, subject, key, role, True, index)
            elif role == "use_case":
                _relate(state, subject, key, "used_for", True, index)
            elif not key.startswith("service:"):
                _relate(state, subject, key, "has", True, index)
    if lead.separator == "=" and len(lead.keys) == 1:
        _compare_adjacent(state, index, lead.keys[0])


def _role_item(state: _NoteState, index: int, block: Block, subject: str | None, role: str, text: str) -> None:
    """An item under a label: a use case, a concept, or a related service, linked to the subject."""
    doc = state.docs[index]
    services = [s for s in _services(doc) if text in block.text and _within(s, block.text, text)]
    if role in ("delivers_to", "consumed_by", "ingests_from", "connects_to"):
        targets = [(service_key(s.label_), s.text, SERVICE) for s in services]
        if not targets:
            term = terms.clean_term(_cut_clause(text))
            if _keep_term(term, emphasised=True, max_words=4):
                targets = [(_term_key(state, term), term, _term_kind(term))]
        for key, surface, kind in targets:
            _mention(state, key, surface, kind, "list", index)
            if subject and subject != key:
                _relate(state, subject, key, role, True, index)
        return
    if role == "use_case":
        named = sum(s.end_char - s.start_char for s in services)
        if services and named >= len(terms.clean_term(text)) * 0.6:
            return  # a service listed among uses ("Use cases: S3, EBS"): mentioned, not a use case
        phrase = _use_case_phrase(state, block, text)
        if phrase:
            key = term_node_key(terms.term_key(phrase))
            _mention(state, key, phrase, USE_CASE, "list", index)
            if subject and subject != key:
                _relate(state, subject, key, "used_for", True, index)
        return
    # concept role: the item itself if it is a short noun phrase, else its emphasised terms
    term = terms.clean_term(text)
    if services and len(services) == 1 and services[0].text == term:
        return
    candidates = [term] if _keep_term(term, max_words=5) else []
    if not candidates:
        candidates = [c.surface for c in state.block_entities[index] if c.kind != SERVICE]
    for surface in candidates:
        key = _term_key(state, surface)
        _mention(state, key, surface, _term_kind(surface), "list", index)
        if subject and subject != key:
            _relate(state, subject, key, "has", True, index)


def _within(span: Span, block_text: str, part: str) -> bool:
    start = block_text.find(part)
    return start <= span.start_char and span.end_char <= start + len(part)


def _use_case_phrase(state: _NoteState, block: Block, text: str) -> str | None:
    """A short use-case phrase from an item, completing a sentence label such as "You need transcripts of:"."""
    phrase = text.strip()
    label = state.parsed.blocks[block.label] if block.label is not None else None
    sentence_label = label is not None and label.text.rstrip().endswith(":") and terms.label_role(label.text) is None
    if sentence_label and len(phrase.split()) <= 3:
        stem = _WANT_PREFIX.sub("", label.text.rstrip(" :"))
        if re.search(r"\b(of|for|to|like|as|on|with|about)$", stem):
            phrase = f"{stem} {phrase}"
    phrase = _WANT_PREFIX.sub("", phrase)
    phrase = terms.clean_term(phrase)
    if len(phrase.split()) > 6:
        phrase = terms.clean_term(_cut_clause(phrase))
    phrase = _ARTICLE.sub("", phrase)
    if len(phrase.split()) > 7 or not _keep_term(phrase, emphasised=True, max_words=7):
        return None
    return phrase


def _cut_clause(text: str) -> str:
    match = _CLAUSE_CUT.search(text)
    return text[: match.start()] if match else text


def _plain_item(state: _NoteState, index: int, block: Block, subject: str) -> None:
    """A top-level item with no label under a subject: a short noun phrase is a concept of the subject."""
    term = terms.clean_term(block.text)
    if len(term.split()) > 4 or not _keep_term(term, max_words=4) or state.docs[index].spans["services"]:
        return
    if block.spans:
        return  # the emphasised words are the term, not the whole item
    key = _term_key(state, term)
    _mention(state, key, term, _term_kind(term), "list", index)
    if subject != key:
        _relate(state, subject, key, "has", True, index)


# --- definitions --------------------------------------------------------------------------------------------------


def _definitions(state: _NoteState, index: int, block: Block, subject: str | None, lead: _Lead | None) -> None:
    if block.is_label:
        return
    label = state.parsed.blocks[block.label] if block.label is not None else None
    if label is not None and block.kind == "paragraph":
        # A paragraph under "What it is:" defines the subject; under "**X** — tagline" it defines X.
        if terms.is_definition_label(label.text) and subject:
            _define(state, subject, block.text, 4, index)
            return
        label_lead = _lead(state, block.label, label) if label.is_label else None
        if label_lead is not None and label_lead.keys:
            for key in label_lead.keys:
                _define(state, key, block.text, 4, index)
            return
    doc = state.docs[index]
    define_cues = _by_sentence(
        state, index, [c for c in doc.spans["cues"] if c.label_ == "define"], lambda c: c.start_char
    )
    services_in = _by_sentence(state, index, _services(doc), lambda s: s.start_char)
    for number, sent in enumerate(_sentences(state, index)):
        cues = define_cues[number]
        opening = [s for s in services_in[number] if s.start <= sent.start + 1]
        if opening and opening[0].end < sent.end and doc[opening[0].end].lower_ in ("is", "are", "="):
            _define(state, service_key(opening[0].label_), sent.text.strip(), 3, index)
            continue
        if opening and opening[0].end < sent.end and doc[opening[0].end].lower_ in _DESCRIBING_VERBS:
            _define(state, service_key(opening[0].label_), sent.text.strip(), 2, index)
            continue
        if not cues:
            continue
        cue = cues[0]
        before = doc[sent.start : cue.start]
        services = [s for s in services_in[number] if s.end <= cue.start]
        rest = doc[cue.end : sent.end].text.strip()
        covered = {i for s in services for i in range(s.start, s.end)}
        loose = [t for t in before if t.i not in covered and not t.is_punct]
        if services and len(loose) <= 1:
            _define(state, service_key(services[0].label_), sent.text.strip(), 3, index)
        elif not services and 0 < len(before) <= 4 and rest:
            term = terms.clean_term(before.text)
            named = term[:1].isupper() or not terms.is_common_word(term.split()[0] if term else "", -12.0)
            if _keep_term(term, emphasised=True, max_words=4) and named:
                key = _term_key(state, term)
                _mention(state, key, term, _term_kind(term), "definition", index)
                _define(state, key, sent.text.strip(), 2, index)
    # Under a heading "What is X?", the first line answers it.
    if block.section in state.question_sections and block.parent is None:
        section = state.parsed.sections[block.section]
        first_content = next((i for i in section.blocks if state.parsed.blocks[i].kind != "heading"), None)
        if first_content == index:
            _define(state, state.question_sections[block.section], block.text, 4, index)
    # The first line of a section about a service, outside any label, is a fallback definition.
    if subject and lead is None and block.label is None and block.parent is None and subject.startswith("service:"):
        section = state.parsed.sections[block.section]
        first_content = next((i for i in section.blocks if state.parsed.blocks[i].kind != "heading"), None)
        if first_content == index and subject in state.subjects.get(block.section, [])[:1]:
            _define(state, subject, block.text, 1, index)
    # The first sentence of an entity's own section that names it is a fallback definition.
    if subject and lead is None and subject.startswith("service:"):
        first = next(iter(_sentences(state, index)), None)
        if first is not None and any(service_key(s.label_) == subject for s in _services(doc) if s.start < 3):
            _define(state, subject, first.text.strip(), 1, index)


def _define(state: _NoteState, key: str, text: str, strength: int, index: int) -> None:
    """Record a definition candidate; it counts more inside the entity's own section, less when terse."""
    text = text.strip()
    if len(text) < 3 or text.endswith(("?", ":")) or not re.search(r"[A-Za-z]{3}", text):
        return
    block = state.parsed.blocks[index]
    if key in state.subjects.get(block.section, [])[:1]:
        strength += 1
    if len(text.split()) < 5:
        strength -= 1
    assert state.out is not None
    state.out.definitions.append(Definition(key, text[:500], strength, _evidence(state, index)))


# --- arrows and comparisons ---------------------------------------------------------------------------------------


def _arrows(state: _NoteState, index: int, block: Block, subject: str | None) -> None:
    text = block.text
    for pattern, relation in ((_ARROW, "feeds"), (_BIARROW, "connects_to")):
        if not pattern.search(text):
            continue
        parts = pattern.split(text)
        if len(parts) < 2:
            continue
        resolved = []
        for position, part in enumerate(parts):
            edge = "first" if position == 0 else "last" if position == len(parts) - 1 else "middle"
            resolved.append(_arrow_part(state, index, part, edge))
        if len(parts) == 2 and resolved[0] and not resolved[1] and parts[1].strip()[:1].islower():
            for key, _ in resolved[0]:
                _define(state, key, parts[1].strip().rstrip("."), 2, index)
            continue
        for left, right in itertools.pairwise(resolved):
            for lkey, _lsurface in left:
                for rkey, _rsurface in right:
                    if lkey == rkey:
                        continue
                    _relate(state, lkey, rkey, relation, True, index)
                    if relation == "connects_to":
                        _relate(state, rkey, lkey, relation, True, index)
        for part in resolved:
            for key, surface in part:
                kind = SERVICE if key.startswith("service:") else _term_kind(surface)
                _mention(state, key, surface, kind, "arrow", index)


def _arrow_part(state: _NoteState, index: int, part: str, edge: str) -> list[tuple[str, str]]:
    """The entities one step of an arrow chain names ("S3/EFS/FSx" names three)."""
    doc = state.docs[index]
    block_text = state.parsed.blocks[index].text
    offset = _find_part(block_text, part, edge)
    spans = [s for s in _services(doc) if offset <= s.start_char and s.end_char <= offset + len(part)]
    text = part
    if edge == "first":
        text = re.split(r"[(:,;]|\be\.g\.|\bi\.e\.|\bsuch as\b|\blike\b", text)[-1]
        spans = spans[-1:] if spans and "/" not in text else spans
    elif edge == "last":
        text = re.split(r"[)(,;.]", text)[0]
        spans = [s for s in spans if s.start_char < offset + max(len(text), 1)]
        spans = spans[:1] if spans and "/" not in text else spans
    if spans:
        return [(service_key(s.label_), s.text) for s in spans]
    found = []
    for piece in re.split(r"(?<!\s)\s*/\s*|(?<!\s)\s+\+\s+", text):
        term = terms.clean_term(piece)
        if not term:
            continue
        if term in state.short_names:
            found.append((service_key(state.short_names[term]), term))
        elif (
            term[:1].isupper()
            and terms.is_term_like(term, 4)
            and not terms.is_generic(term)
            and term.lower() not in _VENDORS
        ):
            found.append((term_node_key(terms.term_key(term)), term))
    return found


def _find_part(text: str, part: str, edge: str) -> int:
    if edge == "first":
        return text.find(part)
    if edge == "last":
        return text.rfind(part)
    found = text.find(part)
    return max(found, 0)


def _compare_adjacent(state: _NoteState, index: int, key: str) -> None:
    """Consecutive "A = x" / "B = y" lines compare A with B."""
    if index == 0:
        return
    previous = state.parsed.blocks[index - 1]
    current = state.parsed.blocks[index]
    if previous.section != current.section or current.label not in (previous.label, index - 1):
        return
    before = _lead(state, index - 1, previous)
    if before is None or before.separator != "=" or len(before.keys) != 1 or before.keys[0] == key:
        return
    if len(before.rest.split()) <= 6 and len(_lead(state, index, current).rest.split()) <= 6:
        _relate(state, before.keys[0], key, "compared_with", True, index)


def _cues(state: _NoteState, index: int, block: Block, subject: str | None) -> None:
    """Relations signalled by words: "X vs Y", "X whereas Y", "integrates with", "delivers to", "provides"."""
    doc = state.docs[index]
    cues = doc.spans["cues"]
    if not cues:
        return
    entities = state.block_entities[index]
    starts = [c.start for c in entities]
    service_tokens = {i for s in _services(doc) for i in range(s.start, s.end)}
    for cue in cues:
        kind = cue.label_
        if kind == "define" or cue.start in service_tokens:
            continue
        sent = _sentence_of(state, index, cue.start)
        lo, hi = sent.start_char, sent.end_char
        # Only the few names on each side of the cue matter; slicing by position keeps a run-on
        # sentence with thousands of names linear.
        at = bisect.bisect_left(starts, cue.start_char)
        before = [c for c in entities[max(0, at - _CUE_REACH) : at] if lo <= c.start and c.end <= cue.start_char]
        after = [c for c in entities[at : at + _CUE_REACH] if cue.end_char <= c.start and c.end <= hi]
        if kind == "compare":
            left = before[-1:] if cue.text.lower() in ("vs", "vs.", "versus") else before[:1]
            right = after[:1]
            if not left:
                left = _adjacent_word(state, block.text, cue.start_char, before=True)
            if not right:
                right = _adjacent_word(state, block.text, cue.end_char, before=False)
            for a in left:
                for b in right:
                    if a.key != b.key:
                        _mention(state, a.key, a.surface, a.kind, "comparison", index)
                        _mention(state, b.key, b.surface, b.kind, "comparison", index)
                        _relate(state, a.key, b.key, "compared_with", True, index)
            continue
        if kind in _CUE_PREPOSITIONS and not _preposition_follows(doc, cue.end, sent.end, _CUE_PREPOSITIONS[kind]):
            continue
        sources = [c.key for c in before if c.kind == SERVICE][-1:]
        if not sources and subject and not before and cue.start - sent.start <= 2:
            sources = [subject]  # "Integrates directly with S3" under a service: the subject acts
        if not sources:
            continue
        clause_end = _clause_end(block.text, cue.end_char, hi)
        # The first few names after the cue: enough for "delivers to S3, Redshift and OpenSearch", and
        # never one relation per name in a run-on sentence.
        targets = [c for c in after if c.end <= clause_end][:3]
        if not targets and kind == "used_for":
            phrase = _use_case_phrase(state, block, block.text[cue.end_char : clause_end])
            if phrase:
                key = term_node_key(terms.term_key(phrase))
                _mention(state, key, phrase, USE_CASE, "text", index)
                targets = [_Candidate(key, phrase, USE_CASE)]
        for target in targets:
            for source in sources:
                if source != target.key:
                    # A service that "has" another service works with it; it does not own it as a feature.
                    relation = "connects_to" if kind == "has" and target.kind == SERVICE else kind
                    _relate(state, source, target.key, relation, True, index)


#: How many names on each side of a cue are considered.
_CUE_REACH = 8

# A data-moving verb signals a relation only with its preposition a few words on ("loads streams into S3").
_CUE_PREPOSITIONS = {
    "delivers_to": frozenset({"to", "into", "in", "onto"}),
    "ingests_from": frozenset({"from", "in", "over", "on"}),
}


def _preposition_follows(doc: Doc, start: int, end: int, prepositions: frozenset[str]) -> bool:
    return any(token.lower_ in prepositions for token in doc[start : min(end, start + 4)])


def _adjacent_word(state: _NoteState, text: str, offset: int, before: bool) -> list[_Candidate]:
    """The capitalised word or short phrase right beside a comparison cue ("Provisioned vs On-Demand")."""
    # Only the words right beside the cue matter; a bounded window keeps this linear on long lines.
    if before:
        match = re.search(r"([A-Z][\w-]{0,40}(?:\s[A-Z][\w-]{0,40}){0,2})\s*$", text[max(0, offset - 100) : offset])
    else:
        match = re.match(r"\s*([A-Z][\w-]{0,40}(?:\s[A-Z][\w-]{0,40}){0,2})", text[offset : offset + 100])
    if not match:
        return []
    surface = terms.clean_term(match.group(1))
    if not surface or not _keep_term(surface, emphasised=True, max_words=3):
        return []
    return [_candidate(state, surface)]


def _clause_end(text: str, start: int, limit: int) -> int:
    limit = min(limit, start + 300)  # a clause is short; never scan the rest of a run-on sentence
    match = re.search(r"[.;!?]\s|\s(?:but|while|whereas|which|so that)\s", text[start:limit])
    return start + match.start() if match else limit


# --- co-occurrence ------------------------------------------------------------------------------------------------


def _cooccurrence(state: _NoteState, index: int, entities: list[_Candidate]) -> None:
    """Entities named in one sentence (paragraphs) or one item are related (inferred)."""
    if len(entities) < 2:
        return
    block = state.parsed.blocks[index]
    groups: list[list[_Candidate]]
    groups = _by_sentence(state, index, entities, lambda c: c.start) if block.kind == "paragraph" else [entities]
    for group in groups:
        keys = _dedupe(c.key for c in group)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                _relate(state, a, b, "related_to", False, index)


def _section_cooccurrence(state: _NoteState) -> None:
    """A section's subject is related (weakly, inferred) to every entity its section names."""
    out = state.out
    assert out is not None
    seen: set[tuple[str, str]] = set()
    first_block: dict[tuple[int, str], int] = {}
    for index, block in enumerate(state.parsed.blocks):
        if block.kind == "heading":
            continue
        subjects = state.subjects.get(block.section, [])
        for cand in state.block_entities[index]:
            for subject in subjects:
                if subject != cand.key:
                    first_block.setdefault((block.section, f"{subject}\x00{cand.key}"), index)
    for (_section, pair), index in first_block.items():
        subject, key = pair.split("\x00")
        if (subject, key) in seen:
            continue
        seen.add((subject, key))
        _relate(state, subject, key, "related_to", False, index, weight=0.5)


# --- terms named again elsewhere in the note ----------------------------------------------------------------------


def _scan_terms(state: _NoteState, nlp: Language) -> None:
    """Count every later mention of a term the note introduced ("data lake" in running text)."""
    out = state.out
    assert out is not None
    surfaces: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for mention in out.mentions:
        if mention.key.startswith("term:") and mention.kind != USE_CASE:
            tokens = terms.words(mention.surface)
            if len(tokens) > 1 or not terms.is_common_word(tokens[0] if tokens else "", -12.0):
                surfaces.setdefault(mention.surface.lower(), mention.key)
                kinds.setdefault(mention.key, mention.kind)
    if not surfaces:
        return
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for surface, key in surfaces.items():
        matcher.add(key, [nlp.make_doc(surface)])
    counted = {(m.key, m.evidence.line) for m in out.mentions}
    for index, doc in enumerate(state.docs):
        block = state.parsed.blocks[index]
        if block.kind == "heading":
            continue
        found = []
        for match_id, start, end in matcher(doc):
            key = nlp.vocab.strings[match_id]
            span = doc[start:end]
            if any(c.key == key for c in state.block_entities[index]):
                continue
            if (key, block.line) in counted:
                continue
            counted.add((key, block.line))
            _mention(state, key, span.text, kinds[key], "text", index)
            found.append(_Candidate(key, span.text, kinds[key], span.start_char, span.end_char))
        if found:
            state.block_entities[index] = sorted(state.block_entities[index] + found, key=lambda c: c.start)
            _cooccurrence_new(state, index, found)


def _cooccurrence_new(state: _NoteState, index: int, found: list[_Candidate]) -> None:
    entities = state.block_entities[index]
    new_keys = {c.key for c in found}
    block = state.parsed.blocks[index]
    grouped = _by_sentence(state, index, entities, lambda c: c.start) if block.kind == "paragraph" else [entities]
    for members in grouped:
        if not any(c.key in new_keys for c in members):
            continue
        group = _dedupe(c.key for c in members)
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a in new_keys or b in new_keys:
                    _relate(state, a, b, "related_to", False, index)


# --- placeholders -------------------------------------------------------------------------------------------------


def _placeholders(state: _NoteState) -> None:
    parsed, out = state.parsed, state.out
    assert out is not None
    for link in parsed.links:
        if link.empty:
            out.placeholders.append(
                Placeholder(
                    "empty link",
                    parsed.path,
                    link.line,
                    f"[{link.text}]({link.target})",
                    _section_path_at(parsed, link.line),
                )
            )
    for block in parsed.blocks:
        match = _TODO.search(block.text)
        if match:
            out.placeholders.append(
                Placeholder("to do", parsed.path, block.line, block.text[:200], parsed.sections[block.section].path)
            )
    for section in parsed.sections[1:]:
        children = [s for s in parsed.sections if s.parent == section.id]
        content = [i for i in section.blocks if parsed.blocks[i].kind != "heading"]
        if not content and not children:
            out.placeholders.append(
                Placeholder("empty section", parsed.path, section.start_line, section.title, section.path)
            )


def _section_path_at(parsed: ParsedNote, line: int) -> tuple[str, ...]:
    best = parsed.sections[0]
    for section in parsed.sections:
        if section.start_line <= line <= section.end_line and section.level >= best.level:
            best = section
    return best.path


# --- sentences ----------------------------------------------------------------------------------------------------


def _sentences(state: _NoteState, index: int) -> list[Span]:
    """The sentences of a block's Doc, computed once (iterating ``doc.sents`` walks every token)."""
    found = state.sentences.get(index)
    if found is None:
        found = state.sentences[index] = list(state.docs[index].sents)
    return found


def _sentence_of(state: _NoteState, index: int, token: int) -> Span:
    sentences = _sentences(state, index)
    at = bisect.bisect_right([sent.start for sent in sentences], token) - 1
    if 0 <= at < len(sentences) and sentences[at].start <= token < sentences[at].end:
        return sentences[at]
    return state.docs[index][:]


def _by_sentence(state: _NoteState, index: int, items: list, start) -> list[list]:
    """*items* (sorted by position) grouped by the sentence their start (``start(item)``, a char offset) falls in."""
    sentences = _sentences(state, index)
    bounds = [sent.start_char for sent in sentences]
    groups: list[list] = [[] for _ in sentences]
    for item in items:
        at = bisect.bisect_right(bounds, start(item)) - 1
        if 0 <= at < len(groups):
            groups[at].append(item)
    return groups


# --- recording ----------------------------------------------------------------------------------------------------


def _evidence(state: _NoteState, index: int) -> Evidence:
    evidence = state.evidence.get(index)
    if evidence is None:
        block = state.parsed.blocks[index]
        section = state.parsed.sections[block.section]
        evidence = state.evidence[index] = Evidence(state.parsed.path, block.line, section.path, block.text[:500])
    return evidence


def _mention(state: _NoteState, key: str, surface: str, kind: str, how: str, index: int) -> None:
    assert state.out is not None
    state.out.mentions.append(Mention(key, surface.strip(), kind, how, _evidence(state, index)))


def _relate(
    state: _NoteState, source: str, target: str, relation: str, stated: bool, index: int, weight: float = 1.0
) -> None:
    if source == target:
        return
    assert state.out is not None
    state.out.relations.append(Relation(source, target, relation, stated, _evidence(state, index), weight))


def _dedupe(items) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
