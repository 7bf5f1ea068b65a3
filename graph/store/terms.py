"""Corpus-level terms: what recurs across the notes becomes a concept, and every term is found in every note.

Each note's extraction keeps its runs of content words (:class:`~graph.model.Phrase`, see
:mod:`graph.extract.rules.phrases`). Once every note is read, :func:`corpus_terms`:

1. **accepts rarer-word service mentions the corpus supports**: "Lambda" alone in one note stands
   when another note of the corpus names the service ("AWS Lambda"), since one corpus is one vendor's
   vocabulary;
2. **promotes recurring terms**: the 1-4 word n-grams of the runs are scored the C-value way, longest
   first, each counting only the occurrences not inside a longer accepted (or already known) term. A
   term is promoted when it recurs (:data:`MIN_COUNT` times, in :data:`MIN_SECTIONS` sections, twice in
   one of them: explained there, not named in passing), is used as a noun more than as a verb (the
   stop words around its runs: "the subnet" vs "can configure the"; WordNet's word classes: no verb or
   adverb first, a noun at the head), and is unusual in general English (spaCy's lexeme
   probabilities): a lone word must be rare ("failover") or fairly rare and used as a thing ("a
   snapshot"), a phrase must hold a rare word ("visibility timeout", "data warehouse"), unless it is one
   more compound of a head the notes' own terms share ("identity policy" beside "bucket policy", "queue
   policy" and "topic policy");
3. **makes an abbreviation one node with what it stands for** where a note defines it ("Amazon Machine
   Image (AMI)") and both are named, and a term written with a cloud's name before it one node with the
   term ("Azure Resource Groups" and "Resource group"): :attr:`CorpusTerms.same_as`, applied by the build;
4. **leaves out everyday acronyms the notes only use**: "OS", "CPU", "URL" (common in English, by
   spaCy's lexeme probabilities) that no note spells out, defines, emphasises, lists or heads a
   section with are vocabulary the notes assume, not topics they teach (:attr:`CorpusTerms.dropped`,
   applied by the build); rarer ones ("CIDR", "RPO") and any the notes explain stay;
5. **finds every mention**: each known term (a promoted one, or any note's term shaped like a term and
   technical by the same measures, so that a word one note happened to bold does not spread) is matched in every
   run of every note, leftmost-longest, with case, plural, hyphen and spacing folded ("Auto Scaling" =
   "Autoscaling"), and a catalog name the matcher missed ("ElasticBeanstalk", "VPCs") is its service.
   Runs never hold a service name, so a term is never found inside one. A new mention is related
   (``related_to``, inferred) to what else its line names.

Everything is counted once per n-gram occurrence with hash lookups: linear in the corpus' words.

Example: three notes that write "subnet" in prose, in four sections, and one that bolds
"**Security group**": ``term:subnet`` is promoted and mentioned at each of those lines, and
"security groups" in the other notes' prose are mentions of ``term:security group``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from graph.extract import terms
from graph.extract.fragments import is_everyday_acronym, modifies_next
from graph.extract.text import UNITS, VENDORS, is_acronym, term_kind
from graph.model import INFERRED, SERVICE, USE_CASE, Extraction, Mention, Phrase, Relation, term_node_key
from graph.names import compact_key
from graph.sources.catalog import Catalog
from graph.vendors import strip_any_vendor

__all__ = ["MAX_WORDS", "MIN_COUNT", "MIN_SECTIONS", "CorpusTerms", "corpus_terms"]

#: Longest term looked for, in words.
MAX_WORDS = 4
#: A promoted term occurs at least this often (outside longer terms) ...
MIN_COUNT = 3
#: ... in at least this many sections.
MIN_SECTIONS = 2
#: ... and this many times in one section (explained there, not named in passing).
MIN_FOCUS = 2
#: A lone word is promoted only when rarer than this in English (log probability; "warehouse" is -12.5).
RARE_WORD = -13.0
#: A lone word this rare is a term without more ado ("versioning", "failover", "NoSQL").
VERY_RARE_WORD = -15.0
#: A phrase counts as technical when it holds a word this rare ("visibility timeout", "data warehouse"); one of
#: everyday words only ("cloud services", "cost savings") is left to the notes' own emphasis and headings.
RARE_IN_PHRASE = -12.0
#: Lines naming more nodes than this get no co-occurrence edges from here (a list, not a statement).
MAX_LINE_NODES = 6

_HOW_PROMOTED = "term"
_HOW_KNOWN = "text"


@dataclass
class CorpusTerms:
    """What the corpus adds to the notes' own findings: mentions (with their nodes) and inferred relations."""

    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    promoted: list[str] = field(default_factory=list)
    #: Node of another name -> node of the thing: an abbreviation where the notes define it once ("term:ami" ->
    #: "term:amazon machine image"), a term after a cloud's name ("term:azure resource group" -> "term:resource
    #: group"); both named in the notes.
    same_as: dict[str, str] = field(default_factory=dict)
    #: Nodes that are no topic of the corpus (everyday acronyms it never explains): no node, no edge.
    dropped: set[str] = field(default_factory=set)


