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
* **Notes apps' links are stated.** ``[[Page|shown]]`` links what the block is about to the
  page's topic; ``#tags`` and front matter ``tags:``/``aliases:`` name topics and other names
  of the note's own topic.

Nothing here lists what any particular notes contain: services come from the
catalog, everything else from the structure and wording of the text.

How it is put together: :func:`~graph.extract.context.build_context` reads the note once into a
:class:`~graph.extract.context.NoteContext`; each rule module in :mod:`graph.extract.rules` reads
that context and writes to a :class:`~graph.extract.recorder.Recorder`, which gives the extraction.
The rules run in a fixed order, because later rules read what earlier ones found and because the
order of what is recorded shapes the graph (first spellings, first evidence, edge order):

1. :data:`NOTE_RULES_BEFORE`, on the whole note: section subjects, then the entities of each block, then
   wiki links, tags and front matter;
2. for each block in turn, every rule of :data:`BLOCK_RULES`, in order (a line of a code block: only
   :data:`CODE_RULES`);
3. :data:`NOTE_RULES_AFTER`, on the whole note: terms named again, the terms in uses and before relation
   nouns, section co-occurrence, placeholders, candidate terms for the corpus.
"""

from __future__ import annotations

from spacy.language import Language

from graph.extract.context import build_context
from graph.extract.recorder import Recorder
from graph.extract.rules import (
    arrows,
    compared_lines,
    cooccurrence,
    cross_vendor,
    cues,
    definition_uses,
    definitions,
    descriptions,
    emphasised_openers,
    entities,
    labels,
    lead_terms,
    mentions,
    note_links,
    part_of,
    phrases,
    placeholders,
    relation_nouns,
    repeated_terms,
    section_cooccurrence,
    subjects,
    tables,
    task_labels,
    use_terms,
)
from graph.model import Extraction
from graph.sources.markdown import ParsedNote

__all__ = ["BLOCK_RULES", "CODE_RULES", "NOTE_RULES_AFTER", "NOTE_RULES_BEFORE", "extract_note"]

#: Whole-note rules run first: subjects (``ctx.subjects``, read by nearly every rule after it), then
#: the entities of every block (``ctx.block_entities``), then wiki links, tags and front matter (which
#: add the pages that wiki links name to ``ctx.block_entities``).
NOTE_RULES_BEFORE = (subjects, entities, note_links)

#: Block rules, run in this order on each block before the next block. Headings get only the first two.
BLOCK_RULES = (
    mentions,  # the block's entities, mentioned
    part_of,  # a service under its family's section is part of it
    tables,  # "| X | what X is |" defines X
    arrows,  # "A -> B -> C"
    lead_terms,  # "**X** — text": X mentioned, defined, related to the subject
    labels,  # items under "Use cases", "Supported targets", ...; inline labels; plain items
    compared_lines,  # "A = x" after "B = y"
    definitions,  # "X is a ...", "What it is:", first lines of a section
    definition_uses,  # "Definition: Managed database migration service": what a service is for
    cues,  # "X vs Y", "X whereas Y", "integrates with", "delivers to", ...
    descriptions,  # "X: text naming Y", "- Serverless NoSQL database" under X, "SGs are stateful"
    cross_vendor,  # two clouds' services in one sentence are compared
    emphasised_openers,  # "**Dead-letter queue** if a message fails ..." under SQS: SQS has it
    task_labels,  # "- ExpressRoute: private link" under "**Communicate with on-premises**:": used for it
    cooccurrence,  # named in one sentence or item
)

#: Block rules for a line of a code block: what it names and its arrows (``A -> B`` in a fenced pipeline), and
#: what it names together. Not the prose rules: ``x = 1`` in code is an assignment, not a definition, and two of
#: them are no comparison (they also made every line of a long listing a topic of its own: 4 MB took 46 s).
CODE_RULES = (mentions, part_of, arrows, cooccurrence)

#: Whole-note rules run last: terms named again (reads the mentions so far and extends
#: ``ctx.block_entities``), then the terms named in uses, before relation nouns, and section co-occurrence (read
#: those entities), then placeholders, then the runs of content words the corpus weighs as terms
#: (:mod:`graph.store.terms`).
NOTE_RULES_AFTER = (repeated_terms, use_terms, relation_nouns, section_cooccurrence, placeholders, phrases)


def extract_note(parsed: ParsedNote, nlp: Language) -> Extraction:
    """Extract mentions, relations, definitions, own sections and placeholders from *parsed*.

    *nlp* is the pipeline from :func:`graph.extract.pipeline.make_pipeline`.
    """
    ctx = build_context(parsed, nlp)
    rec = Recorder(ctx)
    for rule in NOTE_RULES_BEFORE:
        rule.apply(ctx, rec)
    for index, block in enumerate(parsed.blocks):
        for block_rule in CODE_RULES if block.kind == "code" else BLOCK_RULES:
            block_rule.apply_to_block(ctx, rec, index)
    for rule in NOTE_RULES_AFTER:
        rule.apply(ctx, rec)
    return rec.extraction()
