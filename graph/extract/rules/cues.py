"""Relations signalled by cue words (the pipeline's ``cues`` spans), in the order they appear.

* A comparison cue ("vs", "versus", "whereas", "compared to") compares the names on either side
  (or the capitalised words right beside it): ``compared_with``, both mentioned (how: "comparison").
* A typed verb ("integrates with", "delivers to", "reads from", "is used for", "has") relates the
  last service before it (or the section's subject, when the sentence opens with the verb) to the
  first few names after it in the same clause. A data-moving verb needs its preposition a few
  words on ("loads streams into S3"); "used for" with no name after it takes the phrase as a use case.

Comparison and verb cues are handled in one pass so that their relations keep the text order.

Examples: ``Kinesis vs SQS`` gives ``service:kinesis --compared_with--> service:sqs``;
``Firehose delivers to S3 and Redshift`` gives ``delivers_to`` from Firehose to each.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc

from graph.extract import terms
from graph.extract.context import Candidate, NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import keep_term, use_case_phrase, use_case_phrases
from graph.model import SERVICE, USE_CASE, term_node_key

__all__ = ["apply_to_block"]

#: How many names on each side of a cue are considered.
_CUE_REACH = 8

# A data-moving verb signals a relation only with its preposition a few words on ("loads streams into S3").
_CUE_PREPOSITIONS = {
    "delivers_to": frozenset({"to", "into", "in", "onto"}),
    "ingests_from": frozenset({"from", "in", "over", "on"}),
}


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Relations signalled by words: "X vs Y", "X whereas Y", "integrates with", "delivers to", "provides"."""
    block = ctx.parsed.blocks[index]
    if block.kind == "heading":
        return
    doc = ctx.docs[index]
    cues = doc.spans["cues"]
    if not cues:
        return
    subject = ctx.block_subject(index)
    entities = ctx.block_entities[index]
    starts = [c.start for c in entities]
    service_tokens = {i for s in ctx.services(index) for i in range(s.start, s.end)}
    for cue in cues:
        kind = cue.label_
        if kind == "define" or cue.start in service_tokens:
            continue
        sent = ctx.sentence_of(index, cue.start)
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
                left = _adjacent_word(ctx, block.text, cue.start_char, before=True)
            if not right:
                right = _adjacent_word(ctx, block.text, cue.end_char, before=False)
            for a in left:
                for b in right:
                    if a.key != b.key:
                        rec.mention(a.key, a.surface, a.kind, "comparison", index)
                        rec.mention(b.key, b.surface, b.kind, "comparison", index)
                        rec.relate(a.key, b.key, "compared_with", True, index)
            continue
        if kind in _CUE_PREPOSITIONS and not _preposition_follows(doc, cue.end, sent.end, _CUE_PREPOSITIONS[kind]):
            continue
        if kind == "used_for" and _negated(doc, cue.start, sent.start):
            continue  # "not suitable for large files" names no use
        sources = [c.key for c in before if c.kind == SERVICE][-1:]
        opening = cue.start - sent.start <= 2 or _opens_sentence(doc, cue.start, sent.start)
        if not sources and subject and not before and opening:
            sources = [subject]  # "Integrates directly with S3", "It is great for X" under a service: the subject
        kind_noun = kind == "used_for" and cue.text.lower().split()[0] in _KIND_NOUNS
        if not sources and subject and kind_noun and cue.start - sent.start <= 8:
            sources = [subject]  # "Fully managed ML service for recommendations": what the subject is for
        if not sources:
            continue
        clause_end = _clause_end(block.text, cue.end_char, hi)
        # The first few names after the cue: enough for "delivers to S3, Redshift and OpenSearch", and
        # never one relation per name in a run-on sentence.
        targets = [c for c in after if c.end <= clause_end][:3]
        if kind == "used_for":
            # "Great for fraud detection, recommendation engines": each a use case (a service named stays a target).
            label = ctx.label(index)
            text = block.text[cue.end_char : clause_end]
            to_verb = cue.text.lower().endswith(" to")  # "used to decouple applications": one task
            # Under a sentence label ("You need transcripts of:") a short item completes the label: one phrase.
            sentence_label = (
                label is not None
                and label.text.rstrip().endswith(":")
                and terms.label_role(label.text) is None
                and len(text.split()) <= 3
            )
            phrases = use_case_phrases(text, lists=not to_verb) if not sentence_label else []
            if not phrases:
                phrase = use_case_phrase(text, label.text if label is not None else None)
                phrases = [phrase] if phrase else []
            if to_verb:
                # "used to decouple applications": a short task; a long verb phrase is a description.
                phrases = [p for p in phrases if len(p.split()) <= 3 and not p.split()[0].lower().endswith("ly")]
            # A use is said in words (or is a service named); a term that merely follows the cue ("use cases
            # where **low-latency reads** are critical") is none.
            targets = [c for c in targets if c.kind == SERVICE and not to_verb and not kind_noun]
            for phrase in phrases:
                key = term_node_key(terms.term_key(phrase))
                if any(c.key == key or c.surface == phrase for c in targets):
                    continue
                rec.mention(key, phrase, USE_CASE, "text", index)
                targets.append(Candidate(key, phrase, USE_CASE))
        for target in targets:
            for source in sources:
                if source != target.key:
                    # A service that "has" another service works with it; it does not own it as a feature.
                    relation = "connects_to" if kind == "has" and target.kind == SERVICE else kind
                    rec.relate(source, target.key, relation, True, index)


#: Words that may open a sentence before a cue and leave its subject unnamed: "It can be used for X",
#: "This is great for Y", "Typically used for Z" (general English function words and adverbs).
_UNNAMED_OPENING = frozenset(
    "it this that these those they which is are was were be been can could may might will would should also "
    "often typically usually mainly mostly primarily generally commonly especially very really particularly "
    "a an the one great good ideal perfect excellent strong natural popular common".split()
)
#: Nouns that say what kind of thing the subject is, in "a service for X", "a tool for Y".
_KIND_NOUNS = frozenset("service tool platform solution".split())
#: Words that turn a use into a misuse: "not good for", "never used for", "avoid ... for".
_NEGATIONS = frozenset("not n't never no nor avoid isn't aren't don't cannot".split())


def _opens_sentence(doc: Doc, cue: int, start: int) -> bool:
    """True when only function words and adverbs come before the cue in its sentence."""
    if cue - start > 12:
        return False  # never walk a run-on sentence from its start for every cue in it
    words = [t for t in doc[start:cue] if not t.is_punct]
    return len(words) <= 6 and all(t.lower_ in _UNNAMED_OPENING or t.lower_.endswith("ly") for t in words)


def _negated(doc: Doc, cue: int, start: int) -> bool:
    """True when a negation comes in the three words before the cue ("not suitable for", "Avoid it for")."""
    return any(t.lower_ in _NEGATIONS for t in doc[max(start, cue - 3) : cue])


def _preposition_follows(doc: Doc, start: int, end: int, prepositions: frozenset[str]) -> bool:
    return any(token.lower_ in prepositions for token in doc[start : min(end, start + 4)])


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


def _clause_end(text: str, start: int, limit: int) -> int:
    limit = min(limit, start + 300)  # a clause is short; never scan the rest of a run-on sentence
    match = re.search(r"[.;!?]\s|\s(?:but|while|whereas|which|so that)\s", text[start:limit])
    return start + match.start() if match else limit