def corpus_terms(extractions: list[Extraction], catalog: Catalog) -> CorpusTerms:
    """Corpus-supported services, promoted terms and every further mention of known terms (see the module)."""
    out = CorpusTerms()
    seen: set[tuple[str, str, int]] = set()
    keys: set[str] = set()
    products: set[str] = set()  # "AWS OpsHub"
    for ext in extractions:  # one pass over every mention of the corpus for the three
        for m in ext.mentions:
            seen.add((m.key, m.evidence.file, m.evidence.line))
            keys.add(m.key)
            if m.kind == SERVICE:
                products.add(m.key)
    for ext in extractions:
        for mention in ext.unsure_services:
            place = (mention.key, mention.evidence.file, mention.evidence.line)
            if mention.key in keys and place not in seen:
                seen.add(place)
                out.mentions.append(mention)
    out.same_as = _same_as(_abbreviations(extractions, keys), _vendor_forms(keys - products))
    runs = [p for ext in extractions for p in ext.phrases]  # each note's runs of content words, read as they are
    known = _known_terms(extractions)
    heads = _family_heads(known)
    occurrences = _ngrams(runs, known, heads)
    promoted = _promote(runs, occurrences, known, catalog, heads)
    out.promoted = sorted(promoted)
    titled = _titled(extractions)  # terms a section of their own explains
    index = {
        key: node
        for key, (node, _, spellings) in known.items()
        if _spreads(key, spellings, occurrences, runs, catalog, node in titled)
    }
    kinds = {node: kind for node, kind, _ in known.values()}
    capitals = {node for node, _, spellings in known.values() if all(_capitals(s) for s in spellings)}
    for key in promoted:
        index[key] = node = term_node_key(key)
        spellings = _spellings(occurrences[key], runs)
        kinds[node] = term_kind(spellings.most_common(1)[0][0])
        if all(_capitals(s) for s in spellings):
            capitals.add(node)
    compact = {compact_key(key): node for key, node in index.items()}
    services = _service_names(catalog, keys)
    promoted_nodes = {term_node_key(key) for key in promoted}
    new_by_line: dict[tuple[str, int], list[str]] = defaultdict(list)
    matched: dict[tuple[tuple[str, ...], str], list] = {}  # notes repeat their phrases: match each once
    known_names = (index, compact, services, kinds, capitals)
    for run in runs:
        opening = "" if run.before else "mid "  # a run after no stop word may open a sentence
        found = matched.get((run.words, opening))
        if found is None:
            found = matched[run.words, opening] = _matches(run.words, opening, *known_names)
        for start, end, node, kind in found:
            place = (node, run.evidence.file, run.evidence.line)
            if place in seen:
                continue
            seen.add(place)
            how = _HOW_PROMOTED if node in promoted_nodes else _HOW_KNOWN
            out.mentions.append(Mention(node, " ".join(run.words[start:end]), kind, how, run.evidence))
            new_by_line[(run.evidence.file, run.evidence.line)].append(node)
    out.relations = _cooccurrence(extractions, out.mentions, new_by_line)
    out.dropped = _everyday_acronyms(extractions, out.mentions)
    return out


