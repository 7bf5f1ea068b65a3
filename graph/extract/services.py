"""Which service mentions stand in a note, and what its one-word short names mean.

Run by :func:`graph.extract.context.build_context` before any rule, since every rule reads the
``services`` spans of the block Docs:

* :func:`corroborate_bare_services` drops a mention by an everyday word ("Glue", "Snowball")
  unless the note supports it: "Glue" stands in a note that also says "AWS Glue".
* :func:`resolve_short_names` maps a one-word short name to the service of that name the note
  names most: "Firehose" is Kinesis Data Firehose in a note about "Amazon Kinesis Data Firehose".
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from spacy.tokens import Span

from graph.extract import terms
from graph.extract.pipeline import BARE, SURE, WEAK, service_support
from graph.sources.catalog import Catalog

if TYPE_CHECKING:
    from graph.extract.context import NoteContext

__all__ = ["corroborate_bare_services", "resolve_short_names"]


def corroborate_bare_services(ctx: NoteContext) -> None:
    """Drop service mentions by an everyday word unless the note supports them.

    A "bare" mention (a common word such as "Glue", "Snowball") stands when
    the note also names the service unambiguously ("AWS Glue") or names its
    family or a sibling ("Snow Family"). A "weak" mention (a rarer word such
    as "Lambda", "Chatbot") also stands, outside headings, when its line names
    another service or its section, or a section it sits under, is about a service
    ("Column store (Redshift)" in notes under "## RDS").
    """
    catalog = ctx.catalog
    found = [ctx.services(index) for index in range(len(ctx.docs))]  # read once: a span group makes new Spans
    sure = {span.label_ for spans in found for span in spans if service_support(span) == SURE}
    families = {_family(catalog, label) for label in sure} - {None}

    sure_in_block: dict[int, Counter[str]] = {}

    def keep(span: Span, index: int) -> bool:
        if service_support(span) == SURE:
            return True
        block = ctx.parsed.blocks[index]
        if block.kind == "heading" and not terms.is_generic(block.text.replace(span.text, " ")):
            # In a heading an everyday word must be the whole topic ("Support"), not one of a list
            # ("Account Management, Billing & Support").
            return service_support(span) == WEAK and span.start == 0 and terms.is_generic(block.text[span.end_char :])
        if span.label_ in sure or _family(catalog, span.label_) in families:
            return True
        block = ctx.parsed.blocks[index]
        if block.kind == "heading":
            # "Redshift Overview" is about Redshift; "Conversational Chatbot Builder" is not about AWS Chatbot.
            return service_support(span) == WEAK and span.start == 0 and terms.is_generic(block.text[span.end_char :])
        if service_support(span) == BARE:
            return False
        # Another service named for sure in the same block (counted once per block: a block of thousands of
        # mentions made this a scan of the block for each of them).
        sure_here = sure_in_block.get(index)
        if sure_here is None:
            sure_here = sure_in_block[index] = Counter(s.label_ for s in found[index] if service_support(s) == SURE)
        others = sum(sure_here.values()) - sure_here.get(span.label_, 0)
        return bool(others) or about_service(block.section)

    about: dict[int, bool] = {}

    def about_service(section_id: int) -> bool:
        """The section's heading, or a heading it sits under, names a service ("## RDS" > "### Column stores").

        Memoised per section, so each section's heading is read once however many mentions ask. A loop up the
        sections, not a call of itself: a closure that calls itself is a reference cycle, and it held the whole
        note (its Docs too) until a garbage collection, which a build pauses.
        """
        unread: list[int] = []
        at: int | None = section_id
        while at is not None and at not in about:
            unread.append(at)
            at = ctx.parsed.sections[at].parent
        above = about[at] if at is not None else False
        for at in reversed(unread):  # from the outermost section down
            section = ctx.parsed.sections[at]
            own = any(ctx.services(i) for i in section.blocks[:1] if ctx.parsed.blocks[i].kind == "heading")
            above = about[at] = own or above
        return above

    for index, spans in enumerate(found):
        kept = []
        for span in spans:
            if keep(span, index):
                kept.append(span)
            elif service_support(span) == WEAK and ctx.parsed.blocks[index].kind != "heading":
                ctx.unsure_services.append((index, span))  # the corpus may support it (graph.store.terms)
        if len(kept) < len(spans):
            ctx.set_services(index, kept)


def _family(catalog: Catalog, entry_id: str) -> str | None:
    entry = catalog.entries.get(entry_id)
    if entry is None:
        return None
    if entry.kind == "family":
        return entry.id
    return entry.parent


def resolve_short_names(ctx: NoteContext) -> None:
    """Map a one-word short name ("Firehose", "Streams") to the service of that name most named in this note."""
    counts: Counter[str] = Counter()
    texts: dict[str, str] = {}
    for index in range(len(ctx.docs)):
        for span in ctx.services(index):
            label = span.label_
            counts[label] += 1
            if label not in texts:  # a span's text is joined from its tokens: only the first one is kept
                texts[label] = span.text
    by_word: dict[str, list[str]] = {}
    for label, text in texts.items():
        last = text.split()[-1]
        if len(text.split()) > 1 and last[:1].isupper() and last.lower() not in terms.GENERIC_WORDS:
            by_word.setdefault(last, []).append(label)
    for word, labels in by_word.items():
        ranked = sorted(labels, key=lambda label: (-counts[label], label))
        if len(ranked) == 1 or counts[ranked[0]] > counts[ranked[1]]:
            ctx.short_names[word] = ranked[0]
