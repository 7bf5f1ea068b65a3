"""Terms named again: every later mention of a term the note introduced counts.

Once the rules before it have found a term (emphasised, defined, listed, in a heading), its other
occurrences in running text are mentions too (how: "text"), at most one per line, and join the
block's entities (``ctx.block_entities``), so they are related to the names around them
(``related_to``, inferred) and to the section's subject (:mod:`.section_cooccurrence`, after this).
Use cases and lone everyday words are not looked for again; a term the note only writes in capitals
("HTTP") is found again only in capitals, and never inside a longer name ("ACL" in "Network ACL").

Example: after ``**Data lake** — central storage``, the later line ``Athena queries the data lake
in place`` mentions ``term:data lake`` again and relates it to Athena.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from graph.extract import terms
from graph.extract.context import Candidate, NoteContext
from graph.extract.recorder import Recorder
from graph.extract.rules import cues, descriptions
from graph.extract.text import dedupe, is_acronym
from graph.model import USE_CASE

__all__ = ["apply"]

#: The rules that relate a block's names by its wording, run again on a block where a term was found only now.
_RELATING_RULES = (cues, descriptions)


def apply(ctx: NoteContext, rec: Recorder) -> None:
    """Count every later mention of a term the note introduced ("data lake" in running text)."""
    nlp = ctx.nlp
    surfaces: dict[str, str] = {}
    kinds: dict[str, str] = {}
    lowered: set[str] = set()  # terms the note writes in lower case too; the others are found in capitals only
    for mention in rec.mentions:
        if mention.key.startswith("term:") and mention.kind != USE_CASE:
            tokens = terms.words(mention.surface)
            if len(tokens) > 1 or not terms.is_common_word(tokens[0] if tokens else "", -12.0):
                surfaces.setdefault(mention.surface.lower(), mention.key)
                kinds.setdefault(mention.key, mention.kind)
                if not (mention.surface.isupper() or is_acronym(mention.surface)):
                    lowered.add(mention.key)
    if not surfaces:
        return
    # The attribute by its id: by name, spaCy validates it with a model built anew for every matcher (most of
    # the matcher's set-up, paid once a note).
    matcher = PhraseMatcher(nlp.vocab, attr=LOWER)
    for surface, key in surfaces.items():
        matcher.add(key, [_pattern(nlp, surface)])
    counted = {(m.key, m.evidence.line) for m in rec.mentions}
    for index, doc in enumerate(ctx.docs):
        block = ctx.parsed.blocks[index]
        if block.kind == "heading":
            continue
        found = []
        names = [(c.start, c.end) for c in ctx.block_entities[index] if c.start >= 0]
        for match_id, start, end in sorted(matcher(doc), key=lambda m: (m[1], -m[2])):
            key = nlp.vocab.strings[match_id]
            if any(c.key == key for c in ctx.block_entities[index]):
                continue
            # The match's characters from its end tokens and its text from the block's (the Doc's) text: a Span
            # made and joined from its tokens costs several times as much.
            last = doc[end - 1]
            start_char, end_char = doc[start].idx, last.idx + len(last)
            if any(s < end_char and start_char < e for s, e in names):
                continue  # "ACL" inside "Network ACL", "AZ" in "Multi-AZ": the longer name is what the line says
            names.append((start_char, end_char))
            text = block.text[start_char:end_char]
            capitals = text.isupper() or is_acronym(text)
            if (key, block.line) in counted or (key not in lowered and not capitals):
                continue  # "HTTP" known: "from http" in passing is no mention of it
            counted.add((key, block.line))
            rec.mention(key, text, kinds[key], "text", index)
            found.append(Candidate(key, text, kinds[key], start_char, end_char))
        if found:
            ctx.block_entities[index] = sorted(ctx.block_entities[index] + found, key=lambda c: c.start)
            _cooccurrence_new(ctx, rec, index, found)
            _relate_new(ctx, rec, index, {c.key for c in found})


@lru_cache(maxsize=16384)
def _pattern(nlp: Language, surface: str) -> Doc:
    """The Doc of a term's lower-case *surface*, made once: notes of one corpus name the same terms again and again.
    The matcher only reads its tokens, so one Doc serves every note's matcher."""
    return nlp.make_doc(surface)


def _relate_new(ctx: NoteContext, rec: Recorder, index: int, new_keys: set[str]) -> None:
    """Read block *index* again with the relating rules, keeping only what they now say about *new_keys*.

    "NACLs are attached to subnets": "subnets" became a name of the block only now, so the verb can relate it.
    """
    mentions, relations = len(rec.mentions), len(rec.relations)
    for rule in _RELATING_RULES:
        rule.apply_to_block(ctx, rec, index)
    kept = [r for r in rec.relations[relations:] if r.source in new_keys or r.target in new_keys]
    rec.relations[relations:] = kept
    ends = {r.source for r in kept} | {r.target for r in kept}
    seen = {m.key for m in rec.mentions[:mentions][-64:] if m.evidence.line == ctx.parsed.blocks[index].line}
    rec.mentions[mentions:] = [m for m in rec.mentions[mentions:] if m.key in ends and m.key not in seen]


def _cooccurrence_new(ctx: NoteContext, rec: Recorder, index: int, found: list[Candidate]) -> None:
    entities = ctx.block_entities[index]
    new_keys = {c.key for c in found}
    block = ctx.parsed.blocks[index]
    grouped = ctx.by_sentence(index, entities, lambda c: c.start) if block.kind == "paragraph" else [entities]
    for members in grouped:
        if not any(c.key in new_keys for c in members):
            continue
        group = dedupe(c.key for c in members)
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a in new_keys or b in new_keys:
                    rec.relate(a, b, "related_to", False, index)