#: Ways of naming a term that explain or single it out, unlike using it in passing ("name", "text", "term").
_EXPLAINING = frozenset({"heading", "emphasis", "definition", "alias", "list", "tag", "comparison", "arrow", "use"})


def _everyday_acronyms(extractions: list[Extraction], found: list[Mention]) -> set[str]:
    """Term nodes written only as an everyday acronym that no note explains (see the module, point 4).

    Example: "OS" written in passing in every note is dropped; "OS (operating system)" once, or "**OS**", keeps it.
    """
    explained = {short for ext in extractions for short, _ in ext.abbreviations}
    explained |= {own.key for ext in extractions for own in ext.sections}
    everyday: dict[str, bool] = {}
    for mention in chain((m for ext in extractions for m in ext.mentions), found):
        key = mention.key
        if not key.startswith("term:") or everyday.get(key) is False:
            continue
        surface = mention.surface
        everyday[key] = (
            key not in explained
            and mention.how not in _EXPLAINING
            and is_acronym(surface)
            and is_everyday_acronym(surface)
        )
    return {key for key, dropped in everyday.items() if dropped}


def _capitals(surface: str) -> bool:
    """Written in capitals, an acronym's plural too: "IAM", "AWS IAM", "IPs" (a term so written is matched so)."""
    return surface.isupper() or is_acronym(surface)


def _abbreviations(extractions: list[Extraction], named: set[str]) -> dict[str, str]:
    """Abbreviation node -> the node it stands for: defined one way only, both named in the notes, no chains."""
    meanings: dict[str, set[str]] = defaultdict(set)
    for ext in extractions:
        for short, long in ext.abbreviations:
            if short.startswith("term:") and short in named and long in named:
                meanings[short].add(long)
    return {
        short: next(iter(longs)) for short, longs in meanings.items() if len(longs) == 1 and not longs & meanings.keys()
    }


def _vendor_forms(named: set[str]) -> dict[str, str]:
    """Term node after a cloud's name -> the node of the term alone, when the notes name both (*named*: not the
    terms that name a cloud's product, "AWS OpsHub", which are services).

    >>> _vendor_forms({"term:azure resource group", "term:resource group", "term:azure region pair"})
    {'term:azure resource group': 'term:resource group'}
    """
    found = {}
    for node in sorted(named):
        if node.startswith("term:"):
            rest = strip_any_vendor(node[len("term:") :]).strip()
            if rest and term_node_key(rest) != node and term_node_key(rest) in named:
                found[node] = term_node_key(rest)
    return found


def _same_as(abbreviations: dict[str, str], vendor_forms: dict[str, str]) -> dict[str, str]:
    """Both maps in one, each name pointing at the end of its chain ("Azure VM" -> "VM" -> "virtual machine")."""
    same = {**vendor_forms, **abbreviations}
    for node in list(same):
        seen = {node}
        while same[node] in same and same[same[node]] not in seen:
            seen.add(same[node])
            same[node] = same[same[node]]
    return {node: target for node, target in same.items() if node != target}


@lru_cache(maxsize=65536)
def _squeeze(key: str) -> str:
    return compact_key(key)


@lru_cache(maxsize=65536)
def _key(surface: str) -> str:
    return terms.term_key(surface)


