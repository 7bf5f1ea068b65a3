"""The lead of a block: the term a line opens with and what follows it.

``**Kinesis** — real-time streams`` leads with Kinesis (the rest: "real-time streams", joined by
"—"); so do ``Kinesis = streams`` and ``Kinesis: streams``. A lead naming services gives their
keys; a lead that is an inline label ("Examples: a, b") gives no key; a sentence
("CloudFormation is declarative: ...") has no lead. Read through :meth:`NoteContext.lead
<graph.extract.context.NoteContext.lead>`, which reads each block once; several rules use it
(:mod:`~graph.extract.rules.lead_terms`, :mod:`~graph.extract.rules.labels`,
:mod:`~graph.extract.rules.compared_lines`, :mod:`~graph.extract.rules.definitions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.extract import terms
from graph.extract.text import keep_term
from graph.model import service_key

if TYPE_CHECKING:
    from graph.extract.context import NoteContext

__all__ = ["Lead", "read_lead"]

# "Subnets:Tied to an AZ": a colon between a word and a capitalised one separates too (a space forgotten).
# Each pattern that may start with white space starts only where a run of it starts ((?<!\s)):
# otherwise every position inside a long run of spaces would rescan the rest of it.
_LEAD_SEPARATOR = re.compile(
    r"(?<!\s)\s+(?:—|–|-{1,2})\s+|(?<!\s)\s*=\s+|:\s+|(?<=[a-z]):(?=[A-Z][a-z])|(?<!\s)\s*—\s*"
)
# A lead that holds a finite verb is a sentence ("CloudFormation is declarative: ..."), not a term.
_SENTENCE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|will|would|does|do|did|should|must)\b", re.IGNORECASE
)


#: A path or repository slug: "owner/aws-notes", "docs/vpc/peering.md" (not "CI/CD").
_PATH = re.compile(r"^[\w.-]+(?:/[\w.-]+)+/?$")
_PATH_MIN = 12


@dataclass
class Lead:
    """``X — rest``: the lead entities X (services or one term), the rest, and how they were joined."""

    keys: list[str]
    surfaces: list[str]
    rest: str
    separator: str
    is_term: bool


_SEPARATOR_CHARS = "—–-=:"


def _first_separator(text: str) -> re.Match | None:
    """``_LEAD_SEPARATOR.search(text)``, started at the white space before the first separator character: the
    regular expression is not tried at every position of a long line that holds none (most lines).

    >>> _first_separator("Kinesis Data Streams — real-time").group(0), _first_separator("No separator here")
    (' — ', None)
    """
    found = [at for at in (text.find(c) for c in _SEPARATOR_CHARS) if at >= 0]
    if not found:
        return None
    start = min(found)
    while start > 0 and text[start - 1].isspace():
        start -= 1  # a separator may start with the white space before it ("X — text")
    return _LEAD_SEPARATOR.search(text, start)  # its lookbehinds still see the text before *start*


def read_lead(ctx: NoteContext, index: int) -> Lead | None:
    """Parse a leading term: ``**X** — text``, ``X = text``, ``X: text`` or an emphasised opening."""
    block = ctx.parsed.blocks[index]
    text = block.text
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
        match = _first_separator(text)
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
    if len(rest.split()) == 1 and (terms.looks_like_address(rest) or (len(rest) >= _PATH_MIN and _PATH.match(rest))):
        return None  # "LM: https://...", "Repository: owner/notes-repo": the label of a link or path, no term
    services = [s for s in ctx.services(index) if s.start_char < head_end]
    if services:
        covered = sum(s.end_char - s.start_char for s in services)
        if covered >= len(re.sub(r"[\s/,&+()]|\band\b|\bor\b", "", head)) * 0.6:
            surfaces = [ctx.span_text(index, s) for s in services]
            return Lead([service_key(s.label_) for s in services], surfaces, rest, sep, False)
        if len(services) == 1:
            own = service_key(services[0].label_) == ctx.block_subject(index)  # "Artifact Reports" under Artifact
            if _names_a_feature(head, ctx.span_text(index, services[0]), own):
                return Lead([ctx.term_key(head)], [head], rest, sep, True)  # "VPC Flow Logs – ...": VPC's feature
        return None  # a service and more words: a sentence about the service, not a term
    term = terms.clean_term(head)
    if term in ctx.short_names:
        return Lead([service_key(ctx.short_names[term])], [term], rest, sep, False)
    if terms.label_role(term) is not None or terms.is_definition_label(term) or terms.is_generic(term):
        return Lead([], [term], rest, sep, True)  # an inline label: "Examples: a, b, c"
    # A term followed by its explanation is a term even when it is an everyday word ("**Service** — ...").
    if not keep_term(term, emphasised=True, defined=bool(rest)):
        return None
    return Lead([ctx.term_key(term)], [term], rest, sep, True)


# After a service's name, one to three Title Case words: "Flow Logs", "Endpoint Gateway", "Reports".
_TITLE_WORDS = re.compile(r"(?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+")


def _names_a_feature(head: str, service: str, own: bool) -> bool:
    """True when *head* is the name *service* and Title Case words after it: "VPC Flow Logs", "S3 Object Lock".

    One noun names a feature only in the service's *own* section ("Artifact Reports" under Artifact; under
    CloudWatch, "EC2 Instances: CPU, disk" names EC2's resources), and never a singular one ("SQS Queue"
    restates what SQS is). Not scaffolding ("S3 Pricing Tiers", "IAM Best Practices").
    """
    if not head.startswith(service + " "):
        return False
    rest = head[len(service) + 1 :]
    if not _TITLE_WORDS.fullmatch(rest):
        return False
    lower = rest.lower().split()
    if len(lower) == 1 and (not own or terms.singular(lower[0]) == lower[0]):
        return False
    return not any(w in _SCAFFOLDING or terms.singular(w) in _SCAFFOLDING for w in lower)


#: Words that name no feature after a service's name ("S3 Pricing Tiers", "IAM Best Practices"): built once.
_SCAFFOLDING = terms.STOP_WORDS | terms.GENERIC_WORDS | terms.ASPECT_WORDS
