"""Find a node by the name a person types.

:func:`find_node` accepts any alias in any case, with or without "Amazon" or
"AWS", with spaces or hyphens dropped ("dynamo db"), singular or plural
("Step Function"), a few words of a longer name ("kinesis firehose" for
"Kinesis Data Firehose"), the start of a name ("cloudwat"), and small typos
("redshfit"). An unknown name raises :class:`NodeNotFound` with the closest
few names; a name that fits several topics equally well raises
:class:`AmbiguousName` with the candidates.

How a typed name is scored against every known name (RapidFuzz does the
edit-distance work):

* **exact**: the compact forms are equal (or equal up to a final "s"): taken at once;
* **typo**: optimal-string-alignment distance (a swap of two letters is one
  edit) within the tolerance of :func:`allowed_edits`, which like
  Elasticsearch's ``fuzziness: AUTO`` grows with the length of the name and
  allows none for names of four characters or fewer, because short names are
  acronyms that differ by one letter (SNS, SQS, SES);
* **prefix** and **words**: the typed text starts the name, or every typed
  word is a word of the name; scored by how much of the name it covers.

The best-scoring topic is taken when it scores at least :data:`ACCEPT_SCORE`
and beats the next topic by :data:`CLEAR_MARGIN`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import networkx as nx
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from graph.names import loose_key, name_words
from graph.store.index import cached

__all__ = [
    "ACCEPT_SCORE",
    "CLEAR_MARGIN",
    "MAX_CANDIDATES",
    "MAX_SUGGESTIONS",
    "SUGGEST_SCORE",
    "AmbiguousName",
    "NameIndex",
    "NodeNotFound",
    "allowed_edits",
    "find_node",
    "name_index",
    "suggest",
]

#: A match is taken without asking when it scores at least this and clearly beats the next topic.
ACCEPT_SCORE = 88.0
CLEAR_MARGIN = 4.0
#: Scores of the match kinds (see the module docstring).
_EXACT, _TYPO_BASE, _TYPO_PER_EDIT, _PARTIAL_BASE, _PARTIAL_SPAN = 100.0, 100.0, 4.0, 85.0, 15.0
#: Suggestions need at least this score (plain RapidFuzz ratio when no rule above applies).
SUGGEST_SCORE = 60.0
MAX_SUGGESTIONS = 5
MAX_CANDIDATES = 8


class NodeNotFound(LookupError):
    """No node has that name; ``suggestions`` holds the closest labels."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"no topic named {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


class AmbiguousName(LookupError):
    """Several nodes fit that name; ``candidates`` holds (id, label, type)."""

    def __init__(self, name: str, candidates: list[tuple[str, str, str]]) -> None:
        listed = ", ".join(f"{label} ({kind})" for _, label, kind in candidates)
        super().__init__(f"{name!r} could mean several topics: {listed}; give the full name or the id")
        self.name = name
        self.candidates = candidates


def allowed_edits(length: int) -> int:
    """Typos tolerated in a name of *length* compact characters: 0 up to 4, 1 up to 8, then 2."""
    return 0 if length <= 4 else 1 if length <= 8 else 2


@dataclass
class NameIndex:
    """Compared forms of every node name, for exact, prefix, word and fuzzy lookup.

    ``exact`` maps a compact name to the node ids that carry it; ``keys`` is
    the sorted list of compact names; ``words`` maps a compact name to its
    words and ``by_word`` a word to the compact names that contain it;
    ``by_length`` groups compact names by length (a typo search only looks
    at names of about the typed length).
    """

    exact: dict[str, list[str]]
    keys: list[str]
    words: dict[str, tuple[str, ...]]
    by_word: dict[str, list[str]]
    by_length: dict[int, list[str]]


def name_index(graph: nx.Graph) -> NameIndex:
    """Index every label, alias, full name and catalog name of the nodes of *graph* (cached on the graph)."""
    return cached(graph, "_name_index", _make_name_index)


def _make_name_index(graph: nx.Graph) -> NameIndex:
    exact: dict[str, list[str]] = {}
    words: dict[str, tuple[str, ...]] = {}
    for node, data in graph.nodes(data=True):
        names = {node, str(node).split(":", 1)[-1], data.get("label", ""), data.get("full_name", "")}
        names.update(data.get("aliases", []))
        names.update(data.get("names", []))
        for name in names:
            parts = name_words(str(name))
            key = "".join(parts)
            if not key:
                continue
            owners = exact.setdefault(key, [])
            if node not in owners:
                owners.append(node)
            words.setdefault(key, parts)
    by_word: dict[str, list[str]] = {}
    for key, parts in words.items():
        for word in set(parts):
            by_word.setdefault(word, []).append(key)
    by_length: dict[int, list[str]] = {}
    for key in exact:
        by_length.setdefault(len(key), []).append(key)
    return NameIndex(exact, sorted(exact), words, by_word, by_length)


def find_node(graph: nx.Graph, name: str) -> str:
    """The id of the node *name* refers to.

    Parameters
    ----------
    graph : MultiDiGraph
    name : str
        A node id, or any name as a person types it (see the module docstring).

    Returns
    -------
    str
        The node id.

    Raises
    ------
    NodeNotFound
        Nothing fits; its message suggests the closest few names.
    AmbiguousName
        Several topics fit equally well; its message lists them.
    """
    if name in graph:
        return name
    index = name_index(graph)
    key = loose_key(name)
    if not key:
        raise NodeNotFound(name, [])
    found = _exact(index, key)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        services = [n for n in found if graph.nodes[n].get("type") == "service"]
        if len(services) == 1:
            return services[0]
        raise AmbiguousName(name, [_candidate(graph, n) for n in sorted(found)])
    ranked = _rank(graph, index, key, name_words(name), look_alike=False)
    fitting = [(node, score) for node, score in ranked if score >= ACCEPT_SCORE]
    if fitting:
        best = fitting[0][1]
        close = [node for node, score in fitting if best - score < CLEAR_MARGIN]
        if len(close) == 1:
            return close[0]
        raise AmbiguousName(name, [_candidate(graph, n) for n in close[:MAX_CANDIDATES]])
    ranked = _rank(graph, index, key, name_words(name), look_alike=True)
    suggestions = [graph.nodes[n].get("label", n) for n, score in ranked[:MAX_SUGGESTIONS] if score >= SUGGEST_SCORE]
    raise NodeNotFound(name, suggestions)


def suggest(graph: nx.Graph, text: str, limit: int = 10) -> list[tuple[str, str, float]]:
    """Up to *limit* (id, label, score) suggestions for a partly typed name, best first.

    Scores are 0-100 as in the module docstring; an exact name scores 100.
    """
    index = name_index(graph)
    key = loose_key(text)
    if not key:
        return []
    ranked = _rank(graph, index, key, name_words(text), look_alike=True)
    return [(node, graph.nodes[node].get("label", node), score) for node, score in ranked[:limit]]


def _exact(index: NameIndex, key: str) -> list[str]:
    return [node for k in _exact_keys(index, key)[:1] for node in index.exact[k]]


def _rank(
    graph: nx.Graph, index: NameIndex, key: str, words: tuple[str, ...], look_alike: bool
) -> list[tuple[str, float]]:
    """Nodes with their best score for the typed name, best first (ties by label).

    With *look_alike*, names that merely look alike are added for "did you mean" (below ACCEPT_SCORE).
    """
    scores: dict[str, float] = {}
    for candidate, score in _scored_keys(index, key, words, look_alike).items():
        for node in index.exact[candidate]:
            scores[node] = max(scores.get(node, 0.0), score)
    return sorted(scores.items(), key=lambda kv: (-kv[1], str(graph.nodes[kv[0]].get("label", kv[0])), kv[0]))


def _scored_keys(index: NameIndex, key: str, words: tuple[str, ...], look_alike: bool) -> dict[str, float]:
    """Compact names that fit *key* with their score: exact, typo, prefix, words, then plain similarity."""
    scores: dict[str, float] = {}

    def offer(candidate: str, score: float) -> None:
        scores[candidate] = max(scores.get(candidate, 0.0), round(score, 1))

    for candidate in _exact_keys(index, key):
        offer(candidate, _EXACT)
    edits = allowed_edits(len(key))
    if edits:
        near = [k for n in range(len(key) - edits, len(key) + edits + 1) for k in index.by_length.get(n, ())]
        for candidate, distance, _ in process.extract(key, near, scorer=OSA.distance, score_cutoff=edits, limit=None):
            offer(candidate, _TYPO_BASE - _TYPO_PER_EDIT * distance)
    if len(key) >= 3:
        start = bisect.bisect_left(index.keys, key)
        for candidate in index.keys[start : start + 200]:
            if not candidate.startswith(key):
                break
            offer(candidate, _partial_score(key, candidate))
    for candidate in _keys_with_words(index, words):
        offer(candidate, _partial_score(key, candidate))
    if look_alike:
        for candidate, similarity, _ in process.extract(
            key, index.keys, scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE, limit=3 * MAX_SUGGESTIONS
        ):
            offer(candidate, min(similarity, ACCEPT_SCORE - 1))
    return scores


def _exact_keys(index: NameIndex, key: str) -> list[str]:
    """*key* if some node has that name, else its singular or plural ("Step Function", "Lambda Layer")."""
    if key in index.exact:
        return [key]
    other = key[:-1] if key.endswith("s") else key + "s"
    return [other] if len(key) > 3 and other in index.exact else []


def _partial_score(key: str, candidate: str) -> float:
    """A typed part of a name scores more the more of the name it covers."""
    return _PARTIAL_BASE + _PARTIAL_SPAN * min(len(key), len(candidate)) / max(len(key), len(candidate))


def _keys_with_words(index: NameIndex, words: tuple[str, ...]) -> set[str]:
    """Compact names containing every typed word (each word as typed, singular/plural, or within its typo allowance)."""
    words = tuple(w for w in words if len(w) >= 2)
    if not words or sum(len(w) for w in words) < 3:
        return set()
    found: set[str] | None = None
    for word in words:
        keys: set[str] = set()
        for variant in _word_variants(index, word):
            keys.update(index.by_word.get(variant, ()))
        found = keys if found is None else found & keys
        if not found:
            return set()
    return found or set()


def _word_variants(index: NameIndex, word: str) -> set[str]:
    variants = {word, word[:-1] if word.endswith("s") else word + "s"}
    edits = allowed_edits(len(word))
    if edits:
        variants.update(
            w
            for w, _, _ in process.extract(
                word, index.by_word.keys(), scorer=OSA.distance, score_cutoff=edits, limit=None
            )
        )
    return variants


def _candidate(graph: nx.Graph, node: str) -> tuple[str, str, str]:
    data = graph.nodes[node]
    return node, data.get("label", node), data.get("type", "")