def _ngrams(runs: list[Phrase], known, heads: frozenset[str] = frozenset()) -> dict[str, list[tuple[int, int, int]]]:
    """Every 1-4 word n-gram of every run that may be a term: key -> its (run, start, end) occurrences.

    An n-gram of everyday words only, not *known* from a note, is never promoted, covers nothing and
    is never looked for: it is not collected (most n-grams are such).
    """
    occurrences: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    grams: dict[tuple[str, ...], list[tuple[str, int, int]]] = {}  # notes repeat their phrases: key them once
    wanted: dict[str, bool] = {}
    for number, run in enumerate(runs):
        words = run.words
        keyed = grams.get(words)
        if keyed is None:
            keyed = grams[words] = []
            for start in range(len(words)):
                for end in range(start + 1, min(start + MAX_WORDS, len(words)) + 1):
                    key = _key(" ".join(words[start:end]))
                    if not key:
                        continue
                    want = wanted.get(key)
                    if want is None:  # weighed once per key (setdefault would weigh it at every occurrence)
                        want = wanted[key] = key in known or _rare_enough(key) or _of_family(key, heads)
                    if want:
                        keyed.append((key, start, end))
        for key, start, end in keyed:
            occurrences[key].append((number, start, end))
    return occurrences


def _spellings(found, runs: list[Phrase]) -> Counter:
    """How the occurrences *found* are written (computed only for the few n-grams that are weighed)."""
    return Counter(" ".join(runs[r].words[s:e]) for r, s, e in found)


def _known_terms(extractions: list[Extraction]) -> dict[str, tuple[str, str, set[str]]]:
    """Term key -> (node, kind, spellings) of every term a note found, but use cases."""
    known: dict[str, tuple[str, str, set[str]]] = {}
    for ext in extractions:
        for mention in ext.mentions:
            if mention.key.startswith("term:") and mention.kind != USE_CASE:
                key = mention.key.split(":", 1)[1]
                known.setdefault(key, (mention.key, mention.kind, set()))[2].add(mention.surface)
    return known


def _promote(runs, occurrences, known, catalog: Catalog, heads: frozenset[str] = frozenset()) -> set[str]:
    """The n-grams that are terms of this corpus, longest first, C-value style (see the module docstring).

    A term a note found (*known*) is not promoted but covers its occurrences all the same, so that
    "replication" inside "cross-region replication" does not count for "replication".
    """
    promoted: set[str] = set()
    covering: dict[int, list[tuple[int, int]]] = {}  # run -> the spans of it that longer terms cover
    by_length: dict[int, list[str]] = defaultdict(list)
    for key, found in occurrences.items():
        if len(found) >= MIN_COUNT or key in known:
            by_length[found[0][2] - found[0][1]].append(key)
    for length in sorted(by_length, reverse=True):
        for key in sorted(by_length[length]):
            free = [
                o for o in occurrences[key] if not (covered := covering.get(o[0])) or not _inside(covered, o[1], o[2])
            ]
            if key in known or _is_term(key, free, runs, catalog, _of_family(key, heads)):
                if key not in known:
                    promoted.add(key)
                for r, s, e in free:
                    covering.setdefault(r, []).append((s, e))
    return promoted


def _inside(covered: list[tuple[int, int]], start: int, end: int) -> bool:
    return bool(covered) and any(s <= start and end <= e for s, e in covered)


def _is_term(key: str, free, runs: list[Phrase], catalog: Catalog, family: bool = False) -> bool:
    """Whether an n-gram, by its occurrences outside longer terms, is a term of the corpus.

    A compound of a family the notes name (*family*: "identity policy" beside "bucket policy" and "queue
    policy") needs no rare word: it is one more kind of a thing the notes already tell apart.
    """
    if len(free) < MIN_COUNT or not (family or _rare_enough(key)):
        return False
    per_section = Counter((runs[r].evidence.file, runs[r].evidence.section) for r, _, _ in free)
    if len(per_section) < MIN_SECTIONS or max(per_section.values()) < MIN_FOCUS:
        return False  # in one place only, or never used repeatedly in one passage: named in passing
    as_noun = _noun_uses(free, runs)
    if _verb_uses(free, runs) > max(1, as_noun):
        return False  # "accessing the data", "can configure it": used as a verb more than as a noun
    spellings = _spellings(free, runs)
    if any(_service_name(s, catalog) for s in spellings):
        return False  # a service's name ("VPCs"): the service, found by the matcher
    return _looks_like_term(key, spellings.most_common(1)[0][0], catalog) and (family or _technical(key, as_noun))


def _spreads(
    key: str, spellings: set[str], occurrences, runs: list[Phrase], catalog: Catalog, titled: bool = False
) -> bool:
    """Whether a term a note found is looked for in every note: shaped like a term, and technical enough.

    A lone word must be a name written in capitals ("IAM") or rare in English; everyday words a note
    happened to emphasise ("**databases**", "**Managed service**") stay in that note. A compound of
    everyday words that a section of its own explains (*titled*: "#### Route Tables") is a term of the
    notes all the same: "associate a custom route table with a subnet" names it.
    """
    if not spellings:
        return False
    surface = max(spellings, key=lambda s: (len(s.split()), s))
    acronym = len(key.split()) == 1 and all(s.isupper() for s in spellings)
    compound = titled and len(key.split()) > 1
    if not (acronym or compound or _rare_enough(key)) or any(_service_name(s, catalog) for s in spellings):
        return False
    if acronym:
        return not terms.is_generic(surface)
    if not _looks_like_term(key, surface, catalog):
        return False
    return compound or _technical(key, _noun_uses(occurrences.get(key, ()), runs))


def _titled(extractions: list[Extraction]) -> set[str]:
    """The nodes a section of their own explains: its heading names them and its body speaks of them.

    The body must name the heading's head noun ("## Door Plans" then "Each floor keeps its plans") or a noun
    before it ("#### Route Tables" then "the more specific the route"): a "## Next Steps" section never says
    "step" ("next" only says which), so "the next step is" elsewhere names no term; a scaffolding heading
    (:func:`graph.extract.terms.heading_role`) explains nothing.
    """
    titled = set()
    for ext in extractions:
        compounds = [
            own
            for own in ext.sections
            if len(own.key.split()) > 1 and own.key not in titled and terms.heading_role(own.title) is None
        ]  # only a compound needs its section to spread (see _spreads)
        if not compounds:
            continue
        said = {(r.evidence.file, r.evidence.line): r.evidence.text for r in ext.phrases}  # each block's text
        said.update({(m.evidence.file, m.evidence.line): m.evidence.text for m in ext.mentions})
        for own in compounds:
            words = own.key.partition(":")[2].split()
            # The head noun, or a noun before it that is no adjective: a "Route Tables" section says "routes".
            nouns = {words[-1]} | {w for w in words[:-1] if _can_be_noun(w) and not _describes(w)}
            body = (said.get((own.evidence.file, line), "") for line in range(own.start_line + 1, own.end_line + 1))
            if any(_key(word.strip(_PUNCTUATION)) in nouns for text in body for word in text.split()):
                titled.add(own.key)
    return titled


def _describes(word: str) -> bool:
    """True for a word that can be an adjective or adverb ("next", "final"): it says which, not what."""
    return bool({"adj", "adv"} & terms.word_classes(word))


#: What may cling to a word of a sentence ("plans.", "(tables)").
_PUNCTUATION = ".,;:!?()[]*`'\"_"


def _service_name(surface: str, catalog: Catalog) -> bool:
    """Whether *surface* names a service: one vendor's name, or an acronym any vendor's service has ("VPCs")."""
    if catalog.lookup_alias(surface) is not None:
        return True
    short = surface[:-1] if surface.endswith("s") and surface[:-1].isupper() else surface
    return is_acronym(surface) and bool(catalog.options(short))


#: A head noun is a family when the notes' own terms hold this many compounds of it ("bucket policy", "queue policy").
FAMILY_SIZE = 3


def _family_heads(known) -> frozenset[str]:
    """The last words of :data:`FAMILY_SIZE` or more two-word terms the notes found ("policy": "bucket policy", ...)."""
    counts = Counter(key.split()[-1] for key in known if len(key.split()) == 2)
    return frozenset(head for head, count in counts.items() if count >= FAMILY_SIZE and head not in terms.GENERIC_WORDS)


def _of_family(key: str, heads: frozenset[str]) -> bool:
    """A compound of two words whose head is a family of the notes' terms ("identity policy")."""
    words = key.split()
    return len(words) == 2 and words[1] in heads and words[0] not in terms.STOP_WORDS


def _rare_enough(key: str) -> bool:
    """The cheap first test of :func:`_technical`: a word rare enough for a lone word or a phrase."""
    words = key.split()
    return min(terms.word_frequency(w) for w in words) < (RARE_WORD if len(words) == 1 else RARE_IN_PHRASE)


def _looks_like_term(key: str, surface: str, catalog: Catalog) -> bool:
    """The shape of a term: a noun phrase, no scaffolding, label, address, vendor, verb, number or misspelling."""
    tokens = surface.split()
    lower = [t.lower() for t in tokens]
    if not (terms.is_term_like(surface, MAX_WORDS) or _coined_word(lower)) or terms.is_generic(surface):
        return False
    if terms.looks_like_address(surface):
        return False
    if catalog.lookup_alias(surface) is not None or catalog.lookup_alias(key) is not None:
        return False  # a service's name: the service, found by the matcher
    if terms.label_role(surface) or terms.is_definition_label(surface):
        return False  # "Core capabilities", "Mental model": a label of the notes, not a topic
    if any(t in VENDORS or t in UNITS for t in lower):
        return False
    if len(tokens) > 1 and any(t in terms.GENERIC_WORDS for t in (lower[0], lower[-1])):
        return False  # "key points", "example bucket": scaffolding at an edge
    if any(any(c.isdigit() for c in t) and t.islower() for t in tokens):
        return False  # "24x7", "us-east-1": numbers and codes, not names ("EC2", "IPv6" are written with capitals)
    first = terms.word_classes(lower[0])
    if not _can_be_noun(lower[-1]) or _is_inflected(lower[0]) or (first and first <= {"verb", "adv"}):
        return False  # "highly available", "enabled versioning", "configure": no noun at the head, a verb first
    words = key.split()
    if len(words) > 1 and len(tokens) == 1 and all(terms.is_common_word(w, -12.0) for w in words):
        return False  # one hyphenated modifier of everyday words: "built-in", "long-term", "real-time"
    return len(tokens) > 1 or not _misspelled(lower[0])


def _technical(key: str, as_noun: int) -> bool:
    """Unusual in general English: a rare lone word, or a phrase with a rare word.

    A lone word only somewhat rare ("snapshot", "routing") must also be used as a thing, after a
    determiner ("a snapshot"), at least once (*as_noun*): "the subnet" yes, "replication" in passing no.
    """
    words = key.split()
    rarest = min(terms.word_frequency(w) for w in words)
    if len(words) == 1:
        return rarest < VERY_RARE_WORD or (rarest < RARE_WORD and as_noun > 0)
    return rarest < RARE_IN_PHRASE


#: Words before a noun ("the subnet") and words that follow a verb taking an object ("configure the").
_DETERMINERS = frozenset("a an the this that these those each every your its their our my his her".split())
_OBJECTS = frozenset("a an the this these those your its their our my his her it them all any each some".split())
_MODALS = frozenset("can could will would should must may might shall cannot".split())


def _noun_uses(free, runs: list[Phrase]) -> int:
    """Occurrences right after a determiner: "the visibility timeout"."""
    return sum(1 for r, s, _ in free if s == 0 and runs[r].before in _DETERMINERS)


def _verb_uses(free, runs: list[Phrase]) -> int:
    """Occurrences that read as a verb: after a modal ("can encrypt") or before an object ("accessing the")."""
    return sum(
        1
        for r, s, e in free
        if (s == 0 and runs[r].before in _MODALS) or (e == len(runs[r].words) and runs[r].after in _OBJECTS)
    )


def _coined_word(lower: list[str]) -> bool:
    """A rare word English has no class for, adjective-shaped or not: "serverless", "stateful" name ideas."""
    word = lower[0] if len(lower) == 1 else ""
    return word.isalpha() and not terms.word_classes(word) and terms.word_frequency(word) < VERY_RARE_WORD


def _can_be_noun(word: str) -> bool:
    """Whether English lets *word* be a noun; a word English does not know is taken for a technical noun."""
    classes = terms.word_classes(word)
    return not classes or "noun" in classes


def _misspelled(word: str) -> bool:
    """A rare word one swap or one missing letter away from an everyday word: "recieve", "enviroment"."""
    if terms.word_frequency(word) > -14.0 or not word.isalpha() or len(word) < 5:
        return False
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b for a, b in splits for c in "abcdefghijklmnopqrstuvwxyz"}
    return any(terms.is_common_word(edit, -11.5) for edit in edits)


def _is_inflected(word: str) -> bool:
    """A verb form in -ed ("enabled", "accessed"; not "speed"): a modifier or a clause, not a term."""
    return word.endswith("ed") and len(word) > 4 and "noun" not in terms.word_classes(word, lemma=False)


def _service_names(catalog: Catalog, mentioned: set[str]) -> dict[str, str]:
    """Compact name -> service node, for the services the corpus names: "ElasticBeanstalk", "VPCs" are theirs."""
    names: dict[str, str] = {}
    for node in sorted(mentioned):  # sorted: a name two services share goes to the same one in every run
        if not node.startswith("service:"):
            continue
        entry = catalog.entries.get(node.split(":", 1)[1])
        if entry is None:
            continue
        unsure = set(entry.common_word_aliases) | set(entry.lowercase_word_aliases)
        for alias in entry.aliases:
            if alias not in unsure and len(alias) > 2:
                names.setdefault(compact_key(_key(alias)), node)
    return names


def _matches(words, opening, index, compact, services, kinds, capitals):
    """Leftmost-longest known terms and service names in a run: (start, end, node, kind).

    *opening* is "" when the run may open a sentence (nothing before it), else some text.
    """
    found = []
    start = 0
    while start < len(words):
        for end in range(min(start + MAX_WORDS, len(words)), start, -1):
            surface = " ".join(words[start:end])
            key = _key(surface)
            node = index.get(key)
            kind = kinds.get(node) if node else None
            if node is None and (end - start == 1 or all(w[:1].isupper() for w in words[start:end])):
                # "Autoscaling" = "Auto Scaling"; "ElasticBeanstalk" is its service; "delete object" no "DeleteObject"
                squeezed = _squeeze(key)
                node = compact.get(squeezed)
                kind = kinds.get(node) if node else None
                if node is None and squeezed in services and any(c.isupper() for c in surface):
                    node, kind = services[squeezed], SERVICE
            if node is None or (node in capitals and not _capitals(surface)):
                continue
            before = opening if start == 0 else words[start - 1] + " "
            if end - start > 1 or end == len(words) or not modifies_next(surface, " " + words[end], before):
                found.append((start, end, node, kind))  # not "IP addresses": a kind of address, not the topic IP
            start = end
            break
        else:
            start += 1
    return found


def _cooccurrence(extractions, new: list[Mention], new_by_line) -> list[Relation]:
    """``related_to`` between a new mention and what else its line names (a short line: one statement)."""
    on_line: dict[tuple[str, int], list[str]] = defaultdict(list)
    for ext in extractions:
        for mention in ext.mentions:
            place = (mention.evidence.file, mention.evidence.line)
            if place in new_by_line and mention.key not in on_line[place]:
                on_line[place].append(mention.key)
    evidence = {(m.evidence.file, m.evidence.line): m.evidence for m in new}
    relations = []
    for place, nodes in new_by_line.items():
        everyone = on_line[place] + [n for n in nodes if n not in on_line[place]]
        if len(everyone) > MAX_LINE_NODES:
            continue
        for node in nodes:
            for other in everyone:
                if other != node and (other not in nodes or other < node):
                    relations.append(Relation(node, other, INFERRED, False, evidence[place], 0.5))
    return relations
